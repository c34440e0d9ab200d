"""Path mapping: one storage location spelled differently on each worker's operating system.

A farm mixes machines that mount the same show storage at different places (`/mnt/show` on
Linux, `S:/show` on Windows, `/Volumes/show` on macOS). A rule `A=B` says both prefixes name the
same place. Each worker picks the side that is its own and rewrites every path that starts with
the other side, so one document renders everywhere unchanged:

* the side that exists as a folder on this worker is local;
* otherwise, when exactly one side is a Windows path (a drive letter or a UNC share), it is local
  on Windows and foreign elsewhere;
* otherwise the right-hand side is local (a plain one-way rewrite, `A` becomes `B`).

Prefixes match whole path components (`/mnt/show` does not match `/mnt/showreel`), Windows
prefixes case-insensitively, and backslashes count as separators.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError

_WINDOWS = re.compile(r"^([A-Za-z]:([\\/]|$)|[\\/]{2}[^\\/])")


class PathMapError(NodecompError):
    """A `--path-map` rule that cannot be used."""


def looks_windows(path: str) -> bool:
    """True for a drive-letter (`S:/show`) or UNC (`//server/share`, backslashed too) path."""
    return bool(_WINDOWS.match(path))


def _normalise(path: str) -> str:
    """Forward slashes and no trailing separator (a bare root keeps its slash)."""
    text = path.replace("\\", "/")
    if text.startswith("//"):
        return "//" + text[2:].rstrip("/")
    stripped = text.rstrip("/")
    return stripped or "/"


@dataclass(frozen=True)
class PathRule:
    """Two spellings of one storage location; `one_way` rules always rewrite left to right.

    One-way rules come from farm managers that compute the rules per worker themselves (an
    Open Job Description session's path mapping rules).
    """

    left: str
    right: str
    one_way: bool = False

    @classmethod
    def parse(cls, text: str) -> PathRule:
        """A rule from `A=B` as typed after `--path-map`.

        Raises:
            PathMapError: no `=`, or an empty side.
        """
        left, sep, right = text.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise PathMapError(f"path map {text!r} is not FROM=TO", hint="e.g. --path-map /mnt/show=S:/show")
        return cls(_normalise(left.strip()), _normalise(right.strip()))

    def directed(self, *, windows: bool, is_dir: Callable[[str], bool] = os.path.isdir) -> tuple[str, str]:
        """(foreign, local) prefixes for a worker; see the module doc for the choice."""
        if self.one_way:
            return self.left, self.right
        left_here, right_here = is_dir(self.left), is_dir(self.right)
        if left_here != right_here:
            return (self.right, self.left) if left_here else (self.left, self.right)
        left_win, right_win = looks_windows(self.left), looks_windows(self.right)
        if left_win != right_win and (left_win == windows):
            return self.right, self.left
        return self.left, self.right


class PathMap:
    """Ordered rules applied on one worker; the first rule whose foreign prefix matches wins.

    Args:
        rules: the rules (or their `A=B` texts).
        windows: whether this worker runs Windows (default: this process's OS).
        is_dir: folder test used to pick each rule's local side (tests pass a fake).
    """

    def __init__(self, rules: Iterable[PathRule | str] = (), *, windows: bool | None = None,
                 is_dir: Callable[[str], bool] = os.path.isdir) -> None:
        self.rules = tuple(r if isinstance(r, PathRule) else PathRule.parse(r) for r in rules)
        windows = os.name == "nt" if windows is None else windows
        self._directed = [rule.directed(windows=windows, is_dir=is_dir) for rule in self.rules]

    def __bool__(self) -> bool:
        return bool(self.rules)

    def apply(self, path: str) -> str:
        """`path` with its foreign prefix replaced by this worker's; unchanged when no rule matches."""
        if not path:
            return path
        text = path.replace("\\", "/")
        for foreign, local in self._directed:
            if looks_windows(foreign):
                matches = text.lower() == foreign.lower() or text.lower().startswith(foreign.lower().rstrip("/") + "/")
            else:
                matches = text == foreign or text.startswith(foreign.rstrip("/") + "/")
            if matches:
                rest = text[len(foreign):].lstrip("/")
                return f"{local.rstrip('/')}/{rest}" if rest else local
        return path

    def apply_to_document(self, doc: Document) -> int:
        """Rewrite every Path param's static value (and the OCIO config file); returns how many changed.

        Placeholder nodes (their type is not loaded) keep their raw params: they cannot render.
        """
        changed = 0
        for node in doc.nodes:
            node_type = node.node_type
            if node_type is None:
                continue
            for spec in node_type.params:
                if spec.kind != "path":
                    continue
                value = node.params[spec.name].value
                if isinstance(value, str) and (mapped := self.apply(value)) != value:
                    doc.set_param(node, spec.name, mapped)
                    changed += 1
        config = doc.settings.get("ocio_config", "")
        if isinstance(config, str) and config and not config.startswith("ocio://"):
            mapped = self.apply(config)
            if mapped != config:
                doc.set_setting("ocio_config", mapped)
                changed += 1
        return changed
