/* weakrefobject.c — weak references: the ref, proxy and callable proxy
 * types, the weakref list of each referent, and PyObject_ClearWeakRefs.
 *
 * Mirrors CPython 3.12 Objects/weakrefobject.c: init_weakref,
 * clear_weakref, _PyWeakref_ClearRef, get_basic_refs, insert_head,
 * insert_after, weakref___new__, PyWeakref_NewProxy, weakref_hash,
 * weakref_richcompare, weakref_repr, proxy_repr, proxy_checkref,
 * _PyWeakref_GetWeakrefCount, handle_callback, PyObject_ClearWeakRefs; and
 * Modules/_weakref.c (getweakrefcount, getweakrefs). The list invariants
 * are in weakrefobject.h.
 */
#include "weakrefobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "gc.h"

_Static_assert(sizeof(pm_weakref) <= PM_WEAKREF_BASICSIZE, "weakref struct must fit the 64-bit model's 64 bytes");

static pm_type *ref_type(pm_heap *h) { return pm_builtin_type(h, PM_T_WEAKREF); }

#define WR(o) ((pm_weakref *)(o))

/* ---- The referent's list -------------------------------------------------------- */

static pm_weakref **list_of(pm_object *ob) { return (pm_weakref **)pm_object_weaklist(ob); }

/* clear_weakref: unlink from the referent's list, referent := None, drop the callback. */
static void clear_weakref(pm_heap *h, pm_weakref *self) {
    pm_object *callback = self->wr_callback;
    if (self->wr_object != PM_NONE(h)) {
        pm_weakref **list = list_of(self->wr_object);
        if (*list == self) *list = self->wr_next;
        self->wr_object = PM_NONE(h);
        if (self->wr_prev) self->wr_prev->wr_next = self->wr_next;
        if (self->wr_next) self->wr_next->wr_prev = self->wr_prev;
        self->wr_prev = self->wr_next = NULL;
    }
    if (callback) {
        self->wr_callback = NULL;
        pm_decref(h, callback);
    }
}

void _pm_weakref_clear_ref(pm_heap *h, pm_weakref *wr) {
    pm_object *callback = wr->wr_callback;
    wr->wr_callback = NULL;
    clear_weakref(h, wr);
    wr->wr_callback = callback;
}

/* get_basic_refs: the shared callback-less ref and proxy at the list head. */
static void get_basic_refs(pm_heap *h, pm_weakref *head, pm_weakref **refp, pm_weakref **proxyp) {
    *refp = *proxyp = NULL;
    if (head && !head->wr_callback) {
        if (PM_TYPE(head) == ref_type(h)) {
            *refp = head;
            head = head->wr_next;
        }
        if (head && !head->wr_callback && pm_weakref_check_proxy(h, (pm_object *)head)) *proxyp = head;
    }
}

static void insert_head(pm_weakref *nr, pm_weakref **list) {
    pm_weakref *next = *list;
    nr->wr_prev = NULL;
    nr->wr_next = next;
    if (next) next->wr_prev = nr;
    *list = nr;
}

static void insert_after(pm_weakref *nr, pm_weakref *prev) {
    nr->wr_prev = prev;
    nr->wr_next = prev->wr_next;
    if (prev->wr_next) prev->wr_next->wr_prev = nr;
    prev->wr_next = nr;
}

static pm_weakref **weaklist_or_error(pm_heap *h, pm_object *ob) {
    pm_weakref **list = list_of(ob);
    if (!list) pm_err_set(h, PM_EXC_TypeError, "cannot create weak reference to '%s' object", PM_TYPE(ob)->tp_name);
    return list;
}

/* Allocation + init_weakref; tracked, not yet on the list. */
static pm_weakref *alloc_weakref(pm_heap *h, pm_type *t, pm_object *ob, pm_object *callback) {
    pm_weakref *self = (pm_weakref *)pm_object_alloc(h, t, 0);
    if (!self) return NULL;
    self->hash = -1;
    self->wr_object = ob;
    self->wr_prev = self->wr_next = NULL;
    self->wr_callback = callback ? pm_newref(callback) : NULL;
    pm_gc_track(h, (pm_object *)self);
    return self;
}

/* ---- Creation ----------------------------------------------------------------- */

pm_object *pm_weakref_new(pm_heap *h, pm_type *t, pm_object *ob, pm_object *callback) {
    if (!t) t = ref_type(h);
    pm_type *b = t;
    while (b && b != ref_type(h)) b = b->tp_base;
    if (!b) {
        pm_err_set(h, PM_EXC_TypeError, "%s is not a subtype of weakref.ReferenceType", t->tp_name);
        return NULL;
    }
    pm_weakref **list = weaklist_or_error(h, ob);
    if (!list) return NULL;
    if (callback == PM_NONE(h)) callback = NULL;
    pm_weakref *ref, *proxy;
    get_basic_refs(h, *list, &ref, &proxy);
    if (!callback && t == ref_type(h) && ref) return pm_newref((pm_object *)ref);
    pm_weakref *self = alloc_weakref(h, t, ob, callback);
    if (!self) return NULL;
    if (!callback && t == ref_type(h)) {
        insert_head(self, list);
    } else {
        get_basic_refs(h, *list, &ref, &proxy);
        pm_weakref *prev = proxy ? proxy : ref;
        if (prev) insert_after(self, prev);
        else insert_head(self, list);
    }
    return (pm_object *)self;
}

