#!/usr/bin/env python3
"""w2.py — W2 `gc-full` (shared/reference/workloads.md W2) on real CPython,
the anchor the pyheap figures are compared with.

    PYENV_VERSION=3.12.1 python3.12 tests/bench/w2.py CONTAINER GRAPHFILE

CONTAINER: slots | list; GRAPHFILE: a W2G1 file written and md5-verified by
run-w2.mjs (tests/bench/w2graph.mjs). Procedure W2.3: gc.collect();
gc.freeze(); gc.disable(); untimed build (N containers into `nodes`, then
the edges in node order); root = nodes[0:M]; del nodes; timed
n = gc.collect(); check n == N - M; a second gc.collect(), timed. Prints:

    W2 py=3.12.1 container=slots shape=a N=.. M=.. E=.. unreachable=.. ok=1 build_ns=..
       collect_ns=.. ns_per_obj=.. recollect_ns=.. frozen=..
"""
import gc
import os
import platform
import struct
import sys
import time
from array import array


class Node:
    __slots__ = ("e0", "e1", "e2", "e3")


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"W2G1":
        sys.exit("w2.py: %s is not a W2G1 file" % path)
    n, m, e = struct.unpack_from("<III", data, 4)
    words = array("I")
    words.frombytes(data[16:16 + 4 * (n + 1 + e)])
    if sys.byteorder != "little":
        words.byteswap()
    return n, m, e, words[:n + 1], words[n + 1:]


def build(container, n, m, off, tgt):
    """Steps 2-3 in a function of their own: when it returns, no local
    (`nodes`, the loop's `node`) keeps a garbage node alive."""
    names = ("e0", "e1", "e2", "e3")
    if container == "slots":
        nodes = [Node() for _ in range(n)]
        for i in range(n):
            node = nodes[i]
            for k in range(off[i + 1] - off[i]):
                setattr(node, names[k], nodes[tgt[off[i] + k]])
    else:
        nodes = [[] for _ in range(n)]
        for i in range(n):
            nodes[i].extend([nodes[t] for t in tgt[off[i]:off[i + 1]]])
    root = nodes[0:m]
    del nodes
    return root


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("slots", "list"):
        sys.exit("usage: w2.py slots|list GRAPHFILE")
    container, path = sys.argv[1], sys.argv[2]
    n, m, e, off, tgt = load(path)
    shape = os.path.basename(path)[0]

    gc.collect()
    gc.freeze()
    gc.disable()
    frozen = gc.get_freeze_count()

    b0 = time.perf_counter_ns()
    root = build(container, n, m, off, tgt)
    b1 = time.perf_counter_ns()

    t0 = time.perf_counter_ns()
    got = gc.collect()
    t1 = time.perf_counter_ns()
    again = gc.collect()
    t2 = time.perf_counter_ns()

    ok = int(got == n - m)
    print("W2 py=%s container=%s shape=%s N=%d M=%d E=%d unreachable=%d ok=%d build_ns=%d collect_ns=%d "
          "ns_per_obj=%.2f recollect_ns=%d frozen=%d recollected=%d"
          % (platform.python_version(), container, shape, n, m, e, got, ok, b1 - b0, t1 - t0,
             (t1 - t0) / n, t2 - t1, frozen, again))
    del root
    if not ok:
        sys.exit(2)


if __name__ == "__main__":
    main()
