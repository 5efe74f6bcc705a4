// session.js — stepping a program for the playground (decision 10:
// determinism makes replay the stepping mechanism).
//
// A session owns its heap. Every position is reached by running the
// program from the start on a fresh heap until the k-th line event (as
// sys.settrace's 'line' events count them) and pausing there: the heap then
// holds exactly the objects CPython's heap would hold at that line, and the
// paused frames' locals are live references. step() goes to k + 1, back()
// to k - 1 (reset + replay), run() to the end. Output callbacks receive
// only text not delivered before, so replays do not repeat output.
//
// Budgets: run({ maxInstructions }) stops a runaway program with the error
// "pyheap: stopped after N instructions"; runSliced() runs in slices of
// `slice` instructions, yielding to the event loop between them (each slice
// replays from the start: deterministic, and no slice blocks for long).
//
// Options for viewers (the playground): onHeap(h) runs on each fresh heap
// before the program starts (e.g. to turn on the collector's phase trace);
// onLine(count, line) on every line event counted (e.g. to sample memory);
// pauseAtEnd adds one position after the last line, where the module has
// finished but the interpreter has not shut down yet (globals still bound:
// frames [{ name: '<module>', line: null, names }], state.atEnd true);
// run() then stops there, and the step after it shuts the interpreter down.
// hostTrace: tracemalloc traces from the first line (one frame per trace,
// mirrored frames) for the host's own panels, invisibly to the program: its
// tracemalloc module answers from the program's start()/stop() only, and a
// start() replaces the host's trace with the program's (see DESIGN.md).

import { VM, PyException, VMStop } from './vm.js';
import { formatSyntaxError, PySyntaxError } from './errors.js';

class Pause extends Error {}

const DEFAULT_MAX = 20_000_000;

/**
 * @param {import('../lib/raw.js').RawModule} raw the loaded module (web/lib/load.js load())
 * @param {string} source
 * @param {{ filename?: string, onStdout?: (s: string) => void, onStderr?: (s: string) => void,
 *           maxInstructions?: number }} [opts]
 */
export function createSession(raw, source, opts = {}) {
  return new Session(raw, source, opts);
}

export class Session {
  constructor(raw, source, opts) {
    this.raw = raw;
    this.source = source;
    this.filename = opts.filename ?? '<string>';
    this.onStdout = opts.onStdout ?? (() => {});
    this.onStderr = opts.onStderr ?? (() => {});
    this.maxInstructions = opts.maxInstructions ?? DEFAULT_MAX;
    this.onHeap = opts.onHeap ?? null;
    this.onLine = opts.onLine ?? null;
    this.pauseAtEnd = !!opts.pauseAtEnd;
    this.hostTrace = !!opts.hostTrace;
    this.h = 0;
    this.vm = null;
    this.position = 0;        // line events passed
    this.delivered = { out: 0, err: 0 };
    this.state = null;        // { done, line, frames, status }
  }

  /** The heap handle of the current position (valid until the next step/back/run/stop). */
  get heap() { return this.h; }

  /** Next line event; returns the state. */
  step() { return this.goTo(this.position + 1); }

  /** Previous line event (replay). */
  back() { return this.goTo(Math.max(0, this.position - 1)); }

  /** To the end (or maxSteps line events from here). */
  run({ maxSteps = Infinity, maxInstructions } = {}) {
    if (maxInstructions !== undefined) this.maxInstructions = maxInstructions;
    return this.goTo(maxSteps === Infinity ? Infinity : this.position + maxSteps);
  }

