/* test_weakref.c — weak references (core/src/weakrefobject.c) against
 * CPython 3.12: tests/fixtures/gc_weakref.txt (tests/record/gc_weakref.py).
 * Sets and frozensets are the weakly referenceable built-ins; the gctest.h
 * test type stands in for the record script's classes and lambdas.
 *
 *   clang -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all \
 *         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/\*.c tests/core/test_weakref.c \
 *         -o build/native/test_weakref && build/native/test_weakref      (from the repository root)
 */
#include "check.h"
#include "gctest.h"

static const char *exc_name(pm_exc_kind k) {
    switch (k) {
    case PM_EXC_TypeError: return "TypeError";
    case PM_EXC_ReferenceError: return "ReferenceError";
    case PM_EXC_ValueError: return "ValueError";
    default: return "OtherError";
    }
}

/* "<Name>: <message>" of the pending exception (cleared), or "no-error" */
static const char *err_text(pm_heap *h, char *buf, size_t cap) {
    pm_exc_kind k = pm_err_occurred(h);
    if (!k) return "no-error";
    snprintf(buf, cap, "%s: %s", exc_name(k), h->os->exc_msg);
    pm_err_clear(h);
    return buf;
}

static void expect_err(pm_heap *h, const char *key, void *result) {
    char buf[300];
    CHECKF(result == NULL, "%s: expected a failure", key);
    if (result) pm_decref(h, result);
    expect(key, err_text(h, buf, sizeof buf));
}

static pm_object *frozen_of(pm_heap *h, int n, const int *vals) {
    pm_object *f = pm_frozenset_new(h, NULL);
    for (int i = 0; i < n; i++) {
        pm_object *x = mkint(h, vals[i]);
        CHECK_EQ(pm_set_add(h, f, x), 0);
        pm_decref(h, x);
    }
    return f;
}

static int64_t b(int v) { return v ? 1 : 0; }

static pm_type keyed_type;     /* K(weakref.ref) with __slots__ = ("key",) */

