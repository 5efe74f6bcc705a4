/* test_class.c — user classes and instances (core/src/typeobject.c) and
 * split dict tables (core/src/dictobject.c) against CPython 3.12
 * (tests/fixtures/sizes_classes.txt, recorded by tests/record/sizes_classes.py):
 * class and instance sizes, flags and dict keys; __dict__ sizes as instances
 * are created and attributes set; per-instance allocations; class refcounts;
 * __dict__ order; the release order of attributes, slots and dicts; the
 * finalizer (once, resurrection) through the host hook; the trashcan order
 * and a 1,000,000-long instance chain; the error messages; bad input; leaks
 * and the heap checker.
 *
 *   tests/core/run.sh unit test_class      (from the repository root)
 */
#include "check.h"
#include "containertest.h"
#include "typeobject.h"
#include "tupleobject.h"

static kv_fixture FX;

static const char *fx(const char *key) { return ct_get(&FX, key); }

static long long fx_int(const char *key) {
    const char *v = fx(key);
    return v ? strtoll(v, NULL, 10) : -999999;
}

/* Compares n integers with the fixture line `key`. */
static void expect_ints(const char *key, const long long *got, size_t n) {
    long long want[128];
    const char *v = fx(key);
    if (!v) return;
    size_t m = ct_parse_ints(v, want, 128);
    CHECKF(m == n, "%s: %zu values recorded, %zu produced", key, m, n);
    for (size_t i = 0; i < n && i < m; i++) CHECKF(got[i] == want[i], "%s[%zu]: model %lld, CPython %lld", key, i, got[i], want[i]);
}

static void expect_str(const char *key, const char *got) {
    const char *v = fx(key);
    if (v) CHECKF(strcmp(v, got) == 0, "%s: model '%s', CPython '%s'", key, got, v);
}

/* ---- Building blocks ------------------------------------------------------------ */

static pm_heap *H;

/* An identifier str, interned as the compiler interns names. */
static pm_object *S(const char *s) { return pm_unicode_intern_from_string(H, s); }

/* A class body namespace: __module__ and __qualname__, as the compiler's
 * class body code stores them first. */
static pm_object *ns_new(const char *qualname) {
    pm_object *ns = pm_dict_new(H);
    pm_dict_setitem(H, ns, S("__module__"), S("__main__"));
    pm_dict_setitem(H, ns, S("__qualname__"), S(qualname));
    return ns;
}

static void ns_set(pm_object *ns, const char *name, pm_object *v) {
    CHECK_EQ(pm_dict_setitem(H, ns, S(name), v), 0);
}

/* A stand-in for a function object in a class body (a plain class attribute). */
static pm_object *standin(void) { return pm_newref(PM_NONE(H)); }

static pm_object *mkclass(const char *name, pm_object *base, pm_object *ns) {
    pm_object *c = pm_type_new(H, S(name), base, ns);
    CHECKF(c != NULL, "class %s: %s", name, H->os->exc_msg);
    pm_decref(H, ns);
    return c;
}

static pm_object *plain_class(const char *name) { return mkclass(name, NULL, ns_new(name)); }

/* A class with __slots__ given as a tuple of names. */
static pm_object *slots_class(const char *name, pm_object *base, int n, const char *const *slots) {
    pm_object *ns = ns_new(name);
    pm_object *t = pm_tuple_new(H, n);
    for (int i = 0; i < n; i++) PM_TUPLE_ITEMS(t)[i] = S(slots[i]);
    ns_set(ns, "__slots__", t);
    pm_decref(H, t);
    return mkclass(name, base, ns);
}

/* Classes live in a cycle (their MRO holds them): the collector's tp_clear
 * breaks it, then the last reference goes. */
static void drop_class(pm_object *c) {
    PM_TYPE(c)->tp_clear(H, c);
    pm_decref(H, c);
}

static pm_object *inst(pm_object *cls) {
    pm_object *o = pm_instance_new(H, cls);
    CHECKF(o != NULL, "instance of %s: %s", ((pm_type *)cls)->tp_name, H->os->exc_msg);
    return o;
}

static void set(pm_object *o, const char *name, pm_object *v) {
    int r = pm_object_setattr(H, o, S(name), v);
    CHECKF(r == 0, "setattr %s: %s", name, H->os->exc_msg);
}

static void set_int(pm_object *o, const char *name, long long v) {
    pm_object *i = ct_mkint(H, v);
    set(o, name, i);
    pm_decref(H, i);
}

static void del(pm_object *o, const char *name) {
    int r = pm_object_delattr(H, o, S(name));
    CHECKF(r == 0, "delattr %s: %s", name, H->os->exc_msg);
}

static long long gs(pm_object *o) { return (long long)pm_object_getsizeof(H, o); }

/* sys.getsizeof(o.__dict__) */
static long long dict_gs(pm_object *o) {
    pm_object *d = pm_object_get_dict(H, o);
    CHECK(d != NULL);
    if (!d) return -1;
    long long n = gs(d);
    pm_decref(H, d);
    return n;
}

/* The keys of a dict, space-separated (UTF-8), in iteration order. */
static void dict_keys_text(pm_object *d, char *out, size_t cap) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, H);
    int64_t pos = 0;
    pm_object *k;
    while (pm_dict_next(H, d, &pos, &k, NULL)) {
        if (sb.len) _pm_strbuf_puts(&sb, " ");
        pm_unicode_write_utf8(H, k, &sb);
    }
    snprintf(out, cap, "%s", sb.buf ? sb.buf : "");
    _pm_strbuf_free(&sb);
}

static const char *const exc_names[PM_EXC__COUNT] = {
    [PM_EXC_NONE] = "no error", [PM_EXC_MemoryError] = "MemoryError", [PM_EXC_TypeError] = "TypeError",
    [PM_EXC_ValueError] = "ValueError", [PM_EXC_KeyError] = "KeyError", [PM_EXC_AttributeError] = "AttributeError",
};

/* The UTF-8 of a str (sb freed by the caller). */
static const char *name_of(pm_object *s, pm_strbuf *sb) {
    _pm_strbuf_init(sb, H);
    pm_unicode_write_utf8(H, s, sb);
    return sb->buf ? sb->buf : "";
}

/* Compares the pending exception with "Type: message" recorded under key, then clears it. */
static void expect_error(const char *key) {
    char got[400];
    pm_exc_kind k = pm_err_occurred(H);
    if (k == PM_EXC_NONE) snprintf(got, sizeof got, "no error");
    else snprintf(got, sizeof got, "%s: %s", exc_names[k] ? exc_names[k] : "?", H->os->exc_msg);
    expect_str(key, got);
    pm_err_clear(H);
}

/* ---- Class and instance shapes ------------------------------------------------------ */

