"""Loading diffusers pipelines from local files and sharing them between nodes, frames and threads.

A model is loaded once per (fingerprint, device, precision) into the plugin API's shared
`ResourceCache`: every generator node using the same folder gets the same pipeline, models
beyond the cache's byte budget or entry limit are released least recently used first, and a
re-exported model (new fingerprint) is loaded afresh. Nothing is ever downloaded: the Hugging
Face hub is switched to offline mode and every call passes `local_files_only=True`.

On CUDA the weights are moved to the GPU when it has room for them plus working memory;
otherwise the pipeline is loaded with model CPU offload (each component moves to the GPU only
while it runs), slower but within memory. fp16 applies on CUDA only: CPU kernels for half
precision are slow or missing, so the CPU always runs float32.

A loaded pipeline is not safe to run from two threads at once (LoRA adapter weights are set on
shared modules, and the CPU offload hooks move shared modules), so each `LoadedModel` carries a
lock that generation holds; frames using different models still run in parallel.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from nodecomp.api import EvaluationError, ResourceCache, cuda_available, get_logger, resources
from plugins.generators.choices import DeviceChoice
from plugins.generators.model_folder import ModelSource

log = get_logger(__name__)

# Working memory wanted on the GPU besides the weights (latents, attention, VAE decode at ~2K).
CUDA_WORKING_BYTES = 3 * 1024**3
CUDA_HEADROOM = 1.2


@dataclass
class LoadedModel:
    """A pipeline ready to generate, with what the cache and the nodes need to know about it.

    Attributes:
        pipeline: the diffusers pipeline loaded from the model (its own scheduler included).
        source: the model on disk.
        device: "cpu" or "cuda" (where the denoising runs).
        torch_dtype: the torch dtype of the weights.
        offloaded: True when model CPU offload is on (CUDA memory was short).
        nbytes: bytes of weights (parameters and buffers).
        lock: held while generating (see the module doc).
        adapters: LoRA adapters loaded into the pipeline, adapter name -> file, oldest first.
    """

    pipeline: Any
    source: ModelSource
    device: str
    torch_dtype: Any
    offloaded: bool
    nbytes: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    adapters: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def release(self) -> None:
        """Free the model's memory (called by the cache when it drops the model).

        Waits for a generation in progress on it to finish first.
        """
        with self.lock:
            pipeline, self.pipeline = self.pipeline, None
        if pipeline is None:
            return
        if self.offloaded:
            pipeline.remove_all_hooks()
        if self.device == "cuda":
            pipeline.to("cpu")
        del pipeline
        gc.collect()
        if self.device == "cuda":
            import torch

            torch.cuda.empty_cache()


def resolve_device(choice: str) -> str:
    """"cpu" or "cuda" for a device choice; auto picks CUDA when torch sees a GPU.

    Raises:
        EvaluationError: cuda was asked for and there is none.
    """
    device = DeviceChoice(choice)
    if device is DeviceChoice.AUTO:
        return "cuda" if cuda_available() else "cpu"
    if device is DeviceChoice.CUDA and not cuda_available():
        raise EvaluationError("device is cuda but no CUDA GPU is available", hint="set device to auto or cpu")
    return device.value


def import_diffusers() -> Any:
    """diffusers, imported with the hub offline and its console progress bars off.

    Raises:
        EvaluationError: torch, diffusers or transformers is not installed.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    missing = missing_modules(("torch", "diffusers", "transformers"))
    if missing:
        raise EvaluationError(f"generator nodes need {', '.join(missing)}, which is not installed",
                              hint='pip install "nodecomp[ai]"')
    import diffusers

    diffusers.utils.logging.disable_progress_bar()
    import transformers

    transformers.utils.logging.disable_progress_bar()
    return diffusers


