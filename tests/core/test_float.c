/* test_float.c — native tests of float (core/src/floatobject.c).
 *
 * Expected values come from CPython 3.12, never from the implementation:
 *   - tests/fixtures/sizes_numbers.txt (recorded by
 *     tests/record/sizes_numbers.py): float and mixed int/float
 *     arithmetic and comparisons with CPython's exception messages,
 *     repr() of ~3000 doubles, hashes, float(str);
 *   - facts of CPython 3.12 stated next to each check below (24-byte
 *     PyFloatObject, PyFloat_MAXFREELIST 100, LIFO free list that does not
 *     call the allocator, hash(inf) == 314159, NaN hashes by address).
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/<all .c files> tests/core/test_float.c -o build/native/test_float
 * Run: build/native/test_float [fixture-path]
 */
#include "pm.h"
#include "check.h"
#include "longobject.h"
#include "floatobject.h"
#include "numbers_fixture.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fixture_path = "tests/fixtures/sizes_numbers.txt";

static pm_heap *new_heap(void) {
    pm_heap *h = pm_heap_new(NULL);
    if (!h) {
        fprintf(stderr, "cannot create a heap\n");
        exit(2);
    }
    return h;
}

static int same_stats(const pm_heap_stats *a, const pm_heap_stats *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

static void test_fixture(void) {
    TEST_BEGIN("fixture: float cases recorded from CPython 3.12");
    pm_heap *h = new_heap();
    int n = nf_run_fixture(h, fixture_path, 1);
    CHECKF(n > 5000, "only %d float lines ran", n);
    fprintf(stderr, "   %d fixture lines\n", n);
    _pm_float_clear_freelist(h);
    CHECK_EQ(h->freelists.floats, 0u);
    pm_heap_free(h);
}

static void test_type(void) {
    TEST_BEGIN("float type object");
    pm_heap *h = new_heap();
    pm_type *t = pm_builtin_type(h, PM_T_FLOAT);
    CHECK_EQ(t->tp_basicsize, 24u);   /* float.__basicsize__ */
    CHECK_EQ(t->tp_itemsize, 0u);
    CHECK(!pm_type_is_gc(t));
    CHECK_STREQ(t->tp_name, "float");
    pm_object *f = pm_float_from_double(h, 1.5);
    CHECK_EQ(pm_object_getsizeof(h, f), 24u);   /* sys.getsizeof(1.5) */
    CHECK_EQ(pm_block_size(h, f), 32u);         /* 24-byte request, 32-byte class */
    CHECK_EQ(f->ob_refcnt, 1u);
    pm_decref(h, f);
    pm_heap_free(h);
}

static void test_freelist(void) {
    TEST_BEGIN("free list: reuse without the allocator, 100 entries, LIFO");
    pm_heap *h = new_heap();
    pm_heap_stats s0, s1;
    CHECK_EQ(h->freelists.floats, 0u);

    pm_object *x = pm_float_from_double(h, 1.25);
    pm_heap_stats_get(h, &s0);
    pm_decref(h, x);                          /* to the free list: the block stays allocated */
    CHECK_EQ(h->freelists.floats, 1u);
    pm_heap_stats_get(h, &s1);
    CHECK(same_stats(&s0, &s1));
    pm_object *y = pm_float_from_double(h, 2.5);   /* the same memory comes back */
    CHECK(y == x);
    CHECK_EQ(h->freelists.floats, 0u);
    CHECK_EQ(y->ob_refcnt, 1u);
    CHECK(PM_TYPE(y) == pm_builtin_type(h, PM_T_FLOAT));
    CHECK_EQ(pm_float_value(y), 2.5);
    pm_heap_stats_get(h, &s1);
    CHECK(same_stats(&s0, &s1));              /* the allocator was not called */

    /* 150 floats freed: 100 parked, 50 released */
    pm_object *fs[150];
    for (int i = 0; i < 150; i++) fs[i] = pm_float_from_double(h, i);
    uint64_t live = nf_live_blocks(h);
    pm_heap_stats_get(h, &s0);
    for (int i = 0; i < 150; i++) pm_decref(h, fs[i]);
    CHECK_EQ(h->freelists.floats, 100u);
    pm_heap_stats_get(h, &s1);
    uint64_t in_use0 = 0, in_use1 = 0;
    for (int i = 0; i < PM_NB_SMALL_SIZE_CLASSES; i++) {
        in_use0 += s0.classes[i].blocks_in_use;
        in_use1 += s1.classes[i].blocks_in_use;
    }
    CHECK_EQ(in_use0 - in_use1, 50u);
    CHECK_EQ(nf_live_blocks(h), live - 150);
    /* LIFO: the first 100 frees were parked; the last of them (fs[99]) comes back first */
    pm_object *z = pm_float_from_double(h, 0.5);
    CHECK(z == fs[99]);
    pm_object *w = pm_float_from_double(h, 0.75);
    CHECK(w == fs[98]);
    pm_decref(h, z);
    pm_decref(h, w);
    CHECK_EQ(h->freelists.floats, 100u);

    /* _debugmallocstats shows the free list */
    char buf[8192];
    pm_debugmallocstats(h, buf, sizeof buf);
    CHECKF(strstr(buf, "100 free PyFloatObjects") != NULL, "no free-list line in:\n%s", buf);

    /* clearing frees every parked float */
    _pm_float_clear_freelist(h);
    CHECK_EQ(h->freelists.floats, 0u);
    pm_heap_stats_get(h, &s1);
    in_use1 = 0;
    for (int i = 0; i < PM_NB_SMALL_SIZE_CLASSES; i++) in_use1 += s1.classes[i].blocks_in_use;
    CHECK_EQ(in_use0 - in_use1, 150u);
    pm_decref(h, y);
    CHECKF(pm_heap_check(h) == PM_OK, "%s", pm_heap_error(h));
    pm_heap_free(h);   /* with a float parked: teardown clears it */
}

static void test_hash_special(void) {
    TEST_BEGIN("hash: infinities, NaN by address, -1 -> -2, ints and floats agree");
    pm_heap *h = new_heap();
    pm_object *inf = pm_float_from_double(h, INFINITY), *ninf = pm_float_from_double(h, -INFINITY);
    CHECK_EQ(pm_object_hash(h, inf), 314159);
    CHECK_EQ(pm_object_hash(h, ninf), -314159);
    pm_object *n1 = pm_float_from_double(h, NAN), *n2 = pm_float_from_double(h, NAN);
    uint64_t a = (uint64_t)(uintptr_t)n1;
    CHECK_EQ(pm_object_hash(h, n1), (int64_t)((a >> 4) | (a << 60)));
    CHECK(pm_object_hash(h, n1) != pm_object_hash(h, n2));
    pm_object *m1 = pm_float_from_double(h, -1.0);
    CHECK_EQ(pm_object_hash(h, m1), -2);
    pm_object *i = pm_long_from_int64(h, 123456789), *f = pm_float_from_double(h, 123456789.0);
    CHECK_EQ(pm_object_hash(h, i), pm_object_hash(h, f));
    CHECK_EQ(pm_object_eq(h, i, f), 1);
    CHECK_EQ(pm_object_eq(h, f, i), 1);
    CHECK_EQ(pm_object_eq(h, pm_long_small(h, 1), m1), 0);
    CHECK_EQ(pm_object_eq(h, n1, n1), 1);   /* identity first, as PyObject_RichCompareBool */
    CHECK_EQ(pm_float_richcompare(h, n1, n1, PM_CMP_EQ), 0);
    pm_object *objs[] = {inf, ninf, n1, n2, m1, i, f};
    for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++) pm_decref(h, objs[k]);
    pm_heap_free(h);
}

