// objects.js — handles to Python objects living in a Heap.
//
// A PyObject is a (heap, address, epoch) handle to one object of the core
// (ARCHITECTURE decision 1: the object itself lives only in the wasm heap).
// Each handle OWNS ONE STRONG REFERENCE, like a Python name bound to the
// object: creating a handle for an existing object increfs it (list.get(i),
// dict.get(k), dup(), iteration), and release() / [Symbol.dispose]() drop
// it. So sys.getrefcount(x) - 1 in CPython 3.12 equals `refcount` here when
// every Python name is one handle (tests/record/refcounts_api.py).
//
// Stale handles (decision 8): a released handle, a handle whose heap was
// disposed (the heap's epoch moved on) and a handle passed to another heap
// all throw PyheapError code 'ESTALE' before anything reaches the core; the
// core validates every address again (core/src/wasm/objapi.c).
//
// A FinalizationRegistry (one per heap, created with the heap's first
// handle) is only a backstop: a handle that is garbage-collected without
// release() gives its reference back, and with the debug build a warning
// names the object's type and id (tree-sitter's newFinalizer, QuickJS's
// DUMP_LEAKS).
//
// Python exceptions raised by the core become PyheapError code 'EPYTHON'
// with `pyType` ('KeyError', ...) and `pyMessage` (str(exception) in
// CPython); MemoryError stays code 'ENOMEM' and carries the same two fields.

import { SCRATCH_BYTES, TYPE_IDS, USER_TYPE_ID, EXC_KINDS, SINGLETONS, GEN_STATES } from './raw.js';
import { PyheapError, Status, errorFor, hex } from './errors.js';

/** heap[RUN](call, fn): run fn(raw, handle) on the live heap (EDEAD / traps -> ECORRUPT). @internal */
export const RUN = Symbol('pyheap.run');
/** heap[EPOCH]: changes when the heap is disposed or dies; handles remember it. @internal */
export const EPOCH = Symbol('pyheap.epoch');

const INTERNAL = Symbol('pyheap.objects');
const EPYTHON = -9;
const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const utf8 = new TextEncoder();

const T = Object.freeze(Object.fromEntries(TYPE_IDS.map((name, i) => [name, i])));
/** Each handle class's conversion to a JS value, given the containers being converted. */
const TO_JS = Symbol('pyheap.toJS');

// ---- errors ---------------------------------------------------------------------

