"""Single-file Stable Diffusion checkpoints (`.safetensors`), loaded with configs shipped here.

A checkpoint in the original (LDM) layout holds the weights of every component but not their
architecture; diffusers then needs a diffusers-format config folder, and without a local one it
goes to the Hugging Face hub. nodecomp ships config folders (JSON only, no weights) for the two
architectures most checkpoints use, under `configs/`: `sd15` (Stable Diffusion 1.x and its
fine-tunes) and `sdxl` (SDXL base 1.0 and its fine-tunes). The architecture is told from the
checkpoint's tensor names, read from the safetensors header without loading anything.

The CLIP tokenizer vocabulary (vocab.json and merges.txt, about 1.6 MB, the same for every SD
model) is not shipped. It is looked for, per tokenizer (`tokenizer`, and `tokenizer_2` for
SDXL), in a folder of that name next to the checkpoint, then in the shipped config folder: copy
it once from any diffusers-format SD model. Pickled `.ckpt` files are refused (unpickling runs
code); convert them to safetensors.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from nodecomp.api import EvaluationError

CONFIGS = {
    "sd15": os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "sd15"),
    "sdxl": os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "sdxl"),
}
TOKENIZERS = {"sd15": ("tokenizer",), "sdxl": ("tokenizer", "tokenizer_2")}
_VOCAB_FILES = (("vocab.json", "merges.txt"), ("tokenizer.json",))
_MAX_HEADER = 100 * 1024 * 1024


@dataclass(frozen=True)
class SingleFilePlan:
    """How to load one checkpoint: its architecture, config folder and tokenizer folders."""

    checkpoint: str
    architecture: str
    config: str
    tokenizers: tuple[tuple[str, str], ...]

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the load reads (checkpoint, configs, vocabularies), for the fingerprint."""
        found = [self.checkpoint]
        for folder in (self.config, *(path for _, path in self.tokenizers)):
            for root, _dirs, names in sorted(os.walk(folder)):
                found.extend(os.path.join(root, n) for n in sorted(names) if not n.startswith("."))
        return tuple(dict.fromkeys(found))


def tensor_names(path: str) -> dict[str, Any]:
    """The tensors of a safetensors file (name -> {dtype, shape, ...}), read from its header only.

    Raises:
        EvaluationError: the file is not a safetensors file.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(8)
            if len(raw) < 8:
                raise ValueError("shorter than a safetensors header")
            (length,) = struct.unpack("<Q", raw)
            if length > _MAX_HEADER or length > os.path.getsize(path) - 8:
                raise ValueError("its header length is impossible")
            header = json.loads(handle.read(length))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"is not a safetensors checkpoint ({exc})", path=path) from None
    if not isinstance(header, dict):
        raise EvaluationError("is not a safetensors checkpoint: its header is not a table", path=path)
    header.pop("__metadata__", None)
    return header


def architecture(path: str) -> str:
    """"sd15" or "sdxl" from the checkpoint's tensor names.

    Raises:
        EvaluationError: naming the file when it is a LoRA, an SD 2.x, refiner or inpainting
            checkpoint, or not a Stable Diffusion checkpoint at all.
    """
    names = tensor_names(path)
    if not any(name.startswith("model.diffusion_model.") for name in names):
        if any("lora" in name for name in names):
            raise EvaluationError("is a LoRA, not a model checkpoint", path=path, hint="list it in loras instead")
        raise EvaluationError("is not a Stable Diffusion checkpoint (no model.diffusion_model weights)", path=path)
    conv_in = names.get("model.diffusion_model.input_blocks.0.0.weight", {}).get("shape", [])
    if len(conv_in) == 4 and conv_in[1] != 4:
        raise EvaluationError(f"is an inpainting or other {conv_in[1]}-channel checkpoint, which single files do not "
                              "support", path=path, hint="convert it to a diffusers model folder")
    if any(name.startswith("conditioner.embedders.1.") for name in names):
        return "sdxl"
    if any(name.startswith("cond_stage_model.transformer.") for name in names):
        return "sd15"
    if any(name.startswith(("cond_stage_model.model.", "conditioner.embedders.0.model.")) for name in names):
        raise EvaluationError("is an SD 2.x or SDXL refiner checkpoint; single files support SD 1.x and SDXL",
                              path=path, hint="convert it to a diffusers model folder")
    raise EvaluationError("is a Stable Diffusion checkpoint of an unknown architecture", path=path,
                          hint="convert it to a diffusers model folder")


def plan(path: str) -> SingleFilePlan:
    """Check a checkpoint and find its config folder and tokenizer vocabularies.

    Raises:
        EvaluationError: naming the file or the folder that is missing.
    """
    if path.lower().endswith(".ckpt"):
        raise EvaluationError("pickled .ckpt checkpoints are not loaded (unpickling can run code)", path=path,
                              hint="convert it to .safetensors")
    arch = architecture(path)
    config = CONFIGS[arch]
    tokenizers = []
    for name in TOKENIZERS[arch]:
        candidates = (os.path.join(os.path.dirname(path), name), os.path.join(config, name))
        folder = next((c for c in candidates if _has_vocab(c)), None)
        if folder is None:
            raise EvaluationError(
                f"the CLIP tokenizer vocabulary for this {arch} checkpoint is missing", path=candidates[0],
                hint=f"copy the {name}/ folder (vocab.json and merges.txt) of any diffusers-format "
                     f"{'SDXL' if arch == 'sdxl' else 'SD 1.x'} model next to the checkpoint, or into {config}",
            )
        tokenizers.append((name, folder))
    return SingleFilePlan(path, arch, config, tuple(tokenizers))


def _has_vocab(folder: str) -> bool:
    return any(all(os.path.isfile(os.path.join(folder, f)) for f in files) for files in _VOCAB_FILES)


def load_single_file(path: str, torch_dtype: Any) -> Any:
    """The diffusers pipeline of a checkpoint, built from the shipped config (never the hub).

    Raises:
        EvaluationError: naming the checkpoint when diffusers cannot load it.
    """
    import diffusers
    from transformers import CLIPTokenizer

    checked = plan(path)
    with open(os.path.join(checked.config, "model_index.json"), encoding="utf-8") as handle:
        pipeline_class = getattr(diffusers, json.load(handle)["_class_name"])
    try:
        tokenizers = {name: CLIPTokenizer.from_pretrained(folder, local_files_only=True)
                      for name, folder in checked.tokenizers}
        return pipeline_class.from_single_file(path, config=checked.config, local_files_only=True,
                                               dtype=torch_dtype, **tokenizers)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, AttributeError) as exc:
        text = str(exc).strip().splitlines()
        raise EvaluationError(f"cannot load the checkpoint ({text[0][:300] if text else type(exc).__name__})",
                              path=path, hint=f"check that it is a {checked.architecture} checkpoint") from None
