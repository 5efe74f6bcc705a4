/* object.h — the object model: headers, type objects, reference counting,
 * allocation with 64-bit charged sizes, GC headers, exceptions.
 *
 * Mirrors CPython 3.12's Include/object.h, Include/cpython/object.h and
 * Include/internal/pycore_gc.h. Every object lives in a block of the heap's
 * allocator whose size is what 64-bit CPython 3.12 would request:
 *
 *     [pre-header 16, if MANAGED_DICT|MANAGED_WEAKREF][GC head 16, if HAVE_GC][object: tp_basicsize + n*tp_itemsize]
 *                                                                              ^ pm_object * points here
 *
 * The host struct stored at the object pointer (wasm32 pointers are 4 bytes)
 * must fit in the charged size; each type file static-asserts that its
 * struct is no larger than its model basic size. Model sizes and host
 * sizes are kept apart: tp_basicsize / tp_itemsize are always the 64-bit
 * numbers, never sizeof().
 *
 * Conventions (CPython's):
 *   - "new reference": the caller owns one count of the returned object.
 *   - "borrowed": the caller must incref to keep it.
 *   - functions that fail return NULL (or -1) with an exception set in the
 *     heap (pm_err_*), status PM_EPYTHON; out of memory sets MemoryError
 *     with status PM_ENOMEM.
 */
#ifndef PM_OBJECT_H
#define PM_OBJECT_H

#include "internal.h"

typedef struct pm_object pm_object;
typedef struct pm_type pm_type;
typedef struct pm_strbuf pm_strbuf;

/* ---- Headers ----------------------------------------------------------- */

struct pm_object {
    uint64_t ob_refcnt;         /* low 32 bits are the count; PM_IMMORTAL_REFCNT marks immortals (3.12) */
    pm_type *ob_type;
};                              /* model: 16 bytes */

typedef struct pm_varobject {
    pm_object ob_base;
    int64_t ob_size;            /* number of items */
} pm_varobject;                 /* model: 24 bytes */

/* The GC head sits immediately before the object (model: 16 bytes).
 * _gc_next == 0 means "not tracked". _gc_prev holds the previous pointer
 * shifted by PM_GC_PREV_SHIFT, with FINALIZED and COLLECTING in the low
 * bits (pycore_gc.h). Host pointers, model size. */
typedef struct pm_gc_head {
    uintptr_t _gc_next;
    uintptr_t _gc_prev;
} pm_gc_head;

#define PM_GC_HEAD_SIZE     16      /* model */
#define PM_PREHEADER_SIZE   16      /* model: managed dict + managed weakref words */
#define PM_GC_PREV_MASK_FINALIZED   1u
#define PM_GC_PREV_MASK_COLLECTING  2u
#define PM_GC_PREV_SHIFT            2
#define PM_GC_PREV_MASK             (~(uintptr_t)3)

#define PM_AS_GC(o)   ((pm_gc_head *)((char *)(o) - PM_GC_HEAD_SIZE))
#define PM_FROM_GC(g) ((pm_object *)((char *)(g) + PM_GC_HEAD_SIZE))

#define PM_IMMORTAL_REFCNT 0xFFFFFFFFu

#define PM_TYPE(o)  (((pm_object *)(o))->ob_type)
#define PM_SIZE(o)  (((pm_varobject *)(o))->ob_size)   /* never on int/bool: lv_tag sits there; use pm_object_sizeof */

/* ---- Type flags (values as in CPython's object.h) ------------------------ */
#define PM_TPFLAGS_MANAGED_WEAKREF  (1u << 3)
#define PM_TPFLAGS_MANAGED_DICT     (1u << 4)
#define PM_TPFLAGS_HEAPTYPE         (1u << 9)
#define PM_TPFLAGS_BASETYPE         (1u << 10)
#define PM_TPFLAGS_HAVE_GC          (1u << 14)
#define PM_TPFLAGS_IMMUTABLETYPE    (1u << 8)
#define PM_TPFLAGS_BASE_EXC_SUBCLASS (1u << 30)   /* BaseException and its subclasses (excobject.c) */

