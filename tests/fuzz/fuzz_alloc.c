/* fuzz_alloc.c — libFuzzer target for the allocator surface of pm.h.
 *
 * Each input is decoded into a sequence of operations on a fresh heap
 * (on a fresh page source, so an input replays the same way in a new
 * process):
 *
 *   byte 0        configuration: bit0 heap limit, bit1 fault-injecting page
 *                 source, bit2 fail_every as well, bit3 debug_checks
 *   then ops      malloc / calloc / realloc / realloc_checked / free /
 *                 free_checked in random domains, sizes covering 0..600
 *                 densely plus class boundaries and occasional large and
 *                 absurd sizes; bad-pointer probes (interior, misaligned,
 *                 stale, foreign, RAW-domain free of a pymalloc block, bad
 *                 domain); limit changes.
 *
 * Live blocks sit in a 64-entry table and carry a byte pattern that is
 * verified on free, realloc and periodically. After EVERY op pm_heap_check
 * must say PM_OK; any broken contract calls abort() with a message.
 * With neither a limit nor fault injection, the independent spec model
 * (tests/core/pymalloc_model.h) also predicts the address of every small
 * block and the usable_arenas ranks.
 *
 * Build:  clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *           -Icore/include -Icore/src core/src/[all .c] tests/fuzz/fuzz_alloc.c \
 *           -o build/native/fuzz_alloc
 * Run:    build/native/fuzz_alloc -runs=200000 -max_len=4096 tests/fuzz/corpus
 */
#include "pm.h"
#include "fuzzinput.h"

/* The harness's own loops (pattern fill/verify, the spec model, the
 * invariant sweep) are not what we want coverage feedback from: keep them
 * out of the coverage instrumentation so libFuzzer's features describe the
 * core, and the fuzzer runs faster. */
#define NO_COV __attribute__((no_sanitize("coverage")))
#pragma clang attribute push (__attribute__((no_sanitize("coverage"))), apply_to = function)
#include "../core/pymalloc_model.h"
#pragma clang attribute pop

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSLOTS 64
#define MAX_OPS 3000

typedef struct slot {
    uint8_t *p;       /* NULL = empty */
    size_t n;         /* requested size */
    pm_domain d;
    uint8_t seed;
} slot;

typedef struct fz {
    pm_heap *h;
    pm_pagesource *inner, *faulty;
    int use_limit, use_faulty, use_model;
    slot s[NSLOTS];
    uint8_t *stale[8];
    unsigned nstale;
    uint8_t seedctr;
    mheap m;
} fz;

static fz F;   /* one input at a time */

/* ---- input decoding (u8, u16, more: fuzzinput.h) -------------------- */
static size_t decode_size(void) {
    uint8_t b = u8();
    if (b < 170) return u16() % 601;                                   /* 0..600 densely */
    if (b < 230) {                                                     /* class boundaries */
        size_t base = (size_t)(u8() % 33) * 16;
        return base + (u8() % 3) - (base ? 1 : 0);                     /* s-1, s, s+1 */
    }
    if (b < 250) return 600 + (size_t)u16() * 8;                        /* up to ~512 KiB */
    if (b < 254) return ((size_t)(u8() % 8) + 1) << 20;                 /* 1..8 MiB */
    return SIZE_MAX - u8();                                             /* absurd */
}

/* ---- patterns ---------------------------------------------------------- */
static inline uint8_t pat(uint8_t seed, size_t i) { return (uint8_t)(seed ^ (uint8_t)(i * 29u + (i >> 8))); }
NO_COV static size_t next_pos(size_t i, size_t full) {          /* sparse for large blocks */
    if (full <= 8192 || i < 512 || i >= full - 512) return i;
    size_t j = (i + 1020) / 1021 * 1021;
    return j < full - 512 ? j : full - 512;
}
NO_COV static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = next_pos(0, n); i < n; i = next_pos(i + 1, n)) p[i] = pat(seed, i);
}
NO_COV static int verify_prefix(const uint8_t *p, size_t n, size_t full, uint8_t seed) {
    for (size_t i = next_pos(0, full); i < n; i = next_pos(i + 1, full))
        if (p[i] != pat(seed, i)) return 0;
    return 1;
}

