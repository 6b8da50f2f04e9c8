"""Prepare an opinion for citation extraction: plain text, an offset map, footnotes and star pages.

Opinions arrive as plain text (court releases, CourtListener `plain_text`), as HTML (CourtListener
`html_with_citations`, `html_lawbox` ...) or as Caselaw Access Project XML. eyecite wants one clean
string, while every reference we report must point into the string we were given, so that a reader
can highlight it. `prepare_text` therefore builds a *working text* (tags dropped, entities decoded,
every whitespace run collapsed to one space) and keeps, for every character of it, the offset of
the character in the original it came from.

Layout that eyecite ignores is read here too: footnote bodies (markup, or page-bottom layout in
plain text), star-page markers (`*1141`, `<span class="star-pagination">`, CAP `<page-number>`),
paragraph breaks, and CAP `<opinion type=...>` parts.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
import html
import re
from dataclasses import dataclass, field
from typing import Sequence

__all__ = ["PreparedText", "prepare_text", "detect_format"]

#: Tags after which a reader sees a new block; they become paragraph breaks.
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "section",
    "article",
    "opinion",
    "casebody",
    "footnote",
    "parties",
    "docketnumber",
    "court",
    "decisiondate",
    "author",
    "attorneys",
    "headnotes",
    "summary",
    "syllabus",
    "hr",
    "center",
    "dd",
    "dt",
    "aside",
    "header",
    "footer",
}
_SKIP_TAGS = {"script", "style", "head", "title"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}

_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[|\]\]>|<![^>]*>|<\?.*?\?>"
    r"|<(?P<close>/?)(?P<tag>[A-Za-z][\w:.-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|&(?P<entity>#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
    re.S,
)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_FOOTNOTE_ATTR = re.compile(r"\bfoot[-_ ]?notes?\b|^fn\d*$|\bfootnote_body\b|^n\d+$", re.I)
_STAR_CLASS = re.compile(r"star-pagination|page-label|pagebreak|page-number", re.I)
_OPINION_TYPES = {
    "majority": "majority",
    "concurrence": "concurrence",
    "dissent": "dissent",
    "plurality": "majority",
    "per_curiam": "per_curiam",
    "per-curiam": "per_curiam",
    "concurring-in-part-and-dissenting-in-part": "dissent",
    "remittitur": "unknown",
    "rehearing": "unknown",
    "unanimous": "majority",
    "on-the-merits": "majority",
    "on-motion-to-strike": "majority",
}


@dataclass
class PreparedText:
    """An opinion ready for eyecite, with the way back to the string we were given.

    `text` is the working text (one space for any whitespace run, markup dropped, entities
    decoded). `offsets[i]` is the index in `source` of `text[i]`; `offsets[len(text)]` is
    `len(source)`. Footnotes, star pages, paragraph breaks and opinion parts are kept in *source*
    offsets, because that is what a `Reference` reports.
    """

    source: str
    text: str
    offsets: list[int]
    fmt: str = "text"
    ends: list[int] | None = None
    footnotes: list[tuple[int, int]] = field(default_factory=list)
    star_pages: list[tuple[int, str]] = field(default_factory=list)
    paragraph_breaks: list[int] = field(default_factory=list)
    opinion_parts: list[tuple[int, str]] = field(default_factory=list)
    #: running heads and page-number lines of paginated plain text (source spans)
    layout_noise: list[tuple[int, int]] = field(default_factory=list)
    #: (working start, working end, source start, source end) of footnotes moved behind the body
    footnote_zones: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: every footnote with where a reader reads it (`citations.footnotes.note_anchors` fills it)
    notes: list | None = field(default=None, repr=False)
    _by_source: tuple[list[int], list[int]] | None = field(default=None, init=False, repr=False)
    _working_breaks: list[int] | None = field(default=None, init=False, repr=False)
    _footnote_index: tuple[list[int], list[int], list[tuple[int, int]]] | None = field(
        default=None, init=False, repr=False
    )
    _star_keys: list[int] | None = field(default=None, init=False, repr=False)
    _zone_index: ZoneIndex | None = field(default=None, init=False, repr=False)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a working-text span to the source; `end` stays exclusive."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        last = self.ends[end - 1] if self.ends else self.offsets[end - 1] + 1
        return self.offsets[start], last

    def working_pos(self, source_pos: int) -> int:
        """The working-text index of the first character read at or after `source_pos`.

        Offsets are not monotonic when footnotes were moved behind the body, so this looks the
        position up in a sorted copy of the map.
        """
        if self._by_source is None:
            pairs = sorted(zip(self.offsets[:-1], range(len(self.text)), strict=True))
            self._by_source = ([p[0] for p in pairs], [p[1] for p in pairs])
        keys, values = self._by_source
        i = bisect.bisect_left(keys, source_pos)
        return values[i] if i < len(values) else len(self.text)

    def zone_bounds(self, working_pos: int) -> tuple[int, int]:
        """The stretch of working text a position belongs to: one moved footnote, or the body."""
        if self._zone_index is None or self._zone_index.zones is not self.footnote_zones:
            self._zone_index = ZoneIndex(self.footnote_zones)
        i = self._zone_index.of(working_pos)
        if i is not None:
            return self.footnote_zones[i][0], self.footnote_zones[i][1]
        end = self.footnote_zones[0][0] if self.footnote_zones else len(self.text)
        return 0, end

    def working_paragraph(self, working_pos: int) -> tuple[int, int]:
        """Working-text span of the paragraph holding `working_pos`, within its zone."""
        if self._working_breaks is None:
            marks = {self.working_pos(b) for b in self.paragraph_breaks}
            for a, b, _, _ in self.footnote_zones:
                marks.update((a, b))
            self._working_breaks = sorted(marks)
        lo, hi = self.zone_bounds(working_pos)
        i = bisect.bisect_right(self._working_breaks, working_pos)
        start = self._working_breaks[i - 1] if i else 0
        end = self._working_breaks[i] if i < len(self._working_breaks) else len(self.text)
        return max(start, lo), min(end, hi)

    def in_footnote(self, source_pos: int) -> bool:
        """Whether a source position lies inside a footnote (by bisection over the footnotes'
        starts and the running maximum of their ends, so each reference costs no scan)."""
        starts, max_ends, _ = self._footnotes_sorted()
        k = bisect.bisect_right(starts, source_pos)
        return k > 0 and max_ends[k - 1] > source_pos

    def _footnotes_sorted(self) -> tuple[list[int], list[int], list[tuple[int, int]]]:
        """Footnote starts, the running maximum of their ends, and the spans, sorted once."""
        if self._footnote_index is None:
            spans = sorted(self.footnotes)
            starts, max_ends, top = [], [], -1
            for a, b in spans:
                top = max(top, b)
                starts.append(a)
                max_ends.append(top)
            self._footnote_index = (starts, max_ends, spans)
        return self._footnote_index

    def footnotes_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The footnote spans (a, b) with b > start and a < end, in descending order, as
        `sorted(footnotes, reverse=True)` filtered would give them, found without a scan of
        every footnote (bisection on the starts, then back while the running maximum end
        still reaches past `start`)."""
        starts, max_ends, spans = self._footnotes_sorted()
        i = bisect.bisect_left(starts, end) - 1
        found = []
        while i >= 0 and max_ends[i] > start:
            if spans[i][1] > start:
                found.append(spans[i])
            i -= 1
        return found

    def page_at(self, source_pos: int) -> str | None:
        """The star page a position is printed on: the last marker before it, if any."""
        if self._star_keys is None or len(self._star_keys) != len(self.star_pages):
            self._star_keys = [pos for pos, _ in self.star_pages]
        i = bisect.bisect_right(self._star_keys, source_pos)
        return self.star_pages[i - 1][1] if i else None

    def paragraph_bounds(self, source_pos: int) -> tuple[int, int]:
        """Source span of the paragraph holding `source_pos`."""
        i = bisect.bisect_right(self.paragraph_breaks, source_pos)
        start = self.paragraph_breaks[i - 1] if i else 0
        end = self.paragraph_breaks[i] if i < len(self.paragraph_breaks) else len(self.source)
        return start, end


