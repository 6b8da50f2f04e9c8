"""Things that look like a seed reference but are not, and telling same-name authorities apart.

All opinion snippets are invented for these tests (they imitate court writing; they are not
quotations from real opinions). The authorities are real decisions, named as the project's
labelled corpus names them.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority
from tests.factories import BERNSTEIN

GRATZ = Authority(key="gratz", name="Gratz v. Bollinger", citations=("539 U.S. 244",))
BAKKE = Authority(key="bakke", name="Regents of Univ. of Cal. v. Bakke", citations=("438 U.S. 265",))
MCCREADY = Authority(key="mccready", name="Blue Shield of Virginia v. McCready", citations=("457 U.S. 465",))
LEHNERT = Authority(key="lehnert", name="Lehnert v. Ferris Faculty Ass'n", citations=("500 U.S. 507",))


def keys(found):
    return [(r.as_written, r.authority_key) for r in found]


def test_a_different_case_in_the_same_volume_is_not_the_seed():
    text = (
        "Gratz v. Bollinger, 539 U. S. 244 (2003); Grutter v. Bollinger, 539 U. S. 306 (2003). "
        "The Law School's plan survived. 539 U. S., at 326. The college's plan did not. 539 U. S., at 275."
    )
    found = find_references(text, [GRATZ])
    assert keys(found) == [
        ("Gratz v. Bollinger, 539 U. S. 244 (2003)", "gratz"),
        ("539 U. S., at 275", "gratz"),
    ]


def test_short_cite_to_the_same_volume_without_other_cases_still_counts():
    text = "Gratz v. Bollinger, 539 U. S. 244 (2003). Later: 539 U. S., at 270."
    assert [r.kind for r in find_references(text, [GRATZ])] == ["full", "short"]


def test_id_pointing_to_another_authority_is_not_a_reference():
    text = (
        "Regents of Univ. of Cal. v. Bakke, 438 U. S. 265, 305 (1978). Another court agreed. "
        "Hopwood v. Texas, 78 F.3d 932, 944 (5th Cir. 1996). Id. at 945."
    )
    found = find_references(text, [BAKKE])
    assert [r.kind for r in found] == ["full"]


def test_id_after_a_constitutional_provision_is_not_the_case():
    text = "Regents of Univ. of Cal. v. Bakke, 438 U. S. 265 (1978). See U.S. Const. amend. XIV, § 1. Id."
    assert [r.kind for r in find_references(text, [BAKKE])] == ["full"]


def test_id_after_a_citing_parenthetical_refers_to_the_main_cite():
    text = (
        "Lehnert v. Ferris Faculty Ass'n, 500 U.S. 507, 519 (1991). A court followed it. "
        "Ziskend v. O'Leary, 79 F. Supp. 2d 10, 12 (D. Mass. 2000) (citing Lehnert, 500 U.S. at 519). Id. at 13."
    )
    found = find_references(text, [LEHNERT])
    assert [(r.kind, r.signal) for r in found] == [("full", "none"), ("short", "citing")]


def test_a_person_sharing_the_case_name_is_not_a_reference():
    text = (
        "Blue Shield of Virginia v. McCready, 457 U.S. 465 (1982); see McCready, 457 U.S. at 470. "
        "McCready was treated by a "
        "psychologist. Ms. McCready brought suit. In McCready, the Court allowed the claim. "
        "McCready's injury was real. Unlike McCready and her co-plaintiffs, Sullivan was no "
        "consumer. The logic of McCready does not reach him."
    )
    found = find_references(text, [MCCREADY])
    names = [r for r in found if r.kind == "name_only"]
    assert [text[r.start - 3 : r.end] for r in names] == ["In McCready", "of McCready"]


def test_a_longer_personal_name_is_not_the_case():
    text = "Regents of Univ. of Cal. v. Bakke, 438 U.S. 265 (1978). Professor Thomas Bakke Reed disagreed."
    assert [r.kind for r in find_references(text, [BAKKE])] == ["full"]


def test_a_law_review_note_titled_like_the_case_is_not_a_reference():
    text = (
        "Scholars disagree. See Note, Bernstein v. United States and the Export of Code, "
        "110 Harv. L. Rev. 1400 (1997); Roger Bernstein, Antitrust Standing, 86 Yale L.J. 809 (1977)."
    )
    assert find_references(text, BERNSTEIN) == []


def test_the_opinions_own_caption_is_not_a_reference():
    cohen = Authority(key="cohen", name="Cohen v. Brown Univ.", citations=("809 F. Supp. 978",))
    text = "AMY COHEN, ET AL., Plaintiffs, Appellees, v. BROWN UNIVERSITY, Defendant. Brown appeals."
    assert find_references(text, [cohen]) == []


def test_other_party_name_is_not_used_until_the_opinion_uses_it():
    cohen = Authority(key="cohen", name="Cohen v. Brown Univ.", citations=("809 F. Supp. 978",))
    text = "Cohen v. Brown Univ., 809 F. Supp. 978 (D.R.I. 1992). Brown demoted two teams. In Cohen, the court ruled."
    found = find_references(text, [cohen])
    assert [r.as_written for r in found if r.kind == "name_only"] == ["Cohen"]


def test_short_cite_names_the_volume_and_page_range_decides():
    text = (
        "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996); Bernstein v. U.S. "
        "Dep't of State, 945 F. Supp. 1279 (N.D. Cal. 1996). Bernstein, 922 F. Supp. at 1436."
    )
    short = find_references(text, BERNSTEIN)[-1]
    assert (short.kind, short.authority_key, short.ambiguous) == ("short", "bernstein-1", False)


def test_supra_is_placed_by_the_pin_page():
    text = (
        "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996); Bernstein v. U.S. "
        "Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999). Bernstein, supra, at 1140. "
        "Bernstein, supra, at 1430."
    )
    supras = [r for r in find_references(text, BERNSTEIN) if r.kind == "supra"]
    assert [(r.authority_key, r.ambiguous) for r in supras] == [
        ("bernstein-9th", False),
        ("bernstein-1", False),
    ]


def test_supra_uses_known_last_pages_and_reports_undecidable_cases():
    # Two invented decisions sharing a name, close together in one volume.
    first = Authority(key="a", name="Doe v. Roe", citations=("100 F. Supp. 10",), last_page=40)
    second = Authority(key="b", name="Doe v. Roe", citations=("100 F. Supp. 30",))
    text = "Doe v. Roe, 100 F. Supp. 10 (D. Mass. 1950); Doe v. Roe, 100 F. Supp. 30 (D. Mass. 1950). "
    decided = find_references(text + "Doe, supra, at 20.", [first, second])[-1]
    assert (decided.authority_key, decided.ambiguous) == ("a", False)
    unsure = find_references(text + "Doe, supra, at 35.", [first, second])[-1]
    assert unsure.ambiguous is True
    assert set(unsure.candidates) == {"a", "b"}
    assert unsure.authority_key == "b"  # the nearest first page below the pin


def test_shared_short_name_goes_to_the_authority_cited_last():
    text = (
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir.), reh'g en banc granted, "
        "opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999). The Bernstein panel split."
    )
    name = find_references(text, BERNSTEIN)[-1]
    assert (name.kind, name.authority_key, name.ambiguous) == ("name_only", "bernstein-9th", False)


def test_shared_short_name_after_two_cited_decisions_is_ambiguous():
    text = (
        "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996); Bernstein v. U.S. "
        "Dep't of State, 945 F. Supp. 1279 (N.D. Cal. 1996). In Bernstein, the court ruled twice."
    )
    name = find_references(text, BERNSTEIN)[-1]
    assert name.ambiguous is True
    assert set(name.candidates) == {"bernstein-1", "bernstein-2"}
    assert name.authority_key == "bernstein-2"


def test_other_party_name_is_adopted_when_used_as_a_case_name():
    # Invented passage: the opinion never writes a "McCready, 457 U.S. at ..." short cite.
    text = (
        "Blue Shield of Virginia v. McCready, 457 U.S. 465 (1982). McCready was a subscriber. "
        "In McCready, the Court allowed the claim. The McCready Court read Section 4 broadly."
    )
    names = [r for r in find_references(text, [MCCREADY]) if r.kind == "name_only"]
    assert [text[r.start - 4 : r.end] for r in names] == [" In McCready", "The McCready"]
