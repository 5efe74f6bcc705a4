/* test_iter.c — native tests of core/src/iterobject.c against facts recorded
 * from CPython 3.12 (tests/fixtures/iters.txt, written by tests/record/iters.py):
 * type names, sizes, GC tracking, the references an iterator holds before and
 * after exhaustion, the items, __length_hint__, the errors of a dict or set
 * that changes size during iteration; plus result-tuple reuse, the object
 * checker and the collector over iterators.
 *
 *   tests/core/run.sh unit test_iter      (from the repository root)
 */
#include "check.h"
#include "seqtest.h"
#include "iterobject.h"
#include "longobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "rangeobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "check_objects.h"
#include "excobject.h"
#include "typeobject.h"

static pm_object *I(pm_heap *h, int64_t v) { return pm_long_from_int64(h, v); }

/* [1, 2, 3] / (1, 2, 3) */
static pm_object *list123(pm_heap *h) {
    pm_object *items[3] = { I(h, 1), I(h, 2), I(h, 3) };
    return pm_list_from_array_steal(h, items, 3);
}
static pm_object *tuple123(pm_heap *h) {
    pm_object *items[3] = { I(h, 1), I(h, 2), I(h, 3) };
    return pm_tuple_from_array_steal(h, items, 3);
}
/* {'a': 1, 'b': 2, 'c': 3} */
static pm_object *dict_abc(pm_heap *h) {
    pm_object *d = pm_dict_new(h);
    const char *keys[3] = { "a", "b", "c" };
    for (int i = 0; i < 3; i++) {
        pm_object *k = pm_unicode_from_string(h, keys[i]), *v = I(h, i + 1);
        CHECK_EQ(pm_dict_setitem(h, d, k, v), 0);
        pm_decref(h, k);
        pm_decref(h, v);
    }
    return d;
}
static pm_object *set123(pm_heap *h, int frozen) {
    pm_object *s = frozen ? pm_frozenset_new(h, NULL) : pm_set_new(h, NULL);
    for (int i = 1; i <= 3; i++) {
        pm_object *v = I(h, i);
        CHECK_EQ(pm_set_add(h, s, v), 0);
        pm_decref(h, v);
    }
    return s;
}

/* list(it) through pm_iter_next (the interpreter's FOR_ITER does the same). */
static pm_object *next_cb(pm_heap *h, void *ctx) { return pm_iter_next(h, (pm_object *)ctx); }
static pm_object *drain(pm_heap *h, pm_object *it) {
    int64_t hint = pm_iter_length_hint(h, it);
    return pm_list_from_iter(h, hint < 0 ? 8 : hint, next_cb, it);
}

typedef struct kind {
    const char *name;
    pm_object *seq;          /* the container whose references are counted, or NULL */
    pm_object *(*make)(pm_heap *h, pm_object *seq);
} kind;

