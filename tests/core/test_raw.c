/* test_raw.c — native tests of the raw allocator (PyMem_RawMalloc's
 * stand-in), large requests, and heaps side by side.
 *
 * Spec: shared/reference/cpython-memory-model.md §1.1/§1.2/§1.9: the RAW
 * domain never uses pymalloc; 0-byte requests become 1-byte ones and never
 * return NULL; MEM/OBJ requests of 0 or > 512 bytes are forwarded to raw
 * (counted in raw_allocated_blocks); a raw block never migrates back to
 * pymalloc on realloc; sizes above PY_SSIZE_T_MAX give NULL.
 *
 * Build and run: see tests/core/run.sh.
 */
#include "pm.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static uint32_t rndn(uint32_t n) { return (uint32_t)(rnd() % n); }

static inline uint8_t pat(uint32_t seed, size_t i) { return (uint8_t)(seed * 151u + i * 13u + (i >> 9) + 3); }
/* Blocks up to 64 KiB are patterned completely; larger ones in their first
 * and last 4 KiB and every 509th byte in between (enough to catch a lost
 * copy or an overlapping block, at a fraction of the cost). The pattern
 * positions depend only on the size `full` the block was filled at. */
#define DENSE 65536u
/* next patterned position >= i for a block filled at size `full` */
static size_t next_pos(size_t i, size_t full) {
    if (full <= DENSE || i < 4096 || i >= full - 4096) return i;
    size_t j = (i + 508) / 509 * 509;
    return j < full - 4096 ? j : full - 4096;
}
static void fill(uint8_t *p, size_t n, uint32_t seed) {
    if (!p) return;
    for (size_t i = next_pos(0, n); i < n; i = next_pos(i + 1, n)) p[i] = pat(seed, i);
}
/* verify the first n bytes of a block that was filled with fill(p, full, seed) */
static int verify_prefix(const uint8_t *p, size_t n, size_t full, uint32_t seed) {
    if (!p) return 0;
    for (size_t i = next_pos(0, full); i < n; i = next_pos(i + 1, full))
        if (p[i] != pat(seed, i)) return 0;
    return 1;
}
#define verify(p, n, seed) verify_prefix((p), (n), (n), (seed))
static pm_heap_stats stats_of(const pm_heap *h) {
    pm_heap_stats s;
    memset(&s, 0, sizeof s);
    pm_heap_stats_get(h, &s);
    return s;
}

