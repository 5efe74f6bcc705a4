/* gc.c — the generational cycle collector of CPython 3.12 and the gc module.
 *
 * Mirrors Modules/gcmodule.c (3.12): the gc_list_* helpers, update_refs,
 * subtract_refs / visit_decref, move_unreachable / visit_reachable,
 * deduce_unreachable, untrack_tuples, untrack_dicts, move_legacy_finalizers,
 * handle_weakrefs, finalize_garbage, handle_resurrected_objects,
 * delete_garbage, gc_collect_main, invoke_gc_callback,
 * gc_collect_with_callback, gc_collect_generations, _PyObject_GC_Link's
 * scheduling test and _Py_RunGC, and the module functions (gc_collect_impl,
 * gc_get_objects_impl, gc_get_referrers, gc_get_referents, gc_freeze_impl,
 * gc_unfreeze_impl, gc_get_stats_impl, ...). Reference §4 and §5.
 *
 * During a collection the _gc_prev word of an object in the collected set
 * holds gc_refs << PM_GC_PREV_SHIFT with the COLLECTING bit (FINALIZED
 * kept) from update_refs until move_unreachable restores the prev pointer;
 * objects on the tentative unreachable list carry NEXT_MASK_UNREACHABLE in
 * _gc_next until handle_weakrefs' walk (or clear_unreachable_mask) clears it.
 * List heads never carry flags.
 */
#include "gc.h"
#include "weakrefobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "longobject.h"
#include "unicodeobject.h"
#include "typeobject.h"

#define NEXT_MASK_UNREACHABLE ((uintptr_t)1)

static pm_gcstate *GS(pm_heap *h) { return h->os->gc; }

/* ---- List primitives (gc_list_*) ------------------------------------------------ */

static inline pm_gc_head *gnext(pm_gc_head *g) { return (pm_gc_head *)g->_gc_next; }
static inline pm_gc_head *gprev(pm_gc_head *g) { return (pm_gc_head *)(g->_gc_prev & PM_GC_PREV_MASK); }
static inline void set_prev(pm_gc_head *g, pm_gc_head *p) {
    g->_gc_prev = (g->_gc_prev & ~PM_GC_PREV_MASK) | (uintptr_t)p;
}

static void list_init(pm_gc_head *l) { l->_gc_prev = l->_gc_next = (uintptr_t)l; }
static int list_is_empty(pm_gc_head *l) { return l->_gc_next == (uintptr_t)l; }

static void list_append(pm_gc_head *node, pm_gc_head *list) {
    pm_gc_head *last = (pm_gc_head *)list->_gc_prev;
    set_prev(node, last);
    last->_gc_next = (uintptr_t)node;
    node->_gc_next = (uintptr_t)list;
    list->_gc_prev = (uintptr_t)node;
}

static void list_move(pm_gc_head *node, pm_gc_head *list) {
    pm_gc_head *from_prev = gprev(node), *from_next = gnext(node);
    from_prev->_gc_next = (uintptr_t)from_next;
    set_prev(from_next, from_prev);
    list_append(node, list);
}

/* gc_list_merge: append `from` to `to`; `from` ends empty. */
static void list_merge(pm_gc_head *from, pm_gc_head *to) {
    if (list_is_empty(from)) return;
    pm_gc_head *to_tail = (pm_gc_head *)to->_gc_prev;
    pm_gc_head *from_head = gnext(from), *from_tail = (pm_gc_head *)from->_gc_prev;
    to_tail->_gc_next = (uintptr_t)from_head;
    set_prev(from_head, to_tail);
    to->_gc_prev = (uintptr_t)from_tail;
    from_tail->_gc_next = (uintptr_t)to;
    list_init(from);
}

static int64_t list_size(pm_gc_head *l) {
    int64_t n = 0;
    for (pm_gc_head *g = gnext(l); g != l; g = gnext(g)) n++;
    return n;
}

/* gc_refs in _gc_prev */
static inline int64_t get_refs(pm_gc_head *g) { return (int64_t)(g->_gc_prev >> PM_GC_PREV_SHIFT); }
static inline void set_refs(pm_gc_head *g, uintptr_t r) {
    g->_gc_prev = (g->_gc_prev & ~PM_GC_PREV_MASK) | (r << PM_GC_PREV_SHIFT);
}
static inline void reset_refs(pm_gc_head *g, uintptr_t r) {
    g->_gc_prev = (g->_gc_prev & PM_GC_PREV_MASK_FINALIZED) | PM_GC_PREV_MASK_COLLECTING | (r << PM_GC_PREV_SHIFT);
}
static inline int is_collecting(pm_gc_head *g) { return (g->_gc_prev & PM_GC_PREV_MASK_COLLECTING) != 0; }
static inline void clear_collecting(pm_gc_head *g) { g->_gc_prev &= ~(uintptr_t)PM_GC_PREV_MASK_COLLECTING; }

static pm_gc_head *gen_head(pm_heap *h, int i) { return &h->os->generations[i]; }

/* ---- _PyObject_IS_GC ------------------------------------------------------------ */

/* A heap type deriving from `type`: its instances are classes. */
static inline int is_metaclass(pm_type *tt, pm_type *t) {
    for (pm_type *b = t->tp_base; b; b = b->tp_base)
        if (b == tt) return 1;
    return 0;
}

/* PyType_IS_GC(type) && (type->tp_is_gc == NULL || type->tp_is_gc(obj)) for
 * o of GC type t (tt: the type `type`): only type objects have a tp_is_gc
 * (static types carry HAVE_GC but no GC header). A heap type found not to
 * be a metaclass is stored in *plain (if not NULL). */
static inline int is_gc_of(pm_type *tt, pm_type *t, pm_object *o, pm_type **plain) {
    if (t == tt) return (((pm_type *)o)->tp_flags & PM_TPFLAGS_HEAPTYPE) != 0;
    if (!(t->tp_flags & PM_TPFLAGS_HEAPTYPE)) return 1;     /* other static types: list, dict, ... */
    if (is_metaclass(tt, t)) return (((pm_type *)o)->tp_flags & PM_TPFLAGS_HEAPTYPE) != 0;
    if (plain) *plain = t;
    return 1;
}

/* _PyObject_IS_GC, inline. */
static inline int is_gc(pm_heap *h, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    return pm_type_is_gc(t) && is_gc_of(&h->os->types[PM_T_TYPE], t, o, NULL);
}

int pm_object_is_gc(pm_heap *h, pm_object *o) { return is_gc(h, o); }

/* ---- stderr sink (PySys_WriteStderr / PySys_FormatStderr) ---------------------------- */

