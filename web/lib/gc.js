// gc.js — heap.gc: the gc module of one heap (core/src/gc.h through
// core/src/wasm/gcapi.c), plus what the visualizer reads: the collector's
// stderr sink and the per-phase trace of the last traced collection.
//
// Everything runs through heap[RUN] (EDEAD, traps -> ECORRUPT) and takes
// handles of this heap only (ESTALE otherwise). Collections may call the
// heap's host hooks (finalize for __del__, call for weakref callbacks and
// gc.callbacks) before they return.

import { GC_PHASES } from './raw.js';
import { errorFor } from './errors.js';
import { RUN, drain, resultHandle, resultInt, withObjectArray, addressOf } from './objects.js';

/** gc.DEBUG_* */
const DEBUG = Object.freeze({
  DEBUG_STATS: 1,
  DEBUG_COLLECTABLE: 2,
  DEBUG_UNCOLLECTABLE: 4,
  DEBUG_SAVEALL: 32,
  DEBUG_LEAK: 2 | 4 | 32,
});

const STAT_FIELDS = ['collections', 'collected', 'uncollectable'];
const utf8 = new TextDecoder('utf-8');

function intArg(v, what, call, lo = -(2 ** 31), hi = 2 ** 31 - 1) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw errorFor('EINVAL', { call: call(), hint: `${what} must be an integer from ${lo} to ${hi}, got ${String(v)}` });
  }
  return v;
}

/**
 * The trace of the last traced collection of the heap behind the raw handle
 * `h` (heap.gc.lastTrace()'s value), for callers that drive a heap through
 * the raw module (the interpreter's sessions): trace with raw.gc_trace_enable.
 */
export function readGcTrace(raw, h) {
  const generation = raw.gc_trace_generation(h);
  if (generation < -1) throw errorFor('EDEAD', { call: 'readGcTrace()' });
  const phases = {};
  GC_PHASES.forEach((name, ph) => {
    const n = raw.gc_trace_len(h, ph), p = raw.gc_trace_addr(h, ph);
    const dv = raw.dv;
    phases[name] = Array.from({ length: n }, (_, i) => ({
      id: dv.getUint32(p + 8 * i, true), value: dv.getInt32(p + 8 * i + 4, true),
    }));
  });
  const [collected, uncollectable] = [0, 1].map((w) => raw.gc_trace_result(h, w));
  return {
    generation: generation < 0 ? null : generation, phases,
    collected: collected < 0 ? null : collected, uncollectable: uncollectable < 0 ? null : uncollectable,
  };
}

