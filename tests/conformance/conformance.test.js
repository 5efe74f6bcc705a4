// conformance.test.js — every program in tests/conformance runs through the
// interpreter (web/interp/run.js, the code behind `pyheap run`), and its
// stdout, stderr and exit status must equal what python3.12 printed
// (expected/, recorded by tests/record/record_conformance.sh), byte for byte.
//
// KNOWN_FAILURES lists programs that fail for a documented reason; they are
// still run and reported, and a listed program that passes fails the suite
// (so the list can only shrink). Anything else that differs is a failure.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { load } from '../../web/lib/load.js';
import { runWith } from '../../web/interp/run.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const BIN = fileURLToPath(new URL('../../web/bin/pyheap.js', import.meta.url));

/** name -> reason */
const KNOWN_FAILURES = new Map([
]);

if (!isMainThread && workerData === 'runner') {
  const raw = await load();
  parentPort.on('message', ({ id, name }) => {
    const source = readFileSync(`${DIR}${name}.py`, 'utf8');
    let out = '', err = '', status;
    try {
      ({ status } = runWith(raw, source, {
        filename: `${name}.py`,
        stdout: (s) => { out += s; },
        stderr: (s) => { err += s; },
        maxInstructions: 50_000_000,
      }));
    } catch (e) {
      err += `internal error: ${e.stack}`;
      status = -1;
    }
    parentPort.postMessage({ id, result: { out, err, status } });
  });
}

if (isMainThread) main();

function main() {
  const programs = readdirSync(DIR).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();

  if (KNOWN_FAILURES.size) {
    console.log(`conformance: ${KNOWN_FAILURES.size} known failures:\n${[...KNOWN_FAILURES].map(([n, r]) => `  ${n}: ${r}`).join('\n')}`);
  }

  // The programs run in a worker thread with a larger stack: Python's
  // recursion limit (1000 frames) needs more JavaScript stack than V8's default
  // (the CLI re-executes itself with --stack-size for the same reason).
  const worker = new Worker(new URL(import.meta.url), { workerData: 'runner', resourceLimits: { stackSizeMb: 8 } });
  let nextId = 0;
  const pending = new Map();
  worker.on('message', ({ id, result }) => { pending.get(id)(result); pending.delete(id); });
  after(() => worker.terminate());

  function run(name) {
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ id, name });
    });
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
    test(`conformance: ${name}`, async () => {
      const exp = expected(name);
      const got = await run(name);
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

  test('pyheap run: --python selects the model; only 3.12 exists; a missing file is refused as python3.12 does', () => {
    let r = spawnSync(process.execPath, [BIN, 'run', '--python', '3.12', 'error_attribute.py'], { cwd: DIR, encoding: 'utf8' });
    assert.equal(r.stdout, expected('error_attribute').out);
    r = spawnSync(process.execPath, [BIN, 'run', '--python', '3.11', 'error_attribute.py'], { cwd: DIR, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /only 3\.12 is modelled/);
    r = spawnSync(process.execPath, [BIN, 'run', 'no_such_program.py'], { cwd: DIR, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /can't open file '.*no_such_program\.py': \[Errno 2\] No such file or directory/);
    r = spawnSync(process.execPath, [fileURLToPath(new URL('../../web/cli.js', import.meta.url)), 'run', 'error_attribute.py'],
      { cwd: DIR, encoding: 'utf8' });
    assert.equal(r.stderr, expected('error_attribute').err);
  });

  test('pyheap run --max-instructions N stops a runaway program with a clear message; a bad N is refused', () => {
    const loop = join(mkdtempSync(join(tmpdir(), 'pyheap-')), 'loop.py');
    writeFileSync(loop, 'print("start")\ni = 0\nwhile True:\n    i += 1\n');
    let r = spawnSync(process.execPath, [BIN, 'run', '--max-instructions', '50000', loop], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'start\n');
    assert.equal(r.stderr, 'pyheap: stopped after 50000 instructions\n');
    r = spawnSync(process.execPath, [BIN, 'run', '--max-instructions=0', loop], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--max-instructions 0: expected a positive whole number/);
    r = spawnSync(process.execPath, [BIN, 'run', '--max-instructions', '100000000', 'error_attribute.py'], { cwd: DIR, encoding: 'utf8' });
    assert.equal(r.stdout, expected('error_attribute').out);
    assert.equal(r.stderr, expected('error_attribute').err);
  });

  test('pyheap run: usage error', () => {
    const r = spawnSync(process.execPath, [BIN], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: pyheap run FILE.py/);
  });
}
