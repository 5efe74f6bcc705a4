/* traceapi.c — the wasm boundary for tracemalloc (core/src/tracemalloc.h)
 * and the frames' current line, which tracemalloc records.
 *
 * Conventions are objapi.c's: every export checks the heap handle; int32
 * results are a status (< 0) or a count / boolean; a Python exception
 * (start()'s ValueError) is PM_EPYTHON with its kind and message in
 * pmw_exc_kind / pmw_exc_msg. Byte counts are returned as doubles (they
 * are 64-bit in the model). Snapshots are the blob of
 * pm_tracemalloc_export, decoded by web/lib/tracemalloc.js.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../frame.h"
#include "../tracemalloc.h"
#include "../snapshot.h"
#include "api.h"

/* A call with no result: OK, or EDEAD. */
static int32_t simple(uint32_t hp, void (*fn)(pm_heap *), int mutated) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    fn(h);
    return pmw_finish(h, 0, mutated);
}

/* tracemalloc.start(nframe) */
EXPORT int32_t pmw_tm_start(uint32_t hp, int32_t nframe) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    return pmw_finish(h, pm_tracemalloc_start(h, nframe), 1);
}

EXPORT int32_t pmw_tm_stop(uint32_t hp) { return simple(hp, pm_tracemalloc_stop, 1); }

EXPORT int32_t pmw_tm_is_tracing(uint32_t hp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    return pmw_finish(h, pm_tracemalloc_is_tracing(h), 0);
}

EXPORT int32_t pmw_tm_clear_traces(uint32_t hp) { return simple(hp, pm_tracemalloc_clear_traces, 1); }

EXPORT int32_t pmw_tm_reset_peak(uint32_t hp) { return simple(hp, pm_tracemalloc_reset_peak, 0); }

EXPORT int32_t pmw_tm_traceback_limit(uint32_t hp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    return pmw_finish(h, pm_tracemalloc_traceback_limit(h), 0);
}

/* which: 0 current traced bytes, 1 peak, 2 tracemalloc's own memory,
 * 3 live traces. A status (< 0) for a dead heap or a bad `which`. */
EXPORT double pmw_tm_memory(uint32_t hp, int32_t which) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    uint64_t cur, peak;
    pm_tracemalloc_get_traced_memory(h, &cur, &peak);
    switch (which) {
    case 0: return (double)cur;
    case 1: return (double)peak;
    case 2: return (double)pm_tracemalloc_memory(h);
    case 3: return (double)pm_tracemalloc_ntraces(h);
    default:
        _pm_set_status(h, PM_EINVAL, "tracemalloc memory: unknown figure %d", (int)which);
        return PM_EINVAL;
    }
}

/* _get_traces(): the snapshot blob (valid until the next snapshot, clear
 * or stop), its length in pmw_obj_text_len's slot is not used: the blob
 * says its own length (word 7). 0 with the status set on failure. */
EXPORT uint32_t pmw_tm_snapshot(uint32_t hp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    const uint8_t *b = pm_tracemalloc_export(h, NULL);
    if (b) _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)b;
}

/* _get_object_traceback(obj): traceback id + 1, 0 for None (untraced or
 * not tracing), or a status for a bad handle. The frames are in the next
 * pmw_tm_snapshot's traceback table. */
EXPORT int32_t pmw_tm_object_traceback(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = pmw_obj(h, op);
    if (!o) return pm_heap_last_status(h);
    return pmw_finish(h, pm_tracemalloc_object_traceback(h, o) + 1, 0);
}

/* _get_object_traceback() for every object of the heap's last snapshot (pmw_snapshot), in its
 * order: traceback id + 1 (0: None — untraced, not tracing, or no longer an object), as a u32
 * array of the snapshot's nobjs entries in the snapshot's bookkeeping (valid until the next
 * snapshot); 0 with a status when there is no snapshot or no memory. One call for what
 * pmw_tm_object_traceback answers object by object: the playground asks for every object it
 * shows at every step, and the boundary and handle checks of 10,000 calls were ~3 ms of each
 * step. Each object is still checked (a snapshot outlives the objects it lists once the program
 * runs on). The array is the heap's (its raw allocator, as the snapshot's tables are), never
 * process memory: replays of a program must find the process allocator as they left it, so
 * that they lay out their heaps at the same addresses. */