typedef int (*pm_visitproc)(pm_object *o, void *arg);

#define PM_NOTIMPL 2   /* tp_eq: "NotImplemented", try the reflected operand */

/* Built-in type ids: index into h->types. */
typedef enum pm_type_id {
    PM_T_TYPE, PM_T_OBJECT, PM_T_NONE, PM_T_NOTIMPLEMENTED, PM_T_ELLIPSIS,
    PM_T_INT, PM_T_BOOL, PM_T_FLOAT, PM_T_STR, PM_T_BYTES,
    PM_T_TUPLE, PM_T_LIST, PM_T_DICT, PM_T_SET, PM_T_FROZENSET, PM_T_RANGE,
    PM_T_MEMBER_DESCR, PM_T_GETSET_DESCR,   /* typeobject.c */
    PM_T_CODE, PM_T_FUNCTION, PM_T_CELL, PM_T_METHOD, PM_T_GENERATOR,   /* callables (code/func/cell/class/genobject.c) */
    PM_T_WEAKREF, PM_T_WEAKPROXY, PM_T_WEAKCALLABLEPROXY,    /* weakrefobject.c */
    /* iterobject.c: keep PM_T_LIST_ITER first and PM_T_FILTER last (pm_iter_check) */
    PM_T_LIST_ITER, PM_T_LIST_REVITER, PM_T_TUPLE_ITER, PM_T_STR_ASCII_ITER, PM_T_STR_ITER,
    PM_T_BYTES_ITER, PM_T_REVERSED, PM_T_RANGE_ITER, PM_T_LONGRANGE_ITER, PM_T_DICT_KEYITER,
    PM_T_DICT_VALUEITER, PM_T_DICT_ITEMITER, PM_T_SET_ITER, PM_T_ENUMERATE, PM_T_ZIP, PM_T_MAP,
    PM_T_FILTER,
    /* excobject.h: the 29 built-in exception types (PM_EXC_TYPES order) */
    PM_T_EXC_FIRST, PM_T_EXC_LAST = PM_T_EXC_FIRST + 28,
    /* dictviewobject.c: d.keys(), d.values(), d.items() */
    PM_T_DICT_KEYS, PM_T_DICT_VALUES, PM_T_DICT_ITEMS,
    /* iterobject.c: reversed(d) and reversed(view) (pm_iter_check knows this second range) */
    PM_T_DICT_REVKEYITER, PM_T_DICT_REVVALUEITER, PM_T_DICT_REVITEMITER,
    PM_T_PROPERTY, PM_T_CLASSMETHOD, PM_T_STATICMETHOD,   /* descrobject.c */
    PM_T__COUNT
} pm_type_id;

