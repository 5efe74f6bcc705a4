// frames.js — heap.frames: the frame stack of one heap, as an interpreter
// drives it (core/src/frame.h, genobject.h through core/src/wasm/callapi.c).
//
// Frames are not objects: a frame is named by its address (a number). The
// core accepts the address of a frame linked in the current chain, or of
// the frame of a live unfinished generator, and refuses anything else with
// EBADPTR. Object arguments are handles of this heap or JS values
// (temporaries, released after the call); object results are new handles.

import { errorFor } from './errors.js';
import { RUN, resultHandle, resultInt, withObjects } from './objects.js';

const FRAME_INFO = ['nlocalsplus', 'stackSize', 'owner', 'instr', 'previous'];
const FRAME_OBJS = ['code', 'func', 'globals', 'builtins', 'locals'];

function frameArg(f, call) {
  if (typeof f !== 'number' || !Number.isInteger(f) || f <= 0 || f > 0xffffffff) {
    throw errorFor('EINVAL', { call: call(), hint: `a frame is its address (a positive integer), got ${String(f)}` });
  }
  return f;
}

function intArg(i, what, call) {
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw errorFor('EINVAL', { call: call(), hint: `${what} must be an integer, got ${String(i)}` });
  }
  return i;
}

/** The heap.frames namespace of `heap` (frozen). */
export function framesNamespace(heap) {
  const num = (call, fn) => heap[RUN](call, (raw, h) => resultInt(raw, h, fn(raw, h), call));
  const obj = (call, fn) => heap[RUN](call, (raw, h) => resultHandle(heap, raw, h, fn(raw, h), call));
  /** An object result where 0 with status OK means "nothing" (null). */
  const maybe = (call, fn) => heap[RUN](call, (raw, h) => {
    const p = fn(raw, h);
    if (!p && raw.last_status(h) >= 0) return null;
    return resultHandle(heap, raw, h, p, call);
  });
  /** An address result (0 is none, or a failure when the status says so). */
  const addr = (call, fn) => heap[RUN](call, (raw, h) => {
    const p = fn(raw, h);
    if (!p) resultInt(raw, h, Math.min(raw.last_status(h), 0), call);
    return p || null;
  });

  return Object.freeze({
    /** _PyEvalFramePushAndInit without arguments: a frame for fn on top of the stack; its address. */
    push(fn) {
      const call = () => 'frames.push()';
      return withObjects(heap, call, [fn], {}, (raw, h, [fp]) => {
        const f = raw.frame_push(h, fp);
        if (!f) resultInt(raw, h, raw.last_status(h), call);
        return f;
      });
    },
    /** Pop the current frame, releasing its slots in CPython's order. */
    pop(frame) {
      const call = () => 'frames.pop()';
      frameArg(frame, call);
      num(call, (raw, h) => raw.frame_pop(h, frame));
    },
    /** The current frame's address, or null. */
    get current() { return addr(() => 'frames.current', (raw, h) => raw.frame_current(h)); },
    /** Frames on the stack. */
    get depth() { return num(() => 'frames.depth', (raw, h) => raw.frame_depth(h)); },
    /** { nlocalsplus, stackSize, owner: 'thread' | 'generator', instr, previous: address | null }. */
    info(frame) {
      const call = () => 'frames.info()';
      frameArg(frame, call);
      const v = FRAME_INFO.map((_, i) => num(call, (raw, h) => raw.frame_info(h, frame, i)));
      const o = Object.fromEntries(FRAME_INFO.map((k, i) => [k, v[i]]));
      o.owner = o.owner === 0 ? 'thread' : 'generator';
      o.previous = o.previous >>> 0 || null;
      return o;
    },
    /** The host's position in the body (kept for the interpreter). */
    setInstr(frame, instr) {
      const call = () => 'frames.setInstr()';
      frameArg(frame, call);
      intArg(instr, 'instr', call);
      num(call, (raw, h) => raw.frame_set_instr(h, frame, instr >>> 0));
    },
    /** f_code, the function, f_globals, f_builtins or f_locals: a new handle (None when unset). */
    get(frame, field) {
      const call = () => `frames.get(${String(field)})`;
      frameArg(frame, call);
      const i = FRAME_OBJS.indexOf(field);
      if (i < 0) throw errorFor('EINVAL', { call: call(), hint: `field must be one of ${FRAME_OBJS.join(', ')}` });
      return obj(call, (raw, h) => raw.frame_obj(h, frame, i));
    },
    /** f_locals = v (null clears): a module or class body's locals mapping. */
    setLocals(frame, v) {
      const call = () => 'frames.setLocals()';
      frameArg(frame, call);
      withObjects(heap, call, [v], { optional: [0] }, (raw, h, [vp]) => resultInt(raw, h, raw.frame_set_locals(h, frame, vp), call));
    },
    /** LOAD_FAST: local slot i (a new handle), or null while unbound; EPYTHON IndexError out of range. */
    local(frame, i) {
      const call = () => `frames.local(${String(i)})`;
      frameArg(frame, call);
      intArg(i, 'slot', call);
      return maybe(call, (raw, h) => raw.frame_get(h, frame, i));
    },
    /** STORE_FAST (DELETE_FAST for undefined). */
    setLocal(frame, i, v) {
      const call = () => `frames.setLocal(${String(i)})`;
      frameArg(frame, call);
      intArg(i, 'slot', call);
      withObjects(heap, call, [v ?? null], { optional: v === undefined ? [0] : [] }, (raw, h, [vp]) =>
        resultInt(raw, h, raw.frame_set(h, frame, i, vp), call));
    },
    /** Push v on the value stack. */
    pushValue(frame, v) {
      const call = () => 'frames.pushValue()';
      frameArg(frame, call);
      withObjects(heap, call, [v], {}, (raw, h, [vp]) => resultInt(raw, h, raw.frame_push_value(h, frame, vp), call));
    },
    /** Pop the top value: the stack's reference moves to the handle. */
    popValue(frame) {
      const call = () => 'frames.popValue()';
      frameArg(frame, call);
      return obj(call, (raw, h) => raw.frame_pop_value(h, frame));
    },
    /** The value `depth` below the top (0 = top): a new handle. */
    peek(frame, depth = 0) {
      const call = () => `frames.peek(${String(depth)})`;
      frameArg(frame, call);
      intArg(depth, 'depth', call);
      return obj(call, (raw, h) => raw.frame_peek(h, frame, depth));
    },
    /** MAKE_CELL for slot i. */
    makeCell(frame, i) {
      const call = () => `frames.makeCell(${String(i)})`;
      frameArg(frame, call);
      intArg(i, 'slot', call);
      num(call, (raw, h) => raw.frame_make_cell(h, frame, i));
    },
    /** COPY_FREE_VARS */
    copyFreeVars(frame) {
      const call = () => 'frames.copyFreeVars()';
      frameArg(frame, call);
      num(call, (raw, h) => raw.frame_copy_free_vars(h, frame));
    },
    /** RETURN_GENERATOR on the current frame: the new generator (it takes the frame over). */
    returnGenerator(frame) {
      const call = () => 'frames.returnGenerator()';
      frameArg(frame, call);
      return obj(call, (raw, h) => raw.gen_from_frame(h, frame));
    },
  });
}
