/* iterobject.h — the built-in iterator types of CPython 3.12 and the
 * iterator-making builtins enumerate, zip, map, filter and reversed.
 *
 * Layouts (64-bit model sizes; sys.getsizeof adds the 16-byte GC head of
 * the GC types), recorded in tests/fixtures/iters.txt:
 *
 *   type                   struct fields                              model  getsizeof  GC
 *   list_iterator          index, seq                                   32      48       yes
 *   list_reverseiterator   index, seq                                   32      48       yes
 *   tuple_iterator         index, seq                                   32      48       yes
 *   str_ascii_iterator     index, seq                                   32      48       yes
 *   str_iterator           index, seq                                   32      48       yes
 *   bytes_iterator         index, seq                                   32      48       yes
 *   reversed               index, seq                                   32      48       yes
 *   range_iterator         start, step, len (C longs)                   40      40       no
 *   longrange_iterator     start, step, len (ints)                      40      40       no
 *   dict_keyiterator &co.  dict, used, pos, result, len                 56      72       yes
 *   (and dict_reversekeyiterator & co., the same struct)
 *   set_iterator           set, used, pos, len                          48      64       yes
 *   enumerate              index, sit, result, longindex, one           56      72       yes
 *   zip                    tuplesize, ittuple, result, strict           48      64       yes
 *   map                    iters, func                                  32      48       yes
 *   filter                 func, it                                     32      48       yes
 *
 * Stepping. pm_iter_next steps every iterator the core can step by itself
 * (the sequence iterators, dict/set iterators, range iterators, reversed
 * over a core sequence, enumerate and zip whose inner iterators are core
 * iterators). map, filter and anything wrapping an iterator implemented by
 * the host (a generator, a class with __next__) are stepped by the host
 * with the helpers below (it calls the Python functions), so that the
 * objects, their references and their result tuples stay the core's.
 *
 * Exhaustion (3.12): a sequence iterator drops its reference to the
 * sequence when it reports the end (listiter_next & co.), dict and set
 * iterators drop the container, reversed drops its sequence.
 */
#ifndef PM_ITEROBJECT_H
#define PM_ITEROBJECT_H

#include "object.h"

/* Sequence iterators (listiterobject, _PyTupleIterObject, unicodeiterobject,
 * striterobject, listreviterobject, reversedobject share this shape). */
typedef struct pm_seqiter {
    pm_object ob_base;
    int64_t index;
    pm_object *seq;             /* NULL once exhausted */
} pm_seqiter;
#define PM_SEQITER_BASICSIZE 32u

typedef struct pm_rangeiter {
    pm_object ob_base;
    int64_t start, step, len;
} pm_rangeiter;
#define PM_RANGEITER_BASICSIZE 40u

typedef struct pm_longrangeiter {
    pm_object ob_base;
    pm_object *start, *step, *len;   /* ints, owned */
} pm_longrangeiter;
#define PM_LONGRANGEITER_BASICSIZE 40u

/* dict iterators, zip and map hold two references, which the host keeps
 * first (after the header) so one deallocator and traverse serve the three
 * (pm_iter2); the model's field order is CPython's. */
typedef struct pm_iter2 {
    pm_object ob_base;
    pm_object *ref[2];          /* released in this order */
} pm_iter2;

typedef struct pm_dictiter {
    pm_object ob_base;
    pm_object *dict;            /* NULL once exhausted */
    pm_object *result;          /* item iterators: the reusable 2-tuple */
    int64_t used;               /* ma_used at creation; -1 after a size change was reported */
    int64_t pos;                /* pm_dict_next cursor */
    int64_t len;                /* items left (the length hint) */
} pm_dictiter;
#define PM_DICTITER_BASICSIZE 56u

typedef struct pm_setiter {     /* model order: set, used, pos, len; the host puts `set` where */
    pm_object ob_base;          /* pm_seqiter has `seq`, so both share their dealloc and traverse */
    int64_t used;
    pm_object *set;
    int64_t pos;
    int64_t len;
} pm_setiter;
#define PM_SETITER_BASICSIZE 48u

typedef struct pm_enumobject {
    pm_object ob_base;
    int64_t index;
    pm_object *sit;             /* the inner iterator */
    pm_object *result;          /* the reusable 2-tuple */
    pm_object *longindex;       /* NULL until the index leaves the C range (not modelled: error) */
    pm_object *one;             /* the small int 1 (immortal) */
} pm_enumobject;
#define PM_ENUM_BASICSIZE 56u

