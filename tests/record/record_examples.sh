#!/usr/bin/env bash
# record_examples.sh — the playground's examples (web/app/examples.js) run by
# real CPython 3.12: each example's stdout becomes
# tests/fixtures/examples/<id>.stdout, the console text the browser test
# (tests/browser/playground.test.js) expects. Examples that python3.12 cannot
# run either (memory_profiler, objgraph are not installed) are recorded too;
# their stdout is what python3.12 printed before the error.
#
# Record with:  bash tests/record/record_examples.sh
# (needs python3.12: PYENV_VERSION=3.12.1 python3.12, or PYTHON312=/path/to/python3.12)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/record/py312.sh
out=tests/fixtures/examples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
# write each example to $tmp/<id>.py
node --input-type=module -e '
  import { writeFileSync } from "node:fs";
  const { EXAMPLES } = await import(process.argv[1]);
  for (const e of EXAMPLES) writeFileSync(`${process.argv[2]}/${e.id}.py`, e.code);
' "$PWD/web/app/examples.js" "$tmp"
for f in "$tmp"/*.py; do
    id=$(basename "$f" .py)
    # run from the temp dir under the name main.py, as the playground names the program
    cp "$f" "$tmp/main.py"
    (cd "$tmp" && "$py" main.py > "$tmp/$id.stdout" 2> /dev/null) || true
    cp "$tmp/$id.stdout" "$out/$id.stdout"
    echo "recorded $out/$id.stdout"
done
