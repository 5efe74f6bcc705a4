/* test_hosteq.c — the host slot hook (hooks.slot, pm_host_slot): a class's
 * own __hash__ / __eq__ run by the host inside container operations.
 *
 * A fake host plays the classes of tests/record/hosteq.py (P, Q, N, R, T,
 * E, C, H; see that script) on instances whose attributes hold their
 * name and behaviour, and logs every __eq__ call as "self:other". The
 * probe orders, results and hash reductions are compared with
 * tests/fixtures/hosteq.txt, recorded from CPython 3.12. Also checked:
 * the operands are held across the call (the Python code may drop every
 * other reference), an exception raised in the host surfaces as
 * PM_EXC_HostError, an error the host sets itself passes unchanged, a heap
 * without the hook refuses with TypeError, and nothing leaks.
 */
#include "check.h"
#include "containertest.h"
#include "typeobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "floatobject.h"
#include "gc.h"

static pm_heap *H;
static kv_fixture FX;

static const char *fx_get(const char *key) {
    for (size_t i = 0; i < FX.n; i++)
        if (strcmp(FX.keys[i], key) == 0) return FX.values[i];
    CHECKF(0, "fixture has no case '%s'", key);
    return "";
}

static pm_object *S(const char *s) { return pm_unicode_intern_from_string(H, s); }

/* ---- The fake host ------------------------------------------------------------ */

enum { K_P, K_Q, K_N, K_R, K_T, K_E, K_C, K_H, K_DROP, K__COUNT };
static const char *const KNAMES[K__COUNT] = { "P", "Q", "N", "R", "T", "E", "C", "H", "D" };
static pm_object *CLS[K__COUNT];

typedef struct fake_host {
    char log[512];
    int calls;
    int collect;                /* run gc.collect() inside every __eq__ */
    pm_object *drop_list;       /* K_DROP: __eq__ empties this list */
    int64_t held_a, held_b;     /* refcounts seen inside the last call */
    char raised[64];            /* the "exception" the host keeps */
} fake_host;
static fake_host FH;

static pm_object *attr(pm_object *o, const char *name) {
    pm_object *v = pm_object_getattr(H, o, S(name));
    CHECKF(v != NULL, "attribute %s: %s", name, H->os->exc_msg);
    return v;
}

static int kind_of(pm_object *o) {
    for (int k = 0; k < K__COUNT; k++)
        if ((pm_object *)PM_TYPE(o) == CLS[k]) return k;
    return -1;
}

static void log_call(pm_object *a, pm_object *b) {
    pm_object *na = attr(a, "n"), *nb = attr(b, "n");
    size_t len = strlen(FH.log);
    snprintf(FH.log + len, sizeof FH.log - len, "%s%s:%s", len ? " " : "", pm_unicode_as_utf8_and_size(H, na, NULL),
             pm_unicode_as_utf8_and_size(H, nb, NULL));
    pm_decref(H, na);
    pm_decref(H, nb);
}

static pm_object *fake_slot(pm_heap *h, int slot, pm_object *a, pm_object *b, void *ctx) {
    (void)ctx;
    FH.calls++;
    FH.held_a = (int64_t)(uint32_t)a->ob_refcnt;
    FH.held_b = b ? (int64_t)(uint32_t)b->ob_refcnt : 0;
    if (slot == PM_SLOT_HASH) return attr(a, "h");
    if (slot == PM_SLOT_BOOL) return attr(a, "b");
    CHECK_EQ(slot, PM_SLOT_EQ);
    log_call(a, b);
    if (FH.collect) pm_gc_collect(h, 2);
    switch (kind_of(a)) {
    case K_P: case K_Q: {
        int kb = kind_of(b);
        if (kb != K_P && kb != K_Q) return pm_newref(h->os->notimplemented);
        pm_object *va = attr(a, "v"), *vb = attr(b, "v");
        if (pm_unicode_check(h, vb)) {      /* a host that reports its own error */
            pm_decref(h, va);
            pm_decref(h, vb);
            pm_err_set(h, PM_EXC_ValueError, "v of %s is a str", KNAMES[kind_of(b)]);
            return NULL;
        }
        int eq = pm_object_eq(h, va, vb);
        pm_decref(h, va);
        pm_decref(h, vb);
        return eq < 0 ? NULL : pm_newref(eq ? PM_TRUE(h) : PM_FALSE(h));
    }
    case K_N:
        return pm_newref(h->os->notimplemented);
    case K_R:
        return attr(a, "r");
    case K_E: {
        pm_object *n = attr(a, "n");
        snprintf(FH.raised, sizeof FH.raised, "ValueError: %s", pm_unicode_as_utf8_and_size(h, n, NULL));
        pm_decref(h, n);
        return NULL;   /* the host keeps the exception; pm_host_slot says so */
    }
    case K_C: {
        pm_object *d = attr(a, "d");
        pm_dict_clear(h, d);
        pm_decref(h, d);
        return pm_newref(PM_TRUE(h));
    }
    case K_DROP:
        if (PM_SIZE(FH.drop_list)) CHECK_EQ(pm_list_clear(h, FH.drop_list), 0);
        return pm_newref(PM_FALSE(h));
    }
    CHECK(0);
    return NULL;
}