const opOf = (call) => call.replace(/\(.*$/s, '');

function withKind(e, kind) {
  e.kind = kind;
  return e;
}

/** A Python exception as a PyheapError (code 'EPYTHON'). */
function pyError(call, pyType, pyMessage) {
  const e = new PyheapError('EPYTHON', `${call}: ${pyType}${pyMessage ? ': ' + pyMessage : ''} (EPYTHON)`,
    { status: EPYTHON, op: opOf(call), detail: pyMessage });
  e.pyType = pyType;
  e.pyMessage = pyMessage;
  return withKind(e, 'python');
}

function staleError(call, why) {
  return withKind(new PyheapError('ESTALE', `${call}: ${why} (ESTALE)`, { op: opOf(call) }), 'state');
}

function argError(call, hint) {
  return errorFor('EINVAL', { call, op: opOf(call), hint });
}

/** The core said no: build the error from its status, exception and message. */
function coreError(raw, h, call) {
  let status = raw.last_status(h);
  const kind = raw.exc_kind(h);
  if (status === EPYTHON || (status === Status.ENOMEM && EXC_KINDS[kind] === 'MemoryError')) {
    const pyType = EXC_KINDS[kind] ?? `exception kind ${kind}`;
    const pyMessage = raw.cString(raw.exc_msg(h));
    if (status === EPYTHON) return pyError(call, pyType, pyMessage);
    const e = errorFor('ENOMEM', { call, op: opOf(call), detail: `MemoryError: ${pyMessage}` });
    e.pyType = pyType;
    e.pyMessage = pyMessage;
    return e;
  }
  if (status >= 0) status = 'EUNKNOWN';
  return errorFor(status, { call, op: opOf(call), detail: raw.cString(raw.error(h)) });
}

/** An object result: the address, or throw what the core says. */
function objResult(raw, h, p, call) {
  if (!p) throw coreError(raw, h, call());
  return p;
}

/** A status / count result: the value, or throw. */
function intResult(raw, h, r, call) {
  if (r < 0) throw coreError(raw, h, call());
  return r;
}

/** "a list object", "an int object" */
function anObject(type) {
  return `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type} object`;
}

function show(v) {
  if (v instanceof PyObject) return `<${v[inspectSymbol]()}>`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  if (Array.isArray(v)) return `[${v.length} items]`;
  return typeof v === 'function' ? 'a function' : (v.constructor?.name ?? 'an object');
}

// ---- transfer of inputs -------------------------------------------------------------

/** Run fn(ptr) with `bytes` copied into the transfer buffer (or a host buffer when larger). */
function withBytes(raw, h, bytes, call, fn) {
  if (bytes.length <= SCRATCH_BYTES) {
    const s = raw.obj_scratch(h);
    raw.writeBytes(s, bytes);
    return fn(s);
  }
  const b = raw.buf_alloc(bytes.length);
  if (!b) throw errorFor('ENOMEM', { call: call(), hint: `no host memory for a ${bytes.length}-byte transfer buffer` });
  try {
    raw.writeBytes(b, bytes);
    return fn(b);
  } finally {
    raw.buf_free(b);
  }
}

/** Run fn(ptr) with the u32 handles `ptrs` in the transfer buffer (or a host buffer). */
function withHandles(raw, h, ptrs, call, fn) {
  const n = ptrs.length * 4;
  const inScratch = n <= SCRATCH_BYTES;
  const b = inScratch ? raw.obj_scratch(h) : raw.buf_alloc(n);
  if (!b) throw errorFor('ENOMEM', { call: call(), hint: `no host memory for ${ptrs.length} handles` });
  try {
    raw.writeU32s(b, ptrs);
    return fn(b);
  } finally {
    if (!inScratch) raw.buf_free(b);
  }
}

/** The text result of the last call (repr, str contents, int digits). */
function textResult(raw, h, p, call) {
  objResult(raw, h, p, call);
  return raw.text(p, raw.obj_text_len());
}

function isWellFormed(s) {
  if (typeof s.isWellFormed === 'function') return s.isWellFormed();
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

// ---- the leak backstop ------------------------------------------------------------------

const registries = new WeakMap();

/** The heap's FinalizationRegistry (made with its first handle), or null where there is none. */
function registryFor(heap) {
  let r = registries.get(heap);
  if (r === undefined) {
    const FR = globalThis.FinalizationRegistry;
    r = typeof FR === 'function' ? new FR((held) => releaseLeaked(heap, held)) : null;
    registries.set(heap, r);
  }
  return r;
}

function releaseLeaked(heap, held) {
  if (heap.disposed || heap[EPOCH] !== held.epoch) return; // the reference went with the heap
  try {
    heap[RUN](() => 'finalizer', (raw, h) => {
      if (raw.debug) {
        console.warn(`pyheap: a handle to ${anObject(held.type)} (id ${hex(held.ptr)}) was garbage-collected ` +
          'without release(); its reference is released now');
      }
      raw.obj_decref(h, held.ptr);
    });
  } catch {
    // a finalizer has nobody to report to
  }
}

// ---- handles -----------------------------------------------------------------------------

let ptrOf;    // (obj, call, heap?) -> address; throws ESTALE
let onHeap;   // (obj, call, fn(raw, h, ptr, heap)) -> result of fn on the object's live heap
let adopt;    // (heap, raw, h, ptr) -> a handle owning the reference the core returned

/**
 * A handle to one Python object. Owns one strong reference until
 * release(). Instances come from Heap methods and from other handles.
 */
export class PyObject {
  #heap;
  #ptr;
  #epoch;
  #type;

  /** @internal */
  constructor(token, heap, ptr, typeId) {
    if (token !== INTERNAL) {
      throw new PyheapError('EINVAL',
        'pyheap: object handles come from a Heap (heap.int(), heap.list(), ...), not from new PyObject()');
    }
    this.#heap = heap;
    this.#ptr = ptr;
    this.#epoch = heap[EPOCH];
    this.#type = typeId;
    registryFor(heap)?.register(this, { ptr, epoch: this.#epoch, type: TYPE_IDS[typeId] ?? 'object' }, this);
  }

  static {
    ptrOf = (o, call, heap) => o.#live(call, heap);
    onHeap = (o, call, fn) => {
      const p = o.#live(call);
      return o.#heap[RUN](call, (raw, h) => fn(raw, h, p, o.#heap));
    };
    adopt = (heap, raw, h, p) => {
      const t = raw.obj_type_id(h, p);
      if (t < 0) {
        raw.obj_decref(h, p);
        throw coreError(raw, h, 'adopt');
      }
      const Cls = CLASSES[t] ?? PyObject;
      return new Cls(INTERNAL, heap, p, t);
    };
  }

  #live(call, heap) {
    const what = () => `handle to ${anObject(TYPE_IDS[this.#type] ?? 'Python')}`;
    if (this.#ptr === 0) throw staleError(call(), `this ${what()} was released; it cannot be used any more`);
    if (this.#heap.disposed || this.#heap[EPOCH] !== this.#epoch) {
      throw staleError(call(), `this ${what()} (id ${hex(this.#ptr)}) belongs to a heap that was disposed`);
    }
    if (heap !== undefined && heap !== this.#heap) {
      throw staleError(call(), `this ${what()} (id ${hex(this.#ptr)}) belongs to another heap`);
    }
    return this.#ptr;
  }

  /** The Heap this object lives in. */
  get heap() {
    return this.#heap;
  }

  /** True once release() ran or the heap was disposed: the handle can no longer be used. */
  get released() {
    return this.#ptr === 0 || this.#heap.disposed || this.#heap[EPOCH] !== this.#epoch;
  }

  /** id(obj): the object's address in the heap. */
  get id() {
    return this.#live(() => 'id');
  }

  /** type(obj).__name__ */
  get typeName() {
    const call = () => 'typeName';
    return onHeap(this, call, (raw, h, p) => raw.cString(objResult(raw, h, raw.obj_type_name(h, p), call)));
  }

  /**
   * The reference count as CPython 3.12's sys.getrefcount sees it in the
   * object header (without the call's own argument): the low 32 bits of
   * ob_refcnt; 4294967295 for immortal objects.
   */
  get refcount() {
    const call = () => 'refcount';
    return onHeap(this, call, (raw, h, p) => objResult(raw, h, raw.obj_refcnt(h, p), call));
  }

  /** sys.getsizeof(obj) */
  get sizeof() {
    const call = () => 'sizeof';
    return onHeap(this, call, (raw, h, p) => objResult(raw, h, raw.obj_sizeof(h, p), call));
  }

  /** repr(obj) */
  repr() {
    const call = () => 'repr()';
    return onHeap(this, call, (raw, h, p) => textResult(raw, h, raw.obj_repr(h, p), call));
  }

  /** hash(obj) as a BigInt; EPYTHON TypeError for unhashable objects. */
  hash() {
    const call = () => 'hash()';
    return onHeap(this, call, (raw, h, p) => raw.readI64(objResult(raw, h, raw.obj_hash(h, p), call)));
  }

  /** obj == other (other: a handle of the same heap or a JS value). */
  equals(other) {
    const call = () => `equals(${show(other)})`;
    return withArgs(this, call, [other], (raw, h, p, [q]) => intResult(raw, h, raw.obj_eq(h, p, q), call) === 1);
  }

  /** obj is other: the same object (false for a handle of another heap). */
  is(other) {
    const call = () => 'is()';
    const p = this.#live(call);
    if (!(other instanceof PyObject)) return false;
    if (other.heap !== this.#heap) return false;
    return ptrOf(other, call) === p;
  }

  /** len(obj); EPYTHON TypeError for objects without a length. */
  len() {
    const call = () => 'len()';
    return onHeap(this, call, (raw, h, p) => intResult(raw, h, raw.obj_len(h, p), call));
  }

  /**
   * The object as a JavaScript value: null, boolean, number (int: a BigInt
   * beyond Number.MAX_SAFE_INTEGER), string, Uint8Array; tuples and lists as
   * arrays, dicts as Maps, sets as Sets of converted items. EINVAL for
   * other objects and for a container that contains itself.
   */
  toJS() {
    return this[TO_JS](new Set());
  }

  /** @internal */
  [TO_JS](seen) {
    void seen;
    const type = TYPE_IDS[this.#type] ?? 'object';
    throw argError('toJS()', `a '${type}' object has no JavaScript value`);
  }

  /**
   * getattr(obj, name): a new handle; EPYTHON AttributeError with CPython's
   * message when there is none. `name` is a JS string or a str handle.
   */
  getattr(name) {
    const call = () => `getattr(${show(name)})`;
    return withArgs(this, call, [nameArg(name, call)], (raw, h, p, [np]) => adopt(this.heap, raw, h,
      objResult(raw, h, raw.getattr(h, p, np), call)));
  }

  /** setattr(obj, name, value); value: a handle of this heap or a JS value. */
  setattr(name, value) {
    const call = () => `setattr(${show(name)}, ${show(value)})`;
    withArgs(this, call, [nameArg(name, call), value], (raw, h, p, [np, vp]) => intResult(raw, h,
      raw.setattr(h, p, np, vp), call));
  }

  /** delattr(obj, name); EPYTHON AttributeError when there is none. */
  delattr(name) {
    const call = () => `delattr(${show(name)})`;
    withArgs(this, call, [nameArg(name, call)], (raw, h, p, [np]) => intResult(raw, h, raw.delattr(h, p, np), call));
  }

  /** hasattr(obj, name): false for AttributeError; other errors are thrown. */
  hasattr(name) {
    try {
      this.getattr(name).release();
      return true;
    } catch (e) {
      if (e instanceof PyheapError && e.code === 'EPYTHON' && e.pyType === 'AttributeError') return false;
      throw e;
    }
  }

  /** A new handle to the same object (Py_NewRef: one more reference). */
  dup() {
    const call = () => 'dup()';
    return onHeap(this, call, (raw, h, p, heap) => {
      intResult(raw, h, raw.obj_incref(h, p), call);
      return adopt(heap, raw, h, p);
    });
  }

  /**
   * Drop this handle's reference (Py_DECREF: the object is freed when it was
   * the last one). Returns true; false when the heap is already disposed
   * (its objects went with it). A second release() throws ESTALE.
   */
  release() {
    const p = this.#ptr;
    if (p === 0) {
      throw staleError('release()', `this handle to ${anObject(TYPE_IDS[this.#type] ?? 'Python')} was already released`);
    }
    this.#ptr = 0;
    registryFor(this.#heap)?.unregister(this);
    const heap = this.#heap;
    if (heap.disposed || heap[EPOCH] !== this.#epoch) return false;
    heap[RUN](() => 'release()', (raw, h) => intResult(raw, h, raw.obj_decref(h, p), () => 'release()'));
    return true;
  }

  /** release() for `using`: does nothing if already released or the heap is gone. */
  [disposeSymbol]() {
    if (!this.released) this.release();
    else if (this.#ptr !== 0) {
      this.#ptr = 0;
      registryFor(this.#heap)?.unregister(this);
    }
  }

  [inspectSymbol]() {
    const type = TYPE_IDS[this.#type] ?? 'object';
    return `${this.constructor.name} ${type} ${this.#ptr ? hex(this.#ptr) : '(released)'}`;
  }

  get [Symbol.toStringTag]() {
    return this.constructor.name;
  }
}

// ---- arguments ---------------------------------------------------------------------------------

/**
 * Run fn(raw, h, selfPtr, argPtrs) on self's heap. Arguments may be handles
 * of that heap or JS values; JS values become temporary objects (heap.from)
 * that are released after the call, as a Python temporary would be.
 */
function withArgs(self, call, args, fn) {
  ptrOf(self, call);
  const heap = self.heap;
  const temps = [];
  try {
    const ptrs = args.map((a) => {
      if (a instanceof PyObject) return ptrOf(a, call, heap);
      const t = fromJS(heap, a, call);
      temps.push(t);
      return ptrOf(t, call, heap);
    });
    return onHeap(self, call, (raw, h, p) => fn(raw, h, p, ptrs));
  } finally {
    for (const t of temps) if (!t.released) t.release();
  }
}

/** As withArgs for heap-level constructors: fn(raw, h, ptrs). */
function withItems(heap, call, items, fn) {
  if (items == null || typeof items[Symbol.iterator] !== 'function' || typeof items === 'string') {
    throw argError(call(), `items must be an array or another iterable, got ${show(items)}`);
  }
  const temps = [];
  try {
    const ptrs = [];
    for (const a of items) {
      if (a instanceof PyObject) ptrs.push(ptrOf(a, call, heap));
      else {
        const t = fromJS(heap, a, call);
        temps.push(t);
        ptrs.push(ptrOf(t, call, heap));
      }
    }
    return heap[RUN](call, (raw, h) => fn(raw, h, ptrs));
  } finally {
    for (const t of temps) if (!t.released) t.release();
  }
}

function indexArg(i, what, call) {
  if (typeof i === 'bigint') i = Number(i);
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw argError(call(), `${what} must be an integer, got ${show(i)}`);
  }
  return i;
}

/** Slice bounds: undefined / null mean None (NaN on the wire). */
function sliceArg(v, what, call) {
  return v === undefined || v === null ? NaN : indexArg(v, what, call);
}

/** An attribute name: a JS string or a str handle (anything else: EINVAL before the core sees it). */
function nameArg(name, call) {
  if (typeof name === 'string' || name instanceof PyStr) return name;
  throw argError(call(), `an attribute name must be a string or a str handle, got ${show(name)}`);
}

// ---- constructors (used by Heap) ----------------------------------------------------------------

/**
 * @internal A new handle (one more reference) to the object at address p,
 * which the core vouches for (host calls hand out addresses of live objects).
 */
export function handleAt(heap, p, call) {
  return heap[RUN](call, (raw, h) => {
    intResult(raw, h, raw.obj_incref(h, p), call);
    return adopt(heap, raw, h, p);
  });
}

/** int(v) from a JS integer, a BigInt or a string in Python's int() syntax (base 10). */
export function newInt(heap, v) {
  const call = () => `int(${show(v)})`;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) {
      throw argError(call(), Number.isFinite(v)
        ? `${v} is not an integer (use heap.float() for a float)` : `${v} has no int value`);
    }
    if (Number.isSafeInteger(v) || Object.is(v, -0)) {
      return heap[RUN](call, (raw, h) => adopt(heap, raw, h, objResult(raw, h, raw.int_from_double(h, v), call)));
    }
    v = BigInt(v); // exact: beyond 2**53 a double still holds an integer
  }
  if (typeof v === 'bigint') v = v.toString();
  if (typeof v !== 'string') throw argError(call(), `expected a number, a BigInt or a string, got ${show(v)}`);
  const bytes = utf8.encode(v);
  return heap[RUN](call, (raw, h) => withBytes(raw, h, bytes, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.int_from_text(h, p, bytes.length, 10), call))));
}

/** float(v) from a JS number. */
export function newFloat(heap, v) {
  const call = () => `float(${show(v)})`;
  if (typeof v !== 'number') throw argError(call(), `expected a number, got ${show(v)}`);
  return heap[RUN](call, (raw, h) => adopt(heap, raw, h, objResult(raw, h, raw.float_new(h, v), call)));
}

/** A str with the text of s (decoded from UTF-8 by the core, as a str literal is). */
export function newStr(heap, s) {
  const call = () => `str(${show(s)})`;
  if (typeof s !== 'string') throw argError(call(), `expected a string, got ${show(s)}`);
  if (!isWellFormed(s)) throw argError(call(), 'the string has a lone surrogate, which UTF-8 cannot carry');
  const bytes = utf8.encode(s);
  return heap[RUN](call, (raw, h) => withBytes(raw, h, bytes, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.str_new(h, p, bytes.length), call))));
}

/** bytes from a Uint8Array (any ArrayBufferView), an ArrayBuffer or an array of byte values. */
export function newBytes(heap, data) {
  const call = () => `bytes(${show(data)})`;
  let bytes;
  if (data instanceof Uint8Array) bytes = data;
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (Array.isArray(data)) {
    if (!data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
      throw argError(call(), 'every byte must be an integer from 0 to 255');
    }
    bytes = Uint8Array.from(data);
  } else throw argError(call(), `expected a Uint8Array, an ArrayBuffer or an array of bytes, got ${show(data)}`);
  return heap[RUN](call, (raw, h) => withBytes(raw, h, bytes, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.bytes_new(h, p, bytes.length), call))));
}

/** None, True, False, NotImplemented or Ellipsis (immortal). */
export function singleton(heap, name) {
  const call = () => name;
  return heap[RUN](call, (raw, h) => adopt(heap, raw, h, objResult(raw, h, raw.obj_singleton(h, SINGLETONS[name]), call)));
}

/** (a, b, ...): BUILD_TUPLE of the items (handles or JS values). */
export function newTuple(heap, items) {
  const call = () => `tuple(${show(items)})`;
  return withItems(heap, call, items, (raw, h, ptrs) => withHandles(raw, h, ptrs, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.tuple_new(h, p, ptrs.length), call))));
}

