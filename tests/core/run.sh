#!/bin/sh
# tests/core/run.sh — build and run the native C tests of the core.
#
#   tests/core/run.sh              every tests/core/test_*.c (ASan+UBSan) + a short fuzz run (<= ~60 s)
#   tests/core/run.sh unit [NAME]  C tests only (NAME: only tests/core/NAME.c, e.g. test_obmalloc)
#   tests/core/run.sh fuzz [SECS]  the long fuzz run only (default 600 s; ./build.sh fuzz)
#
# Every test is built with the project's sanitizer flags
#   clang -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
#         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/*.c tests/core/NAME.c
# (the core is compiled once per run into build/native/obj/ and linked into
# each test, which is the same program, built faster), and the fuzzer with
#   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -Icore/include
#         -Icore/src core/src/*.c tests/fuzz/fuzz_alloc.c
# Each test prints "N passed, N failed" and exits non-zero on failure.
#
# Build products go to build/native/ (git-ignored). The fuzzer writes the
# inputs it discovers to build/native/fuzz-corpus/ and crash reproducers to
# build/native/fuzz-artifacts/; tests/fuzz/corpus/ (the checked-in seeds,
# tests/fuzz/make_corpus.py) is only read. Reproduce a crash with:
#   build/native/fuzz_alloc build/native/fuzz-artifacts/crash-...
#
# Environment: CC (default clang), JOBS (parallel compiles, default nproc),
# FUZZ_SEED (default 1 for the short run), FUZZ_SHORT_SECS (default 45).
# Exits non-zero if any build, test or fuzz run fails.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

CC=${CC:-clang}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
out=build/native
mkdir -p "$out" "$out/fuzz-corpus" "$out/fuzz-artifacts"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -g -O1"
INC="-Icore/include -Icore/src"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=""

# The core's objects, rebuilt from scratch every run (no stale objects).
build_core_objects() {
    echo "--- build core objects (ASan+UBSan)"
    rm -rf "$out/obj"
    mkdir -p "$out/obj"
    # shellcheck disable=SC2016
    printf '%s\n' core/src/*.c | CC="$CC" FLAGS="$CFLAGS $SAN $INC" OBJ="$out/obj" \
        xargs -P "$JOBS" -n 1 sh -c '$CC $FLAGS -c "$1" -o "$OBJ/$(basename "$1" .c).o"' sh
}

build_test() {   # name
    echo "--- build $1"
    # shellcheck disable=SC2086
    $CC $CFLAGS $SAN $INC "$out"/obj/*.o "tests/core/$1.c" -o "$out/$1"
}

run_test() {     # name
    echo "--- run $1"
    if "$out/$1"; then :; else failed="$failed $1"; fi
}

build_fuzz() {
    echo "--- build fuzz_alloc"
    # shellcheck disable=SC2086
    $CC $CFLAGS -fsanitize=fuzzer,address,undefined $INC core/src/*.c \
        tests/fuzz/fuzz_alloc.c -o "$out/fuzz_alloc"
}

run_fuzz() {     # extra libFuzzer flags...
    echo "--- fuzz_alloc $*"
    if "$out/fuzz_alloc" -max_len=4096 -artifact_prefix="$out/fuzz-artifacts/" "$@" \
        "$out/fuzz-corpus" tests/fuzz/corpus; then :; else failed="$failed fuzz_alloc"; fi
}

unit_tests() {   # [name]
    if [ -n "${1:-}" ]; then tests=$1; else
        tests=$(for f in tests/core/test_*.c; do basename "$f" .c; done)
    fi
    if ! build_core_objects; then failed="$failed build:core"; return; fi
    for t in $tests; do
        if build_test "$t"; then run_test "$t"; else failed="$failed build:$t"; fi
    done
}

mode=${1:-all}
case "$mode" in
    all)
        # the fuzzer build is independent of the unit tests: overlap it
        build_fuzz > "$out/build-fuzz_alloc.log" 2>&1 &
        fuzz_pid=$!
        unit_tests
        fuzz_ok=0
        wait $fuzz_pid || fuzz_ok=1
        cat "$out/build-fuzz_alloc.log"
        if [ $fuzz_ok = 0 ]; then
            run_fuzz -runs=200000 -max_total_time="${FUZZ_SHORT_SECS:-45}" -seed="${FUZZ_SEED:-1}"
        else
            failed="$failed build:fuzz_alloc"
        fi
        ;;
    unit)
        unit_tests "${2:-}"
        ;;
    fuzz)
        secs=${2:-600}
        if build_fuzz; then run_fuzz -max_total_time="$secs" -print_final_stats=1
        else failed="$failed build:fuzz_alloc"; fi
        ;;
    *)
        echo "usage: $0 [unit [NAME] | fuzz [SECONDS]]" >&2
        exit 2
        ;;
esac

if [ -n "$failed" ]; then
    echo "tests/core/run.sh $mode: FAILED:$failed"
    exit 1
fi
echo "tests/core/run.sh $mode: all passed"
exit 0
