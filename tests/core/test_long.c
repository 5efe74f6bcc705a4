/* test_long.c — native tests of int and bool (core/src/longobject.c).
 *
 * Expected values come from CPython 3.12, never from the implementation:
 *   - tests/fixtures/sizes_numbers.txt, recorded by
 *     tests/record/sizes_numbers.py (values, sys.getsizeof, the bytes
 *     tracemalloc sees each result allocate, identity of results, exception
 *     types and messages, hashes, int(str), str(int), bin/oct/hex);
 *   - facts of CPython 3.12 stated next to each check below (small-int
 *     cache -5..256, immortal refcount 0xFFFFFFFF, int.__basicsize__ 24,
 *     int.__itemsize__ 4, sizeof(PyLongObject) 32, ...).
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/<all .c files> tests/core/test_long.c -o build/native/test_long
 * Run: build/native/test_long [fixture-path]
 */
#include "pm.h"
#include "check.h"
#include "longobject.h"
#include "floatobject.h"
#include "numbers_fixture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fixture_path = "tests/fixtures/sizes_numbers.txt";

static pm_heap *new_heap(size_t limit) {
    pm_heap_config cfg = {0};
    cfg.limit = limit;
    pm_heap *h = pm_heap_new(&cfg);
    if (!h) {
        fprintf(stderr, "cannot create a heap\n");
        exit(2);
    }
    return h;
}

static pm_object *from_str(pm_heap *h, const char *s) { return pm_long_from_string(h, s, strlen(s), 10); }

/* str(o) into a static buffer (tests only) */
static const char *dec(pm_heap *h, pm_object *o) {
    static char out[8192];
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_long_to_decimal(h, o, &sb) < 0) snprintf(out, sizeof out, "<error %s>", h->os->exc_msg);
    else snprintf(out, sizeof out, "%s", sb.buf);
    _pm_strbuf_free(&sb);
    return out;
}

/* ---- the fixture ----------------------------------------------------------------------------- */

static void test_fixture(void) {
    TEST_BEGIN("fixture: int/bool cases recorded from CPython 3.12");
    pm_heap *h = new_heap(0);
    int n = nf_run_fixture(h, fixture_path, 0);
    CHECKF(n > 5000, "only %d int lines ran", n);
    fprintf(stderr, "   %d fixture lines\n", n);
    pm_heap_free(h);
}

/* ---- types ------------------------------------------------------------------------------------ */

static void test_types(void) {
    TEST_BEGIN("int and bool type objects");
    pm_heap *h = new_heap(0);
    pm_type *ti = pm_builtin_type(h, PM_T_INT), *tb = pm_builtin_type(h, PM_T_BOOL);
    CHECK_EQ(ti->tp_basicsize, 24u);   /* int.__basicsize__ */
    CHECK_EQ(ti->tp_itemsize, 4u);     /* int.__itemsize__ */
    CHECK_EQ(tb->tp_basicsize, 24u);
    CHECK_EQ(tb->tp_itemsize, 4u);
    CHECK(tb->tp_base == ti);          /* bool subclasses int */
    CHECK(!pm_type_is_gc(ti));
    CHECK(!pm_type_is_gc(tb));
    CHECK_STREQ(ti->tp_name, "int");
    CHECK_STREQ(tb->tp_name, "bool");
    CHECK(pm_is_immortal((pm_object *)ti));
    CHECK(pm_long_check(h, h->os->true_));
    CHECK(!pm_long_check_exact(h, h->os->true_));
    CHECK(pm_long_check_exact(h, pm_long_small(h, 3)));
    pm_heap_free(h);
}

/* ---- small ints and singletons ------------------------------------------------------------------ */

