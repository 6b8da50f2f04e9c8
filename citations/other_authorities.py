"""Citations that are not to cases: statutes, regulations, the Federal Register, law reviews.

A table of authorities lists them after the cases, and a quotation check needs to know where every
citation ends (a quoted passage before a statute cite belongs to the statute, not to the next
case). Text in, spans out; eyecite does the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


__all__ = ["CitationSpan", "citation_spans", "OTHER_KINDS"]

#: What `CitationSpan.kind` can be besides "case".
OTHER_KINDS = ("statute", "regulation", "journal")

_REGULATIONS = re.compile(r"C\.?F\.?R|Fed\.? ?Reg|FR\b")


@dataclass(frozen=True)
class CitationSpan:
    """One citation eyecite finds: where it sits (`start`, `end`: the cite itself, `tail`: after
    its pin and parentheticals), its kind and, for statutes and the like, how it is grouped."""

    start: int
    end: int
    tail: int
    kind: str  # "case", "statute", "regulation", "journal" or "other" (id., supra, short forms)
    label: str | None = None  # "22 U.S.C. § 2778", "15 Berkeley Tech. L.J. 629"
    pin: str | None = None


_PIN = re.compile(r",? ?(?:at )?\*?\d[\d\-–—, n.*]*")
_PAREN = re.compile(r" ?\((?:[^()]|\([^()]*\))*\)")


def _tail(text: str, end: int) -> int:
    """Skip a pin cite and any parentheticals after a citation."""
    m = _PIN.match(text, end)
    if m and m.end() - end < 40:
        end = m.end()
    while True:
        m = _PAREN.match(text, end)
        if not m or m.end() - end > 3000:
            return end
        end = m.end()


def citation_spans(text: str) -> list[CitationSpan]:
    """Every citation in plain `text`, in order, with its tail; statutes and journals labelled."""
    spans: list[CitationSpan] = []
    from eyecite import get_citations  # loaded on first use: start-up stays light
    from eyecite.models import FullCaseCitation, FullJournalCitation, FullLawCitation

    for citation in get_citations(text):
        start, end = citation.span()
        label = None
        pin = getattr(citation.metadata, "pin_cite", None)
        if isinstance(citation, FullLawCitation):
            reporter = citation.groups.get("reporter") or ""
            kind = "regulation" if _REGULATIONS.search(reporter) else "statute"
            label = re.sub(r"\s+", " ", citation.matched_text()).strip()
        elif isinstance(citation, FullJournalCitation):
            kind = "journal"
            label = re.sub(r"\s+", " ", citation.matched_text()).strip()
        elif isinstance(citation, FullCaseCitation):
            kind = "case"
        else:
            kind = "other"
        if pin and text.startswith(pin.strip(), end):
            end += len(pin.strip())
        elif pin:
            m = re.compile(r"[ ,]*" + re.escape(pin.strip())).match(text, end)
            if m:
                end = m.end()
        spans.append(CitationSpan(start, end, _tail(text, end), kind, label, pin.strip() if pin else None))
    return spans
