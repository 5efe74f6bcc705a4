/* test_descr.c — property, classmethod and staticmethod
 * (core/src/descrobject.c) against CPython 3.12
 * (tests/fixtures/sizes_descr.txt, recorded by tests/record/sizes_descr.py):
 * sizes, tracking, referents, the references held on the wrapped function,
 * functools_wraps' __dict__, the property doc rules and copies, the
 * AttributeError messages (named, unnamed, nested qualname, a copy keeping
 * its name), descriptor binding through generic getattr / the class, the
 * host-call signal, bad input, gc of a cycle through a property, leaks and
 * the heap checker.
 *
 *   tests/core/run.sh unit test_descr      (from the repository root)
 */
#include "check.h"
#include "containertest.h"
#include "typeobject.h"
#include "tupleobject.h"
#include "funcobject.h"
#include "codeobject.h"
#include "classobject.h"
#include "descrobject.h"
#include "gc.h"
#include "listobject.h"
#include "check_objects.h"
#include "weakrefobject.h"

static kv_fixture FX;
static pm_heap *H;
static pm_object *GLOBALS;

static const char *fx(const char *key) { return ct_get(&FX, key); }

static void expect_str(const char *key, const char *got) {
    const char *v = fx(key);
    CHECKF(v != NULL, "%s: not recorded", key);
    if (v) CHECKF(strcmp(v, got) == 0, "%s: model '%s', CPython '%s'", key, got, v);
}

static void expect_int(const char *key, long long got) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", got);
    expect_str(key, buf);
}

static pm_object *S(const char *s) { return pm_unicode_intern_from_string(H, s); }

/* A function named `name` (qualname the same) whose doc is `doc` (NULL: none). */
static pm_object *mkfunc(const char *name, const char *doc) {
    pm_object *names = pm_tuple_pack(H, 1, S("self"));
    pm_decref(H, PM_TUPLE_ITEMS(names)[0]);
    uint8_t kind = PM_CO_FAST_LOCAL;
    pm_object *kb = pm_bytes_from_buffer(H, &kind, 1);
    pm_object *d = doc ? pm_unicode_from_string(H, doc) : pm_newref(PM_NONE(H));
    pm_object *consts = pm_tuple_pack(H, 1, d);
    pm_object *nm = S(name);
    pm_object *file = pm_unicode_from_string(H, "<test>");
    pm_code_spec s = {
        .consts = consts, .names = H->os->empty_tuple, .localsplusnames = names, .localspluskinds = kb,
        .filename = file, .name = nm, .qualname = nm, .flags = PM_CO_OPTIMIZED | PM_CO_NEWLOCALS,
        .argcount = 1, .stacksize = 1, .firstlineno = 1, .ncodeunits = 2, .body_id = 7,
    };
    pm_object *code = pm_code_new(H, &s);
    CHECKF(code != NULL, "pm_code_new: %s", H->os->exc_msg);
    pm_object *f = code ? pm_function_new(H, code, GLOBALS, NULL, NULL) : NULL;
    CHECKF(f != NULL, "pm_function_new: %s", H->os->exc_msg);
    pm_object *objs[] = { names, kb, d, consts, nm, file, code };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_xdecref(H, objs[i]);
    return f;
}

static pm_object *mkclass(const char *name, const char *qualname, pm_object *ns) {
    pm_dict_setitem(H, ns, S("__module__"), S("__main__"));
    pm_dict_setitem(H, ns, S("__qualname__"), S(qualname));
    pm_object *c = pm_type_new(H, S(name), NULL, ns);
    CHECKF(c != NULL, "class %s: %s", name, H->os->exc_msg);
    pm_decref(H, ns);
    return c;
}

static void drop_class(pm_object *c) {
    PM_TYPE(c)->tp_clear(H, c);
    pm_decref(H, c);
}

static long long rc(pm_object *o) { return (long long)(uint32_t)o->ob_refcnt; }

