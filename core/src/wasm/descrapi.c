/* descrapi.c — the interpreter's entry points for property, classmethod
 * and staticmethod (core/src/descrobject.c).
 *
 * Conventions of vmapi.c: the VM holds references to the addresses it
 * passes (live by construction), so only the heap handle is validated and
 * the descrobject.c functions check the objects' types. Each call clears
 * the pending exception first; a failing call returns 0 with the
 * exception left in the heap (pmw_exc_kind / pmw_exc_msg). Object results
 * are new references unless marked borrowed.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../descrobject.h"
#include "../typeobject.h"
#include "api.h"

#define O(p) ((pm_object *)(uintptr_t)(p))
#define OX(p) ((p) ? O(p) : NULL)
#define U(o) ((uint32_t)(uintptr_t)(o))

static pm_heap *descr_enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return NULL;
    pm_err_clear(h);
    return h;
}

/* kind 0: property(a, b, c, d) (fget, fset, fdel, doc; 0 = not given);
 * 1: classmethod(a); 2: staticmethod(a). */
EXPORT uint32_t pmw_descr_new(uint32_t hp, int32_t kind, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    pm_heap *h = descr_enter(hp);
    if (!h) return 0;
    switch (kind) {
    case 0: return U(pm_property_new(h, OX(a), OX(b), OX(c), OX(d)));
    case 1: return U(pm_classmethod_new(h, OX(a)));
    case 2: return U(pm_staticmethod_new(h, OX(a)));
    default: pm_err_set(h, PM_EXC_ValueError, "pmw_descr_new: bad kind %d", (int)kind); return 0;
    }
}
/* A property's field (PM_PROP_*), borrowed; 0 when unset (no exception). */
EXPORT uint32_t pmw_property_field(uint32_t hp, uint32_t p, int32_t which) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_property_field(h, O(p), which)) : 0;
}
/* prop.getter / setter / deleter(f) (which 0 / 1 / 2). */
EXPORT uint32_t pmw_property_copy(uint32_t hp, uint32_t p, int32_t which, uint32_t f) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_property_copy(h, O(p), which, O(f))) : 0;
}
/* The function to call for obj.prop (0), obj.prop = v (1), del obj.prop
 * (2), borrowed; 0 + CPython's AttributeError when the property has none. */
EXPORT uint32_t pmw_property_function(uint32_t hp, uint32_t p, uint32_t obj, int32_t which) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_property_function(h, O(p), O(obj), which)) : 0;
}
/* classmethod / staticmethod: __func__ (borrowed) and __dict__ (new). */
EXPORT uint32_t pmw_descr_callable(uint32_t hp, uint32_t cm) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_descr_callable(h, O(cm))) : 0;
}
EXPORT uint32_t pmw_descr_dict(uint32_t hp, uint32_t cm) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_descr_get_dict(h, O(cm))) : 0;
}
/* type(d).__get__(d, obj | 0, type | 0) for any descriptor (super()). */
EXPORT uint32_t pmw_descr_bind(uint32_t hp, uint32_t d, uint32_t obj, uint32_t type) {
    pm_heap *h = descr_enter(hp);
    if (!h) return 0;
    pm_object *(*get)(pm_heap *, pm_object *, pm_object *, pm_type *) = PM_TYPE(O(d))->tp_descr_get;
    if (!get) return U(pm_newref(O(d)));
    return U(get(h, O(d), OX(obj), (pm_type *)(uintptr_t)type));
}
/* type.__subclasses__() of a class made by the program: a new list. */
EXPORT uint32_t pmw_type_subclasses(uint32_t hp, uint32_t type) {
    pm_heap *h = descr_enter(hp);
    return h ? U(pm_type_subclasses(h, O(type))) : 0;
}
