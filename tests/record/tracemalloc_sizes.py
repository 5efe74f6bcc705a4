"""Records what CPython 3.12's tracemalloc sees, for the native tests of
core/src/tracemalloc.c (tests/core/test_tracemalloc.c).

    PYENV_VERSION=3.12.1 python3.12 tests/record/tracemalloc_sizes.py > tests/fixtures/tracemalloc_sizes.txt

Output: one fact per line, "<case> <value>"; lines starting with '#' are
comments. Never edit the output by hand; rerun this script.

Sections
  block.<name>        sizes (descending) of the blocks still traced after one
                      statement, traced on that statement's line alone
                      (tracemalloc.clear_traces() just before it): "-" if none
  limit.<calls>       get_traceback_limit() after the start() calls named
  start_error.<n>     the ValueError message of tracemalloc.start(n)
  stopped.<what>      get_traced_memory() / is_tracing() / get_traceback_limit()
                      after stop()
"""
import sys
import tracemalloc

out = []


def emit(case, value):
    assert " " not in case, case
    out.append(f"{case} {value}")


LINES = {}
src = open(__file__).read().splitlines()
for i, text in enumerate(src):
    if "# BLOCK:" in text:
        LINES[text.split("# BLOCK:")[1].strip()] = i + 1


def blocks(name, snap):
    line = LINES[name]
    sizes = sorted((t.size for t in snap.traces
                    if t.traceback[0].filename == __file__ and t.traceback[0].lineno == line), reverse=True)
    emit(f"block.{name}", " ".join(map(str, sizes)) if sizes else "-")


class A:
    pass


def run_blocks():
    keep = []
    # make sure every free list involved holds something
    junk = [[] for _ in range(10)] + [1.5 * i for i in range(10)] + [{} for _ in range(10)]
    junk += [(i, i) for i in range(10)]
    del junk
    big = "100000000000000000000"
    tracemalloc.start()

    tracemalloc.clear_traces()
    x = object()  # BLOCK: object
    blocks("object", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = int(big)  # BLOCK: bigint
    blocks("bigint", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = A()  # BLOCK: inst_first
    blocks("inst_first", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = A()  # BLOCK: inst_second
    blocks("inst_second", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = {1, 2, 3}  # BLOCK: set3
    blocks("set3", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = [None] * 100  # BLOCK: list_repeat100
    blocks("list_repeat100", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = float(big)  # BLOCK: float
    blocks("float", tracemalloc.take_snapshot()); keep.append(x)

    sx, by = "x", b"y"           # variables: "x" * 100 would be folded into a constant
    tracemalloc.clear_traces()
    x = sx * 100  # BLOCK: str100
    blocks("str100", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = sx * 5000  # BLOCK: str5000
    blocks("str5000", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = by * 100  # BLOCK: bytes100
    blocks("bytes100", tracemalloc.take_snapshot()); keep.append(x)

    n = 25
    tracemalloc.clear_traces()
    x = (None,) * n  # BLOCK: tuple25
    blocks("tuple25", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.clear_traces()
    x = [None] * 1000  # BLOCK: list_repeat1000
    blocks("list_repeat1000", tracemalloc.take_snapshot()); keep.append(x)

    tracemalloc.stop()


run_blocks()

# ---- limits and errors ----------------------------------------------------------
tracemalloc.start(3)
tracemalloc.start(7)
emit("limit.start3_start7", tracemalloc.get_traceback_limit())
tracemalloc.stop()
emit("limit.after_stop", tracemalloc.get_traceback_limit())
emit("stopped.traced_memory", "%d %d" % tracemalloc.get_traced_memory())
emit("stopped.is_tracing", int(tracemalloc.is_tracing()))
for n in (0, -1, 65536):
    try:
        tracemalloc.start(n)
        emit(f"start_error.{n}", "none")
        tracemalloc.stop()
    except ValueError as e:
        emit(f"start_error.{n}", str(e))
tracemalloc.start(65535)
emit("limit.start65535", tracemalloc.get_traceback_limit())
tracemalloc.stop()
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    emit("snapshot_error", str(e))

print(f"# recorded by tests/record/tracemalloc_sizes.py with Python {sys.version.split()[0]}")
print("\n".join(out))
