/* check_objects.c — the object-level invariant checker (check_objects.h).
 *
 * How the walk goes:
 *   1. the static objects (singletons, small ints, one-character strs and
 *      bytes, the empty tuple/str/bytes) must be immortal and untracked;
 *   2. the collector's generation lists (and the permanent generation) are
 *      walked: links consistent, every member a live GC object, none twice;
 *   3. from the roots, breadth first: each object is validated (a live
 *      block of the heap with the pre-header its type says, a known type),
 *      checked by its type's entry in TYPEINFO, then its references are
 *      counted (pm_object_refs: tp_refs or tp_traverse);
 *   4. the same from every tracked object the roots did not reach (garbage
 *      cycles while there is no collector: their references still count);
 *   5. for every mortal object visited, ob_refcnt must equal the roots'
 *      count plus the references counted, and "tracked" must mean "on a
 *      generation list".
 * The first failure is reported; the walk stops there.
 */
#include "check_objects.h"
#include "longobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "rangeobject.h"

/* ---- Work state -------------------------------------------------------------- */

enum { F_ROOT = 1u, F_REACH = 2u, F_GCLIST = 4u, F_QUEUED = 8u };

typedef struct oc_entry {
    pm_object *o;               /* NULL: empty slot */
    uint64_t expected;          /* references counted from containers */
    uint64_t from_roots;        /* references the caller declared */
    uint32_t flags;
} oc_entry;

typedef struct oc {
    pm_heap *h;
    pm_objcheck_opts opts;
    oc_entry *tab;              /* open-addressing set keyed by object address */
    size_t cap, n;
    pm_object **queue;          /* every object in discovery order; [head, len) still to traverse */
    size_t qlen, qcap, qhead;
    pm_object *cur;             /* object whose references are being counted */
    uint32_t phase_flag;        /* F_REACH while walking from the roots, 0 afterwards */
    pm_status st;               /* PM_OK until the first failure */
    pm_objcheck_result res;
} oc;

static int oc_fail(oc *c, const char *fmt, ...) {
    if (c->st != PM_OK) return -1;
    char msg[PM_ERRBUF];
    va_list ap;
    va_start(ap, fmt);
    _pm_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    _pm_set_status(c->h, PM_ECORRUPT, "object check failed: %s", msg);
    c->st = PM_ECORRUPT;
    return -1;
}

static int oc_nomem(oc *c) {
    if (c->st == PM_OK) {
        _pm_set_status(c->h, PM_ENOMEM, "object check: no memory for its work tables");
        c->st = PM_ENOMEM;
    }
    return -1;
}

static void *ws_alloc(oc *c, size_t n) {
    if (c->opts.ws_alloc) return c->opts.ws_alloc(c->opts.ws_ctx, n);
    return _pm_raw_malloc(c->h, n);
}

static void ws_free(oc *c, void *p) {
    if (!p) return;
    if (c->opts.ws_free) c->opts.ws_free(c->opts.ws_ctx, p);
    else _pm_raw_free(c->h, p);
}

static size_t slot_of(const oc *c, const pm_object *o) {
    uint64_t x = (uint64_t)(uintptr_t)o >> 4;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20) & (c->cap - 1);
}

static oc_entry *oc_find(oc *c, const pm_object *o) {
    for (size_t i = slot_of(c, o);; i = (i + 1) & (c->cap - 1)) {
        if (c->tab[i].o == o) return &c->tab[i];
        if (!c->tab[i].o) return NULL;
    }
}

static int oc_grow(oc *c) {
    size_t ncap = c->cap ? c->cap * 2 : 256;
    oc_entry *nt = ws_alloc(c, ncap * sizeof *nt);
    if (!nt) return oc_nomem(c);
    memset(nt, 0, ncap * sizeof *nt);
    oc_entry *old = c->tab;
    size_t ocap = c->cap;
    c->tab = nt;
    c->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].o) continue;
        size_t j = slot_of(c, old[i].o);
        while (nt[j].o) j = (j + 1) & (ncap - 1);
        nt[j] = old[i];
    }
    ws_free(c, old);
    return 0;
}

/* The entry of o, created (flags 0, counts 0) when new; NULL on no memory. */
static oc_entry *oc_entry_of(oc *c, pm_object *o) {
    if ((c->n + 1) * 2 > c->cap && oc_grow(c) < 0) return NULL;
    size_t i = slot_of(c, o);
    while (c->tab[i].o && c->tab[i].o != o) i = (i + 1) & (c->cap - 1);
    if (!c->tab[i].o) {
        c->tab[i].o = o;
        c->n++;
    }
    return &c->tab[i];
}

