/* test_tuple.c — native tests of core/src/tupleobject.c against facts
 * recorded from CPython 3.12 (tests/fixtures/sizes_sequences.txt).
 *
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all \
 *         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/\*.c tests/core/test_tuple.c \
 *         -o build/native/test_tuple && build/native/test_tuple      (from the repository root)
 */
#include "check.h"
#include "seqtest.h"

static pm_object *mk(ctx *c, long long id) { return marker_new(c->h, &c->mtype, id, &c->log); }

/* A tuple of n fresh markers with ids first, first+1, ... */
static pm_object *marker_tuple(ctx *c, int64_t n, long long first) {
    pm_object *t = pm_tuple_new(c->h, n);
    for (int64_t i = 0; i < n; i++) PM_TUPLE_SET(t, i, mk(c, first + i));
    return t;
}

static uint64_t live_no_freelists(pm_heap *h) {
    _pm_tuple_clear_freelist(h);
    _pm_list_clear_freelist(h);
    return live_blocks(h);
}

/* ---- sizes ------------------------------------------------------------------------ */

static void test_sizes(ctx *c) {
    TEST_BEGIN("tuple sizes vs CPython (tuple(range(n)), n = 0..25)");
    ctx_open(c);
    pm_heap *h = c->h;
    for (int n = 0; n <= 25; n++) {
        /* tuple(range(n)): PySequence_Tuple with the exact length hint */
        repeat_iter it = { PM_NONE(h), n };
        pm_object *t = pm_tuple_from_iter(h, n, repeat_next, &it);
        CHECK(t != NULL);
        CHECK_EQ(PM_SIZE(t), (int64_t)n);
        CHECK_EQF((long long)pm_object_getsizeof(h, t), fx_int(fx_get(&c->fx, "tuple_size.%d", n)), "n=%d", n);
        pm_object *u = pm_tuple_new(h, n);
        for (int i = 0; i < n; i++) PM_TUPLE_SET(u, i, PM_NONE(h));
        CHECK_EQ(pm_object_getsizeof(h, u), pm_object_getsizeof(h, t));
        pm_decref(h, t);
        pm_decref(h, u);
    }
    ctx_close(c);
}

static void test_empty(ctx *c) {
    TEST_BEGIN("the empty tuple singleton");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *e = h->os->empty_tuple;
    CHECK(e != NULL);
    CHECK(pm_is_immortal(e));
    CHECK(!pm_gc_is_tracked(e));
    CHECK_EQ(pm_object_getsizeof(h, e), (size_t)40);
    CHECK_EQ(pm_tuple_new(h, 0), e);
    CHECK_EQ(pm_tuple_from_array(h, NULL, 0), e);
    repeat_iter none = { PM_NONE(h), 0 };
    CHECK_EQ(pm_tuple_from_iter(h, 0, repeat_next, &none), e);
    repeat_iter none2 = { PM_NONE(h), 0 };
    CHECK_EQ(pm_tuple_from_iter(h, 10, repeat_next, &none2), e);   /* tuple(x for x in []) */
    uint64_t before = e->ob_refcnt;
    pm_incref(e);
    pm_decref(h, e);
    pm_decref(h, e);
    CHECK_EQ(e->ob_refcnt, before);
    CHECK_EQ(PM_SIZE(e), (int64_t)0);
    CHECK_EQ(pm_object_hash(h, e), fx_int(fx_get(&c->fx, "tuple_hash.()")));
    ctx_close(c);
}

/* ---- hashing ------------------------------------------------------------------------ */

