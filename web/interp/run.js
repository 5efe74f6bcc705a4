// run.js — run a Python program on a fresh heap, as `python3.12 FILE` would:
// stdout/stderr text and the exit status (1 for an uncaught exception, with
// the traceback on stderr; the status of SystemExit).

import { load } from '../lib/load.js';
import { VM, PyException, VMStop } from './vm.js';
import { PySyntaxError, UnsupportedError, formatSyntaxError } from './errors.js';

/**
 * @param {string} source
 * @param {{ filename?: string, stdout?: (s: string) => void, stderr?: (s: string) => void,
 *           maxInstructions?: number, raw?: import('../lib/raw.js').RawModule }} [opts]
 * @returns {Promise<{ status: number }>}
 */
export async function runSource(source, opts = {}) {
  const raw = opts.raw ?? await load();
  return runWith(raw, source, opts);
}

/** Synchronous run on a loaded module: a fresh heap, freed at the end. */
export function runWith(raw, source, opts = {}) {
  const filename = opts.filename ?? '<string>';
  const stdout = opts.stdout ?? ((s) => process.stdout.write(s));
  const stderr = opts.stderr ?? ((s) => process.stderr.write(s));
  const h = raw.heap_new(0, 0);
  if (!h) throw new Error('pyheap: cannot create a heap');
  let status = 0;
  let vm;
  try {
    vm = new VM(raw, h, { filename, source, stdout, stderr, maxInstructions: opts.maxInstructions, lineHook: opts.lineHook });
    try {
      vm.runModule(source);
    } catch (e) {
      status = handleTopLevel(vm, e, source, filename, stderr);
    }
    if (status !== 2) {
      try { vm.shutdown(); } catch (e) { if (!(e instanceof PyException)) throw e; }
    }
  } finally {
    raw.hosts.delete(h);
    raw.heap_free(h);
  }
  return { status };
}

/**
 * What `python3.12 FILE` does with what ended a program: a syntax error, an
 * unsupported construct, a stop (budget), SystemExit (its code: an int is the
 * status, anything else is printed and the status is 1; None is 0) or an
 * uncaught exception (its traceback, status 1). Writes to stderr, returns the
 * exit status. Shared by runWith and the playground's Session.
 */
export function handleTopLevel(vm, e, source, filename, stderr) {
  if (e instanceof PySyntaxError) { stderr(formatSyntaxError(e, source, filename)); return 1; }
  if (e instanceof UnsupportedError || e?.name === 'UnsupportedError') { stderr(`${e.message}\n`); return 2; }
  if (e instanceof VMStop) { stderr(`${e.message}\n`); return e.status; }
  if (!(e instanceof PyException)) throw e;
  const exc = e.exc;
  if (vm.excMatches(exc, vm.excClasses.get('SystemExit'))) {
    const args = vm.excArgs(exc);
    let st = 0;
    if (args.length && args[0] !== vm.none) {
      if (vm.typeId(args[0]) === 5) st = vm.raw.vm_int_value(vm.h, args[0]);
      else { stderr(`${vm.toStr(args[0])}\n`); st = 1; }
    }
    for (const a of args) vm.decref(a);
    vm.decref(exc);
    return st;
  }
  stderr(vm.formatException(exc));
  vm.excTb.delete(exc);
  vm.decref(exc);
  return 1;
}
