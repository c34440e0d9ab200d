#!/usr/bin/env bash
# Set everything up, generate the demo media if needed and open the desktop app on the demo comp.
# Without a display (no DISPLAY or WAYLAND_DISPLAY), render the demo comp instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/setup.sh
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    .venv/bin/nodecomp demo --no-render
    exec .venv/bin/nodecomp app resources/demo/demo.ncomp
fi
.venv/bin/nodecomp demo "$@"
echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset), so the demo comp was rendered instead."
echo "On a machine with a display, open it in the app with: .venv/bin/nodecomp app resources/demo/demo.ncomp"
