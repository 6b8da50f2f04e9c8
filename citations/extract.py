"""Find references to authorities in one opinion's text.

Walking-skeleton version: eyecite finds full and short citations, which are matched to the seed
authorities by any of their reporter citations. Offsets always point into the text as given
(HTML included), so a reference can be highlighted in the stored opinion.
"""

from __future__ import annotations

import logging
import re
from typing import Sequence

from eyecite import get_citations
from eyecite.models import FullCaseCitation, ShortCaseCitation

from citator.citations.models import Authority, Reference

logging.getLogger("eyecite").setLevel(logging.ERROR)

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)?[^>]*>")
_INLINE = {"a", "i", "em", "b", "strong", "span", "u", "sup", "sub", "small", "mark", "cite"}
_WS = re.compile(r"\s+")


def normalize_cite(cite: str) -> str:
    """Collapse spacing so "176 F. 3d 1132" and "176 F.3d 1132" compare equal."""
    return _WS.sub(" ", cite).replace(". ", ".").replace(" .", ".").strip()


def strip_markup(text: str) -> tuple[str, list[int]]:
    """Drop tags (block tags become a space), keeping for every character of the result its offset in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _TAG.finditer(text):
        for i in range(pos, match.start()):
            chars.append(text[i])
            offsets.append(i)
        if (match.group(2) or "").lower() not in _INLINE:
            chars.append(" ")
            offsets.append(match.start())
        pos = match.end()
    for i in range(pos, len(text)):
        chars.append(text[i])
        offsets.append(i)
    offsets.append(len(text))
    return "".join(chars), offsets


def find_references(
    text: str,
    authorities: Sequence[Authority],
    *,
    fmt: str = "text",
    opinion_part: str = "majority",
) -> list[Reference]:
    """Every reference in `text` to one of `authorities`, in text order."""
    plain, offsets = strip_markup(text) if fmt in ("html", "xml") else (text, None)
    by_cite: dict[str, Authority] = {}
    for authority in authorities:
        for cite in authority.citations:
            by_cite[normalize_cite(cite)] = authority
    references: list[Reference] = []
    for citation in get_citations(plain):
        if not isinstance(citation, (FullCaseCitation, ShortCaseCitation)):
            continue
        groups = citation.groups
        if not groups.get("page"):
            continue
        volume, reporter = groups.get("volume"), citation.corrected_reporter()
        kind = "full" if isinstance(citation, FullCaseCitation) else "short"
        authority = None
        if kind == "full":
            authority = by_cite.get(normalize_cite(f"{volume} {reporter} {groups['page']}"))
        else:
            for candidate in authorities:
                for cite in candidate.citations:
                    v, _, rest = cite.partition(" ")
                    r = rest.rsplit(" ", 1)[0]
                    if v == volume and normalize_cite(r) == normalize_cite(reporter):
                        authority = candidate
        if authority is None:
            continue
        start, end = citation.span()
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        references.append(
            Reference(
                start=start,
                end=end,
                as_written=text[start:end],
                kind=kind,
                authority_key=authority.key,
                cite=authority.primary_citation,
                pin_cite=(citation.metadata.pin_cite or None),
                parenthetical=citation.metadata.parenthetical or None,
                opinion_part=opinion_part,
                sentence=plain[max(0, citation.span()[0] - 200) : citation.span()[1] + 200],
            )
        )
    return references
