/* api.h — what the wasm glue files share. */
#ifndef PMW_API_H
#define PMW_API_H
#include "pm.h"
#include <stdint.h>

#define EXPORT __attribute__((used, visibility("default")))

/* The heap behind a handle from JavaScript, or NULL if it is not a live heap. */
pm_heap *pmw_live_heap(uint32_t hp);

/* objapi.c's entry, exit and handle checks, for the other glue files:
 * pmw_enter: the live heap with no pending exception, or NULL;
 * pmw_finish / pmw_finish_obj: a status or result (object) with the
 * heap's status set as objapi.c documents; pmw_obj / pmw_obj_of: the
 * validated object behind a handle (of exactly type tid), or NULL with
 * PM_EBADPTR / PM_EFREED / PM_EINVAL set. */
struct pm_object;
pm_heap *pmw_enter(uint32_t hp);
int32_t pmw_finish(pm_heap *h, int64_t rc, int mutated);
uint32_t pmw_finish_obj(pm_heap *h, struct pm_object *o);
struct pm_object *pmw_obj(pm_heap *h, uint32_t p);
struct pm_object *pmw_obj_of(pm_heap *h, uint32_t p, int tid, const char *op);

#endif
