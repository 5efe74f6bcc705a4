/* dictviewobject.h — dict views: d.keys(), d.values(), d.items()
 * (CPython 3.12's _PyDictViewObject and its three types in Objects/dictobject.c).
 *
 * Layout (64-bit model): [GC head 16][ob_refcnt, ob_type, dv_dict] = 24 bytes,
 * so sys.getsizeof(d.keys()) == 40. A view is GC-tracked from birth, holds a
 * strong reference to its dict and traverses it; it has no tp_clear (the
 * dict breaks a cycle through a view). Views are live: every operation reads
 * the dict as it is now.
 *
 *   type         len  in                              ==, <, ...         &, |, -, ^   hash
 *   dict_keys    len  key lookup                      set-like           yes          unhashable
 *   dict_items   len  (k, v): lookup k, v == value    set-like           yes          unhashable
 *   dict_values  len  linear scan (identity, then ==) identity (object)   no           object's
 *
 * Iterating a view gives the dict iterators (iterobject.c), reversed() the
 * dict_reverse*iterator types. repr: "dict_keys([...])" = type name +
 * repr(list(view)), "..." when the view's repr is already being written.
 *
 * Operands the operations iterate must be iterables the core can step by
 * itself (pm_iter_is_core); the interpreter turns any other iterable into a
 * list first. */
#ifndef PM_DICTVIEWOBJECT_H
#define PM_DICTVIEWOBJECT_H

#include "object.h"

typedef struct pm_dictview {
    pm_object ob_base;
    pm_object *dv_dict;         /* strong; never NULL for views made by pm_dictview_new */
} pm_dictview;
#define PM_DICTVIEW_BASICSIZE 24u

enum { PM_DICTVIEW_KEYS = 0, PM_DICTVIEW_VALUES = 1, PM_DICTVIEW_ITEMS = 2 };

/* _PyDictView_New: d.keys() (kind 0), d.values() (1), d.items() (2); new
 * reference, tracked. TypeError when d is not a dict. */
pm_object *pm_dictview_new(pm_heap *h, pm_object *d, int kind);
/* 0, 1, 2 for a view of that kind, -1 for any other object. */
int pm_dictview_kind(pm_heap *h, pm_object *o);
/* PyDictViewSet_Check: a keys or items view. */
int pm_dictview_set_check(pm_heap *h, pm_object *o);
/* view.mapping's dict (borrowed). */
pm_object *pm_dictview_dict(pm_heap *h, pm_object *v);

/* dictview_len */
int64_t pm_dictview_len(pm_heap *h, pm_object *v);
/* x in view (dictkeys_contains / dictitems_contains / the iteration search
 * of values): 1, 0, or -1 + exception. */
int pm_dictview_contains(pm_heap *h, pm_object *v, pm_object *x);
/* iter(view), reversed(view): new references. */
pm_object *pm_dictview_iter(pm_heap *h, pm_object *v);
pm_object *pm_dictview_reversed(pm_heap *h, pm_object *v);

/* dictview_richcompare for a op b (PM_CMP_*) where a or b is a keys/items
 * view (the reflected form is tried when only b is one): 1, 0, PM_NOTIMPL
 * (the other operand is neither a set nor a keys/items view), or -1 +
 * exception. */
int pm_dictview_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op);
/* a & b, a | b, a - b, a ^ b where a or b is a keys/items view (the number
 * slots of dict_keys / dict_items; op is BINARY_OP's NB_AND 1, NB_OR 7,
 * NB_SUBTRACT 10, NB_XOR 12): a new set. NULL + exception. */
pm_object *pm_dictview_binop(pm_heap *h, int op, pm_object *a, pm_object *b);
/* view.isdisjoint(other) (dictviews_isdisjoint): 1, 0, or -1 + exception. */
int pm_dictview_isdisjoint(pm_heap *h, pm_object *v, pm_object *other);

/* PySequence_Contains for the core's containers (dict, set, frozenset,
 * list, tuple, views; other core iterables by iteration): 1, 0, or -1 +
 * exception ("argument of type 'X' is not iterable"). */
int pm_object_contains(pm_heap *h, pm_object *c, pm_object *x);

#endif /* PM_DICTVIEWOBJECT_H */
