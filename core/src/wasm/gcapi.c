/* gcapi.c — the wasm boundary for the cycle collector, the gc module and
 * weak references (core/src/gc.h, core/src/weakrefobject.h).
 *
 * Conventions are objapi.c's: every export checks the heap handle, then
 * each object handle through pmw_obj (objapi.c: the O(1) live-object
 * test); functions returning an object return a NEW reference or 0 with
 * the reason in pmw_last_status; functions returning int32 return a
 * status (< 0) or a count / boolean; a Python exception is PM_EPYTHON with
 * its kind and message in pmw_exc_kind / pmw_exc_msg. Object arrays
 * (get_referrers / get_referents) are u32 handles in the heap's transfer
 * buffer (pmw_obj_scratch).
 *
 * Reading for the visualizer: the stderr sink (pmw_gc_stderr + _len) and
 * the per-phase trace of the last traced collection (pmw_gc_trace_addr +
 * _len): entries of 8 bytes, {u32 object address, i32 value}, phases
 * numbered as pm_gc_phase (0 examined, 1 unreachable, 2 weakref callback,
 * 3 finalized, 4 resurrected, 5 cleared, 6 freed, 7 copied, 8 untracked,
 * 9 weakref cleared), and its two counts (pmw_gc_trace_result).
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../gc.h"
#include "../weakrefobject.h"
#include "api.h"

#ifdef __wasm__
_Static_assert(sizeof(pm_gc_trace_entry) == 8, "trace entries are {u32 obj, i32 value} in wasm32");
#endif

/* The live heap behind hp with no exception pending, or NULL. */
static pm_heap *enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return NULL;
    pm_err_clear(h);
    return h;
}

#define obj(hp, p) pmw_obj(h, (p))
#define done pmw_finish
#define done_obj pmw_finish_obj

static int gen_arg(pm_heap *h, int32_t gen, int lo, int hi) {
    if (gen < lo || gen > hi) {
        _pm_set_status(h, PM_EINVAL, "generation %d out of range %d..%d", (int)gen, lo, hi);
        return 0;
    }
    return 1;
}

/* n validated handles at p inside the transfer buffer. */
static pm_object **handles(pm_heap *h, uint32_t p, uint32_t n) {
    uintptr_t s = (uintptr_t)h->scratch, a = p;
    if ((p & 3) || n > PM_SCRATCH_BYTES / 4 || a < s || a + (uintptr_t)n * 4 > s + PM_SCRATCH_BYTES) {
        _pm_set_status(h, PM_EINVAL, "object array (%p, %u items) is not inside the transfer buffer", (void *)a,
                       (unsigned)n);
        return NULL;
    }
    pm_object **items = (pm_object **)a;
    for (uint32_t i = 0; i < n; i++)
        if (!pmw_obj(h, (uint32_t)(uintptr_t)items[i])) return NULL;
    return items;
}

/* ---- Collection ---------------------------------------------------------------------- */

/* gc.collect(generation): the number collected, or a status (PM_EPYTHON:
 * ValueError "invalid generation"). */
EXPORT int32_t pmw_gc_collect(uint32_t hp, int32_t generation) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    return done(h, pm_gc_collect(h, generation), 1);
}

/* GC stress mode (pm_gc_set_stress): generation 0..2 collected at every GC
 * allocation, -1 off. 0, or a status (PM_EPYTHON: ValueError "invalid generation"). */
EXPORT int32_t pmw_gc_set_stress(uint32_t hp, int32_t generation) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    return done(h, pm_gc_set_stress(h, generation), 0);
}

/* 1 + the stress generation, 0 when off (a negative value would read as a status). */
EXPORT int32_t pmw_gc_get_stress(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    return done(h, pm_gc_get_stress(h) + 1, 0);
}

/* The interpreter's eval-breaker point: runs a scheduled collection. */
EXPORT int32_t pmw_gc_eval_breaker(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    return done(h, pm_gc_eval_breaker(h), 1);
}

EXPORT int32_t pmw_gc_is_scheduled(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? pm_gc_is_scheduled(h) : PM_EDEAD;
}

/* gc.enable() (on != 0) / gc.disable() */
EXPORT int32_t pmw_gc_enable(uint32_t hp, int32_t on) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (on) pm_gc_enable(h);
    else pm_gc_disable(h);
    return done(h, 0, 0);
}

EXPORT int32_t pmw_gc_isenabled(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? pm_gc_isenabled(h) : PM_EDEAD;
}

/* count[gen] / threshold[gen] for gen 0..2 (a status for a bad generation). */
EXPORT int32_t pmw_gc_count(uint32_t hp, int32_t gen) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (!gen_arg(h, gen, 0, 2)) return PM_EINVAL;
    int64_t c[3];
    pm_gc_get_count(h, c);
    return done(h, c[gen], 0);
}

EXPORT int32_t pmw_gc_threshold(uint32_t hp, int32_t gen) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (!gen_arg(h, gen, 0, 2)) return PM_EINVAL;
    int64_t t[3];
    pm_gc_get_threshold(h, t);
    return done(h, t[gen], 0);
}

