import numpy as np
import PyOpenColorIO as ocio
import pytest

from nodecomp.nodes.color.ocio_apply import ProcessorCache, apply_processor
from tests.nodes.image_asserts import random_rgba


def matrix_processor(scale_alpha: float = 1.0) -> ocio.CPUProcessor:
    """R, G, B mixed by a matrix and (to check it is undone) alpha scaled by the transform."""
    m = [0.8, 0.2, 0.0, 0.0, 0.1, 0.9, 0.0, 0.0, 0.0, 0.3, 0.7, 0.0, 0.0, 0.0, 0.0, scale_alpha]
    config = ocio.Config.CreateRaw()
    return config.getProcessor(ocio.MatrixTransform(matrix=m)).getDefaultCPUProcessor()


M3 = np.array([[0.8, 0.2, 0.0], [0.1, 0.9, 0.0], [0.0, 0.3, 0.7]])


def test_packed_rgba_matches_the_matrix_and_alpha_is_never_changed():
    x = random_rgba(70, 9, seed=1)  # more rows than one strip
    out = apply_processor(matrix_processor(scale_alpha=2.0), x, [0, 1, 2])
    np.testing.assert_allclose(out[..., :3], x[..., :3] @ M3.T, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(out[..., 3], x[..., 3])


def test_other_layouts_and_unpremultiply_give_the_same_answer():
    x = random_rgba(5, 6, seed=2)
    x[0, 0] = (0.2, 0.1, 0.3, 0.0)  # alpha 0: converted as it is
    packed = apply_processor(matrix_processor(), x, [0, 1, 2], alpha=3)
    alpha = x[..., 3:4]
    straight = np.where(alpha != 0, x[..., :3] / np.where(alpha != 0, alpha, 1), x[..., :3])
    expected = np.where(alpha != 0, (straight @ M3.T) * alpha, straight @ M3.T)
    np.testing.assert_allclose(packed[..., :3], expected, rtol=1e-5, atol=1e-7)
    shuffled = np.ascontiguousarray(np.concatenate([x[..., [3, 2, 1, 0]], x[..., :1]], axis=2))
    other = apply_processor(matrix_processor(), shuffled, [3, 2, 1], alpha=0)
    np.testing.assert_allclose(other[..., [3, 2, 1]], packed[..., :3], rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(other[..., [0, 4]], shuffled[..., [0, 4]])


def test_cancellation_is_checked_between_strips():
    calls = []
    apply_processor(matrix_processor(), random_rgba(200, 4), [0, 1, 2], check=lambda: calls.append(1))
    assert len(calls) == 4  # 64-row strips


def test_processor_cache_builds_once_keeps_failures_out_and_is_bounded():
    cache = ProcessorCache(size=2)
    built = []

    def build(name):
        built.append(name)
        return matrix_processor()

    first = cache.get("a", lambda: build("a"))
    assert cache.get("a", lambda: build("again")) is first and built == ["a"]
    with pytest.raises(RuntimeError):
        cache.get("b", lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    cache.get("b", lambda: build("b"))
    cache.get("c", lambda: build("c"))
    cache.get("a", lambda: build("a2"))  # "a" was the least recently used: dropped, rebuilt
    assert built == ["a", "b", "c", "a2"] and cache.builds == 4
