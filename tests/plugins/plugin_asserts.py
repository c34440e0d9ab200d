"""Checks every bundled plugin's tests share: what importing it loads, and what it imports."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules_loaded_by(statement: str, banned: tuple[str, ...]) -> list[str]:
    """Top-level packages among `banned` that running `statement` in a fresh interpreter loads."""
    code = (
        f"{statement}\nimport sys\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {banned!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return [name for name in out.stdout.strip().split(",") if name]
