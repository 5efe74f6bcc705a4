/* obmalloc.c — pymalloc: arenas, pools, size classes, block free lists,
 * and the three allocator domains on top of them.
 *
 * Mirrors CPython 3.12 Objects/obmalloc.c (pymalloc_alloc, pymalloc_free,
 * allocate_from_new_pool, new_arena, insert_to_usedpool, insert_to_freepool,
 * pymalloc_realloc), with the 64-bit constants of config.h. File-static
 * helpers keep CPython's names so the two can be read side by side.
 *
 * Differences from CPython:
 *   - address_in_range() is replaced by the arena map (_pm_arena_of), which
 *     never reads memory the heap does not own.
 *   - blocks on a free list carry a tag in their second word, so pointers
 *     handed in from JavaScript can be validated in bounded time
 *     (pm_ptr_classify; see internal.h).
 *   - requests that fall back from pymalloc go to the core's raw allocator
 *     (rawalloc.c) instead of libc malloc.
 */
#include "internal.h"

#define usedpools (h->usedpools)

/* ---- Arena map ------------------------------------------------------------ */

static arena_leaf *leaf_for(const pm_heap *h, uintptr_t a) {
    if (a < h->map_lo) return NULL;
    size_t i = (a - h->map_lo) >> ARENA_BITS;
    return i < h->map_nleaves ? &h->map[i] : NULL;
}

static void arena_map_mark(pm_heap *h, arena_object *ao, int used) {
    uint32_t id = used ? (uint32_t)(ao - h->arenas) + 1 : 0;
    arena_leaf *lf = leaf_for(h, ao->address);
    lf->hi_arena = id;
    if ((ao->address - h->map_lo) & (ARENA_SIZE - 1)) {
        arena_leaf *next = leaf_for(h, ao->address + ARENA_SIZE);
        if (next) next->lo_arena = id;
    }
    if (used) {   /* the modelled radix tree keeps its nodes forever */
        uint64_t bot = (uint64_t)ao->address >> ARENA_MAP_BOT_SHIFT;
        uint32_t i;
        for (i = 0; i < h->nbot_nodes && h->bot_nodes_seen[i] != bot; i++) {}
        if (i == h->nbot_nodes && i < 8) h->bot_nodes_seen[h->nbot_nodes++] = bot;
    }
}

/* Inlined into the domain entry points (the fast path of every free). */
static inline __attribute__((always_inline)) arena_object *arena_of(const pm_heap *h, uintptr_t p) {
    const arena_leaf *lf = leaf_for(h, p);
    if (!lf) return NULL;
    if (lf->hi_arena) {
        arena_object *ao = &h->arenas[lf->hi_arena - 1];
        if (p >= ao->address) return ao;
    }
    if (lf->lo_arena) {
        arena_object *ao = &h->arenas[lf->lo_arena - 1];
        if (p < ao->address + ARENA_SIZE) return ao;
    }
    return NULL;
}

arena_object *_pm_arena_of(const pm_heap *h, uintptr_t p) { return arena_of(h, p); }

/* ---- Arenas ---------------------------------------------------------------- */

/* Takes an unused arena object and maps a fresh arena for it; NULL (with
 * the heap unchanged) if the page source or the limit refuses. */
