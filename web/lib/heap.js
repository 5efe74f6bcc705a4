// heap.js — the Heap class: one pm_heap of the core, owned by JavaScript.
//
// A Heap keeps its core handle in a private field and talks to the wasm
// exports only through the RawModule (raw.js). Every method validates its
// JavaScript arguments, checks the heap is alive, calls the core, and funnels
// failures through errors.js. A trap inside the core (an invariant the core
// asserts failed) becomes a PyheapError with code 'ECORRUPT' and the heap is
// marked dead: nothing more is done with it, not even freeing it.

import { load } from './load.js';
import {
  RawModule, Domain, DOMAIN_NAMES, PTR_KINDS, POOL_STATES, DUMMY_SIZE_IDX, NOT_USABLE, WasmExit,
} from './raw.js';
import { PyheapError, Status, check, errorFor, hex, commas } from './errors.js';
import {
  RUN, EPOCH, handleAt, takeSnapshot, newInt, newFloat, newStr, newBytes, newTuple, newList, newDict, newSet, singleton, fromJS,
  newClass, newCode, newFunction, newCell, newWeakref, weakrefsOf, newIter,
} from './objects.js';
import { gcNamespace } from './gc.js';
import { framesNamespace } from './frames.js';
import { createTracemalloc } from './tracemalloc.js';

const INTERNAL = Symbol('pyheap.internal');
const U32_MAX = 0xffffffff;
const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

function show(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  return typeof v === 'function' ? 'a function' : (v.constructor?.name ?? 'an object');
}

/** Throw EINVAL unless v is an integer in [0, 2^32 - 1]. */
function u32Arg(v, what, call) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw errorFor('EINVAL', {
      call: call(),
      hint: `${what} must be an integer from 0 to 4294967295, got ${show(v)}`,
    });
  }
}

// Heaps that are garbage-collected without dispose() are freed here, as a
// backstop only (tree-sitter's finalizer pattern); the debug build says so.
const leaks = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ raw, handle }) => {
    raw.hosts.delete(handle);
    try {
      if (raw.heap_alive(handle)) {
        if (raw.debug) console.warn(`pyheap: heap ${hex(handle)} was garbage-collected without dispose()`);
        raw.heap_free(handle);
      }
    } catch {
      // nothing sensible to do in a finalizer
    }
  })
  : null;

/**
 * One heap of the core: CPython's three allocator domains over pymalloc
 * arenas and the raw allocator. Create with `createHeap()`.
 */
export class Heap {
  #raw;
  #h;
  /** null while alive; otherwise why it is dead ('disposed' or the corruption message) */
  #dead = null;
  #token = {};
  /** bumped when the heap is disposed or dies: object handles compare it (objects.js) */
  #epoch = 0;
  /** false for a view of a heap someone else owns (viewHeap): dispose() then only forgets it */
  #owned = true;

