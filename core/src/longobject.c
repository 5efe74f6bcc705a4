/* longobject.c — int and bool.
 *
 * Mirrors CPython 3.12 Objects/longobject.c (30-bit digits, the lv_tag
 * layout, the small-int cache, _PyLong_New / _PyLong_FromMedium /
 * _PyLong_FromLarge, the compact fast paths, x_add / x_sub, school and
 * Karatsuba multiplication, Knuth division, left-to-right and windowed
 * exponentiation, two's-complement bitwise operations, shifts, correctly
 * rounded true division and int->float conversion, hashing modulo 2**61-1,
 * string parsing and decimal formatting with the 4300-digit limit) and
 * Objects/boolobject.c. The helpers keep CPython's names so the two can be
 * read side by side; the code is this project's own.
 *
 * What matters for the model is *which blocks are requested, of what size,
 * in what order*: every routine allocates what CPython's routine allocates
 * (temporaries included) through pm_object_alloc_bytes with 64-bit byte
 * counts, and frees in the same order, so pool usage, addresses,
 * tracemalloc sizes and getsizeof agree with 3.12.
 *
 * Deliberate differences:
 *   - the _pylong.py paths of 3.12 (decimal strings over 6000 digits,
 *     int->str over 1000 30-bit digits, division with a divisor over 300
 *     digits and a quotient over 150 digits) are replaced by the classic
 *     algorithms; the first two are unreachable at the default
 *     sys.int_max_str_digits (4300), the third gives the same values with
 *     different temporaries;
 *   - sys.set_int_max_str_digits is not modelled: the limit is the default
 *     4300;
 *   - strings are bytes (ASCII digits only; CPython also accepts other
 *     Unicode decimal digits).
 */
#include "longobject.h"
#include "floatobject.h"

#include <float.h>
#include <math.h>

_Static_assert(sizeof(pm_long) <= PM_LONG_BASICSIZE, "pm_long header must fit the 24-byte model header");
_Static_assert(offsetof(pm_long, ob_digit) <= PM_LONG_BASICSIZE, "digits must start within the model header");
_Static_assert(sizeof(pm_long) + sizeof(pm_digit) <= PM_LONG_MEDIUM_SIZE, "a medium int must fit 32 bytes");
_Static_assert(sizeof(pm_digit) == PM_LONG_ITEMSIZE, "digits are 32-bit words");

#define PyLong_SHIFT PM_LONG_SHIFT
#define PyLong_BASE  PM_LONG_BASE
#define PyLong_MASK  PM_LONG_MASK

typedef pm_digit digit;
typedef pm_sdigit sdigit;
typedef pm_twodigits twodigits;
typedef pm_stwodigits stwodigits;

#define SIGN_MASK     PM_LONG_SIGN_MASK
#define SIGN_ZERO     PM_LONG_SIGN_ZERO
#define SIGN_NEGATIVE PM_LONG_SIGN_NEGATIVE
#define NON_SIZE_BITS PM_LONG_NON_SIZE_BITS

#define NSMALLNEGINTS PM_NSMALLNEGINTS
#define NSMALLPOSINTS PM_NSMALLPOSINTS
#define IS_SMALL_INT(ival) (-NSMALLNEGINTS <= (ival) && (ival) < NSMALLPOSINTS)

/* Largest digit count 64-bit CPython accepts (MAX_LONG_DIGITS). */
#define MAX_LONG_DIGITS ((INT64_MAX - PM_LONG_BASICSIZE) / PM_LONG_ITEMSIZE)

#define KARATSUBA_CUTOFF 70
#define KARATSUBA_SQUARE_CUTOFF (2 * KARATSUBA_CUTOFF)
#define EXP_WINDOW_SIZE 5
#define EXP_TABLE_LEN (1 << (EXP_WINDOW_SIZE - 1))
#define HUGE_EXP_CUTOFF 60

/* Decimal conversion: base 10**9 digits. */
#define DECIMAL_SHIFT 9
#define DECIMAL_BASE  ((digit)1000000000)

/* sys.int_info.str_digits_check_threshold and the default limit. */
#define MAX_STR_DIGITS_THRESHOLD 640
#define MAX_STR_DIGITS 4300

/* Hashing (pyhash.h, 64-bit). */
#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

#define ERR_FMT_TO_INT "Exceeds the limit (%d digits) for integer string conversion: value has %lld digits; use sys.set_int_max_str_digits() to increase the limit"
#define ERR_FMT_TO_STR "Exceeds the limit (%d digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"

/* ---- lv_tag accessors ---------------------------------------------------------------- */

static inline int64_t ndigits_of(const pm_long *v) { return (int64_t)(v->lv_tag >> NON_SIZE_BITS); }
static inline int is_negative(const pm_long *v) { return (v->lv_tag & SIGN_MASK) == SIGN_NEGATIVE; }
static inline int is_zero(const pm_long *v) { return (v->lv_tag & SIGN_MASK) == SIGN_ZERO; }
static inline int is_positive(const pm_long *v) { return (v->lv_tag & SIGN_MASK) == 0; }
static inline int is_compact(const pm_long *v) { return v->lv_tag < (2u << NON_SIZE_BITS); }
static inline int both_compact(const pm_long *a, const pm_long *b) {
    return (a->lv_tag | b->lv_tag) < (2u << NON_SIZE_BITS);
}
static inline int same_sign(const pm_long *a, const pm_long *b) {
    return (a->lv_tag & SIGN_MASK) == (b->lv_tag & SIGN_MASK);
}
static inline int sign_of(const pm_long *v) { return 1 - (int)(v->lv_tag & SIGN_MASK); }
/* signed digit count: ndigits with the sign of the value */
static inline int64_t signed_digit_count(const pm_long *v) { return sign_of(v) * ndigits_of(v); }
/* sign of a non-compact int (never zero) */
static inline int non_compact_sign(const pm_long *v) { return sign_of(v); }

static inline void set_sign_and_digit_count(pm_long *v, int sign, int64_t size) {
    v->lv_tag = ((uint64_t)size << NON_SIZE_BITS) | (uint64_t)(1 - sign);
}
static inline void set_digit_count(pm_long *v, int64_t size) {
    v->lv_tag = ((uint64_t)size << NON_SIZE_BITS) | (v->lv_tag & SIGN_MASK);
}
/* _PyLong_FlipSign: positive <-> negative, zero stays zero */
static inline void flip_sign(pm_long *v) {
    uint64_t s = 2 - (v->lv_tag & SIGN_MASK);
    v->lv_tag = (v->lv_tag & ~(uint64_t)SIGN_MASK) | s;
}
/* _PyLong_CompactValue */
static inline stwodigits medium_value(const pm_long *v) {
    return (stwodigits)sign_of(v) * (stwodigits)v->ob_digit[0];
}

static inline int bit_length_digit(digit x) {
    int n = 0;
    while (x) { n++; x >>= 1; }
    return n;
}

/* is_medium_int: |x| < 2**30 */
static inline int is_medium_int(stwodigits x) {
    twodigits x_plus_mask = (twodigits)x + PyLong_MASK;
    return x_plus_mask < (twodigits)PyLong_MASK + PyLong_BASE;
}

static int64_t long_compare(const pm_long *a, const pm_long *b);

#define INT_TYPE(h)  (&(h)->os->types[PM_T_INT])
#define BOOL_TYPE(h) (&(h)->os->types[PM_T_BOOL])

/* ---- Type checks --------------------------------------------------------------------- */

int pm_long_check(pm_heap *h, const pm_object *o) {
    for (const pm_type *t = PM_TYPE(o); t; t = t->tp_base)
        if (t == INT_TYPE(h)) return 1;
    return 0;
}
int pm_long_check_exact(pm_heap *h, const pm_object *o) { return PM_TYPE(o) == INT_TYPE(h); }
int pm_bool_check(pm_heap *h, const pm_object *o) { return PM_TYPE(o) == BOOL_TYPE(h); }

/* ---- Allocation ------------------------------------------------------------------------ */

/* _PyLong_New: room for max(1, size) digits, requested as exactly
 * 24 + 4*max(1, size) bytes; sign positive when size > 0, else zero. */
static pm_long *long_new(pm_heap *h, int64_t size) {
    if (size > MAX_LONG_DIGITS) {
        pm_err_set(h, PM_EXC_OverflowError, "too many digits in integer");
        return NULL;
    }
    uint64_t nd = size ? (uint64_t)size : 1;
    if (nd > (SIZE_MAX - PM_LONG_BASICSIZE - 4096) / PM_LONG_ITEMSIZE) {
        /* fits the 64-bit model but not this host's address space */
        pm_err_set(h, PM_EXC_MemoryError, "int of %llu digits does not fit this heap", (unsigned long long)nd);
        return NULL;
    }
    pm_long *v = (pm_long *)pm_object_alloc_bytes(h, INT_TYPE(h), PM_LONG_BASICSIZE + (size_t)nd * PM_LONG_ITEMSIZE, 0);
    if (!v) return NULL;
    set_sign_and_digit_count(v, size != 0, size);
    if (!size) v->ob_digit[0] = 0;
    return v;
}

static pm_long *get_small_int(pm_heap *h, sdigit ival) {
    pm_object *o = h->os->small_ints[NSMALLNEGINTS + ival];
    pm_incref(o);   /* immortal: no change, as in 3.12 */
    return (pm_long *)o;
}

/* maybe_small_long: trade a fresh object holding a small value for the
 * cached one (the fresh block is freed). */
static pm_long *maybe_small_long(pm_heap *h, pm_long *v) {
    if (v && is_compact(v)) {
        stwodigits ival = medium_value(v);
        if (IS_SMALL_INT(ival)) {
            pm_decref(h, (pm_object *)v);
            return get_small_int(h, (sdigit)ival);
        }
    }
    return v;
}

/* long_normalize: drop leading zero digits; the block is not shrunk. */
static pm_long *long_normalize(pm_long *v) {
    int64_t j = ndigits_of(v), i = j;
    while (i > 0 && v->ob_digit[i - 1] == 0) --i;
    if (i != j) {
        if (i == 0) set_sign_and_digit_count(v, 0, 0);
        else set_digit_count(v, i);
    }
    return v;
}

/* _PyLong_FromMedium: one-digit values get a sizeof(PyLongObject) block. */
static pm_long *long_from_medium(pm_heap *h, sdigit x) {
    pm_long *v = (pm_long *)pm_object_alloc_bytes(h, INT_TYPE(h), PM_LONG_MEDIUM_SIZE, 0);
    if (!v) return NULL;
    digit abs_x = x < 0 ? (digit)(-x) : (digit)x;
    set_sign_and_digit_count(v, x < 0 ? -1 : 1, 1);
    v->ob_digit[0] = abs_x;
    return v;
}

/* _PyLong_FromLarge: at least two digits. */
static pm_long *long_from_large(pm_heap *h, stwodigits ival) {
    twodigits abs_ival;
    int sign;
    if (ival < 0) { abs_ival = 0U - (twodigits)ival; sign = -1; }
    else { abs_ival = (twodigits)ival; sign = 1; }
    twodigits t = abs_ival >> (PyLong_SHIFT * 2);
    int64_t ndigits = 2;
    while (t) { ++ndigits; t >>= PyLong_SHIFT; }
    pm_long *v = long_new(h, ndigits);
    if (v) {
        digit *p = v->ob_digit;
        set_sign_and_digit_count(v, sign, ndigits);
        t = abs_ival;
        while (t) { *p++ = (digit)(t & PyLong_MASK); t >>= PyLong_SHIFT; }
    }
    return v;
}

/* _PyLong_FromSTwoDigits: the result maker of every compact fast path. */
static pm_long *long_from_stwodigits(pm_heap *h, stwodigits x) {
    if (IS_SMALL_INT(x)) return get_small_int(h, (sdigit)x);
    if (is_medium_int(x)) return long_from_medium(h, (sdigit)x);
    return long_from_large(h, x);
}

