/* fuzz_objects.c — libFuzzer target for the object layer.
 *
 * Each input is decoded into object operations through the core's C API,
 * on a fresh heap (fresh page source: an input replays the same way):
 *
 *   byte 0   configuration: bit0 heap limit (next byte: the footprint
 *            after pm_heap_new plus 0..47 units of 16 KiB), bit1 a
 *            fault-injecting page source (next byte: the n-th call from
 *            then fails, 1..16), bit2 every k-th as well (next byte: 2..9),
 *            bit3 check after every op, bit4 GC stress (a generation-0
 *            collection at every GC allocation, pm_gc_set_stress)
 *   then ops (op byte % NOPS, then its operands) on a table of NH handles,
 *            each holding one strong reference: create int (small, 64-bit,
 *            from decimal digits), float, str of each kind, bytes, tuple of
 *            handles, list, dict, set, frozenset, range; list append /
 *            insert / setitem / pop / delitem / slices / extend / repeat;
 *            dict set / get / del / clear / popitem / copy / update; set add
 *            / discard / algebra; nesting (self-references included); hash,
 *            ==, repr; dup and release of handles; int, str, bytes
 *            arithmetic; big strs and bytes (up to 256 KiB, for the limit);
 *            link two containers both ways (a cycle on purpose) or one way,
 *            unlink (drop a container's last item / an item), and
 *            gc.collect(generation).
 *
 * Invariants. After every op (sampled on inputs of 512 bytes and more:
 * every op for the first 16, then every 32nd, and after every
 * MemoryError) pm_heap_check and
 * pm_objects_check with the handle table as roots must pass: every
 * reachable object's refcount is recomputed from the references actually
 * held. A failing op must raise one of the exceptions that op can raise;
 * MemoryError only under a heap limit or fault injection, and the heap is
 * checked right after it. Unreachable cycles stay until a collection: the
 * checker counts the references of unreachable tracked objects. After
 * every collection both checks run at once; after a full one no
 * unreachable tracked object may be left (PM_OCHECK_NO_GARBAGE: nothing
 * here has a finalizer, so nothing is resurrected). The teardown drops
 * every handle and relies on a full collection for the cycles; then no
 * tracked object may remain and the allocator must be back to the
 * baseline taken right after pm_heap_new (pm_objects_check_baseline).
 *
 * Build:  see tests/core/run.sh (build_fuzz); seeds: tests/fuzz/corpus_objects/
 *         (tests/fuzz/make_corpus.py).
 */
#include "pm.h"
#include "fuzzinput.h"
#include "object.h"
#include "check_objects.h"
#include "longobject.h"
#include "floatobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "rangeobject.h"
#include "gc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_COV __attribute__((no_sanitize("coverage")))
#define NH 24
#define MAX_OPS 1500
#define COST_BUDGET 1500
#define MAX_LEN 512            /* growth ops stop here: lists stay cheap to check */

typedef struct fz {
    pm_heap *h;
    pm_pagesource *inner, *faulty;
    int may_oom, check_every;
    pm_object *s[NH];
    pm_object *tmp;             /* an object under construction: one more root for the checks */
    pm_objbaseline base;
    unsigned long nfail_oom;
} fz;

static fz F;

/* ---- input (u8, u16, more, die, REQUIRE: fuzzinput.h) ------------------ */
static uint64_t u64(void) { uint64_t v = 0; for (int i = 0; i < 8; i++) v |= (uint64_t)u8() << (8 * i); return v; }
static int slot(void) { return u8() % NH; }
static int64_t small_index(void) { return (int64_t)(int8_t)u8() % 12; }
static int64_t slice_part(void) { uint8_t b = u8(); return b >= 230 ? PM_SLICE_NONE : (int64_t)(int8_t)b % 14; }

/* ---- work memory for the checker: libc, so checks never touch the heap's
 * limit. The checker asks for the same few sizes every time: keep freed
 * blocks (kept for the process; a size header in front) so a check does
 * not fault in fresh pages. */
#define WS_CACHE 16
static struct { size_t n; void *p; } ws_cache[WS_CACHE];
static void *ws_alloc(void *ctx, size_t n) {
    (void)ctx;
    for (int i = 0; i < WS_CACHE; i++)
        if (ws_cache[i].p && ws_cache[i].n == n) { void *p = ws_cache[i].p; ws_cache[i].p = NULL; return p; }
    size_t *b = malloc(n + 16);
    if (!b) return NULL;
    b[0] = n;
    return (char *)b + 16;
}
static void ws_free(void *ctx, void *p) {
    (void)ctx;
    size_t *b = (size_t *)((char *)p - 16);
    for (int i = 0; i < WS_CACHE; i++)
        if (!ws_cache[i].p) { ws_cache[i].n = b[0]; ws_cache[i].p = p; return; }
    free(b);
}