class ZoneIndex:
    """Which moved footnote (working start, working end, source start, source end) holds a
    working position. Zones are laid out one after another, so this bisects on their starts;
    zones out of that order (which `prepare_text` never makes) are scanned."""

    def __init__(self, zones: Sequence[tuple[int, int, int, int]]) -> None:
        self.zones = zones
        ordered = all(a <= b for a, b, _, _ in zones) and all(
            zones[i - 1][1] <= zones[i][0] for i in range(1, len(zones))
        )
        self.starts = [z[0] for z in zones] if ordered else None

    def of(self, working_pos: int) -> int | None:
        zones = self.zones
        if self.starts is None:
            return next((i for i, (a, b, _, _) in enumerate(zones) if a <= working_pos < b), None)
        i = bisect.bisect_right(self.starts, working_pos) - 1
        return i if i >= 0 and zones[i][0] <= working_pos < zones[i][1] else None


def zone_of(zones: Sequence[tuple[int, int, int, int]], working_pos: int) -> int | None:
    """The index of the moved footnote holding a working position, or None (one look-up; build
    a `ZoneIndex` for many)."""
    return ZoneIndex(zones).of(working_pos)


def detect_format(text: str) -> str:
    """Guess "xml" (CAP casebody), "html" or "text" from the first few kilobytes."""
    head = text[:4000].lstrip()
    if re.search(r"<casebody\b|<opinion\s+type=|<page-number\b|<\?xml", head):
        return "xml"
    if re.search(r"<(html|body|div|p|span|pre|a|i|em|b)\b[^>]*>", head, re.I):
        return "html"
    return "text"


