"""nodecomp.testing: the helpers a node author's tests use, and its pytest plugin."""

import subprocess
import sys
import textwrap
import tomllib

import numpy as np
import OpenImageIO as oiio
import pytest

from nodecomp.api import Box, Float, Image, Input, NodeType, Plugin
from nodecomp.core.errors import PluginError
from nodecomp.testing import (
    assert_images_close,
    check_plugin,
    check_request_contract,
    image,
    make_document,
    plugin_problems,
    render_frame,
    render_node,
    source,
)

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


class Double(NodeType):
    """Doubles every channel."""

    type_id = "testing_test.Double"
    inputs = (Input("source", doc="The image."),)
    params = (Float("amount", default=2.0, doc="Factor."),)

    @staticmethod
    def compute(ctx, source, amount):
        return source.with_pixels(source.pixels * np.float32(amount))


class Undocumented(NodeType):
    type_id = "testing_test.Undocumented"
    params = (Float("gain"),)

    @staticmethod
    def compute(ctx, gain):
        return Image.blank(ctx.format_box)


def test_render_node_feeds_arrays_and_returns_numpy():
    pixels = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    result = render_node(Double, source=pixels, amount=3.0)
    assert isinstance(result.pixels, np.ndarray) and result.channels == ("R", "G", "B", "A")
    np.testing.assert_array_equal(result.pixels, pixels * 3)


def test_render_node_by_name_and_without_inputs():
    result = render_node("Constant", color=(1.0, 0.5, 0.25, 1.0), size=(5, 4))
    assert result.data_window == Box(0, 0, 5, 4) and result.pixels[3, 4, 1] == 0.5


def test_size_is_the_param_of_a_node_that_has_one():
    pixels = np.zeros((9, 9, 4), np.float32)
    pixels[4, 4] = 1.0
    blurred = render_node("Blur", source=pixels, size=(1.0, 1.0))
    assert 0 < blurred.pixels[4, 4, 0] < 1 and blurred.pixels[4, 5, 0] > 0
    wide = render_node("Constant", color=(1.0, 1.0, 1.0, 1.0), format_size=(7, 3))
    assert wide.data_window == Box(0, 0, 7, 3)


def test_graphs_of_several_nodes():
    doc = make_document(Double, size=(8, 6), frames=(1, 3))
    a = source(doc, np.ones((6, 8, 4), np.float32), name="plate")
    out = doc.add("testing_test.Double", doc.add("testing_test.Double", a), amount=0.5)
    assert doc.format.width == 8 and doc.frame_range == (1, 3) and doc["plate"] is a
    np.testing.assert_array_equal(render_frame(doc, out, 2).pixels, np.ones((6, 8, 4)))


def test_image_channels_and_origin():
    assert image(np.zeros((2, 2, 3))).channels == ("R", "G", "B")
    assert image(np.zeros((2, 2)), ("Y",), x=3, y=1).data_window == Box(3, 1, 5, 3)
    with pytest.raises(ValueError, match="name the channels"):
        image(np.zeros((2, 2, 5)))


def test_comparison_passes_within_tolerance_and_treats_nan_alike():
    a = np.array([[[0.0, np.nan, 1.0]]], np.float32)
    assert_images_close(a, a + np.float32(1e-6), atol=1e-5)
    assert_images_close(a, a * 1.01, atol=0, rtol=0.02)


def test_failed_comparison_names_the_worst_pixel_and_writes_images(tmp_path):
    expected = np.zeros((4, 5, 4), np.float32)
    actual = expected.copy()
    actual[2, 3, 1] = 0.5
    actual[0, 0, 0] = 0.1
    with pytest.raises(AssertionError) as failure:
        assert_images_close(image(actual), image(expected), atol=0.01, out_dir=tmp_path, name="grade")
    message = str(failure.value)
    assert "2 of 80 values differ" in message and "pixel (x=3, y=2) channel G: 0.5 != 0" in message
    assert str(tmp_path / "grade") in message
    diff = oiio.ImageBuf(str(tmp_path / "grade.diff.exr"))
    assert diff.getpixel(3, 2)[1] == pytest.approx(0.5)
    assert (tmp_path / "grade.actual.exr").exists() and (tmp_path / "grade.expected.exr").exists()


