"""Regions of definition agree with what compute returns, without computing pixels."""

import numpy as np
import OpenImageIO as oiio
import pytest

import nodecomp as nc
from nodecomp.core.format import Format
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.image import Box


def _write(path, x, y, w, h):
    spec = oiio.ImageSpec(w, h, 4, "half")
    spec.x, spec.y = x, y
    spec.full_x, spec.full_y, spec.full_width, spec.full_height = 0, 0, 64, 48
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec) and out.write_image(np.full((h, w, 4), 0.5, np.float32)) and out.close()


@pytest.fixture
def doc(tmp_path):
    _write(tmp_path / "plate.0001.exr", 5, 7, 20, 10)
    document = nc.Document()
    document.format = Format(64, 48)
    return document


def _check(doc, node, frame=1):
    ev = Evaluator(doc)
    region = ev.region_of_definition(node, frame)
    assert region is not None, f"{node.name} did not report a region"
    assert ev.stats.computes == {}, "asking for the region computed pixels"
    image = ev.evaluate(node, frame)
    assert region.data_window == image.data_window
    assert region.display_window == image.display_window
    return region


def test_regions_match_compute(doc, tmp_path):
    read = doc.add("Read", file=str(tmp_path / "plate.####.exr"))
    assert _check(doc, read).data_window == Box(5, 7, 25, 17)
    blurred = doc.add("Blur", read, size=(3, 3))
    _check(doc, blurred)
    graded = doc.add("Grade", blurred, multiply=(2, 2, 2, 1))
    _check(doc, graded)
    moved = doc.add("Transform", graded, translate=(10.5, -3.25), rotate=15)
    _check(doc, moved)
    shifted = doc.add("Transform", graded, translate=(3, 4))
    _check(doc, shifted)
    bg = doc.add("Constant", color=(0, 0, 0, 1))
    assert _check(doc, bg).data_window == Box(0, 0, 64, 48)
    for mode in ("union", "intersection", "a", "b"):
        merge = doc.add("Merge", moved, bg, bbox=mode)
        _check(doc, merge)


def test_missing_frame_stand_in_covers_the_format(doc, tmp_path):
    read = doc.add("Read", file=str(tmp_path / "plate.####.exr"), range_mode="custom", first=1, last=3,
                   missing="black")
    assert _check(doc, read, frame=2).data_window == Box(0, 0, 64, 48)


def test_unknown_region_is_none_not_a_guess(doc):
    from nodecomp.api import Image, NodeType

    class Opaque(NodeType):
        """A source that cannot say its size before computing."""

        type_id = "test.Opaque"
        category = "Test"

        @staticmethod
        def compute(ctx):
            return Image.blank(Box(0, 0, 3, 3))

    doc.registry.register(Opaque)
    try:
        node = doc.add("test.Opaque")
        graded = doc.add("Grade", node, multiply=(2, 2, 2, 1))
        ev = Evaluator(doc)
        assert ev.region_of_definition(graded, 1) is None
        ev.evaluate(graded, 1)
        assert ev.region_of_definition(graded, 1).data_window == Box(0, 0, 3, 3)  # known once cached
    finally:
        doc.registry.unregister("test.Opaque")
