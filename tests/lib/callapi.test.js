// callapi.test.js — the wasm exports of core/src/wasm/callapi.c (code
// objects, functions, cells, bound methods, frames, generators), called
// directly on the release and debug modules: wasm32 layouts, the handle
// checks, and the CPython 3.12 sizes and refcounts recorded in
// tests/fixtures/sizes_callables.txt (tests/record/sizes_callables.py).
// This suite tests the exports themselves; web/lib's wrappers (heap.code,
// heap.function, heap.frames, ...) are tested in jsclasses.test.js.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RELEASE_WASM, DEBUG_WASM } from './helpers.js';

const FIXTURE = new Map(
  readFileSync(new URL('../fixtures/sizes_callables.txt', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
);
const fx = (key, k = 0) => Number(FIXTURE.get(key).split(' ')[k]);

const EBADPTR = -4;
const EPYTHON = -9;
const CO_GENERATOR = 0x20;
const FAST_LOCAL = 0x20;

async function instance(url) {
  let mem = null;
  const { instance: inst } = await WebAssembly.instantiate(readFileSync(url), {
    env: { emscripten_notify_memory_growth: () => {} },
    pyheap: { finalize: () => {}, call: () => {}, slot: () => 1 },   // host hooks unused here
  });
  const e = inst.exports;
  if (e._initialize) e._initialize();
  mem = e.memory;
  return { e, u8: () => new Uint8Array(mem.buffer), u32: () => new Uint32Array(mem.buffer) };
}

function helpers({ e, u8, u32 }, hp) {
  const enc = new TextEncoder();
  const scratch = e.pmw_obj_scratch(hp);
  const str = (s) => {
    const b = enc.encode(s);
    u8().set(b, scratch);
    return e.pmw_str_new(hp, scratch, b.length);
  };
  const bytes = (arr) => {
    u8().set(arr, scratch);
    return e.pmw_bytes_new(hp, scratch, arr.length);
  };
  const tuple = (items) => {
    u32().set(items, scratch / 4);
    return e.pmw_tuple_new(hp, scratch, items.length);
  };
  const msg = () => {
    const p = e.pmw_exc_msg(hp);
    const b = u8();
    let end = p;
    while (b[end]) end++;
    return new TextDecoder().decode(b.subarray(p, end));
  };
  return { str, bytes, tuple, msg };
}

for (const [name, url, debugChecks] of [['release', RELEASE_WASM, 0], ['debug', DEBUG_WASM, 1]]) {
  test(`callables through the wasm exports (${name})`, async () => {
    const mod = await instance(url);
    const { e } = mod;
    const hp = e.pmw_heap_new(0, debugChecks);
    assert.ok(hp);
    const { str, bytes, tuple, msg } = helpers(mod, hp);
    const none = e.pmw_obj_singleton(hp, 0);

    // def g(a): yield a      -- co_nlocalsplus 1, co_stacksize 2 (gen.g_arg)
    const consts = tuple([none]);
    const names = tuple([]);
    const lpnames = tuple([str('a')]);
    const kinds = bytes([FAST_LOCAL]);
    const fname = str('<test>');
    const gname = str('g');
    const code = e.pmw_code_new(hp, consts, names, lpnames, kinds, fname, gname, gname,
      1, 0, 0, fx('gen.g_arg', 1), 1, CO_GENERATOR | 3, 8, 42);
    assert.ok(code, msg());
    assert.equal(e.pmw_code_info(hp, code, 7), fx('gen.g_arg', 2));      // co_framesize
    assert.equal(e.pmw_code_info(hp, code, 11), 42);                     // body id
    assert.equal(e.pmw_obj_sizeof(hp, code), (192 + 2 * 8 + 7) & ~7);   // round8(192 + 2 * units)

    const globals = e.pmw_dict_new(hp);
    const builtins = e.pmw_dict_new(hp);
    const kb = str('__builtins__');
    e.pmw_dict_setitem(hp, globals, kb, builtins);
    const rglobals = e.pmw_obj_refcnt(hp, globals);
    const func = e.pmw_func_new(hp, code, globals, 0, 0, 0, 0, 0);
    assert.ok(func, msg());
    assert.equal(e.pmw_obj_sizeof(hp, func), fx('size.function'));
    assert.equal(e.pmw_obj_refcnt(hp, globals) - rglobals, fx('delta.globals_per_function'));

    // call g(x): push a frame, bind the argument, RETURN_GENERATOR
    const x = str('some value');
    const frame = e.pmw_frame_push(hp, func);
    assert.ok(frame);
    assert.equal(e.pmw_frame_current(hp), frame);
    assert.equal(e.pmw_frame_set(hp, frame, 0, x), 0);
    assert.equal(e.pmw_frame_set(hp, frame, 1, x), EPYTHON);             // IndexError
    assert.match(msg(), /frame slot 1 out of range/);
    assert.equal(e.pmw_frame_set(hp, frame + 8, 0, x), EBADPTR);         // not a frame
    const gen = e.pmw_gen_from_frame(hp, frame);
    assert.ok(gen, msg());
    assert.equal(e.pmw_frame_current(hp), 0);
    assert.equal(e.pmw_obj_sizeof(hp, gen), fx('gen.g_arg', 3));
    assert.equal(e.pmw_obj_refcnt(hp, x), 2);                            // ours + the frame slot
    assert.equal(e.pmw_gen_state(hp, gen), 0);                           // created
    const gframe = e.pmw_gen_frame(hp, gen);
    assert.ok(gframe);
    assert.equal(e.pmw_frame_pop(hp, frame), EBADPTR);                   // popped already: stale

    // next(gen): send None (the body's POP_TOP takes it), push the yielded value, yield
    assert.equal(e.pmw_gen_send(hp, gen, x), EPYTHON);                 // just started: None only
    assert.equal(msg(), "can't send non-None value to a just-started generator");
    assert.equal(e.pmw_gen_send(hp, gen, 0), 0);
    assert.equal(e.pmw_frame_current(hp), gframe);
    assert.equal(e.pmw_frame_pop_value(hp, gframe), none);
    assert.equal(e.pmw_gen_resume(hp, gen), EPYTHON);
    assert.equal(msg(), FIXTURE.get('err.gen_reenter').replace(/^ValueError /, ''));
    const a = e.pmw_frame_get(hp, gframe, 0);
    assert.equal(a, x);
    e.pmw_obj_decref(hp, a);
    assert.equal(e.pmw_frame_push_value(hp, gframe, x), 0);
    assert.equal(e.pmw_frame_info(hp, gframe, 1), 1);
    assert.equal(e.pmw_gen_suspend(hp, gen), 0);
    assert.equal(e.pmw_gen_state(hp, gen), 1);                           // suspended
    assert.equal(e.pmw_obj_refcnt(hp, x), 3);

    // a bound method and a cell
    const m = e.pmw_func_bind(hp, func, x);
    assert.equal(e.pmw_obj_sizeof(hp, m), fx('size.method'));
    assert.equal(e.pmw_obj_refcnt(hp, x), 4);
    e.pmw_obj_decref(hp, m);
    const cell = e.pmw_cell_new(hp, 0);
    assert.equal(e.pmw_obj_sizeof(hp, cell), fx('size.cell'));
    assert.equal(e.pmw_cell_get(hp, cell), 0);
    assert.equal(msg(), 'Cell is empty');
    assert.equal(e.pmw_cell_set(hp, cell, x), 0);
    e.pmw_obj_decref(hp, cell);

    // dropping the suspended generator closes it (no host hook): x is released
    assert.equal(e.pmw_obj_decref(hp, gen), 0);
    assert.equal(e.pmw_obj_refcnt(hp, x), 1);
    assert.ok(e.pmw_gen_state(hp, gen) < 0);                             // stale handle refused

    for (const o of [x, func, kb, builtins, globals, code, gname, fname, kinds, lpnames, names, consts]) {
      assert.equal(e.pmw_obj_decref(hp, o), 0);
    }
    assert.equal(e.pmw_heap_free(hp), 0);
  });
}
