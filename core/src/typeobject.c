/* typeobject.c — heap types (user classes), their instances, generic
 * attribute access, member and getset descriptors. See typeobject.h.
 *
 * Mirrors CPython 3.12: Objects/typeobject.c (type_new and its helpers,
 * type_ready's dict filling, _PyType_Lookup, type_getattro, type_setattro,
 * type_dealloc/traverse/clear, type___sizeof__, object_new, subtype_dealloc,
 * subtype_traverse, subtype_clear, clear_slots, subtype_dict/setdict,
 * subtype_getweakref), Objects/object.c (_PyObject_GenericGetAttrWithDict,
 * _PyObject_GenericSetAttrWithDict, PyObject_GenericGetDict) and
 * Objects/descrobject.c (member_get/set, getset_get/set, descr_dealloc).
 */
#include "typeobject.h"
#include "dictviewobject.h"
#include "unicodeobject.h"
#include "tupleobject.h"
#include "longobject.h"
#include "floatobject.h"
#include "rangeobject.h"
#include "setobject.h"
#include "descrobject.h"
#include "listobject.h"
#include "weakrefobject.h"

_Static_assert(sizeof(pm_heaptype) <= PM_HEAPTYPE_BASICSIZE, "heap type larger than the model's 920 bytes");
_Static_assert(sizeof(pm_descr) <= PM_DESCR_BASICSIZE, "descriptor larger than the model's 48 bytes");
_Static_assert(sizeof(pm_object) == 16, "slots sit at model offsets: the host header must be 16 bytes");
_Static_assert(sizeof(pm_object *) <= PM_SLOT_SIZE, "a slot pointer must fit its 8-byte model member");

static void subtype_dealloc(pm_heap *h, pm_object *self);
static int type_clear(pm_heap *h, pm_object *o);
static int subtype_traverse(pm_heap *h, pm_object *self, pm_visitproc visit, void *arg);
static int subtype_clear(pm_heap *h, pm_object *self);

#define HT(t) ((pm_heaptype *)(t))
#define SLOT(o, off) ((pm_object **)((char *)(o) + (off)))

static pm_type *type_type(pm_heap *h) { return pm_builtin_type(h, PM_T_TYPE); }
static pm_type *object_type(pm_heap *h) { return pm_builtin_type(h, PM_T_OBJECT); }

int pm_object_is_type(pm_heap *h, pm_object *o) { return pm_type_is_subtype(PM_TYPE(o), type_type(h)); }

int pm_type_is_subtype(pm_type *a, pm_type *b) {
    for (; a; a = a->tp_base)
        if (a == b) return 1;
    return 0;
}

/* Interned identifiers (immortal in 3.12), made once per heap with the
 * first class, so that attribute paths never allocate a temporary str. */
enum {
    ID_MODULE, ID_QUALNAME, ID_DOC, ID_SLOTS, ID_DICT, ID_WEAKREF, ID_DEL, ID_BUILTINS, ID_CLASSCELL,
    ID_NAME, ID_MRO, ID_BASES, ID_BASE, ID_CLASS, ID__COUNT
};
static const char *const ident_text[ID__COUNT] = {
    "__module__", "__qualname__", "__doc__", "__slots__", "__dict__", "__weakref__", "__del__", "builtins",
    "__classcell__", "__name__", "__mro__", "__bases__", "__base__", "__class__",
};
_Static_assert(ID__COUNT <= sizeof ((pm_objstate *)0)->type_idents / sizeof(pm_object *), "pm_objstate.type_idents too small");

static int idents_init(pm_heap *h) {
    pm_object **ids = h->os->type_idents;
    for (int i = 0; i < ID__COUNT; i++)
        if (!ids[i] && !(ids[i] = pm_unicode_intern_from_string(h, ident_text[i]))) return -1;
    return 0;
}

/* Only after idents_init succeeded (every path here starts from a class). */
static pm_object *ident(pm_heap *h, int id) { return h->os->type_idents[id]; }

/* The UTF-8 of a str for messages (a static fallback if it cannot be had). */
static const char *name_utf8(pm_heap *h, pm_object *name, pm_strbuf *sb) {
    _pm_strbuf_init(sb, h);
    if (pm_unicode_check(h, name)) pm_unicode_write_utf8(h, name, sb);
    return sb->buf && !sb->failed ? sb->buf : "?";
}

void _pm_err_no_attribute(pm_heap *h, const char *tp_name, pm_object *name) {
    pm_strbuf sb;
    const char *n = name_utf8(h, name, &sb);
    pm_err_set(h, PM_EXC_AttributeError, "'%s' object has no attribute '%s'", tp_name, n);
    _pm_strbuf_free(&sb);
}

static void err_type_no_attribute(pm_heap *h, pm_type *t, pm_object *name) {
    pm_strbuf sb;
    const char *n = name_utf8(h, name, &sb);
    pm_err_set(h, PM_EXC_AttributeError, "type object '%s' has no attribute '%s'", t->tp_name, n);
    _pm_strbuf_free(&sb);
}

/* PyObject_GetAttr's name check. */
static int check_name(pm_heap *h, pm_object *name) {
    if (pm_unicode_check(h, name)) return 0;
    pm_err_set(h, PM_EXC_TypeError, "attribute name must be string, not '%s'", PM_TYPE(name)->tp_name);
    return -1;
}

/* ---- _PyType_Lookup ------------------------------------------------------------------------ */

pm_object *pm_type_lookup(pm_heap *h, pm_type *type, pm_object *name) {
    if (!pm_type_is_heaptype_obj(type)) return NULL;          /* static types: no dict in the model */
    pm_object *mro = HT(type)->tp_mro;
    if (!mro) {                                               /* cleared (type_clear): own dict only */
        pm_object *d = HT(type)->tp_dict;
        return d ? pm_dict_getitem(h, d, name) : NULL;
    }
    for (int64_t i = 0; i < PM_SIZE(mro); i++) {
        pm_type *base = (pm_type *)PM_TUPLE_ITEMS(mro)[i];
        if (!pm_type_is_heaptype_obj(base) || !HT(base)->tp_dict) continue;
        pm_object *res = pm_dict_getitem(h, HT(base)->tp_dict, name);
        if (res) return res;
    }
    return NULL;
}

/* ---- Descriptors (descrobject.c) --------------------------------------------------------------- */

/* descr_new: tracked, holding the class and an interned name. */
static pm_object *descr_new(pm_heap *h, pm_type_id kind, pm_type *owner, pm_object *name, uint32_t offset) {
    pm_descr *d = (pm_descr *)pm_object_alloc(h, pm_builtin_type(h, kind), 0);
    if (!d) return NULL;
    d->d_type = (pm_type *)pm_newref((pm_object *)owner);
    d->d_name = pm_newref(name);
    d->d_qualname = NULL;
    d->d_offset = offset;
    pm_gc_track(h, (pm_object *)d);
    return (pm_object *)d;
}

static void descr_dealloc(pm_heap *h, pm_object *o) {
    pm_descr *d = (pm_descr *)o;
    pm_gc_untrack(h, o);
    pm_xdecref(h, (pm_object *)d->d_type);
    pm_xdecref(h, d->d_name);
    pm_xdecref(h, d->d_qualname);
    pm_object_free(h, o);
}

static int descr_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_descr *d = (pm_descr *)o;
    return d->d_type ? visit((pm_object *)d->d_type, arg) : 0;
}

static int descr_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_descr *d = (pm_descr *)o;
    pm_strbuf nb;
    const char *n = name_utf8(h, d->d_name, &nb);
    _pm_strbuf_printf(sb, "<%s '%s' of '%s' objects>", PM_TYPE(o)->type_id == PM_T_MEMBER_DESCR ? "member" : "attribute",
                      n, d->d_type->tp_name);
    _pm_strbuf_free(&nb);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* descr_check: obj must be an instance of the descriptor's class. */
static int descr_check(pm_heap *h, pm_descr *d, pm_object *obj) {
    if (pm_type_is_subtype(PM_TYPE(obj), d->d_type)) return 0;
    pm_strbuf sb;
    const char *n = name_utf8(h, d->d_name, &sb);
    pm_err_set(h, PM_EXC_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", n,
               d->d_type->tp_name, PM_TYPE(obj)->tp_name);
    _pm_strbuf_free(&sb);
    return -1;
}