/* ---------------------------------------------------------------------- */
static void test_raw_basics(void) {
    TEST_BEGIN("raw domain basics");
    pm_heap *h = pm_heap_new(NULL);
    CHECK(h != NULL);
    pm_free(h, PM_DOMAIN_RAW, NULL);                 /* free(NULL) is a no-op */
    pm_free(h, PM_DOMAIN_OBJ, NULL);
    CHECK_EQ(pm_ptr_classify(h, NULL), PM_PTR_NULL);
    CHECK_EQ(pm_block_size(h, NULL), (size_t)0);
    uint8_t *z = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 0);
    CHECK(z != NULL);                                /* malloc(0) -> malloc(1) */
    CHECK_EQ(pm_ptr_classify(h, z), PM_PTR_RAW_LIVE);
    z[0] = 0x5A;                                     /* at least one usable byte */
    uint8_t *zc = (uint8_t *)pm_calloc(h, PM_DOMAIN_RAW, 0, 0);
    CHECK(zc != NULL);
    CHECK(zc != z);
    CHECK_EQ(pm_ptr_classify(h, zc), PM_PTR_RAW_LIVE);
    uint8_t *r = (uint8_t *)pm_realloc(h, PM_DOMAIN_RAW, NULL, 40);   /* realloc(NULL) = malloc */
    CHECK_EQ(pm_ptr_classify(h, r), PM_PTR_RAW_LIVE);
    CHECK_EQ(pm_block_size(h, r), (size_t)40);
    pm_heap_stats s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)3);
    CHECK_EQ(s.raw_allocated_blocks, (uint64_t)0);   /* RAW-domain blocks are not pymalloc fallbacks */
    CHECK_EQ(s.ntimes_arena_allocated, (uint64_t)0); /* and never touch arenas */
    CHECKF(s.raw_bytes_requested == 40 || s.raw_bytes_requested == 42, "raw_bytes_requested %llu",
           (unsigned long long)s.raw_bytes_requested);
    /* MEM/OBJ forwarding: 0 and > 512 count as pymalloc fallbacks */
    void *m0 = pm_malloc(h, PM_DOMAIN_MEM, 0), *m1 = pm_malloc(h, PM_DOMAIN_OBJ, 513);
    void *m2 = pm_malloc(h, PM_DOMAIN_OBJ, 512);
    s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)5);
    CHECK_EQ(s.raw_allocated_blocks, (uint64_t)2);
    CHECK_EQ(pm_ptr_classify(h, m2), PM_PTR_BLOCK_LIVE);
    pm_free(h, PM_DOMAIN_MEM, m0);
    pm_free(h, PM_DOMAIN_OBJ, m1);
    pm_free(h, PM_DOMAIN_OBJ, m2);
    s = stats_of(h);
    CHECK_EQ(s.raw_allocated_blocks, (uint64_t)0);
    CHECK_EQ(s.raw_blocks, (uint64_t)3);
    /* PyObject_Free / PyMem_Free of a block that is not pymalloc's hands it
     * to the raw allocator (spec §1.2): an OBJ-domain free of a RAW-domain
     * block is legitimate */
    void *x = pm_malloc(h, PM_DOMAIN_RAW, 24);
    CHECK_EQ(pm_free_checked(h, PM_DOMAIN_OBJ, x), PM_OK);
    x = pm_malloc(h, PM_DOMAIN_RAW, 2000);
    CHECK_EQ(pm_free_checked(h, PM_DOMAIN_MEM, x), PM_OK);
    CHECK_EQ(stats_of(h).raw_blocks, (uint64_t)3);
    /* raw realloc(p, 0) behaves as realloc(p, 1): non-NULL, first byte kept */
    r[0] = 0x77;
    r = (uint8_t *)pm_realloc(h, PM_DOMAIN_RAW, r, 0);
    CHECK(r != NULL);
    CHECK_EQ(pm_ptr_classify(h, r), PM_PTR_RAW_LIVE);
    CHECK_EQ(r[0], 0x77);
    /* every size 1..3000 in the RAW domain: raw, 16-aligned, exact size */
    static uint8_t *v[3001];
    for (size_t n = 1; n <= 3000; n++) {
        v[n] = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, n);
        CHECKF(v[n] != NULL, "n=%zu", n);
        if (!v[n]) continue;
        CHECKF(((uintptr_t)v[n] & 15) == 0, "raw block %p (n=%zu) not 16-aligned", (void *)v[n], n);
        CHECK_EQF(pm_ptr_classify(h, v[n]), PM_PTR_RAW_LIVE, "n=%zu", n);
        CHECK_EQF(pm_block_size(h, v[n]), n, "n=%zu", n);
        fill(v[n], n, (uint32_t)n);
    }
    s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)3003);
    size_t bad = 0;
    for (size_t n = 1; n <= 3000; n++) bad += !verify(v[n], n, (uint32_t)n);
    CHECK_EQ(bad, (size_t)0);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    for (size_t n = 1; n <= 3000; n += 2) pm_free(h, PM_DOMAIN_RAW, v[n]);
    /* freed blocks between live neighbours: raw memory that is free now */
    size_t wrong = 0;
    for (size_t n = 1; n <= 3000; n += 2) {
        pm_ptr_kind k = pm_ptr_classify(h, v[n]);
        if (k != PM_PTR_RAW_FREE) { if (!wrong++) CHECKF(0, "freed raw block n=%zu classified %d", n, (int)k); }
        else if (pm_free_checked(h, PM_DOMAIN_RAW, v[n]) != PM_EFREED) { if (!wrong++) CHECKF(0, "double free n=%zu", n); }
        if (pm_block_size(h, v[n]) != 0) wrong++;
    }
    CHECK_EQ(wrong, (size_t)0);
    /* inside live raw blocks */
    wrong = 0;
    for (size_t n = 2; n <= 3000; n += 2) {
        if (n > 16 && pm_ptr_classify(h, v[n] + 16) != PM_PTR_RAW_INTERIOR) wrong++;
        if (pm_ptr_classify(h, v[n] + 1) != PM_PTR_RAW_INTERIOR) wrong++;
        if (pm_free_checked(h, PM_DOMAIN_RAW, v[n] + n - 1 + (n == 1)) != PM_EBADPTR && n > 1) wrong++;
    }
    CHECK_EQ(wrong, (size_t)0);
    bad = 0;
    for (size_t n = 2; n <= 3000; n += 2) bad += !verify(v[n], n, (uint32_t)n);
    CHECK_EQ(bad, (size_t)0);
    for (size_t n = 2; n <= 3000; n += 2) pm_free(h, PM_DOMAIN_RAW, v[n]);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    /* calloc zero-fills even on memory that held a pattern */
    uint8_t *big = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 100000);
    memset(big, 0xEE, 100000);
    pm_free(h, PM_DOMAIN_RAW, big);
    uint8_t *c = (uint8_t *)pm_calloc(h, PM_DOMAIN_RAW, 1000, 100);
    CHECK(c != NULL);
    size_t nz = 0;
    for (size_t i = 0; c && i < 100000; i++) nz += c[i] != 0;
    CHECK_EQ(nz, (size_t)0);
    CHECK_EQ(pm_block_size(h, c), (size_t)100000);
    pm_free(h, PM_DOMAIN_RAW, c);
    /* overflow / > PY_SSIZE_T_MAX */
    pm_heap_stats before = stats_of(h);
    CHECK(pm_calloc(h, PM_DOMAIN_RAW, SIZE_MAX / 4, 8) == NULL);
    CHECK(pm_malloc(h, PM_DOMAIN_RAW, SIZE_MAX) == NULL);
    CHECKF(pm_heap_last_status(h) == PM_ENOMEM || pm_heap_last_status(h) == PM_EINVAL, "status %d",
           (int)pm_heap_last_status(h));
    CHECK(pm_malloc(h, PM_DOMAIN_RAW, (size_t)PTRDIFF_MAX + 1) == NULL);
    CHECK(pm_malloc(h, PM_DOMAIN_MEM, (size_t)1 << 62) == NULL);
    uint8_t *keep = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 64);
    fill(keep, 64, 9);
    CHECK(pm_realloc(h, PM_DOMAIN_RAW, keep, SIZE_MAX - 8) == NULL);
    CHECK(verify(keep, 64, 9));                       /* failed realloc keeps the block */
    CHECK_EQ(pm_ptr_classify(h, keep), PM_PTR_RAW_LIVE);
    pm_free(h, PM_DOMAIN_RAW, keep);
    pm_heap_stats after = stats_of(h);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    pm_free(h, PM_DOMAIN_RAW, z);
    pm_free(h, PM_DOMAIN_RAW, zc);
    pm_free(h, PM_DOMAIN_RAW, r);
    s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)0);
    CHECK_EQ(s.raw_bytes_requested, (uint64_t)0);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_heap_free(h);
}

