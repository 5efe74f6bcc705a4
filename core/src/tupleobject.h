/* tupleobject.h — tuple objects (CPython 3.12 Objects/tupleobject.c) and
 * the slice-index helpers shared by the sequence types.
 *
 * Layout (64-bit model): PyVarObject (24) + 8 bytes per item, behind a
 * 16-byte GC head: sys.getsizeof(t) == 40 + 8 * len(t). The host struct
 * holds host pointers (4 bytes on wasm32) in the space the model charges
 * 8 bytes each for.
 *
 * The empty tuple is one static immortal object (h->os->empty_tuple);
 * every other tuple is tracked by the collector as soon as it is built.
 *
 * Free lists (3.12): one per length 1..20, at most 2000 tuples each, linked
 * through item 0 and reused without calling the allocator and without
 * counting a gen-0 allocation. As in 3.12, a dying tuple of length 20 is
 * kept (push accepts lengths 1..20) but a new tuple of length 20 never
 * takes one (pop serves lengths 1..19 only): measured on 3.12.1,
 * `_debugmallocstats` keeps reporting the 20-sized ones as free. The
 * counts are mirrored in h->freelists.tuples[n - 1].
 */
#ifndef PM_TUPLEOBJECT_H
#define PM_TUPLEOBJECT_H

#include "object.h"

typedef struct pm_tuple {
    pm_varobject ob_base;
    pm_object *ob_item[];       /* ob_size host pointers; the model charges 8 bytes each */
} pm_tuple;

#define PM_TUPLE_BASICSIZE 24u  /* model: sizeof(PyTupleObject) minus the item array */
#define PM_TUPLE_ITEMSIZE  8u

#define PM_TUPLE_CHECK(h, o)   (PM_TYPE(o) == pm_builtin_type((h), PM_T_TUPLE))
#define PM_TUPLE_ITEMS(o)      (((pm_tuple *)(o))->ob_item)
#define PM_TUPLE_GET(o, i)     (((pm_tuple *)(o))->ob_item[(i)])
#define PM_TUPLE_SET(o, i, v)  (((pm_tuple *)(o))->ob_item[(i)] = (v))   /* steals; no old value released */

/* PyTuple_New: n NULL items, tracked; n == 0 gives the empty tuple. New reference. */
pm_object *pm_tuple_new(pm_heap *h, int64_t n);
/* PyTuple_Pack: a tuple holding new references to the n objects. */
pm_object *pm_tuple_pack(pm_heap *h, int64_t n, ...);
/* _PyTuple_FromArray (new references) and _PyTuple_FromArraySteal (BUILD_TUPLE:
 * takes the references; on failure they are released). */
pm_object *pm_tuple_from_array(pm_heap *h, pm_object *const *src, int64_t n);
pm_object *pm_tuple_from_array_steal(pm_heap *h, pm_object *const *src, int64_t n);

int64_t pm_tuple_size(pm_heap *h, pm_object *t);                 /* -1 + TypeError if not a tuple */
/* PyTuple_GetItem: borrowed; IndexError "tuple index out of range". No negative indices. */
pm_object *pm_tuple_get(pm_heap *h, pm_object *t, int64_t i);
/* t[i] (tupleitem after a negative index is adjusted): new reference. */
pm_object *pm_tuple_getitem(pm_heap *h, pm_object *t, int64_t i);
/* PyTuple_SetItem: steals v (also on failure); t must have refcount 1. Releases the old item after storing. */
int pm_tuple_set(pm_heap *h, pm_object *t, int64_t i, pm_object *v);
/* _PyTuple_Resize: *pt must be a tuple with refcount 1 (or the empty tuple).
 * On failure *pt is released and set to NULL. */
int pm_tuple_resize(pm_heap *h, pm_object **pt, int64_t newsize);

/* t[start:stop:step] with Python semantics (omitted parts PM_SLICE_NONE). New reference. */
pm_object *pm_tuple_getslice(pm_heap *h, pm_object *t, int64_t start, int64_t stop, int64_t step);
pm_object *pm_tuple_concat(pm_heap *h, pm_object *a, pm_object *b);    /* a + b; TypeError if b is no tuple */
pm_object *pm_tuple_repeat(pm_heap *h, pm_object *a, int64_t n);       /* a * n */

/* tuple(iterable) for an iterable that is not a list or tuple
 * (PySequence_Tuple): hint is PyObject_LengthHint(iterable, 10); `next`
 * returns new references, NULL at the end (with an exception set on error). */
typedef pm_object *(*pm_iternext_fn)(pm_heap *h, void *ctx);
pm_object *pm_tuple_from_iter(pm_heap *h, int64_t hint, pm_iternext_fn next, void *ctx);

/* _PyTuple_MaybeUntrack (3.12): untracks t when none of its items can be
 * part of a cycle (each item is a non-GC object or an untracked tuple);
 * a tuple with a NULL item is left alone. The collector calls it. */
void _pm_tuple_maybe_untrack(pm_heap *h, pm_object *t);

/* ---- Slice indices (PySlice_Unpack + PySlice_AdjustIndices) ----------------
 * Until a slice object exists, callers pass the three slice fields as
 * integers, PM_SLICE_NONE standing for None. */
#define PM_SLICE_NONE INT64_MIN
/* PySlice_Unpack: resolves None, rejects step 0 (ValueError "slice step
 * cannot be zero"), clamps step to >= -INT64_MAX. Returns 0 or -1. */
int pm_slice_unpack(pm_heap *h, int64_t *start, int64_t *stop, int64_t *step);
/* PySlice_AdjustIndices: clamps start/stop to the sequence and returns the slice length. */
int64_t pm_slice_adjust_indices(pm_heap *h, int64_t length, int64_t *start, int64_t *stop, int64_t step);

#endif /* PM_TUPLEOBJECT_H */
