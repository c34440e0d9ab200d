import numpy as np
import pytest

from nodecomp.nodes.channel import sheet
from tests.nodes.image_asserts import image, random_rgba


@pytest.mark.parametrize("names, shown", [
    (["R", "G", "B"], ["R", "G", "B"]),
    (["n.X", "n.Y", "n.Z"], ["n.X", "n.Y", "n.Z"]),
    (["depth.Z"], ["depth.Z"] * 3),
    (["motion.u", "motion.v"], ["motion.u", "motion.v"]),
    (["c.B", "c.G", "c.R", "c.A"], ["c.R", "c.G", "c.B"]),
    (["w.a", "w.b", "w.c", "w.d"], ["w.a", "w.b", "w.c"]),
])
def test_display_channels(names, shown):
    assert sheet.display_channels(names) == shown


def test_tiles_follow_the_layers():
    img = image(random_rgba(2, 2, channels=6), ("R", "G", "B", "A", "depth.Z", "motion.u"))
    assert sheet.tiles(img, True) == [("rgba", ["R", "G", "B"]), ("alpha", ["A", "A", "A"]),
                                      ("depth", ["depth.Z"] * 3), ("motion", ["motion.u"] * 3)]
    assert [t[0] for t in sheet.tiles(img, False)] == ["rgba", "depth", "motion"]
    two = image(random_rgba(2, 2, channels=2), ("mv.u", "mv.v"))
    assert sheet.tiles(two, False) == [("mv", ["mv.u", "mv.v", ""])]


@pytest.mark.parametrize("count, columns, grid", [(1, 0, (1, 1)), (4, 0, (2, 2)), (5, 0, (3, 2)), (5, 2, (2, 3)),
                                                  (3, 10, (3, 1)), (0, 0, (1, 1))])
def test_grid(count, columns, grid):
    assert sheet.grid(count, columns) == grid


def test_layout_full_size_and_fit():
    size, slots = sheet.layout(3, 10, 6, 0, 2, None)
    assert size == (2 * 10 + 3 * 2, 2 * 6 + 3 * 2)
    assert slots[0] == sheet.Slot(2, 2, 10, 6) and slots[2] == sheet.Slot(2, 10, 10, 6)
    size, slots = sheet.layout(4, 100, 50, 0, 4, (200, 100))
    assert size == (200, 100)
    cell_w, cell_h = (200 - 12) // 2, (100 - 12) // 2
    assert all(s.width <= cell_w and s.height <= cell_h for s in slots)
    assert slots[0].width / slots[0].height == pytest.approx(2.0, rel=0.05)


def test_label_is_drawn_inside_the_slot():
    canvas = np.zeros((40, 80, 4), np.float32)
    slot = sheet.Slot(5, 5, 70, 30)
    sheet.draw_label(canvas, "depth", slot, 12)
    drawn = np.argwhere(canvas[..., 0] > 0.5)
    assert drawn.size and drawn[:, 0].min() >= 5 and drawn[:, 0].max() < 35
    assert drawn[:, 1].min() >= 5 and drawn[:, 1].max() < 75
