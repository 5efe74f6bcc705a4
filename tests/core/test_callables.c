/* test_callables.c — native tests of core/src/{codeobject,funcobject,
 * cellobject,classobject,genobject,frame}.c against facts recorded from
 * CPython 3.12 (tests/fixtures/sizes_callables.txt, written by
 * tests/record/sizes_callables.py).
 *
 *   tests/core/run.sh unit test_callables      (from the repository root)
 *
 * The Python programs behind each fixture line are in the record script;
 * each test below rebuilds the same situation with the core's C API the
 * way the interpreter will (MAKE_FUNCTION, frame push, RETURN_GENERATOR,
 * MAKE_CELL, ...), and compares.
 */
#include "check.h"
#include "fixture.h"
#include "codeobject.h"
#include "funcobject.h"
#include "cellobject.h"
#include "classobject.h"
#include "genobject.h"
#include "frame.h"
#include "dictobject.h"
#include "longobject.h"

/* ---- Fixture ------------------------------------------------------------------ */

static kv_fixture FX;

static const char *fx(const char *fmt, ...) {
    char key[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < FX.n; i++)
        if (strcmp(FX.keys[i], key) == 0) return FX.values[i];
    CHECKF(0, "fixture has no case '%s' (re-record tests/fixtures/sizes_callables.txt)", key);
    return "";
}

/* The k-th integer of a fixture value ("a b c"). */
static long long fx_n(const char *v, int k) {
    char *end;
    long long x = 0;
    for (int i = 0; i <= k; i++) {
        x = strtoll(v, &end, 10);
        if (end == v) return -99999;
        v = end;
    }
    return x;
}

static long long fx1(const char *key) { return fx_n(fx("%s", key), 0); }

/* ---- Markers: objects that log a tag when they die ------------------------------- */

static char LOG[1024];

typedef struct tagm {
    pm_object ob_base;
    const char *tag;
} tagm;

static pm_type TAGM;

static void tagm_dealloc(pm_heap *h, pm_object *o) {
    size_t n = strlen(LOG);
    snprintf(LOG + n, sizeof LOG - n, "%s%s", n ? "," : "", ((tagm *)o)->tag);
    pm_object_free(h, o);
}

static pm_object *M(pm_heap *h, const char *tag) {
    pm_object *o = pm_object_alloc(h, &TAGM, 0);
    ((tagm *)o)->tag = tag;
    return o;
}

static void log_mark(const char *tag) {
    size_t n = strlen(LOG);
    snprintf(LOG + n, sizeof LOG - n, "%s%s", n ? "," : "", tag);
}

/* ---- Heap, globals, code objects ---------------------------------------------------- */

typedef struct env {
    pm_heap *h;
    pm_object *globals, *builtins;
} env;

/* Drops one reference to each object, in the order given. */
#define RELEASE(h, ...) do {                                                        \
    pm_object *rel_[] = { __VA_ARGS__ };                                            \
    for (size_t i_ = 0; i_ < sizeof rel_ / sizeof rel_[0]; i_++) pm_decref((h), rel_[i_]); \
} while (0)

static uint32_t rc(const pm_object *o) { return (uint32_t)o->ob_refcnt; }
/* sys.getrefcount(o): the argument on the caller's stack adds one. */
static long long getrefcount(const pm_object *o) { return (long long)rc(o) + 1; }
static long long gs(pm_heap *h, pm_object *o) { return (long long)pm_object_getsizeof(h, o); }

static env env_open(void) {
    env e;
    e.h = pm_heap_new(NULL);
    if (!e.h) {
        fprintf(stderr, "pm_heap_new failed\n");
        exit(2);
    }
    memset(&TAGM, 0, sizeof TAGM);
    TAGM.ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    TAGM.ob_base.ob_base.ob_type = pm_builtin_type(e.h, PM_T_TYPE);
    TAGM.tp_name = "M";
    TAGM.tp_basicsize = 24;
    TAGM.type_id = PM_T__COUNT;
    TAGM.tp_base = pm_builtin_type(e.h, PM_T_OBJECT);
    TAGM.tp_dealloc = tagm_dealloc;
    TAGM.tp_hash = pm_builtin_type(e.h, PM_T_OBJECT)->tp_hash;
    LOG[0] = '\0';
    e.builtins = pm_dict_new(e.h);
    e.globals = pm_dict_new(e.h);
    pm_object *name = pm_unicode_from_string(e.h, "recmod");
    pm_object *k1 = pm_unicode_intern_from_string(e.h, "__name__");
    pm_object *k2 = pm_unicode_intern_from_string(e.h, "__builtins__");
    pm_dict_setitem(e.h, e.globals, k1, name);
    pm_dict_setitem(e.h, e.globals, k2, e.builtins);
    pm_decref(e.h, name);
    pm_decref(e.h, k1);
    pm_decref(e.h, k2);
    return e;
}

static void env_close(env *e) {
    pm_heap *h = e->h;
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    if (pm_err_occurred(h)) fprintf(stderr, "   pending: %s\n", h->os->exc_msg);
    CHECK(pm_frame_current(h) == NULL);
    pm_decref(h, e->globals);
    pm_decref(h, e->builtins);
    pm_status st = pm_heap_check(h);
    CHECK_EQ((int)st, (int)PM_OK);
    pm_heap_free(h);
}

/* A code object: nlocalsplus slots named v0.. with the given kinds
 * (NULL: all plain locals), the first `argcount` of them arguments. */
typedef struct codedesc {
    const char *name;
    int argcount;
    int nlocalsplus;
    const uint8_t *kinds;
    int stacksize;
    int flags;
    uint32_t units;
    pm_object *consts;          /* borrowed; NULL: (None,) */
} codedesc;

static pm_object *mk_code(pm_heap *h, codedesc d) {
    pm_object *names = pm_tuple_new(h, d.nlocalsplus);
    uint8_t kinds[256];
    for (int i = 0; i < d.nlocalsplus; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "v%d", i);
        PM_TUPLE_SET(names, i, pm_unicode_intern_from_string(h, nm));
        kinds[i] = d.kinds ? d.kinds[i] : PM_CO_FAST_LOCAL;
    }
    pm_object *kb = pm_bytes_from_buffer(h, kinds, (size_t)d.nlocalsplus);
    pm_object *consts = d.consts ? pm_newref(d.consts) : pm_tuple_pack(h, 1, PM_NONE(h));
    pm_object *nm = pm_unicode_from_string(h, d.name);
    pm_object *file = pm_unicode_from_string(h, "<test>");
    pm_code_spec s = {
        .consts = consts, .names = h->os->empty_tuple, .localsplusnames = names, .localspluskinds = kb,
        .filename = file, .name = nm, .qualname = nm, .flags = d.flags | PM_CO_OPTIMIZED | PM_CO_NEWLOCALS,
        .argcount = d.argcount, .stacksize = d.stacksize, .firstlineno = 1, .ncodeunits = d.units ? d.units : 2,
        .body_id = 7,
    };
    pm_object *code = pm_code_new(h, &s);
    CHECK(code != NULL);
    if (!code) fprintf(stderr, "   pm_code_new: %s\n", h->os->exc_msg);
    pm_decref(h, names);
    pm_decref(h, kb);
    pm_decref(h, consts);
    pm_decref(h, nm);
    pm_decref(h, file);
    return code;
}

static pm_object *mk_func(env *e, pm_object *code) {
    pm_object *f = pm_function_new(e->h, code, e->globals, NULL, NULL);
    CHECK(f != NULL);
    return f;
}

/* A generator function body with n slots and the given stack depth, called
 * with its arguments bound to small ints: the generator (RETURN_GENERATOR). */
static pm_object *call_gen(env *e, pm_object *func) {
    pm_heap *h = e->h;
    pm_frame *f = pm_frame_push(h, func);
    CHECK(f != NULL);
    pm_code *c = (pm_code *)((pm_function *)func)->func_code;
    for (int i = 0; i < c->co_argcount; i++) pm_frame_set_local_steal(h, f, i, pm_long_from_int64(h, 1));
    pm_object *g = pm_gen_from_frame(h, f);
    CHECK(g != NULL);
    return g;
}

