/* vmapi.c — the interpreter's fast entry points (web/interp/vm.js).
 *
 * The VM holds raw object addresses it owns references to, so these calls
 * do not validate handles the way objapi.c does (an address the VM holds
 * is live by construction: it holds a reference). Only the heap handle is
 * checked. Each call clears the pending exception first; a failing call
 * returns 0 (or -1) with the exception left in the heap, read with
 * pmw_exc_kind / pmw_exc_msg.
 *
 * The operations mirror CPython 3.12's abstract object layer for the
 * subset's built-in types: PyNumber_* (BINARY_OP), PyObject_RichCompare
 * (COMPARE_OP), PyObject_IsTrue, PyObject_Str / PyObject_Repr,
 * PyObject_GetItem / SetItem / DelItem, PySequence_Contains, len().
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../longobject.h"
#include "../floatobject.h"
#include "../unicodeobject.h"
#include "../bytesobject.h"
#include "../tupleobject.h"
#include "../listobject.h"
#include "../dictobject.h"
#include "../setobject.h"
#include "../rangeobject.h"
#include "../typeobject.h"
#include "../genobject.h"
#include "../gc.h"
#include "../frame.h"
#include "../dictviewobject.h"
#include "api.h"

#define O(p) ((pm_object *)(uintptr_t)(p))
#define U(o) ((uint32_t)(uintptr_t)(o))

static pm_heap *vm_enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return NULL;
    pm_err_clear(h);
    return h;
}

static int is_type(pm_heap *h, pm_object *o, pm_type_id id) { return PM_TYPE(o) == &h->os->types[id]; }
static int is_anyset(pm_heap *h, pm_object *o) { return is_type(h, o, PM_T_SET) || is_type(h, o, PM_T_FROZENSET); }
static int is_int(pm_heap *h, pm_object *o) { return is_type(h, o, PM_T_INT) || is_type(h, o, PM_T_BOOL); }
static int is_float(pm_heap *h, pm_object *o) { return is_type(h, o, PM_T_FLOAT); }

/* Py_INCREF / Py_DECREF on an address the VM owns. */
EXPORT void pmw_vm_incref(uint32_t op) { pm_incref(O(op)); }
EXPORT void pmw_vm_decref(uint32_t hp, uint32_t op) {
    pm_heap *h = pmw_live_heap(hp);
    if (h && op) pm_decref(h, O(op));
}
EXPORT uint32_t pmw_vm_refcnt(uint32_t op) { return (uint32_t)O(op)->ob_refcnt; }
/* type(o), borrowed. */
EXPORT uint32_t pmw_vm_type(uint32_t op) { return U(PM_TYPE(O(op))); }
/* type(o)'s pm_type_id (PM_T__COUNT for user classes). */
EXPORT int32_t pmw_vm_type_id(uint32_t op) { return (int32_t)PM_TYPE(O(op))->type_id; }
/* The built-in type object with id `id`, borrowed. */
EXPORT uint32_t pmw_vm_builtin_type(uint32_t hp, int32_t id) {
    pm_heap *h = vm_enter(hp);
    if (!h || id < 0 || id >= PM_T__COUNT) return 0;
    return U(&h->os->types[id]);
}
/* type.__base__ (borrowed, 0 for object) and tp_name. */
EXPORT uint32_t pmw_vm_type_base(uint32_t tp) { return U(((pm_type *)(uintptr_t)tp)->tp_base); }
EXPORT uint32_t pmw_vm_type_name(uint32_t tp) { return U(((pm_type *)(uintptr_t)tp)->tp_name); }
/* issubclass(a, b) for two type objects. */
EXPORT int32_t pmw_vm_is_subtype(uint32_t a, uint32_t b) {
    return pm_type_is_subtype((pm_type *)(uintptr_t)a, (pm_type *)(uintptr_t)b);
}
/* _PyType_Lookup: borrowed or 0. */
EXPORT uint32_t pmw_vm_lookup(uint32_t hp, uint32_t tp, uint32_t namep) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    return U(pm_type_lookup(h, (pm_type *)(uintptr_t)tp, O(namep)));
}
/* Does type(o) have a tp_descr_get (a function, for method loads)? */
EXPORT int32_t pmw_vm_has_descr_get(uint32_t op) { return PM_TYPE(O(op))->tp_descr_get != NULL; }
/* descr.__get__(obj, type(obj)): new reference. */
EXPORT uint32_t pmw_vm_descr_get(uint32_t hp, uint32_t dp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *d = O(dp), *o = op ? O(op) : NULL;
    return U(PM_TYPE(d)->tp_descr_get(h, d, o, o ? PM_TYPE(o) : NULL));
}

