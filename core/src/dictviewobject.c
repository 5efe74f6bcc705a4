/* dictviewobject.c — dict_keys, dict_values, dict_items (see dictviewobject.h).
 *
 * Mirrors CPython 3.12 Objects/dictobject.c: _PyDictView_New,
 * dictview_dealloc, dictview_traverse, dictview_len, dictview_repr,
 * dictkeys_contains, dictitems_contains, dictview_richcompare with
 * all_contained_in, dictviews_to_set, dictviews_sub / _or / _xor,
 * dictitems_xor, _PyDictView_Intersect, dictviews_isdisjoint,
 * dictkeys_reversed & co.; PySequence_Contains (Objects/abstract.c).
 */
#include "dictviewobject.h"
#include "dictobject.h"
#include "iterobject.h"
#include "listobject.h"
#include "tupleobject.h"
#include "setobject.h"
#include "longobject.h"

_Static_assert(sizeof(pm_dictview) <= PM_DICTVIEW_BASICSIZE, "dict view must fit its model struct");

static pm_object *view_dict(pm_object *v) { return ((pm_dictview *)v)->dv_dict; }

int pm_dictview_kind(pm_heap *h, pm_object *o) {
    (void)h;
    uint32_t id = PM_TYPE(o)->type_id;
    return id >= PM_T_DICT_KEYS && id <= PM_T_DICT_ITEMS ? (int)(id - PM_T_DICT_KEYS) : -1;
}

int pm_dictview_set_check(pm_heap *h, pm_object *o) {
    int k = pm_dictview_kind(h, o);
    return k == PM_DICTVIEW_KEYS || k == PM_DICTVIEW_ITEMS;
}

pm_object *pm_dictview_dict(pm_heap *h, pm_object *v) { return pm_dictview_kind(h, v) < 0 ? NULL : view_dict(v); }

/* _PyDictView_New: PyObject_GC_New, a new reference to the dict, tracked. */
pm_object *pm_dictview_new(pm_heap *h, pm_object *d, int kind) {
    static const char *const names[3] = { "dict_keys", "dict_values", "dict_items" };
    if (kind < 0 || kind > 2) {
        pm_err_set(h, PM_EXC_TypeError, "bad argument to internal function (pm_dictview_new)");
        return NULL;
    }
    if (!d || !pm_dict_check(h, d)) {
        pm_err_set(h, PM_EXC_TypeError, "%s() requires a dict argument, not '%s'", names[kind],
                   d ? PM_TYPE(d)->tp_name : "NULL");
        return NULL;
    }
    pm_object *o = pm_object_alloc(h, pm_builtin_type(h, (pm_type_id)(PM_T_DICT_KEYS + kind)), 0);
    if (!o) return NULL;
    ((pm_dictview *)o)->dv_dict = pm_newref(d);
    pm_gc_track(h, o);
    return o;
}

/* dictview_dealloc: untrack, drop the dict, free. */
static void dictview_dealloc(pm_heap *h, pm_object *o) {
    pm_gc_untrack(h, o);
    PM_CLEAR(h, ((pm_dictview *)o)->dv_dict);
    pm_object_free(h, o);
}

static int dictview_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_object *d = view_dict(o);
    return d ? visit(d, arg) : 0;
}

int64_t pm_dictview_len(pm_heap *h, pm_object *v) {
    pm_object *d = view_dict(v);
    return d ? pm_dict_len(h, d) : 0;
}

pm_object *pm_dictview_iter(pm_heap *h, pm_object *v) {
    return pm_dictiter_new(h, view_dict(v), pm_dictview_kind(h, v));
}

pm_object *pm_dictview_reversed(pm_heap *h, pm_object *v) {
    return pm_dictiter_new(h, view_dict(v), 3 + pm_dictview_kind(h, v));
}

/* ---- Iterating an operand ------------------------------------------------------ */

/* PyObject_GetIter for an operand the core steps by itself. */
static pm_object *core_iter(pm_heap *h, pm_object *o) {
    pm_object *it = pm_object_getiter(h, o);
    if (it && !pm_iter_is_core(h, it)) {
        pm_err_set(h, PM_EXC_TypeError, "pyheap: a dict view operation cannot step a '%s' (not supported)",
                   PM_TYPE(it)->tp_name);
        pm_decref(h, it);
        return NULL;
    }
    return it;
}

/* Calls fn(item) for each item of `o` until fn returns non-zero; returns
 * that value, 0 at the end, or -1 with an exception. */
typedef int (*item_fn)(pm_heap *h, pm_object *item, void *ctx);
static int for_each(pm_heap *h, pm_object *o, item_fn fn, void *ctx) {
    pm_object *it = core_iter(h, o), *x;
    if (!it) return -1;
    int r = 0;
    while (r == 0 && (x = pm_iter_next(h, it)) != NULL) {
        r = fn(h, x, ctx);
        pm_decref(h, x);
    }
    pm_decref(h, it);
    if (r == 0 && pm_err_occurred(h)) r = -1;
    return r;
}

