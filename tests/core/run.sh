#!/bin/sh
# tests/core/run.sh — build and run the native allocator tests.
#
#   tests/core/run.sh              C unit tests (ASan+UBSan) + a short fuzz run (<= ~60 s)
#   tests/core/run.sh fuzz [SECS]  the long fuzz run only (default 600 s; ./build.sh fuzz)
#   tests/core/run.sh unit         C unit tests only
#
# Build products go to build/native/ (git-ignored). The fuzzer writes the
# inputs it discovers to build/native/fuzz-corpus/ and crash reproducers to
# build/native/fuzz-artifacts/; tests/fuzz/corpus/ (the checked-in seeds) is
# only read. Reproduce a crash with: build/native/fuzz_alloc <crash-file>
#
# Environment: CC (default clang), FUZZ_SEED (default 1 for the short run),
# FUZZ_SHORT_SECS (default 45).
# Exits non-zero if any build, test or fuzz run fails.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

CC=${CC:-clang}
out=build/native
mkdir -p "$out" "$out/fuzz-corpus" "$out/fuzz-artifacts"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -g -O1"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=""

build_test() {   # name
    echo "--- build $1"
    # shellcheck disable=SC2086
    $CC $CFLAGS $SAN -Icore/include -Icore/src core/src/*.c "tests/core/$1.c" -o "$out/$1" ||
        { failed="$failed build:$1"; return 1; }
}

run_test() {     # name
    echo "--- run $1"
    if "$out/$1"; then :; else failed="$failed $1"; fi
}

build_fuzz() {
    echo "--- build fuzz_alloc"
    # shellcheck disable=SC2086
    $CC $CFLAGS -fsanitize=fuzzer,address,undefined -Icore/include -Icore/src core/src/*.c \
        tests/fuzz/fuzz_alloc.c -o "$out/fuzz_alloc" || { failed="$failed build:fuzz_alloc"; return 1; }
}

run_fuzz() {     # extra libFuzzer flags...
    echo "--- fuzz_alloc $*"
    if "$out/fuzz_alloc" -max_len=4096 -artifact_prefix="$out/fuzz-artifacts/" "$@" \
        "$out/fuzz-corpus" tests/fuzz/corpus; then :; else failed="$failed fuzz_alloc"; fi
}

mode=${1:-all}
case "$mode" in
    all|unit)
        for t in test_obmalloc test_raw; do
            build_test "$t" && run_test "$t"
        done
        if [ "$mode" = all ]; then
            build_fuzz && run_fuzz -runs=200000 -max_total_time="${FUZZ_SHORT_SECS:-45}" -seed="${FUZZ_SEED:-1}"
        fi
        ;;
    fuzz)
        secs=${2:-600}
        build_fuzz && run_fuzz -max_total_time="$secs" -print_final_stats=1
        ;;
    *)
        echo "usage: $0 [unit | fuzz [seconds]]" >&2
        exit 2
        ;;
esac

if [ -n "$failed" ]; then
    echo "FAILED:$failed"
    exit 1
fi
echo "all native allocator tests passed"
exit 0
