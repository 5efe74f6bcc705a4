/* object.c — reference counting, allocation with 64-bit charged sizes,
 * deallocation and the trashcan, GC list linkage, the generic object
 * protocol, static objects, and the pending exception.
 *
 * Mirrors CPython 3.12 Objects/object.c (_Py_Dealloc, _PyTrash_begin/end,
 * _PyTrash_thread_destroy_chain, PyObject_Repr), Objects/typeobject.c
 * (object_repr, PyType_GenericAlloc's size rule) and the tracking half of
 * Modules/gcmodule.c (_PyObject_GC_Link, _PyObject_GC_TRACK/UNTRACK).
 */
#include "object.h"
#include "snapshot.h"
#include "typeobject.h"


/* ---- Strings for reprs ---------------------------------------------------- */

void _pm_strbuf_init(pm_strbuf *sb, pm_heap *h) { memset(sb, 0, sizeof *sb); sb->h = h; }

void _pm_strbuf_put(pm_strbuf *sb, const char *s, size_t n) {
    if (sb->failed) return;
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (cap < sb->len + n + 1) cap *= 2;
        char *nb = _pm_raw_realloc(sb->h, sb->buf, cap);
        if (!nb) { sb->failed = 1; return; }
        sb->buf = nb;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void _pm_strbuf_puts(pm_strbuf *sb, const char *s) { _pm_strbuf_put(sb, s, strlen(s)); }

void _pm_strbuf_printf(pm_strbuf *sb, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = _pm_vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    _pm_strbuf_put(sb, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void _pm_strbuf_free(pm_strbuf *sb) {
    if (sb->buf) _pm_raw_free(sb->h, sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

/* ---- Exceptions ------------------------------------------------------------- */

void pm_err_set(pm_heap *h, pm_exc_kind kind, const char *fmt, ...) {
    pm_objstate *os = h->os;
    os->exc = kind;
    va_list ap;
    va_start(ap, fmt);
    _pm_vformat(os->exc_msg, sizeof os->exc_msg, fmt, ap);
    va_end(ap);
    _pm_set_status(h, kind == PM_EXC_MemoryError ? PM_ENOMEM : PM_EPYTHON, "%s", os->exc_msg);
}

void pm_err_nomem(pm_heap *h) {
    /* keep the allocator's message (it says which limit was hit) */
    char msg[PM_ERRBUF];
    _pm_format(msg, sizeof msg, "%s", h->errbuf);
    pm_err_set(h, PM_EXC_MemoryError, "%s", msg);
}

pm_exc_kind pm_err_occurred(const pm_heap *h) { return h->os->exc; }

void pm_err_clear(pm_heap *h) {
    h->os->exc = PM_EXC_NONE;
    h->os->exc_msg[0] = '\0';
}

/* ---- Allocation --------------------------------------------------------------- */

size_t pm_type_preheader(const pm_type *t) {
    size_t n = 0;
    if (t->tp_flags & PM_TPFLAGS_HAVE_GC) n += PM_GC_HEAD_SIZE;
    if (t->tp_flags & (PM_TPFLAGS_MANAGED_DICT | PM_TPFLAGS_MANAGED_WEAKREF)) n += PM_PREHEADER_SIZE;
    return n;
}

pm_object *pm_object_alloc_bytes(pm_heap *h, pm_type *t, size_t objsize, size_t nitems) {
    size_t pre = pm_type_preheader(t);
    char *block = pm_malloc(h, PM_DOMAIN_OBJ, pre + objsize);
    if (!block) { pm_err_nomem(h); return NULL; }
    memset(block, 0, pre);
    pm_object *o = (pm_object *)(block + pre);
    o->ob_refcnt = 1;
    o->ob_type = t;
    if (t->tp_flags & PM_TPFLAGS_HEAPTYPE) pm_incref((pm_object *)t);
    if (t->tp_itemsize) PM_SIZE(o) = (int64_t)nitems;
    if (t->tp_flags & PM_TPFLAGS_HAVE_GC) {
        /* _PyObject_GC_Link; past the threshold gc.c may request a collection */
        if (++h->os->gen_count[0] > h->os->gen_threshold[0] || h->os->gc_stress) _pm_gc_on_alloc(h);
    }
    return o;
}

/* PyType_GenericAlloc / _PyObject_GC_NewVar: _PyObject_VAR_SIZE rounds the
 * variable size up to a multiple of the (64-bit) pointer size. */
pm_object *pm_object_alloc(pm_heap *h, pm_type *t, size_t nitems) {
    size_t size = t->tp_basicsize + nitems * t->tp_itemsize;
    if (t->tp_itemsize) size = (size + 7) & ~(size_t)7;
    return pm_object_alloc_bytes(h, t, size, nitems);
}

void pm_object_free(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (t->tp_flags & PM_TPFLAGS_HAVE_GC) {
        if (h->os->gen_count[0] > 0) h->os->gen_count[0]--;   /* PyObject_GC_Del */
    }
    pm_free(h, PM_DOMAIN_OBJ, (char *)o - pm_type_preheader(t));
}

pm_object *pm_object_resize(pm_heap *h, pm_object *o, size_t nitems) {
    pm_type *t = PM_TYPE(o);
    size_t pre = pm_type_preheader(t);
    size_t size = t->tp_basicsize + nitems * t->tp_itemsize;
    if (t->tp_itemsize) size = (size + 7) & ~(size_t)7;
    char *block = pm_realloc(h, PM_DOMAIN_OBJ, (char *)o - pre, pre + size);
    if (!block) { pm_err_nomem(h); return NULL; }
    o = (pm_object *)(block + pre);
    PM_SIZE(o) = (int64_t)nitems;
    return o;
}

void pm_object_immortalize(pm_object *o) {
    o->ob_refcnt = PM_IMMORTAL_REFCNT;
}

/* ---- Deallocation and the trashcan ------------------------------------------------ */

void _pm_dealloc(pm_heap *h, pm_object *o) {
    PM_TYPE(o)->tp_dealloc(h, o);
}

int pm_trashcan_begin(pm_heap *h, pm_object *o, void (*dealloc)(pm_heap *, pm_object *)) {
    pm_objstate *os = h->os;
    if (PM_TYPE(o)->tp_dealloc != dealloc) return PM_TRASH_UNCOUNTED;
    if (os->trash_nesting >= PM_TRASH_UNWIND_LEVEL) {
        /* _PyTrash_thread_deposit_object: chain through the GC head's prev
         * word (the object is untracked, so the word is free) */
        pm_gc_head *g = PM_AS_GC(o);
        g->_gc_prev = (g->_gc_prev & PM_GC_PREV_MASK_FINALIZED) | ((uintptr_t)os->trash_delete_later);
        os->trash_delete_later = o;
        return PM_TRASH_DEFERRED;
    }
    os->trash_nesting++;
    return PM_TRASH_COUNTED;
}

/* _PyTrash_thread_destroy_chain: newest deposit first. Each dealloc may
 * deposit more objects; the loop picks those up too. */
static void trash_destroy_chain(pm_heap *h) {
    pm_objstate *os = h->os;
    os->trash_nesting++;
    while (os->trash_delete_later) {
        pm_object *o = os->trash_delete_later;
        pm_gc_head *g = PM_AS_GC(o);
        os->trash_delete_later = (pm_object *)(g->_gc_prev & PM_GC_PREV_MASK);
        g->_gc_prev &= PM_GC_PREV_MASK_FINALIZED;
        PM_TYPE(o)->tp_dealloc(h, o);
    }
    os->trash_nesting--;
}

void pm_trashcan_end(pm_heap *h, int token) {
    if (token != PM_TRASH_COUNTED) return;
    pm_objstate *os = h->os;
    os->trash_nesting--;
    if (os->trash_delete_later && os->trash_nesting <= 0) trash_destroy_chain(h);
}

/* ---- GC list linkage ------------------------------------------------------------ */

static inline pm_gc_head *gc_prev(pm_gc_head *g) { return (pm_gc_head *)(g->_gc_prev & PM_GC_PREV_MASK); }
static inline void gc_set_prev(pm_gc_head *g, pm_gc_head *p) {
    g->_gc_prev = (g->_gc_prev & ~PM_GC_PREV_MASK) | (uintptr_t)p;
}

void pm_gc_track(pm_heap *h, pm_object *o) {
    pm_gc_head *g = PM_AS_GC(o);
    if (g->_gc_next) _pm_fatal(h, "pm_gc_track: object already tracked");
    pm_gc_head *gen0 = &h->os->generations[0];
    pm_gc_head *last = gc_prev(gen0);
    last->_gc_next = (uintptr_t)g;
    gc_set_prev(g, last);
    g->_gc_next = (uintptr_t)gen0;
    gen0->_gc_prev = (uintptr_t)g;
}

void pm_gc_untrack(pm_heap *h, pm_object *o) {
    (void)h;
    pm_gc_head *g = PM_AS_GC(o);
    if (!g->_gc_next) return;
    pm_gc_head *prev = gc_prev(g), *next = (pm_gc_head *)g->_gc_next;
    prev->_gc_next = (uintptr_t)next;
    gc_set_prev(next, prev);
    g->_gc_next = 0;
    g->_gc_prev &= PM_GC_PREV_MASK_FINALIZED;
}

/* ---- Weakref lists, finalizers, host calls -------------------------------------- */

pm_object **pm_object_weaklist(pm_object *o) {
    int32_t off = PM_TYPE(o)->tp_weaklistoffset;
    if (off == 0) return NULL;
    if (off == PM_WEAKLIST_MANAGED) return PM_PREHEADER_WEAKLIST(o);
    return (pm_object **)((char *)o + off);
}

void pm_set_host_hooks(pm_heap *h, const pm_host_hooks *hooks) {
    if (hooks) h->os->hooks = *hooks;
    else memset(&h->os->hooks, 0, sizeof h->os->hooks);
}

void pm_finalize_via_host(pm_heap *h, pm_object *o) {
    pm_host_hooks *k = &h->os->hooks;
    if (k->finalize) k->finalize(h, o, k->ctx);
}

void pm_host_call(pm_heap *h, pm_object *callable, pm_object *args) {
    pm_host_hooks *k = &h->os->hooks;
    if (k->call) k->call(h, callable, args, k->ctx);
}

pm_object *pm_host_slot(pm_heap *h, int slot, pm_object *a, pm_object *b) {
    static const char *const names[] = { "__hash__", "__bool__", "__eq__" };
    pm_host_hooks *k = &h->os->hooks;
    if (!k->slot) {
        pm_err_set(h, PM_EXC_TypeError, "pyheap: no host runs Python code here, so %s.%s cannot be called",
                   PM_TYPE(a)->tp_name, names[slot]);
        return NULL;
    }
    /* the Python code may drop every other reference to its operands */
    pm_incref(a);
    pm_xincref(b);
    pm_object *r = k->slot(h, slot, a, b, k->ctx);
    pm_decref(h, a);
    pm_xdecref(h, b);
    if (!r && !pm_err_occurred(h))
        pm_err_set(h, PM_EXC_HostError, "exception raised in %s.%s", PM_TYPE(a)->tp_name, names[slot]);
    return r;
}

void pm_object_call_finalizer(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!t->tp_finalize) return;
    if (pm_type_is_gc(t)) {
        pm_gc_head *g = PM_AS_GC(o);
        if (g->_gc_prev & PM_GC_PREV_MASK_FINALIZED) return;   /* PEP 442: at most once */
        g->_gc_prev |= PM_GC_PREV_MASK_FINALIZED;
    }
    t->tp_finalize(h, o);
}

int pm_object_call_finalizer_from_dealloc(pm_heap *h, pm_object *o) {
    if (o->ob_refcnt != 0) _pm_fatal(h, "finalizer called from dealloc on a live object");
    o->ob_refcnt = 1;                    /* temporarily resurrect */
    pm_object_call_finalizer(h, o);
    if (--o->ob_refcnt == 0) return 0;   /* still dead: the deallocator goes on */
    /* resurrected: a reference was stored somewhere. CPython re-tracks a GC
     * object the deallocator had untracked (_PyObject_GC_TRACK in
     * subtype_dealloc's resurrection path is the caller's business). */
    return -1;
}

/* ---- Generic protocol ------------------------------------------------------------ */

pm_type *pm_builtin_type(pm_heap *h, pm_type_id id) { return &h->os->types[id]; }

size_t pm_object_sizeof(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (t->tp_sizeof) return t->tp_sizeof(h, o);
    size_t n = t->tp_basicsize;
    if (t->tp_itemsize) {
        int64_t k = PM_SIZE(o);
        n += (size_t)(k < 0 ? -k : k) * t->tp_itemsize;
    }
    return n;
}

size_t pm_object_getsizeof(pm_heap *h, pm_object *o) {
    return pm_object_sizeof(h, o) + pm_type_preheader(PM_TYPE(o));
}

int64_t pm_object_hash(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!t->tp_hash) {
        pm_err_set(h, PM_EXC_TypeError, "unhashable type: '%s'", t->tp_name);
        return -1;
    }
    return t->tp_hash(h, o);
}

/* PyObject_RichCompareBool(a, b, Py_EQ): identity first, then
 * PyObject_RichCompare, which enters the C recursion guard
 * (_Py_EnterRecursiveCall(" in comparison")) — the counter repr uses too,
 * so os->repr_depth serves both. Without it, a = [a]; b = [b]; a == b
 * recursed until the C stack overflowed (found by fuzz_objects). At module
 * level CPython 3.12 has 1498 levels left for comparisons
 * (tests/fixtures/recursion_eq.txt): the interpreter's own C frames hold 2. */
#define PM_EQ_RECURSION_LIMIT (PM_C_RECURSION_LIMIT - 2)
int pm_object_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (a == b) return 1;
    pm_objstate *os = h->os;
    if (os->repr_depth >= PM_EQ_RECURSION_LIMIT) {
        pm_err_set(h, PM_EXC_RecursionError, "maximum recursion depth exceeded in comparison");
        return -1;
    }
    os->repr_depth++;
    /* do_richcompare: a proper subtype's reflected method goes first; a
     * type's own method otherwise, then the other operand's reflected one
     * (even when the types are the same: two user __eq__ calls). */
    pm_type *ta = PM_TYPE(a), *tb = PM_TYPE(b);
    int r = PM_NOTIMPL, reversed = 0;
    if (tb != ta && tb->tp_eq && pm_type_is_subtype(tb, ta)) {
        reversed = 1;
        r = tb->tp_eq(h, b, a);
    }
    if (r == PM_NOTIMPL && ta->tp_eq) r = ta->tp_eq(h, a, b);
    if (r == PM_NOTIMPL && !reversed && tb->tp_eq) r = tb->tp_eq(h, b, a);
    os->repr_depth--;
    return r == PM_NOTIMPL ? 0 : r;
}

int pm_object_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_type *t = PM_TYPE(o);
    if (t->tp_repr) {
        pm_objstate *os = h->os;
        if (os->repr_depth >= PM_C_RECURSION_LIMIT) {
            pm_err_set(h, PM_EXC_RecursionError, "maximum recursion depth exceeded while getting the repr of an object");
            return -1;
        }
        os->repr_depth++;
        int r = t->tp_repr(h, o, sb);
        os->repr_depth--;
        return r;
    }
    /* object_repr: <module.qualname object at 0x...>; built-ins have no module prefix */
    _pm_strbuf_printf(sb, "<%s object at %p>", t->tp_name, (void *)o);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

int pm_repr_enter(pm_heap *h, pm_object *o) {
    pm_objstate *os = h->os;
    for (uint32_t i = os->repr_len; i-- > 0;)
        if (os->repr_active[i] == o) return 1;
    if (os->repr_len == os->repr_cap) {
        uint32_t cap = os->repr_cap ? os->repr_cap * 2 : 16;
        pm_object **n = _pm_raw_realloc(h, os->repr_active, cap * sizeof *n);
        if (!n) {
            pm_err_nomem(h);
            return -1;
        }
        os->repr_active = n;
        os->repr_cap = cap;
    }
    os->repr_active[os->repr_len++] = o;
    return 0;
}

void pm_repr_leave(pm_heap *h, pm_object *o) {
    pm_objstate *os = h->os;
    for (uint32_t i = os->repr_len; i-- > 0;) {
        if (os->repr_active[i] == o) {
            memmove(&os->repr_active[i], &os->repr_active[i + 1], (os->repr_len - i - 1) * sizeof o);
            os->repr_len--;
            return;
        }
    }
}

int pm_object_may_be_tracked(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!pm_type_is_gc(t)) return 0;
    for (pm_type *b = t; b; b = b->tp_base)       /* type objects, metaclass instances included */
        if (b == pm_builtin_type(h, PM_T_TYPE))
            return (((pm_type *)o)->tp_flags & PM_TPFLAGS_HEAPTYPE) != 0;
    if (t == pm_builtin_type(h, PM_T_TUPLE)) return pm_gc_is_tracked(o);
    return 1;
}

int pm_object_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    pm_type *t = PM_TYPE(o);
    return t->tp_traverse ? t->tp_traverse(h, o, visit, arg) : 0;
}

