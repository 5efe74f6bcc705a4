/* test_gc.c — the cycle collector (core/src/gc.c) against CPython 3.12:
 * tests/fixtures/gc_collect.txt (tests/record/gc_collect.py) and
 * tests/fixtures/gc_debug.txt (tests/record/gc_debug.py). Each scenario
 * builds the recorded program's object graph with lists, dicts, sets,
 * tuples and the test type of gctest.h (for classes), performs the same
 * allocations in the same order, and compares; then the heap and the
 * generation lists are checked, and memory must be back to its baseline.
 *
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all \
 *         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/\*.c tests/core/test_gc.c \
 *         -o build/native/test_gc && build/native/test_gc      (from the repository root)
 */
#include "check.h"
#include "gctest.h"

/* a = []; a.append(a) (a new reference) */
static pm_object *self_list(pm_heap *h) {
    pm_object *a = pm_list_new(h, 0);
    pm_list_append(h, a, a);
    return a;
}

/* d = {}; d[key] = d (a new reference) */
static pm_object *self_dict(pm_heap *h, const char *key) {
    pm_object *d = pm_dict_new(h), *k = mkstr(h, key);
    pm_dict_setitem(h, d, k, d);
    pm_decref(h, k);
    return d;
}

/* ---- gc.collect() return values ----------------------------------------------------- */

static pm_object *ring_of_lists(pm_heap *h, int n) {
    pm_object *ls = pm_list_new(h, 0);
    for (int i = 0; i < n; i++) {
        pm_object *l = pm_list_new(h, 0);
        pm_list_append(h, ls, l);
        pm_decref(h, l);
    }
    for (int i = 0; i < n; i++) pm_list_append(h, PM_LIST_GET(ls, i), PM_LIST_GET(ls, (i + 1) % n));
    return ls;
}

static pm_object *ring_of_dicts(pm_heap *h, int n) {
    pm_object *ds = pm_list_new(h, 0);
    for (int i = 0; i < n; i++) {
        pm_object *d = pm_dict_new(h);
        pm_list_append(h, ds, d);
        pm_decref(h, d);
    }
    pm_object *k = mkstr(h, "next");
    for (int i = 0; i < n; i++) pm_dict_setitem(h, PM_LIST_GET(ds, i), k, PM_LIST_GET(ds, (i + 1) % n));
    pm_decref(h, k);
    return ds;
}

static void expect_collect(pm_heap *h, const char *key, int64_t got) {
    expect_ints(key, &got, 1);
    heap_ok(h, key);
}

