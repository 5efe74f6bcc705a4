/* w3.c — W3 `refcount-cascade` (shared/reference/workloads.md W3) on the
 * pyheap core: build a 1,000,000-long chain, then time dropping its head,
 * which frees every node through reference counting (the trashcan bounds
 * the recursion, as in CPython 3.12).
 *
 *   w3 KIND [N]     KIND: list | slots | inst; N defaults to 1000000
 *
 * Built natively (gcc -O2: pyheap-native) and with emcc (-O3 -flto, run by
 * node: pyheap-wasm) from the same source by build-w3.sh, linked with the
 * core sources. Two reps in one process: rep 0 cold (fresh memory), rep 1
 * the reported one. Only the final decref is timed.
 *
 * list:  x = None; repeat N: x = [x]     (BUILD_LIST 1 = _PyList_FromArraySteal:
 *        a list object from the free list or pymalloc + an 8-byte item array)
 * slots: class Link: __slots__ = ("next",); x = None; repeat N:
 *        n = Link(); n.next = x; x = n   (object.__new__ of the class, the
 *        assignment through the member descriptor: one 48-byte block each)
 * inst:  class Obj: pass; same loop; the attribute lives in the instance's
 *        values block (3.12 managed dict: 48-byte object + values block)
 *
 * The GC: the spec does gc.collect(); gc.disable() first. The core never
 * starts a collection by itself (automatic collections run where the
 * interpreter's eval breaker would, pm_gc_eval_breaker), so nothing here
 * can collect: that is gc.disable() for this harness.
 *
 * Output (workloads.md "Output lines", plus pyheap's own checks):
 *   W3 py=pyheap-native kind=list N=1000000 cold_ns=.. ns=.. ns_per_obj=.. freed_blocks=..
 * Verification: the chain occupies >= 2N allocator blocks once built, and
 * dropping the head gives all of them back except the list free list's 80
 * objects; the heap's invariant checker passes after each rep. Any
 * failure: a "W3 FAIL" line on stderr and exit status 2.
 */
#ifndef BK_NAME
#define BK_NAME "pyheap-native"
#endif

#include "pm.h"
#include "object.h"
#include "listobject.h"
#include "dictobject.h"
#include "tupleobject.h"
#include "typeobject.h"
#include "unicodeobject.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t live_blocks(pm_heap *h) {
    pm_heap_stats s;
    pm_heap_stats_get(h, &s);
    uint64_t n = s.raw_blocks;
    for (int i = 0; i < PM_NB_SMALL_SIZE_CLASSES; i++) n += s.classes[i].blocks_in_use;
    return n;
}

static void fail(pm_heap *h, const char *what) {
    fprintf(stderr, "W3 FAIL py=%s: %s (status %d: %s)\n", BK_NAME, what, h ? (int)pm_heap_last_status(h) : 0,
            h ? pm_heap_error(h) : "");
    exit(2);
}

/* x = None; repeat n: x = [x] */
static pm_object *build_list_chain(pm_heap *h, long n) {
    pm_object *x = pm_newref(PM_NONE(h));
    for (long i = 0; i < n; i++) {
        x = pm_list_from_array_steal(h, &x, 1);   /* steals the reference the name held */
        if (!x) fail(h, "building the chain ran out of memory");
    }
    return x;
}

/* class NAME: [__slots__ = ("next",)] — the class statement's namespace */
static pm_object *make_class(pm_heap *h, const char *name, int slots) {
    pm_object *ns = pm_dict_new(h);
    pm_object *n = pm_unicode_intern_from_string(h, name);
    if (!ns || !n) fail(h, "making the class");
    pm_object *mod = pm_unicode_intern_from_string(h, "__main__");
    if (pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__module__"), mod) < 0
        || pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__qualname__"), n) < 0)
        fail(h, "filling the class namespace");
    if (slots) {
        pm_object *t = pm_tuple_pack(h, 1, pm_unicode_intern_from_string(h, "next"));
        if (!t || pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__slots__"), t) < 0) fail(h, "__slots__");
        pm_decref(h, t);
    }
    pm_object *cls = pm_type_new(h, n, NULL, ns);
    if (!cls) fail(h, "pm_type_new");
    pm_decref(h, ns);
    return cls;
}

/* x = None; repeat n: node = cls(); node.next = x; x = node */
static pm_object *build_class_chain(pm_heap *h, pm_object *cls, pm_object *attr, long n) {
    pm_object *x = pm_newref(PM_NONE(h));
    for (long i = 0; i < n; i++) {
        pm_object *node = pm_instance_new(h, cls);
        if (!node || pm_object_setattr(h, node, attr, x) < 0) fail(h, "building the chain");
        pm_decref(h, x);
        x = node;
    }
    return x;
}

int main(int argc, char **argv) {
    const char *kind = argc > 1 ? argv[1] : "list";
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    int k = strcmp(kind, "list") == 0 ? 0 : strcmp(kind, "slots") == 0 ? 1 : strcmp(kind, "inst") == 0 ? 2 : -1;
    if (k < 0 || n < 1) {
        fprintf(stderr, "usage: w3 list|slots|inst [N]\n");
        return 2;
    }
    pm_heap *h = pm_heap_new(NULL);
    if (!h) fail(NULL, "pm_heap_new(NULL) returned NULL");
    pm_object *cls = k ? make_class(h, k == 1 ? "Link" : "Obj", k == 1) : NULL;
    pm_object *attr = pm_unicode_intern_from_string(h, "next");
    /* blocks per node: list object + item array; instance (+ values block) */
    uint64_t per_node = k == 1 ? 1 : 2;
    uint64_t ns[2] = { 0, 0 }, freed = 0;
    for (int rep = 0; rep < 2; rep++) {
        uint64_t before = live_blocks(h);
        pm_object *head = k ? build_class_chain(h, cls, attr, n) : build_list_chain(h, n);
        uint64_t built = live_blocks(h);
        if (built < before + per_node * (uint64_t)n - PM_LIST_MAXFREELIST) fail(h, "the chain holds fewer blocks than expected");
        uint64_t t0 = now_ns();
        pm_decref(h, head);                          /* timed: del head */
        uint64_t t1 = now_ns();
        ns[rep] = t1 - t0;
        uint64_t after = live_blocks(h);
        if (after > before + PM_LIST_MAXFREELIST) fail(h, "dropping the head did not free the chain");
        freed = built - after;
        if (pm_heap_check(h) != PM_OK) fail(h, "pm_heap_check after the cascade");
    }
    if (cls) {
        /* a class holds itself through its MRO: only the collector frees it */
        pm_type *t = (pm_type *)cls;
        if (t->tp_clear) t->tp_clear(h, cls);
        pm_decref(h, cls);
    }
    printf("W3 py=%s kind=%s N=%ld cold_ns=%llu ns=%llu ns_per_obj=%.2f freed_blocks=%llu\n", BK_NAME, kind, n,
           (unsigned long long)ns[0], (unsigned long long)ns[1], (double)ns[1] / (double)n, (unsigned long long)freed);
    pm_heap_free(h);
    return 0;
}