static void test_small_ints(void) {
    TEST_BEGIN("small ints -5..256 are immortal singletons");
    pm_heap *h = new_heap(0);
    uint64_t blocks = nf_live_blocks(h);
    for (int v = -5; v <= 256; v++) {
        pm_object *s = pm_long_small(h, v);
        CHECK(s != NULL);
        CHECK_EQ((uint32_t)s->ob_refcnt, 0xFFFFFFFFu);
        pm_object *a = pm_long_from_int64(h, v), *b = pm_long_from_uint64(h, (uint64_t)(v < 0 ? 0 : v));
        CHECK(a == s);
        if (v >= 0) CHECK(b == s);
        char buf[16];
        snprintf(buf, sizeof buf, "%d", v);
        pm_object *c = from_str(h, buf);
        CHECK(c == s);
        /* incref/decref leave the immortal count alone */
        pm_incref(s);
        pm_incref(s);
        pm_decref(h, s);
        CHECK_EQ((uint32_t)s->ob_refcnt, 0xFFFFFFFFu);
        pm_decref(h, a);
        pm_decref(h, b);
        pm_decref(h, c);
        CHECK_EQ((uint32_t)s->ob_refcnt, 0xFFFFFFFFu);
        CHECK_EQ(pm_object_getsizeof(h, s), 28u);
    }
    CHECK(pm_long_small(h, -6) == NULL);
    CHECK(pm_long_small(h, 257) == NULL);
    CHECK_EQ(nf_live_blocks(h), blocks);   /* none of that allocated */

    /* 257 and -6 are new objects every time: `257 is int("257")` is False */
    pm_object *x = pm_long_from_int64(h, 257), *y = from_str(h, "257");
    CHECK(x != y);
    CHECK_EQ(x->ob_refcnt, 1u);
    CHECK_EQ(nf_live_blocks(h), blocks + 2);
    CHECK_EQ(pm_block_size(h, x), 32u);    /* _PyLong_FromMedium: sizeof(PyLongObject) */
    CHECK_EQ(pm_long_compare(h, x, y), 0);
    CHECK_EQ(pm_object_eq(h, x, y), 1);
    pm_decref(h, x);
    pm_decref(h, y);
    x = pm_long_from_int64(h, -6);
    y = pm_long_from_int64(h, -6);
    CHECK(x != y);
    pm_decref(h, x);
    pm_decref(h, y);

    /* arithmetic landing in -5..256 returns the cached object */
    x = pm_long_from_int64(h, 1000);
    y = pm_long_from_int64(h, 999);
    pm_object *d = pm_long_sub(h, x, y);
    CHECK(d == pm_long_small(h, 1));
    pm_object *big = from_str(h, "1000000000000000000000");
    pm_object *big2 = from_str(h, "999999999999999999744");
    pm_object *d2 = pm_long_sub(h, big, big2);   /* x_sub: maybe_small_long */
    CHECK(d2 == pm_long_small(h, 256));
    pm_decref(h, d2);
    pm_decref(h, big);
    pm_decref(h, big2);
    pm_decref(h, d);
    pm_decref(h, x);
    pm_decref(h, y);
    CHECK_EQ(nf_live_blocks(h), blocks);

    TEST_BEGIN("True and False");
    pm_object *t = h->os->true_, *f = h->os->false_;
    CHECK_EQ((uint32_t)t->ob_refcnt, 0xFFFFFFFFu);
    CHECK_EQ((uint32_t)f->ob_refcnt, 0xFFFFFFFFu);
    CHECK_EQ(pm_object_getsizeof(h, t), 28u);   /* sys.getsizeof(True) */
    CHECK_EQ(pm_object_getsizeof(h, f), 28u);   /* one digit counted for zero */
    CHECK(pm_bool_from_long(h, 5) == t);
    CHECK(pm_bool_from_long(h, 0) == f);
    CHECK_STREQ(dec(h, t), "True");
    CHECK_STREQ(dec(h, f), "False");
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    CHECK(pm_object_repr(h, t, &sb) == 0);
    CHECK_STREQ(sb.buf, "True");
    _pm_strbuf_free(&sb);
    CHECK_EQ(pm_object_hash(h, t), 1);
    CHECK_EQ(pm_object_hash(h, f), 0);
    CHECK_EQ(pm_object_eq(h, t, pm_long_small(h, 1)), 1);   /* True == 1 */
    CHECK_EQ(pm_object_eq(h, f, pm_long_small(h, 0)), 1);
    CHECK_EQ(pm_object_eq(h, t, pm_long_small(h, 2)), 0);
    pm_heap_free(h);
}

/* ---- conversions ------------------------------------------------------------------------------------ */

