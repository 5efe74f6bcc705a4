/* test_set.c — set and frozenset against CPython 3.12
 * (tests/fixtures/sizes_containers.txt, recorded by
 * tests/record/sizes_containers.py): sizes, iteration (printing) order after
 * adds, discards, pops and clears, the results of | & - ^ and their sizes,
 * frozenset hashes, repr; and the model's own invariants: deallocation
 * order, reference counts, tracking, leaks, the heap checker.
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/[all].c tests/core/test_set.c -o build/native/test_set
 */
#include "check.h"
#include "containertest.h"

static ct_fixture FX;

static long long gs(pm_heap *h, pm_object *o) { return (long long)pm_object_getsizeof(h, o); }

static void expect_ints(const char *label, const char *recorded, const long long *got, size_t n) {
    long long want[1024];
    if (!recorded) return;
    size_t m = ct_parse_ints(recorded, want, 1024);
    CHECKF(m == n, "%s: %zu values recorded, %zu produced", label, m, n);
    for (size_t i = 0; i < n && i < m; i++) CHECKF(got[i] == want[i], "%s[%zu]: model %lld, CPython %lld", label, i, got[i], want[i]);
}

static void add_int(pm_heap *h, pm_object *s, int64_t v) {
    pm_object *k = ct_mkint(h, v);
    CHECK_EQ(pm_set_add(h, s, k), 0);
    pm_decref(h, k);
}

/* The elements of s in iteration order, as ints. */
static size_t set_ints(pm_heap *h, pm_object *s, long long *out, size_t cap) {
    int64_t pos = 0;
    pm_object *k;
    size_t n = 0;
    while (pm_set_next(h, s, &pos, &k, NULL) && n < cap) out[n++] = ct_intval(h, k);
    return n;
}

static void expect_order(pm_heap *h, pm_object *s, const char *label, const char *recorded) {
    long long got[1024];
    size_t n = set_ints(h, s, got, 1024);
    CHECK_EQ(n, (size_t)pm_set_len(h, s));
    expect_ints(label, recorded, got, n);
}

/* An iterator over range(lo, hi) producing ints. */
struct range_it { int64_t i, hi; };
static pm_object *range_next(pm_heap *h, void *ctx) {
    struct range_it *it = ctx;
    return it->i < it->hi ? ct_mkint(h, it->i++) : NULL;
}

/* ---- Sizes ------------------------------------------------------------------------- */

static void test_sizes(pm_heap *h) {
    TEST_BEGIN("set sizes: add 0..100, set(range(n)), frozenset(range(n)), copy()");
    long long sizes[128];
    size_t n = 0;
    pm_object *s = pm_set_new(h, NULL);
    sizes[n++] = gs(h, s);
    for (int i = 0; i <= 100; i++) {
        add_int(h, s, i);
        sizes[n++] = gs(h, s);
    }
    expect_ints("set_add_int", ct_get(&FX, "set_add_int"), sizes, n);
    /* the separate table: PyMem_Malloc of 16 * slots */
    pm_setobject *so = (pm_setobject *)s;
    CHECK(so->table != so->smalltable);
    CHECK_EQ(pm_block_size(h, so->table), (size_t)(16 * (so->mask + 1)));   /* 4096 bytes: raw */
    CHECK_EQ(pm_block_size(h, (char *)s - 16), (size_t)224);                 /* 216 requested */
    pm_decref(h, s);

    long long r1[128], r2[128], r3[128];
    for (int len = 0; len <= 100; len++) {
        pm_object *a = pm_set_new(h, NULL), *f = pm_frozenset_new(h, NULL);
        for (int i = 0; i < len; i++) {
            add_int(h, a, i);
            add_int(h, f, i);
        }
        r1[len] = gs(h, a);
        r2[len] = gs(h, f);
        pm_object *c = pm_set_copy(h, a);
        r3[len] = gs(h, c);
        CHECK_EQ(pm_set_eq(h, a, c), 1);
        pm_decref(h, c);
        pm_decref(h, a);
        pm_decref(h, f);
    }
    expect_ints("set_range", ct_get(&FX, "set_range"), r1, 101);
    expect_ints("frozenset_range", ct_get(&FX, "frozenset_range"), r2, 101);
    expect_ints("set_copy_range", ct_get(&FX, "set_copy_range"), r3, 101);

    TEST_BEGIN("set(iterable) through an iterator callback");
    for (int len = 0; len <= 100; len++) {
        struct range_it it = { 0, len };
        pm_object *a = pm_set_new(h, NULL);
        CHECK_EQ(pm_set_update_iter(h, a, range_next, &it), 0);
        r1[len] = gs(h, a);
        pm_decref(h, a);
    }
    expect_ints("set_range (iterator)", ct_get(&FX, "set_range"), r1, 101);

    TEST_BEGIN("set and frozenset are tracked from creation");
    long long tr[2];
    pm_object *a = pm_set_new(h, NULL), *f = pm_frozenset_new(h, NULL);
    tr[0] = pm_gc_is_tracked(a);
    tr[1] = pm_gc_is_tracked(f);
    expect_ints("set_tracked", ct_get(&FX, "set_tracked"), tr, 2);
    pm_decref(h, a);
    pm_decref(h, f);
}