static arena_object *new_arena(pm_heap *h) {
    if (h->unused_arena_objects == NULL) {
        /* Grow the vector. As in CPython this only happens when every arena
         * object is in use and usable_arenas is empty, so no list holds a
         * pointer into the old vector. */
        uint32_t numarenas = h->maxarenas ? h->maxarenas << 1 : INITIAL_ARENA_OBJECTS;
        if (numarenas <= h->maxarenas) return NULL;
        arena_object *v = _pm_raw_realloc(h, h->arenas, numarenas * sizeof(arena_object));
        if (!v) return NULL;
        h->arenas = v;
        for (uint32_t i = h->maxarenas; i < numarenas; ++i) {
            memset(&v[i], 0, sizeof v[i]);
            v[i].nextarena = i < numarenas - 1 ? &v[i + 1] : NULL;
        }
        h->unused_arena_objects = &v[h->maxarenas];
        h->maxarenas = numarenas;
    }
    arena_object *arenaobj = h->unused_arena_objects;
    void *address = _pm_pages_get(h, ARENA_SIZE);
    if (address == NULL) return NULL;       /* slot stays on unused_arena_objects */
    h->unused_arena_objects = arenaobj->nextarena;
    arenaobj->address = (uintptr_t)address;
    arena_map_mark(h, arenaobj, 1);
    ++h->narenas_currently_allocated;
    ++h->ntimes_arena_allocated;
    if (h->narenas_currently_allocated > h->narenas_highwater)
        h->narenas_highwater = h->narenas_currently_allocated;
    arenaobj->freepools = NULL;
    arenaobj->pool_address = (block *)arenaobj->address;
    arenaobj->nfreepools = MAX_POOLS_IN_ARENA;
    uintptr_t excess = arenaobj->address & POOL_SIZE_MASK;
    if (excess != 0) {
        --arenaobj->nfreepools;
        arenaobj->pool_address += POOL_SIZE - excess;
    }
    arenaobj->first_pool = (uintptr_t)arenaobj->pool_address;
    arenaobj->ntotalpools = arenaobj->nfreepools;
    arenaobj->nextarena = arenaobj->prevarena = NULL;
    return arenaobj;
}

static void release_arena(pm_heap *h, arena_object *ao) {
    arena_map_mark(h, ao, 0);
    _pm_pages_put(h, (void *)ao->address, ARENA_SIZE);
    ao->address = 0;
    ao->nextarena = h->unused_arena_objects;
    h->unused_arena_objects = ao;
    --h->narenas_currently_allocated;
}

/* ---- Pools --------------------------------------------------------------- */

static inline block *next_free(block *bp) { block *n; memcpy(&n, bp, sizeof n); return n; }

/* Puts bp on a free list: the link in word 0, the tag in word 1. */
static inline void set_free(pm_heap *h, block *bp, block *next) {
    uintptr_t w[2] = { (uintptr_t)next, FREE_TAG(h, bp) };
    memcpy(bp, w, sizeof w);
}

/* Takes bp off its free list: clears the tag. */
static inline void clear_tag(block *bp) {
    uintptr_t z = 0;
    memcpy(bp + sizeof(void *), &z, sizeof z);
}

/* Walks the pool's free list looking for bp. Defensive: stops at a link
 * that is not a carved block of this pool (memory written after free), so
 * it never follows a pointer out of the pool. */
bool _pm_block_on_freelist(const pool_header *pool, const void *bp) {
    uint32_t limit = NUMBLOCKS(pool->szidx), size = INDEX2SIZE(pool->szidx);
    for (const block *b = pool->freeblock; b && limit--; b = next_free((block *)b)) {
        uintptr_t off = (uintptr_t)b - (uintptr_t)pool;
        if ((uintptr_t)b < (uintptr_t)pool || off >= pool->nextoffset || off < POOL_OVERHEAD
            || (off - POOL_OVERHEAD) % size)
            return false;
        if (b == bp) return true;
    }
    return false;
}

/* The pool's free list ran dry: hand it one more virgin block, or unlink
 * the pool from usedpools because it is full. */
static void pymalloc_pool_extend(pm_heap *h, poolp pool, uint32_t size) {
    if (pool->nextoffset <= pool->maxnextoffset) {
        pool->freeblock = (block *)pool + pool->nextoffset;
        pool->nextoffset = (uint16_t)(pool->nextoffset + size);
        set_free(h, pool->freeblock, NULL);
        return;
    }
    poolp next = pool->nextpool;
    pool = pool->prevpool;
    next->prevpool = pool;
    pool->nextpool = next;
}

