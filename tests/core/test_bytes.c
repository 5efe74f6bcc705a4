/* test_bytes.c — bytes against CPython 3.12 (recorded fixture) and the
 * model's invariants: sizes, hashes (same as str), reprs, singletons,
 * immortality, operation identities, resizing, no leaks.
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/[all].c tests/core/test_bytes.c -o build/native/test_bytes
 */
#include "check.h"
#include "fixture_strings.h"
#include "bytesobject.h"
#include "unicodeobject.h"

static pm_object *bytes_of(pm_heap *h, const char *spec) {
    size_t n;
    uint8_t *b = fx_bspec(spec, &n);
    pm_object *o = pm_bytes_from_buffer(h, b, n);
    free(b);
    if (!o) { fprintf(stderr, "bytes_of(%s) failed\n", spec); exit(2); }
    return o;
}

static void run_fixture(pm_heap *h, fx_file *fx) {
    size_t nchecked = 0;
    for (size_t li = 0; li < fx->n; li++) {
        fx_line *L = &fx->lines[li];
        const char *k0 = L->field[0], *k1 = L->nfields > 1 ? L->field[1] : "";
        const char *v = L->value;
        check_test_name = L->kase;

        if (!strcmp(k0, "basicsize") && !strcmp(k1, "bytes")) {
            CHECK_EQ((long)pm_builtin_type(h, PM_T_BYTES)->tp_basicsize, atol(v));
        } else if (!strcmp(k0, "itemsize") && !strcmp(k1, "bytes")) {
            CHECK_EQ((long)pm_builtin_type(h, PM_T_BYTES)->tp_itemsize, atol(v));
        } else if (!strcmp(k0, "size") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            CHECK_EQF((long)pm_object_getsizeof(h, b), atol(v), "%s", L->kase);
            pm_decref(h, b);
        } else if (!strcmp(k0, "hash") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            CHECK_EQF((long long)pm_object_hash(h, b), strtoll(v, NULL, 10), "%s", L->kase);
            CHECK_EQF((long long)pm_object_hash(h, b), strtoll(v, NULL, 10), "%s (cached)", L->kase);
            pm_decref(h, b);
        } else if (!strcmp(k0, "hashseed") && !strcmp(L->field[2], "bytes")) {
            pm_heap *h2 = fx_new_heap();
            CHECK_EQ(pm_hash_set_seed(h2, (uint32_t)strtoul(k1, NULL, 10)), PM_OK);
            pm_object *b = bytes_of(h2, L->field[3]);
            CHECK_EQF((long long)pm_object_hash(h2, b), strtoll(v, NULL, 10), "%s", L->kase);
            pm_decref(h2, b);
            pm_heap_free(h2);
        } else if (!strcmp(k0, "repr") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            char *r = fx_repr_of(h, b);
            CHECK_STREQ(r, v);
            free(r);
            pm_decref(h, b);
        } else if (!strcmp(k0, "reprsize") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            pm_object *r = pm_bytes_repr_object(h, b);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h, r), atol(v), "%s", L->kase);
                pm_decref(h, r);
            }
            pm_decref(h, b);
        } else if (!strcmp(k0, "slice") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            pm_object *r = pm_bytes_slice(h, b, fx_idx(L->field[3]), fx_idx(L->field[4]), fx_idx(L->field[5]));
            long size, single, self;
            const char *rep;
            fx_parse3(v, &size, &single, &self, &rep);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
                CHECK_EQF(fx_is_single_bytes(h, r), (int)single, "%s", L->kase);
                CHECK_EQF(r == b, (int)self, "%s", L->kase);
                char *txt = fx_repr_of(h, r);
                CHECK_STREQ(txt, rep);
                free(txt);
                pm_decref(h, r);
            }
            pm_decref(h, b);
        } else if (!strcmp(k0, "getitem") && !strcmp(k1, "bytes")) {
            pm_object *b = bytes_of(h, L->field[2]);
            int r = pm_bytes_getitem(h, b, strtoll(L->field[3], NULL, 10));
            if (!strncmp(v, "IndexError ", 11)) {
                CHECK_EQ(r, -1);
                CHECK(pm_err_occurred(h) == PM_EXC_IndexError);
                CHECK_STREQ(h->os->exc_msg, v + 11);
                pm_err_clear(h);
            } else {
                CHECK_EQF(r, atoi(v), "%s", L->kase);
            }
            pm_decref(h, b);
        } else if (!strcmp(k0, "repeat") && !strcmp(k1, "bytes")) {
            fx_check_repeat(h, L, bytes_of(h, L->field[2]), pm_bytes_repeat, fx_is_single_bytes);
        } else if (!strcmp(k0, "concat") && !strcmp(k1, "bytes")) {
            pm_object *a = bytes_of(h, L->field[2]);
            fx_check_concat(h, L, a, bytes_of(h, L->field[3]), pm_bytes_concat, fx_is_single_bytes);
        } else {
            continue;   /* str lines: test_unicode.c */
        }
        nchecked++;
        CHECKF(pm_err_occurred(h) == PM_EXC_NONE, "%s left an exception: %s", L->kase, h->os->exc_msg);
        pm_err_clear(h);
    }
    check_test_name = "fixture";
    CHECKF(nchecked > 700, "only %zu bytes fixture lines checked", nchecked);
    fprintf(stderr, "   %zu fixture lines checked\n", nchecked);
}

