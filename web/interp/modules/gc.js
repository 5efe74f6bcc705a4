// gc.js — `import gc` for the interpreter: CPython 3.12's gc module
// (Modules/gcmodule.c) over the core's collector (core/src/gc.h through
// the pmw_gc_* exports).
//
// The argument checks and their messages are those of gcmodule.c's
// Argument Clinic wrappers (gc_collect, gc_set_threshold, gc_get_objects,
// ...). gc.garbage and gc.callbacks are the core's lists, so the collector
// itself appends to the one and calls the other (through the host hook
// pyheap.call, vm.hostCall).
//
// Debug output (gc.set_debug) goes to the core's stderr sink, standing for
// sys.stderr; the VM copies it to its stderr (vm.gcFlush) after a
// collection and before anything else is written, so it appears in order
// with the program's own output, as PySys_WriteStderr's lines do.

import { converters } from './common.js';
import { PyException } from '../vm.js';

const DEBUG = { DEBUG_STATS: 1, DEBUG_COLLECTABLE: 2, DEBUG_UNCOLLECTABLE: 4, DEBUG_SAVEALL: 32, DEBUG_LEAK: 38 };
const INT_MAX = 2 ** 31 - 1, INT_MIN = -(2 ** 31);

/** Sets up the sink copy on a VM (once): vm.gcFlush, and out/err that flush first. */
export function installGcStderr(vm) {
  if (vm.gcFlush) return;
  const raw = vm.raw, h = vm.h;
  const out = vm.out, errOut = vm.err;
  vm.gcFlush = () => {
    const n = raw.gc_stderr_len(h);
    if (!n) return;
    const text = raw.text(raw.gc_stderr(h), n);
    raw.gc_stderr_clear(h);
    errOut(text);
  };
  vm.out = (s) => { if (vm.gcDebug) vm.gcFlush(); out(s); };
  vm.err = (s) => { if (vm.gcDebug) vm.gcFlush(); errOut(s); };
}

