#!/usr/bin/env bash
# Build the standalone Linux app folder with PyInstaller, then smoke-test the built binary headless:
# `nodecomp --version`, the demo comp rendered, a farm render on an embedded cluster (which re-runs
# the frozen executable as worker processes) and the desktop app's modules importing offscreen.
#
#   installers/build_app.sh            ->  build/app/dist/nodecomp/  (run ./nodecomp, or install the .desktop entry)
#
# Not part of CI (it takes minutes and ~0.5 GB); see installers/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
[ -x "$PY" ] || bash installers/setup.sh
"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install --quiet "pyinstaller>=6.0"
[ -f resources/icons/nodecomp.png ] || "$PY" resources/icons/make_icon.py

OUT=build/app
APP="$OUT/dist/nodecomp"
started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/work" installers/pyinstaller/nodecomp.spec
built=$(date +%s)

# Desktop entry and icon, laid out as under ~/.local/share (install: installers/install_desktop_entry.sh).
mkdir -p "$APP/share/applications" "$APP/share/icons/hicolor/256x256/apps" "$APP/share/icons/hicolor/48x48/apps"
cp resources/icons/nodecomp.png "$APP/share/icons/hicolor/256x256/apps/nodecomp.png"
cp resources/icons/nodecomp-48.png "$APP/share/icons/hicolor/48x48/apps/nodecomp.png"
sed "s|@APPDIR@|$(cd "$APP" && pwd)|g" installers/pyinstaller/nodecomp.desktop > "$APP/share/applications/nodecomp.desktop"

echo "== smoke test (headless) =="
export QT_QPA_PLATFORM=offscreen
"$APP/nodecomp" --version
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp resources/demo/demo.ncomp "$work/"
NODECOMP_DEMO_DIR="$work" "$APP/nodecomp" demo --frames 1-3
for frame in 0001 0002 0003; do
    [ -s "$work/render/demo_comp.$frame.exr" ] || { echo "smoke test: demo frame $frame missing" >&2; exit 1; }
done
"$APP/nodecomp" render "$work/demo.ncomp" --frames 4-7 --farm local --workers 2 --chunk 2 --quiet
for frame in 0004 0005 0006 0007; do
    [ -s "$work/render/demo_comp.$frame.exr" ] || { echo "smoke test: farm frame $frame missing" >&2; exit 1; }
done
"$APP/nodecomp" plugins check | tee "$work/plugins.txt"
for plugin in nodecomp-delivery nodecomp-keyers; do
    grep -q "^ok   $plugin " "$work/plugins.txt" || { echo "smoke test: bundled plugin $plugin not loaded" >&2; exit 1; }
done
# The desktop app must start and sit in its event loop (offscreen) until stopped.
set +e
timeout 20 "$APP/nodecomp" app > "$work/app.log" 2>&1
code=$?
set -e
[ "$code" = 124 ] || { echo "smoke test: the desktop app exited early ($code):" >&2; cat "$work/app.log" >&2; exit 1; }
"$APP/nodecomp" farm openjd "$work/demo.ncomp" -o "$work/job.yaml" --frames 1-8
done_at=$(date +%s)
echo "built $APP ($(du -sh "$APP" | cut -f1)) in $((built - started)) s; smoke test $((done_at - built)) s"