static void test_singletons(void) {
    TEST_BEGIN("singletons: b'' and one-byte bytes are shared, static and immortal");
    pm_heap *h = fx_new_heap();
    pm_object *e = pm_bytes_from_buffer(h, "", 0);
    CHECK(e == h->os->empty_bytes);
    CHECK_EQ(pm_object_getsizeof(h, e), (size_t)33);
    for (unsigned c = 0; c < 256; c++) {
        uint8_t ch = (uint8_t)c;
        pm_object *b = pm_bytes_from_buffer(h, &ch, 1);
        CHECK(b == h->os->bytes1[c]);
        CHECK(pm_is_immortal(b));
        CHECK_EQ(pm_object_getsizeof(h, b), (size_t)34);
        CHECK(pm_ptr_classify(h, b) == PM_PTR_FOREIGN);
    }
    /* allocated first, filled later: a new object (bytes_subscript's step path) */
    pm_object *fresh = pm_bytes_from_buffer(h, NULL, 1);
    CHECK(fresh != h->os->bytes1[0]);
    CHECK(!pm_is_immortal(fresh));
    pm_decref(h, fresh);
    pm_object *ab = pm_bytes_from_buffer(h, "ab", 2);
    pm_object *z = pm_bytes_repeat(h, ab, 0);
    CHECK(z != h->os->empty_bytes);                   /* b'ab' * 0 is a new empty object */
    CHECK_EQ(pm_bytes_size(h, z), 0);
    CHECK_EQ(pm_block_size(h, z), (size_t)48);        /* 33 bytes requested */
    pm_decref(h, z);
    uint64_t rc = h->os->bytes1['a']->ob_refcnt;
    for (int i = 0; i < 5; i++) pm_decref(h, h->os->bytes1['a']);
    CHECK_EQ(h->os->bytes1['a']->ob_refcnt, rc);
    pm_decref(h, ab);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)0);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_bytes_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_sizes_and_resize(void) {
    TEST_BEGIN("sizes: 33 + n requested exactly; _PyBytes_Resize");
    pm_heap *h = fx_new_heap();
    for (size_t n = 2; n < 2000; n += 37) {
        pm_object *b = pm_bytes_from_buffer(h, NULL, n);
        CHECK_EQ(pm_object_getsizeof(h, b), 33 + n);
        size_t want = 33 + n, bs = pm_block_size(h, b);
        CHECK(want > 512 ? bs == want : bs == ((want + 15) & ~(size_t)15));
        CHECK_EQ(pm_bytes_data(h, b)[n], 0);
        CHECK_EQ(_pm_bytes_resize(h, &b, n / 2 + 2), 0);
        CHECK_EQ(pm_bytes_size(h, b), (int64_t)(n / 2 + 2));
        CHECK_EQ(pm_object_getsizeof(h, b), 33 + n / 2 + 2);
        CHECK_EQ(_pm_bytes_resize(h, &b, 0), 0);
        CHECK(b == h->os->empty_bytes);
    }
    CHECK_EQ(fx_live_blocks(h), (uint64_t)0);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_bytes_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_ops(void) {
    TEST_BEGIN("operations: compare, eq, hash == str hash, UTF-8 round trip, errors");
    pm_heap *h = fx_new_heap();
    pm_object *a = pm_bytes_from_buffer(h, "abc", 3), *b = pm_bytes_from_buffer(h, "abd", 3);
    pm_object *c = pm_bytes_from_buffer(h, "ab", 2), *d = pm_bytes_from_buffer(h, "\xff", 1);
    CHECK_EQ(pm_bytes_compare(h, a, b), -1);
    CHECK_EQ(pm_bytes_compare(h, c, a), -1);
    CHECK_EQ(pm_bytes_compare(h, d, a), 1);           /* unsigned byte order */
    CHECK_EQ(pm_bytes_compare(h, a, a), 0);
    CHECK_EQ(pm_object_eq(h, a, b), 0);
    pm_object *a2 = pm_bytes_concat(h, c, h->os->bytes1['c']);
    CHECK(a2 != a);
    CHECK_EQ(pm_object_eq(h, a, a2), 1);
    pm_object *s = pm_unicode_from_string(h, "abc");
    CHECK_EQ(pm_object_hash(h, a), pm_object_hash(h, s));
    /* encode/decode round trip */
    pm_object *u = pm_unicode_from_string(h, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
    pm_object *enc = pm_unicode_encode_utf8(h, u);
    CHECK_EQ(pm_bytes_size(h, enc), 15);
    pm_object *dec = pm_unicode_from_utf8(h, pm_bytes_data(h, enc), (size_t)pm_bytes_size(h, enc));
    CHECK_EQ(pm_object_eq(h, u, dec), 1);
    CHECK(pm_bytes_getitem(h, a, 3) == -1);
    CHECK_STREQ(h->os->exc_msg, "index out of range");
    pm_err_clear(h);
    CHECK(pm_bytes_slice(h, a, 0, 3, 0) == NULL);
    pm_err_clear(h);
    CHECK(pm_bytes_repeat(h, a, INT64_MAX) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_OverflowError);
    pm_err_clear(h);
    /* the heap limit turns a huge repeat into MemoryError, heap intact */
    CHECK_EQ(pm_heap_set_limit(h, pm_heap_footprint(h) + (4u << 20)), PM_OK);
    uint64_t before = fx_live_blocks(h);
    CHECK(pm_bytes_repeat(h, a, 10 << 20) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_MemoryError);
    pm_err_clear(h);
    CHECK_EQ(fx_live_blocks(h), before);
    pm_object *objs[] = {a, b, c, d, a2, s, u, enc, dec};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)0);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_bytes_check(h), PM_OK);
    pm_heap_free(h);
}

int main(void) {
    fx_file fx = fx_load();
    TEST_BEGIN("fixture (CPython 3.12.1): bytes");
    pm_heap *h = fx_new_heap();
    run_fixture(h, &fx);
    check_test_name = "fixture leaks";
    CHECK_EQ(fx_live_blocks(h), (uint64_t)0);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_bytes_check(h), PM_OK);
    pm_heap_free(h);
    fx_free(&fx);

    test_singletons();
    test_sizes_and_resize();
    test_ops();
    return check_summary();
}
