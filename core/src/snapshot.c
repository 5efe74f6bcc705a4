/* snapshot.c — the visualizer's view of the object graph (snapshot.h).
 *
 * Three passes over an open-addressing table keyed by object address:
 *   1. every object in the generation lists (and the permanent generation)
 *      is entered with its generation;
 *   2. breadth-first from the roots, following pm_object_refs: each object
 *      met for the first time gets the next record, marked REACHABLE;
 *   3. tracked objects not reached (garbage cycles waiting for gc.collect(),
 *      or objects only the interpreter's internals hold) get records too,
 *      with what they reach;
 *   4. the referent of every live weak reference recorded so far gets a
 *      record if it has none yet (only weakly reached), with what it reaches.
 * Records are appended in discovery order and doubled as the BFS queue.
 */
#include "snapshot.h"
#include "tracemalloc.h"
#include "weakrefobject.h"

typedef struct snap_slot {
    pm_object *key;
    uint32_t index;         /* record index, UINT32_MAX while not recorded */
    uint8_t gen;
} snap_slot;

typedef struct snap_state {
    pm_snapshot pub;
    uint32_t objs_cap, refs_cap;
    snap_slot *table;
    uint32_t table_cap, table_used;   /* power of two */
    int failed;
    uint32_t *per_obj;                /* pm_snapshot_per_object's array */
    uint32_t per_obj_cap;
} snap_state;


static snap_state *state(pm_heap *h) { return (snap_state *)h->os->snap; }

static uint32_t hash_ptr(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32);
}

static int grow_table(pm_heap *h, snap_state *s) {
    uint32_t cap = s->table_cap ? s->table_cap * 2 : 1024;
    snap_slot *t = _pm_raw_malloc(h, (size_t)cap * sizeof *t);
    if (!t) return -1;
    for (uint32_t i = 0; i < cap; i++) t[i].key = NULL;
    for (uint32_t i = 0; i < s->table_cap; i++) {
        if (!s->table[i].key) continue;
        uint32_t j = hash_ptr(s->table[i].key) & (cap - 1);
        while (t[j].key) j = (j + 1) & (cap - 1);
        t[j] = s->table[i];
    }
    if (s->table) _pm_raw_free(h, s->table);
    s->table = t;
    s->table_cap = cap;
    return 0;
}

/* The slot of o, inserted (index unset, untracked) if new; NULL on OOM. */
static snap_slot *slot_for(pm_heap *h, snap_state *s, pm_object *o) {
    if ((s->table_used + 1) * 2 > s->table_cap && grow_table(h, s) < 0) return NULL;
    uint32_t j = hash_ptr(o) & (s->table_cap - 1);
    while (s->table[j].key && s->table[j].key != o) j = (j + 1) & (s->table_cap - 1);
    snap_slot *sl = &s->table[j];
    if (!sl->key) {
        sl->key = o;
        sl->index = UINT32_MAX;
        sl->gen = PM_SNAP_GEN_UNTRACKED;
        s->table_used++;
    }
    return sl;
}

static int reserve(pm_heap *h, void **buf, uint32_t *cap, uint32_t need, size_t elsize) {
    if (need <= *cap) return 0;
    uint32_t n = *cap ? *cap : 256;
    while (n < need) n *= 2;
    void *nb = _pm_raw_realloc(h, *buf, (size_t)n * elsize);
    if (!nb) return -1;
    *buf = nb;
    *cap = n;
    return 0;
}

/* Records o (if not yet recorded) and returns its record, or NULL on OOM. */
static pm_snap_obj *record(pm_heap *h, snap_state *s, pm_object *o, uint8_t flags) {
    snap_slot *sl = slot_for(h, s, o);
    if (!sl) return NULL;
    if (sl->index != UINT32_MAX) {
        s->pub.objs[sl->index].flags |= flags;
        return &s->pub.objs[sl->index];
    }
    if (reserve(h, (void **)&s->pub.objs, &s->objs_cap, s->pub.nobjs + 1, sizeof(pm_snap_obj)) < 0) return NULL;
    sl->index = s->pub.nobjs++;
    pm_snap_obj *r = &s->pub.objs[sl->index];
    pm_type *t = PM_TYPE(o);
    r->addr = (uintptr_t)o;
    r->type = (uintptr_t)t;
    r->refcnt = (uint32_t)o->ob_refcnt;
    size_t size = pm_object_getsizeof(h, o);
    r->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    r->first_ref = 0;
    r->nrefs = 0;
    r->type_id = (uint16_t)(t->type_id < PM_T__COUNT ? t->type_id : PM_T__COUNT);
    r->gen = sl->gen;
    r->flags = flags;
    r->weak = 0;
    if (pm_weakref_check(h, o) && ((pm_weakref *)o)->wr_object != PM_NONE(h))
        r->weak = (uintptr_t)((pm_weakref *)o)->wr_object;
    if (pm_is_immortal(o)) r->flags |= PM_SNAP_IMMORTAL;
    if (pm_type_is_gc(t)) {
        r->flags |= PM_SNAP_GC_TYPE;
        if (PM_AS_GC(o)->_gc_prev & PM_GC_PREV_MASK_FINALIZED) r->flags |= PM_SNAP_FINALIZED;
    }
    return r;
}

typedef struct visit_ctx {
    pm_heap *h;
    snap_state *s;
    uint8_t flags;
} visit_ctx;

