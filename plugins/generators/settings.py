"""A generator node's params and the document's look bible resolved into one generation's settings.

`resolve` runs twice per computed frame: when the engine hashes the node (its fingerprint
holds everything below that params alone do not: the model's and LoRAs' file fingerprints, the
look bible's contributions and the frame's effective seed) and again in compute. Both see the
same files and metadata, so what was hashed is what is generated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nodecomp.api import EvalContext, EvaluationError
from plugins.generators.loading import resolve_device
from plugins.generators.look_bible import LookBible, from_metadata, join_prompt
from plugins.generators.lora import LoraSpec, merged, parse_loras
from plugins.generators.model_folder import ModelSource, inspect_model
from plugins.generators.seeds import effective_seed


@dataclass(frozen=True)
class Generation:
    """Everything one pipeline call uses besides its images.

    Attributes:
        model: the checked model on disk.
        prompt, negative: the prompts after the look bible's fragments were appended.
        loras: adapters with weights (the bible's first, then the node's; repeats merged).
        seed: the effective seed for this frame.
        steps, guidance, scheduler: sampling settings.
        device_choice: auto, cpu or cuda (`device` resolves it when generating).
        fp16: half precision on CUDA.
    """

    model: ModelSource
    prompt: str
    negative: str
    loras: tuple[LoraSpec, ...]
    seed: int
    steps: int
    guidance: float
    scheduler: str
    device_choice: str
    fp16: bool

    @property
    def device(self) -> str:
        """"cpu" or "cuda"."""
        return resolve_device(self.device_choice)

    def fingerprint(self) -> tuple[Any, ...]:
        """What the cache key needs beyond the node's params."""
        return (
            self.model.fingerprint(),
            self.prompt,
            self.negative,
            tuple(spec.fingerprint() for spec in self.loras),
            self.seed,
        )


def resolve(ctx: EvalContext, params: Mapping[str, Any]) -> Generation:
    """The settings for the frame `ctx` computes.

    Raises:
        EvaluationError: no model is set, the model or a LoRA file is missing or not valid,
            or the document's look bible is malformed (naming the field).
    """
    bible = LookBible()
    if params["use_look_bible"]:
        try:
            bible = from_metadata(ctx.metadata)
        except ValueError as exc:
            raise ctx.error(f"the document's look bible is malformed: {exc}",
                            hint='fix doc.metadata["look_bible"] or turn use_look_bible off') from None
    model = params["model"].strip() or bible.model
    if not model:
        raise ctx.error("no model is set", hint="set model to a diffusers model folder or a .safetensors "
                                                "checkpoint, or give the look bible a default model")
    try:
        node_loras = parse_loras(params["loras"], ctx.resolve_path)
    except ValueError as exc:
        raise ctx.error(str(exc), hint="write one `path weight` per line") from None
    loras = merged((*(LoraSpec(ctx.resolve_path(path), weight) for path, weight in bible.loras), *node_loras))
    return Generation(
        model=_inspect(ctx, ctx.resolve_path(model)),
        prompt=join_prompt(params["prompt"], bible.style),
        negative=join_prompt(params["negative_prompt"], bible.negative),
        loras=loras,
        seed=effective_seed(params["seed"], params["seed_mode"], ctx.frame, params["variation"]),
        steps=int(params["steps"]),
        guidance=float(params["guidance"]),
        scheduler=params["scheduler"],
        device_choice=params["device"],
        fp16=bool(params["fp16"]),
    )


def _inspect(ctx: EvalContext, path: str) -> ModelSource:
    try:
        return inspect_model(path)
    except EvaluationError as exc:
        raise ctx.error(exc.reason, path=exc.path or path, hint=exc.hint) from None