/* ---- checks -------------------------------------------------------------- */
NO_COV static void check_all(unsigned flags) {
    pm_status st = pm_heap_check(F.h);
    REQUIRE(st == PM_OK, "pm_heap_check returned %d", (int)st);
    pm_objroot roots[NH + 1];
    size_t n = 0;
    for (int i = 0; i < NH; i++)
        if (F.s[i]) roots[n++] = (pm_objroot){ F.s[i], 1 };
    if (F.tmp) roots[n++] = (pm_objroot){ F.tmp, 1 };
    pm_objcheck_opts o = { flags, ws_alloc, ws_free, NULL };
    pm_objcheck_result res;
    st = pm_objects_check(F.h, roots, n, &o, &res);
    REQUIRE(st == PM_OK, "pm_objects_check returned %d", (int)st);
    if (F.may_oom && pm_heap_limit(F.h))
        REQUIRE(pm_heap_footprint(F.h) <= pm_heap_limit(F.h), "footprint above the limit");
}

/* ---- exceptions ---------------------------------------------------------- */
#define X(k) (1u << PM_EXC_##k)
/* After an op that reported failure: an exception of an allowed kind must be set. */
static void expect_exc(unsigned allowed) {
    pm_exc_kind k = pm_err_occurred(F.h);
    REQUIRE(k != PM_EXC_NONE, "failed without an exception");
    if (k == PM_EXC_MemoryError) {
        REQUIRE(F.may_oom, "MemoryError with no heap limit and no fault injection");
        REQUIRE(pm_heap_last_status(F.h) == PM_ENOMEM, "MemoryError but status %d", (int)pm_heap_last_status(F.h));
        F.nfail_oom++;
    } else {
        REQUIRE(allowed & (1u << k), "unexpected exception kind %d: %s", (int)k, pm_heap_error(F.h));
    }
    pm_err_clear(F.h);
    /* MemoryError must leave the heap consistent: always checked right
     * away; other exceptions by the op schedule */
    if (k == PM_EXC_MemoryError) check_all(0);
}
static void expect_clean(void) {
    REQUIRE(pm_err_occurred(F.h) == PM_EXC_NONE, "succeeded with exception %d pending", (int)pm_err_occurred(F.h));
}
/* An op's object result: stored in slot i (the old reference released
 * after, so an operand in slot i stays alive through the op), or an
 * exception of an allowed kind. */
static void result(int i, pm_object *r, unsigned allowed) {
    F.tmp = NULL;
    if (!r) { expect_exc(allowed); return; }
    expect_clean();
    REQUIRE(r->ob_refcnt >= 1, "new reference with refcount 0");
    pm_object *old = F.s[i];
    F.s[i] = r;
    if (old) pm_decref(F.h, old);
}
static void status(int rc, unsigned allowed) {
    if (rc < 0) expect_exc(allowed);
    else expect_clean();
}

/* ---- picking operands ---------------------------------------------------- */
static int is(pm_object *o, pm_type_id id) { return o && PM_TYPE(o) == pm_builtin_type(F.h, id); }
/* The first handle at or after slot i holding a `id` object, or -1. */
static int find(int i, pm_type_id id) {
    for (int k = 0; k < NH; k++) {
        int j = (i + k) % NH;
        if (is(F.s[j], id)) return j;
    }
    return -1;
}
static int find_set(int i) {
    for (int k = 0; k < NH; k++) {
        int j = (i + k) % NH;
        if (is(F.s[j], PM_T_SET) || is(F.s[j], PM_T_FROZENSET)) return j;
    }
    return -1;
}
/* An operand: the object in a slot, None for an empty slot (borrowed). */
static pm_object *arg(int i) { return F.s[i] ? F.s[i] : PM_NONE(F.h); }

/* ---- cost of recursive protocol calls --------------------------------------
 * hash, == and repr recurse into containers; a DAG of shared containers
 * makes them exponential, as in CPython, and they read every character of
 * a big str. Estimate the unfolded size (a str or bytes counts 1/16 per
 * unit; an object already on the path counts as a leaf, as repr's guard
 * does) and skip the call past a budget. `cyclic`: some path returns to itself;
 * == on a cycle recurses until RecursionError, so only chains (containers
 * of at most one item) are compared then. */
