"""Small bulk files for the tests, in the real dump formats, with INVENTED contents.

Every text here is invented for the tests (it says INVENTED); the citations in it name the real
Bernstein seeds so extraction has something to find, but no invented passage is a real opinion.
"""

from __future__ import annotations

import bz2
import json
import zipfile
from pathlib import Path
from typing import Any

COLUMNS = (
    "id", "date_created", "date_modified", "author_str", "per_curiam", "joined_by_str", "type", "sha1",
    "page_count", "download_url", "local_path", "plain_text", "html", "html_lawbox", "html_columbia",
    "html_anon_2020", "xml_harvard", "xml_scan", "html_with_citations", "extracted_by_ocr", "author_id",
    "cluster_id",
)

NULL = object()


def pg_field(value: Any) -> str:
    """A value as PostgreSQL COPY CSV writes it: NULL empty and unquoted, the rest quoted, \\ escapes."""
    if value is NULL or value is None:
        return ""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def opinions_csv(rows: list[dict[str, Any]]) -> str:
    lines = [",".join(COLUMNS)]
    for row in rows:
        lines.append(",".join(pg_field(row.get(c, NULL)) for c in COLUMNS))
    return "\n".join(lines) + "\n"


#: The tricky text: an escaped quote, a backslash, a comma and newlines inside one field.
TRICKY_TEXT = (
    'INVENTED opinion text. The court said "code is speech," citing\n'
    "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999).\n"
    "A path C:\\temp\\x stays as written.\n\nSecond paragraph."
)

ROWS = [
    {  # plain text only; html_with_citations NULL, html the empty string
        "id": 501, "cluster_id": 9001, "type": "010combined", "per_curiam": "f", "author_str": "INVENTED, J.",
        "plain_text": TRICKY_TEXT, "html": "", "html_with_citations": NULL,
    },
    {  # html_with_citations preferred over plain_text
        "id": 502, "cluster_id": 9002, "type": "040dissent", "per_curiam": "f", "author_str": "",
        "plain_text": "INVENTED plain fallback.",
        "html_with_citations": '<p>INVENTED dissent. <i>See</i> <a href="/x/">922 F. Supp. 1426</a>, 1430.</p>',
    },
    {  # no text at all: skipped
        "id": 503, "cluster_id": 9003, "type": "020lead", "per_curiam": "t", "plain_text": NULL,
    },
    {  # INVENTED opinion with no seed reference at all
        "id": 504, "cluster_id": 9004, "type": "020lead", "per_curiam": "t",
        "plain_text": "INVENTED per curiam. Smith v. Jones, 100 F.3d 200 (1st Cir. 1996).",
    },
]


def write_opinions(path: Path, rows: list[dict[str, Any]] = ROWS, *, compress: bool | None = None) -> Path:
    text = opinions_csv(rows)
    if compress if compress is not None else path.suffix == ".bz2":
        path.write_bytes(bz2.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def write_citation_map(path: Path, edges: list[tuple[int, int, int]]) -> Path:
    """edges: (citing opinion, cited opinion, depth)."""
    lines = ["id,depth,cited_opinion_id,citing_opinion_id"]
    lines += [f'"{i}","{depth}","{cited}","{citing}"' for i, (citing, cited, depth) in enumerate(edges, 1)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(bz2.compress(data) if path.suffix == ".bz2" else data)
    return path


CAP_CASE = {
    "id": 7_000_001,
    "name": "INVENTED PARTY v. ANOTHER INVENTED PARTY",
    "name_abbreviation": "Invented Party v. Another Invented Party",
    "decision_date": "2001-02-03",
    "docket_number": "No. 00-0000 (INVENTED)",
    "first_page": "10", "last_page": "12",
    "citations": [{"type": "official", "cite": "999 F.3d 10"}],
    "court": {"name_abbreviation": "1st Cir.", "id": 1, "name": "United States Court of Appeals for the First Circuit"},
    "casebody": {
        "head_matter": "INVENTED head matter citing 176 F.3d 1132 (not an opinion).",
        "opinions": [
            {"type": "majority", "author": "INVENTED, J.",
             "text": "INVENTED majority. Bernstein v. U.S. Dep't of State, 974 F. Supp. 1288, 1305 (N.D. Cal. 1997)."},
            {"type": "dissent", "author": "OTHER, J.", "text": "INVENTED dissent with no citation."},
        ],
    },
    "file_name": "0010-01",
}


def write_cap_volume(path: Path, cases: list[dict[str, Any]] = [CAP_CASE],
                     html: dict[str, str] | None = None) -> Path:
    """A CAP volume zip of `cases`; `html` maps a case's file_name to its HTML file (a case not in
    it gets a stand-in page without opinions; an empty mapping leaves html/ out)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for case in cases:
            archive.writestr(f"json/{case['file_name']}.json", json.dumps(case))
            if html is None:
                archive.writestr(f"html/{case['file_name']}.html", "<html>INVENTED</html>")
            elif case["file_name"] in html:
                archive.writestr(f"html/{case['file_name']}.html", html[case["file_name"]])
        archive.writestr("metadata/CasesMetadata.json", json.dumps([{k: v for k, v in c.items() if k != "casebody"} for c in cases]))
        archive.writestr("metadata/VolumeMetadata.json", json.dumps({"volume_number": "999"}))
    return path
