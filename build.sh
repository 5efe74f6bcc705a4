#!/usr/bin/env bash
# build.sh — the one build entry of pyheap.
#
#   ./build.sh serve [--port N]   build everything the page needs and serve it (default port 8000)
#   ./build.sh test               build and run every test suite (C + fuzz smoke + node)
#   ./build.sh setup              install what is missing (Debian packages, npm ci)
#   ./build.sh bundle             bundle the pages' scripts (web/app/*.js: playground, allocator page, demo;
#                                 + the layout worker) and the package's browser files (widget.js, pyheap.js) into web/gen/
#   ./build.sh wasm               release + debug wasm into web/gen/
#   ./build.sh native             C unit tests with ASan+UBSan into build/native/
#   ./build.sh fuzz [SECONDS]     long libFuzzer runs, SECONDS per target (default 600 s)
#   ./build.sh bench [w1|w2|w3|w4] [ARGS]  benchmarks, not a test: W1 allocator churn, W2 full
#                                 collection, W3 refcount cascade, W4 pyheap run vs python3.12
#                                 (all by default; ARGS go to the runner(s))
#   ./build.sh bench fps [ARGS]   the playground's fps and step-to-redraw time in headless Chromium
#
# Works on a fresh Debian 12 machine as root; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

say()  { printf '\033[1m==> %s\033[0m\n' "$*"; }
die()  { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# ---- Toolchain ---------------------------------------------------------------
APT_UPDATED=0
apt_install() {   # apt_install PKG... : installs the Debian packages that are missing
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: ${missing[*]} — run as root or install them: apt-get install ${missing[*]}"
    fi
    say "installing Debian packages: ${missing[*]}"
    if [ $APT_UPDATED -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

setup() {
    apt_install emscripten clang libclang-rt-14-dev chromium
    command -v node >/dev/null || apt_install nodejs npm
    command -v npm >/dev/null || apt_install npm
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    [ "$major" -ge 18 ] || die "Node >= 18 is required (found $(node --version))"
    # npm ci when the lockfile changed since the last install
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "npm ci"
        npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
    fi
}

# Debian's emcc runs its JS optimizer with the system node, which does not
# search Debian's module directory: without this, -O2 fails on 'acorn'.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

# ---- Flags -------------------------------------------------------------------
CORE_SRC=(core/src/*.c)
CORE_INC=(-Icore/include -Icore/src)
WASM_COMMON=(--no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
             -sTOTAL_STACK=1MB -sINITIAL_MEMORY=4MB
             "-sEXPORTED_FUNCTIONS=$(cat core/src/wasm/exports*.txt | paste -sd,)"
             # the host imports pyheap.finalize / pyheap.call / pyheap.slot (api.c) are declared
             # with import_module; emcc 3.1.6 would reject them as undefined, so
             # undefined symbols only warn here and check_imports() below fails
             # the build on any import the loader does not provide
             -sERROR_ON_UNDEFINED_SYMBOLS=0)
WASM_RELEASE=(-O2 -flto -DNDEBUG)   # -flto: inlines pymalloc's fast path across files
WASM_DEBUG=(-O1 -g -DPM_DEBUG=2)
NATIVE_SAN=(-std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

newer() {   # newer OUT IN... : true if OUT is missing or older than any IN
    local out=$1; shift
    [ -f "$out" ] || return 0
    for f in "$@"; do [ "$f" -nt "$out" ] && return 0; done
    return 1
}

# The imports a core build may have (web/lib/load.js provides exactly these).
WASM_IMPORTS="env.emscripten_notify_memory_growth env.emscripten_memcpy_big pyheap.finalize pyheap.call pyheap.slot
wasi_snapshot_preview1.proc_exit wasi_snapshot_preview1.fd_write wasi_snapshot_preview1.fd_close
wasi_snapshot_preview1.fd_seek wasi_snapshot_preview1.environ_sizes_get wasi_snapshot_preview1.environ_get
wasi_snapshot_preview1.args_sizes_get wasi_snapshot_preview1.args_get"

check_imports() {   # check_imports FILE: fail on an import outside WASM_IMPORTS
    node -e '
      const [file, allowed] = [process.argv[1], new Set(process.argv[2].split(/\s+/))];
      const m = new WebAssembly.Module(require("fs").readFileSync(file));
      const bad = WebAssembly.Module.imports(m).map(i => i.module + "." + i.name).filter(n => !allowed.has(n));
      if (bad.length) { console.error(file + ": unexpected imports (undefined symbols?): " + bad.join(", ")); process.exit(1); }
    ' "$1" "$WASM_IMPORTS" || { rm -f "$1"; die "wasm build has undefined symbols"; }
}

wasm() {
    mkdir -p web/gen
    local deps=("${CORE_SRC[@]}" core/src/wasm/*.c core/src/wasm/exports*.txt core/src/*.h core/include/pm.h build.sh)
    if newer web/gen/pyheap.wasm "${deps[@]}"; then
        say "emcc: web/gen/pyheap.wasm (release)"
        emcc "${WASM_RELEASE[@]}" "${WASM_COMMON[@]}" "${CORE_INC[@]}" "${CORE_SRC[@]}" core/src/wasm/*.c \
             -o web/gen/pyheap.wasm
        check_imports web/gen/pyheap.wasm
    fi
    if newer web/gen/pyheap.debug.wasm "${deps[@]}"; then
        say "emcc: web/gen/pyheap.debug.wasm (debug)"
        emcc "${WASM_DEBUG[@]}" "${WASM_COMMON[@]}" "${CORE_INC[@]}" "${CORE_SRC[@]}" core/src/wasm/*.c \
             -o web/gen/pyheap.debug.wasm
        check_imports web/gen/pyheap.debug.wasm
    fi
}

# The pages' scripts import d3 modules from node_modules: esbuild bundles each
# web/app/*.js (and the heap graph's layout worker) into web/gen/, ES modules
# with source maps. The sources stay importable unbundled from node (tests).
bundle() {
    mkdir -p web/gen
    local entries=(web/app/*.js web/viz/layout-worker.js)
    local out=web/gen/demo.js
    if newer "$out" "${entries[@]}" web/app/steps/*.js web/viz/*.js web/lib/*.js web/interp/*.js web/interp/modules/*.js package-lock.json build.sh; then
        say "esbuild: ${entries[*]} -> web/gen/"
        node_modules/.bin/esbuild "${entries[@]}" --bundle --format=esm --target=es2022 \
            --sourcemap --entry-names=[name] --outdir=web/gen --log-level=warning || die "esbuild failed"
    fi
    # The npm package's self-contained browser files (package.json exports
    # ./widget and ./browser): <pyheap-playground> and the library, every
    # dependency inlined; they find pyheap.wasm, layout-worker.js and
    # viz.css by URLs relative to themselves.
    if newer web/gen/widget.js web/widget/*.js web/viz/*.js web/lib/*.js web/interp/*.js web/interp/modules/*.js package-lock.json build.sh; then
        say "esbuild: web/widget/widget.js, web/lib/index.js -> web/gen/widget.js, web/gen/pyheap.js"
        node_modules/.bin/esbuild web/widget/widget.js pyheap=web/lib/index.js --bundle --format=esm --target=es2022 \
            --minify --entry-names=[name] --outdir=web/gen --log-level=warning || die "esbuild failed"
    fi
}

native() {
    mkdir -p build/native
    for t in tests/core/test_*.c; do
        [ -f "$t" ] || continue
        local name out
        name=$(basename "$t" .c)
        out=build/native/$name
        if newer "$out" "$t" tests/core/*.h "${CORE_SRC[@]}" core/src/*.h core/include/pm.h; then
            say "clang (ASan+UBSan): $out"
            clang "${NATIVE_SAN[@]}" "${CORE_INC[@]}" "${CORE_SRC[@]}" "$t" -o "$out"
        fi
    done
}

run_tests() {
    setup
    wasm
    bundle
    # (no separate `native` step: tests/core/run.sh compiles the core once
    # with the sanitizers and links every C test itself)
    local failed=()
    say "C tests (ASan+UBSan) and a bounded fuzz run"
    bash tests/core/run.sh || failed+=("C tests")
    say "node --test"
    node --test tests/ || failed+=("node tests")
    if [ ${#failed[@]} -ne 0 ]; then
        die "failed: ${failed[*]}"
    fi
    say "all test suites passed"
}

serve() {
    local port=8000
    while [ $# -gt 0 ]; do
        case $1 in
            --port) [ $# -ge 2 ] || die "--port needs a number"; port=$2; shift 2 ;;
            --port=*) port=${1#--port=}; shift ;;
            *) die "unknown serve option: $1 (usage: ./build.sh serve [--port N])" ;;
        esac
    done
    [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "--port must be 1..65535, got '$port'"
    setup
    wasm
    bundle
    exec node web/tools/serve.mjs --port "$port"
}

bench() {   # [w1|w2|w3|w4] [ARGS]: the runners share --rounds, --quick, --seed, --out, --wait-idle
    local which=all rc=0
    if [ "${1:-}" = fps ]; then   # only when named: it needs chromium and the bundle
        shift
        bundle
        node tests/bench/fps/run.mjs "$@"
        return
    fi
    case ${1:-} in w1|w2|w3|w4) which=$1; shift ;; esac
    if [ "$which" = all ] || [ "$which" = w1 ]; then
        { bash tests/bench/build-w1.sh && node tests/bench/run-w1.mjs "$@"; } || rc=1
    fi
    if [ "$which" = all ] || [ "$which" = w2 ]; then
        { bash tests/bench/build-w2.sh && node tests/bench/run-w2.mjs "$@"; } || rc=1
    fi
    if [ "$which" = all ] || [ "$which" = w3 ]; then
        { bash tests/bench/build-w3.sh && node tests/bench/run-w3.mjs "$@"; } || rc=1
    fi
    if [ "$which" = all ] || [ "$which" = w4 ]; then   # pyheap run (web/gen/pyheap.wasm) vs python3.12
        node tests/bench/w4/run-w4.mjs "$@" || rc=1
    fi
    return $rc
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
    setup)  setup ;;
    bundle) setup; bundle ;;
    wasm)   apt_install emscripten; wasm ;;
    native) apt_install clang libclang-rt-14-dev; native ;;
    test)   run_tests ;;
    serve)  serve "$@" ;;
    fuzz)   apt_install clang libclang-rt-14-dev; bash tests/core/run.sh fuzz "${1:-600}" ;;
    bench)  setup; wasm; bench "$@" ;;
    ""|-h|--help|help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (try ./build.sh help)" ;;
esac