/* PyLong_FromLong / PyLong_FromLongLong */
static pm_long *long_from_long(pm_heap *h, int64_t ival) {
    if (IS_SMALL_INT(ival)) return get_small_int(h, (sdigit)ival);
    if (-(int64_t)PyLong_MASK <= ival && ival <= (int64_t)PyLong_MASK) return long_from_medium(h, (sdigit)ival);
    uint64_t abs_ival = ival < 0 ? 0U - (uint64_t)ival : (uint64_t)ival;
    uint64_t t = abs_ival >> PyLong_SHIFT >> PyLong_SHIFT;
    int64_t ndigits = 2;
    while (t) { ++ndigits; t >>= PyLong_SHIFT; }
    pm_long *v = long_new(h, ndigits);
    if (v) {
        digit *p = v->ob_digit;
        set_sign_and_digit_count(v, ival < 0 ? -1 : 1, ndigits);
        t = abs_ival;
        while (t) { *p++ = (digit)(t & PyLong_MASK); t >>= PyLong_SHIFT; }
    }
    return v;
}

/* PyLong_FromUnsignedLongLong (PYLONG_FROM_UINT): no medium path, so a
 * one-digit value gets a 28-byte block. */
static pm_long *long_from_ulong(pm_heap *h, uint64_t ival) {
    if (ival < NSMALLPOSINTS) return get_small_int(h, (sdigit)ival);
    int64_t ndigits = 0;
    for (uint64_t t = ival; t; t >>= PyLong_SHIFT) ++ndigits;
    pm_long *v = long_new(h, ndigits);
    if (!v) return NULL;
    digit *p = v->ob_digit;
    while (ival) { *p++ = (digit)(ival & PyLong_MASK); ival >>= PyLong_SHIFT; }
    return v;
}

/* _PyLong_Copy */
static pm_long *long_copy(pm_heap *h, pm_long *src) {
    if (is_compact(src)) {
        stwodigits ival = medium_value(src);
        if (IS_SMALL_INT(ival)) return get_small_int(h, (sdigit)ival);
    }
    int64_t size = ndigits_of(src);
    if (size == 0) return get_small_int(h, 0);
    pm_long *r = long_new(h, size);
    if (!r) return NULL;
    set_sign_and_digit_count(r, is_negative(src) ? -1 : 1, size);
    memcpy(r->ob_digit, src->ob_digit, (size_t)size * sizeof(digit));
    return r;
}

/* long_long (int.__pos__): the object itself for an exact int. */
static pm_long *long_long(pm_heap *h, pm_long *v) {
    if (PM_TYPE(v) == INT_TYPE(h)) {
        pm_incref((pm_object *)v);
        return v;
    }
    return long_copy(h, v);
}

/* _PyLong_Negate: in place when we own the only reference. */
static void long_negate(pm_heap *h, pm_long **x_p) {
    pm_long *x = *x_p;
    if ((uint32_t)x->ob_base.ob_refcnt == 1) {
        flip_sign(x);
        return;
    }
    *x_p = long_from_stwodigits(h, -medium_value(x));
    pm_decref(h, (pm_object *)x);
}

static void long_dealloc(pm_heap *h, pm_object *o) {
    pm_object_free(h, o);
}

/* ---- Public constructors ------------------------------------------------------------------ */

pm_object *pm_long_from_int64(pm_heap *h, int64_t v) { return (pm_object *)long_from_long(h, v); }
pm_object *pm_long_from_uint64(pm_heap *h, uint64_t v) { return (pm_object *)long_from_ulong(h, v); }

pm_object *pm_long_small(pm_heap *h, int v) {
    return IS_SMALL_INT(v) ? h->os->small_ints[NSMALLNEGINTS + v] : NULL;
}

pm_object *pm_bool_from_long(pm_heap *h, long v) {
    return pm_newref(v ? h->os->true_ : h->os->false_);
}

/* PyLong_FromDouble */
static pm_long *long_from_double(pm_heap *h, double dval) {
    const double int_max = 9223372036854775808.0;   /* LONG_MAX + 1 (64-bit long) */
    if (-int_max < dval && dval < int_max) return long_from_long(h, (int64_t)dval);
    if (isinf(dval)) {
        pm_err_set(h, PM_EXC_OverflowError, "cannot convert float infinity to integer");
        return NULL;
    }
    if (isnan(dval)) {
        pm_err_set(h, PM_EXC_ValueError, "cannot convert float NaN to integer");
        return NULL;
    }
    int neg = 0, expo;
    if (dval < 0.0) { neg = 1; dval = -dval; }
    double frac = frexp(dval, &expo);     /* dval = frac * 2**expo, 0.5 <= frac < 1 */
    int64_t ndig = (expo - 1) / PyLong_SHIFT + 1;
    pm_long *v = long_new(h, ndig);
    if (!v) return NULL;
    frac = ldexp(frac, (expo - 1) % PyLong_SHIFT + 1);
    for (int64_t i = ndig; --i >= 0;) {
        digit bits = (digit)frac;
        v->ob_digit[i] = bits;
        frac = frac - (double)bits;
        frac = ldexp(frac, PyLong_SHIFT);
    }
    if (neg) flip_sign(v);
    return v;
}

pm_object *pm_long_from_double(pm_heap *h, double d) { return (pm_object *)long_from_double(h, d); }

/* ---- Conversions to C and to float ---------------------------------------------------------- */

/* 1 and the value in *out, or 0 when |v| does not fit an int64 */
static int long_as_int64(const pm_long *v, int64_t *out) {
    if (is_compact(v)) { *out = medium_value(v); return 1; }
    uint64_t x = 0, prev;
    for (int64_t i = ndigits_of(v); --i >= 0;) {
        prev = x;
        x = (x << PyLong_SHIFT) | v->ob_digit[i];
        if ((x >> PyLong_SHIFT) != prev) return 0;
    }
    if (x <= (uint64_t)INT64_MAX) { *out = is_negative(v) ? -(int64_t)x : (int64_t)x; return 1; }
    if (is_negative(v) && x == (uint64_t)1 << 63) { *out = INT64_MIN; return 1; }
    return 0;
}

static int require_int(pm_heap *h, pm_object *o, const char *what) {
    if (pm_long_check(h, o)) return 1;
    pm_err_set(h, PM_EXC_TypeError, "%s: expected int, got '%s'", what, PM_TYPE(o)->tp_name);
    return 0;
}

int64_t pm_long_as_int64(pm_heap *h, pm_object *o) {
    if (!require_int(h, o, "pm_long_as_int64")) return -1;
    int64_t r;
    if (long_as_int64((pm_long *)o, &r)) return r;
    pm_err_set(h, PM_EXC_OverflowError, "Python int too large to convert to C long");
    return -1;
}

int64_t pm_long_as_ssize_t(pm_heap *h, pm_object *o) {
    if (!require_int(h, o, "pm_long_as_ssize_t")) return -1;
    int64_t r;
    if (long_as_int64((pm_long *)o, &r)) return r;
    pm_err_set(h, PM_EXC_OverflowError, "Python int too large to convert to C ssize_t");
    return -1;
}

uint64_t pm_long_bit_length(pm_heap *h, pm_object *o) {
    (void)h;
    const pm_long *v = (const pm_long *)o;
    int64_t n = ndigits_of(v);
    if (n == 0) return 0;
    return (uint64_t)(n - 1) * PyLong_SHIFT + (uint64_t)bit_length_digit(v->ob_digit[n - 1]);
}

/* _PyLong_Frexp: |a| = x * 2**e with 0.5 <= x < 1, x correctly rounded
 * (half to even) to 53 bits; returns x with the sign of a. 0 -> 0.0, e = 0. */
static double long_frexp(const pm_long *a, int64_t *e) {
    int64_t a_size = ndigits_of(a);
    if (a_size == 0) { *e = 0; return 0.0; }
    int64_t a_bits = (a_size - 1) * PyLong_SHIFT + bit_length_digit(a->ob_digit[a_size - 1]);
    /* Collect the top 55 bits (DBL_MANT_DIG + 2) of |a| in m, plus a sticky
     * bit for anything below them, then round half to even to 53 bits. */
    const int keep = DBL_MANT_DIG + 2;
    uint64_t m = 0;
    int sticky = 0;
    int64_t low = a_bits - keep;              /* bit index of m's lowest bit (may be < 0) */
    for (int64_t i = a_size - 1; i >= 0; i--) {
        int64_t base_bit = i * PyLong_SHIFT;   /* index of this digit's bit 0 */
        digit d = a->ob_digit[i];
        if (base_bit + PyLong_SHIFT <= low) {   /* entirely below the kept bits */
            if (d) sticky = 1;
            continue;
        }
        for (int b = PyLong_SHIFT - 1; b >= 0; b--) {
            int64_t bit = base_bit + b;
            if (bit >= a_bits) continue;
            int v = (int)((d >> b) & 1);
            if (bit >= low) m = (m << 1) | (uint64_t)v;
            else if (v) sticky = 1;
        }
    }
    if (low < 0) m <<= -low;                  /* fewer than 55 bits: exact */
    m |= (uint64_t)sticky;
    /* m has exactly 55 significant bits; drop 2 with half-even rounding */
    uint64_t q = m >> 2, rem = m & 3;
    if (rem > 2 || (rem == 2 && (q & 1))) q++;
    double dx = ldexp((double)q, -DBL_MANT_DIG);   /* in [0.5, 1] */
    if (dx == 1.0) { dx = 0.5; a_bits += 1; }
    *e = a_bits;
    return is_negative(a) ? -dx : dx;
}

/* PyLong_AsDouble */
static int long_as_double(pm_heap *h, const pm_long *v, double *out) {
    if (is_compact(v)) { *out = (double)medium_value(v); return 0; }
    int64_t exponent;
    double x = long_frexp(v, &exponent);
    if (exponent > DBL_MAX_EXP) {
        pm_err_set(h, PM_EXC_OverflowError, "int too large to convert to float");
        *out = -1.0;
        return -1;
    }
    *out = ldexp(x, (int)exponent);
    return 0;
}

double pm_long_as_double(pm_heap *h, pm_object *o) {
    if (!require_int(h, o, "pm_long_as_double")) return -1.0;
    double d;
    return long_as_double(h, (const pm_long *)o, &d) < 0 ? -1.0 : d;
}

/* ---- Digit-vector primitives ------------------------------------------------------------- */

