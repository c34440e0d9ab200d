import json

import pytest

from nodecomp.cli.openjd import (
    RangeExpressionError,
    dumps,
    job_template,
    parse_range_expr,
    read_path_mapping_rules,
    to_frame_spec,
    to_range_expr,
    validate,
)
from nodecomp.core.errors import NodecompError
from nodecomp.core.frames import parse_frames
from nodecomp.engine.farm import PathRule


@pytest.mark.parametrize(
    ("text", "frames"),
    [("1-5", [1, 2, 3, 4, 5]), ("1-9:2,20", [1, 3, 5, 7, 9, 20]), ("7", [7]), ("3-1", [3, 2, 1]),
     ("10-1:-4", [10, 6, 2]), ("1,2, 2 ,3", [1, 2, 3]), ("-3--1", [-3, -2, -1])],
)
def test_range_expressions_parse_like_openjd(text, frames):
    assert parse_range_expr(text) == frames


@pytest.mark.parametrize("bad", ["", "a-b", "1-5:0", "1-5:-1", "1-", "1-2-3"])
def test_bad_range_expressions_are_refused(bad):
    with pytest.raises(RangeExpressionError):
        parse_range_expr(bad)


@pytest.mark.parametrize("frames", [[1, 2, 3, 4], [1, 3, 5, 7, 20], [5], [1, 2, 4, 8, 9, 10], [10, 9, 8], [-2, 0, 2]])
def test_frames_round_trip_through_both_syntaxes(frames):
    assert parse_range_expr(to_range_expr(frames)) == frames
    assert sorted(parse_frames(to_frame_spec(frames))) == sorted(frames)
    assert to_range_expr([1, 3, 5, 7, 20]) == "1-7:2,20" and to_frame_spec([1, 3, 5, 7, 20]) == "1-7x2,20"


def test_chunked_and_plain_templates_validate(tmp_path):
    chunked = job_template(script=str(tmp_path / "shots" / "a.ncomp"), template_path=str(tmp_path / "jobs" / "a.yaml"),
                           name="nodecomp: a", writes=["Write1"], frames=list(range(1, 49)), chunk=8)
    assert chunked["extensions"] == ["TASK_CHUNKING"]
    params = {p["name"]: p for p in chunked["parameterDefinitions"]}
    assert params["Script"]["default"] == "../shots/a.ncomp"  # OpenJD wants relative default paths
    assert params["Frames"]["default"] == "1-48" and params["ChunkSize"]["default"] == 8
    args = chunked["steps"][0]["script"]["actions"]["onRun"]["args"]
    assert args[:5] == ["farm", "task", "{{Param.Script}}", "--frames-expr", "{{Task.Param.Frame}}"]
    assert args[-2:] == ["--write", "Write1"]
    plain = job_template(script="a.ncomp", template_path="a.json", name="n", writes=[], frames=[1, 3], chunk=1)
    assert "extensions" not in plain and "ChunkSize" not in {p["name"] for p in plain["parameterDefinitions"]}
    assert plain["steps"][0]["parameterSpace"]["taskParameterDefinitions"][0]["type"] == "INT"
    pytest.importorskip("openjd.model")
    assert validate(chunked) and validate(plain)
    broken = dict(plain, specificationVersion="jobtemplate-1999-01")
    with pytest.raises(NodecompError, match="OpenJD rejects"):
        validate(broken)
    assert json.loads(dumps(plain, "job.json")) == plain
    assert "specificationVersion: jobtemplate-2023-09" in dumps(plain, "job.yaml")
    with pytest.raises(NodecompError, match="--chunk"):
        job_template(script="a", template_path="b", name="n", writes=[], frames=[1], chunk=0)


def test_session_path_mapping_rules_become_one_way_rules(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"version": "pathmapping-1.0", "path_mapping_rules": [
        {"source_path_format": "WINDOWS", "source_path": "S:\\show\\", "destination_path": "/mnt/show"}]}))
    assert read_path_mapping_rules(str(rules)) == [PathRule("S:/show", "/mnt/show", one_way=True)]
    rules.write_text("{}")
    assert read_path_mapping_rules(str(rules)) == []
    rules.write_text('{"version": "other"}')
    with pytest.raises(NodecompError, match="pathmapping-1.0"):
        read_path_mapping_rules(str(rules))
    with pytest.raises(NodecompError, match="cannot read"):
        read_path_mapping_rules(str(tmp_path / "missing.json"))
