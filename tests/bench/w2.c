/* w2.c — W2 `gc-full` (shared/reference/workloads.md W2) on the pyheap core:
 * a full collection over a graph of N containers, M of them reachable.
 *
 *   w2 CONTAINER GRAPHFILE [REPEAT]
 *                              CONTAINER: slots | list; GRAPHFILE: a W2G1 file
 *                              written (and md5-verified) by run-w2.mjs;
 *                              REPEAT: also time that many collections of the
 *                              survivors and print the fastest (W2REPEAT line)
 *
 * Built natively (gcc -O2: pyheap-native) and with emcc (-O3 -flto,
 * -sNODERAWFS to read the graph file, run by node: pyheap-wasm) from the same
 * source by build-w2.sh, linked with the core sources.
 *
 * Procedure (W2.3), as w2.py does it on CPython:
 *   0. (pyheap only) an untimed warm-up: see warm_up() — node's wasm tiers.
 *   1. gc.collect(); gc.freeze(); gc.disable() — the class and the interned
 *      names go to the permanent generation.
 *   2. untimed build: N containers in node order into a temporary list
 *      `nodes`, then the edges in node order:
 *        slots: class Node: __slots__ = ("e0","e1","e2","e3") (pm_type_new,
 *               instances through pm_instance_new, node.e<k> = target through
 *               pm_object_setattr, i.e. the member descriptor as STORE_ATTR);
 *        list:  [] (pm_list_new(0)), then one extend with the targets in
 *               edge order.
 *   3. root = nodes[0:M]; del nodes.
 *   4. timed: n = gc.collect() (generation 2).
 *   5. check n == N - M; then a second gc.collect(), timed and reported.
 *
 * Output (workloads.md "Output lines"):
 *   W2 py=pyheap-native container=slots shape=a N=.. M=.. E=.. unreachable=.. ok=1 build_ns=..
 *      collect_ns=.. ns_per_obj=.. recollect_ns=.. frozen=..
 * plus, from the pyheap checks: recollected=.. (must be 0) and live_after=..
 * (tracked objects left in generations 0..2: M + 1 for the root list).
 * Any failure: a "W2 FAIL" line on stderr and exit status 2.
 */
#ifndef BK_NAME
#define BK_NAME "pyheap-native"
#endif

#include "pm.h"
#include "object.h"
#include "gc.h"
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

static void fail(pm_heap *h, const char *what) {
    fprintf(stderr, "W2 FAIL py=%s: %s (status %d: %s)\n", BK_NAME, what, h ? (int)pm_heap_last_status(h) : 0,
            h ? pm_heap_error(h) : "");
    exit(2);
}

/* ---- the W2G1 file: "W2G1", u32 N, M, E, off[N+1], tgt[E] (little-endian) ---- */
typedef struct graph {
    uint32_t n, m, e;
    uint32_t *off, *tgt;
    char shape;
} graph;

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void load_graph(const char *path, graph *g) {
    FILE *f = fopen(path, "rb");
    if (!f) fail(NULL, "cannot open the graph file");
    unsigned char hd[16];
    if (fread(hd, 1, 16, f) != 16 || memcmp(hd, "W2G1", 4) != 0) fail(NULL, "not a W2G1 file");
    g->n = le32(hd + 4);
    g->m = le32(hd + 8);
    g->e = le32(hd + 12);
    if (g->n == 0 || g->m > g->n) fail(NULL, "bad N or M in the graph file");
    size_t words = (size_t)g->n + 1 + g->e;
    unsigned char *buf = malloc(words * 4);
    uint32_t *w = malloc(words * 4);
    if (!buf || !w) fail(NULL, "out of memory reading the graph");
    if (fread(buf, 4, words, f) != words) fail(NULL, "short graph file");
    fclose(f);
    for (size_t i = 0; i < words; i++) w[i] = le32(buf + 4 * i);
    free(buf);
    g->off = w;
    g->tgt = w + g->n + 1;
    if (g->off[0] != 0 || g->off[g->n] != g->e) fail(NULL, "bad offsets in the graph file");
    for (uint32_t i = 0; i < g->n; i++)
        if (g->off[i + 1] < g->off[i] || g->off[i + 1] - g->off[i] > 4) fail(NULL, "out-degree over 4");
    for (uint32_t k = 0; k < g->e; k++)
        if (g->tgt[k] >= g->n) fail(NULL, "edge target out of range");
    /* the shape, for the output line: from the file name "<shape>-<N>.w2g" */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    g->shape = base[0];
}

