#!/usr/bin/env bash
# Installs the Debian 12 packages diff_events builds and tests with — only those missing.
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail
packages=(cmake g++ ninja-build pkg-config
          libsimdjson-dev nlohmann-json3-dev libcli11-dev libfmt-dev catch2
          libzstd-dev zlib1g-dev libxxhash-dev robin-map-dev
          zstd gzip "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