/* x[0:m] += y[0:n] (m >= n); returns the carry out of x[m-1]. */
static digit v_iadd(digit *x, int64_t m, const digit *y, int64_t n) {
    int64_t i;
    digit carry = 0;
    for (i = 0; i < n; ++i) {
        carry += x[i] + y[i];
        x[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    for (; carry && i < m; ++i) {
        carry += x[i];
        x[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    return carry;
}

/* x[0:m] -= y[0:n] (m >= n); returns the borrow out of x[m-1]. */
static digit v_isub(digit *x, int64_t m, const digit *y, int64_t n) {
    int64_t i;
    digit borrow = 0;
    for (i = 0; i < n; ++i) {
        borrow = x[i] - y[i] - borrow;
        x[i] = borrow & PyLong_MASK;
        borrow >>= PyLong_SHIFT;
        borrow &= 1;
    }
    for (; borrow && i < m; ++i) {
        borrow = x[i] - borrow;
        x[i] = borrow & PyLong_MASK;
        borrow >>= PyLong_SHIFT;
        borrow &= 1;
    }
    return borrow;
}

/* z[0:m] = a[0:m] << d (0 <= d < 30); returns the bits shifted out the top. */
static digit v_lshift(digit *z, const digit *a, int64_t m, int d) {
    digit carry = 0;
    for (int64_t i = 0; i < m; i++) {
        twodigits acc = ((twodigits)a[i] << d) | carry;
        z[i] = (digit)acc & PyLong_MASK;
        carry = (digit)(acc >> PyLong_SHIFT);
    }
    return carry;
}

/* z[0:m] = a[0:m] >> d (0 <= d < 30); returns the bits shifted out the bottom. */
static digit v_rshift(digit *z, const digit *a, int64_t m, int d) {
    digit carry = 0;
    digit mask = ((digit)1 << d) - 1U;
    for (int64_t i = m; i-- > 0;) {
        twodigits acc = ((twodigits)carry << PyLong_SHIFT) | a[i];
        carry = (digit)acc & mask;
        z[i] = (digit)(acc >> d);
    }
    return carry;
}

/* z[0:m] = two's complement of a[0:m] (a nonzero) */
static void v_complement(digit *z, const digit *a, int64_t m) {
    digit carry = 1;
    for (int64_t i = 0; i < m; ++i) {
        carry += a[i] ^ PyLong_MASK;
        z[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
}

/* pout[0:size] = pin[0:size] / n; returns the remainder (pin == pout allowed). */
static digit inplace_divrem1(digit *pout, const digit *pin, int64_t size, digit n) {
    digit remainder = 0;
    while (--size >= 0) {
        twodigits dividend = ((twodigits)remainder << PyLong_SHIFT) | pin[size];
        digit quotient = (digit)(dividend / n);
        remainder = (digit)(dividend % n);
        pout[size] = quotient;
    }
    return remainder;
}

static digit inplace_rem1(const digit *pin, int64_t size, digit n) {
    twodigits rem = 0;
    while (--size >= 0) rem = ((rem << PyLong_SHIFT) | pin[size]) % n;
    return (digit)rem;
}

/* ---- Addition and subtraction -------------------------------------------------------------- */

/* |a| + |b|: allocates max(size_a, size_b) + 1 digits, normalised in place. */
static pm_long *x_add(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t size_a = ndigits_of(a), size_b = ndigits_of(b);
    if (size_a < size_b) {
        pm_long *t = a; a = b; b = t;
        int64_t s = size_a; size_a = size_b; size_b = s;
    }
    pm_long *z = long_new(h, size_a + 1);
    if (!z) return NULL;
    digit carry = 0;
    int64_t i;
    for (i = 0; i < size_b; ++i) {
        carry += a->ob_digit[i] + b->ob_digit[i];
        z->ob_digit[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    for (; i < size_a; ++i) {
        carry += a->ob_digit[i];
        z->ob_digit[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    z->ob_digit[i] = carry;
    return long_normalize(z);
}

/* |a| - |b|: equal top digits shrink the allocation before it is made. */
static pm_long *x_sub(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t size_a = ndigits_of(a), size_b = ndigits_of(b), i;
    int sign = 1;
    if (size_a < size_b) {
        sign = -1;
        pm_long *t = a; a = b; b = t;
        int64_t s = size_a; size_a = size_b; size_b = s;
    }
    else if (size_a == size_b) {
        i = size_a;
        while (--i >= 0 && a->ob_digit[i] == b->ob_digit[i])
            ;
        if (i < 0) return get_small_int(h, 0);
        if (a->ob_digit[i] < b->ob_digit[i]) {
            sign = -1;
            pm_long *t = a; a = b; b = t;
        }
        size_a = size_b = i + 1;
    }
    pm_long *z = long_new(h, size_a);
    if (!z) return NULL;
    digit borrow = 0;
    for (i = 0; i < size_b; ++i) {
        borrow = a->ob_digit[i] - b->ob_digit[i] - borrow;
        z->ob_digit[i] = borrow & PyLong_MASK;
        borrow >>= PyLong_SHIFT;
        borrow &= 1;
    }
    for (; i < size_a; ++i) {
        borrow = a->ob_digit[i] - borrow;
        z->ob_digit[i] = borrow & PyLong_MASK;
        borrow >>= PyLong_SHIFT;
        borrow &= 1;
    }
    if (sign < 0) flip_sign(z);
    return maybe_small_long(h, long_normalize(z));
}

/* _PyLong_Add */
static pm_long *long_add(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) + medium_value(b));
    pm_long *z;
    if (is_negative(a)) {
        if (is_negative(b)) {
            z = x_add(h, a, b);
            if (z) flip_sign(z);     /* multi-digit, so not a cached small int */
        }
        else z = x_sub(h, b, a);
    }
    else {
        if (is_negative(b)) z = x_sub(h, a, b);
        else z = x_add(h, a, b);
    }
    return z;
}

/* _PyLong_Subtract */
static pm_long *long_sub(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) - medium_value(b));
    pm_long *z;
    if (is_negative(a)) {
        if (is_negative(b)) z = x_sub(h, b, a);
        else {
            z = x_add(h, a, b);
            if (z) flip_sign(z);
        }
    }
    else {
        if (is_negative(b)) z = x_add(h, a, b);
        else z = x_sub(h, a, b);
    }
    return z;
}

/* ---- Multiplication -------------------------------------------------------------------------- */

/* Grade-school multiplication of |a| and |b| (squaring when a is b):
 * size_a + size_b digits. */
static pm_long *x_mul(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t size_a = ndigits_of(a), size_b = ndigits_of(b), i;
    pm_long *z = long_new(h, size_a + size_b);
    if (!z) return NULL;
    memset(z->ob_digit, 0, (size_t)ndigits_of(z) * sizeof(digit));
    if (a == b) {
        /* squaring: each cross product once, doubled (HAC 14.16) */
        digit *paend = a->ob_digit + size_a;
        for (i = 0; i < size_a; ++i) {
            twodigits carry;
            twodigits f = a->ob_digit[i];
            digit *pz = z->ob_digit + (i << 1);
            digit *pa = a->ob_digit + i + 1;
            carry = *pz + f * f;
            *pz++ = (digit)(carry & PyLong_MASK);
            carry >>= PyLong_SHIFT;
            f <<= 1;
            while (pa < paend) {
                carry += *pz + *pa++ * f;
                *pz++ = (digit)(carry & PyLong_MASK);
                carry >>= PyLong_SHIFT;
            }
            if (carry) {
                carry += *pz;
                *pz++ = (digit)(carry & PyLong_MASK);
                carry >>= PyLong_SHIFT;
            }
            if (carry) *pz += (digit)(carry & PyLong_MASK);
        }
    }
    else {
        for (i = 0; i < size_a; ++i) {
            twodigits carry = 0;
            twodigits f = a->ob_digit[i];
            digit *pz = z->ob_digit + i;
            digit *pb = b->ob_digit;
            digit *pbend = b->ob_digit + size_b;
            while (pb < pbend) {
                carry += *pz + *pb++ * f;
                *pz++ = (digit)(carry & PyLong_MASK);
                carry >>= PyLong_SHIFT;
            }
            if (carry) *pz += (digit)(carry & PyLong_MASK);
        }
    }
    return long_normalize(z);
}

/* Split |n| into high and low parts at `size` digits (two new objects). */
static int kmul_split(pm_heap *h, pm_long *n, int64_t size, pm_long **high, pm_long **low) {
    const int64_t size_n = ndigits_of(n);
    int64_t size_lo = size_n < size ? size_n : size;
    int64_t size_hi = size_n - size_lo;
    pm_long *hi = long_new(h, size_hi);
    if (!hi) return -1;
    pm_long *lo = long_new(h, size_lo);
    if (!lo) { pm_decref(h, (pm_object *)hi); return -1; }
    memcpy(lo->ob_digit, n->ob_digit, (size_t)size_lo * sizeof(digit));
    memcpy(hi->ob_digit, n->ob_digit + size_lo, (size_t)size_hi * sizeof(digit));
    *high = long_normalize(hi);
    *low = long_normalize(lo);
    return 0;
}

static pm_long *k_lopsided_mul(pm_heap *h, pm_long *a, pm_long *b);

/* Karatsuba multiplication of |a| and |b|; the result has asize + bsize digits
 * allocated. Temporaries (the four halves, three partial products, two sums)
 * are allocated and released in CPython's order. */
static pm_long *k_mul(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t asize = ndigits_of(a), bsize = ndigits_of(b);
    pm_long *ah = NULL, *al = NULL, *bh = NULL, *bl = NULL, *ret = NULL, *t1, *t2, *t3;
    int64_t shift, i;

    if (asize > bsize) {
        pm_long *t = a; a = b; b = t;
        int64_t s = asize; asize = bsize; bsize = s;
    }
    i = a == b ? KARATSUBA_SQUARE_CUTOFF : KARATSUBA_CUTOFF;
    if (asize <= i) {
        if (asize == 0) return get_small_int(h, 0);
        return x_mul(h, a, b);
    }
    if (2 * asize <= bsize) return k_lopsided_mul(h, a, b);

    shift = bsize >> 1;
    if (kmul_split(h, a, shift, &ah, &al) < 0) goto fail;
    if (a == b) {
        bh = (pm_long *)pm_newref((pm_object *)ah);
        bl = (pm_long *)pm_newref((pm_object *)al);
    }
    else if (kmul_split(h, b, shift, &bh, &bl) < 0) goto fail;

    /* 1. result space */
    ret = long_new(h, asize + bsize);
    if (!ret) goto fail;

    /* 2. t1 = ah*bh into the high digits */
    if ((t1 = k_mul(h, ah, bh)) == NULL) goto fail;
    memcpy(ret->ob_digit + 2 * shift, t1->ob_digit, (size_t)ndigits_of(t1) * sizeof(digit));
    i = ndigits_of(ret) - 2 * shift - ndigits_of(t1);
    if (i) memset(ret->ob_digit + 2 * shift + ndigits_of(t1), 0, (size_t)i * sizeof(digit));

    /* 3. t2 = al*bl into the low digits */
    if ((t2 = k_mul(h, al, bl)) == NULL) {
        pm_decref(h, (pm_object *)t1);
        goto fail;
    }
    memcpy(ret->ob_digit, t2->ob_digit, (size_t)ndigits_of(t2) * sizeof(digit));
    i = 2 * shift - ndigits_of(t2);
    if (i) memset(ret->ob_digit + ndigits_of(t2), 0, (size_t)i * sizeof(digit));

    /* 4, 5. subtract al*bl and ah*bh from the middle */
    i = ndigits_of(ret) - shift;
    (void)v_isub(ret->ob_digit + shift, i, t2->ob_digit, ndigits_of(t2));
    pm_decref(h, (pm_object *)t2);
    (void)v_isub(ret->ob_digit + shift, i, t1->ob_digit, ndigits_of(t1));
    pm_decref(h, (pm_object *)t1);

    /* 6. add (ah+al)*(bh+bl) into the middle */
    if ((t1 = x_add(h, ah, al)) == NULL) goto fail;
    pm_decref(h, (pm_object *)ah);
    pm_decref(h, (pm_object *)al);
    ah = al = NULL;
    if (a == b) t2 = (pm_long *)pm_newref((pm_object *)t1);
    else if ((t2 = x_add(h, bh, bl)) == NULL) {
        pm_decref(h, (pm_object *)t1);
        goto fail;
    }
    pm_decref(h, (pm_object *)bh);
    pm_decref(h, (pm_object *)bl);
    bh = bl = NULL;

    t3 = k_mul(h, t1, t2);
    pm_decref(h, (pm_object *)t1);
    pm_decref(h, (pm_object *)t2);
    if (!t3) goto fail;
    (void)v_iadd(ret->ob_digit + shift, i, t3->ob_digit, ndigits_of(t3));
    pm_decref(h, (pm_object *)t3);
    return long_normalize(ret);

fail:
    pm_xdecref(h, (pm_object *)ret);
    pm_xdecref(h, (pm_object *)ah);
    pm_xdecref(h, (pm_object *)al);
    pm_xdecref(h, (pm_object *)bh);
    pm_xdecref(h, (pm_object *)bl);
    return NULL;
}

/* b much longer than a: multiply a by successive asize-digit slices of b. */
static pm_long *k_lopsided_mul(pm_heap *h, pm_long *a, pm_long *b) {
    const int64_t asize = ndigits_of(a);
    int64_t bsize = ndigits_of(b), nbdone = 0;
    pm_long *ret = long_new(h, asize + bsize);
    if (!ret) return NULL;
    memset(ret->ob_digit, 0, (size_t)ndigits_of(ret) * sizeof(digit));
    pm_long *bslice = long_new(h, asize);
    if (!bslice) goto fail;
    while (bsize > 0) {
        const int64_t nbtouse = bsize < asize ? bsize : asize;
        memcpy(bslice->ob_digit, b->ob_digit + nbdone, (size_t)nbtouse * sizeof(digit));
        set_sign_and_digit_count(bslice, 1, nbtouse);
        pm_long *product = k_mul(h, a, bslice);
        if (!product) goto fail;
        (void)v_iadd(ret->ob_digit + nbdone, ndigits_of(ret) - nbdone, product->ob_digit, ndigits_of(product));
        pm_decref(h, (pm_object *)product);
        bsize -= nbtouse;
        nbdone += nbtouse;
    }
    pm_decref(h, (pm_object *)bslice);
    return long_normalize(ret);
fail:
    pm_decref(h, (pm_object *)ret);
    pm_xdecref(h, (pm_object *)bslice);
    return NULL;
}

/* long_mul / _PyLong_Multiply */
static pm_long *long_mul(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) * medium_value(b));
    pm_long *z = k_mul(h, a, b);
    if (z && !same_sign(a, b)) long_negate(h, &z);
    return z;
}

/* ---- Division ------------------------------------------------------------------------------ */

/* |a| / n for one digit n: a size_a-digit quotient. */
static pm_long *divrem1(pm_heap *h, pm_long *a, digit n, digit *prem) {
    const int64_t size = ndigits_of(a);
    pm_long *z = long_new(h, size);
    if (!z) return NULL;
    *prem = inplace_divrem1(z->ob_digit, a->ob_digit, size, n);
    return long_normalize(z);
}

static pm_long *rem1(pm_heap *h, pm_long *a, digit n) {
    return long_from_long(h, (int64_t)inplace_rem1(a->ob_digit, ndigits_of(a), n));
}

/* Knuth's algorithm D on |v1| / |w1| (size_w >= 2, |v1| >= |w1|).
 * Allocates v (size_v + 1 digits), w (size_w), the quotient (k digits);
 * v is released, w becomes the remainder. */
static pm_long *x_divrem(pm_heap *h, pm_long *v1, pm_long *w1, pm_long **prem) {
    int64_t size_v = ndigits_of(v1), size_w = ndigits_of(w1), i, k;
    pm_long *v = long_new(h, size_v + 1);
    if (!v) { *prem = NULL; return NULL; }
    pm_long *w = long_new(h, size_w);
    if (!w) { pm_decref(h, (pm_object *)v); *prem = NULL; return NULL; }

    /* normalise: shift so that w's top digit has its top bit set */
    int d = PyLong_SHIFT - bit_length_digit(w1->ob_digit[size_w - 1]);
    (void)v_lshift(w->ob_digit, w1->ob_digit, size_w, d);
    digit carry = v_lshift(v->ob_digit, v1->ob_digit, size_v, d);
    if (carry != 0 || v->ob_digit[size_v - 1] >= w->ob_digit[size_w - 1]) {
        v->ob_digit[size_v] = carry;
        size_v++;
    }

    k = size_v - size_w;
    pm_long *a = long_new(h, k);
    if (!a) {
        pm_decref(h, (pm_object *)w);
        pm_decref(h, (pm_object *)v);
        *prem = NULL;
        return NULL;
    }
    digit *v0 = v->ob_digit, *w0 = w->ob_digit;
    digit wm1 = w0[size_w - 1], wm2 = w0[size_w - 2];
    digit *vk, *ak;
    for (vk = v0 + k, ak = a->ob_digit + k; vk-- > v0;) {
        /* estimate the quotient digit; at most one too large */
        digit vtop = vk[size_w];
        twodigits vv = ((twodigits)vtop << PyLong_SHIFT) | vk[size_w - 1];
        digit q = (digit)(vv / wm1);
        digit r = (digit)(vv % wm1);
        while ((twodigits)wm2 * q > (((twodigits)r << PyLong_SHIFT) | vk[size_w - 2])) {
            --q;
            r += wm1;
            if (r >= PyLong_BASE) break;
        }
        /* vk[0:size_w+1] -= q * w0[0:size_w] */
        sdigit zhi = 0;
        for (i = 0; i < size_w; ++i) {
            stwodigits z = (sdigit)vk[i] + zhi - (stwodigits)q * (stwodigits)w0[i];
            vk[i] = (digit)z & PyLong_MASK;
            zhi = (sdigit)(z >> PyLong_SHIFT);   /* arithmetic shift */
        }
        /* add w back if q was one too large */
        if ((sdigit)vtop + zhi < 0) {
            carry = 0;
            for (i = 0; i < size_w; ++i) {
                carry += vk[i] + w0[i];
                vk[i] = carry & PyLong_MASK;
                carry >>= PyLong_SHIFT;
            }
            --q;
        }
        *--ak = q;
    }
    /* unshift the remainder into w */
    (void)v_rshift(w0, v0, size_w, d);
    pm_decref(h, (pm_object *)v);
    *prem = long_normalize(w);
    return long_normalize(a);
}

/* long_divrem: truncating division; the remainder has the sign of a. */
static int long_divrem(pm_heap *h, pm_long *a, pm_long *b, pm_long **pdiv, pm_long **prem) {
    int64_t size_a = ndigits_of(a), size_b = ndigits_of(b);
    pm_long *z;
    if (size_b == 0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "integer division or modulo by zero");
        return -1;
    }
    if (size_a < size_b || (size_a == size_b && a->ob_digit[size_a - 1] < b->ob_digit[size_b - 1])) {
        /* |a| < |b| */
        *prem = long_long(h, a);
        if (!*prem) return -1;
        *pdiv = get_small_int(h, 0);
        return 0;
    }
    if (size_b == 1) {
        digit rem = 0;
        z = divrem1(h, a, b->ob_digit[0], &rem);
        if (!z) return -1;
        *prem = long_from_long(h, (int64_t)rem);
        if (!*prem) { pm_decref(h, (pm_object *)z); return -1; }
    }
    else {
        z = x_divrem(h, a, b, prem);
        *prem = maybe_small_long(h, *prem);
        if (!z) return -1;
    }
    if (is_negative(a) != is_negative(b)) {
        long_negate(h, &z);
        if (!z) { PM_CLEAR(h, *prem); return -1; }
    }
    if (is_negative(a) && !is_zero(*prem)) {
        long_negate(h, prem);
        if (!*prem) { pm_decref(h, (pm_object *)z); return -1; }
    }
    *pdiv = maybe_small_long(h, z);
    return 0;
}

/* long_rem: the remainder only (sign of a). */
static int long_rem(pm_heap *h, pm_long *a, pm_long *b, pm_long **prem) {
    int64_t size_a = ndigits_of(a), size_b = ndigits_of(b);
    if (size_b == 0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "integer modulo by zero");
        return -1;
    }
    if (size_a < size_b || (size_a == size_b && a->ob_digit[size_a - 1] < b->ob_digit[size_b - 1])) {
        *prem = long_long(h, a);
        return -(*prem == NULL);
    }
    if (size_b == 1) {
        *prem = rem1(h, a, b->ob_digit[0]);
        if (!*prem) return -1;
    }
    else {
        pm_long *q = x_divrem(h, a, b, prem);
        pm_xdecref(h, (pm_object *)q);
        *prem = maybe_small_long(h, *prem);
        if (!*prem) return -1;
    }
    if (is_negative(a) && !is_zero(*prem)) {
        long_negate(h, prem);
        if (!*prem) return -1;
    }
    return 0;
}

/* fast_floor_div / fast_mod: both operands have exactly one digit */
static pm_long *fast_floor_div(pm_heap *h, pm_long *a, pm_long *b) {
    sdigit left = (sdigit)a->ob_digit[0], right = (sdigit)b->ob_digit[0], div;
    if (same_sign(a, b)) div = left / right;
    else div = -1 - (left - 1) / right;
    return long_from_long(h, div);
}

static pm_long *fast_mod(pm_heap *h, pm_long *a, pm_long *b) {
    sdigit left = (sdigit)a->ob_digit[0], right = (sdigit)b->ob_digit[0], mod;
    if (same_sign(a, b)) mod = left % right;
    else mod = right - 1 - (left - 1) % right;
    return long_from_long(h, (int64_t)mod * non_compact_sign(b));
}

/* l_divmod: floor division and modulo (the modulo has the sign of w). */
static int l_divmod(pm_heap *h, pm_long *v, pm_long *w, pm_long **pdiv, pm_long **pmod) {
    pm_long *div = NULL, *mod;
    if (ndigits_of(v) == 1 && ndigits_of(w) == 1) {
        if (pdiv) {
            div = fast_floor_div(h, v, w);
            if (!div) return -1;
        }
        if (pmod) {
            mod = fast_mod(h, v, w);
            if (!mod) { pm_xdecref(h, (pm_object *)div); return -1; }
            *pmod = mod;
        }
        if (pdiv) *pdiv = div;
        return 0;
    }
    if (long_divrem(h, v, w, &div, &mod) < 0) return -1;
    if ((is_negative(mod) && is_positive(w)) || (is_positive(mod) && is_negative(w))) {
        pm_long *temp = long_add(h, mod, w);
        pm_decref(h, (pm_object *)mod);
        mod = temp;
        if (!mod) { pm_decref(h, (pm_object *)div); return -1; }
        temp = long_sub(h, div, get_small_int(h, 1));
        if (!temp) {
            pm_decref(h, (pm_object *)mod);
            pm_decref(h, (pm_object *)div);
            return -1;
        }
        pm_decref(h, (pm_object *)div);
        div = temp;
    }
    if (pdiv) *pdiv = div;
    else pm_decref(h, (pm_object *)div);
    if (pmod) *pmod = mod;
    else pm_decref(h, (pm_object *)mod);
    return 0;
}

static int l_mod(pm_heap *h, pm_long *v, pm_long *w, pm_long **pmod) {
    pm_long *mod;
    if (ndigits_of(v) == 1 && ndigits_of(w) == 1) {
        *pmod = fast_mod(h, v, w);
        return -(*pmod == NULL);
    }
    if (long_rem(h, v, w, &mod) < 0) return -1;
    if ((is_negative(mod) && is_positive(w)) || (is_positive(mod) && is_negative(w))) {
        pm_long *temp = long_add(h, mod, w);
        pm_decref(h, (pm_object *)mod);
        mod = temp;
        if (!mod) return -1;
    }
    *pmod = mod;
    return 0;
}

/* long_div (//) */
static pm_long *long_div(pm_heap *h, pm_long *a, pm_long *b) {
    if (ndigits_of(a) == 1 && ndigits_of(b) == 1) return fast_floor_div(h, a, b);
    pm_long *div;
    if (l_divmod(h, a, b, &div, NULL) < 0) return NULL;
    return div;
}

/* long_true_divide: a / b correctly rounded (round half to even). */
#define MANT_DIG_DIGITS (DBL_MANT_DIG / PyLong_SHIFT)
#define MANT_DIG_BITS (DBL_MANT_DIG % PyLong_SHIFT)

static pm_object *long_true_divide(pm_heap *h, pm_long *a, pm_long *b) {
    pm_long *x;
    int64_t a_size = ndigits_of(a), b_size = ndigits_of(b), diff, shift, x_size, x_bits, extra_bits;
    int inexact, negate = is_negative(a) != is_negative(b), a_is_small, b_is_small;
    digit mask, low;
    double dx, result;

    if (b_size == 0) {
        pm_err_set(h, PM_EXC_ZeroDivisionError, "division by zero");
        return NULL;
    }
    if (a_size == 0) goto underflow_or_zero;

    /* Fast path: both exactly representable as doubles. */
    a_is_small = a_size <= MANT_DIG_DIGITS ||
        (a_size == MANT_DIG_DIGITS + 1 && a->ob_digit[MANT_DIG_DIGITS] >> MANT_DIG_BITS == 0);
    b_is_small = b_size <= MANT_DIG_DIGITS ||
        (b_size == MANT_DIG_DIGITS + 1 && b->ob_digit[MANT_DIG_DIGITS] >> MANT_DIG_BITS == 0);
    if (a_is_small && b_is_small) {
        double da = a->ob_digit[--a_size];
        while (a_size > 0) da = da * PyLong_BASE + a->ob_digit[--a_size];
        double db = b->ob_digit[--b_size];
        while (b_size > 0) db = db * PyLong_BASE + b->ob_digit[--b_size];
        result = da / db;
        goto success;
    }

    /* Obvious overflow and underflow. */
    diff = a_size - b_size;
    if (diff > INT64_MAX / PyLong_SHIFT - 1) goto overflow;
    else if (diff < 1 - INT64_MAX / PyLong_SHIFT) goto underflow_or_zero;
    diff = diff * PyLong_SHIFT + bit_length_digit(a->ob_digit[a_size - 1]) - bit_length_digit(b->ob_digit[b_size - 1]);
    if (diff > DBL_MAX_EXP) goto overflow;
    else if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) goto underflow_or_zero;

    /* x = |a| * 2**-shift, with shift chosen so that the quotient has
     * DBL_MANT_DIG + 2 or + 3 bits (fewer for subnormal results) */
    shift = (diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2;
    inexact = 0;
    if (shift <= 0) {
        int64_t i, shift_digits = -shift / PyLong_SHIFT;
        x = long_new(h, a_size + shift_digits + 1);
        if (!x) return NULL;
        for (i = 0; i < shift_digits; i++) x->ob_digit[i] = 0;
        digit rem = v_lshift(x->ob_digit + shift_digits, a->ob_digit, a_size, (int)(-shift % PyLong_SHIFT));
        x->ob_digit[a_size + shift_digits] = rem;
    }
    else {
        int64_t shift_digits = shift / PyLong_SHIFT;
        x = long_new(h, a_size - shift_digits);
        if (!x) return NULL;
        digit rem = v_rshift(x->ob_digit, a->ob_digit + shift_digits, a_size - shift_digits, (int)(shift % PyLong_SHIFT));
        if (rem) inexact = 1;
        while (!inexact && shift_digits > 0)
            if (a->ob_digit[--shift_digits]) inexact = 1;
    }
    long_normalize(x);
    x_size = signed_digit_count(x);

    /* x //= b; a nonzero remainder makes the result inexact */
    if (b_size == 1) {
        digit rem = inplace_divrem1(x->ob_digit, x->ob_digit, x_size, b->ob_digit[0]);
        long_normalize(x);
        if (rem) inexact = 1;
    }
    else {
        pm_long *div, *rem;
        div = x_divrem(h, x, b, &rem);
        pm_decref(h, (pm_object *)x);
        x = div;
        if (!x) return NULL;
        if (!is_zero(rem)) inexact = 1;
        pm_decref(h, (pm_object *)rem);
    }
    x_size = ndigits_of(x);
    x_bits = (x_size - 1) * PyLong_SHIFT + bit_length_digit(x->ob_digit[x_size - 1]);

    /* round away the extra bits (2 or 3), half to even, in the low digit */
    extra_bits = (x_bits > DBL_MIN_EXP - shift ? x_bits : DBL_MIN_EXP - shift) - DBL_MANT_DIG;
    mask = (digit)1 << (extra_bits - 1);
    low = x->ob_digit[0] | (digit)inexact;
    if ((low & mask) && (low & (3U * mask - 1U))) low += mask;
    x->ob_digit[0] = low & ~(2U * mask - 1U);

    /* exact conversion of x to a double */
    dx = x->ob_digit[--x_size];
    while (x_size > 0) dx = dx * PyLong_BASE + x->ob_digit[--x_size];
    pm_decref(h, (pm_object *)x);

    if (shift + x_bits >= DBL_MAX_EXP && (shift + x_bits > DBL_MAX_EXP || dx == ldexp(1.0, (int)x_bits)))
        goto overflow;
    result = ldexp(dx, (int)shift);

success:
    return pm_float_from_double(h, negate ? -result : result);

underflow_or_zero:
    return pm_float_from_double(h, negate ? -0.0 : 0.0);

overflow:
    pm_err_set(h, PM_EXC_OverflowError, "integer division result too large for a float");
    return NULL;
}

/* ---- Exponentiation ------------------------------------------------------------------------------ */

/* long_invmod: an inverse of a modulo n (n > 0) by the extended Euclidean
 * algorithm; ValueError when gcd(a, n) != 1. */
static pm_long *long_invmod(pm_heap *h, pm_long *a, pm_long *n) {
    pm_incref((pm_object *)a);
    pm_long *b = get_small_int(h, 1), *c = get_small_int(h, 0);
    pm_incref((pm_object *)n);
    while (!is_zero(n)) {
        pm_long *q, *r, *s, *t;
        if (l_divmod(h, a, n, &q, &r) < 0) goto error;
        pm_decref(h, (pm_object *)a);
        a = n;
        n = r;
        t = long_mul(h, q, c);
        pm_decref(h, (pm_object *)q);
        if (!t) goto error;
        s = long_sub(h, b, t);
        pm_decref(h, (pm_object *)t);
        if (!s) goto error;
        pm_decref(h, (pm_object *)b);
        b = c;
        c = s;
    }
    pm_decref(h, (pm_object *)c);
    pm_decref(h, (pm_object *)n);
    if (long_compare(a, get_small_int(h, 1))) {
        pm_decref(h, (pm_object *)a);
        pm_decref(h, (pm_object *)b);
        pm_err_set(h, PM_EXC_ValueError, "base is not invertible for the given modulus");
        return NULL;
    }
    pm_decref(h, (pm_object *)a);
    return b;
error:
    pm_decref(h, (pm_object *)a);
    pm_decref(h, (pm_object *)b);
    pm_decref(h, (pm_object *)c);
    pm_decref(h, (pm_object *)n);
    return NULL;
}

/* long_pow: v ** w, or pow(v, w, x) when x is not NULL. A negative w
 * without a modulus is handled by the caller (float_pow). */
static pm_long *long_pow(pm_heap *h, pm_long *v, pm_long *w, pm_long *x) {
    pm_long *a, *b, *c;
    int negativeOutput = 0;
    pm_long *z = NULL, *temp = NULL, *a2 = NULL;    /* a2: a*a while the table is built */
    pm_long *table[EXP_TABLE_LEN];
    int64_t num_table_entries = 0, i;

    a = (pm_long *)pm_newref((pm_object *)v);
    b = (pm_long *)pm_newref((pm_object *)w);
    c = x ? (pm_long *)pm_newref((pm_object *)x) : NULL;

    if (c) {
        if (is_zero(c)) {
            pm_err_set(h, PM_EXC_ValueError, "pow() 3rd argument cannot be 0");
            goto error;
        }
        /* a negative modulus: work with |c|, shift the result at the end */
        if (is_negative(c)) {
            negativeOutput = 1;
            temp = long_copy(h, c);
            if (!temp) goto error;
            pm_decref(h, (pm_object *)c);
            c = temp;
            temp = NULL;
            long_negate(h, &c);
            if (!c) goto error;
        }
        /* modulus 1: the result is 0 */
        if (c->lv_tag <= (1u << NON_SIZE_BITS) && c->ob_digit[0] == 1) {
            z = long_from_long(h, 0);
            goto done;
        }
        /* a negative exponent: invert the base modulo c */
        if (is_negative(b)) {
            temp = long_copy(h, b);
            if (!temp) goto error;
            pm_decref(h, (pm_object *)b);
            b = temp;
            temp = NULL;
            long_negate(h, &b);
            if (!b) goto error;
            temp = long_invmod(h, a, c);
            if (!temp) goto error;
            pm_decref(h, (pm_object *)a);
            a = temp;
            temp = NULL;
        }
        /* reduce a negative or obviously larger base first */
        if (is_negative(a) || ndigits_of(a) > ndigits_of(c)) {
            if (l_mod(h, a, c, &temp) < 0) goto error;
            pm_decref(h, (pm_object *)a);
            a = temp;
            temp = NULL;
        }
    }

    z = long_from_long(h, 1);
    if (!z) goto error;

/* X = X % c when there is a modulus */
#define REDUCE(X)                                            \
    do {                                                     \
        if (c != NULL) {                                     \
            if (l_mod(h, (X), c, &temp) < 0) goto error;     \
            pm_xdecref(h, (pm_object *)(X));                 \
            (X) = temp;                                      \
            temp = NULL;                                     \
        }                                                    \
    } while (0)

/* result = X*Y (% c); the old result is released after the product exists */
#define MULT(X, Y, result)                                   \
    do {                                                     \
        temp = long_mul(h, (X), (Y));                        \
        if (!temp) goto error;                               \
        pm_xdecref(h, (pm_object *)(result));                \
        (result) = temp;                                     \
        temp = NULL;                                         \
        REDUCE(result);                                      \
    } while (0)

    i = signed_digit_count(b);
    digit bi = i ? b->ob_digit[i - 1] : 0;
    digit bit;
    if (i <= 1 && bi <= 3) {
        /* tiny exponents */
        if (bi >= 2) {
            MULT(a, a, z);
            if (bi == 3) MULT(z, a, z);
        }
        else if (bi == 1) {
            /* times one: makes the result an exact int (pow(True, 1) == 1) */
            MULT(a, z, z);
        }
        /* bi == 0: z == 1 */
    }
    else if (i <= HUGE_EXP_CUTOFF / PyLong_SHIFT) {
        /* left-to-right binary exponentiation */
        pm_decref(h, (pm_object *)z);
        z = (pm_long *)pm_newref((pm_object *)a);
        for (bit = 2;; bit <<= 1) {
            if (bit > bi) {
                bit >>= 1;
                break;
            }
        }
        for (--i, bit >>= 1;;) {
            for (; bit != 0; bit >>= 1) {
                MULT(z, z, z);
                if (bi & bit) MULT(z, a, z);
            }
            if (--i < 0) break;
            bi = b->ob_digit[i];
            bit = (digit)1 << (PyLong_SHIFT - 1);
        }
    }
    else {
        /* left-to-right sliding-window exponentiation, windows of 5 bits;
         * table[i] == a**(2*i + 1) */
        table[0] = (pm_long *)pm_newref((pm_object *)a);
        num_table_entries = 1;
        MULT(a, a, a2);
        for (i = 1; i < EXP_TABLE_LEN; ++i) {
            table[i] = NULL;
            MULT(table[i - 1], a2, table[i]);
            ++num_table_entries;
        }
        PM_CLEAR(h, a2);

        int pending = 0, blen = 0;
#define ABSORB_PENDING                                           \
        do {                                                     \
            int ntz = 0;                                         \
            while ((pending & 1) == 0) {                         \
                ++ntz;                                           \
                pending >>= 1;                                   \
            }                                                    \
            blen -= ntz;                                         \
            do {                                                 \
                MULT(z, z, z);                                   \
            } while (--blen);                                    \
            MULT(z, table[pending >> 1], z);                     \
            while (ntz-- > 0) MULT(z, z, z);                     \
            pending = 0;                                         \
        } while (0)

        for (i = signed_digit_count(b) - 1; i >= 0; --i) {
            const digit bd = b->ob_digit[i];
            for (int j = PyLong_SHIFT - 1; j >= 0; --j) {
                const int bt = (int)((bd >> j) & 1);
                pending = (pending << 1) | bt;
                if (pending) {
                    ++blen;
                    if (blen == EXP_WINDOW_SIZE) ABSORB_PENDING;
                }
                else MULT(z, z, z);
            }
        }
        if (pending) ABSORB_PENDING;
#undef ABSORB_PENDING
    }
#undef MULT
#undef REDUCE

    if (negativeOutput && !is_zero(z)) {
        temp = long_sub(h, z, c);
        if (!temp) goto error;
        pm_decref(h, (pm_object *)z);
        z = temp;
        temp = NULL;
    }
    goto done;

error:
    PM_CLEAR(h, z);
done:
    for (i = 0; i < num_table_entries; ++i) pm_decref(h, (pm_object *)table[i]);
    pm_decref(h, (pm_object *)a);
    pm_decref(h, (pm_object *)b);
    pm_xdecref(h, (pm_object *)c);
    pm_xdecref(h, (pm_object *)a2);
    pm_xdecref(h, (pm_object *)temp);
    return z;
}

/* ---- Unary operations ------------------------------------------------------------------------------- */

static pm_long *long_neg(pm_heap *h, pm_long *v) {
    if (is_compact(v)) return long_from_stwodigits(h, -medium_value(v));
    pm_long *z = long_copy(h, v);
    if (z) flip_sign(z);
    return z;
}

static pm_long *long_abs(pm_heap *h, pm_long *v) {
    if (is_negative(v)) return long_neg(h, v);
    return long_long(h, v);
}

/* ~x == -(x + 1) */
static pm_long *long_invert(pm_heap *h, pm_long *v) {
    if (is_compact(v)) return long_from_stwodigits(h, ~medium_value(v));
    pm_long *x = long_add(h, v, get_small_int(h, 1));
    if (!x) return NULL;
    long_negate(h, &x);
    return x;
}

/* ---- Bitwise operations and shifts ----------------------------------------------------------------- */

/* Two's-complement semantics on sign-magnitude values. */
static pm_long *long_bitwise(pm_heap *h, pm_long *a, char op, pm_long *b) {
    int nega, negb, negz;
    int64_t size_a, size_b, size_z, i;
    pm_long *z;

    size_a = ndigits_of(a);
    nega = is_negative(a);
    if (nega) {
        z = long_new(h, size_a);
        if (!z) return NULL;
        v_complement(z->ob_digit, a->ob_digit, size_a);
        a = z;
    }
    else pm_incref((pm_object *)a);

    size_b = ndigits_of(b);
    negb = is_negative(b);
    if (negb) {
        z = long_new(h, size_b);
        if (!z) { pm_decref(h, (pm_object *)a); return NULL; }
        v_complement(z->ob_digit, b->ob_digit, size_b);
        b = z;
    }
    else pm_incref((pm_object *)b);

    if (size_a < size_b) {
        z = a; a = b; b = z;
        int64_t s = size_a; size_a = size_b; size_b = s;
        int n = nega; nega = negb; negb = n;
    }

    /* The result length: AND of positives, OR of negatives use the
     * shorter operand; mixed signs use the positive (AND) or negative (OR). */
    switch (op) {
    case '^': negz = nega ^ negb; size_z = size_a; break;
    case '&': negz = nega & negb; size_z = negb ? size_a : size_b; break;
    default:  negz = nega | negb; size_z = negb ? size_b : size_a; break;
    }

    /* one extra digit when negative, so the final complement cannot overflow */
    z = long_new(h, size_z + negz);
    if (!z) {
        pm_decref(h, (pm_object *)a);
        pm_decref(h, (pm_object *)b);
        return NULL;
    }
    switch (op) {
    case '&': for (i = 0; i < size_b; ++i) z->ob_digit[i] = a->ob_digit[i] & b->ob_digit[i]; break;
    case '|': for (i = 0; i < size_b; ++i) z->ob_digit[i] = a->ob_digit[i] | b->ob_digit[i]; break;
    default:  for (i = 0; i < size_b; ++i) z->ob_digit[i] = a->ob_digit[i] ^ b->ob_digit[i]; break;
    }
    if (op == '^' && negb)
        for (; i < size_z; ++i) z->ob_digit[i] = a->ob_digit[i] ^ PyLong_MASK;
    else if (i < size_z)
        memcpy(&z->ob_digit[i], &a->ob_digit[i], (size_t)(size_z - i) * sizeof(digit));

    if (negz) {
        flip_sign(z);
        z->ob_digit[size_z] = PyLong_MASK;
        v_complement(z->ob_digit, z->ob_digit, size_z + 1);
    }
    pm_decref(h, (pm_object *)a);
    pm_decref(h, (pm_object *)b);
    return maybe_small_long(h, long_normalize(z));
}

static pm_long *long_and(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) & medium_value(b));
    return long_bitwise(h, a, '&', b);
}
static pm_long *long_or(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) | medium_value(b));
    return long_bitwise(h, a, '|', b);
}
static pm_long *long_xor(pm_heap *h, pm_long *a, pm_long *b) {
    if (both_compact(a, b)) return long_from_stwodigits(h, medium_value(a) ^ medium_value(b));
    return long_bitwise(h, a, '^', b);
}

