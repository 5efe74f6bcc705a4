#!/bin/sh
# startup_freelists.sh — how full CPython 3.12's object free lists are when a
# short script starts (the model of web/interp/vm.js STARTUP_FREELISTS).
#
# Runs `import sys; sys._debugmallocstats()` as a script under python3.12 -I
# and writes the free-list lengths it reports to
# tests/fixtures/startup_freelists.txt, one `name count` per line: float,
# list, dict, then tuple1..tuple20. The lengths depend on the script (the
# compiler leaves its own objects there); this is the shortest script.
#
# Usage: tests/record/startup_freelists.sh   (never edit the fixture by hand)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/py312.sh"
out="$here/../fixtures/startup_freelists.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'import sys\nsys._debugmallocstats()\n' > "$tmp/start.py"
(cd "$tmp" && "$py" -I start.py) 2>&1 | awk '
    / free PyFloatObjects / { print "float", $1 }
    / free PyListObjects / { print "list", $1 }
    / free PyDictObjects / { print "dict", $1 }
    / free [0-9]+-sized PyTupleObjects / { n = $3; sub(/-sized/, "", n); print "tuple" n, $1 }
' > "$out"
[ "$(wc -l < "$out")" -eq 23 ] || { echo "startup_freelists.sh: expected 23 lines, got:" >&2; cat "$out" >&2; exit 1; }
echo "recorded $out"
