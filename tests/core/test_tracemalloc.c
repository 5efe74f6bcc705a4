/* test_tracemalloc.c — core/src/tracemalloc.c against CPython 3.12.
 *
 * Expected values: tests/fixtures/tracemalloc_sizes.txt, recorded by
 * tests/record/tracemalloc_sizes.py (the blocks tracemalloc sees for one
 * statement at a time, traceback limits, start() errors). The arithmetic
 * of current/peak, realloc, stop/clear, tracebacks from the frame stack,
 * interning, get_object_traceback and the export blob are checked against
 * the rules of CPython's Python/tracemalloc.c (cpython-memory-model.md §7).
 */
#include "check.h"
#include "fixture.h"
#include "object.h"
#include "tracemalloc.h"
#include "frame.h"
#include "codeobject.h"
#include "funcobject.h"
#include "dictobject.h"
#include "listobject.h"
#include "tupleobject.h"
#include "setobject.h"
#include "longobject.h"
#include "floatobject.h"
#include "bytesobject.h"
#include "unicodeobject.h"
#include "typeobject.h"
#include "gc.h"

static kv_fixture FX;
static pm_heap *H;

static const char *fx(const char *key) {
    for (size_t i = 0; i < FX.n; i++)
        if (strcmp(FX.keys[i], key) == 0) return FX.values[i];
    CHECKF(0, "fixture has no %s", key);
    return NULL;
}

static pm_object *S(const char *s) { return pm_unicode_intern_from_string(H, s); }

/* Sizes of every live trace, descending, as the record script prints them. */
static void traced_sizes(char *out, size_t cap) {
    size_t len = 0;
    const uint8_t *b = pm_tracemalloc_export(H, &len);
    CHECK(b != NULL);
    if (!b) { snprintf(out, cap, "(export failed)"); return; }
    uint32_t ntr, off;
    memcpy(&ntr, b, 4);
    memcpy(&off, b + 16, 4);
    uint64_t sizes[64];
    size_t n = 0;
    for (uint32_t i = 0; i < ntr && n < 64; i++) {
        uint32_t lo, hi;
        memcpy(&lo, b + off + 16 * i + 8, 4);
        memcpy(&hi, b + off + 16 * i + 12, 4);
        sizes[n++] = ((uint64_t)hi << 32) | lo;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && sizes[j - 1] < sizes[j]; j--) {
            uint64_t t = sizes[j]; sizes[j] = sizes[j - 1]; sizes[j - 1] = t;
        }
    size_t at = 0;
    out[0] = '\0';
    if (!n) snprintf(out, cap, "-");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(out + at, cap - at, "%s%llu", i ? " " : "", (unsigned long long)sizes[i]);
}

static void expect_blocks(const char *name) {
    char key[64], got[512];
    snprintf(key, sizeof key, "block.%s", name);
    traced_sizes(got, sizeof got);
    const char *want = fx(key);
    if (want) CHECKF(strcmp(got, want) == 0, "%s: model '%s', CPython '%s'", key, got, want);
}

/* ---- one statement at a time (§2.11) ---------------------------------------------------- */

