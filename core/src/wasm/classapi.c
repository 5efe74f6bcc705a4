/* classapi.c — the wasm boundary for user classes and their instances:
 * class creation, instantiation, attribute access, instance dicts, class
 * lookups (core/src/typeobject.c).
 *
 * Conventions as objapi.c: every export checks the heap handle and each
 * object handle (pmw_obj, whose O(1) test calls _pmw_class_obj_ok below for
 * classes and instances); object results are NEW references or 0 with the
 * reason in pmw_last_status; int32 results are a status (< 0) or a count.
 * A Python exception raised by the core is status PM_EPYTHON (its kind and
 * message through pmw_exc_kind / pmw_exc_msg), e.g. AttributeError with
 * CPython's text for a missing attribute.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../typeobject.h"
#include "../unicodeobject.h"
#include "../dictobject.h"
#include "api.h"

/* ---- Handle validation -------------------------------------------------------------------
 * A class is a GC object of type `type` in a raw block (16 + 920 + 40 per
 * member + 40 bytes, always above pymalloc's 512): it must carry the
 * HEAPTYPE flag, point at itself (ht_self, cleared by type_dealloc), have
 * a nonzero refcount and fit its block. An instance's ob_type must be such
 * a class (checked the same way, through the raw allocator's live set:
 * O(1)); its pre-header must be its class's and its block exactly what the
 * class's basic size asks for. */

static size_t class_block_need(const pm_object *o) {
    return PM_HEAPTYPE_BASICSIZE + PM_MEMBERDEF_SIZE * ((size_t)PM_SIZE(o) + 1);
}

static int heaptype_ok(pm_heap *h, const pm_heaptype *t, size_t room) {
    const pm_object *o = (const pm_object *)t;
    if (o->ob_type != pm_builtin_type(h, PM_T_TYPE) || !(t->type.tp_flags & PM_TPFLAGS_HEAPTYPE)) return 0;
    if (t->ht_self != t || (uint32_t)o->ob_refcnt == 0) return 0;
    return PM_SIZE(o) >= 0 && PM_SIZE(o) <= 4096 && room >= class_block_need(o);
}

/* A live class at t, checked from scratch (for an instance's ob_type). */
static int heaptype_live(pm_heap *h, pm_type *t) {
    uintptr_t b = (uintptr_t)t - PM_GC_HEAD_SIZE;
    if (!t || ((uintptr_t)t & 7) || (uintptr_t)t < PM_GC_HEAD_SIZE || !_pm_raw_is_live(h, (void *)b)) return 0;
    size_t room = _pm_raw_requested((void *)b);
    if (room < PM_GC_HEAD_SIZE + PM_HEAPTYPE_BASICSIZE) return 0;
    return heaptype_ok(h, (pm_heaptype *)t, room - PM_GC_HEAD_SIZE);
}

int _pmw_class_obj_ok(pm_heap *h, pm_object *o, size_t pre, size_t room, int pymalloc_block) {
    if (o->ob_type == pm_builtin_type(h, PM_T_TYPE))
        return pre == PM_GC_HEAD_SIZE && !pymalloc_block && heaptype_ok(h, (pm_heaptype *)o, room);
    pm_type *t = o->ob_type;
    if (!heaptype_live(h, t) || (uint32_t)o->ob_refcnt == 0 || pm_type_preheader(t) != pre) return 0;
    if (pymalloc_block) return ((pre + t->tp_basicsize + 15) & ~(size_t)15) == pre + room;
    return room == t->tp_basicsize;
}

/* The class behind handle p, or NULL with PM_EINVAL (or the handle's status). */
static pm_object *class_of(pm_heap *h, uint32_t p, const char *op) {
    pm_object *c = pmw_obj(h, p);
    if (!c) return NULL;
    if (pm_object_is_type(h, c) && pm_type_is_heaptype_obj((pm_type *)c)) return c;
    _pm_set_status(h, PM_EINVAL, "%s: expected a class, got '%s'", op, PM_TYPE(c)->tp_name);
    return NULL;
}

/* A str handle, or NULL with PM_EINVAL. */
static pm_object *str_of(pm_heap *h, uint32_t p, const char *op) {
    pm_object *s = pmw_obj(h, p);
    if (!s) return NULL;
    if (pm_unicode_check(h, s)) return s;
    _pm_set_status(h, PM_EINVAL, "%s: expected a str name, got '%s'", op, PM_TYPE(s)->tp_name);
    return NULL;
}

/* ---- Classes ----------------------------------------------------------------------------- */