static pm_object *mk_iter(pm_heap *h, pm_object *s) { return pm_object_getiter(h, s); }
static pm_object *mk_rev(pm_heap *h, pm_object *s) { return pm_reversed_new(h, s, -1); }
static pm_object *mk_range(pm_heap *h, pm_object *s) {
    (void)s;
    pm_object *r = pm_range_from_int64(h, 0, 3, 1), *it = pm_object_getiter(h, r);
    pm_decref(h, r);
    return it;
}
static pm_object *mk_range_rev(pm_heap *h, pm_object *s) {
    (void)s;
    pm_object *r = pm_range_from_int64(h, 0, 3, 1), *it = pm_reversed_new(h, r, -1);
    pm_decref(h, r);
    return it;
}
static pm_object *mk_longrange(pm_heap *h, pm_object *s) {
    (void)s;
    pm_object *a = pm_long_from_uint64(h, UINT64_MAX), *one = I(h, 1), *three = I(h, 3);
    pm_object *start = pm_long_add(h, a, one), *stop = pm_long_add(h, start, three);
    pm_object *r = pm_range_new(h, start, stop, NULL), *it = pm_object_getiter(h, r);
    pm_decref(h, r); pm_decref(h, a); pm_decref(h, one); pm_decref(h, three);
    pm_decref(h, start); pm_decref(h, stop);
    return it;
}
static pm_object *mk_values(pm_heap *h, pm_object *s) { return pm_dictiter_new(h, s, 1); }
static pm_object *mk_items(pm_heap *h, pm_object *s) { return pm_dictiter_new(h, s, 2); }
static pm_object *mk_enum(pm_heap *h, pm_object *s) {
    pm_object *it = pm_object_getiter(h, s), *en = pm_enumerate_new(h, it, 0);
    pm_decref(h, it);
    return en;
}
static pm_object *mk_enum10(pm_heap *h, pm_object *s) {
    pm_object *it = pm_object_getiter(h, s), *en = pm_enumerate_new(h, it, 10);
    pm_decref(h, it);
    return en;
}
/* zip(L, T): T is made here (its references are not the ones counted) */
static pm_object *mk_zip(pm_heap *h, pm_object *s) {
    pm_object *t = tuple123(h);
    pm_object *its[2] = { pm_object_getiter(h, s), pm_object_getiter(h, t) };
    pm_object *z = pm_zip_new(h, its, 2, 0);
    pm_decref(h, its[0]); pm_decref(h, its[1]); pm_decref(h, t);
    return z;
}
static pm_object *mk_map(pm_heap *h, pm_object *s) {
    pm_object *it = pm_object_getiter(h, s), *m = pm_map_new(h, PM_NONE(h), &it, 1);
    pm_decref(h, it);
    return m;
}
static pm_object *mk_filter(pm_heap *h, pm_object *s) {
    pm_object *it = pm_object_getiter(h, s), *f = pm_filter_new(h, PM_NONE(h), it);
    pm_decref(h, it);
    return f;
}

/* map/filter are stepped by the host (the functions are Python code): here
 * the "function" is the identity, so exhausting means exhausting the inner iterator. */
static pm_object *drain_host(pm_heap *h, pm_object *it) {
    pm_object *inner = pm_iter_field(h, it, 0);
    if (PM_TYPE(inner) == pm_builtin_type(h, PM_T_TUPLE)) inner = ((pm_tuple *)inner)->ob_item[0];
    return drain(h, inner);
}