/* ---- model glue --------------------------------------------------------- */
static int probe(void *ctx, uint32_t slot_, uintptr_t *addr, uintptr_t *first, uint32_t *ntot) {
    (void)ctx;
    pm_arena_info ai;
    if (pm_arena_info_get(F.h, slot_, &ai) != PM_OK || !ai.address) return 1;
    *addr = ai.address;
    *first = ai.first_pool;
    *ntot = ai.ntotalpools;
    return 0;
}
static int is_small(pm_domain d, size_t n) { return d != PM_DOMAIN_RAW && n >= 1 && n <= 512; }

static void model_alloc(uint8_t *p, pm_domain d, size_t n) {
    if (!F.use_model || !is_small(d, n)) return;
    uintptr_t pred = m_malloc(&F.m, m_class_of(n));
    REQUIRE((uintptr_t)p == pred, "small block of %zu bytes at %p, spec model says %p", n, (void *)p, (void *)pred);
}
static void model_free(uint8_t *p) {
    if (F.use_model) m_free(&F.m, (uintptr_t)p, NULL);
}

/* ---- invariants after every op ----------------------------------------- */
NO_COV static int live_index(const void *p) {
    for (int i = 0; i < NSLOTS; i++) if (F.s[i].p && F.s[i].p == p) return i;
    return -1;
}

NO_COV static void check_all(int deep) {
    pm_status st = pm_heap_check(F.h);
    REQUIRE(st == PM_OK, "pm_heap_check returned %d", (int)st);
    if (F.use_limit && pm_heap_limit(F.h))
        REQUIRE(pm_heap_footprint(F.h) <= pm_heap_limit(F.h), "footprint %zu above limit %zu",
                pm_heap_footprint(F.h), pm_heap_limit(F.h));
    if (!deep) return;
    uint64_t nsmall = 0, nraw = 0;
    for (int i = 0; i < NSLOTS; i++) {
        slot *s = &F.s[i];
        if (!s->p) continue;
        REQUIRE(verify_prefix(s->p, s->n, s->n, s->seed), "slot %d (%p, %zu bytes) contents changed", i,
                (void *)s->p, s->n);
        pm_ptr_kind k = pm_ptr_classify(F.h, s->p);
        REQUIRE(k == PM_PTR_BLOCK_LIVE || k == PM_PTR_RAW_LIVE, "live slot %d classified %d", i, (int)k);
        if (k == PM_PTR_BLOCK_LIVE) nsmall++; else nraw++;
        size_t bs = pm_block_size(F.h, s->p);
        if (k == PM_PTR_RAW_LIVE) REQUIRE(bs == s->n || (s->n == 0 && bs == 1), "raw block size %zu vs %zu", bs, s->n);
        else REQUIRE(bs >= s->n && bs % 16 == 0 && bs <= 512, "pymalloc block size %zu for %zu", bs, s->n);
    }
    pm_heap_stats hs;
    pm_heap_stats_get(F.h, &hs);
    uint64_t inuse = 0;
    for (int c = 0; c < 32; c++) inuse += hs.classes[c].blocks_in_use;
    REQUIRE(inuse == nsmall, "stats say %llu pymalloc blocks in use, table has %llu", (unsigned long long)inuse,
            (unsigned long long)nsmall);
    REQUIRE(hs.raw_blocks == nraw, "stats say %llu raw blocks, table has %llu", (unsigned long long)hs.raw_blocks,
            (unsigned long long)nraw);
    uint64_t six = hs.bytes_in_allocated_blocks + hs.bytes_in_available_blocks + hs.unused_pools * 16384 +
                   hs.bytes_lost_to_pool_headers + hs.bytes_lost_to_quantization + hs.bytes_lost_to_arena_alignment;
    REQUIRE(six == hs.narenas_currently_allocated * 1048576, "_debugmallocstats lines sum to %llu for %llu arenas",
            (unsigned long long)six, (unsigned long long)hs.narenas_currently_allocated);
    REQUIRE(hs.footprint == pm_heap_footprint(F.h), "stats footprint");
    if (F.use_model) {
        REQUIRE(!F.m.err, "model: %s", F.m.err);
        REQUIRE(hs.narenas_currently_allocated == F.m.narenas_currently_allocated, "arenas %llu, model %llu",
                (unsigned long long)hs.narenas_currently_allocated,
                (unsigned long long)F.m.narenas_currently_allocated);
        REQUIRE(hs.ntimes_arena_allocated == F.m.ntimes_arena_allocated, "arenas allocated total");
        REQUIRE(hs.narenas_highwater == F.m.narenas_highwater, "arenas highwater");
        REQUIRE(pm_arena_slots(F.h) == F.m.maxarenas, "arena slots %u, model %u", pm_arena_slots(F.h), F.m.maxarenas);
        for (uint32_t a = 0; a < F.m.maxarenas; a++) {
            pm_arena_info ai;
            REQUIRE(pm_arena_info_get(F.h, a, &ai) == PM_OK, "arena info %u", a);
            REQUIRE(ai.address == F.m.arenas[a].address, "arena slot %u address", a);
            if (!ai.address) continue;
            REQUIRE(ai.nfreepools == F.m.arenas[a].nfreepools, "arena %u nfreepools %u, model %u", a, ai.nfreepools,
                    F.m.arenas[a].nfreepools);
            REQUIRE(ai.usable_rank == m_rank(&F.m, a), "arena %u usable_rank %u, model %u", a, ai.usable_rank,
                    m_rank(&F.m, a));
        }
    }
}

