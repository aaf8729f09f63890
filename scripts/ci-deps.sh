#!/usr/bin/env bash
# What the tests need beyond Node and the stack's own install step: Chromium (Debian package `chromium`),
# with which test/report*.test.ts render report.html. `npm test` runs this first (pretest). Installed when
# absent; as root on Debian only, otherwise it says what to install.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "efd-health: installing chromium (Debian package) for the report tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "efd-health: the report tests need /usr/bin/chromium: install the Debian package chromium (as root: apt-get install chromium)" >&2
    exit 1
  fi
fi
