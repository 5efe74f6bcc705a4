/* listobject.c — the list type: the over-allocating item array
 * (list_resize), the free list of list objects, deallocation through the
 * trashcan, item and slice access and assignment, the mutating methods,
 * comparison and repr.
 *
 * Mirrors CPython 3.12 Objects/listobject.c: PyList_New, list_new_prealloc,
 * list_preallocate_exact, list_resize, list_dealloc, _list_clear, ins1,
 * list_ass_slice, list_ass_subscript, list_subscript, list_extend,
 * list_pop_impl, list_repeat, list_inplace_repeat, list_concat,
 * list_richcompare, list_repr, and list_vectorcall / list___init__ for
 * list(...). Every item-array request is the 64-bit byte count CPython
 * makes (8 bytes per slot) in the MEM domain.
 */
#include "listobject.h"
#include "tracemalloc.h"

_Static_assert(sizeof(pm_list) <= PM_LIST_BASICSIZE, "list struct must fit the 40-byte model struct");
_Static_assert(sizeof(pm_object *) <= 8, "a host pointer must fit the 8-byte model slot");

#define SLOT 8u    /* model bytes per item slot: sizeof(PyObject *) on 64-bit */


static pm_type *list_type(pm_heap *h) { return pm_builtin_type(h, PM_T_LIST); }

static void bad_internal_call(pm_heap *h, const char *where) {
    pm_err_set(h, PM_EXC_RuntimeError, "bad argument to internal function (%s)", where);
}

/* PyMem_Malloc / PyMem_Realloc of `n` slots, with CPython's overflow guard. */
static pm_object **slots_alloc(pm_heap *h, int64_t n) {
    if ((uint64_t)n > (uint64_t)INT64_MAX / SLOT) return NULL;
    return pm_malloc(h, PM_DOMAIN_MEM, (size_t)n * SLOT);
}

static inline int valid_index(int64_t i, int64_t limit) { return (uint64_t)i < (uint64_t)limit; }

/* _Py_RefcntAdd */
static inline void refcnt_add(pm_object *o, int64_t n) {
    if (!pm_is_immortal(o)) o->ob_refcnt += (uint64_t)n;
}

/* ---- The item array ----------------------------------------------------------- */

/* list_resize: make room for newsize items and set ob_size = newsize. New
 * slots are uninitialised. Reallocates only when growing past `allocated`
 * or shrinking below half of it (reference §2.6). */
static int list_resize(pm_heap *h, pm_list *self, int64_t newsize) {
    int64_t allocated = self->allocated;
    if (allocated >= newsize && newsize >= (allocated >> 1)) {
        self->ob_base.ob_size = newsize;
        return 0;
    }
    /* proportional over-allocation, rounded to a multiple of 4:
     * 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ... */
    uint64_t new_allocated = ((uint64_t)newsize + ((uint64_t)newsize >> 3) + 6) & ~(uint64_t)3;
    /* a big jump (extend) that lands closer to the over-allocation than to
     * the old size is not over-allocated */
    if (newsize - self->ob_base.ob_size > (int64_t)(new_allocated - (uint64_t)newsize))
        new_allocated = ((uint64_t)newsize + 3) & ~(uint64_t)3;
    if (newsize == 0) new_allocated = 0;
    pm_object **items = NULL;
    if (new_allocated <= (uint64_t)INT64_MAX / SLOT)
        items = pm_realloc(h, PM_DOMAIN_MEM, self->ob_item, (size_t)new_allocated * SLOT);
    if (!items) {
        pm_err_nomem(h);
        return -1;
    }
    self->ob_item = items;
    self->ob_base.ob_size = newsize;
    self->allocated = (int64_t)new_allocated;
    return 0;
}

/* list_preallocate_exact: an empty list with no array gets `size` slots,
 * rounded up to even (pymalloc's 16-byte granularity makes odd counts free). */
static int list_preallocate_exact(pm_heap *h, pm_list *self, int64_t size) {
    size = (size + 1) & ~(int64_t)1;
    pm_object **items = slots_alloc(h, size);
    if (!items) {
        pm_err_nomem(h);
        return -1;
    }
    self->ob_item = items;
    self->allocated = size;
    return 0;
}

/* _list_clear (also tp_clear): empty the list first, then release the
 * items last to first, then the array. */
static int list_clear_impl(pm_heap *h, pm_object *o) {
    pm_list *a = (pm_list *)o;
    pm_object **item = a->ob_item;
    if (item) {
        int64_t i = a->ob_base.ob_size;
        a->ob_base.ob_size = 0;
        a->ob_item = NULL;
        a->allocated = 0;
        while (--i >= 0) pm_xdecref(h, item[i]);
        pm_free(h, PM_DOMAIN_MEM, item);
    }
    return 0;
}

