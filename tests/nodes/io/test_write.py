import os

import numpy as np
import OpenImageIO as oiio
import pytest

import nodecomp as nc
from nodecomp.api import Box, CancelledError, EvaluationError, Format, Image
from nodecomp.engine.colour import colour_manager
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes.io import oiio_write
from nodecomp.nodes.io.choices import Compression
from nodecomp.nodes.io.oiio_write import temp_path
from nodecomp.nodes.io.write import Write
from tests.nodes.image_asserts import make_document, source
from tests.nodes.io.files import H, W, frame_pixels, make_sequence, read_back, write_file

RGBA = ("R", "G", "B", "A")


def plate(seed: int = 0, channels=RGBA, window: Box | None = None, display: Box | None = None,
          metadata=None) -> Image:
    """Premultiplied, near-neutral RGBA (stays inside sRGB's gamut) plus any extra channels."""
    window = window or Box(0, 0, W, H)
    rng = np.random.default_rng(seed)
    pixels = rng.random((window.height, window.width, len(channels)), dtype=np.float32)
    if "A" in channels:
        alpha = pixels[..., channels.index("A")]
        alpha[...] = 0.25 + 0.75 * alpha
        grey = rng.random((window.height, window.width), dtype=np.float32) * 0.8 + 0.1
        for i in range(3):
            pixels[..., i] = (grey + 0.05 * pixels[..., i]) * alpha
    return Image(pixels, channels, window, display or Box(0, 0, W, H), metadata=metadata, colorspace="ACEScg")


def graph(image: Image, **params):
    doc = make_document()
    doc.format = Format(W, H)
    src = source(doc, image)
    params["file"] = str(params["file"])
    return doc, src, doc.add("Write", src, **params)


def write_error(doc, node, frame=1):
    with pytest.raises(EvaluationError) as info:
        Evaluator(doc).evaluate(node, frame)
    assert info.value.node == node.name and info.value.frame == frame
    return info.value


def read_node_image(path, frame=1, **params):
    doc = nc.Document()
    return Evaluator(doc).evaluate(doc.add("Read", file=str(path), **params), frame)


# ------------------------------------------------------------------ EXR round trips


@pytest.mark.parametrize("compression", [c.value for c in Compression])
def test_exr_round_trip_for_every_compression(tmp_path, compression):
    image = plate(1)
    doc, _, node = graph(image, file=tmp_path / "c.####.exr", compression=compression, dwa_level=45.0)
    nc.render(doc, node, frames="3")
    pixels, spec = read_back(tmp_path / "c.0003.exr")
    assert spec.format == oiio.HALF
    assert spec.get_string_attribute("compression") == compression
    expected = image.pixels.astype(np.float16).astype(np.float32)
    lossy = compression in ("b44", "b44a", "dwaa", "dwab")
    if lossy:  # random noise is the worst case for block codecs: bound the mean and the outliers
        assert np.abs(pixels - expected).mean() < 0.02 and np.abs(pixels - expected).max() < 0.2
    else:
        np.testing.assert_array_equal(pixels, expected)
    if compression in ("dwaa", "dwab"):
        assert spec.getattribute("openexr:dwaCompressionLevel") == 45.0


def test_exr_float_is_exact_and_half_is_half(tmp_path):
    image = plate(2)
    image.pixels[0, 0, 0] = 1.0 / 3.0
    for datatype in ("float", "half"):
        doc, _, node = graph(image, file=tmp_path / f"{datatype}.exr", datatype=datatype)
        nc.render(doc, node, frames="1")
    as_float, spec = read_back(tmp_path / "float.exr")
    assert spec.format == oiio.FLOAT
    np.testing.assert_array_equal(as_float, image.pixels)
    as_half, spec = read_back(tmp_path / "half.exr")
    assert spec.format == oiio.HALF
    np.testing.assert_array_equal(as_half, image.pixels.astype(np.float16).astype(np.float32))
    assert as_half[0, 0, 0] != as_float[0, 0, 0]


def test_exr_keeps_the_data_window_outside_the_format(tmp_path):
    image = plate(3, window=Box(-8, -4, 40, 30))
    doc, _, node = graph(image, file=tmp_path / "dw.exr", datatype="float")
    nc.render(doc, node, frames="1")
    back = read_node_image(tmp_path / "dw.exr")
    assert back.data_window == Box(-8, -4, 40, 30)
    assert back.display_window == Box(0, 0, W, H)
    np.testing.assert_array_equal(back.pixels, image.pixels)