/* A tiny parser for the recorded expressions: tuples, ints, 2**61-2 and tuple(range(20)). */
static pm_object *parse_expr(ctx *c, const char **p) {
    if (strncmp(*p, "tuple(range(20))", 16) == 0) {
        *p += 16;
        return marker_tuple(c, 20, 0);
    }
    if (strncmp(*p, "2**61-2", 7) == 0) {
        *p += 7;
        return mk(c, (1LL << 61) - 2);
    }
    if (**p == '(') {
        (*p)++;
        pm_object *items[32];
        int n = 0;
        while (**p != ')') {
            items[n++] = parse_expr(c, p);
            if (**p == ',') (*p)++;
        }
        (*p)++;
        return pm_tuple_from_array_steal(c->h, items, n);
    }
    char *end;
    long long v = strtoll(*p, &end, 10);
    *p = end;
    return mk(c, v);
}

static void test_hash(ctx *c) {
    TEST_BEGIN("tuple hash = CPython's xxHash-based tuplehash");
    ctx_open(c);
    int seen = 0;
    for (size_t i = 0; i < c->fx.n; i++) {
        if (strncmp(c->fx.keys[i], "tuple_hash.", 11) != 0) continue;
        const char *expr = c->fx.keys[i] + 11;
        const char *p = expr;
        pm_object *t = parse_expr(c, &p);
        CHECK_EQF((long long)pm_object_hash(c->h, t), fx_int(c->fx.values[i]), "hash(%s)", expr);
        pm_decref(c->h, t);
        seen++;
    }
    CHECK(seen >= 10);
    /* an unhashable item makes the tuple unhashable */
    pm_object *l = pm_list_new(c->h, 0);
    pm_object *t = pm_tuple_pack(c->h, 1, l);
    CHECK_EQ(pm_object_hash(c->h, t), (int64_t)-1);
    CHECK_EQ((int)pm_err_occurred(c->h), (int)PM_EXC_TypeError);
    CHECK_STREQ(c->h->os->exc_msg, "unhashable type: 'list'");
    pm_err_clear(c->h);
    pm_decref(c->h, t);
    pm_decref(c->h, l);
    ctx_close(c);
}

/* ---- deallocation ------------------------------------------------------------------- */

static void test_dealloc_order(ctx *c) {
    TEST_BEGIN("tuple dealloc releases items last to first");
    ctx_open(c);
    pm_object *t = marker_tuple(c, 4, 0);
    CHECK(pm_gc_is_tracked(t));
    pm_decref(c->h, t);
    char *s = log_join(&c->log);
    CHECK_STREQ(s, "3,2,1,0");
    free(s);
    /* NULL items (a half-built tuple) are skipped */
    log_reset(&c->log);
    t = pm_tuple_new(c->h, 3);
    PM_TUPLE_SET(t, 1, mk(c, 7));
    pm_decref(c->h, t);
    CHECK_EQ(c->log.n, (size_t)1);
    ctx_close(c);
}

/* x = (marker_i, x) or (x, marker_i), n levels; the markers' death order on
 * `del x` must equal CPython's (trashcan unwinding included). */
static void check_trash_shape(ctx *c, const char *shape, int n) {
    pm_heap *h = c->h;
    log_reset(&c->log);
    pm_object *x = PM_NONE(h);
    int tail = strcmp(shape, "tuple_tail") == 0;
    for (int i = 0; i < n; i++) {
        pm_object *t = pm_tuple_new(h, 2);
        PM_TUPLE_SET(t, tail ? 0 : 1, mk(c, i));
        PM_TUPLE_SET(t, tail ? 1 : 0, x);      /* the reference we held moves into t */
        x = t;
    }
    pm_decref(h, x);
    char *got = log_join(&c->log);
    const char *want = fx_get(&c->fx, "trash.%s.%d", shape, n);
    CHECKF(want && strcmp(got, want) == 0, "trash.%s.%d order differs:\n  got  %.200s...\n  want %.200s...", shape, n,
           got, want ? want : "(missing)");
    free(got);
}