/* ---- ops ---------------------------------------------------------------- */
static void slot_release(int i, int checked) {
    slot *s = &F.s[i];
    REQUIRE(verify_prefix(s->p, s->n, s->n, s->seed), "slot %d contents changed before free", i);
    model_free(s->p);
    if (checked) {
        pm_status st = pm_free_checked(F.h, s->d, s->p);
        REQUIRE(st == PM_OK, "pm_free_checked of a live block returned %d", (int)st);
    } else {
        pm_free(F.h, s->d, s->p);
    }
    F.stale[F.nstale++ % 8] = s->p;
    s->p = NULL;
}

static int may_fail(void) { return F.use_limit || F.use_faulty; }

static void after_alloc(int i, uint8_t *p, pm_domain d, size_t n, int zeroed) {
    if (!p) {
        pm_status st = pm_heap_last_status(F.h);
        int absurd = n > (size_t)PTRDIFF_MAX;
        REQUIRE(absurd || may_fail(), "allocation of %zu bytes (domain %d) failed with no limit and no fault", n, (int)d);
        REQUIRE(st == PM_ENOMEM || (absurd && st == PM_EINVAL), "failed allocation status %d", (int)st);
        return;
    }
    REQUIRE(n <= (size_t)PTRDIFF_MAX, "absurd size %zu succeeded", n);
    REQUIRE(((uintptr_t)p & 15) == 0, "block %p not 16-byte aligned", (void *)p);
    pm_ptr_kind k = pm_ptr_classify(F.h, p);
    if (is_small(d, n)) {
        /* pymalloc, or a raw fallback when an arena could not be mapped */
        REQUIRE(k == PM_PTR_BLOCK_LIVE || (may_fail() && k == PM_PTR_RAW_LIVE),
                "small request %zu (domain %d) gave kind %d", n, (int)d, (int)k);
        if (k == PM_PTR_BLOCK_LIVE)
            REQUIRE(pm_block_size(F.h, p) == ((n - 1) / 16 + 1) * 16, "block size %zu for request %zu",
                    pm_block_size(F.h, p), n);
    } else {
        REQUIRE(k == PM_PTR_RAW_LIVE, "request %zu (domain %d) gave kind %d, expected raw", n, (int)d, (int)k);
    }
    REQUIRE(live_index(p) < 0, "allocator returned %p which is still live", (void *)p);
    if (zeroed)
        for (size_t j = next_pos(0, n); j < n; j = next_pos(j + 1, n))
            REQUIRE(p[j] == 0, "calloc byte %zu not zero", j);
    model_alloc(p, d, n);
    F.s[i] = (slot){ p, n, d, ++F.seedctr };
    fill(p, n, F.s[i].seed);
}

static void op_malloc(int calloc_) {
    int i = u8() % NSLOTS;
    if (F.s[i].p) slot_release(i, 0);
    pm_domain d = (pm_domain)(u8() % 3);
    size_t n = decode_size();
    uint8_t *p;
    if (calloc_) {
        size_t k = (size_t)(u8() % 8) + 1;
        if (n > (size_t)PTRDIFF_MAX) {
            p = (uint8_t *)pm_calloc(F.h, d, k + 1, SIZE_MAX / 2);   /* overflow */
            REQUIRE(p == NULL, "overflowing calloc succeeded");
            pm_status st = pm_heap_last_status(F.h);
            REQUIRE(st == PM_ENOMEM || st == PM_EINVAL, "overflowing calloc status %d", (int)st);
            return;
        }
        size_t ne = n / k;
        n = ne * k;
        p = (uint8_t *)pm_calloc(F.h, d, ne, k);
    } else {
        p = (uint8_t *)pm_malloc(F.h, d, n);
    }
    after_alloc(i, p, d, n, calloc_);
}

