/* frame.c — interpreter frames: the thread's data stack of frames, slot
 * access with strong references, and the clearing order.
 *
 * Mirrors CPython 3.12 Python/pystate.c (allocate_chunk, push_chunk,
 * _PyThreadState_PushFrame, _PyThreadState_PopFrame), Python/frame.c
 * (_PyFrame_Traverse, _PyFrame_Copy, _PyFrame_ClearExceptCode),
 * Python/ceval.c (_PyEvalFramePushAndInit, clear_thread_frame) and the
 * MAKE_CELL / COPY_FREE_VARS / STORE_FAST instructions of
 * Python/bytecodes.c.
 */
#include "frame.h"
#include "codeobject.h"
#include "funcobject.h"
#include "cellobject.h"

_Static_assert(offsetof(pm_frame, localsplus) <= PM_FRAME_HEADER_SIZE, "frame header must fit 9 model words");
_Static_assert(offsetof(pm_stack_chunk, data) <= PM_STACK_CHUNK_HEADER, "chunk header must fit 24 model bytes");
_Static_assert(sizeof(pm_object *) <= sizeof(uint64_t), "a host slot must fit an 8-byte model word");

static pm_framestack *fstack(pm_heap *h) { return h->os->frames; }

static pm_code *frame_code(const pm_frame *f) { return (pm_code *)f->f_code; }

pm_status _pm_frame_init(pm_heap *h) {
    /* the state lives in the heap's static area, like the objects' state */
    size_t need = (sizeof(pm_framestack) + 15) & ~(size_t)15;
    if (h->statics_used + need > PM_STATIC_BYTES) return PM_ENOMEM;
    pm_framestack *fs = (pm_framestack *)(h->statics + h->statics_used);
    h->statics_used += need;
    memset(fs, 0, sizeof *fs);
    h->os->frames = fs;
    return PM_OK;
}

void _pm_frame_fini(pm_heap *h) {
    pm_framestack *fs = fstack(h);
    if (!fs) return;
    while (fs->chunk) {
        pm_stack_chunk *c = fs->chunk;
        fs->chunk = c->previous;
        _pm_raw_free(h, c);
    }
    memset(fs, 0, sizeof *fs);
}

/* ---- The data stack ----------------------------------------------------------- */

static uint64_t *chunk_limit(pm_stack_chunk *c) {
    return c->data + (c->size - PM_STACK_CHUNK_HEADER) / sizeof(uint64_t);
}

/* push_chunk: a new chunk of 16 KiB, doubled until it holds the frame and
 * MINIMUM_OVERHEAD more words; the root chunk skips word 0. */
static uint64_t *push_chunk(pm_heap *h, pm_framestack *fs, size_t words) {
    size_t size = PM_STACK_CHUNK_SIZE;
    while (size < sizeof(uint64_t) * (words + PM_STACK_MIN_OVERHEAD)) size *= 2;
    pm_stack_chunk *c = _pm_raw_malloc(h, size);
    if (!c) {
        pm_err_set(h, PM_EXC_MemoryError, "no memory for a %zu-byte frame stack chunk", size);
        return NULL;
    }
    c->previous = fs->chunk;
    c->size = size;
    c->top = 0;
    if (fs->chunk) fs->chunk->top = (size_t)(fs->top - fs->chunk->data);
    fs->chunk = c;
    fs->nchunks++;
    fs->limit = chunk_limit(c);
    uint64_t *res = &c->data[c->previous == NULL];
    fs->top = res + words;
    return res;
}

/* _PyThreadState_PushFrame */
static uint64_t *push_space(pm_heap *h, pm_framestack *fs, size_t words) {
    if (fs->top && words < (size_t)(fs->limit - fs->top)) {
        uint64_t *res = fs->top;
        fs->top += words;
        return res;
    }
    return push_chunk(h, fs, words);
}

/* _PyThreadState_PopFrame: the frame's words go back; a chunk whose first
 * frame this was is released (never the root chunk: its word 0 is unused). */
