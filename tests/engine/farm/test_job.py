import pytest

import nodecomp as nc
from nodecomp.core.errors import GraphError, NodecompError
from nodecomp.engine.farm.job import FarmJob, FarmResult, split_chunks
from nodecomp.engine.farm.pathmap import PathMapError, PathRule
from tests.engine.farm.comps import comp, make_plates


def test_frames_split_into_ordered_chunks():
    assert split_chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert split_chunks([], 3) == []
    with pytest.raises(NodecompError, match="--chunk"):
        split_chunks([1], 0)


def test_job_validates_its_settings_up_front():
    doc = nc.Document()
    doc.add("Write", doc.add("Constant"), file="/tmp/x.####.exr")
    with pytest.raises(GraphError):
        FarmJob(doc, ["Nope"], [1])
    with pytest.raises(GraphError, match="no Write"):
        FarmJob(doc, [], [1])
    with pytest.raises(NodecompError, match="--chunk"):
        FarmJob(doc, ["Write1"], [1], chunk=0)
    with pytest.raises(PathMapError):
        FarmJob(doc, ["Write1"], [1], path_map=["nonsense"])
    job = FarmJob(doc, ["Write1"], [3, 1, 3], path_map=["/a=/b"])
    assert job.frames == [3, 1] and job.rules == (PathRule("/a", "/b"),)
    assert job.spec.path_map == (PathRule("/a", "/b"),) and job.spec.document["name"] == doc.name


def test_resume_scan_finds_complete_frames_on_the_submitting_side(tmp_path):
    plates = make_plates(tmp_path / "plates", range(1, 5))
    doc = comp(plates, tmp_path / "out", range(1, 5))
    nc.render(doc, "Write1", frames="1-2")
    (tmp_path / "out" / "comp.0002.exr").write_bytes(b"")
    job = FarmJob(doc, ["Write1"], range(1, 5), resume=True)
    assert job.already_complete() == [1]
    assert job.to_render() == [2, 3, 4]
    assert FarmJob(doc, ["Write1"], range(1, 5)).to_render() == [1, 2, 3, 4]


def test_result_is_ok_only_when_every_frame_is_accounted_for():
    assert FarmResult([1, 2], done=[1], skipped=[2]).ok
    assert not FarmResult([1, 2], done=[1]).ok
    assert not FarmResult([1], done=[1], cancelled=True).ok
    assert FarmResult([1], chunks=2, chunk_attempts=3).reruns == 1