struct pm_type {
    pm_varobject ob_base;               /* ob_type is h->types[PM_T_TYPE] */
    const char *tp_name;
    uint32_t tp_basicsize;              /* model bytes of the object struct (no GC head, no pre-header) */
    uint32_t tp_itemsize;               /* model bytes per item, 0 if not var-sized */
    uint32_t tp_flags;
    uint32_t type_id;                   /* pm_type_id for built-ins, PM_T__COUNT for heap types */
    pm_type *tp_base;
    /* slots; NULL means "inherit the default" as documented on each */
    void     (*tp_dealloc)(pm_heap *h, pm_object *o);                       /* required */
    int      (*tp_traverse)(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg);  /* GC types */
    int      (*tp_clear)(pm_heap *h, pm_object *o);                        /* GC types that can be in cycles */
    size_t   (*tp_sizeof)(pm_heap *h, pm_object *o);    /* __sizeof__; NULL: basicsize + ob_size*itemsize */
    int64_t  (*tp_hash)(pm_heap *h, pm_object *o);      /* -1 + exception if unhashable; NULL: unhashable */
    int      (*tp_eq)(pm_heap *h, pm_object *a, pm_object *b);  /* 1, 0, PM_NOTIMPL, or -1 + exception */
    int      (*tp_repr)(pm_heap *h, pm_object *o, pm_strbuf *out);  /* appends repr; NULL: <name object at 0x..> */
    /* tp_finalize (PEP 442): non-NULL when instances have a finalizer.
     * For heap types whose class defines __del__ it is
     * pm_finalize_via_host (the host runs the Python body). Called only
     * through pm_object_call_finalizer*, which enforce "at most once". */
    void     (*tp_finalize)(pm_heap *h, pm_object *o);
    /* Where the weakref list head lives (tp_weaklistoffset, host bytes):
     * 0 = not weakly referenceable, > 0 = offset of a pm_object * field
     * inside the host struct, PM_WEAKLIST_MANAGED = the pre-header word
     * at o - 32 (3.12's MANAGED_WEAKREF). Use pm_object_weaklist(). */
    int32_t  tp_weaklistoffset;
    /* Descriptor protocol (tp_descr_get / tp_descr_set): functions bind to
     * instances, __slots__ members read and write their slot. descr_get
     * returns a new reference (obj is NULL for access through the class);
     * descr_set with value NULL deletes. NULL slots: not a descriptor. */
    pm_object *(*tp_descr_get)(pm_heap *h, pm_object *descr, pm_object *obj, pm_type *type);
    int      (*tp_descr_set)(pm_heap *h, pm_object *descr, pm_object *obj, pm_object *value);
    /* Every strong reference the object holds, for the checkers and the
     * visualizer (not the collector). Needed only by non-GC types that hold
     * references (range, code); NULL: tp_traverse says it all. */
    int      (*tp_refs)(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg);
    /* tp_weaklist: the weakrefs to this type object (type's
     * tp_weaklistoffset points here; classes and built-in types can be
     * weakly referenced, as in CPython). */
    pm_object *tp_weaklist;
};
#define PM_WEAKLIST_MANAGED (-1)

/* A growable byte buffer for reprs (raw allocator bookkeeping). */
struct pm_strbuf {
    pm_heap *h;
    char *buf;
    size_t len, cap;
    int failed;                         /* set when growing ran out of memory */
};
void _pm_strbuf_init(pm_strbuf *sb, pm_heap *h);
void _pm_strbuf_put(pm_strbuf *sb, const char *s, size_t n);
void _pm_strbuf_puts(pm_strbuf *sb, const char *s);
void _pm_strbuf_printf(pm_strbuf *sb, const char *fmt, ...);
void _pm_strbuf_free(pm_strbuf *sb);

/* ---- Exceptions (set in the heap, raised by the interpreter) ------------- */
typedef enum pm_exc_kind {
    PM_EXC_NONE = 0, PM_EXC_MemoryError, PM_EXC_TypeError, PM_EXC_ValueError,
    PM_EXC_KeyError, PM_EXC_IndexError, PM_EXC_OverflowError, PM_EXC_ZeroDivisionError,
    PM_EXC_AttributeError, PM_EXC_RuntimeError, PM_EXC_RecursionError,
    PM_EXC_UnicodeDecodeError, PM_EXC_UnicodeEncodeError,   /* ValueError subclasses */
    PM_EXC_ReferenceError,      /* a dead weakref.proxy was used (weakrefobject.c) */
    /* Python code run through hooks.slot raised: the host holds the
     * exception object itself (traceback, chaining) and raises it when the
     * core operation returns; the message is only a fallback. */
    PM_EXC_HostError,
    PM_EXC__COUNT
} pm_exc_kind;

/* Sets the pending exception (kind + message) and status PM_EPYTHON
 * (PM_ENOMEM for MemoryError). Always returns NULL-compatible 0 for chaining
 * in "return pm_err_set(...), NULL" style callers. */