/* ---- Types and sizes ------------------------------------------------------------- */

static void test_types(void) {
    TEST_BEGIN("type facts: basicsize, itemsize, weakref support, GC flag");
    env e = env_open();
    pm_heap *h = e.h;
    static const struct { const char *name; pm_type_id id; } T[] = {
        { "function", PM_T_FUNCTION }, { "code", PM_T_CODE }, { "cell", PM_T_CELL },
        { "method", PM_T_METHOD }, { "generator", PM_T_GENERATOR },
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        const char *v = fx("type.%s", T[i].name);
        pm_type *t = pm_builtin_type(h, T[i].id);
        CHECK_EQF((long long)t->tp_basicsize, fx_n(v, 0), "%s basicsize", T[i].name);
        CHECK_EQF((long long)t->tp_itemsize, fx_n(v, 1), "%s itemsize", T[i].name);
        CHECK_EQF(t->tp_weaklistoffset != 0, fx_n(v, 2) != 0, "%s weakref support", T[i].name);
        CHECK_EQF((long long)pm_type_is_gc(t), fx_n(v, 3), "%s GC flag", T[i].name);
    }
    env_close(&e);
}

static void test_sizes(void) {
    TEST_BEGIN("sys.getsizeof of functions, cells, bound methods, generators; gc.is_tracked");
    env e = env_open();
    pm_heap *h = e.h;
    pm_object *code = mk_code(h, (codedesc){ "f", 0, 0, NULL, 0, 0, 2, NULL });
    pm_object *f = mk_func(&e, code);
    CHECK_EQ(gs(h, f), fx1("size.function"));
    CHECK_EQ(gs(h, f), fx1("size.lambda"));
    pm_object *d = pm_tuple_pack(h, 2, PM_NONE(h), PM_NONE(h));
    pm_function_set_defaults(h, f, d);
    pm_decref(h, d);
    CHECK_EQ(gs(h, f), fx1("size.function_defaults"));
    pm_object *dict = pm_function_get_dict(h, f);
    pm_decref(h, dict);
    CHECK_EQ(gs(h, f), fx1("size.function_with_dict"));
    CHECK_EQ((long long)pm_gc_is_tracked(f), fx1("tracked.function"));
    /* a non-GC object has no GC head to look at: it is never tracked */
    CHECK_EQ((long long)(pm_type_is_gc(PM_TYPE(code)) && pm_gc_is_tracked(code)), fx1("tracked.code"));

    static const uint8_t kfree[] = { PM_CO_FAST_FREE };
    pm_object *icode = mk_code(h, (codedesc){ "inner", 0, 1, kfree, 0, PM_CO_NESTED, 2, NULL });
    pm_object *cell = pm_cell_new(h, NULL);
    CHECK_EQ(gs(h, cell), fx1("size.cell_empty"));
    pm_cell_set(h, cell, PM_NONE(h));
    CHECK_EQ(gs(h, cell), fx1("size.cell"));
    CHECK_EQ((long long)pm_gc_is_tracked(cell), fx1("tracked.cell"));
    pm_object *clo = pm_tuple_pack(h, 1, cell);
    pm_object *fc = pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, clo);
    CHECK(fc != NULL);
    CHECK_EQ(gs(h, fc), fx1("size.function_closure"));

    pm_object *m = pm_function_descr_get(h, f, cell, NULL);
    CHECK(pm_method_check(h, m));
    CHECK_EQ(gs(h, m), fx1("size.method"));
    CHECK_EQ((long long)pm_gc_is_tracked(m), fx1("tracked.method"));

    pm_object *gcode = mk_code(h, (codedesc){ "g", 0, 0, NULL, 2, PM_CO_GENERATOR, 4, NULL });
    pm_object *gf = mk_func(&e, gcode);
    pm_object *g = call_gen(&e, gf);
    CHECK_EQ(gs(h, g), fx1("size.simple_gen"));
    CHECK_EQ((long long)pm_gc_is_tracked(g), fx1("tracked.generator"));

    RELEASE(h, g, gf, gcode, m, fc, clo, cell, icode, f, code);
    env_close(&e);
}

/* code.<name>: ncodeunits nlocalsplus stacksize framesize getsizeof */
static void test_code_sizes(void) {
    TEST_BEGIN("code objects: getsizeof from the code-unit count, co_framesize from nlocalsplus + stacksize");
    env e = env_open();
    pm_heap *h = e.h;
    static const char *const names[] = { "empty", "ret", "add3", "loop", "calls", "closure" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = fx("code.%s", names[i]);
        pm_object *c = mk_code(h, (codedesc){ names[i], 0, (int)fx_n(v, 1), NULL, (int)fx_n(v, 2), 0,
                                              (uint32_t)fx_n(v, 0), NULL });
        if (!c) continue;
        CHECK_EQF((long long)((pm_code *)c)->co_framesize, fx_n(v, 3), "co_framesize of %s", names[i]);
        CHECK_EQF(gs(h, c), fx_n(v, 4), "getsizeof(code) of %s", names[i]);
        /* the block really requested: getsizeof bytes (no GC head), in its size class */
        CHECK_EQF((long long)pm_block_size(h, c), (fx_n(v, 4) + 15) / 16 * 16, "block of %s", names[i]);
        pm_decref(h, c);
    }
    env_close(&e);
}

/* gen.<name>: nlocalsplus stacksize framesize getsizeof traced */
static void test_gen_sizes(void) {
    TEST_BEGIN("generators: getsizeof and the allocated block follow co_nlocalsplus + co_stacksize");
    env e = env_open();
    pm_heap *h = e.h;
    static const struct { const char *name; int argcount; int cell_slot; } G[] = {
        { "g0", 0, -1 }, { "g_arg", 1, -1 }, { "g2", 2, -1 }, { "g5", 5, -1 }, { "g_locals8", 0, -1 },
        { "g_deep", 1, -1 }, { "g_loop", 1, -1 }, { "g_cell", 1, 0 }, { "g_calls", 1, -1 }, { "g_many", 0, -1 },
    };
    for (size_t i = 0; i < sizeof G / sizeof G[0]; i++) {
        const char *v = fx("gen.%s", G[i].name);
        int nlp = (int)fx_n(v, 0);
        uint8_t kinds[64];
        for (int k = 0; k < nlp && k < 64; k++) kinds[k] = k == G[i].cell_slot ? PM_CO_FAST_LOCAL | PM_CO_FAST_CELL
                                                                                : PM_CO_FAST_LOCAL;
        pm_object *code = mk_code(h, (codedesc){ G[i].name, G[i].argcount, nlp, kinds, (int)fx_n(v, 1),
                                                 PM_CO_GENERATOR, 8, NULL });
        pm_object *fn = mk_func(&e, code);
        CHECK_EQF((long long)((pm_code *)code)->co_framesize, fx_n(v, 2), "co_framesize of %s", G[i].name);
        /* what tracemalloc saw while the generator was created: the frame's
         * prologue (MAKE_CELL) and the generator block */
        pm_heap_stats a, b;
        pm_heap_stats_get(h, &a);
        pm_frame *f = pm_frame_push(h, fn);
        for (int k = 0; k < G[i].argcount; k++) pm_frame_set_local_steal(h, f, k, pm_long_from_int64(h, 1));
        long long cells = 0;
        if (G[i].cell_slot >= 0) {
            pm_frame_make_cell(h, f, G[i].cell_slot);
            cells = gs(h, pm_frame_get_local(h, f, G[i].cell_slot));
        }
        pm_object *g = pm_gen_from_frame(h, f);
        pm_heap_stats_get(h, &b);
        CHECK_EQF(gs(h, g), fx_n(v, 3), "getsizeof(gen) of %s", G[i].name);
        CHECK_EQF(gs(h, g) + cells, fx_n(v, 4), "traced bytes of %s", G[i].name);
        long long blocks = (long long)(b.bytes_in_allocated_blocks - a.bytes_in_allocated_blocks);
        CHECK_EQF(blocks, (fx_n(v, 3) + 15) / 16 * 16 + (cells + 15) / 16 * 16, "blocks of %s", G[i].name);
        CHECK(pm_frame_current(h) == NULL);
        pm_decref(h, g);
        pm_decref(h, fn);
        pm_decref(h, code);
    }
    env_close(&e);
}

