/* tracemalloc.h — tracing of the heap's allocations (CPython 3.12
 * Modules/_tracemalloc.c, Python/tracemalloc.c; the Python layer,
 * Lib/tracemalloc.py, is web/lib/tracemalloc.js).
 *
 * While tracing, every block handed out by pm_malloc / pm_calloc /
 * pm_realloc in any of the three domains carries a trace: its requested
 * size (the charged 64-bit size the core asked for, not the size class)
 * and the traceback of the frames running at that moment. All of them are
 * domain 0 (DEFAULT_DOMAIN), as every Python allocation is in CPython;
 * other domains come only from pm_tracemalloc_track (PyTraceMalloc_Track).
 * realloc replaces the block's trace; freeing an untraced block (one
 * allocated before start(), or made by the core's raw bookkeeping) is
 * ignored; objects reused from a free list make no allocation, so no trace.
 *
 * Tracebacks: the core's frame stack (frame.h) from the current frame to
 * the oldest, most recent first, at most nframe frames of (co_filename,
 * frame->lineno); total_nframe counts every frame (capped at 65535). With
 * no frame at all the traceback is CPython's empty traceback, one frame
 * "<unknown>":0 with total_nframe 1. Tracebacks and filenames are interned
 * (same frames -> same traceback id); filenames are copied as UTF-8 C
 * strings (CPython keeps a strong reference to the str object instead: the
 * filename's refcount is not raised here).
 *
 * tracemalloc's own memory (traces table, interned tracebacks and
 * filenames, the capture buffer, the export blob) comes from the raw
 * allocator's bookkeeping, never from a domain, so it is never traced;
 * pm_tracemalloc_memory reports those bytes (requested sizes). The number
 * differs from CPython's get_tracemalloc_memory(), which counts its C
 * hashtables' own layout.
 *
 * Cost when tracing is off: one predictable branch on h->tracing in each
 * domain entry point (obmalloc.c).
 */
#ifndef PM_TRACEMALLOC_H
#define PM_TRACEMALLOC_H

#include "object.h"

#define PM_TM_MAX_NFRAME 65535u     /* MAX_NFRAME: UINT16_MAX */
#define PM_TM_DEFAULT_DOMAIN 0u

/* tracemalloc.start(nframe): 0, or -1 with ValueError "the number of
 * frames must be in range [1; 65535]" (checked first, even while tracing)
 * or MemoryError. Already tracing: nothing changes (the limit neither). */
int pm_tracemalloc_start(pm_heap *h, int32_t nframe);
/* stop(): tracing off, every trace, traceback and filename dropped, current
 * and peak back to 0. No-op when not tracing. */
void pm_tracemalloc_stop(pm_heap *h);
int pm_tracemalloc_is_tracing(const pm_heap *h);
/* clear_traces(): as stop() but tracing goes on. No-op when not tracing. */
void pm_tracemalloc_clear_traces(pm_heap *h);
/* get_traced_memory(): (0, 0) when not tracing. */
void pm_tracemalloc_get_traced_memory(const pm_heap *h, uint64_t *current, uint64_t *peak);
/* reset_peak(): peak = current (no-op when not tracing). */
void pm_tracemalloc_reset_peak(pm_heap *h);
/* get_traceback_limit(): the nframe of the last start() (1 before any). */
int32_t pm_tracemalloc_traceback_limit(const pm_heap *h);
/* get_tracemalloc_memory(): bookkeeping bytes tracemalloc holds (see above). */
uint64_t pm_tracemalloc_memory(const pm_heap *h);

/* PyTraceMalloc_Track / PyTraceMalloc_Untrack: 0, -2 when not tracing,
 * -1 (MemoryError) when the trace could not be stored. Track replaces an
 * existing trace of (domain, ptr). */
int pm_tracemalloc_track(pm_heap *h, uint32_t domain, uintptr_t ptr, uint64_t size);
int pm_tracemalloc_untrack(pm_heap *h, uint32_t domain, uintptr_t ptr);

/* The trace of (domain, ptr): its traceback id (size in *size), or -1 when
 * the block is untraced or tracing is off. */
int64_t pm_tracemalloc_get_trace(const pm_heap *h, uint32_t domain, uintptr_t ptr, uint64_t *size);
/* _PyTraceMalloc_GetObjectTraceback: the traceback id of the block holding
 * o (looked up at o minus its pre-header and GC head), or -1 (None). */
int64_t pm_tracemalloc_object_traceback(const pm_heap *h, pm_object *o);
/* _PyTraceMalloc_NewReference: an object taken from a free list gets the
 * current traceback if its block is traced (its size stays). Called by
 * the free lists through pm_tracemalloc_new_reference. */
void _pm_tm_new_reference(pm_heap *h, pm_object *o);
static inline void pm_tracemalloc_new_reference(pm_heap *h, pm_object *o) {
    if (__builtin_expect(h->tracing != NULL, 0)) _pm_tm_new_reference(h, o);
}

/* Live traces now, interned tracebacks now. */
uint64_t pm_tracemalloc_ntraces(const pm_heap *h);
uint32_t pm_tracemalloc_ntracebacks(const pm_heap *h);
/* Traceback `id`: frame count (*nframe, *total_nframe); -1 for a bad id. */
int pm_tracemalloc_traceback(const pm_heap *h, uint32_t id, uint32_t *nframe, uint32_t *total_nframe);
/* Frame i of traceback id (0 = most recent): filename (NUL-terminated
 * UTF-8, valid until the traces are cleared) and *lineno; NULL if out of range. */
const char *pm_tracemalloc_frame(const pm_heap *h, uint32_t id, uint32_t i, int32_t *lineno);

/* The snapshot for _get_traces(): a self-contained blob of little-endian
 * u32 words, offsets relative to its start, valid until the next export,
 * clear_traces or stop:
 *
 *   [0] ntraces  [1] ntracebacks  [2] nfilenames  [3] traceback limit
 *   [4] traces offset  [5] tracebacks offset  [6] filenames offset  [7] blob bytes
 *   traces:     ntraces x { domain, traceback id, size low, size high }
 *   tracebacks: ntracebacks x offset of { nframe, total_nframe, nframe x { filename id, lineno } }
 *               (frames most recent first, as _tracemalloc returns them)
 *   filenames:  nfilenames x offset of a NUL-terminated UTF-8 string
 *
 * NULL (with PM_ENOMEM) if the blob cannot be allocated; a blob with no
 * traces when not tracing. */
const uint8_t *pm_tracemalloc_export(pm_heap *h, size_t *len);

#endif /* PM_TRACEMALLOC_H */
