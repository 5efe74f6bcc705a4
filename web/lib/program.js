// program.js — the interpreter as the package exports it: run() a Python
// program and get its output, or step through it with a session.
//
//   import { run, createSession } from 'pyheap';
//   const { stdout, stderr, status } = await run('import gc\nprint(gc.collect())\n');
//
//   const s = await createSession(source);
//   s.step();                          // to the first line event
//   const snap = s.snapshot();         // { objects, names } of the heap at this line
//   s.heap.stats();                    // the heap at this line (a read-only Heap view)
//   s.back(); s.run(); s.dispose();
//
// Both load the wasm module (memoized, see load.js) with the same options as
// createHeap(): `wasm` (URL, path, bytes or WebAssembly.Module) and `debug`.

import { load } from './load.js';
import { viewHeap } from './heap.js';
import { PyheapError } from './errors.js';
import { runWith } from '../interp/run.js';
import { createSession as createInterpSession } from '../interp/session.js';

const RUN_OPTIONS = new Set(['filename', 'wasm', 'debug', 'maxInstructions', 'stdout', 'stderr']);
const SESSION_OPTIONS = new Set(['filename', 'wasm', 'debug', 'maxInstructions', 'onStdout', 'onStderr']);

function invalid(call, hint) {
  return new PyheapError('EINVAL', `pyheap: ${call}: ${hint}`);
}

/** Check the source and the option names; returns the options object. */
function checkArgs(call, source, opts, known) {
  if (typeof source !== 'string') {
    throw invalid(call, `the program must be a string of Python source, got ${source === null ? 'null' : typeof source}`);
  }
  if (opts === null || typeof opts !== 'object') throw invalid(call, 'options must be an object');
  for (const k of Object.keys(opts)) {
    if (!known.has(k)) throw invalid(call, `unknown option ${JSON.stringify(k)} (known: ${[...known].join(', ')})`);
  }
  for (const k of ['stdout', 'stderr', 'onStdout', 'onStderr']) {
    if (opts[k] !== undefined && typeof opts[k] !== 'function') throw invalid(call, `options.${k} must be a function`);
  }
  const m = opts.maxInstructions;
  if (m !== undefined && !(Number.isInteger(m) && m > 0)) {
    throw invalid(call, `options.maxInstructions must be a positive integer, got ${String(m)}`);
  }
  return opts;
}

/**
 * Run a Python program on a fresh heap, as `python3.12 FILE` would.
 * Resolves to its output and exit status (1 for an uncaught exception, whose
 * traceback is in stderr; 2 for a construct the subset does not support).
 *
 * @param {string} source
 * @param {{ filename?: string, wasm?: any, debug?: boolean, maxInstructions?: number,
 *           stdout?: (s: string) => void, stderr?: (s: string) => void }} [options]
 * @returns {Promise<{ stdout: string, stderr: string, status: number }>}
 */
export async function run(source, options = {}) {
  const opts = checkArgs('run()', source, options, RUN_OPTIONS);
  const raw = await load({ wasm: opts.wasm, debug: opts.debug });
  let stdout = '', stderr = '';
  const { status } = runWith(raw, source, {
    filename: opts.filename,
    maxInstructions: opts.maxInstructions,
    stdout: (s) => { stdout += s; opts.stdout?.(s); },
    stderr: (s) => { stderr += s; opts.stderr?.(s); },
  });
  return { stdout, stderr, status };
}

/**
 * A steppable run of a program (see ProgramSession).
 *
 * @param {string} source
 * @param {{ filename?: string, wasm?: any, debug?: boolean, maxInstructions?: number,
 *           onStdout?: (s: string) => void, onStderr?: (s: string) => void }} [options]
 * @returns {Promise<ProgramSession>}
 */
export async function createSession(source, options = {}) {
  const opts = checkArgs('createSession()', source, options, SESSION_OPTIONS);
  const raw = await load({ wasm: opts.wasm, debug: opts.debug });
  return new ProgramSession(raw, source, opts);
}

const NOT_STARTED = Object.freeze({ done: false, line: null, frames: [], status: null });

/**
 * A program stepped line by line. Every position is reached by replaying the
 * program on a fresh heap (it is deterministic), so back() is exact. Output
 * callbacks get each piece of text once; `stdout` / `stderr` hold the text
 * printed up to the current position (shorter again after back()).
 */
export class ProgramSession {
  #s;
  #view = null;
  #disposed = false;
  #seen = { out: 0, err: 0 };

  /** @internal use createSession() */
  constructor(raw, source, opts) {
    this.#s = createInterpSession(raw, source, { filename: opts.filename, maxInstructions: opts.maxInstructions });
    this.onStdout = opts.onStdout ?? null;
    this.onStderr = opts.onStderr ?? null;
    /** The program's source. */
    this.source = source;
    /** Text printed to stdout / stderr up to the current position. */
    this.stdout = '';
    this.stderr = '';
  }

