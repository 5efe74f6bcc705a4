/* codeobject.c — the code type: construction with validation, the lazily
 * cached co_varnames / co_cellvars / co_freevars, deallocation, repr and
 * __sizeof__.
 *
 * Mirrors CPython 3.12 Objects/codeobject.c: _PyCode_Validate,
 * get_localsplus_counts, init_code, get_localsplus_names, init_co_cached,
 * _PyCode_GetVarnames / _PyCode_GetCellvars / _PyCode_GetFreevars,
 * code_dealloc, code_repr, code_sizeof.
 */
#include "codeobject.h"

_Static_assert(sizeof(pm_code) <= PM_CODE_BASICSIZE, "code struct must fit the 192-byte model struct");
_Static_assert(sizeof(pm_code_cached) <= PM_CODE_CACHED_SIZE, "_PyCoCached host struct fits 32 bytes");

static pm_type *code_type(pm_heap *h) { return pm_builtin_type(h, PM_T_CODE); }

/* ---- Construction ------------------------------------------------------------ */

static int bad_field(pm_heap *h, const char *what) {
    pm_err_set(h, PM_EXC_TypeError, "code: %s", what);
    return -1;
}

/* 1 if t is a tuple whose items are all str. */
static int tuple_of_str(pm_heap *h, pm_object *t) {
    if (!t || !PM_TUPLE_CHECK(h, t)) return 0;
    for (int64_t i = 0; i < PM_SIZE(t); i++)
        if (!pm_unicode_check(h, PM_TUPLE_GET(t, i))) return 0;
    return 1;
}

static int is_bytes_or_null(pm_heap *h, pm_object *o) { return !o || pm_bytes_check(h, o); }

/* get_localsplus_counts: locals (a cell that is also an argument counts as
 * both), cells, free variables. */
static void localsplus_counts(pm_object *kinds, int32_t *nlocals, int32_t *ncells, int32_t *nfrees) {
    int32_t nl = 0, nc = 0, nf = 0;
    const uint8_t *k = (const uint8_t *)PM_BYTES_AS_STRING(kinds);
    for (int64_t i = 0; i < PM_SIZE(kinds); i++) {
        if (k[i] & PM_CO_FAST_LOCAL) {
            nl++;
            if (k[i] & PM_CO_FAST_CELL) nc++;
        } else if (k[i] & PM_CO_FAST_CELL) {
            nc++;
        } else if (k[i] & PM_CO_FAST_FREE) {
            nf++;
        }
    }
    *nlocals = nl;
    *ncells = nc;
    *nfrees = nf;
}

/* _PyCode_Validate, with a message per field instead of SystemError. */
static int validate(pm_heap *h, const pm_code_spec *s) {
    if (!s) return bad_field(h, "no description given");
    if (s->argcount < 0 || s->posonlyargcount < 0 || s->kwonlyargcount < 0 || s->argcount < s->posonlyargcount)
        return bad_field(h, "argument counts must be >= 0 and co_posonlyargcount <= co_argcount");
    if (s->stacksize < 0 || s->stacksize > (1 << 20)) return bad_field(h, "co_stacksize must be 0..1048576");
    if (s->flags < 0) return bad_field(h, "co_flags must not be negative");
    if (s->ncodeunits < 1 || s->ncodeunits > (1u << 24)) return bad_field(h, "ncodeunits must be 1..16777216");
    if (!s->consts || !PM_TUPLE_CHECK(h, s->consts)) return bad_field(h, "co_consts must be a tuple");
    if (!tuple_of_str(h, s->names)) return bad_field(h, "co_names must be a tuple of str");
    if (!tuple_of_str(h, s->localsplusnames)) return bad_field(h, "co_localsplusnames must be a tuple of str");
    if (!s->localspluskinds || !pm_bytes_check(h, s->localspluskinds)
        || PM_SIZE(s->localspluskinds) != PM_SIZE(s->localsplusnames))
        return bad_field(h, "co_localspluskinds must be bytes of the same length as co_localsplusnames");
    if (PM_SIZE(s->localsplusnames) > (1 << 20)) return bad_field(h, "too many local variables");
    if (!s->filename || !pm_unicode_check(h, s->filename) || !s->name || !pm_unicode_check(h, s->name)
        || !s->qualname || !pm_unicode_check(h, s->qualname))
        return bad_field(h, "co_filename, co_name and co_qualname must be str");
    if (!is_bytes_or_null(h, s->linetable) || !is_bytes_or_null(h, s->exceptiontable))
        return bad_field(h, "co_linetable and co_exceptiontable must be bytes");
    int32_t nlocals, ncells, nfrees;
    localsplus_counts(s->localspluskinds, &nlocals, &ncells, &nfrees);
    int32_t plain = nlocals - s->argcount - s->kwonlyargcount - ((s->flags & PM_CO_VARARGS) != 0)
                  - ((s->flags & PM_CO_VARKEYWORDS) != 0);
    if (plain < 0) {
        pm_err_set(h, PM_EXC_ValueError, "code: co_varnames is too small");
        return -1;
    }
    return 0;
}

