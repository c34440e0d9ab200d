import numpy as np
import PyOpenColorIO as ocio

from plugins.show_look.encoding import cct_to_lin, lin_to_cct
from plugins.show_look.look_model import LookConfig, LookModel, initial_weights
from plugins.show_look.lut import apply_lut, apply_lut_cct, fit_lut, write_clf, write_cube
from tests.plugins.show_look.conftest import random_rgb


def _model():
    config = LookConfig(hidden=8, layers=2)
    rng = np.random.default_rng(2)
    weights = {k: (v + rng.normal(0, 0.2, v.shape)).astype(np.float32) for k, v in initial_weights(config, 1).items()}
    return LookModel(config, weights)


def _ocio(transform):
    config = ocio.Config.CreateFromFile("ocio://default")
    return config.getProcessor(transform).getDefaultCPUProcessor()


def test_an_identity_model_gives_an_identity_lut():
    config = LookConfig()
    table = fit_lut(LookModel(config, initial_weights(config, 0)), 17)
    cct = np.random.default_rng(0).random((50, 3)).astype(np.float32)
    np.testing.assert_allclose(apply_lut_cct(table, cct), cct, atol=1e-6)


def test_opencolorio_reads_the_cube_as_written(tmp_path):
    table = fit_lut(_model(), 17)
    path = write_cube(tmp_path / "look.cube", table)
    processor = _ocio(ocio.FileTransform(src=str(path), interpolation=ocio.INTERP_LINEAR))
    cct = np.random.default_rng(1).random((64, 3)).astype(np.float32)
    pixels = cct.copy()
    processor.applyRGB(pixels)
    np.testing.assert_allclose(pixels, apply_lut_cct(table, cct), atol=2e-5)


def test_the_clf_applies_the_look_to_scene_linear_acescg(tmp_path):
    table = fit_lut(_model(), 17)
    cube = write_cube(tmp_path / "look.cube", table)
    clf = write_clf(tmp_path / "look.clf", cube)
    assert "<LUT3D" in open(clf).read()
    rgb = random_rgb((32,), seed=3)
    pixels = rgb.copy()
    _ocio(ocio.FileTransform(src=str(clf))).applyRGB(pixels)
    expected = apply_lut(table, rgb)
    np.testing.assert_allclose(lin_to_cct(pixels), lin_to_cct(expected), atol=2e-4)
    assert np.abs(cct_to_lin(lin_to_cct(expected)) - expected).max() < 1e-4