static void test_conversions(void) {
    TEST_BEGIN("int64 / uint64 / double conversions");
    pm_heap *h = new_heap(0);
    const int64_t vals[] = {0, 1, -1, 1000, -1000, 1073741823, 1073741824, -1073741824, INT64_MAX, INT64_MIN,
                            INT64_MIN + 1, (int64_t)1 << 60, -((int64_t)1 << 60)};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        pm_object *o = pm_long_from_int64(h, vals[i]);
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)vals[i]);
        CHECK_STREQ(dec(h, o), buf);
        CHECK_EQ(pm_long_as_int64(h, o), vals[i]);
        CHECK_EQ(pm_long_as_ssize_t(h, o), vals[i]);
        pm_decref(h, o);
    }
    pm_object *m = pm_long_from_uint64(h, UINT64_MAX);
    CHECK_STREQ(dec(h, m), "18446744073709551615");
    CHECK_EQ(pm_object_getsizeof(h, m), 36u);   /* 64 bits -> 3 digits */
    CHECK_EQ(pm_long_as_int64(h, m), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_OverflowError);
    CHECK_STREQ(h->os->exc_msg, "Python int too large to convert to C long");
    pm_err_clear(h);
    CHECK_EQ(pm_long_as_ssize_t(h, m), -1);
    CHECK_STREQ(h->os->exc_msg, "Python int too large to convert to C ssize_t");
    pm_err_clear(h);
    pm_decref(h, m);

    /* PyLong_FromUnsignedLongLong has no "medium" path: 1000 gets a
     * 28-byte request (same 32-byte class as the 32-byte medium request) */
    m = pm_long_from_uint64(h, 1000);
    CHECK_EQ(pm_block_size(h, m), 32u);
    CHECK_EQ(pm_object_getsizeof(h, m), 28u);
    pm_decref(h, m);

    /* int(float) truncates; errors as CPython */
    pm_object *o = pm_long_from_double(h, -2.75);
    CHECK(o == pm_long_small(h, -2));
    o = pm_long_from_double(h, 1e20);
    CHECK_STREQ(dec(h, o), "100000000000000000000");
    CHECK_EQ(pm_block_size(h, o), 48u);   /* _PyLong_New(3): 36 bytes */
    CHECK_EQ(pm_long_as_double(h, o), 1e20);
    pm_decref(h, o);
    CHECK(pm_long_from_double(h, 1.0 / 0.0) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_OverflowError);
    CHECK_STREQ(h->os->exc_msg, "cannot convert float infinity to integer");
    pm_err_clear(h);
    CHECK(pm_long_from_double(h, nan("")) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_ValueError);
    CHECK_STREQ(h->os->exc_msg, "cannot convert float NaN to integer");
    pm_err_clear(h);

    /* bit_length */
    o = from_str(h, "1267650600228229401496703205376");   /* 2**100 */
    CHECK_EQ(pm_long_bit_length(h, o), 101u);
    pm_decref(h, o);
    CHECK_EQ(pm_long_bit_length(h, pm_long_small(h, 0)), 0u);
    CHECK_EQ(pm_long_bit_length(h, pm_long_small(h, -5)), 3u);

    /* wrong types are refused, not misread */
    pm_object *fl = pm_float_from_double(h, 1.5);
    CHECK_EQ(pm_long_as_int64(h, fl), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    pm_decref(h, fl);
    pm_heap_free(h);
}

/* ---- allocation sizes of results (reference §2.11) --------------------------------------------------- */

