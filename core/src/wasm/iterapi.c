/* iterapi.c — the interpreter's entry points for the iterator types
 * (core/src/iterobject.c): GET_ITER / FOR_ITER and the builtins iter(),
 * next(), enumerate, zip, map, filter, reversed (web/interp/vm.js,
 * web/interp/builtins.js). Like vmapi.c these take raw addresses the VM
 * holds references to and check only the heap handle; a failing call
 * returns 0 (or -1) with the exception left in the heap. Exports listed in
 * exports_iter.txt.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../iterobject.h"
#include "../listobject.h"
#include "api.h"

#define O(p) ((pm_object *)(uintptr_t)(p))
#define U(o) ((uint32_t)(uintptr_t)(o))
#define ARR(p) ((pm_object *const *)(uintptr_t)(p))   /* u32 addresses = host pointers on wasm32 */

#ifdef __wasm__
_Static_assert(sizeof(pm_object *) == sizeof(uint32_t), "item arrays are u32 addresses on wasm32");
#endif

static pm_heap *iter_enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return NULL;
    pm_err_clear(h);
    return h;
}

/* iter(o) for the core's iterables (GET_ITER): new reference | 0 + TypeError. */
EXPORT uint32_t pmw_vm_getiter(uint32_t hp, uint32_t op) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_object_getiter(h, O(op))) : 0;
}
/* 1 if o is one of the core's iterator objects. */
EXPORT int32_t pmw_vm_is_iter(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_live_heap(hp);
    return h && h->os ? pm_iter_check(h, O(op)) : 0;
}
/* FOR_ITER / next(): the next item (new reference); 0 at the end (no
 * exception) or on an error (exception set); 1 when the host must step this
 * iterator (a generator, a class with __next__, map, filter, or enumerate /
 * zip / reversed over such). */
EXPORT uint32_t pmw_vm_iter_next(uint32_t hp, uint32_t itp) {
    pm_heap *h = iter_enter(hp);
    if (!h) return 0;
    pm_object *it = O(itp);
    if (!pm_iter_check(h, it) || !pm_iter_is_core(h, it)) return 1;
    return U(pm_iter_next(h, it));
}
/* __length_hint__: >= 0, or -1 when the type has none. */
EXPORT double pmw_vm_iter_hint(uint32_t hp, uint32_t itp) {
    pm_heap *h = iter_enter(hp);
    return h && pm_iter_check(h, O(itp)) ? (double)pm_iter_length_hint(h, O(itp)) : -1;
}
/* iter(d) / iter(d.values()) / iter(d.items()): kind 0, 1, 2. */
EXPORT uint32_t pmw_vm_dictiter(uint32_t hp, uint32_t dp, int32_t kind) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_dictiter_new(h, O(dp), kind)) : 0;
}
/* reversed(seq); len is len(seq) for a host sequence (ignored otherwise). */
EXPORT uint32_t pmw_vm_reversed(uint32_t hp, uint32_t sp, double len) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_reversed_new(h, O(sp), (int64_t)len)) : 0;
}
EXPORT uint32_t pmw_vm_enumerate(uint32_t hp, uint32_t itp, double start) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_enumerate_new(h, O(itp), (int64_t)start)) : 0;
}
/* zip(*iters): `items` holds n iterator addresses (borrowed). */
EXPORT uint32_t pmw_vm_zip(uint32_t hp, uint32_t items, int32_t n, int32_t strict) {
    pm_heap *h = iter_enter(hp);
    return h && n >= 0 ? U(pm_zip_new(h, ARR(items), n, strict)) : 0;
}
EXPORT uint32_t pmw_vm_map(uint32_t hp, uint32_t fp, uint32_t items, int32_t n) {
    pm_heap *h = iter_enter(hp);
    return h && n >= 0 ? U(pm_map_new(h, O(fp), ARR(items), n)) : 0;
}
EXPORT uint32_t pmw_vm_filter(uint32_t hp, uint32_t fp, uint32_t itp) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_filter_new(h, O(fp), O(itp))) : 0;
}
/* enum_next / zip_next after the host fetched the item(s): steals them. */
EXPORT uint32_t pmw_vm_enumerate_pack(uint32_t hp, uint32_t enp, uint32_t item) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_enumerate_pack(h, O(enp), O(item))) : 0;
}
EXPORT uint32_t pmw_vm_zip_pack(uint32_t hp, uint32_t zp, uint32_t items) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_zip_pack(h, O(zp), ARR(items))) : 0;
}
/* reversed over a host sequence: the index to fetch, or -1 at the end. */
EXPORT double pmw_vm_reversed_take(uint32_t hp, uint32_t rp) {
    pm_heap *h = iter_enter(hp);
    return h ? (double)pm_reversed_take_index(h, O(rp)) : -1;
}
EXPORT void pmw_vm_reversed_stop(uint32_t hp, uint32_t rp) {
    pm_heap *h = iter_enter(hp);
    if (h) pm_reversed_stop(h, O(rp));
}
/* The inner objects (pm_iter_field), borrowed | 0. */
EXPORT uint32_t pmw_vm_iter_field(uint32_t hp, uint32_t itp, int32_t field) {
    pm_heap *h = iter_enter(hp);
    return h ? U(pm_iter_field(h, O(itp), field)) : 0;
}

