"""Training a LoRA for a Stable Diffusion model on a show's approved frames.

Standard diffusion fine-tuning of low-rank adapters only: every frame is encoded once by the
model's VAE (its latent mean and spread kept, a fresh latent sampled each step), noised at a
random timestep with a DDPM scheduler built from the model's own scheduler config (same beta
schedule and prediction type), and the UNet with peft adapters on its attention projections
learns to predict the noise (or velocity, for v-prediction models) under an MSE loss. AdamW
updates the adapter weights alone; the VAE, text encoder and base UNet stay frozen. The result
is written by diffusers' own `save_lora_weights`, so the generator nodes' `loras` param loads it
like any downloaded LoRA.

Every random draw (adapter initialisation, frame order, noise, timesteps) comes from the seed,
so the same frames, prompt and settings give the same file on the same device. Only Stable
Diffusion 1.x/2.x style models (one text encoder) are supported: SDXL needs two text encoders
and size conditioning, which this trainer does not feed.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from nodecomp.api import CancelledError, EvaluationError, get_logger
from plugins.generators.lora import DEFAULT_WEIGHT_NAME

log = get_logger(__name__)

IMAGE_SUFFIXES = (".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".dpx", ".hdr")
TARGET_MODULES = ("to_q", "to_k", "to_v", "to_out.0")

ImageSource = np.ndarray | str | os.PathLike
ProgressFn = Callable[[int, int, float], None]


def image_files(pattern: str | os.PathLike[str]) -> list[Path]:
    """The image files a folder (its images, sorted) or a glob names.

    Raises:
        EvaluationError: naming the folder or glob when it holds no image.
    """
    folder = Path(pattern)
    if folder.is_dir():
        found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    else:
        found = sorted(Path(p) for p in glob.glob(os.fspath(pattern)) if Path(p).suffix.lower() in IMAGE_SUFFIXES)
    if not found:
        raise EvaluationError("no training images found", path=os.fspath(pattern),
                              hint=f"give a folder or glob of {', '.join(IMAGE_SUFFIXES)} images")
    return found


def read_model_rgb(source: ImageSource) -> np.ndarray:
    """(H, W, 3) float32 in 0..1 as a diffusion model sees it (display-referred sRGB).

    Integer files (PNG, JPEG, 8/16-bit TIFF) are taken as sRGB-encoded already; float files
    (EXR, HDR, float TIFF) as scene-linear Rec.709 and encoded with the sRGB curve; arrays as
    model-space values. Everything is clipped to 0..1.

    Raises:
        EvaluationError: the file cannot be read (naming it), or an array is not (H, W, 3+).
    """
    if isinstance(source, np.ndarray):
        if source.ndim != 3 or source.shape[2] < 3:
            raise EvaluationError(f"a training image must be (H, W, 3 or more), not {source.shape}")
        return np.clip(np.asarray(source[..., :3], np.float32), 0.0, 1.0)
    import OpenImageIO as oiio

    path = os.fspath(source)
    buf = oiio.ImageBuf(path)
    pixels = None if buf.has_error else buf.get_pixels(oiio.FLOAT)
    if buf.has_error or pixels is None:
        raise EvaluationError(f"cannot read the training image: {buf.geterror() or 'unknown format'}", path=path)
    spec = buf.spec()
    pixels = np.asarray(pixels, np.float32).reshape(spec.height, spec.width, spec.nchannels)
    rgb = pixels[..., :3] if spec.nchannels >= 3 else np.repeat(pixels[..., :1], 3, axis=2)
    if spec.format.basetype in (oiio.HALF, oiio.FLOAT, oiio.DOUBLE):
        rgb = _encode_srgb(np.clip(rgb, 0.0, 1.0))
    return np.clip(rgb, 0.0, 1.0).astype(np.float32)


def _encode_srgb(linear: np.ndarray) -> np.ndarray:
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * np.power(linear, 1 / 2.4) - 0.055)


def square_crop(rgb: np.ndarray, resolution: int) -> np.ndarray:
    """The centred square of `rgb` resized to `resolution` x `resolution` (area filter to shrink)."""
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = np.ascontiguousarray(rgb[top:top + side, left:left + side])
    if side == resolution:
        return square
    interpolation = cv2.INTER_AREA if side > resolution else cv2.INTER_CUBIC
    return np.clip(cv2.resize(square, (resolution, resolution), interpolation=interpolation), 0.0, 1.0)


def _captions(captions_or_prompt: str | Sequence[str], count: int) -> list[str]:
    if isinstance(captions_or_prompt, str):
        return [captions_or_prompt] * count
    captions = [str(c) for c in captions_or_prompt]
    if len(captions) != count:
        raise EvaluationError(f"{len(captions)} captions were given for {count} images",
                              hint="give one caption per image, or one prompt for all")
    return captions


def _output_file(out: str | os.PathLike[str]) -> Path:
    """The .safetensors file to write (a folder gets the diffusers default file name)."""
    path = Path(out)
    if path.is_dir():
        return path / DEFAULT_WEIGHT_NAME
    if path.suffix.lower() != ".safetensors":
        raise EvaluationError("the LoRA file must end in .safetensors", path=os.fspath(path))
    return path


def train_lora(
    model_folder: str | os.PathLike[str],
    images: Sequence[ImageSource],
    captions_or_prompt: str | Sequence[str],
    *,
    out: str | os.PathLike[str],
    steps: int = 500,
    rank: int = 4,
    lr: float = 1e-4,
    seed: int = 0,
    resolution: int = 512,
    batch_size: int = 1,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    device: str = "cpu",
    losses: list[float] | None = None,
) -> Path:
    """Train a LoRA for the model on `images` and write it to `out`.

    Args:
        model_folder: a diffusers model folder or single checkpoint (Stable Diffusion 1.x/2.x).
        images: the approved frames, as files or (H, W, 3) arrays in model space (0..1 sRGB).
        captions_or_prompt: one prompt for every image, or one caption per image.
        out: the .safetensors file to write (a folder gets pytorch_lora_weights.safetensors).
            It is written only when training finishes, replacing any file there in one move.
        steps: optimiser steps.
        rank: the adapters' rank (alpha is set equal, so weight 1 applies them as trained).
        lr: AdamW's learning rate.
        seed: seeds the adapters' initial weights, the frame order, the noise and the timesteps.
        resolution: the square training size in pixels (a multiple of 8); frames are centre-cropped.
        batch_size: frames per step.
        progress: called after every step with (step, steps, loss).
        cancel: polled before every step; when it returns True training stops, nothing is
            written and CancelledError is raised.
        device: "cpu" or "cuda" (float32 weights either way).
        losses: when given, each step's loss is appended to it.

    Returns:
        The path of the written LoRA file.

    Raises:
        EvaluationError: no images, bad settings, an unreadable image (naming it), or a model this
            trainer cannot handle (naming it).
        CancelledError: `cancel()` returned True.
    """
    if not images:
        raise EvaluationError("no training images were given", hint="pass the show's approved frames")
    if resolution < 8 or resolution % 8:
        raise EvaluationError(f"resolution must be a positive multiple of 8, not {resolution}")
    if steps < 1 or rank < 1 or batch_size < 1:
        raise EvaluationError("steps, rank and batch size must be at least 1")
    target = _output_file(out)
    captions = _captions(captions_or_prompt, len(images))
    pixels = np.stack([square_crop(read_model_rgb(image), resolution) for image in images])
    parts = _load_parts(os.fspath(model_folder), device)
    layers = _train(parts, pixels, captions, steps=steps, rank=rank, lr=lr, seed=seed, batch_size=batch_size,
                    progress=progress, cancel=cancel, device=device, losses=losses)
    _save(layers, target)
    log.info("trained a rank-%d LoRA on %d images for %d steps: %s", rank, len(images), steps, target)
    return target


def _load_parts(model_folder: str, device: str) -> dict[str, Any]:
    """A fresh (uncached, so the shared pipeline stays untouched) model's parts on `device`."""
    from plugins.generators import loading
    from plugins.generators.model_folder import inspect_model

    diffusers = loading.import_diffusers()
    if loading.missing_modules(("peft",)):
        raise EvaluationError("LoRA training needs peft, which is not installed", hint='pip install "nodecomp[ai]"')
    source = inspect_model(os.path.abspath(model_folder))
    pipeline = loading.load(source, "cpu", fp16=False).pipeline
    missing = [n for n in ("unet", "vae", "text_encoder", "tokenizer") if getattr(pipeline, n, None) is None]
    if missing or getattr(pipeline, "text_encoder_2", None) is not None:
        reason = f"it has no {', '.join(missing)}" if missing else "it has two text encoders (SDXL)"
        raise EvaluationError(f"LoRA training supports Stable Diffusion 1.x/2.x models only: {reason}",
                              path=source.path)
    noise_scheduler = diffusers.DDPMScheduler.from_config(pipeline.scheduler.config)
    parts = {name: getattr(pipeline, name) for name in ("unet", "vae", "text_encoder", "tokenizer")}
    for name in ("unet", "vae", "text_encoder"):
        parts[name].requires_grad_(False)
        parts[name].to(device)
    parts["noise_scheduler"] = noise_scheduler
    return parts