static void test_basics(pm_heap *h) {
    TEST_BEGIN("sizes, type names, tracking, sharing of basic refs and proxies");
    uint64_t base = live_now(h);
    pm_object *cb = tnode_new(h, &tnode_type, "v:cb");
    pm_object *s = pm_set_new(h, NULL);
    pm_object *r = pm_weakref_new(h, NULL, s, NULL);
    pm_object *p = pm_weakref_proxy(h, s, NULL, 0);
    pm_object *rc = pm_weakref_new(h, NULL, s, cb);
    int64_t v[8];
    v[0] = (int64_t)pm_object_getsizeof(h, r);
    v[1] = (int64_t)pm_object_getsizeof(h, p);
    v[2] = (int64_t)pm_object_getsizeof(h, rc);
    expect_ints("sizes", v, 3);
    pm_decref(h, rc);

    char names[256] = "", reprs[512] = "", buf[128];
    static const pm_type_id ids[3] = { PM_T_WEAKREF, PM_T_WEAKPROXY, PM_T_WEAKCALLABLEPROXY };
    for (int i = 0; i < 3; i++) {
        pm_type *t = pm_builtin_type(h, ids[i]);
        const char *dot = strrchr(t->tp_name, '.');
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? " " : "", dot ? dot + 1 : t->tp_name);
        snprintf(reprs + strlen(reprs), sizeof reprs - strlen(reprs), "%s%s", i ? " " : "",
                 repr_of(h, (pm_object *)t, buf, sizeof buf));
    }
    expect("type_names", names);
    expect("tp_names", reprs);
    v[0] = pm_gc_obj_is_tracked(h, r);
    v[1] = pm_gc_obj_is_tracked(h, p);
    expect_ints("tracked", v, 2);

    pm_object *x[5];
    x[0] = pm_weakref_new(h, NULL, s, NULL);
    x[1] = pm_weakref_new(h, NULL, s, cb);
    x[2] = pm_weakref_new(h, NULL, s, PM_NONE(h));
    x[3] = pm_weakref_proxy(h, s, NULL, 0);
    x[4] = pm_weakref_proxy(h, s, cb, 0);
    v[0] = b(x[0] == r);
    v[1] = b(x[1] == r);
    v[2] = b(x[2] == r);
    v[3] = b(x[3] == p);
    v[4] = b(x[4] == p);
    expect_ints("shared", v, 5);
    for (int i = 0; i < 5; i++) pm_decref(h, x[i]);
    pm_object *callee = tnode_new(h, &tnode_type, "callee");   /* a callable referent */
    pm_object *cp = pm_weakref_proxy(h, callee, NULL, 1);
    CHECK(PM_TYPE(cp) == pm_builtin_type(h, PM_T_WEAKCALLABLEPROXY));
    pm_object *cp2 = pm_weakref_proxy(h, s, NULL, 1);        /* the basic proxy exists: shared */
    CHECK(cp2 == p);
    pm_decref(h, cp2);
    pm_decref(h, cp);
    pm_decref(h, callee);
    CHECK_EQ(pm_weakref_callback(h, r), (pm_object *)NULL);

    TEST_BEGIN("getweakrefcount / getweakrefs: basic ref, basic proxy, callback refs newest first");
    pm_object *t = pm_set_new(h, NULL);
    struct { pm_object *w; const char *name; } lab[6];
    int nl = 0;
    lab[nl].w = pm_weakref_new(h, NULL, t, NULL); lab[nl++].name = "r1";
    lab[nl].w = pm_weakref_new(h, NULL, t, cb); lab[nl++].name = "r3";
    lab[nl].w = pm_weakref_proxy(h, t, NULL, 0); lab[nl++].name = "px";
    lab[nl].w = pm_weakref_new(h, NULL, t, cb); lab[nl++].name = "r4";
    lab[nl].w = pm_weakref_new(h, NULL, t, NULL); lab[nl++].name = "r2";
    lab[nl].w = pm_weakref_proxy(h, t, cb, 0); lab[nl++].name = "pc";
    pm_object *empty = pm_frozenset_new(h, NULL), *one = mkint(h, 1);
    v[0] = pm_weakref_getweakrefcount(h, t);
    v[1] = pm_weakref_getweakrefcount(h, empty);
    v[2] = pm_weakref_getweakrefcount(h, one);
    expect_ints("count", v, 3);
    pm_object *ws = pm_weakref_getweakrefs(h, t);
    char order[128] = "";
    for (int64_t i = 0; i < PM_SIZE(ws); i++) {
        const char *nm = "?";
        for (int j = 0; j < nl; j++)
            if (lab[j].w == PM_LIST_GET(ws, i)) nm = lab[j].name;   /* the last label wins, as in the script */
        snprintf(order + strlen(order), sizeof order - strlen(order), "%s%s", i ? " " : "", nm);
    }
    expect("order", order);
    pm_decref(h, ws);
    pm_decref(h, t);
    v[0] = pm_weakref_getweakrefcount(h, lab[0].w);
    pm_object *got1 = pm_weakref_call(h, lab[0].w), *got3 = pm_weakref_call(h, lab[1].w);
    v[1] = b(got1 == PM_NONE(h));
    v[2] = b(got3 == PM_NONE(h));
    expect_ints("count_dead", v, 3);
    pm_decref(h, got1);
    pm_decref(h, got3);
    for (int j = 0; j < nl; j++) pm_decref(h, lab[j].w);
    pm_decref(h, empty);
    pm_decref(h, one);

    TEST_BEGIN("a subclass of ref with one slot (weakref.KeyedRef's shape)");
    {
        pm_type *rt = pm_builtin_type(h, PM_T_WEAKREF);
        pm_type *kt = &keyed_type;
        memcpy(kt, rt, sizeof *kt);
        kt->tp_name = "K";
        kt->tp_basicsize = PM_WEAKREF_BASICSIZE + 8;
        kt->tp_base = rt;
        kt->type_id = PM_T__COUNT;
        pm_object *ks = pm_set_new(h, NULL);
        pm_object *k1 = pm_weakref_new(h, kt, ks, NULL), *kr = pm_weakref_new(h, NULL, ks, NULL);
        pm_object *k2 = pm_weakref_new(h, kt, ks, NULL);
        pm_object *kl = pm_weakref_getweakrefs(h, ks);
        char ko[64] = "";
        for (int64_t i = 0; i < PM_SIZE(kl); i++) {
            pm_object *w = PM_LIST_GET(kl, i);
            snprintf(ko + strlen(ko), sizeof ko - strlen(ko), "%s ", w == k1 ? "k1" : w == k2 ? "k2" : w == kr ? "r" : "?");
        }
        snprintf(ko + strlen(ko), sizeof ko - strlen(ko), "%d %lld", k1 == k2, (long long)pm_object_getsizeof(h, k1));
        expect("subclass", ko);
        CHECK(pm_weakref_check_ref(h, k1) && pm_weakref_check(h, k1));
        pm_object *objs[] = { kl, ks, k1, kr, k2 };
        for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(h, objs[i]);
    }

    TEST_BEGIN("hash: the referent's, cached; TypeError after death unless hashed");
    static const int v12[] = { 1, 2 }, v3[] = { 3 }, v5[] = { 5 }, v6[] = { 6 };
    pm_object *f = frozen_of(h, 2, v12);
    pm_object *rf = pm_weakref_new(h, NULL, f, NULL);
    v[0] = b(pm_object_hash(h, rf) == pm_object_hash(h, f));
    expect_ints("hash_equal", v, 1);
    pm_object *g = frozen_of(h, 1, v3);
    pm_object *rg = pm_weakref_new(h, NULL, g, NULL), *rg2 = pm_weakref_new(h, NULL, g, cb);
    int64_t h1 = pm_object_hash(h, rg);
    pm_decref(h, g);
    char ebuf[300];
    int same = pm_object_hash(h, rg) == h1;     /* cached: no error */
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CHECK_EQ(pm_object_hash(h, rg2), (int64_t)-1);
    snprintf(buf, sizeof buf, "%d %s", same, err_text(h, ebuf, sizeof ebuf));
    expect("hash_after_death", buf);
    CHECK_EQ(pm_object_hash(h, r), (int64_t)-1);
    expect("hash_unhashable", err_text(h, ebuf, sizeof ebuf));
    CHECK_EQ(pm_object_hash(h, p), (int64_t)-1);
    expect("hash_proxy", err_text(h, ebuf, sizeof ebuf));
    pm_decref(h, rf);
    pm_decref(h, f);
    pm_decref(h, rg);
    pm_decref(h, rg2);

    TEST_BEGIN("equality: referents while both live, identity once one is dead");
    pm_object *a1 = frozen_of(h, 1, v5), *a2 = frozen_of(h, 1, v5), *b1 = frozen_of(h, 1, v6);
    pm_object *ra1 = pm_weakref_new(h, NULL, a1, NULL), *ra2 = pm_weakref_new(h, NULL, a2, NULL);
    pm_object *rb1 = pm_weakref_new(h, NULL, b1, NULL);
    v[0] = pm_object_eq(h, ra1, ra2);
    v[1] = pm_object_eq(h, ra1, rb1);
    v[2] = !pm_object_eq(h, ra1, ra2);
    expect_ints("eq_live", v, 3);
    pm_decref(h, a1);
    v[0] = pm_object_eq(h, ra1, ra2);
    v[1] = pm_object_eq(h, ra1, ra1);
    v[2] = !pm_object_eq(h, ra1, ra2);
    expect_ints("eq_dead", v, 3);
    pm_object *five = mkint(h, 5);
    v[0] = pm_object_eq(h, ra2, a2);
    v[1] = pm_object_eq(h, ra2, five);
    expect_ints("eq_other", v, 2);
    pm_object *eqs[] = { five, ra1, ra2, rb1, a2, b1 };
    for (size_t i = 0; i < sizeof eqs / sizeof eqs[0]; i++) pm_decref(h, eqs[i]);

    TEST_BEGIN("objects that cannot be weakly referenced");
    pm_object *l = pm_list_new(h, 0), *d = pm_dict_new(h), *i1 = mkint(h, 1);
    pm_object *tup = pm_tuple_pack(h, 1, i1), *str = mkstr(h, "a");
    expect_err(h, "err_list", pm_weakref_new(h, NULL, l, NULL));
    expect_err(h, "err_dict", pm_weakref_new(h, NULL, d, NULL));
    expect_err(h, "err_int", pm_weakref_new(h, NULL, i1, NULL));
    expect_err(h, "err_tuple", pm_weakref_new(h, NULL, tup, NULL));
    expect_err(h, "err_str", pm_weakref_new(h, NULL, str, NULL));
    expect_err(h, "err_none", pm_weakref_new(h, NULL, PM_NONE(h), NULL));
    expect_err(h, "err_ref", pm_weakref_new(h, NULL, r, NULL));
    expect_err(h, "err_proxy_list", pm_weakref_proxy(h, l, NULL, 0));
    CHECK(pm_weakref_new(h, pm_builtin_type(h, PM_T_LIST), r, NULL) == NULL);   /* not a ref type */
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_TypeError);
    pm_err_clear(h);
    pm_object *errs[] = { l, d, i1, tup, str };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) pm_decref(h, errs[i]);
    pm_object *u = pm_set_new(h, NULL), *pu = pm_weakref_proxy(h, u, NULL, 0);
    pm_decref(h, u);
    expect_err(h, "err_dead_proxy", pm_weakref_proxy_referent(h, pu));
    repr_of(h, pu, buf, sizeof buf);
    CHECKF(strstr(buf, "; to 'NoneType' at ") != NULL, "dead proxy repr: %s", buf);
    pm_decref(h, pu);
    pm_object *sd = pm_set_new(h, NULL), *rd = pm_weakref_new(h, NULL, sd, NULL);
    repr_of(h, rd, buf, sizeof buf);
    CHECKF(strstr(buf, "; to 'set' at 0x") != NULL, "live ref repr: %s", buf);
    pm_decref(h, sd);
    repr_of(h, rd, buf, sizeof buf);
    char rr[128];
    snprintf(rr, sizeof rr, "%.*s %s", (int)strlen("<weakref at 0x"), buf,
             strlen(buf) > 7 && strcmp(buf + strlen(buf) - 7, "; dead>") == 0 ? "True" : "False");
    expect("repr_dead", rr);
    pm_decref(h, rd);

    pm_decref(h, r);
    pm_decref(h, p);
    pm_decref(h, s);
    pm_decref(h, cb);
    heap_ok(h, "basics");
    CHECK_EQ(live_now(h), base);
}

