#!/usr/bin/env bash
# Installs what is missing, builds diff_events (Release) and diffs the bundled example traces.
# The report goes to examples/out/ (report.md, report.csv, report.json) and is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDIFF_EVENTS_TESTS=OFF >/dev/null
cmake --build build-release
mkdir -p examples/out
./build-release/diff_events --canary examples/canary.jsonl --ours examples/ours.jsonl \
  --out examples/out/report.md --csv examples/out/report.csv --json examples/out/report.json
cat examples/out/report.md
