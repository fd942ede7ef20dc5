#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time over its committed seed corpus (read-only: new
# inputs go to a temp dir). A crashing input is kept as crash-* in the directory this script was
# started from (or $FUZZ_ARTIFACTS). Usage: run_fuzzer.sh BINARY CORPUS_DIR SECONDS [EXTRA_SEED_DIR...]
set -eu
bin=$1 corpus=$2 seconds=$3
shift 3
artifacts=$(cd "${FUZZ_ARTIFACTS:-.}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=()
for d in "$corpus" "$@"; do [ -d "$d" ] && seeds+=("$(cd "$d" && pwd)"); done
cd "$work"
"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" 2>&1 | tail -20
exit "${PIPESTATUS[0]}"