static const pm_host_hooks FAKE = { NULL, NULL, NULL, fake_slot };

/* ---- Instances ------------------------------------------------------------------- */

static void set(pm_object *o, const char *name, pm_object *v) {
    CHECKF(pm_object_setattr(H, o, S(name), v) == 0, "setattr %s: %s", name, H->os->exc_msg);
}

/* An instance of class k named n, with v (an int) and the hash 0. */
static pm_object *mk(int k, const char *n, int64_t v) {
    pm_object *o = pm_instance_new(H, CLS[k]);
    CHECK(o != NULL);
    pm_object *s = pm_unicode_from_string(H, n), *i = ct_mkint(H, v), *zero = ct_mkint(H, 0);
    set(o, "n", s);
    set(o, "v", i);
    set(o, "h", zero);
    pm_decref(H, s);
    pm_decref(H, i);
    pm_decref(H, zero);
    return o;
}

/* R(n, r): __eq__ returns r (stolen). */
static pm_object *mk_r(const char *n, pm_object *r) {
    pm_object *o = mk(K_R, n, 0);
    set(o, "r", r);
    pm_decref(H, r);
    return o;
}

static pm_object *mk_t(int b) {
    pm_object *o = mk(K_T, "t", 0);
    set(o, "b", b ? PM_TRUE(H) : PM_FALSE(H));
    return o;
}

/* A list of stolen items. */
static pm_object *list_of(int n, ...) {
    pm_object *items[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) items[i] = va_arg(ap, pm_object *);
    va_end(ap);
    return pm_list_from_array_steal(H, items, n);
}

/* ---- Checking one case against the fixture ------------------------------------------- */

static void begin(void) {
    FH.log[0] = '\0';
    FH.raised[0] = '\0';
}

/* The probe log, and the result: an int or bool (v), or the error. */
static void expect(const char *name, int64_t v, int is_bool) {
    char key[80], got[128];
    snprintf(key, sizeof key, "probe.%s", name);
    CHECK_STREQ(FH.log[0] ? FH.log : "-", fx_get(key));
    snprintf(key, sizeof key, "result.%s", name);
    pm_exc_kind k = pm_err_occurred(H);
    if (k == PM_EXC_HostError) snprintf(got, sizeof got, "%s", FH.raised);
    else if (k != PM_EXC_NONE) snprintf(got, sizeof got, "error %d: %s", (int)k, H->os->exc_msg);
    else if (is_bool) snprintf(got, sizeof got, "%s", v ? "True" : "False");
    else snprintf(got, sizeof got, "%lld", (long long)v);
    CHECKF(strcmp(got, fx_get(key)) == 0, "%s: got '%s', CPython '%s'", name, got, fx_get(key));
    pm_err_clear(H);
}

/* ---- Tests -------------------------------------------------------------------------- */

