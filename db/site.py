"""The Datasette site: metadata written next to the database, and the command that serves it.

Metadata is generated from the schema declaration (db/schema.py), so every table and column shown
in Datasette carries its description.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from citator.db.schema import TABLES

TITLE = "citator: who cites Bernstein, for what, and how"
DESCRIPTION = (
    "An open citator for First Amendment research. Court opinions that cite the Bernstein v. United "
    "States encryption-code decisions (and any other configured seed authority), every reference "
    "they make with its pin cite, signal, parenthetical, context and treatment."
)


def metadata_path(database: Path) -> Path:
    """Where `citator publish` writes the Datasette metadata for `database`."""
    return database.with_name(database.stem + "-metadata.json")


def build_metadata(database: Path) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
        if table.label_column:
            entry["label_column"] = table.label_column
        if table.sort_desc:
            entry["sort_desc"] = table.sort_desc
        if table.facets:
            entry["facets"] = list(table.facets)
        tables[table.name] = entry
    tables["opinions"]["hidden"] = False
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": "Data: CC0 1.0; court opinions are in the public domain",
        "license_url": "https://creativecommons.org/publicdomain/zero/1.0/",
        "source": "CourtListener (Free Law Project) and the Caselaw Access Project (Harvard Law School Library)",
        "source_url": "https://www.courtlistener.com/",
        "databases": {database.stem: {"tables": tables}},
    }


def write_metadata(database: Path) -> Path:
    path = metadata_path(database)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(build_metadata(database), indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def serve_command(database: Path, host: str = "127.0.0.1", port: int = 8001, *, immutable: bool = False) -> list[str]:
    """The Datasette command line for serving `database` with citator's metadata and settings."""
    args = [sys.executable, "-m", "datasette", "serve"]
    args += ["-i", str(database)] if immutable else [str(database)]
    args += ["--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]
    meta = metadata_path(database)
    if meta.exists():
        args += ["--metadata", str(meta)]
    return args
