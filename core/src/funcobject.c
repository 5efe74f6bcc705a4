/* funcobject.c — the function type: construction as MAKE_FUNCTION does it,
 * the attribute setters, __dict__, binding (__get__), traverse / clear /
 * dealloc, repr.
 *
 * Mirrors CPython 3.12 Objects/funcobject.c: PyFunction_NewWithQualName,
 * func_new's closure checks, func_set_defaults, func_set_kwdefaults,
 * func_set_annotations, func_get_dict, func_descr_get, func_traverse,
 * func_clear, func_dealloc, func_repr; and Python/bytecodes.c MAKE_FUNCTION.
 */
#include "funcobject.h"
#include "codeobject.h"
#include "cellobject.h"
#include "classobject.h"
#include "dictobject.h"
#include "frame.h"

_Static_assert(sizeof(pm_function) <= PM_FUNCTION_BASICSIZE, "function struct must fit the 144-byte model struct");

static pm_type *function_type(pm_heap *h) { return pm_builtin_type(h, PM_T_FUNCTION); }

static int not_a_function(pm_heap *h, pm_object *o) {
    pm_err_set(h, PM_EXC_TypeError, "expected a function, got '%s'", o ? PM_TYPE(o)->tp_name : "NULL");
    return -1;
}

/* globals[name] for an identifier (borrowed, NULL when absent, no error). */
static pm_object *globals_lookup(pm_heap *h, pm_object *globals, const char *name) {
    pm_object *key = pm_unicode_intern_from_string(h, name);
    if (!key) return NULL;
    pm_object *v = pm_dict_getitem(h, globals, key);
    pm_decref(h, key);
    return v;
}

/* _PyEval_BuiltinsFromGlobals, for dicts: globals['__builtins__'], else the
 * builtins of the running frame. Borrowed. */
static pm_object *builtins_from_globals(pm_heap *h, pm_object *globals) {
    pm_object *b = globals_lookup(h, globals, "__builtins__");
    if (pm_err_occurred(h)) return NULL;
    if (b && pm_dict_check(h, b)) return b;
    pm_frame *f = pm_frame_current(h);
    if (f && f->f_builtins) return f->f_builtins;
    pm_err_set(h, PM_EXC_TypeError, "no builtins: globals has no '__builtins__' dict and no frame is running");
    return NULL;
}

pm_object *pm_function_new(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                           pm_object *qualname) {
    if (!code || !pm_code_check(h, code)) {
        pm_err_set(h, PM_EXC_TypeError, "function: code must be a code object");
        return NULL;
    }
    if (!globals || !pm_dict_check(h, globals)) {
        pm_err_set(h, PM_EXC_TypeError, "function: globals must be a dict");
        return NULL;
    }
    if (builtins && !pm_dict_check(h, builtins)) {
        pm_err_set(h, PM_EXC_TypeError, "function: builtins must be a dict");
        return NULL;
    }
    if (qualname && !pm_unicode_check(h, qualname)) {
        pm_err_set(h, PM_EXC_TypeError, "__qualname__ must be set to a string object");
        return NULL;
    }
    pm_code *c = (pm_code *)code;
    if (!builtins && !(builtins = builtins_from_globals(h, globals))) return NULL;
    pm_object *module = globals_lookup(h, globals, "__name__");
    if (pm_err_occurred(h)) return NULL;
    pm_object *consts = c->co_consts, *doc = PM_NONE(h);
    if (PM_SIZE(consts) >= 1 && pm_unicode_check(h, PM_TUPLE_GET(consts, 0))) doc = PM_TUPLE_GET(consts, 0);

    pm_object *o = pm_object_alloc(h, function_type(h), 0);
    if (!o) return NULL;
    /* PyFunction_NewWithQualName: no failure after the allocation */
    pm_function *f = (pm_function *)o;
    f->func_globals = pm_newref(globals);
    f->func_builtins = pm_newref(builtins);
    f->func_name = pm_newref(c->co_name);
    f->func_qualname = pm_newref(qualname ? qualname : c->co_qualname);
    f->func_code = pm_newref(code);
    f->func_defaults = NULL;
    f->func_kwdefaults = NULL;
    f->func_closure = NULL;
    f->func_doc = pm_newref(doc);
    f->func_dict = NULL;
    f->func_weakreflist = NULL;
    f->func_module = module ? pm_newref(module) : NULL;
    f->func_annotations = NULL;
    f->func_typeparams = NULL;
    f->func_version = 0;
    pm_gc_track(h, o);
    return o;
}

