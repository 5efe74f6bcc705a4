/* pymalloc_model.h — an independent shadow model of CPython 3.12's pymalloc
 * bookkeeping, written from docs reference/cpython-memory-model.md §1.7/§1.8
 * (allocation, free, usable_arenas + nfp2lasta, arena release), used as the
 * test oracle for the core's allocator.
 *
 * It does not manage memory. It tracks, per arena slot and per pool, exactly
 * the state the spec's pseudo-code manipulates (free lists as LIFO stacks of
 * block offsets, nextoffset bump carving, the usedpools rings, freepools
 * lists, usable_arenas order, nfp2lasta) and predicts the address every
 * small allocation must return. The only thing it cannot know is where the
 * page source puts a new arena: when the spec says "map a new arena into
 * slot s", the caller supplies the address the real heap reports for that
 * slot (through the probe callback), and the model checks nothing else
 * about it except that it is consistent from then on.
 *
 * Nothing here is copied from core/src: it is a second implementation of the
 * spec, so agreement between the two is evidence, not tautology.
 *
 * Header-only; include from one .c file per program.
 */
#ifndef PYHEAP_TESTS_PYMALLOC_MODEL_H
#define PYHEAP_TESTS_PYMALLOC_MODEL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define M_ALIGNMENT      16u
#define M_SMALL_MAX      512u
#define M_NCLASSES       32
#define M_POOL_SIZE      16384u
#define M_ARENA_SIZE     1048576u
#define M_POOL_OVERHEAD  48u
#define M_MAX_POOLS      64u            /* ARENA_SIZE / POOL_SIZE */
#define M_DUMMY_SZIDX    0xffffu
#define M_INITIAL_ARENAS 16u

static inline uint32_t m_class_of(size_t n) { return (uint32_t)((n - 1) >> 4); }   /* n in 1..512 */
static inline uint32_t m_class_size(uint32_t idx) { return (idx + 1) * 16u; }
static inline uint32_t m_blocks_per_pool(uint32_t idx) {
    return (M_POOL_SIZE - M_POOL_OVERHEAD) / m_class_size(idx);
}

typedef struct mpool {
    uint32_t szidx;            /* M_DUMMY_SZIDX when freshly carved */
    uint32_t count;            /* ref.count */
    uint32_t nextoffset, maxnextoffset;
    uint32_t *fl;              /* free list as a stack; fl[nfl-1] is pool.freeblock */
    uint32_t nfl, capfl;
    int32_t unext, uprev;      /* usedpools ring links (global pool ids), -1 = none */
    int in_used;               /* linked in usedpools[szidx] */
    int32_t freenext;          /* next pool index (within arena) on freepools, -1 */
} mpool;

typedef struct marena {
    uintptr_t address;         /* 0 = slot holds no arena */
    uintptr_t first_pool;
    uint32_t nfreepools, ntotalpools;
    uint32_t ncarved;          /* pools carved so far (pool_address high-water) */
    int32_t freepools;         /* head pool index, -1 */
    int32_t nextarena, prevarena;
    uint64_t last_change;      /* op counter when nfreepools last changed */
    mpool pools[M_MAX_POOLS];
} marena;

/* Supplies the real address of the arena the model expects in `slot`.
 * Returns 0 on success (and fills the three outputs), nonzero if the real
 * heap has no arena there. */
typedef int (*m_probe_fn)(void *ctx, uint32_t slot, uintptr_t *address,
                          uintptr_t *first_pool, uint32_t *ntotalpools);

typedef struct mheap {
    marena *arenas;
    uint32_t maxarenas;
    int32_t unused;            /* unused_arena_objects head (slot), -1 */
    int32_t usable;            /* usable_arenas head (slot), -1 */
    int32_t nfp2lasta[M_MAX_POOLS + 1];
    int32_t used_head[M_NCLASSES];  /* first pool (global id) of usedpools[i], -1 */
    uint64_t ntimes_arena_allocated, narenas_currently_allocated, narenas_highwater;
    uint64_t clock;            /* incremented per model operation */
    m_probe_fn probe;
    void *probe_ctx;
    const char *err;           /* first internal inconsistency found (model misuse) */
} mheap;

