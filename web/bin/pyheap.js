#!/usr/bin/env node
// pyheap — run a Python program on pyheap's model of CPython 3.12's memory.
//
//   pyheap run FILE.py     prints what python3.12 FILE.py prints, exits with its status

import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSource } from '../interp/run.js';

// Python recursion (1000 frames before RecursionError) needs more JavaScript
// stack than V8's default: run again with a larger one.
if (!process.execArgv.some((a) => a.startsWith('--stack-size'))) {
  const r = spawnSync(process.execPath, ['--stack-size=4000', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const [cmd, file] = process.argv.slice(2);
if (cmd !== 'run' || !file) {
  process.stderr.write('usage: pyheap run FILE.py\n');
  process.exit(2);
}
let source;
try {
  source = readFileSync(file, 'utf8');
} catch (e) {
  process.stderr.write(`pyheap: can't open file '${file}': ${e.message}\n`);
  process.exit(2);
}
const out = [];
const err = [];
const { status } = await runSource(source, {
  filename: file,
  stdout: (s) => out.push(s),
  stderr: (s) => { process.stdout.write(out.splice(0).join('')); process.stderr.write(s); },
});
process.stdout.write(out.join(''));
process.exitCode = status;
void err;