int pm_object_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    pm_type *t = PM_TYPE(o);
    if (t->tp_refs) return t->tp_refs(h, o, visit, arg);
    return t->tp_traverse ? t->tp_traverse(h, o, visit, arg) : 0;
}

/* ---- Static objects ----------------------------------------------------------------- */

pm_object *_pm_static_alloc(pm_heap *h, pm_type *t, size_t hostsize, size_t nitems) {
    size_t pre = pm_type_preheader(t);
    size_t need = (pre + hostsize + 15) & ~(size_t)15;
    if (h->statics_used + need > PM_STATIC_BYTES) _pm_fatal(h, "static object area exhausted (PM_STATIC_BYTES)");
    char *block = (char *)h->statics + h->statics_used;
    h->statics_used += need;
    memset(block, 0, need);
    pm_object *o = (pm_object *)(block + pre);
    o->ob_refcnt = PM_IMMORTAL_REFCNT;
    o->ob_type = t;
    if (t->tp_itemsize) PM_SIZE(o) = (int64_t)nitems;
    return o;
}

/* ---- Built-in types owned by this file: type, object, None, NotImplemented, Ellipsis ---- */

static void static_dealloc(pm_heap *h, pm_object *o) {
    (void)o;
    _pm_fatal(h, "deallocating an immortal object");
}

