/* descrobject.c — property, classmethod, staticmethod. See descrobject.h.
 *
 * Mirrors CPython 3.12: Objects/descrobject.c (property_init_impl,
 * property_copy, property_descr_get, property_descr_set, property_set_name,
 * property_dealloc / traverse / clear) and Objects/funcobject.c (cm_init,
 * cm_descr_get, cm_dealloc / traverse / clear, cm_repr, sm_* alike,
 * functools_wraps).
 */
#include "descrobject.h"
#include "dictobject.h"
#include "funcobject.h"
#include "classobject.h"
#include "unicodeobject.h"
#include "typeobject.h"

_Static_assert(sizeof(pm_property) <= PM_PROPERTY_BASICSIZE, "property struct must fit the model's 64 bytes");
_Static_assert(sizeof(pm_classmethod) <= PM_CLASSMETHOD_BASICSIZE, "classmethod struct must fit the model's 32 bytes");

static pm_object *none_to_null(pm_heap *h, pm_object *v) { return v == PM_NONE(h) ? NULL : v; }

static int bad_type(pm_heap *h, const char *what, pm_object *o) {
    pm_err_set(h, PM_EXC_TypeError, "expected %s, got '%s'", what, o ? PM_TYPE(o)->tp_name : "NULL");
    return -1;
}

/* ---- property ------------------------------------------------------------------------------ */

/* property_init_impl: fields from the arguments; doc from fget.__doc__
 * when none is given (a function's doc; other callables have none in the
 * model). */
pm_object *pm_property_new(pm_heap *h, pm_object *fget, pm_object *fset, pm_object *fdel, pm_object *doc) {
    pm_property *p = (pm_property *)pm_object_alloc(h, pm_builtin_type(h, PM_T_PROPERTY), 0);
    if (!p) return NULL;
    fget = fget ? none_to_null(h, fget) : NULL;
    fset = fset ? none_to_null(h, fset) : NULL;
    fdel = fdel ? none_to_null(h, fdel) : NULL;
    doc = doc ? none_to_null(h, doc) : NULL;
    p->prop_get = fget ? pm_newref(fget) : NULL;
    p->prop_set = fset ? pm_newref(fset) : NULL;
    p->prop_del = fdel ? pm_newref(fdel) : NULL;
    p->prop_doc = doc ? pm_newref(doc) : NULL;
    p->prop_name = NULL;
    p->getter_doc = 0;
    if (!doc && fget && pm_function_check(h, fget)) {
        /* a None doc stays NULL and does not count as the getter's */
        pm_object *fd = ((pm_function *)fget)->func_doc;
        if (fd && fd != PM_NONE(h)) {
            p->prop_doc = pm_newref(fd);
            p->getter_doc = 1;
        }
    }
    pm_gc_track(h, (pm_object *)p);
    return (pm_object *)p;
}

pm_object *pm_property_field(pm_heap *h, pm_object *prop, int which) {
    if (!prop || !pm_property_check(h, prop)) return bad_type(h, "a property", prop), NULL;
    pm_property *p = (pm_property *)prop;
    switch (which) {
    case PM_PROP_FGET: return p->prop_get;
    case PM_PROP_FSET: return p->prop_set;
    case PM_PROP_FDEL: return p->prop_del;
    case PM_PROP_DOC: return p->prop_doc;
    case PM_PROP_NAME: return p->prop_name;
    default:
        pm_err_set(h, PM_EXC_ValueError, "no property field %d", which);
        return NULL;
    }
}

