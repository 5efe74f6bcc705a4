/* iterobject.c — the built-in iterator types (see iterobject.h for the
 * layouts and the core/host split of the stepping).
 *
 * Mirrors CPython 3.12: list_iter / listiter_next / listiter_len and
 * list___reversed__ / listreviter_next (Objects/listobject.c), tuple_iter /
 * tupleiter_next (tupleobject.c), unicode_iter / unicode_ascii_iter_next /
 * unicodeiter_next (unicodeobject.c), bytes_iter / striter_next
 * (bytesobject.c), range_iter / range_reverse / rangeiter_next /
 * longrangeiter_next (rangeobject.c), dictiter_new /
 * dictiter_iternextkey / _iternextvalue / _iternextitem, dictreviter_iternext
 * (dictobject.c),
 * set_iter / setiter_iternext (setobject.c), enum_new_impl / enum_next,
 * reversed_new_impl / reversed_next (enumobject.c), zip_new / zip_next,
 * map_new, filter_new (bltinmodule.c). Deallocators release in the order
 * of the CPython deallocator each names.
 */
#include "iterobject.h"
#include "listobject.h"
#include "tupleobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "rangeobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "longobject.h"
#include "dictviewobject.h"

_Static_assert(sizeof(pm_seqiter) <= PM_SEQITER_BASICSIZE, "seq iterator must fit its model struct");
_Static_assert(sizeof(pm_rangeiter) <= PM_RANGEITER_BASICSIZE, "range iterator must fit its model struct");
_Static_assert(sizeof(pm_longrangeiter) <= PM_LONGRANGEITER_BASICSIZE, "longrange iterator must fit");
_Static_assert(sizeof(pm_dictiter) <= PM_DICTITER_BASICSIZE, "dict iterator must fit its model struct");
_Static_assert(sizeof(pm_setiter) <= PM_SETITER_BASICSIZE, "set iterator must fit its model struct");
_Static_assert(sizeof(pm_enumobject) <= PM_ENUM_BASICSIZE, "enumerate must fit its model struct");
_Static_assert(sizeof(pm_zipobject) <= PM_ZIP_BASICSIZE, "zip must fit its model struct");
_Static_assert(sizeof(pm_mapobject) <= PM_MAP_BASICSIZE, "map must fit its model struct");
_Static_assert(sizeof(pm_filterobject) <= PM_FILTER_BASICSIZE, "filter must fit its model struct");
_Static_assert(offsetof(pm_setiter, set) == offsetof(pm_seqiter, seq), "set iterators share seqiter_dealloc/traverse");
_Static_assert(offsetof(pm_dictiter, dict) == offsetof(pm_iter2, ref[0]) && offsetof(pm_dictiter, result) == offsetof(pm_iter2, ref[1]),
               "dict iterators share iter2_dealloc/traverse");
_Static_assert(offsetof(pm_zipobject, ittuple) == offsetof(pm_iter2, ref[0]) && offsetof(pm_zipobject, result) == offsetof(pm_iter2, ref[1]),
               "zip shares iter2_dealloc/traverse");
_Static_assert(offsetof(pm_mapobject, iters) == offsetof(pm_iter2, ref[0]) && offsetof(pm_mapobject, func) == offsetof(pm_iter2, ref[1]),
               "map shares iter2_dealloc/traverse");

/* Visits the non-NULL references among refs[0..n), in order (the traverse functions). */
static int visit_each(pm_object *const *refs, int n, pm_visitproc visit, void *arg) {
    for (int i = 0; i < n; i++) {
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

static int has_type(pm_heap *h, pm_object *o, pm_type_id id) { return PM_TYPE(o) == pm_builtin_type(h, id); }
static pm_type_id tid(pm_object *o) { return (pm_type_id)PM_TYPE(o)->type_id; }

/* ---- Sequence iterators ----------------------------------------------------------- */

/* list_iter & co.: PyObject_GC_New, index, a new reference to seq, then tracked. */
static pm_object *seqiter_new(pm_heap *h, pm_type_id id, pm_object *seq, int64_t index) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, id), 0);
    if (!o) return NULL;
    pm_seqiter *it = (pm_seqiter *)o;
    it->index = index;
    it->seq = pm_newref(seq);
    pm_gc_track(h, o);
    return o;
}

/* listiter_dealloc / tupleiter_dealloc / unicodeiter_dealloc / striter_dealloc /
 * reversed_dealloc / setiter_dealloc: untrack, drop the sequence, free. */
static void seqiter_dealloc(pm_heap *h, pm_object *o) {
    pm_gc_untrack(h, o);
    PM_CLEAR(h, ((pm_seqiter *)o)->seq);
    pm_object_free(h, o);
}

