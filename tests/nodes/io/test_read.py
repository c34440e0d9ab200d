import os
import shutil

import numpy as np
import OpenImageIO as oiio
import PyOpenColorIO as ocio
import pytest

import nodecomp as nc
from nodecomp.api import Box, EvaluationError, Format, Request, conform
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.proxy import crop, reduce
from nodecomp.nodes.io.read import Read
from tests.nodes.io.files import H, W, evaluate, frame_of, frame_pixels, make_sequence, write_file

SRGB = "sRGB Encoded Rec.709 (sRGB)"


def new_doc() -> nc.Document:
    doc = nc.Document()
    doc.format = Format(W, H)
    return doc


def read(doc, **params):
    params.setdefault("file", "")
    return doc.add("Read", **{k: str(v) if k == "file" else v for k, v in params.items()})


def error_of(doc, node, frame):
    with pytest.raises(EvaluationError) as info:
        evaluate(doc, node, frame)
    return info.value


def assert_names(error, node, frame, path):
    assert error.node == node.name
    assert error.frame == frame
    assert error.path == str(path)
    assert node.name in str(error) and str(path) in str(error) and f"frame {frame}" in str(error)


# ------------------------------------------------------------------ patterns and ranges


@pytest.mark.parametrize("token", ["####", "%04d", "@@@@", "$F4"])
def test_every_padded_pattern_syntax_reads_its_frame(tmp_path, token):
    make_sequence(tmp_path, [1, 2, 3])
    doc = new_doc()
    node = read(doc, file=tmp_path / f"a.{token}.exr")
    assert [frame_of(evaluate(doc, node, f)) for f in (1, 2, 3)] == [1, 2, 3]


@pytest.mark.parametrize("token", ["#", "@", "%d", "$F"])
def test_every_unpadded_pattern_syntax_reads_its_frame(tmp_path, token):
    make_sequence(tmp_path, [8, 9, 10, 11], padding=1)
    doc = new_doc()
    node = read(doc, file=tmp_path / f"a.{token}.exr")
    assert [frame_of(evaluate(doc, node, f)) for f in (8, 10, 11)] == [8, 10, 11]


def test_relative_path_is_relative_to_the_document(tmp_path):
    make_sequence(tmp_path / "plates", [1])
    doc = new_doc()
    doc.save(str(tmp_path / "shot.ncomp"))
    node = read(doc, file="plates/a.####.exr")
    assert frame_of(evaluate(doc, node, 1)) == 1


def test_auto_range_holds_first_and_last_frames(tmp_path):
    make_sequence(tmp_path, [3, 4, 5])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    assert [frame_of(evaluate(doc, node, f)) for f in (1, 3, 5, 9)] == [3, 3, 5, 5]


def test_outside_range_black(tmp_path):
    make_sequence(tmp_path, [3, 4, 5])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", before="black", after="black")
    for frame in (2, 6):
        image = evaluate(doc, node, frame)
        assert image.data_window == Box(0, 0, W, H)
        assert not image.pixels.any()
    assert frame_of(evaluate(doc, node, 4)) == 4


def test_outside_range_error_names_node_frame_and_file(tmp_path):
    pattern = make_sequence(tmp_path, [3, 4, 5])
    doc = new_doc()
    node = read(doc, file=pattern, before="error", after="error")
    error = error_of(doc, node, 2)
    assert_names(error, node, 2, tmp_path / "a.0002.exr")
    assert "before the range 3-5" in error.reason
    assert "after the range 3-5" in error_of(doc, node, 6).reason


def test_custom_range(tmp_path):
    make_sequence(tmp_path, [1, 2, 3, 4, 5])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", range_mode="custom", first=2, last=4, after="black")
    assert frame_of(evaluate(doc, node, 1)) == 2  # before: hold
    assert frame_of(evaluate(doc, node, 3)) == 3
    assert not evaluate(doc, node, 5).pixels.any()
    node["last"] = 1
    assert "before first" in error_of(doc, node, 3).reason


def test_frame_offset_is_added_to_the_comp_frame(tmp_path):
    make_sequence(tmp_path, [1001, 1002])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", frame_offset=1000)
    assert frame_of(evaluate(doc, node, 2)) == 1002
    assert evaluate(doc, node, 2).metadata["input/frame"] == 1002


def test_fractional_frames_round_to_the_nearest_file(tmp_path):
    make_sequence(tmp_path, [1, 2])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    assert frame_of(evaluate(doc, node, 1.4)) == 1
    assert frame_of(evaluate(doc, node, 1.6)) == 2


