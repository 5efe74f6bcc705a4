/* bytesobject.c — bytes as CPython 3.12 stores and allocates it.
 *
 * Mirrors Objects/bytesobject.c of 3.12: _PyBytes_FromSize,
 * PyBytes_FromStringAndSize and its singletons, _PyBytes_Resize,
 * bytes_concat, bytes_repeat, bytes_subscript, bytes_richcompare,
 * bytes_hash and PyBytes_Repr. Layout and singleton rules: bytesobject.h.
 */
#include "bytesobject.h"
#include "unicodeobject.h"

static inline pm_type *bytes_type(pm_heap *h) { return &h->os->types[PM_T_BYTES]; }

static inline pm_object *bytes_get_empty(pm_heap *h) { return pm_newref(h->os->empty_bytes); }

static inline pm_object *bytes_character(pm_heap *h, uint8_t c) { return pm_newref(h->os->bytes1[c]); }

/* ---- Creation -------------------------------------------------------------------- */

pm_object *_pm_bytes_from_size(pm_heap *h, size_t n) {
    if (n == 0) return bytes_get_empty(h);
    if (n > (size_t)PTRDIFF_MAX - PM_BYTES_HEADER) {
        pm_err_set(h, PM_EXC_OverflowError, "byte string is too large");
        return NULL;
    }
    pm_object *o = pm_object_alloc_bytes(h, bytes_type(h), PM_BYTES_HEADER + n, n);
    if (!o) return NULL;
    ((pm_bytesobject *)o)->ob_shash = -1;
    PM_BYTES_AS_STRING(o)[n] = '\0';
    return o;
}

pm_object *pm_bytes_from_buffer(pm_heap *h, const void *data, size_t n) {
    if (n == 1 && data) return bytes_character(h, *(const uint8_t *)data);
    if (n == 0) return bytes_get_empty(h);
    pm_object *o = _pm_bytes_from_size(h, n);
    if (!o) return NULL;
    if (data) memcpy(PM_BYTES_AS_STRING(o), data, n);
    else memset(PM_BYTES_AS_STRING(o), 0, n);   /* CPython leaves it uninitialised; the model is deterministic */
    return o;
}

int _pm_bytes_resize(pm_heap *h, pm_object **pv, size_t n) {
    pm_object *v = *pv;
    if ((size_t)PM_BYTES_SIZE(v) == n) return 0;
    if (n == 0) {
        *pv = bytes_get_empty(h);
        pm_decref(h, v);
        return 0;
    }
    if (v->ob_refcnt != 1 || pm_is_immortal(v) || n > (size_t)PTRDIFF_MAX - PM_BYTES_HEADER) {
        *pv = NULL;
        pm_decref(h, v);
        pm_err_set(h, PM_EXC_RuntimeError, "bad argument to _PyBytes_Resize");
        return -1;
    }
    pm_object *nv = pm_realloc(h, PM_DOMAIN_OBJ, v, PM_BYTES_HEADER + n);
    if (!nv) {
        pm_err_nomem(h);
        *pv = NULL;
        pm_object_free(h, v);
        return -1;
    }
    PM_SIZE(nv) = (int64_t)n;
    PM_BYTES_AS_STRING(nv)[n] = '\0';
    ((pm_bytesobject *)nv)->ob_shash = -1;
    *pv = nv;
    return 0;
}

/* ---- Access ------------------------------------------------------------------------- */

int64_t pm_bytes_size(pm_heap *h, pm_object *b) { (void)h; return PM_BYTES_SIZE(b); }

char *pm_bytes_data(pm_heap *h, pm_object *b) { (void)h; return PM_BYTES_AS_STRING(b); }

int pm_bytes_getitem(pm_heap *h, pm_object *b, int64_t i) {
    int64_t len = PM_BYTES_SIZE(b);
    if (i < 0) i += len;
    if (i < 0 || i >= len) {
        pm_err_set(h, PM_EXC_IndexError, "index out of range");
        return -1;
    }
    return (uint8_t)PM_BYTES_AS_STRING(b)[i];
}

/* ---- Operations ----------------------------------------------------------------------- */

/* bytes_concat (both operands bytes). */
pm_object *pm_bytes_concat(pm_heap *h, pm_object *a, pm_object *b) {
    int64_t la = PM_BYTES_SIZE(a), lb = PM_BYTES_SIZE(b);
    if (la == 0) return pm_newref(b);
    if (lb == 0) return pm_newref(a);
    if (la > INT64_MAX - lb) {
        pm_err_set(h, PM_EXC_MemoryError, "%s", "");
        return NULL;
    }
    pm_object *r = pm_bytes_from_buffer(h, NULL, (size_t)(la + lb));
    if (!r) return NULL;
    memcpy(PM_BYTES_AS_STRING(r), PM_BYTES_AS_STRING(a), (size_t)la);
    memcpy(PM_BYTES_AS_STRING(r) + la, PM_BYTES_AS_STRING(b), (size_t)lb);
    return r;
}