static void op_realloc(int checked) {
    int i = u8() % NSLOTS;
    size_t n = decode_size();
    slot *s = &F.s[i];
    if (!s->p) {                          /* realloc(NULL, n) == malloc(n) */
        pm_domain d = (pm_domain)(u8() % 3);
        uint8_t *p = checked ? (uint8_t *)pm_realloc_checked(F.h, d, NULL, n) : (uint8_t *)pm_realloc(F.h, d, NULL, n);
        after_alloc(i, p, d, n, 0);
        return;
    }
    pm_ptr_kind k0 = pm_ptr_classify(F.h, s->p);
    size_t bs = pm_block_size(F.h, s->p);
    uint8_t *q = checked ? (uint8_t *)pm_realloc_checked(F.h, s->d, s->p, n) : (uint8_t *)pm_realloc(F.h, s->d, s->p, n);
    if (!q) {
        pm_status st = pm_heap_last_status(F.h);
        REQUIRE(may_fail() || n > (size_t)PTRDIFF_MAX, "realloc to %zu failed with no limit and no fault", n);
        REQUIRE(st == PM_ENOMEM || (n > (size_t)PTRDIFF_MAX && st == PM_EINVAL), "failed realloc status %d", (int)st);
        REQUIRE(pm_ptr_classify(F.h, s->p) == k0, "failed realloc changed the old block");
        REQUIRE(verify_prefix(s->p, s->n, s->n, s->seed), "failed realloc damaged the old block");
        return;
    }
    REQUIRE(n <= (size_t)PTRDIFF_MAX, "absurd realloc succeeded");
    size_t keep = s->n < n ? s->n : n;
    REQUIRE(verify_prefix(q, keep, s->n, s->seed), "realloc %zu -> %zu lost contents", s->n, n);
    pm_ptr_kind k = pm_ptr_classify(F.h, q);
    if (k0 == PM_PTR_RAW_LIVE) {
        REQUIRE(k == PM_PTR_RAW_LIVE, "raw block migrated to pymalloc on realloc to %zu", n);
    } else {
        REQUIRE(k0 == PM_PTR_BLOCK_LIVE, "slot kind %d", (int)k0);
        int stays = n <= bs && 4 * n > 3 * bs;
        if (stays) REQUIRE(q == s->p, "realloc %zu -> %zu (class %zu) should keep the block", s->n, n, bs);
        else {
            REQUIRE(q != s->p, "realloc %zu -> %zu (class %zu) should move", s->n, n, bs);
            if (is_small(s->d, n))
                REQUIRE(k == PM_PTR_BLOCK_LIVE || (may_fail() && k == PM_PTR_RAW_LIVE), "moved block kind %d", (int)k);
            else
                REQUIRE(k == PM_PTR_RAW_LIVE, "realloc to %zu should go raw, kind %d", n, (int)k);
            REQUIRE(pm_ptr_classify(F.h, s->p) == PM_PTR_BLOCK_FREE ||
                        pm_ptr_classify(F.h, s->p) == PM_PTR_FOREIGN,
                    "old block still allocated after a moving realloc");
            if (F.use_model) {
                if (is_small(s->d, n)) model_alloc(q, s->d, n);
                model_free(s->p);
            }
            F.stale[F.nstale++ % 8] = s->p;
        }
    }
    s->p = q;
    s->n = n;
    s->seed = ++F.seedctr;
    fill(q, n, s->seed);
}

static void op_free(int checked) {
    int i = u8() % NSLOTS;
    if (F.s[i].p) slot_release(i, checked);
    else if (checked) REQUIRE(pm_free_checked(F.h, PM_DOMAIN_OBJ, NULL) == PM_OK, "free(NULL)");
}

/* A pointer that is not a live block's start must be refused, with the
 * status its classification implies: a free block -> PM_EFREED; anything
 * else (foreign, inside an arena, inside raw memory) -> PM_EBADPTR. */