static void err_printf(pm_heap *h, const char *fmt, ...) {
    pm_gcstate *gs = GS(h);
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = _pm_vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
    if (gs->err_len + len + 1 > gs->err_cap) {
        size_t cap = gs->err_cap ? gs->err_cap * 2 : 1024;
        while (cap < gs->err_len + len + 1) cap *= 2;
        char *nb = _pm_raw_realloc(h, gs->err, cap);
        if (!nb) return;                /* stderr writes fail silently, as CPython's do */
        gs->err = nb;
        gs->err_cap = cap;
    }
    memcpy(gs->err + gs->err_len, tmp, len);
    gs->err_len += len;
    gs->err[gs->err_len] = '\0';
}

const char *pm_gc_stderr(pm_heap *h, size_t *len) {
    pm_gcstate *gs = GS(h);
    if (len) *len = gs->err_len;
    return gs->err ? gs->err : "";
}

void pm_gc_stderr_clear(pm_heap *h) {
    pm_gcstate *gs = GS(h);
    gs->err_len = 0;
    if (gs->err) gs->err[0] = '\0';
}

/* debug_cycle */
static void debug_cycle(pm_heap *h, const char *msg, pm_object *op) {
    err_printf(h, "gc: %s <%s %p>\n", msg, PM_TYPE(op)->tp_name, (void *)op);
}

/* ---- Tracing ------------------------------------------------------------------------ */

static void trace_add(pm_heap *h, pm_gc_phase ph, pm_object *o, int64_t value) {
    pm_gcstate *gs = GS(h);
    if (!gs->tracing) return;
    pm_gc_trace *t = &gs->trace[ph];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        pm_gc_trace_entry *ne = _pm_raw_realloc(h, t->e, cap * sizeof *ne);
        if (!ne) return;                /* tracing is best effort */
        t->e = ne;
        t->cap = cap;
    }
    t->e[t->n].obj = (uintptr_t)o;
    t->e[t->n].value = (int32_t)value;
    t->n++;
}

static void trace_begin(pm_heap *h, int generation) {
    pm_gcstate *gs = GS(h);
    if (!gs->tracing) return;
    for (int i = 0; i < PM_GC_PH__COUNT; i++) gs->trace[i].n = 0;
    gs->last_generation = generation;
    gs->last_collected = gs->last_uncollectable = -1;
}

static void trace_end_phase(pm_heap *h, pm_gc_phase ph) {
    pm_gcstate *gs = GS(h);
    if (gs->tracing && gs->observer)
        gs->observer(h, ph, gs->last_generation, gs->trace[ph].e, gs->trace[ph].n, gs->observer_ctx);
}

void pm_gc_trace_enable(pm_heap *h, int on) { GS(h)->tracing = on != 0; }

const pm_gc_trace_entry *pm_gc_trace_get(pm_heap *h, pm_gc_phase phase, size_t *n) {
    pm_gcstate *gs = GS(h);
    if ((unsigned)phase >= PM_GC_PH__COUNT) {
        if (n) *n = 0;
        return NULL;
    }
    if (n) *n = gs->trace[phase].n;
    return gs->trace[phase].e;
}

int pm_gc_trace_generation(pm_heap *h) { return GS(h)->last_generation; }

void pm_gc_trace_result(pm_heap *h, int64_t *collected, int64_t *uncollectable) {
    if (collected) *collected = GS(h)->last_collected;
    if (uncollectable) *uncollectable = GS(h)->last_uncollectable;
}

void pm_gc_set_observer(pm_heap *h, pm_gc_observer fn, void *ctx) {
    GS(h)->observer = fn;
    GS(h)->observer_ctx = ctx;
}

/* ---- Host calls with positional arguments ------------------------------------------------
 * CPython calls callbacks through vectorcall, which builds no tuple; the
 * host hook takes one. This argument tuple is an artifact of the hook, so
 * it is allocated outside the free list and released without it, and its
 * allocation leaves count[0] as it was, unless the host kept it. */
void _pm_call_host2(pm_heap *h, pm_object *callable, int n, pm_object *a0, pm_object *a1) {
    pm_objstate *os = h->os;
    int64_t count0 = os->gen_count[0];
    int sched = GS(h)->scheduled;
    pm_object *args = pm_object_alloc(h, pm_builtin_type(h, PM_T_TUPLE), (size_t)n);
    os->gen_count[0] = count0;
    GS(h)->scheduled = sched;
    if (!args) {
        pm_err_clear(h);                /* PyErr_WriteUnraisable */
        return;
    }
    PM_TUPLE_SET(args, 0, pm_newref(a0));
    if (n > 1) PM_TUPLE_SET(args, 1, pm_newref(a1));
    pm_host_call(h, callable, args);
    if ((uint32_t)args->ob_refcnt == 1) {
        for (int i = n; i-- > 0;) pm_decref(h, PM_TUPLE_GET(args, i));
        int64_t c = os->gen_count[0];
        pm_object_free(h, args);
        os->gen_count[0] = c;
    } else {
        pm_gc_track(h, args);           /* the host kept it: an ordinary tuple from now on */
        pm_decref(h, args);
    }
}

/* ---- Collection steps -------------------------------------------------------------- */

/* update_refs: gc_refs := refcount; immortals go to the permanent
 * generation. Returns how many objects stay on the list. */
static int64_t update_refs(pm_heap *h, pm_gc_head *containers) {
    pm_gc_head *next;
    int64_t n = 0;
    for (pm_gc_head *g = gnext(containers); g != containers; g = next) {
        next = gnext(g);
        pm_object *op = PM_FROM_GC(g);
        if (pm_is_immortal(op)) {
            list_move(g, &h->os->permanent);
            continue;
        }
        uint32_t rc = (uint32_t)op->ob_refcnt;
        if (rc == 0) _pm_fatal(h, "gc: a tracked object has refcount 0");
        reset_refs(g, rc);
        n++;
    }
    return n;
}

/* The visitors' context. `plain` caches the last heap type found not to
 * be a metaclass, so that _PyObject_IS_GC on instances of classes (the
 * common case) is one compare instead of a walk up the bases. It lives for
 * one pass, during which no code runs that could change a type's bases. */
typedef struct visit_ctx {
    pm_type *tt;                        /* the type `type` */
    pm_type *plain;
    pm_gc_head *reachable;              /* move_unreachable: the young list */
    pm_type *list_t, *tuple_t;          /* exact list and tuple: walked inline */
} visit_ctx;

/* What move_unreachable left on the young list: how many objects, and how
 * many exact tuples and dicts among them (the candidates of untrack_tuples
 * and untrack_dicts). */
