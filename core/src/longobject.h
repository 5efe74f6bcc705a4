/* longobject.h — the int and bool types: layout and public API.
 *
 * Model of CPython 3.12's PyLongObject (Include/cpython/longintrepr.h,
 * Include/internal/pycore_long.h) and PyBool_Type (Objects/boolobject.c).
 *
 * Layout (64-bit model bytes; the host struct below is no larger):
 *
 *     0   ob_refcnt   8
 *     8   ob_type     8
 *     16  lv_tag      8   bits 0-1: sign (0 positive, 1 zero, 2 negative)
 *                         bit 2:    reserved (always 0 in 3.12)
 *                         bits >=3: number of digits in use (ndigits)
 *     24  ob_digit    4 * max(1, allocated digits), least significant first,
 *                         30 bits each (PM_LONG_SHIFT)
 *
 * A block always holds at least one digit: zero still owns ob_digit[0].
 * Normalised values have a nonzero top digit; zero has ndigits == 0 and
 * the zero sign. The allocation may be larger than the digits in use: the
 * arithmetic routines allocate their worst case and then normalise without
 * shrinking the block (x_add: max(size_a, size_b) + 1 digits), exactly as
 * CPython does, so tracemalloc-visible sizes match while __sizeof__ reports
 * 24 + 4*max(1, ndigits).
 *
 * "Compact" ints (ndigits <= 1, i.e. |v| < 2**30) take CPython's fast
 * paths; the results of those paths are made by _PyLong_FromSTwoDigits:
 * a cached small int for -5..256, a 32-byte "medium" object
 * (sizeof(PyLongObject)) for one-digit values, or a multi-digit object.
 *
 * Conventions: every function taking objects takes the heap first.
 * Functions returning pm_object * return a NEW reference, or NULL with an
 * exception set (pm_err_occurred). Arguments are borrowed. Binary
 * operations accept int and bool operands; when either operand is a float
 * the float implementation is used (as Python's operator dispatch ends up
 * doing); any other operand raises TypeError "unsupported operand type(s)".
 */
#ifndef PM_LONGOBJECT_H
#define PM_LONGOBJECT_H

#include "object.h"

/* ---- Digits (PYLONG_BITS_IN_DIGIT == 30) ---------------------------------- */
typedef uint32_t pm_digit;
typedef int32_t pm_sdigit;
typedef uint64_t pm_twodigits;
typedef int64_t pm_stwodigits;

#define PM_LONG_SHIFT 30
#define PM_LONG_BASE  ((pm_digit)1 << PM_LONG_SHIFT)
#define PM_LONG_MASK  ((pm_digit)(PM_LONG_BASE - 1))

/* Model sizes (64-bit CPython 3.12). */
#define PM_LONG_BASICSIZE   24    /* offsetof(PyLongObject, long_value.ob_digit) == int.__basicsize__ */
#define PM_LONG_ITEMSIZE    4     /* sizeof(digit) == int.__itemsize__ */
#define PM_LONG_MEDIUM_SIZE 32    /* sizeof(PyLongObject): what _PyLong_FromMedium requests */

/* lv_tag fields (pycore_long.h) */
#define PM_LONG_SIGN_MASK     3u
#define PM_LONG_SIGN_ZERO     1u
#define PM_LONG_SIGN_NEGATIVE 2u
#define PM_LONG_NON_SIZE_BITS 3

typedef struct pm_long {
    pm_object ob_base;
    uint64_t lv_tag;            /* sign and digit count, see above */
    pm_digit ob_digit[];        /* model: 4 bytes each, at least one allocated */
} pm_long;

static inline int64_t pm_long_digit_count(const pm_object *o) {
    return (int64_t)(((const pm_long *)o)->lv_tag >> PM_LONG_NON_SIZE_BITS);
}
static inline int pm_long_is_negative(const pm_object *o) {
    return (((const pm_long *)o)->lv_tag & PM_LONG_SIGN_MASK) == PM_LONG_SIGN_NEGATIVE;
}
static inline int pm_long_is_zero(const pm_object *o) {
    return (((const pm_long *)o)->lv_tag & PM_LONG_SIGN_MASK) == PM_LONG_SIGN_ZERO;
}
/* -1, 0 or 1 */
static inline int pm_long_sign(const pm_object *o) {
    return 1 - (int)(((const pm_long *)o)->lv_tag & PM_LONG_SIGN_MASK);
}
/* |v| < 2**30: the value fits in one digit (_PyLong_IsCompact). */
static inline int pm_long_is_compact(const pm_object *o) {
    return ((const pm_long *)o)->lv_tag < (2u << PM_LONG_NON_SIZE_BITS);
}

/* Rich comparison operators (CPython's Py_LT .. Py_GE values). */
enum { PM_CMP_LT = 0, PM_CMP_LE = 1, PM_CMP_EQ = 2, PM_CMP_NE = 3, PM_CMP_GT = 4, PM_CMP_GE = 5 };

/* ---- Type checks -------------------------------------------------------------- */
int pm_long_check(pm_heap *h, const pm_object *o);        /* int, bool or a subclass of int */
int pm_long_check_exact(pm_heap *h, const pm_object *o);  /* exactly int */
int pm_bool_check(pm_heap *h, const pm_object *o);

