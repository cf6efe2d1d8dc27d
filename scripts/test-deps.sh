#!/usr/bin/env bash
# System packages the test suite's real components need (Debian). Installs only what is
# missing, so a developer's second run costs nothing; CI runs as root on a fresh machine.
set -euo pipefail

# Each issue that brings a real server adds its packages here (more can be passed as
# arguments).
packages=(
  dovecot-imapd  # IMAP: tests/integration/dovecot.py (dovecot, doveadm from dovecot-core)
  openssl        # the test server's self-signed certificate
  chromium       # the dashboard's end-to-end tests: tests/e2e/ (Playwright, /usr/bin/chromium)
  postgresql     # server mode: tests/integration/postgres.py (initdb + postgres 15 in a temp dir)
  pgbouncer      # server mode through transaction pooling: tests/integration/pgbouncer.py
)
need=()
for pkg in "${packages[@]}" "$@"; do
  # "ii": installed (a package removed without --purge is still known to `dpkg -s`)
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [ "${status:0:2}" = ii ] || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-deps: missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