def test_write_then_read_matches_oiio_for_a_read_graph(tmp_path):
    make_sequence(tmp_path / "in", [1, 2, 3])
    doc = nc.Document()
    read = doc.add("Read", file=str(tmp_path / "in" / "a.####.exr"))
    write = doc.add("Write", read, file=str(tmp_path / "out" / "b.####.exr"), datatype="float", channels="all")
    nc.render(doc, write, frames="1-3")
    for frame in (1, 2, 3):
        pixels, _ = read_back(tmp_path / "out" / f"b.{frame:04d}.exr")
        np.testing.assert_array_equal(pixels, frame_pixels(frame))


# ------------------------------------------------------------------ other formats


@pytest.mark.parametrize(
    ("ext", "datatype", "oiio_type", "atol"),
    [
        ("png", "auto", oiio.UINT8, 0.01),
        ("png", "uint16", oiio.UINT16, 1e-4),
        ("tif", "auto", oiio.UINT16, 1e-4),
        ("tif", "uint8", oiio.UINT8, 0.01),
        ("tif", "float", oiio.FLOAT, 1e-5),
        ("dpx", "auto", oiio.UINT16, 0.003),
        ("dpx", "uint16", oiio.UINT16, 1e-4),
        ("jpg", "auto", oiio.UINT8, None),
    ],
)
def test_other_formats_round_trip_through_read(tmp_path, ext, datatype, oiio_type, atol):
    image = plate(4)
    doc, _, node = graph(image, file=tmp_path / f"o.####.{ext}", datatype=datatype)
    nc.render(doc, node, frames="1")
    path = tmp_path / f"o.0001.{ext}"
    _, spec = read_back(path)
    assert spec.format == oiio_type
    if ext == "dpx":
        assert spec.get_int_attribute("oiio:BitsPerSample") == (10 if datatype == "auto" else 16)
    back = read_node_image(path)
    expected = image.pixels
    if ext == "jpg":
        assert back.channels == ("R", "G", "B")
        expected = image.pixels[..., :3]  # no alpha in JPEG: the premultiplied colour (over black)
    else:
        assert back.channels == RGBA
    if ext == "dpx" and datatype == "auto":
        # OIIO 3.2's DPX reader drops the last sample of a 10-bit "filled method A" row when the
        # row's sample count is 1 mod 3 (64 px x 4 channels): the file holds it (checked by
        # decoding the words), the reader returns the wrong alpha for the last column.
        back_pixels, expected = back.pixels[:, :-1], expected[:, :-1]
    else:
        back_pixels = back.pixels
    if ext == "jpg":  # lossy, with chroma subsampling: bound the mean error, then the worst pixel
        assert np.abs(back_pixels - expected).mean() < 0.01
        atol = 0.1
    np.testing.assert_allclose(back_pixels, expected, atol=atol)


def test_integer_formats_are_srgb_encoded(tmp_path):
    pixels = np.full((H, W, 3), 0.2158, np.float32)
    image = Image(pixels, ("R", "G", "B"), Box(0, 0, W, H), colorspace="Linear Rec.709 (sRGB)")
    doc, _, node = graph(image, file=tmp_path / "g.png")
    nc.render(doc, node, frames="1")
    back, spec = read_back(tmp_path / "g.png")
    assert np.all(np.round(back * 255) == 128)
    assert spec.get_string_attribute("oiio:ColorSpace") in ("sRGB Encoded Rec.709 (sRGB)", "srgb_rec709_scene")


def test_non_exr_formats_are_cropped_and_padded_to_the_display_window(tmp_path):
    image = plate(5, window=Box(10, -5, 90, 20))
    doc, _, node = graph(image, file=tmp_path / "crop.tif", datatype="float", colorspace="ACEScg")
    nc.render(doc, node, frames="1")
    back, spec = read_back(tmp_path / "crop.tif")
    assert (spec.x, spec.y, spec.width, spec.height) == (0, 0, W, H)
    np.testing.assert_allclose(back[:20, 10:], image.pixels[5:, :54], atol=1e-6)
    assert not back[20:].any() and not back[:, :10].any()


@pytest.mark.parametrize(
    ("file", "datatype"),
    [("x.png", "half"), ("x.png", "float"), ("x.jpg", "uint16"), ("x.exr", "uint8"), ("x.dpx", "uint8"),
     ("x.tif", "uint10"), ("x.exr", "uint10")],
)
def test_incompatible_datatypes_are_refused(tmp_path, file, datatype):
    doc, _, node = graph(plate(), file=tmp_path / file, datatype=datatype)
    error = write_error(doc, node)
    assert f"cannot store {datatype}" in error.reason
    assert not list(tmp_path.iterdir())


def test_file_type_overrides_the_extension_and_unknown_extensions_are_refused(tmp_path):
    doc, _, node = graph(plate(), file=tmp_path / "frame.img", file_type="png")
    nc.render(doc, node, frames="1")
    assert oiio.ImageInput.open(str(tmp_path / "frame.img")).format_name() == "png"
    node["file_type"] = "auto"
    assert "extension" in write_error(doc, node).reason


