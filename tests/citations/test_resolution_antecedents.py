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


def test_id_pinned_before_the_cases_first_page_is_the_record_and_so_is_the_next_id():
    text = (
        "The standard is familiar. United States v. Maple, 947 F.2d 520, 522 (1st Cir. 1991). "
        "The officer saw the package at noon. Id. at 20. He called the inspector. Id."
    )
    assert [r for r in _refs(text) if r[0] == "id"] == []


def test_id_pinned_inside_the_case_still_goes_to_it():
    text = "See United States v. Maple, 947 F.2d 520, 522 (1st Cir. 1991). The rule held. Id. at 530."
    assert _id_target(text) == "947 F.2d 520"


def test_citation_inserted_in_brackets_into_a_quotation_is_not_the_ids_antecedent():
    # imitates an opinion quoting an older decision that cited another one
    text = (
        "In Oak v. Birch, 23 P.R.R. 497 (1916), the Court rejected that argument. The Court "
        'explained: "We have recently decided that priority gives no lien. Elm v. Ash, '
        '[23 P.R.R. 385 (1916)]. An attachment is necessary." Id. at 500.'
    )
    assert _id_target(text) == "23 P.R.R. 497"


def _typed_page(body_lines: list[str], foot_lines: list[str], number: int) -> str:
    """A page of a typewritten opinion: double-spaced body, single-spaced notes at its foot."""
    body = "\n\n".join(body_lines)
    return f"{body}\n\n\n\n" + "\n".join(foot_lines) + f"\n\n                             -{number}-\n\f"


def test_footnote_continued_on_the_next_page_keeps_its_id_chain():
    # imitates a typewritten opinion: footnote 9 runs from the foot of page 7 to the foot of page 8
    filler = ["the court considered whether the company had transacted any business in the forum"] * 12
    page7 = _typed_page(
        filler[:10] + ["and the defendant's contacts. See Alder v. Hazel, 326 U.S. 310, 316 (1945).9"],
        [
            "9.  In Poplar v. Spruce, 960 F.2d 1080, 1087 (1st Cir. 1992), we held the",
            "contacts insufficient to ground general jurisdiction. Id. at 1088. We then",
            "applied the test for specific jurisdiction to the one contact in the record,",
            "the part a company officer played in negotiating the labour agreement and",
        ],
        7,
    )
    page8 = _typed_page(
        filler[:11] + ["and we turn to the argument the plaintiffs make now."],
        [
            "the negotiation of the agreement, and found it insufficient to show that the",
            "company availed itself of the forum. Id. at 1090-91. We did not reach the",
            "reasonableness of the exercise of jurisdiction, which the district court",
            "had not addressed either.",
        ],
        8,
    )
    text = page7 + page8 + "\n\n".join(filler) + "\n"
    ids = [r for r in find_references(text, [], all_cases=True) if r.kind == "id"]
    assert [(r.cite, r.in_footnote) for r in ids] == [("960 F.2d 1080", True), ("960 F.2d 1080", True)]


def test_margin_line_numbers_are_not_read_as_pin_pages():
    # imitates a Second Circuit slip opinion, every line numbered in the margin
    lines = [
        "The district court awarded judgment. Cable Co. v. Network, 478 F. Supp. 2d 607,",
        "612 (S.D.N.Y. 2007). The court found the copies were fixed. See id. at",
        "617. It then turned to the buffer data and found the copying more than",
        "de minimis. The buffers held the whole programming day in aggregate.",
        "The service transmitted the copies to each customer on request.",
        "The court said the copies could hardly be called de minimis. Id. at",
        "621. The defendant appealed from that judgment to this court.",
        "We review the grant of summary judgment de novo on this record.",
        "The parties agree about the facts of the system and its design.",
    ]
    text = "\n\n".join(f"{k:<5}{line}" for k, line in enumerate(lines, 1)) + "\n"
    pins = [r.pin_cite for r in find_references(text, [], all_cases=True) if r.kind == "id"]
    assert pins == ["617", "621"]


def test_id_with_a_decimal_section_number_is_a_regulation_not_the_case():
    text = (
        "Cf. Birch v. Vose, 968 F.2d 105, 109 (1st Cir. 1992). The regulations leave it to the "
        "Commissioner, id. 411.10(10-12), and name the programs. Id. 411.08(1)(g)."
    )
    assert [r for r in _refs(text) if r[0] == "id"] == []


def test_id_whose_pin_misses_the_last_case_goes_to_the_case_the_prose_names():
    # the named case was cited in full pages earlier; the case cited last begins after the pin
    discussion = "The district court weighed the testimony of each officer with care. " * 70
    text = (
        "The duty to preserve evidence is limited. Arizona v. Youngblood, 488 U.S. 51, 56 (1988). "
        f"{discussion}Bad faith must be shown. See Alder v. Hazel, 326 U.S. 310, 316 (1945). "
        "The Youngblood Court was concerned with limiting the extent of the duty. Id. at 58."
    )
    assert _id_target(text) == "488 U.S. 51"