/* Stores a new reference to v (NULL allowed) in *slot, then releases the old value (Py_XSETREF). */
static void setref(pm_heap *h, pm_object **slot, pm_object *v) {
    pm_object *old = *slot;
    *slot = v ? pm_newref(v) : NULL;
    pm_xdecref(h, old);
}

static int func_arg(pm_heap *h, pm_object *func) {
    return func && pm_function_check(h, func) ? 0 : not_a_function(h, func);
}

static int is_none(pm_heap *h, pm_object *v) { return !v || v == PM_NONE(h); }

static int is_tuple(pm_heap *h, pm_object *v) { return PM_TUPLE_CHECK(h, v); }
static int is_dict(pm_heap *h, pm_object *v) { return pm_dict_check(h, v); }
static int is_dict_or_tuple(pm_heap *h, pm_object *v) { return pm_dict_check(h, v) || PM_TUPLE_CHECK(h, v); }

/* The setters of func_defaults, func_kwdefaults, func_annotations: None or
 * NULL clears, a value of another type is a TypeError; the specializer's
 * version goes back to 0 (func_set_defaults & co.). */
static int set_field(pm_heap *h, pm_object *func, pm_object *v, pm_object **slot,
                     int (*type_ok)(pm_heap *, pm_object *), const char *msg) {
    if (is_none(h, v)) v = NULL;
    else if (!type_ok(h, v)) {
        pm_err_set(h, PM_EXC_TypeError, "%s", msg);
        return -1;
    }
    ((pm_function *)func)->func_version = 0;
    setref(h, slot, v);
    return 0;
}

int pm_function_set_defaults(pm_heap *h, pm_object *func, pm_object *v) {
    if (func_arg(h, func) < 0) return -1;
    return set_field(h, func, v, &((pm_function *)func)->func_defaults, is_tuple,
                     "__defaults__ must be set to a tuple object");
}

int pm_function_set_kwdefaults(pm_heap *h, pm_object *func, pm_object *v) {
    if (func_arg(h, func) < 0) return -1;
    return set_field(h, func, v, &((pm_function *)func)->func_kwdefaults, is_dict,
                     "__kwdefaults__ must be set to a dict object");
}

/* func_new's closure checks: a tuple of exactly co_nfreevars cells. */
int pm_function_set_closure(pm_heap *h, pm_object *func, pm_object *v) {
    if (func_arg(h, func) < 0) return -1;
    pm_code *c = (pm_code *)((pm_function *)func)->func_code;
    if (is_none(h, v)) v = NULL;
    if (v && !PM_TUPLE_CHECK(h, v)) {
        pm_err_set(h, PM_EXC_TypeError, "arg 5 (closure) must be tuple");
        return -1;
    }
    int64_t n = v ? PM_SIZE(v) : 0;
    if (n != c->co_nfreevars) {
        pm_strbuf sb;
        _pm_strbuf_init(&sb, h);
        pm_unicode_write_utf8(h, c->co_name, &sb);
        pm_err_set(h, PM_EXC_ValueError, "%s requires closure of length %d, not %lld", sb.buf ? sb.buf : "?",
                   (int)c->co_nfreevars, (long long)n);
        _pm_strbuf_free(&sb);
        return -1;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!pm_cell_check(h, PM_TUPLE_GET(v, i))) {
            pm_err_set(h, PM_EXC_TypeError, "arg 5 (closure) expected cell, found %s",
                       PM_TYPE(PM_TUPLE_GET(v, i))->tp_name);
            return -1;
        }
    }
    setref(h, &((pm_function *)func)->func_closure, v);
    return 0;
}

int pm_function_set_annotations(pm_heap *h, pm_object *func, pm_object *v) {
    if (func_arg(h, func) < 0) return -1;
    return set_field(h, func, v, &((pm_function *)func)->func_annotations, is_dict_or_tuple,
                     "__annotations__ must be set to a dict object");
}

int pm_function_set_doc(pm_heap *h, pm_object *func, pm_object *v) {
    if (func_arg(h, func) < 0) return -1;
    setref(h, &((pm_function *)func)->func_doc, v ? v : PM_NONE(h));
    return 0;
}

