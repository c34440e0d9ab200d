import copy
import json
import os

import pytest

from nodecomp.core import fileformat
from nodecomp.core.document import Document
from nodecomp.core.errors import DocumentError
from nodecomp.core.fileformat import (
    FORMAT_VERSION,
    MIGRATIONS,
    document_from_dict,
    dumps,
    load_document,
    loads,
    migrate,
    save_document,
)

from .conftest import Filter, Sink, Source, make_registry

# ---------------------------------------------------------------- round trip


def test_save_load_round_trip(rich, registry, tmp_path):
    path = str(tmp_path / "shot.ncomp")
    assert rich.save(path) == path
    loaded = load_document(path, registry)
    assert loaded.to_dict() == rich.to_dict()
    assert loaded.path == path and loaded.name == "shot"
    assert loaded.load_problems == []
    assert not loaded.modified and not loaded.undo_stack.can_undo
    assert loaded.current_frame == 1001.0  # the first frame of the range
    # everything the rich document uses survived
    src, bg, merge = loaded["Source1"], loaded["Bg"], loaded["Merge1"]
    assert len(src.params["gain"].curves[0]) == 2
    assert bg.params["color"].curves[2].keys[0].interp == "constant"
    assert merge.params["mix"].expressions == {0: "clamp(Source1.gain / 10, 0, 1)"}
    assert src.params["offset"].expressions == {1: "frame + 1"}
    assert bg.disabled and not src.disabled
    assert merge.ui == {"pos": [120, -40], "color": "#ff8800"}
    assert merge.inputs == {"a": loaded["Filter1"], "b": bg, "mask": None}
    assert loaded.frame_range == (1001, 1100) and loaded.fps == 25.0
    assert loaded.format.name == "UHD_4K" and loaded.settings["working_space"] == "ACEScg"
    assert loaded.metadata == {"shot": "sq010_sh020", "artist": "kim", "tags": ["a", "b"]}
    assert loaded["Merge1"].value_at("mix", 10) == pytest.approx(0.4)
    # and saving again gives the same text
    assert dumps(loaded) == dumps(rich)


def test_text_is_plain_indented_json(rich):
    text = dumps(rich)
    assert text.endswith("}\n") and '\n  "nodes": [' in text
    data = json.loads(text)
    assert data["format_version"] == FORMAT_VERSION
    assert data["generator"].startswith("nodecomp ")


def test_params_at_default_are_not_written(doc):
    doc.add("Source", gain=1.0, color=(1, 1, 1, 1), mode="fill", count=3)
    doc.add("Source", gain=2.0)
    nodes = doc.to_dict()["nodes"]
    assert nodes[0]["params"] == {}
    assert nodes[1]["params"] == {"gain": 2.0}
    assert "disabled" not in nodes[0] and "ui" not in nodes[0]


def test_an_animated_param_at_its_default_value_is_written(doc):
    a = doc.add("Filter")
    a.set_expression("size", "frame")
    assert doc.to_dict()["nodes"][0]["params"] == {"size": {"value": 0.0, "expressions": {"0": "frame"}}}


def test_loads_accepts_short_plain_params(registry):
    text = json.dumps(
        {
            "format_version": 1,
            "nodes": [
                {"name": "S", "type": "test.Source", "params": {"color": [0, 0.5, 1, 1], "count": 4.0}},
                {"name": "F", "type": "test.Filter", "inputs": {"source": "S"}},
            ],
        }
    )
    doc = loads(text, registry)
    assert doc["S"]["color"] == (0.0, 0.5, 1.0, 1.0)
    assert doc["S"]["count"] == 4 and isinstance(doc["S"]["count"], int)
    assert doc["F"].inputs["source"] is doc["S"]
    assert doc.frame_range == (1, 100) and doc.name == "untitled"


