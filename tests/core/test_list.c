/* test_list.c — native tests of core/src/listobject.c (and rangeobject.c)
 * against facts recorded from CPython 3.12 (tests/fixtures/sizes_sequences.txt).
 *
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all \
 *         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/\*.c tests/core/test_list.c \
 *         -o build/native/test_list && build/native/test_list      (from the repository root)
 */
#include "check.h"
#include "seqtest.h"
#include "rangeobject.h"
#include "longobject.h"

/* Py_ReprEnter / Py_ReprLeave belong to object.c (see the report that came
 * with this file). Until object.c defines them, this test supplies weak
 * stand-ins (test code may keep state in statics; the core may not), so the
 * recursive-repr paths of list_repr and tuplerepr are exercised either way. */
static pm_object *test_repr_stack[64];
static int test_repr_len;
__attribute__((weak)) int pm_repr_enter(pm_heap *h, pm_object *o) {
    (void)h;
    for (int i = test_repr_len; i-- > 0;)
        if (test_repr_stack[i] == o) return 1;
    if (test_repr_len == 64) return -1;
    test_repr_stack[test_repr_len++] = o;
    return 0;
}
__attribute__((weak)) void pm_repr_leave(pm_heap *h, pm_object *o) {
    (void)h;
    for (int i = test_repr_len; i-- > 0;)
        if (test_repr_stack[i] == o) {
            memmove(&test_repr_stack[i], &test_repr_stack[i + 1], (size_t)(test_repr_len - i - 1) * sizeof o);
            test_repr_len--;
            return;
        }
}

typedef struct visit_rec {
    long long ids[3];
    int n;
} visit_rec;

static int visit_ids(pm_object *o, void *arg) {
    visit_rec *seen = arg;
    if (seen->n < 3) seen->ids[seen->n] = ((marker *)o)->id;
    seen->n++;
    return 0;
}

static pm_object *mk(ctx *c, long long id) { return marker_new(c->h, &c->mtype, id, &c->log); }

static uint64_t live_no_freelists(pm_heap *h) {
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    return live_blocks(h);
}

/* A list built by n appends of None (`l = []; l.append(None) ...`). */
static pm_object *appended(pm_heap *h, int n) {
    pm_object *l = pm_list_new(h, 0);
    for (int i = 0; i < n; i++) CHECK_EQ(pm_list_append(h, l, PM_NONE(h)), 0);
    return l;
}

/* [None] * n */
static pm_object *nones(pm_heap *h, int64_t n) {
    pm_object *one[1] = { PM_NONE(h) };
    pm_object *l1 = pm_list_from_array_steal(h, one, 1);
    pm_object *l = pm_list_repeat(h, l1, n);
    pm_decref(h, l1);
    return l;
}

/* list(range(n)) with None standing in for the ints (sizes only depend on n) */
static pm_object *list_of_range(pm_heap *h, int64_t n) {
    repeat_iter it = { PM_NONE(h), n };
    return pm_list_from_iter(h, n, repeat_next, &it);
}

/* A list of n markers with ids 0..n-1, built by appends. */
static pm_object *marker_list(ctx *c, int n) {
    pm_object *l = pm_list_new(c->h, 0);
    for (int i = 0; i < n; i++) pm_list_append_steal(c->h, l, mk(c, i));
    return l;
}

static long long gs(pm_heap *h, pm_object *o) { return (long long)pm_object_getsizeof(h, o); }

/* ---- sizes ---------------------------------------------------------------------- */

static void test_sizes_growth(ctx *c) {
    TEST_BEGIN("list sizes vs CPython: append, pop, [None]*n, list(range(n)), displays, comprehensions");
    ctx_open(c);
    pm_heap *h = c->h;
    const fixture *fx = &c->fx;
    pm_object *l = pm_list_new(h, 0);
    CHECK_EQ(gs(h, l), fx_int(fx_get(fx, "list_append.0")));
    for (int n = 1; n <= 40; n++) {
        pm_list_append(h, l, PM_NONE(h));
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_append.%d", n)), "append n=%d", n);
    }
    CHECK_EQ(PM_LIST_ALLOCATED(l), (int64_t)40);
    while (PM_SIZE(l) > 0) {
        pm_object *v = pm_list_pop(h, l, -1);
        CHECK_EQ(v, PM_NONE(h));
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_pop.%lld", (long long)PM_SIZE(l))), "pop to %lld",
                  (long long)PM_SIZE(l));
    }
    CHECK(PM_LIST_ITEMS(l) == NULL);
    pm_decref(h, l);

    for (int n = 0; n <= 40; n++) {
        l = nones(h, n);
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_repeat.%d", n)), "[None]*%d", n);
        CHECK_EQ(PM_SIZE(l), (int64_t)n);
        pm_decref(h, l);
        l = list_of_range(h, n);
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_range.%d", n)), "list(range(%d))", n);
        CHECK_EQ(PM_SIZE(l), (int64_t)n);
        pm_decref(h, l);
        /* [None for _ in range(n)]: BUILD_LIST 0 + LIST_APPEND */
        l = pm_list_new(h, 0);
        for (int i = 0; i < n; i++) pm_list_append_steal(h, l, pm_newref(PM_NONE(h)));
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_comp.%d", n)), "comprehension n=%d", n);
        pm_decref(h, l);
    }
    for (int n = 0; n <= 12; n++) {
        pm_object *src[12];
        for (int i = 0; i < n; i++) src[i] = PM_NONE(h);
        /* [x, x, ...] with names: BUILD_LIST n */
        l = pm_list_from_array_steal(h, src, n);
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_names.%d", n)), "display of %d names", n);
        pm_decref(h, l);
        /* [None, None, ...]: the compiler folds 3+ constants into a tuple + LIST_EXTEND */
        if (n < 3) {
            l = pm_list_from_array_steal(h, src, n);
        } else {
            pm_object *t = pm_tuple_from_array(h, src, n);
            l = pm_list_new(h, 0);
            CHECK_EQ(pm_list_extend(h, l, t), 0);
            pm_decref(h, t);
        }
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_consts.%d", n)), "display of %d constants", n);
        pm_decref(h, l);
    }
    ctx_close(c);
}