/* ---- Reference counts -------------------------------------------------------------- */

static void test_refcounts(void) {
    TEST_BEGIN("refcounts: code, globals, builtins, defaults, kwdefaults, cells, bound methods, generator frames");
    env e = env_open();
    pm_heap *h = e.h;

    /* a module code object whose co_consts hold the function's code */
    pm_object *fcode = mk_code(h, (codedesc){ "f", 0, 0, NULL, 0, 0, 2, NULL });
    pm_object *mconsts = pm_tuple_pack(h, 2, fcode, PM_NONE(h));
    pm_object *mod = mk_code(h, (codedesc){ "<module>", 0, 0, NULL, 2, 0, 10, mconsts });
    pm_decref(h, mconsts);
    pm_decref(h, fcode);            /* now held by the module's co_consts only */
    long long g0 = rc(e.globals), b0 = rc(e.builtins);
    pm_object *f = mk_func(&e, fcode);
    CHECK_EQ(getrefcount(fcode), fx1("refcnt.code_one_function"));
    CHECK_EQ((long long)rc(e.globals) - g0, fx_n(fx("delta.globals_per_function"), 0));
    CHECK_EQ((long long)rc(e.builtins) - b0, fx_n(fx("delta.builtins_per_function"), 0));
    pm_object *f2 = mk_func(&e, fcode);
    CHECK_EQ((long long)rc(e.globals) - g0, fx_n(fx("delta.globals_per_function"), 0)
                                           + fx_n(fx("delta.globals_per_function"), 1));
    CHECK_EQ((long long)rc(e.builtins) - b0, fx_n(fx("delta.builtins_per_function"), 0)
                                            + fx_n(fx("delta.builtins_per_function"), 1));
    pm_object *f3 = mk_func(&e, fcode);
    CHECK_EQ(getrefcount(fcode), fx1("refcnt.code_three_closures"));
    pm_decref(h, f);
    pm_decref(h, f2);
    pm_decref(h, f3);
    CHECK_EQ((long long)rc(e.globals) - g0, fx1("delta.globals_after_del"));

    /* generators: each holds the code (kept when exhausted) and, until its
     * frame is cleared, the function */
    pm_object *gcode = mk_code(h, (codedesc){ "gen", 0, 0, NULL, 2, PM_CO_GENERATOR, 5, NULL });
    pm_object *gfn = mk_func(&e, gcode);
    pm_object *consts2 = pm_tuple_pack(h, 1, gcode);   /* the module's co_consts */
    pm_decref(h, gcode);
    CHECK_EQ(getrefcount(gcode), fx1("refcnt.gen_code_no_gens"));
    CHECK_EQ(getrefcount(gfn), fx1("refcnt.gen_func_no_gens"));
    pm_object *g1 = call_gen(&e, gfn), *g2 = call_gen(&e, gfn);
    CHECK_EQ(getrefcount(gcode), fx1("refcnt.gen_code_two_gens"));
    CHECK_EQ(getrefcount(gfn), fx1("refcnt.gen_func_two_gens"));
    pm_object *gs2[] = { g1, g2 };
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(pm_gen_resume(h, gs2[i]), 0);
        pm_frame_push_value(h, pm_gen_frame(gs2[i]), PM_NONE(h));
        pm_decref(h, pm_frame_pop_value(h, pm_gen_frame(gs2[i])));
        CHECK_EQ(pm_gen_suspend(h, gs2[i]), 0);
    }
    CHECK_EQ(getrefcount(gcode), fx1("refcnt.gen_code_two_suspended"));
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(pm_gen_resume(h, gs2[i]), 0);
        CHECK_EQ(pm_gen_finish(h, gs2[i]), 0);
    }
    CHECK_EQ(getrefcount(gcode), fx1("refcnt.gen_code_two_exhausted"));
    CHECK_EQ(getrefcount(gfn), fx1("refcnt.gen_func_two_exhausted"));
    pm_decref(h, g1);
    pm_decref(h, g2);
    pm_decref(h, gfn);
    pm_decref(h, consts2);

    /* defaults: a run-time tuple is held by the function only; a constant
     * tuple also by the module's co_consts */
    pm_object *x = M(h, "x");
    long long before = getrefcount(x);
    pm_object *dt = pm_tuple_pack(h, 1, x);
    pm_object *fd = pm_function_make(h, mod, e.globals, NULL, dt, NULL, NULL, NULL);
    pm_decref(h, dt);               /* MAKE_FUNCTION took the stack's reference */
    CHECK_EQ(getrefcount(x) - before, fx1("delta.default_value"));
    CHECK_EQ(getrefcount(dt), fx1("refcnt.defaults_tuple_runtime"));
    pm_object *ct = ((pm_code *)mod)->co_consts;   /* a tuple in co_consts stands for the constant */
    pm_object *fdc = pm_function_make(h, fcode, e.globals, NULL, ct, NULL, NULL, NULL);
    CHECK_EQ(getrefcount(ct), fx1("refcnt.defaults_tuple_const"));
    pm_object *kw = M(h, "kw");
    before = getrefcount(kw);
    pm_object *kwd = pm_dict_new(h);
    pm_object *k = pm_unicode_intern_from_string(h, "k");
    pm_dict_setitem(h, kwd, k, kw);
    pm_object *fk = pm_function_make(h, fcode, e.globals, NULL, NULL, kwd, NULL, NULL);
    pm_decref(h, kwd);
    CHECK_EQ(getrefcount(kw) - before, fx1("delta.kwdefault_value"));
    CHECK_EQ(getrefcount(kwd), fx1("refcnt.kwdefaults_dict"));

    /* closures: the cell holds the value once; the closure tuple the cell */
    static const uint8_t kfree[] = { PM_CO_FAST_FREE };
    pm_object *icode = mk_code(h, (codedesc){ "inner", 0, 1, kfree, 1, PM_CO_NESTED, 4, NULL });
    pm_object *val = M(h, "val");
    before = getrefcount(val);
    pm_object *clos[2];
    for (int i = 0; i < 2; i++) {
        /* mk_closure(v): MAKE_CELL v, LOAD_CLOSURE, BUILD_TUPLE 1, MAKE_FUNCTION closure */
        pm_object *cell = pm_cell_new(h, val);
        pm_object *tup = pm_tuple_pack(h, 1, cell);
        pm_decref(h, cell);
        clos[i] = pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, tup);
        pm_decref(h, tup);
        if (i == 0) {
            CHECK_EQ(getrefcount(val) - before, fx1("delta.cell_contents"));
            CHECK_EQ(getrefcount(cell), fx1("refcnt.cell"));
            CHECK_EQ(getrefcount(tup), fx1("refcnt.closure_tuple"));
        }
    }
    CHECK_EQ(getrefcount(val) - before, fx1("delta.cell_contents_two_closures"));

    /* bound methods: each holds the function and the instance */
    pm_object *cdict = pm_dict_new(h);
    pm_object *meth = mk_func(&e, fcode);
    pm_object *mname = pm_unicode_intern_from_string(h, "m");
    pm_dict_setitem(h, cdict, mname, meth);        /* the class __dict__; `func` is our reference */
    pm_object *inst = M(h, "inst");
    long long s0 = getrefcount(inst);
    CHECK_EQ(getrefcount(meth), fx1("refcnt.func_in_class"));
    pm_object *m1 = pm_function_descr_get(h, meth, inst, NULL);
    pm_object *m2 = pm_function_descr_get(h, meth, inst, NULL);
    CHECK_EQ(getrefcount(meth), fx1("refcnt.func_two_methods"));
    CHECK_EQ(getrefcount(inst), fx_n(fx("refcnt.self_two_methods"), 0));
    CHECK_EQ(s0, fx_n(fx("refcnt.self_two_methods"), 1));
    CHECK_EQ(getrefcount(m1), fx1("refcnt.method"));
    CHECK_EQ((long long)pm_object_eq(h, m1, m2), fx1("eq.same_func_same_self"));
    pm_object *other = M(h, "other");
    pm_object *m3 = pm_function_descr_get(h, meth, other, NULL);
    CHECK_EQ((long long)pm_object_eq(h, m1, m3), fx1("eq.same_func_other_self"));
    CHECK_EQ((long long)(m1 == m2), fx1("eq.identity_is"));
    int64_t hx = pm_hash_pointer(inst) ^ pm_hash_pointer(meth);
    CHECK_EQ((long long)(pm_object_hash(h, m1) == (hx == -1 ? -2 : hx)), fx1("hash.method_xor"));
    CHECK_EQ((long long)(pm_object_hash(h, meth) == pm_hash_pointer(meth)), fx1("hash.function_pointer"));
    pm_object *unbound = pm_function_descr_get(h, meth, PM_NONE(h), NULL);
    CHECK_EQ((long long)(unbound == meth), fx1("bound.function_get_none_is_func"));

    RELEASE(h, unbound, m3, other, m2, m1, inst, mname, meth, cdict, clos[0], clos[1], val, icode, fk,
                         k, kw, fdc, fd, x, mod);
    env_close(&e);
}