/* ---- Membership ------------------------------------------------------------------ */

static int found_equal(pm_heap *h, pm_object *item, void *x) {
    int r = pm_object_eq(h, item, (pm_object *)x);
    return r < 0 ? -1 : r;
}

/* dictitems_contains: a 2-tuple whose key maps to an equal value. */
static int items_contains(pm_heap *h, pm_object *d, pm_object *x) {
    if (PM_TYPE(x) != pm_builtin_type(h, PM_T_TUPLE) || PM_SIZE(x) != 2) return 0;
    pm_object *key = ((pm_tuple *)x)->ob_item[0], *value = ((pm_tuple *)x)->ob_item[1];
    pm_object *found = pm_dict_getitem(h, d, key);
    if (!found) return pm_err_occurred(h) ? -1 : 0;
    pm_incref(found);
    int r = pm_object_eq(h, found, value);
    pm_decref(h, found);
    return r;
}

int pm_dictview_contains(pm_heap *h, pm_object *v, pm_object *x) {
    pm_object *d = view_dict(v);
    if (!d) return 0;
    switch (pm_dictview_kind(h, v)) {
    case PM_DICTVIEW_KEYS: return pm_dict_contains(h, d, x);
    case PM_DICTVIEW_ITEMS: return items_contains(h, d, x);
    default: return for_each(h, v, found_equal, x);   /* _PySequence_IterSearch */
    }
}

int pm_object_contains(pm_heap *h, pm_object *c, pm_object *x) {
    switch ((pm_type_id)PM_TYPE(c)->type_id) {
    case PM_T_DICT: return pm_dict_contains(h, c, x);
    case PM_T_SET: case PM_T_FROZENSET: return pm_set_contains(h, c, x);
    case PM_T_LIST: return pm_list_contains(h, c, x);
    case PM_T_DICT_KEYS: case PM_T_DICT_VALUES: case PM_T_DICT_ITEMS: return pm_dictview_contains(h, c, x);
    case PM_T_TUPLE:
        for (int64_t i = 0; i < PM_SIZE(c); i++) {
            int r = pm_object_eq(h, ((pm_tuple *)c)->ob_item[i], x);
            if (r != 0) return r;
        }
        return 0;
    case PM_T_STR:
        pm_err_set(h, PM_EXC_TypeError, "pyheap: 'in <string>' is the interpreter's (not supported here)");
        return -1;
    default:
        if (pm_iter_check(h, c) || PM_TYPE(c)->type_id == PM_T_RANGE || PM_TYPE(c)->type_id == PM_T_BYTES)
            return for_each(h, c, found_equal, x);
        pm_err_set(h, PM_EXC_TypeError, "argument of type '%s' is not iterable", PM_TYPE(c)->tp_name);
        return -1;
    }
}

/* ---- Comparison ------------------------------------------------------------------ */

/* PyObject_Size of a set-like operand (set, frozenset, keys/items view). */
static int64_t setlike_len(pm_heap *h, pm_object *o) {
    return pm_anyset_check(h, o) ? pm_set_len(h, o) : pm_dictview_len(h, o);
}

static int missing_from(pm_heap *h, pm_object *item, void *other) {
    int r = pm_object_contains(h, (pm_object *)other, item);
    return r < 0 ? -1 : !r;
}

/* all_contained_in: every item of a is in b. 1, 0 or -1. */
static int all_contained_in(pm_heap *h, pm_object *a, pm_object *b) {
    int r = for_each(h, a, missing_from, b);
    return r < 0 ? -1 : !r;
}

int pm_dictview_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op) {
    if (!pm_dictview_set_check(h, a)) {   /* the reflected comparison, b op' a */
        static const int swapped[6] = { PM_CMP_GT, PM_CMP_GE, PM_CMP_EQ, PM_CMP_NE, PM_CMP_LT, PM_CMP_LE };
        if (!pm_dictview_set_check(h, b) || op < 0 || op > 5) return PM_NOTIMPL;
        return pm_dictview_richcompare(h, b, a, swapped[op]);
    }
    if (!pm_anyset_check(h, b) && !pm_dictview_set_check(h, b)) return PM_NOTIMPL;
    int64_t la = setlike_len(h, a), lb = setlike_len(h, b);
    int ok = 0;
    switch (op) {
    case PM_CMP_EQ: case PM_CMP_NE:
        if (la == lb) ok = all_contained_in(h, a, b);
        if (op == PM_CMP_NE && ok >= 0) ok = !ok;
        break;
    case PM_CMP_LT: if (la < lb) ok = all_contained_in(h, a, b); break;
    case PM_CMP_LE: if (la <= lb) ok = all_contained_in(h, a, b); break;
    case PM_CMP_GT: if (la > lb) ok = all_contained_in(h, b, a); break;
    case PM_CMP_GE: if (la >= lb) ok = all_contained_in(h, b, a); break;
    default: return PM_NOTIMPL;
    }
    return ok;
}