# ------------------------------------------------------------------ channels


def test_channel_selections(tmp_path):
    channels = ("R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B", "depth.Z")
    image = plate(6, channels=channels)
    cases = {
        "rgba": RGBA,
        "rgb": ("R", "G", "B"),
        "all": channels,
        "diffuse": ("diffuse.R", "diffuse.G", "diffuse.B"),
        "rgba,depth": (*RGBA, "depth.Z"),
        "A, diffuse.G": ("A", "diffuse.G"),
    }
    for index, (selection, expected) in enumerate(cases.items()):
        doc, _, node = graph(image, file=tmp_path / f"ch{index}.exr", channels=selection, datatype="float")
        nc.render(doc, node, frames="1")
        back = read_node_image(tmp_path / f"ch{index}.exr")
        assert set(back.channels) == set(expected), selection
        for channel in expected:
            np.testing.assert_array_equal(back.pixels[..., back.index(channel)],
                                          image.pixels[..., channels.index(channel)])


def test_bad_channel_selections(tmp_path):
    image = plate(7, channels=("R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B"))
    doc, _, node = graph(image, file=tmp_path / "x.exr", channels="specular")
    assert "specular" in write_error(doc, node).reason
    node["channels"] = "all"
    node["file"] = str(tmp_path / "x.png")
    assert "at most 4 channels" in write_error(doc, node).reason


# ------------------------------------------------------------------ metadata


def test_metadata_round_trips(tmp_path):
    make_sequence(tmp_path / "in", [25])
    doc = nc.Document(name="shot010")
    doc.fps = 23.976
    read = doc.add("Read", file=str(tmp_path / "in" / "a.####.exr"))
    write = doc.add("Write", read, file=str(tmp_path / "out" / "c.####.exr"),
                    metadata="# comment\nartist = jo\n\nshow=demo=1\n")
    nc.render(doc, write, frames="25")
    _, spec = read_back(tmp_path / "out" / "c.0025.exr")
    assert spec.getattribute("framesPerSecond") == (24000, 1001)
    assert spec.getattribute("nodecomp/frame") == 25
    assert spec.getattribute("nodecomp/source") == str(tmp_path / "in" / "a.0025.exr")
    assert spec.getattribute("nodecomp/document") == "shot010"
    assert spec.getattribute("nodecomp/node") == "Write1"
    assert spec.getattribute("artist") == "jo" and spec.getattribute("show") == "demo=1"
    meta = read_node_image(tmp_path / "out" / "c.0025.exr").metadata
    assert meta["input/timecode"] == "00:00:01:01"  # frame 25 at 24 nominal fps
    assert meta["input/fps"] == pytest.approx(24000 / 1001)
    # OIIO 3.2 stores the OCIO name as its interop id (lin_ap1_scene), an alias in the config
    assert colour_manager().canonical(meta["input/oiio:ColorSpace"]) == "ACEScg"


def test_input_timecode_is_kept(tmp_path):
    image = plate(8, metadata={"input/timecode": "01:00:10:05"})
    doc, _, node = graph(image, file=tmp_path / "tc.exr")
    nc.render(doc, node, frames="7")
    assert read_node_image(tmp_path / "tc.exr").metadata["input/timecode"] == "01:00:10:05"


@pytest.mark.parametrize(("fps", "expected"), [(24.0, (24, 1)), (25.0, (25, 1)), (29.97, (30000, 1001)),
                                               (24000 / 1001, (24000, 1001)), (59.94, (60000, 1001))])
def test_fps_is_written_as_a_rational(tmp_path, fps, expected):
    doc, _, node = graph(plate(), file=tmp_path / "f.exr")
    doc.fps = fps
    nc.render(doc, node, frames="1")
    assert read_back(tmp_path / "f.exr")[1].getattribute("framesPerSecond") == expected


def test_bad_metadata_line_is_an_error(tmp_path):
    doc, _, node = graph(plate(), file=tmp_path / "m.exr", metadata="ok=1\njust words")
    error = write_error(doc, node)
    assert "line 2" in error.reason and "key=value" in error.reason
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ files on disk


def test_frame_number_uses_the_patterns_padding(tmp_path):
    for index, (pattern, name) in enumerate([("a.####.exr", "a.0007.exr"), ("b.%d.exr", "b.7.exr"),
                                             ("c.$F3.exr", "c.007.exr"), ("d.@@.exr", "d.07.exr")]):
        doc, _, node = graph(plate(index), file=tmp_path / pattern)
        nc.render(doc, node, frames="7")
        assert (tmp_path / name).is_file()