static int count_visit(pm_object *o, void *arg) {
    (void)o;
    ++*(int *)arg;
    return 0;
}
static long long referents(pm_object *o) {
    int n = 0;
    pm_object_traverse(H, o, count_visit, &n);
    return n;
}

/* "Type: message" of the pending exception, cleared. */
static void expect_error(const char *key) {
    static const char *const kinds[PM_EXC__COUNT] = {
        [PM_EXC_AttributeError] = "AttributeError", [PM_EXC_TypeError] = "TypeError",
        [PM_EXC_RuntimeError] = "RuntimeError",
    };
    char buf[320];
    pm_exc_kind k = pm_err_occurred(H);
    snprintf(buf, sizeof buf, "%s: %s", kinds[k] ? kinds[k] : "?", H->os->exc_msg);
    pm_err_clear(H);
    expect_str(key, buf);
}

static void test_sizes(pm_object *f) {
    TEST_BEGIN("sizes and tracking");
    pm_object *p = pm_property_new(H, NULL, NULL, NULL, NULL);
    pm_object *c = pm_classmethod_new(H, f), *s = pm_staticmethod_new(H, f);
    expect_int("getsizeof.property", (long long)pm_object_getsizeof(H, p));
    expect_int("getsizeof.classmethod", (long long)pm_object_getsizeof(H, c));
    expect_int("getsizeof.staticmethod", (long long)pm_object_getsizeof(H, s));
    expect_int("tracked.property", pm_gc_is_tracked(p));
    expect_int("tracked.classmethod", pm_gc_is_tracked(c));
    expect_int("tracked.staticmethod", pm_gc_is_tracked(s));
    expect_int("referents.property_empty", referents(p));
    expect_int("referents.staticmethod", referents(s));
    pm_object *d = pm_unicode_from_string(H, "d");
    pm_object *p1 = pm_property_new(H, f, NULL, NULL, NULL), *p4 = pm_property_new(H, f, f, f, d);
    expect_int("referents.property_fget", referents(p1));
    expect_int("referents.property_all", referents(p4));
    pm_object *objs[] = { p, c, s, d, p1, p4 };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) pm_decref(H, objs[i]);
}

static void test_refcounts(void) {
    TEST_BEGIN("references held on the wrapped function");
    pm_object *h = mkfunc("h", NULL);
    long long v[6];
    v[0] = rc(h);
    pm_object *p = pm_property_new(H, h, NULL, NULL, NULL);
    v[1] = rc(h);
    pm_object *p2 = pm_property_copy(H, p, PM_PROP_FSET, h);
    v[2] = rc(h);
    pm_object *s = pm_staticmethod_new(H, h);
    v[3] = rc(h);
    pm_object *m = pm_classmethod_new(H, h);
    v[4] = rc(h);
    pm_decref(H, p), pm_decref(H, p2), pm_decref(H, s), pm_decref(H, m);
    v[5] = rc(h);
    char buf[128];
    snprintf(buf, sizeof buf, "%lld %lld %lld %lld %lld %lld", v[0], v[1], v[2], v[3], v[4], v[5]);
    expect_str("refcnt.wrap", buf);
    pm_decref(H, h);
}

static void test_wraps(pm_object *f) {
    TEST_BEGIN("functools_wraps fills __dict__");
    pm_object *s = pm_staticmethod_new(H, f);
    pm_object *d = pm_descr_get_dict(H, s);
    CHECK(d != NULL);
    pm_strbuf sb;
    _pm_strbuf_init(&sb, H);
    int64_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(H, d, &pos, &k, NULL)) {
        if (sb.len) _pm_strbuf_puts(&sb, " ");
        pm_unicode_write_utf8(H, k, &sb);
    }
    expect_str("wraps.keys", sb.buf ? sb.buf : "");
    _pm_strbuf_free(&sb);
    v = pm_dict_getitem(H, d, S("__qualname__"));
    CHECK(v != NULL);
    size_t vn;
    if (v) expect_str("wraps.name", pm_unicode_as_utf8_and_size(H, v, &vn));
    CHECK(pm_descr_callable(H, s) == f);
    pm_decref(H, d);
    pm_decref(H, s);
    /* bad input */
    CHECK(pm_descr_callable(H, f) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    CHECK(pm_classmethod_new(H, NULL) == NULL);
    pm_err_clear(H);
}