static void test_sizes_extend(ctx *c) {
    TEST_BEGIN("list sizes vs CPython: extend (sized, unsized, list), list(generator), insert");
    ctx_open(c);
    pm_heap *h = c->h;
    const fixture *fx = &c->fx;
    for (int n = 0; n <= 20; n++) {
        pm_object *l = pm_list_new(h, 0);
        repeat_iter it = { PM_NONE(h), n };
        CHECK_EQ(pm_list_extend_iter(h, l, n, repeat_next, &it), 0);       /* iter(range(n)) hints n */
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_extend_iter.%d", n)), "extend(iter(range(%d)))", n);
        pm_decref(h, l);
        l = pm_list_new(h, 0);
        repeat_iter it2 = { PM_NONE(h), n };
        CHECK_EQ(pm_list_extend_iter(h, l, 8, repeat_next, &it2), 0);      /* a generator: default hint 8 */
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_extend_gen.%d", n)), "extend(generator of %d)", n);
        CHECK_EQ(PM_SIZE(l), (int64_t)n);
        pm_decref(h, l);
        repeat_iter it3 = { PM_NONE(h), n };
        l = pm_list_from_iter(h, 8, repeat_next, &it3);
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_gen.%d", n)), "list(generator of %d)", n);
        pm_decref(h, l);
    }
    static const int ms[] = { 0, 1, 3, 4, 5, 8, 9 }, ns[] = { 0, 1, 2, 3, 4, 5, 8, 13, 40 };
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
            pm_object *l = appended(h, ms[i]), *r = nones(h, ns[j]);
            CHECK_EQ(pm_list_extend(h, l, r), 0);
            CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_extend2.%d.%d", ms[i], ns[j])), "m=%d n=%d", ms[i], ns[j]);
            pm_decref(h, r);
            pm_decref(h, l);
        }
    }
    pm_object *l = pm_list_new(h, 0);
    for (int n = 1; n <= 40; n++) {
        CHECK_EQ(pm_list_insert(h, l, 0, PM_NONE(h)), 0);
        CHECK_EQF(gs(h, l), fx_int(fx_get(fx, "list_insert.%d", n)), "insert n=%d", n);
    }
    pm_decref(h, l);
    ctx_close(c);
}

/* "A:B:C" -> three slice fields ("" = None) */
static void parse_slice(const char *s, int64_t v[3]) {
    for (int k = 0; k < 3; k++) {
        if (*s == ':' || *s == '\0' || *s == '.') v[k] = PM_SLICE_NONE;
        else v[k] = strtoll(s, (char **)&s, 10);
        if (*s == ':') s++;
    }
}

static void test_sizes_slices(ctx *c) {
    TEST_BEGIN("list sizes vs CPython: slices, slice deletion/assignment, *=, +, copy");
    ctx_open(c);
    pm_heap *h = c->h;
    const fixture *fx = &c->fx;
    int nslice = 0, ndel = 0, nset = 0;
    for (size_t i = 0; i < fx->n; i++) {
        const char *k = fx->keys[i];
        int64_t v[3];
        if (strncmp(k, "list_slice.", 11) == 0) {
            parse_slice(k + 11, v);
            pm_object *src = list_of_range(h, 20);
            pm_object *s = pm_list_getslice(h, src, v[0], v[1], v[2]);
            CHECK_EQF(gs(h, s), fx_int(fx->values[i]), "%s", k);
            pm_decref(h, s);
            pm_decref(h, src);
            nslice++;
        } else if (strncmp(k, "list_delslice.", 14) == 0) {
            parse_slice(k + 14, v);
            pm_object *l = appended(h, 40);
            CHECK_EQ(pm_list_delslice(h, l, v[0], v[1], v[2]), 0);
            char got[64];
            snprintf(got, sizeof got, "%lld %lld", gs(h, l), (long long)PM_SIZE(l));
            CHECKF(strcmp(got, fx->values[i]) == 0, "%s: got '%s' want '%s'", k, got, fx->values[i]);
            pm_decref(h, l);
            ndel++;
        } else if (strncmp(k, "list_setslice.", 14) == 0) {
            int a, b, n;
            sscanf(k + 14, "%d:%d.%d", &a, &b, &n);
            pm_object *l = appended(h, 20), *r = nones(h, n);
            CHECK_EQ(pm_list_setslice(h, l, a, b, PM_SLICE_NONE, r), 0);
            char got[64];
            snprintf(got, sizeof got, "%lld %lld", gs(h, l), (long long)PM_SIZE(l));
            CHECKF(strcmp(got, fx->values[i]) == 0, "%s: got '%s' want '%s'", k, got, fx->values[i]);
            pm_decref(h, r);
            pm_decref(h, l);
            nset++;
        } else if (strncmp(k, "list_imul.", 10) == 0) {
            int m, n;
            sscanf(k + 10, "%d.%d", &m, &n);
            pm_object *l = appended(h, m);
            CHECK_EQ(pm_list_inplace_repeat(h, l, n), 0);
            char got[64];
            snprintf(got, sizeof got, "%lld %lld", gs(h, l), (long long)PM_SIZE(l));
            CHECKF(strcmp(got, fx->values[i]) == 0, "%s: got '%s' want '%s'", k, got, fx->values[i]);
            pm_decref(h, l);
        } else if (strncmp(k, "list_concat.", 12) == 0) {
            int m, n;
            sscanf(k + 12, "%d.%d", &m, &n);
            pm_object *a = appended(h, m), *b = appended(h, n), *r = pm_list_concat(h, a, b);
            CHECK_EQF(gs(h, r), fx_int(fx->values[i]), "%s", k);
            pm_decref(h, r);
            pm_decref(h, a);
            pm_decref(h, b);
        } else if (strncmp(k, "list_copy.", 10) == 0) {
            pm_object *a = appended(h, atoi(k + 10)), *r = pm_list_copy(h, a);
            CHECK_EQF(gs(h, r), fx_int(fx->values[i]), "%s", k);
            pm_decref(h, r);
            pm_decref(h, a);
        }
    }
    CHECK(nslice >= 10 && ndel >= 10 && nset >= 10);
    ctx_close(c);
}

