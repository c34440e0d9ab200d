"""The look model: a small per-pixel MLP, its weights and metadata, and its file format.

Architecture (why this and not a U-Net): a show's look is, to a first approximation, a colour
transform (curves, hue and saturation moves, split-toning) plus a few spatial terms (vignette,
a touch of local contrast). A per-pixel MLP over the features of `plugins.show_look.features`
holds exactly that, trains on a few hundred thousand sampled pixels in seconds on a CPU, runs
on any resolution without seams, and its colour part can be baked into a 3D LUT for the stage;
a U-Net would need crops, minutes of training and could not be exported as a LUT.

    out_cct = in_cct + MLP(features)        (ACEScct in and out; the last layer starts at zero)

so an untrained model is the identity. Inference runs in numpy on the CPU (no torch needed)
and in torch on a GPU; both evaluate the same weights.

File format (`.nclook`): a safetensors file whose header metadata says `format = nodecomp.look`
and carries the architecture, training frames, colour space, encoding, date, steps and loss
curve. Checkpoints add the optimiser state (`adam.*` tensors) so training can resume exactly.
Where safetensors is not installed the weights are written with `torch.save` and the metadata
to a JSON sidecar (`model.nclook.json`).
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nodecomp.api import EvaluationError, atomic_path
from plugins.show_look.features import FEATURES

FORMAT = "nodecomp.look"
FORMAT_VERSION = 1
SUFFIX = ".nclook"
_MAX_HEADER = 100 * 1024 * 1024


@dataclass(frozen=True)
class LookConfig:
    """The network's shape.

    Attributes:
        hidden: units per hidden layer.
        layers: hidden layers.
        features: inputs per pixel (see `plugins.show_look.features`).
    """

    hidden: int = 32
    layers: int = 3
    features: int = FEATURES

    def to_json(self) -> str:
        """The architecture as stored in a model file."""
        return json.dumps({"type": "mlp_residual_acescct", "hidden": self.hidden, "layers": self.layers,
                           "features": self.features, "activation": "silu"}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LookConfig:
        """Parse what `to_json` wrote.

        Raises:
            ValueError: not this architecture.
        """
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("type") != "mlp_residual_acescct":
            raise ValueError(f"unknown architecture {data!r}")
        return cls(hidden=int(data["hidden"]), layers=int(data["layers"]), features=int(data["features"]))

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every weight's name and shape, in layer order (`layers.N.weight` is (out, in) as in torch)."""
        sizes = [self.features] + [self.hidden] * self.layers + [3]
        shapes: dict[str, tuple[int, ...]] = {}
        for index, (inputs, outputs) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            shapes[f"layers.{index}.weight"] = (outputs, inputs)
            shapes[f"layers.{index}.bias"] = (outputs,)
        return shapes


@dataclass
class LookModel:
    """A trained (or training) look: weights, metadata and history.

    Attributes:
        config: the architecture.
        weights: name -> float32 array, as `LookConfig.shapes()`.
        metadata: training frames, colour space, encoding, date... (strings and lists).
        losses: the loss at every step so far.
        step: optimiser steps taken.
        optimizer: optimiser state (name -> array) for resuming; empty in a final model.
    """

    config: LookConfig
    weights: dict[str, np.ndarray]
    metadata: dict[str, Any] = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)
    step: int = 0
    optimizer: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """Weight memory, for the resource cache budget."""
        return int(sum(w.nbytes for w in self.weights.values()))

    def predict_cct(self, features: np.ndarray, chunk: int = 262144) -> np.ndarray:
        """ACEScct output colours for (N, 9) features, in numpy, `chunk` pixels at a time."""
        features = np.asarray(features, np.float32).reshape(-1, self.config.features)
        out = np.empty((features.shape[0], 3), np.float32)
        layers = [(self.weights[f"layers.{i}.weight"].T.copy(), self.weights[f"layers.{i}.bias"])
                  for i in range(self.config.layers + 1)]
        for start in range(0, features.shape[0], chunk):
            block = features[start:start + chunk]
            hidden = block
            for weight, bias in layers[:-1]:
                hidden = hidden @ weight
                hidden += bias
                hidden *= _sigmoid(hidden)
            weight, bias = layers[-1]
            out[start:start + chunk] = block[:, :3] + hidden @ weight + bias
        return out


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * values) + 1.0)  # no overflow warnings for large negatives


