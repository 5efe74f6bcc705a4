/* tupleobject.c — the tuple type: allocation through the per-length free
 * lists, deallocation through the trashcan, hashing, comparison, repr,
 * slicing, concatenation, repetition, resizing and the collector's
 * untracking rule.
 *
 * Mirrors CPython 3.12 Objects/tupleobject.c (tuple_alloc,
 * maybe_freelist_pop/push, tupledealloc, tuplehash, tuplerichcompare,
 * tuplerepr, tuplesubscript, tupleconcat, tuplerepeat, _PyTuple_Resize,
 * _PyTuple_MaybeUntrack) and Objects/abstract.c (PySequence_Tuple's
 * generic path), Objects/sliceobject.c (PySlice_Unpack, PySlice_AdjustIndices).
 */
#include "tupleobject.h"
#include "tracemalloc.h"

_Static_assert(sizeof(pm_tuple) <= PM_TUPLE_BASICSIZE, "tuple header must fit the 24-byte model header");
_Static_assert(sizeof(pm_object *) <= PM_TUPLE_ITEMSIZE, "a host pointer must fit the 8-byte model slot");

/* Py_ReprEnter / Py_ReprLeave live with the generic protocol (object.c);
 * until they are linked in, reprs run without cycle detection. */

static pm_type *tuple_type(pm_heap *h) { return pm_builtin_type(h, PM_T_TUPLE); }

/* PyErr_BadInternalCall (SystemError in CPython; the model has no such kind yet). */
static void bad_internal_call(pm_heap *h, const char *where) {
    pm_err_set(h, PM_EXC_RuntimeError, "bad argument to internal function (%s)", where);
}

/* tuple_get_empty: the immortal singleton, so no count changes. */
static pm_object *tuple_get_empty(pm_heap *h) { return h->os->empty_tuple; }

/* ---- Free lists ---------------------------------------------------------------- */

/* maybe_freelist_pop: 3.12 serves lengths 1..PM_TUPLE_MAXSAVESIZE-1 only. */
static pm_object *maybe_freelist_pop(pm_heap *h, int64_t size) {
    if (size <= 0 || size >= PM_TUPLE_MAXSAVESIZE) return NULL;
    int64_t index = size - 1;
    pm_object *op = h->os->tuple_free[index];
    if (!op) return NULL;
    h->os->tuple_free[index] = PM_TUPLE_GET(op, 0);   /* the link, not a reference */
    h->freelists.tuples[index]--;
    op->ob_refcnt = 1;                                /* _Py_NewReference */
    pm_tracemalloc_new_reference(h, op);
    return op;
}

/* maybe_freelist_push: lengths 1..PM_TUPLE_MAXSAVESIZE, exact tuples only. */
static int maybe_freelist_push(pm_heap *h, pm_object *op) {
    int64_t size = PM_SIZE(op);
    if (size == 0) return 0;
    int64_t index = size - 1;
    if (index < PM_TUPLE_MAXSAVESIZE && h->freelists.tuples[index] < PM_TUPLE_MAXFREELIST &&
        PM_TYPE(op) == tuple_type(h)) {
        PM_TUPLE_SET(op, 0, h->os->tuple_free[index]);
        h->os->tuple_free[index] = op;
        h->freelists.tuples[index]++;
        return 1;
    }
    return 0;
}

/* tuple_alloc: a tuple of `size` (> 0) uninitialised items, untracked. */
static pm_object *tuple_alloc(pm_heap *h, int64_t size) {
    if (size < 0) {
        bad_internal_call(h, "tuple_alloc");
        return NULL;
    }
    pm_object *op = maybe_freelist_pop(h, size);
    if (op) return op;
    if ((uint64_t)size > (UINT64_MAX / 2 - PM_TUPLE_BASICSIZE) / PM_TUPLE_ITEMSIZE) {
        pm_err_set(h, PM_EXC_MemoryError, "tuple of %lld items", (long long)size);
        return NULL;
    }
    return pm_object_alloc(h, tuple_type(h), (size_t)size);
}

