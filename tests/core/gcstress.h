/* gcstress.h — GC stress mode for the C object tests' heaps.
 *
 * With PM_GC_STRESS=G in the environment (G = 0, 1 or 2), every test heap
 * made by a fixture's constructor (ct_heap_new, gt_heap_new, seqtest's
 * ctx_open) runs a collection of generation G at every GC allocation
 * (pm_gc_set_stress). tests/core/run.sh runs test_gc, test_class,
 * test_list and test_dict once more this way, so an object that is
 * mis-traversed or tracked half-initialised when a collection happens
 * shows up under ASan.
 */
#ifndef PYHEAP_TESTS_GCSTRESS_H
#define PYHEAP_TESTS_GCSTRESS_H

#include <stdio.h>
#include <stdlib.h>
#include "gc.h"

/* The generation PM_GC_STRESS asks for, -1 if unset. Exits on a bad value. */
static inline int test_gc_stress_generation(void) {
    const char *s = getenv("PM_GC_STRESS");
    if (!s || !*s) return -1;
    if ((s[0] < '0' || s[0] > '2') || s[1]) {
        fprintf(stderr, "PM_GC_STRESS=%s: expected 0, 1 or 2\n", s);
        exit(2);
    }
    return s[0] - '0';
}

static inline void test_gc_stress_apply(pm_heap *h) {
    int gen = test_gc_stress_generation();
    if (gen >= 0 && pm_gc_set_stress(h, gen) < 0) {
        fprintf(stderr, "pm_gc_set_stress(%d) failed\n", gen);
        exit(2);
    }
}

#endif /* PYHEAP_TESTS_GCSTRESS_H */