  /** run() in slices of `slice` instructions, yielding to the event loop in between. */
  async runSliced({ slice = 1_000_000, maxInstructions = this.maxInstructions } = {}) {
    for (let budget = slice; ; budget += slice) {
      const st = this.goTo(Infinity, Math.min(budget, maxInstructions));
      if (st.done || budget >= maxInstructions) return st;
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  /** Frees the heap. */
  stop() {
    this.reset();
    this.state = { done: true, line: null, frames: [], status: null };
    return this.state;
  }

  reset() {
    if (this.h) {
      this.raw.hosts.delete(this.h);
      this.raw.heap_free(this.h);
    }
    this.h = 0;
    this.vm = null;
  }

  /**
   * Replays to line event `target` and pauses there. With `ahead`, every
   * position from `target` on is first offered to ahead.capture({ count,
   * line, frames, out, err }) while the heap is live at it; the program goes
   * on to the next line while capture returns true, and pauses at the first
   * position it declines (or at the end). capture must leave the heap exactly
   * as it found it (byte for byte: later addresses depend on it).
   */
  goTo(target, sliceBudget = Infinity, ahead = null) {
    this.reset();
    const raw = this.raw;
    this.h = raw.heap_new(0, 0);
    this.onHeap?.(this.h);
    let out = '', err = '';
    // where the writes switch between the streams: [isErr, offset in that stream] at each switch,
    // so a console can show stdout and stderr in the order they were written
    const switches = [];
    let lastErr = null;
    const put = (isErr, s) => {
      if (lastErr !== isErr) { switches.push([isErr, isErr ? err.length : out.length]); lastErr = isErr; }
      if (isErr) err += s; else out += s;
    };
    this.switches = switches;
    let count = 0;
    let paused = null;
    const vm = new VM(raw, this.h, {
      filename: this.filename,
      source: this.source,
      stdout: (s) => put(false, s),
      stderr: (s) => put(true, s),
      maxInstructions: Math.min(this.maxInstructions, sliceBudget),
      lineHook: (f, line) => {
        // at the first line: the interpreter's objects and the module's code object stay
        // untraced, as for a program whose first line is tracemalloc.start()
        if (this.hostTrace && !vm.hostTrace) {
          vm.hostTrace = { program: false };
          vm.checkStatus(raw.tm_start(this.h, 1));
          vm.setFrameMirror(true);
        }
        if (paused) {
          if (!vm.hostDepth) throw new Pause();
          return;
        }
        count++;
        this.onLine?.(count, line);
        if (count >= target) {
          const frames = this.describe(vm);
          // capture-ahead: the host reads this position while it is live and
          // lets the program go on to the next line (no replay for it later)
          if (ahead && !vm.hostDepth && ahead.capture({ count, line, frames, out, err, switches: switches.slice() })) return;
          paused = { line, frames };
          // never unwind through the core: inside __del__ / a weakref callback the
          // pause takes effect at the next line event outside it
          if (!vm.hostDepth) throw new Pause();
        }
      },
    });
    this.vm = vm;
    let status = null, done = false;
    try {
      vm.runModule(this.source);
      // with pauseAtEnd, run() (target Infinity) stops there too; goTo(end + 1) shuts down
      if (this.pauseAtEnd && !paused && (++count >= target || target === Infinity)) {
        paused = { line: null, atEnd: true, frames: [{ name: '<module>', line: null, names: this.globalNames(vm) }] };
      }
      done = !paused;
      status = done ? 0 : null;
    } catch (e) {
      if (e instanceof Pause) {
        // paused: the heap keeps the running frames' references
      } else if (e instanceof VMStop && sliceBudget < this.maxInstructions && vm.instructions > sliceBudget) {
        // end of a slice: not done yet
        paused = { line: null, frames: [] };
      } else {
        done = true;
        status = this.report(vm, e, (s) => put(true, s));
      }
    }
    if (done) {
      try { vm.shutdown(); } catch (e) { if (!(e instanceof PyException)) throw e; }
    }
    this.position = done || ahead ? count : Math.min(count, target);   // capture-ahead may run past the target
    // deliver only what earlier runs did not
    if (out.length > this.delivered.out) { this.onStdout(out.slice(this.delivered.out)); this.delivered.out = out.length; }
    if (err.length > this.delivered.err) { this.onStderr(err.slice(this.delivered.err)); this.delivered.err = err.length; }
    this.state = done ? { done, line: null, frames: [], status } : { done, status, ...paused };
    return this.state;
  }

  report(vm, e, write) {
    if (e instanceof PySyntaxError) { write(formatSyntaxError(e, this.source, this.filename)); return 1; }
    if (e instanceof VMStop) { write(`${e.message}\n`); return e.status; }
    if (e?.name === 'UnsupportedError') { write(`${e.message}\n`); return 2; }
    if (!(e instanceof PyException)) throw e;
    write(vm.formatException(e.exc));
    vm.decref(e.exc);
    return 1;
  }

  /** Frames, innermost last: code name, current line, names -> object addresses. */
  describe(vm) {
    return vm.frames.map((f) => {
      const names = {};
      f.lp.names.forEach((n, i) => {
        const v = f.locals[i];
        if (typeof v === 'number' && v) names[n] = v;
      });
      if (f.localsDict) this.dictNames(vm, f.localsDict, names);
      const ins = f.instrs[f.lasti];
      return { name: f.code.kind === 'module' ? '<module>' : f.code.name, line: ins ? ins.line : null, names };
    });
  }

  /** The module's globals once it finished (pauseAtEnd). */
  globalNames(vm) {
    return this.dictNames(vm, vm.globals, {});
  }

  /** names[key] = value address for each entry of a namespace dict (without __builtins__). */
  dictNames(vm, dict, names) {
    for (const k of vm.keysOf(dict)) {
      const v = vm.raw.dict_getitem(vm.h, dict, k);
      const n = vm.text(k);
      vm.decref(k);
      if (v) { vm.decref(v); if (n !== '__builtins__') names[n] = v; }
    }
    return names;
  }
}
