/* test_unicode.c — str against CPython 3.12 (recorded fixture) and the
 * model's own invariants: sizes of every kind, hashes, reprs, singletons,
 * immortality, interning, the in-place append, UTF-8 caching, no leaks.
 *
 * Build (from the repository root):
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
 *     -fno-sanitize-recover=all -fno-omit-frame-pointer -Icore/include -Icore/src \
 *     core/src/[all].c tests/core/test_unicode.c -o build/native/test_unicode
 */
#include "check.h"
#include "fixture_strings.h"
#include "unicodeobject.h"
#include "bytesobject.h"

static pm_object *str_of(pm_heap *h, const char *spec) {
    size_t n;
    uint32_t *cps = fx_spec(spec, &n, NULL);
    pm_object *s = pm_unicode_from_ucs4(h, cps, n);
    free(cps);
    if (!s) { fprintf(stderr, "str_of(%s) failed: %s\n", spec, h->os->exc_msg); exit(2); }
    return s;
}

static int is_single_str(pm_heap *h, pm_object *r) {
    int64_t n = pm_unicode_length(h, r);
    if (n == 0) return r == h->os->empty_str;
    return n == 1 && pm_unicode_read_char(h, r, 0) < 256 && r == h->os->latin1[pm_unicode_read_char(h, r, 0)];
}

/* ---- Fixture-driven checks ------------------------------------------------------ */