/* No used pool of this class: take an empty or virgin pool from the fullest
 * usable arena (mapping a new arena if there is none). */
static block *allocate_from_new_pool(pm_heap *h, uint32_t size) {
    if (h->usable_arenas == NULL) {
        h->usable_arenas = new_arena(h);
        if (h->usable_arenas == NULL) return NULL;
        h->usable_arenas->nextarena = h->usable_arenas->prevarena = NULL;
        h->nfp2lasta[h->usable_arenas->nfreepools] = h->usable_arenas;
    }
    arena_object *ao = h->usable_arenas;

    /* its nfreepools is about to drop by one: keep nfp2lasta right */
    if (h->nfp2lasta[ao->nfreepools] == ao) h->nfp2lasta[ao->nfreepools] = NULL;
    if (ao->nfreepools > 1) h->nfp2lasta[ao->nfreepools - 1] = ao;

    poolp pool = ao->freepools;
    if (pool != NULL) {
        ao->freepools = pool->nextpool;
        --ao->nfreepools;
    } else {
        pool = (poolp)ao->pool_address;
        pool->arenaindex = (uint32_t)(ao - h->arenas);
        pool->szidx = DUMMY_SIZE_IDX;
        pool->count = 0;
        ao->pool_address += POOL_SIZE;
        --ao->nfreepools;
    }
    if (ao->nfreepools == 0) {
        h->usable_arenas = ao->nextarena;
        if (h->usable_arenas != NULL) h->usable_arenas->prevarena = NULL;
    }

    poolp next = usedpools[size].nextpool;   /* the sentinel: the ring is empty */
    pool->nextpool = next;
    pool->prevpool = next;
    next->nextpool = pool;
    next->prevpool = pool;
    pool->count = 1;

    block *bp;
    if (pool->szidx == size) {
        /* a recycled pool of this class: its free list is intact */
        bp = pool->freeblock;
        pool->freeblock = next_free(bp);
        if (pool->freeblock == NULL) pymalloc_pool_extend(h, pool, INDEX2SIZE(size));
        clear_tag(bp);
        return bp;
    }
    /* initialise the pool for this class: first block out, second on the
     * free list, the rest carved lazily */
    uint32_t bsize = INDEX2SIZE(size);
    pool->szidx = (uint16_t)size;
    bp = (block *)pool + POOL_OVERHEAD;
    pool->nextoffset = (uint16_t)(POOL_OVERHEAD + (bsize << 1));
    pool->maxnextoffset = (uint16_t)(POOL_SIZE - bsize);
    pool->freeblock = bp + bsize;
    set_free(h, pool->freeblock, NULL);
    clear_tag(bp);      /* the block may carry a stale tag from the pool's previous class */
    return bp;
}

/* pymalloc_alloc: a block for 1..512 bytes, or NULL (no arena could be
 * mapped; the caller then falls back to the raw allocator as CPython does). */
static inline block *pymalloc_alloc(pm_heap *h, size_t nbytes) {
    uint32_t size = (uint32_t)(nbytes - 1) >> ALIGNMENT_SHIFT;
    poolp pool = usedpools[size].nextpool;
    block *bp;
    if (__builtin_expect(pool != &usedpools[size], 1)) {
        ++pool->count;
        bp = pool->freeblock;
        pool->freeblock = next_free(bp);
        if (__builtin_expect(pool->freeblock == NULL, 0))
            pymalloc_pool_extend(h, pool, INDEX2SIZE(size));
        clear_tag(bp);
    } else {
        bp = allocate_from_new_pool(h, size);
    }
#if PM_DEBUG
    if (bp) memset(bp, PM_CLEANBYTE, INDEX2SIZE(size));
#endif
    return bp;
}

/* The pool was full and now has a free block: put it at the front of its
 * class's ring, so the next allocation of the class uses it. */