class _Builder:
    """Accumulates working-text characters together with their source offsets."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.ends: list[int] = []  # source end (exclusive) of each character: entities span several
        self._space_pending: int | None = None

    def space(self, pos: int) -> None:
        if self.chars and self._space_pending is None:
            self._space_pending = pos

    def add(
        self, chunk: str, pos: int, *, single_origin: bool = False, origin_end: int | None = None
    ) -> None:
        """Append `chunk` read at `pos` (each char at pos+i unless it all stems from one entity
        ending at `origin_end`)."""
        if not single_origin and len(chunk) > 4:
            self._add_runs(chunk, pos)
            return
        for i, ch in enumerate(chunk):
            origin = pos if single_origin else pos + i
            if ch.isspace() or ch in "\u200b\ufeff":
                self.space(origin)
                continue
            if self._space_pending is not None:
                self.chars.append(" ")
                self.offsets.append(self._space_pending)
                self.ends.append(self._space_pending + 1)
                self._space_pending = None
            self.chars.append(ch)
            self.offsets.append(origin)
            self.ends.append(origin_end if single_origin and origin_end is not None else origin + 1)

    def _add_runs(self, chunk: str, pos: int) -> None:
        """`add` for text read character by character, a run at a time (the per-character loop
        was the largest single cost of extraction). Text with single plain spaces maps one to
        one (a lone " " becomes itself at its own offset), so such a run is copied whole; any
        other run of spaces acts as its first character, since the later ones cannot change a
        pending space."""
        chars, offsets, ends = self.chars, self.offsets, self.ends
        for m in _RUNS.finditer(chunk):
            start = pos + m.start()
            run = m.group()
            if _SPACE_CHAR.match(run):
                self.space(start)
                continue
            if self._space_pending is not None:
                chars.append(" ")
                offsets.append(self._space_pending)
                ends.append(self._space_pending + 1)
                self._space_pending = None
            chars.extend(run)
            offsets.extend(range(start, start + len(run)))
            ends.extend(range(start + 1, start + len(run) + 1))


#: Runs of text whose words are separated by single plain spaces, and runs of what `_Builder`
#: reads as space (str.isspace(), which is what `\s` means for `re` on str, plus zero-width spaces).
_RUNS = re.compile(r"[^\s\u200b\ufeff]+(?: [^\s\u200b\ufeff]+)*|[\s\u200b\ufeff]+")
_SPACE_CHAR = re.compile(r"[\s\u200b\ufeff]")


def _entity_text(name: str) -> str:
    decoded = html.unescape(f"&{name};")
    return decoded if decoded != f"&{name};" else ""


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(raw or "")}


def prepare_text(source: str, fmt: str = "text") -> PreparedText:
    """Build the working text and layout facts for `source` in format "text", "html", "xml" or "auto"."""
    if fmt == "auto":
        fmt = detect_format(source)
    if fmt == "html" and _is_preformatted(source):
        return _prepare_preformatted(source)
    if fmt in ("html", "xml"):
        return _prepare_markup(source, fmt)
    return _prepare_plain(source)


def _is_preformatted(source: str) -> bool:
    """CourtListener serves many opinions as plain text in one `<pre>`: page layout, not markup."""
    return bool(re.search(r"<pre\b", source, re.I)) and not re.search(
        r"<(?:p|div class=\"footnotes?\")\b", source, re.I
    )


def _prepare_preformatted(source: str) -> PreparedText:
    """Strip the tags but keep the line layout, read it as plain text, and map offsets back."""
    chars: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in re.finditer(r"<!--.*?-->|<[^>]*>", source, re.S):
        chars.extend(source[pos : m.start()])
        origin.extend(range(pos, m.start()))
        pos = m.end()
    chars.extend(source[pos:])
    origin.extend(range(pos, len(source)))
    origin.append(len(source))
    inner = _prepare_plain("".join(chars))

    def back(i: int) -> int:
        return origin[i]

    ends = [origin[e - 1] + 1 if e > 0 else 0 for e in (inner.ends or [])]
    return PreparedText(
        source=source,
        text=inner.text,
        offsets=[back(i) for i in inner.offsets[:-1]] + [len(source)],
        ends=ends or None,
        fmt="html",
        footnotes=[(back(a), back(b)) for a, b in inner.footnotes],
        footnote_zones=[(wa, wb, back(a), back(b)) for wa, wb, a, b in inner.footnote_zones],
        layout_noise=[(back(a), back(b)) for a, b in inner.layout_noise],
        star_pages=[(back(a), label) for a, label in inner.star_pages],
        paragraph_breaks=[back(a) for a in inner.paragraph_breaks],
    )


# --- plain text ---------------------------------------------------------------------------------

_PLAIN_STAR = re.compile(r"\[\*(\d{1,5})\]|(?<![\w,*])\*(\d{2,5})(?=[\s\]])")
_PAGE_NUMBER_LINE = re.compile(r"^[ \t]*(?:-\s?\d{1,4}\s?-|\d{1,4}|Page \d{1,4})[ \t]*$")
_SEPARATOR_LINE = re.compile(r"^[ \t]*(?:[-_—–=]{5,}|(?:-\s){4,}-?)[ \t]*$")
_FN_NUMBER_LINE = re.compile(r"^[ \t]*\d{1,3}[ \t]*$")
_FN_INLINE_START = re.compile(r"^[ \t]*\[?\d{1,3}\]?(?=[A-Z\"“(][A-Za-z\s])")
_HEADER_LINE = re.compile(r"^\s*(?:Cite as:|\f)", re.I)
#: A line that opens with a section's subsection ("3(e)(1); 18 C.F.R. ..."): the rest of a statute
#: cite the line break split ("16 U.S.C. 824a-" / "3(e)(1)"), not a footnote's number.
_SUBSECTION_START = re.compile(r"^[ \t]*\d{1,3}\([A-Za-z0-9]{1,4}\)")


def _is_page_number_line(source: str, lines: list[tuple[int, int]], k: int) -> bool:
    """Whether line `k` exists and holds a page number only, between blank lines or beside
    another such line (a page numbered twice: "-17-" then "17")."""
    if not 0 <= k < len(lines):
        return False
    if not _PAGE_NUMBER_LINE.match(source[lines[k][0] : lines[k][1]].strip().lstrip("\f").strip()):
        return False
    def blank(j: int) -> bool:
        return j < 0 or j >= len(lines) or not source[lines[j][0] : lines[j][1]].strip()
    return (blank(k - 1) or blank(k + 1))


def _layout_noise(source: str) -> list[tuple[int, int]]:
    """Running headers and page-number lines of paginated plain text.

    They interrupt sentences and citations ("... announced in -30- Perry v. Sindermann"), so the
    working text reads them as whitespace; offsets still point into the source.
    """
    spans = []
    lines = _lines(source)
    n = len(lines)
    for k, (s, e) in enumerate(lines):
        line = source[s:e]
        stripped = line.strip().lstrip("\f").strip()
        if not stripped:
            continue
        prev_blank = k == 0 or not source[lines[k - 1][0] : lines[k - 1][1]].strip() or "\f" in line
        next_blank = (
            k + 1 >= n
            or not source[lines[k + 1][0] : lines[k + 1][1]].strip()
            or "\f" in source[lines[k + 1][0] : lines[k + 1][1]]
        )
        if _PAGE_NUMBER_LINE.match(stripped) and (
            (prev_blank or _is_page_number_line(source, lines, k - 1))
            and (next_blank or _is_page_number_line(source, lines, k + 1))
        ):
            # also a page's number written twice on two lines ("-17-" then "17")
            spans.append((s, e))
            continue
        if "\f" in line or _HEADER_LINE.match(line):
            # the header block after a form feed: up to three short lines before the text resumes
            after_ff = line[line.rfind("\f") + 1 :].strip()
            if after_ff and not _RUNNING_HEAD.search(after_ff) and not after_ff.startswith("Cite as:"):
                continue  # the form feed starts a line of opinion text
            spans.append((s, e))
            j = k + 1
            taken = 0
            while j < n and taken < 3:
                hs, he = lines[j]
                hl = source[hs:he].strip()
                if not hl:
                    j += 1
                    continue
                if _RUNNING_HEAD.search(hl):
                    spans.append((hs, he))
                    taken += 1
                    j += 1
                    continue
                break
    return spans + line_numbers(source, lines)


#: A margin line number: one or two digits, then a wide gap before the text (or nothing).
_LINE_NUMBER = re.compile(r"[ \t\f]*(\d{1,2})(?=[ \t]{2,}\S|[ \t]*$)")


def line_numbers(source: str, lines: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Margin line numbers (the Second Circuit's slip opinions number every line of a page 1, 2,
    3 ...): read as spaces, so that "See id. at / 3 617." is not read as a pin at page 3. Only a
    run of at least eight non-blank lines numbered one after another counts, so a footnote
    number or a page number on a line of its own never does."""
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    expect: int | None = None
    for s, e in lines if lines is not None else _lines(source):
        if s == e or not source[s:e].strip():
            continue
        m = _LINE_NUMBER.match(source, s, e)
        number = int(m.group(1)) if m else None
        if number is not None and (number == 1 or number == expect):
            if number == 1:
                if len(run) >= 8:
                    spans.extend(run)
                run = []
            run.append((s, m.end()))
            expect = number + 1
            continue
        if len(run) >= 8:
            spans.extend(run)
        run, expect = [], None
    if len(run) >= 8:
        spans.extend(run)
    return spans