def test_a_single_file_is_read_for_every_frame(tmp_path):
    write_file(tmp_path / "still.exr", frame_pixels(7), fmt="float")
    doc = new_doc()
    node = read(doc, file=tmp_path / "still.exr")
    assert frame_of(evaluate(doc, node, 1)) == frame_of(evaluate(doc, node, 50)) == 7


# ------------------------------------------------------------------ missing and broken frames


def gap_sequence(tmp_path):
    make_sequence(tmp_path, [1, 2, 3, 5, 6])
    return tmp_path / "a.####.exr"


def test_missing_frame_is_an_error_by_default(tmp_path):
    doc = new_doc()
    node = read(doc, file=gap_sequence(tmp_path))
    error = error_of(doc, node, 4)
    assert_names(error, node, 4, tmp_path / "a.0004.exr")
    assert "missing" in error.reason


def test_missing_frame_black_warns_with_the_file(tmp_path):
    doc = new_doc()
    node = read(doc, file=gap_sequence(tmp_path), missing="black")
    evaluator = Evaluator(doc)
    image = evaluator.evaluate(node, 4)
    assert image.channels == ("R", "G", "B", "A") and not image.pixels.any()
    assert len(evaluator.warnings) == 1 and str(tmp_path / "a.0004.exr") in evaluator.warnings[0]


def test_missing_frame_checkerboard(tmp_path):
    doc = new_doc()
    node = read(doc, file=gap_sequence(tmp_path), missing="checkerboard")
    evaluator = Evaluator(doc)
    image = evaluator.evaluate(node, 4)
    assert image.data_window == Box(0, 0, W, H)
    assert np.all(image.pixels[..., 3] == 1.0)
    assert len(np.unique(image.pixels[..., 0])) == 2
    assert "a.0004.exr" in evaluator.warnings[0] and "checkerboard" in evaluator.warnings[0]


def test_missing_frame_nearest_takes_the_earlier_neighbour_on_a_tie(tmp_path):
    doc = new_doc()
    node = read(doc, file=gap_sequence(tmp_path), missing="nearest")
    evaluator = Evaluator(doc)
    assert frame_of(evaluator.evaluate(node, 4)) == 3
    assert "a.0004.exr" in evaluator.warnings[0] and "nearest frame 3" in evaluator.warnings[0]


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_truncated_file_is_an_error_naming_node_frame_and_file(tmp_path):
    make_sequence(tmp_path, [1, 2, 3])
    truncate(tmp_path / "a.0002.exr")
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    error = error_of(doc, node, 2)
    assert_names(error, node, 2, tmp_path / "a.0002.exr")
    assert "cannot be read" in error.reason


@pytest.mark.parametrize(("missing", "expected"), [("nearest", 1.0), ("black", 0.0)])
def test_truncated_file_follows_the_missing_policy(tmp_path, missing, expected):
    make_sequence(tmp_path, [1, 2, 3])
    truncate(tmp_path / "a.0002.exr")
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", missing=missing)
    evaluator = Evaluator(doc)
    image = evaluator.evaluate(node, 2)
    assert (frame_of(image) if expected else float(image.pixels.max())) == expected
    assert "a.0002.exr" in evaluator.warnings[0]


def test_garbage_file_is_an_error(tmp_path):
    path = tmp_path / "junk.exr"
    path.write_bytes(os.urandom(4000))
    doc = new_doc()
    node = read(doc, file=path)
    error = error_of(doc, node, 1)
    assert_names(error, node, 1, path)
    assert "cannot be read" in error.reason


def test_garbage_png_is_an_error(tmp_path):
    path = tmp_path / "junk.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    doc = new_doc()
    assert_names(error_of(doc, read(doc, file=path), 3), doc["Read1"], 3, path)


def test_missing_single_file_is_an_error(tmp_path):
    doc = new_doc()
    node = read(doc, file=tmp_path / "nope.exr")
    assert_names(error_of(doc, node, 1), node, 1, tmp_path / "nope.exr")


def test_folder_instead_of_a_file_is_an_error(tmp_path):
    make_sequence(tmp_path, [1, 3])
    (tmp_path / "a.0002.exr").mkdir()
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    error = error_of(doc, node, 2)
    assert_names(error, node, 2, tmp_path / "a.0002.exr")
    assert "folder" in error.reason
    node["missing"] = "nearest"
    assert frame_of(evaluate(doc, node, 2)) == 1