  /** Line events passed (0 before the first step). */
  get position() { return this.#s.position; }

  /** { done, line, frames: [{ name, line, names: { name: id } }], status } */
  get state() { return this.#s.state ?? NOT_STARTED; }

  /** Next line event. */
  step() { return this.#move('step()', () => this.#s.step()); }

  /** Previous line event (replays from the start). */
  back() { return this.#move('back()', () => this.#s.back()); }

  /** To line event n (0: not started; replays from the start). */
  goTo(n) {
    if (!Number.isInteger(n) || n < 0) throw invalid('goTo()', `the position must be an integer >= 0, got ${String(n)}`);
    if (n === 0) return this.reset();
    return this.#move(`goTo(${n})`, () => this.#s.goTo(n));
  }

  /** To the end, or `maxSteps` line events on. */
  run(opts = {}) { return this.#move('run()', () => this.#s.run(opts)); }

  /** run() in slices, yielding to the event loop in between (a page stays responsive). */
  async runSliced(opts = {}) {
    const collect = this.#begin('runSliced()');
    const st = await this.#s.runSliced(opts);
    if (this.#disposed) {
      this.#s.stop();   // disposed between slices: free the heap the last slice made
      return st;
    }
    return collect(st);
  }

  /** Back to the start: no heap, no output. */
  reset() {
    this.#live('reset()');
    this.#forget();
    this.#s.stop();
    this.#s.position = 0;
    this.#s.state = null;
    this.stdout = '';
    this.stderr = '';
    return this.state;
  }

  /**
   * The heap at the current position, as a Heap whose every reading method
   * works (stats(), arenas(), snapshot(), gc.getCount(), ...). It is a view:
   * the session owns the heap, and the view stops working (EDEAD) at the
   * next move. null before the first step.
   * @returns {import('./heap.js').Heap | null}
   */
  get heap() {
    this.#live('heap');
    const h = this.#s.heap;
    if (!h) return null;
    return (this.#view ??= viewHeap(this.#s.raw, h));
  }

  /**
   * The object graph at the current position (Heap.snapshot) with the
   * frames' names as roots. `names`: [{ name, id, frame }] — the module's
   * globals by their name, a function's locals as `function.name`.
   */
  snapshot() {
    const heap = this.heap;
    if (!heap) return { objects: [], names: [] };
    const names = [];
    for (const f of this.state.frames ?? []) {
      for (const [name, id] of Object.entries(f.names)) {
        names.push({ name: f.name === '<module>' ? name : `${f.name}.${name}`, id, frame: f.name });
      }
    }
    const ids = [...new Set(names.map((n) => n.id))];
    try {
      return { objects: heap.snapshot(ids).objects, names };
    } catch (e) {
      // A pause requested inside __del__ / a weakref callback reports the
      // frames of that line event, but takes effect at the next line event
      // outside it (or at the end): objects those frames named may be gone.
      // Keep the names whose object is still alive.
      if (!(e instanceof PyheapError) || e.code === 'ECORRUPT' || e.code === 'EDEAD') throw e;
      const live = new Set(ids.filter((id) => {
        try { heap.snapshot([id]); return true; } catch { return false; }
      }));
      const kept = names.filter((n) => live.has(n.id));
      return { objects: heap.snapshot([...live]).objects, names: kept };
    }
  }

  /** Frees the session's heap; the session is unusable afterwards. Idempotent. */
  dispose() {
    if (this.#disposed) return;
    this.#forget();
    this.#s.stop();
    this.#disposed = true;
  }

  #live(call) {
    if (this.#disposed) throw new PyheapError('EDEAD', `pyheap: session.${call}: the session was disposed`);
  }

  #forget() {
    this.#view?.dispose();
    this.#view = null;
  }

  #move(call, fn) {
    return this.#begin(call)(fn());
  }

  /** Prepare a move; the returned function takes its state and updates the output. */
  #begin(call) {
    this.#live(call);
    this.#forget();
    // ask for all the output up to the new position, not only the new part
    // (runSliced's slices each add what the previous ones did not deliver)
    this.#s.delivered = { out: 0, err: 0 };
    let out = '', err = '';
    this.#s.onStdout = (s) => { out += s; };
    this.#s.onStderr = (s) => { err += s; };
    return (st) => {
      this.stdout = out;
      this.stderr = err;
      this.#emit();
      return st;
    };
  }

  /** Text beyond what the callbacks were given before goes to them. */
  #emit() {
    if (this.stdout.length > this.#seen.out) {
      this.onStdout?.(this.stdout.slice(this.#seen.out));
      this.#seen.out = this.stdout.length;
    }
    if (this.stderr.length > this.#seen.err) {
      this.onStderr?.(this.stderr.slice(this.#seen.err));
      this.#seen.err = this.stderr.length;
    }
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() { this.dispose(); }
}