/* member_get: a __slots__ member (T_OBJECT_EX). */
static pm_object *member_get(pm_heap *h, pm_object *descr, pm_object *obj, pm_type *type) {
    (void)type;
    pm_descr *d = (pm_descr *)descr;
    if (!obj) return pm_newref(descr);
    if (descr_check(h, d, obj) < 0) return NULL;
    pm_object *v = *SLOT(obj, d->d_offset);
    if (!v) {
        _pm_err_no_attribute(h, PM_TYPE(obj)->tp_name, d->d_name);
        return NULL;
    }
    return pm_newref(v);
}

/* member_set (PyMember_SetOne, T_OBJECT_EX): deleting an empty slot is
 * AttributeError(name). */
static int member_set(pm_heap *h, pm_object *descr, pm_object *obj, pm_object *value) {
    pm_descr *d = (pm_descr *)descr;
    if (descr_check(h, d, obj) < 0) return -1;
    pm_object **slot = SLOT(obj, d->d_offset), *old = *slot;
    if (!value && !old) {
        pm_strbuf sb;
        const char *n = name_utf8(h, d->d_name, &sb);
        pm_err_set(h, PM_EXC_AttributeError, "%s", n);
        _pm_strbuf_free(&sb);
        return -1;
    }
    *slot = value ? pm_newref(value) : NULL;
    pm_xdecref(h, old);
    return 0;
}

/* getset_get for the __dict__ (subtype_dict) and __weakref__
 * (subtype_getweakref) descriptors. */
static pm_object *getset_get(pm_heap *h, pm_object *descr, pm_object *obj, pm_type *type) {
    (void)type;
    pm_descr *d = (pm_descr *)descr;
    if (!obj) return pm_newref(descr);
    if (descr_check(h, d, obj) < 0) return NULL;
    if (d->d_offset == PM_GETSET_DICT) return pm_object_get_dict(h, obj);
    pm_object **wl = pm_object_weaklist(obj);
    if (!wl) {
        pm_err_set(h, PM_EXC_AttributeError, "This object has no __weakref__");
        return NULL;
    }
    return pm_newref(*wl ? *wl : PM_NONE(h));
}

static int getset_set(pm_heap *h, pm_object *descr, pm_object *obj, pm_object *value) {
    pm_descr *d = (pm_descr *)descr;
    if (descr_check(h, d, obj) < 0) return -1;
    if (d->d_offset == PM_GETSET_DICT) return pm_object_set_dict(h, obj, value);
    pm_err_set(h, PM_EXC_AttributeError, "attribute '__weakref__' of '%s' objects is not writable", d->d_type->tp_name);
    return -1;
}

/* ---- Instances: object_new ------------------------------------------------------------------------ */

pm_object *pm_instance_new(pm_heap *h, pm_object *cls) {
    if (!pm_object_is_type(h, cls) || !pm_type_is_heaptype_obj((pm_type *)cls)) {
        pm_err_set(h, PM_EXC_TypeError, "cannot create '%s' instances: not a class made by the model",
                   pm_object_is_type(h, cls) ? ((pm_type *)cls)->tp_name : PM_TYPE(cls)->tp_name);
        return NULL;
    }
    pm_type *t = (pm_type *)cls;
    /* PyType_GenericAlloc: zeroed, then tracked */
    pm_object *o = pm_object_alloc(h, t, 0);
    if (!o) return NULL;
    memset((char *)o + sizeof(pm_object), 0, t->tp_basicsize - sizeof(pm_object));
    pm_gc_track(h, o);
    /* _PyObject_InitializeDict -> init_inline_values */
    if (t->tp_flags & PM_TPFLAGS_MANAGED_DICT) {
        pm_dictvalues *values = _pm_dict_new_instance_values(h, HT(t)->ht_cached_keys);
        if (!values) {
            pm_decref(h, o);
            return NULL;
        }
        *PM_PREHEADER_DICT(o) = pm_dorv_from_values(values);
    }
    return o;
}

/* clear_slots: the members one class added, in member order. */
static void clear_slots(pm_heap *h, pm_type *t, pm_object *self) {
    int64_t n = PM_SIZE(t);
    for (int64_t i = 0; i < n; i++) PM_CLEAR(h, *SLOT(self, HT(t)->slotoffset + PM_SLOT_SIZE * (uint32_t)i));
}

/* The managed dict or values go (subtype_dealloc's tail, and
 * _PyObject_ClearManagedDict for tp_clear): values by entry index, then
 * the block; or the dict. The word is 0 afterwards. */
static void clear_managed_dict(pm_heap *h, pm_object *self) {
    uintptr_t *dorv = PM_PREHEADER_DICT(self), w = *dorv;
    if (pm_dorv_is_values(w)) {
        _pm_dict_free_instance_values(h, HT(PM_TYPE(self))->ht_cached_keys, pm_dorv_values(w));
        *dorv = 0;
    } else if (w) {
        *dorv = 0;
        pm_decref(h, (pm_object *)w);
    }
}

static void subtype_dealloc(pm_heap *h, pm_object *self) {
    pm_type *type = PM_TYPE(self);
    pm_gc_untrack(h, self);
    int tok = pm_trashcan_begin(h, self, subtype_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    if (type->tp_finalize) {
        /* tracked while __del__ runs; a resurrected object stays tracked */
        pm_gc_track(h, self);
        if (pm_object_call_finalizer_from_dealloc(h, self) < 0) goto end;
        pm_gc_untrack(h, self);
    }
    if (type->tp_weaklistoffset) _pm_weakref_clear_refs(h, self);
    pm_type *b = type;
    for (; b->tp_dealloc == subtype_dealloc; b = b->tp_base) clear_slots(h, b, self);
    if (type->tp_flags & PM_TPFLAGS_MANAGED_DICT) clear_managed_dict(h, self);
    /* basedealloc: a built-in base's own fields (BaseException_dealloc's clear) */
    if (b->tp_clear) b->tp_clear(h, self);
    /* object's dealloc (PyObject_GC_Del), then the class reference */
    pm_object_free(h, self);
    pm_decref(h, (pm_object *)type);
end:
    pm_trashcan_end(h, tok);
}

static int subtype_traverse(pm_heap *h, pm_object *self, pm_visitproc visit, void *arg) {
    (void)h;
    pm_type *type = PM_TYPE(self), *base = type;
    for (; base->tp_traverse == subtype_traverse; base = base->tp_base) {
        for (int64_t i = 0; i < PM_SIZE(base); i++) {
            pm_object *v = *SLOT(self, HT(base)->slotoffset + PM_SLOT_SIZE * (uint32_t)i);
            if (v) {
                int r = visit(v, arg);
                if (r) return r;
            }
        }
    }
    if (type->tp_flags & PM_TPFLAGS_MANAGED_DICT) {
        uintptr_t w = *PM_PREHEADER_DICT(self);
        int r = 0;
        if (pm_dorv_is_values(w)) r = _pm_dict_visit_instance_values(HT(type)->ht_cached_keys, pm_dorv_values(w), visit, arg);
        else if (w) r = visit((pm_object *)w, arg);
        if (r) return r;
    }
    /* the instance's reference to its class */
    int r = visit((pm_object *)type, arg);
    /* basetraverse: a built-in base's own references (exceptions) */
    if (!r && base->tp_traverse) r = base->tp_traverse(h, self, visit, arg);
    return r;
}

/* gc.c's hot phases walk instances of classes inline, in this function's
 * order, when a type's tp_traverse is this one (a constant, no state). */
int (*const _pm_subtype_traverse)(pm_heap *, pm_object *, pm_visitproc, void *) = subtype_traverse;

static int subtype_clear(pm_heap *h, pm_object *self) {
    pm_type *type = PM_TYPE(self);
    pm_type *b = type;
    for (; b->tp_clear == subtype_clear; b = b->tp_base) clear_slots(h, b, self);
    if (type->tp_flags & PM_TPFLAGS_MANAGED_DICT) clear_managed_dict(h, self);
    /* baseclear: a built-in base's own fields (exceptions) */
    if (b->tp_clear) b->tp_clear(h, self);
    return 0;
}

/* object_repr: <module.qualname object at 0x...> */
static int type_module_qualname(pm_heap *h, pm_type *t, pm_strbuf *sb) {
    pm_object *mod = HT(t)->tp_dict ? pm_dict_getitem(h, HT(t)->tp_dict, ident(h, ID_MODULE)) : NULL;
    if (mod && pm_unicode_check(h, mod) && !pm_unicode_eq(h, mod, ident(h, ID_BUILTINS))) {
        if (pm_unicode_write_utf8(h, mod, sb) < 0) return -1;
        _pm_strbuf_puts(sb, ".");
        return pm_unicode_write_utf8(h, HT(t)->ht_qualname, sb);
    }
    _pm_strbuf_puts(sb, t->tp_name);
    return 0;
}

static int instance_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    _pm_strbuf_puts(sb, "<");
    if (type_module_qualname(h, PM_TYPE(o), sb) < 0) return -1;
    _pm_strbuf_printf(sb, " object at %p>", (void *)o);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* ---- Instance dicts ------------------------------------------------------------------------------- */

pm_object *pm_object_get_dict(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!(t->tp_flags & PM_TPFLAGS_MANAGED_DICT)) {
        pm_err_set(h, PM_EXC_AttributeError, "This object has no __dict__");
        return NULL;
    }
    uintptr_t *dorv = PM_PREHEADER_DICT(o);
    pm_object *dict;
    if (pm_dorv_is_values(*dorv)) {
        dict = _pm_dict_from_instance_values(h, HT(t)->ht_cached_keys, pm_dorv_values(*dorv));
        if (!dict) return NULL;
        *dorv = (uintptr_t)dict;
    } else if (*dorv) {
        dict = (pm_object *)*dorv;
    } else {
        dict = _pm_dict_new_with_shared_keys(h, HT(t)->ht_cached_keys);
        if (!dict) return NULL;
        *dorv = (uintptr_t)dict;
    }
    return pm_newref(dict);
}