@pytest.mark.parametrize("pattern", ["", "a.####.%04d.exr"])
def test_unusable_pattern_is_an_error(tmp_path, pattern):
    doc = new_doc()
    node = read(doc, file=pattern)
    error = error_of(doc, node, 1)
    assert error.node == node.name and error.frame == 1
    assert "file name" in error.reason


def test_nothing_on_disk_applies_the_missing_policy(tmp_path):
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    assert "missing" in error_of(doc, node, 1).reason
    node["missing"] = "black"
    assert not evaluate(doc, node, 1).pixels.any()
    node["missing"] = "nearest"
    assert "no other readable frame" in error_of(doc, node, 1).reason


# ------------------------------------------------------------------ pixels, windows, metadata


def test_pixels_equal_oiio_imagebuf_exactly(tmp_path):
    pixels = np.random.default_rng(3).random((H, W, 4), dtype=np.float32) * 4 - 1
    path = write_file(tmp_path / "plate.exr", pixels, fmt="half", attrs={"compression": "piz"})
    doc = new_doc()
    image = evaluate(doc, read(doc, file=path), 1)
    buf = oiio.ImageBuf(str(path))
    expected = buf.get_pixels(oiio.FLOAT)
    assert not buf.has_error
    assert image.pixels.dtype == np.float32
    np.testing.assert_array_equal(image.pixels, expected)
    assert image.colorspace == "ACEScg"
    assert not image.pixels.flags.writeable


def test_windows_and_pixel_aspect_come_from_the_file(tmp_path):
    pixels = np.random.default_rng(1).random((20, 30, 4), dtype=np.float32)
    path = write_file(tmp_path / "dw.exr", pixels, fmt="float", x=-5, y=7, full=(0, 0, W, H),
                      attrs={"PixelAspectRatio": 2.0})
    doc = new_doc()
    image = evaluate(doc, read(doc, file=path), 1)
    assert image.data_window == Box(-5, 7, 25, 27)
    assert image.display_window == Box(0, 0, W, H)
    assert image.pixel_aspect == 2.0
    np.testing.assert_array_equal(image.pixels, pixels)


def test_metadata_is_passed_on_under_input(tmp_path):
    path = write_file(
        tmp_path / "m.0012.exr", frame_pixels(12), fmt="float",
        attrs={"smpte:TimeCode": (oiio.TypeTimeCode, (0x01020304, 0)),
               "framesPerSecond": (oiio.TypeRational, (24000, 1001)), "camera": "A001", "take": 3},
    )
    doc = new_doc()
    meta = evaluate(doc, read(doc, file=tmp_path / "m.####.exr"), 12).metadata
    assert meta["input/timecode"] == "01:02:03:04"
    assert meta["input/framesPerSecond"] == [24000, 1001]
    assert meta["input/fps"] == pytest.approx(24000 / 1001)
    assert meta["input/camera"] == "A001" and meta["input/take"] == 3
    assert meta["input/filename"] == str(path) and meta["input/frame"] == 12


def test_channels_keep_file_names_with_rgba_first(tmp_path):
    rng = np.random.default_rng(5)
    names = ("diffuse.R", "diffuse.G", "diffuse.B", "A", "B", "G", "R", "depth.Z")
    pixels = rng.random((H, W, len(names)), dtype=np.float32)
    path = write_file(tmp_path / "layers.exr", pixels, names, fmt="float")
    doc = new_doc()
    node = read(doc, file=path)
    image = evaluate(doc, node, 1)
    assert image.channels[:4] == ("R", "G", "B", "A")
    assert set(image.channels) == set(names)
    for channel in names:
        np.testing.assert_array_equal(image.pixels[..., image.index(channel)], pixels[..., names.index(channel)])
    node["layers"] = "rgba, depth"
    image = evaluate(doc, node, 1)
    assert image.channels == ("R", "G", "B", "A", "depth.Z")
    np.testing.assert_array_equal(image.pixels[..., 4], pixels[..., 7])
    node["layers"] = "diffuse"
    assert evaluate(doc, node, 1).channels == ("diffuse.R", "diffuse.G", "diffuse.B")
    node["layers"] = "specular"
    error = error_of(doc, node, 1)
    assert "specular" in error.reason and "diffuse" in error.reason