  /** @internal */
  constructor(token, raw, handle, borrowed = false) {
    if (token !== INTERNAL) {
      throw new PyheapError('EINVAL', 'pyheap: use createHeap() to make a Heap, not new Heap()');
    }
    this.#raw = raw;
    this.#h = handle;
    if (borrowed) {
      this.#owned = false;
    } else {
      leaks?.register(this, { raw, handle }, this.#token);
      raw.hosts.set(handle, Heap.#hostRoutes(new WeakRef(this)));
    }

    const heap = this;
    const allocator = (d) => Object.freeze({
      domain: DOMAIN_NAMES[d],
      malloc: (n) => heap.#malloc(d, n),
      calloc: (nelem, elsize) => heap.#calloc(d, nelem, elsize),
      realloc: (p, n) => heap.#realloc(d, p, n),
      free: (p) => heap.#free(d, p),
    });
    /** PyMem_RawMalloc & co. (the raw allocator). */
    this.raw = allocator(Domain.RAW);
    /** PyMem_Malloc & co. (pymalloc for 1..512 bytes). */
    this.mem = allocator(Domain.MEM);
    /** PyObject_Malloc & co. (pymalloc for 1..512 bytes). */
    this.obj = allocator(Domain.OBJ);
    /** The gc module of this heap (gc.js). */
    this.gc = gcNamespace(this);
    /** The frame stack, as an interpreter drives it (frames.js). */
    this.frames = framesNamespace(this);
  }

  /** @internal Create a heap on an already loaded module. */
  static [INTERNAL](raw, { limit = 0, debugChecks = raw.debug } = {}) {
    const h = Heap.#guard(raw, 'createHeap', () => raw.heap_new(limit, debugChecks ? 1 : 0));
    if (!h) {
      const status = raw.new_status();
      throw errorFor(status < 0 ? status : 'ENOMEM', {
        call: `createHeap({ limit: ${limit} })`,
        hint: status === Status.EBUSY
          ? 'too many live heaps in this module; dispose() some'
          : 'the page source could not provide the memory for the heap itself',
      });
    }
    return new Heap(INTERNAL, raw, h);
  }

  // ---- the OBJ domain (PyObject_Malloc), the default ----------------------

  /** PyObject_Malloc(n): a block of at least n bytes. Throws ENOMEM. */
  malloc(n) { return this.#malloc(Domain.OBJ, n); }
  /** PyObject_Calloc(nelem, elsize): zeroed. */
  calloc(nelem, elsize) { return this.#calloc(Domain.OBJ, nelem, elsize); }
  /** PyObject_Realloc(p, n). On failure p stays valid. */
  realloc(p, n) { return this.#realloc(Domain.OBJ, p, n); }
  /** PyObject_Free(p). free(0) does nothing. */
  free(p) { this.#free(Domain.OBJ, p); }

  // ---- Python objects (handles: objects.js) ------------------------------------
  // Each call returns a new handle that owns one reference to the object,
  // as a Python name would; release() it (or `using`) when done. Items and
  // keys may be handles of this heap or JS values (converted as from()).

  /** int(v) from a JS integer, a BigInt or a decimal string (Python's int() syntax). */
  int(v) { return newInt(this, v); }
  /** A float. */
  float(v) { return newFloat(this, v); }
  /** A str with the text of s. */
  str(s) { return newStr(this, s); }
  /** bytes from a Uint8Array, an ArrayBuffer or an array of byte values. */
  bytes(data) { return newBytes(this, data); }
  /** True or False. */
  bool(v) {
    if (typeof v !== 'boolean') {
      throw errorFor('EINVAL', { call: 'bool()', hint: `expected a boolean, got ${show(v)}` });
    }
    return singleton(this, v ? 'True' : 'False');
  }
  /** (a, b, ...) from handles or JS values: BUILD_TUPLE. */
  tuple(items = []) { return newTuple(this, items); }
  /** [a, b, ...] from handles or JS values: BUILD_LIST. */
  list(items = []) { return newList(this, items); }
  /** {} (then d[k] = v for each entry of a Map, [k, v] iterable or plain object). */
  dict(entries) { return newDict(this, entries); }
  /** {a, b, ...}: BUILD_SET (set() when empty). */
  set(items = []) { return newSet(this, items, false); }
  /** frozenset of the items. */
  frozenset(items = []) { return newSet(this, items, true); }
  /** None (immortal; each access is a new handle). */
  get none() { return singleton(this, 'None'); }
  /** True */
  get true() { return singleton(this, 'True'); }
  /** False */
  get false() { return singleton(this, 'False'); }
  /** A new handle for a JS value (see objects.js fromJS). */
  from(value) { return fromJS(this, value); }

  // ---- classes, callables and weak references ------------------------------------

  /**
   * The class statement: a new class (PyType) named `name`, with base
   * `options.base` (a class handle; object by default), the body's names
   * `options.dict` (a Map, [k, v] pairs, a plain object or a dict handle),
   * `options.slots` (__slots__) and __module__ / __qualname__ from
   * `options.module` ('__main__') and `options.qualname` (name).
   */
  class(name, options = {}) { return newClass(this, name, options); }
  /** A code object (no bytecode: see index.d.ts CodeOptions). */
  code(options = {}) { return newCode(this, options); }
  /** MAKE_FUNCTION: a function of `code` with `globals` (a dict handle or a JS object). */
  function(code, globals, options = {}) { return newFunction(this, code, globals, options); }
  /** A cell holding v (empty for undefined). */
  cell(v) { return newCell(this, v); }
  /** weakref.ref(obj, callback?): EPYTHON TypeError for objects that cannot be weakly referenced. */
  weakref(obj, callback) { return newWeakref(this, obj, callback, false); }
  /** iter(obj) for the core's iterables; a handle to the iterator object (PyIterator). */
  iter(obj) { return newIter(this, obj); }
  /** weakref.proxy(obj, callback?) (a CallableProxyType for callable objects). */
  proxy(obj, callback) { return newWeakref(this, obj, callback, true); }
  /** weakref.getweakrefcount(obj) */
  getWeakrefCount(obj) { return weakrefsOf(this, obj, false); }
  /** weakref.getweakrefs(obj): handles to obj's weak references and proxies. */
  getWeakrefs(obj) { return weakrefsOf(this, obj, true); }

  // ---- host hooks: Python code the core asks the host to run ------------------

  #hooks = {};

  /**
   * Install the functions the core calls where CPython would run Python code
   * (ARCHITECTURE decision 5): `finalize(obj)` runs type(obj).__del__(obj)
   * when an object whose class defines __del__ dies (by refcount or in a
   * collection); `call(callable, args)` calls a Python callable (weakref
   * callbacks, gc.callbacks) with the tuple args. The handles they receive are
   * valid during the call only (dup() one to keep the object: that resurrects
   * it, as storing `self` somewhere in __del__ does). They run synchronously
   * inside the core's operation and may use the heap freely. Exceptions
   * cannot travel back through the core: they go to `error(e, what)`
   * (default: console.error). Missing hooks do nothing. Returns the previous hooks.
   */
  setHostHooks(hooks = {}) {
    if (hooks === null || typeof hooks !== 'object') {
      throw errorFor('EINVAL', { call: 'setHostHooks()', hint: `expected an object, got ${show(hooks)}` });
    }
    for (const [k, v] of Object.entries(hooks)) {
      if (!['finalize', 'call', 'error'].includes(k) || (v !== undefined && typeof v !== 'function')) {
        throw errorFor('EINVAL', {
          call: 'setHostHooks()', hint: `unknown hook or not a function: ${k} (hooks: finalize, call, error)`,
        });
      }
    }
    const old = this.#hooks;
    this.#hooks = { ...hooks };
    return old;
  }

  // Made outside the constructor so the closures capture only the WeakRef
  // (V8 shares one context between closures of a scope): the module's
  // registry must not keep a dropped Heap alive.
  static #hostRoutes(self) {
    return {
      finalize: (p) => self.deref()?.#hostCall('finalize', () => 'finalize hook', [p]),
      call: (c, a) => self.deref()?.#hostCall('call', () => 'call hook', [c, a]),
    };
  }

  #hostCall(kind, call, ptrs) {
    const fn = this.#hooks[kind];
    if (!fn || this.#dead !== null) return;
    const handles = [];
    try {
      for (const p of ptrs) handles.push(handleAt(this, p, call));
      fn.apply(this.#hooks, handles);
    } catch (e) {
      const report = this.#hooks.error;
      try {
        if (report) report(e, kind);
        else console.error(`pyheap: exception in the ${kind} hook:`, e);
      } catch {
        // a failing error reporter has nobody left to report to
      }
    } finally {
      for (const o of handles) if (!o.released) o.release();
    }
  }

  /** @internal objects.js: fn(raw, handle) on the live heap, traps -> ECORRUPT. */
  [RUN](call, fn) { return this.#run(call, fn); }
  /** @internal objects.js: changes when the heap is disposed or dies. */
  get [EPOCH]() { return this.#epoch; }

  // ---- inspection -----------------------------------------------------------

  /** What `p` is to this heap: 'null' | 'foreign' | 'block_live' | 'block_free' | 'block_interior' | 'raw_live' | 'raw_free' | 'raw_interior'. */
  classify(p) {
    const call = () => `classify(${show(p)})`;
    u32Arg(p, 'pointer', call);
    return this.#run(call, (raw, h) => PTR_KINDS[check(raw.ptr_classify(h, p), () => this.#ctx(call))]);
  }

  /** Usable size of a live block (size class, or requested size for raw blocks); 0 otherwise. */
  blockSize(p) {
    const call = () => `blockSize(${show(p)})`;
    u32Arg(p, 'pointer', call);
    return this.#run(call, (raw, h) => raw.block_size(h, p));
  }

  /** Run the core's invariant checker. Returns true, or throws ECORRUPT (and the heap dies). */
  check() {
    const call = () => 'check()';
    return this.#run(call, (raw, h) => {
      const st = raw.check(h);
      if (st === Status.ECORRUPT) throw this.#corrupt(call(), raw.cString(raw.error(h)));
      check(st, () => this.#ctx(call));
      return true;
    });
  }

  /** Allocator statistics, decoded (see index.d.ts HeapStats). */
  stats() {
    const call = () => 'stats()';
    return this.#run(call, (raw, h) => {
      const p = raw.stats(h);
      if (!p) this.#fail(call);
      return raw.readStats(p);
    });
  }

  /**
   * The object graph as the visualizer reads it: every object reachable from
   * `roots` (handles, or addresses of live objects as id() gives them, which
   * hold no reference; roots first, then breadth-first along each object's
   * references) plus every object the cycle collector tracks, reachable or
   * not (a dropped cycle shows up with `reachable: false`). Each entry:
   * `{ id, type, typeId, refcount, size, gen, immortal, finalized, gcType,
   * root, reachable, refs }`, refs being ids in the order the object's
   * traversal visits them (CPython's tp_traverse order: list items last to
   * first). Read-only: no reference count changes.
   *
   * `{ previous }`: an earlier snapshot; the entries of objects that read the
   * same now are its entries, the same JS objects (a stepping view diffs by
   * identity and makes no garbage for what did not change). Treat entries as
   * read-only. (`{ tracebacks: true }`: internal, see takeSnapshot.)
   */
  snapshot(roots = [], { previous = null, tracebacks = false } = {}) {
    return takeSnapshot(this, roots, previous, tracebacks === true);
  }

  /**
   * The object-specific free lists of CPython 3.12 (objects kept for reuse
   * instead of being returned to pymalloc), each with its length and limit:
   * `{ float, list, dict, dictKeys, tuple: [length 1..20] }` of `{ count, limit }`.
   */
  freeLists() {
    const call = () => 'freeLists()';
    return this.#run(call, (raw, h) => {
      const p = raw.obj_freelists(h);
      if (!p) this.#fail(call);
      const dv = raw.dv;
      const pair = (i) => ({ count: dv.getUint32(p + 8 * i, true), limit: dv.getUint32(p + 8 * i + 4, true) });
      const tuple = [];
      for (let n = 1; n <= 20; n++) tuple.push({ length: n, ...pair(3 + n) });
      return { float: pair(0), list: pair(1), dict: pair(2), dictKeys: pair(3), tuple };
    });
  }

  /** Every mapped arena, with all its pools. */
  arenas() {
    const call = () => 'arenas()';
    return this.#run(call, (raw, h) => {
      const out = [];
      const slots = raw.arena_slots(h);
      for (let i = 0; i < slots; i++) {
        const ap = raw.arena_info(h, i);
        if (!ap) continue;
        const a = raw.readArenaInfo(ap); // decode now: the next call reuses the buffer
        if (!a.address) continue;
        const pools = [];
        for (let k = 0; k < a.ntotalpools; k++) {
          const pp = raw.pool_info(h, i, k);
          if (!pp) break;
          const q = raw.readPoolInfo(pp);
          const szidx = q.szidx === DUMMY_SIZE_IDX ? null : q.szidx;
          pools.push({
            index: k,
            address: q.address,
            szidx,
            size: szidx === null ? 0 : (szidx + 1) * 16,
            count: q.count,
            capacity: q.capacity,
            state: POOL_STATES[q.state] ?? `state ${q.state}`,
          });
        }
        out.push({
          index: i,
          address: a.address,
          firstPool: a.firstPool,
          nfreepools: a.nfreepools,
          ntotalpools: a.ntotalpools,
          ncarved: a.ncarved,
          usableRank: a.usableRank === NOT_USABLE ? null : a.usableRank,
          pools,
        });
      }
      return out;
    });
  }

  /** CPython 3.12's sys._debugmallocstats() report for this heap. */
  debugmallocstats() {
    const call = () => 'debugmallocstats()';
    return this.#run(call, (raw, h) => {
      const p = raw.debugmallocstats(h);
      if (!p) this.#fail(call);
      return raw.text(p, raw.text_len());
    });
  }

  #tm = null;
  /** tracemalloc on this heap (tracemalloc.js): start/stop/takeSnapshot/..., made on first use. */
  get tracemalloc() {
    return (this.#tm ??= createTracemalloc(this));
  }

  /** Bytes of page memory the heap may hold (0 = no limit). */
  get limit() {
    return this.#run(() => 'limit', (raw, h) => raw.limit(h));
  }

  /** Change the limit; EINVAL if below what the heap holds now (0 = no limit). */
  setLimit(bytes) {
    const call = () => `setLimit(${show(bytes)})`;
    u32Arg(bytes, 'limit', call);
    this.#run(call, (raw, h) => {
      check(raw.set_limit(h, bytes), () => this.#ctx(call));
    });
  }

  /** Bytes of page memory (arenas and raw segments) the heap holds now. */
  get footprint() {
    return this.#run(() => 'footprint', (raw, h) => raw.footprint(h));
  }

  /** True once dispose() ran or the heap died of a core invariant failure. */
  get disposed() {
    return this.#dead !== null;
  }

  /** Release every arena and raw block. Idempotent; every other method then throws EDEAD. */
  dispose() {
    if (this.#dead !== null) return;
    this.#dead = 'disposed';
    this.#epoch++;
    if (!this.#owned) return;   // a borrowed heap stays with its owner
    leaks?.unregister(this.#token);
    const raw = this.#raw;
    raw.hosts.delete(this.#h);
    const st = Heap.#guard(raw, 'dispose()', () => raw.heap_free(this.#h));
    check(st, { call: 'dispose()' });
  }

  [disposeSymbol]() {
    this.dispose();
  }

  get [Symbol.toStringTag]() {
    return 'Heap';
  }

  // ---- private ----------------------------------------------------------------

  #malloc(d, n) {
    const call = () => `${DOMAIN_NAMES[d]}.malloc(${show(n)})`;
    u32Arg(n, 'size', call);
    return this.#run(call, (raw, h) => raw.malloc(h, d, n) || this.#fail(call));
  }

  #calloc(d, nelem, elsize) {
    const call = () => `${DOMAIN_NAMES[d]}.calloc(${show(nelem)}, ${show(elsize)})`;
    u32Arg(nelem, 'nelem', call);
    u32Arg(elsize, 'elsize', call);
    return this.#run(call, (raw, h) => raw.calloc(h, d, nelem, elsize) || this.#fail(call));
  }

  #realloc(d, p, n) {
    const call = () => `${DOMAIN_NAMES[d]}.realloc(${typeof p === 'number' ? hex(p) : show(p)}, ${show(n)})`;
    u32Arg(p, 'pointer', call);
    u32Arg(n, 'size', call);
    return this.#run(call, (raw, h) => raw.realloc(h, d, p, n) || this.#fail(call, p));
  }

  #free(d, p) {
    const call = () => `${DOMAIN_NAMES[d]}.free(${typeof p === 'number' ? hex(p) : show(p)})`;
    u32Arg(p, 'pointer', call);
    this.#run(call, (raw, h) => { check(raw.free(h, d, p), () => this.#ctx(call, { ptr: p })); });
  }

  /** Error context from the heap's last status and message. */
  #ctx(call, extra = {}) {
    const raw = this.#raw;
    const h = this.#h;
    // byte counts with thousands separators, as everywhere else in pyheap
    const detail = raw.cString(raw.error(h)).replace(/\b\d{4,}\b/g, (d) => commas(d));
    const ctx = { call: call(), detail };
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) ctx[k] = v;
    ctx.op = ctx.call.replace(/\(.*$/, '');
    return ctx;
  }

  /** A pointer-returning call returned 0: throw what the core says. */
  #fail(call, ptr) {
    const raw = this.#raw;
    const h = this.#h;
    let status = raw.last_status(h);
    if (status >= 0) status = 'EUNKNOWN';
    const extra = { ptr };
    if (status === Status.ENOMEM && !/limit/.test(raw.cString(raw.error(h)))) {
      const limit = raw.limit(h);
      const held = commas(raw.footprint(h));
      extra.hint = limit
        ? `heap limit of ${commas(limit)} bytes reached (${held} bytes held)`
        : `no heap limit set; WebAssembly memory is exhausted (${held} bytes held)`;
    }
    throw errorFor(status, this.#ctx(call, extra));
  }

  /** Mark the heap dead after an invariant failure and build the error. */
  #corrupt(call, detail, cause) {
    this.#dead = `it died of a heap invariant failure${detail ? ` (${detail})` : ''}`;
    this.#epoch++;
    this.#raw.hosts.delete(this.#h);
    leaks?.unregister(this.#token);
    return errorFor('ECORRUPT', {
      call,
      op: call.replace(/\(.*$/, ''),
      detail: detail || cause?.message,
      hint: 'this heap is dead now',
      cause,
    });
  }

  /** Run fn(raw, handle) on a live heap, turning core traps into ECORRUPT. */
  #run(call, fn) {
    if (this.#dead !== null) {
      throw errorFor('EDEAD', {
        call: call(),
        hint: this.#dead === 'disposed' ? 'it was disposed' : this.#dead,
      });
    }
    try {
      return fn(this.#raw, this.#h);
    } catch (e) {
      if (!isTrap(e)) throw e;
      this.#raw.recoverFromTrap();
      let detail = '';
      try {
        detail = this.#raw.cString(this.#raw.error(this.#h));
      } catch {
        // the message is a courtesy
      }
      throw this.#corrupt(call(), detail, e);
    }
  }

  /** As #run for calls that have no live heap object (creation, dispose). */
  static #guard(raw, call, fn) {
    try {
      return fn();
    } catch (e) {
      if (!isTrap(e)) throw e;
      raw.recoverFromTrap();
      throw errorFor('ECORRUPT', { call, detail: e.message, cause: e });
    }
  }
}

