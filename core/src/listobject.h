/* listobject.h — list objects (CPython 3.12 Objects/listobject.c).
 *
 * Layout (64-bit model): PyVarObject (24) + ob_item pointer (8) + allocated
 * (8) = 40 bytes behind a 16-byte GC head; the item array is a separate
 * MEM-domain block of 8 * allocated bytes (host pointers inside, 4 bytes
 * each on wasm32). sys.getsizeof(l) == 56 + 8 * allocated.
 *
 *   0 <= ob_size <= allocated;  allocated > 0 implies ob_item != NULL.
 *   ob_item may be non-NULL with allocated == 0: shrinking to 0 through
 *   list_resize reallocates to 0 bytes, which pymalloc turns into a 1-byte
 *   raw block, as CPython does (pop() of the last item and clear() free the
 *   array instead).
 *
 * Growth follows list_resize (reference §2.6): 0, 4, 8, 16, 24, 32, 40, 52, ...
 * for appends; construction paths allocate what CPython allocates: PyList_New(n)
 * exactly n (zeroed), `[x] * n` exactly n, list(x)/extend from a sized iterable
 * the length rounded up to even, a constant display of 3+ items likewise.
 *
 * Free list: up to 80 list objects (without their item arrays), LIFO, used
 * by PyList_New (and so by displays, slices, repeats, comprehensions) but not
 * by list(...) itself, which goes through the generic allocator as in 3.12.
 * Its length is mirrored in h->freelists.lists.
 */
#ifndef PM_LISTOBJECT_H
#define PM_LISTOBJECT_H

#include "tupleobject.h"

typedef struct pm_list {
    pm_varobject ob_base;
    pm_object **ob_item;        /* MEM-domain block of `allocated` slots (model: 8 bytes each) */
    int64_t allocated;
} pm_list;

#define PM_LIST_BASICSIZE 40u   /* model sizeof(PyListObject) */

#define PM_LIST_CHECK(h, o)   (PM_TYPE(o) == pm_builtin_type((h), PM_T_LIST))
#define PM_LIST_ITEMS(o)      (((pm_list *)(o))->ob_item)
#define PM_LIST_GET(o, i)     (((pm_list *)(o))->ob_item[(i)])
#define PM_LIST_SET(o, i, v)  (((pm_list *)(o))->ob_item[(i)] = (v))   /* steals; no old value released */
#define PM_LIST_ALLOCATED(o)  (((pm_list *)(o))->allocated)

/* ---- Construction (all results are tracked, new references) ---------------- */
/* PyList_New: n NULL slots (calloc'd item array); free list first. */
pm_object *pm_list_new(pm_heap *h, int64_t n);
/* _PyList_FromArraySteal (BUILD_LIST n): takes the n references (released on failure). */
pm_object *pm_list_from_array_steal(pm_heap *h, pm_object *const *src, int64_t n);
/* list() with no argument: PyType_GenericAlloc, never the free list. */
pm_object *pm_list_new_generic(pm_heap *h);
/* list(seq) for an exact list or tuple `seq`. */
pm_object *pm_list_from_seq(pm_heap *h, pm_object *seq);
/* list(iterable) for any other iterable: hint = PyObject_LengthHint(iterable, 8);
 * `next` returns new references, NULL at the end (exception set on error). */
pm_object *pm_list_from_iter(pm_heap *h, int64_t hint, pm_iternext_fn next, void *ctx);

/* ---- Items ----------------------------------------------------------------- */
/* PyList_GetItem: borrowed, no negative indices; IndexError "list index out of range". */
pm_object *pm_list_get(pm_heap *h, pm_object *l, int64_t i);
/* l[i] (list_subscript with an int): negative indices allowed; new reference. */
pm_object *pm_list_getitem(pm_heap *h, pm_object *l, int64_t i);
/* l[i] = v (list_ass_subscript/list_ass_item): negative indices allowed; v gets a
 * new reference, the old item is released after the new one is stored. */
int pm_list_setitem(pm_heap *h, pm_object *l, int64_t i, pm_object *v);
/* PyList_SetItem: steals v (also on failure); no negative indices. */
int pm_list_set(pm_heap *h, pm_object *l, int64_t i, pm_object *v);
/* del l[i]: negative indices allowed. */
int pm_list_delitem(pm_heap *h, pm_object *l, int64_t i);

/* ---- Methods ---------------------------------------------------------------- */
int pm_list_append(pm_heap *h, pm_object *l, pm_object *v);        /* l.append(v): new reference to v */
int pm_list_append_steal(pm_heap *h, pm_object *l, pm_object *v);  /* LIST_APPEND / _PyList_AppendTakeRef */
int pm_list_insert(pm_heap *h, pm_object *l, int64_t where, pm_object *v);
/* l.pop(i): new reference; IndexError "pop from empty list" / "pop index out of range". */
pm_object *pm_list_pop(pm_heap *h, pm_object *l, int64_t i);
int pm_list_clear(pm_heap *h, pm_object *l);                       /* l.clear() */
/* l.extend(seq) / l += seq for an exact list or tuple (or l itself). */
int pm_list_extend(pm_heap *h, pm_object *l, pm_object *seq);
/* l.extend(iterable) for any other iterable (hint as for pm_list_from_iter). */
int pm_list_extend_iter(pm_heap *h, pm_object *l, int64_t hint, pm_iternext_fn next, void *ctx);
int pm_list_reverse(pm_heap *h, pm_object *l);
/* l.index(v, start, stop) (defaults 0, INT64_MAX; negative values count from
 * the end): the index, or -1 with ValueError "<repr> is not in list". */
int64_t pm_list_index(pm_heap *h, pm_object *l, pm_object *v, int64_t start, int64_t stop);
int64_t pm_list_count(pm_heap *h, pm_object *l, pm_object *v);     /* -1 on error */
int pm_list_remove(pm_heap *h, pm_object *l, pm_object *v);        /* ValueError "list.remove(x): x not in list" */
int pm_list_contains(pm_heap *h, pm_object *l, pm_object *v);      /* 1, 0 or -1 */
pm_object *pm_list_copy(pm_heap *h, pm_object *l);                 /* l.copy() */
pm_object *pm_list_concat(pm_heap *h, pm_object *a, pm_object *b); /* a + b; TypeError unless b is a list */
pm_object *pm_list_repeat(pm_heap *h, pm_object *a, int64_t n);    /* a * n */
int pm_list_inplace_repeat(pm_heap *h, pm_object *l, int64_t n);   /* l *= n */
pm_object *pm_list_as_tuple(pm_heap *h, pm_object *l);             /* tuple(l) */

/* ---- Slices (omitted parts are PM_SLICE_NONE; values beyond int64 clamp to
 * +-INT64_MAX, as _PyEval_SliceIndex clamps to the Py_ssize_t range) -------- */
pm_object *pm_list_getslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step);
/* l[start:stop:step] = v, v an exact list or tuple (or l itself: copied
 * first); v == NULL deletes. Other iterables: the caller makes a list first,
 * as PySequence_Fast does. */
int pm_list_setslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step, pm_object *v);
int pm_list_delslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step);

#endif /* PM_LISTOBJECT_H */
