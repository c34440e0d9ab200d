#!/usr/bin/env bash
# Create (or reuse) the repo's virtual environment and install nodecomp with everything a user needs:
# the engine, the AI extras (torch pinned to 2.13.0), the desktop app and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    # torch 2.13.0 wheels exist for 3.11; prefer it when present.
    for candidate in python3.11 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
    done
    echo "nodecomp setup: no python3 found (3.11 or newer is needed)" >&2
    exit 1
}

if [ ! -x .venv/bin/python ]; then
    PY=$(pick_python)
    "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
        || { echo "nodecomp setup: $PY is older than 3.11" >&2; exit 1; }
    "$PY" -m venv .venv
fi

stamp=.venv/.nodecomp-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[all]"
    touch "$stamp"
fi