/* ---- Errors ------------------------------------------------------------------------- */

/* "Type message" of the pending exception, then cleared. */
static char *exc_text(pm_heap *h) {
    static const char *const names[] = { [PM_EXC_ValueError] = "ValueError", [PM_EXC_TypeError] = "TypeError",
                                         [PM_EXC_IndexError] = "IndexError", [PM_EXC_RuntimeError] = "RuntimeError",
                                         [PM_EXC_MemoryError] = "MemoryError" };
    static char buf[400];
    pm_exc_kind k = pm_err_occurred(h);
    snprintf(buf, sizeof buf, "%s %s", k < (int)(sizeof names / sizeof names[0]) && names[k] ? names[k] : "?",
             h->os->exc_msg);
    pm_err_clear(h);
    return buf;
}

static void test_errors(void) {
    TEST_BEGIN("errors with CPython's messages: empty cell, cell hash, MethodType, re-entered generator");
    env e = env_open();
    pm_heap *h = e.h;
    pm_object *cell = pm_cell_new(h, NULL);
    CHECK(pm_cell_get(h, cell) == NULL);
    CHECK_STREQ(exc_text(h), fx("err.cell_empty"));
    CHECK_EQ(pm_object_hash(h, cell), (int64_t)-1);
    CHECK_STREQ(exc_text(h), fx("err.cell_hash"));
    pm_object *code = mk_code(h, (codedesc){ "f", 0, 0, NULL, 0, 0, 2, NULL });
    pm_object *f = mk_func(&e, code);
    CHECK(pm_method_type_new(h, f, PM_NONE(h), 1) == NULL);
    CHECK_STREQ(exc_text(h), fx("err.method_self_none"));
    CHECK(pm_method_type_new(h, f, cell, 0) == NULL);
    CHECK_STREQ(exc_text(h), fx("err.method_not_callable"));
    CHECK(pm_method_new(h, f, NULL) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_RuntimeError);
    pm_err_clear(h);

    /* cells compare by contents; an empty cell equals only an empty one */
    pm_object *c2 = pm_cell_new(h, NULL);
    CHECK_EQ(pm_object_eq(h, cell, c2), 1);
    pm_cell_set(h, c2, f);
    CHECK_EQ(pm_object_eq(h, cell, c2), 0);
    pm_cell_set(h, cell, f);
    CHECK_EQ(pm_object_eq(h, cell, c2), 1);
    pm_cell_set(h, c2, NULL);
    CHECK(PM_CELL_GET(c2) == NULL);
    CHECK(pm_cell_set(h, f, NULL) < 0);
    CHECK(pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);

    /* closure checks at construction */
    static const uint8_t kfree[] = { PM_CO_FAST_FREE };
    pm_object *icode = mk_code(h, (codedesc){ "inner", 0, 1, kfree, 0, PM_CO_NESTED, 2, NULL });
    CHECK(pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, h->os->empty_tuple) == NULL);
    CHECK_STREQ(exc_text(h), "ValueError inner requires closure of length 1, not 0");
    pm_object *bad = pm_tuple_pack(h, 1, f);
    CHECK(pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, bad) == NULL);
    CHECK_STREQ(exc_text(h), "TypeError arg 5 (closure) expected cell, found function");
    CHECK(pm_function_set_defaults(h, f, cell) < 0);
    CHECK_STREQ(exc_text(h), "TypeError __defaults__ must be set to a tuple object");
    CHECK(pm_function_set_kwdefaults(h, f, bad) < 0);
    CHECK_STREQ(exc_text(h), "TypeError __kwdefaults__ must be set to a dict object");
    CHECK(pm_function_new(h, f, e.globals, NULL, NULL) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);

    /* bad code descriptions */
    pm_code_spec s = { 0 };
    CHECK(pm_code_new(h, &s) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);
    CHECK(pm_code_new(h, NULL) == NULL);
    pm_err_clear(h);

    /* generator re-entered while running; next() of an exhausted one */
    pm_object *gcode = mk_code(h, (codedesc){ "g", 0, 0, NULL, 2, PM_CO_GENERATOR, 4, NULL });
    pm_object *gfn = mk_func(&e, gcode);
    pm_object *g = call_gen(&e, gfn);
    CHECK_EQ(pm_gen_resume(h, g), 0);
    CHECK_EQ(pm_gen_resume(h, g), -1);
    CHECK_STREQ(exc_text(h), fx("err.gen_reenter"));
    CHECK_EQ(pm_gen_close(h, g), -1);
    CHECK_STREQ(exc_text(h), fx("err.gen_reenter"));
    CHECK_EQ(pm_gen_finish(h, g), 0);
    CHECK_EQ(pm_gen_resume(h, g), 1);         /* exhausted: the host raises StopIteration */
    CHECK_STREQ(fx("err.exhausted_next"), "StopIteration");
    /* send(): a just-started generator takes only None; the value lands on the frame's stack */
    pm_object *g3 = call_gen(&e, gfn);
    CHECK_EQ(pm_gen_send(h, g3, cell), -1);
    CHECK_STREQ(exc_text(h), fx("err.send_just_started"));
    CHECK_EQ(pm_gen_state(g3), PM_FRAME_CREATED);
    CHECK_EQ(pm_gen_send(h, g3, NULL), 0);
    CHECK(pm_frame_peek_value(h, pm_gen_frame(g3), 0) == PM_NONE(h));
    pm_decref(h, pm_frame_pop_value(h, pm_gen_frame(g3)));      /* POP_TOP */
    uint32_t rcell = rc(cell);
    CHECK_EQ(pm_gen_suspend(h, g3), 0);
    CHECK_EQ(pm_gen_send(h, g3, cell), 0);
    CHECK_EQ(rc(cell), rcell + 1);                               /* the sent value is on the stack */
    CHECK(pm_frame_peek_value(h, pm_gen_frame(g3), 0) == cell);
    CHECK_EQ(pm_gen_finish(h, g3), 0);
    CHECK_EQ(rc(cell), rcell);
    CHECK_EQ(pm_gen_send(h, g3, cell), 1);                       /* exhausted */
    pm_decref(h, g3);
    CHECK_EQ(pm_gen_suspend(h, g), -1);       /* not running */
    CHECK(pm_err_occurred(h) == PM_EXC_RuntimeError);
    pm_err_clear(h);
    /* RETURN_GENERATOR on a non-generator body or a frame that is not on top */
    pm_frame *fr = pm_frame_push(h, f);
    CHECK(pm_gen_from_frame(h, fr) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_RuntimeError);
    pm_err_clear(h);
    pm_frame *fr2 = pm_frame_push(h, gfn);
    CHECK(pm_gen_from_frame(h, fr) == NULL);
    pm_err_clear(h);
    CHECK_EQ(pm_frame_pop(h, fr), -1);         /* not the current frame: refused, nothing changed */
    CHECK(pm_err_occurred(h) == PM_EXC_RuntimeError);
    pm_err_clear(h);
    CHECK_EQ(pm_frame_depth(h), (int64_t)2);
    CHECK_EQ(pm_frame_pop(h, fr2), 0);
    CHECK_EQ(pm_frame_pop(h, fr), 0);
    CHECK(pm_frame_push(h, code) == NULL);     /* a frame needs a function */
    CHECK(pm_err_occurred(h) == PM_EXC_TypeError);
    pm_err_clear(h);

    RELEASE(h, g, gfn, gcode, bad, icode, c2, f, code, cell);
    env_close(&e);
}