static void insert_to_usedpool(pm_heap *h, poolp pool) {
    uint32_t size = pool->szidx;
    poolp next = usedpools[size].nextpool;
    poolp prev = next->prevpool;
    pool->nextpool = next;
    pool->prevpool = prev;
    next->prevpool = pool;
    prev->nextpool = pool;
}

/* The pool became empty: move it to its arena's freepools, keep
 * usable_arenas sorted, and give the arena back if it is wholly free and
 * not the last usable arena. */
static void insert_to_freepool(pm_heap *h, poolp pool) {
    poolp next = pool->nextpool;
    poolp prev = pool->prevpool;
    next->prevpool = prev;
    prev->nextpool = next;

    arena_object *ao = &h->arenas[pool->arenaindex];
    pool->nextpool = ao->freepools;
    ao->freepools = pool;
    uint32_t nf = ao->nfreepools;
    arena_object *lastnf = h->nfp2lasta[nf];
    /* ao was the rightmost arena with nf free pools: its left neighbour
     * takes over if it has nf too */
    if (lastnf == ao) {
        arena_object *p = ao->prevarena;
        h->nfp2lasta[nf] = (p != NULL && p->nfreepools == nf) ? p : NULL;
    }
    ao->nfreepools = ++nf;

    /* Case A: wholly free and not the last arena on the list: release it.
     * (Keeping the last one avoids map/unmap thrashing, bpo-37257.) */
    if (nf == ao->ntotalpools && ao->nextarena != NULL) {
        if (ao->prevarena == NULL) {
            h->usable_arenas = ao->nextarena;
        } else {
            ao->prevarena->nextarena = ao->nextarena;
        }
        ao->nextarena->prevarena = ao->prevarena;
        release_arena(h, ao);
        return;
    }
    /* Case B: the arena had no free pool, so it was on no list: it has the
     * fewest free pools of all and goes to the head. */
    if (nf == 1) {
        ao->nextarena = h->usable_arenas;
        ao->prevarena = NULL;
        if (h->usable_arenas) h->usable_arenas->prevarena = ao;
        h->usable_arenas = ao;
        if (h->nfp2lasta[1] == NULL) h->nfp2lasta[1] = ao;
        return;
    }
    /* Case C: move it right, past the last arena with nf-1 free pools. */
    if (h->nfp2lasta[nf] == NULL) h->nfp2lasta[nf] = ao;
    if (ao == lastnf) return;      /* already rightmost among equals: order holds */

    /* unlink ao */
    if (ao->prevarena != NULL) {
        ao->prevarena->nextarena = ao->nextarena;
    } else {
        h->usable_arenas = ao->nextarena;
    }
    ao->nextarena->prevarena = ao->prevarena;
    /* link it after lastnf */
    ao->prevarena = lastnf;
    ao->nextarena = lastnf->nextarena;
    if (ao->nextarena != NULL) ao->nextarena->prevarena = ao;
    lastnf->nextarena = ao;
}

static inline void pymalloc_free(pm_heap *h, poolp pool, block *bp) {
#if PM_DEBUG
    memset(bp, PM_DEADBYTE, INDEX2SIZE(pool->szidx));
#endif
    block *lastfree = pool->freeblock;
    set_free(h, bp, lastfree);
    pool->freeblock = bp;
    pool->count--;
    if (__builtin_expect(lastfree == NULL, 0)) {
        insert_to_usedpool(h, pool);
        return;
    }
    if (__builtin_expect(pool->count != 0, 1)) return;
    insert_to_freepool(h, pool);
}

/* ---- Pointer classification -------------------------------------------- */

