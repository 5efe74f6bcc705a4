/* rangeobject.c — the range type: construction (with the length computed
 * on C longs when possible, else on int objects), len, indexing, equality,
 * hashing, repr, and the parameters of range's fast iterator.
 *
 * Mirrors CPython 3.12 Objects/rangeobject.c: range_from_array,
 * validate_step, make_range_object, compute_range_length(_long),
 * get_len_of_range, compute_range_item, compute_item, range_length,
 * range_equals, range_hash, range_repr, range_dealloc and range_iter's
 * fast/long choice. All int arithmetic goes through longobject.c, so the
 * temporaries CPython allocates are allocated here too.
 */
#include "rangeobject.h"
#include "longobject.h"
#include "tupleobject.h"

_Static_assert(sizeof(pm_range) <= PM_RANGE_BASICSIZE, "range struct must fit the 48-byte model struct");

static pm_type *range_type(pm_heap *h) { return pm_builtin_type(h, PM_T_RANGE); }
static pm_object *zero(pm_heap *h) { return pm_long_small(h, 0); }   /* borrowed, immortal */
static pm_object *one(pm_heap *h) { return pm_long_small(h, 1); }

/* PyNumber_Index for the types the model has: an exact int is returned as
 * is, a bool becomes the equivalent int, anything else is a TypeError. */
static pm_object *number_index(pm_heap *h, pm_object *o) {
    if (pm_long_check_exact(h, o)) return pm_newref(o);
    if (pm_long_check(h, o)) return pm_long_from_int64(h, pm_long_as_int64(h, o));
    pm_err_set(h, PM_EXC_TypeError, "'%s' object cannot be interpreted as an integer", PM_TYPE(o)->tp_name);
    return NULL;
}

/* validate_step: a new reference to the step (1 when omitted), rejecting 0. */
static pm_object *validate_step(pm_heap *h, pm_object *step) {
    if (!step) return pm_long_from_int64(h, 1);
    step = number_index(h, step);
    if (step && pm_long_is_zero(step)) {
        pm_err_set(h, PM_EXC_ValueError, "range() arg 3 must not be zero");
        PM_CLEAR(h, step);
    }
    return step;
}

/* PyLong_AsLongAndOverflow without touching the pending exception: 0 and
 * *out when o fits a (64-bit) C long, 1 on overflow. */
static int as_long_and_overflow(pm_heap *h, pm_object *o, int64_t *out) {
    uint64_t bits = pm_long_bit_length(h, o);
    if (bits > 64 || (bits == 64 && !pm_long_is_negative(o))) return 1;
    if (bits == 64) {
        /* only -2**63 itself fits */
        pm_object *min = pm_long_from_int64(h, INT64_MIN);
        if (!min) return 1;
        int same = pm_long_compare(h, o, min) == 0;
        pm_decref(h, min);
        if (!same) return 1;
        *out = INT64_MIN;
        return 0;
    }
    *out = pm_long_as_int64(h, o);
    return 0;
}

/* get_len_of_range: number of items of range(lo, hi, step) on C longs. */
static uint64_t get_len_of_range(int64_t lo, int64_t hi, int64_t step) {
    if (step > 0 && lo < hi) return 1u + ((uint64_t)hi - 1u - (uint64_t)lo) / (uint64_t)step;
    if (step < 0 && lo > hi) return 1u + ((uint64_t)lo - 1u - (uint64_t)hi) / (0u - (uint64_t)step);
    return 0;
}

/* compute_range_length_long: the length, or -2 when some field or the
 * length does not fit a C long. */
static int64_t compute_range_length_long(pm_heap *h, pm_object *start, pm_object *stop, pm_object *step) {
    int64_t lstart, lstop, lstep;
    if (as_long_and_overflow(h, start, &lstart) || as_long_and_overflow(h, stop, &lstop) ||
        as_long_and_overflow(h, step, &lstep))
        return -2;
    uint64_t ulen = get_len_of_range(lstart, lstop, lstep);
    return ulen > (uint64_t)INT64_MAX ? -2 : (int64_t)ulen;
}

/* compute_range_length: the length as a new int. The slow path does the
 * same computation with int objects: (hi - lo - 1) // step + 1. */
