"""Loading matting models from the file a user picks, and keeping them loaded.

Three formats, told apart by extension and then by content:

- `.safetensors`: a state dict of the shipped MatteUNet (architecture in the metadata);
- `.pt`, `.pth`, `.ts`, `.jit`, `.torchscript`: a TorchScript module taking (1, 3 or 4, H, W)
  encoded RGB (+ trimap) and returning (1, 1, H, W) alpha in 0..1;
- `.onnx`: the same contract through onnxruntime (CPU, or CUDA when available).

TorchScript and ONNX tiles are padded to multiples of 32 pixels (what U-Nets of up to five
levels need); a MatteUNet's own multiple comes from its metadata.

A missing file, a file that is not a model, and a model of another architecture each raise an
EvaluationError naming the file and saying which of the three it is. Loaded models live in the
plugin API's shared ResourceCache (byte budget, least recently used released first) under a key
holding the file's fingerprint (path, size, mtime), the device and the precision, so a
re-exported model is picked up at once and two nodes reading one file share one copy.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nodecomp.api import EvaluationError, ResourceCache, file_fingerprint, resources
from plugins.keyers.ai.architecture import UNetConfig, build_model

TORCHSCRIPT_SUFFIXES = (".pt", ".pth", ".ts", ".jit", ".torchscript")
SAFETENSORS_SUFFIXES = (".safetensors",)
ONNX_SUFFIXES = (".onnx",)
_PROBE_SIZE = 32


@dataclass
class MatteModel:
    """A loaded model behind one call: encoded (H, W, C) float32 input -> (H, W) alpha.

    Attributes:
        predict: the inference function (H and W multiples of `multiple`).
        in_channels: 3 (RGB) or 4 (RGB + trimap).
        multiple: what tile sizes must be a multiple of.
        nbytes: weight memory, for the cache budget.
        kind: "safetensors", "torchscript" or "onnx".
        device: where it runs ("cpu" or "cuda").
        release: frees its memory when the cache drops it.
    """

    predict: Callable[[np.ndarray], np.ndarray]
    in_channels: int
    multiple: int
    nbytes: int
    kind: str
    device: str
    release: Callable[[], None] | None = None


def _error(reason: str, path: str, hint: str | None = None) -> EvaluationError:
    return EvaluationError(reason, path=path, hint=hint)


def model_kind(path: str) -> str:
    """"safetensors", "torchscript" or "onnx" from the file name, else from its first bytes.

    Raises:
        EvaluationError: the file is missing or is not recognisably a model.
    """
    if not os.path.isfile(path):
        raise _error("model file not found", path, hint="check the model path (relative paths start at the comp)")
    lower = path.lower()
    if lower.endswith(SAFETENSORS_SUFFIXES):
        return "safetensors"
    if lower.endswith(TORCHSCRIPT_SUFFIXES):
        return "torchscript"
    if lower.endswith(ONNX_SUFFIXES):
        return "onnx"
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"PK"):
        return "torchscript"  # TorchScript archives are zip files
    if len(head) >= 9 and head[8:9] == b"{":
        return "safetensors"  # an 8-byte header length, then JSON
    raise _error("is not a model file (expected .safetensors, TorchScript .pt or .onnx)", path)


def read_safetensors_metadata(path: str) -> dict[str, str]:
    """The metadata of a safetensors file, read without torch.

    Raises:
        EvaluationError: the file is not a safetensors file.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(8)
            if len(raw) < 8:
                raise ValueError("shorter than a safetensors header")
            (length,) = struct.unpack("<Q", raw)
            if length > 100 * 1024 * 1024 or length > os.path.getsize(path) - 8:
                raise ValueError("its header length is impossible")
            header = json.loads(handle.read(length))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _error(f"is not a model file: not a safetensors file ({exc})", path) from None
    if not isinstance(header, dict):
        raise _error("is not a model file: its safetensors header is not a table", path)
    metadata = header.get("__metadata__") or {}
    return {str(k): str(v) for k, v in metadata.items()} if isinstance(metadata, dict) else {}


def resolve_device(device: str) -> str:
    """"cpu" or "cuda" for a device choice (auto picks CUDA when torch sees one).

    Raises:
        EvaluationError: cuda was asked for and there is none.
    """
    from nodecomp.api import cuda_available

    if device == "auto":
        return "cuda" if cuda_available() else "cpu"
    if device == "cuda" and not cuda_available():
        raise EvaluationError("device is cuda but no CUDA GPU is available", hint="set device to auto or cpu")
    return device


def load(path: str, device: str = "cpu", fp16: bool = False) -> MatteModel:
    """Load a model file for inference on `device` ("cpu" or "cuda"); fp16 applies on CUDA only.

    Raises:
        EvaluationError: naming the file when it is missing, not a model, or of the wrong architecture.
    """
    kind = model_kind(path)
    half = fp16 and device == "cuda"
    if kind == "onnx":
        return _load_onnx(path, device)
    if kind == "safetensors":
        module, in_channels, multiple = _load_safetensors(path)
    else:
        module, in_channels, multiple = _load_torchscript(path)
    return _torch_model(module, path, kind, device, half, in_channels, multiple)


