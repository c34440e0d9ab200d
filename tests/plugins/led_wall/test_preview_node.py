import numpy as np
import pytest

import nodecomp as nc
from nodecomp.engine.colour import colour_manager
from plugins.led_wall.overlay import port_colour
from plugins.led_wall.settings import load_wall
from tests.plugins.led_wall.conftest import tiny_dict, write_wall
from tests.plugins.led_wall.helpers import canvas_node, evaluate, led_document


@pytest.fixture
def wall_file(tmp_path):
    data = tiny_dict()
    data["panels"][0].update(px_w=96, px_h=72)
    data["processors"] = [dict(p, max_input_width=480, max_input_height=240, pixels_per_port=10_000)
                          for p in data["processors"]]
    data["raster_maps"][0]["mappings"][0].update(wall_segment_u_end=192, wall_segment_v_end=216)
    data["raster_maps"][1]["mappings"][0].update(wall_segment_u_start=192, wall_segment_u_end=384,
                                                 wall_segment_v_end=216)
    return write_wall(tmp_path, data)


def test_preview_lays_the_map_over_the_canvas(wall_file):
    doc = led_document()
    node = doc.add("LEDWallPreview", canvas_node(doc, 384, 216, value=(0.0, 0.0, 0.0)), wall=str(wall_file),
                   opacity=1.0, labels=False, arrows=False)
    result, _ = evaluate(doc, node)
    assert result.pixels.shape == (216, 384, 4) and result.colorspace == "ACEScg"
    assert (result.pixels[..., 3] == 1.0).all()
    # A cabinet shows its port colour (sRGB display values converted to the working space) at the
    # fill's coverage (110 / 255) over the black picture.
    plan = load_wall(str(wall_file)).plan
    port = plan.placement("w_C00_R01").port
    expected = np.float32([port_colour(port)]) / 255.0
    colour_manager().processor("sRGB Encoded Rec.709 (sRGB)", "ACEScg").applyRGB(expected)
    np.testing.assert_allclose(result.pixels[100, 48, :3], expected[0] * (110 / 255), atol=1e-5)


def test_opacity_zero_shows_the_picture_unchanged(wall_file):
    doc = led_document()
    node = doc.add("LEDWallPreview", canvas_node(doc, 384, 216, value=(0.25, 0.5, 0.75)), wall=str(wall_file),
                   opacity=0.0)
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels[..., :3], np.broadcast_to([0.25, 0.5, 0.75], (216, 384, 3)),
                               atol=1e-6)


def test_preview_is_cached_and_keyed_by_the_wall_file(wall_file):
    doc = led_document()
    node = doc.add("LEDWallPreview", canvas_node(doc, 384, 216), wall=str(wall_file))
    from nodecomp.engine.evaluator import Evaluator

    evaluator = Evaluator(doc)
    evaluator.evaluate(node, 1)
    evaluator.evaluate(node, 1)
    assert evaluator.stats.computes[node.name] == 1


def test_size_mismatch_is_an_error(wall_file):
    doc = led_document()
    node = doc.add("LEDWallPreview", canvas_node(doc, 100, 100), wall=str(wall_file))
    with pytest.raises(nc.EvaluationError, match="the wall canvas is 384x216"):
        evaluate(doc, node)