def test_nodes_may_be_listed_after_the_nodes_they_feed(registry):
    data = {
        "format_version": 1,
        "nodes": [
            {"name": "F", "type": "test.Filter", "inputs": {"source": "S"}},
            {"name": "S", "type": "test.Source"},
        ],
    }
    doc = document_from_dict(data, registry)
    assert doc["F"].inputs["source"] is doc["S"]


def test_load_names_an_untitled_document_after_its_file(doc, registry, tmp_path):
    data = doc.to_dict()
    data["name"] = ""
    path = tmp_path / "comp_v003.ncomp"
    path.write_text(json.dumps(data))
    assert load_document(str(path), registry).name == "comp_v003"


# ---------------------------------------------------------------- saving


def test_save_needs_a_path(doc):
    with pytest.raises(DocumentError, match="no file name"):
        doc.save()


def test_save_uses_the_document_path(doc, tmp_path):
    path = str(tmp_path / "a.ncomp")
    doc.save(path)
    doc.add("Source")
    assert doc.save() == path
    assert json.loads(open(path).read())["nodes"][0]["name"] == "Source1"


def test_save_to_a_missing_directory_creates_it(rich, registry, tmp_path):
    path = str(tmp_path / "new" / "deeper" / "shot.ncomp")
    rich.save(path)
    assert load_document(path, registry).to_dict() == rich.to_dict()


def test_atomic_save_keeps_the_old_file_when_replace_fails(doc, tmp_path, monkeypatch):
    path = tmp_path / "shot.ncomp"
    doc.add("Source")
    doc.save(str(path))
    old = path.read_bytes()
    doc.add("Filter")

    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DocumentError, match="disk on fire") as info:
        doc.save()
    assert str(path) in str(info.value)
    assert path.read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["shot.ncomp"]  # no temp file left behind
    assert doc.modified  # still unsaved


def test_atomic_save_cleans_up_when_writing_fails(doc, tmp_path, monkeypatch):
    path = tmp_path / "shot.ncomp"

    def broken_fsync(fd):
        raise OSError("no space left")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(DocumentError, match="no space left"):
        doc.save(str(path))
    assert os.listdir(tmp_path) == []


def test_save_onto_a_directory_is_a_document_error(doc, tmp_path):
    target = tmp_path / "iam_a_dir"
    target.mkdir()
    with pytest.raises(DocumentError, match="could not save") as info:
        doc.save(str(target))
    assert str(target) in str(info.value)
    assert os.listdir(tmp_path) == ["iam_a_dir"]


def test_unserialisable_data_is_a_document_error(doc, tmp_path):
    doc.metadata["when"] = object()
    with pytest.raises(DocumentError, match="could not save"):
        doc.save(str(tmp_path / "a.ncomp"))
    doc.metadata["when"] = float("nan")
    with pytest.raises(DocumentError, match="could not save"):
        doc.save(str(tmp_path / "a.ncomp"))
    assert not (tmp_path / "a.ncomp").exists()


def test_save_sets_path_name_and_clean_state(doc, tmp_path):
    doc.add("Source")
    path = str(tmp_path / "shot_v001.ncomp")
    save_document(doc, path)
    assert doc.path == path and doc.name == "shot_v001" and not doc.modified
    named = Document(doc.registry, name="keep")
    named.save(str(tmp_path / "other.ncomp"))
    assert named.name == "keep"


# ---------------------------------------------------------------- versions and migrations


def test_newer_format_version_is_refused(registry):
    with pytest.raises(DocumentError, match="newer nodecomp") as info:
        document_from_dict({"format_version": FORMAT_VERSION + 1, "nodes": []}, registry, source="x.ncomp")
    assert info.value.field == "format_version" and "x.ncomp" in str(info.value)


@pytest.mark.parametrize("version", [None, "1", 1.0, True, [1]])
def test_format_version_must_be_an_integer(registry, version):
    data = {"nodes": []} if version is None else {"format_version": version}
    with pytest.raises(DocumentError, match="format_version must be an integer"):
        document_from_dict(data, registry)