static int seqiter_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    return visit_each(&((pm_seqiter *)o)->seq, 1, visit, arg);
}

/* The end of a sequence iterator: it drops the sequence (3.12's listiter_next
 * "it->it_seq = NULL; Py_DECREF(seq)" and the same in the others). */
static pm_object *seqiter_exhaust(pm_heap *h, pm_seqiter *it) {
    PM_CLEAR(h, it->seq);
    return NULL;
}

/* The length of the core sequence a forward iterator walks. */
static int64_t seq_len(pm_heap *h, pm_object *s) {
    switch (tid(s)) {
    case PM_T_LIST: case PM_T_TUPLE: return PM_SIZE(s);
    case PM_T_STR: return pm_unicode_length(h, s);
    case PM_T_BYTES: return pm_bytes_size(h, s);
    default: return -1;
    }
}

/* Item i (0 <= i < len) of a core sequence, new reference. */
static pm_object *seq_item(pm_heap *h, pm_object *s, int64_t i) {
    switch (tid(s)) {
    case PM_T_LIST: return pm_newref(PM_LIST_GET(s, i));
    case PM_T_TUPLE: return pm_newref(((pm_tuple *)s)->ob_item[i]);
    case PM_T_STR: return pm_unicode_getitem(h, s, i);
    case PM_T_BYTES: {
        int b = pm_bytes_getitem(h, s, i);
        return b < 0 ? NULL : pm_long_from_int64(h, b);
    }
    default:
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not subscriptable", PM_TYPE(s)->tp_name);
        return NULL;
    }
}

/* listiter_next, tupleiter_next, unicode(_ascii)iter_next, striter_next. */
static pm_object *seqiter_next(pm_heap *h, pm_object *o) {
    pm_seqiter *it = (pm_seqiter *)o;
    if (!it->seq) return NULL;
    if (it->index < seq_len(h, it->seq)) return seq_item(h, it->seq, it->index++);
    return seqiter_exhaust(h, it);
}

/* listreviter_next: index counts down; the list may have shrunk meanwhile. */
static pm_object *listreviter_next(pm_heap *h, pm_object *o) {
    pm_seqiter *it = (pm_seqiter *)o;
    if (!it->seq) return NULL;
    if (it->index >= 0 && it->index < PM_SIZE(it->seq)) return pm_newref(PM_LIST_GET(it->seq, it->index--));
    it->index = -1;
    return seqiter_exhaust(h, it);
}

/* reversed_next over a core sequence (PySequence_GetItem). */
static pm_object *reversed_next(pm_heap *h, pm_object *o) {
    pm_seqiter *it = (pm_seqiter *)o;
    if (it->index >= 0 && it->seq && it->index < seq_len(h, it->seq)) return seq_item(h, it->seq, it->index--);
    it->index = -1;
    return seqiter_exhaust(h, it);
}

/* ---- Range iterators ---------------------------------------------------------------- */

static pm_object *rangeiter_new(pm_heap *h, int64_t start, int64_t step, int64_t len) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_RANGE_ITER), 0);
    if (!o) return NULL;
    pm_rangeiter *r = (pm_rangeiter *)o;
    r->start = start;
    r->step = step;
    r->len = len;
    return o;
}

/* rangeiter_next: the C-long fast path. */
static pm_object *rangeiter_next(pm_heap *h, pm_object *o) {
    pm_rangeiter *r = (pm_rangeiter *)o;
    if (r->len <= 0) return NULL;
    int64_t v = r->start;
    r->start = (int64_t)((uint64_t)v + (uint64_t)r->step);   /* may wrap after the last item, as CPython's */
    r->len--;
    return pm_long_from_int64(h, v);
}

/* range_iter / range_reverse for ranges outside the C long range:
 * longrangeiterobject holding new references to three ints. */
static pm_object *longrangeiter_new(pm_heap *h, pm_object *start, pm_object *step, pm_object *len) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_LONGRANGE_ITER), 0);
    if (!o) {
        pm_decref(h, start); pm_decref(h, step); pm_decref(h, len);
        return NULL;
    }
    pm_longrangeiter *r = (pm_longrangeiter *)o;
    r->start = start;
    r->step = step;
    r->len = len;
    return o;
}

