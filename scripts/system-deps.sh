#!/usr/bin/env bash
# Install from Debian's packages what the test suite needs and the machine lacks:
# PostgreSQL (server + contrib), Chromium for the browser tests, CJK fonts, gettext.
#   scripts/system-deps.sh run    -> only what serving needs (gettext, to compile translations)
#   scripts/system-deps.sh test   -> everything the test suite needs
set -euo pipefail
mode=${1:-test}
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "$mode" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]}. Install them (apt-get install ${need[*]}) and run again." >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
