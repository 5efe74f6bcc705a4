/* api.c — the wasm boundary: the only file whose functions are exported.
 *
 * JavaScript calls pmw_* functions with plain numbers (pointers are u32
 * offsets into linear memory). Every function here validates the heap handle
 * against the registry of live heaps before touching it, and every pointer
 * handed in goes through the core's checked entry points, so a stale, foreign
 * or double-freed pointer comes back as a status code, never as corruption.
 *
 * Process-level state. The core itself has no mutable globals (each heap
 * owns its state). The wasm instance, however, has one address space, like a
 * process: this file keeps (1) the page source over linear memory that all
 * heaps in the instance share, exactly as every heap in a process shares
 * mmap, and (2) the registry of live heap handles used for validation. Both
 * are statics of this glue file only.
 *
 * Bulk results (stats, arena/pool info, report text) are written to a
 * transfer buffer inside the heap's own scratch area and their address is
 * returned; JS decodes them with the layouts documented in web/lib/raw.js.
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "api.h"

#define PMW_VERSION 7u          /* bump when the export list or a layout changes */
#define PMW_MAX_HEAPS 256

static pm_pagesource *g_pages;  /* shared page source over linear memory */
static pm_heap *g_heaps[PMW_MAX_HEAPS];

static int heap_index(const pm_heap *h) {
    if (!h) return -1;
    for (int i = 0; i < PMW_MAX_HEAPS; i++)
        if (g_heaps[i] == h) return i;
    return -1;
}

/* Returns the heap if live, else NULL (shared with the other glue files
 * through api.h). */
pm_heap *pmw_live_heap(uint32_t hp) {
    pm_heap *h = (pm_heap *)(uintptr_t)hp;
    return heap_index(h) >= 0 ? h : NULL;
}

EXPORT uint32_t pmw_version(void) { return PMW_VERSION; }

/* ---- Host calls (ARCHITECTURE decision 5) ------------------------------------
 * Python code runs in JavaScript: the core's host hooks call these
 * imports, which web/lib/load.js provides and routes to the Heap object that
 * owns the heap handle. They run synchronously; JavaScript may call back
 * into the exports (allocate, release, collect) before returning. */
__attribute__((import_module("pyheap"), import_name("finalize")))
extern void pmw_import_finalize(uint32_t heap, uint32_t obj);
__attribute__((import_module("pyheap"), import_name("call")))
extern void pmw_import_call(uint32_t heap, uint32_t callable, uint32_t args);

/* hooks.slot: the result object, 0 when the Python code raised (JS keeps
 * the exception) or 1 when the heap's owner runs no Python code. */
__attribute__((import_module("pyheap"), import_name("slot")))
extern uint32_t pmw_import_slot(uint32_t heap, int32_t slot, uint32_t a, uint32_t b);

static pm_object *host_slot(pm_heap *h, int slot, pm_object *a, pm_object *b, void *ctx) {
    (void)ctx;
    uint32_t r = pmw_import_slot((uint32_t)(uintptr_t)h, slot, (uint32_t)(uintptr_t)a, (uint32_t)(uintptr_t)b);
    if (r == 1) {
        pm_err_set(h, PM_EXC_TypeError, "pyheap: this heap's host runs no Python code, so '%s' instances "
                   "cannot be hashed or compared by their class's methods", PM_TYPE(a)->tp_name);
        return NULL;
    }
    return (pm_object *)(uintptr_t)r;
}

static void host_finalize(pm_heap *h, pm_object *o, void *ctx) {
    (void)ctx;
    pmw_import_finalize((uint32_t)(uintptr_t)h, (uint32_t)(uintptr_t)o);
}
static void host_call(pm_heap *h, pm_object *callable, pm_object *args, void *ctx) {
    (void)ctx;
    pmw_import_call((uint32_t)(uintptr_t)h, (uint32_t)(uintptr_t)callable, (uint32_t)(uintptr_t)args);
}

/* New heap with a byte limit (0 = none). Returns the handle or 0; on 0,
 * pmw_new_status() tells why. */
static int32_t g_new_status;
EXPORT int32_t pmw_new_status(void) { return g_new_status; }

EXPORT uint32_t pmw_heap_new(uint32_t limit, int32_t debug_checks) {
    int slot = heap_index(NULL);
    for (slot = 0; slot < PMW_MAX_HEAPS && g_heaps[slot]; slot++) {}
    if (slot == PMW_MAX_HEAPS) { g_new_status = PM_EBUSY; return 0; }
    if (!g_pages) {
        g_pages = pm_pagesource_default(0);
        if (!g_pages) { g_new_status = PM_ENOMEM; return 0; }
    }
    pm_heap_config cfg = { g_pages, limit, debug_checks };
    pm_heap *h = pm_heap_new(&cfg);
    if (!h) { g_new_status = PM_ENOMEM; return 0; }
    g_heaps[slot] = h;
    pm_host_hooks hooks = { host_finalize, host_call, NULL, host_slot };
    pm_set_host_hooks(h, &hooks);
    g_new_status = PM_OK;
    return (uint32_t)(uintptr_t)h;
}

EXPORT int32_t pmw_heap_free(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return PM_EDEAD;
    g_heaps[heap_index(h)] = NULL;
    pm_heap_free(h);
    return PM_OK;
}

