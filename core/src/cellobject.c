/* cellobject.c — the cell type.
 *
 * Mirrors CPython 3.12 Objects/cellobject.c: PyCell_New, PyCell_Set,
 * cell_get_contents, cell_set_contents, cell_dealloc, cell_traverse,
 * cell_clear, cell_richcompare, cell_repr.
 */
#include "cellobject.h"

_Static_assert(sizeof(pm_cell) <= PM_CELL_BASICSIZE, "cell struct must fit the 24-byte model struct");

static pm_type *cell_type(pm_heap *h) { return pm_builtin_type(h, PM_T_CELL); }

static int not_a_cell(pm_heap *h, pm_object *o) {
    pm_err_set(h, PM_EXC_TypeError, "expected a cell, got '%s'", o ? PM_TYPE(o)->tp_name : "NULL");
    return -1;
}

pm_object *pm_cell_new(pm_heap *h, pm_object *v) {
    pm_object *o = pm_object_alloc(h, cell_type(h), 0);
    if (!o) return NULL;
    ((pm_cell *)o)->ob_ref = v ? pm_newref(v) : NULL;
    pm_gc_track(h, o);
    return o;
}

pm_object *pm_cell_get(pm_heap *h, pm_object *cell) {
    if (!cell || !pm_cell_check(h, cell)) return not_a_cell(h, cell), NULL;
    pm_object *v = PM_CELL_GET(cell);
    if (!v) {
        pm_err_set(h, PM_EXC_ValueError, "Cell is empty");
        return NULL;
    }
    return pm_newref(v);
}

int pm_cell_set(pm_heap *h, pm_object *cell, pm_object *v) {
    if (!cell || !pm_cell_check(h, cell)) return not_a_cell(h, cell);
    pm_cell *c = (pm_cell *)cell;
    pm_object *old = c->ob_ref;          /* Py_XSETREF: store first, release after */
    c->ob_ref = v ? pm_newref(v) : NULL;
    pm_xdecref(h, old);
    return 0;
}

static void cell_dealloc(pm_heap *h, pm_object *o) {
    pm_gc_untrack(h, o);
    pm_xdecref(h, ((pm_cell *)o)->ob_ref);
    pm_object_free(h, o);
}

static int cell_traverse(pm_heap *h, pm_object *o, pm_visitproc visit, void *arg) {
    (void)h;
    pm_object *v = ((pm_cell *)o)->ob_ref;
    return v ? visit(v, arg) : 0;
}

static int cell_clear(pm_heap *h, pm_object *o) {
    PM_CLEAR(h, ((pm_cell *)o)->ob_ref);
    return 0;
}

/* cell_richcompare (==): contents compared when both are set; an empty
 * cell equals only another empty cell. */
static int cell_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_cell_check(h, b)) return PM_NOTIMPL;
    pm_object *x = PM_CELL_GET(a), *y = PM_CELL_GET(b);
    if (x && y) return pm_object_eq(h, x, y);
    return x == y;
}

/* cell_repr: <cell at 0x...: empty> or <cell at 0x...: TYPE object at 0x...> */
static int cell_repr(pm_heap *h, pm_object *o, pm_strbuf *sb) {
    pm_object *v = PM_CELL_GET(o);
    if (v)
        _pm_strbuf_printf(sb, "<cell at %p: %s object at %p>", (void *)o, PM_TYPE(v)->tp_name, (void *)v);
    else
        _pm_strbuf_printf(sb, "<cell at %p: empty>", (void *)o);
    return sb->failed ? (pm_err_nomem(h), -1) : 0;
}

pm_status _pm_cell_init(pm_heap *h) {
    pm_type *t = cell_type(h);
    _pm_type_init_static(h, t, PM_T_CELL, "cell", PM_CELL_BASICSIZE, 0, PM_TPFLAGS_HAVE_GC);
    t->tp_dealloc = cell_dealloc;
    t->tp_traverse = cell_traverse;
    t->tp_clear = cell_clear;
    t->tp_eq = cell_eq;
    t->tp_hash = NULL;                   /* tp_richcompare without tp_hash: unhashable */
    t->tp_repr = cell_repr;
    return PM_OK;
}