/* ---- Operation scripts ------------------------------------------------------------------ */

#define MAXCASES 32
static struct { char name[64]; pm_object *set; } cases[MAXCASES];
static int ncases;

static pm_object *replay(pm_heap *h, const char *ops) {
    pm_object *s = pm_set_new(h, NULL);
    const char *p = ops;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        char op = *p;
        if (op == 'p') {
            pm_object *k = pm_set_pop(h, s);
            CHECK(k != NULL);
            if (k) pm_decref(h, k);
            p++;
        } else if (op == 'c') {
            pm_set_clear(h, s);
            p++;
        } else {
            char *end;
            long long v = strtoll(p + 1, &end, 10);
            p = end;
            if (op == '+') {
                add_int(h, s, v);
            } else {
                pm_object *k = ct_mkint(h, v);
                CHECK(pm_set_discard(h, s, k) >= 0);
                pm_decref(h, k);
            }
        }
    }
    return s;
}

static pm_object *case_set(const char *name) {
    for (int i = 0; i < ncases; i++)
        if (strcmp(cases[i].name, name) == 0) return cases[i].set;
    CHECKF(0, "no set case %s", name);
    return NULL;
}

static void check_repr(pm_heap *h, pm_object *o, const char *label, const char *want) {
    char *r = ct_repr(h, o);
    if (want) CHECKF(strcmp(r, want) == 0, "%s: model %s, CPython %s", label, r, want);
    free(r);
}

static void test_setops(pm_heap *h) {
    TEST_BEGIN("set operation scripts: order, size, repr, frozenset hash");
    for (size_t li = 0; li < FX.n && ncases < MAXCASES; li++) {
        if (strcmp(FX.keys[li], "setops") != 0) continue;
        const char *p = FX.values[li];
        size_t nl = strcspn(p, " ");
        snprintf(cases[ncases].name, sizeof cases[ncases].name, "%.*s", (int)nl, p);
        const char *name = cases[ncases].name;
        pm_object *s = replay(h, p + nl);
        cases[ncases++].set = s;

        char label[128];
        snprintf(label, sizeof label, "setops_order %s", name);
        expect_order(h, s, label, ct_get_sub(&FX, "setops_order", name));
        snprintf(label, sizeof label, "setops_size %s", name);
        long long sz = gs(h, s);
        expect_ints(label, ct_get_sub(&FX, "setops_size", name), &sz, 1);
        snprintf(label, sizeof label, "setops_repr %s", name);
        check_repr(h, s, label, ct_get_sub(&FX, "setops_repr", name));

        /* hash(frozenset(s)) */
        pm_object *fs = pm_frozenset_call(h, s);
        long long hv = pm_object_hash(h, fs);
        snprintf(label, sizeof label, "setops_fshash %s", name);
        expect_ints(label, ct_get_sub(&FX, "setops_fshash", name), &hv, 1);
        CHECK_EQ(pm_object_hash(h, fs), (int64_t)hv);      /* cached */
        CHECK_EQ(pm_set_eq(h, fs, s), 1);
        CHECK_EQ(pm_object_eq(h, s, fs), 1);
        pm_decref(h, fs);
    }
    CHECK(ncases >= 10);
}