/** Loads the module on a VM: the module, a new reference. */
export function loadGc(vm) {
  const raw = vm.raw, h = vm.h;
  const c = converters(vm);
  const { err, T } = c;
  installGcStderr(vm);
  vm.gcDebug = raw.gc_get_debug(h) !== 0;

  const noArgs = (name, fn) => (args) => {
    if (args.length) throw err('TypeError', `gc.${name}() takes no arguments (${args.length} given)`);
    return fn();
  };
  const oneArg = (name, fn) => (args, kw) => {
    if (args.length !== 1 || kw.length) {
      if (kw.length) throw err('TypeError', `gc.${name}() takes no keyword arguments`);
      throw err('TypeError', `gc.${name}() takes exactly one argument (${args.length} given)`);
    }
    return fn(args[0]);
  };
  /** An int argument as a C int (_PyLong_AsInt): TypeError for a non-int, OverflowError outside int32. */
  const cInt = (o) => {
    const tid = vm.typeId(o);
    if (tid !== T.int && tid !== T.bool) throw err('TypeError', `'${vm.typeName(o)}' object cannot be interpreted as an integer`);
    const v = raw.vm_int_value(h, o);
    if (v > INT_MAX) throw err('OverflowError', 'signed integer is greater than maximum');
    if (v < INT_MIN) throw err('OverflowError', 'signed integer is less than minimum');
    return v;
  };
  /** A list of objects as the core's transfer-buffer array. */
  const objArray = (objs) => {
    const p = raw.obj_scratch(h);
    raw.writeU32s(p, objs);
    return p;
  };
  const afterCollect = () => { if (vm.gcDebug) vm.gcFlush(); };

  const fns = {
    // gc_collect_impl: collect(generation=2)
    collect: (args, kw) => {
      const npos = args.length - kw.length;
      if (args.length > 1) throw err('TypeError', `collect() takes at most 1 argument (${args.length} given)`);
      if (kw.length && kw[0] !== 'generation') throw err('TypeError', `collect() got an unexpected keyword argument '${kw[0]}'`);
      const gen = npos || kw.length ? cInt(args[0]) : 2;
      const n = raw.gc_collect(h, gen);
      afterCollect();
      if (n < 0) throw new PyException(vm.coreError());
      return vm.newInt(n);
    },
    enable: noArgs('enable', () => { raw.gc_enable(h, 1); return vm.none; }),
    disable: noArgs('disable', () => { raw.gc_enable(h, 0); return vm.none; }),
    isenabled: noArgs('isenabled', () => vm.bool(raw.gc_isenabled(h) === 1)),
    get_count: noArgs('get_count', () => vm.check(raw.gc_get_count_tuple(h))),
    get_threshold: noArgs('get_threshold', () => vm.check(raw.gc_get_threshold_tuple(h))),
    // gc_set_threshold: set_threshold(threshold0[, threshold1[, threshold2]])
    set_threshold: (args, kw) => {
      if (kw.length) throw err('TypeError', 'set_threshold() takes no keyword arguments');
      if (args.length < 1) throw err('TypeError', `set_threshold() takes at least 1 argument (${args.length} given)`);
      if (args.length > 3) throw err('TypeError', `set_threshold() takes at most 3 arguments (${args.length} given)`);
      // PyArg_ParseTuple stores each threshold as it converts it: the ones
      // before a bad argument are set
      const v = [];
      try {
        for (const a of args) v.push(cInt(a));
      } finally {
        if (v.length) vm.checkStatus(raw.gc_set_threshold(h, v[0], v[1] ?? 0, v[2] ?? 0, v.length));
      }
      return vm.none;
    },
    get_stats: noArgs('get_stats', () => vm.check(raw.gc_get_stats_list(h))),
    // gc_get_objects_impl: generation None (= -1) for all
    get_objects: (args, kw) => {
      if (args.length > 1) throw err('TypeError', `get_objects() takes at most 1 argument (${args.length} given)`);
      if (kw.length && kw[0] !== 'generation') throw err('TypeError', `get_objects() got an unexpected keyword argument '${kw[0]}'`);
      let gen = -1;
      if (args.length && args[0] !== vm.none) {
        const tid = vm.typeId(args[0]);
        if (tid !== T.int && tid !== T.bool) throw err('TypeError', `argument should be integer or None, not '${vm.typeName(args[0])}'`);
        gen = raw.vm_int_value(h, args[0]);
        if (gen >= 3) throw err('ValueError', 'generation parameter must be less than the number of available generations (3)');
        if (gen < -1) throw err('ValueError', 'generation parameter cannot be negative');
      }
      return vm.check(raw.gc_get_objects(h, gen));
    },
    get_referrers: (args, kw) => {
      if (kw.length) throw err('TypeError', 'get_referrers() takes no keyword arguments');
      return vm.check(raw.gc_get_referrers(h, objArray(args), args.length, 0));
    },
    get_referents: (args, kw) => {
      if (kw.length) throw err('TypeError', 'get_referents() takes no keyword arguments');
      return vm.check(raw.gc_get_referents(h, objArray(args), args.length));
    },
    is_tracked: oneArg('is_tracked', (o) => vm.bool(vm.checkStatus(raw.gc_is_tracked(h, o)) === 1)),
    is_finalized: oneArg('is_finalized', (o) => vm.bool(vm.checkStatus(raw.gc_is_finalized(h, o)) === 1)),
    freeze: noArgs('freeze', () => { vm.checkStatus(raw.gc_freeze(h)); return vm.none; }),
    unfreeze: noArgs('unfreeze', () => { vm.checkStatus(raw.gc_unfreeze(h)); return vm.none; }),
    get_freeze_count: noArgs('get_freeze_count', () => vm.newInt(vm.checkStatus(raw.gc_get_freeze_count(h)))),
    set_debug: oneArg('set_debug', (o) => {
      const flags = cInt(o);
      vm.checkStatus(raw.gc_set_debug(h, flags));
      vm.gcDebug = flags !== 0;
      return vm.none;
    }),
    get_debug: noArgs('get_debug', () => vm.newInt(raw.gc_get_debug(h))),
  };
  const attrs = {
    garbage: vm.check(raw.gc_garbage(h)),
    callbacks: vm.check(raw.gc_callbacks(h)),
  };
  for (const [k, v] of Object.entries(DEBUG)) attrs[k] = vm.newInt(v);
  const m = vm.lib.module('gc', fns, attrs);
  return vm.incref(m);
}
