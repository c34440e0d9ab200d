import pytest

from plugins.led_wall.cabling import chains, runs
from plugins.led_wall.geometry import Cabinet
from plugins.led_wall.model import Cabling, CablingMode, Corner, Direction, Packing

# A 3 x 2 block (columns 0-2, rows 0-1), drawn as the crew sees it:
#   (0,0) (1,0) (2,0)
#   (0,1) (1,1) (2,1)
GRID = [Cabinet("w", col, row, col * 10, row * 10, 10, 10) for row in range(2) for col in range(3)]


def _cells(chain):
    return [(c.col, c.row) for c in chain.cabinets]


def test_vertical_serpentine_from_bottom_left():
    # Up column 0, down column 1, up column 2.
    found, warnings = chains(GRID, Cabling(), per_port=6)
    assert [_cells(c) for c in found] == [[(0, 1), (0, 0), (1, 0), (1, 1), (2, 1), (2, 0)]]
    assert warnings == []


def test_vertical_linear_starts_every_run_at_the_corner():
    found, _ = chains(GRID, Cabling(mode=CablingMode.LINEAR), per_port=6)
    assert _cells(found[0]) == [(0, 1), (0, 0), (1, 1), (1, 0), (2, 1), (2, 0)]


def test_horizontal_serpentine_from_top_right():
    cabling = Cabling(start_corner=Corner.TOP_RIGHT, direction=Direction.HORIZONTAL)
    found, _ = chains(GRID, cabling, per_port=6)
    assert _cells(found[0]) == [(2, 0), (1, 0), (0, 0), (0, 1), (1, 1), (2, 1)]


def test_runs_pack_whole_columns_and_each_port_starts_at_the_corner():
    # 5 cabinets per port hold two columns of 2; the third column starts a new port from the bottom.
    found, _ = chains(GRID, Cabling(), per_port=5)
    assert [_cells(c) for c in found] == [[(0, 1), (0, 0), (1, 0), (1, 1)], [(2, 1), (2, 0)]]


def test_cabinet_packing_cuts_one_snake():
    found, _ = chains(GRID, Cabling(packing=Packing.CABINETS), per_port=4)
    assert [_cells(c) for c in found] == [[(0, 1), (0, 0), (1, 0), (1, 1)], [(2, 1), (2, 0)]]
    found, _ = chains(GRID, Cabling(packing=Packing.CABINETS), per_port=5)
    assert [len(c.cabinets) for c in found] == [5, 1]


def test_a_column_over_the_port_capacity_is_split_and_reported():
    found, warnings = chains(GRID, Cabling(), per_port=1, run_name="wall w on P1")
    assert len(found) == 6
    assert warnings[0] == ("column 0 of wall w on P1 has 2 cabinets, over the port capacity of 1; "
                           "it is split over 2 ports")
    assert len(warnings) == 3


def test_missing_cabinets_are_skipped_in_the_chain():
    cabinets = [c for c in GRID if (c.col, c.row) != (1, 1)]
    found, _ = chains(cabinets, Cabling(), per_port=6)
    assert _cells(found[0]) == [(0, 1), (0, 0), (1, 0), (2, 1), (2, 0)]


@pytest.mark.parametrize("corner, first_run", [
    (Corner.TOP_LEFT, [(0, 0), (0, 1)]),
    (Corner.BOTTOM_RIGHT, [(2, 1), (2, 0)]),
])
def test_runs_follow_the_start_corner(corner, first_run):
    assert [(c.col, c.row) for c in runs(GRID, Cabling(start_corner=corner))[0]] == first_run