typedef struct cost {
    int budget, depth, cyclic, maxdeg;
    pm_object *path[40];
} cost;
static int64_t degree(pm_object *o) {
    if (is(o, PM_T_LIST) || is(o, PM_T_TUPLE)) return PM_SIZE(o);
    if (is(o, PM_T_DICT)) return 2 * ((pm_dictobject *)o)->ma_used;
    if (is(o, PM_T_SET) || is(o, PM_T_FROZENSET)) return ((pm_setobject *)o)->used;
    return 0;
}
NO_COV static int cost_visit(pm_object *o, void *arg_) {
    cost *c = arg_;
    if (--c->budget < 0) return 1;
    /* repr and hash walk every code point or byte: big strs cost too */
    if (is(o, PM_T_STR)) c->budget -= (int)(PM_UNICODE_LENGTH(o) / 16 > 100000 ? 100000 : PM_UNICODE_LENGTH(o) / 16);
    else if (is(o, PM_T_BYTES)) c->budget -= (int)(PM_SIZE(o) / 16 > 100000 ? 100000 : PM_SIZE(o) / 16);
    if (c->budget < 0) return 1;
    for (int i = 0; i < c->depth; i++)
        if (c->path[i] == o) { c->cyclic = 1; return 0; }
    if (!pm_type_is_gc(PM_TYPE(o))) return 0;
    if (c->depth >= 40) return 1;
    int64_t d = degree(o);
    if (d > c->maxdeg) c->maxdeg = (int)(d > 1000 ? 1000 : d);
    c->path[c->depth++] = o;
    int r = pm_object_traverse(F.h, o, cost_visit, c);
    c->depth--;
    return r;
}
NO_COV static int cheap(pm_object *o, cost *c) {
    memset(c, 0, sizeof *c);
    c->budget = COST_BUDGET;
    return cost_visit(o, c) == 0;
}
static int cheap_eq(pm_object *a, pm_object *b) {
    cost ca, cb;
    if (!cheap(a, &ca) || !cheap(b, &cb)) return 0;
    if (ca.cyclic || cb.cyclic) return ca.maxdeg <= 1 && cb.maxdeg <= 1;
    return 1;
}
static int cheap1(pm_object *a) { cost c; return cheap(a, &c); }

/* ---- ops ------------------------------------------------------------------ */
enum {
    OP_INT_SMALL, OP_INT64, OP_INT_DIGITS, OP_FLOAT, OP_STR, OP_BYTES, OP_TUPLE, OP_LIST, OP_DICT, OP_SET,
    OP_FROZENSET, OP_RANGE, OP_RANGE_OBJ,
    OP_APPEND, OP_INSERT, OP_SETITEM, OP_POP, OP_DELITEM, OP_GETSLICE, OP_SETSLICE, OP_DELSLICE, OP_EXTEND,
    OP_LREPEAT, OP_LCOPY, OP_LCLEAR, OP_LREVERSE, OP_LCONTAINS,
    OP_DSET, OP_DGET, OP_DDEL, OP_DCLEAR, OP_DPOPITEM, OP_DCOPY, OP_DUPDATE,
    OP_SADD, OP_SDISCARD, OP_SALGEBRA, OP_SPOP,
    OP_NEST_SELF, OP_WRAP, OP_HASH, OP_EQ, OP_REPR, OP_DUP, OP_RELEASE, OP_RELEASE2, OP_ARITH, OP_STRCAT,
    OP_CHECK, OP_BIG,
    OP_LINK, OP_UNLINK, OP_COLLECT,
    NOPS
};

static void op_str(int i) {
    static const uint32_t lo[4] = { 0x20, 0xA0, 0x100, 0x10000 }, span[4] = { 0x5F, 0x60, 0xD700, 0x100000 };
    int kind = u8() % 4;
    size_t n = u8() % 24;
    uint32_t cps[24];
    for (size_t k = 0; k < n; k++) {
        uint32_t v = u16();
        if (kind == 3) v |= (uint32_t)u8() << 16;
        cps[k] = lo[kind] + v % span[kind];
        if (u8() < 40) cps[k] = 0x41 + (cps[k] & 15);   /* mixed kinds */
    }
    result(i, pm_unicode_from_ucs4(F.h, cps, n), 0);
}

static void op_int_digits(int i) {
    char buf[48];
    size_t n = 0, nd = 1 + u8() % 40;
    if (u8() & 1) buf[n++] = '-';
    for (size_t k = 0; k < nd; k++) buf[n++] = (char)('0' + u8() % 10);
    result(i, pm_long_from_string(F.h, buf, n, 10), 0);
}

static void op_tuple(int i) {
    int n = u8() % 6;
    pm_object *items[6];
    for (int k = 0; k < n; k++) items[k] = arg(slot());
    result(i, pm_tuple_from_array(F.h, items, n), 0);
}

