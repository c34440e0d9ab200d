#!/usr/bin/env bash
# Register a built app folder (installers/build_app.sh) with the desktop: menu entry and icon for this user.
set -euo pipefail
APP=$(cd "${1:-$(dirname "$0")/../build/app/dist/nodecomp}" && pwd)
share="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$share/applications" "$share/icons/hicolor/256x256/apps" "$share/icons/hicolor/48x48/apps"
cp "$APP/share/icons/hicolor/256x256/apps/nodecomp.png" "$share/icons/hicolor/256x256/apps/nodecomp.png"
cp "$APP/share/icons/hicolor/48x48/apps/nodecomp.png" "$share/icons/hicolor/48x48/apps/nodecomp.png"
sed "s|^Icon=.*|Icon=nodecomp|" "$APP/share/applications/nodecomp.desktop" > "$share/applications/nodecomp.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
echo "installed $share/applications/nodecomp.desktop (runs $APP/nodecomp)"
