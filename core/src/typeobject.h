/* typeobject.h — user classes (heap types), their instances, attribute
 * access, and the member / getset descriptors behind __slots__, __dict__
 * and __weakref__ (CPython 3.12 Objects/typeobject.c, Objects/object.c's
 * generic getattr/setattr, Objects/descrobject.c).
 *
 * Class objects (reference §2.3, §2.5). `class X(Base): body` is
 * pm_type_new(h, name, base, namespace): one GC object of the `type` type,
 * charged as type_new's PyType_GenericAlloc(type, nslots) requests it:
 *
 *     [GC head 16][PyHeapTypeObject 920][PyMemberDef 40 * (nslots + 1)]   (raw domain: > 512 bytes)
 *
 * type.__sizeof__ is 920 plus the shared keys table (768 bytes) when the
 * class has one, so sys.getsizeof is 1704 for `class A: pass` and 936 for a
 * class whose __slots__ exclude __dict__, whatever the class dict holds: the
 * dict is a separate object. A heap type holds: its dict (a copy of the
 * namespace without __qualname__, plus member descriptors for its slots, the
 * __dict__ / __weakref__ getset descriptors it adds and __doc__), its name
 * and qualname strs, tp_base, the bases tuple, the MRO tuple (single
 * inheritance: the class, then its base's MRO, object last) and
 * ht_cached_keys (the shared keys of its instances' attributes). The MRO and
 * the descriptors reference the class, so a fresh class has refcount 4 for
 * one name (recorded), and a class only dies through the cycle collector
 * (type_clear) or when everything else lets go.
 *
 * Flags as 3.12: HEAPTYPE | BASETYPE | HAVE_GC | READY, plus MANAGED_DICT
 * and MANAGED_WEAKREF (inherited from the base, or added when the base has
 * no dict / weakref list and __slots__ does not exclude them).
 *
 * Instances (reference §2.3, §2.8). pm_instance_new is object.__new__ for
 * a heap type: [pre-header 16 if managed][GC head 16][16 + 8 per slot],
 * tracked at once; a managed-dict instance then gets its values block
 * (dictobject.h: n = nentries + usable of the class's shared keys, after
 * decrementing usable while it is > 1). The pre-header word at o-24 holds
 * the tagged values pointer or, once materialised, the instance dict; the
 * word at o-32 is the weakref list head. Slots are host pointers stored at
 * the member's model offset (the host header is 16 bytes on every target).
 *
 * Deallocation (subtype_dealloc, reference §3.6): untrack; trashcan; the
 * finalizer (tp_finalize, set while __del__ is found along the MRO) with
 * resurrection check; weakrefs cleared; slots cleared (the class's own,
 * then each base's, in member order, which is sorted name order); the
 * values released by entry index (or the dict released); the block freed;
 * the class decrefed.
 */
#ifndef PM_TYPEOBJECT_H
#define PM_TYPEOBJECT_H

#include "object.h"
#include "dictobject.h"

/* ---- Model constants --------------------------------------------------- */
#define PM_TPFLAGS_READY          (1u << 12)
#define PM_HEAPTYPE_BASICSIZE     920u   /* sizeof(PyHeapTypeObject) = type.__basicsize__ */
#define PM_MEMBERDEF_SIZE         40u    /* type.__itemsize__: one PyMemberDef per slot, + a sentinel */
#define PM_STATIC_TYPE_SIZE       416u   /* sizeof(PyTypeObject): __sizeof__ of a static type */
#define PM_DESCR_BASICSIZE        48u    /* PyMemberDescrObject, PyGetSetDescrObject */
#define PM_SLOT_SIZE              8u     /* one __slots__ member (a PyObject * in the model) */

/* A heap type. The host struct fits in the model's 920 bytes (static
 * assert in typeobject.c). */
typedef struct pm_heaptype {
    pm_type type;                      /* ob_size = number of own __slots__ members */
    struct pm_heaptype *ht_self;       /* == this while alive (handle validation) */
    pm_object *ht_name;                /* str; tp_name points at its UTF-8 */
    pm_object *ht_qualname;            /* str */
    pm_object *ht_slots;               /* tuple of the own member names (sorted, mangled), or NULL */
    pm_dictkeys *ht_cached_keys;       /* shared instance keys (MANAGED_DICT), or NULL */
    pm_object *tp_dict;                /* the class dict */
    pm_object *tp_bases;               /* tuple */
    pm_object *tp_mro;                 /* tuple, NULL after type_clear */
    char *tp_doc;                      /* PyObject_Malloc'd copy of a str __doc__, or NULL */
    int32_t tp_dictoffset;             /* -1: managed dict; 0: none */
    uint32_t slotoffset;               /* model offset of the first own member */
    /* subclasses, for __del__ assignments (3.12 keeps weakrefs in
     * tp_subclasses; here host bookkeeping in the raw allocator) */
    struct pm_heaptype **subclasses;
    uint32_t nsubclasses, capsubclasses;
    /* 3.12's tp_subclasses: {PyLong_FromVoidPtr(sub): weakref.ref(sub)}
     * for this class's subclasses, a dict made with the first one and
     * dropped when the last goes (add_subclass / remove_subclass); not
     * traversed by the collector, as in CPython */
    pm_object *tp_subclasses;
    /* The same entry for a static base (object, the built-in exceptions):
     * in CPython it lives in the interpreter's dict for that static type,
     * which the model does not have; the class keeps the key and the
     * weakref itself, with the same lifetime (made by type_new, released
     * by type_dealloc) */
    pm_object *static_base_key, *static_base_ref;
} pm_heaptype;

