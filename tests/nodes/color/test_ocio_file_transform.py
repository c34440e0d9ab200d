import os

import numpy as np
import pytest
from OpenImageIO import ImageBufAlgo as IBA

from nodecomp.api import Box
from nodecomp.core.errors import EvaluationError
from nodecomp.engine.evaluator import Evaluator
from tests.nodes.image_asserts import (
    assert_images_close,
    evaluate,
    from_imagebuf,
    image,
    make_document,
    random_rgba,
    source,
    to_imagebuf,
)


def _curve(r, g, b):
    """A colourful, non-linear 3D function for the test LUTs."""
    return (r ** 0.8 * 0.9 + 0.05 * g, g ** 1.2, 0.7 * b + 0.2 * r * g)


def write_cube(path, size=5, scale=1.0):
    lines = ["TITLE \"test\"", f"LUT_3D_SIZE {size}"]
    steps = np.linspace(0, 1, size)
    for b in steps:  # red changes fastest
        for g in steps:
            for r in steps:
                lines.append(" ".join(f"{scale * v:.6f}" for v in _curve(r, g, b)))
    path.write_text("\n".join(lines) + "\n")
    return path


def write_spi3d(path, size=5):
    lines = ["SPILUT 1.0", "3 3", f"{size} {size} {size}"]
    steps = np.linspace(0, 1, size)
    for i, r in enumerate(steps):
        for j, g in enumerate(steps):
            for k, b in enumerate(steps):
                lines.append(f"{i} {j} {k} " + " ".join(f"{v:.6f}" for v in _curve(r, g, b)))
    path.write_text("\n".join(lines) + "\n")
    return path


def write_clf(path):
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<ProcessList compCLFversion="3" id="nodecomp-test">
  <Matrix inBitDepth="32f" outBitDepth="32f">
    <Array dim="3 3">
      0.9 0.1 0.0
      0.0 0.8 0.2
      0.1 0.0 0.9
    </Array>
  </Matrix>
  <LUT1D inBitDepth="32f" outBitDepth="32f">
    <Array dim="5 1">
      0.0 0.3 0.55 0.8 1.0
    </Array>
  </LUT1D>
</ProcessList>
""")
    return path


WRITERS = {"cube": write_cube, "spi3d": write_spi3d, "clf": write_clf}


@pytest.mark.parametrize("ext", list(WRITERS))
def test_matches_imagebufalgo_ociofiletransform(tmp_path, ext):
    lut = WRITERS[ext](tmp_path / f"look.{ext}")
    x = random_rgba(7, 9, seed=1)
    expected = from_imagebuf(IBA.ociofiletransform(to_imagebuf(x), str(lut), unpremult=True), Box(0, 0, 9, 7))
    doc = make_document()
    result, _ = evaluate(doc, doc.add("OCIOFileTransform", source(doc, image(x)), file=str(lut)))
    assert_images_close(result.pixels, expected, tmp_path, atol=2e-5, name=f"{ext}_vs_oiio")
    assert not np.allclose(result.pixels[..., :3], x[..., :3])
    np.testing.assert_array_equal(result.pixels[..., 3], x[..., 3])


def test_inverse_undoes_a_matrix_and_1d_lut(tmp_path):
    lut = write_clf(tmp_path / "undo.clf")
    x = random_rgba(5, 5, seed=2) * 0.9
    doc = make_document()
    forward = doc.add("OCIOFileTransform", source(doc, image(x)), file=str(lut), unpremultiply=False)
    back = doc.add("OCIOFileTransform", forward, file=str(lut), direction="inverse", unpremultiply=False)
    result, _ = evaluate(doc, back)
    np.testing.assert_allclose(result.pixels, x, atol=1e-4)


def test_relative_paths_and_a_changed_file_are_picked_up(tmp_path):
    lut = write_cube(tmp_path / "grade.cube")
    doc = make_document()
    doc.save(str(tmp_path / "shot.ncomp"))
    node = doc.add("OCIOFileTransform", source(doc, image(np.full((2, 2, 4), 0.5, np.float32))), file="grade.cube")
    first, evaluator = evaluate(doc, node)
    key = evaluator.hash(node, 1)
    write_cube(lut, scale=0.5)
    stat = os.stat(lut)
    os.utime(lut, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second, evaluator = evaluate(doc, node)
    assert evaluator.hash(node, 1) != key
    np.testing.assert_allclose(second.pixels[..., :3], first.pixels[..., :3] * 0.5, rtol=1e-4)


def test_missing_file_names_node_frame_and_file(tmp_path):
    doc = make_document()
    missing = tmp_path / "nope.cube"
    node = doc.add("OCIOFileTransform", source(doc, image(random_rgba(2, 2))), file=str(missing))
    with pytest.raises(EvaluationError, match=rf"node OCIOFileTransform1, frame 1, file {missing}: "
                                              r"the LUT file does not exist"):
        evaluate(doc, node)


def test_malformed_file_names_node_frame_and_file(tmp_path):
    bad = tmp_path / "broken.cube"
    bad.write_text("LUT_3D_SIZE 3\n0 0 0\nnot numbers\n")
    doc = make_document()
    node = doc.add("OCIOFileTransform", source(doc, image(random_rgba(2, 2))), file=str(bad))
    with pytest.raises(EvaluationError, match=rf"node OCIOFileTransform1, frame 1, file {bad}: OCIO cannot read"):
        evaluate(doc, node)


def test_empty_file_passes_through_and_key_holds_the_stamp(tmp_path):
    doc = make_document()
    src = source(doc, image(random_rgba(2, 2)))
    result, evaluator = evaluate(doc, doc.add("OCIOFileTransform", src))
    assert result is evaluator.evaluate(src, 1)
    lut = write_cube(tmp_path / "a.cube")
    node = doc.add("OCIOFileTransform", src, file=str(lut))
    other = doc.add("OCIOFileTransform", src, file=str(write_cube(tmp_path / "b.cube")))
    assert Evaluator(doc).hash(node, 1) != Evaluator(doc).hash(other, 1)


def test_many_channels_and_nan(tmp_path):
    lut = write_cube(tmp_path / "c.cube")
    x = random_rgba(3, 3, seed=5, channels=6)
    x[0, 0, 5] = np.nan
    doc = make_document()
    src = source(doc, image(x, ("R", "G", "B", "A", "depth.Z", "n.X")))
    result, _ = evaluate(doc, doc.add("OCIOFileTransform", src, file=str(lut)))
    np.testing.assert_array_equal(result.pixels[..., 3:], x[..., 3:])
    assert np.isfinite(result.pixels[..., :3]).all()


def test_one_channel_is_unchanged(tmp_path):
    lut = write_cube(tmp_path / "d.cube")
    doc = make_document()
    matte = source(doc, image(np.full((2, 2, 1), 0.5), ("A",)))
    result, _ = evaluate(doc, doc.add("OCIOFileTransform", matte, file=str(lut)))
    np.testing.assert_array_equal(result.pixels, 0.5)