static int visit_ref(pm_object *o, void *arg) {
    visit_ctx *c = arg;
    snap_state *s = c->s;
    if (reserve(c->h, (void **)&s->pub.refs, &s->refs_cap, s->pub.nrefs + 1, sizeof(uintptr_t)) < 0
        || !record(c->h, s, o, c->flags)) {
        s->failed = 1;
        return 1;
    }
    s->pub.refs[s->pub.nrefs++] = (uintptr_t)o;
    return 0;
}

/* Breadth-first from record `from` on: each record's referents. */
static void expand(pm_heap *h, snap_state *s, uint32_t from, uint8_t flags) {
    visit_ctx c = { h, s, flags };
    for (uint32_t i = from; i < s->pub.nobjs && !s->failed; i++) {
        /* the array may move while visiting: index, never keep a pointer */
        s->pub.objs[i].first_ref = s->pub.nrefs;
        pm_object_refs(h, (pm_object *)s->pub.objs[i].addr, visit_ref, &c);
        s->pub.objs[i].nrefs = s->pub.nrefs - s->pub.objs[i].first_ref;
    }
}

pm_status pm_snapshot_take(pm_heap *h, pm_object *const *roots, size_t nroots) {
    pm_objstate *os = h->os;
    snap_state *s = state(h);
    if (!s) {
        s = _pm_raw_malloc(h, sizeof *s);
        if (!s) return PM_ENOMEM;
        memset(s, 0, sizeof *s);
        os->snap = &s->pub;
    }
    s->pub.nobjs = s->pub.nrefs = 0;
    s->pub.tracebacks = NULL;
    s->failed = 0;
    for (uint32_t i = 0; i < s->table_cap; i++) s->table[i].key = NULL;
    s->table_used = 0;

    /* 1. generations */
    for (int g = 0; g < 4 && !s->failed; g++) {
        pm_gc_head *head = g < 3 ? &os->generations[g] : &os->permanent;
        for (pm_gc_head *p = (pm_gc_head *)head->_gc_next; p != head; p = (pm_gc_head *)(p->_gc_next & ~(uintptr_t)1)) {
            snap_slot *sl = slot_for(h, s, PM_FROM_GC(p));
            if (!sl) { s->failed = 1; break; }
            sl->gen = (uint8_t)g;
        }
    }
    /* 2. roots, breadth-first */
    for (size_t i = 0; i < nroots && !s->failed; i++)
        if (roots[i] && !record(h, s, roots[i], PM_SNAP_ROOT | PM_SNAP_REACHABLE)) s->failed = 1;
    expand(h, s, 0, PM_SNAP_REACHABLE);
    /* 3. tracked objects not reached from a root */
    for (int g = 0; g < 4 && !s->failed; g++) {
        pm_gc_head *head = g < 3 ? &os->generations[g] : &os->permanent;
        for (pm_gc_head *p = (pm_gc_head *)head->_gc_next; p != head && !s->failed;
             p = (pm_gc_head *)(p->_gc_next & ~(uintptr_t)1)) {
            uint32_t from = s->pub.nobjs;
            if (!record(h, s, PM_FROM_GC(p), 0)) { s->failed = 1; break; }
            if (s->pub.nobjs > from) expand(h, s, from, 0);
        }
    }
    /* 4. referents of weak references */
    for (uint32_t i = 0; i < s->pub.nobjs && !s->failed; i++) {
        pm_object *w = (pm_object *)s->pub.objs[i].weak;
        if (!w) continue;
        uint32_t from = s->pub.nobjs;
        if (!record(h, s, w, 0)) { s->failed = 1; break; }
        if (s->pub.nobjs > from) expand(h, s, from, 0);
    }
    if (s->failed) {
        s->pub.nobjs = s->pub.nrefs = 0;
        return PM_ENOMEM;
    }
    return PM_OK;
}

pm_status pm_snapshot_take_traced(pm_heap *h, pm_object *const *roots, size_t nroots) {
    pm_status st = pm_snapshot_take(h, roots, nroots);
    if (st != PM_OK) return st;
    snap_state *s = state(h);
    uint32_t *out = pm_snapshot_per_object(h);
    if (!out) return PM_ENOMEM;
    for (uint32_t i = 0; i < s->pub.nobjs; i++)
        out[i] = (uint32_t)(pm_tracemalloc_object_traceback(h, (pm_object *)s->pub.objs[i].addr) + 1);
    s->pub.tracebacks = out;
    return PM_OK;
}

const pm_snapshot *pm_snapshot_last(pm_heap *h) { return h->os ? h->os->snap : NULL; }

uint32_t *pm_snapshot_per_object(pm_heap *h) {
    snap_state *s = state(h);
    if (!s) return NULL;
    if (reserve(h, (void **)&s->per_obj, &s->per_obj_cap, s->pub.nobjs ? s->pub.nobjs : 1, sizeof(uint32_t)) < 0) return NULL;
    return s->per_obj;
}

void pm_snapshot_release(pm_heap *h) {
    snap_state *s = state(h);
    if (!s) return;
    if (s->per_obj) _pm_raw_free(h, s->per_obj);
    if (s->pub.objs) _pm_raw_free(h, s->pub.objs);
    if (s->pub.refs) _pm_raw_free(h, s->pub.refs);
    if (s->table) _pm_raw_free(h, s->table);
    _pm_raw_free(h, s);
    h->os->snap = NULL;
}
