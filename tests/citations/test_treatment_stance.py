"""How the trained treatment model reads distinguishing and criticism, how it is trained (class
weights and regularisation chosen inside the training documents), and training on researcher
corrections (`citator train treatment --db`).

Every passage below is INVENTED for these tests (imitating opinion style).
"""

from __future__ import annotations

import pytest

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from citator.citations.lexicon import default_lexicon
from citator.citations.treatment import classify_all
from citator.citations.treatment_features import reference_features, shows_criticism, stance_hits
from citator.citations.treatment_model import FORMAT, TreatmentModel
from citator.cli_treatment import train_group
from citator.lexicon_usage import stance_unlabelled_counts
from citator.train_treatment import class_weights

from tests.factories import SCOTUS_SEED, ref_at

ALPHA = replace(SCOTUS_SEED, short_names=("Alpha",))

ALWAYS_CRITICISED = TreatmentModel.from_dict({
    "format": FORMAT, "labels": ["relied_on", "cited_neutral", "criticized_or_declined"],
    "features": [], "weights": [], "intercepts": [0.5, 0.0, 2.0],
})


def _features(text: str, target: str, **fields) -> dict[str, float]:
    ref = ref_at(text, target, kind=fields.pop("kind", "full"), **fields)
    return reference_features(ref, text, ALPHA, citing_court="ca1", same_litigation=False,
                              lexicon=default_lexicon())


def test_distinguishing_in_the_next_sentence_that_names_the_case() -> None:
    text = ("The appellant relies on Alpha v. Beta, 500 U.S. 1 (1990). Alpha is inapposite: it involved a "
            "licensing scheme. Here, by contrast, no licence was ever required.")  # invented
    f = _features(text, "500 U.S. 1")
    assert f['distinguishing wording "inapposite" in a next sentence naming the case'] == 1.0
    assert 'distinguishing wording "here, however" in the next two sentences' in f
    assert "distinguishing wording in the next two sentences" in f  # one feature per stance as well
    assert not any(name.startswith("criticising") for name in f)


def test_criticism_beside_the_reference_and_a_plain_citation_without_it() -> None:
    critical = "We respectfully decline to follow Alpha v. Beta, 500 U.S. 1 (1990), whose reasoning is unpersuasive."
    f = _features(critical, "Alpha v. Beta, 500 U.S. 1")
    assert 'criticising wording "decline to follow" beside the reference' in f
    assert 'criticising wording "unpersuasive" in its own clause' in f
    assert shows_criticism(f)
    plain = "Code is speech. See Alpha v. Beta, 500 U.S. 1 (1990). The statute therefore fails."
    assert not shows_criticism(_features(plain, "Alpha v. Beta, 500 U.S. 1"))


def test_a_separate_opinion_arguing_with_the_majority() -> None:
    text = "The majority misreads Alpha v. Beta, 500 U.S. 1 (1990), which said nothing of the kind."
    f = _features(text, "Alpha v. Beta, 500 U.S. 1", opinion_part="dissent")
    assert 'separate opinion speaks of "the majority"' in f and shows_criticism(f)


def test_criticized_needs_a_contrary_signal_or_criticising_words() -> None:
    plain = "Code is speech. See Alpha v. Beta, 500 U.S. 1 (1990)."
    (out,) = classify_all([ref_at(plain, "Alpha v. Beta, 500 U.S. 1", kind="full")], plain, [SCOTUS_SEED],
                          citing_court="ca1", model=ALWAYS_CRITICISED)
    assert out.treatment == "relied_on"
    assert out.evidence[0].startswith("rule: no contrary signal or criticising words at the reference -> relied_on")
    contrary = "Code is speech. But see Alpha v. Beta, 500 U.S. 1 (1990)."
    (out,) = classify_all([ref_at(contrary, "Alpha v. Beta, 500 U.S. 1", kind="full")], contrary, [SCOTUS_SEED],
                          citing_court="ca1", model=ALWAYS_CRITICISED)
    assert out.treatment == "criticized_or_declined"


