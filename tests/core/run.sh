#!/bin/sh
# tests/core/run.sh — build and run the native C tests of the core.
#
#   tests/core/run.sh              every tests/core/test_*.c (ASan+UBSan) + a short run of both
#                                  fuzz targets (FUZZ_SHORT_SECS, default 45 s, split 25 + 20)
#   tests/core/run.sh unit [NAME]  C tests only (NAME: only tests/core/NAME.c, e.g. test_obmalloc);
#                                  test_gc, test_class, test_list and test_dict also run a
#                                  second time under GC stress (PM_GC_STRESS=0, see stress_tests)
#   tests/core/run.sh fuzz [SECS]  the long fuzz run only: SECS (default 600) for each target
#                                  (fuzz_alloc, then fuzz_objects; ./build.sh fuzz)
#
# Every test is built with the project's sanitizer flags
#   clang -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
#         -fno-omit-frame-pointer -Icore/include -Icore/src core/src/*.c tests/core/NAME.c
# (the core is compiled once per run into build/native/obj/ and linked into
# each test, which is the same program, built faster), and each fuzzer
# (tests/fuzz/fuzz_alloc.c, tests/fuzz/fuzz_objects.c) with
#   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -Icore/include
#         -Icore/src core/src/*.c tests/fuzz/NAME.c
# except that the invariant checkers are compiled without coverage
# instrumentation (build_fuzz). Each test prints "N passed, N failed" and
# exits non-zero on failure.
#
# Build products go to build/native/ (git-ignored). A fuzzer writes the
# inputs it discovers to build/native/fuzz-corpus-NAME/ and crash
# reproducers to build/native/fuzz-artifacts/; the checked-in seeds
# (tests/fuzz/corpus/ for fuzz_alloc, tests/fuzz/corpus_objects/ for
# fuzz_objects, both from tests/fuzz/make_corpus.py) are only read.
# Reproduce a crash with:
#   build/native/fuzz_objects build/native/fuzz-artifacts/crash-...
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
mkdir -p "$out" "$out/fuzz-artifacts"

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

# Both fuzz targets link the whole core. The invariant checkers (check.c,
# check_objects.c) run after most ops but are not what coverage should
# describe: they are compiled without the coverage instrumentation (faster,
# and libFuzzer's features stay about the core).
FUZZERS="fuzz_alloc fuzz_objects"
NOCOV_SRC="core/src/check.c core/src/check_objects.c"

build_fuzz() {   # name
    echo "--- build $1"
    mkdir -p "$out/fuzzobj-$1"
    for f in $NOCOV_SRC; do
        # shellcheck disable=SC2086
        $CC $CFLAGS $SAN $INC -c "$f" -o "$out/fuzzobj-$1/$(basename "$f" .c).o" || return 1
    done
    # shellcheck disable=SC2086
    $CC $CFLAGS -fsanitize=fuzzer,address,undefined $INC \
        $(for f in core/src/*.c; do case " $NOCOV_SRC " in *" $f "*) ;; *) echo "$f";; esac; done) \
        "$out"/fuzzobj-"$1"/*.o "tests/fuzz/$1.c" -o "$out/$1"
}

corpus_of() {    # name -> the checked-in seed directory
    case $1 in fuzz_alloc) echo tests/fuzz/corpus;; *) echo "tests/fuzz/corpus_${1#fuzz_}";; esac
}

run_fuzz() {     # name, extra libFuzzer flags...
    name=$1; shift
    echo "--- $name $*"
    mkdir -p "$out/fuzz-corpus-$name"
    # fuzz_objects: libFuzzer's entropic schedule spent ~70 % of the time in
    # UpdateFeatureFrequency with this target's ~30k features; off, 3x the exec/s
    extra=""
    [ "$name" = fuzz_objects ] && extra="-entropic=0"
    # shellcheck disable=SC2086
    if "$out/$name" -max_len=4096 -artifact_prefix="$out/fuzz-artifacts/" $extra "$@" \
        "$out/fuzz-corpus-$name" "$(corpus_of "$name")"; then :; else failed="$failed $name"; fi
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

# GC stress pass: the object tests once more with PM_GC_STRESS=0, i.e. a
# generation-0 collection at every GC allocation (pm_gc_set_stress, read by
# the fixtures' heap constructors in tests/core/gcstress.h). What it is for:
# an object mis-traversed or tracked half-initialised when a collection
# happens shows up as a sanitizer report. Sanitizer reports abort (exit by
# signal), so they cannot be confused with a CHECK failure (exit 1).
#   STRESS_STRICT:   must pass every CHECK under stress as well
#   STRESS_TOLERANT: observe when collections run (gc.get_count(), debug
#                    text, what a given collect() returns), so some CHECKs
#                    differ by design; only a crash or a sanitizer report fails
STRESS_STRICT="test_class test_dict test_iter test_dictview"
STRESS_TOLERANT="test_gc test_list"

stress_tests() {  # [name]: only the stress runs of the tests built by unit_tests
    for t in $STRESS_STRICT $STRESS_TOLERANT; do
        [ -n "${1:-}" ] && [ "$1" != "$t" ] && continue
        [ -x "$out/$t" ] || continue
        echo "--- run $t (PM_GC_STRESS=0)"
        PM_GC_STRESS=0 UBSAN_OPTIONS="$UBSAN_OPTIONS:halt_on_error=1:abort_on_error=1" \
            "$out/$t" > "$out/$t.stress.log" 2>&1
        rc=$?
        tail -n 1 "$out/$t.stress.log"
        if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$out/$t.stress.log"; then
            grep -m 5 -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$out/$t.stress.log"
            failed="$failed stress:$t"
        elif [ $rc -eq 0 ]; then :
        elif [ $rc -eq 1 ] && case " $STRESS_TOLERANT " in *" $t "*) true;; *) false;; esac; then
            echo "    (CHECKs about collection timing differ under stress, as expected; no sanitizer report)"
        else
            echo "    exit status $rc under GC stress (log: $out/$t.stress.log)"
            failed="$failed stress:$t"
        fi
    done
}

mode=${1:-all}
case "$mode" in
    all)
        # the fuzzer builds are independent of the unit tests: overlap them
        ( for fz in $FUZZERS; do build_fuzz "$fz" || exit 1; done ) > "$out/build-fuzz.log" 2>&1 &
        fuzz_pid=$!
        unit_tests
        stress_tests
        fuzz_ok=0
        wait $fuzz_pid || fuzz_ok=1
        cat "$out/build-fuzz.log"
        if [ $fuzz_ok = 0 ]; then
            # one short budget (FUZZ_SHORT_SECS, default 45 s) split between the targets
            total=${FUZZ_SHORT_SECS:-45}
            run_fuzz fuzz_alloc -runs=200000 -max_total_time=$(( total * 5 / 9 )) -seed="${FUZZ_SEED:-1}"
            run_fuzz fuzz_objects -runs=100000 -max_total_time=$(( total - total * 5 / 9 )) -seed="${FUZZ_SEED:-1}"
        else
            failed="$failed build:fuzz"
        fi
        ;;
    unit)
        unit_tests "${2:-}"
        stress_tests "${2:-}"
        ;;
    fuzz)
        # the long run: SECS per target, one after the other
        secs=${2:-600}
        for fz in $FUZZERS; do
            if build_fuzz "$fz"; then run_fuzz "$fz" -max_total_time="$secs" -print_final_stats=1
            else failed="$failed build:$fz"; fi
        done
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
