"""One signal vocabulary (issue 18.4): the extractor, the treatment classifier and the treatment
lexicon know the same introductory signals, spelled the same way."""

from __future__ import annotations

import pytest

from citator.citations import clauses, signals
from citator.citations.lexicon import REF_MARK, default_lexicon
from citator.citations.models import SIGNALS
from citator.citations.treatment_context import infer_signal


@pytest.mark.parametrize("name", list(signals.WRITTEN) + list(signals.PARENTHETICAL))
def test_the_extractor_and_the_classifier_read_each_signal_the_same(name: str) -> None:
    written = name.capitalize()
    before = f"INVENTED holding. {written} " if name not in signals.PARENTHETICAL else f"INVENTED holding ({name} "
    assert clauses.signal_before(before, len(before)) == name
    assert infer_signal(before + REF_MARK + ".") == name


@pytest.mark.parametrize("written, name", [("See, e. g.,", "see, e.g."), ("see e.g.", "see, e.g."), ("E. g.,", "e.g."),
                                           ("See also,", "see also"), ("But cf.", "but cf.")])
def test_spellings_of_one_signal_are_one_signal(written: str, name: str) -> None:
    assert signals.canonical_signal(written) == name
    assert clauses.signal_before(f"INVENTED. {written} ", len(f"INVENTED. {written} ")) == name


def test_the_lexicon_weighs_only_signals_the_readers_can_report() -> None:
    assert set(default_lexicon().signals) <= set(SIGNALS)


@pytest.mark.parametrize(
    "inner",
    [
        "citing Hague Convention: Text and Legal Analysis, 51 Fed. Reg. 10,494, 10,510 (Mar. 26, 1986)",
        "quoting Smith v. Jones, 100 F.3d 1, 5 (1st Cir. 1999)",
    ],
)
def test_a_string_member_after_a_citation_inside_the_previous_parenthetical_keeps_the_signal(inner: str) -> None:
    # imitates an opinion's string cite whose first member carries "(citing ...)" with a cite in it
    from citator.citations.extract import find_references

    text = (
        "Grave means serious. See Danaipour v. McLarey, 286 F.3d 1, 14 (1st Cir. 2002) "
        f"({inner}); Walsh v. Walsh, 221 F.3d 204, 218 (1st Cir. 2000)."
    )
    signals_by_case = {r.cite: r.signal for r in find_references(text, [], all_cases=True)}
    assert signals_by_case["286 F.3d 1"] == "see"
    assert signals_by_case["221 F.3d 204"] == "see"


def test_a_string_member_after_a_slip_opinion_with_blanks_keeps_the_signal() -> None:
    # imitates a 1990s First Circuit string cite: a slip opinion cited with blanks and its docket number
    from citator.citations.extract import find_references

    text = (
        "The court rejected each challenge. See id.; see also United States v. Cruz, ___ F.2d ___, ___ "
        "(1st Cir. 1992) [No. 91-1047, slip op. at 12-15]; Gerante v. Roe, 891 F.2d 364, 367 (1st Cir. 1989)."
    )
    signals_by_case = {r.cite: r.signal for r in find_references(text, [], all_cases=True)}
    assert signals_by_case["891 F.2d 364"] == "see also"


def _signals(text: str) -> dict[str, str]:
    from citator.citations.extract import find_references

    return {r.cite: r.signal for r in find_references(text, [], all_cases=True)}


@pytest.mark.parametrize("blanks", ["___ F.3d at ___", "F.3d at"])
def test_a_string_member_after_a_bracketed_slip_page_keeps_the_signal(blanks: str) -> None:
    # imitates a 1990s First Circuit string cite opening with a slip opinion whose volume and page
    # are blanks (plain text often loses the underscores) and whose slip page is in brackets
    text = (
        "A formal categorical approach applies. See DeLuca, " + blanks + " [slip op. at 5]; "
        "De Jesus v. Roe, 984 F.2d 21, 23 (1st Cir. 1993); Bell v. Doe, 966 F.2d 703, 704 (1st Cir. 1992)."
    )
    got = _signals(text)
    assert got["984 F.2d 21"] == "see" and got["966 F.2d 703"] == "see"
    # without a signal before the slip opinion the members have none
    assert _signals(text.replace("See DeLuca", "DeLuca"))["984 F.2d 21"] == "none"


def test_a_blank_reporter_before_a_westlaw_cite_keeps_the_name_and_the_signal() -> None:
    # imitates an opinion citing a decision not yet in the reporter: blanks (or nothing) where the
    # volume and page go, then its Westlaw cite; the string goes on after it
    for blanks in ("___ F.3d ___,", "F.3d", "F.3d ,"):
        text = (
            "Courts have rejected such claims. See, e.g., United States v. Santana, " + blanks + " 1993 WL 345746 "
            "(1st Cir. 1993); United States v. Barnett, 989 F.2d 546, 560 (1st Cir. 1993)."
        )
        from citator.citations.extract import find_references

        found = {r.cite: r for r in find_references(text, [], all_cases=True)}
        assert found["1993 WL 345746"].signal == "see, e.g."
        assert found["1993 WL 345746"].as_written.startswith("United States v. Santana, ")
        assert found["989 F.2d 546"].signal == "see, e.g."


