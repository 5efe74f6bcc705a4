#!/usr/bin/env node
// cli.js — `pyheap run FILE.py`: run a Python program on pyheap's model of
// CPython 3.12's memory, printing what `python3.12 FILE.py` prints (stdout,
// tracebacks on stderr) and exiting with its status.
//
//   node web/cli.js run [--python 3.12] FILE.py
//   npx pyheap run FILE.py                 (package.json "bin": web/bin/pyheap.js)

import { readFileSync, realpathSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { runSource } from './interp/run.js';

const USAGE = `usage: pyheap run FILE.py
       pyheap run --python 3.12 FILE.py

Runs FILE.py on pyheap's model of CPython 3.12 (64-bit) memory management and
prints what python3.12 would print: sys.getrefcount, sys.getsizeof,
gc.collect() counts, __del__ and weakref callback order. Tracebacks go to
stderr; the exit status is the program's (1 for an uncaught exception).
Options:
  --python 3.12   the CPython version modelled (only 3.12 for now)
  --max-instructions N
                  stop the program after N bytecode instructions (default: no
                  limit, as python3.12; the playground stops at 20,000,000)
  -h, --help      this text
`;
const MODELS = new Set(['3.12']);

export async function main(argv) {
  const args = [...argv];
  if (args.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cmd = args.shift();
  if (cmd !== 'run') {
    process.stderr.write(`pyheap: unknown command '${cmd}'\n${USAGE}`);
    return 2;
  }
  let file, maxInstructions;
  while (args.length) {
    const a = args.shift();
    if (a === '--python' || a.startsWith('--python=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args.shift();
      if (!MODELS.has(v)) {
        process.stderr.write(`pyheap: --python ${v ?? ''}: only ${[...MODELS].join(', ')} is modelled\n`);
        return 2;
      }
    } else if ((a === '--max-instructions' || a.startsWith('--max-instructions=')) && file === undefined) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args.shift();
      maxInstructions = Number(v);
      if (!/^[1-9][0-9]*$/.test(v ?? '') || !Number.isSafeInteger(maxInstructions)) {
        process.stderr.write(`pyheap: --max-instructions ${v ?? ''}: expected a positive whole number\n`);
        return 2;
      }
    } else if (a.startsWith('-') && file === undefined) {
      process.stderr.write(`pyheap: unknown option ${a}\n${USAGE}`);
      return 2;
    } else if (file === undefined) {
      file = a;
    } else {
      break;   // arguments after the file are the program's (sys.argv is not modelled yet)
    }
  }
  if (file === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    // python3.12: can't open file '/abs/x.py': [Errno 2] No such file or directory
    const why = e.code === 'ENOENT' ? '[Errno 2] No such file or directory' : e.message;
    process.stderr.write(`pyheap: can't open file '${resolve(file)}': ${why}\n`);
    return 2;
  }
  const out = [];
  const { status } = await runSource(source, {
    filename: file,
    maxInstructions,
    stdout: (s) => out.push(s),
    // keep stdout and stderr in order, as an unbuffered terminal shows them
    stderr: (s) => { process.stdout.write(out.splice(0).join('')); process.stderr.write(s); },
  });
  process.stdout.write(out.join(''));
  return status;
}

// Run as a program (node web/cli.js, or the bin through npm's symlink), not
// when imported for main().
const real = (p) => { try { return realpathSync(p); } catch { return resolve(p); } };
const invoked = process.argv[1] ? real(process.argv[1]) : '';
if (invoked === real(fileURLToPath(import.meta.url))
    || invoked === real(fileURLToPath(new URL('./bin/pyheap.js', import.meta.url)))) {
  // Python's recursion limit (1000 frames) needs more JavaScript stack than
  // V8's default: run again with a larger one.
  if (!process.execArgv.some((a) => a.startsWith('--stack-size'))) {
    const r = spawnSync(process.execPath, ['--stack-size=4000', invoked, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  process.exitCode = await main(process.argv.slice(2));
}
