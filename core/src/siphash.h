/* siphash.h — CPython 3.12's default string/bytes hash (Python/pyhash.c).
 *
 * hash(str) and hash(bytes) on 64-bit CPython 3.12 are SipHash-1-3 over the
 * object's in-memory representation (the kind-sized code units of a str,
 * the bytes of a bytes object), keyed by the first 16 bytes of
 * _Py_HashSecret. Py_HASH_CUTOFF is 0, so the small-string DJBX33A path is
 * never taken. With PYTHONHASHSEED=0 the secret is all zero; with
 * PYTHONHASHSEED=N (1..4294967295) it is filled by the linear congruential
 * generator of Python/bootstrap_hash.c (lcg_urandom) seeded with N. The
 * model has no unseeded randomness, so a heap starts with seed 0.
 */
#ifndef PM_SIPHASH_H
#define PM_SIPHASH_H

#include "object.h"

/* The key of one heap (CPython's _Py_HashSecret.siphash). */
typedef struct pm_hash_secret {
    uint64_t k0, k1;            /* little-endian reads of secret bytes 0..7 and 8..15 */
    uint32_t seed;              /* the PYTHONHASHSEED value the key came from */
    uint32_t used;              /* nonzero once any str/bytes hash was computed */
} pm_hash_secret;

/* SipHash-1-3 with CPython's 64-bit output. */
uint64_t _pm_siphash13(uint64_t k0, uint64_t k1, const void *src, size_t n);

/* Fills *s for PYTHONHASHSEED=seed (0: all-zero key). */
void _pm_hash_secret_init(pm_hash_secret *s, uint32_t seed);

/* _Py_HashBytes: 0 for an empty buffer, else siphash13 with the heap's key,
 * -1 mapped to -2. The key lives in the str module's state. */
int64_t _pm_hash_bytes(pm_heap *h, const void *src, size_t n);

/* The heap's key (defined in unicodeobject.c, where the state lives). */
pm_hash_secret *_pm_hash_secret(pm_heap *h);

#endif /* PM_SIPHASH_H */
