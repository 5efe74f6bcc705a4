/* test_startup.c — pm_startup_freelists (core/src/startup.c): the free lists
 * filled to the lengths asked, the generation counts untouched, lists already
 * longer left alone, bad lengths and a tracing heap refused with nothing
 * changed. (The lengths CPython's start-up leaves are checked end to end in
 * tests/interp/startup.test.js against tests/fixtures/startup_freelists.txt.)
 *
 *   tests/core/run.sh unit test_startup      (from the repository root)
 */
#include "check.h"
#include "containertest.h"
#include "dictobject.h"
#include "tracemalloc.h"

static int32_t no_tuples[PM_TUPLE_MAXSAVESIZE];

static void expect_lengths(pm_heap *h, uint32_t floats, uint32_t lists, uint32_t dicts, uint32_t t1, uint32_t t20) {
    CHECK_EQ(h->freelists.floats, floats);
    CHECK_EQ(h->freelists.lists, lists);
    CHECK_EQ(h->freelists.dicts, dicts);
    CHECK_EQ(h->freelists.tuples[0], t1);
    CHECK_EQ(h->freelists.tuples[19], t20);
}

int main(void) {
    /* no stress mode here: a collection per allocation would clear the free
     * lists (gc.collect(2)'s clear_freelists) while they are being filled */
    pm_heap *h = pm_heap_new(NULL);
    if (!h) return 2;
    uint64_t live0 = ct_live_blocks(h);

    TEST_BEGIN("lengths as asked, counts unchanged, the objects' blocks stay allocated");
    int64_t count0[3];
    memcpy(count0, h->os->gen_count, sizeof count0);
    int32_t tuples[PM_TUPLE_MAXSAVESIZE] = { 0 };
    tuples[0] = 4;
    tuples[19] = 1;
    CHECK_EQ(pm_startup_freelists(h, 2, 3, 5, tuples), PM_OK);
    expect_lengths(h, 2, 3, 5, 4, 1);
    CHECK_EQ(memcmp(count0, h->os->gen_count, sizeof count0), 0);
    CHECK_EQ(ct_live_blocks(h), live0 + 2 + 3 + 5 + 4 + 1);
    CHECK_EQ(pm_heap_check(h), PM_OK);

    TEST_BEGIN("what is already on a list counts; a longer list is left alone");
    pm_object *d = pm_dict_new(h);                      /* from the free list: 4 left */
    CHECK_EQ(h->freelists.dicts, 4u);
    CHECK_EQ(pm_startup_freelists(h, 0, 0, 6, no_tuples), PM_OK);
    expect_lengths(h, 2, 3, 6, 4, 1);
    CHECK_EQ(pm_startup_freelists(h, 1, 1, 1, no_tuples), PM_OK);
    expect_lengths(h, 2, 3, 6, 4, 1);
    pm_decref(h, d);
    CHECK_EQ(h->freelists.dicts, 7u);

    TEST_BEGIN("bad lengths: PM_EINVAL, nothing changed");
    CHECK_EQ(pm_startup_freelists(h, -1, 0, 0, no_tuples), PM_EINVAL);
    CHECK_EQ(pm_startup_freelists(h, 0, 0, PM_DICT_MAXFREELIST + 1, no_tuples), PM_EINVAL);
    tuples[3] = PM_TUPLE_MAXFREELIST + 1;
    CHECK_EQ(pm_startup_freelists(h, 50, 50, 50, tuples), PM_EINVAL);
    CHECK(strstr(pm_heap_error(h), "4-tuples") != NULL);
    expect_lengths(h, 2, 3, 7, 4, 1);

    TEST_BEGIN("while tracemalloc traces: PM_EINVAL (start-up's objects are never traced)");
    CHECK_EQ(pm_tracemalloc_start(h, 1), 0);
    CHECK_EQ(pm_startup_freelists(h, 50, 50, 50, no_tuples), PM_EINVAL);
    pm_tracemalloc_stop(h);
    expect_lengths(h, 2, 3, 7, 4, 1);

    TEST_BEGIN("no leaks, heap consistent");
    CT_EXPECT_CLEAN(h, live0);
    pm_heap_free(h);
    return check_summary();
}