static int oc_push(oc *c, pm_object *o) {
    if (c->qlen == c->qcap) {
        size_t ncap = c->qcap ? c->qcap * 2 : 256;
        pm_object **nq = ws_alloc(c, ncap * sizeof *nq);
        if (!nq) return oc_nomem(c);
        if (c->qlen) memcpy(nq, c->queue, c->qlen * sizeof *nq);
        ws_free(c, c->queue);
        c->queue = nq;
        c->qcap = ncap;
    }
    c->queue[c->qlen++] = o;
    return 0;
}

/* ---- Validating an object pointer -------------------------------------------- */

static int in_statics(const pm_heap *h, const void *p) {
    return (const uint8_t *)p >= h->statics && (const uint8_t *)p < h->statics + h->statics_used;
}

static int block_live(const pm_heap *h, const void *p) {
    pm_ptr_kind k = pm_ptr_classify(h, p);
    return k == PM_PTR_BLOCK_LIVE || k == PM_PTR_RAW_LIVE;
}

static int is_builtin_type(const pm_heap *h, const pm_type *t) {
    const pm_type *lo = &h->os->types[0], *hi = &h->os->types[PM_T__COUNT];
    return t >= lo && t < hi;
}

/* The block under a non-static object of type t, whatever its pre-header. */
static const char *object_block_ok(const pm_heap *h, const pm_object *o, const pm_type *t) {
    const char *block = (const char *)o - pm_type_preheader(t);
    if (!block_live(h, block)) return "its block (object minus the type's pre-header) is not allocated";
    /* compact strs are smaller than str's tp_basicsize (PyUnicodeObject): check_str sizes them */
    size_t need = t == &h->os->types[PM_T_STR] ? PM_UNICODE_ASCII_HEADER : t->tp_basicsize;
    if (pm_block_size(h, block) < pm_type_preheader(t) + need) return "its block is smaller than its type's size";
    return NULL;
}

/* NULL if o looks like a live object of this heap, else why not. Reads o's
 * header only after knowing the memory is a live block of the heap. */
static const char *object_invalid(const pm_heap *h, const pm_object *o) {
    if (!o) return "NULL";
    if ((uintptr_t)o & 7) return "misaligned";
    if (!in_statics(h, o)) {
        /* pre-headers are 0, 16 or 32 model bytes: one of these is the block start */
        int any = 0;
        for (size_t pre = 0; pre <= 32 && !any; pre += 16) {
            pm_ptr_kind k = pm_ptr_classify(h, (const char *)o - pre);
            if (k == PM_PTR_BLOCK_FREE || k == PM_PTR_RAW_FREE) return "a freed block";
            any = k == PM_PTR_BLOCK_LIVE || k == PM_PTR_RAW_LIVE;
        }
        if (!any) return "not an object of this heap";
    }
    const pm_type *t = o->ob_type;
    if (!t) return "its ob_type is NULL";
    if (!is_builtin_type(h, t)) {
        /* a heap type: itself a live object whose type is a type */
        if ((uintptr_t)t & 7 || in_statics(h, t)) return "its ob_type is not a type";
        int any = 0;
        for (size_t pre = 0; pre <= 32 && !any; pre += 16) any = block_live(h, (const char *)t - pre);
        if (!any || !(t->tp_flags & PM_TPFLAGS_HEAPTYPE)) return "its ob_type is not a type";
        const pm_type *meta = ((const pm_object *)t)->ob_type;
        if (meta != &h->os->types[PM_T_TYPE] && (!meta || !(meta->tp_flags & PM_TPFLAGS_HEAPTYPE)))
            return "its ob_type is not a type";
    }
    if (!t->tp_dealloc) return "its type has no tp_dealloc";
    if (in_statics(h, o)) return pm_is_immortal(o) ? NULL : "a static object that is not immortal";
    return object_block_ok(h, o, t);
}

static const char *tname(const pm_object *o) { return o->ob_type->tp_name; }

/* ---- Counting references --------------------------------------------------------- */

static int visit_ref(pm_object *r, void *arg) {
    oc *c = arg;
    const char *why = object_invalid(c->h, r);
    if (why) return oc_fail(c, "%s at %p holds a bad reference %p: %s", tname(c->cur), (void *)c->cur, (void *)r, why), 1;
    oc_entry *e = oc_entry_of(c, r);
    if (!e) return 1;
    e->expected++;
    c->res.references++;
    if (!(e->flags & F_QUEUED)) {
        e->flags |= F_QUEUED | c->phase_flag;
        if (oc_push(c, r) < 0) return 1;
    }
    return 0;
}

/* ---- Per-type structure (table-driven) --------------------------------------------
 * check: structural invariants of one object (runs before its references
 * are read, so a broken container is reported, not followed). References
 * come from pm_object_refs: tp_refs where a type holds references that
 * tp_traverse does not report (gc.get_referents must not see them). */
