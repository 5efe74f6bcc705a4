/* gc.h — the generational cycle collector and the gc module surface
 * (CPython 3.12 Modules/gcmodule.c; reference §4, §5).
 *
 * The generation lists, count[] and threshold[] live in pm_objstate
 * (object.c links objects in and counts allocations); everything else the
 * collector keeps is a pm_gcstate, in the heap's static area.
 *
 * Scheduling (3.12): an allocation that takes count[0] past threshold[0]
 * (GC enabled, threshold[0] != 0, no collection running, no exception
 * pending) only sets `scheduled`; the interpreter calls pm_gc_eval_breaker()
 * at statement boundaries, backward jumps and calls, which runs
 * gc_collect_generations (with the 25% rule for full collections).
 *
 * Python code runs through the host hooks (object.h): __del__ through
 * tp_finalize, weakref callbacks and gc.callbacks through pm_host_call.
 * A collection requested while one runs (from a finalizer, say) returns 0.
 *
 * Debug output (gc.set_debug) is written to a per-heap text sink that
 * stands for sys.stderr (pm_gc_stderr). The elapsed time in
 * "gc: done, ... elapsed" is always 0.0000s: the core reads no clock.
 */
#ifndef PM_GC_H
#define PM_GC_H

#include "object.h"

#define PM_GC_NUM_GENERATIONS 3

/* gc.DEBUG_* */
#define PM_GC_DEBUG_STATS         1
#define PM_GC_DEBUG_COLLECTABLE   2
#define PM_GC_DEBUG_UNCOLLECTABLE 4
#define PM_GC_DEBUG_SAVEALL       32
#define PM_GC_DEBUG_LEAK          (PM_GC_DEBUG_COLLECTABLE | PM_GC_DEBUG_UNCOLLECTABLE | PM_GC_DEBUG_SAVEALL)

typedef struct pm_gc_stats {
    int64_t collections, collected, uncollectable;
} pm_gc_stats;

/* ---- Observer (visualizer) ----------------------------------------------------
 * With tracing on, every collection records, per phase, the objects it
 * concerned (host addresses; freed objects' addresses are stale by then,
 * which is what a view joining by address wants) and one number each:
 *   EXAMINED     the objects of the collected generations after merging, in
 *                list order; value = gc_refs after subtract_refs (-1 for
 *                immortals moved to the permanent generation)
 *   UNREACHABLE  the tentatively unreachable list after move_unreachable
 *   WEAKREF_CB   reachable weakrefs whose callback handle_weakrefs ran; value 1 if the weakref then died
 *   FINALIZED    objects whose tp_finalize ran, in call order
 *   RESURRECTED  objects that left the unreachable set after finalizers;
 *                value = gc_refs after the second subtract_refs (> 0: a
 *                finalizer gave it a reference from outside the set; 0:
 *                reached from another resurrected object)
 *   CLEARED      objects passed to tp_clear (or saved, DEBUG_SAVEALL: value 1)
 *   FREED        objects of the final unreachable set that did not survive
 *                delete_garbage (cleared, or freed in cascade by another's tp_clear)
 *   COPIED       the same objects as EXAMINED (immortals left out), in list
 *                order; value = gc_refs after update_refs (the refcount)
 *   UNTRACKED    tuples and dicts the collection untracked (untrack_tuples,
 *                untrack_dicts), value 0 for a tuple, 1 for a dict
 *   WEAKREF_CLEARED  weakrefs handle_weakrefs cleared, in the order it
 *                cleared them; value 2: the weakref is garbage itself (a
 *                callback is never called), else 1: its callback is called
 *                (WEAKREF_CB), 0: it has no callback
 * and, per collection, the two counts gc_collect_main returns
 * (pm_gc_trace_result).
 * The records of a collection replace those of the previous one. An
 * observer callback, if set, is called at the end of each phase with that
 * phase's entries. */
