#!/bin/sh
# record_conformance.sh — record what real CPython 3.12 prints for every
# conformance program (tests/conformance/*.py).
#
# For NAME.py it writes tests/conformance/expected/NAME.stdout, NAME.stderr
# and NAME.status (the exit status), running
#     cd tests/conformance && PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 python3.12 -I NAME.py
# -I keeps the user's site-packages and environment out. The one
# normalisation: CPython prints the script's absolute path in tracebacks;
# the directory part is removed so the files do not depend on the checkout
# location (the pyheap runner applies the same rule to its own output).
#
# Usage: tests/record/record_conformance.sh [NAME ...]   (default: all programs)
# Never edit the expected files by hand: re-run this script. A program whose
# output is run-dependent (reference §9.2) does not belong in the suite.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$here/../conformance" && pwd)
out="$dir/expected"
. "$here/py312.sh"
mkdir -p "$out"
cd "$dir"
if [ $# -eq 0 ]; then set -- $(ls *.py | sed 's/\.py$//'); fi
for name in "$@"; do
    [ -f "$name.py" ] || { echo "no such program: $name.py" >&2; exit 2; }
    status=0
    PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 timeout 120 "$py" -I "$name.py" \
        >"$out/$name.stdout" 2>"$out/$name.stderr.tmp" || status=$?
    sed "s|\"$dir/|\"|g" "$out/$name.stderr.tmp" >"$out/$name.stderr"
    rm -f "$out/$name.stderr.tmp"
    echo "$status" >"$out/$name.status"
    echo "recorded $name (exit $status)"
done
