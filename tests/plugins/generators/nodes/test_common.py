"""What the generator nodes share: every param and outside file is part of the cache key."""

import pytest

from nodecomp.api import Bool, Choice, Float, Int, String
from nodecomp.engine.evaluator import Evaluator
from tests.plugins.generators.helpers import generator_document


@pytest.mark.parametrize("type_id", ["generators.Text2Image", "generators.Image2Image", "generators.Inpaint",
                                     "generators.Upscale", "generators.Outpaint"])
def test_every_param_is_part_of_the_cache_key(tiny_model, type_id):
    doc = generator_document()
    plate = doc.add("Constant", color=(0.5, 0.5, 0.5, 1.0))
    node_type = doc.registry.resolve(type_id)
    inputs = [plate] * len(node_type.inputs)
    extra = {"left": 8} if type_id.endswith("Outpaint") else {}  # a margin, so Outpaint is not a pass-through
    node = doc.add(type_id, *inputs, model=str(tiny_model), prompt="the sky", **extra)
    base = Evaluator(doc).hash(node, 1)
    nudges = {Bool: lambda s: not s.default, Int: lambda s: s.default + 1, Float: lambda s: s.default * 0.5 + 0.25,
              Choice: lambda s: next(c for c in s.choices if c != s.default), String: lambda s: s.default + " x"}
    changed = []
    for spec in node_type.params:
        if spec.name in ("model", "loras", "model_colorspace", "device", *extra):
            continue  # paths, an OCIO name and CUDA need real values: covered by other tests
        with doc.macro("nudge"):
            node[spec.name] = next(f(spec) for kind, f in nudges.items() if isinstance(spec, kind))
        changed.append((spec.name, Evaluator(doc).hash(node, 1) != base))
        doc.undo()
    assert Evaluator(doc).hash(node, 1) == base
    assert [name for name, differs in changed if not differs] == []
