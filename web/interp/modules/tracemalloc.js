// tracemalloc.js — `import tracemalloc` for the interpreter: the module
// functions of CPython 3.12's tracemalloc on the core's tracing
// (core/src/tracemalloc.c), and Lib/tracemalloc.py's classes with the work
// done by web/lib/tracemalloc.js (grouping, sorting, filters, formats).
//
// Tracebacks: while tracing is on, the VM mirrors each running frame onto
// the core's frame stack and reports every new line to it
// (vm.setFrameMirror), so each traced block carries the file name and line
// of every active Python frame, as CPython's traceback_get_frames records
// them. Untraced programs pay nothing (the VM checks one flag per call).
//
// The classes are Python (MODULE_SOURCE below, run as FILENAME) so their
// instances have real methods and attributes; each method hands its
// instance to a JavaScript function of the private module `_tm`, which
// finds the JavaScript object behind it (`data`, keyed by address, set when
// the instance is made). Differences from CPython, by design:
// - Snapshot.traces holds no Python objects until indexed; take_snapshot
//   allocates one Snapshot and one _Traces instance (CPython builds a
//   tuple per trace), so traces of tracemalloc's own work differ.
// - get_tracemalloc_memory() is the core's bookkeeping, not CPython's.
// - Snapshot.dump(filename) / Snapshot.load(filename) use the VM's virtual
//   files (vm.files, as objgraph's .dot files) and JSON, not pickle on disk.

import {
  Snapshot as JsSnapshot, Filter as JsFilter, DomainFilter as JsDomainFilter, Traceback as JsTraceback,
  Frame as JsFrame, Trace as JsTrace, Traces as JsTraces, Statistic as JsStatistic, StatisticDiff as JsStatisticDiff,
  decodeBlob, linecache, snapshotOf,
} from '../../lib/tracemalloc.js';
import { libraryModule, converters } from './common.js';

export const FILENAME = '/pyheap/lib/tracemalloc.py';

const MODULE_SOURCE = `\
# tracemalloc for pyheap: Lib/tracemalloc.py's classes; the work is done in
# JavaScript (web/interp/modules/tracemalloc.js, web/lib/tracemalloc.js).

class _Shown:
    def __str__(self):
        return _tm.text(self, 0)
    def __repr__(self):
        return _tm.text(self, 1)

class _Ordered(_Shown):
    def __eq__(self, other):
        return _tm.equal(self, other)
    def __lt__(self, other):
        return _tm.less(self, other)
    def __hash__(self):
        return _tm.hash(self)

class Frame(_Ordered):
    pass

class Traceback(_Ordered):
    def __len__(self):
        return _tm.length(self)
    def __getitem__(self, index):
        return _tm.item(self, index)
    def __iter__(self):
        for frame in _tm.items(self):
            yield frame
    def __contains__(self, frame):
        return _tm.contains(self, frame)
    def format(self, limit=None, most_recent_first=False):
        return _tm.format(self, limit, most_recent_first)

class Trace(_Shown):
    pass

class _Traces:
    def __len__(self):
        return _tm.length(self)
    def __getitem__(self, index):
        return _tm.item(self, index)
    def __iter__(self):
        i = 0
        n = _tm.length(self)
        while i < n:
            yield _tm.item(self, i)
            i += 1
    def __repr__(self):
        return _tm.text(self, 1)

class Statistic(_Shown):
    pass

class StatisticDiff(_Shown):
    pass

class BaseFilter:
    def __init__(self, inclusive):
        self.inclusive = inclusive

class Filter(BaseFilter):
    def __init__(self, inclusive, filename_pattern, lineno=None, all_frames=False, domain=None):
        self.inclusive = inclusive
        self.filename_pattern = _tm.normalize_filename(filename_pattern)
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

class DomainFilter(BaseFilter):
    def __init__(self, inclusive, domain):
        self.inclusive = inclusive
        self.domain = domain

class Snapshot:
    def statistics(self, key_type, cumulative=False):
        return _tm.statistics(self, key_type, cumulative)
    def compare_to(self, old_snapshot, key_type, cumulative=False):
        return _tm.compare_to(self, old_snapshot, key_type, cumulative)
    def filter_traces(self, filters):
        return _tm.filter_traces(self, filters)
    def dump(self, filename):
        _tm.dump(self, filename)

Snapshot.load = _tm.load
`;