/* ---- deallocation ---------------------------------------------------------------------- */

static void test_dealloc_order(ctx *c) {
    TEST_BEGIN("list dealloc releases items last to first; slice deletions release in CPython's order");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *l = marker_list(c, 4);
    CHECK(pm_gc_is_tracked(l));
    pm_decref(h, l);
    char *s = log_join(&c->log);
    CHECK_STREQ(s, "3,2,1,0");
    free(s);

    /* del l[2:7]: the removed items are released last to first */
    log_reset(&c->log);
    l = marker_list(c, 10);
    CHECK_EQ(pm_list_delslice(h, l, 2, 7, PM_SLICE_NONE), 0);
    s = log_join(&c->log);
    CHECK_STREQ(s, "6,5,4,3,2");
    free(s);
    CHECK_REPR(h, l, "[M0, M1, M7, M8, M9]");
    pm_decref(h, l);

    /* del l[::-3]: an extended slice is released in ascending position order */
    log_reset(&c->log);
    l = marker_list(c, 10);
    CHECK_EQ(pm_list_delslice(h, l, PM_SLICE_NONE, PM_SLICE_NONE, -3), 0);
    s = log_join(&c->log);
    CHECK_STREQ(s, "0,3,6,9");
    free(s);
    CHECK_REPR(h, l, "[M1, M2, M4, M5, M7, M8]");
    pm_decref(h, l);

    /* l.clear(): last to first */
    log_reset(&c->log);
    l = marker_list(c, 3);
    pm_list_clear(h, l);
    s = log_join(&c->log);
    CHECK_STREQ(s, "2,1,0");
    free(s);
    CHECK_EQ(gs(h, l), 56LL);
    pm_decref(h, l);
    ctx_close(c);
}

static void check_trash_shape(ctx *c, const char *shape, int n) {
    pm_heap *h = c->h;
    log_reset(&c->log);
    pm_object *x = PM_NONE(h);
    for (int i = 0; i < n; i++) {
        pm_object *m = mk(c, i);
        if (strcmp(shape, "list_tail") == 0) {
            pm_object *src[2] = { m, x };
            x = pm_list_from_array_steal(h, src, 2);
        } else if (strcmp(shape, "list_head") == 0) {
            pm_object *src[2] = { x, m };
            x = pm_list_from_array_steal(h, src, 2);
        } else {                                    /* list_tuple: [m, (x,)] */
            pm_object *t = pm_tuple_from_array_steal(h, &x, 1);
            pm_object *src[2] = { m, t };
            x = pm_list_from_array_steal(h, src, 2);
        }
    }
    pm_decref(h, x);
    char *got = log_join(&c->log);
    const char *want = fx_get(&c->fx, "trash.%s.%d", shape, n);
    CHECKF(want && strcmp(got, want) == 0, "trash.%s.%d order differs:\n  got  %.200s...\n  want %.200s...", shape, n,
           got, want ? want : "(missing)");
    free(got);
}

static void test_trashcan(ctx *c) {
    TEST_BEGIN("list trashcan: CPython's release order, and x = [x] 1,000,000 deep");
    ctx_open(c);
    pm_heap *h = c->h;
    const char *shapes[] = { "list_tail", "list_head", "list_tuple" };
    for (int s = 0; s < 3; s++) {
        check_trash_shape(c, shapes[s], 120);
        check_trash_shape(c, shapes[s], 300);
    }
    uint64_t base = live_no_freelists(h);
    pm_object *x = pm_list_new(h, 0);
    for (int i = 0; i < 1000000; i++) x = pm_list_from_array_steal(h, &x, 1);   /* x = [x] */
    CHECK_EQ(live_blocks(h) - base, (uint64_t)(1000000 * 2 + 1));               /* lists + item arrays */
    pm_decref(h, x);                                                               /* must not overflow the C stack */
    CHECK_EQ(h->os->trash_nesting, 0);
    CHECK(h->os->trash_delete_later == NULL);
    CHECK_EQ(h->freelists.lists, (uint32_t)PM_LIST_MAXFREELIST);
    CHECK_EQ(live_no_freelists(h), base);
    ctx_close(c);
}