static pm_object *unsupported(pm_heap *h, const char *sym, pm_object *a, pm_object *b) {
    pm_err_set(h, PM_EXC_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", sym,
               PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
    return NULL;
}

static const char *const NB_SYMS[] = { "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^" };

static pm_object *seq_repeat(pm_heap *h, pm_object *seq, pm_object *n) {
    int64_t k = pm_long_as_int64(h, n);
    if (k == -1 && pm_err_occurred(h)) return NULL;
    if (is_type(h, seq, PM_T_STR)) return pm_unicode_repeat(h, seq, k);
    if (is_type(h, seq, PM_T_LIST)) return pm_list_repeat(h, seq, k);
    return pm_tuple_repeat(h, seq, k);
}

static int is_seq(pm_heap *h, pm_object *o) {
    return is_type(h, o, PM_T_STR) || is_type(h, o, PM_T_LIST) || is_type(h, o, PM_T_TUPLE);
}

/* BINARY_OP oparg (NB_ADD 0 .. NB_XOR 12, in-place forms 13..25): new reference. */
EXPORT uint32_t pmw_vm_binop(uint32_t hp, int32_t op, uint32_t ap, uint32_t bp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *a = O(ap), *b = O(bp);
    int inplace = op >= 13;
    if (inplace) op -= 13;
    if (op < 0 || op > 12) return pm_err_set(h, PM_EXC_ValueError, "bad binary op %d", op), 0;
    const char *sym = NB_SYMS[op];
    char isym[4];
    if (inplace) {
        size_t n = 0;
        while (sym[n] && n < 2) { isym[n] = sym[n]; n++; }
        isym[n] = '=';
        isym[n + 1] = 0;
        sym = isym;
    }
    if ((op == 1 || op == 7 || op == 10 || op == 12) && (pm_dictview_set_check(h, a) || pm_dictview_set_check(h, b)))
        return U(pm_dictview_binop(h, op, a, b));   /* dict_keys / dict_items number slots (no in-place forms) */
    if (is_int(h, a) && is_int(h, b)) {
        switch (op) {
        case 0: return U(pm_long_add(h, a, b));
        case 1: return U(pm_long_and(h, a, b));
        case 2: return U(pm_long_floordiv(h, a, b));
        case 3: return U(pm_long_lshift(h, a, b));
        case 5: return U(pm_long_mul(h, a, b));
        case 6: return U(pm_long_mod(h, a, b));
        case 7: return U(pm_long_or(h, a, b));
        case 8: return U(pm_long_pow(h, a, b));
        case 9: return U(pm_long_rshift(h, a, b));
        case 10: return U(pm_long_sub(h, a, b));
        case 11: return U(pm_long_truediv(h, a, b));
        case 12: return U(pm_long_xor(h, a, b));
        default: return U(unsupported(h, sym, a, b));
        }
    }
    if ((is_float(h, a) || is_int(h, a)) && (is_float(h, b) || is_int(h, b))) {
        switch (op) {
        case 0: return U(pm_float_add(h, a, b));
        case 2: return U(pm_float_floordiv(h, a, b));
        case 5: return U(pm_float_mul(h, a, b));
        case 6: return U(pm_float_mod(h, a, b));
        case 8: return U(pm_float_pow(h, a, b));
        case 10: return U(pm_float_sub(h, a, b));
        case 11: return U(pm_float_truediv(h, a, b));
        default: return U(unsupported(h, sym, a, b));
        }
    }
    if (is_anyset(h, a) && is_anyset(h, b) && (op == 1 || op == 7 || op == 10 || op == 12)) {
        if (inplace && is_type(h, a, PM_T_SET)) {   /* set_iand / set_ior / set_isub / set_ixor: update, return self */
            int rc = op == 1 ? pm_set_intersection_update(h, a, b) : op == 7 ? pm_set_update(h, a, b)
                   : op == 10 ? pm_set_difference_update(h, a, b) : pm_set_symmetric_difference_update(h, a, b);
            return rc < 0 ? 0 : U(pm_newref(a));
        }
        /* set_and / set_or / set_sub / set_xor */
        return U(op == 1 ? pm_set_and(h, a, b) : op == 7 ? pm_set_or(h, a, b) : op == 10 ? pm_set_sub(h, a, b) : pm_set_xor(h, a, b));
    }
    if (op == 0 && is_type(h, a, PM_T_STR) && is_type(h, b, PM_T_STR)) return U(pm_unicode_concat(h, a, b));
    if (op == 0 && is_type(h, a, PM_T_LIST) && is_type(h, b, PM_T_LIST)) {
        if (inplace) {     /* list_inplace_concat: extend, return self */
            if (pm_list_extend(h, a, b) < 0) return 0;
            return U(pm_newref(a));
        }
        return U(pm_list_concat(h, a, b));
    }
    if (op == 0 && is_type(h, a, PM_T_TUPLE) && is_type(h, b, PM_T_TUPLE)) return U(pm_tuple_concat(h, a, b));
    if (op == 5 && is_seq(h, a) && is_int(h, b)) return U(seq_repeat(h, a, b));
    if (op == 5 && is_int(h, a) && is_seq(h, b)) return U(seq_repeat(h, b, a));
    if (op == 5 && (is_seq(h, a) || is_seq(h, b))) {
        pm_err_set(h, PM_EXC_TypeError, "can't multiply sequence by non-int of type '%s'",
                   PM_TYPE(is_seq(h, a) ? b : a)->tp_name);
        return 0;
    }
    if (op == 0 && is_type(h, a, PM_T_STR)) {
        pm_err_set(h, PM_EXC_TypeError, "can only concatenate str (not \"%s\") to str", PM_TYPE(b)->tp_name);
        return 0;
    }
    if (op == 0 && is_type(h, a, PM_T_LIST)) {
        pm_err_set(h, PM_EXC_TypeError, "can only concatenate list (not \"%s\") to list", PM_TYPE(b)->tp_name);
        return 0;
    }
    return U(unsupported(h, sym, a, b));
}

/* UNARY_NEGATIVE 0, UNARY_INVERT 1, unary + 2: new reference. */
EXPORT uint32_t pmw_vm_unary(uint32_t hp, int32_t op, uint32_t ap) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *a = O(ap);
    static const char *const syms[] = { "unary -", "unary ~", "unary +" };
    if (is_int(h, a)) return U(op == 0 ? pm_long_neg(h, a) : op == 1 ? pm_long_invert(h, a) : pm_long_pos(h, a));
    if (is_float(h, a) && op != 1) return U(op == 0 ? pm_float_neg(h, a) : pm_float_pos(h, a));
    pm_err_set(h, PM_EXC_TypeError, "bad operand type for %s: '%s'", syms[op % 3], PM_TYPE(a)->tp_name);
    return 0;
}