def _train(parts: dict[str, Any], pixels: np.ndarray, captions: list[str], *, steps: int, rank: int, lr: float,
           seed: int, batch_size: int, progress: ProgressFn | None, cancel: Callable[[], bool] | None, device: str,
           losses: list[float] | None) -> dict[str, Any]:
    import torch
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    unet, scheduler = parts["unet"], parts["noise_scheduler"]
    generator = torch.Generator(device="cpu").manual_seed(seed)
    mean, std = _encode(parts["vae"], pixels, device)
    text = _encode_text(parts["tokenizer"], parts["text_encoder"], captions, device)
    with torch.random.fork_rng(devices=[]):  # peft draws the A matrices from the global generator
        torch.manual_seed(seed)
        unet.add_adapter(LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian",
                                    target_modules=list(TARGET_MODULES)))
    trainable = [p for p in unet.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=lr)
    unet.train()
    order = np.random.default_rng([seed, 4099])
    queue: list[int] = []
    train_steps = int(scheduler.config.num_train_timesteps)
    for step in range(steps):
        if cancel is not None and cancel():
            raise CancelledError(f"LoRA training cancelled at step {step} of {steps}", hint="nothing was written")
        while len(queue) < batch_size:
            queue.extend(int(i) for i in order.permutation(len(pixels)))
        batch, queue = queue[:batch_size], queue[batch_size:]
        index = torch.tensor(batch)
        sample = torch.randn(mean[index].shape, generator=generator).to(device)
        latents = mean[index] + std[index] * sample
        noise = torch.randn(latents.shape, generator=generator).to(device)
        timesteps = torch.randint(0, train_steps, (len(batch),), generator=generator).to(device)
        noisy = scheduler.add_noise(latents, noise, timesteps)
        if scheduler.config.prediction_type == "v_prediction":
            wanted = scheduler.get_velocity(latents, noise, timesteps)
        else:
            wanted = noise
        predicted = unet(noisy, timesteps, encoder_hidden_states=text[index]).sample
        loss = torch.nn.functional.mse_loss(predicted.float(), wanted.float())
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        value = float(loss.detach())
        if not np.isfinite(value):
            raise EvaluationError(f"the training loss became {value} at step {step + 1}",
                                  hint="lower the learning rate")
        if losses is not None:
            losses.append(value)
        if progress is not None:
            progress(step + 1, steps, value)
    unet.eval()
    return convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))


