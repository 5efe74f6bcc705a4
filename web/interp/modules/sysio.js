// sysio.js — sys.stdout / sys.stderr (and sys.__stdout__ / __stderr__) and
// print()'s file handling (builtin_print_impl of Python/bltinmodule.c).
//
// The two streams are instances of a class `_io.TextIOWrapper` whose write /
// flush / writelines are builtin functions in the instance dict, bound to
// the VM's output callbacks (vm.out / vm.err, looked up at each call: the gc
// module wraps vm.out). Writing goes straight through: the order of the two
// streams is the order of the writes, as on an unbuffered terminal (the CLI
// and the session keep it).
//
// print() without file= writes to whatever sys.stdout is now (a program may
// replace it with its own object); to any object but the two streams it
// calls obj.write(text) once per argument, separator and end, as CPython does.

import { TYPE_IDS } from '../../lib/raw.js';

const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));

/** Adds stdout/stderr to the sys module `sys` and installs vm.print(args, kw). */
export function installSysIO(vm, sys) {
  const raw = vm.raw, h = vm.h;
  const { makeFn, newClass, kwArg, posArgs, err } = vm.lib;
  const cls = newClass('TextIOWrapper', 0, '_io');
  const streams = new Map();   // stream object -> { name, write(text) }

  const stream = (name, write) => {
    const o = vm.check(raw.instance_new(h, cls));
    streams.set(o, { name, write });
    const fns = {
      // TextIOWrapper.write: str only; returns the number of characters
      write: (args) => {
        vm.lib.nargs('write', args, 1);
        if (vm.typeId(args[0]) !== T.str) throw err('TypeError', `write() argument must be str, not ${vm.typeName(args[0])}`);
        const s = vm.text(args[0]);
        write(s);
        return vm.newInt([...s].length);
      },
      writelines: (args) => {
        vm.lib.nargs('writelines', args, 1);
        vm.lib.iterate(args[0], (x) => {
          if (vm.typeId(x) !== T.str) throw err('TypeError', `write() argument must be str, not ${vm.typeName(x)}`);
          write(vm.text(x));
        });
        return vm.none;
      },
      flush: (args) => { vm.lib.nargs('flush', args, 0); return vm.none; },
      isatty: (args) => { vm.lib.nargs('isatty', args, 0); return vm.false_; },
    };
    for (const [k, fn] of Object.entries(fns)) {
      const f = makeFn(fn);
      vm.builtinNames.set(f, k);
      vm.boundSelf.set(f, o);
      raw.vm_setattr(h, o, vm.str(k), f);
      vm.decref(f);
    }
    for (const [k, v] of [['name', `<${name}>`], ['mode', 'w'], ['encoding', 'utf-8']]) {
      const s = vm.newStr(v);
      raw.vm_setattr(h, o, vm.str(k), s);
      vm.decref(s);
    }
    for (const k of [name, `__${name}__`]) raw.vm_setattr(h, sys, vm.str(k), o);
    vm.decref(o);
    return o;
  };
  vm.stdoutObj = stream('stdout', (s) => vm.out(s));
  vm.stderrObj = stream('stderr', (s) => vm.err(s));

  /** repr of a stream: _io.TextIOWrapper's "<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>". */
  vm.streamRepr = (o) => {
    const s = streams.get(o);
    return s ? `<_io.TextIOWrapper name='<${s.name}>' mode='w' encoding='utf-8'>` : undefined;
  };

  const textArg = (o, what) => {
    if (!o || o === vm.none) return null;
    if (vm.typeId(o) !== T.str) throw err('TypeError', `${what} must be None or a string, not ${vm.typeName(o)}`);
    return vm.text(o);
  };
  const callMethod = (o, name, args) => {
    const m = vm.getAttr(o, name);
    return vm.callObject(m, args, 0);
  };

  // builtin_print_impl
  vm.print = (args, kw) => {
    for (const k of kw) {
      if (!['sep', 'end', 'file', 'flush'].includes(k)) throw err('TypeError', `'${k}' is an invalid keyword argument for print()`);
    }
    const pos = posArgs(args, kw);
    let file = kwArg(args, kw, 'file');
    if (!file || file === vm.none) {
      file = raw.vm_getattr(h, sys, vm.str('stdout'));
      if (!file) { throw err('RuntimeError', 'lost sys.stdout'); }
      vm.decref(file);   // borrowed: the sys module holds it
      if (file === vm.none) return vm.none;
    }
    const sep = textArg(kwArg(args, kw, 'sep'), 'sep') ?? ' ';
    const end = textArg(kwArg(args, kw, 'end'), 'end') ?? '\n';
    const flushO = kwArg(args, kw, 'flush');
    const s = streams.get(file);
    if (s) {
      s.write(pos.map((a) => vm.toStr(a)).join(sep) + end);
    } else {
      const put = (text) => vm.decref(callMethod(file, 'write', [vm.newStr(text)]));
      pos.forEach((a, i) => {
        if (i) put(sep);
        put(vm.toStr(a));
      });
      put(end);
    }
    if (flushO && vm.truth(flushO) && !s) vm.decref(callMethod(file, 'flush', []));
    return vm.none;
  };
}

