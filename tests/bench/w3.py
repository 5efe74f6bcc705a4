#!/usr/bin/env python3
"""w3.py — W3 `refcount-cascade` (shared/reference/workloads.md W3) on real
CPython, the anchor the pyheap figures are compared with.

    PYENV_VERSION=3.12.1 python3.12 tests/bench/w3.py KIND [N]

KIND: list | slots | inst; N defaults to 1,000,000. gc.collect(); gc.disable();
then twice (rep 0 cold, rep 1 reported): build the chain, then time
`del head` (the only reference to the first node), which frees all N nodes
through reference counting. Prints the spec's line:

    W3 py=3.12.1 kind=list N=1000000 cold_ns=.. ns=.. ns_per_obj=..
"""
import gc
import platform
import sys
import time


class Link:
    __slots__ = ("next",)


class Obj:
    pass


def build(kind, n):
    x = None
    if kind == "list":
        for _ in range(n):
            x = [x]
    elif kind == "slots":
        for _ in range(n):
            node = Link()
            node.next = x
            x = node
    else:
        for _ in range(n):
            node = Obj()
            node.next = x
            x = node
    return x


def rep(kind, n):
    head = build(kind, n)
    t0 = time.perf_counter_ns()
    del head
    t1 = time.perf_counter_ns()
    return t1 - t0


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else "list"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    if kind not in ("list", "slots", "inst") or n < 1:
        sys.exit("usage: w3.py list|slots|inst [N]")
    gc.collect()
    gc.disable()
    cold = rep(kind, n)
    warm = rep(kind, n)
    print("W3 py=%s kind=%s N=%d cold_ns=%d ns=%d ns_per_obj=%.2f"
          % (platform.python_version(), kind, n, cold, warm, warm / n))


if __name__ == "__main__":
    main()
