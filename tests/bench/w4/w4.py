# w4.py — W4 `alloc-visible-rate` (shared/reference/workloads.md W4) and the
# seed article's `list(gen())`, one job per process. run-w4.mjs writes one
# copy per job with JOB and N filled in (pyheap run has no sys.argv), and runs
# it under python3.12 and under `pyheap run` (node web/cli.js run).
#
# Each job's function holds only the timed loop (locals are fast locals). It
# is called once untimed (warm-up; its time is reported as cold_ns), then once
# timed with time.perf_counter_ns(). GC enabled, default thresholds.
# Output: one line `JOB cold_ns=... ns=... result=...` (result: what the
# timed call returned, the list's length for seed_gen); the runner adds py=,
# N= and ns_per_obj= and prints the spec's W4 line.
import time

JOB = "@JOB@"
N = @N@


class S:
    __slots__ = ("a",)


class C:
    def __init__(self, a):
        self.a = a


def loop(n):
    for i in range(n):
        x = i


def list0(n):
    for i in range(n):
        x = []


def list2(n):
    for i in range(n):
        x = [i, i]


def tuple2(n):
    for i in range(n):
        x = (i, i)


def slots(n):
    for i in range(n):
        x = S()


def inst(n):
    for i in range(n):
        x = C(i)


# the seed article's generator (tests/conformance/seed_generator_vs_list.py),
# over range(n): the job times building the million-element list from it
def gen(n):
    for i in range(n):
        yield i


def seed_gen(n):
    large_object = list(gen(n))
    return len(large_object)


JOBS = {"loop": loop, "list0": list0, "list2": list2, "tuple2": tuple2, "slots": slots, "inst": inst,
        "seed_gen": seed_gen}
fn = JOBS[JOB]
t0 = time.perf_counter_ns()
fn(N)
t1 = time.perf_counter_ns()
result = fn(N)
t2 = time.perf_counter_ns()
print(JOB, "cold_ns=" + str(t1 - t0), "ns=" + str(t2 - t1), "result=" + str(result))