/* class Node: __slots__ = ("e0", "e1", "e2", "e3") */
static pm_object *make_node_class(pm_heap *h, pm_object *const names[4]) {
    pm_object *ns = pm_dict_new(h);
    pm_object *n = pm_unicode_intern_from_string(h, "Node");
    pm_object *slots = pm_tuple_new(h, 4);
    if (!ns || !n || !slots) fail(h, "making the class");
    for (int k = 0; k < 4; k++) PM_TUPLE_SET(slots, k, pm_newref(names[k]));
    if (pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__module__"),
                        pm_unicode_intern_from_string(h, "__main__")) < 0
        || pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__qualname__"), n) < 0
        || pm_dict_setitem(h, ns, pm_unicode_intern_from_string(h, "__slots__"), slots) < 0)
        fail(h, "filling the class namespace");
    pm_decref(h, slots);
    pm_object *cls = pm_type_new(h, n, NULL, ns);
    if (!cls) fail(h, "pm_type_new");
    pm_decref(h, ns);
    return cls;
}

/* Steps 2 and 3: N containers in node order into `nodes`, the edges in node
 * order, root = nodes[0:M], del nodes. Returns root. */
static pm_object *build(pm_heap *h, int slots, pm_object *cls, pm_object *const names[4], const graph *g) {
    pm_object *nodes = pm_list_new(h, 0);
    if (!nodes) fail(h, "nodes = []");
    for (uint32_t i = 0; i < g->n; i++) {
        pm_object *x = slots ? pm_instance_new(h, cls) : pm_list_new(h, 0);
        if (!x || pm_list_append_steal(h, nodes, x) < 0) fail(h, "creating the containers");
    }
    pm_object **item = ((pm_list *)nodes)->ob_item;
    for (uint32_t i = 0; i < g->n; i++) {
        uint32_t lo = g->off[i], d = g->off[i + 1] - lo;
        if (slots) {
            for (uint32_t k = 0; k < d; k++)
                if (pm_object_setattr(h, item[i], names[k], item[g->tgt[lo + k]]) < 0) fail(h, "node.e<k> = target");
        } else if (d) {
            pm_object *t = pm_tuple_new(h, d);
            if (!t) fail(h, "the edge tuple");
            for (uint32_t k = 0; k < d; k++) PM_TUPLE_SET(t, k, pm_newref(item[g->tgt[lo + k]]));
            if (pm_list_extend(h, item[i], t) < 0) fail(h, "node.extend(targets)");
            pm_decref(h, t);
        }
    }
    pm_object *root = pm_list_getslice(h, nodes, 0, g->m, 1);
    if (!root) fail(h, "root = nodes[0:M]");
    pm_decref(h, nodes);
    return root;
}

/* Untimed warm-up, before step 1. node runs a wasm function first in its
 * baseline tier (compiled on first call) and moves hot code to the
 * optimising tier later: without this the timed collection of a 10k graph
 * would mostly measure V8's compilers (10-20x the second collection). Three
 * rounds over a 20,000-node graph of the same containers, half of it
 * reachable (a chain through pairs), half garbage (2-cycles), each
 * collected twice and then dropped, run every path of the timed
 * collection. The native build does the same, so both harnesses run one
 * procedure; the heap is back to its start (no tracked objects) after it. */
static void warm_up(pm_heap *h, int slots, pm_object *cls, pm_object *const names[4]) {
    enum { W = 20000 };
    static uint32_t off[W + 1], tgt[2 * W];
    graph w = { W, W / 2, 0, off, tgt, 'w' };
    for (uint32_t i = 0; i < W; i++) {
        off[i] = w.e;
        tgt[w.e++] = i ^ 1;                            /* pairs: 2-cycles */
        if (i < w.m && i + 2 < w.m) tgt[w.e++] = i + 2;
    }
    off[W] = w.e;
    for (int r = 0; r < 3; r++) {
        pm_object *root = build(h, slots, cls, names, &w);
        if (pm_gc_collect(h, 2) != W - w.m || pm_gc_collect(h, 2) != 0) fail(h, "the warm-up collections");
        pm_decref(h, root);
        if (pm_gc_collect(h, 2) != w.m) fail(h, "the warm-up teardown");
    }
}