static pm_object *range_getiter(pm_heap *h, pm_object *o, int reverse) {
    int64_t start, step, len;
    if (pm_range_iter_params(h, o, &start, &step, &len)) {
        if (reverse) {   /* range_reverse: last item first, negated step */
            start = len ? (int64_t)((uint64_t)start + (uint64_t)(len - 1) * (uint64_t)step) : start;
            step = (int64_t)(0 - (uint64_t)step);
        }
        return rangeiter_new(h, start, step, len);
    }
    pm_range *r = (pm_range *)o;
    if (!reverse) return longrangeiter_new(h, pm_newref(r->start), pm_newref(r->step), pm_newref(r->length));
    /* start + (len - 1) * step, -step */
    pm_object *one = pm_long_from_int64(h, 1), *zero = pm_long_from_int64(h, 0);
    pm_object *lm1 = pm_long_sub(h, r->length, one);
    pm_object *prod = lm1 ? pm_long_mul(h, lm1, r->step) : NULL;
    pm_object *nstart = prod ? pm_long_add(h, r->start, prod) : NULL;
    pm_object *nstep = nstart ? pm_long_sub(h, zero, r->step) : NULL;
    pm_xdecref(h, lm1);
    pm_xdecref(h, prod);
    pm_decref(h, one);
    pm_decref(h, zero);
    if (!nstep) {
        pm_xdecref(h, nstart);
        return NULL;
    }
    return longrangeiter_new(h, nstart, nstep, pm_newref(r->length));
}

/* longrangeiter_next: len > 0, then start += step, len -= 1. */
static pm_object *longrangeiter_next(pm_heap *h, pm_object *o) {
    pm_longrangeiter *r = (pm_longrangeiter *)o;
    pm_object *zero = pm_long_from_int64(h, 0);
    int c = pm_long_compare(h, r->len, zero);
    pm_decref(h, zero);
    if (c <= 0) return NULL;
    pm_object *one = pm_long_from_int64(h, 1);
    pm_object *new_start = pm_long_add(h, r->start, r->step);
    pm_object *new_len = new_start ? pm_long_sub(h, r->len, one) : NULL;
    pm_decref(h, one);
    if (!new_len) {
        pm_xdecref(h, new_start);
        return NULL;
    }
    pm_object *result = r->start;
    r->start = new_start;
    pm_object *old_len = r->len;
    r->len = new_len;
    pm_decref(h, old_len);
    return result;
}

/* longrangeiter_dealloc: start, step, len, then the block. */
static void longrangeiter_dealloc(pm_heap *h, pm_object *o) {
    pm_longrangeiter *r = (pm_longrangeiter *)o;
    pm_xdecref(h, r->start);
    pm_xdecref(h, r->step);
    pm_xdecref(h, r->len);
    pm_object_free(h, o);
}

/* Not a GC type, but it holds references (for the checkers). */
static int longrangeiter_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_longrangeiter *r = (pm_longrangeiter *)o;
    pm_object *refs[3] = { r->start, r->step, r->len };
    return visit_each(refs, 3, visit, arg);
}

static void plain_dealloc(pm_heap *h, pm_object *o) { pm_object_free(h, o); }

/* ---- Dict and set iterators --------------------------------------------------------- */

pm_object *pm_dictiter_new(pm_heap *h, pm_object *d, int kind) {
    if (!has_type(h, d, PM_T_DICT) || kind < 0 || kind > 5) {
        pm_err_set(h, PM_EXC_TypeError, "bad argument to internal function (pm_dictiter_new)");
        return NULL;
    }
    static const pm_type_id ids[6] = { PM_T_DICT_KEYITER, PM_T_DICT_VALUEITER, PM_T_DICT_ITEMITER,
                                       PM_T_DICT_REVKEYITER, PM_T_DICT_REVVALUEITER, PM_T_DICT_REVITEMITER };
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, ids[kind]), 0);
    if (!o) return NULL;
    pm_dictiter *di = (pm_dictiter *)o;
    di->dict = pm_newref(d);
    di->used = ((pm_dictobject *)d)->ma_used;
    di->pos = kind >= 3 ? pm_dict_last_pos(d) : 0;   /* the reverse iterators start at the last entry */
    di->len = di->used;
    di->result = NULL;
    if (kind == 2 || kind == 5) {
        di->result = pm_tuple_pack(h, 2, PM_NONE(h), PM_NONE(h));
        if (!di->result) {
            pm_decref(h, o);
            return NULL;
        }
    }
    pm_gc_track(h, o);
    return o;
}

/* dictiter_dealloc (dict, result), zip_dealloc (ittuple, result), map_dealloc
 * (iters, func): untrack, the two references in order, free. */
static void iter2_dealloc(pm_heap *h, pm_object *o) {
    pm_iter2 *it = (pm_iter2 *)o;
    pm_gc_untrack(h, o);
    pm_xdecref(h, it->ref[0]);
    pm_xdecref(h, it->ref[1]);
    pm_object_free(h, o);
}