/** [a, b, ...]: BUILD_LIST of the items. */
export function newList(heap, items) {
  const call = () => `list(${show(items)})`;
  return withItems(heap, call, items, (raw, h, ptrs) => withHandles(raw, h, ptrs, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.list_new(h, p, ptrs.length), call))));
}

/** {a, b, ...} (BUILD_SET), or frozenset of the items when frozen. */
export function newSet(heap, items, frozen) {
  const call = () => `${frozen ? 'frozenset' : 'set'}(${show(items)})`;
  return withItems(heap, call, items, (raw, h, ptrs) => withHandles(raw, h, ptrs, call,
    (p) => adopt(heap, raw, h, objResult(raw, h, raw.set_new(h, p, ptrs.length, frozen ? 1 : 0), call))));
}

/** {} then d[k] = v for each entry (a Map, an iterable of [k, v] pairs, or a plain object). */
export function newDict(heap, entries) {
  const call = () => `dict(${entries === undefined ? '' : show(entries)})`;
  const d = heap[RUN](call, (raw, h) => adopt(heap, raw, h, objResult(raw, h, raw.dict_new(h), call)));
  try {
    fillDict(d, entries, call);
  } catch (e) {
    d.release();
    throw e;
  }
  return d;
}

/** d[k] = v for each entry: a Map, an iterable of [k, v] pairs, a plain object or a dict handle (nothing for null). */
function fillDict(d, entries, call) {
  if (entries === undefined || entries === null) return;
  if (entries instanceof PyDict) {
    for (const [k, v] of entries.items()) {
      try {
        d.set(k, v);
      } finally {
        k.release();
        v.release();
      }
    }
    return;
  }
  let pairs;
  if (entries instanceof Map || typeof entries[Symbol.iterator] === 'function') pairs = entries;
  else if (typeof entries === 'object' && !(entries instanceof PyObject)) pairs = Object.entries(entries);
  else throw argError(call(), `entries must be a Map, an iterable of [key, value] pairs, an object or a dict handle, got ${show(entries)}`);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw argError(call(), `each entry must be a [key, value] pair, got ${show(pair)}`);
    }
    d.set(pair[0], pair[1]);
  }
}

