/* callapi.c — the wasm boundary for code objects, functions, cells, bound
 * methods, frames and generators: what the interpreter (web/interp) calls
 * to run Python functions with real references.
 *
 * Conventions are objapi.c's (see there): every export checks the heap
 * handle, then each object handle (pmw_obj / pmw_obj_of, O(1)); functions
 * returning an object return a NEW reference or 0 with the reason in
 * pmw_last_status (PM_EPYTHON with pmw_exc_kind / pmw_exc_msg for a Python
 * exception); int32 results are >= 0 or a status (< 0).
 *
 * Frame handles are the frames' addresses. A frame handle is valid when it
 * is linked in the current frame chain (the running functions and the
 * running generators, found by walking from the current frame: the top
 * frame, the usual case, is the first one looked at) or when it is the
 * embedded frame of a live generator that has not finished (the generator
 * handle behind it is validated like any object). Anything else is
 * PM_EBADPTR, never a write through a wild pointer.
 *
 * Optional object arguments are 0 for "none".
 */
#include "pm.h"
#include "../internal.h"
#include "../object.h"
#include "../codeobject.h"
#include "../funcobject.h"
#include "../cellobject.h"
#include "../classobject.h"
#include "../genobject.h"
#include "../frame.h"
#include "api.h"

#define H_OR(ret) pm_heap *h = pmw_enter(hp); if (!h) return (ret)

static uint32_t handle(const void *p) { return (uint32_t)(uintptr_t)p; }

/* An optional object handle: 0 gives NULL (ok = 1); else the validated object. */
static pm_object *opt(pm_heap *h, uint32_t p, int *ok) {
    if (!p) return NULL;
    pm_object *o = pmw_obj(h, p);
    if (!o) *ok = 0;
    return o;
}

/* A new reference to o, None for NULL. */
static uint32_t ref_or_none(pm_heap *h, pm_object *o) {
    return pmw_finish_obj(h, pm_newref(o ? o : PM_NONE(h)));
}

static pm_frame *frame_of(pm_heap *h, uint32_t fp, const char *op) {
    pm_frame *f = (pm_frame *)(uintptr_t)fp;
    if (fp && !(fp & 3)) {
        if (pm_frame_is_linked(h, f)) return f;
        uint32_t off = (uint32_t)offsetof(pm_gen, gi_iframe);
        if (fp > off) {
            pm_object *g = pmw_obj(h, fp - off);
            if (g && pm_gen_check(h, g) && pm_gen_state(g) < PM_FRAME_COMPLETED) return f;
        }
    }
    _pm_set_status(h, PM_EBADPTR, "%s: %p is not a live frame", op, (void *)f);
    return NULL;
}

/* ---- Code objects ------------------------------------------------------------------ */

/* PyUnstable_Code_New without bytecode (codeobject.h): ncodeunits sets
 * getsizeof(code); body_id is the interpreter's key to the body. */
EXPORT uint32_t pmw_code_new(uint32_t hp, uint32_t consts, uint32_t names, uint32_t lpnames, uint32_t lpkinds,
                             uint32_t filename, uint32_t name, uint32_t qualname, int32_t argcount,
                             int32_t posonlyargcount, int32_t kwonlyargcount, int32_t stacksize,
                             int32_t firstlineno, int32_t flags, uint32_t ncodeunits, uint32_t body_id) {
    H_OR(0);
    uint32_t hs[] = { consts, names, lpnames, lpkinds, filename, name, qualname };
    pm_object *o[7];
    for (int i = 0; i < 7; i++)
        if (!(o[i] = pmw_obj(h, hs[i]))) return 0;
    pm_code_spec s = {
        .consts = o[0], .names = o[1], .localsplusnames = o[2], .localspluskinds = o[3], .filename = o[4],
        .name = o[5], .qualname = o[6], .flags = flags, .argcount = argcount,
        .posonlyargcount = posonlyargcount, .kwonlyargcount = kwonlyargcount, .stacksize = stacksize,
        .firstlineno = firstlineno, .ncodeunits = ncodeunits, .body_id = body_id,
    };
    return pmw_finish_obj(h, pm_code_new(h, &s));
}

/* Integer fields: 0 co_flags, 1 co_argcount, 2 co_posonlyargcount,
 * 3 co_kwonlyargcount, 4 co_stacksize, 5 co_firstlineno, 6 co_nlocalsplus,
 * 7 co_framesize, 8 co_nlocals, 9 co_ncellvars, 10 co_nfreevars,
 * 11 body_id, 12 code units. */