/* property_copy: the old functions with one replaced (None clears it). */
pm_object *pm_property_copy(pm_heap *h, pm_object *prop, int which, pm_object *func) {
    if (!prop || !pm_property_check(h, prop)) return bad_type(h, "a property", prop), NULL;
    if (which < PM_PROP_FGET || which > PM_PROP_FDEL || !func) {
        pm_err_set(h, PM_EXC_ValueError, "bad property_copy arguments");
        return NULL;
    }
    pm_property *old = (pm_property *)prop;
    pm_object *fns[3] = { old->prop_get, old->prop_set, old->prop_del };
    fns[which] = none_to_null(h, func);
    /* a doc taken from the old getter is taken again from the new one */
    pm_object *doc = old->getter_doc && fns[PM_PROP_FGET] ? NULL : old->prop_doc;
    pm_property *p = (pm_property *)pm_property_new(h, fns[0], fns[1], fns[2], doc);
    if (!p) return NULL;
    if (old->prop_name) p->prop_name = pm_newref(old->prop_name);
    return (pm_object *)p;
}

int pm_property_set_name(pm_heap *h, pm_object *prop, pm_object *name) {
    if (!prop || !pm_property_check(h, prop)) return bad_type(h, "a property", prop);
    if (!name || !pm_unicode_check(h, name)) return bad_type(h, "a str", name);
    pm_property *p = (pm_property *)prop;
    pm_object *old = p->prop_name;
    p->prop_name = pm_newref(name);
    pm_xdecref(h, old);
    return 0;
}

/* The AttributeError of property_descr_get / property_descr_set:
 * "property 'x' of 'A' object has no getter" (name repr, type qualname). */
static void err_missing(pm_heap *h, pm_property *p, pm_object *obj, const char *what) {
    pm_type *t = PM_TYPE(obj);
    pm_strbuf q, n;
    _pm_strbuf_init(&q, h);
    _pm_strbuf_init(&n, h);
    if (pm_type_is_heaptype_obj(t)) pm_unicode_write_utf8(h, ((pm_heaptype *)t)->ht_qualname, &q);
    else _pm_strbuf_puts(&q, t->tp_name);
    int named = p->prop_name && pm_object_repr(h, p->prop_name, &n) == 0 && !n.failed;
    if (q.failed) pm_err_nomem(h);
    else if (named) pm_err_set(h, PM_EXC_AttributeError, "property %s of '%s' object has no %s", n.buf, q.buf, what);
    else pm_err_set(h, PM_EXC_AttributeError, "property of '%s' object has no %s", q.buf, what);
    _pm_strbuf_free(&q);
    _pm_strbuf_free(&n);
}

pm_object *pm_property_function(pm_heap *h, pm_object *prop, pm_object *obj, int which) {
    if (!prop || !pm_property_check(h, prop)) return bad_type(h, "a property", prop), NULL;
    if (!obj) return bad_type(h, "an instance", obj), NULL;
    pm_property *p = (pm_property *)prop;
    static const char *const what[3] = { "getter", "setter", "deleter" };
    pm_object *f = which == PM_PROP_FGET ? p->prop_get : which == PM_PROP_FSET ? p->prop_set
                 : which == PM_PROP_FDEL ? p->prop_del : NULL;
    if (which < PM_PROP_FGET || which > PM_PROP_FDEL) {
        pm_err_set(h, PM_EXC_ValueError, "no property function %d", which);
        return NULL;
    }
    if (!f) err_missing(h, p, obj, what[which]);
    return f;
}

static void host_call_needed(pm_heap *h) { pm_err_set(h, PM_EXC_RuntimeError, "%s", PM_DESCR_HOST_CALL_MSG); }

/* property_descr_get */
static pm_object *property_get(pm_heap *h, pm_object *self, pm_object *obj, pm_type *type) {
    (void)type;
    if (!obj || obj == PM_NONE(h)) return pm_newref(self);
    if (pm_property_function(h, self, obj, PM_PROP_FGET)) host_call_needed(h);
    return NULL;
}

/* property_descr_set: value NULL deletes. */
static int property_set(pm_heap *h, pm_object *self, pm_object *obj, pm_object *value) {
    if (pm_property_function(h, self, obj, value ? PM_PROP_FSET : PM_PROP_FDEL)) host_call_needed(h);
    return -1;
}

