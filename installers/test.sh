#!/usr/bin/env bash
# Set everything up and run every check: lint, layer contracts and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
# OpenImageIO's bindings print a harmless reference-leak report when the interpreter exits; it is
# filtered out so pytest's summary stays the last thing printed.
set +e
.venv/bin/python -m pytest "$@" 2>&1 | grep --line-buffered -v -E '^(nanobind: |See https://nanobind| - leaked | - \.\.\. skipped remainder)'
status=${PIPESTATUS[0]}
exit "$status"
