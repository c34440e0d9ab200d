"""The output choice shared by the chroma and luma keyers."""

from __future__ import annotations

import numpy as np

from nodecomp.api import Image
from plugins.keyers.choices import Output
from plugins.keyers.images import assemble


def keyed_output(source: Image, rgb: np.ndarray, matte: np.ndarray, output: str) -> Image:
    """The source with `matte` as alpha: colour premultiplied by it, untouched, or the matte itself."""
    if output == Output.MATTE:
        return assemble(source, np.repeat(matte[..., None], 3, axis=2), matte)
    if output == Output.PREMULTIPLIED:
        rgb = rgb * matte[..., None]
    return assemble(source, rgb, matte)
