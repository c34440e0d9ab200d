#!/usr/bin/env bash
# Set everything up and run every check: lint, layer contracts and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
