#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite: unit and end-to-end tests
# under AddressSanitizer + UndefinedBehaviorSanitizer (warnings as errors), then each libFuzzer
# target for a bounded time (clang). FUZZ_SECONDS=N changes the fuzz time. The same suite in a
# build without sanitizers is one variant more (VARIANTS="plain asan fuzz"): it finds nothing
# the sanitized run does not, and two cores take minutes to build it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh clang libclang-rt-14-dev groff-base chromium python3  # groff: the man page test; chromium: the HTML report test
jobs=$(nproc)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for variant in ${VARIANTS:-asan fuzz}; do
  dir=build-test-$variant
  flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g1")  # line tables only: faster builds
  case $variant in
    asan) flags+=(-DDIFF_EVENTS_SANITIZE=ON) ;;
    fuzz) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g -DNDEBUG" -DDIFF_EVENTS_FUZZ=ON
                 "-DDIFF_EVENTS_FUZZ_SECONDS=${FUZZ_SECONDS:-10}" -DCMAKE_CXX_COMPILER=clang++) ;;
  esac
  echo "== $variant build" >&2
  cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure
done
