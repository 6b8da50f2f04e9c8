"""CourtListener's opinions and clusters as citator's records: the one mapping the API harvester
(`courtlistener.py`), the local folder (`local.py`) and the bulk CSV reader (`bulk_readers.py`)
share, so an opinion gets the same id, text field, part and URL whichever way it arrived.

Ids are CourtListener's: a cluster (a decision) is the case `cl:cluster:N`, each of its opinions
`cl:opinion:N`. URLs are built on the API's base URL (`.../api/rest/v4/`), as the API harvester
is configured; a cluster's page is at `/opinion/N/` on the same host.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence
from urllib.parse import urljoin

from citator.db.records import CaseRecord, OpinionRecord

SOURCE = "courtlistener"

#: The API's base URL on courtlistener.com (what the bulk readers build URLs on).
API_URL = "https://www.courtlistener.com/api/rest/v4/"

#: Text fields in the order CourtListener itself recommends (richest and most reliable first).
TEXT_FIELDS = (
    ("html_with_citations", "html"),
    ("html_columbia", "html"),
    ("html_lawbox", "html"),
    ("xml_harvard", "xml"),
    ("html_anon_2020", "html"),
    ("html", "html"),
    ("plain_text", "text"),
)

#: Opinion type codes (DB endpoint, bulk CSV) and slugs (search) mapped to the parts citator reports.
OPINION_TYPES = {
    "010combined": "combined", "combined-opinion": "combined",
    "015unamimous": "majority", "unanimous-opinion": "majority",
    "020lead": "majority", "lead-opinion": "majority",
    "025plurality": "majority", "plurality-opinion": "majority",
    "030concurrence": "concurrence", "concurrence-opinion": "concurrence",
    "035concurrenceinpart": "concurrence", "in-part-opinion": "concurrence",
    "040dissent": "dissent", "dissent": "dissent",
}


def best_text(opinion: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(text, format, field) of the richest non-empty text field, or None."""
    for name, fmt in TEXT_FIELDS:
        value = opinion.get(name)
        if isinstance(value, str) and value.strip():
            return value, fmt, name
    return None


def case_record(cluster_id: int | str, *, api_url: str, name: str, absolute_url: str | None = None,
                court_id: str | None = None, court: str | None = None, decision_date: str | None = None,
                docket_number: str | None = None, citations: Sequence[tuple[str, str]] = (),
                depth: int = 1) -> CaseRecord:
    """The case of cluster `cluster_id`, keyed `cl:cluster:N`, with its page on CourtListener."""
    return CaseRecord(
        id=f"cl:cluster:{cluster_id}",
        name=name,
        source=SOURCE,
        source_id=f"cluster:{cluster_id}",
        url=urljoin(api_url, absolute_url or f"/opinion/{cluster_id}/"),
        court_id=court_id,
        court=court,
        decision_date=decision_date,
        docket_number=docket_number,
        citations=list(citations),
        depth=depth,
    )


def opinion_record(opinion: Mapping[str, Any], case_id: str, *, api_url: str, ordinal: int,
                   per_curiam: bool) -> OpinionRecord | None:
    """An opinion (API JSON or a bulk CSV row) with its richest text, or None when it has no text.

    `per_curiam` is the caller's reading of the opinion's flag (a JSON boolean, "t" in the CSV): a
    per curiam majority or combined opinion is reported as `per_curiam`.
    """
    text = best_text(opinion)
    if text is None:
        return None
    body, fmt, field = text
    part = OPINION_TYPES.get(str(opinion.get("type")), "other")
    if per_curiam and part in ("majority", "combined"):
        part = "per_curiam"
    return OpinionRecord(
        id=f"cl:opinion:{opinion['id']}",
        case_id=case_id,
        text=body,
        text_format=fmt,
        text_field=field,
        source=SOURCE,
        source_id=f"opinion:{opinion['id']}",
        url=urljoin(api_url, f"opinions/{opinion['id']}/"),
        type=part,
        author=opinion.get("author_str") or None,
        ordinal=ordinal,
    )
