/* rangeobject.h — range objects (CPython 3.12 Objects/rangeobject.c).
 *
 * Layout (64-bit model): PyObject (16) + start, stop, step, length (four
 * int object pointers, 8 bytes each) = 48 bytes; not a GC type, so
 * sys.getsizeof(range(...)) == 48 and gc.is_tracked is False. The four
 * fields are int objects (step != 0, length >= 0), owned by the range.
 * Building a range allocates its length int first (a cached small int for
 * 0..256, else a fresh int object), then the 48-byte range object.
 */
#ifndef PM_RANGEOBJECT_H
#define PM_RANGEOBJECT_H

#include "object.h"

typedef struct pm_range {
    pm_object ob_base;
    pm_object *start, *stop, *step, *length;    /* ints */
} pm_range;

#define PM_RANGE_BASICSIZE 48u

#define PM_RANGE_CHECK(h, o) (PM_TYPE(o) == pm_builtin_type((h), PM_T_RANGE))

/* range(stop) when start and step are NULL, range(start, stop) when only step
 * is NULL, range(start, stop, step) otherwise. Arguments are borrowed and must
 * be ints (TypeError "'X' object cannot be interpreted as an integer"
 * otherwise; bools become ints); ValueError "range() arg 3 must not be zero".
 * New reference. */
pm_object *pm_range_new(pm_heap *h, pm_object *start, pm_object *stop, pm_object *step);
/* The same from C integers. */
pm_object *pm_range_from_int64(pm_heap *h, int64_t start, int64_t stop, int64_t step);

/* len(r): -1 with OverflowError "Python int too large to convert to C ssize_t". */
int64_t pm_range_length(pm_heap *h, pm_object *r);
/* r[i] (sq_item: i is a C integer, negative counts from the end): a new int,
 * or NULL with IndexError "range object index out of range". */
pm_object *pm_range_item(pm_heap *h, pm_object *r, int64_t i);
/* r[index] for an int object index (range_subscript). */
pm_object *pm_range_getitem(pm_heap *h, pm_object *r, pm_object *index);

/* iter(r)'s choice (range_iter): 1 and the C fields of the fast
 * range_iterator when start, stop, step and the length all fit a C long and
 * start + len*step cannot overflow; 0 when CPython would build the
 * arbitrary-precision longrange_iterator instead. */
int pm_range_iter_params(pm_heap *h, pm_object *r, int64_t *start, int64_t *step, int64_t *len);

#endif /* PM_RANGEOBJECT_H */