/* PyObject_IsTrue: 1, 0 or -1 (pm_object_is_true). */
EXPORT int32_t pmw_vm_truth(uint32_t hp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    return pm_object_is_true(h, O(op));
}

static pm_object *text_to_str(pm_heap *h, pm_strbuf *sb, int rc) {
    if (rc < 0 || sb->failed) {
        if (sb->failed) pm_err_nomem(h);
        _pm_strbuf_free(sb);
        return NULL;
    }
    pm_object *s = pm_unicode_from_utf8(h, sb->buf ? sb->buf : "", sb->len);
    _pm_strbuf_free(sb);
    return s;
}

/* PyObject_Repr: new str. */
EXPORT uint32_t pmw_vm_repr(uint32_t hp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    return U(text_to_str(h, &sb, pm_object_repr(h, O(op), &sb)));
}

/* PyObject_Str for the built-in types: a str is returned as is. */
EXPORT uint32_t pmw_vm_str(uint32_t hp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *o = O(op);
    if (is_type(h, o, PM_T_STR)) return U(pm_newref(o));
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    return U(text_to_str(h, &sb, pm_object_repr(h, o, &sb)));
}

/* The int index k of sequence o: 0, or -1 with TypeError (not an int) or
 * OverflowError set. */
static int index_of(pm_heap *h, pm_object *o, pm_object *k, int64_t *out) {
    if (!is_int(h, k)) {
        pm_err_set(h, PM_EXC_TypeError, "%s indices must be integers or slices, not %s", PM_TYPE(o)->tp_name,
                   PM_TYPE(k)->tp_name);
        return -1;
    }
    *out = pm_long_as_int64(h, k);
    return pm_err_occurred(h) ? -1 : 0;
}