static void pop_space(pm_heap *h, pm_framestack *fs, pm_frame *f) {
    uint64_t *base = (uint64_t *)f;
    pm_stack_chunk *c = fs->chunk;
    if (base == &c->data[0]) {
        pm_stack_chunk *prev = c->previous;
        fs->top = &prev->data[prev->top];
        fs->chunk = prev;
        fs->limit = chunk_limit(prev);
        fs->nchunks--;
        _pm_raw_free(h, c);
    } else {
        fs->top = base;
    }
}

void _pm_frame_link(pm_heap *h, pm_frame *f) {
    pm_framestack *fs = fstack(h);
    f->previous = fs->current;
    fs->current = f;
    fs->depth++;
}

void _pm_frame_unlink(pm_heap *h, pm_frame *f) {
    pm_framestack *fs = fstack(h);
    fs->current = f->previous;
    f->previous = NULL;
    fs->depth--;
}

pm_frame *pm_frame_current(pm_heap *h) { return fstack(h)->current; }
int64_t pm_frame_depth(pm_heap *h) { return fstack(h)->depth; }

int pm_frame_is_linked(pm_heap *h, const pm_frame *f) {
    for (const pm_frame *g = fstack(h)->current; g; g = g->previous)
        if (g == f) return 1;
    return 0;
}

/* ---- Push and pop ------------------------------------------------------------------ */

pm_frame *pm_frame_push(pm_heap *h, pm_object *func) {
    if (!func || !pm_function_check(h, func)) {
        pm_err_set(h, PM_EXC_TypeError, "a frame needs a function, got '%s'", func ? PM_TYPE(func)->tp_name : "NULL");
        return NULL;
    }
    pm_function *fn = (pm_function *)func;
    pm_code *c = (pm_code *)fn->func_code;
    pm_frame *f = (pm_frame *)push_space(h, fstack(h), (size_t)c->co_framesize);
    if (!f) return NULL;
    /* _PyFrame_Initialize */
    f->f_funcobj = pm_newref(func);
    f->f_code = pm_newref(fn->func_code);
    f->f_builtins = fn->func_builtins;
    f->f_globals = fn->func_globals;
    f->f_locals = NULL;
    f->stacktop = c->co_nlocalsplus;
    f->frame_obj = NULL;
    f->instr = 0;
    f->return_offset = 0;
    f->owner = PM_FRAME_OWNED_BY_THREAD;
    f->lineno = c->co_firstlineno;
    for (int32_t i = 0; i < c->co_nlocalsplus; i++) f->localsplus[i] = NULL;
    _pm_frame_link(h, f);
    return f;
}

/* ---- Mirror frames ------------------------------------------------------------------ */

pm_frame *pm_frame_push_mirror(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                               int32_t lineno) {
    if (!code || !pm_code_check(h, code)) {
        pm_err_set(h, PM_EXC_TypeError, "a mirror frame needs a code object, got '%s'",
                   code ? PM_TYPE(code)->tp_name : "NULL");
        return NULL;
    }
    /* the header only: a mirror has no slots (PM_FRAME_HEADER_SIZE model bytes) */
    pm_frame *f = (pm_frame *)push_space(h, fstack(h), PM_FRAME_HEADER_SIZE / sizeof(uint64_t));
    if (!f) return NULL;
    f->f_code = code;                /* borrowed, as are the two dicts */
    f->f_funcobj = NULL;
    f->f_globals = globals;
    f->f_builtins = builtins;
    f->f_locals = NULL;
    f->frame_obj = NULL;
    f->stacktop = 0;
    f->instr = 0;
    f->return_offset = 0;
    f->owner = PM_FRAME_HOST_MIRROR;
    f->lineno = lineno;
    _pm_frame_link(h, f);
    return f;
}