static int iter2_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    return visit_each(((pm_iter2 *)o)->ref, 2, visit, arg);
}

/* A reusable 2-tuple (dictiter_iternextitem, enum_next): when the iterator
 * holds the only reference, the previous pair is overwritten in place (and
 * re-tracked: the collector may have untracked it); otherwise a new tuple.
 * Steals a and b. */
static pm_object *pair_result(pm_heap *h, pm_object *cached, pm_object *a, pm_object *b) {
    if (cached && cached->ob_refcnt == 1) {
        pm_tuple *t = (pm_tuple *)pm_newref(cached);
        pm_object *olda = t->ob_item[0], *oldb = t->ob_item[1];
        t->ob_item[0] = a;
        t->ob_item[1] = b;
        pm_decref(h, olda);
        pm_decref(h, oldb);
        if (!pm_gc_is_tracked(cached)) pm_gc_track(h, cached);
        return cached;
    }
    pm_object *t = pm_tuple_new(h, 2);
    if (!t) {
        pm_decref(h, a);
        pm_decref(h, b);
        return NULL;
    }
    ((pm_tuple *)t)->ob_item[0] = a;
    ((pm_tuple *)t)->ob_item[1] = b;
    return t;
}

/* dictiter_iternextkey / value / item, and dictreviter_iternext for the
 * reverse types (which walk down and have no "keys changed" check). */
static pm_object *dictiter_next(pm_heap *h, pm_object *o) {
    pm_dictiter *di = (pm_dictiter *)o;
    pm_object *d = di->dict;
    if (!d) return NULL;
    if (di->used != ((pm_dictobject *)d)->ma_used) {
        pm_err_set(h, PM_EXC_RuntimeError, "dictionary changed size during iteration");
        di->used = -1;   /* make this state sticky */
        return NULL;
    }
    pm_object *k, *v;
    pm_type_id id = tid(o);
    int reverse = id >= PM_T_DICT_REVKEYITER;
    if (!(reverse ? pm_dict_prev(h, d, &di->pos, &k, &v) : pm_dict_next(h, d, &di->pos, &k, &v))) {
        di->dict = NULL;
        pm_decref(h, d);
        return NULL;
    }
    if (di->len == 0 && !reverse) {   /* an element we did not expect */
        pm_err_set(h, PM_EXC_RuntimeError, "dictionary keys changed during iteration");
        di->dict = NULL;
        pm_decref(h, d);
        return NULL;
    }
    di->len--;
    switch (id) {
    case PM_T_DICT_KEYITER: case PM_T_DICT_REVKEYITER: return pm_newref(k);
    case PM_T_DICT_VALUEITER: case PM_T_DICT_REVVALUEITER: return pm_newref(v);
    default: return pair_result(h, di->result, pm_newref(k), pm_newref(v));
    }
}

/* set_iter */
static pm_object *setiter_new(pm_heap *h, pm_object *s) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_SET_ITER), 0);
    if (!o) return NULL;
    pm_setiter *si = (pm_setiter *)o;
    si->set = pm_newref(s);
    si->used = ((pm_setobject *)s)->used;
    si->pos = 0;
    si->len = si->used;
    pm_gc_track(h, o);
    return o;
}

/* setiter_iternext */
static pm_object *setiter_next(pm_heap *h, pm_object *o) {
    pm_setiter *si = (pm_setiter *)o;
    pm_object *s = si->set;
    if (!s) return NULL;
    if (si->used != ((pm_setobject *)s)->used) {
        pm_err_set(h, PM_EXC_RuntimeError, "Set changed size during iteration");
        si->used = -1;
        return NULL;
    }
    pm_object *k;
    if (!pm_set_next(h, s, &si->pos, &k, NULL)) {
        si->set = NULL;
        pm_decref(h, s);
        return NULL;
    }
    si->len--;
    return pm_newref(k);
}

/* ---- enumerate, zip, map, filter ---------------------------------------------------- */

pm_object *pm_enumerate_new(pm_heap *h, pm_object *it, int64_t start) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_ENUMERATE), 0);
    if (!o) return NULL;
    pm_enumobject *en = (pm_enumobject *)o;
    en->index = start;
    en->sit = pm_newref(it);
    en->longindex = NULL;
    en->one = pm_long_from_int64(h, 1);   /* _PyLong_GetOne(): immortal */
    en->result = pm_tuple_pack(h, 2, PM_NONE(h), PM_NONE(h));
    pm_gc_track(h, o);   /* once its fields are set (no collection can see it half-made) */
    if (!en->result) {
        pm_decref(h, o);
        return NULL;
    }
    return o;
}

