"""Writing a brief check out: a table for people, JSON, JSON lines or CSV for programs.

Every format carries each reference's line and column (and page or paragraph) as well as its
offsets. The table ends with the summary of warnings; JSON holds it under "summary"; JSON lines
and CSV, whose rows are references only, leave the summary to standard error.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import TYPE_CHECKING, Iterator

from citator.brief_toa import SECTIONS, ToaEntry

if TYPE_CHECKING:  # the check itself loads the extractor; `citator --help` needs only OUTPUTS
    from citator.brief_check import BriefCheck

__all__ = ["OUTPUTS", "render_references", "render_toa", "summary_lines", "CSV_COLUMNS"]

OUTPUTS = ("table", "json", "jsonl", "csv")

CSV_COLUMNS = (
    "line", "column", "page", "paragraph", "footnote", "start", "end", "authority", "authority_key", "cite", "kind",
    "as_written", "pin_cite", "signal", "parenthetical", "subsequent_history", "status", "warnings",
    "quotations",
)


def _cut(value: str | None, width: int) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= width else value[: max(0, width - 1)] + "…"


def summary_lines(check: BriefCheck) -> list[str]:
    """The closing lines: what was read, the warnings, and notes."""
    doc = check.document
    refs = check.references
    lines = []
    if doc.empty:
        lines.append(f"{doc.name}: the file is empty; there is nothing to check")
        return lines
    n_auth = len({r.group for r in refs})
    lines.append(
        f"{doc.name} ({doc.kind}): {len(refs)} reference{'s' * (len(refs) != 1)} to {n_auth} "
        f"authorit{'ies' if n_auth != 1 else 'y'}; {len(check.summary)} warning{'s' * (len(check.summary) != 1)}"
        + ("" if check.used_database else " (add --db for the database's treatment and quotation checks)")
    )
    if not refs:
        lines.append("no references to the configured seed authorities found (--all reports every case)")
    for warning in check.summary:
        lines.append(f"WARNING: {warning}")
    verdicts: dict[str, int] = {}
    for q in (q for r in refs for q in r.quotations if q.check is not None):
        verdicts[q.check.verdict] = verdicts.get(q.check.verdict, 0) + 1
    if verdicts:
        words = {"verbatim": "found verbatim", "changed": "found with changes", "not_found": "not found"}
        lines.append("quotations checked against the cited opinions: "
                     + ", ".join(f"{verdicts[v]} {words[v]}" for v in words if v in verdicts))
    unchecked = sum(1 for r in refs for q in r.quotations if q.check is None)
    if unchecked:
        lines.append(
            f"{unchecked} quotation{'s' * (unchecked != 1)} captured, not checked"
            + (" (the database lacks the cited text)" if check.used_database else " (--db checks them against the cited opinions)")
        )
    for note in check.notes:
        lines.append(f"note: {note}")
    return lines


def _where(location) -> str:
    if location.footnote is not None:
        return f"{location.paragraph} n.{location.footnote}:{location.column}"
    if location.page is not None:
        return f"{location.page}:{location.line}:{location.column}"
    return f"{location.line}:{location.column}"


#: Widest a flexible column grows, and narrowest it shrinks to on a small terminal.
_CAPS = {1: 44, 5: 40, 6: 44}
_MIN = 12


def _table(check: BriefCheck, width: int) -> str:
    first = {"page": "page:line:col", "paragraph": "¶:col"}.get(check.document.unit, "line:col")
    headers = (first, "authority", "form", "pin", "signal", "parenthetical", "warnings")
    rows = []
    for r in check.references:
        ref = r.reference
        rows.append((_where(r.location), r.authority, ref.kind, ref.pin_cite or "",
                     "" if ref.signal == "none" else ref.signal, ref.parenthetical or "", "; ".join(r.flags)))
    widths = [max(len(" ".join(str(c).split())) for c in column) for column in zip(headers, *rows)]
    for i, cap in _CAPS.items():
        widths[i] = min(widths[i], cap)
    for i in (5, 1, 6):  # shrink the parenthetical first, the warnings last
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        if excess > 0:
            floor = max(_MIN, len(headers[i])) if i == 5 else _MIN
            widths[i] = max(min(floor, widths[i]), widths[i] - excess)
    out = io.StringIO()

    def line(cells) -> None:
        out.write("  ".join(_cut(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n")

    line(headers)
    line(["-" * w for w in widths])
    for row in rows:
        line(row)
    return out.getvalue()


def render_references(check: BriefCheck, output: str, width: int = 100) -> tuple[str, str]:
    """(standard output, standard error) for the reference listing in `output` format."""
    summary = "\n".join(summary_lines(check)) + "\n"
    if output == "table":
        body = _table(check, width) if check.references else ""
        return body + ("\n" if body else "") + summary, ""
    records = [r.to_dict() for r in check.references]
    if output == "json":
        data = {
            "file": check.document.name,
            "format": check.document.kind,
            "empty": check.document.empty,
            "notice": summary_lines(check)[0],
            "references": records,
            "summary": check.summary,
            "notes": check.notes,
            "authorities": {k: s.to_dict() for k, s in check.statuses.items()
                            if k in {r.group for r in check.references}},
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", ""
    if output == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), summary
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({**r, "warnings": " | ".join(r["warnings"]),
                         "quotations": " | ".join(q["text"] for q in r["quotations"])})
    return buffer.getvalue(), summary


def _toa_text(entries: list[ToaEntry], check: BriefCheck, width: int) -> Iterator[str]:
    unit = check.document.place_name
    yield f"TABLE OF AUTHORITIES ({check.document.name}; {unit} where cited)"
    for section in SECTIONS:
        rows = [e for e in entries if e.section == section]
        if not rows:
            continue
        yield ""
        yield section
        for e in rows:
            flag = f"  [{e.flag}]" if e.flag else ""
            where = e.where
            head = f"  {e.authority}"
            room = width - len(where) - len(flag) - 2
            if len(head) + 3 > room:
                wrapped = textwrap.wrap(e.authority, max(20, room - 6), subsequent_indent="    ")
                for part in wrapped[:-1]:
                    yield f"  {part}"
                head = f"  {wrapped[-1]}" if wrapped else head
            dots = "." * max(3, room - len(head) - 1)
            yield f"{head} {dots} {where}{flag}"


def render_toa(check: BriefCheck, entries: list[ToaEntry], output: str, width: int = 100) -> tuple[str, str]:
    """(standard output, standard error) for the table of authorities in `output` format."""
    unit = check.document.unit
    summary = "\n".join(summary_lines(check)) + "\n"
    if output == "table":
        body = "\n".join(_toa_text(entries, check, width)) + "\n" if entries else ""
        return body + ("\n" if body else "") + summary, ""
    records = [e.to_dict(unit) for e in entries]
    if output == "json":
        data = {"file": check.document.name, "format": check.document.kind, "unit": unit,
                "table_of_authorities": records, "summary": check.summary, "notes": check.notes}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", ""
    if output == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), summary
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["section", "authority", "where", "flag", "references"],
                            extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(r)
    return buffer.getvalue(), summary
