import os

import numpy as np
import OpenImageIO as oiio
import pytest

from plugins.led_wall import image_io
from plugins.led_wall.encoding import container16
from plugins.led_wall.errors import WallError
from plugins.led_wall.image_io import OutputFormat, parse_formats, write_png, write_raster


def _read(path, kind=oiio.UINT16):
    inp = oiio.ImageInput.open(str(path))
    assert inp is not None, oiio.geterror()
    try:
        return inp.spec(), inp.read_image(0, 0, 0, inp.spec().nchannels, kind)
    finally:
        inp.close()


def _codes(bits, height=3, width=1000):
    rng = np.random.default_rng(bits)
    return rng.integers(0, 1 << bits, (height, width, 3)).astype(np.uint16)


@pytest.mark.parametrize("fmt, bits", [
    (OutputFormat.DPX, 10), (OutputFormat.DPX, 12), (OutputFormat.TIFF, 10), (OutputFormat.TIFF, 12),
    (OutputFormat.EXR, 10), (OutputFormat.EXR, 12),
])
def test_rasters_hold_the_code_values_exactly(tmp_path, fmt, bits):
    codes = _codes(bits)
    path = tmp_path / f"r.{image_io.EXTENSIONS[fmt]}"
    write_raster(str(path), container16(codes, bits), fmt, bits, {"ImageDescription": "test"})
    if fmt is OutputFormat.EXR:
        spec, pixels = _read(path, oiio.FLOAT)
        back = np.rint(pixels.astype(np.float64) * ((1 << bits) - 1))
        assert spec.format == (oiio.HALF if bits <= 10 else oiio.FLOAT)
    else:
        spec, pixels = _read(path)
        back = np.rint(pixels.astype(np.float64) * ((1 << bits) - 1) / 65535)
        if fmt is OutputFormat.DPX:
            assert spec.get_int_attribute("oiio:BitsPerSample") == bits
    np.testing.assert_array_equal(back, codes)
    assert (spec.width, spec.height, spec.nchannels) == (1000, 3, 3)


def test_png_tiles_are_16_bit(tmp_path):
    pixels = container16(_codes(10, 6, 8), 10)
    write_png(str(tmp_path / "t.png"), pixels)
    spec, back = _read(tmp_path / "t.png")
    assert spec.format == oiio.UINT16
    np.testing.assert_array_equal(back, pixels)


def test_writes_leave_no_temporary_files(tmp_path):
    write_png(str(tmp_path / "a.png"), np.zeros((2, 2, 3), np.uint8))
    image_io.write_text(str(tmp_path / "b.csv"), "x\n")
    assert sorted(os.listdir(tmp_path)) == ["a.png", "b.csv"]


def test_a_failed_write_names_the_file_and_leaves_nothing(tmp_path):
    missing = tmp_path / "no" / "such" / "r.dpx"
    with pytest.raises(WallError) as info:
        write_raster(str(missing), np.zeros((2, 2, 3), np.uint16), OutputFormat.DPX, 10)
    assert info.value.path == str(missing)
    with pytest.raises(WallError, match="cannot write the file"):
        image_io.write_text(str(missing.with_suffix(".csv")), "x")
    assert not missing.parent.exists() or not os.listdir(missing.parent)


def test_parse_formats():
    assert parse_formats("dpx, EXR,tif,dpx") == (OutputFormat.DPX, OutputFormat.EXR, OutputFormat.TIFF)
    with pytest.raises(WallError, match="unknown raster format 'mov'"):
        parse_formats("dpx,mov")
    with pytest.raises(WallError, match="no raster format given"):
        parse_formats(" , ")