/* _PyObject_GetDictPtr for a managed dict: materialises the values. */
static pm_object **managed_dict_ptr(pm_heap *h, pm_object *o) {
    uintptr_t *dorv = PM_PREHEADER_DICT(o);
    if (pm_dorv_is_values(*dorv)) {
        pm_object *dict = _pm_dict_from_instance_values(h, HT(PM_TYPE(o))->ht_cached_keys, pm_dorv_values(*dorv));
        if (!dict) return NULL;
        *dorv = (uintptr_t)dict;
    }
    return (pm_object **)dorv;
}

int pm_object_set_dict(pm_heap *h, pm_object *o, pm_object *d) {
    if (!(PM_TYPE(o)->tp_flags & PM_TPFLAGS_MANAGED_DICT)) {
        pm_err_set(h, PM_EXC_AttributeError, "This object has no __dict__");
        return -1;
    }
    if (d && !pm_dict_check(h, d)) {
        pm_err_set(h, PM_EXC_TypeError, "__dict__ must be set to a dictionary, not a '%s'", PM_TYPE(d)->tp_name);
        return -1;
    }
    pm_object **dictptr = managed_dict_ptr(h, o);
    if (!dictptr) return -1;
    pm_object *old = *dictptr;
    *dictptr = d ? pm_newref(d) : NULL;
    pm_xdecref(h, old);
    return 0;
}

/* ---- Generic attribute access (object.c) ------------------------------------------------------------ */

static int is_data_descr(pm_object *d) { return PM_TYPE(d)->tp_descr_set != NULL; }

/* The instance dict word of o, or NULL if its type has none. */
static uintptr_t *dict_word(pm_object *o) {
    return (PM_TYPE(o)->tp_flags & PM_TPFLAGS_MANAGED_DICT) ? PM_PREHEADER_DICT(o) : NULL;
}

pm_object *pm_object_generic_getattr(pm_heap *h, pm_object *o, pm_object *name) {
    if (check_name(h, name) < 0) return NULL;
    pm_type *tp = PM_TYPE(o);
    pm_object *descr = pm_type_lookup(h, tp, name), *res = NULL;
    pm_object *(*f)(pm_heap *, pm_object *, pm_object *, pm_type *) = NULL;
    /* object.__dict__['__class__'], a data descriptor of the static base */
    if (!descr && h->os->type_idents[ID_CLASS] && pm_unicode_eq(h, name, ident(h, ID_CLASS)))
        return pm_newref((pm_object *)tp);
    if (descr) {
        pm_incref(descr);
        f = PM_TYPE(descr)->tp_descr_get;
        if (f && is_data_descr(descr)) {
            res = f(h, descr, o, tp);
            goto done;
        }
    }
    uintptr_t *dorv = dict_word(o);
    pm_object *dict = NULL;
    if (dorv) {
        if (pm_dorv_is_values(*dorv)) {
            pm_dictvalues *values = pm_dorv_values(*dorv);
            if (pm_unicode_check(h, name)) {
                res = _pm_dict_instance_get(h, HT(tp)->ht_cached_keys, values, name);
                if (res) {
                    pm_incref(res);
                    goto done;
                }
            } else {
                dict = _pm_dict_from_instance_values(h, HT(tp)->ht_cached_keys, values);
                if (!dict) goto done;
                *dorv = (uintptr_t)dict;
            }
        } else {
            dict = (pm_object *)*dorv;
        }
    }
    if (dict) {
        pm_incref(dict);
        res = pm_dict_getitem(h, dict, name);
        pm_xincref(res);
        pm_decref(h, dict);
        if (res || pm_err_occurred(h)) goto done;
    }
    if (f) {
        res = f(h, descr, o, tp);
        goto done;
    }
    if (descr) {
        res = descr;          /* hand over the reference taken above */
        descr = NULL;
        goto done;
    }
    _pm_err_no_attribute(h, tp->tp_name, name);
done:
    pm_xdecref(h, descr);
    return res;
}

/* _PyObject_GenericSetAttrWithDict; dictptr_override is the class dict
 * when o is a type (type_setattro passes it as the instance dict). */
static int set_class(pm_heap *h, pm_object *self, pm_object *value);

static int generic_setattr(pm_heap *h, pm_object *o, pm_object *name, pm_object *value, pm_object *type_dict) {
    if (check_name(h, name) < 0) return -1;
    pm_type *tp = PM_TYPE(o);
    int res = -1;
    pm_object *descr = pm_type_lookup(h, tp, name);
    /* object.__dict__['__class__'] (object_set_class) */
    if (!descr && h->os->type_idents[ID_CLASS] && pm_unicode_eq(h, name, ident(h, ID_CLASS)))
        return set_class(h, o, value);
    if (descr) {
        pm_incref(descr);
        if (PM_TYPE(descr)->tp_descr_set) {
            res = PM_TYPE(descr)->tp_descr_set(h, descr, o, value);
            goto done;
        }
    }
    if (type_dict) {
        res = value ? pm_dict_setitem(h, type_dict, name, value) : pm_dict_delitem(h, type_dict, name);
    } else {
        uintptr_t *dorv = dict_word(o);
        if (!dorv) {
            pm_strbuf sb;
            const char *n = name_utf8(h, name, &sb);
            if (descr)
                pm_err_set(h, PM_EXC_AttributeError, "'%s' object attribute '%s' is read-only", tp->tp_name, n);
            else
                pm_err_set(h, PM_EXC_AttributeError, "'%s' object has no attribute '%s'", tp->tp_name, n);
            _pm_strbuf_free(&sb);
            goto done;
        }
        if (pm_dorv_is_values(*dorv)) {
            res = _pm_dict_instance_store(h, o, HT(tp)->ht_cached_keys, pm_dorv_values(*dorv), name, value);
        } else {
            /* _PyObjectDict_SetItem: a dict sharing the class's keys when there is none */
            pm_object *dict = (pm_object *)*dorv;
            if (!dict) {
                dict = _pm_dict_new_with_shared_keys(h, HT(tp)->ht_cached_keys);
                if (!dict) goto done;
                *dorv = (uintptr_t)dict;
            }
            res = value ? pm_dict_setitem(h, dict, name, value) : pm_dict_delitem(h, dict, name);
        }
    }
    if (res < 0 && pm_err_occurred(h) == PM_EXC_KeyError) {
        if (type_dict) err_type_no_attribute(h, (pm_type *)o, name);
        else _pm_err_no_attribute(h, tp->tp_name, name);
    }
done:
    pm_xdecref(h, descr);
    return res;
}

int pm_object_generic_setattr(pm_heap *h, pm_object *o, pm_object *name, pm_object *value) {
    return generic_setattr(h, o, name, value, NULL);
}

/* ---- Class attributes: type_getattro / type_setattro ---------------------------------------------- */

