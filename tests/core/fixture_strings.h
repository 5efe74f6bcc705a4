/* fixture_strings.h — reads tests/fixtures/sizes_strings.txt (recorded from
 * CPython 3.12 by tests/record/sizes_strings.py) for test_unicode.c and
 * test_bytes.c. Header-only; include after check.h from one .c file.
 *
 * A line is `case value`; the case is split on '.' into fields, and object
 * fields are specs: 'empty' or runs HEX 'x' COUNT joined by '_' (see the
 * record script). */
#ifndef PYHEAP_TESTS_FIXTURE_STRINGS_H
#define PYHEAP_TESTS_FIXTURE_STRINGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm.h"
#include "fixture.h"

#define FX_MAXFIELDS 8

typedef struct fx_line {
    char *kase;                     /* the whole case */
    char *value;                    /* the rest of the line after the first space */
    char *field[FX_MAXFIELDS];      /* the case split on '.' */
    int nfields;
} fx_line;

typedef struct fx_file {
    fx_line *lines;
    size_t n;
    char *text;
} fx_file;

static inline const char *fx_path(void) {
    const char *p = getenv("PYHEAP_STRINGS_FIXTURE");
    return p ? p : "tests/fixtures/sizes_strings.txt";
}

/* Loads the fixture; exits with a message when it is missing. */
static inline fx_file fx_load(void) {
    fx_file f = {0};
    FILE *fp = fopen(fx_path(), "rb");
    if (!fp) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", fx_path());
        exit(2);
    }
    fseek(fp, 0, SEEK_END);
    long sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f.text = malloc((size_t)sz + 1);
    if (fread(f.text, 1, (size_t)sz, fp) != (size_t)sz) { fprintf(stderr, "short read\n"); exit(2); }
    f.text[sz] = '\0';
    fclose(fp);
    size_t cap = 0;
    for (char *line = f.text; line && *line; ) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (*line && *line != '#') {
            if (f.n == cap) {
                cap = cap ? 2 * cap : 1024;
                f.lines = realloc(f.lines, cap * sizeof *f.lines);
            }
            fx_line *L = &f.lines[f.n++];
            memset(L, 0, sizeof *L);
            char *sp = strchr(line, ' ');
            L->value = sp ? sp + 1 : line + strlen(line);
            if (sp) *sp = '\0';
            L->kase = strdup(line);
            char *c = line;
            L->field[L->nfields++] = c;
            for (; *c; c++) {
                if (*c == '.' && L->nfields < FX_MAXFIELDS) {
                    *c = '\0';
                    L->field[L->nfields++] = c + 1;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return f;
}

static inline void fx_free(fx_file *f) {
    for (size_t i = 0; i < f->n; i++) free(f->lines[i].kase);
    free(f->lines);
    free(f->text);
}

/* Parses a spec up to the end of s or a ',' ; returns a malloc'ed array of
 * code points (never NULL) and its length in *n; *end gets the stop. */
static inline uint32_t *fx_spec(const char *s, size_t *n, const char **end) {
    size_t cap = 16, len = 0;
    uint32_t *v = malloc(cap * sizeof *v);
    if (strncmp(s, "empty", 5) == 0) {
        s += 5;
    } else {
        while (*s && *s != ',') {
            /* hex digits by hand: strtoul would read "0x1" as 0x1 */
            unsigned long cp = 0;
            const char *h = s;
            for (;; h++) {
                int d = *h >= '0' && *h <= '9' ? *h - '0' : *h >= 'a' && *h <= 'f' ? *h - 'a' + 10 : -1;
                if (d < 0) break;
                cp = cp * 16 + (unsigned long)d;
            }
            char *e = (char *)h;
            if (h == s || *e != 'x') { fprintf(stderr, "bad spec at '%s'\n", s); exit(2); }
            unsigned long count = strtoul(e + 1, &e, 10);
            while (len + count > cap) { cap *= 2; v = realloc(v, cap * sizeof *v); }
            for (unsigned long i = 0; i < count; i++) v[len++] = (uint32_t)cp;
            s = e;
            if (*s == '_') s++;
        }
    }
    if (end) *end = s;
    *n = len;
    return v;
}

/* Spec to bytes (values < 256). */
static inline uint8_t *fx_bspec(const char *s, size_t *n) {
    uint32_t *v = fx_spec(s, n, NULL);
    uint8_t *b = malloc(*n + 1);
    for (size_t i = 0; i < *n; i++) b[i] = (uint8_t)v[i];
    free(v);
    return b;
}

/* A slice index: 'n' is None. */
static inline int64_t fx_idx(const char *s) {
    return strcmp(s, "n") == 0 ? INT64_MIN : strtoll(s, NULL, 10);
}

/* Is hex value v in a comma-separated hex list? */
static inline int fx_in_hexlist(const char *list, unsigned v) {
    const char *p = list;
    while (*p) {
        char *e;
        unsigned long x = strtoul(p, &e, 16);
        if (e == p) break;
        if (x == v) return 1;
        p = *e == ',' ? e + 1 : e;
    }
    return 0;
}

/* Live blocks of the model heap: pymalloc blocks in use + raw domain blocks. */
static inline uint64_t fx_live_blocks(const pm_heap *h) { return pm_test_live_blocks(h); }

/* ---- Helpers shared by test_bytes.c and test_unicode.c ---------------------------- */
/* They use check.h's macros, which the including file has pulled in before. */
#include "bytesobject.h"

static inline pm_heap *fx_new_heap(void) {
    pm_heap *h = pm_heap_new(NULL);
    if (!h) { fprintf(stderr, "pm_heap_new failed\n"); exit(2); }
    return h;
}

/* repr(o) as a malloc'd C string */
static inline char *fx_repr_of(pm_heap *h, pm_object *o) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_object_repr(h, o, &sb) < 0) { _pm_strbuf_free(&sb); return strdup("<repr failed>"); }
    char *r = strdup(sb.buf ? sb.buf : "");
    _pm_strbuf_free(&sb);
    return r;
}

