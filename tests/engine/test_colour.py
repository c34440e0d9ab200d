import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.engine.colour import ColourManager


def test_builtin_config_and_working_space():
    manager = ColourManager()
    assert manager.working_space == "ACEScg"
    assert "sRGB Encoded Rec.709 (sRGB)" in manager.colorspaces()
    assert manager.is_identity("scene_linear", "ACEScg")


def test_convert_matches_ocio_and_leaves_alpha():
    import PyOpenColorIO as ocio

    manager = ColourManager()
    pixels = np.random.default_rng(1).random((4, 5, 4), dtype=np.float32)
    out = manager.convert(pixels, "sRGB Encoded Rec.709 (sRGB)", "ACEScg", [0, 1, 2])
    cpu = manager.config.getProcessor("sRGB Encoded Rec.709 (sRGB)", "ACEScg").getDefaultCPUProcessor()
    expected = np.ascontiguousarray(pixels[..., :3])
    cpu.applyRGB(expected)
    np.testing.assert_allclose(out[..., :3], expected, rtol=1e-6)
    np.testing.assert_array_equal(out[..., 3], pixels[..., 3])
    assert isinstance(ocio.__version__, str)


def test_unknown_space_and_bad_config_are_clear():
    manager = ColourManager()
    with pytest.raises(EvaluationError, match="unknown colour space 'Nope'"):
        manager.canonical("Nope")
    with pytest.raises(EvaluationError, match="cannot load the OCIO config"):
        ColourManager("/no/such/config.ocio")


def test_ocio_env_var_and_document_setting_override(monkeypatch):
    monkeypatch.setenv("OCIO", "ocio://cg-config-latest")
    from_env = ColourManager()
    assert from_env.source == "ocio://cg-config-latest"
    assert len(from_env.colorspaces()) < len(ColourManager("ocio://studio-config-latest").colorspaces())
    explicit = ColourManager("ocio://studio-config-latest", working_space="ACES2065-1")
    assert explicit.source == "ocio://studio-config-latest"
    assert explicit.working_space == "ACES2065-1"
