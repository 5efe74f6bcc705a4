/* test_dict.c — dict against CPython 3.12 (tests/fixtures/sizes_containers.txt,
 * recorded by tests/record/sizes_containers.py) and against the model's own
 * invariants: sizes, growth, insertion order, deallocation order, free lists,
 * reference counts, GC tracking, repr, leaks and the heap checker.
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/[all].c tests/core/test_dict.c -o build/native/test_dict
 */
#include "check.h"
#include "containertest.h"
#include "tupleobject.h"
#include "setobject.h"
#include "listobject.h"

static ct_fixture FX;

/* Compares a sequence of sizes with the fixture line `key`. */
static void expect_ints(const char *key, const long long *got, size_t n) {
    long long want[512];
    const char *v = ct_get(&FX, key);
    if (!v) return;
    size_t m = ct_parse_ints(v, want, 512);
    CHECKF(m == n, "%s: %zu values recorded, %zu produced", key, m, n);
    for (size_t i = 0; i < n && i < m; i++) CHECKF(got[i] == want[i], "%s[%zu]: model %lld, CPython %lld", key, i, got[i], want[i]);
}

static long long gs(pm_heap *h, pm_object *o) { return (long long)pm_object_getsizeof(h, o); }

/* A key for index i of the given kind ('i' int, 's' str "k<i>"). New ref. */
static pm_object *mkkey(pm_heap *h, char kind, int64_t i) {
    if (kind == 'i') return ct_mkint(h, i);
    char buf[32];
    snprintf(buf, sizeof buf, "k%lld", (long long)i);
    return ct_mkstr(h, buf);
}

static void setkv(pm_heap *h, pm_object *d, pm_object *k, pm_object *v) {
    int r = pm_dict_setitem(h, d, k, v);
    CHECK_EQ(r, 0);
}

/* d[key(i)] = i for i in [lo, hi) */
static void fill(pm_heap *h, pm_object *d, char kind, int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
        pm_object *k = mkkey(h, kind, i), *v = ct_mkint(h, i);
        setkv(h, d, k, v);
        pm_decref(h, k);
        pm_decref(h, v);
    }
}

static void delkey(pm_heap *h, pm_object *d, char kind, int64_t i) {
    pm_object *k = mkkey(h, kind, i);
    CHECK_EQ(pm_dict_delitem(h, d, k), 0);
    pm_decref(h, k);
}

/* ---- Sizes ----------------------------------------------------------------------- */

static void test_insert_sizes(pm_heap *h) {
    TEST_BEGIN("dict insert sizes (str and int keys, 0..40)");
    for (int pass = 0; pass < 2; pass++) {
        char kind = pass ? 'i' : 's';
        long long sizes[64];
        size_t n = 0;
        pm_object *d = pm_dict_new(h);
        sizes[n++] = gs(h, d);
        for (int64_t i = 0; i < 41; i++) {
            fill(h, d, kind, i, i + 1);
            sizes[n++] = gs(h, d);
        }
        expect_ints(pass ? "dict_int_insert" : "dict_str_insert", sizes, n);
        pm_decref(h, d);
    }
    /* the blocks behind the sizes: the dict object is 64 bytes; an 8-slot
     * unicode keys object requests 120 bytes (class 128), general 160 */
    pm_object *d = pm_dict_new(h);
    CHECK_EQ(pm_block_size(h, (char *)d - 16), (size_t)64);
    fill(h, d, 's', 0, 1);
    pm_dictkeys *dk = ((pm_dictobject *)d)->ma_keys;
    CHECK_EQ(pm_dictkeys_model_size(dk), (size_t)120);
    CHECK_EQ(dk->dk_kind, PM_DICT_KEYS_UNICODE);
    pm_decref(h, d);
    d = pm_dict_new(h);
    fill(h, d, 'i', 0, 6);
    dk = ((pm_dictobject *)d)->ma_keys;
    CHECK_EQ(dk->dk_kind, PM_DICT_KEYS_GENERAL);
    CHECK_EQ(dk->dk_log2_size, 4);
    CHECK_EQ(pm_dictkeys_model_size(dk), (size_t)(32 + 16 + 10 * 24));
    CHECK_EQ(pm_block_size(h, dk), (size_t)288);
    pm_decref(h, d);
}

static void test_delete_clear(pm_heap *h) {
    TEST_BEGIN("dict delete never shrinks, clear() returns to the empty keys");
    for (int pass = 0; pass < 2; pass++) {
        char kind = pass ? 's' : 'i';
        pm_object *keys[20];
        pm_object *d = pm_dict_new(h);
        for (int i = 0; i < 20; i++) {
            keys[i] = mkkey(h, kind, i);
            pm_object *one = ct_mkint(h, 1);
            setkv(h, d, keys[i], one);
            pm_decref(h, one);
        }
        long long sizes[32];
        size_t n = 0;
        sizes[n++] = gs(h, d);
        for (int i = 0; i < 20; i++) {
            CHECK_EQ(pm_dict_delitem(h, d, keys[i]), 0);
            sizes[n++] = gs(h, d);
        }
        pm_dict_clear(h, d);
        sizes[n++] = gs(h, d);
        CHECK(((pm_dictobject *)d)->ma_keys == pm_dict_empty_keys());
        expect_ints(pass ? "dict_str_delete_then_clear" : "dict_int_delete_then_clear", sizes, n);
        for (int i = 0; i < 20; i++) {
            if (!pm_is_immortal(keys[i])) CHECK_EQ(ct_refcnt(keys[i]), (uint64_t)1);
            pm_decref(h, keys[i]);
        }
        pm_decref(h, d);
    }
}