/* ---- Free list and construction -------------------------------------------------- */

void _pm_list_clear_freelist(pm_heap *h) {
    if (!h->os) return;
    while (h->freelists.lists) {
        pm_object *op = h->os->list_free[--h->freelists.lists];
        h->os->list_free[h->freelists.lists] = NULL;
        pm_object_free(h, op);
    }
}

pm_object *pm_list_new(pm_heap *h, int64_t size) {
    if (size < 0) {
        bad_internal_call(h, "pm_list_new");
        return NULL;
    }
    pm_object *o;
    if (h->freelists.lists) {
        o = h->os->list_free[--h->freelists.lists];
        h->os->list_free[h->freelists.lists] = NULL;
        o->ob_refcnt = 1;                   /* _Py_NewReference */
        pm_tracemalloc_new_reference(h, o);
    } else {
        o = pm_object_alloc(h, list_type(h), 0);
        if (!o) return NULL;
    }
    pm_list *op = (pm_list *)o;
    if (size <= 0) {
        op->ob_item = NULL;
    } else {
        op->ob_item = (uint64_t)size > (uint64_t)INT64_MAX / SLOT ? NULL
                    : pm_calloc(h, PM_DOMAIN_MEM, (size_t)size, SLOT);
        if (!op->ob_item) {
            op->ob_base.ob_size = 0;
            op->allocated = 0;
            pm_decref(h, o);
            pm_err_nomem(h);
            return NULL;
        }
    }
    op->ob_base.ob_size = size;
    op->allocated = size;
    pm_gc_track(h, o);
    return o;
}

/* list_new_prealloc: an empty tracked list with exactly `size` (> 0) slots. */
static pm_object *list_new_prealloc(pm_heap *h, int64_t size) {
    pm_object *o = pm_list_new(h, 0);
    if (!o) return NULL;
    pm_list *op = (pm_list *)o;
    op->ob_item = slots_alloc(h, size);
    if (!op->ob_item) {
        pm_decref(h, o);
        pm_err_nomem(h);
        return NULL;
    }
    op->allocated = size;
    return o;
}

pm_object *pm_list_new_generic(pm_heap *h) {
    /* PyType_GenericAlloc(&PyList_Type, 0): a zeroed 40-byte object, linked and tracked */
    pm_object *o = pm_object_alloc(h, list_type(h), 0);
    if (!o) return NULL;
    pm_list *op = (pm_list *)o;
    op->ob_base.ob_size = 0;
    op->ob_item = NULL;
    op->allocated = 0;
    pm_gc_track(h, o);
    return o;
}

pm_object *pm_list_from_array_steal(pm_heap *h, pm_object *const *src, int64_t n) {
    if (n == 0) return pm_list_new(h, 0);
    pm_object *l = pm_list_new(h, n);
    if (!l) {
        for (int64_t i = 0; i < n; i++) pm_decref(h, src[i]);
        return NULL;
    }
    memcpy(PM_LIST_ITEMS(l), src, (size_t)n * sizeof(pm_object *));
    return l;
}

pm_object *pm_list_from_seq(pm_heap *h, pm_object *seq) {
    pm_object *l = pm_list_new_generic(h);
    if (!l) return NULL;
    if (pm_list_extend(h, l, seq) < 0) {
        pm_decref(h, l);
        return NULL;
    }
    return l;
}

pm_object *pm_list_from_iter(pm_heap *h, int64_t hint, pm_iternext_fn next, void *ctx) {
    pm_object *l = pm_list_new_generic(h);
    if (!l) return NULL;
    if (pm_list_extend_iter(h, l, hint, next, ctx) < 0) {
        pm_decref(h, l);
        return NULL;
    }
    return l;
}

/* ---- Item access ------------------------------------------------------------------- */

pm_object *pm_list_get(pm_heap *h, pm_object *l, int64_t i) {
    if (!PM_LIST_CHECK(h, l)) {
        bad_internal_call(h, "pm_list_get");
        return NULL;
    }
    if (!valid_index(i, PM_SIZE(l))) {
        pm_err_set(h, PM_EXC_IndexError, "list index out of range");
        return NULL;
    }
    return PM_LIST_GET(l, i);
}

pm_object *pm_list_getitem(pm_heap *h, pm_object *l, int64_t i) {
    if (i < 0) i += PM_SIZE(l);
    pm_object *v = pm_list_get(h, l, i);
    return v ? pm_newref(v) : NULL;
}