/* enum_dealloc: untrack, sit, result, longindex. */
static void enum_dealloc(pm_heap *h, pm_object *o) {
    pm_enumobject *en = (pm_enumobject *)o;
    pm_gc_untrack(h, o);
    pm_xdecref(h, en->sit);
    pm_xdecref(h, en->result);
    pm_xdecref(h, en->longindex);
    pm_object_free(h, o);
}

static int enum_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_enumobject *en = (pm_enumobject *)o;
    pm_object *refs[3] = { en->sit, en->result, en->longindex };
    return visit_each(refs, 3, visit, arg);
}

/* enum_next after the item was fetched: the index object, then the pair. */
pm_object *pm_enumerate_pack(pm_heap *h, pm_object *o, pm_object *item) {
    pm_enumobject *en = (pm_enumobject *)o;
    if (en->index == INT64_MAX) {
        pm_decref(h, item);
        pm_err_set(h, PM_EXC_OverflowError, "enumerate index out of the modelled range");
        return NULL;
    }
    pm_object *idx = pm_long_from_int64(h, en->index);
    if (!idx) {
        pm_decref(h, item);
        return NULL;
    }
    en->index++;
    return pair_result(h, en->result, idx, item);
}

/* zip_new: a tuple of iterators; the result tuple holds Nones until the first step. */
pm_object *pm_zip_new(pm_heap *h, pm_object *const *iters, int64_t n, int strict) {
    pm_object *ittuple = pm_tuple_from_array(h, iters, n);
    if (!ittuple) return NULL;
    pm_object *result = pm_tuple_new(h, n);
    if (!result) {
        pm_decref(h, ittuple);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) ((pm_tuple *)result)->ob_item[i] = pm_newref(PM_NONE(h));
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_ZIP), 0);
    if (!o) {
        pm_decref(h, ittuple);
        pm_decref(h, result);
        return NULL;
    }
    pm_zipobject *z = (pm_zipobject *)o;
    z->tuplesize = n;
    z->ittuple = ittuple;
    z->result = result;
    z->strict = strict;
    pm_gc_track(h, o);
    return o;
}

/* zip_next's result after every item was fetched (steals the items). */
pm_object *pm_zip_pack(pm_heap *h, pm_object *o, pm_object *const *items) {
    pm_zipobject *z = (pm_zipobject *)o;
    int64_t n = z->tuplesize;
    pm_object *result = z->result;
    if (result->ob_refcnt == 1) {
        pm_incref(result);
        for (int64_t i = 0; i < n; i++) {
            pm_object *old = ((pm_tuple *)result)->ob_item[i];
            ((pm_tuple *)result)->ob_item[i] = items[i];
            pm_decref(h, old);
        }
        if (!pm_gc_is_tracked(result)) pm_gc_track(h, result);
        return result;
    }
    return pm_tuple_from_array_steal(h, items, n);
}

/* zip_next for core inner iterators: fetch in order, stop at the first end. */
static pm_object *zip_next(pm_heap *h, pm_object *o) {
    pm_zipobject *z = (pm_zipobject *)o;
    int64_t n = z->tuplesize;
    if (n == 0) return NULL;
    pm_object *stackbuf[8];
    pm_object **items = n <= 8 ? stackbuf : _pm_raw_malloc(h, (size_t)n * sizeof *items);
    if (!items) {
        pm_err_nomem(h);
        return NULL;
    }
    pm_object *r = NULL;
    int64_t got = 0;
    for (; got < n; got++) {
        items[got] = pm_iter_next(h, ((pm_tuple *)z->ittuple)->ob_item[got]);
        if (!items[got]) break;
    }
    if (got == n) r = pm_zip_pack(h, o, items);
    else
        while (got > 0) pm_decref(h, items[--got]);
    if (items != stackbuf) _pm_raw_free(h, items);
    return r;
}

/* map_new: the tuple of iterators is made first, then the map object. */
pm_object *pm_map_new(pm_heap *h, pm_object *func, pm_object *const *iters, int64_t n) {
    pm_object *tup = pm_tuple_from_array(h, iters, n);
    if (!tup) return NULL;
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_MAP), 0);
    if (!o) {
        pm_decref(h, tup);
        return NULL;
    }
    pm_mapobject *m = (pm_mapobject *)o;
    m->iters = tup;
    m->func = pm_newref(func);
    pm_gc_track(h, o);
    return o;
}

pm_object *pm_filter_new(pm_heap *h, pm_object *func, pm_object *it) {
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, PM_T_FILTER), 0);
    if (!o) return NULL;
    pm_filterobject *f = (pm_filterobject *)o;
    f->func = pm_newref(func);
    f->it = pm_newref(it);
    pm_gc_track(h, o);
    return o;
}

