/* stats.c — allocator statistics, arena/pool views for the visualizer, and
 * the text of CPython 3.12's sys._debugmallocstats() (reference §1.12).
 *
 * Everything here reads the heap and changes nothing.
 */
#include "internal.h"

/* ---- Structured statistics ---------------------------------------------- */

void pm_heap_stats_get(const pm_heap *h, pm_heap_stats *s) {
    memset(s, 0, sizeof *s);
    for (int i = 0; i < NB_SMALL_SIZE_CLASSES; i++) s->classes[i].size = INDEX2SIZE(i);
    for (uint32_t i = 0; i < h->maxarenas; i++) {
        const arena_object *ao = &h->arenas[i];
        if (!ao->address) continue;
        s->unused_pools += ao->nfreepools;
        if (ao->address & POOL_SIZE_MASK) s->bytes_lost_to_arena_alignment += POOL_SIZE;
        for (uintptr_t base = ao->first_pool; base < (uintptr_t)ao->pool_address; base += POOL_SIZE) {
            const pool_header *p = (const pool_header *)base;
            if (p->szidx == DUMMY_SIZE_IDX) continue;
            pm_class_stats *c = &s->classes[p->szidx];
            if (p->count == 0) { c->pools_empty++; continue; }
            c->num_pools++;
            c->blocks_in_use += p->count;
            c->avail_blocks += NUMBLOCKS(p->szidx) - p->count;
            if (p->count == NUMBLOCKS(p->szidx)) c->pools_full++; else c->pools_used++;
        }
    }
    for (int i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
        const pm_class_stats *c = &s->classes[i];
        s->bytes_in_allocated_blocks += (uint64_t)c->blocks_in_use * c->size;
        s->bytes_in_available_blocks += (uint64_t)c->avail_blocks * c->size;
        s->bytes_lost_to_pool_headers += (uint64_t)c->num_pools * POOL_OVERHEAD;
        s->bytes_lost_to_quantization += (uint64_t)c->num_pools * ((POOL_SIZE - POOL_OVERHEAD) % c->size);
    }
    s->ntimes_arena_allocated = h->ntimes_arena_allocated;
    s->narenas_currently_allocated = h->narenas_currently_allocated;
    s->narenas_highwater = h->narenas_highwater;
    s->raw_allocated_blocks = h->raw_allocated_blocks;
    s->raw_blocks = h->raw.nblocks;
    s->raw_bytes_requested = h->raw.bytes_requested;
    s->footprint = h->footprint;
    s->arena_map_mid_nodes = h->nbot_nodes ? 1 : 0;
    s->arena_map_bot_nodes = h->nbot_nodes;
}

/* ---- Arena and pool views ----------------------------------------------- */

uint32_t pm_arena_slots(const pm_heap *h) { return h->maxarenas; }

pm_status pm_arena_info_get(const pm_heap *h, uint32_t index, pm_arena_info *out) {
    if (index >= h->maxarenas) return PM_EINVAL;
    const arena_object *ao = &h->arenas[index];
    memset(out, 0, sizeof *out);
    out->usable_rank = UINT32_MAX;
    if (!ao->address) return PM_OK;
    out->address = ao->address;
    out->first_pool = ao->first_pool;
    out->nfreepools = ao->nfreepools;
    out->ntotalpools = ao->ntotalpools;
    out->ncarved = (uint32_t)(((uintptr_t)ao->pool_address - ao->first_pool) >> POOL_BITS);
    uint32_t rank = 0;
    for (const arena_object *a = h->usable_arenas; a; a = a->nextarena, rank++)
        if (a == ao) { out->usable_rank = rank; break; }
    return PM_OK;
}

pm_status pm_pool_info_get(const pm_heap *h, uint32_t arena, uint32_t k, pm_pool_info *out) {
    if (arena >= h->maxarenas) return PM_EINVAL;
    const arena_object *ao = &h->arenas[arena];
    if (!ao->address || k >= ao->ntotalpools) return PM_EINVAL;
    uintptr_t base = ao->first_pool + (uintptr_t)k * POOL_SIZE;
    memset(out, 0, sizeof *out);
    out->address = base;
    out->szidx = DUMMY_SIZE_IDX;
    if (base >= (uintptr_t)ao->pool_address) return PM_OK;      /* never carved */
    const pool_header *p = (const pool_header *)base;
    out->szidx = p->szidx;
    out->count = p->count;
    if (p->szidx != DUMMY_SIZE_IDX) out->capacity = NUMBLOCKS(p->szidx);
    out->state = p->count == 0 ? 1 : p->count == out->capacity ? 3 : 2;
    return PM_OK;
}

/* ---- The _debugmallocstats report ---------------------------------------- */

typedef struct text { char *buf; size_t cap, len; } text;

static void emit(text *t, const char *s) {
    for (; *s; s++, t->len++)
        if (t->len + 1 < t->cap) t->buf[t->len] = *s;
}