int pm_list_set(pm_heap *h, pm_object *l, int64_t i, pm_object *v) {
    if (!PM_LIST_CHECK(h, l)) {
        pm_xdecref(h, v);
        bad_internal_call(h, "pm_list_set");
        return -1;
    }
    if (!valid_index(i, PM_SIZE(l))) {
        pm_xdecref(h, v);
        pm_err_set(h, PM_EXC_IndexError, "list assignment index out of range");
        return -1;
    }
    pm_object *old = PM_LIST_GET(l, i);       /* Py_XSETREF: store first, then release */
    PM_LIST_SET(l, i, v);
    pm_xdecref(h, old);
    return 0;
}

static int list_ass_slice(pm_heap *h, pm_list *a, int64_t ilow, int64_t ihigh, pm_object *v);

/* list_ass_item */
static int list_ass_item(pm_heap *h, pm_list *a, int64_t i, pm_object *v) {
    if (!valid_index(i, a->ob_base.ob_size)) {
        pm_err_set(h, PM_EXC_IndexError, "list assignment index out of range");
        return -1;
    }
    if (!v) return list_ass_slice(h, a, i, i + 1, NULL);
    pm_object *old = a->ob_item[i];           /* Py_SETREF */
    a->ob_item[i] = pm_newref(v);
    pm_decref(h, old);
    return 0;
}

int pm_list_setitem(pm_heap *h, pm_object *l, int64_t i, pm_object *v) {
    if (i < 0) i += PM_SIZE(l);
    return list_ass_item(h, (pm_list *)l, i, v);
}

int pm_list_delitem(pm_heap *h, pm_object *l, int64_t i) {
    if (i < 0) i += PM_SIZE(l);
    return list_ass_item(h, (pm_list *)l, i, NULL);
}

/* ---- Slices ----------------------------------------------------------------------- */

/* list_slice: a new list of a[ilow:ihigh] (indices already clamped). */
static pm_object *list_slice(pm_heap *h, pm_list *a, int64_t ilow, int64_t ihigh) {
    int64_t len = ihigh - ilow;
    if (len <= 0) return pm_list_new(h, 0);
    pm_object *np = list_new_prealloc(h, len);
    if (!np) return NULL;
    pm_object **src = a->ob_item + ilow, **dest = PM_LIST_ITEMS(np);
    for (int64_t i = 0; i < len; i++) dest[i] = pm_newref(src[i]);
    ((pm_list *)np)->ob_base.ob_size = len;
    return np;
}

/* PySequence_Fast for the exact list / tuple a caller may pass. */
static int seq_fast(pm_heap *h, pm_object *v, pm_object ***items, int64_t *n) {
    if (PM_LIST_CHECK(h, v)) {
        *items = PM_LIST_ITEMS(v);
        *n = PM_SIZE(v);
        return 0;
    }
    if (PM_TUPLE_CHECK(h, v)) {
        *items = PM_TUPLE_ITEMS(v);
        *n = PM_SIZE(v);
        return 0;
    }
    pm_err_set(h, PM_EXC_TypeError, "can only assign an iterable");
    return -1;
}

/* list_ass_slice: a[ilow:ihigh] = v, or del a[ilow:ihigh] when v is NULL.
 * The replaced items are released only after the list is consistent
 * again, last to first; more than 8 of them are parked in a MEM block. */