/** Throw EINVAL for an options object that is not one or has names outside `known`. */
function checkOptions(options, known, call) {
  if (options === null || typeof options !== 'object' || options instanceof PyObject) {
    throw argError(call(), `options must be an object, got ${show(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw argError(call(), `unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  }
}

/**
 * Run fn(raw, h, ptrs) with `args` as object addresses: handles of the heap
 * as they are, JS values as temporary objects (tuple-valued arguments, at
 * the indices in `tuples`, from JS arrays), undefined / null as 0 where
 * `optional` says so. Temporaries are released afterwards. @internal (frames.js)
 */
export function withObjects(heap, call, args, { optional = [], tuples = [] }, fn) {
  const temps = [];
  try {
    const ptrs = args.map((a, i) => {
      if (a instanceof PyObject) return ptrOf(a, call, heap);
      if ((a === undefined || a === null) && optional.includes(i)) return 0;
      const t = Array.isArray(a) && tuples.includes(i) ? newTuple(heap, a) : fromJS(heap, a, call);
      temps.push(t);
      return ptrOf(t, call, heap);
    });
    return heap[RUN](call, (raw, h) => fn(raw, h, ptrs));
  } finally {
    for (const t of temps) if (!t.released) t.release();
  }
}

const CLASS_OPTIONS = ['base', 'dict', 'qualname', 'module', 'slots'];

/**
 * The class statement: `class name(base): <dict>` with the namespace the
 * compiler builds (__module__, __qualname__, then the body's names, then
 * __slots__ when given), passed to type(name, (base,), ns).
 */
export function newClass(heap, name, options = {}) {
  const call = () => `class(${show(name)})`;
  if (typeof name !== 'string') throw argError(call(), `the class name must be a string, got ${show(name)}`);
  checkOptions(options, CLASS_OPTIONS, call);
  const { base, dict, qualname = name, module = '__main__', slots } = options;
  if (base !== undefined && base !== null && !(base instanceof PyType)) {
    throw argError(call(), `options.base must be a class handle, got ${show(base)}`);
  }
  if (typeof qualname !== 'string' || typeof module !== 'string') {
    throw argError(call(), 'options.qualname and options.module must be strings');
  }
  let slotNames;
  if (slots !== undefined) {
    slotNames = typeof slots === 'string' ? [slots] : slots;
    if (!Array.isArray(slotNames) || !slotNames.every((x) => typeof x === 'string')) {
      throw argError(call(), `options.slots must be a string or an array of strings, got ${show(slots)}`);
    }
  }
  const ns = newDict(heap);
  try {
    ns.set('__module__', module);
    ns.set('__qualname__', qualname);
    fillDict(ns, dict, call);
    if (slotNames) {
      const t = newTuple(heap, slotNames);
      try {
        ns.set('__slots__', t);
      } finally {
        t.release();
      }
    }
    return withObjects(heap, call, [name, base, ns], { optional: [1] }, (raw, h, [np, bp, nsp]) =>
      adopt(heap, raw, h, objResult(raw, h, raw.class_new(h, np, bp, nsp), call)));
  } finally {
    ns.release();
  }
}

/** CO_FAST_LOCAL, the default kind of every local name. */
const CO_FAST_LOCAL = 0x20;
/** The integer options of heap.code() and their defaults (a plain function: CO_OPTIMIZED | CO_NEWLOCALS). */
const CODE_INT_OPTIONS = {
  argcount: 0, posonlyargcount: 0, kwonlyargcount: 0, stacksize: 1, firstlineno: 1, flags: 3, ncodeunits: 1, bodyId: 0,
};
const CODE_OPTIONS = ['name', 'qualname', 'filename', 'consts', 'names', 'localsplusnames', 'localspluskinds',
  ...Object.keys(CODE_INT_OPTIONS)];

/** A code object (PyUnstable_Code_New without bytecode): see index.d.ts CodeOptions. */
export function newCode(heap, options = {}) {
  const call = () => `code(${show(options?.name)})`;
  checkOptions(options, CODE_OPTIONS, call);
  const {
    name = '<lambda>', qualname = name, filename = '<pyheap>', consts = [null], names = [], localsplusnames = [],
  } = options;
  const kinds = options.localspluskinds
    ?? new Uint8Array(Array.isArray(localsplusnames) ? localsplusnames.length : 0).fill(CO_FAST_LOCAL);
  const ints = Object.entries(CODE_INT_OPTIONS).map(([k, dflt]) => {
    const v = options[k] ?? dflt;
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 32) {
      throw argError(call(), `options.${k} must be a 32-bit integer, got ${show(v)}`);
    }
    return v;
  });
  return withObjects(heap, call, [consts, names, localsplusnames, kinds, filename, name, qualname],
    { tuples: [0, 1, 2] }, (raw, h, ptrs) => adopt(heap, raw, h,
      objResult(raw, h, raw.code_new(h, ...ptrs, ...ints), call)));
}

const FUNCTION_OPTIONS = ['builtins', 'defaults', 'kwdefaults', 'annotations', 'closure'];

/** MAKE_FUNCTION: a function of `code` with `globals`; the options as in index.d.ts FunctionOptions. */
export function newFunction(heap, code, globals, options = {}) {
  const call = () => 'function()';
  if (!(code instanceof PyCode)) throw argError(call(), `expected a code handle, got ${show(code)}`);
  if (options && 'qualname' in options) {
    throw argError(call(), 'a function takes __qualname__ from its code object, as MAKE_FUNCTION does in 3.12: ' +
      'pass it as heap.code({ qualname })');
  }
  checkOptions(options, FUNCTION_OPTIONS, call);
  const args = [code, globals, ...FUNCTION_OPTIONS.map((k) => options[k])];
  return withObjects(heap, call, args, { optional: [2, 3, 4, 5, 6], tuples: [3, 6] }, (raw, h, ptrs) =>
    adopt(heap, raw, h, objResult(raw, h, raw.func_new(h, ...ptrs), call)));
}

/** A cell holding v (an empty cell for undefined). */
export function newCell(heap, v) {
  const call = () => `cell(${show(v)})`;
  return withObjects(heap, call, [v === undefined ? null : v], { optional: v === undefined ? [0] : [] },
    (raw, h, [vp]) => adopt(heap, raw, h, objResult(raw, h, raw.cell_new(h, vp), call)));
}

/** iter(obj) for the core's iterables (list, tuple, str, bytes, range, dict, set, frozenset, an iterator). */
export function newIter(heap, obj) {
  const call = () => `iter(${show(obj)})`;
  return withObjects(heap, call, [obj], {}, (raw, h, [op]) => adopt(heap, raw, h, objResult(raw, h, raw.iter_new(h, op), call)));
}

/** callable(obj) for the kinds of objects the model has: functions, methods, classes, instances with __call__. */
function isCallable(obj) {
  if (obj instanceof PyFunction || obj instanceof PyMethod || obj instanceof PyType) return true;
  if (!(obj instanceof PyInstance)) return false;
  const cls = obj.class;
  try {
    const f = cls.lookup('__call__');
    f?.release();
    return f !== null;
  } finally {
    cls.release();
  }
}

/** weakref.ref(obj, callback) (proxy false) or weakref.proxy(obj, callback). */
export function newWeakref(heap, obj, callback, proxy) {
  const call = () => `${proxy ? 'proxy' : 'weakref'}(${show(obj)})`;
  if (!(obj instanceof PyObject)) throw argError(call(), `expected a handle of this heap, got ${show(obj)}`);
  if (callback !== undefined && callback !== null && !(callback instanceof PyObject)) {
    throw argError(call(), `the callback must be a handle of this heap, got ${show(callback)}`);
  }
  ptrOf(obj, call, heap);
  const callable = proxy && isCallable(obj) ? 1 : 0;
  return withObjects(heap, call, [obj, callback], { optional: [1] }, (raw, h, [op, cp]) => adopt(heap, raw, h,
    objResult(raw, h, proxy ? raw.weakref_proxy(h, op, cp, callable) : raw.weakref_new(h, op, cp), call)));
}

/** weakref.getweakrefcount(obj) (proxies == false) or getweakrefs(obj) as an array of handles. */
export function weakrefsOf(heap, obj, list) {
  const call = () => `${list ? 'getWeakrefs' : 'getWeakrefCount'}(${show(obj)})`;
  if (!(obj instanceof PyObject)) throw argError(call(), `expected a handle of this heap, got ${show(obj)}`);
  const p = ptrOf(obj, call, heap);
  return heap[RUN](call, (raw, h) => {
    if (!list) return intResult(raw, h, raw.weakref_getweakrefcount(h, p), call);
    return drain(adopt(heap, raw, h, objResult(raw, h, raw.weakref_getweakrefs(h, p), call)));
  });
}