/** Loads the module on a VM (the first `import tracemalloc`): the module, a new reference. */
export function loadTracemalloc(vm) {
  const raw = vm.raw, h = vm.h;
  const c = converters(vm);
  const { err, isNone, toInt, fromJs, listOf, instance, pyErrors } = c;
  const data = new Map();   // instance address -> the JavaScript object behind it
  let cls = null;

  const wrap = (name, js, attrs) => {
    const o = instance(cls(name), attrs);
    data.set(o, js);
    return o;
  };
  const of = (o, ...kinds) => {
    const js = data.get(o);
    if (!js || !kinds.some((k) => js instanceof k)) {
      throw err('TypeError', `expected a tracemalloc ${kinds.map((k) => k.name).join(' or ')}, got '${vm.typeName(o)}'`);
    }
    return js;
  };
  const frameObj = (f) => wrap('Frame', f, { filename: f.filename, lineno: f.lineno });
  const tracebackObj = (tb) => wrap('Traceback', tb, { total_nframe: tb.totalNframe });
  const statObj = (st) => {
    const attrs = { traceback: { ref: tracebackObj(st.traceback) }, size: st.size };
    if ('size_diff' in st) attrs.size_diff = st.size_diff;
    attrs.count = st.count;
    if ('count_diff' in st) attrs.count_diff = st.count_diff;
    return wrap('size_diff' in st ? 'StatisticDiff' : 'Statistic', st, attrs);
  };
  const snapshotObj = (snap) => {
    const traces = wrap('_Traces', snap.traces, {});
    return wrap('Snapshot', snap, { traces: { ref: traces }, traceback_limit: snap.traceback_limit });
  };
  const itemObj = (js) => (js instanceof JsFrame ? frameObj(js) : js instanceof JsTrace
    ? wrap('Trace', js, { domain: js.domain, size: js.size, traceback: { ref: tracebackObj(js.traceback) } })
    : (() => { throw new Error('itemObj'); })());
  const keyType = (o) => (vm.typeId(o) === c.T.str ? vm.text(o) : vm.toRepr(o));
  /** The JS filter for a Filter / DomainFilter instance. */
  const jsFilter = (o) => {
    const name = vm.typeName(o);
    const inclusive = vm.truth(c.attr(o, 'inclusive') || vm.false_);
    if (name === 'DomainFilter') return new JsDomainFilter(inclusive, c.attrJs(o, 'domain'));
    if (name !== 'Filter') throw err('TypeError', `filters must be a list of filters, not ${name}`);
    return new JsFilter(inclusive, c.attrJs(o, 'filename_pattern'), c.attrJs(o, 'lineno'),
      !!c.attrJs(o, 'all_frames'), c.attrJs(o, 'domain'));
  };
  const snapshotBlob = () => {
    const p = raw.tm_snapshot(h);
    if (!p) throw err('MemoryError', 'cannot export the traces');
    return decodeBlob(raw, p);
  };
  // The program's tracing. With a host trace (Session option hostTrace: the
  // playground's top-lines panel), the core traces from the first line but
  // the program sees only its own start()/stop() (vm.hostTrace.program).
  const tracing = () => (vm.hostTrace ? vm.hostTrace.program : raw.tm_is_tracing(h) === 1);

  const fns = {
    text: ([o, which]) => {
      const js = of(o, JsFrame, JsTraceback, JsTrace, JsTraces, JsStatistic, JsStatisticDiff);
      return vm.newStr(toInt(which) === 0 ? String(js) : js.repr());
    },
    equal: ([a, b]) => {
      const x = data.get(a), y = data.get(b);
      return vm.bool(!!x && !!y && typeof x.equals === 'function' && x.equals(y));
    },
    less: ([a, b]) => {
      const x = of(a, JsFrame, JsTraceback), y = of(b, JsFrame, JsTraceback);
      return vm.bool(x.compare(y) < 0);
    },
    hash: ([o]) => {
      const js = of(o, JsFrame, JsTraceback);
      let hsh = 0;
      for (const ch of js.repr()) hsh = (Math.imul(hsh, 31) + ch.codePointAt(0)) | 0;
      return vm.newInt(hsh);
    },
    length: ([o]) => vm.newInt(of(o, JsTraceback, JsTraces).length),
    item: ([o, i]) => pyErrors(() => itemObj(of(o, JsTraceback, JsTraces).at(toInt(i, 'an index')))),
    items: ([o]) => listOf([...of(o, JsTraceback)].map(frameObj)),
    contains: ([o, f]) => vm.bool(data.has(f) && of(o, JsTraceback).includes(data.get(f))),
    format: ([o, limit, mrf]) => {
      const tb = of(o, JsTraceback);
      const saved = linecache.getline;
      linecache.getline = (file, line) => vm.sourceLine(file, line);
      try {
        return fromJs(tb.format(isNone(limit) ? null : toInt(limit), vm.truth(mrf)));
      } finally { linecache.getline = saved; }
    },
    dump: ([o, name]) => {
      const snap = of(o, JsSnapshot);
      (vm.files ??= new Map()).set(vm.toStr(name), snap.dump());
      return vm.incref(vm.none);
    },
    load: ([name]) => {
      const file = vm.toStr(name);
      const text = vm.files?.get(file);
      if (text === undefined) throw err('FileNotFoundError', `[Errno 2] No such file or directory: ${vm.toRepr(name)}`);
      return snapshotObj(JsSnapshot.load(text));
    },
    normalize_filename: ([p]) => {
      if (vm.typeId(p) !== c.T.str) throw err('TypeError', `expected str, got ${vm.typeName(p)}`);
      const s = vm.text(p);
      return s.endsWith('.pyc') ? vm.newStr(s.slice(0, -1)) : vm.incref(p);
    },
    statistics: ([o, kt, cum]) => {
      const snap = of(o, JsSnapshot);
      return listOf(pyErrors(() => snap.statistics(keyType(kt), vm.truth(cum))).map(statObj));
    },
    compare_to: ([o, old, kt, cum]) => {
      const snap = of(o, JsSnapshot), prev = of(old, JsSnapshot);
      return listOf(pyErrors(() => snap.compareTo(prev, keyType(kt), vm.truth(cum))).map(statObj));
    },
    filter_traces: ([o, filters]) => {
      const snap = of(o, JsSnapshot);
      let list;
      try { list = vm.lib.collect(filters); } catch (e) {
        throw err('TypeError', `filters must be a list of filters, not ${vm.typeName(filters)}`);
      }
      try {
        return snapshotObj(snap.filterTraces(list.map(jsFilter)));
      } finally { for (const x of list) vm.decref(x); }
    },
  };

  const nargs = (name, args, hi) => {
    if (args.length > hi) throw err('TypeError', `${name}() takes ${hi === 0 ? 'no arguments' : `at most ${hi} argument${hi > 1 ? 's' : ''}`} (${args.length} given)`);
  };
  const exports = {
    start: (args) => {
      nargs('start', args, 1);
      const n = args.length ? toInt(args[0]) : 1;
      const nframe = Math.max(-1, Math.min(n, 0x7fffffff));
      vm.checkStatus(raw.tm_start(h, nframe));   // the range check (a no-op while tracing)
      if (vm.hostTrace && !vm.hostTrace.program) {
        // the host's trace gives way: the program's tracing starts empty, with its limit
        vm.checkStatus(raw.tm_stop(h));
        vm.checkStatus(raw.tm_start(h, nframe));
        vm.hostTrace.program = true;
      }
      vm.setFrameMirror(true);
      return vm.none;
    },
    stop: (args) => {
      nargs('stop', args, 0);
      if (vm.hostTrace) {
        if (!vm.hostTrace.program) return vm.none;   // not tracing, as far as the program knows
        // traces dropped as stop() drops them; the host's trace starts again, empty, same limit
        const limit = vm.checkStatus(raw.tm_traceback_limit(h));
        vm.checkStatus(raw.tm_stop(h));
        vm.checkStatus(raw.tm_start(h, limit));
        vm.hostTrace.program = false;
        return vm.none;
      }
      vm.checkStatus(raw.tm_stop(h));
      vm.setFrameMirror(false);
      return vm.none;
    },
    is_tracing: (args) => { nargs('is_tracing', args, 0); return vm.bool(tracing()); },
    clear_traces: (args) => { nargs('clear_traces', args, 0); if (tracing()) vm.checkStatus(raw.tm_clear_traces(h)); return vm.none; },
    get_traced_memory: (args) => {
      nargs('get_traced_memory', args, 0);
      const on = tracing();
      const cur = on ? raw.tm_memory(h, 0) : 0, peak = on ? raw.tm_memory(h, 1) : 0;   // both before the ints exist
      return c.tupleOf([fromJs(cur), fromJs(peak)]);
    },
    reset_peak: (args) => { nargs('reset_peak', args, 0); if (tracing()) vm.checkStatus(raw.tm_reset_peak(h)); return vm.none; },
    get_traceback_limit: (args) => { nargs('get_traceback_limit', args, 0); return vm.newInt(vm.checkStatus(raw.tm_traceback_limit(h))); },
    get_tracemalloc_memory: (args) => {
      nargs('get_tracemalloc_memory', args, 0);
      // under a host trace the program that is not tracing sees no bookkeeping (0 before any start())
      return fromJs(vm.hostTrace && !vm.hostTrace.program ? 0 : raw.tm_memory(h, 2));
    },
    take_snapshot: (args) => {
      nargs('take_snapshot', args, 0);
      const snap = tracing() ? snapshotOf(raw, h) : null;
      if (!snap) throw err('RuntimeError', 'the tracemalloc module must be tracing memory allocations to take a snapshot');
      return snapshotObj(snap);
    },
    get_object_traceback: (args) => {
      if (args.length !== 1) throw err('TypeError', `get_object_traceback() takes exactly one argument (${args.length} given)`);
      if (!tracing()) return vm.incref(vm.none);
      const id = vm.checkStatus(raw.tm_object_traceback(h, args[0]));
      if (id === 0) return vm.incref(vm.none);
      const tb = snapshotBlob().tracebacks[id - 1];
      return tracebackObj(new JsTraceback(tb.frames));
    },
  };

  const made = libraryModule(vm, { name: 'tracemalloc', filename: FILENAME, source: MODULE_SOURCE, privateName: '_tm', fns, exports });
  cls = made.cls;
  return made.mod;
}
