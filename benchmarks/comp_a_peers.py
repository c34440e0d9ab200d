"""Peer implementations of the comp-A graph, to compare nodecomp against.

comp-A: FG (RGBA, premultiplied) -> Grade (RGB only: ``v = in * 1.2 + 0.01``, then
``v ** (1 / 1.1)`` where ``v > 0``, else ``v``) -> Gaussian blur sigma 4 on all four
channels (black outside the frame) -> FG over BG (``A + B * (1 - A.alpha)``) -> RGBA half
EXR, zip.

Variants (see ``VARIANTS``):

* ``floor``    -- the hand-written comp: OIIO read, numpy grade, OpenCV blur, numpy over,
  OIIO write. What a competent script costs; nodecomp should land close to it.
* ``io_floor`` -- the same reads and writes with no pixel maths: the I/O cost alone.
* ``oiiotool`` -- the same graph as one ``oiiotool`` command line.

``run_variant`` runs one variant in a fresh Python process, so each variant's peak RSS is
its own. The child entry point is this file's ``__main__``. Register further variants
(the lead adds ``nodecomp``) in ``VARIANTS``; any importable module-level function with
the signature ``(src, dst, frames, threads) -> None`` works.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

# numpy, OpenCV and OIIO are imported inside the functions that use them, not here. The
# child process that times oiiotool reads oiiotool's peak RSS from RUSAGE_CHILDREN, and on
# Linux a child's ru_maxrss starts at its parent's RSS at fork/exec time: with those
# libraries loaded the child is ~75 MB and every small oiiotool run would read as ~75 MB.
# Without them it is ~13 MB, below anything oiiotool itself uses.
if TYPE_CHECKING:
    import numpy as np

FG_PATTERN = "fg.%04d.exr"
BG_PATTERN = "bg.%04d.exr"
OUT_PATTERN = "comp.%04d.exr"

GRADE_GAIN = 1.2
GRADE_OFFSET = 0.01
GRADE_GAMMA = 1.0 / 1.1
BLUR_SIGMA = 4.0

# oiiotool --blur WxH builds make_kernel("gaussian", W, H). OIIO's gaussian filter of width
# w evaluates exp(-2 * (2x / w)**2) = exp(-x**2 / (2 * (w / 4)**2)) for |x| < w / 2, so its
# sigma is w / 4: width 16 <=> sigma 4. The kernel is cut off at 2 sigma (17 taps, the edge
# taps are 0) and renormalised, while OpenCV keeps 4 sigma (33 taps), so oiiotool's blur is
# slightly narrower (std of the truncated kernel ~3.4 px). Width 17 would be the closest in
# L1 to OpenCV's kernel, but 16 is the one whose nominal sigma is 4, so that is what we use.
OIIOTOOL_BLUR_WIDTH = 16

# OpenEXR's own thread pool ("exr_threads"). Measured on the 2-core dev box, 1920x1080,
# 8 frames, 2 frames in flight, several interleaved runs (ms/frame, floor / io_floor; the
# box is shared, so runs scatter by +-15%):
#   0 (pool of one thread per core, OIIO's default): 234-267 / 194-222
#   -1 (no pool, (de)compress on the calling thread): 233-270 / 195-209
#   2:                                                244-278 / 184-197
#   1 (one shared pool thread serialises zip work):   272-295 / 247-261
# 0, -1 and 2 tie within noise; 1 is clearly worse. We keep OIIO's default, 0.
EXR_THREADS = 0


RenderFn = Callable[[Path, Path, int, int], None]


# ---------------------------------------------------------------------------------------
# I/O


def _configure_io() -> None:
    """Apply the measured OIIO threading settings (process-wide, so set once per render)."""
    import OpenImageIO as oiio

    oiio.attribute("exr_threads", EXR_THREADS)


def read_rgba(path: Path) -> np.ndarray:
    """Read an RGBA EXR as a contiguous (h, w, 4) float32 array; raise on error.

    ``ImageInput.read_image`` rather than ``ImageBuf``: at 1920x1080 a read costs ~31 ms
    vs ~33-39 ms (best of 8) and io_floor runs tie within noise; ImageInput keeps no cache.
    Note ``read_image(0, 0, 0, -1, ...)`` returns ONE channel in OIIO 3.2's Python binding,
    so the channel range is explicit.
    """
    import OpenImageIO as oiio

    inp = oiio.ImageInput.open(str(path))
    if inp is None:
        raise OSError(f"cannot open {path}: {oiio.geterror()}")
    try:
        nch = inp.spec().nchannels
        if nch != 4:
            raise OSError(f"{path}: expected 4 channels, got {nch}")
        pixels = inp.read_image(0, 0, 0, nch, "float")
        if pixels is None or inp.has_error:
            raise OSError(f"cannot read {path}: {inp.geterror()}")
    finally:
        inp.close()
    return pixels


def write_rgba_half(path: Path, pixels: np.ndarray) -> None:
    """Write an (h, w, 4) float32 array as RGBA half EXR, zip (OIIO converts); raise on error."""
    import OpenImageIO as oiio

    height, width, nch = pixels.shape
    spec = oiio.ImageSpec(width, height, nch, "half")
    spec.channelnames = ("R", "G", "B", "A")
    spec.alpha_channel = 3
    spec.attribute("compression", "zip")
    out = oiio.ImageOutput.create(str(path))
    if out is None:
        raise OSError(f"cannot create an image writer for {path}: {oiio.geterror()}")
    try:
        if not out.open(str(path), spec):
            raise OSError(f"cannot open {path} for writing: {out.geterror()}")
        if not out.write_image(pixels):
            raise OSError(f"cannot write {path}: {out.geterror()}")
    finally:
        ok = out.close()
    if not ok or out.has_error:
        raise OSError(f"cannot finish writing {path}: {out.geterror()}")


def _run_frames(render_one: Callable[[int], None], frames: int, threads: int) -> None:
    """Render frames 1..N with at most ``threads`` frames in flight; re-raise the first error.

    Executor workers pull frame numbers one at a time, so only ``threads`` frames hold
    pixel buffers at once. numpy, OpenCV and OIIO release the GIL in their heavy loops.
    """
    if threads <= 1:
        for frame in range(1, frames + 1):
            render_one(frame)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for _ in pool.map(render_one, range(1, frames + 1)):
            pass


# ---------------------------------------------------------------------------------------
# Pixel maths


def grade_inplace(img: np.ndarray) -> None:
    """comp-A grade on a contiguous RGBA float32 array, RGB only, alpha left as it was.

    Fastest exact form measured (1920x1080, one core): operate on the whole contiguous
    array with scalar constants and restore alpha afterwards (~35 ms). The same maths on the
    strided ``img[..., :3]`` view takes ~100 ms (ufuncs lose their SIMD loops on a stride-4
    view); copying RGB out to a contiguous array and back ~42 ms; the mask-free
    ``max(v, 0) ** g + min(v, 0)`` form ~52 ms. ``where=`` leaves ``v <= 0`` untouched.
    """
    import numpy as np

    alpha = img[:, :, 3].copy()
    img *= np.float32(GRADE_GAIN)
    img += np.float32(GRADE_OFFSET)
    np.power(img, np.float32(GRADE_GAMMA), out=img, where=img > 0)
    img[:, :, 3] = alpha


def blur(img: np.ndarray) -> np.ndarray:
    """Gaussian sigma 4 on all channels, black outside the frame (the EXR convention)."""
    import cv2

    return cv2.GaussianBlur(img, (0, 0), sigmaX=BLUR_SIGMA, sigmaY=BLUR_SIGMA, borderType=cv2.BORDER_CONSTANT)


def over_inplace(fg: np.ndarray, bg: np.ndarray) -> None:
    """Premultiplied ``fg over bg``, all four channels, result in ``bg``."""
    import numpy as np

    k = np.subtract(np.float32(1.0), fg[:, :, 3:4])
    bg *= k
    bg += fg


# ---------------------------------------------------------------------------------------
# Variants


def render_floor(src: str | Path, dst: str | Path, frames: int, threads: int) -> None:
    """The hand-written comp-A: the lower bound a node graph engine is measured against."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    _configure_io()

    def one(frame: int) -> None:
        fg = read_rgba(src / (FG_PATTERN % frame))
        bg = read_rgba(src / (BG_PATTERN % frame))
        grade_inplace(fg)
        fg = blur(fg)
        over_inplace(fg, bg)
        write_rgba_half(dst / (OUT_PATTERN % frame), bg)

    _run_frames(one, frames, threads)


