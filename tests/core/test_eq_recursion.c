/* test_eq_recursion.c — == on deeply nested and self-referential
 * containers stops with RecursionError where CPython 3.12 does
 * (tests/fixtures/recursion_eq.txt, recorded by tests/record/recursion_eq.py).
 * Before the guard in pm_object_eq, a = [a]; b = [b]; a == b overflowed the
 * C stack (found by tests/fuzz/fuzz_objects.c).
 */
#include "check.h"
#include "fixture.h"
#include "object.h"
#include "listobject.h"
#include "check_objects.h"

static const char *fx_get(const kv_fixture *fx, const char *key) {
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->keys[i], key) == 0) return fx->values[i];
    CHECKF(0, "fixture has no case '%s'", key);
    return "";
}

static pm_object *nest(pm_heap *h, long d) {
    pm_object *x = pm_newref(PM_NONE(h));
    for (long i = 0; i < d; i++) x = pm_list_from_array_steal(h, &x, 1);
    return x;
}

/* "RecursionError: <message>" of the pending exception, or "none" */
static void exc_text(pm_heap *h, char *buf, size_t n) {
    if (pm_err_occurred(h) == PM_EXC_RecursionError) snprintf(buf, n, "RecursionError: %s", h->os->exc_msg);
    else if (pm_err_occurred(h) == PM_EXC_NONE) snprintf(buf, n, "none");
    else snprintf(buf, n, "exception %d: %s", (int)pm_err_occurred(h), h->os->exc_msg);
}

int main(void) {
    kv_fixture fx;
    if (kv_fixture_load(&fx, "recursion_eq.txt", "PM_RECURSION_EQ_FIXTURE") < 0) return 1;
    pm_heap *h = pm_heap_new(NULL);
    pm_objbaseline base;
    pm_objects_baseline(h, &base);
    char got[300];

    TEST_BEGIN("nested lists: the deepest comparison that works, and the first that raises");
    long max_ok = atol(fx_get(&fx, "eq.max_ok")), first_fail = atol(fx_get(&fx, "eq.first_fail"));
    CHECK(max_ok > 100 && first_fail == max_ok + 1);
    pm_object *a = nest(h, max_ok), *b = nest(h, max_ok);
    CHECK_EQ(pm_object_eq(h, a, b), 1);
    CHECK_EQ((int)pm_err_occurred(h), (int)PM_EXC_NONE);
    CHECK_EQ(h->os->repr_depth, 0);
    pm_decref(h, a);
    pm_decref(h, b);
    a = nest(h, first_fail);
    b = nest(h, first_fail);
    CHECK_EQ(pm_object_eq(h, a, b), -1);
    exc_text(h, got, sizeof got);
    CHECK_STREQ(got, fx_get(&fx, "eq.error"));
    CHECK_EQ(h->os->repr_depth, 0);     /* the guard unwinds */
    pm_err_clear(h);
    pm_decref(h, a);
    pm_decref(h, b);

    TEST_BEGIN("self-referential lists");
    a = pm_list_new(h, 0);
    b = pm_list_new(h, 0);
    CHECK_EQ(pm_list_append(h, a, a), 0);
    CHECK_EQ(pm_list_append(h, b, b), 0);
    CHECK_EQ(pm_object_eq(h, a, a), 1);  /* identity: no recursion */
    CHECK_EQ(pm_object_eq(h, a, b), -1);
    exc_text(h, got, sizeof got);
    CHECK_STREQ(got, fx_get(&fx, "eq.cycle_error"));
    CHECK_EQ(h->os->repr_depth, 0);
    pm_err_clear(h);
    pm_objroot roots[] = { { a, 1 }, { b, 1 } };
    CHECK_EQ(pm_objects_check(h, roots, 2, NULL, NULL), PM_OK);
    CHECK_EQ(pm_list_clear(h, a), 0);    /* the cycles are released by hand (no collector yet) */
    CHECK_EQ(pm_list_clear(h, b), 0);
    pm_decref(h, a);
    pm_decref(h, b);
    CHECK_EQ(pm_objects_check_baseline(h, &base), PM_OK);
    CHECK_EQ(pm_heap_check(h), PM_OK);
    pm_heap_free(h);
    kv_fixture_free(&fx);
    return check_summary();
}
