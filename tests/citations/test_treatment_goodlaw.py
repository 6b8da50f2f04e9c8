"""Withdrawn-authority flag and its propagation over a citation graph.

The passages are INVENTED for these tests; only the reporter cites of the Bernstein panel opinion and
of the order withdrawing it are real (see shared/reference/bernstein-family.md).
"""

from __future__ import annotations

from citator.citations.goodlaw import (
    acknowledges_withdrawal,
    flag_case,
    propagate_withdrawn,
    relies_on_withdrawn,
    risk_summary,
)
from citator.citations.models import Authority, Reference

from tests.factories import CA9_SEED as WITHDRAWN  # noqa: E402


def _ref(text: str, target: str, **fields) -> Reference:
    start = text.index(target)
    return Reference(
        start=start, end=start + len(target), as_written=target, kind="full", authority_key="176 F.3d 1132", **fields
    )


def test_unacknowledged_citation_is_flagged() -> None:
    text = (
        "Code is expressive. See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)."  # invented
    )
    ref = _ref(text, "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)")
    assert relies_on_withdrawn(ref, text, WITHDRAWN)
    assert flag_case([ref], text, {WITHDRAWN.key: WITHDRAWN}) == [ref]


def test_subsequent_history_acknowledges() -> None:
    text = (
        "See Bernstein, 176 F.3d 1132 (9th Cir.), reh'g en banc granted, opinion withdrawn, 192 F.3d 1308."  # invented
    )
    ref = _ref(
        text,
        "Bernstein, 176 F.3d 1132 (9th Cir.)",
        subsequent_history="reh'g en banc granted, opinion withdrawn, 192 F.3d 1308",
    )
    assert acknowledges_withdrawal(ref, text, WITHDRAWN)
    assert not relies_on_withdrawn(ref, text, WITHDRAWN)


def test_later_decision_cite_nearby_acknowledges() -> None:
    text = "Bernstein, 176 F.3d 1132 (9th Cir. 1999), later taken en banc, 192 F. 3d 1308, held code is speech."  # invented
    ref = _ref(text, "Bernstein, 176 F.3d 1132 (9th Cir. 1999)")
    assert acknowledges_withdrawal(ref, text, WITHDRAWN)


def test_good_authority_is_never_flagged() -> None:
    good = Authority(key="209 F.3d 481", name="Junger v. Daley", citations=("209 F.3d 481",), court="ca6")
    text = "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000)."  # invented use of a real cite
    ref = _ref(text, "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000)")
    assert not relies_on_withdrawn(ref, text, good)


def test_propagation_paths_depth_and_cycle() -> None:
    # A relies on the withdrawn opinion without saying so (flagged).
    # B relies on A, C follows B, D merely mentions C, E distinguishes A.
    # C and F cite each other (a cycle); G is four reliance steps from A.
    edges = [
        ("B", "A", "relied_on"),
        ("C", "B", "followed"),
        ("D", "C", "cited_neutral"),
        ("E", "A", "distinguished"),
        ("F", "C", "relied_on"),
        ("C", "F", "relied_on"),
        ("G", "F", "relied_on"),
        ("H", "G", "relied_on"),
    ]
    risk = propagate_withdrawn(edges, {"A"}, max_depth=4)
    assert risk["B"] == [["B", "A"]]
    assert risk["C"] == [["C", "B", "A"]]
    assert risk["F"] == [["F", "C", "B", "A"]]
    assert risk["G"] == [["G", "F", "C", "B", "A"]]
    assert "H" not in risk  # five steps: beyond max_depth
    assert "D" not in risk and "E" not in risk  # neutral and distinguishing citations break the chain
    assert "A" not in risk
    assert risk_summary(risk["C"]) == "relies on withdrawn authority via C -> B -> A"


def test_propagation_pairs_and_self_loops() -> None:
    risk = propagate_withdrawn([("X", "X"), ("Y", "X"), ("X", "Y")], ["X"], max_depth=2)
    assert risk == {"Y": [["Y", "X"]]}
