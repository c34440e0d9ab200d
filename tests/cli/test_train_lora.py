"""`nodecomp train-lora`: trains on a folder or glob of images and writes a LoRA the nodes load."""

import subprocess
import sys

import numpy as np
import OpenImageIO as oiio
import pytest

from nodecomp.cli.main import main
from nodecomp.cli.train_lora import captions_for

pytest.importorskip("peft", reason="LoRA training needs peft (the ai extra)")

SMALL = ["--steps", "4", "--resolution", "64", "--lr", "1e-2", "--device", "cpu"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from plugins.generators.tiny_models import build_tiny_pipeline

    return build_tiny_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture
def images(tmp_path):
    folder = tmp_path / "approved"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in ("a", "b", "c", "d"):
        pixels = rng.random((48, 64, 3)).astype(np.float32)
        out = oiio.ImageOutput.create(str(folder / f"{name}.png"))
        assert out.open(str(folder / f"{name}.png"), oiio.ImageSpec(64, 48, 3, "uint8"))
        assert out.write_image(pixels) and out.close()
    return folder


@pytest.fixture(autouse=True)
def _one_torch_thread():
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_a_folder_of_images_trains_a_loadable_lora(tiny_model, images, tmp_path, capsys):
    from safetensors.numpy import load_file

    out = tmp_path / "show.safetensors"
    assert main(["train-lora", "--model", str(tiny_model), "--images", str(images), "--prompt", "the red sky",
                 "--out", str(out), *SMALL]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert "trained on 4 images" in captured.err
    assert any(key.endswith(".lora.up.weight") for key in load_file(str(out)))


def test_a_glob_and_captions(tiny_model, images, tmp_path, capsys):
    (images / "a.txt").write_text("the sea\n")
    chosen = sorted(images.glob("[ab].png"))
    assert captions_for(chosen, "the fog") == ["the sea", "the fog"]
    out = tmp_path / "glob.safetensors"
    assert main(["train-lora", "--model", str(tiny_model), "--images", str(images / "[ab].png"), "--captions",
                 "--prompt", "the fog", "--out", str(out), *SMALL]) == 0
    assert "trained on 2 images" in capsys.readouterr().err and out.is_file()


def test_a_folder_without_images_is_a_one_line_error(tiny_model, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["train-lora", "--model", str(tiny_model), "--images", str(empty), "--prompt", "x",
                 "--out", str(tmp_path / "x.safetensors"), *SMALL]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"nodecomp: error: file {empty}: no training images found")
    assert len(error.splitlines()) == 1


def test_the_command_is_listed_and_imports_no_torch():
    code = ("import sys; from nodecomp.cli.main import build_parser; "
            "text = build_parser().format_help(); assert 'train-lora' in text, text; "
            "assert 'torch' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