typedef struct oc_typeinfo {
    int (*check)(oc *c, pm_object *o);
} oc_typeinfo;

static int is_static(oc *c, pm_object *o) { return in_statics(c->h, o); }

static int mem_block_at_least(oc *c, pm_object *o, const void *p, uint64_t n, const char *what) {
    if (!block_live(c->h, p)) return oc_fail(c, "%s at %p: its %s %p is not an allocated block", tname(o), (void *)o, what, p);
    if (pm_block_size(c->h, p) < n)
        return oc_fail(c, "%s at %p: its %s block holds %zu bytes, needs %llu", tname(o), (void *)o, what,
                       pm_block_size(c->h, p), (unsigned long long)n);
    return 0;
}

static int must_be_tracked(oc *c, pm_object *o) {
    if (is_static(c, o) || pm_gc_is_tracked(o)) return 0;
    return oc_fail(c, "%s at %p (refcount %llu) is not tracked by the GC", tname(o), (void *)o,
                   (unsigned long long)o->ob_refcnt);
}

static int check_bool(oc *c, pm_object *o) {
    if (o != PM_TRUE(c->h) && o != PM_FALSE(c->h)) return oc_fail(c, "a bool at %p that is neither True nor False", (void *)o);
    return 0;
}

static int check_str(oc *c, pm_object *o) {
    pm_asciiobject *s = (pm_asciiobject *)o;
    int kind = s->state.kind;
    if (kind != 1 && kind != 2 && kind != 4) return oc_fail(c, "str at %p: kind %d", (void *)o, kind);
    if (s->state.ascii && kind != 1) return oc_fail(c, "str at %p: ascii but kind %d", (void *)o, kind);
    if (s->length < 0) return oc_fail(c, "str at %p: length %lld", (void *)o, (long long)s->length);
    if (!in_statics(c->h, o)) {
        uint64_t need = (s->state.ascii ? PM_UNICODE_ASCII_HEADER : PM_UNICODE_COMPACT_HEADER) + ((uint64_t)s->length + 1) * (uint64_t)kind;
        if (pm_block_size(c->h, o) < need)
            return oc_fail(c, "str at %p: block of %zu bytes for %lld code points of kind %d", (void *)o,
                           pm_block_size(c->h, o), (long long)s->length, kind);
    }
    if (s->state.interned && !pm_is_immortal(o))
        return oc_fail(c, "str at %p is interned but mortal (refcount %llu)", (void *)o, (unsigned long long)o->ob_refcnt);
    return 0;
}

static int check_bytes(oc *c, pm_object *o) {
    int64_t n = PM_SIZE(o);
    if (n < 0) return oc_fail(c, "bytes at %p: size %lld", (void *)o, (long long)n);
    if (PM_BYTES_AS_STRING(o)[n] != '\0') return oc_fail(c, "bytes at %p: not NUL-terminated", (void *)o);
    return 0;
}

/* Tuples are tracked from creation; _PyTuple_MaybeUntrack may untrack one
 * whose items cannot be in cycles. A dict item may have become tracked
 * since (dicts track themselves when they get a container), so it is
 * allowed in an untracked tuple, as in CPython. */
static int check_tuple(oc *c, pm_object *o) {
    int64_t n = PM_SIZE(o);
    if (n < 0) return oc_fail(c, "tuple at %p: size %lld", (void *)o, (long long)n);
    if (n == 0 && o != c->h->os->empty_tuple) return oc_fail(c, "an empty tuple at %p besides the singleton", (void *)o);
    if (!is_static(c, o) && pm_block_size(c->h, (char *)o - PM_GC_HEAD_SIZE) < PM_GC_HEAD_SIZE + PM_TUPLE_BASICSIZE + 8 * (uint64_t)n)
        return oc_fail(c, "tuple at %p: block too small for %lld items", (void *)o, (long long)n);
    for (int64_t i = 0; i < n; i++)
        if (!PM_TUPLE_GET(o, i)) return oc_fail(c, "tuple at %p: item %lld is NULL", (void *)o, (long long)i);
    if (is_static(c, o) || pm_gc_is_tracked(o)) return 0;
    for (int64_t i = 0; i < n; i++) {
        pm_object *it = PM_TUPLE_GET(o, i);
        const char *why = object_invalid(c->h, it);
        if (why) return oc_fail(c, "tuple at %p: item %lld (%p) is bad: %s", (void *)o, (long long)i, (void *)it, why);
        if (pm_object_may_be_tracked(c->h, it) && PM_TYPE(it) != pm_builtin_type(c->h, PM_T_DICT))
            return oc_fail(c, "untracked tuple at %p holds a trackable %s at %p", (void *)o, tname(it), (void *)it);
    }
    return 0;
}

