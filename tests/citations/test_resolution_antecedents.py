"""Short cites and id. go to the case a careful reader would name (issue 14, items 3 and 4).

The sentences are written for these tests in the way opinions cite; none is taken from an opinion.
Each is read as `citator cite --all` reads a text: every case, no seeds.
"""

from __future__ import annotations

import pytest

from citator.citations.extract import find_references
from hypothesis import given, settings
from hypothesis import strategies as st

SMITH = "Smith v. Jones, 819 F.2d 1002, 1005 (11th Cir. 1987)"


def _refs(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(r.kind, r.as_written, r.cite, r.pin_cite) for r in find_references(text, [], all_cases=True)]


def _id_target(text: str) -> str | None:
    ids = [r for r in find_references(text, [], all_cases=True) if r.kind == "id"]
    return ids[-1].cite if ids else None


def test_id_after_subsequent_history_goes_to_the_case_not_the_history():
    text = (
        "The rule is settled. Smith v. Jones, 819 F.2d 1002, 1005 (11th Cir.), cert. denied, "
        "484 U.S. 917 (1987). The court there held more. Id. at 1007."
    )
    assert _id_target(text) == "819 F.2d 1002"


def test_code_section_named_in_a_sentence_does_not_take_the_id():
    text = f"See {SMITH}. The rule is identical to 42 U.S.C. § 1983. Id. at 1006."
    assert _id_target(text) == "819 F.2d 1002"


def test_id_with_a_paragraph_pin_is_the_record_not_the_case():
    text = f"See {SMITH}. The complaint so alleges. Id. ¶ 48."
    assert [r for r in _refs(text) if r[0] == "id"] == []


def test_id_after_quoting_parenthetical_follows_the_prose_that_names_the_quoted_case():
    text = (
        "See Alpha v. Beta, 500 F.3d 10, 12 (2d Cir. 2007) (quoting Gamma v. Delta, 400 U.S. 5, 9 "
        "(1970)). The Court in Gamma went further and held the statute void. Id. at 11."
    )
    assert _id_target(text) == "400 U.S. 5"


def test_full_cite_missing_at_is_a_pin_cite_of_the_case_not_a_phantom_authority():
    text = (
        "See Ayotte v. Planned Parenthood, 550 F.3d 80, 85 (1st Cir. 2008). The panel said more. "
        "Ayotte, 550 F.3d 88-96. Later it said still more. Ayotte, 550 F.3d at 93."
    )
    refs = _refs(text)
    assert {r[2] for r in refs} == {"550 F.3d 80"}
    assert refs[1][0] == "short" and refs[1][3] == "88-96"  # the range the missing "at" governs


def test_short_cite_name_picks_the_same_volume_case_it_names():
    text = (
        "See Munro v. Socialist Workers Party, 479 U.S. 189, 193 (1986); Tashjian v. Republican "
        "Party, 479 U.S. 208, 214 (1986). See Munro, 479 U.S. at 220. See Tashjian, 479 U.S. at 220-21."
    )
    shorts = [(r[1], r[2]) for r in _refs(text) if r[0] == "short"]
    assert shorts == [("Munro, 479 U.S. at 220", "479 U.S. 189"), ("Tashjian, 479 U.S. at 220-21", "479 U.S. 208")]


HISTORY = st.sampled_from(["cert. denied", "aff'd", "rev'd on other grounds", "reh'g denied"])
PROSE = st.lists(
    st.sampled_from(["The court", "held", "that the statute", "reached", "speech", "in part", "and", "so"]),
    min_size=1,
    max_size=12,
).map(" ".join)
BREAK = st.sampled_from([" ", "\n", "\n\x0c\n", "\n\n"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(HISTORY, PROSE, BREAK)
def test_id_after_any_history_and_prose_goes_to_the_case(history, prose, brk):
    text = (
        f"Smith v. Jones, 819 F.2d 1002, 1005 (11th Cir.), {history}, 484 U.S. 917 (1987).{brk}"
        f"{prose}.{brk}Id. at 1009."
    )
    assert _id_target(text) == "819 F.2d 1002"


def test_deeply_nested_markup_is_read_whole():
    depth = 20_000
    html = "<div>" * depth + "<p>See " + SMITH + ".</p>" + "</div>" * depth + "<p>Id. at 1006.</p>"
    refs = find_references(html, [], all_cases=True, fmt="html")
    assert [(r.kind, r.cite) for r in refs] == [("full", "819 F.2d 1002"), ("id", "819 F.2d 1002")]


def test_short_cite_name_vetoes_the_only_same_volume_case_cited_so_far():
    # invented passage; real cites. Tashjian is first cited in a footnote, read after the body.
    from citator.citations.extract import find_references
    from citator.citations.models import Authority

    seed = Authority(key="tashjian", name="Tashjian v. Republican Party of Conn.", citations=("479 U.S. 208",))
    text = (
        "Ballot access rules are reviewed flexibly. Munro v. Socialist Workers Party, 479 U.S. 189, "
        "193 (1986). A party may open its primary. See Tashjian, 479 U.S. at 220-21. The State "
        "cannot override that choice. Tashjian, 479 U.S. at 224."
    )
    refs = find_references(text, [seed])
    assert [(r.kind, r.authority_key, r.pin_cite) for r in refs] == [
        ("short", "tashjian", "220-21"),
        ("short", "tashjian", "224"),
    ]


def test_short_cite_name_vetoes_a_case_for_one_cited_in_full_further_on():
    text = (
        "Munro v. Socialist Workers Party, 479 U.S. 189, 193 (1986). See Tashjian, 479 U.S. at "
        "220-21. Later we cite it in full: Tashjian v. Republican Party of Conn., 479 U.S. 208 (1986)."
    )
    refs = _refs(text)
    assert refs[1][0] == "short" and refs[1][2] == "479 U.S. 208"