/* "cbN_True" -> "cbN:1" */
static void as_colon_bools(const char *in, char *out, size_t cap) {
    size_t o = 0;
    for (const char *p = in; *p && o + 3 < cap;) {
        if (strncmp(p, "_True", 5) == 0) { out[o++] = ':'; out[o++] = '1'; p += 5; }
        else if (strncmp(p, "_False", 6) == 0) { out[o++] = ':'; out[o++] = '0'; p += 6; }
        else out[o++] = *p++;
    }
    out[o] = '\0';
}

static void test_callbacks(pm_heap *h) {
    TEST_BEGIN("callbacks on refcount death: newest first, referent already None");
    uint64_t base = live_now(h);
    flush(h);
    ev_reset();
    pm_object *v = pm_set_new(h, NULL);
    pm_object *ws[3];
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "w:cb%d", i);
        pm_object *cb = tnode_new(h, &tnode_type, nm);
        ws[i] = pm_weakref_new(h, NULL, v, cb);
        pm_decref(h, cb);
    }
    pm_object *basic = pm_weakref_new(h, NULL, v, NULL);
    pm_decref(h, v);
    char buf[512];
    as_colon_bools(g_events, buf, sizeof buf);
    expect("callbacks_refcount", buf);
    for (int i = 0; i < 3; i++) pm_decref(h, ws[i]);
    pm_decref(h, basic);

    TEST_BEGIN("a weakref that dies first never calls back");
    ev_reset();
    v = pm_set_new(h, NULL);
    pm_object *cb = tnode_new(h, &tnode_type, "v:never");
    pm_object *w = pm_weakref_new(h, NULL, v, cb);
    pm_decref(h, cb);
    pm_decref(h, w);
    pm_decref(h, v);
    int64_t n = (int64_t)strlen(g_events);
    expect_ints("callback_dead_ref", &n, 1);

    TEST_BEGIN("weakrefs in a collection");
    flush(h);
    ev_reset();
    {   /* n1 = Node(); n2 = Node(); s1 = {n2}; n1.s = s1; n2.s = {n1} */
        pm_object *n1 = tnode_new(h, &tnode_type, "n1"), *n2 = tnode_new(h, &tnode_type, "n2");
        pm_object *s1 = pm_set_new(h, NULL);
        pm_set_add(h, s1, n2);
        tnode_set(h, n1, 0, s1);
        pm_object *s2 = pm_set_new(h, NULL);
        pm_set_add(h, s2, n1);
        tnode_set(h, n2, 0, s2);
        pm_decref(h, s2);
        pm_object *c1 = tnode_new(h, &tnode_type, "v:cb_s1");
        pm_object *wr1 = pm_weakref_new(h, NULL, s1, c1);
        pm_decref(h, c1);
        pm_object *c2 = tnode_new(h, &tnode_type, "v:cb_s1_dying");
        pm_object *w2 = pm_weakref_new(h, NULL, s1, c2);
        pm_decref(h, c2);
        pm_object *holder = pm_list_new(h, 0);
        pm_list_append(h, holder, w2);
        pm_decref(h, w2);
        pm_decref(h, n1);
        pm_decref(h, n2);
        pm_decref(h, s1);
        n = pm_gc_collect(h, 2);
        snprintf(buf, sizeof buf, "%lld %s", (long long)n, g_events);
        expect("gc_weakref_callbacks", buf);
        CHECK(pm_weakref_get(h, wr1) == PM_NONE(h));
        pm_decref(h, wr1);
        pm_decref(h, holder);
        heap_ok(h, "gc_weakref_callbacks");
    }
    flush(h);
    ev_reset();
    {   /* keep['w'] = weakref.ref(s1, lambda w: keep.clear()) */
        pm_object *n1 = tnode_new(h, &tnode_type, "n1"), *s1 = pm_set_new(h, NULL);
        pm_set_add(h, s1, n1);
        tnode_set(h, n1, 0, s1);
        pm_object *c = tnode_new(h, &tnode_type, "clearkeep");
        pm_object *wk = pm_weakref_new(h, NULL, s1, c);
        pm_decref(h, c);
        pm_object *k = mkstr(h, "w");
        pm_dict_setitem(h, g_keep, k, wk);
        pm_decref(h, k);
        pm_decref(h, wk);
        pm_decref(h, n1);
        pm_decref(h, s1);
        int64_t r[2];
        r[0] = pm_gc_collect(h, 2);
        r[1] = pm_dict_len(h, g_keep);
        expect_ints("gc_weakref_dies_in_callback", r, 2);
        heap_ok(h, "gc_weakref_dies_in_callback");
    }
    flush(h);
    ev_reset();
    {   /* n1.w = weakref.ref(s1, lambda w: ...): the weakref is garbage too */
        pm_object *n1 = tnode_new(h, &tnode_type, "n1"), *s1 = pm_set_new(h, NULL);
        pm_set_add(h, s1, n1);
        tnode_set(h, n1, 0, s1);
        pm_object *c = tnode_new(h, &tnode_type, "v:garbage weakref callback");
        pm_object *wg = pm_weakref_new(h, NULL, s1, c);
        pm_decref(h, c);
        tnode_set(h, n1, 1, wg);
        pm_decref(h, wg);
        pm_decref(h, n1);
        pm_decref(h, s1);
        int64_t r[2];
        r[0] = pm_gc_collect(h, 2);
        r[1] = g_events[0] ? 1 : 0;
        expect_ints("gc_weakref_in_garbage", r, 2);
        heap_ok(h, "gc_weakref_in_garbage");
    }

    TEST_BEGIN("weakrefs to the test type: refcount death after __del__");
    ev_reset();
    {
        pm_object *o = tnode_new(h, &tfin_type, "o");
        pm_object *c = tnode_new(h, &tnode_type, "w:cb o");
        pm_object *wo = pm_weakref_new(h, NULL, o, c), *po = pm_weakref_proxy(h, o, NULL, 0);
        pm_decref(h, c);
        pm_object *got = pm_weakref_proxy_referent(h, po);
        CHECK(got == o);
        pm_decref(h, got);
        pm_decref(h, o);
        CHECK_STREQ(g_events, "del_o cb o_True");
        CHECK(pm_weakref_proxy_referent(h, po) == NULL);
        pm_err_clear(h);
        pm_decref(h, wo);
        pm_decref(h, po);
    }
    flush(h);
    heap_ok(h, "callbacks");
    CHECK_EQ(live_now(h), base);
}

int main(void) {
    if (kv_fixture_load(&FX, "gc_weakref.txt", NULL) < 0) return 2;
    pm_heap *h = gt_heap_new();
    test_basics(h);
    test_callbacks(h);
    heap_ok(h, "end");
    gt_heap_free(h);
    kv_fixture_free(&FX);
    return check_summary();
}