/* ---- free list ------------------------------------------------------------------------- */

static void test_freelist(ctx *c) {
    TEST_BEGIN("list free list: 80 objects, LIFO, reused without the allocator; list() bypasses it");
    ctx_open(c);
    pm_heap *h = c->h;
    _pm_list_clear_freelist(h);
    uint64_t live0 = live_blocks(h);
    int64_t gen0 = h->os->gen_count[0];
    pm_object *l = pm_list_new(h, 0);
    CHECK_EQ(h->os->gen_count[0], gen0 + 1);
    pm_object *addr = l;
    pm_list_append(h, l, PM_NONE(h));
    pm_decref(h, l);
    CHECK_EQ(h->freelists.lists, 1u);
    CHECK_EQ(live_blocks(h), live0 + 1);          /* the object stays, its item array is freed */
    uint64_t bytes = allocated_bytes(h);
    l = pm_list_new(h, 0);
    CHECK_EQ(l, addr);
    CHECK_EQ(h->freelists.lists, 0u);
    CHECK_EQ(allocated_bytes(h), bytes);          /* no allocator call */
    CHECK_EQ(h->os->gen_count[0], gen0 + 1);
    CHECK_EQ(refcnt(l), 1u);
    CHECK_EQ(PM_SIZE(l), (int64_t)0);
    CHECK_EQ(PM_LIST_ALLOCATED(l), (int64_t)0);
    CHECK(PM_LIST_ITEMS(l) == NULL);
    CHECK(pm_gc_is_tracked(l));
    pm_decref(h, l);

    /* list() uses the generic allocator, not the free list */
    pm_object *g = pm_list_new_generic(h);
    CHECK(g != addr);
    CHECK_EQ(h->freelists.lists, 1u);
    CHECK(pm_gc_is_tracked(g));
    CHECK_EQ(gs(h, g), 56LL);
    pm_decref(h, g);
    CHECK_EQ(h->freelists.lists, 2u);             /* but it dies into it */

    pm_object *many[81];
    for (int i = 0; i < 81; i++) many[i] = pm_list_new(h, i % 3);
    for (int i = 0; i < 81; i++) pm_decref(h, many[i]);
    CHECK_EQ(h->freelists.lists, 80u);
    pm_object *again = pm_list_new(h, 2);
    CHECK_EQ(again, many[79]);                    /* LIFO: the last one kept (many[80] found the list full) */
    CHECK_EQ(PM_SIZE(again), (int64_t)2);
    CHECK(PM_LIST_GET(again, 0) == NULL && PM_LIST_GET(again, 1) == NULL);
    CHECK_EQ(gs(h, again), 72LL);
    pm_decref(h, again);
    _pm_list_clear_freelist(h);
    CHECK_EQ(h->freelists.lists, 0u);
    CHECK_EQ(live_blocks(h), live0);
    ctx_close(c);
}

/* ---- reference counts and the API -------------------------------------------------------- */

