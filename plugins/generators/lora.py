"""LoRA adapters from local files: parsing the node's list, fingerprints, and applying them.

A node lists adapters one per line as `path [weight]` (weight 1 when left out; lines starting
with `#` are comments); the look bible adds its own. Each file is loaded into the shared
pipeline once, as a named peft adapter, and kept there for later frames; every generation then
activates exactly the adapters it asked for with their weights (or none), so two nodes with
different LoRAs can share one loaded model. At most `MAX_ADAPTERS` stay loaded per model,
least recently used dropped first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import xxhash

from nodecomp.api import EvaluationError, file_fingerprint

LORA_SUFFIXES = (".safetensors", ".bin")
DEFAULT_WEIGHT_NAME = "pytorch_lora_weights.safetensors"
MAX_ADAPTERS = 8


@dataclass(frozen=True)
class LoraSpec:
    """One adapter to apply: an absolute file path and its weight (scale)."""

    path: str
    weight: float = 1.0

    @property
    def file(self) -> str:
        """The weights file (a folder means its pytorch_lora_weights.safetensors)."""
        return os.path.join(self.path, DEFAULT_WEIGHT_NAME) if os.path.isdir(self.path) else self.path

    def fingerprint(self) -> tuple[Any, ...]:
        """(path, size, mtime_ns) of the file, and the weight.

        Raises:
            EvaluationError: naming the file when it is missing.
        """
        try:
            return (file_fingerprint(self.file), float(self.weight))
        except FileNotFoundError:
            raise EvaluationError("LoRA file not found", path=self.file,
                                  hint="check the loras list (one `path weight` per line)") from None

    def adapter_name(self) -> str:
        """A stable adapter name for this file version (the weight is applied per call)."""
        path, size, mtime = file_fingerprint(self.file)
        return "lora_" + xxhash.xxh64_hexdigest(f"{path}\0{size}\0{mtime}".encode())


def parse_loras(text: str, resolve: Callable[[str], str]) -> tuple[LoraSpec, ...]:
    """The adapters of a `loras` param.

    Args:
        text: lines of `path [weight]`; blank lines and `#` comments are skipped.
        resolve: turns a path as written into an absolute one (`ctx.resolve_path`).

    Raises:
        ValueError: a line's path is empty.
    """
    specs = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        path, weight = line, 1.0
        head, _, tail = line.rpartition(" ")
        if head.strip():
            try:
                weight = float(tail)
            except ValueError:
                pass
            else:
                path = head.strip()
        if not path:
            raise ValueError(f"line {number} of loras has no file")
        specs.append(LoraSpec(resolve(path), weight))
    return tuple(specs)


def merged(specs: Iterable[LoraSpec]) -> tuple[LoraSpec, ...]:
    """One spec per file, weights of repeated files added, in first-seen order."""
    weights: dict[str, float] = {}
    for spec in specs:
        weights[spec.path] = weights.get(spec.path, 0.0) + float(spec.weight)
    return tuple(LoraSpec(path, weight) for path, weight in weights.items())


def apply_loras(model: Any, specs: tuple[LoraSpec, ...]) -> None:
    """Activate exactly `specs` on the loaded model's pipeline (the caller holds `model.lock`).

    Args:
        model: a `loading.LoadedModel`.
        specs: adapters with weights; empty turns every loaded adapter off.

    Raises:
        EvaluationError: naming the file when it is not a LoRA for this model.
    """
    pipeline = model.pipeline
    names = []
    for spec in specs:
        name = spec.adapter_name()
        if name not in model.adapters:
            _load_adapter(pipeline, spec, name)
            model.adapters[name] = spec.file
        model.adapters.move_to_end(name)
        names.append(name)
    _forget_old_adapters(model, keep=set(names))
    if not names:
        if model.adapters:
            pipeline.disable_lora()
        return
    pipeline.enable_lora()
    pipeline.set_adapters(names, adapter_weights=[float(s.weight) for s in specs])


def _load_adapter(pipeline: Any, spec: LoraSpec, name: str) -> None:
    if not hasattr(pipeline, "load_lora_weights"):
        raise EvaluationError(f"a {type(pipeline).__name__} model cannot take LoRA adapters", path=spec.file)
    if not spec.file.lower().endswith(LORA_SUFFIXES):
        raise EvaluationError("is not a LoRA file (expected .safetensors or .bin)", path=spec.file)
    try:
        pipeline.load_lora_weights(spec.file, adapter_name=name, local_files_only=True)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError, ImportError) as exc:
        text = str(exc).strip().splitlines()
        raise EvaluationError(f"cannot apply the LoRA ({text[0][:300] if text else type(exc).__name__})",
                              path=spec.file, hint="check that it was trained for this model's architecture") from None
    else:
        _check_applied(pipeline, spec, name)


def _check_applied(pipeline: Any, spec: LoraSpec, name: str) -> None:
    """A file whose keys match no module loads silently and changes nothing: refuse it instead."""
    adapters = pipeline.get_list_adapters()
    if not any(name in listed for listed in adapters.values()):
        raise EvaluationError("is not a LoRA for this model: none of its weights fit the model's layers",
                              path=spec.file, hint="check that it was trained for this model's architecture")


def _forget_old_adapters(model: Any, keep: set[str]) -> None:
    while len(model.adapters) > MAX_ADAPTERS:
        oldest = next((n for n in model.adapters if n not in keep), None)
        if oldest is None:
            return
        model.pipeline.delete_adapters([oldest])
        del model.adapters[oldest]
