/* pagesource.c — where arenas and raw segments come from.
 *
 * CPython maps each arena with mmap and unmaps it when pymalloc gives it
 * back. The model's default page source is a contiguous region grown on
 * demand — natively a private mmap reservation, in wasm the linear memory
 * grown through sbrk — with released ranges kept on an address-ordered,
 * coalescing free list and reused first-fit. Every range handed out starts
 * at PM_ARENA_RESIDUE (4096) modulo POOL_SIZE, like a typical mmap result,
 * so an arena has 63 usable pools and loses 16 KiB to alignment, as on a
 * 64-bit Linux CPython. The layout is deterministic: the same sequence of
 * calls gives the same offsets from the region start.
 *
 * The fault-injecting source wraps another one and refuses chosen calls.
 */
#include "internal.h"

#ifdef __wasm__
#include <unistd.h>   /* sbrk */
#else
#include <sys/mman.h>
#endif

typedef struct free_range {
    struct free_range *next;
    size_t size;
} free_range;

typedef struct region {
    pm_pagesource ps;
    uintptr_t bump;          /* next never-used address */
    uintptr_t end;           /* end of memory obtained so far (native: of the reservation) */
    free_range *free;        /* released ranges, ascending address, coalesced */
#ifndef __wasm__
    void *base;
    size_t reserve;
#endif
} region;

static uintptr_t align_residue(uintptr_t a) {
    uintptr_t r = (a - PM_ARENA_RESIDUE) & POOL_SIZE_MASK;
    return r ? a + (POOL_SIZE - r) : a;
}

/* Extends the region so [bump, bump+size) is available; returns the start
 * address (after residue alignment) or 0. */
static uintptr_t region_grow(region *r, size_t size) {
#ifdef __wasm__
    uintptr_t cur = (uintptr_t)sbrk(0);
    if (cur != r->end) {                 /* someone else moved the break: start afresh there */
        r->bump = cur;
        r->end = cur;
    }
    uintptr_t start = align_residue(r->bump);
    if (start + size < start) return 0;
    if (start + size > r->end) {           /* extend the break only past what we hold */
        uintptr_t need = start + size - r->end;
        if ((intptr_t)need < 0 || sbrk((intptr_t)need) == (void *)-1) return 0;
        r->end += need;
    }
    r->bump = start + size;
    return start;
#else
    uintptr_t start = align_residue(r->bump);
    if (start + size > r->end || start + size < start) return 0;
    r->bump = start + size;
    return start;
#endif
}

static void *region_alloc(void *ctx, size_t size) {
    region *r = ctx;
    /* first fit among released ranges; they keep the residue because every
     * size handed out is a multiple of PM_PAGE_GRAIN */
    for (free_range **pp = &r->free; *pp; pp = &(*pp)->next) {
        free_range *f = *pp;
        if (f->size < size) continue;
        if (f->size == size) {
            *pp = f->next;
        } else {
            free_range *rest = (free_range *)((char *)f + size);
            rest->next = f->next;
            rest->size = f->size - size;
            *pp = rest;
        }
        return f;
    }
    uintptr_t a = region_grow(r, size);
    return a ? (void *)a : NULL;
}

static void region_release(void *ctx, void *p, size_t size) {
    region *r = ctx;
#ifndef __wasm__
    /* give the pages back to the OS, as munmap would; the range stays reserved */
    if (size > 4096) madvise((char *)p + 4096, size - 4096, MADV_DONTNEED);
#endif
    uintptr_t a = (uintptr_t)p;
    free_range **pp = &r->free;
    while (*pp && (uintptr_t)*pp < a) pp = &(*pp)->next;
    free_range *f = (free_range *)p;
    f->size = size;
    f->next = *pp;
    *pp = f;
    /* coalesce with the next range */
    if (f->next && a + f->size == (uintptr_t)f->next) {
        f->size += f->next->size;
        f->next = f->next->next;
    }
    /* coalesce with the previous range */
    if (pp != &r->free) {
        free_range *prev = (free_range *)((char *)pp - offsetof(free_range, next));
        if ((uintptr_t)prev + prev->size == a) {
            prev->size += f->size;
            prev->next = f->next;
            f = prev;
            pp = NULL;
        }
    }
    /* a range that reaches the bump pointer lowers it */
    if ((uintptr_t)f + f->size == r->bump) {
        r->bump = (uintptr_t)f;
        free_range **q = &r->free;
        while (*q != f) q = &(*q)->next;
        *q = f->next;
    }
    (void)pp;
}