static void test_blocks(void) {
    TEST_BEGIN("blocks traced for one statement");
    pm_object *ns = pm_dict_new(H);
    pm_dict_setitem(H, ns, S("__module__"), S("__main__"));
    pm_dict_setitem(H, ns, S("__qualname__"), S("A"));
    pm_object *A = pm_type_new(H, S("A"), NULL, ns);
    CHECK(A != NULL);
    pm_decref(H, ns);
    /* every free list involved holds something, as in the recording */
    pm_object *junk[40];
    for (int i = 0; i < 10; i++) {
        junk[i] = pm_list_new(H, 0);
        junk[10 + i] = pm_float_from_double(H, 1.5 * i);
        junk[20 + i] = pm_dict_new(H);
        junk[30 + i] = pm_tuple_pack(H, 2, PM_NONE(H), PM_NONE(H));
    }
    for (int i = 0; i < 40; i++) pm_decref(H, junk[i]);
    pm_object *none1 = pm_tuple_pack(H, 1, PM_NONE(H));   /* the constant (None,) */
    pm_object *sx = pm_unicode_from_string(H, "x");
    pm_object *by = pm_bytes_from_buffer(H, "y", 1);
    const char *big = "100000000000000000000";
    pm_object *keep[16];
    int nk = 0;

    CHECK_EQ(pm_tracemalloc_start(H, 1), 0);

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_object_alloc(H, pm_builtin_type(H, PM_T_OBJECT), 0);
    expect_blocks("object");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_long_from_string(H, big, strlen(big), 10);
    expect_blocks("bigint");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_instance_new(H, A);
    expect_blocks("inst_first");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_instance_new(H, A);
    expect_blocks("inst_second");

    pm_tracemalloc_clear_traces(H);
    pm_object *s = pm_set_new(H, NULL);               /* BUILD_SET 3 */
    for (int i = 1; i <= 3; i++) pm_set_add(H, s, pm_long_small(H, i));
    keep[nk++] = s;
    expect_blocks("set3");

    pm_tracemalloc_clear_traces(H);
    pm_object *tmp = pm_list_new(H, 1);               /* BUILD_LIST 1, then BINARY_OP * */
    PM_LIST_SET(tmp, 0, pm_newref(PM_NONE(H)));
    keep[nk++] = pm_list_repeat(H, tmp, 100);
    pm_decref(H, tmp);
    expect_blocks("list_repeat100");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_float_from_string(H, big, strlen(big));
    expect_blocks("float");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_unicode_repeat(H, sx, 100);
    expect_blocks("str100");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_unicode_repeat(H, sx, 5000);
    expect_blocks("str5000");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_bytes_repeat(H, by, 100);
    expect_blocks("bytes100");

    pm_tracemalloc_clear_traces(H);
    keep[nk++] = pm_tuple_repeat(H, none1, 25);
    expect_blocks("tuple25");

    pm_tracemalloc_clear_traces(H);
    tmp = pm_list_new(H, 1);
    PM_LIST_SET(tmp, 0, pm_newref(PM_NONE(H)));
    keep[nk++] = pm_list_repeat(H, tmp, 1000);
    pm_decref(H, tmp);
    expect_blocks("list_repeat1000");

    for (int i = 0; i < nk; i++) {
        CHECK(keep[i] != NULL);
        if (keep[i]) pm_decref(H, keep[i]);
    }
    pm_tracemalloc_stop(H);
    pm_decref(H, none1);
    pm_decref(H, sx);
    pm_decref(H, by);
    pm_decref(H, A);
}

/* ---- limits, errors, stop ------------------------------------------------------------------ */

static void test_limits(void) {
    TEST_BEGIN("start/stop, traceback limit, errors");
    char buf[64];
    CHECK_EQ(pm_tracemalloc_start(H, 3), 0);
    CHECK_EQ(pm_tracemalloc_start(H, 7), 0);
    snprintf(buf, sizeof buf, "%d", (int)pm_tracemalloc_traceback_limit(H));
    CHECK_STREQ(buf, fx("limit.start3_start7"));
    pm_tracemalloc_stop(H);
    snprintf(buf, sizeof buf, "%d", (int)pm_tracemalloc_traceback_limit(H));
    CHECK_STREQ(buf, fx("limit.after_stop"));
    uint64_t cur, peak;
    pm_tracemalloc_get_traced_memory(H, &cur, &peak);
    snprintf(buf, sizeof buf, "%llu %llu", (unsigned long long)cur, (unsigned long long)peak);
    CHECK_STREQ(buf, fx("stopped.traced_memory"));
    snprintf(buf, sizeof buf, "%d", pm_tracemalloc_is_tracing(H));
    CHECK_STREQ(buf, fx("stopped.is_tracing"));
    static const int bad[] = { 0, -1, 65536 };
    for (int i = 0; i < 3; i++) {
        char key[32];
        snprintf(key, sizeof key, "start_error.%d", bad[i]);
        CHECK_EQ(pm_tracemalloc_start(H, bad[i]), -1);
        CHECK_EQ((int)pm_err_occurred(H), (int)PM_EXC_ValueError);
        CHECK_STREQ(H->os->exc_msg, fx(key));
        pm_err_clear(H);
        CHECK_EQ(pm_tracemalloc_is_tracing(H), 0);
    }
    /* the range is checked even while tracing, and the limit stays */
    CHECK_EQ(pm_tracemalloc_start(H, 65535), 0);
    snprintf(buf, sizeof buf, "%d", (int)pm_tracemalloc_traceback_limit(H));
    CHECK_STREQ(buf, fx("limit.start65535"));
    CHECK_EQ(pm_tracemalloc_start(H, 0), -1);
    pm_err_clear(H);
    CHECK_EQ(pm_tracemalloc_is_tracing(H), 1);
    CHECK_EQ((int)pm_tracemalloc_traceback_limit(H), 65535);
    pm_tracemalloc_stop(H);
    pm_tracemalloc_stop(H);                                 /* twice: a no-op */
    pm_tracemalloc_clear_traces(H);                         /* not tracing: a no-op */
    pm_tracemalloc_reset_peak(H);
    CHECK_EQ(pm_tracemalloc_ntraces(H), (uint64_t)0);
    CHECK_EQ(pm_tracemalloc_track(H, 5, 0x1000, 10), -2);
    CHECK_EQ(pm_tracemalloc_untrack(H, 5, 0x1000), -2);
}