static pm_object *compute_range_length(pm_heap *h, pm_object *start, pm_object *stop, pm_object *step) {
    int64_t len = compute_range_length_long(h, start, stop, step);
    if (len >= 0) return pm_long_from_int64(h, len);

    pm_object *lo, *hi, *tmp1 = NULL, *diff = NULL, *tmp2 = NULL, *result = NULL;
    int cmp = pm_long_richcompare(h, step, zero(h), PM_CMP_GT);
    if (cmp < 0) return NULL;
    if (cmp == 1) {
        lo = start;
        hi = stop;
        pm_incref(step);
    } else {
        lo = stop;
        hi = start;
        step = pm_long_neg(h, step);
        if (!step) return NULL;
    }
    cmp = pm_long_richcompare(h, lo, hi, PM_CMP_GE);
    if (cmp != 0) {
        pm_decref(h, step);
        return cmp < 0 ? NULL : pm_newref(zero(h));
    }
    if ((tmp1 = pm_long_sub(h, hi, lo)) && (diff = pm_long_sub(h, tmp1, one(h))) &&
        (tmp2 = pm_long_floordiv(h, diff, step)))
        result = pm_long_add(h, tmp2, one(h));
    pm_xdecref(h, tmp2);
    pm_xdecref(h, diff);
    pm_decref(h, step);
    pm_xdecref(h, tmp1);
    return result;
}

/* make_range_object: takes the three references (released by the caller on failure). */
static pm_object *make_range_object(pm_heap *h, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *length = compute_range_length(h, start, stop, step);
    if (!length) return NULL;
    pm_object *o = pm_object_alloc(h, range_type(h), 0);
    if (!o) {
        pm_decref(h, length);
        return NULL;
    }
    pm_range *r = (pm_range *)o;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = length;
    return o;
}

pm_object *pm_range_new(pm_heap *h, pm_object *start, pm_object *stop, pm_object *step) {
    pm_object *nstart, *nstop, *nstep;
    if (!stop) {
        pm_err_set(h, PM_EXC_TypeError, "range expected at least 1 argument, got 0");
        return NULL;
    }
    if (!start) {
        /* range(stop) */
        nstop = number_index(h, stop);
        if (!nstop) return NULL;
        nstart = pm_newref(zero(h));
        nstep = pm_newref(one(h));
    } else {
        nstart = number_index(h, start);
        if (!nstart) return NULL;
        nstop = number_index(h, stop);
        if (!nstop) {
            pm_decref(h, nstart);
            return NULL;
        }
        nstep = validate_step(h, step);
        if (!nstep) {
            pm_decref(h, nstart);
            pm_decref(h, nstop);
            return NULL;
        }
    }
    pm_object *o = make_range_object(h, nstart, nstop, nstep);
    if (o) return o;
    pm_decref(h, nstart);
    pm_decref(h, nstop);
    pm_decref(h, nstep);
    return NULL;
}

pm_object *pm_range_from_int64(pm_heap *h, int64_t start, int64_t stop, int64_t step) {
    pm_object *a = pm_long_from_int64(h, start), *b = NULL, *c = NULL, *r = NULL;
    if (a && (b = pm_long_from_int64(h, stop)) && (c = pm_long_from_int64(h, step))) r = pm_range_new(h, a, b, c);
    pm_xdecref(h, a);
    pm_xdecref(h, b);
    pm_xdecref(h, c);
    return r;
}

int64_t pm_range_length(pm_heap *h, pm_object *r) {
    return pm_long_as_ssize_t(h, ((pm_range *)r)->length);
}

/* compute_item: start + i * step (the multiplication is skipped when step is the cached 1). */
static pm_object *compute_item(pm_heap *h, pm_range *r, pm_object *i) {
    if (r->step == one(h)) return pm_long_add(h, r->start, i);
    pm_object *incr = pm_long_mul(h, i, r->step);
    if (!incr) return NULL;
    pm_object *result = pm_long_add(h, r->start, incr);
    pm_decref(h, incr);
    return result;
}

/* compute_range_item: r[arg] for an int arg, negative counting from the end. */
static pm_object *compute_range_item(pm_heap *h, pm_range *r, pm_object *arg) {
    pm_object *i;
    int cmp = pm_long_richcompare(h, arg, zero(h), PM_CMP_LT);
    if (cmp < 0) return NULL;
    if (cmp == 1) {
        i = pm_long_add(h, r->length, arg);
        if (!i) return NULL;
    } else {
        i = pm_newref(arg);
    }
    cmp = pm_long_richcompare(h, i, zero(h), PM_CMP_LT);
    if (cmp == 0) cmp = pm_long_richcompare(h, i, r->length, PM_CMP_GE);
    if (cmp != 0) {
        pm_decref(h, i);
        if (cmp == 1) pm_err_set(h, PM_EXC_IndexError, "range object index out of range");
        return NULL;
    }
    pm_object *result = compute_item(h, r, i);
    pm_decref(h, i);
    return result;
}

pm_object *pm_range_item(pm_heap *h, pm_object *r, int64_t i) {
    pm_object *arg = pm_long_from_int64(h, i);
    if (!arg) return NULL;
    pm_object *res = compute_range_item(h, (pm_range *)r, arg);
    pm_decref(h, arg);
    return res;
}

