/* check_objects.h — the object-level invariant checker.
 *
 * pm_heap_check (check.c) verifies the allocator; this verifies the objects
 * living in it. Given the external references a caller holds (the JS
 * handles, a fuzzer's handle table, a test's locals) it walks every object
 * reachable from them, from the static objects and from the collector's
 * generation lists, recomputes each object's reference count from the
 * references actually held, and compares it with ob_refcnt (immortals are
 * exempt). References are found through tp_traverse (pm_object_traverse)
 * plus a small per-type "extra references" helper in check_objects.c for
 * the references tp_traverse does not report (range's int fields, the str
 * keys of a unicode dict table, a non-GC instance's heap type).
 *
 * Per-type structural checks (list size <= allocated, dict/set counts and
 * probe chains, tuple items, GC tracking rules) come from a table indexed
 * by pm_type_id: a new type gets reference counting for free through its
 * tp_traverse and may add an entry for its own structure.
 *
 * The checker is read-only: it never changes a reference count or an
 * object (the only writes are the heap's status and message). Its work
 * memory comes from the caller's allocator when one is given (so checking
 * a heap at its limit neither fails nor moves the heap's footprint), else
 * from the heap's raw bookkeeping (PM_ENOMEM, no verdict, if that fails).
 *
 * Mirrors the intent of CPython 3.12's _PyDict_CheckConsistency,
 * _PyObject_AssertFailed-style checks and the "refchain" accounting of
 * debug builds (Py_TRACE_REFS), which CPython does not offer for release
 * builds.
 */
#ifndef PM_CHECK_OBJECTS_H
#define PM_CHECK_OBJECTS_H

#include "object.h"

/* One external reference holder: `count` strong references to obj. The
 * same object may appear in several entries; the counts add up. */
typedef struct pm_objroot {
    pm_object *obj;
    uint64_t count;
} pm_objroot;

/* Options (NULL = all defaults). */
#define PM_OCHECK_NO_GARBAGE  1u   /* fail if a tracked object is not reachable from the roots
                                      (an unreferenced cycle: a leak while there is no collector) */
#define PM_OCHECK_NO_CONTENT  2u   /* skip the per-container content checks (hash probes): cheaper */

typedef struct pm_objcheck_opts {
    unsigned flags;                           /* PM_OCHECK_* */
    /* work memory (hash set and queue); NULL: the heap's raw bookkeeping */
    void *(*ws_alloc)(void *ctx, size_t n);
    void (*ws_free)(void *ctx, void *p);
    void *ws_ctx;
} pm_objcheck_opts;

typedef struct pm_objcheck_result {
    uint64_t objects;        /* distinct objects visited (immortals included) */
    uint64_t mortal;         /* of which mortal (their counts were compared) */
    uint64_t references;     /* references counted, roots excluded */
    uint64_t tracked;        /* objects on the GC generation lists */
    uint64_t garbage;        /* tracked objects not reachable from the roots */
} pm_objcheck_result;

/* Walks and verifies; PM_OK, PM_ECORRUPT with the first failure in
 * pm_heap_error(h) (e.g. "object check failed: list at 0x... refcount 3,
 * expected 2 (1 from roots, 1 from containers)"), PM_ENOMEM when work
 * memory could not be had, PM_EDEAD for a dead heap. out may be NULL. */
pm_status pm_objects_check(pm_heap *h, const pm_objroot *roots, size_t nroots, const pm_objcheck_opts *opts,
                           pm_objcheck_result *out);

/* The heap's allocation figures, for the "back to baseline" check: bytes in
 * allocated pymalloc blocks (MEM and OBJ) plus live raw-domain blocks. */
typedef struct pm_objbaseline {
    uint64_t pymalloc_bytes;     /* bytes_in_allocated_blocks */
    uint64_t raw_blocks;         /* live raw blocks handed out by a domain call */
    uint64_t raw_bytes;          /* their requested bytes */
} pm_objbaseline;

/* Clears the object free lists (float, tuple, list, dict and dict keys:
 * the _pm_*_clear_freelist hooks, as gc.collect(2) does) and records the
 * figures. Take it right after pm_heap_new, before any object exists. */
void pm_objects_baseline(pm_heap *h, pm_objbaseline *out);

/* After every root was released: clears the free lists again and compares
 * with the baseline. PM_OK, or PM_ECORRUPT naming what is left over. */
pm_status pm_objects_check_baseline(pm_heap *h, const pm_objbaseline *base);

#endif /* PM_CHECK_OBJECTS_H */
