/* api.h — what the wasm glue files share. */
#ifndef PMW_API_H
#define PMW_API_H
#include "pm.h"
#include <stdint.h>

#define EXPORT __attribute__((used, visibility("default")))

/* The heap behind a handle from JavaScript, or NULL if it is not a live heap. */
pm_heap *pmw_live_heap(uint32_t hp);

/* objapi.c's call endings and object validation, for the other glue files:
 * pmw_finish turns a core result (< 0: failure) into a status or count and
 * runs the debug check after mutations; pmw_finish_obj does the same for a
 * new reference (0 on failure); pmw_obj is the O(1) live-object test
 * (NULL with PM_EBADPTR / PM_EFREED set). */
struct pm_object;
int32_t pmw_finish(pm_heap *h, int64_t rc, int mutated);
uint32_t pmw_finish_obj(pm_heap *h, struct pm_object *o);
struct pm_object *pmw_obj(pm_heap *h, uint32_t p);

#endif