static pm_object *shape(const char *name, pm_object *A, pm_object *S_) {
    static const char *const cab[] = { "c", "a", "b" }, *const dict_only[] = { "__dict__" },
                             *const weak_x[] = { "__weakref__", "x" }, *const x[] = { "x" };
    if (!strcmp(name, "A")) return plain_class("A");
    if (!strcmp(name, "M")) {
        pm_object *ns = ns_new("M"), *one = ct_mkint(H, 1), *f = standin(), *g = standin();
        ns_set(ns, "x", one);
        ns_set(ns, "f", f);
        ns_set(ns, "g", g);
        pm_decref(H, one); pm_decref(H, f); pm_decref(H, g);
        return mkclass("M", NULL, ns);
    }
    if (!strcmp(name, "S")) return slots_class("S", NULL, 3, cab);
    if (!strcmp(name, "S0")) return slots_class("S0", NULL, 0, NULL);
    if (!strcmp(name, "B")) return mkclass("B", A, ns_new("B"));
    if (!strcmp(name, "C")) return mkclass("C", S_, ns_new("C"));
    if (!strcmp(name, "SD")) return slots_class("SD", NULL, 1, dict_only);
    if (!strcmp(name, "SW")) return slots_class("SW", NULL, 2, weak_x);
    if (!strcmp(name, "S2")) return slots_class("S2", A, 1, x);
    /* D: a docstring and __del__ */
    pm_object *ns = ns_new("D"), *doc = pm_unicode_from_string(H, "doc"), *d = standin();
    ns_set(ns, "__doc__", doc);
    ns_set(ns, "__del__", d);
    pm_decref(H, doc); pm_decref(H, d);
    return mkclass("D", NULL, ns);
}

static void test_shapes(void) {
    TEST_BEGIN("class and instance shapes: sizes, flags, offsets, dict keys");
    static const char *const names[] = { "A", "M", "S", "S0", "B", "C", "SD", "SW", "S2", "D" };
    pm_object *cls[10] = { 0 };
    char key[96], text[512];
    for (int i = 0; i < 10; i++) {
        cls[i] = shape(names[i], cls[0], cls[2]);
        if (!cls[i]) return;
        pm_type *t = (pm_type *)cls[i];
        pm_heaptype *ht = (pm_heaptype *)t;
#define FXK(field) (snprintf(key, sizeof key, "class.%s." field, names[i]), key)
        CHECKF(gs(cls[i]) == fx_int(FXK("getsizeof")), "%s getsizeof %lld", names[i], gs(cls[i]));
        CHECKF((long long)pm_object_sizeof(H, cls[i]) == fx_int(FXK("sizeof")), "%s sizeof", names[i]);
        CHECKF((long long)t->tp_flags == fx_int(FXK("flags")), "%s flags 0x%x", names[i], t->tp_flags);
        CHECKF((long long)t->tp_basicsize == fx_int(FXK("basicsize")), "%s basicsize %u", names[i], t->tp_basicsize);
        CHECKF((long long)ht->tp_dictoffset == fx_int(FXK("dictoffset")), "%s dictoffset", names[i]);
        long long wo = t->tp_weaklistoffset == PM_WEAKLIST_MANAGED ? -32 : t->tp_weaklistoffset;
        CHECKF(wo == fx_int(FXK("weakrefoffset")), "%s weakrefoffset %lld", names[i], wo);
        dict_keys_text(ht->tp_dict, text, sizeof text);
        expect_str(FXK("keys"), text);
        pm_object *o = inst(cls[i]);
        snprintf(key, sizeof key, "inst.%s.getsizeof", names[i]);
        CHECKF(gs(o) == fx_int(key), "%s() getsizeof %lld", names[i], gs(o));
        snprintf(key, sizeof key, "inst.%s.sizeof", names[i]);
        CHECKF((long long)pm_object_sizeof(H, o) == fx_int(key), "%s() sizeof", names[i]);
        /* the block is what 3.12 requests: pre-header + GC head + basicsize */
        CHECK_EQ(pm_block_size(H, (char *)o - pm_type_preheader(t)), (size_t)((gs(o) + 15) & ~15));
        pm_decref(H, o);
#undef FXK
    }
    /* D defines __del__: a finalizer through the host */
    CHECK(((pm_type *)cls[9])->tp_finalize == pm_finalize_via_host);
    CHECK(((pm_type *)cls[0])->tp_finalize == NULL);
    for (int i = 9; i >= 0; i--) drop_class(cls[i]);
}

static void test_refcounts(void) {
    TEST_BEGIN("class refcounts: MRO and descriptors, subclasses, one per instance");
    static const char *const cab[] = { "c", "a", "b" };
    pm_object *A = plain_class("A");
    CHECK_EQ((long long)ct_refcnt(A), fx_int("class.A.refcnt"));
    pm_object *B = mkclass("B", A, ns_new("B"));
    CHECK_EQ((long long)ct_refcnt(B), fx_int("class.B.refcnt"));
    CHECK_EQ((long long)ct_refcnt(A), fx_int("class.A_with_subclass.refcnt"));
    pm_object *Sc = slots_class("S", NULL, 3, cab);
    CHECK_EQ((long long)ct_refcnt(Sc), fx_int("class.S.refcnt"));
    pm_object *ns = ns_new("M"), *one = ct_mkint(H, 1), *f = standin();
    ns_set(ns, "x", one);
    ns_set(ns, "f", f);
    pm_decref(H, one);
    pm_decref(H, f);
    pm_object *M = mkclass("M", NULL, ns);
    CHECK_EQ((long long)ct_refcnt(M), fx_int("class.M.refcnt"));
    drop_class(B);
    drop_class(Sc);
    drop_class(M);

    pm_object *C = plain_class("A");
    long long rc[6];
    pm_object *keep[5];
    rc[0] = (uint32_t)C->ob_refcnt;
    for (int i = 0; i < 5; i++) {
        keep[i] = inst(C);
        rc[i + 1] = (uint32_t)C->ob_refcnt;
    }
    expect_ints("refcnt.instances", rc, 6);
    for (int i = 0; i < 5; i++) pm_decref(H, keep[i]);
    CHECK_EQ((long long)ct_refcnt(C), rc[0]);
    drop_class(C);
    drop_class(A);
}

static void test_methods(void) {
    TEST_BEGIN("a class's size does not grow with its dict");
    int counts[] = { 0, 1, 2, 3, 4, 5, 40 };
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        pm_object *ns = ns_new("K");
        char nm[32], key[64];
        for (int i = 0; i < counts[k]; i++) {
            pm_object *f = standin(), *v = ct_mkint(H, i);
            snprintf(nm, sizeof nm, "m%d", i);
            ns_set(ns, nm, f);
            snprintf(nm, sizeof nm, "x%d", i);
            ns_set(ns, nm, v);
            pm_decref(H, f);
            pm_decref(H, v);
        }
        pm_object *K = mkclass("K", NULL, ns);
        snprintf(key, sizeof key, "methods.%d.getsizeof", counts[k]);
        CHECKF(gs(K) == fx_int(key), "%s: %lld", key, gs(K));
        drop_class(K);
    }
}

/* ---- __dict__ sizes and per-instance allocations -------------------------------------------- */

/* The first instance of a fresh `class A: pass`. */
static pm_object *fresh_instance(pm_object **cls) {
    *cls = plain_class("A");
    return inst(*cls);
}

/* Drops an instance's dict, the instance and its class. */
static void release_all(pm_object *d, pm_object *o, pm_object *cls) {
    pm_decref(H, d);
    pm_decref(H, o);
    drop_class(cls);
}