/** @internal The items of a list handle as handles; the list is released. */
export function drain(lst) {
  try {
    return lst.toArray();
  } finally {
    lst.release();
  }
}

/** @internal For gc.js: a handle for the new reference p, or throw what the core says. */
export function resultHandle(heap, raw, h, p, call) {
  return adopt(heap, raw, h, objResult(raw, h, p, call));
}

/** @internal For gc.js: r, or throw what the core says when r < 0. */
export function resultInt(raw, h, r, call) {
  return intResult(raw, h, r, call);
}

/** @internal For gc.js: fn(raw, h, ptr, n) with the addresses of `objs` (handles of heap) in the transfer buffer. */
export function withObjectArray(heap, objs, call, fn) {
  const ptrs = objs.map((o) => {
    if (!(o instanceof PyObject)) throw argError(call(), `expected handles of this heap, got ${show(o)}`);
    return ptrOf(o, call, heap);
  });
  return heap[RUN](call, (raw, h) => withHandles(raw, h, ptrs, call, (b) => fn(raw, h, b, ptrs.length)));
}

/** @internal For gc.js: the address of a handle of heap (ESTALE otherwise). */
export function addressOf(heap, o, call) {
  if (!(o instanceof PyObject)) throw argError(call(), `expected a handle of this heap, got ${show(o)}`);
  return ptrOf(o, call, heap);
}

/**
 * A new handle for a JS value: null/undefined -> None, boolean -> bool,
 * integral number -> int, other number -> float, BigInt -> int, string ->
 * str, Uint8Array/ArrayBuffer -> bytes, array -> list, Map -> dict, Set ->
 * set, plain object -> dict with str keys; a handle of this heap -> dup().
 */
export function fromJS(heap, v, call = () => `from(${show(v)})`) {
  if (v instanceof PyObject) {
    ptrOf(v, call, heap);
    return v.dup();
  }
  if (v === null || v === undefined) return singleton(heap, 'None');
  switch (typeof v) {
    case 'boolean': return singleton(heap, v ? 'True' : 'False');
    case 'number': return Number.isInteger(v) ? newInt(heap, v) : newFloat(heap, v);
    case 'bigint': return newInt(heap, v);
    case 'string': return newStr(heap, v);
    default: break;
  }
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return newBytes(heap, v);
  if (Array.isArray(v)) return newList(heap, v);
  if (v instanceof Map) return newDict(heap, v);
  if (v instanceof Set) return newSet(heap, v, false);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return newDict(heap, v);
  throw argError(call(), `no Python object for ${show(v)}`);
}

// ---- per-type handles ---------------------------------------------------------------------------

/** int */
export class PyInt extends PyObject {
  /** @internal */
  [TO_JS]() {
    const call = () => 'toJS()';
    const text = onHeap(this, call, (raw, h, p) => textResult(raw, h, raw.int_to_text(h, p), call));
    const neg = text.startsWith('-');
    const big = BigInt(neg ? text.slice(1) : text);
    const v = neg ? -big : big;
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}

/**
 * bool (True and False are immortal). Python's bool is an int subclass; the
 * handle classes keep them apart so that toJS() has one type per class.
 */
export class PyBool extends PyObject {
  /** @internal */
  [TO_JS]() {
    const call = () => 'toJS()';
    return onHeap(this, call, (raw, h, p) => textResult(raw, h, raw.int_to_text(h, p), call)) !== '0x0';
  }
}

/** float */
export class PyFloat extends PyObject {
  /** @internal */
  [TO_JS]() {
    const call = () => 'toJS()';
    return onHeap(this, call, (raw, h, p) => {
      const v = raw.float_value(h, p);
      if (Number.isNaN(v) && raw.last_status(h) < 0) throw coreError(raw, h, call());
      return v;
    });
  }
}

/** NoneType */
export class PyNone extends PyObject {
  /** @internal */
  [TO_JS]() {
    ptrOf(this, () => 'toJS()');
    return null;
  }
}

/** str */
export class PyStr extends PyObject {
  /** len(s) in code points. */
  get length() {
    return this.len();
  }

  /** @internal */
  [TO_JS]() {
    const call = () => 'toJS()';
    return onHeap(this, call, (raw, h, p) => textResult(raw, h, raw.str_utf8(h, p), call));
  }
}

/** bytes */
export class PyBytes extends PyObject {
  get length() {
    return this.len();
  }

  /** @internal A copy of the contents. */
  [TO_JS]() {
    const call = () => 'toJS()';
    return onHeap(this, call, (raw, h, p) => {
      const d = objResult(raw, h, raw.bytes_data(h, p), call);
      return raw.bytes(d, raw.obj_text_len());
    });
  }
}

/** Shared by tuple and list: items by index. */
class PySequence extends PyObject {
  get length() {
    return this.len();
  }

  /** A handle to every item, in order. */
  toArray() {
    const out = [];
    try {
      for (const x of this) out.push(x);
    } catch (e) {
      for (const x of out) x.release();
      throw e;
    }
    return out;
  }

  /** Handles to the items (each one owned by the caller), stopping at the current length. */
  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** @internal */
  [TO_JS](seen) {
    const id = this.id;
    if (seen.has(id)) throw argError('toJS()', `the ${this.typeName} contains itself`);
    seen.add(id);
    const out = [];
    for (const x of this) {
      try {
        out.push(x[TO_JS](seen));
      } finally {
        x.release();
      }
    }
    seen.delete(id);
    return out;
  }
}

/** tuple */
export class PyTuple extends PySequence {
  /** t[i] (negative i from the end): a new handle; EPYTHON IndexError out of range. */
  get(i) {
    const call = () => `tuple.get(${show(i)})`;
    i = indexArg(i, 'index', call);
    return onHeap(this, call, (raw, h, p, heap) => adopt(heap, raw, h, objResult(raw, h, raw.tuple_getitem(h, p, i), call)));
  }
}

/** list */
export class PyList extends PySequence {
  /** l.append(v) */
  append(v) {
    const call = () => `list.append(${show(v)})`;
    withArgs(this, call, [v], (raw, h, p, [q]) => intResult(raw, h, raw.list_append(h, p, q), call));
  }

  /** l.insert(i, v) */
  insert(i, v) {
    const call = () => `list.insert(${show(i)}, ${show(v)})`;
    i = indexArg(i, 'index', call);
    withArgs(this, call, [v], (raw, h, p, [q]) => intResult(raw, h, raw.list_insert(h, p, i, q), call));
  }

  /** l[i] = v */
  set(i, v) {
    const call = () => `list.set(${show(i)}, ${show(v)})`;
    i = indexArg(i, 'index', call);
    withArgs(this, call, [v], (raw, h, p, [q]) => intResult(raw, h, raw.list_setitem(h, p, i, q), call));
  }

  /** l[i]: a new handle; EPYTHON IndexError out of range. */
  get(i) {
    const call = () => `list.get(${show(i)})`;
    i = indexArg(i, 'index', call);
    return onHeap(this, call, (raw, h, p, heap) => adopt(heap, raw, h, objResult(raw, h, raw.list_getitem(h, p, i), call)));
  }

  /** l.pop(i = -1): the removed item's reference, as a handle. */
  pop(i = -1) {
    const call = () => `list.pop(${show(i)})`;
    i = indexArg(i, 'index', call);
    return onHeap(this, call, (raw, h, p, heap) => adopt(heap, raw, h, objResult(raw, h, raw.list_pop(h, p, i), call)));
  }

  /** del l[i] */
  delete(i) {
    const call = () => `list.delete(${show(i)})`;
    i = indexArg(i, 'index', call);
    onHeap(this, call, (raw, h, p) => intResult(raw, h, raw.list_delitem(h, p, i), call));
  }

  /** l[start:stop:step] (undefined / null for an omitted part): a new list. */
  slice(start, stop, step) {
    const call = () => `list.slice(${show(start)}, ${show(stop)}, ${show(step)})`;
    const a = sliceArg(start, 'start', call), b = sliceArg(stop, 'stop', call), c = sliceArg(step, 'step', call);
    return onHeap(this, call, (raw, h, p, heap) => adopt(heap, raw, h,
      objResult(raw, h, raw.list_getslice(h, p, a, b, c), call)));
  }