void pm_err_set(pm_heap *h, pm_exc_kind kind, const char *fmt, ...);
void pm_err_nomem(pm_heap *h);
pm_exc_kind pm_err_occurred(const pm_heap *h);
void pm_err_clear(pm_heap *h);

/* ---- Reference counting (Py_INCREF / Py_DECREF of 3.12) ------------------ */

static inline int pm_is_immortal(const pm_object *o) {
    return (uint32_t)o->ob_refcnt == PM_IMMORTAL_REFCNT;
}
static inline void pm_incref(pm_object *o) {
    if (!pm_is_immortal(o)) o->ob_refcnt++;
}
void _pm_dealloc(pm_heap *h, pm_object *o);   /* refcount reached 0 */
static inline void pm_decref(pm_heap *h, pm_object *o) {
    if (pm_is_immortal(o)) return;
    if (--o->ob_refcnt == 0) _pm_dealloc(h, o);
}
static inline void pm_xincref(pm_object *o) { if (o) pm_incref(o); }
static inline void pm_xdecref(pm_heap *h, pm_object *o) { if (o) pm_decref(h, o); }
static inline pm_object *pm_newref(pm_object *o) { pm_incref(o); return o; }
/* Py_CLEAR: set the slot to NULL first, then decref the old value. */
#define PM_CLEAR(h, slot) do { pm_object *_tmp = (pm_object *)(slot); if (_tmp) { (slot) = NULL; pm_decref((h), _tmp); } } while (0)

/* ---- Allocation ------------------------------------------------------------ */

/* Model bytes charged in front of the object for type t: pre-header + GC head. */
size_t pm_type_preheader(const pm_type *t);

/* Allocates an object of type t with room for nitems items (charged size:
 * preheader + basicsize + nitems*itemsize, from the OBJ domain). Sets
 * ob_refcnt = 1, ob_type = t (increfs heap types), ob_size = nitems for
 * var-sized types, clears the GC head and pre-header; a GC object is NOT
 * tracked yet (call pm_gc_track when it is fully initialised) but counts as
 * a gen-0 allocation, as _PyObject_GC_Link does. NULL + MemoryError. */
pm_object *pm_object_alloc(pm_heap *h, pm_type *t, size_t nitems);
/* The same with an explicit model object size (pre-header excluded), for
 * types whose CPython constructor requests an exact byte count rather than
 * the pointer-rounded _PyObject_VAR_SIZE (int: 24 + 4*ndigits, bytes: 33 + n,
 * str: header + (n + 1) * kind). ob_size is set to nitems for var types. */
pm_object *pm_object_alloc_bytes(pm_heap *h, pm_type *t, size_t objsize, size_t nitems);

/* Resizes a var-sized object in place or by moving it (tuple/bytes/int
 * shrinking): the object must have refcount 1 and be untracked. */
pm_object *pm_object_resize(pm_heap *h, pm_object *o, size_t nitems);

/* Releases the object's block (PyObject_Free / PyObject_GC_Del); for GC
 * types also decrements the gen-0 count if positive. The object must be
 * untracked. Does not touch references the object holds. */
void pm_object_free(pm_heap *h, pm_object *o);

/* Makes o immortal (3.12: refcount field = PM_IMMORTAL_REFCNT). */
void pm_object_immortalize(pm_object *o);

/* ---- GC tracking (the collector itself is gc.c) --------------------------- */
void pm_gc_track(pm_heap *h, pm_object *o);     /* link into generation 0 */
void pm_gc_untrack(pm_heap *h, pm_object *o);   /* unlink; no-op if not tracked */
static inline int pm_gc_is_tracked(const pm_object *o) { return PM_AS_GC(o)->_gc_next != 0; }
static inline int pm_type_is_gc(const pm_type *t) { return (t->tp_flags & PM_TPFLAGS_HAVE_GC) != 0; }