/* ---- The library's handle API (web/lib/objects.js: heap.iter, PyIterator):
 * validated handles, statuses as objapi.c reports them. */

/* iter(o) for the core's iterables: new reference | 0 (EPYTHON TypeError). */
EXPORT uint32_t pmw_iter_new(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *o = pmw_obj(h, op);
    return o ? pmw_finish_obj(h, pm_object_getiter(h, o)) : 0;
}

static pm_object *core_iter_arg(pm_heap *h, uint32_t itp, const char *op) {
    pm_object *it = pmw_obj(h, itp);
    if (!it) return NULL;
    if (!pm_iter_check(h, it)) {
        _pm_set_status(h, PM_EINVAL, "%s: a '%s' object is not one of the core's iterators", op, PM_TYPE(it)->tp_name);
        return NULL;
    }
    return it;
}

/* next(it): new reference; 0 with status OK at the end, or 0 with the
 * error (EPYTHON RuntimeError for a dict/set that changed size, EINVAL for
 * an iterator that runs Python code: map, filter, or one wrapping such). */
EXPORT uint32_t pmw_iter_next(uint32_t hp, uint32_t itp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *it = core_iter_arg(h, itp, "next()");
    if (!it) return 0;
    if (!pm_iter_is_core(h, it)) {
        _pm_set_status(h, PM_EINVAL, "next(): a '%s' object runs Python code; the interpreter steps it",
                       PM_TYPE(it)->tp_name);
        return 0;
    }
    pm_object *x = pm_iter_next(h, it);
    if (!x && pm_err_occurred(h) == PM_EXC_NONE) {
        _pm_set_status(h, PM_OK, NULL);
        return 0;
    }
    return pmw_finish_obj(h, x);
}

/* it.__length_hint__(): >= 0; -1 when the type has none or on a bad handle
 * (the status tells which). */
EXPORT double pmw_iter_length_hint(uint32_t hp, uint32_t itp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return -1;
    pm_object *it = core_iter_arg(h, itp, "lengthHint()");
    if (!it) return -1;
    _pm_set_status(h, PM_OK, NULL);
    return (double)pm_iter_length_hint(h, it);
}

/* list(iterator) / l.extend(iterator) once the VM has fetched the items:
 * list_extend's path with PyObject_LengthHint's `hint` (the resize to
 * len + hint, the appends, the final cut back), so the item array gets 3.12's
 * size. Steals the n items at `items`. 0 | -1. `items` may be the transfer
 * buffer: no Python code can run while it is read (the list only stores the
 * items; growing its item array allocates no tracked object, so not even the
 * stress mode's collection-per-allocation can call __del__ in between). */
typedef struct items_ctx { pm_object *const *items; int32_t n, i; } items_ctx;
static pm_object *items_next(pm_heap *h, void *ctx) {
    (void)h;
    items_ctx *c = ctx;
    return c->i < c->n ? c->items[c->i++] : NULL;
}
EXPORT int32_t pmw_vm_list_extend_items(uint32_t hp, uint32_t lp, uint32_t items, int32_t n, double hint) {
    pm_heap *h = iter_enter(hp);
    if (!h || n < 0) return -1;
    items_ctx c = { ARR(items), n, 0 };
    int rc = pm_list_extend_iter(h, O(lp), hint < 0 ? 8 : (int64_t)hint, items_next, &c);
    while (c.i < c.n) pm_decref(h, c.items[c.i++]);   /* not taken (an error) */
    return rc;
}
