"""LoRA adapters from local files: parsing, applying several with weights, switching them off."""

import os

import numpy as np
import pytest

from nodecomp.api import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from nodecomp.testing import render_frame
from plugins.generators import lora
from plugins.generators.lora import LoraSpec, merged, parse_loras
from tests.plugins.generators.helpers import add_text2image, generator_document


def test_parse_lines_with_and_without_weights():
    specs = parse_loras("a.safetensors 0.5\n\n# a comment\n  my style.safetensors\nb.safetensors -1", lambda p: "/" + p)
    assert specs == (LoraSpec("/a.safetensors", 0.5), LoraSpec("/my style.safetensors", 1.0),
                     LoraSpec("/b.safetensors", -1.0))


def test_repeated_files_merge_their_weights():
    assert merged([LoraSpec("/a", 0.5), LoraSpec("/b", 1.0), LoraSpec("/a", 0.25)]) == (
        LoraSpec("/a", 0.75), LoraSpec("/b", 1.0))


def _render(doc, model, loras="", **params):
    return render_frame(doc, add_text2image(doc, model, seed=8, loras=loras, **params)).pixels


def test_loras_change_the_image_by_weight_and_switch_off_exactly(tiny_model, tiny_loras):
    one, two = tiny_loras
    doc = generator_document()
    base = _render(doc, tiny_model)
    with_one = _render(doc, tiny_model, f"{one} 1.0")
    assert np.abs(with_one - base).max() > 1e-3
    half = _render(doc, tiny_model, f"{one} 0.5")
    assert np.abs(half - base).max() > 1e-4 and np.abs(half - with_one).max() > 1e-4
    both = _render(doc, tiny_model, f"{one} 1.0\n{two} 1.0")
    assert np.abs(both - with_one).max() > 1e-3
    np.testing.assert_array_equal(_render(doc, tiny_model, f"{one} 0"), base)
    np.testing.assert_array_equal(_render(doc, tiny_model), base)  # adapters still loaded, but off
    np.testing.assert_array_equal(_render(doc, tiny_model, f"{one} 1.0"), with_one)


def test_look_bible_loras_come_first_and_relative_paths_start_at_the_comp(tiny_model, tiny_loras, tmp_path):
    one, _two = tiny_loras
    doc = generator_document()
    doc.path = str(tmp_path / "shot.ncomp")
    relative = os.path.relpath(one, tmp_path)
    doc.metadata["look_bible"] = {"loras": [{"file": relative, "weight": 1.0}]}
    from_bible = _render(doc, tiny_model)
    np.testing.assert_array_equal(from_bible, _render(doc, tiny_model, f"{one} 1.0", use_look_bible=False))


def test_the_lora_file_is_part_of_the_cache_key(tiny_model, tiny_loras):
    one, _two = tiny_loras
    doc = generator_document()
    node = add_text2image(doc, tiny_model, loras=f"{one} 1.0")
    key = Evaluator(doc).hash(node, 1)
    stat = os.stat(one)
    os.utime(one, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert Evaluator(doc).hash(node, 1) != key


def test_a_missing_lora_file_is_named(tiny_model, tmp_path):
    doc = generator_document()
    missing = tmp_path / "gone.safetensors"
    with pytest.raises(EvaluationError, match="LoRA file not found") as caught:
        render_frame(doc, add_text2image(doc, tiny_model, loras=f"{missing} 0.7"))
    assert caught.value.path == str(missing)


def test_a_file_that_is_not_a_lora_for_this_model_is_named(tiny_model, tmp_path):
    from safetensors.numpy import save_file

    stranger = tmp_path / "stranger.safetensors"
    save_file({"some.other.layer.lora_A.weight": np.zeros((4, 8), np.float32)}, str(stranger))
    doc = generator_document()
    with pytest.raises(EvaluationError) as caught:
        render_frame(doc, add_text2image(doc, tiny_model, loras=str(stranger)))
    assert caught.value.path == str(stranger)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(EvaluationError, match="is not a LoRA file"):
        render_frame(doc, add_text2image(doc, tiny_model, loras=str(text)))


def test_old_adapters_are_unloaded_beyond_the_limit(tiny_model, tiny_loras, monkeypatch):
    from plugins.generators import loading
    from plugins.generators.model_folder import inspect_model

    monkeypatch.setattr(lora, "MAX_ADAPTERS", 1)
    one, two = tiny_loras
    doc = generator_document()
    _render(doc, tiny_model, f"{one} 1.0")
    _render(doc, tiny_model, f"{two} 1.0")
    model = loading.cached(inspect_model(str(tiny_model)), "cpu")
    assert list(model.adapters.values()) == [str(two)]
    assert sum(len(names) for names in model.pipeline.get_list_adapters().values()) == 1
