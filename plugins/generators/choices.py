"""The choices generator nodes save to disk: their string values are the file format."""

from __future__ import annotations

from enum import StrEnum


class Scheduler(StrEnum):
    """The sampler that turns the model's noise predictions into an image.

    DEFAULT keeps the scheduler saved with the model; the others are built from that
    scheduler's config (its noise schedule), so a model trained for v-prediction stays correct.
    """

    DEFAULT = "default"
    DDIM = "ddim"
    EULER = "euler"
    EULER_A = "euler_a"
    DPM_PP = "dpm++"


class SeedMode(StrEnum):
    """How a node's seed changes over a sequence."""

    FIXED = "fixed"
    FRAME_OFFSET = "frame_offset"


class DeviceChoice(StrEnum):
    """Where a pipeline runs: AUTO is CUDA when torch sees a GPU, else the CPU."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class InpaintOutput(StrEnum):
    """What an Inpaint node returns.

    PATCH: the generated pixels premultiplied by the mask, alpha = mask (merge it over the plate).
    COMPOSITE: the plate with the masked area replaced (unmasked pixels are the plate's, exactly).
    FULL: the whole generated frame, opaque.
    """

    PATCH = "patch"
    COMPOSITE = "composite"
    FULL = "full"


def values(choice: type[StrEnum]) -> tuple[str, ...]:
    """The string values of a StrEnum, in declaration order (what a `Choice` param lists)."""
    return tuple(member.value for member in choice)