function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || e instanceof WasmExit;
}

const OPTIONS = new Set(['limit', 'debugChecks', 'debug', 'wasm']);

function heapOptions(options, call) {
  if (options === null || typeof options !== 'object') {
    throw errorFor('EINVAL', { call, hint: `options must be an object, got ${show(options)}` });
  }
  for (const k of Object.keys(options)) {
    if (!OPTIONS.has(k)) {
      throw errorFor('EINVAL', {
        call, hint: `unknown option ${JSON.stringify(k)} (known: ${[...OPTIONS].join(', ')})`,
      });
    }
  }
  let { limit = 0, debugChecks } = options;
  if (limit === null || limit === Infinity) limit = 0;
  u32Arg(limit, 'options.limit', () => call);
  return { limit, debugChecks: debugChecks === undefined ? undefined : !!debugChecks };
}

/**
 * Create a heap, loading the module first if needed.
 *
 * @param {object} [options]
 * @param {number} [options.limit] bytes of page memory the heap may hold (0 / Infinity: none)
 * @param {boolean} [options.debugChecks] run the invariant checker after every
 *   mutating call (default: true with the debug build, false otherwise)
 * @param {boolean} [options.debug] use the debug build of the module
 * @param {*} [options.wasm] where the module comes from (see load())
 * @returns {Promise<Heap>}
 */
