"""`nodecomp train-lora`: train a LoRA for a generator model on a show's approved frames.

    nodecomp train-lora --model models/sd15 --images approved/ --prompt "show style" --out show.safetensors
    nodecomp train-lora --model models/sd15 --images "approved/*.png" --prompt "show style" --captions ...

Images are a folder (every image in it) or a glob. With --captions, a `NAME.txt` beside an image
is its caption and --prompt covers images without one. The work is done by the bundled
`generators` plugin (`plugins.generators.lora_training.train_lora`); torch is imported only when
the command runs. The file loads through any generator node's `loras` param.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from nodecomp.core.errors import PluginError

PLUGIN_MODULE = "plugins.generators"


def register(commands: Any) -> None:
    """Add the `train-lora` subcommand."""
    parser = commands.add_parser(
        "train-lora", help="train a LoRA for a generator model on approved frames",
        description="Fine-tune LoRA adapters of a Stable Diffusion 1.x/2.x model on images and save a .safetensors "
                    "file that the generator nodes' loras param loads.",
    )
    parser.add_argument("--model", type=Path, required=True, help="diffusers model folder or single checkpoint")
    parser.add_argument("--images", required=True, help="folder or glob of training images")
    parser.add_argument("--prompt", required=True, help="the prompt trained with every image (e.g. the show's token)")
    parser.add_argument("--captions", action="store_true", help="use NAME.txt beside an image as its caption")
    parser.add_argument("--out", type=Path, required=True, help="LoRA file to write (.safetensors)")
    parser.add_argument("--steps", type=int, default=500, help="optimiser steps (default 500)")
    parser.add_argument("--rank", type=int, default=4, help="adapter rank (default 4)")
    parser.add_argument("--lr", type=float, default=1e-4, help="learning rate (default 1e-4)")
    parser.add_argument("--resolution", type=int, default=512, help="square training size, a multiple of 8 "
                                                                    "(default 512)")
    parser.add_argument("--batch-size", type=int, default=1, help="images per step (default 1)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where to train")
    parser.add_argument("--seed", type=int, default=0, help="seed for adapters, noise and image order")
    parser.set_defaults(run=run)


def plugin_module(name: str) -> Any:
    """A module of the bundled generators plugin, loading the plugin if needed."""
    if PLUGIN_MODULE not in sys.modules:
        from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

        found = [c for c in folder_candidates(bundled_dir(), Source.BUNDLED) if c.module == PLUGIN_MODULE]
        if not found:
            raise PluginError(f"the bundled generators plugin is missing from {bundled_dir()}", plugin="generators")
        found[0].load()
    return importlib.import_module(f"{PLUGIN_MODULE}.{name}")


def captions_for(images: list[Path], prompt: str) -> list[str]:
    """Each image's caption: the text of `NAME.txt` beside it, or `prompt`."""
    captions = []
    for image in images:
        sidecar = image.with_suffix(".txt")
        text = sidecar.read_text(encoding="utf-8").strip() if sidecar.is_file() else ""
        captions.append(text or prompt)
    return captions


def run(args: argparse.Namespace) -> int:
    """Train with a progress bar on stderr; exit 0 with the LoRA path on stdout."""
    from tqdm import tqdm

    training = plugin_module("lora_training")
    images = training.image_files(args.images)
    captions: str | list[str] = captions_for(images, args.prompt) if args.captions else args.prompt
    device = args.device
    if device == "auto":
        from nodecomp.engine.devices import cuda_available

        device = "cuda" if cuda_available() else "cpu"
    losses: list[float] = []
    with tqdm(total=args.steps, desc="train-lora", unit="step", file=sys.stderr) as bar:
        def progress(step: int, total: int, loss: float) -> None:
            bar.n = step
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
            bar.update(0)

        path = training.train_lora(
            args.model, images, captions, out=args.out, steps=args.steps, rank=args.rank, lr=args.lr,
            seed=args.seed, resolution=args.resolution, batch_size=args.batch_size, progress=progress,
            device=device, losses=losses,
        )
    sys.stdout.write(f"{path}\n")
    window = max(1, min(10, len(losses) // 4))
    sys.stderr.write(f"trained on {len(images)} images; mean loss of the first / last {window} steps "
                     f"{sum(losses[:window]) / window:.3f} / {sum(losses[-window:]) / window:.3f}\n")
    return 0