/* ---- Trashcan (Py_TRASHCAN_BEGIN / END of 3.12) ------------------------------
 * Container deallocators wrap their body:
 *
 *     static void list_dealloc(pm_heap *h, pm_object *o) {
 *         pm_gc_untrack(h, o);
 *         int tok = pm_trashcan_begin(h, o, list_dealloc);
 *         if (tok == PM_TRASH_DEFERRED) return;      // freed later, from the chain
 *         ... release references, free buffers ...
 *         pm_trashcan_end(h, tok);
 *     }
 *
 * As in CPython the mechanism only acts when o's own tp_dealloc is `dealloc`
 * (a subclass calling its base's dealloc is not counted twice). begin
 * defers o when PM_TRASH_UNWIND_LEVEL deallocations are already nested; end
 * destroys the deferred chain, newest first, once the nesting unwinds. */
#define PM_TRASH_UNWIND_LEVEL 50
enum { PM_TRASH_DEFERRED = 0, PM_TRASH_COUNTED = 1, PM_TRASH_UNCOUNTED = 2 };
int pm_trashcan_begin(pm_heap *h, pm_object *o, void (*dealloc)(pm_heap *, pm_object *));
void pm_trashcan_end(pm_heap *h, int token);

/* ---- Pre-header words (3.12 MANAGED_DICT / MANAGED_WEAKREF) ------------------
 * Model layout: o-32 weakref list head, o-24 dict-or-values, o-16 GC head.
 * The host stores a pointer in each 8-byte model word. */
#define PM_PREHEADER_WEAKLIST(o) ((pm_object **)((char *)(o) - 32))
#define PM_PREHEADER_DICT(o)     ((uintptr_t *)((char *)(o) - 24))

/* The address of o's weakref list head, or NULL when type(o) does not
 * support weak references (tp_weaklistoffset == 0). */
pm_object **pm_object_weaklist(pm_object *o);
/* PyObject_ClearWeakRefs: called by the deallocator of every weakly
 * referenceable type before it releases anything (weakrefobject.c). Clears
 * each weakref to o and runs callbacks through the host, newest first. */
void _pm_weakref_clear_refs(pm_heap *h, pm_object *o);

/* ---- Finalizers and host calls (ARCHITECTURE decision 5) --------------------
 * Python code (__del__, weakref callbacks, gc.callbacks) runs in the host.
 * The core calls these hooks synchronously where CPython would run the
 * code; the host may allocate, drop references, even run gc.collect().
 * Exceptions raised by __del__ and callbacks are the host's business (it
 * prints "Exception ignored in: ..." as CPython's PyErr_WriteUnraisable
 * does); the core never sees them. Unset hooks do nothing. The slot hook
 * is different: the core needs its result (a user __hash__ / __eq__ inside
 * a dict, set or list operation) and an exception it raises propagates out
 * of the core operation (PM_EXC_HostError). */
typedef struct pm_host_hooks {
    /* run type(o).__del__(o); o is alive (refcount >= 1) during the call */
    void (*finalize)(pm_heap *h, pm_object *o, void *ctx);
    /* call callable(*args) and discard the result; args is a tuple */
    void (*call)(pm_heap *h, pm_object *callable, pm_object *args, void *ctx);
    void *ctx;
    /* Run a slot whose result the core needs (pm_host_slot; PM_SLOT_*):
     * HASH calls type(a).__hash__(a), BOOL the truth of a (__bool__,
     * __len__) as True/False, EQ type(a).__eq__(a, b). Returns a new
     * reference to the result, or NULL when the Python code raised: the
     * host keeps that exception and either leaves the core's error unset
     * or sets PM_EXC_HostError (pm_host_slot does it if it is unset). */
    pm_object *(*slot)(pm_heap *h, int slot, pm_object *a, pm_object *b, void *ctx);
} pm_host_hooks;
enum { PM_SLOT_HASH = 0, PM_SLOT_BOOL = 1, PM_SLOT_EQ = 2 };
void pm_set_host_hooks(pm_heap *h, const pm_host_hooks *hooks);
/* tp_finalize of heap types that define __del__: calls hooks.finalize. */
void pm_finalize_via_host(pm_heap *h, pm_object *o);
/* PyObject_CallFinalizer: runs tp_finalize unless the type has none or
 * (GC types) the object is already marked FINALIZED; marks it first. */