static int check_list(oc *c, pm_object *o) {
    pm_list *l = (pm_list *)o;
    int64_t n = PM_SIZE(o);
    if (n < 0 || n > l->allocated)
        return oc_fail(c, "list at %p: size %lld, allocated %lld", (void *)o, (long long)n, (long long)l->allocated);
    if (l->allocated > 0 && !l->ob_item) return oc_fail(c, "list at %p: allocated %lld but no item array", (void *)o, (long long)l->allocated);
    if (l->ob_item && mem_block_at_least(c, o, l->ob_item, 8 * (uint64_t)l->allocated, "item array") < 0) return -1;
    for (int64_t i = 0; i < n; i++)
        if (!l->ob_item[i]) return oc_fail(c, "list at %p: item %lld of %lld is NULL", (void *)o, (long long)i, (long long)n);
    return must_be_tracked(c, o);
}

static int64_t dk_index(const pm_dictkeys *k, uint64_t i) {
    const void *ix = pm_dictkeys_indices(k);
    switch (k->dk_log2_index_bytes - k->dk_log2_size) {
    case 0: return ((const int8_t *)ix)[i];
    case 1: return ((const int16_t *)ix)[i];
    case 2: return ((const int32_t *)ix)[i];
    default: return ((const int64_t *)ix)[i];
    }
}

/* The probe sequence of lookdict (perturb >> 5, i = 5i + perturb + 1) must
 * reach entry ix before an empty slot. */
static int dict_probe_finds(const pm_dictkeys *k, int64_t hash, int64_t ix) {
    uint64_t mask = (uint64_t)pm_dictkeys_size(k) - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (uint64_t steps = 0; steps <= 4 * (mask + 1) + 64; steps++) {
        int64_t got = dk_index(k, i);
        if (got == ix) return 1;
        if (got == PM_DKIX_EMPTY) return 0;
        perturb >>= 5;
        i = mask & (i * 5 + perturb + 1);
    }
    return 0;
}

static int check_dict(oc *c, pm_object *o) {
    pm_heap *h = c->h;
    pm_dictobject *mp = (pm_dictobject *)o;
    pm_dictkeys *k = mp->ma_keys;
    if (!k) return oc_fail(c, "dict at %p: ma_keys is NULL", (void *)o);
    if (mp->ma_values) return 0;   /* split tables (instance dicts): their keys belong to the class; not checked yet */
    if (k == pm_dict_empty_keys()) {
        if (mp->ma_used != 0) return oc_fail(c, "dict at %p: empty keys but ma_used %lld", (void *)o, (long long)mp->ma_used);
    } else {
        if (!block_live(h, k) || pm_block_size(h, k) < pm_dictkeys_model_size(k))
            return oc_fail(c, "dict at %p: keys object %p is not an allocated block of its size", (void *)o, (void *)k);
        if (k->dk_refcnt != 1) return oc_fail(c, "dict at %p: combined keys with dk_refcnt %lld", (void *)o, (long long)k->dk_refcnt);
        if (k->dk_kind != PM_DICT_KEYS_GENERAL && k->dk_kind != PM_DICT_KEYS_UNICODE)
            return oc_fail(c, "dict at %p: keys kind %u", (void *)o, (unsigned)k->dk_kind);
        int w = k->dk_log2_index_bytes - k->dk_log2_size;
        if (k->dk_log2_size < PM_DICT_LOG_MINSIZE || k->dk_log2_size > 40 || w < 0 || w > 3)
            return oc_fail(c, "dict at %p: log2 size %u, log2 index bytes %u", (void *)o, k->dk_log2_size, k->dk_log2_index_bytes);
        int64_t size = pm_dictkeys_size(k), usable = (size << 1) / 3;
        if (k->dk_nentries < 0 || k->dk_usable < 0 || k->dk_nentries + k->dk_usable > usable)
            return oc_fail(c, "dict at %p: dk_nentries %lld + dk_usable %lld > usable %lld", (void *)o,
                           (long long)k->dk_nentries, (long long)k->dk_usable, (long long)usable);
        if (mp->ma_used < 0 || mp->ma_used > k->dk_nentries)
            return oc_fail(c, "dict at %p: ma_used %lld, dk_nentries %lld", (void *)o, (long long)mp->ma_used, (long long)k->dk_nentries);
        int unicode = k->dk_kind == PM_DICT_KEYS_UNICODE;
        int64_t active = 0;
        for (int64_t i = 0; i < k->dk_nentries; i++) {
            pm_object *key, *val;
            int64_t hash;
            if (unicode) {
                pm_dictunicodeentry *e = (pm_dictunicodeentry *)pm_dictkeys_entries(k) + i;
                key = e->me_key; val = e->me_value;
                hash = key ? ((pm_asciiobject *)key)->hash : 0;
            } else {
                pm_dictkeyentry *e = (pm_dictkeyentry *)pm_dictkeys_entries(k) + i;
                key = e->me_key; val = e->me_value; hash = e->me_hash;
            }
            if (!key != !val) return oc_fail(c, "dict at %p: entry %lld has key %p, value %p", (void *)o, (long long)i, (void *)key, (void *)val);
            if (!key) continue;
            active++;
            const char *why = object_invalid(h, key);
            if (!why) why = object_invalid(h, val);
            if (why) return oc_fail(c, "dict at %p: entry %lld holds a bad object: %s", (void *)o, (long long)i, why);
            if (unicode && !pm_unicode_check(h, key))
                return oc_fail(c, "dict at %p: unicode table holds a %s key", (void *)o, tname(key));
            if (pm_gc_is_tracked(o) == 0 && (pm_object_may_be_tracked(h, key) || pm_object_may_be_tracked(h, val)))
                return oc_fail(c, "untracked dict at %p holds a trackable %s", (void *)o,
                               pm_object_may_be_tracked(h, key) ? tname(key) : tname(val));
            if (c->opts.flags & PM_OCHECK_NO_CONTENT) continue;
            int64_t real = pm_object_hash(h, key);
            if (real == -1 && pm_err_occurred(h)) {
                pm_err_clear(h);
                return oc_fail(c, "dict at %p: key %lld (%s) is unhashable", (void *)o, (long long)i, tname(key));
            }
            if (real != hash)
                return oc_fail(c, "dict at %p: entry %lld stores hash %lld, its %s key hashes to %lld", (void *)o,
                               (long long)i, (long long)hash, tname(key), (long long)real);
            if (!dict_probe_finds(k, hash, i))
                return oc_fail(c, "dict at %p: entry %lld (%s key) is not on its probe sequence", (void *)o, (long long)i, tname(key));
        }
        if (active != mp->ma_used)
            return oc_fail(c, "dict at %p: %lld live entries, ma_used %lld", (void *)o, (long long)active, (long long)mp->ma_used);
        if (!(c->opts.flags & PM_OCHECK_NO_CONTENT)) {
            int64_t nix = 0;
            for (int64_t i = 0; i < size; i++) {
                int64_t ix = dk_index(k, (uint64_t)i);
                if (ix == PM_DKIX_EMPTY || ix == PM_DKIX_DUMMY) continue;
                if (ix < 0 || ix >= k->dk_nentries)
                    return oc_fail(c, "dict at %p: index slot %lld holds %lld (nentries %lld)", (void *)o, (long long)i,
                                   (long long)ix, (long long)k->dk_nentries);
                nix++;
            }
            if (nix != active)
                return oc_fail(c, "dict at %p: %lld index slots in use for %lld live entries", (void *)o, (long long)nix, (long long)active);
        }
    }
    return 0;
}