def test_bracketed_database_cite_completing_a_blank_cite_stays_the_antecedent():
    text = (
        "See Oak v. Elm, 509 F.2d 39, 41 (9th Cir. 1975). The law of the circuit rule is settled. "
        "San Juan Cable, ___ F.3d at ___ [2010 WL 2776909, at *7]. The rule promotes stability. "
        "Id. at ___ [2010 WL 2776909, at *8]."
    )
    assert _id_target(text) == "2010 WL 2776909"


def test_id_after_a_quotation_of_the_rule_the_sentence_names_is_the_rule():
    text = (
        "The court must ask about conflicts. Cuyler v. Hazel, 446 U.S. 335, 346 (1980). The rules go "
        'further. Under Rule 44(c), the trial court must "inquire with respect to such joint '
        'representation." Id. Moreover, the duty continues.'
    )
    assert [r for r in _refs(text) if r[0] == "id"] == []


def test_id_quoting_the_rule_is_still_the_case_that_quotes_it():
    text = (
        "The court denied the motion. Cuyler v. Hazel, 446 U.S. 335, 346 (1980). The court stressed "
        'that the statute bars review in "criminal proceedings for enforcement." Id. (quoting 42 U.S.C. '
        "§ 6976(b))."
    )
    assert _id_target(text) == "446 U.S. 335"


def test_bare_section_named_in_a_quotation_does_not_take_the_id():
    text = (
        "See Garden Council v. Garmon, 359 U.S. 236, 241 (1959). The Court concluded that when the "
        "activities are protected by § 7 of the Act, or are unfair practices under § 8, state "
        "jurisdiction must yield. Id. at 244."
    )
    assert _id_target(text) == "359 U.S. 236"


def test_id_after_a_brief_or_transcript_cite_is_the_record_not_the_case():
    text = (
        "The contract was plain. See Shore v. Dune, 739 F.2d 4, 6 (1st Cir. 1984). The witness said "
        "so. Transcript, Non-Jury Trial Proceedings - Day 1, at 106. He never explained the usage. "
        "Id. at 70. The appellant disagrees. Appellant's Br. 15. It says more. Id. at 16."
    )
    assert [r for r in _refs(text) if r[0] == "id"] == []


def test_id_after_a_brief_whose_parenthetical_cites_a_case_is_the_brief():
    # imitates an opinion recounting a party's brief, which cites a case in a "(citing ...)"
    # parenthetical; an id. pinned to a page the case before could hold must not go back to it
    text = (
        f"We affirmed. {SMITH}. On appeal the Government argued the point. See Appellant's Br. 14-15 "
        "(citing Chevron U.S.A. Inc. v. NRDC, 467 U.S. 837, 842 (1984)). It pressed deference. Id. at 1015."
    )
    assert _id_target(text) is None
    # without the brief the id. is the case before it
    assert _id_target(text.replace("See Appellant's Br. 14-15 (citing Chevron U.S.A. Inc. v. NRDC, 467 U.S. 837, 842 (1984)). ", "")) == "819 F.2d 1002"


def test_id_after_a_web_page_cite_is_the_page_not_the_case():
    # imitates an opinion that cites an agency's web page with its "last visited" date
    text = (
        f"The database is national. {SMITH}. It has three tiers. DNA Initiative, Levels of the Database, "
        "http://www.dna.gov/dna-databases/levels (last visited Aug. 5, 2010). Profiles go up the tiers. Id."
    )
    assert _id_target(text) is None
    assert _id_target(text.replace("http://www.dna.gov/dna-databases/levels (last visited Aug. 5, 2010)", "")) == "819 F.2d 1002"


def test_a_supra_goes_to_the_case_named_first_by_that_name_not_the_officials_suit():
    # imitates a 1990s benefits opinion: the Supreme Court case the Secretary (Bowen) brought, then
    # circuit cases against him, then "Bowen, supra" for the first; a name that is only ever a
    # second party still reaches its case
    text = (
        "The rule was upheld. Bowen v. Gillard, 483 U.S. 587, 592 (1987). Courts agree. See Gorrie v. "
        "Bowen, 809 F.2d 508, 513 (8th Cir. 1987); Creaton v. Bowen, 826 F.2d 6 (9th Cir. 1987). The "
        "purpose was plain. See Bowen, supra Part I. Others differ. See Ledbetter v. Doe, 821 F.2d "
        "1507 (11th Cir. 1987). See Doe, supra."
    )
    supras = {r.as_written: r.cite for r in find_references(text, [], all_cases=True) if r.kind == "supra"}
    assert supras == {"Bowen, supra": "483 U.S. 587", "Doe, supra": "821 F.2d 1507"}