typedef struct young_census {
    int64_t kept, tuples, dicts;
    int64_t unreachable;                /* and how many went to the unreachable list */
} young_census;

static void ctx_init(visit_ctx *c, pm_heap *h, pm_gc_head *reachable) {
    c->tt = &h->os->types[PM_T_TYPE];
    c->plain = NULL;
    c->reachable = reachable;
    c->list_t = &h->os->types[PM_T_LIST];
    c->tuple_t = &h->os->types[PM_T_TUPLE];
}

static inline int ctx_is_gc(visit_ctx *c, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!pm_type_is_gc(t)) return 0;
    if (t == c->plain) return 1;
    return is_gc_of(c->tt, t, o, &c->plain);
}

/* visit_decref's work on one referent. */
static inline void decref_one(visit_ctx *c, pm_object *op) {
    if (ctx_is_gc(c, op)) {
        pm_gc_head *g = PM_AS_GC(op);
        if (is_collecting(g)) g->_gc_prev -= (uintptr_t)1 << PM_GC_PREV_SHIFT;
    }
}

static int visit_decref(pm_object *op, void *arg) {
    decref_one(arg, op);
    return 0;
}

/* pm_object_traverse for the collector's two hot phases (subtract_refs,
 * move_unreachable). `one` is the phase's visit logic and `visit` the same
 * as a pm_visitproc; both are constants once this is inlined into the
 * phase. Exact lists and tuples (list_traverse / tupletraverse) and
 * instances of classes (subtype_traverse) are walked here, with the visit
 * inlined; everything else goes through tp_traverse. The referents come in
 * tp_traverse's order: gc.get_referents and the trace depend on it.
 * In wasm each tp_traverse is a call_indirect and each edge a second one
 * to the visitor; inline, an edge costs its loads and compares. The
 * visitors of these phases never stop a traversal (they return 0). */
static inline __attribute__((always_inline)) void traverse_hot(pm_heap *h, visit_ctx *c, pm_object *op,
        void (*one)(visit_ctx *, pm_object *), pm_visitproc visit) {
    pm_type *t = PM_TYPE(op);
    if (t == c->list_t) {                       /* list_traverse: last item first */
        pm_object **items = ((pm_list *)op)->ob_item;
        for (int64_t i = PM_SIZE(op); --i >= 0;)
            if (items[i]) one(c, items[i]);
        return;
    }
    if (t == c->tuple_t) {                      /* tupletraverse: last item first */
        for (int64_t i = PM_SIZE(op); --i >= 0;)
            if (PM_TUPLE_GET(op, i)) one(c, PM_TUPLE_GET(op, i));
        return;
    }
    int (*tr)(pm_heap *, pm_object *, pm_visitproc, void *) = t->tp_traverse;
    if (tr != _pm_subtype_traverse) {
        if (tr) (void)tr(h, op, visit, c);
        return;
    }
    /* subtype_traverse: each class's own slots, most derived first */
    pm_type *base = t;
    for (; base->tp_traverse == _pm_subtype_traverse; base = base->tp_base) {
        pm_object **slot = (pm_object **)((char *)op + ((pm_heaptype *)base)->slotoffset);
        for (int64_t i = 0, n = PM_SIZE(base); i < n; i++, slot += PM_SLOT_SIZE / sizeof *slot)
            if (*slot) one(c, *slot);
    }
    if (t->tp_flags & PM_TPFLAGS_MANAGED_DICT) {
        uintptr_t w = *PM_PREHEADER_DICT(op);
        if (pm_dorv_is_values(w))
            (void)_pm_dict_visit_instance_values(((pm_heaptype *)t)->ht_cached_keys, pm_dorv_values(w), visit, c);
        else if (w) one(c, (pm_object *)w);
    }
    one(c, (pm_object *)t);                     /* the instance's class */
    if (base->tp_traverse) (void)base->tp_traverse(h, op, visit, c);
}

/* subtract_refs: remove the references internal to the set. */
static void subtract_refs(pm_heap *h, pm_gc_head *containers) {
    visit_ctx c;
    ctx_init(&c, h, NULL);
    for (pm_gc_head *g = gnext(containers); g != containers; g = gnext(g))
        traverse_hot(h, &c, PM_FROM_GC(g), decref_one, visit_decref);
}

/* visit_reachable's work on one referent. */
static inline void reachable_one(visit_ctx *c, pm_object *op) {
    if (!ctx_is_gc(c, op)) return;
    pm_gc_head *g = PM_AS_GC(op);
    if (!is_collecting(g)) return;      /* other generations, or already scanned */
    if (g->_gc_next & NEXT_MASK_UNREACHABLE) {
        /* tentatively unreachable after all: back to the end of young */
        pm_gc_head *prev = gprev(g);
        pm_gc_head *next = (pm_gc_head *)(g->_gc_next & ~NEXT_MASK_UNREACHABLE);
        prev->_gc_next = g->_gc_next;   /* keeps the flag */
        set_prev(next, prev);
        list_append(g, c->reachable);
        set_refs(g, 1);
    } else if (get_refs(g) == 0) {
        set_refs(g, 1);
    }
}

static int visit_reachable(pm_object *op, void *arg) {
    reachable_one(arg, op);
    return 0;
}

/* move_unreachable; also takes the census of what stays on young. */
static void move_unreachable(pm_heap *h, pm_gc_head *young, pm_gc_head *unreachable, young_census *cs) {
    pm_gc_head *prev = young;
    pm_gc_head *g = gnext(young);
    visit_ctx c;
    ctx_init(&c, h, young);
    pm_type *tuple_t = &h->os->types[PM_T_TUPLE], *dict_t = &h->os->types[PM_T_DICT];
    young_census n = { 0, 0, 0, 0 };
    while (g != young) {
        if (get_refs(g)) {
            pm_type *t = PM_TYPE(PM_FROM_GC(g));
            n.kept++;
            n.tuples += t == tuple_t;
            n.dicts += t == dict_t;
            traverse_hot(h, &c, PM_FROM_GC(g), reachable_one, visit_reachable);
            set_prev(g, prev);
            clear_collecting(g);
            prev = g;
        } else {
            prev->_gc_next = g->_gc_next;
            pm_gc_head *last = gprev(unreachable);
            last->_gc_next = NEXT_MASK_UNREACHABLE | (uintptr_t)g;
            set_prev(g, last);
            g->_gc_next = NEXT_MASK_UNREACHABLE | (uintptr_t)unreachable;
            unreachable->_gc_prev = (uintptr_t)g;
        }
        g = (pm_gc_head *)prev->_gc_next;
    }
    young->_gc_prev = (uintptr_t)prev;
    unreachable->_gc_next &= ~NEXT_MASK_UNREACHABLE;
    *cs = n;
}

