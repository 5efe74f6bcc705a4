// vm.js — executes the instruction lists of codegen.js on the core's heap
// (Python/ceval.c 3.12's bytecodes.c, instruction by instruction).
//
// Every value the VM holds is a raw object address (u32) it owns one
// reference to, exactly where ceval.c owns one: the value stack and the
// fast locals of each frame. Handlers note their reference effect. The VM
// calls the raw wasm exports (web/lib/raw.js) directly.
//
// Deviations from the design note in ARCHITECTURE (written down in
// DESIGN.md): the value stack and fast locals of a frame live in a
// JavaScript array, not in a core frame's slots (the references are real
// counts, so the collector sees them as external, as it sees a running
// frame's slots in CPython); iterators are the core's iterator objects
// (core/src/iterobject.c: list_iterator, range_iterator, enumerate, ...),
// stepped by the core, or here when they wrap Python code (map, filter, a
// generator, a class with __next__); generators are core generator objects
// whose frame state is kept in JavaScript.

import { compile } from './compile.js';
import { generate, PSEUDO } from './codegen.js';
import { EXC_KINDS, TYPE_IDS, EXC_FIELDS, EXPORTS } from '../lib/raw.js';
const HOST_ERROR = EXC_KINDS.indexOf('HostError');   // pm_exc_kind PM_EXC_HostError
import { installBuiltins } from './builtins.js';

// core/src/descrobject.h PM_DESCR_HOST_CALL_MSG: a property's getattr / setattr
// asks the interpreter to call its Python function (isHostCall)
const DESCR_HOST_CALL_MSG = 'pyheap: a property function is Python code; the interpreter calls it';
const EXC_RUNTIME = EXC_KINDS.indexOf('RuntimeError');

// TextEncoder, not Buffer: the interpreter runs in browsers too
const utf8 = new TextEncoder();

const CO_VARARGS = 0x4, CO_VARKEYWORDS = 0x8, CO_GENERATOR = 0x20;
const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));
export const USER_TYPE = TYPE_IDS.length;
const CONTAINERS = new Set([T.list, T.tuple, T.dict, T.set, T.frozenset]);
// PyObject_GetIter in the core: its iterables and its iterator objects (iter(it) is it)
const CORE_ITERABLES = new Set([T.list, T.tuple, T.str, T.bytes, T.range, T.dict, T.set, T.frozenset,
  T.dict_keys, T.dict_values, T.dict_items]);
const ITER_FIRST = T.list_iterator, ITER_LAST = T.filter;
// the core's iterator types: the block list_iterator..filter and the reverse dict iterators
export const isCoreIterType = (tid) => (tid >= ITER_FIRST && tid <= ITER_LAST)
  || (tid >= T.dict_reversekeyiterator && tid <= T.dict_reverseitemiterator);
// dict_keys / dict_items: set-like views (PyDictViewSet_Check)
const isSetView = (tid) => tid === T.dict_keys || tid === T.dict_items;
// what the core cannot always step alone (iterapi.c pmw_vm_iter_next answers 1 for them)
const HOST_STEPPED = new Set([USER_TYPE, T.generator, T.map, T.filter, T.enumerate, T.zip, T.reversed]);

// The instructions run() executes itself (numbered for its switch); every
// other instruction is one step of loop().
const HOT = ['NOP', 'RESUME', 'LOAD_CONST', 'RETURN_CONST', 'RETURN_VALUE', 'LOAD_FAST', 'LOAD_CLOSURE', 'STORE_FAST', 'LOAD_GLOBAL', 'POP_TOP', 'PUSH_NULL', 'BINARY_OP', 'COMPARE_OP', 'IS_OP', 'POP_JUMP_IF_FALSE', 'POP_JUMP_IF_TRUE', 'JUMP', 'JUMP_FORWARD', 'JUMP_BACKWARD', 'BUILD_TUPLE', 'BUILD_LIST', 'LOAD_ATTR', 'STORE_ATTR', 'CALL', 'YIELD_VALUE', 'GET_ITER', 'FOR_ITER', 'END_FOR'];
const [H_NOP, H_RESUME, H_LOAD_CONST, H_RETURN_CONST, H_RETURN_VALUE, H_LOAD_FAST, H_LOAD_CLOSURE, H_STORE_FAST, H_LOAD_GLOBAL, H_POP_TOP, H_PUSH_NULL, H_BINARY_OP, H_COMPARE_OP, H_IS_OP, H_POP_JUMP_IF_FALSE, H_POP_JUMP_IF_TRUE, H_JUMP, H_JUMP_FORWARD, H_JUMP_BACKWARD, H_BUILD_TUPLE, H_BUILD_LIST, H_LOAD_ATTR, H_STORE_ATTR, H_CALL, H_YIELD_VALUE, H_GET_ITER, H_FOR_ITER, H_END_FOR] = HOT.map((_, i) => i + 1);
const HOT_ID = new Map(HOT.map((op, i) => [op, i + 1]));
/** loop(f, true) executed one instruction and the frame goes on. */
const STEP = -1;

/** A Python exception travelling through the VM: `exc` is an owned reference. */
export class PyException {
  // chained: __context__ was set (where it was raised) or must not be (a re-raise)
  constructor(exc, reraise = false) { this.exc = exc; this.noTb = reraise; this.chained = reraise; }
}

// Subclass fields of the built-in exceptions (excobject.h: 7 + i), by the class that adds them.
const EXC_EXTRA = [
  ['StopIteration', { value: 0 }], ['SystemExit', { code: 0 }], ['ImportError', { msg: 0, name: 1, path: 2 }],
  ['AttributeError', { obj: 0, name: 1 }], ['NameError', { name: 0 }],
];

/** The instruction offset SETUP_CLEANUP's handler keeps on the stack (not an object). */
class Lasti {
  constructor(n) { this.n = n; }
}

/** gc.get_count() at the first line of a 3.12.1 script, less what `import gc` and the code objects add (tests/conformance/gc_startup_count.py). */
const STARTUP_GC_COUNT = [671, 4, 0];
/**
 * The 3.12 free lists as a short script finds them (tests/record/startup_freelists.sh ->
 * tests/fixtures/startup_freelists.txt): float, list, dict, then 1..20-tuples. A longer
 * script finds more (the compiler leaves its own objects there).
 */
const STARTUP_FREELISTS = [3, 9, 14, 5, 8, 3, 1, 1, 1, 0, 0, 2, 0, 1, 0, 1, 1, 0, 0, 1, 2, 0, 0];

/** Thrown by a line hook to suspend a sliced module run (resumeModule); only at the module level. */
export class Suspend extends Error {}

/** The program called sys.exit / ran past its budget: stops the run. */
export class VMStop extends Error {
  constructor(message, status = 1) { super(message); this.status = status; }
}

/** A walk over a list, tuple, str or range without an iterator object: the
 *  VM's own reads where CPython indexes the sequence directly (UNPACK_SEQUENCE
 *  of a list or tuple, PySequence_Fast, reprs, comparisons, range_contains). */
class SeqIter {
  constructor(seq) { this.seq = seq; this.i = 0; }   // holds one reference to seq
}

/** A JavaScript-implemented method of a built-in type, bound on the stack. */
/** BUILD_SLICE's value: the three parts (owned references, 0 for an omitted step). CPython's
 *  slice object comes from a one-object cache, so building one allocates nothing; it is not
 *  modelled as a heap object (a slice reaching Python code is refused). */
class SliceKey {
  constructor(vm, start, stop, step) { this.vm = vm; this.parts = [start, stop, step]; }
  release() { for (const x of this.parts) if (x) this.vm.decref(x); this.parts = [0, 0, 0]; }
}

export class BuiltinMethod {
  constructor(name, fn) { this.name = name; this.fn = fn; }
}

class Frame {
  constructor(code, func, globals, builtins, localsDict) {
    this.code = code;
    this.instrs = code.instrs;
    this.lp = code.localsplus;
    this.func = func;             // owned reference (0 for the module frame)
    this.globals = globals;       // borrowed
    this.builtins = builtins;     // borrowed
    this.localsDict = localsDict; // owned reference for module/class bodies, else 0
    this.locals = new Array(this.lp.names.length).fill(0);
    this.stack = [];
    this.blocks = [];
    this.pc = 0;
    this.lasti = 0;
    this.kwnames = 0;
    this.gen = 0;
    this.started = false;
    this.cframe = 0;              // tracemalloc's mirror on the core frame stack (setFrameMirror), 0 if none
    // set later; declared here so every frame has one shape (monomorphic property access in run())
    this.lastLine = undefined;
    this.yielded = false;
    this.gframe = 0;
    this.hotOps = null;           // run()'s tables (hotTables)
    this.hotArgs = null;
  }
}

export class VM {
  /**
   * @param {import('../lib/raw.js').RawModule} raw
   * @param {number} h heap handle
   * @param {{ filename?: string, source?: string, stdout?: (s: string) => void, stderr?: (s: string) => void }} opts
   */
  constructor(raw, h, opts = {}) {
    this.raw = raw;
    this.h = h;
    this.filename = opts.filename ?? '<string>';
    this.sourceLines = (opts.source ?? '').split('\n');
    this.out = opts.stdout ?? ((s) => process.stdout.write(s));
    this.err = opts.stderr ?? ((s) => process.stderr.write(s));
    this.codes = new Map();        // code object address -> code info
    this.genFrames = new Map();    // generator address -> Frame
    this.excTb = new Map();        // exception address -> traceback entries (JS side, for printing)
    this.hostExc = 0;              // an exception raised in Python code run through pyheap.slot, until coreError() takes it
    this.hostRaised = 0;           // ... and, once taken, that exception (already chained where it was raised)
    this.excInfo = 0;              // the exception being handled (borrowed from the stack)
    this.depth = 0;
    this.frames = [];              // running frames, outermost first (for the stepper)
    this.instructions = 0;
    this.maxInstructions = opts.maxInstructions ?? Infinity;
    this.lineHook = opts.lineHook ?? null;
    this.strCache = new Map();
    // Linear memory read and written directly on the hot paths: ob_refcnt
    // (incref/decref), ob_type->type_id and the collector's `scheduled` flag
    // (core/src/wasm/vmapi.c pmw_vm_layout / pmw_vm_gc_flag).
    this.m32 = null;
    // raw binds its ~200 exports as own properties of a class instance, which
    // V8 keeps in dictionary mode (a hash lookup per raw.fn): the hot paths
    // call them through this copy. A spread copy is made with fast
    // properties (an object literal's clone); Object.assign({}, raw) was
    // not: past ~20 properties added one by one, V8 switches the object to
    // dictionary mode (checked with %HasFastProperties).
    this.fx = { ...raw };
    // ... whose i32 and f64 functions are the wasm exports themselves (raw's
    // wrapper `(...args) => fn(...args) | 0` changes nothing for them but
    // keeps V8 from inlining the JS-to-wasm call); `wx` are the unwrapped
    // exports for the u32 ones, whose results the hot paths turn unsigned (>>> 0).
    const wx = this.wx = { ...raw.wasm };
    for (const [name, type] of Object.entries(EXPORTS)) {
      if (type !== 'u32' && typeof wx[name] === 'function') this.fx[name.slice(4)] = wx[name];
    }
    this.typeOff = raw.vm_layout(0);
    this.typeIdOff = raw.vm_layout(1);
    this.scratchBytes = raw.vm_layout(2);
    this.scratch = raw.obj_scratch(h);
    this.gcFlag = raw.vm_gc_flag(h);
    this.none = raw.obj_singleton(h, 0);
    this.true_ = raw.obj_singleton(h, 1);
    this.false_ = raw.obj_singleton(h, 2);
    this.typeAddr = new Map();     // builtin type address -> id
    this.typeOf = [];
    for (let i = 0; i < TYPE_IDS.length; i++) {
      const t = raw.vm_builtin_type(h, i);
      this.typeAddr.set(t, i);
      this.typeOf[i] = t;
    }
    raw.hosts.set(h, {
      finalize: (o) => this.hostFinalize(o),
      call: (callable, args) => this.hostCall(callable, args),
      slot: (kind, a, b) => this.hostSlot(kind, a, b),
    });
    installBuiltins(this);
  }

  // ---- small helpers over the raw exports

  /** A Uint32Array over linear memory (rebuilt when the memory grew: growing detaches the old buffer). */
  mem() {
    const m = this.m32;
    if (m !== null && m.length !== 0) return m;
    return (this.m32 = new Uint32Array(this.raw.u8.buffer));
  }

  // Py_INCREF / Py_DECREF as object.h's pm_incref / pm_decref do them: the
  // low 32 bits of ob_refcnt are the count, PM_IMMORTAL_REFCNT (0xFFFFFFFF)
  // marks an immortal object. Done on linear memory without a call into the
  // core, except when the count reaches zero (the core deallocates).
  incref(o) {
    const m = this.mem(), i = o >>> 2, r = m[i];
    if (r !== 0xFFFFFFFF) m[i] = r + 1;
    return o;
  }
  decref(o) {
    if (!o) return;
    const m = this.mem(), i = o >>> 2, r = m[i];
    if (r === 0xFFFFFFFF) return;
    if (r > 1) m[i] = r - 1;
    else this.fx.vm_decref(this.h, o);   // -> 0: _pm_dealloc
  }
  /** The eval breaker's gc bit (3.12 _Py_HandlePending -> _Py_RunGC): collect if one is scheduled. */
  evalBreaker() {
    if (this.mem()[this.gcFlag >>> 2] !== 0) {
      this.fx.gc_eval_breaker(this.h);
      if (this.gcDebug) this.gcFlush();   // gc.set_debug(): the collector's stderr lines, in order with the program's
    }
  }
  /** Releases any stack value: an address or a JS record. */
  release(v) {
    if (typeof v === 'number') { if (v) this.decref(v); }
    else if (v instanceof SeqIter) {
      // a record aliased by LOAD_FAST (a genexpr's .0) is released once per owner: the first drops the sequence
      const seq = v.seq;
      v.seq = 0;
      this.decref(seq);
    }
    else if (v && v.release) v.release();
  }

  /** An interned-style str for a JS string, cached (the VM holds one reference). */
  str(s) {
    let o = this.strCache.get(s);
    if (o === undefined) {
      o = this.newStr(s);
      this.strCache.set(s, o);
    }
    return o;
  }

  newStr(s) {
    const b = utf8.encode(s);
    const raw = this.raw;
    let p = raw.obj_scratch(this.h);
    let big = 0;
    if (b.length > 16000) { big = p = raw.buf_alloc(b.length); }
    raw.writeBytes(p, b);
    const o = raw.str_new(this.h, p, b.length);
    if (big) raw.buf_free(big);
    return this.check(o);
  }

  newInt(n) { return this.check(this.raw.int_from_double(this.h, n)); }
  bool(b) { return b ? this.true_ : this.false_; }

  tuple(items) {
    const raw = this.raw;
    const p = raw.obj_scratch(this.h);
    raw.writeU32s(p, items);
    return this.check(raw.tuple_new(this.h, p, items.length));
  }

  list(items) {
    const raw = this.raw;
    const p = raw.obj_scratch(this.h);
    raw.writeU32s(p, items);
    return this.check(raw.list_new(this.h, p, items.length));
  }

  /** JS text of a str object. */
  text(o) {
    const p = this.raw.str_utf8(this.h, o);
    return this.raw.text(p, this.raw.obj_text_len());
  }

  /** A bytes object's contents (a copy). */
  bytesData(o) {
    const p = this.check(this.raw.bytes_data(this.h, o));
    return this.raw.u8.slice(p, p + this.raw.obj_text_len());
  }

  newBytes(u8) { return this.constValue({ t: 'bytes', v: u8 }); }

  /** type(o)'s pm_type_id (USER_TYPE for classes), read from memory: ob_type->type_id. */
  typeId(o) {
    const m = this.mem();
    return m[(m[(o + this.typeOff) >>> 2] + this.typeIdOff) >>> 2];
  }
  typeName(o) { return this.raw.cString(this.raw.vm_type_name(this.raw.vm_type(o))); }
  isType(o) { return this.typeId(o) === T.type; }

  /** The pending core exception as a Python exception (after a failed call). */
  coreError() {
    const kind = this.raw.exc_kind(this.h);
    if (kind === HOST_ERROR && this.hostExc) {
      // Python code the core ran through pyheap.slot raised (hostSlot kept
      // it): the same exception object goes on, its traceback and context
      // as they were set where it was raised
      const e = this.hostExc;
      this.hostExc = 0;
      this.hostRaised = e;
      return e;
    }
    if (kind <= 0) {
      const msg = this.raw.cString(this.raw.error(this.h)) || 'internal error';
      return this.makeExc('SystemError', msg);
    }
    return this.makeExc(EXC_KINDS[kind], this.raw.cString(this.raw.exc_msg(this.h)));
  }

  /** A result address, or a thrown PyException when it is 0. */
  check(o) {
    if (!o) throw new PyException(this.coreError());
    return o;
  }

  checkStatus(rc) {
    if (rc < 0) throw new PyException(this.coreError());
    return rc;
  }

  // ---- exceptions (instances of the classes builtins.js makes)

  makeExc(name, msg) {
    const cls = this.excClasses.get(name) ?? this.excClasses.get('Exception');
    const args = msg === null || msg === undefined ? [] : [this.newStr(msg)];
    return this.newException(cls, args);
  }

  /** BaseException.__new__ + __init__ (core/src/excobject.c): the args (owned references) go
   *  into the call's tuple first, which becomes exc.args. */
  newException(cls, args) {
    const t = this.tuple(args);
    for (const a of args) this.decref(a);
    const e = this.raw.vm_exc_new(this.h, cls, t);
    this.decref(t);
    this.check(e);
    this.excTb.delete(e);
    return e;
  }

  isExcClass(o) { return this.raw.vm_exc_check(this.h, o) === 2; }

  /** An exception field (EXC_FIELDS, or 7 + i for a subclass field): new reference, None if unset. */
  excGet(exc, field) { return this.check(this.raw.vm_exc_get(this.h, exc, field)); }
  excSet(exc, field, v) { this.checkStatus(this.raw.vm_exc_set(this.h, exc, field, v)); }

  /** The field behind attribute `name` of exception exc, or undefined (BaseException's getsets
   *  and the subclass members: data descriptors, so they come before the instance dict). */
  excField(exc, name) {
    // 3.12 keeps __notes__ in the instance dict (add_note sets it there; the struct's notes slot stays NULL)
    if (EXC_FIELDS[name] !== undefined && name !== '__notes__') return EXC_FIELDS[name];
    if (!this.raw.vm_exc_nextra(exc)) return undefined;
    for (const [cls, fields] of EXC_EXTRA) {
      if (fields[name] !== undefined && this.excMatches(exc, this.excClasses.get(cls))) return 7 + fields[name];
    }
    return undefined;
  }