def render_io_floor(src: str | Path, dst: str | Path, frames: int, threads: int) -> None:
    """Read FG and BG, write BG: the cost of the I/O alone, no pixel maths."""
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    _configure_io()

    def one(frame: int) -> None:
        read_rgba(src / (FG_PATTERN % frame))
        bg = read_rgba(src / (BG_PATTERN % frame))
        write_rgba_half(dst / (OUT_PATTERN % frame), bg)

    _run_frames(one, frames, threads)


def oiiotool_path() -> str:
    """The oiiotool shipped in the OpenImageIO wheel (next to the interpreter), else PATH's."""
    local = Path(sys.executable).parent / "oiiotool"
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    found = shutil.which("oiiotool")
    if found is None:
        raise FileNotFoundError("oiiotool not found next to sys.executable nor on PATH")
    return found


def oiiotool_command(src: str | Path, dst: str | Path, frames: int, *, threads: int | None = None) -> list[str]:
    """comp-A as one oiiotool command line over frames 1..N.

    The stack: graded and blurred FG, then BG, then ``--over`` (first image over second).
    Per-channel constants leave alpha alone in the grade (mul 1, add 0, pow 1). OIIO's
    convolution clamps at the image edge (a constant image stays constant), so the FG is
    padded with ``pad`` black pixels (``--crop`` past the data window, assumed to start at
    0,0) before ``--blur`` and cropped back with ``--croptofull``: black outside the frame,
    like BORDER_CONSTANT. With that, the output matches a numpy emulation of the same graph
    with OIIO's width-16 kernel to half precision (max abs 0.0005). oiiotool's
    ``--powc`` on values <= 0 follows C ``pow`` (NaN for negatives); the comp-A media keeps
    graded RGB positive, so both paths agree there. ``threads`` maps to ``--threads``
    (None: oiiotool's default, one per core). oiiotool renders one frame at a time.
    """
    g = f"{GRADE_GAMMA:.9g}"
    gain, offset = f"{GRADE_GAIN:g}", f"{GRADE_OFFSET:g}"
    pad = OIIOTOOL_BLUR_WIDTH // 2  # the kernel's radius
    cmd = [oiiotool_path()]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    cmd += [
        "--frames", f"1-{frames}",
        str(Path(src) / FG_PATTERN),
        "--mulc", f"{gain},{gain},{gain},1",
        "--addc", f"{offset},{offset},{offset},0",
        "--powc", f"{g},{g},{g},1",
        "--crop", f"{{TOP.width+{2 * pad}}}x{{TOP.height+{2 * pad}}}-{pad}-{pad}",
        "--blur", f"{OIIOTOOL_BLUR_WIDTH}x{OIIOTOOL_BLUR_WIDTH}",
        "--croptofull",
        str(Path(src) / BG_PATTERN),
        "--over",
        "-d", "half",
        "--compression", "zip",
        "-o", str(Path(dst) / OUT_PATTERN),
    ]  # fmt: skip
    return cmd