/* Dict displays: BUILD_MAP n / BUILD_CONST_KEY_MAP n (presized
 * _PyDict_FromItems) up to 15 pairs, BUILD_MAP 0 + MAP_ADD from 16 on. */
static pm_object *display(pm_heap *h, char kind, int n) {
    pm_object *keys[32], *values[32];
    for (int i = 0; i < n; i++) {
        keys[i] = mkkey(h, kind, i);
        values[i] = ct_mkint(h, i);
    }
    pm_object *d;
    if (n <= 15) {
        d = pm_dict_from_items(h, keys, values, n);
    } else {
        d = pm_dict_new(h);
        for (int i = 0; i < n; i++) setkv(h, d, keys[i], values[i]);
    }
    for (int i = 0; i < n; i++) {
        pm_decref(h, keys[i]);
        pm_decref(h, values[i]);
    }
    return d;
}

static void test_literals(pm_heap *h) {
    TEST_BEGIN("dict display sizes");
    for (int pass = 0; pass < 2; pass++) {
        char kind = pass ? 's' : 'i';
        long long sizes[32];
        for (int n = 0; n < 26; n++) {
            pm_object *d = display(h, kind, n);
            sizes[n] = gs(h, d);
            CHECK_EQ(pm_dict_len(h, d), (int64_t)n);
            pm_decref(h, d);
        }
        expect_ints(pass ? "dict_literal_str" : "dict_literal_int", sizes, 26);
    }
    /* a presized table: 11 str pairs get their 32 slots up front */
    pm_object *d = display(h, 's', 11);
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_log2_size, 5);
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_kind, PM_DICT_KEYS_UNICODE);
    pm_decref(h, d);
    d = display(h, 'i', 3);    /* at most 5 pairs: PyDict_New, then inserts */
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_log2_size, 3);
    pm_decref(h, d);
}

static void test_unicode_to_general(pm_heap *h) {
    TEST_BEGIN("a str-keyed table converts to a general one on the first non-str key");
    long long sizes[16];
    for (int n = 0; n < 13; n++) {
        pm_object *d = pm_dict_new(h);
        fill(h, d, 's', 0, n);
        if (n) CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_kind, PM_DICT_KEYS_UNICODE);
        pm_object *k = ct_mkint(h, 0);
        setkv(h, d, k, k);
        pm_decref(h, k);
        CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_kind, PM_DICT_KEYS_GENERAL);
        sizes[n] = gs(h, d);
        /* order kept: the str keys first, then 0 */
        int64_t pos = 0, i = 0;
        pm_object *key;
        while (pm_dict_next(h, d, &pos, &key, NULL)) {
            if (i < n) CHECK(PM_TYPE(key) == pm_builtin_type(h, PM_T_STR));
            i++;
        }
        CHECK_EQ(i, (int64_t)n + 1);
        pm_decref(h, d);
    }
    expect_ints("dict_str_then_int", sizes, 13);
}

