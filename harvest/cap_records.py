"""A Caselaw Access Project case JSON as citator's records: the one mapping the API harvester
(`cap.py`), the local folder (`local.py`) and the bulk volume reader (`bulk_readers.py`) share, so a
case lands on the same rows, with the same court, whichever way it arrived.

Court names are turned into ids by a function the caller passes in (`CourtIds`): which court a name
means is the citations stage's knowledge (`citations/courts.py`), and harvest/ does not import it.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Sequence

from citator.db.records import CaseRecord, OpinionRecord, clean_cite

SOURCE = "cap"

#: A court's full name -> its CourtListener-style id (or None); the glue passes
#: `citations.courts.exact_court_id`.
CourtIds = Callable[[str | None], str | None]

#: `opinions.text_field` of an opinion stored from the case JSON's text (format it with the index);
#: everything before "{" marks such a row (`cap.py` looks for them to read their HTML file).
JSON_TEXT_FIELD = "casebody.opinions[{}].text"

#: CAP opinion types mapped to the parts citator reports.
OPINION_TYPES = {
    "majority": "majority", "unanimous": "majority", "plurality": "majority",
    "concurrence": "concurrence", "dissent": "dissent",
    "concurring-in-part-and-dissenting-in-part": "concurrence",
}


def case_name(case: Mapping[str, Any]) -> str | None:
    """The case's name as CAP abbreviates it (or in full), if it has one."""
    return case.get("name_abbreviation") or case.get("name") or None


def court_name(case: Mapping[str, Any]) -> str | None:
    court = case.get("court")
    return court.get("name") if isinstance(court, dict) else None


def case_citations(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(cite, type) of every citation CAP lists for the case, spaces normalized."""
    return [(clean_cite(c["cite"]), c.get("type") or "official")
            for c in case.get("citations") or [] if isinstance(c, dict) and c.get("cite")]


def case_record(case: Mapping[str, Any], *, court_ids: CourtIds, url: str | None, depth: int) -> CaseRecord:
    """The case of a CAP case JSON (from CasesMetadata.json or a case file), keyed `cap:case:N`.

    A case JSON without an id (a researcher's own file) gets the facts all the same; the local
    folder keys it by its path.
    """
    number = case.get("id")
    name = court_name(case)
    return CaseRecord(
        id=f"cap:case:{number}",
        name=case_name(case) or f"CAP case {number}",
        source=SOURCE,
        source_id=f"case:{number}",
        url=url,
        court_id=court_ids(name),
        court=name,
        decision_date=case.get("decision_date"),
        docket_number=case.get("docket_number"),
        citations=case_citations(case),
        depth=depth,
    )


#: The folders CAP's exporter puts a case JSON in: `cases/` on static.case.law, `json/` inside a
#: volume zip; the case's HTML file is `html/<file_name>.html` beside that folder.
CASE_JSON_FOLDERS = ("cases", "json")


def html_path(case_path: str) -> str | None:
    """The exporter's HTML file of a case JSON, as a "/"-separated path like the one given:
    ".../cases/0036-01.json" or ".../json/0036-01.json" -> ".../html/0036-01.html"; None for a
    JSON outside that layout (a case file saved on its own has no HTML file it can be matched to)."""
    folder, _, name = case_path.rpartition("/")
    parent, _, kind = folder.rpartition("/")
    if kind not in CASE_JSON_FOLDERS or not name.endswith(".json") or name == ".json":
        return None
    prefix = f"{parent}/" if "/" in folder else ""
    return f"{prefix}html/{name.removesuffix('.json')}.html"


def opinions_with_text(case: Mapping[str, Any]) -> list[Any] | None:
    """The case JSON's `casebody.opinions` when at least one has text, else None (nothing to store)."""
    casebody = case.get("casebody")
    opinions = casebody.get("opinions") if isinstance(casebody, dict) else None
    if not isinstance(opinions, list) or not any(isinstance(o, dict) and (o.get("text") or "").strip()
                                                 for o in opinions):
        return None
    return opinions


def opinion_records(case: Mapping[str, Any], case_id: str, *, url: str | None,
                    html: Sequence[str] | None = None, html_url: str | None = None) -> list[OpinionRecord]:
    """The opinions in a case file's casebody, keyed `cap:case:N:<index>`, one per opinion with text.

    Head matter is not an opinion; an opinion without text is skipped and the others keep their
    index, so ids stay stable. A casebody or opinion of another shape (a number where an object
    goes) raises ValueError: the file is refused, never half read.

    `html`, when given, holds each opinion's article from the case's HTML file (`cap_html.
    opinion_html`, one per entry of `casebody.opinions`): it is stored instead of the JSON text, as
    HTML, because it keeps the footnote marks and each note beside them; `html_url` is that file.
    The rows are the same either way, so harvesting a case again replaces one text by the other.
    """
    casebody = case.get("casebody")
    if casebody is None:
        return []
    if not isinstance(casebody, dict):
        raise ValueError(f"casebody is {type(casebody).__name__}, not an object")
    opinions = casebody.get("opinions") or []
    if not isinstance(opinions, list) or not all(isinstance(o, dict) for o in opinions):
        raise ValueError("casebody.opinions is not a list of objects")
    if html is not None and len(html) != len(opinions):
        raise ValueError("the HTML opinions do not match casebody.opinions")
    number = case.get("id")
    records = []
    for index, opinion in enumerate(opinions):
        if not (opinion.get("text") or "").strip():
            continue
        if html is not None:
            text, fmt, field, where = html[index], "html", f"html article[{index}]", html_url
        else:
            text, fmt, field, where = opinion["text"], "text", JSON_TEXT_FIELD.format(index), url
        records.append(OpinionRecord(
            id=f"cap:case:{number}:{index}",
            case_id=case_id,
            text=text,
            text_format=fmt,
            text_field=field,
            source=SOURCE,
            source_id=f"case:{number}:{index}",
            url=where,
            type=OPINION_TYPES.get(str(opinion.get("type")), "other"),
            author=opinion.get("author") or None,
            ordinal=index,
        ))
    return records


def cites_to_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    """CAP's cites_to of a case as rows of `cap_cites_to` (one per cited cite per opinion)."""
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for entry in case.get("cites_to") or []:
        if not isinstance(entry, dict) or not entry.get("cite"):
            continue
        index = entry.get("opinion_index", 0)
        index = index if isinstance(index, int) else 0
        rows[(index, entry["cite"])] = {
            "opinion_index": index,
            "opinion_id": f"cap:case:{case['id']}:{index}" if index >= 0 else None,
            "cite": entry["cite"],
            "reporter": entry.get("reporter"),
            "category": entry.get("category"),
            "cited_cap_case_ids": json.dumps(entry.get("case_ids") or []),
            "case_paths": json.dumps(entry.get("case_paths") or []),
            "weight": entry.get("weight") or 1,
            "pin_cites": json.dumps(entry.get("pin_cites") or []),
            "year": entry.get("year"),
        }
    return list(rows.values())
