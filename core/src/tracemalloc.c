/* tracemalloc.c — traces of the heap's blocks, interned tracebacks and
 * filenames (see tracemalloc.h).
 *
 * Mirrors CPython 3.12 Python/tracemalloc.c: tracemalloc_alloc /
 * tracemalloc_realloc / tracemalloc_free (the hooks), tracemalloc_add_trace /
 * tracemalloc_remove_trace, traceback_new / traceback_get_frames /
 * tracemalloc_get_frame (capture and interning), tracemalloc_clear_traces,
 * _PyTraceMalloc_Start / _PyTraceMalloc_Stop, _PyTraceMalloc_NewReference,
 * PyTraceMalloc_Track / Untrack.
 *
 * Tables (all raw bookkeeping memory, counted in tm->mem):
 *   traces      open addressing keyed by (domain, ptr), linear probing,
 *               deletion by backward shift; at most half full
 *   tracebacks  a vector by id plus an open-addressing index by content
 *   filenames   the same, for UTF-8 copies of co_filename
 * The traceback and the trace slot a hook needs are obtained before the
 * block is allocated (or reallocated), so a hook either fails with the heap
 * unchanged or always records its trace (CPython aborts in realloc when it
 * cannot store the trace; here that case cannot arise).
 */
#include "tracemalloc.h"
#include "frame.h"
#include "codeobject.h"
#include "unicodeobject.h"

typedef struct tm_frame {
    uint32_t filename;          /* filename id */
    int32_t lineno;
} tm_frame;

typedef struct tm_traceback {
    uint32_t hash;
    uint16_t nframe, total_nframe;
    tm_frame frames[];          /* most recent first */
} tm_traceback;

typedef struct tm_trace {
    uintptr_t ptr;
    uint32_t domain;
    uint32_t tb1;               /* traceback id + 1; 0 = empty slot */
    uint64_t size;
} tm_trace;

struct pm_tracemalloc {
    int32_t max_nframe;
    uint64_t traced, peak;      /* tracemalloc_traced_memory / _peak_traced_memory */
    uint64_t mem;               /* bookkeeping bytes held (get_tracemalloc_memory) */
    tm_trace *traces;
    size_t traces_cap, ntraces;
    tm_traceback **tbs;
    uint32_t ntbs, tbs_cap;
    uint32_t *tb_index;         /* id + 1, 0 empty */
    uint32_t tb_index_cap;
    char **fnames;
    uint32_t nfnames, fnames_cap;
    uint32_t *fn_index;
    uint32_t fn_index_cap;
    tm_frame *buf;              /* capture buffer: max_nframe frames */
    char *sbuf;                 /* UTF-8 encoding buffer */
    size_t sbuf_cap;
    uint8_t *blob;              /* last export */
};

typedef struct pm_tracemalloc pm_tracemalloc;

static const char UNKNOWN_FILENAME[] = "<unknown>";

/* ---- Bookkeeping memory -------------------------------------------------------- */

static void *tm_alloc(pm_heap *h, size_t n) {
    void *p = _pm_raw_malloc(h, n ? n : 1);
    if (p) h->tm->mem += n ? n : 1;
    return p;
}

static void tm_release(pm_heap *h, void *p) {
    if (!p) return;
    h->tm->mem -= _pm_raw_requested(p);
    _pm_raw_free(h, p);
}