void _pm_tuple_clear_freelist(pm_heap *h) {
    if (!h->os) return;
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) {
        pm_object *p = h->os->tuple_free[i];
        h->os->tuple_free[i] = NULL;
        h->freelists.tuples[i] = 0;
        while (p) {
            pm_object *q = p;
            p = PM_TUPLE_GET(p, 0);
            pm_object_free(h, q);
        }
    }
}

/* ---- Construction ------------------------------------------------------------------ */

pm_object *pm_tuple_new(pm_heap *h, int64_t n) {
    if (n == 0) return tuple_get_empty(h);
    pm_object *op = tuple_alloc(h, n);
    if (!op) return NULL;
    for (int64_t i = 0; i < n; i++) PM_TUPLE_SET(op, i, NULL);
    pm_gc_track(h, op);
    return op;
}

pm_object *pm_tuple_pack(pm_heap *h, int64_t n, ...) {
    if (n == 0) return tuple_get_empty(h);
    pm_object *op = tuple_alloc(h, n);
    if (!op) return NULL;
    va_list ap;
    va_start(ap, n);
    for (int64_t i = 0; i < n; i++) PM_TUPLE_SET(op, i, pm_newref(va_arg(ap, pm_object *)));
    va_end(ap);
    pm_gc_track(h, op);
    return op;
}

pm_object *pm_tuple_from_array(pm_heap *h, pm_object *const *src, int64_t n) {
    if (n == 0) return tuple_get_empty(h);
    pm_object *op = tuple_alloc(h, n);
    if (!op) return NULL;
    for (int64_t i = 0; i < n; i++) PM_TUPLE_SET(op, i, pm_newref(src[i]));
    pm_gc_track(h, op);
    return op;
}

pm_object *pm_tuple_from_array_steal(pm_heap *h, pm_object *const *src, int64_t n) {
    if (n == 0) return tuple_get_empty(h);
    pm_object *op = tuple_alloc(h, n);
    if (!op) {
        for (int64_t i = 0; i < n; i++) pm_decref(h, src[i]);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) PM_TUPLE_SET(op, i, src[i]);
    pm_gc_track(h, op);
    return op;
}

/* ---- Item access ------------------------------------------------------------------- */

int64_t pm_tuple_size(pm_heap *h, pm_object *t) {
    if (!PM_TUPLE_CHECK(h, t)) {
        bad_internal_call(h, "pm_tuple_size");
        return -1;
    }
    return PM_SIZE(t);
}

pm_object *pm_tuple_get(pm_heap *h, pm_object *t, int64_t i) {
    if (!PM_TUPLE_CHECK(h, t)) {
        bad_internal_call(h, "pm_tuple_get");
        return NULL;
    }
    if ((uint64_t)i >= (uint64_t)PM_SIZE(t)) {
        pm_err_set(h, PM_EXC_IndexError, "tuple index out of range");
        return NULL;
    }
    return PM_TUPLE_GET(t, i);
}

pm_object *pm_tuple_getitem(pm_heap *h, pm_object *t, int64_t i) {
    if (i < 0) i += PM_SIZE(t);
    pm_object *v = pm_tuple_get(h, t, i);
    return v ? pm_newref(v) : NULL;
}

int pm_tuple_set(pm_heap *h, pm_object *t, int64_t i, pm_object *v) {
    if (!PM_TUPLE_CHECK(h, t) || (uint32_t)t->ob_refcnt != 1) {
        pm_xdecref(h, v);
        bad_internal_call(h, "pm_tuple_set");
        return -1;
    }
    if ((uint64_t)i >= (uint64_t)PM_SIZE(t)) {
        pm_xdecref(h, v);
        pm_err_set(h, PM_EXC_IndexError, "tuple assignment index out of range");
        return -1;
    }
    pm_object *old = PM_TUPLE_GET(t, i);           /* Py_XSETREF: store, then release */
    PM_TUPLE_SET(t, i, v);
    pm_xdecref(h, old);
    return 0;
}

