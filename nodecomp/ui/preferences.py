"""The app's preferences: what they are, where they live, and reading and writing them.

They are a small JSON file in the platform's config folder (`~/.config/nodecomp` on Linux,
`~/Library/Application Support/nodecomp` on macOS, `%APPDATA%/nodecomp` on Windows), or in
`$NODECOMP_CONFIG_DIR` when set (tests point it at a temporary folder). Writes are atomic, so
a crash never leaves half a file. Reading never fails: a missing file gives the defaults and
a bad value is replaced by its default with a warning, so a hand-edited file cannot stop the
app from starting. No Qt here: the dialog is `preferences_dialog.py`.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from nodecomp.core.fileformat import write_atomically

log = logging.getLogger(__name__)

CONFIG_DIR_VARIABLE = "NODECOMP_CONFIG_DIR"
FILE_NAME = "preferences.json"
FORMAT_VERSION = 1

MIN_CACHE_MB = 64
MAX_AUTOSAVE_MINUTES = 24 * 60


@dataclass(frozen=True)
class Preferences:
    """User preferences of the desktop app.

    Attributes:
        cache_mb: the image cache budget in MiB; 0 means automatic (a quarter of the RAM, at
            most 16 GiB).
        ocio_config: OCIO config file used when a comp names none (empty: `$OCIO`, else the
            built-in studio config).
        plugin_folders: folders searched for plugins, before those on `$NODECOMP_PLUGIN_PATH`.
        autosave_minutes: minutes between autosaves of a changed comp; 0 switches autosave off.
    """

    cache_mb: int = 0
    ocio_config: str = ""
    plugin_folders: tuple[str, ...] = ()
    autosave_minutes: float = 5.0

    def checked(self) -> Preferences:
        """The same preferences with every bad value replaced by its default (each logged)."""
        defaults = Preferences()
        good: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            try:
                good[item.name] = _CHECKS[item.name](value)
            except (TypeError, ValueError) as exc:
                log.warning("preference %s = %r ignored: %s", item.name, value, exc)
                good[item.name] = getattr(defaults, item.name)
        return Preferences(**good)


def _cache_mb(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number of MiB")
    if value != 0 and value < MIN_CACHE_MB:
        raise ValueError(f"at least {MIN_CACHE_MB} MiB (or 0 for automatic)")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value.strip()


def _folders(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of folders")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _minutes(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError("expected a number of minutes")
    if not 0 <= value <= MAX_AUTOSAVE_MINUTES:
        raise ValueError(f"between 0 (off) and {MAX_AUTOSAVE_MINUTES} minutes")
    return float(value)


_CHECKS = {"cache_mb": _cache_mb, "ocio_config": _text, "plugin_folders": _folders, "autosave_minutes": _minutes}


def config_dir() -> Path:
    """The folder holding the preferences: `$NODECOMP_CONFIG_DIR`, else the platform's config folder."""
    configured = os.environ.get(CONFIG_DIR_VARIABLE, "").strip()
    if configured:
        return Path(os.path.expanduser(configured))
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "nodecomp"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "nodecomp"
    return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "nodecomp"


def preferences_path() -> Path:
    """The preferences file."""
    return config_dir() / FILE_NAME


def load_preferences(path: str | os.PathLike[str] | None = None) -> Preferences:
    """Read the preferences; defaults for a missing or unreadable file and for bad values."""
    path = Path(path) if path is not None else preferences_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("preferences %s could not be read (%s); using the defaults", path, exc)
        return Preferences()
    if not isinstance(data, dict):
        log.warning("preferences %s hold no settings; using the defaults", path)
        return Preferences()
    known = {item.name for item in fields(Preferences)}
    values = {key: value for key, value in data.items() if key in known}
    for key in sorted(set(data) - known - {"format_version"}):
        log.info("preferences %s: unknown setting %r ignored", path, key)
    defaults = asdict(Preferences())
    raw = Preferences(**{**defaults, **values})  # types are checked next, per field
    return raw.checked()


def save_preferences(preferences: Preferences, path: str | os.PathLike[str] | None = None) -> Path:
    """Write the preferences atomically (bad values as their defaults); returns the file written."""
    path = Path(path) if path is not None else preferences_path()
    data = {"format_version": FORMAT_VERSION, **asdict(preferences.checked())}
    data["plugin_folders"] = list(data["plugin_folders"])
    write_atomically(str(path), json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path