/* ---------------------------------------------------------------------- */
static void test_raw_random(void) {
    TEST_BEGIN("raw random workload (counts, sizes, contents)");
    pm_heap *h = pm_heap_new(NULL);
    enum { MAXB = 4000 };
    static struct { uint8_t *p; size_t n; uint32_t seed; pm_domain d; } b[MAXB];
    size_t nb = 0, sum = 0;
    uint64_t fallbacks = 0;
    uint32_t seed = 0;
    rng_state = 99;
    for (int op = 0; op < 60000; op++) {
        int r = (int)rndn(100);
        if ((r < 55 && nb < MAXB) || nb == 0) {
            size_t n;
            uint32_t k = rndn(100);
            if (k < 60) n = rndn(1024);
            else if (k < 90) n = 513 + rndn(20000);
            else if (k < 98) n = 100000 + rndn(300000);
            else n = (1u << 20) + rndn(1u << 20);
            pm_domain d = (pm_domain)rndn(3);
            if (d != PM_DOMAIN_RAW && n >= 1 && n <= 512) n += 513;   /* keep this test raw-only */
            uint8_t *p = (uint8_t *)pm_malloc(h, d, n);
            CHECKF(p != NULL, "malloc %zu", n);
            if (!p) continue;
            CHECKF(pm_ptr_classify(h, p) == PM_PTR_RAW_LIVE, "n=%zu", n);
            fill(p, n, ++seed);
            b[nb].p = p; b[nb].n = n; b[nb].seed = seed; b[nb].d = d;
            nb++;
            sum += n;
            fallbacks += d != PM_DOMAIN_RAW;
        } else if (r < 80) {
            size_t i = rndn((uint32_t)nb);
            CHECKF(verify(b[i].p, b[i].n, b[i].seed), "block %zu contents", i);
            pm_free(h, b[i].d, b[i].p);
            sum -= b[i].n;
            fallbacks -= b[i].d != PM_DOMAIN_RAW;
            b[i] = b[--nb];
        } else {
            size_t i = rndn((uint32_t)nb);
            size_t n = rndn(100) < 50 ? b[i].n / 2 + rndn(64) : b[i].n * 2 + rndn(5000);
            if (n > (8u << 20)) n = rndn(600);
            uint8_t *q = (uint8_t *)pm_realloc(h, b[i].d, b[i].p, n);
            CHECKF(q != NULL, "realloc %zu -> %zu", b[i].n, n);
            if (!q) continue;
            CHECKF(pm_ptr_classify(h, q) == PM_PTR_RAW_LIVE, "raw block migrated (n=%zu)", n);
            CHECKF(verify_prefix(q, n < b[i].n ? n : b[i].n, b[i].n, b[i].seed), "realloc %zu -> %zu contents", b[i].n, n);
            sum = sum - b[i].n + n;
            b[i].p = q;
            b[i].n = n;
            fill(q, n, b[i].seed = ++seed);
        }
        if (op % 997 == 0) {
            pm_heap_stats s = stats_of(h);
            CHECK_EQ(s.raw_blocks, (uint64_t)nb);
            size_t nzero = 0;
            for (size_t i = 0; i < nb; i++) nzero += b[i].n == 0;
            CHECKF(s.raw_bytes_requested == sum || s.raw_bytes_requested == sum + nzero,
                   "raw_bytes_requested %llu vs %zu", (unsigned long long)s.raw_bytes_requested, sum);
            CHECK_EQ(s.raw_allocated_blocks, fallbacks);
            CHECK_EQ(s.footprint, (uint64_t)pm_heap_footprint(h));
            CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
            for (size_t i = 0; i < nb; i++)
                if (pm_block_size(h, b[i].p) != b[i].n && b[i].n) {
                    CHECKF(0, "block size %zu vs %zu", pm_block_size(h, b[i].p), b[i].n);
                    break;
                }
        }
    }
    while (nb) {
        nb--;
        CHECK(verify(b[nb].p, b[nb].n, b[nb].seed));
        pm_free(h, b[nb].d, b[nb].p);
    }
    pm_heap_stats s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)0);
    CHECK_EQ(s.raw_allocated_blocks, (uint64_t)0);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_heap_free(h);
}