EXPORT int32_t pmw_heap_alive(uint32_t hp) { return pmw_live_heap(hp) != NULL; }

EXPORT int32_t pmw_last_status(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? pm_heap_last_status(h) : PM_EDEAD;
}

EXPORT uint32_t pmw_error(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (uint32_t)(uintptr_t)pm_heap_error(h) : 0;
}

static int valid_domain(int32_t d) { return d >= PM_DOMAIN_RAW && d <= PM_DOMAIN_OBJ; }

EXPORT uint32_t pmw_malloc(uint32_t hp, int32_t d, uint32_t n) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    if (!valid_domain(d)) { _pm_set_status(h, PM_EINVAL, "unknown allocator domain %d", (int)d); return 0; }
    void *p = pm_malloc(h, (pm_domain)d, n);
    if (p) _pm_set_status(h, PM_OK, NULL);
    _pm_debug_check(h);
    return (uint32_t)(uintptr_t)p;
}

EXPORT uint32_t pmw_calloc(uint32_t hp, int32_t d, uint32_t nelem, uint32_t elsize) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    if (!valid_domain(d)) { _pm_set_status(h, PM_EINVAL, "unknown allocator domain %d", (int)d); return 0; }
    void *p = pm_calloc(h, (pm_domain)d, nelem, elsize);
    if (p) _pm_set_status(h, PM_OK, NULL);
    _pm_debug_check(h);
    return (uint32_t)(uintptr_t)p;
}

EXPORT uint32_t pmw_realloc(uint32_t hp, int32_t d, uint32_t p, uint32_t n) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    if (!valid_domain(d)) { _pm_set_status(h, PM_EINVAL, "unknown allocator domain %d", (int)d); return 0; }
    void *q = pm_realloc_checked(h, (pm_domain)d, (void *)(uintptr_t)p, n);
    _pm_debug_check(h);
    return (uint32_t)(uintptr_t)q;
}

EXPORT int32_t pmw_free(uint32_t hp, int32_t d, uint32_t p) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return PM_EDEAD;
    if (!valid_domain(d)) { _pm_set_status(h, PM_EINVAL, "unknown allocator domain %d", (int)d); return PM_EINVAL; }
    int32_t st = pm_free_checked(h, (pm_domain)d, (void *)(uintptr_t)p);
    _pm_debug_check(h);
    return st;
}

EXPORT int32_t pmw_ptr_classify(uint32_t hp, uint32_t p) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (int32_t)pm_ptr_classify(h, (void *)(uintptr_t)p) : PM_EDEAD;
}

EXPORT uint32_t pmw_block_size(uint32_t hp, uint32_t p) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (uint32_t)pm_block_size(h, (void *)(uintptr_t)p) : 0;
}

EXPORT int32_t pmw_check(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? pm_heap_check(h) : PM_EDEAD;
}

EXPORT uint32_t pmw_limit(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (uint32_t)pm_heap_limit(h) : 0;
}

EXPORT int32_t pmw_set_limit(uint32_t hp, uint32_t limit) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? pm_heap_set_limit(h, limit) : PM_EDEAD;
}

EXPORT uint32_t pmw_footprint(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (uint32_t)pm_heap_footprint(h) : 0;
}

/* Fills the heap's transfer buffer with a pm_heap_stats and returns its
 * address (0 if the heap is not live). */
EXPORT uint32_t pmw_stats(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    pm_heap_stats *s = (pm_heap_stats *)_pm_scratch(h, sizeof *s);
    pm_heap_stats_get(h, s);
    return (uint32_t)(uintptr_t)s;
}

EXPORT uint32_t pmw_arena_slots(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? pm_arena_slots(h) : 0;
}

EXPORT uint32_t pmw_arena_info(uint32_t hp, uint32_t index) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    pm_arena_info *a = (pm_arena_info *)_pm_scratch(h, sizeof *a);
    return pm_arena_info_get(h, index, a) == PM_OK ? (uint32_t)(uintptr_t)a : 0;
}

EXPORT uint32_t pmw_pool_info(uint32_t hp, uint32_t arena, uint32_t k) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    pm_pool_info *p = (pm_pool_info *)_pm_scratch(h, sizeof *p);
    return pm_pool_info_get(h, arena, k, p) == PM_OK ? (uint32_t)(uintptr_t)p : 0;
}

/* The lowest address of the wasm stack (it grows down to here from where emscripten's stack
 * pointer stands while no wasm frame is active). The bytes between this and the stack pointer of
 * a moment hold nothing live then: the playground leaves them out when it saves linear memory
 * around a capture. 0 where unknown. */
extern unsigned char __data_end;
EXPORT uint32_t pmw_stack_low(void) { return (uint32_t)(uintptr_t)&__data_end; }

/* Writes the _debugmallocstats report into the transfer buffer and returns
 * its address; the text is NUL-terminated, its length is pmw_text_len(). */
static uint32_t g_text_len;
EXPORT uint32_t pmw_text_len(void) { return g_text_len; }

EXPORT uint32_t pmw_debugmallocstats(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h) return 0;
    size_t need = pm_debugmallocstats(h, NULL, 0);
    char *buf = (char *)_pm_scratch(h, need + 1);
    if (!buf) return 0;
    pm_debugmallocstats(h, buf, need + 1);
    g_text_len = (uint32_t)need;
    return (uint32_t)(uintptr_t)buf;
}