typedef pm_object *(*binop)(pm_heap *, pm_object *, pm_object *);

static void test_binops(pm_heap *h) {
    TEST_BEGIN("| & - ^ between recorded sets: order and size of the results");
    static const struct { const char *name; binop fn; } ops[] = {
        { "or", pm_set_or }, { "and", pm_set_and }, { "sub", pm_set_sub }, { "xor", pm_set_xor },
    };
    int npairs = 0;
    for (size_t li = 0; li < FX.n; li++) {
        if (strcmp(FX.keys[li], "setbin_le") != 0) continue;
        char tag[128], an[64], bn[64];
        const char *p = FX.values[li];
        size_t nl = strcspn(p, " ");
        snprintf(tag, sizeof tag, "%.*s", (int)nl, p);
        const char *dot = strchr(tag, '.');
        snprintf(an, sizeof an, "%.*s", (int)(dot - tag), tag);
        snprintf(bn, sizeof bn, "%s", dot + 1);
        pm_object *A = case_set(an), *B = case_set(bn);
        if (!A || !B) continue;
        npairs++;
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            char key[64], label[256];
            pm_object *r = ops[k].fn(h, A, B);
            CHECK(r != NULL && pm_set_check_exact(h, r));
            if (!r) continue;
            snprintf(key, sizeof key, "setbin_%s", ops[k].name);
            snprintf(label, sizeof label, "%s %s", key, tag);
            expect_order(h, r, label, ct_get_sub(&FX, key, tag));
            snprintf(key, sizeof key, "setbin_%s_size", ops[k].name);
            snprintf(label, sizeof label, "%s %s", key, tag);
            long long sz = gs(h, r);
            expect_ints(label, ct_get_sub(&FX, key, tag), &sz, 1);
            pm_decref(h, r);
        }
        long long le = pm_set_issubset(h, A, B), eq = pm_object_eq(h, A, B);
        expect_ints("setbin_le", ct_get_sub(&FX, "setbin_le", tag), &le, 1);
        expect_ints("setbin_eq", ct_get_sub(&FX, "setbin_eq", tag), &eq, 1);

        pm_object *fA = pm_frozenset_call(h, A), *fB = pm_frozenset_call(h, B);
        pm_object *r = pm_set_or(h, fA, fB);
        CHECK(pm_frozenset_check_exact(h, r));
        char label[256];
        snprintf(label, sizeof label, "setbin_fs_or %s", tag);
        expect_order(h, r, label, ct_get_sub(&FX, "setbin_fs_or", tag));
        pm_decref(h, r);
        r = pm_set_xor(h, fA, fB);
        snprintf(label, sizeof label, "setbin_fs_xor_repr %s", tag);
        check_repr(h, r, label, ct_get_sub(&FX, "setbin_fs_xor_repr", tag));
        pm_decref(h, r);
        pm_decref(h, fA);
        pm_decref(h, fB);
    }
    CHECK(npairs >= 7);

    /* method forms agree with the operators on set operands */
    pm_object *A = case_set("rand_small"), *B = case_set("stride8");
    if (A && B) {
        pm_object *r1 = pm_set_union(h, A, B), *r2 = pm_set_or(h, A, B);
        CHECK_EQ(pm_set_eq(h, r1, r2), 1);
        pm_decref(h, r1);
        pm_decref(h, r2);
        r1 = pm_set_symmetric_difference(h, A, B);
        r2 = pm_set_xor(h, A, B);
        long long o1[256], o2[256];
        size_t n1 = set_ints(h, r1, o1, 256), n2 = set_ints(h, r2, o2, 256);
        CHECK_EQ(n1, n2);
        CHECK(n1 == n2 && memcmp(o1, o2, n1 * sizeof o1[0]) == 0);
        pm_decref(h, r1);
        pm_decref(h, r2);
        /* in-place forms */
        pm_object *c = pm_set_copy(h, A);
        CHECK_EQ(pm_set_intersection_update(h, c, B), 0);
        r1 = pm_set_and(h, A, B);
        CHECK_EQ(pm_set_eq(h, c, r1), 1);
        pm_decref(h, r1);
        CHECK_EQ(pm_set_difference_update(h, c, c), 0);
        CHECK_EQ(pm_set_len(h, c), (int64_t)0);
        CHECK_EQ(pm_set_update(h, c, A), 0);
        CHECK_EQ(pm_set_symmetric_difference_update(h, c, B), 0);
        r1 = pm_set_xor(h, A, B);
        CHECK_EQ(pm_set_eq(h, c, r1), 1);
        pm_decref(h, r1);
        CHECK_EQ(pm_set_isdisjoint(h, c, c), pm_set_len(h, c) == 0);
        CHECK_EQ(pm_set_issuperset(h, A, A), 1);
        pm_decref(h, c);
        /* NotImplemented for a non-set operand */
        pm_object *d = pm_dict_new(h);
        pm_object *ni = pm_set_or(h, A, d);
        CHECK(ni == h->os->notimplemented);
        pm_decref(h, ni);
        /* but the method forms take a dict (its keys) */
        pm_object *k = ct_mkint(h, 8), *v = ct_mkint(h, 0);
        CHECK_EQ(pm_dict_setitem(h, d, k, v), 0);
        r1 = pm_set_intersection(h, A, d);
        CHECK_EQ(pm_set_len(h, r1), (int64_t)1);
        pm_decref(h, r1);
        r1 = pm_set_difference(h, A, d);
        CHECK_EQ(pm_set_len(h, r1), pm_set_len(h, A) - 1);
        pm_decref(h, r1);
        r1 = pm_set_new(h, d);
        CHECK_EQ(pm_set_contains(h, r1, k), 1);
        pm_decref(h, r1);
        pm_decref(h, k);
        pm_decref(h, v);
        pm_decref(h, d);
    }
}

