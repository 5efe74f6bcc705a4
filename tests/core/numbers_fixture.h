/* numbers_fixture.h — runs tests/fixtures/sizes_numbers.txt (recorded from
 * CPython 3.12 by tests/record/sizes_numbers.py) against the int/bool/float
 * API. Shared by test_long.c (lines without float operands) and
 * test_float.c (lines with float operands, float repr and float()).
 *
 * For every line: the operands are built through the API, the operation
 * runs, and the result is compared with CPython's — value, type,
 * sys.getsizeof, the size class (or exact size above 512 bytes) of the
 * block the result occupies as tracemalloc saw it, identity with an
 * operand, or the exception and its message. Then the result and operands
 * are released and the number of live blocks must be what it was before
 * the line (no leaks, temporaries included); operand refcounts must be
 * unchanged. pm_heap_check runs every 256 lines and at the end.
 *
 * Include after check.h, longobject.h and floatobject.h.
 */
#ifndef PYHEAP_TESTS_NUMBERS_FIXTURE_H
#define PYHEAP_TESTS_NUMBERS_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "fixture.h"
#include <string.h>

/* Live blocks of every domain, not counting floats parked on the free list. */
static uint64_t nf_live_blocks(pm_heap *h) {
    return pm_test_live_blocks(h) - h->freelists.floats;
}

static char *nf_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf) { fclose(f); return NULL; }
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* Next space-separated token of *p (NUL-terminated in place); NULL at end. */
static char *nf_tok(char **p) {
    char *s = *p;
    while (*s == ' ') s++;
    if (!*s) return NULL;
    char *e = s;
    while (*e && *e != ' ') e++;
    if (*e) *e++ = '\0';
    *p = e;
    return s;
}

static const char *nf_exc_name(pm_exc_kind k) {
    switch (k) {
    case PM_EXC_MemoryError: return "MemoryError";
    case PM_EXC_TypeError: return "TypeError";
    case PM_EXC_ValueError: return "ValueError";
    case PM_EXC_KeyError: return "KeyError";
    case PM_EXC_IndexError: return "IndexError";
    case PM_EXC_OverflowError: return "OverflowError";
    case PM_EXC_ZeroDivisionError: return "ZeroDivisionError";
    case PM_EXC_AttributeError: return "AttributeError";
    case PM_EXC_RuntimeError: return "RuntimeError";
    case PM_EXC_RecursionError: return "RecursionError";
    case PM_EXC_NONE: return "(none)";
    default: return "(other)";
    }
}

static uint64_t nf_fnv1a64(const char *s, size_t n) {
    uint64_t x = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        x ^= (unsigned char)s[i];
        x *= 0x100000001b3ull;
    }
    return x;
}

/* hex text -> bytes (in place); "-" is the empty string */
static size_t nf_unhex(char *s) {
    if (strcmp(s, "-") == 0) { s[0] = '\0'; return 0; }
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        s[i] = (char)v;
    }
    s[n] = '\0';
    return n;
}

static pm_object *nf_operand(pm_heap *h, const char *tok) {
    if (strncmp(tok, "i:", 2) == 0) return pm_long_from_string(h, tok + 2, strlen(tok + 2), 16);
    if (strncmp(tok, "f:", 2) == 0) return pm_float_from_double(h, strtod(tok + 2, NULL));
    if (strncmp(tok, "b:", 2) == 0) return pm_bool_from_long(h, tok[2] == '1');
    return NULL;
}

static int nf_is_float(pm_heap *h, pm_object *o) { return o && pm_float_check(h, o); }

/* the expected size of the block holding a result tracemalloc saw as `alloc` bytes */
static size_t nf_block_class(size_t alloc) { return alloc <= 512 ? (alloc + 15) & ~(size_t)15 : alloc; }

/* Compares result r (new reference or NULL) with the recorded description
 * `exp` ("int ...", "float ...", "bool ...", "text ...", "raise ...").
 * blocks0: live blocks before the operation (operands alive). */