static void run_fixture(pm_heap *h, fx_file *fx) {
    size_t nchecked = 0;
    for (size_t li = 0; li < fx->n; li++) {
        fx_line *L = &fx->lines[li];
        const char *k0 = L->field[0], *k1 = L->nfields > 1 ? L->field[1] : "";
        const char *v = L->value;
        check_test_name = L->kase;

        if (!strcmp(k0, "basicsize") && !strcmp(k1, "str")) {
            CHECK_EQ((long)pm_builtin_type(h, PM_T_STR)->tp_basicsize, atol(v));
        } else if (!strcmp(k0, "itemsize") && !strcmp(k1, "str")) {
            CHECK_EQ((long)pm_builtin_type(h, PM_T_STR)->tp_itemsize, atol(v));
        } else if (!strcmp(k0, "refcnt")) {
            if (!strcmp(k1, "latin1")) {
                CHECK_EQ((unsigned long long)(uint32_t)h->os->latin1['a']->ob_refcnt, strtoull(v, NULL, 10));
            } else if (!strcmp(k1, "fresh_plus_arg")) {
                pm_object *s = str_of(h, "61x1_62x1_63x1_64x1_31x1");
                CHECK_EQ((unsigned long long)s->ob_refcnt + 1, strtoull(v, NULL, 10));
                pm_decref(h, s);
            } else if (!strcmp(k1, "interned")) {
                pm_object *s = str_of(h, "61x1_62x1_63x1_64x1_31x1");
                pm_unicode_intern(h, &s);
                CHECK_EQ((unsigned long long)(uint32_t)s->ob_refcnt, strtoull(v, NULL, 10));
            }
        } else if (!strcmp(k0, "size") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            CHECK_EQF((long)pm_object_getsizeof(h, s), atol(v), "%s", L->kase);
            pm_decref(h, s);
        } else if (!strcmp(k0, "size") && !strcmp(k1, "str_utf8")) {
            pm_object *s = str_of(h, L->field[2]);
            size_t n = 0;
            CHECK(pm_unicode_as_utf8_and_size(h, s, &n) != NULL);
            CHECK_EQF((long)pm_object_getsizeof(h, s), atol(v), "%s", L->kase);
            pm_decref(h, s);
        } else if (!strcmp(k0, "size") && !strcmp(k1, "str_encode")) {
            pm_object *s = str_of(h, L->field[2]);
            pm_object *b = pm_unicode_encode_utf8(h, s);
            CHECK(b != NULL);
            pm_xdecref(h, b);
            CHECK_EQF((long)pm_object_getsizeof(h, s), atol(v), "%s", L->kase);
            pm_decref(h, s);
        } else if (!strcmp(k0, "encode")) {
            pm_object *s = str_of(h, k1);
            pm_object *b = pm_unicode_encode_utf8(h, s);
            long size, single, dummy;
            fx_parse3(v, &size, &single, &dummy, NULL);
            CHECK(b != NULL);
            if (b) {
                CHECK_EQF((long)pm_object_getsizeof(h, b), size, "%s", L->kase);
                CHECK_EQF(fx_is_single_bytes(h, b), (int)single, "%s", L->kase);
                pm_decref(h, b);
            }
            pm_decref(h, s);
        } else if (!strcmp(k0, "utf8cached")) {
            for (unsigned c = 0; c < 256; c++)
                CHECK_EQF(pm_unicode_has_utf8_cache(h, h->os->latin1[c]), fx_in_hexlist(v, c), "U+%02x", c);
        } else if (!strcmp(k0, "hash") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            CHECK_EQF((long long)pm_object_hash(h, s), strtoll(v, NULL, 10), "%s", L->kase);
            pm_decref(h, s);
        } else if (!strcmp(k0, "hashseed") && !strcmp(L->field[2], "str")) {
            pm_heap *h2 = fx_new_heap();
            CHECK_EQ(pm_hash_set_seed(h2, (uint32_t)strtoul(k1, NULL, 10)), PM_OK);
            pm_object *s = str_of(h2, L->field[3]);
            CHECK_EQF((long long)pm_object_hash(h2, s), strtoll(v, NULL, 10), "%s", L->kase);
            pm_decref(h2, s);
            pm_heap_free(h2);
        } else if (!strcmp(k0, "repr") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            char *r = fx_repr_of(h, s);
            CHECK_STREQ(r, v);
            free(r);
            pm_decref(h, s);
        } else if (!strcmp(k0, "reprsize") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            pm_object *r = pm_unicode_repr_object(h, s);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h, r), atol(v), "%s", L->kase);
                /* the object and the strbuf form agree */
                size_t n;
                const char *u8 = pm_unicode_as_utf8_and_size(h, r, &n);
                char *txt = fx_repr_of(h, s);
                CHECK(u8 && strlen(txt) == n && memcmp(txt, u8, n) == 0);
                free(txt);
                pm_decref(h, r);
            }
            pm_decref(h, s);
        } else if (!strcmp(k0, "intern") && !strcmp(k1, "distinct")) {
            for (unsigned c = 0; c < 256; c++) {
                pm_object *p = h->os->latin1[c];
                pm_unicode_intern(h, &p);
                CHECK_EQF(p != h->os->latin1[c], fx_in_hexlist(v, c), "sys.intern(chr(0x%x))", c);
                CHECK(pm_is_immortal(p) && pm_unicode_is_interned(h, p));
                CHECK_EQ(pm_unicode_length(h, p), 1);
                CHECK_EQ(pm_unicode_read_char(h, p, 0), c);
                CHECK_EQ(pm_object_getsizeof(h, p), (uint64_t)(pm_object_getsizeof(h, h->os->latin1[c])));
                /* an equal fresh string interns to the same object */
                uint32_t cp = c;
                pm_object *q = pm_unicode_from_ucs4(h, &cp, 1);
                pm_unicode_intern(h, &q);
                CHECK(q == p);
            }
        } else if (!strcmp(k0, "intern") && !strcmp(k1, "empty_is_singleton")) {
            pm_object *p = pm_unicode_from_ucs4(h, NULL, 0);
            pm_unicode_intern(h, &p);
            CHECK_EQ((long)(p == h->os->empty_str), atol(v));
        } else if (!strcmp(k0, "literal_immortal")) {
            /* what the interpreter does with a literal: decode, intern if identifier-like */
            size_t n;
            uint32_t *cps = fx_spec(k1, &n, NULL);
            pm_object *s = pm_unicode_from_ucs4(h, cps, n);
            free(cps);
            pm_strbuf sb;
            _pm_strbuf_init(&sb, h);
            CHECK_EQ(pm_unicode_write_utf8(h, s, &sb), 0);
            pm_object *lit = pm_unicode_from_utf8(h, sb.buf, sb.len);
            _pm_strbuf_free(&sb);
            pm_decref(h, s);
            if (pm_unicode_all_name_chars(h, lit)) pm_unicode_intern(h, &lit);
            CHECK_EQF(pm_is_immortal(lit), atoi(v), "%s", L->kase);
            pm_decref(h, lit);
        } else if (!strcmp(k0, "slice") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            pm_object *r = pm_unicode_slice(h, s, fx_idx(L->field[3]), fx_idx(L->field[4]), fx_idx(L->field[5]));
            long size, single, self;
            const char *rep;
            fx_parse3(v, &size, &single, &self, &rep);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
                CHECK_EQF(is_single_str(h, r), (int)single, "%s", L->kase);
                CHECK_EQF(r == s, (int)self, "%s", L->kase);
                char *txt = fx_repr_of(h, r);
                CHECK_STREQ(txt, rep);
                free(txt);
                pm_decref(h, r);
            }
            pm_decref(h, s);
        } else if (!strcmp(k0, "getitem") && !strcmp(k1, "str")) {
            pm_object *s = str_of(h, L->field[2]);
            pm_object *r = pm_unicode_getitem(h, s, strtoll(L->field[3], NULL, 10));
            if (!strncmp(v, "IndexError ", 11)) {
                CHECK(r == NULL);
                CHECK(pm_err_occurred(h) == PM_EXC_IndexError);
                CHECK_STREQ(h->os->exc_msg, v + 11);
                pm_err_clear(h);
            } else {
                long size, single, dummy;
                const char *rep;
                char *e;
                size = strtol(v, &e, 10);
                single = strtol(e, &e, 10);
                rep = e + 1;
                (void)dummy;
                CHECK(r != NULL);
                if (r) {
                    CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
                    CHECK_EQF(is_single_str(h, r), (int)single, "%s", L->kase);
                    char *txt = fx_repr_of(h, r);
                    CHECK_STREQ(txt, rep);
                    free(txt);
                    pm_decref(h, r);
                }
            }
            pm_decref(h, s);
        } else if (!strcmp(k0, "repeat") && !strcmp(k1, "str")) {
            fx_check_repeat(h, L, str_of(h, L->field[2]), pm_unicode_repeat, is_single_str);
        } else if (!strcmp(k0, "concat") && !strcmp(k1, "str")) {
            pm_object *a = str_of(h, L->field[2]);
            fx_check_concat(h, L, a, str_of(h, L->field[3]), pm_unicode_concat, is_single_str);
        } else if (!strcmp(k0, "join") && !strcmp(k1, "str")) {
            pm_object *sep = str_of(h, L->field[2]);
            pm_object *items[16];
            size_t n = 0;
            const char *p = L->field[3];
            if (strcmp(p, "-") != 0) {
                for (;;) {
                    size_t m;
                    const char *end;
                    uint32_t *cps = fx_spec(p, &m, &end);
                    items[n++] = pm_unicode_from_ucs4(h, cps, m);
                    free(cps);
                    if (*end != ',') break;
                    p = end + 1;
                }
            }
            pm_object *r = pm_unicode_join(h, sep, items, n);
            long size, single, is0;
            fx_parse3(v, &size, &single, &is0, NULL);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
                CHECK_EQF(is_single_str(h, r), (int)single, "%s", L->kase);
                CHECK_EQF(n > 0 && r == items[0], (int)is0, "%s", L->kase);
                pm_decref(h, r);
            }
            for (size_t i = 0; i < n; i++) pm_decref(h, items[i]);
            pm_decref(h, sep);
        } else if (!strcmp(k0, "decode")) {
            /* a fresh heap per case: the size class depends on allocator state only through realloc */
            pm_heap *h2 = fx_new_heap();
            size_t n;
            uint8_t *bytes = fx_bspec(k1, &n);
            pm_object *r = pm_unicode_from_utf8(h2, (const char *)bytes, n);
            long size, single, blk;
            fx_parse3(v, &size, &single, &blk, NULL);
            CHECK(r != NULL);
            if (r) {
                CHECK_EQF((long)pm_object_getsizeof(h2, r), size, "%s", L->kase);
                CHECK_EQF(is_single_str(h2, r), (int)single, "%s", L->kase);
                if (blk) CHECK_EQF((long)pm_block_size(h2, r), blk, "%s: size class of the block", L->kase);
                pm_decref(h2, r);
            }
            CHECK_EQ(fx_live_blocks(h2), (uint64_t)(0));
            CHECK_EQ(pm_heap_check(h2), PM_OK);
            CHECK_EQ(_pm_unicode_check(h2), PM_OK);
            free(bytes);
            pm_heap_free(h2);
        } else if (!strcmp(k0, "decode_error")) {
            size_t n;
            uint8_t *bytes = fx_bspec(k1, &n);
            uint64_t before = fx_live_blocks(h);
            pm_object *r = pm_unicode_from_utf8(h, (const char *)bytes, n);
            CHECK(r == NULL);
            CHECK(pm_err_occurred(h) == PM_EXC_UnicodeDecodeError);
            CHECK_STREQ(h->os->exc_msg, v);
            CHECK_EQ(fx_live_blocks(h), (uint64_t)(before));
            pm_err_clear(h);
            free(bytes);
        } else if (!strcmp(k0, "encode_error")) {
            pm_object *s = str_of(h, k1);
            pm_object *r = pm_unicode_encode_utf8(h, s);
            CHECK(r == NULL);
            CHECK_STREQ(h->os->exc_msg, v);
            pm_err_clear(h);
            CHECK(pm_unicode_as_utf8_and_size(h, s, NULL) == NULL);
            CHECK_STREQ(h->os->exc_msg, v);
            pm_err_clear(h);
            pm_strbuf sb;
            _pm_strbuf_init(&sb, h);
            CHECK_EQ(pm_unicode_write_utf8(h, s, &sb), -1);
            _pm_strbuf_free(&sb);
            pm_err_clear(h);
            CHECK_EQ(pm_unicode_has_utf8_cache(h, s), 0);
            pm_decref(h, s);
        } else {
            continue;   /* bytes lines: test_bytes.c */
        }
        nchecked++;
        CHECKF(pm_err_occurred(h) == PM_EXC_NONE, "%s left an exception: %s", L->kase, h->os->exc_msg);
        pm_err_clear(h);
    }
    check_test_name = "fixture";
    CHECKF(nchecked > 2000, "only %zu str fixture lines checked", nchecked);
    fprintf(stderr, "   %zu fixture lines checked\n", nchecked);
}

