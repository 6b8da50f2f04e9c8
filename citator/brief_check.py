"""Checking a brief: its references, each with where it is, the authority's standing, the
warnings it earns and the quotations it supports.

This is the glue of `citator cite`: it runs the extractor (in one place, `find_brief_references`),
asks what is known about each cited authority (the configured seeds, and with a database
`citator.db.brief_lookup`), and leaves the rendering to `citator.brief_report` and the table of
authorities to `citator.brief_toa`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Sequence

from citator.brief_input import BriefDocument, Location
from citator.brief_status import AuthorityStatus, from_authority, from_seeds, merge, reference_warnings, status_from_history
from citator.citations.models import Authority, HistoryEntry, Reference
from citator.citations.other_authorities import citation_spans
from citator.citations.quote_check import QuoteCheck, Quotation, check_quotation, supported_quotations
from citator.citations.text import PreparedText, prepare_text

if TYPE_CHECKING:
    from citator.db.brief_lookup import BriefLookup

__all__ = ["BriefCheck", "CheckedReference", "CheckedQuotation", "OtherCitation", "check_brief", "find_brief_references"]


def find_brief_references(doc: BriefDocument, seeds: Sequence[Authority], all_cases: bool) -> list[Reference]:
    """The brief's references, read by the one path every opinion takes (`read_opinion`), so a
    brief is read exactly as refresh reads an opinion. Unclassified: a brief's own treatment of
    an authority is the writer's, not a court's."""
    from citator.citations import read_opinion

    return read_opinion(doc.text, seeds, fmt=doc.fmt, all_cases=all_cases, classify=False)


@dataclass
class CheckedQuotation:
    quotation: Quotation
    location: Location
    start: int  # offsets into the text citator read (like the references')
    end: int
    check: QuoteCheck | None = None
    note: str | None = None  # why it was not checked

    def to_dict(self) -> dict:
        data = {"text": self.quotation.text, "start": self.start, "end": self.end, **self.location.to_dict(),
                "location": self.location.label}
        data["check"] = self.check.to_dict() if self.check else None
        if self.note:
            data["note"] = self.note
        return data


@dataclass
class CheckedReference:
    reference: Reference
    location: Location
    as_written: str  # text, never markup
    group: str  # the authority it counts under in a table of authorities
    authority: str  # its name and cite, for people
    status: AuthorityStatus | None = None
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # the warnings in a few words each
    quotations: list[CheckedQuotation] = field(default_factory=list)
    history_of: str | None = None  # the cite whose subsequent history this reference is part of

    def to_dict(self) -> dict:
        data = self.reference.to_dict()
        data.pop("paragraph", None)  # long; the sentence gives the context
        data.pop("extra", None)
        data.pop("quotation", None)  # for briefs, "quotations" below: every one, checked or not
        data.pop("quotation_page", None)
        data["as_written"] = self.as_written
        data.update(self.location.to_dict())
        data["location"] = self.location.label
        data["authority"] = self.authority
        data["status"] = self.status.status if self.status else None
        data["status_history"] = self.status.history if self.status else None
        if self.status is not None and self.status.negative_cases is not None:
            data["negative_cases"] = self.status.negative_cases
        if self.status is not None and self.status.relies_on_withdrawn:
            data["relies_on_withdrawn"] = list(self.status.relies_on_withdrawn)
        data["warnings"] = list(self.warnings)
        data["quotations"] = [q.to_dict() for q in self.quotations]
        data["history_of"] = self.history_of
        return data


@dataclass
class OtherCitation:
    """A statute, regulation or article cited (listed in a table of authorities with --all)."""

    kind: str
    label: str
    location: Location


@dataclass
class BriefCheck:
    """Everything `citator cite` reports about one brief."""

    document: BriefDocument
    references: list[CheckedReference]
    statuses: dict[str, AuthorityStatus]
    summary: list[str]  # warnings, one line each, for the end of the report
    notes: list[str]  # what is known but is not a warning (negative treatment counts)
    others: list[OtherCitation] = field(default_factory=list)
    used_database: bool = False

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.references)


# --- the check -------------------------------------------------------------------------------------


def clean_written(raw: str, doc: BriefDocument) -> str:
    """A reference as a reader sees it: markup and entities gone; in anything but a plain text
    file (where `text[start:end] == as_written` holds) line breaks read as spaces."""
    if doc.fmt in ("html", "xml"):
        raw = html.unescape(re.sub(r"<[^>]*>", "", raw))
    if doc.kind == "text" and doc.fmt == "text":
        return raw
    return re.sub(r"\s+", " ", raw).strip()


def _case_name(as_written: str, cite: str | None) -> str | None:
    """"Junger v. Daley" from "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000)"."""
    if not cite:
        return None
    volume = cite.split(" ", 1)[0]
    m = re.search(rf"(?:^|[\s,]){re.escape(volume)}\s", as_written)
    if not m:
        return None
    name = " ".join(as_written[: m.start()].split()).strip(" ,;")
    name = re.sub(r"^(?:see(?: also|, e\.g\.,| generally)?|cf\.|but see|accord|compare|e\.g\.,)\s+", "", name, flags=re.I)
    return name if re.search(r"[A-Za-z]{2}", name) else None


def _plural(unit: str, places: list[int]) -> str:
    names = {"line": ("line", "lines"), "paragraph": ("paragraph", "paragraphs"), "page": ("page", "pages")}
    one, many = names[unit]
    places = sorted(dict.fromkeys(places))
    if len(places) == 1:
        return f"{one} {places[0]}"
    return f"{many} " + ", ".join(map(str, places[:-1])) + f" and {places[-1]}"


class _Working:
    """The brief as the extractor's working text (markup dropped, whitespace single) and every
    citation in it, computed once, and only if quotations or --all need them."""

    def __init__(self, doc: BriefDocument) -> None:
        self.doc = doc
        self._prepared: PreparedText | None = None
        self._spans: list | None = None

    @property
    def prepared(self) -> PreparedText:
        if self._prepared is None:
            self._prepared = prepare_text(self.doc.text, self.doc.fmt)
        return self._prepared

    @property
    def spans(self) -> list:
        if self._spans is None:
            self._spans = citation_spans(self.prepared.text)
        return self._spans


def check_brief(
    doc: BriefDocument,
    seeds: Sequence[Authority],
    *,
    all_cases: bool = False,
    lookup: BriefLookup | None = None,
    check_quotes: bool = True,
) -> BriefCheck:
    """Find the brief's references and check them.

    `lookup` is a `citator.db.brief_lookup.BriefLookup` (with --db) or None.
    """
    if doc.empty:
        return BriefCheck(doc, [], {}, [], [])
    references = find_brief_references(doc, seeds, all_cases)
    by_key = {seed.key: seed for seed in seeds}
    statuses: dict[str, AuthorityStatus] = {k: v for k, v in from_seeds(seeds).items()}

    # names for authorities that are not seeds: the case name written before the first full cite
    names: dict[str, str] = {}
    cleaned = [clean_written(r.as_written, doc) for r in references]
    for ref, written in zip(references, cleaned):
        group = ref.authority_key or f"cite:{ref.cite}"
        if group not in names and ref.authority_key is None:
            name = _case_name(written, ref.cite) if ref.kind in ("full", "parallel") else None
            if name:
                names[group] = name

    if lookup is not None:
        _add_database_statuses(lookup, references, statuses, by_key)

    status_of = {}
    for i, ref in enumerate(references):
        group = ref.authority_key or f"cite:{ref.cite}"
        status_of[i] = statuses.get(group)
    warned = reference_warnings(references, doc.text, status_of)

    checked: list[CheckedReference] = []
    for i, (ref, written, w) in enumerate(zip(references, cleaned, warned)):
        group = ref.authority_key or f"cite:{ref.cite}"
        if ref.authority_key in by_key:
            seed = by_key[ref.authority_key]
            label = f"{seed.name}, {seed.primary_citation}" if seed.primary_citation else seed.name
        else:
            label = ", ".join(p for p in (names.get(group), ref.cite) if p) or written
        checked.append(CheckedReference(ref, doc.locate(ref.start), written, group, label, status_of[i], w.warnings, w.flags))

    _mark_history(checked)
    working = _Working(doc)
    if check_quotes and re.search(r"[\"“”]", doc.text):
        _attach_quotations(working, checked, lookup)

    others = []
    if all_cases:
        for span in working.spans:
            if span.kind in ("statute", "regulation", "journal") and span.label:
                others.append(OtherCitation(span.kind, span.label, doc.locate(working.prepared.offsets[span.start])))

    summary, notes = _summaries(doc, checked)
    return BriefCheck(doc, checked, statuses, summary, notes, others, used_database=lookup is not None)


def _mark_history(checked: list[CheckedReference]) -> None:
    """Mark the cites that are another citation's subsequent history ("rev'd, 209 F.3d 481"): a
    table of authorities lists them with that citation, not as places the authority is cited."""
    squash = lambda text: re.sub(r"\s+", "", text or "")  # noqa: E731
    for before, after in zip(checked, checked[1:]):
        history = squash(before.reference.subsequent_history)
        ref = after.reference
        if (history and ref.kind == "full" and ref.cite and squash(ref.cite) in history
                and ref.start - before.reference.end < 300):
            after.history_of = before.reference.cite


def _add_database_statuses(lookup: BriefLookup, references: list[Reference], statuses: dict[str, AuthorityStatus],
                           by_key: dict[str, Authority]) -> None:
    """Merge what the database knows into `statuses`, for every authority the brief cites."""
    rows = lookup.authorities()
    by_cite = {}
    for row in rows:
        history = tuple(HistoryEntry(h.get("relation") or "withdrawn_by", h.get("citation") or "", h.get("date"), h.get("note"))
                        for h in row["history"])
        authority = Authority(key=row["key"], name=row["name"], citations=tuple(row["cites"]),
                              status=row["status"], history=history)
        status = from_authority(authority, "database")
        status = replace(status, case_id=row["case_id"])
        for cite in row["cites"]:
            by_cite[cite] = status
        if row["key"] in statuses or row["key"] in by_key:
            statuses[row["key"]] = merge(statuses.get(row["key"]), status)
    seen: set[str] = set()
    for ref in references:
        group = ref.authority_key or f"cite:{ref.cite}"
        if group in seen:
            continue
        seen.add(group)
        base = statuses.get(group)
        if base is None and ref.cite in by_cite:  # a database authority the configuration lacks
            base = by_cite[ref.cite]
        cites = list(base.cites) if base else ([ref.cite] if ref.cite else [])
        case_id = (base.case_id if base else None) or next(
            (c for c in (lookup.case_for_cite(cite) for cite in cites) if c), None
        )
        facts = lookup.citing_facts(cites, case_id, ref.authority_key)
        status, history, source = "good", None, "database"
        for written, treatment, citing in facts["history"]:
            found = status_from_history(written) or ("withdrawn" if treatment == "noted_withdrawn" else None)
            if found:
                status = found
                history = written or f"noted as withdrawn by {citing}"
                source = f"database: as {citing} cites it"
                break
        later = tuple(re.findall(r"\d+ [A-Z][A-Za-z0-9. ']*? \d+", history or ""))
        update = AuthorityStatus(
            key=group, name=facts["name"], cites=tuple(cites), status=status, history=history, later=later,
            source=source, negative_cases=facts["negative_cases"],
            relies_on_withdrawn=tuple(facts["relies_on_withdrawn"]), case_id=case_id,
        )
        statuses[group] = merge(base, update)


def _attach_quotations(working: _Working, checked: list[CheckedReference], lookup: BriefLookup | None) -> None:
    if not checked:
        return
    doc = working.doc
    prepared = working.prepared
    work = prepared.text
    spans = []
    for c in checked:
        ws = prepared.working_pos(c.reference.start)
        we = max(ws, prepared.working_pos(c.reference.end))
        spans.append((ws, we))
    bounds = [(s.start, s.tail) for s in working.spans]
    paragraphs = sorted({prepared.working_pos(b) for b in prepared.paragraph_breaks})
    texts: dict[str, list[str]] = {}
    for c, quotes in zip(checked, supported_quotations(work, spans, bounds, paragraphs)):
        for q in quotes:
            start, end = prepared.source_span(q.start, q.end)
            cq = CheckedQuotation(q, doc.locate(start), start, end)
            if lookup is None:
                cq.note = "not checked: give --db with the cited opinion's text to check it"
            else:
                case_id = c.status.case_id if c.status else None
                if case_id and case_id not in texts:
                    texts[case_id] = lookup.opinion_texts(case_id)
                opinions = texts.get(case_id or "", [])
                if not opinions:
                    cq.note = "not checked: the database does not hold the cited opinion's text"
                else:
                    results = [check_quotation(q.text, t) for t in opinions]
                    cq.check = max(results, key=lambda r: ({"verbatim": 2, "changed": 1}.get(r.verdict, 0), r.similarity))
                    if cq.check.verdict == "changed":
                        c.warnings.append(
                            f"quotation at {cq.location.label} differs from the opinion: " + "; ".join(cq.check.differences)
                        )
                        c.flags.append("quotation altered")
                    elif cq.check.verdict == "not_found":
                        c.warnings.append(f"quotation at {cq.location.label} not found in {c.authority}")
                        c.flags.append("quotation not found")
            c.quotations.append(cq)


def _summaries(doc: BriefDocument, checked: list[CheckedReference]) -> tuple[list[str], list[str]]:
    summary: list[str] = []
    notes: list[str] = []
    groups: dict[str, list[CheckedReference]] = {}
    for c in checked:
        groups.setdefault(c.group, []).append(c)
    for group, refs in groups.items():
        status = refs[0].status
        if status is None:
            continue
        unnoted = [c for c in refs if any("cited without that history" in w for w in c.warnings)]
        if unnoted:
            places = _plural(doc.unit, [c.location.place for c in unnoted])
            summary.append(f"{status.describe()}; the brief cites it without that history at {places}")
        if status.relies_on_withdrawn:
            places = _plural(doc.unit, [c.location.place for c in refs])
            summary.append(
                f"{refs[0].authority} relies on withdrawn authority ({' -> '.join(status.relies_on_withdrawn)}); "
                f"cited at {places}"
            )
        if status.negative_cases:
            one = status.negative_cases == 1
            notes.append(
                f"{refs[0].authority}: {status.negative_cases} citing case{'' if one else 's'} in the database "
                + ("distinguishes or criticizes it" if one else "distinguish or criticize it")
            )
    for c in checked:
        for w in c.warnings:
            if w.startswith("quotation at "):
                summary.append(f"{c.authority}: {w}")
    return summary, notes