static void property_dealloc(pm_heap *h, pm_object *o) {
    pm_property *p = (pm_property *)o;
    pm_gc_untrack(h, o);
    pm_xdecref(h, p->prop_get);
    pm_xdecref(h, p->prop_set);
    pm_xdecref(h, p->prop_del);
    pm_xdecref(h, p->prop_doc);
    pm_xdecref(h, p->prop_name);
    pm_object_free(h, o);
}

static int property_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_property *p = (pm_property *)o;
    pm_object *refs[] = { p->prop_get, p->prop_set, p->prop_del, p->prop_doc, p->prop_name };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (!refs[i]) continue;
        int r = visit(refs[i], arg);
        if (r) return r;
    }
    return 0;
}

/* property_clear: only the doc (3.12 clears prop_doc; the functions stay
 * until dealloc). */
static int property_clear(pm_heap *h, pm_object *o) {
    PM_CLEAR(h, ((pm_property *)o)->prop_doc);
    return 0;
}

int _pm_descr_set_names(pm_heap *h, pm_object *dict) {
    int64_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(h, dict, &pos, &k, &v))
        if (pm_property_check(h, v) && pm_unicode_check(h, k) && pm_property_set_name(h, v, k) < 0) return -1;
    return 0;
}

/* ---- classmethod / staticmethod --------------------------------------------------------- */

/* functools_wraps: the function's __module__, __name__, __qualname__,
 * __doc__ and __annotations__ (created empty when absent, as reading it
 * does) go into the wrapper's new __dict__, in that order. Other callables
 * have none of these attributes in the model: nothing is copied. */
static int wraps(pm_heap *h, pm_classmethod *cm, pm_object *callable) {
    if (!pm_function_check(h, callable)) return 0;
    pm_function *f = (pm_function *)callable;
    static const char *const names[5] = { "__module__", "__name__", "__qualname__", "__doc__", "__annotations__" };
    for (int i = 0; i < 5; i++) {
        pm_object *v;
        switch (i) {
        case 0: v = f->func_module ? f->func_module : PM_NONE(h); break;
        case 1: v = f->func_name; break;
        case 2: v = f->func_qualname; break;
        case 3: v = f->func_doc ? f->func_doc : PM_NONE(h); break;
        default:
            if (!f->func_annotations && !(f->func_annotations = pm_dict_new(h))) return -1;
            v = f->func_annotations;
            break;
        }
        pm_object *key = pm_unicode_intern_from_string(h, names[i]);
        if (!key) return -1;
        int r = (cm->cm_dict || (cm->cm_dict = pm_dict_new(h))) ? pm_dict_setitem(h, cm->cm_dict, key, v) : -1;
        pm_decref(h, key);
        if (r < 0) return -1;
    }
    return 0;
}

static pm_object *cm_new(pm_heap *h, pm_type_id id, pm_object *callable) {
    if (!callable) return bad_type(h, "a callable", callable), NULL;
    pm_classmethod *cm = (pm_classmethod *)pm_object_alloc(h, pm_builtin_type(h, id), 0);
    if (!cm) return NULL;
    cm->cm_callable = pm_newref(callable);
    cm->cm_dict = NULL;
    pm_gc_track(h, (pm_object *)cm);
    if (wraps(h, cm, callable) < 0) {
        pm_decref(h, (pm_object *)cm);
        return NULL;
    }
    return (pm_object *)cm;
}

pm_object *pm_classmethod_new(pm_heap *h, pm_object *callable) { return cm_new(h, PM_T_CLASSMETHOD, callable); }
pm_object *pm_staticmethod_new(pm_heap *h, pm_object *callable) { return cm_new(h, PM_T_STATICMETHOD, callable); }

static int is_cm(pm_heap *h, pm_object *o) { return o && (pm_classmethod_check(h, o) || pm_staticmethod_check(h, o)); }

pm_object *pm_descr_callable(pm_heap *h, pm_object *cm) {
    if (!is_cm(h, cm)) return bad_type(h, "a classmethod or staticmethod", cm), NULL;
    return ((pm_classmethod *)cm)->cm_callable;
}

