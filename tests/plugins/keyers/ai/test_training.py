import numpy as np
import pytest

from nodecomp.api import EvaluationError
from plugins.keyers.ai import models
from plugins.keyers.ai.architecture import UNetConfig
from plugins.keyers.ai.training import read_pair, synthetic_pairs, train_matte

pytest.importorskip("torch", reason="training needs torch (the ai extra)")


def test_training_writes_loadable_checkpoints_and_reports_progress(tiny_model):
    assert tiny_model.checkpoints == [tiny_model.path, tiny_model.path]  # steps 2 and 4
    assert len(tiny_model.losses) == 4 and all(np.isfinite(tiny_model.losses))
    model = models.load(tiny_model.path)
    assert model.kind == "safetensors" and model.multiple == 4


def test_loss_falls_when_fitting_one_small_set(tmp_path):
    calls = []
    result = train_matte(synthetic_pairs(1, 48, 32), tmp_path / "fit.safetensors", steps=25, batch_size=2, crop=32,
                         learning_rate=1e-2, config=UNetConfig(base_channels=4, depth=2), checkpoint_every=0,
                         progress=lambda step, total, loss: calls.append((step, total)))
    assert calls[0] == (1, 25) and calls[-1] == (25, 25)
    assert np.mean(result.losses[-5:]) < np.mean(result.losses[:5])


def test_resume_continues_from_a_saved_model(tiny_model, tmp_path):
    result = train_matte(synthetic_pairs(1, 64, 48), tmp_path / "more.safetensors", steps=1, batch_size=1, crop=32,
                         resume=tiny_model.path)
    assert models.load(result.path).multiple == 4  # the resumed architecture, not the default


def test_trimap_models_train_too(tmp_path):
    result = train_matte(synthetic_pairs(1, 64, 48), tmp_path / "tri.safetensors", steps=1, batch_size=1, crop=32,
                         config=UNetConfig(base_channels=4, depth=2, in_channels=4))
    assert models.load(result.path).in_channels == 4


def test_pairs_from_files_and_bad_inputs(tmp_path):
    import OpenImageIO as oiio

    plate, alpha = synthetic_pairs(1, 40, 30)[0]
    image_path, alpha_path = tmp_path / "plate.exr", tmp_path / "alpha.png"
    for path, pixels, kind in ((image_path, plate, "float"), (alpha_path, (alpha * 255).round()[..., None], "uint8")):
        out = oiio.ImageOutput.create(str(path))
        out.open(str(path), oiio.ImageSpec(40, 30, pixels.shape[-1], kind))
        out.write_image(pixels.astype(np.float32) / (255.0 if kind == "uint8" else 1.0))
        out.close()
    rgb, matte = read_pair(image_path, alpha_path)
    np.testing.assert_allclose(rgb, plate, atol=1e-6)
    np.testing.assert_allclose(matte, alpha, atol=1 / 255)
    with pytest.raises(EvaluationError, match="alpha is 40x30 but the image is 20x30"):
        read_pair(plate[:, :20], alpha)
    with pytest.raises(EvaluationError, match="cannot read the training image"):
        read_pair(tmp_path / "missing.exr", alpha)
    with pytest.raises(EvaluationError, match="no training pairs"):
        train_matte([], tmp_path / "x.safetensors")
    with pytest.raises(EvaluationError, match="cannot resume: wrong architecture"):
        (tmp_path / "bad.safetensors").write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00{}")
        train_matte([(plate, alpha)], tmp_path / "y.safetensors", resume=tmp_path / "bad.safetensors")
