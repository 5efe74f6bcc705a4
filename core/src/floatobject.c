/* floatobject.c — float.
 *
 * Mirrors CPython 3.12 Objects/floatobject.c: PyFloat_FromDouble and
 * _PyFloat_ExactDealloc with the 100-entry free list, the arithmetic slots
 * with their special cases and exception messages (float_rem,
 * _float_div_mod, float_pow), float_richcompare's exact comparison against
 * ints of any size, _Py_HashDouble (Python/pyhash.c) and repr() in the
 * 'r' style of PyOS_double_to_string (Python/pystrtod.c). The helpers keep
 * CPython's names; the code is this project's own.
 *
 * repr: CPython uses David Gay's shortest round-trip digit generation. Here
 * the digits come from the C library's correctly rounded "%.*e"
 * (glibc natively, musl in wasm): for 1..17 significant digits take the
 * correctly rounded string, or its neighbour one unit away in the last
 * digit, as soon as one reads back (strtod) as the same double. That is the
 * shortest round-tripping string and, among those, the nearest to the
 * value — Gay's mode-0 result. Python's formatting rules are applied on top.
 *
 * Difference: a negative base raised to a non-integral power gives a
 * complex in CPython; the model has no complex and raises ValueError.
 */
#include "floatobject.h"
#include "tracemalloc.h"
#include "longobject.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

_Static_assert(sizeof(pm_float) <= PM_FLOAT_BASICSIZE, "pm_float must fit the 24-byte model object");

#define FLOAT_TYPE(h) (&(h)->os->types[PM_T_FLOAT])

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159

int pm_float_check(pm_heap *h, const pm_object *o) {
    for (const pm_type *t = PM_TYPE(o); t; t = t->tp_base)
        if (t == FLOAT_TYPE(h)) return 1;
    return 0;
}

/* ---- Allocation and the free list ------------------------------------------------------ */

/* PyFloat_FromDouble: pop the free list, else request 24 bytes. */
pm_object *pm_float_from_double(pm_heap *h, double fval) {
    pm_objstate *os = h->os;
    pm_float *op = (pm_float *)os->float_free;
    if (op) {
        os->float_free = (pm_object *)op->ob_base.ob_type;   /* next link */
        h->freelists.floats--;
        op->ob_base.ob_refcnt = 1;
        op->ob_base.ob_type = FLOAT_TYPE(h);
        pm_tracemalloc_new_reference(h, (pm_object *)op);
    }
    else {
        op = (pm_float *)pm_object_alloc_bytes(h, FLOAT_TYPE(h), PM_FLOAT_BASICSIZE, 0);
        if (!op) return NULL;
    }
    op->ob_fval = fval;
    return (pm_object *)op;
}

/* float_dealloc / _PyFloat_ExactDealloc: exact floats go to the free list
 * while it has fewer than 100 entries; the block stays allocated. */
static void float_dealloc(pm_heap *h, pm_object *op) {
    if (PM_TYPE(op) == FLOAT_TYPE(h)) {
        pm_objstate *os = h->os;
        if (h->freelists.floats >= PM_FLOAT_MAXFREELIST) {
            pm_object_free(h, op);
            return;
        }
        h->freelists.floats++;
        op->ob_type = (pm_type *)os->float_free;
        os->float_free = op;
        return;
    }
    pm_object_free(h, op);
}

/* _PyFloat_ClearFreeList */
void _pm_float_clear_freelist(pm_heap *h) {
    pm_objstate *os = h->os;
    pm_object *f = os->float_free;
    while (f) {
        pm_object *next = (pm_object *)f->ob_type;
        f->ob_type = FLOAT_TYPE(h);
        pm_object_free(h, f);
        f = next;
    }
    os->float_free = NULL;
    h->freelists.floats = 0;
}

/* ---- Conversion of operands (CONVERT_TO_DOUBLE) --------------------------------------------- */

/* 0: *x set; -1: exception (int too large); 1: not a number type */
static int convert_to_double(pm_heap *h, pm_object *o, double *x) {
    if (pm_float_check(h, o)) { *x = pm_float_value(o); return 0; }
    if (pm_long_check(h, o)) {
        *x = pm_long_as_double(h, o);
        return (*x == -1.0 && pm_err_occurred(h)) ? -1 : 0;
    }
    return 1;
}