void pm_object_call_finalizer(pm_heap *h, pm_object *o);
/* PyObject_CallFinalizerFromDealloc: for a deallocator whose object has
 * refcount 0. Temporarily resurrects o, runs the finalizer, and returns
 * -1 if the finalizer resurrected o (the deallocator must then return
 * without freeing; o stays alive with its new references), else 0 with
 * the refcount back at 0. */
int pm_object_call_finalizer_from_dealloc(pm_heap *h, pm_object *o);
/* Calls hooks.call(callable, args) (new tuple built by the caller). */
void pm_host_call(pm_heap *h, pm_object *callable, pm_object *args);
/* Calls hooks.slot (a Python slot whose result the core needs) with a and
 * b (b may be NULL) held across the call: the Python code may drop every
 * other reference to them, mutate containers, collect. Returns the new
 * reference, or NULL with an exception set: PM_EXC_HostError when the
 * Python code raised (the host holds it), TypeError when no host can run
 * Python code. */
pm_object *pm_host_slot(pm_heap *h, int slot, pm_object *a, pm_object *b);

/* ---- Generic protocol ------------------------------------------------------ */
pm_type *pm_builtin_type(pm_heap *h, pm_type_id id);   /* borrowed */
size_t pm_object_sizeof(pm_heap *h, pm_object *o);     /* type(o).__sizeof__(o) */
size_t pm_object_getsizeof(pm_heap *h, pm_object *o);  /* sys.getsizeof: __sizeof__ + pre-header */
int64_t pm_object_hash(pm_heap *h, pm_object *o);      /* -1 + TypeError if unhashable */
/* _Py_HashPointer: the address rotated right by 4 bits, -1 mapped to -2. */
static inline int64_t pm_hash_pointer(const void *p) {
    uint64_t y = (uint64_t)(uintptr_t)p;
    y = (y >> 4) | (y << 60);
    int64_t x = (int64_t)y;
    return x == -1 ? -2 : x;
}
/* PyObject_RichCompareBool(a, b, Py_EQ): identity first, then tp_eq (the
 * reflected one first when type(b) is a proper subtype of type(a)); 1/0/-1. */
int pm_object_eq(pm_heap *h, pm_object *a, pm_object *b);
/* PyObject_IsTrue: 1, 0, or -1 with an exception (instances of classes ask
 * the host: __bool__, __len__). */
int pm_object_is_true(pm_heap *h, pm_object *o);
/* Appends repr(o) to sb; returns 0, or -1 with an exception set. */
int pm_object_repr(pm_heap *h, pm_object *o, pm_strbuf *sb);
/* _PyObject_GC_MAY_BE_TRACKED: 0 for non-GC objects (a type object counts
 * as a GC object only when it is a heap type, as type_is_gc says) and for
 * untracked tuples, else 1. Used by the dict and tuple untracking rules. */
int pm_object_may_be_tracked(pm_heap *h, pm_object *o);
/* Calls visit on every object o references (tp_traverse); 0 if none. */
int pm_object_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg);
/* Every strong reference o holds (tp_refs, else tp_traverse): what the
 * refcount checker and the visualizer's snapshot follow. */
int pm_object_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg);
/* Py_ReprEnter / Py_ReprLeave: a container's tp_repr calls enter before it
 * writes its items; 1 means o's repr is already being written further up
 * (write "[...]", "(...)", "{...}"), 0 means o is now registered (call
 * leave when done), -1 an error with an exception set. */
