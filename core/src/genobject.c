/* genobject.c — the generator type and the life of its frame.
 *
 * Mirrors CPython 3.12 Objects/genobject.c: make_gen / _Py_MakeCoro and
 * the RETURN_GENERATOR instruction (Python/bytecodes.c) that copies the
 * frame in (_PyFrame_Copy), gen_send_ex2's state checks, clear_gen_frame
 * (Python/ceval.c), gen_close's no-code paths, _PyGen_Finalize,
 * gen_dealloc, gen_traverse, gen_sizeof, gen_repr.
 */
#include "genobject.h"
#include "codeobject.h"
#include "funcobject.h"

_Static_assert(offsetof(pm_gen, gi_iframe) <= PM_GEN_HEADER_SIZE, "generator header must fit 72 model bytes");
_Static_assert(PM_GEN_HEADER_SIZE + PM_FRAME_HEADER_SIZE == PM_GEN_BASICSIZE, "basicsize = header + frame specials");

static pm_type *gen_type(pm_heap *h) { return pm_builtin_type(h, PM_T_GENERATOR); }

static int bad_gen(pm_heap *h, pm_object *o) {
    if (o && pm_gen_check(h, o)) return 0;
    pm_err_set(h, PM_EXC_TypeError, "expected a generator, got '%s'", o ? PM_TYPE(o)->tp_name : "NULL");
    return -1;
}

pm_object *pm_gen_from_frame(pm_heap *h, pm_frame *f) {
    if (!f || f != pm_frame_current(h) || f->owner != PM_FRAME_OWNED_BY_THREAD) {
        pm_err_set(h, PM_EXC_RuntimeError, "RETURN_GENERATOR: the frame is not the current frame of a running function");
        return NULL;
    }
    pm_code *c = (pm_code *)f->f_code;
    if (!(c->co_flags & PM_CO_GENERATOR)) {
        pm_err_set(h, PM_EXC_RuntimeError, "RETURN_GENERATOR: the code has no CO_GENERATOR flag");
        return NULL;
    }
    if (pm_frame_stack_size(f) != 0) {
        pm_err_set(h, PM_EXC_RuntimeError, "RETURN_GENERATOR: the value stack is not empty");
        return NULL;
    }
    uint32_t nslots = (uint32_t)pm_code_nslots(f->f_code);
    /* make_gen: PyObject_GC_NewVar(PyGenObject, &PyGen_Type, framesize - FRAME_SPECIALS_SIZE) */
    pm_object *o = pm_object_alloc(h, gen_type(h), nslots);
    if (!o) return NULL;
    pm_gen *g = (pm_gen *)o;
    pm_function *fn = (pm_function *)f->f_funcobj;
    g->gi_frame_state = PM_FRAME_CLEARED;
    g->gi_weakreflist = NULL;
    g->gi_exc_value = NULL;
    g->gi_exc_previous = NULL;
    g->gi_origin_or_finalizer = NULL;
    g->gi_hooks_inited = g->gi_closed = g->gi_running_async = 0;
    g->gi_nslots = nslots;
    g->gi_name = pm_newref(fn->func_name);
    g->gi_qualname = pm_newref(fn->func_qualname);
    pm_gc_track(h, o);
    /* RETURN_GENERATOR: the references move into the generator's frame */
    pm_frame *gf = pm_gen_frame(o);
    memcpy(gf, f, _pm_frame_used_bytes(f));
    gf->previous = NULL;
    g->gi_frame_state = PM_FRAME_CREATED;
    gf->owner = PM_FRAME_OWNED_BY_GENERATOR;
    _pm_frame_pop_moved(h, f);
    return o;
}

int pm_gen_resume(pm_heap *h, pm_object *gen) {
    if (bad_gen(h, gen) < 0) return -1;
    pm_gen *g = (pm_gen *)gen;
    if (g->gi_frame_state == PM_FRAME_EXECUTING) {
        pm_err_set(h, PM_EXC_ValueError, "generator already executing");
        return -1;
    }
    if (g->gi_frame_state >= PM_FRAME_COMPLETED) return 1;
    g->gi_frame_state = PM_FRAME_EXECUTING;
    _pm_frame_link(h, pm_gen_frame(gen));
    return 0;
}

int pm_gen_send(pm_heap *h, pm_object *gen, pm_object *arg) {
    if (bad_gen(h, gen) < 0) return -1;
    pm_gen *g = (pm_gen *)gen;
    int8_t before = g->gi_frame_state;
    if (before == PM_FRAME_CREATED && arg && arg != PM_NONE(h)) {
        pm_err_set(h, PM_EXC_TypeError, "can't send non-None value to a just-started generator");
        return -1;
    }
    int r = pm_gen_resume(h, gen);
    if (r != 0) return r;
    if (pm_frame_push_value(h, pm_gen_frame(gen), arg ? arg : PM_NONE(h)) < 0) {
        _pm_frame_unlink(h, pm_gen_frame(gen));     /* no room (co_stacksize 0): undo the resume */
        g->gi_frame_state = before;
        return -1;
    }
    return 0;
}