  /** del l[start:stop:step] */
  deleteSlice(start, stop, step) {
    const call = () => `list.deleteSlice(${show(start)}, ${show(stop)}, ${show(step)})`;
    const a = sliceArg(start, 'start', call), b = sliceArg(stop, 'stop', call), c = sliceArg(step, 'step', call);
    onHeap(this, call, (raw, h, p) => intResult(raw, h, raw.list_delslice(h, p, a, b, c), call));
  }

  /** l.extend(seq): seq a list or tuple handle, or a JS iterable (made into a temporary list). */
  extend(seq) {
    const call = () => `list.extend(${show(seq)})`;
    if (!(seq instanceof PyObject) && (seq == null || typeof seq[Symbol.iterator] !== 'function' || typeof seq === 'string')) {
      throw argError(call(), `expected a list or tuple handle or an iterable, got ${show(seq)}`);
    }
    const arg = seq instanceof PyObject ? seq : [...seq];
    withArgs(this, call, [arg], (raw, h, p, [q]) => intResult(raw, h, raw.list_extend(h, p, q), call));
  }
}

/** dict */
export class PyDict extends PyObject {
  get length() {
    return this.len();
  }

  /** d[k] = v */
  set(k, v) {
    const call = () => `dict.set(${show(k)}, ${show(v)})`;
    withArgs(this, call, [k, v], (raw, h, p, [kp, vp]) => intResult(raw, h, raw.dict_setitem(h, p, kp, vp), call));
  }

  /** d[k]: a new handle; EPYTHON KeyError when absent. */
  get(k) {
    const call = () => `dict.get(${show(k)})`;
    return withArgs(this, call, [k], (raw, h, p, [kp]) => adopt(this.heap, raw, h,
      objResult(raw, h, raw.dict_getitem(h, p, kp), call)));
  }

  /** del d[k]; EPYTHON KeyError when absent. */
  delete(k) {
    const call = () => `dict.delete(${show(k)})`;
    withArgs(this, call, [k], (raw, h, p, [kp]) => intResult(raw, h, raw.dict_delitem(h, p, kp), call));
  }

  /** k in d */
  has(k) {
    const call = () => `dict.has(${show(k)})`;
    return withArgs(this, call, [k], (raw, h, p, [kp]) => intResult(raw, h, raw.dict_contains(h, p, kp), call) === 1);
  }

  /** Handles to the keys, in insertion order. */
  keys() {
    return this.#iterate('keys');
  }

  /** Handles to the values, in insertion order. */
  values() {
    return this.#iterate('values');
  }

  /** [key, value] handle pairs, in insertion order. */
  items() {
    return this.#iterate('items');
  }

  [Symbol.iterator]() {
    return this.#iterate('keys');
  }

  /** As CPython's dict iterators: RuntimeError when the size changes during iteration. */
  *#iterate(kind) {
    const call = () => `dict.${kind}()`;
    const size = this.length;
    let pos = 0;
    for (;;) {
      if (this.length !== size) throw pyError(call(), 'RuntimeError', 'dictionary changed size during iteration');
      const item = onHeap(this, call, (raw, h, p, heap) => {
        pos = intResult(raw, h, raw.dict_next(h, p, pos), call);
        if (pos === 0) return null;
        const s = raw.obj_scratch(h);
        const kp = raw.readU32(s), vp = raw.readU32(s + 4);
        if (kind === 'keys') {
          raw.obj_decref(h, vp);
          return adopt(heap, raw, h, kp);
        }
        if (kind === 'values') {
          raw.obj_decref(h, kp);
          return adopt(heap, raw, h, vp);
        }
        const key = adopt(heap, raw, h, kp);
        return [key, adopt(heap, raw, h, vp)];
      });
      if (item === null) return;
      yield item;
    }
  }

  /** @internal A Map of converted keys and values. */
  [TO_JS](seen) {
    const id = this.id;
    if (seen.has(id)) throw argError('toJS()', 'the dict contains itself');
    seen.add(id);
    const out = new Map();
    for (const [k, v] of this.items()) {
      try {
        out.set(k[TO_JS](seen), v[TO_JS](seen));
      } finally {
        k.release();
        v.release();
      }
    }
    seen.delete(id);
    return out;
  }
}

/** Shared by set and frozenset. */
class PyAnySet extends PyObject {
  get length() {
    return this.len();
  }

  /** k in s */
  has(k) {
    const call = () => `${this.constructor === PySet ? 'set' : 'frozenset'}.has(${show(k)})`;
    return withArgs(this, call, [k], (raw, h, p, [kp]) => intResult(raw, h, raw.set_contains(h, p, kp), call) === 1);
  }

  /** Handles to the elements, in table order; RuntimeError if the size changes meanwhile. */
  *[Symbol.iterator]() {
    const call = () => 'set iteration';
    const size = this.length;
    let pos = 0;
    for (;;) {
      if (this.length !== size) throw pyError(call(), 'RuntimeError', 'Set changed size during iteration');
      const item = onHeap(this, call, (raw, h, p, heap) => {
        pos = intResult(raw, h, raw.set_next(h, p, pos), call);
        return pos === 0 ? null : adopt(heap, raw, h, raw.readU32(raw.obj_scratch(h)));
      });
      if (item === null) return;
      yield item;
    }
  }

  /** A handle to every element. */
  toArray() {
    const out = [];
    try {
      for (const x of this) out.push(x);
    } catch (e) {
      for (const x of out) x.release();
      throw e;
    }
    return out;
  }

  /** @internal A Set of converted elements. */
  [TO_JS](seen) {
    const out = new Set();
    for (const x of this) {
      try {
        out.add(x[TO_JS](seen));
      } finally {
        x.release();
      }
    }
    return out;
  }
}

/** set */
export class PySet extends PyAnySet {
  /** s.add(k) */
  add(k) {
    const call = () => `set.add(${show(k)})`;
    withArgs(this, call, [k], (raw, h, p, [kp]) => intResult(raw, h, raw.set_add(h, p, kp), call));
  }

  /** s.discard(k): true if k was in the set. */
  discard(k) {
    const call = () => `set.discard(${show(k)})`;
    return withArgs(this, call, [k], (raw, h, p, [kp]) => intResult(raw, h, raw.set_discard(h, p, kp), call) === 1);
  }
}

/** frozenset */
export class PyFrozenSet extends PyAnySet {}

// ---- classes, instances and callables --------------------------------------------------------

/** A handle to the new reference fn(raw, h, selfPtr) returns (0: throw what the core says). */
function objField(self, call, fn) {
  return onHeap(self, call, (raw, h, p, heap) => adopt(heap, raw, h, objResult(raw, h, fn(raw, h, p), call)));
}

/** The count / status fn(raw, h, selfPtr) returns (< 0: throw). */
function intField(self, call, fn) {
  return onHeap(self, call, (raw, h, p) => intResult(raw, h, fn(raw, h, p), call));
}

/** Read-only getters on cls.prototype: name -> fn(self, index) for each of `names`. */
function defineFields(cls, names, fn) {
  names.forEach((name, i) => {
    if (name) Object.defineProperty(cls.prototype, name, { get() { return fn(this, i, name); }, configurable: true });
  });
}

/**
 * type: a class. User classes (heap types) made by heap.class() support
 * new(), lookup(), mro and dict; built-in types (type(5) through getattr)
 * answer getattr and the common handle methods only (EINVAL otherwise).
 */
export class PyType extends PyObject {
  /** object.__new__(cls): a new instance (no __init__ runs: there is no interpreter). */
  new() {
    return objField(this, () => 'class.new()', (raw, h, p) => raw.instance_new(h, p));
  }

  /** _PyType_Lookup(cls, name): what the MRO's dicts hold for name (a new handle), or null. */
  lookup(name) {
    const call = () => `class.lookup(${show(name)})`;
    return withArgs(this, call, [nameArg(name, call)], (raw, h, p, [np]) => {
      const r = raw.class_lookup(h, p, np);
      if (!r) {
        if (raw.last_status(h) < 0) throw coreError(raw, h, call());
        return null;
      }
      return adopt(this.heap, raw, h, r);
    });
  }