int pm_repr_enter(pm_heap *h, pm_object *o);
void pm_repr_leave(pm_heap *h, pm_object *o);
/* PyObject_Repr's C recursion guard (3.12: Py_C_RECURSION_LIMIT, 1500;
 * measured: repr() of lists nested 1496 deep works at module level, 1497
 * raises "RecursionError: maximum recursion depth exceeded while getting
 * the repr of an object"). */
#define PM_C_RECURSION_LIMIT 1500

/* ---- Per-heap object state --------------------------------------------------
 * Static objects (built-in types, singletons, the small-int cache, one-char
 * strings) live in the raw allocator's bookkeeping memory, not in arenas:
 * in CPython they are statically allocated, so they never appear in
 * pymalloc's statistics. They are immortal. */
#define PM_NSMALLNEGINTS 5
#define PM_NSMALLPOSINTS 257
#define PM_TUPLE_MAXSAVESIZE 20
#define PM_TUPLE_MAXFREELIST 2000
#define PM_FLOAT_MAXFREELIST 100
#define PM_LIST_MAXFREELIST 80
#define PM_DICT_MAXFREELIST 80

typedef struct pm_objstate {
    pm_type types[PM_T__COUNT];
    pm_object *none, *notimplemented, *ellipsis, *true_, *false_;
    pm_object *small_ints[PM_NSMALLNEGINTS + PM_NSMALLPOSINTS];   /* -5..256 */
    pm_object *empty_tuple, *empty_str, *empty_bytes;
    pm_object *latin1[256];             /* the one-character strs U+0000..U+00FF */
    pm_object *bytes1[256];             /* the one-byte bytes */
    struct pm_unicode_state *unicode;   /* str state: intern table, hash key, static identifiers (unicodeobject.c) */

    /* free lists (3.12); their lengths are mirrored in h->freelists for
     * _debugmallocstats */
    pm_object *float_free;              /* linked through ob_type */
    pm_object *tuple_free[PM_TUPLE_MAXSAVESIZE];   /* by length 1..20, linked through item 0 */
    pm_object *list_free[PM_LIST_MAXFREELIST];
    pm_object *dict_free[PM_DICT_MAXFREELIST];
    void *keys_free[PM_DICT_MAXFREELIST];          /* 8-slot unicode keys objects */
    uint32_t keys_nfree;

    /* Py_ReprEnter's set of objects whose repr is being written (raw
     * allocator bookkeeping; CPython keeps a list in the thread state dict) */
    pm_object **repr_active;
    uint32_t repr_len, repr_cap;
    int repr_depth;                     /* nested pm_object_repr calls */

    /* trashcan */
    int trash_nesting;
    pm_object *trash_delete_later;      /* linked through the GC head's _gc_prev */

    /* GC generations (gc.c drives them): sentinels of circular lists */
    pm_gc_head generations[3];
    pm_gc_head permanent;
    int64_t gen_count[3];
    int64_t gen_threshold[3];
    int gc_stress;                      /* GC stress mode (pm_gc_set_stress): 0 off, else 1 + the
                                           generation collected at every GC allocation */

    pm_host_hooks hooks;
    struct pm_snapshot *snap;           /* the visualizer's last snapshot (snapshot.c), raw bookkeeping */

    /* typeobject.c: interned identifiers ("__dict__", "__module__", ...),
     * made with the first class */
    pm_object *type_idents[16];

    /* the thread's frame stack (3.12's data stack chunks and current frame), frame.c */
    struct pm_framestack *frames;

    struct pm_gcstate *gc;              /* the collector's state (gc.c), in the static area */

    /* pending exception */
    pm_exc_kind exc;
    char exc_msg[256];
} pm_objstate;

#define PM_OS(h) ((h)->os)
#define PM_NONE(h) ((h)->os->none)
#define PM_TRUE(h) ((h)->os->true_)
#define PM_FALSE(h) ((h)->os->false_)

