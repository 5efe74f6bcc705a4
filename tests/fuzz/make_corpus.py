#!/usr/bin/env python3
"""make_corpus.py — (re)generate the seed inputs in tests/fuzz/corpus/.

The seeds follow fuzz_alloc.c's input encoding: a configuration byte
(bit0 limit, bit1 faulty page source, bit2 fail_every, bit3 debug_checks)
with its parameter bytes, then ops (op byte % 16, slot, domain, size code,
...). Deterministic: the same script writes the same files.
Usage: python3 tests/fuzz/make_corpus.py
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def size_bytes(r, kind):
    if kind == 'dense':
        return bytes([r.randrange(170)]) + struct.pack('<H', r.randrange(601))
    if kind == 'boundary':
        return bytes([170 + r.randrange(60), r.randrange(33), r.randrange(3)])
    if kind == 'mid':
        return bytes([230 + r.randrange(20)]) + struct.pack('<H', r.randrange(65536))
    if kind == 'big':
        return bytes([250 + r.randrange(4), r.randrange(8)])
    return bytes([254 + r.randrange(2), r.randrange(256)])          # absurd


def pick_size(r, weights):
    kinds = list(weights)
    return size_bytes(r, r.choices(kinds, [weights[k] for k in kinds])[0])


def ops(r, n, weights, opw):
    out = b''
    for _ in range(n):
        op = r.choices(range(16), opw)[0]
        out += bytes([op])
        if op <= 3:
            out += bytes([r.randrange(64), r.randrange(3)]) + pick_size(r, weights)
        elif op == 4:
            out += bytes([r.randrange(64), r.randrange(3)]) + pick_size(r, weights) + bytes([r.randrange(8)])
        elif op in (5, 6, 7):
            out += bytes([r.randrange(64)]) + pick_size(r, weights) + bytes([r.randrange(3)])
        elif op in (8, 9, 10, 11):
            out += bytes([r.randrange(64)])
        elif op in (12, 13):
            out += bytes([r.randrange(7), r.randrange(64)]) + bytes(r.randrange(256) for _ in range(3))
        elif op == 14:
            out += bytes([r.randrange(256)])
    return out


W_SMALL = {'dense': 80, 'boundary': 20, 'mid': 3, 'big': 0.3, 'absurd': 0.2}
W_MIX = {'dense': 50, 'boundary': 20, 'mid': 15, 'big': 3, 'absurd': 1}
OPW_ALLOC = [6, 6, 6, 6, 3, 3, 3, 2, 3, 3, 3, 2, 2, 2, 0, 1]
OPW_CHURN = [4, 4, 4, 4, 2, 3, 3, 3, 5, 5, 5, 3, 2, 2, 1, 1]
OPW_BAD = [4, 4, 4, 4, 1, 2, 2, 2, 2, 2, 2, 2, 8, 8, 1, 1]

SEEDS = {
    'model_small': (bytes([0x00]), 1, 250, W_SMALL, OPW_ALLOC),
    'model_mixed': (bytes([0x08]), 2, 200, W_MIX, OPW_CHURN),           # debug_checks
    'limit_churn': (bytes([0x01, 6]), 3, 200, W_MIX, OPW_CHURN),        # 1.75 MiB limit
    'faulty_at': (bytes([0x02, 5]), 4, 150, W_MIX, OPW_ALLOC),          # 5th page-source call fails
    'faulty_every': (bytes([0x06, 0, 3]), 5, 150, W_MIX, OPW_CHURN),    # every 3rd call fails
    'bad_pointers': (bytes([0x00]), 6, 150, W_SMALL, OPW_BAD),
    'limit_faulty': (bytes([0x07, 12, 9, 4]), 7, 200, W_MIX, OPW_BAD),
}

if __name__ == '__main__':
    os.makedirs(os.path.join(HERE, 'corpus'), exist_ok=True)
    for name, (hdr, seed, n, w, opw) in SEEDS.items():
        data = hdr + ops(random.Random(seed), n, w, opw)
        with open(os.path.join(HERE, 'corpus', 'seed_' + name), 'wb') as f:
            f.write(data)
        print('seed_%s: %d bytes' % (name, len(data)))