  /** type.__name__ / __mro__ & co. of a built-in exception class (the core's static types have no dict). */
  staticExcClassAttr(cls, name) {
    const chain = [];
    for (let t = cls; t; t = this.raw.vm_type_base(t)) chain.push(t);
    const tp = this.raw.cString(this.raw.vm_type_name(cls));
    switch (name) {
      case '__name__': case '__qualname__': return this.newStr(tp);
      case '__module__': return this.incref(this.str('builtins'));
      case '__mro__': return this.tuple(chain);
      case '__bases__': return this.tuple(chain.slice(1, 2));
      case '__base__': return this.incref(chain[1]);
      default: return undefined;
    }
  }

  /** Attribute assignment on a built-in exception: its fields, else its own dict. 0 | -1. */
  excSetAttr(exc, name, v) {
    const fld = this.excField(exc, name);
    if (fld !== undefined) return this.raw.vm_exc_set(this.h, exc, fld, v === this.none && fld !== 1 ? 0 : v);
    const d = this.excGet(exc, EXC_FIELDS.__dict__);
    const rc = this.raw.dict_setitem(this.h, d, this.str(name), v);
    this.decref(d);
    return rc;
  }

  /** _PyErr_SetObject's chaining: the exception being handled becomes exc.__context__
   *  (a cycle back to exc is cut first). */
  chainContext(exc) {
    const ctx = this.excInfo;
    if (!ctx || ctx === exc || ctx === this.none) return;
    const C = EXC_FIELDS.__context__;
    for (let o = ctx, n = 0; n < 1000; n++) {
      const next = this.excGet(o, C);
      this.decref(next);
      if (next === this.none) break;
      if (next === exc) { this.excSet(o, C, 0); break; }
      o = next;
    }
    this.excSet(exc, C, ctx);
  }

  excMatches(exc, cls) {
    if (this.typeId(cls) === T.tuple) {
      const n = this.raw.obj_len(this.h, cls);
      for (let i = 0; i < n; i++) {
        const c = this.raw.tuple_getitem(this.h, cls, i);
        const r = this.excMatches(exc, c);
        this.decref(c);
        if (r) return true;
      }
      return false;
    }
    return this.raw.vm_is_subtype(this.raw.vm_type(exc), cls) === 1;
  }

  excArgs(exc) {
    const a = this.raw.vm_exc_get(this.h, exc, EXC_FIELDS.args);
    if (!a) return [];
    const n = this.raw.obj_len(this.h, a);
    const items = [];
    for (let i = 0; i < n; i++) items.push(this.raw.tuple_getitem(this.h, a, i));
    this.decref(a);
    return items;
  }

  /** str(exception): a class's own __str__, else BaseException_str. */
  excStr(exc) {
    if (this.typeId(exc) === USER_TYPE) {
      const m = this.lookupSpecial(exc, '__str__');
      if (m) return this.callText(m, exc, '__str__');
    }
    const args = this.excArgs(exc);
    let s;
    if (args.length === 0) s = '';
    else if (args.length === 1) {
      // KeyError_str: the key's repr
      s = this.excMatches(exc, this.excClasses.get('KeyError')) ? this.toRepr(args[0]) : this.toStr(args[0]);
    }
    else { const t = this.tuple(args); s = this.toRepr(t); this.decref(t); }
    for (const a of args) this.decref(a);
    return s;
  }

  // ---- str() / repr() for print and friends