/* ---- Frames: slots, stack, bad input ------------------------------------------------- */

static void test_frame_slots(void) {
    TEST_BEGIN("frame slots: strong references, index checks, value stack under/overflow, MAKE_CELL, COPY_FREE_VARS");
    env e = env_open();
    pm_heap *h = e.h;
    pm_object *code = mk_code(h, (codedesc){ "f", 1, 3, NULL, 2, 0, 6, NULL });
    pm_object *fn = mk_func(&e, code);
    uint32_t rf = rc(fn), rcode = rc(code);
    pm_frame *f = pm_frame_push(h, fn);
    CHECK_EQ(rc(fn), rf + 1);
    CHECK_EQ(rc(code), rcode + 1);
    CHECK(pm_frame_current(h) == f);
    CHECK(f->f_globals == e.globals && f->f_builtins == e.builtins);
    pm_object *a = M(h, "a");
    CHECK_EQ(pm_frame_set_local(h, f, 0, a), 0);
    CHECK_EQ(rc(a), 2u);
    CHECK(pm_frame_get_local(h, f, 0) == a);
    CHECK(pm_frame_get_local(h, f, 1) == NULL);
    CHECK(!pm_err_occurred(h));
    /* out of range: error, nothing stored, the reference given back */
    CHECK(pm_frame_get_local(h, f, 3) == NULL);
    CHECK(pm_err_occurred(h) == PM_EXC_IndexError);
    pm_err_clear(h);
    CHECK(pm_frame_get_local(h, f, -1) == NULL);
    pm_err_clear(h);
    CHECK_EQ(pm_frame_set_local(h, f, 3, a), -1);
    CHECK_EQ(pm_frame_set_local(h, f, -5, a), -1);
    CHECK_EQ(rc(a), 2u);
    pm_err_clear(h);
    /* value stack: empty pop and peek refused; overflow at co_stacksize */
    CHECK(pm_frame_pop_value(h, f) == NULL);
    CHECK_STREQ(exc_text(h), "RuntimeError pop from an empty value stack");
    CHECK(pm_frame_peek_value(h, f, 0) == NULL);
    pm_err_clear(h);
    CHECK_EQ(pm_frame_push_value(h, f, a), 0);
    CHECK_EQ(pm_frame_push_value(h, f, PM_NONE(h)), 0);
    CHECK_EQ(pm_frame_push_value(h, f, a), -1);
    CHECK_STREQ(exc_text(h), "RuntimeError value stack overflow (co_stacksize is 2)");
    CHECK_EQ(rc(a), 3u);
    CHECK_EQ(pm_frame_push_value(h, f, NULL), -1);
    pm_err_clear(h);
    CHECK_EQ(pm_frame_stack_size(f), 2);
    CHECK(pm_frame_peek_value(h, f, 0) == PM_NONE(h));
    CHECK(pm_frame_peek_value(h, f, 1) == a);
    CHECK(pm_frame_peek_value(h, f, 2) == NULL);
    pm_err_clear(h);
    pm_object *top = pm_frame_pop_value(h, f);
    CHECK(top == PM_NONE(h));
    CHECK_EQ(pm_frame_stack_size(f), 1);
    /* overwriting a local releases the old value after storing the new */
    CHECK_EQ(pm_frame_set_local(h, f, 0, NULL), 0);
    CHECK_EQ(rc(a), 2u);
    /* MAKE_CELL on slot 2 holding a value */
    pm_frame_set_local(h, f, 2, a);
    CHECK_EQ(pm_frame_make_cell(h, f, 2), 0);
    pm_object *cell = pm_frame_get_local(h, f, 2);
    CHECK(pm_cell_check(h, cell) && PM_CELL_GET(cell) == a);
    CHECK_EQ(rc(a), 3u);              /* stack + cell + ours */
    CHECK_EQ(pm_frame_make_cell(h, f, 9), -1);
    pm_err_clear(h);
    /* COPY_FREE_VARS needs the closure to match */
    CHECK_EQ(pm_frame_copy_free_vars(h, f), 0);   /* no free variables: nothing to copy */
    /* a module frame's f_locals is the globals dict: one more reference until the pop */
    uint32_t rg = rc(e.globals);
    CHECK_EQ(pm_frame_set_f_locals(h, f, e.globals), 0);
    CHECK_EQ(rc(e.globals), rg + 1);
    CHECK_EQ(pm_frame_pop(h, f), 0);
    CHECK_EQ(rc(e.globals), rg);
    CHECK_EQ(rc(a), 1u);
    CHECK_EQ(rc(fn), rf);
    CHECK_EQ(rc(code), rcode);
    CHECK(pm_frame_current(h) == NULL);

    /* COPY_FREE_VARS from a closure */
    static const uint8_t kinds[] = { PM_CO_FAST_LOCAL, PM_CO_FAST_FREE, PM_CO_FAST_FREE };
    pm_object *icode = mk_code(h, (codedesc){ "inner", 0, 3, kinds, 1, PM_CO_NESTED, 4, NULL });
    pm_object *c1 = pm_cell_new(h, a), *c2 = pm_cell_new(h, NULL);
    pm_object *tup = pm_tuple_pack(h, 2, c1, c2);
    pm_object *inner = pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, tup);
    pm_frame *g = pm_frame_push(h, inner);
    CHECK_EQ(pm_frame_copy_free_vars(h, g), 0);
    CHECK(pm_frame_get_local(h, g, 1) == c1 && pm_frame_get_local(h, g, 2) == c2);
    CHECK_EQ(rc(c1), 3u);             /* ours, the tuple, the frame */
    pm_object *cv = pm_code_freevars(h, icode);
    CHECK_EQ(PM_SIZE(cv), (int64_t)2);
    pm_decref(h, cv);
    CHECK_EQ(pm_frame_pop(h, g), 0);
    CHECK_EQ(rc(c1), 2u);

    RELEASE(h, inner, tup, c2, c1, icode, a, fn, code);
    env_close(&e);
}

