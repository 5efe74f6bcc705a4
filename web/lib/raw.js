// raw.js — every wasm export named in one place, plus the layouts of the
// structs the core hands back through its transfer buffer.
//
// No other module touches `pmw_*` names or typed-array views of linear
// memory. Results are normalised here: pointers and sizes are u32 (`>>> 0`,
// the wasm ABI returns them as signed i32), statuses are signed i32.
//
// The C side of this contract is core/src/wasm/api.c and core/include/pm.h.
// @internal — not part of the public API.

/** Must equal PMW_VERSION in core/src/wasm/api.c; bump both together. */
export const PMW_VERSION = 7;

/** CPython's allocator domains (pm_domain). */
export const Domain = Object.freeze({ RAW: 0, MEM: 1, OBJ: 2 });
export const DOMAIN_NAMES = Object.freeze(['raw', 'mem', 'obj']);

/** pm_ptr_kind values, by index. */
export const PTR_KINDS = Object.freeze([
  'null', 'foreign', 'block_live', 'block_free', 'block_interior', 'raw_live', 'raw_free', 'raw_interior',
]);

/** pm_pool_info.state values, by index. */
export const POOL_STATES = Object.freeze(['unused', 'empty', 'used', 'full']);

export const NB_SMALL_SIZE_CLASSES = 32;
export const DUMMY_SIZE_IDX = 0xffff;
export const NOT_USABLE = 0xffffffff; // pm_arena_info.usable_rank when not in usable_arenas

/**
 * The exports the library needs: name -> result type. 'u32' results are
 * pointers/sizes/counts, 'i32' results are pm_status values (or booleans),
 * 'f64' results are doubles (lengths that may pass 2**31, float values).
 *
 * @type {Record<string, 'u32' | 'i32' | 'f64'>}
 */
