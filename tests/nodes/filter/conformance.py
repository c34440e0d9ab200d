"""Checks every node type of a family must pass: documented, computes at defaults and at
non-identity settings, round-trips through .ncomp, and its cache key follows every param."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import nodecomp as nc
from nodecomp.api import Bool, Choice, Color, Float, Int, NodeType, String, Vec2, Vec3
from nodecomp.core.format import Format
from nodecomp.engine.evaluator import Evaluator
from tests.nodes.image_asserts import make_document

FORMAT = Format(64, 48)


def assert_documented(node_type: type[NodeType]) -> None:
    assert node_type.__doc__ and len(node_type.__doc__.strip()) > 40, node_type.type_id
    for spec in (*node_type.params, *node_type.inputs):
        assert spec.doc, f"{node_type.type_id}.{spec.name} has no doc"


def nudged(spec: Any, value: Any, strings: dict[str, str]) -> Any:
    """A different valid value for a param (String params take theirs from `strings`)."""
    if isinstance(spec, Bool):
        return not value
    if isinstance(spec, Choice):
        return next(c for c in spec.choices if c != value)
    if isinstance(spec, String):
        return strings[spec.name]
    if isinstance(spec, Int):
        up = value + 1
        return up if spec.max is None or up <= spec.max else value - 1
    if isinstance(spec, Float):
        up = value + 0.25
        return up if spec.max is None or up <= spec.max else value - 0.25
    if isinstance(spec, Vec2 | Vec3 | Color):
        first = value[0] + 0.25
        if spec.max is not None and first > spec.max:
            first = value[0] - 0.25
        return (first, *value[1:])
    raise AssertionError(f"no nudge for {spec!r}")


def document(node_type: type[NodeType], make_source, params: dict[str, Any]):
    doc = make_document()
    doc.format = FORMAT
    inputs = [make_source(doc)] if node_type.inputs and make_source is not None else []
    node = doc.add(node_type.short_name(), *inputs, name="Subject", **params)
    return doc, node


def assert_hash_follows_every_param(node_type, make_source, params, strings, frame=1.0) -> None:
    doc, node = document(node_type, make_source, params)
    evaluator = Evaluator(doc)
    base = evaluator.hash(node, frame)
    assert base is not None
    for spec in node_type.params:
        value = doc.param_value(node, spec.name, frame)
        doc.set_param(node, spec.name, nudged(spec, value, strings))
        assert Evaluator(doc).hash(node, frame) != base, f"{node_type.type_id}.{spec.name} does not change the key"
        doc.set_param(node, spec.name, value)
    assert Evaluator(doc).hash(node, frame) == base


def assert_round_trips(node_type, make_source, params, tmp_path: Path) -> None:
    doc, node = document(node_type, make_source, params)
    before = Evaluator(doc).evaluate(node, 1.0)
    path = tmp_path / f"{node_type.short_name()}.ncomp"
    doc.save(str(path))
    loaded = nc.load(str(path), registry=doc.registry)
    for spec in node_type.params:
        assert loaded.param_value("Subject", spec.name, 1.0) == doc.param_value(node, spec.name, 1.0)
    after = Evaluator(loaded).evaluate(loaded["Subject"], 1.0)
    assert after.data_window == before.data_window and after.channels == before.channels
    # Same params, same pixels up to float rounding: OpenCV's SIMD paths may round a corner pixel
    # differently run to run (seen once: 6e-8 on EdgeDetect's Sobel), so allow a few ulps.
    np.testing.assert_allclose(after.pixels, before.pixels, rtol=1e-6, atol=1e-7)
    assert after.pixels.flags.writeable is False


def assert_in_docs(node_type: type[NodeType], page: Path) -> None:
    """The family's docs page has a section for the node naming every param."""
    text = page.read_text(encoding="utf-8")
    marker = f"(`{node_type.type_id}`)"
    at = text.find(marker)
    assert at >= 0, f"{page.name} has no section for {node_type.type_id}"
    start = text.rfind("\n## ", 0, at)
    end = text.find("\n## ", at)
    section = text[start:end if end >= 0 else len(text)]
    for spec in node_type.params:
        assert f"`{spec.name}`" in section, f"{page.name}: {node_type.type_id} does not describe `{spec.name}`"