/* ---- Unit tests ---------------------------------------------------------------------- */

static void test_layout_sizes(void) {
    TEST_BEGIN("layout: compact sizes by kind, exact requests");
    pm_heap *h = fx_new_heap();
    static const uint32_t chars[] = {'a', 0xe9, 0x20ac, 0x1f600};
    static const size_t header[] = {40, 56, 56, 56}, kind[] = {1, 1, 2, 4};
    for (int c = 0; c < 4; c++) {
        for (size_t n = 2; n < 300; n += 7) {
            uint32_t *cps = malloc(n * sizeof *cps);
            for (size_t i = 0; i < n; i++) cps[i] = chars[c];
            pm_object *s = pm_unicode_from_ucs4(h, cps, n);
            size_t expect = header[c] + (n + 1) * kind[c];
            CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(expect));
            CHECK_EQ(pm_unicode_kind(h, s), (int)kind[c]);
            /* the block holds exactly the request (pymalloc rounds to 16; raw keeps the size) */
            size_t bs = pm_block_size(h, s);
            CHECK(bs >= expect && (expect > 512 ? bs == expect : bs == ((expect + 15) & ~(size_t)15)));
            free(cps);
            pm_decref(h, s);
        }
    }
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_singletons(void) {
    TEST_BEGIN("singletons: '' and one-character latin-1 strs are shared and immortal");
    pm_heap *h = fx_new_heap();
    pm_object *a = pm_unicode_from_string(h, "a");
    CHECK(a == h->os->latin1['a']);
    CHECK(pm_is_immortal(a));
    pm_object *abc = pm_unicode_from_string(h, "abc");
    pm_object *s01 = pm_unicode_slice(h, abc, 0, 1, PM_SLICE_NONE);
    CHECK(s01 == a);                                   /* 'abc'[0:1] is 'a' (the singleton) */
    pm_object *g0 = pm_unicode_getitem(h, abc, 0);
    CHECK(g0 == a);
    pm_object *st = pm_unicode_slice(h, abc, PM_SLICE_NONE, PM_SLICE_NONE, 5);
    CHECK(st != a && pm_unicode_eq(h, st, a));          /* 'abc'[::5] is a new object, as in CPython */
    pm_object *e = pm_unicode_slice(h, abc, 2, 1, PM_SLICE_NONE);
    CHECK(e == h->os->empty_str);
    pm_object *eacute = pm_unicode_from_string(h, "\xc3\xa9");
    CHECK(eacute == h->os->latin1[0xe9]);
    CHECK_EQ(pm_object_getsizeof(h, eacute), (uint64_t)(61));
    pm_object *euro = pm_unicode_from_string(h, "\xe2\x82\xac");
    CHECK(!pm_is_immortal(euro));
    /* incref/decref leave immortals alone */
    uint64_t rc = a->ob_refcnt;
    for (int i = 0; i < 10; i++) pm_incref(a);
    for (int i = 0; i < 20; i++) pm_decref(h, a);
    CHECK_EQ(a->ob_refcnt, (uint64_t)(rc));
    CHECK_EQ((uint32_t)rc, PM_IMMORTAL_REFCNT);
    /* singletons are not in the arenas */
    CHECK(pm_ptr_classify(h, a) == PM_PTR_FOREIGN);
    pm_object *objs[] = {abc, s01, g0, st, e, eacute, euro};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_interning(void) {
    TEST_BEGIN("interning: canonical object, immortal, duplicates released");
    pm_heap *h = fx_new_heap();
    uint64_t base = fx_live_blocks(h);
    pm_object *s = pm_unicode_from_string(h, "hello_world");
    CHECK_EQ(s->ob_refcnt, (uint64_t)(1));
    CHECK(!pm_unicode_is_interned(h, s));
    pm_object *keep = s;
    pm_unicode_intern(h, &s);
    CHECK(s == keep);
    CHECK(pm_is_immortal(s));
    CHECK(pm_unicode_is_interned(h, s));
    pm_object *t = pm_unicode_from_string(h, "hello_world");
    CHECK(t != s);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(base + 2));
    pm_unicode_intern(h, &t);
    CHECK(t == s);                                     /* the duplicate was released */
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(base + 1));
    pm_decref(h, s);                                   /* no-op on an immortal */
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(base + 1));
    /* many interned strings: the table grows; every one stays findable */
    size_t count0 = pm_unicode_interned_count(h);
    char buf[32];
    pm_object *first[500];
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof buf, "name_%d", i);
        first[i] = pm_unicode_intern_from_string(h, buf);
    }
    CHECK_EQ(pm_unicode_interned_count(h), count0 + 500);
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof buf, "name_%d", i);
        pm_object *again = pm_unicode_intern_from_string(h, buf);
        CHECK(again == first[i]);
    }
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(base + 501));
    /* 'a' interns to the static identifier, not the latin-1 singleton; '-' to the singleton */
    pm_object *a = h->os->latin1['a'], *dash = h->os->latin1['-'];
    pm_unicode_intern(h, &a);
    pm_unicode_intern(h, &dash);
    CHECK(a != h->os->latin1['a']);
    CHECK(dash == h->os->latin1['-']);
    /* non-ASCII interned */
    pm_object *u = pm_unicode_from_string(h, "caf\xc3\xa9\xe2\x82\xac");
    pm_unicode_intern(h, &u);
    CHECK(pm_is_immortal(u));
    /* the hash seed cannot change after hashing */
    CHECK_EQ(pm_hash_set_seed(h, 5), PM_EBUSY);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_append(void) {
    TEST_BEGIN("PyUnicode_Append: in place when modifiable, else a new object");
    pm_heap *h = fx_new_heap();
    pm_object *s = pm_unicode_from_string(h, "abc");
    pm_object *d = pm_unicode_from_string(h, "de");
    pm_object *old = s;
    CHECK_EQ(pm_unicode_append(h, &s, d), 0);
    CHECK(s == old);                                   /* 44 -> 46 bytes: same 48-byte block */
    CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(46));
    /* refcount 2: not modifiable */
    pm_incref(s);
    pm_object *other = s;
    CHECK_EQ(pm_unicode_append(h, &s, d), 0);
    CHECK(s != other);
    CHECK_EQ(other->ob_refcnt, (uint64_t)(1));
    pm_decref(h, other);
    /* hashed: not modifiable */
    pm_unicode_hash(h, s);
    old = s;
    CHECK_EQ(pm_unicode_append(h, &s, d), 0);
    CHECK(s != old);
    /* ASCII += latin-1: new object, latin-1 kind */
    pm_object *e = pm_unicode_from_string(h, "\xc3\xa9x");
    old = s;
    CHECK_EQ(pm_unicode_append(h, &s, e), 0);
    CHECK(s != old);
    CHECK_EQ(pm_unicode_kind(h, s), 1);
    CHECK(!pm_unicode_is_ascii(h, s));
    /* latin-1 += ASCII in place, with growth across size classes */
    for (int i = 0; i < 100; i++) CHECK_EQ(pm_unicode_append(h, &s, d), 0);
    CHECK_EQ(pm_unicode_length(h, s), 9 + 2 + 200);
    CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(56 + 212));
    /* '' += x gives x */
    pm_object *em = pm_newref(h->os->empty_str);
    CHECK_EQ(pm_unicode_append(h, &em, d), 0);
    CHECK(em == d);
    pm_decref(h, em);
    /* a cached UTF-8 copy is dropped by the in-place resize */
    pm_object *c = pm_unicode_from_string(h, "\xc3\xa9\xc3\xa9");
    CHECK(pm_unicode_as_utf8_and_size(h, c, NULL) != NULL);
    CHECK(pm_unicode_has_utf8_cache(h, c));
    uint64_t blocks = fx_live_blocks(h);
    CHECK_EQ(pm_unicode_append(h, &c, h->os->latin1[0xe9]), 0);
    CHECK(!pm_unicode_has_utf8_cache(h, c));
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(blocks - 1));
    pm_decref(h, c);
    pm_decref(h, s);
    pm_decref(h, d);
    pm_decref(h, e);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_utf8_cache(void) {
    TEST_BEGIN("UTF-8 cache: created only by as_utf8_and_size, freed with the str");
    pm_heap *h = fx_new_heap();
    pm_object *s = pm_unicode_from_string(h, "\xe2\x82\xac\xe2\x82\xac");
    CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(62));
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    CHECK_EQ(pm_unicode_write_utf8(h, s, &sb), 0);
    CHECK_EQ(sb.len, (uint64_t)(6));
    CHECK(memcmp(sb.buf, "\xe2\x82\xac\xe2\x82\xac", 6) == 0);
    _pm_strbuf_free(&sb);
    CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(62));           /* host-side export does not cache */
    size_t n = 0;
    const char *u8 = pm_unicode_as_utf8_and_size(h, s, &n);
    CHECK(u8 && n == 6 && memcmp(u8, "\xe2\x82\xac\xe2\x82\xac", 7) == 0);
    CHECK_EQ(pm_object_getsizeof(h, s), (uint64_t)(69));
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(2));
    CHECK(pm_unicode_as_utf8_and_size(h, s, NULL) == u8);   /* cached */
    pm_decref(h, s);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    /* a long str: the encoder's transient bytes writer is released */
    uint32_t *cps = malloc(1000 * sizeof *cps);
    for (int i = 0; i < 1000; i++) cps[i] = 0xe9;
    s = pm_unicode_from_ucs4(h, cps, 1000);
    free(cps);
    CHECK(pm_unicode_as_utf8_and_size(h, s, &n) != NULL);
    CHECK_EQ(n, (uint64_t)(2000));
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(2));
    pm_object *b = pm_unicode_encode_utf8(h, s);           /* from the cache */
    CHECK_EQ(pm_object_getsizeof(h, b), (uint64_t)(33 + 2000));
    pm_decref(h, b);
    pm_decref(h, s);
    /* ASCII: the data itself, no allocation */
    s = pm_unicode_from_string(h, "plain");
    CHECK(pm_unicode_as_utf8_and_size(h, s, &n) == (const char *)PM_UNICODE_DATA(s));
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(1));
    pm_decref(h, s);
    /* long non-ASCII encode without a cache: writer bytes resized to the result */
    cps = malloc(400 * sizeof *cps);
    for (int i = 0; i < 400; i++) cps[i] = i % 2 ? 0x20ac : 'a';
    s = pm_unicode_from_ucs4(h, cps, 400);
    free(cps);
    b = pm_unicode_encode_utf8(h, s);
    CHECK_EQ(pm_bytes_size(h, b), 200 + 600);
    CHECK_EQ(pm_block_size(h, b), (uint64_t)(33 + 800));
    pm_decref(h, b);
    pm_decref(h, s);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_errors_and_limits(void) {
    TEST_BEGIN("errors: invalid code points, step 0, MemoryError at the heap limit");
    pm_heap *h = fx_new_heap();
    uint32_t bad[] = {'a', 0x110000};
    CHECK(pm_unicode_from_ucs4(h, bad, 2) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_ValueError);
    pm_err_clear(h);
    CHECK(pm_unicode_from_ordinal(h, 0x110000) == NULL);
    pm_err_clear(h);
    pm_object *s = pm_unicode_from_string(h, "abc");
    CHECK(pm_unicode_slice(h, s, 0, 3, 0) == NULL);
    CHECK_STREQ(h->os->exc_msg, "slice step cannot be zero");
    pm_err_clear(h);
    CHECK(pm_unicode_repeat(h, s, INT64_MAX) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_OverflowError);
    pm_err_clear(h);
    /* heap limit: a 64 MiB str does not fit a 8 MiB heap */
    CHECK_EQ(pm_heap_set_limit(h, pm_heap_footprint(h) + (8u << 20)), PM_OK);
    uint64_t before = fx_live_blocks(h);
    pm_object *big = pm_unicode_repeat(h, s, 22 << 20);
    CHECK(big == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_MemoryError);
    pm_err_clear(h);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(before));
    pm_object *mid = pm_unicode_repeat(h, s, 1 << 20);     /* 3 MiB fits */
    CHECK(mid != NULL);
    pm_object *acc = pm_newref(mid);
    int rc = 0;
    for (int i = 0; i < 10 && rc == 0; i++) rc = pm_unicode_append(h, &acc, mid);
    CHECK_EQ(rc, -1);                                      /* grows until the limit */
    CHECK(acc == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_MemoryError);
    pm_err_clear(h);
    pm_decref(h, mid);
    pm_decref(h, s);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
}