/* Split a non-negative shift count into whole digits and bits; huge
 * counts are clipped so that >> gives 0/-1 and << raises. */
static int divmod_shift(pm_heap *h, pm_long *shiftby, int64_t *wordshift, digit *remshift) {
    int64_t lshiftby;
    if (long_as_int64(shiftby, &lshiftby)) {
        *wordshift = lshiftby / PyLong_SHIFT;
        *remshift = (digit)(lshiftby % PyLong_SHIFT);
        return 0;
    }
    /* beyond 2**63: divide by the digit width */
    digit rem;
    pm_long *wordshift_obj = divrem1(h, shiftby, PyLong_SHIFT, &rem);
    if (!wordshift_obj) return -1;
    *remshift = rem;
    int ok = long_as_int64(wordshift_obj, wordshift);
    pm_decref(h, (pm_object *)wordshift_obj);
    if (ok && *wordshift >= 0 && *wordshift < INT64_MAX / (int64_t)sizeof(digit)) return 0;
    *wordshift = INT64_MAX / (int64_t)sizeof(digit);
    *remshift = 0;
    return 0;
}

static pm_long *long_rshift1(pm_heap *h, pm_long *a, int64_t wordshift, digit remshift) {
    if (is_compact(a)) {
        stwodigits m = medium_value(a), x;
        digit shift = wordshift == 0 ? remshift : PyLong_SHIFT;
        x = m < 0 ? ~(~m >> shift) : m >> shift;
        return long_from_stwodigits(h, x);
    }
    int a_negative = is_negative(a);
    int64_t size_a = ndigits_of(a);
    if (a_negative) {
        /* keep 0 < remshift <= 30 so newsize below is right */
        if (remshift == 0) {
            if (wordshift == 0) return long_long(h, a);
            remshift = PyLong_SHIFT;
            --wordshift;
        }
    }
    int64_t newsize = size_a - wordshift;
    if (newsize <= 0) return long_from_long(h, -a_negative);
    pm_long *z = long_new(h, newsize);
    if (!z) return NULL;
    int64_t hishift = PyLong_SHIFT - remshift;
    twodigits accum = a->ob_digit[wordshift];
    if (a_negative) {
        /* (-a) >> s == -((a + 2**s - 1) >> s) */
        set_sign_and_digit_count(z, -1, newsize);
        digit sticky = 0;
        for (int64_t j = 0; j < wordshift; j++) sticky |= a->ob_digit[j];
        accum += (PyLong_MASK >> hishift) + (digit)(sticky != 0);
    }
    accum >>= remshift;
    for (int64_t i = 0, j = wordshift + 1; j < size_a; i++, j++) {
        accum += (twodigits)a->ob_digit[j] << hishift;
        z->ob_digit[i] = (digit)(accum & PyLong_MASK);
        accum >>= PyLong_SHIFT;
    }
    z->ob_digit[newsize - 1] = (digit)accum;
    return maybe_small_long(h, long_normalize(z));
}