EXPORT uint32_t pmw_tm_snapshot_tracebacks(uint32_t hp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    const pm_snapshot *s = pm_snapshot_last(h);
    if (!s) {
        _pm_set_status(h, PM_EINVAL, "snapshot tracebacks: no snapshot taken");
        return 0;
    }
    uint32_t *out = pm_snapshot_per_object(h);
    if (!out) {
        _pm_set_status(h, PM_ENOMEM, "snapshot tracebacks: out of bookkeeping memory for %u entries", (unsigned)s->nobjs);
        return 0;
    }
    for (uint32_t i = 0; i < s->nobjs; i++) {
        pm_object *o = pmw_obj(h, (uint32_t)s->objs[i].addr);
        out[i] = o ? (uint32_t)(pm_tracemalloc_object_traceback(h, o) + 1) : 0;
    }
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)out;
}

/* PyTraceMalloc_Track(domain, ptr, size) / Untrack: 0, -2 when not tracing
 * (CPython's return values), or a status. */
EXPORT int32_t pmw_tm_track(uint32_t hp, uint32_t domain, uint32_t ptr, double size) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    if (!(size >= 0 && size <= 9007199254740992.0)) {
        _pm_set_status(h, PM_EINVAL, "tracemalloc track: size %f is not a byte count", size);
        return PM_EINVAL;
    }
    int r = pm_tracemalloc_track(h, domain, ptr, (uint64_t)size);
    return r == -2 ? -2 : pmw_finish(h, r, 0);
}

EXPORT int32_t pmw_tm_untrack(uint32_t hp, uint32_t domain, uint32_t ptr) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    int r = pm_tracemalloc_untrack(h, domain, ptr);
    return r == -2 ? -2 : pmw_finish(h, r, 0);
}

/* The interpreter's "new line" hook: frame fp (0 = the current frame) is
 * now at `lineno`. EBADPTR if fp is not a frame of the running chain. */
EXPORT int32_t pmw_frame_set_lineno(uint32_t hp, uint32_t fp, int32_t lineno) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    pm_frame *f = fp ? (pm_frame *)(uintptr_t)fp : pm_frame_current(h);
    if (!f || (fp && ((fp & 3) || !pm_frame_is_linked(h, f)))) {
        _pm_set_status(h, PM_EBADPTR, "frame set_lineno: %p is not a running frame", (void *)f);
        return PM_EBADPTR;
    }
    pm_frame_set_lineno(f, lineno);
    return 0;
}

/* A mirror of an interpreter frame (frame.h, pm_frame_push_mirror) on top
 * of the frame stack: code must be a code object, globals and builtins
 * dicts (or 0); they are borrowed. Returns the frame's address, 0 on
 * failure (status and exception as usual). */
EXPORT uint32_t pmw_frame_push_mirror(uint32_t hp, uint32_t cp, uint32_t gp, uint32_t bp, int32_t lineno) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *code = pmw_obj_of(h, cp, PM_T_CODE, "frame push_mirror");
    pm_object *g = gp ? pmw_obj_of(h, gp, PM_T_DICT, "frame push_mirror") : NULL;
    pm_object *b = bp ? pmw_obj_of(h, bp, PM_T_DICT, "frame push_mirror") : NULL;
    if (!code || (gp && !g) || (bp && !b)) return 0;
    pm_frame *f = pm_frame_push_mirror(h, code, g, b, lineno);
    pmw_finish(h, f ? 0 : -1, 0);
    return (uint32_t)(uintptr_t)f;
}

/* Pops the mirror frame fp, which must be the current frame. */
EXPORT int32_t pmw_frame_pop_mirror(uint32_t hp, uint32_t fp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    return pmw_finish(h, pm_frame_pop_mirror(h, (pm_frame *)(uintptr_t)fp), 0);
}
