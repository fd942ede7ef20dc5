#!/usr/bin/env bash
# `cpack -G DEB` builds a Debian package: dpkg-deb -c lists the installed files, its Depends
# names the runtime libraries (each installed here, so `dpkg -i` would be satisfied), and the
# package unpacked into a temporary root runs `diff_events --version`.
# Usage: check_package.sh BUILD_DIR. Exit 77 (skipped) only without cpack or dpkg-deb.
set -u
build=$1
for tool in cpack dpkg-deb dpkg-query; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then
  echo "cpack failed:"
  cat "$work/cpack.log"
  exit 1
fi
deb=$(ls "$work"/pkg/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "no .deb produced"; cat "$work/cpack.log"; exit 1; }
echo "built $(basename "$deb")"
failed=0
listing=$(dpkg-deb -c "$deb")
for f in ./usr/bin/diff_events ./usr/share/man/man1/diff_events.1.gz \
         ./usr/share/diff_events/schemas/diff-report.schema.json \
         ./usr/share/bash-completion/completions/diff_events; do
  grep -qF " $f" <<<"$listing" || { echo "package lacks $f"; failed=1; }
done
[ "$(dpkg-deb -f "$deb" Package)" = diff-events ] || { echo "wrong package name"; failed=1; }
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(sed 's/ *([^)]*)//g; s/, */\n/g' <<<"$depends")  # one package name a line
for lib in libc6 libstdc++6 libzstd1 zlib1g libfmt9 libsimdjson14 libxxhash0; do
  grep -qxF "$lib" <<<"$depends_names" || { echo "Depends lacks $lib: $depends"; failed=1; }
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" ||
    { echo "dependency $lib is not installed on this machine"; failed=1; }
done
# Every shared library the binary needs comes from a package named in Depends.
dpkg-deb -x "$deb" "$work/root"
for so in $(ldd "$work/root/usr/bin/diff_events" | awk '/=>/ {print $3}'); do
  owner=$(dpkg-query -S "$(readlink -f "$so")" 2>/dev/null | head -1 | cut -d: -f1)
  [ -z "$owner" ] && owner=$(dpkg-query -S "$so" 2>/dev/null | head -1 | cut -d: -f1)
  case $owner in
    libasan* | libubsan* | "") continue ;;  # sanitizer builds; files no package owns
  esac
  grep -qxF "$owner" <<<"$depends_names" || { echo "$so comes from $owner, not in Depends"; failed=1; }
done
version=$("$work/root/usr/bin/diff_events" --version) || failed=1
[ "$version" = "diff_events 0.1.0" ] || { echo "unpacked --version said: $version"; failed=1; }
[ $failed = 0 ] && echo "package: files listed, Depends complete, unpacked binary runs"
exit $failed
