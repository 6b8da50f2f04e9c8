"""Quotations in a brief: which citation each one leans on, and whether the cited opinion says it.

A brief quotes an authority and then cites it: `"to express their scientific ideas ..." Bernstein,
176 F.3d at 1141`, or puts the quotation in the parenthetical (`(holding that "...")`). The
citation supports the quoted words written between the previous citation (or the start of the
paragraph) and itself, and those in its own parentheticals. Misquoting is a classic brief error,
so when the cited opinion's text is at hand each quotation is compared with it, word by word:
case, punctuation and the alterations a writer marks (ellipses, bracketed changes such as "[t]he")
do not count as changes; anything else is shown.

Text in, quotations and verdicts out: no database, no network.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Sequence

from citator.citations.text import prepare_text

__all__ = ["Quotation", "QuoteCheck", "supported_quotations", "check_quotation", "MIN_WORDS"]

#: A quoted passage shorter than this (in words) is a term in quotation marks, not a quotation.
MIN_WORDS = 3
#: How far back (characters) from a citation a quotation it supports may start.
REACH = 1200
#: Share of the quotation's words that must line up with one passage for "found with changes".
CHANGED_THRESHOLD = 0.6

_QUOTE = re.compile(r"“([^“”]{1,3000})”|\"([^\"]{1,3000})\"")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Quotation:
    """Quoted words and where they sit (`start`/`end` include the quotation marks)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class QuoteCheck:
    """How a quotation compares with the cited opinion.

    `verdict` is "verbatim", "changed" or "not_found". For "changed", `passage` is the opinion's
    own wording where the quotation lines up best and `differences` lists each change
    ('"technical" where the opinion has "scientific"', 'leaves out "their" without an ellipsis',
    'adds "all"'). `page` is the opinion's star page when its text has them.
    """

    verdict: str
    passage: str | None = None
    differences: tuple[str, ...] = ()
    similarity: float = 0.0
    page: str | None = None

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "passage": self.passage, "differences": list(self.differences),
                "similarity": round(self.similarity, 3), "page": self.page}


def words(text: str) -> list[str]:
    """Lower-case words; punctuation, case and curly apostrophes do not count."""
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def _quotations(text: str, lo: int, hi: int) -> list[Quotation]:
    found = []
    for m in _QUOTE.finditer(text, lo, hi):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        body = re.sub(r"\s+", " ", body).strip()
        if len(words(body)) >= MIN_WORDS:
            found.append(Quotation(body, m.start(), m.end()))
    return found


def supported_quotations(
    text: str,
    references: Sequence[tuple[int, int]],
    boundaries: Sequence[tuple[int, int]] = (),
    paragraph_starts: Sequence[int] = (),
) -> list[list[Quotation]]:
    """For each reference span (in text order), the quotations it supports.

    `boundaries` are (start, tail) spans of every citation in the text, the references' own
    included, tail being where its pin and parentheticals end: quoted words before a citation
    belong to the nearest citation after them, and quotations inside a citation's parentheticals
    to that citation. `paragraph_starts` stop the search at the paragraph's start.
    """
    tails = sorted(boundaries)
    starts = sorted(paragraph_starts)
    result: list[list[Quotation]] = []
    for start, end in references:
        lo = max(0, start - REACH)
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0:
            lo = max(lo, starts[i])
        own_tail = end
        for b_start, b_tail in tails:
            if b_start >= start and b_start < end + 3:
                own_tail = max(own_tail, b_tail)  # the reference's own cite and parentheticals
            elif b_tail <= start:
                lo = max(lo, b_tail)
        before = [q for q in _quotations(text, lo, start)]
        inside = [q for q in _quotations(text, end, own_tail)]
        result.append(before + inside)
    return result


# --- comparing a quotation with the cited text ------------------------------------------------------

_ELLIPSIS = re.compile(r"\.(?: ?\.){2,}|…")
_BRACKET = re.compile(r"\[([^\]]*)\]")


def _quote_fragments(quote: str) -> list[list[str]]:
    """The quotation's words in runs the writer did not mark as altered.

    Ellipses split runs (words left out on purpose). A bracketed change of case or a letter
    ("[t]he", "speech[es]") is taken as written; a bracketed insertion of words ("[the
    government]") is an acknowledged change and splits the run too.
    """
    runs: list[list[str]] = []
    for piece in _ELLIPSIS.split(quote):
        current = ""
        pos = 0
        for m in _BRACKET.finditer(piece):
            inner = m.group(1)
            glued = (m.start() > 0 and piece[m.start() - 1].isalnum()) or (
                m.end() < len(piece) and piece[m.end()].isalnum()
            )
            if glued and len(inner) <= 3:
                current += piece[pos : m.start()] + inner
            else:
                current += piece[pos : m.start()]
                runs.append(words(current))
                current = ""
            pos = m.end()
        current += piece[pos:]
        runs.append(words(current))
    return [r for r in runs if r]


