"""Every case citation in an opinion, seed or not: the edges of the full citation graph (`--all`).

`find_references` answers "where does this opinion refer to a seed?"; the full-graph mode of
`citator bulk` also wants every other case an opinion cites, with `authority_key` left empty. It
reads the same prepared text as the extractor (`citations.text.prepare_text`: markup dropped,
footnotes and layout read the same way) and maps each span back, so offsets are offsets into the
stored text as is.
"""

from __future__ import annotations

import logging

from eyecite import get_citations
from eyecite.models import FullCaseCitation

from citator.citations import eyecite_speedups
from citator.citations.models import Reference
from citator.citations.text import PreparedText, prepare_text

logging.getLogger("eyecite").setLevel(logging.ERROR)


def find_case_citations(
    text: str, *, fmt: str = "text", opinion_part: str = "majority", prepared: PreparedText | None = None
) -> list[Reference]:
    """Full case citations in `text` as references without an authority, in text order.

    `prepared` is `prepare_text(text, fmt)` when the caller already has it.
    """
    if prepared is None:
        prepared = prepare_text(text, fmt)
    references = []
    eyecite_speedups.installed()  # exact, faster court lookup inside eyecite (see that module)
    for citation in get_citations(prepared.text):
        if not isinstance(citation, FullCaseCitation) or not citation.groups.get("page"):
            continue
        start, end = prepared.source_span(*citation.span())
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
    references.sort(key=lambda r: (r.start, r.end))  # footnotes are read after the body
    return references