static void nf_check_result(pm_heap *h, int line, pm_object *r, char *exp, pm_object *a, pm_object *b,
                            uint64_t blocks0, const char *text) {
    char *p = exp;
    char *kind = nf_tok(&p);
    if (!kind) { CHECKF(0, "line %d: no expectation", line); return; }
    if (strcmp(kind, "raise") == 0) {
        char *exc = nf_tok(&p);
        const char *msg = p;
        CHECKF(r == NULL && text == NULL, "line %d: expected %s, got a result", line, exc);
        pm_exc_kind k = pm_err_occurred(h);
        CHECKF(strcmp(nf_exc_name(k), exc) == 0, "line %d: expected %s, got %s (%s)", line, exc, nf_exc_name(k),
               h->os->exc_msg);
        CHECKF(strcmp(h->os->exc_msg, msg) == 0, "line %d: message\n   got: %s\n  want: %s", line, h->os->exc_msg, msg);
        pm_err_clear(h);
        return;
    }
    if (r == NULL && text == NULL) {
        CHECKF(0, "line %d: unexpected %s: %s", line, nf_exc_name(pm_err_occurred(h)), h->os->exc_msg);
        pm_err_clear(h);
        return;
    }
    if (strcmp(kind, "text") == 0) {
        CHECKF(text && strcmp(text, p) == 0, "line %d: text\n   got: %.300s\n  want: %.300s", line, text ? text : "(null)", p);
        return;
    }
    if (strcmp(kind, "bool") == 0) {
        pm_object *want = strcmp(p, "True") == 0 ? h->os->true_ : h->os->false_;
        CHECKF(r == want, "line %d: expected %s", line, p);
        return;
    }
    if (strcmp(kind, "float") == 0) {
        CHECKF(pm_float_check(h, r) && PM_TYPE(r) == pm_builtin_type(h, PM_T_FLOAT), "line %d: not a float (%s)", line,
               PM_TYPE(r)->tp_name);
        if (!pm_float_check(h, r)) return;
        double want = strtod(p, NULL), got = pm_float_value(r);
        int ok = isnan(want) ? isnan(got) : memcmp(&want, &got, sizeof want) == 0;
        CHECKF(ok, "line %d: float %a (%.17g), want %a (%s)", line, got, got, want, p);
        return;
    }
    if (strcmp(kind, "int") == 0) {
        char *hx = nf_tok(&p), *sz = nf_tok(&p), *al = nf_tok(&p), *same = nf_tok(&p);
        CHECKF(PM_TYPE(r) == pm_builtin_type(h, PM_T_INT), "line %d: type %s, want int", line, PM_TYPE(r)->tp_name);
        if (!pm_long_check(h, r)) return;
        pm_strbuf sb;
        _pm_strbuf_init(&sb, h);
        CHECK(pm_long_format(h, r, 16, &sb) == 0);
        if (hx[0] == '#') {
            uint64_t want = strtoull(hx + 1, NULL, 16);
            CHECKF(nf_fnv1a64(sb.buf, sb.len) == want, "line %d: value digest differs (got %.80s...)", line, sb.buf);
        }
        else CHECKF(strcmp(sb.buf, hx) == 0, "line %d: value\n   got: %.200s\n  want: %.200s", line, sb.buf, hx);
        _pm_strbuf_free(&sb);
        CHECKF(pm_object_getsizeof(h, r) == strtoull(sz, NULL, 10), "line %d: getsizeof %zu, want %s", line,
               pm_object_getsizeof(h, r), sz);
        size_t alloc = strtoull(al, NULL, 10);
        uint64_t now = nf_live_blocks(h);
        if (alloc == 0) {
            CHECKF(now == blocks0, "line %d: no new block expected, live blocks %llu -> %llu", line,
                   (unsigned long long)blocks0, (unsigned long long)now);
        }
        else {
            CHECKF(now == blocks0 + 1, "line %d: one new block expected, live blocks %llu -> %llu", line,
                   (unsigned long long)blocks0, (unsigned long long)now);
            CHECKF(pm_block_size(h, r) == nf_block_class(alloc), "line %d: block of %zu bytes, want %zu (CPython requested %zu)",
                   line, pm_block_size(h, r), nf_block_class(alloc), alloc);
        }
        if (same[0] == 'a') CHECKF(r == a, "line %d: result should be operand a", line);
        else if (same[0] == 'b') CHECKF(r == b, "line %d: result should be operand b", line);
        else CHECKF(r != a && r != b, "line %d: result should be a new object", line);
        return;
    }
    CHECKF(0, "line %d: unknown expectation %s", line, kind);
}

static pm_object *nf_bool_result(pm_heap *h, int v) { return v < 0 ? NULL : pm_bool_from_long(h, v); }

