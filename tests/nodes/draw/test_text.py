import datetime
import os

import numpy as np
import OpenImageIO as oiio
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import RGBA, Box
from nodecomp.core.errors import EvaluationError
from nodecomp.core.format import Format
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.request import Request
from nodecomp.nodes.draw.text import Text, render_text_hershey, render_text_oiio, used_box
from tests.nodes.image_asserts import evaluate, image, make_document, random_rgba, source


def text_doc(**params):
    doc = make_document()
    doc.format = Format(200, 80)
    return doc, doc.add("Text", **params)


def test_glyphs_are_imagebufalgo_render_text():
    canvas = Box(0, 0, 200, 80)
    coverage = render_text_oiio(canvas, "Ab 12", "DroidSans", 30, (10, 50), "left")
    buffer = oiio.ImageBuf(oiio.ImageSpec(200, 80, 1, "float"))
    IBA.render_text(buffer, 10, 50, "Ab 12", 30, "DroidSans", (1.0,))
    np.testing.assert_array_equal(coverage, buffer.get_pixels(oiio.TypeFloat)[..., 0])
    box = used_box(coverage, canvas)
    assert 8 <= box.x0 <= 14 and box.y1 <= 52 and 25 <= box.y0 <= 32 and coverage.max() == 1.0


def test_node_draws_colour_times_coverage_and_expands_tokens_per_frame():
    doc, node = text_doc(message="F[frame:04d]", size=30.0, position=(10.0, 50.0), color=(1, 0.5, 0, 1), opacity=0.5)
    result = evaluate(doc, node, 7)[0]
    coverage = render_text_oiio(Box(0, 0, 200, 80), "F0007", "DroidSans", 30, (10, 50), "left")
    np.testing.assert_allclose(result.pixels, coverage[..., None] * np.float32([0.5, 0.25, 0, 0.5]), atol=1e-7)
    evaluator = Evaluator(doc)
    assert evaluator.hash(node, 7) != evaluator.hash(node, 8)
    still = doc.add("Text", message="SLATE [document]", size=20.0)
    assert evaluator.hash(still, 7) == evaluator.hash(still, 8)


def test_alignment_and_multiple_lines():
    left = render_text_oiio(Box(0, 0, 200, 80), "abc\nabc", "DroidSans", 20, (100, 30), "left")
    right = render_text_oiio(Box(0, 0, 200, 80), "abc", "DroidSans", 20, (100, 30), "right")
    assert used_box(left, Box(0, 0, 200, 80)).x0 >= 99 and used_box(right, Box(0, 0, 200, 80)).x1 <= 101
    assert used_box(left, Box(0, 0, 200, 80)).y1 > 40  # the second line sits below the first


def test_over_a_plate_keeps_its_layers_and_metadata_tokens():
    x = random_rgba(80, 200, seed=1, channels=5)
    plate = image(x, (*RGBA, "depth.Z"))
    plate.metadata["input/filename"] = "/plates/a.0007.exr"
    doc = make_document()
    doc.format = Format(200, 80)
    node = doc.add("Text", source(doc, plate), message="[meta:input/filename]", size=14.0, position=(2.0, 70.0))
    result = evaluate(doc, node)[0]
    assert result.channels == (*RGBA, "depth.Z")
    np.testing.assert_array_equal(result.pixels[:40], x[:40])
    assert result.pixels[55:75, :, 3].max() == pytest.approx(1.0)


def test_missing_font_falls_back_to_hershey_with_a_warning():
    doc, node = text_doc(message="Hello", font="NoSuchFontAnywhere", size=30.0, position=(10.0, 50.0))
    result, evaluator = evaluate(doc, node)
    assert any("NoSuchFontAnywhere" in w and "Hershey" in w for w in evaluator.warnings)
    expected = render_text_hershey(Box(0, 0, 200, 80), "Hello", 30, (10, 50), "left")
    np.testing.assert_allclose(result.pixels[..., 3], expected, atol=1e-7)
    assert expected.max() == 1.0


def test_a_font_file_path_works_and_enters_the_key(tmp_path):
    font = next(p for p in oiio.get_string_attribute("font_file_list").split(";") if p.endswith("DroidSerif.ttf"))
    doc, node = text_doc(message="Hi", font=font, size=30.0, position=(10.0, 50.0))
    result = evaluate(doc, node)[0]
    np.testing.assert_allclose(result.pixels[..., 3],
                               render_text_oiio(Box(0, 0, 200, 80), "Hi", font, 30, (10, 50), "left"))
    font_state = Text.fingerprint(Evaluator(doc).context(node, Request(1.0)), doc.resolve_params(node, 1.0))[2]
    assert font_state[0] == font and font_state[1] == os.path.getsize(font)


def test_date_enters_the_key_and_bad_tokens_are_errors():
    doc, node = text_doc(message="[date]")
    evaluator = Evaluator(doc)
    key = Text.fingerprint(evaluator.context(node, Request(1.0)), doc.resolve_params(node, 1.0))
    assert datetime.date.today().isoformat() in key
    bad = doc.add("Text", message="[shot]")
    with pytest.raises(EvaluationError, match=r"Text2.*unknown token \[shot\]"):
        evaluate(doc, bad)


def test_nothing_to_draw_passes_through():
    assert Text.pass_through({"message": "", "opacity": 1.0, "color": (1, 1, 1, 1)}) == "source"
    assert Text.pass_through({"message": "x", "opacity": 0.0, "color": (1, 1, 1, 1)}) == "source"
    doc, node = text_doc(message="   ")
    assert not evaluate(doc, node)[0].pixels.any()