static void test_compare_and_protocol(void) {
    TEST_BEGIN("compare, eq, generic protocol, str()");
    pm_heap *h = fx_new_heap();
    pm_object *a = pm_unicode_from_string(h, "abc");
    pm_object *b = pm_unicode_from_string(h, "abd");
    pm_object *c = pm_unicode_from_string(h, "ab\xe2\x82\xac");   /* 'ab€' > 'abd' */
    pm_object *d = pm_unicode_from_string(h, "ab");
    pm_object *a2 = pm_unicode_from_string(h, "abc");
    CHECK_EQ(pm_unicode_compare(h, a, b), -1);
    CHECK_EQ(pm_unicode_compare(h, c, b), 1);
    CHECK_EQ(pm_unicode_compare(h, d, a), -1);
    CHECK_EQ(pm_unicode_compare(h, a, a2), 0);
    CHECK_EQ(pm_object_eq(h, a, a2), 1);
    CHECK_EQ(pm_object_eq(h, a, b), 0);
    CHECK_EQ(pm_object_hash(h, a), pm_object_hash(h, a2));
    pm_object *bytes = pm_bytes_from_buffer(h, "abc", 3);
    CHECK_EQ(pm_object_eq(h, a, bytes), 0);               /* 'abc' != b'abc' */
    CHECK_EQ(pm_object_hash(h, a), pm_object_hash(h, bytes));
    pm_object *s = pm_unicode_str(h, a);
    CHECK(s == a);
    CHECK_EQ(a->ob_refcnt, (uint64_t)(2));
    pm_decref(h, s);
    CHECK_EQ(pm_object_sizeof(h, a), (uint64_t)(44));
    pm_object *objs[] = {a, b, c, d, a2, bytes};
    for (size_t i = 0; i < 6; i++) pm_decref(h, objs[i]);
    CHECK_EQ(fx_live_blocks(h), (uint64_t)(0));
    pm_heap_free(h);
}

