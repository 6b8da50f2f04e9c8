"""The stages stay apart (README, "How the code is laid out"): harvest/ fetches and stores but never
reads citations, db/ never reaches into the glue, and no shipped module reads a test hook.

These read the source, not a running citator: a wall that leaks fails here before it turns into an
import cycle or a start-up cost a user would notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GLUE = {p.stem for p in (REPO / "citator").glob("*.py")} - {"__init__", "__main__"}


def imports(folder: str) -> dict[str, set[str]]:
    """Module file -> every `citator.*` module it imports, at any depth of the file."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        found[str(path.relative_to(REPO))] = {n for n in names if n.startswith("citator")}
    return found


def test_harvest_never_imports_the_citations_stage() -> None:
    leaks = {f: sorted(n for n in names if n.startswith("citator.citations")) for f, names in imports("harvest").items()}
    assert {f: n for f, n in leaks.items() if n} == {}


def test_db_never_imports_the_glue() -> None:
    def glue(name: str) -> bool:
        parts = name.split(".")
        return len(parts) >= 2 and parts[0] == "citator" and parts[1] in GLUE
    leaks = {f: sorted(filter(glue, names)) for f, names in imports("db").items()}
    assert {f: n for f, n in leaks.items() if n} == {}


def test_no_shipped_module_reads_a_test_hook() -> None:
    shipped = [p for folder in ("citator", "citations", "db", "harvest") for p in (REPO / folder).rglob("*.py")]
    readers = [str(p.relative_to(REPO)) for p in shipped if "CITATOR_TEST" in p.read_text(encoding="utf-8")]
    assert readers == []
