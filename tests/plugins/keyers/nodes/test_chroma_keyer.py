import numpy as np

from plugins.keyers.synthetic import matte_errors
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, plate_node, source

SWATCHES = np.array([[[0.07, 0.40, 0.10], [0.62, 0.42, 0.33], [0.5, 0.5, 0.5]]], np.float32)


def _key(**params):
    doc = keyer_document()
    src = source(doc, image(SWATCHES, channels=("R", "G", "B")))
    result, _ = evaluate(doc, doc.add("ChromaKeyer", src, **params))
    return result


def test_screen_becomes_transparent_and_the_rest_stays():
    result = _key()
    assert result.channels == ("R", "G", "B", "A")
    np.testing.assert_allclose(result.pixels[0, :, 3], (0.0, 1.0, 1.0), atol=1e-6)
    assert not result.pixels[0, 0, :3].any()  # premultiplied by 0
    np.testing.assert_allclose(result.pixels[0, 1, :3], SWATCHES[0, 1])


def test_invert_and_output_modes():
    np.testing.assert_allclose(_key(invert=True).pixels[0, :, 3], (1.0, 0.0, 0.0), atol=1e-6)
    unpremultiplied = _key(output="unpremultiplied").pixels
    np.testing.assert_allclose(unpremultiplied[0, 0, :3], SWATCHES[0, 0])
    matte = _key(output="matte").pixels
    np.testing.assert_allclose(matte[0, :, 0], matte[0, :, 3])


def test_hue_range_widens_the_key():
    narrow = _key(key_color=(0.4, 0.4, 0.05, 1.0), hue_range=5.0, hue_softness=0.0).pixels[0, 0, 3]
    wide = _key(key_color=(0.4, 0.4, 0.05, 1.0), hue_range=80.0, hue_softness=0.0).pixels[0, 0, 3]
    assert narrow == 1.0 and wide == 0.0


def test_keys_a_synthetic_shot_roughly(even_shot):
    doc = keyer_document()
    node = doc.add("ChromaKeyer", plate_node(doc, even_shot), key_color=(*even_shot.screen_color, 1.0))
    errors = matte_errors(evaluate(doc, node)[0].pixels[..., 3], even_shot.alpha)
    assert errors["mad"] < 0.06  # a hard keyer: right on solids and screen, wrong on hair and blur