def initial_weights(config: LookConfig, seed: int) -> dict[str, np.ndarray]:
    """He-style random weights, the output layer zero: a new model is the identity look."""
    rng = np.random.default_rng(seed)
    weights: dict[str, np.ndarray] = {}
    names = list(config.shapes().items())
    for name, shape in names:
        if name.endswith(".bias") or name == f"layers.{config.layers}.weight":
            weights[name] = np.zeros(shape, np.float32)
        else:
            weights[name] = (rng.standard_normal(shape) * np.sqrt(2.0 / shape[1])).astype(np.float32)
    return weights


def build_network(config: LookConfig) -> Any:
    """The torch module for `config` (imports torch); its state dict matches `LookModel.weights`."""
    import torch

    class LookMLP(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            sizes = [config.features] + [config.hidden] * config.layers + [3]
            self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:],
                                                                                       strict=True))

        def forward(self, features: torch.Tensor) -> torch.Tensor:
            hidden = features
            for layer in self.layers[:-1]:
                hidden = torch.nn.functional.silu(layer(hidden))
            return features[:, :3] + self.layers[-1](hidden)

    return LookMLP()


def new_metadata(frames: list[str], colour_space: str, **extra: Any) -> dict[str, Any]:
    """The metadata a model file carries: training frames, colour space, encoding, date."""
    return {"training_frames": list(frames), "colour_space": colour_space, "encoding": "ACEScct",
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), **extra}


def safetensors_installed() -> bool:
    """True when safetensors can be imported (model files then are single safetensors files)."""
    return importlib.util.find_spec("safetensors") is not None


def save_model(model: LookModel, path: str | os.PathLike[str], *, with_optimizer: bool = False) -> str:
    """Write `model` to `path` atomically (a reader never sees half a file); returns the path."""
    path = os.fspath(path)
    header = _header(model)
    tensors = {f"weight.{k}": np.ascontiguousarray(v, np.float32) for k, v in model.weights.items()}
    if with_optimizer:
        tensors.update({f"adam.{k}": np.ascontiguousarray(v, np.float32) for k, v in model.optimizer.items()})
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    if safetensors_installed():
        from safetensors.numpy import save_file

        with atomic_path(path) as temporary:
            save_file(tensors, temporary, metadata=header)
        return path
    import torch

    with atomic_path(f"{path}.json") as side, open(side, "w", encoding="utf-8") as handle:
        json.dump(header, handle, indent=1, sort_keys=True)
    with atomic_path(path) as temporary:
        torch.save({k: torch.from_numpy(v) for k, v in tensors.items()}, temporary)
    return path


def _header(model: LookModel) -> dict[str, str]:
    meta = dict(model.metadata)
    losses = model.losses
    stride = max(1, len(losses) // 500)
    header = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "architecture": model.config.to_json(),
        "step": str(model.step),
        "loss_curve": json.dumps([round(float(v), 7) for v in losses[::stride]]),
        "loss_curve_stride": str(stride),
        "losses": json.dumps([float(v) for v in losses]) if model.optimizer else "[]",
    }
    for key, value in meta.items():
        header[key] = value if isinstance(value, str) else json.dumps(value)
    return header


def _not_a_look(path: str, why: str) -> EvaluationError:
    return EvaluationError(f"is not a look model: {why}", path=path,
                           hint="pick a .nclook file written by `nodecomp train-look`")


