/* api.h — what the wasm glue files share. */
#ifndef PMW_API_H
#define PMW_API_H
#include "pm.h"
#include <stdint.h>

#define EXPORT __attribute__((used, visibility("default")))

/* The heap behind a handle from JavaScript, or NULL if it is not a live heap. */
pm_heap *pmw_live_heap(uint32_t hp);

#endif
