"""Despill removes the screen cast and leaves skin alone, measured on the synthetic skin patches.

Each synthetic face is one skin tone (light, medium, dark); its left half carries green spill
(screen light x 0.2), its right half none. Hue (degrees) and saturation come from the HSV of the
patch's mean colour. The requirements:

- on unspilled skin, hue moves by < 0.5 degrees and saturation by < 0.005 (skin has G below
  (R + B) / 2, so average/double/limit must leave it exactly as it is);
- on spilled skin the green cast, G - (R + B) / 2 (the amount by which green exceeds what a skin
  tone can hold), goes from positive to <= 0.001, and the hue moves toward the true skin hue;
- a spilled neutral (the white shirt) comes back to neutral within 0.005.
"""

import numpy as np
import pytest

from plugins.keyers.hsv import rgb_to_hsv
from plugins.keyers.synthetic import SKIN_TONES
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, plate_node, source


def _hs(colour):
    hue, saturation, _ = rgb_to_hsv(np.asarray(colour, np.float32))
    return float(hue), float(saturation)


def _cast(colour):
    return float(colour[1] - (colour[0] + colour[2]) / 2)


def _despilled(shot, **params):
    doc = keyer_document()
    result, _ = evaluate(doc, doc.add("Despill", plate_node(doc, shot), **params))
    return result.pixels[..., :3]


@pytest.mark.parametrize("method", ["average", "double", "limit"])
def test_unspilled_skin_keeps_its_hue_and_saturation(even_shot, method):
    out = _despilled(even_shot, method=method)
    for tone in SKIN_TONES:
        _, clean = even_shot.skin[tone]
        before, after = _hs(even_shot.plate[clean].mean(0)), _hs(out[clean].mean(0))
        assert abs(after[0] - before[0]) < 0.5, tone
        assert abs(after[1] - before[1]) < 0.005, tone


def test_spilled_skin_loses_the_green_cast_and_moves_toward_the_true_hue(even_shot):
    out = _despilled(even_shot, method="average")
    for tone, colour in SKIN_TONES.items():
        spilled, _ = even_shot.skin[tone]
        before, after = even_shot.plate[spilled].mean(0), out[spilled].mean(0)
        assert _cast(before) > 0.003, tone
        assert _cast(after) <= 0.001, tone
        true_hue = _hs(colour)[0]
        assert abs(_hs(after)[0] - true_hue) < abs(_hs(before)[0] - true_hue), tone


def test_a_spilled_white_becomes_neutral_again(even_shot):
    height, width = even_shot.alpha.shape
    shirt = np.zeros((height, width), bool)
    shirt[int(height * 0.8):, int(width * 0.41):int(width * 0.54)] = True  # the white stripe
    shirt &= even_shot.alpha >= 1.0
    before = even_shot.plate[shirt].mean(0)
    after = _despilled(even_shot)[shirt].mean(0)
    assert before[1] - before[0] > 0.01
    assert abs(after[1] - (after[0] + after[2]) / 2) < 0.005


def test_minimum_is_stronger_and_does_touch_skin(even_shot):
    out = _despilled(even_shot, method="minimum")
    _, clean = even_shot.skin["light"]
    assert abs(_hs(out[clean].mean(0))[0] - _hs(even_shot.plate[clean].mean(0))[0]) > 5


def test_keyer_output_keeps_unspilled_skin(even_shot):
    doc = keyer_document()
    result, _ = evaluate(doc, doc.add("DifferenceKeyer", plate_node(doc, even_shot)))
    for tone in SKIN_TONES:
        _, clean = even_shot.skin[tone]
        truth, keyed = _hs(SKIN_TONES[tone]), _hs(result.pixels[clean, :3].mean(0))
        assert abs(keyed[0] - truth[0]) < 0.5 and abs(keyed[1] - truth[1]) < 0.005, tone


def test_blue_screen_amount_zero_and_rgb_only_images():
    doc = keyer_document()
    rgb = np.array([[[0.2, 0.4, 0.9]]], np.float32)
    src = source(doc, image(rgb, channels=("R", "G", "B")))
    result, _ = evaluate(doc, doc.add("Despill", src, screen="blue"))
    assert result.channels == ("R", "G", "B")
    np.testing.assert_allclose(result.pixels[0, 0], (0.2, 0.4, 0.3), atol=1e-6)
    node = doc.add("Despill", src, amount=0.0)
    passed, evaluator = evaluate(doc, node)
    assert evaluator.hash(node, 1) == evaluator.hash(src, 1)


def test_alpha_and_extra_layers_are_kept():
    doc = keyer_document()
    pixels = np.array([[[0.2, 0.8, 0.4, 0.5, 3.0]]], np.float32)
    src = source(doc, image(pixels, channels=("R", "G", "B", "A", "depth.Z")))
    result, _ = evaluate(doc, doc.add("Despill", src, luma_restore=1.0))
    assert result.channels == ("R", "G", "B", "A", "depth.Z")
    assert result.pixels[0, 0, 3] == 0.5 and result.pixels[0, 0, 4] == 3.0
    assert result.pixels[0, 0, 1] < 0.8
