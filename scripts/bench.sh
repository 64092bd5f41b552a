#!/usr/bin/env bash
# One command from a clean clone: install the app, the test tools, wrk and nginx, then run every
# benchmark (bench/run.py) and rewrite bench/RESULTS.md. Extra arguments go to bench/run.py,
# e.g. `bash scripts/bench.sh --quick --no-write`. Everything runs on 127.0.0.1 and stops by
# itself (about 7 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' and try again." >&2
    exit 1
  fi
fi

exec .venv/bin/python bench/run.py "$@"
