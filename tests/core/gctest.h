/* gctest.h — what test_gc.c and test_weakref.c share (include after
 * check.h, from one .c file):
 *
 *   - "tnode", a test-only GC type standing in for a Python class until user
 *     classes exist: three attribute slots (traversed and cleared in order),
 *     a weakref list (tp_weaklistoffset), a short name, pointer hash; and
 *     "tfin", the same with tp_finalize = pm_finalize_via_host, i.e. a class
 *     with __del__. Its deallocator follows subtype_dealloc: untrack, run the
 *     finalizer (re-tracked meanwhile; resurrection stops it), clear weakrefs,
 *     drop the slots, free.
 *   - host hooks: the finalizer ("__del__") logs "del_<name>", or for the
 *     names "R" (resurrect: log "del", store self in g_saved) and "Re" (log
 *     the result of a nested gc.collect()); host calls dispatch on the
 *     callable, a tnode whose name says what the Python callback would do:
 *       "gccb"     gc.callbacks entry: on "start" record info['generation']
 *       "gcinfo"   gc.callbacks entry: record the phase, repr(info) and which dict info is
 *       "w:LABEL"  weakref callback: log "LABEL_True"/"LABEL_False" (is the referent None?)
 *       "v:LABEL"  weakref callback: log "LABEL"
 *       "clearkeep" weakref callback: g_keep.clear()
 *   - the CPython-recorded fixtures (kv_fixture) and heap/leak helpers.
 */
#ifndef PYHEAP_TESTS_GCTEST_H
#define PYHEAP_TESTS_GCTEST_H

#include "object.h"
#include "gc.h"
#include "weakrefobject.h"
#include "listobject.h"
#include "tupleobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "longobject.h"
#include "unicodeobject.h"
#include "gcstress.h"
#include "fixture.h"

typedef struct tnode {
    pm_object ob_base;
    pm_object *slot[3];
    pm_object *weakreflist;
    char name[16];
} tnode;

#define TNODE_BASICSIZE 64u
_Static_assert(sizeof(tnode) <= TNODE_BASICSIZE, "tnode fits its model size");

static pm_type tnode_type, tfin_type;

/* ---- Logs the hooks write --------------------------------------------------- */
static char g_events[8192];
static int64_t g_gens[4096];
static size_t g_ngens;
static pm_object *g_saved;     /* list: objects resurrected by "R" */
static pm_object *g_keep;      /* dict cleared by "clearkeep" */
static struct { char phase[8]; char repr[128]; pm_object *info; } g_infos[8];   /* "gcinfo" calls */
static size_t g_ninfos;

static void ev(const char *s) {
    size_t n = strlen(g_events);
    if (n && n + 1 < sizeof g_events) g_events[n++] = ' ';
    snprintf(g_events + n, sizeof g_events - n, "%s", s);
}
static void ev_reset(void) { g_events[0] = '\0'; g_ngens = 0; }

/* ---- The type -------------------------------------------------------------------- */

static void tnode_dealloc(pm_heap *h, pm_object *o) {
    tnode *t = (tnode *)o;
    pm_gc_untrack(h, o);
    if (PM_TYPE(o)->tp_finalize) {
        pm_gc_track(h, o);
        if (pm_object_call_finalizer_from_dealloc(h, o) < 0) return;   /* resurrected */
        pm_gc_untrack(h, o);
    }
    if (t->weakreflist) _pm_weakref_clear_refs(h, o);
    for (int i = 0; i < 3; i++) PM_CLEAR(h, t->slot[i]);
    pm_object_free(h, o);
}

static int tnode_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    tnode *t = (tnode *)o;
    for (int i = 0; i < 3; i++)
        if (t->slot[i]) {
            int r = visit(t->slot[i], arg);
            if (r) return r;
        }
    return 0;
}

static int tnode_clear(pm_heap *h, pm_object *o) {
    tnode *t = (tnode *)o;
    for (int i = 0; i < 3; i++) PM_CLEAR(h, t->slot[i]);
    return 0;
}