/* deduce_unreachable; `trace` records gc_refs after subtract_refs: 1 as
 * COPIED + EXAMINED (the collection's first pass), 2 as RESURRECTED (the
 * pass after the finalizers; handle_resurrected keeps the survivors' entries). */
static void deduce_unreachable(pm_heap *h, pm_gc_head *base, pm_gc_head *unreachable, int trace, young_census *cs) {
    if (trace == 1 && GS(h)->tracing) {
        for (pm_gc_head *g = gnext(base); g != base; g = gnext(g))
            if (pm_is_immortal(PM_FROM_GC(g))) trace_add(h, PM_GC_PH_EXAMINED, PM_FROM_GC(g), -1);
    }
    int64_t total = update_refs(h, base);
    if (trace == 1 && GS(h)->tracing) {
        for (pm_gc_head *g = gnext(base); g != base; g = gnext(g))
            trace_add(h, PM_GC_PH_COPIED, PM_FROM_GC(g), get_refs(g));
        trace_end_phase(h, PM_GC_PH_COPIED);
    }
    subtract_refs(h, base);
    if (trace && GS(h)->tracing) {
        pm_gc_phase ph = trace == 1 ? PM_GC_PH_EXAMINED : PM_GC_PH_RESURRECTED;
        for (pm_gc_head *g = gnext(base); g != base; g = gnext(g))
            trace_add(h, ph, PM_FROM_GC(g), get_refs(g));
        if (trace == 1) trace_end_phase(h, PM_GC_PH_EXAMINED);
    }
    list_init(unreachable);
    move_unreachable(h, base, unreachable, cs);
    cs->unreachable = total - cs->kept;
}

/* untrack_tuples / untrack_dicts: the exact-type test is made here, inline,
 * before the out-of-line call. Both walk the whole young list, and so does
 * the gc_list_size(young) that follows them in gc_collect_main: each
 * returns the number of objects left on the list, which is that size, so
 * the collection walks the list once less (same results; on a big heap
 * each walk is a cache miss per object). */
static int64_t untrack_exact(pm_heap *h, pm_gc_head *head, pm_type *t,
                             void (*maybe_untrack)(pm_heap *, pm_object *), int trace_value) {
    pm_gc_head *next;
    int64_t left = 0;
    for (pm_gc_head *g = gnext(head); g != head; g = next) {
        next = gnext(g);
        left++;
        if (PM_TYPE(PM_FROM_GC(g)) == t) {
            maybe_untrack(h, PM_FROM_GC(g));
            if (!pm_gc_is_tracked(PM_FROM_GC(g))) {     /* untracked: off the list */
                left--;
                trace_add(h, PM_GC_PH_UNTRACKED, PM_FROM_GC(g), trace_value);
            }
        }
    }
    return left;
}

static int64_t untrack_tuples(pm_heap *h, pm_gc_head *head) {
    return untrack_exact(h, head, pm_builtin_type(h, PM_T_TUPLE), _pm_tuple_maybe_untrack, 0);
}

static int64_t untrack_dicts(pm_heap *h, pm_gc_head *head) {
    return untrack_exact(h, head, pm_builtin_type(h, PM_T_DICT), pm_dict_maybe_untrack, 1);
}

/* move_legacy_finalizers: no type of the model has a legacy tp_del, so the
 * `finalizers` list stays empty; what remains is clearing the unreachable
 * marks. */
static void clear_unreachable_mask(pm_gc_head *unreachable) {
    pm_gc_head *next;
    for (pm_gc_head *g = gnext(unreachable); g != unreachable; g = next) {
        g->_gc_next &= ~NEXT_MASK_UNREACHABLE;
        next = gnext(g);
    }
}

static inline int needs_finalize(pm_gc_head *g) {
    return !(g->_gc_prev & PM_GC_PREV_MASK_FINALIZED) && PM_TYPE(PM_FROM_GC(g))->tp_finalize;
}

/* handle_weakrefs: clear weakrefs to the garbage (and weakrefs in it); run
 * the callbacks of the cleared weakrefs that are not garbage themselves.
 * Returns how many of those weakrefs died after their callback; *ran is set
 * if a callback ran (host code that may have resurrected garbage).
 * Its walk also does two things on the way, to spare the list two walks:
 * it clears NEXT_MASK_UNREACHABLE (move_legacy_finalizers' job; clearing
 * weakrefs never touches the links of the unreachable list), and sets *due
 * if an object has a finalizer still to run (finalize_garbage's test). */
static int64_t handle_weakrefs(pm_heap *h, pm_gc_head *unreachable, pm_gc_head *old, int *ran, int *due) {
    pm_gc_head wrcb_to_call;
    list_init(&wrcb_to_call);
    pm_gc_head *next;
    pm_type *plain = NULL;              /* last type seen that is no weakref and has no weaklist */
    for (pm_gc_head *g = gnext(unreachable); g != unreachable; g = next) {
        pm_object *op = PM_FROM_GC(g);
        g->_gc_next &= ~NEXT_MASK_UNREACHABLE;
        next = gnext(g);
        pm_type *t = PM_TYPE(op);
        if (needs_finalize(g)) *due = 1;
        if (t == plain) continue;       /* nothing to do for it: the common case, one compare */
        int is_wr = pm_weakref_check(h, op);
        if (is_wr) {
            if (((pm_weakref *)op)->wr_object != PM_NONE(h)) trace_add(h, PM_GC_PH_WEAKREF_CLEARED, op, 2);
            _pm_weakref_clear_ref(h, (pm_weakref *)op);
        }
        if (!pm_type_supports_weakrefs(t)) {
            if (!is_wr) plain = t;
            continue;
        }
        pm_weakref **wrlist = (pm_weakref **)pm_object_weaklist(op);
        if (!wrlist) continue;
        for (pm_weakref *wr = *wrlist; wr; wr = *wrlist) {
            _pm_weakref_clear_ref(h, wr);
            if (GS(h)->tracing)
                trace_add(h, PM_GC_PH_WEAKREF_CLEARED, (pm_object *)wr,
                          is_collecting(PM_AS_GC(wr)) ? 2 : wr->wr_callback ? 1 : 0);
            if (!wr->wr_callback) continue;
            if (is_collecting(PM_AS_GC(wr))) continue;   /* garbage itself: cleared silently */
            pm_incref((pm_object *)wr);
            list_move(PM_AS_GC(wr), &wrcb_to_call);
        }
    }
    trace_end_phase(h, PM_GC_PH_WEAKREF_CLEARED);
    int64_t num_freed = 0;
    if (!list_is_empty(&wrcb_to_call)) *ran = 1;
    while (!list_is_empty(&wrcb_to_call)) {
        pm_gc_head *g = gnext(&wrcb_to_call);
        pm_object *op = PM_FROM_GC(g);
        pm_weakref *wr = (pm_weakref *)op;
        _pm_call_host2(h, wr->wr_callback, 1, op, NULL);
        pm_decref(h, op);
        int died = wrcb_to_call._gc_next != (uintptr_t)g;
        if (!died) list_move(g, old);
        else num_freed++;
        trace_add(h, PM_GC_PH_WEAKREF_CB, op, died);
    }
    trace_end_phase(h, PM_GC_PH_WEAKREF_CB);
    return num_freed;
}

