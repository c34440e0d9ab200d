import cv2
import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.nodes.color import hue_curves
from nodecomp.nodes.color.hue_correct import hue_and_weight
from nodecomp.nodes.color.luma import WEIGHTS
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def test_hue_and_weight_match_opencv_hsv():
    rgb = np.random.default_rng(1).random((16, 16, 3), dtype=np.float32) + 0.01
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, weight = hue_and_weight(rgb[..., 0], rgb[..., 1], rgb[..., 2])
    diff = np.abs(hue - hsv[..., 0])
    np.testing.assert_allclose(np.minimum(diff, 360 - diff), 0, atol=1e-3)
    np.testing.assert_allclose(weight, hsv[..., 1], atol=1e-5)


def test_greys_and_non_positive_colours_have_no_weight():
    r = np.array([0.5, -0.2, 0.0, np.nan], np.float32)
    hue, weight = hue_and_weight(r, np.array([0.5, -0.1, 0.0, 0.1], np.float32),
                                 np.array([0.5, -0.3, 0.0, 0.1], np.float32))
    np.testing.assert_array_equal(weight, 0.0)
    assert np.isfinite(hue).all()


def reference(x, curves, mode="acescg", interpolation="smooth", mix=1.0):
    """Every pixel on its own, in float64, with the curve evaluated exactly (no lookup table)."""
    out = x.astype(np.float64).copy()
    for index in np.ndindex(x.shape[:2]):
        r, g, b = (float(v) for v in x[index][:3])
        high, low = max(r, g, b), min(r, g, b)
        chroma = high - low
        if chroma == 0:
            hue = 0.0
        elif high == r:
            hue = (60 * (g - b) / chroma) % 360
        elif high == g:
            hue = 60 * (b - r) / chroma + 120
        else:
            hue = 60 * (r - g) / chroma + 240
        weight = min(max(chroma / high, 0.0), 1.0) if high > 0 else 0.0

        def k(name, hue=hue, weight=weight):
            if name not in curves:
                return 1.0
            table = hue_curves.sample(hue_curves.parse(curves[name]), interpolation, samples=36000)
            return 1.0 + (np.interp(hue, np.linspace(0, 360, 36001), table) - 1.0) * weight

        rgb = np.array([r, g, b])
        grey = (rgb * WEIGHTS[mode]).sum()
        rgb = grey + k("saturation") * (rgb - grey)
        rgb = rgb * k("luminance") * np.array([k("red"), k("green"), k("blue")])
        out[index][:3] = x[index][:3] + (rgb - x[index][:3]) * mix
    return out


def test_every_curve_follows_the_formula():
    x = random_rgba(9, 9, seed=2) * 1.5
    curves = {"saturation": "0:1.5 120:0.5 240:1", "luminance": "60:1.2 200:0.8", "red": "0:0.9",
              "green": "120:1.3 300:1", "blue": "240:0.7 60:1.1"}
    doc = make_document()
    node = doc.add("HueCorrect", source(doc, image(x)), mix=0.8, **curves)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, reference(x, curves, mix=0.8), rtol=2e-4, atol=2e-5)


def test_linear_interpolation_and_rec709():
    x = random_rgba(5, 5, seed=3)
    curves = {"saturation": "0:0 180:2"}
    doc = make_document()
    node = doc.add("HueCorrect", source(doc, image(x)), interpolation="linear", luminance_math="rec709", **curves)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels, reference(x, curves, "rec709", "linear"), rtol=2e-4, atol=2e-5)


def test_greys_never_change_and_flat_curves_pass_through():
    grey = np.full((2, 2, 4), 0.4, np.float32)
    doc = make_document()
    result, _ = evaluate(doc, doc.add("HueCorrect", source(doc, image(grey)), luminance="0:3", red="0:2"))
    np.testing.assert_allclose(result.pixels, 0.4, rtol=1e-6)
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("HueCorrect", src, saturation="0:1 90:1"))
    assert result is evaluator.evaluate(src, 1)


def test_malformed_curve_is_an_error_naming_the_param():
    doc = make_document()
    node = doc.add("HueCorrect", source(doc, image(random_rgba(2, 2))), green="120=2")
    with pytest.raises(EvaluationError, match=r"HueCorrect1.*green: '120=2' is not a hue:value pair"):
        evaluate(doc, node)


def test_curves_round_trip_through_the_file_format(tmp_path):
    import nodecomp as nc
    doc = nc.Document()
    doc.add("HueCorrect", name="HC", saturation="0:1.5 120:0.5", blue="240:0.7")
    doc.save(str(tmp_path / "hc.ncomp"))
    again = nc.load(str(tmp_path / "hc.ncomp"))
    assert again["HC"]["saturation"] == "0:1.5 120:0.5" and again["HC"]["blue"] == "240:0.7"


def test_extra_layers_and_nan():
    x = random_rgba(3, 3, seed=4, channels=5)
    x[0, 0, 0] = np.nan
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z")))
    result, _ = evaluate(doc, doc.add("HueCorrect", src, red="0:2"))
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])
    assert np.isnan(result.pixels[0, 0, 0]) and np.isfinite(result.pixels[1:, 1:]).all()


def test_one_channel_is_unchanged():
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("HueCorrect", matte, red="0:2"))
    np.testing.assert_array_equal(result.pixels, 0.5)
