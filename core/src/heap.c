/* heap.c — creates and frees a pm_heap; owns status, limits, the page-source
 * accounting, the transfer buffer and the fatal path.
 *
 * The heap struct and its arena map live in one block taken from the page
 * source (not counted against the limit: the limit is about what the
 * program allocates, arenas and raw segments).
 */
#include "object.h"
#include <stdarg.h>

/* ---- Formatting (no stdio in the core) -------------------------------- */

static size_t put_uint(char *tmp, unsigned long long v, unsigned base, int commas) {
    char rev[40];
    size_t n = 0, digits = 0;
    do {
        if (commas && digits && digits % 3 == 0) rev[n++] = ',';
        rev[n++] = "0123456789abcdef"[v % base];
        v /= base;
        digits++;
    } while (v);
    for (size_t i = 0; i < n; i++) tmp[i] = rev[n - 1 - i];
    return n;
}

/* Supports %% %c %s %d %i %u %x %p with optional '-' flag, ''' flag
 * (thousands separators), width, and the l, ll, z length modifiers. */
static int vformat(char *buf, size_t cap, const char *fmt, va_list ap) {
    size_t out = 0;
#define EMIT(ch) do { if (out + 1 < cap) buf[out] = (ch); out++; } while (0)
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') { EMIT(*f); continue; }
        f++;
        int left = 0, commas = 0;
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '\'') commas = 1;
            else break;
        }
        size_t width = 0;
        while (*f >= '0' && *f <= '9') width = width * 10 + (size_t)(*f++ - '0');
        int lng = 0;
        while (*f == 'l' || *f == 'z') { lng = (*f == 'z') ? 3 : lng + 1; f++; }
        char tmp[48];
        const char *s = tmp;
        size_t len = 0;
        switch (*f) {
        case '%': tmp[0] = '%'; len = 1; break;
        case 'c': tmp[0] = (char)va_arg(ap, int); len = 1; break;
        case 's': s = va_arg(ap, const char *); if (!s) s = "(null)"; len = strlen(s); break;
        case 'd': case 'i': {
            long long v = lng == 0 ? va_arg(ap, int) : lng == 1 ? va_arg(ap, long)
                        : lng == 3 ? (long long)va_arg(ap, ptrdiff_t) : va_arg(ap, long long);
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            if (v < 0) tmp[len++] = '-';
            len += put_uint(tmp + len, mag, 10, commas);
            break;
        }
        case 'u': case 'x': {
            unsigned long long v = lng == 0 ? va_arg(ap, unsigned) : lng == 1 ? va_arg(ap, unsigned long)
                                 : lng == 3 ? (unsigned long long)va_arg(ap, size_t) : va_arg(ap, unsigned long long);
            len = put_uint(tmp, v, *f == 'x' ? 16 : 10, commas);
            break;
        }
        case 'p': {
            tmp[0] = '0'; tmp[1] = 'x';
            len = 2 + put_uint(tmp + 2, (uintptr_t)va_arg(ap, void *), 16, 0);
            break;
        }
        default: tmp[0] = '%'; tmp[1] = *f; len = 2; if (!*f) f--; break;
        }
        size_t pad = width > len ? width - len : 0;
        if (!left) while (pad--) EMIT(' ');
        for (size_t i = 0; i < len; i++) EMIT(s[i]);
        if (left) while (pad--) EMIT(' ');
    }
    if (cap) buf[out < cap ? out : cap - 1] = '\0';
#undef EMIT
    return (int)out;
}

int _pm_vformat(char *buf, size_t cap, const char *fmt, va_list ap) { return vformat(buf, cap, fmt, ap); }

