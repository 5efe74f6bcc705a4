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
root=$PWD
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
    # the same tracer as interp_lines.py's (its line_events), the events counted; an escaping exception is an error
    (cd "$tmp" && "$py" -c 'import sys; sys.path.insert(0, sys.argv[1]); from interp_lines import line_events
print(len(line_events(open("main.py", encoding="utf-8").read(), "main.py", errors_ok=False)))' "$root/tests/record" > "$tmp/$id.lines")
    cp "$tmp/$id.lines" "$out/$id.lines"
    echo "recorded $out/$id.lines: $(cat "$out/$id.lines")"
done
