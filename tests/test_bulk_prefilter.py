"""The seed prefilter: every written form of a seed matches, and it loses nothing against full extraction."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from citator import bulk
from citator.citations import prefilter
from citator.citations.prefilter import Prefilter
from citator.config import load_config
from citator.db import store

ENGINES = ["re"] + (["hyperscan"] if prefilter._hs is not None else [])
SEEDS = load_config(environ={}).seeds

# INVENTED snippets, each a form in which a seed can be written.
POSITIVE = [
    "INVENTED: 176 F.3d 1132",
    "INVENTED: 176 F. 3d 1132",
    "INVENTED: 176 F.3d, at 1141",
    "INVENTED: 176 F. 3d at 1141",
    "INVENTED: 176 f.3d 1132",
    "INVENTED: 176F.3d 1132",
    "INVENTED: 176 Fed.Rep.3d 1132",
    "INVENTED: <a href='/x'>176</a> <span>F.3d</span>\n1132",
    "INVENTED: 176&nbsp;F.3d&nbsp;at 1140",
    "INVENTED: 922 F.Supp. 1426",
    "INVENTED: 922 F Supp 1426",
    "INVENTED: 945 F. Supp. 1279",
    "INVENTED: 974 F.Supp. at 1305",
    "INVENTED: 192 F.3d 1308",
    "INVENTED: in BERNSTEIN I the court",
    "INVENTED: in <i>Bernstein IV</i>, the court",
    "INVENTED: <i>Bernstein v. U.S. Dep&#39;t of Justice</i>",
    "INVENTED: Bernstein vs. U. S. Department of State",
]
# A bare name is no reference unless the opinion cites the seed (which the cite patterns match).
NEGATIVE = [
    "INVENTED: as Bernstein held",
    "INVENTED: <i>Bernstein</i>, supra",
    "INVENTED: Bernstein Inc. and Bernstein in pro per",
    "INVENTED: 176 F.3d 1200 is another case in the volume",
    "INVENTED: 177 F.3d 1132",
    "INVENTED: 922 F.2d 1426",
    "INVENTED: nothing here at all, 100 U.S. 1",
    "",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_form_matches(engine: str) -> None:
    matcher = Prefilter(SEEDS, engine=engine)
    assert matcher.engine == engine
    assert [t for t in POSITIVE if not matcher.matches(t)] == []
    assert [t for t in NEGATIVE if matcher.matches(t)] == []


def test_pickles_for_workers() -> None:
    matcher = pickle.loads(pickle.dumps(Prefilter(SEEDS)))
    assert matcher.matches("INVENTED: 176 F. 3d at 1140") and not matcher.matches("INVENTED: 177 F.3d 1")


def test_no_seeds_match_nothing() -> None:
    assert not Prefilter([]).matches("INVENTED: 176 F.3d 1132")


# INVENTED opinion texts: a bare name is not a candidate, and full extraction agrees it is no reference.
COUNSEL = (
    "INVENTED. Jane Roe, Bernstein, Litowitz, Berger & Grossmann LLP, New York, for plaintiffs. "
    "OPINION. The plaintiffs allege securities fraud. As Bernstein argued at the hearing, the "
    "claims are timely; see Bernstein, supra. We affirm."
)
CANDIDATES = [
    COUNSEL + " Our holding does not disturb Bernstein I.",
    COUNSEL + " Cf. Bernstein v. U.S. Dep't of Justice (9th Cir.).",
    COUNSEL + " Cf. Bernstein, 176 F.3d at 1141.",
    COUNSEL + " Cf. Bernstein v. United States Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996).",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_bare_name_is_no_candidate_but_nickname_or_cite_is(engine: str) -> None:
    from citator.citations.extract import find_references

    matcher = Prefilter(SEEDS, engine=engine)
    assert find_references(COUNSEL, SEEDS) == []
    assert not matcher.matches(COUNSEL)
    for text in CANDIDATES:
        assert matcher.matches(text), text
        assert find_references(text, SEEDS), text  # each is a reference the extractor finds


def _references(db_path: Path) -> set[tuple]:
    db = store.open_database(db_path)
    return {
        (r["opinion_id"], r["span_start"], r["span_end"], r["authority_key"], r["kind"], r["as_written"])
        for r in db.query("select * from citations")
    }


@pytest.fixture(scope="module")
def real_corpus(tmp_path_factory: pytest.TempPathFactory):
    """Real CourtListener opinions (../shared/bulk) plus planted seed references, in both dump formats,
    with the references full extraction finds when it reads every opinion."""
    from bench import corpus as corpus_mod
    if not corpus_mod.RECORDS.exists():
        pytest.fail("../shared/bulk is not beside the checkout; these tests read its real opinions in place")
    root = tmp_path_factory.mktemp("real")
    records = corpus_mod.load_records(130)[80:130]  # 50 real opinions, two of them with references already
    corpus = corpus_mod.build(root / "corpus", 1.3, fmt="both", records=records, plant_every=6, shard_mb=0.5)
    full = store.open_database(root / "full.db")
    baseline = bulk.run(full, SEEDS, [str(p) for p in corpus.files], workers=1, use_prefilter=False)
    return corpus, baseline, _references(root / "full.db")


@pytest.mark.parametrize("engine", ENGINES)
def test_prefilter_equals_full_scan_on_real_opinions(tmp_path: Path, engine: str, real_corpus) -> None:
    corpus, baseline, expected = real_corpus
    assert corpus.planted and {p.suffix for p in corpus.files} == {".bz2", ".zip"}
    filtered = store.open_database(tmp_path / "filtered.db")
    result = bulk.run(filtered, SEEDS, [str(p) for p in corpus.files], workers=1, engine=engine)
    assert result.stats.documents == baseline.stats.documents == corpus.opinions
    assert result.stats.candidates < baseline.stats.candidates
    found = _references(tmp_path / "filtered.db")
    assert found == expected
    planted_found = {(opinion, key) for opinion, _, _, key, _, _ in found}
    assert set(corpus.planted.items()) <= planted_found
