"""Layer rules: headless packages never import Qt or torch; Qt lives only in nodecomp.ui."""

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
QT = ("PySide6", "NodeGraphQt", "shiboken6", "Qt")
HEAVY = ("torch", "diffusers", "transformers")


@pytest.mark.parametrize(
    "statement",
    [
        "import nodecomp",
        "import nodecomp, nodecomp.engine",
        "import nodecomp.api",
        "import nodecomp.cli.main",
        "import nodecomp.nodes; import nodecomp.plugin_loader as p; p.default_registry()",
        "import nodecomp.engine.evaluator, nodecomp.engine.jobs, nodecomp.engine.devices",
    ],
)
def test_headless_imports_pull_no_qt_and_no_torch(statement):
    code = (
        f"{statement}\n"
        "import sys\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT + HEAVY!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"{statement} imported {out.stdout.strip()}"


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_qt_is_imported_only_under_nodecomp_ui():
    offenders = []
    for path in (ROOT / "nodecomp").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "nodecomp").parts[:1]:
            continue
        if _imports(path) & set(QT):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_torch_is_never_imported_at_module_level_outside_devices():
    offenders = []
    for path in (ROOT / "nodecomp").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and module.split(".")[0] in HEAVY:
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_import_linter_contracts_hold():
    lint = pathlib.Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.skip("import-linter is not installed in this environment")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