@dataclass
class _Indexed:
    words: list[str]
    starts: list[int]  # offset in the prepared text of each word
    prepared: object
    grams: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _index(cited_text: str) -> _Indexed:
    prepared = prepare_text(cited_text, "auto")
    flat = prepared.text.lower().replace("’", "'").replace("‘", "'")
    matches = list(_WORD.finditer(flat))
    index = _Indexed([m.group(0) for m in matches], [m.start() for m in matches], prepared)
    w = index.words
    for i in range(len(w) - 2):
        index.grams.setdefault((w[i], w[i + 1], w[i + 2]), []).append(i)
    return index


def _find_run(haystack: list[str], run: list[str], start: int = 0) -> int:
    """Index of `run` as a contiguous sequence in `haystack` from `start`, or -1."""
    if not run:
        return start
    first = run[0]
    n = len(run)
    i = start
    while True:
        try:
            i = haystack.index(first, i)
        except ValueError:
            return -1
        if haystack[i : i + n] == run:
            return i
        i += 1


def _page(index: _Indexed, word_index: int) -> str | None:
    prepared = index.prepared
    if not prepared.star_pages or word_index >= len(index.starts):
        return None
    return prepared.page_at(prepared.offsets[index.starts[word_index]])


def check_quotation(quote: str, cited_text: str) -> QuoteCheck:
    """Compare a quotation with the opinion it is attributed to."""
    runs = _quote_fragments(quote)
    index = _index(cited_text)
    hay = index.words
    if not runs or not hay:
        return QuoteCheck("not_found")
    # verbatim: every run found, in order (or anywhere, for quotations stitched out of order)
    pos, first_at, ok = 0, None, True
    for run in runs:
        at = _find_run(hay, run, pos)
        if at < 0:
            at = _find_run(hay, run, 0)
        if at < 0:
            ok = False
            break
        first_at = at if first_at is None else first_at
        pos = at + len(run)
    if ok:
        return QuoteCheck("verbatim", similarity=1.0, page=_page(index, first_at or 0))
    return _closest(runs, index)


def _closest(runs: list[list[str]], index: _Indexed) -> QuoteCheck:
    """The passage the quotation lines up with best, and how it differs."""
    quote = [w for run in runs for w in run]
    boundaries = set()
    n = 0
    for run in runs[:-1]:
        n += len(run)
        boundaries.add(n)  # an ellipsis or bracketed insertion sits before quote[n]
    hay = index.words
    candidates: dict[int, int] = {}
    for k in range(len(quote) - 2):
        for at in index.grams.get((quote[k], quote[k + 1], quote[k + 2]), ())[:50]:
            origin = at - k
            candidates[origin] = candidates.get(origin, 0) + 1
    if not candidates:
        return QuoteCheck("not_found")
    best: tuple[float, int, int, list] | None = None
    for origin, _ in sorted(candidates.items(), key=lambda kv: -kv[1])[:40]:
        lo = max(0, origin - 10)
        hi = min(len(hay), origin + len(quote) + 10)
        window = hay[lo:hi]
        matcher = SequenceMatcher(None, quote, window, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        score = matched / len(quote)
        if best is None or score > best[0]:
            # unmatched words at either end of the quotation stand for as many of the opinion's
            w_lo = max(lo, lo + blocks[0].b - blocks[0].a)
            tail = len(quote) - (blocks[-1].a + blocks[-1].size)
            w_hi = min(len(hay), lo + blocks[-1].b + blocks[-1].size + tail)
            best = (score, w_lo, w_hi, blocks)
    if best is None or best[0] < CHANGED_THRESHOLD:
        return QuoteCheck("not_found", similarity=best[0] if best else 0.0)
    score, w_lo, w_hi, _ = best
    passage_words = hay[w_lo:w_hi]
    differences = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, quote, passage_words, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        ours, theirs = " ".join(quote[i1:i2]), " ".join(passage_words[j1:j2])
        if tag == "replace":
            differences.append(f'"{ours}" where the opinion has "{theirs}"')
        elif tag == "delete":
            differences.append(f'adds "{ours}"')
        elif tag == "insert" and i1 not in boundaries:
            differences.append(f'leaves out "{theirs}" without an ellipsis')
    prepared = index.prepared
    a = prepared.offsets[index.starts[w_lo]]
    last = index.starts[w_hi - 1] + len(hay[w_hi - 1])
    b = prepared.offsets[min(last, len(prepared.text)) - 1] + 1
    passage = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", prepared.source[a:b])).strip()
    if not differences:
        return QuoteCheck("verbatim", similarity=1.0, page=_page(index, w_lo))
    return QuoteCheck("changed", passage, tuple(differences), score, _page(index, w_lo))