export async function createHeap(options = {}) {
  const opts = heapOptions(options, 'createHeap()');
  const raw = await load({ wasm: options.wasm, debug: options.debug });
  return Heap[INTERNAL](raw, opts.debugChecks === undefined ? { limit: opts.limit } : opts);
}

/**
 * A Heap over a heap handle that something else owns (the interpreter's
 * session, web/interp/session.js): every reading method works (snapshot,
 * stats, arenas, gc, ...), host hooks stay the owner's, and dispose() only
 * forgets the handle. Make a new view whenever the owner replaces its heap.
 *
 * @param {RawModule} module
 * @param {number} handle a live heap handle of that module
 * @returns {Heap}
 */
export function viewHeap(module, handle) {
  if (!(module instanceof RawModule)) {
    throw errorFor('EINVAL', { call: 'viewHeap()', hint: 'the first argument must be the result of load()' });
  }
  u32Arg(handle, 'handle', () => 'viewHeap()');
  if (!handle || !module.heap_alive(handle)) {
    throw errorFor('EINVAL', { call: 'viewHeap()', hint: `no live heap has the handle ${show(handle)}` });
  }
  return new Heap(INTERNAL, module, handle, true);
}

/**
 * Create a heap synchronously on a module returned by load().
 *
 * @param {RawModule} module
 * @param {{ limit?: number, debugChecks?: boolean }} [options]
 * @returns {Heap}
 */
export function createHeapSync(module, options = {}) {
  if (!(module instanceof RawModule)) {
    throw errorFor('EINVAL', { call: 'createHeapSync()', hint: 'the first argument must be the result of load()' });
  }
  const { wasm, debug, ...rest } = options ?? {};
  if (wasm !== undefined || debug !== undefined) {
    throw errorFor('EINVAL', {
      call: 'createHeapSync()',
      hint: 'options.wasm and options.debug belong to load(); the module is already loaded',
    });
  }
  const opts = heapOptions(rest, 'createHeapSync()');
  return Heap[INTERNAL](module, opts.debugChecks === undefined ? { limit: opts.limit } : opts);
}
