#!/usr/bin/env bash
# The HTML report in a real browser: diff_events --html on the bundled examples and on cases with
# hunks, causes, --max-hunks 1, identical logs and hostile event text; headless chromium loads
# each file from disk and dumps the DOM after the page's script ran; check_dom.py compares the
# lanes, divergence markers and end markers with the JSON report of the same run and checks no
# script error happened; the browser log must hold no console error. Screenshots (PNG) are left
# in OUT_DIR for a person to look at.
# Usage: run_html_test.sh DIFF_EVENTS EXAMPLES_DIR DATA_DIR OUT_DIR
# Exit 77 (skipped) only where chromium is missing or cannot start.
set -u
bin=$1
examples=$2
data=$3
out=$4
here=$(cd "$(dirname "$0")" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps.sh chromium)"
  exit 77
fi
if ! command -v python3 >/dev/null; then
  echo "SKIP: python3 is not installed (scripts/install-deps.sh python3)"
  exit 77
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A root without a sandbox needs --no-sandbox; a private profile and HOME keep runs apart.
export HOME=$work/home
mkdir -p "$HOME"
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-dev-shm-usage --user-data-dir="$work/profile" "$@"
}
if ! chrome --dump-dom about:blank >"$work/probe.out" 2>"$work/probe.err"; then
  echo "SKIP: chromium cannot run here:"
  tail -5 "$work/probe.err"
  exit 77
fi

failed=0
# run NAME DIFF-ARGS...: writes NAME.html and NAME.json, loads the page, checks its DOM.
run() {
  local name=$1
  shift
  local html=$out/$name.html
  "$bin" "$@" --json "$work/$name.json" --html "$html" --out /dev/null -q
  local code=$?
  if [ "$code" -gt 1 ]; then
    echo "FAIL $name: diff_events exited $code"
    failed=1
    return
  fi
  chrome --enable-logging=stderr --v=0 --dump-dom "file://$html" >"$work/$name.dom" \
    2>"$work/$name.log"
  if grep -E 'Uncaught|CONSOLE.*[Ee]rror|:ERROR:CONSOLE' "$work/$name.log"; then
    echo "FAIL $name: console error above"
    failed=1
  fi
  if ! python3 "$here/check_dom.py" "$work/$name.json" "$work/$name.dom" --forbid-id pwned \
      >"$work/$name.check"; then
    echo "FAIL $name:"
    cat "$work/$name.check"
    failed=1
    return
  fi
  echo "$name: $(cat "$work/$name.check"), $(wc -c <"$html") bytes"
}
shot() {  # NAME: a screenshot of NAME.html as a person sees it first
  chrome --screenshot="$out/$1.png" --window-size=1400,900 "file://$out/$1.html" \
    >/dev/null 2>&1 || { echo "FAIL $1: no screenshot"; failed=1; }
  [ -s "$out/$1.png" ] && echo "screenshot: $out/$1.png"
}

run examples --canary "$examples/canary.jsonl" --ours "$examples/ours.jsonl"
shot examples
size=$(wc -c <"$out/examples.html")
if [ "$size" -ge 2000000 ]; then
  echo "FAIL examples: $size bytes, the bundled examples' page must stay under 2 MB"
  failed=1
fi
# A link to a marker (#mark-PAIR-0) opens its details: the click handler's code path.
first=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(next("%d-%d" % (p["canary_tid"], p["ours_tid"]) for p in r["pairs"] if p["divergence"]))' \
  "$work/examples.json")
chrome --enable-logging=stderr --v=0 --dump-dom "file://$out/examples.html#mark-$first-0" \
  >"$work/linked.dom" 2>"$work/linked.log"
if grep -E 'Uncaught|CONSOLE.*[Ee]rror' "$work/linked.log" ||
    ! python3 "$here/check_dom.py" "$work/examples.json" "$work/linked.dom" --details \
      >"$work/linked.check"; then
  echo "FAIL examples#mark-$first-0: details of a linked marker"
  cat "$work/linked.check"
  failed=1
else
  echo "examples#mark-$first-0: the marker's details are shown"
fi
run examples_first_only --canary "$examples/canary.jsonl" --ours "$examples/ours.jsonl" \
  --max-hunks 1
run identical --canary "$examples/canary.jsonl" --ours "$examples/canary.jsonl"
run causes --canary "$data/diff/hunks/starve_canary.jsonl" --ours "$data/diff/hunks/starve_ours.jsonl"
shot causes
run hunks --canary "$data/diff/hunks/inserted_canary.jsonl" --ours "$data/diff/hunks/inserted_ours.jsonl"

# Event text that would end the data <script> or open markup stays text.
hostile='</script><b id=\"pwned\">x</b><!--'
{ echo '{"kind":"schema_version","schema_version":1,"engine":"canary </script>"}'
  echo '{"tid":1,"tid_event_idx":0,"kind":"kernel.call","payload":{"name":"Main"}}'
  echo "{\"tid\":1,\"tid_event_idx\":1,\"kind\":\"k\",\"payload\":{\"s\":\"$hostile\"}}"; } >"$work/c.jsonl"
{ echo '{"kind":"schema_version","schema_version":1,"engine":"ours"}'
  echo '{"tid":1,"tid_event_idx":0,"kind":"kernel.call","payload":{"name":"Main"}}'
  echo '{"tid":1,"tid_event_idx":1,"kind":"k","payload":{"s":"b"}}'
  echo '{"tid":2,"tid_event_idx":0,"kind":"kernel.call","payload":{"name":"Other"}}'; } >"$work/o.jsonl"
run hostile --canary "$work/c.jsonl" --ours "$work/o.jsonl"

[ $failed = 0 ] && echo "html report: every page built its lanes and markers without a script error"
exit $failed