static void test_instance_values(void) {
    TEST_BEGIN("per-instance allocations and __dict__ sizes of a fresh class");
    long long got[64];
    /* allocations of A(): the 48-byte instance, then the values block */
    pm_object *A = plain_class("A"), *keep[33];
    long long want[64];
    size_t nw = ct_parse_ints(fx("alloc.first33"), want, 64);
    CHECK_EQ(nw, (size_t)33);
    for (int i = 0; i < 33 && (size_t)i < nw; i++) {
        keep[i] = inst(A);
        uintptr_t w = *PM_PREHEADER_DICT(keep[i]);
        CHECK(pm_dorv_is_values(w));
        pm_dictvalues *v = pm_dorv_values(w);
        uint8_t prefix = ((uint8_t *)v)[-1];
        void *block = (uint8_t *)v - prefix;
        /* the size the core requested, read back from the block's own
         * prefix byte and the shared keys at creation: n slots */
        pm_dictkeys *keys = ((pm_heaptype *)A)->ht_cached_keys;
        int64_t n = pm_dictkeys_shared_usable(keys);
        long long requested = 48 + (long long)pm_dictvalues_model_size(n);
        got[i] = requested;
        CHECK_EQ((long long)prefix, (long long)((n + 2 + 7) & ~7));
        CHECK_EQ(pm_block_size(H, (char *)keep[i] - 32), (size_t)48);
        CHECK_EQ(pm_block_size(H, block), (size_t)((want[i] - 48 + 15) & ~15));
    }
    expect_ints("alloc.first33", got, 33);
    for (int i = 0; i < 33; i++) pm_decref(H, keep[i]);
    drop_class(A);

    A = plain_class("A");
    for (int i = 0; i < 33; i++) {
        pm_object *o = inst(A);
        got[i] = dict_gs(o);
        pm_decref(H, o);
    }
    expect_ints("dictsize.fresh", got, 33);
    drop_class(A);

    A = plain_class("A");
    for (int i = 0; i < 5; i++) keep[i] = inst(A);
    for (int i = 0; i < 5; i++) got[i] = dict_gs(keep[i]);
    expect_ints("dictsize.late", got, 5);
    for (int i = 0; i < 5; i++) pm_decref(H, keep[i]);
    drop_class(A);

    /* attributes set through a materialised dict */
    A = plain_class("A");
    pm_object *a = inst(A), *d = pm_object_get_dict(H, a);
    for (int i = 0; i < 40; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "a%d", i);
        set_int(a, nm, i);
        got[i] = gs(d);
    }
    expect_ints("dictsize.attrs_live", got, 40);
    CHECK_EQ(pm_dict_len(H, d), (int64_t)40);
    pm_decref(H, d);
    pm_decref(H, a);
    drop_class(A);

    /* attributes set in the values, the dict made afterwards */
    for (int k = 0; k <= 40; k++) {
        char key[64];
        A = plain_class("A");
        a = inst(A);
        for (int i = 0; i < k; i++) {
            char nm[16];
            snprintf(nm, sizeof nm, "a%d", i);
            set_int(a, nm, i);
        }
        /* the 30th name does not fit the shared keys: a combined dict */
        CHECK_EQ(pm_dorv_is_values(*PM_PREHEADER_DICT(a)), k < 30);
        snprintf(key, sizeof key, "dictsize.attrs_values.%d", k);
        CHECKF(dict_gs(a) == fx_int(key), "%s: %lld", key, dict_gs(a));
        pm_object *v = pm_object_getattr(H, a, S(k ? "a0" : "__dict__"));
        CHECK(v != NULL);
        pm_xdecref(H, v);
        pm_decref(H, a);
        drop_class(A);
    }

    /* copy of a split dict; a non-str key converts it */
    a = fresh_instance(&A);
    set_int(a, "p", 1);
    set_int(a, "q", 2);
    d = pm_object_get_dict(H, a);
    pm_object *c = pm_dict_copy(H, d);
    got[0] = gs(d);
    got[1] = gs(c);
    expect_ints("dictsize.copy", got, 2);
    CHECK(((pm_dictobject *)c)->ma_values != NULL);
    CHECK_EQ(pm_dict_eq(H, c, d), 1);
    pm_decref(H, c);
    release_all(d, a, A);

    a = fresh_instance(&A);
    set_int(a, "x", 1);
    got[0] = dict_gs(a);
    d = pm_object_get_dict(H, a);
    pm_object *one = ct_mkint(H, 1);
    CHECK_EQ(pm_dict_setitem(H, d, one, one), 0);
    got[1] = gs(d);
    expect_ints("dictsize.nonstr", got, 2);
    CHECK_EQ(((pm_dictobject *)d)->ma_keys->dk_kind, PM_DICT_KEYS_GENERAL);
    pm_object *x = pm_object_getattr(H, a, S("x"));
    CHECK(x == one);
    pm_xdecref(H, x);
    pm_decref(H, one);
    release_all(d, a, A);

    A = plain_class("A");
    pm_object *B = mkclass("B", A, ns_new("B"));
    for (int i = 0; i < 3; i++) {
        pm_object *o = inst(B);
        got[i] = dict_gs(o);
        pm_decref(H, o);
    }
    a = inst(A);
    got[3] = dict_gs(a);
    pm_decref(H, a);
    expect_ints("dictsize.subclass", got, 4);
    drop_class(B);
    drop_class(A);
}

static void test_dict_order(void) {
    TEST_BEGIN("instance __dict__ iteration order (insertion order of each instance)");
    char text[256];
    pm_object *A = plain_class("A");
    pm_object *a1 = inst(A), *a2 = inst(A), *a3 = inst(A), *a4 = inst(A);
    set_int(a1, "a", 1); set_int(a1, "b", 2); set_int(a1, "c", 3);
    set_int(a2, "c", 1); set_int(a2, "b", 2); set_int(a2, "a", 3);
    pm_object *d = pm_object_get_dict(H, a2);
    dict_keys_text(d, text, sizeof text);
    expect_str("dictorder.reversed", text);
    pm_decref(H, d);
    set_int(a3, "c", 1); set_int(a3, "b", 2); set_int(a3, "a", 3);
    del(a3, "b");
    set_int(a3, "b", 4);
    d = pm_object_get_dict(H, a3);
    dict_keys_text(d, text, sizeof text);
    expect_str("dictorder.del_reinsert", text);
    pm_decref(H, d);
    set_int(a4, "c", 1);
    d = pm_object_get_dict(H, a4);
    pm_object *one = ct_mkint(H, 1), *two = ct_mkint(H, 2);
    CHECK_EQ(pm_dict_setitem(H, d, S("z"), one), 0);
    CHECK_EQ(pm_dict_setitem(H, d, S("a"), two), 0);
    CHECK_EQ(pm_dict_delitem(H, d, S("c")), 0);
    dict_keys_text(d, text, sizeof text);
    expect_str("dictorder.via_dict", text);
    /* the values are visible as attributes and the other way round */
    pm_object *z = pm_object_getattr(H, a4, S("z"));
    CHECK(z == one);
    pm_xdecref(H, z);
    pm_decref(H, one);
    pm_decref(H, two);
    pm_decref(H, d);
    pm_decref(H, a1); pm_decref(H, a2); pm_decref(H, a3); pm_decref(H, a4);

    /* popitem converts to a combined table first; setdefault and update
     * with new names stay split; update of an empty split dict clones */
    char buf[300];
    pm_object *a5 = inst(A);
    set_int(a5, "c", 1); set_int(a5, "a", 2); set_int(a5, "b", 3);
    d = pm_object_get_dict(H, a5);
    pm_object *k, *v;
    CHECK_EQ(pm_dict_popitem(H, d, &k, &v), 0);
    dict_keys_text(d, text, sizeof text);
    pm_strbuf sb;
    snprintf(buf, sizeof buf, "%s %lld %s", name_of(k, &sb), gs(d), text);
    _pm_strbuf_free(&sb);
    expect_str("dictorder.popitem", buf);
    pm_decref(H, k); pm_decref(H, v); pm_decref(H, d); pm_decref(H, a5);
    pm_object *a6 = inst(A), *five = ct_mkint(H, 5), *six = ct_mkint(H, 6);
    set_int(a6, "b", 1);
    d = pm_object_get_dict(H, a6);
    CHECK(pm_dict_setdefault(H, d, S("q"), five) == five);
    CHECK(pm_dict_setdefault(H, d, S("a"), six) == six);
    dict_keys_text(d, text, sizeof text);
    snprintf(buf, sizeof buf, "%lld %s", gs(d), text);
    expect_str("dictorder.setdefault", buf);
    CHECK(((pm_dictobject *)d)->ma_values != NULL);
    pm_object *q = pm_object_getattr(H, a6, S("q"));
    CHECK(q == five);
    pm_xdecref(H, q);
    pm_decref(H, five); pm_decref(H, six); pm_decref(H, d); pm_decref(H, a6);
    for (int pass = 0; pass < 2; pass++) {
        pm_object *o = inst(A);
        if (pass == 0) set_int(o, "b", 1);
        d = pm_object_get_dict(H, o);
        pm_object *ks[2] = { S("a"), S("zz") }, *vs[2] = { ct_mkint(H, 1), ct_mkint(H, 2) };
        pm_object *other = pm_dict_from_items(H, ks, vs, 2);
        CHECK_EQ(pm_dict_update(H, d, other), 0);
        dict_keys_text(d, text, sizeof text);
        snprintf(buf, sizeof buf, "%lld %s", gs(d), text);
        expect_str(pass == 0 ? "dictorder.update" : "dictorder.update_empty", buf);
        pm_decref(H, other); pm_decref(H, vs[0]); pm_decref(H, vs[1]); pm_decref(H, d); pm_decref(H, o);
    }
    drop_class(A);
    /* one instance's dict updated from another's: both share the keys */
    pm_object *C = plain_class("C"), *ca = inst(C), *cb = inst(C);
    set_int(cb, "p", 1); set_int(cb, "q", 2); set_int(ca, "z", 0);
    d = pm_object_get_dict(H, ca);
    pm_object *db = pm_object_get_dict(H, cb);
    CHECK_EQ(pm_dict_update(H, d, db), 0);
    dict_keys_text(d, text, sizeof text);
    snprintf(buf, sizeof buf, "%lld %s", gs(d), text);
    expect_str("dictorder.update_shared", buf);
    pm_decref(H, db);
    pm_decref(H, cb);
    release_all(d, ca, C);
}