static int64_t tnode_hash(pm_heap *h, pm_object *o) {
    (void)h;
    return (int64_t)((uintptr_t)o >> 4);
}

static void tnode_type_setup(pm_heap *h, pm_type *t, const char *name, int finalizer) {
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = name;
    t->tp_basicsize = TNODE_BASICSIZE;
    t->tp_flags = PM_TPFLAGS_HAVE_GC;
    t->type_id = PM_T__COUNT;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = tnode_dealloc;
    t->tp_traverse = tnode_traverse;
    t->tp_clear = tnode_clear;
    t->tp_hash = tnode_hash;
    t->tp_weaklistoffset = (int32_t)offsetof(tnode, weakreflist);
    if (finalizer) t->tp_finalize = pm_finalize_via_host;
}

static pm_object *tnode_new(pm_heap *h, pm_type *t, const char *name) {
    tnode *o = (tnode *)pm_object_alloc(h, t, 0);
    if (!o) return NULL;
    memset(o->slot, 0, sizeof o->slot);
    o->weakreflist = NULL;
    snprintf(o->name, sizeof o->name, "%s", name);
    pm_gc_track(h, (pm_object *)o);
    return (pm_object *)o;
}

/* o.slot[i] = v (a new reference to v; the old value released) */
static void tnode_set(pm_heap *h, pm_object *o, int i, pm_object *v) {
    tnode *t = (tnode *)o;
    pm_object *old = t->slot[i];
    t->slot[i] = v ? pm_newref(v) : NULL;
    pm_xdecref(h, old);
}

static const char *repr_of(pm_heap *h, pm_object *o, char *buf, size_t cap);

/* ---- Host hooks ---------------------------------------------------------------------- */

static void host_finalize(pm_heap *h, pm_object *o, void *ctx) {
    (void)ctx;
    tnode *t = (tnode *)o;
    if (strcmp(t->name, "R") == 0) {
        ev("del");
        pm_list_append(h, g_saved, o);
    } else if (strcmp(t->name, "Re") == 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)pm_gc_collect(h, 2));
        ev(buf);
    } else {
        char buf[40];
        snprintf(buf, sizeof buf, "del_%s", t->name);
        ev(buf);
    }
}

static int str_is(pm_heap *h, pm_object *s, const char *lit) {
    pm_object *x = pm_unicode_from_string(h, lit);
    int r = pm_object_eq(h, s, x);
    pm_decref(h, x);
    return r == 1;
}

static void host_call(pm_heap *h, pm_object *callable, pm_object *args, void *ctx) {
    (void)ctx;
    tnode *t = (tnode *)callable;
    if (strcmp(t->name, "gccb") == 0) {
        CHECK_EQ(PM_SIZE(args), (int64_t)2);
        if (str_is(h, PM_TUPLE_GET(args, 0), "start")) {
            pm_object *k = pm_unicode_from_string(h, "generation");
            pm_object *g = pm_dict_getitem(h, PM_TUPLE_GET(args, 1), k);
            pm_decref(h, k);
            if (g_ngens < sizeof g_gens / sizeof g_gens[0]) g_gens[g_ngens++] = g ? pm_long_as_int64(h, g) : -99;
        }
    } else if (strcmp(t->name, "gcinfo") == 0) {
        if (g_ninfos < sizeof g_infos / sizeof g_infos[0]) {
            snprintf(g_infos[g_ninfos].phase, sizeof g_infos[0].phase, "%s",
                     str_is(h, PM_TUPLE_GET(args, 0), "start") ? "start" : "stop");
            repr_of(h, PM_TUPLE_GET(args, 1), g_infos[g_ninfos].repr, sizeof g_infos[0].repr);
            g_infos[g_ninfos].info = PM_TUPLE_GET(args, 1);
            g_ninfos++;
        }
    } else if (t->name[0] == 'w' && t->name[1] == ':') {
        char buf[48];
        CHECK_EQ(PM_SIZE(args), (int64_t)1);
        pm_object *wr = PM_TUPLE_GET(args, 0);
        snprintf(buf, sizeof buf, "%s_%s", t->name + 2, pm_weakref_get(h, wr) == PM_NONE(h) ? "True" : "False");
        ev(buf);
    } else if (t->name[0] == 'v' && t->name[1] == ':') {
        ev(t->name + 2);
    } else if (strcmp(t->name, "clearkeep") == 0) {
        pm_dict_clear(h, g_keep);
    } else {
        CHECKF(0, "host_call: unexpected callable %s", t->name);
    }
}