int pm_frame_pop_mirror(pm_heap *h, pm_frame *f) {
    if (!f || f != fstack(h)->current || f->owner != PM_FRAME_HOST_MIRROR) {
        pm_err_set(h, PM_EXC_RuntimeError, "pm_frame_pop_mirror: the frame is not the current mirror frame");
        return -1;
    }
    _pm_frame_unlink(h, f);
    pop_space(h, fstack(h), f);
    return 0;
}

static int check_top_thread_frame(pm_heap *h, pm_frame *f, const char *op) {
    if (f && f == fstack(h)->current && f->owner == PM_FRAME_OWNED_BY_THREAD) return 0;
    pm_err_set(h, PM_EXC_RuntimeError, "%s: the frame is not the current frame of a running function", op);
    return -1;
}

void _pm_frame_clear_except_code(pm_heap *h, pm_frame *f) {
    /* a slot is emptied before its value is released: a finalizer that
     * runs meanwhile sees the frame as CPython leaves it, minus what died */
    for (int32_t i = 0; i < f->stacktop; i++) {
        pm_object *v = f->localsplus[i];
        f->localsplus[i] = NULL;
        pm_xdecref(h, v);
    }
    PM_CLEAR(h, f->frame_obj);
    PM_CLEAR(h, f->f_locals);
    PM_CLEAR(h, f->f_funcobj);
}

int pm_frame_pop(pm_heap *h, pm_frame *f) {
    if (check_top_thread_frame(h, f, "pm_frame_pop") < 0) return -1;
    /* RETURN_VALUE: the caller becomes current first, then the dying frame
     * is cleared (clear_thread_frame) and its space popped */
    _pm_frame_unlink(h, f);
    _pm_frame_clear_except_code(h, f);
    PM_CLEAR(h, f->f_code);
    pop_space(h, fstack(h), f);
    return 0;
}

void _pm_frame_pop_moved(pm_heap *h, pm_frame *f) {
    _pm_frame_unlink(h, f);
    pop_space(h, fstack(h), f);
}

size_t _pm_frame_used_bytes(const pm_frame *f) {
    return offsetof(pm_frame, localsplus) + (size_t)f->stacktop * sizeof(pm_object *);
}

int _pm_frame_traverse(pm_frame *f, pm_visitproc visit, void *arg) {
    pm_object *heads[] = { f->frame_obj, f->f_locals, f->f_funcobj, f->f_code };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        if (!heads[i]) continue;
        int r = visit(heads[i], arg);
        if (r) return r;
    }
    for (int32_t i = 0; i < f->stacktop; i++) {
        if (!f->localsplus[i]) continue;
        int r = visit(f->localsplus[i], arg);
        if (r) return r;
    }
    return 0;
}

/* ---- Slots -------------------------------------------------------------------------- */

int32_t pm_frame_nlocalsplus(const pm_frame *f) { return frame_code(f)->co_nlocalsplus; }
int32_t pm_frame_stack_size(const pm_frame *f) { return f->stacktop - frame_code(f)->co_nlocalsplus; }

static int check_local(pm_heap *h, const pm_frame *f, int32_t i) {
    if (!f || !f->f_code) {
        pm_err_set(h, PM_EXC_RuntimeError, "the frame has been cleared");
        return -1;
    }
    int32_t n = frame_code(f)->co_nlocalsplus;
    if (i >= 0 && i < n) return 0;
    pm_err_set(h, PM_EXC_IndexError, "frame slot %d out of range (the frame has %d local slots)", (int)i, (int)n);
    return -1;
}

pm_object *pm_frame_get_local(pm_heap *h, pm_frame *f, int32_t i) {
    return check_local(h, f, i) < 0 ? NULL : f->localsplus[i];
}

int pm_frame_set_local_steal(pm_heap *h, pm_frame *f, int32_t i, pm_object *v) {
    if (check_local(h, f, i) < 0) {
        pm_xdecref(h, v);
        return -1;
    }
    pm_object *old = f->localsplus[i];     /* SETLOCAL: store, then release the old value */
    f->localsplus[i] = v;
    pm_xdecref(h, old);
    return 0;
}

