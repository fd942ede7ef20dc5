#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite twice:
#  - sanitize: clang, AddressSanitizer + UndefinedBehaviorSanitizer + libFuzzer coverage; the unit,
#    end-to-end, terminal, install and browser tests, then each fuzzer for a bounded time. One
#    instrumented compile of the library serves tests and fuzzers alike.
#  - plain: g++ without sanitizers, the compiler the README's build uses, so that its warnings
#    (as errors) are checked too; the same suite runs again, in seconds.
# FUZZ_SECONDS=N changes the fuzz time; VARIANTS="sanitize" runs one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang libclang-rt-14-dev groff-base chromium python3  # groff: the man page test; chromium: the HTML report test
jobs=$(nproc)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for variant in ${VARIANTS:-sanitize plain}; do
  dir=build-test-$variant
  case $variant in
    sanitize) flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g1" -DCMAKE_CXX_COMPILER=clang++
                     -DDIFF_EVENTS_SANITIZE=ON -DDIFF_EVENTS_FUZZ=ON "-DDIFF_EVENTS_FUZZ_SECONDS=${FUZZ_SECONDS:-10}") ;;
    plain) flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g0" -DCMAKE_CXX_COMPILER=g++) ;;
    *) echo "run-tests.sh: unknown variant '$variant' (sanitize, plain)" >&2; exit 2 ;;
  esac
  echo "== $variant build" >&2
  cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure
done
