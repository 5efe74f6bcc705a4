/* floatobject.h — the float type: layout and public API.
 *
 * Model of CPython 3.12's PyFloatObject (Include/cpython/floatobject.h,
 * Objects/floatobject.c): 16-byte header + one double = 24 model bytes,
 * not a GC type. Exact floats are recycled through a per-heap free list of
 * at most PM_FLOAT_MAXFREELIST (100) objects, LIFO, linked through ob_type,
 * as 3.12's `state->free_list`: a float taken from it does not call the
 * allocator, a float put on it keeps its block. The list length is
 * h->freelists.floats (what _debugmallocstats prints as "free
 * PyFloatObject"). gc.collect(2) and heap teardown empty it through
 * _pm_float_clear_freelist.
 *
 * Conventions as in longobject.h: heap first, new references returned,
 * NULL/-1 with an exception set on failure. Binary operations accept float,
 * int and bool operands (ints are converted with PyLong_AsDouble, which
 * raises OverflowError "int too large to convert to float"); anything else
 * raises TypeError "unsupported operand type(s)".
 */
#ifndef PM_FLOATOBJECT_H
#define PM_FLOATOBJECT_H

#include "object.h"

#define PM_FLOAT_BASICSIZE 24     /* sizeof(PyFloatObject), 64-bit */

typedef struct pm_float {
    pm_object ob_base;
    double ob_fval;
} pm_float;

static inline double pm_float_value(const pm_object *o) { return ((const pm_float *)o)->ob_fval; }

int pm_float_check(pm_heap *h, const pm_object *o);

/* ---- Construction and conversion ---------------------------------------------- */
pm_object *pm_float_from_double(pm_heap *h, double v);          /* PyFloat_FromDouble */
/* float(s) for the n ASCII bytes at s: Python's float() syntax (decimal or
 * exponent notation, inf/infinity/nan with optional sign, surrounding
 * whitespace, single underscores between digits). ValueError "could not
 * convert string to float: '...'". */
pm_object *pm_float_from_string(pm_heap *h, const char *s, size_t n);
/* The value of a float, or float(int): -1.0 with an exception on failure. */
double pm_float_as_double(pm_heap *h, pm_object *o);
/* Appends repr(o) (== str(o)) to sb: the shortest string that round-trips,
 * in CPython's 'r' format ('0.1', '1e+16', '1e-05', 'inf', 'nan', '-0.0'). */
int pm_float_repr(pm_heap *h, pm_object *o, pm_strbuf *sb);
/* The same for a bare double into buf (at least 32 bytes); returns the length. */
size_t pm_float_repr_double(double v, char *buf, size_t cap);

/* ---- Arithmetic ------------------------------------------------------------------ */
pm_object *pm_float_add(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_float_sub(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_float_mul(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_float_truediv(pm_heap *h, pm_object *a, pm_object *b);   /* 'float division by zero' */
pm_object *pm_float_floordiv(pm_heap *h, pm_object *a, pm_object *b);  /* 'float floor division by zero' */
pm_object *pm_float_mod(pm_heap *h, pm_object *a, pm_object *b);       /* 'float modulo' */
int pm_float_divmod(pm_heap *h, pm_object *a, pm_object *b, pm_object **pdiv, pm_object **pmod); /* 'float divmod()' */
/* a ** b (float_pow). A negative base with a non-integral exponent would
 * give a complex in CPython; the model has no complex type and raises
 * ValueError "complex results are not supported" instead. */
pm_object *pm_float_pow(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_float_neg(pm_heap *h, pm_object *a);
pm_object *pm_float_pos(pm_heap *h, pm_object *a);      /* the same object for an exact float */
pm_object *pm_float_abs(pm_heap *h, pm_object *a);

/* The 3.12 specialised BINARY_OP_{ADD,SUBTRACT,MULTIPLY}_FLOAT
 * instructions (DECREF_INPUTS_AND_REUSE_FLOAT): both operands are exact
 * floats and both references are STOLEN; the result reuses `left` when its
 * refcount is 1, else `right` when its refcount is 1, else is a fresh
 * float. op is '+', '-' or '*'. */
pm_object *pm_float_binop_reuse(pm_heap *h, int op, pm_object *left, pm_object *right);

/* ---- Comparison, truth, hashing ----------------------------------------------------- */
/* a <op> b where a or b is a float and the other a float, int or bool
 * (float_richcompare: exact against ints of any size). 1/0, or -1 with
 * TypeError for other operands. op is PM_CMP_* (longobject.h). */
int pm_float_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op);
int pm_float_bool(pm_heap *h, pm_object *a);
/* hash(a): _Py_HashDouble; integral values hash like the equal int,
 * +-inf -> +-314159, NaN -> the object's address rotated (3.12). */
int64_t pm_float_hash(pm_heap *h, pm_object *a);

#endif /* PM_FLOATOBJECT_H */