static int list_ass_slice(pm_heap *h, pm_list *a, int64_t ilow, int64_t ihigh, pm_object *v) {
    pm_object *recycle_on_stack[8];
    pm_object **recycle = recycle_on_stack;
    pm_object **vitem = NULL, *v_as_sf = NULL;
    int64_t n, norig, d, k;
    int result = -1;
    if (!v) {
        n = 0;
    } else {
        if (v == (pm_object *)a) {
            /* a[i:j] = a: copy the right-hand side first */
            pm_object *copy = list_slice(h, a, 0, a->ob_base.ob_size);
            if (!copy) return -1;
            result = list_ass_slice(h, a, ilow, ihigh, copy);
            pm_decref(h, copy);
            return result;
        }
        if (seq_fast(h, v, &vitem, &n) < 0) return -1;
        v_as_sf = pm_newref(v);
    }
    int64_t size = a->ob_base.ob_size;
    if (ilow < 0) ilow = 0;
    else if (ilow > size) ilow = size;
    if (ihigh < ilow) ihigh = ilow;
    else if (ihigh > size) ihigh = size;

    norig = ihigh - ilow;
    d = n - norig;
    if (size + d == 0) {
        pm_xdecref(h, v_as_sf);
        return list_clear_impl(h, (pm_object *)a);
    }
    pm_object **item = a->ob_item;
    if (norig) {
        if (norig > (int64_t)(sizeof recycle_on_stack / sizeof recycle_on_stack[0])) {   /* > 64 model bytes */
            recycle = slots_alloc(h, norig);
            if (!recycle) {
                recycle = recycle_on_stack;
                pm_err_nomem(h);
                goto done;
            }
        }
        memcpy(recycle, &item[ilow], (size_t)norig * sizeof(pm_object *));
    }
    if (d < 0) {                                /* delete -d items */
        size_t tail = (size_t)(size - ihigh) * sizeof(pm_object *);
        memmove(&item[ihigh + d], &item[ihigh], tail);
        if (list_resize(h, a, size + d) < 0) {
            memmove(&item[ihigh], &item[ihigh + d], tail);
            memcpy(&item[ilow], recycle, (size_t)norig * sizeof(pm_object *));
            goto done;
        }
        item = a->ob_item;
    } else if (d > 0) {                         /* insert d items */
        k = size;
        if (list_resize(h, a, k + d) < 0) goto done;
        item = a->ob_item;
        memmove(&item[ihigh + d], &item[ihigh], (size_t)(k - ihigh) * sizeof(pm_object *));
    }
    for (k = 0; k < n; k++, ilow++) {
        pm_object *w = vitem[k];
        pm_xincref(w);
        item[ilow] = w;
    }
    for (k = norig - 1; k >= 0; --k) pm_xdecref(h, recycle[k]);
    result = 0;
done:
    if (recycle != recycle_on_stack) pm_free(h, PM_DOMAIN_MEM, recycle);
    pm_xdecref(h, v_as_sf);
    return result;
}

pm_object *pm_list_getslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step) {
    if (pm_slice_unpack(h, &start, &stop, &step) < 0) return NULL;
    int64_t slicelength = pm_slice_adjust_indices(h, PM_SIZE(l), &start, &stop, step);
    if (slicelength <= 0) return pm_list_new(h, 0);
    if (step == 1) return list_slice(h, (pm_list *)l, start, stop);
    pm_object *result = list_new_prealloc(h, slicelength);
    if (!result) return NULL;
    pm_object **src = PM_LIST_ITEMS(l), **dest = PM_LIST_ITEMS(result);
    int64_t cur = start;
    for (int64_t i = 0; i < slicelength; i++, cur += step) dest[i] = pm_newref(src[cur]);
    ((pm_list *)result)->ob_base.ob_size = slicelength;
    return result;
}

/* adjust_slice_indexes: s[5:2] = [...] inserts before 5, not before 2. */
static int64_t adjust_slice_indexes(pm_heap *h, pm_list *lst, int64_t *start, int64_t *stop, int64_t step) {
    int64_t slicelength = pm_slice_adjust_indices(h, lst->ob_base.ob_size, start, stop, step);
    if ((step < 0 && *start < *stop) || (step > 0 && *start > *stop)) *stop = *start;
    return slicelength;
}

/* del l[start:stop:step] for step != 1: the survivors are moved down in
 * place, the list shrinks, then the removed items are released in slice
 * order (ascending positions). */
static int list_del_extended(pm_heap *h, pm_list *self, int64_t start, int64_t stop, int64_t step,
                             int64_t slicelength) {
    if (slicelength <= 0) return 0;
    if (step < 0) {
        stop = start + 1;
        start = stop + step * (slicelength - 1) - 1;
        step = -step;
    }
    pm_object **garbage = slots_alloc(h, slicelength);
    if (!garbage) {
        pm_err_nomem(h);
        return -1;
    }
    uint64_t cur;
    int64_t i;
    int64_t size = self->ob_base.ob_size;
    for (cur = (uint64_t)start, i = 0; cur < (uint64_t)stop; cur += (uint64_t)step, i++) {
        int64_t lim = step - 1;
        garbage[i] = self->ob_item[cur];
        if (cur + (uint64_t)step >= (uint64_t)size) lim = size - (int64_t)cur - 1;
        memmove(self->ob_item + cur - i, self->ob_item + cur + 1, (size_t)lim * sizeof(pm_object *));
    }
    cur = (uint64_t)start + (uint64_t)slicelength * (uint64_t)step;
    if (cur < (uint64_t)size)
        memmove(self->ob_item + cur - slicelength, self->ob_item + cur, (size_t)(size - (int64_t)cur) * sizeof(pm_object *));
    self->ob_base.ob_size = size - slicelength;
    int res = list_resize(h, self, self->ob_base.ob_size);
    for (i = 0; i < slicelength; i++) pm_decref(h, garbage[i]);
    pm_free(h, PM_DOMAIN_MEM, garbage);
    return res;
}

