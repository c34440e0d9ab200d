"""LookToLUT: bake the colour part of a look model into a 3D LUT (.cube, and CLF through OpenColorIO).

The LUT is sampled from the network on an ACEScct lattice (0..1 on each axis, which covers
scene-linear -0.007 to 222) with the neutral context: no local contrast, centre of frame. So it
holds the look's colour transform and nothing that depends on position (a vignette) or on the
neighbourhood; `lut_error` measures how much of a look that leaves out.

- `.cube` (Resolve/Adobe 3D LUT, red fastest): ACEScct in, ACEScct out, as on-set LUT boxes
  and LED-wall playback apply a show LUT to a log signal.
- `.clf` (Academy/ASC Common LUT Format, written by OpenColorIO): ACEScg in and out; it wraps
  the same table between ACEScg -> ACEScct and back, so any OCIO-based tool applies the look
  to scene-linear images with no extra set-up.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nodecomp.api import EvaluationError, atomic_path
from plugins.show_look.colour_error import image_delta_e
from plugins.show_look.encoding import cct_to_lin, lin_to_cct
from plugins.show_look.features import neutral_features, pixel_features
from plugins.show_look.look_model import LookModel

SIZES = (17, 33, 65)


def fit_lut(model: LookModel, size: int = 33) -> np.ndarray:
    """(size, size, size, 3) ACEScct table indexed [r, g, b]: the model on the lattice, neutral context."""
    grid = np.linspace(0.0, 1.0, size, dtype=np.float32)
    r, g, b = np.meshgrid(grid, grid, grid, indexing="ij")
    colours = np.stack([r, g, b], axis=-1).reshape(-1, 3)
    return model.predict_cct(neutral_features(colours)).reshape(size, size, size, 3)


def apply_lut_cct(table: np.ndarray, cct: np.ndarray) -> np.ndarray:
    """Trilinear lookup of ACEScct colours (..., 3) in a table from `fit_lut` (inputs clamped to 0..1)."""
    size = table.shape[0]
    shape = cct.shape
    position = np.clip(np.asarray(cct, np.float32).reshape(-1, 3), 0.0, 1.0) * (size - 1)
    low = np.minimum(position.astype(np.int64), size - 2)
    frac = position - low
    out = np.zeros((position.shape[0], 3), np.float32)
    for dr in (0, 1):
        wr = frac[:, 0] if dr else 1.0 - frac[:, 0]
        for dg in (0, 1):
            wg = frac[:, 1] if dg else 1.0 - frac[:, 1]
            for db in (0, 1):
                wb = frac[:, 2] if db else 1.0 - frac[:, 2]
                out += (wr * wg * wb)[:, None] * table[low[:, 0] + dr, low[:, 1] + dg, low[:, 2] + db]
    return out.reshape(shape)


def apply_lut(table: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """The LUT applied to scene-linear ACEScg colours (..., 3), returning scene-linear."""
    return cct_to_lin(apply_lut_cct(table, lin_to_cct(np.asarray(rgb, np.float32)))).astype(np.float32)


def write_cube(path: str | os.PathLike[str], table: np.ndarray, title: str = "nodecomp show look") -> str:
    """Write the table as a .cube file (ACEScct in and out) atomically; returns the path.

    Raises:
        EvaluationError: the file cannot be written (naming it).
    """
    path = os.fspath(path)
    size = table.shape[0]
    rows = table.transpose(2, 1, 0, 3).reshape(-1, 3)  # .cube lists red fastest, then green, then blue
    header = [f'TITLE "{title}"', "# ACEScct in, ACEScct out (working space ACEScg)", f"LUT_3D_SIZE {size}",
              "DOMAIN_MIN 0.0 0.0 0.0", "DOMAIN_MAX 1.0 1.0 1.0"]
    body = "\n".join(f"{r:.6f} {g:.6f} {b:.6f}" for r, g, b in rows.tolist())
    try:
        with atomic_path(path) as temporary, open(temporary, "w", encoding="ascii") as handle:
            handle.write("\n".join(header) + "\n" + body + "\n")
    except OSError as exc:
        raise EvaluationError(f"cannot write the LUT: {exc.strerror or exc}", path=path) from None
    return path


def write_clf(path: str | os.PathLike[str], cube_path: str | os.PathLike[str]) -> str:
    """Write a CLF (ACEScg in and out) wrapping `cube_path` in ACEScg <-> ACEScct, with OpenColorIO, atomically.

    The table is embedded: the CLF does not refer to the .cube once written.

    Raises:
        EvaluationError: OpenColorIO cannot build or write it (naming the file).
    """
    import PyOpenColorIO as ocio

    path = os.fspath(path)
    try:
        config = ocio.Config.CreateFromFile("ocio://default")
        group = ocio.GroupTransform()
        group.appendTransform(ocio.ColorSpaceTransform(src="ACEScg", dst="ACEScct"))
        group.appendTransform(ocio.FileTransform(src=os.path.abspath(os.fspath(cube_path)),
                                                 interpolation=ocio.INTERP_LINEAR))
        group.appendTransform(ocio.ColorSpaceTransform(src="ACEScct", dst="ACEScg"))
        with atomic_path(path) as temporary:
            group.write(formatName="Academy/ASC Common LUT Format", fileName=temporary, config=config)
    except (ocio.Exception, OSError) as exc:
        raise EvaluationError(f"cannot write the CLF: {exc}", path=path) from None
    return path


@dataclass(frozen=True)
class LutError:
    """Mean and 95th-percentile Delta E 2000 of the LUT against references on held-out frames.

    Attributes:
        vs_network: against the full network (colour + position + neighbourhood): the part of the
            look a LUT cannot hold shows up here.
        vs_network_colour: against the network's colour part (neutral context): the LUT's own
            sampling and interpolation error.
        frames: how many frames were measured.
    """

    vs_network: tuple[float, float]
    vs_network_colour: tuple[float, float]
    frames: int


def lut_error(model: LookModel, table: np.ndarray, frames: Sequence[np.ndarray]) -> LutError:
    """How far the LUT is from the network on `frames` (scene-linear (H, W, 3) arrays)."""
    full, colour = [], []
    for frame in frames:
        rgb = np.asarray(frame, np.float32)[..., :3]
        by_lut = apply_lut(table, rgb)
        network = cct_to_lin(model.predict_cct(pixel_features(rgb))).reshape(rgb.shape)
        neutral = cct_to_lin(model.predict_cct(neutral_features(lin_to_cct(rgb)))).reshape(rgb.shape)
        full.append(image_delta_e(by_lut, network).ravel())
        colour.append(image_delta_e(by_lut, neutral).ravel())
    if not frames:
        return LutError((0.0, 0.0), (0.0, 0.0), 0)

    def summary(parts: list[np.ndarray]) -> tuple[float, float]:
        values = np.concatenate(parts)
        return float(values.mean()), float(np.percentile(values, 95))

    return LutError(summary(full), summary(colour), len(frames))
