"""`nodecomp script` / `nodecomp shell`, render callbacks for pipelines, and comp files never running code."""

import ast
import json
import pathlib
import subprocess
import sys
import textwrap

import pytest

import nodecomp as nc
from nodecomp.cli.main import main
from nodecomp.core.errors import DocumentError, EvaluationError

ROOT = pathlib.Path(__file__).resolve().parents[2]


def write_script(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_script_runs_as_main_with_arguments_and_its_folder_importable(tmp_path, capsys):
    (tmp_path / "helpers.py").write_text("GREETING = 'hello'\n")
    script = write_script(tmp_path / "pipeline.py", """
        import sys
        import helpers
        import nodecomp as nc

        if __name__ == "__main__":
            print(helpers.GREETING, sys.argv[1:], nc.__version__)
    """)
    assert main(["script", script, "shot010", "--frames", "1-3"]) == 0
    assert capsys.readouterr().out == f"hello ['shot010', '--frames', '1-3'] {nc.__version__}\n"
    assert script not in sys.argv and str(tmp_path) not in sys.path


def test_script_exit_status_and_errors(tmp_path, capsys):
    assert main(["script", write_script(tmp_path / "a.py", "import sys\nsys.exit(3)\n")]) == 3
    assert main(["script", write_script(tmp_path / "b.py", "raise SystemExit('no shots')\n")]) == 1
    assert "no shots" in capsys.readouterr().err
    assert main(["script", write_script(tmp_path / "c.py", "def f():\n    return 1 / 0\nf()\n")]) == 1
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err and "c.py\", line 2, in f" in err
    failing = write_script(tmp_path / "d.py", "import nodecomp as nc\nnc.Document()['Missing']\n")
    assert main(["script", failing]) == 1
    assert capsys.readouterr().err.strip() == "nodecomp: error: no node named 'Missing' in the document"
    assert main(["script", str(tmp_path / "nope.py")]) == 2


def test_render_callbacks_for_pipelines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = nc.Document()
    doc.format = doc.format.__class__(8, 4)
    doc.frame_range = (1, 3)
    doc.add("Write", doc.add("Constant", color=(0.1, 0.2, 0.3, 1.0)), file="out/c.####.exr")
    frames, jobs = [], []

    def after(job, result):
        jobs.append((job.frames, result.done))

    nc.hooks.after_render.connect(after)
    try:
        result = nc.render(doc, frames="1-3", threads=1, on_frame=lambda f: frames.append((f.frame, f.error)))
    finally:
        nc.hooks.after_render.disconnect(after)
    assert result.ok and frames == [(1, None), (2, None), (3, None)]
    assert jobs == [([1, 2, 3], [1, 2, 3])]


def test_shell_has_nc_and_the_document(tmp_path):
    doc = nc.Document()
    doc.add("Constant", name="Plate")
    doc.save(str(tmp_path / "shot.ncomp"))
    commands = "print(sorted(n.name for n in doc), nc.__name__)\nexit(4)\n"
    result = subprocess.run([sys.executable, "-m", "nodecomp", "shell", "shot.ncomp"], input=commands,
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 4 and "['Plate'] nodecomp" in result.stdout
    assert "`doc` is shot.ncomp (1 nodes)" in result.stderr
    bad = subprocess.run([sys.executable, "-m", "nodecomp", "shell", "missing.ncomp"], input="",
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert bad.returncode == 2 and "missing.ncomp" in bad.stderr


# ------------------------------------------------- comp files never run code
def comp_with(tmp_path, nodes):
    doc = nc.Document()
    doc.add("Grade")
    data = json.loads(__import__("nodecomp.core.fileformat", fromlist=["dumps"]).dumps(doc))
    data["nodes"].extend(nodes)
    path = tmp_path / "shot.ncomp"
    path.write_text(json.dumps(data))
    return str(path)


def test_opening_a_comp_never_imports_the_modules_it_names(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    (tmp_path / "evil_module_x1.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    path = comp_with(tmp_path, [{"name": "Boom", "type": "evil_module_x1.Boom", "inputs": {},
                                 "params": {"cmd": "__import__('os').system('touch ran')"}}])
    doc = nc.load(path)
    assert doc["Boom"].is_placeholder and "evil_module_x1" not in sys.modules
    with pytest.raises(EvaluationError, match="evil_module_x1.Boom is not loaded"):
        nc.render(doc, doc["Boom"], frames="1")
    assert not marker.exists()


def test_expressions_in_a_comp_cannot_run_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = "__import__('os').system('touch ran')"
    path = comp_with(tmp_path, [{"name": "G", "type": "nodecomp.Grade", "inputs": {},
                                 "params": {"mix": {"value": 1.0, "expressions": {"0": payload}}}}])
    try:
        doc = nc.load(path)
        doc["G"].value_at("mix", 1)
    except (DocumentError, nc.ParamError):
        pass  # refused either when loading or when evaluated: both are fine, running it is not
    assert not (tmp_path / "ran").exists()


def test_the_file_format_and_document_code_never_execute_or_import_dynamically():
    banned_builtins = {"eval", "exec", "compile", "__import__"}
    banned_methods = {"import_module", "run_path", "run_module"}
    banned_modules = {"pickle", "marshal", "shelve", "yaml", "runpy", "importlib"}
    for name in ("fileformat.py", "document.py", "node.py", "params.py"):
        tree = ast.parse((ROOT / "nodecomp" / "core" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    assert func.id not in banned_builtins, f"{name}:{node.lineno} calls {func.id}"
                elif isinstance(func, ast.Attribute):
                    assert func.attr not in banned_methods, f"{name}:{node.lineno} calls {func.attr}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not {m.split(".")[0] for m in modules} & banned_modules, f"{name}:{node.lineno}"