static inline void m_init(mheap *m, m_probe_fn probe, void *ctx) {
    memset(m, 0, sizeof *m);
    m->unused = -1;
    m->usable = -1;
    for (int i = 0; i <= (int)M_MAX_POOLS; i++) m->nfp2lasta[i] = -1;
    for (int i = 0; i < M_NCLASSES; i++) m->used_head[i] = -1;
    m->probe = probe;
    m->probe_ctx = ctx;
}

static inline void m_destroy(mheap *m) {
    for (uint32_t s = 0; s < m->maxarenas; s++)
        for (uint32_t k = 0; k < M_MAX_POOLS; k++) free(m->arenas[s].pools[k].fl);
    free(m->arenas);
    memset(m, 0, sizeof *m);
}

#define M_PID(slot, k) ((int32_t)((slot) * M_MAX_POOLS + (k)))
static inline mpool *m_pool(mheap *m, int32_t pid) {
    return &m->arenas[pid / M_MAX_POOLS].pools[pid % M_MAX_POOLS];
}
static inline uintptr_t m_pool_addr(mheap *m, int32_t pid) {
    return m->arenas[pid / M_MAX_POOLS].first_pool + (uintptr_t)(pid % M_MAX_POOLS) * M_POOL_SIZE;
}

static inline void m_fl_push(mpool *p, uint32_t off) {
    if (p->nfl == p->capfl) {
        p->capfl = p->capfl ? 2 * p->capfl : 64;
        p->fl = (uint32_t *)realloc(p->fl, p->capfl * sizeof *p->fl);
        if (!p->fl) abort();
    }
    p->fl[p->nfl++] = off;
}

/* usedpools ring, modelled as a list with insertion at the front. */
static inline void m_used_push_front(mheap *m, int32_t pid) {
    mpool *p = m_pool(m, pid);
    int32_t h = m->used_head[p->szidx];
    p->uprev = -1;
    p->unext = h;
    if (h >= 0) m_pool(m, h)->uprev = pid;
    m->used_head[p->szidx] = pid;
    p->in_used = 1;
}
static inline void m_used_unlink(mheap *m, int32_t pid) {
    mpool *p = m_pool(m, pid);
    if (p->uprev >= 0) m_pool(m, p->uprev)->unext = p->unext;
    else m->used_head[p->szidx] = p->unext;
    if (p->unext >= 0) m_pool(m, p->unext)->uprev = p->uprev;
    p->unext = p->uprev = -1;
    p->in_used = 0;
}

/* new_arena(): returns the slot, or -1 if the real heap has no arena where
 * the spec puts it (the real page source refused; the model stays as the
 * spec leaves it: vector possibly grown, slot back on the unused list). */
