// weakref.js — `import weakref` for the interpreter: CPython 3.12's
// weakref module (Lib/weakref.py, Lib/_weakrefset.py over
// Objects/weakrefobject.c).
//
// ref (= ReferenceType), proxy, getweakrefcount and getweakrefs are the
// core's (core/src/weakrefobject.h): callbacks run through the host hook
// pyheap.call, newest first, as 3.12 runs them. WeakValueDictionary,
// WeakKeyDictionary, WeakSet and finalize are the small Python source
// below, run by the VM at import, over a private module `_w` of JavaScript
// helpers (the subset has no f(*args, **kwargs) calls and no properties).
//
// Differences from 3.12, by design of the subset:
// - WeakValueDictionary holds plain refs (3.12: KeyedRef, a ref subclass
//   with a `key` slot); the dead entry is found by identity.
// - Removal happens at once, also while iterating (3.12 defers it with
//   _IterationGuard); keys()/values()/items() iterate over a snapshot.
// - WeakMethod is a class of its own over two refs (3.12: a ref subclass),
//   so isinstance(wm, weakref.ref) is False and its repr is an instance's.
// - finalize.alive and finalize.atexit are instance attributes kept up to
//   date (3.12: properties over the class registry).

import { libraryModule, converters } from './common.js';
import { USER_TYPE } from '../vm.js';

export const FILENAME = '/pyheap/lib/weakref.py';

