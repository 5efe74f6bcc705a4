/* descrobject.h — property, classmethod and staticmethod (CPython 3.12
 * Objects/descrobject.c's property type, Objects/funcobject.c's
 * classmethod and staticmethod).
 *
 * Layouts (64-bit model, each behind a 16-byte GC head, GC-tracked at
 * creation as PyType_GenericAlloc does):
 *
 *     property:      PyObject (16) + fget, fset, fdel, doc, name (8 each)
 *                    + int getter_doc (4, padded)  = 64  -> sys.getsizeof 80
 *     classmethod /
 *     staticmethod:  PyObject (16) + callable, __dict__ (8 each) = 32
 *                    -> sys.getsizeof 48
 *
 * property (property_init): None arguments are stored as NULL; when no doc
 * is given and fget is a function whose __doc__ is not None, that becomes
 * the doc (getter_doc = 1). getter()/setter()/deleter() (property_copy) make a new
 * property from the old one's three functions with one replaced; the doc
 * is recomputed when it came from the getter, and the name is carried
 * over. The name is set by __set_name__ (type_new_set_names, here
 * _pm_descr_set_names when a class is made) and used in the 3.12 messages
 * "property 'x' of 'A' object has no getter/setter/deleter" (without a
 * name: "property of 'A' object has no ...").
 *
 * Python code runs in the host (ARCHITECTURE decision 5) and the host call
 * hook returns no result, so property's tp_descr_get / tp_descr_set cannot
 * call fget / fset / fdel themselves. When a function is there to call
 * they fail with the RuntimeError PM_DESCR_HOST_CALL_MSG (and nothing
 * changed); the interpreter calls the function itself when that happens
 * (pm_property_function tells it which). A missing function is the
 * AttributeError CPython raises; access through the class (obj NULL or
 * None) returns the property itself.
 *
 * classmethod / staticmethod (cm_init / sm_init): hold the callable, and
 * functools_wraps copies __module__, __name__, __qualname__, __doc__ and
 * __annotations__ of a function into their __dict__ (a new dict; reading
 * a function's __annotations__ creates its empty annotations dict, as
 * 3.12 does). tp_descr_get: classmethod binds the callable to the class
 * (type(obj) when no class is given: PyMethod_New(callable, type));
 * staticmethod returns the callable itself. A staticmethod object is
 * callable (3.10+: the interpreter calls the callable); a classmethod
 * object is not.
 */
#ifndef PM_DESCROBJECT_H
#define PM_DESCROBJECT_H

#include "object.h"

#define PM_PROPERTY_BASICSIZE     64u
#define PM_CLASSMETHOD_BASICSIZE  32u   /* staticmethod: the same layout */

typedef struct pm_property {
    pm_object ob_base;
    pm_object *prop_get;          /* strong or NULL */
    pm_object *prop_set;
    pm_object *prop_del;
    pm_object *prop_doc;
    pm_object *prop_name;         /* a str set by __set_name__, or NULL */
    int32_t getter_doc;           /* 1: prop_doc came from fget.__doc__ */
} pm_property;

typedef struct pm_classmethod {   /* staticmethod too */
    pm_object ob_base;
    pm_object *cm_callable;       /* strong */
    pm_object *cm_dict;           /* strong or NULL */
} pm_classmethod;

/* The message of the RuntimeError a property's descr_get / descr_set
 * leaves when it has a Python function to call (see above). */
#define PM_DESCR_HOST_CALL_MSG "pyheap: a property function is Python code; the interpreter calls it"

static inline int pm_property_check(pm_heap *h, const pm_object *o) { return PM_TYPE(o) == &h->os->types[PM_T_PROPERTY]; }
static inline int pm_classmethod_check(pm_heap *h, const pm_object *o) { return PM_TYPE(o) == &h->os->types[PM_T_CLASSMETHOD]; }
static inline int pm_staticmethod_check(pm_heap *h, const pm_object *o) { return PM_TYPE(o) == &h->os->types[PM_T_STATICMETHOD]; }

/* property(fget, fset, fdel, doc): each argument NULL or None for "not
 * given". New reference (tracked), or NULL + MemoryError. */
pm_object *pm_property_new(pm_heap *h, pm_object *fget, pm_object *fset, pm_object *fdel, pm_object *doc);

/* The fields of a property, by index (PM_PROP_*): borrowed, NULL when
 * unset; NULL + TypeError when prop is not a property. */
enum { PM_PROP_FGET = 0, PM_PROP_FSET = 1, PM_PROP_FDEL = 2, PM_PROP_DOC = 3, PM_PROP_NAME = 4 };
pm_object *pm_property_field(pm_heap *h, pm_object *prop, int which);

/* prop.getter(f) / setter(f) / deleter(f) (property_copy), which is
 * PM_PROP_FGET / FSET / FDEL: a new property. NULL + TypeError for a bad
 * argument. */
pm_object *pm_property_copy(pm_heap *h, pm_object *prop, int which, pm_object *func);

/* property.__set_name__(owner, name): stores name (a str). 0 or -1 + TypeError. */
int pm_property_set_name(pm_heap *h, pm_object *prop, pm_object *name);

/* The function the interpreter must call for obj.<prop> (which =
 * PM_PROP_FGET), obj.<prop> = v (PM_PROP_FSET) or del obj.<prop>
 * (PM_PROP_FDEL): borrowed. When it is missing: NULL + the AttributeError
 * of 3.12 (naming the property and type(obj)'s qualname). */
pm_object *pm_property_function(pm_heap *h, pm_object *prop, pm_object *obj, int which);

/* classmethod(callable) / staticmethod(callable) (cm_new + cm_init):
 * new reference (tracked), or NULL + MemoryError. Any object is accepted
 * (3.12 checks callability only when it is called). */
pm_object *pm_classmethod_new(pm_heap *h, pm_object *callable);
pm_object *pm_staticmethod_new(pm_heap *h, pm_object *callable);

/* __func__ / __wrapped__ of a classmethod or staticmethod: borrowed, or
 * NULL + TypeError for another object. */
pm_object *pm_descr_callable(pm_heap *h, pm_object *cm);
/* __dict__ of a classmethod or staticmethod, created when absent: new
 * reference, or NULL + TypeError / MemoryError. */
pm_object *pm_descr_get_dict(pm_heap *h, pm_object *cm);

/* type_new_set_names for the built-in descriptors: every property in the
 * class dict gets its key as name (property.__set_name__). Called by
 * pm_type_new. 0 or -1 + exception. */
int _pm_descr_set_names(pm_heap *h, pm_object *dict);

/* Set-up hook (_pm_objects_init): the three types. */
pm_status _pm_descr_init(pm_heap *h);

#endif /* PM_DESCROBJECT_H */