/* ---- current / peak, realloc, untraced blocks ------------------------------------------- */

static void expect_mem(uint64_t want_cur, uint64_t want_peak, const char *what) {
    uint64_t cur, peak;
    pm_tracemalloc_get_traced_memory(H, &cur, &peak);
    CHECKF(cur == want_cur && peak == want_peak, "%s: (%llu, %llu), want (%llu, %llu)", what,
           (unsigned long long)cur, (unsigned long long)peak, (unsigned long long)want_cur,
           (unsigned long long)want_peak);
}

static void test_memory(void) {
    TEST_BEGIN("current, peak, realloc, untraced blocks");
    uint64_t s5000 = strtoull(fx("block.str5000"), NULL, 10), s100 = strtoull(fx("block.str100"), NULL, 10);
    void *before = pm_malloc(H, PM_DOMAIN_MEM, 40);          /* allocated before start(): untraced */
    void *before_raw = pm_malloc(H, PM_DOMAIN_RAW, 100);
    CHECK_EQ(pm_tracemalloc_start(H, 1), 0);
    expect_mem(0, 0, "fresh start");
    pm_object *sx = pm_unicode_from_string(H, "x");          /* a static one-char str: no block */
    expect_mem(0, 0, "one-char str");
    pm_object *a = pm_unicode_repeat(H, sx, 5000);
    expect_mem(s5000, s5000, "str * 5000");
    pm_object *b = pm_unicode_repeat(H, sx, 100);
    expect_mem(s5000 + s100, s5000 + s100, "str * 100");
    pm_decref(H, a);
    expect_mem(s100, s5000 + s100, "freed the big one");
    pm_tracemalloc_reset_peak(H);
    expect_mem(s100, s100, "reset_peak");
    pm_free(H, PM_DOMAIN_MEM, before);                       /* freeing an untraced block: ignored */
    expect_mem(s100, s100, "free of an untraced block");

    /* realloc replaces the trace: in place (pymalloc keeps the block) and moved */
    void *p = pm_malloc(H, PM_DOMAIN_MEM, 100);
    expect_mem(s100 + 100, s100 + 100, "malloc 100");
    void *q = pm_realloc(H, PM_DOMAIN_MEM, p, 90);            /* 112-byte class keeps 90 */
    CHECK(q == p);
    expect_mem(s100 + 90, s100 + 100, "realloc in place to 90");
    uint64_t sz = 0;
    CHECK(pm_tracemalloc_get_trace(H, 0, (uintptr_t)q, &sz) >= 0);
    CHECK_EQ(sz, (uint64_t)90);
    void *r = pm_realloc(H, PM_DOMAIN_MEM, q, 1000);          /* to the raw allocator: moved */
    CHECK(r != q);
    expect_mem(s100 + 1000, s100 + 1000, "realloc to 1000 (moved)");
    CHECK(pm_tracemalloc_get_trace(H, 0, (uintptr_t)q, NULL) < 0);
    CHECK(pm_tracemalloc_get_trace(H, 0, (uintptr_t)r, &sz) >= 0);
    CHECK_EQ(sz, (uint64_t)1000);
    CHECK_EQ(pm_tracemalloc_ntraces(H), (uint64_t)2);
    /* realloc of an untraced block traces the new one (ADD_TRACE in tracemalloc_realloc) */
    void *r2 = pm_realloc(H, PM_DOMAIN_RAW, before_raw, 200);
    expect_mem(s100 + 1200, s100 + 1200, "realloc of an untraced block");
    CHECK_EQ(pm_tracemalloc_ntraces(H), (uint64_t)3);
    void *c = pm_calloc(H, PM_DOMAIN_OBJ, 3, 8);
    expect_mem(s100 + 1224, s100 + 1224, "calloc(3, 8)");
    void *z = pm_malloc(H, PM_DOMAIN_OBJ, 0);                 /* 0 bytes: traced with size 0 */
    CHECK(pm_tracemalloc_get_trace(H, 0, (uintptr_t)z, &sz) >= 0);
    CHECK_EQ(sz, (uint64_t)0);
    pm_free(H, PM_DOMAIN_OBJ, z);
    pm_free(H, PM_DOMAIN_OBJ, c);
    pm_free(H, PM_DOMAIN_MEM, r);
    pm_free(H, PM_DOMAIN_RAW, r2);
    expect_mem(s100, s100 + 1224, "all freed but one");

    /* explicit traces in another domain (PyTraceMalloc_Track) */
    CHECK_EQ(pm_tracemalloc_track(H, 7, 0x1230, 50), 0);
    CHECK_EQ(pm_tracemalloc_track(H, 7, 0x1230, 60), 0);      /* replaces */
    expect_mem(s100 + 60, s100 + 1224, "track");
    CHECK(pm_tracemalloc_get_trace(H, 0, 0x1230, NULL) < 0);  /* domains are separate */
    CHECK_EQ(pm_tracemalloc_untrack(H, 7, 0x1230), 0);
    CHECK_EQ(pm_tracemalloc_untrack(H, 7, 0x1230), 0);        /* untracked: ignored */
    expect_mem(s100, s100 + 1224, "untrack");

    pm_tracemalloc_clear_traces(H);
    expect_mem(0, 0, "clear_traces");
    CHECK_EQ(pm_tracemalloc_is_tracing(H), 1);
    pm_decref(H, b);                                           /* its trace is gone: ignored */
    expect_mem(0, 0, "free after clear_traces");
    uint64_t mem_tracing = pm_tracemalloc_memory(H);
    CHECK(mem_tracing > 0);
    pm_tracemalloc_stop(H);
    CHECK(pm_tracemalloc_memory(H) < mem_tracing);
    expect_mem(0, 0, "stopped");
    pm_decref(H, sx);
}

