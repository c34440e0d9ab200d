"""A node's params and the look bible resolved into one generation's settings."""

import pytest

from nodecomp.api import EvaluationError, Request
from nodecomp.engine.evaluator import Evaluator
from plugins.generators.lora import LoraSpec
from plugins.generators.settings import resolve
from tests.plugins.generators.helpers import add_text2image, generator_document


def _resolve(doc, node, frame=1.0):
    return resolve(Evaluator(doc).context(node, Request(frame)), doc.resolve_params(node, frame))


def test_bible_loras_come_first_and_repeats_merge(tiny_model, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.safetensors").write_bytes(b"")
    doc = generator_document()
    doc.path = str(tmp_path / "shot.ncomp")
    doc.metadata["look_bible"] = {"loras": [{"file": "a.safetensors", "weight": 0.5}], "style": "fog"}
    node = add_text2image(doc, tiny_model, loras="b.safetensors 0.25\na.safetensors 0.25", prompt="the sea")
    generation = _resolve(doc, node)
    assert generation.loras == (LoraSpec(str(tmp_path / "a.safetensors"), 0.75),
                                LoraSpec(str(tmp_path / "b.safetensors"), 0.25))
    assert generation.prompt == "the sea, fog"
    assert generation.model.path == str(tiny_model)


def test_the_seed_follows_the_frame_only_in_frame_offset_mode(tiny_model):
    doc = generator_document()
    fixed = add_text2image(doc, tiny_model, seed=10)
    moving = add_text2image(doc, tiny_model, seed=10, seed_mode="frame_offset")
    assert _resolve(doc, fixed, 5).seed == 10
    assert _resolve(doc, moving, 5).seed == 15
    assert _resolve(doc, moving, 5).fingerprint() != _resolve(doc, moving, 6).fingerprint()


def test_an_empty_lora_line_is_fine_but_a_missing_model_is_not(tiny_model):
    doc = generator_document()
    node = add_text2image(doc, tiny_model, loras="\n# none yet\n")
    assert _resolve(doc, node).loras == ()
    node["model"] = ""
    with pytest.raises(EvaluationError, match="no model is set"):
        _resolve(doc, node)