static int check_set(oc *c, pm_object *o) {
    pm_heap *h = c->h;
    pm_setobject *so = (pm_setobject *)o;
    uint64_t size = (uint64_t)so->mask + 1;
    if (so->mask < PM_SET_MINSIZE - 1 || (size & (size - 1)))
        return oc_fail(c, "%s at %p: mask %lld", tname(o), (void *)o, (long long)so->mask);
    if ((so->table == so->smalltable) != (size == PM_SET_MINSIZE))
        return oc_fail(c, "%s at %p: %llu slots but table %s the smalltable", tname(o), (void *)o,
                       (unsigned long long)size, so->table == so->smalltable ? "is" : "is not");
    if (so->table != so->smalltable && mem_block_at_least(c, o, so->table, PM_SET_ENTRY_SIZE * size, "table") < 0) return -1;
    int64_t active = 0, dummies = 0;
    for (uint64_t i = 0; i < size; i++) {
        pm_setentry *e = &so->table[i];
        if (!e->key) {
            if (e->hash != 0) return oc_fail(c, "%s at %p: unused slot %llu has hash %lld", tname(o), (void *)o, (unsigned long long)i, (long long)e->hash);
            continue;
        }
        if (e->key == pm_set_dummy()) {
            if (e->hash != -1) return oc_fail(c, "%s at %p: dummy slot %llu has hash %lld", tname(o), (void *)o, (unsigned long long)i, (long long)e->hash);
            dummies++;
            continue;
        }
        active++;
        const char *why = object_invalid(h, e->key);
        if (why) return oc_fail(c, "%s at %p: slot %llu holds a bad key %p: %s", tname(o), (void *)o, (unsigned long long)i, (void *)e->key, why);
        if (c->opts.flags & PM_OCHECK_NO_CONTENT) continue;
        int64_t real = pm_object_hash(h, e->key);
        if (real == -1 && pm_err_occurred(h)) {
            pm_err_clear(h);
            return oc_fail(c, "%s at %p: key %s at %p is unhashable", tname(o), (void *)o, tname(e->key), (void *)e->key);
        }
        if (real != e->hash)
            return oc_fail(c, "%s at %p: slot %llu stores hash %lld, its %s key hashes to %lld", tname(o), (void *)o,
                           (unsigned long long)i, (long long)e->hash, tname(e->key), (long long)real);
    }
    if (active != so->used || active + dummies != so->fill)
        return oc_fail(c, "%s at %p: used %lld fill %lld, table has %lld active + %lld dummies", tname(o), (void *)o,
                       (long long)so->used, (long long)so->fill, (long long)active, (long long)dummies);
    if ((uint64_t)so->fill >= size) return oc_fail(c, "%s at %p: fill %lld leaves no empty slot", tname(o), (void *)o, (long long)so->fill);
    if (!(c->opts.flags & PM_OCHECK_NO_CONTENT)) {
        for (uint64_t i = 0; i < size; i++) {
            pm_object *key = so->table[i].key;
            if (!key || key == pm_set_dummy()) continue;
            int r = pm_set_contains(h, o, key);
            if (r != 1) {
                pm_err_clear(h);
                return oc_fail(c, "%s at %p: its %s key at slot %llu is not found by lookup", tname(o), (void *)o, tname(key), (unsigned long long)i);
            }
        }
    }
    return must_be_tracked(c, o);
}

