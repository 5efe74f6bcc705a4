// helpers.js — shared by the tests/lib/*.test.js suites (not a test itself).
//
// - the two builds every behaviour runs against (release and debug wasm)
// - the allocator model of cpython-memory-model.md §1, written from the spec
//   (never from pyheap's output), for expected values
// - a tiny WebAssembly binary writer, for loader tests that need modules
//   with particular imports/exports (version skew, unknown imports, traps)

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHeap, load } from '../../web/lib/index.js';
import { PMW_VERSION, EXPORTS } from '../../web/lib/raw.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RELEASE_WASM = new URL('../../web/gen/pyheap.wasm', import.meta.url);
export const DEBUG_WASM = new URL('../../web/gen/pyheap.debug.wasm', import.meta.url);

/** The builds each behaviour runs against. */
export const VARIANTS = [
  { name: 'release', options: {} },
  { name: 'debug', options: { debug: true, debugChecks: true } },
];

for (const [name, url] of [['release', RELEASE_WASM], ['debug', DEBUG_WASM]]) {
  if (!existsSync(url)) {
    throw new Error(`tests/lib: ${fileURLToPath(url)} (${name} build) is missing; run ./build.sh wasm first`);
  }
}

/** createHeap for a variant, with extra options. */
export function heapFor(variant, extra = {}) {
  return createHeap({ ...variant.options, ...extra });
}

/** The loaded module of a variant (internal RawModule: gives access to linear memory). */
export function moduleFor(variant) {
  return load({ debug: !!variant.options.debug });
}

// ---- the allocator model, from cpython-memory-model.md §1 ------------------

export const ALIGNMENT = 16;
export const SMALL_REQUEST_THRESHOLD = 512;
export const NB_SMALL_SIZE_CLASSES = 32;
export const POOL_SIZE = 16384;
export const ARENA_SIZE = 1 << 20;
export const POOL_OVERHEAD = 48;

/** Size class index of a request of n bytes, or -1 if it goes to the raw allocator (§1.2). */
export const classOf = (n) => (n === 0 || n > SMALL_REQUEST_THRESHOLD ? -1 : (n - 1) >> 4);
/** Block size of class i (§1.4). */
export const sizeOfClass = (i) => (i + 1) * ALIGNMENT;
/** Blocks per 16 KiB pool for class i (§1.4). */
export const blocksPerPool = (i) => Math.floor((POOL_SIZE - POOL_OVERHEAD) / sizeOfClass(i));
/** Pool holding address p (§1.8: p rounded down to POOL_SIZE). */
export const poolOf = (p) => p - (p % POOL_SIZE);
/** Realloc of a pymalloc block of size s to n keeps the pointer iff n <= s and 4n > 3s (§1.9). */
export const reallocKeeps = (s, n) => n <= s && 4 * n > 3 * s;

/** Assert-free helper: allocate `count` blocks of `n` bytes. */
export function allocMany(alloc, n, count) {
  const out = new Array(count);
  for (let i = 0; i < count; i++) out[i] = alloc.malloc(n);
  return out;
}

/** Fill n bytes at p with `byte` (through the module's memory). */
export function fill(mod, p, n, byte) {
  mod.u8.fill(byte, p, p + n);
}

/** Copy of n bytes at p. */
export function bytesAt(mod, p, n) {
  return Array.from(mod.u8.subarray(p, p + n));
}

// ---- a tiny WebAssembly binary writer --------------------------------------

const I32 = 0x7f;

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const str = (s) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];

/** Instructions, as byte arrays. */
export const op = {
  i32: (v) => [0x41, ...sleb(v)],
  unreachable: () => [0x00],
  call: (f) => [0x10, ...uleb(f)],
  globalGet: (g) => [0x23, ...uleb(g)],
  globalSet: (g) => [0x24, ...uleb(g)],
  add: () => [0x6a],
};

/**
 * Build a wasm module.
 *   imports: [{ module, name, params, result }]   (functions; index 0..)
 *   funcs:   [{ export, params, result, body: [instr bytes...] }]
 *   globals: number of mutable i32 globals (initialised to 0)
 *   data:    [{ offset, bytes }]
 *   memory:  export a 1-page memory named "memory" (default true)
 */
