// conformance.test.js — every program in tests/conformance runs through the
// interpreter (web/interp/run.js, the code behind `pyheap run`), and its
// stdout, stderr and exit status must equal what python3.12 printed
// (expected/, recorded by tests/record/record_conformance.sh), byte for byte.
//
// KNOWN_FAILURES lists programs that fail for a documented reason; they are
// still run and reported, and a listed program that passes fails the suite
// (so the list can only shrink). Anything else that differs is a failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from '../../web/lib/load.js';
import { runWith } from '../../web/interp/run.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const BIN = fileURLToPath(new URL('../../web/bin/pyheap.js', import.meta.url));

/** name -> reason */
const KNOWN_FAILURES = new Map([
]);

const programs = readdirSync(DIR).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();

if (KNOWN_FAILURES.size) {
  console.log(`conformance: ${KNOWN_FAILURES.size} known failures:\n${[...KNOWN_FAILURES].map(([n, r]) => `  ${n}: ${r}`).join('\n')}`);
}

const raw = await load();

function run(name) {
  const source = readFileSync(`${DIR}${name}.py`, 'utf8');
  let out = '', err = '';
  const { status } = runWith(raw, source, {
    filename: `${name}.py`,
    stdout: (s) => { out += s; },
    stderr: (s) => { err += s; },
    maxInstructions: 50_000_000,
  });
  return { out, err, status };
}

function expected(name) {
  const r = (ext) => readFileSync(`${DIR}expected/${name}.${ext}`, 'utf8');
  return { out: r('stdout'), err: r('stderr'), status: Number(r('status').trim()) };
}

test('every program has recorded expectations', () => {
  assert.ok(programs.length > 0);
  for (const name of programs) assert.doesNotThrow(() => expected(name), `expected/${name}.* missing: run tests/record/record_conformance.sh ${name}`);
});

for (const name of programs) {
  test(`conformance: ${name}`, () => {
    const exp = expected(name);
    let got;
    try {
      got = run(name);
    } catch (e) {
      got = { out: '', err: `internal error: ${e.stack}`, status: -1 };
    }
    const same = got.out === exp.out && got.err === exp.err && got.status === exp.status;
    if (KNOWN_FAILURES.has(name)) {
      assert.ok(!same, `${name} passes now: remove it from KNOWN_FAILURES`);
      return;
    }
    assert.equal(got.out, exp.out, `${name}: stdout`);
    assert.equal(got.err, exp.err, `${name}: stderr`);
    assert.equal(got.status, exp.status, `${name}: exit status`);
  });
}

test('pyheap run: output and exit status of an uncaught exception', () => {
  const r = spawnSync(process.execPath, [BIN, 'run', 'error_attribute.py'], { cwd: DIR, encoding: 'utf8' });
  const exp = expected('error_attribute');
  assert.equal(r.stdout, exp.out);
  assert.equal(r.stderr, exp.err);
  assert.equal(r.status, exp.status);
});

test('pyheap run: usage error', () => {
  const r = spawnSync(process.execPath, [BIN], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: pyheap run FILE.py/);
});
