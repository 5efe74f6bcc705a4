/* containertest.h — helpers shared by test_dict.c and test_set.c (include
 * after check.h, from one .c file):
 *
 *   - the CPython-recorded fixture tests/fixtures/sizes_containers.txt
 *     (lines "<case> <value...>", written by tests/record/sizes_containers.py);
 *   - int keys: real ints (longobject.c) when that file is linked in, else a
 *     test type with CPython's int hash (value mod 2**61-1, -1 -> -2),
 *     value equality and decimal repr, so hashes, probe sequences and
 *     printed orders are those of CPython ints either way;
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

/* Optional type files: weak, so the tests build before they land. */
#pragma weak pm_long_from_int64
#pragma weak pm_long_as_int64
#pragma weak pm_unicode_from_string
#pragma weak _pm_tuple_clear_freelist
#pragma weak _pm_list_clear_freelist
#pragma weak _pm_float_clear_freelist

/* ---- Fixture --------------------------------------------------------------- */

typedef struct ct_fixture {
    char *text;
    char **keys, **values;
    size_t n;
} ct_fixture;

static int ct_fixture_load(ct_fixture *fx) {
    const char *env = getenv("PM_CONTAINERS_FIXTURE");
    const char *paths[] = { env ? env : "tests/fixtures/sizes_containers.txt", "../fixtures/sizes_containers.txt",
                            "../../tests/fixtures/sizes_containers.txt" };
    FILE *f = NULL;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0] && !f; i++) f = fopen(paths[i], "rb");
    if (!f) {
        fprintf(stderr, "cannot open tests/fixtures/sizes_containers.txt (run from the repo root or set "
                        "PM_CONTAINERS_FIXTURE)\n");
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
        if (*line && sp) {
            *sp = '\0';
            fx->keys[fx->n] = line;
            fx->values[fx->n] = sp + 1;
            fx->n++;
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

static void ct_fixture_free(ct_fixture *fx) {
    free(fx->text);
    free(fx->keys);
    free(fx->values);
}

/* The value recorded for `key`, or NULL (and a failed check). */
static const char *ct_get(const ct_fixture *fx, const char *key) {
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->keys[i], key) == 0) return fx->values[i];
    CHECKF(0, "fixture has no case '%s'", key);
    return NULL;
}

/* The value of a "<case> <sub> <value>" line: the text after "<sub> ". */
static const char *ct_get_sub(const ct_fixture *fx, const char *key, const char *sub) {
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

typedef struct ct_int {
    pm_object ob_base;
    int64_t value;
} ct_int;

static pm_type ct_int_type;      /* fallback int type, set up per heap by ct_setup */

/* CPython's long_hash for a value that fits in 64 bits. */
static int64_t ct_cpython_int_hash(int64_t v) {
    const uint64_t P = ((uint64_t)1 << 61) - 1;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int64_t x = (int64_t)(mag % P);
    if (v < 0) x = -x;
    return x == -1 ? -2 : x;
}

static int64_t ct_int_hash(pm_heap *h, pm_object *o) { (void)h; return ct_cpython_int_hash(((ct_int *)o)->value); }
static int ct_int_eq(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    if (PM_TYPE(a) != &ct_int_type || PM_TYPE(b) != &ct_int_type) return PM_NOTIMPL;
    return ((ct_int *)a)->value == ((ct_int *)b)->value;
}
static int ct_int_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)((ct_int *)o)->value);
    _pm_strbuf_puts(sb, buf);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}
static void ct_int_dealloc(pm_heap *h, pm_object *o) { pm_object_free(h, o); }

static int ct_real_ints(void) { return pm_long_from_int64 != NULL; }

static void ct_setup(pm_heap *h) {
    pm_type *t = &ct_int_type;
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "int";
    t->tp_basicsize = 32;              /* a one-digit "medium" int */
    t->type_id = PM_T__COUNT;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = ct_int_dealloc;
    t->tp_hash = ct_int_hash;
    t->tp_eq = ct_int_eq;
    t->tp_repr = ct_int_repr;
}

/* A new reference to the int v. */
static pm_object *ct_mkint(pm_heap *h, int64_t v) {
    if (ct_real_ints()) return pm_long_from_int64(h, v);
    ct_int *o = (ct_int *)pm_object_alloc(h, &ct_int_type, 0);
    if (o) o->value = v;
    return (pm_object *)o;
}

static int64_t ct_intval(pm_heap *h, pm_object *o) {
    if (ct_real_ints()) return pm_long_as_int64(h, o);
    return ((ct_int *)o)->value;
}

/* ---- Str keys ------------------------------------------------------------------ */

static int ct_have_str(void) { return pm_unicode_from_string != NULL; }
static pm_object *ct_mkstr(pm_heap *h, const char *s) { return pm_unicode_from_string(h, s); }

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
static uint64_t ct_live_blocks(pm_heap *h) {
    pm_heap_stats s;
    pm_heap_stats_get(h, &s);
    uint64_t n = s.raw_blocks;
    for (int i = 0; i < PM_NB_SMALL_SIZE_CLASSES; i++) n += s.classes[i].blocks_in_use;
    return n;
}

/* Empties every object free list (they keep blocks allocated). */
static void ct_clear_freelists(pm_heap *h) {
    _pm_dict_clear_freelist(h);
    if (_pm_tuple_clear_freelist) _pm_tuple_clear_freelist(h);
    if (_pm_list_clear_freelist) _pm_list_clear_freelist(h);
    if (_pm_float_clear_freelist) _pm_float_clear_freelist(h);
}

static uint64_t ct_refcnt(pm_object *o) { return (uint32_t)o->ob_refcnt; }

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
    ct_setup(h);
    ct_tracer_setup(h);
    return h;
}

#endif /* PYHEAP_TESTS_CONTAINERTEST_H */