static int dictview_tp_eq(pm_heap *h, pm_object *a, pm_object *b) {
    return pm_dictview_richcompare(h, a, b, PM_CMP_EQ);
}

/* ---- Set operations ----------------------------------------------------------------- */

static int add_item(pm_heap *h, pm_object *item, void *set) { return pm_set_add(h, (pm_object *)set, item) < 0 ? -1 : 0; }
static int discard_item(pm_heap *h, pm_object *item, void *set) {
    return pm_set_discard(h, (pm_object *)set, item) < 0 ? -1 : 0;
}

/* set_update_internal: a set, frozenset or dict merged directly, anything
 * else item by item. */
static int set_update_any(pm_heap *h, pm_object *s, pm_object *other) {
    if (pm_anyset_check(h, other) || pm_dict_check(h, other)) return pm_set_update(h, s, other);
    return for_each(h, other, add_item, s) < 0 ? -1 : 0;
}

/* PySet_New(o) */
static pm_object *set_from(pm_heap *h, pm_object *o) {
    int direct = pm_anyset_check(h, o) || pm_dict_check(h, o);
    pm_object *s = pm_set_new(h, direct ? o : NULL);
    if (s && !direct && set_update_any(h, s, o) < 0) PM_CLEAR(h, s);
    return s;
}

/* dictviews_to_set: a keys view starts from its dict (PySet_New's fast path). */
static pm_object *views_to_set(pm_heap *h, pm_object *self) {
    if (pm_dictview_kind(h, self) == PM_DICTVIEW_KEYS) self = view_dict(self);
    return set_from(h, self);
}

typedef struct intersect_ctx {
    pm_object *in, *result;
} intersect_ctx;

/* One step of set_intersection's / _PyDictView_Intersect's loop. */
static int keep_common(pm_heap *h, pm_object *item, void *arg) {
    intersect_ctx *c = arg;
    int r = pm_object_contains(h, c->in, item);
    if (r <= 0) return r;
    return pm_set_add(h, c->result, item) < 0 ? -1 : 0;
}

/* _PyDictView_Intersect: a new set of the items of the smaller operand
 * that the other contains; a set at least as large as the view does the
 * work itself (set.intersection(view), the same loop over the view). */
static pm_object *views_and(pm_heap *h, pm_object *self, pm_object *other) {
    if (!pm_dictview_set_check(h, self)) {
        pm_object *t = self;
        self = other;
        other = t;
    }
    int64_t len_self = pm_dictview_len(h, self);
    intersect_ctx c = { self, NULL };
    pm_object *over = other;
    if (pm_set_check_exact(h, other) && len_self <= pm_set_len(h, other)) {
        c.in = other;
        over = self;
    } else if (pm_dictview_set_check(h, other) && pm_dictview_len(h, other) > len_self) {
        c.in = other;
        over = self;
    }
    c.result = pm_set_new(h, NULL);
    if (!c.result) return NULL;
    if (for_each(h, over, keep_common, &c) < 0) PM_CLEAR(h, c.result);
    return c.result;
}

/* dictitems_xor: pairs of d2 not equal in d1, then what is left of a copy of d1. */
static pm_object *items_xor(pm_heap *h, pm_object *self, pm_object *other) {
    pm_object *d1 = view_dict(self), *d2 = view_dict(other);
    pm_object *temp = pm_dict_copy(h, d1);
    if (!temp) return NULL;
    pm_object *result = pm_set_new(h, NULL), *rest = NULL;
    if (!result) goto fail;
    int64_t pos = 0;
    pm_object *key, *val2;
    while (pm_dict_next(h, d2, &pos, &key, &val2)) {
        pm_incref(key);
        pm_incref(val2);
        pm_object *val1 = pm_dict_getitem(h, temp, key);
        int drop = 0;
        if (val1) {
            pm_incref(val1);
            drop = pm_object_eq(h, val1, val2);
        } else if (pm_err_occurred(h)) {
            drop = -1;
        }
        if (drop > 0) {
            drop = pm_dict_delitem(h, temp, key);
        } else if (drop == 0) {
            pm_object *pair = pm_tuple_pack(h, 2, key, val2);
            drop = pair ? pm_set_add(h, result, pair) : -1;
            pm_xdecref(h, pair);
        }
        pm_decref(h, key);
        pm_xdecref(h, val1);
        pm_decref(h, val2);
        if (drop < 0) goto fail;
    }
    rest = pm_dictview_new(h, temp, PM_DICTVIEW_ITEMS);
    if (!rest || set_update_any(h, result, rest) < 0) goto fail;
    pm_decref(h, temp);
    pm_decref(h, rest);
    return result;
fail:
    pm_decref(h, temp);
    pm_xdecref(h, result);
    pm_xdecref(h, rest);
    return NULL;
}