/* ---------------------------------------------------------------------- */
static void test_large(void) {
    TEST_BEGIN("large requests");
    pm_heap *h = pm_heap_new(NULL);
    size_t fp0 = pm_heap_footprint(h);
    uint8_t *m1 = (uint8_t *)pm_malloc(h, PM_DOMAIN_OBJ, 1u << 20);
    CHECK(m1 != NULL);
    CHECK_EQ(pm_ptr_classify(h, m1), PM_PTR_RAW_LIVE);
    CHECK_EQ(pm_block_size(h, m1), (size_t)1 << 20);
    fill(m1, 1u << 20, 1);
    CHECK(pm_heap_footprint(h) >= fp0 + (1u << 20));
    uint8_t *m64 = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 64u << 20);
    CHECK(m64 != NULL);
    CHECK_EQ(pm_block_size(h, m64), (size_t)64 << 20);
    fill(m64, 64u << 20, 2);
    uint8_t *m64b = (uint8_t *)pm_malloc(h, PM_DOMAIN_MEM, 64u << 20);
    CHECK(m64b != NULL);
    fill(m64b, 64u << 20, 3);
    CHECK(pm_heap_footprint(h) >= fp0 + (129u << 20));
    CHECK(verify(m1, 1u << 20, 1));
    CHECK(verify(m64, 64u << 20, 2));
    CHECK(verify(m64b, 64u << 20, 3));
    CHECK_EQ(pm_ptr_classify(h, m64 + (32u << 20)), PM_PTR_RAW_INTERIOR);
    CHECK_EQ(pm_ptr_classify(h, m64 + 16), PM_PTR_RAW_INTERIOR);
    CHECK_EQ(pm_ptr_classify(h, m64 + (64u << 20) - 16), PM_PTR_RAW_INTERIOR);
    CHECK_EQ(pm_free_checked(h, PM_DOMAIN_RAW, m64 + (32u << 20)), PM_EBADPTR);
    CHECK_EQ(pm_free_checked(h, PM_DOMAIN_RAW, m64 + 16), PM_EBADPTR);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    size_t fp_live = pm_heap_footprint(h);
    pm_free(h, PM_DOMAIN_RAW, m64);
    pm_free(h, PM_DOMAIN_MEM, m64b);
    pm_free(h, PM_DOMAIN_OBJ, m1);
    /* big blocks go back to the page source (like libc's mmap threshold) */
    CHECKF(pm_heap_footprint(h) + (128u << 20) <= fp_live, "footprint %zu after freeing, %zu live",
           pm_heap_footprint(h), fp_live);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));

    /* realloc growth from 1 KiB to 48 MiB, contents preserved at each step */
    uint8_t *p = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 1024);
    size_t n = 1024;
    fill(p, n, 10);
    uint32_t seed = 10;
    int steps = 0;
    while (n < (48u << 20)) {
        size_t nn = n + n / 2 + 4096;
        if (nn > (48u << 20)) nn = 48u << 20;
        uint8_t *q = (uint8_t *)pm_realloc(h, PM_DOMAIN_RAW, p, nn);
        CHECKF(q != NULL, "realloc %zu -> %zu", n, nn);
        if (!q) break;
        CHECKF(verify(q, n, seed), "contents after realloc %zu -> %zu", n, nn);
        CHECK_EQ(pm_ptr_classify(h, q), PM_PTR_RAW_LIVE);
        CHECK_EQ(pm_block_size(h, q), nn);
        fill(q, nn, ++seed);
        p = q;
        n = nn;
        steps++;
    }
    CHECK_EQ(n, (size_t)48 << 20);
    /* shrink back: raw stays raw, contents kept */
    uint8_t *q = (uint8_t *)pm_realloc(h, PM_DOMAIN_RAW, p, 100);
    CHECK(q != NULL);
    CHECK(verify_prefix(q, 100, n, seed));
    CHECK_EQ(pm_ptr_classify(h, q), PM_PTR_RAW_LIVE);
    CHECK_EQ(pm_block_size(h, q), (size_t)100);
    pm_free(h, PM_DOMAIN_RAW, q);
    /* same growth in the OBJ domain: starts in pymalloc, crosses 512 into raw */
    p = (uint8_t *)pm_malloc(h, PM_DOMAIN_OBJ, 100);
    n = 100;
    fill(p, n, 50);
    seed = 50;
    while (n < (20u << 20)) {
        size_t nn = n * 2;
        uint8_t *q2 = (uint8_t *)pm_realloc(h, PM_DOMAIN_OBJ, p, nn);
        CHECK(q2 != NULL);
        if (!q2) break;
        CHECK(verify(q2, n, seed));
        CHECK_EQF(pm_ptr_classify(h, q2), nn <= 512 ? PM_PTR_BLOCK_LIVE : PM_PTR_RAW_LIVE, "n=%zu", nn);
        fill(q2, nn, ++seed);
        p = q2;
        n = nn;
    }
    for (size_t nn = n / 3; nn >= 10; nn /= 3) {
        uint8_t *q2 = (uint8_t *)pm_realloc(h, PM_DOMAIN_OBJ, p, nn);
        CHECK(q2 != NULL);
        if (!q2) break;
        CHECK(verify_prefix(q2, nn, n, seed));
        CHECK_EQF(pm_ptr_classify(h, q2), PM_PTR_RAW_LIVE, "shrunk to %zu: must stay raw", nn);
        p = q2;
    }
    pm_free(h, PM_DOMAIN_OBJ, p);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_heap_stats s = stats_of(h);
    CHECK_EQ(s.raw_blocks, (uint64_t)0);
    fprintf(stderr, "   (%d growth steps to 48 MiB)\n", steps);
    pm_heap_free(h);
}

