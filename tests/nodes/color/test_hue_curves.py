import numpy as np
import pytest

from nodecomp.nodes.color import hue_curves


def test_parse_sorts_wraps_and_formats_back():
    points = hue_curves.parse("120:1.5, 0:1  -60:0.5;360.5:2")
    assert points == [(0.0, 1.0), (0.5, 2.0), (120.0, 1.5), (300.0, 0.5)]
    assert hue_curves.parse(hue_curves.format_points(points)) == points
    assert hue_curves.parse("") == [] and hue_curves.is_flat_one([]) and hue_curves.is_flat_one([(10.0, 1.0)])


@pytest.mark.parametrize("text, message", [("120", "not a hue:value"), ("a:1", "not a hue:value"),
                                           ("0:1 360:2", "two points at hue 0"), ("0:inf", "not a hue:value"),
                                           ("1e999:1", "not finite")])
def test_parse_errors(text, message):
    with pytest.raises(hue_curves.CurveSyntaxError, match=message):
        hue_curves.parse(text)


def test_sample_passes_through_points_and_wraps_around():
    points = [(60.0, 2.0), (180.0, 0.5), (300.0, 1.0)]
    for interpolation in hue_curves.INTERPOLATIONS:
        table = hue_curves.sample(points, interpolation, samples=360)
        np.testing.assert_allclose(table[[60, 180, 300]], [2.0, 0.5, 1.0], atol=1e-12)
        assert table[0] == pytest.approx(table[360])
    linear = hue_curves.sample(points, hue_curves.LINEAR, samples=360)
    assert linear[120] == pytest.approx(1.25)
    assert linear[0] == pytest.approx(1.0 + (2.0 - 1.0) * (60 / 120))  # between 300 and 60+360


def test_smooth_is_catmull_rom_and_one_point_is_flat():
    points = [(0.0, 0.0), (90.0, 1.0), (180.0, 0.0), (270.0, -1.0)]  # a sine-like loop
    table = hue_curves.sample(points, hue_curves.SMOOTH, samples=360)
    # periodic Catmull-Rom with uniform spacing: tangent at 90 is (0 - 0) / 180 = 0, at 0 is (1 - -1) / 180
    t = 0.5
    m0, m1 = (1 - (-1)) / 180 * 90, 0.0
    expected = (-2 * t**3 + 3 * t**2) * 1.0 + (t**3 - 2 * t**2 + t) * m0 + (t**3 - t**2) * m1
    assert table[45] == pytest.approx(expected)
    np.testing.assert_allclose(hue_curves.sample([(10.0, 3.0)], samples=8), 3.0)


def test_lookup_interpolates_the_table():
    table = hue_curves.sample([(0.0, 0.0), (180.0, 1.0)], hue_curves.LINEAR).astype(np.float32)
    np.testing.assert_allclose(hue_curves.lookup(table, np.array([0.0, 90.0, 180.0, 270.0, 359.99], np.float32)),
                               [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-4)
