/* frame.h — interpreter frames and the thread's frame stack (CPython 3.12
 * Include/internal/pycore_frame.h, Python/frame.c, Python/pystate.c's data
 * stack, Python/ceval.c's frame push/pop).
 *
 * A frame (_PyInterpreterFrame) is not an object: it is a record in the
 * thread's data stack, or embedded in a generator. Its slots are strong
 * references:
 *
 *   localsplus[0 .. co_nlocalsplus)        fast locals, then cells, then free
 *                                          variables (NULL = unbound)
 *   localsplus[co_nlocalsplus .. stacktop) the value stack, bottom first
 *
 * plus f_code and f_funcobj (strong), f_globals and f_builtins (borrowed
 * from the function), f_locals (strong, NULL for function frames).
 *
 * Model layout: a 72-byte header (FRAME_SPECIALS_SIZE = 9 words) followed
 * by nlocalsplus + stacksize 8-byte slots: co_framesize words in all. The
 * host struct (4-byte pointers on wasm32) fits in that space.
 *
 * The data stack (3.12 _PyThreadState_PushFrame / push_chunk /
 * _PyThreadState_PopFrame): frames are carved from chunks of 16 KiB (or
 * the next power of two holding the frame plus 1000 words), chained
 * newest first. CPython gets the chunks from _PyObject_VirtualAlloc — mmap,
 * not pymalloc and not a traced domain — so they never show in
 * _debugmallocstats or tracemalloc; here they come from the raw
 * allocator's bookkeeping memory (not a domain block either). The first
 * chunk is kept for the life of the heap (its word 0 is skipped, so no
 * frame ever starts there), later chunks are released when their first
 * frame is popped. A chunk's 24-byte model header is previous, size, top.
 *
 * Frames of running functions are external references for the collector
 * (they are no object, nothing traverses them), as in CPython. Frames of
 * generators are traversed through their generator (genobject.c).
 *
 * The current frame (cframe->current_frame): the top thread frame, or a
 * generator frame while the generator runs; each linked frame points at
 * the one below it through `previous`.
 */
#ifndef PM_FRAME_H
#define PM_FRAME_H

#include "object.h"

enum {
    PM_FRAME_OWNED_BY_THREAD = 0,
    PM_FRAME_OWNED_BY_GENERATOR = 1,
    PM_FRAME_HOST_MIRROR = 2,   /* a mirror of a host interpreter frame (below) */
};

typedef struct pm_frame {
    pm_object *f_code;          /* strong */
    struct pm_frame *previous;  /* the frame below while linked, else NULL */
    pm_object *f_funcobj;       /* strong */
    pm_object *f_globals;       /* borrowed from the function */
    pm_object *f_builtins;      /* borrowed from the function */
    pm_object *f_locals;        /* strong, NULL for function frames */
    pm_object *frame_obj;       /* no frame objects in the model: always NULL */
    uint32_t instr;             /* host: the interpreter's position in the body (prev_instr) */
    int32_t stacktop;           /* index of the first free slot of the value stack */
    uint16_t return_offset;
    uint8_t owner;              /* PM_FRAME_OWNED_BY_* */
    int32_t lineno;             /* host: the current line (what PyUnstable_InterpreterFrame_GetLine
                                 * computes from prev_instr), set by the interpreter; read by tracemalloc */
    pm_object *localsplus[];
} pm_frame;

#define PM_FRAME_HEADER_SIZE 72u    /* model bytes: FRAME_SPECIALS_SIZE words */
#define PM_STACK_CHUNK_SIZE (16u << 10)   /* DATA_STACK_CHUNK_SIZE */
#define PM_STACK_CHUNK_HEADER 24u   /* model sizeof(_PyStackChunk) minus data[] */
#define PM_STACK_MIN_OVERHEAD 1000u /* MINIMUM_OVERHEAD words */

typedef struct pm_stack_chunk {
    struct pm_stack_chunk *previous;
    size_t size;                /* model bytes of the chunk */
    size_t top;                 /* word index of the top, saved when a newer chunk is pushed */
    uint64_t data[];            /* model words */
} pm_stack_chunk;

/* Per-heap frame stack state (h->os->frames). */
typedef struct pm_framestack {
    pm_stack_chunk *chunk;      /* newest chunk, NULL before the first push */
    uint64_t *top, *limit;      /* datastack_top / datastack_limit */
    pm_frame *current;          /* cframe->current_frame */
    int64_t depth;              /* frames linked below and including current */
    int64_t nchunks;
} pm_framestack;

/* ---- Frames of running functions -------------------------------------------- */

/* _PyEvalFramePushAndInit without the arguments: a frame for func (a
 * function) on top of the frame stack, holding new references to the
 * function and its code; every local unbound, the value stack empty.
 * NULL + MemoryError when no chunk could be allocated, TypeError when
 * func is no function. */
pm_frame *pm_frame_push(pm_heap *h, pm_object *func);
/* clear_thread_frame + _PyThreadState_PopFrame: f must be the current
 * frame and owned by the thread (RuntimeError otherwise, nothing
 * changed). Releases localsplus[0 .. stacktop) in index order (locals,
 * cells, free variables, then the value stack bottom first), f_locals,
 * the function, then the code (_PyFrame_ClearExceptCode order). */
