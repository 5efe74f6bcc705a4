#!/bin/sh
# record_tools.sh — record what the real memory_profiler and objgraph print
# for the programs in tests/fixtures/tools/*.py, for the format tests of
# tests/interp/tools.test.js.
#
#     tests/record/record_tools.sh [NAME ...]      (default: every program)
#
# Uses Debian's packages python3-memory-profiler (0.61) and python3-objgraph
# (3.5) on Debian's python3.11 (installed here with apt-get if missing).
# Each NAME.py runs in a fresh temporary directory (memory_profiler needs
# the file on disk; objgraph writes its .dot files next to it); its stdout
# goes to NAME.out and every .dot file it writes to NAME.FILE.dot. The one
# normalisation: the temporary directory is removed from printed paths
# (memory_profiler prints the absolute path of the file). Memory figures and
# object ids are run-dependent by nature: the tests compare the structure
# and the deterministic columns, never these numbers. Never edit the
# recorded files by hand: re-run this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$here/../fixtures/tools" && pwd)
py=${PYTHON311:-/usr/bin/python3.11}
if ! "$py" -c 'import memory_profiler, objgraph' 2>/dev/null; then
    apt-get install -y python3-memory-profiler python3-objgraph >/dev/null
fi
"$py" -c 'import sys, memory_profiler, objgraph; assert sys.version_info[:2] == (3, 11), sys.version' || {
    echo "record_tools.sh: needs Debian's python3.11 with memory_profiler and objgraph ($py)" >&2; exit 2; }
cd "$dir"
# Python's own number formatting that the reports use (memory_profiler's
# '{:W.Pf}', objgraph's '%g'), for the formatter unit tests: formats.txt.
"$py" - >formats.txt <<'PY'
xs = [0.25, 0.75, 2.675, -152.587890625, 21.59765625, -0.0, 0.05, 1.5, 29.6875, 1e-7, 123456.789]
for x in xs:
    for p in (1, 4):
        w = p + 4
        print('f', repr(x), p, w, repr(format(x, '%d.%df' % (w, p))))
for x in [0, 1, 0.3, 0.65, 2 / 3 + 0.3 / 3, 0.5, 1e-5, 123456789, 0.766666666, 1 / 3, 0.1 + 0.2]:
    print('g', repr(x), repr('%g' % x))
PY
if [ $# -eq 0 ]; then set -- $(ls *.py | sed 's/\.py$//'); fi
for name in "$@"; do
    [ -f "$name.py" ] || { echo "no such program: $name.py" >&2; exit 2; }
    tmp=$(mktemp -d)
    cp "$name.py" "$tmp/"
    (cd "$tmp" && PYTHONHASHSEED=0 timeout 300 "$py" -I "$name.py" >out.txt)
    sed "s|$tmp/||g" "$tmp/out.txt" >"$dir/$name.out"
    rm -f "$dir/$name".*.dot
    for dot in "$tmp"/*.dot; do
        [ -f "$dot" ] || continue
        cp "$dot" "$dir/$name.$(basename "$dot")"
    done
    rm -rf "$tmp"
    echo "recorded $name"
done
