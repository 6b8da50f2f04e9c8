"""Where a reader reads each footnote: at its anchor, the note number in the body.

Opinions put their footnotes where the page layout or the publisher puts them: at the foot of
each page in PDF text (and CourtListener's `plain_text`), after the opinion in CAP's XML, HTML
and JSON, at the end of CourtListener's HTML. A reader reads a note where its number stands in the
body. That order matters: a case first cited in note 3 has been cited when the body after the
note's number names it or cites it short ("Tashjian, 479 U.S. at 220"), and the body's id. chain
resumes after the note as if the note were not there.

`note_anchors` finds, for each footnote of a `PreparedText`, the working-text position of its
anchor; `ReadingOrder` turns that into a sort key for working positions. The working text itself
is left as it is, so every offset still maps back to the string we were given.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from citator.citations.text import PreparedText

__all__ = ["Note", "ReadingOrder", "note_anchors", "starts_with_number"]


@dataclass(frozen=True)
class Note:
    """One footnote as a reader meets it: its working-text span, and the working position of the
    body text just after its number (where it is read)."""

    start: int
    end: int
    anchor: int
    #: the note continues the note before it (an unnumbered block at the next page's foot)
    continuation: bool = False
    #: whether its number (or the link to it) was found in the body; if not, it is read where it
    #: stands
    marked: bool = True


#: How a footnote begins: its number ("9.", "[9]", "9)", "9" glued to the first word, "FN9") or an
#: asterisk, after any rule line.
_NOTE_NUMBER = re.compile(r"[-_—–=\s]*(?:\[?(?:FN)?(\d{1,3})\]?[.)]?(?=[\s\"“(A-Z])|\*)")


def starts_with_number(text: str, start: int) -> bool:
    """Whether the footnote text at `start` opens with a note number (or an asterisk); a block
    at the foot of a page that does not continues the note of the page before."""
    return bool(_NOTE_NUMBER.match(text, start))


def _label(text: str) -> str | None:
    m = _NOTE_NUMBER.match(text)
    return m.group(1) if m and m.group(1) else None


class ReadingOrder:
    """A sort key for working positions in reading order: the body in order, each footnote read
    at its anchor (just after its number), notes sharing an anchor in their own order."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes = sorted(notes, key=lambda n: n.start)
        self._starts = [n.start for n in self.notes]

    def note_of(self, pos: int) -> int | None:
        """The index (in `notes`) of the footnote holding a working position, or None (body)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.notes[i].start <= pos < self.notes[i].end:
            return i
        return None

    def key(self, pos: int) -> tuple[int, int, int, int]:
        """Body text before an anchor sorts before the note, the note before the body text at or
        after the anchor."""
        i = self.note_of(pos)
        if i is None:
            return (pos, 1, 0, 0)
        return (self.notes[i].anchor, 0, i, pos)


# --- anchors in plain text ----------------------------------------------------------------------

#: A note number set in the body: glued to the word or punctuation before it and standing alone
#: ("the first time2 on appeal", "(1945).9", "Id. at 798.14").
_PLAIN_MARK = r"(?<=[A-Za-z.,;:'’\"”)\]]){}(?!\w)"
#: What makes a glued number the last part of a section number instead ("§ 2D1.1", "section
#: 3E1.1"): a section sign or word just before, or a number-letter-number token.
_SECTION_BEFORE = re.compile(r"(?:§|\b[Ss]ection|\b[Ss]ec\.)\s*[\w.()-]*$|\d[A-Za-z]\d[\w]*\.$")


def _plain_anchors(prepared: PreparedText, body_end: int) -> list[Note]:
    source = prepared.source
    spans = sorted(prepared.footnotes)
    zones = {(a, b): (wa, wb) for wa, wb, a, b in prepared.footnote_zones}
    body_offsets = prepared.offsets[:body_end]  # the body is laid out first, in source order
    notes: list[Note] = []
    previous_end = 0
    for k, (a, b) in enumerate(spans):
        if (a, b) not in zones:
            continue
        wa, wb = zones[(a, b)]
        chunk = source[a : min(b, a + 40)]
        continuation = bool(notes) and not _NOTE_NUMBER.match(chunk)
        if continuation:
            notes.append(Note(wa, wb, notes[-1].anchor, True))
            previous_end = b
            continue
        anchor_src = None
        label = _label(chunk)
        if label is not None:
            # the last mark before the note (back from the note, occurrence by occurrence)
            lo = max(previous_end, a - 12000)
            mark = re.compile(_PLAIN_MARK.format(re.escape(label)))
            at = source.rfind(label, lo, a)
            while at >= 0:
                m = mark.match(source, at, a)
                if (
                    m
                    and not _SECTION_BEFORE.search(source, max(0, at - 25), at)
                    and not any(s <= m.end() < e for s, e in spans[max(0, k - 3) : k])
                ):
                    anchor_src = m.end()
                    break
                at = source.rfind(label, lo, at)
        marked = anchor_src is not None
        if anchor_src is None:
            anchor_src = b  # no number found: read where it stands, at the foot of its page
        anchor = bisect.bisect_left(body_offsets, anchor_src)
        notes.append(Note(wa, wb, anchor, False, marked))
        previous_end = b
    return notes


# --- anchors in markup ---------------------------------------------------------------------------

_OPEN_TAG = re.compile(r"<([A-Za-z][\w-]*)\b([^>]*)>")
_ATTR_VALUE = r"\b{}\s*=\s*[\"']([^\"']*)[\"']"


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(_ATTR_VALUE.format(name), attrs)
    return m.group(1) if m else None


#: A footnote's own element inside a container of notes (`<div class="footnotes">`).
_NOTE_ELEMENT = re.compile(r"<(footnote|fn|div|aside|li|p|section)\b([^>]*)>", re.I)
_NOTE_ATTRS = re.compile(r"\b(?:id|data-label|label|class)\s*=\s*[\"'](?:[^\"']*foot|fn|n|footnote)[_-]?\d*", re.I)


#: A note paragraph under a "NOTES" heading (CourtListener's lawbox HTML): "<p>[1]  Gabelino ...".
_BRACKETED_NUMBER = re.compile(r"\s*(?:<[^>]+>\s*)*\[(?:\d{1,3}|\*)\]")


def _split_containers(source: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each note of a container of notes as a span of its own, running to the next note."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        starts = [
            m.start()
            for m in _NOTE_ELEMENT.finditer(source, a + 1, b)
            if m.group(1).lower() in ("footnote", "fn")
            or _NOTE_ATTRS.search(m.group(2))
            or (m.group(1).lower() == "p" and _BRACKETED_NUMBER.match(source, m.end(), min(b, m.end() + 80)))
        ]
        if not starts:
            out.append((a, b))
            continue
        if source[a : starts[0]].strip() and re.sub(r"<[^>]*>", "", source[a : starts[0]]).strip():
            out.append((a, starts[0]))  # text before the first note (a heading "Notes")
        bounds = starts + [b]
        out.extend((bounds[i], bounds[i + 1]) for i in range(len(starts)))
    return out


def _markup_anchors(prepared: PreparedText) -> list[Note]:
    source = prepared.source
    spans = _split_containers(source, sorted(prepared.footnotes))
    if not spans:
        return []

    def inside_note(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and spans[i][0] <= pos < spans[i][1]

    starts = [a for a, _ in spans]
    # every footnote mark in the body, in order: <footnotemark>, <sup>, or a link to a note
    marks: list[tuple[int, int, str, str]] = []  # (start, end, label, href target)
    for m in re.finditer(
        r"<(footnotemark|sup|a)\b([^>]*)>((?:(?!</\1>).){0,200}?)</\1>", source, re.S | re.I
    ):
        if inside_note(m.start()):
            continue
        tag, attrs, inner = m.group(1).lower(), m.group(2), m.group(3)
        href = (_attr(attrs, "href") or "").lstrip("#")
        if tag == "a" and not href:
            continue
        label = re.sub(r"<[^>]*>|[\s\[\]*]", "", inner)
        if tag == "a" and not (label.isdigit() or "foot" in attrs.lower() or re.search(r"fn|note", href, re.I)):
            continue
        marks.append((m.start(), m.end(), label, href))
    # the marks by the note they link to and by their label, each list in text order: a note
    # takes the first unused mark of its link, or else of its label, without a scan of all marks
    by_href: dict[str, deque[int]] = {}
    by_label: dict[str, deque[int]] = {}
    for i, (_, _, mlabel, href) in enumerate(marks):
        if href:
            by_href.setdefault(href, deque()).append(i)
        else:
            by_label.setdefault(mlabel, deque()).append(i)
    used: set[int] = set()
    notes: list[Note] = []
    for a, b in spans:
        tag = _OPEN_TAG.match(source, a)
        attrs = tag.group(2) if tag else ""
        ident = _attr(attrs, "id") or ""
        label = _attr(attrs, "label") or _attr(attrs, "data-label")
        if label is None:
            label = _label(re.sub(r"<[^>]*>", " ", source[a : min(b, a + 400)]).strip())
        chosen = None
        for pool in (by_href.get(ident) if ident else None, by_label.get(label) if label else None):
            while pool and pool[0] in used:
                pool.popleft()
            if pool:
                chosen = pool.popleft()
                break
        wa, wb = prepared.working_pos(a), prepared.working_pos(b)
        if chosen is None:
            notes.append(Note(wa, wb, wa, False, False))  # no mark found: read where it stands
            continue
        used.add(chosen)
        notes.append(Note(wa, wb, prepared.working_pos(marks[chosen][1]), False))
    return notes


def note_anchors(prepared: PreparedText) -> list[Note]:
    """Every footnote of `prepared` with the working position a reader reads it at (found once
    per prepared text)."""
    if prepared.notes is None:
        if prepared.footnote_zones:
            prepared.notes = _plain_anchors(prepared, prepared.footnote_zones[0][0])
        elif prepared.fmt in ("html", "xml") and prepared.footnotes:
            prepared.notes = _markup_anchors(prepared)
        else:
            prepared.notes = []
    return prepared.notes