_RUNNING_HEAD = re.compile(
    r"^(?:Cite as:.*|Opinion of (?:the Court|\w+, J\.)|(?:[A-Z]+, (?:C\. )?J\.|Per Curiam),? "
    r"(?:concurring|dissenting)[\w ,]*|[A-Z][A-Z .,'’&-]+ v\. [A-Z][A-Z .,'’&-]+|\d+\s+[A-Z][A-Z .,'’&-]+ v\. .*|"
    r".* v\. [A-Z .,'’&-]+\s+\d+|Syllabus|\d{1,4})$"
)


def _prepare_plain(source: str) -> PreparedText:
    """Plain text: entities decoded, running heads and page numbers read as spaces, and footnote
    bodies moved behind the body text.

    Page layout interleaves footnotes with the body ("See Grutter, [footnote 3] 539 U. S., at
    333-343"); reading the body without them keeps citation strings and id. chains whole. The
    offset map still points every character to its place in the source.
    """
    builder = _Builder()
    noise = bytearray(len(source))
    noise_spans = _layout_noise(source)
    for a, b in noise_spans:
        noise[a:b] = b"\x01" * (b - a)
    entities = {m.start(): (m.end(), m.group(1)) for m in _ENTITY.finditer(source)}
    entity_starts = sorted(entities)
    footnotes = _plain_footnotes(source)

    def emit(a: int, b: int) -> None:
        i = a
        while i < b:
            if noise[i]:
                builder.space(i)
                i += 1
                continue
            ent = entities.get(i)
            if ent is not None and ent[0] <= b:
                decoded = _entity_text(ent[1])
                if decoded:
                    builder.add(decoded, i, single_origin=True, origin_end=ent[0])
                else:
                    builder.add(source[i : ent[0]], i)
                i = ent[0]
                continue
            # ordinary text up to the next noise character or entity, as one chunk
            end = noise.find(1, i, b)
            end = b if end < 0 else end
            k = bisect.bisect_right(entity_starts, i)
            if k < len(entity_starts) and entity_starts[k] < end:
                end = entity_starts[k]
            builder.add(source[i:end], i)
            i = end

    cur = 0
    for a, b in footnotes:
        emit(cur, a)
        builder.space(a)
        cur = b
    emit(cur, len(source))
    zones = []
    for a, b in footnotes:
        builder.space(a)
        w_start = len(builder.chars) + (1 if builder.chars else 0)
        emit(a, b)
        zones.append((min(w_start, len(builder.chars)), len(builder.chars), a, b))
    text = "".join(builder.chars)
    offsets = builder.offsets + [len(source)]
    stars = []
    for m in _PLAIN_STAR.finditer(source):
        before = source[max(0, m.start() - 4) : m.start()]
        if re.search(r"\bat\s*$", before):
            continue  # "at *3": a Westlaw pin, not a page marker
        stars.append((m.start(), m.group(1) or m.group(2)))
    return PreparedText(
        source=source,
        text=text,
        offsets=offsets,
        ends=builder.ends,
        fmt="text",
        footnotes=footnotes,
        footnote_zones=zones,
        layout_noise=noise_spans,
        star_pages=stars,
        paragraph_breaks=_plain_paragraph_breaks(source),
    )