def test_a_version_without_migration_is_refused(registry):
    with pytest.raises(DocumentError, match="no migration from format 0"):
        document_from_dict({"format_version": 0}, registry)


def test_registered_migration_is_applied(registry, monkeypatch):
    def from_0(data):
        # version 0 called the node list "graph" and params "knobs"
        nodes = [{**n, "params": n.pop("knobs")} for n in data.pop("graph")]
        return {**data, "nodes": nodes}

    monkeypatch.setitem(MIGRATIONS, 0, from_0)
    old = {
        "format_version": 0,
        "name": "legacy",
        "graph": [{"name": "S", "type": "test.Source", "knobs": {"gain": 3.0}}],
    }
    doc = document_from_dict(old, registry)
    assert doc.name == "legacy" and doc["S"]["gain"] == 3.0
    assert doc.to_dict()["format_version"] == FORMAT_VERSION
    assert migrate({"format_version": 0, "graph": []})["format_version"] == 1
    assert old["format_version"] == 0  # the caller's data is not touched


def test_migrations_chain_over_several_versions(registry, monkeypatch):
    monkeypatch.setattr(fileformat, "FORMAT_VERSION", 3)
    seen = []
    for version in (1, 2):
        monkeypatch.setitem(MIGRATIONS, version, lambda d, v=version: seen.append(v) or d)
    data = migrate({"format_version": 1, "nodes": []})
    assert seen == [1, 2] and data["format_version"] == 3


# ---------------------------------------------------------------- validation


def _base(rich):
    return copy.deepcopy(rich.to_dict())


def _error(data, registry, **kwargs):
    with pytest.raises(DocumentError) as info:
        document_from_dict(data, registry, **kwargs)
    return info.value


def test_error_path_into_a_curve_key(rich, registry):
    data = _base(rich)
    data["nodes"][0]["params"]["gain"]["curves"]["0"]["keys"][0]["frame"] = "soon"
    err = _error(data, registry, source="shot.ncomp")
    assert err.field == "nodes[0].params.gain.curves.0.keys[0].frame"
    assert str(err).startswith("file shot.ncomp: nodes[0].params.gain.curves.0.keys[0].frame: ")
    assert "'soon'" in str(err)
    assert err.path == "shot.ncomp"


def test_error_path_into_the_second_node(rich, registry):
    data = _base(rich)
    data["nodes"][1]["params"]["color"]["curves"]["2"]["keys"][0]["value"] = None
    assert _error(data, registry).field == "nodes[1].params.color.curves.2.keys[0].value"