static int check_range(oc *c, pm_object *o) {
    pm_range *r = (pm_range *)o;
    pm_object *f[4] = { r->start, r->stop, r->step, r->length };
    for (int i = 0; i < 4; i++) {
        const char *why = object_invalid(c->h, f[i]);
        if (why) return oc_fail(c, "range at %p: field %d (%p) is bad: %s", (void *)o, i, (void *)f[i], why);
        if (!pm_long_check(c->h, f[i])) return oc_fail(c, "range at %p: field %d is a %s", (void *)o, i, tname(f[i]));
    }
    if (pm_long_is_zero(r->step)) return oc_fail(c, "range at %p: step 0", (void *)o);
    if (pm_long_is_negative(r->length)) return oc_fail(c, "range at %p: negative length", (void *)o);
    return 0;
}

/* Indexed by pm_type_id. Types added later get their references through
 * tp_traverse without an entry here; an entry adds structure checks or
 * references tp_traverse does not report. */
static const oc_typeinfo TYPEINFO[PM_T__COUNT] = {
    [PM_T_BOOL] = { check_bool },
    [PM_T_STR] = { check_str },
    [PM_T_BYTES] = { check_bytes },
    [PM_T_TUPLE] = { check_tuple },
    [PM_T_LIST] = { check_list },
    [PM_T_DICT] = { check_dict },
    [PM_T_SET] = { check_set },
    [PM_T_FROZENSET] = { check_set },
    [PM_T_RANGE] = { check_range },
};

/* The entry of o's nearest built-in type (a heap type's instance is checked
 * as its built-in base: a list subclass is a list underneath). */
static const oc_typeinfo *typeinfo_of(pm_object *o) {
    for (pm_type *t = PM_TYPE(o); t; t = t->tp_base)
        if (t->type_id < PM_T__COUNT) return &TYPEINFO[t->type_id];
    return NULL;
}

/* ---- The walk ------------------------------------------------------------------- */

/* Does o have a GC head? A static type object has none (type_is_gc: only
 * heap types are GC objects): the 16 bytes before it are the previous
 * built-in type's last fields, not a head to read. */
static int has_gc_head(oc *c, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    if (!pm_type_is_gc(t)) return 0;
    return t != pm_builtin_type(c->h, PM_T_TYPE) || (((pm_type *)o)->tp_flags & PM_TPFLAGS_HEAPTYPE);
}

static int traverse_one(oc *c, pm_object *o) {
    pm_type *t = PM_TYPE(o);
    const oc_typeinfo *ti = typeinfo_of(o);
    if (has_gc_head(c, o) && is_static(c, o) && pm_gc_is_tracked(o))
        return oc_fail(c, "static %s at %p is tracked by the GC", tname(o), (void *)o);
    if (ti && ti->check && ti->check(c, o) < 0) return -1;
    c->cur = o;
    /* every reference: tp_refs where a type holds more than tp_traverse
     * reports (range's ints, str keys of dicts, code objects' constants) */
    if (pm_object_refs(c->h, o, visit_ref, c) != 0 || c->st != PM_OK) return -1;
    /* a non-GC instance of a heap type holds its type, and nothing traverses it */
    if (!pm_type_is_gc(t) && (t->tp_flags & PM_TPFLAGS_HEAPTYPE) && visit_ref((pm_object *)t, c)) return -1;
    return c->st == PM_OK ? 0 : -1;
}