static void test_copy_sizes(pm_heap *h) {
    TEST_BEGIN("copy(), dict(d), update() sizes");
    for (int pass = 0; pass < 2; pass++) {
        char kind = pass ? 's' : 'i';
        long long sizes[32];
        for (int n = 0; n < 26; n++) {
            pm_object *d = pm_dict_new(h);
            fill(h, d, kind, 0, n);
            pm_object *c = pm_dict_copy(h, d);
            sizes[n] = gs(h, c);
            CHECK_EQ(pm_dict_eq(h, c, d), 1);
            pm_decref(h, c);
            pm_decref(h, d);
        }
        expect_ints(pass ? "dict_copy_str" : "dict_copy_int", sizes, 26);
    }
    long long sizes[32];
    for (int k = 0; k < 21; k++) {
        pm_object *d = pm_dict_new(h);
        fill(h, d, 'i', 0, 20);
        for (int i = 0; i < k; i++) delkey(h, d, 'i', i);
        pm_object *c = pm_dict_copy(h, d);
        sizes[k] = gs(h, c);
        CHECK_EQ(pm_dict_len(h, c), (int64_t)(20 - k));
        pm_decref(h, c);
        pm_decref(h, d);
    }
    expect_ints("dict_copy_after_deletes", sizes, 21);

    for (int holey = 0; holey < 2; holey++) {
        int holes = holey ? 8 : 0;
        long long s1[32], s2[32], s3[32];
        for (int n = 1; n < 26; n++) {
            pm_object *d = pm_dict_new(h);
            fill(h, d, 'i', 0, n + holes);
            for (int i = 0; i < holes; i++) delkey(h, d, 'i', i);
            pm_object *a = pm_dict_call(h, d);
            s1[n - 1] = gs(h, a);
            pm_object *e = pm_dict_new(h);
            CHECK_EQ(pm_dict_update(h, e, d), 0);
            s2[n - 1] = gs(h, e);
            pm_object *f = pm_dict_new(h);
            fill(h, f, 'i', -1, 0);
            CHECK_EQ(pm_dict_update(h, f, d), 0);
            s3[n - 1] = gs(h, f);
            CHECK_EQ(pm_dict_eq(h, a, d), 1);
            CHECK_EQ(pm_dict_eq(h, e, d), 1);
            CHECK_EQ(pm_dict_len(h, f), (int64_t)n + 1);
            pm_decref(h, a);
            pm_decref(h, e);
            pm_decref(h, f);
            pm_decref(h, d);
        }
        expect_ints(holey ? "dict_ctor_holey" : "dict_ctor_compact", s1, 25);
        expect_ints(holey ? "dict_update_empty_holey" : "dict_update_empty_compact", s2, 25);
        expect_ints(holey ? "dict_update_nonempty_holey" : "dict_update_nonempty_compact", s3, 25);
    }
}

/* ---- Operation scripts ------------------------------------------------------------ */

static void test_dictops(pm_heap *h) {
    TEST_BEGIN("dict operation scripts: insertion order and sizes");
    int ncases = 0;
    for (size_t li = 0; li < FX.n; li++) {
        if (strcmp(FX.keys[li], "dictops") != 0) continue;
        ncases++;
        char name[64];
        const char *p = FX.values[li];
        size_t nl = strcspn(p, " ");
        snprintf(name, sizeof name, "%.*s", (int)nl, p);
        p += nl;
        pm_object *d = pm_dict_new(h);
        long long sizes[128];
        size_t n = 0;
        while (*p) {
            while (*p == ' ') p++;
            if (!*p) break;
            char op = *p;
            if (op == 'p') {
                pm_object *k, *v;
                CHECK_EQ(pm_dict_popitem(h, d, &k, &v), 0);
                pm_decref(h, k);
                pm_decref(h, v);
                p++;
            } else if (op == 'c') {
                pm_dict_clear(h, d);
                p++;
            } else {
                char *end;
                long long v = strtoll(p + 1, &end, 10);
                p = end;
                if (op == '+') fill(h, d, 'i', v, v + 1);
                else delkey(h, d, 'i', v);
            }
            sizes[n++] = gs(h, d);
        }
        long long want[128], got[128];
        size_t m = ct_parse_ints(ct_get_sub(&FX, "dictops_keys", name), want, 128), k = 0;
        int64_t pos = 0;
        pm_object *key;
        while (pm_dict_next(h, d, &pos, &key, NULL) && k < 128) got[k++] = ct_intval(h, key);
        CHECKF(k == m, "dictops %s: %zu keys, CPython %zu", name, k, m);
        for (size_t i = 0; i < k && i < m; i++) CHECKF(got[i] == want[i], "dictops %s key[%zu]: %lld vs %lld", name, i, got[i], want[i]);
        m = ct_parse_ints(ct_get_sub(&FX, "dictops_sizes", name), want, 128);
        CHECKF(m == n, "dictops %s: %zu sizes vs %zu", name, n, m);
        for (size_t i = 0; i < n && i < m; i++) CHECKF(sizes[i] == want[i], "dictops %s size after op %zu: %lld vs %lld", name, i, sizes[i], want[i]);
        pm_decref(h, d);
    }
    CHECK(ncases >= 4);
}

/* ---- repr ---------------------------------------------------------------------------- */

static void check_repr(pm_heap *h, pm_object *o, const char *key) {
    char *r = ct_repr(h, o);
    const char *want = ct_get(&FX, key);
    if (want) CHECK_STREQ(r, want);
    free(r);
}

