#!/bin/sh
# record_mallocstats.sh — record CPython 3.12's sys._debugmallocstats() report.
#
# Runs real CPython 3.12 (pyenv 3.12.1) on a fixed little allocation program
# and writes the report it prints to tests/fixtures/debugmallocstats-3.12.txt.
# The report goes to the C-level stderr (file descriptor 2), not sys.stderr,
# so it is captured by redirecting fd 2; stdout must stay empty.
#
# The numbers in the report vary with the interpreter build and run; the
# node:test suite (tests/lib/debugmallocstats.test.js) only uses the file's
# *layout* (sections, labels, column widths, separators), never its numbers.
#
# Usage: tests/record/record_mallocstats.sh        (from anywhere)
# Never edit the fixture by hand: re-run this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/tests/fixtures/debugmallocstats-3.12.txt"
py=${PYTHON312:-python3.12}

export PYENV_VERSION=${PYENV_VERSION:-3.12.1}

version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$version" != "3.12" ]; then
    echo "record_mallocstats.sh: need CPython 3.12, got $version from $py" >&2
    exit 1
fi

tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.out"' EXIT

# A fixed little allocation program: objects in several size classes, some
# freed again (so used and partly-free pools exist), one large (raw) buffer,
# and a few floats/lists/dicts/tuples for the free-list section.
"$py" - >"$tmp.out" 2>"$tmp" <<'PY'
import sys
keep = [object() for _ in range(2000)]          # 16-byte blocks
floats = [float(i) + 0.5 for i in range(1500)]  # 24 -> 32-byte blocks
strs = ["x" * (i % 400) for i in range(800)]    # many size classes
del strs[::2]
big = bytearray(100_000)                        # raw allocator
d = {i: [i] for i in range(100)}
t = [(i, i + 1) for i in range(100)]
del floats[::3], t
sys._debugmallocstats()
PY

if [ -s "$tmp.out" ]; then
    echo "record_mallocstats.sh: unexpected output on stdout:" >&2
    cat "$tmp.out" >&2
    exit 1
fi
if ! grep -q '^Small block threshold = 512, in 32 size classes\.$' "$tmp"; then
    echo "record_mallocstats.sh: stderr does not look like a _debugmallocstats report:" >&2
    cat "$tmp" >&2
    exit 1
fi

mkdir -p "$(dirname "$out")"
cp "$tmp" "$out"
echo "wrote $out ($(wc -l <"$out") lines, $("$py" -c 'import sys; print(sys.version.split()[0])'))"
