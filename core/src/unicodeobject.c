/* unicodeobject.c — str as CPython 3.12 stores and allocates it.
 *
 * Mirrors Objects/unicodeobject.c of 3.12: PyUnicode_New and the compact
 * layouts, the latin-1 and empty singletons (get_latin1_char, unicode_char,
 * unicode_result), the strict UTF-8 decoder with its _PyUnicodeWriter
 * allocation pattern, resize_compact, PyUnicode_Append's in-place resize,
 * unicode_repeat, PyUnicode_Substring, unicode_subscript, _PyUnicode_JoinArray,
 * unicode_hash, unicode_repr, unicode_sizeof, PyUnicode_AsUTF8AndSize
 * (unicode_fill_utf8) and interning. The layouts and the singleton rules
 * are described in unicodeobject.h.
 *
 * Allocation rule: every str block is requested with the byte count 64-bit
 * CPython requests (header + (n + 1) * kind) through pm_object_alloc_bytes,
 * and resized with PyObject_Realloc semantics (pm_realloc, OBJ domain)
 * exactly where CPython resizes (resize_compact).
 *
 * Module state: struct pm_unicode_state below (the intern table, the hash
 * key, the static identifier strs). It is an immortal static object of an
 * internal type, reachable from h->os->unicode.
 */
#include "unicodeobject.h"
#include "bytesobject.h"
#include "unicodectype.h"

/* ---- Module state ----------------------------------------------------------
 * The intern table is an open-addressing hash set of strs in raw
 * bookkeeping memory (CPython keeps a dict; the interned strs themselves
 * are ordinary immortal objects in the arenas). Entries are never removed
 * (3.12 interned strs are immortal). Invariants: mask + 1 is a power of two,
 * 3 * count <= 2 * (mask + 1), every non-NULL slot holds a distinct str
 * whose state.interned != 0, found from its hash by linear probing. */
typedef struct pm_unicode_state {
    pm_object ob_base;              /* an immortal object of table_type */
    pm_type table_type;             /* internal type "str_intern_table" */
    pm_object **table;              /* capacity mask + 1; NULL = empty slot */
    size_t mask;
    size_t count;
    pm_hash_secret secret;          /* _Py_HashSecret (siphash part) */
    pm_object *ids[16];             /* static identifier strs interned at start-up */
    uint32_t nids;
} pm_unicode_state;

#define INTERNED_INITIAL 256

/* The one-character identifiers among CPython 3.12's statically allocated
 * strings (_Py_ID(_), _Py_ID(a), ...): interned before any user code, so
 * sys.intern(chr(c)) returns them instead of the latin-1 singleton
 * (recorded in tests/fixtures/sizes_strings.txt as "intern.distinct"). */
static const char static_identifier_chars[] = "_abcdenprsx";

static inline pm_unicode_state *get_state(pm_heap *h) {
    return h->os->unicode;
}

pm_hash_secret *_pm_hash_secret(pm_heap *h) { return &get_state(h)->secret; }

/* ---- Small helpers -------------------------------------------------------------- */

static inline pm_type *str_type(pm_heap *h) { return &h->os->types[PM_T_STR]; }

static inline void *unicode_data(pm_object *o) { return PM_UNICODE_DATA(o); }

static inline int kind_of_maxchar(uint32_t maxchar) {
    return maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
}

/* PyUnicode_MAX_CHAR_VALUE: the largest code point the kind can hold. */
static inline uint32_t max_char_value(pm_object *o) {
    if (PM_UNICODE_IS_ASCII(o)) return 0x7f;
    switch (PM_UNICODE_KIND(o)) {
    case 1: return 0xff;
    case 2: return 0xffff;
    default: return PM_MAX_UNICODE;
    }
}

static inline void unicode_write(int kind, void *data, int64_t i, uint32_t ch) {
    if (kind == 1) ((uint8_t *)data)[i] = (uint8_t)ch;
    else if (kind == 2) ((uint16_t *)data)[i] = (uint16_t)ch;
    else ((uint32_t *)data)[i] = ch;
}

/* _PyUnicode_FastCopyCharacters: the destination kind is wide enough. */
static void copy_characters(pm_object *to, int64_t to_start, pm_object *from, int64_t from_start, int64_t n) {
    int tk = PM_UNICODE_KIND(to), fk = PM_UNICODE_KIND(from);
    char *td = unicode_data(to), *fd = unicode_data(from);
    if (tk == fk) {
        memcpy(td + to_start * tk, fd + from_start * fk, (size_t)n * (size_t)tk);
        return;
    }
    for (int64_t i = 0; i < n; i++)
        unicode_write(tk, td, to_start + i, pm_unicode_read(fk, fd, from_start + i));
}

static inline int is_surrogate(uint32_t ch) { return ch >= 0xD800 && ch <= 0xDFFF; }

/* Lower-case hex with a fixed number of digits (the core's formatter pads
 * with spaces only). */
static void put_hex(char *out, uint32_t v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    out[digits] = '\0';
}

static void no_memory(pm_heap *h) { pm_err_set(h, PM_EXC_MemoryError, "%s", ""); }

/* _PyUnicode_HAS_UTF8_MEMORY: a UTF-8 copy separate from the data. */
static inline int has_utf8_memory(pm_object *o) {
    if (PM_UNICODE_IS_ASCII(o)) return 0;
    pm_compactunicodeobject *c = (pm_compactunicodeobject *)o;
    return c->utf8 != NULL && c->utf8 != (char *)unicode_data(o);
}

/* ---- Slices --------------------------------------------------------------------- */

int64_t _pm_slice_indices(pm_heap *h, int64_t len, int64_t *start, int64_t *stop, int64_t *step) {
    /* PySlice_Unpack */
    int64_t st = *step == PM_SLICE_NONE ? 1 : *step;
    if (st == 0) {
        pm_err_set(h, PM_EXC_ValueError, "slice step cannot be zero");
        return -1;
    }
    int64_t a = *start == PM_SLICE_NONE ? (st < 0 ? INT64_MAX : 0) : *start;
    int64_t b = *stop == PM_SLICE_NONE ? (st < 0 ? -INT64_MAX : INT64_MAX) : *stop;
    /* PySlice_AdjustIndices */
    if (a < 0) {
        a += len;
        if (a < 0) a = st < 0 ? -1 : 0;
    } else if (a >= len) {
        a = st < 0 ? len - 1 : len;
    }
    if (b < 0) {
        b += len;
        if (b < 0) b = st < 0 ? -1 : 0;
    } else if (b >= len) {
        b = st < 0 ? len - 1 : len;
    }
    *start = a;
    *stop = b;
    *step = st;
    if (st < 0) return b < a ? (a - b - 1) / (-st) + 1 : 0;
    return a < b ? (b - a - 1) / st + 1 : 0;
}

/* ---- Creation ------------------------------------------------------------------- */

static inline pm_object *unicode_get_empty(pm_heap *h) { return h->os->empty_str; }

