// builtins.js — the builtins module and the importable modules (sys;
// gc, weakref, tracemalloc, memory_profiler and objgraph live in modules/) for vm.js, implemented against the core.
//
// Builtin functions take their arguments as the VM's CALL leaves them
// (vectorcall: an array of borrowed addresses, no argument tuple) and
// return a new reference. Each is a core object (an instance of a
// `builtin_function_or_method` class made at start-up) so it can sit in the
// builtins dict and in module namespaces; modules are instances of a
// `module` class whose attributes live in the instance dict.

import { TYPE_IDS, EXC_KINDS } from '../lib/raw.js';
import { PyException, BuiltinMethod, USER_TYPE, isCoreIterType } from './vm.js';
import { loadTracemalloc } from './modules/tracemalloc.js';
import { loadMemoryProfiler } from './modules/memory_profiler.js';
import { loadObjgraph } from './modules/objgraph.js';
import { loadGc } from './modules/gc.js';
import { loadWeakref } from './modules/weakref.js';
import { formatters } from './modules/format.js';
import { installSysIO } from './modules/sysio.js';
import { strMethods } from './modules/strmethods.js';

// pmw_func_get's field numbers
const FUNC_FIELDS = {
  __code__: 0, __globals__: 1, __builtins__: 2, __name__: 3, __qualname__: 4, __defaults__: 5,
  __kwdefaults__: 6, __closure__: 7, __doc__: 8, __dict__: 9, __module__: 10, __annotations__: 11,
};
const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));
const KEY_ERROR = EXC_KINDS.indexOf('KeyError');

// The exception hierarchy of 3.12 (the part the subset raises or names).
const EXCEPTIONS = [
  ['BaseException', null], ['SystemExit', 'BaseException'], ['KeyboardInterrupt', 'BaseException'],
  ['GeneratorExit', 'BaseException'], ['Exception', 'BaseException'],
  ['StopIteration', 'Exception'], ['ArithmeticError', 'Exception'], ['OverflowError', 'ArithmeticError'],
  ['ZeroDivisionError', 'ArithmeticError'], ['AssertionError', 'Exception'], ['AttributeError', 'Exception'],
  ['ImportError', 'Exception'], ['ModuleNotFoundError', 'ImportError'], ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'], ['KeyError', 'LookupError'], ['MemoryError', 'Exception'],
  ['NameError', 'Exception'], ['UnboundLocalError', 'NameError'], ['ReferenceError', 'Exception'],
  ['RuntimeError', 'Exception'], ['NotImplementedError', 'RuntimeError'], ['RecursionError', 'RuntimeError'],
  ['SystemError', 'Exception'], ['TypeError', 'Exception'], ['ValueError', 'Exception'],
  ['UnicodeError', 'ValueError'], ['UnicodeDecodeError', 'UnicodeError'], ['UnicodeEncodeError', 'UnicodeError'],
];