int pm_list_setslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step, pm_object *value) {
    pm_list *self = (pm_list *)l;
    if (pm_slice_unpack(h, &start, &stop, &step) < 0) return -1;
    if (!value) {
        int64_t slicelength = adjust_slice_indexes(h, self, &start, &stop, step);
        if (step == 1) return list_ass_slice(h, self, start, stop, NULL);
        return list_del_extended(h, self, start, stop, step, slicelength);
    }
    /* assignment: protect against a[::-1] = a by copying first */
    pm_object *seq;
    if (value == l) {
        seq = list_slice(h, self, 0, self->ob_base.ob_size);
        if (!seq) return -1;
    } else {
        if (!PM_LIST_CHECK(h, value) && !PM_TUPLE_CHECK(h, value)) {
            pm_err_set(h, PM_EXC_TypeError, "must assign iterable to extended slice");
            return -1;
        }
        seq = pm_newref(value);
    }
    int64_t slicelength = adjust_slice_indexes(h, self, &start, &stop, step);
    if (step == 1) {
        int res = list_ass_slice(h, self, start, stop, seq);
        pm_decref(h, seq);
        return res;
    }
    pm_object **seqitems;
    int64_t seqlen;
    seq_fast(h, seq, &seqitems, &seqlen);
    if (seqlen != slicelength) {
        pm_err_set(h, PM_EXC_ValueError, "attempt to assign sequence of size %lld to extended slice of size %lld",
                   (long long)seqlen, (long long)slicelength);
        pm_decref(h, seq);
        return -1;
    }
    if (!slicelength) {
        pm_decref(h, seq);
        return 0;
    }
    pm_object **garbage = slots_alloc(h, slicelength);
    if (!garbage) {
        pm_decref(h, seq);
        pm_err_nomem(h);
        return -1;
    }
    pm_object **selfitems = self->ob_item;
    int64_t cur = start;
    for (int64_t i = 0; i < slicelength; i++, cur += step) {
        garbage[i] = selfitems[cur];
        selfitems[cur] = pm_newref(seqitems[i]);
    }
    for (int64_t i = 0; i < slicelength; i++) pm_decref(h, garbage[i]);
    pm_free(h, PM_DOMAIN_MEM, garbage);
    pm_decref(h, seq);
    return 0;
}

int pm_list_delslice(pm_heap *h, pm_object *l, int64_t start, int64_t stop, int64_t step) {
    return pm_list_setslice(h, l, start, stop, step, NULL);
}

/* ---- Methods ------------------------------------------------------------------------ */

int pm_list_append_steal(pm_heap *h, pm_object *l, pm_object *v) {
    pm_list *self = (pm_list *)l;
    int64_t len = self->ob_base.ob_size;
    if (self->allocated > len) {
        self->ob_item[len] = v;
        self->ob_base.ob_size = len + 1;
        return 0;
    }
    /* _PyList_AppendTakeRefListResize */
    if (list_resize(h, self, len + 1) < 0) {
        pm_decref(h, v);
        return -1;
    }
    self->ob_item[len] = v;
    return 0;
}

int pm_list_append(pm_heap *h, pm_object *l, pm_object *v) {
    if (!PM_LIST_CHECK(h, l) || !v) {
        bad_internal_call(h, "pm_list_append");
        return -1;
    }
    return pm_list_append_steal(h, l, pm_newref(v));
}

/* ins1 */
int pm_list_insert(pm_heap *h, pm_object *l, int64_t where, pm_object *v) {
    pm_list *self = (pm_list *)l;
    if (!v || !PM_LIST_CHECK(h, l)) {
        bad_internal_call(h, "pm_list_insert");
        return -1;
    }
    int64_t n = self->ob_base.ob_size;
    if (list_resize(h, self, n + 1) < 0) return -1;
    if (where < 0) {
        where += n;
        if (where < 0) where = 0;
    }
    if (where > n) where = n;
    pm_object **items = self->ob_item;
    for (int64_t i = n; --i >= where;) items[i + 1] = items[i];
    items[where] = pm_newref(v);
    return 0;
}

