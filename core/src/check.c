/* check.c — the executable form of the invariants stated in internal.h.
 *
 * pm_heap_check() walks every arena, pool, free list, ring and raw segment
 * and recomputes the counting identities from scratch. It never modifies
 * the heap (except for the status and message). Tests call it after every
 * operation; heaps created with debug_checks run it after every mutating
 * wasm call.
 */
#include "internal.h"
#include <stdarg.h>

pm_status _pm_check_fail(pm_heap *h, const char *fmt, ...) {
    char msg[PM_ERRBUF];
    va_list ap;
    va_start(ap, fmt);
    _pm_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    _pm_set_status(h, PM_ECORRUPT, "heap check failed: %s", msg);
    return PM_ECORRUPT;
}

#define FAIL(...) return _pm_check_fail(h, __VA_ARGS__)

static pm_status check_pool(pm_heap *h, arena_object *ao, uint32_t ai, poolp pool, bool *in_freepools,
                            uint32_t *used_per_class) {
    if (pool->arenaindex != ai) FAIL("pool %p: arenaindex %u, expected %u", (void *)pool, pool->arenaindex, ai);
    if (pool->szidx >= NB_SMALL_SIZE_CLASSES) FAIL("pool %p: bad szidx %u", (void *)pool, pool->szidx);
    uint32_t size = INDEX2SIZE(pool->szidx), nblocks = NUMBLOCKS(pool->szidx);
    if (pool->count > nblocks) FAIL("pool %p: count %u > %u blocks", (void *)pool, pool->count, nblocks);
    if (pool->maxnextoffset != POOL_SIZE - size) FAIL("pool %p: maxnextoffset %u", (void *)pool, pool->maxnextoffset);
    if (pool->nextoffset < POOL_OVERHEAD + size || (pool->nextoffset - POOL_OVERHEAD) % size)
        FAIL("pool %p: nextoffset %u not on a block boundary", (void *)pool, pool->nextoffset);
    uint32_t virgin = pool->nextoffset <= pool->maxnextoffset
                    ? (pool->maxnextoffset - pool->nextoffset) / size + 1 : 0;
    (void)ao;
    /* free list: carved, aligned, tagged, no cycle */
    uint32_t nfree = 0;
    for (block *b = pool->freeblock; b; ) {
        uintptr_t off = (uintptr_t)b - (uintptr_t)pool;
        if ((uintptr_t)b < (uintptr_t)pool || off >= POOL_SIZE || off < POOL_OVERHEAD
            || (off - POOL_OVERHEAD) % size || off >= pool->nextoffset)
            FAIL("pool %p: free-list entry %p is not a carved block", (void *)pool, (void *)b);
        if (_pm_block_tag(b) != FREE_TAG(h, b)) FAIL("pool %p: free block %p has no free tag", (void *)pool, (void *)b);
        if (++nfree > nblocks) FAIL("pool %p: free list has a cycle", (void *)pool);
        block *n;
        memcpy(&n, b, sizeof n);
        b = n;
    }
    if (pool->count + nfree + virgin != nblocks)
        FAIL("pool %p: count %u + free %u + virgin %u != %u blocks", (void *)pool, pool->count, nfree, virgin, nblocks);
    if (pool->count == 0) {
        if (!*in_freepools) FAIL("pool %p: empty but not on its arena's freepools", (void *)pool);
    } else {
        if (*in_freepools) FAIL("pool %p: on freepools with %u blocks allocated", (void *)pool, pool->count);
        if (pool->count == nblocks) {
            if (pool->freeblock) FAIL("pool %p: full but has a free list", (void *)pool);
        } else {
            if (!pool->freeblock) FAIL("pool %p: used but its free list is empty", (void *)pool);
            used_per_class[pool->szidx]++;
        }
    }
    return PM_OK;
}