def _lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans = []
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", source):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(source)))
    return spans


def _twice_numbered(line: str, nxt: str) -> bool:
    """Whether a page-number line ("-25-") is followed by the same number on a line of its own
    ("25"), as typed releases print each page's number."""
    a, b = re.sub(r"\D", "", line), nxt.strip()
    return bool(a) and a == b


def _plain_footnotes(source: str) -> list[tuple[int, int]]:
    """Footnote bodies found by page layout: they sit between a separator or a footnote-number
    line and the page's end (a page-number line or a form feed).

    Plain-text opinions carry no markup, so this is a heuristic: it looks for a rule line
    ("------", "______"), a line holding only a small number followed by text, or a line that
    starts with a number glued to a capital after a blank line, and ends the footnote zone at the
    next page number line, form feed, or running header.
    """
    lines = _lines(source)
    n = len(lines)
    spans: list[tuple[int, int]] = []
    i = 0

    def text_of(k: int) -> str:
        s, e = lines[k]
        return source[s:e]

    def is_blank(k: int) -> bool:
        return not text_of(k).strip()

    def page_end(k: int) -> bool:
        line = text_of(k)
        if "\f" in line or _HEADER_LINE.match(line):
            return True
        if _PAGE_NUMBER_LINE.match(line):
            nxt = k + 1
            # typed releases write the number twice, on two lines ("-25-" then "25")
            return nxt >= n or is_blank(nxt) or "\f" in text_of(nxt) or _twice_numbered(line, text_of(nxt))
        return False

    while i < n:
        line = text_of(i)
        if re.match(r"\. [A-Z\"“(]", line):
            # CAP's JSON text appends each footnote as a line beginning with ". "
            spans.append((lines[i][0], lines[i][1]))
            i += 1
            continue
        start_here = False
        if _SEPARATOR_LINE.match(line):
            # a rule line opens footnotes only when a numbered note follows (captions use rules too)
            k = i + 1
            while k < n and is_blank(k):
                k += 1
            start_here = k < n and bool(re.match(r"^[ \t]*(?:\d{1,3}|\*)[ \t]*\S", text_of(k)))
        elif _FN_NUMBER_LINE.match(line) and i + 1 < n and not is_blank(i + 1) and i > 0:
            prev_blank = is_blank(i - 1)
            start_here = prev_blank and not page_end(i)
        elif _FN_INLINE_START.match(line) and i > 0 and is_blank(i - 1) and not _SUBSECTION_START.match(line):
            # a whitespace-only line with trailing spaces marks the page-bottom block in
            # typewritten releases; a plain blank line precedes ordinary numbered lists too
            # (or, for a number glued to a capital, any blank line: "22Brown does not ...")
            back = [text_of(k) for k in range(max(0, i - 2), i)]
            glued = bool(re.match(r"^[ \t]*\d{1,3}[A-Z\"“]", line))
            start_here = glued or any(len(b) >= 8 and not b.strip() for b in back)
        if not start_here:
            i += 1
            continue
        j = i + 1
        limit = min(n, i + 120)
        while j < limit and not page_end(j):
            j += 1
        if j == limit and limit < n:
            # no page end in sight: text without page layout; the note ends at its paragraph
            j = i + 1
            while j < n and not is_blank(j):
                j += 1
        end_line = j - 1
        while end_line > i and is_blank(end_line):
            end_line -= 1
        spans.append((lines[i][0], lines[end_line][1]))
        i = j
    return _merge_spans(
        spans + _single_spaced_page_feet(source, lines, spans, page_end) + _unnumbered_page_feet(source, lines, page_end)
    )


