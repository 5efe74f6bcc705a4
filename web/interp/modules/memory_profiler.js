// memory_profiler.js — `from memory_profiler import profile, memory_usage`
// for the interpreter: memory_profiler 0.61's @profile line report and
// memory_usage(), measuring the model process instead of a real one.
//
// Memory (what the real tool reads as the process RSS) is the model
// process footprint: BASELINE_MIB plus the bytes the private heap holds
// from its page source (mapped arenas and large blocks, pm_heap_stats
// footprint), in MiB (2^20 bytes). BASELINE_MIB stands for the interpreter
// itself (CPython 3.11 with memory_profiler imported resides in about 20
// MiB). So increments are exact and deterministic: they move in whole
// arenas (1 MiB) and large blocks, not in noisy pages.
//
// @profile follows LineProfiler.trace_memory_usage and CodeMap.trace over
// the VM's frame events ('call' when a frame starts or a generator resumes,
// 'return' when it returns, yields or unwinds) and line events, for the
// profiled call's frame and every frame of a code object nested in it
// (generator expressions, inner functions, lambdas): on each line event the
// memory is sampled and charged to the line that was running (its increment
// adds memory minus the previous line's maximum; "Mem usage" keeps the
// maximum), and again at each return; the first row (the decorator line,
// co_firstlineno) shows the memory at the first sample. show_results prints
// the block from the decorator line to the end of the function.
// Differences: the 'return' sample is taken after the frame released its
// locals (CPython samples just before); a recursive call of the profiled
// function is not traced by the outer call (it runs through the wrapper
// and prints its own report); list/dict/set comprehensions are inlined
// (3.12), so they add no nested-code occurrences as 3.11's do; the wrapper
// keeps its own __name__ (functions take no attribute assignment in the
// subset, so functools.wraps is not applied); the path printed is
// co_filename as the interpreter has it.
//
// memory_usage((f, args, kw)) samples at the call, at every line event
// while f runs (the model's clock: one sample per executed line, instead
// of one per `interval` seconds) and at its return; memory_usage(-1)
// returns one sample of the current footprint (`timeout`: round(timeout /
// interval) samples).

import { libraryModule, converters } from './common.js';

export const FILENAME = '/pyheap/lib/memory_profiler.py';
export const BASELINE_MIB = 20;

const MODULE_SOURCE = `\
# memory_profiler for pyheap: the decorator and memory_usage; the
# measuring is done in JavaScript (web/interp/modules/memory_profiler.js).

def profile(func=None, stream=None, precision=1, backend='psutil'):
    if func is not None:
        def wrapper(*args, **kwargs):
            return _mp.run_profiled(func, args, kwargs, stream, precision)
        return wrapper
    else:
        def inner_wrapper(f):
            return profile(f, stream=stream, precision=precision, backend=backend)
        return inner_wrapper

def memory_usage(proc=-1, interval=.1, timeout=None, timestamps=False, include_children=False,
                 multiprocess=False, max_usage=False, retval=False, stream=None, backend=None,
                 max_iterations=None):
    return _mp.memory_usage(proc, interval, timeout, max_usage, retval)
`;

/** Python's format(x, '{width}.{precision}f'): exact decimal rounding, ties to even. */
export function formatFixed(x, precision, width) {
  const neg = x < 0 || Object.is(x, -0);
  const digits = Math.abs(x).toFixed(100);            // the exact binary value, 100 decimals
  const [ip, fp] = digits.split('.');
  let n = BigInt(ip + fp.slice(0, precision));
  const rest = fp.slice(precision);
  const half = rest[0] > '5' || (rest[0] === '5' && /[1-9]/.test(rest.slice(1)));
  const tie = rest[0] === '5' && !/[1-9]/.test(rest.slice(1));
  if (half || (tie && n % 2n === 1n)) n += 1n;
  let s = n.toString().padStart(precision + 1, '0');
  if (precision) s = `${s.slice(0, -precision)}.${s.slice(-precision)}`;
  return `${neg ? '-' : ''}${s}`.padStart(width);
}

/** The lines of a function's source block from its decorator line (inspect.getsourcelines). */
export function sourceBlock(lines, first) {
  let i = first - 1;
  while (i < lines.length && !/^\s*(async\s+)?def\b/.test(lines[i])) i++;
  const indent = (lines[i] ?? '').length - (lines[i] ?? '').trimStart().length;
  let last = i;
  for (let j = i + 1; j < lines.length; j++) {
    const t = lines[j].trim();
    if (!t || t.startsWith('#')) continue;
    if (lines[j].length - lines[j].trimStart().length <= indent) break;
    last = j;
  }
  return { start: first, end: last + 1 };
}

