/* cellobject.h — cell objects (CPython 3.12 Objects/cellobject.c).
 *
 * A cell holds one variable shared between a frame and the closures made
 * in it (MAKE_CELL puts a cell in the frame's slot, a function's closure
 * tuple holds the cells, COPY_FREE_VARS copies them into the inner frame).
 *
 * Layout (64-bit model): PyObject (16) + ob_ref (8) = 24 bytes behind a
 * 16-byte GC head: sys.getsizeof(cell) == 40, empty or not. Tracked from
 * creation. Not weakly referenceable; unhashable ("unhashable type:
 * 'cell'"); == compares the contents, an empty cell equals only an empty
 * cell.
 */
#ifndef PM_CELLOBJECT_H
#define PM_CELLOBJECT_H

#include "object.h"

typedef struct pm_cell {
    pm_object ob_base;
    pm_object *ob_ref;          /* strong, NULL when empty */
} pm_cell;

#define PM_CELL_BASICSIZE 24u

static inline int pm_cell_check(pm_heap *h, const pm_object *o) {
    return PM_TYPE(o) == &h->os->types[PM_T_CELL];
}
#define PM_CELL_GET(o) (((pm_cell *)(o))->ob_ref)     /* borrowed, may be NULL */

/* PyCell_New: a tracked cell holding a new reference to v (NULL: empty). */
pm_object *pm_cell_new(pm_heap *h, pm_object *v);
/* cell.cell_contents: a new reference, or NULL + ValueError "Cell is empty". */
pm_object *pm_cell_get(pm_heap *h, pm_object *cell);
/* PyCell_Set / cell.cell_contents = v (v NULL: del): stores a new reference,
 * then releases the old contents. -1 + TypeError if cell is no cell. */
int pm_cell_set(pm_heap *h, pm_object *cell, pm_object *v);

#endif /* PM_CELLOBJECT_H */
