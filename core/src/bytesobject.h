/* bytesobject.h — bytes: PyBytesObject of CPython 3.12.
 *
 * Layout (64-bit model): PyVarObject 24 + ob_shash 8 + n bytes + NUL, the
 * block requested with exactly 33 + n bytes (PyBytesObject_SIZE + n), so
 * sys.getsizeof(b) == 33 + len(b). Not a GC type.
 *
 * Singletons (static, immortal, outside the arenas): b'' (h->os->empty_bytes)
 * and the 256 one-byte objects (h->os->bytes1[]). PyBytes_FromStringAndSize
 * returns them for length 0 and for length 1 with data given; paths that
 * allocate first and fill later (step slicing) make a new one-byte object,
 * and b * 0 for a non-empty b is a new empty object — both as in CPython.
 *
 * hash(b) is the same SipHash-1-3 as str, so hash(b'abc') == hash('abc').
 * All functions return new references; NULL/-1 with an exception set on
 * failure.
 */
#ifndef PM_BYTESOBJECT_H
#define PM_BYTESOBJECT_H

#include "object.h"
#include "siphash.h"

#define PM_BYTES_HEADER 33          /* PyBytesObject_SIZE = offsetof(ob_sval) + 1 */

typedef struct pm_bytesobject {
    pm_varobject ob_base;           /* ob_size = number of bytes */
    int64_t ob_shash;               /* -1 until computed */
    char ob_sval[];                 /* ob_size bytes + NUL */
} pm_bytesobject;

_Static_assert(offsetof(pm_bytesobject, ob_sval) + 1 <= PM_BYTES_HEADER, "PyBytesObject host struct too large");

#define PM_BYTES_SIZE(o) (PM_SIZE(o))
#define PM_BYTES_AS_STRING(o) (((pm_bytesobject *)(o))->ob_sval)

static inline int pm_bytes_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_BYTES];
}

/* PyBytes_FromStringAndSize: data may be NULL (zero-filled contents; no
 * singleton for length 1 then, as in CPython). */
pm_object *pm_bytes_from_buffer(pm_heap *h, const void *data, size_t n);
/* _PyBytes_FromSize: a new object with n uninitialised bytes (b'' for 0). */
pm_object *_pm_bytes_from_size(pm_heap *h, size_t n);
/* _PyBytes_Resize on an object with refcount 1 (PyObject_Realloc; b'' for
 * 0). Steals *pv; on failure *pv is NULL and -1 is returned. */
int _pm_bytes_resize(pm_heap *h, pm_object **pv, size_t n);

int64_t pm_bytes_size(pm_heap *h, pm_object *b);
char *pm_bytes_data(pm_heap *h, pm_object *b);       /* borrowed; NUL-terminated */
/* b[i] (negative i from the end): the byte value, or -1 with IndexError. */
int pm_bytes_getitem(pm_heap *h, pm_object *b, int64_t i);

pm_object *pm_bytes_concat(pm_heap *h, pm_object *a, pm_object *b);
pm_object *pm_bytes_repeat(pm_heap *h, pm_object *b, int64_t n);
/* b[start:stop:step] with Python semantics (PM_SLICE_NONE, unicodeobject.h). */
pm_object *pm_bytes_slice(pm_heap *h, pm_object *b, int64_t start, int64_t stop, int64_t step);

int pm_bytes_eq(pm_heap *h, pm_object *a, pm_object *b);        /* 1 or 0 */
int pm_bytes_compare(pm_heap *h, pm_object *a, pm_object *b);   /* -1, 0, 1 (memcmp, then length) */
int64_t pm_bytes_hash(pm_heap *h, pm_object *b);

/* Appends repr(b) (PyBytes_Repr with smart quotes). */
int pm_bytes_repr(pm_heap *h, pm_object *b, pm_strbuf *sb);
/* repr(b) as a new ASCII str (PyUnicode_New(len, 127), as CPython). */
pm_object *pm_bytes_repr_object(pm_heap *h, pm_object *b);

/* Verifies the bytes singletons; PM_OK or PM_ECORRUPT (message in pm_heap_error). */
pm_status _pm_bytes_check(pm_heap *h);

#endif /* PM_BYTESOBJECT_H */
