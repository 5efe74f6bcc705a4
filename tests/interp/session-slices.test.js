// session-slices.test.js — runSlice / runSliced (web/interp/session.js): a
// run in slices continues the live program between slices (no replay), and
// leaves the same heap, output and state as one uninterrupted run; a run that
// stays inside a function past a slice is replayed in slices instead, with the
// same result; stopSlices() pauses where goTo(position) would; the budget
// still stops a runaway loop with its message.
//
// Every comparison is between two runs of the same program in this
// interpreter (an uninterrupted goTo against the sliced one): the sliced run
// must not be observable. What the programs print is python3.12's (their
// output is checked against the uninterrupted run, itself checked against
// python3.12 by the conformance suite).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../../web/lib/load.js';
import { viewHeap } from '../../web/lib/heap.js';
import { createSession } from '../../web/interp/session.js';

const raw = await load();

const PROGRAMS = {
  module_loop: 'import gc\nobjs = [[] for i in range(3000)]\nfor i in range(0, len(objs), 2):\n    objs[i] = None\nprint(len(objs), gc.collect())\n',
  finalizers: [
    'import gc',
    'class A:',
    '    def __del__(self):',
    '        print("del", self.n)',
    'out = []',
    'for i in range(400):',
    '    a = A()',
    '    a.n = i',
    '    a.me = a',
    '    if i % 50 == 0:',
    '        print(i, gc.collect())',
    'del a',
    'print(gc.collect())',
  ].join('\n') + '\n',
  generator_try: [
    'def gen(n):',
    '    for i in range(n):',
    '        yield [i] * 3',
    'total = 0',
    'for x in gen(2000):',
    '    try:',
    '        total += x[0] // (x[0] % 7)',
    '    except ZeroDivisionError as e:',
    '        total -= 1',
    'print(total)',
  ].join('\n') + '\n',
  // the work inside one function call: slices cannot suspend there (given up, replayed)
  in_function: 'def main():\n    d = {}\n    for i in range(5000):\n        d[i] = str(i)\n    return len(d)\nprint(main())\nx = [main() for _ in range(2)]\nprint(x)\n',
  fails: 'xs = []\nfor i in range(2000):\n    xs.append(i)\nprint(len(xs))\nraise ValueError("late")\n',
};

function session(source, opts = {}) {
  const io = { out: '', err: '', lines: [] };
  const s = createSession(raw, source, {
    filename: 'main.py', pauseAtEnd: true, hostTrace: true,
    onStdout: (t) => { io.out += t; }, onStderr: (t) => { io.err += t; },
    onHeap: (h) => raw.gc_trace_enable(h, 1),
    onLine: (count, line) => io.lines.push([count, line]),
    ...opts,
  });
  return { s, io };
}

/** Everything observable about the session's heap at its position. */
function observe(s, st) {
  const v = viewHeap(raw, s.heap);
  try {
    const roots = st.frames.flatMap((f) => Object.values(f.names));
    const snap = v.snapshot(roots);
    const stats = v.stats();
    return {
      position: s.position, done: st.done, atEnd: !!st.atEnd, status: st.status, line: st.line,
      frames: st.frames, stats, counts: v.gc.getCount(),
      objects: snap.objects.map((o) => [o.id, o.type, o.refcount, o.size, o.refs.join(',')].join(' ')),
    };
  } finally {
    v.dispose();
  }
}

function uninterrupted(source) {
  const { s, io } = session(source);
  const st = s.goTo(Infinity);
  const seen = observe(s, st);
  const instructions = s.vm.instructions;
  s.stop();
  return { seen, io, instructions };
}

