"""Training the shipped MatteUNet on a studio's own (image, alpha) pairs.

`train_matte(pairs, output)` trains from scratch (or from a checkpoint) on random crops with
random flips, minimising L1 + MSE between predicted and true alpha, with Adam. It reports each
step to a callback and writes a checkpoint every `checkpoint_every` steps and at the end; files
are written atomically, so the latest checkpoint is always a complete, loadable model. The result
loads directly into the AIMatte node.

Pairs are in-memory arrays or file paths. Images are scene-linear RGB (EXR and other float files
are taken as they are; 8-bit files such as PNG and JPEG are decoded from sRGB); alphas are one
channel in 0..1 (the alpha channel of an RGBA file, or its first channel).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nodecomp.api import EvaluationError
from plugins.keyers.ai.architecture import UNetConfig, build_model, parameter_count, save_model
from plugins.keyers.ai.encoding import decode_srgb8, encode_rgb

Pair = tuple[np.ndarray | str | os.PathLike, np.ndarray | str | os.PathLike]
ProgressFn = Callable[[int, int, float], None]


@dataclass
class TrainResult:
    """What a training run produced.

    Attributes:
        path: the final model file.
        losses: loss per step.
        checkpoints: every checkpoint written, in order (the last is `path`).
        parameters: the model's weight count.
        seconds: wall time.
    """

    path: str
    losses: list[float] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)
    parameters: int = 0
    seconds: float = 0.0


def read_pair(image: np.ndarray | str | os.PathLike, alpha: np.ndarray | str | os.PathLike) -> tuple[np.ndarray,
                                                                                                      np.ndarray]:
    """An (H, W, 3) scene-linear image and its (H, W) alpha, from arrays or files.

    Raises:
        EvaluationError: a file cannot be read, or the two sizes differ (names the file).
    """
    rgb = _read(image, rgb=True)
    matte = _read(alpha, rgb=False)
    if rgb.shape[:2] != matte.shape[:2]:
        raise EvaluationError(f"the alpha is {matte.shape[1]}x{matte.shape[0]} but the image is "
                              f"{rgb.shape[1]}x{rgb.shape[0]}", path=str(alpha) if not isinstance(alpha, np.ndarray)
                              else None)
    return rgb, np.clip(matte, 0.0, 1.0)


def _read(source: np.ndarray | str | os.PathLike, *, rgb: bool) -> np.ndarray:
    if isinstance(source, np.ndarray):
        array = np.asarray(source, np.float32)
        if rgb:
            return array[..., :3]
        return array if array.ndim == 2 else array[..., -1 if array.shape[-1] in (2, 4) else 0]
    import OpenImageIO as oiio

    path = os.fspath(source)
    buf = oiio.ImageBuf(path)
    if buf.has_error:
        raise EvaluationError(f"cannot read the training image: {buf.geterror()}", path=path)
    spec = buf.spec()
    pixels = buf.get_pixels(oiio.FLOAT)
    if buf.has_error or pixels is None:
        raise EvaluationError(f"cannot read the training image: {buf.geterror()}", path=path)
    pixels = np.asarray(pixels, np.float32).reshape(spec.height, spec.width, spec.nchannels)
    eight_bit = spec.format.basetype in (oiio.UINT8, oiio.INT8)
    if rgb:
        colour = pixels[..., :3] if spec.nchannels >= 3 else np.repeat(pixels[..., :1], 3, axis=2)
        return decode_srgb8(colour * 255.0) if eight_bit else colour
    channel = spec.alpha_channel if spec.alpha_channel >= 0 else 0
    return pixels[..., channel]


def _crops(pairs: list[tuple[np.ndarray, np.ndarray]], rng: np.random.Generator, batch: int, crop: int,
           trimap: bool) -> tuple[np.ndarray, np.ndarray]:
    """A batch of random crops with flips: (B, C, crop, crop) input and (B, 1, crop, crop) alpha."""
    channels = 4 if trimap else 3
    inputs = np.empty((batch, channels, crop, crop), np.float32)
    targets = np.empty((batch, 1, crop, crop), np.float32)
    for index in range(batch):
        rgb, alpha = pairs[int(rng.integers(len(pairs)))]
        height, width = alpha.shape
        if height < crop or width < crop:
            pad = ((0, max(0, crop - height)), (0, max(0, crop - width)))
            rgb, alpha = np.pad(rgb, (*pad, (0, 0)), mode="edge"), np.pad(alpha, pad, mode="edge")
            height, width = alpha.shape
        y, x = int(rng.integers(height - crop + 1)), int(rng.integers(width - crop + 1))
        patch, matte = rgb[y:y + crop, x:x + crop], alpha[y:y + crop, x:x + crop]
        if rng.random() < 0.5:
            patch, matte = patch[:, ::-1], matte[:, ::-1]
        inputs[index, :3] = encode_rgb(patch).transpose(2, 0, 1)
        if trimap:
            inputs[index, 3] = _trimap(matte)
        targets[index, 0] = matte
    return inputs, targets


def _trimap(alpha: np.ndarray) -> np.ndarray:
    """A training trimap from a true alpha: 0 and 1 where it is, 0.5 in between and 3 pixels around."""
    import cv2

    unknown = ((alpha > 0.01) & (alpha < 0.99)).astype(np.uint8)
    unknown = cv2.dilate(unknown, np.ones((7, 7), np.uint8)) > 0
    return np.where(unknown, 0.5, np.where(alpha >= 0.5, 1.0, 0.0)).astype(np.float32)


def train_matte(
    pairs: Sequence[Pair],
    output: str | os.PathLike,
    *,
    steps: int = 1000,
    batch_size: int = 8,
    crop: int = 128,
    learning_rate: float = 1e-3,
    config: UNetConfig | None = None,
    checkpoint_every: int = 200,
    resume: str | os.PathLike | None = None,
    device: str = "cpu",
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> TrainResult:
    """Train a MatteUNet on (image, alpha) pairs and save it as safetensors.

    Args:
        pairs: (image, alpha) arrays or file paths (see the module doc).
        output: the model file to write (`.safetensors`); checkpoints overwrite it as they go.
        steps: optimiser steps.
        batch_size: crops per step.
        crop: crop size in pixels (rounded up to the network's multiple).
        learning_rate: Adam's step size.
        config: the architecture (default UNetConfig(); in_channels 4 trains a trimap model).
        checkpoint_every: steps between checkpoints (0: only at the end).
        resume: a model file to start from (its architecture replaces `config`).
        device: "cpu" or "cuda".
        seed: seeds crops and initial weights, so a run can be repeated.
        progress: called as progress(step, steps, loss) after each step.

    Raises:
        EvaluationError: no pairs, unreadable pairs, or a resume file that is not a MatteUNet.
    """
    import torch

    start = time.perf_counter()
    if not pairs:
        raise EvaluationError("no training pairs were given", hint="give (image, alpha) pairs")
    data = [read_pair(image, alpha) for image, alpha in pairs]
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    if resume is not None:
        from plugins.keyers.ai.models import read_safetensors_metadata

        resume = os.fspath(resume)
        try:
            config = UNetConfig.from_metadata(read_safetensors_metadata(resume))
        except ValueError as exc:
            raise EvaluationError(f"cannot resume: wrong architecture: {exc}", path=resume) from None
        from safetensors.torch import load_file

        model = build_model(config)
        model.load_state_dict(load_file(resume))
    else:
        config = config or UNetConfig()
        model = build_model(config)
    model = model.to(device).train()
    crop = -(-crop // config.multiple) * config.multiple
    optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
    path = os.fspath(output)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    result = TrainResult(path=path, parameters=parameter_count(model))
    for step in range(1, steps + 1):
        inputs, targets = _crops(data, rng, batch_size, crop, config.in_channels == 4)
        x, y = torch.from_numpy(inputs).to(device), torch.from_numpy(targets).to(device)
        prediction = model(x)
        loss = torch.nn.functional.l1_loss(prediction, y) + torch.nn.functional.mse_loss(prediction, y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        result.losses.append(float(loss.detach()))
        if progress is not None:
            progress(step, steps, result.losses[-1])
        if step == steps or (checkpoint_every and step % checkpoint_every == 0):
            save_model(model, config, path)
            result.checkpoints.append(path)
    result.seconds = time.perf_counter() - start
    return result


def synthetic_pairs(count: int, width: int = 256, height: int = 144, seed: int = 0) -> list[tuple[np.ndarray,
                                                                                                  np.ndarray]]:
    """`count` synthetic green/blue-screen (plate, alpha) pairs, for demos, tests and benchmarks."""
    from plugins.keyers.synthetic import SCREEN_BLUE, SCREEN_GREEN, make_shot

    shots = (make_shot(width, height, seed=seed + i, uneven=bool(i % 2),
                       screen=SCREEN_BLUE if i % 3 == 2 else SCREEN_GREEN) for i in range(count))
    return [(shot.plate, shot.alpha) for shot in shots]