/** The heap.gc namespace of `heap` (frozen). */
export function gcNamespace(heap) {
  /** fn(raw, h) on the live heap; a negative result throws what the core says. */
  const num = (call, fn) => heap[RUN](call, (raw, h) => resultInt(raw, h, fn(raw, h), call));
  /** fn(raw, h) returns a new reference: a handle to it. */
  const obj = (call, fn) => heap[RUN](call, (raw, h) => resultHandle(heap, raw, h, fn(raw, h), call));
  const gens = (call, fn) => [0, 1, 2].map((g) => num(call, (raw, h) => fn(raw, h, g)));

  const gc = {
    ...DEBUG,

    /** gc.collect(generation = 2): the number of unreachable objects found; EPYTHON ValueError for a bad generation. */
    collect(generation = 2) {
      const call = () => `gc.collect(${String(generation)})`;
      intArg(generation, 'generation', call);
      return num(call, (raw, h) => raw.gc_collect(h, generation));
    },
    /** gc.enable() */
    enable() { num(() => 'gc.enable()', (raw, h) => raw.gc_enable(h, 1)); },
    /** gc.disable() */
    disable() { num(() => 'gc.disable()', (raw, h) => raw.gc_enable(h, 0)); },
    /** gc.isenabled() */
    isEnabled() { return num(() => 'gc.isEnabled()', (raw, h) => raw.gc_isenabled(h)) === 1; },
    /** gc.get_count() as [count0, count1, count2]. */
    getCount() { return gens(() => 'gc.getCount()', (raw, h, g) => raw.gc_count(h, g)); },
    /** gc.get_threshold() as [threshold0, threshold1, threshold2]. */
    getThreshold() { return gens(() => 'gc.getThreshold()', (raw, h, g) => raw.gc_threshold(h, g)); },
    /** gc.set_threshold(t0[, t1[, t2]]) */
    setThreshold(...t) {
      const call = () => `gc.setThreshold(${t.join(', ')})`;
      if (t.length < 1 || t.length > 3) {
        throw errorFor('EINVAL', { call: call(), hint: 'gc.setThreshold takes 1 to 3 thresholds' });
      }
      t.forEach((v, i) => intArg(v, `threshold ${i}`, call));
      num(call, (raw, h) => raw.gc_set_threshold(h, t[0], t[1] ?? 0, t[2] ?? 0, t.length));
    },
    /** gc.get_stats(): per generation { collections, collected, uncollectable }. */
    getStats() {
      const call = () => 'gc.getStats()';
      return heap[RUN](call, (raw, h) => [0, 1, 2].map((g) => Object.fromEntries(STAT_FIELDS.map((f, i) => {
        const v = raw.gc_stat(h, g, i);
        if (v < 0) throw errorFor('EUNKNOWN', { call: call() });
        return [f, v];
      }))));
    },
    /** gc.get_objects(generation): handles to every tracked object (of one generation, 0..2). */
    getObjects(generation) {
      const g = generation ?? -1;
      const call = () => `gc.getObjects(${generation ?? ''})`;
      intArg(g, 'generation', call, -1, 2);
      return drain(obj(call, (raw, h) => raw.gc_get_objects(h, g)));
    },
    /** gc.get_referrers(*objs): handles to the tracked objects that refer to any of objs. */
    getReferrers(...objs) {
      const call = () => 'gc.getReferrers()';
      return drain(withObjectArray(heap, objs, call, (raw, h, b, n) =>
        resultHandle(heap, raw, h, raw.gc_get_referrers(h, b, n, 0), call)));
    },
    /** gc.get_referents(*objs): handles to what objs' tp_traverse visits. */
    getReferents(...objs) {
      const call = () => 'gc.getReferents()';
      return drain(withObjectArray(heap, objs, call, (raw, h, b, n) =>
        resultHandle(heap, raw, h, raw.gc_get_referents(h, b, n), call)));
    },
    /** gc.is_tracked(obj) */
    isTracked(o) {
      const call = () => 'gc.isTracked()';
      const p = addressOf(heap, o, call);
      return num(call, (raw, h) => raw.gc_is_tracked(h, p)) === 1;
    },
    /** gc.is_finalized(obj) */
    isFinalized(o) {
      const call = () => 'gc.isFinalized()';
      const p = addressOf(heap, o, call);
      return num(call, (raw, h) => raw.gc_is_finalized(h, p)) === 1;
    },
    /** gc.freeze(): every tracked object moves to the permanent generation. */
    freeze() { num(() => 'gc.freeze()', (raw, h) => raw.gc_freeze(h)); },
    /** gc.unfreeze() */
    unfreeze() { num(() => 'gc.unfreeze()', (raw, h) => raw.gc_unfreeze(h)); },
    /** gc.get_freeze_count() */
    getFreezeCount() { return num(() => 'gc.getFreezeCount()', (raw, h) => raw.gc_get_freeze_count(h)); },
    /** Objects in generation 0..2, or 3 for the permanent generation. */
    generationSize(generation) {
      const call = () => `gc.generationSize(${String(generation)})`;
      intArg(generation, 'generation', call, 0, 3);
      return num(call, (raw, h) => raw.gc_generation_size(h, generation));
    },
    /** gc.garbage: a handle to the heap's list. */
    get garbage() { return obj(() => 'gc.garbage', (raw, h) => raw.gc_garbage(h)); },
    /** gc.callbacks: a handle to the heap's list (its items are called through the call hook). */
    get callbacks() { return obj(() => 'gc.callbacks', (raw, h) => raw.gc_callbacks(h)); },
    /** gc.set_debug(flags) */
    setDebug(flags) {
      const call = () => `gc.setDebug(${String(flags)})`;
      intArg(flags, 'flags', call);
      num(call, (raw, h) => raw.gc_set_debug(h, flags));
    },
    /** gc.get_debug() */
    getDebug() { return num(() => 'gc.getDebug()', (raw, h) => raw.gc_get_debug(h)); },
    /** The text the collector wrote to sys.stderr (DEBUG_STATS, DEBUG_COLLECTABLE, ...) since the last take; clears it. */
    takeStderr() {
      return heap[RUN](() => 'gc.takeStderr()', (raw, h) => {
        const n = raw.gc_stderr_len(h);
        const text = n ? utf8.decode(raw.u8.subarray(raw.gc_stderr(h), raw.gc_stderr(h) + n)) : '';
        raw.gc_stderr_clear(h);
        return text;
      });
    },
    /** Record the phases of each collection from now on (off with false). */
    trace(on = true) {
      num(() => `gc.trace(${on})`, (raw, h) => raw.gc_trace_enable(h, on ? 1 : 0));
    },
    /**
     * The phases of the last traced collection: { generation, phases: {
     * examined, unreachable, weakrefCallbacks, finalized, resurrected,
     * cleared, freed, copied, untracked, weakrefsCleared }, collected,
     * uncollectable }, each phase an array of { id, value } (ids of freed
     * objects are addresses that no longer hold them); collected +
     * uncollectable is what that gc.collect() returned.
     */
    lastTrace() {
      const call = () => 'gc.lastTrace()';
      return heap[RUN](call, (raw, h) => readGcTrace(raw, h));
    },
    /** The interpreter's eval-breaker point: runs a scheduled collection; the number it collected. */
    evalBreaker() { return num(() => 'gc.evalBreaker()', (raw, h) => raw.gc_eval_breaker(h)); },
    /** Whether an allocation has scheduled a collection (run by evalBreaker()). */
    isScheduled() { return num(() => 'gc.isScheduled()', (raw, h) => raw.gc_is_scheduled(h)) === 1; },
  };
  return Object.freeze(gc);
}