def _encode(vae: Any, pixels: np.ndarray, device: str) -> tuple[Any, Any]:
    """Latent mean and standard deviation of each frame (scaled as the UNet sees latents)."""
    import torch

    scale = float(vae.config.scaling_factor)
    means, stds = [], []
    with torch.no_grad():
        for frame in pixels:
            tensor = torch.from_numpy(frame).permute(2, 0, 1)[None].to(device) * 2.0 - 1.0
            dist = vae.encode(tensor).latent_dist
            means.append(dist.mean * scale)
            stds.append(dist.std * scale)
    return torch.cat(means), torch.cat(stds)


def _encode_text(tokenizer: Any, text_encoder: Any, captions: list[str], device: str) -> Any:
    import torch

    tokens = tokenizer(captions, padding="max_length", max_length=tokenizer.model_max_length, truncation=True,
                       return_tensors="pt")
    with torch.no_grad():
        return text_encoder(tokens.input_ids.to(device))[0]


def _save(layers: dict[str, Any], target: Path) -> None:
    """Write the adapters with diffusers' own writer, then move the file into place."""
    from diffusers import StableDiffusionPipeline

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".lora-") as staging:
        try:
            StableDiffusionPipeline.save_lora_weights(staging, unet_lora_layers=layers, weight_name=DEFAULT_WEIGHT_NAME)
        except OSError as exc:
            raise EvaluationError(f"cannot write the LoRA ({exc.strerror or exc})", path=os.fspath(target)) from None
        os.replace(os.path.join(staging, DEFAULT_WEIGHT_NAME), target)
