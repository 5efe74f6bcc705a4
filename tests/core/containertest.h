/* containertest.h — helpers shared by test_dict.c and test_set.c (include
 * after check.h, from one .c file):
 *
 *   - the CPython-recorded fixture tests/fixtures/sizes_containers.txt
 *     (lines "<case> <value...>", written by tests/record/sizes_containers.py);
 *   - int keys (longobject.c);
 *   - str keys (unicodeobject.c);
 *   - "tracer" objects that log their id when deallocated;
 *   - live-block counting for leak checks.
 */
#ifndef PYHEAP_TESTS_CONTAINERTEST_H
#define PYHEAP_TESTS_CONTAINERTEST_H

#include "object.h"
#include "dictobject.h"
#include "setobject.h"
#include "longobject.h"
#include "unicodeobject.h"
#include "fixture.h"
#include "gcstress.h"

/* ---- Fixture --------------------------------------------------------------- */

typedef kv_fixture ct_fixture;

static inline int ct_fixture_load(ct_fixture *fx) {
    return kv_fixture_load(fx, "sizes_containers.txt", "PM_CONTAINERS_FIXTURE");
}

static inline void ct_fixture_free(ct_fixture *fx) { kv_fixture_free(fx); }

/* The value recorded for `key`, or NULL (and a failed check). */
static inline const char *ct_get(const ct_fixture *fx, const char *key) {
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->keys[i], key) == 0) return fx->values[i];
    CHECKF(0, "fixture has no case '%s'", key);
    return NULL;
}

/* The value of a "<case> <sub> <value>" line: the text after "<sub> ". */
static inline const char *ct_get_sub(const ct_fixture *fx, const char *key, const char *sub) {
    size_t sl = strlen(sub);
    for (size_t i = 0; i < fx->n; i++) {
        if (strcmp(fx->keys[i], key) != 0) continue;
        const char *v = fx->values[i];
        if (strncmp(v, sub, sl) == 0 && (v[sl] == ' ' || v[sl] == '\0')) return v[sl] ? v + sl + 1 : v + sl;
    }
    CHECKF(0, "fixture has no case '%s %s'", key, sub);
    return NULL;
}

/* Parses whitespace-separated integers; returns the count (at most cap). */
static size_t ct_parse_ints(const char *s, long long *out, size_t cap) {
    size_t n = 0;
    while (s && *s && n < cap) {
        while (*s == ' ') s++;
        if (!*s) break;
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s) break;
        out[n++] = v;
        s = end;
    }
    return n;
}

/* ---- Int keys ------------------------------------------------------------------ */

/* CPython's long_hash for a value that fits in 64 bits (the tracers hash
 * like the int of their id). */
static int64_t ct_cpython_int_hash(int64_t v) {
    const uint64_t P = ((uint64_t)1 << 61) - 1;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int64_t x = (int64_t)(mag % P);
    if (v < 0) x = -x;
    return x == -1 ? -2 : x;
}

/* A new reference to the int v. */
static pm_object *ct_mkint(pm_heap *h, int64_t v) {
    return pm_long_from_int64(h, v);
}

static int64_t ct_intval(pm_heap *h, pm_object *o) {
    return pm_long_as_int64(h, o);
}

/* ---- Str keys ------------------------------------------------------------------ */

static inline pm_object *ct_mkstr(pm_heap *h, const char *s) { return pm_unicode_from_string(h, s); }

/* ---- Tracers: log their id when deallocated --------------------------------------- */

typedef struct ct_tracer {
    pm_object ob_base;
    int64_t id;
} ct_tracer;

static pm_type ct_tracer_type;
static int64_t ct_log[4096];
static size_t ct_nlog;

static void ct_tracer_dealloc(pm_heap *h, pm_object *o) {
    if (ct_nlog < sizeof ct_log / sizeof ct_log[0]) ct_log[ct_nlog++] = ((ct_tracer *)o)->id;
    pm_object_free(h, o);
}
static int64_t ct_tracer_hash(pm_heap *h, pm_object *o) { (void)h; return ct_cpython_int_hash(((ct_tracer *)o)->id); }

static void ct_tracer_setup(pm_heap *h) {
    pm_type *t = &ct_tracer_type;
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "Tracer";
    t->tp_basicsize = 32;
    t->type_id = PM_T__COUNT;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = ct_tracer_dealloc;
    t->tp_hash = ct_tracer_hash;
    ct_nlog = 0;
}

static pm_object *ct_tracer_new(pm_heap *h, int64_t id) {
    ct_tracer *o = (ct_tracer *)pm_object_alloc(h, &ct_tracer_type, 0);
    if (o) o->id = id;
    return (pm_object *)o;
}

/* ---- Heap helpers ----------------------------------------------------------------- */

/* Allocated blocks, pymalloc and raw. */
static uint64_t ct_live_blocks(pm_heap *h) { return pm_test_live_blocks(h); }

/* Empties every object free list (they keep blocks allocated). */
static void ct_clear_freelists(pm_heap *h) {
    _pm_dict_clear_freelist(h);
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    _pm_float_clear_freelist(h);
}

/* The end of a test program: with the free lists emptied, as many blocks live as at `live0`
   and the heap consistent (a macro: a failure names the caller's line). */
#define CT_EXPECT_CLEAN(h, live0) do {                                        \
    ct_clear_freelists(h);                                                    \
    CHECK_EQ(ct_live_blocks(h), (live0));                                     \
    CHECK_EQ(pm_heap_check(h), PM_OK);                                        \
} while (0)

static inline uint64_t ct_refcnt(pm_object *o) { return (uint32_t)o->ob_refcnt; }

/* repr(o) into a malloc'd C string (caller frees). */
static char *ct_repr(pm_heap *h, pm_object *o) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    int r = pm_object_repr(h, o, &sb);
    char *out = strdup(r == 0 && sb.buf ? sb.buf : (r == 0 ? "" : "<repr failed>"));
    _pm_strbuf_free(&sb);
    return out;
}

static pm_heap *ct_heap_new(void) {
    pm_heap *h = pm_heap_new(NULL);
    if (!h) { fprintf(stderr, "pm_heap_new failed\n"); exit(2); }
    ct_tracer_setup(h);
    test_gc_stress_apply(h);
    return h;
}

#endif /* PYHEAP_TESTS_CONTAINERTEST_H */
