"""CPU/GPU placement of images. The only engine module that imports torch, and only when asked.

Without torch, or without CUDA, everything runs on the CPU. Transfers happen only when a
node's declared device differs from where its input lives, and each one is counted.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from nodecomp.core.errors import EvaluationError
from nodecomp.core.nodetype import Device
from nodecomp.engine.image import Image


@dataclass
class TransferStats:
    """Counts of host<->device copies (what the benchmarks and the UI report)."""

    to_gpu: int = 0
    to_cpu: int = 0
    bytes: int = 0


_stats = TransferStats()
_stats_lock = threading.Lock()


def transfer_stats() -> TransferStats:
    """A copy of the process-wide transfer counters."""
    with _stats_lock:
        return TransferStats(_stats.to_gpu, _stats.to_cpu, _stats.bytes)


def torch_installed() -> bool:
    """True when torch can be imported (checked without importing it)."""
    return importlib.util.find_spec("torch") is not None


@functools.cache
def cuda_available() -> bool:
    """True when torch is installed and sees a CUDA device (imports torch on first call)."""
    if not torch_installed():
        return False
    import torch

    return bool(torch.cuda.is_available())


def is_tensor(pixels: Any) -> bool:
    """True for torch tensors, without importing torch."""
    return type(pixels).__module__.startswith("torch")


def to_numpy(image: Image) -> Image:
    """The image with numpy pixels (a counted copy when they were on a GPU)."""
    if isinstance(image.pixels, np.ndarray):
        return image
    tensor = image.pixels
    array = tensor.detach().to("cpu").contiguous().numpy().astype(np.float32, copy=False)
    if tensor.device.type != "cpu":
        with _stats_lock:
            _stats.to_cpu += 1
            _stats.bytes += array.nbytes
    return image.with_pixels(array).freeze()


def to_cuda(image: Image) -> Image:
    """The image with CUDA tensor pixels (a counted copy from the host)."""
    if is_tensor(image.pixels) and image.pixels.device.type == "cuda":
        return image
    import torch

    if isinstance(image.pixels, np.ndarray):
        tensor = torch.from_numpy(np.ascontiguousarray(image.pixels)).to("cuda")
    else:
        tensor = image.pixels.to("cuda")
    with _stats_lock:
        _stats.to_gpu += 1
        _stats.bytes += image.nbytes
    return image.with_pixels(tensor)


def place(image: Image, device: Device, *, node: str = "", frame: float | None = None) -> Image:
    """Move `image` where a node of `device` needs it.

    CPU nodes always get numpy. CUDA nodes get CUDA tensors (an error when there is no CUDA).
    ANY nodes take the image where it is.
    """
    if device is Device.CPU:
        return to_numpy(image)
    if device is Device.CUDA:
        if not cuda_available():
            raise EvaluationError("this node needs a CUDA GPU and none is available", node=node, frame=frame)
        return to_cuda(image)
    return image
