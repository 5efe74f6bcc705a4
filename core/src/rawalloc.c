/* rawalloc.c — the raw allocator: what libc malloc is to CPython.
 *
 * Serves the RAW domain, pymalloc's fallbacks (0 bytes and > 512 bytes in
 * the MEM and OBJ domains) and the core's own bookkeeping (the arenas
 * vector, pool bitmaps, the transfer buffer). It sits on the same page
 * source as the arenas, so the heap limit covers everything.
 *
 * Layout. A shared segment (PM_RAW_SEGMENT bytes) holds boundary-tagged
 * chunks back to back, closed by a zero-size in-use fence:
 *
 *   [raw_segment][chunk][chunk]...[fence]
 *   chunk = header (HDR bytes) + payload; payload is 16-byte aligned.
 *
 * A chunk's `head` is its size | flags. INUSE marks it allocated;
 * FIRST marks the first chunk of a shared segment. PREV_INUSE mirrors the previous chunk's INUSE bit so coalescing knows
 * whether `prev_size` is valid. A free chunk sits in one of RAW_NBINS
 * segregated lists (exact 16-byte bins below 1 KiB, four bins per power of
 * two above) and is never adjacent to another free chunk. A request of
 * PM_RAW_DEDICATED bytes or more gets a segment of its own, given back to the
 * page source when the block is freed (the mmap threshold of libc malloc).
 * A shared segment that becomes wholly free is given back too, unless it is
 * the last shared one.
 *
 * Domain blocks (from pm_malloc & co.) are tagged and entered in an
 * open-addressing set of live addresses, so pm_ptr_classify can tell a live
 * raw block from anything else in O(1) without trusting memory contents.
 */
#include "internal.h"

typedef struct raw_chunk {
    size_t prev_size;         /* size of the previous chunk, valid when it is free */
    size_t head;              /* size | flags */
    size_t req;               /* requested size (domain blocks) */
    uint32_t tag;             /* TAG_* bits */
    uint32_t _pad;
    /* free chunks only, inside the payload: */
    struct raw_chunk *fd, *bk;
} raw_chunk;

#define INUSE       ((size_t)1)
#define PREV_INUSE  ((size_t)2)
#define DEDICATED   ((size_t)4)
#define FIRST       ((size_t)8)     /* first chunk of a shared segment */
#define FLAGS       ((size_t)15)
#define TAG_DOMAIN  1u
#define TAG_PYMALLOC 2u

#define HDR       ((offsetof(raw_chunk, fd) + 15) & ~(size_t)15)
#define MINCHUNK  ((sizeof(raw_chunk) + 15) & ~(size_t)15)
#define SEGHDR    ((sizeof(raw_segment) + 15) & ~(size_t)15)

#define CSIZE(c)        ((c)->head & ~FLAGS)
#define NEXT_CHUNK(c)   ((raw_chunk *)((char *)(c) + CSIZE(c)))
#define PREV_CHUNK(c)   ((raw_chunk *)((char *)(c) - (c)->prev_size))
#define MEM2CHUNK(p)    ((raw_chunk *)((char *)(p) - HDR))
#define CHUNK2MEM(c)    ((void *)((char *)(c) + HDR))

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

/* ---- Bins ------------------------------------------------------------------ */

static unsigned bin_index(size_t size) {
    if (size < 1024) return (unsigned)(size >> 4);
    unsigned b = 63u - (unsigned)__builtin_clzll((unsigned long long)size);
    if (b > 31) b = 31;
    unsigned idx = 64 + (b - 10) * 4 + (unsigned)((size >> (b - 2)) & 3);
    return idx < RAW_NBINS ? idx : RAW_NBINS - 1;
}

static void bin_insert(raw_state *r, raw_chunk *c) {
    unsigned i = bin_index(CSIZE(c));
    c->fd = r->bins[i];
    c->bk = NULL;
    if (c->fd) c->fd->bk = c;
    r->bins[i] = c;
    r->binmap[i >> 6] |= (uint64_t)1 << (i & 63);
}

