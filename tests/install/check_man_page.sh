#!/usr/bin/env bash
# diff_events(1) renders without a single groff warning, and names every option that each
# command's --help lists (so a new option cannot go undocumented).
# Usage: check_man_page.sh DIFF_EVENTS MAN_PAGE. Exit 77 (skipped) only without groff.
set -u
bin=$1
page=$2
if ! command -v groff >/dev/null; then
  echo "SKIP: groff is not installed (scripts/install-deps.sh groff-base)"
  exit 77
fi
failed=0
warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >/dev/null)
if [ -n "$warnings" ]; then
  echo "groff warnings:"
  echo "$warnings"
  failed=1
fi
# Wide lines, no hyphenation: an option is never split across lines.
text=$(groff -man -Tutf8 -rLL=300n -rHY=0 "$page" 2>/dev/null | sed 's/.\x08//g')
for cmd in "" fires validate timeline stats; do
  # Options of this command: the --help lines before the footer that lists the commands.
  options=$("$bin" $cmd --help | sed '/^Commands/,$d' | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' |
            sed 's/^[ ,]//' | sort -u)
  for option in $options; do
    if ! grep -qE -- "(^|[^a-zA-Z-])$option([^a-zA-Z-]|\$)" <<<"$text"; then
      echo "man page lacks ${cmd:-diff} option $option"
      failed=1
    fi
  done
  [ -z "$cmd" ] || grep -qF -- "diff_events $cmd" <<<"$text" || { echo "no section for $cmd"; failed=1; }
done
for section in "EXIT STATUS" "EXAMPLES" "ENVIRONMENT"; do
  grep -qF "$section" <<<"$text" || { echo "man page lacks $section"; failed=1; }
done
[ $failed = 0 ] && echo "man page: no groff warnings, every option documented"
exit $failed