int pm_frame_pop(pm_heap *h, pm_frame *f);
pm_frame *pm_frame_current(pm_heap *h);    /* NULL when nothing runs */
int64_t pm_frame_depth(pm_heap *h);
/* 1 if f is linked in the current chain (current, its previous, ...). */
int pm_frame_is_linked(pm_heap *h, const pm_frame *f);
/* The interpreter calls this at each new line of f (the line tracemalloc
 * records for allocations made while f is current). A new frame starts at
 * its code's co_firstlineno. */
static inline void pm_frame_set_lineno(pm_frame *f, int32_t lineno) { f->lineno = lineno; }

/* ---- Mirror frames (the JavaScript VM's frames, for tracemalloc) ------------------ */

/* The interpreter (web/interp/vm.js) keeps its frames in JavaScript. While
 * tracemalloc is tracing it mirrors each running frame here so that
 * tracemalloc's tracebacks (co_filename + line of every frame, as
 * traceback_get_frames walks them) see them. A mirror frame holds NO
 * references: f_code, f_globals and f_builtins are borrowed from the host
 * frame, which keeps them alive while it runs; it has no slots and no
 * function (f_funcobj NULL), so mirroring changes no reference count.
 * It starts at `lineno`. MemoryError if no chunk could be allocated,
 * TypeError if code is no code object. */
pm_frame *pm_frame_push_mirror(pm_heap *h, pm_object *code, pm_object *globals, pm_object *builtins,
                               int32_t lineno);
/* Pops the mirror frame f, which must be the current frame (RuntimeError
 * otherwise, nothing changed). Releases nothing. */
int pm_frame_pop_mirror(pm_heap *h, pm_frame *f);

/* ---- Slots (any frame: a thread's or a generator's) -------------------------------- */

int32_t pm_frame_nlocalsplus(const pm_frame *f);
int32_t pm_frame_stack_size(const pm_frame *f);     /* values on the value stack */
/* localsplus[i] for 0 <= i < co_nlocalsplus: borrowed, NULL when unbound
 * (no exception). Out of range: NULL + IndexError. */
pm_object *pm_frame_get_local(pm_heap *h, pm_frame *f, int32_t i);
/* STORE_FAST / DELETE_FAST: stores a new reference to v (NULL unbinds),
 * then releases the old value. IndexError out of range. The _steal form
 * takes the caller's reference to v (also on failure): how an argument
 * moves into the callee's parameter slot. */
int pm_frame_set_local(pm_heap *h, pm_frame *f, int32_t i, pm_object *v);
int pm_frame_set_local_steal(pm_heap *h, pm_frame *f, int32_t i, pm_object *v);
/* Value stack: push takes a new reference (the _steal form takes the
 * caller's); pop hands the slot's reference to the caller; peek(depth)
 * is borrowed, depth 0 = top. Overflow past co_stacksize and popping or
 * peeking an empty stack: NULL/-1 + RuntimeError, the frame unchanged. */
int pm_frame_push_value(pm_heap *h, pm_frame *f, pm_object *v);
int pm_frame_push_value_steal(pm_heap *h, pm_frame *f, pm_object *v);
pm_object *pm_frame_pop_value(pm_heap *h, pm_frame *f);
pm_object *pm_frame_peek_value(pm_heap *h, pm_frame *f, int32_t depth);
/* f_locals (strong): the locals mapping of frames that have one — a
 * module or class body (PyEval_EvalCode passes the globals as the module
 * frame's locals, one more reference to the globals dict). NULL clears.
 * The old value is released after the new one is stored. */
int pm_frame_set_f_locals(pm_heap *h, pm_frame *f, pm_object *locals);
/* MAKE_CELL i: slot i (a cell slot) gets a new cell holding its old value. */
int pm_frame_make_cell(pm_heap *h, pm_frame *f, int32_t i);
/* COPY_FREE_VARS: the function's closure cells into the last
 * co_nfreevars local slots (new references). */
int pm_frame_copy_free_vars(pm_heap *h, pm_frame *f);

/* ---- For genobject.c -------------------------------------------------------------- */

/* _PyFrame_Traverse: frame_obj, f_locals, f_funcobj, f_code, then
 * localsplus[0 .. stacktop). */
int _pm_frame_traverse(pm_frame *f, pm_visitproc visit, void *arg);
/* _PyFrame_ClearExceptCode: localsplus[0 .. stacktop) in index order,
 * frame_obj, f_locals, f_funcobj. The frame must not be linked. */
void _pm_frame_clear_except_code(pm_heap *h, pm_frame *f);
/* Bytes of header + the first stacktop slots (what _PyFrame_Copy copies). */
size_t _pm_frame_used_bytes(const pm_frame *f);
/* Pops the current thread frame f whose references were moved elsewhere
 * (RETURN_GENERATOR): unlinks it and gives its space back, releasing nothing. */
void _pm_frame_pop_moved(pm_heap *h, pm_frame *f);
/* Links f (a generator frame) on top of the current frame / unlinks it. */
void _pm_frame_link(pm_heap *h, pm_frame *f);
void _pm_frame_unlink(pm_heap *h, pm_frame *f);

#endif /* PM_FRAME_H */