/* finalize_garbage: tp_finalize once per object, in list order. Returns 1
 * if it called one. When none is due (no __del__ in the garbage, the
 * common case) the list is only read: the moves through `seen` would leave
 * it as it was. */
static int finalize_garbage(pm_heap *h, pm_gc_head *collectable) {
    pm_gc_head *f = gnext(collectable);
    while (f != collectable && !needs_finalize(f)) f = gnext(f);
    if (f == collectable) {
        trace_end_phase(h, PM_GC_PH_FINALIZED);
        return 0;
    }
    pm_gc_head seen;
    list_init(&seen);
    while (!list_is_empty(collectable)) {
        pm_gc_head *g = gnext(collectable);
        pm_object *op = PM_FROM_GC(g);
        list_move(g, &seen);
        if (needs_finalize(g)) {
            trace_add(h, PM_GC_PH_FINALIZED, op, 0);
            pm_incref(op);
            pm_object_call_finalizer(h, op);
            pm_decref(h, op);
        }
    }
    list_merge(&seen, collectable);
    trace_end_phase(h, PM_GC_PH_FINALIZED);
    return 1;
}

/* handle_resurrected_objects */
static void handle_resurrected(pm_heap *h, pm_gc_head *unreachable, pm_gc_head *still_unreachable,
                               pm_gc_head *old) {
    for (pm_gc_head *g = gnext(unreachable); g != unreachable; g = gnext(g)) clear_collecting(g);
    young_census unused;
    deduce_unreachable(h, unreachable, still_unreachable, 2, &unused);
    pm_gcstate *gs = GS(h);
    if (gs->tracing) {
        /* keep the entries of the objects that left the set (no unreachable mark yet) */
        pm_gc_trace *t = &gs->trace[PM_GC_PH_RESURRECTED];
        size_t k = 0;
        for (size_t i = 0; i < t->n; i++)
            if (!(PM_AS_GC((pm_object *)t->e[i].obj)->_gc_next & NEXT_MASK_UNREACHABLE)) t->e[k++] = t->e[i];
        t->n = k;
    }
    clear_unreachable_mask(still_unreachable);
    trace_end_phase(h, PM_GC_PH_RESURRECTED);
    list_merge(unreachable, old);
}

/* delete_garbage: tp_clear each object (or save it, DEBUG_SAVEALL);
 * survivors go to `old`. For the trace, every object of the set is a
 * candidate for FREED up front (clearing one frees others in cascade,
 * without their own tp_clear); those that survive are taken out after. */
static void delete_garbage(pm_heap *h, pm_gc_head *collectable, pm_gc_head *old) {
    pm_gcstate *gs = GS(h);
    size_t first = gs->trace[PM_GC_PH_FREED].n;
    if (gs->tracing)
        for (pm_gc_head *g = gnext(collectable); g != collectable; g = gnext(g))
            trace_add(h, PM_GC_PH_FREED, PM_FROM_GC(g), 0);
    while (!list_is_empty(collectable)) {
        pm_gc_head *g = gnext(collectable);
        pm_object *op = PM_FROM_GC(g);
        if ((uint32_t)op->ob_refcnt == 0) _pm_fatal(h, "gc: refcount is too small");
        int saved = 0;
        if (gs->debug & PM_GC_DEBUG_SAVEALL) {
            pm_object *garbage = pm_gc_garbage(h);
            if (!garbage || pm_list_append(h, garbage, op) < 0) pm_err_clear(h);
            saved = 1;
        } else if (PM_TYPE(op)->tp_clear) {
            pm_incref(op);
            (void)PM_TYPE(op)->tp_clear(h, op);
            if (pm_err_occurred(h)) pm_err_clear(h);   /* "Exception ignored in tp_clear of" */
            pm_decref(h, op);
        }
        trace_add(h, PM_GC_PH_CLEARED, op, saved);
        if (gnext(collectable) == g) {
            /* still alive: it may die later */
            clear_collecting(g);
            list_move(g, old);
            if (gs->tracing) {          /* not freed after all */
                pm_gc_trace *t = &gs->trace[PM_GC_PH_FREED];
                for (size_t i = first; i < t->n; i++)
                    if (t->e[i].obj == (uintptr_t)op) {
                        memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof t->e[0]);
                        t->n--;
                        break;
                    }
            }
        }
    }
    trace_end_phase(h, PM_GC_PH_CLEARED);
    trace_end_phase(h, PM_GC_PH_FREED);
}

static void clear_freelists(pm_heap *h) {
    _pm_float_clear_freelist(h);
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    _pm_dict_clear_freelist(h);
}

static void show_stats_each_generations(pm_heap *h) {
    err_printf(h, "gc: objects in each generation: %lld %lld %lld\n", (long long)list_size(gen_head(h, 0)),
               (long long)list_size(gen_head(h, 1)), (long long)list_size(gen_head(h, 2)));
    err_printf(h, "gc: objects in permanent generation: %lld\n", (long long)list_size(&h->os->permanent));
}

