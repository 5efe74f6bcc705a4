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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SRC=$ROOT/tests/bench
OUT=$ROOT/build/bench
CC=${CC:-gcc}
EMCC=${EMCC:-emcc}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
PYVER=${PYENV_VERSION:-3.12.1}

COMMON=(-std=gnu11 -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -DNDEBUG -Wall)
NATIVE=(-O2 "${COMMON[@]}")
WASM=(-O3 "${COMMON[@]}" -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sENVIRONMENT=node -sEXIT_RUNTIME=1)

mkdir -p "$OUT"
# emcc's .js glue is CommonJS; the repository's package.json says
# "type": "module", so mark this directory as CommonJS for node.
printf '{ "type": "commonjs" }\n' > "$OUT/package.json"
failed=()
built=()
skipped=()

# build NAME OUTFILE CMD... — removes stale outputs first, so the runner never
# picks up a binary from an older build of a variant that is now skipped.
build() {
    local name=$1 out=$2; shift 2
    rm -f "$out" "${out%.js}.wasm"
    printf '  %-16s ' "$name"
    local log
    if log=$("$@" 2>&1); then
        echo "ok   -> ${out#"$ROOT"/}"
        [ -n "$log" ] && printf '%s\n' "$log" | sed 's/^/      | /'
        built+=("$name")
    else
        echo "FAILED"
        printf '%s\n' "$log" | sed 's/^/      | /'
        failed+=("$name")
    fi
}
skip() {
    local name=$1 out=$2 why=$3
    rm -f "$out" "${out%.js}.wasm"
    printf '  %-16s skipped: %s\n' "$name" "$why"
    skipped+=("$name")
}

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

# pyheap core sources: everything under core/src except the wasm glue.
mapfile -t CORE_SRCS < <(cd "$ROOT" && find core/src -name '*.c' -not -path 'core/src/wasm/*' 2>/dev/null | sort)
CORE_INC=(-I"$ROOT/core/include" -I"$ROOT/core/src")
CORE_ABS=("${CORE_SRCS[@]/#/$ROOT/}")
if [ ${#CORE_SRCS[@]} -gt 0 ]; then
    build pyheap-native "$OUT/pyheap-native" \
        "$CC" "${NATIVE[@]}" -DBK_PYHEAP -DBK_NAME='"pyheap-native"' "${CORE_INC[@]}" \
        "$SRC/w1.c" "${CORE_ABS[@]}" -lm -o "$OUT/pyheap-native"
else
    skip pyheap-native "$OUT/pyheap-native" "no core sources under core/src yet"
fi

PY=
for cand in "python$PYVER" python3.12 "$(pyenv root 2>/dev/null)/versions/$PYVER/bin/python3.12" \
            "$HOME/.pyenv/versions/$PYVER/bin/python3.12"; do
    if PYENV_VERSION=$PYVER "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
        PY=$cand; break
    fi
done
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

echo "W1: built ${#built[@]} (${built[*]:-}), skipped ${#skipped[@]} (${skipped[*]:-}), failed ${#failed[@]} (${failed[*]:-})"
if [ ${#failed[@]} -gt 0 ]; then
    echo "W1: BUILD FAILED: ${failed[*]}" >&2
    exit 1
fi