/* ---- Finalizers and release order ---------------------------------------------------------- */

static char g_log[1024];
static pm_object *g_saved[8];
static int g_nsaved;

/* The host's __del__: markers log their .n; class K logs "K"; class R logs
 * "R" and resurrects itself (saved.append(self)). */
static void log_finalize(pm_heap *h, pm_object *o, void *ctx) {
    (void)ctx;
    const char *tn = PM_TYPE(o)->tp_name, *what = tn;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (!strcmp(tn, "Mk")) {
        pm_object *n = pm_object_getattr(h, o, S("n"));
        CHECK(n != NULL);
        if (n) {
            pm_unicode_write_utf8(h, n, &sb);
            pm_decref(h, n);
            what = sb.buf ? sb.buf : "?";
        }
    }
    if (!strcmp(tn, "R") && g_nsaved < 8) g_saved[g_nsaved++] = pm_newref(o);
    if (g_log[0]) strcat(g_log, " ");
    strcat(g_log, what);
    _pm_strbuf_free(&sb);
}

static pm_object *g_Mk;

static pm_object *marker(const char *n) {
    pm_object *m = inst(g_Mk), *s = pm_unicode_from_string(H, n);
    set(m, "n", s);
    pm_decref(H, s);
    return m;
}

static void setm(pm_object *o, const char *name, const char *n) {
    pm_object *m = marker(n);
    set(o, name, m);
    pm_decref(H, m);
}

static pm_object *class_with_del(const char *name, pm_object *base) {
    pm_object *ns = ns_new(name), *f = standin();
    ns_set(ns, "__del__", f);
    pm_decref(H, f);
    return mkclass(name, base, ns);
}

static void expect_log(const char *key) {
    expect_str(key, g_log);
    g_log[0] = '\0';
}

static void test_dealloc_order(void) {
    TEST_BEGIN("release order: values by entry index, slots by name, finalizer first");
    static const char *const cab[] = { "c", "a", "b" }, *const zy[] = { "z", "y" };
    pm_host_hooks hooks = { log_finalize, NULL, NULL };
    pm_set_host_hooks(H, &hooks);
    g_Mk = class_with_del("Mk", NULL);
    g_log[0] = '\0';

    pm_object *A = plain_class("A");
    pm_object *a = inst(A);
    setm(a, "a", "a"); setm(a, "b", "b"); setm(a, "c", "c");
    pm_decref(H, a);
    expect_log("dealloc.values_abc");
    a = inst(A);
    setm(a, "c", "c"); setm(a, "b", "b"); setm(a, "a", "a");
    pm_decref(H, a);
    expect_log("dealloc.values_cba_after_abc");
    a = inst(A);
    setm(a, "c", "c"); setm(a, "b", "b"); setm(a, "a", "a");
    pm_decref(H, pm_object_get_dict(H, a));
    pm_decref(H, a);
    expect_log("dealloc.dict_cba_after_abc");
    a = inst(A);
    setm(a, "c", "c"); setm(a, "b", "b"); setm(a, "a", "a");
    del(a, "b");
    setm(a, "b", "b2");
    pm_decref(H, a);
    expect_log("dealloc.values_delete_reinsert");
    drop_class(A);

    pm_object *Sc = slots_class("S", NULL, 3, cab);
    pm_object *s = inst(Sc);
    setm(s, "c", "c"); setm(s, "a", "a"); setm(s, "b", "b");
    pm_decref(H, s);
    expect_log("dealloc.slots_cab");
    pm_object *T = slots_class("T", Sc, 2, zy);
    pm_object *t = inst(T);
    setm(t, "z", "z"); setm(t, "y", "y"); setm(t, "c", "c"); setm(t, "a", "a"); setm(t, "b", "b");
    pm_decref(H, t);
    expect_log("dealloc.subclass_slots");
    pm_object *U = mkclass("U", Sc, ns_new("U"));
    pm_object *u = inst(U);
    setm(u, "q", "q"); setm(u, "c", "c"); setm(u, "a", "a");
    pm_decref(H, u);
    expect_log("dealloc.slots_then_dict");
    drop_class(U);
    drop_class(T);
    drop_class(Sc);

    pm_object *K = class_with_del("K", NULL);
    pm_object *k = inst(K);
    setm(k, "x", "x"); setm(k, "y", "y");
    pm_decref(H, k);
    expect_log("dealloc.finalizer_first");
    drop_class(K);

    /* resurrection: __del__ stores self; the object lives on, tracked; the
     * finalizer never runs again (PEP 442) */
    pm_object *R = class_with_del("R", NULL);
    pm_object *r = inst(R);
    setm(r, "x", "x");
    pm_decref(H, r);
    char buf[64];
    snprintf(buf, sizeof buf, "%s alive=%d", g_log, g_nsaved);
    g_log[0] = '\0';
    expect_str("dealloc.resurrect_first", buf);
    CHECK_EQ(g_nsaved, 1);
    CHECK(g_saved[0] == r);
    CHECK_EQ((uint32_t)r->ob_refcnt, 1u);
    CHECK(pm_gc_is_tracked(r));
    pm_object *x = pm_object_getattr(H, r, S("x"));      /* its attributes are intact */
    CHECK(x != NULL && PM_TYPE(x) == (pm_type *)g_Mk);
    pm_xdecref(H, x);
    g_nsaved = 0;
    pm_decref(H, g_saved[0]);
    expect_log("dealloc.resurrect_second");
    drop_class(R);

    /* what the collector does with `c.self = c`: tp_clear, by entry index */
    pm_object *C = plain_class("C");
    pm_object *cc = inst(C);
    setm(cc, "a", "a");
    set(cc, "self", cc);
    setm(cc, "b", "b");
    pm_decref(H, cc);
    CHECK_EQ((uint32_t)cc->ob_refcnt, 1u);
    PM_TYPE(cc)->tp_clear(H, cc);          /* frees cc through its own reference */
    snprintf(buf, sizeof buf, "%s collected=3", g_log);
    g_log[0] = '\0';
    expect_str("dealloc.gc_cycle", buf);
    drop_class(C);

    /* __del__ assigned or deleted after creation (type_setattro -> update_slot) */
    pm_object *P = plain_class("P");
    pm_object *Q = mkclass("Q", P, ns_new("Q"));
    CHECK(((pm_type *)Q)->tp_finalize == NULL);
    pm_object *f = standin();
    CHECK_EQ(pm_object_setattr(H, P, S("__del__"), f), 0);
    pm_decref(H, f);
    CHECK(((pm_type *)P)->tp_finalize == pm_finalize_via_host);
    CHECK(((pm_type *)Q)->tp_finalize == pm_finalize_via_host);
    pm_object *q = inst(Q);
    pm_decref(H, q);
    CHECK_STREQ(g_log, "Q");
    g_log[0] = '\0';
    CHECK_EQ(pm_object_delattr(H, P, S("__del__")), 0);
    CHECK(((pm_type *)P)->tp_finalize == NULL);
    CHECK(((pm_type *)Q)->tp_finalize == NULL);
    drop_class(Q);
    drop_class(P);

    drop_class(g_Mk);
    pm_set_host_hooks(H, NULL);
}

