import subprocess
import sys

import numpy as np
import OpenImageIO as oiio
import pytest


def write_exr(path, pixels):
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "half")
    spec.channelnames = ("R", "G", "B", "A")[: pixels.shape[2]]
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec) and out.write_image(pixels.astype(np.float32)) and out.close()


def read_exr(path):
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    try:
        return inp.read_image(0, 0, 0, inp.spec().nchannels, "float")
    finally:
        inp.close()


@pytest.fixture
def plates(tmp_path):
    """Two tiny RGBA sequences, frames 1-4."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "plates"
    folder.mkdir()
    for frame in range(1, 5):
        bg = rng.random((24, 32, 4), dtype=np.float32)
        bg[..., 3] = 1
        fg = np.zeros((24, 32, 4), np.float32)
        fg[4:12, 4 + frame : 12 + frame] = (0.5, 0.25, 0.1, 0.5)
        write_exr(folder / f"bg.{frame:04d}.exr", bg)
        write_exr(folder / f"fg.{frame:04d}.exr", fg)
    return folder


def run_cli(*args, cwd=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "nodecomp.cli.main", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=timeout,
    )
