"""ChannelMerge: combine one channel of A with one channel of B into a channel of B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nodecomp.api import Bool, Choice, EvalContext, Image, Input, NodeType, String, conform
from nodecomp.nodes.channel.names import ChannelListError, check_name

_ONE = np.float32(1.0)

# a, b -> result; every formula is Nuke's ChannelMerge operation of the same name.
OPERATIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "union": lambda a, b: a + b - a * b,
    "plus": lambda a, b: a + b,
    "minus": lambda a, b: a - b,
    "from": lambda a, b: b - a,
    "multiply": lambda a, b: a * b,
    "in": lambda a, b: a * b,
    "out": lambda a, b: a * (_ONE - b),
    "stencil": lambda a, b: b * (_ONE - a),
    "min": np.minimum,
    "max": np.maximum,
    "absminus": lambda a, b: np.abs(a - b),
    "xor": lambda a, b: a + b - np.float32(2.0) * a * b,
}
FORMULAS = ("union a+b-ab, plus a+b, minus a-b, from b-a, multiply ab, in ab, out a(1-b), stencil b(1-a), "
            "min, max, absminus |a-b|, xor a+b-2ab")


def merge_channel(operation: str, a: np.ndarray, b: np.ndarray, *, clamp: bool = False) -> np.ndarray:
    """The operation on two (H, W) float32 planes, optionally clamped to 0..1; a new array."""
    with np.errstate(invalid="ignore", over="ignore"):
        result = np.asarray(OPERATIONS[operation](a, b), dtype=np.float32)
    if clamp:
        np.clip(result, 0.0, 1.0, out=result)
    return result


class ChannelMerge(NodeType):
    """Combines a channel of A and a channel of B, writing the result into a channel of B.

    With a the value of `a_channel` in A and b that of `b_channel` in B, `operation` is one of:
    union a + b - ab (the default: two mattes together without going over 1 where both are
    0..1), plus a + b, minus a - b, from b - a, multiply and in ab, out a(1 - b), stencil
    b(1 - a), min, max, absminus |a - b|, xor a + b - 2ab. `clamp` limits the result to 0..1.

    The output is B (its data and display windows, other channels, metadata) with `output`
    replaced, or appended when B lacks it. A is read over B's data window, 0 outside its own.
    Channels the inputs lack are an error naming them.
    """

    type_id = "nodecomp.ChannelMerge"
    version = 1
    category = "Channel"
    supports_region = True
    supports_scale = True
    inputs = (
        Input("a", doc="The image providing a_channel."),
        Input("b", doc="The image providing b_channel; the result continues with its channels and windows."),
    )
    params = (
        String("a_channel", default="A", doc="Channel of A (A, matte.A, depth.Z...)."),
        String("b_channel", default="A", doc="Channel of B."),
        Choice("operation", default="union", choices=tuple(OPERATIONS), doc=f"How they combine: {FORMULAS}."),
        String("output", default="A", doc="Channel of the result that receives it (created if B lacks it)."),
        Bool("clamp", default=False, doc="Limit the result to 0..1."),
    )

    @staticmethod
    def compute(ctx: EvalContext, a: Image, b: Image, a_channel: str, b_channel: str, operation: str, output: str,
                clamp: bool) -> Image:
        """Combine the two channels into B's output channel."""
        a_channel, b_channel, output = a_channel.strip(), b_channel.strip(), output.strip()
        for image, name, which in ((a, a_channel, "a"), (b, b_channel, "b")):
            if name not in image.channels:
                raise ctx.error(f"{which}_channel: input {which} has no channel {name!r} "
                                f"(channels: {', '.join(image.channels)})", hint="name an existing channel")
        try:
            check_name(output)
        except ChannelListError as exc:
            raise ctx.error(f"output: {exc}") from None
        if a.data_window == b.data_window:
            a_plane = a.pixels[..., a.index(a_channel)]  # a view: nothing to pad
        else:
            a_plane = conform(a, b.data_window, (a_channel,))[..., 0]
        result = merge_channel(operation, a_plane, b.pixels[..., b.index(b_channel)], clamp=clamp)
        return b.with_pixels(*_with_channel(b, output, result))


def _with_channel(image: Image, name: str, plane: np.ndarray) -> tuple[np.ndarray, Any]:
    """The image's pixels with `name` set to `plane` (appended when new), and the channel names."""
    channels = list(image.channels)
    if name in channels:
        pixels = np.array(image.pixels, dtype=np.float32, copy=True)
        pixels[..., channels.index(name)] = plane
        return pixels, tuple(channels)
    pixels = np.empty((*image.pixels.shape[:2], len(channels) + 1), dtype=np.float32)
    pixels[..., :-1] = image.pixels
    pixels[..., -1] = plane
    return pixels, (*channels, name)