/* ---- tracebacks from the frame stack -------------------------------------------------------- */

static pm_object *mk_code(const char *file, int firstline) {
    pm_object *names = pm_tuple_new(H, 0);
    pm_object *kinds = pm_bytes_from_buffer(H, "", 0);
    pm_object *consts = pm_tuple_pack(H, 1, PM_NONE(H));
    pm_object *nm = pm_unicode_from_string(H, "f");
    pm_object *fn = pm_unicode_from_string(H, file);
    pm_code_spec s = {
        .consts = consts, .names = H->os->empty_tuple, .localsplusnames = names, .localspluskinds = kinds,
        .filename = fn, .name = nm, .qualname = nm, .flags = PM_CO_OPTIMIZED | PM_CO_NEWLOCALS,
        .stacksize = 2, .firstlineno = firstline, .ncodeunits = 4, .body_id = 1,
    };
    pm_object *code = pm_code_new(H, &s);
    CHECK(code != NULL);
    pm_decref(H, names); pm_decref(H, kinds); pm_decref(H, consts); pm_decref(H, nm); pm_decref(H, fn);
    return code;
}

/* "file:line file:line ... / total" of traceback id, most recent first. */
static void tb_text(int64_t id, char *out, size_t cap) {
    uint32_t n = 0, total = 0;
    if (id < 0 || pm_tracemalloc_traceback(H, (uint32_t)id, &n, &total) < 0) { snprintf(out, cap, "(none)"); return; }
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        int32_t line;
        const char *f = pm_tracemalloc_frame(H, (uint32_t)id, i, &line);
        at += (size_t)snprintf(out + at, cap - at, "%s:%d ", f ? f : "?", (int)line);
    }
    snprintf(out + at, cap - at, "/ %u", (unsigned)total);
}

static void expect_tb(int64_t id, const char *want, const char *what) {
    char got[256];
    tb_text(id, got, sizeof got);
    CHECKF(strcmp(got, want) == 0, "%s: traceback '%s', want '%s'", what, got, want);
}