/* Set-up of each type file, called by _pm_objects_init in dependency order:
 * fills the type's slots and creates its static objects. Return PM_OK or
 * PM_ENOMEM. */
pm_status _pm_objects_init(pm_heap *h);
void _pm_objects_fini(pm_heap *h);
/* Fills the common fields of a static (immortal, built-in) type object:
 * header, name, model sizes, flags, base object; tp_dealloc refuses (an
 * immortal is never freed) and tp_hash is the pointer hash until the type
 * file sets its own slots. */
void _pm_type_init_static(pm_heap *h, pm_type *t, uint32_t id, const char *name, uint32_t basicsize,
                          uint32_t itemsize, uint32_t flags);
/* Allocates a static object: immortal, untracked, in the heap's own block
 * (outside the arenas, like CPython's statically allocated objects). The
 * host size is given: statics never go through the model allocator. */
pm_object *_pm_static_alloc(pm_heap *h, pm_type *t, size_t hostsize, size_t nitems);
#define PM_STATIC_BYTES (96u << 10)

/* Type-file set-up hooks (each defined in its objects/ file). */
pm_status _pm_long_init(pm_heap *h);      /* int, bool, small ints, True/False */
pm_status _pm_float_init(pm_heap *h);
pm_status _pm_unicode_init(pm_heap *h);   /* str, '' and one-char strs, interning */
pm_status _pm_bytes_init(pm_heap *h);
pm_status _pm_tuple_init(pm_heap *h);
pm_status _pm_list_init(pm_heap *h);
pm_status _pm_range_init(pm_heap *h);
pm_status _pm_dict_init(pm_heap *h);
pm_status _pm_set_init(pm_heap *h);       /* set and frozenset */
pm_status _pm_type_init(pm_heap *h);      /* heap types: type's slots, member/getset descriptors (typeobject.c) */
pm_status _pm_code_init(pm_heap *h);
pm_status _pm_function_init(pm_heap *h);
pm_status _pm_cell_init(pm_heap *h);
pm_status _pm_method_init(pm_heap *h);
pm_status _pm_gen_init(pm_heap *h);
pm_status _pm_frame_init(pm_heap *h);     /* the frame stack state */
void _pm_frame_fini(pm_heap *h);          /* releases its chunks (frames must have been popped) */
pm_status _pm_gc_init(pm_heap *h);        /* collector state (gc.c); runs first */
pm_status _pm_weakref_init(pm_heap *h);   /* ref, proxy, callable proxy */
pm_status _pm_iter_init(pm_heap *h);
pm_status _pm_exc_init(pm_heap *h);       /* BaseException and the built-in exception hierarchy */
pm_status _pm_dictview_init(pm_heap *h);  /* dict_keys, dict_values, dict_items */
pm_status _pm_descr_init(pm_heap *h);     /* property, classmethod, staticmethod (descrobject.c) */
/* _PyObject_GC_Link's scheduling test (gc.c), called once count[0] > threshold[0]
 * (and at every GC allocation in stress mode). */
void _pm_gc_on_alloc(pm_heap *h);
/* Start-up's free lists (startup.c): makes and releases objects until the
 * float, list, dict and 1..20-tuple free lists hold the given lengths (lists
 * already longer are left alone), without changing the generation counts.
 * Call it before tracemalloc traces (PM_EINVAL otherwise). */
pm_status pm_startup_freelists(pm_heap *h, int32_t floats, int32_t lists, int32_t dicts,
                               const int32_t tuples[PM_TUPLE_MAXSAVESIZE]);
/* Free-list teardown hooks (and gc.collect(2)'s clear_freelists). */
void _pm_float_clear_freelist(pm_heap *h);
void _pm_tuple_clear_freelist(pm_heap *h);
void _pm_list_clear_freelist(pm_heap *h);
void _pm_dict_clear_freelist(pm_heap *h);

#endif /* PM_OBJECT_H */
