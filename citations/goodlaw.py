"""Good-law checks: references to withdrawn opinions, and the risk that spreads from them.

An authority's subsequent history is data (`Authority.status`, `Authority.history`), not text we
re-derive. The Ninth Circuit's Bernstein opinion, 176 F.3d 1132, was withdrawn when rehearing en
banc was granted (192 F.3d 1308), so it has no precedential force; a court that cites it as if it
stood is relying on a withdrawn opinion. That is worth flagging, and so is the next link: a case
that relies on such a case inherits the risk, the way commercial citators warn that a cited case
relied on overruled authority. The path of cases explains the warning.

Everything here is a pure function over plain data (no database, no network).
"""

from __future__ import annotations

import re
from collections import deque
from typing import Iterable, Mapping, Sequence

from citator.citations.models import Authority, Reference

#: Status values that mean the opinion no longer stands as precedent.
WITHDRAWN_STATUSES = frozenset({"withdrawn", "vacated", "reversed", "superseded", "overruled"})
#: Treatments through which risk propagates: only a case that leans on another passes it on.
RELYING_TREATMENTS = frozenset({"followed", "relied_on"})
#: How far (characters) around a reference a withdrawal notice still counts as acknowledging it.
ACK_REACH = 300
DEFAULT_MAX_DEPTH = 4

_ACK = re.compile(
    r"\b(?:withdrawn|withdrew|withdrawing|vacated|vacating|vacatur|reh'g\s+en\s+banc\s+granted|"
    r"rehearing\s+en\s+banc\s+(?:was\s+)?granted|superseded|overruled|abrogated|rev'd|reversed\s+by|"
    r"no\s+(?:longer\s+)?precedential)",
    re.IGNORECASE,
)


def is_withdrawn_status(status: str | None) -> bool:
    """True for a status under which the authority has no precedential force."""
    return (status or "good").lower() in WITHDRAWN_STATUSES


def acknowledges_withdrawal(reference: Reference, text: str, authority: Authority | None = None) -> bool:
    """True when the reference itself, or the text right around it, notes the withdrawal.

    Counts: a subsequent-history clause on the reference ("reh'g en banc granted, opinion
    withdrawn, 192 F.3d 1308"), a parenthetical saying so, the later decision's cite (from the
    authority's history) near the reference, or a withdrawal word within ACK_REACH characters in
    the same sentence neighbourhood.
    """
    if reference.subsequent_history and _ACK.search(reference.subsequent_history):
        return True
    if reference.parenthetical and _ACK.search(reference.parenthetical):
        return True
    if not text:
        return bool(reference.sentence and _ACK.search(reference.sentence))
    lo = max(0, reference.start - ACK_REACH)
    hi = min(len(text), reference.end + ACK_REACH)
    near = re.sub(r"\s+", " ", text[lo:hi]).replace("\u2019", "'")
    if _ACK.search(near):
        return True
    if authority is not None:
        compact = near.replace(" ", "")
        for entry in authority.history:
            if entry.citation and entry.citation.replace(" ", "") in compact:
                return True
    return False


def relies_on_withdrawn(reference: Reference, text: str, authority: Authority) -> bool:
    """The reference cites a withdrawn/vacated authority without acknowledging that it is gone."""
    return is_withdrawn_status(authority.status) and not acknowledges_withdrawal(reference, text, authority)


def flag_case(references: Iterable[Reference], text: str, authorities: Mapping[str, Authority]) -> list[Reference]:
    """The references of one opinion that rely on a withdrawn authority without saying so."""
    flagged: list[Reference] = []
    for ref in references:
        authority = authorities.get(ref.authority_key or "")
        if authority is not None and relies_on_withdrawn(ref, text, authority):
            flagged.append(ref)
    return flagged


def propagate_withdrawn(
    edges: Iterable[tuple[str, str] | tuple[str, str, str | None]],
    flagged: Iterable[str],
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    relying: Iterable[str] = RELYING_TREATMENTS,
) -> dict[str, list[list[str]]]:
    """Cases at risk because they rely, directly or through others, on a flagged case.

    `edges` are (citing_case, cited_case, treatment) triples (or pairs, treated as reliance);
    `flagged` are the cases that rely on a withdrawn opinion without acknowledging it. Returns, for
    every case that relies on a flagged case through a chain of at most `max_depth` reliance
    edges, the shortest paths (each a list of case ids from the case at risk to the flagged case).
    Edges whose treatment is not in `relying` (cited_neutral, distinguished, criticized, noted
    withdrawn) break the chain: a court that distinguishes or notes the problem does not inherit
    it. Cycles are safe: a path never visits a case twice. The flagged cases themselves are not in
    the result unless they also rely on another flagged case.
    """
    relying = frozenset(relying)
    cited_by: dict[str, list[str]] = {}
    for edge in edges:
        citing, cited = edge[0], edge[1]
        treatment = edge[2] if len(edge) > 2 else "relied_on"
        if treatment is not None and treatment not in relying:
            continue
        if citing == cited:
            continue
        cited_by.setdefault(cited, []).append(citing)
    at_risk: dict[str, list[list[str]]] = {}
    best: dict[str, int] = {}
    queue: deque[list[str]] = deque([[case] for case in dict.fromkeys(flagged)])
    while queue:
        path = queue.popleft()  # path runs from the newest citing case back to the flagged case
        if len(path) - 1 >= max_depth:
            continue
        for citing in cited_by.get(path[0], ()):
            if citing in path:
                continue  # cycle
            new = [citing] + path
            depth = len(new) - 1
            if citing in best and best[citing] < depth:
                continue
            best[citing] = depth
            paths = at_risk.setdefault(citing, [])
            if new not in paths:
                paths.append(new)
            queue.append(new)
    return at_risk


def risk_summary(paths: Sequence[Sequence[str]]) -> str:
    """A one-line human explanation of a case's risk, e.g. for the web page."""
    if not paths:
        return ""
    shortest = min(paths, key=len)
    return "relies on withdrawn authority via " + " -> ".join(shortest)