static void test_tracebacks(void) {
    TEST_BEGIN("tracebacks: frames, limits, interning, object tracebacks, free lists");
    pm_object *globals = pm_dict_new(H), *builtins = pm_dict_new(H);
    pm_object *ca = mk_code("a.py", 10), *cb = mk_code("dir/b\xc3\xa9.py", 20);
    pm_object *fa = pm_function_new(H, ca, globals, builtins, NULL);
    pm_object *fb = pm_function_new(H, cb, globals, builtins, NULL);
    CHECK(fa && fb);
    pm_object *pre = pm_list_new(H, 0);                      /* before start(): untraced */

    CHECK_EQ(pm_tracemalloc_start(H, 1), 0);
    void *p0 = pm_malloc(H, PM_DOMAIN_OBJ, 8);               /* no frame at all */
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p0, NULL), "<unknown>:0 / 1", "no frame");

    pm_frame *f1 = pm_frame_push(H, fa);
    CHECK(f1 != NULL);
    void *p1 = pm_malloc(H, PM_DOMAIN_OBJ, 8);               /* before any line: co_firstlineno */
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p1, NULL), "a.py:10 / 1", "new frame");
    pm_frame_set_lineno(f1, 12);
    pm_frame *f2 = pm_frame_push(H, fb);
    pm_frame_set_lineno(f2, 25);
    void *p2 = pm_malloc(H, PM_DOMAIN_OBJ, 8);
    void *p3 = pm_malloc(H, PM_DOMAIN_MEM, 700);
    int64_t t2 = pm_tracemalloc_get_trace(H, 0, (uintptr_t)p2, NULL);
    expect_tb(t2, "dir/b\xc3\xa9.py:25 / 2", "limit 1, two frames");
    CHECK_EQ(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p3, NULL), t2);   /* interned */
    uint32_t ntb = pm_tracemalloc_ntracebacks(H);
    pm_frame_set_lineno(f2, -1);                              /* a negative line is recorded as 0 */
    void *p4 = pm_malloc(H, PM_DOMAIN_OBJ, 8);
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p4, NULL), "dir/b\xc3\xa9.py:0 / 2", "negative line");
    CHECK_EQ(pm_tracemalloc_ntracebacks(H), ntb + 1);
    pm_frame_set_lineno(f2, 25);

    /* get_object_traceback: looked up at the block start (GC head, pre-header) */
    pm_object *l = pm_list_new(H, 3);                        /* list object from the free list? not here */
    pm_object *o = pm_object_alloc(H, pm_builtin_type(H, PM_T_OBJECT), 0);
    int64_t tl = pm_tracemalloc_object_traceback(H, l);
    int64_t to = pm_tracemalloc_object_traceback(H, o);
    CHECK_EQ(to, t2);
    CHECK(pm_tracemalloc_object_traceback(H, pre) < 0);      /* allocated before start() */
    (void)tl;

    /* a float freed to its free list and reused gets the traceback of its reuse */
    _pm_float_clear_freelist(H);                             /* the next float is a new block */
    pm_object *fpre = pm_float_from_double(H, 1.25);
    pm_tracemalloc_stop(H);                                  /* ... allocated before start(): */
    CHECK_EQ(pm_tracemalloc_start(H, 1), 0);
    pm_decref(H, fpre);                                      /* to the free list, untraced */
    pm_object *fl = pm_float_from_double(H, 2.5);            /* reused: no trace, no update */
    CHECK(pm_tracemalloc_object_traceback(H, fl) < 0);
    pm_decref(H, fl);
    _pm_float_clear_freelist(H);
    pm_frame_set_lineno(f2, 30);
    fl = pm_float_from_double(H, 2.5);
    int64_t tfl = pm_tracemalloc_object_traceback(H, fl);
    expect_tb(tfl, "dir/b\xc3\xa9.py:30 / 2", "float");
    uint64_t cur0, peak0, cur1, peak1;
    pm_decref(H, fl);                                        /* to the free list: block and trace stay */
    pm_tracemalloc_get_traced_memory(H, &cur0, &peak0);
    pm_frame_set_lineno(f2, 31);
    fl = pm_float_from_double(H, 3.5);                       /* the same block, no allocation */
    pm_tracemalloc_get_traced_memory(H, &cur1, &peak1);
    CHECK_EQ(cur1, cur0);
    expect_tb(pm_tracemalloc_object_traceback(H, fl), "dir/b\xc3\xa9.py:31 / 2", "float from the free list");
    pm_decref(H, fl);
    pm_frame_set_lineno(f2, 25);

    /* limit 5: every frame, most recent first */
    pm_tracemalloc_stop(H);
    CHECK_EQ(pm_tracemalloc_start(H, 5), 0);
    void *p5 = pm_malloc(H, PM_DOMAIN_OBJ, 8);
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p5, NULL), "dir/b\xc3\xa9.py:25 a.py:12 / 2", "limit 5");
    CHECK_EQ(pm_frame_pop(H, f2), 0);
    void *p6 = pm_malloc(H, PM_DOMAIN_OBJ, 8);
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p6, NULL), "a.py:12 / 1", "after pop");
    CHECK_EQ(pm_frame_pop(H, f1), 0);

    /* the export blob: counts and one decoded traceback */
    size_t len = 0;
    const uint8_t *blob = pm_tracemalloc_export(H, &len);
    CHECK(blob != NULL);
    if (blob) {
        uint32_t w[8];
        memcpy(w, blob, sizeof w);
        CHECK_EQ((uint64_t)w[0], pm_tracemalloc_ntraces(H));
        CHECK_EQ(w[1], pm_tracemalloc_ntracebacks(H));
        CHECK_EQ(w[3], 5u);
        CHECK_EQ((size_t)w[7], len);
        int found = 0;
        for (uint32_t i = 0; i < w[0]; i++) {
            uint32_t tb, lo, off, nf, fid, line, soff;
            memcpy(&tb, blob + w[4] + 16 * i + 4, 4);
            memcpy(&lo, blob + w[4] + 16 * i + 8, 4);
            memcpy(&off, blob + w[5] + 4 * tb, 4);
            memcpy(&nf, blob + off, 4);
            if (nf != 2) continue;
            memcpy(&fid, blob + off + 16, 4);                 /* frame 1: the older one */
            memcpy(&line, blob + off + 20, 4);
            memcpy(&soff, blob + w[6] + 4 * fid, 4);
            CHECK_STREQ((const char *)blob + soff, "a.py");
            CHECK_EQ(line, 12u);
            CHECK_EQ(lo, 8u);
            found++;
        }
        CHECK_EQ(found, 1);
    }
    pm_tracemalloc_stop(H);
    void *ps[] = { p0, p1, p2, p3, p4, p5, p6 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) pm_free(H, i == 3 ? PM_DOMAIN_MEM : PM_DOMAIN_OBJ, ps[i]);
    pm_decref(H, l); pm_decref(H, o); pm_decref(H, pre);
    pm_decref(H, fa); pm_decref(H, fb); pm_decref(H, ca); pm_decref(H, cb);
    pm_decref(H, globals); pm_decref(H, builtins);
}

