import os

import fileseq
import pytest

from nodecomp.nodes.io import sequence
from nodecomp.nodes.io.sequence import PatternError, nearest_frames, parse_pattern, scan_frames


@pytest.mark.parametrize(
    ("name", "padding", "frame7", "frame_neg"),
    [
        ("a.####.exr", 4, "a.0007.exr", "a.-003.exr"),
        ("a.%04d.exr", 4, "a.0007.exr", "a.-003.exr"),
        ("a.%4d.exr", 4, "a.0007.exr", "a.-003.exr"),
        ("a.@@@@.exr", 4, "a.0007.exr", "a.-003.exr"),
        ("a.$F4.exr", 4, "a.0007.exr", "a.-003.exr"),
        ("a.#.exr", 1, "a.7.exr", "a.-3.exr"),
        ("a.@.exr", 1, "a.7.exr", "a.-3.exr"),
        ("a.%d.exr", 1, "a.7.exr", "a.-3.exr"),
        ("a.$F.exr", 1, "a.7.exr", "a.-3.exr"),
        ("a_###.exr", 3, "a_007.exr", "a_-03.exr"),
        ("a.######.exr", 6, "a.000007.exr", "a.-00003.exr"),
    ],
)
def test_every_pattern_syntax_gives_the_same_frame_paths(tmp_path, name, padding, frame7, frame_neg):
    pattern = parse_pattern(str(tmp_path / name))
    assert pattern.is_sequence
    assert pattern.padding == padding
    assert pattern.path(7) == str(tmp_path / frame7)
    assert pattern.path(-3) == str(tmp_path / frame_neg)
    assert pattern.path(12345) == str(tmp_path / frame7.replace(f"{7:0{padding}d}", f"{12345:0{padding}d}"))


def test_a_name_without_a_token_is_one_file(tmp_path):
    pattern = parse_pattern(str(tmp_path / "plate.1001.exr"))
    assert not pattern.is_sequence
    assert pattern.path(5) == pattern.path(None) == str(tmp_path / "plate.1001.exr")
    assert pattern.frames_on_disk() == ()


def test_houdini_token_is_not_expanded_as_a_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("F4", "oops")
    monkeypatch.setenv("SHOTS", str(tmp_path))

    def resolve(text):
        return os.path.normpath(os.path.expandvars(text))

    pattern = parse_pattern("$SHOTS/a.$F4.exr", resolve)
    assert pattern.path(12) == str(tmp_path / "a.0012.exr")


def test_a_variable_starting_with_f_is_not_a_frame_token(tmp_path, monkeypatch):
    monkeypatch.setenv("FOO", "plate")
    pattern = parse_pattern(str(tmp_path / "$FOO.####.exr"), os.path.expandvars)
    assert pattern.path(1) == str(tmp_path / "plate.0001.exr")


@pytest.mark.parametrize("bad", ["", "   ", "a.####.%04d.exr", "a.#.@.exr"])
def test_unusable_patterns_are_refused(bad):
    with pytest.raises(PatternError):
        parse_pattern(bad)


def _touch(folder, names):
    for name in names:
        (folder / name).write_bytes(b"")


def test_scan_finds_frames_with_the_patterns_padding(tmp_path):
    _touch(tmp_path, ["a.0001.exr", "a.0002.exr", "a.0010.exr", "a.7.exr", "a.0003.png", "b.0004.exr"])
    assert scan_frames(parse_pattern(str(tmp_path / "a.####.exr"))) == (1, 2, 10)
    assert scan_frames(parse_pattern(str(tmp_path / "a.#.exr"))) == (7,)
    assert scan_frames(parse_pattern(str(tmp_path / "c.####.exr"))) == ()
    assert scan_frames(parse_pattern(str(tmp_path / "nowhere" / "a.####.exr"))) == ()


def test_scan_of_unpadded_and_negative_frames(tmp_path):
    _touch(tmp_path, ["u.-3.exr", "u.1.exr", "u.10.exr", "u.100.exr"])
    assert scan_frames(parse_pattern(str(tmp_path / "u.%d.exr"))) == (-3, 1, 10, 100)


def test_scan_is_cached_until_the_folder_changes(tmp_path, monkeypatch):
    _touch(tmp_path, ["a.0001.exr", "a.0002.exr"])
    calls = []
    real = fileseq.findSequenceOnDisk

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(sequence.fileseq, "findSequenceOnDisk", counting)
    pattern = parse_pattern(str(tmp_path / "a.####.exr"))
    assert scan_frames(pattern) == (1, 2)
    assert scan_frames(pattern) == (1, 2)
    assert scan_frames(parse_pattern(str(tmp_path / "a.%04d.exr"))) == (1, 2)  # same normalised pattern
    assert len(calls) == 1
    _touch(tmp_path, ["a.0003.exr"])
    stat = os.stat(tmp_path)
    os.utime(tmp_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # coarse-mtime filesystems
    assert scan_frames(pattern) == (1, 2, 3)
    assert len(calls) == 2


def test_nearest_frames_prefers_the_earlier_frame_on_a_tie():
    assert nearest_frames((1, 3, 5, 9), 4) == [3, 5, 1, 9]
    assert nearest_frames((1, 3, 5, 9), 12) == [9, 5, 3, 1]
    assert nearest_frames((), 4) == []