pm_object *pm_list_pop(pm_heap *h, pm_object *l, int64_t index) {
    pm_list *self = (pm_list *)l;
    int64_t size = self->ob_base.ob_size;
    if (size == 0) {
        pm_err_set(h, PM_EXC_IndexError, "pop from empty list");
        return NULL;
    }
    if (index < 0) index += size;
    if (!valid_index(index, size)) {
        pm_err_set(h, PM_EXC_IndexError, "pop index out of range");
        return NULL;
    }
    pm_object **items = self->ob_item;
    pm_object *v = items[index];
    int64_t size_after_pop = size - 1;
    int status;
    if (size_after_pop == 0) {
        /* the last item: the array is freed, not shrunk */
        pm_incref(v);
        status = list_clear_impl(h, l);
    } else {
        if (size_after_pop - index > 0)
            memmove(&items[index], &items[index + 1], (size_t)(size_after_pop - index) * sizeof(pm_object *));
        status = list_resize(h, self, size_after_pop);
    }
    if (status >= 0) return v;                  /* v keeps the reference the list had */
    memmove(&items[index + 1], &items[index], (size_t)(size_after_pop - index) * sizeof(pm_object *));
    items[index] = v;
    return NULL;
}

int pm_list_clear(pm_heap *h, pm_object *l) { return list_clear_impl(h, l); }

int pm_list_extend(pm_heap *h, pm_object *l, pm_object *iterable) {
    pm_list *self = (pm_list *)l;
    pm_object **src;
    int64_t n;
    if (iterable != l && !PM_LIST_CHECK(h, iterable) && !PM_TUPLE_CHECK(h, iterable)) {
        bad_internal_call(h, "pm_list_extend: not a list or tuple (use pm_list_extend_iter)");
        return -1;
    }
    seq_fast(h, iterable, &src, &n);
    if (n == 0) return 0;
    pm_incref(iterable);                        /* PySequence_Fast's reference */
    int64_t m = self->ob_base.ob_size;
    if (!self->ob_item) {
        if (list_preallocate_exact(h, self, n) < 0) {
            pm_decref(h, iterable);
            return -1;
        }
        self->ob_base.ob_size = n;
    } else if (list_resize(h, self, m + n) < 0) {
        pm_decref(h, iterable);
        return -1;
    }
    /* self may be iterable (a.extend(a)): read its items after the resize */
    if (iterable == l) src = self->ob_item;
    pm_object **dest = self->ob_item + m;
    for (int64_t i = 0; i < n; i++) dest[i] = pm_newref(src[i]);
    pm_decref(h, iterable);
    return 0;
}

int pm_list_extend_iter(pm_heap *h, pm_object *l, int64_t n, pm_iternext_fn next, void *ctx) {
    pm_list *self = (pm_list *)l;
    if (n < 0) {
        bad_internal_call(h, "pm_list_extend_iter: negative length hint");
        return -1;
    }
    int64_t m = self->ob_base.ob_size;
    if (m > INT64_MAX - n) {
        /* the hint overflowed: ignore it */
    } else if (!self->ob_item) {
        if (n && list_preallocate_exact(h, self, n) < 0) return -1;
    } else {
        if (list_resize(h, self, m + n) < 0) return -1;
        self->ob_base.ob_size = m;              /* make the list sane again */
    }
    for (;;) {
        pm_object *item = next(h, ctx);
        if (!item) {
            if (pm_err_occurred(h)) return -1;
            break;
        }
        if (self->ob_base.ob_size < self->allocated) {
            self->ob_item[self->ob_base.ob_size] = item;
            self->ob_base.ob_size++;
        } else if (pm_list_append_steal(h, l, item) < 0) {
            return -1;
        }
    }
    /* cut back if the guess was too large */
    if (self->ob_base.ob_size < self->allocated && list_resize(h, self, self->ob_base.ob_size) < 0) return -1;
    return 0;
}

int pm_list_reverse(pm_heap *h, pm_object *l) {
    (void)h;
    int64_t n = PM_SIZE(l);
    if (n > 1) {
        pm_object **lo = PM_LIST_ITEMS(l), **hi = lo + n - 1;
        while (lo < hi) {
            pm_object *t = *lo;
            *lo++ = *hi;
            *hi-- = t;
        }
    }
    return 0;
}

/* PyObject_RichCompareBool(obj, value, Py_EQ) with obj held across the call. */
static int item_eq(pm_heap *h, pm_object *obj, pm_object *value) {
    pm_incref(obj);
    int cmp = pm_object_eq(h, obj, value);
    pm_decref(h, obj);
    return cmp;
}

int64_t pm_list_index(pm_heap *h, pm_object *l, pm_object *value, int64_t start, int64_t stop) {
    if (start < 0) {
        start += PM_SIZE(l);
        if (start < 0) start = 0;
    }
    if (stop < 0) {
        stop += PM_SIZE(l);
        if (stop < 0) stop = 0;
    }
    for (int64_t i = start; i < stop && i < PM_SIZE(l); i++) {
        int cmp = item_eq(h, PM_LIST_GET(l, i), value);
        if (cmp > 0) return i;
        if (cmp < 0) return -1;
    }
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_object_repr(h, value, &sb) == 0) {
        pm_err_set(h, PM_EXC_ValueError, "%s is not in list", sb.buf ? sb.buf : "");
    }
    _pm_strbuf_free(&sb);
    return -1;
}

