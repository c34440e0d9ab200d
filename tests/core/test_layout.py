"""Auto-layout on plain positions: rows by dataflow, chains in a column, no overlaps, group kept in place."""

import itertools

import pytest

from nodecomp.core.layout import COLUMN_GAP, DEFAULT_SIZE, ROW_GAP, arrange

W, H = DEFAULT_SIZE


def overlaps(result, sizes=None):
    sizes = sizes or {}
    boxes = {n: (x, y, *sizes.get(n, DEFAULT_SIZE)) for n, (x, y) in result.items()}
    bad = []
    for a, b in itertools.combinations(boxes, 2):
        ax, ay, aw, ah = boxes[a]
        bx, by, bw, bh = boxes[b]
        if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
            bad.append((a, b))
    return bad


def test_a_scrambled_chain_becomes_one_column_in_dataflow_order():
    positions = {"read": (300, 500), "grade": (-200, 40), "blur": (90, 0), "write": (10, 220)}
    edges = [("read", "grade"), ("grade", "blur"), ("blur", "write")]
    result = arrange(positions, edges)
    xs = {x for x, _ in result.values()}
    assert len(xs) == 1
    ys = [result[n][1] for n in ("read", "grade", "blur", "write")]
    assert ys == sorted(ys) and len(set(ys)) == 4
    assert ys[1] - ys[0] == H + ROW_GAP
    assert min(ys) == 0  # the top edge stays where the group's top was
    assert xs.pop() + W / 2 == pytest.approx(sum(x + W / 2 for x, _ in positions.values()) / 4)


def test_a_merge_sits_below_both_branches_under_its_first_input():
    positions = {"fg": (0, 0), "grade": (0, 100), "bg": (400, 0), "merge": (200, 300), "write": (200, 400)}
    edges = [("fg", "grade"), ("grade", "merge"), ("bg", "merge"), ("merge", "write")]
    result = arrange(positions, edges)
    assert result["fg"][1] == result["bg"][1] < result["grade"][1] < result["merge"][1] < result["write"][1]
    assert result["merge"][0] == result["grade"][0] == result["fg"][0] == result["write"][0]
    assert result["bg"][0] > result["fg"][0]  # bg was to the right and stays there
    assert overlaps(result) == []


def test_branches_from_one_node_are_spread_without_overlap():
    positions = {"read": (0, 0), **{f"b{i}": (0, 100) for i in range(4)}}
    edges = [("read", f"b{i}") for i in range(4)]
    result = arrange(positions, edges)
    assert overlaps(result) == []
    row = sorted(result[f"b{i}"][0] for i in range(4))
    assert [b - a for a, b in itertools.pairwise(row)] == [W + COLUMN_GAP] * 3
    # the branches are centred under the node feeding them
    assert (row[0] + row[-1]) / 2 == pytest.approx(result["read"][0])


def test_sizes_are_respected_and_small_dots_are_centred_in_the_column():
    positions = {"read": (0, 0), "dot": (500, 90), "grade": (30, 300)}
    sizes = {"dot": (16, 16), "read": (160, 60), "grade": (220, 90)}
    result = arrange(positions, [("read", "dot"), ("dot", "grade")], sizes)
    centres = {n: result[n][0] + sizes[n][0] / 2 for n in positions}
    assert centres["read"] == centres["dot"] == centres["grade"]
    assert result["dot"][1] == 60 + ROW_GAP
    assert result["grade"][1] == 60 + ROW_GAP + 16 + ROW_GAP
    assert overlaps(result, sizes) == []


def test_layout_is_stable_and_ignores_edges_outside_the_selection():
    positions = {"a": (10, 10), "b": (10, 300), "c": (500, 20)}
    edges = [("outside", "a"), ("a", "b"), ("b", "elsewhere"), ("c", "b")]
    once = arrange(positions, edges)
    assert arrange(once, edges) == once
    assert once["b"][0] == once["a"][0]  # under its first input in the selection


def test_unconnected_nodes_keep_their_order_in_one_row():
    positions = {"a": (0, 50), "b": (10, 0), "c": (-300, 400)}
    result = arrange(positions, [])
    assert {y for _, y in result.values()} == {0}
    order = sorted(result, key=lambda n: result[n][0])
    assert order == ["c", "a", "b"]
    assert overlaps(result) == []


def test_a_cycle_is_cut_instead_of_looping():
    result = arrange({"a": (0, 0), "b": (0, 100)}, [("a", "b"), ("b", "a")])
    assert set(result) == {"a", "b"} and overlaps(result) == []


def test_nothing_to_arrange():
    assert arrange({}, []) == {}


def test_margins_keep_room_for_names_without_moving_the_column():
    positions = {"read": (0, 0), "a": (0, 100), "b": (10, 100)}
    edges = [("read", "a"), ("read", "b")]
    plain = arrange(positions, edges)
    named = arrange(positions, edges, margins={"a": 70.0, "b": 70.0, "read": 70.0})
    assert named["b"][0] - named["a"][0] == plain["b"][0] - plain["a"][0] + 70
    # bodies still line up under their input by centre
    assert (named["a"][0] + named["b"][0]) / 2 == pytest.approx(named["read"][0])