def _load_safetensors(path: str) -> tuple[Any, int, int]:
    try:
        config = UNetConfig.from_metadata(read_safetensors_metadata(path))
    except ValueError as exc:
        raise _error(f"wrong architecture: {exc}", path,
                     hint="use a file saved by train-matte, or a TorchScript/ONNX export of your model") from None
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        state = load_file(path)
    except (SafetensorError, OSError, ValueError) as exc:
        raise _error(f"is not a model file: its tensors cannot be read ({exc})", path) from None
    module = build_model(config)
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise _error(f"wrong architecture: its weights do not fit a {config} MatteUNet "
                     f"({' '.join(line.strip() for line in first[:3])})", path) from None
    return module, config.in_channels, config.multiple


def _load_torchscript(path: str) -> tuple[Any, int, int]:
    import torch

    try:
        module = torch.jit.load(path, map_location="cpu")
    except (RuntimeError, ValueError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _error(f"is not a model file: not a TorchScript archive ({reason})", path,
                     hint="save TorchScript with torch.jit.save, or use .safetensors or .onnx") from None
    answers = []
    for channels in (3, 4):
        probe = torch.zeros(1, channels, _PROBE_SIZE, _PROBE_SIZE)
        try:
            with torch.no_grad():
                out = module(probe)
        except (RuntimeError, ValueError, TypeError, IndexError):
            continue
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        if shape == (1, 1, _PROBE_SIZE, _PROBE_SIZE):
            return module, channels, _PROBE_SIZE
        answers.append(f"(1, {channels}, {_PROBE_SIZE}, {_PROBE_SIZE}) to {shape}")
    if answers:
        raise _error(f"wrong architecture: the model maps {' and '.join(answers)}, not to a (1, 1, H, W) alpha", path)
    raise _error("wrong architecture: the model accepts neither (1, 3, H, W) RGB nor (1, 4, H, W) "
                 "RGB + trimap input", path)


def _torch_model(module: Any, path: str, kind: str, device: str, half: bool, in_channels: int,
                 multiple: int) -> MatteModel:
    import torch

    module = module.to(device)
    if half:
        module = module.half()
    module.eval()
    dtype = torch.float16 if half else torch.float32
    nbytes = sum(p.numel() * p.element_size() for p in module.parameters())

    def predict(tile: np.ndarray) -> np.ndarray:
        tensor = torch.from_numpy(np.ascontiguousarray(tile.transpose(2, 0, 1)))[None].to(device, dtype)
        with torch.inference_mode():
            out = module(tensor)
        return out[0, 0].float().cpu().numpy()

    def release() -> None:
        module.to("cpu")
        if device == "cuda":
            torch.cuda.empty_cache()

    return MatteModel(predict, in_channels, multiple, int(nbytes), kind, device, release)


def _load_onnx(path: str, device: str) -> MatteModel:
    try:
        import onnxruntime
    except ImportError:
        raise _error("onnxruntime is not installed, so ONNX models cannot be read", path,
                     hint="pip install onnxruntime (or onnxruntime-gpu), or export the model as TorchScript") from None
    providers = ["CPUExecutionProvider"]
    if device == "cuda":
        providers.insert(0, "CUDAExecutionProvider")
    try:
        session = onnxruntime.InferenceSession(path, providers=providers)
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own untyped errors for bad files
        raise _error(f"is not a model file: onnxruntime cannot open it ({str(exc).splitlines()[0][:200]})",
                     path) from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    shape = inputs[0].shape if inputs else []
    channels = shape[1] if len(shape) == 4 else None
    if len(inputs) != 1 or len(outputs) != 1 or channels not in (3, 4):
        raise _error(f"wrong architecture: the ONNX model takes {[(i.name, i.shape) for i in inputs]}, "
                     "not one (N, 3 or 4, H, W) image", path)
    name = inputs[0].name

    def predict(tile: np.ndarray) -> np.ndarray:
        batch = np.ascontiguousarray(tile.transpose(2, 0, 1))[None].astype(np.float32)
        out = session.run(None, {name: batch})[0]
        return np.asarray(out, np.float32).reshape(tile.shape[:2])

    nbytes = os.path.getsize(path)
    return MatteModel(predict, int(channels), _PROBE_SIZE, nbytes, "onnx", device, None)


def cached(path: str, device: str = "cpu", fp16: bool = False, cache: ResourceCache | None = None) -> MatteModel:
    """The model for `path`, loaded once per file version, device and precision.

    Args:
        path: an absolute model path.
        device: "cpu" or "cuda".
        fp16: half precision (CUDA only).
        cache: the resource cache (default: the plugin API's shared one).
    """
    try:
        fingerprint = file_fingerprint(path)
    except FileNotFoundError:
        raise _error("model file not found", path, hint="check the model path") from None
    key = ("keyers.AIMatte", fingerprint, device, bool(fp16 and device == "cuda"))
    store = resources if cache is None else cache
    return store.get(key, lambda: load(path, device, fp16), nbytes=lambda m: m.nbytes,
                     release=lambda m: m.release() if m.release else None)
