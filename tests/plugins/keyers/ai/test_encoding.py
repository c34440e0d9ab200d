import numpy as np

from plugins.keyers.ai.encoding import decode_srgb8, encode_rgb


def test_encode_clips_and_applies_the_power():
    out = encode_rgb(np.array([-1.0, 0.0, 0.25, 1.0, 4.0], np.float32))
    np.testing.assert_allclose(out, (0.0, 0.0, 0.25 ** (1 / 2.2), 1.0, 1.0), rtol=1e-6)


def test_decode_srgb8_end_points_and_midpoint():
    np.testing.assert_allclose(decode_srgb8(np.array([0, 255, 188])), (0.0, 1.0, 0.5029), atol=1e-3)