static inline pm_object *get_latin1_char(pm_heap *h, uint32_t ch) {
    return pm_newref(h->os->latin1[ch & 0xff]);
}

/* PyUnicode_New: length 0 gives the empty singleton; otherwise a compact
 * str of the kind maxchar needs, requested with the exact 64-bit size. */
static pm_object *unicode_new(pm_heap *h, int64_t size, uint32_t maxchar) {
    if (size == 0) return pm_newref(unicode_get_empty(h));
    int ascii = maxchar < 0x80;
    int kind = kind_of_maxchar(maxchar);
    uint64_t header = ascii ? PM_UNICODE_ASCII_HEADER : PM_UNICODE_COMPACT_HEADER;
    if (size < 0 || (uint64_t)size > ((uint64_t)PTRDIFF_MAX - header) / (uint64_t)kind - 1) {
        no_memory(h);
        return NULL;
    }
    size_t objsize = (size_t)(header + ((uint64_t)size + 1) * (uint64_t)kind);
    pm_object *o = pm_object_alloc_bytes(h, str_type(h), objsize, 0);
    if (!o) return NULL;
    pm_asciiobject *a = (pm_asciiobject *)o;
    a->length = size;
    a->hash = -1;
    memset(&a->state, 0, sizeof a->state);
    a->state.kind = (unsigned)kind;
    a->state.compact = 1;
    a->state.ascii = (unsigned)ascii;
    if (!ascii) {
        pm_compactunicodeobject *c = (pm_compactunicodeobject *)o;
        c->utf8_length = 0;
        c->utf8 = NULL;
    }
    unicode_write(kind, unicode_data(o), size, 0);
    return o;
}

/* unicode_char: the latin-1 singleton, or a new one-character str. */
static pm_object *unicode_char(pm_heap *h, uint32_t ch) {
    if (ch < 0x100) return get_latin1_char(h, ch);
    pm_object *u = unicode_new(h, 1, ch);
    if (!u) return NULL;
    unicode_write(PM_UNICODE_KIND(u), unicode_data(u), 0, ch);
    return u;
}

/* unicode_result (unicode_result_ready): singletons for length 0 and for a
 * single latin-1 character; the fresh object is released. */
static pm_object *unicode_result(pm_heap *h, pm_object *u) {
    int64_t len = PM_UNICODE_LENGTH(u);
    if (len == 0) {
        pm_object *e = unicode_get_empty(h);
        if (u != e) pm_decref(h, u);
        return pm_newref(e);
    }
    if (len == 1 && PM_UNICODE_KIND(u) == 1) {
        uint32_t ch = ((uint8_t *)unicode_data(u))[0];
        if (u != h->os->latin1[ch]) pm_decref(h, u);
        return get_latin1_char(h, ch);
    }
    return u;
}

/* unicode_result_unchanged: an exact str is returned as is. */
static inline pm_object *unicode_result_unchanged(pm_object *u) { return pm_newref(u); }

/* resize_compact: PyObject_Realloc of the block to the new exact size; a
 * cached UTF-8 copy is dropped first. NULL + MemoryError leaves u intact. */
static pm_object *resize_compact(pm_heap *h, pm_object *u, int64_t length) {
    int kind = PM_UNICODE_KIND(u);
    uint64_t header = PM_UNICODE_IS_ASCII(u) ? PM_UNICODE_ASCII_HEADER : PM_UNICODE_COMPACT_HEADER;
    if (length < 0 || (uint64_t)length > ((uint64_t)PTRDIFF_MAX - header) / (uint64_t)kind - 1) {
        no_memory(h);
        return NULL;
    }
    size_t new_size = (size_t)(header + ((uint64_t)length + 1) * (uint64_t)kind);
    if (has_utf8_memory(u)) {
        pm_compactunicodeobject *c = (pm_compactunicodeobject *)u;
        pm_free(h, PM_DOMAIN_OBJ, c->utf8);
        c->utf8 = NULL;
        c->utf8_length = 0;
    }
    pm_object *nu = pm_realloc(h, PM_DOMAIN_OBJ, u, new_size);
    if (!nu) {
        pm_err_nomem(h);
        return NULL;
    }
    PM_UNICODE_LENGTH(nu) = length;
    unicode_write(kind, unicode_data(nu), length, 0);
    return nu;
}

/* unicode_modifiable: may be resized in place (PyUnicode_Append). */
static int unicode_modifiable(pm_heap *h, pm_object *u) {
    if (u->ob_refcnt != 1) return 0;
    if (((pm_asciiobject *)u)->hash != -1) return 0;
    if (PM_UNICODE_STATE(u).interned) return 0;
    return pm_unicode_check(h, u);
}

/* ---- Statics ---------------------------------------------------------------------- */

/* A statically allocated str of latin-1 content; non-ASCII ones get a
 * UTF-8 copy in the same static block (3.12's _PyUnicode_LATIN1_INIT). */
static pm_object *new_static_str(pm_heap *h, const uint8_t *chars, size_t n) {
    int ascii = 1;
    size_t utf8len = 0;
    for (size_t i = 0; i < n; i++) {
        if (chars[i] >= 0x80) ascii = 0;
        utf8len += chars[i] >= 0x80 ? 2 : 1;
    }
    size_t header = ascii ? sizeof(pm_asciiobject) : sizeof(pm_compactunicodeobject);
    size_t hostsize = header + n + 1 + (ascii ? 0 : utf8len + 1);
    pm_object *o = _pm_static_alloc(h, str_type(h), hostsize, 0);
    pm_asciiobject *a = (pm_asciiobject *)o;
    a->length = (int64_t)n;
    a->hash = -1;
    a->state.kind = 1;
    a->state.compact = 1;
    a->state.ascii = (unsigned)ascii;
    a->state.statically_allocated = 1;
    uint8_t *data = unicode_data(o);
    if (n) memcpy(data, chars, n);
    data[n] = 0;
    if (!ascii) {
        pm_compactunicodeobject *c = (pm_compactunicodeobject *)o;
        char *u8 = (char *)data + n + 1;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (chars[i] < 0x80) u8[k++] = (char)chars[i];
            else { u8[k++] = (char)(0xC0 | (chars[i] >> 6)); u8[k++] = (char)(0x80 | (chars[i] & 0x3F)); }
        }
        u8[k] = '\0';
        c->utf8 = u8;
        c->utf8_length = (int64_t)k;
    }
    return o;
}

/* ---- Intern table ------------------------------------------------------------------ */

static pm_object **interned_slot(pm_heap *h, pm_unicode_state *st, pm_object *s, int64_t hash) {
    size_t i = (size_t)(uint64_t)hash & st->mask;
    for (;;) {
        pm_object **slot = &st->table[i];
        if (*slot == NULL || *slot == s || pm_unicode_eq(h, *slot, s)) return slot;
        i = (i + 1) & st->mask;
    }
}

