"""Case-level treatment: ranking of labels and the four depth levels.

References are built directly with their labels; the short passage is INVENTED.
"""

from __future__ import annotations

from citator.citations.models import Reference
from citator.citations.treatment import RANKING, aggregate


def _r(
    treatment: str,
    start: int = 0,
    kind: str = "short",
    parenthetical: str | None = None,
    sentence: str = "x" * 50,
    confidence: float = 0.7,
) -> Reference:
    return Reference(
        start=start,
        end=start + 5,
        as_written="Alpha",
        kind=kind,
        authority_key="500 U.S. 1",
        treatment=treatment,
        confidence=confidence,
        sentence=sentence,
        parenthetical=parenthetical,
    )


def test_ranking_puts_negative_treatment_first() -> None:
    assert RANKING[0] == "noted_withdrawn" and RANKING[-1] == "cited_neutral"
    case = aggregate([_r("followed", 0), _r("distinguished", 10), _r("cited_neutral", 20)])
    assert case.treatment == "distinguished"
    assert case.counts == {"followed": 1, "distinguished": 1, "cited_neutral": 1}
    assert aggregate([_r("relied_on", 0), _r("followed", 10, confidence=0.9)]).treatment == "followed"
    assert aggregate([_r("followed"), _r("criticized_or_declined", 10)]).treatment == "criticized_or_declined"


def test_depth_levels() -> None:
    mentioned = aggregate([_r("cited_neutral", kind="name_only")])
    assert mentioned.depth == "mentioned"
    cited = aggregate([_r("relied_on", kind="short")])
    assert cited.depth == "cited"
    discussed = aggregate([_r("followed", 0), _r("followed", 10), _r("cited_neutral", 20)])
    assert discussed.depth == "discussed"
    examined = aggregate([_r("followed", i * 10) for i in range(6)])
    assert examined.depth == "examined"
    long_text = aggregate([_r("followed", i * 10, sentence="y" * 600) for i in range(3)])
    assert long_text.depth == "examined"


def test_depth_from_opinion_text() -> None:
    text = "Alpha governs. " * 3 + "The end."  # invented
    refs = [
        Reference(start=i * 15, end=i * 15 + 5, as_written="Alpha", kind="name_only", treatment="followed")
        for i in range(3)
    ]
    case = aggregate(refs, text)
    assert case.references == 3 and case.depth == "discussed"
    assert case.engaged_chars == 3 * len("Alpha governs.")


def test_empty_and_withdrawn_flag() -> None:
    assert aggregate([]).treatment is None and aggregate([]).depth == "mentioned"
    flagged = _r("relied_on")
    flagged.extra["relies_on_withdrawn"] = True
    assert aggregate([flagged]).relies_on_withdrawn