/* Grows the vector *v of *cap elements of `size` bytes to hold `need`. */
static int tm_reserve_vec(pm_heap *h, void **v, uint32_t *cap, uint32_t need, size_t size) {
    if (need <= *cap) return 0;
    uint32_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    void *nv = tm_alloc(h, (size_t)ncap * size);
    if (!nv) return -1;
    if (*v) memcpy(nv, *v, (size_t)*cap * size);
    tm_release(h, *v);
    *v = nv;
    *cap = ncap;
    return 0;
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27; x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* ---- An id index (tracebacks, filenames): open addressing of id + 1 ------------- */

typedef int (*tm_same_fn)(const pm_tracemalloc *tm, uint32_t id, const void *key);

static uint32_t index_find(const pm_tracemalloc *tm, const uint32_t *index, uint32_t cap, uint32_t hash,
                           const void *key, tm_same_fn same) {
    if (!cap) return UINT32_MAX;
    for (uint32_t i = hash & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (!index[i]) return UINT32_MAX;
        if (same(tm, index[i] - 1, key)) return index[i] - 1;
    }
}

static void index_put(uint32_t *index, uint32_t cap, uint32_t hash, uint32_t id) {
    uint32_t i = hash & (cap - 1);
    while (index[i]) i = (i + 1) & (cap - 1);
    index[i] = id + 1;
}

/* Makes room for one more id in an index kept at most half full; rehash
 * reads each id's hash through hash_of. */
static int index_grow(pm_heap *h, uint32_t **index, uint32_t *cap, uint32_t count,
                      uint32_t (*hash_of)(const pm_tracemalloc *, uint32_t)) {
    if ((count + 1) * 2 <= *cap) return 0;
    uint32_t ncap = *cap ? *cap * 2 : 64;
    uint32_t *ni = tm_alloc(h, (size_t)ncap * sizeof *ni);
    if (!ni) return -1;
    memset(ni, 0, (size_t)ncap * sizeof *ni);
    for (uint32_t id = 0; id < count; id++) index_put(ni, ncap, hash_of(h->tm, id), id);
    tm_release(h, *index);
    *index = ni;
    *cap = ncap;
    return 0;
}

/* ---- Filenames ---------------------------------------------------------------------- */

static uint32_t str_hash(const char *s) {
    uint32_t x = 2166136261u;                  /* FNV-1a */
    for (; *s; s++) x = (x ^ (uint8_t)*s) * 16777619u;
    return x;
}

static int same_fname(const pm_tracemalloc *tm, uint32_t id, const void *key) {
    return strcmp(tm->fnames[id], (const char *)key) == 0;
}

static uint32_t fname_hash_of(const pm_tracemalloc *tm, uint32_t id) { return str_hash(tm->fnames[id]); }

/* co_filename as UTF-8 in tm->sbuf ("<unknown>" when it is no str), read
 * character by character: nothing here may allocate through a domain. */
static const char *encode_filename(pm_heap *h, pm_object *s) {
    pm_tracemalloc *tm = h->tm;
    if (!s || !pm_unicode_check(h, s)) return UNKNOWN_FILENAME;
    int64_t n = pm_unicode_length(h, s);
    size_t need = (size_t)n * 4 + 1;
    if (need > tm->sbuf_cap) {
        char *nb = tm_alloc(h, need);
        if (!nb) return NULL;
        tm_release(h, tm->sbuf);
        tm->sbuf = nb;
        tm->sbuf_cap = need;
    }
    char *o = tm->sbuf;
    for (int64_t i = 0; i < n; i++) {
        uint32_t c = pm_unicode_read_char(h, s, i);
        if (c < 0x80) {
            *o++ = (char)c;
        } else if (c < 0x800) {
            *o++ = (char)(0xC0 | (c >> 6)); *o++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {      /* lone surrogates too (as surrogatepass would) */
            *o++ = (char)(0xE0 | (c >> 12)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (char)(0xF0 | (c >> 18)); *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *o = '\0';
    return tm->sbuf;
}

/* The id of filename s (interned), or UINT32_MAX when out of memory. */
static uint32_t filename_id(pm_heap *h, const char *s) {
    pm_tracemalloc *tm = h->tm;
    uint32_t hash = str_hash(s);
    uint32_t id = index_find(tm, tm->fn_index, tm->fn_index_cap, hash, s, same_fname);
    if (id != UINT32_MAX) return id;
    if (tm_reserve_vec(h, (void **)&tm->fnames, &tm->fnames_cap, tm->nfnames + 1, sizeof(char *)) < 0
        || index_grow(h, &tm->fn_index, &tm->fn_index_cap, tm->nfnames, fname_hash_of) < 0)
        return UINT32_MAX;
    size_t len = strlen(s);
    char *copy = tm_alloc(h, len + 1);
    if (!copy) return UINT32_MAX;
    memcpy(copy, s, len + 1);
    id = tm->nfnames++;
    tm->fnames[id] = copy;
    index_put(tm->fn_index, tm->fn_index_cap, hash, id);
    return id;
}

/* ---- Tracebacks ------------------------------------------------------------------- */

typedef struct tb_key {
    const tm_frame *frames;
    uint16_t nframe, total_nframe;
} tb_key;

static uint32_t tb_hash(const tm_frame *frames, uint16_t nframe, uint16_t total) {
    uint64_t x = ((uint64_t)nframe << 16) | total;
    for (uint16_t i = 0; i < nframe; i++)
        x = mix64(x ^ (((uint64_t)frames[i].filename << 32) | (uint32_t)frames[i].lineno));
    return (uint32_t)mix64(x);
}

static int same_tb(const pm_tracemalloc *tm, uint32_t id, const void *key) {
    const tm_traceback *t = tm->tbs[id];
    const tb_key *k = key;
    return t->nframe == k->nframe && t->total_nframe == k->total_nframe
        && memcmp(t->frames, k->frames, k->nframe * sizeof(tm_frame)) == 0;
}

static uint32_t tb_hash_of(const pm_tracemalloc *tm, uint32_t id) { return tm->tbs[id]->hash; }

/* traceback_new: the frames running now, interned. Returns the traceback
 * id, or UINT32_MAX when out of memory. */
static uint32_t traceback_now(pm_heap *h) {
    pm_tracemalloc *tm = h->tm;
    uint16_t n = 0, total = 0;
    pm_frame *f = (h->os && h->os->frames) ? pm_frame_current(h) : NULL;
    for (; f; f = f->previous) {                 /* traceback_get_frames */
        if (n < tm->max_nframe) {
            pm_code *code = (pm_code *)f->f_code;
            const char *name = encode_filename(h, code ? code->co_filename : NULL);
            uint32_t fid = name ? filename_id(h, name) : UINT32_MAX;
            if (fid == UINT32_MAX) return UINT32_MAX;
            tm->buf[n].filename = fid;
            tm->buf[n].lineno = f->lineno < 0 ? 0 : f->lineno;   /* tracemalloc_get_frame */
            n++;
        }
        if (total < UINT16_MAX) total++;
    }
    if (n == 0) {                                /* tracemalloc_empty_traceback */
        uint32_t fid = filename_id(h, UNKNOWN_FILENAME);
        if (fid == UINT32_MAX) return UINT32_MAX;
        tm->buf[0].filename = fid;
        tm->buf[0].lineno = 0;
        n = total = 1;
    }
    tb_key key = { tm->buf, n, total };
    uint32_t hash = tb_hash(tm->buf, n, total);
    uint32_t id = index_find(tm, tm->tb_index, tm->tb_index_cap, hash, &key, same_tb);
    if (id != UINT32_MAX) return id;
    if (tm_reserve_vec(h, (void **)&tm->tbs, &tm->tbs_cap, tm->ntbs + 1, sizeof(tm_traceback *)) < 0
        || index_grow(h, &tm->tb_index, &tm->tb_index_cap, tm->ntbs, tb_hash_of) < 0)
        return UINT32_MAX;
    tm_traceback *t = tm_alloc(h, sizeof *t + n * sizeof(tm_frame));
    if (!t) return UINT32_MAX;
    t->hash = hash;
    t->nframe = n;
    t->total_nframe = total;
    memcpy(t->frames, tm->buf, n * sizeof(tm_frame));
    id = tm->ntbs++;
    tm->tbs[id] = t;
    index_put(tm->tb_index, tm->tb_index_cap, hash, id);
    return id;
}

/* ---- Traces ----------------------------------------------------------------------- */

static size_t trace_slot(const pm_tracemalloc *tm, uint32_t domain, uintptr_t ptr) {
    return (size_t)mix64((uint64_t)ptr ^ ((uint64_t)domain << 48)) & (tm->traces_cap - 1);
}

static tm_trace *trace_find(const pm_tracemalloc *tm, uint32_t domain, uintptr_t ptr) {
    if (!tm || !tm->traces_cap) return NULL;
    for (size_t i = trace_slot(tm, domain, ptr);; i = (i + 1) & (tm->traces_cap - 1)) {
        tm_trace *e = &tm->traces[i];
        if (!e->tb1) return NULL;
        if (e->ptr == ptr && e->domain == domain) return e;
    }
}

/* Room for one more trace (the table stays at most half full). */
static int traces_reserve(pm_heap *h) {
    pm_tracemalloc *tm = h->tm;
    if ((tm->ntraces + 1) * 2 <= tm->traces_cap) return 0;
    size_t ncap = tm->traces_cap ? tm->traces_cap * 2 : 256;
    tm_trace *nt = tm_alloc(h, ncap * sizeof *nt);
    if (!nt) return -1;
    memset(nt, 0, ncap * sizeof *nt);
    tm_trace *old = tm->traces;
    size_t ocap = tm->traces_cap;
    tm->traces = nt;
    tm->traces_cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].tb1) continue;
        size_t j = trace_slot(tm, old[i].domain, old[i].ptr);
        while (nt[j].tb1) j = (j + 1) & (ncap - 1);
        nt[j] = old[i];
    }
    tm_release(h, old);
    return 0;
}

/* tracemalloc_add_trace: a new trace, or the existing one of (domain, ptr)
 * replaced. The caller reserved room. */
static void trace_put(pm_tracemalloc *tm, uint32_t domain, uintptr_t ptr, uint64_t size, uint32_t tb) {
    size_t i = trace_slot(tm, domain, ptr);
    for (; tm->traces[i].tb1; i = (i + 1) & (tm->traces_cap - 1)) {
        tm_trace *e = &tm->traces[i];
        if (e->ptr == ptr && e->domain == domain) {
            tm->traced -= e->size;
            break;
        }
    }
    tm_trace *e = &tm->traces[i];
    if (!e->tb1) tm->ntraces++;
    e->ptr = ptr;
    e->domain = domain;
    e->size = size;
    e->tb1 = tb + 1;
    tm->traced += size;
    if (tm->traced > tm->peak) tm->peak = tm->traced;
}

/* tracemalloc_remove_trace: no-op for an untraced block. */
static void trace_remove(pm_tracemalloc *tm, uint32_t domain, uintptr_t ptr) {
    tm_trace *e = trace_find(tm, domain, ptr);
    if (!e) return;
    tm->traced -= e->size;
    tm->ntraces--;
    size_t mask = tm->traces_cap - 1, i = (size_t)(e - tm->traces);
    /* backward-shift deletion keeps every probe chain unbroken */
    for (size_t j = (i + 1) & mask; tm->traces[j].tb1; j = (j + 1) & mask) {
        size_t home = trace_slot(tm, tm->traces[j].domain, tm->traces[j].ptr);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            tm->traces[i] = tm->traces[j];
            i = j;
        }
    }
    memset(&tm->traces[i], 0, sizeof tm->traces[i]);
}

/* ---- The hooks (tracemalloc_alloc / _realloc / _free) ------------------------------ */

/* The traceback and a trace slot for the allocation about to be made. */
static uint32_t prepare(pm_heap *h) {
    uint32_t tb = traceback_now(h);
    if (tb == UINT32_MAX || traces_reserve(h) < 0) {
        _pm_set_status(h, PM_ENOMEM, "tracemalloc: no memory to record a trace");
        return UINT32_MAX;
    }
    return tb;
}

static void *tm_malloc_hook(pm_heap *h, pm_domain d, size_t nelem, size_t elsize, int zero) {
    uint32_t tb = prepare(h);
    if (tb == UINT32_MAX) return NULL;
    void *p = zero ? _pm_calloc_untraced(h, d, nelem, elsize) : _pm_malloc_untraced(h, d, nelem);
    if (p) trace_put(h->tm, PM_TM_DEFAULT_DOMAIN, (uintptr_t)p, (uint64_t)nelem * elsize, tb);
    return p;
}

static void *tm_realloc_hook(pm_heap *h, pm_domain d, void *p, size_t n) {
    uint32_t tb = prepare(h);
    if (tb == UINT32_MAX) return NULL;
    void *q = _pm_realloc_untraced(h, d, p, n);
    if (!q) return NULL;
    if (p && q != p) trace_remove(h->tm, PM_TM_DEFAULT_DOMAIN, (uintptr_t)p);
    trace_put(h->tm, PM_TM_DEFAULT_DOMAIN, (uintptr_t)q, n, tb);
    return q;
}

static void tm_free_hook(pm_heap *h, pm_domain d, void *p) {
    if (!p) return;
    _pm_free_untraced(h, d, p);
    trace_remove(h->tm, PM_TM_DEFAULT_DOMAIN, (uintptr_t)p);
}

/* What h->tracing points at while tracing. */
static const pm_tm_hooks TM_HOOKS = { tm_malloc_hook, tm_realloc_hook, tm_free_hook };

void _pm_tm_new_reference(pm_heap *h, pm_object *o) {
    uintptr_t block = (uintptr_t)o - pm_type_preheader(PM_TYPE(o));
    tm_trace *e = trace_find(h->tm, PM_TM_DEFAULT_DOMAIN, block);
    if (!e) return;                  /* else: its size is unknown, nothing to record */
    uint32_t tb = traceback_now(h);  /* interning never moves the traces table */
    if (tb != UINT32_MAX) e->tb1 = tb + 1;
}

/* ---- Start, stop, clear ------------------------------------------------------------ */

/* tracemalloc_clear_traces: every table emptied and released. */
static void clear_all(pm_heap *h) {
    pm_tracemalloc *tm = h->tm;
    if (!tm) return;
    tm_release(h, tm->traces);
    for (uint32_t i = 0; i < tm->ntbs; i++) tm_release(h, tm->tbs[i]);
    tm_release(h, tm->tbs);
    tm_release(h, tm->tb_index);
    for (uint32_t i = 0; i < tm->nfnames; i++) tm_release(h, tm->fnames[i]);
    tm_release(h, tm->fnames);
    tm_release(h, tm->fn_index);
    tm_release(h, tm->blob);
    tm->traces = NULL; tm->traces_cap = tm->ntraces = 0;
    tm->tbs = NULL; tm->ntbs = tm->tbs_cap = 0;
    tm->tb_index = NULL; tm->tb_index_cap = 0;
    tm->fnames = NULL; tm->nfnames = tm->fnames_cap = 0;
    tm->fn_index = NULL; tm->fn_index_cap = 0;
    tm->blob = NULL;
    tm->traced = tm->peak = 0;
}

/* The state, made on first use (kept until the heap is freed). */
static pm_tracemalloc *tm_state(pm_heap *h) {
    if (!h->tm) {
        pm_tracemalloc *tm = _pm_raw_malloc(h, sizeof *tm);
        if (!tm) return NULL;
        memset(tm, 0, sizeof *tm);
        tm->max_nframe = 1;
        tm->mem = sizeof *tm;
        h->tm = tm;
    }
    return h->tm;
}

int pm_tracemalloc_start(pm_heap *h, int32_t nframe) {
    if (nframe < 1 || (uint32_t)nframe > PM_TM_MAX_NFRAME) {
        pm_err_set(h, PM_EXC_ValueError, "the number of frames must be in range [1; %u]", PM_TM_MAX_NFRAME);
        return -1;
    }
    if (!tm_state(h)) { pm_err_nomem(h); return -1; }
    if (h->tracing) return 0;
    tm_frame *buf = tm_alloc(h, (size_t)nframe * sizeof(tm_frame));
    if (!buf) { pm_err_nomem(h); return -1; }
    h->tm->buf = buf;
    h->tm->max_nframe = nframe;
    h->tracing = &TM_HOOKS;
    return 0;
}

void pm_tracemalloc_stop(pm_heap *h) {
    if (!h->tracing) return;
    h->tracing = NULL;
    clear_all(h);
    tm_release(h, h->tm->buf);
    tm_release(h, h->tm->sbuf);
    h->tm->buf = NULL;
    h->tm->sbuf = NULL;
    h->tm->sbuf_cap = 0;
}

void _pm_tm_fini(pm_heap *h) {
    if (!h->tm) return;
    pm_tracemalloc_stop(h);
    _pm_raw_free(h, h->tm);
    h->tm = NULL;
}

int pm_tracemalloc_is_tracing(const pm_heap *h) { return h->tracing != NULL; }

void pm_tracemalloc_clear_traces(pm_heap *h) {
    if (h->tracing) clear_all(h);
}

void pm_tracemalloc_get_traced_memory(const pm_heap *h, uint64_t *current, uint64_t *peak) {
    *current = h->tracing ? h->tm->traced : 0;
    *peak = h->tracing ? h->tm->peak : 0;
}

void pm_tracemalloc_reset_peak(pm_heap *h) {
    if (h->tracing) h->tm->peak = h->tm->traced;
}

int32_t pm_tracemalloc_traceback_limit(const pm_heap *h) { return h->tm ? h->tm->max_nframe : 1; }

uint64_t pm_tracemalloc_memory(const pm_heap *h) { return h->tm ? h->tm->mem : 0; }

/* ---- Explicit traces (PyTraceMalloc_Track / Untrack) ------------------------------- */

int pm_tracemalloc_track(pm_heap *h, uint32_t domain, uintptr_t ptr, uint64_t size) {
    if (!h->tracing) return -2;
    uint32_t tb = prepare(h);
    if (tb == UINT32_MAX) { pm_err_nomem(h); return -1; }
    trace_put(h->tm, domain, ptr, size, tb);
    return 0;
}

int pm_tracemalloc_untrack(pm_heap *h, uint32_t domain, uintptr_t ptr) {
    if (!h->tracing) return -2;
    trace_remove(h->tm, domain, ptr);
    return 0;
}

/* ---- Reading ------------------------------------------------------------------------- */

int64_t pm_tracemalloc_get_trace(const pm_heap *h, uint32_t domain, uintptr_t ptr, uint64_t *size) {
    if (!h->tracing) return -1;
    const tm_trace *e = trace_find(h->tm, domain, ptr);
    if (!e) return -1;
    if (size) *size = e->size;
    return (int64_t)e->tb1 - 1;
}

int64_t pm_tracemalloc_object_traceback(const pm_heap *h, pm_object *o) {
    return pm_tracemalloc_get_trace(h, PM_TM_DEFAULT_DOMAIN, (uintptr_t)o - pm_type_preheader(PM_TYPE(o)), NULL);
}

uint64_t pm_tracemalloc_ntraces(const pm_heap *h) { return h->tm ? h->tm->ntraces : 0; }
uint32_t pm_tracemalloc_ntracebacks(const pm_heap *h) { return h->tm ? h->tm->ntbs : 0; }

int pm_tracemalloc_traceback(const pm_heap *h, uint32_t id, uint32_t *nframe, uint32_t *total_nframe) {
    if (!h->tm || id >= h->tm->ntbs) return -1;
    *nframe = h->tm->tbs[id]->nframe;
    *total_nframe = h->tm->tbs[id]->total_nframe;
    return 0;
}

const char *pm_tracemalloc_frame(const pm_heap *h, uint32_t id, uint32_t i, int32_t *lineno) {
    if (!h->tm || id >= h->tm->ntbs || i >= h->tm->tbs[id]->nframe) return NULL;
    const tm_frame *f = &h->tm->tbs[id]->frames[i];
    *lineno = f->lineno;
    return h->tm->fnames[f->filename];
}

static void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }   /* wasm and x86: little-endian */