export const EXPORTS = Object.freeze({
  pmw_version: 'u32',          // () -> PMW_VERSION
  pmw_new_status: 'i32',       // () -> status of the last pmw_heap_new
  pmw_heap_new: 'u32',         // (limit, debugChecks) -> heap | 0
  pmw_heap_free: 'i32',        // (h) -> status
  pmw_heap_alive: 'i32',       // (h) -> 0 | 1
  pmw_last_status: 'i32',      // (h) -> status of the last call on h
  pmw_error: 'u32',            // (h) -> char* (NUL-terminated) | 0
  pmw_malloc: 'u32',           // (h, domain, n) -> ptr | 0
  pmw_calloc: 'u32',           // (h, domain, nelem, elsize) -> ptr | 0
  pmw_realloc: 'u32',          // (h, domain, p, n) -> ptr | 0
  pmw_free: 'i32',             // (h, domain, p) -> status
  pmw_ptr_classify: 'i32',     // (h, p) -> pm_ptr_kind | EDEAD
  pmw_block_size: 'u32',       // (h, p) -> usable size | 0
  pmw_check: 'i32',            // (h) -> OK | ECORRUPT
  pmw_limit: 'u32',            // (h) -> bytes (0 = none)
  pmw_set_limit: 'i32',        // (h, bytes) -> status
  pmw_footprint: 'u32',        // (h) -> bytes held
  pmw_stats: 'u32',            // (h) -> pm_heap_stats* | 0
  pmw_arena_slots: 'u32',      // (h) -> maxarenas
  pmw_arena_info: 'u32',       // (h, index) -> pm_arena_info* | 0
  pmw_pool_info: 'u32',        // (h, arena, k) -> pm_pool_info* | 0
  pmw_text_len: 'u32',         // () -> length of the last report text
  pmw_stack_low: 'u32',        // () -> lowest address of the wasm stack
  pmw_debugmallocstats: 'u32', // (h) -> char* | 0

  // ---- objects (core/src/wasm/objapi.c) ----------------------------------
  // Object results are new references (0 on failure: see pmw_last_status);
  // status PM_EPYTHON (-9) means a Python exception: pmw_exc_kind/_msg.
  // Indices and slice bounds are doubles (NaN = None).
  pmw_obj_scratch: 'u32',      // (h) -> transfer buffer (SCRATCH_BYTES) | 0
  pmw_buf_alloc: 'u32',        // (n) -> host buffer for larger inputs | 0
  pmw_buf_free: 'i32',         // (p) -> status
  pmw_obj_text_len: 'u32',     // () -> byte length of the last text result
  pmw_exc_kind: 'i32',         // (h) -> pm_exc_kind (EXC_KINDS index) | EDEAD
  pmw_exc_msg: 'u32',          // (h) -> char* message of the pending exception
  pmw_snapshot: 'u32',         // (h, roots, n) -> pm_snapshot* | 0
  pmw_snapshot_traced: 'u32',  // (h, roots, n) -> pm_snapshot* (with its objects' tracebacks) | 0
  pmw_obj_freelists: 'u32',    // (h) -> u32 (count, limit) pairs: float, list, dict, dict keys, tuple 1..20 | 0
  pmw_obj_valid: 'i32',        // (h, o) -> 1 | 0 (status says why) | EDEAD
  pmw_obj_incref: 'i32',       // (h, o) -> status
  pmw_obj_decref: 'i32',       // (h, o) -> status
  pmw_obj_refcnt: 'u32',       // (h, o) -> low 32 bits of ob_refcnt | 0
  pmw_obj_sizeof: 'u32',       // (h, o) -> sys.getsizeof | 0
  pmw_obj_type_id: 'i32',      // (h, o) -> pm_type_id (TYPE_IDS index) | status
  pmw_obj_type_name: 'u32',    // (h, o) -> char* | 0
  pmw_builtin_type_name: 'u32', // (h, id) -> tp_name of built-in type id | 0 past the last (checks TYPE_IDS)
  pmw_obj_repr: 'u32',         // (h, o) -> text | 0
  pmw_obj_hash: 'u32',         // (h, o) -> int64* | 0
  pmw_obj_eq: 'i32',           // (h, a, b) -> 1 | 0 | status
  pmw_obj_len: 'f64',          // (h, o) -> len | status (< 0)
  pmw_obj_singleton: 'u32',    // (h, which: SINGLETONS index) -> object | 0
  pmw_int_from_double: 'u32',  // (h, d) -> int | 0
  pmw_int_from_text: 'u32',    // (h, p, n, base) -> int | 0
  pmw_int_to_text: 'u32',      // (h, o) -> text "0x.." / "-0x.." | 0
  pmw_float_new: 'u32',        // (h, d) -> float | 0
  pmw_float_value: 'f64',      // (h, o) -> value (NaN: check the status)
  pmw_str_new: 'u32',          // (h, p, n) -> str from UTF-8 | 0
  pmw_str_intern: 'u32',       // (h, s) -> the interned str equal to s | 0
  pmw_str_utf8: 'u32',         // (h, o) -> text | 0
  pmw_bytes_new: 'u32',        // (h, p, n) -> bytes | 0
  pmw_bytes_data: 'u32',       // (h, o) -> data (length: pmw_obj_text_len) | 0
  pmw_tuple_new: 'u32',        // (h, items, n) -> tuple | 0
  pmw_tuple_getitem: 'u32',    // (h, t, i) -> item | 0
  pmw_list_new: 'u32',         // (h, items, n) -> list | 0
  pmw_list_append: 'i32',      // (h, l, v) -> status
  pmw_list_insert: 'i32',      // (h, l, i, v) -> status
  pmw_list_setitem: 'i32',     // (h, l, i, v) -> status
  pmw_list_getitem: 'u32',     // (h, l, i) -> item | 0
  pmw_list_pop: 'u32',         // (h, l, i) -> item | 0
  pmw_list_delitem: 'i32',     // (h, l, i) -> status
  pmw_list_getslice: 'u32',    // (h, l, start, stop, step) -> list | 0
  pmw_list_delslice: 'i32',    // (h, l, start, stop, step) -> status
  pmw_list_setslice: 'i32',    // (h, l, start, stop, step, listOrTuple) -> status
  pmw_list_extend: 'i32',      // (h, l, listOrTuple) -> status
  pmw_dict_new: 'u32',         // (h) -> dict | 0
  pmw_dict_call: 'u32',        // (h) -> dict() | 0: a fresh dict, never the free list
  pmw_dict_fromkeys: 'u32',    // (h, src, value) -> dict | 0 (src: exact dict, set or frozenset; presized)
  pmw_dict_setitem: 'i32',     // (h, d, k, v) -> status
  pmw_dict_getitem: 'u32',     // (h, d, k) -> value | 0
  pmw_dict_delitem: 'i32',     // (h, d, k) -> status
  pmw_dict_contains: 'i32',    // (h, d, k) -> 1 | 0 | status
  pmw_dict_next: 'i32',        // (h, d, pos) -> next pos (> 0; key, value in the transfer buffer) | 0 | status
  pmw_dict_pop: 'u32',         // (h, d, k, default | 0) -> value | 0 (KeyError without a default)
  pmw_dict_popitem: 'u32',     // (h, d) -> (key, value) tuple | 0 (KeyError when empty)
  pmw_dict_setdefault: 'u32',  // (h, d, k, default) -> the value now stored | 0
  pmw_dict_copy: 'u32',        // (h, d) -> copy | 0
  pmw_dict_update: 'i32',      // (h, a, b: a dict) -> status
  pmw_dict_clear: 'i32',       // (h, d) -> status
  pmw_set_new: 'u32',          // (h, items, n, frozen) -> set | frozenset | 0
  pmw_set_add: 'i32',          // (h, s, k) -> status
  pmw_set_discard: 'i32',      // (h, s, k) -> 1 | 0 | status
  pmw_set_contains: 'i32',     // (h, s, k) -> 1 | 0 | status
  pmw_set_next: 'i32',         // (h, s, pos) -> next pos (> 0; key in the transfer buffer) | 0 | status

  // ---- classes and instances (core/src/wasm/classapi.c) -------------------
  pmw_class_new: 'u32',        // (h, name, base | 0, ns) -> class | 0 (the class statement; ns copied)
  pmw_class_lookup: 'u32',     // (h, cls, name) -> _PyType_Lookup result | 0 (status OK: not found)
  pmw_class_dict: 'u32',       // (h, cls) -> the class's own dict | 0
  pmw_class_mro: 'u32',        // (h, cls) -> cls.__mro__ | 0
  pmw_instance_new: 'u32',     // (h, cls) -> object.__new__(cls) | 0
  pmw_instance_dict: 'u32',    // (h, o) -> o.__dict__ (materialised) | 0
  pmw_getattr: 'u32',          // (h, o, name) -> getattr(o, name) | 0
  pmw_setattr: 'i32',          // (h, o, name, v) -> status
  pmw_delattr: 'i32',          // (h, o, name) -> status

  // ---- code, functions, cells, methods, frames, generators (callapi.c) ----
  // Optional object arguments are 0 for none; frame handles are addresses.
  pmw_code_new: 'u32',         // (h, consts, names, lpnames, lpkinds, filename, name, qualname, argc, posonly, kwonly, stacksize, firstlineno, flags, ncodeunits, bodyId) -> code | 0
  pmw_code_info: 'i32',        // (h, code, which) -> integer field | status
  pmw_code_get: 'u32',         // (h, code, which) -> object field | 0
  pmw_func_new: 'u32',         // (h, code, globals, builtins, defaults, kwdefaults, annotations, closure) -> function | 0
  pmw_func_get: 'u32',         // (h, f, which) -> field (None when unset) | 0
  pmw_func_set: 'i32',         // (h, f, which, v | 0) -> status
  pmw_func_bind: 'u32',        // (h, f, obj | 0) -> f.__get__(obj) | 0
  pmw_cell_new: 'u32',         // (h, v | 0) -> cell | 0
  pmw_cell_get: 'u32',         // (h, c) -> contents | 0 (ValueError: empty)
  pmw_cell_set: 'i32',         // (h, c, v | 0) -> status
  pmw_method_new: 'u32',       // (h, func, self) -> bound method | 0
  pmw_method_get: 'u32',       // (h, m, which: 0 __func__, 1 __self__) -> object | 0
  pmw_frame_push: 'u32',       // (h, func) -> frame | 0
  pmw_frame_pop: 'i32',        // (h, frame) -> status
  pmw_frame_current: 'u32',    // (h) -> frame | 0
  pmw_frame_depth: 'i32',      // (h) -> depth | status
  pmw_frame_info: 'i32',       // (h, frame, which) -> integer field | status
  pmw_frame_set_instr: 'i32',  // (h, frame, instr) -> status
  pmw_frame_obj: 'u32',        // (h, frame, which) -> object field | 0
  pmw_frame_set_locals: 'i32', // (h, frame, v | 0) -> status
  pmw_frame_get: 'u32',        // (h, frame, i) -> local | 0 (status OK: unbound)
  pmw_frame_set: 'i32',        // (h, frame, i, v | 0) -> status
  pmw_frame_push_value: 'i32', // (h, frame, v) -> status
  pmw_frame_pop_value: 'u32',  // (h, frame) -> value | 0
  pmw_frame_peek: 'u32',       // (h, frame, depth) -> value | 0
  pmw_frame_make_cell: 'i32',  // (h, frame, i) -> status
  pmw_frame_copy_free_vars: 'i32', // (h, frame) -> status
  pmw_gen_from_frame: 'u32',   // (h, frame) -> generator | 0
  pmw_gen_resume: 'i32',       // (h, g) -> 0 running | 1 exhausted | status
  pmw_gen_send: 'i32',         // (h, g, v | 0) -> 0 | 1 | status
  pmw_gen_suspend: 'i32',      // (h, g) -> status
  pmw_gen_finish: 'i32',       // (h, g) -> status
  pmw_gen_close: 'i32',        // (h, g) -> status
  pmw_gen_state: 'i32',        // (h, g) -> GEN_STATES index | status
  pmw_gen_frame: 'u32',        // (h, g) -> frame | 0
  pmw_gen_get: 'u32',          // (h, g, which: 0 __name__, 1 __qualname__, 2 gi_code) -> object | 0

  // ---- the collector and weakrefs (core/src/wasm/gcapi.c) -----------------
  pmw_gc_collect: 'i32',       // (h, gen) -> collected | status
  pmw_gc_eval_breaker: 'i32',  // (h) -> collected by a scheduled collection | status
  pmw_gc_is_scheduled: 'i32',  // (h) -> 1 | 0 | EDEAD
  pmw_gc_enable: 'i32',        // (h, on) -> status
  pmw_gc_isenabled: 'i32',     // (h) -> 1 | 0 | EDEAD
  pmw_gc_count: 'i32',         // (h, gen) -> count[gen] | status
  pmw_gc_threshold: 'i32',     // (h, gen) -> threshold[gen] | status
  pmw_gc_set_threshold: 'i32', // (h, t0, t1, t2, n) -> status
  pmw_gc_stat: 'f64',          // (h, gen, field) -> get_stats()[gen][field] | -1
  pmw_gc_get_count_tuple: 'u32',     // (h) -> gc.get_count() | 0
  pmw_gc_get_threshold_tuple: 'u32', // (h) -> gc.get_threshold() | 0
  pmw_gc_get_stats_list: 'u32',      // (h) -> gc.get_stats() | 0
  pmw_gc_get_objects: 'u32',   // (h, gen | -1) -> list | 0
  pmw_gc_get_referrers: 'u32', // (h, items, n, args | 0) -> list | 0
  pmw_gc_get_referents: 'u32', // (h, items, n) -> list | 0
  pmw_gc_is_tracked: 'i32',    // (h, o) -> 1 | 0 | status
  pmw_gc_is_finalized: 'i32',  // (h, o) -> 1 | 0 | status
  pmw_gc_is_gc: 'i32',         // (h, o) -> 1 | 0 | status
  pmw_gc_freeze: 'i32',        // (h) -> status
  pmw_gc_set_startup_state: 'i32', // (h, count0, count1, count2) -> status
  pmw_startup_freelists: 'i32',   // (h, lengths: i32 x 23 in the transfer buffer: floats, lists, dicts, 1..20-tuples) -> status
  pmw_gc_unfreeze: 'i32',      // (h) -> status
  pmw_gc_get_freeze_count: 'i32', // (h) -> count | status
  pmw_gc_generation_size: 'i32',  // (h, gen 0..3) -> objects | status
  pmw_gc_set_debug: 'i32',     // (h, flags) -> status
  pmw_gc_get_debug: 'i32',     // (h) -> flags | EDEAD
  pmw_gc_garbage: 'u32',       // (h) -> gc.garbage | 0
  pmw_gc_callbacks: 'u32',     // (h) -> gc.callbacks | 0
  pmw_gc_stderr: 'u32',        // (h) -> text of the stderr sink | 0
  pmw_gc_stderr_len: 'u32',    // (h) -> its length in bytes
  pmw_gc_stderr_clear: 'i32',  // (h) -> status
  pmw_gc_trace_enable: 'i32',  // (h, on) -> status
  pmw_gc_trace_addr: 'u32',    // (h, phase) -> {u32 obj, i32 value} entries | 0
  pmw_gc_trace_len: 'u32',     // (h, phase) -> number of entries
  pmw_gc_trace_generation: 'i32', // (h) -> generation of the traced collection | status
  pmw_gc_trace_result: 'f64',  // (h, which: 0 collected, 1 uncollectable) -> count | -1 (none) | status
  pmw_weakref_new: 'u32',      // (h, ob, callback | 0) -> weakref | 0
  pmw_weakref_proxy: 'u32',    // (h, ob, callback | 0, callable) -> proxy | 0
  pmw_weakref_call: 'u32',     // (h, r) -> referent or None | 0
  pmw_weakref_proxy_referent: 'u32', // (h, p) -> referent | 0 (ReferenceError)
  pmw_weakref_getweakrefcount: 'i32', // (h, ob) -> count | status
  pmw_weakref_getweakrefs: 'u32',     // (h, ob) -> list | 0
  // ---- the interpreter (web/interp/vm.js) ---------------------------------
  // core/src/wasm/vmapi.c: unvalidated fast paths on addresses the VM owns
  // references to ('f64' binds the export unwrapped: used for the void ones).
  pmw_vm_incref: 'f64',        // (o)
  pmw_vm_decref: 'f64',        // (h, o)
  pmw_vm_refcnt: 'u32',        // (o) -> low 32 bits of ob_refcnt
  pmw_vm_type: 'u32',          // (o) -> type(o), borrowed
  pmw_vm_type_id: 'i32',       // (o) -> pm_type_id of type(o) (TYPE_IDS.length for user classes)
  pmw_vm_builtin_type: 'u32',  // (h, id) -> built-in type object, borrowed
  pmw_vm_type_base: 'u32',     // (type) -> tp_base, borrowed | 0
  pmw_vm_type_name: 'u32',     // (type) -> char* tp_name
  pmw_vm_is_subtype: 'i32',    // (a, b) -> 1 | 0
  pmw_vm_lookup: 'u32',        // (h, type, name) -> _PyType_Lookup, borrowed | 0
  pmw_vm_has_descr_get: 'i32', // (o) -> 1 | 0
  pmw_vm_descr_get: 'u32',     // (h, descr, obj) -> new reference | 0
  pmw_vm_binop: 'u32',         // (h, NB_op, a, b) -> new reference | 0
  pmw_vm_unary: 'u32',         // (h, 0 neg | 1 invert | 2 pos, a) -> new reference | 0
  pmw_vm_truth: 'i32',         // (h, o) -> 1 | 0 | -1
  pmw_vm_repr: 'u32',          // (h, o) -> new str | 0
  pmw_vm_str: 'u32',           // (h, o) -> new str | 0
  pmw_vm_getitem: 'u32',       // (h, o, k) -> new reference | 0
  pmw_vm_setitem: 'i32',       // (h, o, k, v) -> 0 | -1
  pmw_vm_delitem: 'i32',       // (h, o, k) -> 0 | -1
  pmw_vm_contains: 'i32',      // (h, container, v) -> 1 | 0 | -1
  pmw_vm_compare: 'u32',       // (h, PM_CMP_op, a, b) -> new bool | 0
  pmw_vm_len: 'f64',           // (h, o) -> len | -1
  pmw_vm_iter_item: 'u32',     // (h, seq, index) -> new reference | 0 (past the end, or an error)
  pmw_vm_int_value: 'f64',     // (h, int) -> value as a double
  pmw_vm_getattr: 'u32',       // (h, o, name) -> new reference | 0
  pmw_vm_setattr: 'i32',       // (h, o, name, v | 0 to delete) -> 0 | -1
  pmw_vm_build_set: 'u32',     // (h, items, n) -> new set | 0
  pmw_vm_gen_state: 'i32',     // (gen) -> gi_frame_state
  pmw_vm_object_new: 'u32',    // (h) -> object() | 0
  pmw_vm_range_new: 'u32',     // (h, start, stop, step) -> range | 0
  pmw_vm_tuple_maybe_untrack: 'f64', // (h, tuple): _PyTuple_MaybeUntrack
  pmw_vm_set_update: 'i32',    // (h, set, set or frozenset) -> 0 | -1
  pmw_vm_dictview_new: 'u32',  // (h, dict, kind 0 keys | 1 values | 2 items) -> new view | 0
  pmw_vm_dictview_isdisjoint: 'i32', // (h, keys/items view, other) -> 1 | 0 | -1
  pmw_vm_layout: 'i32',        // (i) -> 0 offsetof(ob_type), 1 offsetof(pm_type, type_id), 2 scratch bytes | -1
  pmw_vm_gc_flag: 'u32',       // (h) -> address of the collector's `scheduled` int | 0
  pmw_vm_build_list: 'u32',    // (h, items, n) -> new list stealing n references | 0
  pmw_vm_build_tuple: 'u32',   // (h, items, n) -> new tuple stealing n references | 0
  pmw_vm_load_global: 'u32',   // (h, globals, builtins, name) -> new reference | 0 (absent: no exception)
  pmw_vm_gen_resume: 'i32',    // (h, gen) -> 0 running (the pushed None released) | 1 exhausted | < 0
  pmw_vm_gen_suspend: 'i32',   // (h, gen) -> status (YIELD_VALUE)
  // core/src/wasm/iterapi.c: the iterator types (core/src/iterobject.c)
  pmw_vm_getiter: 'u32',       // (h, o) -> iter(o) for a core iterable, new reference | 0 (TypeError)
  pmw_vm_is_iter: 'i32',       // (h, o) -> 1 if o is a core iterator object | 0
  pmw_vm_iter_next: 'u32',     // (h, it) -> next item | 0 (end, or an error) | 1 (the host steps it)
  pmw_vm_iter_hint: 'f64',     // (h, it) -> __length_hint__ | -1 (none)
  pmw_vm_dictiter: 'u32',      // (h, dict, 0 keys | 1 values | 2 items) -> iterator | 0
  pmw_vm_reversed: 'u32',      // (h, seq, len for a host sequence) -> reversed(seq) | 0
  pmw_vm_enumerate: 'u32',     // (h, iterator, start) -> enumerate | 0
  pmw_vm_zip: 'u32',           // (h, iterators, n, strict) -> zip | 0
  pmw_vm_map: 'u32',           // (h, func, iterators, n) -> map | 0
  pmw_vm_filter: 'u32',        // (h, func, iterator) -> filter | 0
  pmw_vm_enumerate_pack: 'u32', // (h, enumerate, item: stolen) -> (index, item) | 0
  pmw_vm_zip_pack: 'u32',      // (h, zip, items: stolen) -> the result tuple | 0
  pmw_vm_reversed_take: 'f64', // (h, reversed) -> index to fetch | -1 (exhausted)
  pmw_vm_reversed_stop: 'f64', // (h, reversed): exhausted early
  pmw_vm_iter_field: 'u32',    // (h, it, 0 | 1 | 2) -> inner iterator(s) / function / zip's strict flag, borrowed | 0
  // core/src/wasm/excapi.c: exception objects (core/src/excobject.c)
  pmw_vm_exc_new: 'u32',       // (h, cls, args tuple | 0) -> cls(*args) | 0
  pmw_vm_exc_check: 'i32',     // (h, o) -> 1 exception instance | 2 exception class | 0
  pmw_vm_exc_get: 'u32',       // (h, e, EXC_FIELDS index) -> new reference (None if unset) | 0
  pmw_vm_exc_set: 'i32',       // (h, e, field, v | 0) -> 0 | -1
  pmw_vm_exc_nextra: 'i32',    // (e) -> number of subclass fields (StopIteration.value, ...)
  pmw_vm_list_extend_items: 'i32', // (h, list, items: stolen, n, length hint | -1) -> 0 | -1 (list_extend's sizes)
  pmw_iter_new: 'u32',         // (h, o) -> iter(o), validated handles | 0 (status)
  pmw_iter_next: 'u32',        // (h, it) -> next item | 0: status OK at the end, else the error
  pmw_iter_length_hint: 'f64', // (h, it) -> __length_hint__ | -1 (none, or a bad handle: see the status)
  // ---- tracemalloc (core/src/wasm/traceapi.c; decoded by tracemalloc.js) ----
  pmw_tm_start: 'i32',         // (h, nframe) -> status (EPYTHON: ValueError)
  pmw_tm_stop: 'i32',          // (h) -> status
  pmw_tm_is_tracing: 'i32',    // (h) -> 0 | 1 | status
  pmw_tm_clear_traces: 'i32',  // (h) -> status
  pmw_tm_reset_peak: 'i32',    // (h) -> status
  pmw_tm_traceback_limit: 'i32', // (h) -> nframe | status
  pmw_tm_memory: 'f64',        // (h, which: 0 current, 1 peak, 2 tracemalloc's own, 3 traces) -> bytes | status
  pmw_tm_snapshot: 'u32',      // (h) -> pm_tracemalloc_export blob | 0
  pmw_tm_object_traceback: 'i32', // (h, o) -> traceback id + 1 | 0 (None) | status
  pmw_tm_snapshot_tracebacks: 'u32', // (h) -> u32[nobjs of the last snapshot]: traceback id + 1 | 0 (None); 0: failed
  pmw_tm_track: 'i32',         // (h, domain, ptr, size) -> 0 | -2 (not tracing) | status
  pmw_tm_untrack: 'i32',       // (h, domain, ptr) -> 0 | -2 | status
  pmw_frame_set_lineno: 'i32', // (h, frame | 0 = current, lineno) -> status
  pmw_frame_push_mirror: 'u32', // (h, code, globals | 0, builtins | 0, lineno) -> frame | 0 (borrows all)
  pmw_frame_pop_mirror: 'i32',  // (h, frame) -> status (frame must be the current mirror)
  // core/src/wasm/descrapi.c: property, classmethod, staticmethod (core/src/descrobject.c)
  pmw_descr_new: 'u32',         // (h, 0 property | 1 classmethod | 2 staticmethod, a, b, c, d) -> new | 0
  pmw_property_field: 'u32',    // (h, prop, 0 fget | 1 fset | 2 fdel | 3 doc | 4 name) -> borrowed | 0
  pmw_property_copy: 'u32',     // (h, prop, 0 getter | 1 setter | 2 deleter, func) -> new property | 0
  pmw_property_function: 'u32', // (h, prop, obj, 0 get | 1 set | 2 delete) -> borrowed function | 0 + AttributeError
  pmw_descr_callable: 'u32',    // (h, classmethod | staticmethod) -> __func__, borrowed | 0
  pmw_descr_dict: 'u32',        // (h, classmethod | staticmethod) -> __dict__, new | 0
  pmw_descr_bind: 'u32',        // (h, descr, obj | 0, type | 0) -> type(descr).__get__(...), new | 0
  pmw_type_subclasses: 'u32',   // (h, class) -> new list of its live subclasses | 0 (static types: TypeError)
});

