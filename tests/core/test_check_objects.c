/* test_check_objects.c — the object-level checker (core/src/check_objects.c).
 *
 * Builds a graph of every current container and scalar type, checks that
 * the checker accepts it with exactly the roots the test holds, then breaks
 * one invariant at a time (an extra reference, a wrong root count, a list
 * longer than its array, dict and set counters, an untracked list, a
 * dangling item, an unreferenced cycle, a leak after everything was
 * released) and checks that each is reported with its type and address.
 * No CPython values are involved: every expectation here is the checker's
 * own contract, so no fixture is needed.
 */
#include "check.h"
#include "fixture.h"
#include "check_objects.h"
#include "longobject.h"
#include "floatobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "rangeobject.h"

static pm_heap *h;

/* work memory from libc, counted, so the heap's figures never move */
static long ws_live, ws_calls;
static void *ws_alloc(void *ctx, size_t n) { (void)ctx; ws_live++; ws_calls++; return malloc(n); }
static void ws_free(void *ctx, void *p) { (void)ctx; ws_live--; free(p); }
static const pm_objcheck_opts LIBC = { 0, ws_alloc, ws_free, NULL };
static const pm_objcheck_opts STRICT = { PM_OCHECK_NO_GARBAGE, ws_alloc, ws_free, NULL };

static pm_status run(const pm_objroot *r, size_t n, const pm_objcheck_opts *o, pm_objcheck_result *res) {
    return pm_objects_check(h, r, n, o, res);
}

/* expects a failure whose message names all the given words */
#define EXPECT_FAIL(roots, n, opts, w1, w2) do {                                          \
    pm_status st_ = run((roots), (n), (opts), NULL);                                     \
    CHECK_EQ(st_, PM_ECORRUPT);                                                           \
    const char *m_ = pm_heap_error(h);                                                    \
    CHECKF(strstr(m_, (w1)) && strstr(m_, (w2)), "message '%s' lacks '%s'/'%s'", m_, (w1), (w2)); \
} while (0)

#define EXPECT_OK(roots, n, opts) do {                                                    \
    pm_status st_ = run((roots), (n), (opts), NULL);                                     \
    CHECKF(st_ == PM_OK, "status %d: %s", (int)st_, pm_heap_error(h));                  \
} while (0)

static pm_object *big(int64_t v) { return pm_long_from_int64(h, v); }