@pytest.mark.parametrize(
    ("mutate", "field", "match"),
    [
        (lambda d: d["settings"].__setitem__("fps", "fast"), "settings.fps", "expected a number"),
        (lambda d: d["settings"].__setitem__("fps", 0), "settings.fps", "out of range"),
        (lambda d: d["settings"].__setitem__("fps", 10**400), "settings.fps", "out of range"),
        (lambda d: d["settings"].__setitem__("first_frame", 1.5), "settings.first_frame", "integer"),
        (lambda d: d["settings"].__setitem__("first_frame", True), "settings.first_frame", "integer"),
        (lambda d: d["settings"].__setitem__("first_frame", -(10**400)), "settings.first_frame", "beyond"),
        (lambda d: d["settings"].__setitem__("last_frame", 3), "settings.last_frame", "before first_frame"),
        (lambda d: d["settings"]["format"].__setitem__("width", "wide"), "settings.format.width", "integer"),
        (lambda d: d["settings"]["format"].pop("height"), "settings.format.height", "integer"),
        (lambda d: d["settings"]["format"].__setitem__("width", 0), "settings.format", "out of range"),
        (lambda d: d["settings"]["format"].__setitem__("pixel_aspect", 10**400), "settings.format", "range"),
        (lambda d: d["settings"]["format"].__setitem__("name", 3), "settings.format.name", "text"),
        (lambda d: d["settings"].__setitem__("format", "HD"), "settings.format", "an object"),
        (lambda d: d["settings"].__setitem__("ocio_config", None), "settings.ocio_config", "text"),
        (lambda d: d.__setitem__("settings", []), "settings", "an object"),
        (lambda d: d.__setitem__("metadata", "x"), "metadata", "an object"),
        (lambda d: d.__setitem__("name", 5), "name", "text"),
        (lambda d: d.__setitem__("nodes", {}), "nodes", "a list"),
        (lambda d: d["nodes"].__setitem__(2, "Filter1"), "nodes[2]", "an object"),
        (lambda d: d["nodes"][2].__setitem__("name", 7), "nodes[2].name", "a node name"),
        (lambda d: d["nodes"][2].pop("name"), "nodes[2].name", "a node name"),
        (lambda d: d["nodes"][2].__setitem__("name", "bad name"), "nodes[2].name", "must start with a letter"),
        (lambda d: d["nodes"][2].__setitem__("name", "Source1"), "nodes[2].name", "Source1 already exists"),
        (lambda d: d["nodes"][2].__setitem__("type", None), "nodes[2].type", "a node type id"),
        (lambda d: d["nodes"][2].__setitem__("type_version", "1"), "nodes[2].type_version", "integer"),
        (lambda d: d["nodes"][2].__setitem__("inputs", []), "nodes[2].inputs", "an object"),
        (lambda d: d["nodes"][2]["inputs"].__setitem__("source", 3), "nodes[2].inputs.source", "node name"),
        (lambda d: d["nodes"][2]["inputs"].__setitem__("source", "Ghost"), "nodes[2].inputs.source", "'Ghost'"),
        (lambda d: d["nodes"][2]["inputs"].__setitem__("side", "Bg"), "nodes[2].inputs.side", "no input 'side'"),
        (lambda d: d["nodes"][2]["inputs"].__setitem__("source", "Sink1"), "nodes[4].inputs.source", "cycle"),
        (lambda d: d["nodes"][2]["inputs"].__setitem__("source", "Filter1"), "nodes[2].inputs.source", "cycle"),
        (lambda d: d["nodes"][2].__setitem__("params", None), "nodes[2].params", "an object"),
        (lambda d: d["nodes"][2].__setitem__("disabled", 1), "nodes[2].disabled", "true or false"),
        (lambda d: d["nodes"][2].__setitem__("ui", [1]), "nodes[2].ui", "an object"),
        (lambda d: d["nodes"][0]["params"].__setitem__("mode", "disco"), "nodes[0].params.mode", "expected one of"),
        (lambda d: d["nodes"][0]["params"].__setitem__("count", 10**400), "nodes[0].params.count", "finite"),
        (lambda d: d["nodes"][0]["params"].__setitem__("label", 3), "nodes[0].params.label", "text"),
        (lambda d: d["nodes"][0]["params"].__setitem__("invert", "no"), "nodes[0].params.invert", "true or false"),
        (lambda d: d["nodes"][0]["params"].__setitem__("gain", -2), "nodes[0].params.gain", "minimum"),
        (lambda d: d["nodes"][0]["params"]["gain"].__setitem__("value", "x"), "nodes[0].params.gain.value", "number"),
        (lambda d: d["nodes"][0]["params"]["gain"].__setitem__("speed", 1), "nodes[0].params.gain.speed", "unknown"),
        (lambda d: d["nodes"][0]["params"]["gain"].__setitem__("curves", []), "nodes[0].params.gain.curves", "object"),
        (
            lambda d: d["nodes"][0]["params"]["gain"]["curves"].__setitem__("1", {"keys": []}),
            "nodes[0].params.gain.curves",
            "component '1' is not in 0..0",
        ),
        (
            lambda d: d["nodes"][1]["params"]["color"]["curves"].__setitem__("02", {"keys": []}),
            "nodes[1].params.color.curves",
            "component",
        ),
        (
            lambda d: d["nodes"][1]["params"]["color"]["curves"].__setitem__("²", {"keys": []}),
            "nodes[1].params.color.curves",
            "component",
        ),
        (
            lambda d: d["nodes"][0]["params"]["gain"]["curves"].__setitem__("0", {"keys": [{"frame": 1}]}),
            "nodes[0].params.gain.curves.0.keys[0].value",
            "missing",
        ),
        (
            lambda d: d["nodes"][0]["params"]["gain"]["curves"]["0"]["keys"][1].__setitem__("frame", 1.0),
            "nodes[0].params.gain.curves.0.keys[1].frame",
            "duplicate",
        ),
        (
            lambda d: d["nodes"][0]["params"]["gain"]["curves"]["0"]["keys"][1].__setitem__("interp", "boing"),
            "nodes[0].params.gain.curves.0.keys[1].interp",
            "unknown interpolation",
        ),
        (
            lambda d: d["nodes"][2]["params"]["size"]["expressions"].__setitem__("0", 12),
            "nodes[2].params.size.expressions.0",
            "text",
        ),
        (
            lambda d: d["nodes"][0]["params"].__setitem__("mode", {"value": "fill", "curves": {"0": {"keys": []}}}),
            "nodes[0].params.mode",
            "cannot be animated",
        ),
    ],
)
def test_validation_errors_name_the_exact_field(rich, registry, mutate, field, match):
    data = _base(rich)
    mutate(data)
    err = _error(data, registry, source="shot.ncomp")
    assert err.field == field
    assert match in str(err)
    assert str(err).startswith(f"file shot.ncomp: {field}: ")
    assert "\n" not in str(err)


