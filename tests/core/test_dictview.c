/* test_dictview.c — native tests of core/src/dictviewobject.c (dict_keys,
 * dict_values, dict_items) and the reverse dict iterators of iterobject.c
 * against facts recorded from CPython 3.12 (tests/fixtures/dictviews.txt,
 * written by tests/record/dictviews.py): names, sizes, tracking, the
 * reference to the dict, hashability, reprs (live, recursive), len, `in`,
 * comparisons, the set operations, isdisjoint, reversed, the size-change
 * error, the collector over cycles through views; plus the object checker
 * and leak checks.
 *
 *   tests/core/run.sh unit test_dictview      (from the repository root)
 */
#include "check.h"
#include "seqtest.h"
#include "dictviewobject.h"
#include "dictobject.h"
#include "iterobject.h"
#include "setobject.h"
#include "longobject.h"
#include "check_objects.h"
#include "gc.h"

static pm_object *I(pm_heap *h, int64_t v) { return pm_long_from_int64(h, v); }

static void set_ii(pm_heap *h, pm_object *d, int64_t k, int64_t v) {
    pm_object *ko = I(h, k), *vo = I(h, v);
    CHECK_EQ(pm_dict_setitem(h, d, ko, vo), 0);
    pm_decref(h, ko);
    pm_decref(h, vo);
}

/* {1: 10, 2: 20, 3: 30} */
static pm_object *make(pm_heap *h) {
    pm_object *d = pm_dict_new(h);
    for (int i = 1; i <= 3; i++) set_ii(h, d, i, 10 * i);
    return d;
}

static pm_object *set_of(pm_heap *h, const int64_t *v, int n) {
    pm_object *s = pm_set_new(h, NULL);
    for (int i = 0; i < n; i++) {
        pm_object *x = I(h, v[i]);
        CHECK_EQ(pm_set_add(h, s, x), 0);
        pm_decref(h, x);
    }
    return s;
}

static pm_object *pair(pm_heap *h, int64_t a, int64_t b) {
    pm_object *x = I(h, a), *y = I(h, b);
    pm_object *t = pm_tuple_pack(h, 2, x, y);
    pm_decref(h, x);
    pm_decref(h, y);
    return t;
}

static const char *const KINDS[3] = { "keys", "values", "items" };