static void test_kinds(ctx *c) {
    TEST_BEGIN("iterator types: names, sizes, tracking, references, items, hints");
    pm_heap *h = c->h;
    pm_object *L = list123(h), *T = tuple123(h), *D = dict_abc(h), *S = set123(h, 0), *FS = set123(h, 1);
    pm_object *abc = pm_unicode_intern_from_string(h, "abc");          /* a literal: interned, immortal */
    pm_object *xyz = pm_unicode_intern_from_string(h, "xyz");
    pm_object *uni = pm_unicode_from_string(h, "a\xc3\xa9\xe2\x82\xac");
    pm_object *B = pm_bytes_from_buffer(h, "abc", 3);
    kind kinds[] = {
        { "list", L, mk_iter }, { "list_reversed", L, mk_rev }, { "tuple", T, mk_iter },
        { "range", NULL, mk_range }, { "longrange", NULL, mk_longrange }, { "range_reversed", NULL, mk_range_rev },
        { "str_ascii", abc, mk_iter }, { "str", uni, mk_iter }, { "bytes", B, mk_iter },
        { "dict_keys", D, mk_iter }, { "dict_values", D, mk_values }, { "dict_items", D, mk_items },
        { "set", S, mk_iter }, { "frozenset", FS, mk_iter }, { "tuple_reversed", T, mk_rev },
        { "enumerate", L, mk_enum }, { "enumerate_start", L, mk_enum10 }, { "zip", L, mk_zip },
        { "map", L, mk_map }, { "filter", L, mk_filter }, { "reversed_seq", xyz, mk_rev },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const kind *kd = &kinds[k];
        pm_object *it = kd->make(h, kd->seq);
        CHECKF(it != NULL, "%s: no iterator (%s)", kd->name, pm_heap_error(h));
        if (!it) continue;
        CHECK_STREQ(PM_TYPE(it)->tp_name, fx_get(&c->fx, "name.%s", kd->name));
        CHECK_EQ((long long)pm_object_getsizeof(h, it), fx_int(fx_get(&c->fx, "size.%s", kd->name)));
        CHECK_EQ((long long)(pm_type_is_gc(PM_TYPE(it)) && pm_gc_is_tracked(it)), fx_int(fx_get(&c->fx, "tracked.%s", kd->name)));
        int host = PM_TYPE(it) == pm_builtin_type(h, PM_T_MAP) || PM_TYPE(it) == pm_builtin_type(h, PM_T_FILTER);
        CHECK_EQ(pm_iter_is_core(h, it), !host);
        uint64_t base = kd->seq ? refcnt(kd->seq) : 0;
        pm_decref(h, it);
        if (kd->seq) base -= refcnt(kd->seq);   /* the iterator's share: CPython's refs.<kind> */
        it = kd->make(h, kd->seq);
        if (kd->seq) CHECK_EQ((long long)base, fx_int(fx_get(&c->fx, "refs.%s", kd->name)));
        uint64_t held = kd->seq ? refcnt(kd->seq) : 0;
        pm_object *items = host ? drain_host(h, it) : drain(h, it);
        CHECKF(items != NULL, "%s: iteration failed (%s)", kd->name, pm_heap_error(h));
        if (kd->seq) {
            long long left = (long long)refcnt(kd->seq) - (long long)(held - base);
            CHECK_EQ(left, fx_int(fx_get(&c->fx, "refs_exhausted.%s", kd->name)));
        }
        if (items && !host) CHECK_REPR(h, items, fx_get(&c->fx, "items.%s", kd->name));
        pm_xdecref(h, items);
        if (!host) CHECK(pm_iter_next(h, it) == NULL && !pm_err_occurred(h));   /* stays exhausted */
        pm_decref(h, it);
        /* __length_hint__ after 0..4 steps, where the type has one */
        it = kd->make(h, kd->seq);
        if (pm_iter_length_hint(h, it) >= 0) {
            for (int n = 0; n < 5; n++) {
                CHECK_EQ((long long)pm_iter_length_hint(h, it), fx_int(fx_get(&c->fx, "hint.%s.%d", kd->name, n)));
                pm_xdecref(h, pm_iter_next(h, it));
            }
        }
        pm_decref(h, it);
    }
    pm_object *all[] = { L, T, D, S, FS, abc, xyz, uni, B };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(h, all[i]);
}

/* "Type: message" of the pending exception. */
static void check_error(ctx *c, const char *which) {
    static const char *const names[PM_EXC__COUNT] = {
        [PM_EXC_RuntimeError] = "RuntimeError", [PM_EXC_KeyError] = "KeyError", [PM_EXC_TypeError] = "TypeError",
    };
    char got[300];
    pm_exc_kind k = pm_err_occurred(c->h);
    if (k == PM_EXC_NONE) snprintf(got, sizeof got, "none");
    else snprintf(got, sizeof got, "%s: %s", names[k] ? names[k] : "?", c->h->os->exc_msg);
    CHECK_STREQ(got, fx_get(&c->fx, "err.%s", which));
    pm_err_clear(c->h);
}