/* Is r the shared empty or one-byte bytes object? */
static inline int fx_is_single_bytes(pm_heap *h, pm_object *r) {
    int64_t n = pm_bytes_size(h, r);
    if (n == 0) return r == h->os->empty_bytes;
    return n == 1 && r == h->os->bytes1[(uint8_t)pm_bytes_data(h, r)[0]];
}

/* "<size> <single> <flag> <rest>" */
static inline void fx_parse3(const char *v, long *a, long *b, long *c, const char **rest) {
    char *e;
    *a = strtol(v, &e, 10);
    *b = strtol(e, &e, 10);
    *c = strtol(e, &e, 10);
    if (rest) *rest = *e == ' ' ? e + 1 : e;
}

typedef int (*fx_single_fn)(pm_heap *h, pm_object *r);

/* A `repeat.<kind>.<spec>.<n> size single self` line: r = s * n (s is consumed). */
static inline void fx_check_repeat(pm_heap *h, const fx_line *L, pm_object *s,
                                   pm_object *(*repeat)(pm_heap *, pm_object *, int64_t),
                                   fx_single_fn is_single) {
    pm_object *r = repeat(h, s, strtoll(L->field[3], NULL, 10));
    long size, single, self;
    fx_parse3(L->value, &size, &single, &self, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
        CHECK_EQF(is_single(h, r), (int)single, "%s", L->kase);
        CHECK_EQF(r == s, (int)self, "%s", L->kase);
        pm_decref(h, r);
    }
    pm_decref(h, s);
}

/* A `concat.<kind>.<a>.<b> size single is_a is_b` line: r = a + b (a and b are consumed).
 * a and b may be the same singleton object: identity is compared as CPython's `is`. */
static inline void fx_check_concat(pm_heap *h, const fx_line *L, pm_object *a, pm_object *b,
                                   pm_object *(*concat)(pm_heap *, pm_object *, pm_object *),
                                   fx_single_fn is_single) {
    pm_object *r = concat(h, a, b);
    long size, single, isa, isb;
    const char *rest;
    fx_parse3(L->value, &size, &single, &isa, &rest);
    isb = atol(rest);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQF((long)pm_object_getsizeof(h, r), size, "%s", L->kase);
        CHECK_EQF(is_single(h, r), (int)single, "%s", L->kase);
        CHECK_EQF(r == a, (int)isa, "%s", L->kase);
        CHECK_EQF(r == b, (int)isb, "%s", L->kase);
        pm_decref(h, r);
    }
    pm_decref(h, a);
    pm_decref(h, b);
}

#endif /* PYHEAP_TESTS_FIXTURE_STRINGS_H */