pm_ptr_kind pm_ptr_classify(const pm_heap *h, const void *vp) {
    uintptr_t p = (uintptr_t)vp;
    if (!p) return PM_PTR_NULL;
    arena_object *ao = _pm_arena_of(h, p);
    if (ao) {
        if (p < ao->first_pool || p >= (uintptr_t)ao->pool_address) return PM_PTR_BLOCK_INTERIOR;
        poolp pool = POOL_ADDR(p);
        uintptr_t off = p - (uintptr_t)pool;
        if (pool->szidx == DUMMY_SIZE_IDX || off < POOL_OVERHEAD) return PM_PTR_BLOCK_INTERIOR;
        uint32_t size = INDEX2SIZE(pool->szidx);
        if ((off - POOL_OVERHEAD) % size != 0 || off >= pool->nextoffset
            || (off - POOL_OVERHEAD) / size >= NUMBLOCKS(pool->szidx))
            return PM_PTR_BLOCK_INTERIOR;
        if (_pm_block_tag(vp) != FREE_TAG(h, p)) return PM_PTR_BLOCK_LIVE;
        return _pm_block_on_freelist(pool, vp) ? PM_PTR_BLOCK_FREE : PM_PTR_BLOCK_LIVE;
    }
    if (_pm_raw_is_live(h, vp)) return PM_PTR_RAW_LIVE;
    return _pm_raw_locate(h, vp);
}

size_t pm_block_size(const pm_heap *h, const void *p) {
    switch (pm_ptr_classify(h, p)) {
    case PM_PTR_BLOCK_LIVE: return INDEX2SIZE(POOL_ADDR(p)->szidx);
    case PM_PTR_RAW_LIVE: return _pm_raw_requested(p);
    default: return 0;
    }
}

/* ---- Domains (trusted) ---------------------------------------------------- */

static inline int small_request(size_t n) {
    return (size_t)(n - 1) < SMALL_REQUEST_THRESHOLD;   /* 1..512; wraps for 0 */
}

static inline __attribute__((always_inline)) void *domain_malloc(pm_heap *h, pm_domain d, size_t n) {
    if (n > (size_t)PTRDIFF_MAX) {
        _pm_set_status(h, PM_ENOMEM, "request of %zu bytes exceeds PY_SSIZE_T_MAX", n);
        return NULL;
    }
    if (d != PM_DOMAIN_RAW && small_request(n)) {
        block *bp = pymalloc_alloc(h, n);
        if (__builtin_expect(bp != NULL, 1)) return bp;
    }
    return _pm_raw_domain_malloc(h, n, 0, d != PM_DOMAIN_RAW);
}

void *_pm_malloc_untraced(pm_heap *h, pm_domain d, size_t n) {
    return domain_malloc(h, d, n);
}

static inline __attribute__((always_inline)) void *domain_calloc(pm_heap *h, pm_domain d, size_t nelem, size_t elsize) {
    if (elsize && nelem > (size_t)PTRDIFF_MAX / elsize) {
        _pm_set_status(h, PM_ENOMEM, "calloc(%zu, %zu) overflows", nelem, elsize);
        return NULL;
    }
    size_t n = nelem * elsize;
    if (d != PM_DOMAIN_RAW && small_request(n)) {
        block *bp = pymalloc_alloc(h, n);
        if (bp) { memset(bp, 0, n); return bp; }
    }
    return _pm_raw_domain_malloc(h, n, 1, d != PM_DOMAIN_RAW);
}

void *_pm_calloc_untraced(pm_heap *h, pm_domain d, size_t nelem, size_t elsize) {
    return domain_calloc(h, d, nelem, elsize);
}

static inline __attribute__((always_inline)) void domain_free(pm_heap *h, pm_domain d, void *p) {
    (void)d;
    if (p == NULL) return;
    arena_object *ao = arena_of(h, (uintptr_t)p);
    if (__builtin_expect(ao != NULL, 1)) {
        pymalloc_free(h, POOL_ADDR(p), p);
        return;
    }
    _pm_raw_domain_free(h, p);
}

void _pm_free_untraced(pm_heap *h, pm_domain d, void *p) {
    domain_free(h, d, p);
}

