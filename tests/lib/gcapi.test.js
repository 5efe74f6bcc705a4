// gcapi.test.js — the collector's and weakrefs' wasm exports (core/src/wasm/gcapi.c)
// in both wasm32 builds, against tests/fixtures/gc_collect.txt and gc_weakref.txt
// (recorded from CPython 3.12 by tests/record/gc_collect.py and gc_weakref.py).
// The exports are called directly (web/lib's heap.gc is tested in
// jsclasses.test.js), so this suite also checks the 32-bit host layout of the collector: the native C
// tests run it on 64-bit pointers only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RELEASE_WASM, DEBUG_WASM } from './helpers.js';

const FIXTURE = new URL('../fixtures/gc_collect.txt', import.meta.url);
const WEAKREF_FIXTURE = new URL('../fixtures/gc_weakref.txt', import.meta.url);

function fixture(url) {
  const m = new Map();
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0 && !line.startsWith('#') && !m.has(line.slice(0, sp))) m.set(line.slice(0, sp), line.slice(sp + 1));
  }
  return m;
}

async function instance(url) {
  const mod = await WebAssembly.compile(readFileSync(url));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = () => 0;   // host hooks unused here
  }
  const inst = await WebAssembly.instantiate(mod, imports);
  if (inst.exports._initialize) inst.exports._initialize();
  return inst.exports;
}