int pm_tuple_resize(pm_heap *h, pm_object **pt, int64_t newsize) {
    pm_object *v = *pt;
    if (!v || PM_TYPE(v) != tuple_type(h) || (PM_SIZE(v) != 0 && (uint32_t)v->ob_refcnt != 1) || newsize < 0) {
        *pt = NULL;
        pm_xdecref(h, v);
        bad_internal_call(h, "pm_tuple_resize");
        return -1;
    }
    int64_t oldsize = PM_SIZE(v);
    if (oldsize == newsize) return 0;
    if (newsize == 0) {
        pm_decref(h, v);
        *pt = tuple_get_empty(h);
        return 0;
    }
    if (oldsize == 0) {
        /* the empty tuple is static: never resized in place */
        pm_decref(h, v);
        *pt = pm_tuple_new(h, newsize);
        return *pt ? 0 : -1;
    }
    pm_gc_untrack(h, v);
    for (int64_t i = newsize; i < oldsize; i++) PM_CLEAR(h, PM_TUPLE_ITEMS(v)[i]);
    pm_object *sv = pm_object_resize(h, v, (size_t)newsize);
    if (!sv) {
        /* as in 3.12: the block goes, the remaining items' references are not released */
        *pt = NULL;
        pm_object_free(h, v);
        return -1;
    }
    sv->ob_refcnt = 1;
    for (int64_t i = oldsize; i < newsize; i++) PM_TUPLE_SET(sv, i, NULL);
    *pt = sv;
    pm_gc_track(h, sv);
    return 0;
}

pm_object *pm_tuple_from_iter(pm_heap *h, int64_t hint, pm_iternext_fn next, void *ctx) {
    if (hint < 0) {
        bad_internal_call(h, "pm_tuple_from_iter");
        return NULL;
    }
    int64_t n = hint;
    pm_object *result = pm_tuple_new(h, n);
    if (!result) return NULL;
    int64_t j;
    for (j = 0;; j++) {
        pm_object *item = next(h, ctx);
        if (!item) {
            if (pm_err_occurred(h)) goto fail;
            break;
        }
        if (j >= n) {
            /* grow by ten, then by a quarter (the excess is cut back below) */
            uint64_t newn = (uint64_t)n + 10u;
            newn += newn >> 2;
            if (newn > (uint64_t)INT64_MAX) {
                pm_decref(h, item);
                pm_err_set(h, PM_EXC_MemoryError, "tuple too long");
                goto fail;
            }
            n = (int64_t)newn;
            if (pm_tuple_resize(h, &result, n) != 0) {
                pm_decref(h, item);
                goto fail;
            }
        }
        PM_TUPLE_SET(result, j, item);
    }
    if (j < n && pm_tuple_resize(h, &result, j) != 0) goto fail;
    return result;
fail:
    pm_xdecref(h, result);
    return NULL;
}

/* ---- Slices ------------------------------------------------------------------------ */

int pm_slice_unpack(pm_heap *h, int64_t *start, int64_t *stop, int64_t *step) {
    if (*step == PM_SLICE_NONE) {
        *step = 1;
    } else {
        if (*step == 0) {
            pm_err_set(h, PM_EXC_ValueError, "slice step cannot be zero");
            return -1;
        }
        if (*step < -INT64_MAX) *step = -INT64_MAX;
    }
    if (*start == PM_SLICE_NONE) *start = *step < 0 ? INT64_MAX : 0;
    if (*stop == PM_SLICE_NONE) *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    return 0;
}

int64_t pm_slice_adjust_indices(pm_heap *h, int64_t length, int64_t *start, int64_t *stop, int64_t step) {
    (void)h;
    if (*start < 0) {
        *start += length;
        if (*start < 0) *start = step < 0 ? -1 : 0;
    } else if (*start >= length) {
        *start = step < 0 ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0) *stop = step < 0 ? -1 : 0;
    } else if (*stop >= length) {
        *stop = step < 0 ? length - 1 : length;
    }
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

