/* unicodeobject.h — str: CPython 3.12's compact string layouts, the
 * one-character singletons, interning (immortal in 3.12), hashing, repr.
 *
 * Layouts (64-bit model sizes; the host structs below fit inside them):
 *
 *   ASCII (every code point < 128)      PyASCIIObject         40 bytes, then n + 1 bytes
 *   compact, kind 1/2/4 by max code pt  PyCompactUnicodeObject 56 bytes, then (n + 1) * kind bytes
 *
 * A str is always stored in the narrowest kind that holds its largest code
 * point (latin-1 < 0x100 <= UCS-2 < 0x10000 <= UCS-4), so two equal strs
 * have the same kind and equal data. The block is requested with exactly
 * header + (n + 1) * kind bytes (PyUnicode_New). sys.getsizeof adds
 * utf8_length + 1 when a non-ASCII str carries a cached UTF-8 copy (a
 * separate PyObject_Malloc block, or static memory for the singletons).
 *
 * Singletons (static, immortal, outside the arenas): '' and the 256
 * one-character strs U+0000..U+00FF (h->os->empty_str, h->os->latin1[]).
 * The 128 non-ASCII ones carry a static UTF-8 copy, as in 3.12, so
 * sys.getsizeof(chr(0xe9)) == 61. Every path that CPython routes through
 * unicode_char / get_latin1_char / unicode_result returns them; paths that
 * call PyUnicode_New(1, ...) directly (step slicing, join) make a new
 * object, as CPython does.
 *
 * Interning (3.12): an interned str is immortal and stays interned for the
 * heap's life. The table is kept in raw bookkeeping memory (not a dict).
 * CPython 3.12 interns its 692 statically allocated identifier strs
 * (_Py_ID, pycore_global_strings.h) before any user code runs. The model
 * creates the 11 one-character ones, "_ a b c d e n p r s x", the only
 * ones whose identity differs observably from what the model would
 * otherwise return: sys.intern('a') is that static object, not the latin-1
 * singleton (measured, tests/fixtures). For the multi-character ones
 * (e.g. '__init__', 'self') the model makes the first str interned the
 * canonical one instead of releasing it: equal results, one more block.
 *
 * All functions return new references unless stated; NULL/-1 with an
 * exception set on failure.
 */
#ifndef PM_UNICODEOBJECT_H
#define PM_UNICODEOBJECT_H

#include "object.h"
#include "siphash.h"

/* ---- Layout ------------------------------------------------------------- */

#define PM_UNICODE_ASCII_HEADER   40    /* sizeof(PyASCIIObject), 64-bit */
#define PM_UNICODE_COMPACT_HEADER 56    /* sizeof(PyCompactUnicodeObject) */
#define PM_UNICODE_BASICSIZE      64    /* sizeof(PyUnicodeObject) = str.__basicsize__ */
#define PM_MAX_UNICODE            0x10FFFFu

/* state.interned values (3.12) */
enum {
    PM_SSTATE_NOT_INTERNED = 0,
    PM_SSTATE_INTERNED_MORTAL = 1,          /* unused in 3.12 (interned strs are immortal) */
    PM_SSTATE_INTERNED_IMMORTAL = 2,
    PM_SSTATE_INTERNED_IMMORTAL_STATIC = 3
};

typedef struct pm_asciiobject {
    pm_object ob_base;
    int64_t length;                 /* number of code points */
    int64_t hash;                   /* -1 until computed */
    struct {
        unsigned int interned : 2;  /* PM_SSTATE_* */
        unsigned int kind : 3;      /* 1, 2 or 4 bytes per code point */
        unsigned int compact : 1;   /* always 1 (no legacy strings in the model) */
        unsigned int ascii : 1;     /* all code points < 128: data follows this struct */
        unsigned int statically_allocated : 1;
        unsigned int : 24;
    } state;
} pm_asciiobject;                   /* model 40 bytes */

typedef struct pm_compactunicodeobject {
    pm_asciiobject _base;
    int64_t utf8_length;            /* bytes of the cached UTF-8, excluding the NUL */
    char *utf8;                     /* cached UTF-8 or NULL */
} pm_compactunicodeobject;          /* model 56 bytes; data follows */

_Static_assert(sizeof(pm_asciiobject) <= PM_UNICODE_ASCII_HEADER, "PyASCIIObject host struct too large");
_Static_assert(sizeof(pm_compactunicodeobject) <= PM_UNICODE_COMPACT_HEADER,
               "PyCompactUnicodeObject host struct too large");

