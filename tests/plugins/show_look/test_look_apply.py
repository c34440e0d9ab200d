import numpy as np
import pytest

from nodecomp.api import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import image, make_document, render_node, source
from plugins.show_look.apply import apply_look
from plugins.show_look.look_apply import LookApply
from plugins.show_look.look_model import LookConfig, LookModel, initial_weights, save_model
from tests.plugins.show_look.conftest import random_rgb


@pytest.fixture
def model_file(tmp_path):
    config = LookConfig(hidden=8, layers=2)
    rng = np.random.default_rng(0)
    weights = {k: (v + rng.normal(0, 0.05, v.shape)).astype(np.float32) for k, v in initial_weights(config, 0).items()}
    model = LookModel(config, weights)
    return model, save_model(model, tmp_path / "show.nclook")


def _plate(height=20, width=30):
    rgba = np.ones((height, width, 4), np.float32)
    rgba[..., :3] = random_rgb((height, width), seed=4)
    return rgba


def test_the_node_applies_the_model_and_keeps_alpha(model_file):
    model, path = model_file
    plate = _plate()
    out = render_node(LookApply, source=plate, model=path)
    np.testing.assert_allclose(out.pixels[..., :3], apply_look(model, plate[..., :3]), atol=1e-6)
    np.testing.assert_array_equal(out.pixels[..., 3], plate[..., 3])
    assert not out.pixels.flags.writeable or out.pixels is not plate


def test_tiles_give_the_same_pixels_as_one_pass(model_file):
    model, _ = model_file
    rgb = random_rgb((40, 50), seed=1)
    ticks = []
    tiled = apply_look(model, rgb, tile_pixels=1024, after_tile=lambda done, total: ticks.append((done, total)))
    np.testing.assert_allclose(tiled, apply_look(model, rgb, tile_pixels=1 << 20), atol=1e-6)
    assert ticks[-1] == (2, 2)


def test_torch_on_the_cpu_gives_the_numpy_pixels(model_file):
    model, _ = model_file
    rgb = random_rgb((9, 11), seed=2)
    np.testing.assert_allclose(apply_look(model, rgb, device="cpu"), apply_look(model, rgb, device="cpu"))
    from plugins.show_look.apply import _torch_runner
    from plugins.show_look.features import pixel_features

    features = pixel_features(rgb).reshape(-1, 9)
    np.testing.assert_allclose(_torch_runner(model, "cpu")(features), model.predict_cct(features), atol=1e-5)


def test_position_comes_from_the_display_window_not_the_data_window(model_file):
    model, _ = model_file
    full = random_rgb((20, 30), seed=6)
    whole = apply_look(model, full)
    crop = apply_look(model, full[5:15, 10:20], frame=(0, 0, 30, 20), origin=(10, 5))
    np.testing.assert_allclose(crop[2:-2, 2:-2], whole[7:13, 12:18], atol=1e-5)


def test_mix_zero_passes_the_input_through_and_half_blends(model_file):
    model, path = model_file
    plate = _plate()
    assert LookApply.pass_through({"mix": 0.0}) == "source"
    half = render_node(LookApply, source=plate, model=path, mix=0.5)
    full = apply_look(model, plate[..., :3])
    np.testing.assert_allclose(half.pixels[..., :3], 0.5 * (plate[..., :3] + full), rtol=1e-5, atol=1e-5)


def test_the_model_file_is_in_the_cache_key(model_file, tmp_path):
    _, path = model_file
    other = save_model(LookModel(LookConfig(), initial_weights(LookConfig(), 1)), tmp_path / "other.nclook")

    doc = make_document(LookApply)
    node = doc.add("LookApply", source(doc, _plate()), model=str(path))
    before = Evaluator(doc).hash(node, 1)
    node["model"] = str(other)
    assert Evaluator(doc).hash(node, 1) != before


def test_a_missing_model_file_is_an_error_before_computing(tmp_path):
    doc = make_document(LookApply)
    node = doc.add("LookApply", source(doc, _plate()), model=str(tmp_path / "gone.nclook"))
    with pytest.raises(EvaluationError, match="LookApply1.*look model file not found") as error:
        Evaluator(doc).hash(node, 1)
    assert error.value.path.endswith("gone.nclook") and ".nclook" in error.value.hint
    node["model"] = ""
    with pytest.raises(EvaluationError, match="no look model file is set"):
        Evaluator(doc).hash(node, 1)


def test_a_bad_model_file_is_an_error_naming_node_and_file(tmp_path):
    bad = tmp_path / "bad.nclook"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(EvaluationError, match="is not a look model") as error:
        render_node(LookApply, source=_plate(), model=str(bad))
    assert str(bad) in str(error.value) and "LookApply" in str(error.value)
    with pytest.raises(EvaluationError, match="no look model"):
        render_node(LookApply, source=_plate(), model="")


def test_an_image_without_rgb_is_refused(model_file):
    _, path = model_file
    depth = image(np.zeros((4, 4, 1), np.float32), channels=("depth.Z",))
    with pytest.raises(EvaluationError, match="no R, G and B"):
        render_node(LookApply, source=depth, model=path)