pm_object *pm_code_new(pm_heap *h, const pm_code_spec *s) {
    if (validate(h, s) < 0) return NULL;
    pm_object *o = pm_object_alloc(h, code_type(h), s->ncodeunits);
    if (!o) return NULL;
    pm_code *c = (pm_code *)o;
    /* init_code: the object takes its own references */
    pm_object *empty = h->os->empty_bytes;
    c->co_consts = pm_newref(s->consts);
    c->co_names = pm_newref(s->names);
    c->co_exceptiontable = pm_newref(s->exceptiontable ? s->exceptiontable : empty);
    c->co_flags = s->flags;
    c->co_argcount = s->argcount;
    c->co_posonlyargcount = s->posonlyargcount;
    c->co_kwonlyargcount = s->kwonlyargcount;
    c->co_stacksize = s->stacksize;
    c->co_firstlineno = s->firstlineno;
    c->co_nlocalsplus = (int32_t)PM_SIZE(s->localsplusnames);
    localsplus_counts(s->localspluskinds, &c->co_nlocals, &c->co_ncellvars, &c->co_nfreevars);
    c->co_framesize = c->co_nlocalsplus + c->co_stacksize + PM_FRAME_SPECIALS_SIZE;
    c->co_body_id = s->body_id;
    c->co_localsplusnames = pm_newref(s->localsplusnames);
    c->co_localspluskinds = pm_newref(s->localspluskinds);
    c->co_filename = pm_newref(s->filename);
    c->co_name = pm_newref(s->name);
    c->co_qualname = pm_newref(s->qualname);
    c->co_linetable = pm_newref(s->linetable ? s->linetable : empty);
    c->co_weakreflist = NULL;
    c->_co_cached = NULL;
    return o;
}

/* ---- co_varnames, co_cellvars, co_freevars ---------------------------------------- */

/* get_localsplus_names: the names of the slots whose kind has `kind`. */
static pm_object *localsplus_names(pm_heap *h, pm_code *c, uint8_t kind, int32_t num) {
    pm_object *names = pm_tuple_new(h, num);
    if (!names) return NULL;
    int32_t idx = 0;
    for (int32_t i = 0; i < c->co_nlocalsplus && idx < num; i++) {
        if (!(pm_code_kind((pm_object *)c, i) & kind)) continue;
        PM_TUPLE_SET(names, idx++, pm_newref(PM_TUPLE_GET(c->co_localsplusnames, i)));
    }
    return names;
}

/* init_co_cached + the cached getter: slot is one of the three cache words. */
static pm_object *cached_names(pm_heap *h, pm_object *code, int which) {
    if (!code || !pm_code_check(h, code)) {
        pm_err_set(h, PM_EXC_TypeError, "expected a code object");
        return NULL;
    }
    pm_code *c = (pm_code *)code;
    if (!c->_co_cached) {
        c->_co_cached = pm_malloc(h, PM_DOMAIN_MEM, PM_CODE_CACHED_SIZE);
        if (!c->_co_cached) {
            pm_err_nomem(h);
            return NULL;
        }
        memset(c->_co_cached, 0, sizeof *c->_co_cached);
    }
    pm_object **slot = which == 0 ? &c->_co_cached->varnames : which == 1 ? &c->_co_cached->cellvars
                     : &c->_co_cached->freevars;
    if (!*slot) {
        static const uint8_t kinds[] = { PM_CO_FAST_LOCAL, PM_CO_FAST_CELL, PM_CO_FAST_FREE };
        int32_t nums[] = { c->co_nlocals, c->co_ncellvars, c->co_nfreevars };
        *slot = localsplus_names(h, c, kinds[which], nums[which]);
        if (!*slot) return NULL;
    }
    return pm_newref(*slot);
}