pm_object *pm_function_make(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                            pm_object *defaults, pm_object *kwdefaults, pm_object *annotations,
                            pm_object *closure) {
    pm_object *f = pm_function_new(h, code, globals, builtins, NULL);
    if (!f) return NULL;
    if ((closure && pm_function_set_closure(h, f, closure) < 0)
        || (annotations && pm_function_set_annotations(h, f, annotations) < 0)
        || (kwdefaults && pm_function_set_kwdefaults(h, f, kwdefaults) < 0)
        || (defaults && pm_function_set_defaults(h, f, defaults) < 0)) {
        pm_decref(h, f);
        return NULL;
    }
    return f;
}

pm_object *pm_function_get_dict(pm_heap *h, pm_object *func) {
    if (func_arg(h, func) < 0) return NULL;
    pm_function *f = (pm_function *)func;
    if (!f->func_dict && !(f->func_dict = pm_dict_new(h))) return NULL;
    return pm_newref(f->func_dict);
}

pm_object *pm_function_descr_get(pm_heap *h, pm_object *func, pm_object *obj, pm_type *type) {
    (void)type;
    if (is_none(h, obj)) return pm_newref(func);
    return pm_method_new(h, func, obj);
}

int _pm_function_write_qualname(pm_heap *h, pm_object *func, pm_strbuf *sb) {
    if (!pm_function_check(h, func)) {
        _pm_strbuf_puts(sb, "?");
        return 0;
    }
    return pm_unicode_write_utf8(h, ((pm_function *)func)->func_qualname, sb);
}

/* ---- Type slots ------------------------------------------------------------------- */

static int func_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_function *f = (pm_function *)o;
    pm_object *refs[] = {
        f->func_code, f->func_globals, f->func_builtins, f->func_module, f->func_defaults,
        f->func_kwdefaults, f->func_doc, f->func_name, f->func_dict, f->func_closure,
        f->func_annotations, f->func_typeparams, f->func_qualname,
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (!refs[i]) continue;
        int r = visit(refs[i], arg);
        if (r) return r;
    }
    return 0;
}

/* func_clear: everything but the code; name and qualname become ''. */
static int func_clear(pm_heap *h, pm_object *o) {
    pm_function *f = (pm_function *)o;
    f->func_version = 0;
    PM_CLEAR(h, f->func_globals);
    PM_CLEAR(h, f->func_builtins);
    PM_CLEAR(h, f->func_module);
    PM_CLEAR(h, f->func_defaults);
    PM_CLEAR(h, f->func_kwdefaults);
    PM_CLEAR(h, f->func_doc);
    PM_CLEAR(h, f->func_dict);
    PM_CLEAR(h, f->func_closure);
    PM_CLEAR(h, f->func_annotations);
    PM_CLEAR(h, f->func_typeparams);
    setref(h, &f->func_name, h->os->empty_str);
    setref(h, &f->func_qualname, h->os->empty_str);
    return 0;
}

static void func_dealloc(pm_heap *h, pm_object *o) {
    pm_function *f = (pm_function *)o;
    pm_gc_untrack(h, o);
    if (f->func_weakreflist) _pm_weakref_clear_refs(h, o);
    func_clear(h, o);
    pm_decref(h, f->func_code);
    pm_decref(h, f->func_name);
    pm_decref(h, f->func_qualname);
    pm_object_free(h, o);
}

int _pm_repr_named_at(pm_heap *h, pm_strbuf *sb, const char *prefix, pm_object *name, pm_object *o) {
    _pm_strbuf_puts(sb, prefix);
    if (pm_unicode_write_utf8(h, name, sb) < 0) return -1;
    _pm_strbuf_printf(sb, " at %p>", (void *)o);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

static int func_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    return _pm_repr_named_at(h, sb, "<function ", ((pm_function *)o)->func_qualname, o);
}

pm_status _pm_function_init(pm_heap *h) {
    pm_type *t = function_type(h);
    _pm_type_init_static(h, t, PM_T_FUNCTION, "function", PM_FUNCTION_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC);
    t->tp_dealloc = func_dealloc;
    t->tp_traverse = func_traverse;
    t->tp_clear = func_clear;
    t->tp_repr = func_repr;
    t->tp_descr_get = pm_function_descr_get;
    t->tp_weaklistoffset = (int32_t)offsetof(pm_function, func_weakreflist);
    return PM_OK;
}
