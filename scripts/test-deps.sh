#!/usr/bin/env bash
# System packages the test suite's real components need (Debian). Installs only what is
# missing, so a developer's second run costs nothing; CI runs as root on a fresh machine.
set -euo pipefail

need=()
# (each issue that brings a real server adds its package here)
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-deps: missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