/* ---- Setup ------------------------------------------------------------------------------ */

static pm_heap *gt_heap_new(void) {
    pm_heap *h = pm_heap_new(NULL);
    if (!h) {
        fprintf(stderr, "pm_heap_new failed\n");
        exit(2);
    }
    tnode_type_setup(h, &tnode_type, "Node", 0);
    tnode_type_setup(h, &tfin_type, "F", 1);
    pm_host_hooks hooks = { host_finalize, host_call, NULL };
    pm_set_host_hooks(h, &hooks);
    /* the lists CPython has from start-up */
    CHECK(pm_gc_garbage(h) != NULL);
    CHECK(pm_gc_callbacks(h) != NULL);
    g_saved = pm_list_new(h, 0);
    g_keep = pm_dict_new(h);
    test_gc_stress_apply(h);
    return h;
}

static void gt_heap_free(pm_heap *h) {
    PM_CLEAR(h, g_saved);
    PM_CLEAR(h, g_keep);
    pm_heap_free(h);
}

/* gc.collect() twice, as the record scripts' flush() */
static void flush(pm_heap *h) {
    pm_gc_collect(h, 2);
    pm_gc_collect(h, 2);
}

static void heap_ok(pm_heap *h, const char *where) {
    pm_status st = pm_heap_check(h);
    CHECKF(st == PM_OK, "%s: pm_heap_check: %s", where, pm_heap_error(h));
    st = pm_gc_check(h);
    CHECKF(st == PM_OK, "%s: pm_gc_check: %s", where, pm_heap_error(h));
}

/* live blocks with the object free lists emptied */
static uint64_t live_now(pm_heap *h) {
    _pm_dict_clear_freelist(h);
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    _pm_float_clear_freelist(h);
    return pm_test_live_blocks(h);
}

/* ---- Fixture access ------------------------------------------------------------------ */

static kv_fixture FX;

static const char *fx(const char *key) {
    for (size_t i = 0; i < FX.n; i++)
        if (strcmp(FX.keys[i], key) == 0) return FX.values[i];
    CHECKF(0, "fixture has no case '%s'", key);
    return NULL;
}

/* Compares "got" with the recorded value of key, spaces and '_' alike. */
static void expect(const char *key, const char *got) {
    const char *want = fx(key);
    if (!want) return;
    char a[8192], b[8192];
    snprintf(a, sizeof a, "%s", got);
    snprintf(b, sizeof b, "%s", want);
    for (char *p = a; *p; p++) if (*p == '_') *p = ' ';
    for (char *p = b; *p; p++) if (*p == '_') *p = ' ';
    CHECKF(strcmp(a, b) == 0, "%s:\n   model:   %s\n   CPython: %s", key, got, want);
}

/* expect() for integers */
static void expect_ints(const char *key, const int64_t *v, size_t n) {
    char buf[8192];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < sizeof buf - 32; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", i ? " " : "", (long long)v[i]);
    expect(key, buf);
}

/* repr(o) into buf */
static const char *repr_of(pm_heap *h, pm_object *o, char *buf, size_t cap) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    int r = pm_object_repr(h, o, &sb);
    snprintf(buf, cap, "%s", r == 0 && sb.buf ? sb.buf : "<repr failed>");
    _pm_strbuf_free(&sb);
    return buf;
}

static pm_object *mkint(pm_heap *h, int64_t v) { return pm_long_from_int64(h, v); }
static pm_object *mkstr(pm_heap *h, const char *s) { return pm_unicode_from_string(h, s); }

#endif
