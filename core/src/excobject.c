/* excobject.c — BaseException and the built-in exception hierarchy as core
 * objects (excobject.h).
 *
 * Mirrors CPython 3.12 Objects/exceptions.c: BaseException_new /
 * BaseException_init (args), SystemExit_init (code), StopIteration_init
 * (value), ImportError_init (msg), BaseException_traverse / _clear /
 * _dealloc and the subclasses' versions, which handle their own fields
 * first and then the base's.
 */
#include "excobject.h"
#include "tupleobject.h"
#include "dictobject.h"
#include "typeobject.h"

_Static_assert(sizeof(pm_exc) <= PM_EXC_BASICSIZE, "exception struct must fit the 72-byte model struct");

/* Per-type facts, indexed by type id - PM_T_EXC_FIRST. */
typedef struct exc_info {
    const char *name;
    int base;                   /* index of the base, -1 for BaseException (base object) */
    uint32_t basicsize;
} exc_info;

static const exc_info EXC_INFO[] = {
#define PM_EXC_ROW(name, base, size) { #name, base, size },
    PM_EXC_TYPES(PM_EXC_ROW)
#undef PM_EXC_ROW
};
_Static_assert(sizeof EXC_INFO / sizeof EXC_INFO[0] == PM_T_EXC_LAST - PM_T_EXC_FIRST + 1, "one row per type");

/* The model slot of subclass field i (8-byte slots from offset 72). */
static pm_object **extra_slot(pm_object *e, int i) { return (pm_object **)((char *)e + PM_EXC_BASICSIZE + 8u * (uint32_t)i); }

/* The built-in exception type whose layout `t` has (t itself, or the
 * static base of a class derived in Python). */
static pm_type *static_base(pm_type *t) {
    while (t && (t->tp_flags & PM_TPFLAGS_HEAPTYPE)) t = t->tp_base;
    return t;
}

int pm_exc_nextra(pm_type *t) {
    t = static_base(t);
    return t ? (int)((t->tp_basicsize - PM_EXC_BASICSIZE) / 8u) : 0;
}

/* Is subclass field i an object (UnicodeError's start and end are C integers)? */
static int extra_is_object(pm_type *t, int i) {
    uint32_t id = static_base(t)->type_id;
    if (id == PM_T_EXC_UnicodeDecodeError || id == PM_T_EXC_UnicodeEncodeError) return i != 2 && i != 3;
    return 1;
}

int pm_exc_type_check(pm_heap *h, pm_type *t) {
    (void)h;
    return (t->tp_flags & PM_TPFLAGS_BASE_EXC_SUBCLASS) != 0;
}

int pm_exc_check(pm_heap *h, pm_object *o) { return pm_exc_type_check(h, PM_TYPE(o)); }

/* ---- Slots ------------------------------------------------------------------------- */

/* BaseException_traverse after the subclass fields (SystemExit_traverse & co.). */
static int exc_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_exc *e = (pm_exc *)o;
    int n = pm_exc_nextra(PM_TYPE(o));
    for (int i = 0; i < n; i++) {
        pm_object *v = *extra_slot(o, i);
        if (v && extra_is_object(PM_TYPE(o), i)) {
            int r = visit(v, arg);
            if (r) return r;
        }
    }
    pm_object *refs[6] = { e->dict, e->args, e->notes, e->traceback, e->cause, e->context };
    for (int i = 0; i < 6; i++) {
        if (refs[i]) {
            int r = visit(refs[i], arg);
            if (r) return r;
        }
    }
    return 0;
}

/* The subclass fields, then BaseException_clear: dict, args, notes,
 * traceback, cause, context. */
static int exc_clear(pm_heap *h, pm_object *o) {
    pm_exc *e = (pm_exc *)o;
    int n = pm_exc_nextra(PM_TYPE(o));
    for (int i = 0; i < n; i++)
        if (extra_is_object(PM_TYPE(o), i)) PM_CLEAR(h, *extra_slot(o, i));
    PM_CLEAR(h, e->dict);
    PM_CLEAR(h, e->args);
    PM_CLEAR(h, e->notes);
    PM_CLEAR(h, e->traceback);
    PM_CLEAR(h, e->cause);
    PM_CLEAR(h, e->context);
    return 0;
}

/* BaseException_dealloc: untrack, trashcan (bpo-44348: long chains of
 * contexts), clear, free. */
