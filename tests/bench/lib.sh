# lib.sh — what the benchmark build scripts share (sourced by build-w1.sh
# and build-w3.sh; not run on its own).
#
# Sets ROOT, SRC (tests/bench), OUT (build/bench), CC, EMCC, NODE_PATH,
# PYVER, the flag arrays COMMON / NATIVE / WASM (workloads.md W1.3), the
# core's sources CORE_SRCS / CORE_ABS / CORE_INC (everything under
# core/src except the wasm glue), and PY (a CPython 3.12 interpreter, empty
# if none). Defines build NAME OUT CMD... and skip NAME OUT WHY, which fill
# the arrays built / skipped / failed, and summary TAG (prints them; returns
# 1 if a build failed).
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
summary() {
    local tag=$1
    echo "$tag: built ${#built[@]} (${built[*]:-}), skipped ${#skipped[@]} (${skipped[*]:-}), failed ${#failed[@]} (${failed[*]:-})"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "$tag: BUILD FAILED: ${failed[*]}" >&2
        return 1
    fi
}

# pyheap core sources: everything under core/src except the wasm glue.
mapfile -t CORE_SRCS < <(cd "$ROOT" && find core/src -name '*.c' -not -path 'core/src/wasm/*' 2>/dev/null | sort)
CORE_INC=(-I"$ROOT/core/include" -I"$ROOT/core/src")
CORE_ABS=("${CORE_SRCS[@]/#/$ROOT/}")

PY=
for cand in "python$PYVER" python3.12 "$(pyenv root 2>/dev/null)/versions/$PYVER/bin/python3.12" \
            "$HOME/.pyenv/versions/$PYVER/bin/python3.12"; do
    if PYENV_VERSION=$PYVER "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
        PY=$cand; break
    fi
done