static void test_basics(ctx *c) {
    TEST_BEGIN("views: name, size, tracking, dict reference, hash, repr (live), len");
    pm_heap *h = c->h;
    for (int k = 0; k < 3; k++) {
        pm_object *d = make(h);
        uint32_t before = refcnt(d);
        pm_object *v = pm_dictview_new(h, d, k);
        CHECK(v != NULL);
        CHECK_STREQ(PM_TYPE(v)->tp_name, fx_get(&c->fx, "name.%s", KINDS[k]));
        CHECK_EQ((long long)pm_object_getsizeof(h, v), fx_int(fx_get(&c->fx, "size.%s", KINDS[k])));
        CHECK_EQ((long long)pm_gc_is_tracked(v), fx_int(fx_get(&c->fx, "tracked.%s", KINDS[k])));
        CHECK_EQ((long long)(refcnt(d) - before), fx_int(fx_get(&c->fx, "refs.%s", KINDS[k])));
        const char *hx = fx_get(&c->fx, "hashable.%s", KINDS[k]);
        int64_t hv = pm_object_hash(h, v);
        if (hx && strcmp(hx, "1") == 0) {
            CHECK(hv != -1);
        } else {
            CHECK_EQ((long long)hv, -1LL);
            CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
            CHECK_STREQ(h->os->exc_msg, hx ? hx : "(missing)");
            pm_err_clear(h);
        }
        CHECK_REPR(h, v, fx_get(&c->fx, "repr.%s", KINDS[k]));
        set_ii(h, d, 4, 40);
        CHECK_REPR(h, v, fx_get(&c->fx, "repr_live.%s", KINDS[k]));
        CHECK_EQ((long long)pm_dictview_len(h, v), fx_int(fx_get(&c->fx, "len.%s", KINDS[k])));
        pm_decref(h, v);
        CHECK_EQ((long long)(refcnt(d) - before), fx_int(fx_get(&c->fx, "refs_after_del.%s", KINDS[k])));
        pm_decref(h, d);
    }
    pm_object *notdict = I(h, 5);
    CHECK(pm_dictview_new(h, notdict, 0) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
}

static int record_one(pm_object *o, void *arg) {
    pm_object **slot = arg;
    if (*slot) return 1;   /* more than one referent */
    *slot = o;
    return 0;
}

static void test_referents(ctx *c) {
    TEST_BEGIN("views: tp_traverse visits exactly the dict");
    pm_heap *h = c->h;
    pm_object *d = make(h), *v = pm_dictview_new(h, d, 0), *seen = NULL;
    CHECK_EQ(pm_object_traverse(h, v, record_one, &seen), 0);
    CHECK_EQ((long long)(seen == d), fx_int(fx_get(&c->fx, "referents.keys_is_dict")));
    pm_decref(h, v);
    pm_decref(h, d);
}

static void test_contains_and_compare(ctx *c) {
    TEST_BEGIN("views: in, ==, orderings");
    pm_heap *h = c->h;
    pm_object *d = make(h);
    pm_object *k = pm_dictview_new(h, d, 0), *vals = pm_dictview_new(h, d, 1), *it = pm_dictview_new(h, d, 2);
    struct { pm_object *view, *x; const char *name; } ins[] = {
        { k, I(h, 1), "keys_1" }, { k, I(h, 10), "keys_10" }, { vals, I(h, 20), "values_20" },
        { vals, I(h, 2), "values_2" }, { it, pair(h, 2, 20), "items_pair" }, { it, pair(h, 2, 21), "items_wrong_value" },
    };
    for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++) {
        CHECK_EQ((long long)pm_dictview_contains(h, ins[i].view, ins[i].x), fx_int(fx_get(&c->fx, "in.%s", ins[i].name)));
        CHECK_EQ((long long)pm_object_contains(h, ins[i].view, ins[i].x), fx_int(fx_get(&c->fx, "in.%s", ins[i].name)));
        pm_decref(h, ins[i].x);
    }
    pm_object *p3 = pm_tuple_pack(h, 3, PM_NONE(h), PM_NONE(h), PM_NONE(h));
    CHECK_EQ((long long)pm_dictview_contains(h, it, p3), fx_int(fx_get(&c->fx, "in.items_3tuple")));
    pm_decref(h, p3);

    static const int64_t s123[] = { 1, 2, 3 }, s12[] = { 1, 2 }, s1234[] = { 1, 2, 3, 4 }, s15[] = { 1, 5 };
    pm_object *S123 = set_of(h, s123, 3), *S12 = set_of(h, s12, 2), *S1234 = set_of(h, s1234, 4), *S15 = set_of(h, s15, 2);
    pm_object *d2 = make(h), *k2 = pm_dictview_new(h, d2, 0), *v2 = pm_dictview_new(h, d2, 1);
    CHECK_EQ((long long)pm_object_eq(h, k, S123), fx_int(fx_get(&c->fx, "eq.keys_set")));
    CHECK_EQ((long long)pm_object_eq(h, S123, k), fx_int(fx_get(&c->fx, "eq.set_keys")));
    CHECK_EQ((long long)pm_object_eq(h, k, k2), fx_int(fx_get(&c->fx, "eq.keys_keys")));
    CHECK_EQ((long long)pm_object_eq(h, k, S12), fx_int(fx_get(&c->fx, "eq.keys_smaller")));
    CHECK_EQ((long long)pm_object_eq(h, vals, v2), fx_int(fx_get(&c->fx, "eq.values_values")));
    CHECK_EQ((long long)pm_object_eq(h, vals, vals), fx_int(fx_get(&c->fx, "eq.values_self")));
    pm_object *items_set = pm_set_new(h, NULL);
    for (int i = 1; i <= 3; i++) {
        pm_object *p = pair(h, i, 10 * i);
        pm_set_add(h, items_set, p);
        pm_decref(h, p);
    }
    CHECK_EQ((long long)pm_object_eq(h, it, items_set), fx_int(fx_get(&c->fx, "eq.items_set")));
    set_ii(h, d2, 3, 31);
    pm_object *it2 = pm_dictview_new(h, d2, 2);
    CHECK_EQ((long long)pm_object_eq(h, it, it2), fx_int(fx_get(&c->fx, "eq.items_items_other")));
    CHECK_EQ((long long)pm_dictview_richcompare(h, k, S12, PM_CMP_NE), fx_int(fx_get(&c->fx, "ne.keys_set")));
    CHECK_EQ((long long)pm_dictview_richcompare(h, k, S1234, PM_CMP_LT), fx_int(fx_get(&c->fx, "cmp.keys_lt")));
    CHECK_EQ((long long)pm_dictview_richcompare(h, k, S123, PM_CMP_LE), fx_int(fx_get(&c->fx, "cmp.keys_le")));
    CHECK_EQ((long long)pm_dictview_richcompare(h, k, S12, PM_CMP_GT), fx_int(fx_get(&c->fx, "cmp.keys_gt")));
    CHECK_EQ((long long)pm_dictview_richcompare(h, k, S15, PM_CMP_GE), fx_int(fx_get(&c->fx, "cmp.keys_ge_no")));
    /* a list is not set-like: NotImplemented (== falls back to identity) */
    pm_object *l = pm_list_new(h, 0);
    CHECK_EQ(pm_dictview_richcompare(h, k, l, PM_CMP_LT), PM_NOTIMPL);
    CHECK_EQ((long long)pm_object_eq(h, k, l), fx_int(fx_get(&c->fx, "eq.keys_list")));
    pm_object *objs[] = { l, it2, items_set, k2, v2, d2, S123, S12, S1234, S15, k, vals, it, d };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
}