static void test_code_names(void) {
    TEST_BEGIN("co_varnames / co_cellvars / co_freevars: built once, cached in a 32-byte MEM block, freed with the code");
    env e = env_open();
    pm_heap *h = e.h;
    pm_decref(h, mk_code(h, (codedesc){ "f", 0, 5, NULL, 3, 0, 20, NULL }));   /* interns v0..v4 (immortal) */
    _pm_tuple_clear_freelist(h);
    uint64_t base = pm_test_live_blocks(h);
    static const uint8_t kinds[] = { PM_CO_FAST_LOCAL, PM_CO_FAST_LOCAL | PM_CO_FAST_CELL, PM_CO_FAST_LOCAL,
                                     PM_CO_FAST_CELL, PM_CO_FAST_FREE };
    pm_object *code = mk_code(h, (codedesc){ "f", 2, 5, kinds, 3, 0, 20, NULL });
    pm_code *c = (pm_code *)code;
    CHECK_EQ(c->co_nlocals, 3);
    CHECK_EQ(c->co_ncellvars, 2);
    CHECK_EQ(c->co_nfreevars, 1);
    CHECK_EQ(c->co_body_id, 7u);
    uint64_t with_code = pm_test_live_blocks(h);
    pm_object *vn = pm_code_varnames(h, code);
    pm_object *vn2 = pm_code_varnames(h, code);
    CHECK(vn == vn2);
    CHECK_EQ(PM_SIZE(vn), (int64_t)3);
    CHECK(PM_TUPLE_GET(vn, 2) == PM_TUPLE_GET(c->co_localsplusnames, 2));
    CHECK_EQ(pm_test_live_blocks(h), with_code + 2);     /* the cache block and the tuple */
    pm_object *cv = pm_code_cellvars(h, code), *fv = pm_code_freevars(h, code);
    CHECK_EQ(PM_SIZE(cv), (int64_t)2);
    CHECK(PM_TUPLE_GET(cv, 0) == PM_TUPLE_GET(c->co_localsplusnames, 1));
    CHECK(PM_TUPLE_GET(cv, 1) == PM_TUPLE_GET(c->co_localsplusnames, 3));
    CHECK(PM_TUPLE_GET(fv, 0) == PM_TUPLE_GET(c->co_localsplusnames, 4));
    pm_decref(h, vn);
    pm_decref(h, vn2);
    pm_decref(h, cv);
    pm_decref(h, fv);
    CHECK_EQ(rc(PM_TUPLE_GET(c->co_localsplusnames, 0)), PM_IMMORTAL_REFCNT);   /* interned names */
    pm_decref(h, code);
    _pm_tuple_clear_freelist(h);
    CHECK_EQ(pm_test_live_blocks(h), base);
    env_close(&e);
}

/* ---- Deallocation orders ------------------------------------------------------------- */

static void test_orders(void) {
    TEST_BEGIN("deallocation orders vs CPython: function fields, frame locals, generator frames, methods, cells");
    env e = env_open();
    pm_heap *h = e.h;

    /* def f(a=M(default0), b=M(default1), *, k=M(kwdefault)) -> M(annotation): return cellv
     * f.attr = M(dict); the closure's cell holds M(cell) */
    static const uint8_t kfree[] = { PM_CO_FAST_LOCAL, PM_CO_FAST_LOCAL, PM_CO_FAST_LOCAL, PM_CO_FAST_FREE };
    pm_object *code = mk_code(h, (codedesc){ "f", 2, 4, kfree, 1, PM_CO_NESTED, 6, NULL });
    ((pm_code *)code)->co_kwonlyargcount = 1;
    pm_object *defs = pm_tuple_pack(h, 2, M(h, "default0"), M(h, "default1"));
    pm_decref(h, PM_TUPLE_GET(defs, 0));
    pm_decref(h, PM_TUPLE_GET(defs, 1));
    pm_object *kwd = pm_dict_new(h), *kname = pm_unicode_intern_from_string(h, "k"), *kv = M(h, "kwdefault");
    pm_dict_setitem(h, kwd, kname, kv);
    pm_decref(h, kv);
    pm_object *ann_v = M(h, "annotation"), *ret = pm_unicode_intern_from_string(h, "return");
    pm_object *ann = pm_tuple_pack(h, 2, ret, ann_v);
    pm_decref(h, ann_v);
    pm_object *cv = M(h, "cell"), *cell = pm_cell_new(h, cv);
    pm_decref(h, cv);
    pm_object *clo = pm_tuple_pack(h, 1, cell);
    pm_decref(h, cell);
    pm_object *f = pm_function_make(h, code, e.globals, NULL, defs, kwd, ann, clo);
    CHECK(f != NULL);
    RELEASE(h, defs, kwd, ann, clo, code);
    pm_object *d = pm_function_get_dict(h, f), *attr = pm_unicode_intern_from_string(h, "attr"), *dv = M(h, "dict");
    pm_dict_setitem(h, d, attr, dv);
    pm_decref(h, dv);
    pm_decref(h, d);
    LOG[0] = '\0';
    pm_decref(h, f);
    CHECK_STREQ(LOG, fx("order.function_fields"));
    CHECK_STREQ(LOG, fx("order.function_fields_lazy_annotations"));

    /* def f(p, q): a = M(a); b = M(b); c = M(c); return None   -- called f(M(p), M(q)) */
    code = mk_code(h, (codedesc){ "f", 2, 5, NULL, 1, 0, 12, NULL });
    f = mk_func(&e, code);
    pm_frame *fr = pm_frame_push(h, f);
    static const char *const names[] = { "p", "q", "a", "b", "c" };
    for (int i = 0; i < 5; i++) pm_frame_set_local_steal(h, fr, i, M(h, names[i]));
    pm_frame_push_value(h, fr, PM_NONE(h));          /* the return value */
    pm_decref(h, pm_frame_pop_value(h, fr));         /* RETURN_VALUE takes it */
    LOG[0] = '\0';
    pm_frame_pop(h, fr);
    CHECK_STREQ(LOG, fx("order.frame_locals"));
    pm_decref(h, f);
    pm_decref(h, code);

    /* def f(p): a = M(a) (a cell); b = M(b); def inner(): return a   -- localsplus p, b, inner, a */
    static const uint8_t kc[] = { PM_CO_FAST_LOCAL, PM_CO_FAST_LOCAL, PM_CO_FAST_LOCAL, PM_CO_FAST_CELL };
    code = mk_code(h, (codedesc){ "f", 1, 4, kc, 2, 0, 20, NULL });
    static const uint8_t ki[] = { PM_CO_FAST_FREE };
    pm_object *icode = mk_code(h, (codedesc){ "inner", 0, 1, ki, 1, PM_CO_NESTED, 4, NULL });
    f = mk_func(&e, code);
    fr = pm_frame_push(h, f);
    pm_frame_set_local_steal(h, fr, 0, M(h, "p"));
    pm_frame_make_cell(h, fr, 3);
    pm_object *av = M(h, "a");
    pm_cell_set(h, pm_frame_get_local(h, fr, 3), av);     /* STORE_DEREF a */
    pm_decref(h, av);
    pm_frame_set_local_steal(h, fr, 1, M(h, "b"));
    clo = pm_tuple_pack(h, 1, pm_frame_get_local(h, fr, 3));
    pm_object *inner = pm_function_make(h, icode, e.globals, NULL, NULL, NULL, NULL, clo);
    pm_decref(h, clo);
    pm_frame_set_local_steal(h, fr, 2, inner);
    LOG[0] = '\0';
    pm_frame_pop(h, fr);
    CHECK_STREQ(LOG, fx("order.frame_cell_and_locals"));
    pm_decref(h, f);
    pm_decref(h, code);
    pm_decref(h, icode);

    /* generators: def g(p, q): a = M(a); yield 1; b = M(b) */
    code = mk_code(h, (codedesc){ "g", 2, 4, NULL, 2, PM_CO_GENERATOR, 14, NULL });
    f = mk_func(&e, code);
    for (int variant = 0; variant < 3; variant++) {
        fr = pm_frame_push(h, f);
        pm_frame_set_local_steal(h, fr, 0, M(h, "p"));
        pm_frame_set_local_steal(h, fr, 1, M(h, "q"));
        pm_object *g = pm_gen_from_frame(h, fr);
        CHECK(pm_frame_current(h) == NULL);
        LOG[0] = '\0';
        if (variant == 0) {                          /* created, never started */
            pm_decref(h, g);
            CHECK_STREQ(LOG, fx("order.gen_created"));
            continue;
        }
        pm_frame *gf = pm_gen_frame(g);
        CHECK_EQ(pm_gen_resume(h, g), 0);
        CHECK(pm_frame_current(h) == gf);
        pm_frame_set_local_steal(h, gf, 2, M(h, "a"));
        CHECK_EQ(pm_gen_suspend(h, g), 0);
        if (variant == 1) {                          /* suspended at the yield, then dropped */
            pm_decref(h, g);
            CHECK_STREQ(LOG, fx("order.gen_suspended"));
            continue;
        }
        CHECK_EQ(pm_gen_resume(h, g), 0);            /* for _ in it: ... runs to the end */
        CHECK_EQ(pm_gen_finish(h, g), 0);
        log_mark("exhausted");
        pm_decref(h, g);
        CHECK_STREQ(LOG, fx("order.gen_exhausted"));
    }
    pm_decref(h, f);
    pm_decref(h, code);

    /* def g(p): yield [M(s0), M(s1), (yield 1), M(s2)]  -- suspended with s0, s1 on the stack */
    code = mk_code(h, (codedesc){ "g", 1, 1, NULL, 5, PM_CO_GENERATOR, 20, NULL });
    f = mk_func(&e, code);
    fr = pm_frame_push(h, f);
    pm_frame_set_local_steal(h, fr, 0, M(h, "p"));
    pm_object *g = pm_gen_from_frame(h, fr);
    pm_gen_resume(h, g);
    pm_frame_push_value_steal(h, pm_gen_frame(g), M(h, "s0"));
    pm_frame_push_value_steal(h, pm_gen_frame(g), M(h, "s1"));
    pm_gen_suspend(h, g);
    LOG[0] = '\0';
    pm_decref(h, g);
    CHECK_STREQ(LOG, fx("order.gen_stack"));
    pm_decref(h, f);
    pm_decref(h, code);

    /* types.MethodType(M(func), M(self)) */
    pm_object *mf = M(h, "func"), *ms = M(h, "self");
    pm_object *m = pm_method_type_new(h, mf, ms, 1);
    pm_decref(h, mf);
    pm_decref(h, ms);
    LOG[0] = '\0';
    pm_decref(h, m);
    CHECK_STREQ(LOG, fx("order.method_fields"));

    pm_object *content = M(h, "content");
    cell = pm_cell_new(h, content);
    pm_decref(h, content);
    LOG[0] = '\0';
    pm_decref(h, cell);
    CHECK_STREQ(LOG, fx("order.cell_contents"));
    env_close(&e);
}