/* The data descriptors of the metatype `type` (type_getsets) the model
 * answers: __name__, __qualname__, __mro__, __bases__, __base__, __dict__
 * (the class dict itself: the model has no mappingproxy), and __class__.
 * New reference, or NULL without an exception when name is none of them
 * (__doc__ and __module__ come from the class dict, as type_get_doc and
 * type_module read it). */
static pm_object *type_meta_attr(pm_heap *h, pm_type *type, pm_object *name) {
    if (!h->os->type_idents[ID_CLASS]) return NULL;        /* no class made yet */
    int heap = pm_type_is_heaptype_obj(type), id = -1;
    static const int ids[] = { ID_NAME, ID_QUALNAME, ID_MRO, ID_BASES, ID_BASE, ID_DICT, ID_CLASS, ID_MODULE };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && id < 0; i++)
        if (pm_unicode_eq(h, name, ident(h, ids[i]))) id = ids[i];
    /* a static type's tp_name is "module.name" or "name" (a builtin): type_name,
     * type_qualname and type_module split it at the last dot */
    const char *dot = heap ? NULL : strrchr(type->tp_name, '.');
    const char *short_name = dot ? dot + 1 : type->tp_name;
    switch (id) {
    case ID_NAME: return heap ? pm_newref(HT(type)->ht_name) : pm_unicode_from_string(h, short_name);
    case ID_QUALNAME: return heap ? pm_newref(HT(type)->ht_qualname) : pm_unicode_from_string(h, short_name);
    case ID_MODULE:
        if (heap) return NULL;   /* a class's __module__ is in its dict */
        if (!dot) return pm_newref(ident(h, ID_BUILTINS));
        return pm_unicode_from_utf8(h, type->tp_name, (size_t)(dot - type->tp_name));
    case ID_MRO: return heap && HT(type)->tp_mro ? pm_newref(HT(type)->tp_mro) : NULL;
    case ID_BASES: return heap ? pm_newref(HT(type)->tp_bases) : NULL;
    case ID_BASE: return pm_newref(type->tp_base ? (pm_object *)type->tp_base : PM_NONE(h));
    case ID_DICT: return heap ? pm_newref(HT(type)->tp_dict) : NULL;
    case ID_CLASS: return pm_newref((pm_object *)PM_TYPE(type));
    default: return NULL;
    }
}

static pm_object *type_getattro(pm_heap *h, pm_type *type, pm_object *name) {
    if (check_name(h, name) < 0) return NULL;
    /* the metatype (`type`) is static: its descriptors are type_meta_attr */
    pm_object *attr = type_meta_attr(h, type, name);
    if (attr || pm_err_occurred(h)) return attr;
    attr = pm_type_lookup(h, type, name);
    if (attr) {
        pm_object *(*local_get)(pm_heap *, pm_object *, pm_object *, pm_type *) = PM_TYPE(attr)->tp_descr_get;
        if (local_get) {
            pm_incref(attr);
            pm_object *res = local_get(h, attr, NULL, type);
            pm_decref(h, attr);
            return res;
        }
        return pm_newref(attr);
    }
    err_type_no_attribute(h, type, name);
    return NULL;
}

/* ---- __class__ assignment (object_set_class, compatible_for_assignment) ------------------------- */

/* extra_ivars: does type add to base's layout? */
static int extra_ivars(pm_type *type, pm_type *base) {
    if (type->tp_itemsize || base->tp_itemsize)
        return type->tp_basicsize != base->tp_basicsize || type->tp_itemsize != base->tp_itemsize;
    return type->tp_basicsize != base->tp_basicsize;
}

/* solid_base: the nearest class in the chain that changed the layout. */
static pm_type *solid_base(pm_heap *h, pm_type *type) {
    pm_type *base = type->tp_base ? solid_base(h, type->tp_base) : object_type(h);
    return extra_ivars(type, base) ? type : base;
}

/* same_slots_added: a and b (same base) added the same members. */
static int same_slots_added(pm_heap *h, pm_type *a, pm_type *b) {
    if (!pm_type_is_heaptype_obj(a) || !pm_type_is_heaptype_obj(b)) return 0;
    size_t size = a->tp_base->tp_basicsize;
    pm_object *sa = HT(a)->ht_slots, *sb = HT(b)->ht_slots;
    if (sa && sb) {
        if (PM_SIZE(sa) != PM_SIZE(sb)) return 0;
        for (int64_t i = 0; i < PM_SIZE(sa); i++)
            if (!pm_unicode_eq(h, PM_TUPLE_ITEMS(sa)[i], PM_TUPLE_ITEMS(sb)[i])) return 0;
        size += PM_SLOT_SIZE * (size_t)PM_SIZE(sa);
    }
    return size == a->tp_basicsize && size == b->tp_basicsize;
}

static int set_class(pm_heap *h, pm_object *self, pm_object *value) {
    if (!value) {
        pm_err_set(h, PM_EXC_TypeError, "can't delete __class__ attribute");
        return -1;
    }
    if (!pm_object_is_type(h, value)) {
        pm_err_set(h, PM_EXC_TypeError, "__class__ must be set to a class, not '%s' object", PM_TYPE(value)->tp_name);
        return -1;
    }
    pm_type *newto = (pm_type *)value, *oldto = PM_TYPE(self);
    if (!pm_type_is_heaptype_obj(newto) || !pm_type_is_heaptype_obj(oldto)
        || ((newto->tp_flags | oldto->tp_flags) & PM_TPFLAGS_IMMUTABLETYPE)) {
        pm_err_set(h, PM_EXC_TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses");
        return -1;
    }
    pm_type *newbase = solid_base(h, newto), *oldbase = solid_base(h, oldto);
    const uint32_t preheader = PM_TPFLAGS_MANAGED_DICT | PM_TPFLAGS_MANAGED_WEAKREF;
    if ((newbase != oldbase && (newbase->tp_base != oldbase->tp_base || !same_slots_added(h, newbase, oldbase)))
        || (oldto->tp_flags & preheader) != (newto->tp_flags & preheader)) {
        pm_err_set(h, PM_EXC_TypeError, "__class__ assignment: '%s' object layout differs from '%s'", newto->tp_name,
                   oldto->tp_name);
        return -1;
    }
    /* the implicit keys change with the class: the values become a dict first */
    if ((oldto->tp_flags & PM_TPFLAGS_MANAGED_DICT) && !managed_dict_ptr(h, self)) return -1;
    pm_incref((pm_object *)newto);
    self->ob_type = newto;
    pm_decref(h, (pm_object *)oldto);
    return 0;
}

/* ---- Class attributes the metatype owns (type_set_name, type_set_qualname, read-only getsets) --- */

/* 1 if name is none of them; else 0 or -1 + exception. */
static int type_meta_setattr(pm_heap *h, pm_type *type, pm_object *name, pm_object *value) {
    static const int ids[] = { ID_NAME, ID_QUALNAME, ID_DICT, ID_MRO, ID_BASE, ID_BASES };
    int id = -1;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0] && id < 0; i++)
        if (pm_unicode_eq(h, name, ident(h, ids[i]))) id = ids[i];
    const char *attr = id >= 0 ? ident_text[id] : NULL;
    switch (id) {
    case ID_NAME:
    case ID_QUALNAME: {
        if (!value) {
            pm_err_set(h, PM_EXC_TypeError, "cannot delete '%s' attribute of immutable type '%s'", attr, type->tp_name);
            return -1;
        }
        if (!pm_unicode_check(h, value)) {
            pm_err_set(h, PM_EXC_TypeError, "can only assign string to %s.%s, not '%s'", type->tp_name, attr,
                       PM_TYPE(value)->tp_name);
            return -1;
        }
        pm_object **field = id == ID_NAME ? &HT(type)->ht_name : &HT(type)->ht_qualname, *old = *field;
        if (id == ID_NAME) {
            size_t n;
            const char *tp_name = pm_unicode_as_utf8_and_size(h, value, &n);
            if (!tp_name) return -1;
            if (strlen(tp_name) != n) {
                pm_err_set(h, PM_EXC_ValueError, "type name must not contain null characters");
                return -1;
            }
            type->tp_name = tp_name;
        }
        *field = pm_newref(value);
        pm_decref(h, old);
        return 0;
    }
    case ID_DICT:
    case ID_MRO:
        pm_err_set(h, PM_EXC_AttributeError, "attribute '%s' of 'type' objects is not writable", attr);
        return -1;
    case ID_BASE:
        pm_err_set(h, PM_EXC_AttributeError, "readonly attribute");
        return -1;
    case ID_BASES:
        pm_err_set(h, PM_EXC_TypeError, "the model does not support assigning __bases__");
        return -1;
    default:
        return 1;
    }
}