/** Bytes of the heap's transfer buffer (PM_SCRATCH_BYTES in core/src/internal.h). */
export const SCRATCH_BYTES = 16384;

/** pm_type_id values (core/src/object.h), by index: the built-in types. */
export const TYPE_IDS = Object.freeze([
  'type', 'object', 'NoneType', 'NotImplementedType', 'ellipsis',
  'int', 'bool', 'float', 'str', 'bytes',
  'tuple', 'list', 'dict', 'set', 'frozenset', 'range',
  'member_descriptor', 'getset_descriptor',
  'code', 'function', 'cell', 'method', 'generator',
  'weakref.ReferenceType', 'weakref.ProxyType', 'weakref.CallableProxyType',
  'list_iterator', 'list_reverseiterator', 'tuple_iterator', 'str_ascii_iterator', 'str_iterator',
  'bytes_iterator', 'reversed', 'range_iterator', 'longrange_iterator', 'dict_keyiterator',
  'dict_valueiterator', 'dict_itemiterator', 'set_iterator', 'enumerate', 'zip', 'map',
  'filter',
  // core/src/excobject.h PM_EXC_TYPES
  'BaseException', 'SystemExit', 'KeyboardInterrupt', 'GeneratorExit', 'Exception', 'StopIteration',
  'ArithmeticError', 'OverflowError', 'ZeroDivisionError', 'AssertionError', 'AttributeError', 'ImportError',
  'ModuleNotFoundError', 'LookupError', 'IndexError', 'KeyError', 'MemoryError', 'NameError',
  'UnboundLocalError', 'ReferenceError', 'RuntimeError', 'NotImplementedError', 'RecursionError',
  'SystemError', 'TypeError', 'ValueError', 'UnicodeError', 'UnicodeDecodeError', 'UnicodeEncodeError',
  // core/src/dictviewobject.c, then iterobject.c's reverse dict iterators
  'dict_keys', 'dict_values', 'dict_items',
  'dict_reversekeyiterator', 'dict_reversevalueiterator', 'dict_reverseitemiterator',
  // core/src/descrobject.c
  'property', 'classmethod', 'staticmethod',
]);
/** excobject.h PM_EXCF_* (pmw_vm_exc_get / _set); 7 + i is the i-th subclass field. */
export const EXC_FIELDS = Object.freeze({
  __dict__: 0, args: 1, __notes__: 2, __traceback__: 3, __context__: 4, __cause__: 5, __suppress_context__: 6,
});
/** What pmw_obj_type_id returns for an instance of a user class (PM_T__COUNT). */
export const USER_TYPE_ID = TYPE_IDS.length;