static void test_collect(pm_heap *h) {
    TEST_BEGIN("gc.collect() after dropping rings of lists and of dicts");
    uint64_t base = live_now(h);
    static const int sizes[] = { 1, 2, 3, 10, 100, 1000 };
    char key[64];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        flush(h);
        pm_decref(h, ring_of_lists(h, sizes[i]));
        snprintf(key, sizeof key, "collect_listring_%d", sizes[i]);
        expect_collect(h, key, pm_gc_collect(h, 2));
        flush(h);
        pm_decref(h, ring_of_dicts(h, sizes[i]));
        snprintf(key, sizeof key, "collect_dictring_%d", sizes[i]);
        expect_collect(h, key, pm_gc_collect(h, 2));
    }

    TEST_BEGIN("gc.collect(): other shapes");
    flush(h);
    {   /* a = []; d = {'a': a}; a.append(d) */
        pm_object *a = pm_list_new(h, 0), *d = pm_dict_new(h), *k = mkstr(h, "a");
        pm_dict_setitem(h, d, k, a);
        pm_list_append(h, a, d);
        pm_decref(h, k);
        pm_decref(h, a);
        pm_decref(h, d);
        expect_collect(h, "collect_listdict_2", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* a ring held from outside through one member */
        pm_object *ls = ring_of_lists(h, 3);
        pm_object *keep = pm_newref(PM_LIST_GET(ls, 1));
        pm_decref(h, ls);
        expect_collect(h, "collect_ringheld_3", pm_gc_collect(h, 2));
        pm_decref(h, keep);
        expect_collect(h, "collect_ringheld_3_after", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* l = []; t = (l,); l.append(t) */
        pm_object *l = pm_list_new(h, 0);
        pm_object *t = pm_tuple_pack(h, 1, l);
        pm_list_append(h, l, t);
        pm_decref(h, l);
        pm_decref(h, t);
        expect_collect(h, "collect_listtuple_2", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* a = []; a.append(a); a.append([[] for _ in range(5)]) */
        pm_object *a = self_list(h);
        pm_object *outer = pm_list_new(h, 0);
        for (int i = 0; i < 5; i++) {
            pm_object *x = pm_list_new(h, 0);
            pm_list_append(h, outer, x);
            pm_decref(h, x);
        }
        pm_list_append(h, a, outer);
        pm_decref(h, outer);
        pm_decref(h, a);
        expect_collect(h, "collect_hanging_lists_7", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* a.append({'x': 1}): the dict stays untracked, not counted */
        pm_object *a = self_list(h);
        pm_object *d = pm_dict_new(h), *k = mkstr(h, "x"), *one = mkint(h, 1);
        pm_dict_setitem(h, d, k, one);
        CHECK(!pm_gc_is_tracked(d));
        pm_list_append(h, a, d);
        pm_decref(h, d);
        pm_decref(h, k);
        pm_decref(h, one);
        pm_decref(h, a);
        expect_collect(h, "collect_hanging_atomdict_1", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* a.append(tuple([1, 2])): tracked until a collection sees it survive */
        pm_object *a = self_list(h);
        pm_object *items[2] = { mkint(h, 1), mkint(h, 2) };
        pm_object *t = pm_tuple_from_array(h, items, 2);
        pm_list_append(h, a, t);
        pm_decref(h, t);
        pm_decref(h, a);
        expect_collect(h, "collect_hanging_tuple_2", pm_gc_collect(h, 2));
    }
    flush(h);
    {   /* n = N(); s = {n}; n.s = s */
        pm_object *n = tnode_new(h, &tnode_type, "n");
        pm_object *s = pm_set_new(h, NULL);
        pm_set_add(h, s, n);
        tnode_set(h, n, 0, s);
        pm_decref(h, n);
        pm_decref(h, s);
        expect_collect(h, "collect_instset_2", pm_gc_collect(h, 2));
    }
    flush(h);
    expect_collect(h, "collect_nothing", pm_gc_collect(h, 2));

    TEST_BEGIN("DEBUG_SAVEALL: saved in gc.garbage instead of cleared");
    flush(h);
    {
        pm_object *l = self_list(h);
        pm_decref(h, l);
        pm_gc_set_debug(h, PM_GC_DEBUG_SAVEALL);
        int64_t v[2];
        v[0] = pm_gc_collect(h, 2);
        v[1] = PM_SIZE(pm_gc_garbage(h));
        expect_ints("collect_saveall_1", v, 2);
        pm_gc_set_debug(h, 0);
        pm_list_clear(h, pm_gc_garbage(h));
        expect_collect(h, "collect_saveall_after_clear", pm_gc_collect(h, 2));
    }
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Generations and statistics ------------------------------------------------------------- */

/* get_stats() differences, generation by generation: collections, collected, uncollectable */
static void expect_stats_delta(const char *key, const pm_gc_stats s0[3], const pm_gc_stats s1[3]) {
    int64_t v[9];
    for (int g = 0; g < 3; g++) {
        v[g * 3] = s1[g].collections - s0[g].collections;
        v[g * 3 + 1] = s1[g].collected - s0[g].collected;
        v[g * 3 + 2] = s1[g].uncollectable - s0[g].uncollectable;
    }
    expect_ints(key, v, 9);
}

static void test_generations(pm_heap *h) {
    TEST_BEGIN("collections of single generations");
    uint64_t base = live_now(h);
    flush(h);
    pm_object *a = self_list(h);
    expect_collect(h, "gens_young_survivor", pm_gc_collect(h, 0));
    pm_decref(h, a);
    expect_collect(h, "gens_gen0_misses", pm_gc_collect(h, 0));
    expect_collect(h, "gens_gen1_finds", pm_gc_collect(h, 1));
    int64_t c[3];
    pm_gc_get_count(h, c);
    expect_ints("gens_count_after", c, 3);

    flush(h);
    a = self_list(h);
    pm_gc_collect(h, 1);
    pm_decref(h, a);
    expect_collect(h, "gens_gen2_misses_0", pm_gc_collect(h, 0));
    expect_collect(h, "gens_gen2_misses_1", pm_gc_collect(h, 1));
    expect_collect(h, "gens_gen2_finds", pm_gc_collect(h, 2));

    TEST_BEGIN("invalid generation");
    CHECK_EQ(pm_gc_collect(h, 3), (int64_t)-1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_ValueError);
    expect("gens_invalid_3", h->os->exc_msg);
    pm_err_clear(h);
    CHECK_EQ(pm_gc_collect(h, -1), (int64_t)-1);
    expect("gens_invalid_neg", h->os->exc_msg);
    pm_err_clear(h);

    TEST_BEGIN("get_stats() deltas");
    flush(h);
    pm_gc_stats s0[3], s1[3];
    pm_object *stl = pm_gc_get_stats_list(h);     /* base = gc.get_stats() */
    pm_gc_get_stats(h, s0);
    a = self_list(h);
    pm_decref(h, a);
    pm_gc_collect(h, 0);
    pm_decref(h, self_dict(h, "b"));
    pm_gc_collect(h, 1);
    pm_object *cc = self_list(h);
    pm_object *d = pm_list_new(h, 0);
    pm_list_append(h, d, cc);
    pm_list_append(h, cc, d);
    pm_decref(h, cc);
    pm_decref(h, d);
    pm_gc_collect(h, 2);
    pm_gc_get_stats(h, s1);
    expect_stats_delta("stats_delta", s0, s1);
    /* the list of dicts says the same as the struct */
    CHECK_EQ(PM_SIZE(stl), (int64_t)3);
    pm_object *k = mkstr(h, "collections");
    pm_object *x = pm_dict_getitem(h, PM_LIST_GET(stl, 2), k);
    CHECK(x && pm_long_as_int64(h, x) == s0[2].collections);
    pm_decref(h, k);
    pm_decref(h, stl);
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- count[0] ------------------------------------------------------------------------- */

static void test_count(pm_heap *h) {
    TEST_BEGIN("get_count() after N list allocations and after del");
    uint64_t base = live_now(h);
    static const int ns[] = { 0, 1, 10, 79, 80, 81, 100, 500 };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        flush(h);
        pm_object *keep = pm_list_new(h, 0);       /* [[] for _ in range(N)] */
        for (int j = 0; j < ns[i]; j++) {
            pm_object *x = pm_list_new(h, 0);
            pm_list_append(h, keep, x);
            pm_decref(h, x);
        }
        int64_t v[6];
        pm_gc_get_count(h, v);
        pm_object *c1 = pm_gc_get_count_tuple(h);
        pm_decref(h, keep);
        pm_gc_get_count(h, v + 3);
        pm_object *c2 = pm_gc_get_count_tuple(h);
        CHECK_EQ(pm_long_as_int64(h, PM_TUPLE_GET(c1, 0)), v[0]);
        char key[32];
        snprintf(key, sizeof key, "count_%d", ns[i]);
        expect_ints(key, v, 6);
        pm_decref(h, c1);
        pm_decref(h, c2);
    }
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Automatic collections --------------------------------------------------------------- */

static void run_loop(pm_heap *h, int iters) {
    pm_object *x = NULL;
    for (int i = 0; i < iters; i++) {
        pm_object *nx = pm_list_new(h, 0);          /* x = [] */
        pm_object *old = x;
        x = nx;
        pm_xdecref(h, old);
        pm_list_append(h, x, x);                    /* x.append(x) */
        pm_gc_eval_breaker(h);                      /* JUMP_BACKWARD */
    }
    pm_xdecref(h, x);
}

/* "<Error>: <message>" of a failing set_threshold, plus what get_threshold says after */
static void expect_threshold_err(pm_heap *h, const char *key, const int64_t *t, int n, const char *tail) {
    CHECK_EQ(pm_gc_set_threshold(h, t, n), -1);
    pm_exc_kind k = pm_err_occurred(h);
    char buf[400], th[64] = "";
    if (*tail) {
        int64_t v[3];
        pm_gc_get_threshold(h, v);
        snprintf(th, sizeof th, " %lld %lld %lld", (long long)v[0], (long long)v[1], (long long)v[2]);
    }
    snprintf(buf, sizeof buf, "%s: %s%s", k == PM_EXC_TypeError ? "TypeError" : k == PM_EXC_OverflowError ? "OverflowError" : "?",
             h->os->exc_msg, th);
    pm_err_clear(h);
    expect(key, buf);
}

static void test_auto(pm_heap *h) {
    TEST_BEGIN("automatic collections: scheduled on allocation, run at the eval breaker");
    uint64_t base = live_now(h);
    pm_object *cb = tnode_new(h, &tnode_type, "gccb");
    pm_object *cbs = pm_gc_callbacks(h);
    pm_object *stats0 = NULL, *stats1 = NULL, *counts = NULL;
    /* longlived > 0: lists made after the freeze that reach generation 2
     * (the 25% rule then defers or allows the full collections) */
    static const struct { int iters, longlived; } runs[] = {
        { 700, 0 }, { 701, 0 }, { 5000, 0 }, { 100000, 0 }, { 300000, 20000 }, { 300000, 20 },
    };
    for (size_t it = 0; it < sizeof runs / sizeof runs[0]; it++) {
        char name[48];
        snprintf(name, sizeof name, "auto_%d", runs[it].iters);
        if (runs[it].longlived) snprintf(name + strlen(name), sizeof name - strlen(name), "_ll%d", runs[it].longlived);
        flush(h);
        ev_reset();
        pm_list_append(h, cbs, cb);
        pm_gc_freeze(h);
        pm_object *keep = NULL;
        if (runs[it].longlived) {                  /* keep = [[] for _ in range(longlived)] */
            keep = pm_list_new(h, 0);
            for (int i = 0; i < runs[it].longlived; i++) {
                pm_object *e = pm_list_new(h, 0);
                pm_list_append(h, keep, e);
                pm_decref(h, e);
            }
        }
        pm_gc_collect(h, 2);
        ev_reset();
        pm_gc_stats s0[3], s1[3];
        pm_gc_get_stats(h, s0);
        pm_object *ns = pm_gc_get_stats_list(h);    /* stats0 = gc.get_stats() */
        pm_xdecref(h, stats0);
        stats0 = ns;

        pm_object *x = NULL;                        /* the loop, with x living on after it */
        for (int i = 0; i < runs[it].iters; i++) {
            pm_object *nx = pm_list_new(h, 0);
            pm_object *old = x;
            x = nx;
            pm_xdecref(h, old);
            pm_list_append(h, x, x);
            pm_gc_eval_breaker(h);
            CHECK(!pm_gc_is_scheduled(h));
        }
        int64_t cnt[3];
        pm_gc_get_count(h, cnt);
        pm_object *nc = pm_gc_get_count_tuple(h);   /* counts = gc.get_count() */
        pm_xdecref(h, counts);
        counts = nc;
        CHECK_EQ(pm_list_remove(h, cbs, cb), 0);   /* gc.callbacks.remove(cb) */
        pm_decref(h, x);                            /* del x */
        pm_gc_get_stats(h, s1);
        ns = pm_gc_get_stats_list(h);               /* stats1 = gc.get_stats() */
        pm_xdecref(h, stats1);
        stats1 = ns;
        pm_gc_unfreeze(h);
        pm_xdecref(h, keep);

        char key[64];
        int64_t v[256];
        size_t n = 0;
        v[n++] = (int64_t)g_ngens;
        for (size_t i = 0; i < g_ngens && i < 200; i++) v[n++] = g_gens[i];
        snprintf(key, sizeof key, "%s_gens", name);
        expect_ints(key, v, n);
        int64_t hist[3] = { 0, 0, 0 };
        for (size_t i = 0; i < g_ngens; i++)
            if (g_gens[i] >= 0 && g_gens[i] < 3) hist[g_gens[i]]++;
        snprintf(key, sizeof key, "%s_hist", name);
        expect_ints(key, hist, 3);
        snprintf(key, sizeof key, "%s_count", name);
        expect_ints(key, cnt, 3);
        snprintf(key, sizeof key, "%s_stats", name);
        expect_stats_delta(key, s0, s1);
        heap_ok(h, key);
    }
    PM_CLEAR(h, stats0);
    PM_CLEAR(h, stats1);
    PM_CLEAR(h, counts);

    TEST_BEGIN("threshold 0 and gc.disable() stop automatic collections");
    flush(h);
    pm_list_append(h, cbs, cb);
    ev_reset();
    int64_t t0 = 0;
    CHECK_EQ(pm_gc_set_threshold(h, &t0, 1), 0);
    run_loop(h, 3000);
    int64_t n_threshold0 = (int64_t)g_ngens;
    int64_t t3[3] = { 700, 10, 10 };
    CHECK_EQ(pm_gc_set_threshold(h, t3, 3), 0);
    pm_gc_collect(h, 2);
    ev_reset();
    pm_gc_disable(h);
    CHECK_EQ(pm_gc_isenabled(h), 0);
    run_loop(h, 3000);
    int64_t n_disabled = (int64_t)g_ngens;
    pm_gc_enable(h);
    CHECK_EQ(pm_list_remove(h, cbs, cb), 0);
    expect_ints("auto_threshold0", &n_threshold0, 1);
    expect_ints("auto_disabled", &n_disabled, 1);

    TEST_BEGIN("a collection scheduled before gc.disable() still runs at the next breaker");
    flush(h);
    pm_list_append(h, cbs, cb);
    ev_reset();
    int64_t five = 5;
    CHECK_EQ(pm_gc_set_threshold(h, &five, 1), 0);
    pm_object *six[6];
    for (int i = 0; i < 6; i++) six[i] = pm_list_new(h, 0);     /* a = []; ... f = [] */
    int64_t sched[2] = { g_ngens == 0, 0 };
    CHECK(pm_gc_is_scheduled(h));
    pm_gc_disable(h);
    pm_gc_eval_breaker(h);                          /* the end of the CALL of gc.disable() */
    sched[1] = (int64_t)g_ngens;
    pm_gc_enable(h);
    CHECK_EQ(pm_gc_set_threshold(h, t3, 3), 0);
    CHECK_EQ(pm_list_remove(h, cbs, cb), 0);
    for (int i = 0; i < 6; i++) pm_decref(h, six[i]);
    expect_ints("auto_disable_after_schedule", sched, 2);

    TEST_BEGIN("set_threshold errors");
    static const int64_t big[] = { (int64_t)1 << 31 }, small[] = { -((int64_t)1 << 31) - 1 };
    static const int64_t partial[] = { 5, (int64_t)1 << 31 };
    expect_threshold_err(h, "threshold_err_0", t3, 0, "");
    expect_threshold_err(h, "threshold_err_4", t3, 4, "");
    expect_threshold_err(h, "threshold_err_big", big, 1, "");
    expect_threshold_err(h, "threshold_err_small", small, 1, "");
    int64_t th[3];
    pm_gc_get_threshold(h, th);
    CHECK(th[0] == 700 && th[1] == 10 && th[2] == 10);
    expect_threshold_err(h, "threshold_err_partial", partial, 2, " 5 10 10");
    CHECK_EQ(pm_gc_set_threshold(h, t3, 3), 0);
    pm_decref(h, cb);

    TEST_BEGIN("gc.callbacks: phase and info dict, one dict per phase for all callbacks");
    flush(h);
    pm_object *ci = tnode_new(h, &tnode_type, "gcinfo");
    pm_list_append(h, cbs, ci);
    pm_list_append(h, cbs, ci);
    g_ninfos = 0;
    pm_object *a = self_list(h);
    pm_decref(h, a);
    pm_gc_collect(h, 1);
    CHECK_EQ(pm_list_remove(h, cbs, ci), 0);
    CHECK_EQ(pm_list_remove(h, cbs, ci), 0);
    pm_decref(h, ci);
    int64_t iv[3] = { (int64_t)g_ninfos, g_ninfos >= 2 && g_infos[0].info == g_infos[1].info,
                      g_ninfos >= 4 && g_infos[2].info == g_infos[3].info };
    expect_ints("callbacks_info", iv, 3);
    for (size_t i = 0; i < g_ninfos && i < 4; i++) {
        char key[48];
        snprintf(key, sizeof key, "callbacks_info_%s", g_infos[i].phase);
        CHECK_STREQ(g_infos[i].phase, i < 2 ? "start" : "stop");
        expect(key, g_infos[i].repr);
    }
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Tracking ---------------------------------------------------------------------------- */

static pm_object *tuple_of_ints(pm_heap *h, int n, int first) {
    pm_object *items[8];
    for (int i = 0; i < n; i++) items[i] = mkint(h, first + i);
    pm_object *t = pm_tuple_from_array(h, items, n);
    for (int i = 0; i < n; i++) pm_decref(h, items[i]);
    return t;
}

static void test_tracking(pm_heap *h) {
    TEST_BEGIN("untracking of tuples (every collection) and dicts (full collections)");
    uint64_t base = live_now(h);
    flush(h);
    pm_object *t = tuple_of_ints(h, 2, 1);
    int64_t v[6];
    v[0] = pm_gc_obj_is_tracked(h, t);
    pm_gc_collect(h, 2);
    v[1] = pm_gc_obj_is_tracked(h, t);
    expect_ints("tracked_tuple_atoms", v, 2);
    pm_decref(h, t);

    pm_object *inner = tuple_of_ints(h, 1, 1);
    t = pm_tuple_from_array(h, &inner, 1);
    pm_decref(h, inner);
    pm_gc_collect(h, 2);
    v[0] = pm_gc_obj_is_tracked(h, t);
    v[1] = pm_gc_obj_is_tracked(h, PM_TUPLE_GET(t, 0));
    pm_gc_collect(h, 2);
    v[2] = pm_gc_obj_is_tracked(h, t);
    v[3] = pm_gc_obj_is_tracked(h, PM_TUPLE_GET(t, 0));
    expect_ints("tracked_tuple_nested", v, 4);
    pm_decref(h, t);

    pm_object *l = pm_list_new(h, 0);
    t = pm_tuple_from_array(h, &l, 1);
    pm_decref(h, l);
    pm_gc_collect(h, 2);
    v[0] = pm_gc_obj_is_tracked(h, t);
    expect_ints("tracked_tuple_list", v, 1);
    pm_decref(h, t);

    pm_object *ka = mkstr(h, "a"), *one = mkint(h, 1);
    pm_object *d0 = pm_dict_new(h), *d1 = pm_dict_new(h), *d2 = pm_dict_new(h);
    pm_dict_setitem(h, d1, ka, one);
    l = pm_list_new(h, 0);
    pm_dict_setitem(h, d2, ka, l);
    pm_decref(h, l);
    v[0] = pm_gc_obj_is_tracked(h, d0);
    v[1] = pm_gc_obj_is_tracked(h, d1);
    v[2] = pm_gc_obj_is_tracked(h, d2);
    expect_ints("tracked_dicts", v, 3);
    pm_decref(h, d0);
    pm_decref(h, d1);
    pm_dict_delitem(h, d2, ka);
    v[0] = pm_gc_obj_is_tracked(h, d2);
    pm_gc_collect(h, 1);
    v[1] = pm_gc_obj_is_tracked(h, d2);
    pm_gc_collect(h, 2);
    v[2] = pm_gc_obj_is_tracked(h, d2);
    expect_ints("tracked_dict_untrack", v, 3);
    pm_decref(h, d2);

    pm_object *s = pm_set_new(h, NULL);
    l = pm_list_new(h, 0);
    v[0] = pm_gc_obj_is_tracked(h, one);
    v[1] = pm_gc_obj_is_tracked(h, ka);
    v[2] = pm_gc_obj_is_tracked(h, l);
    v[3] = pm_gc_obj_is_tracked(h, s);
    expect_ints("tracked_atoms", v, 4);
    v[0] = pm_gc_obj_is_finalized(h, l);
    expect_ints("finalized_list", v, 1);
    CHECK_EQ(pm_gc_obj_is_tracked(h, (pm_object *)pm_builtin_type(h, PM_T_INT)), 0);   /* static type */
    pm_decref(h, s);
    pm_decref(h, l);
    pm_decref(h, ka);
    pm_decref(h, one);
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- get_referents / get_referrers / get_objects ------------------------------------------ */

static void expect_referents(pm_heap *h, const char *key, pm_object *const *objs, size_t n) {
    pm_object *r = pm_gc_get_referents(h, objs, n);
    char buf[512];
    expect(key, repr_of(h, r, buf, sizeof buf));
    pm_decref(h, r);
}

static void test_referents(pm_heap *h) {
    TEST_BEGIN("get_referents: tp_traverse order");
    uint64_t base = live_now(h);
    pm_object *one = mkint(h, 1), *sa = mkstr(h, "a"), *sb = mkstr(h, "b"), *two = mkint(h, 2);
    pm_object *l2 = pm_list_new(h, 0);
    pm_list_append(h, l2, two);
    pm_object *l = pm_list_new(h, 0);
    pm_list_append(h, l, one);
    pm_list_append(h, l, sa);
    pm_list_append(h, l, l2);
    expect_referents(h, "referents_list", &l, 1);
    pm_object *t2 = pm_tuple_pack(h, 1, two);
    pm_object *t = pm_tuple_pack(h, 3, one, sb, t2);
    expect_referents(h, "referents_tuple", &t, 1);
    pm_object *d = pm_dict_new(h);
    pm_dict_setitem(h, d, sa, one);
    pm_dict_setitem(h, d, sb, l2);
    expect_referents(h, "referents_dict_str", &d, 1);
    pm_object *di = pm_dict_new(h), *sx = mkstr(h, "x"), *sy = mkstr(h, "y");
    pm_dict_setitem(h, di, one, sx);
    pm_dict_setitem(h, di, two, sy);
    expect_referents(h, "referents_dict_int", &di, 1);
    pm_object *s = pm_set_new(h, NULL), *three = mkint(h, 3);
    pm_set_add(h, s, one);
    pm_set_add(h, s, two);
    pm_set_add(h, s, three);
    expect_referents(h, "referents_set", &s, 1);
    expect_referents(h, "referents_int", &one, 1);
    /* get_referents([1], (2, 3), 'x', {4: 5}) */
    pm_object *la = pm_list_new(h, 0);
    pm_list_append(h, la, one);
    pm_object *tb = pm_tuple_pack(h, 2, two, three);
    pm_object *four = mkint(h, 4), *five = mkint(h, 5), *dc = pm_dict_new(h);
    pm_dict_setitem(h, dc, four, five);
    pm_object *many[4] = { la, tb, sx, dc };
    expect_referents(h, "referents_many", many, 4);
    pm_object *all[] = { one, sa, sb, two, l2, l, t2, t, d, di, sx, sy, s, three, la, tb, four, five, dc };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) pm_decref(h, all[i]);

    TEST_BEGIN("get_referrers");
    flush(h);
    pm_object *one7 = mkint(h, 7);
    pm_object *x = pm_frozenset_new(h, NULL);      /* frozenset([7]): the caller feeds the items */
    CHECK_EQ(pm_set_add(h, x, one7), 0);
    pm_object *y = pm_list_new(h, 0);
    pm_list_append(h, y, x);
    pm_object *z = pm_dict_new(h), *kk = mkstr(h, "k");
    pm_dict_setitem(h, z, kk, x);
    pm_object *r = pm_gc_get_referrers(h, &x, 1, NULL);
    char names[128] = "";
    for (int64_t i = 0; i < PM_SIZE(r); i++) {
        if (i) strcat(names, " ");
        strcat(names, PM_TYPE(PM_LIST_GET(r, i))->tp_name);
    }
    expect("referrers_xyz", names);
    /* the argument tuple is skipped */
    pm_object *args = pm_tuple_pack(h, 1, x);
    pm_object *r2 = pm_gc_get_referrers(h, &x, 1, args);
    CHECK_EQ(PM_SIZE(r2), PM_SIZE(r));
    pm_object *r3 = pm_gc_get_referrers(h, &x, 1, NULL);
    CHECK_EQ(PM_SIZE(r3), PM_SIZE(r) + 1);
    pm_object *more[] = { r, r2, r3, args, x, y, z, kk, one7 };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) pm_decref(h, more[i]);

    TEST_BEGIN("get_objects, freeze / unfreeze");
    flush(h);
    pm_object *objs = pm_list_new(h, 0);
    for (int i = 0; i < 10; i++) {
        pm_object *e = pm_list_new(h, 0);
        pm_list_append(h, objs, e);
        pm_decref(h, e);
    }
    int64_t tracked_before = pm_gc_generation_size(h, 0) + pm_gc_generation_size(h, 1) + pm_gc_generation_size(h, 2);
    pm_object *g0 = pm_gc_get_objects(h, 0);
    CHECK_EQ(PM_SIZE(g0), pm_gc_generation_size(h, 0) - 1);     /* itself left out */
    CHECK(PM_SIZE(g0) >= 11 && PM_LIST_GET(g0, PM_SIZE(g0) - 11) == objs);   /* list order */
    pm_decref(h, g0);
    int64_t fbase = pm_gc_get_freeze_count(h);
    pm_gc_freeze(h);
    CHECK_EQ(pm_gc_get_freeze_count(h) - fbase, tracked_before);
    int64_t v[5];
    pm_gc_get_count(h, v);
    pm_object *g2 = pm_gc_get_objects(h, 2);
    v[3] = PM_SIZE(g2);
    pm_decref(h, g2);
    pm_gc_unfreeze(h);
    v[4] = pm_gc_get_freeze_count(h);
    expect_ints("freeze", v, 5);
    pm_decref(h, objs);
    CHECK(pm_gc_get_objects(h, 3) == NULL);
    expect("get_objects_3", h->os->exc_msg);
    pm_err_clear(h);
    CHECK(pm_gc_get_objects(h, -2) == NULL);
    expect("get_objects_neg", h->os->exc_msg);
    pm_err_clear(h);
    pm_object *all_objs = pm_gc_get_objects(h, -1);
    CHECK_EQ(PM_SIZE(all_objs), pm_gc_generation_size(h, 0) + pm_gc_generation_size(h, 1) + pm_gc_generation_size(h, 2) - 1);
    pm_decref(h, all_objs);
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Finalizers --------------------------------------------------------------------------- */

static void cycle_ab(pm_heap *h, pm_object **pa, pm_object **pb) {
    pm_object *a = tnode_new(h, &tfin_type, "a"), *b = tnode_new(h, &tfin_type, "b");
    tnode_set(h, a, 0, b);
    tnode_set(h, b, 0, a);
    *pa = a;
    *pb = b;
}

static void expect_events(const char *key, int64_t n1, const char *rest) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%lld%s%s", (long long)n1, *rest ? " " : "", rest);
    expect(key, buf);
}

static void test_finalizers(pm_heap *h) {
    TEST_BEGIN("finalizers in a cycle: once each, in list order");
    uint64_t base = live_now(h);
    pm_object *a, *b;
    flush(h);
    ev_reset();
    cycle_ab(h, &a, &b);
    pm_decref(h, a);
    pm_decref(h, b);
    int64_t n = pm_gc_collect(h, 2);
    expect_events("fin_cycle_2", n, g_events);
    heap_ok(h, "fin_cycle_2");

    TEST_BEGIN("weakref callbacks before finalizers in a collection");
    flush(h);
    ev_reset();
    cycle_ab(h, &a, &b);
    pm_object *cba = tnode_new(h, &tnode_type, "w:cb a"), *cbb = tnode_new(h, &tnode_type, "w:cb b");
    pm_object *ra = pm_weakref_new(h, NULL, a, cba), *rb = pm_weakref_new(h, NULL, b, cbb);
    pm_decref(h, cba);
    pm_decref(h, cbb);
    pm_decref(h, a);
    pm_decref(h, b);
    n = pm_gc_collect(h, 2);
    expect_events("fin_cycle_weakrefs", n, g_events);
    pm_decref(h, ra);
    pm_decref(h, rb);
    heap_ok(h, "fin_cycle_weakrefs");

    TEST_BEGIN("refcount death: __del__, then callbacks newest first");
    flush(h);
    ev_reset();
    pm_object *c = tnode_new(h, &tfin_type, "c");
    pm_object *rc[3];
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "v:cb%d", i);
        pm_object *cb = tnode_new(h, &tnode_type, nm);
        rc[i] = pm_weakref_new(h, NULL, c, cb);
        pm_decref(h, cb);
    }
    pm_decref(h, c);
    expect("fin_refcount_order", g_events);
    for (int i = 0; i < 3; i++) pm_decref(h, rc[i]);
    heap_ok(h, "fin_refcount_order");

    TEST_BEGIN("resurrection in a cycle");
    flush(h);
    ev_reset();
    pm_object *x = tnode_new(h, &tfin_type, "R");
    tnode_set(h, x, 0, x);
    pm_decref(h, x);
    int64_t v[3];
    v[0] = pm_gc_collect(h, 2);
    CHECK_EQ(PM_SIZE(g_saved), (int64_t)1);
    v[1] = PM_SIZE(g_saved) ? pm_gc_obj_is_finalized(h, PM_LIST_GET(g_saved, 0)) : -1;
    pm_list_clear(h, g_saved);
    v[2] = pm_gc_collect(h, 2);
    char buf[256];
    snprintf(buf, sizeof buf, "%lld %lld %lld %s", (long long)v[0], (long long)v[1], (long long)v[2], g_events);
    expect("fin_resurrect", buf);
    heap_ok(h, "fin_resurrect");

    TEST_BEGIN("resurrecting one object of a cycle keeps the rest alive");
    flush(h);
    ev_reset();
    x = tnode_new(h, &tfin_type, "R");
    pm_object *y = tnode_new(h, &tfin_type, "b");
    tnode_set(h, x, 0, y);
    tnode_set(h, y, 0, x);
    pm_decref(h, x);
    pm_decref(h, y);
    pm_gc_trace_enable(h, 1);
    v[0] = pm_gc_collect(h, 2);
    pm_gc_trace_enable(h, 0);
    {   /* trace: both resurrected; x has the outside reference (g_saved), y is reached from x */
        size_t n;
        const pm_gc_trace_entry *e = pm_gc_trace_get(h, PM_GC_PH_RESURRECTED, &n);
        CHECK_EQ(n, (size_t)2);
        for (size_t i = 0; i < n; i++) {
            if (e[i].obj == (uintptr_t)x) CHECK_EQ(e[i].value, 1);
            else CHECK(e[i].obj == (uintptr_t)y && e[i].value == 0);
        }
    }
    v[1] = PM_SIZE(g_saved);
    pm_list_clear(h, g_saved);
    v[2] = pm_gc_collect(h, 2);
    snprintf(buf, sizeof buf, "%lld %lld %lld %s", (long long)v[0], (long long)v[1], (long long)v[2], g_events);
    expect("fin_resurrect_pair", buf);
    heap_ok(h, "fin_resurrect_pair");

    TEST_BEGIN("DEBUG_SAVEALL: finalizers still run once");
    flush(h);
    ev_reset();
    cycle_ab(h, &a, &b);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_gc_set_debug(h, PM_GC_DEBUG_SAVEALL);
    v[0] = pm_gc_collect(h, 2);
    v[1] = PM_SIZE(pm_gc_garbage(h));
    pm_gc_set_debug(h, 0);
    pm_list_clear(h, pm_gc_garbage(h));
    v[2] = pm_gc_collect(h, 2);
    snprintf(buf, sizeof buf, "%lld %lld %lld %s", (long long)v[0], (long long)v[1], (long long)v[2], g_events);
    expect("fin_saveall", buf);
    heap_ok(h, "fin_saveall");

    TEST_BEGIN("a collection requested by a finalizer returns 0");
    flush(h);
    ev_reset();
    x = tnode_new(h, &tfin_type, "Re");
    tnode_set(h, x, 0, x);
    pm_decref(h, x);
    n = pm_gc_collect(h, 2);
    expect_events("fin_reentrant", n, g_events);
    heap_ok(h, "fin_reentrant");
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Tracing ------------------------------------------------------------------------------- */

static size_t observed[PM_GC_PH__COUNT];
static void observer(pm_heap *h, pm_gc_phase ph, int gen, const pm_gc_trace_entry *e, size_t n, void *ctx) {
    (void)h; (void)e; (void)ctx;
    CHECK_EQ(gen, 2);
    observed[ph] += n;
}

static void test_trace(pm_heap *h) {
    TEST_BEGIN("the phase trace for the visualizer");
    uint64_t base = live_now(h);
    flush(h);
    pm_object *ls = ring_of_lists(h, 3);
    pm_object *m[3] = { PM_LIST_GET(ls, 0), PM_LIST_GET(ls, 1), PM_LIST_GET(ls, 2) };
    pm_object *fin = tnode_new(h, &tfin_type, "z");
    tnode_set(h, fin, 0, fin);
    pm_decref(h, fin);
    pm_decref(h, ls);
    pm_gc_trace_enable(h, 1);
    pm_gc_set_observer(h, observer, NULL);
    ev_reset();
    CHECK_EQ(pm_gc_collect(h, 2), (int64_t)4);
    size_t n;
    const pm_gc_trace_entry *e = pm_gc_trace_get(h, PM_GC_PH_UNREACHABLE, &n);
    CHECK_EQ(n, (size_t)4);
    CHECK(n >= 3 && e[0].obj == (uintptr_t)m[0] && e[1].obj == (uintptr_t)m[1] && e[2].obj == (uintptr_t)m[2]);
    e = pm_gc_trace_get(h, PM_GC_PH_EXAMINED, &n);
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++) zeros += e[i].value == 0;
    CHECK_EQ(zeros, (size_t)4);
    pm_gc_trace_get(h, PM_GC_PH_FINALIZED, &n);
    CHECK_EQ(n, (size_t)1);
    e = pm_gc_trace_get(h, PM_GC_PH_CLEARED, &n);   /* clearing m0 frees m1 and m2 in cascade */
    CHECK_EQ(n, (size_t)2);
    CHECK(n == 2 && e[0].obj == (uintptr_t)m[0] && e[1].obj == (uintptr_t)fin);
    pm_gc_trace_get(h, PM_GC_PH_FREED, &n);
    CHECK_EQ(n, (size_t)4);
    /* COPIED: the examined objects other than immortals, each with gc_refs >= its value after subtract_refs */
    size_t nex, ncp, mortal = 0;
    const pm_gc_trace_entry *ex = pm_gc_trace_get(h, PM_GC_PH_EXAMINED, &nex);
    const pm_gc_trace_entry *cp = pm_gc_trace_get(h, PM_GC_PH_COPIED, &ncp);
    for (size_t i = 0; i < nex; i++) mortal += ex[i].value >= 0;
    CHECK_EQ(ncp, mortal);
    for (size_t i = 0, j = 0; i < nex && j < ncp; i++) {
        if (ex[i].value < 0) continue;
        CHECK_EQ(cp[j].obj, ex[i].obj);
        CHECK(cp[j].value >= ex[i].value && cp[j].value > 0);
        j++;
    }
    int64_t collected, uncollectable;
    pm_gc_trace_result(h, &collected, &uncollectable);
    CHECK_EQ(collected, (int64_t)4);
    CHECK_EQ(uncollectable, (int64_t)0);
    CHECK_EQ(observed[PM_GC_PH_COPIED], ncp);
    CHECK_EQ(observed[PM_GC_PH_FREED], (size_t)4);
    CHECK_EQ(observed[PM_GC_PH_UNREACHABLE], (size_t)4);
    CHECK_EQ(pm_gc_trace_generation(h), 2);
    pm_gc_set_observer(h, NULL, NULL);

    TEST_BEGIN("trace: weakrefs cleared, with and without callbacks, and untracked tuples");
    flush(h);
    pm_object *a, *b;
    cycle_ab(h, &a, &b);
    pm_object *cb = tnode_new(h, &tnode_type, "w:cb");
    pm_object *ra = pm_weakref_new(h, NULL, a, cb);     /* outside the garbage: callback runs */
    pm_object *rb = pm_weakref_new(h, NULL, b, NULL);   /* no callback */
    pm_object *t = tuple_of_ints(h, 1, 7);              /* atoms only: untracked by the collection */
    pm_decref(h, cb);
    pm_decref(h, a);
    pm_decref(h, b);
    ev_reset();
    int64_t got = pm_gc_collect(h, 2);
    e = pm_gc_trace_get(h, PM_GC_PH_WEAKREF_CLEARED, &n);
    size_t with_cb = 0, without = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].obj == (uintptr_t)ra) with_cb += e[i].value == 1;
        if (e[i].obj == (uintptr_t)rb) without += e[i].value == 0;
    }
    CHECK_EQ(n, (size_t)2);
    CHECK_EQ(with_cb, (size_t)1);
    CHECK_EQ(without, (size_t)1);
    e = pm_gc_trace_get(h, PM_GC_PH_WEAKREF_CB, &n);
    CHECK(n == 1 && e[0].obj == (uintptr_t)ra);
    e = pm_gc_trace_get(h, PM_GC_PH_UNTRACKED, &n);
    size_t tuple_seen = 0;
    for (size_t i = 0; i < n; i++) tuple_seen += e[i].obj == (uintptr_t)t && e[i].value == 0;
    CHECK_EQ(tuple_seen, (size_t)1);
    pm_gc_trace_result(h, &collected, &uncollectable);
    CHECK_EQ(collected + uncollectable, got);
    pm_decref(h, t);
    pm_decref(h, ra);
    pm_decref(h, rb);
    pm_gc_trace_enable(h, 0);
    flush(h);
    CHECK_EQ(live_now(h), base);
}

/* ---- Debug output -------------------------------------------------------------------------------- */

/* 0x<hex> -> 0xADDR, as the record script normalises; w has room for 3 * strlen(s) + 1 */
static void normalise_addrs(const char *s, char *w) {
    for (const char *r = s; *r;) {
        if (r[0] == '0' && r[1] == 'x' && ((r[2] >= '0' && r[2] <= '9') || (r[2] >= 'a' && r[2] <= 'f'))) {
            memcpy(w, "0xADDR", 6);
            w += 6;
            r += 2;
            while ((*r >= '0' && *r <= '9') || (*r >= 'a' && *r <= 'f')) r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Compares the sink's lines with the fixture's "<scenario> <line>" lines. */
static void expect_stderr(pm_heap *h, const char *scenario, const char *extra) {
    size_t len;
    const char *text = pm_gc_stderr(h, &len);
    char *raw = malloc(len + strlen(extra) + 1);
    memcpy(raw, text, len);
    strcpy(raw + len, extra);
    char *got = malloc(3 * strlen(raw) + 1);
    normalise_addrs(raw, got);
    free(raw);
    char *line = got;
    size_t k = 0;
    for (size_t i = 0; i < FX.n; i++) {
        if (strcmp(FX.keys[i], scenario) != 0) continue;
        char *nl = line ? strchr(line, '\n') : NULL;
        if (nl) *nl = '\0';
        CHECKF(line && strcmp(line, FX.values[i]) == 0, "%s line %zu:\n   model:   %s\n   CPython: %s", scenario, k,
               line ? line : "(missing)", FX.values[i]);
        line = nl ? nl + 1 : NULL;
        k++;
    }
    CHECKF(k > 0, "no lines recorded for %s", scenario);
    CHECKF(!line || !*line, "%s: extra output: %s", scenario, line ? line : "");
    free(got);
    pm_gc_stderr_clear(h);
}

/* gc.collect(); gc.freeze() with as many frozen objects as the recording
 * interpreter had; returns the holder to release afterwards. */
static pm_object *freeze_like(pm_heap *h, const char *scenario) {
    char key[64];
    snprintf(key, sizeof key, "%s_permanent", scenario);
    const char *v = fx(key);
    int64_t want = v ? strtoll(v, NULL, 10) : 0;
    flush(h);
    int64_t have = pm_gc_generation_size(h, 0) + pm_gc_generation_size(h, 1) + pm_gc_generation_size(h, 2)
                 + pm_gc_generation_size(h, 3);
    pm_object *holder = pm_list_new(h, 0);
    for (int64_t i = have + 1; i < want; i++) {
        pm_object *e = pm_list_new(h, 0);
        pm_list_append(h, holder, e);
        pm_decref(h, e);
    }
    pm_gc_collect(h, 2);
    pm_gc_freeze(h);
    CHECK_EQ(pm_gc_get_freeze_count(h), want);
    return holder;
}

static void test_debug(pm_heap *h) {
    TEST_BEGIN("DEBUG_STATS / DEBUG_COLLECTABLE / DEBUG_LEAK text");
    uint64_t base = live_now(h);
    pm_gc_stderr_clear(h);

    pm_object *holder = freeze_like(h, "dbg_stats_collectable");
    pm_gc_set_debug(h, PM_GC_DEBUG_STATS | PM_GC_DEBUG_COLLECTABLE);
    pm_object *a = pm_list_new(h, 0), *b = pm_list_new(h, 0);
    pm_list_append(h, b, a);
    pm_list_append(h, a, b);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_gc_collect(h, 0);
    pm_decref(h, self_dict(h, "c"));
    pm_gc_collect(h, 2);
    pm_gc_set_debug(h, 0);
    expect_stderr(h, "dbg_stats_collectable", "");
    pm_gc_unfreeze(h);
    pm_decref(h, holder);

    holder = freeze_like(h, "dbg_stats_gens");
    pm_object *keep = pm_list_new(h, 0);
    for (int i = 0; i < 3; i++) {
        pm_object *e = pm_list_new(h, 0);
        pm_list_append(h, keep, e);
        pm_decref(h, e);
    }
    pm_gc_collect(h, 0);
    pm_object *m1 = pm_list_new(h, 0), *m2 = pm_list_new(h, 0);
    pm_object *mitems[2] = { m1, m2 };
    pm_object *more = pm_list_from_array_steal(h, mitems, 2);
    pm_gc_set_debug(h, PM_GC_DEBUG_STATS);
    pm_gc_collect(h, 1);
    pm_object *x = self_list(h);
    pm_decref(h, x);
    pm_gc_collect(h, 2);
    pm_gc_set_debug(h, 0);
    expect_stderr(h, "dbg_stats_gens", "");
    pm_gc_unfreeze(h);
    pm_decref(h, keep);
    pm_decref(h, more);
    pm_decref(h, holder);

    holder = freeze_like(h, "dbg_leak");
    pm_gc_set_debug(h, PM_GC_DEBUG_LEAK);
    pm_object *l = self_list(h);
    pm_decref(h, l);
    int64_t n = pm_gc_collect(h, 2);
    pm_gc_set_debug(h, 0);
    char extra[64];
    snprintf(extra, sizeof extra, "returned %lld, garbage %lld\n", (long long)n, (long long)PM_SIZE(pm_gc_garbage(h)));
    expect_stderr(h, "dbg_leak", extra);
    pm_list_clear(h, pm_gc_garbage(h));
    pm_gc_unfreeze(h);
    pm_decref(h, holder);
    flush(h);
    heap_ok(h, "debug");
    CHECK_EQ(live_now(h), base);
}

int main(void) {
    if (kv_fixture_load(&FX, "gc_collect.txt", NULL) < 0) return 2;
    kv_fixture dbg;
    if (kv_fixture_load(&dbg, "gc_debug.txt", NULL) < 0) return 2;
    pm_heap *h = gt_heap_new();
    test_collect(h);
    test_generations(h);
    test_count(h);
    test_auto(h);
    test_tracking(h);
    test_referents(h);
    test_finalizers(h);
    test_trace(h);
    kv_fixture_free(&FX);
    FX = dbg;
    test_debug(h);
    heap_ok(h, "end");
    gt_heap_free(h);
    kv_fixture_free(&FX);
    return check_summary();
}