/* update_slot for __del__: tp_finalize follows the MRO, for the class and
 * every subclass (3.12 recurses through tp_subclasses). */
static void update_finalize(pm_heap *h, pm_heaptype *t, pm_object *del_name) {
    t->type.tp_finalize = pm_type_lookup(h, &t->type, del_name) ? pm_finalize_via_host : NULL;
    for (uint32_t i = 0; i < t->nsubclasses; i++) update_finalize(h, t->subclasses[i], del_name);
}

static int type_setattro(pm_heap *h, pm_type *type, pm_object *name, pm_object *value) {
    if (!pm_type_is_heaptype_obj(type) || (type->tp_flags & PM_TPFLAGS_IMMUTABLETYPE)) {
        pm_strbuf sb;
        _pm_strbuf_init(&sb, h);
        if (pm_object_repr(h, name, &sb) < 0 || sb.failed) {
            _pm_strbuf_free(&sb);
            return -1;
        }
        pm_err_set(h, PM_EXC_TypeError, "cannot set %s attribute of immutable type '%s'", sb.buf, type->tp_name);
        _pm_strbuf_free(&sb);
        return -1;
    }
    if (check_name(h, name) < 0) return -1;
    int meta = type_meta_setattr(h, type, name, value);
    if (meta <= 0) return meta;
    pm_object *key = pm_newref(name);
    if (pm_unicode_check(h, key)) pm_unicode_intern(h, &key);   /* class dict keys are interned */
    int res = generic_setattr(h, (pm_object *)type, key, value, HT(type)->tp_dict);
    if (res == 0) {
        pm_object *del_name = ident(h, ID_DEL);
        if (pm_unicode_check(h, key) && pm_unicode_eq(h, key, del_name)) update_finalize(h, HT(type), del_name);
    }
    pm_decref(h, key);
    return res;
}

pm_object *pm_object_getattr(pm_heap *h, pm_object *o, pm_object *name) {
    if (pm_object_is_type(h, o)) return type_getattro(h, (pm_type *)o, name);
    return pm_object_generic_getattr(h, o, name);
}

int pm_object_setattr(pm_heap *h, pm_object *o, pm_object *name, pm_object *value) {
    if (pm_object_is_type(h, o)) return type_setattro(h, (pm_type *)o, name, value);
    return pm_object_generic_setattr(h, o, name, value);
}

/* ---- type_new ------------------------------------------------------------------------------------ */

/* PyUnicode_IsIdentifier, ASCII rules; non-ASCII characters are accepted
 * (the model has no XID tables). */
static int is_identifier(pm_heap *h, pm_object *s) {
    int64_t n = pm_unicode_length(h, s);
    if (n == 0) return 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = pm_unicode_read_char(h, s, i);
        if (c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
        if (i > 0 && c >= '0' && c <= '9') continue;
        return 0;
    }
    return 1;
}

/* _Py_Mangle(classname, name): "__x" inside class "_C" becomes "_C__x".
 * New reference. */
static pm_object *mangle(pm_heap *h, pm_object *classname, pm_object *name) {
    size_t nl, cl;
    const char *n = pm_unicode_as_utf8_and_size(h, name, &nl);
    const char *c = pm_unicode_as_utf8_and_size(h, classname, &cl);
    if (!n || !c) return NULL;
    if (nl < 2 || n[0] != '_' || n[1] != '_' || (nl >= 4 && n[nl - 1] == '_' && n[nl - 2] == '_')
        || memchr(n, '.', nl))
        return pm_newref(name);
    while (cl && *c == '_') { c++; cl--; }
    if (!cl) return pm_newref(name);
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    _pm_strbuf_puts(&sb, "_");
    _pm_strbuf_put(&sb, c, cl);
    _pm_strbuf_put(&sb, n, nl);
    pm_object *res = sb.failed ? (pm_err_nomem(h), NULL) : pm_unicode_from_utf8(h, sb.buf, sb.len);
    _pm_strbuf_free(&sb);
    return res;
}

/* What type_new_slots works out. */
typedef struct slots_ctx {
    int add_dict, add_weak;
    pm_object *names;          /* new tuple: own member names, mangled, interned, sorted; NULL: no __slots__ */
} slots_ctx;

/* type_new_slots + type_new_visit_slots + type_new_copy_slots. */
static int visit_slots(pm_heap *h, pm_object *name, pm_type *base, pm_object *dict, slots_ctx *cx) {
    /* a built-in exception base (excobject.c) keeps its dict in its own struct
     * in CPython; the model gives its Python subclasses a managed dict instead */
    int may_add_dict = base == object_type(h) || !pm_type_is_heaptype_obj(base) ? 1 : HT(base)->tp_dictoffset == 0;
    int may_add_weak = base->tp_weaklistoffset == 0 && base->tp_itemsize == 0;
    cx->add_dict = cx->add_weak = 0;
    cx->names = NULL;
    pm_object *slots = pm_dict_getitem(h, dict, ident(h, ID_SLOTS));
    if (!slots) {
        cx->add_dict = may_add_dict;
        cx->add_weak = may_add_weak;
        return 0;
    }
    pm_object *const *items;
    int64_t n;
    pm_object *one[1];
    if (pm_unicode_check(h, slots)) {
        one[0] = slots;
        items = one;
        n = 1;
    } else if (!_pm_fast_items(h, slots, &items, &n)) {
        pm_err_set(h, PM_EXC_TypeError, "__slots__ must be a str, tuple or list in the model, not '%s'",
                   PM_TYPE(slots)->tp_name);
        return -1;
    }
    pm_object *dict_name = ident(h, ID_DICT), *weak_name = ident(h, ID_WEAKREF);
    int64_t nslot = 0;
    for (int64_t i = 0; i < n; i++) {
        pm_object *s = items[i];
        if (!pm_unicode_check(h, s)) {
            pm_err_set(h, PM_EXC_TypeError, "__slots__ items must be strings, not '%s'", PM_TYPE(s)->tp_name);
            return -1;
        }
        if (!is_identifier(h, s)) {
            pm_err_set(h, PM_EXC_TypeError, "__slots__ must be identifiers");
            return -1;
        }
        if (pm_unicode_eq(h, s, dict_name)) {
            if (!may_add_dict || cx->add_dict) {
                pm_err_set(h, PM_EXC_TypeError, "__dict__ slot disallowed: we already got one");
                return -1;
            }
            cx->add_dict++;
        } else if (pm_unicode_eq(h, s, weak_name)) {
            if (!may_add_weak || cx->add_weak) {
                pm_err_set(h, PM_EXC_TypeError, "__weakref__ slot disallowed: we already got one");
                return -1;
            }
            cx->add_weak++;
        } else {
            nslot++;
        }
    }
    pm_object *names = pm_tuple_new(h, nslot);
    if (!names) return -1;
    int64_t j = 0;
    for (int64_t i = 0; i < n; i++) {
        pm_object *s = items[i];
        if (pm_unicode_eq(h, s, dict_name) || pm_unicode_eq(h, s, weak_name)) continue;
        pm_object *m = mangle(h, name, s);
        if (!m) goto fail;
        pm_unicode_intern(h, &m);
        PM_TUPLE_ITEMS(names)[j++] = m;
        int c = pm_dict_contains(h, dict, m);
        if (c != 0 && !pm_unicode_eq(h, m, ident(h, ID_QUALNAME)) && !pm_unicode_eq(h, m, ident(h, ID_CLASSCELL))) {
            if (c > 0) {
                pm_strbuf sb;
                _pm_strbuf_init(&sb, h);
                pm_object_repr(h, m, &sb);
                pm_err_set(h, PM_EXC_ValueError, "%s in __slots__ conflicts with class variable",
                           sb.buf && !sb.failed ? sb.buf : "?");
                _pm_strbuf_free(&sb);
            }
            goto fail;
        }
    }
    /* sorted: the member layout is in name order (type_new_copy_slots) */
    pm_object **a = PM_TUPLE_ITEMS(names);
    for (int64_t i = 1; i < nslot; i++) {
        pm_object *k = a[i];
        int64_t p = i;
        for (; p > 0 && pm_unicode_compare(h, a[p - 1], k) > 0; p--) a[p] = a[p - 1];
        a[p] = k;
    }
    cx->names = names;
    return 0;
fail:
    pm_decref(h, names);     /* unset items are NULL: tuple dealloc skips them */
    return -1;
}