static void test_mutation(ctx *c) {
    TEST_BEGIN("dict/set changed size during iteration");
    pm_heap *h = c->h;
    _pm_tuple_clear_freelist(h); _pm_list_clear_freelist(h); _pm_dict_clear_freelist(h);
    uint64_t blocks = live_blocks(h), bytes = allocated_bytes(h);
    /* for k in d: d[k + 1] = 1 */
    for (int values = 0; values < 2; values++) {
        pm_object *d = pm_dict_new(h), *one = I(h, 1), *two = I(h, 2);
        pm_dict_setitem(h, d, one, one);
        pm_object *it = pm_dictiter_new(h, d, values);
        pm_object *k = pm_iter_next(h, it);
        CHECK(k == one);
        pm_dict_setitem(h, d, two, one);
        CHECK(pm_iter_next(h, it) == NULL);
        check_error(c, values ? "dict_values_grow" : "dict_grow");
        CHECK(pm_iter_next(h, it) == NULL && pm_err_occurred(h) == PM_EXC_RuntimeError);   /* sticky */
        pm_err_clear(h);
        pm_decref(h, k); pm_decref(h, it); pm_decref(h, d); pm_decref(h, one); pm_decref(h, two);
    }
    {   /* d = {1: 1, 2: 2}; for k in d: del d[2] */
        pm_object *d = pm_dict_new(h), *one = I(h, 1), *two = I(h, 2);
        pm_dict_setitem(h, d, one, one);
        pm_dict_setitem(h, d, two, two);
        pm_object *it = pm_object_getiter(h, d), *k = pm_iter_next(h, it);
        pm_dict_delitem(h, d, two);
        CHECK(pm_iter_next(h, it) == NULL);
        check_error(c, "dict_shrink");
        pm_decref(h, k); pm_decref(h, it); pm_decref(h, d); pm_decref(h, one); pm_decref(h, two);
    }
    {   /* s = {1}; for k in s: s.add(k + 1) */
        pm_object *s = pm_set_new(h, NULL), *one = I(h, 1), *two = I(h, 2);
        pm_set_add(h, s, one);
        pm_object *it = pm_object_getiter(h, s), *k = pm_iter_next(h, it);
        pm_set_add(h, s, two);
        CHECK(pm_iter_next(h, it) == NULL);
        check_error(c, "set_grow");
        pm_decref(h, k); pm_decref(h, it); pm_decref(h, s); pm_decref(h, one); pm_decref(h, two);
    }
    {   /* l = [1]; for x in l: l.append(x) (5 times): a list iterator sees the growth, no error */
        pm_object *l = pm_list_new(h, 0), *one = I(h, 1);
        pm_list_append(h, l, one);
        pm_object *it = pm_object_getiter(h, l);
        int n = 0;
        for (pm_object *x; (x = pm_iter_next(h, it)); pm_decref(h, x))
            if (n < 5) { pm_list_append(h, l, x); n++; }
        check_error(c, "list_grow");
        CHECK_EQ(PM_SIZE(l), 6);
        pm_decref(h, it); pm_decref(h, l); pm_decref(h, one);
    }
    _pm_tuple_clear_freelist(h); _pm_list_clear_freelist(h); _pm_dict_clear_freelist(h);
    CHECK_EQ(live_blocks(h), blocks);   /* nothing leaked */
    CHECK_EQ(allocated_bytes(h), bytes);
}

static void test_result_reuse(ctx *c) {
    TEST_BEGIN("enumerate / zip / dict items reuse their result tuple");
    pm_heap *h = c->h;
    pm_object *L = list123(h), *D = dict_abc(h);
    pm_object *en = mk_enum(h, L), *z = mk_zip(h, L), *di = pm_dictiter_new(h, D, 2);
    pm_object *its[3] = { en, z, di };
    for (int k = 0; k < 3; k++) {
        pm_object *a = pm_iter_next(h, its[k]);
        pm_object *keep = pm_newref(a);
        pm_decref(h, a);
        pm_object *b = pm_iter_next(h, its[k]);   /* `keep` holds the first: a new tuple */
        CHECK(b != keep);
        pm_decref(h, keep);                       /* the cached tuple is the iterator's alone again */
        pm_decref(h, b);
        pm_object *c3 = pm_iter_next(h, its[k]);
        CHECK(c3 == keep);                        /* reused in place */
        CHECK(pm_gc_is_tracked(c3));
        pm_decref(h, c3);
    }
    /* enumerate's pairs carry the index */
    pm_object *en2 = mk_enum10(h, L), *p = pm_iter_next(h, en2);
    CHECK_REPR(h, p, "(10, 1)");
    pm_decref(h, p);
    for (int k = 0; k < 3; k++) pm_decref(h, its[k]);
    pm_decref(h, en2);
    pm_decref(h, L);
    pm_decref(h, D);
}

