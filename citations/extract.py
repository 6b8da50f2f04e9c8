"""Find references to authorities in one opinion's text.

The pipeline, for one opinion at a time:

1. `citations.text.prepare_text` turns the input (plain text, HTML or CAP XML) into a working
   text with an offset map back to the input, and reads footnotes and star pages.
2. `citations.cites` runs eyecite (full, short, id., supra and reference citations) and, with
   `citations.clauses`, reads what eyecite leaves open: case-name starts, pins, court
   parentheticals, explanatory parentheticals, parallels, subsequent history and signals.
3. `citations.resolve` maps full cites to authorities through all their reporter cites and
   carries short, id., supra and name references to their antecedent, telling same-name and
   same-volume authorities apart by name and by pin page.
4. `citations.mentions` finds name-only references ("In Bakke, ...", "the Bernstein court",
   "Bernstein II") from the names the document itself uses for each cited authority.
5. This module assembles `Reference` records: spans mapped back to the input, sentence,
   paragraph, footnote flag, opinion part and (given the cited text) quotations.

`Reference.extra` may hold "page" (the star page of the citing opinion the reference sits on)
and "standalone_cite" (a full cite written apart from its case name).

Offsets in every `Reference` point into the string that was given, so `text[start:end] ==
as_written` holds for HTML input too.
"""

from __future__ import annotations

import bisect
import html
import logging
import re
from typing import Mapping, Sequence

from citator.citations.cites import (
    Cite,
    assign_signals,
    cite_key,
    link_structure,
    normalize_cite,
    read_cites,
    signal_of_unread_short,
    trim_end,
)
from citator.citations.footnotes import ReadingOrder, note_anchors
from citator.citations.mentions import find_name_only, heading_line_end
from citator.citations.models import Authority, Reference
from citator.citations.parties import caption_parties, named_people
from citator.citations.resolve import Target, build_targets, resolve
from citator.citations.text import PreparedText, prepare_text

logging.getLogger("eyecite").setLevel(logging.ERROR)

__all__ = ["find_references", "resolve_cites", "normalize_cite", "cite_key", "strip_markup"]


def strip_markup(text: str) -> tuple[str, list[int]]:
    """Drop tags and decode entities, keeping for every character its offset in `text`.

    Kept for callers of the walking skeleton; `prepare_text` is the full version.
    """
    prepared = prepare_text(text, "html")
    return prepared.text, prepared.offsets


# --- sentences --------------------------------------------------------------------------------------

#: A sentence ends at . ! ? (maybe a closing quote and a footnote number glued on) before a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*(?: (?=[A-Z“\"(])|\d{1,3} (?=[A-Z“\"]))")


def _sentence(text: str, start: int, end: int, bounds: tuple[int, int] | None = None) -> str:
    lo, hi = bounds or (0, len(text))
    left = max(lo, start - 600)
    chunk_start = left
    for m in _SENTENCE_END.finditer(text, left, start):
        word = re.search(r"(\S+)$", text[max(0, m.start() - 12) : m.start()])
        token = word.group(1) if word else ""
        if _is_abbreviation(token):
            continue
        chunk_start = m.end()
    stop = min(hi, end + 600)
    chunk_end = stop
    for m in _SENTENCE_END.finditer(text, end, stop):
        word = re.search(r"(\S+)$", text[max(0, m.start() - 12) : m.start()])
        if _is_abbreviation(word.group(1) if word else ""):
            continue
        chunk_end = m.start()
        break
    return text[chunk_start:chunk_end].strip()


def _is_abbreviation(token: str) -> bool:
    bare = token.rstrip('"”’)').rstrip(".").lower()
    if len(bare) <= 2 or "." in bare:
        return True
    return bare in {
        "id",
        "ibid",
        "supp",
        "cir",
        "app",
        "co",
        "inc",
        "corp",
        "univ",
        "cal",
        "dep't",
        "stat",
        "ass'n",
        "ass’n",
        "educ",
        "dist",
        "sch",
        "pub",
        "vill",
        "seq",
        "cong",
        "sess",
        "rev",
        "ann",
        "jr",
        "sr",
        "nos",
        "cert",
        "reh'g",
        "pp",
        "cf",
        "e.g",
        "i.e",
        "etc",
        "assn",
    }


# --- public API -------------------------------------------------------------------------------------


def resolve_cites(
    prepared: PreparedText,
    authorities: Sequence[Authority],
    *,
    all_cases: bool = False,
    tokenizer: str = "auto",
) -> tuple[list[Cite], dict[str, Target]]:
    """Every citation in a prepared text with its resolved target (steps 2 and 3 above).

    `find_references` builds its references from these; the resolution evaluation reads them
    directly, because an id. that points to no case (a statute, the record) is not a reference
    but still has to be judged.
    """
    work = prepared.text
    cites = read_cites(prepared, tokenizer)
    for c in cites:
        c.src_start = prepared.offsets[c.start]
    link_structure(work, cites)
    targets, by_cite = build_targets(authorities)
    resolve(work, cites, targets, by_cite, all_cases, note_anchors(prepared))
    assign_signals(work, cites)
    return cites, targets