  toStr(o) {
    if (this.isExcInstance(o)) return this.excStr(o);
    const tid = this.typeId(o);
    if (tid === T['weakref.ProxyType'] || tid === T['weakref.CallableProxyType']) return this.viaProxy(o, (r) => this.toStr(r));   // proxy_str
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(o, '__str__');
      if (m) return this.callText(m, o, '__str__');
      return this.toRepr(o);
    }
    if (tid === T.str) return this.text(o);
    if (CONTAINERS.has(tid) || tid === T.dict_keys || tid === T.dict_values || tid === T.dict_items) return this.toRepr(o);
    const s = this.check(this.raw.vm_str(this.h, o));
    const t = this.text(s);
    this.decref(s);
    return t;
  }

  toRepr(o) {
    if (this.isExcInstance(o) && !(this.typeId(o) === USER_TYPE && this.lookupSpecial(o, '__repr__'))) {
      const args = this.excArgs(o);
      const t = this.tuple(args);
      for (const a of args) this.decref(a);
      let r = this.toRepr(t);
      this.decref(t);
      if (args.length === 1) r = r.slice(0, -2) + ')';
      return this.typeName(o) + r;
    }
    const tid = this.typeId(o);
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(o, '__repr__');
      if (m) return this.callText(m, o, '__repr__');
      const hr = this.hostRepr(o);   // modules, builtin functions, sys.stdout (builtins.js)
      if (hr !== undefined) return hr;
    }
    if (CONTAINERS.has(tid)) return this.containerRepr(o, tid);
    if (tid === T.dict_keys || tid === T.dict_values || tid === T.dict_items) return this.viewRepr(o);
    const s = this.check(this.raw.vm_repr(this.h, o));
    const t = this.text(s);
    this.decref(s);
    if (tid === T['weakref.ReferenceType']) return this.weakrefReprName(o, t);
    return t;
  }

  callText(m, o, what) {
    const r = this.callObject(this.incref(m), [this.incref(o)], 0);
    if (this.typeId(r) !== T.str) {
      const tn = this.typeName(r);
      this.decref(r);
      throw new PyException(this.makeExc('TypeError', `${what} returned non-string (type ${tn})`));
    }
    const t = this.text(r);
    this.decref(r);
    return t;
  }

  /** list/tuple/dict/set repr with the items' own __repr__ (Py_ReprEnter guards self-reference). */
  containerRepr(o, tid) {
    this.reprActive ??= new Set();
    if (this.reprActive.has(o)) return tid === T.list ? '[...]' : tid === T.dict ? '{...}' : tid === T.tuple ? '(...)' : `${TYPE_IDS[tid]}(...)`;
    this.reprActive.add(o);
    try {
      if (tid === T.dict) {
        const keys = this.keysOf(o);
        const parts = keys.map((k) => {
          const v = this.raw.dict_getitem(this.h, o, k);
          const r = `${this.toRepr(k)}: ${this.toRepr(v)}`;
          this.decref(v);
          return r;
        });
        for (const k of keys) this.decref(k);
        return `{${parts.join(', ')}}`;
      }
      let items;
      if (tid === T.set || tid === T.frozenset) items = this.keysOf(o);
      else {
        items = [];
        const it = new SeqIter(this.incref(o));
        for (let x = this.iterNext(it); x; x = this.iterNext(it)) items.push(x);
        this.release(it);
      }
      const parts = items.map((x) => this.toRepr(x));
      for (const x of items) this.decref(x);
      if (tid === T.list) return `[${parts.join(', ')}]`;
      if (tid === T.tuple) return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
      if (!parts.length) return `${TYPE_IDS[tid]}()`;
      return tid === T.set ? `{${parts.join(', ')}}` : `frozenset({${parts.join(', ')}})`;
    } finally {
      this.reprActive.delete(o);
    }
  }

  /** dictview_repr: the type name around repr(list(view)), "..." when the view's repr is in progress. */
  viewRepr(o) {
    this.reprActive ??= new Set();
    if (this.reprActive.has(o)) return '...';
    this.reprActive.add(o);
    try {
      const l = this.newList(o);
      try { return `${this.typeName(o)}(${this.toRepr(l)})`; } finally { this.decref(l); }
    } finally {
      this.reprActive.delete(o);
    }
  }

  /** An operand the core iterates (dict view operations): an iterable that may run Python code (a
   *  class, a generator, or an iterator that can wrap one) becomes a list first. */
  coreIterable(o) {
    return HOST_STEPPED.has(this.typeId(o)) ? this.newList(o) : this.incref(o);
  }

  isExcInstance(o) { return typeof o === 'number' && this.raw.vm_exc_check(this.h, o) === 1; }

  truth(o) {
    if (o === this.true_) return true;
    if (o === this.false_ || o === this.none) return false;
    const tid = this.typeId(o);
    if (tid === T['weakref.ProxyType'] || tid === T['weakref.CallableProxyType']) return this.viaProxy(o, (r) => this.truth(r));
    if (tid === USER_TYPE) {
      const b = this.lookupSpecial(o, '__bool__') || this.lookupSpecial(o, '__len__');
      if (b) {
        const r = this.callObject(this.incref(b), [this.incref(o)], 0);
        const v = this.typeId(r) === T.bool ? r === this.true_ : this.fx.vm_int_value(this.h, r) !== 0;
        this.decref(r);
        return v;
      }
      return true;
    }
    return this.checkStatus(this.fx.vm_truth(this.h, o)) === 1;
  }

  lookupSpecial(o, name) {
    return this.fx.vm_lookup(this.h, this.fx.vm_type(o), this.str(name));
  }

  // ---- code objects and functions

  /** The core code object for a code info (made once; the VM keeps one reference). */
  codeObject(code) {
    if (code.addr) return code.addr;
    generate(code);
    const raw = this.raw, h = this.h;
    const consts = this.tuple(code.consts.map((v) => this.constValue(v)));
    const names = this.tuple(code.names.map((n) => this.incref(this.str(n))));
    const lpnames = this.tuple(code.localsplus.names.map((n) => this.incref(this.str(n))));
    const p = raw.obj_scratch(h);
    raw.writeBytes(p, Uint8Array.from(code.localsplus.kinds));
    const kinds = this.check(raw.bytes_new(h, p, code.localsplus.kinds.length));
    const fname = this.str(code.filename ?? this.filename), name = this.str(code.name), qual = this.str(code.qualname);
    // code units: instructions plus their inline caches (3.12 sizes)
    const units = code.instrs.reduce((n, i) => n + (PSEUDO.has(i.op) && i.op !== 'JUMP' ? 0 : 1 + (CACHES[i.op] ?? 0)), 0);
    const c = this.check(raw.code_new(h, consts, names, lpnames, kinds, fname, name, qual, code.argcount,
      code.posonlyargcount, code.kwonlyargcount, code.stacksize, code.firstlineno, code.flags, Math.max(units, 1),
      code.id ?? 0));
    for (const o of [consts, names, lpnames, kinds]) this.decref(o);
    code.addr = c;
    this.codes.set(c, code);
    // co_consts hold the nested code objects: keep the JS info reachable from their addresses
    return c;
  }

  /** A new reference to the object for a constant value (values.js). */
  constValue(v) {
    switch (v.t) {
      case 'none': return this.none;
      case 'bool': return v.v ? this.true_ : this.false_;
      case 'int': {
        if (v.v >= -(2n ** 53n) && v.v <= 2n ** 53n) return this.newInt(Number(v.v));
        const s = v.v.toString(16);
        const neg = s.startsWith('-');
        const digits = neg ? s.slice(1) : s;
        const b = utf8.encode((neg ? '-' : '') + digits);
        const p = this.raw.obj_scratch(this.h);
        this.raw.writeBytes(p, b);
        return this.check(this.raw.int_from_text(this.h, p, b.length, 16));
      }
      case 'float': return this.check(this.raw.float_new(this.h, v.v));
      case 'str': {
        // the 3.12 compiler interns a str constant made only of [A-Za-z0-9_] (all_name_chars):
        // it is the canonical, immortal str (sys.intern finds it; getrefcount shows immortality)
        const s = this.newStr(v.v);
        if (!/^[A-Za-z0-9_]*$/.test(v.v)) return s;
        const r = this.raw.str_intern(this.h, s);
        this.decref(s);
        return this.check(r);
      }
      case 'bytes': {
        const p = this.raw.obj_scratch(this.h);
        this.raw.writeBytes(p, v.v);
        return this.check(this.raw.bytes_new(this.h, p, v.v.length));
      }
      case 'tuple': {
        const items = v.v.map((x) => this.constValue(x));
        const t = this.tuple(items);
        for (const x of items) this.decref(x);
        this.raw.vm_tuple_maybe_untrack(this.h, t);   // constant tuples of atoms are untracked
        return t;
      }
      case 'frozenset': {
        const items = v.v.map((x) => this.constValue(x));
        const p = this.raw.obj_scratch(this.h);
        this.raw.writeU32s(p, items);
        const s = this.check(this.raw.set_new(this.h, p, items.length, 1));
        for (const x of items) this.decref(x);
        return s;
      }
      case 'code': return this.incref(this.codeObject(v.v));
      case 'ellipsis': return this.raw.obj_singleton(this.h, 4);
      default: throw new Error(`constant of kind ${v.t}`);
    }
  }

  /** A borrowed co_consts item of a code object. */
  constAt(code, i) {
    if (!code.constAddrs) {
      code.constAddrs = [];
      const t = this.raw.code_get(this.h, code.addr, 0);   // co_consts, new reference
      for (let k = 0; k < code.consts.length; k++) {
        const item = this.raw.tuple_getitem(this.h, t, k);
        this.decref(item);                                   // borrowed: the tuple holds it
        code.constAddrs.push(item);
      }
      this.decref(t);
    }
    return code.constAddrs[i];
  }

  /** The str object of co_names[i] (the VM's cached str, borrowed). */
  nameAt(code, i) {
    const a = code.nameAddrs ??= [];
    return a[i] ?? (a[i] = this.str(code.names[i]));
  }

  // pm_function field offsets on wasm32 (header 16: u64 refcnt + type + pad)
  funcField(f, i) { return this.mem()[(f + 16 + 4 * i) >>> 2]; }
  funcCode(f) { return this.codes.get(this.funcField(f, 4)); }

  // ---- running code

  /** Runs a module's source: returns nothing, throws PyException for an uncaught exception. */
  runModule(source) {
    const f = this.moduleFrame(source);
    const r = this.execute(f);
    this.decref(r);
  }

  /**
   * runModule in pieces, for a run that yields to the event loop between
   * slices (session.js runSlice): startModule(source) enters the module's
   * frame; resumeModule() runs it on, and returns true once the module has
   * finished, or false when a line hook threw a Suspend while only the module
   * frame ran (no host call under way): the frame is then left exactly as it
   * was before that line's first instruction (the instruction, and its tick,
   * undone), and the next resumeModule() fires that line event again (the
   * hook that suspended skips it; the listeners after it see it once) and
   * goes on. leaveModule() ends a suspended run as an uncaught Pause would
   * have (execute()'s exit: the frame unwinds, its references stay held).
   */
  startModule(source) {
    this.suspended = null;
    this.enterFrame(this.moduleFrame(source));
  }

  resumeModule() {
    const f = this.frames[0];
    if (this.suspended) {
      this.suspended = null;
      f.lastLine = -1;
    }
    let r;
    try {
      r = this.run(f);
    } catch (e) {
      if (e instanceof Suspend && this.frames.length === 1) {
        f.pc = f.lasti;
        this.instructions--;
        this.suspended = f;
        return false;
      }
      this.leaveFrame(f);
      throw e;
    }
    this.leaveFrame(f);
    this.decref(r);
    return true;
  }

  leaveModule() {
    if (!this.suspended) throw new Error('leaveModule: no suspended module run');
    this.suspended = null;
    this.leaveFrame(this.frames[0]);
  }

  /** The module's frame, ready to run (its code compiled, the collector's start-up state set). */
  moduleFrame(source) {
    const { code } = compile(source);
    this.moduleCode = code;
    // The collector as `python3.12 FILE.py` hands it to the program:
    // start-up's objects in generation 1, count[] as measured (a script's
    // first line under 3.12.1, with or without -I: get_count() (692, 4, 0)),
    // so that a collection runs early in the program, as in CPython. The
    // exact allocation it falls on depends on how closely each construct's
    // tracked allocations match CPython's (compile's tuples, imports).
    this.checkStatus(this.raw.gc_set_startup_state(this.h, ...STARTUP_GC_COUNT));
    this.codeObject(code);
    // and the free lists as start-up leaves them, so that the program's first
    // dicts, lists and tuples are not counted or traced, as in CPython
    this.startupFreeLists();
    return new Frame(code, 0, this.globals, this.builtinsDict, this.incref(this.globals));
  }

  /** Fills the float, list, dict and tuple free lists to STARTUP_FREELISTS (pmw_startup_freelists). */
  startupFreeLists() {
    const p = this.raw.obj_scratch(this.h);
    this.raw.writeU32s(p, STARTUP_FREELISTS);
    this.checkStatus(this.raw.startup_freelists(this.h, p));
  }

  /** Runs a frame to completion (or to a yield, for a generator's frame). */
  execute(f) {
    this.enterFrame(f);
    try {
      return this.run(f);
    } catch (e) {
      // an abort (the instruction budget, the stepper's pause) unwinds a running
      // generator: suspend it, so the core's frame stack unwinds with the JS frames
      // (a tracemalloc mirror below it is then the current frame again when popped)
      if (f.gen && !(e instanceof PyException)) this.fx.vm_gen_suspend(this.h, f.gen);
      throw e;
    } finally {
      this.leaveFrame(f);
    }
  }

  /** A frame starts running (execute()'s entry): the recursion limit, the frame stack, the 'call' event. */
  enterFrame(f) {
    if (++this.depth > 1000) {
      this.depth--;
      this.releaseFrame(f);
      throw new PyException(this.makeExc('RecursionError', 'maximum recursion depth exceeded'));
    }
    this.frames.push(f);
    if (this.frameEvents) this.frameEvent(f, 'call');
  }

  /** A frame stops running (returns, yields or unwinds): the 'return' event, off the frame stack. */
  leaveFrame(f) {
    if (this.frameEvents || f.cframe) this.frameEvent(f, 'return');
    this.frames.pop();
    this.depth--;
  }

  releaseFrame(f) {
    while (f.stack.length) this.release(f.stack.pop());
    for (let i = 0; i < f.locals.length; i++) { const v = f.locals[i]; f.locals[i] = 0; this.release(v); }
    if (f.localsDict) { const d = f.localsDict; f.localsDict = 0; this.decref(d); }
    if (f.func) { const fn = f.func; f.func = 0; this.decref(fn); }
  }

  /** The frame exits by an exception: its locals go to the traceback (a frame object owns them in CPython). */
  exitWithException(f, exc) {
    while (f.stack.length) this.release(f.stack.pop());
    for (let i = 0; i < f.locals.length; i++) {
      if (f.locals[i] && typeof f.locals[i] !== 'number') { this.release(f.locals[i]); f.locals[i] = 0; }
    }
    const held = f.locals.filter((v) => v);
    f.locals.fill(0);
    if (held.length) {
      const l = this.list(held);
      for (const v of held) this.decref(v);
      let tb = this.excGet(exc, EXC_FIELDS.__traceback__);
      if (tb === this.none) {
        this.decref(tb);
        tb = this.list([]);
        this.excSet(exc, EXC_FIELDS.__traceback__, tb);
      }
      this.raw.list_append(this.h, tb, l);
      this.decref(tb);
      this.decref(l);
    }
    if (f.localsDict) { const d = f.localsDict; f.localsDict = 0; this.decref(d); }
    if (f.func) { const fn = f.func; f.func = 0; this.decref(fn); }
  }

  addTraceback(exc, f, ins) {
    let tb = this.excTb.get(exc);
    if (!tb) { tb = []; this.excTb.set(exc, tb); }
    tb.push({ code: f.code, ins });
  }

  /**
   * The eval loop: the frequent instructions (HOT) are handled here, in a
   * switch small enough for V8 to optimise quickly and keep optimised; any
   * other instruction is one step of loop(), which has all the others.
   */
  run(f) {
    const raw = this.fx, h = this.h;
    const instrs = f.instrs;
    const stack = f.stack;
    const locals = f.locals;
    const code = f.code;
    // kept on the frame (one shape) too: a generator's frame enters run() once per item
    if (f.hotOps === null) this.hotTables(f);
    const ops = f.hotOps, argOf = f.hotArgs;
    for (;;) {
      const op = ops[f.pc];
      if (op === 0) {
        const r = this.loop(f, true);
        if (r !== STEP) return r;
        continue;
      }
      const ins = instrs[f.pc];
      const arg = argOf[f.pc];
      f.lasti = f.pc;
      f.pc++;
      this.tick(f, ins);
      try {
        switch (op) {
          case H_NOP: break;
          case H_RESUME:   // eval breaker check at function entry and after yields
            this.evalBreaker();
            break;
          case H_LOAD_CONST: {   // +1 ref to the constant
            stack.push(this.incref(this.constAt(code, arg)));
            break;
          }
          case H_RETURN_CONST: {   // the constant +1, frame exits
            const v = this.incref(this.constAt(code, arg));
            this.finishFrame(f);
            return v;
          }
          case H_RETURN_VALUE: {   // the value's reference moves to the caller
            const v = stack.pop();
            this.finishFrame(f);
            return v;
          }
          case H_YIELD_VALUE: {   // the value's reference goes to the caller of send()
            const v = stack.pop();
            f.yielded = true;
            return v;
          }
          case H_LOAD_FAST: case H_LOAD_CLOSURE: {   // +1
            const v = locals[arg];
            if (!v) throw new PyException(this.unbound(f, arg));
            stack.push(this.incref(v));
            break;
          }
          case H_STORE_FAST: {   // takes the stack's reference, releases the old value
            const old = locals[arg];
            locals[arg] = stack.pop();
            this.decref(old);
            break;
          }
          case H_LOAD_GLOBAL: {   // [NULL] + value (+1)
            const v = raw.vm_load_global(h, f.globals, f.builtins, this.nameAt(code, arg >> 1));
            if (!v) {
              if (raw.exc_kind(h) > 0) throw new PyException(this.coreError());
              throw new PyException(this.makeExc('NameError', `name '${code.names[arg >> 1]}' is not defined`));
            }
            if (arg & 1) stack.push(0);
            stack.push(v);
            break;
          }
          case H_POP_TOP: this.release(stack.pop()); break;   // -1
          case H_PUSH_NULL: stack.push(0); break;
          case H_BINARY_OP: {   // -1 on both operands, +1 result
            const b = stack.pop(), a = stack.pop();
            let r;
            try {
              r = this.binaryOp(arg, a, b);
            } finally {
              this.decref(a); this.decref(b);
            }
            stack.push(r);
            break;
          }
          case H_COMPARE_OP: {   // -1 on both, +1 bool
            const b = stack.pop(), a = stack.pop();
            let r;
            try { r = this.compareOp(arg, a, b); } finally { this.decref(a); this.decref(b); }
            stack.push(r);
            break;
          }
          case H_IS_OP: {
            const b = stack.pop(), a = stack.pop();
            this.decref(a); this.decref(b);
            stack.push(this.bool((a === b) !== (arg === 1)));
            break;
          }
          case H_POP_JUMP_IF_FALSE: case H_POP_JUMP_IF_TRUE: {
            const v = stack.pop();
            let t;
            try { t = this.truth(v); } finally { this.decref(v); }
            if (t === (op === H_POP_JUMP_IF_TRUE)) f.pc = arg;
            break;
          }
          case H_JUMP: case H_JUMP_FORWARD: f.pc = arg; break;
          case H_JUMP_BACKWARD:   // eval breaker; a backward jump starts a new line event
            f.pc = arg;
            f.lastLine = -1;
            this.evalBreaker();
            break;
          case H_BUILD_TUPLE: case H_BUILD_LIST: {   // the container steals the items' references
            const n = arg, base = stack.length - n;
            const big = n * 4 > this.scratchBytes ? raw.buf_alloc(n * 4) : 0;
            const p = big || this.scratch;
            const m = this.mem();
            for (let i = 0; i < n; i++) m[(p >>> 2) + i] = stack[base + i];
            while (stack.length > base) stack.pop();   // (setting .length is a runtime call in V8)
            const o = op === H_BUILD_TUPLE ? raw.vm_build_tuple(h, p, n) : raw.vm_build_list(h, p, n);
            if (big) raw.buf_free(big);
            stack.push(this.check(o));
            break;
          }
          case H_LOAD_ATTR: {
            const o = stack.pop();
            const name = code.names[arg >> 1];
            if (arg & 1) {
              // _PyObject_GetMethod: [meth, self] or [NULL, attr]
              this.loadMethod(stack, o, name);   // takes o's reference, also when it raises
            } else {
              let r;
              try { r = this.getAttr(o, name); } finally { this.decref(o); }
              stack.push(r);
            }
            break;
          }
          case H_STORE_ATTR: {
            const o = stack.pop(), v = stack.pop();
            let rc = raw.vm_setattr(h, o, this.nameAt(code, arg), v);
            if (rc < 0 && this.isHostCall()) {   // a property's setter (descrobject.h)
              try { rc = this.setAttrHost(o, code.names[arg], v); } catch (e) { this.decref(o); this.decref(v); throw e; }
            } else if (rc < 0 && this.isExcInstance(o)) rc = this.excSetAttr(o, code.names[arg], v);
            else if (rc < 0 && this.isProxy(o)) {   // proxy_setattr: on the referent
              try {
                rc = this.viaProxy(o, (r) => raw.vm_setattr(h, r, this.str(code.names[arg]), v));
              } catch (e) { this.decref(o); this.decref(v); throw e; }
            }
            this.decref(o); this.decref(v);
            this.checkStatus(rc);
            break;
          }
          case H_GET_ITER: {   // -1 on the iterable, +1 iterator
            const o = stack.pop();
            let it;
            try { it = this.getIter(o); } finally { this.decref(o); }
            stack.push(it);
            break;
          }
          case H_FOR_ITER: {   // +1 next item, or pop the iterator (DECREF) and jump past END_FOR
            const it = stack[stack.length - 1];
            const x = this.iterStep(it);
            if (x) stack.push(x);
            else {
              this.release(stack.pop());
              f.pc = arg + 1;
            }
            break;
          }
          case H_END_FOR: this.release(stack.pop()); this.release(stack.pop()); break;
          case H_CALL: {   // [NULL, callable, args...] or [meth, self, args...]: the call takes them all
            const base = stack.length - arg;
            const first = stack[base - 2];
            const fn = first || stack[base - 1];
            const args = stack.slice(first ? base - 1 : base);
            while (stack.length > base - 2) stack.pop();
            const kw = f.kwnames;
            f.kwnames = 0;
            if (!first && typeof fn === 'number' && this.typeId(fn) === T.method) {
              // CALL unpacks a bound method (func and self with new references)
              // and drops it before the call (3.12 ceval): a classmethod bound
              // for one call does not hold the class while the body runs
              const func = this.fx.method_get(this.h, fn, 0);
              args.unshift(this.fx.method_get(this.h, fn, 1));
              this.decref(fn);
              stack.push(this.callObject(func, args, kw, ins));
            } else stack.push(this.callObject(fn, args, kw, ins));
            this.evalBreaker();
            break;
          }
        }
      } catch (err) {
        this.unwind(f, err, ins);
      }
    }
  }

  /** Per instruction of f's code: its HOT number (0: not hot) and its
   *  argument, read from typed arrays instead of the instruction objects (of
   *  many shapes); made once per code object, kept on the code and the frame. */
  hotTables(f) {
    const code = f.code, instrs = f.instrs;
    if (code.hotOps === undefined || code.hotOps.length !== instrs.length) {
      code.hotOps = Uint8Array.from(instrs, (i) => HOT_ID.get(i.op) ?? 0);
      code.hotArgs = Int32Array.from(instrs, (i) => (typeof i.arg === 'number' ? i.arg : 0));
    }
    f.hotOps = code.hotOps;
    f.hotArgs = code.hotArgs;
  }

  /** Before each instruction: the instruction budget, then the line event (sys.settrace's rules). */
  tick(f, ins) {
    if (++this.instructions > this.maxInstructions) {
      throw new VMStop(`pyheap: stopped after ${this.maxInstructions} instructions`);
    }
    if (this.lineHook && ins.ev && ins.line !== f.lastLine && !f.code.library) { f.lastLine = ins.line; this.lineHook(f, ins.line); }
  }

  /** Executes instructions from f.pc, all of them, or (once) one and returns STEP unless the frame ended. */
  loop(f, once = false) {
    const raw = this.raw, h = this.h;
    const instrs = f.instrs;
    const stack = f.stack;
    const locals = f.locals;
    const code = f.code;
    for (;;) {
      const ins = instrs[f.pc];
      f.lasti = f.pc;
      f.pc++;
      this.tick(f, ins);
      try {
        switch (ins.op) {
          case 'LOAD_FAST_AND_CLEAR': {   // moves the slot's reference (or NULL) to the stack
            stack.push(locals[ins.arg]);
            locals[ins.arg] = 0;
            break;
          }
          case 'DELETE_FAST': {
            const old = locals[ins.arg];
            if (!old) throw new PyException(this.unbound(f, ins.arg));
            locals[ins.arg] = 0;
            this.decref(old);
            break;
          }
          case 'MAKE_CELL': {   // the slot's value moves into a new cell
            const v = locals[ins.arg];
            locals[ins.arg] = this.check(raw.cell_new(h, v));
            this.decref(v);
            break;
          }
          case 'COPY_FREE_VARS': {   // +1 on each closure cell
            const closure = this.funcField(f.func, 7);
            const n = ins.arg, off = locals.length - n;
            for (let i = 0; i < n; i++) locals[off + i] = this.check(raw.tuple_getitem(h, closure, i));
            break;
          }
          case 'LOAD_DEREF': {   // +1 on the cell's contents
            const v = raw.cell_get(h, locals[ins.arg]);
            if (!v) throw new PyException(this.unboundFree(f, ins.arg));
            stack.push(v);
            break;
          }
          case 'STORE_DEREF': {   // the cell takes its own reference; the stack's is released
            const v = stack.pop();
            this.checkStatus(raw.cell_set(h, locals[ins.arg], v));
            this.decref(v);
            break;
          }
          case 'DELETE_DEREF': {
            this.checkStatus(raw.cell_set(h, locals[ins.arg], 0));
            break;
          }
          case 'LOAD_NAME': {   // +1 from locals, globals or builtins
            const name = this.str(code.names[ins.arg]);
            let v = raw.dict_getitem(h, f.localsDict, name);
            if (!v) v = raw.dict_getitem(h, f.globals, name);
            if (!v) v = raw.dict_getitem(h, f.builtins, name);
            if (!v) throw new PyException(this.makeExc('NameError', `name '${code.names[ins.arg]}' is not defined`));
            stack.push(v);
            break;
          }
          case 'STORE_NAME':   // the dict takes its reference; the stack's is released
            this.storeIn(f.localsDict, code.names[ins.arg], stack.pop());
            break;
          case 'DELETE_NAME': this.deleteIn(f.localsDict, code.names[ins.arg]); break;
          case 'STORE_GLOBAL': this.storeIn(f.globals, code.names[ins.arg], stack.pop()); break;
          case 'DELETE_GLOBAL': this.deleteIn(f.globals, code.names[ins.arg]); break;
          case 'COPY': {   // +1 on the copied value
            const v = stack[stack.length - ins.arg];
            if (typeof v === 'number') this.incref(v);
            stack.push(v);
            break;
          }
          case 'SWAP': {
            const n = stack.length, t = stack[n - 1];
            stack[n - 1] = stack[n - ins.arg];
            stack[n - ins.arg] = t;
            break;
          }
          case 'CALL_INTRINSIC_1': {
            if (ins.arg === 6) {   // INTRINSIC_LIST_TO_TUPLE: the list's items, +1 each, in a new tuple
              const l = stack.pop();
              try { stack.push(this.seqToTuple(l)); } finally { this.decref(l); }
              break;
            }
            if (ins.arg === 3) {   // INTRINSIC_STOPITERATION_ERROR: a StopIteration leaving a generator
              const e = stack.pop();
              if (this.excMatches(e, this.excClasses.get('StopIteration'))) {
                const re = this.makeExc('RuntimeError', 'generator raised StopIteration');
                this.decref(e);
                stack.push(re);
              } else stack.push(e);
              break;
            }
          }
          // fall through: INTRINSIC_UNARY_POSITIVE
          case 'UNARY_NEGATIVE': case 'UNARY_INVERT': {
            const a = stack.pop();
            const r = raw.vm_unary(h, ins.op === 'UNARY_NEGATIVE' ? 0 : ins.op === 'UNARY_INVERT' ? 1 : 2, a);
            this.decref(a);
            stack.push(this.check(r));
            break;
          }
          case 'UNARY_NOT': {
            const a = stack.pop();
            const t = this.truth(a);
            this.decref(a);
            stack.push(this.bool(!t));
            break;
          }
          case 'CONTAINS_OP': {
            const c = stack.pop(), v = stack.pop();
            let r;
            try { r = this.contains(c, v); } finally { this.decref(c); this.decref(v); }
            stack.push(this.bool((r === 1) !== (ins.arg === 1)));
            break;
          }
          case 'POP_JUMP_IF_NONE': case 'POP_JUMP_IF_NOT_NONE': {
            const v = stack.pop();
            this.decref(v);
            if ((v === this.none) === (ins.op === 'POP_JUMP_IF_NONE')) f.pc = ins.arg;
            break;
          }
          case 'BUILD_SET': {
            const n = ins.arg;
            const items = stack.splice(stack.length - n, n);
            const p = raw.obj_scratch(h);
            raw.writeU32s(p, items);
            const s = raw.vm_build_set(h, p, n);
            for (const x of items) this.decref(x);
            stack.push(this.check(s));
            break;
          }
          case 'BUILD_MAP': {
            const n = ins.arg;
            const items = stack.splice(stack.length - 2 * n, 2 * n);
            const d = this.check(raw.dict_new(h));
            let rc = 0;   // a class's own __hash__ / __eq__ may raise
            for (let i = 0; i < n && rc >= 0; i++) rc = raw.dict_setitem(h, d, items[2 * i], items[2 * i + 1]);
            const err = rc < 0 ? this.coreError() : 0;
            for (const x of items) this.decref(x);
            if (err) { this.decref(d); throw new PyException(err); }
            stack.push(d);
            break;
          }
          case 'BUILD_CONST_KEY_MAP': {
            const keys = stack.pop();
            const n = ins.arg;
            const vals = stack.splice(stack.length - n, n);
            const d = this.check(raw.dict_new(h));
            let rc = 0;
            for (let i = 0; i < n && rc >= 0; i++) {
              const k = raw.tuple_getitem(h, keys, i);
              rc = raw.dict_setitem(h, d, k, vals[i]);
              this.decref(k);
            }
            const err = rc < 0 ? this.coreError() : 0;
            for (const x of vals) this.decref(x);
            this.decref(keys);
            if (err) { this.decref(d); throw new PyException(err); }
            stack.push(d);
            break;
          }
          case 'LIST_EXTEND': {
            const seq = stack.pop();
            const l = stack[stack.length - ins.arg];
            const st = this.typeId(seq);
            if (st !== T.list && st !== T.tuple) { this.listExtendIter(l, seq); break; }
            const rc = raw.list_extend(h, l, seq);
            this.decref(seq);
            this.checkStatus(rc);
            break;
          }
          case 'LIST_APPEND': {   // the list takes the value's reference
            const v = stack.pop();
            const rc = raw.list_append(h, stack[stack.length - ins.arg], v);
            this.decref(v);
            this.checkStatus(rc);
            break;
          }
          case 'SET_ADD': {
            const v = stack.pop();
            const rc = raw.set_add(h, stack[stack.length - ins.arg], v);
            this.decref(v);
            this.checkStatus(rc);
            break;
          }
          case 'MAP_ADD': {
            const v = stack.pop(), k = stack.pop();
            const rc = raw.dict_setitem(h, stack[stack.length - ins.arg], k, v);
            this.decref(k); this.decref(v);
            this.checkStatus(rc);
            break;
          }
          case 'BUILD_STRING': {
            const n = ins.arg;
            const items = stack.splice(stack.length - n, n);
            const s = items.map((x) => this.text(x)).join('');
            for (const x of items) this.decref(x);
            stack.push(this.newStr(s));
            break;
          }
          case 'FORMAT_VALUE': {
            const spec = ins.arg & 4 ? stack.pop() : 0;
            const v = stack.pop();
            const conv = ins.arg & 3;
            let s;
            try {
              // FORMAT_VALUE: the conversion (!s, !r, !a) first, then format(value, spec)
              if (conv) {
                s = conv === 1 ? this.toStr(v) : this.asciiRepr(this.toRepr(v), conv === 3);
                if (spec) { const so = this.newStr(s); try { s = this.fmt.format(so, this.text(spec)); } finally { this.decref(so); } }
              } else s = this.fmt.format(v, spec ? this.text(spec) : '');
            } finally { this.decref(v); this.decref(spec); }
            stack.push(this.newStr(s));
            break;
          }
          case 'UNPACK_SEQUENCE': {   // a list or tuple is read in place (no iterator object), as 3.12 does
            const seq = stack.pop();
            const items = [];
            try {
              const stid = this.typeId(seq);
              const it = stid === T.list || stid === T.tuple ? new SeqIter(this.incref(seq)) : this.getIter(seq);
              for (;;) {
                const x = this.iterNext(it);
                if (!x) break;
                items.push(x);
              }
              this.release(it);
            } finally { this.decref(seq); }
            if (items.length !== ins.arg) {
              for (const x of items) this.decref(x);
              throw new PyException(this.makeExc('ValueError', items.length > ins.arg
                ? `too many values to unpack (expected ${ins.arg})`
                : `not enough values to unpack (expected ${ins.arg}, got ${items.length})`));
            }
            for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
            break;
          }
          case 'BUILD_SLICE': {
            const step = ins.arg === 3 ? stack.pop() : 0, stop = stack.pop(), start = stack.pop();
            stack.push(new SliceKey(this, start, stop, step));
            break;
          }
          case 'STORE_SLICE': {
            const stop = stack.pop(), start = stack.pop(), o = stack.pop(), v = stack.pop();
            try { this.setSlice(o, start, stop, 0, v); } finally { this.decref(o); this.decref(start); this.decref(stop); this.decref(v); }
            break;
          }
          case 'BINARY_SUBSCR': {
            const k = stack.pop(), o = stack.pop();
            let r;
            try {
              r = k instanceof SliceKey ? this.slice(o, ...this.sliceParts(o, k)) : this.getItem(o, k);
            } finally { this.decref(o); this.release(k); }
            stack.push(r);
            break;
          }
          case 'BINARY_SLICE': {
            const stop = stack.pop(), start = stack.pop(), o = stack.pop();
            let r;
            try { r = this.slice(o, start, stop); } finally { this.decref(o); this.decref(start); this.decref(stop); }
            stack.push(r);
            break;
          }
          case 'STORE_SUBSCR': {
            const k = stack.pop(), o = stack.pop(), v = stack.pop();
            if (k instanceof SliceKey) {
              try { this.setSlice(o, ...this.sliceParts(o, k), v); } finally { this.decref(o); this.release(k); this.decref(v); }
              break;
            }
            if (this.typeId(o) === USER_TYPE && this.callSpecial(o, '__setitem__', [k, v])) break;
            const rc = raw.vm_setitem(h, o, k, v);
            this.decref(o); this.decref(k); this.decref(v);
            this.checkStatus(rc);
            break;
          }
          case 'DELETE_SUBSCR': {
            const k = stack.pop(), o = stack.pop();
            if (k instanceof SliceKey) {
              try { this.setSlice(o, ...this.sliceParts(o, k), 0); } finally { this.decref(o); this.release(k); }
              break;
            }
            if (this.typeId(o) === USER_TYPE && this.callSpecial(o, '__delitem__', [k])) break;
            try {
              if (raw.vm_delitem(h, o, k) < 0) this.throwKeyError(k);
            } finally { this.decref(o); this.decref(k); }
            break;
          }
          case 'DELETE_ATTR': {
            const o = stack.pop();
            let rc = raw.vm_setattr(h, o, this.str(code.names[ins.arg]), 0);
            if (rc < 0 && this.isHostCall()) {   // a property's deleter (descrobject.h)
              try { rc = this.setAttrHost(o, code.names[ins.arg], 0); } catch (e) { this.decref(o); throw e; }
            }
            this.decref(o);
            this.checkStatus(rc);
            break;
          }
          case 'GET_YIELD_FROM_ITER': {   // (GET_ITER is run()'s)
            const o = stack.pop();
            let it;
            try { it = this.getIter(o); } finally { this.decref(o); }
            stack.push(it);
            break;
          }
          case 'KW_NAMES': f.kwnames = this.constAt(code, ins.arg); break;
          case 'MAKE_FUNCTION': {   // the function takes references to code, defaults, closure
            const codeObj = stack.pop();
            const closure = ins.arg & 8 ? stack.pop() : 0;
            const ann = ins.arg & 4 ? stack.pop() : 0;
            const kwd = ins.arg & 2 ? stack.pop() : 0;
            const defs = ins.arg & 1 ? stack.pop() : 0;
            const fn = raw.func_new(h, codeObj, f.globals, f.builtins, defs, kwd, ann, closure);
            for (const o of [codeObj, closure, ann, kwd, defs]) this.decref(o);
            stack.push(this.check(fn));
            break;
          }
          case 'LOAD_BUILD_CLASS': stack.push(this.incref(this.buildClass)); break;
          case 'RETURN_GENERATOR': {
            // the frame moves into a new generator; the caller gets the generator
            return this.makeGenerator(f);
          }
          case 'SEND': {   // [receiver, v] -> [receiver, yielded] or jump with [receiver, return value]
            const v = stack.pop();
            const recv = stack[stack.length - 1];
            let x;
            if (typeof recv === 'number' && this.typeId(recv) === T.generator) x = this.genNext(recv, v, true);
            else {
              if (v !== this.none) { this.decref(v); throw new PyException(this.makeExc('AttributeError', `'${this.typeName(recv)}' object has no attribute 'send'`)); }
              this.decref(v);
              x = this.iterNext(recv);
            }
            if (x) stack.push(x);
            else {
              stack.push(this.genReturn || this.incref(this.none));
              this.genReturn = 0;
              f.pc = ins.arg;
            }
            break;
          }
          case 'END_SEND': {   // [receiver, value] -> [value]
            const v = stack.pop();
            this.release(stack.pop());
            stack.push(v);
            break;
          }
          case 'CLEANUP_THROW': {   // [sub_iter, last_sent, exc]: a StopIteration ends the delegation
            const e = stack.pop();
            if (this.excMatches(e, this.excClasses.get('StopIteration'))) {
              this.release(stack.pop());
              this.release(stack.pop());
              stack.push(this.excGet(e, 7));   // ((PyStopIterationObject *)exc)->value
              this.decref(e);
              break;
            }
            throw new PyException(e, true);
          }
          case 'JUMP_BACKWARD_NO_INTERRUPT': f.pc = ins.arg; break;
          case 'SET_UPDATE': {
            const it = stack.pop();
            const set = stack[stack.length - ins.arg];
            const itid = this.typeId(it);
            if (itid === T.set || itid === T.frozenset) {   // set_merge
              const rc = raw.vm_set_update(h, set, it);
              this.decref(it);
              this.checkStatus(rc);
              break;
            }
            try {
              const iter = this.getIter(it);
              for (let x = this.iterNext(iter); x; x = this.iterNext(iter)) { const rc = raw.set_add(h, set, x); this.decref(x); this.checkStatus(rc); }
              this.release(iter);
            } finally { this.decref(it); }
            break;
          }
          case 'IMPORT_NAME': {
            const lvl = stack.pop(), fromlist = stack.pop();
            this.decref(lvl); this.decref(fromlist);
            stack.push(this.importModule(code.names[ins.arg]));
            break;
          }
          case 'IMPORT_FROM': {
            const m = stack[stack.length - 1];
            try {
              stack.push(this.getAttr(m, code.names[ins.arg]));
            } catch (e) {   // import_from: a missing name of a module is an ImportError
              if (!(e instanceof PyException) || !this.isModule(m) || !this.excMatches(e.exc, this.excClasses.get('AttributeError'))) throw e;
              this.decref(e.exc);
              throw new PyException(this.makeExc('ImportError', `cannot import name '${code.names[ins.arg]}' from '${this.moduleName(m)}' (unknown location)`));
            }
            break;
          }
          case 'RAISE_VARARGS': {
            if (ins.arg === 0) {
              if (!this.excInfo) throw new PyException(this.makeExc('RuntimeError', 'No active exception to reraise'));
              throw new PyException(this.incref(this.excInfo), true);
            }
            const cause = ins.arg === 2 ? stack.pop() : 0;
            const e = stack.pop();
            if (!cause) throw new PyException(this.excFromRaise(e));
            let exc;
            try { exc = this.excFromRaise(e); } catch (x) { this.decref(cause); throw x; }
            // do_raise: a class is instantiated; the cause also sets __suppress_context__
            let c = cause;
            if (this.isExcClass(cause)) c = this.callObject(cause, [], 0);
            else if (cause !== this.none && !this.isExcInstance(cause)) {
              this.decref(cause); this.decref(exc);
              throw new PyException(this.makeExc('TypeError', 'exception causes must derive from BaseException'));
            }
            try {
              this.excSet(exc, EXC_FIELDS.__cause__, c === this.none ? 0 : c);
              this.excSet(exc, EXC_FIELDS.__suppress_context__, this.true_);
            } finally { this.decref(c); }
            throw new PyException(exc);
          }
          case 'LOAD_ASSERTION_ERROR': stack.push(this.incref(this.excClasses.get('AssertionError'))); break;
          case 'SETUP_FINALLY': case 'SETUP_CLEANUP':
            f.blocks.push({ handler: ins.arg, depth: stack.length, lasti: ins.op === 'SETUP_CLEANUP' });
            break;
          case 'POP_BLOCK': f.blocks.pop(); break;
          case 'PUSH_EXC_INFO': {   // [exc] -> [prev exc_info or None, exc]; exc_info takes a new reference to exc
            const e = stack.pop();
            stack.push(this.excInfo ? this.excInfo : this.incref(this.none));   // exc_info's reference moves to the stack
            stack.push(e);
            this.excInfo = this.incref(e);
            break;
          }
          case 'POP_EXCEPT': {   // exc_info takes the popped reference; its old value is released
            const prev = stack.pop();
            const old = this.excInfo;
            if (prev === this.none) { this.decref(prev); this.excInfo = 0; } else this.excInfo = prev;
            this.decref(old);
            break;
          }
          case 'CHECK_EXC_MATCH': {
            const cls = stack.pop();
            const r = this.excMatches(stack[stack.length - 1], cls);
            this.decref(cls);
            stack.push(this.bool(r));
            break;
          }
          case 'RERAISE': {
            const e = stack.pop();
            if (ins.arg) f.lasti = stack[stack.length - ins.arg].n;
            throw new PyException(e, true);
          }
          // ---- with statements, star calls and unpacking, super() (issue 5)
          case 'SETUP_WITH':   // a cleanup block that drops __enter__'s result: [exit, lasti, exc]
            f.blocks.push({ handler: ins.arg, depth: stack.length - 1, lasti: true });
            break;
          case 'BEFORE_WITH': {   // [mgr] -> [bound __exit__, __enter__()]
            this.beforeWith(stack.pop(), stack);
            break;
          }
          case 'WITH_EXCEPT_START': {   // [exit, lasti, prev exc, exc] -> + exit(type(exc), exc, tb)
            const exc = stack[stack.length - 1], exit = stack[stack.length - 4];
            stack.push(this.withExceptStart(exit, exc));
            break;
          }
          case 'UNPACK_EX': {   // before + [rest] + after, the first item on top
            const seq = stack.pop();
            let out;
            try { out = this.unpackEx(seq, ins.arg & 0xff, ins.arg >> 8); } finally { this.decref(seq); }
            for (let i = out.length - 1; i >= 0; i--) stack.push(out[i]);
            break;
          }
          case 'DICT_MERGE': case 'DICT_UPDATE': {   // the dict below takes references to update's items
            const upd = stack.pop();
            const d = stack[stack.length - ins.arg];
            try {
              this.dictMerge(d, upd, ins.op === 'DICT_MERGE' ? stack[stack.length - ins.arg - 2] : 0);
            } finally { this.decref(upd); }
            break;
          }
          case 'CALL_FUNCTION_EX': {   // [NULL, func, args, kwargs?] -> result
            const kwargs = ins.arg & 1 ? stack.pop() : 0;
            const callargs = stack.pop(), fn = stack.pop();
            this.release(stack.pop());
            stack.push(this.callEx(fn, callargs, kwargs, ins));
            this.evalBreaker();
            break;
          }
          case 'LOAD_SUPER_ATTR': {   // [super, class, self] -> [meth, self] | [NULL, attr] | [attr]
            const self = stack.pop(), cls = stack.pop(), sup = stack.pop();
            try {
              this.loadSuperAttr(stack, sup, cls, self, code.names[ins.arg >> 2], ins.arg);
            } finally { this.decref(sup); this.decref(cls); }
            break;
          }
          default:
            throw new Error(`pyheap: instruction ${ins.op} is not implemented`);
        }
      } catch (err) {
        this.unwind(f, err, ins);
      }
      if (once) return STEP;
    }
  }

  /** An exception raised by instruction `ins` of frame f: jump to the innermost handler, or leave the frame (rethrow). */
  unwind(f, err, ins) {
    if (!(err instanceof PyException)) throw err;
    const stack = f.stack;
    if (!err.chained) {
      err.chained = true;
      if (err.exc !== this.hostRaised) this.chainContext(err.exc);   // chained inside __eq__/__hash__ already
    }
    this.hostRaised = 0;
    if (!err.noTb) this.addTraceback(err.exc, f, f.instrs[f.lasti] ?? ins);
    err.noTb = false;
    // exception table: unwind to the innermost handler
    const b = f.blocks.pop();
    if (!b) {
      if (f.gen) this.genDone(f);
      this.exitWithException(f, err.exc);
      err.noTb = false;
      throw err;
    }
    while (stack.length > b.depth) this.release(stack.pop());
    if (b.lasti) stack.push(new Lasti(f.lasti));
    stack.push(err.exc);
    f.pc = b.handler;
  }

  /** STORE_NAME / STORE_GLOBAL: the dict takes its own reference, v's is released. */
  storeIn(dict, name, v) {
    const rc = this.raw.dict_setitem(this.h, dict, this.str(name), v);
    this.decref(v);
    this.checkStatus(rc);
  }

  deleteIn(dict, name) {
    if (this.raw.dict_delitem(this.h, dict, this.str(name)) < 0) {
      throw new PyException(this.makeExc('NameError', `name '${name}' is not defined`));
    }
  }

  finishFrame(f) {
    if (f.gen) this.genDone(f);
    this.releaseFrame(f);
  }

  unbound(f, i) {
    return this.makeExc('UnboundLocalError',
      `cannot access local variable '${f.lp.names[i]}' where it is not associated with a value`);
  }

  unboundFree(f, i) {
    return this.makeExc('NameError',
      `cannot access free variable '${f.lp.names[i]}' where it is not associated with a value in enclosing scope`);
  }

  excFromRaise(e) {
    if (this.isType(e)) {
      if (!this.isExcClass(e)) { this.decref(e); return this.makeExc('TypeError', 'exceptions must derive from BaseException'); }
      const inst = this.callObject(e, [], 0);
      return inst;
    }
    if (!this.isExcInstance(e)) { this.decref(e); return this.makeExc('TypeError', 'exceptions must derive from BaseException'); }
    this.excTb.delete(e);
    return e;
  }

  // ---- operations

  /** o.name(other) from type(o), or 0 when it is missing or returns NotImplemented. */
  trySpecial(o, name, other) {
    const m = this.lookupSpecial(o, name);
    if (!m) return 0;
    const r = this.callObject(this.incref(m), [this.incref(o), this.incref(other)], 0);
    if (r === this.raw.obj_singleton(this.h, 3)) { this.decref(r); return 0; }
    return r;
  }

  binaryOp(op, a, b) {
    if ((op === 6 || op === 19) && this.typeId(a) === T.str) return this.newStr(this.fmt.percent(this.text(a), b));   // str % args
    if ((op === 5 || op === 18) && (this.typeId(a) === T.bytes || this.typeId(b) === T.bytes)) {   // bytes_repeat
      const [bs, n] = this.typeId(a) === T.bytes ? [a, b] : [b, a];
      const nt = this.typeId(n);
      if (nt !== T.int && nt !== T.bool) throw new PyException(this.makeExc('TypeError', `can't multiply sequence by non-int of type '${this.typeName(n)}'`));
      const k = Math.max(0, this.raw.vm_int_value(this.h, n)), x = this.bytesData(bs);
      if (k === 1) return this.incref(bs);
      const r = new Uint8Array(x.length * k);
      for (let i = 0; i < k; i++) r.set(x, i * x.length);
      return this.newBytes(r);
    }
    if ((op === 0 || op === 13) && this.typeId(a) === T.bytes && this.typeId(b) === T.bytes) {   // bytes_concat
      const x = this.bytesData(a), y = this.bytesData(b);
      if (!y.length) return this.incref(a);
      if (!x.length) return this.incref(b);
      const r = new Uint8Array(x.length + y.length);
      r.set(x); r.set(y, x.length);
      return this.newBytes(r);
    }
    if (this.typeId(a) === USER_TYPE || this.typeId(b) === USER_TYPE) {
      const names = ['add', 'and', 'floordiv', 'lshift', 'matmul', 'mul', 'mod', 'or', 'pow', 'rshift', 'sub', 'truediv', 'xor'];
      const base = names[op % 13];
      const tryM = (o, name, other) => this.trySpecial(o, name, other);
      let r = 0;
      if (op >= 13 && this.typeId(a) === USER_TYPE) r = tryM(a, `__i${base}__`, b);
      if (!r && this.typeId(a) === USER_TYPE) r = tryM(a, `__${base}__`, b);
      if (!r && this.typeId(b) === USER_TYPE) r = tryM(b, `__r${base}__`, a);
      if (r) return r;
    }
    if ([1, 7, 10, 12].includes(op % 13) && (isSetView(this.typeId(a)) || isSetView(this.typeId(b)))) {
      // dict_keys / dict_items set operations: the core iterates the other operand
      const x = this.coreIterable(a);
      try {
        const y = this.coreIterable(b);
        try { return this.check(this.fx.vm_binop(this.h, op, x, y)); } finally { this.decref(y); }
      } finally { this.decref(x); }
    }
    const r = this.fx.vm_binop(this.h, op, a, b);
    if (!r && (this.isProxy(a) || this.isProxy(b))) {   // proxy_add and the other number slots
      return this.isProxy(a) ? this.viaProxy(a, (x) => this.binaryOp(op, x, b)) : this.viaProxy(b, (x) => this.binaryOp(op, a, x));
    }
    return this.check(r);
  }

  compareOp(op, a, b) {
    const ta = this.typeId(a), tb = this.typeId(b);
    if (ta === tb && (ta === T.tuple || ta === T.list) && op !== 2 && op !== 3) return this.seqCompare(op, a, b);

    if (this.typeId(a) === USER_TYPE || this.typeId(b) === USER_TYPE) {
      const names = ['lt', 'le', 'eq', 'ne', 'gt', 'ge'];
      const swapped = [4, 5, 2, 3, 0, 1];
      const tryM = (o, name, other) => this.trySpecial(o, name, other);
      let r = 0;
      // do_richcompare: when type(b) is a proper subclass of type(a), b's reflected method goes first
      const tA = this.fx.vm_type(a) >>> 0, tB = this.fx.vm_type(b) >>> 0;
      const subFirst = tA !== tB && this.typeId(b) === USER_TYPE && this.fx.vm_is_subtype(tB, tA) === 1;
      if (subFirst) r = tryM(b, `__${names[swapped[op]]}__`, a);
      if (!r && this.typeId(a) === USER_TYPE) r = tryM(a, `__${names[op]}__`, b);
      if (!r && !subFirst && this.typeId(b) === USER_TYPE) r = tryM(b, `__${names[swapped[op]]}__`, a);
      if (r) return r;
      if (op === 3) {   // object.__ne__: the inverse of __eq__, unless that is NotImplemented
        let e = 0;
        if (subFirst) e = tryM(b, '__eq__', a);
        if (!e && this.typeId(a) === USER_TYPE) e = tryM(a, '__eq__', b);
        if (!e && !subFirst && this.typeId(b) === USER_TYPE) e = tryM(b, '__eq__', a);
        if (e) {
          let t;
          try { t = this.truth(e); } finally { this.decref(e); }
          return this.incref(this.bool(!t));
        }
      }
    }
    return this.check(this.fx.vm_compare(this.h, op, a, b));
  }

  contains(c, v) {
    const tid = this.typeId(c);
    if (tid === T.bytes) {   // bytes_contains: an int byte or a bytes substring
      const data = this.bytesData(c), vt = this.typeId(v);
      if (vt === T.int || vt === T.bool) return data.includes(this.raw.vm_int_value(this.h, v)) ? 1 : 0;
      if (vt !== T.bytes) throw new PyException(this.makeExc('TypeError', `a bytes-like object is required, not '${this.typeName(v)}'`));
      const latin = (u8) => String.fromCharCode(...u8);
      return latin(data).includes(latin(this.bytesData(v))) ? 1 : 0;
    }
    if (tid === T.str) {
      if (this.typeId(v) !== T.str) {
        throw new PyException(this.makeExc('TypeError', `'in <string>' requires string as left operand, not ${this.typeName(v)}`));
      }
      return this.text(c).includes(this.text(v)) ? 1 : 0;
    }
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(c, '__contains__');
      if (m) { const r = this.callObject(this.incref(m), [this.incref(c), this.incref(v)], 0); const t = this.truth(r); this.decref(r); return t ? 1 : 0; }
    }
    if (tid === T.range || tid === T.generator || tid === USER_TYPE) {
      const it = tid === T.range ? new SeqIter(this.incref(c)) : this.getIter(c);
      try {
        for (let x = this.iterNext(it); x; x = this.iterNext(it)) {
          let t;
          try { t = this.eqBool(x, v); } finally { this.decref(x); }
          if (t) return 1;
        }
      } finally { this.release(it); }
      return 0;
    }
    if (this.isProxy(c)) return this.viaProxy(c, (r) => this.contains(r, v));   // proxy_contains
    return this.checkStatus(this.raw.vm_contains(this.h, c, v));
  }

  /**
   * PyObject_RichCompareBool(a, b, Py_EQ): the same object is equal without
   * calling __eq__ (so nan equals itself here), else the truth of a == b
   * (an __eq__ may return any object).
   */
  eqBool(a, b) {
    if (a === b) return true;
    const r = this.compareOp(2, a, b);
    try { return this.truth(r); } finally { this.decref(r); }
  }

  /** tuple/list ordering (tuplerichcompare): the first differing item decides. */
  seqCompare(op, a, b) {
    const A = [], B = [];
    for (const [o, out] of [[a, A], [b, B]]) {
      const it = new SeqIter(this.incref(o));
      for (let x = this.iterNext(it); x; x = this.iterNext(it)) out.push(x);
      this.release(it);
    }
    try {
      let i = 0;
      for (; i < A.length && i < B.length; i++) {
        if (!this.eqBool(A[i], B[i])) return this.compareOp(op, A[i], B[i]);
      }
      const x = A.length, y = B.length;
      const r = [x < y, x <= y, x === y, x !== y, x > y, x >= y][op];
      return this.bool(r);
    } finally {
      for (const v of [...A, ...B]) this.decref(v);
    }
  }

  getItem(o, k) {
    if (this.typeId(o) === USER_TYPE) {
      const m = this.lookupSpecial(o, '__getitem__');
      if (m) return this.callObject(this.incref(m), [this.incref(o), this.incref(k)], 0);
    }
    if (this.typeId(o) === T.bytes) return this.bytesItem(o, k);
    const r = this.raw.vm_getitem(this.h, o, k);
    if (!r && this.isProxy(o)) { return this.viaProxy(o, (x) => this.getItem(x, k)); }   // proxy_getitem
    if (!r) this.throwKeyError(k);
    return r;
  }

  /** bytes[i]: the byte as an int (bytes_item). */
  bytesItem(o, k) {
    const kt = this.typeId(k);
    if (kt !== T.int && kt !== T.bool) throw new PyException(this.makeExc('TypeError', `byte indices must be integers or slices, not ${this.typeName(k)}`));
    const data = this.bytesData(o);
    let i = this.raw.vm_int_value(this.h, k);
    if (i < 0) i += data.length;
    if (i < 0 || i >= data.length) throw new PyException(this.makeExc('IndexError', 'index out of range'));
    return this.newInt(data[i]);
  }

  /** After a failed dict operation: KeyError(key) with the key object itself, else the core's error. */
  throwKeyError(k) {
    if (EXC_KINDS[this.raw.exc_kind(this.h)] === 'KeyError') {
      throw new PyException(this.newException(this.excClasses.get('KeyError'), [this.incref(k)]));
    }
    throw new PyException(this.coreError());
  }

  /** The parts of a BUILD_SLICE key for container o; a slice given to a class's own
   *  __getitem__ & co. would need a slice object, which is not modelled. */
  sliceParts(o, k) {
    if (this.typeId(o) === USER_TYPE) {
      throw new PyException(this.makeExc('TypeError', 'pyheap: slice objects are not supported (a slice of an instance of a class)'));
    }
    return k.parts;
  }

  /** A slice bound: NaN for None/omitted, else the int (_PyEval_SliceIndex). */
  sliceBound(x) {
    if (!x || x === this.none) return NaN;
    const t = this.typeId(x);
    if (t !== T.int && t !== T.bool) {
      throw new PyException(this.makeExc('TypeError', 'slice indices must be integers or None or have an __index__ method'));
    }
    return this.raw.vm_int_value(this.h, x);
  }

  /** PySlice_Unpack + PySlice_AdjustIndices over length n: [start, step, count]. */
  sliceIndices(n, start, stop, step) {
    let st = Number.isNaN(step) ? 1 : step;
    if (st === 0) throw new PyException(this.makeExc('ValueError', 'slice step cannot be zero'));
    const adj = (x, dflt) => {
      if (Number.isNaN(x)) return dflt;
      if (x < 0) { x += n; if (x < 0) x = st < 0 ? -1 : 0; } else if (x >= n) x = st < 0 ? n - 1 : n;
      return x;
    };
    const a = adj(start, st < 0 ? n - 1 : 0), b = adj(stop, st < 0 ? -1 : n);
    let count = 0;
    if (st < 0) { if (b < a) count = Math.floor((a - b - 1) / -st) + 1; } else if (a < b) count = Math.floor((b - a - 1) / st) + 1;
    return [a, st, count];
  }

  /** o[start:stop:step] (BINARY_SLICE, BINARY_SUBSCR with a slice). A full slice of an exact
   *  str or tuple is the object itself (unicode_subscript, tuple_subscript). */
  slice(o, start, stop, step = 0) {
    const tid = this.typeId(o);
    const [a0, b0, s0] = [this.sliceBound(start), this.sliceBound(stop), this.sliceBound(step)];
    if (tid === T.list) return this.check(this.raw.list_getslice(this.h, o, a0, b0, s0));
    if (tid === T.bytes) {   // bytes_subscript: a full slice is the object itself
      const data = this.bytesData(o);
      const [a, st, count] = this.sliceIndices(data.length, a0, b0, s0);
      if (a === 0 && st === 1 && count === data.length) return this.incref(o);
      return this.newBytes(Uint8Array.from({ length: count }, (_, i) => data[a + i * st]));
    }
    if (tid !== T.str && tid !== T.tuple) {
      throw new PyException(this.makeExc('TypeError', tid === T.range
        ? `pyheap: slicing a ${this.typeName(o)} is not supported`
        : `'${this.typeName(o)}' object is not subscriptable`));
    }
    const chars = tid === T.str ? [...this.text(o)] : null;
    const n = chars ? chars.length : this.raw.obj_len(this.h, o);
    const [a, st, count] = this.sliceIndices(n, a0, b0, s0);
    if (a === 0 && st === 1 && count === n) return this.incref(o);
    const idx = Array.from({ length: count }, (_, i) => a + i * st);
    if (chars) return this.newStr(idx.map((i) => chars[i]).join(''));
    const items = idx.map((i) => this.raw.tuple_getitem(this.h, o, i));
    const t = this.tuple(items);
    for (const x of items) this.decref(x);
    return t;
  }

  /** o[start:stop:step] = v, or del o[...] when v is 0 (list_ass_subscript). */
  setSlice(o, start, stop, step, v) {
    if (this.typeId(o) !== T.list) {
      throw new PyException(this.makeExc('TypeError', `'${this.typeName(o)}' object does not support item ${v ? 'assignment' : 'deletion'}`));
    }
    const [a, b, st] = [this.sliceBound(start), this.sliceBound(stop), this.sliceBound(step)];
    if (!v) { this.checkStatus(this.raw.list_delslice(this.h, o, a, b, st)); return; }
    const vt = this.typeId(v);
    let seq = v;
    if (vt !== T.list && vt !== T.tuple) {   // PySequence_Fast: any iterable, as a list
      if (!Number.isNaN(st) && st !== 1 && !this.isIterable(v)) throw new PyException(this.makeExc('TypeError', 'must assign iterable to extended slice'));
      if (!this.isIterable(v)) throw new PyException(this.makeExc('TypeError', 'can only assign an iterable'));
      seq = this.newList(v);
    }
    try { this.checkStatus(this.raw.list_setslice(this.h, o, a, b, st, seq)); } finally { if (seq !== v) this.decref(seq); }
  }

  isIterable(o) {
    try { this.release(this.getIter(o)); return true; } catch (e) {
      if (e instanceof PyException && this.excMatches(e.exc, this.excClasses.get('TypeError'))) { this.decref(e.exc); return false; }
      throw e;
    }
  }

  getAttr(o, name) {
    if (this.typeAddr.has(o) && this.isExcClass(o)) {   // a built-in exception class: type's getsets
      const v = this.staticExcClassAttr(o, name);
      if (v !== undefined) return v;
    }
    if (this.isExcInstance(o)) {
      const fld = this.excField(o, name);
      if (fld !== undefined) return this.excGet(o, fld);
      if (this.typeId(o) !== USER_TYPE) {   // a built-in exception's own dict (tp_dictoffset)
        const d = this.excGet(o, EXC_FIELDS.__dict__);
        const v = this.raw.dict_getitem(this.h, d, this.str(name));
        this.decref(d);
        if (v) return v;
      }
    }
    const tid = this.typeId(o);
    if (tid === T['weakref.ProxyType'] || tid === T['weakref.CallableProxyType']) return this.viaProxy(o, (r) => this.getAttr(r, name));
    if (tid !== USER_TYPE && tid !== T.type) {
      const m = this.builtinAttr(o, name);
      if (m !== undefined) return m;
    }
    const r = this.fx.vm_getattr(this.h, o, this.str(name));
    if (r) return r;
    if (this.isHostCall()) return this.getAttrHost(o, name);   // a property's getter
    if (this.typeAddr.has(o)) {   // str.lower & co. (builtins.js)
      const d = this.methodDescriptor(o, name);
      if (d) { return d; }
    }
    if (tid === USER_TYPE) {
      const v = this.hostAttr(o, name);   // a builtin function's __name__ & co. (builtins.js)
      if (v !== undefined) { return v; }
      if (this.isModule(o)) {   // module_getattro's message
        throw new PyException(this.makeExc('AttributeError', `module '${this.moduleName(o)}' has no attribute '${name}'`));
      }
    }
    return this.getAttrHost(o, name);
  }

  // ---- property / classmethod / staticmethod (core/src/descrobject.h): a
  // property's functions are Python code, so the core's getattr / setattr
  // fail with PM_DESCR_HOST_CALL_MSG when one is to be called and the VM
  // calls it here (only on that failure path: plain attributes cost nothing).

  /** type.__subclasses__ (the classes made by the program: pmw_type_subclasses). */
  subclassesMethod() {
    return this.subclassesFn ??= new BuiltinMethod('__subclasses__', (args) => this.check(this.raw.type_subclasses(this.h, args[0])));
  }

  /** Did the failed core call ask for a property function to be called? */
  isHostCall() {
    return this.raw.exc_kind(this.h) === EXC_RUNTIME && this.raw.cString(this.raw.exc_msg(this.h)) === DESCR_HOST_CALL_MSG;
  }

  /** vm_getattr failed: call the getter of the property type(o).name (property_descr_get), or raise. */
  getAttrHost(o, name) {
    if (name === '__subclasses__' && this.isType(o) && !this.typeAddr.has(o)) {   // type.__subclasses__ of a class
      return this.bindBuiltin(this.subclassesMethod(), o);
    }
    if (!this.isHostCall()) throw new PyException(this.coreError());
    return this.callProperty(this.fx.vm_lookup(this.h, this.fx.vm_type(o), this.str(name)), o, 0, []);
  }

  /** vm_setattr failed: call the setter (v) or deleter (v 0) of the property type(o).name; borrows o and v. */
  setAttrHost(o, name, v) {
    const d = this.fx.vm_lookup(this.h, this.fx.vm_type(o), this.str(name));
    this.decref(this.callProperty(d, o, v ? 1 : 2, v ? [this.incref(v)] : []));
    return 0;
  }

  /** prop's function `which` (0 get, 1 set, 2 delete) called with (obj, ...args); args are owned. */
  callProperty(prop, obj, which, args) {
    const f = prop && this.typeId(prop) === T.property ? this.raw.property_function(this.h, prop, obj, which) : 0;
    if (!f) { for (const a of args) this.decref(a); throw new PyException(this.coreError()); }
    return this.callObject(this.incref(f), [this.incref(obj), ...args], 0);
  }

  /** type(d).__get__(d, obj | 0, type) (super() of a property, classmethod or staticmethod): new reference. */
  descrBind(d, obj, type) {
    const r = this.raw.descr_bind(this.h, d, obj, type);
    if (r) return r;
    if (!this.isHostCall()) throw new PyException(this.coreError());
    return this.callProperty(d, obj, 0, []);
  }

  // ---- hooks for the gc and weakref modules (web/interp/modules/gc.js, weakref.js)

  /** weakref_repr's " (name)" for a referent whose type has __name__ (functions, classes). */
  weakrefReprName(r, text) {
    const o = this.check(this.raw.weakref_call(this.h, r));
    try {
      const tid = this.typeId(o);
      if (tid !== T.function && tid !== T.type) return text;
      const n = this.getAttr(o, '__name__');
      try { return this.typeId(n) === T.str ? `${text.slice(0, -1)} (${this.text(n)})>` : text; } finally { this.decref(n); }
    } finally { this.decref(o); }
  }

  isProxy(o) {
    const tid = this.typeId(o);
    return tid === T['weakref.ProxyType'] || tid === T['weakref.CallableProxyType'];
  }

  /** fn(referent of proxy p) (borrowed p): the proxy slots of weakrefobject.c forward to the referent. */
  viaProxy(p, fn) {
    const r = this.unproxy(this.incref(p));
    try { return fn(r); } finally { this.decref(r); }
  }

  /** Takes o's reference; a weakref proxy's referent instead of the proxy (ReferenceError if it died). */
  unproxy(o) {
    if (!this.isProxy(o)) return o;
    const r = this.raw.weakref_proxy_referent(this.h, o);
    this.decref(o);
    return this.check(r);
  }

  /** o.name(*args) for a special method of a user class (takes the references of o and args): false if missing. */
  callSpecial(o, name, args) {
    const m = this.lookupSpecial(o, name);
    if (!m) return false;
    this.decref(this.callObject(this.incref(m), [o, ...args], 0));
    return true;
  }

  /** LOAD_ATTR with the method bit: takes o's reference. */
  loadMethod(stack, o, name) {
    const tid = this.typeId(o);
    if (tid === USER_TYPE) {
      const d = this.fx.vm_lookup(this.h, this.fx.vm_type(o), this.str(name));
      if (d && this.typeId(d) === T.function && !this.instanceHas(o, name)) {
        stack.push(this.incref(d), o);
        return;
      }
    } else if (tid !== T.type) {
      const m = this.builtinMethod(o, name);
      if (m) { stack.push(m, o); return; }
    } else if (name === '__subclasses__' && !this.typeAddr.has(o) && !this.fx.vm_lookup(this.h, o, this.str(name))) {
      stack.push(this.subclassesMethod(), o);   // unbound, as LOAD_ATTR's method form pushes a method descriptor
      return;
    }
    let r;
    try { r = this.getAttr(o, name); } finally { this.decref(o); }
    stack.push(0, r);
  }

  instanceHas(o, name) {
    const d = this.fx.instance_dict(this.h, o);
    if (!d) return false;
    const r = this.fx.dict_contains(this.h, d, this.str(name));
    this.decref(d);
    return r === 1;
  }

  /** GET_ITER / iter(o) (PyObject_GetIter): a new reference to an iterator. */
  getIter(o) {
    const tid = this.typeId(o);
    if (CORE_ITERABLES.has(tid) || isCoreIterType(tid)) return this.check(this.raw.vm_getiter(this.h, o));
    if (tid === T.generator) return this.incref(o);
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(o, '__iter__');
      if (m) {
        const it = this.callObject(this.incref(m), [this.incref(o)], 0);
        if (!this.isIterator(it)) {
          const tn = this.typeName(it);
          this.decref(it);
          throw new PyException(this.makeExc('TypeError', `iter() returned non-iterator of type '${tn}'`));
        }
        return it;
      }
    }
    if (o && o instanceof Object) return o;
    if (tid === T['weakref.ProxyType'] || tid === T['weakref.CallableProxyType']) return this.viaProxy(o, (r) => this.getIter(r));   // proxy_iter
    throw new PyException(this.makeExc('TypeError', `'${this.typeName(o)}' object is not iterable`));
  }

  /** PyIter_Check: has tp_iternext (a core iterator, a generator, a class with __next__). */
  isIterator(o) {
    const tid = this.typeId(o);
    if (isCoreIterType(tid)) return true;
    if (tid === T.generator) return true;
    return tid === USER_TYPE && !!this.lookupSpecial(o, '__next__');
  }

  keysOf(o) {
    const raw = this.raw, h = this.h;
    const keys = [];
    const isDict = this.typeId(o) === T.dict;
    let pos = 0;
    for (;;) {
      pos = isDict ? raw.dict_next(h, o, pos) : raw.set_next(h, o, pos);
      if (pos <= 0) break;
      const k = raw.readU32(raw.obj_scratch(h));
      keys.push(this.incref(k));
      if (isDict) { this.decref(raw.readU32(raw.obj_scratch(h) + 4)); this.decref(k); }
      else this.decref(k);
    }
    return keys;
  }

  /** Next item (new reference) or 0 when exhausted (tp_iternext). */
  iterNext(it) {
    if (it instanceof SeqIter) {
      if (!it.seq) return 0;
      const x = this.raw.vm_iter_item(this.h, it.seq, it.i);
      if (!x) {
        if (this.raw.exc_kind(this.h) > 0) throw new PyException(this.coreError());
        return 0;
      }
      it.i++;
      return x;
    }
    if (typeof it !== 'number') throw new PyException(this.makeExc('TypeError', `'${this.typeName(it)}' object is not an iterator`));
    return this.iterStep(it);
  }

  /** tp_iternext of an iterator object (FOR_ITER, next()): the next item (new
   *  reference), 0 at the end. A generator is resumed here; the core steps
   *  its own iterators (FOR_ITER_LIST / _TUPLE / _RANGE) in one call and
   *  answers 1 for those that run Python code (iterNextHost). */
  iterStep(it) {
    if (this.typeId(it) === T.generator) return this.genNext(it, 0);
    const x = this.wx.pmw_vm_iter_next(this.h, it) >>> 0;
    if (x === 1) return this.iterNextHost(it);
    if (x === 0 && this.fx.exc_kind(this.h) > 0) throw new PyException(this.coreError());
    return x;
  }

  /** The iterators the core cannot step alone: the Python code they run is the VM's. */
  iterNextHost(it) {
    const raw = this.raw, h = this.h;
    const tid = this.typeId(it);
    if (tid === T.generator) return this.genNext(it, 0);
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(it, '__next__');
      if (!m) throw new PyException(this.makeExc('TypeError', `'${this.typeName(it)}' object is not an iterator`));
      try {
        return this.callObject(this.incref(m), [this.incref(it)], 0);
      } catch (e) {
        if (e instanceof PyException && this.excMatches(e.exc, this.excClasses.get('StopIteration'))) {
          this.decref(e.exc);
          return 0;
        }
        throw e;
      }
    }
    switch (tid) {
      case T.enumerate: {   // enum_next: the item, then the (index, item) pair
        const x = this.iterNext(raw.vm_iter_field(h, it, 0));
        return x ? this.check(raw.vm_enumerate_pack(h, it, x)) : 0;
      }
      case T.zip: {         // zip_next: every item in order, stop at the first exhausted iterator
        const tuple = raw.vm_iter_field(h, it, 0);
        const strict = raw.vm_iter_field(h, it, 2) === this.true_;   // zip(strict=True)
        if (strict && raw.obj_len(h, tuple) === 0) return 0;
        const items = this.nextOfEach(tuple, strict ? (i) => this.zipStrictEnd(tuple, i) : null);
        if (!items) return 0;
        const p = raw.obj_scratch(h);
        raw.writeU32s(p, items);
        return this.check(raw.vm_zip_pack(h, it, p));
      }
      case T.map: {         // map_next: func(*items)
        const items = this.nextOfEach(raw.vm_iter_field(h, it, 0));
        if (!items) return 0;
        return this.callObject(this.incref(raw.vm_iter_field(h, it, 1)), items, 0);
      }
      case T.filter: {      // filter_next: the first item whose func(item) (or item itself) is true
        const func = raw.vm_iter_field(h, it, 1), inner = raw.vm_iter_field(h, it, 0);
        for (;;) {
          const x = this.iterNext(inner);
          if (!x) return 0;
          let ok;
          try {
            if (func === this.none || func === this.typeOf[T.bool]) ok = this.truth(x);
            else {
              const r = this.callObject(this.incref(func), [this.incref(x)], 0);
              try { ok = this.truth(r); } finally { this.decref(r); }
            }
          } catch (e) { this.decref(x); throw e; }
          if (ok) return x;
          this.decref(x);
        }
      }
      case T.reversed: {    // reversed_next over a sequence with __getitem__ in Python
        const i = raw.vm_reversed_take(h, it);
        if (i < 0) return 0;
        const seq = raw.vm_iter_field(h, it, 0), idx = this.newInt(i);
        try {
          return this.getItem(seq, idx);
        } catch (e) {
          if (e instanceof PyException && (this.excMatches(e.exc, this.excClasses.get('IndexError'))
              || this.excMatches(e.exc, this.excClasses.get('StopIteration')))) {
            this.decref(e.exc);
            raw.vm_reversed_stop(h, it);
            return 0;
          }
          throw e;
        } finally { this.decref(idx); }
      }
      default: break;
    }
    throw new PyException(this.makeExc('TypeError', `'${this.typeName(it)}' object is not an iterator`));
  }

  /** The next item of each iterator in a tuple (new references), or null once one is exhausted. */
  /** zip_next with strict=True, when argument i (0-based) ended: shorter or longer arguments are a ValueError. */
  zipStrictEnd(tuple, i) {
    const plural = (k) => (k === 1 ? ' ' : 's 1-');
    if (i) throw new PyException(this.makeExc('ValueError', `zip() argument ${i + 1} is shorter than argument${plural(i)}${i}`));
    const n = this.raw.obj_len(this.h, tuple);
    for (let j = 1; j < n; j++) {
      const sub = this.raw.tuple_getitem(this.h, tuple, j);
      this.decref(sub);   // borrowed: the tuple holds it
      const y = this.iterNext(sub);
      if (y) { this.decref(y); throw new PyException(this.makeExc('ValueError', `zip() argument ${j + 1} is longer than argument${plural(j)}${j}`)); }
    }
  }

  /** The next item of each iterator in the tuple, or null at the first that ends (onEnd(i) is called then). */
  nextOfEach(tuple, onEnd = null) {
    const n = this.raw.obj_len(this.h, tuple);
    const items = [];
    try {
      for (let i = 0; i < n; i++) {
        const sub = this.raw.tuple_getitem(this.h, tuple, i);
        this.decref(sub);   // borrowed: the tuple holds it
        const x = this.iterNext(sub);
        if (!x) {
          for (const y of items.splice(0)) this.decref(y);
          if (onEnd) onEnd(i);
          return null;
        }
        items.push(x);
      }
    } catch (e) { for (const y of items) this.decref(y); throw e; }
    return items;
  }

  // ---- generators

  makeGenerator(f) {
    const raw = this.raw, h = this.h;
    // a core frame for the function, moved into a new generator object: the
    // arguments are parked in its slots until the first send (so a generator
    // that never runs releases them when it dies)
    const cf = this.check(raw.frame_push(h, f.func));
    for (let i = 0; i < f.locals.length; i++) {
      if (typeof f.locals[i] === 'number' && f.locals[i]) {
        raw.frame_set(h, cf, i, f.locals[i]); this.decref(f.locals[i]); f.locals[i] = 0;
      }
    }
    const gen = this.check(raw.gen_from_frame(h, cf));
    const fn = f.func;
    f.func = 0;
    this.decref(fn);
    f.gen = gen;
    f.gframe = raw.gen_frame(h, gen);
    this.genFrames.set(gen, f);
    return gen;
  }

  /** next(gen) / gen.send(v): the yielded value (new reference), 0 when it returned. */
  genNext(gen, value, wantReturn = false) {
    const raw = this.raw, h = this.h;
    const f = this.genFrames.get(gen);
    // gen_send + popping the None it pushed, in one unvalidated call when the frame is ours
    const st = f ? this.fx.vm_gen_resume(h, gen) : raw.gen_send(h, gen, 0);
    if (st < 0) { this.decref(value); throw new PyException(this.coreError()); }
    if (st === 1 || !f) { this.decref(value); return 0; }
    if (!f.started) {
      f.started = true;
      for (let i = 0; i < f.locals.length; i++) {
        if (f.locals[i]) continue;                  // a JS iterator record stayed here
        const v = raw.frame_get(h, f.gframe, i);     // new reference
        if (v) { raw.frame_set(h, f.gframe, i, 0); f.locals[i] = v; }
      }
    }
    f.stack.push(value || this.incref(this.none));
    f.yielded = false;
    const r = this.execute(f);
    if (f.yielded) {
      this.fx.vm_gen_suspend(h, gen);
      return r;
    }
    // returned: the value is StopIteration's (SEND picks it up from genReturn)
    if (wantReturn) this.genReturn = r;
    else this.decref(r);
    return 0;
  }

  genDone(f) {
    const gen = f.gen;
    f.gen = 0;
    this.genFrames.delete(gen);
    this.raw.gen_finish(this.h, gen);
  }

  /**
   * Raises exc (an owned reference) inside a suspended frame at its yield,
   * as the exception_unwind of ceval.c does: the innermost block's handler
   * gets [lasti?] exc on the stack unwound to its depth. Returns false when
   * no handler is active (the caller ends the frame).
   */
  throwInto(f, exc) {
    const b = f.blocks.pop();
    if (!b) return false;
    while (f.stack.length > b.depth) this.release(f.stack.pop());
    if (b.lasti) f.stack.push(new Lasti(f.lasti));
    f.stack.push(exc);
    f.pc = b.handler;
    f.yielded = false;
    return true;
  }

  /** Marks a suspended generator running again (gen_send_ex): its frame, or null when it is finished. */
  genResume(gen) {
    const f = this.genFrames.get(gen);
    if (!f || !f.started) return f ?? null;
    const st = this.raw.gen_send(this.h, gen, 0);
    if (st < 0) throw new PyException(this.coreError());
    if (st !== 0) return null;
    this.decref(this.raw.frame_pop_value(this.h, f.gframe));
    return f;
  }

  /** A generator that never ran is closed without running (gen_close / gen_throw on a new frame). */
  genCloseUnstarted(gen) {
    this.raw.gen_close(this.h, gen);
    this.genFrames.delete(gen);
  }

  /**
   * _PyGen_yf: the iterator a generator suspended inside `yield from`
   * delegates to (the SEND loop's receiver, borrowed), or 0.
   */
  genYieldFrom(f) {
    const i = f.lasti;
    if (f.instrs[i - 2]?.op !== 'SEND' || f.instrs[i - 1]?.op !== 'SETUP_FINALLY') return 0;
    return f.stack[f.stack.length - 1];
  }

  /** gen_close_iter: close() of a delegated-to iterator (a generator, or anything with a close method). */
  closeIter(it) {
    if (typeof it !== 'number') return;
    if (this.typeId(it) === T.generator) { this.genClose(it); return; }
    if (this.typeId(it) !== USER_TYPE) return;
    const m = this.lookupSpecial(it, 'close');
    if (m) this.decref(this.callObject(this.incref(m), [this.incref(it)], 0));
  }

  /** gen.close() of a suspended generator: the iterator it delegates to is closed, then GeneratorExit at the yield. */
  genClose(gen) {
    const f0 = this.genFrames.get(gen);
    if (!f0 || !f0.started) { this.genCloseUnstarted(gen); return; }
    const f = this.genResume(gen);
    if (!f) return;
    let exc = 0;
    const yf = this.genYieldFrom(f);
    if (yf) {
      try { this.closeIter(yf); } catch (e) { if (!(e instanceof PyException)) throw e; exc = e.exc; }
    }
    exc ||= this.makeExc('GeneratorExit', null);
    if (!this.throwInto(f, exc)) {
      this.genDone(f);
      this.releaseFrame(f);
      if (this.excMatches(exc, this.excClasses.get('GeneratorExit'))) { this.decref(exc); return; }
      throw new PyException(exc, true);
    }
    try {
      const r = this.execute(f);
      if (f.yielded) {
        this.raw.gen_suspend(this.h, gen);
        this.decref(r);
        throw new PyException(this.makeExc('RuntimeError', 'generator ignored GeneratorExit'));
      }
      this.decref(r);
    } catch (e) {
      if (e instanceof PyException && this.excMatches(e.exc, this.excClasses.get('GeneratorExit'))) {
        this.excTb.delete(e.exc);
        this.decref(e.exc);
        return;
      }
      throw e;
    }
  }

  /**
   * gen.throw(exc) (_gen_throw): exc (owned) is raised at the yield — or
   * first thrown into the generator a `yield from` delegates to; returns the
   * next yielded value, or 0 when the generator returned (its value in
   * this.genReturn). An exception the generator does not handle propagates.
   */
  genThrow(gen, exc) {
    const f0 = this.genFrames.get(gen);
    if (f0 && !f0.started) this.genCloseUnstarted(gen);
    const f = f0 && f0.started ? this.genResume(gen) : null;
    if (!f) throw new PyException(exc);
    const yf = this.genYieldFrom(f);
    if (yf && this.excMatches(exc, this.excClasses.get('GeneratorExit'))) {
      try { this.closeIter(yf); } catch (e) { if (!(e instanceof PyException)) throw e; this.decref(exc); exc = e.exc; }
    } else if (typeof yf === 'number' && yf && this.typeId(yf) === T.generator) {
      let r;
      try {
        r = this.genThrow(yf, exc);
      } catch (e) {
        if (!(e instanceof PyException)) throw e;
        return this.genEndYieldFrom(gen, f, e.exc);
      }
      if (r) { this.raw.gen_suspend(this.h, gen); return r; }   // the delegate yielded: so does gen
      const v = this.genReturn;
      this.genReturn = 0;
      return this.genEndYieldFrom(gen, f, 0, v);
    }
    this.addTraceback(exc, f, f.instrs[f.lasti]);
    return this.genRaiseAt(gen, f, exc);
  }

  /**
   * The delegate of a `yield from` ended during throw(): the SEND loop is
   * left (receiver popped, its handler block dropped) and gen continues
   * after END_SEND with the delegate's return value, or with its exception
   * raised there (a StopIteration carries the value).
   */
  genEndYieldFrom(gen, f, exc, value = 0) {
    const send = f.instrs[f.lasti - 2];
    this.release(f.stack.pop());
    f.blocks.pop();
    if (exc && this.excMatches(exc, this.excClasses.get('StopIteration'))) {
      const args = this.excArgs(exc);
      value = args.length ? args[0] : this.incref(this.none);
      for (const a of args.slice(1)) this.decref(a);
      this.excTb.delete(exc);
      this.decref(exc);
      exc = 0;
    }
    f.lasti = send.arg;   // END_SEND
    if (exc) {
      this.addTraceback(exc, f, f.instrs[f.lasti]);
      return this.genRaiseAt(gen, f, exc);
    }
    f.stack.push(value || this.incref(this.none));
    f.pc = send.arg + 1;
    f.yielded = false;
    return this.genRun(gen, f);
  }

  /** exc raised in a resumed generator's frame at f.lasti: its handler runs, or the frame ends. */
  genRaiseAt(gen, f, exc) {
    if (!this.throwInto(f, exc)) {
      this.genDone(f);
      this.exitWithException(f, exc);
      throw new PyException(exc, true);
    }
    return this.genRun(gen, f);
  }

  /** Runs a resumed generator's frame to its next yield (the value) or its return (0, value in genReturn). */
  genRun(gen, f) {
    const r = this.execute(f);
    if (f.yielded) {
      this.raw.gen_suspend(this.h, gen);
      return r;
    }
    this.genReturn = r;
    return 0;
  }

  // ---- calls

  /**
   * Calls `fn` with `args` (owned references, consumed; kwnames a borrowed
   * tuple of the last len(kwnames) names, or 0). Consumes fn's reference.
   * Returns a new reference.
   */
  callObject(fn, args, kwnames, ins) {
    try {
      return this.dispatchCall(fn, args, kwnames, ins);
    } finally {
      this.release(fn);
    }
  }

  kwList(args, kwnames) {
    if (!kwnames) return [];
    const n = this.raw.obj_len(this.h, kwnames);
    const out = [];
    for (let i = 0; i < n; i++) {
      const k = this.raw.tuple_getitem(this.h, kwnames, i);
      out.push(this.text(k));
      this.decref(k);
    }
    return out;
  }

  dispatchCall(fn, args, kwnames, ins) {
    if (fn instanceof BuiltinMethod) {
      try { return fn.fn(args, this.kwList(args, kwnames)); } finally { for (const a of args) this.release(a); }
    }
    const tid = this.typeId(fn);
    if (tid === T.function) return this.callFunction(fn, args, kwnames);
    if (tid === T.method) {
      const func = this.check(this.fx.method_get(this.h, fn, 0));
      const self = this.check(this.fx.method_get(this.h, fn, 1));
      args.unshift(self);
      return this.callObject(func, args, kwnames);
    }
    const b = this.builtinFns.get(fn);
    if (b) {
      try { return b(args, this.kwList(args, kwnames), ins); } finally { for (const a of args) this.release(a); }
    }
    if (tid === T.type) {
      if (this.typeAddr.has(fn)) {
        const ctor = this.typeCtors.get(TYPE_IDS[this.typeAddr.get(fn)]);
        if (!ctor) throw new PyException(this.makeExc('TypeError', `cannot create '${TYPE_IDS[this.typeAddr.get(fn)]}' instances`));
        try { return ctor(args, this.kwList(args, kwnames)); } finally { for (const a of args) this.release(a); }
      }
      return this.callClass(fn, args, kwnames);
    }
    if (tid === T['weakref.ReferenceType']) {
      for (const a of args) this.release(a);
      if (kwnames) throw new PyException(this.makeExc('TypeError', 'weakref() takes no keyword arguments'));
      if (args.length) throw new PyException(this.makeExc('TypeError', `weakref expected 0 arguments, got ${args.length}`));
      return this.check(this.fx.weakref_call(this.h, fn));
    }
    if (tid === T['weakref.CallableProxyType']) return this.callObject(this.unproxy(this.incref(fn)), args, kwnames, ins);
    if (tid === T.staticmethod) return this.callObject(this.incref(this.raw.descr_callable(this.h, fn)), args, kwnames, ins);   // sm_call
    if (tid === USER_TYPE) {
      const m = this.lookupSpecial(fn, '__call__');
      if (m) { args.unshift(this.incref(fn)); return this.callObject(this.incref(m), args, kwnames); }
    }
    for (const a of args) this.release(a);
    throw new PyException(this.makeExc('TypeError', `'${this.typeName(fn)}' object is not callable`));
  }

  callClass(cls, args, kwnames) {
    if (this.fx.vm_is_subtype(cls, this.baseException ??= this.excClasses.get('BaseException')) === 1) {
      const init = this.fx.vm_lookup(this.h, cls, this.str('__init__'));
      // BaseException_new stores the call's arguments as args; a Python __init__ runs after
      const e = this.newException(cls, args.map((a) => this.incref(a)));
      if (init && this.typeId(init) === T.function) {
        let r;
        try { r = this.callObject(this.incref(init), [this.incref(e), ...args], kwnames); } catch (x) { this.decref(e); throw x; }
        this.decref(r);
      } else for (const a of args) this.decref(a);
      return e;
    }
    const inst = this.check(this.fx.instance_new(this.h, cls));
    const init = this.fx.vm_lookup(this.h, cls, this.initName ??= this.str('__init__'));
    if (init && this.typeId(init) === T.function) {
      // slot_tp_init: a new reference to the function for the call (lookup_maybe_method), self first
      let r;
      args.unshift(this.incref(inst));
      this.incref(init);
      try {
        try { r = this.callFunction(init, args, kwnames); } finally { this.decref(init); }
      } catch (e) { this.decref(inst); throw e; }
      if (r !== this.none) {
        const tn = this.typeName(r);
        this.decref(r); this.decref(inst);
        throw new PyException(this.makeExc('TypeError', `__init__() should return None, not '${tn}'`));
      }
    } else if (args.length) {
      for (const a of args) this.decref(a);
      this.decref(inst);
      throw new PyException(this.makeExc('TypeError', `${this.raw.cString(this.fx.vm_type_name(cls))}() takes no arguments`));
    }
    return inst;
  }

  /** A Python function call: the arguments' references move into the new frame's locals. */
  callFunction(fn, args, kwnames) {
    const code = this.funcCode(fn);
    generate(code);
    const f = new Frame(code, this.incref(fn), this.funcField(fn, 0), this.funcField(fn, 1), 0);
    try {
      this.bindArgs(f, code, fn, args, kwnames);
    } catch (e) {
      this.releaseFrame(f);
      throw e;
    }
    return this.execute(f);
  }

  /**
   * initialize_locals (ceval.c): positional arguments, *args, keywords (and
   * **kwargs), then the checks in CPython's order with its messages, which
   * name the function by its __qualname__. The arguments' references move
   * into the frame's locals (or are released on an error).
   */
  bindArgs(f, code, fn, args, kwnames) {
    const L = f.locals;
    if (!kwnames && args.length === code.argcount && code.kwonlyargcount === 0
        && !(code.flags & (CO_VARARGS | CO_VARKEYWORDS))) {
      // exactly the positional parameters: each argument's reference moves into its slot
      for (let i = 0; i < args.length; i++) L[i] = args[i];
      return;
    }
    const nkw = kwnames ? this.fx.obj_len(this.h, kwnames) : 0;
    const npos = args.length - nkw;
    const argc = code.argcount, kwc = code.kwonlyargcount, posonly = code.posonlyargcount;
    const name = code.qualname;
    const typeError = (msg) => new PyException(this.makeExc('TypeError', `${name}() ${msg}`));
    const extra = [];
    for (let i = 0; i < npos; i++) {
      if (i < argc) L[i] = args[i];
      else extra.push(args[i]);
    }
    let slot = argc + kwc;
    if (code.flags & CO_VARARGS) {
      L[slot++] = this.tuple(extra);
      for (const x of extra) this.decref(x);
      extra.length = 0;
    }
    let kwdict = 0;
    if (code.flags & CO_VARKEYWORDS) { kwdict = this.check(this.fx.dict_new(this.h)); L[slot++] = kwdict; }
    const names = this.kwList(args, kwnames);
    let err = null;
    for (let i = 0; i < names.length; i++) {
      const v = args[npos + i];
      if (err) { this.decref(v); continue; }
      const idx = code.varnames.indexOf(names[i]);
      if (idx >= posonly && idx < argc + kwc) {
        if (L[idx]) { this.decref(v); err = typeError(`got multiple values for argument '${names[i]}'`); } else L[idx] = v;
      } else if (kwdict) {
        const rc = this.fx.dict_setitem(this.h, kwdict, this.str(names[i]), v);
        this.decref(v);
        this.checkStatus(rc);
      } else {
        this.decref(v);
        // positional_only_passed_as_keyword, else an unexpected keyword
        const po = code.varnames.slice(0, posonly).filter((p) => names.includes(p));
        err = typeError(po.length ? `got some positional-only arguments passed as keyword arguments: '${po.join(', ')}'`
          : `got an unexpected keyword argument '${names[i]}'`);
      }
    }
    if (!err && extra.length) {   // too_many_positional
      const defs = this.funcField(fn, 5);
      const nd = defs ? this.raw.obj_len(this.h, defs) : 0;
      let kwGiven = 0;
      for (let i = argc; i < argc + kwc; i++) if (L[i]) kwGiven++;
      const sig = nd ? `from ${argc - nd} to ${argc}` : `${argc}`;
      const kwSig = kwGiven ? ` positional argument${npos !== 1 ? 's' : ''} (and ${kwGiven} keyword-only argument${kwGiven !== 1 ? 's' : ''})` : '';
      err = typeError(`takes ${sig} positional argument${nd || argc !== 1 ? 's' : ''} but ${npos}${kwSig} ${npos === 1 && !kwGiven ? 'was' : 'were'} given`);
    }
    for (const x of extra) this.decref(x);
    if (err) throw err;
    // defaults
    const defs = this.funcField(fn, 5);
    const nd = defs ? this.fx.obj_len(this.h, defs) : 0;
    const missing = [];
    for (let i = 0; i < argc; i++) {
      if (L[i]) continue;
      const di = i - (argc - nd);
      if (di >= 0) L[i] = this.check(this.fx.tuple_getitem(this.h, defs, di));
      else missing.push(code.varnames[i]);
    }
    if (missing.length) throw typeError(missingArguments(missing, 'positional'));
    const kwd = this.funcField(fn, 6);
    for (let i = argc; i < argc + kwc; i++) {
      if (L[i]) continue;
      const v = kwd ? this.fx.dict_getitem(this.h, kwd, this.str(code.varnames[i])) : 0;
      if (v) L[i] = v; else missing.push(code.varnames[i]);
    }
    if (missing.length) throw typeError(missingArguments(missing, 'keyword-only'));
  }


  /** __build_class__(func, name, *bases): runs the body in a new namespace, then type(name, bases, ns). */
  buildClassImpl(args) {
    const [func, name, ...bases] = args;
    const code = this.funcCode(func);
    generate(code);
    const ns = this.check(this.raw.dict_new(this.h));
    const f = new Frame(code, this.incref(func), this.funcField(func, 0), this.funcField(func, 1), this.incref(ns));
    const cell = this.execute(f);
    for (const hook of ['__getattr__', '__getattribute__', '__setattr__', '__delattr__']) {
      if (this.raw.dict_contains(this.h, ns, this.str(hook)) === 1) {
        this.decref(cell);
        this.decref(ns);
        throw new PyException(this.makeExc('RuntimeError', `pyheap: classes defining ${hook} are not supported`));
      }
    }
    if (bases.length > 1) throw new PyException(this.makeExc('TypeError', 'multiple bases are not supported by pyheap yet'));
    const cls = this.check(this.raw.class_new(this.h, name, bases[0] ?? 0, ns));
    if (cell !== this.none && this.typeId(cell) === T.cell) this.raw.cell_set(this.h, cell, cls);
    this.decref(cell);
    this.decref(ns);
    return cls;
  }

  // ---- with statements, star calls and unpacking, super() (issue 5)

  /** BEFORE_WITH: takes mgr's reference; pushes the bound __exit__ and __enter__()'s result. */
  beforeWith(mgr, stack) {
    let exit = 0, enter = 0;
    try {
      const en = this.lookupSpecial(mgr, '__enter__');
      if (!en) {
        throw new PyException(this.makeExc('TypeError', `'${this.typeName(mgr)}' object does not support the context manager protocol`));
      }
      const ex = this.lookupSpecial(mgr, '__exit__');
      if (!ex) {
        throw new PyException(this.makeExc('TypeError',
          `'${this.typeName(mgr)}' object does not support the context manager protocol (missed __exit__ method)`));
      }
      // _PyObject_LookupSpecial binds both (bound method objects hold mgr), then mgr is released
      enter = this.bindSpecial(en, mgr);
      exit = this.bindSpecial(ex, mgr);
    } catch (e) {
      this.decref(enter);
      this.decref(mgr);
      throw e;
    }
    this.decref(mgr);
    let res;
    try { res = this.callObject(enter, [], 0); } catch (e) { this.decref(exit); throw e; }
    stack.push(exit, res);
  }

  /** descr.__get__(obj): a bound method for a function found on the type; new reference. */
  bindSpecial(d, o) {
    return this.raw.vm_has_descr_get(d) ? this.check(this.raw.vm_descr_get(this.h, d, o)) : this.incref(d);
  }

  /**
   * WITH_EXCEPT_START: exit(type(exc), exc, tb). The traceback argument is
   * None: tracebacks are not core objects (DESIGN.md, Tracebacks).
   */
  withExceptStart(exit, exc) {
    return this.callObject(this.incref(exit), [this.incref(this.raw.vm_type(exc)), this.incref(exc), this.none], 0);
  }

  /** Every item of an iterable, as owned references (`what` names the failure for non-iterables). */
  iterItems(o, notIterable) {
    let it;
    try {
      it = this.getIter(o);
    } catch (e) {
      if (notIterable && e instanceof PyException && this.excMatches(e.exc, this.excClasses.get('TypeError'))) {
        this.decref(e.exc);
        throw new PyException(this.makeExc('TypeError', notIterable));
      }
      throw e;
    }
    const items = [];
    try {
      for (let x = this.iterNext(it); x; x = this.iterNext(it)) items.push(x);
    } catch (e) {
      for (const x of items) this.decref(x);
      throw e;
    } finally { this.release(it); }
    return items;
  }

  /** A new tuple of a sequence's items (PySequence_Tuple). */
  seqToTuple(o) {
    const items = this.iterItems(o);
    const t = this.tuple(items);
    for (const x of items) this.decref(x);
    return t;
  }

  /** LIST_EXTEND of an iterable other than a list or tuple: takes seq's reference. */
  listExtendIter(l, seq) {
    let items;
    try {
      items = this.iterItems(seq, `Value after * must be an iterable, not ${this.typeName(seq)}`);
    } finally { this.decref(seq); }
    try {
      for (const x of items) this.checkStatus(this.raw.list_append(this.h, l, x));
    } finally { for (const x of items) this.decref(x); }
  }

  /** UNPACK_EX: the items before the starred target, a new list of the middle, the items after. */
  unpackEx(seq, before, after) {
    const items = this.iterItems(seq, `cannot unpack non-iterable ${this.typeName(seq)} object`);
    if (items.length < before + after) {
      for (const x of items) this.decref(x);
      throw new PyException(this.makeExc('ValueError',
        `not enough values to unpack (expected at least ${before + after}, got ${items.length})`));
    }
    const mid = items.slice(before, items.length - after);
    const l = this.list(mid);
    for (const x of mid) this.decref(x);
    return [...items.slice(0, before), l, ...items.slice(items.length - after)];
  }

  /** _PyObject_FunctionStr: "__main__.f()" for error messages about a callable. */
  funcStr(fn) {
    if (typeof fn === 'number' && (this.typeId(fn) === T.function || this.isType(fn))) {
      const get = (n) => {
        let v;
        try { v = this.getAttr(fn, n); } catch (e) { if (!(e instanceof PyException)) throw e; this.decref(e.exc); return ''; }
        const t = this.typeId(v) === T.str ? this.text(v) : '';
        this.decref(v);
        return t;
      };
      const mod = get('__module__'), qual = get('__qualname__');
      return mod && mod !== 'builtins' ? `${mod}.${qual}()` : `${qual}()`;
    }
    const name = typeof fn === 'number' ? this.builtinNames.get(fn) ?? this.typeName(fn) : fn.name;
    return `${name}()`;
  }

  /**
   * DICT_MERGE (a call's **kwargs: repeated names are an error; fn is the
   * callable, for messages) and DICT_UPDATE ({**d}): d takes references to
   * upd's keys and values.
   */
  dictMerge(d, upd, fn) {
    const raw = this.raw, h = this.h;
    if (this.typeId(upd) !== T.dict) {
      throw new PyException(this.makeExc('TypeError', fn
        ? `${this.funcStr(fn)} argument after ** must be a mapping, not ${this.typeName(upd)}`
        : `'${this.typeName(upd)}' object is not a mapping`));
    }
    const keys = this.keysOf(upd);
    try {
      for (const k of keys) {
        if (fn && raw.dict_contains(h, d, k) === 1) {
          const name = this.typeId(k) === T.str ? this.text(k) : this.toRepr(k);
          throw new PyException(this.makeExc('TypeError', `${this.funcStr(fn)} got multiple values for keyword argument '${name}'`));
        }
        const v = raw.dict_getitem(h, upd, k);
        const rc = raw.dict_setitem(h, d, k, v);
        this.decref(v);
        this.checkStatus(rc);
      }
    } finally { for (const k of keys) this.decref(k); }
  }

  /**
   * CALL_FUNCTION_EX: fn(*callargs, **kwargs). Consumes the references to
   * fn, callargs and kwargs. A non-tuple callargs becomes a new tuple
   * first. A Python function gets its arguments before the tuple and dict
   * are released (_PyEvalFramePushAndInit_Ex); any other callable runs with
   * them alive (PyObject_Call).
   */
  callEx(fn, callargs, kwargs, ins) {
    const raw = this.raw, h = this.h;
    let kwnames = 0;
    const args = [];
    const drop = () => { this.decref(callargs); this.decref(kwargs); callargs = kwargs = 0; };
    try {
      if (this.typeId(callargs) !== T.tuple) {
        const items = this.iterItems(callargs,
          `${this.funcStr(fn)} argument after * must be an iterable, not ${this.typeName(callargs)}`);
        this.decref(callargs);
        callargs = this.tuple(items);
        for (const x of items) this.decref(x);
      }
      const n = raw.obj_len(h, callargs);
      for (let i = 0; i < n; i++) args.push(raw.tuple_getitem(h, callargs, i));
      if (kwargs) {
        const keys = this.keysOf(kwargs);
        try {
          for (const k of keys) {
            if (this.typeId(k) !== T.str) throw new PyException(this.makeExc('TypeError', `${this.funcStr(fn)} keywords must be strings`));
          }
          for (const k of keys) args.push(raw.dict_getitem(h, kwargs, k));
          if (keys.length) kwnames = this.tuple(keys);
        } finally { for (const k of keys) this.decref(k); }
      }
    } catch (e) {
      for (const a of args) this.decref(a);
      drop();
      this.release(fn);
      throw e;
    }
    if (typeof fn === 'number' && this.typeId(fn) === T.function) drop();
    try {
      return this.callObject(fn, args, kwnames, ins);
    } finally {
      this.decref(kwnames);
      drop();
    }
  }

  /**
   * LOAD_SUPER_ATTR (the specialised forms of 3.12: no super object is
   * made): takes self's reference. With the method bit a function found on
   * the type is pushed unbound with self, as LOAD_ATTR's method form.
   */
  loadSuperAttr(stack, sup, cls, self, name, arg) {
    if (sup !== this.superFn || !this.isType(cls)) {
      this.decref(self);
      throw new PyException(this.makeExc('RuntimeError', 'pyheap: super() rebound to another object is not supported'));
    }
    let r;
    try { r = this.superLookup(cls, self, name, arg & 1); } catch (e) { this.decref(self); throw e; }
    if (arg & 1) {
      if (r.method) { stack.push(r.value, self); return; }
      stack.push(0);
    }
    this.decref(self);
    stack.push(r.value);
  }

  /** _PySuper_Lookup: name on the type after cls in the MRO of self's type (or of self, a class). */
  superLookup(cls, self, name, wantMethod) {
    const raw = this.raw, h = this.h;
    const selfIsType = this.isType(self) && raw.vm_is_subtype(self, cls) === 1;
    const start = selfIsType ? self : raw.vm_type(self);
    if (raw.vm_is_subtype(start, cls) !== 1) {
      throw new PyException(this.makeExc('TypeError', 'super(type, obj): obj must be an instance or subtype of type'));
    }
    const mro = this.check(raw.class_mro(h, start));
    let next = 0;
    const n = raw.obj_len(h, mro);
    for (let i = 0; i < n - 1; i++) {
      const t = raw.tuple_getitem(h, mro, i);
      this.decref(t);
      if (t === cls) { next = raw.tuple_getitem(h, mro, i + 1); this.decref(next); break; }
    }
    this.decref(mro);
    // single inheritance: the rest of the MRO is next's own MRO
    const d = next ? raw.vm_lookup(h, next, this.str(name)) : 0;
    if (d) {
      const dt = this.typeId(d);
      if (dt === T.function && (wantMethod || selfIsType)) return { value: this.incref(d), method: !selfIsType };
      // super_getattro: descr.__get__(obj or NULL when obj is the start type, starttype)
      if (dt === T.property || dt === T.classmethod || dt === T.staticmethod) {
        return { value: this.descrBind(d, selfIsType ? 0 : self, start), method: false };
      }
      return { value: this.bindSpecial(d, self), method: false };
    }
    const b = next ? this.superBuiltin(self, name) : null;
    if (b) return wantMethod ? { value: b, method: true } : { value: this.bindBuiltin(b, self), method: false };
    throw new PyException(this.makeExc('AttributeError', `'super' object has no attribute '${name}'`));
  }

  /** The methods of object and BaseException that super() reaches (they are not in the core's type dicts). */
  superBuiltin(self, name) {
    const raw = this.raw, h = this.h;
    const isExc = this.isExcInstance(self);
    const M = (fn) => new BuiltinMethod(name, fn);
    switch (name) {
      case '__init__': return M((args) => {
        if (isExc) {   // BaseException.__init__: args = the arguments
          const t = this.tuple(args.slice(1));
          try { this.excSet(args[0], EXC_FIELDS.args, t); } finally { this.decref(t); }
        } else if (args.length > 1) {
          throw new PyException(this.makeExc('TypeError', 'object.__init__() takes exactly one argument (the instance to initialize)'));
        }
        return this.none;
      });
      case '__str__': return M((args) => this.newStr(isExc ? this.excStr(args[0]) : this.toRepr(args[0])));
      case '__repr__': return M((args) => (isExc ? this.newStr(this.toRepr(args[0])) : this.check(raw.vm_repr(h, args[0]))));
      case '__setattr__': return M((args) => { this.checkStatus(raw.vm_setattr(h, args[0], args[1], args[2])); return this.none; });
      case '__delattr__': return M((args) => { this.checkStatus(raw.vm_setattr(h, args[0], args[1], 0)); return this.none; });
      case '__getattribute__': return M((args) => this.check(raw.vm_getattr(h, args[0], args[1])));
      default: return null;
    }
  }

  importModule(name) {
    const m = this.modules.get(name) ?? this.moduleLoaders?.get(name)?.();
    if (!m) throw new PyException(this.makeExc('ModuleNotFoundError', `No module named '${name}'`));
    return this.incref(m);
  }

  /** ascii(): repr with non-ASCII characters escaped (when `ascii`), else the repr unchanged. */
  asciiRepr(r, ascii) {
    if (!ascii) return r;
    return r.replace(/[^\x00-\x7f]/gu, (ch) => {
      const cp = ch.codePointAt(0);
      return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    });
  }

  // ---- host hooks (decision 5)

  /** pyheap.finalize: __del__ of an instance, or close() of a suspended generator. */
  hostFinalize(o) {
    this.inHost(o, () => {
      if (this.typeId(o) === T.generator) { this.genClose(o); return; }
      const d = this.lookupSpecial(o, '__del__');
      if (d) this.decref(this.callObject(this.incref(d), [this.incref(o)], 0));
    });
  }

  /** pyheap.call: a weakref callback / gc callback, result discarded. */
  hostCall(callable, args) {
    this.inHost(callable, () => {
      const n = this.raw.obj_len(this.h, args);
      const items = [];
      for (let i = 0; i < n; i++) items.push(this.raw.tuple_getitem(this.h, args, i));
      this.decref(this.callObject(this.incref(callable), items, 0));
    });
  }

  /**
   * pyheap.slot: Python code whose result the core needs inside a container
   * operation (dict/set keys, `in`, index/count/remove, container ==): a
   * class's own __hash__ (kind 0) or __eq__ (kind 2), or the truth of an
   * instance (kind 1, __bool__ / __len__). Returns a new reference. An
   * exception cannot be thrown through the core's frames: it is kept here
   * and 0 returned; the core's operation fails with HostError and
   * coreError() hands the kept exception on, unchanged.
   */
  hostSlot(kind, a, b) {
    this.hostDepth = (this.hostDepth ?? 0) + 1;
    try {
      if (kind === 1) return this.incref(this.bool(this.truth(a)));
      const m = this.lookupSpecial(a, kind === 0 ? '__hash__' : '__eq__');
      if (!m) {
        if (kind === 0) throw new PyException(this.makeExc('TypeError', `unhashable type: '${this.typeName(a)}'`));
        return this.incref(this.raw.obj_singleton(this.h, 3));   // NotImplemented
      }
      const args = kind === 0 ? [this.incref(a)] : [this.incref(a), this.incref(b)];
      return this.callObject(this.incref(m), args, 0);
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      if (this.hostExc) { this.excTb.delete(this.hostExc); this.decref(this.hostExc); }   // never picked up
      this.hostExc = e.exc;
      return 0;
    } finally {
      this.hostDepth--;
    }
  }

  /** Python code called by the core: its exceptions are "ignored" (printed), never thrown into the core. */
  inHost(obj, fn) {
    this.hostDepth = (this.hostDepth ?? 0) + 1;
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      this.writeUnraisable(e.exc, obj);
    } finally {
      this.hostDepth--;
    }
  }

  /** PyErr_WriteUnraisable: "Exception ignored in: ..." and the traceback. */
  writeUnraisable(exc, obj) {
    let what;
    if (this.typeId(obj) === T.function) what = `<function ${this.text(this.funcField(obj, 3))} at 0x${obj.toString(16).padStart(12, '0')}>`;
    else {
      const d = this.typeId(obj) === USER_TYPE ? this.lookupSpecial(obj, '__del__') : 0;
      what = d ? `<function ${this.text(this.funcField(d, 4))} at 0x${d.toString(16).padStart(12, '0')}>` : this.toRepr(obj);
    }
    this.err(`Exception ignored in: ${what}\n${this.formatException(exc)}`);
    this.excTb.delete(exc);
    this.decref(exc);
  }

  // ---- tracebacks (3.12 traceback.c / traceback.py format)

  formatException(exc, seen = new Set()) {
    const tb = this.excTb.get(exc) ?? [];
    let out = '';
    // print_exception_recursive: the cause, else the context (unless suppressed), first
    seen.add(exc);
    const cause = this.excGet(exc, EXC_FIELDS.__cause__), ctx = this.excGet(exc, EXC_FIELDS.__context__);
    const sup = this.excGet(exc, EXC_FIELDS.__suppress_context__);
    this.decref(cause); this.decref(ctx); this.decref(sup);
    if (cause !== this.none && !seen.has(cause)) {
      out += `${this.formatException(cause, seen)}\nThe above exception was the direct cause of the following exception:\n\n`;
    } else if (ctx !== this.none && sup !== this.true_ && !seen.has(ctx)) {
      out += `${this.formatException(ctx, seen)}\nDuring handling of the above exception, another exception occurred:\n\n`;
    }
    if (tb.length) {
      out += 'Traceback (most recent call last):\n';
      // traceback.c: a line repeated more than 3 times in a row is summarised
      let last = null, repeat = 0;
      const flush = () => {
        if (repeat > 3) out += `  [Previous line repeated ${repeat - 3} more time${repeat - 3 === 1 ? '' : 's'}]\n`;
      };
      for (let i = tb.length - 1; i >= 0; i--) {
        const key = `${tb[i].ins.line}:${tb[i].code.name}`;
        if (key === last) repeat++;
        else { flush(); last = key; repeat = 1; }
        if (repeat <= 3) out += this.formatEntry(tb[i]);
      }
      flush();
    }
    const name = this.typeName(exc);
    const qual = this.excModulePrefix(exc) + name;
    const msg = this.excStr(exc);
    out += msg ? `${qual}: ${msg}\n` : `${qual}\n`;
    return out + this.formatNotes(exc);
  }

  /** print_exception_notes: each of __notes__ on its own line(s) after the message. */
  formatNotes(exc) {
    let notes;
    try { notes = this.attrOrNone(exc, '__notes__'); } catch (e) { if (e instanceof PyException) { this.decref(e.exc); return ''; } throw e; }
    if (!notes) return '';
    try {
      const tid = this.typeId(notes);
      if (tid !== T.list && tid !== T.tuple) return `${this.toRepr(notes)}\n`;
      let out = '';
      const n = this.raw.obj_len(this.h, notes);
      for (let i = 0; i < n; i++) {
        const note = tid === T.list ? this.raw.list_getitem(this.h, notes, i) : this.raw.tuple_getitem(this.h, notes, i);
        try { out += `${this.toStr(note)}\n`; } catch (e) {
          if (!(e instanceof PyException)) throw e;
          this.decref(e.exc);
          out += '<note str() failed>\n';
        } finally { this.decref(note); }
      }
      return out;
    } finally { this.decref(notes); }
  }

  /** getattr(o, name) as a new reference, or 0 when o has no such attribute. */
  attrOrNone(o, name) {
    try { return this.getAttr(o, name); } catch (e) {
      if (e instanceof PyException && this.excMatches(e.exc, this.excClasses.get('AttributeError'))) { this.decref(e.exc); return 0; }
      throw e;
    }
  }

  /** setattr(o, name, v) as STORE_ATTR does it (an exception's fields and dict too). */
  setAttr(o, name, v) {
    let rc = this.raw.vm_setattr(this.h, o, this.str(name), v);
    if (rc < 0 && this.isExcInstance(o)) { rc = this.excSetAttr(o, name, v); }
    this.checkStatus(rc);
  }

  excModulePrefix(exc) {
    const m = this.raw.vm_getattr(this.h, this.raw.vm_type(exc), this.str('__module__'));
    if (!m) { return ''; }
    const s = this.typeId(m) === T.str ? this.text(m) : '';
    this.decref(m);
    return s === 'builtins' || s === '__main__' || !s ? '' : `${s}.`;
  }

  formatEntry({ code, ins }) {
    const line = ins.line;
    const name = code.kind === 'module' ? '<module>' : code.name;
    let out = `  File "${code.filename ?? this.filename}", line ${line}, in ${name}\n`;
    const src = (code.sourceLines ?? this.sourceLines)[line - 1];
    if (src === undefined) return out;
    const stripped = src.trim();
    if (!stripped) return out;
    out += `    ${stripped}\n`;
    const n = ins.node;
    if (n && n.lineno === line && n.end_lineno === line) {
      const indent = src.length - src.trimStart().length;
      const start = n.col_offset - indent, end = n.end_col_offset - indent;
      const anchors = caretAnchors(n, src);
      if (start >= 0 && end > start && (!(start === 0 && end >= stripped.length) || anchors)) {
        let marks = '';
        for (let c = n.col_offset; c < n.end_col_offset; c++) {
          marks += anchors && (c < anchors[0] || c >= anchors[1]) ? '~' : '^';
        }
        out += `    ${' '.repeat(start)}${marks}\n`;
      }
    }
    return out;
  }

  // ---- tool hooks (web/interp/modules: tracemalloc's frame mirror, memory_profiler's lines)

  /**
   * Runs a library module written in Python (`source`, shown as `filename`
   * in tracebacks and co_filename) in a fresh globals dict holding `names`
   * (borrowed addresses); returns that dict (a new reference).
   */
  runLibraryModule(source, filename, modname, names = {}) {
    const { code } = compile(source);
    const lines = source.split('\n');
    (this.librarySources ??= new Map()).set(filename, lines);
    // library code reports no line events: the stepper and the line
    // listeners see the program's lines only (as a debugger that skips the library)
    const mark = (c) => {
      c.filename = filename;
      c.library = true;
      c.sourceLines = lines;
      for (const k of c.consts) if (k.t === 'code') mark(k.v);
    };
    mark(code);
    this.codeObject(code);
    const g = this.check(this.raw.dict_new(this.h));
    this.raw.dict_setitem(this.h, g, this.str('__name__'), this.str(modname));
    this.raw.dict_setitem(this.h, g, this.str('__file__'), this.str(filename));
    this.raw.dict_setitem(this.h, g, this.str('__builtins__'), this.builtinsDict);
    for (const [k, v] of Object.entries(names)) this.raw.dict_setitem(this.h, g, this.str(k), v);
    const f = new Frame(code, 0, g, this.builtinsDict, this.incref(g));
    this.decref(this.execute(f));
    return g;
  }

  /** The source line `lineno` of a file the VM runs ('' if unknown): linecache.getline. */
  sourceLine(filename, lineno) {
    const lines = filename === this.filename ? this.sourceLines : this.librarySources?.get(filename);
    return lines?.[lineno - 1] ?? '';
  }

  /** Adds a line-event listener (frame, line) => void; returns its remover. */
  addLineListener(fn) {
    if (!this.lineListeners) {   // the first listener: the hook given at construction stays first
      this.baseLineHook = this.lineHook ?? null;
      this.lineListeners = [];
    }
    this.lineListeners.push(fn);
    this.setLineHook();
    return () => {
      const i = this.lineListeners.indexOf(fn);
      if (i >= 0) this.lineListeners.splice(i, 1);
      this.setLineHook();
    };
  }

  setLineHook() {
    const hooks = [this.baseLineHook, ...this.lineListeners].filter(Boolean);
    this.lineHook = hooks.length === 0 ? null : hooks.length === 1 ? hooks[0] : (f, line) => { for (const k of hooks) k(f, line); };
    // a frame running now reports its next line even if it equals the last one seen with no hook
    for (const f of this.frames) f.lastLine = f.instrs[f.lasti]?.line;
  }

  /**
   * Adds a frame-event listener (frame, 'call' | 'return') => void, told when
   * a frame starts or resumes and when it returns, yields or unwinds (the
   * events of sys.settrace); returns its remover.
   */
  addFrameListener(fn) {
    (this.frameListeners ??= []).push(fn);
    this.frameEvents = true;
    return () => {
      this.frameListeners.splice(this.frameListeners.indexOf(fn), 1);
      this.frameEvents = !!this.mirrorFrames || this.frameListeners.length > 0;
    };
  }

  /** A frame starts / ends (execute): the tracemalloc mirror and the frame listeners. */
  frameEvent(f, ev) {
    if (ev === 'call' && this.mirrorFrames && !f.gframe) this.pushMirror(f);
    // a generator function's first run only makes the generator: no trace events (RESUME comes after)
    if (this.frameListeners && (f.started || !(f.code.flags & CO_GENERATOR))) for (const k of this.frameListeners) k(f, ev);
    if (ev === 'return' && f.cframe) this.popMirror(f);
  }

  /** tracemalloc's frame mirror on (every running frame mirrored now) or off (mirrors pop as their frames exit). */
  setFrameMirror(on) {
    if (on === !!this.mirrorFrames) return;
    this.mirrorFrames = on;
    this.frameEvents = on || !!this.frameListeners?.length;
    if (on) {
      // a running generator's core frame is linked already: only the frames it
      // called can go on top of it (those below it stay unmirrored)
      let first = 0;
      this.frames.forEach((f, i) => { if (f.gframe) first = i + 1; });
      for (const f of this.frames.slice(first)) if (!f.cframe) this.pushMirror(f);
      this.removeMirrorLines = this.addLineListener((f, line) => {
        const cf = f.cframe || f.gframe;
        if (cf) this.raw.frame_set_lineno(this.h, cf, line);
      });
    } else {
      this.removeMirrorLines();
    }
  }

  pushMirror(f) {
    const line = f.instrs[f.lasti]?.line ?? f.code.firstlineno;
    f.cframe = this.check(this.raw.frame_push_mirror(this.h, this.codeObject(f.code), f.globals, f.builtins, line));
  }

  popMirror(f) {
    const cf = f.cframe;
    f.cframe = 0;
    this.checkStatus(this.raw.frame_pop_mirror(this.h, cf));
  }

  /**
   * Interpreter shutdown, as 3.12's Py_FinalizeEx / finalize_modules run it
   * for `python3.12 FILE.py`: atexit callbacks, then __main__ leaves
   * sys.modules. Nothing else holds the module, so it dies and drops its
   * dict (this.globals stands for that reference). With no function or
   * class defined, that was the dict's last reference: it is freed on the
   * spot and drops its values in entry order. Otherwise the dict lives on
   * through `f.__globals__` in a cycle the final collection
   * (_PyGC_CollectNoFail) finds as a whole: finalizers then run in the
   * collector's order (allocation order), not in the order of the names.
   * finalize_modules_clear_weaklist clears only modules still alive after
   * that collection, which __main__ is not.
   */
  shutdown() {
    const raw = this.raw, h = this.h;
    // atexit callbacks (weakref.finalize's _exitfunc) run first, newest first
    for (const fn of (this.atexit ?? []).reverse()) fn();
    // Py_FinalizeEx collects once while everything is still alive (only
    // when the collector is enabled): nothing of __main__ is garbage yet,
    // but the walk leaves the young list in the order move_unreachable
    // revived it, breadth first from the roots (the globals dict, then what
    // its values reach) — the order the next collection finalizes in.
    if (raw.gc_isenabled(h) === 1) raw.gc_collect(h, 2);
    const g = this.globals;
    this.globals = 0;
    if (g) this.decref(g);
    raw.gc_collect(h, 2);
    if (this.gcFlush) this.gcFlush();
  }
}