/* ---- mirror frames (the interpreter's JavaScript frames) --------------------------------------- */

static void test_mirror_frames(void) {
    TEST_BEGIN("mirror frames: tracebacks through them, no reference taken, pop checks");
    pm_object *globals = pm_dict_new(H), *builtins = pm_dict_new(H);
    pm_object *cm = mk_code("main.py", 1), *cf = mk_code("lib.py", 40);
    pm_object *ff = pm_function_new(H, cf, globals, builtins, NULL);
    CHECK(ff != NULL);
    int64_t rc_code = (int64_t)(cm)->ob_refcnt, rc_glob = (int64_t)(globals)->ob_refcnt;
    CHECK(pm_frame_push_mirror(H, globals, globals, builtins, 1) == NULL);   /* no code object */
    CHECK_EQ(pm_err_occurred(H), PM_EXC_TypeError);
    pm_err_clear(H);
    pm_frame *m = pm_frame_push_mirror(H, cm, globals, builtins, 7);
    CHECK(m != NULL);
    CHECK_EQ((int64_t)(cm)->ob_refcnt, rc_code);                 /* borrowed */
    CHECK_EQ((int64_t)(globals)->ob_refcnt, rc_glob);
    CHECK(pm_frame_current(H) == m);
    CHECK_EQ(pm_tracemalloc_start(H, 3), 0);
    void *p1 = pm_malloc(H, PM_DOMAIN_OBJ, 24);
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p1, NULL), "main.py:7 / 1", "mirror frame");
    pm_frame *t = pm_frame_push(H, ff);                        /* a real frame on top of a mirror */
    pm_frame_set_lineno(t, 42);
    pm_frame *m2 = pm_frame_push_mirror(H, cm, globals, builtins, 9);
    void *p2 = pm_malloc(H, PM_DOMAIN_MEM, 100);
    expect_tb(pm_tracemalloc_get_trace(H, 0, (uintptr_t)p2, NULL), "main.py:9 lib.py:42 main.py:7 / 3", "mixed frames");
    CHECK_EQ(pm_frame_pop(H, m2), -1);                          /* a mirror is no thread frame */
    pm_err_clear(H);
    CHECK_EQ(pm_frame_pop_mirror(H, t), -1);                    /* nor a thread frame a mirror */
    CHECK_EQ(pm_err_occurred(H), PM_EXC_RuntimeError);
    pm_err_clear(H);
    CHECK_EQ(pm_frame_pop_mirror(H, m), -1);                    /* not the current frame */
    pm_err_clear(H);
    CHECK_EQ(pm_frame_pop_mirror(H, m2), 0);
    CHECK_EQ(pm_frame_pop(H, t), 0);
    CHECK_EQ(pm_frame_pop_mirror(H, m), 0);
    CHECK(pm_frame_current(H) == NULL);
    CHECK_EQ(pm_frame_depth(H), 0);
    CHECK_EQ((int64_t)(cm)->ob_refcnt, rc_code);
    pm_tracemalloc_stop(H);
    pm_free(H, PM_DOMAIN_OBJ, p1);
    pm_free(H, PM_DOMAIN_MEM, p2);
    pm_decref(H, ff); pm_decref(H, cm); pm_decref(H, cf);
    pm_decref(H, globals); pm_decref(H, builtins);
}