static int interned_resize(pm_heap *h, pm_unicode_state *st, size_t capacity) {
    pm_object **nt = _pm_raw_malloc(h, capacity * sizeof *nt);
    if (!nt) return -1;
    memset(nt, 0, capacity * sizeof *nt);
    pm_object **old = st->table;
    size_t oldcap = old ? st->mask + 1 : 0;
    st->table = nt;
    st->mask = capacity - 1;
    for (size_t i = 0; i < oldcap; i++) {
        pm_object *s = old[i];
        if (!s) continue;
        *interned_slot(h, st, s, ((pm_asciiobject *)s)->hash) = s;
    }
    if (old) _pm_raw_free(h, old);
    return 0;
}

void pm_unicode_intern(pm_heap *h, pm_object **p) {
    pm_object *s = *p;
    if (!s || !pm_unicode_check(h, s)) return;   /* only exact strs are interned */
    if (PM_UNICODE_STATE(s).interned) return;
    pm_unicode_state *st = get_state(h);
    int64_t hash = pm_unicode_hash(h, s);
    pm_object **slot = interned_slot(h, st, s, hash);
    if (*slot) {
        pm_object *t = *slot;
        *p = pm_newref(t);
        pm_decref(h, s);
        return;
    }
    if (3 * (st->count + 1) > 2 * (st->mask + 1)) {
        if (interned_resize(h, st, 2 * (st->mask + 1)) < 0) return;   /* stays uninterned, as CPython */
        slot = interned_slot(h, st, s, hash);
    }
    *slot = s;
    st->count++;
    if (PM_UNICODE_STATE(s).statically_allocated || pm_is_immortal(s)) {
        PM_UNICODE_STATE(s).interned = PM_SSTATE_INTERNED_IMMORTAL_STATIC;
        return;
    }
    pm_object_immortalize(s);
    PM_UNICODE_STATE(s).interned = PM_SSTATE_INTERNED_IMMORTAL;
}

pm_object *pm_unicode_intern_from_string(pm_heap *h, const char *utf8) {
    pm_object *s = pm_unicode_from_string(h, utf8);
    if (s) pm_unicode_intern(h, &s);
    return s;
}

int pm_unicode_is_interned(pm_heap *h, pm_object *s) {
    (void)h;
    return PM_UNICODE_STATE(s).interned != 0;
}

size_t pm_unicode_interned_count(pm_heap *h) { return get_state(h)->count; }