#define PM_UNICODE_STATE(o)  (((pm_asciiobject *)(o))->state)
#define PM_UNICODE_LENGTH(o) (((pm_asciiobject *)(o))->length)
#define PM_UNICODE_KIND(o)   ((int)PM_UNICODE_STATE(o).kind)
#define PM_UNICODE_IS_ASCII(o) (PM_UNICODE_STATE(o).ascii)
#define PM_UNICODE_DATA(o) \
    ((void *)((char *)(o) + (PM_UNICODE_IS_ASCII(o) ? sizeof(pm_asciiobject) : sizeof(pm_compactunicodeobject))))

static inline uint32_t pm_unicode_read(int kind, const void *data, int64_t i) {
    return kind == 1 ? ((const uint8_t *)data)[i]
         : kind == 2 ? ((const uint16_t *)data)[i]
         : ((const uint32_t *)data)[i];
}

static inline int pm_unicode_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_STR];
}

/* ---- Slices (PySlice_Unpack + PySlice_AdjustIndices) ------------------------ */
/* Pass PM_SLICE_NONE for an omitted start/stop/step; other values are the
 * Python ints clamped to [-INT64_MAX, INT64_MAX] (every value beyond the
 * sequence length behaves alike). Returns the slice length, or -1 with
 * ValueError for step 0. */
#define PM_SLICE_NONE INT64_MIN
int64_t _pm_slice_indices(pm_heap *h, int64_t len, int64_t *start, int64_t *stop, int64_t *step);

/* ---- Construction ------------------------------------------------------------- */

/* PyUnicode_DecodeUTF8 (strict): what the interpreter uses for literals and
 * bytes.decode(). Invalid input raises UnicodeDecodeError (set as
 * ValueError until pm_exc_kind has it) with CPython's message. Allocation
 * follows CPython: an ASCII buffer of n bytes first, a wider buffer of n
 * code units each time a code point needs a wider kind, and a final
 * PyObject_Realloc to the exact size — so a decoded non-ASCII str can sit
 * in a larger size class than getsizeof suggests, as in CPython. */
pm_object *pm_unicode_from_utf8(pm_heap *h, const char *s, size_t n);
pm_object *pm_unicode_from_string(pm_heap *h, const char *nul_terminated_utf8);
/* PyUnicode_FromKindAndData(4, ...): narrowest kind, exact allocation,
 * singletons for length 0 and one code point < 256. Code points above
 * U+10FFFF raise ValueError; lone surrogates are allowed (as in '\ud800'). */
pm_object *pm_unicode_from_ucs4(pm_heap *h, const uint32_t *cps, size_t n);
/* chr(cp): the latin-1 singleton for cp < 256, else a new 1-char str. */
pm_object *pm_unicode_from_ordinal(pm_heap *h, uint32_t cp);

/* ---- Access ---------------------------------------------------------------------- */
int64_t pm_unicode_length(pm_heap *h, pm_object *s);
int pm_unicode_kind(pm_heap *h, pm_object *s);              /* 1, 2 or 4 */
int pm_unicode_is_ascii(pm_heap *h, pm_object *s);
uint32_t pm_unicode_max_char_value(pm_heap *h, pm_object *s); /* PyUnicode_MAX_CHAR_VALUE: 0x7f/0xff/0xffff/0x10ffff */
/* Code point at index i (0 <= i < len; no bounds check). */
uint32_t pm_unicode_read_char(pm_heap *h, pm_object *s, int64_t i);
/* s[i] (negative i counts from the end): unicode_char of the code point;
 * IndexError "string index out of range". */
pm_object *pm_unicode_getitem(pm_heap *h, pm_object *s, int64_t i);

/* ---- UTF-8 out --------------------------------------------------------------------- */
/* Appends the UTF-8 of s to sb without touching the model heap (host-side
 * export, e.g. for printing). A lone surrogate raises UnicodeEncodeError
 * (set as ValueError for now) with CPython's message, as print() to a
 * strict UTF-8 stream would. Returns 0 or -1. */
int pm_unicode_write_utf8(pm_heap *h, pm_object *s, pm_strbuf *sb);
/* PyUnicode_AsUTF8AndSize: a pointer to UTF-8 owned by s. ASCII strs return
 * their data; a non-ASCII str gets a cached copy (PyObject_Malloc of
 * len + 1 bytes, counted by sys.getsizeof from then on) unless it has one.
 * Rule: call this exactly where CPython calls PyUnicode_AsUTF8(AndSize) on
 * a Python-visible str — measured on 3.12.1: type(name, bases, ns) (the
 * class name), compile()/exec()/eval() of a str source; NOT print(),
 * str.encode(), f-strings, %-formatting, hash, repr, dict keys, getattr.
 * *len may be NULL. */
const char *pm_unicode_as_utf8_and_size(pm_heap *h, pm_object *s, size_t *len);
/* str.encode() / PyUnicode_AsUTF8String: a new bytes object (uses the
 * cached copy if present, never creates one). */