static pm_long *long_lshift1(pm_heap *h, pm_long *a, int64_t wordshift, digit remshift) {
    if (wordshift == 0 && is_compact(a)) {
        stwodigits m = medium_value(a);
        stwodigits x = m < 0 ? -(stwodigits)((twodigits)(-m) << remshift) : (stwodigits)((twodigits)m << remshift);
        return long_from_stwodigits(h, x);
    }
    int64_t oldsize = ndigits_of(a), newsize = oldsize + wordshift, i, j;
    if (remshift) ++newsize;
    pm_long *z = long_new(h, newsize);
    if (!z) return NULL;
    if (is_negative(a)) flip_sign(z);
    for (i = 0; i < wordshift; i++) z->ob_digit[i] = 0;
    twodigits accum = 0;
    for (j = 0; j < oldsize; i++, j++) {
        accum |= (twodigits)a->ob_digit[j] << remshift;
        z->ob_digit[i] = (digit)(accum & PyLong_MASK);
        accum >>= PyLong_SHIFT;
    }
    if (remshift) z->ob_digit[newsize - 1] = (digit)accum;
    return maybe_small_long(h, long_normalize(z));
}

static pm_long *long_rshift(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t wordshift;
    digit remshift;
    if (is_negative(b)) {
        pm_err_set(h, PM_EXC_ValueError, "negative shift count");
        return NULL;
    }
    if (is_zero(a)) return long_from_long(h, 0);
    if (divmod_shift(h, b, &wordshift, &remshift) < 0) return NULL;
    return long_rshift1(h, a, wordshift, remshift);
}

