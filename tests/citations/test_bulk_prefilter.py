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


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_prefilter_equals_full_scan_on_real_opinions(tmp_path: Path, engine: str, real_corpus) -> None:
    corpus, baseline, expected = real_corpus
    assert corpus.planted and {p.suffix for p in corpus.files} == {".bz2", ".zip"}
    filtered = store.open_database(tmp_path / "filtered.db")
    result = bulk.run(filtered, SEEDS, [str(p) for p in corpus.files], workers=1, engine=engine)
    # CAP case files and CourtListener rows without any seed form are passed over unparsed (one
    # opinion each here)
    assert baseline.stats.documents == corpus.opinions and baseline.stats.unread_cases == baseline.stats.unread_rows == 0
    assert result.stats.unread_cases > 0 and result.stats.unread_rows > 0
    assert result.stats.documents + result.stats.unread_cases + result.stats.unread_rows == corpus.opinions
    assert result.stats.candidates < baseline.stats.candidates
    found = _references(tmp_path / "filtered.db")
    assert found == expected
    planted_found = {(opinion, key) for opinion, _, _, key, _, _ in found}
    assert set(corpus.planted.items()) <= planted_found


# INVENTED short cites of *other* cases in a seed's volume: a pin plainly before the seed's first
# page (176 F.3d 1132, 192 F.3d 1308) cannot be the seed, and the extractor agrees.
OTHER_CASE_SHORT_CITES = [
    "INVENTED. The duty is settled. Harrison, 176 F.3d at 792 (quoting a treatise).",
    "INVENTED. The clause is plain. <i>Greenly,</i> 192 F.3d at 26; <i>see also</i> Roe, 1 F.3d 2.",
    "INVENTED. See Doe, 176 F. 3d at 801-02.",
    "INVENTED. Doe, 176 F.3d at 801 n.4, controls.",
]
# INVENTED short cites in a seed's volume that must stay candidates: the pin reaches the seed,
# or is not plainly a page the prefilter can read as the extractor does.
KEPT_SHORT_CITES = [
    "INVENTED. Bernstein, 176 F.3d at 1141.",
    "INVENTED. Doe, 176 F.3d at *3.",
    "INVENTED. Doe, 176 F.3d at <i>792</i>.",
    "INVENTED. Doe, 176 F.3d at\n792.",
    "INVENTED. Doe, 176 F.3d at 792 F. Supp. 2d 10.",
    "INVENTED. Doe, 176 F.3d at 79<sup>2</sup>.",
    "INVENTED. Doe, 176 F.3d at.",
    "INVENTED. Harrison, 176 F.3d at 792. Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999).",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_short_cite_pinned_before_a_seed_is_no_candidate(engine: str) -> None:
    from citator.citations.extract import find_references

    matcher = Prefilter(SEEDS, engine=engine)
    for text in OTHER_CASE_SHORT_CITES:
        assert not matcher.matches(text), text
        assert find_references(text, SEEDS) == [], text
    assert [t for t in KEPT_SHORT_CITES if not matcher.matches(t)] == []


# Pieces of INVENTED opinion text, shuffled into documents: whatever the prefilter turns away,
# full extraction must find nothing in.
PIECES = [
    "Harrison, 176 F.3d at 792.", "Harrison, 176 F.3d at 1131 (citation omitted).", "176 F.3d at 1132",
    "Id. at 1140.", "Id.", "See id. at 793.", "Bernstein, supra, at 1141.", "Bernstein, 176 F.3d at 1141.",
    "Roe v. Wade, 410 U.S. 113 (1973).", "Harrison v. Jones, 176 F.3d 780 (9th Cir. 1999).",
    "Greenly, 192 F.3d at 26;", "192 F.3d at 1309", "Bernstein", "as Bernstein held,", "<i>Doe,</i>",
    "176 F. 3d at 800 n.2", "176 F.3d at *4", "176 F.3d at 792 F. Supp. 5", "The court agreed.",
    "974 F. Supp. at 1300", "974 F. Supp. at 12", "Junger v. Daley, 209 F.3d 481 (6th Cir. 2000).",
]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_prefilter_never_turns_away_a_reference(engine: str) -> None:
    from hypothesis import HealthCheck, given, settings, strategies as st

    from citator.citations.extract import find_references

    matcher = Prefilter(SEEDS, engine=engine)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7))
    def check(pieces: list[str]) -> None:
        text = "INVENTED. " + " ".join(pieces)
        if not matcher.matches(text):
            assert find_references(text, SEEDS) == [], text

    check()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_labelled_real_opinion_is_a_candidate_for_each_of_its_seeds(engine: str, shared_corpus: Path) -> None:
    """The hand-checked corpus (real opinions, other seeds than Bernstein): for every seed a
    document has labelled references to, the prefilter built for that seed alone passes it."""
    import json

    from citator.evaluate import seed_authority

    documents = {}
    for line in (shared_corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            documents[doc["slug"]] = (shared_corpus / doc["text_file"]).read_text(encoding="utf-8")
    pairs = set()
    for line in (shared_corpus / "references.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            label = json.loads(line)
            pairs.add((label["doc"], label["seed"]))
    assert len(pairs) >= 10
    missed = [(doc, seed) for doc, seed in sorted(pairs)
              if not Prefilter([seed_authority(seed)], engine=engine).matches(documents[doc])]
    assert missed == []


JSON_PIECES = PIECES + ["176\u00a0F.3d\u00a0at\u00a01141", "Bernstein v. U.S. Dep\u2019t of State", "\"176 F.3d 1132\"",
                        "176\nF.3d\n1132", "Bernstein\tI", "BERNSTEIN II", "caf\u00e9 \u00a7 1", "\\ 176 F.3d at 1135 \\"]


@pytest.mark.parametrize("engine", ENGINES)
def test_json_test_never_turns_away_a_matching_case_file(engine: str) -> None:
    """The test on a CAP case file's raw bytes passes every file whose opinion text matches."""
    import json

    from hypothesis import HealthCheck, given, settings, strategies as st

    matcher = Prefilter(SEEDS, engine=engine)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(JSON_PIECES), min_size=1, max_size=6), st.booleans())
    def check(pieces: list[str], ascii_only: bool) -> None:
        text = "INVENTED. " + " ".join(pieces)
        data = json.dumps({"id": 1, "casebody": {"opinions": [{"text": text}]}}, ensure_ascii=ascii_only).encode("utf-8")
        if matcher.matches(text):
            assert matcher.may_match_raw(data), text

    check()
    assert not matcher.may_match_raw(json.dumps({"casebody": {"opinions": [{"text": "INVENTED. Nothing."}]}}).encode())


def test_short_cites_are_tried_only_where_the_volume_stands_with_the_same_matches() -> None:
    """The short-cite check looks for a volume's digits and tries its patterns there: every match
    (and where its "at" ends) is the one a search at every character finds."""
    from hypothesis import given, settings, strategies as st

    matcher = Prefilter(SEEDS, engine="re")
    assert all(volume is not None for _, _, volume in matcher._short)
    fragments = st.sampled_from(["176", "1176", "F.3d", "F. 3d", " at ", "at", " ", ",", "<i>", "</i>", "&nbsp;",
                                 "1141", "792", "192", "974", "F. Supp.", "Fed.Rep.3d", "\n", "x", "1"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(fragments, max_size=14))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        for regex, _, volume in matcher._short:
            assert [m.end(1) for m in prefilter._short_matches(regex, volume, text)] == \
                [m.end(1) for m in regex.finditer(text)]

    check()
