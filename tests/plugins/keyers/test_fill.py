import numpy as np

from plugins.keyers.fill import push_pull


def test_known_pixels_are_kept_and_holes_take_the_surrounding_value():
    values = np.full((64, 80, 3), (0.1, 0.5, 0.2), np.float32)
    values[20:40, 30:50] = 9.0  # garbage under the hole must not leak
    weight = np.ones((64, 80), np.float32)
    weight[20:40, 30:50] = 0.0
    filled = push_pull(values, weight)
    np.testing.assert_allclose(filled[weight > 0], values[weight > 0], atol=1e-5)
    np.testing.assert_allclose(filled[20:40, 30:50], np.broadcast_to((0.1, 0.5, 0.2), (20, 20, 3)), atol=1e-4)


def test_a_linear_gradient_is_continued_smoothly_into_a_hole():
    x = np.linspace(0.0, 1.0, 128, dtype=np.float32)
    values = np.repeat(np.repeat(x[None, :, None], 96, axis=0), 1, axis=2)
    weight = np.ones((96, 128), np.float32)
    weight[30:60, 50:80] = 0.0
    filled = push_pull(values, weight)
    inside = filled[30:60, 50:80, 0]
    assert np.abs(inside - values[30:60, 50:80, 0]).max() < 0.05
    assert np.all(np.diff(inside.mean(axis=0)) > -1e-3)  # still increasing left to right


def test_nothing_known_gives_zeros():
    out = push_pull(np.ones((8, 8, 2), np.float32), np.zeros((8, 8), np.float32))
    assert out.shape == (8, 8, 2) and not out.any()
