"""What is on disk for a model: checked and fingerprinted without importing torch.

A diffusers model folder (what `save_pretrained` writes) holds `model_index.json` naming the
pipeline class and its components, and one sub-folder per component. Before anything is loaded
the folder is checked component by component, so an incomplete download or a folder of another
kind fails with the exact file that is missing or unreadable instead of a deep library traceback.

The fingerprint (every file of the listed components: path, size, modification time) goes into
the cache key of every image the model makes, and into the key the loaded model is shared
under: re-exporting or fine-tuning the model in place invalidates both.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from nodecomp.api import EvaluationError, file_fingerprint

MODEL_INDEX = "model_index.json"
WEIGHT_SUFFIXES = (".safetensors", ".bin")
SINGLE_FILE_SUFFIXES = (".safetensors", ".ckpt")
_CONFIG_ONLY = {
    "scheduler": ("scheduler_config.json",),
    "tokenizer": ("tokenizer.json", "tokenizer_config.json", "vocab.json"),
    "processor": ("preprocessor_config.json",),
}


@dataclass(frozen=True)
class ModelSource:
    """A checked model on disk.

    Attributes:
        path: the absolute folder (or single file).
        kind: "diffusers" for a folder saved by diffusers, "single_file" for one checkpoint.
        pipeline_class: the pipeline class model_index.json names ("" for single files).
        files: every file the model reads (for a single file: the checkpoint, the shipped config
            folder and the tokenizer vocabularies), for the fingerprint.
    """

    path: str
    kind: str
    pipeline_class: str
    files: tuple[str, ...]

    def fingerprint(self) -> tuple[Any, ...]:
        """(kind, (path, size, mtime_ns) of every file), the model's identity in cache keys."""
        try:
            return (self.kind, tuple(file_fingerprint(f) for f in self.files))
        except OSError as exc:
            raise EvaluationError(f"the model changed while being read ({exc.strerror})",
                                  path=exc.filename or self.path) from None


def _error(reason: str, path: str, hint: str | None = None) -> EvaluationError:
    return EvaluationError(reason, path=path, hint=hint)


def inspect_model(path: str) -> ModelSource:
    """Check that `path` is a complete diffusers model folder (or a single checkpoint file).

    Args:
        path: an absolute path (resolve relative ones with `ctx.resolve_path` first).

    Raises:
        EvaluationError: naming the missing or bad file: the path does not exist, the folder has
            no model_index.json (not a diffusers model), the index is unreadable, or a component
            folder, config or weight file is missing.
    """
    if os.path.isfile(path):
        if path.lower().endswith(SINGLE_FILE_SUFFIXES):
            from plugins.generators.single_file import plan

            return ModelSource(path, "single_file", "", plan(path).files)
        raise _error("is not a model: expected a diffusers model folder or a .safetensors checkpoint", path)
    if not os.path.isdir(path):
        raise _error("model not found", path, hint="set model to a diffusers model folder (relative paths start at "
                                                   "the comp's folder)")
    index_path = os.path.join(path, MODEL_INDEX)
    if not os.path.isfile(index_path):
        raise _error(f"is not a diffusers model folder: it has no {MODEL_INDEX}", path,
                     hint="point at the folder save_pretrained wrote (with model_index.json, unet/, vae/...), "
                          "or at a single .safetensors checkpoint")
    try:
        with open(index_path, encoding="utf-8") as handle:
            index = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _error(f"cannot read the model index ({exc})", index_path) from None
    if not isinstance(index, dict) or not isinstance(index.get("_class_name"), str):
        raise _error("is not a diffusers model index: it names no pipeline class (_class_name)", index_path)
    files = [index_path]
    for name, entry in sorted(index.items()):
        if name.startswith("_") or not _is_component(entry):
            continue
        files.extend(_component_files(path, name, str(entry[0]), str(entry[1])))
    return ModelSource(path, "diffusers", index["_class_name"], tuple(files))


def _is_component(entry: Any) -> bool:
    return isinstance(entry, list | tuple) and len(entry) == 2 and entry[0] is not None and entry[1] is not None


def _role(class_name: str) -> str:
    lower = class_name.lower()
    if "scheduler" in lower:
        return "scheduler"
    if "tokenizer" in lower:
        return "tokenizer"
    if "processor" in lower or "extractor" in lower:
        return "processor"
    return "model"


def _component_files(root: str, name: str, library: str, class_name: str) -> list[str]:
    folder = os.path.join(root, name)
    if not os.path.isdir(folder):
        raise _error(f"the model folder is incomplete: component {name!r} ({class_name}) is missing", folder,
                     hint="copy the whole model folder again")
    present = sorted(os.path.join(folder, f) for f in os.listdir(folder) if not f.startswith("."))
    present = [f for f in present if os.path.isfile(f)]
    role = _role(class_name)
    if role != "model":
        if not any(os.path.basename(f) in _CONFIG_ONLY[role] for f in present):
            wanted = _CONFIG_ONLY[role][0]
            raise _error(f"the model folder is incomplete: {name} has no {wanted}", os.path.join(folder, wanted))
        return present
    config = os.path.join(folder, "config.json")
    if config not in present:
        raise _error(f"the model folder is incomplete: {name} has no config.json", config)
    weights = [f for f in present if f.endswith(WEIGHT_SUFFIXES)]
    for index_file in (f for f in present if f.endswith(".index.json")):
        for shard in _shards(index_file):
            if not os.path.isfile(os.path.join(folder, shard)):
                raise _error(f"the model folder is incomplete: weight shard {shard} of {name} is missing",
                             os.path.join(folder, shard))
    if not weights:
        raise _error(f"the model folder is incomplete: {name} has no weights (.safetensors or .bin)",
                     os.path.join(folder, "model.safetensors" if library == "transformers"
                                  else "diffusion_pytorch_model.safetensors"))
    return present


def _shards(index_file: str) -> set[str]:
    try:
        with open(index_file, encoding="utf-8") as handle:
            weight_map = json.load(handle).get("weight_map", {})
    except (OSError, ValueError, AttributeError) as exc:
        raise _error(f"cannot read the weight index ({exc})", index_file) from None
    return {str(v) for v in weight_map.values()} if isinstance(weight_map, dict) else set()