def render_oiiotool(src: str | Path, dst: str | Path, frames: int, threads: int) -> None:
    """Run the oiiotool command line; raise with its output if it fails."""
    Path(dst).mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        oiiotool_command(src, dst, frames, threads=threads), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"oiiotool failed ({proc.returncode}): {(proc.stderr or proc.stdout)[-2000:]}")


# Peak RSS of render_oiiotool is oiiotool's, not the Python process that launches it.
render_oiiotool.rss_from_children = True  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------
# Registry and runner
#
# HOOK: register more variants here, e.g. VARIANTS["nodecomp"] = render_nodecomp, with the
# signature (src, dst, frames, threads) -> None. The function must live at module level in
# an importable module (or in the script run as __main__): run_variant re-imports it in the
# child process. Give it ``rss_from_children = True`` if the work happens in subprocesses.

VARIANTS: dict[str, RenderFn] = {
    "floor": render_floor,
    "io_floor": render_io_floor,
    "oiiotool": render_oiiotool,
}


def _is_builtin(fn: RenderFn) -> bool:
    """True for the functions defined in this file (resolved by name in the child)."""
    return fn in (render_floor, render_io_floor, render_oiiotool)


def _callable_ref(fn: RenderFn) -> tuple[str, str | None]:
    """('module:qualname', file) telling the child how to import a registered function."""
    module = sys.modules.get(fn.__module__)
    path = getattr(module, "__file__", None)
    if "<locals>" in fn.__qualname__ or "<lambda>" in fn.__qualname__:
        raise ValueError(f"variant {fn!r} must be a module-level function to run in a subprocess")
    return f"{fn.__module__}:{fn.__qualname__}", (str(Path(path).resolve()) if path else None)


