/* internal.h — every core struct, with its states and invariants, and the
 * cross-file _pm_* prototypes grouped by defining file.
 */
#ifndef PM_INTERNAL_H
#define PM_INTERNAL_H

#include "pm.h"
#include "config.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdarg.h>

typedef uint8_t block;

/* ---- Pools (pycore_obmalloc.h struct pool_header) ---------------------
 * A pool is a POOL_SIZE-aligned 16 KiB piece of an arena. Its header holds
 * CPython's fields (with narrower integer widths: the model charges the
 * 64-bit POOL_OVERHEAD of 48 bytes whatever the host layout is).
 *
 * Free-block tags. Every block on a pool's free list carries, in its second
 * word, the tag FREE_TAG(h, block) (a per-heap key mixed with the block's
 * address); pymalloc clears it when it hands the block out. Both writes
 * land on the cache line the free-list link already touches, so the fast
 * path pays no extra miss. "Is this pointer an allocated block" is then a
 * bounded check (decision 8): an untagged block is allocated; a tagged one
 * is confirmed by walking that one pool's free list (at most 1021 blocks),
 * since a live block's data could happen to equal the tag.
 *
 * A carved pool is in exactly one state:
 *   used   0 < count < NUMBLOCKS(szidx)   linked in the usedpools ring of szidx
 *   full   count == NUMBLOCKS(szidx)      linked nowhere; freeblock == NULL
 *   empty  count == 0                     on its arena's freepools list
 * Always: count + |freeblock list| + virgin == NUMBLOCKS(szidx), where
 * virgin = (maxnextoffset - nextoffset) / size + 1 while nextoffset <=
 * maxnextoffset, else 0; and every block on the free list is tagged.
 * pm_heap_check() asserts all of the above.
 */
typedef struct pool_header {
    uint32_t count;                 /* ref.count: blocks allocated */
    uint16_t szidx;                 /* size class, DUMMY_SIZE_IDX when never initialised */
    uint16_t nextoffset;            /* offset of the next virgin block */
    uint16_t maxnextoffset;         /* largest valid nextoffset: POOL_SIZE - size */
    uint16_t _pad;
    uint32_t arenaindex;            /* slot of the owning arena in h->arenas */
    block *freeblock;               /* head of the free-block list (link in each block's first word) */
    struct pool_header *nextpool;   /* usedpools ring / freepools list */
    struct pool_header *prevpool;   /* usedpools ring */
} pool_header;

typedef pool_header *poolp;

#define POOL_ADDR(p) ((poolp)((uintptr_t)(p) & ~(uintptr_t)POOL_SIZE_MASK))
#define FREE_TAG(h, bp) ((uintptr_t)(bp) ^ (h)->free_tag_key)

/* tracemalloc's allocators (PyMemAllocatorEx of tracemalloc_alloc & co.). */
typedef struct pm_tm_hooks {
    void *(*malloc)(pm_heap *h, pm_domain d, size_t nelem, size_t elsize, int zero);
    void *(*realloc)(pm_heap *h, pm_domain d, void *p, size_t n);
    void (*free)(pm_heap *h, pm_domain d, void *p);
} pm_tm_hooks;

/* ---- Arenas (struct arena_object) ---------------------------------------
 * A slot of the arenas vector is either unused (address == 0, on
 * unused_arena_objects via nextarena) or holds a mapped 1 MiB arena.
 * A mapped arena with nfreepools > 0 is on usable_arenas, which is sorted by
 * nfreepools ascending; nfp2lasta[k] is the last arena on that list with
 * nfreepools == k. An arena with nfreepools == 0 is on no list.
 * Always: nfreepools == |freepools| + uncarved pools.
 */
typedef struct arena_object {
    uintptr_t address;              /* start of the 1 MiB block from the page source, 0 if none */
    uintptr_t first_pool;           /* first POOL_SIZE-aligned pool address */
    block *pool_address;            /* next never-carved pool (high-water mark) */
    uint32_t nfreepools;            /* empty pools + never-carved pools */
    uint32_t ntotalpools;           /* usable pools: 64, or 63 when address is not pool-aligned */
    poolp freepools;                /* singly linked list of empty pools */
    struct arena_object *nextarena; /* usable_arenas (doubly) or unused_arena_objects (singly) */
    struct arena_object *prevarena;
} arena_object;