int pm_frame_set_local(pm_heap *h, pm_frame *f, int32_t i, pm_object *v) {
    pm_xincref(v);
    return pm_frame_set_local_steal(h, f, i, v);
}

int pm_frame_push_value_steal(pm_heap *h, pm_frame *f, pm_object *v) {
    if (!f || !f->f_code || !v) {
        pm_err_set(h, PM_EXC_RuntimeError, !v ? "cannot push NULL on a value stack" : "the frame has been cleared");
        pm_xdecref(h, v);
        return -1;
    }
    pm_code *c = frame_code(f);
    if (f->stacktop >= c->co_nlocalsplus + c->co_stacksize) {
        pm_err_set(h, PM_EXC_RuntimeError, "value stack overflow (co_stacksize is %d)", (int)c->co_stacksize);
        pm_decref(h, v);
        return -1;
    }
    f->localsplus[f->stacktop++] = v;
    return 0;
}

int pm_frame_push_value(pm_heap *h, pm_frame *f, pm_object *v) {
    pm_xincref(v);
    return pm_frame_push_value_steal(h, f, v);
}

/* The slot `depth` below the top, or NULL + RuntimeError. */
static pm_object **stack_slot(pm_heap *h, pm_frame *f, int32_t depth, const char *op) {
    if (!f || !f->f_code) {
        pm_err_set(h, PM_EXC_RuntimeError, "the frame has been cleared");
        return NULL;
    }
    int32_t n = pm_frame_stack_size(f);
    if (depth < 0 || depth >= n) {
        pm_err_set(h, PM_EXC_RuntimeError, n == 0 ? "%s from an empty value stack" : "%s below the bottom of the value stack",
                   op);
        return NULL;
    }
    return &f->localsplus[f->stacktop - 1 - depth];
}

pm_object *pm_frame_pop_value(pm_heap *h, pm_frame *f) {
    pm_object **slot = stack_slot(h, f, 0, "pop");
    if (!slot) return NULL;
    pm_object *v = *slot;
    *slot = NULL;
    f->stacktop--;
    return v;
}

pm_object *pm_frame_peek_value(pm_heap *h, pm_frame *f, int32_t depth) {
    pm_object **slot = stack_slot(h, f, depth, "peek");
    return slot ? *slot : NULL;
}

int pm_frame_set_f_locals(pm_heap *h, pm_frame *f, pm_object *locals) {
    if (!f || !f->f_code) {
        pm_err_set(h, PM_EXC_RuntimeError, "the frame has been cleared");
        return -1;
    }
    pm_object *old = f->f_locals;
    f->f_locals = locals ? pm_newref(locals) : NULL;
    pm_xdecref(h, old);
    return 0;
}

int pm_frame_make_cell(pm_heap *h, pm_frame *f, int32_t i) {
    if (check_local(h, f, i) < 0) return -1;
    pm_object *cell = pm_cell_new(h, f->localsplus[i]);
    if (!cell) return -1;
    return pm_frame_set_local_steal(h, f, i, cell);
}

int pm_frame_copy_free_vars(pm_heap *h, pm_frame *f) {
    if (!f || !f->f_code || !f->f_funcobj) {
        pm_err_set(h, PM_EXC_RuntimeError, "the frame has been cleared");
        return -1;
    }
    pm_code *c = frame_code(f);
    pm_object *closure = ((pm_function *)f->f_funcobj)->func_closure;
    int64_t n = closure ? PM_SIZE(closure) : 0;
    if (n != c->co_nfreevars) {
        pm_err_set(h, PM_EXC_RuntimeError, "the function's closure has %lld cells, the code %d free variables",
                   (long long)n, (int)c->co_nfreevars);
        return -1;
    }
    int32_t offset = c->co_nlocalsplus - c->co_nfreevars;
    for (int32_t i = 0; i < c->co_nfreevars; i++)
        pm_frame_set_local(h, f, offset + i, PM_TUPLE_GET(closure, i));
    return 0;
}
