// startup.test.js — the free lists a program starts with (web/interp/vm.js
// STARTUP_FREELISTS, filled by pmw_startup_freelists after the module's code
// object): `sys._debugmallocstats()` on a script's second line reports the
// lengths python3.12 reported for the same script
// (tests/fixtures/startup_freelists.txt, recorded by
// tests/record/startup_freelists.sh). The conformance program
// startup_freelists checks what a program sees of them (gc.get_count()).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runSource } from '../../web/interp/run.js';

const FIXTURE = new URL('../fixtures/startup_freelists.txt', import.meta.url);

async function run(source) {
  let out = '', err = '';
  const { status } = await runSource(source, { filename: 'start.py', stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { status, out, err };
}

test('the free lists at the first line are those python3.12 reported', async () => {
  const want = Object.fromEntries(readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
  assert.equal(Object.keys(want).length, 23);
  const { status, err } = await run('import sys\nsys._debugmallocstats()\n');
  assert.equal(status, 0);
  const got = {};
  for (const line of err.split('\n')) {
    let m = line.match(/^\s*(\d+) free Py(Float|List|Dict)Objects /);
    if (m) got[m[2].toLowerCase()] = Number(m[1]);
    m = line.match(/^\s*(\d+) free (\d+)-sized PyTupleObjects /);
    if (m) got[`tuple${m[2]}`] = Number(m[1]);
  }
  assert.deepEqual(got, want);
});