def test_a_footnote_call_or_a_page_number_line_inside_a_string_keeps_the_signal() -> None:
    # imitates plain text where a footnote number sticks to the semicolon (";6") and where a page
    # break's number line ("-8-" then "8") falls between two members
    text = (
        "Such acts are not adverse. See, e.g., Reinhardt v. Roe, 595 F.3d 1126, 1133 (10th Cir. 2010);6 "
        "Noviello v. City of Boston, 398 F.3d 76, 88 (1st Cir. 2005). Others agree. See also Barnett v. Doe, "
        "989 F.2d 546, 560 (1st Cir. 1993);\n\n                -8-\n                 8\n\n"
        "Marino v. Roe, 936 F.2d 23, 26-27 (1st Cir. 1991)."
    )
    got = _signals(text)
    assert got["398 F.3d 76"] == "see, e.g."
    assert got["936 F.2d 23"] == "see also"
    # a footnote number after a sentence's full stop ends the string
    after_stop = text.replace("(10th Cir. 2010);6 ", "(10th Cir. 2010).6 ")
    assert _signals(after_stop)["398 F.3d 76"] == "none"


def test_a_string_member_after_a_statute_member_keeps_the_signal() -> None:
    # imitates opinions opening a string with a statute: "See id. § 2401(b); Skwira ..." after a
    # statute cite, and "See 16 U.S.C. § 2621(a), (c)(1); FERC, ..." with further subsections
    text = (
        "A tort claim against the United States is barred unless presented in writing to the agency "
        "within two years. 28 U.S.C. § 2401(b). The suit was late. See id. § 2401(b); Skwira v. United "
        "States, 344 F.3d 64, 71 (1st Cir. 2003). A state need not act. See 16 U.S.C. § 2621(a), (c)(1); "
        "FERC v. Mississippi, 456 U.S. 742, 764-70 (1982)."
    )
    got = _signals(text)
    assert got["344 F.3d 64"] == "see"
    assert got["456 U.S. 742"] == "see"
    # a statute that ends a sentence ends the string: the next citation has no signal of its own
    ended = text.replace("(c)(1); FERC", "(c)(1). FERC")
    assert _signals(ended)["456 U.S. 742"] == "none"
    # nor does a statute member without a signal lend one
    assert _signals(text.replace("See 16 U.S.C.", "16 U.S.C."))["456 U.S. 742"] == "none"


@pytest.mark.parametrize("member", [
    "See, e.g., United States v. Gonzalez-Torres, F.2d , [No. 91-2140, slip op. at 2-6]; ",
    "See, e.g., United States v. Agudelo, ___ F.2d ___ (1st Cir. 1993), No. 90-1465, slip op. at 4-5 (1st Cir. Mar. 18, 1993); ",
    "See, e.g., Agudelo, F.2d at , slip op. at 4-5; ",
])
def test_members_after_a_slip_opinion_with_blank_volume_and_page_keep_the_signal(member: str) -> None:
    # imitates 1990s First Circuit string cites opening with a slip opinion cited by its docket
    # number or slip page after blanks for its volume and page (plain text loses the underscores),
    # the slip page range or the court and date left after it
    text = (
        "Dominion over the premises suffices. " + member + "Ortiz, 966 F.2d at 713-14; United States v. "
        "Batista-Polanco, 927 F.2d 14, 19 (1st Cir. 1991). The jury so found. Barnes v. Roe, 890 F.2d 545 (1st Cir. 1989)."
    )
    got = _signals(text)
    assert got["927 F.2d 14"] == "see, e.g."
    # a later sentence's citation keeps no signal
    assert got["890 F.2d 545"] == "none"
    # without a signal before the slip opinion the members have none
    assert _signals(text.replace(member, member.replace("See, e.g., ", "")))["927 F.2d 14"] == "none"


@pytest.mark.parametrize("sections", ["9(a), 301(a), 29 U.S.C. 159(a), 185(a)", "§§ 9(a), 301(a), 29 U.S.C. §§ 159(a), 185(a)"])
def test_a_string_member_after_a_statute_cited_by_its_acts_name_keeps_the_signal(sections: str) -> None:
    # imitates a 1990s First Circuit opinion citing an act by name and sections before its code
    # cite (plain text often loses the section signs), then a case in the same string
    text = (
        "He then sued his union. See Labor Management Relations Act (\"LMRA\") " + sections + "; "
        "Vaca v. Sipes, 386 U.S. 171 (1967). The union answered. Labor Management Relations Act "
        + sections + "; Hines v. Anchor Motor Freight, Inc., 424 U.S. 554 (1976)."
    )
    got = _signals(text)
    assert got["386 U.S. 171"] == "see"
    # without a signal before the act's name the member has none
    assert got["424 U.S. 554"] == "none"
