/* startup.c — what CPython's start-up leaves behind that a program can see.
 *
 * A script run as `python3.12 FILE.py` does not start on an empty heap:
 * start-up (site, encodings, the compiler) has already made and freed
 * objects, and the 3.12 free lists hold some of them. A program sees this:
 * `x = {}` on its first line takes a dict from the free list, so
 * gc.get_count() does not move and tracemalloc traces nothing for it, where
 * on an empty heap it is a fresh, counted, traced allocation. The generation
 * state is set by pm_gc_set_startup_state (gc.c); this file fills the free
 * lists. */
#include "object.h"
#include "internal.h"
#include "floatobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "tracemalloc.h"

/* Makes `want` objects of one kind, holding all of them before releasing any:
 * the first ones empty its free list (have: its length now), the rest are
 * fresh, and the releases leave exactly `want` on the list. A list already
 * longer is left alone. 0, or -1 (out of memory). */
static int fill(pm_heap *h, int64_t want, uint32_t have, pm_object *(*make)(pm_heap *, int64_t), int64_t arg) {
    int64_t n = want;
    if (n <= (int64_t)have) return 0;
    pm_object **held = _pm_raw_malloc(h, (size_t)n * sizeof *held);
    if (!held) return -1;
    int64_t got = 0;
    while (got < n && (held[got] = make(h, arg)) != NULL) got++;
    for (int64_t i = 0; i < got; i++) pm_decref(h, held[i]);
    _pm_raw_free(h, held);
    return got == n ? 0 : -1;
}

static pm_object *make_float(pm_heap *h, int64_t arg) { return pm_float_from_double(h, (double)arg); }
static pm_object *make_list(pm_heap *h, int64_t arg) { return pm_list_new(h, arg); }
static pm_object *make_dict(pm_heap *h, int64_t arg) { (void)arg; return pm_dict_new(h); }
static pm_object *make_tuple(pm_heap *h, int64_t arg) { return pm_tuple_new(h, arg); }

pm_status pm_startup_freelists(pm_heap *h, int32_t floats, int32_t lists, int32_t dicts,
                               const int32_t tuples[PM_TUPLE_MAXSAVESIZE]) {
    if (pm_tracemalloc_is_tracing(h)) {
        _pm_set_status(h, PM_EINVAL, "start-up free lists: tracemalloc is tracing (start-up's objects are never traced)");
        return PM_EINVAL;
    }
    if (floats < 0 || floats > PM_FLOAT_MAXFREELIST || lists < 0 || lists > PM_LIST_MAXFREELIST ||
        dicts < 0 || dicts > PM_DICT_MAXFREELIST) {
        _pm_set_status(h, PM_EINVAL, "start-up free lists: a length is outside 0..the list's limit");
        return PM_EINVAL;
    }
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++)
        if (tuples[i] < 0 || tuples[i] > PM_TUPLE_MAXFREELIST) {
            _pm_set_status(h, PM_EINVAL, "start-up free lists: %d-tuples: %d is outside 0..%d", i + 1, (int)tuples[i],
                           PM_TUPLE_MAXFREELIST);
            return PM_EINVAL;
        }
    /* these allocations belong to start-up: the generation counts stay as
     * they were (pm_gc_set_startup_state sets them as measured) */
    int64_t count[3];
    memcpy(count, h->os->gen_count, sizeof count);
    int rc = fill(h, floats, h->freelists.floats, make_float, 0);
    rc |= fill(h, lists, h->freelists.lists, make_list, 0);
    rc |= fill(h, dicts, h->freelists.dicts, make_dict, 0);
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) rc |= fill(h, tuples[i], h->freelists.tuples[i], make_tuple, i + 1);
    memcpy(h->os->gen_count, count, sizeof count);
    pm_err_clear(h);
    if (rc) {
        _pm_set_status(h, PM_ENOMEM, "start-up free lists: out of memory");
        return PM_ENOMEM;
    }
    _pm_set_status(h, PM_OK, NULL);
    return PM_OK;
}