/* gc_collect_main: collects `generation` and the younger ones. */
static int64_t collect_main(pm_heap *h, int generation, int64_t *n_collected, int64_t *n_uncollectable) {
    pm_gcstate *gs = GS(h);
    pm_objstate *os = h->os;
    int64_t m = 0, n = 0;
    pm_gc_head unreachable, finalizers, final_unreachable;

    if (gs->debug & PM_GC_DEBUG_STATS) {
        err_printf(h, "gc: collecting generation %d...\n", generation);
        show_stats_each_generations(h);
    }
    trace_begin(h, generation);

    if (generation + 1 < PM_GC_NUM_GENERATIONS) os->gen_count[generation + 1] += 1;
    for (int i = 0; i <= generation; i++) os->gen_count[i] = 0;
    for (int i = 0; i < generation; i++) list_merge(gen_head(h, i), gen_head(h, generation));
    pm_gc_head *young = gen_head(h, generation);
    pm_gc_head *old = generation < PM_GC_NUM_GENERATIONS - 1 ? gen_head(h, generation + 1) : young;

    young_census census;
    deduce_unreachable(h, young, &unreachable, 1, &census);
    if (gs->tracing)
        for (pm_gc_head *g = gnext(&unreachable); g != &unreachable;
             g = (pm_gc_head *)(g->_gc_next & ~NEXT_MASK_UNREACHABLE))
            trace_add(h, PM_GC_PH_UNREACHABLE, PM_FROM_GC(g), 0);
    trace_end_phase(h, PM_GC_PH_UNREACHABLE);

    /* gc_list_size(young) without another walk: what the untrack pass
     * leaves, or the census when there is nothing for the pass to look at
     * (no exact tuple, or no exact dict, on young: its walk would do nothing) */
    int64_t young_size = census.tuples ? untrack_tuples(h, young) : census.kept;
    if (young != old) {
        if (generation == PM_GC_NUM_GENERATIONS - 2) gs->long_lived_pending += young_size;
        list_merge(young, old);
    } else {
        if (census.dicts) young_size = untrack_dicts(h, young);
        gs->long_lived_pending = 0;
        gs->long_lived_total = young_size;
    }

    /* move_legacy_finalizers: nothing has tp_del, so `finalizers` stays
     * empty; the unreachable marks are cleared by handle_weakrefs' walk,
     * or here first when the list is printed. */
    list_init(&finalizers);
    if (gs->debug & PM_GC_DEBUG_COLLECTABLE) {
        clear_unreachable_mask(&unreachable);
        for (pm_gc_head *g = gnext(&unreachable); g != &unreachable; g = gnext(g))
            debug_cycle(h, "collectable", PM_FROM_GC(g));
    }

    int ran = 0, due = 0;               /* did host code (callback, __del__) run since move_unreachable? */
    m += handle_weakrefs(h, &unreachable, old, &ran, &due);
    if (ran || due) ran |= finalize_garbage(h, &unreachable);
    else trace_end_phase(h, PM_GC_PH_FINALIZED);        /* nothing due: finalize_garbage would only walk */
    if (ran) {
        handle_resurrected(h, &unreachable, &final_unreachable, old);
        m += list_size(&final_unreachable);
    } else {
        /* Nothing ran, so no reference changed: handle_resurrected_objects
         * would find every object still unreachable, in the same order and
         * with the same flags. The set is taken as it is, and its size is
         * the census'. */
        list_init(&final_unreachable);
        list_merge(&unreachable, &final_unreachable);
        trace_end_phase(h, PM_GC_PH_RESURRECTED);
        m += census.unreachable;
    }
    delete_garbage(h, &final_unreachable, old);

    for (pm_gc_head *g = gnext(&finalizers); g != &finalizers; g = gnext(g)) {
        n++;
        if (gs->debug & PM_GC_DEBUG_UNCOLLECTABLE) debug_cycle(h, "uncollectable", PM_FROM_GC(g));
    }
    if (gs->debug & PM_GC_DEBUG_STATS)
        err_printf(h, "gc: done, %lld unreachable, %lld uncollectable, 0.0000s elapsed\n", (long long)(n + m),
                   (long long)n);
    list_merge(&finalizers, old);       /* handle_legacy_finalizers */

    if (generation == PM_GC_NUM_GENERATIONS - 1) clear_freelists(h);

    gs->stats[generation].collections++;
    gs->stats[generation].collected += m;
    gs->stats[generation].uncollectable += n;
    if (gs->tracing) {
        gs->last_collected = m;
        gs->last_uncollectable = n;
    }
    if (n_collected) *n_collected = m;
    if (n_uncollectable) *n_uncollectable = n;
    return n + m;
}

/* A new dict {k0: v0, k1: v1, k2: v2} with str keys and int values (Py_BuildValue "{snsnsn}"). */
static pm_object *dict3(pm_heap *h, const char *const k[3], const int64_t v[3]) {
    pm_object *d = pm_dict_new(h);
    if (!d) return NULL;
    for (int i = 0; i < 3; i++) {
        pm_object *key = pm_unicode_from_string(h, k[i]);
        pm_object *val = key ? pm_long_from_int64(h, v[i]) : NULL;
        int r = val ? pm_dict_setitem(h, d, key, val) : -1;
        pm_xdecref(h, key);
        pm_xdecref(h, val);
        if (r < 0) {
            pm_decref(h, d);
            return NULL;
        }
    }
    return d;
}

/* invoke_gc_callback */
static void invoke_gc_callback(pm_heap *h, const char *phase, int generation, int64_t collected,
                               int64_t uncollectable) {
    pm_gcstate *gs = GS(h);
    if (!gs->callbacks) return;         /* never created: empty */
    pm_object *info = NULL;
    if (PM_SIZE(gs->callbacks) != 0) {
        static const char *const keys[3] = { "generation", "collected", "uncollectable" };
        int64_t vals[3] = { generation, collected, uncollectable };
        info = dict3(h, keys, vals);
        if (!info) {
            pm_err_clear(h);
            return;
        }
    }
    pm_object *phase_obj = pm_unicode_from_string(h, phase);
    if (!phase_obj) {
        pm_xdecref(h, info);
        pm_err_clear(h);
        return;
    }
    for (int64_t i = 0; i < PM_SIZE(gs->callbacks); i++) {
        pm_object *cb = pm_newref(PM_LIST_GET(gs->callbacks, i));
        _pm_call_host2(h, cb, 2, phase_obj, info);
        pm_decref(h, cb);
    }
    pm_decref(h, phase_obj);
    pm_xdecref(h, info);
}

/* gc_collect_with_callback */
static int64_t collect_with_callback(pm_heap *h, int generation) {
    invoke_gc_callback(h, "start", generation, 0, 0);
    int64_t collected = 0, uncollectable = 0;
    int64_t result = collect_main(h, generation, &collected, &uncollectable);
    invoke_gc_callback(h, "stop", generation, collected, uncollectable);
    return result;
}

/* gc_collect_generations: the oldest generation over its threshold, with
 * the 25% rule deferring full collections. */
static int64_t collect_generations(pm_heap *h) {
    pm_gcstate *gs = GS(h);
    pm_objstate *os = h->os;
    for (int i = PM_GC_NUM_GENERATIONS - 1; i >= 0; i--) {
        if (os->gen_count[i] > os->gen_threshold[i]) {
            if (i == PM_GC_NUM_GENERATIONS - 1 && gs->long_lived_pending < gs->long_lived_total / 4) continue;
            return collect_with_callback(h, i);
        }
    }
    return 0;
}

