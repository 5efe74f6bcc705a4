/* genobject.h — generator objects and the frames they own (CPython 3.12
 * Objects/genobject.c, Include/cpython/genobject.h).
 *
 * Calling a generator function pushes a frame as for any function; its
 * RETURN_GENERATOR instruction then moves that frame into a new generator
 * object (pm_gen_from_frame) and pops it from the frame stack. From then on
 * the generator owns the frame: its locals and value stack are strong
 * references, traversed by the collector through the generator.
 *
 * Layout (64-bit model): PyObject (16) + gi_weakreflist, gi_name,
 * gi_qualname (8 each) + gi_exc_state (16) + gi_origin_or_finalizer (8) +
 * 4 flag bytes (padded to 8) = 72 bytes, then the embedded
 * _PyInterpreterFrame: a 72-byte header and co_nlocalsplus + co_stacksize
 * slots of 8 bytes. type(gen).__basicsize__ == 144, __itemsize__ == 8, the
 * object is allocated with PyObject_GC_NewVar(.., co_framesize -
 * FRAME_SPECIALS_SIZE) and gen.__sizeof__ reports the same, so
 *
 *   sys.getsizeof(gen) == 16 + 144 + 8 * (co_nlocalsplus + co_stacksize)
 *                      == 88 + 8 * co_framesize          (co_framesize = nlp + stack + 9)
 *
 * and tracemalloc sees exactly that one block (recorded for ten bodies,
 * gen.* in tests/fixtures/sizes_callables.txt; `def g(): yield 1` has
 * nlocalsplus 0, stacksize 2, framesize 11: 176 bytes).
 *
 * Frame states (gi_frame_state): CREATED -2, SUSPENDED -1, EXECUTING 0,
 * COMPLETED 1, CLEARED 4. gi_running is state == EXECUTING, gi_suspended
 * state == SUSPENDED, gi_frame is None once state >= COMPLETED. A body
 * that returns or raises clears the frame (CLEARED): locals released in
 * index order, the function released, the code kept (gi_code). close() of a
 * generator that never ran only marks it COMPLETED; its frame is cleared
 * when the generator dies.
 *
 * Deallocation (gen_dealloc): untrack, clear weakrefs, finalizer
 * (_PyGen_Finalize: for a SUSPENDED generator, close(), which runs Python
 * code: the host's finalize hook gets the generator and must run
 * gen.close(), driving the frame through pm_gen_resume / pm_frame_* /
 * pm_gen_finish; without a hook the core unwinds as close() does for a body
 * with no handler: value stack popped top first, then the frame cleared),
 * unless resurrected: clear a frame that is not CLEARED yet (index
 * order), release the code, name, qualname and exception state.
 * Weakly referenceable (__weakrefoffset__ 16). No tp_clear, as in 3.12.
 */
#ifndef PM_GENOBJECT_H
#define PM_GENOBJECT_H

#include "object.h"
#include "frame.h"

enum {
    PM_FRAME_CREATED = -2,
    PM_FRAME_SUSPENDED = -1,
    PM_FRAME_EXECUTING = 0,
    PM_FRAME_COMPLETED = 1,
    PM_FRAME_CLEARED = 4,
};

typedef struct pm_gen {
    pm_object ob_base;
    pm_object *gi_weakreflist;
    pm_object *gi_name;             /* strong */
    pm_object *gi_qualname;         /* strong */
    pm_object *gi_exc_value;        /* gi_exc_state.exc_value, strong or NULL */
    void *gi_exc_previous;          /* gi_exc_state.previous_item: unused by the core */
    pm_object *gi_origin_or_finalizer;   /* NULL for generators */
    char gi_hooks_inited, gi_closed, gi_running_async;
    int8_t gi_frame_state;
    uint32_t gi_nslots;             /* host: slots of the embedded frame (nlocalsplus + stacksize) */
    uint64_t gi_iframe[];           /* the pm_frame; model offset 72 */
} pm_gen;