/** pm_exc_kind values (core/src/object.h), by index; 0 is "no exception". */
export const EXC_KINDS = Object.freeze([
  null, 'MemoryError', 'TypeError', 'ValueError',
  'KeyError', 'IndexError', 'OverflowError', 'ZeroDivisionError',
  'AttributeError', 'RuntimeError', 'RecursionError',
  'UnicodeDecodeError', 'UnicodeEncodeError',
  'ReferenceError',
  'HostError',   // Python code run through pyheap.slot raised: the host holds the exception itself
]);

/** pmw_gen_state values, by index (gi_frame_state + 2; 4 and 5 are unused). */
export const GEN_STATES = Object.freeze(['created', 'suspended', 'executing', 'completed', null, null, 'cleared']);

/** pm_gc_phase values (core/src/gc.h), by index, as heap.gc.lastTrace() names them. */
export const GC_PHASES = Object.freeze([
  'examined', 'unreachable', 'weakrefCallbacks', 'finalized', 'resurrected', 'cleared', 'freed',
  'copied', 'untracked', 'weakrefsCleared',
]);

/** pmw_obj_singleton's argument. */
export const SINGLETONS = Object.freeze({ None: 0, True: 1, False: 2, NotImplemented: 3, Ellipsis: 4 });

// ---- struct layouts (wasm32, little-endian) ------------------------------

