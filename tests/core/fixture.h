/* fixture.h — what the native test files share:
 *
 *   - reading a fixture recorded from CPython 3.12 by a tests/record/ script:
 *     lines "<case> <value...>", blank lines and lines starting with '#'
 *     skipped, looked up under tests/fixtures/ from the repository root
 *     (or the path in an environment variable);
 *   - counting live blocks (pymalloc blocks in use + raw domain blocks) for
 *     leak checks.
 * Include from one .c file, after the standard headers. */
#ifndef PYHEAP_TESTS_FIXTURE_H
#define PYHEAP_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm.h"

typedef struct kv_fixture {
    char *text;
    char **keys, **values;
    size_t n;
} kv_fixture;

/* Loads tests/fixtures/<name>; 0, or -1 with a message on stderr. */
static inline int kv_fixture_load(kv_fixture *fx, const char *name, const char *envvar) {
    char p0[512], p1[512], p2[512];
    const char *env = envvar ? getenv(envvar) : NULL;
    snprintf(p0, sizeof p0, "tests/fixtures/%s", name);
    snprintf(p1, sizeof p1, "../fixtures/%s", name);
    snprintf(p2, sizeof p2, "../../tests/fixtures/%s", name);
    const char *paths[] = { env ? env : p0, p1, p2 };
    FILE *f = NULL;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0] && !f; i++) f = fopen(paths[i], "rb");
    if (!f) {
        fprintf(stderr, "cannot open tests/fixtures/%s (run from the repo root%s%s)\n", name,
                envvar ? " or set " : "", envvar ? envvar : "");
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    fx->text = malloc((size_t)len + 1);
    size_t got = fread(fx->text, 1, (size_t)len, f);
    fclose(f);
    fx->text[got] = '\0';
    size_t cap = 1;
    for (size_t i = 0; i < got; i++) cap += fx->text[i] == '\n';
    fx->keys = calloc(cap, sizeof *fx->keys);
    fx->values = calloc(cap, sizeof *fx->values);
    fx->n = 0;
    for (char *line = fx->text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char *sp = strchr(line, ' ');
        if (*line && *line != '#' && sp) {
            *sp = '\0';
            fx->keys[fx->n] = line;
            fx->values[fx->n] = sp + 1;
            fx->n++;
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

static inline void kv_fixture_free(kv_fixture *fx) {
    free(fx->text);
    free(fx->keys);
    free(fx->values);
}

/* Allocated blocks of the heap, pymalloc and raw domain. */
static inline uint64_t pm_test_live_blocks(const pm_heap *h) {
    pm_heap_stats s;
    pm_heap_stats_get(h, &s);
    uint64_t n = s.raw_blocks;
    for (int i = 0; i < PM_NB_SMALL_SIZE_CLASSES; i++) n += s.classes[i].blocks_in_use;
    return n;
}

#endif
