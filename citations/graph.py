"""Every case citation in an opinion, seed or not: the edges of the full citation graph (`--all`).

`find_references` answers "where does this opinion refer to a seed?"; the full-graph mode of
`citator bulk` also wants every other case an opinion cites, with `authority_key` left empty. Tags
are blanked out rather than removed, so eyecite's offsets are offsets into the stored text as is.
"""

from __future__ import annotations

import logging
import re

from eyecite import get_citations
from eyecite.models import FullCaseCitation

from citator.citations.models import Reference

logging.getLogger("eyecite").setLevel(logging.ERROR)

_TAG = re.compile(r"<[^<>]*>")


def _blank_tags(text: str) -> str:
    """Replace each tag by as many spaces, keeping every offset of `text`."""
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


def find_case_citations(text: str, *, fmt: str = "text", opinion_part: str = "majority") -> list[Reference]:
    """Full case citations in `text` as references without an authority, in text order."""
    plain = _blank_tags(text) if fmt in ("html", "xml") else text
    references = []
    for citation in get_citations(plain):
        if not isinstance(citation, FullCaseCitation) or not citation.groups.get("page"):
            continue
        start, end = citation.span()
        references.append(
            Reference(
                start=start,
                end=end,
                as_written=text[start:end],
                kind="full",
                cite=citation.corrected_citation(),
                pin_cite=citation.metadata.pin_cite or None,
                parenthetical=citation.metadata.parenthetical or None,
                opinion_part=opinion_part,
            )
        )
    return references