static void op_list(int i) {
    int n = u8() % 6;
    pm_object *l = pm_list_new(F.h, 0);
    if (!l) { expect_exc(0); return; }
    F.tmp = l;
    for (int k = 0; k < n; k++) {
        if (pm_list_append(F.h, l, arg(slot())) < 0) { expect_exc(0); break; }
    }
    result(i, l, 0);
}

static void op_set(int i, int frozen) {
    int n = u8() % 6;
    pm_object *s = frozen ? pm_frozenset_new(F.h, NULL) : pm_set_new(F.h, NULL);
    if (!s) { expect_exc(0); return; }
    F.tmp = s;
    for (int k = 0; k < n; k++) {
        pm_object *key = arg(slot());
        if (!cheap1(key)) continue;
        if (pm_set_add(F.h, s, key) < 0) expect_exc(X(TypeError));
    }
    result(i, s, 0);
}

static void op_range_obj(int i) {
    int a = slot(), b = slot(), c = slot();
    uint8_t form = u8() % 3;
    pm_object *r = form == 0 ? pm_range_new(F.h, NULL, arg(a), NULL)
                 : form == 1 ? pm_range_new(F.h, arg(a), arg(b), NULL)
                 : pm_range_new(F.h, arg(a), arg(b), arg(c));
    result(i, r, X(TypeError) | X(ValueError));
}

static void op_list_method(int kind) {
    int li = find(slot(), PM_T_LIST);
    int vi = slot();
    if (li < 0) return;
    pm_object *l = F.s[li], *v = arg(vi);
    switch (kind) {
    case OP_APPEND: status(pm_list_append(F.h, l, v), 0); break;
    case OP_INSERT: status(pm_list_insert(F.h, l, small_index(), v), 0); break;
    case OP_SETITEM: status(pm_list_setitem(F.h, l, small_index(), v), X(IndexError)); break;
    case OP_POP: {
        int64_t k = u8() & 1 ? -1 : small_index();
        pm_object *r = pm_list_pop(F.h, l, k);
        if (r) { expect_clean(); pm_object *old = F.s[vi]; F.s[vi] = r; if (old) pm_decref(F.h, old); }
        else expect_exc(X(IndexError));
        break;
    }
    case OP_DELITEM: status(pm_list_delitem(F.h, l, small_index()), X(IndexError)); break;
    case OP_GETSLICE: {
        int64_t a = slice_part(), b = slice_part(), c = slice_part();
        result(vi, pm_list_getslice(F.h, l, a, b, c), X(ValueError));
        break;
    }
    case OP_SETSLICE: {
        int64_t a = slice_part(), b = slice_part(), c = u8() < 200 ? PM_SLICE_NONE : slice_part();
        pm_object *src = F.s[vi];
        if (!src || !(is(src, PM_T_LIST) || is(src, PM_T_TUPLE))) src = l;   /* l[a:b] = l copies first */
        if (PM_SIZE(l) + PM_SIZE(src) > MAX_LEN) return;
        status(pm_list_setslice(F.h, l, a, b, c, src), X(ValueError));
        break;
    }
    case OP_DELSLICE: {
        int64_t a = slice_part(), b = slice_part(), c = slice_part();
        status(pm_list_delslice(F.h, l, a, b, c), X(ValueError));
        break;
    }
    case OP_EXTEND: {
        pm_object *src = F.s[vi];
        if (!src || !(is(src, PM_T_LIST) || is(src, PM_T_TUPLE))) src = l;
        if (PM_SIZE(l) + PM_SIZE(src) > MAX_LEN) return;
        status(pm_list_extend(F.h, l, src), 0);
        break;
    }
    case OP_LREPEAT: {
        int64_t n = (int64_t)(u8() % 5) - 1;
        if (PM_SIZE(l) * (n < 0 ? 0 : n) > MAX_LEN) return;
        if (u8() & 1) status(pm_list_inplace_repeat(F.h, l, n), 0);
        else result(vi, pm_list_repeat(F.h, l, n), 0);
        break;
    }
    case OP_LCOPY:
        if (u8() & 1) result(vi, pm_list_copy(F.h, l), 0);
        else result(vi, pm_list_as_tuple(F.h, l), 0);
        break;
    case OP_LCLEAR: status(pm_list_clear(F.h, l), 0); break;
    case OP_LREVERSE: status(pm_list_reverse(F.h, l), 0); break;
    case OP_LCONTAINS: {
        if (!cheap_eq(l, v)) return;
        int r = pm_list_contains(F.h, l, v);
        if (r < 0) expect_exc(X(RecursionError)); else expect_clean();
        break;
    }
    }
}