static void exc_dealloc(pm_heap *h, pm_object *o) {
    pm_gc_untrack(h, o);
    int tok = pm_trashcan_begin(h, o, exc_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    exc_clear(h, o);
    pm_object_free(h, o);
    pm_trashcan_end(h, tok);
}

/* ---- Construction and fields ---------------------------------------------------------- */

pm_object *pm_exc_new(pm_heap *h, pm_type *type, pm_object *args) {
    if (!pm_exc_type_check(h, type)) {
        pm_err_set(h, PM_EXC_TypeError, "exceptions must derive from BaseException");
        return NULL;
    }
    if (args && PM_TYPE(args) != pm_builtin_type(h, PM_T_TUPLE)) {
        pm_err_set(h, PM_EXC_TypeError, "exception args must be a tuple, not %s", PM_TYPE(args)->tp_name);
        return NULL;
    }
    pm_object *o;
    if (type->tp_flags & PM_TPFLAGS_HEAPTYPE) {
        o = pm_instance_new(h, (pm_object *)type);   /* zeroed and tracked, managed dict ready */
        if (!o) return NULL;
    } else {
        /* BaseException_new: type->tp_alloc (PyType_GenericAlloc: zeroed, tracked) */
        o = pm_object_alloc(h, type, 0);
        if (!o) return NULL;
        memset((char *)o + sizeof(pm_object), 0, type->tp_basicsize - sizeof(pm_object));
        pm_gc_track(h, o);
    }
    pm_exc *e = (pm_exc *)o;
    e->args = pm_newref(args ? args : h->os->empty_tuple);
    /* the subclass __init__s that keep an argument */
    int64_t n = PM_SIZE(e->args);
    pm_object *const *a = ((pm_tuple *)e->args)->ob_item;
    switch (static_base(type)->type_id) {
    case PM_T_EXC_SystemExit:   /* SystemExit_init: code */
        if (n == 1) *extra_slot(o, 0) = pm_newref(a[0]);
        else if (n > 1) *extra_slot(o, 0) = pm_newref(e->args);
        break;
    case PM_T_EXC_StopIteration:   /* StopIteration_init: value */
        *extra_slot(o, 0) = pm_newref(n > 0 ? a[0] : PM_NONE(h));
        break;
    case PM_T_EXC_ImportError: case PM_T_EXC_ModuleNotFoundError:   /* ImportError_init: msg */
        if (n == 1) *extra_slot(o, 0) = pm_newref(a[0]);
        break;
    default:
        break;
    }
    return o;
}

static int field_ok(pm_heap *h, pm_object *e, int field) {
    if (!pm_exc_check(h, e)) {
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not an exception", PM_TYPE(e)->tp_name);
        return 0;
    }
    if (field < 0 || field >= PM_EXCF_EXTRA + pm_exc_nextra(PM_TYPE(e)) ||
        (field >= PM_EXCF_EXTRA && !extra_is_object(PM_TYPE(e), field - PM_EXCF_EXTRA))) {
        pm_err_set(h, PM_EXC_AttributeError, "'%s' object has no field %d", PM_TYPE(e)->tp_name, field);
        return 0;
    }
    return 1;
}

static pm_object **field_slot(pm_object *o, int field) {
    pm_exc *e = (pm_exc *)o;
    switch (field) {
    case PM_EXCF_DICT: return &e->dict;
    case PM_EXCF_ARGS: return &e->args;
    case PM_EXCF_NOTES: return &e->notes;
    case PM_EXCF_TRACEBACK: return &e->traceback;
    case PM_EXCF_CONTEXT: return &e->context;
    case PM_EXCF_CAUSE: return &e->cause;
    default: return extra_slot(o, field - PM_EXCF_EXTRA);
    }
}

pm_object *pm_exc_get(pm_heap *h, pm_object *o, int field) {
    if (!field_ok(h, o, field)) return NULL;
    if (field == PM_EXCF_SUPPRESS_CONTEXT) return pm_newref(((pm_exc *)o)->suppress_context ? PM_TRUE(h) : PM_FALSE(h));
    pm_object **slot = field_slot(o, field);
    if (field == PM_EXCF_DICT && !*slot) {   /* PyObject_GenericGetDict: made on demand */
        *slot = pm_dict_new(h);
        if (!*slot) return NULL;
    }
    return pm_newref(*slot ? *slot : PM_NONE(h));
}

int pm_exc_set(pm_heap *h, pm_object *o, int field, pm_object *value) {
    if (!field_ok(h, o, field)) return -1;
    if (field == PM_EXCF_SUPPRESS_CONTEXT) {
        ((pm_exc *)o)->suppress_context = value == PM_TRUE(h);
        return 0;
    }
    if (field == PM_EXCF_ARGS && (!value || PM_TYPE(value) != pm_builtin_type(h, PM_T_TUPLE))) {
        pm_err_set(h, PM_EXC_TypeError, "args must be a tuple");
        return -1;
    }
    pm_object **slot = field_slot(o, field);
    pm_object *old = *slot;
    *slot = value ? pm_newref(value) : NULL;
    pm_xdecref(h, old);
    return 0;
}

/* ---- Set-up ------------------------------------------------------------------------------ */

pm_status _pm_exc_init(pm_heap *h) {
    for (int i = 0; i <= PM_T_EXC_LAST - PM_T_EXC_FIRST; i++) {
        const exc_info *x = &EXC_INFO[i];
        uint32_t id = (uint32_t)(PM_T_EXC_FIRST + i);
        pm_type *t = pm_builtin_type(h, (pm_type_id)id);
        _pm_type_init_static(h, t, id, x->name, x->basicsize, 0,
                             PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_BASE_EXC_SUBCLASS);
        t->tp_base = x->base < 0 ? pm_builtin_type(h, PM_T_OBJECT) : pm_builtin_type(h, (pm_type_id)(PM_T_EXC_FIRST + x->base));
        t->tp_dealloc = exc_dealloc;
        t->tp_traverse = exc_traverse;
        t->tp_clear = exc_clear;
        /* hash: object's (the pointer hash _pm_type_init_static set) */
    }
    return PM_OK;
}
