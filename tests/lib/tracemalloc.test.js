// tracemalloc.test.js — web/lib/tracemalloc.js (Lib/tracemalloc.py in JS) and
// heap.tracemalloc (core/src/tracemalloc.c through core/src/wasm/traceapi.c).
//
// The Python layer runs the inputs of tests/fixtures/tracemalloc_formats.json
// (recorded from CPython 3.12 by tests/record/tracemalloc_formats.py: hand-made
// raw traces through tracemalloc.Snapshot) and must print exactly what 3.12
// printed: statistics / compare_to for every key type, str() and repr() of
// every object, Traceback.format with limits, filters, _format_size, errors.
// The heap part checks the core's traces against tests/fixtures/tracemalloc_sizes.txt
// (tests/record/tracemalloc_sizes.py) in both builds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VARIANTS, heapFor, RELEASE_WASM, DEBUG_WASM } from './helpers.js';
import {
  Snapshot, Filter, DomainFilter, Traceback, formatSize, linecache, decodeBlob,
} from '../../web/lib/tracemalloc.js';

const FX = JSON.parse(readFileSync(new URL('../fixtures/tracemalloc_formats.json', import.meta.url), 'utf8'));
const SIZES = new Map(readFileSync(new URL('../fixtures/tracemalloc_sizes.txt', import.meta.url), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));

linecache.getline = (filename, lineno) => {
  const lines = FX.sources[filename];
  return lines && lineno >= 1 && lineno <= lines.length ? `${lines[lineno - 1]}\n` : '';
};

/** What the record script stores for a case: the value, or "Type: message". */
function run(fn) {
  try {
    return fn();
  } catch (e) {
    if (!e.pyType) throw e;
    return `${e.pyType}: ${e.pyMessage}`;
  }
}

const statsLines = (stats) => stats.map((s) => [String(s), s.repr()]);
const oldSnap = new Snapshot(FX.old, FX.limit);
const newSnap = new Snapshot(FX.new, FX.limit);
const C = FX.cases;

test('statistics and compare_to, every key type, cumulative or not', () => {
  let n = 0;
  for (const key of ['lineno', 'filename', 'traceback']) {
    for (const cum of [0, 1]) {
      assert.deepEqual(run(() => statsLines(newSnap.statistics(key, !!cum))), C[`statistics.${key}.${cum}`], `statistics ${key} ${cum}`);
      assert.deepEqual(run(() => statsLines(newSnap.compareTo(oldSnap, key, !!cum))), C[`compare.${key}.${cum}`], `compare ${key} ${cum}`);
      n += 2;
    }
  }
  assert.equal(n, 12);
  assert.deepEqual(run(() => statsLines(oldSnap.compareTo(newSnap, 'lineno'))), C['compare.reverse']);
  assert.equal(run(() => newSnap.statistics('line')), C['statistics.bad']);
  assert.equal(run(() => newSnap.statistics(3)), C['statistics.bad_type']);
});

test('Trace, Traces, Traceback: str, repr, format', () => {
  assert.deepEqual([...newSnap.traces].map((t) => [String(t), t.repr()]), C.traces);
  assert.equal(newSnap.traces.repr(), C['traces.repr']);
  assert.equal(newSnap.traceback_limit, C.limit);
  FX.new.forEach((raw, i) => {
    const tb = new Traceback(raw[2], raw[3]);
    assert.deepEqual([String(tb), tb.repr(), tb.length, [...tb].map(String), [...tb].map((f) => f.repr())],
      C[`traceback.${i}`], `traceback ${i}`);
    for (const limit of [null, 1, 2, -1, 0, -5]) {
      for (const mrf of [0, 1]) {
        const key = `format.${i}.${limit === null ? 'None' : limit}.${mrf}`;
        assert.deepEqual(tb.format(limit, !!mrf), C[key], key);
      }
    }
  });
  assert.equal(new Traceback([['app.py', 1], ['app.py', 2]]).repr(), C['traceback.no_total']);
  assert.equal(run(() => String(new Traceback([]))), C['traceback.empty_str']);
});

