/* excapi.c — the interpreter's entry points for exception objects
 * (core/src/excobject.c). Like vmapi.c: raw addresses the VM holds
 * references to, only the heap handle checked; failures return 0 / -1 with
 * the exception left in the heap. Exports listed in exports_exc.txt.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../excobject.h"
#include "api.h"

#define O(p) ((pm_object *)(uintptr_t)(p))
#define U(o) ((uint32_t)(uintptr_t)(o))

static pm_heap *exc_enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return NULL;
    pm_err_clear(h);
    return h;
}

/* cls(*args) for an exception class (built-in or derived in Python): args a
 * tuple (0: ()). New reference | 0. */
EXPORT uint32_t pmw_vm_exc_new(uint32_t hp, uint32_t clsp, uint32_t argsp) {
    pm_heap *h = exc_enter(hp);
    return h ? U(pm_exc_new(h, (pm_type *)(uintptr_t)clsp, argsp ? O(argsp) : NULL)) : 0;
}
/* 1 if o is an exception instance, 2 if o is an exception class, else 0. */
EXPORT int32_t pmw_vm_exc_check(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return 0;
    pm_object *o = O(op);
    if (pm_exc_check(h, o)) return 1;
    return PM_TYPE(o) == pm_builtin_type(h, PM_T_TYPE) && pm_exc_type_check(h, (pm_type *)o) ? 2 : 0;
}
/* A field (excobject.h PM_EXCF_*): new reference (None if unset) | 0. */
EXPORT uint32_t pmw_vm_exc_get(uint32_t hp, uint32_t ep, int32_t field) {
    pm_heap *h = exc_enter(hp);
    return h ? U(pm_exc_get(h, O(ep), field)) : 0;
}
/* Sets a field (value borrowed, 0 clears): 0 | -1. */
EXPORT int32_t pmw_vm_exc_set(uint32_t hp, uint32_t ep, int32_t field, uint32_t vp) {
    pm_heap *h = exc_enter(hp);
    return h ? pm_exc_set(h, O(ep), field, vp ? O(vp) : NULL) : -1;
}
/* The number of subclass fields of type(e) (StopIteration: 1, value). */
EXPORT int32_t pmw_vm_exc_nextra(uint32_t ep) { return pm_exc_nextra(PM_TYPE(O(ep))); }