/* PyMemberDescrObject / PyGetSetDescrObject (PyDescr_COMMON + one word). */
typedef struct pm_descr {
    pm_object ob_base;
    pm_type *d_type;                   /* the class that defined it (strong) */
    pm_object *d_name;                 /* interned str */
    pm_object *d_qualname;             /* NULL (computed lazily in CPython) */
    uint32_t d_offset;                 /* member: model offset of the slot; getset: PM_GETSET_* */
} pm_descr;
enum { PM_GETSET_DICT = 1, PM_GETSET_WEAKREF = 2 };

/* subtype_traverse, the tp_traverse of classes (gc.c compares against it
 * to walk their instances inline). */
extern int (*const _pm_subtype_traverse)(pm_heap *, pm_object *, pm_visitproc, void *);

static inline int pm_type_is_heaptype_obj(const pm_type *t) { return (t->tp_flags & PM_TPFLAGS_HEAPTYPE) != 0; }
/* 1 if o is a type object (static or heap). */
int pm_object_is_type(pm_heap *h, pm_object *o);

/* ---- Classes ------------------------------------------------------------------
 * type(name, (base,), ns) / the class statement: name an exact str, base
 * NULL (object), object, or a heap type; ns a dict (the class body's
 * namespace: __module__, __qualname__, __doc__, methods, __slots__ ...),
 * copied. New reference, or NULL + TypeError / ValueError (bad __slots__,
 * unsupported base) / MemoryError. __init_subclass__ and __set_name__ are
 * the interpreter's business, and so is filling a __classcell__ cell:
 * pm_type_new only removes __classcell__ from the class dict, as 3.12 does
 * after setting the cell. */
pm_object *pm_type_new(pm_heap *h, pm_object *name, pm_object *base, pm_object *ns);

/* _PyType_Lookup: name along type's MRO (heap types' dicts; static types
 * have no dict in the model). Borrowed, or NULL (no exception). */
pm_object *pm_type_lookup(pm_heap *h, pm_type *type, pm_object *name);

/* type.__subclasses__() of a heap type: a new list of the live subclasses,
 * in creation order (the tp_subclasses dict's order). NULL + TypeError for
 * a static type (the model keeps no table for object & co.). */
pm_object *pm_type_subclasses(pm_heap *h, pm_object *type);

/* 1 if a is b or a subclass of b (single inheritance: the tp_base chain). */
int pm_type_is_subtype(pm_type *a, pm_type *b);

/* ---- Instances ----------------------------------------------------------------
 * object.__new__(cls) for a heap type: new reference (tracked), or NULL +
 * TypeError (not a heap type) / MemoryError. */
pm_object *pm_instance_new(pm_heap *h, pm_object *cls);

/* ---- Attributes -----------------------------------------------------------------
 * getattr(o, name): types go through type_getattro, everything else through
 * PyObject_GenericGetAttr. The static metatype and object have no dicts in
 * the model; their data descriptors that matter are answered directly:
 * cls.__name__, __qualname__, __mro__, __bases__, __base__, __class__,
 * cls.__dict__ (the class dict itself, not a mappingproxy), and
 * obj.__class__. New reference, or NULL + AttributeError with
 * CPython's message ("'A' object has no attribute 'x'", "type object 'A'
 * has no attribute 'x'") or TypeError (name not a str). */
pm_object *pm_object_getattr(pm_heap *h, pm_object *o, pm_object *name);
/* setattr(o, name, value); value NULL deletes (delattr). Types go through
 * type_setattro (static types: TypeError "cannot set 'x' attribute of
 * immutable type 'int'"; assigning or deleting __del__ updates
 * tp_finalize of the class and its subclasses; __name__ and __qualname__
 * are assignable strs; __dict__, __mro__, __base__ are read-only and
 * __bases__ assignment is not modelled). obj.__class__ = C follows
 * object_set_class: both heap types with the same layout (solid base,
 * members, pre-header), the values materialised into a dict first.
 * 0 or -1 + exception. */
int pm_object_setattr(pm_heap *h, pm_object *o, pm_object *name, pm_object *value);
static inline int pm_object_delattr(pm_heap *h, pm_object *o, pm_object *name) {
    return pm_object_setattr(h, o, name, NULL);
}
/* PyObject_GenericGetAttr / PyObject_GenericSetAttr: data descriptors of
 * the type first, then the instance's values or dict, then non-data
 * descriptors (tp_descr_get of the found attribute's type, e.g. functions
 * binding) and plain class attributes. */
pm_object *pm_object_generic_getattr(pm_heap *h, pm_object *o, pm_object *name);
int pm_object_generic_setattr(pm_heap *h, pm_object *o, pm_object *name, pm_object *value);

/* obj.__dict__ (PyObject_GenericGetDict): materialises the instance dict
 * (a split dict taking over the values, or a new one sharing the class's
 * keys). New reference, or NULL + AttributeError when the type has none. */
pm_object *pm_object_get_dict(pm_heap *h, pm_object *o);
/* obj.__dict__ = d (subtype_setdict); d NULL deletes. TypeError unless d is
 * a dict. */
int pm_object_set_dict(pm_heap *h, pm_object *o, pm_object *d);

/* Sets AttributeError "'<tp_name>' object has no attribute '<name>'". */
void _pm_err_no_attribute(pm_heap *h, const char *tp_name, pm_object *name);

/* Set-up hook (_pm_objects_init): the member and getset descriptor types
 * and the heap-type slots of `type` (dealloc, traverse, clear, sizeof,
 * repr). */
pm_status _pm_type_init(pm_heap *h);

#endif /* PM_TYPEOBJECT_H */