/** missing_arguments (ceval.c): "missing 2 required positional arguments: 'a' and 'b'". */
function missingArguments(names, kind) {
  const q = names.map((m) => `'${m}'`);
  const list = q.length === 1 ? q[0] : q.length === 2 ? `${q[0]} and ${q[1]}` : `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
  return `missing ${names.length} required ${kind} argument${names.length === 1 ? '' : 's'}: ${list}`;
}

/**
 * traceback.c's extract_anchors_from_line (3.12): for a binary operation
 * the operator gets ^ and the operands ~; for a subscript the [...] part.
 * Returns absolute [left, right) columns, or null.
 */
function caretAnchors(n, src) {
  if (n.kind === 'BinOp') {
    let left = n.left.end_col_offset;
    const opEnd = n.right.col_offset;
    // skip spaces and closing parentheses up to the operator
    while (left < opEnd && (/\s/.test(src[left]) || src[left] === ')' || src[left] === '#')) left++;
    let right = left + 1;
    if (right < opEnd && !/\s/.test(src[right]) && src[right] !== '(') right++;
    return [left, right];
  }
  if (n.kind === 'Subscript') {
    let left = n.value.end_col_offset;
    while (left < src.length && src[left] !== '[') left++;
    let right = n.slice.end_col_offset;
    while (right < src.length && src[right] !== ']') right++;
    if (right < src.length) right++;
    return [left, right];
  }
  return null;
}

// Inline cache entries per instruction (3.12 _PyOpcode_Caches), for co_code's size.
const CACHES = {
  BINARY_SUBSCR: 1, STORE_SUBSCR: 1, UNPACK_SEQUENCE: 1, FOR_ITER: 1, STORE_ATTR: 4, LOAD_ATTR: 9,
  COMPARE_OP: 1, LOAD_GLOBAL: 4, BINARY_OP: 1, SEND: 1, LOAD_SUPER_ATTR: 1, CALL: 3, POP_JUMP_IF_FALSE: 0,
  JUMP_BACKWARD: 0, TO_BOOL: 0,
};