static int drain(oc *c) {
    while (c->qhead < c->qlen)
        if (traverse_one(c, c->queue[c->qhead++]) < 0) return -1;
    return 0;
}

/* Step 1: the static objects are immortal and untracked. */
static int check_statics(oc *c) {
    pm_objstate *os = c->h->os;
    pm_object *singles[] = { os->none, os->notimplemented, os->ellipsis, os->true_, os->false_,
                             os->empty_tuple, os->empty_str, os->empty_bytes };
    struct { pm_object **a; size_t n; } arrays[] = {
        { singles, sizeof singles / sizeof singles[0] },
        { os->small_ints, PM_NSMALLNEGINTS + PM_NSMALLPOSINTS },
        { os->latin1, 256 }, { os->bytes1, 256 },
    };
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
        for (size_t i = 0; i < arrays[k].n; i++) {
            pm_object *o = arrays[k].a[i];
            if (!o) continue;
            if (!pm_is_immortal(o)) return oc_fail(c, "static %s at %p is not immortal", tname(o), (void *)o);
            if (pm_type_is_gc(PM_TYPE(o)) && pm_gc_is_tracked(o)) return oc_fail(c, "static %s at %p is tracked", tname(o), (void *)o);
        }
    }
    if (os->trash_delete_later || os->trash_nesting)
        return oc_fail(c, "the trashcan is not idle between operations (nesting %d)", os->trash_nesting);
    if (os->repr_len || os->repr_depth) return oc_fail(c, "repr guards left active between operations");
    if (os->gen_count[0] < 0) return oc_fail(c, "gen_count[0] is %lld", (long long)os->gen_count[0]);
    return 0;
}

/* Step 2: the generation lists. */
static int walk_gc_lists(oc *c) {
    pm_objstate *os = c->h->os;
    pm_gc_head *heads[4] = { &os->generations[0], &os->generations[1], &os->generations[2], &os->permanent };
    for (int g = 0; g < 4; g++) {
        pm_gc_head *head = heads[g];
        pm_gc_head *prev = head;
        for (uintptr_t nx = head->_gc_next; (pm_gc_head *)nx != head; ) {
            pm_gc_head *gh = (pm_gc_head *)nx;
            pm_object *o = PM_FROM_GC(gh);
            const char *why = nx ? object_invalid(c->h, o) : "a NULL link";
            if (why) return oc_fail(c, "generation %d lists %p: %s", g, (void *)o, why);
            if (!pm_type_is_gc(PM_TYPE(o))) return oc_fail(c, "generation %d lists a non-GC %s at %p", g, tname(o), (void *)o);
            if ((pm_gc_head *)(gh->_gc_prev & PM_GC_PREV_MASK) != prev)
                return oc_fail(c, "generation %d: %s at %p has a wrong prev link", g, tname(o), (void *)o);
            oc_entry *e = oc_entry_of(c, o);
            if (!e) return -1;
            if (e->flags & F_GCLIST) return oc_fail(c, "%s at %p is listed twice on the generation lists (or a list cycles)", tname(o), (void *)o);
            e->flags |= F_GCLIST;
            c->res.tracked++;
            prev = gh;
            nx = gh->_gc_next;
        }
        if ((pm_gc_head *)(head->_gc_prev & PM_GC_PREV_MASK) != prev)
            return oc_fail(c, "generation %d: the sentinel's prev link is not the last object", g);
    }
    return 0;
}

/* Step 5: counts and tracking. */
static int compare_counts(oc *c) {
    for (size_t q = 0; q < c->qlen; q++) {
        pm_object *o = c->queue[q];
        oc_entry *e = oc_find(c, o);
        if (has_gc_head(c, o) && !pm_gc_is_tracked(o) != !(e->flags & F_GCLIST))
            return oc_fail(c, "%s at %p is %s but %s a generation list", tname(o), (void *)o,
                           pm_gc_is_tracked(o) ? "tracked" : "untracked", e->flags & F_GCLIST ? "on" : "not on");
        if (pm_is_immortal(o)) continue;
        c->res.mortal++;
        uint64_t want = e->expected + e->from_roots;
        if (o->ob_refcnt != want)
            return oc_fail(c, "%s at %p has refcount %llu, expected %llu (%llu from roots, %llu from objects)%s", tname(o),
                           (void *)o, (unsigned long long)o->ob_refcnt, (unsigned long long)want,
                           (unsigned long long)e->from_roots, (unsigned long long)e->expected,
                           e->flags & F_REACH ? "" : " [not reachable from the roots]");
        if (!(e->flags & F_REACH) && (c->opts.flags & PM_OCHECK_NO_GARBAGE) && (e->flags & F_GCLIST))
            return oc_fail(c, "tracked %s at %p (refcount %llu) is not reachable from the roots: an unreferenced cycle",
                           tname(o), (void *)o, (unsigned long long)o->ob_refcnt);
    }
    return 0;
}