int64_t pm_list_count(pm_heap *h, pm_object *l, pm_object *value) {
    int64_t count = 0;
    for (int64_t i = 0; i < PM_SIZE(l); i++) {
        pm_object *obj = PM_LIST_GET(l, i);
        if (obj == value) {
            count++;
            continue;
        }
        int cmp = item_eq(h, obj, value);
        if (cmp > 0) count++;
        else if (cmp < 0) return -1;
    }
    return count;
}

int pm_list_remove(pm_heap *h, pm_object *l, pm_object *value) {
    for (int64_t i = 0; i < PM_SIZE(l); i++) {
        int cmp = item_eq(h, PM_LIST_GET(l, i), value);
        if (cmp > 0) return list_ass_slice(h, (pm_list *)l, i, i + 1, NULL);
        if (cmp < 0) return -1;
    }
    pm_err_set(h, PM_EXC_ValueError, "list.remove(x): x not in list");
    return -1;
}

int pm_list_contains(pm_heap *h, pm_object *l, pm_object *el) {
    int cmp = 0;
    for (int64_t i = 0; cmp == 0 && i < PM_SIZE(l); i++) cmp = item_eq(h, PM_LIST_GET(l, i), el);
    return cmp;
}

pm_object *pm_list_copy(pm_heap *h, pm_object *l) { return list_slice(h, (pm_list *)l, 0, PM_SIZE(l)); }

pm_object *pm_list_concat(pm_heap *h, pm_object *a, pm_object *b) {
    if (!PM_LIST_CHECK(h, b)) {
        pm_err_set(h, PM_EXC_TypeError, "can only concatenate list (not \"%s\") to list", PM_TYPE(b)->tp_name);
        return NULL;
    }
    int64_t na = PM_SIZE(a), nb = PM_SIZE(b), size = na + nb;
    if (size == 0) return pm_list_new(h, 0);
    pm_object *np = list_new_prealloc(h, size);
    if (!np) return NULL;
    pm_object **dest = PM_LIST_ITEMS(np);
    for (int64_t i = 0; i < na; i++) dest[i] = pm_newref(PM_LIST_GET(a, i));
    for (int64_t i = 0; i < nb; i++) dest[na + i] = pm_newref(PM_LIST_GET(b, i));
    ((pm_list *)np)->ob_base.ob_size = size;
    return np;
}

/* Fills dest[input_size:output_size] by repeating its first input_size slots. */
static void memory_repeat(pm_object **dest, int64_t output_size, int64_t input_size) {
    int64_t copied = input_size;
    while (copied < output_size) {
        int64_t chunk = copied <= output_size - copied ? copied : output_size - copied;
        memcpy(dest + copied, dest, (size_t)chunk * sizeof *dest);
        copied += chunk;
    }
}

pm_object *pm_list_repeat(pm_heap *h, pm_object *a, int64_t n) {
    int64_t input_size = PM_SIZE(a);
    if (input_size == 0 || n <= 0) return pm_list_new(h, 0);
    if (input_size > INT64_MAX / n) {
        pm_err_set(h, PM_EXC_MemoryError, "list repeat of %lld items", (long long)input_size);
        return NULL;
    }
    int64_t output_size = input_size * n;
    pm_object *np = list_new_prealloc(h, output_size);
    if (!np) return NULL;
    pm_object **dest = PM_LIST_ITEMS(np);
    for (int64_t j = 0; j < input_size; j++) {
        refcnt_add(PM_LIST_GET(a, j), n);
        dest[j] = PM_LIST_GET(a, j);
    }
    memory_repeat(dest, output_size, input_size);
    ((pm_list *)np)->ob_base.ob_size = output_size;
    return np;
}

int pm_list_inplace_repeat(pm_heap *h, pm_object *l, int64_t n) {
    pm_list *self = (pm_list *)l;
    int64_t input_size = self->ob_base.ob_size;
    if (input_size == 0 || n == 1) return 0;
    if (n < 1) {
        list_clear_impl(h, l);
        return 0;
    }
    if (input_size > INT64_MAX / n) {
        pm_err_set(h, PM_EXC_MemoryError, "list repeat of %lld items", (long long)input_size);
        return -1;
    }
    int64_t output_size = input_size * n;
    if (list_resize(h, self, output_size) < 0) return -1;
    for (int64_t j = 0; j < input_size; j++) refcnt_add(self->ob_item[j], n - 1);
    memory_repeat(self->ob_item, output_size, input_size);
    return 0;
}

