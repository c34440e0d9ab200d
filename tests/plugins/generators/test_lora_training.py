"""LoRA training on approved frames: a finite loss, a file the generator nodes load, cancel, errors."""

import numpy as np
import OpenImageIO as oiio
import pytest

from nodecomp.api import CancelledError, EvaluationError
from nodecomp.testing import render_frame
from plugins.generators.lora_training import image_files, read_model_rgb, square_crop, train_lora
from tests.plugins.generators.helpers import add_text2image, generator_document

pytest.importorskip("peft")

FAST = {"steps": 8, "rank": 4, "lr": 1e-2, "seed": 3, "resolution": 64}


def _write(path, pixels, fmt="uint8"):
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], fmt))
    assert out.write_image(pixels.astype(np.float32)) and out.close()


@pytest.fixture(scope="module")
def approved(tmp_path_factory):
    """Four synthetic "approved frames": warm gradients with a dark band, as PNG files."""
    folder = tmp_path_factory.mktemp("approved")
    ys, xs = np.mgrid[0:72, 0:96] / 96.0
    for index in range(4):
        frame = np.stack([0.6 + 0.3 * xs, 0.3 + 0.2 * ys, 0.1 + 0.05 * index + 0 * xs], axis=2)
        frame[20 + 8 * index: 28 + 8 * index] *= 0.3
        _write(folder / f"frame{index}.png", np.clip(frame, 0, 1))
    return folder


@pytest.fixture(scope="module")
def trained(tiny_model, approved, tmp_path_factory):
    """(LoRA file, losses, progress calls) of one short training run (one torch thread, like the tests)."""
    import torch

    losses, calls = [], []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("trained") / "show.safetensors"
    try:
        path = train_lora(tiny_model, image_files(approved), "the red sky", out=out, losses=losses,
                          progress=lambda *args: calls.append(args), **FAST)
    finally:
        torch.set_num_threads(threads)
    return path, losses, calls


def _render(doc, model, loras=""):
    return render_frame(doc, add_text2image(doc, model, seed=8, loras=loras)).pixels


def test_training_reports_a_finite_loss_every_step(trained):
    path, losses, calls = trained
    assert path.is_file() and path.suffix == ".safetensors"
    assert len(losses) == FAST["steps"] and np.isfinite(losses).all()
    assert [c[:2] for c in calls] == [(step, FAST["steps"]) for step in range(1, FAST["steps"] + 1)]
    assert [c[2] for c in calls] == losses


def test_the_trained_lora_loads_through_a_text2image_node(tiny_model, trained):
    path, _losses, _calls = trained
    doc = generator_document()
    base = _render(doc, tiny_model)
    styled = _render(doc, tiny_model, f"{path} 1.0")
    assert np.abs(styled - base).max() > 1e-3
    np.testing.assert_array_equal(_render(doc, tiny_model, f"{path} 0"), base)


def test_the_same_seed_gives_the_same_file(tiny_model, approved, tmp_path):
    from safetensors.numpy import load_file

    settings = {**FAST, "steps": 3}
    runs = []
    for out in (tmp_path / "a.safetensors", tmp_path):
        losses = []
        path = train_lora(tiny_model, image_files(approved), "the red sky", out=out, losses=losses, **settings)
        runs.append((load_file(str(path)), losses))
    assert path == tmp_path / "pytorch_lora_weights.safetensors"
    (first, first_losses), (second, second_losses) = runs
    assert first_losses == second_losses
    assert first.keys() == second.keys() and all(np.array_equal(first[k], second[k]) for k in first)


def test_cancel_stops_early_and_writes_nothing(tiny_model, approved, tmp_path):
    calls = []
    out = tmp_path / "cancelled.safetensors"
    with pytest.raises(CancelledError, match="cancelled at step 3 of 8"):
        train_lora(tiny_model, image_files(approved), "the red sky", out=out,
                   progress=lambda *args: calls.append(args), cancel=lambda: len(calls) >= 3, **FAST)
    assert len(calls) == 3 and not out.exists()


def test_a_folder_without_images_is_named(tmp_path):
    (tmp_path / "notes.txt").write_text("no pictures here")
    with pytest.raises(EvaluationError, match="no training images found") as caught:
        image_files(tmp_path)
    assert caught.value.path == str(tmp_path)
    with pytest.raises(EvaluationError, match="no training images found"):
        image_files(str(tmp_path / "*.png"))


def test_bad_settings_are_refused_before_loading_the_model(tmp_path):
    image = np.full((16, 16, 3), 0.5, np.float32)
    with pytest.raises(EvaluationError, match="no training images were given"):
        train_lora(tmp_path, [], "x", out=tmp_path / "a.safetensors")
    with pytest.raises(EvaluationError, match="multiple of 8"):
        train_lora(tmp_path, [image], "x", out=tmp_path / "a.safetensors", resolution=60)
    with pytest.raises(EvaluationError, match="must end in .safetensors"):
        train_lora(tmp_path, [image], "x", out=tmp_path / "a.bin")
    with pytest.raises(EvaluationError, match="2 captions were given for 1 images"):
        train_lora(tmp_path, [image], ["a", "b"], out=tmp_path / "a.safetensors")


def test_an_unreadable_image_is_named(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    with pytest.raises(EvaluationError, match="cannot read the training image") as caught:
        read_model_rgb(broken)
    assert caught.value.path == str(broken)


def test_float_files_are_encoded_to_srgb_and_integer_files_kept(tmp_path):
    linear = np.full((8, 8, 3), 0.18, np.float32)
    _write(tmp_path / "grey.exr", linear, "float")
    np.testing.assert_allclose(read_model_rgb(tmp_path / "grey.exr"), 0.4613, atol=1e-3)
    _write(tmp_path / "grey.png", np.full((8, 8, 3), 0.5, np.float32))
    np.testing.assert_allclose(read_model_rgb(tmp_path / "grey.png"), 128 / 255, atol=1e-6)


def test_frames_are_centre_cropped_to_a_square():
    frame = np.zeros((40, 80, 3), np.float32)
    frame[:, 20:60] = 1.0
    square = square_crop(frame, 16)
    assert square.shape == (16, 16, 3) and square.min() == 1.0