/* PyObject_GetItem (BINARY_SUBSCR): new reference. */
EXPORT uint32_t pmw_vm_getitem(uint32_t hp, uint32_t op, uint32_t kp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *o = O(op), *k = O(kp);
    int64_t i;
    if (is_type(h, o, PM_T_DICT)) return U(pm_dict_subscript(h, o, k));
    if (is_type(h, o, PM_T_LIST) || is_type(h, o, PM_T_TUPLE) || is_type(h, o, PM_T_STR)) {
        if (index_of(h, o, k, &i) < 0) return 0;
        if (is_type(h, o, PM_T_LIST)) return U(pm_list_getitem(h, o, i));
        if (is_type(h, o, PM_T_TUPLE)) return U(pm_tuple_getitem(h, o, i));
        return U(pm_unicode_getitem(h, o, i));
    }
    if (is_type(h, o, PM_T_RANGE)) return U(pm_range_getitem(h, o, k));
    pm_err_set(h, PM_EXC_TypeError, "'%s' object is not subscriptable", PM_TYPE(o)->tp_name);
    return 0;
}

/* PyObject_SetItem (STORE_SUBSCR): 0 or -1. */
EXPORT int32_t pmw_vm_setitem(uint32_t hp, uint32_t op, uint32_t kp, uint32_t vp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    pm_object *o = O(op), *k = O(kp), *v = O(vp);
    int64_t i;
    if (is_type(h, o, PM_T_DICT)) return pm_dict_setitem(h, o, k, v);
    if (is_type(h, o, PM_T_LIST)) {
        if (index_of(h, o, k, &i) < 0) return -1;
        return pm_list_setitem(h, o, i, v);
    }
    pm_err_set(h, PM_EXC_TypeError, "'%s' object does not support item assignment", PM_TYPE(o)->tp_name);
    return -1;
}

/* PyObject_DelItem (DELETE_SUBSCR): 0 or -1. */
EXPORT int32_t pmw_vm_delitem(uint32_t hp, uint32_t op, uint32_t kp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    pm_object *o = O(op), *k = O(kp);
    int64_t i;
    if (is_type(h, o, PM_T_DICT)) return pm_dict_delitem(h, o, k);
    if (is_type(h, o, PM_T_LIST)) {
        if (index_of(h, o, k, &i) < 0) return -1;
        return pm_list_delitem(h, o, i);
    }
    pm_err_set(h, PM_EXC_TypeError, "'%s' object doesn't support item deletion", PM_TYPE(o)->tp_name);
    return -1;
}

/* PySequence_Contains (CONTAINS_OP): 1, 0 or -1. */
EXPORT int32_t pmw_vm_contains(uint32_t hp, uint32_t cp, uint32_t vp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    pm_object *c = O(cp), *v = O(vp);
    int k = pm_dictview_kind(h, c);
    if (k >= 0) return pm_dictview_contains(h, c, v);
    if (is_type(h, c, PM_T_DICT) || is_type(h, c, PM_T_SET) || is_type(h, c, PM_T_FROZENSET) ||
        is_type(h, c, PM_T_LIST) || is_type(h, c, PM_T_TUPLE))
        return pm_object_contains(h, c, v);
    pm_err_set(h, PM_EXC_TypeError, "argument of type '%s' is not iterable", PM_TYPE(c)->tp_name);
    return -1;
}

/* COMPARE_OP (PM_CMP_*): a new bool. Identity first for == and != of
 * objects without a richer comparison, as object's default does. */