def test_how_the_next_sentences_open_and_a_party_answered() -> None:
    text = ("The appellant argues that Alpha v. Beta, 500 U.S. 1 (1990), controls. That case involved a licence. "
            "Here, no licence was required.")  # invented
    f = _features(text, "500 U.S. 1")
    assert 'next sentence opens "that case"' in f and 'sentence after next opens "here"' in f
    assert "a party's authority, answered by distinguishing wording" in f
    assert "a party's authority, answered by criticising wording" not in f
    own = _features("Code is speech. See Alpha v. Beta, 500 U.S. 1 (1990). Thus, the statute fails.", "500 U.S. 1")
    assert 'next sentence opens "thus"' in own
    assert not any(name.startswith("a party's authority") for name in own)


def test_stance_wordings_are_counted_in_unlabelled_opinions() -> None:
    texts = ["We disagree with the panel. We disagree again.", "That case is distinguishable.", "Nothing here."]
    opinions, occurrences, n = stance_unlabelled_counts(texts)
    assert n == 3 and opinions["disagree"] == 1 and occurrences["disagree"] == 2
    assert opinions["distinguishable"] == 1
    assert [family for _, family, _ in stance_hits("The argument is unavailing.")] == ["inapposite"]


def test_class_weight_power_between_trusting_the_mix_and_balancing_it() -> None:
    labels = ["relied_on"] * 8 + ["criticized_or_declined"] * 2
    assert class_weights(labels, 0.0) == {"criticized_or_declined": 1.0, "relied_on": 1.0}
    balanced = class_weights(labels, 1.0)
    assert balanced["criticized_or_declined"] == 2.5 and balanced["relied_on"] == 0.625
    half = class_weights(labels, 0.5)
    assert 1.0 < half["criticized_or_declined"] < 2.5


def _corrections_db(path: Path) -> None:
    """A database holding one correction, in the shape citator.db.corrections reads (opinion text
    as stored, the reference's offsets into it)."""
    from tests.refresh.test_treatment_pipeline import _corrected_html_site  # the real harvest + extract + correct path

    db, _, _ = _corrected_html_site(path)
    db.close()


@pytest.mark.slow
def test_train_takes_researcher_corrections_as_extra_rows(tmp_path: Path, shared_corpus: Path) -> None:
    _corrections_db(tmp_path)
    output = tmp_path / "model.json"
    result = CliRunner().invoke(train_group, ["treatment", str(shared_corpus), "--db", str(tmp_path / "citator.db"),
                                              "--output", str(output)])
    assert result.exit_code == 0, result.output
    model = json.loads(output.read_text(encoding="utf-8"))
    trained_on = {entry["corpus"]: entry for entry in model["trained_on"]}
    assert trained_on["corrections"] == {"corpus": "corrections", "documents": 1, "references": 1}
    assert trained_on["corpus"]["references"] == 306
    assert model["cross_validation"]["references"] == 307
    assert "corrections (1 documents, 1 references)" in result.output
    assert model["training"]["chosen_by"].startswith("grouped 3-fold CV by document over the training documents")


def test_train_with_a_missing_or_foreign_database_is_one_line(tmp_path: Path, shared_corpus: Path) -> None:
    missing = CliRunner().invoke(train_group, ["treatment", str(shared_corpus), "--db", str(tmp_path / "none.db"),
                                               "--output", str(tmp_path / "m.json")])
    assert missing.exit_code == 2 and "no such database" in missing.output and "Traceback" not in missing.output
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("create table notes (x)").connection.commit()
    out = CliRunner().invoke(train_group, ["treatment", str(shared_corpus), "--db", str(foreign),
                                           "--output", str(tmp_path / "m.json")])
    assert out.exit_code == 2 and "not a citator database" in out.output
    assert not (tmp_path / "m.json").exists()