/* ---------------------------------------------------------------------- */
static void test_limit_raw(void) {
    TEST_BEGIN("raw requests under a heap limit");
    pm_heap_config cfg = { NULL, 8u << 20, 0 };
    pm_heap *h = pm_heap_new(&cfg);
    CHECK(h != NULL);
    if (!h) return;
    CHECK(pm_malloc(h, PM_DOMAIN_RAW, 16u << 20) == NULL);
    CHECK_EQ(pm_heap_last_status(h), PM_ENOMEM);
    CHECK(pm_malloc(h, PM_DOMAIN_OBJ, 9u << 20) == NULL);
    CHECK_EQ(pm_heap_last_status(h), PM_ENOMEM);
    uint8_t *a = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 3u << 20);
    CHECK(a != NULL);
    fill(a, 3u << 20, 1);
    uint8_t *b = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 3u << 20);
    CHECK(b != NULL);
    fill(b, 3u << 20, 2);
    CHECK(pm_heap_footprint(h) <= (8u << 20));
    CHECK(pm_malloc(h, PM_DOMAIN_RAW, 3u << 20) == NULL);
    CHECK_EQ(pm_heap_last_status(h), PM_ENOMEM);
    CHECK(pm_realloc(h, PM_DOMAIN_RAW, a, 6u << 20) == NULL);  /* cannot grow: a stays */
    CHECK(verify(a, 3u << 20, 1));
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_free(h, PM_DOMAIN_RAW, b);
    /* growing a dedicated block moves it: old and new must fit together */
    size_t room = (8u << 20) - pm_heap_footprint(h);
    size_t grow = (3u << 20) + 65536;
    CHECKF(room > grow + (128u << 10), "room %zu", room);
    uint8_t *c = (uint8_t *)pm_realloc(h, PM_DOMAIN_RAW, a, grow);
    CHECK(c != NULL);
    CHECK(verify(c, 3u << 20, 1));
    CHECK(pm_heap_footprint(h) <= (8u << 20));
    CHECK_EQ(pm_heap_set_limit(h, pm_heap_footprint(h) - 1), PM_EINVAL);
    CHECK_EQ(pm_heap_set_limit(h, 0), PM_OK);
    uint8_t *d = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 32u << 20);
    CHECK(d != NULL);
    pm_free(h, PM_DOMAIN_RAW, d);
    pm_free(h, PM_DOMAIN_RAW, c);
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_heap_free(h);
}