static void check_op(ctx *c, int op, pm_object *a, pm_object *b, const char *name) {
    pm_heap *h = c->h;
    pm_object *r = pm_dictview_binop(h, op, a, b);
    CHECKF(r != NULL, "%s failed: %s", name, h->os->exc_msg);
    if (!r) {
        pm_err_clear(h);
        return;
    }
    CHECK_STREQ(PM_TYPE(r)->tp_name, "set");
    CHECK_REPR(h, r, fx_get(&c->fx, "op.%s", name));
    pm_decref(h, r);
}

static void test_set_ops(ctx *c) {
    TEST_BEGIN("views: &, |, -, ^ and isdisjoint give CPython's sets");
    pm_heap *h = c->h;
    pm_object *d = make(h), *k = pm_dictview_new(h, d, 0), *it = pm_dictview_new(h, d, 2);
    pm_object *other = pm_dict_new(h);
    set_ii(h, other, 2, 0);
    set_ii(h, other, 3, 30);
    set_ii(h, other, 4, 40);
    pm_object *ok = pm_dictview_new(h, other, 0), *oi = pm_dictview_new(h, other, 2);
    static const int64_t s237[] = { 2, 3, 7 }, s50[] = { 5, 0 }, s2[] = { 2 }, s19[] = { 1, 9 }, s34[] = { 3, 4 },
                         s45[] = { 4, 5 };
    pm_object *S237 = set_of(h, s237, 3), *S50 = set_of(h, s50, 2), *S2 = set_of(h, s2, 1), *S19 = set_of(h, s19, 2),
              *S34 = set_of(h, s34, 2), *S45 = set_of(h, s45, 2);
    pm_object *L = pm_list_new(h, 0);
    for (int i = 0; i < 3; i++) {
        pm_object *x = I(h, (int64_t[]){ 3, 1, 9 }[i]);
        pm_list_append(h, L, x);
        pm_decref(h, x);
    }
    pm_object *S99 = pm_set_new(h, NULL), *p99 = pair(h, 9, 9);
    pm_set_add(h, S99, p99);
    pm_decref(h, p99);
    check_op(c, 1, k, S237, "keys_and_set");
    check_op(c, 1, S237, k, "set_and_keys");
    check_op(c, 1, k, ok, "keys_and_keys");
    check_op(c, 1, k, L, "keys_and_list");
    check_op(c, 7, k, S50, "keys_or_set");
    check_op(c, 7, S50, k, "set_or_keys");
    check_op(c, 10, k, S2, "keys_sub_set");
    check_op(c, 10, S19, k, "set_sub_keys");
    check_op(c, 12, k, S34, "keys_xor_set");
    check_op(c, 1, it, oi, "items_and_items");
    check_op(c, 7, it, S99, "items_or_set");
    check_op(c, 10, it, oi, "items_sub_items");
    check_op(c, 12, it, oi, "items_xor_items");
    check_op(c, 12, k, ok, "keys_xor_keys");
    CHECK_EQ((long long)pm_dictview_isdisjoint(h, k, S45), fx_int(fx_get(&c->fx, "disjoint.keys_set")));
    pm_object *L53 = pm_list_new(h, 0);
    for (int i = 0; i < 2; i++) {
        pm_object *x = I(h, 5 - 2 * i);
        pm_list_append(h, L53, x);
        pm_decref(h, x);
    }
    CHECK_EQ((long long)pm_dictview_isdisjoint(h, k, L53), fx_int(fx_get(&c->fx, "disjoint.keys_list")));
    CHECK_EQ((long long)pm_dictview_isdisjoint(h, it, oi), fx_int(fx_get(&c->fx, "disjoint.items_items")));
    pm_object *e = pm_dict_new(h), *ek = pm_dictview_new(h, e, 0);
    CHECK_EQ((long long)pm_dictview_isdisjoint(h, ek, ek), fx_int(fx_get(&c->fx, "disjoint.self_empty")));
    /* values views are not set-like */
    pm_object *vals = pm_dictview_new(h, d, 1);
    CHECK(pm_dictview_binop(h, 1, vals, S2) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    pm_object *objs[] = { vals, ek, e, L53, S99, L, S237, S50, S2, S19, S34, S45, ok, oi, other, k, it, d };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
}

static pm_object *next_cb(pm_heap *h, void *it) { return pm_iter_next(h, (pm_object *)it); }

static void test_iteration(ctx *c) {
    TEST_BEGIN("views: iter gives the dict iterators, reversed the reverse ones; size change");
    pm_heap *h = c->h;
    pm_object *d = make(h);
    static const char *const fwd[3] = { "dict_keyiterator", "dict_valueiterator", "dict_itemiterator" };
    for (int k = 0; k < 3; k++) {
        pm_object *v = pm_dictview_new(h, d, k);
        pm_object *it = pm_object_getiter(h, v);
        CHECK_STREQ(PM_TYPE(it)->tp_name, fwd[k]);
        pm_decref(h, it);
        pm_object *r = pm_reversed_new(h, v, 0);
        CHECK(pm_iter_check(h, r) && pm_iter_is_core(h, r));
        CHECK_EQ((long long)pm_object_getsizeof(h, r), fx_int(fx_get(&c->fx, "revsize.%s", KINDS[k])));
        CHECK_EQ((long long)pm_iter_length_hint(h, r), 3LL);
        char name[64];
        snprintf(name, sizeof name, "%s", PM_TYPE(r)->tp_name);
        pm_object *l = pm_list_from_iter(h, 3, next_cb, r);
        char *got = repr_of(h, l), line[256];
        snprintf(line, sizeof line, "%s %s", name, got);
        CHECK_STREQ(line, fx_get(&c->fx, "rev.%s", KINDS[k]));
        free(got);
        pm_decref(h, l);
        pm_decref(h, r);
        pm_decref(h, v);
    }
    pm_object *r = pm_reversed_new(h, d, 0), *l = pm_list_from_iter(h, 3, next_cb, r);
    char *got = repr_of(h, l), line[256];
    snprintf(line, sizeof line, "%s %s", PM_TYPE(r)->tp_name, got);
    CHECK_STREQ(line, fx_get(&c->fx, "rev.dict"));
    free(got);
    pm_decref(h, l);
    pm_decref(h, r);
    /* reverse over a deleted entry */
    pm_object *dd = make(h), *two = I(h, 2);
    CHECK_EQ(pm_dict_delitem(h, dd, two), 0);
    pm_object *ddi = pm_dictview_new(h, dd, 2);
    r = pm_dictview_reversed(h, ddi);
    l = pm_list_from_iter(h, 2, next_cb, r);
    CHECK_REPR(h, l, fx_get(&c->fx, "rev.deleted"));
    pm_decref(h, l); pm_decref(h, r); pm_decref(h, ddi); pm_decref(h, dd); pm_decref(h, two);
    /* size change while iterating a view, forward and reversed */
    for (int rev = 0; rev < 2; rev++) {
        pm_object *v = pm_dictview_new(h, d, rev ? 1 : 0);
        pm_object *it = rev ? pm_dictview_reversed(h, v) : pm_dictview_iter(h, v);
        pm_object *x = pm_iter_next(h, it);
        CHECK(x != NULL);
        pm_xdecref(h, x);
        set_ii(h, d, 100 + rev, 0);
        CHECK(pm_iter_next(h, it) == NULL);
        CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_RuntimeError);
        char msg[300];
        snprintf(msg, sizeof msg, "RuntimeError: %s", h->os->exc_msg);
        CHECK_STREQ(msg, fx_get(&c->fx, rev ? "err.size_change_rev" : "err.size_change"));
        pm_err_clear(h);
        pm_decref(h, it);
        pm_decref(h, v);
    }
    pm_decref(h, d);
}

