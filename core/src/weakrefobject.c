/* weakrefobject.c — weak references: the weakref list of each referent
 * and PyObject_ClearWeakRefs.
 *
 * Mirrors CPython 3.12 Objects/weakrefobject.c. The weakref types
 * (ref, proxy, callable proxy) and their semantics land with the collector
 * (issue 4); until then no weakref can exist, so every list is empty.
 */
#include "object.h"

void _pm_weakref_clear_refs(pm_heap *h, pm_object *o) {
    pm_object **list = pm_object_weaklist(o);
    if (!list || !*list) return;
    _pm_fatal(h, "weakref list of a dying object is not empty, but weakrefs are not implemented yet");
}