static inline int32_t m_new_arena(mheap *m) {
    if (m->unused < 0) {
        uint32_t n = m->maxarenas ? 2 * m->maxarenas : M_INITIAL_ARENAS;
        m->arenas = (marena *)realloc(m->arenas, n * sizeof *m->arenas);
        if (!m->arenas) abort();
        memset(m->arenas + m->maxarenas, 0, (n - m->maxarenas) * sizeof *m->arenas);
        for (uint32_t i = m->maxarenas; i < n; i++) {
            m->arenas[i].nextarena = i < n - 1 ? (int32_t)(i + 1) : -1;
            m->arenas[i].prevarena = -1;
        }
        m->unused = (int32_t)m->maxarenas;
        m->maxarenas = n;
    }
    int32_t s = m->unused;
    marena *a = &m->arenas[s];
    uintptr_t addr = 0, first = 0;
    uint32_t ntotal = 0;
    if (!m->probe || m->probe(m->probe_ctx, (uint32_t)s, &addr, &first, &ntotal) != 0 || !addr)
        return -1;
    m->unused = a->nextarena;
    /* Pools: the spec's own alignment rule decides ntotalpools; the probe's
     * value is only used to cross-check (by the caller). */
    a->address = addr;
    a->first_pool = (addr % M_POOL_SIZE) ? addr + (M_POOL_SIZE - addr % M_POOL_SIZE) : addr;
    a->ntotalpools = (addr % M_POOL_SIZE) ? M_MAX_POOLS - 1 : M_MAX_POOLS;
    (void)first; (void)ntotal;
    a->nfreepools = a->ntotalpools;
    a->ncarved = 0;
    a->freepools = -1;
    a->nextarena = a->prevarena = -1;
    a->last_change = m->clock;
    for (uint32_t k = 0; k < M_MAX_POOLS; k++) {
        mpool *p = &a->pools[k];
        p->nfl = 0;
        p->count = 0;
        p->szidx = M_DUMMY_SZIDX;
        p->unext = p->uprev = p->freenext = -1;
        p->in_used = 0;
    }
    m->narenas_currently_allocated++;
    m->ntimes_arena_allocated++;
    if (m->narenas_currently_allocated > m->narenas_highwater)
        m->narenas_highwater = m->narenas_currently_allocated;
    return s;
}

/* allocate_block(idx) per §1.7. Returns the predicted block address, or 0
 * if a new arena was needed and the real heap did not map one. */
static inline uintptr_t m_malloc(mheap *m, uint32_t idx) {
    m->clock++;
    uint32_t size = m_class_size(idx);
    int32_t pid = m->used_head[idx];
    if (pid >= 0) {
        mpool *p = m_pool(m, pid);
        uint32_t off = p->fl[--p->nfl];
        p->count++;
        if (p->nfl == 0) {                                   /* extend_pool */
            if (p->nextoffset <= p->maxnextoffset) {
                m_fl_push(p, p->nextoffset);
                p->nextoffset += size;
            } else {
                m_used_unlink(m, pid);                       /* now full */
            }
        }
        return m_pool_addr(m, pid) + off;
    }
    /* allocate_from_new_pool */
    if (m->usable < 0) {
        int32_t s = m_new_arena(m);
        if (s < 0) return 0;
        m->usable = s;
        m->arenas[s].nextarena = m->arenas[s].prevarena = -1;
        m->nfp2lasta[m->arenas[s].nfreepools] = s;
    }
    int32_t s = m->usable;
    marena *a = &m->arenas[s];
    if (m->nfp2lasta[a->nfreepools] == s) m->nfp2lasta[a->nfreepools] = -1;
    if (a->nfreepools > 1) m->nfp2lasta[a->nfreepools - 1] = s;
    uint32_t k;
    if (a->freepools >= 0) {
        k = (uint32_t)a->freepools;
        a->freepools = a->pools[k].freenext;
        a->pools[k].freenext = -1;
    } else {
        k = a->ncarved++;
        a->pools[k].szidx = M_DUMMY_SZIDX;
        a->pools[k].nfl = 0;
    }
    a->nfreepools--;
    a->last_change = m->clock;
    if (a->nfreepools == 0) {
        m->usable = a->nextarena;
        if (m->usable >= 0) m->arenas[m->usable].prevarena = -1;
        a->nextarena = a->prevarena = -1;
    }
    pid = M_PID(s, k);
    mpool *p = &a->pools[k];
    p->count = 1;
    if (p->szidx == idx) {
        /* recycled pool of the same class: free list intact; link as the
         * only element of the (empty) ring */
        m_used_push_front(m, pid);
        uint32_t off = p->fl[--p->nfl];
        if (p->nfl == 0 && !m->err) m->err = "model: recycled pool free list ran dry";
        return m_pool_addr(m, pid) + off;
    }
    p->szidx = idx;
    m_used_push_front(m, pid);
    p->nfl = 0;
    p->nextoffset = M_POOL_OVERHEAD + 2 * size;
    p->maxnextoffset = M_POOL_SIZE - size;
    m_fl_push(p, M_POOL_OVERHEAD + size);
    return m_pool_addr(m, pid) + M_POOL_OVERHEAD;
}

