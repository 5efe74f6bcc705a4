#!/bin/sh
# record_gcmod.sh — record what real CPython 3.12 prints for the gc debug
# programs of tests/interp/gcmod/*.py (gc.set_debug output on stderr),
# for tests/interp/gcmod.test.js.
#
#     tests/record/record_gcmod.sh      (writes tests/fixtures/gcmod_debug.txt)
#
# Each program runs as `cd tests/interp/gcmod && python3.12 -I NAME.py`,
# and once more as `python3.12 -I -u NAME.py 2>&1` (unbuffered, one stream:
# the order of the collector's lines among the program's own output).
# stdout is kept as it is; stderr (and the combined stream) is masked where CPython's figures do not
# depend on the program (the test applies the same rules to pyheap's output):
#   0x... addresses                              -> 0xADDR
#   "objects in each generation: a b c"          -> "... N N N" (start-up objects)
#   "objects in permanent generation: n"         -> "... N"
#   "0.0015s elapsed"                            -> "N.NNNNs elapsed" (a clock)
# Never edit the fixture by hand: re-run this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$here/../interp/gcmod" && pwd)
out="$here/../fixtures/gcmod_debug.txt"
. "$here/py312.sh"
mask() {
    sed -E -e 's/0x[0-9a-f]+/0xADDR/g' \
        -e 's/(objects in each generation:)( [0-9]+)+/\1 N N N/' \
        -e 's/(permanent generation:) [0-9]+/\1 N/' \
        -e 's/[0-9]+\.[0-9]+s elapsed/N.NNNNs elapsed/'
}
cd "$dir"
{
    for f in $(ls *.py); do
        echo "=== $f"
        echo "--- stdout"
        PYTHONHASHSEED=0 "$py" -I "$f" 2>/dev/null
        echo "--- stderr"
        PYTHONHASHSEED=0 "$py" -I "$f" 2>&1 >/dev/null | mask
        echo "--- combined"
        PYTHONHASHSEED=0 "$py" -I -u "$f" 2>&1 | mask
    done
} >"$out"
echo "recorded $out"