static void test_alloc_sizes(void) {
    TEST_BEGIN("x_add over-allocates one digit: 2**40 + 1 occupies 36 bytes, getsizeof 32");
    pm_heap *h = new_heap(0);
    uint64_t blocks = nf_live_blocks(h);
    pm_object *a = from_str(h, "1099511627776");   /* 2**40 */
    pm_object *one = pm_long_small(h, 1);
    pm_object *r = pm_long_add(h, a, one);
    CHECK_STREQ(dec(h, r), "1099511627777");
    CHECK_EQ(pm_object_getsizeof(h, r), 32u);
    CHECK_EQ(pm_block_size(h, r), 48u);            /* 36-byte request -> 48-byte class */
    CHECK_EQ(pm_long_digit_count(r), 2);
    pm_decref(h, r);
    pm_decref(h, a);

    /* int("100000000000000000000"): 3 digits, 36 bytes (reference §2.11) */
    r = from_str(h, "100000000000000000000");
    CHECK_EQ(pm_object_getsizeof(h, r), 36u);
    CHECK_EQ(pm_block_size(h, r), 48u);
    pm_decref(h, r);

    /* above 512 bytes the raw block has exactly the requested size. 2**29999
     * has 1000 digits (getsizeof 4024), but its last step is z * 2 in x_mul,
     * which allocates 1000 + 1 digits: tracemalloc on 3.12.1 shows 4028. */
    pm_object *two = pm_long_small(h, 2), *e = pm_long_from_int64(h, 29999);
    r = pm_long_pow(h, two, e);
    CHECK_EQ(pm_long_digit_count(r), 1000);
    CHECK_EQ(pm_object_getsizeof(h, r), 4024u);
    CHECK_EQ(pm_block_size(h, r), 4028u);
    pm_decref(h, r);
    pm_decref(h, e);
    CHECK_EQ(nf_live_blocks(h), blocks);
    pm_heap_free(h);
}

/* ---- errors, limits, MemoryError -------------------------------------------------------------------- */