static pm_long *long_lshift(pm_heap *h, pm_long *a, pm_long *b) {
    int64_t wordshift;
    digit remshift;
    if (is_negative(b)) {
        pm_err_set(h, PM_EXC_ValueError, "negative shift count");
        return NULL;
    }
    if (is_zero(a)) return long_from_long(h, 0);
    if (divmod_shift(h, b, &wordshift, &remshift) < 0) return NULL;
    return long_lshift1(h, a, wordshift, remshift);
}

/* ---- Comparison and hashing ----------------------------------------------------------------------- */

static int64_t long_compare(const pm_long *a, const pm_long *b) {
    if (both_compact(a, b)) return medium_value(a) - medium_value(b);
    int64_t sign = signed_digit_count(a) - signed_digit_count(b);
    if (sign == 0) {
        int64_t i = ndigits_of(a);
        sdigit diff = 0;
        while (--i >= 0) {
            diff = (sdigit)a->ob_digit[i] - (sdigit)b->ob_digit[i];
            if (diff) break;
        }
        sign = is_negative(a) ? -diff : diff;
    }
    return sign;
}

static int cmp_result(int64_t c, int op) {
    switch (op) {
    case PM_CMP_LT: return c < 0;
    case PM_CMP_LE: return c <= 0;
    case PM_CMP_EQ: return c == 0;
    case PM_CMP_NE: return c != 0;
    case PM_CMP_GT: return c > 0;
    default:        return c >= 0;
    }
}

