#!/usr/bin/env bash
# One command: install everything the tests need, then lint and run every test
# (unit, views and the real-browser suite). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -W error "$@"