def test_skip_existing_leaves_files_alone(tmp_path):
    doc, _, node = graph(plate(1), file=tmp_path / "s.####.exr", overwrite="skip_existing")
    target = tmp_path / "s.0001.exr"
    target.write_bytes(b"keep me")
    nc.render(doc, node, frames="1-2")
    assert target.read_bytes() == b"keep me"
    assert (tmp_path / "s.0002.exr").stat().st_size > 100
    node["overwrite"] = "overwrite"
    nc.render(doc, node, frames="1")
    assert target.read_bytes() != b"keep me"


def test_create_dirs(tmp_path):
    doc, _, node = graph(plate(), file=tmp_path / "new" / "deeper" / "x.exr", create_dirs=False)
    assert "folder does not exist" in write_error(doc, node).reason
    node["create_dirs"] = True
    nc.render(doc, node, frames="1")
    assert (tmp_path / "new" / "deeper" / "x.exr").is_file()


def test_write_returns_its_input_unchanged(tmp_path):
    image = plate(9)
    doc, src, node = graph(image, file=tmp_path / "r.exr")
    evaluator = Evaluator(doc)
    assert evaluator.evaluate(node, 1) is evaluator.evaluate(src, 1)
    assert (tmp_path / "r.exr").is_file()


def test_upstream_edit_changes_the_file_on_re_render(tmp_path):
    make_sequence(tmp_path / "in", [1])
    doc = nc.Document()
    read = doc.add("Read", file=str(tmp_path / "in" / "a.####.exr"))
    write = doc.add("Write", read, file=str(tmp_path / "out.####.exr"), datatype="float")
    nc.render(doc, write, frames="1")
    first = read_back(tmp_path / "out.0001.exr")[0]
    read["colorspace"] = "lin_rec709_scene"
    nc.render(doc, write, frames="1")
    second = read_back(tmp_path / "out.0001.exr")[0]
    assert not np.array_equal(first, second)
    write_file(tmp_path / "in" / "a.0001.exr", frame_pixels(99), fmt="float")
    os.utime(tmp_path / "in" / "a.0001.exr", ns=(1, 10**18))
    nc.render(doc, write, frames="1")
    assert read_back(tmp_path / "out.0001.exr")[0][0, 0, 0] != second[0, 0, 0]


# ------------------------------------------------------------------ atomic writes


def test_temp_name_keeps_the_extension_and_is_hidden(tmp_path):
    name = os.path.basename(temp_path(str(tmp_path / "comp.0001.exr")))
    assert name.startswith(".comp.0001.exr.") and name.endswith(".tmp.exr")


def half_then_fail(out, pixels):
    """Write the top half of the scanlines, then report failure."""
    assert out.write_scanlines(0, pixels.shape[0] // 2, 0, np.ascontiguousarray(pixels[: pixels.shape[0] // 2]))
    return False


def half_then_raise(out, pixels):
    out.write_scanlines(0, pixels.shape[0] // 2, 0, np.ascontiguousarray(pixels[: pixels.shape[0] // 2]))
    raise OSError("disk on fire")


@pytest.mark.parametrize("failure", [half_then_fail, half_then_raise])
def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch, failure):
    monkeypatch.setattr(oiio_write, "_emit", failure)
    doc, _, node = graph(plate(), file=tmp_path / "out" / "a.####.exr")
    error = write_error(doc, node, 1)
    assert error.path == str(tmp_path / "out" / "a.0001.exr")
    assert os.listdir(tmp_path / "out") == []


def test_a_failed_rewrite_keeps_the_previous_file(tmp_path, monkeypatch):
    doc, _, node = graph(plate(), file=tmp_path / "a.exr")
    nc.render(doc, node, frames="1")
    before = (tmp_path / "a.exr").read_bytes()
    monkeypatch.setattr(oiio_write, "_emit", half_then_fail)
    write_error(doc, node, 1)
    assert (tmp_path / "a.exr").read_bytes() == before
    assert os.listdir(tmp_path) == ["a.exr"]


def test_cancel_before_the_rename_leaves_no_file(tmp_path, monkeypatch):
    token = CancelToken()
    real = oiio_write._emit

    def emit_then_cancel(out, pixels):
        ok = real(out, pixels)
        token.cancel()
        return ok

    monkeypatch.setattr(oiio_write, "_emit", emit_then_cancel)
    doc, _, node = graph(plate(), file=tmp_path / "a.exr")
    with pytest.raises(CancelledError):
        Evaluator(doc, cancel=token).evaluate(node, 1)
    assert os.listdir(tmp_path) == []


def test_write_declares_what_the_engine_needs():
    assert Write.type_id == "nodecomp.Write"
    assert Write.is_output and not Write.cacheable
    assert [i.name for i in Write.inputs] == ["source"]
    assert "htj2k" not in Write.param_spec("compression").choices
    assert all(spec.doc for spec in Write.params)
