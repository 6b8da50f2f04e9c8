"""Per-reference treatment labels of the hand-set rule baseline (classify_rules), from short
passages. The baseline stays: eval scores it beside the trained model, and its verdict is one of
the model's features.

Every passage below is INVENTED for these tests (imitating opinion style); none is quoted from a
real opinion, and the case names are used only as realistic-looking citation text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citator.citations.lexicon import LexiconError, load_lexicon
from citator.citations.models import Authority, Reference
from citator.citations.treatment import classify_all_rules as classify_all, classify_rules as classify
from citator.citations.treatment_context import is_citation_only
from citator.citations.windows import sentence_window

from tests.factories import CA9_SEED, DISTRICT_SEED, SCOTUS_SEED, ref_at  # noqa: E402


def label(text: str, target: str, authority: Authority | None = SCOTUS_SEED, **kw) -> Reference:
    citing_family = kw.pop("citing_family", None)
    citing_court = kw.pop("citing_court", "ca1")
    return classify(ref_at(text, target, **kw), text, authority, citing_family=citing_family, citing_court=citing_court)


# --- each label ---------------------------------------------------------------------------------


def test_followed_binding_rule_applied() -> None:
    text = "Under Alpha, a fee is chargeable only if it is germane. We apply that test here."  # invented
    ref = label(text, "Alpha")
    assert ref.treatment == "followed"
    assert any("under <ref>" in e.lower() for e in ref.evidence)
    # empty sentence/paragraph fields are filled from the text
    assert ref.sentence == "Under Alpha, a fee is chargeable only if it is germane."
    assert ref.paragraph == text
    assert 0 < ref.confidence <= 1


def test_relied_on_see_also_signal() -> None:
    text = "Schools may limit curricular speech. See also Alpha, 500 U.S. at 7."  # invented
    ref = label(text, "Alpha, 500 U.S. at 7", kind="short", signal="see also")
    assert ref.treatment == "relied_on"
    assert "signal: see also -> relied_on (+1.2)" in ref.evidence


def test_relied_on_for_persuasive_court() -> None:
    text = "A stipulated fee is presumptively reasonable. Gamma v. Delta, 900 F.2d 5, 8 (10th Cir. 1990)."  # invented
    other = Authority(key="900 F.2d 5", name="Gamma v. Delta", citations=("900 F.2d 5",))
    ref = label(text, "Gamma v. Delta, 900 F.2d 5, 8 (10th Cir. 1990)", other, kind="full", key="900 F.2d 5")
    assert ref.treatment == "relied_on"
    assert any("ca10 does not bind ca1" in e for e in ref.evidence)


def test_cited_neutral_party_argument() -> None:
    text = "The appellant argues that, under Alpha, the charge was improper."  # invented
    ref = label(text, "Alpha")
    assert ref.treatment == "cited_neutral"
    # the "under Alpha" cue is the appellant's, not the court's
    assert any(e.startswith("reported speech") for e in ref.evidence)


def test_cited_neutral_history_agent() -> None:
    text = "Zeta v. Eta, 10 F.3d 1, 2 (1st Cir. 1993), abrogated on other grounds by Alpha, 500 U.S. at 9."  # invented
    ref = label(text, "Alpha, 500 U.S. at 9", kind="short")
    assert ref.treatment == "cited_neutral"


def test_distinguished_unlike() -> None:
    text = "Unlike the ordinance at issue in Alpha, the rule here reaches political speech."  # invented
    assert label(text, "Alpha").treatment == "distinguished"


def test_distinguished_by_negated_governs() -> None:
    text = "Alpha does not govern a teacher's classroom speech."  # invented
    ref = label(text, "Alpha")
    assert ref.treatment == "distinguished"


def test_criticized_but_see() -> None:
    text = "Source code is expressive. But see Alpha, 500 U.S. at 4."  # invented
    ref = label(text, "Alpha, 500 U.S. at 4", kind="short", signal="but see")
    assert ref.treatment == "criticized_or_declined"


def test_criticized_misunderstood() -> None:
    text = "The district court misunderstood Alpha when it treated the rule as absolute."  # invented
    assert label(text, "Alpha").treatment == "criticized_or_declined"


def test_noted_withdrawn_history_clause() -> None:
    text = (  # invented
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir.), reh'g en banc granted, "
        "opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999)."
    )
    ref = label(
        text,
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir.)",
        CA9_SEED,
        kind="full",
        key="176 F.3d 1132",
        citing_court="ca6",
    )
    assert ref.treatment == "noted_withdrawn"
    assert ref.extra["relies_on_withdrawn"] is False


def test_withdrawn_authority_cited_as_if_good_law_is_flagged() -> None:
    text = "Source code is speech. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)."  # invented
    ref = label(
        text,
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)",
        CA9_SEED,
        kind="full",
        key="176 F.3d 1132",
        citing_court="ca6",
    )
    assert ref.treatment in ("relied_on", "followed")
    assert ref.extra["relies_on_withdrawn"] is True
    assert any("relies_on_withdrawn" in e for e in ref.evidence)


# --- negation and scope --------------------------------------------------------------------------


def test_agreement_versus_negated_agreement() -> None:
    yes = "We agree with the Alpha court that the scheme is a prior restraint."  # invented
    no = "We do not agree with the Alpha court that the scheme is a prior restraint."  # invented
    assert label(yes, "Alpha").treatment in ("relied_on", "followed")
    negated = label(no, "Alpha")
    assert negated.treatment == "criticized_or_declined"
    assert any(e.startswith("negated: 'not") for e in negated.evidence)


def test_concession_is_not_distinction() -> None:
    text = (  # invented
        "While the facts in Alpha differ from those here, at least one court has applied its test to teachers."
    )
    assert label(text, "Alpha").treatment in ("relied_on", "followed")


# --- dissents, same litigation, chains ------------------------------------------------------------


def test_dissent_keeps_part_and_says_so() -> None:
    text = "The plan follows the approach endorsed in Alpha, 500 U.S. at 3."  # invented
    ref = label(text, "Alpha, 500 U.S. at 3", kind="short", opinion_part="dissent")
    assert ref.opinion_part == "dissent"
    assert ref.treatment == "followed"
    assert any("the approval is the dissent's" in e for e in ref.evidence)


def test_dissenting_parenthetical_is_persuasive_only() -> None:
    text = "Camouflage is worse than candor. Alpha, 500 U.S. at 30 (Smith, J., dissenting)."  # invented
    ref = label(text, "Alpha, 500 U.S. at 30", kind="short", parenthetical="Smith, J., dissenting")
    assert ref.treatment == "relied_on"


def test_same_litigation_marked_and_law_of_the_case() -> None:
    text = "In Bernstein I, this court held that source code is speech, and we adhere to that ruling."  # invented
    ref = label(
        text, "Bernstein I", DISTRICT_SEED, key="922 F. Supp. 1426", citing_family="bernstein", citing_court="cand"
    )
    assert any(e.startswith("same litigation (bernstein)") for e in ref.evidence)
    assert ref.treatment == "followed"


def test_chain_members_share_passage_treatment() -> None:
    text = (  # invented
        "Under Alpha, the union bears the burden of proof. Id. at 5. "
        "Unlike the regulation in Alpha, the statute here has no time limit, see Alpha, 500 U.S. at 5."
    )
    persuasive = Authority(key="500 U.S. 1", name="Alpha v. Beta", citations=("500 U.S. 1",), court="ca10")
    refs = [
        ref_at(text, "Alpha"),
        ref_at(text, "Id. at 5", kind="id"),
        ref_at(text, "Alpha", occurrence=1),
        ref_at(text, "Alpha, 500 U.S. at 5", kind="short"),
    ]
    out = classify_all(refs, text, [persuasive], citing_court="ca1")
    # without the chain the bare id. would be relied_on (a tenth-circuit case does not bind the first)
    assert out[1].treatment == "followed"
    assert any(e.startswith("chain:") for e in out[1].evidence)
    assert [r.treatment for r in out[2:]] == ["distinguished", "distinguished"]


def test_signal_inferred_when_extractor_gives_none() -> None:
    text = "Courts may look to a preamble. Cf. Alpha, 500 U.S. at 8."  # invented
    ref = label(text, "Alpha, 500 U.S. at 8", kind="short")
    assert any(e.startswith("signal: cf.") for e in ref.evidence)
    assert ref.treatment == "relied_on"


# --- windows -------------------------------------------------------------------------------------


def test_sentence_window_survives_legal_abbreviations() -> None:
    text = (  # invented
        "The Court in Regents of Univ. of Cal. v. Bakke, 438 U. S. 265, 305 (1978), and in Smith v. "
        "Jones, 12 F.3d 4, 6 n. 2 (1st Cir. 1993), so held. Id. at 7. Next sentence here."
    )
    win = sentence_window(text, text.index("Bakke"), text.index("Bakke") + 5)
    assert win.text.startswith("The Court in Regents") and win.text.endswith("so held.")
    idw = sentence_window(text, text.index("Id."), text.index("Id.") + 3)
    assert idw.text == "Id. at 7."
    assert is_citation_only("See Alpha, 500 U.S. at 3 (plurality opinion).")
    assert not is_citation_only("Under Alpha, a fee is chargeable only if germane.")


# --- lexicon as data --------------------------------------------------------------------------------


def test_lexicon_extension_file_adds_a_cue(tmp_path: Path) -> None:
    text = "The reasoning of Alpha is, with respect, unconvincing."  # invented
    before = label(text, "Alpha")
    assert before.treatment != "criticized_or_declined"
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[cue]]\nlabel = "criticized_or_declined"\nscope = "sentence"\nweight = 3.0\n'
        'phrases = ["(unconvincing|unpersuasive)"]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(extra=[extra])
    after = classify(ref_at(text, "Alpha"), text, SCOTUS_SEED, citing_court="ca1", lexicon=lexicon)
    assert after.treatment == "criticized_or_declined"
    assert any("unconvincing" in e for e in after.evidence)


def test_lexicon_rejects_unknown_label(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[cue]]\nlabel = "praised"\nphrases = ["great"]\n', encoding="utf-8")
    with pytest.raises(LexiconError):
        load_lexicon(extra=[bad])


def test_paragraphs_in_uniformly_indented_text() -> None:
    # invented; every line carries the same indentation, a paragraph opens with a deeper one
    text = (
        "    The Court has said so. See, e.g., Rice v.\n"
        "    Cayetano, 528 U. S. 495, 517; Alpha, 500 U. S.\n"
        "    1, 5. That ends it.\n"
        "       A new paragraph starts here.\n"
    )
    from citator.citations.windows import paragraph_window

    para = paragraph_window(text, text.index("Alpha"), text.index("Alpha") + 5)
    assert para.text.startswith("The Court has said so.") and para.text.endswith("That ends it.")
    sent = sentence_window(text, text.index("Alpha"), text.index("Alpha") + 5)
    assert sent.text == "See, e.g., Rice v. Cayetano, 528 U. S. 495, 517; Alpha, 500 U. S. 1, 5."


def test_without_text_uses_the_reference_fields() -> None:
    # invented sentence supplied by an extractor; no opinion text available
    ref = Reference(
        start=0,
        end=0,
        as_written="Alpha, 500 U.S. at 3",
        kind="short",
        sentence="We decline to follow Alpha, 500 U.S. at 3, on this point.",
    )
    out = classify(ref, "", SCOTUS_SEED)
    assert out.treatment == "criticized_or_declined"
    assert out.sentence == ref.sentence