const MODULE_SOURCE = `\
# weakref for pyheap: the mappings, WeakSet and finalize of Lib/weakref.py
# and Lib/_weakrefset.py, over the core's weak references.
ref = _w.ref
ReferenceType = _w.ref
ProxyType = _w.ProxyType
CallableProxyType = _w.CallableProxyType
ProxyTypes = (ProxyType, CallableProxyType)
proxy = _w.proxy
getweakrefcount = _w.getweakrefcount
getweakrefs = _w.getweakrefs


class WeakMethod:
    def __init__(self, meth, callback=None):
        obj, func = _w.method_parts(meth)
        self_wr = None
        def _cb(arg):
            self = self_wr()
            if self is not None and self._alive:
                self._alive = False
                if callback is not None:
                    callback(self)
        self._obj_ref = ref(obj, _cb)
        self._func_ref = ref(func, _cb)
        self._alive = True
        self_wr = ref(self)

    def __call__(self):
        obj = self._obj_ref()
        func = self._func_ref()
        if obj is None or func is None:
            return None
        return _w.method_new(func, obj)

    def __eq__(self, other):
        if isinstance(other, WeakMethod):
            if not self._alive or not other._alive:
                return self is other
            return self._obj_ref == other._obj_ref and self._func_ref == other._func_ref
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, WeakMethod):
            if not self._alive or not other._alive:
                return self is not other
            return self._obj_ref != other._obj_ref or self._func_ref != other._func_ref
        return NotImplemented

    def __hash__(self):
        return hash(self._obj_ref)


class WeakValueDictionary:
    def __init__(self, other=(), **kw):
        self.data = {}
        def remove(wr, selfref=ref(self)):
            self = selfref()
            if self is not None:
                _w.remove_value(self.data, wr)
        self._remove = remove
        self._update(other)
        self._update(kw)

    def __getitem__(self, key):
        o = self.data[key]()
        if o is None:
            raise KeyError(key)
        return o

    def __delitem__(self, key):
        del self.data[key]

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        try:
            o = self.data[key]()
        except KeyError:
            return False
        return o is not None

    def __repr__(self):
        return '<WeakValueDictionary at ' + _w.hexid(self) + '>'

    def __setitem__(self, key, value):
        self.data[key] = ref(value, self._remove)

    def copy(self):
        new = WeakValueDictionary()
        for key, wr in list(self.data.items()):
            o = wr()
            if o is not None:
                new[key] = o
        return new

    def get(self, key, default=None):
        try:
            wr = self.data[key]
        except KeyError:
            return default
        o = wr()
        if o is None:
            return default
        return o

    def items(self):
        for k, wr in list(self.data.items()):
            v = wr()
            if v is not None:
                yield k, v

    def keys(self):
        for k, wr in list(self.data.items()):
            if wr() is not None:
                yield k

    def __iter__(self):
        for k, wr in list(self.data.items()):
            if wr() is not None:
                yield k

    def itervaluerefs(self):
        for wr in list(self.data.values()):
            yield wr

    def values(self):
        for wr in list(self.data.values()):
            obj = wr()
            if obj is not None:
                yield obj

    def popitem(self):
        while True:
            if not self.data:
                raise KeyError('popitem(): dictionary is empty')
            key = list(self.data.keys())[-1]
            wr = self.data.pop(key)
            o = wr()
            if o is not None:
                return key, o

    def pop(self, key, *args):
        try:
            o = self.data.pop(key)()
        except KeyError:
            o = None
        if o is None:
            if args:
                return args[0]
            else:
                raise KeyError(key)
        else:
            return o

    def setdefault(self, key, default=None):
        try:
            o = self.data[key]()
        except KeyError:
            o = None
        if o is None:
            self.data[key] = ref(default, self._remove)
            return default
        else:
            return o

    def _update(self, other):
        for key, o in _w.pairs(other):
            self.data[key] = ref(o, self._remove)

    def update(self, other=None, **kwargs):
        if other is not None:
            self._update(other)
        self._update(kwargs)

    def valuerefs(self):
        return list(self.data.values())


class WeakKeyDictionary:
    def __init__(self, dict=None):
        self.data = {}
        def remove(k, selfref=ref(self)):
            self = selfref()
            if self is not None:
                try:
                    del self.data[k]
                except KeyError:
                    pass
        self._remove = remove
        if dict is not None:
            self.update(dict)

    def __delitem__(self, key):
        del self.data[ref(key)]

    def __getitem__(self, key):
        return self.data[ref(key)]

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return '<WeakKeyDictionary at ' + _w.hexid(self) + '>'

    def __setitem__(self, key, value):
        self.data[ref(key, self._remove)] = value

    def copy(self):
        new = WeakKeyDictionary()
        for key, value in list(self.data.items()):
            o = key()
            if o is not None:
                new[o] = value
        return new

    def get(self, key, default=None):
        return self.data.get(ref(key), default)

    def __contains__(self, key):
        try:
            wr = ref(key)
        except TypeError:
            return False
        return wr in self.data

    def items(self):
        for wr, value in list(self.data.items()):
            key = wr()
            if key is not None:
                yield key, value

    def keys(self):
        for wr in self.data:
            obj = wr()
            if obj is not None:
                yield obj

    def __iter__(self):
        for wr in self.data:
            obj = wr()
            if obj is not None:
                yield obj

    def values(self):
        for wr, value in list(self.data.items()):
            if wr() is not None:
                yield value

    def keyrefs(self):
        return list(self.data)

    def popitem(self):
        while True:
            key = list(self.data.keys())[-1]
            value = self.data.pop(key)
            o = key()
            if o is not None:
                return o, value

    def pop(self, key, *args):
        if args:
            return self.data.pop(ref(key), args[0])
        return self.data.pop(ref(key))

    def setdefault(self, key, default=None):
        return self.data.setdefault(ref(key, self._remove), default)

    def update(self, dict=None, **kwargs):
        if dict is not None:
            for key, value in _w.pairs(dict):
                self.data[ref(key, self._remove)] = value
        for key, value in _w.pairs(kwargs):
            self.data[ref(key, self._remove)] = value


class WeakSet:
    __module__ = '_weakrefset'

    def __init__(self, data=None):
        self.data = set()
        def _remove(item, selfref=ref(self)):
            self = selfref()
            if self is not None:
                self.data.discard(item)
        self._remove = _remove
        if data is not None:
            self.update(data)

    def __iter__(self):
        for itemref in list(self.data):
            item = itemref()
            if item is not None:
                yield item

    def __len__(self):
        return len(self.data)

    def __contains__(self, item):
        try:
            wr = ref(item)
        except TypeError:
            return False
        return wr in self.data

    def add(self, item):
        self.data.add(ref(item, self._remove))

    def clear(self):
        for wr in list(self.data):
            self.data.discard(wr)

    def copy(self):
        return WeakSet(self)

    def pop(self):
        while True:
            if not self.data:
                raise KeyError('pop from empty WeakSet')
            itemref = list(self.data)[0]
            self.data.discard(itemref)
            item = itemref()
            if item is not None:
                return item

    def remove(self, item):
        self.data.remove(ref(item))

    def discard(self, item):
        self.data.discard(ref(item))

    def update(self, other):
        for element in other:
            self.add(element)

    def __repr__(self):
        return repr(self.data)


class _Info:
    pass


class finalize:
    _registry = {}
    _shutdown = False
    _index = 0
    _dirty = False
    _registered_with_atexit = False

    def __init__(self, obj, func, *args, **kwargs):
        if not finalize._registered_with_atexit:
            _w.atexit(_exitfunc)
            finalize._registered_with_atexit = True
        info = _Info()
        info.weakref = ref(obj, self)
        info.func = func
        info.args = args
        info.kwargs = kwargs or None
        info.index = finalize._index
        finalize._index += 1
        self.alive = True
        self.atexit = True
        self._registry[self] = info
        finalize._dirty = True

    def __call__(self, _=None):
        info = self._registry.pop(self, None)
        if info is not None:
            self.alive = False
            if not self._shutdown:
                return _w.call(info.func, info.args, info.kwargs)

    def detach(self):
        info = self._registry.get(self)
        obj = info and info.weakref()
        if obj is not None and self._registry.pop(self, None):
            self.alive = False
            return (obj, info.func, info.args, info.kwargs or {})

    def peek(self):
        info = self._registry.get(self)
        obj = info and info.weakref()
        if obj is not None:
            return (obj, info.func, info.args, info.kwargs or {})

    def __repr__(self):
        info = self._registry.get(self)
        obj = info and info.weakref()
        if obj is None:
            return '<finalize object at ' + _w.hexid(self) + '; dead>'
        return '<finalize object at ' + _w.hexid(self) + '; for ' + repr(_w.typename(obj)) + ' at ' + _w.hexid(obj) + '>'


def _select_for_exit():
    L = [(i.index, f) for (f, i) in finalize._registry.items() if f.atexit]
    L.sort()
    return [f for (n, f) in L]


def _exitfunc():
    reenable_gc = False
    try:
        if finalize._registry:
            if _w.gc_isenabled():
                reenable_gc = True
                _w.gc_enable(False)
            pending = None
            while True:
                if pending is None or finalize._dirty:
                    pending = _select_for_exit()
                    finalize._dirty = False
                if not pending:
                    break
                f = pending.pop()
                try:
                    f()
                except Exception as e:
                    _w.excepthook(e)
    finally:
        finalize._shutdown = True
        if reenable_gc:
            _w.gc_enable(True)
`;

