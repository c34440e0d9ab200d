"""Every registered node type keeps the conventions (Gaffer-style conformance, over the registry)."""

import inspect
from pathlib import Path

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import RGBA, Box, Format, Image
from nodecomp.cli.nodes import reference_markdown
from nodecomp.core import groups
from nodecomp.core.fileformat import document_from_dict
from nodecomp.core.params import Bool, Choice, Color, Float, Int, String, Vec2, Vec3
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.evaluator import Evaluator
from nodecomp.plugin_loader import default_registry
from nodecomp.testing import check_request_contract
from tests.nodes.image_asserts import ImageSource, source

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


PROXY_TYPES = [t for t in TYPES if (t.supports_region or t.supports_scale) and not t.is_output]


def _noise_document():
    """A 48x32 document with a noise source whose data window is inside the format."""
    doc = nc.Document(NodeRegistry([*TYPES, ImageSource]))
    doc.format = Format(48, 32)
    pixels = np.random.default_rng(3).random((30, 44, 4), dtype=np.float32)
    return doc, source(doc, Image(pixels, RGBA, Box(2, 1, 46, 31), Box(0, 0, 48, 32)))


def _proxy_document(node_type):
    """`node_type` fed by noise (every input), its numeric params nudged."""
    doc, noise = _noise_document()
    node = doc.add(node_type.type_id)
    for spec in node_type.inputs:
        doc.connect(noise, node, input=spec.name)
    for spec in node_type.params:
        value = _nudged(spec) if isinstance(spec, Float | Color | Vec2) else None
        if value is not None:
            try:
                node[spec.name] = value
            except nc.ParamError:
                pass
    return doc, node


@pytest.mark.parametrize("node_type", PROXY_TYPES, ids=lambda t: t.type_id)
def test_opted_in_types_keep_the_request_contract(node_type):
    """A region render equals the full render on the region; a proxy render has the reduced windows."""
    doc, node = _proxy_document(node_type)
    try:
        Evaluator(doc).evaluate(node, 1)
    except nc.NodecompError:
        pytest.skip(f"{node_type.type_id} does not evaluate with nudged params here")
    check_request_contract(doc, node, Box(5, 3, 29, 21))


SPATIAL_CASES = [
    ("Crop", {"top_left": (6.5, 4.25), "bottom_right": (40.0, 27.5), "softness": 3.0}, True),
    ("Crop", {"top_left": (6.0, 4.0), "bottom_right": (40.0, 27.0), "reformat": True}, True),
    ("Crop", {"top_left": (6.0, 4.0), "bottom_right": (40.0, 27.0), "black_outside": False}, True),
    ("Rectangle", {"corner0": (8.5, 6.0), "corner1": (30.0, 25.5), "softness": 2.0}, False),
    ("Rectangle", {"corner0": (8.5, 6.0), "corner1": (30.0, 25.5), "invert": True}, True),
    ("Radial", {"center": (20.0, 14.0), "radius": (12.0, 9.0), "softness": 0.5}, True),
    ("Radial", {"center": (20.0, 14.0), "radius": (12.0, 9.0), "invert": True}, False),
    ("Ramp", {"point0": (4.0, 3.0), "point1": (40.0, 30.0), "falloff": "smooth"}, False),
    ("Blur", {"size": (3.0, 1.5), "filter": "box"}, True),
    ("Transform", {"translate": (3.5, -2.0), "rotate": 12.0, "center_on_format": False, "center": (20.0, 16.0)},
     True),
]


@pytest.mark.parametrize(("type_name", "params", "with_source"), SPATIAL_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SPATIAL_CASES)])
def test_spatial_nodes_keep_the_request_contract(type_name, params, with_source):
    """Nodes whose params are positions in pixels, with settings that draw or move something here."""
    doc, noise = _noise_document()
    node = doc.add(type_name, noise if with_source else None, **params)
    for region in (Box(5, 3, 29, 21), Box(30, 0, 60, 12)):
        check_request_contract(doc, node, region)