static void test_trashcan(ctx *c) {
    TEST_BEGIN("tuple trashcan: CPython's release order, and a 1,000,000-long chain");
    ctx_open(c);
    pm_heap *h = c->h;
    check_trash_shape(c, "tuple_tail", 120);
    check_trash_shape(c, "tuple_tail", 300);
    check_trash_shape(c, "tuple_head", 120);
    check_trash_shape(c, "tuple_head", 300);

    uint64_t base = live_no_freelists(h);
    pm_object *x = PM_NONE(h);
    for (int i = 0; i < 1000000; i++) {
        pm_object *t = pm_tuple_new(h, 1);
        PM_TUPLE_SET(t, 0, x);
        x = t;
    }
    CHECK_EQ(live_blocks(h) - base, (uint64_t)1000000);
    pm_decref(h, x);                            /* must not overflow the C stack */
    CHECK_EQ(h->os->trash_nesting, 0);
    CHECK(h->os->trash_delete_later == NULL);
    CHECK_EQ(h->freelists.tuples[0], (uint32_t)PM_TUPLE_MAXFREELIST);
    CHECK_EQ(live_no_freelists(h), base);
    ctx_close(c);
}

/* ---- free lists ------------------------------------------------------------------------ */

static void test_freelist(ctx *c) {
    TEST_BEGIN("tuple free lists: reuse without the allocator, 2000 per length, length 20 kept but not reused");
    ctx_open(c);
    pm_heap *h = c->h;
    _pm_tuple_clear_freelist(h);
    uint64_t live0 = live_blocks(h);
    int64_t gen0 = h->os->gen_count[0];

    pm_object *t = pm_tuple_pack(h, 3, PM_NONE(h), PM_NONE(h), PM_NONE(h));
    CHECK_EQ(live_blocks(h), live0 + 1);
    CHECK_EQ(h->os->gen_count[0], gen0 + 1);     /* a fresh GC object counts as a gen-0 allocation */
    pm_object *addr = t;
    pm_decref(h, t);
    CHECK_EQ(h->freelists.tuples[2], 1u);
    CHECK_EQ(live_blocks(h), live0 + 1);         /* kept, not freed */
    CHECK_EQ(h->os->gen_count[0], gen0 + 1);     /* the push does not touch the count */
    uint64_t bytes = allocated_bytes(h);
    t = pm_tuple_new(h, 3);
    CHECK_EQ(t, addr);                           /* same object back */
    CHECK_EQ(h->freelists.tuples[2], 0u);
    CHECK_EQ(allocated_bytes(h), bytes);         /* the allocator was not called */
    CHECK_EQ(h->os->gen_count[0], gen0 + 1);     /* nor the gen-0 counter */
    CHECK_EQ(refcnt(t), 1u);
    CHECK(pm_gc_is_tracked(t));
    for (int i = 0; i < 3; i++) CHECK(PM_TUPLE_GET(t, i) == NULL);
    pm_decref(h, t);

    /* other lengths have their own lists */
    pm_object *t5 = pm_tuple_new(h, 5);
    CHECK(t5 != addr);
    pm_decref(h, t5);
    CHECK_EQ(h->freelists.tuples[4], 1u);
    CHECK_EQ(h->freelists.tuples[2], 1u);

    /* length 20: pushed on death, never popped (3.12: pop serves 1..19) */
    pm_object *t20 = pm_tuple_new(h, 20);
    pm_decref(h, t20);
    CHECK_EQ(h->freelists.tuples[19], 1u);
    pm_object *u20 = pm_tuple_new(h, 20);
    CHECK(u20 != t20);
    CHECK_EQ(h->freelists.tuples[19], 1u);
    pm_decref(h, u20);
    CHECK_EQ(h->freelists.tuples[19], 2u);

    /* length 21: no free list */
    uint64_t live = live_blocks(h);
    pm_object *t21 = pm_tuple_new(h, 21);
    CHECK_EQ(live_blocks(h), live + 1);
    pm_decref(h, t21);
    CHECK_EQ(live_blocks(h), live);

    /* at most 2000 per length; LIFO */
    pm_object **many = malloc(2001 * sizeof *many);
    for (int i = 0; i < 2001; i++) many[i] = pm_tuple_new(h, 1);
    for (int i = 0; i < 2001; i++) pm_decref(h, many[i]);
    CHECK_EQ(h->freelists.tuples[0], 2000u);
    pm_object *again = pm_tuple_new(h, 1);
    CHECK_EQ(again, many[1999]);                  /* the most recently kept one (the 2001st was freed) */
    pm_decref(h, again);
    free(many);

    _pm_tuple_clear_freelist(h);
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) CHECK_EQ(h->freelists.tuples[i], 0u);
    CHECK_EQ(live_blocks(h), live0);
    ctx_close(c);
}