pm_status pm_objects_check(pm_heap *h, const pm_objroot *roots, size_t nroots, const pm_objcheck_opts *opts,
                           pm_objcheck_result *out) {
    if (!h || h->magic != PM_HEAP_MAGIC || !h->os) return PM_EDEAD;
    oc c;
    memset(&c, 0, sizeof c);
    c.h = h;
    if (opts) c.opts = *opts;
    if ((c.opts.ws_alloc == NULL) != (c.opts.ws_free == NULL)) {
        _pm_set_status(h, PM_EINVAL, "pm_objects_check: give both ws_alloc and ws_free, or neither");
        return PM_EINVAL;
    }
    if (nroots && !roots) {
        _pm_set_status(h, PM_EINVAL, "pm_objects_check: %zu roots but no array", nroots);
        return PM_EINVAL;
    }
    /* The check reads a consistent heap: a GC stress collection triggered by
     * an allocation made while comparing or hashing keys would untrack or
     * free objects under it (found by fuzz_objects). Stress is off meanwhile. */
    int stress = h->os->gc_stress;
    h->os->gc_stress = 0;
    if (check_statics(&c) < 0 || walk_gc_lists(&c) < 0) goto done;
    /* step 3: from the roots */
    c.phase_flag = F_REACH;
    for (size_t i = 0; i < nroots; i++) {
        pm_object *o = roots[i].obj;
        const char *why = object_invalid(h, o);
        if (why) { oc_fail(&c, "root %zu (%p) is bad: %s", i, (void *)o, why); goto done; }
        oc_entry *e = oc_entry_of(&c, o);
        if (!e) goto done;
        e->from_roots += roots[i].count;
        e->flags |= F_ROOT | F_REACH;
        if (!(e->flags & F_QUEUED)) {
            e->flags |= F_QUEUED;
            if (oc_push(&c, o) < 0) goto done;
        }
    }
    if (drain(&c) < 0) goto done;
    /* step 4: tracked objects the roots did not reach */
    c.phase_flag = 0;
    for (size_t i = 0; i < c.cap; i++) {
        oc_entry *e = &c.tab[i];
        if (!e->o || !(e->flags & F_GCLIST) || (e->flags & F_QUEUED)) continue;
        e->flags |= F_QUEUED;
        c.res.garbage++;
        if (oc_push(&c, e->o) < 0) goto done;
    }
    /* (pushing does not touch the table, and every listed object has an
     * entry since step 2: one pass finds them all) */
    if (drain(&c) < 0) goto done;
    c.res.objects = c.qlen;
    compare_counts(&c);
done:
    h->os->gc_stress = stress;
    ws_free(&c, c.tab);
    ws_free(&c, c.queue);
    if (out) *out = c.res;
    if (c.st == PM_OK) _pm_set_status(h, PM_OK, NULL);
    return c.st;
}

/* ---- Back to baseline ----------------------------------------------------------- */

static void clear_freelists(pm_heap *h) {
    _pm_float_clear_freelist(h);
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    _pm_dict_clear_freelist(h);
}

static void baseline_now(pm_heap *h, pm_objbaseline *b) {
    pm_heap_stats s;
    pm_heap_stats_get(h, &s);
    b->pymalloc_bytes = s.bytes_in_allocated_blocks;
    b->raw_blocks = s.raw_blocks;
    b->raw_bytes = s.raw_bytes_requested;
}

void pm_objects_baseline(pm_heap *h, pm_objbaseline *out) {
    clear_freelists(h);
    baseline_now(h, out);
}

pm_status pm_objects_check_baseline(pm_heap *h, const pm_objbaseline *base) {
    if (!h || h->magic != PM_HEAP_MAGIC || !h->os) return PM_EDEAD;
    pm_objbaseline now;
    pm_objects_baseline(h, &now);
    if (now.pymalloc_bytes != base->pymalloc_bytes || now.raw_blocks != base->raw_blocks || now.raw_bytes != base->raw_bytes) {
        _pm_set_status(h, PM_ECORRUPT,
                       "object check failed: not back to baseline: pymalloc bytes %llu (baseline %llu), raw blocks %llu "
                       "(baseline %llu), raw bytes %llu (baseline %llu): objects or buffers leaked",
                       (unsigned long long)now.pymalloc_bytes, (unsigned long long)base->pymalloc_bytes,
                       (unsigned long long)now.raw_blocks, (unsigned long long)base->raw_blocks,
                       (unsigned long long)now.raw_bytes, (unsigned long long)base->raw_bytes);
        return PM_ECORRUPT;
    }
    return PM_OK;
}