def load(source: ModelSource, device: str = "cpu", fp16: bool = True) -> LoadedModel:
    """Load a checked model for generation on `device`.

    Args:
        source: from `model_folder.inspect_model`.
        device: "cpu" or "cuda".
        fp16: half precision weights (CUDA only).

    Raises:
        EvaluationError: naming the model when diffusers cannot load it.
    """
    diffusers = import_diffusers()
    import torch

    torch_dtype = torch.float16 if (fp16 and device == "cuda") else torch.float32
    if source.kind == "single_file":
        from plugins.generators.single_file import load_single_file

        pipeline = load_single_file(source.path, torch_dtype)
    else:
        try:
            pipeline = diffusers.DiffusionPipeline.from_pretrained(
                source.path, local_files_only=True, dtype=torch_dtype
            )
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, AttributeError, ImportError) as exc:
            raise EvaluationError(f"cannot load the model ({_first_line(exc)})", path=source.path,
                                  hint="check that the folder is a complete diffusers model") from None
    _check_has_parts(pipeline, source.path)
    pipeline.set_progress_bar_config(disable=True)
    nbytes = _weight_bytes(pipeline)
    offloaded = False
    if device == "cuda":
        offloaded = _cuda_is_short(nbytes)
        if offloaded:
            log.info("CUDA memory is short for %s (%d MB of weights): using model CPU offload",
                     source.path, nbytes // 2**20)
            pipeline.enable_model_cpu_offload()
        else:
            pipeline.to("cuda")
    return LoadedModel(pipeline, source, device, torch_dtype, offloaded, nbytes)


def cached(
    source: ModelSource, device: str = "cpu", fp16: bool = True, cache: ResourceCache | None = None
) -> LoadedModel:
    """The loaded model for `source`, shared per (fingerprint, device, precision).

    Args:
        source: the checked model.
        device: "cpu" or "cuda".
        fp16: half precision on CUDA (ignored on the CPU, so it does not split the cache there).
        cache: the resource cache (default: the plugin API's shared one).
    """
    half = bool(fp16 and device == "cuda")
    key = ("generators.pipeline", source.fingerprint(), device, half)
    store = resources if cache is None else cache
    return store.get(key, lambda: load(source, device, half), nbytes=lambda m: m.nbytes,
                     release=lambda m: m.release())


def task_pipeline(model: LoadedModel, task: str, scheduler: Any) -> Any:
    """A pipeline for `task` ("text2image", "image2image", "inpaint") sharing the model's weights.

    Built per call with `AutoPipelineFor*.from_pipe` (no weights are copied) and its own
    scheduler, so concurrent or later calls never share scheduler state.

    Raises:
        EvaluationError: the model's pipeline class has no pipeline for the task.
    """
    diffusers = import_diffusers()
    auto = {
        "text2image": diffusers.AutoPipelineForText2Image,
        "image2image": diffusers.AutoPipelineForImage2Image,
        "inpaint": diffusers.AutoPipelineForInpainting,
    }[task]
    try:
        pipeline = auto.from_pipe(model.pipeline, scheduler=scheduler)
    except ValueError as exc:
        raise EvaluationError(f"a {type(model.pipeline).__name__} model has no {task} pipeline "
                              f"({_first_line(exc)})", path=model.source.path,
                              hint="use a Stable Diffusion (1.x, 2.x or XL) model") from None
    pipeline.set_progress_bar_config(disable=True)
    return pipeline


def _check_has_parts(pipeline: Any, path: str) -> None:
    missing = [name for name in ("vae", "scheduler") if getattr(pipeline, name, None) is None]
    if missing:
        raise EvaluationError(f"the model has no {' and no '.join(missing)}, so it cannot make images", path=path,
                              hint="use a text-to-image diffusion model")


def _weight_bytes(pipeline: Any) -> int:
    import torch

    total = 0
    for component in pipeline.components.values():
        if isinstance(component, torch.nn.Module):
            total += sum(t.numel() * t.element_size() for t in component.parameters())
            total += sum(t.numel() * t.element_size() for t in component.buffers())
    return int(total)


def _cuda_is_short(nbytes: int) -> bool:
    """True when the GPU's free memory cannot hold the weights plus working memory."""
    import torch

    free, _total = torch.cuda.mem_get_info()
    return free < nbytes * CUDA_HEADROOM + CUDA_WORKING_BYTES


def missing_modules(names: tuple[str, ...]) -> list[str]:
    """The modules in `names` that are not installed (found without importing them)."""
    return [name for name in names if importlib.util.find_spec(name) is None]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
