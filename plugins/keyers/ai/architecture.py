"""MatteUNet: the small U-Net matting network the plugin ships, and its safetensors file format.

Input: (N, C, H, W) float32, C = 3 (RGB encoded by `encoding.encode_rgb`) or 4 (plus a trimap
channel: 0 background, 0.5 unknown, 1 foreground). Output: (N, 1, H, W) alpha in 0..1 (the
sigmoid is part of the network, so TorchScript and ONNX exports keep the same contract). H and W
must be multiples of 2 ** depth. Each level is two 3x3 convolutions with ReLU; the encoder halves
the resolution with max pooling, the decoder doubles it bilinearly and concatenates the skip.
With the default base 8 and depth 3 it has about 122,000 parameters: small enough to run tiled
on a CPU, and to train on a studio's own plates in minutes.

A saved model is a safetensors state dict whose metadata names the architecture and its shape
(`architecture`, `format_version`, `base_channels`, `depth`, `in_channels`), so a file of another
network is refused with a clear message instead of failing inside torch.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass
from typing import Any

ARCHITECTURE = "nodecomp-keyers.MatteUNet"
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class UNetConfig:
    """The shape of a MatteUNet.

    Attributes:
        base_channels: feature channels at full resolution (doubled at each level down).
        depth: number of downsampling steps; tiles must be multiples of 2 ** depth.
        in_channels: 3 for RGB, 4 for RGB plus a trimap.
    """

    base_channels: int = 8
    depth: int = 3
    in_channels: int = 3

    @property
    def multiple(self) -> int:
        """What image sizes must be a multiple of."""
        return 2**self.depth

    def metadata(self) -> dict[str, str]:
        """The safetensors metadata describing this architecture (safetensors stores strings)."""
        return {"architecture": ARCHITECTURE, "format_version": FORMAT_VERSION,
                **{key: str(value) for key, value in asdict(self).items()}}

    @classmethod
    def from_metadata(cls, metadata: dict[str, str] | None) -> UNetConfig:
        """Parse the metadata of a saved model.

        Raises:
            ValueError: the metadata does not describe a MatteUNet (says what it does describe).
        """
        metadata = metadata or {}
        architecture = metadata.get("architecture")
        if architecture != ARCHITECTURE:
            found = f"architecture {architecture!r}" if architecture else "no architecture metadata"
            raise ValueError(f"it holds {found}, not a {ARCHITECTURE} state dict")
        if metadata.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {metadata.get('format_version')!r} is not supported "
                             f"(this plugin reads version {FORMAT_VERSION})")
        try:
            config = cls(int(metadata["base_channels"]), int(metadata["depth"]), int(metadata["in_channels"]))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"its architecture metadata is incomplete or invalid ({exc})") from None
        if config.base_channels < 1 or not 1 <= config.depth <= 6 or config.in_channels not in (3, 4):
            raise ValueError(f"its architecture metadata is out of range: {json.dumps(asdict(config))}")
        return config


def build_model(config: UNetConfig) -> Any:
    """A new MatteUNet (a torch.nn.Module) with random weights."""
    return _classes()(config.base_channels, config.depth, config.in_channels)


def parameter_count(model: Any) -> int:
    """Number of weights of a torch module."""
    return int(sum(p.numel() for p in model.parameters()))


@functools.cache
def _classes() -> Any:
    """Define the torch module classes on first use (torch is imported here, not at import time)."""
    import torch
    from torch import nn

    def block(cin: int, cout: int) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                             nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))

    class MatteUNet(nn.Module):
        """The shipped U-Net (see the module doc)."""

        def __init__(self, base_channels: int, depth: int, in_channels: int) -> None:
            super().__init__()
            widths = [base_channels * 2**level for level in range(depth + 1)]
            self.down = nn.ModuleList([block(in_channels, widths[0])])
            self.down.extend(block(widths[i], widths[i + 1]) for i in range(depth))
            self.up = nn.ModuleList(block(widths[i + 1] + widths[i], widths[i]) for i in reversed(range(depth)))
            self.head = nn.Conv2d(widths[0], 1, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            skips = []
            for index, layer in enumerate(self.down):
                if index:
                    x = nn.functional.max_pool2d(x, 2)
                x = layer(x)
                skips.append(x)
            skips.pop()
            for layer in self.up:
                skip = skips.pop()
                x = nn.functional.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
                x = layer(torch.cat([x, skip], dim=1))
            return torch.sigmoid(self.head(x))

    return MatteUNet


def save_model(model: Any, config: UNetConfig, path: str) -> None:
    """Write a model's weights and architecture metadata as safetensors, atomically.

    The file is written beside its final name and renamed, so a crash during a checkpoint never
    leaves a truncated model under the name a comp reads.
    """
    import os

    from safetensors.torch import save

    state = {name: tensor.detach().to("cpu").float().contiguous() for name, tensor in model.state_dict().items()}
    data = save(state, metadata=config.metadata())
    temporary = f"{path}.partial"
    with open(temporary, "wb") as handle:  # plain open(): the file gets the user's usual permissions
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