int pm_unicode_all_name_chars(pm_heap *h, pm_object *s) {
    (void)h;
    if (!PM_UNICODE_IS_ASCII(s)) return 0;
    const uint8_t *p = unicode_data(s);
    for (int64_t i = 0; i < PM_UNICODE_LENGTH(s); i++) {
        uint8_t c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

/* ---- UTF-8 decoding ---------------------------------------------------------------- */

static inline int is_continuation(uint8_t c) { return (c & 0xC0) == 0x80; }

/* One code point of strict UTF-8 at s[*pi] (stringlib's utf8_decode, with
 * its error classification): 0 = decoded; 1 = invalid start byte;
 * 2, 3, 4 = invalid continuation byte at offset 1, 2, 3; 5 = the input
 * ends inside a sequence that is valid so far. */
static int decode_one(const uint8_t *s, size_t n, size_t *pi, uint32_t *out) {
    size_t i = *pi, avail = n - i;
    uint32_t c = s[i];
    if (c < 0x80) { *out = c; *pi = i + 1; return 0; }
    if (c < 0xC2) return 1;
    if (c < 0xE0) {
        if (avail < 2) return 5;
        if (!is_continuation(s[i + 1])) return 2;
        *out = ((c & 0x1F) << 6) | (s[i + 1] & 0x3Fu);
        *pi = i + 2;
        return 0;
    }
    if (c < 0xF0) {
        if (avail < 2) return 5;
        uint32_t c2 = s[i + 1];
        if (!is_continuation((uint8_t)c2) || (c == 0xE0 && c2 < 0xA0) || (c == 0xED && c2 >= 0xA0)) return 2;
        if (avail < 3) return 5;
        if (!is_continuation(s[i + 2])) return 3;
        *out = ((c & 0x0F) << 12) | ((c2 & 0x3F) << 6) | (s[i + 2] & 0x3Fu);
        *pi = i + 3;
        return 0;
    }
    if (c < 0xF5) {
        if (avail < 2) return 5;
        uint32_t c2 = s[i + 1];
        if (!is_continuation((uint8_t)c2) || (c == 0xF0 && c2 < 0x90) || (c == 0xF4 && c2 >= 0x90)) return 2;
        if (avail < 3) return 5;
        if (!is_continuation(s[i + 2])) return 3;
        if (avail < 4) return 5;
        if (!is_continuation(s[i + 3])) return 4;
        *out = ((c & 0x07) << 18) | ((c2 & 0x3F) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
        *pi = i + 4;
        return 0;
    }
    return 1;
}

/* UnicodeDecodeError.__str__ for the utf-8 codec. */
static void decode_error(pm_heap *h, const uint8_t *s, size_t start, size_t end, const char *reason) {
    if (end == start + 1) {
        char hex[4];
        put_hex(hex, s[start], 2);
        pm_err_set(h, PM_EXC_UnicodeDecodeError, "'utf-8' codec can't decode byte 0x%s in position %zu: %s",
                   hex, start, reason);
    } else {
        pm_err_set(h, PM_EXC_UnicodeDecodeError, "'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                   start, end - 1, reason);
    }
}

/* unicode_decode_utf8 with the strict handler. The allocation sequence is
 * CPython's: PyUnicode_New(n, 127) for the ASCII fast path; when a code
 * point does not fit the writer's kind, a new buffer PyUnicode_New(n, ch)
 * (the writer's min_length is n), the old one freed; at the end
 * _PyUnicodeWriter_Finish reallocs to the exact length (resize_compact) and
 * unicode_result substitutes singletons. */
static pm_object *unicode_decode_utf8(pm_heap *h, const char *str, size_t n) {
    const uint8_t *s = (const uint8_t *)str;
    if (n == 0) return pm_newref(unicode_get_empty(h));
    if (n == 1 && s[0] < 0x80) return get_latin1_char(h, s[0]);
    if (n > (size_t)PTRDIFF_MAX) { no_memory(h); return NULL; }
    pm_object *u = unicode_new(h, (int64_t)n, 127);
    if (!u) return NULL;
    uint8_t *d = unicode_data(u);
    size_t pos = 0;
    while (pos < n && s[pos] < 0x80) {
        d[pos] = s[pos];
        pos++;
    }
    if (pos == n) return u;

    pm_object *buf = u;                 /* the writer's buffer */
    uint32_t wmax = 0x7f;               /* writer->maxchar */
    int64_t opos = (int64_t)pos;        /* writer->pos */
    size_t i = pos;
    while (i < n) {
        size_t start = i;
        uint32_t ch = 0;
        int r = decode_one(s, n, &i, &ch);
        if (r) {
            if (r == 5) decode_error(h, s, start, n, "unexpected end of data");
            else if (r == 1) decode_error(h, s, start, start + 1, "invalid start byte");
            else decode_error(h, s, start, start + (size_t)r - 1, "invalid continuation byte");
            pm_decref(h, buf);
            return NULL;
        }
        if (ch > wmax) {
            /* _PyUnicodeWriter_PrepareInternal: widen into a new buffer of the same length */
            pm_object *nb = unicode_new(h, (int64_t)n, ch);
            if (!nb) { pm_decref(h, buf); return NULL; }
            copy_characters(nb, 0, buf, 0, opos);
            pm_decref(h, buf);
            buf = nb;
            wmax = max_char_value(buf);
        }
        unicode_write(PM_UNICODE_KIND(buf), unicode_data(buf), opos++, ch);
    }
    if (PM_UNICODE_LENGTH(buf) != opos) {
        pm_object *b2 = resize_compact(h, buf, opos);
        if (!b2) { pm_decref(h, buf); return NULL; }
        buf = b2;
    }
    return unicode_result(h, buf);
}

pm_object *pm_unicode_from_utf8(pm_heap *h, const char *s, size_t n) { return unicode_decode_utf8(h, s, n); }

pm_object *pm_unicode_from_string(pm_heap *h, const char *s) { return unicode_decode_utf8(h, s, strlen(s)); }

/* _PyUnicode_FromUCS4 (PyUnicode_FromKindAndData with kind 4). */
pm_object *pm_unicode_from_ucs4(pm_heap *h, const uint32_t *cps, size_t n) {
    uint32_t maxchar = 0;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] > PM_MAX_UNICODE) {
            pm_err_set(h, PM_EXC_ValueError, "character U+%x is not in range [U+0000; U+10ffff]", (unsigned)cps[i]);
            return NULL;
        }
        if (cps[i] > maxchar) maxchar = cps[i];
    }
    if (n == 0) return pm_newref(unicode_get_empty(h));
    if (n == 1) return unicode_char(h, cps[0]);
    if (n > (size_t)PTRDIFF_MAX) { no_memory(h); return NULL; }
    pm_object *u = unicode_new(h, (int64_t)n, maxchar);
    if (!u) return NULL;
    int kind = PM_UNICODE_KIND(u);
    void *data = unicode_data(u);
    for (size_t i = 0; i < n; i++) unicode_write(kind, data, (int64_t)i, cps[i]);
    return u;
}

pm_object *pm_unicode_from_ordinal(pm_heap *h, uint32_t cp) {
    if (cp > PM_MAX_UNICODE) {
        pm_err_set(h, PM_EXC_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    return unicode_char(h, cp);
}

/* PyUnicode_FromKindAndData for a run of an existing str's data: the
 * narrowest kind for the run's actual largest code point. */
static pm_object *from_kind_and_data(pm_heap *h, int kind, const void *data, int64_t n) {
    if (n == 0) return pm_newref(unicode_get_empty(h));
    if (n == 1) return unicode_char(h, pm_unicode_read(kind, data, 0));
    uint32_t maxchar = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t ch = pm_unicode_read(kind, data, i);
        if (ch > maxchar) maxchar = ch;
    }
    pm_object *u = unicode_new(h, n, maxchar);
    if (!u) return NULL;
    int k = PM_UNICODE_KIND(u);
    void *d = unicode_data(u);
    if (k == kind) memcpy(d, data, (size_t)n * (size_t)kind);
    else for (int64_t i = 0; i < n; i++) unicode_write(k, d, i, pm_unicode_read(kind, data, i));
    return u;
}

/* ---- Access --------------------------------------------------------------------------- */

int64_t pm_unicode_length(pm_heap *h, pm_object *s) { (void)h; return PM_UNICODE_LENGTH(s); }
int pm_unicode_kind(pm_heap *h, pm_object *s) { (void)h; return PM_UNICODE_KIND(s); }
int pm_unicode_is_ascii(pm_heap *h, pm_object *s) { (void)h; return PM_UNICODE_IS_ASCII(s); }
uint32_t pm_unicode_max_char_value(pm_heap *h, pm_object *s) { (void)h; return max_char_value(s); }

uint32_t pm_unicode_read_char(pm_heap *h, pm_object *s, int64_t i) {
    (void)h;
    return pm_unicode_read(PM_UNICODE_KIND(s), unicode_data(s), i);
}

pm_object *pm_unicode_getitem(pm_heap *h, pm_object *s, int64_t i) {
    int64_t len = PM_UNICODE_LENGTH(s);
    if (i < 0) i += len;
    if (i < 0 || i >= len) {
        pm_err_set(h, PM_EXC_IndexError, "string index out of range");
        return NULL;
    }
    return unicode_char(h, pm_unicode_read(PM_UNICODE_KIND(s), unicode_data(s), i));
}

/* ---- UTF-8 encoding ----------------------------------------------------------------------- */

static inline int utf8_width(uint32_t ch) { return ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4; }

static size_t utf8_put(char *out, uint32_t ch) {
    if (ch < 0x80) { out[0] = (char)ch; return 1; }
    if (ch < 0x800) {
        out[0] = (char)(0xC0 | (ch >> 6));
        out[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        out[0] = (char)(0xE0 | (ch >> 12));
        out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        out[2] = (char)(0x80 | (ch & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (ch >> 18));
    out[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
    out[3] = (char)(0x80 | (ch & 0x3F));
    return 4;
}

/* UnicodeEncodeError for the run of surrogates starting at `start`. */
static void encode_error(pm_heap *h, pm_object *s, int64_t start) {
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    int64_t len = PM_UNICODE_LENGTH(s), end = start + 1;
    while (end < len && is_surrogate(pm_unicode_read(kind, data, end))) end++;
    if (end == start + 1) {
        char hex[8];
        put_hex(hex, pm_unicode_read(kind, data, start), 4);
        pm_err_set(h, PM_EXC_UnicodeEncodeError,
                   "'utf-8' codec can't encode character '\\u%s' in position %lld: surrogates not allowed",
                   hex, (long long)start);
    } else {
        pm_err_set(h, PM_EXC_UnicodeEncodeError,
                   "'utf-8' codec can't encode characters in position %lld-%lld: surrogates not allowed",
                   (long long)start, (long long)(end - 1));
    }
}

/* Length of the UTF-8 encoding, or -1 with UnicodeEncodeError. */
static int64_t utf8_length(pm_heap *h, pm_object *s) {
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    int64_t len = PM_UNICODE_LENGTH(s), total = 0;
    if (PM_UNICODE_IS_ASCII(s)) return len;
    for (int64_t i = 0; i < len; i++) {
        uint32_t ch = pm_unicode_read(kind, data, i);
        if (is_surrogate(ch)) { encode_error(h, s, i); return -1; }
        total += utf8_width(ch);
    }
    return total;
}

static void utf8_encode(pm_object *s, char *out) {
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    int64_t len = PM_UNICODE_LENGTH(s);
    size_t k = 0;
    for (int64_t i = 0; i < len; i++) k += utf8_put(out + k, pm_unicode_read(kind, data, i));
}

/* The bytes writer of the strict UTF-8 encoder: a 512-byte stack buffer,
 * or a bytes object of len * max_char_size bytes when that is larger.
 * Returns 0 with MemoryError when that size overflows (CPython's check). */
static size_t utf8_writer_need(pm_heap *h, pm_object *s) {
    int kind = PM_UNICODE_KIND(s);
    uint64_t max_char_size = kind == 1 ? 2 : kind == 2 ? 3 : 4;
    uint64_t len = (uint64_t)PM_UNICODE_LENGTH(s);
    if (len > (uint64_t)PTRDIFF_MAX / max_char_size) {
        no_memory(h);
        return 0;
    }
    return (size_t)(len * max_char_size);
}
#define BYTES_WRITER_SMALL_BUFFER 512

int pm_unicode_write_utf8(pm_heap *h, pm_object *s, pm_strbuf *sb) {
    int64_t n = utf8_length(h, s);
    if (n < 0) return -1;
    if (PM_UNICODE_IS_ASCII(s)) {
        _pm_strbuf_put(sb, unicode_data(s), (size_t)n);
    } else {
        int kind = PM_UNICODE_KIND(s);
        const void *data = unicode_data(s);
        char tmp[4];
        for (int64_t i = 0; i < PM_UNICODE_LENGTH(s); i++)
            _pm_strbuf_put(sb, tmp, utf8_put(tmp, pm_unicode_read(kind, data, i)));
    }
    if (sb->failed) { pm_err_nomem(h); return -1; }
    return 0;
}

/* unicode_fill_utf8: encode through the bytes writer, then cache a
 * PyObject_Malloc'ed copy of len + 1 bytes. */
static int unicode_fill_utf8(pm_heap *h, pm_object *s) {
    size_t need = utf8_writer_need(h, s);
    if (need == 0) return -1;      /* a non-ASCII str is never empty: 0 means overflow */
    pm_object *writer = NULL;
    if (need > BYTES_WRITER_SMALL_BUFFER) {
        writer = _pm_bytes_from_size(h, need);
        if (!writer) return -1;
    }
    int64_t len = utf8_length(h, s);
    if (len < 0) {               /* the strict handler raises after the writer exists */
        pm_xdecref(h, writer);
        return -1;
    }
    char *cache = pm_malloc(h, PM_DOMAIN_OBJ, (size_t)len + 1);
    if (!cache) {
        pm_err_nomem(h);
        pm_xdecref(h, writer);
        return -1;
    }
    utf8_encode(s, cache);
    cache[len] = '\0';
    pm_compactunicodeobject *c = (pm_compactunicodeobject *)s;
    c->utf8 = cache;
    c->utf8_length = len;
    pm_xdecref(h, writer);
    return 0;
}

const char *pm_unicode_as_utf8_and_size(pm_heap *h, pm_object *s, size_t *plen) {
    if (PM_UNICODE_IS_ASCII(s)) {
        if (plen) *plen = (size_t)PM_UNICODE_LENGTH(s);
        return unicode_data(s);
    }
    pm_compactunicodeobject *c = (pm_compactunicodeobject *)s;
    if (!c->utf8 && unicode_fill_utf8(h, s) < 0) return NULL;
    if (plen) *plen = (size_t)c->utf8_length;
    return c->utf8;
}

int pm_unicode_has_utf8_cache(pm_heap *h, pm_object *s) { (void)h; return has_utf8_memory(s); }

/* _PyUnicode_AsUTF8String (strict). */
pm_object *pm_unicode_encode_utf8(pm_heap *h, pm_object *s) {
    if (PM_UNICODE_IS_ASCII(s))
        return pm_bytes_from_buffer(h, unicode_data(s), (size_t)PM_UNICODE_LENGTH(s));
    pm_compactunicodeobject *c = (pm_compactunicodeobject *)s;
    if (c->utf8) return pm_bytes_from_buffer(h, c->utf8, (size_t)c->utf8_length);
    /* unicode_encode_utf8: the bytes writer, then _PyBytesWriter_Finish */
    size_t need = utf8_writer_need(h, s);
    if (need == 0) return NULL;
    if (need <= BYTES_WRITER_SMALL_BUFFER) {
        char small[BYTES_WRITER_SMALL_BUFFER];
        int64_t len = utf8_length(h, s);
        if (len < 0) return NULL;
        utf8_encode(s, small);
        return pm_bytes_from_buffer(h, small, (size_t)len);
    }
    pm_object *b = _pm_bytes_from_size(h, need);
    if (!b) return NULL;
    int64_t len = utf8_length(h, s);
    if (len < 0) { pm_decref(h, b); return NULL; }
    utf8_encode(s, PM_BYTES_AS_STRING(b));
    if (_pm_bytes_resize(h, &b, (size_t)len) < 0) return NULL;
    return b;
}

/* ---- Operations ---------------------------------------------------------------------------- */

pm_object *pm_unicode_str(pm_heap *h, pm_object *s) { (void)h; return unicode_result_unchanged(s); }

pm_object *pm_unicode_concat(pm_heap *h, pm_object *a, pm_object *b) {
    pm_object *empty = unicode_get_empty(h);
    if (a == empty) return unicode_result_unchanged(b);
    if (b == empty) return unicode_result_unchanged(a);
    int64_t la = PM_UNICODE_LENGTH(a), lb = PM_UNICODE_LENGTH(b);
    if (la > INT64_MAX - lb) {
        pm_err_set(h, PM_EXC_OverflowError, "strings are too large to concat");
        return NULL;
    }
    uint32_t ma = max_char_value(a), mb = max_char_value(b);
    pm_object *u = unicode_new(h, la + lb, ma > mb ? ma : mb);
    if (!u) return NULL;
    copy_characters(u, 0, a, 0, la);
    copy_characters(u, la, b, 0, lb);
    return u;
}

int pm_unicode_append(pm_heap *h, pm_object **pleft, pm_object *right) {
    pm_object *left = *pleft;
    pm_object *empty = unicode_get_empty(h);
    if (left == empty) {
        pm_decref(h, left);
        *pleft = pm_newref(right);
        return 0;
    }
    if (right == empty) return 0;
    int64_t ll = PM_UNICODE_LENGTH(left), lr = PM_UNICODE_LENGTH(right);
    if (ll > INT64_MAX - lr) {
        pm_err_set(h, PM_EXC_OverflowError, "strings are too large to concat");
        goto error;
    }
    if (unicode_modifiable(h, left) && pm_unicode_check(h, right)
        && PM_UNICODE_KIND(right) <= PM_UNICODE_KIND(left)
        && !(PM_UNICODE_IS_ASCII(left) && !PM_UNICODE_IS_ASCII(right))) {
        /* append in place: unicode_resize -> resize_compact */
        pm_object *nl = resize_compact(h, left, ll + lr);
        if (!nl) goto error;
        copy_characters(nl, ll, right, 0, lr);
        *pleft = nl;
        return 0;
    }
    uint32_t ma = max_char_value(left), mb = max_char_value(right);
    pm_object *res = unicode_new(h, ll + lr, ma > mb ? ma : mb);
    if (!res) goto error;
    copy_characters(res, 0, left, 0, ll);
    copy_characters(res, ll, right, 0, lr);
    pm_decref(h, left);
    *pleft = res;
    return 0;
error:
    PM_CLEAR(h, *pleft);
    return -1;
}

pm_object *pm_unicode_repeat(pm_heap *h, pm_object *s, int64_t n) {
    if (n < 1) return pm_newref(unicode_get_empty(h));
    if (n == 1) return unicode_result_unchanged(s);
    int64_t len = PM_UNICODE_LENGTH(s);
    if (len > INT64_MAX / n) {
        pm_err_set(h, PM_EXC_OverflowError, "repeated string is too long");
        return NULL;
    }
    int64_t nchars = len * n;
    pm_object *u = unicode_new(h, nchars, max_char_value(s));
    if (!u || nchars == 0) return u;
    int kind = PM_UNICODE_KIND(s);
    char *to = unicode_data(u);
    const char *from = unicode_data(s);
    if (len == 1) {
        uint32_t ch = pm_unicode_read(kind, from, 0);
        if (kind == 1) memset(to, (int)ch, (size_t)nchars);
        else for (int64_t i = 0; i < nchars; i++) unicode_write(kind, to, i, ch);
    } else {
        /* _PyBytes_Repeat: copy once, then double the filled prefix */
        size_t total = (size_t)nchars * (size_t)kind, done = (size_t)len * (size_t)kind;
        memcpy(to, from, done);
        while (done < total) {
            size_t chunk = done <= total - done ? done : total - done;
            memcpy(to + done, to, chunk);
            done += chunk;
        }
    }
    return u;
}

pm_object *pm_unicode_substring(pm_heap *h, pm_object *s, int64_t start, int64_t end) {
    int64_t length = PM_UNICODE_LENGTH(s);
    if (end > length) end = length;
    if (start == 0 && end == length) return unicode_result_unchanged(s);
    if (start < 0 || end < 0) {
        pm_err_set(h, PM_EXC_IndexError, "string index out of range");
        return NULL;
    }
    if (start >= length || end < start) return pm_newref(unicode_get_empty(h));
    int64_t n = end - start;
    int kind = PM_UNICODE_KIND(s);
    const char *data = (const char *)unicode_data(s) + start * kind;
    if (PM_UNICODE_IS_ASCII(s)) {
        /* _PyUnicode_FromASCII */
        if (n == 1) return get_latin1_char(h, (uint8_t)data[0]);
        pm_object *u = unicode_new(h, n, 127);
        if (u) memcpy(unicode_data(u), data, (size_t)n);
        return u;
    }
    return from_kind_and_data(h, kind, data, n);
}

/* unicode_subscript with a slice. */
pm_object *pm_unicode_slice(pm_heap *h, pm_object *s, int64_t start, int64_t stop, int64_t step) {
    int64_t len = PM_UNICODE_LENGTH(s);
    int64_t slicelength = _pm_slice_indices(h, len, &start, &stop, &step);
    if (slicelength < 0) return NULL;
    if (slicelength == 0) return pm_newref(unicode_get_empty(h));
    if (start == 0 && step == 1 && slicelength == len) return unicode_result_unchanged(s);
    if (step == 1) return pm_unicode_substring(h, s, start, start + slicelength);
    /* general case: PyUnicode_New(slicelength, max_char) even for length 1 */
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    uint32_t max_char = 127;
    if (!PM_UNICODE_IS_ASCII(s)) {
        uint32_t limit = kind == 1 ? 0x80 : kind == 2 ? 0x100 : 0x10000;   /* kind_maxchar_limit */
        max_char = 0;
        int64_t cur = start;
        for (int64_t i = 0; i < slicelength; cur += step, i++) {
            uint32_t ch = pm_unicode_read(kind, data, cur);
            if (ch > max_char) {
                max_char = ch;
                if (max_char >= limit) break;
            }
        }
    }
    pm_object *u = unicode_new(h, slicelength, max_char);
    if (!u) return NULL;
    int k = PM_UNICODE_KIND(u);
    void *d = unicode_data(u);
    int64_t cur = start;
    for (int64_t i = 0; i < slicelength; cur += step, i++) unicode_write(k, d, i, pm_unicode_read(kind, data, cur));
    return u;
}

pm_object *pm_unicode_join(pm_heap *h, pm_object *sep, pm_object *const *items, size_t n) {
    if (n == 0) return pm_newref(unicode_get_empty(h));
    if (n == 1 && pm_unicode_check(h, items[0])) return pm_newref(items[0]);
    int64_t seplen = 0;
    uint32_t maxchar = 0;
    if (n > 1) {
        if (!sep) sep = h->os->latin1[' '];       /* PyUnicode_FromOrdinal(' ') */
        seplen = PM_UNICODE_LENGTH(sep);
        maxchar = max_char_value(sep);
    }
    int64_t sz = 0;
    for (size_t i = 0; i < n; i++) {
        pm_object *item = items[i];
        if (!pm_unicode_check(h, item)) {
            pm_err_set(h, PM_EXC_TypeError, "sequence item %zu: expected str instance, %s found",
                       i, PM_TYPE(item)->tp_name);
            return NULL;
        }
        int64_t add = PM_UNICODE_LENGTH(item) + (i ? seplen : 0);
        uint32_t m = max_char_value(item);
        if (m > maxchar) maxchar = m;
        if (add > INT64_MAX - sz) {
            pm_err_set(h, PM_EXC_OverflowError, "join() result is too long for a Python string");
            return NULL;
        }
        sz += add;
    }
    pm_object *res = unicode_new(h, sz, maxchar);
    if (!res || sz == 0) return res;
    int64_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && seplen) {
            copy_characters(res, pos, sep, 0, seplen);
            pos += seplen;
        }
        int64_t l = PM_UNICODE_LENGTH(items[i]);
        copy_characters(res, pos, items[i], 0, l);
        pos += l;
    }
    return res;
}

/* ---- Comparison and hashing ------------------------------------------------------------------ */

int pm_unicode_eq(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    if (a == b) return 1;
    int64_t len = PM_UNICODE_LENGTH(a);
    if (len != PM_UNICODE_LENGTH(b)) return 0;
    int kind = PM_UNICODE_KIND(a);
    if (kind != PM_UNICODE_KIND(b)) return 0;
    return memcmp(unicode_data(a), unicode_data(b), (size_t)len * (size_t)kind) == 0;
}

int pm_unicode_compare(pm_heap *h, pm_object *a, pm_object *b) {
    (void)h;
    if (a == b) return 0;
    int ka = PM_UNICODE_KIND(a), kb = PM_UNICODE_KIND(b);
    const void *da = unicode_data(a), *db = unicode_data(b);
    int64_t la = PM_UNICODE_LENGTH(a), lb = PM_UNICODE_LENGTH(b);
    int64_t n = la < lb ? la : lb;
    if (ka == 1 && kb == 1) {
        int c = memcmp(da, db, (size_t)n);
        if (c) return c < 0 ? -1 : 1;
    } else {
        for (int64_t i = 0; i < n; i++) {
            uint32_t ca = pm_unicode_read(ka, da, i), cb = pm_unicode_read(kb, db, i);
            if (ca != cb) return ca < cb ? -1 : 1;
        }
    }
    return la < lb ? -1 : la > lb ? 1 : 0;
}

int64_t pm_unicode_hash(pm_heap *h, pm_object *s) {
    pm_asciiobject *a = (pm_asciiobject *)s;
    if (a->hash != -1) return a->hash;
    a->hash = _pm_hash_bytes(h, unicode_data(s), (size_t)a->length * (size_t)PM_UNICODE_KIND(s));
    return a->hash;
}

/* ---- repr --------------------------------------------------------------------------------------- */

int pm_unicode_isprintable_cp(uint32_t cp) {
    size_t lo = 0, hi = PM_NONPRINTABLE_NRANGES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < pm_nonprintable_ranges[mid][0]) hi = mid;
        else if (cp > pm_nonprintable_ranges[mid][1]) lo = mid + 1;
        else return 0;
    }
    return 1;
}

/* Where repr output goes: UTF-8 into a strbuf, or code units into a str. */
typedef struct repr_sink {
    pm_strbuf *sb;
    int kind;
    void *data;
    int64_t pos;
} repr_sink;

static void sink_put(repr_sink *k, uint32_t ch) {
    if (k->sb) {
        char tmp[4];
        _pm_strbuf_put(k->sb, tmp, utf8_put(tmp, ch));
    } else {
        unicode_write(k->kind, k->data, k->pos++, ch);
    }
}

static void sink_escape(repr_sink *k, char letter, uint32_t ch, int digits) {
    char hex[12];
    put_hex(hex, ch, digits);
    sink_put(k, '\\');
    sink_put(k, (uint8_t)letter);
    for (int i = 0; i < digits; i++) sink_put(k, (uint8_t)hex[i]);
}

/* unicode_repr, first pass: output length, largest output code point, quote. */
static int64_t repr_measure(pm_object *s, uint32_t *pmax, uint32_t *pquote) {
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    int64_t len = PM_UNICODE_LENGTH(s), osize = 0, squote = 0, dquote = 0;
    uint32_t max = 127;
    for (int64_t i = 0; i < len; i++) {
        uint32_t ch = pm_unicode_read(kind, data, i);
        int64_t incr = 1;
        switch (ch) {
        case '\'': squote++; break;
        case '"': dquote++; break;
        case '\\': case '\t': case '\r': case '\n': incr = 2; break;
        default:
            if (ch < ' ' || ch == 0x7f) incr = 4;                  /* \xHH */
            else if (ch < 0x7f) incr = 1;
            else if (pm_unicode_isprintable_cp(ch)) { if (ch > max) max = ch; }
            else if (ch < 0x100) incr = 4;                         /* \xHH */
            else if (ch < 0x10000) incr = 6;                       /* \uHHHH */
            else incr = 10;                                        /* \UHHHHHHHH */
        }
        osize += incr;
    }
    uint32_t quote = '\'';
    if (squote) {
        if (dquote) osize += squote;    /* both present: keep ' and escape it */
        else quote = '"';
    }
    *pmax = max;
    *pquote = quote;
    return osize + 2;
}

static void repr_emit(pm_object *s, uint32_t quote, repr_sink *k) {
    int kind = PM_UNICODE_KIND(s);
    const void *data = unicode_data(s);
    int64_t len = PM_UNICODE_LENGTH(s);
    sink_put(k, quote);
    for (int64_t i = 0; i < len; i++) {
        uint32_t ch = pm_unicode_read(kind, data, i);
        if (ch == quote || ch == '\\') { sink_put(k, '\\'); sink_put(k, ch); }
        else if (ch == '\t') { sink_put(k, '\\'); sink_put(k, 't'); }
        else if (ch == '\n') { sink_put(k, '\\'); sink_put(k, 'n'); }
        else if (ch == '\r') { sink_put(k, '\\'); sink_put(k, 'r'); }
        else if (ch < ' ' || ch == 0x7f) sink_escape(k, 'x', ch, 2);
        else if (ch < 0x7f) sink_put(k, ch);
        else if (pm_unicode_isprintable_cp(ch)) sink_put(k, ch);
        else if (ch < 0x100) sink_escape(k, 'x', ch, 2);
        else if (ch < 0x10000) sink_escape(k, 'u', ch, 4);
        else sink_escape(k, 'U', ch, 8);
    }
    sink_put(k, quote);
}

int pm_unicode_repr(pm_heap *h, pm_object *s, pm_strbuf *sb) {
    uint32_t max, quote;
    repr_measure(s, &max, &quote);
    repr_sink k = { .sb = sb };
    repr_emit(s, quote, &k);
    if (sb->failed) { pm_err_nomem(h); return -1; }
    return 0;
}

pm_object *pm_unicode_repr_object(pm_heap *h, pm_object *s) {
    uint32_t max, quote;
    int64_t osize = repr_measure(s, &max, &quote);
    pm_object *u = unicode_new(h, osize, max);
    if (!u) return NULL;
    repr_sink k = { .sb = NULL, .kind = PM_UNICODE_KIND(u), .data = unicode_data(u), .pos = 0 };
    repr_emit(s, quote, &k);
    return u;
}

/* ---- Type slots ------------------------------------------------------------------------------------ */

static void unicode_dealloc(pm_heap *h, pm_object *o) {
    if (PM_UNICODE_STATE(o).statically_allocated || PM_UNICODE_STATE(o).interned)
        _pm_fatal(h, "deallocating an immortal str");
    if (has_utf8_memory(o)) pm_free(h, PM_DOMAIN_OBJ, ((pm_compactunicodeobject *)o)->utf8);
    pm_object_free(h, o);
}

/* unicode_sizeof (str.__sizeof__). */
static size_t unicode_sizeof(pm_heap *h, pm_object *o) {
    (void)h;
    size_t len = (size_t)PM_UNICODE_LENGTH(o), size;
    if (PM_UNICODE_IS_ASCII(o)) size = PM_UNICODE_ASCII_HEADER + len + 1;
    else size = PM_UNICODE_COMPACT_HEADER + (len + 1) * (size_t)PM_UNICODE_KIND(o);
    if (has_utf8_memory(o)) size += (size_t)((pm_compactunicodeobject *)o)->utf8_length + 1;
    return size;
}

static int64_t unicode_hash(pm_heap *h, pm_object *o) { return pm_unicode_hash(h, o); }

static int unicode_richcompare_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_unicode_check(h, a) || !pm_unicode_check(h, b)) return PM_NOTIMPL;
    return pm_unicode_eq(h, a, b);
}