const uint8_t *pm_tracemalloc_export(pm_heap *h, size_t *len) {
    pm_tracemalloc *tm = tm_state(h);
    if (!tm) {
        _pm_set_status(h, PM_ENOMEM, "tracemalloc: no memory for its state");
        return NULL;
    }
    tm_release(h, tm->blob);
    tm->blob = NULL;
    size_t ntr = h->tracing ? tm->ntraces : 0;
    size_t size = 32 + ntr * 16 + (size_t)tm->ntbs * 4 + (size_t)tm->nfnames * 4;
    size_t tbs_bytes = 0, fn_bytes = 0;
    for (uint32_t i = 0; i < tm->ntbs; i++) tbs_bytes += 8 + 8 * (size_t)tm->tbs[i]->nframe;
    for (uint32_t i = 0; i < tm->nfnames; i++) fn_bytes += strlen(tm->fnames[i]) + 1;
    size += tbs_bytes + fn_bytes;
    uint8_t *b = tm_alloc(h, size);
    if (!b) {
        _pm_set_status(h, PM_ENOMEM, "tracemalloc: no memory for a snapshot of %zu bytes", size);
        return NULL;
    }
    size_t traces_off = 32, tbs_off = traces_off + ntr * 16, fn_off = tbs_off + (size_t)tm->ntbs * 4;
    size_t at = fn_off + (size_t)tm->nfnames * 4;
    uint32_t head[8] = { (uint32_t)ntr, tm->ntbs, tm->nfnames, (uint32_t)tm->max_nframe,
                         (uint32_t)traces_off, (uint32_t)tbs_off, (uint32_t)fn_off, (uint32_t)size };
    for (int i = 0; i < 8; i++) put32(b, 4 * (size_t)i, head[i]);
    size_t k = traces_off;
    for (size_t i = 0; ntr && i < tm->traces_cap; i++) {
        const tm_trace *e = &tm->traces[i];
        if (!e->tb1) continue;
        put32(b, k, e->domain);
        put32(b, k + 4, e->tb1 - 1);
        put32(b, k + 8, (uint32_t)e->size);
        put32(b, k + 12, (uint32_t)(e->size >> 32));
        k += 16;
    }
    for (uint32_t i = 0; i < tm->ntbs; i++) {
        const tm_traceback *t = tm->tbs[i];
        put32(b, tbs_off + 4 * (size_t)i, (uint32_t)at);
        put32(b, at, t->nframe);
        put32(b, at + 4, t->total_nframe);
        at += 8;
        for (uint16_t j = 0; j < t->nframe; j++, at += 8) {
            put32(b, at, t->frames[j].filename);
            put32(b, at + 4, (uint32_t)t->frames[j].lineno);
        }
    }
    for (uint32_t i = 0; i < tm->nfnames; i++) {
        size_t l = strlen(tm->fnames[i]) + 1;
        put32(b, fn_off + 4 * (size_t)i, (uint32_t)at);
        memcpy(b + at, tm->fnames[i], l);
        at += l;
    }
    tm->blob = b;
    if (len) *len = size;
    return b;
}
