// tools.test.js — the interpreter's memory tools (web/interp/modules):
// tracemalloc from Python (frame mirror, statistics, filters, formats),
// sys._debugmallocstats, memory_profiler and objgraph.
//
// tracemalloc from Python against CPython 3.12 (figures, grouping, sorting,
// cumulative mode, compare_to, filters, tracebacks, formats) is the
// conformance programs tests/conformance/tracemalloc_*.py; here is the VM
// side: the frame mirror is on only while tracing, leaves nothing behind
// and changes no reference count, and untraced programs never load it.
// memory_profiler and objgraph are checked against reports the real
// packages printed for the same programs (tests/fixtures/tools/, recorded
// by tests/record/record_tools.sh from Debian's python3.11 packages): the
// structure and the deterministic columns, never the run-dependent
// numbers (memory in MiB, object ids, counts of start-up objects).

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../../web/lib/load.js';
import { runWith } from '../../web/interp/run.js';
import { VM } from '../../web/interp/vm.js';
import { formatFixed } from '../../web/interp/modules/memory_profiler.js';
import { formatG } from '../../web/interp/modules/objgraph.js';
import { snapshotOf } from '../../web/lib/tracemalloc.js';

const FIXTURES = new URL('../fixtures/tools/', import.meta.url);
const fixture = (name) => readFileSync(new URL(name, FIXTURES), 'utf8');
// formats.txt: "f <repr x> <precision> <width> <repr result>" and "g <repr x> <repr result>"
const FORMATS = fixture('formats.txt').trim().split('\n').map((l) => l.match(/'[^']*'|\S+/g));
const pyFloat = (r) => Number(r);
const pyStr = (r) => r.slice(1, -1);

let raw;
before(async () => { raw = await load(); });

/** Runs a program; its stdout, stderr and status. */
function run(source, filename = 'prog.py') {
  let out = '', err = '';
  const { status } = runWith(raw, source, { filename, stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { out, err, status };
}

/** Runs a program on a VM kept open: fn(vm) runs after it, then the heap is freed. */
function withVm(source, filename, fn) {
  const h = raw.heap_new(0, 0);
  let out = '', err = '';
  const vm = new VM(raw, h, { filename, source, stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  try {
    vm.runModule(source);
    return fn(vm, out, err);
  } finally {
    raw.hosts.delete(h);
    raw.heap_free(h);
  }
}

const ok = (r) => { assert.equal(r.err, ''); assert.equal(r.status, 0); return r.out; };
const lines = (s) => s.trimEnd().split('\n');

describe('tracemalloc from Python', () => {
  test('the frame mirror: on only while tracing, nothing left on the core frame stack', () => {
    withVm(`import tracemalloc
def f():
    tracemalloc.start()
    return 1
f()
def g():
    tracemalloc.stop()
g()
def h():
    return 2
h()
`, 'm.py', (vm) => {
      assert.equal(vm.mirrorFrames, false);
      assert.equal(raw.frame_depth(vm.h), 0);
      assert.equal(raw.frame_current(vm.h), 0);
      assert.equal(vm.lineHook, null);
    });
  });

  test('tracing started inside a running generator keeps the core frame stack consistent', () => {
    withVm(`import tracemalloc
def gen():
    tracemalloc.start(5)
    yield 'a' * int('5000')
    yield 2
def outer():
    g = gen()
    x = next(g)
    y = next(g)
    return tracemalloc.get_object_traceback(x)
tb = outer()
print(len(tb) >= 1, tb[-1].lineno)
tracemalloc.stop()
`, 'g.py', (vm, out, err) => {
      assert.equal(err, '');
      assert.equal(out, 'True 4\n');   // the generator's own line is the most recent frame
      assert.equal(raw.frame_depth(vm.h), 0);
    });
  });

  test('tracing changes no reference count and no printed result', () => {
    const prog = (on) => `import sys, tracemalloc
${on ? 'tracemalloc.start(5)' : ''}
def f(o):
    return sys.getrefcount(o), sys.getrefcount(f)
class A:
    def m(self):
        return sys.getrefcount(self)
x = []
print(f(x), A().m(), sys.getrefcount(x))
def gen():
    yield sys.getrefcount(x)
    yield 2
print(list(gen()))
`;
    assert.equal(ok(run(prog(true))), ok(run(prog(false))));
  });

  test('Snapshot.dump / Snapshot.load go through the virtual files', () => {
    withVm(`import tracemalloc
tracemalloc.start()
def f(n):
    return 'x' * n
x = f(10000)
s = tracemalloc.take_snapshot()
s.dump('snap.pickle')
t = tracemalloc.Snapshot.load('snap.pickle')
print(len(t.traces) == len(s.traces), t.traceback_limit == s.traceback_limit, str(t.statistics('lineno')[0]) == str(s.statistics('lineno')[0]))
try:
    tracemalloc.Snapshot.load('nope')
except FileNotFoundError as e:
    print(type(e).__name__)
tracemalloc.stop()
`, 'd.py', (vm, out) => {
      assert.equal(out, 'True True True\nFileNotFoundError\n');
      assert.equal(JSON.parse(vm.files.get('snap.pickle')).traceback_limit, 1);
    });
  });

  test('the playground view: snapshotOf(vm.raw, vm.h) gives plain rows (top, topDiff)', () => {
    withVm(`import tracemalloc
tracemalloc.start(3)
def f(n):
    return 'x' * n
a = f(20000)
`, 'p.py', (vm) => {
      const snap = snapshotOf(vm.raw, vm.h);
      const [row] = snap.top('lineno', 1);
      assert.deepEqual([row.filename, row.lineno, row.count], ['p.py', 4, 1]);
      assert.ok(row.size > 20000);
      assert.equal(row.text, String(snap.statistics('lineno')[0]));
      assert.deepEqual(row.frames, [['p.py', 4]]);
      const [tb] = snap.top('traceback', 1);
      assert.deepEqual([tb.frames, tb.filename, tb.lineno], [[['p.py', 5], ['p.py', 4]], 'p.py', 4]);
      const [d] = snap.topDiff(snap, 'lineno', 1);
      assert.deepEqual([d.sizeDiff, d.countDiff, d.size], [0, 0, row.size]);
      vm.raw.tm_stop(vm.h);
      assert.equal(snapshotOf(vm.raw, vm.h), null);
    });
  });

  test('an untraced program does not load the module', () => {
    withVm('x = [1, 2]\n', 'p.py', (vm) => {
      assert.equal(vm.modules.has('tracemalloc'), false);
      assert.equal(vm.mirrorFrames, undefined);
    });
  });
});

describe('sys._debugmallocstats', () => {
  test('prints the allocator report (the layout of CPython 3.12) to stderr', () => {
    const ref = readFileSync(new URL('../fixtures/debugmallocstats-3.12.txt', import.meta.url), 'utf8');
    const r = run('import sys\nx = [[] for i in range(50)]\nsys._debugmallocstats()\nprint("done")\n');
    assert.equal(r.out, 'done\n');
    assert.equal(r.status, 0);
    assert.equal(lines(r.err)[0], lines(ref)[0]);
    for (const label of ref.split('\n').filter((l) => l.startsWith('# ')).map((l) => l.split(' = ')[0].trimEnd())) {
      assert.ok(r.err.includes(label), `report has "${label}"`);
    }
  });
});

// ---- memory_profiler ---------------------------------------------------------

/** Splits a memory_profiler run into report blocks and other lines. */
function mpParse(text) {
  const items = [];
  const ls = text.split('\n');
  for (let i = 0; i < ls.length; i++) {
    if (ls[i].startsWith('Filename: ')) {
      const block = { filename: ls[i], blank: ls[i + 1], header: ls[i + 2], rule: ls[i + 3], rows: [] };
      i += 4;
      while (ls[i] !== '' || ls[i + 1] !== '') { block.rows.push(ls[i]); i++; }
      i += 1;
      items.push(block);
    } else items.push(ls[i]);
  }
  return items;
}

/** One report row: [line#, usage, increment, occurrences, contents] by the template's column widths. */
const mpRow = (r) => [r.slice(0, 6), r.slice(7, 19), r.slice(20, 32), r.slice(34, 44), r.slice(47)];

describe('memory_profiler', () => {
  for (const name of ['mp_report', 'mp_seed', 'mp_nested']) {
    test(`${name}.py: the report's structure and deterministic columns match the real tool's`, () => {
      const ours = mpParse(ok(run(fixture(`${name}.py`), `${name}.py`)));
      const real = mpParse(fixture(`${name}.out`));
      assert.equal(ours.length, real.length);
      for (let i = 0; i < real.length; i++) {
        const [a, b] = [ours[i], real[i]];
        if (typeof b === 'string') { assert.equal(a, b); continue; }
        assert.equal(typeof a, 'object', `item ${i} is a report`);
        for (const k of ['filename', 'blank', 'header', 'rule']) assert.equal(a[k], b[k]);
        assert.equal(a.rows.length, b.rows.length);
        a.rows.forEach((row, j) => {
          const [x, y] = [mpRow(row), mpRow(b.rows[j])];
          assert.equal(row.length > 47 ? x[0] : row, row.length > 47 ? y[0] : b.rows[j]);
          assert.equal(x[3], y[3], `occurrences of ${y[0]}`);
          assert.equal(x[4], y[4], `contents of ${y[0]}`);
          for (const c of [1, 2]) {
            if (!y[c].trim()) { assert.equal(x[c].trim(), ''); continue; }
            const prec = y[c].trim().split(' ')[0].split('.')[1].length;
            assert.match(x[c], new RegExp(`^ *-?\\d+\\.\\d{${prec}} MiB$`));
            assert.equal(x[c].length, y[c].length);
          }
        });
      }
    });
  }

  test('@profile while tracemalloc traces: both line listeners run, each once', () => {
    const src = fixture('mp_seed.py');
    const traced = ok(run(`import tracemalloc\ntracemalloc.start()\n${src}tracemalloc.stop()\n`, 'mp_seed.py'));
    const plain = ok(run(src, 'mp_seed.py'));
    const rows = (t) => mpParse(t).find((x) => typeof x === 'object').rows.map((r) => [mpRow(r)[0], mpRow(r)[3], mpRow(r)[4]]);
    assert.deepEqual(rows(traced), rows(plain).map(([n, o, c]) => [String(Number(n) + 2).padStart(6), o, c]));
    withVm(`import tracemalloc\ntracemalloc.start()\n${src}tracemalloc.stop()\n`, 'mp_seed.py', (vm) => {
      assert.equal(vm.lineHook, null);   // every listener removed, none left twice
      assert.deepEqual(vm.lineListeners, []);
    });
  });

  test('memory follows the model footprint: a 152.6 MiB list shows its exact increment and its release', () => {
    const ours = ok(run(fixture('mp_report.py'), 'mp_report.py'));
    const real = fixture('mp_report.out');
    const row = (text, n) => mpRow(text.split('\n').find((l) => l.startsWith(String(n).padStart(6))));
    for (const n of [9, 10]) assert.equal(row(ours, n)[2], row(real, n)[2]);   // 2*10**7 8-byte slots
    assert.equal(row(ours, 6)[1], row(ours, 6)[2]);                            // first row: usage = increment
  });

  test('the formatter rounds like Python (formats.txt, recorded)', () => {
    const cases = FORMATS.filter((f) => f[0] === 'f');
    assert.ok(cases.length > 10);
    for (const [, x, p, w, want] of cases) assert.equal(formatFixed(pyFloat(x), Number(p), Number(w)), pyStr(want), `${x} .${p}f`);
  });
});

// ---- objgraph -------------------------------------------------------------------

const GROWTH = /^(\S+) +(\d+) +([+-]\d+)$/;

/** DOT text with object ids numbered by first appearance and addresses hidden. */
function normalizeDot(text) {
  const ids = new Map();
  return text.replace(/(?<![A-Za-z0-9])o\d+/g, (m) => {
    if (!ids.has(m)) ids.set(m, `n${ids.size + 1}`);
    return ids.get(m);
  }).replace(/ at 0x[0-9a-f]+/g, ' at ADDR');
}

describe('objgraph', () => {
  test('og_counts.py: counts, chains and tables as the real objgraph prints them', () => {
    const ours = lines(ok(run(fixture('og_counts.py'), 'og_counts.py')));
    const real = lines(fixture('og_counts.out'));
    // show_growth rows: names, order and deltas of the program's own growth;
    // rows of one object are CPython's start-up internals (run-dependent)
    const growth = (ls) => ls.filter((l) => GROWTH.test(l)).map((l) => l.match(GROWTH)).filter((m) => Number(m[3]) > 1);
    const [g1, g2] = [growth(ours), growth(real)];
    assert.deepEqual(g1.map((m) => [m[1], m[3]]), g2.map((m) => [m[1], m[3]]));
    assert.deepEqual(g1.find((m) => m[1] === 'Node'), g2.find((m) => m[1] === 'Node'));
    const width = (ls) => ls.filter((l) => GROWTH.test(l)).map((l) => l.length);
    assert.deepEqual(width(ours).slice(0, 2), width(real).slice(0, 2));
    assert.deepEqual(ours.filter((l) => !GROWTH.test(l)), real.filter((l) => !GROWTH.test(l)));
  });

  test('og_graph.py: messages and DOT files as the real objgraph writes them', () => {
    withVm(fixture('og_graph.py'), 'og_graph.py', (vm, out) => {
      assert.equal(out, fixture('og_graph.out'));
      for (const f of ['refs.dot', 'back.dot', 'chain.dot']) {
        assert.equal(normalizeDot(vm.files.get(f)), normalizeDot(fixture(`og_graph.${f}`)), f);
      }
      // many.dot: the type object's referents differ (CPython's type holds more); the
      // first two levels (the root, its referents, the list's cut at too_many) agree
      const head = (t) => normalizeDot(t).split('\n').slice(0, 20);
      assert.deepEqual(head(vm.files.get('many.dot')), head(fixture('og_graph.many.dot')));
    });
  });

  test("formatG prints like Python's %g (formats.txt, recorded)", () => {
    const cases = FORMATS.filter((f) => f[0] === 'g');
    assert.ok(cases.length > 5);
    for (const [, x, want] of cases) assert.equal(formatG(pyFloat(x)), pyStr(want), x);
  });

});