static void test_hash(void) {
    TEST_BEGIN("slot_tp_hash: ints kept or reduced, -1 -> -2, non-ints refused");
    static const struct { const char *name, *lit; } cases[] = {
        { "small", "5" }, { "minus1", "-1" }, { "minus2", "-2" }, { "big62", "4611686018427387904" },
        { "max64", "9223372036854775807" }, { "over64", "9223372036854775808" },
        { "big64", "18446744073709551623" }, { "min64", "-9223372036854775808" },
        { "under64", "-9223372036854775809" }, { "big100", "1267650600228229401496703205376" },
        { "negbig100", "-1267650600228229401496703205376" }, { "true", NULL }, { "float", NULL }, { "str", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pm_object *hv;
        if (cases[i].lit) hv = pm_long_from_string(H, cases[i].lit, strlen(cases[i].lit), 10);
        else if (!strcmp(cases[i].name, "true")) hv = pm_newref(PM_TRUE(H));
        else if (!strcmp(cases[i].name, "float")) hv = pm_float_from_double(H, 1.5);
        else hv = pm_unicode_from_string(H, "x");
        pm_object *o = mk(K_H, "h", 0);
        set(o, "h", hv);
        pm_decref(H, hv);
        int64_t got = pm_object_hash(H, o);
        char key[64], text[160];
        snprintf(key, sizeof key, "hash.%s", cases[i].name);
        if (got == -1 && pm_err_occurred(H) == PM_EXC_TypeError) snprintf(text, sizeof text, "TypeError: %s", H->os->exc_msg);
        else snprintf(text, sizeof text, "%lld", (long long)got);
        CHECKF(strcmp(text, fx_get(key)) == 0, "%s: got %s, CPython %s", key, text, fx_get(key));
        pm_err_clear(H);
        pm_decref(H, o);
    }
}

static void test_lists(void) {
    TEST_BEGIN("list index / count / in / remove: item.__eq__(value), in order");
    pm_object *lst = list_of(4, mk(K_P, "a", 1), mk(K_P, "b", 2), mk(K_P, "c", 3), mk(K_P, "d", 2));
    pm_object *x = mk(K_P, "x", 2);
    begin();
    expect("index", pm_list_index(H, lst, x, 0, INT64_MAX), 0);
    begin();
    expect("count", pm_list_count(H, lst, x), 0);
    pm_decref(H, x);
    x = mk(K_P, "x", 9);
    begin();
    expect("contains", pm_list_contains(H, lst, x), 1);
    pm_decref(H, x);
    x = mk(K_P, "x", 3);
    begin();
    CHECK_EQ(pm_list_remove(H, lst, x), 0);
    CHECK_STREQ(FH.log, fx_get("probe.remove"));
    pm_err_clear(H);
    CHECK_EQ(PM_SIZE(lst), 3);
    pm_decref(H, x);
    pm_decref(H, lst);

    TEST_BEGIN("NotImplemented: the reflected __eq__, then identity; a subtype's reflected first");
    lst = list_of(1, mk(K_N, "a", 0));
    x = mk(K_N, "x", 0);
    begin();
    expect("notimpl", pm_list_contains(H, lst, x), 1);
    pm_decref(H, x);
    x = mk(K_P, "x", 1);
    begin();
    expect("notimpl_mixed", pm_list_contains(H, lst, x), 1);
    pm_decref(H, x);
    x = mk(K_N, "b", 0);
    begin();
    expect("same_class_both", pm_list_count(H, lst, x), 0);
    pm_decref(H, x);
    pm_decref(H, lst);
    lst = list_of(1, mk(K_P, "a", 1));
    x = mk(K_Q, "q", 1);
    begin();
    expect("subclass_first", pm_list_count(H, lst, x), 0);
    pm_decref(H, x);
    pm_decref(H, lst);

    TEST_BEGIN("list and tuple equality compare item by item");
    pm_object *l1 = list_of(2, mk(K_P, "a", 1), mk(K_P, "b", 2)), *l2 = list_of(2, mk(K_P, "c", 1), mk(K_P, "d", 3));
    begin();
    expect("list_eq", pm_object_eq(H, l1, l2), 1);
    pm_decref(H, l1);
    pm_decref(H, l2);
    pm_object *t1 = pm_tuple_new(H, 2), *t2 = pm_tuple_new(H, 2);
    PM_TUPLE_ITEMS(t1)[0] = mk(K_P, "a", 1);
    PM_TUPLE_ITEMS(t1)[1] = mk(K_P, "b", 2);
    PM_TUPLE_ITEMS(t2)[0] = mk(K_P, "c", 1);
    PM_TUPLE_ITEMS(t2)[1] = mk(K_P, "d", 2);
    begin();
    expect("tuple_eq", pm_object_eq(H, t1, t2), 1);
    pm_decref(H, t1);
    pm_decref(H, t2);

    TEST_BEGIN("a result other than a bool counts by its truth (__bool__ through the host)");
    lst = list_of(3, mk_r("a", ct_mkint(H, 1)), mk_r("b", ct_mkint(H, 0)), mk_r("c", ct_mkint(H, 7)));
    x = mk_r("x", pm_newref(PM_NONE(H)));
    begin();
    expect("truth_int", pm_list_count(H, lst, x), 0);
    pm_decref(H, lst);
    lst = list_of(1, mk_r("b", pm_newref(PM_NONE(H))));
    pm_object *a = mk_r("a", pm_newref(PM_NONE(H)));
    begin();
    expect("truth_none", pm_list_contains(H, lst, a), 1);   /* `a in [b]`: b.__eq__(a) */
    pm_decref(H, a);
    pm_decref(H, lst);
    lst = list_of(2, mk_r("a", mk_t(1)), mk_r("b", mk_t(0)));
    begin();
    expect("truth_obj", pm_list_count(H, lst, x), 0);
    pm_decref(H, lst);
    lst = list_of(2, mk_r("a", pm_unicode_from_string(H, "")), mk_r("b", pm_unicode_from_string(H, "y")));
    begin();
    expect("truth_str", pm_list_count(H, lst, x), 0);
    pm_decref(H, lst);
    pm_decref(H, x);

    TEST_BEGIN("an exception raised in __eq__ stops the operation as PM_EXC_HostError");
    lst = list_of(2, mk(K_P, "a", 1), mk(K_E, "b", 0));
    x = mk(K_E, "x", 0);
    begin();
    CHECK_EQ(pm_list_contains(H, lst, x), -1);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_HostError);
    CHECK_EQ(H->os->repr_depth, 0);     /* the comparison guard unwound */
    expect("raise", -1, 0);
    pm_decref(H, lst);
    pm_object *s = pm_set_new(H, NULL);
    pm_object *ea = mk(K_E, "a", 0);
    CHECK_EQ(pm_set_add(H, s, ea), 0);
    pm_decref(H, ea);
    begin();
    CHECK_EQ(pm_set_contains(H, s, x), -1);
    expect("raise_set", -1, 0);
    pm_decref(H, s);
    pm_decref(H, x);
}

