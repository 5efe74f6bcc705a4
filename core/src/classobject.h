/* classobject.h — bound method objects (CPython 3.12 Objects/classobject.c,
 * which keeps the name from the days of classic classes).
 *
 * `obj.meth` for a function found on the class makes one of these
 * (func.__get__(obj, type) -> PyMethod_New(func, obj)). It holds strong
 * references to the function and to the instance for as long as it lives.
 *
 * Layout (64-bit model): PyObject (16) + im_func, im_self, im_weakreflist,
 * vectorcall (8 each) = 48 bytes behind a 16-byte GC head:
 * sys.getsizeof(bound method) == 64. Weakly referenceable (__weakrefoffset__
 * 32). Equal when the functions are equal and the instances identical;
 * hash = pointer_hash(self) ^ hash(func), -1 mapped to -2.
 */
#ifndef PM_CLASSOBJECT_H
#define PM_CLASSOBJECT_H

#include "object.h"

typedef struct pm_method {
    pm_object ob_base;
    pm_object *im_func;         /* strong */
    pm_object *im_self;         /* strong */
    pm_object *im_weakreflist;
    void *vectorcall;           /* unused: calls happen in the host */
} pm_method;

#define PM_METHOD_BASICSIZE 48u

static inline int pm_method_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_METHOD];
}
#define PM_METHOD_FUNC(o) (((pm_method *)(o))->im_func)   /* borrowed */
#define PM_METHOD_SELF(o) (((pm_method *)(o))->im_self)   /* borrowed */

/* PyMethod_New: a tracked method holding new references to func and self.
 * self NULL: RuntimeError (bad internal call). */
pm_object *pm_method_new(pm_heap *h, pm_object *func, pm_object *self);
/* types.MethodType(func, self) (method_new): TypeError "instance must not
 * be None" when self is None. Whether func is callable is the caller's
 * check (the core has no call slot): TypeError "first argument must be
 * callable" is raised when func_callable is 0. */
pm_object *pm_method_type_new(pm_heap *h, pm_object *func, pm_object *self, int func_callable);

#endif /* PM_CLASSOBJECT_H */
