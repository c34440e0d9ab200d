"""Every registered node type keeps the conventions (Gaffer-style conformance, over the registry)."""

import inspect
from pathlib import Path

import pytest

import nodecomp as nc
from nodecomp.cli.nodes import reference_markdown
from nodecomp.core import groups
from nodecomp.core.fileformat import document_from_dict
from nodecomp.core.params import Bool, Choice, Color, Float, Int, String, Vec2, Vec3
from nodecomp.engine.evaluator import Evaluator
from nodecomp.plugin_loader import default_registry

ROOT = Path(__file__).resolve().parents[2]
TYPES = sorted(default_registry(), key=lambda t: t.type_id)


@pytest.mark.parametrize("node_type", TYPES, ids=lambda t: t.type_id)
def test_type_is_documented(node_type):
    assert inspect.cleandoc(node_type.__doc__ or "").strip(), f"{node_type.type_id} has no docstring"
    undocumented = [spec.name for spec in node_type.params if not spec.doc.strip()]
    assert not undocumented, f"{node_type.type_id} params without doc: {undocumented}"
    assert node_type.category and node_type.category != "Other"


@pytest.mark.parametrize("node_type", TYPES, ids=lambda t: t.type_id)
def test_type_round_trips_through_the_file_format(node_type):
    doc = nc.Document()
    node = doc.add(node_type.type_id)
    data = doc.to_dict()
    again = document_from_dict(data, doc.registry)
    assert again.to_dict() == data
    assert groups.base_type(again[node.name].node_type) is node_type  # a Group gets a per-node subclass


def _nudged(spec):
    value = spec.default
    if isinstance(spec, Bool):
        return not value
    if isinstance(spec, Choice):
        others = [c for c in spec.choices if c != value]
        return others[0] if others else None
    if isinstance(spec, Int):
        candidate = value + 1
        return candidate if spec.max is None or candidate <= spec.max else value - 1
    if isinstance(spec, Float):
        candidate = value + 0.25
        return candidate if spec.max is None or candidate <= spec.max else value - 0.25
    if isinstance(spec, Color | Vec2 | Vec3):
        return tuple(v + 0.25 for v in value) if spec.max is None else None
    if isinstance(spec, String):
        return None  # strings are often paths or formats that must exist: covered per node
    return None


def _hash_of(doc, node, frame=1):
    try:
        return Evaluator(doc).hash(node, frame)
    except nc.NodecompError:
        return "error"


@pytest.mark.parametrize("node_type", [t for t in TYPES if not t.inputs and t.outputs and not t.is_output and t.params],
                         ids=lambda t: t.type_id)
def test_source_hash_follows_params(node_type):
    """For input-less nodes: nudging any param changes the cache key (or the node cannot evaluate)."""
    doc = nc.Document()
    node = doc.add(node_type.type_id)
    base = _hash_of(doc, node)
    if base == "error" or base is None:
        pytest.skip(f"{node_type.type_id} does not evaluate at defaults (needs a file or setup)")
    for spec in node_type.params:
        value = _nudged(spec)
        if value is None:
            continue
        with doc.macro("nudge"):
            try:
                node[spec.name] = value
            except nc.ParamError:
                continue
        assert _hash_of(doc, node) != base, f"{node_type.type_id}.{spec.name} does not change the key"
        doc.undo()
        assert _hash_of(doc, node) == base


def test_reference_docs_are_generated_from_declarations():
    committed = (ROOT / "docs" / "nodes" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: nodecomp nodes docs --out docs/nodes/reference.md"
