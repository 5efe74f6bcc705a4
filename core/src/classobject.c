/* classobject.c — the bound method type.
 *
 * Mirrors CPython 3.12 Objects/classobject.c: PyMethod_New, method_new,
 * method_dealloc (with the trashcan), method_traverse, method_richcompare,
 * method_hash, method_repr.
 */
#include "classobject.h"
#include "funcobject.h"

_Static_assert(sizeof(pm_method) <= PM_METHOD_BASICSIZE, "method struct must fit the 48-byte model struct");

static pm_type *method_type(pm_heap *h) { return pm_builtin_type(h, PM_T_METHOD); }

pm_object *pm_method_new(pm_heap *h, pm_object *func, pm_object *self) {
    if (!func || !self) {
        pm_err_set(h, PM_EXC_RuntimeError, "bad argument to internal function (pm_method_new)");
        return NULL;
    }
    pm_object *o = pm_object_alloc(h, method_type(h), 0);
    if (!o) return NULL;
    pm_method *m = (pm_method *)o;
    m->im_weakreflist = NULL;
    m->im_func = pm_newref(func);
    m->im_self = pm_newref(self);
    m->vectorcall = NULL;
    pm_gc_track(h, o);
    return o;
}

pm_object *pm_method_type_new(pm_heap *h, pm_object *func, pm_object *self, int func_callable) {
    if (!func_callable) {
        pm_err_set(h, PM_EXC_TypeError, "first argument must be callable");
        return NULL;
    }
    if (self == PM_NONE(h)) {
        pm_err_set(h, PM_EXC_TypeError, "instance must not be None");
        return NULL;
    }
    return pm_method_new(h, func, self);
}

static void method_dealloc(pm_heap *h, pm_object *o) {
    pm_method *m = (pm_method *)o;
    pm_gc_untrack(h, o);
    int tok = pm_trashcan_begin(h, o, method_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    if (m->im_weakreflist) _pm_weakref_clear_refs(h, o);
    pm_decref(h, m->im_func);
    pm_xdecref(h, m->im_self);
    pm_object_free(h, o);
    pm_trashcan_end(h, tok);
}

static int method_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_method *m = (pm_method *)o;
    int r = visit(m->im_func, arg);
    if (r) return r;
    return m->im_self ? visit(m->im_self, arg) : 0;
}

/* method_richcompare (==): equal functions, identical instances. */
static int method_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_method_check(h, b)) return PM_NOTIMPL;
    int eq = pm_object_eq(h, PM_METHOD_FUNC(a), PM_METHOD_FUNC(b));
    if (eq == 1) eq = PM_METHOD_SELF(a) == PM_METHOD_SELF(b);
    return eq;
}

static int64_t method_hash(pm_heap *h, pm_object *o) {
    int64_t y = pm_object_hash(h, PM_METHOD_FUNC(o));
    if (y == -1) return -1;
    int64_t x = pm_hash_pointer(PM_METHOD_SELF(o)) ^ y;
    return x == -1 ? -2 : x;
}

/* method_repr: <bound method QUALNAME of REPR(self)> (a callable that is
 * not a function shows "?": the core cannot look attributes up). */
static int method_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    _pm_strbuf_puts(sb, "<bound method ");
    if (_pm_function_write_qualname(h, PM_METHOD_FUNC(o), sb) < 0) return -1;
    _pm_strbuf_puts(sb, " of ");
    if (pm_object_repr(h, PM_METHOD_SELF(o), sb) < 0) return -1;
    _pm_strbuf_puts(sb, ">");
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

pm_status _pm_method_init(pm_heap *h) {
    pm_type *t = method_type(h);
    _pm_type_init_static(h, t, PM_T_METHOD, "method", PM_METHOD_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC);
    t->tp_dealloc = method_dealloc;
    t->tp_traverse = method_traverse;
    t->tp_eq = method_eq;
    t->tp_hash = method_hash;
    t->tp_repr = method_repr;
    t->tp_weaklistoffset = (int32_t)offsetof(pm_method, im_weakreflist);
    return PM_OK;
}
