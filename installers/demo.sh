#!/usr/bin/env bash
# Set everything up, generate the demo media if needed and render the demo comp.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/setup.sh
exec .venv/bin/nodecomp demo "$@"
