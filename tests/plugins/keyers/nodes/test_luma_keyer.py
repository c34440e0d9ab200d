import numpy as np
import pytest

from plugins.keyers.nodes.luma_keyer import luma_of
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, source

RAMP = np.linspace(0.0, 1.0, 11, dtype=np.float32)


def _key(**params):
    doc = keyer_document()
    src = source(doc, image(np.repeat(RAMP[None, :, None], 3, axis=2), channels=("R", "G", "B")))
    result, _ = evaluate(doc, doc.add("LumaKeyer", src, **params))
    return result.pixels


def test_ramp_between_low_and_high():
    out = _key(low=0.2, high=0.6, output="unpremultiplied")
    np.testing.assert_allclose(out[0, :, 3], np.clip((RAMP - 0.2) / 0.4, 0, 1), atol=1e-5)
    np.testing.assert_allclose(out[0, :, :3], np.repeat(RAMP[:, None], 3, axis=1), atol=1e-6)


def test_gamma_invert_step_and_premultiplied():
    opened = _key(low=0.0, high=1.0, gamma=2.0)[0, 5, 3]
    assert opened == pytest.approx(0.5 ** 0.5, abs=1e-5)
    inverted = _key(low=0.0, high=1.0, invert=True)[0, :, 3]
    np.testing.assert_allclose(inverted, 1 - RAMP, atol=1e-5)
    step = _key(low=0.5, high=0.5)[0, :, 3]
    np.testing.assert_array_equal(step, (RAMP > 0.5).astype(np.float32))
    premultiplied = _key(low=0.0, high=1.0)
    np.testing.assert_allclose(premultiplied[0, :, 0], RAMP * RAMP, atol=1e-5)


@pytest.mark.parametrize("weights, expected", [("ap1", 0.6740818), ("rec709", 0.7152), ("average", 1 / 3),
                                               ("maximum", 1.0)])
def test_luminance_weights(weights, expected):
    green = np.array([[[0.0, 1.0, 0.0]]], np.float32)
    assert luma_of(green, weights)[0, 0] == pytest.approx(expected, rel=1e-5)
