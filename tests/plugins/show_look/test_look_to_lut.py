"""LookToLUT: the fitted LUT on the input, and Export LUT writing .cube and CLF with the LUT's error."""

import os

import numpy as np
import PyOpenColorIO as ocio
import pytest

import nodecomp as nc
from nodecomp.api import EvaluationError, Format
from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import make_document, render_frame, render_node, source
from plugins.show_look.look_model import LookConfig, LookModel, initial_weights, save_model
from plugins.show_look.look_to_lut import LookToLUT
from plugins.show_look.lut import apply_lut, fit_lut
from tests.plugins.show_look.conftest import random_rgb, write_plates


@pytest.fixture
def model_file(tmp_path):
    config = LookConfig(hidden=8, layers=2)
    rng = np.random.default_rng(3)
    weights = {k: (v + rng.normal(0, 0.1, v.shape)).astype(np.float32) for k, v in initial_weights(config, 0).items()}
    model = LookModel(config, weights)
    return model, save_model(model, tmp_path / "looks" / "show.nclook")


def test_the_node_shows_the_fitted_lut_and_keeps_alpha(model_file):
    model, path = model_file
    plate = np.ones((12, 20, 4), np.float32)
    plate[..., :3] = random_rgb((12, 20), seed=8)
    doc = make_document(LookToLUT)
    node = doc.add("show_look.LookToLUT", source(doc, plate), model=path)
    out = render_frame(doc, node)
    np.testing.assert_allclose(out.pixels[..., :3], apply_lut(fit_lut(model, 33), plate[..., :3]), atol=1e-6)
    np.testing.assert_array_equal(out.pixels[..., 3], plate[..., 3])
    node["size"] = "65"
    finer = render_frame(doc, node)
    np.testing.assert_allclose(finer.pixels[..., :3], apply_lut(fit_lut(model, 65), plate[..., :3]), atol=1e-6)
    assert np.abs(finer.pixels - out.pixels).max() > 0


def test_a_missing_model_is_named(tmp_path):
    with pytest.raises(EvaluationError, match="look model file not found"):
        render_node(LookToLUT, source=np.ones((2, 2, 4), np.float32), model=str(tmp_path / "none.nclook"))


def test_export_writes_cube_and_clf_atomically_and_reports_the_error(model_file, tmp_path):
    model, path = model_file
    write_plates(tmp_path / "plates", count=2, size=(20, 12))
    doc = nc.Document()
    doc.format = Format(20, 12)
    doc.frame_range = (1, 2)
    plate = doc.add("Read", file=str(tmp_path / "plates" / "before.####.exr"))
    node = doc.add("show_look.LookToLUT", plate, model=path, check_frames="1-2")
    events = []
    result = nc.run_action(doc, node, "export", on_progress=events.append)
    cube, clf = tmp_path / "looks" / "show.cube", tmp_path / "looks" / "show.clf"
    assert result.message.startswith(f"wrote {cube} and {clf}; LUT vs network on 2 frames, Delta E 2000 mean / p95")
    assert sorted(os.listdir(tmp_path / "looks")) == ["show.clf", "show.cube", "show.nclook"]  # no temporary files
    assert "LUT_3D_SIZE 33" in cube.read_text()
    values = events[-1].values
    assert values["delta_e_mean"] > values["colour_delta_e_mean"] >= 0.0 and values["delta_e_p95"] > 0
    # any OCIO tool applying the CLF to the plate sees what the node shows
    shown = Evaluator(doc).evaluate(node, 1).pixels[..., :3]
    pixels = np.ascontiguousarray(Evaluator(doc).evaluate(plate, 1).pixels[..., :3])
    config = ocio.Config.CreateFromFile("ocio://default")
    config.getProcessor(ocio.FileTransform(src=str(clf))).getDefaultCPUProcessor().applyRGB(pixels)
    np.testing.assert_allclose(pixels, shown, rtol=2e-3, atol=1e-4)


def test_export_to_a_chosen_path_measures_the_current_frame(model_file, tmp_path):
    _, path = model_file
    doc = nc.Document()
    doc.format = Format(8, 4)
    node = doc.add("show_look.LookToLUT", doc.add("Constant", color=(0.2, 0.1, 0.05, 1.0)), model=path, size="65",
                   lut=str(tmp_path / "out" / "stage.cube"))
    result = nc.run_action(doc, node, "export")
    assert "LUT vs network on 1 frames" in result.message
    assert "LUT_3D_SIZE 65" in (tmp_path / "out" / "stage.cube").read_text()
    assert (tmp_path / "out" / "stage.clf").is_file()
