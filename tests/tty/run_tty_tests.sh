#!/usr/bin/env bash
# Terminal behaviour under a real pseudo-terminal (util-linux `script`), not a faked isatty:
# progress is drawn on a terminal stderr and never on a pipe or file unless --progress forces it;
# -q silences it; colour follows --color, NO_COLOR, CLICOLOR_FORCE, TERM=dumb and isatty; report
# files never get escape codes.
# Usage: run_tty_tests.sh DIFF_EVENTS DATA_DIR. Exit 77 (skipped) only when no pty can be had.
set -u
bin=$1
data=$2
if ! command -v script >/dev/null; then
  echo "SKIP: 'script' (bsdutils/util-linux) is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
if ! script -qfec "test -t 2" /dev/null >/dev/null 2>&1; then
  echo "SKIP: cannot open a pseudo-terminal here (script -qfec 'test -t 2' failed)"
  exit 77
fi
export TERM=xterm
unset NO_COLOR CLICOLOR_FORCE GITHUB_STEP_SUMMARY
failed=0
ESC=$'\x1b'
CR=$'\r'

# Runs a bash snippet with stdin, stdout and stderr on a fresh pty; what the terminal showed goes
# to the file $1.
on_tty() {
  local out=$1
  shift
  script -qfec "bash -c '$*'" /dev/null >"$out" </dev/null
}
expect() {  # description, command that must succeed
  if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi
}
has() { grep -qF -- "$2" "$1"; }

cp "$data/../../examples/canary.jsonl" canary.jsonl
head -1 canary.jsonl >head.jsonl
tail -n +2 canary.jsonl >rest.jsonl
printf '%s\n' '{"kind":"schema_version","schema_version":1}' '{"tid":1,"tid_event_idx":0}' >bad.jsonl
# Input that arrives slowly, so the meter (first frame after ~1/6 s) has to draw.
slow="(cat head.jsonl; sleep 1; cat rest.jsonl)"
export BIN=$bin

on_tty tty.txt "$slow | \$BIN validate -"
expect "progress is drawn on a terminal stderr" "has tty.txt '<stdin> ' && has tty.txt 'MB/s' && has tty.txt \"\$CR\""
expect "the progress line is erased at the end" "has tty.txt \"\$CR\$ESC[K\""
expect "the summary follows the progress" "has tty.txt 'validate: <stdin>: '"

on_tty pipe.txt "$slow | \$BIN validate - 2>err.txt"
expect "no progress when stderr is a file" "! has err.txt \"\$CR\" && ! has err.txt \"\$ESC\" && has err.txt 'valid'"

on_tty quiet.txt "$slow | \$BIN validate -q -"
expect "-q silences progress on a terminal" "! has quiet.txt 'MB/s'"

(cat head.jsonl; sleep 1; cat rest.jsonl) | "$bin" validate --progress - 2>forced.txt >/dev/null
expect "--progress forces it on a pipe" "has forced.txt 'MB/s' && has forced.txt \"\$CR\""

# Percent and ETA for an input of known size: canary is a file read at once, ours a slow pipe.
fires_data="$data/fires/basic"
on_tty fires.txt "(head -1 $fires_data/ours.jsonl; sleep 1; tail -n +2 $fires_data/ours.jsonl) | \$BIN fires --canary $fires_data/canary.jsonl --ours - --out-dir out"
expect "a file of known size shows percent and ETA" "has fires.txt 'canary.jsonl 100% ' && has fires.txt 'ETA 0:00'"
expect "both inputs of fires are on the line" "has fires.txt ' | <stdin> '"

# Colour.
on_tty color.txt "\$BIN validate bad.jsonl"
expect "problems are red on a terminal" "has color.txt \"\$ESC[31m1 problem\""
on_tty error.txt "\$BIN validate no-such.jsonl"
expect "the error label is red on a terminal" "has error.txt \"\$ESC[1;31merror:\""
on_tty nocolor.txt "NO_COLOR=1 \$BIN validate bad.jsonl"
expect "NO_COLOR turns colour off" "! has nocolor.txt \"\$ESC\" && has nocolor.txt '1 problem'"
on_tty dumb.txt "TERM=dumb \$BIN validate bad.jsonl"
expect "TERM=dumb turns colour off" "! has dumb.txt \"\$ESC\""
on_tty never.txt "\$BIN validate --color never bad.jsonl"
expect "--color never turns colour off" "! has never.txt \"\$ESC\""
on_tty nocolor_always.txt "NO_COLOR=1 \$BIN validate --color=always bad.jsonl"
expect "--color always beats NO_COLOR" "has nocolor_always.txt \"\$ESC[31m\""
"$bin" validate bad.jsonl >/dev/null 2>pipe_err.txt
expect "no colour on a pipe" "! has pipe_err.txt \"\$ESC\""
CLICOLOR_FORCE=1 "$bin" validate bad.jsonl >/dev/null 2>forced_err.txt
expect "CLICOLOR_FORCE colours a pipe" "has forced_err.txt \"\$ESC[31m\""
on_tty diff.txt "\$BIN --color always --canary canary.jsonl --ours canary.jsonl --out report.md --csv report.csv"
expect "the verdict is green on a terminal" "has diff.txt \"\$ESC[32midentical\""
expect "report files never get escape codes" "! has report.md \"\$ESC\" && ! has report.csv \"\$ESC\""

exit $failed