/* Adds the class to base's subclass list (host bookkeeping). */
static int add_subclass(pm_heap *h, pm_heaptype *base, pm_heaptype *t) {
    if (base->nsubclasses == base->capsubclasses) {
        uint32_t cap = base->capsubclasses ? base->capsubclasses * 2 : 4;
        pm_heaptype **a = _pm_raw_realloc(h, base->subclasses, cap * sizeof *a);
        if (!a) { pm_err_nomem(h); return -1; }
        base->subclasses = a;
        base->capsubclasses = cap;
    }
    base->subclasses[base->nsubclasses++] = t;
    return 0;
}

static void remove_subclass(pm_heaptype *base, pm_heaptype *t) {
    for (uint32_t i = 0; i < base->nsubclasses; i++) {
        if (base->subclasses[i] != t) continue;
        memmove(&base->subclasses[i], &base->subclasses[i + 1], (base->nsubclasses - i - 1) * sizeof t);
        base->nsubclasses--;
        return;
    }
}

/* The tp_subclasses key of a class: PyLong_FromVoidPtr(type). Model
 * addresses are 32-bit; the key is placed where a 64-bit mmap address
 * lies (0x7f...) so that the int takes the two digits (32 bytes) it takes
 * in CPython. */
static pm_object *subclass_key(pm_heap *h, pm_heaptype *t) {
    return pm_long_from_uint64(h, UINT64_C(0x7f0000000000) | (uint64_t)(uintptr_t)t);
}

/* add_subclass (3.12): the key, a weakref to the class (callback-less, so
 * weakref.ref(cls) later returns this one), then the base's dict, made
 * with its first subclass. */
static int add_subclass_ref(pm_heap *h, pm_type *base, pm_heaptype *t) {
    pm_object *key = subclass_key(h, t);
    if (!key) return -1;
    pm_object *ref = pm_weakref_new(h, pm_builtin_type(h, PM_T_WEAKREF), (pm_object *)t, NULL);
    if (!ref) {
        pm_decref(h, key);
        return -1;
    }
    if (!pm_type_is_heaptype_obj(base)) {
        t->static_base_key = key;
        t->static_base_ref = ref;
        return 0;
    }
    pm_heaptype *b = HT(base);
    int r = (b->tp_subclasses || (b->tp_subclasses = pm_dict_new(h))) ? pm_dict_setitem(h, b->tp_subclasses, key, ref) : -1;
    pm_decref(h, ref);
    pm_decref(h, key);
    return r;
}

/* remove_subclass (3.12): the entry goes through a temporary key; an
 * emptied dict is dropped. */
static void remove_subclass_ref(pm_heap *h, pm_heaptype *t) {
    pm_type *base = t->type.tp_base;
    if (t->static_base_ref || t->static_base_key) {
        pm_object *key = subclass_key(h, t);    /* get_subclasses_key's temporary */
        pm_xdecref(h, key);
        PM_CLEAR(h, t->static_base_key);
        PM_CLEAR(h, t->static_base_ref);
    }
    if (!base || !pm_type_is_heaptype_obj(base) || !HT(base)->tp_subclasses) return;
    pm_object *key = subclass_key(h, t);
    if (key && pm_dict_delitem(h, HT(base)->tp_subclasses, key) < 0) pm_err_clear(h);   /* never added (type_new failed) */
    pm_xdecref(h, key);
    if (!key) pm_err_clear(h);
    if (pm_dict_len(h, HT(base)->tp_subclasses) == 0) PM_CLEAR(h, HT(base)->tp_subclasses);
}

pm_object *pm_type_subclasses(pm_heap *h, pm_object *type) {
    if (!pm_object_is_type(h, type) || !pm_type_is_heaptype_obj((pm_type *)type)) {
        pm_err_set(h, PM_EXC_TypeError, "pyheap: __subclasses__() is modelled for classes made by the program only");
        return NULL;
    }
    pm_object *list = pm_list_new(h, 0), *d = HT(type)->tp_subclasses;
    int64_t pos = 0;
    pm_object *k, *ref;
    while (list && d && pm_dict_next(h, d, &pos, &k, &ref)) {
        pm_object *sub = pm_weakref_get(h, ref);
        if (sub && sub != PM_NONE(h) && pm_list_append(h, list, sub) < 0) PM_CLEAR(h, list);
    }
    return list;
}

/* type_ready_fill_dict's additions: member descriptors (type_add_members),
 * then the getsets this class adds (type_add_getset: __dict__, __weakref__),
 * each only if the name is not in the dict yet, then __doc__ = None when
 * absent (type_dict_set_doc). */
static int fill_dict(pm_heap *h, pm_heaptype *t, const slots_ctx *cx) {
    pm_object *dict = t->tp_dict;
    for (int64_t i = 0; i < PM_SIZE(&t->type); i++) {
        pm_object *nm = PM_TUPLE_ITEMS(t->ht_slots)[i];
        pm_object *d = descr_new(h, PM_T_MEMBER_DESCR, &t->type, nm, t->slotoffset + PM_SLOT_SIZE * (uint32_t)i);
        if (!d) return -1;
        pm_object *r = pm_dict_setdefault(h, dict, nm, d);
        pm_decref(h, d);
        if (!r) return -1;
    }
    static const struct { int id, kind; } getsets[] = { { ID_DICT, PM_GETSET_DICT }, { ID_WEAKREF, PM_GETSET_WEAKREF } };
    for (int i = 0; i < 2; i++) {
        if (getsets[i].kind == PM_GETSET_DICT ? !cx->add_dict : !cx->add_weak) continue;
        pm_object *nm = ident(h, getsets[i].id);
        pm_object *d = descr_new(h, PM_T_GETSET_DESCR, &t->type, nm, (uint32_t)getsets[i].kind);
        if (!d) return -1;
        pm_object *r = pm_dict_setdefault(h, dict, nm, d);
        pm_decref(h, d);
        if (!r) return -1;
    }
    return pm_dict_setdefault(h, dict, ident(h, ID_DOC), PM_NONE(h)) ? 0 : -1;
}

/* Does the class body `ns` bind `name` (ASCII)? Compares in place: no str is made. */
static int ns_defines(pm_heap *h, pm_object *ns, const char *name, pm_object **value) {
    int64_t pos = 0, n = (int64_t)strlen(name);
    pm_object *k, *v;
    while (pm_dict_next(h, ns, &pos, &k, &v)) {
        if (!pm_unicode_check(h, k) || pm_unicode_length(h, k) != n) continue;
        int64_t i = 0;
        while (i < n && pm_unicode_read_char(h, k, i) == (uint32_t)(unsigned char)name[i]) i++;
        if (i == n) {
            if (value) *value = v;
            return 1;
        }
    }
    return 0;
}

/* PyObject_IsTrue. Instances of classes ask the host (__bool__, then
 * __len__, else true), the built-in types answer here. */
int pm_object_is_true(pm_heap *h, pm_object *o) {
    if (o == PM_TRUE(h)) return 1;
    if (o == PM_FALSE(h) || o == PM_NONE(h)) return 0;
    pm_type *t = PM_TYPE(o);
    if (pm_type_is_heaptype_obj(t)) {
        pm_object *r = pm_host_slot(h, PM_SLOT_BOOL, o, NULL);
        if (!r) return -1;
        int v = r == PM_TRUE(h) ? 1 : r == PM_FALSE(h) ? 0 : -1;
        if (v < 0) pm_err_set(h, PM_EXC_TypeError, "__bool__ should return bool, returned %s", PM_TYPE(r)->tp_name);
        pm_decref(h, r);
        return v;
    }
    if (pm_long_check(h, o)) return pm_long_bool(h, o);
    if (t == pm_builtin_type(h, PM_T_FLOAT)) return pm_float_bool(h, o);
    if (t == pm_builtin_type(h, PM_T_STR)) return pm_unicode_length(h, o) != 0;
    if (t == pm_builtin_type(h, PM_T_LIST) || t == pm_builtin_type(h, PM_T_TUPLE) || t == pm_builtin_type(h, PM_T_BYTES))
        return PM_SIZE(o) != 0;
    if (t == pm_builtin_type(h, PM_T_DICT)) return pm_dict_len(h, o) != 0;
    if (t == pm_builtin_type(h, PM_T_RANGE)) return pm_range_length(h, o) != 0;
    if (t == pm_builtin_type(h, PM_T_SET) || t == pm_builtin_type(h, PM_T_FROZENSET))
        return ((pm_setobject *)o)->used != 0;
    if (pm_dictview_kind(h, o) >= 0) return pm_dictview_len(h, o) != 0;
    return 1;
}

