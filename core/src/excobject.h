/* excobject.h — the built-in exception types of CPython 3.12 as core
 * objects (Objects/exceptions.c): BaseException's layout and the hierarchy
 * the interpreter raises and names.
 *
 * PyBaseExceptionObject (model 72 bytes behind a 16-byte GC head, so
 * sys.getsizeof(ValueError('x')) == 88): header 16, dict, args, notes,
 * traceback, context, cause, suppress_context. Some subclasses add fields
 * after it, as model 8-byte slots from offset 72 (basicsize recorded in
 * tests/fixtures/iters_exceptions.txt): SystemExit.code, StopIteration.value,
 * NameError.name, AttributeError.obj/.name, ImportError.msg/.name/.path/
 * .name_from, UnicodeDecode/EncodeError's encoding/object/start/end/reason.
 * No weakref list (tp_weaklistoffset 0); the instance dict is the `dict`
 * field (tp_dictoffset 16), made on the first attribute assignment.
 *
 * Classes derived in Python (class MyError(Exception)) are heap types on a
 * static exception base: typeobject.c's subtype slots chain to the base's
 * traverse/clear (PM_TPFLAGS_BASE_EXC_SUBCLASS marks the whole family).
 */
#ifndef PM_EXCOBJECT_H
#define PM_EXCOBJECT_H

#include "object.h"

/* The types, in this order from PM_T_EXC_FIRST (raw.js TYPE_IDS repeats it). */
#define PM_EXC_TYPES(X)                                                                             \
    X(BaseException, -1, 72) X(SystemExit, 0, 80) X(KeyboardInterrupt, 0, 72) X(GeneratorExit, 0, 72) \
    X(Exception, 0, 72) X(StopIteration, 4, 80) X(ArithmeticError, 4, 72) X(OverflowError, 6, 72)     \
    X(ZeroDivisionError, 6, 72) X(AssertionError, 4, 72) X(AttributeError, 4, 88) X(ImportError, 4, 104) \
    X(ModuleNotFoundError, 11, 104) X(LookupError, 4, 72) X(IndexError, 13, 72) X(KeyError, 13, 72)   \
    X(MemoryError, 4, 72) X(NameError, 4, 80) X(UnboundLocalError, 17, 80) X(ReferenceError, 4, 72)   \
    X(RuntimeError, 4, 72) X(NotImplementedError, 20, 72) X(RecursionError, 20, 72)                  \
    X(SystemError, 4, 72) X(TypeError, 4, 72) X(ValueError, 4, 72) X(UnicodeError, 25, 72)           \
    X(UnicodeDecodeError, 26, 112) X(UnicodeEncodeError, 26, 112)

enum {
#define PM_EXC_ENUM(name, base, size) PM_T_EXC_##name,
    PM_EXC_ENUM_BASE_ = PM_T_EXC_FIRST - 1,
    PM_EXC_TYPES(PM_EXC_ENUM)
#undef PM_EXC_ENUM
    PM_EXC_ENUM_END_
};
_Static_assert(PM_EXC_ENUM_END_ - 1 == PM_T_EXC_LAST, "object.h reserves one type id per exception type");

typedef struct pm_exc {
    pm_object ob_base;
    pm_object *dict;
    pm_object *args;            /* a tuple, never NULL once made */
    pm_object *notes;
    pm_object *traceback;
    pm_object *context;
    pm_object *cause;
    char suppress_context;
} pm_exc;                       /* model: 72 bytes; subclass fields follow at 72, 80, ... */
#define PM_EXC_BASICSIZE 72u

/* Fields for pm_exc_get / pm_exc_set. */
enum {
    PM_EXCF_DICT, PM_EXCF_ARGS, PM_EXCF_NOTES, PM_EXCF_TRACEBACK, PM_EXCF_CONTEXT, PM_EXCF_CAUSE,
    PM_EXCF_SUPPRESS_CONTEXT,
    PM_EXCF_EXTRA               /* + i: the i-th subclass field (StopIteration.value = PM_EXCF_EXTRA) */
};

/* Is o an exception instance (its type in the BaseException family)? */
int pm_exc_check(pm_heap *h, pm_object *o);
int pm_exc_type_check(pm_heap *h, pm_type *t);
/* BaseException_new + the type's __init__: an instance of exception type
 * `type` (static or derived in Python) with args = the tuple `args`
 * (borrowed; NULL: ()). New reference. */
pm_object *pm_exc_new(pm_heap *h, pm_type *type, pm_object *args);
/* A field (new reference; None for an unset one, or for suppress_context
 * False/True); field PM_EXCF_EXTRA + i beyond the type's fields: NULL +
 * AttributeError. */
pm_object *pm_exc_get(pm_heap *h, pm_object *e, int field);
/* Sets a field (value borrowed; NULL clears). args must be a tuple;
 * suppress_context takes the truth of a bool. 0 or -1. */
int pm_exc_set(pm_heap *h, pm_object *e, int field, pm_object *value);
/* The number of subclass fields of type t (0 for BaseException's layout). */
int pm_exc_nextra(pm_type *t);

pm_status _pm_exc_init(pm_heap *h);

#endif /* PM_EXCOBJECT_H */