typedef enum pm_gc_phase {
    PM_GC_PH_EXAMINED, PM_GC_PH_UNREACHABLE, PM_GC_PH_WEAKREF_CB, PM_GC_PH_FINALIZED,
    PM_GC_PH_RESURRECTED, PM_GC_PH_CLEARED, PM_GC_PH_FREED,
    PM_GC_PH_COPIED, PM_GC_PH_UNTRACKED, PM_GC_PH_WEAKREF_CLEARED,
    PM_GC_PH__COUNT
} pm_gc_phase;

typedef struct pm_gc_trace_entry {
    uintptr_t obj;
    int32_t value;
} pm_gc_trace_entry;

typedef void (*pm_gc_observer)(pm_heap *h, pm_gc_phase phase, int generation, const pm_gc_trace_entry *e,
                               size_t n, void *ctx);

typedef struct pm_gc_trace {
    pm_gc_trace_entry *e;
    size_t n, cap;
} pm_gc_trace;

typedef struct pm_gcstate {
    int enabled;                        /* gc.isenabled() */
    int debug;                          /* gc.get_debug() */
    int collecting;                     /* a collection runs: no re-entry */
    int scheduled;                      /* the eval breaker should collect */
    int64_t long_lived_total;           /* gen-2 size after the last full collection */
    int64_t long_lived_pending;         /* promoted into gen 2 since then */
    pm_gc_stats stats[PM_GC_NUM_GENERATIONS];
    pm_object *garbage;                 /* gc.garbage (a list, created on first use) */
    pm_object *callbacks;               /* gc.callbacks (a list, created on first use) */
    char *err;                          /* the stderr sink (raw bookkeeping memory), NUL-terminated */
    size_t err_len, err_cap;
    int tracing;
    int last_generation;                /* generation of the last traced collection, -1 if none */
    pm_gc_trace trace[PM_GC_PH__COUNT];
    pm_gc_observer observer;
    void *observer_ctx;
    int64_t last_collected;             /* m and n of the last traced collection */
    int64_t last_uncollectable;
} pm_gcstate;

/* ---- Collection -------------------------------------------------------------- */
/* gc.collect(generation): n + m of §4.5, 0 if a collection is running, -1 +
 * ValueError "invalid generation" for a generation outside 0..2. Runs the
 * gc.callbacks "start"/"stop" around it. */
int64_t pm_gc_collect(pm_heap *h, int generation);
/* The eval-breaker check: runs the scheduled automatic collection (even if
 * gc.disable() came in between, as 3.12 does); returns what it collected,
 * 0 when nothing ran. */
int64_t pm_gc_eval_breaker(pm_heap *h);
/* 1 if an automatic collection is waiting for the eval breaker. */
int pm_gc_is_scheduled(pm_heap *h);
/* GC stress mode, a debugging aid (like CPython's gc.set_threshold(1), but
 * sooner): with generation 0..2, every allocation of a GC object runs a
 * collection of that generation right there, before the allocation returns,
 * instead of waiting for the eval breaker — an object that is mis-traversed
 * or tracked half-initialised when another allocation happens then shows up
 * at once (under ASan, as a use-after-free or a bad refcount). -1 turns it
 * off (the default). The collection is skipped, as the scheduling test
 * skips it, while one runs, while the collector is disabled or while an
 * exception is pending. Returns 0, or -1 + ValueError "invalid generation". */
int pm_gc_set_stress(pm_heap *h, int generation);
int pm_gc_get_stress(pm_heap *h);          /* the generation, or -1 when off */

/* ---- gc module ------------------------------------------------------------------ */
void pm_gc_enable(pm_heap *h);
void pm_gc_disable(pm_heap *h);
int pm_gc_isenabled(pm_heap *h);
void pm_gc_get_count(pm_heap *h, int64_t out[3]);
pm_object *pm_gc_get_count_tuple(pm_heap *h);           /* gc.get_count(): new (c0, c1, c2) */
void pm_gc_get_threshold(pm_heap *h, int64_t out[3]);
pm_object *pm_gc_get_threshold_tuple(pm_heap *h);       /* gc.get_threshold() */
/* gc.set_threshold(t0[, t1[, t2]]): n is 1..3, else -1 + TypeError; a value
 * outside int32: -1 + OverflowError (the ones before it are already set). */