static void expect_refused(void *bad, pm_domain d, const char *what) {
    pm_heap_stats a, b;
    pm_heap_stats_get(F.h, &a);
    pm_ptr_kind k = pm_ptr_classify(F.h, bad);
    pm_status st = pm_free_checked(F.h, d, bad);
    REQUIRE(st != PM_OK, "%s pointer %p was accepted by pm_free_checked", what, bad);
    pm_status want = (k == PM_PTR_BLOCK_FREE || k == PM_PTR_RAW_FREE) ? PM_EFREED : PM_EBADPTR;
    REQUIRE(st == want, "%s pointer %p (kind %d): status %d, expected %d", what, bad, (int)k, (int)st, (int)want);
    REQUIRE(pm_heap_last_status(F.h) == st, "%s: last_status %d vs %d", what, (int)pm_heap_last_status(F.h), (int)st);
    void *q = pm_realloc_checked(F.h, d, bad, 32);
    REQUIRE(q == NULL, "%s pointer %p accepted by pm_realloc_checked", what, bad);
    pm_heap_stats_get(F.h, &b);
    REQUIRE(memcmp(&a, &b, sizeof a) == 0, "%s: refused call changed the heap", what);
}

static void op_bad(void) {
    uint8_t kind = u8() % 7;
    int i = u8() % NSLOTS;
    slot *s = &F.s[i];
    static uint8_t foreign_buf[256];
    switch (kind) {
    case 0: case 1: {                     /* interior / misaligned pointer into a live block */
        if (!s->p) return;
        size_t off = 1 + u8() % 255;
        uint8_t *bad = s->p + off;
        if (live_index(bad) >= 0) return;  /* the next block's start: legitimately live */
        pm_ptr_kind k = pm_ptr_classify(F.h, bad);
        REQUIRE(k != PM_PTR_BLOCK_LIVE && k != PM_PTR_RAW_LIVE, "non-block %p classified live (%d)", (void *)bad, (int)k);
        expect_refused(bad, s->d, "interior");
        break;
    }
    case 2: {                             /* stale: recently freed */
        uint8_t *bad = F.stale[u8() % 8];
        if (!bad || live_index(bad) >= 0) return;
        pm_ptr_kind k = pm_ptr_classify(F.h, bad);
        REQUIRE(k != PM_PTR_BLOCK_LIVE && k != PM_PTR_RAW_LIVE, "freed %p classified live (%d)", (void *)bad, (int)k);
        expect_refused(bad, (pm_domain)(u8() % 3), "stale");
        break;
    }
    case 3: {                             /* foreign */
        int local;
        void *bad = u8() & 1 ? (void *)&local : (void *)(foreign_buf + 16 * (u8() % 16));
        REQUIRE(pm_ptr_classify(F.h, bad) == PM_PTR_FOREIGN, "foreign pointer not FOREIGN");
        expect_refused(bad, (pm_domain)(u8() % 3), "foreign");
        break;
    }
    case 4: {                             /* RAW-domain free of a pymalloc block */
        if (!s->p || pm_ptr_classify(F.h, s->p) != PM_PTR_BLOCK_LIVE) return;
        pm_status st = pm_free_checked(F.h, PM_DOMAIN_RAW, s->p);
        REQUIRE(st == PM_EDOMAIN, "RAW free of a pymalloc block returned %d", (int)st);
        REQUIRE(pm_ptr_classify(F.h, s->p) == PM_PTR_BLOCK_LIVE, "block damaged by refused RAW free");
        break;
    }
    case 5: {                             /* bad domain */
        if (!s->p) return;
        pm_domain bad = (pm_domain)(3 + u8() % 200);
        pm_status st = pm_free_checked(F.h, bad, s->p);
        REQUIRE(st == PM_EINVAL, "free with domain %d returned %d", (int)bad, (int)st);
        REQUIRE(pm_realloc_checked(F.h, bad, s->p, 10) == NULL, "realloc with a bad domain succeeded");
        REQUIRE(pm_ptr_classify(F.h, s->p) == PM_PTR_BLOCK_LIVE || pm_ptr_classify(F.h, s->p) == PM_PTR_RAW_LIVE,
                "bad-domain call freed the block");
        break;
    }
    case 6: {                             /* arbitrary address near a live block */
        if (!s->p) return;
        intptr_t delta = (intptr_t)(int16_t)u16() * 16;
        uint8_t *bad = s->p + delta;
        if (live_index(bad) >= 0 || delta == 0) return;
        pm_ptr_kind k = pm_ptr_classify(F.h, bad);
        REQUIRE(k != PM_PTR_BLOCK_LIVE && k != PM_PTR_RAW_LIVE, "%p (live block %+ld) classified live (%d)",
                (void *)bad, (long)delta, (int)k);
        expect_refused(bad, s->d, "nearby");
        break;
    }
    }
}

