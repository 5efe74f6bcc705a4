// session.test.js — the stepping API (web/interp/session.js): the line
// events it stops at must be python3.12's sys.settrace 'line' events
// (tests/fixtures/interp_lines.json, tests/record/interp_lines.py), stepping
// back replays to the same state, output is delivered once, and the
// instruction budget stops a runaway loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../../web/lib/load.js';
import { createSession } from '../../web/interp/session.js';

const LINES = JSON.parse(readFileSync(new URL('../fixtures/interp_lines.json', import.meta.url), 'utf8'));
const src = (name) => readFileSync(new URL(`../conformance/${name}.py`, import.meta.url), 'utf8');
const expected = (name, ext) => readFileSync(new URL(`../conformance/expected/${name}.${ext}`, import.meta.url), 'utf8');
const raw = await load();

for (const [name, events] of Object.entries(LINES)) {
  test(`line events of ${name} are python3.12's`, () => {
    let out = '';
    const s = createSession(raw, src(name), { filename: `${name}.py`, onStdout: (t) => { out += t; } });
    const got = [];
    for (;;) {
      const st = s.step();
      if (st.done) break;
      const top = st.frames[st.frames.length - 1];
      got.push([top.name, st.line]);
      assert.ok(got.length <= events.length + 5, 'more line events than python3.12');
    }
    s.stop();
    assert.deepEqual(got, events);
    assert.equal(out, expected(name, 'stdout'), 'output delivered once, in order');
  });
}

test('stepping back replays to the same state', () => {
  const s = createSession(raw, 'a = []\nb = a\nc = [a, b]\nd = 1\n', { filename: 'x.py' });
  s.step(); s.step(); s.step();
  const st3 = s.step();     // about to run line 4: a, b, c bound
  assert.equal(st3.line, 4);
  const names = st3.frames[0].names;
  assert.ok(names.a && names.b && names.c);
  assert.equal(names.a, names.b);
  assert.equal(raw.pmw_vm_refcnt ? 0 : raw.vm_refcnt(names.a), 4);   // a, b and c's two slots
  const back = s.back();
  assert.equal(back.line, 3);
  assert.equal(back.frames[0].names.c, undefined);
  assert.equal(s.step().frames[0].names.a, names.a, 'same addresses on replay (determinism)');
  s.stop();
});

test('the instruction budget stops a runaway loop', () => {
  let err = '';
  const s = createSession(raw, 'while True:\n    pass\n', { filename: 'loop.py', onStderr: (t) => { err += t; }, maxInstructions: 10000 });
  const st = s.run();
  assert.equal(st.done, true);
  assert.equal(st.status, 1);
  assert.equal(err, 'pyheap: stopped after 10000 instructions\n');
  s.stop();
});

test('runSliced yields between slices and finishes', async () => {
  let out = '';
  const s = createSession(raw, 'n = 0\nfor i in range(3000):\n    n += i\nprint(n)\n', { onStdout: (t) => { out += t; } });
  const st = await s.runSliced({ slice: 5000 });
  assert.equal(st.done, true);
  assert.equal(out, '4498500\n');
  s.stop();
});

test('stdout and stderr keep the order of the writes (the switch points a console shows them by)', () => {
  const name = 'faith_stdio';
  let out = '', err = '';
  const s = createSession(raw, src(name), { filename: `${name}.py`, onStdout: (t) => { out += t; }, onStderr: (t) => { err += t; } });
  s.run();
  assert.equal(out, expected(name, 'stdout'));
  assert.equal(err, expected(name, 'stderr'));
  // print(..., file=sys.stderr) comes second, after the first stdout line; the traceback last
  assert.deepEqual(s.switches.slice(0, 3), [[false, 0], [true, 0], [false, 'to stdout\n'.length]]);
  assert.equal(err.slice(0, s.switches[3][1]), 'to stderr\n');
  const last = s.switches[s.switches.length - 1];
  assert.equal(last[0], true);
  assert.ok(err.slice(last[1]).startsWith('Traceback'));
  s.switches.forEach(([isErr], i) => { if (i) assert.notEqual(isErr, s.switches[i - 1][0], 'the streams alternate'); });
});

test('a program that ends with SystemExit: the session reports python3.12\'s exit status and output', () => {
  for (const name of ['exc_sys_exit', 'exc_objects', 'error_attribute']) {
    let out = '', err = '';
    const s = createSession(raw, src(name), { filename: `${name}.py`, onStdout: (t) => { out += t; }, onStderr: (t) => { err += t; } });
    const st = s.run();
    s.stop();
    assert.equal(st.done, true);
    assert.equal(st.status, Number(expected(name, 'status').trim()), `${name}: exit status`);
    assert.equal(out, expected(name, 'stdout'), `${name}: stdout`);
    assert.equal(err, expected(name, 'stderr'), `${name}: stderr`);
  }
});
