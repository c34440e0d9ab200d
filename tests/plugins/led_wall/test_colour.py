import numpy as np
import pytest

from nodecomp.engine.colour import colour_manager
from plugins.led_wall.colour import CanvasEncoder, FrameStats, processor_matrix, target_space
from plugins.led_wall.encoding import from_container16, reference_codes
from plugins.led_wall.errors import WallError
from plugins.led_wall.model import ColourSpec, Eotf, Gamut, SignalRange

MANAGER = colour_manager()  # OCIO's built-in studio config; working space ACEScg


def _encoder(**changes):
    colour = ColourSpec(gamut=Gamut.REC2020, eotf=Eotf.PQ, peak_nits=1500.0, range=SignalRange.FULL, bit_depth=10)
    for key, value in changes.items():
        colour = colour.__class__(**{**colour.__dict__, key: value})
    return CanvasEncoder(MANAGER.config, MANAGER.cache_id, MANAGER.working_space, colour)


def _codes(encoder, rgb, workers=1):
    pixels = np.asarray(rgb, np.float32).reshape(1, -1, 3)
    containers, stats = encoder.encode(pixels, [0, 1, 2], workers=workers)
    return from_container16(containers, encoder.colour.bit_depth)[0], stats


@pytest.mark.parametrize("gamut", list(Gamut))
def test_scene_white_is_100_nits_in_every_gamut(gamut):
    # Neutral stays neutral through any gamut change: 1.0 -> 100 nits -> PQ 0.5080784 -> 520 of 1023.
    codes, _ = _codes(_encoder(gamut=gamut), [[1.0, 1.0, 1.0], [10.0, 10.0, 10.0]])
    np.testing.assert_array_equal(codes, [[520, 520, 520], [769, 769, 769]])  # 10.0 -> 1000 nits


def test_scene_white_nits_is_configurable():
    codes, _ = _codes(_encoder(scene_white_nits=203.0), [[1.0, 1.0, 1.0]])
    assert codes[0, 0] == int(reference_codes(203.0, Eotf.PQ, 10, SignalRange.FULL, 1500.0))


def test_gamut_conversion_is_ocio_s():
    rgb = np.float32([[0.18, 0.05, 0.02], [0.01, 0.3, 0.6]])
    codes, _ = _codes(_encoder(gamut=Gamut.P3D65), rgb)
    expected = np.array(rgb, np.float32)
    MANAGER.processor(MANAGER.working_space, "Linear P3-D65").applyRGB(expected)
    nits = np.clip(expected.astype(np.float64) * 100.0, 0.0, 1500.0)
    np.testing.assert_array_equal(codes, reference_codes(nits, Eotf.PQ, 10, SignalRange.FULL, 1500.0))


def test_light_above_the_peak_is_clipped_and_counted():
    rgb = [[20.0, 0.5, 0.5], [1.0, 1.0, 1.0], [30.0, 30.0, 30.0], [-0.5, 0.2, 0.2]]
    codes, stats = _codes(_encoder(gamut=Gamut.REC709), rgb)
    assert stats.pixels == 4 and stats.clipped == 2  # 2000 and 3000 nits are above 1500
    assert stats.negative >= 1  # the negative red stays negative (outside Rec.709 too)
    assert codes[2].tolist() == [814, 814, 814]  # clipped to the 1500-nit code
    expected = np.float32(rgb)
    MANAGER.processor(MANAGER.working_space, "Linear Rec.709 (sRGB)").applyRGB(expected)
    assert stats.max_nits == pytest.approx(float(expected.max()) * 100.0, rel=1e-5)  # the red of [20, .5, .5]
    assert stats.as_dict()["clipped_fraction"] == 0.5


def test_bands_on_threads_give_the_same_codes():
    rng = np.random.default_rng(3)
    pixels = (rng.random((300, 64, 4), dtype=np.float32) * 4.0)
    encoder = _encoder()
    one, stats_one = encoder.encode(pixels, [0, 1, 2], workers=1)
    two, stats_two = encoder.encode(pixels, [0, 1, 2], workers=2)
    np.testing.assert_array_equal(one, two)
    assert stats_one == stats_two


def test_frame_stats_add_up():
    total = FrameStats()
    total.add(FrameStats(pixels=10, clipped=1, negative=2, max_nits=500.0))
    total.add(FrameStats(pixels=5, clipped=0, negative=1, max_nits=900.0))
    assert total == FrameStats(pixels=15, clipped=1, negative=3, max_nits=900.0)


def test_a_config_without_the_wall_gamut_is_a_clear_error():
    import PyOpenColorIO as ocio

    config = ocio.Config.CreateRaw()
    with pytest.raises(WallError, match="has no linear rec2020 colour space"):
        target_space(config, Gamut.REC2020)


def test_the_matrix_is_read_from_ocio_only_when_the_processor_is_one():
    linear = MANAGER.processor(MANAGER.working_space, "Linear Rec.2020")
    matrix = processor_matrix(linear)
    colour = np.float32([[0.3, 0.2, 0.9]])
    expected = colour.copy()
    linear.applyRGB(expected)
    np.testing.assert_allclose(colour.astype(np.float64) @ matrix.T, expected, rtol=1e-6)
    assert processor_matrix(MANAGER.processor(MANAGER.working_space, "sRGB Encoded Rec.709 (sRGB)")) is None


def test_rgba_input_through_the_matrix_equals_ocio_on_a_copy():
    rng = np.random.default_rng(8)
    rgba = rng.random((130, 40, 4), dtype=np.float32) * 12.0
    encoder = _encoder()
    fast, fast_stats = encoder.encode(rgba, [0, 1, 2], workers=1)  # cv2.transform straight from RGBA
    five = np.concatenate([rgba, rgba[..., :1]], axis=2)  # 5 channels: OpenCV cannot, OCIO applies on a copy
    slow, slow_stats = encoder.encode(five, [0, 1, 2], workers=1)
    assert np.count_nonzero(fast != slow) <= 3  # the same light to float rounding: a rare code at a step
    assert fast_stats.clipped == slow_stats.clipped