static void expect_doc(const char *key, pm_object *p) {
    pm_object *d = pm_property_field(H, p, PM_PROP_DOC);
    pm_strbuf sb;
    _pm_strbuf_init(&sb, H);
    pm_object_repr(H, d ? d : PM_NONE(H), &sb);
    expect_str(key, sb.buf ? sb.buf : "");
    _pm_strbuf_free(&sb);
    pm_decref(H, p);
}

static void test_docs(pm_object *f, pm_object *g) {
    TEST_BEGIN("property doc rules");
    pm_object *given = pm_unicode_from_string(H, "given");
    expect_doc("doc.fget_none", pm_property_new(H, f, NULL, NULL, NULL));
    expect_doc("doc.fget_doc", pm_property_new(H, g, NULL, NULL, NULL));
    expect_doc("doc.given", pm_property_new(H, g, NULL, NULL, given));
    pm_object *p = pm_property_new(H, g, NULL, NULL, NULL);
    expect_doc("doc.copy_from_getter", pm_property_copy(H, p, PM_PROP_FGET, f));
    pm_decref(H, p);
    p = pm_property_new(H, g, NULL, NULL, given);
    expect_doc("doc.copy_given", pm_property_copy(H, p, PM_PROP_FGET, f));
    pm_decref(H, p);
    pm_decref(H, given);
    /* bad input */
    CHECK(pm_property_copy(H, f, PM_PROP_FGET, f) == NULL);
    pm_err_clear(H);
    p = pm_property_new(H, NULL, NULL, NULL, NULL);
    CHECK(pm_property_copy(H, p, 7, f) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_ValueError);
    pm_err_clear(H);
    pm_decref(H, p);
}

static void test_errors(pm_object *f, pm_object *g) {
    TEST_BEGIN("AttributeError messages and the host-call signal");
    pm_object *ns = pm_dict_new(H);
    pm_object *px = pm_property_new(H, f, NULL, NULL, NULL), *py = pm_property_new(H, NULL, NULL, NULL, NULL);
    pm_dict_setitem(H, ns, S("x"), px);
    pm_dict_setitem(H, ns, S("y"), py);
    pm_decref(H, py);
    pm_object *A = mkclass("A", "A", ns);
    CHECK(pm_property_field(H, px, PM_PROP_NAME) == S("x"));   /* __set_name__ at class creation */
    pm_object *pw = pm_property_new(H, f, NULL, NULL, NULL);
    CHECK_EQ(pm_object_setattr(H, A, S("w"), pw), 0);          /* A.w = property(f): no name */
    ns = pm_dict_new(H);
    pm_object *pz = pm_property_new(H, f, NULL, NULL, NULL);
    pm_dict_setitem(H, ns, S("z"), pz);
    pm_decref(H, pz);
    pm_object *Inner = mkclass("Inner", "Outer.Inner", ns);

    pm_object *a = pm_instance_new(H, A), *one = PM_TRUE(H);
    CHECK_EQ(pm_object_setattr(H, a, S("x"), one), -1);
    expect_error("error.no_setter");
    CHECK_EQ(pm_object_delattr(H, a, S("x")), -1);
    expect_error("error.no_deleter");
    CHECK(pm_object_getattr(H, a, S("y")) == NULL);
    expect_error("error.no_getter");
    CHECK_EQ(pm_object_setattr(H, a, S("w"), one), -1);
    expect_error("error.unnamed_setter");
    pm_object *i = pm_instance_new(H, Inner);
    CHECK_EQ(pm_object_setattr(H, i, S("z"), one), -1);
    expect_error("error.nested_setter");
    pm_object *copy = pm_property_copy(H, px, PM_PROP_FGET, g);
    CHECK(pm_property_function(H, copy, a, PM_PROP_FSET) == NULL);
    expect_error("error.copy_keeps_name");
    pm_decref(H, copy);

    /* a getter to call: the signal, the function, nothing changed */
    CHECK(pm_object_getattr(H, a, S("x")) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_RuntimeError);
    CHECK_STREQ(H->os->exc_msg, PM_DESCR_HOST_CALL_MSG);
    pm_err_clear(H);
    CHECK(pm_property_function(H, px, a, PM_PROP_FGET) == f);
    /* through the class: the property itself; a data descriptor wins over the instance dict */
    pm_object *r = pm_object_getattr(H, A, S("x"));
    CHECK(r == px);
    pm_xdecref(H, r);
    CHECK(pm_object_getattr(H, a, S("x")) == NULL);
    pm_err_clear(H);

    pm_decref(H, i);
    pm_decref(H, a);
    pm_decref(H, pw);
    pm_decref(H, px);
    drop_class(Inner);
    drop_class(A);
}

