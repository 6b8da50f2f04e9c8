"""Typed data models shared by the citations stage and its callers.

The citations stage is pure: text and authorities go in, references come out. These dataclasses are
the contract between it and the rest of citator (the database writer, the CLI, the evaluators), so
they carry plain values only (strings, ints, tuples) and can be pickled to a worker process or a
Dask cluster.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Reference kinds, in the vocabulary of the labelled corpus.
KINDS = ("full", "short", "id", "supra", "name_only", "parallel")

#: Introductory signals, lower case, in the vocabulary of the labelled corpus (how each is written:
#: citations/signals.py).
SIGNALS = (
    "see",
    "see also",
    "see, e.g.",
    "see generally",
    "cf.",
    "but see",
    "but cf.",
    "accord",
    "contra",
    "compare",
    "e.g.",
    "quoting",
    "citing",
    "none",
)

#: Parts of a citing case a reference can sit in.
OPINION_PARTS = ("majority", "concurrence", "dissent", "syllabus", "per_curiam", "unknown")

#: Treatment labels; their order implies nothing (see TREATMENT_RANKING).
TREATMENTS = (
    "followed",
    "relied_on",
    "cited_neutral",
    "distinguished",
    "criticized_or_declined",
    "noted_withdrawn",
)

#: The one ranking of treatments, strongest first, for rolling a case's references up into one
#: case-level treatment (case_treatments, the site's summaries, views and pages). What a researcher
#: needs to see first is anything that weakens the seed (a noted withdrawal, criticism), then a
#: refusal to apply it (distinguished), then the strongest positive use (followed over relied_on),
#: then mere mention. db/ does not import this package: the glue hands this tuple to it.
TREATMENT_RANKING = ("noted_withdrawn", "criticized_or_declined", "distinguished", "followed", "relied_on", "cited_neutral")


@dataclass(frozen=True)
class HistoryEntry:
    """One step of an authority's subsequent history, e.g. withdrawn by 192 F.3d 1308."""

    relation: str  # "withdrawn_by", "reversed_by", "affirmed_by", "vacated_by", "superseded_by"
    citation: str  # the normalized reporter cite of the later decision, or a docket description
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Authority:
    """A seed authority: one reported decision whose citing references we hunt for.

    `citations` holds every reporter citation of the decision, normalized like eyecite's
    `corrected_citation()` ("922 F. Supp. 1426"); the first is the primary one. `short_names`
    are the names a court uses after a full cite ("Bernstein"); `nicknames` are labels such as
    "Bernstein I" that are attached to this decision only. `last_page`, when known, lets a
    supra or short cite be placed by its pin page.
    """

    key: str
    name: str
    citations: tuple[str, ...]
    court: str | None = None
    decided: str | None = None
    short_names: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    last_page: int | None = None
    status: str = "good"  # "good", "withdrawn", "reversed", "vacated", "superseded"
    history: tuple[HistoryEntry, ...] = ()
    family: str | None = None  # litigation this decision belongs to, e.g. "bernstein"

    @property
    def primary_citation(self) -> str | None:
        return self.citations[0] if self.citations else None

    @property
    def first_page(self) -> int | None:
        cite = self.primary_citation
        if not cite:
            return None
        page = cite.split(",", 1)[0].rsplit(" ", 1)[-1]  # "438 U.S. 265, 98 S. Ct. 2733": 265
        return int(page) if page.isdigit() else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Authority":
        history = tuple(HistoryEntry(**h) for h in data.get("history", ()))
        return cls(
            key=data["key"],
            name=data["name"],
            citations=tuple(data.get("citations", ())),
            court=data.get("court"),
            decided=data.get("decided"),
            short_names=tuple(data.get("short_names", ())),
            nicknames=tuple(data.get("nicknames", ())),
            last_page=data.get("last_page"),
            status=data.get("status", "good"),
            history=history,
            family=data.get("family"),
        )


@dataclass
class Reference:
    """One reference found in an opinion to an authority (a seed, or any case with --all).

    Offsets (`start`, `end`) are Python string indices into the text that was given to the
    extractor, `end` exclusive, so `text[start:end] == as_written` always holds.
    """

    start: int
    end: int
    as_written: str
    kind: str
    authority_key: str | None = None  # the seed it points to; None for a non-seed case (--all)
    cite: str | None = None  # normalized reporter cite of the cited decision
    pin_cite: str | None = None
    parenthetical: str | None = None
    signal: str = "none"
    sentence: str = ""
    paragraph: str = ""
    in_footnote: bool = False
    opinion_part: str = "majority"
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()  # authority keys still possible when ambiguous
    subsequent_history: str | None = None  # e.g. "reh'g en banc granted, opinion withdrawn, 192 F.3d 1308"
    quotation: str | None = None  # language quoted from the cited opinion, when we have its text
    quotation_page: str | None = None
    #: what was repaired to resolve it, e.g. "volume 564 as printed; 546 U.S. 320 by its name and
    #: first page"; None when the citation was read as written
    resolution_note: str | None = None
    # Filled by citations.treatment:
    treatment: str | None = None
    confidence: float | None = None
    evidence: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["candidates"] = list(self.candidates)
        data["evidence"] = list(self.evidence)
        return data