/* ---- Trashcan -------------------------------------------------------------------------------------- */

static void test_trashcan(void) {
    TEST_BEGIN("a chain of instances is freed through the trashcan, in CPython's order");
    static const char *const orders[] = { "next_first", "marker_first" };
    for (int pass = 0; pass < 2; pass++) {
        pm_object *N = plain_class("N"), *head = pm_newref(PM_NONE(H));
        ct_nlog = 0;
        for (int i = 0; i < 120; i++) {
            pm_object *node = inst(N), *m = ct_tracer_new(H, i);
            if (pass == 0) { set(node, "next", head); set(node, "m", m); }
            else { set(node, "m", m); set(node, "next", head); }
            pm_decref(H, m);
            pm_decref(H, head);
            head = node;
        }
        pm_decref(H, head);
        long long got[120];
        for (size_t i = 0; i < 120; i++) got[i] = i < ct_nlog ? ct_log[i] : -1;
        CHECK_EQ(ct_nlog, (size_t)120);
        char key[64];
        snprintf(key, sizeof key, "trash.%s.120", orders[pass]);
        expect_ints(key, got, 120);
        drop_class(N);
    }

    /* 1,000,000 instances, n.next = previous: dropping the head must not
     * recurse a million deep */
    ct_clear_freelists(H);
    uint64_t before = ct_live_blocks(H);
    pm_object *N = plain_class("N"), *head = pm_newref(PM_NONE(H)), *next = S("next");
    for (int i = 0; i < 1000000; i++) {
        pm_object *node = pm_instance_new(H, N);
        if (!node) { CHECK(node != NULL); break; }
        pm_object_setattr(H, node, next, head);
        pm_decref(H, head);
        head = node;
    }
    /* one per instance, besides the caller's, the MRO's and the two getsets' */
    CHECK_EQ((long long)ct_refcnt(N), 1000000LL + 4);
    pm_decref(H, head);
    CHECK_EQ(H->os->trash_nesting, 0);
    CHECK(H->os->trash_delete_later == NULL);
    CHECK_EQ((long long)ct_refcnt(N), 4LL);
    drop_class(N);
    ct_clear_freelists(H);
    CHECK_EQ(ct_live_blocks(H), before);
}

/* ---- Attributes, descriptors, errors ----------------------------------------------------------------- */

static void test_attributes(void) {
    TEST_BEGIN("attribute lookup: data descriptors, values, class attributes");
    static const char *const ab[] = { "a", "b" };
    pm_object *ns = ns_new("A"), *seven = ct_mkint(H, 7);
    ns_set(ns, "k", seven);
    pm_object *A = mkclass("A", NULL, ns);
    pm_object *a = inst(A);
    pm_object *v = pm_object_getattr(H, a, S("k"));            /* class attribute */
    CHECK(v == seven);
    pm_xdecref(H, v);
    set_int(a, "k", 8);                                          /* instance shadows it */
    v = pm_object_getattr(H, a, S("k"));
    CHECK(v && ct_intval(H, v) == 8);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, A, S("k"));                         /* A.k */
    CHECK(v == seven);
    pm_xdecref(H, v);
    /* __dict__ is a data descriptor found on the class; A.__dict__['__dict__'] via the class */
    v = pm_object_getattr(H, a, S("__dict__"));
    CHECK(v && pm_dict_check(H, v) && ((pm_dictobject *)v)->ma_values != NULL);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, A, S("__dict__"));              /* type's data descriptor wins */
    CHECK(v == ((pm_heaptype *)A)->tp_dict);
    pm_xdecref(H, v);
    v = pm_type_lookup(H, (pm_type *)A, S("__dict__"));       /* the class's own getset */
    CHECK(v && PM_TYPE(v) == pm_builtin_type(H, PM_T_GETSET_DESCR));
    v = pm_object_getattr(H, a, S("__weakref__"));
    CHECK(v == PM_NONE(H));
    pm_xdecref(H, v);
    /* __dict__ assignment */
    pm_object *nd = pm_dict_new(H);
    CHECK_EQ(pm_object_setattr(H, a, S("__dict__"), nd), 0);
    v = pm_object_getattr(H, a, S("k"));                         /* back to the class attribute */
    CHECK(v == seven);
    pm_xdecref(H, v);
    CHECK_EQ(pm_object_setattr(H, a, S("__dict__"), seven), -1);
    expect_error("error.setdict_nondict");
    CHECK_EQ(pm_object_setattr(H, a, S("__weakref__"), seven), -1);
    expect_error("error.setweakref");
    pm_decref(H, nd);
    pm_decref(H, seven);
    pm_decref(H, a);

    /* __slots__ members: through the class they are the descriptors */
    pm_object *Sc = slots_class("S", NULL, 2, ab);
    pm_object *s = inst(Sc);
    v = pm_object_getattr(H, Sc, S("a"));
    CHECK(v && PM_TYPE(v) == pm_builtin_type(H, PM_T_MEMBER_DESCR));
    CHECK(gs(v) == 64);
    pm_xdecref(H, v);
    set_int(s, "b", 5);
    v = pm_object_getattr(H, s, S("b"));
    CHECK(v && ct_intval(H, v) == 5);
    pm_xdecref(H, v);
    /* a member applied to an object of another class */
    pm_object *descr = pm_type_lookup(H, (pm_type *)Sc, S("a"));
    CHECK(descr != NULL);
    pm_object *other = inst(A);
    CHECK(PM_TYPE(descr)->tp_descr_get(H, descr, other, PM_TYPE(other)) == NULL);
    expect_error("error.descr_wrong_type");
    pm_decref(H, other);
    /* traverse: slots, then the type (no dict) */
    pm_decref(H, s);
    drop_class(Sc);
    drop_class(A);
}