for (const [name, source] of Object.entries(PROGRAMS)) {
  test(`${name}: a run in slices ends as one uninterrupted run does`, () => {
    const want = uninterrupted(source);
    for (const slice of [97, 1000, 20_000]) {
      const { s, io } = session(source);
      s.startSlices();
      let st, slices = 0, outDuring = '';
      for (;;) {
        st = s.runSlice(slice);
        slices++;
        if (!st.running) break;
        outDuring = io.out;
        assert.ok(s.slicing, 'a sliced run is under way between slices');
        assert.ok(slices < 100_000, 'the slices make progress');
      }
      assert.ok(!s.slicing);
      assert.deepEqual(observe(s, st), want.seen, `slice ${slice}: the same heap and state at the end`);
      assert.equal(io.out, want.io.out, `slice ${slice}: stdout once, in order`);
      assert.equal(io.err, want.io.err, `slice ${slice}: stderr once, in order`);
      assert.ok(want.io.out.startsWith(outDuring));
      // sampling callers see each line event; a replayed slice repeats the ones before it
      const firsts = new Map();
      for (const [c, l] of io.lines) if (!firsts.has(c)) firsts.set(c, l);
      assert.deepEqual([...firsts], want.io.lines, `slice ${slice}: every line event, in order`);
      if (name !== 'in_function') {
        assert.ok(slices > want.instructions / slice / 2, `slice ${slice}: ${slices} slices for ${want.instructions} instructions`);
        assert.equal(io.lines.length, want.io.lines.length, `slice ${slice}: no line event twice (no replay)`);
        assert.equal(s.vm.instructions, want.instructions, `slice ${slice}: the instructions of one run, counted once`);
      }
      s.stop();
    }
  });
}

test('a run that stays inside a function past its slice is replayed in slices, and still yields', () => {
  const { s, io } = session(PROGRAMS.in_function);
  s.startSlices();
  const budgets = [];
  for (;;) {
    const st = s.runSlice(1000);
    if (!st.running) break;
    if (s.replayBudget) budgets.push(s.replayBudget);
  }
  assert.ok(budgets.length >= 2, `replayed in slices: ${budgets}`);
  budgets.forEach((b, i) => { if (i) assert.equal(b, budgets[i - 1] * 4, 'growing budgets'); });
  assert.equal(io.out, uninterrupted(PROGRAMS.in_function).io.out);
  s.stop();
});

test('stopSlices() pauses where goTo(position) does: the same heap and state', () => {
  for (const name of ['module_loop', 'finalizers', 'generator_try']) {
    const { s } = session(PROGRAMS[name]);
    s.startSlices();
    for (let i = 0; i < 5; i++) assert.equal(s.runSlice(500).running, true);
    const at = s.position;
    const st = s.stopSlices();
    assert.equal(st.done, false);
    assert.equal(s.position, at);
    assert.equal(s.slicing, false);
    const got = observe(s, st);
    const gotNext = observe(s, s.step());
    // the same session replayed to the same position (a fresh heap: the same addresses)
    const want = observe(s, s.goTo(at));
    assert.deepEqual(got, want, `${name}: stopped at ${at} = replayed to ${at}`);
    assert.deepEqual(gotNext, observe(s, s.step()), `${name}: the step after it`);
    s.stop();
  }
  const { s } = session('x = 1\n');
  assert.throws(() => s.stopSlices(), /no sliced run is suspended/);
  assert.throws(() => s.suspendedAt(), /no sliced run is suspended/);
});

test('another move during a sliced run replaces it', () => {
  const { s } = session(PROGRAMS.module_loop);
  s.startSlices();
  assert.equal(s.runSlice(500).running, true);
  s.goTo(3);
  assert.equal(s.slicing, false);
  assert.equal(s.position, 3);
  s.stop();
});

test('the budget stops a runaway loop in slices, with its message', async () => {
  for (const source of ['while True:\n    pass\n', 'x = []\nwhile True:\n    x.append(1)\n', 'def f():\n    while True:\n        pass\nf()\n']) {
    let err = '';
    const s = createSession(raw, source, { filename: 'loop.py', onStderr: (t) => { err += t; }, maxInstructions: 200_000 });
    const st = await s.runSliced({ slice: 10_000 });
    assert.equal(st.done, true);
    assert.equal(st.status, 1);
    assert.equal(err, 'pyheap: stopped after 200000 instructions\n', JSON.stringify(source));
    s.stop();
  }
});

