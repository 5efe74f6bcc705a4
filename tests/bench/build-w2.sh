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
set -u -o pipefail

# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

echo "W2: building into ${OUT#"$ROOT"/}/"
build w2-pyheap-native "$OUT/w2-pyheap-native" \
    "$CC" "${NATIVE[@]}" -g -DBK_NAME='"pyheap-native"' "${CORE_INC[@]}" \
    "$SRC/w2.c" "${CORE_ABS[@]}" -lm -o "$OUT/w2-pyheap-native"
if command -v "$EMCC" >/dev/null 2>&1; then
    build w2-pyheap-wasm "$OUT/w2-pyheap-wasm.js" \
        "$EMCC" "${WASM[@]}" -flto -sNODERAWFS=1 -DBK_NAME='"pyheap-wasm"' "${CORE_INC[@]}" \
        "$SRC/w2.c" "${CORE_ABS[@]}" -o "$OUT/w2-pyheap-wasm.js"
else
    skip w2-pyheap-wasm "$OUT/w2-pyheap-wasm.js" "$EMCC not found"
    failed+=(w2-pyheap-wasm)
fi
[ -n "$PY" ] || echo "  cpython-3.12     not found (PYENV_VERSION=$PYVER python3.12): run-w2.mjs will skip it"
summary W2
