"""docs/plugins.md runs: its Python blocks in order, its files written, its console commands checked.

The guide runs in a child process: it imports torch (its GPU example), reloads a plugin and
connects render hooks, none of which should leak into the rest of the test session.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
FILE_MARKER = "# file: "


def blocks():
    """(language, code, line of the code's first line in the page) for every fenced block."""
    text = DOC.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        yield match.group(1), match.group(2), text.count("\n", 0, match.start()) + 2


def run_console(code, line, env):
    """Run each `$ command`; the lines under it must appear in what it prints."""
    steps = []
    for text in code.splitlines():
        if text.startswith("$ "):
            steps.append((text[2:], []))
        elif text.strip():
            assert steps, f"{DOC.name}:{line}: output before any command"
            steps[-1][1].append(text.strip())
    for command, expected in steps:
        result = subprocess.run(command, shell=True, executable="/bin/bash", capture_output=True, text=True,
                                env=env, timeout=120)
        assert result.returncode == 0, f"{DOC.name}:{line}: `{command}` failed:\n{result.stdout}{result.stderr}"
        for wanted in expected:
            assert wanted in result.stdout, f"{DOC.name}:{line}: `{command}` did not print {wanted!r}:\n{result.stdout}"


def run_guide(folder: pathlib.Path) -> dict:
    """Run every block of the guide in `folder` (the current directory of the child process)."""
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
           "NODECOMP_PLUGIN_PATH": ""}
    namespace = {"__name__": "plugins_doc"}
    counts = {"python": 0, "file": 0, "console": 0}
    for language, code, line in blocks():
        first = code.splitlines()[0] if code.strip() else ""
        if first.startswith(FILE_MARKER):
            path = folder / first[len(FILE_MARKER):].strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
            if path.suffix == ".py":
                compile(code, str(path), "exec")
            counts["file"] += 1
        elif language == "python":
            padded = "\n" * (line - 1) + code  # tracebacks show the line numbers of the page
            exec(compile(padded, str(DOC), "exec"), namespace)  # noqa: S102 - running the guide is the test
            counts["python"] += 1
        elif language == "console":
            run_console(code, line, env)
            counts["console"] += 1
        else:
            raise AssertionError(f"{DOC.name}:{line}: a {language or 'plain'} block that is neither run nor written")
    return counts


def test_every_block_of_the_plugin_guide_runs(tmp_path):
    result = subprocess.run([sys.executable, __file__, str(tmp_path)], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["python"] >= 8 and counts["file"] >= 6 and counts["console"] >= 3, counts
    assert (tmp_path / "out" / "poster.0002.exr").exists() and (tmp_path / "published.json").exists()


def test_the_guide_has_only_blocks_the_test_runs():
    kinds = {(language, code.startswith(FILE_MARKER)) for language, code, _ in blocks()}
    assert kinds <= {("python", False), ("python", True), ("toml", True), ("console", False)}, kinds


if __name__ == "__main__":
    print(json.dumps(run_guide(pathlib.Path(sys.argv[1]))))  # noqa: T201 - the parent test reads it