static int check_running(pm_heap *h, pm_object *gen, const char *op) {
    if (bad_gen(h, gen) < 0) return -1;
    if (pm_gen_state(gen) == PM_FRAME_EXECUTING && pm_frame_current(h) == pm_gen_frame(gen)) return 0;
    pm_err_set(h, PM_EXC_RuntimeError, "%s: the generator is not the one running", op);
    return -1;
}

int pm_gen_suspend(pm_heap *h, pm_object *gen) {
    if (check_running(h, gen, "yield") < 0) return -1;
    ((pm_gen *)gen)->gi_frame_state = PM_FRAME_SUSPENDED;
    _pm_frame_unlink(h, pm_gen_frame(gen));
    return 0;
}

/* clear_gen_frame: the state first, then the frame (the code stays). */
static void clear_frame(pm_heap *h, pm_object *gen) {
    ((pm_gen *)gen)->gi_frame_state = PM_FRAME_CLEARED;
    pm_frame *f = pm_gen_frame(gen);
    f->previous = NULL;
    _pm_frame_clear_except_code(h, f);
}

int pm_gen_finish(pm_heap *h, pm_object *gen) {
    if (check_running(h, gen, "return from a generator") < 0) return -1;
    _pm_frame_unlink(h, pm_gen_frame(gen));
    clear_frame(h, gen);
    return 0;
}

int pm_gen_close(pm_heap *h, pm_object *gen) {
    if (bad_gen(h, gen) < 0) return -1;
    pm_gen *g = (pm_gen *)gen;
    switch (g->gi_frame_state) {
    case PM_FRAME_CREATED:
        g->gi_frame_state = PM_FRAME_COMPLETED;
        return 0;
    case PM_FRAME_EXECUTING:
        pm_err_set(h, PM_EXC_ValueError, "generator already executing");
        return -1;
    case PM_FRAME_SUSPENDED: {
        /* GeneratorExit unwinds the body: the exception table's handler
         * pops the value stack, then the frame returns and is cleared */
        pm_frame *f = pm_gen_frame(gen);
        while (pm_frame_stack_size(f) > 0) pm_decref(h, pm_frame_pop_value(h, f));
        clear_frame(h, gen);
        return 0;
    }
    default:
        return 0;
    }
}

/* _PyGen_Finalize */
static void gen_finalize(pm_heap *h, pm_object *o) {
    pm_gen *g = (pm_gen *)o;
    if (g->gi_frame_state >= PM_FRAME_COMPLETED) return;
    if (g->gi_frame_state == PM_FRAME_SUSPENDED && h->os->hooks.finalize) {
        pm_finalize_via_host(h, o);      /* the host runs gen.close() */
        return;
    }
    pm_gen_close(h, o);
}

static void gen_dealloc(pm_heap *h, pm_object *o) {
    pm_gen *g = (pm_gen *)o;
    pm_gc_untrack(h, o);
    if (g->gi_weakreflist) _pm_weakref_clear_refs(h, o);
    pm_gc_track(h, o);
    if (pm_object_call_finalizer_from_dealloc(h, o) < 0) return;   /* resurrected */
    pm_gc_untrack(h, o);
    pm_frame *f = pm_gen_frame(o);
    if (g->gi_frame_state < PM_FRAME_CLEARED) clear_frame(h, o);
    PM_CLEAR(h, f->f_code);
    PM_CLEAR(h, g->gi_name);
    PM_CLEAR(h, g->gi_qualname);
    PM_CLEAR(h, g->gi_exc_value);     /* _PyErr_ClearExcState */
    pm_object_free(h, o);
}

static int gen_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_gen *g = (pm_gen *)o;
    int r;
    if (g->gi_name && (r = visit(g->gi_name, arg))) return r;
    if (g->gi_qualname && (r = visit(g->gi_qualname, arg))) return r;
    if (g->gi_frame_state < PM_FRAME_CLEARED && (r = _pm_frame_traverse(pm_gen_frame(o), visit, arg))) return r;
    return g->gi_exc_value ? visit(g->gi_exc_value, arg) : 0;
}

static size_t gen_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    return pm_gen_model_size(((pm_gen *)o)->gi_nslots);
}

static int gen_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    return _pm_repr_named_at(h, sb, "<generator object ", ((pm_gen *)o)->gi_qualname, o);
}

pm_status _pm_gen_init(pm_heap *h) {
    pm_type *t = gen_type(h);
    _pm_type_init_static(h, t, PM_T_GENERATOR, "generator", PM_GEN_BASICSIZE, PM_GEN_ITEMSIZE, PM_TPFLAGS_HAVE_GC);
    t->tp_dealloc = gen_dealloc;
    t->tp_traverse = gen_traverse;
    t->tp_sizeof = gen_sizeof;
    t->tp_repr = gen_repr;
    t->tp_finalize = gen_finalize;
    t->tp_weaklistoffset = (int32_t)offsetof(pm_gen, gi_weakreflist);
    return PM_OK;
}
