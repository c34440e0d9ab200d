"""`nodecomp train-look` and `nodecomp look-to-lut`: learn a show's look and bake it into a LUT.

    nodecomp train-look --pairs DIR_OR_GLOB --out show.nclook [--steps 2000] [--resume ckpt.nclook]
    nodecomp train-look --synthetic 20 --out demo.nclook
    nodecomp look-to-lut show.nclook --out show.cube [--size 65] [--clf show.clf] [--check DIR_OR_GLOB]

Pairs are a before frame and its approved version: in a folder, `before/NAME` with `after/NAME`,
or `NAME_before.EXT` with `NAME_after.EXT`; a glob selects before frames named either way. The
work is done by the bundled `show_look` plugin; torch is imported only when training runs.
Checkpoints (weights and optimiser state) overwrite `--out` every `--checkpoint-every` steps, so
an interrupted run resumes with `--resume OUT`.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import sys
from pathlib import Path
from typing import Any

from nodecomp.core.errors import EvaluationError, PluginError

PLUGIN_MODULE = "plugins.show_look"
IMAGE_SUFFIXES = {".exr", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".dpx", ".hdr"}


def register(commands: Any) -> None:
    """Add the `train-look` and `look-to-lut` subcommands."""
    train = commands.add_parser(
        "train-look", help="learn a show's look from before/after frame pairs",
        description="Train the show_look plugin's look model on before/after pairs and save it (.nclook).",
    )
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--pairs", help="folder (before/ + after/, or NAME_before/NAME_after) or glob of before frames")
    source.add_argument("--synthetic", type=int, metavar="N", help="train on N synthetic frames with a demo look")
    train.add_argument("--out", type=Path, required=True, help="model file to write (.nclook)")
    train.add_argument("--steps", type=int, default=2000, help="optimiser steps (default 2000)")
    train.add_argument("--lr", type=float, default=1e-2, help="learning rate (default 1e-2)")
    train.add_argument("--batch-size", type=int, default=4096, help="pixels per step (default 4096)")
    train.add_argument("--pixels-per-frame", type=int, default=20000, help="pixels sampled per pair (default 20000)")
    train.add_argument("--checkpoint-every", type=int, default=250, help="steps between checkpoints (0: end only)")
    train.add_argument("--resume", type=Path, help="continue training this checkpoint")
    train.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where to train")
    train.add_argument("--seed", type=int, default=0, help="seed for weights and pixel batches")
    train.set_defaults(run=run_train)

    bake = commands.add_parser(
        "look-to-lut", help="bake a look model's colour part into a 3D LUT (.cube, CLF)",
        description="Sample a look model on an ACEScct lattice and write a .cube (and optionally a CLF).",
    )
    bake.add_argument("model", type=Path, help="the look model (.nclook)")
    bake.add_argument("--out", type=Path, required=True, help=".cube file to write (ACEScct in and out)")
    bake.add_argument("--size", type=int, choices=(17, 33, 65), default=33, help="lattice size (default 33)")
    bake.add_argument("--clf", type=Path, help="also write a CLF (ACEScg in and out) here")
    bake.add_argument("--check", help="held-out before frames (folder or glob): report the LUT's error on them")
    bake.set_defaults(run=run_lut)


def plugin_module(name: str) -> Any:
    """A module of the bundled show_look plugin, loading the plugin if needed."""
    if PLUGIN_MODULE not in sys.modules:
        from nodecomp.plugin_sources import Source, bundled_dir, folder_candidates

        found = [c for c in folder_candidates(bundled_dir(), Source.BUNDLED) if c.module == PLUGIN_MODULE]
        if not found:
            raise PluginError(f"the bundled show_look plugin is missing from {bundled_dir()}", plugin="show_look")
        found[0].load()
    return importlib.import_module(f"{PLUGIN_MODULE}.{name}")


def _images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _partner(before: Path) -> Path | None:
    """The after frame of a before frame: `NAME_after.*` beside it, or `../after/NAME`."""
    if before.stem.endswith("_before"):
        stem = before.stem[: -len("_before")] + "_after"
        for candidate in sorted(before.parent.glob(glob.escape(stem) + ".*")):
            if candidate.suffix.lower() in IMAGE_SUFFIXES:
                return candidate
    if before.parent.name == "before":
        candidate = before.parent.parent / "after" / before.name
        if candidate.is_file():
            return candidate
    return None


def before_frames(pattern: str) -> list[Path]:
    """The before frames a folder or glob names (see the module docstring).

    Raises:
        EvaluationError: nothing matches.
    """
    folder = Path(pattern)
    if folder.is_dir():
        frames = _images(folder / "before") if (folder / "before").is_dir() else [
            p for p in _images(folder) if p.stem.endswith("_before")]
    else:
        frames = sorted(Path(p) for p in glob.glob(pattern) if Path(p).suffix.lower() in IMAGE_SUFFIXES)
    if not frames:
        raise EvaluationError("no before frames found", path=pattern,
                              hint="use before/ and after/ folders, or NAME_before / NAME_after files")
    return frames


def find_pairs(pattern: str) -> list[tuple[Path, Path]]:
    """(before, after) paths for a folder or glob.

    Raises:
        EvaluationError: nothing matches, or a before frame has no after frame (naming it).
    """
    pairs = []
    for before in before_frames(pattern):
        after = _partner(before)
        if after is None:
            raise EvaluationError("no after frame for this before frame", path=str(before),
                                  hint="name it NAME_after.EXT beside it, or put it in ../after/ with the same name")
        pairs.append((before, after))
    return pairs


def run_train(args: argparse.Namespace) -> int:
    """Train with a progress bar on stderr; exit 0 with the model path on stdout."""
    from tqdm import tqdm

    training = plugin_module("training")
    if args.synthetic is not None:
        pairs: list[Any] = plugin_module("synthetic").synthetic_pairs(max(1, args.synthetic))
    else:
        pairs = find_pairs(args.pairs)
    device = args.device
    if device == "auto":
        from nodecomp.engine.devices import cuda_available

        device = "cuda" if cuda_available() else "cpu"
    with tqdm(total=args.steps, desc="train-look", unit="step", file=sys.stderr,
              initial=0) as bar:
        def progress(step: int, total: int, loss: float) -> None:
            bar.n = step
            bar.set_postfix(loss=f"{loss:.2e}", refresh=False)
            bar.update(0)

        model = training.train_look(
            pairs, steps=args.steps, lr=args.lr, seed=args.seed, progress=progress, batch_size=args.batch_size,
            pixels_per_frame=args.pixels_per_frame, checkpoint=args.out, checkpoint_every=args.checkpoint_every,
            resume=args.resume, device=device,
        )
    sys.stdout.write(f"{args.out}\n")
    sys.stderr.write(f"trained on {len(pairs)} pairs ({model.metadata.get('pixels')} pixels) in "
                     f"{model.metadata.get('training_seconds')} s; final loss {model.losses[-1]:.2e}\n")
    return 0


def run_lut(args: argparse.Namespace) -> int:
    """Write the LUT (and CLF); with --check, report its error on held-out frames."""
    lut = plugin_module("lut")
    look_model = plugin_module("look_model")
    images = plugin_module("images")
    model = look_model.load_model(str(args.model))
    table = lut.fit_lut(model, args.size)
    lut.write_cube(args.out, table, title=f"nodecomp look {args.model.name}")
    written = [str(args.out)]
    if args.clf is not None:
        written.append(lut.write_clf(args.clf, args.out))
    sys.stdout.write("\n".join(written) + "\n")
    if args.check:
        frames = [images.read_rgb(path) for path in before_frames(args.check)]
        error = lut.lut_error(model, table, frames)
        sys.stderr.write(
            f"LUT vs network on {error.frames} frames, Delta E 2000 mean / p95: "
            f"{error.vs_network[0]:.2f} / {error.vs_network[1]:.2f} (whole look), "
            f"{error.vs_network_colour[0]:.2f} / {error.vs_network_colour[1]:.2f} (colour part)\n")
    return 0