void _pm_gc_on_alloc(pm_heap *h) {
    pm_gcstate *gs = GS(h);
    pm_objstate *os = h->os;
    if (os->gc_stress) {
        /* stress mode: collect now (3.11's _PyObject_GC_Link collected here too) */
        if (gs && gs->enabled && !gs->collecting && !pm_err_occurred(h)) {
            gs->collecting = 1;
            (void)collect_with_callback(h, os->gc_stress - 1);
            gs->collecting = 0;
        }
        return;
    }
    if (gs && os->gen_count[0] > os->gen_threshold[0] && gs->enabled && os->gen_threshold[0] && !gs->collecting
        && !pm_err_occurred(h))
        gs->scheduled = 1;
}

int pm_gc_is_scheduled(pm_heap *h) { return GS(h)->scheduled; }

int pm_gc_set_stress(pm_heap *h, int generation) {
    if (generation < -1 || generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(h, PM_EXC_ValueError, "invalid generation");
        return -1;
    }
    h->os->gc_stress = generation + 1;
    return 0;
}

int pm_gc_get_stress(pm_heap *h) { return h->os->gc_stress - 1; }

/* The eval breaker's gc_scheduled branch + _Py_RunGC. 3.12 does not look
 * at `enabled` here: a collection scheduled before gc.disable() still runs
 * at the next breaker (recorded: auto_disable_after_schedule). Unlike
 * 3.12, a collection already running (the breaker reached from a
 * finalizer) is not re-entered. */
int64_t pm_gc_eval_breaker(pm_heap *h) {
    pm_gcstate *gs = GS(h);
    if (!gs->scheduled) return 0;
    gs->scheduled = 0;
    if (gs->collecting) return 0;
    gs->collecting = 1;
    int64_t n = collect_generations(h);
    gs->collecting = 0;
    return n;
}

int64_t pm_gc_collect(pm_heap *h, int generation) {
    if (generation < 0 || generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(h, PM_EXC_ValueError, "invalid generation");
        return -1;
    }
    pm_gcstate *gs = GS(h);
    if (gs->collecting) return 0;
    gs->collecting = 1;
    int64_t n = collect_with_callback(h, generation);
    gs->collecting = 0;
    return n;
}

/* ---- The gc module -------------------------------------------------------------------- */

void pm_gc_enable(pm_heap *h) { GS(h)->enabled = 1; }
void pm_gc_disable(pm_heap *h) { GS(h)->enabled = 0; }
int pm_gc_isenabled(pm_heap *h) { return GS(h)->enabled; }
void pm_gc_set_debug(pm_heap *h, int flags) { GS(h)->debug = flags; }
int pm_gc_get_debug(pm_heap *h) { return GS(h)->debug; }

void pm_gc_get_count(pm_heap *h, int64_t out[3]) {
    for (int i = 0; i < 3; i++) out[i] = h->os->gen_count[i];
}

void pm_gc_get_threshold(pm_heap *h, int64_t out[3]) {
    for (int i = 0; i < 3; i++) out[i] = h->os->gen_threshold[i];
}

/* Py_BuildValue("(iii)"): the values are read before the tuple exists. */
static pm_object *tuple3(pm_heap *h, const int64_t v[3]) {
    pm_object *t = pm_tuple_new(h, 3);
    if (!t) return NULL;
    for (int i = 0; i < 3; i++) {
        pm_object *x = pm_long_from_int64(h, v[i]);
        if (!x) {
            pm_decref(h, t);
            return NULL;
        }
        PM_TUPLE_SET(t, i, x);
    }
    return t;
}

pm_object *pm_gc_get_count_tuple(pm_heap *h) {
    int64_t v[3];
    pm_gc_get_count(h, v);
    return tuple3(h, v);
}

pm_object *pm_gc_get_threshold_tuple(pm_heap *h) {
    int64_t v[3];
    pm_gc_get_threshold(h, v);
    return tuple3(h, v);
}

/* PyArg_ParseTuple("i|ii:set_threshold") stores each value as it converts
 * it: thresholds before an overflowing one are already set. */
int pm_gc_set_threshold(pm_heap *h, const int64_t *t, int n) {
    if (n < 1) {
        pm_err_set(h, PM_EXC_TypeError, "set_threshold() takes at least 1 argument (%d given)", n);
        return -1;
    }
    if (n > 3) {
        pm_err_set(h, PM_EXC_TypeError, "set_threshold() takes at most 3 arguments (%d given)", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (t[i] < INT32_MIN || t[i] > INT32_MAX) {
            pm_err_set(h, PM_EXC_OverflowError, "signed integer is %s", t[i] < 0 ? "less than minimum"
                                                                              : "greater than maximum");
            return -1;
        }
        h->os->gen_threshold[i] = t[i];
    }
    return 0;
}

void pm_gc_get_stats(pm_heap *h, pm_gc_stats out[3]) { memcpy(out, GS(h)->stats, sizeof GS(h)->stats); }

pm_object *pm_gc_get_stats_list(pm_heap *h) {
    pm_gc_stats st[3];
    pm_gc_get_stats(h, st);             /* copied first, as 3.12 does */
    pm_object *result = pm_list_new(h, 0);
    if (!result) return NULL;
    static const char *const keys[3] = { "collections", "collected", "uncollectable" };
    for (int i = 0; i < 3; i++) {
        int64_t v[3] = { st[i].collections, st[i].collected, st[i].uncollectable };
        pm_object *d = dict3(h, keys, v);
        if (!d || pm_list_append(h, result, d) < 0) {
            pm_xdecref(h, d);
            pm_decref(h, result);
            return NULL;
        }
        pm_decref(h, d);
    }
    return result;
}

static int append_objects(pm_heap *h, pm_object *result, pm_gc_head *gen) {
    for (pm_gc_head *g = gnext(gen); g != gen; g = gnext(g)) {
        pm_object *op = PM_FROM_GC(g);
        if (op == result) continue;
        if (pm_list_append(h, result, op) < 0) return -1;
    }
    return 0;
}

pm_object *pm_gc_get_objects(pm_heap *h, int generation) {
    if (generation >= PM_GC_NUM_GENERATIONS) {
        pm_err_set(h, PM_EXC_ValueError,
                   "generation parameter must be less than the number of available generations (%d)",
                   PM_GC_NUM_GENERATIONS);
        return NULL;
    }
    if (generation < -1) {
        pm_err_set(h, PM_EXC_ValueError, "generation parameter cannot be negative");
        return NULL;
    }
    pm_object *result = pm_list_new(h, 0);
    if (!result) return NULL;
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        if (generation != -1 && i != generation) continue;
        if (append_objects(h, result, gen_head(h, i)) < 0) {
            pm_decref(h, result);
            return NULL;
        }
    }
    return result;
}