static void test_repr(pm_heap *h) {
    TEST_BEGIN("dict repr");
    pm_object *d = pm_dict_new(h);
    check_repr(h, d, "dict_repr_empty");
    pm_object *a = ct_mkstr(h, "a"), *b = ct_mkstr(h, "b");
    pm_object *one = ct_mkint(h, 1), *two = ct_mkint(h, 2);
    setkv(h, d, a, one);
    setkv(h, d, b, two);
    check_repr(h, d, "dict_repr_str_int");
    pm_decref(h, d);

    d = pm_dict_new(h);
    pm_object *m3 = ct_mkint(h, -3), *forty = ct_mkint(h, 40);
    setkv(h, d, one, two);
    setkv(h, d, m3, forty);
    check_repr(h, d, "dict_repr_int_int");
    pm_decref(h, d);

    /* {'x': {'y': {}}, 'z': set(), 'w': frozenset({1})} */
    pm_object *x = ct_mkstr(h, "x"), *y = ct_mkstr(h, "y"), *z = ct_mkstr(h, "z"), *w = ct_mkstr(h, "w");
    pm_object *inner = pm_dict_new(h), *empty = pm_dict_new(h);
    setkv(h, inner, y, empty);
    d = pm_dict_new(h);
    setkv(h, d, x, inner);
    pm_object *s = pm_set_new(h, NULL), *fs = pm_frozenset_new(h, NULL);
    CHECK_EQ(pm_set_add(h, fs, one), 0);
    setkv(h, d, z, s);
    setkv(h, d, w, fs);
    check_repr(h, d, "dict_repr_nested");
    pm_decref(h, d);
    pm_decref(h, inner);
    pm_decref(h, empty);
    pm_decref(h, s);
    pm_decref(h, fs);

    /* d['self'] = d */
    pm_object *self = ct_mkstr(h, "self");
    d = pm_dict_new(h);
    setkv(h, d, self, d);
    check_repr(h, d, "dict_repr_recursive");
    CHECK_EQ(((pm_dictobject *)d)->ma_flags, 0u);
    pm_dict_clear(h, d);     /* break the cycle (no collector here) */
    pm_decref(h, d);

    pm_object *objs[] = { a, b, one, two, m3, forty, x, y, z, w, self };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
}

/* ---- GC tracking --------------------------------------------------------------------- */

static void expect_tracked(pm_heap *h, pm_object *d, const char *key) {
    const char *v = ct_get(&FX, key);
    if (v) CHECKF(pm_gc_is_tracked(d) == (atoi(v) != 0), "%s: model %d, CPython %s", key, pm_gc_is_tracked(d), v);
    (void)h;
}

static void test_tracking(pm_heap *h) {
    TEST_BEGIN("dict GC tracking (MAINTAIN_TRACKING)");
    pm_object *a = ct_mkstr(h, "a"), *b = ct_mkstr(h, "b"), *one = ct_mkint(h, 1);

    pm_object *d = pm_dict_new(h);
    expect_tracked(h, d, "dict_tracked_empty");
    setkv(h, d, a, one);
    expect_tracked(h, d, "dict_tracked_str_int");
    pm_object *copy = pm_dict_copy(h, d);
    expect_tracked(h, copy, "dict_tracked_copy_of_untracked");
    pm_decref(h, copy);

    pm_object *s = pm_set_new(h, NULL);
    setkv(h, d, b, s);
    expect_tracked(h, d, "dict_tracked_after_set_value");
    CHECK_EQ(pm_dict_delitem(h, d, b), 0);
    expect_tracked(h, d, "dict_tracked_after_delete");   /* only a full collection untracks */
    pm_dict_maybe_untrack(h, d);
    CHECK(!pm_gc_is_tracked(d));
    pm_decref(h, d);

    d = pm_dict_new(h);
    setkv(h, d, a, s);
    expect_tracked(h, d, "dict_tracked_str_set");
    copy = pm_dict_copy(h, d);
    expect_tracked(h, copy, "dict_tracked_copy_of_tracked");
    pm_object *called = pm_dict_call(h, d);      /* dict(d): clone path keeps tracking too */
    CHECK(pm_gc_is_tracked(called));
    pm_decref(h, called);
    pm_decref(h, copy);
    pm_decref(h, d);

    pm_object *e = pm_dict_new(h);
    d = pm_dict_new(h);
    setkv(h, d, a, e);
    expect_tracked(h, d, "dict_tracked_str_dict");
    pm_decref(h, d);
    pm_decref(h, e);

    pm_object *fs = pm_frozenset_new(h, NULL);
    d = pm_dict_new(h);
    setkv(h, d, one, fs);
    expect_tracked(h, d, "dict_tracked_int_frozenset");
    pm_decref(h, d);
    pm_decref(h, fs);

    /* a static type as a value is not "maybe tracked"; a key that is a dict
     * cannot be (unhashable) */
    d = pm_dict_new(h);
    setkv(h, d, a, (pm_object *)pm_builtin_type(h, PM_T_OBJECT));
    CHECK(!pm_gc_is_tracked(d));
    pm_decref(h, d);

    pm_decref(h, s);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_decref(h, one);
}

/* ---- Deallocation order --------------------------------------------------------------- */