/* ---- Constructors (new references) ------------------------------------------- */
pm_object *pm_long_from_int64(pm_heap *h, int64_t v);     /* PyLong_FromLongLong */
pm_object *pm_long_from_uint64(pm_heap *h, uint64_t v);   /* PyLong_FromUnsignedLongLong */
/* int(d): truncates toward zero. OverflowError for infinities ("cannot
 * convert float infinity to integer"), ValueError for NaN. */
pm_object *pm_long_from_double(pm_heap *h, double d);
/* int(s, base) for the n bytes at s (ASCII; embedded NULs are invalid).
 * base 0 follows Python literal rules (0x / 0o / 0b prefixes, no leading
 * zeros on nonzero decimals); 2..36 otherwise. Surrounding whitespace, one
 * sign and single underscores between digits are accepted. ValueError
 * "invalid literal for int() with base N: '...'" on bad input,
 * "int() base must be >= 2 and <= 36, or 0", and the 3.12 limit of 4300
 * decimal digits for non-power-of-two bases. */
pm_object *pm_long_from_string(pm_heap *h, const char *s, size_t n, int base);
/* The static small int v (-5 <= v <= 256), borrowed; NULL if out of range. */
pm_object *pm_long_small(pm_heap *h, int v);
/* True or False (new reference to an immortal). */
pm_object *pm_bool_from_long(pm_heap *h, long v);

/* ---- Conversions --------------------------------------------------------------- */
/* -1 with OverflowError "Python int too large to convert to C long". */
int64_t pm_long_as_int64(pm_heap *h, pm_object *o);
/* -1 with OverflowError "Python int too large to convert to C ssize_t". */
int64_t pm_long_as_ssize_t(pm_heap *h, pm_object *o);
/* float(o), correctly rounded; -1.0 with OverflowError "int too large to
 * convert to float". */
double pm_long_as_double(pm_heap *h, pm_object *o);
/* Appends str(o) / repr(o) (decimal) to sb; 0, or -1 with an exception
 * (ValueError above 4300 digits, MemoryError). bool appends True/False. */
int pm_long_to_decimal(pm_heap *h, pm_object *o, pm_strbuf *sb);
/* For the str type: the same conversion, but the base-10**9 scratch int
 * CPython converts in is handed back in *scratch (a new reference, or NULL
 * on failure) so that the caller can build its str object before releasing
 * it, in CPython's allocation order. */
int _pm_long_to_decimal_scratch(pm_heap *h, pm_object *o, pm_strbuf *sb, pm_object **scratch);
/* Appends bin/oct/hex(o): base 2, 8 or 16, with the 0b/0o/0x prefix. */
int pm_long_format(pm_heap *h, pm_object *o, int base, pm_strbuf *sb);
/* Number of bits of |o| (int.bit_length()). */
uint64_t pm_long_bit_length(pm_heap *h, pm_object *o);

/* ---- Arithmetic (new references; see the operand rule above) -------------------- */
pm_object *pm_long_add(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_long_sub(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_long_mul(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_long_floordiv(pm_heap *h, pm_object *a, pm_object *b);   /* // : floor */
pm_object *pm_long_mod(pm_heap *h, pm_object *a, pm_object *b);        /* %  : sign of b */
/* divmod(a, b): both results as new references in *pdiv and *pmod; 0 or -1. */
int pm_long_divmod(pm_heap *h, pm_object *a, pm_object *b, pm_object **pdiv, pm_object **pmod);
pm_object *pm_long_truediv(pm_heap *h, pm_object *a, pm_object *b);    /* /  : a float */
/* a ** b; a negative exponent gives a float (float_pow). */
pm_object *pm_long_pow(pm_heap *h, pm_object *a, pm_object *b);
/* pow(a, b, m); m NULL or None is pow(a, b). ValueError "pow() 3rd
 * argument cannot be 0", "base is not invertible for the given modulus"
 * (negative b); TypeError for float arguments. */
pm_object *pm_long_pow3(pm_heap *h, pm_object *a, pm_object *b, pm_object *m);
pm_object *pm_long_neg(pm_heap *h, pm_object *a);
pm_object *pm_long_pos(pm_heap *h, pm_object *a);
pm_object *pm_long_abs(pm_heap *h, pm_object *a);
pm_object *pm_long_invert(pm_heap *h, pm_object *a);
pm_object *pm_long_and(pm_heap *h, pm_object *a, pm_object *b);   /* bool & bool is a bool */
pm_object *pm_long_or(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_long_xor(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_long_lshift(pm_heap *h, pm_object *a, pm_object *b); /* ValueError "negative shift count" */
pm_object *pm_long_rshift(pm_heap *h, pm_object *a, pm_object *b);

/* ---- Comparison, truth, hashing -------------------------------------------------- */
/* a <op> b for ints, bools and floats (exact int/float comparison, as
 * float_richcompare): 1 or 0; -1 with TypeError for other operands. */
int pm_long_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op);
/* Three-way comparison of two ints: -1, 0 or 1. */
int pm_long_compare(pm_heap *h, pm_object *a, pm_object *b);
int pm_long_eq(pm_heap *h, pm_object *a, pm_object *b);    /* richcompare(..., PM_CMP_EQ) */
int pm_long_bool(pm_heap *h, pm_object *a);                 /* a != 0 */
/* hash(a): CPython's (value mod 2**61-1, sign kept, -1 -> -2). */
int64_t pm_long_hash(pm_heap *h, pm_object *a);

#endif /* PM_LONGOBJECT_H */
