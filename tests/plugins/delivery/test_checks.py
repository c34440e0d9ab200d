import numpy as np
import pytest

from plugins.delivery.checks import check_range, compact, digest, sequence_pattern, verify_manifest, write_manifest
from tests.engine.farm.comps import write_plate


def deliver(folder, frames):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    for frame in frames:
        write_plate(folder / f"sh010_comp_v001.{frame:04d}.exr", rng.random((32, 48, 4), dtype=np.float32))


def test_range_check_lists_missing_zero_byte_unreadable_and_short_frames(tmp_path):
    deliver(tmp_path, range(1001, 1011))
    (tmp_path / "sh010_comp_v001.1003.exr").unlink()
    (tmp_path / "sh010_comp_v001.1004.exr").unlink()
    (tmp_path / "sh010_comp_v001.1005.exr").write_bytes(b"")
    (tmp_path / "sh010_comp_v001.1006.exr").write_bytes(b"\x00" * 100)
    whole = (tmp_path / "sh010_comp_v001.1007.exr").read_bytes()
    (tmp_path / "sh010_comp_v001.1007.exr").write_bytes(whole[: len(whole) // 4])  # header intact, cut short
    report = check_range(str(tmp_path / "sh010_comp_v001.####.exr"), range(999, 1011))
    assert not report.ok
    assert report.missing == [999, 1000, 1003, 1004]
    assert report.zero_byte == [1005] and report.unreadable == [1006] and report.short == [1007]
    assert report.good == [1001, 1002, 1008, 1009, 1010]
    assert report.summary().splitlines()[1:] == ["  missing: 999-1000, 1003-1004", "  zero-byte: 1005",
                                                 "  unreadable: 1006", "  short: 1007"]
    deep = check_range(str(tmp_path / "sh010_comp_v001.%04d.exr"), [1007], deep=True)
    assert deep.unreadable == [1007]  # reading the pixels finds the truncation on its own
    assert check_range(str(tmp_path / "sh010_comp_v001.####.exr"), [1001, 1002]).ok
    with pytest.raises(ValueError, match="no frame number token"):
        check_range(str(tmp_path / "still.exr"), [1])


def test_helpers():
    assert compact([5, 1, 2, 3, 7, 8]) == "1-3, 5, 7-8" and compact([]) == ""
    assert sequence_pattern("/a/b.####.exr") == "/a/b.%04d.exr"
    assert sequence_pattern("/a#/b.%03d.exr") == "/a#/b.%03d.exr"


@pytest.mark.parametrize("algorithm", ["md5", "xxh64", "xxh3_64", "xxh128"])
def test_manifests_verify_and_catch_changes(tmp_path, algorithm):
    deliver(tmp_path / "sh010", range(1, 4))
    files = sorted(str(p) for p in (tmp_path / "sh010").iterdir())
    manifest = tmp_path / f"sh010.{algorithm}"
    lines = write_manifest(files, str(manifest), algorithm)
    assert [name for _, name in lines] == [f"sh010/sh010_comp_v001.{f:04d}.exr" for f in range(1, 4)]
    assert manifest.read_text().splitlines()[0] == f"{digest(files[0], algorithm)}  sh010/sh010_comp_v001.0001.exr"
    assert verify_manifest(str(manifest), algorithm) == []
    (tmp_path / "sh010" / "sh010_comp_v001.0002.exr").write_bytes(b"changed")
    (tmp_path / "sh010" / "sh010_comp_v001.0003.exr").unlink()
    assert verify_manifest(str(manifest), algorithm) == ["sh010/sh010_comp_v001.0002.exr: checksum differs",
                                                         "sh010/sh010_comp_v001.0003.exr: missing"]


def test_md5_manifest_is_what_md5sum_reads(tmp_path):
    import hashlib

    (tmp_path / "a.exr").write_bytes(b"abc")
    write_manifest([str(tmp_path / "a.exr")], str(tmp_path / "x.md5"))
    assert (tmp_path / "x.md5").read_text() == f"{hashlib.md5(b'abc').hexdigest()}  a.exr\n"
    with pytest.raises(ValueError, match="unknown checksum"):
        digest(str(tmp_path / "a.exr"), "sha7")