for (const [name, url] of [['release', RELEASE_WASM], ['debug', DEBUG_WASM]]) {
  test(`gc exports (${name})`, async (t) => {
    const e = await instance(url);
    const fx = fixture(FIXTURE);
    const h = e.pmw_heap_new(0, name === 'debug' ? 1 : 0);
    assert.ok(h);
    const scratch = () => e.pmw_obj_scratch(h);
    const list = () => e.pmw_list_new(h, scratch(), 0);
    const collect = (g) => e.pmw_gc_collect(h, g);
    const flush = () => { collect(2); collect(2); };

    await t.test('collect() after dropping rings of lists', () => {
      for (const n of [1, 2, 3, 10, 100, 1000]) {
        flush();
        const ls = [];
        for (let i = 0; i < n; i++) ls.push(list());
        for (let i = 0; i < n; i++) assert.equal(e.pmw_list_append(h, ls[i], ls[(i + 1) % n]), 0);
        for (const l of ls) e.pmw_obj_decref(h, l);
        assert.equal(String(collect(2)), fx.get(`collect_listring_${n}`), `ring of ${n}`);
      }
      assert.equal(e.pmw_check(h), 0);
    });

    await t.test('generations and get_count', () => {
      flush();
      const a = list();
      e.pmw_list_append(h, a, a);
      assert.equal(String(collect(0)), fx.get('gens_young_survivor'));
      e.pmw_obj_decref(h, a);
      assert.equal(String(collect(0)), fx.get('gens_gen0_misses'));
      assert.equal(String(collect(1)), fx.get('gens_gen1_finds'));
      assert.equal([0, 1, 2].map((g) => e.pmw_gc_count(h, g)).join(' '), fx.get('gens_count_after'));
      assert.equal(collect(3), -9);                      // PM_EPYTHON: ValueError
      assert.equal(e.pmw_exc_kind(h), 3);
      assert.equal(e.pmw_gc_count(h, 3), -2);            // PM_EINVAL
    });

    await t.test('start-up state: generation 0 joins 1, counts set', () => {
      flush();
      const a = list(), b = list();
      assert.equal(e.pmw_gc_generation_size(h, 0), 2);
      const gen1 = e.pmw_gc_generation_size(h, 1);
      const runs = [0, 1, 2].map((g) => e.pmw_gc_stat(h, g, 0));
      assert.equal(e.pmw_gc_set_startup_state(h, 671, 4, 0), 0);
      assert.equal(e.pmw_gc_generation_size(h, 0), 0);
      assert.equal(e.pmw_gc_generation_size(h, 1), gen1 + 2);
      assert.deepEqual([0, 1, 2].map((g) => e.pmw_gc_count(h, g)), [671, 4, 0]);
      assert.deepEqual([0, 1, 2].map((g) => e.pmw_gc_stat(h, g, 0)), runs, 'no collection is counted');
      assert.equal(e.pmw_gc_set_startup_state(h, -1, 0, 0), -2);   // PM_EINVAL
      e.pmw_obj_decref(h, a);
      e.pmw_obj_decref(h, b);
      assert.equal(e.pmw_check(h), 0);
    });

    await t.test('is_tracked of tuples across collections', () => {
      flush();
      const mem = () => new Uint32Array(e.memory.buffer);
      const one = e.pmw_int_from_double(h, 1), two = e.pmw_int_from_double(h, 2);
      mem()[scratch() >>> 2] = one;
      mem()[(scratch() >>> 2) + 1] = two;
      const tup = e.pmw_tuple_new(h, scratch(), 2);
      const before = e.pmw_gc_is_tracked(h, tup);
      collect(2);
      assert.equal(`${before} ${e.pmw_gc_is_tracked(h, tup)}`, fx.get('tracked_tuple_atoms'));
      for (const o of [tup, one, two]) e.pmw_obj_decref(h, o);
    });

    await t.test('DEBUG_COLLECTABLE text and gc.garbage with DEBUG_SAVEALL', () => {
      flush();
      e.pmw_gc_stderr_clear(h);
      const l = list();
      e.pmw_list_append(h, l, l);
      e.pmw_obj_decref(h, l);
      e.pmw_gc_set_debug(h, 2 | 32);
      const n = collect(2);
      e.pmw_gc_set_debug(h, 0);
      const garbage = e.pmw_gc_garbage(h);
      assert.equal(`${n} ${Number(e.pmw_obj_len(h, garbage))}`, fx.get('collect_saveall_1'));
      const text = new TextDecoder().decode(new Uint8Array(e.memory.buffer, e.pmw_gc_stderr(h), e.pmw_gc_stderr_len(h)));
      assert.equal(text, `gc: collectable <list 0x${l.toString(16)}>\n`);
      e.pmw_list_delslice(h, garbage, NaN, NaN, NaN);     // gc.garbage.clear()
      assert.equal(String(collect(2)), fx.get('collect_saveall_after_clear'));
      e.pmw_obj_decref(h, garbage);
    });

    await t.test('trace of the last collection', () => {
      flush();
      const a = list(), b = list();
      e.pmw_list_append(h, a, b);
      e.pmw_list_append(h, b, a);
      e.pmw_obj_decref(h, a);
      e.pmw_obj_decref(h, b);
      e.pmw_gc_trace_enable(h, 1);
      assert.equal(collect(2), 2);
      const entries = (phase) => {
        const n = e.pmw_gc_trace_len(h, phase), p = e.pmw_gc_trace_addr(h, phase);
        const v = new Uint32Array(e.memory.buffer, p, 2 * n);
        return Array.from({ length: n }, (_, i) => [v[2 * i], v[2 * i + 1] | 0]);
      };
      assert.deepEqual(entries(1).map(([o]) => o), [a, b]);   // unreachable, list order
      assert.deepEqual(entries(6).map(([o]) => o).sort(), [a, b].sort());   // freed
      assert.equal(e.pmw_gc_trace_generation(h), 2);
      e.pmw_gc_trace_enable(h, 0);
      assert.equal(e.pmw_gc_is_tracked(h, a), -5);        // stale handle: PM_EFREED
    });

    await t.test('weakrefs', () => {
      const wfx = fixture(WEAKREF_FIXTURE);
      const s = e.pmw_set_new(h, scratch(), 0, 0);
      const r = e.pmw_weakref_new(h, s, 0);
      const p = e.pmw_weakref_proxy(h, s, 0, 0);
      assert.equal(`${e.pmw_obj_sizeof(h, r)} ${e.pmw_obj_sizeof(h, p)}`, wfx.get('sizes').split(' ').slice(0, 2).join(' '));
      assert.equal(e.pmw_weakref_new(h, s, 0), r);        // the basic ref is shared
      e.pmw_obj_decref(h, r);
      assert.equal(e.pmw_weakref_getweakrefcount(h, s), 2);
      const l = list();
      assert.equal(e.pmw_weakref_new(h, l, 0), 0);
      assert.equal(e.pmw_last_status(h), -9);
      const msg = new TextDecoder().decode(new Uint8Array(e.memory.buffer, e.pmw_exc_msg(h), 64)).split('\0')[0];
      assert.equal(`TypeError: ${msg}`, wfx.get('err_list'));
      e.pmw_obj_decref(h, l);
      e.pmw_obj_decref(h, s);
      const none = e.pmw_weakref_call(h, r);
      assert.equal(none, e.pmw_obj_singleton(h, 0));
      assert.equal(e.pmw_weakref_proxy_referent(h, p), 0);
      assert.equal(e.pmw_exc_kind(h), 13);                // ReferenceError
      e.pmw_obj_decref(h, r);
      e.pmw_obj_decref(h, p);
      assert.equal(e.pmw_check(h), 0);
    });
    e.pmw_heap_free(h);
  });
}
