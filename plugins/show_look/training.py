"""Training a look model from (before, after) pairs: sampled pixels, Adam, checkpoints, cancel, resume.

Every pair is turned into per-pixel features (`features.pixel_features` of the before frame)
and targets (the after frame in ACEScct); up to `pixels_per_frame` pixels are sampled from each,
so a few hundred 2K pairs still fit in memory. Each step draws a batch from that pool with a
generator seeded by (seed, step): a run that is cancelled and resumed from its checkpoint takes
exactly the same batches, and reaches the same weights, as one that was not interrupted.

The loss is the mean squared ACEScct difference (roughly even across stops, as a grade is);
the learning rate falls along a cosine from `lr` to `lr / 10` over the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from nodecomp.api import CancelledError, EvaluationError, get_logger
from plugins.show_look.encoding import lin_to_cct
from plugins.show_look.features import pixel_features
from plugins.show_look.images import read_rgb
from plugins.show_look.look_model import LookConfig, LookModel, initial_weights, load_model, new_metadata, save_model

log = get_logger(__name__)

Source = np.ndarray | str | os.PathLike
Pair = tuple[Source, Source]
ProgressFn = Callable[[int, int, float], None]


class PixelPool(NamedTuple):
    """What training draws its batches from: sampled pixels of every pair.

    Attributes:
        features: (N, 9) features of the before frames.
        targets: (N, 3) ACEScct colours of the after frames.
        names: one name per pair (file paths, or what the caller named them).
    """

    features: np.ndarray
    targets: np.ndarray
    names: list[str]


def pixel_pool(pairs: Sequence[Pair], pixels_per_frame: int, seed: int,
               names: Sequence[str] | None = None) -> PixelPool:
    """(N, 9) features, (N, 3) ACEScct targets and a name per pair, sampled from every pair.

    `pairs` is read one pair at a time (a sequence that renders frames on demand keeps only
    one pair in memory). `names` names the pairs for the model's metadata (file paths, else
    `<array N>`, when None).

    Raises:
        EvaluationError: no pairs, a file cannot be read, or a pair's sizes differ (naming the file).
    """
    if not pairs:
        raise EvaluationError("no training pairs were given", hint="pass (before, after) frames")
    rng = np.random.default_rng([seed, 7919])
    inputs, targets, found = [], [], []
    for index, (before, after) in enumerate(pairs):
        source, graded = read_rgb(before), read_rgb(after)
        if source.shape != graded.shape:
            raise EvaluationError(f"the after frame is {graded.shape[1]}x{graded.shape[0]} but the before frame is "
                                  f"{source.shape[1]}x{source.shape[0]}",
                                  path=names[index] if names is not None else _name(after, index))
        features = pixel_features(source).reshape(-1, 9)
        target = lin_to_cct(graded).reshape(-1, 3)
        if features.shape[0] > pixels_per_frame:
            chosen = rng.choice(features.shape[0], pixels_per_frame, replace=False)
            features, target = features[chosen], target[chosen]
        inputs.append(features)
        targets.append(target)
        found.append(names[index] if names is not None else _name(before, index))
    return PixelPool(np.concatenate(inputs), np.concatenate(targets).astype(np.float32), found)


def _name(source: Source, index: int) -> str:
    return f"<array {index}>" if isinstance(source, np.ndarray) else os.fspath(source)


def train_look(
    pairs: Sequence[Pair] | PixelPool,
    *,
    steps: int = 2000,
    lr: float = 1e-2,
    seed: int = 0,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    batch_size: int = 4096,
    config: LookConfig | None = None,
    pixels_per_frame: int = 20000,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int = 0,
    resume: str | os.PathLike[str] | LookModel | None = None,
    device: str = "cpu",
    colour_space: str = "ACEScg",
    threads: int | None = 1,
    on_checkpoint: Callable[[int], None] | None = None,
) -> LookModel:
    """Train a look model on (before, after) pairs.

    Args:
        pairs: (before, after) frames as scene-linear (H, W, 3+) arrays or image files, or a
            `PixelPool` already sampled from them (`pixels_per_frame` is then not used).
        steps: the total optimiser steps (a resumed run continues up to this count).
        lr: the starting learning rate.
        seed: seeds the initial weights, the pixel sample and every batch.
        progress: called after every step with (step, steps, loss).
        cancel: polled every step; when it returns True a checkpoint is written (if `checkpoint`
            is set) and CancelledError is raised.
        batch_size: pixels per step.
        config: the network's shape (default `LookConfig()`; a resumed run keeps its own).
        pixels_per_frame: pixels sampled from each pair.
        checkpoint: where checkpoints go (weights + optimiser state, loadable by LookApply).
        checkpoint_every: steps between checkpoints (0: only on cancel and at the end).
        resume: a checkpoint file (or model) to continue from.
        device: "cpu" or "cuda".
        colour_space: recorded in the model's metadata (the frames' colour space).
        threads: torch CPU threads while training (restored afterwards); None keeps torch's
            setting. One is the default because a batch of this tiny network is too small to
            share: on a busy 2-core machine two threads made each step 20 times slower.
        on_checkpoint: called with the step count after each checkpoint written during the run
            (not the final save), so a viewer can show the model as it learns.

    Returns:
        The trained model, with its loss curve and metadata (its optimiser state kept for resuming).

    Raises:
        CancelledError: `cancel()` returned True.
        EvaluationError: unreadable or mismatched pairs, or a bad resume file.
    """
    import torch

    previous_threads = torch.get_num_threads()
    if threads is not None and device == "cpu":
        torch.set_num_threads(max(1, int(threads)))
    try:
        return _train(pairs, steps=steps, lr=lr, seed=seed, progress=progress, cancel=cancel, batch_size=batch_size,
                      config=config, pixels_per_frame=pixels_per_frame, checkpoint=checkpoint,
                      checkpoint_every=checkpoint_every, resume=resume, device=device, colour_space=colour_space,
                      on_checkpoint=on_checkpoint)
    finally:
        torch.set_num_threads(previous_threads)


def _train(pairs: Sequence[Pair] | PixelPool, *, steps: int, lr: float, seed: int, progress: ProgressFn | None,
           cancel: Callable[[], bool] | None, batch_size: int, config: LookConfig | None, pixels_per_frame: int,
           checkpoint: str | os.PathLike[str] | None, checkpoint_every: int,
           resume: str | os.PathLike[str] | LookModel | None, device: str, colour_space: str,
           on_checkpoint: Callable[[int], None] | None) -> LookModel:
    import torch

    from plugins.show_look.look_model import build_network

    started = time.perf_counter()
    features, targets, names = pairs if isinstance(pairs, PixelPool) else pixel_pool(pairs, pixels_per_frame, seed)
    if resume is not None:
        model = resume if isinstance(resume, LookModel) else load_model(resume)
    else:
        config = config or LookConfig()
        model = LookModel(config, initial_weights(config, seed),
                          new_metadata(names, colour_space, seed=str(seed), lr=str(lr)))
    model.metadata["training_frames"] = names
    network = build_network(model.config).to(device)
    network.load_state_dict({k: torch.from_numpy(v) for k, v in model.weights.items()})
    optimiser = torch.optim.Adam(network.parameters(), lr=lr)
    if model.optimizer:
        _restore_adam(optimiser, network, model)
    pool_x = torch.from_numpy(features).to(device)
    pool_y = torch.from_numpy(targets).to(device)
    total = int(steps)
    for step in range(model.step, total):
        if cancel is not None and cancel():
            _sync(model, network, optimiser, step)
            if checkpoint is not None:
                save_model(model, checkpoint, with_optimizer=True)
            raise CancelledError(f"look training cancelled at step {step} of {total}",
                                 path=os.fspath(checkpoint) if checkpoint is not None else None,
                                 hint="resume from the checkpoint" if checkpoint is not None else None)
        for group in optimiser.param_groups:
            group["lr"] = _learning_rate(lr, step, total)
        rng = np.random.default_rng([seed, step])
        batch = torch.from_numpy(rng.integers(0, features.shape[0], min(batch_size, features.shape[0])))
        batch = batch.to(device)
        prediction = network(pool_x[batch])
        loss = torch.nn.functional.mse_loss(prediction, pool_y[batch])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        value = float(loss.detach())
        model.losses.append(value)
        if progress is not None:
            progress(step + 1, total, value)
        if checkpoint is not None and checkpoint_every and (step + 1) % checkpoint_every == 0 and step + 1 < total:
            _sync(model, network, optimiser, step + 1)
            save_model(model, checkpoint, with_optimizer=True)
            if on_checkpoint is not None:
                on_checkpoint(step + 1)
    _sync(model, network, optimiser, max(total, model.step))
    model.metadata["training_seconds"] = f"{time.perf_counter() - started:.2f}"
    model.metadata["pixels"] = str(features.shape[0])
    if checkpoint is not None:
        save_model(model, checkpoint, with_optimizer=True)
    log.info("trained a look on %d pixels from %d pairs in %.1f s", features.shape[0], len(names),
             time.perf_counter() - started)
    return model


def _learning_rate(lr: float, step: int, total: int) -> float:
    fraction = step / max(total - 1, 1)
    return lr * (0.1 + 0.9 * 0.5 * (1.0 + np.cos(np.pi * fraction)))


def _sync(model: LookModel, network: Any, optimiser: Any, step: int) -> None:
    """Copy weights and optimiser state from torch into the model."""
    model.weights = {k: v.detach().cpu().numpy().astype(np.float32).copy() for k, v in network.state_dict().items()}
    state: dict[str, np.ndarray] = {}
    for name, parameter in network.named_parameters():
        slot = optimiser.state.get(parameter)
        if slot:
            state[f"{name}.exp_avg"] = slot["exp_avg"].detach().cpu().numpy().copy()
            state[f"{name}.exp_avg_sq"] = slot["exp_avg_sq"].detach().cpu().numpy().copy()
            state[f"{name}.step"] = np.asarray([float(slot["step"])], np.float32)
    model.optimizer = state
    model.step = int(step)


def _restore_adam(optimiser: Any, network: Any, model: LookModel) -> None:
    import torch

    device = next(network.parameters()).device
    for name, parameter in network.named_parameters():
        if f"{name}.exp_avg" not in model.optimizer:
            continue
        optimiser.state[parameter] = {
            "step": torch.tensor(float(model.optimizer[f"{name}.step"][0])),
            "exp_avg": torch.from_numpy(model.optimizer[f"{name}.exp_avg"].copy()).to(device),
            "exp_avg_sq": torch.from_numpy(model.optimizer[f"{name}.exp_avg_sq"].copy()).to(device),
        }
