"""Text2Image with a tiny random-weight model: determinism, seeds, caching, errors, look bible."""

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import EvaluationError, resources
from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import render_frame
from plugins.generators import runner
from tests.plugins.generators.helpers import add_text2image, generator_document


def test_a_fixed_seed_gives_the_same_pixels_every_time(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, seed=3)
    first, second = render_frame(doc, node), render_frame(doc, node)  # fresh caches: computed twice
    np.testing.assert_array_equal(first.pixels, second.pixels)
    other = render_frame(doc, add_text2image(doc, tiny_model, seed=4))
    assert np.abs(other.pixels - first.pixels).max() > 1e-3


def test_the_output_is_opaque_rgba_in_the_working_space(tiny_model):
    doc = generator_document()
    result = render_frame(doc, add_text2image(doc, tiny_model, seed=1))
    assert result.channels == ("R", "G", "B", "A")
    assert (result.width, result.height) == (64, 64)
    assert result.colorspace == "ACEScg"
    assert np.all(result.pixels[..., 3] == 1.0)
    assert np.isfinite(result.pixels).all()
    assert result.metadata["generator/seed"] == 1
    assert result.metadata["generator/prompt"] == "the red sky"
    assert not result.pixels.flags.writeable


def test_a_re_render_hits_the_cache_and_the_model_is_loaded_once(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, seed=11)
    twin = add_text2image(doc, tiny_model, seed=12)
    evaluator = Evaluator(doc)
    calls, loads = runner.stats.calls, resources.stats().loads
    evaluator.evaluate(node, 1)
    evaluator.evaluate(node, 1)
    evaluator.evaluate(twin, 1)
    assert runner.stats.calls - calls == 2  # the re-render of `node` ran no pipeline
    assert evaluator.stats.computes == {node.name: 1, twin.name: 1}
    assert resources.stats().loads - loads <= 1  # both nodes share one loaded model
    node["prompt"] = "the fog"
    evaluator.evaluate(node, 1)
    assert runner.stats.calls - calls == 3  # a changed param runs it again


def test_a_fixed_seed_shares_one_image_across_frames_and_frame_offset_does_not(tiny_model):
    doc = generator_document(frames=(1, 3))
    fixed = add_text2image(doc, tiny_model, seed=5)
    moving = add_text2image(doc, tiny_model, seed=5, seed_mode="frame_offset")
    evaluator = Evaluator(doc)
    assert evaluator.hash(fixed, 1) == evaluator.hash(fixed, 2)
    assert evaluator.hash(moving, 1) != evaluator.hash(moving, 2)
    # frame 2 of seed 5 is frame 1 of seed 6
    shifted = add_text2image(doc, tiny_model, seed=6, seed_mode="frame_offset")
    np.testing.assert_array_equal(render_frame(doc, moving, 2).pixels, render_frame(doc, shifted, 1).pixels)


def test_variations_differ_and_are_stable(tiny_model):
    doc = generator_document()
    base = render_frame(doc, add_text2image(doc, tiny_model, seed=5)).pixels
    one = render_frame(doc, add_text2image(doc, tiny_model, seed=5, variation=1)).pixels
    again = render_frame(doc, add_text2image(doc, tiny_model, seed=5, variation=1)).pixels
    assert np.abs(one - base).max() > 1e-3
    np.testing.assert_array_equal(one, again)


def test_sizes_that_are_not_multiples_of_eight_come_out_exact(tiny_model):
    doc = generator_document()
    result = render_frame(doc, add_text2image(doc, tiny_model, width=60, height=36))
    assert (result.width, result.height) == (60, 36)
    assert result.display_window.as_tuple() == (0, 0, 60, 36)


def test_a_folder_that_is_not_a_model_fails_naming_node_and_folder(tmp_path):
    (tmp_path / "readme.txt").write_text("no model here")
    doc = generator_document()
    node = add_text2image(doc, tmp_path, name="Sky")
    with pytest.raises(EvaluationError) as caught:
        render_frame(doc, node)
    message = str(caught.value)
    assert caught.value.node == "Sky" and caught.value.path == str(tmp_path)
    assert "is not a diffusers model folder" in message and "model_index.json" in message