int main(int argc, char **argv) {
    int repeat = argc == 4 ? atoi(argv[3]) : 0;
    if (argc < 3 || argc > 4 || repeat < 0 || (strcmp(argv[1], "slots") != 0 && strcmp(argv[1], "list") != 0)) {
        fprintf(stderr, "usage: w2 slots|list GRAPHFILE [REPEAT]\n");
        return 2;
    }
    int slots = strcmp(argv[1], "slots") == 0;
    graph g;
    load_graph(argv[2], &g);

    pm_heap *h = pm_heap_new(NULL);
    if (!h) fail(NULL, "pm_heap_new(NULL) returned NULL");
    pm_object *names[4];
    for (int k = 0; k < 4; k++) {
        char nm[3] = { 'e', (char)('0' + k), 0 };
        names[k] = pm_unicode_intern_from_string(h, nm);
        if (!names[k]) fail(h, "interning the slot names");
    }
    pm_object *cls = slots ? make_node_class(h, names) : NULL;

    warm_up(h, slots, cls, names);

    /* 1. gc.collect(); gc.freeze(); gc.disable() */
    if (pm_gc_collect(h, 2) < 0) fail(h, "the first gc.collect()");
    pm_gc_freeze(h);
    pm_gc_disable(h);
    int64_t frozen = pm_gc_get_freeze_count(h);

    /* 2. untimed build; 3. root = nodes[0:M]; del nodes */
    uint64_t b0 = now_ns();
    pm_object *root = build(h, slots, cls, names, &g);
    uint64_t b1 = now_ns();

    /* 4. timed: a full collection */
    uint64_t t0 = now_ns();
    int64_t n = pm_gc_collect(h, 2);
    uint64_t t1 = now_ns();
    /* 6. the second collection */
    int64_t n2 = pm_gc_collect(h, 2);
    uint64_t t2 = now_ns();

    int64_t live = pm_gc_generation_size(h, 0) + pm_gc_generation_size(h, 1) + pm_gc_generation_size(h, 2);
    int ok = n == (int64_t)(g.n - g.m) && n2 == 0 && live == (int64_t)g.m + 1;
    printf("W2 py=%s container=%s shape=%c N=%u M=%u E=%u unreachable=%lld ok=%d build_ns=%llu collect_ns=%llu "
           "ns_per_obj=%.2f recollect_ns=%llu frozen=%lld recollected=%lld live_after=%lld\n",
           BK_NAME, argv[1], g.shape, g.n, g.m, g.e, (long long)n, ok, (unsigned long long)(b1 - b0),
           (unsigned long long)(t1 - t0), (double)(t1 - t0) / (double)g.n, (unsigned long long)(t2 - t1),
           (long long)frozen, (long long)n2, (long long)live);
    if (!ok) fail(h, "the collection did not reclaim exactly N - M objects");
    /* REPEAT (not used by run-w2.mjs): that many more collections of the
     * M survivors, and the fastest of them: a steadier figure of the
     * collector's own work than one timed collection, to judge changes to
     * it on a busy machine. */
    if (repeat) {
        uint64_t best = UINT64_MAX;
        for (int r = 0; r < repeat; r++) {
            uint64_t r0 = now_ns();
            if (pm_gc_collect(h, 2) != 0) fail(h, "a repeated collection found garbage");
            uint64_t r1 = now_ns();
            if (r1 - r0 < best) best = r1 - r0;
        }
        printf("W2REPEAT py=%s container=%s shape=%c N=%u repeat=%d min_ns=%llu min_ns_per_obj=%.2f\n", BK_NAME,
               argv[1], g.shape, g.n, repeat, (unsigned long long)best, (double)best / (double)g.n);
    }

    pm_decref(h, root);
    if (pm_gc_collect(h, 2) < 0) fail(h, "the final collection");
    if (pm_heap_check(h) != PM_OK) fail(h, "pm_heap_check after the run");
    (void)cls;                           /* frozen with the class cycle; freed with the heap */
    pm_heap_free(h);
    free(g.off);
    return 0;
}