/* Finds the arena slot owning address q (inside its 1 MiB mapping), -1 if none. */
static inline int32_t m_find_arena(const mheap *m, uintptr_t q) {
    for (uint32_t s = 0; s < m->maxarenas; s++) {
        const marena *a = &m->arenas[s];
        if (a->address && q >= a->address && q < a->address + M_ARENA_SIZE) return (int32_t)s;
    }
    return -1;
}

/* Is q the start of a block the model considers allocated? Returns 1/0. */
static inline int m_is_live(const mheap *m, uintptr_t q) {
    int32_t s = m_find_arena(m, q);
    if (s < 0 || q < m->arenas[s].first_pool) return 0;
    const marena *a = &m->arenas[s];
    uint32_t k = (uint32_t)((q - a->first_pool) / M_POOL_SIZE);
    if (k >= a->ncarved) return 0;
    const mpool *p = &a->pools[k];
    if (p->szidx == M_DUMMY_SZIDX || p->count == 0) return 0;
    uint32_t off = (uint32_t)(q - (a->first_pool + (uintptr_t)k * M_POOL_SIZE));
    uint32_t size = m_class_size(p->szidx);
    if (off < M_POOL_OVERHEAD || (off - M_POOL_OVERHEAD) % size) return 0;
    if (off >= p->nextoffset) return 0;                      /* virgin */
    if (off + size > M_POOL_SIZE) return 0;
    for (uint32_t i = 0; i < p->nfl; i++) if (p->fl[i] == off) return 0;
    return 1;
}

/* pymalloc_free(q) per §1.8. Returns 1 if q was a model block, 0 if not in
 * any model arena (the caller's block was raw). Releasing an arena is
 * reported through *released_slot (>= 0) so the caller can cross-check. */
static inline int m_free(mheap *m, uintptr_t q, int32_t *released_slot) {
    if (released_slot) *released_slot = -1;
    int32_t s = m_find_arena(m, q);
    if (s < 0) return 0;
    m->clock++;
    marena *a = &m->arenas[s];
    uint32_t k = (uint32_t)((q - a->first_pool) / M_POOL_SIZE);
    int32_t pid = M_PID(s, k);
    mpool *p = &a->pools[k];
    uint32_t off = (uint32_t)(q - m_pool_addr(m, pid));
    int was_full = p->nfl == 0;
    m_fl_push(p, off);
    p->count--;
    if (was_full) {
        m_used_push_front(m, pid);
        return 1;
    }
    if (p->count != 0) return 1;
    /* pool became empty */
    m_used_unlink(m, pid);
    p->freenext = a->freepools;
    a->freepools = (int32_t)k;
    uint32_t nf = a->nfreepools;
    int32_t lastnf = m->nfp2lasta[nf];
    if (lastnf == s) {
        int32_t pr = a->prevarena;
        m->nfp2lasta[nf] = (pr >= 0 && m->arenas[pr].nfreepools == nf) ? pr : -1;
    }
    nf++;
    a->nfreepools = nf;
    a->last_change = m->clock;
    if (nf == a->ntotalpools && a->nextarena >= 0) {          /* case A: release */
        if (a->prevarena >= 0) m->arenas[a->prevarena].nextarena = a->nextarena;
        else m->usable = a->nextarena;
        m->arenas[a->nextarena].prevarena = a->prevarena;
        a->nextarena = m->unused;
        a->prevarena = -1;
        m->unused = s;
        for (uint32_t i = 0; i < M_MAX_POOLS; i++) {
            a->pools[i].nfl = 0;
            a->pools[i].in_used = 0;
        }
        a->address = 0;
        m->narenas_currently_allocated--;
        if (released_slot) *released_slot = s;
        return 1;
    }
    if (nf == 1) {                                            /* case B */
        a->nextarena = m->usable;
        a->prevarena = -1;
        if (m->usable >= 0) m->arenas[m->usable].prevarena = s;
        m->usable = s;
        if (m->nfp2lasta[1] < 0) m->nfp2lasta[1] = s;
        return 1;
    }
    if (m->nfp2lasta[nf] < 0) m->nfp2lasta[nf] = s;            /* case C */
    if (s == lastnf) return 1;
    /* move a right after lastnf */
    if (lastnf < 0) {
        if (!m->err) m->err = "model: nfp2lasta[nf] missing in case C";
        return 1;
    }
    if (a->prevarena >= 0) m->arenas[a->prevarena].nextarena = a->nextarena;
    else m->usable = a->nextarena;
    if (a->nextarena >= 0) m->arenas[a->nextarena].prevarena = a->prevarena;
    marena *l = &m->arenas[lastnf];
    a->nextarena = l->nextarena;
    a->prevarena = lastnf;
    if (l->nextarena >= 0) m->arenas[l->nextarena].prevarena = s;
    l->nextarena = s;
    return 1;
}

