/* seqtest.h — helpers shared by test_tuple.c and test_list.c (include after
 * check.h, from one .c file):
 *
 *   - the CPython-recorded fixture tests/fixtures/sizes_sequences.txt
 *     (lines "<case> <value>", written by tests/record/sizes_sequences.py);
 *   - "marker" objects: a test type whose instances carry an id, hash to
 *     that id (as a small int does) and append the id to a log when they are
 *     deallocated, so a test can see the order in which a container releases
 *     its items;
 *   - live-block counting for leak checks.
 */
#ifndef PYHEAP_TESTS_SEQTEST_H
#define PYHEAP_TESTS_SEQTEST_H

#include "object.h"
#include "tupleobject.h"
#include "listobject.h"
#include "fixture.h"
#include "gcstress.h"

/* ---- Fixture --------------------------------------------------------------- */

typedef kv_fixture fixture;

static int fixture_load(fixture *fx) {
    return kv_fixture_load(fx, "sizes_sequences.txt", "PM_SEQ_FIXTURE");
}

static void fixture_free(fixture *fx) { kv_fixture_free(fx); }

/* The recorded value of `key` (printf-style), or NULL (and a failed check). */
static const char *fx_get(const fixture *fx, const char *fmt, ...) {
    char key[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->keys[i], key) == 0) return fx->values[i];
    CHECKF(0, "fixture has no case '%s' (re-record tests/fixtures/sizes_sequences.txt)", key);
    return NULL;
}

static long long fx_int(const char *v) { return v ? strtoll(v, NULL, 10) : -99999; }

/* ---- Markers ------------------------------------------------------------------ */

typedef struct marker_log {
    long long *order;           /* ids in the order the markers died */
    size_t n, cap;
    /* optional probe: when a marker dies, remember what probe_list[probe_index] holds then */
    pm_object *probe_list;
    int64_t probe_index;
    pm_object *probe_seen;
} marker_log;

typedef struct marker {
    pm_object ob_base;
    long long id;
    marker_log *log;
} marker;

#define MARKER_SIZE 32u   /* model bytes: 16 header + id + log pointer */
_Static_assert(sizeof(marker) <= MARKER_SIZE, "marker fits its model size");

static void marker_dealloc(pm_heap *h, pm_object *o) {
    marker *m = (marker *)o;
    marker_log *lg = m->log;
    if (lg) {
        if (lg->n == lg->cap) {
            lg->cap = lg->cap ? lg->cap * 2 : 64;
            lg->order = realloc(lg->order, lg->cap * sizeof *lg->order);
        }
        lg->order[lg->n++] = m->id;
        if (lg->probe_list) lg->probe_seen = PM_LIST_GET(lg->probe_list, lg->probe_index);
    }
    pm_object_free(h, o);
}

/* hash(int) for small ints: the value, with -1 mapped to -2 */
static int64_t marker_hash(pm_heap *h, pm_object *o) {
    (void)h;
    long long v = ((marker *)o)->id;
    return v == -1 ? -2 : v;
}

static int marker_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    (void)h;
    _pm_strbuf_printf(sb, "M%lld", ((marker *)o)->id);
    return 0;
}

/* Values equal when ids are equal (like ints). */
static int marker_eq(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    if (PM_TYPE(a) != PM_TYPE(b)) return PM_NOTIMPL;
    return ((marker *)a)->id == ((marker *)b)->id;
}

static void marker_type_init(pm_heap *h, pm_type *t) {
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "marker";
    t->tp_basicsize = MARKER_SIZE;
    t->type_id = PM_T__COUNT;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = marker_dealloc;
    t->tp_hash = marker_hash;
    t->tp_repr = marker_repr;
    t->tp_eq = marker_eq;
}

static pm_object *marker_new(pm_heap *h, pm_type *t, long long id, marker_log *lg) {
    pm_object *o = pm_object_alloc(h, t, 0);
    if (!o) return NULL;
    ((marker *)o)->id = id;
    ((marker *)o)->log = lg;
    return o;
}

static void log_reset(marker_log *lg) {
    free(lg->order);
    memset(lg, 0, sizeof *lg);
}

/* The logged order as "a,b,c" (caller frees). */
static char *log_join(const marker_log *lg) {
    size_t cap = lg->n * 21 + 1, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    for (size_t i = 0; i < lg->n; i++) len += (size_t)snprintf(s + len, cap - len, i ? ",%lld" : "%lld", lg->order[i]);
    return s;
}

/* ---- Heap helpers ------------------------------------------------------------------ */

static uint64_t live_blocks(pm_heap *h) { return pm_test_live_blocks(h); }

static uint64_t allocated_bytes(pm_heap *h) {
    pm_heap_stats st;
    pm_heap_stats_get(h, &st);
    return st.bytes_in_allocated_blocks + st.raw_bytes_requested;
}

static uint32_t refcnt(const pm_object *o) { return (uint32_t)o->ob_refcnt; }

/* repr(o) into a malloc'd C string ("<error>" on failure). */
static char *repr_of(pm_heap *h, pm_object *o) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    int r = pm_object_repr(h, o, &sb);
    char *s = strdup(r == 0 && sb.buf ? sb.buf : r == 0 ? "" : "<error>");
    _pm_strbuf_free(&sb);
    return s;
}

#define CHECK_REPR(h, o, expected) do {                         \
    char *check_r_ = repr_of((h), (o));                         \
    const char *check_e_ = (expected);                          \
    CHECK_STREQ(check_r_, check_e_ ? check_e_ : "(missing)");   \
    free(check_r_);                                             \
} while (0)

/* An iterator callback yielding `left` new references to `item`. */
typedef struct repeat_iter {
    pm_object *item;
    int64_t left;
} repeat_iter;

static pm_object *repeat_next(pm_heap *h, void *ctx) {
    (void)h;
    repeat_iter *it = ctx;
    if (it->left <= 0) return NULL;
    it->left--;
    return pm_newref(it->item);
}

/* ---- Per-test context: a fresh heap with the marker type --------------------- */

typedef struct ctx {
    pm_heap *h;
    pm_type mtype;
    marker_log log;
    fixture fx;
} ctx;

static void ctx_open(ctx *c) {
    c->h = pm_heap_new(NULL);
    if (!c->h) {
        fprintf(stderr, "pm_heap_new failed\n");
        exit(2);
    }
    marker_type_init(c->h, &c->mtype);
    memset(&c->log, 0, sizeof c->log);
    test_gc_stress_apply(c->h);
}

static void ctx_close(ctx *c) {
    pm_status st = pm_heap_check(c->h);
    CHECK_EQ((int)st, (int)PM_OK);
    if (st != PM_OK) fprintf(stderr, "   heap check: %s\n", pm_heap_error(c->h));
    CHECK_EQ((int)pm_err_occurred(c->h), (int)PM_EXC_NONE);
    pm_heap_free(c->h);
    log_reset(&c->log);
}

#endif /* PYHEAP_TESTS_SEQTEST_H */