/* ---- out of memory while tracing ------------------------------------------------------------- */

static void test_nomem(void) {
    TEST_BEGIN("a trace that cannot be stored fails the allocation, heap unchanged");
    CHECK_EQ(pm_tracemalloc_start(H, 1), 0);
    size_t held = pm_heap_footprint(H);
    pm_heap_set_limit(H, held);                               /* no more page memory */
    int failed = 0;
    void *ps[20000];
    size_t n = 0;
    for (; n < 20000; n++) {
        ps[n] = pm_malloc(H, PM_DOMAIN_OBJ, 32);
        if (!ps[n]) { failed = 1; break; }
    }
    CHECK(failed);
    CHECK_EQ((int)pm_heap_last_status(H), (int)PM_ENOMEM);
    CHECK_EQ(pm_tracemalloc_ntraces(H), (uint64_t)n);
    uint64_t cur, peak;
    pm_tracemalloc_get_traced_memory(H, &cur, &peak);
    CHECK_EQ(cur, (uint64_t)n * 32);
    for (size_t i = 0; i < n; i++) pm_free(H, PM_DOMAIN_OBJ, ps[i]);
    pm_heap_set_limit(H, 0);
    pm_tracemalloc_get_traced_memory(H, &cur, &peak);
    CHECK_EQ(cur, (uint64_t)0);
    CHECK_EQ(pm_heap_check(H), PM_OK);
    pm_tracemalloc_stop(H);
}

int main(void) {
    if (kv_fixture_load(&FX, "tracemalloc_sizes.txt", "PYHEAP_TRACEMALLOC_FIXTURE") < 0) return 2;
    H = pm_heap_new(NULL);
    if (!H) { fprintf(stderr, "pm_heap_new failed\n"); return 2; }
    uint64_t base = pm_test_live_blocks(H);
    test_limits();
    test_blocks();
    test_memory();
    test_tracebacks();
    test_mirror_frames();
    test_nomem();
    _pm_float_clear_freelist(H);
    _pm_tuple_clear_freelist(H);
    _pm_list_clear_freelist(H);
    _pm_dict_clear_freelist(H);
    TEST_BEGIN("no leaks");
    pm_gc_collect(H, 2);                                      /* class A's cycles */
    CHECK_EQ(pm_heap_check(H), PM_OK);
    /* what stays: the interned names and the class machinery's caches */
    uint64_t live = pm_test_live_blocks(H);
    CHECKF(live <= base + 16, "%llu blocks live after the tests, %llu before", (unsigned long long)live,
           (unsigned long long)base);
    pm_heap_free(H);
    kv_fixture_free(&FX);
    return check_summary();
}
