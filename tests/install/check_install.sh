#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts the binary, the man page, the schemas and the
# bash completion where a system tool keeps them, and the installed binary runs.
# Usage: check_install.sh BUILD_DIR
set -u
build=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cmake --install "$build" --prefix "$root/usr" >/dev/null || { echo "cmake --install failed"; exit 1; }
failed=0
for f in usr/bin/diff_events usr/share/man/man1/diff_events.1.gz \
         usr/share/diff_events/schemas/diff-report.schema.json \
         usr/share/diff_events/schemas/profile.schema.json \
         usr/share/diff_events/schemas/fires-report.schema.json \
         usr/share/diff_events/schemas/fires-profile.schema.json \
         usr/share/bash-completion/completions/diff_events; do
  [ -f "$root/$f" ] || { echo "not installed: /$f"; failed=1; }
done
version=$("$root/usr/bin/diff_events" --version) || failed=1
[ "$version" = "diff_events 0.1.0" ] || { echo "installed --version said: $version"; failed=1; }
# The completion loads and completes the subcommands and an option's values.
completions=$(bash -c '
  source "$1"
  COMP_WORDS=(diff_events val); COMP_CWORD=1; _diff_events; echo "${COMPREPLY[*]}"
  COMP_WORDS=(diff_events --color al); COMP_CWORD=2; _diff_events; echo "${COMPREPLY[*]}"
  COMP_WORDS=(diff_events fires --fa); COMP_CWORD=2; _diff_events; echo "${COMPREPLY[*]}"
' _ "$root/usr/share/bash-completion/completions/diff_events")
[ "$completions" = $'validate\nalways\n--fail-on' ] || { echo "completion gave: $completions"; failed=1; }
gzip -dc "$root/usr/share/man/man1/diff_events.1.gz" | grep -q '^\.TH DIFF_EVENTS 1' ||
  { echo "installed man page is not diff_events(1)"; failed=1; }
[ $failed = 0 ] && echo "installed: binary, man page, schemas, completion; --version runs"
exit $failed