static void test_dealloc_order(pm_heap *h) {
    TEST_BEGIN("dict releases entries in insertion order, key then value");
    pm_object *d = pm_dict_new(h);
    for (int i = 0; i < 6; i++) {
        pm_object *k = ct_tracer_new(h, 2 * i), *v = ct_tracer_new(h, 2 * i + 1);
        setkv(h, d, k, v);
        pm_decref(h, k);
        pm_decref(h, v);
    }
    ct_nlog = 0;
    pm_object *k2 = ct_tracer_new(h, 99);   /* not equal to anything: tracers compare by identity */
    pm_decref(h, k2);
    CHECK_EQ(ct_nlog, (size_t)1);
    ct_nlog = 0;
    /* delete the entry of key 4 (found by identity through iteration) */
    int64_t pos = 0;
    pm_object *key;
    while (pm_dict_next(h, d, &pos, &key, NULL))
        if (((ct_tracer *)key)->id == 4) break;
    pm_incref(key);
    CHECK_EQ(pm_dict_delitem(h, d, key), 0);
    CHECK_EQ(ct_nlog, (size_t)1);            /* the value (5); the key is still ours */
    CHECK_EQ(ct_log[0], (int64_t)5);
    pm_decref(h, key);
    ct_nlog = 0;
    pm_decref(h, d);
    int64_t want[] = { 0, 1, 2, 3, 6, 7, 8, 9, 10, 11 };
    CHECK_EQ(ct_nlog, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < ct_nlog && i < sizeof want / sizeof want[0]; i++) CHECK_EQ(ct_log[i], want[i]);

    /* unicode table: str keys stay (interned or not), values go in order */
    d = pm_dict_new(h);
    for (int i = 0; i < 5; i++) {
        pm_object *k = mkkey(h, 's', i), *v = ct_tracer_new(h, i);
        setkv(h, d, k, v);
        pm_decref(h, k);
        pm_decref(h, v);
    }
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_kind, PM_DICT_KEYS_UNICODE);
    ct_nlog = 0;
    pm_dict_clear(h, d);
    CHECK_EQ(ct_nlog, (size_t)5);
    for (size_t i = 0; i < ct_nlog; i++) CHECK_EQ(ct_log[i], (int64_t)i);
    pm_decref(h, d);

    /* popitem is LIFO */
    d = pm_dict_new(h);
    fill(h, d, 'i', 0, 4);
    for (int i = 3; i >= 0; i--) {
        pm_object *k, *v;
        CHECK_EQ(pm_dict_popitem(h, d, &k, &v), 0);
        CHECK_EQ(ct_intval(h, k), (int64_t)i);
        pm_decref(h, k);
        pm_decref(h, v);
    }
    pm_object *k, *v;
    CHECK_EQ(pm_dict_popitem(h, d, &k, &v), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    pm_err_clear(h);
    pm_decref(h, d);
}

/* ---- Free lists ------------------------------------------------------------------------ */

static void test_freelists(pm_heap *h) {
    TEST_BEGIN("dict and keys free lists (80 each), dict() bypasses the free list");
    _pm_dict_clear_freelist(h);
    CHECK_EQ(pm_dict_freelist_len(h), 0u);

    pm_object *d = pm_dict_new(h);
    uint64_t live = ct_live_blocks(h);
    int64_t gen0 = h->os->gen_count[0];
    pm_decref(h, d);
    CHECK_EQ(pm_dict_freelist_len(h), 1u);
    CHECK_EQ(ct_live_blocks(h), live);                 /* still allocated */
    CHECK_EQ(h->os->gen_count[0], gen0);               /* not PyObject_GC_Del */
    pm_object *d2 = pm_dict_new(h);
    CHECK(d2 == d);                                    /* reused */
    CHECK_EQ(ct_refcnt(d2), (uint64_t)1);
    CHECK_EQ(ct_live_blocks(h), live);                 /* no allocation */
    CHECK_EQ(h->os->gen_count[0], gen0);               /* and no gen-0 count */
    CHECK(!pm_gc_is_tracked(d2));
    CHECK_EQ(pm_dict_len(h, d2), (int64_t)0);
    CHECK_EQ(gs(h, d2), 64LL);

    /* dict() allocates even with a non-empty free list */
    pm_decref(h, d2);
    CHECK_EQ(pm_dict_freelist_len(h), 1u);
    pm_object *c = pm_dict_call(h, NULL);
    CHECK(c != d);
    CHECK_EQ(pm_dict_freelist_len(h), 1u);
    CHECK_EQ(ct_live_blocks(h), live + 1);
    pm_decref(h, c);
    CHECK_EQ(pm_dict_freelist_len(h), 2u);

    /* capacity 80 */
    pm_object *many[100];
    for (int i = 0; i < 100; i++) many[i] = pm_dict_new(h);
    CHECK_EQ(pm_dict_freelist_len(h), 0u);
    uint64_t before = ct_live_blocks(h);
    for (int i = 0; i < 100; i++) pm_decref(h, many[i]);
    CHECK_EQ(pm_dict_freelist_len(h), 80u);
    CHECK_EQ(h->freelists.dicts, 80u);
    CHECK_EQ(ct_live_blocks(h), before - 20);
    /* LIFO: the last dict freed comes back first */
    pm_object *again = pm_dict_new(h);
    CHECK(again == many[79]);
    pm_decref(h, again);

    /* keys free list: 8-slot unicode keys only */
    _pm_dict_clear_freelist(h);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 0u);
    d = pm_dict_new(h);
    fill(h, d, 's', 0, 3);
    pm_dictkeys *dk = ((pm_dictobject *)d)->ma_keys;
    pm_decref(h, d);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 1u);
    d = pm_dict_new(h);
    fill(h, d, 's', 0, 1);
    CHECK(((pm_dictobject *)d)->ma_keys == dk);        /* reused keys object */
    CHECK_EQ(pm_dict_keys_freelist_len(h), 0u);
    /* growing out of 8 slots puts the old unicode table on the list */
    fill(h, d, 's', 1, 6);
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_log2_size, 4);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 1u);
    pm_decref(h, d);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 1u);        /* 16-slot table freed, not listed */
    /* general tables never go on the list */
    d = pm_dict_new(h);
    fill(h, d, 'i', 0, 3);
    pm_decref(h, d);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 1u);

    uint64_t lb = ct_live_blocks(h);
    uint32_t nd = pm_dict_freelist_len(h), nk = pm_dict_keys_freelist_len(h);
    _pm_dict_clear_freelist(h);
    CHECK_EQ(pm_dict_freelist_len(h), 0u);
    CHECK_EQ(pm_dict_keys_freelist_len(h), 0u);
    CHECK_EQ(ct_live_blocks(h), lb - nd - nk);
}