static void test_repr_special(void) {
    TEST_BEGIN("repr of special values and the exponent switch");
    char buf[64];
    static const struct { double v; const char *s; } cases[] = {
        {0.0, "0.0"}, {-0.0, "-0.0"}, {INFINITY, "inf"}, {-INFINITY, "-inf"}, {NAN, "nan"}, {-NAN, "nan"},
        {0.1, "0.1"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {1e-5, "1e-05"}, {1e-4, "0.0001"},
        {123456789.0, "123456789.0"}, {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-2.5, "-2.5"}, {100.0, "100.0"}, {1e22, "1e+22"}, {0.30000000000000004, "0.30000000000000004"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = pm_float_repr_double(cases[k].v, buf, sizeof buf);
        CHECK_STREQ(buf, cases[k].s);
        CHECK_EQ(n, strlen(cases[k].s));
    }
}

static void test_reuse(void) {
    TEST_BEGIN("specialised float ops reuse a uniquely referenced operand");
    pm_heap *h = new_heap();
    pm_object *a = pm_float_from_double(h, 1.5), *b = pm_float_from_double(h, 2.0);
    pm_incref(b);                                  /* b also held elsewhere */
    pm_object *r = pm_float_binop_reuse(h, '+', a, b);   /* steals a and one ref of b */
    CHECK(r == a);
    CHECK_EQ(pm_float_value(r), 3.5);
    CHECK_EQ(b->ob_refcnt, 1u);
    pm_incref(r);
    r = pm_float_binop_reuse(h, '*', r, b);         /* left shared, right unique: reuse right */
    CHECK(r == b);
    CHECK_EQ(pm_float_value(r), 7.0);
    CHECK_EQ(a->ob_refcnt, 1u);
    pm_incref(a);
    pm_incref(r);
    pm_object *r2 = pm_float_binop_reuse(h, '-', a, r);   /* both shared: a new float */
    CHECK(r2 != a && r2 != r);
    CHECK_EQ(pm_float_value(r2), -3.5);
    pm_decref(h, r2);
    pm_decref(h, a);
    pm_decref(h, r);
    _pm_float_clear_freelist(h);
    pm_heap_free(h);
}

static void test_errors(void) {
    TEST_BEGIN("float errors");
    pm_heap *h = new_heap();
    pm_object *m8 = pm_float_from_double(h, -8.0), *third = pm_float_from_double(h, 1.0 / 3.0);
    CHECK(pm_float_pow(h, m8, third) == NULL);   /* complex in CPython */
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_ValueError);
    pm_err_clear(h);
    pm_object *none = h->os->none;
    CHECK(pm_float_add(h, m8, none) == NULL);
    CHECK_STREQ(h->os->exc_msg, "unsupported operand type(s) for +: 'float' and 'NoneType'");
    pm_err_clear(h);
    CHECK_EQ(pm_float_richcompare(h, m8, none, PM_CMP_GE), -1);
    CHECK_STREQ(h->os->exc_msg, "'>=' not supported between instances of 'float' and 'NoneType'");
    pm_err_clear(h);
    CHECK_EQ(pm_float_richcompare(h, none, m8, PM_CMP_NE), 1);
    CHECK_EQ(pm_float_as_double(h, m8), -8.0);
    pm_decref(h, m8);
    pm_decref(h, third);
    pm_heap_free(h);
}

int main(int argc, char **argv) {
    if (argc > 1) fixture_path = argv[1];
    test_type();
    test_freelist();
    test_hash_special();
    test_repr_special();
    test_reuse();
    test_errors();
    test_fixture();
    return check_summary();
}