/** pm_class_stats: 7 x u32, in this order. */
const CLASS_STATS_FIELDS = [
  'size', 'numPools', 'poolsUsed', 'poolsFull', 'poolsEmpty', 'blocksInUse', 'availBlocks',
];
const CLASS_STATS_SIZE = CLASS_STATS_FIELDS.length * 4; // 28

/** pm_heap_stats: 32 pm_class_stats, then these u64 at offset 896. */
const HEAP_STATS_U64_OFFSET = NB_SMALL_SIZE_CLASSES * CLASS_STATS_SIZE; // 896
const HEAP_STATS_U64_FIELDS = [
  'ntimesArenaAllocated',
  'narenasCurrentlyAllocated',
  'narenasHighwater',
  'unusedPools',
  'bytesInAllocatedBlocks',
  'bytesInAvailableBlocks',
  'bytesLostToPoolHeaders',
  'bytesLostToQuantization',
  'bytesLostToArenaAlignment',
  'rawAllocatedBlocks',
  'rawBlocks',
  'rawBytesRequested',
  'footprint',
  'arenaMapMidNodes',
  'arenaMapBotNodes',
];

/** pm_arena_info: address, first_pool (uintptr_t = u32 on wasm32), then 4 x u32. */
const ARENA_INFO_FIELDS = ['address', 'firstPool', 'nfreepools', 'ntotalpools', 'ncarved', 'usableRank'];
/** pm_pool_info: address (u32), szidx, count, capacity, state. */
const POOL_INFO_FIELDS = ['address', 'szidx', 'count', 'capacity', 'state'];