/* bytes_repeat: the operand itself when the size does not change (n == 1,
 * or b''); otherwise a fresh PyObject_Malloc(33 + size) — even for size 0,
 * so b'ab' * 0 is a new empty object, not the b'' singleton. */
pm_object *pm_bytes_repeat(pm_heap *h, pm_object *a, int64_t n) {
    if (n < 0) n = 0;
    int64_t len = PM_BYTES_SIZE(a);
    if (n > 0 && len > INT64_MAX / n) {
        pm_err_set(h, PM_EXC_OverflowError, "repeated bytes are too long");
        return NULL;
    }
    int64_t size = len * n;
    if (size == len) return pm_newref(a);
    if ((uint64_t)size > (uint64_t)PTRDIFF_MAX - PM_BYTES_HEADER) {
        pm_err_set(h, PM_EXC_OverflowError, "repeated bytes are too long");
        return NULL;
    }
    pm_object *op = pm_object_alloc_bytes(h, bytes_type(h), PM_BYTES_HEADER + (size_t)size, (size_t)size);
    if (!op) return NULL;
    ((pm_bytesobject *)op)->ob_shash = -1;
    char *to = PM_BYTES_AS_STRING(op);
    to[size] = '\0';
    if (size) {
        size_t total = (size_t)size, done = (size_t)len;
        memcpy(to, PM_BYTES_AS_STRING(a), done);
        while (done < total) {
            size_t chunk = done <= total - done ? done : total - done;
            memcpy(to + done, to, chunk);
            done += chunk;
        }
    }
    return op;
}

/* bytes_subscript with a slice. */
pm_object *pm_bytes_slice(pm_heap *h, pm_object *b, int64_t start, int64_t stop, int64_t step) {
    int64_t len = PM_BYTES_SIZE(b);
    int64_t slicelength = _pm_slice_indices(h, len, &start, &stop, &step);
    if (slicelength < 0) return NULL;
    const char *src = PM_BYTES_AS_STRING(b);
    if (slicelength == 0) return bytes_get_empty(h);
    if (start == 0 && step == 1 && slicelength == len) return pm_newref(b);
    if (step == 1) return pm_bytes_from_buffer(h, src + start, (size_t)slicelength);
    pm_object *r = pm_bytes_from_buffer(h, NULL, (size_t)slicelength);
    if (!r) return NULL;
    char *to = PM_BYTES_AS_STRING(r);
    int64_t cur = start;
    for (int64_t i = 0; i < slicelength; cur += step, i++) to[i] = src[cur];
    return r;
}

/* ---- Comparison and hashing --------------------------------------------------------------- */

int pm_bytes_eq(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    if (a == b) return 1;
    int64_t len = PM_BYTES_SIZE(a);
    if (len != PM_BYTES_SIZE(b)) return 0;
    const char *x = PM_BYTES_AS_STRING(a), *y = PM_BYTES_AS_STRING(b);
    if (len && x[0] != y[0]) return 0;
    return memcmp(x, y, (size_t)len) == 0;
}

int pm_bytes_compare(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    int64_t la = PM_BYTES_SIZE(a), lb = PM_BYTES_SIZE(b), n = la < lb ? la : lb;
    int c = n ? memcmp(PM_BYTES_AS_STRING(a), PM_BYTES_AS_STRING(b), (size_t)n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb ? 1 : 0;
}

int64_t pm_bytes_hash(pm_heap *h, pm_object *b) {
    pm_bytesobject *o = (pm_bytesobject *)b;
    if (o->ob_shash == -1) o->ob_shash = _pm_hash_bytes(h, o->ob_sval, (size_t)PM_BYTES_SIZE(b));
    return o->ob_shash;
}

/* ---- repr -------------------------------------------------------------------------------------- */

/* PyBytes_Repr(obj, smartquotes=1), first pass: output length and quote. */
static int64_t repr_measure(pm_object *b, char *pquote) {
    const uint8_t *s = (const uint8_t *)PM_BYTES_AS_STRING(b);
    int64_t len = PM_BYTES_SIZE(b), newsize = 3, squotes = 0, dquotes = 0;
    for (int64_t i = 0; i < len; i++) {
        int64_t incr = 1;
        switch (s[i]) {
        case '\'': squotes++; break;
        case '"': dquotes++; break;
        case '\\': case '\t': case '\n': case '\r': incr = 2; break;
        default: if (s[i] < ' ' || s[i] >= 0x7f) incr = 4;
        }
        newsize += incr;
    }
    char quote = '\'';
    if (squotes && !dquotes) quote = '"';
    if (squotes && quote == '\'') newsize += squotes;
    *pquote = quote;
    return newsize;
}

/* Writes the repr into out (newsize bytes, ASCII). */
static void repr_write(pm_object *b, char quote, char *out) {
    const uint8_t *s = (const uint8_t *)PM_BYTES_AS_STRING(b);
    int64_t len = PM_BYTES_SIZE(b);
    char *p = out;
    *p++ = 'b';
    *p++ = quote;
    for (int64_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c == (uint8_t)quote || c == '\\') { *p++ = '\\'; *p++ = (char)c; }
        else if (c == '\t') { *p++ = '\\'; *p++ = 't'; }
        else if (c == '\n') { *p++ = '\\'; *p++ = 'n'; }
        else if (c == '\r') { *p++ = '\\'; *p++ = 'r'; }
        else if (c < ' ' || c >= 0x7f) {
            *p++ = '\\';
            *p++ = 'x';
            *p++ = "0123456789abcdef"[c >> 4];
            *p++ = "0123456789abcdef"[c & 15];
        } else {
            *p++ = (char)c;
        }
    }
    *p++ = quote;
}