EXPORT uint32_t pmw_vm_compare(uint32_t hp, int32_t op, uint32_t ap, uint32_t bp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *a = O(ap), *b = O(bp);
    int r;
    static const char *const syms[] = { "<", "<=", "==", "!=", ">", ">=" };
    if (is_int(h, a) && is_int(h, b)) r = pm_long_richcompare(h, a, b, op);
    else if ((is_float(h, a) || is_int(h, a)) && (is_float(h, b) || is_int(h, b))) r = pm_float_richcompare(h, a, b, op);
    else if (is_type(h, a, PM_T_STR) && is_type(h, b, PM_T_STR)) {
        int c = pm_unicode_compare(h, a, b);
        switch (op) {
        case PM_CMP_LT: r = c < 0; break;
        case PM_CMP_LE: r = c <= 0; break;
        case PM_CMP_EQ: r = c == 0; break;
        case PM_CMP_NE: r = c != 0; break;
        case PM_CMP_GT: r = c > 0; break;
        default: r = c >= 0; break;
        }
    } else if ((pm_dictview_set_check(h, a) || pm_dictview_set_check(h, b)) &&
               (r = pm_dictview_richcompare(h, a, b, op)) != PM_NOTIMPL) {
        if (r < 0) return 0;
    } else if (is_anyset(h, a) && is_anyset(h, b) && op != PM_CMP_EQ && op != PM_CMP_NE) {
        /* set_richcompare: subset tests, strict ones also compare the sizes */
        int64_t na = ((pm_setobject *)a)->used, nb = ((pm_setobject *)b)->used;
        switch (op) {
        case PM_CMP_LT: r = na < nb ? pm_set_issubset(h, a, b) : 0; break;
        case PM_CMP_LE: r = pm_set_issubset(h, a, b); break;
        case PM_CMP_GT: r = na > nb ? pm_set_issubset(h, b, a) : 0; break;
        default: r = pm_set_issubset(h, b, a); break;
        }
    } else if (op == PM_CMP_EQ || op == PM_CMP_NE) {
        r = pm_object_eq(h, a, b);
        if (r < 0) return 0;
        if (op == PM_CMP_NE) r = !r;
    } else {
        pm_err_set(h, PM_EXC_TypeError, "'%s' not supported between instances of '%s' and '%s'", syms[op],
                   PM_TYPE(a)->tp_name, PM_TYPE(b)->tp_name);
        return 0;
    }
    if (r < 0) return 0;
    return U(pm_bool_from_long(h, r));
}

/* len(o): >= 0, or -1 with TypeError. */
EXPORT double pmw_vm_len(uint32_t hp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    pm_object *o = O(op);
    if (is_type(h, o, PM_T_LIST) || is_type(h, o, PM_T_TUPLE) || is_type(h, o, PM_T_BYTES)) return (double)PM_SIZE(o);
    if (is_type(h, o, PM_T_STR)) return (double)pm_unicode_length(h, o);
    if (is_type(h, o, PM_T_DICT)) return (double)pm_dict_len(h, o);
    if (is_type(h, o, PM_T_RANGE)) return (double)pm_range_length(h, o);
    if (is_type(h, o, PM_T_SET) || is_type(h, o, PM_T_FROZENSET)) return (double)((pm_setobject *)o)->used;
    if (pm_dictview_kind(h, o) >= 0) return (double)pm_dictview_len(h, o);
    pm_err_set(h, PM_EXC_TypeError, "object of type '%s' has no len()", PM_TYPE(o)->tp_name);
    return -1;
}

/* Item i of a range being iterated: new reference. rangeiter_next (3.12):
 * when start and step fit in a C long the item is computed in C and one int
 * is made (PyLong_FromLong); else pm_range_item's int arithmetic. Below
 * three 30-bit digits an int fits in int64 without an overflow check. */
static pm_object *range_iter_item(pm_heap *h, pm_object *o, int64_t i) {
    pm_range *r = (pm_range *)o;
    if (pm_long_digit_count(r->start) <= 2 && pm_long_digit_count(r->step) <= 2) {
        int64_t start = pm_long_as_int64(h, r->start), step = pm_long_as_int64(h, r->step), v;
        if (!__builtin_mul_overflow(i, step, &v) && !__builtin_add_overflow(start, v, &v))
            return pm_long_from_int64(h, v);
    }
    return pm_range_item(h, o, i);
}

