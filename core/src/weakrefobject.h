/* weakrefobject.h — weak references (CPython 3.12 Objects/weakrefobject.c).
 *
 * Three types, all GC types charged 80 bytes (64-byte PyWeakReference +
 * 16-byte GC head, reference §2.5):
 *   weakref.ReferenceType       weakref.ref(o[, callback]); subclassable
 *   weakref.ProxyType           weakref.proxy(o[, callback]) of a non-callable o
 *   weakref.CallableProxyType   weakref.proxy(o[, callback]) of a callable o
 * None of them is weakly referenceable itself.
 *
 * The weakref list of a referent (reached through pm_object_weaklist) is a
 * doubly linked list through wr_prev / wr_next. Invariants (3.12):
 *   - a basic ref (exact ReferenceType, no callback), if any, is first;
 *   - a basic proxy (no callback), if any, follows it;
 *   - refs and proxies with callbacks follow, newest first (each new one is
 *     inserted right after the basic ones), which is why callbacks run
 *     newest first;
 *   - every weakref on the list has wr_object == the referent; a cleared
 *     weakref has wr_object == None and is on no list.
 * A weakref holds no reference to its referent; it holds one to its callback.
 */
#ifndef PM_WEAKREFOBJECT_H
#define PM_WEAKREFOBJECT_H

#include "object.h"

typedef struct pm_weakref {
    pm_object ob_base;
    pm_object *wr_object;           /* referent (borrowed), or None once cleared */
    pm_object *wr_callback;         /* owned, NULL if none */
    int64_t hash;                   /* hash of the referent, -1 until computed */
    struct pm_weakref *wr_prev;     /* neighbours on the referent's list */
    struct pm_weakref *wr_next;
} pm_weakref;                       /* model: 64 bytes (+ vectorcall pointer) */

#define PM_WEAKREF_BASICSIZE 64u

static inline int pm_weakref_check_ref(pm_heap *h, pm_object *o) {
    for (pm_type *t = PM_TYPE(o); t; t = t->tp_base)
        if (t == pm_builtin_type(h, PM_T_WEAKREF)) return 1;
    return 0;
}
static inline int pm_weakref_check_proxy(pm_heap *h, pm_object *o) {
    return PM_TYPE(o) == pm_builtin_type(h, PM_T_WEAKPROXY) || PM_TYPE(o) == pm_builtin_type(h, PM_T_WEAKCALLABLEPROXY);
}
/* PyWeakref_Check: a ref (or subclass instance) or a proxy. */
static inline int pm_weakref_check(pm_heap *h, pm_object *o) {
    return pm_weakref_check_ref(h, o) || pm_weakref_check_proxy(h, o);
}
/* _PyType_SUPPORTS_WEAKREFS */
static inline int pm_type_supports_weakrefs(const pm_type *t) { return t->tp_weaklistoffset != 0; }

/* weakref.ref(ob[, callback]) with type t (the ReferenceType or a subclass
 * of it; NULL = ReferenceType). callback NULL or None means none; then an
 * existing basic ref is returned (ref(o) is ref(o)). New reference, or NULL
 * + TypeError "cannot create weak reference to 'list' object". */
pm_object *pm_weakref_new(pm_heap *h, pm_type *t, pm_object *ob, pm_object *callback);
/* weakref.proxy(ob[, callback]). CallableProxyType when `callable` (the
 * interpreter knows whether ob is callable: PyCallable_Check). */
pm_object *pm_weakref_proxy(pm_heap *h, pm_object *ob, pm_object *callback, int callable);
/* PyWeakref_GetObject: the referent (borrowed), or None when dead. */
pm_object *pm_weakref_get(pm_heap *h, pm_object *ref);
/* r(): the referent or None, new reference. */
pm_object *pm_weakref_call(pm_heap *h, pm_object *ref);
/* The referent of a live proxy (new reference), or NULL + ReferenceError
 * "weakly-referenced object no longer exists" (proxy_checkref). */
pm_object *pm_weakref_proxy_referent(pm_heap *h, pm_object *proxy);
/* The callback (borrowed) or NULL (ref.__callback__). */
pm_object *pm_weakref_callback(pm_heap *h, pm_object *ref);
/* weakref.getweakrefcount(ob): 0 for objects that cannot be weakly referenced. */
int64_t pm_weakref_getweakrefcount(pm_heap *h, pm_object *ob);
/* weakref.getweakrefs(ob): a new list of the weakrefs in list order. */
pm_object *pm_weakref_getweakrefs(pm_heap *h, pm_object *ob);

/* _PyWeakref_ClearRef: unlink wr from its referent's list and set the
 * referent to None, keeping the callback (gc.c's handle_weakrefs). */
void _pm_weakref_clear_ref(pm_heap *h, pm_weakref *wr);

#endif /* PM_WEAKREFOBJECT_H */
