#!/usr/bin/env bash
# Runs one end-to-end case: tests/e2e/cases/NAME/
#   cmd          bash snippet, run in a fresh temp dir with $DIFF_EVENTS (the binary) and $DATA
#                (tests/data) set; its stdout and stderr are captured
#   exit         the expected exit code (default 0)
#   stdout.exp   expected stdout, exact (optional)
#   stderr.exp   expected stderr, exact (optional)
#   files/       expected output files, each compared exactly with the one of the same name
#                that cmd wrote in the temp dir (optional)
#   check        bash snippet run afterwards in the temp dir for further assertions (optional;
#                a non-zero exit fails the case)
# Set UPDATE_GOLDENS=1 to rewrite stdout.exp/stderr.exp/files/* from what the run produced.
set -u
case_dir=$1
export DIFF_EVENTS=$2
export DATA=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset GITHUB_STEP_SUMMARY  # a case that wants one sets it; none appends to the real one

bash "$case_dir/cmd" >"$work/.stdout" 2>"$work/.stderr"
code=$?
want=0
[ -f "$case_dir/exit" ] && want=$(tr -d '[:space:]' <"$case_dir/exit")
failed=0
if [ "$code" != "$want" ]; then
  echo "exit code: got $code, want $want"
  failed=1
fi

compare() {  # expected actual label
  if [ "${UPDATE_GOLDENS:-}" = 1 ]; then cp "$2" "$1"; return; fi
  if ! diff -u "$1" "$2"; then
    echo "mismatch: $3"
    failed=1
  fi
}
[ -f "$case_dir/stdout.exp" ] && compare "$case_dir/stdout.exp" "$work/.stdout" stdout
[ -f "$case_dir/stderr.exp" ] && compare "$case_dir/stderr.exp" "$work/.stderr" stderr
if [ -d "$case_dir/files" ]; then
  for f in "$case_dir"/files/*; do
    name=$(basename "$f")
    if [ ! -f "$work/$name" ]; then
      echo "missing output file: $name"
      failed=1
    else
      compare "$f" "$work/$name" "$name"
    fi
  done
fi
if [ -f "$case_dir/check" ] && ! bash "$case_dir/check"; then
  echo "check failed"
  failed=1
fi
if [ $failed != 0 ]; then
  echo "--- stderr of the run:"
  cat "$work/.stderr"
  exit 1
fi
exit 0