test('filter_traces: Filter (fnmatch, .pyc, lineno, all_frames, domain) and DomainFilter', () => {
  const make = ([kind, ...args]) => (kind === 'Filter' ? new Filter(...args) : new DomainFilter(...args));
  for (const [name, specs] of Object.entries(FX.filters)) {
    const got = newSnap.filterTraces(specs.map(make)).traces._traces;
    assert.deepEqual(got, C[`filter.${name}`], `filter ${name}`);
  }
  assert.equal(run(() => newSnap.filterTraces(5)), C['filter.not_iterable']);
  assert.equal(new Filter(true, 'x/y.pyc').filename_pattern, C['filter.pattern_pyc']);
  // an empty filter list copies the traces
  const copy = newSnap.filterTraces([]);
  assert.notEqual(copy.traces._traces, newSnap.traces._traces);
  assert.equal(copy.traces.length, newSnap.traces.length);
});

test('_format_size', () => {
  assert.deepEqual(FX.sizes.map((s) => [formatSize(s, false), formatSize(s, true)]), C.format_size);
});

test('dump and load keep the snapshot', () => {
  const back = Snapshot.load(newSnap.dump());
  assert.deepEqual(statsLines(back.statistics('traceback')), C['statistics.traceback.0']);
});

// ---- the core's traces --------------------------------------------------------------------

for (const variant of VARIANTS) {
  test(`heap.tracemalloc (${variant.name})`, async (t) => {
    const heap = await heapFor(variant);
    const tm = heap.tracemalloc;
    assert.equal(heap.tracemalloc, tm, 'one object per heap');

    await t.test('limits and errors as CPython', () => {
      assert.equal(tm.isTracing(), false);
      tm.start(3);
      tm.start(7);
      assert.equal(String(tm.getTracebackLimit()), SIZES.get('limit.start3_start7'));
      tm.stop();
      assert.equal(String(tm.getTracebackLimit()), SIZES.get('limit.after_stop'));
      assert.equal(tm.getTracedMemory().join(' '), SIZES.get('stopped.traced_memory'));
      for (const n of [0, -1, 65536]) {
        assert.equal(run(() => tm.start(n)), `ValueError: ${SIZES.get(`start_error.${n}`)}`);
      }
      assert.equal(tm.isTracing(), false);
      assert.equal(run(() => tm.takeSnapshot()), `RuntimeError: ${SIZES.get('snapshot_error')}`);
      assert.equal(run(() => tm.start(1.5)), "TypeError: 'float' object cannot be interpreted as an integer");
    });

    await t.test('traces, current and peak, object tracebacks', () => {
      const before = heap.str('z'.repeat(100));       // allocated before start(): untraced
      tm.start();
      assert.deepEqual(tm.getTracedMemory(), [0, 0]);
      const s100 = Number(SIZES.get('block.str100'));
      const s5000 = Number(SIZES.get('block.str5000'));
      const a = heap.str('x'.repeat(5000));
      const b = heap.str('y'.repeat(100));
      assert.deepEqual(tm.getTracedMemory(), [s5000 + s100, s5000 + s100]);
      a.release();
      assert.deepEqual(tm.getTracedMemory(), [s100, s5000 + s100]);
      tm.resetPeak();
      assert.deepEqual(tm.getTracedMemory(), [s100, s100]);
      before.release();                                // freeing an untraced block is ignored
      assert.deepEqual(tm.getTracedMemory(), [s100, s100]);

      const snap = tm.takeSnapshot();
      assert.equal(snap.traceback_limit, 1);
      assert.equal(snap.traces.length, 1);
      // no Python frame: CPython's empty traceback
      assert.equal(snap.traces.at(0).repr(),
        `<Trace domain=0 size=${s100} B, traceback=<Traceback (<Frame filename='<unknown>' lineno=0>,) total_nframe=1>>`);
      assert.deepEqual(snap.statistics('filename').map(String), [`<unknown>:0: size=${s100} B, count=1, average=${s100} B`]);
      assert.equal(tm.getObjectTraceback(b).repr(), "<Traceback (<Frame filename='<unknown>' lineno=0>,)>");
      assert.equal(tm.getObjectTraceback(heap.none), null);   // a static object: no block
      assert.ok(tm.getTracemallocMemory() > 0);

      // realloc through the domain API replaces the trace
      const p = heap.mem.malloc(100);
      const q = heap.mem.realloc(p, 1000);
      assert.deepEqual(tm.getTracedMemory()[0], s100 + 1000);
      heap.mem.free(q);
      assert.equal(tm.track(5, 0x1000, 10), 0);
      assert.deepEqual(new Snapshot(tm.getTraces(), 1).filterTraces([new DomainFilter(true, 5)]).traces._traces,
        [[5, 10, [['<unknown>', 0]], 1]]);
      assert.equal(tm.untrack(5, 0x1000), 0);
      tm.clearTraces();
      assert.deepEqual(tm.getTracedMemory(), [0, 0]);
      assert.equal(tm.getObjectTraceback(b), null);
      b.release();
      tm.stop();
      assert.equal(tm.track(5, 0x1000, 10), -2);
      assert.deepEqual(tm.getTraces(), []);
    });

    await t.test('blocks of single statements (§2.11)', () => {
      tm.start();
      tm.clearTraces();
      const s = heap.str('x'.repeat(5000));
      assert.deepEqual(tm.takeSnapshot().traces._traces.map((tr) => tr[1]), [Number(SIZES.get('block.str5000'))]);
      s.release();
      tm.stop();
    });

    await t.test('setLineno needs a running frame', () => {
      assert.throws(() => tm.setLineno(0, 5), (e) => e.code === 'EBADPTR');
    });
    heap.check();
    heap.dispose();
  });
}