/* Stand-ins for a function (a non-data descriptor: tp_descr_get only, as
 * funcobject.c will have) and a property (a data descriptor). */
static pm_type fake_func_type, fake_prop_type;
static pm_object *g_prop_set;

static void fake_dealloc(pm_heap *h, pm_object *o) { pm_object_free(h, o); }

/* function.__get__: (descr, obj) as a tuple stands for the bound method; obj
 * None for access through the class */
static pm_object *fake_func_get(pm_heap *h, pm_object *descr, pm_object *obj, pm_type *type) {
    (void)type;
    return pm_tuple_pack(h, 2, descr, obj ? obj : PM_NONE(h));
}
static pm_object *fake_prop_get(pm_heap *h, pm_object *descr, pm_object *obj, pm_type *type) {
    (void)type;
    return obj ? ct_mkint(h, 42) : pm_newref(descr);
}
static int fake_prop_set(pm_heap *h, pm_object *descr, pm_object *obj, pm_object *value) {
    (void)h; (void)descr; (void)obj;
    g_prop_set = value;
    return 0;
}

static pm_object *fake_new(pm_type *t, const char *name, pm_object *(*get)(pm_heap *, pm_object *, pm_object *, pm_type *),
                           int (*setter)(pm_heap *, pm_object *, pm_object *, pm_object *)) {
    _pm_type_init_static(H, t, PM_T__COUNT, name, 16, 0, 0);
    t->tp_dealloc = fake_dealloc;
    t->tp_descr_get = get;
    t->tp_descr_set = setter;
    return pm_object_alloc(H, t, 0);
}

static void test_descriptor_precedence(void) {
    TEST_BEGIN("descriptors: data descriptors before the instance, the instance before non-data ones");
    pm_object *f = fake_new(&fake_func_type, "function", fake_func_get, NULL);
    pm_object *p = fake_new(&fake_prop_type, "property", fake_prop_get, fake_prop_set);
    pm_object *ns = ns_new("A");
    ns_set(ns, "m", f);
    ns_set(ns, "p", p);
    pm_object *A = mkclass("A", NULL, ns), *B = mkclass("B", A, ns_new("B")), *b = inst(B);
    /* b.m binds through the base's dict; B.m gets (f, None) */
    pm_object *v = pm_object_getattr(H, b, S("m"));
    CHECK(v && PM_TUPLE_CHECK(H, v) && PM_TUPLE_ITEMS(v)[0] == f && PM_TUPLE_ITEMS(v)[1] == b);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, B, S("m"));
    CHECK(v && PM_TUPLE_CHECK(H, v) && PM_TUPLE_ITEMS(v)[0] == f && PM_TUPLE_ITEMS(v)[1] == PM_NONE(H));
    pm_xdecref(H, v);
    /* an instance attribute hides the non-data descriptor */
    set_int(b, "m", 7);
    v = pm_object_getattr(H, b, S("m"));
    CHECK(v && ct_intval(H, v) == 7);
    pm_xdecref(H, v);
    /* the data descriptor wins over the instance: setting goes to it */
    pm_object *nine = ct_mkint(H, 9);
    CHECK_EQ(pm_object_setattr(H, b, S("p"), nine), 0);
    CHECK(g_prop_set == nine);
    CHECK(pm_dorv_is_values(*PM_PREHEADER_DICT(b)));
    pm_object *d = pm_object_get_dict(H, b);
    CHECK_EQ(pm_dict_setitem(H, d, S("p"), nine), 0);   /* even with p in the instance dict */
    v = pm_object_getattr(H, b, S("p"));
    CHECK(v && ct_intval(H, v) == 42);
    pm_xdecref(H, v);
    pm_decref(H, d);
    pm_decref(H, nine);
    pm_decref(H, b);
    drop_class(B);
    drop_class(A);
    pm_decref(H, f);
    pm_decref(H, p);
}

typedef struct visit_log { pm_object *seen[16]; int n; } visit_log;
static int visit_collect(pm_object *o, void *arg) {
    visit_log *v = arg;
    if (v->n < 16) v->seen[v->n] = o;
    v->n++;
    return 0;
}

static void test_traverse(void) {
    TEST_BEGIN("tp_traverse: slots (own class first), values by index, then the class");
    static const char *const ab[] = { "b", "a" }, *const z[] = { "z" };
    pm_object *Sc = slots_class("S", NULL, 2, ab);
    pm_object *T = slots_class("T", Sc, 1, z);
    pm_object *U = mkclass("U", T, ns_new("U"));
    pm_object *u = inst(U);
    pm_object *va = ct_mkint(H, 1001), *vb = ct_mkint(H, 1002), *vz = ct_mkint(H, 1003), *vq = ct_mkint(H, 1004);
    set(u, "a", va); set(u, "b", vb); set(u, "z", vz); set(u, "q", vq);
    visit_log vl = { { 0 }, 0 };
    CHECK_EQ(pm_object_traverse(H, u, visit_collect, &vl), 0);
    CHECK_EQ(vl.n, 5);
    CHECK(vl.seen[0] == vz);
    CHECK(vl.seen[1] == va);
    CHECK(vl.seen[2] == vb);
    CHECK(vl.seen[3] == vq);
    CHECK(vl.seen[4] == U);
    /* a class: its dict, MRO, bases, base */
    vl.n = 0;
    CHECK_EQ(pm_object_traverse(H, U, visit_collect, &vl), 0);
    CHECK_EQ(vl.n, 4);
    CHECK(vl.seen[0] == ((pm_heaptype *)U)->tp_dict);
    CHECK(vl.seen[3] == T);
    CHECK(pm_object_may_be_tracked(H, U));
    CHECK(pm_gc_is_tracked(U));
    CHECK(pm_gc_is_tracked(u));
    pm_decref(H, va); pm_decref(H, vb); pm_decref(H, vz); pm_decref(H, vq);
    pm_decref(H, u);
    drop_class(U);
    drop_class(T);
    drop_class(Sc);
}

static pm_object *bad_class(pm_object *base, pm_object *slots, const char *extra) {
    pm_object *ns = ns_new("Bad");
    ns_set(ns, "__slots__", slots);
    if (extra) {
        pm_object *one = ct_mkint(H, 1);
        ns_set(ns, extra, one);
        pm_decref(H, one);
    }
    pm_decref(H, slots);
    pm_object *c = pm_type_new(H, S("Bad"), base, ns);
    pm_decref(H, ns);
    return c;
}

