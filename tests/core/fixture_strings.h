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

#endif /* PYHEAP_TESTS_FIXTURE_STRINGS_H */