def _part_at(parts: Sequence[tuple[int, str]], pos: int, default: str) -> str:
    """The opinion part holding `pos`: the last of the sorted `parts` starting at or before it
    (`parts` sorted once by the caller, so each reference costs a bisection)."""
    i = bisect.bisect_right(parts, pos, key=lambda p: p[0])
    return parts[i - 1][1] if i else default


def find_references(
    text: str,
    authorities: Sequence[Authority],
    *,
    fmt: str = "text",
    opinion_part: str = "majority",
    opinion_parts: Sequence[tuple[int, str]] | None = None,
    all_cases: bool = False,
    cited_texts: Mapping[str, str] | None = None,
    tokenizer: str = "auto",
    prepared: PreparedText | None = None,
) -> list[Reference]:
    """Every reference in `text` to one of `authorities` (or, with `all_cases`, to any case).

    `fmt` is "text", "html", "xml" or "auto". `opinion_parts` lists (offset into `text`, part)
    for opinions with several parts (majority, concurrence, dissent, syllabus); otherwise every
    reference gets `opinion_part`. `cited_texts` maps an authority key to that authority's own
    text; when given, quotations of it are recorded on the references. References come back in
    text order, with offsets into `text`. `prepared` is `prepare_text(text, fmt)` when the caller
    already has it (`citations.read_opinion` prepares once for finding and classifying).
    """
    if prepared is None:
        prepared = prepare_text(text, fmt)
    work = prepared.text
    if not work.strip():
        return []
    cites, targets = resolve_cites(prepared, authorities, all_cases=all_cases, tokenizer=tokenizer)
    parts = sorted(opinion_parts or prepared.opinion_parts or [])

    seed_keys = {a.key for a in authorities}
    records: list[tuple[int, int, str, str, Cite | None, bool, tuple[str, ...]]] = []
    parallel_roots = {p.parallel_of for p in cites if p.parallel_of is not None}
    for c in cites:
        if c.kind not in ("full", "short", "id", "supra", "reference") or c.target is None:
            continue
        if c.parallel_of is not None:
            continue
        if not all_cases and c.target not in seed_keys:
            continue
        kind = {"reference": "short"}.get(c.kind, c.kind)
        if kind == "full" and c.index in parallel_roots:
            kind = "parallel"
        records.append((c.start, c.end, c.target, kind, c, c.ambiguous, c.candidates))
    parties = caption_parties(work) | named_people(work)
    notes = note_anchors(prepared)
    order = ReadingOrder(notes) if notes else None
    headings = heading_line_end(prepared.source, prepared.offsets)
    for start, end, key, kind, amb, cands in find_name_only(
        work, cites, targets, not all_cases, parties, order, headings
    ):
        if not all_cases and key not in seed_keys:
            continue
        records.append((start, end, key, kind, None, amb, cands))
    records.sort(key=lambda r: (r[0], r[1]))

    from citator.citations.quotes import find_quotation

    records = _split_at_footnotes(prepared, records)
    references: list[Reference] = []
    last_end = -1
    for start, end, key, kind, cite, amb, cands in records:
        if start < last_end:
            continue
        last_end = end
        src_start, src_end = prepared.source_span(start, end)
        target = targets.get(key)
        pin = None
        signal = cite.signal if cite is not None else "none"
        if kind.startswith("short:"):
            kind, pin = "short", kind.split(":", 1)[1]
            signal = signal_of_unread_short(work, cites, start)
        ref = Reference(
            start=src_start,
            end=src_end,
            as_written=text[src_start:src_end],
            kind=kind,
            authority_key=key if key in seed_keys else None,
            cite=(target.cite if target else None),
            pin_cite=cite.pin if cite is not None else pin,
            parenthetical=_parenthetical(prepared, cite.paren_spans, src_start) if cite is not None else None,
            signal=signal,
            sentence=_sentence(work, start, end, prepared.zone_bounds(start)),
            paragraph=_paragraph(prepared, start),
            in_footnote=prepared.in_footnote(src_start),
            opinion_part=_part_at(parts, src_start, opinion_part),
            ambiguous=amb,
            candidates=tuple(cands),
            subsequent_history=cite.history if cite is not None else None,
            resolution_note=cite.note if cite is not None else None,
        )
        if cite is not None and cite.kind == "full" and cite.name is None and kind == "full":
            ref.extra["standalone_cite"] = True
        page = prepared.page_at(src_start)
        if page:
            ref.extra["page"] = page
        if cited_texts and key in cited_texts:
            quote = find_quotation(work, start, end, cited_texts[key])
            if quote is not None:
                ref.quotation, ref.quotation_page = quote
        references.append(ref)
    references.sort(key=lambda r: (r.start, r.end))  # footnotes were read after the body
    return references


def _after_page_break(prepared: PreparedText, pos: int) -> int:
    """Skip whitespace and layout noise (page numbers, running heads) that follow `pos`."""
    src = prepared.source
    moved = True
    while moved:
        moved = False
        while pos < len(src) and src[pos].isspace():
            pos += 1
        for a, b in prepared.layout_noise:
            if a <= pos < b:
                pos, moved = b, True
    return pos


