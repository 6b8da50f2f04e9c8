"""What citator knows about a cited authority's standing, and the warnings a brief earns from it.

Sources of that knowledge, from the configuration alone up: the seeds' configured status and
subsequent history (176 F.3d 1132 withdrawn by 192 F.3d 1308); with `--db`, the database's
authorities, the subsequent history citing courts wrote after a case's cite ("rev'd, 209 F.3d
481"), citing references labelled `noted_withdrawn`, each authority's negative treatment, and
the cases flagged `withdrawn_risk` (they rely on a withdrawn opinion, directly or through others).

A brief that states an authority's history where it cites it ("176 F.3d 1132, reh'g en banc
granted, opinion withdrawn, 192 F.3d 1308") has done what the rules ask and gets no warning; a
short form or id. after a full cite that carried the history gets none either.

Pure functions over plain data; the database is read elsewhere (`citator.db.brief_lookup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

from citator.citations.goodlaw import acknowledges_withdrawal, is_withdrawn_status
from citator.citations.models import Authority, HistoryEntry, Reference

__all__ = [
    "AuthorityStatus",
    "from_seeds",
    "status_from_history",
    "reference_warnings",
    "merge",
]

_RELATION_WORDS = {
    "withdrawn_by": "withdrawn",
    "vacated_by": "vacated",
    "reversed_by": "reversed",
    "overruled_by": "overruled",
    "superseded_by": "superseded",
}

#: Words of subsequent history, strongest first, and the status each means.
_HISTORY_STATUS = (
    (re.compile(r"\boverruled\b|\babrogated\b", re.I), "overruled"),
    (re.compile(r"\bwithdrawn\b|\bwithdrawing\b|reh'?g\s+en\s+banc\s+granted|rehearing\s+en\s+banc\s+(?:was\s+)?granted", re.I), "withdrawn"),
    (re.compile(r"\bvacated\b|\bvacating\b|\bvacatur\b", re.I), "vacated"),
    (re.compile(r"\brev'?d\b|\breversed\b", re.I), "reversed"),
)


@dataclass(frozen=True)
class AuthorityStatus:
    """One authority's standing as far as citator knows it.

    `status` is good, withdrawn, vacated, reversed, overruled or superseded; `history` says by
    what ("rehearing en banc granted; panel opinion withdrawn, 192 F.3d 1308"); `later` holds the
    later decisions' cites, whose presence next to a reference counts as noting the history.
    `negative_cases` (with --db) counts citing cases that distinguished or criticized it;
    `relies_on_withdrawn` is the chain of authorities behind its withdrawn-reliance risk.
    """

    key: str
    name: str | None
    cites: tuple[str, ...]
    status: str = "good"
    history: str | None = None
    later: tuple[str, ...] = ()
    source: str = "configuration"
    negative_cases: int | None = None
    relies_on_withdrawn: tuple[str, ...] = ()
    case_id: str | None = None

    @property
    def withdrawn(self) -> bool:
        return is_withdrawn_status(self.status)

    @property
    def label(self) -> str:
        return self.cites[0] if self.cites else (self.name or self.key)

    @property
    def flag(self) -> str:
        """Short status flag for a table of authorities ("" when nothing is known against it)."""
        flags = []
        if self.withdrawn:
            flags.append(self.status.upper())
        if self.relies_on_withdrawn:
            flags.append("relies on withdrawn")
        if self.negative_cases:
            flags.append(f"negative treatment: {self.negative_cases} case{'s' * (self.negative_cases != 1)}")
        return "; ".join(flags)

    def describe(self) -> str:
        """"176 F.3d 1132 was withdrawn (rehearing en banc granted; ..., 192 F.3d 1308)"."""
        return f"{self.label} was {self.status}" + (f" ({self.history})" if self.history else "")

    def authority(self) -> Authority:
        """As a `citations.models.Authority`, for the shared acknowledgement test."""
        return Authority(
            key=self.key, name=self.name or self.label, citations=self.cites, status=self.status,
            history=tuple(HistoryEntry("withdrawn_by", c) for c in self.later),
        )

    def to_dict(self) -> dict:
        return {
            "key": self.key, "name": self.name, "cites": list(self.cites), "status": self.status,
            "history": self.history, "source": self.source, "negative_cases": self.negative_cases,
            "relies_on_withdrawn": list(self.relies_on_withdrawn),
        }


def _history_text(entries: Iterable[HistoryEntry]) -> tuple[str | None, tuple[str, ...]]:
    parts, later = [], []
    for entry in entries:
        words = entry.note or _RELATION_WORDS.get(entry.relation, entry.relation.replace("_", " "))
        parts.append(f"{words}, {entry.citation}" if entry.citation else words)
        if entry.citation:
            later.append(entry.citation)
    return ("; ".join(parts) or None), tuple(later)


def from_authority(authority: Authority, source: str = "configuration") -> AuthorityStatus:
    history, later = _history_text(authority.history)
    return AuthorityStatus(
        key=authority.key, name=authority.name, cites=tuple(authority.citations),
        status=authority.status or "good", history=history, later=later, source=source,
    )


def from_seeds(seeds: Sequence[Authority]) -> dict[str, AuthorityStatus]:
    """Each configured seed's status, by key."""
    return {seed.key: from_authority(seed) for seed in seeds}


