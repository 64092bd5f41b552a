#!/usr/bin/env bash
# Install what bodymap needs into this folder: a Python venv (.venv) and htmx from npm.
#   bash scripts/install.sh          the app
#   bash scripts/install.sh test     the app, the test tools and Debian's Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
[ "${1:-}" = "test" ] && extra="[test]"

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
if [ "${1:-}" = "test" ]; then
  npm ci --no-audit --no-fund --loglevel=error                # htmx and the test/bench tools
else
  npm ci --omit=dev --no-audit --no-fund --loglevel=error     # htmx only
fi

if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  # The browser tests use Debian's Chromium (Playwright's own download is not used).
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' and try again." >&2
    exit 1
  fi
fi