#define PM_GEN_HEADER_SIZE 72u      /* offsetof(PyGenObject, gi_iframe) */
#define PM_GEN_BASICSIZE 144u       /* + offsetof(_PyInterpreterFrame, localsplus) */
#define PM_GEN_ITEMSIZE 8u

static inline int pm_gen_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_GENERATOR];
}
static inline pm_frame *pm_gen_frame(pm_object *gen) { return (pm_frame *)((pm_gen *)gen)->gi_iframe; }
static inline int pm_gen_state(const pm_object *gen) { return ((const pm_gen *)gen)->gi_frame_state; }
/* The generator that owns frame f (f must be a generator's frame). */
static inline pm_object *pm_gen_of_frame(pm_frame *f) {
    return (pm_object *)((char *)f - offsetof(pm_gen, gi_iframe));
}
/* The object size the model charges (without the GC head): gen.__sizeof__. */
static inline size_t pm_gen_model_size(uint32_t nslots) { return PM_GEN_BASICSIZE + (size_t)PM_GEN_ITEMSIZE * nslots; }

/* RETURN_GENERATOR: f must be the current frame, owned by the thread, of a
 * function whose code has CO_GENERATOR, with an empty value stack. A new
 * tracked generator (name and qualname from the function) takes over the
 * frame's references; f is popped without releasing anything. New
 * reference, or NULL + exception (nothing changed). */
pm_object *pm_gen_from_frame(pm_heap *h, pm_frame *f);

/* gen_send_ex2's checks, then the frame runs: 0 = now EXECUTING and linked
 * on top of the current frame (the host pushes the sent value and runs
 * the body); 1 = exhausted (state >= COMPLETED: the host raises
 * StopIteration); -1 + ValueError "generator already executing". */
int pm_gen_resume(pm_heap *h, pm_object *gen);
/* gen.send(arg) / next(gen) (arg NULL): gen_send_ex2. A generator that
 * never ran accepts only None (TypeError "can't send non-None value to a
 * just-started generator"); then pm_gen_resume, and on 0 the value (None
 * for NULL) is pushed on the frame's value stack as a new reference, where
 * the body picks it up (the POP_TOP after RETURN_GENERATOR, or the result
 * of the yield expression). Returns as pm_gen_resume. */
int pm_gen_send(pm_heap *h, pm_object *gen, pm_object *arg);
/* YIELD_VALUE: EXECUTING -> SUSPENDED, unlinked. RuntimeError unless the
 * generator is executing and its frame is current. */
int pm_gen_suspend(pm_heap *h, pm_object *gen);
/* The body returned or raised (clear_gen_frame): -> CLEARED, unlinked,
 * the frame cleared (code kept). Same precondition as pm_gen_suspend. */
int pm_gen_finish(pm_heap *h, pm_object *gen);
/* gen.close() where no Python code has to run: CREATED -> COMPLETED;
 * COMPLETED/CLEARED: nothing; SUSPENDED: what close() does for a body
 * with no handler for GeneratorExit at the yield (no try/finally/with):
 * the value stack is released top first, then the frame is cleared
 * (CLEARED); EXECUTING: ValueError "generator already executing". */
int pm_gen_close(pm_heap *h, pm_object *gen);

/* For the wasm glue's handle check: does the generator at o fit a block
 * of `room` bytes (pre-header excluded)? Reads only o's own header. */
static inline int pm_gen_fits(const pm_object *o, size_t room) {
    const pm_gen *g = (const pm_gen *)o;
    return room >= PM_GEN_BASICSIZE && g->gi_nslots <= (room - PM_GEN_BASICSIZE) / PM_GEN_ITEMSIZE
        && (g->gi_frame_state == PM_FRAME_CREATED || g->gi_frame_state == PM_FRAME_SUSPENDED
            || g->gi_frame_state == PM_FRAME_EXECUTING || g->gi_frame_state == PM_FRAME_COMPLETED
            || g->gi_frame_state == PM_FRAME_CLEARED);
}

#endif /* PM_GENOBJECT_H */