static void test_checker_and_gc(ctx *c) {
    TEST_BEGIN("object checker and collector see the iterators' references");
    pm_heap *h = c->h;
    pm_object *L = list123(h), *D = dict_abc(h), *S = set123(h, 0);
    pm_object *its[6] = { pm_object_getiter(h, L), pm_dictiter_new(h, D, 2), pm_object_getiter(h, S),
                          mk_enum(h, L), mk_zip(h, L), mk_longrange(h, NULL) };
    pm_xdecref(h, pm_iter_next(h, its[1]));
    pm_object *m = mk_map(h, L), *f = mk_filter(h, L);
    pm_objroot roots[11] = { { L, 1 }, { D, 1 }, { S, 1 }, { m, 1 }, { f, 1 } };
    for (int i = 0; i < 6; i++) roots[5 + i] = (pm_objroot){ its[i], 1 };
    CHECK_EQ((int)pm_objects_check(h, roots, 11, NULL, NULL), (int)PM_OK);
    if (pm_heap_last_status(h) != PM_OK) fprintf(stderr, "   %s\n", pm_heap_error(h));
    /* a cycle through an iterator: l = []; l.append(iter(l)); del l */
    pm_object *l = pm_list_new(h, 0), *it = pm_object_getiter(h, l);
    pm_list_append(h, l, it);
    pm_object *en = pm_enumerate_new(h, it, 0);   /* and one through enumerate: l.append(enumerate(it)) */
    pm_list_append(h, l, en);
    pm_decref(h, en);
    pm_decref(h, it);
    pm_decref(h, l);
    CHECK_EQ((long long)pm_gc_collect(h, 2), fx_int(fx_get(&c->fx, "gc.cycle_list_iter_enumerate")));
    for (int i = 0; i < 6; i++) pm_decref(h, its[i]);
    pm_decref(h, m); pm_decref(h, f); pm_decref(h, L); pm_decref(h, D); pm_decref(h, S);
    CHECK_EQ((int)pm_objects_check(h, NULL, 0, NULL, NULL), (int)PM_OK);
}

/* A list of markers with the given ids. */
static pm_object *markers(ctx *c, long long a, long long b) {
    pm_object *items[2] = { marker_new(c->h, &c->mtype, a, &c->log), marker_new(c->h, &c->mtype, b, &c->log) };
    return pm_list_from_array_steal(c->h, items, 2);
}

static void expect_order(ctx *c, const char *which) {
    char *got = log_join(&c->log);
    CHECK_STREQ(got, fx_get(&c->fx, "order.%s", which));
    free(got);
    c->log.n = 0;
}

static void test_dealloc_order(ctx *c) {
    TEST_BEGIN("deallocation order of the references an iterator holds");
    pm_heap *h = c->h;
    {   /* enumerate([M(0), M(1)]) after one step: sit, then the result */
        pm_object *l = markers(c, 0, 1), *it = pm_object_getiter(h, l), *en = pm_enumerate_new(h, it, 0);
        pm_decref(h, it); pm_decref(h, l);
        pm_decref(h, pm_iter_next(h, en));
        pm_decref(h, en);
        expect_order(c, "enumerate");
    }
    {   /* zip([M(0), M(1)], [M(2), M(3)]): ittuple (last iterator first), then the result */
        pm_object *l1 = markers(c, 0, 1), *l2 = markers(c, 2, 3);
        pm_object *its[2] = { pm_object_getiter(h, l1), pm_object_getiter(h, l2) };
        pm_object *z = pm_zip_new(h, its, 2, 0);
        pm_decref(h, its[0]); pm_decref(h, its[1]); pm_decref(h, l1); pm_decref(h, l2);
        pm_decref(h, pm_iter_next(h, z));
        pm_decref(h, z);
        expect_order(c, "zip");
    }
    for (int filter = 0; filter < 2; filter++) {   /* map(M(2), [M(0), M(1)]) / filter(...): one host step */
        pm_object *fn = marker_new(h, &c->mtype, 2, &c->log), *l = markers(c, 0, 1), *it = pm_object_getiter(h, l);
        pm_object *o = filter ? pm_filter_new(h, fn, it) : pm_map_new(h, fn, &it, 1);
        pm_decref(h, fn); pm_decref(h, it); pm_decref(h, l);
        pm_decref(h, pm_iter_next(h, it));
        pm_decref(h, o);
        expect_order(c, filter ? "filter" : "map");
    }
    {   /* iter({0: M(0), 1: M(1)}.items()): the dict, then the result */
        pm_object *d = pm_dict_new(h);
        for (int i = 0; i < 2; i++) {
            pm_object *k = I(h, i), *m = marker_new(h, &c->mtype, i, &c->log);
            pm_dict_setitem(h, d, k, m);
            pm_decref(h, k); pm_decref(h, m);
        }
        pm_object *it = pm_dictiter_new(h, d, 2);
        pm_decref(h, d);
        pm_decref(h, pm_iter_next(h, it));
        pm_decref(h, it);
        expect_order(c, "dict_items");
    }
}