static void test_two_heaps(void) {
    TEST_BEGIN("two heaps are independent");
    pm_heap *h1 = fx_new_heap(), *h2 = fx_new_heap();
    CHECK(h1->os->latin1['a'] != h2->os->latin1['a']);
    pm_object *x = pm_unicode_intern_from_string(h1, "shared_name");
    CHECK_EQ(pm_unicode_interned_count(h2) + 1, pm_unicode_interned_count(h1));
    pm_object *y = pm_unicode_intern_from_string(h2, "shared_name");
    CHECK(x != y);
    CHECK_EQ(pm_hash_set_seed(h2, 1), PM_EBUSY);
    pm_heap *h3 = fx_new_heap();
    CHECK_EQ(pm_hash_set_seed(h3, 1), PM_OK);
    CHECK_EQ(pm_hash_seed(h3), (uint64_t)(1));
    pm_object *z = pm_unicode_intern_from_string(h3, "a");    /* the table was rebuilt for the new key */
    CHECK(z != h3->os->latin1['a']);
    CHECK(pm_unicode_is_interned(h3, z));
    pm_heap_free(h1);
    pm_heap_free(h2);
    pm_heap_free(h3);
}

int main(void) {
    fx_file fx = fx_load();
    TEST_BEGIN("fixture (CPython 3.12.1): str");
    pm_heap *h = fx_new_heap();
    uint64_t base = fx_live_blocks(h);
    run_fixture(h, &fx);
    check_test_name = "fixture leaks";
    /* only interned strings (immortal) may remain */
    uint64_t after = fx_live_blocks(h);
    CHECKF(after - base <= 8, "%llu blocks left after the fixture run", (unsigned long long)(after - base));
    CHECK_EQ(pm_heap_check(h), PM_OK);
    CHECK_EQ(_pm_unicode_check(h), PM_OK);
    pm_heap_free(h);
    fx_free(&fx);

    test_layout_sizes();
    test_singletons();
    test_interning();
    test_append();
    test_utf8_cache();
    test_errors_and_limits();
    test_compare_and_protocol();
    test_two_heaps();
    return check_summary();
}