/* ---- Arena map ---------------------------------------------------------
 * Replaces CPython's address_in_range() read of possibly foreign memory.
 * One leaf per 1 MiB "ideal chunk" of the page source's span [lo, hi):
 * hi_arena is the arena (slot+1) that starts inside this chunk, lo_arena the
 * arena that started in the previous chunk and ends inside this one (the
 * same idea as the 3.12 radix tree's tail_hi / tail_lo). 0 means none. */
typedef struct arena_leaf {
    uint32_t lo_arena;
    uint32_t hi_arena;
} arena_leaf;

/* ---- Raw allocator (rawalloc.c) ------------------------------------------
 * Stands in for libc malloc: requests above 512 bytes, size 0, the RAW
 * domain, and the core's own bookkeeping. Boundary-tagged chunks carved
 * from page-source segments, segregated free lists, coalescing on free;
 * requests >= PM_RAW_DEDICATED get a segment of their own, released on free.
 * Blocks handed out through a domain call are also entered in `live`, an
 * open-addressing set, so a pointer from outside can be validated in O(1). */
#define RAW_NBINS 160
typedef struct raw_segment {
    struct raw_segment *next, *prev;
    size_t size;                    /* bytes obtained from the page source */
    uint32_t dedicated;             /* one block only; released when it is freed */
    uint32_t _pad;
} raw_segment;

typedef struct raw_state {
    raw_segment *segments;          /* every segment, shared and dedicated */
    struct raw_chunk *bins[RAW_NBINS];
    uint64_t binmap[(RAW_NBINS + 63) / 64];
    uintptr_t *live;                /* set of live domain blocks (0 empty, 1 tombstone) */
    size_t live_cap, live_count, live_used;   /* used = count + tombstones */
    size_t nblocks;                 /* live domain blocks */
    size_t bytes_requested;         /* sum of their requested sizes */
} raw_state;

/* ---- The heap ---------------------------------------------------------- */
#define PM_HEAP_MAGIC 0x70796865u   /* "pyhe" */
#define PM_ERRBUF 256

struct pm_heap {
    uint32_t magic;
    int debug_checks;
    pm_pagesource *pages;
    pm_pagesource *owned_pages;     /* non-NULL if the heap created its page source */
    size_t self_size;               /* bytes of the page-source block holding this struct */
    size_t limit;                   /* 0 = none */
    size_t footprint;               /* page-source bytes held for arenas and raw segments */
    pm_status last_status;
    char errbuf[PM_ERRBUF];

    /* obmalloc state (CPython's OMState, one per interpreter in 3.12) */
    pool_header usedpools[NB_SMALL_SIZE_CLASSES];   /* ring sentinels: only nextpool/prevpool used */
    arena_object *arenas;
    uint32_t maxarenas;
    arena_object *unused_arena_objects;
    arena_object *usable_arenas;
    arena_object *nfp2lasta[MAX_POOLS_IN_ARENA + 1];
    size_t narenas_currently_allocated;
    size_t ntimes_arena_allocated;
    size_t narenas_highwater;
    size_t raw_allocated_blocks;
    uintptr_t free_tag_key;         /* per-heap key of the free-block tags */

    /* arena map */
    uintptr_t map_lo;
    size_t map_nleaves;
    arena_leaf *map;
    uint64_t bot_nodes_seen[8];     /* modelled radix bottom nodes (address >> 34), never freed */
    uint32_t nbot_nodes;

    raw_state raw;

    struct pm_objstate *os;         /* the object layer's state (object.h), NULL until initialised */
    uint8_t *statics;               /* static objects: part of the heap's own block */
    size_t statics_used;

    /* Object free-list lengths reported by _debugmallocstats; maintained by
     * the object layer (0 while no free list holds anything). */
    struct {
        uint32_t dicts, floats, lists;
        uint32_t tuples[20];          /* by tuple length 1..20 */
    } freelists;