int pm_bytes_repr(pm_heap *h, pm_object *b, pm_strbuf *sb) {
    char quote;
    int64_t n = repr_measure(b, &quote);
    char small[256];
    char *out = (size_t)n <= sizeof small ? small : _pm_raw_malloc(h, (size_t)n);
    if (!out) { pm_err_nomem(h); return -1; }
    repr_write(b, quote, out);
    _pm_strbuf_put(sb, out, (size_t)n);
    if (out != small) _pm_raw_free(h, out);
    if (sb->failed) { pm_err_nomem(h); return -1; }
    return 0;
}

pm_object *pm_bytes_repr_object(pm_heap *h, pm_object *b) {
    char quote;
    int64_t n = repr_measure(b, &quote);
    char small[256];
    char *out = (size_t)n <= sizeof small ? small : _pm_raw_malloc(h, (size_t)n);
    if (!out) { pm_err_nomem(h); return NULL; }
    repr_write(b, quote, out);
    /* ASCII input of n >= 3 bytes: exactly PyUnicode_New(n, 127), as PyBytes_Repr */
    pm_object *u = pm_unicode_from_utf8(h, out, (size_t)n);
    if (out != small) _pm_raw_free(h, out);
    return u;
}

/* ---- Type slots ------------------------------------------------------------------------------------ */

static void bytes_dealloc(pm_heap *h, pm_object *o) { pm_object_free(h, o); }

static int64_t bytes_hash(pm_heap *h, pm_object *o) { return pm_bytes_hash(h, o); }

static int bytes_richcompare_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_bytes_check(h, a) || !pm_bytes_check(h, b)) return PM_NOTIMPL;
    return pm_bytes_eq(h, a, b);
}

static int bytes_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) { return pm_bytes_repr(h, o, sb); }

/* A static bytes object of n bytes (immortal, outside the arenas). */
static pm_object *new_static_bytes(pm_heap *h, const uint8_t *data, size_t n) {
    pm_object *o = _pm_static_alloc(h, bytes_type(h), offsetof(pm_bytesobject, ob_sval) + n + 1, n);
    ((pm_bytesobject *)o)->ob_shash = -1;
    if (n) memcpy(PM_BYTES_AS_STRING(o), data, n);
    PM_BYTES_AS_STRING(o)[n] = '\0';
    return o;
}

pm_status _pm_bytes_check(pm_heap *h) {
    pm_objstate *os = h->os;
    if (PM_BYTES_SIZE(os->empty_bytes) != 0 || !pm_is_immortal(os->empty_bytes) || PM_BYTES_AS_STRING(os->empty_bytes)[0])
        return _pm_check_fail(h, "the b'' singleton is damaged");
    for (unsigned c = 0; c < 256; c++) {
        pm_object *o = os->bytes1[c];
        if (PM_BYTES_SIZE(o) != 1 || (uint8_t)PM_BYTES_AS_STRING(o)[0] != c || PM_BYTES_AS_STRING(o)[1] || !pm_is_immortal(o))
            return _pm_check_fail(h, "the one-byte singleton 0x%x is damaged", c);
    }
    return PM_OK;
}

pm_status _pm_bytes_init(pm_heap *h) {
    pm_objstate *os = h->os;
    pm_type *t = &os->types[PM_T_BYTES];
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = &os->types[PM_T_TYPE];
    t->tp_name = "bytes";
    t->tp_basicsize = PM_BYTES_HEADER;
    t->tp_itemsize = 1;
    t->tp_flags = PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = PM_T_BYTES;
    t->tp_base = &os->types[PM_T_OBJECT];
    t->tp_dealloc = bytes_dealloc;
    t->tp_hash = bytes_hash;
    t->tp_eq = bytes_richcompare_eq;
    t->tp_repr = bytes_repr;
    /* tp_sizeof NULL: basicsize + ob_size * itemsize = 33 + n (bytes_sizeof) */

    os->empty_bytes = new_static_bytes(h, NULL, 0);
    for (unsigned c = 0; c < 256; c++) {
        uint8_t ch = (uint8_t)c;
        os->bytes1[c] = new_static_bytes(h, &ch, 1);
    }
    return PM_OK;
}