/* type(name, (base,), ns) / the class statement: name a str, base a class
 * handle or 0 for object, ns the body's namespace dict (copied). */
EXPORT uint32_t pmw_class_new(uint32_t hp, uint32_t namep, uint32_t basep, uint32_t nsp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *name = str_of(h, namep, "class new"), *base = NULL, *ns = NULL;
    if (!name) return 0;
    if (basep) {   /* a class, or a built-in exception type (class MyError(Exception)) */
        pm_object *b = pmw_obj(h, basep);
        if (!b) return 0;
        base = pm_object_is_type(h, b) && (((pm_type *)b)->tp_flags & PM_TPFLAGS_BASE_EXC_SUBCLASS) ? b
             : class_of(h, basep, "class new");
        if (!base) return 0;
    }
    if (!(ns = pmw_obj(h, nsp))) return 0;
    return pmw_finish_obj(h, pm_type_new(h, name, base, ns));
}

/* _PyType_Lookup(cls, name): a new reference to what the MRO's dicts hold,
 * or 0 with status PM_OK when no class defines it. */
EXPORT uint32_t pmw_class_lookup(uint32_t hp, uint32_t clsp, uint32_t namep) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *c = class_of(h, clsp, "class lookup"), *name = c ? str_of(h, namep, "class lookup") : NULL;
    if (!name) return 0;
    pm_object *v = pm_type_lookup(h, (pm_type *)c, name);
    if (!v) {
        _pm_set_status(h, PM_OK, NULL);
        return 0;
    }
    return pmw_finish_obj(h, pm_newref(v));
}

/* An export on one class handle: fn's new reference (or NULL with the
 * reason set). */
static uint32_t on_class(uint32_t hp, uint32_t clsp, const char *op, pm_object *(*fn)(pm_heap *, pm_object *)) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *c = class_of(h, clsp, op);
    return c ? pmw_finish_obj(h, fn(h, c)) : 0;
}

static pm_object *dict_ref(pm_heap *h, pm_object *c) { (void)h; return pm_newref(((pm_heaptype *)c)->tp_dict); }

static pm_object *mro_ref(pm_heap *h, pm_object *c) {
    pm_object *mro = ((pm_heaptype *)c)->tp_mro;
    if (mro) return pm_newref(mro);
    _pm_set_status(h, PM_EINVAL, "class mro: the class has been cleared");
    return NULL;
}

/* The class's own dict (cls.__dict__'s mapping), new reference. */
EXPORT uint32_t pmw_class_dict(uint32_t hp, uint32_t clsp) { return on_class(hp, clsp, "class dict", dict_ref); }

/* cls.__mro__ (a tuple), new reference; 0 + PM_EINVAL after the collector
 * cleared the class. */
EXPORT uint32_t pmw_class_mro(uint32_t hp, uint32_t clsp) { return on_class(hp, clsp, "class mro", mro_ref); }

/* ---- Instances and attributes ----------------------------------------------------------------- */

/* object.__new__(cls): a new instance (tracked). */
EXPORT uint32_t pmw_instance_new(uint32_t hp, uint32_t clsp) { return on_class(hp, clsp, "instance new", pm_instance_new); }

/* obj.__dict__: materialises the instance dict; new reference. */
EXPORT uint32_t pmw_instance_dict(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *o = pmw_obj(h, op);
    if (!o) return 0;
    return pmw_finish_obj(h, pm_object_get_dict(h, o));
}

/* getattr(o, name): new reference (classes: type_getattro). */
EXPORT uint32_t pmw_getattr(uint32_t hp, uint32_t op, uint32_t namep) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return 0;
    pm_object *o = pmw_obj(h, op), *name = o ? str_of(h, namep, "getattr") : NULL;
    if (!name) return 0;
    return pmw_finish_obj(h, pm_object_getattr(h, o, name));
}

/* setattr(o, name, value): 0 or a status. */
EXPORT int32_t pmw_setattr(uint32_t hp, uint32_t op, uint32_t namep, uint32_t vp) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = pmw_obj(h, op), *name = o ? str_of(h, namep, "setattr") : NULL, *v = name ? pmw_obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return pmw_finish(h, pm_object_setattr(h, o, name, v), 1);
}

/* delattr(o, name): 0 or a status. */
EXPORT int32_t pmw_delattr(uint32_t hp, uint32_t op, uint32_t namep) {
    pm_heap *h = pmw_enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = pmw_obj(h, op), *name = o ? str_of(h, namep, "delattr") : NULL;
    if (!name) return pm_heap_last_status(h);
    return pmw_finish(h, pm_object_delattr(h, o, name), 1);
}
