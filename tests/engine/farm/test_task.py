import os
import pickle

import pytest

from nodecomp.core.errors import NodecompError
from nodecomp.engine.farm.spec import FarmJobSpec, load_registry
from nodecomp.engine.farm.task import ChunkFailed, ChunkReport, FrameReport, FrameState, render_chunk
from tests.engine.farm.comps import comp, frame_files, make_plates


def spec_for(doc, **kw):
    return FarmJobSpec(job_id=kw.pop("job_id", "t1"), document=doc.to_dict(), document_path=doc.path,
                       base_dir=os.getcwd(), outputs=("Write1",), **kw)


def test_a_chunk_renders_its_frames_outside_a_worker(tmp_path):
    plates = make_plates(tmp_path / "plates", range(1, 4))
    doc = comp(plates, tmp_path / "out", range(1, 4))
    report = render_chunk(spec_for(doc), 0, [1, 2, 3])
    assert [(f.frame, f.state) for f in report.frames] == [(i, FrameState.DONE) for i in (1, 2, 3)]
    assert frame_files(tmp_path / "out") == ["comp.0001.exr", "comp.0002.exr", "comp.0003.exr"]


def test_resume_skips_complete_frames_and_failures_raise_a_picklable_report(tmp_path):
    plates = make_plates(tmp_path / "plates", range(1, 3))
    doc = comp(plates, tmp_path / "out", range(1, 4))
    doc["Read1"]["after"] = "error"
    render_chunk(spec_for(doc, job_id="a"), 0, [1])
    with pytest.raises(ChunkFailed) as info:
        render_chunk(spec_for(doc, job_id="b", resume=True), 0, [1, 2, 3])  # frame 3 has no plate
    report = info.value.report
    assert [(f.frame, f.state) for f in report.frames] == [(1, FrameState.SKIPPED), (2, FrameState.DONE),
                                                           (3, FrameState.FAILED)]
    assert "frame 3" in report.failed[0].error and "bg.0003.exr" in report.failed[0].error
    again = pickle.loads(pickle.dumps(info.value))
    assert again.report == report and str(again) == str(info.value)


def test_chunk_failed_message_names_the_first_failure():
    report = ChunkReport(2, "tcp://w", [FrameReport(5, FrameState.FAILED, error="node Read1, frame 5: gone")])
    assert str(ChunkFailed(report)) == "chunk 2: 1 frame(s) failed on tcp://w: node Read1, frame 5: gone"


def test_an_unknown_registry_names_the_fix():
    with pytest.raises(NodecompError, match="install nodecomp"):
        load_registry("no_such_module_anywhere:factory")
    assert load_registry("nodecomp.plugin_loader:default_registry").get("Write") is not None