def status_from_history(text: str | None) -> str | None:
    """The status a subsequent-history clause gives the decision it follows, or None
    ("reh'g en banc granted, opinion withdrawn, 192 F.3d 1308" -> withdrawn; "aff'd" -> None)."""
    if not text:
        return None
    for pattern, status in _HISTORY_STATUS:
        if pattern.search(text):
            return status
    return None


def merge(base: AuthorityStatus | None, update: AuthorityStatus) -> AuthorityStatus:
    """Combine two views of one authority: a known bad status wins over "good", the database's
    counts and risk chain are added to the configured facts."""
    if base is None:
        return update
    chosen = base if base.withdrawn or not update.withdrawn else update
    return replace(
        chosen,
        name=base.name or update.name,
        cites=tuple(dict.fromkeys(base.cites + update.cites)),
        later=tuple(dict.fromkeys(base.later + update.later)),
        negative_cases=update.negative_cases if update.negative_cases is not None else base.negative_cases,
        relies_on_withdrawn=update.relies_on_withdrawn or base.relies_on_withdrawn,
        case_id=base.case_id or update.case_id,
    )


@dataclass
class Warned:
    """A reference's warnings and, for the summary, what they were about."""

    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # the same, in a few words, for a table cell
    unnoted_withdrawn: bool = False


def reference_warnings(
    references: Sequence[Reference],
    text: str,
    status_of: Mapping[int, AuthorityStatus | None],
) -> list[Warned]:
    """The warnings each reference earns, in order.

    `status_of[i]` is the status of the authority `references[i]` points to (None: unknown).
    A full cite of a withdrawn (vacated, reversed, ...) authority is warned unless it or the text
    right around it notes the history; a short form, id., supra or name is warned unless it does,
    or the full cite of the same authority before it did. An authority at withdrawn risk is
    warned at each reference with the chain it relies on.
    """
    last_full_noted: dict[str, bool] = {}  # authority -> did its latest full cite give the history?
    out: list[Warned] = []
    for i, ref in enumerate(references):
        warned = Warned()
        status = status_of.get(i)
        if status is not None and status.withdrawn:
            ok = acknowledges_withdrawal(ref, text, status.authority())
            if ref.kind in ("full", "parallel"):
                last_full_noted[status.key] = ok
            elif not ok:
                ok = last_full_noted.get(status.key, False)
            if not ok:
                warned.warnings.append(f"{status.describe()}; cited without that history")
                warned.flags.append(f"{status.status.upper()}, history not given")
                warned.unnoted_withdrawn = True
        if status is not None and status.relies_on_withdrawn:
            warned.warnings.append(
                f"{status.label} relies on withdrawn authority: " + " -> ".join(status.relies_on_withdrawn)
            )
            warned.flags.append("relies on withdrawn authority")
        out.append(warned)
    return out
