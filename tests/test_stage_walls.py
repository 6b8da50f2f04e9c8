"""The stages stay apart (README, "How the code is laid out"): harvest/ fetches and stores but never
reads citations; no SQL is written or run outside db/ (db/ owns the database); db/ never reaches
into the glue or the citations stage; and no shipped module reads a test hook.

These read the source, not a running citator: a wall that leaks fails here before it turns into an
import cycle or a start-up cost a user would notice.
"""

from __future__ import annotations

import pytest

import ast
import re
import subprocess
import sys
from tests.fakes.paths import REPO

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


def test_db_never_imports_the_citations_stage() -> None:
    """db/ stores seeds and references through the fields it declares (db/records.py), so the
    citations stage can change its models without the database stage importing them."""
    leaks = {f: sorted(n for n in names if n.startswith("citator.citations")) for f, names in imports("db").items()}
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


#: What a SQL statement looks like inside a string (not the word "select" in a sentence).
SQL = re.compile(r"\bselect\b.+\bfrom\b|\binsert\s+(or\s+\w+\s+)?into\b|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b"
                 r"|\bcreate\s+(table|index|view|trigger)\b|\bdrop\s+(table|index|view)\b|\bpragma\b", re.I | re.S)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of a module, its classes and functions (prose, not statements)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def sql_strings(folder: str) -> dict[str, list[str]]:
    """Module file -> the string literals in it (docstrings aside) that read as SQL."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = _docstrings(tree)
        strings = [node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose]
        hits = [text for text in strings if SQL.search(text)]
        if hits:
            found[str(path.relative_to(REPO))] = hits
    return found


#: Calls that talk to SQLite directly: running statements, copying a database file, connecting.
SQLITE_CALLS = {"execute", "executemany", "executescript", "query", "backup", "connect", "insert_all", "upsert"}


def sqlite_calls(folder: str) -> dict[str, list[str]]:
    """Module file -> `line: name` of each call in it to one of SQLITE_CALLS, as `x.name(...)`."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        hits = [f"{node.lineno}: {node.func.attr}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQLITE_CALLS]
        if hits:
            found[str(path.relative_to(REPO))] = hits
    return found


def test_harvest_holds_no_sql_the_database_stage_owns_it() -> None:
    assert sql_strings("harvest") == {}


def test_the_glue_and_citations_hold_no_sql_either() -> None:
    """citator/ (the CLI and the glue) and citations/ read and write the database only through db/."""
    assert {**sql_strings("citator"), **sql_strings("citations")} == {}


def test_no_sqlite_calls_outside_the_database_stage() -> None:
    """No statement is run, no database copied or connected, outside db/: a query written in the
    glue would be a second owner of the schema."""
    assert {folder: sqlite_calls(folder) for folder in ("citator", "citations", "harvest")} == {
        "citator": {}, "citations": {}, "harvest": {}}


def test_the_sqlite_call_detector_sees_a_statement_run_in_the_glue() -> None:
    tree = ast.parse('db.execute("delete from case_treatments")\nconn.backup(other)\nprint(1)')
    calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert [c for c in calls if c in SQLITE_CALLS] == ["execute", "backup"]


def test_the_sql_detector_sees_what_the_harvesters_once_held() -> None:
    for statement in ("select 1 from case_sources where source = ? and source_id = ?",
                      "select count(*) from crawl_frontier where source = ? and kind = 'fetch'",
                      "insert into request_budget (source, day, requests) values (?, ?, ?)",
                      "update crawl_frontier set status = 'done' where key = ?"):
        assert SQL.search(statement), statement
    assert not SQL.search("Search returns only published opinions unless asked")


def test_docstrings_may_name_sql_and_statements_may_not() -> None:
    tree = ast.parse('"""Runs PRAGMA integrity_check before publishing."""\nQ = "pragma integrity_check"\n')
    prose = _docstrings(tree)
    statements = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in prose]
    assert statements == ["pragma integrity_check"]


def module_graph() -> dict[str, set[str]]:
    """Every shipped module -> the shipped modules it imports (at any depth of the file)."""
    graph: dict[str, set[str]] = {}
    for folder in ("citator", "citations", "db", "harvest"):
        for file, names in imports(folder).items():
            dotted = file[:-3].replace("/", ".")
            graph[dotted if folder == "citator" else f"citator.{dotted}"] = names
    return {module: {n for n in names if n in graph and n != module} for module, names in graph.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Groups of modules that import one another, directly or round a loop (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[set[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(group)

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return cycles




@pytest.mark.slow
def test_no_new_import_cycles() -> None:
    """A module that imports one importing it back works only in one import order, and neither
    can be read alone (the tokenizer and the Hyperscan cache were such a pair)."""
    assert import_cycles(module_graph()) == []


def test_the_cycle_detector_sees_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [{"a", "b", "c"}]


def test_importing_the_citations_stage_changes_nothing_in_eyecite() -> None:
    """eyecite is extended only when the extractor first uses it, so a program that imports
    citations/ beside eyecite gets eyecite as published until then."""
    code = (
        "import eyecite.find as f, eyecite.helpers as h\n"
        "before = (h.get_court_by_paren, f.extract_pincited_reference_citations)\n"
        "import citator.citations.cites, citator.citations.graph, citator.citations.extract, citator.citations.reading\n"
        "assert (h.get_court_by_paren, f.extract_pincited_reference_citations) == before, 'patched at import'\n"
        "from citator.citations.cites import seed_cites\n"
        "seed_cites('176 F.3d 1132')\n"
        "assert h.get_court_by_paren is not before[0], 'never extended'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr


def test_citations_names_no_cache_folder_of_its_own() -> None:
    """The Hyperscan cache folder comes from the caller (citations/hscache.py `use_directory`)."""
    named = [str(p.relative_to(REPO)) for p in (REPO / "citations").rglob("*.py")
             if re.search(r"user_cache_dir|XDG_CACHE_HOME|[\"']~?/?\.cache\b|Path\.home\(\)", p.read_text(encoding="utf-8"))]
    assert named == []
