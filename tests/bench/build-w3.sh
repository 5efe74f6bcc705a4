#!/usr/bin/env bash
# build-w3.sh — build the W3 `refcount-cascade` harness (tests/bench/w3.c)
# into build/bench/, linked with the core sources:
#   w3-pyheap-native      gcc -O2 (flags of workloads.md W1.3)
#   w3-pyheap-wasm.js     emcc -O3 -flto, CommonJS .js + .wasm, run with node
# CPython's side needs no build: run-w3.mjs runs tests/bench/w3.py under
# PYENV_VERSION=3.12.1 python3.12.
#
# Environment: as build-w1.sh (CC, EMCC, NODE_PATH, PYENV_VERSION).
set -u -o pipefail

# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

echo "W3: building into ${OUT#"$ROOT"/}/"
if [ ${#CORE_SRCS[@]} -eq 0 ]; then
    skip w3-pyheap-native "$OUT/w3-pyheap-native" "no core sources under core/src"
    skip w3-pyheap-wasm "$OUT/w3-pyheap-wasm.js" "no core sources under core/src"
else
    build w3-pyheap-native "$OUT/w3-pyheap-native" \
        "$CC" "${NATIVE[@]}" -DBK_NAME='"pyheap-native"' "${CORE_INC[@]}" \
        "$SRC/w3.c" "${CORE_ABS[@]}" -lm -o "$OUT/w3-pyheap-native"
    if command -v "$EMCC" >/dev/null 2>&1; then
        # -flto as the product's release wasm (build.sh WASM_RELEASE)
        build w3-pyheap-wasm "$OUT/w3-pyheap-wasm.js" \
            "$EMCC" "${WASM[@]}" -flto -DBK_NAME='"pyheap-wasm"' "${CORE_INC[@]}" \
            "$SRC/w3.c" "${CORE_ABS[@]}" -o "$OUT/w3-pyheap-wasm.js"
    else
        skip w3-pyheap-wasm "$OUT/w3-pyheap-wasm.js" "$EMCC not found"
        failed+=(w3-pyheap-wasm)
    fi
fi
[ -n "$PY" ] || echo "  cpython-3.12     not found (PYENV_VERSION=$PYVER python3.12): run-w3.mjs will skip it"
summary W3