pm_object *pm_weakref_proxy(pm_heap *h, pm_object *ob, pm_object *callback, int callable) {
    pm_weakref **list = weaklist_or_error(h, ob);
    if (!list) return NULL;
    if (callback == PM_NONE(h)) callback = NULL;
    pm_weakref *ref, *proxy;
    get_basic_refs(h, *list, &ref, &proxy);
    if (!callback && proxy) return pm_newref((pm_object *)proxy);
    pm_type *t = pm_builtin_type(h, callable ? PM_T_WEAKCALLABLEPROXY : PM_T_WEAKPROXY);
    pm_weakref *self = alloc_weakref(h, t, ob, callback);
    if (!self) return NULL;
    get_basic_refs(h, *list, &ref, &proxy);
    pm_weakref *prev = callback ? (proxy ? proxy : ref) : ref;
    if (prev) insert_after(self, prev);
    else insert_head(self, list);
    return (pm_object *)self;
}

/* ---- Access ------------------------------------------------------------------------ */

pm_object *pm_weakref_get(pm_heap *h, pm_object *ref) { (void)h; return WR(ref)->wr_object; }

pm_object *pm_weakref_call(pm_heap *h, pm_object *ref) { return pm_newref(pm_weakref_get(h, ref)); }

pm_object *pm_weakref_callback(pm_heap *h, pm_object *ref) { (void)h; return WR(ref)->wr_callback; }

/* proxy_checkref */
pm_object *pm_weakref_proxy_referent(pm_heap *h, pm_object *proxy) {
    pm_object *o = WR(proxy)->wr_object;
    if (o == PM_NONE(h)) {
        pm_err_set(h, PM_EXC_ReferenceError, "weakly-referenced object no longer exists");
        return NULL;
    }
    return pm_newref(o);
}

int64_t pm_weakref_getweakrefcount(pm_heap *h, pm_object *ob) {
    (void)h;
    pm_weakref **list = list_of(ob);
    int64_t n = 0;
    for (pm_weakref *w = list ? *list : NULL; w; w = w->wr_next) n++;
    return n;
}

pm_object *pm_weakref_getweakrefs(pm_heap *h, pm_object *ob) {
    pm_weakref **list = list_of(ob);
    int64_t n = pm_weakref_getweakrefcount(h, ob);
    pm_object *result = pm_list_new(h, n);
    if (!result) return NULL;
    int64_t i = 0;
    for (pm_weakref *w = list ? *list : NULL; w; w = w->wr_next)
        PM_LIST_SET(result, i++, pm_newref((pm_object *)w));
    return result;
}

/* ---- Type slots ------------------------------------------------------------------ */

static void weakref_dealloc(pm_heap *h, pm_object *o) {
    pm_gc_untrack(h, o);
    clear_weakref(h, WR(o));
    pm_object_free(h, o);
}

static int weakref_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_object *cb = WR(o)->wr_callback;
    return cb ? visit(cb, arg) : 0;
}

static int weakref_tp_clear(pm_heap *h, pm_object *o) {
    clear_weakref(h, WR(o));
    return 0;
}

/* weakref_hash: the referent's hash, cached; TypeError once dead if never hashed. */
static int64_t weakref_hash(pm_heap *h, pm_object *o) {
    pm_weakref *self = WR(o);
    if (self->hash != -1) return self->hash;
    pm_object *obj = self->wr_object;
    if (obj == PM_NONE(h)) {
        pm_err_set(h, PM_EXC_TypeError, "weak object has gone away");
        return -1;
    }
    pm_incref(obj);
    self->hash = pm_object_hash(h, obj);
    pm_decref(h, obj);
    return self->hash;
}

/* weakref_richcompare (==): identity once either is dead, else the referents compare. */
static int weakref_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_weakref_check(h, a) || !pm_weakref_check(h, b)) return PM_NOTIMPL;
    pm_object *x = WR(a)->wr_object, *y = WR(b)->wr_object;
    if (x == PM_NONE(h) || y == PM_NONE(h)) return a == b;
    pm_incref(x);
    pm_incref(y);
    int r = pm_object_eq(h, x, y);
    pm_decref(h, x);
    pm_decref(h, y);
    return r;
}

/* proxy_richcompare: unwrap proxies (ReferenceError if dead), compare the objects. */
static int proxy_eq(pm_heap *h, pm_object *a, pm_object *b) {
    pm_object *x = pm_weakref_check_proxy(h, a) ? pm_weakref_proxy_referent(h, a) : pm_newref(a);
    if (!x) return -1;
    pm_object *y = pm_weakref_check_proxy(h, b) ? pm_weakref_proxy_referent(h, b) : pm_newref(b);
    if (!y) {
        pm_decref(h, x);
        return -1;
    }
    int r = pm_object_eq(h, x, y);
    pm_decref(h, x);
    pm_decref(h, y);
    return r;
}