    /* tracemalloc (tracemalloc.c): `tracing` is what the domain entry
     * points test: NULL, or while tracing the table of traced allocators
     * they call instead (CPython's start() swaps the domains' tables; an
     * indirect call also keeps the traced path out of the fast path when
     * the optimiser inlines). The state is raw bookkeeping, NULL until start(). */
    const struct pm_tm_hooks *tracing;
    struct pm_tracemalloc *tm;

    /* transfer buffer for the wasm glue: part of the heap's own block, so
     * reading statistics never allocates and never fails at the limit */
    uint8_t *scratch;
};

#define PM_SCRATCH_BYTES 16384   /* > the largest report (_debugmallocstats is ~4 KB) */

/* ---- heap.c ---- */
void _pm_set_status(pm_heap *h, pm_status st, const char *fmt, ...);
void *_pm_scratch(pm_heap *h, size_t n);          /* transfer buffer of at least n bytes, or NULL */
void _pm_debug_check(pm_heap *h);                 /* runs pm_heap_check if debug_checks; fatal on failure */
void *_pm_pages_get(pm_heap *h, size_t size);     /* page source + limit accounting; NULL = ENOMEM set */
void _pm_pages_put(pm_heap *h, void *p, size_t size);
_Noreturn void _pm_fatal(pm_heap *h, const char *msg);
int _pm_format(char *buf, size_t cap, const char *fmt, ...);   /* small snprintf subset, no libc stdio */
int _pm_vformat(char *buf, size_t cap, const char *fmt, va_list ap);

/* ---- obmalloc.c ---- */
void _pm_obmalloc_init(pm_heap *h);
void _pm_obmalloc_fini(pm_heap *h);
arena_object *_pm_arena_of(const pm_heap *h, uintptr_t p);   /* O(1) via the arena map, NULL if none */
/* Second word of a block: the free-block tag slot. */
static inline uintptr_t _pm_block_tag(const void *bp) {
    uintptr_t t;
    memcpy(&t, (const char *)bp + sizeof(void *), sizeof t);
    return t;
}
bool _pm_block_on_freelist(const pool_header *pool, const void *bp);   /* walks the pool's free list */

/* The domain allocators without the tracemalloc hook (tracemalloc.c wraps them). */
void *_pm_malloc_untraced(pm_heap *h, pm_domain d, size_t n);
void *_pm_calloc_untraced(pm_heap *h, pm_domain d, size_t nelem, size_t elsize);
void *_pm_realloc_untraced(pm_heap *h, pm_domain d, void *p, size_t n);
void _pm_free_untraced(pm_heap *h, pm_domain d, void *p);

/* obmalloc.c: the entry points' jumps to h->tracing's allocators. */
void *_pm_traced_malloc(pm_heap *h, pm_domain d, size_t n, size_t elsize, int zero);
void *_pm_traced_realloc(pm_heap *h, pm_domain d, void *p, size_t n);
void _pm_traced_free(pm_heap *h, pm_domain d, void *p);

/* ---- tracemalloc.c ---- */
void _pm_tm_fini(pm_heap *h);

/* ---- rawalloc.c ---- */
void _pm_raw_init(pm_heap *h);
void _pm_raw_fini(pm_heap *h);
void *_pm_raw_malloc(pm_heap *h, size_t n);           /* internal bookkeeping: not in `live` */
void _pm_raw_free(pm_heap *h, void *p);
void *_pm_raw_realloc(pm_heap *h, void *p, size_t n);
void *_pm_raw_domain_malloc(pm_heap *h, size_t n, int zero, int from_pymalloc);
void *_pm_raw_domain_realloc(pm_heap *h, void *p, size_t n);
void _pm_raw_domain_free(pm_heap *h, void *p);
bool _pm_raw_is_live(const pm_heap *h, const void *p);
pm_ptr_kind _pm_raw_locate(const pm_heap *h, const void *p);   /* slow: walks a segment; for error paths */
size_t _pm_raw_requested(const void *p);             /* requested size of a live domain block */
bool _pm_raw_from_pymalloc(const void *p);
pm_status _pm_raw_check(pm_heap *h);

/* ---- check.c ---- */
pm_status _pm_check_fail(pm_heap *h, const char *fmt, ...);

#endif /* PM_INTERNAL_H */
