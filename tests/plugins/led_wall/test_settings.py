import os

import pytest

from plugins.led_wall.errors import WallError
from plugins.led_wall.model import Eotf, Gamut, SignalRange
from plugins.led_wall.settings import Overrides, load_wall, wall_fingerprint
from tests.plugins.led_wall.conftest import tiny_dict, write_wall


def test_overrides_replace_only_what_they_set(tmp_path):
    path = str(write_wall(tmp_path, tiny_dict()))
    plain = load_wall(path).stage.colour
    assert (plain.gamut, plain.eotf, plain.range, plain.bit_depth) == (Gamut.REC2020, Eotf.PQ, SignalRange.FULL, 10)
    changed = load_wall(path, Overrides(gamut="p3d65", signal_range="legal", bit_depth="12", peak_nits=1000.0,
                                        scene_white_nits=203.0)).stage.colour
    assert (changed.gamut, changed.eotf, changed.range, changed.bit_depth) == (Gamut.P3D65, Eotf.PQ,
                                                                               SignalRange.LEGAL, 12)
    assert (changed.peak_nits, changed.scene_white_nits) == (1000.0, 203.0)


def test_plans_are_cached_until_the_file_changes(tmp_path):
    path = str(write_wall(tmp_path, tiny_dict()))
    first = load_wall(path)
    assert load_wall(path) is first
    assert load_wall(path, Overrides(bit_depth="12")) is not first
    write_wall(tmp_path, tiny_dict(timing={"fps": 25}))
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = load_wall(path)
    assert again is not first and again.stage.timing.fps == 25 and again.key != first.key


def test_no_wall_file_is_a_clear_error(tmp_path):
    with pytest.raises(WallError, match="no wall file is set"):
        wall_fingerprint("")
    with pytest.raises(WallError, match="cannot read the wall file") as info:
        load_wall(str(tmp_path / "nope.json"))
    assert info.value.path.endswith("nope.json")
