/* pm.h — the public C surface of the pyheap core.
 *
 * The core models CPython 3.12's memory manager on 64-bit Linux. This header
 * is the only one the wasm glue (core/src/wasm/api.c), the native tests and
 * the fuzz targets include. Every function takes the heap first; there is no
 * global state in the core.
 *
 * Conventions
 *   - Functions returning a pointer return NULL on failure and leave the
 *     reason in pm_heap_last_status(h).
 *   - Functions returning int return a pm_status (0 or negative) or a
 *     non-negative count.
 *   - "Trusted" entry points (pm_malloc, pm_free, ...) behave like CPython's
 *     PyObject_Malloc family: the caller promises the pointer is valid.
 *     "Checked" entry points (suffix _checked) validate every pointer and
 *     refuse bad ones with a status instead of corrupting the heap; the
 *     JavaScript API only uses checked entry points. Validation is bounded:
 *     the arena map answers "whose block is this" in O(1); confirming that
 *     a pymalloc block is not on its free list walks at most one pool
 *     (1021 blocks); classifying a refused raw pointer walks one segment.
 */
#ifndef PM_H
#define PM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pm_heap pm_heap;

/* ---- Status codes ---------------------------------------------------- */
typedef enum pm_status {
    PM_OK        =  0,
    PM_ENOMEM    = -1,  /* page source refused (limit or exhaustion); heap unchanged */
    PM_EINVAL    = -2,  /* caller broke a documented precondition (bad size, bad domain) */
    PM_EBUSY     = -3,  /* re-entered while an operation of the same kind runs */
    PM_EBADPTR   = -4,  /* pointer is not a block this heap handed out (foreign, interior, misaligned) */
    PM_EFREED    = -5,  /* pointer was a block of this heap but is not allocated now (double free, stale) */
    PM_EDOMAIN   = -6,  /* block belongs to an allocator the named domain cannot release (RAW free of a pymalloc block) */
    PM_ECORRUPT  = -7,  /* the invariant checker found an inconsistency; message in pm_heap_error() */
    PM_EDEAD     = -8,  /* the heap handle is not a live heap (freed, or never was one) */
    PM_EPYTHON   = -9   /* a Python exception is pending in the heap (pm_err_occurred) */
} pm_status;

/* CPython's three allocator domains (PyMemAllocatorDomain values). */
typedef enum pm_domain {
    PM_DOMAIN_RAW = 0,  /* PyMem_RawMalloc: the core's raw allocator (CPython: libc malloc) */
    PM_DOMAIN_MEM = 1,  /* PyMem_Malloc: pymalloc for 1..512 bytes, else raw */
    PM_DOMAIN_OBJ = 2   /* PyObject_Malloc: pymalloc for 1..512 bytes, else raw */
} pm_domain;

/* ---- Page source ------------------------------------------------------ */
/* Where arenas and raw segments come from (CPython's arena allocator hook,
 * mmap/munmap). alloc returns `size` bytes aligned to 4096, or NULL; size is
 * always a multiple of 65536. release gives back exactly what alloc gave.
 * [lo, hi) bounds every address alloc can ever return; the arena map is
 * sized from it. */
typedef struct pm_pagesource {
    void *(*alloc)(void *ctx, size_t size);
    void  (*release)(void *ctx, void *p, size_t size);
    void *ctx;
    uintptr_t lo, hi;
} pm_pagesource;

/* The default page source of this build: natively a private mmap
 * reservation of `reserve` bytes (0 = 4 GiB); in wasm the process's linear
 * memory (grown on demand). Returns NULL if it cannot be set up. Free it
 * with pm_pagesource_destroy after every heap on it is gone. */
pm_pagesource *pm_pagesource_default(size_t reserve);
void pm_pagesource_destroy(pm_pagesource *ps);

/* A fault-injecting page source wrapping `inner`, for tests: the n-th call
 * to alloc from now (1-based) fails when fail_at == n; with fail_every > 0,
 * every fail_every-th call fails. Counts are reset by pm_faulty_set. */
pm_pagesource *pm_pagesource_faulty(pm_pagesource *inner);
void pm_faulty_set(pm_pagesource *faulty, unsigned long fail_at, unsigned long fail_every);
unsigned long pm_faulty_calls(pm_pagesource *faulty);   /* alloc calls seen so far */

/* ---- Heap lifecycle --------------------------------------------------- */
typedef struct pm_heap_config {
    pm_pagesource *pages;     /* NULL: a default page source owned by the heap */
    size_t limit;             /* bytes of page-source memory the heap may hold; 0 = no limit */
    int debug_checks;         /* nonzero: run pm_heap_check after every mutating call */
} pm_heap_config;

pm_heap *pm_heap_new(const pm_heap_config *cfg);   /* NULL if the page source refused */
void pm_heap_free(pm_heap *h);                     /* releases every arena and raw segment */
int pm_heap_alive(const pm_heap *h);               /* 1 if h is a live heap (magic intact) */
pm_status pm_heap_last_status(const pm_heap *h);
const char *pm_heap_error(const pm_heap *h);       /* last error/check message, "" if none */
size_t pm_heap_limit(const pm_heap *h);
pm_status pm_heap_set_limit(pm_heap *h, size_t limit); /* PM_EINVAL if below what is held now */
size_t pm_heap_footprint(const pm_heap *h);        /* page-source bytes held right now */