/* pymalloc_realloc: keep the block when shrinking by less than 25 %. */
static inline __attribute__((always_inline)) void *domain_realloc(pm_heap *h, pm_domain d, void *p, size_t n) {
    if (p == NULL) return domain_malloc(h, d, n);
    if (n > (size_t)PTRDIFF_MAX) {
        _pm_set_status(h, PM_ENOMEM, "request of %zu bytes exceeds PY_SSIZE_T_MAX", n);
        return NULL;
    }
    arena_object *ao = arena_of(h, (uintptr_t)p);
    if (ao == NULL) return _pm_raw_domain_realloc(h, p, n);
    poolp pool = POOL_ADDR(p);
    size_t size = INDEX2SIZE(pool->szidx);
    if (n <= size) {
        if (4 * n > 3 * size) return p;   /* shrinking by less than 25 %, or same size */
        size = n;
    }
    void *bp = domain_malloc(h, d == PM_DOMAIN_RAW ? PM_DOMAIN_OBJ : d, n);
    if (bp != NULL) {
        memcpy(bp, p, size);
        pymalloc_free(h, pool, p);
    }
    return bp;
}

void *_pm_realloc_untraced(pm_heap *h, pm_domain d, void *p, size_t n) {
    return domain_realloc(h, d, p, n);
}

/* The public entry points: one predictable branch on h->tracing, then the
 * untraced allocator inline, or tracemalloc's through its table. The traced
 * calls sit in functions of their own (external, so no compiler rewrites
 * their arguments into the caller), and the test compiles to a compare and
 * a jump: the fast path keeps its registers. */
__attribute__((noinline)) void *_pm_traced_malloc(pm_heap *h, pm_domain d, size_t n, size_t e, int zero) {
    return h->tracing->malloc(h, d, n, e, zero);
}
__attribute__((noinline)) void *_pm_traced_realloc(pm_heap *h, pm_domain d, void *p, size_t n) {
    return h->tracing->realloc(h, d, p, n);
}
__attribute__((noinline)) void _pm_traced_free(pm_heap *h, pm_domain d, void *p) {
    h->tracing->free(h, d, p);
}

void *pm_malloc(pm_heap *h, pm_domain d, size_t n) {
    if (__builtin_expect(h->tracing != NULL, 0)) return _pm_traced_malloc(h, d, n, 1, 0);
    return domain_malloc(h, d, n);
}

void *pm_calloc(pm_heap *h, pm_domain d, size_t nelem, size_t elsize) {
    if (__builtin_expect(h->tracing != NULL, 0)) return _pm_traced_malloc(h, d, nelem, elsize, 1);
    return domain_calloc(h, d, nelem, elsize);
}

void *pm_realloc(pm_heap *h, pm_domain d, void *p, size_t n) {
    if (__builtin_expect(h->tracing != NULL, 0)) return _pm_traced_realloc(h, d, p, n);
    return domain_realloc(h, d, p, n);
}

void pm_free(pm_heap *h, pm_domain d, void *p) {
    if (__builtin_expect(h->tracing != NULL, 0)) { _pm_traced_free(h, d, p); return; }
    domain_free(h, d, p);
}

/* ---- Domains (checked) ---------------------------------------------------- */

static pm_status refuse(pm_heap *h, pm_ptr_kind k, const char *op, const void *p) {
    switch (k) {
    case PM_PTR_BLOCK_FREE:
        _pm_set_status(h, PM_EFREED, "%s(%p): block is not allocated (double free or stale pointer)", op, p);
        return PM_EFREED;
    case PM_PTR_RAW_FREE:
        _pm_set_status(h, PM_EFREED, "%s(%p): raw block is not allocated (double free or stale pointer)", op, p);
        return PM_EFREED;
    case PM_PTR_RAW_INTERIOR:
        _pm_set_status(h, PM_EBADPTR, "%s(%p): pointer is inside the raw allocator's memory but not at the start of a live block", op, p);
        return PM_EBADPTR;
    case PM_PTR_BLOCK_INTERIOR:
        _pm_set_status(h, PM_EBADPTR, "%s(%p): pointer is inside an arena but not at the start of an allocated block", op, p);
        return PM_EBADPTR;
    default:
        _pm_set_status(h, PM_EBADPTR, "%s(%p): pointer was not allocated by this heap (or was already freed)", op, p);
        return PM_EBADPTR;
    }
}