/** Loads the module on a VM: the module, a new reference. */
export function loadMemoryProfiler(vm) {
  const raw = vm.raw, h = vm.h;
  const c = converters(vm);
  const { err, isNone, toInt, fromJs } = c;
  const memory = () => BASELINE_MIB + raw.readStats(raw.stats(h)).footprint / 2 ** 20;

  /** Calls fn(*args, **kw) (args a sequence, kw a dict or None): its result, a new reference. */
  const callWith = (fn, args, kw) => {
    const pos = isNone(args) ? [] : vm.lib.collect(args);
    const names = [], vals = [];
    if (!isNone(kw)) {
      for (const k of vm.keysOf(kw)) {
        names.push(vm.incref(k));
        vals.push(vm.check(raw.dict_getitem(h, kw, k)));
        vm.decref(k);
      }
    }
    const kwnames = names.length ? c.tupleOf(names) : 0;
    try {
      return vm.callObject(vm.incref(fn), [...pos, ...vals], kwnames);
    } finally { if (kwnames) vm.decref(kwnames); }
  };

  /** Runs fn with a line listener; listener(f, line) sees every line event meanwhile. */
  const withLines = (listener, body) => {
    const remove = vm.addLineListener(listener);
    try { return body(); } finally { remove(); }
  };

  const write = (stream, text) => {
    if (isNone(stream)) { vm.out(text); return; }
    const w = c.attr(stream, 'write');
    if (!w) throw err('AttributeError', `'${vm.typeName(stream)}' object has no attribute 'write'`);
    vm.decref(vm.callObject(w, [vm.newStr(text)], 0));
  };

  const funcCodeOf = (fn) => {
    if (vm.typeId(fn) !== c.T.function) throw err('TypeError', `profile: expected a function, got '${vm.typeName(fn)}'`);
    return vm.funcCode(fn);
  };

  const report = (code, table, precision) => {
    const filename = code.filename ?? vm.filename;
    const lines = code.sourceLines ?? vm.sourceLines;
    const { start, end } = sourceBlock(lines, code.firstlineno);
    const row = (a, b, cc, d, e) => `${String(a).padStart(6)} ${String(b).padStart(12)} ${String(cc).padStart(12)}  ${String(d).padStart(10)}   ${e}`;
    const header = row('Line #', 'Mem usage', 'Increment', 'Occurrences', 'Line Contents');
    let out = `Filename: ${filename}\n\n${header}\n${'='.repeat(header.length)}\n`;
    const mib = (x) => `${formatFixed(x, precision, precision + 4)} MiB`;
    for (let ln = start; ln <= end; ln++) {
      const m = table.get(ln);
      const text = `${lines[ln - 1] ?? ''}${ln <= lines.length ? '\n' : ''}`;
      out += m ? row(ln, mib(m[1]), mib(m[0]), m[2], text) : row(ln, '', '', '', text);
    }
    return `${out}\n\n`;
  };

  const fns = {
    run_profiled: ([fn, args, kw, stream, prec]) => {
      const code = funcCodeOf(fn);
      const precision = toInt(prec);
      const codes = new Set();   // CodeMap.add: the function's code and the code objects nested in it
      const addCode = (cd) => { codes.add(cd); for (const k of cd.consts) if (k.t === 'code') addCode(k.v); };
      addCode(code);
      const table = new Map();   // line -> [increment, max memory, occurrences] (CodeMap)
      let prevLineno = null;
      const traceLine = (lineno) => {   // CodeMap.trace
        const mem = memory();
        const prev = table.get(lineno);
        const prevLine = prevLineno !== null ? table.get(prevLineno) : undefined;
        table.set(lineno, [(prev ? prev[0] : 0) + (mem - (prevLine ? prevLine[1] : 0)),
          Math.max(mem, prev ? prev[1] : 0), (prev ? prev[2] : 0) + 1]);
      };
      // trace_memory_usage: 'call' pushes the frame's line, 'line' charges the
      // line that ran, 'return' (also a yield) charges the last line and pops
      const base = vm.frames.length;   // the profiled call's frame will be vm.frames[base]
      const stack = [];                // [frame, its current line] (prevlines)
      const resumeLine = new Map();    // a suspended generator frame -> its line
      const mine = (f) => codes.has(f.code) && (f.code !== code || vm.frames[base] === f);
      const onFrame = (f, ev) => {
        if (!mine(f)) return;
        if (ev === 'call') { stack.push([f, resumeLine.get(f) ?? f.code.firstlineno]); return; }
        const [, line] = stack.pop();
        resumeLine.set(f, line);
        traceLine(line);
        prevLineno = line;
      };
      const onLine = (f, line) => {
        const top = stack[stack.length - 1];
        if (!top || top[0] !== f) return;
        traceLine(top[1]);
        prevLineno = top[1];
        top[1] = line;
      };
      const removeFrames = vm.addFrameListener(onFrame);
      let result;
      try {
        result = withLines(onLine, () => callWith(fn, args, kw));
      } finally { removeFrames(); }
      if (table.size) write(stream, report(code, table, precision));
      return result;
    },
    memory_usage: ([proc, interval, timeout, maxUsage, retval]) => {
      const samples = [];
      let returned = 0;
      const tid = vm.typeId(proc);
      if (tid === c.T.tuple || tid === c.T.list || tid === c.T.function) {
        let f = proc, args = 0, kw = 0;
        if (tid !== c.T.function) {
          const parts = vm.lib.collect(proc);
          try {
            if (parts.length < 1 || parts.length > 3) throw err('ValueError', '');
            [f, args = 0, kw = 0] = parts;
            returned = runSampled(f, args, kw, samples);
          } finally { for (const x of parts) vm.decref(x); }
        } else {
          returned = runSampled(f, 0, 0, samples);
        }
      } else {
        const n = isNone(timeout) ? 1 : Math.max(1, Math.round(Number(fromPy(timeout)) / Number(fromPy(interval))));
        for (let i = 0; i < n; i++) samples.push(memory());
      }
      const float = (x) => vm.check(raw.float_new(h, x));
      let res = vm.truth(maxUsage) ? float(Math.max(...samples)) : c.listOf(samples.map(float));
      if (vm.truth(retval)) res = c.tupleOf([res, returned || vm.incref(vm.none)]);
      else if (returned) vm.decref(returned);
      return res;
    },
  };
  const fromPy = (o) => (vm.typeId(o) === c.T.float ? raw.float_value(h, o) : toInt(o));
  const runSampled = (f, args, kw, samples) => {
    samples.push(memory());
    const r = withLines(() => { samples.push(memory()); }, () => callWith(f, args, kw));
    samples.push(memory());
    return r;
  };

  return libraryModule(vm, { name: 'memory_profiler', filename: FILENAME, source: MODULE_SOURCE, privateName: '_mp', fns }).mod;
}