pm_object *pm_code_varnames(pm_heap *h, pm_object *code) { return cached_names(h, code, 0); }
pm_object *pm_code_cellvars(pm_heap *h, pm_object *code) { return cached_names(h, code, 1); }
pm_object *pm_code_freevars(pm_heap *h, pm_object *code) { return cached_names(h, code, 2); }

/* ---- Type slots -------------------------------------------------------------------- */

/* code_dealloc: the fields in CPython's order, the cache, then the weakrefs. */
static void code_dealloc(pm_heap *h, pm_object *o) {
    pm_code *c = (pm_code *)o;
    pm_xdecref(h, c->co_consts);
    pm_xdecref(h, c->co_names);
    pm_xdecref(h, c->co_localsplusnames);
    pm_xdecref(h, c->co_localspluskinds);
    pm_xdecref(h, c->co_filename);
    pm_xdecref(h, c->co_name);
    pm_xdecref(h, c->co_qualname);
    pm_xdecref(h, c->co_linetable);
    pm_xdecref(h, c->co_exceptiontable);
    if (c->_co_cached) {
        pm_xdecref(h, c->_co_cached->cellvars);
        pm_xdecref(h, c->_co_cached->freevars);
        pm_xdecref(h, c->_co_cached->varnames);
        pm_free(h, PM_DOMAIN_MEM, c->_co_cached);
    }
    if (c->co_weakreflist) _pm_weakref_clear_refs(h, o);
    pm_object_free(h, o);
}

/* tp_refs: code objects are not GC objects (nothing traverses them), but
 * they hold their constants, names and tables. */
static int code_refs(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_code *c = (pm_code *)o;
    pm_object *f[12] = { c->co_consts, c->co_names, c->co_localsplusnames, c->co_localspluskinds, c->co_filename,
                         c->co_name, c->co_qualname, c->co_linetable, c->co_exceptiontable,
                         c->_co_cached ? c->_co_cached->cellvars : NULL, c->_co_cached ? c->_co_cached->freevars : NULL,
                         c->_co_cached ? c->_co_cached->varnames : NULL };
    for (int i = 0; i < 12; i++) {
        int r = f[i] ? visit(f[i], arg) : 0;
        if (r) return r;
    }
    return 0;
}

/* code_sizeof: _PyObject_VAR_SIZE rounds to the pointer size. */
static size_t code_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    return (PM_CODE_BASICSIZE + PM_CODE_ITEMSIZE * (size_t)PM_SIZE(o) + 7) & ~(size_t)7;
}

/* code_repr: <code object NAME at 0x..., file "FILE", line N> */
static int code_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_code *c = (pm_code *)o;
    _pm_strbuf_puts(sb, "<code object ");
    if (pm_unicode_write_utf8(h, c->co_name, sb) < 0) return -1;
    _pm_strbuf_printf(sb, " at %p, file \"", (void *)o);
    if (pm_unicode_write_utf8(h, c->co_filename, sb) < 0) return -1;
    _pm_strbuf_printf(sb, "\", line %d>", c->co_firstlineno != 0 ? c->co_firstlineno : -1);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

pm_status _pm_code_init(pm_heap *h) {
    pm_type *t = code_type(h);
    _pm_type_init_static(h, t, PM_T_CODE, "code", PM_CODE_BASICSIZE, PM_CODE_ITEMSIZE, 0);
    t->tp_dealloc = code_dealloc;
    t->tp_refs = code_refs;
    t->tp_sizeof = code_sizeof;
    t->tp_repr = code_repr;
    t->tp_weaklistoffset = (int32_t)offsetof(pm_code, co_weakreflist);
    return PM_OK;
}