/* ---- dict.fromkeys --------------------------------------------------------------------- */

static void test_fromkeys(pm_heap *h) {
    TEST_BEGIN("dict.fromkeys from a dict or a set: fresh dict, source order, one reference per key");
    pm_object *src = pm_dict_new(h);
    fill(h, src, 's', 0, 7);
    pm_object *v = ct_mkint(h, 424242);
    pm_object *spare = pm_dict_new(h);
    pm_decref(h, spare);                                /* now on the free list */
    CHECK(pm_dict_freelist_len(h) >= 1u);
    uint32_t nfree = pm_dict_freelist_len(h);
    pm_object *d = pm_dict_fromkeys(h, src, v);
    CHECK(d != NULL);
    CHECK_EQ(pm_dict_freelist_len(h), nfree);           /* dict(): not from the free list */
    CHECK_EQ(pm_dict_len(h, d), (int64_t)7);
    CHECK_EQ(ct_refcnt(v), (uint64_t)8);
    int64_t p1 = 0, p2 = 0;
    pm_object *k1, *k2, *v1;
    while (pm_dict_next(h, src, &p1, &k1, NULL)) {
        CHECK(pm_dict_next(h, d, &p2, &k2, &v1));
        CHECK(k1 == k2);                                /* the source's key objects, in its order */
        CHECK(v1 == v);
    }
    CHECK(!pm_dict_next(h, d, &p2, &k2, &v1));
    pm_decref(h, d);
    CHECK_EQ(ct_refcnt(v), (uint64_t)1);

    pm_object *s = pm_set_new(h, NULL);
    for (int64_t i = 0; i < 20; i++) {
        pm_object *k = ct_mkint(h, i * 1000003);
        CHECK_EQ(pm_set_add(h, s, k), 0);
        pm_decref(h, k);
    }
    d = pm_dict_fromkeys(h, s, v);
    CHECK(d != NULL);
    CHECK_EQ(pm_dict_len(h, d), (int64_t)20);
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_log2_size, 5);   /* 20 keys: room for 30 without a resize */
    CHECK_EQ((int)((pm_dictobject *)d)->ma_keys->dk_kind, (int)PM_DICT_KEYS_GENERAL);
    pm_decref(h, d);

    TEST_BEGIN("dict.fromkeys from anything else: TypeError, nothing leaked");
    pm_object *l = pm_list_new(h, 0);
    uint64_t live = ct_live_blocks(h);
    CHECK(pm_dict_fromkeys(h, l, v) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    CHECK_EQ(ct_live_blocks(h), live);
    pm_decref(h, l);
    pm_decref(h, s);
    pm_decref(h, src);
    pm_decref(h, v);
}

/* ---- Reference counts --------------------------------------------------------------------- */