/* Position of slot s in usable_arenas, UINT32_MAX if absent. */
static inline uint32_t m_rank(const mheap *m, uint32_t s) {
    uint32_t r = 0;
    for (int32_t i = m->usable; i >= 0; i = m->arenas[i].nextarena, r++)
        if ((uint32_t)i == s) return r;
    return UINT32_MAX;
}

/* Pool state in pm_pool_info's encoding: 0 unused, 1 empty, 2 used, 3 full. */
static inline uint32_t m_pool_state(const mheap *m, uint32_t s, uint32_t k) {
    const marena *a = &m->arenas[s];
    if (k >= a->ncarved) return 0;
    const mpool *p = &a->pools[k];
    if (p->count == 0) return 1;
    return p->nfl == 0 ? 3 : 2;
}

/* The _debugmallocstats figures, computed from model state as §1.12 says. */
typedef struct mstats {
    uint64_t num_pools[M_NCLASSES], in_use[M_NCLASSES], avail[M_NCLASSES];
    uint64_t pools_used[M_NCLASSES], pools_full[M_NCLASSES], pools_empty[M_NCLASSES];
    uint64_t narenas, unused_pools;
    uint64_t allocated_bytes, available_bytes, pool_header_bytes, quantization, arena_alignment;
} mstats;

static inline void m_stats(const mheap *m, mstats *st) {
    memset(st, 0, sizeof *st);
    for (uint32_t s = 0; s < m->maxarenas; s++) {
        const marena *a = &m->arenas[s];
        if (!a->address) continue;
        st->narenas++;
        st->unused_pools += a->nfreepools;
        if (a->address % M_POOL_SIZE) st->arena_alignment += M_POOL_SIZE;
        for (uint32_t k = 0; k < a->ncarved; k++) {
            const mpool *p = &a->pools[k];
            if (p->count == 0) {
                if (p->szidx != M_DUMMY_SZIDX) st->pools_empty[p->szidx]++;
                continue;
            }
            uint32_t cap = m_blocks_per_pool(p->szidx);
            st->num_pools[p->szidx]++;
            st->in_use[p->szidx] += p->count;
            st->avail[p->szidx] += cap - p->count;
            if (p->count == cap) st->pools_full[p->szidx]++;
            else st->pools_used[p->szidx]++;
        }
    }
    for (uint32_t i = 0; i < M_NCLASSES; i++) {
        uint32_t size = m_class_size(i);
        st->allocated_bytes += st->in_use[i] * size;
        st->available_bytes += st->avail[i] * size;
        st->pool_header_bytes += st->num_pools[i] * M_POOL_OVERHEAD;
        st->quantization += st->num_pools[i] * ((M_POOL_SIZE - M_POOL_OVERHEAD) % size);
    }
}

#endif /* PYHEAP_TESTS_PYMALLOC_MODEL_H */
