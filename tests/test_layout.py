"""The layout rules a newcomer relies on: the house imports no domain, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

from portal import DOMAINS

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, with its line, wherever the import statement is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_the_house_imports_no_domain() -> None:
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "portal").rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in DOMAINS
    ]
    assert upward == []


def test_every_domain_exposes_init_app() -> None:
    for domain in DOMAINS:
        tree = ast.parse((ROOT / domain / "__init__.py").read_text(encoding="utf-8"))
        assert "init_app" in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}, domain


def test_the_publishing_pipeline_is_a_package_of_small_modules() -> None:
    package = ROOT / "datasets" / "publishing"
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in package.glob("*.py")}
    assert {
        "jobs.py",
        "pipeline.py",
        "stages.py",
        "children.py",
        "outputs.py",
        "notes.py",
        "context.py",
    } <= set(sizes)
    assert max(sizes.values()) <= 400, sizes
    assert not (ROOT / "datasets" / "publishing.py").exists()