static void object_dealloc(pm_heap *h, pm_object *o) { pm_object_free(h, o); }

static int64_t pointer_hash(pm_heap *h, pm_object *o) {
    (void)h;
    return pm_hash_pointer(o);
}

static int named_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    const char *s = o == h->os->none ? "None" : o == h->os->notimplemented ? "NotImplemented" : "Ellipsis";
    _pm_strbuf_puts(sb, s);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

static int type_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    _pm_strbuf_printf(sb, "<class '%s'>", ((pm_type *)o)->tp_name);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* type.__sizeof__: a static type reports sizeof(PyTypeObject), 416 on
 * 64-bit 3.12 (heap types come with classes). */
static size_t type_sizeof(pm_heap *h, pm_object *o) {
    (void)h; (void)o;
    return 416;
}

void _pm_type_init_static(pm_heap *h, pm_type *t, uint32_t id, const char *name, uint32_t basicsize,
                          uint32_t itemsize, uint32_t flags) {
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = &h->os->types[PM_T_TYPE];
    t->tp_name = name;
    t->tp_basicsize = basicsize;
    t->tp_itemsize = itemsize;
    t->tp_flags = flags | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = id;
    t->tp_base = id == PM_T_OBJECT ? NULL : &h->os->types[PM_T_OBJECT];
    t->tp_dealloc = static_dealloc;
    t->tp_hash = pointer_hash;
}