static void test_set_dict(void) {
    TEST_BEGIN("set: probe order on colliding hashes");
    pm_object *s = pm_set_new(H, NULL);
    static const char *const names[] = { "a", "b", "c" };
    for (int i = 0; i < 3; i++) {
        pm_object *p = mk(K_P, names[i], i + 1);
        CHECK_EQ(pm_set_add(H, s, p), 0);
        pm_decref(H, p);
    }
    pm_object *x = mk(K_P, "x", 3);
    begin();
    expect("set_contains", pm_set_contains(H, s, x), 1);
    pm_decref(H, x);
    x = mk(K_P, "y", 2);
    begin();
    CHECK_EQ(pm_set_add(H, s, x), 0);
    CHECK_STREQ(FH.log, fx_get("probe.set_add"));
    pm_decref(H, x);
    CHECK_EQ(pm_set_len(H, s), atoll(fx_get("result.set_len")));
    pm_decref(H, s);

    TEST_BEGIN("dict: the stored key's __eq__ on the lookup key, probe order");
    pm_object *d = pm_dict_new(H);
    for (int i = 0; i < 3; i++) {
        pm_object *p = mk(K_P, names[i], i + 1), *v = ct_mkint(H, 10 * (i + 1));
        CHECK_EQ(pm_dict_setitem(H, d, p, v), 0);
        pm_decref(H, p);
        pm_decref(H, v);
    }
    x = mk(K_P, "x", 2);
    begin();
    pm_object *v = pm_dict_subscript(H, d, x);
    expect("dict_get", v ? ct_intval(H, v) : -1, 0);
    pm_xdecref(H, v);
    pm_decref(H, x);
    x = mk(K_P, "x", 7);
    begin();
    CHECK(pm_dict_getitem(H, d, x) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_NONE);
    CHECK_STREQ(FH.log, fx_get("probe.dict_missing"));
    pm_decref(H, x);
    x = mk(K_P, "y", 3);
    v = ct_mkint(H, 33);
    begin();
    CHECK_EQ(pm_dict_setitem(H, d, x, v), 0);
    CHECK_STREQ(FH.log, fx_get("probe.dict_set"));
    CHECK_EQ(pm_dict_len(H, d), 3);     /* replaced c's value, kept c */
    pm_decref(H, v);
    pm_decref(H, x);
    pm_decref(H, d);

    TEST_BEGIN("dict equality: lookup in b (b's key first), then the values");
    for (int same = 1; same >= 0; same--) {
        pm_object *ka = mk(K_P, "a", 1), *va = mk(K_P, "va", 10), *kb = mk(K_P, "b", 1), *vb = mk(K_P, "vb", same ? 10 : 11);
        pm_object *da = pm_dict_new(H), *db = pm_dict_new(H);
        CHECK_EQ(pm_dict_setitem(H, da, ka, va), 0);
        CHECK_EQ(pm_dict_setitem(H, db, kb, vb), 0);
        pm_decref(H, ka); pm_decref(H, va); pm_decref(H, kb); pm_decref(H, vb);
        begin();
        expect(same ? "dict_eq" : "dict_ne_value", pm_object_eq(H, da, db), 1);
        pm_decref(H, da);
        pm_decref(H, db);
    }

    TEST_BEGIN("__eq__ clearing the dict during a lookup: the lookup restarts");
    d = pm_dict_new(H);
    pm_object *k = mk(K_C, "k", 0);
    set(k, "d", d);
    v = ct_mkint(H, 1);
    CHECK_EQ(pm_dict_setitem(H, d, k, v), 0);
    pm_decref(H, v);
    pm_decref(H, k);
    x = mk(K_C, "x", 0);
    set(x, "d", d);
    begin();
    CHECK(pm_dict_getitem(H, d, x) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_NONE);
    CHECK_STREQ(FH.log, fx_get("probe.clear_dict"));
    CHECK_EQ(pm_dict_len(H, d), atoll(fx_get("result.clear_dict_len")));
    pm_decref(H, x);                    /* x -> d: no cycle left (k is gone) */
    pm_decref(H, d);
}