int _pm_format(char *buf, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- Status ------------------------------------------------------------ */

void _pm_set_status(pm_heap *h, pm_status st, const char *fmt, ...) {
    h->last_status = st;
    if (!fmt) { h->errbuf[0] = '\0'; return; }
    va_list ap;
    va_start(ap, fmt);
    vformat(h->errbuf, sizeof h->errbuf, fmt, ap);
    va_end(ap);
}

pm_status pm_heap_last_status(const pm_heap *h) { return h->last_status; }
const char *pm_heap_error(const pm_heap *h) { return h->errbuf; }

_Noreturn void _pm_fatal(pm_heap *h, const char *msg) {
    if (h) {
        h->last_status = PM_ECORRUPT;
        if (msg != h->errbuf) _pm_format(h->errbuf, sizeof h->errbuf, "%s", msg);
    }
    __builtin_trap();
}

void _pm_debug_check(pm_heap *h) {
    if (h->debug_checks && pm_heap_check(h) != PM_OK) _pm_fatal(h, h->errbuf);
}

/* ---- Page-source accounting ---------------------------------------------- */

void *_pm_pages_get(pm_heap *h, size_t size) {
    if (h->limit && (size > h->limit || h->footprint > h->limit - size)) {
        _pm_set_status(h, PM_ENOMEM, "heap limit of %zu bytes reached (%zu held, %zu more needed)",
                       h->limit, h->footprint, size);
        return NULL;
    }
    void *p = h->pages->alloc(h->pages->ctx, size);
    if (!p) {
        _pm_set_status(h, PM_ENOMEM, "page source refused %zu bytes", size);
        return NULL;
    }
    h->footprint += size;
    return p;
}

void _pm_pages_put(pm_heap *h, void *p, size_t size) {
    h->footprint -= size;
    h->pages->release(h->pages->ctx, p, size);
}

size_t pm_heap_limit(const pm_heap *h) { return h->limit; }
size_t pm_heap_footprint(const pm_heap *h) { return h->footprint; }

pm_status pm_heap_set_limit(pm_heap *h, size_t limit) {
    if (limit && limit < h->footprint) {
        _pm_set_status(h, PM_EINVAL, "limit %zu is below the %zu bytes the heap holds", limit, h->footprint);
        return PM_EINVAL;
    }
    h->limit = limit;
    return PM_OK;
}

/* ---- Transfer buffer ------------------------------------------------------ */

void *_pm_scratch(pm_heap *h, size_t n) {
    return n <= PM_SCRATCH_BYTES ? h->scratch : NULL;
}

/* ---- Lifecycle ------------------------------------------------------------- */

static size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

pm_heap *pm_heap_new(const pm_heap_config *cfg) {
    pm_heap_config dflt = { NULL, 0, 0 };
    if (!cfg) cfg = &dflt;
    pm_pagesource *ps = cfg->pages, *owned = NULL;
    if (!ps) {
        ps = owned = pm_pagesource_default(0);
        if (!ps) return NULL;
    }
    size_t span = ps->hi - ps->lo;
    size_t nleaves = (span >> ARENA_BITS) + 2;
    size_t need = round_up(sizeof(pm_heap), 16) + nleaves * sizeof(arena_leaf) + PM_SCRATCH_BYTES + PM_STATIC_BYTES;
    size_t self = round_up(need, PM_PAGE_GRAIN);
    pm_heap *h = ps->alloc(ps->ctx, self);
    if (!h) {
        if (owned) pm_pagesource_destroy(owned);
        return NULL;
    }
    memset(h, 0, need);
    h->magic = PM_HEAP_MAGIC;
    h->pages = ps;
    h->owned_pages = owned;
    h->self_size = self;
    h->limit = cfg->limit;
    h->debug_checks = cfg->debug_checks;
    h->map_lo = ps->lo & ~(uintptr_t)(ARENA_SIZE - 1);
    h->map_nleaves = nleaves;
    h->map = (arena_leaf *)((char *)h + round_up(sizeof(pm_heap), 16));
    h->scratch = (uint8_t *)(h->map + nleaves);
    h->statics = (uint8_t *)round_up((uintptr_t)(h->scratch + PM_SCRATCH_BYTES), 16);
    _pm_raw_init(h);
    _pm_obmalloc_init(h);
    if (_pm_objects_init(h) != PM_OK) {
        pm_heap_free(h);
        return NULL;
    }
    return h;
}

void pm_heap_free(pm_heap *h) {
    if (!h || h->magic != PM_HEAP_MAGIC) return;
    _pm_tm_fini(h);           /* tracemalloc off first: the teardown frees blocks */
    _pm_objects_fini(h);
    _pm_obmalloc_fini(h);
    _pm_raw_fini(h);
    pm_pagesource *ps = h->pages, *owned = h->owned_pages;
    size_t self = h->self_size;
    h->magic = 0;
    ps->release(ps->ctx, h, self);
    if (owned) pm_pagesource_destroy(owned);
}

int pm_heap_alive(const pm_heap *h) { return h && h->magic == PM_HEAP_MAGIC; }
