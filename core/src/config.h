/* config.h — model parameters and build switches.
 *
 * The allocator constants are those of 64-bit CPython 3.12 and are stated
 * explicitly: they are parameters of the model, never derived from the host
 * (the wasm build is wasm32; its pointers are 4 bytes but the model is the
 * 64-bit one). See ../../shared/reference/cpython-memory-model.md §1.3.
 */
#ifndef PM_CONFIG_H
#define PM_CONFIG_H

/* ---- pymalloc (Objects/obmalloc.c, pycore_obmalloc.h, 64-bit) ---- */
#define ALIGNMENT               16
#define ALIGNMENT_SHIFT         4
#define SMALL_REQUEST_THRESHOLD 512
#define NB_SMALL_SIZE_CLASSES   (SMALL_REQUEST_THRESHOLD / ALIGNMENT)   /* 32 */
#define ARENA_BITS              20
#define ARENA_SIZE              (1u << ARENA_BITS)                     /* 1 MiB */
#define POOL_BITS               14
#define POOL_SIZE               (1u << POOL_BITS)                      /* 16 KiB */
#define POOL_SIZE_MASK          (POOL_SIZE - 1)
#define MAX_POOLS_IN_ARENA      (ARENA_SIZE / POOL_SIZE)               /* 64 */
#define POOL_OVERHEAD           48   /* sizeof(struct pool_header) on 64-bit, rounded to ALIGNMENT */
#define INITIAL_ARENA_OBJECTS   16
#define DUMMY_SIZE_IDX          0xffff

#define INDEX2SIZE(i)           (((unsigned)(i) + 1) << ALIGNMENT_SHIFT)
#define NUMBLOCKS(i)            ((POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(i))

/* Radix-tree sizes that _debugmallocstats reports (3.12, 64-bit, M312). */
#define ARENA_MAP_ROOT_BYTES    262144
#define ARENA_MAP_MID_BYTES     262144
#define ARENA_MAP_BOT_BYTES     131072
#define ARENA_MAP_BOT_SHIFT     34      /* a bottom node covers 2^(14+20) bytes */

/* ---- Page source ---- */
#define PM_PAGE_GRAIN           65536u  /* page-source requests are multiples of this */
#define PM_ARENA_RESIDUE        4096u   /* arenas start at 4096 mod POOL_SIZE, like a
                                           typical mmap result: 63 usable pools */

/* ---- Raw allocator ---- */
#define PM_RAW_SEGMENT          (1u << 20)      /* shared segment size */
#define PM_RAW_DEDICATED        (256u << 10)    /* requests this large get their own segment */

/* ---- Debug switches ----
 * PM_DEBUG 0: no assertions; 1: cheap asserts; 2: + internal consistency;
 * 3: + whole-structure walks after every operation. Debug builds also fill
 * fresh blocks with 0xCD and freed blocks with 0xDD (CPython's bytes). */
#ifndef PM_DEBUG
#define PM_DEBUG 0
#endif

#define PM_CLEANBYTE 0xCD
#define PM_DEADBYTE  0xDD

#endif /* PM_CONFIG_H */