def test_a_cycle_written_in_the_file_is_refused(registry):
    data = {
        "format_version": 1,
        "nodes": [
            {"name": "A", "type": "test.Filter", "inputs": {"source": "B"}},
            {"name": "B", "type": "test.Filter", "inputs": {"source": "A"}},
        ],
    }
    err = _error(data, registry)
    assert "cycle" in str(err) and err.field == "nodes[1].inputs.source"


def test_duplicate_node_names_in_the_file(rich, registry):
    data = _base(rich)
    data["nodes"].append(copy.deepcopy(data["nodes"][0]))
    err = _error(data, registry)
    assert err.field == "nodes[5].name" and "Source1 already exists" in str(err)


def test_the_document_must_be_an_object(registry):
    for data in ([], "x", None, 3):
        assert "(document)" in str(_error(data, registry))


def test_unknown_settings_are_ignored(rich, registry, caplog):
    data = _base(rich)
    data["settings"]["colour_science"] = "magic"
    doc = document_from_dict(data, registry)
    assert "colour_science" not in doc.settings
    assert "settings.colour_science: unknown setting ignored" in caplog.text


# ---------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"format_version": 1, "settings": {"fps": NaN}}', "NaN is not allowed"),
        (b'{"format_version": 1, "settings": {"fps": Infinity}}', "Infinity is not allowed"),
        (b'{"format_version": 1, "name": "caf\xe9"}', "cannot read"),
        (b"\xff\xfe\x00\x00", "cannot read"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"format_version": 1}{"format_version": 1}', "not valid JSON"),
        (b'"just a string"', "(document)"),
    ],
)
def test_unreadable_files_are_document_errors_naming_the_file(registry, tmp_path, content, match):
    path = tmp_path / "bad.ncomp"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=match) as info:
        load_document(str(path), registry)
    assert info.value.path == str(path) and str(path) in str(info.value)


def test_a_directory_or_missing_file_is_a_document_error(registry, tmp_path):
    with pytest.raises(DocumentError, match="cannot read") as info:
        load_document(str(tmp_path), registry)
    assert str(tmp_path) in str(info.value)
    with pytest.raises(DocumentError, match="cannot read"):
        load_document(str(tmp_path / "missing.ncomp"), registry)