/* slot_tp_hash: a class's own __hash__, run by the host. An int result
 * that fits in 64 bits is the hash itself, a bigger one is reduced as
 * hash(int) does; -1 (the error value) becomes -2. */
static int64_t user_hash(pm_heap *h, pm_object *o) {
    pm_object *r = pm_host_slot(h, PM_SLOT_HASH, o, NULL);
    if (!r) return -1;
    if (!pm_long_check(h, r)) {
        pm_decref(h, r);
        pm_err_set(h, PM_EXC_TypeError, "__hash__ method should return an integer");
        return -1;
    }
    int64_t v = pm_long_as_ssize_t(h, r);
    if (v == -1 && pm_err_occurred(h)) {
        pm_err_clear(h);
        v = pm_long_hash(h, r);
    }
    pm_decref(h, r);
    return v == -1 ? -2 : v;
}

/* slot_tp_richcompare(Py_EQ) as PyObject_RichCompareBool uses it: the
 * class's __eq__, run by the host; NotImplemented lets the caller try the
 * reflected operand, any other result counts by its truth. */
static int user_eq(pm_heap *h, pm_object *a, pm_object *b) {
    pm_object *r = pm_host_slot(h, PM_SLOT_EQ, a, b);
    if (!r) return -1;
    if (r == h->os->notimplemented) {
        pm_decref(h, r);
        return PM_NOTIMPL;
    }
    int v = pm_object_is_true(h, r);
    pm_decref(h, r);
    return v;
}

pm_object *pm_type_new(pm_heap *h, pm_object *name, pm_object *base_obj, pm_object *ns) {
    if (idents_init(h) < 0) return NULL;
    if (!pm_unicode_check(h, name)) {
        pm_err_set(h, PM_EXC_TypeError, "type.__new__() argument 1 must be str, not %s", PM_TYPE(name)->tp_name);
        return NULL;
    }
    if (!pm_dict_check(h, ns)) {
        pm_err_set(h, PM_EXC_TypeError, "type.__new__() argument 3 must be dict, not %s", PM_TYPE(ns)->tp_name);
        return NULL;
    }
    pm_type *base = base_obj ? (pm_type *)base_obj : object_type(h);
    if (!pm_object_is_type(h, (pm_object *)base)) {
        pm_err_set(h, PM_EXC_TypeError, "bases must be types");
        return NULL;
    }
    if (base != object_type(h) && !pm_type_is_heaptype_obj(base) && !(base->tp_flags & PM_TPFLAGS_BASE_EXC_SUBCLASS)) {
        pm_err_set(h, PM_EXC_TypeError, "the model supports classes derived from object or from other classes only, not '%s'",
                   base->tp_name);
        return NULL;
    }
    if (pm_type_is_heaptype_obj(base) && !HT(base)->tp_mro) {
        pm_err_set(h, PM_EXC_TypeError, "base class '%s' has been cleared", base->tp_name);
        return NULL;
    }
    size_t namelen;
    const char *tp_name = pm_unicode_as_utf8_and_size(h, name, &namelen);   /* type_new_set_name */
    if (!tp_name) return NULL;
    if (strlen(tp_name) != namelen) {
        pm_err_set(h, PM_EXC_ValueError, "type name must not contain null characters");
        return NULL;
    }
    pm_object *qualname = pm_dict_getitem(h, ns, ident(h, ID_QUALNAME));
    if (qualname && !pm_unicode_check(h, qualname)) {
        pm_err_set(h, PM_EXC_TypeError, "type __qualname__ must be a str, not %s", PM_TYPE(qualname)->tp_name);
        return NULL;
    }
    slots_ctx cx;
    if (visit_slots(h, name, base, ns, &cx) < 0) return NULL;
    int64_t nslot = cx.names ? PM_SIZE(cx.names) : 0;

    /* the bases tuple (the call's argument in CPython) and the dict copy */
    pm_object *bases = pm_tuple_pack(h, 1, (pm_object *)base);
    pm_object *dict = bases ? pm_dict_copy(h, ns) : NULL;
    /* PyType_GenericAlloc(type, nslots): 920 + 40 * (nslots + 1) */
    pm_heaptype *t = dict ? (pm_heaptype *)pm_object_alloc(h, type_type(h), (size_t)nslot + 1) : NULL;
    if (!t) {
        pm_xdecref(h, dict);
        pm_xdecref(h, bases);
        pm_xdecref(h, cx.names);
        return NULL;
    }
    memset((char *)t + sizeof(pm_varobject), 0, sizeof *t - sizeof(pm_varobject));
    pm_gc_track(h, (pm_object *)t);       /* PyType_GenericAlloc tracks at once */
    PM_SIZE(t) = nslot;
    t->ht_self = t;
    t->type.type_id = PM_T__COUNT;
    t->type.tp_flags = PM_TPFLAGS_HEAPTYPE | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_HAVE_GC;
    t->ht_name = pm_newref(name);
    t->ht_slots = cx.names;
    t->type.tp_name = tp_name;
    t->tp_bases = bases;
    t->type.tp_base = (pm_type *)pm_newref((pm_object *)base);
    t->tp_dict = dict;
    pm_object *result = (pm_object *)t;

    /* type_new_set_ht_name: __qualname__ moves out of the dict */
    if (qualname) {
        t->ht_qualname = pm_newref(qualname);
        if (pm_dict_delitem(h, dict, ident(h, ID_QUALNAME)) < 0) goto fail;
    } else {
        t->ht_qualname = pm_newref(name);
    }
    /* type_new_set_classcell: __classcell__ leaves the dict (the
     * interpreter stores the class in that cell itself) */
    if (pm_dict_contains(h, dict, ident(h, ID_CLASSCELL)) > 0 && pm_dict_delitem(h, dict, ident(h, ID_CLASSCELL)) < 0)
        goto fail;
    /* type_new_set_doc: a str __doc__ is copied (PyObject_Malloc) */
    pm_object *doc = pm_dict_getitem(h, dict, ident(h, ID_DOC));
    if (doc && pm_unicode_check(h, doc)) {
        size_t dl;
        const char *ds = pm_unicode_as_utf8_and_size(h, doc, &dl);
        if (!ds) goto fail;
        t->tp_doc = pm_malloc(h, PM_DOMAIN_OBJ, dl + 1);
        if (!t->tp_doc) { pm_err_nomem(h); goto fail; }
        memcpy(t->tp_doc, ds, dl + 1);
    }
    /* type_new_descriptors: the layout */
    t->slotoffset = base->tp_basicsize;
    t->type.tp_basicsize = base->tp_basicsize + PM_SLOT_SIZE * (uint32_t)nslot;
    t->type.tp_itemsize = base->tp_itemsize;
    t->type.tp_flags |= base->tp_flags & (PM_TPFLAGS_MANAGED_DICT | PM_TPFLAGS_MANAGED_WEAKREF | PM_TPFLAGS_BASE_EXC_SUBCLASS);
    t->type.tp_weaklistoffset = base->tp_weaklistoffset;
    t->tp_dictoffset = pm_type_is_heaptype_obj(base) ? HT(base)->tp_dictoffset : 0;
    if (cx.add_weak) {
        t->type.tp_flags |= PM_TPFLAGS_MANAGED_WEAKREF;
        t->type.tp_weaklistoffset = PM_WEAKLIST_MANAGED;
    }
    if (cx.add_dict) {
        t->type.tp_flags |= PM_TPFLAGS_MANAGED_DICT;
        t->tp_dictoffset = -1;
    }
    /* slots of the instances */
    t->type.tp_dealloc = subtype_dealloc;
    t->type.tp_traverse = subtype_traverse;
    t->type.tp_clear = subtype_clear;
    t->type.tp_hash = base->tp_hash;
    t->type.tp_eq = base->tp_eq;
    t->type.tp_repr = instance_repr;
    /* type_new: a body defining __eq__ but not __hash__ makes the class
     * unhashable (__hash__ = None); `__hash__ = None` does too */
    pm_object *own_hash = NULL;
    int defines_eq = ns_defines(h, ns, "__eq__", NULL);
    if (ns_defines(h, ns, "__hash__", &own_hash))
        t->type.tp_hash = own_hash == PM_NONE(h) ? NULL : user_hash;
    else if (defines_eq)
        t->type.tp_hash = NULL;
    if (defines_eq) t->type.tp_eq = user_eq;

    /* PyType_Ready: the MRO, the dict's descriptors and __doc__, the shared keys */
    {
        pm_object *basemro = pm_type_is_heaptype_obj(base) ? HT(base)->tp_mro : NULL;
        /* a static base: its tp_base chain down to object (exceptions) */
        int64_t nb = 0;
        if (basemro) nb = PM_SIZE(basemro);
        else for (pm_type *b = base; b; b = b->tp_base) nb++;
        pm_object *mro = pm_tuple_new(h, nb + 1);
        if (!mro) goto fail;
        PM_TUPLE_ITEMS(mro)[0] = pm_newref(result);
        pm_type *sb = base;
        for (int64_t i = 0; i < nb; i++, sb = sb ? sb->tp_base : NULL)
            PM_TUPLE_ITEMS(mro)[i + 1] = pm_newref(basemro ? PM_TUPLE_ITEMS(basemro)[i] : (pm_object *)sb);
        t->tp_mro = mro;
    }
    if (fill_dict(h, t, &cx) < 0) goto fail;
    if (t->type.tp_flags & PM_TPFLAGS_MANAGED_DICT) {
        t->ht_cached_keys = _pm_dict_new_keys_for_class(h);
        if (!t->ht_cached_keys) goto fail;
    }
    if (pm_type_is_heaptype_obj(base) && add_subclass(h, HT(base), t) < 0) goto fail;
    if (add_subclass_ref(h, base, t) < 0) goto fail;
    t->type.tp_flags |= PM_TPFLAGS_READY;
    /* fixup_slot_dispatchers: __del__ anywhere on the MRO */
    if (pm_type_lookup(h, &t->type, ident(h, ID_DEL))) t->type.tp_finalize = pm_finalize_via_host;
    /* type_new_set_names iterates a copy of the dict (calling __set_name__
     * is the interpreter's business); the copy goes again, its keys object
     * to the keys free list when it is an 8-slot one, as tracemalloc shows
     * for 3.12 (a second 120-byte block after `class A: pass`) */
    pm_object *names = pm_dict_copy(h, dict);
    if (!names) goto fail;
    int set_names = _pm_descr_set_names(h, names);   /* property.__set_name__ */
    pm_decref(h, names);
    if (set_names < 0) goto fail;
    return result;

fail:
    /* drop the references to the class (MRO, descriptors) first, then
     * type_dealloc releases what was set */
    type_clear(h, result);
    pm_decref(h, result);
    return NULL;
}