static void op_dict_method(int kind) {
    int di = find(slot(), PM_T_DICT);
    int ki = slot(), vi = slot();
    if (di < 0) return;
    pm_object *d = F.s[di], *k = arg(ki);
    switch (kind) {
    case OP_DSET:
        if (!cheap1(k)) return;
        status(pm_dict_setitem(F.h, d, k, arg(vi)), X(TypeError));
        break;
    case OP_DGET: {
        if (!cheap1(k)) return;
        pm_object *r = pm_dict_get(F.h, d, k, NULL);
        result(vi, r, X(TypeError));
        break;
    }
    case OP_DDEL:
        if (!cheap1(k)) return;
        status(pm_dict_delitem(F.h, d, k), X(TypeError) | X(KeyError));
        break;
    case OP_DCLEAR: pm_dict_clear(F.h, d); expect_clean(); break;
    case OP_DPOPITEM: {
        pm_object *key, *val;
        if (pm_dict_popitem(F.h, d, &key, &val) < 0) { expect_exc(X(KeyError)); break; }
        expect_clean();
        pm_object *ok = F.s[ki], *ov = F.s[vi];
        F.s[ki] = key;
        if (ki == vi) { pm_decref(F.h, val); }
        else { F.s[vi] = val; if (ov) pm_decref(F.h, ov); }
        if (ok) pm_decref(F.h, ok);
        break;
    }
    case OP_DCOPY: result(vi, u8() & 1 ? pm_dict_copy(F.h, d) : pm_dict_call(F.h, d), 0); break;
    case OP_DUPDATE: {
        int oi = find(vi, PM_T_DICT);
        if (oi < 0) return;
        status(pm_dict_merge(F.h, d, F.s[oi], u8() % 2), X(TypeError));
        break;
    }
    }
}

static void op_set_method(int kind) {
    int si = find_set(slot());
    int ki = slot();
    if (si < 0) return;
    pm_object *s = F.s[si], *k = arg(ki);
    switch (kind) {
    case OP_SADD:
        if (!is(s, PM_T_SET) || !cheap1(k)) return;   /* frozensets are filled only while new */
        status(pm_set_add(F.h, s, k), X(TypeError));
        break;
    case OP_SDISCARD:
        if (!is(s, PM_T_SET) || !cheap1(k)) return;
        { int r = pm_set_discard(F.h, s, k); if (r < 0) expect_exc(X(TypeError)); else expect_clean(); }
        break;
    case OP_SALGEBRA: {
        int oi = find_set(ki);
        if (oi < 0) return;
        pm_object *o = F.s[oi];
        if (!cheap1(s) || !cheap1(o)) return;
        switch (u8() % 6) {
        case 0: result(ki, pm_set_union(F.h, s, o), 0); break;
        case 1: result(ki, pm_set_intersection(F.h, s, o), 0); break;
        case 2: result(ki, pm_set_difference(F.h, s, o), 0); break;
        case 3: result(ki, pm_set_symmetric_difference(F.h, s, o), 0); break;
        case 4: result(ki, pm_set_copy(F.h, s), 0); break;
        case 5: if (is(s, PM_T_SET)) status(pm_set_update(F.h, s, o), 0); break;
        }
        break;
    }
    case OP_SPOP:
        if (!is(s, PM_T_SET)) return;
        result(ki, pm_set_pop(F.h, s), X(KeyError));
        break;
    }
}

/* A container that holds itself (or a container holding the other): the
 * cycles the collector will have to find. */
static void op_nest_self(void) {
    int ci = slot(), oi = slot();
    pm_object *c = F.s[ci], *o = u8() & 1 ? F.s[ci] : F.s[oi];
    if (!c || !o) return;
    if (is(c, PM_T_LIST)) status(pm_list_append(F.h, c, o), 0);
    else if (is(c, PM_T_DICT)) status(pm_dict_setitem(F.h, c, PM_NONE(F.h), o), 0);
}

/* a -> b, and b -> a too unless `oneway`: containers (list or dict) linked
 * on purpose, so that cycles through several objects exist for the
 * collector. A dict stores under a small-int key from the input. */