/* ---- reference counts and the API ------------------------------------------------------ */

static void test_refcounts(ctx *c) {
    TEST_BEGIN("tuple refcounts: pack, set, resize, slices, concat, repeat");
    ctx_open(c);
    pm_heap *h = c->h;
    uint64_t base = live_no_freelists(h);
    pm_object *m = mk(c, 1);
    pm_object *t = pm_tuple_pack(h, 2, m, m);
    CHECK_EQ(refcnt(m), 3u);
    pm_decref(h, t);
    CHECK_EQ(refcnt(m), 1u);

    /* PyTuple_SetItem steals and releases the old item after storing */
    t = pm_tuple_new(h, 2);
    CHECK_EQ(pm_tuple_set(h, t, 0, pm_newref(m)), 0);
    CHECK_EQ(refcnt(m), 2u);
    pm_object *m2 = mk(c, 2);
    CHECK_EQ(pm_tuple_set(h, t, 0, pm_newref(m2)), 0);
    CHECK_EQ(refcnt(m), 1u);
    CHECK_EQ(pm_tuple_set(h, t, 5, pm_newref(m)), -1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_IndexError);
    CHECK_STREQ(h->os->exc_msg, "tuple assignment index out of range");
    pm_err_clear(h);
    CHECK_EQ(refcnt(m), 1u);                    /* stolen even on failure */
    pm_incref(t);
    CHECK_EQ(pm_tuple_set(h, t, 1, pm_newref(m)), -1);   /* shared tuples are immutable */
    pm_err_clear(h);
    CHECK_EQ(refcnt(m), 1u);
    pm_decref(h, t);
    CHECK(pm_tuple_get(h, t, 2) == NULL);
    CHECK_STREQ(h->os->exc_msg, "tuple index out of range");
    pm_err_clear(h);
    CHECK_EQ(pm_tuple_get(h, t, 0), m2);
    pm_object *last = pm_tuple_getitem(h, t, -2);
    CHECK_EQ(last, m2);
    CHECK_EQ(refcnt(m2), 3u);
    pm_decref(h, last);
    pm_decref(h, t);

    /* slices */
    pm_object *ten = marker_tuple(c, 10, 0);
    pm_object *s = pm_tuple_getslice(h, ten, PM_SLICE_NONE, PM_SLICE_NONE, PM_SLICE_NONE);
    CHECK_EQ(s, ten);
    CHECK_EQ(refcnt(ten), 2u);
    pm_decref(h, s);
    s = pm_tuple_getslice(h, ten, 9, PM_SLICE_NONE, -3);
    CHECK_REPR(h, s, "(M9, M6, M3, M0)");
    CHECK_EQ(refcnt(PM_TUPLE_GET(ten, 9)), 2u);
    pm_decref(h, s);
    s = pm_tuple_getslice(h, ten, 2, 8, 2);
    CHECK_REPR(h, s, "(M2, M4, M6)");
    pm_decref(h, s);
    CHECK_EQ(pm_tuple_getslice(h, ten, 5, 5, PM_SLICE_NONE), h->os->empty_tuple);
    CHECK(pm_tuple_getslice(h, ten, 0, 5, 0) == NULL);
    CHECK_STREQ(h->os->exc_msg, "slice step cannot be zero");
    pm_err_clear(h);

    /* concat and repeat share when the result is one operand */
    pm_object *e = h->os->empty_tuple;
    CHECK_EQ(pm_tuple_concat(h, ten, e), ten);
    CHECK_EQ(pm_tuple_concat(h, e, ten), ten);
    CHECK_EQ(refcnt(ten), 3u);
    pm_decref(h, ten);
    pm_decref(h, ten);
    pm_object *two = pm_tuple_concat(h, ten, ten);
    CHECK_EQ(PM_SIZE(two), (int64_t)20);
    CHECK_EQ(refcnt(PM_TUPLE_GET(ten, 0)), 3u);
    pm_decref(h, two);
    pm_object *l = pm_list_new(h, 0);
    CHECK(pm_tuple_concat(h, ten, l) == NULL);
    CHECK_STREQ(h->os->exc_msg, "can only concatenate tuple (not \"list\") to tuple");
    pm_err_clear(h);
    pm_decref(h, l);
    CHECK_EQ(pm_tuple_repeat(h, ten, 1), ten);
    pm_decref(h, ten);
    CHECK_EQ(pm_tuple_repeat(h, ten, 0), e);
    CHECK_EQ(pm_tuple_repeat(h, e, 7), e);
    pm_object *r = pm_tuple_repeat(h, ten, 3);
    CHECK_EQ(PM_SIZE(r), (int64_t)30);
    CHECK_EQ(PM_TUPLE_GET(r, 25), PM_TUPLE_GET(ten, 5));
    CHECK_EQ(refcnt(PM_TUPLE_GET(ten, 5)), 4u);
    CHECK_EQ(pm_object_getsizeof(h, r), (size_t)(40 + 8 * 30));
    pm_decref(h, r);
    CHECK_EQ(refcnt(PM_TUPLE_GET(ten, 5)), 1u);

    /* tuple(iterable) grows by 10 then 25 % and cuts back */
    repeat_iter it = { m, 25 };
    pm_object *g = pm_tuple_from_iter(h, 0, repeat_next, &it);
    CHECK_EQ(PM_SIZE(g), (int64_t)25);
    CHECK_EQ(refcnt(m), 26u);
    CHECK(pm_gc_is_tracked(g));
    pm_decref(h, g);
    repeat_iter it3 = { m, 3 };
    g = pm_tuple_from_iter(h, 10, repeat_next, &it3);
    CHECK_EQ(PM_SIZE(g), (int64_t)3);
    CHECK_EQ(pm_object_getsizeof(h, g), (size_t)64);
    pm_decref(h, g);
    CHECK_EQ(refcnt(m), 1u);

    /* equality: item by item, then the lengths */
    pm_object *a = marker_tuple(c, 3, 0), *b = marker_tuple(c, 3, 0), *d = marker_tuple(c, 2, 0);
    CHECK_EQ(pm_object_eq(h, a, b), 1);
    CHECK_EQ(pm_object_eq(h, a, d), 0);
    pm_object *lst = pm_list_new(h, 0);
    CHECK_EQ(pm_object_eq(h, a, lst), 0);
    pm_decref(h, lst);
    pm_decref(h, a);
    pm_decref(h, b);
    pm_decref(h, d);

    pm_decref(h, ten);
    pm_decref(h, m);
    pm_decref(h, m2);
    CHECK_EQ(live_no_freelists(h), base);
    ctx_close(c);
}

