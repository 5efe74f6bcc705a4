#!/usr/bin/env bash
# build-w1.sh — build every W1 `pyobj-churn` variant into build/bench/.
#
# One harness (tests/bench/w1.c), one binary per backend:
#   native (gcc -O2):  glibc, null, dlmalloc-native, pyheap-native, pymalloc-3.12
#   wasm (emcc -O3, CommonJS .js + .wasm, run with node --no-experimental-fetch):
#                      wasm-dlmalloc, wasm-emmalloc, wasm-null, wasm-pyheap
# Flags are those of /work/shared/reference/workloads.md W1.3.
#
# Optional variants are skipped with a message when what they need is absent:
#   pymalloc-3.12   needs libpython3.12.a (pyenv 3.12.1 build, LIBPL)
#   pyheap-*        need core/src/*.c (not written yet → skipped)
#   dlmalloc-native needs emscripten's system/lib/dlmalloc.c
# A variant whose inputs are present but which fails to compile fails the
# script (after the other variants are built).
#
# Environment: CC (gcc), EMCC (emcc), NODE_PATH (default /usr/share/nodejs,
# needed by Debian's emcc 3.1.6 at -O2 and up), PYENV_VERSION (3.12.1).
set -u -o pipefail

# shellcheck source=tests/bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

echo "W1: building into ${OUT#"$ROOT"/}/"

# ---- native -------------------------------------------------------------
build glibc "$OUT/glibc" \
    "$CC" "${NATIVE[@]}" -DBK_LIBC -DBK_NAME='"glibc"' "$SRC/w1.c" -o "$OUT/glibc"
build null "$OUT/null" \
    "$CC" "${NATIVE[@]}" -DBK_NULL -DBK_NAME='"null"' "$SRC/w1.c" -o "$OUT/null"

EMLIB=
for d in "$(dirname "$(readlink -f "$(command -v "$EMCC" 2>/dev/null || echo /nonexistent)")")/system/lib" \
         /usr/share/emscripten/system/lib; do
    [ -f "$d/dlmalloc.c" ] && { EMLIB=$d; break; }
done
if [ -n "$EMLIB" ]; then
    # dlmalloc.c is third-party: its own warnings are silenced (-w on that TU only).
    dlnative_cmd() {
        "$CC" "${NATIVE[@]}" -w -I"$EMLIB" -c "$SRC/dlnative.c" -o "$OUT/dlnative.o" &&
        "$CC" "${NATIVE[@]}" -DBK_DLNATIVE -DBK_NAME='"dlmalloc-native"' \
            "$SRC/w1.c" "$OUT/dlnative.o" -o "$OUT/dlmalloc-native" &&
        rm -f "$OUT/dlnative.o"
    }
    build dlmalloc-native "$OUT/dlmalloc-native" dlnative_cmd
else
    skip dlmalloc-native "$OUT/dlmalloc-native" "emscripten's system/lib/dlmalloc.c not found"
fi

if [ ${#CORE_SRCS[@]} -gt 0 ]; then
    build pyheap-native "$OUT/pyheap-native" \
        "$CC" "${NATIVE[@]}" -DBK_PYHEAP -DBK_NAME='"pyheap-native"' "${CORE_INC[@]}" \
        "$SRC/w1.c" "${CORE_ABS[@]}" -lm -o "$OUT/pyheap-native"
else
    skip pyheap-native "$OUT/pyheap-native" "no core sources under core/src yet"
fi

if [ -n "$PY" ]; then
    LIBPL=$(PYENV_VERSION=$PYVER "$PY" -c "import sysconfig; print(sysconfig.get_config_var('LIBPL'))")
    INCPY=$(PYENV_VERSION=$PYVER "$PY" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
    PYLIBS=$(PYENV_VERSION=$PYVER "$PY" -c "import sysconfig; print(sysconfig.get_config_var('LIBS') or '')")
    if [ -f "$LIBPL/libpython3.12.a" ]; then
        # LIBS may carry -L/-rpath of the shared build; only the -l flags matter here.
        PYL=()
        for f in $PYLIBS; do case $f in -l*) PYL+=("$f");; esac; done
        build pymalloc-3.12 "$OUT/pymalloc-3.12" \
            "$CC" "${NATIVE[@]}" -DBK_PYMALLOC -DBK_NAME='"pymalloc-3.12"' -I"$INCPY" \
            "$SRC/w1.c" "$LIBPL/libpython3.12.a" "${PYL[@]}" -lm -ldl -lpthread -lutil -o "$OUT/pymalloc-3.12"
    else
        skip pymalloc-3.12 "$OUT/pymalloc-3.12" "no static libpython3.12.a in $LIBPL"
    fi
else
    skip pymalloc-3.12 "$OUT/pymalloc-3.12" "CPython 3.12 not found (PYENV_VERSION=$PYVER python3.12)"
fi

# ---- wasm ---------------------------------------------------------------
if command -v "$EMCC" >/dev/null 2>&1; then
    build wasm-dlmalloc "$OUT/wasm-dlmalloc.js" \
        "$EMCC" "${WASM[@]}" -sMALLOC=dlmalloc -DBK_LIBC -DBK_NAME='"wasm-dlmalloc"' \
        "$SRC/w1.c" -o "$OUT/wasm-dlmalloc.js"
    build wasm-emmalloc "$OUT/wasm-emmalloc.js" \
        "$EMCC" "${WASM[@]}" -sMALLOC=emmalloc -DBK_LIBC -DBK_NAME='"wasm-emmalloc"' \
        "$SRC/w1.c" -o "$OUT/wasm-emmalloc.js"
    build wasm-null "$OUT/wasm-null.js" \
        "$EMCC" "${WASM[@]}" -DBK_NULL -DBK_NAME='"wasm-null"' \
        "$SRC/w1.c" -o "$OUT/wasm-null.js"
    if [ ${#CORE_SRCS[@]} -gt 0 ]; then
        # The core's wasm page source takes memory through sbrk, so it lives
        # beside emscripten's own malloc (default dlmalloc) in one binary.
        # -flto as in the product's release build (build.sh WASM_RELEASE):
        # it inlines the fast path across files (about 0.04 of the ratio).
        build wasm-pyheap "$OUT/wasm-pyheap.js" \
            "$EMCC" "${WASM[@]}" -flto -sMALLOC=dlmalloc -DBK_PYHEAP -DBK_NAME='"wasm-pyheap"' "${CORE_INC[@]}" \
            "$SRC/w1.c" "${CORE_ABS[@]}" -o "$OUT/wasm-pyheap.js"
    else
        skip wasm-pyheap "$OUT/wasm-pyheap.js" "no core sources under core/src yet"
    fi
else
    for v in wasm-dlmalloc wasm-emmalloc wasm-null wasm-pyheap; do
        skip "$v" "$OUT/$v.js" "$EMCC not found"
        failed+=("$v")
    done
fi

summary W1