static int unicode_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) { return pm_unicode_repr(h, o, sb); }

static void intern_table_dealloc(pm_heap *h, pm_object *o) {
    (void)o;
    _pm_fatal(h, "deallocating the str intern table");
}


pm_status _pm_unicode_init(pm_heap *h) {
    pm_objstate *os = h->os;
    pm_type *t = &os->types[PM_T_STR];
    _pm_type_init_static(h, t, PM_T_STR, "str", PM_UNICODE_BASICSIZE, 0, PM_TPFLAGS_BASETYPE);
    t->tp_dealloc = unicode_dealloc;
    t->tp_sizeof = unicode_sizeof;
    t->tp_hash = unicode_hash;
    t->tp_eq = unicode_richcompare_eq;
    t->tp_repr = unicode_repr;

    /* module state: a static immortal object of an internal type */
    pm_unicode_state *st = (pm_unicode_state *)(void *)_pm_static_alloc(h, &os->types[PM_T_OBJECT],
                                                                          sizeof(pm_unicode_state), 0);
    _pm_type_init_static(h, &st->table_type, PM_T__COUNT, "str_intern_table", sizeof(pm_object), 0, 0);
    st->table_type.tp_dealloc = intern_table_dealloc;
    st->ob_base.ob_type = &st->table_type;
    os->unicode = st;
    _pm_hash_secret_init(&st->secret, 0);
    if (interned_resize(h, st, INTERNED_INITIAL) < 0) return PM_ENOMEM;

    /* '' and the 256 one-character strs */
    os->empty_str = new_static_str(h, NULL, 0);
    for (unsigned c = 0; c < 256; c++) {
        uint8_t ch = (uint8_t)c;
        os->latin1[c] = new_static_str(h, &ch, 1);
    }
    /* the static identifier strs CPython interns at start-up */
    for (const char *p = static_identifier_chars; *p; p++) {
        pm_object *id = new_static_str(h, (const uint8_t *)p, 1);
        st->ids[st->nids++] = id;
        pm_unicode_intern(h, &id);
    }
    st->secret.used = 0;   /* interning the identifiers hashed them; the seed may still change */
    return PM_OK;
}