static int64_t long_hash(const pm_long *v) {
    if (is_compact(v)) {
        int64_t x = medium_value(v);
        return x == -1 ? -2 : x;
    }
    int64_t i = ndigits_of(v);
    int sign = non_compact_sign(v);
    uint64_t x = 0;
    while (--i >= 0) {
        /* x = (x * 2**30 + digit) mod (2**61 - 1), the multiply done as a
         * rotation within 61 bits */
        x = ((x << PyLong_SHIFT) & HASH_MODULUS) | (x >> (HASH_BITS - PyLong_SHIFT));
        x += v->ob_digit[i];
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (int64_t)x;
}

/* ---- Decimal and power-of-two formatting -------------------------------------------------------- */

/* long_to_decimal_string_internal: converts to base 10**9 in a scratch int
 * of 1 + size_a + size_a/99 digits (a model allocation, as in CPython).
 * *scratch receives it (the caller releases it, after building its str). */
static int long_to_decimal_scratch(pm_heap *h, pm_long *a, pm_strbuf *sb, pm_object **scratch_out) {
    int64_t size_a = ndigits_of(a), size, strlen, i, j;
    int negative = is_negative(a);
    *scratch_out = NULL;

    /* quick pre-check against the digit limit (10/3 >= log2(10)) */
    if (size_a >= 10 * MAX_STR_DIGITS_THRESHOLD / (3 * PyLong_SHIFT) + 2) {
        if (MAX_STR_DIGITS / (3 * PyLong_SHIFT) <= (size_a - 11) / 10) {
            pm_err_set(h, PM_EXC_ValueError, ERR_FMT_TO_STR, MAX_STR_DIGITS);
            return -1;
        }
    }
    const int64_t d = (33 * DECIMAL_SHIFT) / (10 * PyLong_SHIFT - 33 * DECIMAL_SHIFT);
    size = 1 + size_a + size_a / d;
    pm_long *scratch = long_new(h, size);
    if (!scratch) return -1;

    /* convert: pout[0:size] holds base-10**9 digits, least significant first */
    digit *pin = a->ob_digit, *pout = scratch->ob_digit;
    size = 0;
    for (i = size_a; --i >= 0;) {
        digit hi = pin[i];
        for (j = 0; j < size; j++) {
            twodigits z = ((twodigits)pout[j] << PyLong_SHIFT) | hi;
            hi = (digit)(z / DECIMAL_BASE);
            pout[j] = (digit)(z - (twodigits)hi * DECIMAL_BASE);
        }
        while (hi) {
            pout[size++] = hi % DECIMAL_BASE;
            hi /= DECIMAL_BASE;
        }
    }
    if (size == 0) pout[size++] = 0;

    /* exact length, and the exact limit check */
    strlen = negative + 1 + (size - 1) * DECIMAL_SHIFT;
    digit tenpow = 10, rem = pout[size - 1];
    while (rem >= tenpow) {
        tenpow *= 10;
        strlen++;
    }
    if (strlen > MAX_STR_DIGITS_THRESHOLD && strlen - negative > MAX_STR_DIGITS) {
        pm_decref(h, (pm_object *)scratch);
        pm_err_set(h, PM_EXC_ValueError, ERR_FMT_TO_STR, MAX_STR_DIGITS);
        return -1;
    }

    char buf[16];
    if (negative) _pm_strbuf_put(sb, "-", 1);
    {
        int n = 0;
        digit t = pout[size - 1];
        do { buf[n++] = (char)('0' + t % 10); t /= 10; } while (t);
        while (n > 0) _pm_strbuf_put(sb, &buf[--n], 1);
    }
    for (i = size - 1; --i >= 0;) {
        digit t = pout[i];
        for (int k = DECIMAL_SHIFT; k-- > 0;) { buf[k] = (char)('0' + t % 10); t /= 10; }
        _pm_strbuf_put(sb, buf, DECIMAL_SHIFT);
    }
    *scratch_out = (pm_object *)scratch;
    if (sb->failed) {
        pm_decref(h, (pm_object *)scratch);
        *scratch_out = NULL;
        pm_err_nomem(h);
        return -1;
    }
    return 0;
}

int _pm_long_to_decimal_scratch(pm_heap *h, pm_object *o, pm_strbuf *sb, pm_object **scratch) {
    return long_to_decimal_scratch(h, (pm_long *)o, sb, scratch);
}

int pm_long_to_decimal(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    if (!require_int(h, o, "pm_long_to_decimal")) return -1;
    if (pm_bool_check(h, o)) {
        _pm_strbuf_puts(sb, o == h->os->true_ ? "True" : "False");
        return sb->failed ? (pm_err_nomem(h), -1) : 0;
    }
    pm_object *scratch;
    int r = long_to_decimal_scratch(h, (pm_long *)o, sb, &scratch);
    pm_xdecref(h, scratch);
    return r;
}

/* long_format_binary: bin/oct/hex with the alternate-form prefix */
int pm_long_format(pm_heap *h, pm_object *o, int base, pm_strbuf *sb) {
    if (!require_int(h, o, "pm_long_format")) return -1;
    int bits;
    char prefix;
    switch (base) {
    case 2: bits = 1; prefix = 'b'; break;
    case 8: bits = 3; prefix = 'o'; break;
    case 16: bits = 4; prefix = 'x'; break;
    default:
        pm_err_set(h, PM_EXC_ValueError, "pm_long_format: base must be 2, 8 or 16");
        return -1;
    }
    const pm_long *a = (const pm_long *)o;
    int64_t size_a = ndigits_of(a);
    uint64_t nbits = size_a ? (uint64_t)(size_a - 1) * PyLong_SHIFT + (uint64_t)bit_length_digit(a->ob_digit[size_a - 1]) : 0;
    uint64_t nchars = nbits ? (nbits + (uint64_t)bits - 1) / (uint64_t)bits : 1;
    char *tmp = _pm_raw_malloc(h, (size_t)nchars + 1);
    if (!tmp) { pm_err_nomem(h); return -1; }
    /* fill from the least significant end */
    uint64_t pos = nchars;
    twodigits accum = 0;
    int accumbits = 0;
    for (int64_t i = 0; i < size_a; i++) {
        accum |= (twodigits)a->ob_digit[i] << accumbits;
        accumbits += PyLong_SHIFT;
        while (accumbits >= bits && pos > 0) {
            tmp[--pos] = "0123456789abcdef"[accum & ((1u << bits) - 1)];
            accum >>= bits;
            accumbits -= bits;
        }
    }
    while (pos > 0) {
        tmp[--pos] = "0123456789abcdef"[accum & ((1u << bits) - 1)];
        accum >>= bits;
    }
    if (is_negative(a)) _pm_strbuf_put(sb, "-", 1);
    char pfx[2] = {'0', prefix};
    _pm_strbuf_put(sb, pfx, 2);
    _pm_strbuf_put(sb, tmp, (size_t)nchars);
    _pm_raw_free(h, tmp);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* ---- Parsing ------------------------------------------------------------------------------------ */

static int py_isspace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* _PyLong_DigitValue: 0..35 for digits and letters, 37 otherwise */
static int digit_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 37;
}

/* Power-of-two bases: ceil(digits * bits_per_char / 30) digits, filled
 * from the least significant end. */
static pm_long *long_from_binary_base(pm_heap *h, const char *start, const char *end, int64_t digits, int base) {
    int bits_per_char = 0;
    for (int n = base; n > 1; n >>= 1) bits_per_char++;
    if (digits > (INT64_MAX - (PyLong_SHIFT - 1)) / bits_per_char) {
        pm_err_set(h, PM_EXC_ValueError, "int string too large to convert");
        return NULL;
    }
    int64_t n = (digits * bits_per_char + PyLong_SHIFT - 1) / PyLong_SHIFT;
    pm_long *z = long_new(h, n);
    if (!z) return NULL;
    twodigits accum = 0;
    int bits_in_accum = 0;
    digit *pdigit = z->ob_digit;
    for (const char *p = end; p-- > start;) {
        if (*p == '_') continue;
        accum |= (twodigits)digit_value((unsigned char)*p) << bits_in_accum;
        bits_in_accum += bits_per_char;
        if (bits_in_accum >= PyLong_SHIFT) {
            *pdigit++ = (digit)(accum & PyLong_MASK);
            accum >>= PyLong_SHIFT;
            bits_in_accum -= PyLong_SHIFT;
        }
    }
    if (bits_in_accum) *pdigit++ = (digit)accum;
    while (pdigit - z->ob_digit < n) *pdigit++ = 0;
    return z;
}

/* Other bases: the quadratic algorithm, in chunks of convwidth characters
 * (the largest power of base below 2**30); the block is sized for the
 * worst case, digits * log(base)/log(2**30) + 1. */
static pm_long *long_from_non_binary_base(pm_heap *h, const char *start, const char *end, int64_t digits, int base) {
    double log_base_BASE = log((double)base) / log((double)PyLong_BASE);
    twodigits convmax = (twodigits)base;
    int convwidth = 1;
    for (;;) {
        twodigits next = convmax * (twodigits)base;
        if (next > PyLong_BASE) break;
        convmax = next;
        ++convwidth;
    }
    twodigits convmultmax = convmax;

    double fsize_z = (double)digits * log_base_BASE + 1.0;
    if (fsize_z > (double)MAX_LONG_DIGITS) {
        pm_err_set(h, PM_EXC_OverflowError, "too many digits in integer");
        return NULL;
    }
    int64_t size_z = (int64_t)fsize_z;
    pm_long *z = long_new(h, size_z);
    if (!z) return NULL;
    set_sign_and_digit_count(z, 0, 0);

    const char *str = start;
    while (str < end) {
        if (*str == '_') { str++; continue; }
        twodigits c = (twodigits)digit_value((unsigned char)*str++);
        int i = 1;
        for (; i < convwidth && str != end; ++str) {
            if (*str == '_') continue;
            i++;
            c = c * (twodigits)base + (twodigits)digit_value((unsigned char)*str);
        }
        twodigits convmult = convmultmax;
        if (i != convwidth) {
            convmult = (twodigits)base;
            for (; i > 1; --i) convmult *= (twodigits)base;
        }
        /* z = z * convmult + c */
        digit *pz = z->ob_digit, *pzstop = pz + ndigits_of(z);
        for (; pz < pzstop; ++pz) {
            c += (twodigits)*pz * convmult;
            *pz = (digit)(c & PyLong_MASK);
            c >>= PyLong_SHIFT;
        }
        if (c) {
            if (ndigits_of(z) < size_z) {
                *pz = (digit)c;
                set_sign_and_digit_count(z, 1, ndigits_of(z) + 1);
            }
            else {
                /* rare: the size estimate was one short */
                pm_long *tmp = long_new(h, size_z + 1);
                if (!tmp) { pm_decref(h, (pm_object *)z); return NULL; }
                memcpy(tmp->ob_digit, z->ob_digit, (size_t)size_z * sizeof(digit));
                pm_decref(h, (pm_object *)z);
                z = tmp;
                z->ob_digit[size_z] = (digit)c;
                ++size_z;
            }
        }
    }
    return z;
}

/* long_from_string_base: validates [*str, end) first (digits, single
 * underscores between digits, trailing whitespace) and only then
 * allocates. -1: syntax error; 0: *res set, or NULL with an exception. */
static int long_from_string_base(pm_heap *h, const char **str, const char *end, int base, pm_long **res) {
    const char *start, *p;
    char prev = 0;
    int64_t digits = 0;
    int is_binary_base = (base & (base - 1)) == 0;

    start = p = *str;
    if (p < end && *p == '_') return -1;
    while (p < end && (digit_value((unsigned char)*p) < base || *p == '_')) {
        if (*p == '_') {
            if (prev == '_') return -1;
        }
        else ++digits;
        prev = *p;
        ++p;
    }
    if (prev == '_') return -1;
    const char *dend = p;
    if (start == dend) return -1;
    while (p < end && py_isspace((unsigned char)*p)) p++;
    *str = p;
    if (p != end) return -1;

    if (is_binary_base) {
        *res = long_from_binary_base(h, start, dend, digits, base);
        return 0;
    }
    if (digits > MAX_STR_DIGITS_THRESHOLD && digits > MAX_STR_DIGITS) {
        pm_err_set(h, PM_EXC_ValueError, ERR_FMT_TO_INT, MAX_STR_DIGITS, (long long)digits);
        *res = NULL;
        return 0;
    }
    *res = long_from_non_binary_base(h, start, dend, digits, base);
    return 0;
}

/* Appends a str repr of the bytes (quote choice and escapes as Python's
 * str.__repr__ for ASCII; other bytes are copied), cut at 200 characters
 * like "%.200R". */
static void append_truncated_repr(pm_strbuf *sb, const char *s, size_t n) {
    int has_sq = 0, has_dq = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') has_sq = 1;
        else if (s[i] == '"') has_dq = 1;
    }
    char quote = (has_sq && !has_dq) ? '"' : '\'';
    char out[1024];
    size_t len = 0, chars = 0;
    const size_t maxchars = 200;
    out[len++] = quote;
    chars++;
    for (size_t i = 0; i < n && chars < maxchars; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[5];
        size_t k = 0;
        if (c == (unsigned char)quote || c == '\\') { esc[k++] = '\\'; esc[k++] = (char)c; }
        else if (c == '\t') { esc[k++] = '\\'; esc[k++] = 't'; }
        else if (c == '\n') { esc[k++] = '\\'; esc[k++] = 'n'; }
        else if (c == '\r') { esc[k++] = '\\'; esc[k++] = 'r'; }
        else if (c < 0x20 || c == 0x7f) {
            esc[k++] = '\\'; esc[k++] = 'x';
            esc[k++] = "0123456789abcdef"[c >> 4];
            esc[k++] = "0123456789abcdef"[c & 15];
        }
        else esc[k++] = (char)c;
        for (size_t m = 0; m < k && chars < maxchars; m++) {
            out[len++] = esc[m];
            /* UTF-8 continuation bytes do not start a character */
            if (((unsigned char)esc[m] & 0xC0) != 0x80) chars++;
        }
        if (len > sizeof out - 8) break;
    }
    if (chars < maxchars) out[len++] = quote;
    _pm_strbuf_put(sb, out, len);
}

static void invalid_literal(pm_heap *h, const char *s, size_t n, int base) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    append_truncated_repr(&sb, s, n);
    if (sb.failed) pm_err_nomem(h);
    else pm_err_set(h, PM_EXC_ValueError, "invalid literal for int() with base %d: %s", base, sb.buf);
    _pm_strbuf_free(&sb);
}