/* filter_dealloc: untrack, inside the trashcan: func, it. */
static void filter_dealloc(pm_heap *h, pm_object *o) {
    pm_filterobject *f = (pm_filterobject *)o;
    pm_gc_untrack(h, o);
    int tok = pm_trashcan_begin(h, o, filter_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    pm_xdecref(h, f->func);
    pm_xdecref(h, f->it);
    pm_object_free(h, o);
    pm_trashcan_end(h, tok);
}

static int filter_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_filterobject *f = (pm_filterobject *)o;
    pm_object *refs[2] = { f->func, f->it };
    return visit_each(refs, 2, visit, arg);
}

/* ---- The public entry points ------------------------------------------------------------ */

pm_object *pm_object_getiter(pm_heap *h, pm_object *o) {
    switch (tid(o)) {
    case PM_T_LIST: return seqiter_new(h, PM_T_LIST_ITER, o, 0);
    case PM_T_TUPLE: return seqiter_new(h, PM_T_TUPLE_ITER, o, 0);
    case PM_T_STR:
        return seqiter_new(h, pm_unicode_is_ascii(h, o) ? PM_T_STR_ASCII_ITER : PM_T_STR_ITER, o, 0);
    case PM_T_BYTES: return seqiter_new(h, PM_T_BYTES_ITER, o, 0);
    case PM_T_RANGE: return range_getiter(h, o, 0);
    case PM_T_DICT: return pm_dictiter_new(h, o, 0);
    case PM_T_SET: case PM_T_FROZENSET: return setiter_new(h, o);
    case PM_T_DICT_KEYS: case PM_T_DICT_VALUES: case PM_T_DICT_ITEMS: return pm_dictview_iter(h, o);
    default:
        if (pm_iter_check(h, o)) return pm_newref(o);   /* PyObject_SelfIter */
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not iterable", PM_TYPE(o)->tp_name);
        return NULL;
    }
}

pm_object *pm_reversed_new(pm_heap *h, pm_object *seq, int64_t len) {
    switch (tid(seq)) {
    case PM_T_LIST: return seqiter_new(h, PM_T_LIST_REVITER, seq, PM_SIZE(seq) - 1);
    case PM_T_RANGE: return range_getiter(h, seq, 1);
    case PM_T_TUPLE: case PM_T_STR: case PM_T_BYTES:
        return seqiter_new(h, PM_T_REVERSED, seq, seq_len(h, seq) - 1);
    case PM_T_DICT: return pm_dictiter_new(h, seq, 3);   /* dict___reversed__ */
    case PM_T_DICT_KEYS: case PM_T_DICT_VALUES: case PM_T_DICT_ITEMS: return pm_dictview_reversed(h, seq);
    case PM_T_SET: case PM_T_FROZENSET: case PM_T_INT: case PM_T_FLOAT: case PM_T_NONE:
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not reversible", PM_TYPE(seq)->tp_name);
        return NULL;
    default:
        return seqiter_new(h, PM_T_REVERSED, seq, len - 1);
    }
}

int pm_iter_check(pm_heap *h, pm_object *o) {
    (void)h;
    uint32_t id = PM_TYPE(o)->type_id;
    return (id >= PM_T_LIST_ITER && id <= PM_T_FILTER) || (id >= PM_T_DICT_REVKEYITER && id <= PM_T_DICT_REVITEMITER);
}

int pm_iter_is_core(pm_heap *h, pm_object *it) {
    switch (tid(it)) {
    case PM_T_LIST_ITER: case PM_T_LIST_REVITER: case PM_T_TUPLE_ITER: case PM_T_STR_ASCII_ITER:
    case PM_T_STR_ITER: case PM_T_BYTES_ITER: case PM_T_RANGE_ITER: case PM_T_LONGRANGE_ITER:
    case PM_T_DICT_KEYITER: case PM_T_DICT_VALUEITER: case PM_T_DICT_ITEMITER: case PM_T_SET_ITER:
    case PM_T_DICT_REVKEYITER: case PM_T_DICT_REVVALUEITER: case PM_T_DICT_REVITEMITER:
        return 1;
    case PM_T_REVERSED: {
        pm_object *s = ((pm_seqiter *)it)->seq;
        return !s || seq_len(h, s) >= 0;
    }
    case PM_T_ENUMERATE: return pm_iter_is_core(h, ((pm_enumobject *)it)->sit);
    case PM_T_ZIP: {
        pm_zipobject *z = (pm_zipobject *)it;
        if (z->strict) return 0;
        for (int64_t i = 0; i < z->tuplesize; i++)
            if (!pm_iter_is_core(h, ((pm_tuple *)z->ittuple)->ob_item[i])) return 0;
        return 1;
    }
    default:
        return 0;
    }
}