const utf8 = new TextDecoder('utf-8');

/** Thrown by the WASI proc_exit import (abort()/exit() inside the core). */
export class WasmExit extends Error {
  constructor(code) {
    super(`the core exited with status ${code}`);
    this.name = 'WasmExit';
    this.exitCode = code;
  }
}

/**
 * The bound module: one WebAssembly instance, its exports normalised, and
 * views of its memory that are rebuilt whenever the memory grows.
 */
export class RawModule {
  #memory;
  #buffer = null;
  #u8 = null;
  #dv = null;
  #stackBase = 0;
  #stackSave = null;
  #stackRestore = null;
  /** Nesting of host calls (the core calling JavaScript which calls the core). */
  #hostDepth = 0;
  /** heap handle -> { finalize(objPtr), call(callablePtr, argsPtr), slot?(kind, aPtr, bPtr) } (Heap registers itself) */
  hosts = new Map();

  /**
   * @param {WebAssembly.Instance} instance
   * @param {{ debug: boolean, source: string }} info
   */
  constructor(instance, info) {
    const e = instance.exports;
    this.#memory = e.memory;
    if (typeof e.stackSave === 'function' && typeof e.stackRestore === 'function') {
      this.#stackBase = e.stackSave();
      this.#stackSave = e.stackSave;
      this.#stackRestore = e.stackRestore;
    }
    /** The instance's exports as they are, unwrapped (u32 results come back as signed i32). */
    this.wasm = e;
    /** Whether this is the debug build. */
    this.debug = info.debug;
    /** Where the module came from (for messages). */
    this.source = info.source;
    for (const [name, type] of Object.entries(EXPORTS)) {
      const fn = e[name];
      const short = name.slice(4); // 'pmw_malloc' -> 'malloc'
      if (short === 'version') {
        /** PMW_VERSION of the loaded module (a number, not a function). */
        this.version = fn() >>> 0;
        continue;
      }
      this[short] = type === 'u32' ? (...args) => fn(...args) >>> 0
        : type === 'f64' ? fn
          : (...args) => fn(...args) | 0;
    }
  }