/* CPython's printone(): the label padded with spaces to column 35, '=',
 * then the value with thousands separators right-justified in 21 columns. */
static void printone(text *t, const char *label, uint64_t value) {
    char line[128];
    _pm_format(line, sizeof line, "%-35s=%'21llu\n", label, (unsigned long long)value);
    emit(t, line);
}

static void print_freelist(text *t, uint64_t count, const char *what, uint64_t objsize) {
    char msg[96], line[160];
    _pm_format(msg, sizeof msg, "%llu free %ss * %llu bytes each",
               (unsigned long long)count, what, (unsigned long long)objsize);
    _pm_format(line, sizeof line, "%48s =%'21llu\n", msg, (unsigned long long)(count * objsize));
    emit(t, line);
}

size_t pm_debugmallocstats(const pm_heap *h, char *buf, size_t cap) {
    text t = { buf, cap, 0 };
    pm_heap_stats s;
    pm_heap_stats_get(h, &s);
    char line[160];

    _pm_format(line, sizeof line, "Small block threshold = %d, in %u size classes.\n\n",
               SMALL_REQUEST_THRESHOLD, (unsigned)NB_SMALL_SIZE_CLASSES);
    emit(&t, line);
    emit(&t, "class   size   num pools   blocks in use  avail blocks\n"
             "-----   ----   ---------   -------------  ------------\n");
    for (unsigned i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
        const pm_class_stats *c = &s.classes[i];
        if (!c->num_pools) continue;
        _pm_format(line, sizeof line, "%5u %6u %11u %15u %13u\n",
                   i, c->size, c->num_pools, c->blocks_in_use, c->avail_blocks);
        emit(&t, line);
    }
    emit(&t, "\n");
    printone(&t, "# arenas allocated total", s.ntimes_arena_allocated);
    printone(&t, "# arenas reclaimed", s.ntimes_arena_allocated - s.narenas_currently_allocated);
    printone(&t, "# arenas highwater mark", s.narenas_highwater);
    printone(&t, "# arenas allocated current", s.narenas_currently_allocated);
    _pm_format(line, sizeof line, "%llu arenas * %u bytes/arena",
               (unsigned long long)s.narenas_currently_allocated, (unsigned)ARENA_SIZE);
    printone(&t, line, s.narenas_currently_allocated * ARENA_SIZE);
    emit(&t, "\n");
    printone(&t, "# bytes in allocated blocks", s.bytes_in_allocated_blocks);
    printone(&t, "# bytes in available blocks", s.bytes_in_available_blocks);
    _pm_format(line, sizeof line, "%llu unused pools * %u bytes", (unsigned long long)s.unused_pools, (unsigned)POOL_SIZE);
    printone(&t, line, s.unused_pools * POOL_SIZE);
    printone(&t, "# bytes lost to pool headers", s.bytes_lost_to_pool_headers);
    printone(&t, "# bytes lost to quantization", s.bytes_lost_to_quantization);
    printone(&t, "# bytes lost to arena alignment", s.bytes_lost_to_arena_alignment);
    uint64_t total = s.bytes_in_allocated_blocks + s.bytes_in_available_blocks + s.unused_pools * POOL_SIZE
          + s.bytes_lost_to_pool_headers + s.bytes_lost_to_quantization + s.bytes_lost_to_arena_alignment;
    printone(&t, "Total", total);
    emit(&t, "\n");
    emit(&t, "arena map counts\n");
    printone(&t, "# arena map mid nodes", s.arena_map_mid_nodes);
    printone(&t, "# arena map bot nodes", s.arena_map_bot_nodes);
    emit(&t, "\n");
    uint64_t mid = s.arena_map_mid_nodes * ARENA_MAP_MID_BYTES, bot = s.arena_map_bot_nodes * ARENA_MAP_BOT_BYTES;
    printone(&t, "# bytes lost to arena map root", ARENA_MAP_ROOT_BYTES);
    printone(&t, "# bytes lost to arena map mid", mid);
    printone(&t, "# bytes lost to arena map bot", bot);
    printone(&t, "Total", ARENA_MAP_ROOT_BYTES + mid + bot);
    emit(&t, "\n");

    /* Object free lists (dict, float, list, tuple by size), as 3.12 prints
     * them. Their contents come from the object layer's free lists. */
    print_freelist(&t, h->freelists.dicts, "PyDictObject", 48);
    print_freelist(&t, h->freelists.floats, "PyFloatObject", 24);
    print_freelist(&t, h->freelists.lists, "PyListObject", 40);
    for (unsigned n = 1; n <= 20; n++) {
        char what[48];
        _pm_format(what, sizeof what, "%u-sized PyTupleObject", n);
        print_freelist(&t, h->freelists.tuples[n - 1], what, 24 + 8 * (uint64_t)n);
    }
    if (cap) buf[t.len < cap ? t.len : cap - 1] = '\0';
    return t.len;
}