static void test_repr(ctx *c) {
    TEST_BEGIN("tuple repr vs CPython");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *e = h->os->empty_tuple, *none = PM_NONE(h);
    CHECK_REPR(h, e, fx_get(&c->fx, "repr.empty_tuple"));
    pm_object *t1 = pm_tuple_pack(h, 1, none);
    CHECK_REPR(h, t1, fx_get(&c->fx, "repr.one_tuple"));
    pm_object *t2 = pm_tuple_pack(h, 2, none, none);
    CHECK_REPR(h, t2, fx_get(&c->fx, "repr.two_tuple"));
    pm_object *in1 = pm_tuple_pack(h, 1, e), *in2 = pm_tuple_pack(h, 2, none, e);
    pm_object *nested = pm_tuple_pack(h, 3, e, in1, in2);
    CHECK_REPR(h, nested, fx_get(&c->fx, "repr.nested_tuple"));
    pm_decref(h, in1);
    pm_decref(h, in2);
    pm_decref(h, nested);
    pm_decref(h, t1);
    pm_decref(h, t2);
    ctx_close(c);
}

/* ---- the collector's untracking rule ----------------------------------------------------- */

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

static void test_maybe_untrack(ctx *c) {
    TEST_BEGIN("_pm_tuple_maybe_untrack (3.12 rule)");
    ctx_open(c);
    pm_heap *h = c->h;
    pm_object *none = PM_NONE(h);
    pm_object *a = pm_tuple_pack(h, 2, none, none);
    CHECK(pm_gc_is_tracked(a));                  /* tracked at creation */
    _pm_tuple_maybe_untrack(h, a);
    CHECK(!pm_gc_is_tracked(a));                 /* only non-GC items */

    pm_object *l = pm_list_new(h, 0);
    pm_object *b = pm_tuple_pack(h, 1, l);
    _pm_tuple_maybe_untrack(h, b);
    CHECK(pm_gc_is_tracked(b));                  /* holds a list */

    pm_object *inner = pm_tuple_pack(h, 1, none);
    pm_object *outer = pm_tuple_pack(h, 1, inner);
    _pm_tuple_maybe_untrack(h, outer);
    CHECK(pm_gc_is_tracked(outer));              /* its item is a tracked tuple */
    _pm_tuple_maybe_untrack(h, inner);
    _pm_tuple_maybe_untrack(h, outer);
    CHECK(!pm_gc_is_tracked(inner));
    CHECK(!pm_gc_is_tracked(outer));

    pm_object *half = pm_tuple_new(h, 2);
    PM_TUPLE_SET(half, 0, pm_newref(none));
    _pm_tuple_maybe_untrack(h, half);
    CHECK(pm_gc_is_tracked(half));               /* a NULL item: not fully built */

    /* static types are GC-flagged but not GC objects (type_is_gc) */
    pm_object *ty = pm_tuple_pack(h, 2, (pm_object *)pm_builtin_type(h, PM_T_TUPLE), h->os->empty_tuple);
    _pm_tuple_maybe_untrack(h, ty);
    CHECK(!pm_gc_is_tracked(ty));

    /* GC-visiting order: last item first */
    pm_object *order = marker_tuple(c, 3, 0);
    visit_rec seen = { { 0 }, 0 };
    CHECK_EQ(pm_object_traverse(h, order, visit_ids, &seen), 0);
    CHECK_EQ(seen.n, 3);
    CHECK_EQ(seen.ids[0], 2LL);
    CHECK_EQ(seen.ids[2], 0LL);

    pm_decref(h, order);
    pm_decref(h, ty);
    pm_decref(h, half);
    pm_decref(h, outer);
    pm_decref(h, inner);
    pm_decref(h, b);
    pm_decref(h, l);
    pm_decref(h, a);
    ctx_close(c);
}

int main(void) {
    ctx c;
    memset(&c, 0, sizeof c);
    if (fixture_load(&c.fx) != 0) return 2;
    test_sizes(&c);
    test_empty(&c);
    test_hash(&c);
    test_dealloc_order(&c);
    test_trashcan(&c);
    test_freelist(&c);
    test_refcounts(&c);
    test_repr(&c);
    test_maybe_untrack(&c);
    fixture_free(&c.fx);
    return check_summary();
}