test('goTo with capture-ahead suspends where the capture stops; a goTo further on continues the live program', () => {
  // what a capture sees at a position (the live heap), leaving the heap's bytes as they were
  const live = (s, at) => {
    const saved = raw.u8.slice();
    try {
      const v = viewHeap(raw, s.heap);
      try {
        const snap = v.snapshot(at.frames.flatMap((f) => Object.values(f.names)));
        return { line: at.line, frames: at.frames, out: at.out, counts: v.gc.getCount(), stats: v.stats(), objects: snap.objects.map((o) => [o.id, o.type, o.refcount, o.size, o.refs.join(',')].join(' ')) };
      } finally {
        v.dispose();
      }
    } finally {
      raw.u8.set(saved);
    }
  };
  const ahead = (s, seen, n) => { let k = 0; return { capture: (at) => { seen.set(at.count, live(s, at)); return ++k < n; } }; };
  for (const name of ['module_loop', 'finalizers', 'generator_try', 'in_function']) {
    let heaps = 0;
    const { s, io } = session(PROGRAMS[name], { onHeap: (h) => { heaps++; raw.gc_trace_enable(h, 1); } });
    const seen = new Map();
    const st1 = s.goTo(40, Infinity, ahead(s, seen, 5));
    assert.equal(st1.done, false);
    assert.equal(s.position, 44, `${name}: the capture ran on to 44`);
    const suspended = Boolean(s.cont);
    if (name !== 'in_function') assert.ok(suspended, `${name}: suspended at a module-level position`);
    const st2 = s.goTo(60, Infinity, ahead(s, seen, 5));
    assert.equal(st2.line, seen.get(64).line);
    if (suspended) assert.equal(heaps, 1, `${name}: continued, not replayed`);
    // goTo(where it is suspended): the paused heap a replay to there leaves
    const got = observe(s, s.goTo(64));
    assert.equal(s.cont, null);
    assert.equal(io.out, uninterrupted(PROGRAMS[name]).io.out.slice(0, io.out.length), `${name}: output in order`);
    // each captured position equals the same position reached by a fresh replay (the same
    // session: a new heap in the old one's place, so the same addresses)
    for (const [count, want] of seen) {
      s.goTo(0);
      const one = new Map();
      s.goTo(count, Infinity, ahead(s, one, 1));
      assert.deepEqual(one.get(count), want, `${name}: position ${count} live, continued = replayed`);
    }
    s.goTo(0);
    assert.deepEqual(got, observe(s, s.goTo(64)), `${name}: paused at 64, continued = replayed`);
    s.stop();
  }
});

test('a capture-ahead run suspended: any other move ends it as a replay would', () => {
  const { s } = session(PROGRAMS.module_loop);
  const ahead = (n) => { let k = 0; return { capture: () => ++k < n }; };
  const at10 = observe(s, s.goTo(10));
  const atEnd = observe(s, s.goTo(Infinity));
  s.goTo(30, Infinity, ahead(3));
  assert.ok(s.cont);
  assert.deepEqual(observe(s, s.goTo(10)), at10, 'backwards: replayed');
  assert.equal(s.cont, null);
  s.goTo(30, Infinity, ahead(3));
  s.startSlices();                        // Run
  assert.equal(s.cont, null);
  let st;
  do st = s.runSlice(5000); while (st.running);
  assert.deepEqual(observe(s, st), atEnd, 'Run after it: the same end');
  s.stop();
});

test('a continued capture-ahead run ends as a replay does: an uncaught exception, SystemExit, the instruction budget', () => {
  const cases = [
    [PROGRAMS.fails, {}],
    ['import sys\nxs = []\nfor i in range(300):\n    xs.append(i)\nprint(len(xs))\nsys.exit(3)\n', {}],
    ['x = []\nwhile True:\n    x.append(1)\n', { maxInstructions: 50_000 }],
  ];
  const ahead = (n) => { let k = 0; return { capture: () => ++k < n }; };
  for (const [source, opts] of cases) {
    const want = session(source, opts);
    const end = observe(want.s, want.s.goTo(Infinity));
    want.s.stop();
    const { s, io } = session(source, opts);
    s.goTo(20, Infinity, ahead(3));
    assert.ok(s.cont, 'suspended after its capture');
    const st = s.goTo(1e9, Infinity, ahead(3));   // on to the end: the capture never comes
    assert.equal(s.cont, null);
    assert.deepEqual(observe(s, st), end, JSON.stringify(source));
    assert.equal(io.out, want.io.out);
    assert.equal(io.err, want.io.err);
    assert.ok(st.done && st.status !== 0, `ended with status ${st.status}`);
    s.stop();
  }
});
