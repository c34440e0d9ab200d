"""`nodecomp train-matte`: train the keyers plugin's matting network on your own (image, alpha) pairs.

    nodecomp train-matte --images DIR --alphas DIR --out model.safetensors [--steps 1000] ...
    nodecomp train-matte --synthetic 16 --out demo.safetensors --steps 300

Each image in --images is paired with the file of the same name (any extension) in --alphas.
The work is done by the bundled `keyers` plugin (`plugins.keyers.ai.training.train_matte`);
torch is imported only when the command runs. Checkpoints overwrite --out as training goes,
always as a complete file, and the result loads into an AIMatte node.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from nodecomp.core.errors import EvaluationError, PluginError

PLUGIN_MODULE = "plugins.keyers"
IMAGE_SUFFIXES = {".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".dpx", ".hdr"}


def register(commands: Any) -> None:
    """Add the `train-matte` subcommand."""
    parser = commands.add_parser(
        "train-matte", help="train the AIMatte network on (image, alpha) pairs",
        description="Train the keyers plugin's MatteUNet on image/alpha pairs and save it as safetensors.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--images", type=Path, help="folder of training images (scene-linear EXR, or sRGB PNG/JPEG)")
    source.add_argument("--synthetic", type=int, metavar="N", help="train on N synthetic green-screen shots (a demo)")
    parser.add_argument("--alphas", type=Path, help="folder of alphas, one per image, same file names")
    parser.add_argument("--out", type=Path, required=True, help="model file to write (.safetensors)")
    parser.add_argument("--steps", type=int, default=1000, help="optimiser steps (default 1000)")
    parser.add_argument("--batch-size", type=int, default=8, help="crops per step (default 8)")
    parser.add_argument("--crop", type=int, default=128, help="crop size in pixels (default 128)")
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate (default 1e-3)")
    parser.add_argument("--base-channels", type=int, default=8, help="network width (default 8)")
    parser.add_argument("--depth", type=int, default=3, help="network depth (default 3)")
    parser.add_argument("--trimap", action="store_true", help="train a model that also takes a trimap")
    parser.add_argument("--checkpoint-every", type=int, default=200, help="steps between checkpoints (0: end only)")
    parser.add_argument("--resume", type=Path, help="continue training this model file")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where to train")
    parser.add_argument("--seed", type=int, default=0, help="seed for crops and initial weights")
    parser.set_defaults(run=run)


def plugin_module(name: str) -> Any:
    """A module of the bundled keyers plugin (`training`, `ai.training`...), loading the plugin if needed."""
    if PLUGIN_MODULE not in sys.modules:
        from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

        found = [c for c in folder_candidates(bundled_dir(), Source.BUNDLED) if c.module == PLUGIN_MODULE]
        if not found:
            raise PluginError(f"the bundled keyers plugin is missing from {bundled_dir()}", plugin="keyers")
        found[0].load()
    return importlib.import_module(f"{PLUGIN_MODULE}.{name}")


def find_pairs(images: Path, alphas: Path | None) -> list[tuple[Path, Path]]:
    """(image, alpha) paths: every image in `images` and the alpha of the same stem in `alphas`.

    Raises:
        EvaluationError: a folder is missing or empty, or an image has no alpha (naming it).
    """
    if alphas is None:
        raise EvaluationError("--alphas is required with --images", hint="give the folder of alpha mattes")
    for folder in (images, alphas):
        if not folder.is_dir():
            raise EvaluationError("folder not found", path=str(folder))
    by_stem = {p.stem: p for p in alphas.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES}
    pairs = []
    for image in sorted(p for p in images.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
        alpha = by_stem.get(image.stem)
        if alpha is None:
            raise EvaluationError(f"no alpha named {image.stem}.* in {alphas}", path=str(image))
        pairs.append((image, alpha))
    if not pairs:
        raise EvaluationError("no training images found", path=str(images),
                              hint=f"supported: {', '.join(sorted(IMAGE_SUFFIXES))}")
    return pairs


def run(args: argparse.Namespace) -> int:
    """Train, printing progress to stderr; exit 0 with the model path on stdout."""
    from tqdm import tqdm

    training = plugin_module("ai.training")
    architecture = plugin_module("ai.architecture")
    models = plugin_module("ai.models")
    if args.synthetic is not None:
        pairs: list[Any] = training.synthetic_pairs(max(1, args.synthetic))
    else:
        pairs = find_pairs(args.images, args.alphas)
    config = architecture.UNetConfig(base_channels=args.base_channels, depth=args.depth,
                                      in_channels=4 if args.trimap else 3)
    device = models.resolve_device(args.device)
    with tqdm(total=args.steps, desc="train-matte", unit="step", file=sys.stderr) as bar:
        def progress(step: int, total: int, loss: float) -> None:
            bar.update(1)
            bar.set_postfix(loss=f"{loss:.4f}")

        result = training.train_matte(
            pairs, args.out, steps=args.steps, batch_size=args.batch_size, crop=args.crop,
            learning_rate=args.lr, config=config, checkpoint_every=args.checkpoint_every,
            resume=args.resume, device=device, seed=args.seed, progress=progress,
        )
    sys.stdout.write(f"{result.path}\n")
    sys.stderr.write(f"trained {result.parameters} weights on {len(pairs)} pairs in {result.seconds:.1f} s; "
                     f"final loss {result.losses[-1]:.4f}\n")
    return 0