typedef struct referrers_ctx {
    pm_object *const *objs;
    size_t n;
} referrers_ctx;

static int visit_referrers(pm_object *o, void *arg) {
    referrers_ctx *c = arg;
    for (size_t i = 0; i < c->n; i++)
        if (c->objs[i] == o) return 1;
    return 0;
}

pm_object *pm_gc_get_referrers(pm_heap *h, pm_object *const *objs, size_t n, pm_object *args) {
    pm_object *result = pm_list_new(h, 0);
    if (!result) return NULL;
    referrers_ctx c = { objs, n };
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pm_gc_head *gen = gen_head(h, i);
        for (pm_gc_head *g = gnext(gen); g != gen; g = gnext(g)) {
            pm_object *op = PM_FROM_GC(g);
            if (op == args || op == result) continue;
            if (pm_object_traverse(h, op, visit_referrers, &c) && pm_list_append(h, result, op) < 0) {
                pm_decref(h, result);
                return NULL;
            }
        }
    }
    return result;
}

typedef struct referents_ctx {
    pm_heap *h;
    pm_object *result;
} referents_ctx;

static int visit_referents(pm_object *o, void *arg) {
    referents_ctx *c = arg;
    return pm_list_append(c->h, c->result, o) < 0 ? -1 : 0;
}

pm_object *pm_gc_get_referents(pm_heap *h, pm_object *const *objs, size_t n) {
    pm_object *result = pm_list_new(h, 0);
    if (!result) return NULL;
    referents_ctx c = { h, result };
    for (size_t i = 0; i < n; i++) {
        if (!pm_object_is_gc(h, objs[i])) continue;
        if (pm_object_traverse(h, objs[i], visit_referents, &c) < 0) {
            pm_decref(h, result);
            return NULL;
        }
    }
    return result;
}

int pm_gc_obj_is_tracked(pm_heap *h, pm_object *o) { return pm_object_is_gc(h, o) && pm_gc_is_tracked(o); }

int pm_gc_obj_is_finalized(pm_heap *h, pm_object *o) {
    return pm_object_is_gc(h, o) && (PM_AS_GC(o)->_gc_prev & PM_GC_PREV_MASK_FINALIZED) != 0;
}

/* gc_freeze_impl: 3.12 resets only count[0]. */
void pm_gc_freeze(pm_heap *h) {
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) list_merge(gen_head(h, i), &h->os->permanent);
    h->os->gen_count[0] = 0;
}

void pm_gc_unfreeze(pm_heap *h) { list_merge(&h->os->permanent, gen_head(h, PM_GC_NUM_GENERATIONS - 1)); }

int64_t pm_gc_get_freeze_count(pm_heap *h) { return list_size(&h->os->permanent); }

/* The state `python3.12 FILE.py` starts a program in: start-up has run a
 * few gen-0 collections (its objects sit in generation 1, nothing in 0) and
 * allocated since. Moves generation 0 to the end of generation 1 as those
 * collections did (no garbage is looked for, no statistics change) and
 * sets count[]. */
void pm_gc_set_startup_state(pm_heap *h, int64_t count0, int64_t count1, int64_t count2) {
    list_merge(gen_head(h, 0), gen_head(h, 1));
    h->os->gen_count[0] = count0;
    h->os->gen_count[1] = count1;
    h->os->gen_count[2] = count2;
}

int64_t pm_gc_generation_size(pm_heap *h, int gen) {
    if (gen < 0 || gen > 3) return -1;
    return list_size(gen == 3 ? &h->os->permanent : gen_head(h, gen));
}

static pm_object *lazy_list(pm_heap *h, pm_object **slot) {
    if (!*slot) *slot = pm_list_new(h, 0);
    return *slot;
}

pm_object *pm_gc_garbage(pm_heap *h) { return lazy_list(h, &GS(h)->garbage); }
pm_object *pm_gc_callbacks(pm_heap *h) { return lazy_list(h, &GS(h)->callbacks); }

/* ---- Consistency ------------------------------------------------------------------- */

static pm_status check_list(pm_heap *h, pm_gc_head *head, const char *name) {
    pm_gc_head *prev = head;
    uint64_t steps = 0;
    for (pm_gc_head *g = (pm_gc_head *)head->_gc_next; g != head; g = (pm_gc_head *)g->_gc_next) {
        if (!g || (g->_gc_next & NEXT_MASK_UNREACHABLE))
            return _pm_check_fail(h, "gc: %s: a null or unreachable-marked next link", name);
        if (gprev(g) != prev) return _pm_check_fail(h, "gc: %s: prev link of %p is wrong", name, (void *)g);
        if (g->_gc_prev & PM_GC_PREV_MASK_COLLECTING)
            return _pm_check_fail(h, "gc: %s: %p still has the COLLECTING flag", name, (void *)g);
        pm_object *op = PM_FROM_GC(g);
        if ((uint32_t)op->ob_refcnt == 0) return _pm_check_fail(h, "gc: %s: tracked %p has refcount 0", name, (void *)op);
        if (!pm_object_is_gc(h, op)) return _pm_check_fail(h, "gc: %s: %p is not a GC object", name, (void *)op);
        if (++steps > ((uint64_t)1 << 32)) return _pm_check_fail(h, "gc: %s: the list does not close", name);
        prev = g;
    }
    if ((pm_gc_head *)head->_gc_prev != prev) return _pm_check_fail(h, "gc: %s: the head's prev link is wrong", name);
    return PM_OK;
}

pm_status pm_gc_check(pm_heap *h) {
    static const char *const names[3] = { "generation 0", "generation 1", "generation 2" };
    for (int i = 0; i < PM_GC_NUM_GENERATIONS; i++) {
        pm_status st = check_list(h, gen_head(h, i), names[i]);
        if (st != PM_OK) return st;
    }
    return check_list(h, &h->os->permanent, "permanent generation");
}

/* ---- Set-up ---------------------------------------------------------------------- */

pm_status _pm_gc_init(pm_heap *h) {
    size_t need = (sizeof(pm_gcstate) + 15) & ~(size_t)15;
    if (h->statics_used + need > PM_STATIC_BYTES) return PM_ENOMEM;
    pm_gcstate *gs = (pm_gcstate *)(h->statics + h->statics_used);
    h->statics_used += need;
    memset(gs, 0, sizeof *gs);
    gs->enabled = 1;
    gs->last_generation = -1;
    gs->last_collected = gs->last_uncollectable = -1;
    h->os->gc = gs;
    return PM_OK;
}