static void test_reprs(pm_heap *h) {
    TEST_BEGIN("set/frozenset repr and the empty frozenset's hash");
    pm_object *s = pm_set_new(h, NULL), *f = pm_frozenset_new(h, NULL);
    check_repr(h, s, "set_repr_empty", ct_get(&FX, "set_repr_empty"));
    check_repr(h, f, "frozenset_repr_empty", ct_get(&FX, "frozenset_repr_empty"));
    long long hv = pm_object_hash(h, f);
    expect_ints("frozenset_hash_empty", ct_get(&FX, "frozenset_hash_empty"), &hv, 1);
    add_int(h, f, 1);
    /* a fresh frozenset({1}): its hash is not cached yet */
    pm_object *f1 = pm_frozenset_new(h, NULL);
    add_int(h, f1, 1);
    check_repr(h, f1, "frozenset_repr_one", ct_get(&FX, "frozenset_repr_one"));
    /* sets are unhashable */
    CHECK_EQ(pm_object_hash(h, s), (int64_t)-1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    CHECK_STREQ(h->os->exc_msg, "unhashable type: 'set'");
    pm_err_clear(h);
    /* frozenset(f) is f; copy() of a frozenset is itself */
    pm_object *same = pm_frozenset_call(h, f1);
    CHECK(same == f1);
    pm_decref(h, same);
    same = pm_set_copy(h, f1);
    CHECK(same == f1);
    pm_decref(h, same);
    pm_decref(h, f);
    pm_decref(h, f1);
    pm_decref(h, s);
}

/* ---- Element API, refcounts, errors ------------------------------------------------------------ */

static void test_elements(pm_heap *h) {
    TEST_BEGIN("add/discard/remove/contains/pop: references and errors");
    pm_object *s = pm_set_new(h, NULL);
    pm_object *k = ct_mkint(h, 123456), *k2 = ct_mkint(h, 123456);
    CHECK_EQ(pm_set_add(h, s, k), 0);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);
    CHECK_EQ(pm_set_add(h, s, k2), 0);          /* equal key: the set keeps k */
    CHECK_EQ(ct_refcnt(k2), (uint64_t)1);
    CHECK_EQ(pm_set_len(h, s), (int64_t)1);
    CHECK_EQ(pm_set_contains(h, s, k2), 1);
    CHECK_EQ(pm_set_discard(h, s, k2), 1);
    CHECK_EQ(ct_refcnt(k), (uint64_t)1);
    CHECK_EQ(pm_set_discard(h, s, k2), 0);
    CHECK_EQ(pm_set_remove(h, s, k2), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    CHECK_STREQ(h->os->exc_msg, "123456");
    pm_err_clear(h);
    CHECK(pm_set_pop(h, s) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    CHECK_STREQ(h->os->exc_msg, "'pop from an empty set'");
    pm_err_clear(h);
    CHECK_EQ(pm_set_add(h, s, k), 0);
    pm_object *p = pm_set_pop(h, s);
    CHECK(p == k);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);        /* the set's reference, handed over */
    pm_decref(h, p);

    /* unhashable element */
    pm_object *inner = pm_set_new(h, NULL);
    add_int(h, inner, 1);
    CHECK_EQ(pm_set_add(h, s, inner), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    CHECK_EQ(ct_refcnt(inner), (uint64_t)1);
    /* a set key is looked up as frozenset(key) */
    pm_object *fin = pm_frozenset_call(h, inner);
    CHECK_EQ(pm_set_add(h, s, fin), 0);
    CHECK_EQ(pm_set_contains(h, s, inner), 1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CHECK_EQ(pm_set_discard(h, s, inner), 1);
    CHECK_EQ(ct_refcnt(fin), (uint64_t)1);
    pm_decref(h, fin);
    pm_decref(h, inner);

    pm_decref(h, s);
    pm_decref(h, k);
    pm_decref(h, k2);
}

static void test_dealloc_order(pm_heap *h) {
    TEST_BEGIN("set releases its elements in table order; clear() empties first");
    for (int big = 0; big < 2; big++) {
        pm_object *s = pm_set_new(h, NULL);
        int n = big ? 40 : 5;
        for (int i = 0; i < n; i++) {
            pm_object *t = ct_tracer_new(h, (i * 37) % 101);   /* tracers hash like ints */
            CHECK_EQ(pm_set_add(h, s, t), 0);
            pm_decref(h, t);
        }
        int64_t order[64], pos = 0;
        size_t m = 0;
        pm_object *k;
        while (pm_set_next(h, s, &pos, &k, NULL)) order[m++] = ((ct_tracer *)k)->id;
        CHECK_EQ(m, (size_t)n);
        ct_nlog = 0;
        if (big) pm_set_clear(h, s);
        else pm_decref(h, s);
        CHECK_EQ(ct_nlog, (size_t)n);
        for (size_t i = 0; i < m && i < ct_nlog; i++) CHECK_EQ(ct_log[i], order[i]);
        if (big) {
            CHECK_EQ(gs(h, s), 216LL);
            pm_decref(h, s);
        }
    }
}

static int count_visit(pm_object *o, void *arg) {
    (void)o;
    (*(int *)arg)++;
    return 0;
}

static void test_traverse_trashcan(pm_heap *h) {
    TEST_BEGIN("traverse visits live elements; nested frozensets free through the trashcan");
    pm_object *s = case_set("pops");
    if (s) {
        int n = 0;
        pm_object_traverse(h, s, count_visit, &n);
        CHECK_EQ((int64_t)n, pm_set_len(h, s));
    }
    uint64_t before = ct_live_blocks(h);
    pm_object *f = pm_frozenset_new(h, NULL);
    for (int i = 0; i < 200000; i++) {
        pm_object *outer = pm_frozenset_new(h, NULL);
        CHECK_EQ(pm_set_add(h, outer, f), 0);
        pm_decref(h, f);
        f = outer;
    }
    pm_decref(h, f);
    CHECK_EQ(h->os->trash_nesting, 0);
    CHECK(h->os->trash_delete_later == NULL);
    CHECK_EQ(ct_live_blocks(h), before);
}

int main(void) {
    if (ct_fixture_load(&FX) < 0) return 2;
    pm_heap *h = ct_heap_new();
    ct_clear_freelists(h);
    uint64_t live0 = ct_live_blocks(h);

    test_sizes(h);
    test_setops(h);
    test_binops(h);
    test_reprs(h);
    test_elements(h);
    test_dealloc_order(h);
    test_traverse_trashcan(h);

    TEST_BEGIN("no leaks, heap consistent");
    for (int i = 0; i < ncases; i++) pm_decref(h, cases[i].set);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CT_EXPECT_CLEAN(h, live0);
    pm_heap_free(h);
    ct_fixture_free(&FX);
    return check_summary();
}
