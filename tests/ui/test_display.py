import numpy as np
import pytest

from nodecomp.engine.colour import colour_manager
from nodecomp.ui.display import DisplayTransform, DisplayView, baked_processor, default_display_view, display_views


@pytest.fixture(scope="module")
def colour():
    return colour_manager()


def ramp(width=512):
    """Greys and gentle colours from black to 16 (scene-linear), as plates have."""
    grey = np.linspace(0.0, 16.0, width, dtype=np.float32)
    tints = np.array([[1.0, 1.0, 1.0], [1.0, 0.9, 0.8], [0.7, 0.85, 1.0]], dtype=np.float32)
    return (grey[None, :, None] * tints[:, None, :]).astype(np.float32)


def test_the_default_view_comes_first(colour):
    views = display_views(colour)
    assert views[0] == default_display_view(colour)
    assert DisplayView("sRGB - Display", "Raw") in views


def test_the_baked_lut_matches_the_exact_transform_on_plate_like_values(colour):
    pixels = ramp()
    fast = DisplayTransform(colour).apply(pixels)
    exact = DisplayTransform(colour, exact=True).apply(pixels)
    assert np.abs(fast - exact).max() < 0.004  # about one 8-bit code value
    assert fast.dtype == np.float32 and fast.shape == pixels.shape


def test_apply_never_changes_its_input(colour):
    pixels = ramp(16)
    before = pixels.copy()
    DisplayTransform(colour).apply(pixels)
    np.testing.assert_array_equal(pixels, before)


def test_the_lut_is_baked_once_per_view(colour):
    view = default_display_view(colour)
    assert baked_processor(colour, view) is baked_processor(colour, view)
    raw = DisplayView(view.display, "Raw")
    assert baked_processor(colour, raw) is not baked_processor(colour, view)


def test_other_views_are_baked_too(colour):
    view = DisplayView("sRGB - Display", "Un-tone-mapped")
    pixels = ramp(64) / 16.0
    fast = DisplayTransform(colour, view).apply(pixels)
    exact = DisplayTransform(colour, view, exact=True).apply(pixels)
    assert np.abs(fast - exact).max() < 0.004