pm_pagesource *pm_pagesource_default(size_t reserve) {
#ifdef __wasm__
    (void)reserve;
    uintptr_t cur = (uintptr_t)sbrk(0);
    uintptr_t start = (cur + 15) & ~(uintptr_t)15;
    if (sbrk((intptr_t)(start - cur + sizeof(region))) == (void *)-1) return NULL;
    region *r = (region *)start;
    memset(r, 0, sizeof *r);
    r->bump = r->end = start + sizeof(region);
    r->ps.lo = 0;
    r->ps.hi = UINTPTR_MAX;
#else
    if (!reserve) reserve = (size_t)4 << 30;
    reserve = (reserve + PM_PAGE_GRAIN - 1) / PM_PAGE_GRAIN * PM_PAGE_GRAIN;
    size_t total = reserve + 2 * POOL_SIZE;
    void *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    region *r = (region *)base;
    memset(r, 0, sizeof *r);
    r->base = base;
    r->reserve = total;
    r->bump = (uintptr_t)base + sizeof(region);
    r->end = (uintptr_t)base + total;
    r->ps.lo = (uintptr_t)base;
    r->ps.hi = r->end;
#endif
    r->ps.alloc = region_alloc;
    r->ps.release = region_release;
    r->ps.ctx = r;
    return &r->ps;
}

/* ---- Fault injection ------------------------------------------------------ */

typedef struct faulty {
    pm_pagesource ps;
    pm_pagesource *inner;
    unsigned long calls, fail_at, fail_every;
} faulty;

static void *faulty_alloc(void *ctx, size_t size) {
    faulty *f = ctx;
    f->calls++;
    if (f->fail_at && f->calls == f->fail_at) return NULL;
    if (f->fail_every && f->calls % f->fail_every == 0) return NULL;
    return f->inner->alloc(f->inner->ctx, size);
}

static void faulty_release(void *ctx, void *p, size_t size) {
    faulty *f = ctx;
    f->inner->release(f->inner->ctx, p, size);
}

pm_pagesource *pm_pagesource_faulty(pm_pagesource *inner) {
    faulty *f = inner->alloc(inner->ctx, PM_PAGE_GRAIN);
    if (!f) return NULL;
    memset(f, 0, sizeof *f);
    f->inner = inner;
    f->ps.alloc = faulty_alloc;
    f->ps.release = faulty_release;
    f->ps.ctx = f;
    f->ps.lo = inner->lo;
    f->ps.hi = inner->hi;
    return &f->ps;
}

void pm_faulty_set(pm_pagesource *ps, unsigned long fail_at, unsigned long fail_every) {
    faulty *f = ps->ctx;
    f->calls = 0;
    f->fail_at = fail_at;
    f->fail_every = fail_every;
}

unsigned long pm_faulty_calls(pm_pagesource *ps) { return ((faulty *)ps->ctx)->calls; }

void pm_pagesource_destroy(pm_pagesource *ps) {
    if (!ps) return;
    if (ps->alloc == faulty_alloc) {
        faulty *f = ps->ctx;
        f->inner->release(f->inner->ctx, f, PM_PAGE_GRAIN);
        return;
    }
#ifdef __wasm__
    (void)ps;   /* linear memory cannot be returned; the region stays for reuse */
#else
    region *r = ps->ctx;
    munmap(r->base, r->reserve);
#endif
}