pm_object *pm_iter_next(pm_heap *h, pm_object *it) {
    switch (tid(it)) {
    case PM_T_LIST_ITER: case PM_T_TUPLE_ITER: case PM_T_STR_ASCII_ITER: case PM_T_STR_ITER:
    case PM_T_BYTES_ITER:
        return seqiter_next(h, it);
    case PM_T_LIST_REVITER: return listreviter_next(h, it);
    case PM_T_RANGE_ITER: return rangeiter_next(h, it);
    case PM_T_LONGRANGE_ITER: return longrangeiter_next(h, it);
    case PM_T_DICT_KEYITER: case PM_T_DICT_VALUEITER: case PM_T_DICT_ITEMITER:
    case PM_T_DICT_REVKEYITER: case PM_T_DICT_REVVALUEITER: case PM_T_DICT_REVITEMITER:
        return dictiter_next(h, it);
    case PM_T_SET_ITER: return setiter_next(h, it);
    default: break;
    }
    if (!pm_iter_is_core(h, it)) {
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not an iterator the core can step", PM_TYPE(it)->tp_name);
        return NULL;
    }
    switch (tid(it)) {
    case PM_T_REVERSED: return reversed_next(h, it);
    case PM_T_ENUMERATE: {
        pm_object *item = pm_iter_next(h, ((pm_enumobject *)it)->sit);
        return item ? pm_enumerate_pack(h, it, item) : NULL;
    }
    default: return zip_next(h, it);
    }
}

int64_t pm_iter_length_hint(pm_heap *h, pm_object *it) {
    switch (tid(it)) {
    case PM_T_LIST_ITER: case PM_T_TUPLE_ITER: case PM_T_STR_ASCII_ITER: case PM_T_STR_ITER:
    case PM_T_BYTES_ITER: {
        pm_seqiter *s = (pm_seqiter *)it;
        int64_t n = s->seq ? seq_len(h, s->seq) - s->index : 0;
        return n >= 0 ? n : 0;
    }
    case PM_T_LIST_REVITER: {   /* listreviter_len */
        pm_seqiter *s = (pm_seqiter *)it;
        int64_t n = s->index + 1;
        return !s->seq || PM_SIZE(s->seq) < n ? 0 : n;
    }
    case PM_T_REVERSED: {       /* reversed_len */
        pm_seqiter *s = (pm_seqiter *)it;
        if (!s->seq) return 0;
        int64_t size = seq_len(h, s->seq), pos = s->index + 1;
        return size >= 0 && size < pos ? 0 : pos;
    }
    case PM_T_RANGE_ITER: return ((pm_rangeiter *)it)->len;
    case PM_T_LONGRANGE_ITER: {
        int64_t n = pm_long_as_int64(h, ((pm_longrangeiter *)it)->len);
        if (n == -1 && pm_err_occurred(h)) {
            pm_err_clear(h);
            n = INT64_MAX;
        }
        return n;
    }
    case PM_T_DICT_KEYITER: case PM_T_DICT_VALUEITER: case PM_T_DICT_ITEMITER:
    case PM_T_DICT_REVKEYITER: case PM_T_DICT_REVVALUEITER: case PM_T_DICT_REVITEMITER: {
        pm_dictiter *di = (pm_dictiter *)it;
        return di->dict && di->used == ((pm_dictobject *)di->dict)->ma_used ? di->len : 0;
    }
    case PM_T_SET_ITER: {
        pm_setiter *si = (pm_setiter *)it;
        return si->set && si->used == ((pm_setobject *)si->set)->used ? si->len : 0;
    }
    default:
        return -1;
    }
}

int64_t pm_reversed_take_index(pm_heap *h, pm_object *r) {
    pm_seqiter *s = (pm_seqiter *)r;
    if (s->index >= 0 && s->seq) return s->index--;
    pm_reversed_stop(h, r);
    return -1;
}

void pm_reversed_stop(pm_heap *h, pm_object *r) {
    pm_seqiter *s = (pm_seqiter *)r;
    s->index = -1;
    PM_CLEAR(h, s->seq);
}

