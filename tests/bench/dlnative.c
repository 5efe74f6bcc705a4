/* dlnative.c — emscripten's own dlmalloc (system/lib/dlmalloc.c, 2.8.6)
 * compiled natively with emscripten's configuration, for the
 * dlmalloc-native W1 backend: wasm-dlmalloc / dlmalloc-native is the cost of
 * wasm itself for one allocator source.
 *
 * The configuration is what the top of dlmalloc.c sets under __EMSCRIPTEN__
 * (no mmap, cannot trim, no stats, no locks without pthreads), with
 * dlmalloc/dlfree names (USE_DL_PREFIX) so glibc's malloc stays untouched.
 * In wasm MORECORE is sbrk over linear memory; here it is one contiguous,
 * grow-only break over a private 2 GiB reservation (the wasm build's
 * MAXIMUM_MEMORY). Build: gcc ... -I<emscripten>/system/lib dlnative.c
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>
#include <sys/mman.h>

#define DLNATIVE_RESERVE ((size_t)2 << 30)

static char *g_base, *g_brk;

int dlnative_init(void) {
    if (g_base) return 0;
    void *p = mmap(NULL, DLNATIVE_RESERVE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return -1;
    g_base = g_brk = p;
    return 0;
}

static void *dlnative_morecore(intptr_t increment) {
    if (!g_base && dlnative_init() != 0) return (void *)-1;
    char *old = g_brk;
    if (increment < 0) return (void *)-1;               /* MORECORE_CANNOT_TRIM */
    if ((size_t)increment > DLNATIVE_RESERVE - (size_t)(g_brk - g_base)) return (void *)-1;
    g_brk += increment;
    return old;
}

#define USE_DL_PREFIX 1
#define HAVE_MMAP 0
#define MORECORE dlnative_morecore
#define MORECORE_CONTIGUOUS 1
#define MORECORE_CANNOT_TRIM 1
#define NO_MALLOC_STATS 1
#define USE_LOCKS 0

#include "dlmalloc.c"