def _parenthetical(prepared: PreparedText, spans: list[tuple[int, int]], src_pos: int) -> str | None:
    """Parenthetical text as written in the source (page headers included, as the corpus keeps
    them), without footnote bodies that the page layout interleaves into it."""
    if not spans:
        return None
    own = prepared.footnotes_overlapping(src_pos, src_pos + 1)  # the footnote it is written in
    parts = []
    for a, b in spans:
        sa, sb = prepared.source_span(a + 1, b - 1)
        raw = prepared.source[sa:sb]
        for fa, fb in prepared.footnotes_overlapping(sa, sb):  # last first, so cuts keep offsets
            if (fa, fb) in own:
                continue
            fb = _after_page_break(prepared, fb)  # the page's number and the next page's head
            raw = raw[: max(0, fa - sa)] + " " + raw[max(0, fb - sa) :]
        raw = re.sub(r"\s+", " ", raw.replace("\f", " ")).strip()
        if prepared.fmt != "text":
            raw = re.sub(r"<[^>]*>", "", raw)
            raw = re.sub(r"\s+", " ", html.unescape(raw)).strip()
        if raw:
            parts.append(raw)
    return " | ".join(parts) if parts else None


def _split_at_footnotes(prepared: PreparedText, records: list) -> list:
    """A citation broken by a footnote ("Vill. of Hoffman Estates v. Flipside, [note 9] Inc.,
    455 U.S. 489") is reported as its two halves: the name before the break (name_only) and the
    cite after it, so that neither span swallows the footnote."""
    if not prepared.footnote_zones:
        return records
    zone_inside = _ZonesInside(prepared.footnote_zones)
    out = []
    for rec in records:
        start, end, key, kind, cite, amb, cands = rec
        src_a, src_b = prepared.source_span(start, end)
        cut = zone_inside.first(src_a, src_b)
        if cut is None:
            out.append(rec)
            continue
        first_end = next((w for w in range(start, end) if prepared.offsets[w] >= cut[2]), end)
        if (cite is None and kind != "name_only") or kind not in ("full", "short", "parallel", "name_only"):
            out.append(_before_note(prepared, rec, first_end))
            continue
        if cite is None:  # a name broken by a footnote: the part before the break is the name
            head = trim_end(prepared.text, start, first_end)
            out.append((start, head, key, kind, cite, amb, cands) if head > start else rec)
            continue
        second_start = first_end
        while second_start < end and prepared.text[second_start] == " ":
            second_start += 1
        head = trim_end(prepared.text, start, first_end)
        if head > start and second_start < end and second_start <= cite.core[0]:
            core_start = cite.core[0]
            if kind == "full" and cite.name and core_start > second_start:
                # keep only a real name after the break; a lone "Inc.," belongs to the first half
                name_after = prepared.text[second_start:core_start].rstrip(" ,")
                if not re.search(r"[a-z]{3,}", name_after.replace("Inc", "")):
                    second_start = core_start
            out.append((start, head, key, "name_only", None, amb, cands))
            out.append((second_start, end, key, kind, cite, amb, cands))
        else:
            out.append(_before_note(prepared, rec, first_end))
    return out


def _before_note(prepared: PreparedText, rec: tuple, first_end: int) -> tuple:
    """A citation broken inside by a footnote ("Briscoe v. LaHue, 460 [note 7] U.S. 325") keeps
    what it cites but is reported up to the note, so its span never holds the note's text; when
    nothing of it comes before the note, from the note's end."""
    start, end = rec[0], rec[1]
    head = trim_end(prepared.text, start, first_end)
    if head > start:
        return (start, head, *rec[2:])
    second = first_end
    while second < end and prepared.text[second] == " ":
        second += 1
    return (second, end, *rec[2:]) if second < end else rec


class _ZonesInside:
    """The first moved footnote (in list order) whose source span lies strictly inside a
    reference's span: by bisection on the footnotes' source starts, which `prepare_text` lays
    out in order (a list out of that order is scanned)."""

    def __init__(self, zones: Sequence[tuple[int, int, int, int]]) -> None:
        self.zones = zones
        self.starts = [z[2] for z in zones]
        self.ordered = all(z[2] <= z[3] for z in zones) and all(
            self.starts[i - 1] <= self.starts[i] for i in range(1, len(zones))
        )

    def first(self, src_a: int, src_b: int) -> tuple[int, int, int, int] | None:
        if not self.ordered:
            return next((z for z in self.zones if src_a < z[2] and z[3] < src_b), None)
        k = bisect.bisect_right(self.starts, src_a)
        while k < len(self.zones) and self.starts[k] < src_b:
            if self.zones[k][3] < src_b:
                return self.zones[k]
            k += 1
        return None


def _paragraph(prepared: PreparedText, work_pos: int) -> str:
    wa, wb = prepared.working_paragraph(work_pos)
    para = prepared.text[wa:wb].strip()
    if len(para) > 4000:
        center = work_pos - wa
        para = para[max(0, center - 2000) : center + 2000]
    return para