export function installBuiltins(vm) {
  const raw = vm.raw, h = vm.h;
  const err = (name, msg) => new PyException(vm.makeExc(name, msg));
  const intVal = (o) => raw.vm_int_value(h, o);
  const isInt = (o) => vm.typeId(o) === T.int || vm.typeId(o) === T.bool;

  const newClass = (name, base, module, slots = null) => {
    const ns = vm.check(raw.dict_new(h));
    raw.dict_setitem(h, ns, vm.str('__module__'), vm.str(module));
    raw.dict_setitem(h, ns, vm.str('__qualname__'), vm.str(name));
    if (slots) {
      const t = vm.tuple(slots.map((x) => vm.str(x)));
      raw.dict_setitem(h, ns, vm.str('__slots__'), t);
      vm.decref(t);
    }
    const cls = vm.check(raw.class_new(h, vm.str(name), base, ns));
    vm.decref(ns);
    return cls;
  };

  vm.builtinsDict = vm.check(raw.dict_new(h));
  vm.globals = vm.check(raw.dict_new(h));
  raw.dict_setitem(h, vm.globals, vm.str('__name__'), vm.str('__main__'));
  raw.dict_setitem(h, vm.globals, vm.str('__doc__'), vm.none);
  raw.dict_setitem(h, vm.globals, vm.str('__builtins__'), vm.builtinsDict);
  // what a rich comparison returns to let the other operand try (the core's singleton)
  raw.dict_setitem(h, vm.builtinsDict, vm.str('NotImplemented'), raw.obj_singleton(h, 3));

  // exceptions
  // the core's built-in exception types (core/src/excobject.c); calling one is BaseException_new
  vm.excClasses = new Map();
  vm.typeCtors = new Map();
  for (const [name] of EXCEPTIONS) {
    const cls = vm.typeOf[T[name]];
    vm.excClasses.set(name, cls);
    raw.dict_setitem(h, vm.builtinsDict, vm.str(name), cls);
    vm.typeCtors.set(name, (args, kw) => {
      if (kw.length) throw err('TypeError', `${name}() takes no keyword arguments`);
      return vm.newException(cls, args.map((a) => vm.incref(a)));
    });
  }

  // Sized as 3.12's objects (sys.getsizeof 72 each): a PyCFunctionObject's five
  // pointers after the header (m_ml, m_self, m_module, m_weakreflist,
  // vectorcall) are five slots; a PyModuleObject's md_dict is the managed dict
  // (its pre-header word pair) and md_def, md_state, md_name three slots.
  const fnClass = newClass('builtin_function_or_method', 0, 'builtins', ['m_ml', 'm_self', 'm_module', 'm_weakreflist', 'vectorcall']);
  const modClass = newClass('module', 0, 'builtins', ['__dict__', 'md_def', 'md_state', 'md_name']);
  vm.builtinFns = new Map();
  vm.builtinNames = new Map();   // builtin function object -> its name (for error messages and repr)
  vm.boundSelf = new Map();      // builtin function object -> the object it is bound to (m_self), if any
  vm.descrOf = new Map();        // method descriptor -> its type's name
  vm.objclassOf = new Map();     // method descriptor -> its type (__objclass__)
  // str.lower & co. taken from the type: PyMethodDescrObject (d_common, d_method, vectorcall: 72 bytes)
  const mdClass = newClass('method_descriptor', 0, 'builtins', ['d_type', 'd_name', 'd_qualname', 'd_method', 'vectorcall']);
  const makeFn = (fn, cls = fnClass) => {
    const o = vm.check(raw.instance_new(h, cls));
    vm.builtinFns.set(o, fn);
    vm.builtinNames.delete(o);   // the address of a freed function may come back
    vm.boundSelf.delete(o);
    vm.descrOf.delete(o);
    vm.objclassOf.delete(o);
    return o;
  };
  const def = (dict, name, fn) => {
    const o = makeFn(fn);
    vm.builtinNames.set(o, name);
    raw.dict_setitem(h, dict, vm.str(name), o);
    vm.decref(o);
  };
  const B = (name, fn) => def(vm.builtinsDict, name, fn);
  const nargs = (name, args, lo, hi = lo) => {
    if (args.length < lo || args.length > hi) {
      if (lo === hi) throw err('TypeError', `${name}() takes exactly ${lo === 1 ? 'one argument' : `${lo} arguments`} (${args.length} given)`);
      throw err('TypeError', `${name} expected at most ${hi} arguments, got ${args.length}`);
    }
  };
  const kwArg = (args, kw, name) => {
    const i = kw.indexOf(name);
    return i < 0 ? 0 : args[args.length - kw.length + i];
  };
  const posArgs = (args, kw) => args.slice(0, args.length - kw.length);
  const noKw = (name, kw) => { if (kw.length) throw err('TypeError', `${name}() takes no keyword arguments`); };
  /** An int or bool as a BigInt (exact at any size). */
  const bigOf = (o) => (vm.typeId(o) === T.bool ? (o === vm.true_ ? 1n : 0n) : BigInt(vm.toRepr(o)));

  // ---- builtin functions

  B('print', (args, kw) => vm.print(args, kw));   // modules/sysio.js
  B('len', (args) => {
    nargs('len', args, 1);
    const o = args[0];
    if (vm.typeId(o) === USER_TYPE) {
      const m = vm.lookupSpecial(o, '__len__');
      if (m) return vm.callObject(vm.incref(m), [vm.incref(o)], 0);
    }
    const n = raw.vm_len(h, o);
    if (n < 0) throw new PyException(vm.coreError());
    return vm.newInt(n);
  });
  vm.fmt = formatters(vm);
  B('format', (args, kw) => {
    noKw('format', kw);
    nargs('format', args, 1, 2);
    const spec = args.length > 1 ? args[1] : 0;
    if (spec && vm.typeId(spec) !== T.str) throw err('TypeError', `format() argument 2 must be str, not ${vm.typeName(spec)}`);
    return vm.newStr(vm.fmt.format(args[0], spec ? vm.text(spec) : ''));
  });
  // pow (builtin_pow_impl): three ints is long_pow's modular form (a negative exponent inverts)
  B('pow', (args, kw) => {
    const pos = posArgs(args, kw);
    const get = (i, name) => (i < pos.length ? pos[i] : kwArg(args, kw, name) || undefined);
    const base = get(0, 'base'), exp = get(1, 'exp'), mod = get(2, 'mod');
    if (base === undefined || exp === undefined) throw err('TypeError', `pow() missing required argument '${base === undefined ? 'base' : 'exp'}' (pos ${base === undefined ? 1 : 2})`);
    if (mod === undefined || mod === vm.none) return vm.binaryOp(8, base, exp);
    if (!isInt(base) || !isInt(exp) || !isInt(mod)) throw err('TypeError', 'pow() 3rd argument not allowed unless all arguments are integers');
    let b = bigOf(base), e = bigOf(exp);
    const m = bigOf(mod);
    if (m === 0n) throw err('ValueError', 'pow() 3rd argument cannot be 0');
    const am = m < 0n ? -m : m;
    const norm = (x) => ((x % am) + am) % am;
    b = norm(b);
    if (e < 0n) {   // the inverse of b modulo |m|
      let [r0, r1, s0, s1] = [b, am, 1n, 0n];
      while (r1) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
      if (r0 !== 1n) throw err('ValueError', 'base is not invertible for the given modulus');
      b = norm(s0);
      e = -e;
    }
    let r = 1n % am;
    for (; e > 0n; e >>= 1n, b = (b * b) % am) if (e & 1n) r = (r * b) % am;
    if (m < 0n && r) r -= am;
    return vm.constValue({ t: 'int', v: r });
  });
  // hex / oct / bin (PyNumber_ToBase)
  for (const [name, base, prefix] of [['hex', 16, '0x'], ['oct', 8, '0o'], ['bin', 2, '0b']]) {
    B(name, (args, kw) => {
      noKw(name, kw);
      nargs(name, args, 1);
      if (!isInt(args[0])) throw err('TypeError', `'${vm.typeName(args[0])}' object cannot be interpreted as an integer`);
      const v = bigOf(args[0]);
      return vm.newStr((v < 0n ? '-' : '') + prefix + (v < 0n ? -v : v).toString(base));
    });
  }
  // vars(o): o.__dict__ (vars() without an argument is locals(), not modelled)
  B('vars', (args, kw) => {
    noKw('vars', kw);
    if (!args.length) throw err('TypeError', 'pyheap: vars() without an argument (locals()) is not supported');
    nargs('vars', args, 1);
    const d = vm.attrOrNone(args[0], '__dict__');
    if (!d) throw err('TypeError', 'vars() argument must have __dict__ attribute');
    return d;
  });
  B('id', (args) => { nargs('id', args, 1); return vm.newInt(args[0]); });
  // builtins outside the subset: a clear error at the call instead of a NameError
  for (const name of ['dir', 'locals', 'complex', 'bytearray', 'memoryview', 'slice']) {
    B(name, () => { throw err('TypeError', `pyheap: ${name}() is not supported`); });
  }
  raw.dict_setitem(h, vm.builtinsDict, vm.str('NotImplemented'), raw.obj_singleton(h, 3));
  raw.dict_setitem(h, vm.builtinsDict, vm.str('Ellipsis'), raw.obj_singleton(h, 4));
  B('ascii', (args) => { nargs('ascii', args, 1); return vm.newStr(vm.asciiRepr(vm.toRepr(args[0]), true)); });
  B('repr', (args) => { nargs('repr', args, 1); return vm.newStr(vm.toRepr(args[0])); });
  B('isinstance', (args) => {
    nargs('isinstance', args, 2);
    const t = raw.vm_type(args[0]);
    const check = (c) => raw.vm_is_subtype(t, c) === 1;
    if (vm.typeId(args[1]) === T.tuple) {
      const n = raw.obj_len(h, args[1]);
      for (let i = 0; i < n; i++) {
        const c = raw.tuple_getitem(h, args[1], i);
        vm.decref(c);
        if (check(c)) return vm.true_;
      }
      return vm.false_;
    }
    return vm.bool(check(args[1]));
  });
  B('issubclass', (args) => { nargs('issubclass', args, 2); return vm.bool(raw.vm_is_subtype(args[0], args[1]) === 1); });
  // getattr / hasattr through the VM's attribute lookup (built-in methods, exception fields)
  const attrOrNull = (o, nameObj) => {
    const r = raw.vm_getattr(h, o, nameObj);
    if (r) return r;
    if (vm.typeId(nameObj) !== T.str) throw new PyException(vm.coreError());
    try {
      return vm.getAttr(o, vm.text(nameObj));
    } catch (e) {
      if (e instanceof PyException && vm.excMatches(e.exc, vm.excClasses.get('AttributeError'))) { vm.decref(e.exc); return 0; }
      throw e;
    }
  };
  B('hasattr', (args) => {
    const r = attrOrNull(args[0], args[1]);
    if (r) { vm.decref(r); return vm.true_; }
    return vm.false_;
  });
  B('getattr', (args) => {
    const r = attrOrNull(args[0], args[1]);
    if (r) return r;
    if (args.length > 2) return vm.incref(args[2]);
    return vm.getAttr(args[0], vm.text(args[1]));   // raises the AttributeError
  });
  B('setattr', (args) => { vm.checkStatus(raw.vm_setattr(h, args[0], args[1], args[2])); return vm.none; });
  B('delattr', (args) => { vm.checkStatus(raw.vm_setattr(h, args[0], args[1], 0)); return vm.none; });
  B('callable', (args) => {
    const t = vm.typeId(args[0]);
    return vm.bool(t === T.function || t === T.method || t === T.type || t === T.staticmethod || vm.builtinFns.has(args[0])
      || (t === USER_TYPE && !!vm.lookupSpecial(args[0], '__call__')));
  });
  B('hash', (args) => {
    // PyObject_Hash: a class's own __hash__ runs through the core's slot
    // (slot_tp_hash's int checks and reduction there, vm.hostSlot calls it)
    const p = raw.obj_hash(h, args[0]);
    if (!p) throw new PyException(vm.coreError());
    return vm.constValue({ t: 'int', v: raw.readI64(p) });   // all 64 bits (a double would round)
  });
  B('abs', (args) => {
    nargs('abs', args, 1);
    if (vm.typeId(args[0]) === T.bool) return vm.newInt(args[0] === vm.true_ ? 1 : 0);   // bool's nb_absolute is int's
    if (vm.typeId(args[0]) === USER_TYPE) {
      const m = vm.lookupSpecial(args[0], '__abs__');
      if (m) return vm.callObject(vm.incref(m), [vm.incref(args[0])], 0);
      throw err('TypeError', `bad operand type for abs(): '${vm.typeName(args[0])}'`);
    }
    if (vm.typeId(args[0]) === T.float) return vm.check(raw.float_new(h, Math.abs(raw.float_value(h, args[0]))));
    const neg = raw.vm_compare(h, 0, args[0], vm.constZero);
    const r = neg === vm.true_ ? raw.vm_unary(h, 0, args[0]) : vm.incref(args[0]);
    return vm.check(r);
  });
  const iterate = (o, each) => {
    const it = vm.getIter(o);
    try {
      for (;;) {
        const x = vm.iterNext(it);
        if (!x) break;
        try { if (each(x) === false) break; } finally { vm.decref(x); }
      }
    } finally { vm.release(it); }
  };
  const collect = (o) => { const out = []; iterate(o, (x) => { out.push(vm.incref(x)); }); return out; };
  // PySequence_Fast / list_extend's fast path: a list or tuple is read in place, no iterator object
  const collectFast = (o) => {
    const tid = vm.typeId(o);
    if (tid !== T.list && tid !== T.tuple) return collect(o);
    const n = raw.obj_len(h, o), out = [];
    for (let i = 0; i < n; i++) out.push(raw.vm_iter_item(h, o, i));
    return out;
  };
  // min_max (bltinmodule.c): one iterable or several arguments, key= and default=
  const minmax = (name, op) => (args, kw) => {
    for (const k of kw) if (k !== 'key' && k !== 'default') throw err('TypeError', `'${k}' is an invalid keyword argument for ${name}()`);
    const pos = posArgs(args, kw);
    const keyO = kwArg(args, kw, 'key'), defO = kw.includes('default') ? kwArg(args, kw, 'default') : 0;
    if (!pos.length) throw err('TypeError', `${name} expected at least 1 argument, got 0`);
    if (pos.length > 1 && defO) throw err('TypeError', `Cannot specify a default for ${name}() with multiple positional arguments`);
    const keyFn = keyO && keyO !== vm.none ? keyO : 0;
    let best = 0, bestKey = 0;
    const consider = (x) => {
      const k = keyFn ? vm.callObject(vm.incref(keyFn), [vm.incref(x)], 0) : vm.incref(x);
      if (!best) { best = vm.incref(x); bestKey = k; return; }
      let c;
      try { c = vm.compareOp(op, k, bestKey); } catch (e) { vm.decref(k); throw e; }
      const better = vm.truth(c);
      vm.decref(c);
      if (better) { vm.decref(best); vm.decref(bestKey); best = vm.incref(x); bestKey = k; } else vm.decref(k);
    };
    try {
      if (pos.length === 1) iterate(pos[0], consider);
      else for (const x of pos) consider(x);
    } catch (e) { if (best) { vm.decref(best); vm.decref(bestKey); } throw e; }
    if (!best) {
      if (defO) return vm.incref(defO);
      throw err('ValueError', `${name}() iterable argument is empty`);
    }
    vm.decref(bestKey);
    return best;
  };
  B('min', minmax('min', 0));
  B('max', minmax('max', 4));
  // builtin_sum_impl: exact int and float fast paths (no intermediate objects; floats summed with
  // Neumaier's compensation, as 3.12 does), then the generic PyNumber_Add
  const INT64_MAX = (1n << 63n) - 1n, INT64_MIN = -(1n << 63n);
  B('sum', (args, kw) => {
    for (const k of kw) if (k !== 'start') throw err('TypeError', `'${k}' is an invalid keyword argument for sum()`);
    const pos = posArgs(args, kw);
    if (pos.length < 1 || pos.length > 2) throw err('TypeError', `sum() takes at most 2 arguments (${pos.length} given)`);
    const startO = kwArg(args, kw, 'start') || pos[1];
    if (startO && vm.typeId(startO) === T.str) throw err('TypeError', "sum() can't sum strings [use ''.join(seq) instead]");
    if (startO && vm.typeId(startO) === T.bytes) throw err('TypeError', "sum() can't sum bytes [use b''.join(seq) instead]");
    let acc = startO ? vm.incref(startO) : vm.newInt(0);
    let mode = vm.typeId(acc) === T.int ? 'int' : vm.typeId(acc) === T.float ? 'float' : 'any';
    let ival = mode === 'int' ? bigOf(acc) : 0n, fval = mode === 'float' ? raw.float_value(h, acc) : 0, c = 0;
    const settle = () => {   // the fast path's value as the accumulator object
      if (mode === 'int') { vm.decref(acc); acc = vm.constValue({ t: 'int', v: ival }); }
      if (mode === 'float') { if (c && Number.isFinite(c)) fval += c; vm.decref(acc); acc = vm.check(raw.float_new(h, fval)); }
      mode = 'any';
    };
    try {
      iterate(pos[0], (x) => {
        const xt = vm.typeId(x);
        if (mode === 'int' && (xt === T.int || xt === T.bool)) {
          const v = ival + bigOf(x);
          if (v <= INT64_MAX && v >= INT64_MIN) { ival = v; return; }
        }
        if (mode === 'float') {
          if (xt === T.float) {
            const y = raw.float_value(h, x), t = fval + y;
            c += Math.abs(fval) >= Math.abs(y) ? (fval - t) + y : (y - t) + fval;
            fval = t;
            return;
          }
          if (xt === T.int || xt === T.bool) {
            const v = bigOf(x);
            if (v <= INT64_MAX && v >= INT64_MIN) { fval += Number(v); return; }
          }
        }
        const wasInt = mode === 'int';
        settle();
        const r = vm.binaryOp(0, acc, x);
        vm.decref(acc);
        acc = r;
        if (wasInt && vm.typeId(acc) === T.float) { mode = 'float'; fval = raw.float_value(h, acc); c = 0; }
      });
      settle();
    } catch (e) { vm.decref(acc); throw e; }
    return acc;
  });
  B('any', (args) => { let r = false; iterate(args[0], (x) => { if (vm.truth(x)) { r = true; return false; } return true; }); return vm.bool(r); });
  B('all', (args) => { let r = true; iterate(args[0], (x) => { if (!vm.truth(x)) { r = false; return false; } return true; }); return vm.bool(r); });
  B('sorted', (args, kw) => {
    const pos = posArgs(args, kw);
    if (pos.length !== 1) throw err('TypeError', pos.length ? `sorted expected 1 argument, got ${pos.length}` : 'sorted expected 1 argument, got 0');
    const l = vm.newList(pos[0]);   // PySequence_List, then list.sort in place
    try { listSort(l, args.slice(pos.length), kw); } catch (e) { vm.decref(l); throw e; }
    return l;
  });
  // list.sort(*, key=None, reverse=False) (list_sort_impl): keys computed once, in order; a
  // stable sort on `<` only; reverse keeps equal items in their order (reverse, sort, reverse)
  const listSort = (l, args, kw) => {
    for (const k of kw) if (k !== 'key' && k !== 'reverse') throw err('TypeError', `'${k}' is an invalid keyword argument for sort()`);
    if (args.length > kw.length) throw err('TypeError', 'sort() takes no positional arguments');
    const keyO = kwArg(args, kw, 'key'), rev = kwArg(args, kw, 'reverse');
    const reverse = !!rev && vm.truth(rev);
    const items = collectFast(l);
    const keys = [];
    try {
      if (keyO && keyO !== vm.none) for (const x of items) keys.push(vm.callObject(vm.incref(keyO), [vm.incref(x)], 0));
      const ks = keys.length ? keys : items;
      let order = items.map((_, i) => i);
      if (reverse) order.reverse();
      order = sortIndices(order, ks);
      if (reverse) order.reverse();
      order.forEach((j, i) => raw.list_setitem(h, l, i, items[j]));
    } finally {
      for (const x of items) vm.decref(x);
      for (const k of keys) vm.decref(k);
    }
  };
  const sortIndices = (order, ks) => order.sort((a, b) => {
    const lt = vm.compareOp(0, ks[a], ks[b]);
    vm.decref(lt);
    if (vm.truth(lt)) return -1;
    const gt = vm.compareOp(0, ks[b], ks[a]);
    vm.decref(gt);
    return vm.truth(gt) ? 1 : 0;
  });
  B('next', (args) => {
    if (args.length < 1 || args.length > 2) throw err('TypeError', `next expected at least 1 argument, got ${args.length}`);
    if (!vm.isIterator(args[0])) throw err('TypeError', `'${vm.typeName(args[0])}' object is not an iterator`);
    const x = vm.iterNext(args[0]);
    if (x) return x;
    if (args.length > 1) return vm.incref(args[1]);
    throw new PyException(vm.newException(vm.excClasses.get('StopIteration'), []));
  });
  B('iter', (args) => {
    if (args.length !== 1) throw err('TypeError', args.length ? 'pyheap: iter(callable, sentinel) is not supported yet' : 'iter expected at least 1 argument, got 0');
    return vm.getIter(args[0]);
  });
  B('chr', (args) => {
    nargs('chr', args, 1);
    if (!isInt(args[0])) throw err('TypeError', `'${vm.typeName(args[0])}' object cannot be interpreted as an integer`);
    const cp = intVal(args[0]);
    if (!(cp >= 0 && cp <= 0x10ffff)) throw err('ValueError', 'chr() arg not in range(0x110000)');
    return vm.newStr(String.fromCodePoint(cp));
  });
  B('ord', (args) => {
    nargs('ord', args, 1);
    const t = vm.typeId(args[0]);
    if (t === T.bytes) {
      const d = vm.bytesData(args[0]);
      if (d.length !== 1) throw err('TypeError', `ord() expected a character, but string of length ${d.length} found`);
      return vm.newInt(d[0]);
    }
    if (t !== T.str) throw err('TypeError', `ord() expected string of length 1, but ${vm.typeName(args[0])} found`);
    const c = [...vm.text(args[0])];
    if (c.length !== 1) throw err('TypeError', `ord() expected a character, but string of length ${c.length} found`);
    return vm.newInt(c[0].codePointAt(0));
  });
  B('divmod', (args) => {
    const q = vm.binaryOp(2, args[0], args[1]), r = vm.binaryOp(6, args[0], args[1]);
    const t = vm.tuple([q, r]); vm.decref(q); vm.decref(r); return t;
  });
  B('round', (args) => {
    const x = vm.typeId(args[0]) === T.float ? raw.float_value(h, args[0]) : intVal(args[0]);
    const nd = args.length > 1 && args[1] !== vm.none ? intVal(args[1]) : null;
    if (vm.typeId(args[0]) !== T.float) {
      if (!isInt(args[0])) throw err('TypeError', `type ${vm.typeName(args[0])} doesn't define __round__ method`);
      const v = bigOf(args[0]);
      if (nd === null || nd >= 0) return vm.typeId(args[0]) === T.bool ? vm.newInt(Number(v)) : vm.incref(args[0]);
      // long_round: to a multiple of 10**-ndigits, ties to even
      const q = 10n ** BigInt(-nd);
      let d = v / q, r = v % q;
      if (r < 0n) { r += q; d -= 1n; }
      if (2n * r > q || (2n * r === q && d % 2n !== 0n)) d += 1n;
      return vm.constValue({ t: 'int', v: d * q });
    }
    // correctly rounded, ties to even, on the exact binary value (float___round___impl)
    const d = nd ?? 0;
    const exact = d >= 0 ? x.toFixed(Math.min(100, d + 60)) : null;
    let y;
    if (exact !== null) {
      const [ip, fp = ''] = exact.split('.');
      const keep = fp.slice(0, d), rest = fp.slice(d);
      const tie = /^50*$/.test(rest), up = rest > '5' && !tie && rest[0] >= '5';
      const digits = (ip.replace('-', '') + keep);
      let n = BigInt(digits);
      const last = Number(n % 10n);
      if (up || (tie && last % 2 === 1)) n += 1n;
      const str = n.toString().padStart(d + 1, '0');
      const txt = (x < 0 || Object.is(x, -0) ? '-' : '') + (d ? `${str.slice(0, -d)}.${str.slice(-d)}` : str);
      y = Number(txt);
    } else {
      const m = 10 ** -d;
      y = Math.round(x / m) * m;
    }
    if (nd === null) return vm.constValue({ t: 'int', v: BigInt(y) });
    return vm.check(raw.float_new(h, y));
  });
  B('__build_class__', (args) => vm.buildClassImpl(args));
  vm.buildClass = raw.dict_getitem(h, vm.builtinsDict, vm.str('__build_class__'));
  vm.decref(vm.buildClass);
  B('globals', () => vm.incref(vm.globals));
  // super().name and super(C, obj).name compile to LOAD_SUPER_ATTR (vm.js); a super object itself is not modelled
  B('super', () => { throw err('RuntimeError', 'pyheap: super objects are not supported (only super().name and super(C, obj).name)'); });
  vm.superFn = raw.dict_getitem(h, vm.builtinsDict, vm.str('super'));
  vm.decref(vm.superFn);

  // ---- built-in types as callables (tp_new / tp_init of the subset)

  vm.constZero = vm.newInt(0);
  const C = (name, fn) => {
    vm.typeCtors.set(name, fn);
    raw.dict_setitem(h, vm.builtinsDict, vm.str(name), vm.typeOf[T[name]]);
  };
  // property / classmethod / staticmethod (core/src/descrobject.c; the VM calls a property's functions)
  const PROPERTY_ARGS = ['fget', 'fset', 'fdel', 'doc'];
  C('property', (args, kw) => {
    const npos = args.length - kw.length, v = [0, 0, 0, 0];
    if (npos > 4) throw err('TypeError', `property() takes at most 4 arguments (${args.length} given)`);
    for (let i = 0; i < npos; i++) v[i] = args[i];
    kw.forEach((k, j) => {
      const i = PROPERTY_ARGS.indexOf(k);
      if (i < 0) throw err('TypeError', `property() got an unexpected keyword argument '${k}'`);
      if (v[i]) throw err('TypeError', `argument for property() given by name ('${k}') and position (${i + 1})`);
      v[i] = args[npos + j];
    });
    return vm.check(raw.descr_new(h, 0, v[0], v[1], v[2], v[3]));
  });
  for (const [kind, name] of [[1, 'classmethod'], [2, 'staticmethod']]) {
    C(name, (args, kw) => {
      if (kw.length) throw err('TypeError', `${name}() takes no keyword arguments`);
      if (args.length !== 1) throw err('TypeError', `${name} expected 1 argument, got ${args.length}`);
      return vm.check(raw.descr_new(h, kind, args[0], 0, 0, 0));
    });
  }
  C('object', (args) => { if (args.length) throw err('TypeError', 'object() takes no arguments'); return vm.check(raw.vm_object_new(h)); });
  C('type', (args) => {
    if (args.length === 1) return vm.incref(raw.vm_type(args[0]));
    throw err('TypeError', 'pyheap: type(name, bases, dict) is not supported yet');
  });
  // int(s, base) (PyLong_FromUnicodeObject): prefixes 0x/0o/0b (required to match a nonzero
  // base, inferred for base 0), underscores between digits, surrounding whitespace
  const parseIntText = (o, base) => {
    const text = vm.text(o);
    const bad = () => err('ValueError', `invalid literal for int() with base ${base}: ${vm.toRepr(o)}`);
    let s = text.trim();
    let sign = 1n;
    if (s[0] === '+' || s[0] === '-') { if (s[0] === '-') sign = -1n; s = s.slice(1); }
    const pre = /^0[xXoObB]/.test(s) ? { x: 16, o: 8, b: 2 }[s[1].toLowerCase()] : 0;
    let b = base;
    if (b === 0) {
      if (pre) { b = pre; s = s.slice(2); if (s[0] === '_') s = s.slice(1); }
      else { b = 10; if (/^0+[1-9_]/.test(s) && /[1-9]/.test(s)) throw bad(); }
    } else if (pre === b) { s = s.slice(2); if (s[0] === '_') s = s.slice(1); }
    if (!s || s.startsWith('_') || s.endsWith('_') || s.includes('__')) throw bad();
    let v = 0n;
    for (const ch of s.replace(/_/g, '')) {
      const d = parseInt(ch, 36);
      if (Number.isNaN(d) || d >= b) throw bad();
      v = v * BigInt(b) + BigInt(d);
    }
    return vm.constValue({ t: 'int', v: sign * v });
  };
  C('int', (args, kw) => {
    if (!args.length) return vm.newInt(0);
    const pos = posArgs(args, kw);
    const baseO = pos[1] ?? (kwArg(args, kw, 'base') || undefined);
    if (baseO !== undefined) {
      if (!isInt(baseO)) throw err('TypeError', `'${vm.typeName(baseO)}' object cannot be interpreted as an integer`);
      const base = intVal(baseO);
      if (base !== 0 && (base < 2 || base > 36)) throw err('ValueError', 'int() base must be >= 2 and <= 36, or 0');
      if (!pos.length) throw err('TypeError', "int() missing string argument");
      if (vm.typeId(pos[0]) !== T.str) throw err('TypeError', "int() can't convert non-string with explicit base");
      return parseIntText(pos[0], base);
    }
    const o = args[0];
    const t = vm.typeId(o);
    if (t === T.int) return vm.incref(o);
    if (t === T.bool) return vm.newInt(o === vm.true_ ? 1 : 0);
    if (t === T.float) {
      const x = raw.float_value(h, o);
      return vm.constValue({ t: 'int', v: BigInt(Math.trunc(x)) });
    }
    if (t === T.str) return parseIntText(o, 10);
    throw err('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${vm.typeName(o)}'`);
  });
  C('float', (args) => {
    if (!args.length) return vm.check(raw.float_new(h, 0));
    const o = args[0];
    const t = vm.typeId(o);
    if (t === T.float) return vm.incref(o);
    if (t === T.int || t === T.bool) return vm.check(raw.float_new(h, intVal(o)));
    if (t === T.str) {
      const s = vm.text(o).trim();
      const x = /^[+-]?inf(inity)?$/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : /^[+-]?nan$/i.test(s) ? NaN : Number(s);
      if (!s || Number.isNaN(x) && !/nan/i.test(s)) throw err('ValueError', `could not convert string to float: ${vm.toRepr(o)}`);
      return vm.check(raw.float_new(h, x));
    }
    throw err('TypeError', `float() argument must be a string or a real number, not '${vm.typeName(o)}'`);
  });
  // bytes(): empty, a count of zero bytes, an iterable of ints, or a str with an encoding
  C('bytes', (args, kw) => {
    const pos = posArgs(args, kw);
    if (!pos.length) return vm.newBytes(new Uint8Array(0));
    const o = pos[0], t = vm.typeId(o);
    if (t === T.bytes) return vm.incref(o);
    if (t === T.str) {
      const enc = pos[1] ?? kwArg(args, kw, 'encoding');
      if (!enc) throw err('TypeError', 'string argument without an encoding');
      return vm.builtinMethod(o, 'encode').fn([o, enc], []);
    }
    if (t === T.int || t === T.bool) {
      const n = intVal(o);
      if (n < 0) throw err('ValueError', 'negative count');
      return vm.newBytes(new Uint8Array(n));
    }
    const vals = [];
    iterate(o, (x) => {
      if (!isInt(x)) throw err('TypeError', `'${vm.typeName(x)}' object cannot be interpreted as an integer`);
      const v = intVal(x);
      if (v < 0 || v > 255) throw err('ValueError', 'bytes must be in range(0, 256)');
      vals.push(v);
    });
    return vm.newBytes(Uint8Array.from(vals));
  });
  C('str', (args) => (args.length ? vm.newStr(vm.toStr(args[0])) : vm.incref(vm.str(''))));
  C('bool', (args) => vm.bool(args.length ? vm.truth(args[0]) : false));
  // list(o) (list___init__): an iterable with a len() is preallocated exactly; an iterator's
  // array is sized by list_extend from PyObject_LengthHint(it, 8)
  // the rest of an iterator's items (new references) onto `items`: the loop
  // in a function of its own, so V8's on-stack replacement of it leaves no
  // never-run code after it in newList (which then deoptimised on every call)
  const drain = (it, items) => {
    for (let x = vm.iterNext(it); x; x = vm.iterNext(it)) items.push(x);
  };
  const newList = (o) => {
    const tid = vm.typeId(o);
    if (tid === T.list || tid === T.tuple) {
      // list_extend's fast path on the empty list: list_preallocate_exact (rounded up to even)
      const l = vm.list([]);
      try { vm.checkStatus(raw.list_extend(h, l, o)); } catch (e) { vm.decref(l); throw e; }
      return l;
    }
    // a sized iterable: list___init__ preallocates len(o) slots (rounded up to even), then
    // list_extend iterates into them
    const sized = [T.str, T.range, T.dict, T.set, T.frozenset].includes(tid);
    // (approximate: the items are fetched before the array is sized, not into it)
    const l = vm.list([]);
    const items = [];
    try {
      const it = vm.getIter(o);
      let hint;
      try {
        const itid = vm.typeId(it);
        hint = sized ? raw.vm_len(h, o) : isCoreIterType(itid) ? raw.vm_iter_hint(h, it) : -1;
        drain(it, items);
      } finally { vm.release(it); }
      const n = items.length;
      const big = n > 4000 ? raw.buf_alloc(n * 4) : 0;
      const p = big || raw.obj_scratch(h);
      raw.writeU32s(p, items);
      items.length = 0;   // the call takes the references
      const rc = raw.vm_list_extend_items(h, l, p, n, hint);
      if (big) raw.buf_free(big);
      vm.checkStatus(rc);
    } catch (e) { for (const x of items) vm.decref(x); vm.decref(l); throw e; }
    return l;
  };
  vm.newList = newList;
  C('list', (args) => (args.length ? newList(args[0]) : vm.list([])));
  C('tuple', (args) => {
    if (args.length && vm.typeId(args[0]) === T.tuple) return vm.incref(args[0]);
    const items = args.length ? collectFast(args[0]) : [];
    const t = vm.tuple(items);
    for (const x of items) vm.decref(x);
    return t;
  });
  C('set', (args) => {
    const p = raw.obj_scratch(h);
    const s = vm.check(raw.vm_build_set(h, p, 0));
    if (args.length) iterate(args[0], (x) => { vm.checkStatus(raw.set_add(h, s, x)); });
    return s;
  });
  C('frozenset', (args) => {
    const items = args.length ? collect(args[0]) : [];
    const p = raw.obj_scratch(h);
    raw.writeU32s(p, items);
    const s = vm.check(raw.set_new(h, p, items.length, 1));
    for (const x of items) vm.decref(x);
    return s;
  });
  /**
   * dict_update_arg (dict(x), d.update(x)): a dict's table is copied; an
   * object with a keys() method is read as keys() then o[k] (PyDict_Merge);
   * anything else is an iterable of pairs (PyDict_MergeFromSeq2, with its
   * messages).
   */
  const dictMerge = (d, src) => {
    if (vm.typeId(src) === T.dict) { vm.checkStatus(raw.dict_update(h, d, src)); return; }
    const keysFn = vm.attrOrNone(src, 'keys');
    if (keysFn) {
      const ks = vm.callObject(keysFn, [], 0);
      try {
        iterate(ks, (k) => {
          const v = vm.getItem(src, k);
          const rc = raw.dict_setitem(h, d, k, v);
          vm.decref(v);
          if (rc < 0) throw new PyException(vm.coreError());
        });
      } finally { vm.decref(ks); }
      return;
    }
    let i = 0;
    iterate(src, (pair) => {
      let items;
      try { items = collect(pair); } catch (e) {
        if (!(e instanceof PyException) || !vm.excMatches(e.exc, vm.excClasses.get('TypeError'))) throw e;
        vm.decref(e.exc);
        throw err('TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`);
      }
      try {
        if (items.length !== 2) throw err('ValueError', `dictionary update sequence element #${i} has length ${items.length}; 2 is required`);
        const rc = raw.dict_setitem(h, d, items[0], items[1]);
        if (rc < 0) throw new PyException(vm.coreError());   // an unhashable key, a failing __hash__
      } finally { for (const x of items) vm.decref(x); }
      i++;
    });
  };
  /** The keyword arguments of dict(...) / d.update(...), after the positional one. */
  const dictMergeKw = (d, args, kw) => {
    const first = args.length - kw.length;
    kw.forEach((k, j) => { const rc = raw.dict_setitem(h, d, vm.str(k), args[first + j]); if (rc < 0) throw new PyException(vm.coreError()); });
  };
  C('dict', (args, kw) => {
    const pos = posArgs(args, kw);
    if (pos.length > 1) throw err('TypeError', `dict expected at most 1 argument, got ${pos.length}`);
    const d = vm.check(raw.dict_call(h));   // dict_new: tp_alloc, never the free list (counts in gen 0)
    try {
      if (pos.length) dictMerge(d, pos[0]);
      dictMergeKw(d, args, kw);
    } catch (e) { vm.decref(d); throw e; }
    return d;
  });
  // ---- the iterator types as callables (enumobject.c, bltinmodule.c): the
  // inner iterators are made first, then the object, as enum_new / zip_new /
  // map_new / filter_new do
  C('enumerate', (args, kw) => {
    const pos = posArgs(args, kw);
    const startO = kwArg(args, kw, 'start') || pos[1];
    if (!pos.length) throw err('TypeError', "enumerate() missing required argument 'iterable'");
    if (pos.length > 2) throw err('TypeError', `enumerate() takes at most 2 arguments (${pos.length} given)`);
    if (startO && !isInt(startO)) throw err('TypeError', `'${vm.typeName(startO)}' object cannot be interpreted as an integer`);
    const it = vm.getIter(pos[0]);
    try { return vm.check(raw.vm_enumerate(h, it, startO ? intVal(startO) : 0)); } finally { vm.decref(it); }
  });
  const iterAll = (objs) => {
    const its = [];
    try { for (const o of objs) its.push(vm.getIter(o)); } catch (e) { for (const x of its) vm.decref(x); throw e; }
    return its;
  };
  C('zip', (args, kw) => {
    for (const k of kw) if (k !== 'strict') throw err('TypeError', `'${k}' is an invalid keyword argument for zip()`);
    const strictO = kwArg(args, kw, 'strict');
    const strict = strictO ? vm.truth(strictO) : false;
    const its = iterAll(posArgs(args, kw));
    const p = raw.obj_scratch(h);
    raw.writeU32s(p, its);
    try { return vm.check(raw.vm_zip(h, p, its.length, strict ? 1 : 0)); } finally { for (const x of its) vm.decref(x); }
  });
  C('map', (args, kw) => {
    noKw('map', kw);
    if (args.length < 2) throw err('TypeError', 'map() must have at least two arguments.');
    const its = iterAll(args.slice(1));
    const p = raw.obj_scratch(h);
    raw.writeU32s(p, its);
    try { return vm.check(raw.vm_map(h, args[0], p, its.length)); } finally { for (const x of its) vm.decref(x); }
  });
  C('filter', (args, kw) => {
    noKw('filter', kw);
    if (args.length !== 2) throw err('TypeError', `filter expected 2 arguments, got ${args.length}`);
    const it = vm.getIter(args[1]);
    try { return vm.check(raw.vm_filter(h, args[0], it)); } finally { vm.decref(it); }
  });
  C('reversed', (args, kw) => {
    noKw('reversed', kw);
    if (args.length !== 1) throw err('TypeError', `reversed expected 1 argument, got ${args.length}`);
    const o = args[0];
    if (vm.typeId(o) === USER_TYPE) {   // reversed_new_impl: __reversed__, else the sequence protocol
      const m = vm.lookupSpecial(o, '__reversed__');
      if (m) return vm.callObject(vm.incref(m), [vm.incref(o)], 0);
      if (!vm.lookupSpecial(o, '__getitem__') || !vm.lookupSpecial(o, '__len__')) {
        throw err('TypeError', `'${vm.typeName(o)}' object is not reversible`);
      }
      const n = vm.callObject(vm.incref(vm.lookupSpecial(o, '__len__')), [vm.incref(o)], 0);
      const len = intVal(n);
      vm.decref(n);
      return vm.check(raw.vm_reversed(h, o, len));
    }
    return vm.check(raw.vm_reversed(h, o, 0));
  });

  C('range', (args) => {
    const vals = args.map((a) => { if (!isInt(a)) throw err('TypeError', `'${vm.typeName(a)}' object cannot be interpreted as an integer`); return a; });
    const one = vm.newInt(1);
    const [start, stop, step] = vals.length === 1 ? [vm.constZero, vals[0], one] : [vals[0], vals[1], vals[2] ?? one];
    if (step !== one && intVal(step) === 0) { vm.decref(one); throw err('ValueError', 'range() arg 3 must not be zero'); }
    // a range holds start, stop, step (new references made by the core's constructor)
    const r = vm.rangeNew(start, stop, step);
    vm.decref(one);
    return r;
  });
  vm.rangeNew = (start, stop, step) => {
    // range(start, stop, step) through the core: pmw has no range export, build via the int API
    const p = raw.obj_scratch(h);
    void p;
    return vm.check(raw.vm_range_new(h, start, stop, step));
  };
  for (const name of ['bytes', 'NoneType', 'function', 'generator', 'cell', 'method', 'code']) void name;

  // ---- methods of built-in types (method descriptors, bound on the stack)

  /**
   * list/tuple index, count, remove (list_index_impl, list_count, list_remove,
   * tupleindex, tuplecount): item == v (PyObject_RichCompareBool(item, v):
   * identity, then the item's __eq__ first) for items from..to, the length
   * re-read after every comparison (an __eq__ may shrink the list). The index
   * of the first equal item, or -1; with `all`, how many are equal.
   */
  const seqFind = (l, v, from = 0, to = Infinity, all = false) => {
    const tuple = vm.typeId(l) === T.tuple;
    let c = 0;
    for (let i = from; i < to && i < raw.obj_len(h, l); i++) {
      const x = tuple ? raw.tuple_getitem(h, l, i) : raw.list_getitem(h, l, i);
      const eq = raw.obj_eq(h, x, v);
      vm.decref(x);
      if (eq < 0) throw new PyException(vm.coreError());
      if (eq === 1) { if (!all) return i; c++; }
    }
    return all ? c : -1;
  };
  /** index(v[, start[, stop]]): negative bounds count from the end, as _PyEval_SliceIndexNotNone / list_index_impl clamp them. */
  const seqIndex = (self, args, what) => {
    const n = raw.obj_len(h, self);
    const bound = (o, dflt) => {
      if (o === undefined) return dflt;
      let b = intVal(o);
      if (b < 0) { b += n; if (b < 0) b = 0; }
      return b;
    };
    const i = seqFind(self, args[0], bound(args[1], 0), bound(args[2], Infinity));
    if (i < 0) throw err('ValueError', what === 'list' ? `${vm.toRepr(args[0])} is not in list` : 'tuple.index(x): x not in tuple');
    return vm.newInt(i);
  };

  /** d[k] as a new reference, 0 when absent; a failing __hash__ / __eq__ of the key raises. */
  const dictLookup = (d, k) => {
    const v = raw.dict_getitem(h, d, k);
    if (!v && raw.exc_kind(h) !== KEY_ERROR) throw new PyException(vm.coreError());   // KeyError: absent
    return v;
  };


  const M = {};
  M.list = {
    append: (self, args) => { nargs('list.append', args, 1); vm.checkStatus(raw.list_append(h, self, args[0])); return vm.none; },
    pop: (self, args) => vm.check(raw.list_pop(h, self, args.length ? intVal(args[0]) : -1)),
    insert: (self, args) => { vm.checkStatus(raw.list_insert(h, self, intVal(args[0]), args[1])); return vm.none; },
    extend: (self, args) => { const items = collect(args[0]); for (const x of items) { raw.list_append(h, self, x); vm.decref(x); } return vm.none; },
    clear: (self) => { const n = raw.obj_len(h, self); if (n) raw.list_delslice(h, self, 0, n, 1); return vm.none; },
    copy: (self) => vm.check(raw.list_getslice(h, self, NaN, NaN, 1)),
    index: (self, args) => seqIndex(self, args, 'list'),
    count: (self, args) => vm.newInt(seqFind(self, args[0], 0, Infinity, true)),
    remove: (self, args) => {
      const i = seqFind(self, args[0]);
      if (i < 0) throw err('ValueError', 'list.remove(x): x not in list');
      vm.checkStatus(raw.list_delitem(h, self, i));
      return vm.none;
    },
    reverse: (self) => {
      const items = collect(self).reverse();
      const n = items.length;
      for (let i = 0; i < n; i++) { raw.list_setitem(h, self, i, items[i]); vm.decref(items[i]); }
      return vm.none;
    },
    sort: (self, args, kw) => { listSort(self, args, kw); return vm.none; },
  };
  // dict.keys() & co. (METH_NOARGS): a new view
  const dictView = (name, self, args, kind) => {
    if (args.length) throw err('TypeError', `dict.${name}() takes no arguments (${args.length} given)`);
    return vm.check(raw.vm_dictview_new(h, self, kind));
  };
  M.tuple = {
    index: (self, args) => seqIndex(self, args, 'tuple'),
    count: (self, args) => vm.newInt(seqFind(self, args[0], 0, Infinity, true)),
  };
  M.dict = {
    get: (self, args) => { const v = dictLookup(self, args[0]); return v || vm.incref(args.length > 1 ? args[1] : vm.none); },
    // the views (core/src/dictviewobject.c): dict_keys, dict_values, dict_items
    keys: (self, args) => dictView('keys', self, args, 0),
    values: (self, args) => dictView('values', self, args, 1),
    items: (self, args) => dictView('items', self, args, 2),
    pop: (self, args) => {
      const v = raw.dict_pop(h, self, args[0], args.length > 1 ? args[1] : 0);
      if (!v) {
        if (raw.exc_kind(h) === KEY_ERROR) throw new PyException(vm.newException(vm.excClasses.get('KeyError'), [vm.incref(args[0])]));
        throw new PyException(vm.coreError());
      }
      return v;
    },
    setdefault: (self, args) => vm.check(raw.dict_setdefault(h, self, args[0], args.length > 1 ? args[1] : vm.none)),
    update: (self, args, kw) => {
      const pos = posArgs(args, kw);
      if (pos.length > 1) throw err('TypeError', `update expected at most 1 argument, got ${pos.length}`);
      if (pos.length) dictMerge(self, pos[0]);
      dictMergeKw(self, args, kw);
      return vm.none;
    },
    popitem: (self, args) => {
      nargs('dict.popitem', args, 0);
      const t = raw.dict_popitem(h, self);
      if (t) return t;
      if (raw.exc_kind(h) === KEY_ERROR) throw new PyException(vm.newException(vm.excClasses.get('KeyError'), [vm.newStr('popitem(): dictionary is empty')]));
      throw new PyException(vm.coreError());
    },
    clear: (self) => { vm.checkStatus(raw.dict_clear(h, self)); return vm.none; },
    copy: (self) => vm.check(raw.dict_copy(h, self)),
  };
  // dictviews_isdisjoint; `mapping` (a mappingproxy in 3.12) is not modelled
  const viewMethods = {
    isdisjoint: (self, args) => {
      nargs(`${vm.typeName(self)}.isdisjoint`, args, 1);
      const other = vm.coreIterable(args[0]);
      try { return vm.bool(vm.checkStatus(raw.vm_dictview_isdisjoint(h, self, other)) === 1); } finally { vm.decref(other); }
    },
  };
  // methods of built-in types that are classmethods (dict.fromkeys): bound to the type,
  // whether taken from the type or from an instance
  const CM = {
    dict: {
      // dict_fromkeys -> _PyDict_FromKeys: dict() first, then an exact dict, set or frozenset
      // source presized in the core, any other iterable through PyDict_SetItem per key
      fromkeys: (cls, args, kw) => {
        if (kw.length) throw err('TypeError', 'dict.fromkeys() takes no keyword arguments');
        if (args.length < 1) throw err('TypeError', `fromkeys expected at least 1 argument, got ${args.length}`);
        if (args.length > 2) throw err('TypeError', `fromkeys expected at most 2 arguments, got ${args.length}`);
        const [src, value = vm.none] = args;
        const tid = vm.typeId(src);
        if (tid === T.dict || tid === T.set || tid === T.frozenset) return vm.check(raw.dict_fromkeys(h, src, value));
        const d = vm.check(raw.dict_call(h));
        try { iterate(src, (k) => { vm.checkStatus(raw.dict_setitem(h, d, k, value)); }); } catch (e) { vm.decref(d); throw e; }
        return d;
      },
    },
  };
  const classMethod = (typeObj, tname, name) => {
    const fn = CM[tname]?.[name];
    return fn ? vm.bindBuiltin(new BuiltinMethod(name, (args, kw) => fn(args[0], args.slice(1), kw)), typeObj) : undefined;
  };
  M.dict_keys = viewMethods;
  M.dict_items = viewMethods;
  M.dict_values = {};
  // bytes methods (bytes_methods.c), on a copy of the data
  const bytesArg = (o, what) => {
    if (vm.typeId(o) !== T.bytes) throw err('TypeError', `${what} must be bytes, not ${vm.typeName(o)}`);
    return vm.bytesData(o);
  };
  const latin = (u8) => String.fromCharCode(...u8);
  const fromLatin = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const asciiCase = (u8, up) => u8.map((b) => (up ? (b >= 97 && b <= 122 ? b - 32 : b) : (b >= 65 && b <= 90 ? b + 32 : b)));
  M.bytes = {
    decode: (self, args, kw) => {
      const enc = args.length ? vm.text(args[0]).toLowerCase().replace('_', '-') : 'utf-8';
      if (!['utf-8', 'utf8', 'ascii', 'latin-1', 'latin1'].includes(enc)) throw err('LookupError', `pyheap: the codec '${enc}' is not supported`);
      const data = vm.bytesData(self);
      if (enc.startsWith('latin')) return vm.newStr(latin(data));
      if (enc === 'ascii') {
        const bad = data.findIndex((b) => b > 127);
        if (bad >= 0) throw err('UnicodeDecodeError', `'ascii' codec can't decode byte 0x${data[bad].toString(16)} in position ${bad}: ordinal not in range(128)`);
      }
      try { return vm.newStr(new TextDecoder('utf-8', { fatal: true }).decode(data)); } catch { throw err('UnicodeDecodeError', "pyheap: invalid utf-8 data ('utf-8' codec can't decode)"); }
    },
    upper: (self) => vm.newBytes(asciiCase(vm.bytesData(self), true)),
    lower: (self) => vm.newBytes(asciiCase(vm.bytesData(self), false)),
    hex: (self) => vm.newStr([...vm.bytesData(self)].map((b) => b.toString(16).padStart(2, '0')).join('')),
    startswith: (self, args) => vm.bool(latin(vm.bytesData(self)).startsWith(latin(bytesArg(args[0], 'startswith first arg')))),
    endswith: (self, args) => vm.bool(latin(vm.bytesData(self)).endsWith(latin(bytesArg(args[0], 'endswith first arg')))),
    find: (self, args) => vm.newInt(latin(vm.bytesData(self)).indexOf(latin(bytesArg(args[0], 'argument')))),
    count: (self, args) => {
      const sub = latin(bytesArg(args[0], 'argument')), s = latin(vm.bytesData(self));
      return vm.newInt(sub ? s.split(sub).length - 1 : s.length + 1);
    },
    replace: (self, args) => vm.newBytes(fromLatin(latin(vm.bytesData(self)).split(latin(bytesArg(args[0], 'argument 1'))).join(latin(bytesArg(args[1], 'argument 2'))))),
    join: (self, args) => {
      const items = collect(args[0]);
      try {
        const parts = items.map((x, i) => {
          if (vm.typeId(x) !== T.bytes) throw err('TypeError', `sequence item ${i}: expected a bytes-like object, ${vm.typeName(x)} found`);
          return latin(vm.bytesData(x));
        });
        return vm.newBytes(fromLatin(parts.join(latin(vm.bytesData(self)))));
      } finally { for (const x of items) vm.decref(x); }
    },
  };
  M.float = {
    is_integer: (self, args) => { nargs('is_integer', args, 0); return vm.bool(Number.isInteger(raw.float_value(h, self))); },
  };
  M.int = {
    bit_length: (self, args) => { nargs('bit_length', args, 0); const v = bigOf(self); return vm.newInt(v === 0n ? 0 : (v < 0n ? -v : v).toString(2).length); },
  };
  M.bool = M.int;
  // set methods over the core's set operators (set_union & co.): a non-set argument becomes a set first
  const asSet = (o) => (vm.typeId(o) === T.set || vm.typeId(o) === T.frozenset ? vm.incref(o) : vm.typeCtors.get('set')([o], []));
  const withSets = (others, fn) => {
    const sets = [];
    try { for (const o of others) sets.push(asSet(o)); return fn(sets); } finally { for (const x of sets) vm.decref(x); }
  };
  const fold = (op) => (self, args) => withSets(args, (sets) => {
    let r = vm.binaryOp(7, self, self);   // a copy, then each argument in turn
    for (const x of sets) { const n = vm.binaryOp(op, r, x); vm.decref(r); r = n; }
    return r;
  });
  const updater = (op) => (self, args) => withSets(args, (sets) => {
    for (const x of sets) vm.decref(vm.binaryOp(13 + op, self, x));
    return vm.none;
  });
  const relation = (op, swap = false) => (self, args) => {
    nargs('issubset', args, 1);
    return withSets(args, ([x]) => vm.compareOp(op, swap ? x : self, swap ? self : x));
  };
  const setReads = {
    union: fold(7),
    intersection: fold(1),
    difference: fold(10),
    symmetric_difference: (self, args) => { nargs('symmetric_difference', args, 1); return withSets(args, ([x]) => vm.binaryOp(12, self, x)); },
    issubset: relation(1),
    issuperset: relation(5),
    isdisjoint: (self, args) => {
      nargs('isdisjoint', args, 1);
      return withSets(args, ([x]) => { const r = vm.binaryOp(1, self, x); const empty = raw.obj_len(h, r) === 0; vm.decref(r); return vm.bool(empty); });
    },
    copy: (self) => (vm.typeId(self) === T.frozenset ? vm.incref(self) : vm.binaryOp(7, self, self)),
  };
  M.frozenset = setReads;
  M.set = {
    ...setReads,
    update: updater(7),
    intersection_update: updater(1),
    difference_update: updater(10),
    symmetric_difference_update: (self, args) => { nargs('symmetric_difference_update', args, 1); return updater(12)(self, args); },
    clear: (self) => { for (const k of vm.keysOf(self)) { raw.set_discard(h, self, k); vm.decref(k); } return vm.none; },
    pop: (self, args) => {
      nargs('pop', args, 0);
      const keys = vm.keysOf(self);
      if (!keys.length) throw err('KeyError', 'pop from an empty set');
      vm.checkStatus(raw.set_discard(h, self, keys[0]));
      for (const k of keys.slice(1)) vm.decref(k);
      return keys[0];
    },
    add: (self, args) => { vm.checkStatus(raw.set_add(h, self, args[0])); return vm.none; },
    discard: (self, args) => { vm.checkStatus(raw.set_discard(h, self, args[0])); return vm.none; },
    remove: (self, args) => {
      const r = vm.checkStatus(raw.set_discard(h, self, args[0]));
      if (!r) throw new PyException(vm.newException(vm.excClasses.get('KeyError'), [vm.incref(args[0])]));
      return vm.none;
    },
  };
  M.str = {
    ...strMethods(vm, { err, nargs, collect }),   // modules/strmethods.js
    encode: (self, args) => {
      const enc = args.length ? vm.text(args[0]).toLowerCase().replace('_', '-') : 'utf-8';
      if (enc !== 'utf-8' && enc !== 'utf8') throw err('LookupError', `pyheap: the codec '${enc}' is not supported`);
      return vm.newBytes(new TextEncoder().encode(vm.text(self)));
    },
    format: (self, args, kw) => {
      const pos = posArgs(args, kw);
      const named = Object.fromEntries(kw.map((k, i) => [k, args[pos.length + i]]));
      return vm.newStr(vm.fmt.strFormat(vm.text(self), pos, named));
    },
  };
  // StopIteration carrying a finished generator's return value (None: no argument), as gen_send_ex
  const stopIteration = () => {
    const r = vm.genReturn;
    vm.genReturn = 0;
    const args = r && r !== vm.none ? [r] : [];
    if (r && !args.length) vm.decref(r);
    return new PyException(vm.newException(vm.excClasses.get('StopIteration'), args));
  };
  M.generator = {
    send: (self, args) => {
      nargs('send', args, 1);
      const f = vm.genFrames.get(self);
      if (f && !f.started && args[0] !== vm.none) throw err('TypeError', "can't send non-None value to a just-started generator");
      const x = vm.genNext(self, vm.incref(args[0]), true);
      if (x) return x;
      throw stopIteration();
    },
    throw: (self, args) => {
      if (args.length < 1 || args.length > 3) throw err('TypeError', `throw expected at least 1 argument, got ${args.length}`);
      const [typ, val] = args;
      if (!vm.isExcClass(typ) && !vm.isExcInstance(typ)) {
        throw err('TypeError', `exceptions must be classes or instances deriving from BaseException, not ${vm.typeName(typ)}`);
      }
      let exc;
      if (vm.isType(typ)) exc = vm.callObject(vm.incref(typ), val && val !== vm.none ? [vm.incref(val)] : [], 0);
      else if (val && val !== vm.none) throw err('TypeError', 'instance exception may not have a separate value');
      else { exc = vm.incref(typ); vm.excTb.delete(exc); }
      const x = vm.genThrow(self, exc);
      if (x) return x;
      throw stopIteration();
    },
    close: (self) => { vm.genClose(self); return vm.none; },
    __next__: (self) => {
      const x = vm.genNext(self, 0, true);
      if (x) return x;
      throw stopIteration();
    },
  };
  // the iterator types' methods (listiter_next & co., __length_hint__, PyObject_SelfIter)
  const iterMethods = {
    __next__: (self) => {
      const x = vm.iterNext(self);
      if (x) return x;
      throw new PyException(vm.newException(vm.excClasses.get('StopIteration'), []));
    },
    __iter__: (self) => vm.incref(self),
  };
  const hintMethods = { ...iterMethods, __length_hint__: (self) => vm.newInt(raw.vm_iter_hint(h, self)) };
  for (const name of ['list_iterator', 'list_reverseiterator', 'tuple_iterator', 'str_ascii_iterator', 'str_iterator',
    'bytes_iterator', 'reversed', 'range_iterator', 'longrange_iterator', 'dict_keyiterator', 'dict_valueiterator',
    'dict_itemiterator', 'set_iterator', 'dict_reversekeyiterator', 'dict_reversevalueiterator',
    'dict_reverseitemiterator']) M[name] = hintMethods;
  for (const name of ['enumerate', 'zip', 'map', 'filter']) M[name] = iterMethods;
  // property.getter / setter / deleter (property_copy)
  const propCopy = (which) => (p, a) => { nargs(['getter', 'setter', 'deleter'][which], a, 1); return vm.check(raw.property_copy(h, p, which, a[0])); };
  M.property = { getter: propCopy(0), setter: propCopy(1), deleter: propCopy(2) };
  const PROPERTY_FIELDS = { fget: 0, fset: 1, fdel: 2, __doc__: 3 };
  // the attributes of property, classmethod and staticmethod objects (property_members, cm_memberlist, __dict__)
  const descrAttr = (o, tid, name) => {
    if (tid === T.property) {
      if (PROPERTY_FIELDS[name] === undefined) return undefined;
      const v = raw.property_field(h, o, PROPERTY_FIELDS[name]);
      return vm.incref(v || vm.none);
    }
    if (name === '__func__' || name === '__wrapped__') return vm.incref(vm.check(raw.descr_callable(h, o)));
    const d = vm.check(raw.descr_dict(h, o));
    if (name === '__dict__') return d;
    const v = raw.dict_getitem(h, d, vm.str(name));
    vm.decref(d);
    return v || undefined;
  };
  // BaseException's methods (BaseException_add_note)
  const excMethods = {
    add_note: (self, args) => {
      nargs('add_note', args, 1);
      const note = args[0];
      if (vm.typeId(note) !== T.str) throw err('TypeError', `note must be a str, not '${vm.typeName(note)}'`);
      let notes = vm.attrOrNone(self, '__notes__');
      if (!notes) {
        notes = vm.list([]);
        try { vm.setAttr(self, '__notes__', notes); } catch (e) { vm.decref(notes); throw e; }
      } else if (vm.typeId(notes) !== T.list) {
        vm.decref(notes);
        throw err('TypeError', 'Cannot add note: __notes__ is not a list');
      }
      try { vm.checkStatus(raw.list_append(h, notes, note)); } finally { vm.decref(notes); }
      return vm.none;
    },
  };
  vm.builtinMethod = (o, name) => {
    if (Object.hasOwn(excMethods, name) && vm.isExcInstance(o)) {
      const fn = excMethods[name];
      return new BuiltinMethod(name, (args, kw) => fn(args[0], args.slice(1), kw));
    }
    const table = M[TYPE_IDS[vm.typeId(o)]];
    const fn = table && Object.hasOwn(table, name) ? table[name] : null;
    if (!fn) return null;
    return new BuiltinMethod(name, (args, kw) => fn(args[0], args.slice(1), kw));
  };
  vm.builtinAttr = (o, name) => {
    const tid = vm.typeId(o);
    if (name === '__class__') return vm.incref(raw.vm_type(o));
    if (tid === T.cell && name === 'cell_contents') {
      const v = raw.cell_get(h, o);
      if (!v) throw err('ValueError', 'Cell is empty');
      return v;
    }
    if ((tid === T.dict_keys || tid === T.dict_values || tid === T.dict_items) && name === 'mapping') {
      throw err('TypeError', `pyheap: ${TYPE_IDS[tid]}.mapping is not supported (mappingproxy is not modelled)`);
    }
    if (tid === T.function && FUNC_FIELDS[name] !== undefined) return vm.check(raw.func_get(h, o, FUNC_FIELDS[name]));
    if (tid === T.generator && (name === '__name__' || name === '__qualname__')) {
      return vm.check(raw.gen_get(h, o, name === '__name__' ? 0 : 1));
    }
    if (tid === T.property || tid === T.classmethod || tid === T.staticmethod) {
      const v = descrAttr(o, tid, name);
      if (v !== undefined) return v;
    }
    if (tid === T.code) {
      const c = codeAttr(o, name);
      if (c !== undefined) return c;
    }
    const m = vm.builtinMethod(o, name);
    if (m) return vm.bindBuiltin(m, o);
    return classMethod(raw.vm_type(o), TYPE_IDS[tid], name);
  };
  // a bound builtin method object is not modelled: a builtin function bound to o
  // (it keeps its own reference to o)
  // str.lower & co.: a method of a built-in type taken from the type (a method_descriptor in
  // CPython; here a builtin function that checks its first argument's type)
  // one descriptor per (type, name), kept here as the type's dict keeps it in CPython
  // (`str.lower is str.lower`; its refcount is that reference plus the caller's)
  const descriptors = new Map();
  vm.methodDescriptor = (typeObj, name) => {
    const tname = TYPE_IDS[vm.typeAddr.get(typeObj)];
    const cm = classMethod(typeObj, tname, name);
    if (cm) return cm;
    const table = M[tname];
    if (!table || !Object.hasOwn(table, name) || name.startsWith('__')) return undefined;
    const key = `${tname}.${name}`;
    if (descriptors.has(key)) return vm.incref(descriptors.get(key));
    const f = makeFn((args, kw) => {
      if (args.length - kw.length < 1) throw err('TypeError', `unbound method ${tname}.${name}() needs an argument`);
      const self = args[0];
      if (raw.vm_is_subtype(raw.vm_type(self), typeObj) !== 1) {
        throw err('TypeError', `descriptor '${name}' for '${tname}' objects doesn't apply to a '${vm.typeName(self)}' object`);
      }
      return table[name](self, args.slice(1), kw);
    }, mdClass);
    vm.builtinNames.set(f, name);
    vm.descrOf.set(f, tname);
    descriptors.set(key, f);
    vm.objclassOf.set(f, typeObj);
    return vm.incref(f);
  };
  vm.bindBuiltin = (m, o) => {
    const self = vm.incref(o);
    const f = makeFn((args, kw) => m.fn([self, ...args], kw));
    vm.builtinNames.set(f, m.name);
    vm.boundSelf.set(f, self);
    return f;
  };
  // code objects: the fields pmw_code_get returns, the numbers from the compiler's code info
  const CODE_OBJECTS = { co_consts: 0, co_names: 1, co_filename: 4, co_name: 5, co_qualname: 6, co_varnames: 7,
    co_cellvars: 8, co_freevars: 9 };
  const CODE_INTS = { co_argcount: 'argcount', co_posonlyargcount: 'posonlyargcount', co_kwonlyargcount: 'kwonlyargcount',
    co_firstlineno: 'firstlineno', co_flags: 'flags', co_nlocals: 'nlocals', co_stacksize: 'stacksize' };
  const codeAttr = (o, name) => {
    if (CODE_OBJECTS[name] !== undefined) return vm.check(raw.code_get(h, o, CODE_OBJECTS[name]));
    const info = vm.codes.get(o);
    if (info && CODE_INTS[name]) return vm.newInt(info[CODE_INTS[name]]);
    return undefined;
  };

  // ---- modules

  vm.modules = new Map();
  const module = (name, fns, attrs = {}) => {
    const m = vm.check(raw.instance_new(h, modClass));
    raw.vm_setattr(h, m, vm.str('__name__'), vm.str(name));
    for (const [k, fn] of Object.entries(fns)) {
      const o = makeFn(fn);
      vm.builtinNames.set(o, k);
      raw.vm_setattr(h, m, vm.str(k), o);
      vm.decref(o);
    }
    for (const [k, v] of Object.entries(attrs)) { raw.vm_setattr(h, m, vm.str(k), v); vm.decref(v); }
    vm.modules.set(name, m);
    return m;
  };

  const sys = module('sys', {
    getrefcount: (args) => { nargs('getrefcount', args, 1); return vm.newInt(raw.vm_refcnt(args[0])); },
    getsizeof: (args) => {
      if (vm.typeId(args[0]) === USER_TYPE) {
        const m = vm.lookupSpecial(args[0], '__sizeof__');
        if (m) {
          const r = vm.callObject(vm.incref(m), [vm.incref(args[0])], 0);
          const n = intVal(r);
          vm.decref(r);
          return vm.newInt(n + (raw.gc_is_tracked(h, args[0]) >= 0 ? 16 : 0));
        }
      }
      const n = raw.obj_sizeof(h, args[0]);
      if (!n && raw.last_status(h) < 0) throw new PyException(vm.coreError());
      return vm.newInt(n);
    },
    exit: (args) => {
      const code = args.length ? args[0] : vm.none;
      const e = vm.newException(vm.excClasses.get('SystemExit'), [vm.incref(code)]);
      throw new PyException(e);
    },
    intern: (args) => {   // sys_intern_impl: exact str only
      nargs('intern', args, 1);
      if (vm.typeId(args[0]) !== T.str) throw err('TypeError', `intern() argument must be str, not ${vm.typeName(args[0])}`);
      return vm.check(raw.str_intern(h, args[0]));
    },
    _debugmallocstats: () => {   // sys._debugmallocstats(): the allocator report on stderr
      const p = raw.debugmallocstats(h);
      if (!p) throw new PyException(vm.coreError());
      vm.err(raw.text(p, raw.text_len()));
      return vm.none;
    },
  }, {});

  // gc, weakref, tracemalloc, memory_profiler, objgraph: loaded on first import (web/interp/modules)
  vm.lib = { makeFn, module, newClass, nargs, kwArg, posArgs, err, iterate, collect };
  installSysIO(vm, sys);

  // reprs of the objects made here (module_repr, meth_repr, TextIOWrapper's repr)
  const BUILTIN_MODULES = new Set(['sys', 'gc', 'time', 'builtins', '_weakref', '_tracemalloc']);
  const moduleName = (o) => {
    const n = raw.vm_getattr(h, o, vm.str('__name__'));
    if (!n) { return '?'; }
    try { return vm.typeId(n) === T.str ? vm.text(n) : '?'; } finally { vm.decref(n); }
  };
  vm.isModule = (o) => raw.vm_type(o) === modClass;
  vm.moduleName = moduleName;
  vm.hostRepr = (o) => {
    const t = raw.vm_type(o);
    if (t === modClass) {
      const name = moduleName(o);
      // a module CPython loads from a file prints its path; pyheap's are in the interpreter
      return BUILTIN_MODULES.has(name) || name.startsWith('_') ? `<module '${name}' (built-in)>` : `<module '${name}' from '<pyheap>/${name}.py'>`;
    }
    if (t === fnClass || t === mdClass) {
      const name = vm.builtinNames.get(o);
      if (name === undefined) return undefined;
      if (vm.descrOf.has(o)) return `<method '${name}' of '${vm.descrOf.get(o)}' objects>`;
      const self = vm.boundSelf.get(o);
      if (self === undefined || vm.isModule(self)) return `<built-in function ${name}>`;
      return `<built-in method ${name} of ${vm.typeName(self)} object at 0x${self.toString(16)}>`;
    }
    return vm.streamRepr(o);
  };
  // meth_get__name__, meth_get__qualname__, meth_get__self__ (a new reference, or undefined)
  vm.hostAttr = (o, attr) => {
    if (vm.isExcInstance(o)) {   // a method of BaseException on an instance of a class deriving from it
      const m = vm.builtinMethod(o, attr);
      return m ? vm.bindBuiltin(m, o) : undefined;
    }
    const cls = raw.vm_type(o);
    if (cls !== fnClass && cls !== mdClass) return undefined;
    const name = vm.builtinNames.get(o);
    if (name === undefined) return undefined;
    if (cls === mdClass) {   // method_get_doc & co.: __name__, __qualname__ 'str.lower', __objclass__
      if (attr === '__name__') return vm.newStr(name);
      if (attr === '__qualname__') return vm.newStr(`${vm.descrOf.get(o)}.${name}`);
      if (attr === '__objclass__') return vm.incref(vm.objclassOf.get(o));
      return undefined;
    }
    const self = vm.boundSelf.get(o);
    const bound = self !== undefined && !vm.isModule(self);
    if (attr === '__name__') return vm.newStr(name);
    if (attr === '__qualname__') return vm.newStr(bound ? `${vm.typeName(self)}.${name}` : name);
    if (attr === '__self__' && bound) return vm.incref(self);
    return undefined;
  };
  vm.moduleLoaders = new Map([
    ['tracemalloc', () => loadTracemalloc(vm)],
    ['memory_profiler', () => loadMemoryProfiler(vm)],
    ['objgraph', () => loadObjgraph(vm)],
    ['gc', () => loadGc(vm)],
    ['weakref', () => loadWeakref(vm)],
  ]);
  // _PyGC_Init: gc.garbage and gc.callbacks exist from start-up (the core makes them on first use)
  vm.decref(vm.check(raw.gc_garbage(h)));
  vm.decref(vm.check(raw.gc_callbacks(h)));

  // time: the clocks the benchmarks read (workloads.md §0: perf_counter_ns, a
  // monotonic clock). Node's hrtime is CLOCK_MONOTONIC, as perf_counter is on
  // Linux; in a browser performance.now().
  const monoNs = globalThis.process?.hrtime?.bigint
    ? () => Number(process.hrtime.bigint())
    : () => Math.round(performance.now() * 1e6);
  const noArgs = (name, args) => {
    if (args.length) throw err('TypeError', `time.${name}() takes no arguments (${args.length} given)`);
  };
  module('time', {
    perf_counter_ns: (args) => { noArgs('perf_counter_ns', args); return vm.newInt(monoNs()); },
    monotonic_ns: (args) => { noArgs('monotonic_ns', args); return vm.newInt(monoNs()); },
    perf_counter: (args) => { noArgs('perf_counter', args); return vm.check(raw.float_new(h, monoNs() / 1e9)); },
    time: (args) => { noArgs('time', args); return vm.check(raw.float_new(h, Date.now() / 1e3)); },
  });
}