EXPORT int32_t pmw_code_info(uint32_t hp, uint32_t cp, int32_t which) {
    H_OR(PM_EDEAD);
    pm_object *o = pmw_obj_of(h, cp, PM_T_CODE, "code info");
    if (!o) return pm_heap_last_status(h);
    pm_code *c = (pm_code *)o;
    int64_t v[] = { c->co_flags, c->co_argcount, c->co_posonlyargcount, c->co_kwonlyargcount, c->co_stacksize,
                    c->co_firstlineno, c->co_nlocalsplus, c->co_framesize, c->co_nlocals, c->co_ncellvars,
                    c->co_nfreevars, c->co_body_id, PM_SIZE(o) };
    if (which < 0 || which >= (int32_t)(sizeof v / sizeof v[0])) {
        _pm_set_status(h, PM_EINVAL, "code info: no field %d", (int)which);
        return PM_EINVAL;
    }
    return pmw_finish(h, v[which], 0);
}

/* Object fields (new references): 0 co_consts, 1 co_names,
 * 2 co_localsplusnames, 3 co_localspluskinds, 4 co_filename, 5 co_name,
 * 6 co_qualname, 7 co_varnames, 8 co_cellvars, 9 co_freevars (7-9 are
 * built and cached on first use, as in 3.12). */
EXPORT uint32_t pmw_code_get(uint32_t hp, uint32_t cp, int32_t which) {
    H_OR(0);
    pm_object *o = pmw_obj_of(h, cp, PM_T_CODE, "code attribute");
    if (!o) return 0;
    pm_code *c = (pm_code *)o;
    switch (which) {
    case 7: return pmw_finish_obj(h, pm_code_varnames(h, o));
    case 8: return pmw_finish_obj(h, pm_code_cellvars(h, o));
    case 9: return pmw_finish_obj(h, pm_code_freevars(h, o));
    default: break;
    }
    pm_object *v[] = { c->co_consts, c->co_names, c->co_localsplusnames, c->co_localspluskinds, c->co_filename,
                       c->co_name, c->co_qualname };
    if (which < 0 || which >= (int32_t)(sizeof v / sizeof v[0])) {
        _pm_set_status(h, PM_EINVAL, "code attribute: no field %d", (int)which);
        return 0;
    }
    return ref_or_none(h, v[which]);
}

/* ---- Functions ---------------------------------------------------------------------- */

/* MAKE_FUNCTION (funcobject.h): builtins, defaults, kwdefaults, annotations
 * and closure are optional (0). */
EXPORT uint32_t pmw_func_new(uint32_t hp, uint32_t cp, uint32_t gp, uint32_t bp, uint32_t dp, uint32_t kp,
                             uint32_t ap, uint32_t clp) {
    H_OR(0);
    int ok = 1;
    pm_object *code = pmw_obj(h, cp), *globals = code ? pmw_obj(h, gp) : NULL;
    if (!globals) return 0;
    pm_object *b = opt(h, bp, &ok), *d = opt(h, dp, &ok), *k = opt(h, kp, &ok), *a = opt(h, ap, &ok),
              *cl = opt(h, clp, &ok);
    if (!ok) return 0;
    return pmw_finish_obj(h, pm_function_make(h, code, globals, b, d, k, a, cl));
}

/* Fields (new references, None for unset): 0 __code__, 1 __globals__,
 * 2 __builtins__, 3 __name__, 4 __qualname__, 5 __defaults__,
 * 6 __kwdefaults__, 7 __closure__, 8 __doc__, 9 __dict__ (created on first
 * use), 10 __module__, 11 __annotations__ (as stored: a tuple or a dict). */
EXPORT uint32_t pmw_func_get(uint32_t hp, uint32_t fp, int32_t which) {
    H_OR(0);
    pm_object *o = pmw_obj_of(h, fp, PM_T_FUNCTION, "function attribute");
    if (!o) return 0;
    pm_function *f = (pm_function *)o;
    if (which == 9) return pmw_finish_obj(h, pm_function_get_dict(h, o));
    pm_object *v[] = { f->func_code, f->func_globals, f->func_builtins, f->func_name, f->func_qualname,
                       f->func_defaults, f->func_kwdefaults, f->func_closure, f->func_doc, NULL, f->func_module,
                       f->func_annotations };
    if (which < 0 || which >= (int32_t)(sizeof v / sizeof v[0])) {
        _pm_set_status(h, PM_EINVAL, "function attribute: no field %d", (int)which);
        return 0;
    }
    return ref_or_none(h, v[which]);
}

/* Setters for the fields 5 __defaults__, 6 __kwdefaults__, 8 __doc__,
 * 11 __annotations__ (value 0 or None clears). */
