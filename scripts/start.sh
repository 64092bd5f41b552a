#!/usr/bin/env bash
# One command: install, check the sample regions.yaml, and serve on http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/bodymap serve "$@"