static void test_plumbing(void) {
    TEST_BEGIN("the operands are held across the call; dropping the container's references is safe");
    pm_object *p = mk(K_P, "a", 1), *x = mk(K_P, "x", 1);
    pm_object *lst = pm_list_new(H, 0);
    CHECK_EQ(pm_list_append(H, lst, p), 0);
    int64_t rp = (int64_t)(uint32_t)p->ob_refcnt, rx = (int64_t)(uint32_t)x->ob_refcnt;
    begin();
    CHECK_EQ(pm_list_contains(H, lst, x), 1);
    CHECK_EQ(FH.held_a, rp + 2);        /* list_contains' own hold + pm_host_slot's */
    CHECK_EQ(FH.held_b, rx + 1);
    CHECK_EQ((int64_t)(uint32_t)p->ob_refcnt, rp);
    CHECK_EQ((int64_t)(uint32_t)x->ob_refcnt, rx);
    pm_decref(H, lst);
    pm_decref(H, p);
    pm_decref(H, x);

    pm_object *dl = list_of(3, mk(K_DROP, "a", 0), mk(K_DROP, "b", 0), mk(K_DROP, "c", 0));
    FH.drop_list = dl;
    x = mk(K_DROP, "x", 0);
    begin();
    CHECK_EQ(pm_list_count(H, dl, x), 0);   /* the first __eq__ empties the list */
    CHECK_STREQ(FH.log, "a:x");   /* False: no reflected call */
    CHECK_EQ(PM_SIZE(dl), 0);
    FH.drop_list = NULL;
    pm_decref(H, dl);
    pm_decref(H, x);

    TEST_BEGIN("gc.collect() inside every __eq__");
    FH.collect = 1;
    pm_object *s = pm_set_new(H, NULL);
    for (int i = 0; i < 5; i++) {
        char n[4] = { (char)('a' + i), 0, 0, 0 };
        pm_object *q = mk(K_P, n, i);
        CHECK_EQ(pm_set_add(H, s, q), 0);
        pm_decref(H, q);
    }
    x = mk(K_P, "x", 4);
    CHECK_EQ(pm_set_contains(H, s, x), 1);
    CHECK_EQ(pm_set_discard(H, s, x), 1);
    CHECK_EQ(pm_set_len(H, s), 4);
    FH.collect = 0;
    pm_decref(H, x);
    pm_decref(H, s);

    TEST_BEGIN("an error the host sets itself passes unchanged");
    p = mk(K_P, "a", 1);
    x = mk(K_P, "x", 1);
    pm_object *bad = pm_unicode_from_string(H, "1");
    set(x, "v", bad);
    pm_decref(H, bad);
    CHECK_EQ(pm_object_eq(H, p, x), -1);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_ValueError);
    CHECK_STREQ(H->os->exc_msg, "v of P is a str");
    pm_err_clear(H);
    pm_decref(H, p);
    pm_decref(H, x);

    TEST_BEGIN("no slot hook: TypeError, not an identity answer");
    pm_set_host_hooks(H, NULL);
    p = mk(K_P, "a", 1);
    x = mk(K_P, "x", 1);
    CHECK_EQ(pm_object_eq(H, p, x), -1);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    CHECK_STREQ(H->os->exc_msg, "pyheap: no host runs Python code here, so P.__eq__ cannot be called");
    pm_err_clear(H);
    CHECK_EQ(pm_object_hash(H, p), -1);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK_EQ(pm_object_eq(H, p, p), 1);     /* identity needs no host */
    pm_set_host_hooks(H, &FAKE);
    pm_decref(H, p);
    pm_decref(H, x);
}

