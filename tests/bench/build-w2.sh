#!/usr/bin/env bash
# build-w2.sh — build the W2 `gc-full` harness (tests/bench/w2.c) into
# build/bench/, linked with the core sources:
#   w2-pyheap-native      gcc -O2 (flags of workloads.md W1.3)
#   w2-pyheap-wasm.js     emcc -O3 -flto -sNODERAWFS=1 (reads the graph files
#                         from the real file system), CommonJS .js + .wasm
# CPython's side needs no build: run-w2.mjs runs tests/bench/w2.py under
# PYENV_VERSION=3.12.1 python3.12.
#
# Environment: as build-w1.sh (CC, EMCC, NODE_PATH, PYENV_VERSION).
#
#   build-w2.sh --as NAME   builds the same two harnesses from the current tree
#                           as w2-NAME-native and w2-NAME-wasm.js (BK_NAME
#                           NAME-native / NAME-wasm), for an interleaved A/B run:
#                           run-w2.mjs --add NAME-wasm=build/bench/w2-NAME-wasm.js ...
set -u -o pipefail
as=
if [ "${1:-}" = "--as" ]; then
    as=${2:?--as needs a NAME}
    case $as in *[!A-Za-z0-9_.-]*) echo "build-w2.sh: bad NAME $as" >&2; exit 2 ;; esac
fi

# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pre=${as:-pyheap}
echo "W2: building into ${OUT#"$ROOT"/}/"
build "w2-$pre-native" "$OUT/w2-$pre-native" \
    "$CC" "${NATIVE[@]}" -g -DBK_NAME="\"$pre-native\"" "${CORE_INC[@]}" \
    "$SRC/w2.c" "${CORE_ABS[@]}" -lm -o "$OUT/w2-$pre-native"
if command -v "$EMCC" >/dev/null 2>&1; then
    build "w2-$pre-wasm" "$OUT/w2-$pre-wasm.js" \
        "$EMCC" "${WASM[@]}" -flto -sNODERAWFS=1 -DBK_NAME="\"$pre-wasm\"" "${CORE_INC[@]}" \
        "$SRC/w2.c" "${CORE_ABS[@]}" -o "$OUT/w2-$pre-wasm.js"
else
    skip "w2-$pre-wasm" "$OUT/w2-$pre-wasm.js" "$EMCC not found"
    failed+=("w2-$pre-wasm")
fi
[ -n "$PY" ] || echo "  cpython-3.12     not found (PYENV_VERSION=$PYVER python3.12): run-w2.mjs will skip it"
summary W2