def test_no_model_at_all_says_how_to_set_one():
    doc = generator_document()
    with pytest.raises(EvaluationError, match="no model is set"):
        render_frame(doc, doc.add("generators.Text2Image", prompt="x"))


def test_the_look_bible_supplies_model_and_style_and_is_part_of_the_key(tiny_model):
    doc = generator_document()
    doc.metadata["look_bible"] = {"style": "fog", "negative": "sea", "model": str(tiny_model)}
    node = doc.add("generators.Text2Image", prompt="the hill", steps=2, seed=2)
    key = Evaluator(doc).hash(node, 1)
    result = render_frame(doc, node)
    assert result.metadata["generator/prompt"] == "the hill, fog"
    assert result.metadata["generator/negative_prompt"] == "sea"
    assert result.metadata["generator/model"] == str(tiny_model)
    doc.metadata["look_bible"]["style"] = "red"
    assert Evaluator(doc).hash(node, 1) != key
    node["use_look_bible"] = False
    node["model"] = str(tiny_model)
    assert render_frame(doc, node).metadata["generator/prompt"] == "the hill"


def test_a_malformed_look_bible_names_the_field(tiny_model):
    doc = generator_document()
    doc.metadata["look_bible"] = {"loras": [{"file": "a.safetensors", "weight": "strong"}]}
    with pytest.raises(EvaluationError, match=r"look_bible.loras\[0\].weight"):
        render_frame(doc, add_text2image(doc, tiny_model))


def test_a_sequence_renders_to_exr_files_with_one_generation(tiny_model, tmp_path):
    import OpenImageIO as oiio

    doc = generator_document(frames=(1, 3))
    node = add_text2image(doc, tiny_model, seed=9)
    doc.add("Write", node, file=str(tmp_path / "gen.####.exr"), name="Out")
    calls = runner.stats.calls
    nc.render(doc, "Out", frames="1-3", threads=2)
    assert runner.stats.calls - calls == 1  # one fixed-seed image written three times
    written = oiio.ImageBuf(str(tmp_path / "gen.0002.exr"))
    assert not written.has_error and written.spec().width == 64
    expected = render_frame(doc, node).pixels
    np.testing.assert_allclose(written.get_pixels(oiio.FLOAT), expected, atol=2e-3)  # half floats on disk


def test_frames_rendered_on_two_threads_match_frames_rendered_one_by_one(tiny_model):
    from concurrent.futures import ThreadPoolExecutor

    doc = generator_document(frames=(1, 4))
    node = add_text2image(doc, tiny_model, seed=40, seed_mode="frame_offset", scheduler="euler_a")
    one_by_one = [render_frame(doc, node, frame).pixels for frame in range(1, 5)]
    evaluator = Evaluator(doc)
    with ThreadPoolExecutor(2) as pool:  # one loaded model shared by both threads
        parallel = list(pool.map(lambda frame: evaluator.evaluate(node, frame).pixels, range(1, 5)))
    for expected, actual in zip(one_by_one, parallel, strict=True):
        np.testing.assert_array_equal(actual, expected)
    assert np.abs(one_by_one[0] - one_by_one[1]).max() > 1e-3


def test_a_saved_comp_keeps_its_look_bible_and_its_cache_keys(tiny_model, tmp_path):
    from nodecomp.core.fileformat import load_document

    doc = generator_document()
    doc.metadata["look_bible"] = {"style": "fog", "model": str(tiny_model)}
    node = doc.add("generators.Text2Image", prompt="the sea", steps=2, seed=7, name="Sea")
    key = Evaluator(doc).hash(node, 1)
    path = tmp_path / "shot.ncomp"
    doc.save(str(path))
    loaded = load_document(str(path), doc.registry)
    assert loaded.metadata["look_bible"]["style"] == "fog"
    assert Evaluator(loaded).hash(loaded["Sea"], 1) == key

