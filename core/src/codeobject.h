/* codeobject.h — code objects (CPython 3.12 Objects/codeobject.c,
 * Include/cpython/code.h, Include/internal/pycore_code.h).
 *
 * The interpreter (JavaScript) builds one code object per function body,
 * lambda, comprehension and module, as the 3.12 compiler would: constants,
 * names, the localsplus names and kinds (locals, then cells, then free
 * variables), the stack depth, flags. The body itself stays in JavaScript:
 * co_body_id is the host's key to its AST.
 *
 * Layout (64-bit model): PyVarObject (24) + fields up to co_code_adaptive at
 * offset 192 (type(code).__basicsize__ == 192), then 2 bytes per code unit
 * (__itemsize__ == 2). Not a GC type in 3.12 (gc.is_tracked(code) is False);
 * weakly referenceable (__weakrefoffset__ 144).
 *
 *   sys.getsizeof(code) == _PyObject_VAR_SIZE == round_up_8(192 + 2 * ncodeunits)
 *
 * We have no bytecode, so ncodeunits is whatever the interpreter passes: it
 * should be the number of code units CPython's compiler emits for the body,
 * caches included (len(code.co_code) // 2). getsizeof(code) and the block
 * size are only as exact as that count. tests/fixtures/sizes_callables.txt
 * (code.*) holds measured pairs.
 *
 * Frame size (3.12): co_framesize = co_nlocalsplus + co_stacksize +
 * FRAME_SPECIALS_SIZE, FRAME_SPECIALS_SIZE = 9 words (the 72-byte
 * _PyInterpreterFrame header); measured with ctypes for ten generator
 * bodies (gen.* in the fixture).
 *
 * References held (all strong): co_consts, co_names, co_exceptiontable,
 * co_localsplusnames, co_localspluskinds, co_filename, co_name,
 * co_qualname, co_linetable, and the lazily built co_varnames /
 * co_cellvars / co_freevars tuples cached in _co_cached (a 32-byte MEM
 * block, PyMem_Malloc(sizeof(_PyCoCached)), made the first time one of them
 * is asked for).
 *
 * Hash and equality: identity (CPython compares code objects by content;
 * the model does not, see the report).
 */
#ifndef PM_CODEOBJECT_H
#define PM_CODEOBJECT_H

#include "object.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "unicodeobject.h"

#define PM_CODE_BASICSIZE 192u      /* offsetof(PyCodeObject, co_code_adaptive) */
#define PM_CODE_ITEMSIZE  2u        /* sizeof(_Py_CODEUNIT) */
#define PM_CODE_CACHED_SIZE 32u     /* sizeof(_PyCoCached): 4 pointers */
#define PM_FRAME_SPECIALS_SIZE 9    /* words of _PyInterpreterFrame before localsplus */

/* co_flags (Include/cpython/code.h) */
#define PM_CO_OPTIMIZED       0x0001
#define PM_CO_NEWLOCALS       0x0002
#define PM_CO_VARARGS         0x0004
#define PM_CO_VARKEYWORDS     0x0008
#define PM_CO_NESTED          0x0010
#define PM_CO_GENERATOR       0x0020
#define PM_CO_NOFREE          0x0040   /* gone in 3.12, kept for the bit's sake */
#define PM_CO_COROUTINE       0x0080
#define PM_CO_ITERABLE_COROUTINE 0x0100
#define PM_CO_ASYNC_GENERATOR 0x0200

/* localsplus kinds (pycore_code.h): one byte per slot */
#define PM_CO_FAST_HIDDEN 0x10
#define PM_CO_FAST_LOCAL  0x20
#define PM_CO_FAST_CELL   0x40
#define PM_CO_FAST_FREE   0x80

typedef struct pm_code_cached {     /* _PyCoCached (minus _co_code: we have no bytecode) */
    pm_object *varnames, *cellvars, *freevars;
} pm_code_cached;

typedef struct pm_code {
    pm_varobject ob_base;           /* ob_size: code units */
    pm_object *co_consts;           /* tuple */
    pm_object *co_names;            /* tuple of str */
    pm_object *co_exceptiontable;   /* bytes */
    int32_t co_flags;
    int32_t co_argcount, co_posonlyargcount, co_kwonlyargcount;
    int32_t co_stacksize, co_firstlineno;
    int32_t co_nlocalsplus, co_framesize, co_nlocals, co_ncellvars, co_nfreevars;
    uint32_t co_body_id;            /* host: which body the interpreter runs (co_version's slot) */
    pm_object *co_localsplusnames;  /* tuple of str */
    pm_object *co_localspluskinds;  /* bytes, one kind per slot */
    pm_object *co_filename, *co_name, *co_qualname;
    pm_object *co_linetable;        /* bytes */
    pm_object *co_weakreflist;
    pm_code_cached *_co_cached;     /* MEM block, NULL until co_varnames & co. are asked for */
} pm_code;

static inline int pm_code_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_CODE];
}

/* What the interpreter knows about a body (PyUnstable_Code_NewWithPosOnlyArgs's
 * arguments minus the bytecode). Objects are borrowed: the code object
 * takes its own references. linetable and exceptiontable may be NULL (b''). */
typedef struct pm_code_spec {
    pm_object *consts;              /* tuple; consts[0] is the docstring or None for functions */
    pm_object *names;               /* tuple of str */
    pm_object *localsplusnames;     /* tuple of str */
    pm_object *localspluskinds;     /* bytes of the same length (PM_CO_FAST_*) */
    pm_object *filename, *name, *qualname;   /* str */
    pm_object *linetable, *exceptiontable;   /* bytes or NULL */
    int32_t flags, argcount, posonlyargcount, kwonlyargcount, stacksize, firstlineno;
    uint32_t ncodeunits;            /* >= 1: the code units CPython would emit (sets getsizeof) */
    uint32_t body_id;
} pm_code_spec;

/* PyUnstable_Code_New* + _PyCode_Validate: a new reference, or NULL with
 * an exception (ValueError/TypeError naming the bad field, MemoryError). */
pm_object *pm_code_new(pm_heap *h, const pm_code_spec *spec);

/* co_varnames / co_cellvars / co_freevars (_PyCode_GetVarnames & co.):
 * new references, built on first use and cached in _co_cached. */
pm_object *pm_code_varnames(pm_heap *h, pm_object *code);
pm_object *pm_code_cellvars(pm_heap *h, pm_object *code);
pm_object *pm_code_freevars(pm_heap *h, pm_object *code);

/* The slot count a frame of this code needs beyond its 9 specials. */
static inline int32_t pm_code_nslots(const pm_object *code) {
    const pm_code *c = (const pm_code *)code;
    return c->co_nlocalsplus + c->co_stacksize;
}

/* The localsplus kind of slot i (no range check). */
static inline uint8_t pm_code_kind(const pm_object *code, int32_t i) {
    return (uint8_t)PM_BYTES_AS_STRING(((const pm_code *)code)->co_localspluskinds)[i];
}

/* For the wasm glue's handle check: does the code object at o fit a block
 * of `room` bytes? Reads only o's own header. */
static inline int pm_code_fits(const pm_object *o, size_t room) {
    int64_t n = PM_SIZE(o);
    return n >= 1 && n <= (1 << 24) && room >= ((PM_CODE_BASICSIZE + PM_CODE_ITEMSIZE * (size_t)n + 7) & ~(size_t)7);
}

#endif /* PM_CODEOBJECT_H */