/* PyLong_FromString (+ the PyLong_FromUnicodeObject error message) */
pm_object *pm_long_from_string(pm_heap *h, const char *s, size_t n, int base) {
    if ((base != 0 && base < 2) || base > 36) {
        pm_err_set(h, PM_EXC_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    const int orig_base = base;
    const char *str = s, *end = s + n;
    int sign = 1, error_if_nonzero = 0;
    pm_long *z = NULL;

    while (str < end && py_isspace((unsigned char)*str)) ++str;
    if (str < end && *str == '+') ++str;
    else if (str < end && *str == '-') { ++str; sign = -1; }
    if (base == 0) {
        char c1 = end - str > 1 ? str[1] : '\0';
        if (str >= end || str[0] != '0') base = 10;
        else if (c1 == 'x' || c1 == 'X') base = 16;
        else if (c1 == 'o' || c1 == 'O') base = 8;
        else if (c1 == 'b' || c1 == 'B') base = 2;
        else {
            /* old C-style octal, now invalid unless the value is zero */
            error_if_nonzero = 1;
            base = 10;
        }
    }
    if (end - str > 1 && str[0] == '0' &&
        ((base == 16 && (str[1] == 'x' || str[1] == 'X')) ||
         (base == 8 && (str[1] == 'o' || str[1] == 'O')) ||
         (base == 2 && (str[1] == 'b' || str[1] == 'B')))) {
        str += 2;
        if (str < end && *str == '_') ++str;   /* one underscore allowed after the prefix */
    }
    if (long_from_string_base(h, &str, end, base, &z) < 0) goto onError;
    if (!z) return NULL;
    if (error_if_nonzero) {
        long_normalize(z);
        if (!is_zero(z)) goto onError;
    }
    if (sign < 0) flip_sign(z);
    long_normalize(z);
    return (pm_object *)maybe_small_long(h, z);

onError:
    pm_xdecref(h, (pm_object *)z);
    invalid_literal(h, s, n, orig_base);
    return NULL;
}

/* ---- Public arithmetic: operand dispatch ---------------------------------------------------- */

static int is_float_op(pm_heap *h, pm_object *o) { return PM_TYPE(o) == &h->os->types[PM_T_FLOAT]; }

static pm_object *binop_type_error(pm_heap *h, const char *opname, pm_object *a, pm_object *b) {
    pm_err_set(h, PM_EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", opname,
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
    return NULL;
}

/* 1: both ints; 0: an error was set; 2: a float is involved (delegate). */
static int binop_kind(pm_heap *h, const char *opname, pm_object *a, pm_object *b) {
    int ia = pm_long_check(h, a), ib = pm_long_check(h, b);
    if (ia && ib) return 1;
    if ((ia || is_float_op(h, a)) && (ib || is_float_op(h, b))) return 2;
    binop_type_error(h, opname, a, b);
    return 0;
}

#define LONG_BINOP(name, opname, impl, floatfn)                                     \
    pm_object *name(pm_heap *h, pm_object *a, pm_object *b) {                       \
        switch (binop_kind(h, opname, a, b)) {                                      \
        case 1: return (pm_object *)impl(h, (pm_long *)a, (pm_long *)b);            \
        case 2: return floatfn(h, a, b);                                            \
        default: return NULL;                                                        \
        }                                                                            \
    }

LONG_BINOP(pm_long_add, "+", long_add, pm_float_add)
LONG_BINOP(pm_long_sub, "-", long_sub, pm_float_sub)
LONG_BINOP(pm_long_mul, "*", long_mul, pm_float_mul)
LONG_BINOP(pm_long_floordiv, "//", long_div, pm_float_floordiv)
LONG_BINOP(pm_long_truediv, "/", long_true_divide, pm_float_truediv)

pm_object *pm_long_mod(pm_heap *h, pm_object *a, pm_object *b) {
    switch (binop_kind(h, "%", a, b)) {
    case 1: {
        pm_long *mod;
        return l_mod(h, (pm_long *)a, (pm_long *)b, &mod) < 0 ? NULL : (pm_object *)mod;
    }
    case 2: return pm_float_mod(h, a, b);
    default: return NULL;
    }
}

int pm_long_divmod(pm_heap *h, pm_object *a, pm_object *b, pm_object **pdiv, pm_object **pmod) {
    *pdiv = *pmod = NULL;
    switch (binop_kind(h, "divmod()", a, b)) {
    case 1: {
        pm_long *d, *m;
        if (l_divmod(h, (pm_long *)a, (pm_long *)b, &d, &m) < 0) return -1;
        *pdiv = (pm_object *)d;
        *pmod = (pm_object *)m;
        return 0;
    }
    case 2: return pm_float_divmod(h, a, b, pdiv, pmod);
    default: return -1;
    }
}

pm_object *pm_long_pow(pm_heap *h, pm_object *a, pm_object *b) {
    switch (binop_kind(h, "** or pow()", a, b)) {
    case 1:
        if (is_negative((pm_long *)b)) return pm_float_pow(h, a, b);   /* float_pow */
        return (pm_object *)long_pow(h, (pm_long *)a, (pm_long *)b, NULL);
    case 2: return pm_float_pow(h, a, b);
    default: return NULL;
    }
}

pm_object *pm_long_pow3(pm_heap *h, pm_object *a, pm_object *b, pm_object *m) {
    if (!m || m == h->os->none) return pm_long_pow(h, a, b);
    int ia = pm_long_check(h, a), ib = pm_long_check(h, b), im = pm_long_check(h, m);
    if (ia && ib && im) return (pm_object *)long_pow(h, (pm_long *)a, (pm_long *)b, (pm_long *)m);
    if ((ia || is_float_op(h, a)) && (ib || is_float_op(h, b)) && (im || is_float_op(h, m))) {
        pm_err_set(h, PM_EXC_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    pm_err_set(h, PM_EXC_TypeError, "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name, PM_TYPE(m)->tp_name);
    return NULL;
}

/* bool & | ^ bool stay bools (bool_and / bool_or / bool_xor) */
#define LONG_BITOP(name, opname, impl, boolop)                                          \
    pm_object *name(pm_heap *h, pm_object *a, pm_object *b) {                           \
        if (pm_bool_check(h, a) && pm_bool_check(h, b))                                 \
            return pm_bool_from_long(h, (a == h->os->true_) boolop (b == h->os->true_)); \
        if (!pm_long_check(h, a) || !pm_long_check(h, b)) return binop_type_error(h, opname, a, b); \
        return (pm_object *)impl(h, (pm_long *)a, (pm_long *)b);                        \
    }

LONG_BITOP(pm_long_and, "&", long_and, &)
LONG_BITOP(pm_long_or, "|", long_or, |)
LONG_BITOP(pm_long_xor, "^", long_xor, ^)

pm_object *pm_long_lshift(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_long_check(h, a) || !pm_long_check(h, b)) return binop_type_error(h, "<<", a, b);
    return (pm_object *)long_lshift(h, (pm_long *)a, (pm_long *)b);
}

pm_object *pm_long_rshift(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_long_check(h, a) || !pm_long_check(h, b)) return binop_type_error(h, ">>", a, b);
    return (pm_object *)long_rshift(h, (pm_long *)a, (pm_long *)b);
}

static pm_object *unary_type_error(pm_heap *h, const char *opname, pm_object *a) {
    pm_err_set(h, PM_EXC_TypeError, "bad operand type for %s: '%s'", opname, PM_TYPE(a)->tp_name);
    return NULL;
}

pm_object *pm_long_neg(pm_heap *h, pm_object *a) {
    if (is_float_op(h, a)) return pm_float_neg(h, a);
    if (!pm_long_check(h, a)) return unary_type_error(h, "unary -", a);
    return (pm_object *)long_neg(h, (pm_long *)a);
}

pm_object *pm_long_pos(pm_heap *h, pm_object *a) {
    if (is_float_op(h, a)) return pm_float_pos(h, a);
    if (!pm_long_check(h, a)) return unary_type_error(h, "unary +", a);
    return (pm_object *)long_long(h, (pm_long *)a);
}

pm_object *pm_long_abs(pm_heap *h, pm_object *a) {
    if (is_float_op(h, a)) return pm_float_abs(h, a);
    if (!pm_long_check(h, a)) return unary_type_error(h, "abs()", a);
    return (pm_object *)long_abs(h, (pm_long *)a);
}

pm_object *pm_long_invert(pm_heap *h, pm_object *a) {
    if (!pm_long_check(h, a)) return unary_type_error(h, "unary ~", a);
    return (pm_object *)long_invert(h, (pm_long *)a);
}

/* ---- Public comparison, truth, hash ------------------------------------------------------------ */

static const char *const cmp_names[] = {"<", "<=", "==", "!=", ">", ">="};

int pm_long_richcompare(pm_heap *h, pm_object *a, pm_object *b, int op) {
    if (op < PM_CMP_LT || op > PM_CMP_GE) {
        pm_err_set(h, PM_EXC_ValueError, "bad comparison operator %d", op);
        return -1;
    }
    int ia = pm_long_check(h, a), ib = pm_long_check(h, b);
    if (ia && ib) return cmp_result(a == b ? 0 : long_compare((pm_long *)a, (pm_long *)b), op);
    if ((ia || is_float_op(h, a)) && (ib || is_float_op(h, b))) return pm_float_richcompare(h, a, b, op);
    /* neither side knows the other: == and != fall back to identity */
    if (op == PM_CMP_EQ) return a == b;
    if (op == PM_CMP_NE) return a != b;
    pm_err_set(h, PM_EXC_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_names[op],
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
    return -1;
}

int pm_long_compare(pm_heap *h, pm_object *a, pm_object *b) {
    if (!require_int(h, a, "pm_long_compare") || !require_int(h, b, "pm_long_compare")) return -2;
    int64_t c = long_compare((pm_long *)a, (pm_long *)b);
    return c < 0 ? -1 : c > 0;
}

int pm_long_eq(pm_heap *h, pm_object *a, pm_object *b) { return pm_long_richcompare(h, a, b, PM_CMP_EQ); }

int pm_long_bool(pm_heap *h, pm_object *a) {
    if (is_float_op(h, a)) return pm_float_bool(h, a);
    return !is_zero((pm_long *)a);
}

int64_t pm_long_hash(pm_heap *h, pm_object *a) {
    if (!require_int(h, a, "pm_long_hash")) return -1;
    return long_hash((pm_long *)a);
}

/* ---- Type slots and set-up ------------------------------------------------------------------------ */

static size_t long_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    int64_t n = ndigits_of((pm_long *)o);
    return PM_LONG_BASICSIZE + (size_t)(n > 1 ? n : 1) * PM_LONG_ITEMSIZE;
}

static int64_t long_hash_slot(pm_heap *h, pm_object *o) { (void)h; return long_hash((pm_long *)o); }

/* int.__eq__: ints only; a float on the other side answers for itself */
static int long_eq_slot(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_long_check(h, a) || !pm_long_check(h, b)) return PM_NOTIMPL;
    return long_compare((pm_long *)a, (pm_long *)b) == 0;
}

static int long_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) { return pm_long_to_decimal(h, o, sb); }

static int bool_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    _pm_strbuf_puts(sb, o == h->os->true_ ? "True" : "False");
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* bool_dealloc: True and False are immortal; reaching here is a bug */
static void bool_dealloc(pm_heap *h, pm_object *o) {
    (void)o;
    _pm_fatal(h, "deallocating True or False");
}

static void long_init_type(pm_heap *h, pm_type_id id, const char *name, uint32_t flags, pm_type *base) {
    pm_type *t = &h->os->types[id];
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = &h->os->types[PM_T_TYPE];
    t->tp_name = name;
    t->tp_basicsize = PM_LONG_BASICSIZE;
    t->tp_itemsize = PM_LONG_ITEMSIZE;
    t->tp_flags = flags | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = id;
    t->tp_base = base;
    t->tp_sizeof = long_sizeof;
    t->tp_hash = long_hash_slot;
    t->tp_eq = long_eq_slot;
}

static pm_long *static_long(pm_heap *h, pm_type *t, int64_t v) {
    pm_long *o = (pm_long *)_pm_static_alloc(h, t, sizeof(pm_long) + sizeof(digit), 0);
    if (v == 0) set_sign_and_digit_count(o, 0, 0);
    else set_sign_and_digit_count(o, v < 0 ? -1 : 1, 1);
    o->ob_digit[0] = (digit)(v < 0 ? -v : v);
    return o;
}

pm_status _pm_long_init(pm_heap *h) {
    pm_objstate *os = h->os;
    long_init_type(h, PM_T_INT, "int", PM_TPFLAGS_BASETYPE, &os->types[PM_T_OBJECT]);
    os->types[PM_T_INT].tp_dealloc = long_dealloc;
    os->types[PM_T_INT].tp_repr = long_repr;
    long_init_type(h, PM_T_BOOL, "bool", 0, &os->types[PM_T_INT]);
    os->types[PM_T_BOOL].tp_dealloc = bool_dealloc;
    os->types[PM_T_BOOL].tp_repr = bool_repr;

    for (int i = 0; i < NSMALLNEGINTS + NSMALLPOSINTS; i++)
        os->small_ints[i] = (pm_object *)static_long(h, &os->types[PM_T_INT], i - NSMALLNEGINTS);
    os->false_ = (pm_object *)static_long(h, &os->types[PM_T_BOOL], 0);
    os->true_ = (pm_object *)static_long(h, &os->types[PM_T_BOOL], 1);
    return PM_OK;
}