pm_object *pm_dictview_binop(pm_heap *h, int op, pm_object *a, pm_object *b) {
    if (!pm_dictview_set_check(h, a) && !pm_dictview_set_check(h, b)) {
        pm_err_set(h, PM_EXC_TypeError, "bad argument to internal function (pm_dictview_binop)");
        return NULL;
    }
    if (op == 1) return views_and(h, a, b);
    if (op == 12 && pm_dictview_kind(h, a) == PM_DICTVIEW_ITEMS && pm_dictview_kind(h, b) == PM_DICTVIEW_ITEMS)
        return items_xor(h, a, b);
    if (op != 7 && op != 10 && op != 12) {
        pm_err_set(h, PM_EXC_TypeError, "bad argument to internal function (pm_dictview_binop)");
        return NULL;
    }
    pm_object *result = views_to_set(h, a);
    if (!result) return NULL;
    int r;
    if (op == 7) {
        r = set_update_any(h, result, b);            /* dictviews_or: _PySet_Update */
    } else if (op == 10) {                          /* dictviews_sub: set.difference_update */
        r = pm_anyset_check(h, b) || pm_dict_check(h, b) ? pm_set_difference_update(h, result, b)
                                                         : for_each(h, b, discard_item, result);
    } else {                                        /* dictviews_xor: set.symmetric_difference_update */
        int direct = pm_anyset_check(h, b) || pm_dict_check(h, b);
        pm_object *other = direct ? pm_newref(b) : set_from(h, b);
        r = other ? pm_set_symmetric_difference_update(h, result, other) : -1;
        pm_xdecref(h, other);
    }
    if (r < 0) PM_CLEAR(h, result);
    return result;
}

static int contained_in_self(pm_heap *h, pm_object *item, void *self) {
    int r = pm_object_contains(h, (pm_object *)self, item);
    return r < 0 ? -1 : r;
}

int pm_dictview_isdisjoint(pm_heap *h, pm_object *self, pm_object *other) {
    if (self == other) return pm_dictview_len(h, self) == 0;
    /* iterate over the shorter operand when both are set-like */
    if ((pm_anyset_check(h, other) || pm_dictview_set_check(h, other)) &&
        setlike_len(h, other) > pm_dictview_len(h, self)) {
        pm_object *t = self;
        self = other;
        other = t;
    }
    int r = for_each(h, other, contained_in_self, self);
    return r < 0 ? -1 : !r;
}

/* ---- repr ---------------------------------------------------------------------------- */

static pm_object *next_of(pm_heap *h, void *it) { return pm_iter_next(h, (pm_object *)it); }

/* dictview_repr: "name(" + repr(list(view)) + ")", "..." when recursive. */
static int dictview_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    int rc = pm_repr_enter(h, o);
    if (rc != 0) {
        if (rc > 0) _pm_strbuf_puts(sb, "...");
        return rc > 0 ? 0 : -1;
    }
    int r = -1;
    pm_object *it = pm_dictview_iter(h, o);
    pm_object *seq = it ? pm_list_from_iter(h, pm_dictview_len(h, o), next_of, it) : NULL;
    pm_xdecref(h, it);
    if (seq) {
        _pm_strbuf_printf(sb, "%s(", PM_TYPE(o)->tp_name);
        r = pm_object_repr(h, seq, sb);
        _pm_strbuf_puts(sb, ")");
        pm_decref(h, seq);
    }
    pm_repr_leave(h, o);
    return r;
}

/* ---- Set-up ------------------------------------------------------------------------------ */

pm_status _pm_dictview_init(pm_heap *h) {
    static const char *const names[3] = { "dict_keys", "dict_values", "dict_items" };
    for (int k = 0; k < 3; k++) {
        pm_type *t = pm_builtin_type(h, (pm_type_id)(PM_T_DICT_KEYS + k));
        _pm_type_init_static(h, t, PM_T_DICT_KEYS + (uint32_t)k, names[k], PM_DICTVIEW_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC);
        t->tp_dealloc = dictview_dealloc;
        t->tp_traverse = dictview_traverse;
        t->tp_repr = dictview_repr;
        if (k != PM_DICTVIEW_VALUES) {   /* set-like: rich comparison, hence unhashable (tp_hash NULL) */
            t->tp_eq = dictview_tp_eq;
            t->tp_hash = NULL;
        }
    }
    return PM_OK;
}