/* ---- Generator states and traversal ------------------------------------------------------ */

typedef struct seen {
    pm_object *objs[32];
    int n;
} seen;

static int visit_rec(pm_object *o, void *arg) {
    seen *s = arg;
    if (s->n < 32) s->objs[s->n] = o;
    s->n++;
    return 0;
}

static int was_seen(const seen *s, const pm_object *o) {
    for (int i = 0; i < s->n && i < 32; i++)
        if (s->objs[i] == o) return 1;
    return 0;
}

static void gen_flags(pm_object *g, char *out) {
    int st = pm_gen_state(g);
    sprintf(out, "%d %d %d", st == PM_FRAME_EXECUTING, st == PM_FRAME_SUSPENDED, st >= PM_FRAME_COMPLETED);
}

static void test_gen_states_traverse(void) {
    TEST_BEGIN("generator states (gi_running, gi_suspended, gi_frame) and traversal of every frame slot");
    env e = env_open();
    pm_heap *h = e.h;
    char flags[32];
    pm_object *code = mk_code(h, (codedesc){ "g", 1, 3, NULL, 3, PM_CO_GENERATOR, 10, NULL });
    pm_object *fn = mk_func(&e, code);
    pm_object *g = call_gen(&e, fn);
    gen_flags(g, flags);
    CHECK_STREQ(flags, fx("gen_state.created"));
    seen s = { .n = 0 };
    pm_object_traverse(h, g, visit_rec, &s);
    pm_gen *gg = (pm_gen *)g;
    CHECK(was_seen(&s, gg->gi_name) && was_seen(&s, gg->gi_qualname) && was_seen(&s, fn) && was_seen(&s, code));
    CHECK(was_seen(&s, pm_frame_get_local(h, pm_gen_frame(g), 0)));
    CHECK_EQ(s.n, 5);                   /* name, qualname, func, code, the argument */

    CHECK_EQ(pm_gen_resume(h, g), 0);
    gen_flags(g, flags);
    CHECK_EQ((long long)(flags[0] == '1'), fx1("gen_state.running"));
    pm_object *l1 = M(h, "l1"), *v1 = M(h, "v1"), *v2 = M(h, "v2");
    pm_frame_set_local(h, pm_gen_frame(g), 2, l1);
    pm_frame_push_value(h, pm_gen_frame(g), v1);
    pm_frame_push_value(h, pm_gen_frame(g), v2);
    pm_gen_suspend(h, g);
    gen_flags(g, flags);
    CHECK_STREQ(flags, fx("gen_state.suspended"));
    s.n = 0;
    pm_object_traverse(h, g, visit_rec, &s);
    CHECK(was_seen(&s, l1) && was_seen(&s, v1) && was_seen(&s, v2));
    CHECK_EQ(s.n, 8);                   /* + local l1 and two stack values; slot 1 unbound */

    pm_gen_resume(h, g);
    pm_gen_finish(h, g);
    gen_flags(g, flags);
    CHECK_STREQ(flags, fx("gen_state.exhausted"));
    CHECK_EQ(rc(l1), 1u);
    CHECK_EQ(rc(v1), 1u);
    s.n = 0;
    pm_object_traverse(h, g, visit_rec, &s);
    CHECK_EQ(s.n, 2);                   /* a cleared frame is not traversed */
    pm_decref(h, g);

    g = call_gen(&e, fn);
    CHECK_EQ(pm_gen_close(h, g), 0);
    gen_flags(g, flags);
    CHECK_STREQ(flags, fx("gen_state.closed_created"));
    CHECK_EQ(pm_gen_state(g), PM_FRAME_COMPLETED);
    CHECK_EQ(pm_gen_resume(h, g), 1);
    pm_decref(h, g);

    /* functions, cells and methods traverse what they hold */
    s.n = 0;
    pm_object_traverse(h, fn, visit_rec, &s);
    CHECK(was_seen(&s, code) && was_seen(&s, e.globals) && was_seen(&s, e.builtins));
    pm_object *cell = pm_cell_new(h, l1);
    s.n = 0;
    pm_object_traverse(h, cell, visit_rec, &s);
    CHECK(s.n == 1 && s.objs[0] == l1);
    pm_object *m = pm_method_new(h, fn, cell);
    s.n = 0;
    pm_object_traverse(h, m, visit_rec, &s);
    CHECK(s.n == 2 && s.objs[0] == fn && s.objs[1] == cell);
    pm_type *ct = pm_builtin_type(h, PM_T_CELL);
    ct->tp_clear(h, cell);              /* what the collector does to break a cycle */
    CHECK(PM_CELL_GET(cell) == NULL);
    pm_type *ft = pm_builtin_type(h, PM_T_FUNCTION);
    pm_object *fn2 = mk_func(&e, code);
    uint32_t rglob = rc(e.globals);
    ft->tp_clear(h, fn2);
    CHECK_EQ(rc(e.globals), rglob - 1);
    CHECK(((pm_function *)fn2)->func_code == code);   /* func_clear keeps the code */

    RELEASE(h, fn2, m, cell, v2, v1, l1, fn, code);
    env_close(&e);
}

/* A host finalize hook that runs gen.close() for a suspended generator:
 * it resumes the frame, unwinds it and finishes, and may resurrect it. */
typedef struct hookctx {
    int calls;
    pm_object *keep;            /* set: the hook stores a reference (resurrection) */
    int resurrect;
} hookctx;

static void host_finalize(pm_heap *h, pm_object *o, void *ctxp) {
    hookctx *c = ctxp;
    c->calls++;
    log_mark("finalize");
    if (!pm_gen_check(h, o)) return;
    CHECK_EQ(pm_gen_resume(h, o), 0);          /* throw GeneratorExit into the frame */
    pm_frame *f = pm_gen_frame(o);
    while (pm_frame_stack_size(f) > 0) pm_decref(h, pm_frame_pop_value(h, f));
    log_mark("unwound");
    CHECK_EQ(pm_gen_finish(h, o), 0);
    if (c->resurrect) c->keep = pm_newref(o);
}