/* ---- The type object's own slots --------------------------------------------------------------------- */

static void type_dealloc(pm_heap *h, pm_object *o) {
    pm_type *type = (pm_type *)o;
    if (!pm_type_is_heaptype_obj(type)) _pm_fatal(h, "deallocating a static type");
    pm_heaptype *t = HT(type);
    pm_gc_untrack(h, o);
    /* type_dealloc_common: out of the base's tp_subclasses (which drops
     * that weakref), then the other weakrefs are cleared, before anything
     * else is released */
    remove_subclass_ref(h, t);
    if (type->tp_weaklist) _pm_weakref_clear_refs(h, o);
    if (type->tp_base && pm_type_is_heaptype_obj(type->tp_base)) remove_subclass(HT(type->tp_base), t);
    pm_xdecref(h, (pm_object *)type->tp_base);
    pm_xdecref(h, t->tp_dict);
    pm_xdecref(h, t->tp_bases);
    pm_xdecref(h, t->tp_mro);
    if (t->tp_doc) pm_free(h, PM_DOMAIN_OBJ, t->tp_doc);
    pm_xdecref(h, t->ht_name);
    pm_xdecref(h, t->ht_qualname);
    pm_xdecref(h, t->ht_slots);
    if (t->ht_cached_keys) _pm_dictkeys_decref(h, t->ht_cached_keys);
    if (t->subclasses) _pm_raw_free(h, t->subclasses);
    pm_xdecref(h, t->tp_subclasses);
    t->ht_self = NULL;
    pm_object_free(h, o);
}

/* type_traverse: heap types only (the collector never sees static ones). */
static int type_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_type *type = (pm_type *)o;
    if (!pm_type_is_heaptype_obj(type)) return 0;
    pm_object *refs[] = { HT(type)->tp_dict, HT(type)->tp_mro, HT(type)->tp_bases, (pm_object *)type->tp_base };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (!refs[i]) continue;
        int r = visit(refs[i], arg);
        if (r) return r;
    }
    return 0;
}

/* tp_refs: every strong reference a heap type holds, for the checkers and
 * the snapshot: what type_traverse visits, plus the name, qualname and
 * slot names (strs: never in a cycle, so not traversed) and the subclass
 * table entries (not traversed in CPython either). */
static int type_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    int r = type_traverse(h, o, visit, arg);
    pm_type *type = (pm_type *)o;
    if (r || !pm_type_is_heaptype_obj(type)) return r;
    pm_heaptype *t = HT(type);
    pm_object *refs[] = { t->ht_name, t->ht_qualname, t->ht_slots, t->tp_subclasses, t->static_base_key, t->static_base_ref };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (!refs[i]) continue;
        if ((r = visit(refs[i], arg)) != 0) return r;
    }
    return 0;
}

/* type_clear: empties the dict and drops the MRO (the cycle through the
 * class itself). The shared keys stay until type_dealloc, since instances
 * still holding values need them. */
static int type_clear(pm_heap *h, pm_object *o) {
    pm_type *type = (pm_type *)o;
    if (!pm_type_is_heaptype_obj(type)) return 0;
    if (HT(type)->tp_dict) pm_dict_clear(h, HT(type)->tp_dict);
    PM_CLEAR(h, HT(type)->tp_mro);
    return 0;
}

/* type.__sizeof__: sizeof(PyHeapTypeObject) + the shared keys for heap
 * types, sizeof(PyTypeObject) for static ones. */
static size_t type_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    pm_type *type = (pm_type *)o;
    if (!pm_type_is_heaptype_obj(type)) return PM_STATIC_TYPE_SIZE;
    size_t n = PM_HEAPTYPE_BASICSIZE;
    if (HT(type)->ht_cached_keys) n += pm_dictkeys_model_size(HT(type)->ht_cached_keys);
    return n;
}

/* type_repr: <class 'module.qualname'> for heap types. */
static int type_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_type *type = (pm_type *)o;
    _pm_strbuf_puts(sb, "<class '");
    if (pm_type_is_heaptype_obj(type)) {
        if (type_module_qualname(h, type, sb) < 0) return -1;
    } else {
        _pm_strbuf_puts(sb, type->tp_name);
    }
    _pm_strbuf_puts(sb, "'>");
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

static void init_descr_type(pm_heap *h, pm_type_id id, const char *name) {
    pm_type *t = pm_builtin_type(h, id);
    _pm_type_init_static(h, t, id, name, PM_DESCR_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC);
    t->tp_dealloc = descr_dealloc;
    t->tp_traverse = descr_traverse;
    t->tp_repr = descr_repr;
    t->tp_descr_get = id == PM_T_MEMBER_DESCR ? member_get : getset_get;
    t->tp_descr_set = id == PM_T_MEMBER_DESCR ? member_set : getset_set;
}

pm_status _pm_type_init(pm_heap *h) {
    pm_type *tt = type_type(h);
    tt->tp_dealloc = type_dealloc;
    tt->tp_traverse = type_traverse;
    tt->tp_clear = type_clear;
    tt->tp_refs = type_refs;
    tt->tp_sizeof = type_sizeof;
    tt->tp_repr = type_repr;
    tt->tp_weaklistoffset = (int32_t)offsetof(pm_type, tp_weaklist);   /* weakref.ref(SomeClass) */
    init_descr_type(h, PM_T_MEMBER_DESCR, "member_descriptor");
    init_descr_type(h, PM_T_GETSET_DESCR, "getset_descriptor");
    return PM_OK;
}
