"""docs/generators.md runs: its Python blocks in order, in a scratch folder, with the tiny model."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "generators.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def test_every_python_block_of_the_generators_guide_runs(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    pytest.importorskip("diffusers")
    monkeypatch.chdir(tmp_path)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    text = DOC.read_text(encoding="utf-8")
    namespace = {"__name__": "generators_doc"}
    ran = 0
    try:
        for match in FENCE.finditer(text):
            language, code = match.group(1), match.group(2)
            assert language in ("python", "text"), f"{DOC.name}: a {language or 'plain'} block is neither run nor text"
            if language == "python":
                line = text.count("\n", 0, match.start()) + 2
                exec(compile("\n" * (line - 1) + code, str(DOC), "exec"), namespace)  # noqa: S102 - the guide is the test
                ran += 1
    finally:
        torch.set_num_threads(threads)
    assert ran == 2
    assert (tmp_path / "out" / "sky.0003.exr").exists() and (tmp_path / "out" / "hill.0001.exr").exists()
