"""The request contract: proxy scales are 1/n, regions snap to whole proxy pixels."""

import pytest

from nodecomp.engine.image import Box
from nodecomp.engine.request import Request, proxy_step


@pytest.mark.parametrize(("scale", "step"), [(1, 1), (1.0, 1), (0.5, 2), (0.25, 4), (0.125, 8), (1 / 3, 3)])
def test_a_scale_is_one_over_a_whole_number(scale, step):
    assert proxy_step(scale) == step
    request = Request(1.0, scale=scale)
    assert request.step == step and request.scale == 1.0 / step


@pytest.mark.parametrize("scale", [0, -0.5, 0.3, 2.0, 1 / 65, True, "0.5"])
def test_other_scales_are_refused(scale):
    with pytest.raises(ValueError, match="proxy scale"):
        Request(1.0, scale=scale)


def test_the_region_snaps_outward_to_whole_proxy_pixels():
    request = Request(1.0, region=Box(3, -3, 9, 10), scale=0.25)
    assert request.region == Box(0, -4, 12, 12)
    assert request.window == Box(0, -1, 3, 3)
    assert request == Request(1.0, region=Box(1, -1, 12, 12), scale=0.25)  # same pixels, same request
    assert Request(1.0, region=Box(3, 5, 9, 10)).region == Box(3, 5, 9, 10)


def test_grown_pads_the_region_in_proxy_pixels():
    request = Request(1.0, region=Box(8, 8, 16, 16), scale=0.5)
    assert request.grown(2).region == Box(4, 4, 20, 20)
    assert request.grown(1, 0).window == Box(3, 4, 9, 8)
    assert Request(1.0).grown(5) == Request(1.0)


def test_helpers_keep_the_other_fields():
    request = Request(2.0, region=Box(0, 0, 4, 4), scale=0.5)
    assert request.at(3).region == request.region and request.at(3).scale == 0.5
    assert request.with_region(None) == Request(2.0, scale=0.5)
    assert not request.is_full and Request(7.0).is_full
