"""The trained treatment model as a researcher meets it: evidence in words, exact withdrawn
handling on top of the model, the shipped model file, and the pruned lexicon.

Every passage below is INVENTED for these tests (imitating opinion style); the Bernstein entries
carry the real citations of the seeds, not opinion text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from citator.citations.lexicon import default_lexicon
from citator.citations.models import Authority, Reference
from citator.citations.treatment import aggregate, classify_all, notes_own_withdrawal, opinion_features
from citator.citations.treatment_features import is_history_citation
from citator.citations.treatment_model import ModelError, load_model, model_path
from citator.lexicon_usage import prune_candidates, unanchored, unlabelled_counts

from tests.factories import CA9_SEED, SCOTUS_SEED, ref_at  # noqa: E402

EN_BANC = Authority(
    key="192 F.3d 1308", name="Bernstein v. U.S. Dep't of Justice", citations=("192 F.3d 1308",), court="ca9",
    family="bernstein",
)
STRING_CITE = (
    "Courts have treated source code as speech. See Alpha v. Beta, 500 U.S. 1, 5 (1990); "
    "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir.), reh'g en banc granted, "
    "opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999). We agree with that view."
)


def _string_cite() -> list[Reference]:
    refs = [
        ref_at(STRING_CITE, "Alpha v. Beta, 500 U.S. 1", kind="full"),
        ref_at(STRING_CITE, "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132", key="176 F.3d 1132", kind="full"),
        ref_at(STRING_CITE, "192 F.3d 1308", key="192 F.3d 1308", kind="full"),
    ]
    return classify_all(refs, STRING_CITE, [SCOTUS_SEED, CA9_SEED, EN_BANC], citing_court="ca1")


def test_subsequent_history_notes_withdrawal_and_stays_with_its_reference() -> None:
    alpha, panel, en_banc = _string_cite()
    assert panel.treatment == "noted_withdrawn"
    assert panel.extra["relies_on_withdrawn"] is False
    assert en_banc.treatment == "cited_neutral"  # history of the panel cite: never relied_on
    assert alpha.treatment != "noted_withdrawn"  # does not spread to the neighbour in the string cite
    assert any("subsequent history" in line for line in panel.evidence)


def test_withdrawal_noted_in_a_footnote_or_next_sentence() -> None:
    for text in (
        "Source code is speech. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999). "
        "The panel opinion was later withdrawn when rehearing en banc was granted.",
        "Source code is speech. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999).\n\n"
        "[FOOTNOTE 1] That opinion was withdrawn on rehearing en banc.",
    ):
        ref = ref_at(text, "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132", key="176 F.3d 1132", kind="full")
        (out,) = classify_all([ref], text, [CA9_SEED], citing_court="ca1")
        assert out.treatment == "noted_withdrawn" and out.extra["relies_on_withdrawn"] is False


def test_noting_the_withdrawal_once_clears_the_case_flag() -> None:
    text = (
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir.), reh'g en banc granted, opinion "
        "withdrawn, 192 F.3d 1308 (9th Cir. 1999), treated source code as speech. Later in the analysis we "
        "return to the point. Source code conveys ideas. Bernstein, 176 F.3d at 1141."
    )
    refs = [
        ref_at(text, "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132", key="176 F.3d 1132", kind="full"),
        ref_at(text, "Bernstein, 176 F.3d at 1141", key="176 F.3d 1132", kind="short"),
    ]
    first, later = classify_all(refs, text, [CA9_SEED], citing_court="ca1")
    assert first.treatment == "noted_withdrawn"
    assert later.extra["relies_on_withdrawn"] is False
    assert aggregate([first, later]).relies_on_withdrawn is False


def test_unnoted_withdrawn_authority_is_flagged() -> None:
    text = "Source code is speech. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)."
    ref = ref_at(text, "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132", key="176 F.3d 1132", kind="full")
    (out,) = classify_all([ref], text, [CA9_SEED], citing_court="ca1")
    assert out.treatment != "noted_withdrawn" and out.extra["relies_on_withdrawn"] is True
    assert aggregate([out]).relies_on_withdrawn is True


def test_evidence_names_features_in_words_with_their_pull() -> None:
    text = (
        "The statute in Alpha v. Beta, 500 U.S. 1 (1990), regulated speech on its face. "
        "Here, by contrast, the ordinance regulates conduct."
    )
    (out,) = classify_all([ref_at(text, "Alpha v. Beta, 500 U.S. 1", kind="full")], text, [SCOTUS_SEED])
    assert out.evidence, "every label carries its reasons"
    assert 0.0 < out.confidence <= 1.0
    assert abs(sum(out.extra["scores"].values()) - 1.0) < 0.01
    for line in out.evidence:
        assert f"-> {out.treatment} +" in line or line.startswith("rule:") or "untrained" in line
    assert any('next sentence says "by contrast"' in line or 'next sentence says "here"' in line
               for line in out.evidence) or out.treatment != "distinguished"


def test_overridden_model_reasons_name_the_models_label() -> None:
    _, panel, _ = _string_cite()
    model_lines = [line for line in panel.evidence if not line.startswith("rule:") and "->" in line]
    assert all(line.startswith("model (") for line in model_lines if "-> noted_withdrawn" not in line)


def test_shipped_model_records_training_and_cross_validation() -> None:
    data = json.loads(model_path().read_text(encoding="utf-8"))
    assert {c["corpus"] for c in data["trained_on"]} == {"corpus", "treatment"}
    cv = data["cross_validation"]
    assert cv["grouped_by"] == "document" and cv["folds"] == 5
    low, high = cv["macro_f1_95"]
    assert low <= cv["macro_f1"] <= high
    assert {"brier", "ece", "forbidden_confusions", "per_label_f1"} <= set(cv)


def test_incompatible_model_file_says_how_to_rebuild(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ModelError, match="citator train treatment"):
        load_model(bad)


def test_lexicon_no_longer_holds_single_opinion_phrases() -> None:
    phrases = {cue.phrase for cue in default_lexicon().cues}
    for pruned in ("taken as given", "spoke for only", "we part company", "established beyond peradventure"):
        assert pruned not in phrases
    assert "we hold" in phrases  # general phrases stay


def test_prune_candidates_rule() -> None:
    training = {"fits one opinion": 1, "courts write this": 1, "common": 9, "never fired": 0}
    unlabelled = {"fits one opinion": 0, "courts write this": 4, "common": 50, "never fired": 0}
    assert prune_candidates(training, unlabelled) == ["fits one opinion", "never fired"]


def test_unlabelled_counts_let_ref_stand_for_a_citation() -> None:
    lexicon = default_lexicon()
    cue = next(c for c in lexicon.cues if c.phrase == "we hold")
    anchored = next(c for c in lexicon.cues if "{ref}" in c.phrase and c.phrase.startswith("{ref}"))
    assert unanchored(cue).search("Accordingly, we hold that the rule applies.")
    assert "\u27e6" not in unanchored(anchored).pattern
    small = replace(lexicon, cues=(cue,))
    counts, n = unlabelled_counts(["we hold it.", "nothing here"], small)
    assert n == 2 and counts["we hold"] == 1


@pytest.mark.slow
def test_shipped_weights_equal_a_fresh_training_run() -> None:
    """`citator train treatment ../shared/treatment ../shared/corpus` rebuilds the shipped weights
    exactly (training is deterministic); a lexicon or feature change without retraining fails here."""
    from citator.evaluate_treatment import load_corpora
    from citator.train_treatment import fit_weights

    from tests.fakes.paths import require_shared

    docs = load_corpora([require_shared("treatment"), require_shared("corpus")])
    fresh = fit_weights(docs)
    shipped = json.loads(model_path().read_text(encoding="utf-8"))
    assert fresh["labels"] == shipped["labels"] and fresh["intercepts"] == shipped["intercepts"]
    assert fresh["features"] == shipped["features"]
    assert fresh["weights"] == shipped["weights"]


def test_rules_verdict_in_the_evidence_carries_the_rules_reasons() -> None:
    text = "The court follows Alpha and holds that the code at issue is expressive. Alpha, 500 U.S. at 3."  # invented
    (out,) = classify_all([ref_at(text, "Alpha, 500 U.S. at 3", kind="short")], text, [SCOTUS_SEED], citing_court="ca1")
    rules_lines = [line for line in out.evidence if line.startswith("the hand-set rules say")]
    assert rules_lines, out.evidence
    assert all(line.split(" -> ")[0].endswith(")") and "(court: scotus binds ca1" in line for line in rules_lines)


def test_missing_model_file_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="citator train treatment"):
        load_model(tmp_path / "absent.json")


def _own_history(tail: str) -> bool:
    text = "The rule is settled. Alpha v. Beta, 500 F.2d 10, 12" + tail + " We agree."
    return notes_own_withdrawal(ref_at(text, "Alpha v. Beta, 500 F.2d 10", kind="full"), text)


def test_own_history_that_ends_the_decision_after_steps_that_left_it_standing() -> None:
    # each ends the decision in whole or in part, after its court/date and any standing steps
    assert _own_history(" (D. Mass.), aff'd mem., 915 F.2d 1557 (1st Cir. 1990), vacated, 502 U.S. 367 (1992).")
    assert _own_history(" (D. Mass. 1987), aff'd in part and rev'd in part, 867 F.2d 47 (1st Cir. 1989).")
    assert _own_history(" (D.C. 2004), judgment and opinion vacated and reissued, 886 A.2d 510 (D.C. 2005).")
    assert _own_history(" (1st Cir. 1982), -7- rev'd on other grounds by 467 U.S. 526 (1984).")
    assert _own_history(
        " (2d Cir. 1990), cert. denied, 498 U.S. 1081 (1991), overruled on other grounds, 600 U.S. 1 (2001)."
    )


def test_history_that_leaves_the_decision_standing_or_a_disposition_is_not_withdrawal() -> None:
    assert not _own_history(" (1st Cir. 1990), aff'd, 502 U.S. 367 (1992).")
    assert not _own_history(" (1st Cir. 1990), cert. denied, 498 U.S. 1081 (1991).")
    # the opinion's own disposition after its last cite is no history of that cite
    assert not _own_history(" (1st Cir. 1993). Vacated and remanded.")


def test_a_later_sentence_that_distinguishes_the_named_case_is_a_feature() -> None:
    text = (
        "The defendants rely on United States v. Baus, 834 F.2d 1114 (1st Cir. 1987). There the "
        "government lulled the debtors into inaction. It then sued on the guarantees. The debtors "
        "had asked for more time. Baus is readily distinguishable on its facts."
    )
    baus = Authority(key="834 F.2d 1114", name="United States v. Baus", citations=("834 F.2d 1114",),
                     short_names=("United States", "Baus"))
    ref = ref_at(text, "834 F.2d 1114", key="834 F.2d 1114", kind="full")
    (features,) = opinion_features([ref], text, [baus], citing_court="ca1")
    assert "distinguishing wording later, in a sentence naming the case" in features
    # a generic party never names the case: the same sentence about "United States" does not count
    other = text.replace("Baus is readily", "The United States is readily")
    ref = ref_at(other, "834 F.2d 1114", key="834 F.2d 1114", kind="full")
    (features,) = opinion_features([ref], other, [baus], citing_court="ca1")
    assert "distinguishing wording later, in a sentence naming the case" not in features


def _is_history(text: str, cite: str) -> bool:
    return is_history_citation(text, ref_at(text, cite, kind="full"))


def test_a_history_citation_is_found_past_the_blanks_of_pdf_text() -> None:
    blanks = "\n" + " " * 70 + "\n\n"
    assert _is_history(f"Hart Bros., 18 Mass. App. Ct. 60, 64 (1984),{blanks}rev. den., 392 Mass. 1103 (1984).",
                       "392 Mass. 1103")
    assert _is_history(f"Stoner, 927 F.2d 45, 47 (1st Cir.), cert. denied,{blanks}U.S. , 112 S. Ct. 129 (1991).",
                       "112 S. Ct. 129")
    assert _is_history("Brown, 736 F.2d 807 (1st Cir. 1984) (holding that a long parenthetical runs on past eighty "
                       "characters), appeal after remand, 770 F.2d 241 (1st Cir. 1985).", "770 F.2d 241")
    assert _is_history("Doherty, 675 F. Supp. 714, 717 (D. Mass. 1987), aff'd in part and rev'd in part, "
                       "867 F.2d 47 (1st Cir. 1989).", "867 F.2d 47")


def test_prose_about_an_affirmance_before_a_cite_is_no_history() -> None:
    text = ('Kirwan appealed, and the Supreme Judicial Court ("SJC") affirmed his conviction. '
            "See Commonwealth v. Kirwan, 860 N.E.2d 931 (Mass. 2007).")
    assert not _is_history(text, "860 N.E.2d 931")


def test_words_of_a_later_sentence_naming_the_case_are_features() -> None:
    # INVENTED passage imitating an opinion: a case cited, recounted, then set aside by name
    text = (
        "The insurer relies on Baus v. Carter, 834 F.2d 1114 (1st Cir. 1987). There the agent "
        "signed the form himself. The form was then filed late. The clerk accepted it anyway. "
        "Baus involved a signed form, and nothing of the kind happened in this record."
    )
    baus = Authority(key="834 F.2d 1114", name="Baus v. Carter", citations=("834 F.2d 1114",), short_names=("Baus",))
    ref = ref_at(text, "834 F.2d 1114", key="834 F.2d 1114", kind="full")
    (features,) = opinion_features([ref], text, [baus], citing_court="ca1")
    # the name is masked like the reference, so the words generalise across cases
    assert 'later sentence naming the case, words "<ref> involved"' in features
    assert 'later sentence naming the case, words "baus"' not in features
    # sentences that do not name the case, and the neighbouring ones the sentence n-grams read, add none
    assert not any("naming the case, words" in name and "clerk" in name for name in features)
    assert not any("naming the case, words" in name and "agent" in name for name in features)
    unnamed = text.replace("Baus involved", "That record involved")
    ref = ref_at(unnamed, "834 F.2d 1114", key="834 F.2d 1114", kind="full")
    (features,) = opinion_features([ref], unnamed, [baus], citing_court="ca1")
    assert not any("sentence naming the case, words" in name for name in features)