/* Runs one "op" line. */
static pm_object *nf_apply(pm_heap *h, const char *name, pm_object *a, pm_object *b) {
    int fl = nf_is_float(h, a) || nf_is_float(h, b);
    static const struct { const char *name; pm_object *(*li)(pm_heap *, pm_object *, pm_object *);
                          pm_object *(*fl)(pm_heap *, pm_object *, pm_object *); } bins[] = {
        {"add", pm_long_add, pm_float_add}, {"sub", pm_long_sub, pm_float_sub}, {"mul", pm_long_mul, pm_float_mul},
        {"truediv", pm_long_truediv, pm_float_truediv}, {"floordiv", pm_long_floordiv, pm_float_floordiv},
        {"mod", pm_long_mod, pm_float_mod}, {"pow", pm_long_pow, pm_float_pow},
        {"and", pm_long_and, pm_long_and}, {"or", pm_long_or, pm_long_or}, {"xor", pm_long_xor, pm_long_xor},
        {"lshift", pm_long_lshift, pm_long_lshift}, {"rshift", pm_long_rshift, pm_long_rshift},
    };
    for (size_t i = 0; i < sizeof bins / sizeof bins[0]; i++)
        if (strcmp(name, bins[i].name) == 0) return (fl ? bins[i].fl : bins[i].li)(h, a, b);
    static const char *const cmps[] = {"lt", "le", "eq", "ne", "gt", "ge"};
    for (int op = 0; op < 6; op++)
        if (strcmp(name, cmps[op]) == 0)
            return nf_bool_result(h, fl ? pm_float_richcompare(h, a, b, op) : pm_long_richcompare(h, a, b, op));
    if (strcmp(name, "divmod0") == 0 || strcmp(name, "divmod1") == 0) {
        pm_object *d, *m;
        int r = fl ? pm_float_divmod(h, a, b, &d, &m) : pm_long_divmod(h, a, b, &d, &m);
        if (r < 0) return NULL;
        if (name[6] == '0') { pm_decref(h, m); return d; }
        pm_decref(h, d);
        return m;
    }
    if (strcmp(name, "neg") == 0) return fl ? pm_float_neg(h, a) : pm_long_neg(h, a);
    if (strcmp(name, "pos") == 0) return fl ? pm_float_pos(h, a) : pm_long_pos(h, a);
    if (strcmp(name, "abs") == 0) return fl ? pm_float_abs(h, a) : pm_long_abs(h, a);
    if (strcmp(name, "invert") == 0) return pm_long_invert(h, a);
    if (strcmp(name, "bool") == 0) return pm_bool_from_long(h, fl ? pm_float_bool(h, a) : pm_long_bool(h, a));
    if (strcmp(name, "float") == 0) {
        if (fl) return pm_newref(a);
        double d = pm_long_as_double(h, a);
        if (d == -1.0 && pm_err_occurred(h)) return NULL;
        return pm_float_from_double(h, d);
    }
    if (strcmp(name, "int") == 0) return pm_long_from_double(h, pm_float_value(a));
    CHECKF(0, "unknown op %s", name);
    return NULL;
}

/* Runs the fixture; want_float selects the float lines (1) or the others (0).
 * Returns the number of lines run. */