pm_object *pm_tuple_getslice(pm_heap *h, pm_object *t, int64_t start, int64_t stop, int64_t step) {
    if (pm_slice_unpack(h, &start, &stop, &step) < 0) return NULL;
    int64_t len = pm_slice_adjust_indices(h, PM_SIZE(t), &start, &stop, step);
    if (len <= 0) return tuple_get_empty(h);
    if (start == 0 && step == 1 && len == PM_SIZE(t) && PM_TYPE(t) == tuple_type(h)) return pm_newref(t);
    pm_object *result = tuple_alloc(h, len);
    if (!result) return NULL;
    int64_t cur = start;
    for (int64_t i = 0; i < len; i++, cur += step) PM_TUPLE_SET(result, i, pm_newref(PM_TUPLE_GET(t, cur)));
    pm_gc_track(h, result);
    return result;
}

/* ---- Sequence operations ------------------------------------------------------------ */

pm_object *pm_tuple_concat(pm_heap *h, pm_object *a, pm_object *b) {
    if (PM_SIZE(a) == 0 && PM_TYPE(b) == tuple_type(h)) return pm_newref(b);
    if (PM_TYPE(b) != tuple_type(h)) {
        pm_err_set(h, PM_EXC_TypeError, "can only concatenate tuple (not \"%s\") to tuple", PM_TYPE(b)->tp_name);
        return NULL;
    }
    if (PM_SIZE(b) == 0 && PM_TYPE(a) == tuple_type(h)) return pm_newref(a);
    int64_t na = PM_SIZE(a), nb = PM_SIZE(b), size = na + nb;
    if (size == 0) return tuple_get_empty(h);
    pm_object *np = tuple_alloc(h, size);
    if (!np) return NULL;
    for (int64_t i = 0; i < na; i++) PM_TUPLE_SET(np, i, pm_newref(PM_TUPLE_GET(a, i)));
    for (int64_t i = 0; i < nb; i++) PM_TUPLE_SET(np, na + i, pm_newref(PM_TUPLE_GET(b, i)));
    pm_gc_track(h, np);
    return np;
}

pm_object *pm_tuple_repeat(pm_heap *h, pm_object *a, int64_t n) {
    int64_t input_size = PM_SIZE(a);
    if ((input_size == 0 || n == 1) && PM_TYPE(a) == tuple_type(h)) return pm_newref(a);
    if (input_size == 0 || n <= 0) return tuple_get_empty(h);
    if (input_size > INT64_MAX / n) {
        pm_err_set(h, PM_EXC_MemoryError, "tuple repeat of %lld items", (long long)input_size);
        return NULL;
    }
    int64_t output_size = input_size * n;
    pm_object *np = tuple_alloc(h, output_size);
    if (!np) return NULL;
    pm_object **dest = PM_TUPLE_ITEMS(np);
    for (int64_t j = 0; j < input_size; j++) {
        pm_object *item = PM_TUPLE_GET(a, j);
        if (!pm_is_immortal(item)) item->ob_refcnt += (uint64_t)n;   /* _Py_RefcntAdd */
    }
    for (int64_t k = 0; k < n; k++) memcpy(dest + k * input_size, PM_TUPLE_ITEMS(a), (size_t)input_size * sizeof *dest);
    pm_gc_track(h, np);
    return np;
}

/* ---- Collector support ---------------------------------------------------------------- */

void _pm_tuple_maybe_untrack(pm_heap *h, pm_object *t) {
    if (PM_TYPE(t) != tuple_type(h) || !pm_gc_is_tracked(t)) return;
    int64_t n = PM_SIZE(t);
    for (int64_t i = 0; i < n; i++) {
        pm_object *elt = PM_TUPLE_GET(t, i);
        /* a tuple with NULL items is not fully built yet: leave it tracked */
        if (!elt || pm_object_may_be_tracked(h, elt)) return;
    }
    pm_gc_untrack(h, t);
}

/* ---- Type slots ------------------------------------------------------------------------ */

