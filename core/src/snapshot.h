/* snapshot.h — what the visualizer reads (ARCHITECTURE decision 9).
 *
 * A snapshot lists the objects reachable from the roots the host names
 * (module globals, frames, JS handles) plus every object the collector
 * tracks (so unreachable cycles show up, which is the point of the view),
 * each with its header facts and the objects it references (pm_object_refs
 * order: a list's items in index order, a dict's keys and values in
 * insertion order, ...), and for a live weak reference its referent (the
 * `weak` field, apart from the strong references; a referent only weakly
 * reached is listed too, not marked REACHABLE). The visualizer joins
 * snapshots by address. Taking a
 * snapshot reads the heap and never changes it: no reference counts move,
 * nothing is allocated in the arenas (the buffers come from the raw
 * allocator's bookkeeping, like CPython's own tooling memory).
 */
#ifndef PM_SNAPSHOT_H
#define PM_SNAPSHOT_H

#include "object.h"

enum {
    PM_SNAP_GEN_UNTRACKED = 0xff,   /* not in any generation list (non-GC or untracked) */
    PM_SNAP_GEN_PERMANENT = 3,      /* gc.freeze()'s permanent generation */
};

enum {
    PM_SNAP_IMMORTAL  = 1u << 0,
    PM_SNAP_FINALIZED = 1u << 1,    /* tp_finalize ran (PEP 442 bit) */
    PM_SNAP_GC_TYPE   = 1u << 2,    /* type has HAVE_GC (getsizeof counts the GC head) */
    PM_SNAP_ROOT      = 1u << 3,    /* named by the host as a root */
    PM_SNAP_REACHABLE = 1u << 4,    /* reachable from a root */
};

typedef struct pm_snap_obj {
    uintptr_t addr;         /* id(obj) */
    uintptr_t type;         /* address of type(obj) */
    uint32_t refcnt;        /* low 32 bits of ob_refcnt (0xFFFFFFFF: immortal) */
    uint32_t size;          /* sys.getsizeof */
    uint32_t first_ref;     /* index of its first referent in refs[] */
    uint32_t nrefs;
    uint16_t type_id;       /* pm_type_id of a built-in type, PM_T__COUNT otherwise */
    uint8_t gen;            /* 0, 1, 2, PM_SNAP_GEN_PERMANENT or PM_SNAP_GEN_UNTRACKED */
    uint8_t flags;          /* PM_SNAP_* */
    uintptr_t weak;         /* a live weakref's or proxy's referent (a weak reference: not in refs[],
                               not counted for REACHABLE; also an entry of objs), 0 otherwise */
} pm_snap_obj;

typedef struct pm_snapshot {
    uint32_t nobjs, nrefs;
    pm_snap_obj *objs;      /* roots first (in the order given), then breadth-first */
    uintptr_t *refs;        /* referent addresses; each is also an entry of objs */
    const uint32_t *tracebacks;   /* after pm_snapshot_take_traced: each object's tracemalloc traceback
                                     as of the take (id + 1; 0: none), nobjs of them; else NULL */
} pm_snapshot;

/* Takes a snapshot into the heap's snapshot buffers (replacing the last
 * one). roots may repeat or be NULL entries (skipped). PM_ENOMEM if the
 * bookkeeping memory runs out (the heap is unchanged). */
pm_status pm_snapshot_take(pm_heap *h, pm_object *const *roots, size_t nroots);
/* pm_snapshot_take, then each listed object's tracemalloc traceback (_get_object_traceback) into
 * the snapshot's `tracebacks`, read while the walk has just found every listed object alive (so
 * none is checked again: nothing runs in between). PM_ENOMEM as pm_snapshot_take. */
pm_status pm_snapshot_take_traced(pm_heap *h, pm_object *const *roots, size_t nroots);
/* The last snapshot (valid until the next take or pm_snapshot_release). */
const pm_snapshot *pm_snapshot_last(pm_heap *h);
void pm_snapshot_release(pm_heap *h);
/* A u32 per record of the last snapshot (nobjs of them, at least one), for the caller to fill:
 * in the snapshot's own bookkeeping (the heap's raw allocator, like its tables), valid until
 * the next take or release; NULL when there is no snapshot or no memory. */
uint32_t *pm_snapshot_per_object(pm_heap *h);

#endif
