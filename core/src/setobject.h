/* setobject.h — set and frozenset objects (CPython 3.12, Objects/setobject.c,
 * Include/cpython/setobject.h).
 *
 * Layout (64-bit model): [GC head 16][PySetObject 200], the 200 bytes
 * including the embedded 8-entry smalltable. A table of more than 8 slots
 * is a separate PyMem_Malloc (MEM domain) block of 16 bytes per slot, so
 * sys.getsizeof is 216 while small and 216 + 16 * (mask + 1) after that.
 *
 * Sets have no free list; set() and frozenset() are always tracked by the
 * GC from creation (PyType_GenericAlloc). Iteration follows the table, so
 * the printed order of a set depends on the hashes, the insertion history
 * (collisions, dummies left by discards) and the resize points, exactly as
 * in CPython: LINEAR_PROBES = 9 consecutive slots per probe, then the
 * perturbed recurrence, dummies reused by set_add_entry, set_insert_clean
 * on resize.
 *
 * Reference conventions as in object.h (new / borrowed; NULL or -1 with an
 * exception set on failure). Operator forms (pm_set_or, ...) return a new
 * reference to NotImplemented when an operand is not a set or frozenset.
 */
#ifndef PM_SETOBJECT_H
#define PM_SETOBJECT_H

#include "object.h"
#include "tupleobject.h"   /* pm_iternext_fn */

#define PM_SET_MINSIZE      8
#define PM_SET_OBJECT_SIZE  200      /* sizeof(PySetObject), 64-bit */
#define PM_SET_ENTRY_SIZE   16       /* sizeof(setentry) */

typedef struct pm_setentry {
    pm_object *key;                   /* NULL: never used; the dummy: deleted */
    int64_t hash;                     /* -1 for a dummy, 0 for an unused slot */
} pm_setentry;                        /* model: 16 bytes */

/* PySetObject. CPython's finger is a Py_ssize_t; a table index always fits
 * 32 bits in the model's heap, so the host keeps 32 bits and uses the other
 * 32 for model-only flags (the repr recursion guard). */
typedef struct pm_setobject {
    pm_object ob_base;
    int64_t fill;                     /* active + dummy entries */
    int64_t used;                     /* active entries */
    int64_t mask;                     /* table size - 1 */
    pm_setentry *table;               /* smalltable or a MEM-domain block */
    int64_t hash;                     /* frozenset hash cache, -1 if not computed */
    uint32_t finger;                  /* pop() search start */
    uint32_t flags;                   /* PM_SET_FLAG_* */
    pm_setentry smalltable[PM_SET_MINSIZE];
    pm_object *weakreflist;           /* head of the weakrefs to this set (tp_weaklistoffset) */
} pm_setobject;

#define PM_SET_FLAG_REPR 1u

/* The dummy key marking deleted slots (identity only; never dereferenced). */
pm_object *pm_set_dummy(void);

/* ---- Type checks ---------------------------------------------------------- */
static inline int pm_set_check_exact(pm_heap *h, pm_object *o) { return PM_TYPE(o) == pm_builtin_type(h, PM_T_SET); }
static inline int pm_frozenset_check_exact(pm_heap *h, pm_object *o) {
    return PM_TYPE(o) == pm_builtin_type(h, PM_T_FROZENSET);
}
static inline int pm_anyset_check(pm_heap *h, pm_object *o) {
    return pm_set_check_exact(h, o) || pm_frozenset_check_exact(h, o);
}

/* ---- Construction ------------------------------------------------------------
 * `iterable` may be NULL, a set, a frozenset or a dict (its keys); other
 * iterables are fed element by element with pm_set_add by the caller
 * (set(range(n)) is n adds in CPython too). */
pm_object *pm_set_new(pm_heap *h, pm_object *iterable);        /* PySet_New, set(x), {a, b} = new + adds */
pm_object *pm_frozenset_new(pm_heap *h, pm_object *iterable);  /* PyFrozenSet_New: always a new object */
pm_object *pm_frozenset_call(pm_heap *h, pm_object *iterable); /* frozenset(x): x itself if an exact frozenset */
/* The generic iterable path of set_update_internal: adds every key `next`
 * produces (new references, NULL at the end or with an exception set).
 * set(it) in CPython is make_new_set (the set object first), then
 * PyObject_GetIter (the iterator object), then this loop: the interpreter
 * creates the set with pm_set_new(h, NULL), then its iterator, then calls
 * this. 0 or -1. */
int pm_set_update_iter(pm_heap *h, pm_object *so, pm_iternext_fn next, void *ctx);

/* ---- Elements -------------------------------------------------------------- */
int pm_set_add(pm_heap *h, pm_object *s, pm_object *key);        /* 0 or -1 */
/* s.discard(key): 1 found and removed, 0 absent, -1 error. Like CPython,
 * a set key that is unhashable is retried as a temporary frozenset. */
int pm_set_discard(pm_heap *h, pm_object *s, pm_object *key);
int pm_set_remove(pm_heap *h, pm_object *s, pm_object *key);     /* 0, or -1 + KeyError */
int pm_set_contains(pm_heap *h, pm_object *s, pm_object *key);   /* 1, 0, -1 */
int64_t pm_set_len(pm_heap *h, pm_object *s);
pm_object *pm_set_pop(pm_heap *h, pm_object *s);                 /* new reference, or KeyError */
int pm_set_clear(pm_heap *h, pm_object *s);                      /* set_clear_internal */

/* Iteration by table index (_PySet_NextEntry): borrowed key (and hash).
 *     int64_t pos = 0; pm_object *k; int64_t hv;
 *     while (pm_set_next(h, s, &pos, &k, &hv)) { ... } */
int pm_set_next(pm_heap *h, pm_object *s, int64_t *pos, pm_object **key, int64_t *hash);

/* ---- Whole-set operations ---------------------------------------------------
 * Method forms take one `other` that is a set, frozenset or dict; the
 * result has the type of `so` (set or frozenset). */
pm_object *pm_set_copy(pm_heap *h, pm_object *so);               /* set.copy / frozenset.copy */
pm_object *pm_set_union(pm_heap *h, pm_object *so, pm_object *other);
pm_object *pm_set_intersection(pm_heap *h, pm_object *so, pm_object *other);
pm_object *pm_set_difference(pm_heap *h, pm_object *so, pm_object *other);
pm_object *pm_set_symmetric_difference(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_update(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_intersection_update(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_difference_update(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_symmetric_difference_update(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_issubset(pm_heap *h, pm_object *so, pm_object *other);    /* 1, 0, -1; other a set/frozenset */
int pm_set_issuperset(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_isdisjoint(pm_heap *h, pm_object *so, pm_object *other);
int pm_set_eq(pm_heap *h, pm_object *a, pm_object *b);               /* both sets/frozensets */

/* Operators a | b, a & b, a - b, a ^ b (set_or, set_and, set_sub, set_xor). */
pm_object *pm_set_or(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_set_and(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_set_sub(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_set_xor(pm_heap *h, pm_object *a, pm_object *b);

#endif /* PM_SETOBJECT_H */
