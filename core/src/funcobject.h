/* funcobject.h — function objects (CPython 3.12 Objects/funcobject.c).
 *
 * `def` and `lambda` run MAKE_FUNCTION: PyFunction_New(code, globals) plus
 * the optional defaults tuple, keyword-defaults dict, annotations and
 * closure tuple taken from the value stack. References the function holds
 * (each one count, as measured on 3.12.1, tests/fixtures/sizes_callables.txt):
 *
 *   func_globals    the module's globals dict     (+1 per function: delta.globals_per_function)
 *   func_builtins   the builtins dict             (+1 per function: delta.builtins_per_function)
 *   func_name       code.co_name
 *   func_qualname   code.co_qualname (or the one given)
 *   func_code       the code object                (refcnt.code_one_function: func + the
 *                                                   enclosing code's co_consts + the argument)
 *   func_defaults   the defaults tuple             (its values are held by the tuple only:
 *                                                   delta.default_value 1)
 *   func_kwdefaults the keyword-defaults dict
 *   func_closure    tuple of cells                 (each cell holds its contents once:
 *                                                   delta.cell_contents 1)
 *   func_doc        co_consts[0] if it is a str, else None
 *   func_dict       __dict__, created on first use
 *   func_module     globals['__name__'], or NULL when absent
 *   func_annotations the annotations (tuple or dict), or NULL
 *
 * Layout (64-bit model): PyObject (16) + 14 pointer fields + vectorcall +
 * func_version (4, padded) = 144 bytes behind a 16-byte GC head:
 * sys.getsizeof(function) == 160 with or without defaults, closure or
 * __dict__. Weakly referenceable (__weakrefoffset__ 96). Hash and == by
 * identity. Deallocation (func_dealloc, no trashcan): untrack, clear the
 * weakrefs, then globals, builtins, module, defaults, kwdefaults, doc,
 * dict, closure, annotations, typeparams (func_clear), then name and
 * qualname (swapped for '' by func_clear), then the code object; measured
 * order of markers: order.function_fields.
 */
#ifndef PM_FUNCOBJECT_H
#define PM_FUNCOBJECT_H

#include "object.h"

typedef struct pm_function {
    pm_object ob_base;
    pm_object *func_globals;        /* dict, strong */
    pm_object *func_builtins;       /* dict, strong */
    pm_object *func_name;
    pm_object *func_qualname;
    pm_object *func_code;
    pm_object *func_defaults;       /* NULL or a tuple */
    pm_object *func_kwdefaults;     /* NULL or a dict */
    pm_object *func_closure;        /* NULL or a tuple of cells */
    pm_object *func_doc;
    pm_object *func_dict;           /* NULL until __dict__ is used */
    pm_object *func_weakreflist;
    pm_object *func_module;
    pm_object *func_annotations;    /* NULL, a tuple (as MAKE_FUNCTION leaves it) or a dict */
    pm_object *func_typeparams;     /* NULL (no PEP 695 in the subset) */
    uint32_t func_version;
} pm_function;

#define PM_FUNCTION_BASICSIZE 144u

static inline int pm_function_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_FUNCTION];
}

/* PyFunction_NewWithQualName: a tracked function for `code` (a code
 * object) in `globals` (a dict). builtins: the dict to hold; NULL means
 * globals['__builtins__'] if that is a dict, else the current frame's
 * builtins (_PyEval_BuiltinsFromGlobals); TypeError if there is neither.
 * qualname NULL: code.co_qualname. New reference. */
pm_object *pm_function_new(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                           pm_object *qualname);
/* MAKE_FUNCTION with its flags: each of defaults (tuple), kwdefaults
 * (dict), annotations (tuple or dict), closure (tuple of cells, as many as
 * code.co_freevars) may be NULL. Borrowed arguments: the function takes
 * its own references (MAKE_FUNCTION takes the stack's; a caller that
 * drops its reference afterwards ends with the same counts). */
pm_object *pm_function_make(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                            pm_object *defaults, pm_object *kwdefaults, pm_object *annotations,
                            pm_object *closure);

/* Setters of __defaults__, __kwdefaults__, __closure__ (construction only),
 * __annotations__, __doc__: NULL or None clears (doc: None). TypeError with
 * CPython's message on a wrong type. The old value is released after the
 * new one is stored. */
int pm_function_set_defaults(pm_heap *h, pm_object *func, pm_object *v);
int pm_function_set_kwdefaults(pm_heap *h, pm_object *func, pm_object *v);
int pm_function_set_closure(pm_heap *h, pm_object *func, pm_object *v);
int pm_function_set_annotations(pm_heap *h, pm_object *func, pm_object *v);
int pm_function_set_doc(pm_heap *h, pm_object *func, pm_object *v);
/* func.__dict__: created (an empty dict) on first use; new reference. */
pm_object *pm_function_get_dict(pm_heap *h, pm_object *func);
/* function.__get__(obj, type): the function itself when obj is NULL or
 * None, else a bound method (PyMethod_New(func, obj)). New reference. */
pm_object *pm_function_descr_get(pm_heap *h, pm_object *func, pm_object *obj, pm_type *type);

/* Appends "<PREFIX" + name + " at 0x...>" (func_repr, gen_repr). */
int _pm_repr_named_at(pm_heap *h, pm_strbuf *sb, const char *prefix, pm_object *name, pm_object *o);
/* Appends func.__qualname__ (a function) or "?" (anything else). */
int _pm_function_write_qualname(pm_heap *h, pm_object *func, pm_strbuf *sb);

#endif /* PM_FUNCOBJECT_H */