// ---- tracebacks from the frame stack, through the raw exports (wasm32 frame layout) ------------

for (const [name, url, debugChecks] of [['release', RELEASE_WASM, 0], ['debug', DEBUG_WASM, 1]]) {
  test(`tracebacks from running frames (${name})`, async () => {
    const { instance } = await WebAssembly.instantiate(readFileSync(url), {
      env: { emscripten_notify_memory_growth: () => {} },
      pyheap: { finalize: () => {}, call: () => {}, slot: () => 1 },
    });
    const e = instance.exports;
    if (e._initialize) e._initialize();
    const hp = e.pmw_heap_new(0, debugChecks);
    const scratch = e.pmw_obj_scratch(hp);
    const u8 = () => new Uint8Array(e.memory.buffer);
    const raw = {
      get dv() { return new DataView(e.memory.buffer); },
      cString(p) { const b = u8(); let end = p; while (b[end]) end++; return new TextDecoder().decode(b.subarray(p, end)); },
    };
    const str = (s) => {
      const b = new TextEncoder().encode(s);
      u8().set(b, scratch);
      return e.pmw_str_new(hp, scratch, b.length);
    };
    const tuple = (items) => {
      new Uint32Array(e.memory.buffer).set(items, scratch / 4);
      return e.pmw_tuple_new(hp, scratch, items.length);
    };
    const none = e.pmw_obj_singleton(hp, 0);
    const emptyBytes = (() => e.pmw_bytes_new(hp, scratch, 0))();
    const func = (file, firstline) => {
      const code = e.pmw_code_new(hp, tuple([none]), tuple([]), tuple([]), emptyBytes, str(file), str('f'), str('f'),
        0, 0, 0, 2, firstline, 3, 4, 1);
      assert.ok(code);
      const globals = e.pmw_dict_new(hp);
      e.pmw_dict_setitem(hp, globals, str('__builtins__'), e.pmw_dict_new(hp));
      return e.pmw_func_new(hp, code, globals, 0, 0, 0, 0, 0);
    };
    const tracebackOf = (obj) => {
      const id = e.pmw_tm_object_traceback(hp, obj);
      if (id <= 0) return id;
      const tb = decodeBlob(raw, e.pmw_tm_snapshot(hp)).tracebacks[id - 1];
      return new Traceback(tb.frames, tb.total).repr();
    };

    const outer = e.pmw_frame_push(hp, func('main.py', 1));
    assert.ok(outer);
    assert.equal(e.pmw_tm_start(hp, 5), 0);
    const a = e.pmw_list_new(hp, scratch, 0);
    assert.equal(tracebackOf(a), "<Traceback (<Frame filename='main.py' lineno=1>,) total_nframe=1>");
    assert.equal(e.pmw_frame_set_lineno(hp, 0, 7), 0);
    const inner = e.pmw_frame_push(hp, func('lib/util.py', 40));
    assert.equal(e.pmw_frame_set_lineno(hp, inner, 42), 0);
    assert.equal(e.pmw_frame_set_lineno(hp, outer, 8), 0);   // any frame of the running chain
    const b = e.pmw_list_new(hp, scratch, 0);
    assert.equal(tracebackOf(b),
      "<Traceback (<Frame filename='main.py' lineno=8>, <Frame filename='lib/util.py' lineno=42>) total_nframe=2>");
    assert.equal(e.pmw_frame_set_lineno(hp, inner + 4, 1), -4);  // EBADPTR: not a frame
    // limit 1: only the most recent frame, total_nframe still counts both
    assert.equal(e.pmw_tm_stop(hp), 0);
    assert.equal(e.pmw_tm_start(hp, 1), 0);
    const c = e.pmw_list_new(hp, scratch, 0);
    assert.equal(tracebackOf(c), "<Traceback (<Frame filename='lib/util.py' lineno=42>,) total_nframe=2>");
    const snap = new Snapshot(decodeBlob(raw, e.pmw_tm_snapshot(hp)).traces, e.pmw_tm_traceback_limit(hp));
    // an empty list's block is its getsizeof (56, sizes_sequences.txt: list_append.0)
    const empty = readFileSync(new URL('../fixtures/sizes_sequences.txt', import.meta.url), 'utf8').match(/^list_append\.0 (\d+)$/m)[1];
    assert.deepEqual(snap.statistics('lineno').map(String), [`lib/util.py:42: size=${empty} B, count=1, average=${empty} B`]);
    assert.equal(e.pmw_tm_object_traceback(hp, a), 0);         // traced before the restart: None
    // every object of a snapshot at once (pmw_tm_snapshot_tracebacks): each entry what
    // pmw_tm_object_traceback answers for that object, in the snapshot's order
    const d = e.pmw_list_new(hp, scratch, 0);
    new Uint32Array(e.memory.buffer).set([a, b, c, d], scratch / 4);
    const sp = e.pmw_snapshot(hp, scratch, 4);
    assert.ok(sp);
    const nobjs = raw.dv.getUint32(sp, true), recs = raw.dv.getUint32(sp + 8, true), recSize = 32;   // pm_snap_obj (web/lib/objects.js SNAP_RECORD)
    const ids = Array.from({ length: nobjs }, (_, i) => raw.dv.getUint32(recs + i * recSize, true));
    assert.deepEqual(ids.slice(0, 4), [a, b, c, d]);
    const tp = e.pmw_tm_snapshot_tracebacks(hp);
    assert.ok(tp);
    const all = Array.from(new Uint32Array(e.memory.buffer, tp, nobjs));
    assert.deepEqual(all, ids.map((id) => e.pmw_tm_object_traceback(hp, id)));
    assert.deepEqual(all.slice(0, 4).map((t) => t > 0), [false, false, true, true]);   // a, b: traced before the restart
    // the same numbers read during the walk (pmw_snapshot_traced: pm_snapshot.tracebacks at offset 16);
    // a plain snapshot has none
    assert.equal(raw.dv.getUint32(sp + 16, true), 0);
    const tsp = e.pmw_snapshot_traced(hp, scratch, 4);
    assert.ok(tsp);
    assert.equal(raw.dv.getUint32(tsp, true), nobjs);
    const walked = raw.dv.getUint32(tsp + 16, true);
    assert.ok(walked);
    assert.deepEqual(Array.from(new Uint32Array(e.memory.buffer, walked, nobjs)), all);
    // the snapshot outlives d: its entry is None, not a read of freed memory
    assert.equal(e.pmw_obj_decref(hp, d), 0);
    const again = new Uint32Array(e.memory.buffer, e.pmw_tm_snapshot_tracebacks(hp), nobjs);
    assert.equal(again[3], 0);
    assert.deepEqual(Array.from(again.slice(0, 3)), all.slice(0, 3));
    assert.equal(e.pmw_frame_pop(hp, inner), 0);
    assert.equal(e.pmw_frame_pop(hp, outer), 0);
    assert.equal(e.pmw_tm_stop(hp), 0);
    assert.equal(e.pmw_check(hp), 0);
  });
}