static void test_binding(pm_object *f) {
    TEST_BEGIN("classmethod binds the class, staticmethod returns the callable");
    pm_object *ns = pm_dict_new(H);
    pm_object *cm = pm_classmethod_new(H, f), *sm = pm_staticmethod_new(H, f);
    pm_dict_setitem(H, ns, S("c"), cm);
    pm_dict_setitem(H, ns, S("s"), sm);
    pm_object *A = mkclass("B", "B", ns);
    pm_object *a = pm_instance_new(H, A);
    pm_object *targets[2] = { A, a };
    for (int k = 0; k < 2; k++) {
        pm_object *m = pm_object_getattr(H, targets[k], S("c"));
        CHECK(m && pm_method_check(H, m) && PM_METHOD_FUNC(m) == f && PM_METHOD_SELF(m) == A);
        pm_xdecref(H, m);
        pm_object *s = pm_object_getattr(H, targets[k], S("s"));
        CHECK(s == f);
        pm_xdecref(H, s);
    }
    long long before = rc(A);
    pm_object *m = PM_TYPE(cm)->tp_descr_get(H, cm, a, NULL);   /* no class given: type(obj) */
    CHECK(m && PM_METHOD_SELF(m) == A && rc(A) == before + 1);
    pm_xdecref(H, m);
    CHECK(PM_TYPE(cm)->tp_descr_get(H, cm, NULL, NULL) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    pm_decref(H, a);
    pm_decref(H, cm);
    pm_decref(H, sm);
    drop_class(A);
}

static void test_cycle(void) {
    TEST_BEGIN("a property in a cycle is collected");
    pm_object *h = mkfunc("h", NULL);
    pm_object *l = pm_list_new(H, 0);
    pm_object *p = pm_property_new(H, h, NULL, NULL, l);   /* doc = a list holding the property */
    pm_list_append(H, l, p);
    pm_decref(H, l);
    pm_decref(H, p);
    pm_object *s = pm_staticmethod_new(H, h);
    pm_object *sd = pm_descr_get_dict(H, s);
    pm_dict_setitem(H, sd, S("me"), s);                     /* s.__dict__['me'] = s */
    pm_decref(H, sd);
    pm_decref(H, s);
    long long rc0 = rc(h);
    int64_t n = pm_gc_collect(H, 2);
    CHECK_EQ(n, 4);                                           /* property + list, staticmethod + dict */
    CHECK_EQ(rc(h), rc0 - 2);
    pm_decref(H, h);
}

/* Classes whose names are not interned (type(name, ...) with a computed
 * str), with a property, a classmethod and a subclass: the object checker
 * finds every reference (the class's name and qualname strs, its subclass
 * table's key and weakref) and the weakref counts are 3.12's. */
static void test_objects_check(pm_object *f, pm_object *g) {
    TEST_BEGIN("object checker: class names, subclass table");
    pm_object *name = pm_unicode_from_string(H, "Dyn"), *subname = pm_unicode_from_string(H, "DynSub");
    pm_object *ns = pm_dict_new(H);
    pm_object *p = pm_property_new(H, f, NULL, NULL, NULL), *cm = pm_classmethod_new(H, f);
    pm_dict_setitem(H, ns, S("x"), p);
    pm_dict_setitem(H, ns, S("c"), cm);
    pm_decref(H, p);
    pm_decref(H, cm);
    pm_object *A = pm_type_new(H, name, NULL, ns);
    CHECKF(A != NULL, "%s", H->os->exc_msg);
    pm_object *ns2 = pm_dict_new(H);
    pm_object *B = A ? pm_type_new(H, subname, A, ns2) : NULL;
    CHECKF(B != NULL, "%s", H->os->exc_msg);
    if (!A || !B) return;
    CHECK_EQ(pm_weakref_getweakrefcount(H, A), 1);
    CHECK_EQ(pm_weakref_getweakrefcount(H, B), 1);
    pm_object *subs = pm_type_subclasses(H, A);
    CHECK(subs && PM_SIZE(subs) == 1 && PM_LIST_ITEMS(subs)[0] == B);
    pm_xdecref(H, subs);
    pm_objroot roots[] = { { name, 1 }, { subname, 1 }, { ns, 1 }, { ns2, 1 }, { A, 1 }, { B, 1 }, { f, 1 }, { g, 1 }, { GLOBALS, 1 } };
    pm_objcheck_result res;
    pm_status st = pm_objects_check(H, roots, sizeof roots / sizeof roots[0], NULL, &res);
    CHECKF(st == PM_OK, "pm_objects_check: %s", pm_heap_error(H));
    /* B dies: its entry leaves A's table, which goes with it */
    drop_class(B);
    CHECK(((pm_heaptype *)A)->tp_subclasses == NULL);
    subs = pm_type_subclasses(H, A);
    CHECK(subs && PM_SIZE(subs) == 0);
    pm_xdecref(H, subs);
    CHECK(pm_type_subclasses(H, (pm_object *)pm_builtin_type(H, PM_T_OBJECT)) == NULL);
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_TypeError);
    pm_err_clear(H);
    drop_class(A);
    pm_decref(H, ns);
    pm_decref(H, ns2);
    pm_decref(H, name);
    pm_decref(H, subname);
}