/** Loads the module on a VM: the module, a new reference. */
export function loadWeakref(vm) {
  const raw = vm.raw, h = vm.h;
  const c = converters(vm);
  const { err, T, listOf, tupleOf } = c;
  const typeObj = (name) => vm.incref(vm.typeOf[T[name]]);

  const exactlyOne = (name, args) => {
    if (args.length !== 1) throw err('TypeError', `_weakref.${name}() takes exactly one argument (${args.length} given)`);
  };
  /** PyCallable_Check, for proxy(): CallableProxyType or ProxyType. */
  const isCallable = (o) => {
    const t = vm.typeId(o);
    return t === T.function || t === T.method || t === T.type || t === T['weakref.CallableProxyType']
      || vm.builtinFns.has(o) || (t === USER_TYPE && !!vm.lookupSpecial(o, '__call__'));
  };
  const cbArg = (o) => (o === undefined || o === vm.none ? 0 : o);

  // weakref.ref(ob[, callback]): weakref___new__'s argument checks
  vm.typeCtors.set('weakref.ReferenceType', (args, kw) => {
    if (kw.length) throw err('TypeError', 'ref() takes no keyword arguments');
    if (args.length < 1) throw err('TypeError', `__new__ expected at least 1 argument, got ${args.length}`);
    if (args.length > 2) throw err('TypeError', `__new__ expected at most 2 arguments, got ${args.length}`);
    return vm.check(raw.weakref_new(h, args[0], cbArg(args[1])));
  });

  const fns = {
    proxy: (args, kw) => {
      if (kw.length) throw err('TypeError', 'proxy() takes no keyword arguments');
      if (args.length < 1 || args.length > 2) {
        throw err('TypeError', `proxy expected ${args.length < 1 ? 'at least 1 argument' : 'at most 2 arguments'}, got ${args.length}`);
      }
      return vm.check(raw.weakref_proxy(h, args[0], cbArg(args[1]), isCallable(args[0]) ? 1 : 0));
    },
    getweakrefcount: (args) => { exactlyOne('getweakrefcount', args); return vm.newInt(vm.checkStatus(raw.weakref_getweakrefcount(h, args[0]))); },
    getweakrefs: (args) => { exactlyOne('getweakrefs', args); return vm.check(raw.weakref_getweakrefs(h, args[0])); },
    /** Deletes the entry of dict d whose value is wr (a WeakValueDictionary's dead ref). */
    remove_value: (args) => {
      const [d, wr] = args;
      for (const k of vm.keysOf(d)) {
        const v = raw.dict_getitem(h, d, k);
        vm.decref(v);
        if (v === wr) raw.dict_delitem(h, d, k);
        vm.decref(k);
        if (v === wr) break;
      }
      return vm.incref(vm.none);
    },
    /** (key, value) pairs of a dict, a mapping with items(), or an iterable of pairs: a list of tuples. */
    pairs: (args) => {
      const o = args[0];
      if (vm.typeId(o) === T.dict) {
        return listOf(vm.keysOf(o).map((k) => {
          const v = raw.dict_getitem(h, o, k);
          return tupleOf([k, v]);
        }));
      }
      if (vm.typeId(o) === USER_TYPE && vm.lookupSpecial(o, 'items')) {
        const items = vm.getAttr(o, 'items');
        const it = vm.callObject(items, [], 0);
        try { return listOf(vm.lib.collect(it)); } finally { vm.decref(it); }
      }
      return listOf(vm.lib.collect(o));
    },
    /** func(*args, **kwargs) with args a tuple and kwargs a dict or None. */
    call: (args) => {
      const [func, pos, kwd] = args;
      const items = vm.lib.collect(pos);
      let kwnames = 0;
      if (kwd !== vm.none) {
        const keys = vm.keysOf(kwd);
        for (const k of keys) items.push(raw.dict_getitem(h, kwd, k));
        if (keys.length) kwnames = tupleOf(keys);
      }
      try { return vm.callObject(vm.incref(func), items, kwnames); } finally { vm.decref(kwnames); }
    },
    /** (__self__, __func__) of a bound method, or TypeError as WeakMethod.__new__'s. */
    method_parts: (args) => {
      const m = args[0];
      if (vm.typeId(m) !== T.method) throw err('TypeError', `argument should be a bound method, not ${vm.toRepr(raw.vm_type(m))}`);
      return tupleOf([vm.check(raw.method_get(h, m, 1)), vm.check(raw.method_get(h, m, 0))]);
    },
    method_new: (args) => vm.check(raw.method_new(h, args[0], args[1])),
    hexid: (args) => vm.newStr(`0x${args[0].toString(16)}`),
    typename: (args) => vm.newStr(vm.typeName(args[0])),
    atexit: (args) => {
      const fn = vm.incref(args[0]);
      (vm.atexit ??= []).push(() => vm.inHost(fn, () => vm.decref(vm.callObject(vm.incref(fn), [], 0))));
      return vm.incref(vm.none);
    },
    gc_isenabled: () => vm.bool(raw.gc_isenabled(h) === 1),
    gc_enable: (args) => { raw.gc_enable(h, vm.truth(args[0]) ? 1 : 0); return vm.incref(vm.none); },
    /** sys.excepthook(*sys.exc_info()): the traceback on stderr. */
    excepthook: (args) => { vm.err(vm.formatException(args[0])); return vm.incref(vm.none); },
  };
  const privateAttrs = {
    ref: typeObj('weakref.ReferenceType'),
    ProxyType: typeObj('weakref.ProxyType'),
    CallableProxyType: typeObj('weakref.CallableProxyType'),
  };
  const made = libraryModule(vm, { name: 'weakref', filename: FILENAME, source: MODULE_SOURCE, privateName: '_w', fns, privateAttrs });
  return made.mod;
}