static void op_limit(void) {
    if (!F.use_limit) return;
    size_t fp = pm_heap_footprint(F.h), old = pm_heap_limit(F.h);
    uint8_t b = u8();
    size_t lim = b < 16 ? 0 : fp + ((size_t)(b - 128) << 16);   /* sometimes below the footprint */
    pm_status st = pm_heap_set_limit(F.h, lim);
    if (lim == 0 || lim >= fp) {
        REQUIRE(st == PM_OK, "set_limit(%zu) with footprint %zu returned %d", lim, fp, (int)st);
        REQUIRE(pm_heap_limit(F.h) == lim, "limit not set");
    } else {
        REQUIRE(st == PM_EINVAL, "set_limit(%zu) below footprint %zu returned %d", lim, fp, (int)st);
        REQUIRE(pm_heap_limit(F.h) == old, "refused set_limit changed the limit");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    memset(&F, 0, sizeof F);
    fuzz_input_begin("fuzz_alloc", data, size);
    uint8_t c0 = u8();
    F.use_limit = c0 & 1;
    F.use_faulty = (c0 >> 1) & 1;
    F.inner = pm_pagesource_default(0);
    if (!F.inner) die("cannot create the default page source");
    pm_heap_config cfg = { F.inner, 0, (c0 >> 3) & 1 };
    if (F.use_limit) cfg.limit = ((size_t)(u8() % 32) + 1) << 18;     /* 256 KiB .. 8 MiB */
    if (F.use_faulty) {
        F.faulty = pm_pagesource_faulty(F.inner);
        if (!F.faulty) die("cannot create the faulty page source");
        unsigned long at = u8(), every = (c0 & 4) ? (unsigned long)(u8() % 9) : 0;
        pm_faulty_set(F.faulty, at, every);
        cfg.pages = F.faulty;
    }
    F.use_model = !F.use_limit && !F.use_faulty;
    F.h = FI.h = pm_heap_new(&cfg);
    if (!F.h) {
        if (!may_fail()) die("pm_heap_new failed with no limit and no fault");
        goto out;
    }
    m_init(&F.m, probe, NULL);
    check_all(1);
    while (more() && FI.op < MAX_OPS) {
        FI.op++;
        uint8_t op = u8() % 16;
        switch (op) {
        case 0: case 1: case 2: case 3: FI.opname = "malloc"; op_malloc(0); break;
        case 4: FI.opname = "calloc"; op_malloc(1); break;
        case 5: case 6: FI.opname = "realloc"; op_realloc(0); break;
        case 7: FI.opname = "realloc_checked"; op_realloc(1); break;
        case 8: case 9: case 10: FI.opname = "free"; op_free(0); break;
        case 11: FI.opname = "free_checked"; op_free(1); break;
        case 12: case 13: FI.opname = "bad pointer"; op_bad(); break;
        case 14: FI.opname = "set_limit"; op_limit(); break;
        case 15: FI.opname = "verify"; check_all(1); break;
        }
        check_all((FI.op & 15) == 0);
    }
    FI.opname = "teardown";
    check_all(1);
    for (int i = 0; i < NSLOTS; i++)
        if (F.s[i].p) slot_release(i, i & 1);
    check_all(1);
    {
        pm_heap_stats hs;
        pm_heap_stats_get(F.h, &hs);
        REQUIRE(hs.raw_blocks == 0 && hs.bytes_in_allocated_blocks == 0, "blocks left after freeing everything");
        REQUIRE(hs.narenas_currently_allocated <= 1, "%llu arenas kept after freeing everything",
                (unsigned long long)hs.narenas_currently_allocated);
    }
    pm_heap_free(F.h);
    F.h = FI.h = NULL;
    m_destroy(&F.m);
out:
    if (F.faulty) pm_pagesource_destroy(F.faulty);
    pm_pagesource_destroy(F.inner);
    return 0;
}
