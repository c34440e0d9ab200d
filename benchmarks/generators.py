"""Generator benchmark: seconds per denoising step, model load cold vs cached, memory high-water mark.

    .venv/bin/python benchmarks/generators.py [--size 512] [--steps 2 6] [--threads N]
    .venv/bin/python benchmarks/generators.py --model /models/sd15      # your own model folder

Without --model a tiny Stable Diffusion model with random weights is built first
(`plugins.generators.tiny_models`: 32/64-channel UNet, ~7 MB), so the figures measure the
pipeline machinery and nodecomp's overhead, not what a real SD model costs (see
docs/generators.md). Seconds per step is the slope between two runs with different step counts,
which removes the fixed cost (prompt encoding, VAE decode, colour conversion); the peer in the
same run is the bare diffusers pipeline called with the same arguments. Runs on the CPU, and on
CUDA (fp16) too when torch sees a GPU. Model load: the first load in the process (it also pays
diffusers' lazy imports; with the tiny model just written, its files are in the OS cache, so
this is not a cold-disk figure), a second load without the model cache, and a hit in the
resource cache (folder check, fingerprint, lookup). Memory: peak RSS of this process after each
stage (and peak CUDA memory allocated on a GPU).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["HF_HUB_OFFLINE"] = "1"

from nodecomp.api import Format, ResourceCache  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.testing import make_document  # noqa: E402
from plugins.generators import loading, plugin  # noqa: E402
from plugins.generators.model_folder import inspect_model  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, repeats: int = 1) -> float:
    """Best wall-clock seconds of `repeats` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def node_seconds(model: Path, size: int, steps: int, device: str, repeats: int) -> float:
    """One Text2Image frame through the engine (fresh image cache, model from the resource cache)."""
    doc = make_document(plugins=[plugin])
    doc.format = Format(size, size)
    node = doc.add("generators.Text2Image", model=str(model), prompt="the red sky over the sea", steps=steps,
                   guidance=7.5, seed=1, device=device)
    return timed(lambda: Evaluator(doc).evaluate(node, 1), repeats)


def bare_seconds(pipeline, size: int, steps: int, repeats: int) -> float:
    """The same generation called on diffusers directly (the peer)."""
    import torch

    def run():
        pipeline("the red sky over the sea", num_inference_steps=steps, guidance_scale=7.5, height=size,
                 width=size, generator=torch.Generator("cpu").manual_seed(1), output_type="np")

    return timed(run, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a diffusers model folder (default: build the tiny model)")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, nargs=2, default=(2, 10), metavar=("FEW", "MORE"))
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    rows: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    import diffusers  # noqa: F401 - timing the import is the point
    import torch

    rows.append(("import torch + diffusers", f"{time.perf_counter() - start:.2f} s", f"{peak_rss_mb():.0f} MB"))
    if args.threads:
        torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as scratch:
        if args.model:
            model = Path(args.model).resolve()
        else:
            from plugins.generators.tiny_models import build_tiny_pipeline

            start = time.perf_counter()
            model = build_tiny_pipeline(Path(scratch) / "tiny-sd")
            rows.append(("build + save the tiny model", f"{time.perf_counter() - start:.2f} s",
                         f"{peak_rss_mb():.0f} MB"))
        source = inspect_model(str(model))
        size_mb = sum(os.path.getsize(f) for f in source.files) / 2**20

        start = time.perf_counter()
        loaded = loading.load(source, "cpu")
        rows.append((f"model load, first in this process ({size_mb:.1f} MB)", f"{time.perf_counter() - start:.3f} s",
                     f"{peak_rss_mb():.0f} MB"))
        start = time.perf_counter()
        loading.load(source, "cpu")
        rows.append(("model load again, no model cache (files in the OS cache)", f"{time.perf_counter() - start:.3f} s",
                     f"{peak_rss_mb():.0f} MB"))
        cache = ResourceCache(budget_bytes=8 << 30)
        loading.cached(source, "cpu", cache=cache)
        start = time.perf_counter()
        loading.cached(inspect_model(str(model)), "cpu", cache=cache)
        rows.append(("model from the resource cache (check + fingerprint + hit)",
                     f"{(time.perf_counter() - start) * 1000:.2f} ms", ""))

        devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
        few, more = args.steps
        for device in devices:
            node_few = node_seconds(model, args.size, few, device, args.repeats)
            node_more = node_seconds(model, args.size, more, device, args.repeats)
            pipeline = loading.cached(source, device).pipeline if device == "cuda" else loaded.pipeline
            bare_few = bare_seconds(pipeline, args.size, few, args.repeats)
            bare_more = bare_seconds(pipeline, args.size, more, args.repeats)
            label = f"{device}{' fp16' if device == 'cuda' else ''}, {args.size}x{args.size}"
            for name, low, high in (("nodecomp Text2Image", node_few, node_more), ("bare diffusers", bare_few,
                                                                                    bare_more)):
                per_step = (high - low) / (more - few)
                rows.append((f"{name}, {label}: s/step (fixed cost)",
                             f"{per_step:.3f} s ({low - few * per_step:.3f} s)", f"{peak_rss_mb():.0f} MB"))
            if device == "cuda":
                rows.append(("peak CUDA memory allocated", f"{torch.cuda.max_memory_allocated() / 2**20:.0f} MB", ""))

    width = max(len(r[0]) for r in rows)
    print(f"torch {torch.__version__}, diffusers {diffusers.__version__}, {torch.get_num_threads()} torch threads, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<{width}}  {'time':>22}  {'peak RSS':>9}")
    for name, seconds, memory in rows:
        print(f"{name:<{width}}  {seconds:>22}  {memory:>9}")


if __name__ == "__main__":
    main()