def write_multipart(path, parts):
    """parts: list of (name, channels, pixels, x, y)."""
    specs = []
    for name, channels, pixels, x, y in parts:
        spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], len(channels), "float")
        spec.channelnames = channels
        spec.x, spec.y = x, y
        spec.full_x, spec.full_y, spec.full_width, spec.full_height = 0, 0, W, H
        spec.attribute("name", name)
        specs.append(spec)
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), specs), out.geterror()
    for index, (_, _, pixels, _, _) in enumerate(parts):
        if index:
            assert out.open(str(path), specs[index], "AppendSubimage"), out.geterror()
        assert out.write_image(pixels), out.geterror()
    assert out.close()


def test_multipart_exr_reads_every_part(tmp_path):
    rng = np.random.default_rng(9)
    rgba = rng.random((H, W, 4), dtype=np.float32)
    depth = rng.random((H, W, 1), dtype=np.float32)
    spec_px = rng.random((H, W, 3), dtype=np.float32)
    path = tmp_path / "mp.exr"
    write_multipart(path, [("depth", ("Z",), depth, 0, 0), ("rgba", ("R", "G", "B", "A"), rgba, 0, 0),
                           ("specular", ("specular.R", "specular.G", "specular.B"), spec_px, 0, 0)])
    doc = new_doc()
    node = read(doc, file=path)
    image = evaluate(doc, node, 1)
    assert image.channels == ("R", "G", "B", "A", "depth.Z", "specular.R", "specular.G", "specular.B")
    np.testing.assert_array_equal(image.pixels[..., :4], rgba)
    np.testing.assert_array_equal(image.pixels[..., 4], depth[..., 0])
    np.testing.assert_array_equal(image.pixels[..., 5:], spec_px)
    node["layers"] = "specular"
    assert evaluate(doc, node, 1).channels == ("specular.R", "specular.G", "specular.B")


def test_multipart_parts_with_different_windows_meet_on_the_union(tmp_path):
    rng = np.random.default_rng(2)
    rgba = rng.random((H, W, 4), dtype=np.float32)
    small = rng.random((10, 20, 3), dtype=np.float32)
    path = tmp_path / "mp.exr"
    write_multipart(path, [("rgba", ("R", "G", "B", "A"), rgba, 0, 0),
                           ("diffuse", ("R", "G", "B"), small, 60, -4)])
    doc = new_doc()
    image = evaluate(doc, read(doc, file=path), 1)
    assert image.channels == ("R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B")
    assert image.data_window == Box(0, -4, 80, H)
    assert image.display_window == Box(0, 0, W, H)
    np.testing.assert_array_equal(image.pixels[4:, :W, :4], rgba)
    np.testing.assert_array_equal(image.pixels[0:10, 60:80, 4:], small)
    assert not image.pixels[:4, :, :4].any() and not image.pixels[20:, :, 4:].any()


# ------------------------------------------------------------------ regions of interest and proxy scales


def write_tiled(path, pixels, x=0, y=0, tile=16):
    spec = oiio.ImageSpec(pixels.shape[1], pixels.shape[0], pixels.shape[2], "float")
    spec.x, spec.y = x, y
    spec.full_x, spec.full_y, spec.full_width, spec.full_height = 0, 0, W, H
    spec.tile_width = spec.tile_height = tile
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec) and out.write_image(pixels) and out.close(), out.geterror()
    return path


def region_render(doc, node, region=None, scale=1.0):
    evaluator = Evaluator(doc)
    request = Request(1.0, region=region, scale=scale)
    image = evaluator.evaluate(node, request)
    found = evaluator.region_of_definition(node, request)
    assert (found.data_window, found.display_window) == (image.data_window, image.display_window)
    return image


@pytest.mark.parametrize("layout", ["scanline", "tiled"])
@pytest.mark.parametrize("region", [Box(10, 7, 37, 30), Box(-20, -20, 9, 70), Box(50, 40, 90, 90)])
def test_a_region_reads_only_that_part_of_the_file(tmp_path, layout, region):
    pixels = np.random.default_rng(4).random((40, 60, 4), dtype=np.float32)
    path = tmp_path / "plate.exr"
    if layout == "tiled":
        write_tiled(path, pixels, x=3, y=2)
    else:
        write_file(path, pixels, fmt="float", x=3, y=2, full=(0, 0, W, H))
    doc = new_doc()
    node = read(doc, file=path)
    full = evaluate(doc, node, 1)
    image = region_render(doc, node, region)
    assert image.data_window == full.data_window.intersect(region)
    assert image.display_window == full.display_window
    np.testing.assert_array_equal(image.pixels, crop(full, region).pixels)