def test_images_must_agree_on_channels_and_windows():
    a = image(np.zeros((2, 2, 4)))
    with pytest.raises(AssertionError, match="channels differ"):
        assert_images_close(a, image(np.zeros((2, 2, 4)), ("R", "G", "B", "Z")))
    with pytest.raises(AssertionError, match="data windows differ"):
        assert_images_close(a, image(np.zeros((2, 2, 4)), x=1))
    with pytest.raises(AssertionError, match="shapes differ"):
        assert_images_close(a, np.zeros((2, 3, 4)))


def test_check_plugin_accepts_good_plugins_and_lists_problems():
    check_plugin(Plugin(name="good", node_types=(Double,)))
    problems = plugin_problems(Plugin(name="bad", node_types=(Undocumented,)))
    assert any("no docstring" in p for p in problems) and any("param 'gain' has no doc" in p for p in problems)
    with pytest.raises(AssertionError, match="already registered by plugin nodecomp-builtins"):
        check_plugin(Plugin(name="dupe", node_types=(type("Grade", (Double,), {"type_id": "nodecomp.Grade"}),)))


def test_make_document_refuses_invalid_node_types():
    with pytest.raises(PluginError, match="compute is not implemented"):
        make_document(type("Empty", (NodeType,), {"type_id": "x.Empty", "__doc__": "x"}))


def test_pyproject_exports_the_pytest_plugin():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["entry-points"]["pytest11"]["nodecomp.testing"] == "nodecomp.testing"


def test_pytest_plugin_fixtures_in_a_fresh_session(tmp_path):
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["nodecomp.testing"]\n')
    (tmp_path / "test_fixtures.py").write_text(textwrap.dedent("""
        import numpy as np

        def test_document(nc_document):
            assert nc_document.format.width == 64 and len(nc_document) == 0
            assert "testing.Source" in nc_document.registry

        def test_compare_writes_into_tmp_path(nc_compare, tmp_path):
            try:
                nc_compare(np.zeros((2, 2, 4)), np.ones((2, 2, 4)), name="x")
            except AssertionError:
                assert (tmp_path / "x.diff.exr").exists()
            else:
                raise AssertionError("the comparison should have failed")
    """))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


class Shift(NodeType):
    """Moves the picture one pixel right but claims regions without asking for the pixel it reads."""

    type_id = "testing_test.Shift"
    inputs = (Input("source", doc="The image."),)
    supports_region = True

    @staticmethod
    def compute(ctx, source):
        pixels = np.zeros_like(source.pixels)
        pixels[:, 1:] = source.pixels[:, :-1]
        return source.with_pixels(pixels)


def test_render_frame_asks_for_a_region_and_a_proxy_scale():
    doc = make_document(Double, size=(16, 8))
    node = doc.add("testing_test.Double", source(doc, np.ones((8, 16, 4), np.float32)))
    assert render_frame(doc, node, region=Box(2, 2, 6, 4)).data_window == Box(2, 2, 6, 4)
    assert render_frame(doc, node, scale=0.25).data_window == Box(0, 0, 4, 2)


def test_check_request_contract_catches_a_node_that_reads_outside_its_region():
    doc = make_document(Double, Shift, size=(16, 8))
    pixels = np.random.default_rng(0).random((8, 16, 4), dtype=np.float32)
    check_request_contract(doc, doc.add("testing_test.Double", source(doc, pixels)), Box(3, 1, 9, 7))
    shifted = doc.add("testing_test.Shift", source(doc, pixels))
    with pytest.raises(AssertionError):
        check_request_contract(doc, shifted, Box(3, 1, 9, 7))