typedef struct pm_zipobject {
    pm_object ob_base;
    pm_object *ittuple;         /* tuple of the inner iterators */
    pm_object *result;          /* the reusable tuple */
    int64_t tuplesize;
    int32_t strict;
} pm_zipobject;
#define PM_ZIP_BASICSIZE 48u

typedef struct pm_mapobject {
    pm_object ob_base;
    pm_object *iters;           /* tuple of the inner iterators */
    pm_object *func;
} pm_mapobject;
#define PM_MAP_BASICSIZE 32u

typedef struct pm_filterobject {
    pm_object ob_base;
    pm_object *func;            /* None: truth of the item */
    pm_object *it;
} pm_filterobject;
#define PM_FILTER_BASICSIZE 32u

/* ---- Creation (new references; NULL + exception on failure) ----------------- */
/* PyObject_GetIter for the core's iterables: list, tuple, str, bytes, range,
 * dict (keys), set, frozenset; a core iterator returns itself. Other types:
 * TypeError "'X' object is not iterable". */
pm_object *pm_object_getiter(pm_heap *h, pm_object *o);
/* iter(d), iter(d.values()), iter(d.items()): kind 0 keys, 1 values, 2 items;
 * 3, 4, 5: the reverse iterators of the same (reversed(d), reversed(view)). */
pm_object *pm_dictiter_new(pm_heap *h, pm_object *d, int kind);
/* reversed(seq) for the core's sequences: list -> list_reverseiterator,
 * dict and dict views -> dict_reverse*iterator,
 * range -> range_iterator / longrange_iterator, tuple/str/bytes -> reversed.
 * `len` is ignored for those; any other object gets a reversed object with
 * index len - 1 over it (the host steps it: __getitem__ is Python code). */
pm_object *pm_reversed_new(pm_heap *h, pm_object *seq, int64_t len);
/* enumerate(it, start): steals nothing; `it` must already be an iterator. */
pm_object *pm_enumerate_new(pm_heap *h, pm_object *it, int64_t start);
/* zip(*iters): n iterators (borrowed); strict is zip(..., strict=True). */
pm_object *pm_zip_new(pm_heap *h, pm_object *const *iters, int64_t n, int strict);
/* map(func, *iters) / filter(func, it): borrowed arguments. */
pm_object *pm_map_new(pm_heap *h, pm_object *func, pm_object *const *iters, int64_t n);
pm_object *pm_filter_new(pm_heap *h, pm_object *func, pm_object *it);

/* ---- Stepping ------------------------------------------------------------------ */
/* Is `it` an iterator the core steps by itself (now: for enumerate and zip
 * this depends on their inner iterators)? 1 or 0. */
int pm_iter_is_core(pm_heap *h, pm_object *it);
/* Is `o` an instance of one of this file's iterator types? */
int pm_iter_check(pm_heap *h, pm_object *o);
/* tp_iternext: the next item (new reference), or NULL at the end with no
 * exception set, or NULL with an exception (RuntimeError "dictionary
 * changed size during iteration" / "Set changed size during iteration").
 * Only for iterators pm_iter_is_core accepts (TypeError otherwise). */
pm_object *pm_iter_next(pm_heap *h, pm_object *it);
/* __length_hint__: >= 0, or -1 when the type has none (enumerate, zip,
 * map, filter: PyObject_LengthHint's default applies). */
int64_t pm_iter_length_hint(pm_heap *h, pm_object *it);

/* Host-stepping helpers. enum_next / zip_next after the host fetched the
 * item(s): steal them, return the result tuple (reused when only the
 * iterator holds it, as 3.12 does) or NULL + MemoryError. */
pm_object *pm_enumerate_pack(pm_heap *h, pm_object *en, pm_object *item);
pm_object *pm_zip_pack(pm_heap *h, pm_object *z, pm_object *const *items);
/* reversed over a host sequence: the index to fetch next and step down, or
 * -1 when exhausted (the sequence is dropped then). pm_reversed_stop drops
 * it early (IndexError/StopIteration from __getitem__). */
int64_t pm_reversed_take_index(pm_heap *h, pm_object *r);
void pm_reversed_stop(pm_heap *h, pm_object *r);
/* The inner objects of enumerate/zip/map/filter/reversed, borrowed:
 * field 0: enumerate.sit, zip.ittuple, map.iters, filter.it, reversed.seq;
 * field 1: map.func, filter.func. NULL if none. */
pm_object *pm_iter_field(pm_heap *h, pm_object *it, int field);

#endif /* PM_ITEROBJECT_H */
