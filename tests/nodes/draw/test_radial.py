import math

import numpy as np
import pytest

from nodecomp.api import Box
from nodecomp.core.format import Format
from nodecomp.nodes.draw.radial import Radial, radial_coverage
from tests.nodes.image_asserts import evaluate, make_document


def draw(**params):
    doc = make_document()
    doc.format = Format(80, 60)
    return evaluate(doc, doc.add("Radial", **params))[0]


def supersampled_ellipse(box, centre, radius, samples=16):
    offsets = (np.arange(samples) + 0.5) / samples
    xs = (np.arange(box.x0, box.x1)[:, None] + offsets[None, :]).ravel()
    ys = (np.arange(box.y0, box.y1)[:, None] + offsets[None, :]).ravel()
    inside = ((xs[None, :] - centre[0]) / radius[0]) ** 2 + ((ys[:, None] - centre[1]) / radius[1]) ** 2 <= 1
    return inside.reshape(box.height, samples, box.width, samples).mean(axis=(1, 3))


@pytest.mark.parametrize("centre, radius", [((40.3, 30.1), (20.0, 20.0)), ((40.0, 30.0), (30.5, 12.25))])
def test_hard_edge_is_antialiased_to_the_covered_area(centre, radius):
    box = Box(0, 0, 80, 60)
    coverage = radial_coverage(box, centre, radius, 0.0, "smooth")
    reference = supersampled_ellipse(box, centre, radius)
    assert coverage.sum() == pytest.approx(math.pi * radius[0] * radius[1], rel=2e-3)
    assert np.abs(coverage - reference).max() < 0.1
    assert np.abs(coverage - reference).mean() < 0.003


def test_softness_fades_inward_over_that_share_of_the_radius():
    result = draw(center=(40.0, 30.0), radius=(20.0, 20.0), softness=0.5, falloff="linear")
    alpha = result.pixels[30, :, 3]  # the row through the centre; pixel x has its centre at x + 0.5
    assert alpha[40] == 1.0 and alpha[49] == pytest.approx(1.0, abs=1e-5)  # rho <= 0.5
    assert alpha[54] == pytest.approx((1 - 14.5 / 20) / 0.5, abs=1e-3)
    assert alpha[61] == 0.0


def test_invert_is_a_vignette_and_zero_radius_draws_nothing():
    vignette = draw(center=(40.0, 30.0), radius=(30.0, 20.0), softness=1.0, invert=True, color=(0, 0, 0, 1))
    assert vignette.pixels[30, 40, 3] < 0.01 and vignette.pixels[0, 0, 3] == 1.0
    assert not draw(radius=(0.0, 10.0)).pixels.any()
    assert Radial.pass_through({"opacity": 0.0, "color": (1, 1, 1, 1)}) == "source"
