"""Each citation form a court uses for a seed is found, with its pin, signal and parenthetical.

All opinion snippets below are invented for these tests; they imitate how courts write but are
not quotations from real opinions.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority
from tests.factories import BERNSTEIN

NINTH = "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)"


def refs(text, seeds, **kwargs):
    found = find_references(text, seeds, **kwargs)
    for ref in found:
        assert text[ref.start : ref.end] == ref.as_written
    return found


def test_full_citation_span_pin_and_court_parenthetical():
    text = f"The panel so held. {NINTH}."
    (ref,) = refs(text, BERNSTEIN)
    assert ref.kind == "full"
    assert ref.authority_key == "bernstein-9th"
    assert ref.as_written == NINTH
    assert ref.pin_cite == "1141"
    assert ref.cite == "176 F.3d 1132"
    assert ref.signal == "none"


def test_short_cite_with_name_and_pin():
    text = f"See {NINTH}. Later the court added more. Bernstein, 176 F.3d at 1145-46."
    full, short = refs(text, BERNSTEIN)
    assert short.kind == "short"
    assert short.as_written == "Bernstein, 176 F.3d at 1145-46"
    assert short.pin_cite == "1145-46"
    assert short.authority_key == "bernstein-9th"


def test_supreme_court_style_short_cite_with_comma():
    text = f"{NINTH}. The point recurs. 176 F. 3d, at 1143."
    refs_found = refs(text, BERNSTEIN)
    assert [r.kind for r in refs_found] == ["full", "short"]
    assert refs_found[1].pin_cite == "1143"


def test_id_carries_to_the_preceding_authority():
    text = f"{NINTH}. Source code is expressive. Id. at 1142. It is also functional. Id."
    found = refs(text, BERNSTEIN)
    assert [(r.kind, r.pin_cite) for r in found] == [("full", "1141"), ("id", "1142"), ("id", None)]
    assert all(r.authority_key == "bernstein-9th" for r in found)


def test_supra_with_pin():
    text = f"{NINTH}. Much later: Bernstein, supra, at 1144."
    found = refs(text, BERNSTEIN)
    assert found[1].kind == "supra"
    assert found[1].as_written == "Bernstein, supra, at 1144"
    assert found[1].pin_cite == "1144"


def test_name_only_references_after_a_full_cite():
    text = f"{NINTH}. In Bernstein, the Ninth Circuit held code is speech. The Bernstein court relied on Freedman."
    found = refs(text, BERNSTEIN)
    names = [r for r in found if r.kind == "name_only"]
    assert [r.as_written for r in names] == ["Bernstein", "Bernstein"]
    assert all(r.authority_key == "bernstein-9th" and not r.ambiguous for r in names)
    assert names[0].sentence == "In Bernstein, the Ninth Circuit held code is speech."


def test_possessive_name_span_stops_before_apostrophe_s():
    text = f"{NINTH}. Bernstein's reasoning was broad."
    name = refs(text, BERNSTEIN)[-1]
    assert name.kind == "name_only"
    assert name.as_written == "Bernstein"


def test_bracketed_name_inside_a_quotation():
    # Invented authority and quotation, in the shape of a Supreme Court syllabus.
    bakke = Authority(key="bakke", name="Regents of Univ. of Cal. v. Bakke", citations=("438 U.S. 265",))
    text = (
        "Regents of Univ. of Cal. v. Bakke, 438 U. S. 265 (1978). Later: “the opinion in [Bakke] "
        "rules out a quota.”"
    )
    found = refs(text, [bakke])
    assert [r.as_written for r in found] == [
        "Regents of Univ. of Cal. v. Bakke, 438 U. S. 265 (1978)",
        "Bakke",
    ]


def test_nickname_points_to_its_own_decision():
    text = "Bernstein II held the licensing scheme a prior restraint, and Bernstein IV affirmed."
    found = refs(text, BERNSTEIN)
    assert [(r.as_written, r.authority_key) for r in found] == [
        ("Bernstein II", "bernstein-2"),
        ("Bernstein IV", "bernstein-9th"),
    ]


def test_parallel_citations_are_one_reference():
    # Invented parallel cite set for a real-looking Supreme Court case.
    seed = Authority(
        key="bakke", name="Regents of Univ. of Cal. v. Bakke", citations=("438 U.S. 265", "98 S. Ct. 2733")
    )
    text = "See Regents of Univ. of Cal. v. Bakke, 438 U.S. 265, 98 S. Ct. 2733, 57 L. Ed. 2d 750 (1978)."
    (ref,) = refs(text, [seed])
    assert ref.kind == "parallel"
    assert ref.as_written.endswith("57 L. Ed. 2d 750 (1978)")
    assert ref.signal == "see"


def test_westlaw_cite_resolves_through_all_reporter_citations():
    # Invented Westlaw number; the seed lists it among its citations.
    seed = Authority(key="bender", name="FDIC v. Bender", citations=("1997 WL 582901",))
    text = (
        "FDIC v. Bender, 1997 WL 582901, *3 (D.C. Cir. Sept. 23, 1997). Later, Bender, 1997 WL 582901 at *5."
    )
    full, short = refs(text, [seed])
    assert (full.kind, full.pin_cite) == ("full", "*3")
    assert (short.kind, short.pin_cite, short.as_written) == ("short", "*5", "Bender, 1997 WL 582901 at *5")


def test_subsequent_history_is_recorded_and_its_seed_cite_is_its_own_reference():
    text = (
        "See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999), "
        "reh'g en banc granted, opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999)."
    )
    first, second = refs(text, BERNSTEIN)
    assert (
        first.subsequent_history == "reh'g en banc granted, opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999)"
    )
    assert first.signal == "see"
    assert (second.kind, second.authority_key, second.signal) == (
        "full",
        "bernstein-9th-enbanc-order",
        "none",
    )


def test_signals_and_string_cite_members_inherit_the_opening_signal():
    text = (
        "See, e.g., Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996); "
        "Bernstein v. U.S. Dep't of State, 945 F. Supp. 1279, 1289 (N.D. Cal. 1996); see also "
        f"{NINTH}. Cf. Bernstein, 922 F. Supp. at 1430."
    )
    found = refs(text, BERNSTEIN)
    assert [r.signal for r in found] == ["see, e.g.", "see, e.g.", "see also", "cf."]


def test_quoting_and_citing_parentheticals():
    text = (
        "Karn v. U.S. Dep't of State, 925 F. Supp. 1, 10 (D.D.C. 1996) (quoting Bernstein v. U.S. "
        "Dep't of State, 922 F. Supp. 1426, 1434 (N.D. Cal. 1996)); Junger v. Daley, 209 F.3d 481, "
        "484 (6th Cir. 2000) (citing Bernstein, 922 F. Supp. at 1436)."
    )
    found = refs(text, BERNSTEIN)
    assert [(r.kind, r.signal) for r in found] == [("full", "quoting"), ("short", "citing")]


def test_parentheticals_are_collapsed_and_joined():
    seed = Authority(key="bakke", name="Regents of Univ. of Cal. v. Bakke", citations=("438 U.S. 265",))
    text = (
        "Regents of Univ. of Cal. v. Bakke, 438 U. S. 265 (1978). Then: Bakke, 438 U. S., at 305 "
        "(opinion of\n  Powell, J.) (internal quotation marks omitted)."
    )
    short = refs(text, [seed])[1]
    assert short.parenthetical == "opinion of Powell, J. | internal quotation marks omitted"


def test_pin_forms_are_normalized():
    seed = Authority(key="gratz", name="Gratz v. Bollinger", citations=("539 U.S. 244",))
    text = (
        "Gratz v. Bollinger, 539 U. S. 244 (2003). Gratz, 539 U. S., at 303–304, n. 10. "
        "Gratz, 539 U.S. at 272–\n275, 315. Gratz, 539 U.S. at 305 & n.11."
    )
    pins = [r.pin_cite for r in refs(text, [seed])[1:]]
    assert pins == ["303–304, n. 10", "272–275, 315", "305 & n.11"]


def test_reference_in_a_plain_text_footnote_is_flagged():
    # Invented page layout: body text, a rule line, a numbered note, the page number.
    text = (
        f"The court agreed with the district court.1 {NINTH}.\n"
        "------------\n"
        "  1 Contra Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996).\n"
        "\n"
        "                                   4\n"
        "\f Further body text follows here.\n"
    )
    found = refs(text, BERNSTEIN)
    flags = {r.authority_key: r.in_footnote for r in found}
    assert flags == {"bernstein-9th": False, "bernstein-1": True}
    assert [r.signal for r in found if r.authority_key == "bernstein-1"] == ["contra"]


def test_opinion_parts_follow_the_given_layout():
    text = f"{NINTH}. The majority is right.\n\nNELSON, J., dissenting. I read Bernstein differently."
    cut = text.index("NELSON")
    found = refs(text, BERNSTEIN, opinion_parts=[(0, "majority"), (cut, "dissent")])
    assert [r.opinion_part for r in found] == ["majority", "dissent"]


def test_all_mode_reports_any_case_with_its_cite():
    text = f"{NINTH}; Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000). Junger, 209 F.3d at 484."
    found = refs(text, BERNSTEIN, all_cases=True)
    other = [r for r in found if r.authority_key is None]
    assert [(r.kind, r.cite) for r in other] == [("full", "209 F.3d 481"), ("short", "209 F.3d 481")]
    seeds_only = refs(text, BERNSTEIN)
    assert [r.authority_key for r in seeds_only] == ["bernstein-9th"]


def test_compare_with_members_share_the_signal():
    text = (
        "Compare Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996), with "
        "Bernstein v. U.S. Dep't of State, 974 F. Supp. 1288, 1305 (N.D. Cal. 1997)."
    )
    assert [r.signal for r in refs(text, BERNSTEIN)] == ["compare", "compare"]


def test_supra_note_form_keeps_its_pin():
    text = f"{NINTH}. As noted, Bernstein, supra note 3, at 1143."
    supra = refs(text, BERNSTEIN)[-1]
    assert (supra.kind, supra.pin_cite) == ("supra", "1143")


def test_state_as_first_party_gives_the_other_party_as_short_name():
    johnson = Authority(key="johnson", name="Texas v. Johnson", citations=("491 U.S. 397",))
    text = "Texas v. Johnson, 491 U.S. 397, 404 (1989). Johnson was decided on expressive conduct grounds."
    found = refs(text, [johnson])
    assert [(r.kind, r.as_written) for r in found] == [
        ("full", "Texas v. Johnson, 491 U.S. 397, 404 (1989)"),
        ("name_only", "Johnson"),
    ]


THOMAS = Authority(key="thomas", name="Thomas v. Hogan", citations=("2008 WL 4793739",), short_names=("Thomas",))


def test_docket_number_between_name_and_westlaw_cite_stays_in_one_full_citation():
    # imitates how opinions cite unreported decisions by docket number and Westlaw, also inside a
    # quotation with the docket bracketed and with the docket broken at a hyphen by a line break
    text = (
        "The district court adopted Thomas v. Hogan, No. 1:08-CV-0417, 2008 WL 4793739 (M.D. Pa. Oct. 31, 2008). "
        "It wrote: \"I find Thomas v. Hogan, [No. 1:08-CV-0417,] 2008 WL 4793739 (M.D. Pa. Oct. 31, 2008), "
        "persuasive.\" See also Thomas v. Hogan, No. 1:08-\nCV-0417, 2008 WL 4793739, at *3 (M.D. Pa. Oct. 31, 2008). "
        "Later: Thomas, 2008 WL 4793739, at *4."
    )
    found = refs(text, [THOMAS])
    assert [(r.kind, r.pin_cite, r.signal) for r in found] == [
        ("full", None, "none"), ("full", None, "none"), ("full", "*3", "see also"), ("short", "*4", "none")
    ]
    assert found[0].as_written == "Thomas v. Hogan, No. 1:08-CV-0417, 2008 WL 4793739 (M.D. Pa. Oct. 31, 2008)"
    assert found[1].as_written.startswith("Thomas v. Hogan, [No. 1:08-CV-0417,] 2008 WL")
    assert found[2].as_written.startswith("Thomas v. Hogan, No. 1:08-\nCV-0417, 2008 WL 4793739, at *3")


def test_a_union_local_number_is_no_docket_number():
    # "Local No. 1" holds no hyphen or colon: it stays part of the name it is in
    local = Authority(key="local", name="Smith v. Teamsters Local No. 1", citations=("2009 WL 1234567",),
                      short_names=("Smith",))
    text = "See Smith v. Teamsters Local No. 1, 2009 WL 1234567 (D. Mass. Jan. 5, 2009)."
    (ref,) = refs(text, [local])
    assert ref.as_written == "Smith v. Teamsters Local No. 1, 2009 WL 1234567 (D. Mass. Jan. 5, 2009)"


def test_a_pages_centred_number_after_a_pin_is_no_range():
    # imitates a 1990s plain-text opinion whose page ends inside a citation: the page's number
    # ("-8-", then again as "8") stands between the pin and the court parenthetical
    seed = Authority(key="petrozziello", name="United States v. Petrozziello", citations=("548 F.2d 20",))
    text = (
        'The statement furthered the conspiracy." United States v. Petrozziello, 548 F.2d 20, 23\n'
        "                                           \n\n"
        "                            -8-\n"
        "                             8\n\n"
        "(1st  Cir.   1977).  See also Petrozziello, 548 F.2d at 22-23."
    )
    assert [(r.kind, r.pin_cite) for r in refs(text, [seed])] == [("full", "23"), ("short", "22-23")]


def test_a_short_cite_without_its_reporter_is_read_by_the_named_cases_volume():
    # imitates an opinion that drops the reporter from a short cite ("Allen, 967 at 699")
    seed = Authority(key="allen", name="Allen v. Adage, Inc.", citations=("967 F.2d 695",))
    text = (
        "We review de novo. Allen v. Adage, Inc., 967 F.2d 695, 699 (1st Cir. 1992). Ambiguity is "
        "not construed against the drafter. Allen, 967 at 699, 701-02. Nor is Allen, 968 at 3, ours."
    )
    found = [(r.kind, r.pin_cite, r.as_written) for r in refs(text, [seed])]
    assert found == [
        ("full", "699", "Allen v. Adage, Inc., 967 F.2d 695, 699 (1st Cir. 1992)"),
        ("short", "699, 701-02", "Allen, 967 at 699, 701-02"),
        ("name_only", None, "Allen"),
    ]


def test_a_short_cite_whose_name_lost_its_comma_keeps_the_name_and_the_string_signal():
    # imitates opinions that leave out the comma after a short cite's one-word name
    # ("See Swain 542 F.2d at 369-70; Indian Lookout ...", "Compare Goldman 563 F.2d at 504-05")
    from citator.citations.extract import find_references

    text = (
        "The task is to assess termini. See Swain v. Brinegar, 542 F.2d 364, 369 (7th Cir. 1976). Those "
        "purposes apply here. See Swain 542 F.2d at 369-70; Indian Lookout Alliance v. Volpe, 484 F.2d 11, "
        "19-20 (8th Cir. 1973). The Court 542 F.2d at 370 is no name; nor is In 542 F.2d at 371."
    )
    refs = {r.as_written: r for r in find_references(text, [], all_cases=True)}
    short = refs["Swain 542 F.2d at 369-70"]
    assert (short.kind, short.pin_cite, short.signal) == ("short", "369-70", "see")
    assert refs["Indian Lookout Alliance v. Volpe, 484 F.2d 11, 19-20 (8th Cir. 1973)"].signal == "see"
    # a word after prose, or a prose word, is not taken for the name
    assert "542 F.2d at 370" in refs and "542 F.2d at 371" in refs


def test_a_year_a_short_cite_repeats_is_its_date_not_a_parenthetical():
    # imitates opinions repeating the decision's year after a short cite, before its explanation
    chevron = Authority(key="chevron", name="Chevron U.S.A., Inc. v. Natural Resources Defense Council, Inc.",
                        citations=("467 U.S. 837",))
    text = (
        "See Chevron U.S.A., Inc. v. Natural Resources Defense Council, Inc., 467 U.S. 837, 843 (1984). "
        "The Secretary decides. See Chevron, 467 U.S. at 844 (1984) (citing United States v. Shimer, "
        "367 U.S. 374, 382 (1961)). Congress spoke. Chevron, 467 U.S. at 842 (noting the year 1984 "
        "in passing)."
    )
    found = {r.pin_cite: r for r in refs(text, [chevron])}
    assert found["844"].as_written == "Chevron, 467 U.S. at 844 (1984)"
    assert found["844"].parenthetical == "citing United States v. Shimer, 367 U.S. 374, 382 (1961)"
    # a parenthetical that only mentions a year is still an explanation
    assert found["842"].as_written == "Chevron, 467 U.S. at 842"
    assert found["842"].parenthetical == "noting the year 1984 in passing"


def test_a_supra_that_repeats_the_volume_is_one_pinned_reference():
    # imitates a court naming an earlier appeal as supra and repeating its volume before the pin
    text = (
        f"{NINTH}. These claims were rejected on direct appeal. Bernstein, supra, 176 F.3d at "
        "1144 (Count II), 1145 (Count III). The district court, of the same view. Cf. "
        "Bernstein, supra, 176 F.3d at 1146."
    )
    full, first, second = refs(text, BERNSTEIN)
    assert (first.kind, first.as_written, first.pin_cite) == ("supra", "Bernstein, supra, 176 F.3d at 1144", "1144")
    assert first.parenthetical == "Count II"
    assert (second.as_written, second.pin_cite, second.signal) == ("Bernstein, supra, 176 F.3d at 1146", "1146", "cf.")


def test_a_short_cite_after_a_pinned_supra_stays_its_own_reference():
    # imitates a string where a supra with its own pin is followed by another short cite
    text = f"{NINTH}. Much later: Bernstein, supra, at 1144; 176 F.3d at 1150."
    kinds = [(r.kind, r.pin_cite) for r in refs(text, BERNSTEIN)]
    assert kinds == [("full", "1141"), ("supra", "1144"), ("short", "1150")]