export function wasmBinary({ imports = [], funcs = [], globals = 0, data = [], memory = true }) {
  const types = [];
  const typeIndex = (params, result) => {
    const key = `${params}:${result}`;
    let i = types.findIndex((t) => t.key === key);
    if (i < 0) {
      i = types.length;
      types.push({ key, bytes: [0x60, ...vec(Array(params).fill([I32])), ...vec(result ? [[I32]] : [])] });
    }
    return i;
  };
  const importBytes = imports.map((im) => [...str(im.module), ...str(im.name), 0x00,
    ...uleb(typeIndex(im.params ?? 0, !!im.result))]);
  const funcTypes = funcs.map((f) => uleb(typeIndex(f.params ?? 0, !!f.result)));
  const exportsList = [];
  if (memory) exportsList.push([...str('memory'), 0x02, 0]);
  funcs.forEach((f, i) => {
    if (f.export) exportsList.push([...str(f.export), 0x00, ...uleb(imports.length + i)]);
  });
  const bodies = funcs.map((f) => {
    const code = [0x00 /* no locals */, ...f.body.flat(), 0x0b];
    return [...uleb(code.length), ...code];
  });
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, vec(types.map((t) => t.bytes))));
  if (imports.length) bytes.push(...section(2, vec(importBytes)));
  bytes.push(...section(3, vec(funcTypes)));
  if (memory) bytes.push(...section(5, vec([[0x00, 1]])));
  if (globals) bytes.push(...section(6, vec(Array.from({ length: globals }, () => [I32, 0x01, 0x41, 0, 0x0b]))));
  bytes.push(...section(7, vec(exportsList)));
  bytes.push(...section(10, vec(bodies)));
  if (data.length) {
    bytes.push(...section(11, vec(data.map((d) => [0x00, 0x41, ...sleb(d.offset), 0x0b, ...vec([...d.bytes].map((b) => [b]))]))));
  }
  return new Uint8Array(bytes);
}

/** Parameter counts of the pmw_* exports (core/src/wasm/api.c). */
export const PMW_PARAMS = {
  pmw_version: 0, pmw_new_status: 0, pmw_heap_new: 2, pmw_heap_free: 1, pmw_heap_alive: 1,
  pmw_last_status: 1, pmw_error: 1, pmw_malloc: 3, pmw_calloc: 4, pmw_realloc: 4, pmw_free: 3,
  pmw_ptr_classify: 2, pmw_block_size: 2, pmw_check: 1, pmw_limit: 1, pmw_set_limit: 2,
  pmw_footprint: 1, pmw_stats: 1, pmw_arena_slots: 1, pmw_arena_info: 2, pmw_pool_info: 3,
  pmw_text_len: 0, pmw_debugmallocstats: 1,
  // objects (core/src/wasm/objapi.c); doubles are declared as i32 here: a fake never computes with them
  pmw_obj_scratch: 1, pmw_buf_alloc: 1, pmw_buf_free: 1, pmw_obj_text_len: 0, pmw_exc_kind: 1, pmw_exc_msg: 1,
  pmw_obj_valid: 2, pmw_obj_incref: 2, pmw_obj_decref: 2, pmw_obj_refcnt: 2, pmw_obj_sizeof: 2,
  pmw_obj_type_id: 2, pmw_obj_type_name: 2, pmw_obj_repr: 2, pmw_obj_hash: 2, pmw_obj_eq: 3, pmw_obj_len: 2,
  pmw_obj_singleton: 2, pmw_int_from_double: 2, pmw_int_from_text: 4, pmw_int_to_text: 2, pmw_float_new: 2,
  pmw_float_value: 2, pmw_str_new: 3, pmw_str_utf8: 2, pmw_bytes_new: 3, pmw_bytes_data: 2, pmw_tuple_new: 3,
  pmw_tuple_getitem: 3, pmw_list_new: 3, pmw_list_append: 3, pmw_list_insert: 4, pmw_list_setitem: 4,
  pmw_list_getitem: 3, pmw_list_pop: 3, pmw_list_delitem: 3, pmw_list_getslice: 5, pmw_list_delslice: 5,
  pmw_list_extend: 3, pmw_dict_new: 1, pmw_dict_setitem: 4, pmw_dict_getitem: 3, pmw_dict_delitem: 3,
  pmw_dict_contains: 3, pmw_dict_next: 3, pmw_set_new: 4, pmw_set_add: 3, pmw_set_discard: 3,
  pmw_set_contains: 3, pmw_set_next: 3,
};

/**
 * A fake core with every pmw_* export: each returns `results[name]` (default
 * 0, pmw_version PMW_VERSION, pmw_heap_new 1024, pmw_heap_alive 1) unless `bodies[name]`
 * gives its instructions. pmw_error returns the address of `errorText`.
 * Imports env.emscripten_notify_memory_growth and
 * wasi_snapshot_preview1.proc_exit (function 1) like a real build might.
 */
export function fakeCore({ results = {}, bodies = {}, errorText = '', version = PMW_VERSION } = {}) {
  const ERR = 1024;
  const defaults = { pmw_version: version, pmw_heap_new: 4096, pmw_heap_alive: 1, pmw_error: ERR };
  // every export the loader requires (raw.js EXPORTS); parameter counts where
  // known — JavaScript may call a wasm function with any number of arguments
  const funcs = Object.keys(EXPORTS).map((name) => ({
    export: name,
    params: PMW_PARAMS[name] ?? 0,
    result: true,
    body: bodies[name] ?? [op.i32(results[name] ?? defaults[name] ?? 0)],
  }));
  return wasmBinary({
    imports: [
      { module: 'env', name: 'emscripten_notify_memory_growth', params: 1 },
      { module: 'wasi_snapshot_preview1', name: 'proc_exit', params: 1 },
    ],
    funcs,
    data: [{ offset: ERR, bytes: Buffer.from(errorText + '\0') }],
  });
}
