"""The layer contract's companion (docs/adr/0014): imports hidden inside functions are where the real dependency
graph hides, so each one says why it cannot be at the top of its module. ``lint-imports`` (in ``make test``)
checks the layers themselves."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "medlead"
MARK = "# inline:"


def _inline_imports() -> list[tuple[Path, int, str]]:
    """(file, line, module) of every import of a medlead module made inside a function."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or "static" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("medlead"):
                    found.append((path, node.lineno, node.module or ""))
                elif isinstance(node, ast.Import):
                    found.extend((path, node.lineno, a.name) for a in node.names if a.name.startswith("medlead"))
    return found


def test_every_import_inside_a_function_says_why() -> None:
    unexplained = []
    for path, line, module in _inline_imports():
        lines = path.read_text(encoding="utf-8").splitlines()
        here, above = lines[line - 1], lines[line - 2] if line > 1 else ""
        if MARK not in here and MARK not in above:
            unexplained.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    assert not unexplained, "Imports inside functions without '# inline: <reason>':\n" + "\n".join(unexplained)


def test_inline_imports_are_few() -> None:
    # 181 when the layer contract was written (issue 28). The number may only go down: raise it only with a reason.
    assert len(_inline_imports()) <= 7