def test_loads_of_bytes_that_are_not_utf8(registry):
    with pytest.raises(DocumentError, match="not valid JSON"):
        loads(b'{"name": "\xff"}', registry)


# ---------------------------------------------------------------- unknown types and params


def test_unknown_node_types_load_as_placeholders_and_resave_byte_identically(rich, tmp_path):
    full = make_registry()
    text = dumps(rich)
    partial = make_registry(Source, Filter, Sink)  # Merge2's plugin is missing
    doc = loads(text, partial)
    merge = doc["Merge1"]
    assert merge.is_placeholder and merge.node_type is None and merge.type_id == "test.Merge2"
    assert merge.raw_params == {
        "operation": "plus",
        "mix": {"value": 1.0, "expressions": {"0": "clamp(Source1.gain / 10, 0, 1)"}},
    }
    assert merge.inputs == {"a": doc["Filter1"], "b": doc["Bg"]}
    assert doc["Sink1"].inputs["source"] is merge  # downstream connections survive
    assert doc.upstream("Sink1")[0].name in ("Source1", "Bg")
    assert dumps(doc) == text
    path = str(tmp_path / "partial.ncomp")
    doc.save(path)
    assert open(path, encoding="utf-8").read() == text
    # with the plugin back, nothing was lost
    assert loads(dumps(doc), full).to_dict() == {**rich.to_dict(), "name": "partial"}


def test_placeholder_keeps_exotic_data_verbatim(registry):
    node = {
        "name": "Magic1",
        "type": "vendor.Magic",
        "type_version": 7,
        "inputs": {"plate": "S", "matte": None, "extra": "S"},
        "params": {"depth": {"nested": [1, {"x": None}]}, "weird key!": "ok", "n": 1e300},
        "ui": {"pos": [5, 5]},
    }
    data = {"format_version": 1, "nodes": [{"name": "S", "type": "test.Source"}, node]}
    doc = document_from_dict(copy.deepcopy(data), registry)
    magic = doc["Magic1"]
    assert magic.is_placeholder and magic.type_name == "Magic"
    assert [spec.name for spec in magic.input_specs()] == ["plate", "matte", "extra"]
    saved = doc.to_dict()["nodes"][1]
    assert saved["params"] == node["params"] and saved["type_version"] == 7
    assert saved["inputs"] == {"plate": "S", "extra": "S"}
    assert saved["ui"] == {"pos": [5, 5]}
    with pytest.raises(Exception, match="no such param"):
        magic["depth"]


def test_placeholders_follow_edits_of_their_inputs(registry):
    data = {
        "format_version": 1,
        "nodes": [
            {"name": "S", "type": "test.Source"},
            {"name": "M", "type": "vendor.Magic", "inputs": {"plate": "S"}},
        ],
    }
    doc = document_from_dict(data, registry)
    doc.rename("S", "Plate")
    assert doc.to_dict()["nodes"][1]["inputs"] == {"plate": "Plate"}
    assert document_from_dict(doc.to_dict(), registry)["M"].inputs["plate"] is not None
    other = doc.add("Source")
    doc.connect(other, "M", input="plate")
    assert doc.to_dict()["nodes"][1]["inputs"] == {"plate": "Source1"}
    doc.disconnect("M", "plate")
    assert doc.to_dict()["nodes"][1]["inputs"] == {}
    doc.undo()
    assert doc.to_dict()["nodes"][1]["inputs"] == {"plate": "Source1"}


def test_a_cycle_through_a_placeholder_is_refused(registry):
    data = {
        "format_version": 1,
        "nodes": [
            {"name": "F", "type": "test.Filter", "inputs": {"source": "M"}},
            {"name": "M", "type": "vendor.Magic", "inputs": {"plate": "F"}},
        ],
    }
    assert "cycle" in str(_error(data, registry))