int main(void) {
    h = pm_heap_new(NULL);
    CHECK(h != NULL);
    pm_objbaseline base;
    pm_objects_baseline(h, &base);

    TEST_BEGIN("empty heap");
    {
        pm_objcheck_result res;
        CHECK_EQ(run(NULL, 0, &STRICT, &res), PM_OK);
        CHECK_EQ(res.tracked, 0u);
        CHECK_EQ(res.objects, 0u);
        CHECK_EQ(pm_objects_check_baseline(h, &base), PM_OK);
        CHECK_EQ(run(NULL, 3, NULL, NULL), PM_EINVAL);
    }

    TEST_BEGIN("a graph of every type, counted exactly");
    pm_object *l = pm_list_new(h, 0);
    pm_object *i1 = big(1ll << 40), *i2 = big(-123456789012345ll), *f = pm_float_from_double(h, 2.5);
    pm_object *s1 = pm_unicode_from_utf8(h, "not interned: key one", 21);
    pm_object *s2 = pm_unicode_from_utf8(h, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d", 14);
    pm_object *b = pm_bytes_from_buffer(h, "bytes!", 6);
    pm_object *t = pm_tuple_pack(h, 3, i1, s2, b);
    pm_object *inner = pm_list_new(h, 0);
    pm_object *d = pm_dict_new(h);        /* unicode keys: dict_traverse does not report them */
    pm_object *g = pm_dict_new(h);        /* general keys */
    pm_object *st = pm_set_new(h, NULL);
    pm_object *fs = pm_frozenset_new(h, NULL);
    pm_object *r = pm_range_new(h, i1, i2, pm_long_small(h, -7));
    CHECK(l && i1 && i2 && f && s1 && s2 && b && t && inner && d && g && st && fs && r);
    CHECK_EQ(pm_list_append(h, inner, f), 0);
    CHECK_EQ(pm_dict_setitem(h, d, s1, inner), 0);
    CHECK_EQ(pm_dict_setitem(h, g, i2, t), 0);
    CHECK_EQ(pm_dict_setitem(h, g, t, s1), 0);
    CHECK_EQ(pm_set_add(h, st, i1), 0);
    CHECK_EQ(pm_set_add(h, st, t), 0);
    CHECK_EQ(pm_set_add(h, fs, s2), 0);   /* a frozenset is filled while it is new */
    CHECK_EQ(pm_set_add(h, st, fs), 0);
    pm_object *parts[] = { t, inner, d, g, st, fs, r, b, f, PM_NONE(h), pm_long_small(h, 5) };
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) CHECK_EQ(pm_list_append(h, l, parts[k]), 0);
    /* the test keeps only l and inner; everything else is held by the graph */
    pm_object *drop[] = { i1, i2, f, s1, s2, b, t, d, g, st, fs, r };
    for (size_t k = 0; k < sizeof drop / sizeof drop[0]; k++) pm_decref(h, drop[k]);
    pm_objroot roots[] = { { l, 1 }, { inner, 1 } };
    {
        pm_objcheck_result res;
        ws_calls = 0;
        CHECK_EQ(run(roots, 2, &STRICT, &res), PM_OK);
        CHECK_EQ(ws_live, 0);
        CHECK(ws_calls > 0);
        /* l, t, i1, s2, b, inner, f, d, s1, g, i2, st, fs, r; the ints and
         * the small int/None are immortal or mortal as they are: 14 mortal */
        CHECK_EQ(res.mortal, 14u);
        CHECK_EQ(res.tracked, 7u);          /* l, t, inner, st, fs; d (holds a list) and g (holds a tuple) */
        CHECK_EQ(res.garbage, 0u);
        /* default work memory (the heap's bookkeeping) gives the same verdict */
        CHECK_EQ(run(roots, 2, NULL, NULL), PM_OK);
    }
    (void)0;

    TEST_BEGIN("an extra reference is reported with type, address and counts");
    pm_incref(f);
    EXPECT_FAIL(roots, 2, &LIBC, "float", "refcount 3, expected 2");   /* held by l and inner */
    pm_decref(h, f);
    pm_incref(s1);                        /* a unicode-table key: counted through the extra refs */
    EXPECT_FAIL(roots, 2, &LIBC, "str", "refcount 3, expected 2");     /* d's key, g's value */
    pm_decref(h, s1);
    pm_object *ri = ((pm_range *)r)->stop;   /* a range field: range has no tp_traverse */
    pm_incref(ri);
    EXPECT_FAIL(roots, 2, &LIBC, "int", "refcount 3");
    pm_decref(h, ri);
    EXPECT_OK(roots, 2, &LIBC);

    TEST_BEGIN("root counts");
    {
        pm_objroot wrong[] = { { l, 2 }, { inner, 1 } };
        EXPECT_FAIL(wrong, 2, &LIBC, "list", "expected 2 (2 from roots");
        pm_objroot split[] = { { inner, 1 }, { l, 1 } };
        EXPECT_OK(split, 2, &LIBC);
        pm_objroot missing[] = { { l, 1 } };
        EXPECT_FAIL(missing, 1, &LIBC, "list", "refcount 3, expected 2");   /* inner: held by l and d */
    }

    TEST_BEGIN("structure: list, dict, set, tracking, dangling items");
    {
        PM_SIZE(inner) = 5;
        EXPECT_FAIL(roots, 2, &LIBC, "list at", "allocated");
        PM_SIZE(inner) = 1;
        ((pm_dictobject *)d)->ma_used = 2;
        EXPECT_FAIL(roots, 2, &LIBC, "dict at", "ma_used");
        ((pm_dictobject *)d)->ma_used = 1;
        ((pm_setobject *)st)->fill++;
        EXPECT_FAIL(roots, 2, &LIBC, "set at", "fill");
        ((pm_setobject *)st)->fill--;
        pm_gc_untrack(h, inner);
        EXPECT_FAIL(roots, 2, &LIBC, "list at", "not tracked");
        pm_gc_track(h, inner);
        EXPECT_OK(roots, 2, &LIBC);
        pm_object *dead = big(99999999999ll);
        pm_decref(h, dead);               /* freed: its address is a free block now */
        pm_object *saved = PM_LIST_GET(inner, 0);
        PM_LIST_SET(inner, 0, dead);
        EXPECT_FAIL(roots, 2, &LIBC, "bad reference", "freed");
        PM_LIST_SET(inner, 0, saved);
        int64_t savedhash = ((pm_setentry *)((pm_setobject *)st)->table)[0].hash;
        for (int k = 0; k < 8; k++) {     /* a stored hash that is not the key's */
            pm_setentry *e = &((pm_setobject *)st)->table[k];
            if (e->key && e->key != pm_set_dummy()) { savedhash = e->hash; e->hash ^= 1; EXPECT_FAIL(roots, 2, &LIBC, "set at", "hash"); e->hash = savedhash; break; }
        }
        EXPECT_OK(roots, 2, &LIBC);
    }

    TEST_BEGIN("unreferenced cycles");
    {
        pm_object *cyc = pm_list_new(h, 0);
        CHECK_EQ(pm_list_append(h, cyc, cyc), 0);
        CHECK_EQ(pm_list_append(h, cyc, l), 0);   /* garbage holding a reference into the live graph */
        pm_decref(h, cyc);
        pm_objcheck_result res;
        CHECK_EQ(run(roots, 2, &LIBC, &res), PM_OK);   /* the cycle's references are counted */
        CHECK_EQ(res.garbage, 1u);
        EXPECT_FAIL(roots, 2, &STRICT, "not reachable", "list");
        pm_incref(cyc);                   /* release the cycle the way the fuzzer does: clear, then drop */
        CHECK_EQ(pm_list_clear(h, cyc), 0);
        pm_decref(h, cyc);
        CHECK_EQ(run(roots, 2, &STRICT, &res), PM_OK);
        CHECK_EQ(res.garbage, 0u);
    }

    TEST_BEGIN("back to baseline");
    {
        pm_decref(h, inner);
        pm_decref(h, l);
        CHECK_EQ(run(NULL, 0, &STRICT, NULL), PM_OK);
        CHECK_EQ(pm_objects_check_baseline(h, &base), PM_OK);
        pm_object *leak = pm_list_new(h, 0);
        CHECK_EQ(pm_list_append(h, leak, PM_NONE(h)), 0);
        CHECK_EQ(pm_objects_check_baseline(h, &base), PM_ECORRUPT);
        CHECKF(strstr(pm_heap_error(h), "baseline") != NULL, "%s", pm_heap_error(h));
        EXPECT_FAIL(NULL, 0, &STRICT, "not reachable", "list");
        pm_decref(h, leak);
        CHECK_EQ(pm_objects_check_baseline(h, &base), PM_OK);
    }

    TEST_BEGIN("a long chain (no recursion in the walk)");
    {
        pm_object *x = pm_list_new(h, 0);
        int bad = 0;
        for (int k = 0; k < 100000; k++) {
            pm_object *n = pm_list_new(h, 0);
            bad += pm_list_append_steal(h, n, x) != 0;
            x = n;
        }
        CHECK_EQ(bad, 0);
        pm_objroot one[] = { { x, 1 } };
        pm_objcheck_result res;
        CHECK_EQ(run(one, 1, &STRICT, &res), PM_OK);
        CHECK_EQ(res.mortal, 100001u);
        pm_decref(h, x);
        CHECK_EQ(pm_objects_check_baseline(h, &base), PM_OK);
    }
    CHECK_EQ(ws_live, 0);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    pm_heap_free(h);
    return check_summary();
}
