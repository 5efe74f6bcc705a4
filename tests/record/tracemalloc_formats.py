"""Records what CPython 3.12's Lib/tracemalloc.py prints for hand-made
traces, for tests/lib/tracemalloc.test.js (web/lib/tracemalloc.js runs the
same inputs and must print the same).

    PYENV_VERSION=3.12.1 python3.12 tests/record/tracemalloc_formats.py > tests/fixtures/tracemalloc_formats.json

Snapshots are built with tracemalloc.Snapshot(raw_traces, traceback_limit),
raw traces being 3.12's (domain, size, frames, total_nframe) tuples with
frames most recent first, as _tracemalloc._get_traces() returns them.
Source lines for Traceback.format() come from linecache entries put in
place here (the test gives the JS side the same lines).

Output: one JSON object: the inputs (snapshots, sources, sizes, filters)
and, per case, the str() / repr() lines or the error "Type: message".
Never edit the output by hand; rerun this script.
"""
import json
import linecache
import sys
import tracemalloc
from tracemalloc import Snapshot, Filter, DomainFilter, Traceback, _format_size

SOURCES = {
    "app.py": ["import x", "def make(n):", "    return [str(i) * 10 for i in range(n)]", "",
               "data = make(10000)", "\tblob = bytes(100)   ", "x = 1"],
    "lib/util.py": ["def helper():", "        return {}"],
    "it's \"q\".py": ["pass"],
}
for name, lines in SOURCES.items():
    linecache.cache[name] = (0, None, [l + "\n" for l in lines], name)

A1, A2, A3, A5, A6 = ("app.py", 1), ("app.py", 2), ("app.py", 3), ("app.py", 5), ("app.py", 6)
U2 = ("lib/util.py", 2)
Q1 = ("it's \"q\".py", 1)
PYC = ("lib/mod.pyc", 4)
UNI = ("dir/été\\x.py", 9)
UNK = ("<unknown>", 0)

OLD = [
    (0, 100, (A3, A5), 2),
    (0, 100, (A3, A5), 2),
    (0, 12544, (A6,), 1),
    (0, 5, (U2, A3, A5), 3),
    (0, 700, (UNK,), 1),
    (0, 64, (PYC, A2), 5),
    (5, 1000, (A6,), 1),
]
NEW = [
    (0, 100, (A3, A5), 2),
    (0, 100, (A3, A5), 2),
    (0, 100, (A3, A5), 2),
    (0, 1024 * 1024 * 20, (A3, A5), 2),
    (0, 2, (A6,), 1),
    (0, 3, (A6,), 1),
    (0, 10239, (U2, U2, A1), 3),
    (0, 10240, (Q1,), 1),
    (0, 884020, (UNI, A5), 4),
    (0, 64, (PYC, A2), 5),
    (0, 7, (A3, A3), 2),
    (7, 2048, (A5,), 1),
    (7, 1, (A1,), 1),
]

out = {"sources": SOURCES, "old": OLD, "new": NEW, "limit": 5, "cases": {}}
cases = out["cases"]
old = Snapshot(OLD, 5)
new = Snapshot(NEW, 5)


def run(name, fn):
    try:
        cases[name] = fn()
    except Exception as e:
        cases[name] = f"{type(e).__name__}: {e}"


def stats_lines(stats):
    return [[str(s), repr(s)] for s in stats]


for key in ("lineno", "filename", "traceback"):
    for cum in (False, True):
        run(f"statistics.{key}.{int(cum)}", lambda: stats_lines(new.statistics(key, cum)))
        run(f"compare.{key}.{int(cum)}", lambda: stats_lines(new.compare_to(old, key, cum)))
run("statistics.bad", lambda: new.statistics("line"))
run("statistics.bad_type", lambda: new.statistics(3))
run("compare.reverse", lambda: stats_lines(old.compare_to(new, "lineno")))

run("traces", lambda: [[str(t), repr(t)] for t in new.traces])
run("traces.repr", lambda: repr(new.traces))

# Traceback.format, str, repr
for i, raw in enumerate(NEW):
    tb = Traceback(raw[2], raw[3])
    run(f"traceback.{i}", lambda: [str(tb), repr(tb), len(tb), [str(f) for f in tb], [repr(f) for f in tb]])
    for limit in (None, 1, 2, -1, 0, -5):
        for mrf in (False, True):
            run(f"format.{i}.{limit}.{int(mrf)}", lambda: tb.format(limit, mrf))
run("traceback.no_total", lambda: repr(Traceback((A1, A2))))
run("traceback.empty_str", lambda: str(Traceback(())))

# filters: (kind, args) -> the filtered traces, as [domain, size, frames, total]
FILTERS = {
    "inc_app": [["Filter", True, "app.py"]],
    "exc_app": [["Filter", False, "app.py"]],
    "inc_glob": [["Filter", True, "*.py"]],
    "inc_lib": [["Filter", True, "lib/*"]],
    "inc_pyc": [["Filter", True, "lib/mod.pyc"]],
    "inc_line": [["Filter", True, "app.py", 5]],
    "inc_line_all": [["Filter", True, "app.py", 5, True]],
    "exc_line_all": [["Filter", False, "app.py", 5, True]],
    "inc_all_frames": [["Filter", True, "app.py", None, True]],
    "exc_all_frames": [["Filter", False, "app.py", None, True]],
    "inc_domain": [["Filter", True, "*", None, False, 7]],
    "exc_domain": [["Filter", False, "app.py", None, False, 7]],
    "dom_inc": [["DomainFilter", True, 7]],
    "dom_exc": [["DomainFilter", False, 7]],
    "mixed": [["Filter", True, "app.py"], ["Filter", True, "lib/*"], ["Filter", False, "app.py", 6],
              ["DomainFilter", False, 7]],
    "brackets": [["Filter", True, "[a-c]pp.p[!x]"]],
    "brackets2": [["Filter", True, "*[]]*"], ["Filter", True, "dir/[é]t*"]],
    "qmark": [["Filter", True, "ap?.py"]],
    "unknown": [["Filter", True, "<unknown>"]],
    "empty": [],
}
out["filters"] = FILTERS


def make_filter(spec):
    kind, *args = spec
    return Filter(*args) if kind == "Filter" else DomainFilter(*args)


for name, specs in FILTERS.items():
    run(f"filter.{name}", lambda: [list(t) for t in new.filter_traces([make_filter(s) for s in specs]).traces._traces])
run("filter.not_iterable", lambda: new.filter_traces(5))
run("filter.pattern_pyc", lambda: Filter(True, "x/y.pyc").filename_pattern)

SIZES = [0, 1, 9, 624, 10239, 10240, 10241, 12544, 12800, 12.5, 2.5, 3.5, 0.5, 1.5, 102399, 102400,
         884020, 2 * 1024 * 1024, 20 * 1024 * 1024, 5 * 1024 ** 3, 3 * 1024 ** 4, 20000 * 1024 ** 4,
         -1, -624, -10240, -12544, -884020, 1024 * 99.95, 1024 * 99.25, 1024 * 10.25, 1024 * 10.75,
         1024 * 1024 * 1.25, 88.5, 89.5, 10239.5, 4097 / 3]
out["sizes"] = SIZES
cases["format_size"] = [[_format_size(s, False), _format_size(s, True)] for s in SIZES]

# a snapshot's own attributes
cases["limit"] = new.traceback_limit
print(json.dumps(out, ensure_ascii=False, indent=0))
