"""Fuzzing the `.ncomp` reader: a bad file is a DocumentError, never a crash, and recover keeps what is valid."""

import copy
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nodecomp.core.document import Document
from nodecomp.core.errors import DocumentError
from nodecomp.core.fileformat import document_from_dict, loads, node_to_dict

from .conftest import build_rich, make_registry

REGISTRY = make_registry()
EXAMPLES = int(os.environ.get("NODECOMP_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rich_data() -> dict:
    doc = build_rich(Document(REGISTRY))
    doc.metadata["note"] = "café ✓ — ünïcode"
    data = json.loads(json.dumps(doc.to_dict()))
    data["nodes"][2]["params"]["from_the_future"] = {"x": [1, 2]}  # unknown param on a known type
    data["nodes"].append(  # a placeholder: its plugin is not loaded
        {
            "name": "Magic1",
            "type": "vendor.Magic",
            "type_version": 3,
            "inputs": {"plate": "Merge1", "matte": "Bg"},
            "params": {"depth": {"nested": [1, None, "two"]}, "amount": 0.5},
        }
    )
    data["nodes"][4]["inputs"]["source"] = "Magic1"  # Sink1 reads the placeholder
    return data


BASE = _rich_data()
BASE_TEXT = json.dumps(BASE, indent=2, ensure_ascii=False)


def test_the_fuzz_base_is_valid():
    doc = document_from_dict(copy.deepcopy(BASE), REGISTRY)
    assert len(doc) == 6 and doc["Sink1"].inputs["source"] is doc["Magic1"]
    assert doc.to_dict()["nodes"] == BASE["nodes"]


# ---------------------------------------------------------------- JSON values and paths

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([0, -1, 10**400, -(2**63), 2**53 + 1])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(["", "Source1", "Bg", "test.Filter", "0", "linear", "²", "frame * 2", "__import__"])
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _paths(value, prefix=()):
    """Every path into `value`, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


BASE_PATHS = list(_paths(BASE))


class Mutated:
    """Mutated data plus which original node entries the mutation touched."""

    def __init__(self, data):
        self.data = data
        self.entries = list(data["nodes"])  # the original node dicts, by identity
        self.touched: set[int] = set()  # ids of touched original entries
        self.touched_all = False
        self.version_touched = False
        self.log: list[str] = []

    def touch(self, path):
        if not path or path == ("nodes",):
            self.touched_all = True
        elif path[0] == "format_version":
            self.version_touched = True
        elif path[0] == "nodes" and isinstance(self.data, dict) and isinstance(self.data.get("nodes"), list):
            nodes = self.data["nodes"]
            if isinstance(path[1], int) and path[1] < len(nodes):
                self.touched.add(id(nodes[path[1]]))

    def protected(self):
        """Original entries the mutation left alone and whose name is still unique."""
        if self.touched_all or not isinstance(self.data, dict) or not isinstance(self.data.get("nodes"), list):
            return []
        nodes = self.data["nodes"]
        names = [n.get("name") for n in nodes if isinstance(n, dict)]
        present = {id(n) for n in nodes}
        return [
            e for e in self.entries if id(e) in present and id(e) not in self.touched and names.count(e["name"]) == 1
        ]


ROUNDS = st.integers(1, 3)


@st.composite
def mutated(draw):
    m = Mutated(copy.deepcopy(BASE))
    for _ in range(draw(ROUNDS)):
        paths = list(_paths(m.data))
        kind = draw(st.sampled_from(["replace", "delete", "junk", "swap", "duplicate"]))
        if kind == "replace":
            path = draw(st.sampled_from(paths))
            old = _get(m.data, path)
            new = draw(JSON_VALUES.filter(lambda v, old=old: _kind(v) != _kind(old)))
            m.touch(path)
            if path:
                _get(m.data, path[:-1])[path[-1]] = new
            else:
                m.data = new
            m.log.append(f"replace {path} with {new!r}")
        elif kind == "delete":
            candidates = [p for p in paths if p]
            if not candidates:
                continue
            path = draw(st.sampled_from(candidates))
            m.touch(path)
            del _get(m.data, path[:-1])[path[-1]]
            m.log.append(f"delete {path}")
        elif kind == "junk":
            candidates = [p for p in paths if isinstance(_get(m.data, p), dict)]
            if not candidates:
                continue
            path = draw(st.sampled_from(candidates))
            key = draw(st.text(max_size=6) | st.sampled_from(["value", "curves", "0", "keys", "name", "x"]))
            value = draw(JSON_VALUES)
            m.touch((*path, key) if path != () else (key,))
            _get(m.data, path)[key] = value
            m.log.append(f"junk {path}[{key!r}] = {value!r}")
        elif kind == "swap":
            candidates = [p for p in paths if isinstance(_get(m.data, p), list) and len(_get(m.data, p)) > 1]
            if not candidates:
                continue
            path = draw(st.sampled_from(candidates))
            items = _get(m.data, path)
            i = draw(st.integers(0, len(items) - 1))
            j = draw(st.integers(0, len(items) - 1))
            if path != ("nodes",):  # reordering node entries leaves each entry as it was
                m.touch((*path, i))
            items[i], items[j] = items[j], items[i]
            m.log.append(f"swap {path} {i} {j}")
        else:
            nodes = m.data.get("nodes") if isinstance(m.data, dict) else None
            if not isinstance(nodes, list) or not nodes:
                continue
            i = draw(st.integers(0, len(nodes) - 1))
            at = draw(st.integers(0, len(nodes)))
            nodes.insert(at, copy.deepcopy(nodes[i]))  # a copy: the name is no longer unique
            m.log.append(f"duplicate node {i} at {at}")
    return m


# ---------------------------------------------------------------- properties


def _load(data, **kwargs):
    """Load, letting nothing but DocumentError out (any other exception fails the test)."""
    try:
        return document_from_dict(data, REGISTRY, **kwargs)
    except DocumentError as exc:
        assert len(str(exc).splitlines()) == 1, str(exc)
        return None


@FUZZ
@given(mutated())
def test_mutated_documents_raise_only_document_errors(m):
    before = copy.deepcopy(m.data)
    doc = _load(m.data)
    assert m.data == before  # loading never changes its input
    if doc is not None:
        again = document_from_dict(doc.to_dict(), REGISTRY)  # what loads, re-saves and re-loads
        assert again.to_dict() == doc.to_dict()


@FUZZ
@given(mutated())
def test_mutated_text_raises_only_document_errors(m):
    text = json.dumps(m.data)  # non-finite floats become NaN/Infinity literals, which loads refuses
    try:
        loads(text, REGISTRY, source="fuzz.ncomp")
    except DocumentError as exc:
        assert "fuzz.ncomp" in str(exc)


@FUZZ
@given(mutated())
def test_recover_never_loses_a_valid_node(m):
    doc = _load(m.data, recover=True)
    protected = m.protected()
    if doc is None:
        assert m.version_touched or not protected, m.log
        return
    for entry in protected:
        name = entry["name"]
        assert name in doc, (name, m.log, doc.load_problems)
        node = doc[name]
        saved = node_to_dict(node)
        assert saved["type"] == entry["type"], m.log
        assert saved["params"] == entry.get("params", {}), (name, m.log)
    # what recover kept always saves and loads back cleanly
    again = document_from_dict(doc.to_dict(), REGISTRY)
    assert again.to_dict() == doc.to_dict()


@FUZZ
@given(st.integers(0, len(BASE_TEXT.encode("utf-8"))))
def test_truncated_text_raises_only_document_errors(cut):
    data = BASE_TEXT.encode("utf-8")[:cut]
    try:
        doc = loads(data, REGISTRY)
    except DocumentError:
        return
    assert len(data) == len(BASE_TEXT.encode("utf-8"))  # only the whole text loads
    assert len(doc) == 6


@FUZZ
@given(st.data())
def test_text_level_edits_raise_only_document_errors(data):
    text = BASE_TEXT
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        insert = data.draw(st.sampled_from(["", "{", "}", "[", "]", ",", ":", '"', "0", "-", "null", "NaN", "\\", "é"]))
        text = text[:at] + insert + text[at + cut :]
    try:
        loads(text, REGISTRY)
    except DocumentError:
        pass
    try:
        loads(text, REGISTRY, recover=True)
    except DocumentError:
        pass


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(raw):
    try:
        loads(raw, REGISTRY)
    except DocumentError:
        pass


@FUZZ
@given(st.text(max_size=200))
def test_random_text(text):
    try:
        loads(text, REGISTRY)
    except DocumentError:
        pass


@FUZZ
@given(JSON_VALUES)
def test_random_json_documents(value):
    for recover in (False, True):
        _load(value, recover=recover)
        if isinstance(value, dict):
            _load({"format_version": 1, **value}, recover=recover)
            _load({"format_version": 1, "nodes": [value]}, recover=recover)
