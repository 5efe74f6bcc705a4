#!/usr/bin/env bash
# record_example_lines.sh — how many sys.settrace 'line' events real CPython
# 3.12 reports for the long examples of the playground (web/app/examples.js),
# counting the events of code in the program's own file (main.py), as the
# playground's steps count them. Writes tests/fixtures/examples/<id>.lines
# (one number); tests/browser/run.test.js checks that Run of the example ends
# at that many steps.
#
# Record with:  bash tests/record/record_example_lines.sh
# (needs python3.12: PYENV_VERSION=3.12.1 python3.12, or PYTHON312=/path/to/python3.12)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/record/py312.sh
out=tests/fixtures/examples
ids=(arenas_fragmentation arenas_returned)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for id in "${ids[@]}"; do
    node --input-type=module -e '
      import { writeFileSync } from "node:fs";
      const { exampleById } = await import(process.argv[1]);
      writeFileSync(process.argv[2], exampleById(process.argv[3]).code);
    ' "$PWD/web/app/examples.js" "$tmp/main.py" "$id"
    (cd "$tmp" && "$py" - > "$tmp/$id.lines") <<'PY'
import io, sys, contextlib
src = open("main.py", encoding="utf-8").read()
code = compile(src, "main.py", "exec")
n = 0
def tracer(frame, event, arg):
    global n
    if frame.f_code.co_filename != "main.py":
        return None
    if event == "line":
        n += 1
    return tracer
g = {"__name__": "__main__", "__builtins__": __builtins__}
with contextlib.redirect_stdout(io.StringIO()):
    sys.settrace(tracer)
    try:
        exec(code, g)
    finally:
        sys.settrace(None)
print(n)
PY
    cp "$tmp/$id.lines" "$out/$id.lines"
    echo "recorded $out/$id.lines: $(cat "$out/$id.lines")"
done