pm_object *pm_list_as_tuple(pm_heap *h, pm_object *l) {
    if (!PM_LIST_CHECK(h, l)) {
        bad_internal_call(h, "pm_list_as_tuple");
        return NULL;
    }
    return pm_tuple_from_array(h, PM_LIST_ITEMS(l), PM_SIZE(l));
}

/* ---- Type slots ---------------------------------------------------------------------- */

static void list_dealloc(pm_heap *h, pm_object *o) {
    pm_list *op = (pm_list *)o;
    pm_gc_untrack(h, o);
    int tok = pm_trashcan_begin(h, o, list_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    if (op->ob_item) {
        int64_t i = op->ob_base.ob_size;
        while (--i >= 0) pm_xdecref(h, op->ob_item[i]);   /* last item first */
        pm_free(h, PM_DOMAIN_MEM, op->ob_item);
    }
    if (h->freelists.lists < PM_LIST_MAXFREELIST && PM_TYPE(o) == list_type(h)) {
        h->os->list_free[h->freelists.lists++] = o;
    } else {
        pm_object_free(h, o);
    }
    pm_trashcan_end(h, tok);
}

static int list_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    for (int64_t i = PM_SIZE(o); --i >= 0;) {
        pm_object *v = PM_LIST_GET(o, i);
        if (v) {
            int r = visit(v, arg);
            if (r) return r;
        }
    }
    return 0;
}

/* list.__sizeof__: the struct plus the allocated slots. */
static size_t list_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    return PM_LIST_BASICSIZE + (size_t)PM_LIST_ALLOCATED(o) * SLOT;
}

/* list_richcompare for ==: different lengths are unequal without looking at
 * the items; otherwise the first differing item decides. */
static int list_eq(pm_heap *h, pm_object *v, pm_object *w) {
    if (!PM_LIST_CHECK(h, v) || !PM_LIST_CHECK(h, w)) return PM_NOTIMPL;
    if (PM_SIZE(v) != PM_SIZE(w)) return 0;
    int64_t i;
    for (i = 0; i < PM_SIZE(v) && i < PM_SIZE(w); i++) {
        pm_object *vitem = PM_LIST_GET(v, i), *witem = PM_LIST_GET(w, i);
        if (vitem == witem) continue;
        pm_incref(vitem);
        pm_incref(witem);
        int k = pm_object_eq(h, vitem, witem);
        pm_decref(h, vitem);
        pm_decref(h, witem);
        if (k < 0) return -1;
        if (!k) break;
    }
    if (i >= PM_SIZE(v) || i >= PM_SIZE(w)) return PM_SIZE(v) == PM_SIZE(w);
    return 0;
}

static int list_repr(pm_heap *h, pm_object *v, pm_strbuf *sb) {
    if (PM_SIZE(v) == 0) {
        _pm_strbuf_puts(sb, "[]");
        return sb->failed ? (pm_err_nomem(h), -1) : 0;
    }
    int r = pm_repr_enter(h, v);
    if (r < 0) return -1;
    if (r > 0) {
        _pm_strbuf_puts(sb, "[...]");
        return sb->failed ? (pm_err_nomem(h), -1) : 0;
    }
    int rc = 0;
    _pm_strbuf_puts(sb, "[");
    /* an item's repr may mutate the list: re-read the size every time */
    for (int64_t i = 0; i < PM_SIZE(v); i++) {
        if (i > 0) _pm_strbuf_puts(sb, ", ");
        if (pm_object_repr(h, PM_LIST_GET(v, i), sb) < 0) { rc = -1; break; }
    }
    if (rc == 0) {
        _pm_strbuf_puts(sb, "]");
        if (sb->failed) { pm_err_nomem(h); rc = -1; }
    }
    pm_repr_leave(h, v);
    return rc;
}

/* ---- Set-up ------------------------------------------------------------------------------ */

pm_status _pm_list_init(pm_heap *h) {
    pm_type *t = list_type(h);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "list";
    t->tp_basicsize = PM_LIST_BASICSIZE;
    t->tp_itemsize = 0;             /* var-sized in layout only: the items live in a separate block */
    t->tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = PM_T_LIST;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = list_dealloc;
    t->tp_traverse = list_traverse;
    t->tp_clear = list_clear_impl;
    t->tp_sizeof = list_sizeof;
    t->tp_hash = NULL;              /* unhashable */
    t->tp_eq = list_eq;
    t->tp_repr = list_repr;
    return PM_OK;
}
