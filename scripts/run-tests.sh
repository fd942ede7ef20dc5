#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite twice: a plain build with
# warnings as errors, and one under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
for variant in plain asan; do
  dir=build-test-$variant
  flags=(-DCMAKE_BUILD_TYPE=Debug -DDIFF_EVENTS_WERROR=ON)
  if [ $variant = asan ]; then
    flags+=(-DDIFF_EVENTS_SANITIZE=ON)
  fi
  echo "== $variant build" >&2
  cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" -j "$jobs" --output-on-failure
done