/* Item idx of a list, tuple, str or range for the VM's iterators: a new
 * reference, or 0 with no exception when idx is past the end. */
EXPORT uint32_t pmw_vm_iter_item(uint32_t hp, uint32_t op, double idx) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *o = O(op);
    int64_t i = (int64_t)idx;
    if (is_type(h, o, PM_T_LIST)) return i < PM_SIZE(o) ? U(pm_newref(((pm_list *)o)->ob_item[i])) : 0;
    if (is_type(h, o, PM_T_TUPLE)) return i < PM_SIZE(o) ? U(pm_newref(((pm_tuple *)o)->ob_item[i])) : 0;
    if (is_type(h, o, PM_T_STR)) return i < pm_unicode_length(h, o) ? U(pm_unicode_getitem(h, o, i)) : 0;
    if (is_type(h, o, PM_T_RANGE)) return i < pm_range_length(h, o) ? U(range_iter_item(h, o, i)) : 0;
    pm_err_set(h, PM_EXC_TypeError, "'%s' object is not iterable", PM_TYPE(o)->tp_name);
    return 0;
}

/* The value of an int as a double (exact below 2**53). */
EXPORT double pmw_vm_int_value(uint32_t hp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    return h ? pm_long_as_double(h, O(op)) : 0;
}

/* getattr / setattr (PyObject_GetAttr / SetAttr; value 0 deletes). */
EXPORT uint32_t pmw_vm_getattr(uint32_t hp, uint32_t op, uint32_t namep) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    return U(pm_object_getattr(h, O(op), O(namep)));
}
EXPORT int32_t pmw_vm_setattr(uint32_t hp, uint32_t op, uint32_t namep, uint32_t vp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    return pm_object_setattr(h, O(op), O(namep), vp ? O(vp) : NULL);
}

/* A new set from n items at `items` (BUILD_SET), or {} (BUILD_MAP) from 2n. */
EXPORT uint32_t pmw_vm_build_set(uint32_t hp, uint32_t items, int32_t n) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    if (n < 0) return 0;
    pm_object *s = pm_set_new(h, NULL);
    if (s && pmw_set_add_handles(h, s, (const uint32_t *)(uintptr_t)items, (uint32_t)n) < 0) PM_CLEAR(h, s);
    return U(s);
}

/* The running generator's frame state (pm_gen_state). */
EXPORT int32_t pmw_vm_gen_state(uint32_t gp) { return pm_gen_state(O(gp)); }

/* object(): a bare instance of object (16 bytes, untracked). */
EXPORT uint32_t pmw_vm_object_new(uint32_t hp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    return U(pm_object_alloc(h, &h->os->types[PM_T_OBJECT], 0));
}

/* range(start, stop, step) of three ints: new reference. */
EXPORT uint32_t pmw_vm_range_new(uint32_t hp, uint32_t a, uint32_t b, uint32_t c) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    return U(pm_range_new(h, O(a), O(b), O(c)));
}

/* _PyTuple_MaybeUntrack, for the code object's constant tuples. */
EXPORT void pmw_vm_tuple_maybe_untrack(uint32_t hp, uint32_t tp) {
    pm_heap *h = vm_enter(hp);
    if (h && is_type(h, O(tp), PM_T_TUPLE)) _pm_tuple_maybe_untrack(h, O(tp));
}

/* SET_UPDATE with a set or frozenset (set_update_internal -> set_merge). */
EXPORT int32_t pmw_vm_set_update(uint32_t hp, uint32_t sp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    return pm_set_update(h, O(sp), O(op));
}

/* ---- Hot paths of the eval loop ------------------------------------------------
 * The VM reads a few fields from linear memory itself instead of calling in
 * for them: ob_refcnt (Py_INCREF / Py_DECREF that do not reach zero),
 * ob_type->type_id, and the collector's `scheduled` flag (the eval breaker's
 * gc bit). pmw_vm_layout tells it where they are. */

