"""Colour management through OpenColorIO.

The config is, in order: the document's setting, the `OCIO` environment variable, OCIO's
built-in studio config. The working space is the config's `scene_linear` role unless the
document names another. Processors are cached per (source, destination).
"""

from __future__ import annotations

import functools
import os
import threading

import numpy as np
import PyOpenColorIO as ocio

from nodecomp.core.errors import EvaluationError

BUILTIN_CONFIG = "ocio://studio-config-latest"


def _config_source(setting: str = "") -> str:
    return setting or os.environ.get("OCIO", "") or BUILTIN_CONFIG


@functools.lru_cache(maxsize=8)
def _load_config(source: str) -> ocio.Config:
    try:
        if source.startswith("ocio://"):
            return ocio.Config.CreateFromBuiltinConfig(source)
        return ocio.Config.CreateFromFile(source)
    except (ocio.Exception, ocio.ExceptionMissingFile) as exc:
        raise EvaluationError(f"cannot load the OCIO config: {exc}", path=source) from None


class ColourManager:
    """One OCIO config plus the working space, with cached CPU processors."""

    def __init__(self, config: str = "", working_space: str = "") -> None:
        self.source = _config_source(config)
        self.config = _load_config(self.source)
        self.working_space = working_space or self._role("scene_linear")
        self._processors: dict[tuple[str, str], ocio.CPUProcessor] = {}
        self._lock = threading.Lock()

    def _role(self, role: str) -> str:
        space = self.config.getColorSpace(role)
        if space is None:
            raise EvaluationError(f"the OCIO config has no {role} role", path=self.source)
        return space.getName()

    @property
    def cache_id(self) -> str:
        """Changes whenever the config's meaning changes (part of colour nodes' cache keys)."""
        return str(self.config.getCacheID())

    def colorspaces(self) -> list[str]:
        """Every colour space name of the config."""
        return [cs.getName() for cs in self.config.getColorSpaces()]

    def canonical(self, name: str) -> str:
        """The colour space a name or alias or role refers to; EvaluationError when unknown."""
        space = self.config.getColorSpace(name)
        if space is None:
            raise EvaluationError(
                f"unknown colour space {name!r} in the OCIO config",
                path=self.source,
                hint="nodecomp info --colorspaces lists them",
            )
        return space.getName()

    def role(self, role: str) -> str:
        """The colour space assigned to an OCIO role (`scene_linear`, `color_picking`...)."""
        return self._role(role)

    def is_identity(self, source: str, target: str) -> bool:
        """True when converting between the two spaces changes nothing."""
        if not source or not target:
            return True
        return self.canonical(source) == self.canonical(target)

    def processor(self, source: str, target: str) -> ocio.CPUProcessor:
        """A cached CPU processor from `source` to `target`."""
        key = (self.canonical(source), self.canonical(target))
        with self._lock:
            cpu = self._processors.get(key)
            if cpu is None:
                try:
                    proc = self.config.getProcessor(*key)
                except ocio.Exception as exc:
                    raise EvaluationError(f"cannot convert {key[0]} to {key[1]}: {exc}") from None
                cpu = proc.getDefaultCPUProcessor()
                self._processors[key] = cpu
            return cpu

    def convert(self, pixels: np.ndarray, source: str, target: str, color_channels: list[int]) -> np.ndarray:
        """Converted float32 `pixels` (H, W, C): a new array, or `pixels` itself when nothing changes."""
        if self.is_identity(source, target) or len(color_channels) < 3:
            return pixels
        cpu = self.processor(source, target)
        rgb = np.ascontiguousarray(pixels[..., color_channels[:3]], dtype=np.float32)
        cpu.applyRGB(rgb)
        out = np.array(pixels, dtype=np.float32, copy=True)
        out[..., color_channels[:3]] = rgb
        return out


_managers: dict[tuple[str, str], ColourManager] = {}
_managers_lock = threading.Lock()


def colour_manager(config: str = "", working_space: str = "") -> ColourManager:
    """A shared manager for a (config, working space) pair."""
    key = (_config_source(config), working_space)
    with _managers_lock:
        manager = _managers.get(key)
        if manager is None:
            manager = _managers[key] = ColourManager(config, working_space)
        return manager