static void tupledealloc(pm_heap *h, pm_object *op) {
    if (PM_SIZE(op) == 0 && op == h->os->empty_tuple) _pm_fatal(h, "deallocating the empty tuple singleton");
    pm_gc_untrack(h, op);
    int tok = pm_trashcan_begin(h, op, tupledealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    int64_t i = PM_SIZE(op);
    while (--i >= 0) pm_xdecref(h, PM_TUPLE_GET(op, i));   /* last item first */
    if (!maybe_freelist_push(h, op)) pm_object_free(h, op);
    pm_trashcan_end(h, tok);
}

static int tupletraverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    for (int64_t i = PM_SIZE(o); --i >= 0;) {
        pm_object *v = PM_TUPLE_GET(o, i);
        if (v) {
            int r = visit(v, arg);
            if (r) return r;
        }
    }
    return 0;
}

/* tuplehash: the xxHash-based scheme of 3.8+ (64-bit primes, rotate by 31). */
#define XXPRIME_1 11400714785074694791ULL
#define XXPRIME_2 14029467366897019727ULL
#define XXPRIME_5 2870177450012600261ULL
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

static int64_t tuplehash(pm_heap *h, pm_object *o) {
    int64_t len = PM_SIZE(o);
    uint64_t acc = XXPRIME_5;
    for (int64_t i = 0; i < len; i++) {
        int64_t lane = pm_object_hash(h, PM_TUPLE_GET(o, i));
        if (lane == -1) return -1;
        acc += (uint64_t)lane * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    /* the length, mangled so that hash(()) keeps its historical value */
    acc += (uint64_t)len ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) return 1546275796;
    return (int64_t)acc;
}

/* tuplerichcompare for ==: item by item (no length shortcut), then the lengths. */
static int tuple_eq(pm_heap *h, pm_object *v, pm_object *w) {
    if (PM_TYPE(v) != tuple_type(h) || PM_TYPE(w) != tuple_type(h)) return PM_NOTIMPL;
    int64_t vlen = PM_SIZE(v), wlen = PM_SIZE(w), i;
    for (i = 0; i < vlen && i < wlen; i++) {
        int k = pm_object_eq(h, PM_TUPLE_GET(v, i), PM_TUPLE_GET(w, i));
        if (k < 0) return -1;
        if (!k) break;
    }
    if (i >= vlen || i >= wlen) return vlen == wlen;
    return 0;
}

static int tuplerepr(pm_heap *h, pm_object *v, pm_strbuf *sb) {
    int64_t n = PM_SIZE(v);
    if (n == 0) {
        _pm_strbuf_puts(sb, "()");
        return sb->failed ? (pm_err_nomem(h), -1) : 0;
    }
    /* a tuple can still reach itself through a mutable object inside it */
    int r = pm_repr_enter(h, v);
    if (r < 0) return -1;
    if (r > 0) {
        _pm_strbuf_puts(sb, "(...)");
        return sb->failed ? (pm_err_nomem(h), -1) : 0;
    }
    int rc = 0;
    _pm_strbuf_puts(sb, "(");
    for (int64_t i = 0; i < n; i++) {
        if (i > 0) _pm_strbuf_puts(sb, ", ");
        if (pm_object_repr(h, PM_TUPLE_GET(v, i), sb) < 0) { rc = -1; break; }
    }
    if (rc == 0) {
        if (n == 1) _pm_strbuf_puts(sb, ",");
        _pm_strbuf_puts(sb, ")");
        if (sb->failed) { pm_err_nomem(h); rc = -1; }
    }
    pm_repr_leave(h, v);
    return rc;
}

/* ---- Set-up ---------------------------------------------------------------------------- */

pm_status _pm_tuple_init(pm_heap *h) {
    pm_type *t = tuple_type(h);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "tuple";
    t->tp_basicsize = PM_TUPLE_BASICSIZE;
    t->tp_itemsize = PM_TUPLE_ITEMSIZE;
    t->tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = PM_T_TUPLE;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = tupledealloc;
    t->tp_traverse = tupletraverse;
    t->tp_clear = NULL;             /* tuples alone cannot form cycles */
    t->tp_sizeof = NULL;            /* 24 + 8 * len */
    t->tp_hash = tuplehash;
    t->tp_eq = tuple_eq;
    t->tp_repr = tuplerepr;

    h->os->empty_tuple = _pm_static_alloc(h, t, sizeof(pm_tuple), 0);
    return PM_OK;
}
