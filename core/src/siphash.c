/* siphash.c — SipHash-1-3 and _Py_HashBytes as CPython 3.12 computes them.
 *
 * SipHash (Aumasson and Bernstein) keeps four 64-bit lanes initialised from
 * the key and the ASCII constants "somepseudorandomlygeneratedbytes". Each
 * 8-byte little-endian message word is xored into v3, mixed by c rounds
 * (SipRound: add, rotate, xor across the lanes) and xored into v0. The last
 * word carries the remaining 0..7 bytes and the message length (mod 256)
 * in its top byte. Finalisation xors 0xff into v2 and runs d rounds; the
 * result is v0^v1^v2^v3. CPython uses c = 1, d = 3 ("siphash13").
 */
#include "siphash.h"

static inline uint64_t rotl64(uint64_t x, unsigned b) { return (x << b) | (x >> (64 - b)); }

/* One SipRound over the lanes. */
#define SIPROUND(v0, v1, v2, v3) do {                                   \
    v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);       \
    v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                            \
    v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                            \
    v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);       \
} while (0)

static inline uint64_t load_le64(const uint8_t *p) {
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--) w = (w << 8) | p[i];
    return w;
}

uint64_t _pm_siphash13(uint64_t k0, uint64_t k1, const void *src, size_t n) {
    const uint8_t *in = src;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;   /* "somepseu" */
    uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;   /* "dorandom" */
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;   /* "lygenera" */
    uint64_t v3 = k1 ^ 0x7465646279746573ULL;   /* "tedbytes" */
    size_t left = n;
    for (; left >= 8; left -= 8, in += 8) {
        uint64_t m = load_le64(in);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t last = (uint64_t)n << 56;
    for (size_t i = 0; i < left; i++) last |= (uint64_t)in[i] << (8 * i);
    v3 ^= last;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return (v0 ^ v1) ^ (v2 ^ v3);
}

/* Python/bootstrap_hash.c lcg_urandom: x = x*214013 + 2531011 (mod 2^32),
 * each output byte is bits 16..23 of x. The secret is 24 bytes
 * (sizeof(_Py_HashSecret_t)); siphash uses the first 16. */
static void lcg_urandom(uint32_t x0, uint8_t *buf, size_t n) {
    uint32_t x = x0;
    for (size_t i = 0; i < n; i++) {
        x = x * 214013u + 2531011u;
        buf[i] = (uint8_t)((x >> 16) & 0xff);
    }
}

void _pm_hash_secret_init(pm_hash_secret *s, uint32_t seed) {
    uint8_t secret[24] = {0};
    if (seed) lcg_urandom(seed, secret, sizeof secret);
    s->k0 = load_le64(secret);
    s->k1 = load_le64(secret + 8);
    s->seed = seed;
}

int64_t _pm_hash_bytes(pm_heap *h, const void *src, size_t n) {
    if (n == 0) return 0;
    pm_hash_secret *s = _pm_hash_secret(h);
    s->used = 1;
    int64_t x = (int64_t)_pm_siphash13(s->k0, s->k1, src, n);
    return x == -1 ? -2 : x;
}