def test_type_ids_bind_exactly_never_by_short_name(registry):
    data = {"format_version": 1, "nodes": [{"name": "S", "type": "Source"}]}
    assert document_from_dict(data, registry)["S"].is_placeholder


def test_unknown_params_on_a_known_type_are_kept(rich, registry, caplog):
    data = _base(rich)
    data["nodes"][2]["params"]["radius_v2"] = {"future": True}
    doc = document_from_dict(data, registry)
    assert doc["Filter1"].raw_params == {"radius_v2": {"future": True}}
    assert "nodes[2].params.radius_v2: unknown param kept" in caplog.text
    assert doc.to_dict()["nodes"][2]["params"]["radius_v2"] == {"future": True}
    assert document_from_dict(doc.to_dict(), registry).to_dict() == doc.to_dict()


def test_a_newer_type_version_loads_with_a_warning(rich, registry, caplog):
    data = _base(rich)
    data["nodes"][2]["type_version"] = 9
    doc = document_from_dict(data, registry)
    assert "saved by a newer test.Filter" in caplog.text
    assert doc.to_dict()["nodes"][2]["type_version"] == 1


# ---------------------------------------------------------------- recover


def test_recover_keeps_every_valid_node_and_lists_the_problems(rich, registry):
    data = _base(rich)
    data["settings"]["fps"] = "fast"
    data["metadata"] = 5
    data["name"] = 7
    data["nodes"][0]["params"]["gain"]["curves"]["0"]["keys"][0]["frame"] = "x"  # Source1 is lost
    data["nodes"][4]["inputs"]["source"] = "Ghost"  # Sink1 is kept, unconnected
    data["nodes"].append(copy.deepcopy(data["nodes"][1]))  # a second Bg
    data["nodes"].append("junk")
    doc = document_from_dict(data, registry, recover=True)
    assert [n.name for n in doc] == ["Bg", "Filter1", "Merge1", "Sink1"]
    assert doc["Filter1"].inputs["source"] is None  # fed by the lost Source1
    assert doc["Sink1"].inputs["source"] is None
    assert doc["Merge1"].inputs["b"] is doc["Bg"]
    assert doc.settings["fps"] == 24.0 and doc.metadata == {} and doc.name == "untitled"
    problems = doc.load_problems
    assert len(problems) == 8
    for field in (
        "settings.fps",
        "metadata",
        "name",
        "nodes[0].params.gain.curves.0.keys[0].frame",
        "nodes[2].inputs.source",
        "nodes[4].inputs.source",
        "nodes[5].name",
        "nodes[6]",
    ):
        assert any(p.startswith(field + ":") for p in problems), field
    with pytest.raises(DocumentError):
        document_from_dict(data, registry)


def test_recover_drops_only_the_connection_that_closes_a_cycle(registry):
    data = {
        "format_version": 1,
        "nodes": [
            {"name": "A", "type": "test.Filter", "inputs": {"source": "B"}},
            {"name": "B", "type": "test.Filter", "inputs": {"source": "A"}},
        ],
    }
    doc = document_from_dict(data, registry, recover=True)
    assert doc["A"].inputs["source"] is doc["B"] and doc["B"].inputs["source"] is None
    assert len(doc.load_problems) == 1 and "cycle" in doc.load_problems[0]


def test_recover_through_load_document(rich, registry, tmp_path):
    data = _base(rich)
    data["nodes"][3]["params"]["operation"] = 1
    path = tmp_path / "broken.ncomp"
    path.write_text(json.dumps(data))
    doc = load_document(str(path), registry, recover=True)
    assert "Merge1" not in doc and len(doc) == 4
    assert doc.load_problems == [
        "nodes[3].params.operation: expected one of over, plus, multiply, got 1",
        "nodes[4].inputs.source: refers to a node 'Merge1' that is not in the document",
    ]