static void test_recursion_and_gc(ctx *c) {
    TEST_BEGIN("views: recursive reprs, cycles through views are collected, checker agrees");
    pm_heap *h = c->h;
    pm_gc_collect(h, 2);
    for (int k = 0; k < 3; k++) {
        pm_object *d = pm_dict_new(h), *v = pm_dictview_new(h, d, k), *one = I(h, 1);
        pm_dict_setitem(h, d, one, v);
        pm_object *fresh = pm_dictview_new(h, d, k);
        CHECK_REPR(h, fresh, fx_get(&c->fx, "recursive.%s", KINDS[k]));
        pm_decref(h, fresh);
        pm_decref(h, v);
        pm_decref(h, one);
        pm_objroot root = { d, 1 };
        CHECK_EQ((int)pm_objects_check(h, &root, 1, NULL, NULL), (int)PM_OK);
        pm_decref(h, d);
        pm_gc_collect(h, 2);
    }
    uint64_t base = live_blocks(h);
    pm_object *d = pm_dict_new(h), *v = pm_dictview_new(h, d, 0), *one = I(h, 1), *two = I(h, 2);
    pm_dict_setitem(h, d, one, v);
    pm_decref(h, v);
    pm_decref(h, d);
    CHECK_EQ((long long)pm_gc_collect(h, 2), fx_int(fx_get(&c->fx, "gc.self_keys")));
    d = pm_dict_new(h);
    v = pm_dictview_new(h, d, 2);
    pm_dict_setitem(h, d, one, v);
    pm_decref(h, v);
    v = pm_dictview_new(h, d, 1);
    pm_dict_setitem(h, d, two, v);
    pm_decref(h, v);
    pm_decref(h, d);
    CHECK_EQ((long long)pm_gc_collect(h, 2), fx_int(fx_get(&c->fx, "gc.two_views")));
    _pm_dict_clear_freelist(h);
    _pm_tuple_clear_freelist(h);
    CHECK_EQ((long long)live_blocks(h), (long long)base);
    CHECK_EQ((int)pm_objects_check(h, NULL, 0, NULL, NULL), (int)PM_OK);
}

int main(void) {
    ctx c;
    memset(&c, 0, sizeof c);
    if (kv_fixture_load(&c.fx, "dictviews.txt", "PM_DICTVIEWS_FIXTURE") != 0) return 2;
    void (*const tests[])(ctx *) = { test_basics, test_referents, test_contains_and_compare, test_set_ops,
                                     test_iteration, test_recursion_and_gc };
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