/* gc.set_threshold(t0[, t1[, t2]]) with n = 1..3 arguments. */
EXPORT int32_t pmw_gc_set_threshold(uint32_t hp, int32_t t0, int32_t t1, int32_t t2, int32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    int64_t t[3] = { t0, t1, t2 };
    return done(h, pm_gc_set_threshold(h, t, n), 0);
}

/* get_stats()[gen][field], field 0 collections, 1 collected, 2 uncollectable (a double: may pass 2^31). */
EXPORT double pmw_gc_stat(uint32_t hp, int32_t gen, int32_t field) {
    pm_heap *h = enter(hp);
    if (!h || !gen_arg(h, gen, 0, 2) || field < 0 || field > 2) return -1;
    pm_gc_stats st[3];
    pm_gc_get_stats(h, st);
    _pm_set_status(h, PM_OK, NULL);
    return (double)(field == 0 ? st[gen].collections : field == 1 ? st[gen].collected : st[gen].uncollectable);
}

/* The Python objects gc.get_count() / get_threshold() / get_stats() return (new references). */
EXPORT uint32_t pmw_gc_get_count_tuple(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? done_obj(h, pm_gc_get_count_tuple(h)) : 0;
}

EXPORT uint32_t pmw_gc_get_threshold_tuple(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? done_obj(h, pm_gc_get_threshold_tuple(h)) : 0;
}

EXPORT uint32_t pmw_gc_get_stats_list(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? done_obj(h, pm_gc_get_stats_list(h)) : 0;
}

/* gc.get_objects(generation), -1 for all. */
EXPORT uint32_t pmw_gc_get_objects(uint32_t hp, int32_t generation) {
    pm_heap *h = enter(hp);
    return h ? done_obj(h, pm_gc_get_objects(h, generation)) : 0;
}

/* gc.get_referrers(*objs): n handles at items (transfer buffer); args = the
 * call's argument tuple to skip, or 0. */
EXPORT uint32_t pmw_gc_get_referrers(uint32_t hp, uint32_t items, uint32_t n, uint32_t args) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **objs = handles(h, items, n);
    if (!objs) return 0;
    pm_object *a = NULL;
    if (args && !(a = obj(hp, args))) return 0;
    return done_obj(h, pm_gc_get_referrers(h, objs, n, a));
}

EXPORT uint32_t pmw_gc_get_referents(uint32_t hp, uint32_t items, uint32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **objs = handles(h, items, n);
    if (!objs) return 0;
    return done_obj(h, pm_gc_get_referents(h, objs, n));
}

/* A yes/no question about one object: 1/0, or a status. */
static int32_t ask(uint32_t hp, uint32_t op, int (*pred)(pm_heap *, pm_object *)) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = obj(hp, op);
    return o ? done(h, pred(h, o), 0) : pm_heap_last_status(h);
}

EXPORT int32_t pmw_gc_is_tracked(uint32_t hp, uint32_t op) { return ask(hp, op, pm_gc_obj_is_tracked); }
EXPORT int32_t pmw_gc_is_finalized(uint32_t hp, uint32_t op) { return ask(hp, op, pm_gc_obj_is_finalized); }
EXPORT int32_t pmw_gc_is_gc(uint32_t hp, uint32_t op) { return ask(hp, op, pm_object_is_gc); }   /* _PyObject_IS_GC */

EXPORT int32_t pmw_gc_freeze(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_gc_freeze(h);
    return done(h, 0, 1);
}

EXPORT int32_t pmw_gc_unfreeze(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_gc_unfreeze(h);
    return done(h, 0, 1);
}

EXPORT int32_t pmw_gc_set_startup_state(uint32_t hp, int32_t c0, int32_t c1, int32_t c2) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (c0 < 0 || c1 < 0 || c2 < 0) return PM_EINVAL;
    pm_gc_set_startup_state(h, c0, c1, c2);
    return done(h, 0, 1);
}

/* Start-up's free lists (pm_startup_freelists): lengths at p in the transfer
 * buffer, i32 each: floats, lists, dicts, then 1..20-tuples. */
EXPORT int32_t pmw_startup_freelists(uint32_t hp, uint32_t p) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    const int32_t *v = (const int32_t *)(uintptr_t)p;
    uintptr_t s = (uintptr_t)h->scratch, a = p, len = (3 + PM_TUPLE_MAXSAVESIZE) * sizeof *v;
    if ((p & 3) || a < s || a + len > s + PM_SCRATCH_BYTES) {
        _pm_set_status(h, PM_EINVAL, "start-up free lists: the lengths must be in the transfer buffer");
        return PM_EINVAL;
    }
    return pm_startup_freelists(h, v[0], v[1], v[2], v + 3);
}

EXPORT int32_t pmw_gc_get_freeze_count(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? done(h, pm_gc_get_freeze_count(h), 0) : PM_EDEAD;
}

/* Objects in generation gen (0..2), 3 = the permanent generation. */
EXPORT int32_t pmw_gc_generation_size(uint32_t hp, int32_t gen) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (!gen_arg(h, gen, 0, 3)) return PM_EINVAL;
    return done(h, pm_gc_generation_size(h, gen), 0);
}