pm_object *pm_range_getitem(pm_heap *h, pm_object *r, pm_object *index) {
    pm_object *i = number_index(h, index);
    if (!i) return NULL;
    pm_object *res = compute_range_item(h, (pm_range *)r, i);
    pm_decref(h, i);
    return res;
}

int pm_range_iter_params(pm_heap *h, pm_object *o, int64_t *start, int64_t *step, int64_t *len) {
    pm_range *r = (pm_range *)o;
    int64_t lstart, lstop, lstep;
    if (as_long_and_overflow(h, r->start, &lstart) || as_long_and_overflow(h, r->stop, &lstop) ||
        as_long_and_overflow(h, r->step, &lstep))
        return 0;
    uint64_t ulen = get_len_of_range(lstart, lstop, lstep);
    if (ulen > (uint64_t)INT64_MAX) return 0;
    /* lstart + ulen * lstep must not overflow */
    if (ulen) {
        if (lstep > 0 ? lstop > INT64_MAX - (lstep - 1) : lstop < INT64_MIN + (-1 - lstep)) return 0;
    }
    *start = lstart;
    *step = lstep;
    *len = (int64_t)ulen;
    return 1;
}

/* ---- Type slots ----------------------------------------------------------------- */

static void range_dealloc(pm_heap *h, pm_object *o) {
    pm_range *r = (pm_range *)o;
    pm_decref(h, r->start);
    pm_decref(h, r->stop);
    pm_decref(h, r->step);
    pm_decref(h, r->length);
    pm_object_free(h, o);
}

/* range_equals: same sequence of values (length, then start, then step if it matters). */
static int range_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!PM_RANGE_CHECK(h, a) || !PM_RANGE_CHECK(h, b)) return PM_NOTIMPL;
    if (a == b) return 1;
    pm_range *r0 = (pm_range *)a, *r1 = (pm_range *)b;
    int cmp = pm_long_eq(h, r0->length, r1->length);
    if (cmp != 1) return cmp;
    if (pm_long_is_zero(r0->length)) return 1;
    cmp = pm_long_eq(h, r0->start, r1->start);
    if (cmp != 1) return cmp;
    cmp = pm_long_eq(h, r0->length, one(h));
    if (cmp != 0) return cmp;
    return pm_long_eq(h, r0->step, r1->step);
}

/* range_hash: hash((len, start, step)) with None for the parts that do not
 * change the sequence (start and step of an empty range, step of a
 * one-item range). */
static int64_t range_hash(pm_heap *h, pm_object *o) {
    pm_range *r = (pm_range *)o;
    pm_object *t = pm_tuple_new(h, 3);
    if (!t) return -1;
    pm_object *none = PM_NONE(h);
    PM_TUPLE_SET(t, 0, pm_newref(r->length));
    if (pm_long_is_zero(r->length)) {
        PM_TUPLE_SET(t, 1, pm_newref(none));
        PM_TUPLE_SET(t, 2, pm_newref(none));
    } else {
        PM_TUPLE_SET(t, 1, pm_newref(r->start));
        int cmp = pm_long_eq(h, r->length, one(h));
        PM_TUPLE_SET(t, 2, pm_newref(cmp == 1 ? none : r->step));
    }
    int64_t result = pm_object_hash(h, t);
    pm_decref(h, t);
    return result;
}

static int range_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_range *r = (pm_range *)o;
    int step_is_one = pm_long_eq(h, r->step, one(h)) == 1;
    _pm_strbuf_puts(sb, "range(");
    if (pm_object_repr(h, r->start, sb) < 0) return -1;
    _pm_strbuf_puts(sb, ", ");
    if (pm_object_repr(h, r->stop, sb) < 0) return -1;
    if (!step_is_one) {
        _pm_strbuf_puts(sb, ", ");
        if (pm_object_repr(h, r->step, sb) < 0) return -1;
    }
    _pm_strbuf_puts(sb, ")");
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* range is not a GC type (no tp_traverse), but it holds four ints. */
static int range_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_range *r = (pm_range *)o;
    pm_object *fields[4] = { r->start, r->stop, r->step, r->length };
    for (int i = 0; i < 4; i++) {
        int e = fields[i] ? visit(fields[i], arg) : 0;
        if (e) return e;
    }
    return 0;
}

pm_status _pm_range_init(pm_heap *h) {
    pm_type *t = range_type(h);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "range";
    t->tp_basicsize = PM_RANGE_BASICSIZE;
    t->tp_itemsize = 0;
    t->tp_flags = PM_TPFLAGS_IMMUTABLETYPE;     /* not GC, not subclassable */
    t->type_id = PM_T_RANGE;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = range_dealloc;
    t->tp_hash = range_hash;
    t->tp_eq = range_eq;
    t->tp_repr = range_repr;
    t->tp_refs = range_refs;
    return PM_OK;
}