EXPORT int32_t pmw_func_set(uint32_t hp, uint32_t fp, int32_t which, uint32_t vp) {
    H_OR(PM_EDEAD);
    int ok = 1;
    pm_object *o = pmw_obj_of(h, fp, PM_T_FUNCTION, "function attribute"), *v = o ? opt(h, vp, &ok) : NULL;
    if (!o || !ok) return pm_heap_last_status(h);
    int r;
    switch (which) {
    case 5: r = pm_function_set_defaults(h, o, v); break;
    case 6: r = pm_function_set_kwdefaults(h, o, v); break;
    case 8: r = pm_function_set_doc(h, o, v); break;
    case 11: r = pm_function_set_annotations(h, o, v); break;
    default:
        _pm_set_status(h, PM_EINVAL, "function attribute: field %d cannot be set", (int)which);
        return PM_EINVAL;
    }
    return pmw_finish(h, r, 1);
}

/* function.__get__(obj): the function itself for obj 0 or None, else a bound method. */
EXPORT uint32_t pmw_func_bind(uint32_t hp, uint32_t fp, uint32_t op) {
    H_OR(0);
    int ok = 1;
    pm_object *f = pmw_obj_of(h, fp, PM_T_FUNCTION, "function.__get__"), *o = f ? opt(h, op, &ok) : NULL;
    if (!f || !ok) return 0;
    return pmw_finish_obj(h, pm_function_descr_get(h, f, o, NULL));
}

/* ---- Cells and bound methods ------------------------------------------------------------- */

EXPORT uint32_t pmw_cell_new(uint32_t hp, uint32_t vp) {
    H_OR(0);
    int ok = 1;
    pm_object *v = opt(h, vp, &ok);
    if (!ok) return 0;
    return pmw_finish_obj(h, pm_cell_new(h, v));
}

/* cell.cell_contents: new reference, or 0 + ValueError "Cell is empty". */
EXPORT uint32_t pmw_cell_get(uint32_t hp, uint32_t cp) {
    H_OR(0);
    pm_object *c = pmw_obj_of(h, cp, PM_T_CELL, "cell_contents");
    if (!c) return 0;
    return pmw_finish_obj(h, pm_cell_get(h, c));
}

/* cell.cell_contents = v (0 empties the cell). */
EXPORT int32_t pmw_cell_set(uint32_t hp, uint32_t cp, uint32_t vp) {
    H_OR(PM_EDEAD);
    int ok = 1;
    pm_object *c = pmw_obj_of(h, cp, PM_T_CELL, "cell_contents"), *v = c ? opt(h, vp, &ok) : NULL;
    if (!c || !ok) return pm_heap_last_status(h);
    return pmw_finish(h, pm_cell_set(h, c, v), 1);
}

/* PyMethod_New(func, self): the caller knows func is callable. */
EXPORT uint32_t pmw_method_new(uint32_t hp, uint32_t fp, uint32_t sp) {
    H_OR(0);
    pm_object *f = pmw_obj(h, fp), *s = f ? pmw_obj(h, sp) : NULL;
    if (!s) return 0;
    return pmw_finish_obj(h, pm_method_type_new(h, f, s, 1));
}

/* 0 __func__, 1 __self__ (new references). */
EXPORT uint32_t pmw_method_get(uint32_t hp, uint32_t mp, int32_t which) {
    H_OR(0);
    pm_object *m = pmw_obj_of(h, mp, PM_T_METHOD, "method attribute");
    if (!m) return 0;
    if (which != 0 && which != 1) {
        _pm_set_status(h, PM_EINVAL, "method attribute: no field %d", (int)which);
        return 0;
    }
    return ref_or_none(h, which == 0 ? PM_METHOD_FUNC(m) : PM_METHOD_SELF(m));
}

/* ---- Frames ---------------------------------------------------------------------------- */

/* A new frame for func on top of the frame stack (frame.h); its address. */
EXPORT uint32_t pmw_frame_push(uint32_t hp, uint32_t fp) {
    H_OR(0);
    pm_object *f = pmw_obj_of(h, fp, PM_T_FUNCTION, "frame push");
    if (!f) return 0;
    pm_frame *fr = pm_frame_push(h, f);
    if (!fr) {
        pmw_finish(h, -1, 0);
        return 0;
    }
    pmw_finish(h, 0, 1);
    return handle(fr);
}

/* Pops the current thread frame, releasing its slots in CPython's order. */
EXPORT int32_t pmw_frame_pop(uint32_t hp, uint32_t frp) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "frame pop");
    if (!f) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_pop(h, f), 1);
}