int main(void) {
    if (kv_fixture_load(&FX, "sizes_descr.txt", "PM_DESCR_FIXTURE") < 0) return 2;
    H = ct_heap_new();
    GLOBALS = pm_dict_new(H);
    pm_object *builtins = pm_dict_new(H);
    pm_dict_setitem(H, GLOBALS, S("__name__"), S("__main__"));
    pm_dict_setitem(H, GLOBALS, S("__builtins__"), builtins);
    pm_decref(H, builtins);
    pm_object *f = mkfunc("f", NULL), *g = mkfunc("g", "g's doc");
    /* warm-up: the names the tests use are interned once (interned strs stay) */
    static const char *const names[] = { "x", "y", "w", "z", "A", "Inner", "Dyn", "DynSub", "Outer.Inner", "B", "c", "s", "me",
                                         "__module__", "__qualname__" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) pm_decref(H, S(names[i]));
    pm_decref(H, pm_staticmethod_new(H, f));
    drop_class(mkclass("Warmup", "Warmup", pm_dict_new(H)));   /* typeobject.c's identifiers */
    pm_gc_collect(H, 2);
    ct_clear_freelists(H);
    uint64_t live0 = ct_live_blocks(H);

    test_sizes(f);
    test_refcounts();
    test_wraps(f);
    test_docs(f, g);
    test_errors(f, g);
    test_binding(f);
    test_cycle();
    test_objects_check(f, g);

    TEST_BEGIN("no leaks, heap consistent");
    CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_NONE);
    CHECK_EQ(pm_gc_collect(H, 2), 0);   /* drop_class left nothing for the collector */
    CT_EXPECT_CLEAN(H, live0);
    pm_decref(H, f);
    pm_decref(H, g);
    pm_decref(H, GLOBALS);
    pm_heap_free(H);
    kv_fixture_free(&FX);
    return check_summary();
}