/* ---- Domain allocators (trusted, CPython semantics) -------------------- */
void *pm_malloc(pm_heap *h, pm_domain d, size_t n);
void *pm_calloc(pm_heap *h, pm_domain d, size_t nelem, size_t elsize);
void *pm_realloc(pm_heap *h, pm_domain d, void *p, size_t n);
void  pm_free(pm_heap *h, pm_domain d, void *p);

/* ---- Checked entry points (validate pointers in O(1)) ----------------- */
pm_status pm_free_checked(pm_heap *h, pm_domain d, void *p);
void *pm_realloc_checked(pm_heap *h, pm_domain d, void *p, size_t n);

/* What a pointer is, for validation and for tools. */
typedef enum pm_ptr_kind {
    PM_PTR_NULL = 0,
    PM_PTR_FOREIGN,        /* not inside anything this heap owns */
    PM_PTR_BLOCK_LIVE,     /* start of an allocated pymalloc block */
    PM_PTR_BLOCK_FREE,     /* start of a pymalloc block that is not allocated */
    PM_PTR_BLOCK_INTERIOR, /* inside an arena but not the start of a carved block */
    PM_PTR_RAW_LIVE,       /* start of a live raw-allocator block handed out by a domain call */
    PM_PTR_RAW_FREE,       /* inside raw-allocator memory that is free now (a freed block) */
    PM_PTR_RAW_INTERIOR    /* inside a live raw block or bookkeeping, not at a block start */
} pm_ptr_kind;
pm_ptr_kind pm_ptr_classify(const pm_heap *h, const void *p);
/* Usable size of a live block: the size class for pymalloc blocks, the
 * requested size for raw blocks; 0 for anything else. */
size_t pm_block_size(const pm_heap *h, const void *p);

/* ---- Invariant checker ------------------------------------------------ */
/* Walks every arena, pool, free list and raw segment and verifies the
 * identities stated in core/src/types.h. PM_OK or PM_ECORRUPT (message in
 * pm_heap_error). Never modifies the heap. */
pm_status pm_heap_check(pm_heap *h);

/* ---- Statistics -------------------------------------------------------- */
#define PM_NB_SMALL_SIZE_CLASSES 32

typedef struct pm_class_stats {
    uint32_t size;            /* block size of the class, (i+1)*16 */
    uint32_t num_pools;       /* used + full pools (what _debugmallocstats prints) */
    uint32_t pools_used;      /* pools with 0 < count < capacity */
    uint32_t pools_full;      /* pools with count == capacity */
    uint32_t pools_empty;     /* empty pools still tagged with this class (on freepools) */
    uint32_t blocks_in_use;
    uint32_t avail_blocks;    /* capacity - count over used+full pools, virgin blocks included */
} pm_class_stats;

typedef struct pm_heap_stats {
    pm_class_stats classes[PM_NB_SMALL_SIZE_CLASSES];
    uint64_t ntimes_arena_allocated;     /* "# arenas allocated total" */
    uint64_t narenas_currently_allocated;
    uint64_t narenas_highwater;
    uint64_t unused_pools;               /* sum of nfreepools */
    uint64_t bytes_in_allocated_blocks;
    uint64_t bytes_in_available_blocks;
    uint64_t bytes_lost_to_pool_headers;
    uint64_t bytes_lost_to_quantization;
    uint64_t bytes_lost_to_arena_alignment;
    uint64_t raw_allocated_blocks;       /* pymalloc requests forwarded to raw, alive */
    uint64_t raw_blocks;                 /* live raw blocks from any domain */
    uint64_t raw_bytes_requested;        /* sum of requested sizes of live raw blocks */
    uint64_t footprint;                  /* page-source bytes held */
    uint64_t arena_map_mid_nodes;        /* modelled radix-tree node counts (3.12 layout) */
    uint64_t arena_map_bot_nodes;
} pm_heap_stats;

void pm_heap_stats_get(const pm_heap *h, pm_heap_stats *out);

/* Per-arena view, for the allocator map. index is the arena's slot in the
 * arenas vector; returns PM_EINVAL past maxarenas. */
typedef struct pm_arena_info {
    uintptr_t address;        /* 0 if the slot holds no arena */
    uintptr_t first_pool;     /* first 16 KiB-aligned pool */
    uint32_t nfreepools, ntotalpools, ncarved;
    uint32_t usable_rank;     /* position in usable_arenas (0 = head), UINT32_MAX if not there */
} pm_arena_info;
uint32_t pm_arena_slots(const pm_heap *h);  /* maxarenas */
pm_status pm_arena_info_get(const pm_heap *h, uint32_t index, pm_arena_info *out);

/* Per-pool view: pool `k` (0-based from first_pool) of arena `index`. */
typedef struct pm_pool_info {
    uintptr_t address;
    uint32_t szidx;           /* 0xffff if never initialised */
    uint32_t count;           /* blocks allocated */
    uint32_t capacity;        /* blocks per pool for szidx */
    uint32_t state;           /* 0 unused (never carved), 1 empty, 2 used, 3 full */
} pm_pool_info;
pm_status pm_pool_info_get(const pm_heap *h, uint32_t arena, uint32_t k, pm_pool_info *out);

/* Writes CPython 3.12's sys._debugmallocstats() report for this heap: the
 * allocator sections and the object free-list lines (dict, float, list,
 * tuple sizes 1..20, from the object layer's free lists). Returns the
 * number of bytes the full text needs (excluding NUL); writes at most
 * cap-1 bytes plus NUL. */
size_t pm_debugmallocstats(const pm_heap *h, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* PM_H */