EXPORT uint32_t pmw_frame_current(uint32_t hp) {
    H_OR(0);
    pmw_finish(h, 0, 0);
    return handle(pm_frame_current(h));
}

EXPORT int32_t pmw_frame_depth(uint32_t hp) {
    H_OR(PM_EDEAD);
    return pmw_finish(h, pm_frame_depth(h), 0);
}

/* 0 co_nlocalsplus, 1 values on the value stack, 2 owner (0 thread,
 * 1 generator), 3 instr (the host's position), 4 the previous frame's
 * address (0: none). */
EXPORT int32_t pmw_frame_info(uint32_t hp, uint32_t frp, int32_t which) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "frame info");
    if (!f) return pm_heap_last_status(h);
    int64_t v[] = { pm_frame_nlocalsplus(f), pm_frame_stack_size(f), f->owner, f->instr, handle(f->previous) };
    if (which < 0 || which >= (int32_t)(sizeof v / sizeof v[0])) {
        _pm_set_status(h, PM_EINVAL, "frame info: no field %d", (int)which);
        return PM_EINVAL;
    }
    return pmw_finish(h, v[which], 0);
}

EXPORT int32_t pmw_frame_set_instr(uint32_t hp, uint32_t frp, uint32_t instr) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "frame position");
    if (!f) return pm_heap_last_status(h);
    f->instr = instr;
    return pmw_finish(h, 0, 0);
}

/* 0 f_code, 1 the function, 2 f_globals, 3 f_builtins, 4 f_locals (new
 * references; None when unset). */
EXPORT uint32_t pmw_frame_obj(uint32_t hp, uint32_t frp, int32_t which) {
    H_OR(0);
    pm_frame *f = frame_of(h, frp, "frame attribute");
    if (!f) return 0;
    pm_object *v[] = { f->f_code, f->f_funcobj, f->f_globals, f->f_builtins, f->f_locals };
    if (which < 0 || which >= 5) {
        _pm_set_status(h, PM_EINVAL, "frame attribute: no field %d", (int)which);
        return 0;
    }
    return ref_or_none(h, v[which]);
}

/* f_locals = v (0 clears): a module or class body's locals mapping. */
EXPORT int32_t pmw_frame_set_locals(uint32_t hp, uint32_t frp, uint32_t vp) {
    H_OR(PM_EDEAD);
    int ok = 1;
    pm_frame *f = frame_of(h, frp, "frame locals");
    pm_object *v = f ? opt(h, vp, &ok) : NULL;
    if (!f || !ok) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_set_f_locals(h, f, v), 1);
}

/* Local slot i: a new reference; 0 with status PM_OK when unbound, 0 with
 * PM_EPYTHON (IndexError) when i is out of range. */
EXPORT uint32_t pmw_frame_get(uint32_t hp, uint32_t frp, int32_t i) {
    H_OR(0);
    pm_frame *f = frame_of(h, frp, "frame slot");
    if (!f) return 0;
    pm_object *v = pm_frame_get_local(h, f, i);
    if (!v) {
        pmw_finish(h, pm_err_occurred(h) ? -1 : 0, 0);
        return 0;
    }
    return pmw_finish_obj(h, pm_newref(v));
}

/* STORE_FAST / DELETE_FAST (v 0). */
EXPORT int32_t pmw_frame_set(uint32_t hp, uint32_t frp, int32_t i, uint32_t vp) {
    H_OR(PM_EDEAD);
    int ok = 1;
    pm_frame *f = frame_of(h, frp, "frame slot");
    pm_object *v = f ? opt(h, vp, &ok) : NULL;
    if (!f || !ok) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_set_local(h, f, i, v), 1);
}

EXPORT int32_t pmw_frame_push_value(uint32_t hp, uint32_t frp, uint32_t vp) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "value stack push");
    pm_object *v = f ? pmw_obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_push_value(h, f, v), 1);
}

/* The top value: the stack's reference moves to the caller. */
EXPORT uint32_t pmw_frame_pop_value(uint32_t hp, uint32_t frp) {
    H_OR(0);
    pm_frame *f = frame_of(h, frp, "value stack pop");
    if (!f) return 0;
    return pmw_finish_obj(h, pm_frame_pop_value(h, f));
}

/* The value `depth` below the top (0 = top): a new reference. */
EXPORT uint32_t pmw_frame_peek(uint32_t hp, uint32_t frp, int32_t depth) {
    H_OR(0);
    pm_frame *f = frame_of(h, frp, "value stack peek");
    if (!f) return 0;
    pm_object *v = pm_frame_peek_value(h, f, depth);
    return pmw_finish_obj(h, v ? pm_newref(v) : NULL);
}