#: A note's first line in a typed release: its number, then a full stop or a run of spaces, then
#: a word ("3   Although D'Oench ...", "10.  With the consent"); not a cite that opens a line
#: ("12 U.S.C. 1823(e)", "46, 48-50").
_NUMBERED_NOTE_LINE = re.compile(r"[ \t]*\d{1,3}(?:\.[ \t]+|[ \t]{2,})[A-Z][a-z]")


#: A body line of a slip opinion that numbers its lines (" 1   the action and must ...").
_NUMBERED_LINE = re.compile(r"^[ \t]{0,3}\d{1,2}[ \t]{2,}\S")


def _unnumbered_page_feet(source: str, lines: list[tuple[int, int]], page_end) -> list[tuple[int, int]]:
    """Footnotes of opinions that number their body lines (the Second Circuit's slip opinions):
    the notes carry no line numbers, so a run of unnumbered text lines after the page's numbered
    lines that goes on to the page's end is the page's footnotes."""
    texts = [k for k, (a, b) in enumerate(lines) if source[a:b].strip()]
    numbered = [k for k in texts if _NUMBERED_LINE.match(source[lines[k][0] : lines[k][1]])]
    if len(numbered) < 30 or len(numbered) < 0.4 * len(texts):
        return []  # not a line-numbered opinion
    is_numbered = set(numbered)
    spans: list[tuple[int, int]] = []
    seen_numbered = False
    k = 0
    n = len(lines)
    while k < n:
        a, b = lines[k]
        chunk = source[a:b]
        if k in is_numbered:
            seen_numbered = True
            k += 1
            continue
        if not chunk.strip() or page_end(k) or not seen_numbered:
            if page_end(k):
                seen_numbered = False
            k += 1
            continue
        j = k
        while j < n and source[lines[j][0] : lines[j][1]].strip() and j not in is_numbered and not page_end(j):
            j += 1
        m = j
        while m < n and not source[lines[m][0] : lines[m][1]].strip():
            m += 1
        if m >= n or page_end(m):
            spans.append((a, lines[j - 1][1]))
        k = j
    return spans


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _single_spaced_page_feet(
    source: str, lines: list[tuple[int, int]], found: list[tuple[int, int]], page_end
) -> list[tuple[int, int]]:
    """Footnotes of double-spaced opinions: typed double-spaced, courts set their footnotes
    single-spaced at the foot of the page, after a wider gap. A single-spaced block that follows
    such a gap and runs to the page's end is the page's footnotes, numbered or not (a note
    continued from the previous page carries no number). Block quotations are single-spaced
    too, but the body resumes after them before the page ends, and they are indented."""
    n = len(lines)
    kinds = []  # "t" text, "w" whitespace-only with spaces, "b" empty
    for s, e in lines:
        chunk = source[s:e]
        kinds.append("t" if chunk.strip() else ("w" if len(chunk) >= 8 else "b"))
    single = double = 0
    for k in range(n - 2):
        if kinds[k] == "t":
            if kinds[k + 1] == "t":
                single += 1
            elif kinds[k + 1] == "b" and kinds[k + 2] == "t":
                double += 1
    if double < 20 or double < single * 0.5:
        return []  # not a double-spaced opinion
    taken = [False] * n
    starts = [s for s, _ in lines]
    for a, b in found:
        lo = bisect.bisect_left(starts, a)
        hi = bisect.bisect_right(starts, b)
        for k in range(lo, hi):
            taken[k] = True
    spans: list[tuple[int, int]] = []
    i = 2
    while i < n - 1:
        if kinds[i] != "t" or taken[i] or page_end(i):
            i += 1
            continue
        gap = 0
        k = i - 1
        while k >= 0 and kinds[k] != "t":
            gap += 1
            k -= 1
        nxt = i + 1 if kinds[i + 1] == "t" else (i + 2 if i + 2 < n and kinds[i + 1] == "w" and kinds[i + 2] == "t" else -1)
        if gap < 2 or nxt < 0 or page_end(nxt):
            i += 1
            continue
        j = i
        limit = min(n, i + 90)
        ss = ds = indented = texts = 0
        while j < limit and not page_end(j) and not taken[j]:
            if kinds[j] == "t":
                texts += 1
                chunk = source[lines[j][0] : lines[j][1]]
                if len(chunk) - len(chunk.lstrip(" ")) >= 5:
                    indented += 1
                after = j + 2 if j + 2 < n and kinds[j + 1] == "w" else j + 1
                if after < n and kinds[after] == "t" and not page_end(after) and not taken[after]:
                    ss += 1
                elif j + 2 < n and kinds[j + 1] == "b" and kinds[j + 2] == "t" and not page_end(j + 2):
                    ds += 1  # the blank line before the page's number is no double spacing
            j += 1
        # a note's last lines carried to the next page's foot may be one or two lines: enough
        # after the typed separator (a line of spaces) when they run to the page's end
        separated = kinds[i - 1] == "w" or (kinds[i - 1] == "b" and kinds[i - 2] == "w")
        enough = ss >= 2 or (ss >= 1 and texts <= 3 and separated)
        # indented lines are a block quotation in the body, unless they sit after the typed
        # separator and either run into the page's next note (a note quoting at length, carried
        # over) or follow a line that opens with a note's number: a numbered note quoting at length
        # ("3   Although ...", then "4  Section 1823(e) provides:" and the statute quoted)
        quoting_note = separated and ((j < n and taken[j]) or bool(_NUMBERED_NOTE_LINE.match(source, lines[i][0])))
        if j < limit and enough and ss >= 3 * ds and (indented * 2 < texts or quoting_note):
            end_line = j - 1
            while end_line > i and kinds[end_line] != "t":
                end_line -= 1
            spans.append((lines[i][0], lines[end_line][1]))
            i = j
            continue
        i += 1
    return spans


