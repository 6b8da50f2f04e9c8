"""The records the harvesters hand to db/, and the shapes db/ reads from the other stages.

A harvester maps a source's document to a `CaseRecord` and `OpinionRecord` (harvest/*_records.py);
the writers in `db.corpus` know the tables, the records do not. The citations stage's seeds and
references reach db/ as whatever has the fields below (`SeedFields`, `ReferenceFields`): db/ never
imports that stage, so either can change inside without the other noticing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol, Sequence


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_cite(cite: str) -> str:
    """A reporter cite as `CaseRecord.citations` holds it: a source's spacing collapsed to single
    spaces ("107  F.\nSupp. 38" -> "107 F. Supp. 38")."""
    return " ".join(cite.split())


@dataclass
class CaseRecord:
    """A case as a source describes it; `citations` are normalized reporter cites."""

    id: str
    name: str
    source: str
    source_id: str
    url: str | None = None
    name_short: str | None = None
    court_id: str | None = None
    court: str | None = None
    decision_date: str | None = None
    docket_number: str | None = None
    citations: list[tuple[str, str]] = field(default_factory=list)  # (cite, type)
    depth: int = 1


@dataclass
class OpinionRecord:
    id: str
    case_id: str
    text: str
    text_format: str
    text_field: str
    source: str
    source_id: str
    url: str | None = None
    type: str = "majority"
    author: str | None = None
    ordinal: int = 0


class SeedFields(Protocol):
    """What db/ stores of a seed (the citations stage's `Authority` has these)."""

    key: str
    name: str
    citations: Sequence[str]
    court: str | None
    decided: str | None
    short_names: Sequence[str]
    nicknames: Sequence[str]
    status: str
    history: Sequence[Any]  # each with the fields of a subsequent-history step
    family: str | None
    last_page: int | None

    @property
    def primary_citation(self) -> str: ...


class ReferenceFields(Protocol):
    """What db/ stores of a found reference (the citations stage's `Reference` has these)."""

    start: int
    end: int
    as_written: str
    kind: str
    authority_key: str | None
    cite: str | None
    pin_cite: str | None
    parenthetical: str | None
    signal: str
    sentence: str
    paragraph: str
    in_footnote: bool
    opinion_part: str
    ambiguous: bool
    candidates: Sequence[str]
    subsequent_history: str | None
    quotation: str | None
    treatment: str | None
    confidence: float | None
    evidence: Sequence[str]
    extra: dict[str, Any]
    resolution_note: str | None


def check_types(record: object, texts: Sequence[str], required: Sequence[str] = (), whole: Sequence[str] = ()) -> None:
    """A record built from a source's data must hold text where text goes: a source answering a list
    or a number there raises TypeError (a malformed document, recorded as such by the harvesters)
    instead of reaching SQLite as a binding error or a stored list."""
    for name in texts:
        value = getattr(record, name)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{type(record).__name__}.{name} must be text, not {type(value).__name__}")
    for name in required:
        if not isinstance(getattr(record, name), str):
            raise TypeError(f"{type(record).__name__}.{name} must be text")
    for name in whole:
        value = getattr(record, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{type(record).__name__}.{name} must be a whole number, not {type(value).__name__}")