/* ---- Invariant checker ------------------------------------------------------------------------------
 * The identities stated with pm_unicode_state and in unicodeobject.h:
 * the intern table's load and probe reachability, every entry an
 * immortal interned str with a correct cached hash, and the singletons. */
pm_status _pm_unicode_check(pm_heap *h) {
    pm_objstate *os = h->os;
    pm_unicode_state *st = get_state(h);
    size_t cap = st->mask + 1, seen = 0;
    if (!st->table || (cap & st->mask)) return _pm_check_fail(h, "intern table: capacity %zu is not a power of two", cap);
    if (3 * st->count > 2 * cap) return _pm_check_fail(h, "intern table: %zu entries in %zu slots", st->count, cap);
    for (size_t i = 0; i < cap; i++) {
        pm_object *s = st->table[i];
        if (!s) continue;
        seen++;
        if (!pm_unicode_check(h, s)) return _pm_check_fail(h, "intern table slot %zu: not a str", i);
        if (!PM_UNICODE_STATE(s).interned || !pm_is_immortal(s))
            return _pm_check_fail(h, "intern table slot %zu: entry not interned and immortal", i);
        int64_t hash = ((pm_asciiobject *)s)->hash;
        size_t nbytes = (size_t)PM_UNICODE_LENGTH(s) * (size_t)PM_UNICODE_KIND(s);
        int64_t want = nbytes ? (int64_t)_pm_siphash13(st->secret.k0, st->secret.k1, unicode_data(s), nbytes) : 0;
        if (want == -1) want = -2;   /* recomputed without marking the key as used: the checker changes nothing */
        if (hash != want) return _pm_check_fail(h, "intern table slot %zu: cached hash is stale", i);
        size_t j = (size_t)(uint64_t)hash & st->mask;
        while (st->table[j] != s) {
            if (!st->table[j]) return _pm_check_fail(h, "intern table slot %zu: unreachable from its hash", i);
            if (pm_unicode_eq(h, st->table[j], s)) return _pm_check_fail(h, "intern table slot %zu: duplicate", i);
            j = (j + 1) & st->mask;
        }
    }
    if (seen != st->count) return _pm_check_fail(h, "intern table: %zu entries, count says %zu", seen, st->count);
    pm_object *e = os->empty_str;
    if (PM_UNICODE_LENGTH(e) != 0 || !pm_is_immortal(e) || !PM_UNICODE_IS_ASCII(e))
        return _pm_check_fail(h, "the empty str singleton is damaged");
    for (unsigned c = 0; c < 256; c++) {
        pm_object *o = os->latin1[c];
        if (PM_UNICODE_LENGTH(o) != 1 || ((uint8_t *)unicode_data(o))[0] != c || !pm_is_immortal(o)
            || !PM_UNICODE_STATE(o).statically_allocated || (int)PM_UNICODE_IS_ASCII(o) != (c < 0x80)
            || (c >= 0x80 && ((pm_compactunicodeobject *)o)->utf8_length != 2))
            return _pm_check_fail(h, "the latin-1 singleton U+%x is damaged", c);
    }
    return PM_OK;
}

/* ---- Hash seed ------------------------------------------------------------------------------------- */

pm_status pm_hash_set_seed(pm_heap *h, uint32_t seed) {
    pm_unicode_state *st = get_state(h);
    if (st->secret.used) {
        _pm_set_status(h, PM_EBUSY, "the hash seed must be set before any str or bytes is hashed");
        return PM_EBUSY;
    }
    _pm_hash_secret_init(&st->secret, seed);
    /* the start-up identifiers were hashed with the old key: rehash them */
    for (uint32_t i = 0; i < st->nids; i++) ((pm_asciiobject *)st->ids[i])->hash = -1;
    pm_object **old = st->table;
    size_t cap = st->mask + 1;
    st->table = NULL;
    st->count = 0;
    if (interned_resize(h, st, cap) < 0) {
        st->table = old;
        return PM_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++) {
        pm_object *s = old[i];
        if (!s) continue;
        ((pm_asciiobject *)s)->hash = -1;
        *interned_slot(h, st, s, pm_unicode_hash(h, s)) = s;
        st->count++;
    }
    _pm_raw_free(h, old);
    st->secret.used = 0;
    return PM_OK;
}

uint32_t pm_hash_seed(pm_heap *h) { return get_state(h)->secret.seed; }
