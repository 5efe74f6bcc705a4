/* test_snapshot.c — pm_snapshot_take (core/src/snapshot.c): which objects a
 * snapshot holds, in which order, with which referents, generations and
 * flags; that taking one changes nothing in the heap; OOM leaves the heap
 * unchanged. Expected values follow from the graph each test builds and the
 * documented order (roots first, then breadth-first along pm_object_refs:
 * list items last to first as CPython's list_traverse visits them —
 * gc.get_referents([1, 2, 3]) is [3, 2, 1] in 3.12 — and dict key then value
 * in insertion order). */
#include "check.h"
#include "containertest.h"
#include "listobject.h"
#include "dictobject.h"
#include "rangeobject.h"
#include "snapshot.h"
#include "setobject.h"
#include "weakrefobject.h"

static const pm_snap_obj *find(const pm_snapshot *s, const void *o) {
    for (uint32_t i = 0; i < s->nobjs; i++)
        if (s->objs[i].addr == (uintptr_t)o) return &s->objs[i];
    return NULL;
}

static void test_graph(pm_heap *h) {
    TEST_BEGIN("roots first, breadth-first referents, generations, flags, sizes");
    pm_object *big = ct_mkint(h, 1000);        /* not cached: a real object */
    pm_object *inner = pm_list_new(h, 0);
    pm_object *outer = pm_list_new(h, 0);
    CHECK_EQ(pm_list_append(h, outer, big), 0);
    CHECK_EQ(pm_list_append(h, outer, inner), 0);
    CHECK_EQ(pm_list_append(h, inner, outer), 0);     /* a cycle */
    pm_object *d = pm_dict_new(h);
    pm_object *key = pm_unicode_from_string(h, "k");
    CHECK_EQ(pm_dict_setitem(h, d, key, outer), 0);
    uint64_t refcnt_outer = outer->ob_refcnt, refcnt_big = big->ob_refcnt;

    pm_object *roots[] = { d, NULL, d };
    CHECK_EQ(pm_snapshot_take(h, roots, 3), PM_OK);
    const pm_snapshot *s = pm_snapshot_last(h);
    CHECK(s != NULL);
    /* d, then its key and value, then outer's items last to first (inner,
     * big); inner's referent (outer) is already recorded. */
    CHECK_EQ(s->nobjs, 5u);
    const void *order[] = { d, key, outer, inner, big };
    for (uint32_t i = 0; i < 5 && i < s->nobjs; i++) CHECKF(s->objs[i].addr == (uintptr_t)order[i], "record %u", i);
    const pm_snap_obj *rd = find(s, d), *ro = find(s, outer), *rb = find(s, big), *ri = find(s, inner);
    CHECK(rd && ro && rb && ri);
    if (rd && ro && rb && ri) {
        CHECK_EQ(rd->flags & (PM_SNAP_ROOT | PM_SNAP_REACHABLE), PM_SNAP_ROOT | PM_SNAP_REACHABLE);
        CHECK_EQ(ro->flags & PM_SNAP_ROOT, 0);
        CHECK(ro->flags & PM_SNAP_REACHABLE);
        CHECK_EQ(rd->nrefs, 2u);
        CHECK_EQ(s->refs[rd->first_ref], (uintptr_t)key);
        CHECK_EQ(s->refs[rd->first_ref + 1], (uintptr_t)outer);
        CHECK_EQ(ro->nrefs, 2u);
        CHECK_EQ(s->refs[ro->first_ref], (uintptr_t)inner);
        CHECK_EQ(s->refs[ro->first_ref + 1], (uintptr_t)big);
        CHECK_EQ(ri->nrefs, 1u);
        CHECK_EQ(s->refs[ri->first_ref], (uintptr_t)outer);
        CHECK_EQ(rb->nrefs, 0u);
        CHECK_EQ(ro->gen, 0);                               /* lists are tracked at creation */
        CHECK_EQ(rb->gen, PM_SNAP_GEN_UNTRACKED);           /* ints are not GC objects */
        CHECK_EQ(ro->flags & PM_SNAP_GC_TYPE, PM_SNAP_GC_TYPE);
        CHECK_EQ(rb->flags & PM_SNAP_GC_TYPE, 0);
        CHECK_EQ(ro->refcnt, (uint32_t)refcnt_outer);
        CHECK_EQ(rb->size, 28u);                            /* sys.getsizeof(1000) */
        CHECK_EQ(ro->size, (uint32_t)pm_object_getsizeof(h, outer));
        CHECK_EQ(rd->type_id, PM_T_DICT);
        CHECK_EQ(rd->type, (uintptr_t)pm_builtin_type(h, PM_T_DICT));
    }
    CHECK_EQ(outer->ob_refcnt, refcnt_outer);               /* read-only */
    CHECK_EQ(big->ob_refcnt, refcnt_big);

    TEST_BEGIN("objects only a dropped cycle holds are still listed, unreached");
    pm_decref(h, d);                                        /* frees d and key; outer <-> inner stay */
    pm_decref(h, key);
    CHECK_EQ(pm_snapshot_take(h, NULL, 0), PM_OK);
    s = pm_snapshot_last(h);
    ro = find(s, outer);
    ri = find(s, inner);
    rb = find(s, big);
    CHECK(ro && ri && rb);
    if (ro && ri && rb) {
        CHECK_EQ(ro->flags & PM_SNAP_REACHABLE, 0);
        CHECK_EQ(rb->flags & PM_SNAP_REACHABLE, 0);
    }
    CHECK(find(s, d) == NULL);

    TEST_BEGIN("immortals are flagged; range's ints are referents (tp_refs)");
    pm_object *r = pm_range_new(h, big, big, NULL);
    CHECK(r != NULL);
    pm_object *roots2[] = { r, PM_NONE(h) };
    CHECK_EQ(pm_snapshot_take(h, roots2, 2), PM_OK);
    s = pm_snapshot_last(h);
    const pm_snap_obj *rr = find(s, r), *rn = find(s, PM_NONE(h));
    CHECK(rr && rn);
    if (rr && rn) {
        CHECK(rr->nrefs >= 3u);
        CHECK_EQ(s->refs[rr->first_ref], (uintptr_t)big);
        CHECK_EQ(rn->flags & PM_SNAP_IMMORTAL, PM_SNAP_IMMORTAL);
        CHECK_EQ(rn->refcnt, 0xFFFFFFFFu);
    }
    pm_decref(h, r);

    /* break the cycle by hand and drop everything */
    pm_list_clear(h, inner);
    pm_decref(h, inner);
    pm_decref(h, outer);
    pm_decref(h, big);
}