pm_object *pm_unicode_encode_utf8(pm_heap *h, pm_object *s);
/* 1 if s carries a separate UTF-8 copy (counted by getsizeof). */
int pm_unicode_has_utf8_cache(pm_heap *h, pm_object *s);

/* ---- Operations -------------------------------------------------------------------- */
pm_object *pm_unicode_concat(pm_heap *h, pm_object *a, pm_object *b);       /* a + b */
/* PyUnicode_Append (s += t): steals *pleft; resizes in place when *pleft is
 * modifiable (refcount 1, hash not computed, not interned, same or wider
 * kind and not ASCII += non-ASCII), otherwise concatenates. On failure
 * *pleft is released and set to NULL, and -1 is returned. */
int pm_unicode_append(pm_heap *h, pm_object **pleft, pm_object *right);
pm_object *pm_unicode_repeat(pm_heap *h, pm_object *s, int64_t n);          /* s * n */
/* PyUnicode_Substring: [start, end) with 0 <= start; end clamped to len. */
pm_object *pm_unicode_substring(pm_heap *h, pm_object *s, int64_t start, int64_t end);
/* s[start:stop:step] with Python semantics (see PM_SLICE_NONE). */
pm_object *pm_unicode_slice(pm_heap *h, pm_object *s, int64_t start, int64_t stop, int64_t step);
/* sep.join(items) for an array of strs (_PyUnicode_JoinArray; also what
 * BUILD_STRING uses for f-strings with sep = ''). sep NULL means ' '.
 * TypeError for a non-str item. */
pm_object *pm_unicode_join(pm_heap *h, pm_object *sep, pm_object *const *items, size_t n);
/* str(s): s itself for an exact str. */
pm_object *pm_unicode_str(pm_heap *h, pm_object *s);

/* -1, 0, 1 in code point order (unicode_compare). */
int pm_unicode_compare(pm_heap *h, pm_object *a, pm_object *b);
/* 1 if equal, 0 if not (both must be strs). */
int pm_unicode_eq(pm_heap *h, pm_object *a, pm_object *b);
/* hash(s), cached in the object. */
int64_t pm_unicode_hash(pm_heap *h, pm_object *s);

/* ---- Interning ---------------------------------------------------------------------- */
/* PyUnicode_InternInPlace: *p (a reference the caller owns) is replaced by
 * the canonical interned str equal to it (the old reference is released);
 * if none exists, *p itself becomes the canonical one and immortal. On
 * out-of-memory the string stays uninterned (CPython clears the error too). */
void pm_unicode_intern(pm_heap *h, pm_object **p);
pm_object *pm_unicode_intern_from_string(pm_heap *h, const char *utf8);   /* PyUnicode_InternFromString */
int pm_unicode_is_interned(pm_heap *h, pm_object *s);
/* all_name_chars (Objects/codeobject.c): 1 if s is ASCII made only of
 * [A-Za-z0-9_] (the empty str included). The 3.12 compiler interns string
 * constants that pass this test, and every name (co_names, co_varnames,
 * attribute names), which is why an identifier-like literal is immortal. */
int pm_unicode_all_name_chars(pm_heap *h, pm_object *s);
size_t pm_unicode_interned_count(pm_heap *h);

/* ---- repr --------------------------------------------------------------------------- */
/* Appends repr(s) as UTF-8 (unicode_repr: quote choice, \t \n \r \\ \' and
 * \xhh / \uhhhh / \Uhhhhhhhh for non-printable code points; printability
 * from the Unicode 15.0 table of unicodectype.h, exact for all code points). */
int pm_unicode_repr(pm_heap *h, pm_object *s, pm_strbuf *sb);
/* repr(s) as a new str, allocated as unicode_repr does (PyUnicode_New of
 * the output length and largest output code point). */
pm_object *pm_unicode_repr_object(pm_heap *h, pm_object *s);
int pm_unicode_isprintable_cp(uint32_t cp);

/* ---- Checker ------------------------------------------------------------------------ */
/* Verifies the intern table and the str singletons; PM_OK or PM_ECORRUPT
 * with the message in pm_heap_error (candidate for pm_heap_check). */
pm_status _pm_unicode_check(pm_heap *h);

/* ---- Hash seed ---------------------------------------------------------------------- */
/* PYTHONHASHSEED for this heap (0 = the all-zero key, the default). Only
 * before the first str/bytes hash is computed: PM_EBUSY afterwards. */
pm_status pm_hash_set_seed(pm_heap *h, uint32_t seed);
uint32_t pm_hash_seed(pm_heap *h);

#endif /* PM_UNICODEOBJECT_H */