double pm_float_as_double(pm_heap *h, pm_object *o) {
    double x;
    int r = convert_to_double(h, o, &x);
    if (r == 0) return x;
    if (r == 1) pm_err_set(h, PM_EXC_TypeError, "must be real number, not %s", PM_TYPE(o)->tp_name);
    return -1.0;
}

static pm_object *binop_type_error(pm_heap *h, const char *opname, pm_object *a, pm_object *b) {
    pm_err_set(h, PM_EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", opname,
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
    return NULL;
}

/* converts both operands, left first; 0 or -1 (exception set) */
static int convert_pair(pm_heap *h, const char *opname, pm_object *a, pm_object *b, double *x, double *y) {
    int ra = convert_to_double(h, a, x);
    if (ra < 0) return -1;
    int rb = ra ? 1 : convert_to_double(h, b, y);
    if (rb < 0) return -1;
    if (ra || rb) {
        binop_type_error(h, opname, a, b);
        return -1;
    }
    return 0;
}

/* ---- Arithmetic ------------------------------------------------------------------------------ */

pm_object *pm_float_add(pm_heap *h, pm_object *a, pm_object *b) {
    double x, y;
    if (convert_pair(h, "+", a, b, &x, &y) < 0) return NULL;
    return pm_float_from_double(h, x + y);
}

pm_object *pm_float_sub(pm_heap *h, pm_object *a, pm_object *b) {
    double x, y;
    if (convert_pair(h, "-", a, b, &x, &y) < 0) return NULL;
    return pm_float_from_double(h, x - y);
}

pm_object *pm_float_mul(pm_heap *h, pm_object *a, pm_object *b) {
    double x, y;
    if (convert_pair(h, "*", a, b, &x, &y) < 0) return NULL;
    return pm_float_from_double(h, x * y);
}

pm_object *pm_float_truediv(pm_heap *h, pm_object *a, pm_object *b) {
    double x, y;
    if (convert_pair(h, "/", a, b, &x, &y) < 0) return NULL;
    if (y == 0.0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return pm_float_from_double(h, x / y);
}

/* float_rem: the result has the sign of the divisor */
pm_object *pm_float_mod(pm_heap *h, pm_object *a, pm_object *b) {
    double vx, wx;
    if (convert_pair(h, "%", a, b, &vx, &wx) < 0) return NULL;
    if (wx == 0.0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "float modulo");
        return NULL;
    }
    double mod = fmod(vx, wx);
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) mod += wx;
    }
    else mod = copysign(0.0, wx);
    return pm_float_from_double(h, mod);
}

/* _float_div_mod: floor quotient snapped to an integral value, remainder
 * with the sign of the divisor */
static void _float_div_mod(double vx, double wx, double *floordiv, double *mod) {
    double div;
    *mod = fmod(vx, wx);
    div = (vx - *mod) / wx;
    if (*mod != 0.0) {
        if ((wx < 0) != (*mod < 0)) {
            *mod += wx;
            div -= 1.0;
        }
    }
    else *mod = copysign(0.0, wx);
    if (div != 0.0) {
        *floordiv = floor(div);
        if (div - *floordiv > 0.5) *floordiv += 1.0;
    }
    else *floordiv = copysign(0.0, vx / wx);
}

pm_object *pm_float_floordiv(pm_heap *h, pm_object *a, pm_object *b) {
    double vx, wx, floordiv, mod;
    if (convert_pair(h, "//", a, b, &vx, &wx) < 0) return NULL;
    if (wx == 0.0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "float floor division by zero");
        return NULL;
    }
    _float_div_mod(vx, wx, &floordiv, &mod);
    return pm_float_from_double(h, floordiv);
}

int pm_float_divmod(pm_heap *h, pm_object *a, pm_object *b, pm_object **pdiv, pm_object **pmod) {
    double vx, wx, floordiv, mod;
    *pdiv = *pmod = NULL;
    if (convert_pair(h, "divmod()", a, b, &vx, &wx) < 0) return -1;
    if (wx == 0.0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "float divmod()");
        return -1;
    }
    _float_div_mod(vx, wx, &floordiv, &mod);
    *pdiv = pm_float_from_double(h, floordiv);
    if (!*pdiv) return -1;
    *pmod = pm_float_from_double(h, mod);
    if (!*pmod) { PM_CLEAR(h, *pdiv); return -1; }
    return 0;
}