/* ---------------------------------------------------------------------- */
/* Two (and four) heaps side by side: own page sources and a shared one. */
typedef struct hb { uint8_t *p; size_t n; uint32_t seed; int heap; pm_domain d; } hb;

static void test_two_heaps(void) {
    TEST_BEGIN("heaps side by side");
    pm_pagesource *shared = pm_pagesource_default(0);
    CHECK(shared != NULL);
    pm_heap_config sc = { shared, 0, 0 };
    pm_heap *hs[4];
    hs[0] = pm_heap_new(NULL);
    hs[1] = pm_heap_new(NULL);
    hs[2] = pm_heap_new(&sc);
    hs[3] = pm_heap_new(&sc);
    for (int i = 0; i < 4; i++) CHECK(hs[i] != NULL);
    enum { MAXB = 6000 };
    static hb b[MAXB];
    size_t nb = 0;
    uint32_t seed = 0;
    rng_state = 4242;
    for (int op = 0; op < 40000; op++) {
        if ((rndn(100) < 60 && nb < MAXB) || nb == 0) {
            int hi = (int)rndn(4);
            size_t n = rndn(10) < 8 ? rndn(600) : rndn(200000);
            pm_domain d = (pm_domain)rndn(3);
            uint8_t *p = (uint8_t *)pm_malloc(hs[hi], d, n);
            CHECK(p != NULL);
            if (!p) continue;
            fill(p, n, ++seed);
            b[nb++] = (hb){ p, n, seed, hi, d };
        } else {
            size_t i = rndn((uint32_t)nb);
            int hi = b[i].heap, other = (hi + 1 + (int)rndn(3)) % 4;
            /* the other heaps do not own it */
            pm_ptr_kind ko = pm_ptr_classify(hs[other], b[i].p);
            CHECKF(ko == PM_PTR_FOREIGN, "heap %d's block classified %d by heap %d", hi, (int)ko, other);
            CHECK_EQ(pm_free_checked(hs[other], PM_DOMAIN_OBJ, b[i].p), PM_EBADPTR);
            CHECKF(verify(b[i].p, b[i].n, b[i].seed), "block of heap %d damaged", hi);
            CHECK_EQ(pm_free_checked(hs[hi], b[i].d, b[i].p), PM_OK);
            b[i] = b[--nb];
        }
        if (op % 5000 == 0)
            for (int i = 0; i < 4; i++) CHECK_EQF(pm_heap_check(hs[i]), PM_OK, "%s", pm_heap_error(hs[i]));
    }
    /* stats are per heap */
    uint64_t counted[4] = { 0 }, raw[4] = { 0 };
    for (size_t i = 0; i < nb; i++) {
        if (pm_ptr_classify(hs[b[i].heap], b[i].p) == PM_PTR_RAW_LIVE) raw[b[i].heap]++;
        else counted[b[i].heap]++;
    }
    for (int i = 0; i < 4; i++) {
        pm_heap_stats s = stats_of(hs[i]);
        uint64_t inuse = 0;
        for (int c = 0; c < 32; c++) inuse += s.classes[c].blocks_in_use;
        CHECK_EQF(inuse, counted[i], "heap %d pymalloc blocks", i);
        CHECK_EQF(s.raw_blocks, raw[i], "heap %d raw blocks", i);
    }
    /* free heap 2 (shared page source) with its blocks still allocated:
     * heap 3 on the same page source is unaffected */
    pm_heap_free(hs[2]);
    size_t bad = 0;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].heap == 2) continue;
        bad += !verify(b[i].p, b[i].n, b[i].seed);
        bad += pm_ptr_classify(hs[b[i].heap], b[i].p) == PM_PTR_FOREIGN;
    }
    CHECK_EQ(bad, (size_t)0);
    CHECK_EQF(pm_heap_check(hs[3]), PM_OK, "%s", pm_heap_error(hs[3]));
    /* heap 3 keeps working, and reuses the memory heap 2 gave back */
    for (int i = 0; i < 2000; i++) {
        uint8_t *p = (uint8_t *)pm_malloc(hs[3], PM_DOMAIN_OBJ, 512);
        CHECK(p != NULL);
        if (p) { fill(p, 512, ++seed); if (nb < MAXB) b[nb++] = (hb){ p, 512, seed, 3, PM_DOMAIN_OBJ }; else pm_free(hs[3], PM_DOMAIN_OBJ, p); }
    }
    bad = 0;
    for (size_t i = 0; i < nb; i++) if (b[i].heap != 2) bad += !verify(b[i].p, b[i].n, b[i].seed);
    CHECK_EQ(bad, (size_t)0);
    CHECK_EQF(pm_heap_check(hs[3]), PM_OK, "%s", pm_heap_error(hs[3]));
    for (size_t i = 0; i < nb; i++)
        if (b[i].heap != 2) pm_free(hs[b[i].heap], b[i].d, b[i].p);
    for (int i = 0; i < 4; i++) {
        if (i == 2) continue;
        pm_heap_stats s = stats_of(hs[i]);
        CHECK_EQ(s.raw_blocks, (uint64_t)0);
        CHECK_EQ(s.bytes_in_allocated_blocks, (uint64_t)0);
        CHECK_EQF(pm_heap_check(hs[i]), PM_OK, "%s", pm_heap_error(hs[i]));
        pm_heap_free(hs[i]);
    }
    pm_pagesource_destroy(shared);
}