  /** cls.__mro__: a tuple handle (the class, its bases, object). */
  get mro() {
    return objField(this, () => 'class.mro', (raw, h, p) => raw.class_mro(h, p));
  }

  /** The class's own dict (what cls.__dict__ wraps): a dict handle. */
  get dict() {
    return objField(this, () => 'class.dict', (raw, h, p) => raw.class_dict(h, p));
  }

  /** cls.__name__ as a JS string. */
  get name() {
    const n = this.getattr('__name__');
    try {
      return n.toJS();
    } finally {
      n.release();
    }
  }
}

/** An instance of a user class. */
export class PyInstance extends PyObject {
  /** obj.__dict__ (materialised from the shared-keys values on first use): a dict handle. */
  get dict() {
    return objField(this, () => 'instance.dict', (raw, h, p) => raw.instance_dict(h, p));
  }

  /** type(obj): a handle to its class. */
  get class() {
    return this.getattr('__class__');
  }
}

/** code (codeobject.h: no bytecode; the interpreter keys the body by bodyId). */
export class PyCode extends PyObject {}
/** pmw_code_info fields, by index. */
const CODE_INTS = ['flags', 'argcount', 'posonlyargcount', 'kwonlyargcount', 'stacksize', 'firstlineno',
  'nlocalsplus', 'framesize', 'nlocals', 'ncellvars', 'nfreevars', 'bodyId', 'codeUnits'];
/** pmw_code_get fields, by index (co_ prefix dropped). */
const CODE_OBJS = ['consts', 'names', 'localsplusnames', 'localspluskinds', 'filename', 'name', 'qualname',
  'varnames', 'cellvars', 'freevars'];
defineFields(PyCode, CODE_INTS, (self, i, name) => intField(self, () => `code.${name}`, (raw, h, p) => raw.code_info(h, p, i)));
defineFields(PyCode, CODE_OBJS, (self, i, name) => objField(self, () => `code.${name}`, (raw, h, p) => raw.code_get(h, p, i)));

/** function */
export class PyFunction extends PyObject {
  /**
   * function.__get__(obj): a bound method holding the function and obj;
   * the function itself for obj null / undefined / None.
   */
  bind(obj) {
    const call = () => `function.bind(${show(obj)})`;
    if (obj === undefined || obj === null) {
      return objField(this, call, (raw, h, p) => raw.func_bind(h, p, 0));
    }
    return withArgs(this, call, [obj], (raw, h, p, [op]) => adopt(this.heap, raw, h,
      objResult(raw, h, raw.func_bind(h, p, op), call)));
  }
}
/** pmw_func_get fields, by index (dunders dropped): handles, None when unset. */
const FUNC_FIELDS = ['code', 'globals', 'builtins', 'name', 'qualname', 'defaults', 'kwdefaults', 'closure', 'doc',
  'dict', 'module', 'annotations'];
/** The fields pmw_func_set accepts. */
const FUNC_SETTABLE = new Set(['defaults', 'kwdefaults', 'doc', 'annotations']);
FUNC_FIELDS.forEach((name, i) => {
  const desc = {
    get() { return objField(this, () => `function.${name}`, (raw, h, p) => raw.func_get(h, p, i)); },
    configurable: true,
  };
  if (FUNC_SETTABLE.has(name)) {
    // null / undefined / None clear the field; arrays become tuples, objects dicts (fromJS)
    desc.set = function set(v) {
      const call = () => `function.${name} = ${show(v)}`;
      if (v === undefined || v === null) {
        intField(this, call, (raw, h, p) => raw.func_set(h, p, i, 0));
        return;
      }
      const arg = Array.isArray(v) && name === 'defaults' ? newTuple(this.heap, v) : v;
      try {
        withArgs(this, call, [arg], (raw, h, p, [vp]) => intResult(raw, h, raw.func_set(h, p, i, vp), call));
      } finally {
        if (arg !== v) arg.release();
      }
    };
  }
  Object.defineProperty(PyFunction.prototype, name, desc);
});

/** cell (a closure variable) */
export class PyCell extends PyObject {
  /** cell.cell_contents: a new handle; EPYTHON ValueError "Cell is empty". */
  get() {
    return objField(this, () => 'cell.get()', (raw, h, p) => raw.cell_get(h, p));
  }

  /** cell.cell_contents = v; undefined empties the cell (del). */
  set(v) {
    const call = () => `cell.set(${show(v)})`;
    if (v === undefined) {
      intField(this, call, (raw, h, p) => raw.cell_set(h, p, 0));
      return;
    }
    withArgs(this, call, [v], (raw, h, p, [vp]) => intResult(raw, h, raw.cell_set(h, p, vp), call));
  }
}

/** method: a function bound to an object. */
export class PyMethod extends PyObject {
  /** __func__ */
  get func() {
    return objField(this, () => 'method.func', (raw, h, p) => raw.method_get(h, p, 0));
  }

  /** __self__ */
  get self() {
    return objField(this, () => 'method.self', (raw, h, p) => raw.method_get(h, p, 1));
  }
}

/** What pmw_gen_send / pmw_gen_resume return. */
const GEN_STEP = ['running', 'exhausted'];

/** generator (made by the interpreter through RETURN_GENERATOR; readable here). */
export class PyGenerator extends PyObject {
  /** 'created' | 'suspended' | 'executing' | 'completed' | 'cleared' (gi_frame_state) */
  get state() {
    return GEN_STATES[intField(this, () => 'generator.state', (raw, h, p) => raw.gen_state(h, p))];
  }

  /** The address of its frame while it has one (gi_frame is not None), else null. */
  get frame() {
    return onHeap(this, () => 'generator.frame', (raw, h, p) => raw.gen_frame(h, p) || null);
  }

  /**
   * gen.send(v) / next(gen) (v undefined): resume the generator and push v
   * for the body; 'running' (its frame is current now) or 'exhausted'.
   * EPYTHON ValueError / TypeError as CPython for a running or just-started one.
   */
  send(v) {
    const call = () => `generator.send(${show(v)})`;
    return GEN_STEP[withObjects(this.heap, call, [this, v ?? null], { optional: v === undefined ? [1] : [] },
      (raw, h, [g, vp]) => intResult(raw, h, raw.gen_send(h, g, vp), call))];
  }

  /** Resume without a value (after an exception was thrown in): 'running' or 'exhausted'. */
  resume() {
    return GEN_STEP[intField(this, () => 'generator.resume()', (raw, h, p) => raw.gen_resume(h, p))];
  }

  /** YIELD_VALUE: the running generator's frame leaves the stack. */
  suspend() {
    intField(this, () => 'generator.suspend()', (raw, h, p) => raw.gen_suspend(h, p));
  }

  /** The body returned or raised: the generator is completed and its frame cleared. */
  finish() {
    intField(this, () => 'generator.finish()', (raw, h, p) => raw.gen_finish(h, p));
  }

  /** gen.close() without Python code to run (genobject.h pm_gen_close). */
  close() {
    intField(this, () => 'generator.close()', (raw, h, p) => raw.gen_close(h, p));
  }
}
defineFields(PyGenerator, ['name', 'qualname', 'code'], (self, i, name) => objField(self, () => `generator.${name}`,
  (raw, h, p) => raw.gen_get(h, p, i)));

/** weakref.ref */
export class PyWeakref extends PyObject {
  /** r(): a handle to the referent, or to None once it died. */
  call() {
    return objField(this, () => 'weakref.call()', (raw, h, p) => raw.weakref_call(h, p));
  }
}

/** weakref.proxy (ProxyType and CallableProxyType) */
export class PyProxy extends PyObject {
  /** The referent (a new handle); EPYTHON ReferenceError "weakly-referenced object no longer exists". */
  referent() {
    return objField(this, () => 'proxy.referent()', (raw, h, p) => raw.weakref_proxy_referent(h, p));
  }
}

/**
 * The core's iterator objects (list_iterator, range_iterator, dict_keyiterator,
 * enumerate, zip, map, filter, reversed, ...).
 */