/* i = 0: offsetof(pm_object, ob_type); 1: offsetof(pm_type, type_id);
 * 2: PM_SCRATCH_BYTES; -1 for any other i. */
EXPORT int32_t pmw_vm_layout(int32_t i) {
    switch (i) {
    case 0: return (int32_t)offsetof(pm_object, ob_type);
    case 1: return (int32_t)offsetof(pm_type, type_id);
    case 2: return PM_SCRATCH_BYTES;
    default: return -1;
    }
}

/* The address of the heap's gc `scheduled` flag (an int: non-zero when the
 * eval breaker should collect), 0 for a dead heap. */
EXPORT uint32_t pmw_vm_gc_flag(uint32_t hp) {
    pm_heap *h = vm_enter(hp);
    return h ? U(&h->os->gc->scheduled) : 0;
}

/* BUILD_LIST / BUILD_TUPLE (bytecodes.c): a new list or tuple that steals
 * the n references at `items` (_PyList_FromArraySteal /
 * _PyTuple_FromArraySteal); on failure they are released and 0 returned. */
EXPORT uint32_t pmw_vm_build_list(uint32_t hp, uint32_t items, int32_t n) {
    pm_heap *h = vm_enter(hp);
    if (!h || n < 0) return 0;
    return U(pm_list_from_array_steal(h, (pm_object *const *)(uintptr_t)items, n));
}
EXPORT uint32_t pmw_vm_build_tuple(uint32_t hp, uint32_t items, int32_t n) {
    pm_heap *h = vm_enter(hp);
    if (!h || n < 0) return 0;
    return U(pm_tuple_from_array_steal(h, (pm_object *const *)(uintptr_t)items, n));
}

/* LOAD_GLOBAL (_PyDict_LoadGlobal): globals[name], else builtins[name], a
 * new reference; 0 with no exception when neither has it (the VM raises
 * NameError), 0 with one when hashing or comparing failed. */
EXPORT uint32_t pmw_vm_load_global(uint32_t hp, uint32_t gp, uint32_t bp, uint32_t namep) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    pm_object *v = pm_dict_getitem(h, O(gp), O(namep));
    if (!v && !pm_err_occurred(h)) v = pm_dict_getitem(h, O(bp), O(namep));
    return v ? U(pm_newref(v)) : 0;
}

/* next(gen) for the VM's generators (vm.js genNext): gen_send_ex2 with no
 * value, as pmw_gen_send(h, gen, 0) + pmw_frame_pop_value do it: the None
 * pm_gen_send pushes on the generator's frame is popped and released here
 * (the VM keeps its frames' value stacks itself). 0 = running, 1 =
 * exhausted, < 0 = error (the exception or status is set). */
EXPORT int32_t pmw_vm_gen_resume(uint32_t hp, uint32_t gp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    pm_object *g = O(gp);
    int st = pm_gen_send(h, g, NULL);
    if (st == 0) pm_xdecref(h, pm_frame_pop_value(h, pm_gen_frame(g)));
    return pmw_finish(h, st, 1);
}

/* YIELD_VALUE: the generator goes back to SUSPENDED (pm_gen_suspend). */
EXPORT int32_t pmw_vm_gen_suspend(uint32_t hp, uint32_t gp) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    return pmw_finish(h, pm_gen_suspend(h, O(gp)), 1);
}

/* d.keys() / d.values() / d.items() (kind 0, 1, 2): a new view. */
EXPORT uint32_t pmw_vm_dictview_new(uint32_t hp, uint32_t dp, int32_t kind) {
    pm_heap *h = vm_enter(hp);
    if (!h) return 0;
    return U(pm_dictview_new(h, O(dp), kind));
}

/* view.isdisjoint(other) for a keys or items view: 1, 0 or -1. */
EXPORT int32_t pmw_vm_dictview_isdisjoint(uint32_t hp, uint32_t vp, uint32_t op) {
    pm_heap *h = vm_enter(hp);
    if (!h) return -1;
    if (!pm_dictview_set_check(h, O(vp))) {
        pm_err_set(h, PM_EXC_TypeError, "isdisjoint() needs a dict_keys or dict_items view");
        return -1;
    }
    return pm_dictview_isdisjoint(h, O(vp), O(op));
}