static void test_weak(pm_heap *h) {
    TEST_BEGIN("a weakref's referent is its weak edge, not a strong one, and is listed unreached");
    pm_object *st = pm_set_new(h, NULL);             /* sets can be weakly referenced */
    pm_object *big = ct_mkint(h, 1001);
    CHECK_EQ(pm_set_add(h, st, big), 0);
    pm_object *wr = pm_weakref_new(h, NULL, st, NULL);
    CHECK(st && wr);
    pm_object *roots[] = { wr };
    CHECK_EQ(pm_snapshot_take(h, roots, 1), PM_OK);
    const pm_snapshot *s = pm_snapshot_last(h);
    const pm_snap_obj *rw = find(s, wr), *rs = find(s, st), *rb = find(s, big);
    CHECK(rw && rs && rb);
    if (rw && rs && rb) {
        CHECK_EQ(rw->weak, (uintptr_t)st);
        for (uint32_t i = 0; i < rw->nrefs; i++) CHECK(s->refs[rw->first_ref + i] != (uintptr_t)st);
        CHECK_EQ(rs->flags & PM_SNAP_REACHABLE, 0);  /* only weakly reached from the root */
        CHECK_EQ(rs->weak, 0u);
        CHECK_EQ(rs->nrefs, 1u);                     /* its item, recorded too */
        CHECK_EQ(rb->flags & PM_SNAP_REACHABLE, 0);
    }

    TEST_BEGIN("a dead weakref has no weak edge");
    pm_decref(h, st);                                /* the referent dies: wr is cleared */
    CHECK_EQ(pm_snapshot_take(h, roots, 1), PM_OK);
    s = pm_snapshot_last(h);
    rw = find(s, wr);
    CHECK(rw != NULL);
    if (rw) CHECK_EQ(rw->weak, 0u);
    pm_decref(h, wr);
    pm_decref(h, big);
}

static void test_oom(pm_heap *h) {
    TEST_BEGIN("snapshot buffers come from bookkeeping; release frees them");
    pm_object *l = pm_list_new(h, 0);
    for (int i = 0; i < 5000; i++) {
        pm_object *v = ct_mkint(h, 100000 + i);
        CHECK_EQ(pm_list_append(h, l, v), 0);
        pm_decref(h, v);
    }
    uint64_t live = ct_live_blocks(h);
    CHECK_EQ(pm_snapshot_take(h, &l, 1), PM_OK);
    CHECK_EQ(pm_snapshot_last(h)->nobjs, 5001u);
    CHECK_EQ(ct_live_blocks(h), live);                      /* no pymalloc block for the snapshot */
    pm_snapshot_release(h);
    CHECK(pm_snapshot_last(h) == NULL);
    pm_decref(h, l);
}

int main(void) {
    pm_heap *h = ct_heap_new();
    ct_clear_freelists(h);
    uint64_t live0 = ct_live_blocks(h);
    test_graph(h);
    test_weak(h);
    test_oom(h);
    TEST_BEGIN("no leaks, heap consistent");
    CT_EXPECT_CLEAN(h, live0);
    pm_heap_free(h);
    return check_summary();
}