static int nf_run_fixture(pm_heap *h, const char *path, int want_float) {
    size_t len;
    char *buf = nf_read_file(path, &len);
    CHECKF(buf != NULL, "cannot read fixture %s (run from the repository root)", path);
    if (!buf) return 0;
    int line = 0, ran = 0;
    uint64_t start_blocks = nf_live_blocks(h);
    char *save = buf;
    for (char *ln = save; ln && *ln; ln = save) {
        char *nl = strchr(ln, '\n');
        if (nl) { *nl = '\0'; save = nl + 1; }
        else save = NULL;
        line++;
        char *p = ln;
        char *kind = nf_tok(&p);
        if (!kind) continue;
        int is_float_line = strcmp(kind, "repr") == 0 || strcmp(kind, "fparse") == 0;
        if (strcmp(kind, "pow3") == 0) is_float_line = 0;
        if (strcmp(kind, "op") == 0 || strcmp(kind, "size") == 0 || strcmp(kind, "hash") == 0) {
            /* the operand tokens decide: "op name a b = ...", "size a n", "hash a n" */
            const char *q = p;
            for (int k = 0; k < 3 && *q; k++) {
                while (*q == ' ') q++;
                if (q[0] == 'f' && q[1] == ':') is_float_line = 1;
                if (q[0] == '=' && q[1] == ' ') break;
                q += strcspn(q, " ");
            }
        }
        if (is_float_line != want_float) continue;
        ran++;
        uint64_t blocks_line = nf_live_blocks(h);

        if (strcmp(kind, "size") == 0) {
            char *o = nf_tok(&p), *n = nf_tok(&p);
            pm_object *x = nf_operand(h, o);
            CHECKF(x && pm_object_getsizeof(h, x) == strtoull(n, NULL, 10), "line %d: getsizeof(%.60s) = %zu, want %s", line,
                   o, x ? pm_object_getsizeof(h, x) : 0, n);
            pm_xdecref(h, x);
        }
        else if (strcmp(kind, "parse") == 0) {
            int base = atoi(nf_tok(&p));
            char *bytes = nf_tok(&p);
            nf_tok(&p);   /* = */
            size_t n = nf_unhex(bytes);
            uint64_t b0 = nf_live_blocks(h);
            pm_object *r = pm_long_from_string(h, bytes, n, base);
            nf_check_result(h, line, r, p, NULL, NULL, b0, NULL);
            pm_xdecref(h, r);
        }
        else if (strcmp(kind, "str") == 0) {
            pm_object *x = nf_operand(h, nf_tok(&p));
            nf_tok(&p);
            pm_strbuf sb;
            _pm_strbuf_init(&sb, h);
            int rc = pm_long_to_decimal(h, x, &sb);
            nf_check_result(h, line, NULL, p, NULL, NULL, 0, rc == 0 ? (sb.buf ? sb.buf : "") : NULL);
            _pm_strbuf_free(&sb);
            pm_decref(h, x);
        }
        else if (strcmp(kind, "format") == 0) {
            int base = atoi(nf_tok(&p));
            pm_object *x = nf_operand(h, nf_tok(&p));
            char *want = nf_tok(&p);
            pm_strbuf sb;
            _pm_strbuf_init(&sb, h);
            CHECK(pm_long_format(h, x, base, &sb) == 0);
            CHECKF(sb.buf && strcmp(sb.buf, want) == 0, "line %d: format %d got %s want %s", line, base, sb.buf, want);
            _pm_strbuf_free(&sb);
            pm_decref(h, x);
        }
        else if (strcmp(kind, "hash") == 0) {
            pm_object *x = nf_operand(h, nf_tok(&p));
            long long want = strtoll(nf_tok(&p), NULL, 10);
            int64_t got = pm_object_hash(h, x);
            CHECKF(got == want, "line %d: hash %lld, want %lld", line, (long long)got, want);
            CHECK(got == (nf_is_float(h, x) ? pm_float_hash(h, x) : pm_long_hash(h, x)));
            pm_decref(h, x);
        }
        else if (strcmp(kind, "repr") == 0) {
            double v = strtod(nf_tok(&p), NULL);
            pm_object *x = pm_float_from_double(h, v);
            pm_strbuf sb;
            _pm_strbuf_init(&sb, h);
            CHECK(pm_object_repr(h, x, &sb) == 0);
            CHECKF(sb.buf && strcmp(sb.buf, p) == 0, "line %d: repr(%a) = %s, want %s", line, v, sb.buf, p);
            _pm_strbuf_free(&sb);
            pm_decref(h, x);
        }
        else if (strcmp(kind, "fparse") == 0) {
            char *bytes = nf_tok(&p);
            nf_tok(&p);
            size_t n = nf_unhex(bytes);
            pm_object *r = pm_float_from_string(h, bytes, n);
            nf_check_result(h, line, r, p, NULL, NULL, 0, NULL);
            pm_xdecref(h, r);
        }
        else if (strcmp(kind, "op") == 0) {
            char *name = nf_tok(&p), *ta = nf_tok(&p), *tb = nf_tok(&p);
            nf_tok(&p);   /* = */
            pm_object *a = nf_operand(h, ta);
            pm_object *b = strcmp(tb, "-") == 0 ? NULL : nf_operand(h, tb);
            uint64_t rca = a->ob_refcnt, rcb = b ? b->ob_refcnt : 0;
            uint64_t b0 = nf_live_blocks(h);
            pm_object *r = nf_apply(h, name, a, b);
            nf_check_result(h, line, r, p, a, b, b0, NULL);
            pm_xdecref(h, r);
            CHECKF(a->ob_refcnt == rca && (!b || b->ob_refcnt == rcb), "line %d: operand refcount changed", line);
            pm_decref(h, a);
            pm_xdecref(h, b);
        }
        else if (strcmp(kind, "pow3") == 0) {
            char *ta = nf_tok(&p), *tb = nf_tok(&p), *tm = nf_tok(&p);
            nf_tok(&p);   /* = */
            pm_object *a = nf_operand(h, ta), *b = nf_operand(h, tb), *m = nf_operand(h, tm);
            uint64_t b0 = nf_live_blocks(h);
            pm_object *r = pm_long_pow3(h, a, b, m);
            nf_check_result(h, line, r, p, a, b, b0, NULL);
            pm_xdecref(h, r);
            pm_decref(h, a);
            pm_decref(h, b);
            pm_decref(h, m);
        }
        else CHECKF(0, "line %d: unknown kind %s", line, kind);

        if (pm_err_occurred(h)) {
            CHECKF(0, "line %d: exception left pending: %s", line, h->os->exc_msg);
            pm_err_clear(h);
        }
        uint64_t after = nf_live_blocks(h);
        CHECKF(after == blocks_line, "line %d: leak: live blocks %llu -> %llu", line, (unsigned long long)blocks_line,
               (unsigned long long)after);
        if ((ran & 255) == 0) CHECKF(pm_heap_check(h) == PM_OK, "line %d: heap check: %s", line, pm_heap_error(h));
    }
    CHECK_EQ(nf_live_blocks(h), start_blocks);
    CHECKF(pm_heap_check(h) == PM_OK, "heap check: %s", pm_heap_error(h));
    free(buf);
    return ran;
}

#endif /* PYHEAP_TESTS_NUMBERS_FIXTURE_H */