static int link1(pm_object *c, pm_object *o, int key) {
    if (is(c, PM_T_LIST)) return pm_list_append(F.h, c, o);
    pm_object *k = pm_long_small(F.h, key);
    return pm_dict_setitem(F.h, c, k, o);
}
static int find_container(int i) {
    for (int k = 0; k < NH; k++) {
        int j = (i + k) % NH;
        if (is(F.s[j], PM_T_LIST) || is(F.s[j], PM_T_DICT)) return j;
    }
    return -1;
}
static void op_link(void) {
    int ai = find_container(slot()), bi = find_container(slot());
    uint8_t b = u8();
    if (ai < 0 || bi < 0) return;
    pm_object *a = F.s[ai], *o = F.s[bi];
    if ((is(a, PM_T_LIST) && PM_SIZE(a) >= MAX_LEN) || (is(o, PM_T_LIST) && PM_SIZE(o) >= MAX_LEN)) return;
    status(link1(a, o, b % 8), 0);
    if (!(b & 0x80)) status(link1(o, a, (b >> 3) % 8), 0);
}
/* Drops a container's last item (list) or the item under a small-int key
 * (dict): the edge the collector then must not follow any more. */
static void op_unlink(void) {
    int ci = find_container(slot());
    uint8_t b = u8();
    if (ci < 0) return;
    pm_object *c = F.s[ci];
    if (is(c, PM_T_LIST)) {
        if (PM_SIZE(c) > 0) status(pm_list_delitem(F.h, c, -1), 0);
    } else {
        status(pm_dict_delitem(F.h, c, pm_long_small(F.h, b % 8)), X(KeyError));
    }
}
/* gc.collect(generation); the checks run right after, and after a full
 * collection no garbage may be left. */
static void op_collect(void) {
    int gen = u8() % 3;
    int64_t n = pm_gc_collect(F.h, gen);
    REQUIRE(n >= 0, "gc.collect(%d) returned %lld", gen, (long long)n);
    expect_clean();
    check_all(gen == 2 ? PM_OCHECK_NO_GARBAGE : 0);
}

static void op_hash(void) {
    pm_object *o = arg(slot());
    if (!cheap1(o)) return;
    int64_t hv = pm_object_hash(F.h, o);
    if (hv == -1) expect_exc(X(TypeError));
    else { expect_clean(); REQUIRE(hv == pm_object_hash(F.h, o), "hash not stable"); }
}

static void op_eq(void) {
    pm_object *a = arg(slot()), *b = arg(slot());
    if (!cheap_eq(a, b)) return;
    int r = pm_object_eq(F.h, a, b);
    if (r < 0) { expect_exc(X(RecursionError)); return; }
    expect_clean();
    if (a == b && !is(a, PM_T_FLOAT)) REQUIRE(r == 1, "x == x is false for a %s", PM_TYPE(a)->tp_name);
}

static void op_repr(void) {
    pm_object *o = arg(slot());
    if (!cheap1(o)) return;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, F.h);
    int r = pm_object_repr(F.h, o, &sb);
    if (r < 0) expect_exc(X(RecursionError));
    else { expect_clean(); REQUIRE(!sb.failed && sb.len > 0, "empty repr"); }
    _pm_strbuf_free(&sb);
}

static void op_arith(int i) {
    pm_object *a = F.s[slot()], *b = F.s[slot()];
    if (!a || !b || !pm_long_check(F.h, a) || !pm_long_check(F.h, b)) return;
    if (pm_long_digit_count(a) + pm_long_digit_count(b) > 64) return;
    switch (u8() % 4) {
    case 0: result(i, pm_long_add(F.h, a, b), 0); break;
    case 1: result(i, pm_long_sub(F.h, a, b), 0); break;
    case 2: result(i, pm_long_mul(F.h, a, b), 0); break;
    case 3: result(i, pm_long_floordiv(F.h, a, b), X(ZeroDivisionError)); break;
    }
}

static void op_strcat(int i) {
    pm_object *a = F.s[slot()], *b = F.s[slot()];
    if (is(a, PM_T_STR) && is(b, PM_T_STR)) {
        if (PM_UNICODE_LENGTH(a) + PM_UNICODE_LENGTH(b) > 4096) return;
        switch (u8() % 3) {
        case 0: result(i, pm_unicode_concat(F.h, a, b), 0); break;
        case 1: result(i, pm_unicode_slice(F.h, a, slice_part(), slice_part(), slice_part()), X(ValueError)); break;
        case 2: {   /* big strs: raw blocks and raw segments, the way to a heap limit */
            int64_t n = u16() % 4096;
            if (PM_UNICODE_LENGTH(a) * n > 20000) return;   /* OP_BIG makes the big ones */
            result(i, pm_unicode_repeat(F.h, a, n), 0);
            break;
        }
        }
    } else if (is(a, PM_T_BYTES) && is(b, PM_T_BYTES)) {
        if (PM_SIZE(a) + PM_SIZE(b) > 4096) return;
        if (u8() & 1) result(i, pm_bytes_concat(F.h, a, b), 0);
        else if (PM_SIZE(a) * 4096 <= 40000) result(i, pm_bytes_repeat(F.h, a, u16() % 4096), 0);
    }
}

