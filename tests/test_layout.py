"""The layout's rules that import-linter cannot see (docs/architecture.md): views and the API read through
selectors and write through services — no `Model.objects` or `get_object_or_404` in them — and selectors
never import a module that writes (a services module, or one with a function in a transaction)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "leitai"
# The areas laid out in rooms; the older, smaller apps keep their few direct reads for now.
ROOMED = ("arena", "tracking", "awards")


def _modules(area: str):
    return [p for p in (SRC / area).rglob("*.py") if "migrations" not in p.parts]


def _name(path: Path) -> str:
    return ".".join(("leitai", *path.relative_to(SRC).with_suffix("").parts))


def _writes(path: Path) -> bool:
    if path.stem.startswith("services"):
        return True
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                if "atomic" in ast.unparse(d):
                    return True
    return False


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("area", ROOMED)
def test_views_and_the_api_query_nothing_themselves(area):
    offenders = []
    for path in _modules(area):
        if not (path.stem.startswith("views") or path.stem == "api"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if ".objects." in code or "get_object_or_404(" in code:
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert offenders == [], "move these reads into a selector:\n" + "\n".join(offenders)


@pytest.mark.parametrize("area", ROOMED)
def test_selectors_never_import_a_module_that_writes(area):
    writers = {_name(p) for p in _modules(area) if _writes(p)}
    offenders = [f"{_name(p)} → {sorted(_imports(p) & writers)}" for p in _modules(area)
                 if p.stem.startswith("selectors") and _imports(p) & writers]
    assert offenders == []


def test_the_rule_sees_a_write_and_a_query():
    """The two checks above can fail: they recognise a write module and a query in a view."""
    assert _writes(SRC / "arena" / "day" / "flow.py")
    assert not _writes(SRC / "arena" / "day" / "selectors.py")
    assert "leitai.arena.setup.selectors" in _imports(SRC / "arena" / "day" / "selectors.py") or \
        "leitai.arena.setup" in _imports(SRC / "arena" / "day" / "selectors.py")


def test_no_private_name_is_imported_from_another_module():
    """A `_name` is its module's own: what two files share is public, in the lower of the two."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("leitai")):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    offenders.append(f"{path.relative_to(SRC)}: {node.module} {private}")
    assert offenders == []
