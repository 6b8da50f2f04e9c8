"""Quotations: language the citing court quotes from the cited opinion.

A quotation matters to a citator: it shows which passage of the authority a court relies on. We
look at the sentence around a reference (and the parenthetical after it) for quoted passages,
and keep one only when its words appear in the cited opinion's own text, which the caller
passes in. When the cited text has star pages, the page the quoted words sit on is reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citator.citations.text import PreparedText, prepare_text

__all__ = ["find_quotation", "normalize_words"]

_QUOTED = re.compile(r"[“\"]([^“”\"]{12,1500})[”\"]")
_WORD = re.compile(r"[a-z0-9]+")


def normalize_words(text: str) -> list[str]:
    """Lower-case word tokens; brackets, ellipses and punctuation do not count."""
    return _WORD.findall(text.lower().replace("’", "'").replace("'", ""))


def _fragments(quoted: str) -> list[str]:
    """Pieces of a quotation between alterations: ". . .", "[...]" and bracketed changes."""
    pieces = re.split(r"\. ?\. ?\.|…|\[[^\]]*\]", quoted)
    return [p for p in pieces if len(normalize_words(p)) >= 4]


@lru_cache(maxsize=16)
def _index(cited_text: str) -> tuple[PreparedText, str, list[int]]:
    """The cited opinion prepared once: its words joined by spaces and each word's position."""
    prepared = prepare_text(cited_text, "auto")
    flat = prepared.text.lower().replace("’", "'").replace("'", "")
    positions = [m.start() for m in _WORD.finditer(flat)]
    return prepared, " ".join(normalize_words(prepared.text)), positions


def find_quotation(work: str, start: int, end: int, cited_text: str) -> tuple[str, str | None] | None:
    """(quoted language, page or None) for a quotation near a reference found in `cited_text`."""
    lo = max(0, start - 700)
    hi = min(len(work), end + 700)
    window = work[lo:hi]
    prepared, joined, positions = _index(cited_text)
    if not joined:
        return None
    best: tuple[int, str, int] | None = None
    for m in _QUOTED.finditer(window):
        distance = min(abs(lo + m.start() - start), abs(lo + m.end() - end))
        for fragment in _fragments(m.group(1)):
            needle = " ".join(normalize_words(fragment))
            at = joined.find(needle)
            if at < 0:
                continue
            word_index = joined.count(" ", 0, at)
            if best is None or distance < best[0]:
                best = (distance, re.sub(r"\s+", " ", m.group(1)).strip(), word_index)
            break
    if best is None:
        return None
    _, quote, word_index = best
    page = None
    if prepared.star_pages and word_index < len(positions):
        wpos = positions[word_index]
        page = prepared.page_at(prepared.offsets[wpos])
    return quote, page