  /**
   * The part of the wasm stack below its pointer now, [low, sp): bytes no live frame holds (the
   * next call into the core overwrites them before reading any), or null where unknown. The
   * playground leaves them out when it saves and restores linear memory around a capture.
   */
  freeStack() {
    if (!this.#stackSave) return null;
    const low = this.stack_low(), sp = this.#stackSave() >>> 0;
    return low > 0 && low < sp && sp <= this.#stackBase ? [low, sp] : null;
  }

  /**
   * After a trap: put emscripten's stack pointer back where it was when no
   * wasm frame was active (a trap unwinds without restoring it). Valid only
   * while the core never calls back into JavaScript that re-enters wasm.
   */
  recoverFromTrap() {
    // inside a host call, outer wasm frames are still live: hostCall puts
    // the stack pointer back to where that call found it
    if (this.#hostDepth === 0 && this.#stackRestore) this.#stackRestore(this.#stackBase);
  }

  /**
   * The pyheap.finalize / pyheap.call / pyheap.slot imports: route a call
   * from the core to the host registered for heap handle `h`. Nothing may
   * be thrown back into the core (its frames would be abandoned halfway
   * through a deallocation or a lookup), so the host's handler deals with
   * every exception; the stack pointer is restored in case a nested call
   * trapped. Returns the handler's result; `missing` when the host has no
   * handler of that kind (pyheap.slot: 1, "this host runs no Python code").
   */
  hostCall(kind, h, a, b, c, missing = undefined) {
    const host = this.hosts.get(h >>> 0);
    if (!host || typeof host[kind] !== 'function') return missing;
    const sp = this.#stackSave ? this.#stackSave() : 0;
    this.#hostDepth++;
    try {
      return host[kind](a >>> 0, b >>> 0, c >>> 0);
    } finally {
      this.#hostDepth--;
      if (this.#stackRestore) this.#stackRestore(sp);
    }
  }

  /** Forget cached views (memory grew). Installed as emscripten_notify_memory_growth. */
  invalidate() {
    this.#buffer = null;
  }

  #views() {
    const buf = this.#memory.buffer;
    if (buf !== this.#buffer) {
      this.#buffer = buf;
      this.#u8 = new Uint8Array(buf);
      this.#dv = new DataView(buf);
    }
  }

  /** Current Uint8Array view of linear memory (do not keep it across calls). */
  get u8() {
    this.#views();
    return this.#u8;
  }

  /** Current DataView of linear memory (do not keep it across calls). */
  get dv() {
    this.#views();
    return this.#dv;
  }

  /** Decode a NUL-terminated UTF-8 string at `ptr` ('' for 0). */
  cString(ptr) {
    if (!ptr) return '';
    const u8 = this.u8;
    let end = ptr;
    while (end < u8.length && u8[end] !== 0) end++;
    return utf8.decode(u8.subarray(ptr, end));
  }

  /** Decode `len` bytes of UTF-8 at `ptr`. */
  text(ptr, len) {
    return utf8.decode(this.u8.subarray(ptr, ptr + len));
  }

  /** Copy of `len` bytes at `ptr`. */
  bytes(ptr, len) {
    return this.u8.slice(ptr, ptr + len);
  }

  /** Write the bytes of a Uint8Array at `ptr`. */
  writeBytes(ptr, bytes) {
    this.u8.set(bytes, ptr);
  }

  /** Write u32 values (object handles) at `ptr`. */
  writeU32s(ptr, values) {
    const dv = this.dv;
    for (let i = 0; i < values.length; i++) dv.setUint32(ptr + 4 * i, values[i], true);
  }

  /** The u32 at `ptr`. */
  readU32(ptr) {
    return this.dv.getUint32(ptr, true);
  }

  /** The int64 at `ptr`, as a BigInt. */
  readI64(ptr) {
    return this.dv.getBigInt64(ptr, true);
  }

  /** One u64 field of a pm_heap_stats at `ptr` (HEAP_STATS_U64_FIELDS), without decoding the rest. */
  readStatsField(ptr, name) {
    const j = HEAP_STATS_U64_FIELDS.indexOf(name);
    if (j < 0) throw new TypeError(`readStatsField: no pm_heap_stats field ${name}`);
    return Number(this.dv.getBigUint64(ptr + HEAP_STATS_U64_OFFSET + 8 * j, true));
  }

  /** Decode a pm_heap_stats at `ptr`. */
  readStats(ptr) {
    const dv = this.dv;
    const classes = [];
    for (let i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
      const base = ptr + i * CLASS_STATS_SIZE;
      const c = { index: i };
      CLASS_STATS_FIELDS.forEach((f, j) => { c[f] = dv.getUint32(base + 4 * j, true); });
      classes.push(c);
    }
    const s = { classes };
    for (const f of HEAP_STATS_U64_FIELDS) s[f] = this.readStatsField(ptr, f);
    return s;
  }

  /** Decode a pm_arena_info at `ptr`. */
  readArenaInfo(ptr) {
    return this.#readU32Struct(ptr, ARENA_INFO_FIELDS);
  }

  /** Decode a pm_pool_info at `ptr`. */
  readPoolInfo(ptr) {
    return this.#readU32Struct(ptr, POOL_INFO_FIELDS);
  }

  #readU32Struct(ptr, fields) {
    const dv = this.dv;
    const o = {};
    fields.forEach((f, j) => { o[f] = dv.getUint32(ptr + 4 * j, true); });
    return o;
  }
}

/** Sizes of the transfer structs, for tests and tools. */
export const LAYOUT = Object.freeze({
  classStats: CLASS_STATS_SIZE,
  heapStatsU64Offset: HEAP_STATS_U64_OFFSET,
  heapStats: HEAP_STATS_U64_OFFSET + 8 * HEAP_STATS_U64_FIELDS.length,
  arenaInfo: 4 * ARENA_INFO_FIELDS.length,
  poolInfo: 4 * POOL_INFO_FIELDS.length,
});