int pm_gc_set_threshold(pm_heap *h, const int64_t *t, int n);
void pm_gc_get_stats(pm_heap *h, pm_gc_stats out[3]);
pm_object *pm_gc_get_stats_list(pm_heap *h);            /* gc.get_stats(): list of 3 dicts */
/* gc.get_objects(generation): generation -1 means None (all); new list in
 * list order, or NULL + ValueError. */
pm_object *pm_gc_get_objects(pm_heap *h, int generation);
/* gc.get_referrers(*objs): objects of generations 0..2 whose tp_traverse
 * visits one of objs[0..n); `args` (the call's argument tuple, or NULL) is
 * skipped as CPython skips it. New list. */
pm_object *pm_gc_get_referrers(pm_heap *h, pm_object *const *objs, size_t n, pm_object *args);
/* gc.get_referents(*objs): what each GC argument's tp_traverse visits, in order. */
pm_object *pm_gc_get_referents(pm_heap *h, pm_object *const *objs, size_t n);
int pm_gc_obj_is_tracked(pm_heap *h, pm_object *o);    /* gc.is_tracked */
int pm_gc_obj_is_finalized(pm_heap *h, pm_object *o);  /* gc.is_finalized */
void pm_gc_freeze(pm_heap *h);
void pm_gc_unfreeze(pm_heap *h);
int64_t pm_gc_get_freeze_count(pm_heap *h);
/* Models the interpreter's start-up: generation 0 joins generation 1, count[] set. */
void pm_gc_set_startup_state(pm_heap *h, int64_t count0, int64_t count1, int64_t count2);
void pm_gc_set_debug(pm_heap *h, int flags);
int pm_gc_get_debug(pm_heap *h);
pm_object *pm_gc_garbage(pm_heap *h);       /* gc.garbage: borrowed list (created on first use), NULL + MemoryError */
pm_object *pm_gc_callbacks(pm_heap *h);     /* gc.callbacks: borrowed list, likewise */
/* Number of objects in generation gen (0..2), 3 = the permanent generation. */
int64_t pm_gc_generation_size(pm_heap *h, int gen);
/* _PyObject_IS_GC: a GC type, and for type objects a heap type. */
int pm_object_is_gc(pm_heap *h, pm_object *o);

/* ---- stderr sink ------------------------------------------------------------------ */
const char *pm_gc_stderr(pm_heap *h, size_t *len);   /* text written since the last clear */
void pm_gc_stderr_clear(pm_heap *h);

/* ---- Tracing for the visualizer ------------------------------------------------------ */
void pm_gc_trace_enable(pm_heap *h, int on);
const pm_gc_trace_entry *pm_gc_trace_get(pm_heap *h, pm_gc_phase phase, size_t *n);
int pm_gc_trace_generation(pm_heap *h);     /* generation of the traced collection, -1 if none */
/* The counts of the last traced collection: collected (m: unreachable
 * objects found, weakrefs that died after their callback included) and
 * uncollectable (n); gc.collect() returned their sum. -1 each when none ran. */
void pm_gc_trace_result(pm_heap *h, int64_t *collected, int64_t *uncollectable);
void pm_gc_set_observer(pm_heap *h, pm_gc_observer fn, void *ctx);

/* callable(a0) (n = 1) or callable(a0, a1) (n = 2) through pm_host_call,
 * as CPython's vectorcall does it: the argument tuple the hook needs is
 * allocated outside the free list, does not move count[0], and is freed
 * straight away unless the host kept a reference to it. Exceptions are the
 * host's (PyErr_WriteUnraisable). */
void _pm_call_host2(pm_heap *h, pm_object *callable, int n, pm_object *a0, pm_object *a1);

/* ---- Consistency ----------------------------------------------------------------- */
/* Walks the generation lists: links, no collection flags left over, every
 * object a live GC object with a positive refcount. PM_OK or PM_ECORRUPT
 * with a message. */
pm_status pm_gc_check(pm_heap *h);

#endif /* PM_GC_H */