export class PyIterator extends PyObject {
  /** next(it): a handle to the next item, or null once exhausted. map, filter
   *  (and enumerate/zip over them) run Python code: EINVAL, the interpreter steps those. */
  next() {
    const call = () => 'iterator.next()';
    return onHeap(this, call, (raw, h, p, heap) => {
      const x = raw.iter_next(h, p);
      if (x) return adopt(heap, raw, h, x);
      if (raw.last_status(h) < 0) throw coreError(raw, h, call());
      return null;
    });
  }

  /** it.__length_hint__(), or null for the types without one (enumerate, zip, map, filter). */
  lengthHint() {
    const call = () => 'iterator.lengthHint()';
    return onHeap(this, call, (raw, h, p) => {
      const n = raw.iter_length_hint(h, p);
      if (raw.last_status(h) < 0) throw coreError(raw, h, call());
      return n < 0 ? null : n;
    });
  }
}

/** Handle class by pm_type_id. */
const CLASSES = Object.freeze({
  [T.NoneType]: PyNone,
  [T.int]: PyInt,
  [T.bool]: PyBool,
  [T.float]: PyFloat,
  [T.str]: PyStr,
  [T.bytes]: PyBytes,
  [T.tuple]: PyTuple,
  [T.list]: PyList,
  [T.dict]: PyDict,
  [T.set]: PySet,
  [T.frozenset]: PyFrozenSet,
  [T.type]: PyType,
  [T.code]: PyCode,
  [T.function]: PyFunction,
  [T.cell]: PyCell,
  [T.method]: PyMethod,
  [T.generator]: PyGenerator,
  [T['weakref.ReferenceType']]: PyWeakref,
  [T['weakref.ProxyType']]: PyProxy,
  [T['weakref.CallableProxyType']]: PyProxy,
  [USER_TYPE_ID]: PyInstance,
  ...Object.fromEntries(TYPE_IDS.slice(T.list_iterator, T.filter + 1).map((_, i) => [T.list_iterator + i, PyIterator])),
  [T.dict_reversekeyiterator]: PyIterator,
  [T.dict_reversevalueiterator]: PyIterator,
  [T.dict_reverseitemiterator]: PyIterator,
});


// ---- snapshots (the visualizer's read-only view) ---------------------------------------------

const SNAP_RECORD = 32;
const SNAP_GENS = { 0: 0, 1: 1, 2: 2, 3: 'permanent', 255: null };

/**
 * @internal Heap.snapshot(): the objects reachable from `roots` (handles)
 * plus every object the collector tracks, decoded from the core's records.
 * Nothing in the heap changes (no reference counts move).
 *
 * `previous` (a snapshot this function returned before, or null): an entry of
 * it whose object reads the same now (every field: id, type, refcount, size,
 * generation, flags, weak referent, references) is returned again instead of a
 * new one, so a caller stepping through a program gets the same JS object for
 * what a step did not touch (diffs by identity, far less garbage). Entries are
 * found by a cursor over `previous` (snapshots list objects in much the same
 * order from step to step); one not found is decoded anew, so the answer equals
 * a fresh snapshot's whatever `previous` is. Entries are read-only.
 *
 * `tracebacks` (internal: the playground's "allocated at"): the answer also carries `tracebacks`, a
 * Uint32Array with each object's tracemalloc traceback number as of the snapshot (1 + its index in
 * the traceback table of the core's tracemalloc blob; 0: none), read by the core during its walk.
 */
export function takeSnapshot(heap, roots, previous = null, tracebacks = false) {
  const call = () => 'snapshot()';
  if (roots == null || typeof roots[Symbol.iterator] !== 'function') {
    throw argError(call(), `roots must be an array of handles, got ${show(roots)}`);
  }
  if (previous !== null && !Array.isArray(previous?.objects)) {
    throw argError(call(), `previous must be a snapshot (or null), got ${show(previous)}`);
  }
  const ptrs = [];
  for (const r of roots) {
    // an object id (a snapshot entry's id: its address); the core checks it is a live object
    if (typeof r === 'number' && Number.isInteger(r) && r > 0 && r <= 0xffffffff) { ptrs.push(r); continue; }
    if (!(r instanceof PyObject)) throw argError(call(), `roots must be handles of this heap or object ids, got ${show(r)}`);
    ptrs.push(ptrOf(r, call, heap));
  }
  return heap[RUN](call, (raw, h) => {
    const take = tracebacks ? raw.snapshot_traced : raw.snapshot;
    const p = ptrs.length
      ? withHandles(raw, h, ptrs, call, (b) => take(h, b, ptrs.length))
      : take(h, 0, 0);
    objResult(raw, h, p, call);
    // type names first (a call into the core each, once per type): the words below are then read
    // with no call in between (records and references are 4-byte aligned)
    let w = new Uint32Array(raw.u8.buffer);
    const nobjs = w[p >>> 2], objs = w[(p + 8) >>> 2] >>> 2, refs = w[(p + 12) >>> 2] >>> 2;
    const typeNames = new Map();
    for (let i = 0, lastAddr = 0; i < nobjs; i++) {
      const r = objs + i * (SNAP_RECORD >> 2), typeAddr = w[r + 1];
      if (typeAddr === lastAddr || typeNames.has(typeAddr)) { lastAddr = typeAddr; continue; }
      typeNames.set(typeAddr, raw.cString(objResult(raw, h, raw.obj_type_name(h, w[r]), call)));
      w = new Uint32Array(raw.u8.buffer);
      lastAddr = typeAddr;
    }
    const prev = previous?.objects ?? [];
    let cursor = 0, lastAddr = 0, lastType = '';
    const objects = new Array(nobjs);
    for (let i = 0; i < nobjs; i++) {
      const r = objs + i * (SNAP_RECORD >> 2);
      const id = w[r], typeAddr = w[r + 1], refcount = w[r + 2], size = w[r + 3];
      const first = refs + w[r + 4], n = w[r + 5], bits = w[r + 6], weak = w[r + 7];
      const gen = SNAP_GENS[(bits >>> 16) & 0xff], flags = bits >>> 24;
      if (typeAddr !== lastAddr) { lastAddr = typeAddr; lastType = typeNames.get(typeAddr); }
      const type = lastType;
      // the previous entry of this object: near the cursor (which moves on past a miss too: a run of
      // changed objects, as after a collection, is followed by unchanged ones at the same places)
      let was = null, at = cursor;
      for (let k = Math.max(0, cursor - 2), end = Math.min(prev.length, cursor + 6); k < end; k++) {
        if (prev[k].id === id) { was = prev[k]; at = k; break; }
      }
      cursor = at + 1;
      if (was !== null && was.typeId === typeAddr && was.type === type && was.refcount === refcount && was.size === size &&
          was.gen === gen && was.immortal === ((flags & 1) !== 0) && was.finalized === ((flags & 2) !== 0) &&
          was.gcType === ((flags & 4) !== 0) && was.root === ((flags & 8) !== 0) && was.reachable === ((flags & 16) !== 0) &&
          (was.weakRefs?.[0] ?? 0) === weak && sameWords(was.refs, w, first, n)) {
        objects[i] = was;
        continue;
      }
      const out = new Array(n);
      for (let k = 0; k < n; k++) out[k] = w[first + k];
      objects[i] = {
        id,
        type,
        typeId: typeAddr,
        refcount,
        size,
        gen,
        immortal: (flags & 1) !== 0,
        finalized: (flags & 2) !== 0,
        gcType: (flags & 4) !== 0,
        root: (flags & 8) !== 0,
        reachable: (flags & 16) !== 0,
        refs: out,
      };
      if (weak) objects[i].weakRefs = [weak];
    }
    const out = { objects };
    // (not enumerable: the snapshot's data is its objects; a copy, the core's array lives until the next snapshot)
    if (tracebacks) Object.defineProperty(out, 'tracebacks', { value: new Uint32Array(raw.u8.buffer, w[(p + 16) >>> 2], nobjs).slice() });
    return out;
  });
}

/** Whether ids `a` equal the `n` words of `w` from `at`. */
function sameWords(a, w, at, n) {
  if (a.length !== n) return false;
  for (let k = 0; k < n; k++) if (a[k] !== w[at + k]) return false;
  return true;
}
