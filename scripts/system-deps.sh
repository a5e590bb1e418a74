#!/usr/bin/env bash
# Install from Debian's packages what the test suite needs and the machine lacks:
# PostgreSQL (server + contrib), Chromium for the browser tests, CJK fonts, gettext, WeasyPrint's libraries,
# libfaketime (the suite at shifted clocks, tests/clock.py).
#   scripts/system-deps.sh run    -> what serving needs (gettext, to compile translations; WeasyPrint's
#                                    libraries and CJK fonts, for the worker's monthly report PDFs)
#   scripts/system-deps.sh test   -> everything the test suite needs
set -euo pipefail
mode=${1:-test}
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# WeasyPrint (the monthly report PDF, built by the worker): Pango, HarfBuzz's subsetter (without it a
# Chinese page takes seconds, not ~0.1 s) and the CJK fonts. Both modes: `make run` starts the worker.
for pkg in fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ "$mode" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)  # reads the report PDFs back in tests
  ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || need+=(faketime)  # served processes at a shifted clock
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