EXPORT int32_t pmw_frame_make_cell(uint32_t hp, uint32_t frp, int32_t i) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "MAKE_CELL");
    if (!f) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_make_cell(h, f, i), 1);
}

EXPORT int32_t pmw_frame_copy_free_vars(uint32_t hp, uint32_t frp) {
    H_OR(PM_EDEAD);
    pm_frame *f = frame_of(h, frp, "COPY_FREE_VARS");
    if (!f) return pm_heap_last_status(h);
    return pmw_finish(h, pm_frame_copy_free_vars(h, f), 1);
}

/* ---- Generators --------------------------------------------------------------------------- */

/* RETURN_GENERATOR on the current frame: the new generator. */
EXPORT uint32_t pmw_gen_from_frame(uint32_t hp, uint32_t frp) {
    H_OR(0);
    pm_frame *f = frame_of(h, frp, "RETURN_GENERATOR");
    if (!f) return 0;
    return pmw_finish_obj(h, pm_gen_from_frame(h, f));
}

static pm_object *gen_arg(pm_heap *h, uint32_t gp, const char *op) { return pmw_obj_of(h, gp, PM_T_GENERATOR, op); }

/* One step of a generator's life (genobject.h) on a validated handle. */
static int32_t gen_step(uint32_t hp, uint32_t gp, const char *op, int (*step)(pm_heap *, pm_object *)) {
    H_OR(PM_EDEAD);
    pm_object *g = gen_arg(h, gp, op);
    if (!g) return pm_heap_last_status(h);
    return pmw_finish(h, step(h, g), 1);
}

/* 0: running (the frame is current), 1: exhausted (raise StopIteration), or a status. */
EXPORT int32_t pmw_gen_resume(uint32_t hp, uint32_t gp) { return gen_step(hp, gp, "generator resume", pm_gen_resume); }
/* gen.send(v) / next(gen) (v 0): resume and push the value (genobject.h pm_gen_send). */
EXPORT int32_t pmw_gen_send(uint32_t hp, uint32_t gp, uint32_t vp) {
    H_OR(PM_EDEAD);
    int ok = 1;
    pm_object *g = gen_arg(h, gp, "generator send"), *v = g ? opt(h, vp, &ok) : NULL;
    if (!g || !ok) return pm_heap_last_status(h);
    return pmw_finish(h, pm_gen_send(h, g, v), 1);
}
/* YIELD_VALUE */
EXPORT int32_t pmw_gen_suspend(uint32_t hp, uint32_t gp) { return gen_step(hp, gp, "yield", pm_gen_suspend); }
/* the body returned or raised */
EXPORT int32_t pmw_gen_finish(uint32_t hp, uint32_t gp) { return gen_step(hp, gp, "generator return", pm_gen_finish); }
/* gen.close() with no Python code to run (genobject.h) */
EXPORT int32_t pmw_gen_close(uint32_t hp, uint32_t gp) { return gen_step(hp, gp, "generator close", pm_gen_close); }

/* gi_frame_state + 2: 0 created, 1 suspended, 2 executing, 3 completed, 6 cleared. */
EXPORT int32_t pmw_gen_state(uint32_t hp, uint32_t gp) {
    H_OR(PM_EDEAD);
    pm_object *g = gen_arg(h, gp, "generator state");
    if (!g) return pm_heap_last_status(h);
    return pmw_finish(h, pm_gen_state(g) - PM_FRAME_CREATED, 0);
}

/* The generator's frame address while it has one (gi_frame is not None), else 0. */
EXPORT uint32_t pmw_gen_frame(uint32_t hp, uint32_t gp) {
    H_OR(0);
    pm_object *g = gen_arg(h, gp, "gi_frame");
    if (!g) return 0;
    pmw_finish(h, 0, 0);
    return pm_gen_state(g) < PM_FRAME_COMPLETED ? handle(pm_gen_frame(g)) : 0;
}

/* 0 __name__, 1 __qualname__, 2 gi_code (new references). */
EXPORT uint32_t pmw_gen_get(uint32_t hp, uint32_t gp, int32_t which) {
    H_OR(0);
    pm_object *g = gen_arg(h, gp, "generator attribute");
    if (!g) return 0;
    pm_gen *gg = (pm_gen *)g;
    pm_object *v[] = { gg->gi_name, gg->gi_qualname, pm_gen_frame(g)->f_code };
    if (which < 0 || which >= 3) {
        _pm_set_status(h, PM_EINVAL, "generator attribute: no field %d", (int)which);
        return 0;
    }
    return ref_or_none(h, v[which]);
}