static void test_errors(void) {
    TEST_BEGIN("type errors, shift errors, MemoryError at the heap limit");
    pm_heap *h = new_heap(0);
    pm_object *one = pm_long_small(h, 1), *none = h->os->none;
    CHECK(pm_long_add(h, one, none) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    CHECK_STREQ(h->os->exc_msg, "unsupported operand type(s) for +: 'int' and 'NoneType'");
    pm_err_clear(h);
    CHECK(pm_long_pow(h, none, one) == NULL);
    CHECK_STREQ(h->os->exc_msg, "unsupported operand type(s) for ** or pow(): 'NoneType' and 'int'");
    pm_err_clear(h);
    pm_object *d, *m;
    CHECK_EQ(pm_long_divmod(h, one, none, &d, &m), -1);
    CHECK_STREQ(h->os->exc_msg, "unsupported operand type(s) for divmod(): 'int' and 'NoneType'");
    pm_err_clear(h);
    pm_object *fl = pm_float_from_double(h, 2.0);
    CHECK(pm_long_and(h, one, fl) == NULL);
    CHECK_STREQ(h->os->exc_msg, "unsupported operand type(s) for &: 'int' and 'float'");
    pm_err_clear(h);
    CHECK(pm_long_invert(h, fl) == NULL);
    CHECK_STREQ(h->os->exc_msg, "bad operand type for unary ~: 'float'");
    pm_err_clear(h);
    pm_decref(h, fl);
    CHECK_EQ(pm_long_richcompare(h, one, none, PM_CMP_LT), -1);
    CHECK_STREQ(h->os->exc_msg, "'<' not supported between instances of 'int' and 'NoneType'");
    pm_err_clear(h);
    CHECK_EQ(pm_long_richcompare(h, one, none, PM_CMP_EQ), 0);   /* == falls back to identity */
    CHECK_EQ(pm_long_richcompare(h, one, none, PM_CMP_NE), 1);

    /* 1 << 2**40 asks for ~146 GB: MemoryError, heap intact */
    pm_object *sh = from_str(h, "1099511627776");
    uint64_t blocks = nf_live_blocks(h);
    CHECK(pm_long_lshift(h, one, sh) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_MemoryError);
    pm_err_clear(h);
    CHECK_EQ(nf_live_blocks(h), blocks);
    pm_decref(h, sh);
    pm_heap_free(h);

    /* a heap limit turns a big computation into MemoryError, with every
     * temporary released */
    h = new_heap(8u << 20);
    blocks = nf_live_blocks(h);
    pm_object *ten = pm_long_small(h, 10), *e = pm_long_from_int64(h, 20000000);
    pm_object *r = pm_long_pow(h, ten, e);
    CHECK(r == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_MemoryError);
    pm_err_clear(h);
    pm_decref(h, e);
    CHECK_EQ(nf_live_blocks(h), blocks);
    CHECKF(pm_heap_check(h) == PM_OK, "%s", pm_heap_error(h));
    /* and the heap still works afterwards */
    e = pm_long_from_int64(h, 1000);
    r = pm_long_pow(h, ten, e);
    CHECK(r != NULL && pm_long_digit_count(r) == 111);
    pm_xdecref(h, r);
    pm_decref(h, e);
    CHECK_EQ(nf_live_blocks(h), blocks);
    pm_heap_free(h);
}

/* ---- str() scratch and big multiplications --------------------------------------------------------- */

static void test_decimal_scratch(void) {
    TEST_BEGIN("str(int) converts in a scratch int of 1 + n + n/99 digits");
    pm_heap *h = new_heap(0);
    pm_object *x = from_str(h, "123456789012345678901234567890");   /* 4 digits */
    pm_object *scratch = NULL;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    uint64_t blocks = nf_live_blocks(h);
    CHECK_EQ(_pm_long_to_decimal_scratch(h, x, &sb, &scratch), 0);
    CHECK_STREQ(sb.buf, "123456789012345678901234567890");
    CHECK(scratch != NULL);
    CHECK_EQ(nf_live_blocks(h), blocks + 1);
    CHECK_EQ(pm_block_size(h, scratch), 48u);     /* 5 digits: 44 bytes */
    pm_decref(h, scratch);
    _pm_strbuf_free(&sb);
    CHECK_EQ(nf_live_blocks(h), blocks);
    pm_decref(h, x);

    /* repr through the type slot */
    x = from_str(h, "-98765432109876543210");
    _pm_strbuf_init(&sb, h);
    CHECK(pm_object_repr(h, x, &sb) == 0);
    CHECK_STREQ(sb.buf, "-98765432109876543210");
    _pm_strbuf_free(&sb);
    pm_decref(h, x);

    /* zero and negatives */
    CHECK_STREQ(dec(h, pm_long_small(h, 0)), "0");
    x = from_str(h, "-1000000000");
    CHECK_STREQ(dec(h, x), "-1000000000");
    pm_decref(h, x);
    pm_heap_free(h);
}


/* ---- every allocation-failure point of big operations ------------------------------------------ */

/* Operands big enough that the operation needs several page-source
 * requests (dedicated raw segments for blocks of 256 KiB and more, new
 * shared segments and arenas otherwise). */
typedef struct fail_case {
    const char *name;
    pm_object *(*run)(pm_heap *h, pm_object *a, pm_object *b);
} fail_case;

static pm_object *run_mul(pm_heap *h, pm_object *a, pm_object *b) { return pm_long_mul(h, a, b); }
static pm_object *run_square(pm_heap *h, pm_object *a, pm_object *b) { (void)b; return pm_long_mul(h, a, a); }
static pm_object *run_div(pm_heap *h, pm_object *a, pm_object *b) { return pm_long_floordiv(h, a, b); }
static pm_object *run_mod(pm_heap *h, pm_object *a, pm_object *b) { return pm_long_mod(h, a, b); }
static pm_object *run_truediv(pm_heap *h, pm_object *a, pm_object *b) {
    /* a / (b << 104990): a quotient near 2**10, computed through x_divrem */
    pm_object *s = pm_long_from_int64(h, 104990);
    if (!s) return NULL;
    pm_object *t = pm_long_lshift(h, b, s);
    pm_decref(h, s);
    if (!t) return NULL;
    pm_object *r = pm_long_truediv(h, a, t);
    pm_decref(h, t);
    if (r) CHECK(pm_float_value(r) > 100.0 && pm_float_value(r) < 10000.0);
    return r;
}
static pm_object *run_xor(pm_heap *h, pm_object *a, pm_object *b) {
    pm_object *na = pm_long_neg(h, a);
    if (!na) return NULL;
    pm_object *r = pm_long_xor(h, na, b);
    pm_decref(h, na);
    return r;
}
static pm_object *run_pow(pm_heap *h, pm_object *a, pm_object *b) {
    (void)a; (void)b;
    pm_object *e = pm_long_from_int64(h, 60000);
    if (!e) return NULL;
    pm_object *r = pm_long_pow(h, pm_long_small(h, 3), e);
    pm_decref(h, e);
    return r;
}
static pm_object *run_str(pm_heap *h, pm_object *a, pm_object *b) {
    (void)b;
    /* a % 10**4000, then str() of it and back */
    pm_object *e = pm_long_from_int64(h, 4000), *ten = pm_long_small(h, 10);
    if (!e) return NULL;
    pm_object *m = pm_long_pow(h, ten, e);
    pm_decref(h, e);
    if (!m) return NULL;
    pm_object *x = pm_long_mod(h, a, m);
    pm_decref(h, m);
    if (!x) return NULL;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    int rc = pm_long_to_decimal(h, x, &sb);
    pm_object *r = NULL;
    if (rc == 0) r = pm_long_from_string(h, sb.buf, sb.len, 10);   /* and back */
    _pm_strbuf_free(&sb);
    if (r) CHECK_EQ(pm_long_compare(h, r, x), 0);
    pm_decref(h, x);
    return r;
}

static void test_alloc_failures(void) {
    TEST_BEGIN("MemoryError at successive points of big operations: no leaks, heap consistent");
    static const fail_case cases[] = {
        {"mul", run_mul}, {"square", run_square}, {"floordiv", run_div}, {"mod", run_mod},
        {"truediv", run_truediv}, {"xor", run_xor}, {"pow", run_pow}, {"str", run_str},
    };
    enum { FILL = 4096, MAXFILL = 4096 };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int failures = 0, done = 0;
        /* The heap may not grow (limit == footprint), and its free raw
         * memory is taken by 4 KiB fillers; releasing k of them before the
         * operation lets it get a little further each round, until it
         * completes. Every failure must leave no block behind. */
        for (int k = 0; k < MAXFILL && !done; k++) {
            pm_heap *h = new_heap(0);
            pm_object *one = pm_long_small(h, 1);
            pm_object *sa = pm_long_from_int64(h, 180000), *sb = pm_long_from_int64(h, 75000);
            pm_object *pa = pm_long_lshift(h, one, sa), *pb = pm_long_lshift(h, one, sb);
            pm_object *k1 = pm_long_from_string(h, "123456789123456789123456789", 27, 10);
            pm_object *a = pm_long_floordiv(h, pa, k1), *b = pm_long_floordiv(h, pb, k1);   /* 6000 and 2500 digits */
            pm_object *objs[] = {sa, sb, pa, pb, k1};
            for (size_t j = 0; j < 5; j++) pm_decref(h, objs[j]);
            uint64_t blocks = nf_live_blocks(h);

            CHECK(pm_heap_set_limit(h, pm_heap_footprint(h)) == PM_OK);
            void *fill[MAXFILL];
            int nfill = 0;
            while (nfill < MAXFILL && (fill[nfill] = pm_malloc(h, PM_DOMAIN_RAW, FILL)) != NULL) nfill++;
            for (int j = 0; j < k && nfill > 0; j++) pm_free(h, PM_DOMAIN_RAW, fill[--nfill]);

            pm_object *r = cases[c].run(h, a, b);
            if (!r) {
                failures++;
                CHECKF(pm_err_occurred(h) == PM_EXC_MemoryError, "%s, round %d: %s", cases[c].name, k, h->os->exc_msg);
                pm_err_clear(h);
            }
            else done = 1;
            pm_xdecref(h, r);
            while (nfill > 0) pm_free(h, PM_DOMAIN_RAW, fill[--nfill]);
            CHECKF(nf_live_blocks(h) == blocks, "%s, round %d: live blocks %llu -> %llu", cases[c].name, k,
                   (unsigned long long)blocks, (unsigned long long)nf_live_blocks(h));
            CHECKF(pm_heap_check(h) == PM_OK, "%s, round %d: %s", cases[c].name, k, pm_heap_error(h));
            pm_decref(h, a);
            pm_decref(h, b);
            _pm_float_clear_freelist(h);
            pm_heap_free(h);
        }
        fprintf(stderr, "   %-8s failed at %d points before completing\n", cases[c].name, failures);
        CHECKF(done, "%s never completed", cases[c].name);
        CHECKF(failures > 0, "%s: no allocation failure was reached", cases[c].name);
    }
}

int main(int argc, char **argv) {
    if (argc > 1) fixture_path = argv[1];
    test_types();
    test_small_ints();
    test_conversions();
    test_alloc_sizes();
    test_errors();
    test_decimal_scratch();
    test_alloc_failures();
    test_fixture();
    return check_summary();
}
