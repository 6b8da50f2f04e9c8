"""Name-only mentions that are people or parties, not decisions (issue 14, item 6).

Every passage here is invented for the test (it imitates how opinions are written); the reporter
cites are real ones.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.citations.parties import caption_parties

SNEPP = Authority(key="snepp", name="Snepp v. United States", citations=("444 U.S. 507",))
SORRELL = Authority(key="sorrell", name="Sorrell v. IMS Health Inc.", citations=("564 U.S. 552",))
PICKERING = Authority(key="pickering", name="Pickering v. Board of Education", citations=("391 U.S. 563",))

#: an invented caption in the layout of a court of appeals' slip opinion
CAPTION = """No. 12-3456

                        FRANK W. SNEPP III,

                        Plaintiff, Appellant,

                                  v.

                     CENTRAL INTELLIGENCE AGENCY,

                        Defendant, Appellee.


          APPEAL FROM THE UNITED STATES DISTRICT COURT

                               Before

                   Smith, Jones, and Brown, Circuit Judges.

"""


def names(refs):
    return [(r.kind, r.as_written) for r in refs]


def test_caption_parties_are_read_from_the_opening():
    parties = caption_parties(" ".join(CAPTION.split()))
    assert {"snepp", "central", "intelligence", "agency"} <= parties
    assert not {"united", "states", "district", "court"} & parties


def test_the_citing_cases_own_party_is_not_a_reference_but_the_decision_is():
    text = CAPTION + (
        "The Court upheld such an agreement in Snepp v. United States, 444 U.S. 507 (1980). "
        "Snepp argues that the agency waited too long. In Snepp, the Court imposed a trust."
    )
    found = names(find_references(text, [SNEPP]))
    assert ("name_only", "Snepp") in found  # "In Snepp, the Court ..."
    assert sum(1 for kind, _ in found if kind == "name_only") == 1  # not "Snepp argues"


def test_without_a_caption_the_same_mention_is_still_read_as_the_case():
    text = (
        "The Court upheld such an agreement in Snepp v. United States, 444 U.S. 507 (1980). "
        "Snepp argues for a constructive trust over all profits."
    )
    assert sum(1 for r in find_references(text, [SNEPP]) if r.kind == "name_only") == 1


def test_a_party_named_by_its_role_is_not_a_reference():
    text = (
        "Sorrell v. IMS Health Inc., 564 U.S. 552 (2011), struck the law. See IMS Health, 564 U.S. "
        "at 566. Here plaintiff IMS Health renewed its motion. Under IMS Health, content-based "
        "burdens draw heightened scrutiny."
    )
    found = names(find_references(text, [SORRELL]))
    name_only = [w for kind, w in found if kind == "name_only"]
    assert name_only == ["IMS Health"]
    assert "Under IMS Health" in text[text.index(name_only[0]) - 6 :]


def test_a_person_with_a_first_name_and_initial_is_not_a_reference():
    text = (
        "Snepp v. United States, 444 U.S. 507 (1980), governs. As Frank W. Snepp recounts in his "
        "memoir, the agency never reviewed the manuscript."
    )
    assert [r.kind for r in find_references(text, [SNEPP])] == ["full"]


def test_a_decision_with_has_is_a_reference():
    text = (
        "Snepp v. United States, 444 U.S. 507 (1980), is not on point. Snepp has no res judicata "
        "effect in this litigation."
    )
    assert [r.kind for r in find_references(text, [SNEPP])] == ["full", "name_only"]


def test_a_title_case_heading_names_the_decision():
    text = (
        "Pickering v. Board of Education, 391 U.S. 563 (1968), supplies the test.\n\n"
        "3. The Pickering Scale\n\nThe employee's interest is weighed first."
    )
    assert [r.kind for r in find_references(text, [PICKERING])] == ["full", "name_only"]


def test_the_other_partys_name_in_a_decision_context_is_adopted():
    seed = Authority(key="violet", name="Smith v. Violet", citations=("100 F.3d 1",))
    text = (
        "See Smith v. Violet, 100 F.3d 1 (1st Cir. 1996). In Violet there was a judicial "
        "determination of the issue; here there was none."
    )
    assert [r.kind for r in find_references(text, [seed])] == ["full", "name_only"]


def test_a_party_name_numbered_as_a_decision_of_its_litigation_is_a_reference():
    text = CAPTION + (
        "We decided the first appeal in Snepp v. United States, 444 U.S. 507 (1980). Snepp argues "
        "that the trust was too broad. See Snepp II, slip op. at 10-13."
    )
    found = [r.start for r in find_references(text, [SNEPP]) if r.kind == "name_only"]
    assert found == [text.index("See Snepp II") + 4]  # not "Snepp argues"


def test_a_party_name_defined_as_a_decisions_label_is_a_reference():
    text = CAPTION + (
        'We upheld the agreement. Snepp v. United States, 444 U.S. 507, 510 (1980) (hereinafter '
        '"Snepp"). Snepp argues that the trust was too broad.'
    )
    found = [r.start for r in find_references(text, [SNEPP]) if r.kind == "name_only"]
    assert found == [text.index('"Snepp"') + 1]


def test_a_hereinafter_label_names_the_decision_it_was_defined_for():
    # invented passage; two decisions of one litigation, each given a label
    text = (
        'Smith v. Libby, 540 N.E.2d 154, 158 (Mass. 1989) (hereinafter "Libby I"). The case came '
        'back. Smith v. Libby, 580 N.E.2d 1025 (Mass. 1991) (hereinafter "Libby II"). In Libby I, '
        "the court found the instruction harmless."
    )
    refs = find_references(text, [], all_cases=True)
    used = [r for r in refs if r.kind == "name_only" and text[r.start - 3 : r.start] == "In "]
    assert [(r.as_written, r.cite) for r in used] == [("Libby I", "540 N.E.2d 154")]


def test_a_label_defined_for_a_slip_opinion_is_not_given_to_a_case_of_the_same_name():
    # invented passage: "Libby III" is a slip opinion, not the reported Libby decision
    text = (
        "Smith v. Libby, 580 N.E.2d 1025 (Mass. 1991). The petition followed. See Libby v. Duval, "
        'No. 86-2187, slip op. at 8-9 (D. Mass. Apr. 20, 1993) (hereinafter "Libby III"). The jury '
        "was misinstructed. See Libby III, slip op. at 10-13."
    )
    refs = find_references(text, [], all_cases=True)
    assert not [r for r in refs if r.kind == "name_only" and text[r.start : r.start + 9] == "Libby III"]


HOSSAIN = Authority(key="hossain", name="Hossain v. Gonzales", citations=("381 F.3d 29",))


def test_a_party_that_requests_argues_or_waives_is_a_person_not_the_decision():
    # imitates an opinion retelling a precedent's facts: the precedent is named, then its petitioner
    text = (
        "See Hossain v. Gonzales, 381 F.3d 29, 31-32 (1st Cir. 2004). In Hossain, the BIA mailed the "
        "schedule to the wrong address. 381 F.3d at 30. On his notice of appeal, Hossain requested the "
        "opportunity to file a brief, and at argument Hossain conceded the point. Hossain controls here."
    )
    found = [(r.kind, r.as_written, r.start) for r in find_references(text, [HOSSAIN]) if r.kind == "name_only"]
    assert [start for _k, _w, start in found] == [text.index("In Hossain") + 3, text.index("Hossain controls")]


JACKSON_2010 = Authority(key="jackson", name="United States v. Jackson", citations=("608 F.3d 100",))


def test_a_full_name_cited_after_a_block_quote_by_another_reporter_cite_is_that_decision():
    # imitates an opinion quoting an earlier decision of the same name, then citing the later one
    text = (
        "In United States v. Jackson, we explained that,\n\n"
        "     An earlier, simple failure to administer the warnings does not taint the later process.\n\n"
        "544 F.3d 351, 360 (1st Cir. 2008). On remand we held the statement admissible. United States "
        "v. Jackson, 608 F.3d 100, 104 (1st Cir. 2010). We follow Jackson here."
    )
    found = [(r.kind, r.start) for r in find_references(text, [JACKSON_2010])]
    assert found == [("full", text.index("United States v. Jackson, 608")), ("name_only", text.index("Jackson here"))]


def test_the_sentence_before_a_cases_first_citation_may_name_it():
    # imitates an opinion that names a precedent at the end of a sentence and cites it right after
    text = (
        "The question is open. When we recently considered Jackson again, the statement at issue in "
        "Jackson was admissible. United States v. Jackson, 608 F.3d 100, 104 (1st Cir. 2010). Earlier, "
        "far before, nothing. We follow Jackson."
    )
    early = "Long before, Jackson was a name in another sentence. The question is open. " + text
    found = [r.start for r in find_references(text, [JACKSON_2010]) if r.kind == "name_only"]
    assert found == [text.index("Jackson again"), text.index("Jackson was"), text.index("Jackson.")]
    # only the sentence right before the citation is read back, not the paragraph
    found_early = [r.start for r in find_references(early, [JACKSON_2010]) if r.kind == "name_only"]
    assert early.index("Jackson was a name") not in found_early


ALAN = Authority(key="alan", name="Alan Corp. v. International Surplus Lines Ins. Co.", citations=("823 F. Supp. 33",))


def test_the_citing_cases_own_corporate_party_is_a_party_however_its_suffix_is_written():
    # the invented caption above with other parties; the decision below shares the party's name
    caption = CAPTION.replace("FRANK W. SNEPP III", "THE ALAN CORPORATION").replace(
        "CENTRAL INTELLIGENCE AGENCY", "INTERNATIONAL SURPLUS LINES INSURANCE COMPANY"
    )
    text = caption + (
        "The district court granted summary judgment. Alan Corp. v. International Surplus Lines Ins. Co., "
        "823 F. Supp. 33 (D. Mass. 1993). It read the policy. See Alan Corp., 823 F. Supp. at 40. "
        "Alan Corp. appeals. Alan Corp. hired a consultant."
    )
    assert [r.kind for r in find_references(text, [], all_cases=True)] == ["full", "short"]


BRANSTAD = Authority(key="branstad", name="Puerto Rico v. Branstad", citations=("483 U.S. 219",))


def test_a_court_named_after_its_place_is_not_the_case_named_after_it():
    # imitates an opinion that cites a case named after the Commonwealth and names its court
    text = (
        "Extradition is mandatory. See Puerto Rico v. Branstad, 483 U.S. 219, 227 (1987). Later the "
        "Supreme Court of Puerto Rico agreed, and Puerto Rico controls here."
    )
    found = [r.start for r in find_references(text, [BRANSTAD]) if r.kind == "name_only"]
    assert found == [text.index("Puerto Rico controls")]


WEIKERT = Authority(key="weikert", name="United States v. Weikert", citations=("504 F.3d 1",))


def test_a_name_ending_a_section_heading_is_the_decision_not_a_longer_name():
    # imitates a plain-text opinion whose section heading ends with the case's name; the working
    # text joins it to the paragraph's first word ("Weikert The Fourth Amendment provides ...")
    text = (
        "We rejected that claim. United States v. Weikert, 504 F.3d 1, 3 (1st Cir. 2007).\n\n"
        "          A.   The Fourth Amendment and Weikert\n\n"
        "          The Fourth Amendment provides a right. In Weikert, we held so.\n\n"
        "     2.  During the last months the broker Weikert\n"
        "     Johnson became the seller of the goods."
    )
    names = [text[r.start : r.end] + "@" + str(r.start) for r in find_references(text, [WEIKERT]) if r.kind == "name_only"]
    assert names == [f"Weikert@{text.index('Weikert', text.index('A.   The'))}", f"Weikert@{text.index('In Weikert') + 3}"]


TAYLOR = Authority(key="taylor", name="Taylor v. United States", citations=("495 U.S. 575",))


def test_a_decision_and_its_progeny_is_the_decision_but_a_person_and_his_lawyer_is_not():
    # imitates an opinion that names a case's line of authority at the start of a sentence
    text = (
        "See Taylor v. United States, 495 U.S. 575, 600 (1990). Taylor and its progeny in no way suggest "
        "otherwise. Taylor and his lawyer left the courtroom."
    )
    found = [r.start for r in find_references(text, [TAYLOR]) if r.kind == "name_only"]
    assert found == [text.index("Taylor and its")]


KODAK = Authority(key="kodak", name="Eastman Kodak Co. v. Image Technical Servs., Inc.", citations=("504 U.S. 451",))
CHEVRON = Authority(key="chevron", name="Chevron U.S.A. Inc. v. Natural Resources Defense Council, Inc.", citations=("467 U.S. 837",))


def test_a_cited_cases_corporate_party_named_as_the_company_is_not_the_decision():
    # imitates an opinion that retells a cited antitrust decision's facts, naming the company
    # the decision is named after as well as the decision itself
    text = (
        "See Eastman Kodak Co. v. Image Technical Servs., Inc., 504 U.S. 451 (1992); Kodak, 504 U.S. at "
        "462. Kodak involved "
        "distinct products: Kodak copiers and Kodak parts. Only Kodak-copier owners bought them, and "
        "Kodak's market share was small. The Kodak analysis does not fit, and Kodak was a summary "
        "judgment case. Under Kodak, a lock-in matters. Kodak's holding is narrow."
    )
    found = [r.start for r in find_references(text, [KODAK]) if r.kind == "name_only"]
    assert found == [
        text.index("Kodak involved"),
        text.index("Kodak analysis"),
        text.index("Kodak was"),
        text.index("Kodak, a lock-in"),
        text.index("Kodak's holding"),
    ]


def test_a_decision_named_after_a_company_keeps_its_doctrine_words_and_verbs():
    # imitates an opinion on agency deference: the case's corporate name used for the doctrine
    text = (
        "See Chevron U.S.A. Inc. v. Natural Resources Defense Council, Inc., 467 U.S. 837 (1984); Chevron, "
        "467 U.S. at 842. Chevron deference applies. Chevron's second inquiry asks more. Chevron requires us to defer, "
        "and Chevron precludes application of the rule of lenity."
    )
    found = [r.start for r in find_references(text, [CHEVRON]) if r.kind == "name_only"]
    assert found == [
        text.index("Chevron deference"),
        text.index("Chevron's second"),
        text.index("Chevron requires"),
        text.index("Chevron precludes"),
    ]


def test_a_cited_cases_corporate_party_in_a_partys_place_is_the_company():
    # imitates an opinion retelling a cited decision's facts: what was done for or to the company,
    # and what the company did, name the company; the decision stays a decision
    text = (
        "See Eastman Kodak Co. v. Image Technical Servs., Inc., 504 U.S. 451 (1992); Kodak, 504 U.S. at "
        "462. The servicers sued, and the court granted summary judgment for Kodak. Copiers serviced by "
        "Kodak cost more, and nothing would cause Kodak to lose sales, though Kodak lacked power in "
        "copiers. Buyers bought parts from Kodak. The university, like Kodak, might contend otherwise. "
        "As explained by Kodak, the test is factual; under Kodak the claim fails, and Kodak requires more."
    )
    found = [r.start for r in find_references(text, [KODAK]) if r.kind == "name_only"]
    assert found == [text.index("Kodak, the test"), text.index("Kodak the claim"), text.index("Kodak requires")]


def test_a_name_owning_a_favor_or_a_behalf_is_a_party():
    # imitates an opinion whose party shares a cited decision's name
    text = (
        "See Snepp v. United States, 444 U.S. 507 (1980). The record read in Snepp's favor shows little, "
        "and counsel spoke on Snepp's behalf; in Snepp's holding the Court imposed a trust."
    )
    found = [r.start for r in find_references(text, [SNEPP]) if r.kind == "name_only"]
    assert found == [text.index("Snepp's holding")]


JACKSON_1993 = Authority(key="jackson93", name="United States v. Jackson", citations=("3 F.3d 506",))
HOSSAIN_2004 = Authority(key="hossain04", name="Hossain v. Gonzales", citations=("381 F.3d 29",))


def test_a_surname_the_opinion_gives_a_person_by_first_name_is_that_person():
    # imitates a 1990s First Circuit appeal of one defendant whose codefendant's own appeal it cites
    text = (
        "After a jury trial, appellant Juan Consoro Familia and his live-in girlfriend, Priscilla Jackson, "
        "were convicted. We affirmed the codefendant's sentence in United States v. Jackson, 3 F.3d 506 "
        "(1st Cir. 1993). He claims counsel could have shown that he and Jackson were in Puerto Rico, and "
        "that the police lied about Jackson's involvement. The facts are described in United States v. "
        "Jackson, 3 F.3d at 508. As we said in Jackson, the testimony was weak."
    )
    found = [(r.kind, r.start) for r in find_references(text, [JACKSON_1993])]
    assert found == [
        ("full", text.index("United States v. Jackson, 3 F.3d 506")),
        ("short", text.index("United States v. Jackson, 3 F.3d at")),
        ("name_only", text.index("Jackson, the testimony")),
    ]


def test_a_precedents_party_retold_after_its_name_leaves_the_decision_a_decision():
    # imitates an opinion retelling a precedent's facts, its petitioner named in full right after it
    text = (
        "See Hossain v. Gonzales, 381 F.3d 29, 31 (1st Cir. 2004). In Hossain, Mohammed Mozammel Hossain, "
        "a citizen of Bangladesh, sought relief. Thus, Hossain would appear to control on these facts."
    )
    found = [r.start for r in find_references(text, [HOSSAIN_2004]) if r.kind == "name_only"]
    assert found == [text.index("Hossain, Mohammed"), text.index("Hossain would")]


def test_a_capitalised_word_the_opinion_also_writes_in_lower_case_is_no_given_name():
    # imitates a heading run into the next sentence: "Cases" then "Although Garmon was decided"
    garmon = Authority(key="garmon", name="Garmon v. Trades Council", citations=("359 U.S. 236",))
    text = (
        "See Garmon v. Trades Council, 359 U.S. 236 (1959). 2. Preemption in RLA "
        "Cases Although Garmon was decided under another act, although not this one, Garmon governs."
    )
    found = [r.start for r in find_references(text, [garmon]) if r.kind == "name_only"]
    assert found == [text.index("Garmon was"), text.index("Garmon governs")]