static void test_errors(ctx *c) {
    TEST_BEGIN("bad input gets a clear error");
    pm_heap *h = c->h;
    pm_object *one = I(h, 1);
    CHECK(pm_object_getiter(h, one) == NULL);
    CHECK_STREQ(c->h->os->exc_msg, "'int' object is not iterable");
    pm_err_clear(h);
    CHECK(pm_reversed_new(h, one, 0) == NULL);
    CHECK_STREQ(c->h->os->exc_msg, "'int' object is not reversible");
    pm_err_clear(h);
    CHECK(pm_dictiter_new(h, one, 0) == NULL && pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);
    pm_object *L = list123(h), *it = pm_object_getiter(h, L), *m = pm_map_new(h, PM_NONE(h), &it, 1);
    CHECK(pm_iter_next(h, m) == NULL && pm_err_occurred(h) == PM_EXC_TypeError);   /* the host steps map */
    pm_err_clear(h);
    CHECK(pm_object_getiter(h, it) == it);   /* iter(it) is it */
    pm_decref(h, it);
    pm_decref(h, it); pm_decref(h, m); pm_decref(h, L); pm_decref(h, one);
}

/* ---- Exceptions (excobject.c), against tests/fixtures/iters_exceptions.txt ---- */

static void test_exceptions(ctx *c) {
    TEST_BEGIN("exceptions: layout, sizes, references, derived classes");
    pm_heap *h = c->h;
    kv_fixture ex;
    if (kv_fixture_load(&ex, "iters_exceptions.txt", "PM_EXC_FIXTURE") != 0) {
        CHECK(0);
        return;
    }
    for (int id = PM_T_EXC_FIRST; id <= PM_T_EXC_LAST; id++) {
        pm_type *t = pm_builtin_type(h, (pm_type_id)id);
        const char *name = t->tp_name;
        CHECK_STREQ(t->tp_base->tp_name, fx_get(&ex, "base.%s", name));
        CHECK_EQ((long long)t->tp_basicsize, fx_int(fx_get(&ex, "basicsize.%s", name)));
        if (id == PM_T_EXC_UnicodeDecodeError || id == PM_T_EXC_UnicodeEncodeError) continue;
        pm_object *arg = pm_list_new(h, 0);    /* a mortal argument (object() in the recording) */
        uint64_t before = refcnt(arg);
        pm_object *args = pm_tuple_pack(h, 1, arg);
        pm_object *e = pm_exc_new(h, t, args);
        pm_decref(h, args);
        CHECKF(e != NULL, "%s: %s", name, pm_heap_error(h));
        if (!e) continue;
        CHECK_EQ((long long)pm_object_getsizeof(h, e), fx_int(fx_get(&ex, "size.%s", name)));
        CHECK_EQ((long long)(refcnt(arg) - before), fx_int(fx_get(&ex, "argrefs.%s", name)));
        CHECK_EQ((long long)pm_gc_is_tracked(e), fx_int(fx_get(&ex, "tracked.%s", name)));
        CHECK(pm_exc_check(h, e));
        pm_object *got = pm_exc_get(h, e, PM_EXCF_ARGS);
        CHECK_EQ(PM_SIZE(got), 1);
        pm_decref(h, got);
        pm_decref(h, e);
        CHECK_EQ(refcnt(arg), before);     /* everything released */
        pm_decref(h, arg);
    }
    {   /* the object checker counts a built-in exception's references: ValueError(arg) with __cause__ = itself */
        pm_object *arg = pm_list_new(h, 0), *args = pm_tuple_pack(h, 1, arg);
        pm_object *e = pm_exc_new(h, pm_builtin_type(h, PM_T_EXC_ValueError), args);
        pm_decref(h, args);
        CHECK_EQ(pm_exc_set(h, e, PM_EXCF_CAUSE, e), 0);
        pm_objroot roots[2] = { { e, 1 }, { arg, 1 } };
        CHECK_EQ((int)pm_objects_check(h, roots, 2, NULL, NULL), (int)PM_OK);
        if (pm_heap_last_status(h) != PM_OK) fprintf(stderr, "   %s\n", pm_heap_error(h));
        CHECK_EQ(pm_exc_set(h, e, PM_EXCF_CAUSE, NULL), 0);
        pm_decref(h, e);
        CHECK_EQ(refcnt(arg), 1u);
        pm_decref(h, arg);
    }
    /* class MyError(Exception): pass */
    pm_object *name = pm_unicode_from_string(h, "MyError"), *ns = pm_dict_new(h);
    pm_object *mod = pm_unicode_from_string(h, "__main__"), *modkey = pm_unicode_from_string(h, "__module__");
    pm_dict_setitem(h, ns, modkey, mod);
    pm_object *cls = pm_type_new(h, name, (pm_object *)pm_builtin_type(h, PM_T_EXC_Exception), ns);
    CHECKF(cls != NULL, "%s", pm_heap_error(h));
    if (cls) {
        CHECK_EQ((long long)((pm_type *)cls)->tp_basicsize, fx_int(fx_get(&ex, "sub.basicsize")));
        CHECK(pm_type_is_subtype((pm_type *)cls, pm_builtin_type(h, PM_T_EXC_BaseException)));
        pm_object *arg = pm_list_new(h, 0);
        pm_object *args = pm_tuple_pack(h, 1, arg);
        pm_object *e = pm_exc_new(h, (pm_type *)cls, args);
        pm_decref(h, args);
        CHECK_EQ((long long)pm_object_getsizeof(h, e), fx_int(fx_get(&ex, "sub.size")));
        CHECK_EQ(refcnt(arg), 2u);
        /* a cycle through the exception's base fields: e.__context__ = e; the collector finds it
         * (subtype_traverse goes on into BaseException's fields) */
        CHECK_EQ(pm_exc_set(h, e, PM_EXCF_CONTEXT, e), 0);
        pm_decref(h, e);
        CHECK((long long)pm_gc_collect(h, 2) >= 1);
        CHECK_EQ(refcnt(arg), 1u);        /* the args tuple went with it */
        pm_decref(h, arg);
        pm_decref(h, cls);
    }
    /* StopIteration() holds None as its value; SystemExit(1, 2) holds the args tuple as code */
    pm_object *si = pm_exc_new(h, pm_builtin_type(h, PM_T_EXC_StopIteration), NULL);
    pm_object *v = pm_exc_get(h, si, PM_EXCF_EXTRA);
    CHECK(v == PM_NONE(h));
    pm_decref(h, v);
    CHECK(pm_exc_get(h, si, PM_EXCF_EXTRA + 1) == NULL && pm_err_occurred(h) == PM_EXC_AttributeError);
    pm_err_clear(h);
    pm_decref(h, si);
    CHECK(pm_exc_new(h, pm_builtin_type(h, PM_T_LIST), NULL) == NULL && pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);
    pm_decref(h, name); pm_decref(h, ns); pm_decref(h, mod); pm_decref(h, modkey);
    kv_fixture_free(&ex);
}

int main(void) {
    ctx c;
    memset(&c, 0, sizeof c);
    if (kv_fixture_load(&c.fx, "iters.txt", "PM_ITERS_FIXTURE") != 0) return 2;
    void (*const tests[])(ctx *) = { test_kinds, test_mutation, test_result_reuse, test_checker_and_gc, test_dealloc_order, test_exceptions,
                                     test_errors };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        ctx_open(&c);
        tests[i](&c);
        ctx_close(&c);
    }
    (void)fixture_load;
    (void)repeat_next;
    fixture_free(&c.fx);
    return check_summary();
}
