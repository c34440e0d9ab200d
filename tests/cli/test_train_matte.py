"""`nodecomp train-matte`: trains on folders of pairs or synthetic shots; the result loads as a model."""

import numpy as np
import OpenImageIO as oiio
import pytest

from nodecomp.cli.main import main
from tests.cli.conftest import run_cli

pytest.importorskip("torch", reason="training needs torch (the ai extra)")

SMALL = ["--steps", "2", "--batch-size", "1", "--crop", "32", "--base-channels", "4", "--depth", "2",
         "--device", "cpu", "--checkpoint-every", "0"]


def _png(path, pixels):
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "uint8"))
    assert out.write_image(pixels.astype(np.float32)) and out.close()


def test_synthetic_training_writes_a_loadable_model(tmp_path, capsys):
    from plugins.keyers.ai import models

    out = tmp_path / "demo.safetensors"
    assert main(["train-matte", "--synthetic", "1", "--out", str(out), *SMALL]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert models.load(str(out)).multiple == 4


def test_folders_of_pairs(tmp_path):
    images, alphas = tmp_path / "images", tmp_path / "alphas"
    images.mkdir()
    alphas.mkdir()
    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        _png(images / f"{name}.png", rng.random((40, 48, 3)))
        _png(alphas / f"{name}.png", rng.random((40, 48, 1)))
    assert main(["train-matte", "--images", str(images), "--alphas", str(alphas),
                 "--out", str(tmp_path / "m.safetensors"), *SMALL]) == 0
    (images / "c.png").write_bytes((images / "a.png").read_bytes())
    result = run_cli("train-matte", "--images", images, "--alphas", alphas, "--out", tmp_path / "n.safetensors",
                     *SMALL)
    assert result.returncode == 1
    assert "c.png: no alpha named c.* in" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_help_lists_the_command():
    result = run_cli("--help")
    assert "train-matte" in result.stdout