static bool bad_domain(pm_heap *h, pm_domain d, const char *op) {
    if ((unsigned)d <= PM_DOMAIN_OBJ) return false;
    _pm_set_status(h, PM_EINVAL, "%s: unknown allocator domain %d", op, (int)d);
    return true;
}

pm_status pm_free_checked(pm_heap *h, pm_domain d, void *p) {
    if (bad_domain(h, d, "free")) return PM_EINVAL;
    pm_ptr_kind k = pm_ptr_classify(h, p);
    if (k == PM_PTR_NULL) return PM_OK;
    if (k == PM_PTR_BLOCK_LIVE && d == PM_DOMAIN_RAW) {
        _pm_set_status(h, PM_EDOMAIN, "free(%p) in the RAW domain: the block belongs to pymalloc (PyMem_RawFree of a PyObject_Malloc block)", p);
        return PM_EDOMAIN;
    }
    if (k != PM_PTR_BLOCK_LIVE && k != PM_PTR_RAW_LIVE) return refuse(h, k, "free", p);
    /* A block whose free tag was overwritten after it was freed (JavaScript
     * can write anywhere in linear memory) still sits on its free list:
     * confirm before freeing it a second time. */
    if (k == PM_PTR_BLOCK_LIVE && _pm_block_on_freelist(POOL_ADDR(p), p))
        return refuse(h, PM_PTR_BLOCK_FREE, "free", p);
    pm_free(h, d, p);
    _pm_set_status(h, PM_OK, NULL);
    return PM_OK;
}

void *pm_realloc_checked(pm_heap *h, pm_domain d, void *p, size_t n) {
    if (bad_domain(h, d, "realloc")) return NULL;
    pm_ptr_kind k = pm_ptr_classify(h, p);
    if (k == PM_PTR_BLOCK_LIVE && d == PM_DOMAIN_RAW) {
        _pm_set_status(h, PM_EDOMAIN, "realloc(%p) in the RAW domain: the block belongs to pymalloc", p);
        return NULL;
    }
    if (k != PM_PTR_NULL && k != PM_PTR_BLOCK_LIVE && k != PM_PTR_RAW_LIVE) {
        refuse(h, k, "realloc", p);
        return NULL;
    }
    if (k == PM_PTR_BLOCK_LIVE && _pm_block_on_freelist(POOL_ADDR(p), p)) {
        refuse(h, PM_PTR_BLOCK_FREE, "realloc", p);
        return NULL;
    }
    void *q = pm_realloc(h, d, p, n);
    if (q) _pm_set_status(h, PM_OK, NULL);
    return q;
}

/* ---- Set-up and teardown -------------------------------------------------- */

void _pm_obmalloc_init(pm_heap *h) {
    /* a fixed key (determinism: no unseeded randomness), mixed with the
     * heap's address so two heaps tag differently */
    h->free_tag_key = (uintptr_t)0x9E3779B97F4A7C15ull ^ ((uintptr_t)h * 31u);
    for (int i = 0; i < NB_SMALL_SIZE_CLASSES; i++)
        usedpools[i].nextpool = usedpools[i].prevpool = &usedpools[i];
}

void _pm_obmalloc_fini(pm_heap *h) {
    for (uint32_t i = 0; i < h->maxarenas; i++) {
        if (h->arenas[i].address) {
            arena_map_mark(h, &h->arenas[i], 0);
            _pm_pages_put(h, (void *)h->arenas[i].address, ARENA_SIZE);
        }
    }
    if (h->arenas) _pm_raw_free(h, h->arenas);
    h->arenas = NULL;
    h->maxarenas = 0;
}