/* ---------------------------------------------------------------------- */
/* The heap's footprint counts what it holds from the page source. */
/* The memory just below the first raw block of a fresh heap is the
 * allocator's own bookkeeping (segment and chunk headers): never "free raw
 * memory", never a block. */
static void test_raw_headers(void) {
    TEST_BEGIN("raw bookkeeping is not free memory");
    pm_heap *h = pm_heap_new(NULL);
    uint8_t *p = (uint8_t *)pm_malloc(h, PM_DOMAIN_RAW, 100);
    for (int d = 16; d <= 128; d += 16) {
        pm_ptr_kind k = pm_ptr_classify(h, p - d);
        CHECKF(k == PM_PTR_RAW_INTERIOR || k == PM_PTR_FOREIGN, "p-%d classified %d", d, (int)k);
        pm_status st = pm_free_checked(h, PM_DOMAIN_RAW, p - d);
        CHECKF(st == PM_EBADPTR, "free_checked(p-%d) = %d", d, (int)st);
    }
    CHECK_EQF(pm_heap_check(h), PM_OK, "%s", pm_heap_error(h));
    pm_free(h, PM_DOMAIN_RAW, p);
    pm_heap_free(h);
}

static void test_footprint(void) {
    TEST_BEGIN("footprint accounting");
    pm_heap *h = pm_heap_new(NULL);
    size_t f0 = pm_heap_footprint(h);
    void *p = pm_malloc(h, PM_DOMAIN_OBJ, 16);          /* first arena */
    size_t f1 = pm_heap_footprint(h);
    CHECKF(f1 >= f0 + (1u << 20), "footprint %zu -> %zu after the first arena", f0, f1);
    CHECK_EQ(stats_of(h).footprint, (uint64_t)f1);
    pm_free(h, PM_DOMAIN_OBJ, p);                       /* the only arena is retained */
    CHECK_EQ(pm_heap_footprint(h), f1);
    CHECK_EQ(stats_of(h).narenas_currently_allocated, (uint64_t)1);
    pm_heap_free(h);
}

int main(int argc, char **argv) {
    struct { const char *name; void (*fn)(void); } tests[] = {
        { "raw_basics", test_raw_basics },
        { "raw_random", test_raw_random },
        { "large", test_large },
        { "limit_raw", test_limit_raw },
        { "two_heaps", test_two_heaps },
        { "raw_headers", test_raw_headers },
        { "footprint", test_footprint },
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
        tests[i].fn();
    }
    return check_summary();
}
