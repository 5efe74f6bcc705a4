#!/usr/bin/env python3
"""make_corpus.py — (re)generate the seed inputs of both fuzz targets.

tests/fuzz/corpus/ (fuzz_alloc.c): a configuration byte (bit0 limit, bit1
faulty page source, bit2 fail_every, bit3 debug_checks) with its parameter
bytes, then ops (op byte % 16, slot, domain, size code, ...).

tests/fuzz/corpus_objects/ (fuzz_objects.c): a configuration byte (bit0
limit above the new heap's footprint, bit1 faulty page source, bit2
fail_every, bit3 check after every op, bit4 GC stress) with its parameter
bytes, then ops (op byte % NOPS followed by operand bytes: slot numbers
0..23, small indices, lengths). The object ops consume a varying number of
operand bytes, so each op is followed by a run of small random operand bytes; the phases (build, nest, mutate, release) set
which ops are likely.

Deterministic: the same script writes the same files.
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

# ---- fuzz_objects.c -------------------------------------------------------
# op numbers: the enum in fuzz_objects.c (NOPS = 53)
NOPS = 53
OBJ_CREATE = list(range(0, 13))                    # int .. range(objects)
OBJ_LIST = list(range(13, 27))
OBJ_DICT = list(range(27, 34))
OBJ_SET = list(range(34, 38))
OBJ_NEST = [38, 39]                                 # self-nesting, wrap
OBJ_PROTO = [40, 41, 42]                            # hash, eq, repr
OBJ_HANDLES = [43, 44, 45]                          # dup, release x2
OBJ_MISC = [46, 47, 48]                             # int arithmetic, str/bytes, check
OBJ_BIG = [49]                                      # big str/bytes
OBJ_GC = [50, 51, 52]                               # link, unlink, gc.collect


def obj_ops(r, n, phases):
    out = b''
    for k in range(n):
        pool = phases[min(len(phases) - 1, k * len(phases) // n)]
        op = r.choice(pool)
        out += bytes([op + NOPS * r.randrange((255 - op) // NOPS + 1)])  # any byte with that residue
        if op in OBJ_BIG:                           # slot, kind, size (large), low byte
            out += bytes([r.randrange(24), r.randrange(256), r.randrange(8, 32), r.randrange(256)])
            continue
        for _ in range(r.randrange(3, 12)):
            out += bytes([r.choice([r.randrange(24), r.randrange(24), r.randrange(256)])])
    return out


BUILD = OBJ_CREATE * 3 + OBJ_LIST + OBJ_DICT + OBJ_SET
MUTATE = OBJ_LIST + OBJ_DICT + OBJ_SET + OBJ_NEST + OBJ_PROTO + OBJ_MISC + OBJ_CREATE
TEAR = OBJ_HANDLES * 3 + OBJ_LIST + OBJ_PROTO

OBJ_SEEDS = {
    'build_small': (bytes([0x08]), 11, 60, [BUILD]),                        # check every op
    'mixed': (bytes([0x00]), 12, 250, [BUILD, MUTATE, TEAR]),
    'cycles': (bytes([0x00]), 13, 200, [BUILD, OBJ_NEST * 4 + OBJ_LIST, MUTATE, TEAR]),
    'deep_wrap': (bytes([0x00]), 14, 300, [OBJ_CREATE, [39] * 8 + OBJ_PROTO, TEAR]),
    'limit': (bytes([0x01, 4]), 15, 250, [BUILD, MUTATE + OBJ_BIG * 4]),       # footprint + 64 KiB
    'limit_big': (bytes([0x01, 24]), 19, 250, [BUILD, OBJ_BIG * 12 + MUTATE]),  # + 384 KiB
    'faulty_at': (bytes([0x02, 3]), 16, 200, [BUILD, MUTATE + OBJ_BIG * 4]),   # the 4th page-source call
    'faulty_every': (bytes([0x06, 0, 2]), 17, 200, [BUILD, MUTATE + OBJ_BIG * 6, TEAR]),  # 1st, every 4th
    'dicts_sets': (bytes([0x08]), 18, 150, [OBJ_CREATE + OBJ_DICT * 2 + OBJ_SET * 2, MUTATE]),
    'gc_cycles': (bytes([0x00]), 24, 250, [BUILD, [50] * 6 + [51, 52] + OBJ_NEST + OBJ_HANDLES, MUTATE + OBJ_GC * 3]),
    'gc_stress': (bytes([0x10]), 25, 200, [BUILD + [50] * 4, MUTATE + OBJ_GC * 3 + OBJ_HANDLES]),   # bit4: GC stress
}

# Regression inputs (written as they are): inputs that once broke a contract.
OBJ_REGRESS = {
    # a = []; a.append(a); b = []; b.append(b); a == b overflowed the C stack
    # before pm_object_eq entered the recursion guard
    'regress_eq_cycle': bytes([0x00, 7, 0, 0, 38, 0, 0, 1, 7, 1, 0, 38, 1, 1, 1, 41, 0, 1]),   # ops < NOPS
}
# Regression inputs kept as the files libFuzzer wrote (not generated here;
# this script leaves them in place): regress_stress_during_check — a GC
# stress collection ran inside pm_objects_check (an allocation while it
# compared keys) and untracked a tuple under it.

# Seeds that start with an aligned run of big str/bytes ops (the random
# operand runs of obj_ops() shift the op boundaries, so later ops are
# whatever the bytes say): under a limit or failing page source these
# reach MemoryError at once, and the rest of the input runs on that heap.
def big_prefix(r, n):
    return b''.join(bytes([49, r.randrange(24), r.randrange(256), r.randrange(8, 32), r.randrange(256)])
                    for _ in range(n))


OBJ_OOM_SEEDS = {
    'oom_limit': (bytes([0x01, 8]), 21, 8, 150, [BUILD, MUTATE]),              # footprint + 128 KiB
    'oom_faulty_at': (bytes([0x02, 1]), 22, 8, 150, [BUILD, MUTATE, TEAR]),    # the 2nd page-source call
    'oom_faulty_every': (bytes([0x0e, 0, 1]), 23, 8, 120, [MUTATE]),           # 1st, every 3rd; check every op
}

if __name__ == '__main__':
    os.makedirs(os.path.join(HERE, 'corpus_objects'), exist_ok=True)
    for name, (hdr, seed, nbig, n, phases) in OBJ_OOM_SEEDS.items():
        r = random.Random(seed)
        data = hdr + big_prefix(r, nbig) + obj_ops(r, n, phases)
        with open(os.path.join(HERE, 'corpus_objects', 'seed_' + name), 'wb') as f:
            f.write(data)
        print('corpus_objects/seed_%s: %d bytes' % (name, len(data)))
    for name, data in OBJ_REGRESS.items():
        with open(os.path.join(HERE, 'corpus_objects', name), 'wb') as f:
            f.write(data)
        print('corpus_objects/%s: %d bytes' % (name, len(data)))
    for name, (hdr, seed, n, phases) in OBJ_SEEDS.items():
        data = hdr + obj_ops(random.Random(seed), n, phases)
        with open(os.path.join(HERE, 'corpus_objects', 'seed_' + name), 'wb') as f:
            f.write(data)
        print('corpus_objects/seed_%s: %d bytes' % (name, len(data)))

    os.makedirs(os.path.join(HERE, 'corpus'), exist_ok=True)
    for name, (hdr, seed, n, w, opw) in SEEDS.items():
        data = hdr + ops(random.Random(seed), n, w, opw)
        with open(os.path.join(HERE, 'corpus', 'seed_' + name), 'wb') as f:
            f.write(data)
        print('seed_%s: %d bytes' % (name, len(data)))