/* class NAME(base): with the body binding __eq__ and/or __hash__ (stand-in
 * values: the fake host knows the behaviour by class). */
static pm_object *mkclass(int k, pm_object *base, int eq, int hash) {
    pm_object *ns = pm_dict_new(H);
    CHECK_EQ(pm_dict_setitem(H, ns, S("__module__"), S("__main__")), 0);
    CHECK_EQ(pm_dict_setitem(H, ns, S("__qualname__"), S(KNAMES[k])), 0);
    if (eq) CHECK_EQ(pm_dict_setitem(H, ns, S("__eq__"), PM_TRUE(H)), 0);
    if (hash) CHECK_EQ(pm_dict_setitem(H, ns, S("__hash__"), PM_TRUE(H)), 0);
    pm_object *c = pm_type_new(H, S(KNAMES[k]), base, ns);
    CHECKF(c != NULL, "class %s: %s", KNAMES[k], H->os->exc_msg);
    pm_decref(H, ns);
    return c;
}

int main(void) {
    if (kv_fixture_load(&FX, "hosteq.txt", "PM_HOSTEQ_FIXTURE") < 0) return 2;
    H = ct_heap_new();
    static const char *const idents[] = { "n", "v", "h", "r", "b", "d", "__eq__", "__hash__", "__module__", "__main__" };
    for (size_t i = 0; i < sizeof idents / sizeof idents[0]; i++) S(idents[i]);
    for (int k = 0; k < K__COUNT; k++) {
        if (k == K_Q) CLS[k] = mkclass(k, CLS[K_P], 0, 0);
        else CLS[k] = mkclass(k, NULL, k != K_T && k != K_H, k != K_T);
    }
    CHECK(((pm_type *)CLS[K_Q])->tp_hash == ((pm_type *)CLS[K_P])->tp_hash);
    pm_set_host_hooks(H, &FAKE);
    /* warm-up: the first instance of each class makes its shared keys */
    for (int k = 0; k < K__COUNT; k++) {
        pm_object *o = mk(k, "w", 0);
        set(o, "r", PM_NONE(H));
        set(o, "b", PM_NONE(H));
        set(o, "d", PM_NONE(H));
        pm_decref(H, o);
    }
    ct_clear_freelists(H);
    uint64_t live0 = ct_live_blocks(H);

    test_hash();
    test_lists();
    test_set_dict();
    test_plumbing();

    TEST_BEGIN("no leaks, heap consistent");
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_NONE);
    pm_gc_collect(H, 2);
    CT_EXPECT_CLEAN(H, live0);
    for (int k = K__COUNT - 1; k >= 0; k--) {
        PM_TYPE(CLS[k])->tp_clear(H, CLS[k]);
        pm_decref(H, CLS[k]);
    }
    pm_heap_free(H);
    kv_fixture_free(&FX);
    return check_summary();
}