#define DOUBLE_IS_ODD_INTEGER(x) (fmod(fabs(x), 2.0) == 1.0)

/* float_pow */
pm_object *pm_float_pow(pm_heap *h, pm_object *v, pm_object *w) {
    double iv, iw, ix;
    int negate_result = 0;
    if (convert_pair(h, "** or pow()", v, w, &iv, &iw) < 0) return NULL;

    if (iw == 0) return pm_float_from_double(h, 1.0);          /* v**0 is 1, even 0**0 */
    if (isnan(iv)) return pm_float_from_double(h, iv);         /* nan**w = nan unless w == 0 */
    if (isnan(iw)) return pm_float_from_double(h, iv == 1.0 ? 1.0 : iw);   /* 1**nan = 1 */
    if (isinf(iw)) {
        /* v**inf: 0 if |v| < 1, 1 if |v| == 1, inf if |v| > 1; v**-inf the reverse */
        iv = fabs(iv);
        if (iv == 1.0) return pm_float_from_double(h, 1.0);
        if ((iw > 0.0) == (iv > 1.0)) return pm_float_from_double(h, fabs(iw));
        return pm_float_from_double(h, 0.0);
    }
    if (isinf(iv)) {
        /* (+-inf)**w: inf for w > 0, 0 for w < 0, signed when w is an odd integer */
        int iw_is_odd = DOUBLE_IS_ODD_INTEGER(iw);
        if (iw > 0.0) return pm_float_from_double(h, iw_is_odd ? iv : fabs(iv));
        return pm_float_from_double(h, iw_is_odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        int iw_is_odd = DOUBLE_IS_ODD_INTEGER(iw);
        if (iw < 0.0) {
            pm_err_set(h, PM_EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return NULL;
        }
        return pm_float_from_double(h, iw_is_odd ? iv : 0.0);
    }
    if (iv < 0.0) {
        if (iw != floor(iw)) {
            pm_err_set(h, PM_EXC_ValueError, "complex results are not supported");
            return NULL;
        }
        iv = -iv;
        negate_result = DOUBLE_IS_ODD_INTEGER(iw);
    }
    if (iv == 1.0) return pm_float_from_double(h, negate_result ? -1.0 : 1.0);

    /* finite, nonzero exponent, positive base other than 1: libm pow; an
     * infinite result is an overflow (ERANGE), an underflow is silent */
    ix = pow(iv, iw);
    if (negate_result) ix = -ix;
    if (isinf(ix)) {
        pm_err_set(h, PM_EXC_OverflowError, "(34, 'Numerical result out of range')");
        return NULL;
    }
    return pm_float_from_double(h, ix);
}

static pm_object *unary_type_error(pm_heap *h, const char *opname, pm_object *a) {
    pm_err_set(h, PM_EXC_TypeError, "bad operand type for %s: '%s'", opname, PM_TYPE(a)->tp_name);
    return NULL;
}

pm_object *pm_float_neg(pm_heap *h, pm_object *a) {
    if (!pm_float_check(h, a)) return pm_long_check(h, a) ? pm_long_neg(h, a) : unary_type_error(h, "unary -", a);
    return pm_float_from_double(h, -pm_float_value(a));
}

/* float_float: the object itself for an exact float */
pm_object *pm_float_pos(pm_heap *h, pm_object *a) {
    if (!pm_float_check(h, a)) return pm_long_check(h, a) ? pm_long_pos(h, a) : unary_type_error(h, "unary +", a);
    if (PM_TYPE(a) == FLOAT_TYPE(h)) return pm_newref(a);
    return pm_float_from_double(h, pm_float_value(a));
}

pm_object *pm_float_abs(pm_heap *h, pm_object *a) {
    if (!pm_float_check(h, a)) return pm_long_check(h, a) ? pm_long_abs(h, a) : unary_type_error(h, "abs()", a);
    return pm_float_from_double(h, fabs(pm_float_value(a)));
}

int pm_float_bool(pm_heap *h, pm_object *a) {
    (void)h;
    return pm_float_value(a) != 0.0;
}

/* DECREF_INPUTS_AND_REUSE_FLOAT of the 3.12 specialised instructions */
pm_object *pm_float_binop_reuse(pm_heap *h, int op, pm_object *left, pm_object *right) {
    double l = pm_float_value(left), r = pm_float_value(right), v;
    switch (op) {
    case '+': v = l + r; break;
    case '-': v = l - r; break;
    case '*': v = l * r; break;
    default:
        pm_decref(h, left);
        pm_decref(h, right);
        pm_err_set(h, PM_EXC_ValueError, "pm_float_binop_reuse: bad operator");
        return NULL;
    }
    if ((uint32_t)left->ob_refcnt == 1) {
        ((pm_float *)left)->ob_fval = v;
        pm_decref(h, right);
        return left;
    }
    if ((uint32_t)right->ob_refcnt == 1) {
        ((pm_float *)right)->ob_fval = v;
        pm_decref(h, left);
        return right;
    }
    pm_object *res = pm_float_from_double(h, v);
    pm_decref(h, left);
    pm_decref(h, right);
    return res;
}

/* ---- Comparison ----------------------------------------------------------------------------------- */

static const int swapped_op[] = {PM_CMP_GT, PM_CMP_GE, PM_CMP_EQ, PM_CMP_NE, PM_CMP_LT, PM_CMP_LE};

static int compare_doubles(double i, double j, int op) {
    switch (op) {
    case PM_CMP_EQ: return i == j;
    case PM_CMP_NE: return i != j;
    case PM_CMP_LE: return i <= j;
    case PM_CMP_GE: return i >= j;
    case PM_CMP_LT: return i < j;
    default:        return i > j;
    }
}

/* float_richcompare with v a float: 1/0, -1 on error, 2 "not implemented" */
static int float_richcompare(pm_heap *h, pm_object *v, pm_object *w, int op) {
    double i = pm_float_value(v), j;

    if (pm_float_check(h, w)) j = pm_float_value(w);
    else if (!isfinite(i)) {
        if (!pm_long_check(h, w)) return 2;
        j = 0.0;   /* an infinity or NaN compares with every int as with 0 */
    }
    else if (pm_long_check(h, w)) {
        int vsign = i == 0.0 ? 0 : i < 0.0 ? -1 : 1;
        int wsign = pm_long_sign(w);
        if (vsign != wsign) {
            /* signs alone decide */
            i = (double)vsign;
            j = (double)wsign;
            goto compare;
        }
        uint64_t nbits = pm_long_bit_length(h, w);
        if (nbits <= 48) {
            j = pm_long_as_double(h, w);   /* exact */
            goto compare;
        }
        /* same sign, nonzero, w has more than 48 bits: work with magnitudes */
        if (vsign < 0) {
            i = -i;
            op = swapped_op[op];
        }
        int exponent;
        (void)frexp(i, &exponent);
        if (exponent < 0 || (uint64_t)exponent < nbits) {
            i = 1.0;
            j = 2.0;
            goto compare;
        }
        if ((uint64_t)exponent > nbits) {
            i = 2.0;
            j = 1.0;
            goto compare;
        }
        /* same number of integer bits: compare as ints, folding a nonzero
         * fraction of v into an extra low bit */
        {
            double fracpart, intpart;
            pm_object *vv = NULL, *ww, *temp, *one = pm_long_small(h, 1);
            int r = -1;
            ww = wsign < 0 ? pm_long_neg(h, w) : pm_newref(w);
            if (!ww) return -1;
            fracpart = modf(i, &intpart);
            vv = pm_long_from_double(h, intpart);
            if (!vv) goto done;
            if (fracpart != 0.0) {
                temp = pm_long_lshift(h, ww, one);
                if (!temp) goto done;
                pm_decref(h, ww);
                ww = temp;
                temp = pm_long_lshift(h, vv, one);
                if (!temp) goto done;
                pm_decref(h, vv);
                vv = temp;
                temp = pm_long_or(h, vv, one);
                if (!temp) goto done;
                pm_decref(h, vv);
                vv = temp;
            }
            r = pm_long_richcompare(h, vv, ww, op);
        done:
            pm_xdecref(h, vv);
            pm_xdecref(h, ww);
            return r;
        }
    }
    else return 2;

compare:
    return compare_doubles(i, j, op);
}

static const char *const cmp_names[] = {"<", "<=", "==", "!=", ">", ">="};

int pm_float_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op) {
    if (op < PM_CMP_LT || op > PM_CMP_GE) {
        pm_err_set(h, PM_EXC_ValueError, "bad comparison operator %d", op);
        return -1;
    }
    int r = 2;
    if (pm_float_check(h, a)) r = float_richcompare(h, a, b, op);
    if (r == 2 && pm_float_check(h, b)) r = float_richcompare(h, b, a, swapped_op[op]);
    if (r != 2) return r;
    if (op == PM_CMP_EQ) return a == b;
    if (op == PM_CMP_NE) return a != b;
    pm_err_set(h, PM_EXC_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_names[op],
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
    return -1;
}

static int float_eq_slot(pm_heap *h, pm_object *a, pm_object *b) {
    int r = float_richcompare(h, a, b, PM_CMP_EQ);
    return r == 2 ? PM_NOTIMPL : r;
}

/* ---- Hashing -------------------------------------------------------------------------------------------- */

/* _Py_HashPointer: the address rotated right by 4 bits */
static int64_t hash_pointer(const void *p) {
    uint64_t y = (uint64_t)(uintptr_t)p;
    y = (y >> 4) | (y << 60);
    int64_t x = (int64_t)y;
    return x == -1 ? -2 : x;
}

/* _Py_HashDouble: the value modulo 2**61 - 1, so equal ints and floats
 * hash alike; 28 bits of mantissa at a time. */
static int64_t hash_double(const pm_object *inst, double v) {
    int e, sign;
    double m;
    uint64_t x, y;
    if (!isfinite(v)) {
        if (isinf(v)) return v > 0 ? HASH_INF : -HASH_INF;
        return hash_pointer(inst);
    }
    m = frexp(v, &e);
    sign = 1;
    if (m < 0) { sign = -1; m = -m; }
    x = 0;
    while (m != 0.0) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;   /* 2**28 */
        e -= 28;
        y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    /* multiply by 2**e modulo 2**61 - 1: a rotation by e mod 61 */
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (int64_t)x;
}

int64_t pm_float_hash(pm_heap *h, pm_object *a) {
    (void)h;
    return hash_double(a, pm_float_value(a));
}

static int64_t float_hash_slot(pm_heap *h, pm_object *o) { (void)h; return hash_double(o, pm_float_value(o)); }

/* ---- repr ------------------------------------------------------------------------------------------------ */

/* value == 0.D[0]D[1]..D[n-1] * 10**decpt */
typedef struct dstr {
    char d[24];
    int n;
    int decpt;
} dstr;

/* parses snprintf's "d.ddde[+-]XX" */
static void dstr_from_e(const char *buf, dstr *r) {
    const char *p = buf;
    r->n = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') r->d[r->n++] = *p;
    int esign = 1, e = 0;
    if (*p == 'e') p++;
    if (*p == '-') { esign = -1; p++; }
    else if (*p == '+') p++;
    for (; *p >= '0' && *p <= '9'; p++) e = e * 10 + (*p - '0');
    r->decpt = esign * e + 1;
}

static double dstr_value(const dstr *r) {
    char b[64];
    snprintf(b, sizeof b, "0.%.*se%d", r->n, r->d, r->decpt);
    return strtod(b, NULL);
}

/* the n-digit neighbour one unit in the last place up (dir > 0) or down */
static int dstr_neighbour(const dstr *r, int dir, dstr *out) {
    *out = *r;
    int i = out->n - 1;
    if (dir > 0) {
        while (i >= 0 && out->d[i] == '9') out->d[i--] = '0';
        if (i < 0) {            /* 99..9 -> 100..0, one decade up */
            out->d[0] = '1';
            out->decpt++;
        }
        else out->d[i]++;
    }
    else {
        while (i >= 0 && out->d[i] == '0') out->d[i--] = '9';
        if (i < 0) return 0;
        out->d[i]--;
        if (out->d[0] == '0') { /* 100..0 -> 99..9 in the decade below */
            memmove(out->d, out->d + 1, (size_t)out->n - 1);
            out->d[out->n - 1] = '9';
            out->decpt--;
        }
    }
    return 1;
}

/* shortest round-tripping decimal digits of a finite x > 0 */
static void shortest_digits(double x, dstr *r) {
    char buf[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        dstr_from_e(buf, r);
        if (dstr_value(r) == x) break;
        dstr alt;
        if (dstr_neighbour(r, 1, &alt) && dstr_value(&alt) == x) { *r = alt; break; }
        if (dstr_neighbour(r, -1, &alt) && dstr_value(&alt) == x) { *r = alt; break; }
    }
    while (r->n > 1 && r->d[r->n - 1] == '0') r->n--;
}

size_t pm_float_repr_double(double v, char *buf, size_t cap) {
    char out[64];
    size_t len = 0;
    if (isnan(v)) len = (size_t)snprintf(out, sizeof out, "nan");
    else if (isinf(v)) len = (size_t)snprintf(out, sizeof out, "%s", v < 0 ? "-inf" : "inf");
    else {
        if (signbit(v)) out[len++] = '-';
        double x = fabs(v);
        if (x == 0.0) {
            memcpy(out + len, "0.0", 3);
            len += 3;
        }
        else {
            dstr r;
            shortest_digits(x, &r);
            int decpt = r.decpt, n = r.n;
            if (decpt <= -4 || decpt > 16) {
                /* exponent form: d[.ddd]e+XX */
                out[len++] = r.d[0];
                if (n > 1) {
                    out[len++] = '.';
                    memcpy(out + len, r.d + 1, (size_t)n - 1);
                    len += (size_t)n - 1;
                }
                int e = decpt - 1;
                len += (size_t)snprintf(out + len, sizeof out - len, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
            }
            else if (decpt <= 0) {
                memcpy(out + len, "0.", 2);
                len += 2;
                for (int k = 0; k < -decpt; k++) out[len++] = '0';
                memcpy(out + len, r.d, (size_t)n);
                len += (size_t)n;
            }
            else if (decpt >= n) {
                memcpy(out + len, r.d, (size_t)n);
                len += (size_t)n;
                for (int k = n; k < decpt; k++) out[len++] = '0';
                memcpy(out + len, ".0", 2);
                len += 2;
            }
            else {
                memcpy(out + len, r.d, (size_t)decpt);
                len += (size_t)decpt;
                out[len++] = '.';
                memcpy(out + len, r.d + decpt, (size_t)(n - decpt));
                len += (size_t)(n - decpt);
            }
        }
    }
    if (cap) {
        size_t k = len < cap ? len : cap - 1;
        memcpy(buf, out, k);
        buf[k] = '\0';
    }
    return len;
}

int pm_float_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    char buf[64];
    size_t n = pm_float_repr_double(pm_float_value(o), buf, sizeof buf);
    _pm_strbuf_put(sb, buf, n);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* ---- float(str) ----------------------------------------------------------------------------------- */

static int py_isspace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int match_word(const char *p, const char *end, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(end - p) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != w[i]) return 0;
    }
    return 1;
}

/* Checks Python's float() grammar on [p, end) (sign already consumed is
 * not assumed): digits with single underscores between digits, optional
 * fraction and exponent. */
static int valid_decimal(const char *p, const char *end) {
    int ndig = 0;
    char prev = 0;
    const char *q = p;
    if (q < end && (*q == '+' || *q == '-')) q++;
    /* integer part */
    while (q < end && (is_digit((unsigned char)*q) || *q == '_')) {
        if (*q == '_' && (!is_digit((unsigned char)prev) || q + 1 >= end || !is_digit((unsigned char)q[1]))) return 0;
        if (*q != '_') ndig++;
        prev = *q++;
    }
    if (q < end && *q == '.') {
        prev = *q++;
        while (q < end && (is_digit((unsigned char)*q) || *q == '_')) {
            if (*q == '_' && (!is_digit((unsigned char)prev) || q + 1 >= end || !is_digit((unsigned char)q[1]))) return 0;
            if (*q != '_') ndig++;
            prev = *q++;
        }
    }
    if (!ndig) return 0;
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-')) q++;
        int edig = 0;
        prev = 0;
        while (q < end && (is_digit((unsigned char)*q) || *q == '_')) {
            if (*q == '_' && (!is_digit((unsigned char)prev) || q + 1 >= end || !is_digit((unsigned char)q[1]))) return 0;
            if (*q != '_') edig++;
            prev = *q++;
        }
        if (!edig) return 0;
    }
    return q == end;
}