static void test_refcounts(ctx *c) {
    TEST_BEGIN("list refcounts: stored twice, del, pop, set (old value released after storing)");
    ctx_open(c);
    pm_heap *h = c->h;
    uint64_t base = live_no_freelists(h);
    pm_object *m = mk(c, 1), *n = mk(c, 2);
    pm_object *l = pm_list_new(h, 0);
    pm_list_append(h, l, m);
    pm_list_append(h, l, m);
    CHECK_EQ(refcnt(m), 3u);
    CHECK_EQ(pm_list_count(h, l, m), (int64_t)2);
    CHECK_EQ(pm_list_delitem(h, l, -1), 0);
    CHECK_EQ(refcnt(m), 2u);
    pm_list_append(h, l, m);
    pm_object *p = pm_list_pop(h, l, 0);
    CHECK_EQ(p, m);
    CHECK_EQ(refcnt(m), 3u);                      /* the popped reference is ours now */
    pm_decref(h, p);
    CHECK_EQ(refcnt(m), 2u);
    CHECK_EQ(pm_list_setitem(h, l, 0, n), 0);
    CHECK_EQ(refcnt(m), 1u);
    CHECK_EQ(refcnt(n), 2u);
    pm_object *g = pm_list_getitem(h, l, -1);
    CHECK_EQ(g, n);
    CHECK_EQ(refcnt(n), 3u);
    pm_decref(h, g);
    pm_decref(h, l);
    CHECK_EQ(refcnt(n), 1u);

    /* the replaced item dies only after the new one is in place */
    pm_object *k = mk(c, 3);
    l = pm_list_new(h, 0);
    pm_list_append_steal(h, l, k);               /* the list holds the only reference to k */
    c->log.probe_list = l;
    c->log.probe_index = 0;
    CHECK_EQ(pm_list_setitem(h, l, 0, m), 0);
    CHECK_EQ(c->log.n, (size_t)1);
    CHECK_EQ(c->log.probe_seen, m);
    k = mk(c, 4);
    CHECK_EQ(pm_list_set(h, l, 0, k), 0);        /* PyList_SetItem steals k */
    CHECK_EQ(c->log.n, (size_t)1);
    CHECK_EQ(refcnt(m), 1u);
    CHECK_EQ(refcnt(k), 1u);
    c->log.probe_list = NULL;
    CHECK_EQ(pm_list_set(h, l, 3, pm_newref(m)), -1);
    CHECK_STREQ(h->os->exc_msg, "list assignment index out of range");
    pm_err_clear(h);
    CHECK_EQ(refcnt(m), 1u);                     /* stolen even on failure */
    pm_decref(h, l);

    /* [m] * 5 adds 5 references; l *= 3 adds 2 per item */
    pm_object *one[1] = { pm_newref(m) };
    pm_object *l1 = pm_list_from_array_steal(h, one, 1);
    pm_object *r = pm_list_repeat(h, l1, 5);
    CHECK_EQ(refcnt(m), 7u);
    CHECK_EQ(pm_list_inplace_repeat(h, l1, 3), 0);
    CHECK_EQ(refcnt(m), 9u);
    CHECK_EQ(PM_SIZE(l1), (int64_t)3);
    CHECK_EQ(pm_list_inplace_repeat(h, r, 0), 0);   /* l *= 0 clears */
    CHECK_EQ(refcnt(m), 4u);
    pm_decref(h, r);
    pm_decref(h, l1);
    CHECK_EQ(refcnt(m), 1u);

    /* extend / slices / concat / copy / tuple(l) */
    l = marker_list(c, 5);
    pm_object *t = pm_list_as_tuple(h, l);
    CHECK_REPR(h, t, "(M0, M1, M2, M3, M4)");
    CHECK_EQ(refcnt(PM_LIST_GET(l, 2)), 2u);
    pm_decref(h, t);
    CHECK_EQ(pm_list_extend(h, l, l), 0);         /* a.extend(a) */
    CHECK_REPR(h, l, "[M0, M1, M2, M3, M4, M0, M1, M2, M3, M4]");
    CHECK_EQ(refcnt(PM_LIST_GET(l, 0)), 2u);
    CHECK_EQ(pm_list_setslice(h, l, 0, 5, PM_SLICE_NONE, NULL), 0);
    CHECK_EQ(refcnt(PM_LIST_GET(l, 0)), 1u);
    CHECK_EQ(pm_list_setslice(h, l, 1, 3, PM_SLICE_NONE, l), 0);   /* a[1:3] = a */
    CHECK_REPR(h, l, "[M0, M0, M1, M2, M3, M4, M3, M4]");
    CHECK_EQ(pm_list_setslice(h, l, PM_SLICE_NONE, PM_SLICE_NONE, -1, l), 0);   /* a[::-1] = a */
    CHECK_REPR(h, l, "[M4, M3, M4, M3, M2, M1, M0, M0]");
    pm_object *three = marker_list(c, 3);
    CHECK_EQ(pm_list_setslice(h, l, 0, PM_SLICE_NONE, 3, three), 0);
    CHECK_REPR(h, l, "[M0, M3, M4, M1, M2, M1, M2, M0]");
    CHECK_EQ(pm_list_setslice(h, l, 0, PM_SLICE_NONE, 2, three), -1);
    CHECK_STREQ(h->os->exc_msg, "attempt to assign sequence of size 3 to extended slice of size 4");
    pm_err_clear(h);
    pm_decref(h, three);
    pm_object *cp = pm_list_copy(h, l);
    CHECK_EQ(pm_object_eq(h, cp, l), 1);
    pm_list_reverse(h, cp);
    CHECK_REPR(h, cp, "[M0, M2, M1, M2, M1, M4, M3, M0]");
    CHECK_EQ(pm_object_eq(h, cp, l), 0);
    pm_object *cat = pm_list_concat(h, l, cp);
    CHECK_EQ(PM_SIZE(cat), (int64_t)16);
    pm_decref(h, cat);
    CHECK(pm_list_concat(h, l, h->os->empty_tuple) == NULL);
    CHECK_STREQ(h->os->exc_msg, "can only concatenate list (not \"tuple\") to list");
    pm_err_clear(h);
    pm_decref(h, cp);
    pm_decref(h, l);

    pm_decref(h, m);
    pm_decref(h, n);
    CHECK_EQ(live_no_freelists(h), base);
    ctx_close(c);
}