static void test_refcounts(pm_heap *h) {
    TEST_BEGIN("reference counts of keys and values");
    pm_object *d = pm_dict_new(h);
    pm_object *k = ct_mkint(h, 100000), *v = ct_mkint(h, 200000);
    setkv(h, d, k, v);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);
    CHECK_EQ(ct_refcnt(v), (uint64_t)2);

    /* d[equal-but-distinct key] = v2: the dict keeps k, drops v */
    pm_object *k2 = ct_mkint(h, 100000), *v2 = ct_mkint(h, 300000);
    CHECK(k2 != k);
    setkv(h, d, k2, v2);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);
    CHECK_EQ(ct_refcnt(k2), (uint64_t)1);
    CHECK_EQ(ct_refcnt(v), (uint64_t)1);
    CHECK_EQ(ct_refcnt(v2), (uint64_t)2);
    int64_t pos = 0;
    pm_object *sk, *sv;
    CHECK(pm_dict_next(h, d, &pos, &sk, &sv));
    CHECK(sk == k);
    CHECK(sv == v2);
    CHECK_EQ(pm_dict_len(h, d), (int64_t)1);

    /* same value again: nothing changes */
    setkv(h, d, k, v2);
    CHECK_EQ(ct_refcnt(v2), (uint64_t)2);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);

    /* getitem is borrowed, get/subscript are new */
    CHECK(pm_dict_getitem(h, d, k2) == v2);
    CHECK_EQ(ct_refcnt(v2), (uint64_t)2);
    pm_object *g = pm_dict_get(h, d, k2, NULL);
    CHECK(g == v2);
    CHECK_EQ(ct_refcnt(v2), (uint64_t)3);
    pm_decref(h, g);
    g = pm_dict_subscript(h, d, k2);
    CHECK(g == v2);
    pm_decref(h, g);

    /* pop hands over the dict's reference to the value */
    pm_object *popped = pm_dict_pop(h, d, k2, NULL);
    CHECK(popped == v2);
    CHECK_EQ(ct_refcnt(v2), (uint64_t)2);
    CHECK_EQ(ct_refcnt(k), (uint64_t)1);
    pm_decref(h, popped);
    CHECK_EQ(pm_dict_len(h, d), (int64_t)0);

    /* missing keys */
    CHECK(pm_dict_getitem(h, d, k) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CHECK(pm_dict_subscript(h, d, k) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    CHECK_STREQ(h->os->exc_msg, "100000");
    pm_err_clear(h);
    CHECK_EQ(pm_dict_delitem(h, d, k), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    pm_err_clear(h);
    CHECK(pm_dict_pop(h, d, k, NULL) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    pm_err_clear(h);
    pm_object *dflt = pm_dict_pop(h, d, k, v);
    CHECK(dflt == v);
    pm_decref(h, dflt);
    g = pm_dict_get(h, d, k, NULL);
    CHECK(g == PM_NONE(h));
    pm_decref(h, g);

    /* an unhashable key: TypeError, nothing kept */
    pm_object *bad = pm_dict_new(h);
    CHECK_EQ(pm_dict_setitem(h, d, bad, v), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    CHECK_EQ(ct_refcnt(bad), (uint64_t)1);
    CHECK_EQ(ct_refcnt(v), (uint64_t)1);
    CHECK_EQ(pm_dict_contains(h, d, bad), -1);
    pm_err_clear(h);
    pm_decref(h, bad);

    /* setdefault */
    pm_object *sd = pm_dict_setdefault(h, d, k, v);
    CHECK(sd == v);
    CHECK_EQ(ct_refcnt(v), (uint64_t)2);
    CHECK_EQ(ct_refcnt(k), (uint64_t)2);
    sd = pm_dict_setdefault(h, d, k2, v2);
    CHECK(sd == v);
    CHECK_EQ(ct_refcnt(k2), (uint64_t)1);
    CHECK_EQ(pm_dict_contains(h, d, k2), 1);

    pm_decref(h, d);
    CHECK_EQ(ct_refcnt(k), (uint64_t)1);
    CHECK_EQ(ct_refcnt(v), (uint64_t)1);
    pm_decref(h, k);
    pm_decref(h, v);
    pm_decref(h, k2);
    pm_decref(h, v2);
}

static void test_merge_eq(pm_heap *h) {
    TEST_BEGIN("merge overrides, equality");
    pm_object *a = pm_dict_new(h), *b = pm_dict_new(h);
    fill(h, a, 'i', 0, 5);
    fill(h, b, 'i', 3, 8);
    /* override 0 keeps a's values */
    pm_object *k3 = ct_mkint(h, 3), *x = ct_mkint(h, 42);
    setkv(h, b, k3, x);
    CHECK_EQ(pm_dict_merge(h, a, b, 0), 0);
    CHECK_EQ(pm_dict_len(h, a), (int64_t)8);
    CHECK_EQ(ct_intval(h, pm_dict_getitem(h, a, k3)), (int64_t)3);
    /* override 2: duplicate key -> KeyError */
    CHECK_EQ(pm_dict_merge(h, a, b, 2), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_KeyError);
    pm_err_clear(h);
    CHECK_EQ(pm_dict_update(h, a, b), 0);
    CHECK_EQ(ct_intval(h, pm_dict_getitem(h, a, k3)), (int64_t)42);
    CHECK_EQ(pm_dict_update(h, a, a), 0);
    CHECK_EQ(pm_dict_eq(h, a, a), 1);

    /* equality ignores order, compares values */
    pm_object *c = pm_dict_new(h), *e = pm_dict_new(h);
    fill(h, c, 'i', 0, 6);
    for (int i = 5; i >= 0; i--) fill(h, e, 'i', i, i + 1);
    CHECK_EQ(pm_dict_eq(h, c, e), 1);
    CHECK_EQ(pm_object_eq(h, c, e), 1);
    setkv(h, e, k3, x);
    CHECK_EQ(pm_dict_eq(h, c, e), 0);
    CHECK_EQ(pm_object_eq(h, c, k3), 0);          /* NotImplemented both ways -> identity */

    pm_decref(h, a);
    pm_decref(h, b);
    pm_decref(h, c);
    pm_decref(h, e);
    pm_decref(h, k3);
    pm_decref(h, x);
}

struct pairs_it { pm_object **items; int i, n; };
static pm_object *pairs_next(pm_heap *h, void *ctx) {
    (void)h;
    struct pairs_it *it = ctx;
    return it->i < it->n ? pm_newref(it->items[it->i++]) : NULL;
}

static void test_seq2(pm_heap *h) {
    TEST_BEGIN("dict(iterable of pairs): PyDict_MergeFromSeq2");
    pm_object *items[4];
    for (int i = 0; i < 3; i++) {
        pm_object *k = ct_mkint(h, 10 * i), *v = ct_mkint(h, i);
        items[i] = pm_tuple_pack(h, 2, k, v);
        pm_decref(h, k);
        pm_decref(h, v);
    }
    pm_object *d = pm_dict_call(h, NULL);
    struct pairs_it it = { items, 0, 3 };
    CHECK_EQ(pm_dict_merge_from_seq2(h, d, pairs_next, &it, 1), 0);
    CHECK_EQ(pm_dict_len(h, d), (int64_t)3);
    CHECK_EQ(gs(h, d), 224LL);
    char *r = ct_repr(h, d);
    CHECK_STREQ(r, "{0: 0, 10: 1, 20: 2}");
    free(r);
    /* a bad element */
    items[3] = ct_mkint(h, 7);
    struct pairs_it bad = { items + 3, 0, 1 };
    CHECK_EQ(pm_dict_merge_from_seq2(h, d, pairs_next, &bad, 1), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    CHECK_STREQ(h->os->exc_msg, "cannot convert dictionary update sequence element #0 to a sequence");
    pm_err_clear(h);
    pm_decref(h, items[3]);
    items[3] = pm_tuple_pack(h, 1, items[0]);
    bad.i = 0;
    CHECK_EQ(pm_dict_merge_from_seq2(h, d, pairs_next, &bad, 1), -1);
    CHECK_STREQ(h->os->exc_msg, "dictionary update sequence element #0 has length 1; 2 is required");
    pm_err_clear(h);
    for (int i = 0; i < 4; i++) pm_decref(h, items[i]);
    pm_decref(h, d);
}

/* ---- traverse, trashcan ------------------------------------------------------------------- */

static int count_visit(pm_object *o, void *arg) {
    (void)o;
    (*(int *)arg)++;
    return 0;
}

static void test_traverse(pm_heap *h) {
    TEST_BEGIN("dict traverse: values of unicode tables, value and key of general ones");
    pm_object *d = pm_dict_new(h);
    fill(h, d, 's', 0, 7);
    delkey(h, d, 's', 2);
    int n = 0;
    pm_object_traverse(h, d, count_visit, &n);
    CHECK_EQ(n, 6);
    pm_decref(h, d);
    d = pm_dict_new(h);
    fill(h, d, 'i', 0, 7);
    delkey(h, d, 'i', 2);
    n = 0;
    pm_object_traverse(h, d, count_visit, &n);
    CHECK_EQ(n, 12);
    pm_decref(h, d);
}

static void test_trashcan(pm_heap *h) {
    TEST_BEGIN("deeply nested dicts are freed through the trashcan");
    uint64_t before = ct_live_blocks(h);
    pm_object *key = ct_mkstr(h, "d");
    pm_object *d = pm_dict_new(h);
    for (int i = 0; i < 200000; i++) {
        pm_object *outer = pm_dict_new(h);
        setkv(h, outer, key, d);
        pm_decref(h, d);
        d = outer;
    }
    pm_decref(h, d);
    CHECK_EQ(h->os->trash_nesting, 0);
    CHECK(h->os->trash_delete_later == NULL);
    pm_decref(h, key);
    _pm_dict_clear_freelist(h);
    CHECK(ct_live_blocks(h) <= before);
}

int main(void) {
    if (ct_fixture_load(&FX) < 0) return 2;
    pm_heap *h = ct_heap_new();
    ct_clear_freelists(h);
    uint64_t live0 = ct_live_blocks(h);

    test_insert_sizes(h);
    test_delete_clear(h);
    test_literals(h);
    test_unicode_to_general(h);
    test_copy_sizes(h);
    test_dictops(h);
    test_repr(h);
    test_tracking(h);
    test_dealloc_order(h);
    test_freelists(h);
    test_refcounts(h);
    test_fromkeys(h);
    test_merge_eq(h);
    test_seq2(h);
    test_traverse(h);
    test_trashcan(h);

    TEST_BEGIN("no leaks, heap consistent");
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CT_EXPECT_CLEAN(h, live0);
    pm_heap_free(h);
    ct_fixture_free(&FX);
    return check_summary();
}
