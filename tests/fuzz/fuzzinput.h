/* fuzzinput.h — what the fuzz targets share: the input cursor (bytes
 * consumed left to right, 0 past the end) and the fatal report of a broken
 * contract (which op, the heap's last message, then abort() so libFuzzer
 * saves the input). Include from one .c file; the target sets FI.name,
 * FI.data/size at the start of each input, FI.op/opname per op and FI.h
 * while a heap exists. */
#ifndef PYHEAP_FUZZINPUT_H
#define PYHEAP_FUZZINPUT_H

#include "pm.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct fuzz_input {
    const char *name;           /* the target, for messages */
    const uint8_t *data;
    size_t size, pos;
    unsigned long op;           /* 1-based number of the op being run */
    const char *opname;
    pm_heap *h;                 /* the heap, when one exists (its message is printed) */
} fuzz_input;

static fuzz_input FI;

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "\n%s: contract broken at op %lu (%s): ", FI.name, FI.op, FI.opname ? FI.opname : "?");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (FI.h) fprintf(stderr, "pm_heap_error: %s\n", pm_heap_error(FI.h));
    abort();
}
#define REQUIRE(cond, ...) do { if (!(cond)) die(__VA_ARGS__); } while (0)

/* Starts a new input: everything but the target's name is reset. */
static inline void fuzz_input_begin(const char *name, const uint8_t *data, size_t size) {
    FI = (fuzz_input){ name, data, size, 0, 0, NULL, NULL };
}
static inline int more(void) { return FI.pos < FI.size; }
static inline uint8_t u8(void) { return FI.pos < FI.size ? FI.data[FI.pos++] : 0; }
static inline uint16_t u16(void) { uint16_t a = u8(); return (uint16_t)(a | (u8() << 8)); }

#endif /* PYHEAP_FUZZINPUT_H */