pm_object *pm_iter_field(pm_heap *h, pm_object *it, int field) {
    switch (tid(it)) {
    case PM_T_ENUMERATE: return field == 0 ? ((pm_enumobject *)it)->sit : NULL;
    case PM_T_ZIP:   /* field 2: zip(strict=) as True / False */
        return field == 0 ? ((pm_zipobject *)it)->ittuple : field == 2 ? (((pm_zipobject *)it)->strict ? PM_TRUE(h) : PM_FALSE(h)) : NULL;
    case PM_T_MAP: return field == 0 ? ((pm_mapobject *)it)->iters : ((pm_mapobject *)it)->func;
    case PM_T_FILTER: return field == 0 ? ((pm_filterobject *)it)->it : ((pm_filterobject *)it)->func;
    case PM_T_REVERSED: return field == 0 ? ((pm_seqiter *)it)->seq : NULL;
    default: return NULL;
    }
}

/* ---- Set-up ------------------------------------------------------------------------------ */

static void init_iter_type(pm_heap *h, pm_type_id id, const char *name, uint32_t basicsize, int gc,
                           void (*dealloc)(pm_heap *, pm_object *),
                           int (*traverse)(pm_heap *, pm_object *, pm_visitproc, void *)) {
    pm_type *t = pm_builtin_type(h, id);
    _pm_type_init_static(h, t, id, name, basicsize, 0, gc ? PM_TPFLAGS_HAVE_GC : 0);
    t->tp_dealloc = dealloc;
    t->tp_traverse = traverse;
}

pm_status _pm_iter_init(pm_heap *h) {
    static const struct { pm_type_id id; const char *name; } seqs[] = {
        { PM_T_LIST_ITER, "list_iterator" }, { PM_T_LIST_REVITER, "list_reverseiterator" },
        { PM_T_TUPLE_ITER, "tuple_iterator" }, { PM_T_STR_ASCII_ITER, "str_ascii_iterator" },
        { PM_T_STR_ITER, "str_iterator" }, { PM_T_BYTES_ITER, "bytes_iterator" },
        { PM_T_REVERSED, "reversed" },
    };
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
        init_iter_type(h, seqs[i].id, seqs[i].name, PM_SEQITER_BASICSIZE, 1, seqiter_dealloc, seqiter_traverse);
    init_iter_type(h, PM_T_RANGE_ITER, "range_iterator", PM_RANGEITER_BASICSIZE, 0, plain_dealloc, NULL);
    init_iter_type(h, PM_T_LONGRANGE_ITER, "longrange_iterator", PM_LONGRANGEITER_BASICSIZE, 0,
                   longrangeiter_dealloc, NULL);
    pm_builtin_type(h, PM_T_LONGRANGE_ITER)->tp_refs = longrangeiter_refs;
    init_iter_type(h, PM_T_DICT_KEYITER, "dict_keyiterator", PM_DICTITER_BASICSIZE, 1, iter2_dealloc,
                   iter2_traverse);
    init_iter_type(h, PM_T_DICT_VALUEITER, "dict_valueiterator", PM_DICTITER_BASICSIZE, 1, iter2_dealloc,
                   iter2_traverse);
    init_iter_type(h, PM_T_DICT_ITEMITER, "dict_itemiterator", PM_DICTITER_BASICSIZE, 1, iter2_dealloc,
                   iter2_traverse);
    static const struct { pm_type_id id; const char *name; } revs[] = {
        { PM_T_DICT_REVKEYITER, "dict_reversekeyiterator" }, { PM_T_DICT_REVVALUEITER, "dict_reversevalueiterator" },
        { PM_T_DICT_REVITEMITER, "dict_reverseitemiterator" },
    };
    for (size_t i = 0; i < sizeof revs / sizeof revs[0]; i++)
        init_iter_type(h, revs[i].id, revs[i].name, PM_DICTITER_BASICSIZE, 1, iter2_dealloc, iter2_traverse);
    init_iter_type(h, PM_T_SET_ITER, "set_iterator", PM_SETITER_BASICSIZE, 1, seqiter_dealloc, seqiter_traverse);
    init_iter_type(h, PM_T_ENUMERATE, "enumerate", PM_ENUM_BASICSIZE, 1, enum_dealloc, enum_traverse);
    init_iter_type(h, PM_T_ZIP, "zip", PM_ZIP_BASICSIZE, 1, iter2_dealloc, iter2_traverse);
    init_iter_type(h, PM_T_MAP, "map", PM_MAP_BASICSIZE, 1, iter2_dealloc, iter2_traverse);
    init_iter_type(h, PM_T_FILTER, "filter", PM_FILTER_BASICSIZE, 1, filter_dealloc, filter_traverse);
    /* enumerate, zip, map, filter and reversed can be subclassed in CPython */
    static const pm_type_id bases[] = { PM_T_ENUMERATE, PM_T_ZIP, PM_T_MAP, PM_T_FILTER, PM_T_REVERSED };
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        pm_builtin_type(h, bases[i])->tp_flags |= PM_TPFLAGS_BASETYPE;
    return PM_OK;
}
