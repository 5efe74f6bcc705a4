// common.js — what the tool modules (tracemalloc, memory_profiler,
// objgraph) share: a library module made of a small Python source (the
// classes, so their instances have real methods and attributes) over a
// private module of JavaScript functions, and conversions between the VM's
// objects and JavaScript values.

import { PyException } from '../vm.js';
import { TYPE_IDS } from '../../lib/raw.js';

const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));

/**
 * Makes module `name`: the JavaScript functions `fns` go into a private
 * module `_name` (with the objects `privateAttrs`, new references it takes)
 * that the Python `source` sees under `privateName`; the
 * source runs as file `filename`; every global it defines (classes,
 * functions) and every entry of `exports` (JavaScript functions exported
 * as they are) become the module's attributes. Returns the module (new
 * reference) and the globals dict (borrowed: the module keeps it alive
 * through its functions) for looking classes up.
 */
export function libraryModule(vm, { name, filename, source, privateName, fns, exports = {}, privateAttrs = {} }) {
  const priv = vm.lib.module(`_${name}`, fns, privateAttrs);
  vm.modules.delete(`_${name}`);
  const g = vm.runLibraryModule(source, filename, name, { [privateName]: priv });
  vm.decref(priv);
  const mod = vm.lib.module(name, exports);
  for (const k of vm.keysOf(g)) {
    const key = vm.text(k);
    if (key !== '__builtins__' && key !== privateName && !(key in exports)) {
      const v = vm.raw.dict_getitem(vm.h, g, k);
      vm.raw.vm_setattr(vm.h, mod, k, v);
      vm.decref(v);
    }
    vm.decref(k);
  }
  vm.modules.set(name, mod);
  const cls = (n) => {
    const c = vm.raw.dict_getitem(vm.h, g, vm.str(n));
    vm.decref(c);   // borrowed: the module holds it
    return c;
  };
  vm.decref(g);
  return { mod: vm.incref(mod), cls };
}

/**
 * An exception class of 3.12's hierarchy that the builtins do not make at
 * start-up (OSError and its subclasses), made on first use.
 */
export function lazyExcClass(vm, name) {
  const BASES = { OSError: 'Exception', FileNotFoundError: 'OSError' };
  if (!vm.excClasses.has(name)) {
    const base = lazyExcClass(vm, BASES[name] ?? 'Exception');
    const cls = vm.lib.newClass(name, base, 'builtins');
    vm.excClasses.set(name, cls);
    vm.raw.dict_setitem(vm.h, vm.builtinsDict, vm.str(name), cls);
  }
  return vm.excClasses.get(name);
}

/** JavaScript value helpers over a VM. */
export function converters(vm) {
  const raw = vm.raw, h = vm.h;
  const err = (type, msg) => {
    if (!vm.excClasses.has(type)) lazyExcClass(vm, type);
    return new PyException(vm.makeExc(type, msg));
  };
  const tid = (o) => vm.typeId(o);
  const isNone = (o) => !o || o === vm.none;
  const toInt = (o, what = 'an integer') => {
    if (tid(o) !== T.int && tid(o) !== T.bool) throw err('TypeError', `'${vm.typeName(o)}' object cannot be interpreted as ${what}`);
    return raw.vm_int_value(h, o);
  };
  /** A JS value as a new reference: number (int or float), string, boolean, null, arrays as lists. */
  const fromJs = (v) => {
    if (v === null || v === undefined) return vm.incref(vm.none);
    if (typeof v === 'boolean') return vm.bool(v);
    if (typeof v === 'number') return Number.isInteger(v) ? vm.newInt(v) : vm.check(raw.float_new(h, v));
    if (typeof v === 'string') return vm.newStr(v);
    if (Array.isArray(v)) return listOf(v.map(fromJs));
    if (typeof v === 'object' && v.addr) return vm.incref(v.addr);
    throw new Error(`fromJs: ${typeof v}`);
  };
  /** A list from new references (consumed). */
  const listOf = (items) => {
    const l = vm.list(items);
    for (const x of items) vm.decref(x);
    return l;
  };
  const tupleOf = (items) => {
    const t = vm.tuple(items);
    for (const x of items) vm.decref(x);
    return t;
  };
  /** A new instance of class cls (no __init__), with attributes from JS values / addresses. */
  const instance = (cls, attrs = {}) => {
    const o = vm.check(raw.instance_new(h, cls));
    for (const [k, v] of Object.entries(attrs)) {
      const x = typeof v === 'object' && v !== null && 'ref' in v ? v.ref : fromJs(v);
      const st = raw.vm_setattr(h, o, vm.str(k), x);
      vm.decref(x);
      if (st < 0) { vm.decref(o); throw new PyException(vm.coreError()); }
    }
    return o;
  };
  /** getattr(o, name) as a new reference, or 0 if missing. */
  const attr = (o, name) => {
    const r = raw.vm_getattr(h, o, vm.str(name));
    return r;
  };
  /** A str / int / None attribute as a JS value. */
  const attrJs = (o, name) => {
    const v = attr(o, name);
    if (!v) return undefined;
    try {
      if (v === vm.none) return null;
      if (tid(v) === T.str) return vm.text(v);
      if (tid(v) === T.int) return raw.vm_int_value(h, v);
      if (tid(v) === T.bool) return v === vm.true_;
      if (tid(v) === T.float) return raw.float_value(h, v);
      return vm.truth(v);
    } finally { vm.decref(v); }
  };
  /** Keyword arguments of a builtin call as a JS object name -> address (borrowed). */
  const kwargs = (args, kw) => Object.fromEntries(kw.map((k, i) => [k, args[args.length - kw.length + i]]));
  /** Positional or keyword argument i / name, or undefined. */
  const arg = (args, kw, i, name) => {
    const npos = args.length - kw.length;
    if (i < npos) return args[i];
    const j = kw.indexOf(name);
    return j < 0 ? undefined : args[npos + j];
  };
  /** Runs fn converting a JS-side Python error (PyheapError EPYTHON with pyType) into a PyException. */
  const pyErrors = (fn) => {
    try { return fn(); } catch (e) {
      if (e && e.pyType) throw err(e.pyType, e.pyMessage);
      throw e;
    }
  };
  return { T, err, tid, isNone, toInt, fromJs, listOf, tupleOf, instance, attr, attrJs, kwargs, arg, pyErrors };
}
