"""Structural rules of the hand-set rule baseline (classify_rules), one of the trained model's
features: passages, concessions, footnotes, the decision
under review, superseded authorities, the following sentence and page-marker clean-up.

Every passage below is INVENTED for these tests (imitating opinion style); none is quoted from a
real opinion, and the case names are only realistic-looking citation text.
"""

from __future__ import annotations

from dataclasses import replace

from citator.citations.models import Authority
from citator.citations.treatment_context import normalise_text, concessive_position, infer_signal
from citator.citations.treatment import classify_all_rules as classify_all, classify_rules as classify
from citator.citations.lexicon import REF_MARK

from tests.factories import SCOTUS_SEED, ref_at  # noqa: E402

BELOW = Authority(
    key="800 F. Supp. 10",
    name="Gamma v. Delta Univ.",
    citations=("800 F. Supp. 10",),
    court="district",
    family="gamma",
)




def test_citation_in_concessive_clause_is_relied_on_not_the_holding() -> None:
    # invented
    text = (
        'Thus, although "a trial court has broad discretion over fees," Alpha, 500 U.S. at 4, '
        "we hold that the court abused that discretion here."
    )
    ref = classify(ref_at(text, "Alpha, 500 U.S. at 4", kind="short"), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "relied_on"
    assert any("concessive clause" in e for e in ref.evidence)
    assert any("main clause after a conceded reference, ignored: 'we hold'" in e for e in ref.evidence)


def test_concessive_position_needs_a_main_clause_and_skips_participles() -> None:
    assert concessive_position(f"Although X held so, {REF_MARK}, we disagree.") is not None
    assert concessive_position(f"Although X held so. {REF_MARK}.") is None
    assert concessive_position(f"Indeed, while citing {REF_MARK}, the Court did not say so.") is None


def test_named_case_in_concession_keeps_its_own_description() -> None:
    # invented: the name is the topic of the concession, so "did not address" still describes it
    text = "Although the Court in Alpha did not address notice, its reasoning applies with equal force here."
    ref = classify(ref_at(text, "Alpha"), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "cited_neutral"


def test_bare_cite_after_conceded_gap_supports_the_main_clause() -> None:
    # invented
    text = (
        "Although the Court in Alpha did not address notice, the same concern plainly extends to it. "
        "Alpha, 500 U.S. at 9."
    )
    ref = classify(
        ref_at(text, "Alpha, 500 U.S. at 9", kind="short"),
        text,
        replace(SCOTUS_SEED, short_names=("Alpha",)),
        citing_court="ca1",
    )
    assert ref.treatment == "relied_on"


def test_footnote_without_support_is_an_aside() -> None:
    text = "The Alpha opinion listed three tests that circuits had used for standing."  # invented
    ref = classify(ref_at(text, "Alpha", in_footnote=True), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "cited_neutral"
    assert any("footnote" in e for e in ref.evidence)
    seen = classify(
        ref_at("Remote parties may sue. See Alpha, 500 U.S. at 3.", "Alpha, 500 U.S. at 3", kind="short",
               in_footnote=True, signal="see"),
        "Remote parties may sue. See Alpha, 500 U.S. at 3.",
        SCOTUS_SEED,
        citing_court="ca1",
    )
    assert seen.treatment == "relied_on"


def test_decision_under_review_findings_are_relied_on_unless_challenged() -> None:
    # invented
    accepted = "The court below found that the program lacked funding. See Gamma, 800 F. Supp. at 12."
    ref = classify(
        ref_at(accepted, "Gamma, 800 F. Supp. at 12", kind="short", key=BELOW.key, signal="see"),
        accepted,
        BELOW,
        citing_family="gamma",
        citing_court="ca1",
    )
    assert ref.treatment == "relied_on"
    challenged = accepted + " The university disagrees with that finding."
    ref = classify(
        ref_at(challenged, "Gamma, 800 F. Supp. at 12", kind="short", key=BELOW.key, signal="see"),
        challenged,
        BELOW,
        citing_family="gamma",
        citing_court="ca1",
    )
    assert ref.treatment == "cited_neutral"
    # the same words about a case from other litigation remain a report of another court's view
    other = replace(BELOW, family="other")
    ref = classify(
        ref_at(accepted, "Gamma, 800 F. Supp. at 12", kind="short", key=BELOW.key),
        accepted,
        other,
        citing_family="gamma",
        citing_court="ca1",
    )
    assert ref.treatment == "cited_neutral"


def test_superseded_authority_is_history_elsewhere_in_the_opinion() -> None:
    # invented
    text = (
        "In Alpha, the Court held that the statute reached only the funded program. "
        "Congress later overruled Alpha by statute."
    )
    refs = [ref_at(text, "Alpha"), ref_at(text, "Alpha", occurrence=1)]
    first, second = classify_all(refs, text, [SCOTUS_SEED], citing_court="ca1")
    assert second.treatment == "noted_withdrawn"
    assert first.treatment == "cited_neutral"
    assert any("no longer stands" in e for e in first.evidence)


def test_test_taken_up_in_the_following_sentence_is_followed() -> None:
    # invented
    text = (
        "The Court in Alpha considered whether the expense burdened speech. "
        "Under this analysis, a union may charge for the convention."
    )
    ref = classify(ref_at(text, "Alpha"), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "followed"
    assert any("following sentence" in e for e in ref.evidence)


def test_chain_stops_at_a_contrast_and_at_the_paragraph() -> None:
    # invented: the id. after "However, ..." does not inherit the "did not address" label
    text = (
        "The Court in Alpha did not directly address lobbying. However, the Court held that locals "
        "may charge a pro rata share of affiliate dues. Id. at 5."
    )
    refs = [ref_at(text, "Alpha"), ref_at(text, "Id. at 5", kind="id")]
    first, second = classify_all(refs, text, [SCOTUS_SEED], citing_court="ca1")
    assert first.treatment == "cited_neutral"
    assert second.treatment != "cited_neutral"
    assert not any(e.startswith("chain:") for e in second.evidence)


def test_quoting_signal_only_inside_a_parenthetical() -> None:
    assert infer_signal(f"Indeed, while citing {REF_MARK}, the Court said nothing more.") is None
    assert infer_signal(f"Beta, 1 F.3d at 2 (quoting {REF_MARK}).") == "quoting"


def test_page_markers_do_not_glue_to_words() -> None:
    assert normalise_text("-31-\n\nPrior to Alpha, courts split.") == "Prior to Alpha, courts split."
    assert normalise_text("consti-\n   tutional") == "constitutional"


def test_signal_read_past_a_case_name_outside_the_span() -> None:
    # invented: an extractor span that starts at the volume, after the case name
    assert infer_signal(f"Id. at 4 (citing Gamma v. Delta Bd. of Educ., {REF_MARK}, 9 (1977)).") == "citing"
    assert infer_signal(f"Beta, 2 U.S. at 3 (quoting Gamma, {REF_MARK}).") == "quoting"
    assert infer_signal(f"Schools may limit speech. Gamma, {REF_MARK}.") is None


def test_decision_under_review_faulted_is_never_relied_on() -> None:
    # invented: a finding the court faults or corrects in the next sentence
    faulted = "The district court erroneously found that the program lacked funding. See Gamma, 800 F. Supp. at 12."
    corrected = "The district court found that the program lacked funding. See Gamma, 800 F. Supp. at 12. We disagree."
    for text in (faulted, corrected):
        ref = classify(
            ref_at(text, "Gamma, 800 F. Supp. at 12", kind="short", key=BELOW.key, signal="see"),
            text,
            BELOW,
            citing_family="gamma",
            citing_court="ca1",
        )
        assert ref.treatment == "criticized_or_declined", (text, ref.evidence)


def test_parentheticals_read_from_the_text_after_a_short_span() -> None:
    from citator.citations.treatment_context import parentheticals_after

    # invented
    text = "Gamma v. Delta, 431 U.S. 209, 222 (1977) (Powell, J., concurring) (emphasis added). Next."
    end = text.index("431 U.S. 209") + len("431 U.S. 209")
    assert parentheticals_after(text, end) == "Powell, J., concurring | emphasis added"
    assert parentheticals_after("Gamma, 1 U.S. 2 (1999). Next.", len("Gamma, 1 U.S. 2")) is None


def test_binding_authority_cited_through_a_parenthetical_is_not_followed_by_default() -> None:
    # invented: the court relies on Beta, which quoted Alpha
    text = 'A facial challenge must fail. Beta v. Town, 3 F.3d 7, 9 (1st Cir. 2001) (quoting Alpha, 500 U.S. at 4).'
    ref = classify(ref_at(text, "Alpha, 500 U.S. at 4", kind="short"), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "relied_on"
    assert any("through another authority" in e for e in ref.evidence)


def test_identical_facts_make_the_seed_govern_and_its_facts_are_neutral() -> None:
    # invented
    same = "The bond language in Alpha was virtually identical to the language at issue here."
    ref = classify(ref_at(same, "Alpha"), same, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "followed"
    facts = "In Alpha, the lender was sued for payment on the note."
    ref = classify(ref_at(facts, "Alpha"), facts, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "cited_neutral"


def test_state_law_proposition_and_case_name_abbreviations() -> None:
    from citator.citations.windows import sentence_window

    # invented
    text = (
        "Under D.C. law, fee clauses are enforced as written. Gamma Ave. Assocs. v. 12 Main St. Coop. "
        "Ass'n, 441 A.2d 9, 12 (D.C. 1982); Alpha, 500 U.S. at 3."
    )
    start = text.index("Alpha, 500")
    window = sentence_window(text, start, start + 5)
    assert window.text.startswith("Gamma Ave. Assocs.")
    ref = classify(ref_at(text, "Alpha, 500 U.S. at 3", kind="short"), text, SCOTUS_SEED, citing_court="ca1")
    assert ref.treatment == "relied_on"
    assert any("under d.c. law" in e.lower() for e in ref.evidence)