def _plain_paragraph_breaks(source: str) -> list[int]:
    """Offsets where a new paragraph starts: after sentence-final punctuation, a line break and
    an indented line, or a blank line."""
    breaks = []
    for m in re.finditer(r"(?<=[.!?:\"”)\]])[ \t]*(?:\r?\n[ \t]*){1,}(?:[ \t]{3,}|\r?\n)(?=\S)", source):
        breaks.append(m.end())
    for m in re.finditer(r"\f", source):
        breaks.append(m.end())
    return sorted(set(breaks))


# --- HTML and XML ---------------------------------------------------------------------------------


def _prepare_markup(source: str, fmt: str) -> PreparedText:
    builder = _Builder()
    footnotes: list[tuple[int, int]] = []
    stars: list[tuple[int, str]] = []
    breaks: list[int] = []
    parts: list[tuple[int, str]] = []
    stack: list[tuple[str, str | None]] = []  # (tag, role) role in {"footnote", "star", "skip", None}
    pos = 0
    fn_start: int | None = None
    star_buffer: list[str] | None = None
    star_pos = 0
    star_labelled = False
    skipping = 0

    # open roles and where each tag sits on the stack, kept up to date on every push and pop so
    # that no tag costs time in proportion to the nesting depth
    role_counts: dict[str | None, int] = defaultdict(int)
    tag_positions: dict[str, list[int]] = defaultdict(list)

    def push(tag: str, role: str | None) -> None:
        tag_positions[tag].append(len(stack))
        stack.append((tag, role))
        role_counts[role] += 1

    def pop_to(k: int) -> None:
        while len(stack) > k:
            t, r = stack.pop()
            tag_positions[t].pop()
            role_counts[r] -= 1

    for m in _MARKUP.finditer(source):
        chunk = source[pos : m.start()]
        in_star = role_counts["star"] > 0
        if chunk:
            if in_star and star_buffer is not None:
                if not star_labelled:
                    star_buffer.append(chunk)
            elif not skipping:
                builder.add(chunk, pos)
        pos = m.end()
        if m.group("entity"):
            decoded = _entity_text(m.group("entity")) or m.group(0)
            if in_star and star_buffer is not None:
                star_buffer.append(decoded)
            elif not skipping:
                builder.add(decoded, m.start(), single_origin=True, origin_end=m.end())
            continue
        tag = (m.group("tag") or "").lower()
        if not tag:
            continue
        attrs = _attrs(m.group("attrs"))
        closing = bool(m.group("close"))
        self_closing = (m.group("attrs") or "").rstrip().endswith("/")
        if tag in _BLOCK_TAGS:
            builder.space(m.start())
            breaks.append(m.end() if not closing else m.start())
        if closing:
            # pop to the matching open tag, tolerating unclosed inner tags
            positions = tag_positions.get(tag)
            if positions:
                k = positions[-1]
                closed = stack[k:]
                outer_footnotes = role_counts["footnote"] - sum(1 for _, r in closed if r == "footnote")
                for _, role in closed:
                    if role == "footnote" and fn_start is not None and outer_footnotes == 0:
                        footnotes.append((fn_start, m.end()))
                        fn_start = None
                    elif role == "star" and star_buffer is not None:
                        label = re.sub(r"[^\dA-Za-z*]", "", "".join(star_buffer)).lstrip("*")
                        if label:
                            stars.append((star_pos, label))
                        star_buffer = None
                    elif role == "skip":
                        skipping -= 1
                pop_to(k)
            continue
        if tag in _VOID_TAGS or self_closing:
            if tag == "page-number" or _STAR_CLASS.search(attrs.get("class", "")):
                label = attrs.get("label") or attrs.get("data-label") or attrs.get("data-page") or ""
                if label:
                    stars.append((m.start(), label.lstrip("*")))
            continue
        role: str | None = None
        classes = " ".join(attrs.get(a, "") for a in ("class", "id", "type", "role"))
        if tag in _SKIP_TAGS:
            role = "skip"
            skipping += 1
        elif tag == "page-number" or (
            tag in ("span", "a", "strong", "b") and _STAR_CLASS.search(attrs.get("class", ""))
        ):
            role = "star"
            star_pos = m.start()
            given = attrs.get("label") or attrs.get("data-label") or attrs.get("data-page")
            star_labelled = bool(given)
            star_buffer = [given] if given else []
        elif tag in ("footnote", "fn") or (
            tag in ("div", "aside", "section", "p", "li", "ol") and _FOOTNOTE_ATTR.search(classes)
        ):
            if role_counts["footnote"] == 0:
                role = "footnote"
                fn_start = m.start()
            else:
                role = "footnote-inner"
        if tag == "opinion" or (tag == "article" and "opinion" in attrs.get("class", "")):
            # CAP XML <opinion type=...>; CAP static HTML <article class="opinion" data-type=...>
            kind = (attrs.get("type") or attrs.get("data-type") or "").lower()
            parts.append((m.start(), _OPINION_TYPES.get(kind, "unknown")))
        push(tag, role)
    tail = source[pos:]
    if tail and not skipping:
        builder.add(tail, pos)
    if fn_start is not None:
        footnotes.append((fn_start, len(source)))
    if not footnotes:
        # lawbox-style HTML: notes follow a "NOTES" heading as "[1] ..." paragraphs
        notes = re.search(r"<(h[1-6]|b|strong|center)\b[^>]*>\s*(?:FOOT)?NOTES?\s*</\1>", source, re.I)
        if notes:
            footnotes.append((notes.start(), len(source)))
    text = "".join(builder.chars)
    return PreparedText(
        source=source,
        text=text,
        offsets=builder.offsets + [len(source)],
        ends=builder.ends,
        fmt=fmt,
        footnotes=footnotes,
        star_pages=sorted(stars),
        paragraph_breaks=sorted(set(breaks)),
        opinion_parts=parts,
    )