pm_status pm_heap_check(pm_heap *h) {
    if (!h || h->magic != PM_HEAP_MAGIC) return PM_EDEAD;
    uint32_t used_per_class[NB_SMALL_SIZE_CLASSES] = {0};
    size_t mapped = 0, unused_slots = 0, with_free = 0;

    for (uint32_t ai = 0; ai < h->maxarenas; ai++) {
        arena_object *ao = &h->arenas[ai];
        if (!ao->address) continue;
        mapped++;
        if (_pm_arena_of(h, ao->address) != ao || _pm_arena_of(h, ao->address + ARENA_SIZE - 1) != ao)
            FAIL("arena %u: arena map does not cover it", ai);
        uintptr_t excess = ao->address & POOL_SIZE_MASK;
        uint32_t total = excess ? MAX_POOLS_IN_ARENA - 1 : MAX_POOLS_IN_ARENA;
        if (ao->ntotalpools != total) FAIL("arena %u: ntotalpools %u, expected %u", ai, ao->ntotalpools, total);
        if (ao->first_pool != (excess ? ao->address + POOL_SIZE - excess : ao->address))
            FAIL("arena %u: first pool misplaced", ai);
        uint32_t ncarved = (uint32_t)(((uintptr_t)ao->pool_address - ao->first_pool) >> POOL_BITS);
        if (((uintptr_t)ao->pool_address - ao->first_pool) & POOL_SIZE_MASK || ncarved > total)
            FAIL("arena %u: pool_address out of range", ai);
        /* freepools: mark the pools on it */
        bool onfree[MAX_POOLS_IN_ARENA] = {0};
        uint32_t nempty = 0;
        for (poolp p = ao->freepools; p; p = p->nextpool) {
            uintptr_t a = (uintptr_t)p;
            if (a < ao->first_pool || a >= (uintptr_t)ao->pool_address || (a - ao->first_pool) & POOL_SIZE_MASK)
                FAIL("arena %u: freepools entry %p is not a carved pool", ai, (void *)p);
            size_t k = (a - ao->first_pool) >> POOL_BITS;
            if (onfree[k]) FAIL("arena %u: freepools has a cycle", ai);
            onfree[k] = true;
            nempty++;
        }
        if (ao->nfreepools != nempty + (total - ncarved))
            FAIL("arena %u: nfreepools %u != %u empty + %u uncarved", ai, ao->nfreepools, nempty, total - ncarved);
        for (uint32_t k = 0; k < ncarved; k++) {
            pm_status st = check_pool(h, ao, ai, (poolp)(ao->first_pool + (uintptr_t)k * POOL_SIZE), &onfree[k], used_per_class);
            if (st != PM_OK) return st;
        }
        if (ao->nfreepools) with_free++;
    }
    for (arena_object *a = h->unused_arena_objects; a; a = a->nextarena) {
        if (a < h->arenas || a >= h->arenas + h->maxarenas) FAIL("unused_arena_objects points outside the vector");
        if (a->address) FAIL("arena slot %u is on unused_arena_objects but mapped", (unsigned)(a - h->arenas));
        if (++unused_slots > h->maxarenas) FAIL("unused_arena_objects has a cycle");
    }
    if (mapped + unused_slots != h->maxarenas)
        FAIL("%zu mapped + %zu unused arena slots != %u slots", mapped, unused_slots, h->maxarenas);
    if (mapped != h->narenas_currently_allocated)
        FAIL("%zu arenas mapped but narenas_currently_allocated is %zu", mapped, h->narenas_currently_allocated);
    if (h->narenas_highwater < mapped || h->ntimes_arena_allocated < h->narenas_highwater)
        FAIL("arena counters inconsistent");

    /* usedpools rings hold exactly the used pools of their class */
    for (uint32_t c = 0; c < NB_SMALL_SIZE_CLASSES; c++) {
        poolp head = &h->usedpools[c];
        uint32_t n = 0;
        for (poolp p = head->nextpool; p != head; p = p->nextpool) {
            if (p->nextpool->prevpool != p) FAIL("usedpools[%u]: ring links broken at %p", c, (void *)p);
            if (p->szidx != c) FAIL("usedpools[%u]: pool %p has szidx %u", c, (void *)p, p->szidx);
            if (!_pm_arena_of(h, (uintptr_t)p)) FAIL("usedpools[%u]: pool %p is not in an arena", c, (void *)p);
            if (++n > used_per_class[c]) FAIL("usedpools[%u]: more pools in the ring than used pools", c);
        }
        if (n != used_per_class[c]) FAIL("usedpools[%u]: %u pools in the ring, %u used pools", c, n, used_per_class[c]);
    }

    /* usable_arenas: exactly the arenas with free pools, sorted ascending,
     * and nfp2lasta[k] is the last one with k free pools */
    arena_object *last_with[MAX_POOLS_IN_ARENA + 1] = {0};
    size_t n = 0;
    uint32_t prevnf = 0;
    for (arena_object *a = h->usable_arenas; a; a = a->nextarena) {
        if (a < h->arenas || a >= h->arenas + h->maxarenas || !a->address) FAIL("usable_arenas holds a non-arena");
        if (a->nextarena && a->nextarena->prevarena != a) FAIL("usable_arenas links broken");
        if (a == h->usable_arenas && a->prevarena) FAIL("usable_arenas head has a prevarena");
        if (a->nfreepools == 0) FAIL("arena %u with no free pool is on usable_arenas", (unsigned)(a - h->arenas));
        if (a->nfreepools < prevnf) FAIL("usable_arenas not sorted by nfreepools (%u after %u)", a->nfreepools, prevnf);
        prevnf = a->nfreepools;
        last_with[a->nfreepools] = a;
        if (++n > with_free) FAIL("usable_arenas holds more arenas than have free pools (or a cycle)");
    }
    if (n != with_free) FAIL("%zu arenas have free pools but usable_arenas holds %zu", with_free, n);
    for (uint32_t k = 1; k <= MAX_POOLS_IN_ARENA; k++)
        if (h->nfp2lasta[k] != last_with[k]) FAIL("nfp2lasta[%u] is not the last arena with %u free pools", k, k);

    pm_status st = _pm_raw_check(h);
    if (st != PM_OK) return st;

    size_t seg = 0;
    for (raw_segment *s = h->raw.segments; s; s = s->next) seg += s->size;
    if (h->footprint != mapped * ARENA_SIZE + seg)
        FAIL("footprint %zu != %zu arenas + %zu raw segment bytes", h->footprint, mapped, seg);
    if (h->limit && h->footprint > h->limit) FAIL("footprint %zu exceeds the limit %zu", h->footprint, h->limit);
    return PM_OK;
}