pm_object *pm_float_from_string(pm_heap *h, const char *s, size_t n) {
    const char *p = s, *end = s + n;
    while (p < end && py_isspace((unsigned char)*p)) p++;
    while (end > p && py_isspace((unsigned char)end[-1])) end--;
    double v;
    const char *q = p;
    int neg = 0;
    if (q < end && (*q == '+' || *q == '-')) neg = *q++ == '-';
    if (match_word(q, end, "inf") || match_word(q, end, "infinity")) v = neg ? -INFINITY : INFINITY;
    else if (match_word(q, end, "nan")) v = neg ? -NAN : NAN;
    else if (p < end && valid_decimal(p, end)) {
        size_t len = (size_t)(end - p);
        int has_us = memchr(p, '_', len) != NULL;
        char small[128];
        char *buf = small;
        /* _Py_string_to_number_with_underscores copies into a PyMem block */
        char *dup = NULL;
        if (has_us) {
            dup = pm_malloc(h, PM_DOMAIN_MEM, len + 1);
            if (!dup) { pm_err_nomem(h); return NULL; }
            buf = dup;
        }
        else if (len + 1 > sizeof small) {
            buf = _pm_raw_malloc(h, len + 1);
            if (!buf) { pm_err_nomem(h); return NULL; }
        }
        size_t k = 0;
        for (size_t i = 0; i < len; i++)
            if (p[i] != '_') buf[k++] = p[i];
        buf[k] = '\0';
        v = strtod(buf, NULL);
        if (dup) pm_free(h, PM_DOMAIN_MEM, dup);
        else if (buf != small) _pm_raw_free(h, buf);
    }
    else {
        pm_strbuf sb;
        _pm_strbuf_init(&sb, h);
        /* repr of the argument (ASCII escapes, Python's quote choice) */
        int has_sq = memchr(s, '\'', n) != NULL, has_dq = memchr(s, '"', n) != NULL;
        char quote = (has_sq && !has_dq) ? '"' : '\'';
        _pm_strbuf_put(&sb, &quote, 1);
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            char esc[5];
            size_t m = 0;
            if (c == (unsigned char)quote || c == '\\') { esc[m++] = '\\'; esc[m++] = (char)c; }
            else if (c == '\t') { esc[m++] = '\\'; esc[m++] = 't'; }
            else if (c == '\n') { esc[m++] = '\\'; esc[m++] = 'n'; }
            else if (c == '\r') { esc[m++] = '\\'; esc[m++] = 'r'; }
            else if (c < 0x20 || c == 0x7f) {
                esc[m++] = '\\'; esc[m++] = 'x';
                esc[m++] = "0123456789abcdef"[c >> 4];
                esc[m++] = "0123456789abcdef"[c & 15];
            }
            else esc[m++] = (char)c;
            _pm_strbuf_put(&sb, esc, m);
        }
        _pm_strbuf_put(&sb, &quote, 1);
        if (sb.failed) pm_err_nomem(h);
        else pm_err_set(h, PM_EXC_ValueError, "could not convert string to float: %s", sb.buf);
        _pm_strbuf_free(&sb);
        return NULL;
    }
    return pm_float_from_double(h, v);
}

/* ---- Type set-up ------------------------------------------------------------------------------------- */

static int float_repr_slot(pm_heap *h, pm_object *o, pm_strbuf *sb) { return pm_float_repr(h, o, sb); }

pm_status _pm_float_init(pm_heap *h) {
    pm_objstate *os = h->os;
    pm_type *t = &os->types[PM_T_FLOAT];
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = &os->types[PM_T_TYPE];
    t->tp_name = "float";
    t->tp_basicsize = PM_FLOAT_BASICSIZE;
    t->tp_itemsize = 0;
    t->tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = PM_T_FLOAT;
    t->tp_base = &os->types[PM_T_OBJECT];
    t->tp_dealloc = float_dealloc;
    t->tp_hash = float_hash_slot;
    t->tp_eq = float_eq_slot;
    t->tp_repr = float_repr_slot;
    os->float_free = NULL;
    h->freelists.floats = 0;
    return PM_OK;
}