def _load_callable(ref: str, file: str | None) -> RenderFn:
    """Import ``module:qualname`` (a script run as __main__ is loaded from its file)."""
    module_name, _, qualname = ref.partition(":")
    module: Any = None
    if module_name != "__main__":  # the child's __main__ is this file, not the parent's script
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
    if module is None:
        if file is None:
            raise ImportError(f"cannot import {ref}")
        spec = importlib.util.spec_from_file_location("_comp_a_registered_variant", file)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {file}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    target: Any = module
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def run_variant(name: str, src: str | Path, dst: str | Path, frames: int, threads: int) -> dict[str, Any]:
    """Run one registered variant in a fresh Python process and return its measurements.

    Returns the child's JSON: ``variant``, ``ms_per_frame`` (wall time around the render
    only, imports excluded), ``peak_rss_mb`` (the child's own peak, VmHWM; or its largest
    subprocess's ru_maxrss for variants flagged ``rss_from_children``), plus ``frames``,
    ``threads``, ``wall_s``, ``cpu_ms_per_frame`` (user + system, children included),
    ``baseline_rss_mb`` (peak before rendering: interpreter and imports) and the raw
    self/children peaks.
    """
    if name not in VARIANTS:
        raise ValueError(f"unknown variant {name!r}; registered: {sorted(VARIANTS)}")
    fn = VARIANTS[name]
    cmd = [
        sys.executable, str(Path(__file__).resolve()),
        "--variant", name, "--src", str(src), "--dst", str(dst),
        "--frames", str(frames), "--threads", str(threads),
    ]  # fmt: skip
    if not _is_builtin(fn):
        ref, file = _callable_ref(fn)
        cmd += ["--callable", ref]
        if file:
            cmd += ["--callable-file", file]
        if getattr(fn, "rss_from_children", False):
            cmd += ["--rss-from-children"]
    env = dict(os.environ)
    # The child sees the same import path as this process, so registered modules import.
    env["PYTHONPATH"] = os.pathsep.join([p for p in sys.path if p] + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"variant {name!r} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"variant {name!r} printed no JSON result:\n{proc.stdout[-2000:]}")


def _maxrss_mb(who: int) -> float:
    """ru_maxrss in MiB (Linux reports KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024.0


def _cpu_s() -> float:
    """User + system CPU seconds of this process and its waited-for children.

    Reported next to wall time: on a shared box, wall time swings with other jobs while CPU
    time mostly does not, so the two together show whether a run was disturbed.
    """
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _peak_rss_self_mb() -> float:
    """This process's own peak RSS in MiB.

    Linux's RUSAGE_SELF ru_maxrss survives exec: a child launched from a big process
    reports at least its parent's RSS (the benchmark driver's, here). VmHWM in
    /proc/self/status is the high-water mark of the current address space only, so it is
    used where it exists.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _maxrss_mb(resource.RUSAGE_SELF)


def _child_main(argv: list[str] | None = None) -> None:
    """Child entry point: render once, print one JSON line with time and peak RSS."""
    parser = argparse.ArgumentParser(description="Run one comp-A peer variant and print JSON.")
    parser.add_argument("--variant", required=True)
    parser.add_argument("--src", required=True)
    parser.add_argument("--dst", required=True)
    parser.add_argument("--frames", type=int, required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--callable", help="module:qualname of a variant not defined in this file")
    parser.add_argument("--callable-file", help="file to load --callable's module from if not importable")
    parser.add_argument("--rss-from-children", action="store_true")
    args = parser.parse_args(argv)

    if args.callable:
        fn = _load_callable(args.callable, args.callable_file)
        from_children = args.rss_from_children or getattr(fn, "rss_from_children", False)
    elif args.variant in VARIANTS:
        fn = VARIANTS[args.variant]
        from_children = getattr(fn, "rss_from_children", False)
    else:
        parser.error(f"unknown variant {args.variant!r}; registered: {sorted(VARIANTS)}")

    if not from_children:
        # Import the pixel libraries before the clock starts: the timing covers the render
        # only. (Skipped for subprocess variants, to keep this process small; see top.)
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import OpenImageIO  # noqa: F401

    baseline = _peak_rss_self_mb()
    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    fn(Path(args.src), Path(args.dst), args.frames, args.threads)
    wall = time.perf_counter() - t0
    cpu = _cpu_s() - cpu0
    self_mb = _peak_rss_self_mb()
    children_mb = _maxrss_mb(resource.RUSAGE_CHILDREN)
    result = {
        "variant": args.variant,
        "ms_per_frame": round(wall * 1000.0 / args.frames, 1),
        "peak_rss_mb": round(children_mb if from_children else self_mb, 1),
        "frames": args.frames,
        "threads": args.threads,
        "wall_s": round(wall, 3),
        "cpu_ms_per_frame": round(cpu * 1000.0 / args.frames, 1),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_self_mb": round(self_mb, 1),
        "peak_rss_children_mb": round(children_mb, 1),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    _child_main()