static void test_methods(ctx *c) {
    TEST_BEGIN("list methods: insert, index, count, remove, contains, errors");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *l = marker_list(c, 3);
    pm_object *a = mk(c, 10), *b = mk(c, 11), *z = mk(c, 12);
    pm_list_insert(h, l, 1, a);
    pm_list_insert(h, l, -1, b);
    pm_list_insert(h, l, 100, z);
    pm_list_insert(h, l, -100, z);
    CHECK_REPR(h, l, "[M12, M0, M10, M1, M11, M2, M12]");
    pm_object *probe = mk(c, 1);                  /* equal to M1 by value */
    CHECK_EQ(pm_list_index(h, l, probe, 0, INT64_MAX), (int64_t)3);
    CHECK_EQ(pm_list_index(h, l, z, 1, INT64_MAX), (int64_t)6);
    CHECK_EQ(pm_list_index(h, l, z, -3, -1), (int64_t)-1);
    CHECK_STREQ(h->os->exc_msg, "M12 is not in list");
    pm_err_clear(h);
    CHECK_EQ(pm_list_count(h, l, z), (int64_t)2);
    CHECK_EQ(pm_list_contains(h, l, probe), 1);
    CHECK_EQ(pm_list_remove(h, l, probe), 0);
    CHECK_EQ(pm_list_contains(h, l, probe), 0);
    CHECK_EQ(pm_list_remove(h, l, probe), -1);
    CHECK_STREQ(h->os->exc_msg, "list.remove(x): x not in list");
    pm_err_clear(h);
    CHECK(pm_list_getitem(h, l, 6) == NULL);
    CHECK_STREQ(h->os->exc_msg, "list index out of range");
    pm_err_clear(h);
    CHECK_EQ(pm_list_setitem(h, l, -7, a), -1);
    CHECK_STREQ(h->os->exc_msg, "list assignment index out of range");
    pm_err_clear(h);
    CHECK(pm_list_pop(h, l, 9) == NULL);
    CHECK_STREQ(h->os->exc_msg, "pop index out of range");
    pm_err_clear(h);
    pm_object *e = pm_list_new(h, 0);
    CHECK(pm_list_pop(h, e, -1) == NULL);
    CHECK_STREQ(h->os->exc_msg, "pop from empty list");
    pm_err_clear(h);
    CHECK_EQ(pm_object_hash(h, e), (int64_t)-1);
    CHECK_STREQ(h->os->exc_msg, "unhashable type: 'list'");
    pm_err_clear(h);
    CHECK(pm_list_getslice(h, l, 0, 1, 0) == NULL);
    CHECK_STREQ(h->os->exc_msg, "slice step cannot be zero");
    pm_err_clear(h);
    pm_decref(h, e);
    pm_decref(h, probe);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_decref(h, z);
    pm_decref(h, l);
    ctx_close(c);
}

static void test_repr_and_gc(ctx *c) {
    TEST_BEGIN("list repr vs CPython; tracking, traverse order, tp_clear");
    ctx_open(c);
    pm_heap *h = c->h;
    const fixture *fx = &c->fx;
    pm_object *none = PM_NONE(h), *e = h->os->empty_tuple;
    pm_object *empty = pm_list_new(h, 0);
    CHECK_REPR(h, empty, fx_get(fx, "repr.empty_list"));
    pm_object *l3 = nones(h, 3);
    CHECK_REPR(h, l3, fx_get(fx, "repr.list3"));
    /* [[], [[]], (None, [])] */
    pm_object *i1 = pm_list_new(h, 0), *i2in = pm_list_new(h, 0), *i3in = pm_list_new(h, 0);
    pm_object *i2 = pm_list_from_array_steal(h, &i2in, 1);
    pm_object *t3src[2] = { pm_newref(none), i3in };
    pm_object *i3 = pm_tuple_from_array_steal(h, t3src, 2);
    pm_object *nsrc[3] = { i1, i2, i3 };
    pm_object *nested = pm_list_from_array_steal(h, nsrc, 3);
    CHECK_REPR(h, nested, fx_get(fx, "repr.nested_list"));
    pm_decref(h, nested);

    {
        pm_object *self = pm_list_new(h, 0);
        pm_list_append(h, self, self);
        CHECK_REPR(h, self, fx_get(fx, "repr.self_list"));
        pm_list_clear(h, self);
        pm_decref(h, self);
        /* l = [None]; l.append([l, ()]) */
        pm_object *l = pm_list_from_array_steal(h, (pm_object *[]){ pm_newref(none) }, 1);
        pm_object *inner = pm_list_from_array_steal(h, (pm_object *[]){ pm_newref(l), e }, 2);
        pm_list_append_steal(h, l, inner);
        CHECK_REPR(h, l, fx_get(fx, "repr.cycle_list"));
        pm_list_clear(h, inner);
        pm_decref(h, l);
        /* t = ([],); t[0].append(t) */
        pm_object *lst = pm_list_new(h, 0);
        pm_object *t = pm_tuple_pack(h, 1, lst);
        pm_list_append(h, lst, t);
        CHECK_REPR(h, t, fx_get(fx, "repr.tuple_cycle"));
        pm_list_clear(h, lst);
        pm_decref(h, lst);
        pm_decref(h, t);
    }

#ifdef PM_C_RECURSION_LIMIT
    /* repr of deeply nested lists: CPython 3.12 gives up with RecursionError */
    {
        pm_object *deep = pm_list_new(h, 0);
        for (int i = 0; i < PM_C_RECURSION_LIMIT + 10; i++) deep = pm_list_from_array_steal(h, &deep, 1);
        char *r = repr_of(h, deep);
        CHECK_STREQ(r, "<error>");
        CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_RecursionError);
        CHECK_STREQ(h->os->exc_msg, "maximum recursion depth exceeded while getting the repr of an object");
        pm_err_clear(h);
        free(r);
        pm_decref(h, deep);
    }
