/* api.h — what the wasm glue files share. */
#ifndef PMW_API_H
#define PMW_API_H
#include "pm.h"
#include <stdint.h>

#define EXPORT __attribute__((used, visibility("default")))

/* The heap behind a handle from JavaScript, or NULL if it is not a live heap. */
pm_heap *pmw_live_heap(uint32_t hp);

/* objapi.c's entry, handle check and exit, for the other glue files:
 * the live heap with no exception pending (NULL if dead); the object behind
 * a handle (NULL with PM_EBADPTR / PM_EFREED); a status or count result;
 * a new-reference result (0 with the status set). */
struct pm_object;
pm_heap *pmw_enter(uint32_t hp);
/* Adds the n objects whose handles are at `items` to set s (objapi.c).
 * The handles are copied out first: a class's own __hash__ / __eq__ runs in
 * the host, which reuses the transfer buffer they may sit in. 0 | -1. */
int pmw_set_add_handles(pm_heap *h, struct pm_object *s, const uint32_t *items, uint32_t n);
struct pm_object *pmw_obj(pm_heap *h, uint32_t p);
int32_t pmw_finish(pm_heap *h, int64_t rc, int mutated);
uint32_t pmw_finish_obj(pm_heap *h, struct pm_object *o);
/* the object behind a handle, of exactly built-in type tid (NULL + status otherwise) */
struct pm_object *pmw_obj_of(pm_heap *h, uint32_t p, int tid, const char *op);

/* classapi.c: 1 if o (whose block passed objapi.c's live-block check with
 * pre-header `pre`, `room` bytes after it) is a live user class or an
 * instance of one. */
int _pmw_class_obj_ok(pm_heap *h, struct pm_object *o, size_t pre, size_t room, int pymalloc_block);

#endif