static void init_type(pm_heap *h, pm_type_id id, const char *name, uint32_t basicsize, uint32_t itemsize,
                      uint32_t flags) {
    _pm_type_init_static(h, &h->os->types[id], id, name, basicsize, itemsize, flags);
}

pm_status _pm_objects_init(pm_heap *h) {
    pm_objstate *os = (pm_objstate *)h->statics;
    h->statics_used = (sizeof *os + 15) & ~(size_t)15;
    memset(os, 0, sizeof *os);
    h->os = os;
    for (int i = 0; i < 3; i++) {
        os->generations[i]._gc_next = os->generations[i]._gc_prev = (uintptr_t)&os->generations[i];
    }
    os->permanent._gc_next = os->permanent._gc_prev = (uintptr_t)&os->permanent;
    os->gen_threshold[0] = 700;
    os->gen_threshold[1] = 10;
    os->gen_threshold[2] = 10;

    /* type objects of this file; the type files set their own up */
    init_type(h, PM_T_TYPE, "type", 920, 40, PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE);
    init_type(h, PM_T_OBJECT, "object", 16, 0, PM_TPFLAGS_BASETYPE);
    init_type(h, PM_T_NONE, "NoneType", 16, 0, 0);
    init_type(h, PM_T_NOTIMPLEMENTED, "NotImplementedType", 16, 0, 0);
    init_type(h, PM_T_ELLIPSIS, "ellipsis", 16, 0, 0);
    os->types[PM_T_TYPE].tp_repr = type_repr;
    os->types[PM_T_TYPE].tp_sizeof = type_sizeof;
    os->types[PM_T_OBJECT].tp_dealloc = object_dealloc;
    for (int id = PM_T_NONE; id <= PM_T_ELLIPSIS; id++) os->types[id].tp_repr = named_repr;

    os->none = _pm_static_alloc(h, &os->types[PM_T_NONE], sizeof(pm_object), 0);
    os->notimplemented = _pm_static_alloc(h, &os->types[PM_T_NOTIMPLEMENTED], sizeof(pm_object), 0);
    os->ellipsis = _pm_static_alloc(h, &os->types[PM_T_ELLIPSIS], sizeof(pm_object), 0);

    pm_status (*const inits[])(pm_heap *) = {
        _pm_gc_init, _pm_long_init, _pm_float_init, _pm_unicode_init, _pm_bytes_init,
        _pm_tuple_init, _pm_list_init, _pm_range_init, _pm_dict_init, _pm_set_init, _pm_weakref_init,
        _pm_type_init,
        _pm_code_init, _pm_function_init, _pm_cell_init, _pm_method_init, _pm_gen_init, _pm_frame_init,
        _pm_iter_init, _pm_exc_init, _pm_dictview_init, _pm_descr_init,
    };
    for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++) {
        pm_status st = inits[i](h);
        if (st != PM_OK) return st;
    }
    return PM_OK;
}

void _pm_objects_fini(pm_heap *h) {
    if (!h->os) return;
    void (*const clears[])(pm_heap *) = {
        _pm_float_clear_freelist, _pm_tuple_clear_freelist, _pm_list_clear_freelist, _pm_dict_clear_freelist,
    };
    for (size_t i = 0; i < sizeof clears / sizeof clears[0]; i++)
        clears[i](h);
    _pm_frame_fini(h);
    if (h->os->repr_active) _pm_raw_free(h, h->os->repr_active);
    pm_snapshot_release(h);
    h->os = NULL;
}