#endif

    /* tracked from creation, whatever the construction path */
    pm_object *made[5] = { pm_list_new(h, 3), pm_list_new_generic(h), list_of_range(h, 4), nones(h, 2),
                           pm_list_copy(h, l3) };
    for (int i = 0; i < 5; i++) {
        CHECK(pm_gc_is_tracked(made[i]));
        pm_decref(h, made[i]);
    }
    /* traverse visits last to first; tp_clear empties */
    pm_object *ml = marker_list(c, 3);
    visit_rec v = { { 0 }, 0 };
    CHECK_EQ(pm_object_traverse(h, ml, visit_ids, &v), 0);
    CHECK_EQ(v.n, 3);
    CHECK_EQ(v.ids[0], 2LL);
    CHECK_EQ(v.ids[2], 0LL);
    log_reset(&c->log);
    CHECK_EQ(pm_builtin_type(h, PM_T_LIST)->tp_clear(h, ml), 0);
    CHECK_EQ(c->log.n, (size_t)3);
    CHECK_EQ(PM_SIZE(ml), (int64_t)0);
    pm_decref(h, ml);
    pm_decref(h, l3);
    pm_decref(h, empty);
    ctx_close(c);
}

static void test_out_of_memory(ctx *c) {
    TEST_BEGIN("list growth past the heap limit: MemoryError, list unchanged, heap consistent");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *m = mk(c, 1);
    pm_object *l = pm_list_new(h, 0);
    pm_list_append(h, l, m);
    CHECK_EQ(pm_heap_set_limit(h, pm_heap_footprint(h)), PM_OK);
    CHECK_EQ(pm_list_inplace_repeat(h, l, 1000000), -1);          /* wants 8,000,000 bytes of slots */
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_MemoryError);
    CHECK_EQ((int)pm_heap_last_status(h), (int)PM_ENOMEM);
    pm_err_clear(h);
    CHECK_EQ(PM_SIZE(l), (int64_t)1);
    CHECK_EQ(PM_LIST_ALLOCATED(l), (int64_t)4);
    CHECK_EQ(refcnt(m), 2u);
    CHECK(pm_list_repeat(h, l, 1000000) == NULL);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_MemoryError);
    pm_err_clear(h);
    CHECK_EQ(refcnt(m), 2u);
    CHECK_EQ((int)pm_heap_check(h), (int)PM_OK);
    CHECK_EQ(pm_heap_set_limit(h, 0), PM_OK);
    pm_decref(h, l);
    pm_decref(h, m);
    ctx_close(c);
}

/* ---- range ---------------------------------------------------------------------------- */

/* An int from its decimal text ("True" is the bool). */
static pm_object *int_arg(pm_heap *h, const char *s, size_t n) {
    if (n == 4 && strncmp(s, "True", 4) == 0) return pm_newref(PM_TRUE(h));
    return pm_long_from_string(h, s, n, 10);
}

typedef struct range_it {
    pm_object *r;
    int64_t i, n;
} range_it;

static pm_object *range_next(pm_heap *h, void *ctx) {
    range_it *it = ctx;
    return it->i < it->n ? pm_range_item(h, it->r, it->i++) : NULL;
}