static void run_op(uint8_t op) {
    int i;
    switch (op) {
    case OP_INT_SMALL: FI.opname = "int small"; i = slot(); result(i, pm_newref(pm_long_small(F.h, (int)(u8() % 262) - 5)), 0); break;
    case OP_INT64: FI.opname = "int64"; i = slot(); result(i, pm_long_from_int64(F.h, (int64_t)u64()), 0); break;
    case OP_INT_DIGITS: FI.opname = "int digits"; op_int_digits(slot()); break;
    case OP_FLOAT: {
        FI.opname = "float";
        i = slot();
        uint64_t bits = u64();
        double d;
        memcpy(&d, &bits, sizeof d);
        result(i, pm_float_from_double(F.h, d), 0);
        break;
    }
    case OP_STR: FI.opname = "str"; op_str(slot()); break;
    case OP_BYTES: {
        FI.opname = "bytes";
        i = slot();
        uint8_t buf[40];
        size_t n = u8() % 40;
        for (size_t k = 0; k < n; k++) buf[k] = u8();
        result(i, pm_bytes_from_buffer(F.h, buf, n), 0);
        break;
    }
    case OP_TUPLE: FI.opname = "tuple"; op_tuple(slot()); break;
    case OP_LIST: FI.opname = "list"; op_list(slot()); break;
    case OP_DICT: FI.opname = "dict"; i = slot(); result(i, u8() & 1 ? pm_dict_new(F.h) : pm_dict_call(F.h, NULL), 0); break;
    case OP_SET: FI.opname = "set"; op_set(slot(), 0); break;
    case OP_FROZENSET: FI.opname = "frozenset"; op_set(slot(), 1); break;
    case OP_RANGE: {
        FI.opname = "range";
        i = slot();
        int64_t a = (int64_t)(int16_t)u16(), b = (int64_t)(int16_t)u16(), c = (int64_t)(int8_t)u8() % 5;
        result(i, pm_range_from_int64(F.h, a, b, c), X(ValueError));
        break;
    }
    case OP_RANGE_OBJ: FI.opname = "range(objects)"; op_range_obj(slot()); break;
    case OP_APPEND: case OP_INSERT: case OP_SETITEM: case OP_POP: case OP_DELITEM: case OP_GETSLICE:
    case OP_SETSLICE: case OP_DELSLICE: case OP_EXTEND: case OP_LREPEAT: case OP_LCOPY: case OP_LCLEAR:
    case OP_LREVERSE: case OP_LCONTAINS:
        FI.opname = "list method"; op_list_method(op); break;
    case OP_DSET: case OP_DGET: case OP_DDEL: case OP_DCLEAR: case OP_DPOPITEM: case OP_DCOPY: case OP_DUPDATE:
        FI.opname = "dict method"; op_dict_method(op); break;
    case OP_SADD: case OP_SDISCARD: case OP_SALGEBRA: case OP_SPOP:
        FI.opname = "set method"; op_set_method(op); break;
    case OP_NEST_SELF: FI.opname = "nest"; op_nest_self(); break;
    case OP_WRAP: {       /* s[i] = [s[i]]: deep nesting, freed through the trashcan */
        FI.opname = "wrap";
        i = slot();
        pm_object *l = pm_list_new(F.h, 0);
        if (!l) { expect_exc(0); break; }
        F.tmp = l;
        if (pm_list_append(F.h, l, arg(i)) < 0) { expect_exc(0); F.tmp = NULL; pm_decref(F.h, l); break; }
        result(i, l, 0);
        break;
    }
    case OP_HASH: FI.opname = "hash"; op_hash(); break;
    case OP_EQ: FI.opname = "eq"; op_eq(); break;
    case OP_REPR: FI.opname = "repr"; op_repr(); break;
    case OP_DUP: {
        FI.opname = "dup";
        int a = slot(), b = slot();
        if (F.s[a] && a != b) { pm_object *old = F.s[b]; F.s[b] = pm_newref(F.s[a]); if (old) pm_decref(F.h, old); }
        break;
    }
    case OP_RELEASE: case OP_RELEASE2:
        FI.opname = "release";
        i = slot();
        if (F.s[i]) { pm_object *o = F.s[i]; F.s[i] = NULL; pm_decref(F.h, o); }
        break;
    case OP_ARITH: FI.opname = "int arithmetic"; op_arith(slot()); break;
    case OP_STRCAT: FI.opname = "str/bytes"; op_strcat(slot()); break;
    case OP_CHECK: FI.opname = "check"; check_all(0); break;
    case OP_LINK: FI.opname = "link"; op_link(); break;
    case OP_UNLINK: FI.opname = "unlink"; op_unlink(); break;
    case OP_COLLECT: FI.opname = "collect"; op_collect(); break;
    case OP_BIG: {        /* a big str or bytes (8K..262K units, up to 1 MiB): raw blocks, new raw segments, the heap limit */
        FI.opname = "big str/bytes";
        i = slot();
        uint8_t k = u8();
        size_t n = (size_t)(u8() % 32 + 1) * 8192 + u8();
        if (!F.may_oom) n /= 16;   /* without a limit or faults, big buys only time: keep to raw blocks */
        if (k & 1) {
            uint8_t b = k;
            pm_object *one = pm_bytes_from_buffer(F.h, &b, 1);
            if (!one) { expect_exc(0); break; }
            pm_object *r = pm_bytes_repeat(F.h, one, (int64_t)n);
            pm_decref(F.h, one);
            result(i, r, 0);
        } else {
            static const uint32_t cp[4] = { 'x', 0xE9, 0x20AC, 0x1F40D };
            pm_object *one = pm_unicode_from_ucs4(F.h, &cp[(k >> 1) & 3], 1);
            if (!one) { expect_exc(0); break; }
            pm_object *r = pm_unicode_repeat(F.h, one, (int64_t)n);
            pm_decref(F.h, one);
            result(i, r, 0);
        }
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    memset(&F, 0, sizeof F);
    fuzz_input_begin("fuzz_objects", data, size);
    uint8_t c0 = u8();
    F.inner = pm_pagesource_default(0);
    if (!F.inner) die("cannot create the default page source");
    pm_heap_config cfg = { F.inner, 0, 0 };
    if (c0 & 2) {
        F.faulty = pm_pagesource_faulty(F.inner);
        if (!F.faulty) die("cannot create the faulty page source");
        cfg.pages = F.faulty;
    }
    F.may_oom = (c0 & 3) != 0;
    F.check_every = (c0 >> 3) & 1;
    F.h = FI.h = pm_heap_new(&cfg);
    if (!F.h) die("pm_heap_new failed");
    if (c0 & 16) REQUIRE(pm_gc_set_stress(F.h, 0) == 0, "pm_gc_set_stress(0) failed");
    /* The limit and the faults start from the new heap, so they hit the ops:
     * a limit of the heap's footprint plus 0..47 units of 16 KiB (the first
     * arena and the heap's own block hold the small objects: MemoryError
     * comes when big strs or bytes (OP_BIG) need raw segments, or a second
     * arena is needed), a failure of the n-th
     * page-source call from now, and optionally of every k-th. */
    if (c0 & 1) {
        pm_status st = pm_heap_set_limit(F.h, pm_heap_footprint(F.h) + (size_t)(u8() % 48) * 16384);
        REQUIRE(st == PM_OK, "set_limit above the footprint refused");
    }
    if (c0 & 2) {
        unsigned long at = 1 + u8() % 16, every = (c0 & 4) ? 2 + (unsigned long)(u8() % 8) : 0;
        pm_faulty_set(F.faulty, at, every);
    }
    pm_objects_baseline(F.h, &F.base);
    check_all(PM_OCHECK_NO_GARBAGE);
    while (more() && FI.op < MAX_OPS) {
        FI.op++;
        run_op((uint8_t)(u8() % NOPS));
        if (F.check_every || FI.size < 512 || FI.op <= 16 || (FI.op & 31) == 0) check_all(0);
    }
    FI.opname = "teardown";
    if (getenv("FUZZ_OBJECTS_VERBOSE"))   /* for tuning the seeds: how far an input gets */
        fprintf(stderr, "fuzz_objects: %lu ops, %lu MemoryErrors, %zu of %zu bytes used\n", FI.op, F.nfail_oom,
                FI.pos, FI.size);
    check_all(0);
    for (int i = 0; i < NH; i++)
        if (F.s[i]) { pm_object *o = F.s[i]; F.s[i] = NULL; pm_decref(F.h, o); }
    /* the cycles are the collector's: one full collection frees them all */
    int64_t n = pm_gc_collect(F.h, 2);
    REQUIRE(n >= 0, "the teardown's gc.collect(2) returned %lld", (long long)n);
    expect_clean();
    check_all(PM_OCHECK_NO_GARBAGE);
    REQUIRE(pm_objects_check_baseline(F.h, &F.base) == PM_OK, "not back to baseline");
    REQUIRE(pm_heap_check(F.h) == PM_OK, "final pm_heap_check");
    pm_heap_free(F.h);
    F.h = FI.h = NULL;
    if (F.faulty) pm_pagesource_destroy(F.faulty);
    pm_pagesource_destroy(F.inner);
    return 0;
}