def test_a_region_cuts_every_part_of_a_multipart_file(tmp_path):
    rng = np.random.default_rng(2)
    rgba = rng.random((H, W, 4), dtype=np.float32)
    small = rng.random((10, 20, 3), dtype=np.float32)
    path = tmp_path / "mp.exr"
    write_multipart(path, [("rgba", ("R", "G", "B", "A"), rgba, 0, 0),
                           ("diffuse", ("R", "G", "B"), small, 60, -4)])
    doc = new_doc()
    node = read(doc, file=path)
    full = evaluate(doc, node, 1)
    for region in (Box(50, 0, 70, 10), Box(0, 20, 30, 40)):  # across both parts; the first part only
        image = region_render(doc, node, region)
        assert image.channels == full.channels
        np.testing.assert_array_equal(conform(image, region), conform(full, region))


def test_a_proxy_read_is_the_block_mean_of_the_converted_pixels(tmp_path):
    pixels = np.random.default_rng(8).random((H, W, 4), dtype=np.float32)
    doc = new_doc()
    exr = read(doc, file=write_file(tmp_path / "plate.exr", pixels, fmt="float", x=1, y=-1, full=(0, 0, W, H)))
    png = read(doc, file=write_png(tmp_path / "plate.png", np.full((H, W, 3), 128), alpha=np.full((H, W), 255)))
    for node in (exr, png):
        full = evaluate(doc, node, 1)
        for scale, step in ((0.5, 2), (0.25, 4)):
            image = region_render(doc, node, scale=scale)
            expected = reduce(full, step)
            assert image.display_window == Box(0, 0, W // step, H // step)
            assert image.data_window == expected.data_window
            np.testing.assert_allclose(image.pixels, expected.pixels, rtol=0, atol=1e-6)
        both = region_render(doc, node, Box(9, 9, 30, 20), 0.5)
        assert both.data_window == Box(4, 4, 15, 10)


def test_stand_in_frames_honour_the_request(tmp_path):
    make_sequence(tmp_path, [1, 3])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", missing="checkerboard")
    full = evaluate(doc, node, 2)
    image = Evaluator(doc).evaluate(node, Request(2.0, region=Box(8, 8, 40, 24), scale=0.5))
    np.testing.assert_allclose(image.pixels, crop(reduce(full, 2), Box(4, 4, 20, 12)).pixels, rtol=0, atol=1e-6)


# ------------------------------------------------------------------ colour


def processor(source, target):
    config = ocio.Config.CreateFromBuiltinConfig("ocio://studio-config-latest")
    return config.getProcessor(source, target).getDefaultCPUProcessor()


def write_png(path, values, alpha=None):
    channels = ("R", "G", "B") if alpha is None else ("R", "G", "B", "A")
    pixels = np.empty((H, W, len(channels)), dtype=np.float32)
    pixels[..., :3] = np.asarray(values, dtype=np.float32) / 255.0
    if alpha is not None:
        pixels[..., 3] = alpha / 255.0
    spec = oiio.ImageSpec(W, H, len(channels), "uint8")
    spec.channelnames = channels
    spec.attribute("oiio:UnassociatedAlpha", 1)
    out = oiio.ImageOutput.create(str(path))
    assert out.open(str(path), spec) and out.write_image(pixels) and out.close()
    return path


def test_png_is_converted_from_srgb_to_the_working_space(tmp_path):
    doc = new_doc()
    grey = evaluate(doc, read(doc, file=write_png(tmp_path / "grey.png", (128, 128, 128))), 1)
    assert grey.channels == ("R", "G", "B")
    linear = np.full((1, 1, 3), 128 / 255, np.float32)
    processor(SRGB, "Linear Rec.709 (sRGB)").applyRGB(linear)
    assert linear[0, 0, 0] == pytest.approx(0.2158, abs=1e-4)
    colour = (200, 128, 30)
    image = evaluate(doc, read(doc, file=write_png(tmp_path / "c.png", colour)), 1)
    expected = np.array([[colour]], np.float32) / 255
    processor(SRGB, "ACEScg").applyRGB(expected)
    np.testing.assert_allclose(image.pixels[10, 10], expected[0, 0], atol=1e-6)
    np.testing.assert_allclose(grey.pixels[0, 0], np.full(3, 0.2158, np.float32), atol=2e-4)


def test_png_alpha_is_premultiplied_after_linearising(tmp_path):
    doc = new_doc()
    image = evaluate(doc, read(doc, file=write_png(tmp_path / "a.png", (128, 128, 128), alpha=51)), 1)
    expected = np.full((1, 1, 3), 128 / 255, np.float32)
    processor(SRGB, "ACEScg").applyRGB(expected)
    np.testing.assert_allclose(image.pixels[0, 0, :3], expected[0, 0] * 0.2, atol=1e-6)
    assert image.pixels[0, 0, 3] == pytest.approx(0.2)


def test_explicit_colorspace_is_converted_to_the_working_space(tmp_path):
    pixels = np.random.default_rng(4).random((H, W, 3), dtype=np.float32)
    path = write_file(tmp_path / "rec709.exr", pixels, ("R", "G", "B"), fmt="float")
    doc = new_doc()
    node = read(doc, file=path, colorspace="lin_rec709_scene")
    expected = pixels.copy()
    processor("Linear Rec.709 (sRGB)", "ACEScg").applyRGB(expected)
    np.testing.assert_allclose(evaluate(doc, node, 1).pixels, expected, atol=1e-6)
    node["colorspace"] = "no such space"
    assert "no such space" in error_of(doc, node, 1).reason


def test_raw_colorspace_leaves_integer_files_alone(tmp_path):
    doc = new_doc()
    image = evaluate(doc, read(doc, file=write_png(tmp_path / "g.png", (128, 128, 128)), colorspace="raw"), 1)
    assert image.pixels[0, 0, 0] == pytest.approx(128 / 255)


# ------------------------------------------------------------------ cache key


def test_cache_key_follows_the_files_mtime_and_size(tmp_path):
    make_sequence(tmp_path, [1, 2])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    evaluator = Evaluator(doc)
    key = evaluator.hash(node, 1)
    assert evaluator.hash(node, 1) == key
    assert evaluator.hash(node, 2) != key
    evaluator.evaluate(node, 1)
    evaluator.evaluate(node, 1)
    assert evaluator.stats.computes[node.name] == 1
    path = tmp_path / "a.0001.exr"
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    assert evaluator.hash(node, 1) != key
    write_file(path, frame_pixels(42), fmt="float")
    assert frame_of(evaluator.evaluate(node, 1)) == 42


def test_cache_key_includes_the_detected_range(tmp_path):
    make_sequence(tmp_path, [1, 2])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr")
    evaluator = Evaluator(doc)
    held = evaluator.hash(node, 5)
    make_sequence(tmp_path, [3])
    stat = os.stat(tmp_path)
    os.utime(tmp_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert evaluator.hash(node, 5) != held
    assert frame_of(evaluator.evaluate(node, 5)) == 3


def test_fingerprint_of_a_missing_frame_is_a_marker(tmp_path):
    make_sequence(tmp_path, [1, 3])
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", missing="black")
    evaluator = Evaluator(doc)
    before = evaluator.hash(node, 2)
    shutil.copy(tmp_path / "a.0001.exr", tmp_path / "a.0002.exr")
    assert evaluator.hash(node, 2) != before
    assert frame_of(evaluator.evaluate(node, 2)) == 1


def test_read_declares_what_the_engine_needs():
    assert Read.type_id == "nodecomp.Read"
    assert Read.category == "IO"
    assert Read.frame_dependent
    assert all(spec.doc for spec in Read.params)


def test_greyscale_png_is_linearised_as_grey(tmp_path):
    path = write_file(tmp_path / "matte.png", np.full((H, W, 1), 128 / 255, np.float32), ("Y",), fmt="uint8")
    doc = new_doc()
    image = evaluate(doc, read(doc, file=path), 1)
    assert image.channels == ("Y",)
    assert image.pixels[0, 0, 0] == pytest.approx(0.2158, abs=2e-4)


def test_nearest_skips_neighbours_that_cannot_be_read(tmp_path):
    make_sequence(tmp_path, [1, 2, 4, 5])
    truncate(tmp_path / "a.0002.exr")
    doc = new_doc()
    node = read(doc, file=tmp_path / "a.####.exr", missing="nearest")
    evaluator = Evaluator(doc)
    assert frame_of(evaluator.evaluate(node, 3)) == 4
    assert any("a.0002.exr" in w and "cannot be read" in w for w in evaluator.warnings)
    assert any("a.0003.exr" in w and "nearest frame 4" in w for w in evaluator.warnings)
    for frame in (1, 4, 5):
        truncate(tmp_path / f"a.{frame:04d}.exr")
    error = error_of(doc, node, 3)
    assert_names(error, node, 3, tmp_path / "a.0003.exr")
    assert "no other readable frame" in error.reason