static void test_range(ctx *c) {
    TEST_BEGIN("range vs CPython: getsizeof, len, repr, items, hash, what construction allocates");
    ctx_open(c);
    pm_heap *h = c->h;
    const fixture *fx = &c->fx;
    uint64_t base = live_no_freelists(h);
    int nranges = 0;
    for (size_t k = 0; k < fx->n; k++) {
        if (strncmp(fx->keys[k], "range_size.", 11) != 0) continue;
        const char *key = fx->keys[k] + 11;
        pm_object *args[3] = { NULL, NULL, NULL };
        int nargs = 0;
        for (const char *p = key; *p && nargs < 3;) {
            size_t len = strcspn(p, ",");
            args[nargs++] = int_arg(h, p, len);
            p += len;
            if (*p == ',') p++;
        }
        uint64_t live = live_blocks(h);
        pm_object *r = nargs == 1 ? pm_range_new(h, NULL, args[0], NULL)
                     : pm_range_new(h, args[0], args[1], nargs == 3 ? args[2] : NULL);
        CHECKF(r != NULL, "range(%s)", key);
        if (!r) { pm_err_clear(h); continue; }
        nranges++;
        const char *alloc = NULL;   /* recorded for some ranges only */
        for (size_t j = 0; j < fx->n; j++)
            if (strncmp(fx->keys[j], "range_alloc.", 12) == 0 && strcmp(fx->keys[j] + 12, key) == 0) alloc = fx->values[j];
        if (alloc && strchr(alloc, ' ')) {
            /* the blocks tracemalloc saw: the range, plus its length unless that is a cached small int */
            CHECK_EQF((long long)(live_blocks(h) - live), atoll(strchr(alloc, ' ') + 1), "blocks for range(%s)", key);
        }
        CHECK_EQF(gs(h, r), fx_int(fx_get(fx, "range_size.%s", key)), "getsizeof(range(%s))", key);
        CHECK(!pm_type_is_gc(PM_TYPE(r)));
        const char *want_len = fx_get(fx, "range_len.%s", key);
        int64_t n = pm_range_length(h, r);
        if (want_len && strncmp(want_len, "OverflowError:", 14) == 0) {
            CHECK_EQ(n, (int64_t)-1);
            CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_OverflowError);
            CHECK_STREQ(h->os->exc_msg, want_len + 14);
            pm_err_clear(h);
        } else {
            CHECK_EQF((long long)n, fx_int(want_len), "len(range(%s))", key);
        }
        CHECK_REPR(h, r, fx_get(fx, "range_repr.%s", key));
        static const int idx[] = { 0, 1, -1, 2 };
        for (int j = 0; j < 4; j++) {
            const char *want = fx_get(fx, "range_item.%s.%d", key, idx[j]);
            pm_object *v = pm_range_item(h, r, idx[j]);
            if (v) {
                CHECK_REPR(h, v, want);
                pm_decref(h, v);
            } else {
                CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_IndexError);
                char msg[300];
                snprintf(msg, sizeof msg, "IndexError:%s", h->os->exc_msg);
                CHECK_STREQ(msg, want ? want : "(missing)");
                pm_err_clear(h);
            }
        }
        for (size_t j = 0; j < fx->n; j++) {
            if (strncmp(fx->keys[j], "range_hash.", 11) == 0 && strcmp(fx->keys[j] + 11, key) == 0)
                CHECK_EQF((long long)pm_object_hash(h, r), fx_int(fx->values[j]), "hash(range(%s))", key);
        }
        pm_decref(h, r);
        for (int j = 0; j < nargs; j++) pm_decref(h, args[j]);
    }
    CHECK(nranges >= 15);

    /* equality compares the sequences, not the arguments */
    pm_object *a = pm_range_from_int64(h, 0, 10, 3), *b = pm_range_from_int64(h, 0, 11, 3);
    pm_object *e1 = pm_range_from_int64(h, 5, 5, 1), *e2 = pm_range_from_int64(h, 9, 0, 2);
    pm_object *s1 = pm_range_from_int64(h, 4, 5, 1), *s2 = pm_range_from_int64(h, 4, 50, 50);
    CHECK_EQ(pm_object_eq(h, a, b), 1);
    CHECK_EQ(pm_object_eq(h, e1, e2), 1);
    CHECK_EQ(pm_object_eq(h, s1, s2), 1);
    CHECK_EQ(pm_object_eq(h, a, s1), 0);
    CHECK_EQ(pm_object_hash(h, e1), pm_object_hash(h, e2));
    CHECK_EQ(pm_object_hash(h, s1), pm_object_hash(h, s2));

    /* the iterator's C fast path */
    int64_t st, sp, ln;
    CHECK_EQ(pm_range_iter_params(h, a, &st, &sp, &ln), 1);
    CHECK(st == 0 && sp == 3 && ln == 4);
    pm_object *big = pm_range_from_int64(h, INT64_MAX - 5, INT64_MAX, 2);
    CHECK_EQ(pm_range_iter_params(h, big, &st, &sp, &ln), 0);     /* start + len*step would overflow */

    /* errors */
    pm_object *zero = pm_long_small(h, 0), *one = pm_long_small(h, 1);
    CHECK(pm_range_new(h, zero, one, zero) == NULL);
    CHECK_STREQ(h->os->exc_msg, "range() arg 3 must not be zero");
    pm_err_clear(h);
    CHECK(pm_range_new(h, NULL, PM_NONE(h), NULL) == NULL);
    CHECK_STREQ(h->os->exc_msg, "'NoneType' object cannot be interpreted as an integer");
    pm_err_clear(h);
    CHECK(pm_range_item(h, a, 4) == NULL);
    CHECK_STREQ(h->os->exc_msg, "range object index out of range");
    pm_err_clear(h);
    pm_object *nine = pm_range_getitem(h, a, pm_long_small(h, -1));
    CHECK_REPR(h, nine, "9");
    pm_decref(h, nine);

    /* list(range(n)) and tuple(list(range(20))) with real ints */
    pm_object *r5 = pm_range_from_int64(h, 0, 5, 1);
    range_it rit = { r5, 0, 5 };
    pm_object *l = pm_list_from_iter(h, pm_range_length(h, r5), range_next, &rit);
    CHECK_REPR(h, l, "[0, 1, 2, 3, 4]");
    CHECK_EQ(gs(h, l), fx_int(fx_get(fx, "list_range.5")));
    pm_decref(h, l);
    pm_decref(h, r5);
    pm_object *r20 = pm_range_from_int64(h, 0, 20, 1);
    range_it rit20 = { r20, 0, 20 };
    l = pm_list_from_iter(h, 20, range_next, &rit20);
    pm_object *t = pm_list_as_tuple(h, l);
    CHECK_EQ((long long)pm_object_hash(h, t), fx_int(fx_get(fx, "tuple_hash.tuple(range(20))")));
    CHECK_EQ(gs(h, t), fx_int(fx_get(fx, "tuple_size.20")));
    pm_decref(h, t);
    pm_decref(h, l);
    pm_decref(h, r20);

    pm_decref(h, big);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_decref(h, e1);
    pm_decref(h, e2);
    pm_decref(h, s1);
    pm_decref(h, s2);
    CHECK_EQ(live_no_freelists(h), base);
    ctx_close(c);
}


int main(void) {
    ctx c;
    memset(&c, 0, sizeof c);
    if (fixture_load(&c.fx) != 0) return 2;
    test_sizes_growth(&c);
    test_sizes_extend(&c);
    test_sizes_slices(&c);
    test_dealloc_order(&c);
    test_trashcan(&c);
    test_freelist(&c);
    test_refcounts(&c);
    test_methods(&c);
    test_repr_and_gc(&c);
    test_out_of_memory(&c);
    test_range(&c);
    fixture_free(&c.fx);
    return check_summary();
}