def read_header(path: str) -> dict[str, str]:
    """A look model file's metadata, without reading its weights or importing torch.

    Raises:
        EvaluationError: naming the file when it is missing or is not a look model.
    """
    if not os.path.isfile(path):
        raise EvaluationError("look model file not found", path=path, hint="check the model path")
    sidecar = f"{path}.json"
    with open(path, "rb") as handle:
        head = handle.read(8)
        try:
            (length,) = struct.unpack("<Q", head) if len(head) == 8 else (0,)
            if len(head) == 8 and 0 < length <= min(_MAX_HEADER, os.path.getsize(path) - 8):
                header = json.loads(handle.read(length))
                meta = header.get("__metadata__") if isinstance(header, dict) else None
                if isinstance(meta, dict) and meta.get("format") == FORMAT:
                    return {str(k): str(v) for k, v in meta.items()}
                raise _not_a_look(path, "its metadata has no `format = nodecomp.look`")
        except (ValueError, UnicodeDecodeError):
            pass
    if os.path.isfile(sidecar):
        try:
            with open(sidecar, encoding="utf-8") as handle:
                meta = json.load(handle)
        except (OSError, ValueError) as exc:
            raise _not_a_look(path, f"its metadata sidecar {sidecar} cannot be read ({exc})") from None
        if isinstance(meta, dict) and meta.get("format") == FORMAT:
            return {str(k): str(v) for k, v in meta.items()}
    raise _not_a_look(path, "neither a safetensors look file nor a weights file with a .json sidecar")


def load_model(path: str | os.PathLike[str]) -> LookModel:
    """Read a look model (or checkpoint) file.

    Raises:
        EvaluationError: naming the file when it is missing, not a look model, or damaged.
    """
    path = os.fspath(path)
    header = read_header(path)
    try:
        config = LookConfig.from_json(header["architecture"])
        if int(header.get("format_version", "0")) > FORMAT_VERSION:
            raise ValueError(f"format version {header['format_version']} is newer than this nodecomp reads")
    except (KeyError, ValueError, TypeError) as exc:
        raise _not_a_look(path, f"bad architecture ({exc})") from None
    tensors = _read_tensors(path)
    weights = {k[len("weight."):]: v for k, v in tensors.items() if k.startswith("weight.")}
    optimizer = {k[len("adam."):]: v for k, v in tensors.items() if k.startswith("adam.")}
    expected = config.shapes()
    wrong = sorted(k for k in expected if k not in weights or tuple(weights[k].shape) != expected[k])
    if wrong or set(weights) != set(expected):
        raise _not_a_look(path, f"its weights do not fit the stated architecture ({', '.join(wrong) or 'extra'})")
    reserved = {"format", "format_version", "architecture", "step", "loss_curve", "loss_curve_stride", "losses"}
    metadata: dict[str, Any] = {}
    for key, value in header.items():
        if key not in reserved:
            metadata[key] = _maybe_json(value)
    losses = [float(v) for v in json.loads(header.get("losses", "[]") or "[]")]
    if not losses:
        losses = [float(v) for v in json.loads(header.get("loss_curve", "[]") or "[]")]
    return LookModel(config, weights, metadata, losses, int(header.get("step", "0")), optimizer)


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _read_tensors(path: str) -> dict[str, np.ndarray]:
    if safetensors_installed():
        from safetensors import SafetensorError
        from safetensors.numpy import load_file

        try:
            return {k: np.asarray(v, np.float32) for k, v in load_file(path).items()}
        except (SafetensorError, OSError, ValueError) as exc:
            if not os.path.isfile(f"{path}.json"):
                raise _not_a_look(path, f"its tensors cannot be read ({exc})") from None
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except (RuntimeError, OSError, ValueError, EOFError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _not_a_look(path, f"its weights cannot be read ({reason})") from None
    if not isinstance(state, dict):
        raise _not_a_look(path, "its weights are not a state dict")
    return {str(k): v.detach().cpu().numpy().astype(np.float32) for k, v in state.items()}