static void test_errors(void) {
    TEST_BEGIN("errors: messages as CPython 3.12, bad input");
    static const char *const cab[] = { "c", "a", "b" };
    pm_object *A = plain_class("A"), *Sc = slots_class("S", NULL, 3, cab);
    pm_object *a = inst(A), *s = inst(Sc), *one = ct_mkint(H, 1);
    CHECK(pm_object_getattr(H, a, S("x")) == NULL);
    expect_error("error.getattr_missing");
    CHECK_EQ(pm_object_delattr(H, a, S("x")), -1);
    expect_error("error.delattr_missing");
    pm_decref(H, pm_object_get_dict(H, a));
    CHECK_EQ(pm_object_delattr(H, a, S("x")), -1);
    expect_error("error.delattr_missing_dict");
    CHECK(pm_object_getattr(H, s, S("a")) == NULL);
    expect_error("error.slot_empty");
    CHECK_EQ(pm_object_delattr(H, s, S("a")), -1);
    expect_error("error.slot_del_empty");
    CHECK_EQ(pm_object_setattr(H, s, S("zz"), one), -1);
    expect_error("error.slot_no_dict");
    CHECK(pm_object_getattr(H, s, S("zz")) == NULL);
    expect_error("error.slot_getattr_missing");
    CHECK(pm_object_getattr(H, A, S("zz")) == NULL);
    expect_error("error.class_getattr_missing");
    CHECK_EQ(pm_object_delattr(H, A, S("zz")), -1);
    expect_error("error.class_delattr_missing");
    CHECK_EQ(pm_object_setattr(H, (pm_object *)pm_builtin_type(H, PM_T_INT), S("x"), one), -1);
    expect_error("error.builtin_setattr");
    pm_object *obj = pm_object_alloc(H, pm_builtin_type(H, PM_T_OBJECT), 0);
    CHECK_EQ(pm_object_setattr(H, obj, S("x"), one), -1);
    expect_error("error.object_setattr");
    pm_decref(H, obj);
    CHECK_EQ(pm_object_setattr(H, a, one, one), -1);
    expect_error("error.setattr_nonstr");

    /* what the metatype owns */
    pm_object *Bc = plain_class("B"), *dict = pm_dict_new(H), *empty = pm_tuple_new(H, 0);
    CHECK_EQ(pm_object_setattr(H, A, S("__dict__"), dict), -1);
    expect_error("error.type_set_dict");
    CHECK_EQ(pm_object_setattr(H, A, S("__mro__"), empty), -1);
    expect_error("error.type_set_mro");
    CHECK_EQ(pm_object_setattr(H, A, S("__base__"), Bc), -1);
    expect_error("error.type_set_base");
    CHECK_EQ(pm_object_setattr(H, A, S("__name__"), one), -1);
    expect_error("error.type_set_name_int");
    CHECK_EQ(pm_object_setattr(H, A, S("__qualname__"), one), -1);
    expect_error("error.type_set_qualname_int");
    CHECK_EQ(pm_object_delattr(H, A, S("__name__")), -1);
    expect_error("error.type_del_name");
    CHECK_EQ(pm_object_delattr(H, A, S("__qualname__")), -1);
    expect_error("error.type_del_qualname");
    pm_decref(H, dict);
    pm_decref(H, empty);

    /* __class__ assignment */
    static const char *const b_only[] = { "b" };
    pm_object *T3 = slots_class("T3", NULL, 1, b_only), *U3 = slots_class("U3", NULL, 3, cab);
    pm_object *ns = ns_new("M"), *Mc, *o;
    Mc = mkclass("M", NULL, ns);
    o = inst(A);
    CHECK_EQ(pm_object_setattr(H, o, S("__class__"), Sc), -1);
    expect_error("error.class_assign_slots");
    CHECK_EQ(pm_object_setattr(H, o, S("__class__"), (pm_object *)pm_builtin_type(H, PM_T_INT)), -1);
    expect_error("error.class_assign_builtin");
    CHECK_EQ(pm_object_setattr(H, s, S("__class__"), T3), -1);
    expect_error("error.class_assign_other_slots");
    CHECK_EQ(pm_object_setattr(H, s, S("__class__"), U3), 0);
    expect_error("error.class_assign_same_slots");
    CHECK(PM_TYPE(s) == (pm_type *)U3);
    CHECK_EQ(pm_object_setattr(H, o, S("__class__"), Mc), 0);
    expect_error("error.class_assign_plain");
    CHECK_EQ(pm_object_setattr(H, o, S("__class__"), one), -1);
    expect_error("error.class_assign_nontype");
    CHECK_EQ(pm_object_delattr(H, o, S("__class__")), -1);
    expect_error("error.class_delete");
    pm_decref(H, o);

    pm_object *t1 = pm_tuple_new(H, 1);
    PM_TUPLE_ITEMS(t1)[0] = S("1a");
    CHECK(bad_class(NULL, t1, NULL) == NULL);
    expect_error("error.slots_not_identifier");
    t1 = pm_tuple_new(H, 1);
    PM_TUPLE_ITEMS(t1)[0] = pm_newref(one);
    CHECK(bad_class(NULL, t1, NULL) == NULL);
    expect_error("error.slots_not_str");
    t1 = pm_tuple_new(H, 1);
    PM_TUPLE_ITEMS(t1)[0] = S("a");
    CHECK(bad_class(NULL, t1, "a") == NULL);
    expect_error("error.slots_conflict");
    t1 = pm_tuple_new(H, 1);
    PM_TUPLE_ITEMS(t1)[0] = S("__dict__");
    CHECK(bad_class(A, t1, NULL) == NULL);
    expect_error("error.slots_dict_twice");
    t1 = pm_tuple_new(H, 1);
    PM_TUPLE_ITEMS(t1)[0] = S("__weakref__");
    CHECK(bad_class(A, t1, NULL) == NULL);
    expect_error("error.slots_weakref_twice");
    t1 = pm_tuple_new(H, 2);
    PM_TUPLE_ITEMS(t1)[0] = S("__dict__");
    PM_TUPLE_ITEMS(t1)[1] = S("__dict__");
    CHECK(bad_class(NULL, t1, NULL) == NULL);
    expect_error("error.slots_duplicate_dict");

    /* bad input: not a class, an unsupported base, a non-dict namespace */
    CHECK(pm_instance_new(H, (pm_object *)pm_builtin_type(H, PM_T_INT)) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK(pm_instance_new(H, a) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    ns = ns_new("X");
    CHECK(pm_type_new(H, S("X"), (pm_object *)pm_builtin_type(H, PM_T_INT), ns) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK(pm_type_new(H, S("X"), a, ns) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK(pm_type_new(H, S("X"), NULL, one) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK(pm_type_new(H, one, NULL, ns) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    pm_decref(H, ns);

    pm_decref(H, one);
    pm_decref(H, s);
    pm_decref(H, a);
    drop_class(Mc);
    drop_class(U3);
    drop_class(T3);
    drop_class(Bc);
    drop_class(Sc);
    drop_class(A);
}

static void test_rename_reclass(void) {
    TEST_BEGIN("assigning __name__ / __qualname__ and __class__");
    char buf[200];
    pm_object *R = plain_class("R"), *z = pm_unicode_from_string(H, "Z"), *qz = pm_unicode_from_string(H, "Q.Z");
    CHECK_EQ(pm_object_setattr(H, R, S("__name__"), z), 0);
    CHECK_EQ(pm_object_setattr(H, R, S("__qualname__"), qz), 0);
    pm_object *n = pm_object_getattr(H, R, S("__name__")), *q = pm_object_getattr(H, R, S("__qualname__"));
    char *rn = ct_repr(H, R);
    pm_strbuf s1, s2;
    /* the recorded repr leaves out "__main__." */
    CHECK(strncmp(rn, "<class '__main__.", 17) == 0);
    snprintf(buf, sizeof buf, "%s %s <class '%s", name_of(n, &s1), name_of(q, &s2), rn + (strlen(rn) > 17 ? 17 : 0));
    _pm_strbuf_free(&s1);
    _pm_strbuf_free(&s2);
    free(rn);
    expect_str("type_rename", buf);
    CHECK_STREQ(((pm_type *)R)->tp_name, "Z");
    pm_decref(H, n); pm_decref(H, q); pm_decref(H, z); pm_decref(H, qz);
    drop_class(R);

    pm_object *P = plain_class("P"), *Q = plain_class("Q"), *p = inst(P);
    set_int(p, "x", 1);
    long long rp = (long long)ct_refcnt(P), rq = (long long)ct_refcnt(Q);
    CHECK_EQ(pm_object_setattr(H, p, S("__class__"), Q), 0);
    pm_object *x = pm_object_getattr(H, p, S("x"));
    snprintf(buf, sizeof buf, "%s %lld %lld %lld %lld", PM_TYPE(p)->tp_name, x ? (long long)ct_intval(H, x) : -1,
             rp - (long long)ct_refcnt(P), (long long)ct_refcnt(Q) - rq, dict_gs(p));
    expect_str("class_assign_result", buf);
    pm_xdecref(H, x);
    pm_decref(H, p);
    drop_class(Q);
    drop_class(P);
}

static void test_meta_attributes(void) {
    TEST_BEGIN("type's own attributes: __name__, __qualname__, __mro__, __bases__, __base__, __dict__, __class__");
    pm_object *A = plain_class("A"), *ns = ns_new("B.Inner"), *five = ct_mkint(H, 5);
    ns_set(ns, "__class__", five);
    pm_object *B = mkclass("B", A, ns), *a = inst(A), *b = inst(B);
    pm_object *v = pm_object_getattr(H, B, S("__name__"));
    CHECK(v && pm_unicode_eq(H, v, S("B")));
    pm_xdecref(H, v);
    v = pm_object_getattr(H, B, S("__qualname__"));
    CHECK(v && pm_unicode_eq(H, v, S("B.Inner")));
    pm_xdecref(H, v);
    v = pm_object_getattr(H, B, S("__mro__"));
    CHECK(v && PM_TUPLE_CHECK(H, v) && PM_SIZE(v) == 3 && PM_TUPLE_ITEMS(v)[0] == B && PM_TUPLE_ITEMS(v)[1] == A
          && PM_TUPLE_ITEMS(v)[2] == (pm_object *)pm_builtin_type(H, PM_T_OBJECT));
    pm_xdecref(H, v);
    v = pm_object_getattr(H, B, S("__bases__"));
    CHECK(v && PM_TUPLE_CHECK(H, v) && PM_SIZE(v) == 1 && PM_TUPLE_ITEMS(v)[0] == A);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, B, S("__base__"));
    CHECK(v == A);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, A, S("__class__"));
    CHECK(v == (pm_object *)pm_builtin_type(H, PM_T_TYPE));
    pm_xdecref(H, v);
    v = pm_object_getattr(H, a, S("__class__"));
    CHECK(v == A);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, b, S("__class__"));          /* a class attribute named __class__ wins */
    CHECK(v == five);
    pm_xdecref(H, v);
    v = pm_object_getattr(H, (pm_object *)pm_builtin_type(H, PM_T_INT), S("__name__"));
    char *r = v ? ct_repr(H, v) : NULL;
    CHECK(r && strcmp(r, "'int'") == 0);
    free(r);
    pm_xdecref(H, v);
    /* a static type: type_name / type_qualname / type_module split tp_name at the last dot */
    char names[200] = "";
    const int statics[] = { PM_T_INT, PM_T_WEAKREF };
    for (size_t i = 0; i < 2; i++) {
        pm_object *t = (pm_object *)pm_builtin_type(H, statics[i]);
        const char *attrs[] = { "__name__", "__qualname__", "__module__" };
        for (size_t j = 0; j < 3; j++) {
            pm_strbuf sb;
            v = pm_object_getattr(H, t, S(attrs[j]));
            CHECK(v != NULL);
            if (!v) continue;
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? " " : "", name_of(v, &sb));
            _pm_strbuf_free(&sb);
            pm_decref(H, v);
        }
    }
    expect_str("static_type_names", names);
    /* __classcell__ does not stay in the class dict */
    ns = ns_new("Z");
    ns_set(ns, "__classcell__", five);
    pm_object *Z = mkclass("Z", NULL, ns);
    CHECK_EQ(pm_dict_contains(H, ((pm_heaptype *)Z)->tp_dict, S("__classcell__")), 0);
    drop_class(Z);
    pm_decref(H, five);
    pm_decref(H, a);
    pm_decref(H, b);
    drop_class(B);
    drop_class(A);
}

static void test_repr(void) {
    TEST_BEGIN("repr of classes and instances: module.qualname");
    pm_object *A = plain_class("A");
    char *r = ct_repr(H, A);
    CHECK_STREQ(r, "<class '__main__.A'>");
    free(r);
    pm_object *a = inst(A);
    r = ct_repr(H, a);
    CHECK(strncmp(r, "<__main__.A object at 0x", 24) == 0);
    free(r);
    r = ct_repr(H, (pm_object *)pm_builtin_type(H, PM_T_INT));
    CHECK_STREQ(r, "<class 'int'>");
    free(r);
    pm_decref(H, a);
    drop_class(A);
}

/* Interns every name the tests use (interned strs are immortal: they would
 * otherwise count as leaks), so the final block count can be exact. */
static void intern_names(void) {
    static const char *const names[] = {
        "__module__", "__qualname__", "__main__", "__slots__", "__dict__", "__weakref__", "__doc__", "__del__",
        "__classcell__", "builtins", "A", "B", "C", "D", "K", "M", "N", "P", "Q", "R", "S", "S0", "S2", "SD", "SW",
        "T", "U", "X", "Bad", "Mk", "Warmup", "a", "b", "c", "f", "g", "k", "m", "n", "p", "q", "x", "y", "z",
        "next", "self", "zz", "1a", "Z", "B.Inner", "__name__", "__mro__", "__bases__", "__base__", "__class__", "T3", "U3", "Z", "Q.Z", "R",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) pm_decref(H, S(names[i]));
    for (int i = 0; i < 40; i++) {
        char nm[16];
        static const char pre[] = "amx";
        for (int j = 0; j < 3; j++) {
            snprintf(nm, sizeof nm, "%c%d", pre[j], i);
            pm_decref(H, S(nm));
        }
    }
}

int main(void) {
    if (kv_fixture_load(&FX, "sizes_classes.txt", "PM_CLASSES_FIXTURE") < 0) return 2;
    H = ct_heap_new();
    intern_names();
    drop_class(plain_class("Warmup"));
    ct_clear_freelists(H);
    uint64_t live0 = ct_live_blocks(H);
    size_t interned0 = pm_unicode_interned_count(H);

    test_shapes();
    test_refcounts();
    test_methods();
    test_instance_values();
    test_dict_order();
    test_dealloc_order();
    test_attributes();
    test_descriptor_precedence();
    test_traverse();
    test_errors();
    test_meta_attributes();
    test_rename_reclass();
    test_repr();
    test_trashcan();

    TEST_BEGIN("no leaks, heap consistent");
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_NONE);
    ct_clear_freelists(H);
    CHECK_EQ(pm_unicode_interned_count(H), interned0);   /* intern_names() knew every name */
    CHECK_EQ(ct_live_blocks(H), live0);
    CHECK_EQ(pm_heap_check(H), PM_OK);
    pm_heap_free(H);
    kv_fixture_free(&FX);
    return check_summary();
}
