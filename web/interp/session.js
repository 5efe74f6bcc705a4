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
// `slice` instructions, yielding to the event loop between them. A slice
// continues the live program (runSlice: the module frame suspended at a line
// event of its own code, then resumed, so a long run costs one run); a
// program that stays inside a function past a slice's end is replayed
// instead, from the start in slices of growing budgets. Either way the
// heap at the end is the one a single uninterrupted run leaves.
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

import { VM, PyException, VMStop, Suspend } from './vm.js';
import { handleTopLevel } from './run.js';

class Pause extends Error {}
/** A sliced run that stayed inside a function past its slice: given up, replayed instead (runSlice). */
class GiveUp extends Error {}

const DEFAULT_MAX = 20_000_000;
// runSlice's replays, once continuing a run was given up: each budget this many times the one before
// (the runs replayed before the last one cost less than 1/(REPLAY_GROWTH - 1) of the whole run)
const REPLAY_GROWTH = 4;

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
    this.live = null;         // runSlice's run while it is suspended between slices
    this.replayBudget = 0;    // runSlice's next replay budget, once continuing was given up
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

  /**
   * run() in slices of `slice` instructions, yielding to the event loop in
   * between (runSlice: each slice continues the live program where it can).
   */
  async runSliced({ slice = 1_000_000, maxInstructions = this.maxInstructions } = {}) {
    this.startSlices();
    for (;;) {
      const st = this.runSlice(slice, maxInstructions);
      if (!st.running) return st;
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
    this.live = null;
    this.cont = null;
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
    this.replayBudget = 0;
    // a capture-ahead run suspended further on than the last target: go on from there
    const c = this.cont;
    if (c && sliceBudget === Infinity) {
      if (ahead && target > c.count) return this.continueTo(c, target, ahead);
      if (target === c.count) return this.leaveSuspended(c);
    }
    return this.replayTo(target, sliceBudget, ahead);
  }

  /**
   * With capture-ahead, the module runs resumable (startModule/resumeModule):
   * where the capture stops at a position of the module's own code, the run is
   * suspended there instead of unwound (this.cont), so that a goTo further on
   * continues the live program rather than replaying it from the start (each
   * Step forward past the captured positions was a replay of the whole prefix).
   * Any other move, and goTo(that position), ends it as a replay would have.
   */
  replayTo(target, sliceBudget = Infinity, ahead = null) {
    const run = this.begin(target, sliceBudget, ahead);
    run.continuable = Boolean(ahead) && sliceBudget === Infinity;
    let finished = true;
    try {
      if (run.continuable) {
        run.vm.startModule(this.source);
        finished = run.vm.resumeModule();
      } else {
        run.vm.runModule(this.source);
      }
    } catch (e) {
      return this.settle(run, e);
    }
    return finished ? this.settle(run) : this.suspended(run);
  }

  /** Runs the suspended capture-ahead run on to `target` (capturing from there, as goTo does). */
  continueTo(run, target, ahead) {
    this.cont = null;
    run.target = target;
    run.ahead = ahead;
    run.refire = true;   // the line it was suspended at fires again: counted and captured already
    run.suspendAt = null;
    let finished;
    try {
      finished = run.vm.resumeModule();
    } catch (e) {
      return this.settle(run, e);
    }
    return finished ? this.settle(run) : this.suspended(run);
  }

  /** The state of a run suspended where its capture-ahead stopped (paused there, as far as the caller sees). */
  suspended(run) {
    this.cont = run;
    this.position = run.count;
    this.deliver(run);
    this.state = { done: false, status: null, ...run.suspendAt };
    return this.state;
  }

  /** Ends the suspended capture-ahead run where it is, leaving the heap and state goTo(there) would have. */
  leaveSuspended(run) {
    this.cont = null;
    run.paused = run.suspendAt;
    run.vm.leaveModule();
    return this.settle(run, new Pause());
  }

  /**
   * Run to the end in slices that continue the live program instead of
   * replaying it: each call runs about `instructions` more and returns the
   * state; state.running is true while the run is suspended between slices
   * (the heap then live at line event `position`, output delivered so far).
   * A slice ends at the first line event of the module's own code after its
   * instructions (only there can the run be suspended without unwinding);
   * a program that stays inside a function for another `instructions` past
   * the slice's end is given up and replayed instead, in slices of growing
   * budgets (each from the start: slower; a slice blocks for at most the run's length).
   * stopSlices() ends a suspended run as goTo(position) would have paused there.
   * `maxInstructions` (default the session's) as for runSliced.
   */
  runSlice(instructions, maxInstructions = this.maxInstructions) {
    if (this.replayBudget) {
      // given up on continuing: replays (goTo keeps what earlier slices delivered)
      const st = this.replayTo(Infinity, Math.min(this.replayBudget, maxInstructions));
      const more = !st.done && !st.atEnd && this.replayBudget < maxInstructions;
      this.replayBudget = more ? this.replayBudget * REPLAY_GROWTH : 0;
      return more ? { ...st, running: true } : st;
    }
    let run = this.live;
    if (!run) {
      run = this.begin(Infinity, maxInstructions, null);
      this.live = run;
      try {
        run.vm.startModule(this.source);
      } catch (e) {
        return this.settle(run, e);
      }
    }
    const vm = run.vm;
    run.sliceEnd = vm.instructions + instructions;
    run.giveUp = run.sliceEnd + instructions;
    run.refire = !!vm.suspended;
    let finished;
    try {
      finished = vm.resumeModule();
    } catch (e) {
      if (!(e instanceof GiveUp)) return this.settle(run, e);
      this.replayBudget = REPLAY_GROWTH * vm.instructions;
      return { ...this.settle(run, e), running: true };
    }
    if (finished) return this.settle(run);
    this.position = run.count;
    this.deliver(run);
    this.state = { done: false, status: null, line: null, frames: [], running: true };
    return this.state;
  }

  /** The next runSlice() starts a new run (a suspended one is dropped). */
  startSlices() {
    this.reset();
    this.replayBudget = 0;
  }

  /** Whether a sliced run is under way (suspended, or replaying in slices): false once any other move replaced it. */
  get slicing() { return !!(this.live || this.replayBudget); }

  /**
   * Where the suspended sliced run is, { line, frames } (frames as goTo's
   * states describe them); its heap is live there, as goTo's capture-ahead
   * sees a position (the module frame still running, its stack held).
   */
  suspendedAt() {
    const vm = this.live?.vm;
    if (!vm?.suspended) throw new Error('no sliced run is suspended');
    const f = vm.frames[0];
    return { line: f.instrs[f.lasti].line, frames: this.describe(vm) };
  }

  /** Ends the suspended sliced run at its position, as goTo(position) pauses there (the same heap and state). */
  stopSlices() {
    const run = this.live;
    run.paused = this.suspendedAt();
    run.vm.leaveModule();
    return this.settle(run, new Pause());
  }

  /** A run over a fresh heap: its VM, line hook and output (goTo runs one through; runSlice keeps one live). */
  begin(target, sliceBudget, ahead) {
    this.reset();
    const raw = this.raw;
    this.h = raw.heap_new(0, 0);
    this.onHeap?.(this.h);
    // where the writes switch between the streams: [isErr, offset in that stream] at each switch,
    // so a console can show stdout and stderr in the order they were written
    const run = {
      target, sliceBudget, ahead, vm: null, out: '', err: '', switches: [], lastErr: null, count: 0, paused: null,
      sliceEnd: Infinity, giveUp: Infinity, refire: false, continuable: false, suspendAt: null,
    };
    run.put = (isErr, s) => {
      if (run.lastErr !== isErr) { run.switches.push([isErr, isErr ? run.err.length : run.out.length]); run.lastErr = isErr; }
      if (isErr) run.err += s; else run.out += s;
    };
    this.switches = run.switches;
    const vm = new VM(raw, this.h, {
      filename: this.filename,
      source: this.source,
      stdout: (s) => run.put(false, s),
      stderr: (s) => run.put(true, s),
      maxInstructions: Math.min(this.maxInstructions, sliceBudget),
      lineHook: (f, line) => {
        // at the first line: the interpreter's objects and the module's code object stay
        // untraced, as for a program whose first line is tracemalloc.start()
        if (this.hostTrace && !vm.hostTrace) {
          vm.hostTrace = { program: false };
          vm.checkStatus(raw.tm_start(this.h, 1));
          vm.setFrameMirror(true);
        }
        if (run.paused) {
          if (!vm.hostDepth) throw new Pause();
          return;
        }
        // a resumed slice fires the line it was suspended at again: counted then
        if (run.refire) { run.refire = false; return; }
        run.count++;
        this.onLine?.(run.count, line);
        if (run.count >= run.target) {
          const frames = this.describe(vm);
          // capture-ahead: the host reads this position while it is live and
          // lets the program go on to the next line (no replay for it later)
          if (run.ahead && !vm.hostDepth && run.ahead.capture({ count: run.count, line, frames, out: run.out, err: run.err, switches: run.switches.slice() })) return;
          // where it stops, a module-level position is suspended (continueTo goes on from it)
          if (run.continuable && !vm.hostDepth && vm.frames.length === 1) {
            run.suspendAt = { line, frames };
            throw new Suspend();
          }
          run.paused = { line, frames };
          // never unwind through the core: inside __del__ / a weakref callback the
          // pause takes effect at the next line event outside it
          if (!vm.hostDepth) throw new Pause();
        } else if (vm.instructions >= run.sliceEnd && !vm.hostDepth) {
          if (vm.frames.length === 1) throw new Suspend();
          if (vm.instructions >= run.giveUp) throw new GiveUp();
        }
      },
    });
    run.vm = vm;
    this.vm = vm;
    return run;
  }

  /** How the run's module code ended (`e`: what it threw, none when it finished): the state, output delivered. */
  settle(run, e) {
    const vm = run.vm;
    if (this.live === run) this.live = null;
    if (this.cont === run) this.cont = null;
    let status = null, done = false, paused = run.paused;
    if (e === undefined) {
      // with pauseAtEnd, run() (target Infinity) stops there too; goTo(end + 1) shuts down
      if (this.pauseAtEnd && !paused && (++run.count >= run.target || run.target === Infinity)) {
        paused = { line: null, atEnd: true, frames: [{ name: '<module>', line: null, names: this.globalNames(vm) }] };
      }
      done = !paused;
      status = done ? 0 : null;
    } else if (e instanceof Pause) {
      // paused: the heap keeps the running frames' references
    } else if (e instanceof GiveUp || (e instanceof VMStop && run.sliceBudget < this.maxInstructions && vm.instructions > run.sliceBudget)) {
      // end of a slice: not done yet
      paused = { line: null, frames: [] };
    } else {
      done = true;
      status = handleTopLevel(vm, e, this.source, this.filename, (s) => run.put(true, s));
    }
    if (done) {
      try { vm.shutdown(); } catch (x) { if (!(x instanceof PyException)) throw x; }
    }
    this.position = done || run.ahead ? run.count : Math.min(run.count, run.target);   // capture-ahead may run past the target
    this.deliver(run);
    this.state = done ? { done, line: null, frames: [], status } : { done, status, ...paused };
    return this.state;
  }

  /** Delivers only the output earlier runs did not. */
  deliver(run) {
    if (run.out.length > this.delivered.out) { this.onStdout(run.out.slice(this.delivered.out)); this.delivered.out = run.out.length; }
    if (run.err.length > this.delivered.err) { this.onStderr(run.err.slice(this.delivered.err)); this.delivered.err = run.err.length; }
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