static void bin_remove(raw_state *r, raw_chunk *c) {
    unsigned i = bin_index(CSIZE(c));
    if (c->bk) c->bk->fd = c->fd; else r->bins[i] = c->fd;
    if (c->fd) c->fd->bk = c->bk;
    if (!r->bins[i]) r->binmap[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

/* Smallest free chunk of at least `size` bytes: first fit in the request's
 * own bin, then the first chunk of the next non-empty bin. */
static raw_chunk *bin_find(raw_state *r, size_t size) {
    unsigned i = bin_index(size);
    for (raw_chunk *c = r->bins[i]; c; c = c->fd)
        if (CSIZE(c) >= size) return c;
    for (unsigned j = i + 1; j < RAW_NBINS;) {
        uint64_t m = r->binmap[j >> 6] >> (j & 63);
        if (m) {
            j += (unsigned)__builtin_ctzll(m);
            return r->bins[j];
        }
        j = (j | 63) + 1;
    }
    return NULL;
}

/* ---- Segments ---------------------------------------------------------------- */

static raw_segment *segment_new(pm_heap *h, size_t size, int dedicated) {
    raw_segment *s = _pm_pages_get(h, size);
    if (!s) return NULL;
    s->size = size;
    s->dedicated = (uint32_t)dedicated;
    s->prev = NULL;
    s->next = h->raw.segments;
    if (s->next) s->next->prev = s;
    h->raw.segments = s;
    return s;
}

static void segment_release(pm_heap *h, raw_segment *s) {
    if (s->prev) s->prev->next = s->next; else h->raw.segments = s->next;
    if (s->next) s->next->prev = s->prev;
    _pm_pages_put(h, s, s->size);
}

static raw_chunk *segment_first(raw_segment *s) { return (raw_chunk *)((char *)s + SEGHDR); }

/* A fresh shared segment as one free chunk followed by the fence. */
static raw_chunk *shared_segment_new(pm_heap *h, size_t need) {
    size_t size = PM_RAW_SEGMENT;
    while (size < need + SEGHDR + HDR) size <<= 1;
    raw_segment *s = segment_new(h, size, 0);
    if (!s) return NULL;
    raw_chunk *c = segment_first(s);
    size_t csize = size - SEGHDR - HDR;         /* leave room for the fence header */
    c->head = csize | PREV_INUSE | FIRST;
    raw_chunk *fence = NEXT_CHUNK(c);
    fence->head = 0 | INUSE;
    fence->prev_size = csize;
    bin_insert(&h->raw, c);
    return c;
}

static int shared_segments(const pm_heap *h) {
    int n = 0;
    for (raw_segment *s = h->raw.segments; s; s = s->next) n += !s->dedicated;
    return n;
}

/* ---- Chunks ---------------------------------------------------------------- */

static void set_inuse(raw_chunk *c) {
    c->head |= INUSE;
    NEXT_CHUNK(c)->head |= PREV_INUSE;
}

/* Cuts c (in use, or about to be) down to `size`, freeing the rest. */
static void chunk_split(pm_heap *h, raw_chunk *c, size_t size) {
    size_t csize = CSIZE(c);
    if (csize - size < MINCHUNK) return;
    raw_chunk *rest = (raw_chunk *)((char *)c + size);
    c->head = size | (c->head & FLAGS);
    rest->head = (csize - size) | PREV_INUSE;
    raw_chunk *after = NEXT_CHUNK(rest);
    if (!(after->head & INUSE)) {            /* merge with a free successor */
        bin_remove(&h->raw, after);
        rest->head += CSIZE(after);
    }
    NEXT_CHUNK(rest)->head &= ~PREV_INUSE;
    NEXT_CHUNK(rest)->prev_size = CSIZE(rest);
    bin_insert(&h->raw, rest);
}

static raw_chunk *chunk_alloc_(pm_heap *h, size_t n);

/* A chunk for n payload bytes, tagged as internal (not a domain block). */
static raw_chunk *chunk_alloc(pm_heap *h, size_t n) {
    raw_chunk *c = chunk_alloc_(h, n);
    if (c) { c->req = n; c->tag = 0; }
    return c;
}

static raw_chunk *chunk_alloc_(pm_heap *h, size_t n) {
    size_t size = round16(n + HDR);
    if (size < MINCHUNK) size = MINCHUNK;
    if (size + SEGHDR >= PM_RAW_DEDICATED) {
        size_t segsize = (SEGHDR + size + PM_PAGE_GRAIN - 1) / PM_PAGE_GRAIN * PM_PAGE_GRAIN;
        if (segsize < size) return NULL;
        raw_segment *s = segment_new(h, segsize, 1);
        if (!s) return NULL;
        raw_chunk *c = segment_first(s);
        c->head = (segsize - SEGHDR) | INUSE | PREV_INUSE | DEDICATED;
        return c;
    }
    raw_chunk *c = bin_find(&h->raw, size);
    if (!c) {
        c = shared_segment_new(h, size);
        if (!c) return NULL;
    }
    bin_remove(&h->raw, c);
    set_inuse(c);
    chunk_split(h, c, size);
    return c;
}

static raw_segment *segment_of_first(raw_chunk *c) { return (raw_segment *)((char *)c - SEGHDR); }

static void chunk_free(pm_heap *h, raw_chunk *c) {
    if (c->head & DEDICATED) {
        segment_release(h, segment_of_first(c));
        return;
    }
    c->tag = 0;
    c->head &= ~INUSE;
    raw_chunk *next = NEXT_CHUNK(c);
    if (!(next->head & INUSE)) {
        bin_remove(&h->raw, next);
        c->head += CSIZE(next);
    }
    if (!(c->head & PREV_INUSE)) {
        raw_chunk *prev = PREV_CHUNK(c);
        bin_remove(&h->raw, prev);
        prev->head += CSIZE(c);
        c = prev;
    }
    next = NEXT_CHUNK(c);
    next->head &= ~PREV_INUSE;
    next->prev_size = CSIZE(c);
    /* a wholly free shared segment goes back to the page source */
    if ((c->head & FIRST) && next->head == INUSE && shared_segments(h) > 1) {
        segment_release(h, segment_of_first(c));
        return;
    }
    bin_insert(&h->raw, c);
}

/* Resizes in place if possible; returns false if the caller must move. */
static bool chunk_resize(pm_heap *h, raw_chunk *c, size_t n) {
    size_t size = round16(n + HDR);
    if (size < MINCHUNK) size = MINCHUNK;
    size_t csize = CSIZE(c);
    if (c->head & DEDICATED) {
        /* keep the segment while the block still fits and is not under a
         * quarter of it */
        return size <= csize && size * 4 >= csize && size + SEGHDR >= PM_RAW_DEDICATED;
    }
    if (size + SEGHDR >= PM_RAW_DEDICATED) return false;
    if (size <= csize) { chunk_split(h, c, size); return true; }
    raw_chunk *next = NEXT_CHUNK(c);
    if (!(next->head & INUSE) && csize + CSIZE(next) >= size) {
        bin_remove(&h->raw, next);
        c->head += CSIZE(next);
        NEXT_CHUNK(c)->head |= PREV_INUSE;
        chunk_split(h, c, size);
        return true;
    }
    return false;
}

/* ---- Live set of domain blocks ------------------------------------------------ */

static size_t live_hash(uintptr_t p, size_t cap) {
    return (size_t)(((uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static bool live_grow(pm_heap *h) {
    raw_state *r = &h->raw;
    size_t cap = r->live_cap ? r->live_cap * 2 : 256;
    if (r->live_count * 4 < r->live_cap) cap = r->live_cap;   /* mostly tombstones: rehash only */
    raw_chunk *c = chunk_alloc(h, cap * sizeof(uintptr_t));
    if (!c) return false;
    uintptr_t *t = CHUNK2MEM(c);
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < r->live_cap; i++) {
        uintptr_t p = r->live[i];
        if (p > 1) {
            size_t j = live_hash(p, cap);
            while (t[j]) j = (j + 1) & (cap - 1);
            t[j] = p;
        }
    }
    if (r->live) chunk_free(h, MEM2CHUNK(r->live));
    r->live = t;
    r->live_cap = cap;
    r->live_used = r->live_count;
    return true;
}

static bool live_add(pm_heap *h, uintptr_t p) {
    raw_state *r = &h->raw;
    if ((r->live_used + 1) * 10 > r->live_cap * 7 && !live_grow(h)) return false;
    size_t j = live_hash(p, r->live_cap);
    while (r->live[j] > 1) j = (j + 1) & (r->live_cap - 1);
    if (r->live[j] == 0) r->live_used++;
    r->live[j] = p;
    r->live_count++;
    return true;
}

static size_t live_find(const raw_state *r, uintptr_t p) {
    if (!r->live_cap) return SIZE_MAX;
    size_t j = live_hash(p, r->live_cap);
    while (r->live[j]) {
        if (r->live[j] == p) return j;
        j = (j + 1) & (r->live_cap - 1);
    }
    return SIZE_MAX;
}

static void live_remove(pm_heap *h, uintptr_t p) {
    size_t j = live_find(&h->raw, p);
    if (j != SIZE_MAX) { h->raw.live[j] = 1; h->raw.live_count--; }
}

bool _pm_raw_is_live(const pm_heap *h, const void *p) {
    return ((uintptr_t)p & 15) == 0 && live_find(&h->raw, (uintptr_t)p) != SIZE_MAX;
}

/* Where p falls in raw memory that is not a live domain block: inside a
 * free chunk (a freed block: PM_PTR_RAW_FREE), inside an in-use chunk
 * (PM_PTR_RAW_INTERIOR), or outside every segment (PM_PTR_FOREIGN). Walks
 * the segment's chunks, so it is for error paths only. */
pm_ptr_kind _pm_raw_locate(const pm_heap *h, const void *vp) {
    uintptr_t p = (uintptr_t)vp;
    for (raw_segment *s = h->raw.segments; s; s = s->next) {
        if (p < (uintptr_t)s || p >= (uintptr_t)s + s->size) continue;
        if (s->dedicated || p < (uintptr_t)segment_first(s)) return PM_PTR_RAW_INTERIOR;
        for (raw_chunk *c = segment_first(s); CSIZE(c); c = NEXT_CHUNK(c)) {
            if (p < (uintptr_t)c + CSIZE(c))   /* headers of free chunks count as free memory */
                return (c->head & INUSE) ? PM_PTR_RAW_INTERIOR : PM_PTR_RAW_FREE;
        }
        return PM_PTR_RAW_INTERIOR;
    }
    return PM_PTR_FOREIGN;
}

size_t _pm_raw_requested(const void *p) { return MEM2CHUNK(p)->req; }
bool _pm_raw_from_pymalloc(const void *p) { return (MEM2CHUNK(p)->tag & TAG_PYMALLOC) != 0; }

/* ---- Internal bookkeeping API ---------------------------------------------------- */

void *_pm_raw_malloc(pm_heap *h, size_t n) {
    raw_chunk *c = chunk_alloc(h, n);
    if (!c) return NULL;
    c->req = n;
    c->tag = 0;
    return CHUNK2MEM(c);
}

void _pm_raw_free(pm_heap *h, void *p) {
    if (p) chunk_free(h, MEM2CHUNK(p));
}

void *_pm_raw_realloc(pm_heap *h, void *p, size_t n) {
    if (!p) return _pm_raw_malloc(h, n);
    raw_chunk *c = MEM2CHUNK(p);
    if (chunk_resize(h, c, n)) { c->req = n; return p; }
    void *q = _pm_raw_malloc(h, n);
    if (!q) return NULL;
    memcpy(q, p, c->req < n ? c->req : n);
    chunk_free(h, c);
    return q;
}

/* ---- Domain API ---------------------------------------------------------------- */

void *_pm_raw_domain_malloc(pm_heap *h, size_t n, int zero, int from_pymalloc) {
    raw_chunk *c = chunk_alloc(h, n ? n : 1);      /* malloc(0) is malloc(1), as PyMem_RawMalloc */
    if (!c) return NULL;
    if (!live_add(h, (uintptr_t)CHUNK2MEM(c))) {
        chunk_free(h, c);
        return NULL;
    }
    c->req = n;
    c->tag = TAG_DOMAIN | (from_pymalloc ? TAG_PYMALLOC : 0);
    h->raw.nblocks++;
    h->raw.bytes_requested += n;
    if (from_pymalloc) h->raw_allocated_blocks++;
    void *p = CHUNK2MEM(c);
    if (zero) memset(p, 0, n);
#if PM_DEBUG
    else memset(p, PM_CLEANBYTE, n);
#endif
    return p;
}

void _pm_raw_domain_free(pm_heap *h, void *p) {
    raw_chunk *c = MEM2CHUNK(p);
    live_remove(h, (uintptr_t)p);
    h->raw.nblocks--;
    h->raw.bytes_requested -= c->req;
    if (c->tag & TAG_PYMALLOC) h->raw_allocated_blocks--;
#if PM_DEBUG
    memset(p, PM_DEADBYTE, c->req);
#endif
    chunk_free(h, c);
}

void *_pm_raw_domain_realloc(pm_heap *h, void *p, size_t n) {
    raw_chunk *c = MEM2CHUNK(p);
    size_t old = c->req;
    if (chunk_resize(h, c, n ? n : 1)) {
        c->req = n;
        h->raw.bytes_requested += n - old;
        return p;
    }
    void *q = _pm_raw_domain_malloc(h, n, 0, (c->tag & TAG_PYMALLOC) != 0);
    if (!q) return NULL;
    memcpy(q, p, old < n ? old : n);
    _pm_raw_domain_free(h, p);
    return q;
}

/* ---- Set-up, teardown, checking ------------------------------------------------- */

void _pm_raw_init(pm_heap *h) { memset(&h->raw, 0, sizeof h->raw); }

void _pm_raw_fini(pm_heap *h) {
    while (h->raw.segments) segment_release(h, h->raw.segments);
    memset(&h->raw, 0, sizeof h->raw);
}

/* Walks every segment: chunk sizes tile the segment exactly, PREV_INUSE and
 * prev_size agree with the neighbour, no two free chunks touch, every free
 * chunk is in the bin its size names, and the live set matches the tagged
 * domain blocks. */
pm_status _pm_raw_check(pm_heap *h) {
    raw_state *r = &h->raw;
    size_t nfree = 0, ndomain = 0, bytes = 0, npym = 0;
    for (raw_segment *s = r->segments; s; s = s->next) {
        if (s->next && s->next->prev != s) return _pm_check_fail(h, "raw: segment list links broken at %p", (void *)s);
        raw_chunk *c = segment_first(s);
        if (s->dedicated) {
            if (!(c->head & DEDICATED) || !(c->head & INUSE) || CSIZE(c) != s->size - SEGHDR)
                return _pm_check_fail(h, "raw: dedicated segment %p has a bad chunk", (void *)s);
        } else {
            bool prev_free = false;
            size_t prev_size = 0;
            for (;;) {
                if ((char *)c + HDR > (char *)s + s->size)
                    return _pm_check_fail(h, "raw: chunk %p runs past its segment", (void *)c);
                bool free_ = !(c->head & INUSE);
                if (!(c->head & PREV_INUSE) != prev_free)
                    return _pm_check_fail(h, "raw: PREV_INUSE of chunk %p disagrees with its neighbour", (void *)c);
                if (prev_free && c->prev_size != prev_size)
                    return _pm_check_fail(h, "raw: prev_size of chunk %p is wrong", (void *)c);
                if (CSIZE(c) == 0) {
                    if (free_ || (char *)c + HDR != (char *)s + s->size)
                        return _pm_check_fail(h, "raw: fence of segment %p misplaced", (void *)s);
                    break;
                }
                if (CSIZE(c) & 15 || CSIZE(c) < MINCHUNK)
                    return _pm_check_fail(h, "raw: chunk %p has bad size %zu", (void *)c, CSIZE(c));
                if (free_) {
                    if (prev_free) return _pm_check_fail(h, "raw: adjacent free chunks at %p", (void *)c);
                    unsigned i = bin_index(CSIZE(c));
                    raw_chunk *b = r->bins[i];
                    while (b && b != c) b = b->fd;
                    if (!b) return _pm_check_fail(h, "raw: free chunk %p missing from bin %u", (void *)c, i);
                    nfree++;
                }
                prev_free = free_;
                prev_size = CSIZE(c);
                c = NEXT_CHUNK(c);
            }
        }
        /* count domain blocks in this segment */
        for (raw_chunk *d = segment_first(s);; d = NEXT_CHUNK(d)) {
            if ((d->head & INUSE) && CSIZE(d) && (d->tag & TAG_DOMAIN)) {
                ndomain++;
                bytes += d->req;
                npym += (d->tag & TAG_PYMALLOC) != 0;
                if (live_find(r, (uintptr_t)CHUNK2MEM(d)) == SIZE_MAX)
                    return _pm_check_fail(h, "raw: domain block %p missing from the live set", CHUNK2MEM(d));
            }
            if (s->dedicated || CSIZE(d) == 0) break;
        }
    }
    size_t inbins = 0;
    for (unsigned i = 0; i < RAW_NBINS; i++) {
        bool bit = (r->binmap[i >> 6] >> (i & 63)) & 1;
        if (bit != (r->bins[i] != NULL)) return _pm_check_fail(h, "raw: bin map bit %u is wrong", i);
        for (raw_chunk *c = r->bins[i]; c; c = c->fd) {
            if (c->head & INUSE) return _pm_check_fail(h, "raw: in-use chunk %p in bin %u", (void *)c, i);
            if (bin_index(CSIZE(c)) != i) return _pm_check_fail(h, "raw: chunk %p in the wrong bin", (void *)c);
            if (c->fd && c->fd->bk != c) return _pm_check_fail(h, "raw: bin %u links broken", i);
            inbins++;
        }
    }
    if (inbins != nfree) return _pm_check_fail(h, "raw: %zu chunks in bins but %zu free chunks in segments", inbins, nfree);
    if (ndomain != r->nblocks || ndomain != r->live_count)
        return _pm_check_fail(h, "raw: %zu tagged blocks, %zu counted, %zu in the live set", ndomain, r->nblocks, r->live_count);
    if (bytes != r->bytes_requested) return _pm_check_fail(h, "raw: requested bytes %zu != counted %zu", bytes, r->bytes_requested);
    if (npym != h->raw_allocated_blocks)
        return _pm_check_fail(h, "raw: %zu pymalloc fallbacks tagged but raw_allocated_blocks is %zu", npym, h->raw_allocated_blocks);
    return PM_OK;
}