EXPORT int32_t pmw_gc_set_debug(uint32_t hp, int32_t flags) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_gc_set_debug(h, flags);
    return done(h, 0, 0);
}

EXPORT int32_t pmw_gc_get_debug(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? pm_gc_get_debug(h) : PM_EDEAD;
}

/* gc.garbage / gc.callbacks: new references to the heap's lists. */
EXPORT uint32_t pmw_gc_garbage(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *l = pm_gc_garbage(h);
    return done_obj(h, l ? pm_newref(l) : NULL);
}

EXPORT uint32_t pmw_gc_callbacks(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *l = pm_gc_callbacks(h);
    return done_obj(h, l ? pm_newref(l) : NULL);
}

/* ---- stderr sink and trace ------------------------------------------------------------------- */

EXPORT uint32_t pmw_gc_stderr(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? (uint32_t)(uintptr_t)pm_gc_stderr(h, NULL) : 0;
}

EXPORT uint32_t pmw_gc_stderr_len(uint32_t hp) {
    pm_heap *h = enter(hp);
    size_t n = 0;
    if (h) pm_gc_stderr(h, &n);
    return (uint32_t)n;
}

EXPORT int32_t pmw_gc_stderr_clear(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_gc_stderr_clear(h);
    return PM_OK;
}

EXPORT int32_t pmw_gc_trace_enable(uint32_t hp, int32_t on) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_gc_trace_enable(h, on);
    return PM_OK;
}

EXPORT uint32_t pmw_gc_trace_addr(uint32_t hp, int32_t phase) {
    pm_heap *h = enter(hp);
    return h ? (uint32_t)(uintptr_t)pm_gc_trace_get(h, (pm_gc_phase)phase, NULL) : 0;
}

EXPORT uint32_t pmw_gc_trace_len(uint32_t hp, int32_t phase) {
    pm_heap *h = enter(hp);
    size_t n = 0;
    if (h) pm_gc_trace_get(h, (pm_gc_phase)phase, &n);
    return (uint32_t)n;
}

EXPORT int32_t pmw_gc_trace_generation(uint32_t hp) {
    pm_heap *h = enter(hp);
    return h ? pm_gc_trace_generation(h) : PM_EDEAD;
}

/* The counts of the last traced collection: which 0 = collected, 1 =
 * uncollectable; -1 when no traced collection ran (pm_gc_trace_result). */
EXPORT double pmw_gc_trace_result(uint32_t hp, int32_t which) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    int64_t c, u;
    pm_gc_trace_result(h, &c, &u);
    return (double)(which == 0 ? c : u);
}

/* ---- Weak references ---------------------------------------------------------------------- */

/* weakref.ref(ob[, callback]); callback 0 = none. */
EXPORT uint32_t pmw_weakref_new(uint32_t hp, uint32_t obp, uint32_t cbp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *ob = obj(hp, obp), *cb = NULL;
    if (!ob || (cbp && !(cb = obj(hp, cbp)))) return 0;
    return done_obj(h, pm_weakref_new(h, NULL, ob, cb));
}

/* weakref.proxy(ob[, callback]); callable: whether ob is callable. */
EXPORT uint32_t pmw_weakref_proxy(uint32_t hp, uint32_t obp, uint32_t cbp, int32_t callable) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *ob = obj(hp, obp), *cb = NULL;
    if (!ob || (cbp && !(cb = obj(hp, cbp)))) return 0;
    return done_obj(h, pm_weakref_proxy(h, ob, cb, callable));
}

static pm_object *weakref_arg(pm_heap *h, uint32_t p, int proxy) {
    pm_object *o = obj(hp, p);
    if (!o) return NULL;
    if (proxy ? !pm_weakref_check_proxy(h, o) : !pm_weakref_check(h, o)) {
        _pm_set_status(h, PM_EINVAL, "expected a weakref%s object, got '%s'", proxy ? " proxy" : "", PM_TYPE(o)->tp_name);
        return NULL;
    }
    return o;
}

/* r(): the referent or None (new reference). */
EXPORT uint32_t pmw_weakref_call(uint32_t hp, uint32_t rp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *r = weakref_arg(h, rp, 0);
    return r ? done_obj(h, pm_weakref_call(h, r)) : 0;
}

/* The referent of a proxy (new reference), or 0 + ReferenceError if it died. */
EXPORT uint32_t pmw_weakref_proxy_referent(uint32_t hp, uint32_t pp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *p = weakref_arg(h, pp, 1);
    return p ? done_obj(h, pm_weakref_proxy_referent(h, p)) : 0;
}

EXPORT int32_t pmw_weakref_getweakrefcount(uint32_t hp, uint32_t obp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *ob = obj(hp, obp);
    return ob ? done(h, pm_weakref_getweakrefcount(h, ob), 0) : pm_heap_last_status(h);
}

EXPORT uint32_t pmw_weakref_getweakrefs(uint32_t hp, uint32_t obp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *ob = obj(hp, obp);
    return ob ? done_obj(h, pm_weakref_getweakrefs(h, ob)) : 0;
}
