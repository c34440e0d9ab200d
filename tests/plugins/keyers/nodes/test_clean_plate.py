import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, plate_node, rgba, source


def test_clean_plate_follows_the_uneven_screen(uneven_shot):
    doc = keyer_document()
    result, _ = evaluate(doc, doc.add("CleanPlate", plate_node(doc, uneven_shot)))
    assert result.channels == ("R", "G", "B", "A")
    np.testing.assert_array_equal(result.pixels[..., 3], 1.0)
    error = np.abs(result.pixels[..., :3] - uneven_shot.screen).mean(-1)
    assert error.mean() < 0.01 and np.quantile(error, 0.99) < 0.05


@pytest.mark.parametrize("method", ["smooth", "inpaint"])
def test_a_matte_input_replaces_the_rough_key(uneven_shot, method):
    doc = keyer_document()
    plate = plate_node(doc, uneven_shot)
    matte = source(doc, image(uneven_shot.alpha[..., None], channels=("A",)))
    result, _ = evaluate(doc, doc.add("CleanPlate", plate, matte, method=method))
    error = np.abs(result.pixels[..., :3] - uneven_shot.screen).mean(-1)
    assert error.mean() < 0.01


def test_no_screen_in_the_plate_is_a_clear_error():
    doc = keyer_document()
    grey = source(doc, image(rgba(np.full((20, 30, 3), 0.5, np.float32))))
    with pytest.raises(EvaluationError, match="CleanPlate1.*no pixel of the plate looks like screen"):
        evaluate(doc, doc.add("CleanPlate", grey, screen_mode="picked"))