/* weakref_repr (a referent's __name__ is the interpreter's to add) */
static int weakref_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_object *obj = WR(o)->wr_object;
    if (obj == PM_NONE(h)) _pm_strbuf_printf(sb, "<weakref at %p; dead>", (void *)o);
    else _pm_strbuf_printf(sb, "<weakref at %p; to '%s' at %p>", (void *)o, PM_TYPE(obj)->tp_name, (void *)obj);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* proxy_repr: 3.12 has no "dead" form; a dead proxy shows its referent None. */
static int proxy_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_object *obj = WR(o)->wr_object;
    _pm_strbuf_printf(sb, "<weakproxy at %p; to '%s' at %p>", (void *)o, PM_TYPE(obj)->tp_name, (void *)obj);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

/* ---- Referent death: PyObject_ClearWeakRefs ------------------------------------------ */

/* handle_callback: callback(ref); the host reports exceptions as unraisable. */
static void handle_callback(pm_heap *h, pm_object *ref, pm_object *callback) {
    _pm_call_host2(h, callback, 1, ref, NULL);
}

void _pm_weakref_clear_refs(pm_heap *h, pm_object *o) {
    pm_weakref **list = list_of(o);
    if (!list) return;
    if (o->ob_refcnt != 0) _pm_fatal(h, "PyObject_ClearWeakRefs on a live object");
    /* the shared callback-less ref and proxy go first, silently */
    if (*list && !(*list)->wr_callback) {
        clear_weakref(h, *list);
        if (*list && !(*list)->wr_callback) clear_weakref(h, *list);
    }
    if (!*list) return;
    pm_weakref *current = *list;
    int64_t count = 0;
    for (pm_weakref *w = current; w; w = w->wr_next) count++;
    if (count == 1) {
        pm_object *callback = current->wr_callback;
        current->wr_callback = NULL;
        clear_weakref(h, current);
        if (callback) {
            if ((uint32_t)current->ob_base.ob_refcnt > 0) handle_callback(h, (pm_object *)current, callback);
            pm_decref(h, callback);
        }
        return;
    }
    /* several: clear them all first, then call back in list order (newest first) */
    pm_object *tuple = pm_tuple_new(h, count * 2);
    if (!tuple) {
        /* 3.12 gives up here, leaving the weakrefs on the list of a dying
         * object; the model clears them silently instead of corrupting */
        pm_err_clear(h);
        while (*list) clear_weakref(h, *list);
        return;
    }
    for (int64_t i = 0; i < count; i++) {
        pm_weakref *next = current->wr_next;
        if ((uint32_t)current->ob_base.ob_refcnt > 0) {
            PM_TUPLE_SET(tuple, i * 2, pm_newref((pm_object *)current));
            PM_TUPLE_SET(tuple, i * 2 + 1, current->wr_callback);
        } else {
            pm_xdecref(h, current->wr_callback);
        }
        current->wr_callback = NULL;
        clear_weakref(h, current);
        current = next;
    }
    for (int64_t i = 0; i < count; i++) {
        pm_object *callback = PM_TUPLE_GET(tuple, i * 2 + 1);
        if (callback) handle_callback(h, PM_TUPLE_GET(tuple, i * 2), callback);
    }
    pm_decref(h, tuple);
}

/* ---- Set-up ----------------------------------------------------------------------- */

static void init_one(pm_heap *h, pm_type_id id, const char *name, uint32_t flags) {
    pm_type *t = pm_builtin_type(h, id);
    _pm_type_init_static(h, t, id, name, PM_WEAKREF_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC | flags);
    t->tp_dealloc = weakref_dealloc;
    t->tp_traverse = weakref_traverse;
    t->tp_clear = weakref_tp_clear;
    t->tp_weaklistoffset = 0;
}

pm_status _pm_weakref_init(pm_heap *h) {
    init_one(h, PM_T_WEAKREF, "weakref.ReferenceType", PM_TPFLAGS_BASETYPE);
    init_one(h, PM_T_WEAKPROXY, "weakref.ProxyType", 0);
    init_one(h, PM_T_WEAKCALLABLEPROXY, "weakref.CallableProxyType", 0);
    pm_type *r = ref_type(h);
    r->tp_hash = weakref_hash;
    r->tp_eq = weakref_eq;
    r->tp_repr = weakref_repr;
    for (int id = PM_T_WEAKPROXY; id <= PM_T_WEAKCALLABLEPROXY; id++) {
        pm_type *t = pm_builtin_type(h, (pm_type_id)id);
        t->tp_hash = NULL;              /* unhashable type: 'weakref.ProxyType' */
        t->tp_eq = proxy_eq;
        t->tp_repr = proxy_repr;
    }
    return PM_OK;
}
