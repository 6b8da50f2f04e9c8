"""Case names as a careful reader reads them: corporate suffixes after a comma belong to the name,
"In re" opens one, and a page break inside a name does not cut it.

The passages are invented for these tests (they imitate how opinions cite); the reporter cites
are real ones.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority

THOMASSON = Authority(key="thomasson", name="Thomasson v. AmSouth Bank, N.A.", citations=("59 B.R. 997",))
CONTINENTAL = Authority(key="continental", name="In re Continental Airlines, Inc.", citations=("133 B.R. 585",))


def test_name_keeps_a_corporate_suffix_after_a_comma():
    text = "See Thomasson v. AmSouth Bank, N.A., 59 B.R. 997, 999 (N.D. Ala. 1986) (so holding)."
    refs = find_references(text, [THOMASSON])
    assert [(r.kind, r.as_written.split(",")[0]) for r in refs] == [("full", "Thomasson v. AmSouth Bank")]
    assert refs[0].as_written.startswith("Thomasson v. AmSouth Bank, N.A., 59 B.R. 997")


def test_in_re_name_with_a_suffix_is_one_short_cite_not_a_name_plus_a_cite():
    text = (
        "In re Continental Airlines, Inc., 133 B.R. 585 (Bankr. D. Del. 1991). The debtor paid "
        "later. In re Continental Airlines, Inc., 133 B.R. at 588."
    )
    refs = find_references(text, [CONTINENTAL])
    assert [(r.kind, r.as_written) for r in refs] == [
        ("full", "In re Continental Airlines, Inc., 133 B.R. 585 (Bankr. D. Del. 1991)"),
        ("short", "In re Continental Airlines, Inc., 133 B.R. at 588"),
    ]


def test_prose_word_before_in_re_is_not_part_of_the_name():
    text = "Doe v. Roe, 133 B.R. 585 (1991). Later In re Roe, 133 B.R. at 590, said the same."
    refs = find_references(text, [], all_cases=True)
    assert refs[-1].as_written == "In re Roe, 133 B.R. at 590"


def test_comma_before_a_name_word_still_ends_a_name():
    text = "Later, Bender, 1997 WL 582901, at *2 (S.D.N.Y. 1997), held otherwise."
    seed = Authority(key="bender", name="FDIC v. Bender", citations=("1997 WL 582901",))
    refs = find_references(text, [seed])
    assert refs[0].as_written.startswith("Bender, 1997 WL 582901")


def test_name_with_several_bluebook_abbreviations_in_a_row_is_read_whole():
    # "Fed. Pac. Elec. Co.": each abbreviation ends in a period and none ends the sentence
    text = (
        "The statute reaches only improvements. See Dighton v. Fed. Pac. Elec. Co., 506 N.E.2d 509, "
        "516 (Mass. 1987); Pease v. State Farm Mut. Auto. Ins. Co., 931 F.2d 1 (1st Cir. 1991)."
    )
    refs = find_references(text, [], all_cases=True)
    assert [r.as_written.split(", ")[0] for r in refs] == [
        "Dighton v. Fed. Pac. Elec. Co.",
        "Pease v. State Farm Mut. Auto. Ins. Co.",
    ]


def test_in_re_name_with_a_suffix_and_a_litigation_label_is_read_whole():
    text = "See In re Carter-Wallace, Inc., Sec. Litig., 220 F.3d 36, 42 (2d Cir. 2000)."
    refs = find_references(text, [], all_cases=True)
    assert refs[0].as_written.startswith("In re Carter-Wallace, Inc., Sec. Litig., 220 F.3d 36")


def _all(text: str) -> list[tuple[str, str, str]]:
    return [(r.kind, r.as_written, r.signal) for r in find_references(text, [], all_cases=True)]


def test_in_rem_names_keep_the_money_or_the_counted_property():
    # imitates a forfeiture opinion: cases named after what was seized
    text = (
        "The rule is unclear. See United States v. $38,570 U.S. Currency, 950 F.2d 1108, 1114 (5th Cir. "
        "1992); see also United States v. United States Currency Totalling $3,817.49, 826 F.2d 785, 786 "
        "(8th Cir. 1987) (assuming so); cf. United States v. 1 Street A-1, 885 F.2d 994, 1001 (1st Cir. "
        "1989). Later: see also 1 Street A-1, 885 F.2d at 998 (applying Rule 4); $38,570 U.S. Currency, "
        "950 F.2d at 1113; see United States v. $38,000.00 in U.S. Currency, 816 F.2d 1538, 1545 (11th Cir. 1987)."
    )
    assert _all(text) == [
        ("full", "United States v. $38,570 U.S. Currency, 950 F.2d 1108, 1114 (5th Cir. 1992)", "see"),
        ("full", "United States v. United States Currency Totalling $3,817.49, 826 F.2d 785, 786 (8th Cir. 1987)", "see also"),
        ("full", "United States v. 1 Street A-1, 885 F.2d 994, 1001 (1st Cir. 1989)", "cf."),
        ("short", "1 Street A-1, 885 F.2d at 998", "see also"),
        ("short", "$38,570 U.S. Currency, 950 F.2d at 1113", "see also"),
        ("full", "United States v. $38,000.00 in U.S. Currency, 816 F.2d 1538, 1545 (11th Cir. 1987)", "see"),
    ]


def test_a_number_before_a_name_is_still_a_footnote_number_or_a_parallel_page():
    # a footnote's number before its first citation, and a parallel cite after a page
    text = (
        "Bakke v. Regents, 438 U.S. 265, 98 S. Ct. 2733 (1978).\n"
        "1 Accord Bernstein v. United States, 176 F.3d 1132 (9th Cir. 1999); Fitzgerald v. Pan American "
        "World Airways, Inc., 2 Cir., 229 F.2d 499."
    )
    names = [r.as_written.split(",")[0] for r in find_references(text, [], all_cases=True)]
    assert names[:2] == ["Bakke v. Regents", "Bernstein v. United States"]
    assert "2 Cir." not in " ".join(r.as_written for r in find_references(text, [], all_cases=True))


def test_a_capitalised_signal_after_a_sentence_ending_in_an_initial_opens_the_citation():
    # "Rule C." ends a sentence but reads like an initial
    text = "The claimant ignored Rule C. See United States v. Doe, 18 F.3d 41, 44 (1st Cir. 1994)."
    assert [(r.as_written, r.signal) for r in find_references(text, [], all_cases=True)] == [
        ("United States v. Doe, 18 F.3d 41, 44 (1st Cir. 1994)", "see"),
    ]


def test_an_ampersand_and_a_union_local_number_stay_inside_a_name_but_and_still_joins_two():
    # imitates how opinions cite railroads, firms and union locals, and how prose joins two names
    text = (
        "Retaliation is broader. Burlington N. & Santa Fe Ry. Co. v. White, 548 U.S. 53, 64 (2006); "
        "Gastronomical Workers Union Local 610 & Metro. Hotel Ass'n Pension Fund v. Dorado Beach Hotel Corp., "
        "617 F.3d 54, 60 (1st Cir. 2010). We read Grutter and Regents of Univ. of Cal. v. Bakke, 438 U.S. 265 "
        "(1978), together."
    )
    names = [r.as_written.split(", 5")[0].split(", 6")[0].split(", 4")[0] for r in find_references(text, [], all_cases=True)]
    assert names == [
        "Burlington N. & Santa Fe Ry. Co. v. White",
        "Gastronomical Workers Union Local 610 & Metro. Hotel Ass'n Pension Fund v. Dorado Beach Hotel Corp.",
        "Regents of Univ. of Cal. v. Bakke",
    ]


def test_a_name_inside_brackets_or_quotation_marks_starts_at_its_first_word():
    # imitates a court quoting the decision below, which cited a case in brackets, and an erratum
    # that quotes the cite it replaces
    text = (
        "The court found an inequity. See [Rivera v. Doe, 994 F.2d 942, 947 (1st Cir. 1993)]; cf. Edgmon v. "
        'Roe, 952 F.2d 1206, 1214 (10th Cir. 1991). On page 22, replace "Bell v. Doe, 966 F.2d 703, 704 (1st Cir. 1992)".'
    )
    found = [(r.as_written.split(",")[0], r.signal) for r in find_references(text, [], all_cases=True)]
    assert found == [("Rivera v. Doe", "see"), ("Edgmon v. Roe", "cf."), ("Bell v. Doe", "none")]


RIVERA_IV = Authority(key="rivera-iv", name="Rivera-Santos v. Ortiz-Vega", citations=("447 F.3d 115",))
RIVERA_V = Authority(key="rivera-v", name="Rivera-Santos v. Ortiz-Vega", citations=("524 F. Supp. 2d 150",))


def test_labels_a_court_gives_decisions_of_one_litigation_tell_them_apart():
    # imitates an opinion in a long litigation that labels each earlier decision with a numeral
    text = (
        "See Rivera-Santos v. Ortiz-Vega (Rivera-Santos IV), 447 F.3d 115 (1st Cir. 2006). On remand "
        "the court ruled again. See Rivera-Santos v. Ortiz-Vega, 524 F. Supp. 2d 150, 154 (D.P.R. 2007) "
        "(Rivera-Santos V). Earlier it had refused. See Rivera-Santos v. Ortiz-Vega (Rivera-Santos I), "
        "No. 01-1445 (D.P.R. Aug. 16, 2002). See also Rivera-Santos v. Ortiz-Vega (Rivera-Santos III), "
        "275 F. Supp. 2d 162, 164 (D.P.R. 2003). The law was unclear, see Rivera-Santos III, 275 F. Supp. "
        "2d at 166, and Rivera-Santos V later held otherwise. See Rivera-Santos IV, 447 F.3d at 121."
    )
    found = [(r.kind, r.authority_key, r.signal, text[r.start : r.end]) for r in find_references(text, [RIVERA_IV, RIVERA_V])]
    assert found == [
        ("full", "rivera-iv", "see", "Rivera-Santos v. Ortiz-Vega (Rivera-Santos IV), 447 F.3d 115 (1st Cir. 2006)"),
        ("full", "rivera-v", "see", "Rivera-Santos v. Ortiz-Vega, 524 F. Supp. 2d 150, 154 (D.P.R. 2007)"),
        ("name_only", "rivera-v", "none", "Rivera-Santos V"),
        ("short", "rivera-iv", "see", "Rivera-Santos IV, 447 F.3d at 121"),
    ]


LANGTON = Authority(key="langton", name="Langton v. Johnston", citations=("928 F.2d 1206",))


def test_a_name_ending_a_note_before_a_note_citing_an_article_is_still_the_decision():
    # imitates a 1990s plain-text opinion whose footnotes run together, each note's number glued
    # to its first word: the article cited in the next note is no title the name belongs to
    text = (
        "The Center has long been litigated. See Langton v. Johnston, 928 F.2d 1206 (1st Cir. 1991).\n"
        "     4A detailed history is in the unpublished decision which this court in Langton affirmed.\n"
        "     5See Stefan, Leaving Civil Rights to the Experts, 102 Yale L.J. 639, 686 (1992). But "
        "Langton Revisited, 99 Harv. L. Rev. 1 (1990), says more."
    )
    found = [r.start for r in find_references(text, [LANGTON]) if r.kind == "name_only"]
    assert found == [text.index("Langton affirmed")]


def test_names_with_abbreviations_courts_write_beside_the_bluebooks_are_read_whole():
    # imitates opinions citing an agency case with "Reg." and a commission with "Pub. Utils."
    arc = Authority(key="arc", name="National Wildlife Fed. v. Appalachian Reg. Comm'n", citations=("677 F.2d 883",))
    puc = Authority(key="puc", name="Bristol Energy Corp. v. New Hampshire Pub. Utils. Comm'n",
                    citations=("827 F. Supp. 81",))
    text = (
        "The cases relied on are inapposite. See Kleppe v. Sierra Club, 427 U.S. 390 (1976); National "
        "Wildlife Fed. v. Appalachian Reg. Comm'n, 677 F.2d 883 (D.C. Cir. 1981). Nor is a study required. "
        "See Appalachian Reg. Comm'n, 677 F.2d at 888. The court below agreed. Bristol Energy Corp. v. New "
        "Hampshire Pub. Utils. Comm'n, 827 F. Supp. 81, 83 (D.N.H. 1993). The study was mandated. Reg. "
        "Sess. Laws were silent. Appalachian Reg. Comm'n, 677 F.2d at 889."
    )
    refs = {r.as_written: r for r in find_references(text, [arc, puc])}
    assert refs["National Wildlife Fed. v. Appalachian Reg. Comm'n, 677 F.2d 883 (D.C. Cir. 1981)"].signal == "see"
    assert refs["Appalachian Reg. Comm'n, 677 F.2d at 888"].signal == "see"
    assert "Bristol Energy Corp. v. New Hampshire Pub. Utils. Comm'n, 827 F. Supp. 81, 83 (D.N.H. 1993)" in refs
    # a sentence's full stop still ends a name: "laws were silent." is not part of the next one
    assert "Appalachian Reg. Comm'n, 677 F.2d at 889" in refs


def test_a_hyphenated_name_split_by_the_line_end_still_names_its_case():
    # imitates a 1990s plain-text opinion: a short cite whose hyphenated name the line's end split
    # ("Colon-" / "Osorio"), with its reporter series misprinted (F.2d for F.3d)
    seed = Authority(key="colon", name="United States v. Colon-Osorio", citations=("10 F.3d 41",))
    text = (
        "Double jeopardy bars the door. See United States v. Colon-Osorio, 10 F.3d 41, 45-46 (1st Cir. "
        "1993). The elements are distinct. See Colon-\n\n                    \n\nOsorio, 10 F.2d at 45. "
        "A line's end after a hyphen in prose (a well-\nknown rule) joins nothing."
    )
    refs = find_references(text, [seed])
    assert [(r.kind, r.pin_cite, r.signal) for r in refs] == [("full", "45-46", "see"), ("short", "45", "see")]
    assert refs[1].as_written.startswith("Colon-") and refs[1].as_written.endswith("10 F.2d at 45")


def test_business_and_machines_and_a_dotted_department_stay_inside_a_name():
    # imitates opinions citing "Bank v. Int'l Bus. Machs. Corp." in full and short form (the short
    # form written with the whole name), a string member after it, and a department written
    # "Dep't." with a period; a sentence ending in a word like "bus." still ends
    ibm = Authority(key="ibm", name="Bank v. International Business Machines Corp.", citations=("145 F.3d 420",))
    store = Authority(key="store", name="Mosel v. Hills Department Store, Inc.", citations=("789 F.2d 251",))
    text = (
        "Interpretation is a question of law. Bank v. Int'l Bus. Machs. Corp., 145 F.3d 420, 424 (1st Cir. "
        "1998). Our review is plenary. See Bank v. Int'l Bus. Machs. Corp., 145 F.3d at 424; Mosel v. "
        "Hills Dep't. Store, Inc., 789 F.2d 251, 252 (3d Cir. 1986). She rode the school bus. Mosel, "
        "789 F.2d at 253."
    )
    refs = {r.as_written: r for r in find_references(text, [ibm, store])}
    assert refs["Bank v. Int'l Bus. Machs. Corp., 145 F.3d 420, 424 (1st Cir. 1998)"].kind == "full"
    assert refs["Bank v. Int'l Bus. Machs. Corp., 145 F.3d at 424"].signal == "see"
    assert refs["Mosel v. Hills Dep't. Store, Inc., 789 F.2d 251, 252 (3d Cir. 1986)"].signal == "see"
    assert "Mosel, 789 F.2d at 253" in refs
    assert not any(r.kind == "name_only" for r in refs.values())


def test_an_official_sued_by_title_keeps_the_body_after_the_comma_in_the_name():
    # imitates opinions citing suits against an official by title, the body after a comma, inside
    # a string citation; a comma after a title with no "v." before it still ends a name
    evans = Authority(key="evans", name="Evans v. Commissioner, Maine Department of Human Services", citations=("933 F.2d 1",))
    text = (
        "Context governs. See Conroy v. Aniskoff, 507 U.S. 511 (1993); Evans v. Commissioner, Maine "
        "Dep't of Human Servs., 933 F.2d 1, 5 (1st Cir. 1991); Baker v. Director, U.S. Parole Comm'n, "
        "916 F.2d 725, 726 (D.C. Cir. 1990). As the Commissioner, Evans, 933 F.2d at 7, is controlling."
    )
    refs = {r.as_written: r for r in find_references(text, [evans], all_cases=True)}
    assert refs["Evans v. Commissioner, Maine Dep't of Human Servs., 933 F.2d 1, 5 (1st Cir. 1991)"].signal == "see"
    assert refs["Baker v. Director, U.S. Parole Comm'n, 916 F.2d 725, 726 (D.C. Cir. 1990)"].signal == "see"
    assert "Evans, 933 F.2d at 7" in refs


def test_a_street_number_range_stays_inside_a_name_but_a_docket_number_does_not():
    # imitates opinions citing a trust and an in rem action named after street numbers, in string
    # citations, and a decision cited by docket number
    trust = Authority(key="trust", name="Fairfield 274-278 Clarendon Trust v. Dwek", citations=("970 F.2d 990",))
    text = (
        "Ambiguity is for the factfinder. See Seaco Ins. Co. v. Barbosa, 761 N.E.2d 946, 951 (Mass. 2002); "
        "see also Fairfield 274-278 Clarendon Trust v. Dwek, 970 F.2d 990, 993 (1st Cir. 1992). Intent "
        "is presumed. Fairfield 274-278 Clarendon Trust, 970 F.2d at 993. See United States v. 384-390 "
        "West Broadway, 964 F.2d 1244, 1248 (1st Cir. 1992). The Court spoke in Lewis v. City of "
        "Chicago, No. 08-974, 78 U.S.L.W. 4437 (May 24, 2010)."
    )
    refs = {r.as_written: r for r in find_references(text, [trust], all_cases=True)}
    assert refs["Fairfield 274-278 Clarendon Trust v. Dwek, 970 F.2d 990, 993 (1st Cir. 1992)"].signal == "see also"
    assert "Fairfield 274-278 Clarendon Trust, 970 F.2d at 993" in refs
    assert refs["United States v. 384-390 West Broadway, 964 F.2d 1244, 1248 (1st Cir. 1992)"].signal == "see"
    assert not any(w.startswith("No. 08-974") or w.startswith("08-974") for w in refs)


PAGE = Authority(key="page", name="Page v. Moseley, Hallgarten, Estabrook & Weeden, Inc.", citations=("806 F.2d 291",))


def test_a_firm_named_for_its_partners_keeps_its_commas_and_the_signal_before_it():
    # imitates a court citing a brokerage by its partners' names, then a string after it
    text = (
        "We review it de novo. See Page v. Moseley, Hallgarten, Estabrook & Weeden, Inc., 806 F.2d "
        "291, 294 n.2 (1st Cir. 1986); Page, 806 F.2d at 295."
    )
    full, short = find_references(text, [PAGE])
    assert full.as_written.startswith("Page v. Moseley, Hallgarten, Estabrook & Weeden, Inc., 806 F.2d")
    assert (full.signal, short.signal) == ("see", "see")


def test_a_comma_list_without_a_v_before_it_still_ends_the_name():
    # imitates prose before a short-named firm: "Later," is no partner of "Smith & Jones"
    text = "Later, Smith & Jones, Inc., 806 F.2d 291, 294 (1st Cir. 1986), said so."
    (ref,) = find_references(text, [PAGE])
    assert ref.as_written.startswith("Smith & Jones, Inc., 806 F.2d 291")


WEAVER = Authority(key="weaver", name="R.A. Weaver & Associates, Inc. v. Asphalt Construction, Inc.", citations=("587 F.2d 1315",))


def test_and_before_associates_joins_one_firm_name_and_keeps_the_string_signal():
    # imitates a string of contract cases whose last member is a firm "X and Associates"
    text = (
        "See, e.g., Empire Gas Corp. v. American Bakeries Co., 840 F.2d 1333, 1337-38 (7th Cir. 1988); "
        "R.A. Weaver and Associates, Inc. v. Asphalt Construction, Inc., 587 F.2d 1315, 1322 (D.C. Cir. 1978)."
    )
    (ref,) = find_references(text, [WEAVER])
    assert ref.as_written.startswith("R.A. Weaver and Associates, Inc. v. Asphalt")
    assert ref.signal == "see, e.g."


def test_and_between_two_case_names_still_splits_them():
    # imitates prose naming two cases joined by "and": only the second is the cite's name
    text = "Compare Grutter and Weaver v. Asphalt Construction, Inc., 587 F.2d 1315, 1322 (D.C. Cir. 1978)."
    (ref,) = find_references(text, [WEAVER])
    assert ref.as_written.startswith("Weaver v. Asphalt")
