// hosttrace.test.js — the playground's own tracemalloc trace (Session option
// hostTrace, web/interp/session.js) is invisible to the program: every
// conformance program run to the end under it prints exactly what python3.12
// printed (tests/conformance/expected/, recorded by
// tests/record/record_conformance.sh), tracemalloc's programs included; a
// program that never starts tracing sees is_tracing() False while the core
// traces its lines; a program's start() replaces the host's trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from '../../web/lib/load.js';
import { createSession } from '../../web/interp/session.js';
import { snapshotOf, blobLineGroups, sortedStatistics } from '../../web/lib/tracemalloc.js';

const DIR = fileURLToPath(new URL('../conformance/', import.meta.url));
const raw = await load();
// programs whose recursion needs a bigger JavaScript stack than node's default (conformance.test.js runs them in a worker)
const DEEP = /recursion|deep/;
const programs = readdirSync(DIR).filter((f) => f.endsWith('.py') && !DEEP.test(f)).map((f) => f.slice(0, -3)).sort();

function runSession(name, source, hostTrace) {
  let out = '', err = '';
  const s = createSession(raw, source, {
    filename: `${name}.py`, hostTrace, maxInstructions: 50_000_000,
    onStdout: (t) => { out += t; }, onStderr: (t) => { err += t; },
  });
  const st = s.run();
  s.stop();
  return { out, err, status: st.status };
}

test('every conformance program prints the same with and without the host trace', () => {
  assert.ok(programs.length > 20);
  const differ = [];
  for (const name of programs) {
    const source = readFileSync(`${DIR}${name}.py`, 'utf8');
    if (JSON.stringify(runSession(name, source, true)) !== JSON.stringify(runSession(name, source, false))) differ.push(name);
  }
  assert.deepEqual(differ, []);
});

test('tracemalloc\'s conformance programs print python3.12\'s output under the host trace', () => {
  const names = programs.filter((n) => /tracemalloc/.test(n));
  assert.ok(names.length >= 5);
  for (const name of names) {
    const want = (ext) => readFileSync(`${DIR}expected/${name}.${ext}`, 'utf8');
    const got = runSession(name, readFileSync(`${DIR}${name}.py`, 'utf8'), true);
    assert.deepEqual(got, { out: want('stdout'), err: want('stderr'), status: Number(want('status').trim()) }, name);
  }
});

/** A session stepped to the first line event at `line` (replays from the start each step). */
function stepToLine(s, line) {
  for (let st = s.step(); !st.done; st = s.step()) if (st.line === line) return st;
  throw new Error(`line ${line} never reached`);
}

test('the host traces lines while the program sees no tracing', () => {
  const src = 'import tracemalloc\nrows = [str(i) * 10 for i in range(100)]\nprint(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())\nx = 1\n';
  let out = '';
  const s = createSession(raw, src, { filename: 'main.py', hostTrace: true, onStdout: (t) => { out += t; } });
  stepToLine(s, 4);
  assert.equal(out, 'False (0, 0)\n');
  const row = snapshotOf(raw, s.heap).top('lineno', 100).find((t) => t.filename === 'main.py' && t.lineno === 2);
  assert.ok(row && row.count >= 100, 'the 100 strings of line 2 are traced there');
  s.stop();
});

test('a program\'s start() replaces the host trace, stop() restarts it empty', () => {
  const src = 'import tracemalloc\nearly = [str(i) * 10 for i in range(100)]\ntracemalloc.start(3)\nlate = [str(i) * 10 for i in range(5)]\n'
    + 'print(tracemalloc.get_traceback_limit(), [s.traceback[0].lineno for s in tracemalloc.take_snapshot().statistics("lineno")][:1])\n'
    + 'tracemalloc.stop()\nprint(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())\nz = 1\n';
  let out = '';
  const s = createSession(raw, src, { filename: 'main.py', hostTrace: true, onStdout: (t) => { out += t; } });
  stepToLine(s, 5);   // only line 4 traced (the program's trace)
  const lines = snapshotOf(raw, s.heap).top('lineno', 10).map((t) => t.lineno);
  assert.ok(lines.includes(4) && !lines.includes(2), `lines ${lines}`);
  stepToLine(s, 8);
  assert.equal(out, '3 [4]\nFalse 3\n');
  assert.deepEqual(snapshotOf(raw, s.heap).top('lineno', 10).map((t) => t.lineno).filter((l) => l === 2 || l === 4), []);
  s.stop();
});

test('blobLineGroups gives Snapshot.statistics(\'lineno\') exactly', () => {
  let compared = 0;
  for (const name of programs.filter((n) => /tracemalloc|gc_|list/.test(n)).slice(0, 12)) {
    const s = createSession(raw, readFileSync(`${DIR}${name}.py`, 'utf8'), { filename: `${name}.py`, hostTrace: true, pauseAtEnd: true });
    s.run();
    const snap = snapshotOf(raw, s.heap);
    if (snap) {
      const want = snap.statistics('lineno').map(String);
      const got = sortedStatistics(blobLineGroups(raw, raw.tm_snapshot(s.heap)).groups).map(String);
      assert.deepEqual(got, want, name);
      if (want.length > 1) compared++;
    }
    s.stop();
  }
  assert.ok(compared >= 4, `${compared} programs compared`);
});

test('an abort inside a generator (a slice\'s budget, a pause) unwinds the traced frames', () => {
  const src = 'def gen(n):\n    for i in range(n):\n        yield [i]\n\nitems = list(gen(3000))\nprint(len(items))\n';
  let out = '';
  const s = createSession(raw, src, { filename: 'main.py', hostTrace: true, pauseAtEnd: true, onStdout: (t) => { out += t; } });
  let st = s.goTo(Infinity, 5_000);   // the budget runs out while gen(3000) runs
  assert.equal(st.done, false);
  const inGen = stepToLine(s, 3);      // paused inside the generator's body
  assert.equal(inGen.frames[inGen.frames.length - 1].name, 'gen');
  st = s.goTo(Infinity);
  assert.equal(st.atEnd, true);
  assert.equal(out, '3000\n');
  s.stop();
});