static void test_gen_finalizer(void) {
    TEST_BEGIN("generator finalizer: the host closes a suspended generator once; resurrection; created ones need no code");
    env e = env_open();
    pm_heap *h = e.h;
    hookctx hc = { 0 };
    pm_host_hooks hooks = { .finalize = host_finalize, .ctx = &hc };
    pm_set_host_hooks(h, &hooks);
    pm_object *code = mk_code(h, (codedesc){ "g", 1, 2, NULL, 2, PM_CO_GENERATOR, 10, NULL });
    pm_object *fn = mk_func(&e, code);

    pm_object *g = call_gen(&e, fn);            /* created: close() needs no code */
    pm_decref(h, g);
    CHECK_EQ(hc.calls, 0);

    g = call_gen(&e, fn);
    pm_gen_resume(h, g);
    pm_frame_set_local_steal(h, pm_gen_frame(g), 1, M(h, "a"));
    pm_frame_push_value_steal(h, pm_gen_frame(g), M(h, "s"));
    pm_gen_suspend(h, g);
    LOG[0] = '\0';
    pm_decref(h, g);
    CHECK_EQ(hc.calls, 1);
    CHECK_STREQ(LOG, "finalize,s,unwound,a");

    /* resurrection: the finalizer keeps a reference; the generator lives on
     * and its finalizer never runs again */
    hc.resurrect = 1;
    g = call_gen(&e, fn);
    pm_gen_resume(h, g);
    pm_gen_suspend(h, g);
    pm_decref(h, g);
    CHECK_EQ(hc.calls, 2);
    CHECK(hc.keep == g);
    CHECK_EQ(rc(g), 1u);
    CHECK(pm_gc_is_tracked(g));
    CHECK_EQ(pm_gen_state(g), PM_FRAME_CLEARED);
    hc.resurrect = 0;
    pm_decref(h, hc.keep);
    CHECK_EQ(hc.calls, 2);

    pm_set_host_hooks(h, NULL);
    pm_decref(h, fn);
    pm_decref(h, code);
    env_close(&e);
}

/* ---- reprs ---------------------------------------------------------------------------- */

/* repr(o) with every 0x<hex> written 0x? (static buffer). */
static const char *masked_repr(pm_heap *h, pm_object *o) {
    static char out[256];
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    int r = pm_object_repr(h, o, &sb);
    const char *s = r == 0 && sb.buf ? sb.buf : "<repr failed>";
    size_t n = 0;
    for (size_t i = 0; s[i] && n + 4 < sizeof out;) {
        if (s[i] == '0' && s[i + 1] == 'x') {
            memcpy(out + n, "0x?", 3);
            n += 3;
            i += 2;
            while (strchr("0123456789abcdef", s[i]) && s[i]) i++;
        } else {
            out[n++] = s[i++];
        }
    }
    out[n] = '\0';
    _pm_strbuf_free(&sb);
    return out;
}

static void test_reprs(void) {
    TEST_BEGIN("reprs of functions, generators, code objects, cells and bound methods");
    env e = env_open();
    pm_heap *h = e.h;
    pm_object *code = mk_code(h, (codedesc){ "f", 0, 0, NULL, 0, 0, 2, NULL });
    pm_object *fn = mk_func(&e, code);
    CHECK_STREQ(masked_repr(h, fn), fx("repr.function"));
    CHECK_STREQ(masked_repr(h, code), fx("repr.code"));
    pm_object *gcode = mk_code(h, (codedesc){ "g", 0, 0, NULL, 2, PM_CO_GENERATOR, 4, NULL });
    pm_object *gfn = mk_func(&e, gcode);
    pm_object *g = call_gen(&e, gfn);
    CHECK_STREQ(masked_repr(h, g), fx("repr.generator"));
    pm_object *five = pm_long_from_int64(h, 5);
    pm_object *cell = pm_cell_new(h, five), *empty = pm_cell_new(h, NULL);
    CHECK_STREQ(masked_repr(h, cell), fx("repr.cell"));
    CHECK_STREQ(masked_repr(h, empty), fx("repr.cell_empty"));
    pm_object *m = pm_method_new(h, fn, five);
    CHECK_STREQ(masked_repr(h, m), fx("repr.method"));
    RELEASE(h, m, empty, cell, five, g, gfn, gcode, fn, code);
    env_close(&e);
}

/* ---- The frame stack ------------------------------------------------------------------- */

static void test_frame_stack_depth(void) {
    TEST_BEGIN("frame stack: 10,000 nested frames pushed and popped; chunks outside pymalloc; memory back to baseline");
    env e = env_open();
    pm_heap *h = e.h;
    pm_object *code = mk_code(h, (codedesc){ "rec", 1, 3, NULL, 4, 0, 16, NULL });
    pm_object *fn = mk_func(&e, code);
    /* the first push creates the root chunk, which stays */
    pm_frame *f0 = pm_frame_push(h, fn);
    pm_frame_pop(h, f0);
    pm_framestack *fs = h->os->frames;
    CHECK_EQ(fs->nchunks, (int64_t)1);
    pm_object *v = M(h, "v");
    pm_heap_stats a, b;
    pm_heap_stats_get(h, &a);
    uint64_t live0 = pm_test_live_blocks(h);
    uint32_t rf = rc(fn);
    enum { N = 10000 };
    static pm_frame *frames[N];
    for (int i = 0; i < N; i++) {
        frames[i] = pm_frame_push(h, fn);
        if (!frames[i]) break;
        pm_frame_set_local(h, frames[i], 0, v);
        pm_frame_push_value(h, frames[i], v);
        if (i) CHECK(frames[i]->previous == frames[i - 1]);
    }
    CHECK_EQ(pm_frame_depth(h), (int64_t)N);
    CHECK_EQ(rc(fn), rf + N);
    CHECK_EQ(rc(v), (uint32_t)(1 + 2 * N));
    /* 16 words a frame (3 locals + 4 stack + 9 specials); a 16 KiB chunk has
     * (16384 - 24) / 8 = 2045 words and a frame needs strictly more room
     * than its size: 127 frames a chunk (the root chunk skips word 0 and
     * held the first 127 too) */
    CHECK_EQ(fs->nchunks, (int64_t)((N + 126) / 127));
    pm_heap_stats_get(h, &b);
    CHECK_EQ(pm_test_live_blocks(h), live0);                    /* no pymalloc or domain block */
    CHECK_EQ(b.bytes_in_allocated_blocks, a.bytes_in_allocated_blocks);
    CHECK(b.footprint >= a.footprint);
    for (int i = N - 1; i >= 0; i--) {
        if (!frames[i]) continue;
        CHECK(pm_frame_current(h) == frames[i]);
        if (pm_frame_pop(h, frames[i]) < 0) break;
    }
    CHECK_EQ(pm_frame_depth(h), (int64_t)0);
    CHECK_EQ(fs->nchunks, (int64_t)1);
    CHECK_EQ(rc(fn), rf);
    CHECK_EQ(rc(v), 1u);
    pm_heap_stats_get(h, &b);
    CHECK_EQ(b.footprint, a.footprint);
    CHECK_EQ(pm_test_live_blocks(h), live0);
    pm_decref(h, v);
    pm_decref(h, fn);
    pm_decref(h, code);
    env_close(&e);
}

int main(void) {
    if (kv_fixture_load(&FX, "sizes_callables.txt", "PM_CALLABLES_FIXTURE") < 0) return 2;
    test_types();
    test_sizes();
    test_code_sizes();
    test_gen_sizes();
    test_refcounts();
    test_errors();
    test_frame_slots();
    test_code_names();
    test_orders();
    test_gen_states_traverse();
    test_gen_finalizer();
    test_reprs();
    test_frame_stack_depth();
    kv_fixture_free(&FX);
    return check_summary();
}
