"""Static checks of a plugin's source files, run without importing them.

Plugins depend on `nodecomp.api` only: it is versioned and keeps deprecated names working,
while engine and core modules change without notice. And importing a plugin must stay cheap:
heavy libraries (torch, diffusers...) are imported inside the compute that needs them, so the
app and the command line start fast and work where those libraries are not installed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ALLOWED_NODECOMP_MODULES = ("nodecomp.api",)
HEAVY_MODULES = ("torch", "torchvision", "diffusers", "transformers", "onnxruntime", "tensorflow", "jax")


def python_files(root: str | Path) -> list[Path]:
    """The `.py` files of a plugin: a single module, or every file under its package folder."""
    base = Path(root)
    if base.is_file():
        return [base]
    return sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "nodecomp":  # `from nodecomp import api` is `nodecomp.api`
                for alias in node.names:
                    yield node, f"nodecomp.{alias.name}"
            else:
                yield node, node.module


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None  # importing it reports the problem with its line


def api_import_problems(root: str | Path) -> list[str]:
    """Every import of a nodecomp module other than `nodecomp.api`, as `file:line: message`."""
    problems = []
    for path in python_files(root):
        tree = _parse(path)
        if tree is None:
            continue
        for node, module in _imports(tree):
            if module.split(".")[0] != "nodecomp":
                continue
            if module in ALLOWED_NODECOMP_MODULES:
                continue
            problems.append(
                f"{path}:{node.lineno}: imports {module}; plugins may import only nodecomp.api "
                "(engine and core internals change without notice)"
            )
    return problems


def heavy_import_problems(root: str | Path) -> list[str]:
    """Module-level imports of heavy libraries, which would load them whenever nodecomp starts."""
    problems = []
    for path in python_files(root):
        tree = _parse(path)
        if tree is None:
            continue
        for node in tree.body:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for _, module in _imports(node):
                if module.split(".")[0] in HEAVY_MODULES:
                    problems.append(
                        f"{path}:{node.lineno}: imports {module} at module level; import it inside the "
                        "compute that needs it, so loading the plugin stays fast and works without it"
                    )
    return problems
