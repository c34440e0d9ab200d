"""The seed a generator node actually uses for a frame.

A node is frame dependent only through its seed: with `fixed` every frame shares one seed (and
one cache entry); with `frame_offset` frame N uses seed + N, the usual choice for a sequence
whose grain or detail should change every frame. A variation index > 0 picks another, well
mixed seed from (seed, variation) instead of seed + variation, so variation 1 of frame 10 is not
frame 11's image.
"""

from __future__ import annotations

import math

import xxhash

from plugins.generators.choices import SeedMode

MAX_SEED = 2**63 - 1


def effective_seed(seed: int, mode: str, frame: float, variation: int = 0) -> int:
    """The torch generator seed for one frame.

    Args:
        seed: the node's seed param.
        mode: a `SeedMode` value.
        frame: the frame computed; fractional frames (motion-blur samples, retimes) round down.
        variation: 0 for the seed itself, n > 0 for the n-th alternative.

    Returns:
        An integer in [0, 2**63 - 1].
    """
    base = int(seed)
    if SeedMode(mode) is SeedMode.FRAME_OFFSET:
        base += math.floor(frame)
    base %= MAX_SEED + 1
    if variation <= 0:
        return base
    return xxhash.xxh64_intdigest(f"{base}:{int(variation)}".encode()) & MAX_SEED