pm_object *pm_descr_get_dict(pm_heap *h, pm_object *o) {
    if (!is_cm(h, o)) return bad_type(h, "a classmethod or staticmethod", o), NULL;
    pm_classmethod *cm = (pm_classmethod *)o;
    if (!cm->cm_dict && !(cm->cm_dict = pm_dict_new(h))) return NULL;
    return pm_newref(cm->cm_dict);
}

/* cm_descr_get: bound to the class (type(obj) when no class is given). */
static pm_object *cm_get(pm_heap *h, pm_object *self, pm_object *obj, pm_type *type) {
    if (!type) type = obj ? PM_TYPE(obj) : NULL;
    if (!type) {
        pm_err_set(h, PM_EXC_TypeError, "__get__(None, None) is invalid");
        return NULL;
    }
    pm_object *c = ((pm_classmethod *)self)->cm_callable;
    /* 3.12 still chains to the callable's own __get__ (removed in 3.13):
     * for a function that is PyMethod_New(callable, type) as well */
    return pm_method_new(h, c, (pm_object *)type);
}

/* sm_descr_get */
static pm_object *sm_get(pm_heap *h, pm_object *self, pm_object *obj, pm_type *type) {
    (void)h, (void)obj, (void)type;
    return pm_newref(((pm_classmethod *)self)->cm_callable);
}

static void cm_dealloc(pm_heap *h, pm_object *o) {
    pm_classmethod *cm = (pm_classmethod *)o;
    pm_gc_untrack(h, o);
    pm_xdecref(h, cm->cm_callable);
    pm_xdecref(h, cm->cm_dict);
    pm_object_free(h, o);
}

static int cm_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_classmethod *cm = (pm_classmethod *)o;
    int r = cm->cm_callable ? visit(cm->cm_callable, arg) : 0;
    if (!r && cm->cm_dict) r = visit(cm->cm_dict, arg);
    return r;
}

static int cm_clear(pm_heap *h, pm_object *o) {
    pm_classmethod *cm = (pm_classmethod *)o;
    PM_CLEAR(h, cm->cm_callable);
    PM_CLEAR(h, cm->cm_dict);
    return 0;
}

/* cm_repr / sm_repr: <classmethod(<function f at 0x...>)> */
static int cm_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_classmethod *cm = (pm_classmethod *)o;
    _pm_strbuf_printf(sb, "<%s(", PM_TYPE(o)->tp_name);
    if (!cm->cm_callable) _pm_strbuf_puts(sb, "NULL");
    else if (pm_object_repr(h, cm->cm_callable, sb) < 0) return -1;
    _pm_strbuf_puts(sb, ")>");
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

pm_status _pm_descr_init(pm_heap *h) {
    pm_type *t = pm_builtin_type(h, PM_T_PROPERTY);
    _pm_type_init_static(h, t, PM_T_PROPERTY, "property", PM_PROPERTY_BASICSIZE, 0,
                         PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE);
    t->tp_dealloc = property_dealloc;
    t->tp_traverse = property_traverse;
    t->tp_clear = property_clear;
    t->tp_descr_get = property_get;
    t->tp_descr_set = property_set;
    static const struct { pm_type_id id; const char *name; } cms[2] = {
        { PM_T_CLASSMETHOD, "classmethod" }, { PM_T_STATICMETHOD, "staticmethod" },
    };
    for (int i = 0; i < 2; i++) {
        t = pm_builtin_type(h, cms[i].id);
        _pm_type_init_static(h, t, cms[i].id, cms[i].name, PM_CLASSMETHOD_BASICSIZE, 0,
                             PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE);
        t->tp_dealloc = cm_dealloc;
        t->tp_traverse = cm_traverse;
        t->tp_clear = cm_clear;
        t->tp_repr = cm_repr;
        t->tp_descr_get = cms[i].id == PM_T_CLASSMETHOD ? cm_get : sm_get;
    }
    return PM_OK;
}
