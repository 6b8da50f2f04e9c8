"""Issue 13 (items 3, 7, 9, 10): one reading path, one treatment ranking, the treatment model's
provenance and re-labelling, and researcher corrections.

The opinions below are invented for these tests (marked so in their text); they imitate how
courts cite the Bernstein decisions.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from citator.citations import TREATMENT_RANKING, read_opinion
from citator.citations.models import Authority, Reference
from citator.citations.treatment import aggregate
from citator.config import load_config
from citator.db import corpus as db_corpus, records, references as db_references, runs, store
from citator.db.web import pages
from citator.db.web.summaries import rebuild_summaries
from citator.derived import rebuild_case_treatments
from tests.fakes.paths import REPO


#: An invented First Circuit opinion citing the Ninth Circuit's Bernstein panel opinion.
OPINION = (
    "INVENTED OPINION FOR A TEST. Doe v. Roe, United States Court of Appeals for the First Circuit.\n\n"
    "The plaintiffs rely on Bernstein v. United States Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999), "
    "for the proposition that source code is speech. We agree with Bernstein that code can be expressive.\n\n"
    "Bernstein, 176 F.3d at 1140, described the quixotic zorblax of encryption export rules at some length.\n"
)
HTML = (
    "<html><body><p>INVENTED OPINION FOR A TEST. Doe v. Roe, United States Court of Appeals for the First Circuit.</p>"
    "<p>The plaintiffs rely on <i>Bernstein v. United States Dep't of Justice</i>, 176 F.3d 1132, 1141 (9th Cir. 1999), "
    "for the proposition that source code is speech. We agree with <i>Bernstein</i> that code can be expressive.</p>"
    "<p><i>Bernstein</i>, 176 F.3d at 1140, described the quixotic zorblax of encryption export rules at some length.</p>"
    "</body></html>"
)


def _seeds() -> list[Authority]:
    return list(load_config(None).seeds)


# ---- item 3: one reading path -----------------------------------------------------------------------


@pytest.mark.slow
def test_importing_the_citations_package_loads_neither_eyecite_nor_hyperscan() -> None:
    code = (
        "import sys, citator.citations as c, citator.cli\n"
        "assert 'eyecite' not in sys.modules and 'hyperscan' not in sys.modules, 'imported at start-up'\n"
        "c.read_opinion\n"
        "assert 'eyecite' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_html_and_plain_text_of_one_opinion_read_alike() -> None:
    seeds = _seeds()
    plain = read_opinion(OPINION, seeds, fmt="text", citing_court="ca1")
    marked = read_opinion(HTML, seeds, fmt="html", citing_court="ca1")
    assert [r.treatment for r in marked] == [r.treatment for r in plain]
    assert all(r.treatment for r in marked)
    for ref in marked:  # offsets point into the HTML as stored
        assert HTML[ref.start:ref.end] == ref.as_written


def test_the_citing_case_is_not_read_as_citing_itself() -> None:
    seeds = _seeds()
    found = read_opinion(OPINION, seeds, citing_court="ca1")
    key = found[0].authority_key
    assert key and all(r.authority_key != key for r in read_opinion(OPINION, seeds, self_key=key))


def test_bulk_reads_a_seed_citing_its_own_litigation_with_the_same_litigation_rule() -> None:
    from citator.bulk import ScanOptions, Scanner
    from citator.db.records import CaseRecord, OpinionRecord
    from citator.harvest.bulk_readers import BulkDocument

    seeds = _seeds()
    later = next(s for s in seeds if s.family and s.key == "bernstein-9th")
    text = ("INVENTED OPINION FOR A TEST. On rehearing. The panel held, Bernstein v. United States Dep't of State, "
            "922 F. Supp. 1426, 1430 (N.D. Cal. 1996), that the regulations reached source code.\n")
    case = CaseRecord(id="cl:cluster:1", name="Bernstein v. U.S. Dep't of Justice", source="courtlistener",
                      source_id="1", court_id="ca9", citations=[(later.citations[0], "federal")])
    opinion = OpinionRecord(id="cl:opinion:1", case_id=case.id, text=text, text_format="text", text_field="plain_text",
                            source="courtlistener", source_id="1")
    found = Scanner(ScanOptions(seeds=tuple(seeds))).references(BulkDocument(case, opinion))
    expected = read_opinion(text, seeds, citing_court="ca9", citing_family=later.family)
    assert found and [r.treatment for r in found] == [r.treatment for r in expected]
    assert any("same litigation" in line for r in found for line in r.evidence)


# ---- item 7: one ranking ------------------------------------------------------------------------------


def _ref(start: int, treatment: str) -> Reference:
    return Reference(start=start, end=start + 9, as_written="Bernstein", kind="name_only",
                     authority_key="bernstein-9th", treatment=treatment, confidence=0.9)


@pytest.mark.slow
def test_the_site_ranks_treatments_as_the_case_roll_up_does(tmp_path: Path) -> None:
    """A case that notes the withdrawal and also criticizes the seed: case_treatments, the reliance
    summary's own estimate and the network view must name the same case-level treatment."""
    path = tmp_path / "citator.db"
    db = store.open_database(path)
    db_corpus.store_authorities(db, _seeds())
    run = runs.start_run(db, "extract")
    db_corpus.upsert_case(db, records.CaseRecord(id="doe", name="Doe v. Roe", source="local", source_id="doe", court_id="ca1"))
    text = "INVENTED. " * 20
    db_corpus.upsert_opinion(db, records.OpinionRecord(id="doe:1", case_id="doe", text=text, text_format="text",
                                                 text_field="text", source="local", source_id="doe:1"))
    refs = [_ref(0, "criticized_or_declined"), _ref(40, "noted_withdrawn")]
    db_references.replace_references(db, "doe:1", "doe", refs, cited_case_ids={}, run_id=run)
    expected = aggregate(refs).treatment
    assert expected == "noted_withdrawn" == TREATMENT_RANKING[0]
    rebuild_case_treatments(db)
    assert db.execute("select treatment from case_treatments").fetchone()[0] == expected
    db.execute("delete from case_treatments")  # the summary then estimates the label itself
    db.conn.commit()
    rebuild_summaries(db)
    assert db.execute("select treatment from reliance").fetchone()[0] == expected
    with sqlite3.connect(path) as conn:
        network = pages.network(conn, "bernstein-9th")
    assert {e["treatment"] for e in network["edges"]} == {expected}


def test_db_does_not_import_the_citations_stage() -> None:
    for name in ("ranking.py", "web/summaries.py", "web/views.py", "web/pages.py", "corrections.py"):
        assert "citator.citations" not in (REPO / "db" / name).read_text()


# ---- items 9 and 10: a new model re-labels at the next refresh; corrections survive -------------------


def _copy_package(target: Path) -> Path:
    """The citator package laid out as installed (citator/, citator/citations, citator/db, ...), so a
    subprocess can run it with changed data files without touching the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    root = target / "citator"
    shutil.copytree(REPO / "citator", root, ignore=ignore)
    for stage in ("citations", "db", "harvest"):
        shutil.copytree(REPO / stage, root / stage, ignore=ignore)
    return target


def _env(tmp_path: Path, pythonpath: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITATOR_") and k != "COURTLISTENER_TOKEN"}
    env["CITATOR_DB"] = str(tmp_path / "citator.db")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def _citator(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citator", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def local_site(tmp_path: Path) -> Path:
    """A working directory whose citator.toml harvests one local folder only."""
    folder = tmp_path / "opinions"
    folder.mkdir()
    (folder / "doe.txt").write_text(OPINION, encoding="utf-8")
    (folder / "doe.txt.meta.json").write_text(json.dumps(
        {"case": "doe-v-roe", "name": "Doe v. Roe", "court_id": "ca1", "decision_date": "2020-01-02"}), encoding="utf-8")
    (tmp_path / "citator.toml").write_text(
        "[sources.courtlistener]\nenabled = false\n[sources.cap]\nenabled = false\n"
        f"[sources.local]\npaths = [{json.dumps(str(folder))}]\n", encoding="utf-8")
    return tmp_path


def _labels(db_path: Path) -> dict[str, str]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select id, treatment from citations where authority_key is not null"))


@pytest.mark.slow
def test_a_new_model_relabels_at_the_next_refresh_and_corrections_survive(local_site: Path) -> None:
    package = _copy_package(local_site / "pkg")
    env = _env(local_site, package)
    db_path = local_site / "citator.db"
    first = _citator(["refresh"], env, local_site)
    assert first.returncode == 0, first.stderr
    before = _labels(db_path)
    assert len(before) >= 3
    status = _citator(["status"], env, local_site).stdout
    assert "treatment model: trained model " in status and "cross-validated" in status

    # A researcher corrects the first reference.
    corrected_id = min(before, key=lambda rid: sqlite3.connect(db_path).execute(
        "select span_start from citations where id = ?", [rid]).fetchone()[0])
    corrected_label = "criticized_or_declined" if before[corrected_id] != "criticized_or_declined" else "followed"
    result = _citator(["correct", corrected_id, corrected_label, "--note", "read the whole passage"], env, local_site)
    assert result.returncode == 0, result.stderr

    # A new model: the shipped weights change (here one label's intercept, so every label moves).
    model_file = package / "citator" / "citations" / "treatment_model.json"
    weights = json.loads(model_file.read_text(encoding="utf-8"))
    weights["intercepts"][weights["labels"].index("distinguished")] += 50.0
    model_file.write_text(json.dumps(weights), encoding="utf-8")
    status = _citator(["status"], env, local_site).stdout
    assert "the next refresh re-labels them" in status, status

    second = _citator(["refresh"], env, local_site)
    assert second.returncode == 0, second.stderr
    after = _labels(db_path)
    assert set(after) == set(before)
    changed = {rid for rid in before if rid != corrected_id and after[rid] != before[rid]}
    assert changed, "the new cue re-labelled nothing"
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select row_id, detail from changes where kind = 'treatment_changed' and "
                            "run_id = (select max(run_id) from changes)").fetchall()
        assert {rid for rid, _ in rows} == changed
        assert all(detail == f"{before[rid]} -> {after[rid]}" for rid, detail in rows)
        # the correction outlived the re-labelling, on the reference and in the roll-ups
        assert after[corrected_id] == corrected_label
        view = conn.execute("select corrected, correction_note from citing_references where reference_id = ?",
                            [corrected_id]).fetchone()
        assert view == (1, "read the whole passage")
        assert conn.execute("select corrected_references from case_treatments").fetchone()[0] == 1
        assert "read the whole passage" in conn.execute("select correction_notes from reliance").fetchone()[0]
    assert "the next refresh re-labels them" not in _citator(["status"], env, local_site).stdout

    # A trained model file: status names it, its training data and its cross-validated figures.
    (package / "citator" / "citations" / "treatment_model.json").write_text(json.dumps({
        "trained_on": [{"corpus": "treatment", "documents": 576, "references": 1637}],
        "cross_validation": {"folds": 5, "macro_f1": 0.8125}, "weights": {}}), encoding="utf-8")
    status = _citator(["status", "--json"], env, local_site)
    model = json.loads(status.stdout)["treatment_model"]
    assert model["installed"]["trained"] and not model["current"]
    line = _citator(["status"], env, local_site).stdout
    assert "trained model " + model["installed"]["short"] in line
    assert "trained on treatment (576 documents, 1637 references)" in line and "macro_f1 0.812" in line


# ---- item 10: the command and the training rows --------------------------------------------------------


@pytest.mark.slow
def test_correct_rejects_an_unknown_reference_with_one_line(local_site: Path) -> None:
    env = _env(local_site)
    assert _citator(["refresh"], env, local_site).returncode == 0
    result = _citator(["correct", "no-such-reference", "followed"], env, local_site)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "no reference no-such-reference" in result.stderr
    bad = _citator(["correct", next(iter(_labels(local_site / "citator.db"))), "overruled"], env, local_site)
    assert bad.returncode == 2 and "overruled" in bad.stderr


def _corrected_html_site(tmp_path: Path) -> tuple[sqlite_utils.Database, str, str]:
    """The invented opinion as HTML, harvested and extracted, its first reference corrected."""
    from citator.corrections import correct
    from citator.pipeline import extract, harvest

    folder = tmp_path / "opinions"
    folder.mkdir()
    (folder / "doe.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "citator.toml").write_text(
        f"[sources.local]\npaths = [{json.dumps(str(folder))}]\n", encoding="utf-8")
    config = load_config(str(tmp_path / "citator.toml"), db=str(tmp_path / "citator.db"))
    db = store.open_database(config.database)
    harvest(config, db, sources=("local",))
    extract(config, db)
    ref_id, as_written = db.execute("select id, as_written from citations order by span_start").fetchone()
    correct(db, ref_id, "relied_on", "approves the holding")
    return db, ref_id, as_written


@pytest.mark.slow
def test_corrections_become_training_rows_pointing_into_the_stored_text(tmp_path: Path) -> None:
    from citator.corrections import training_rows

    db, ref_id, as_written = _corrected_html_site(tmp_path)
    (row,) = training_rows(db)
    assert row["treatment"] == "relied_on" and row["note"] == "approves the holding"
    assert row["text"][row["start"]:row["end"]] == as_written == row["as_written"]
    assert row["format"] == "html" and row["seed"]
    assert row["reference_id"] == ref_id


@pytest.mark.slow
async def test_about_page_names_the_model_and_counts_corrections(tmp_path: Path) -> None:
    from datasette.app import Datasette

    from citator.citations import treatment_model_identity
    from citator.db.web.site import datasette_options
    from citator.pipeline import publish

    db, ref_id, _ = _corrected_html_site(tmp_path)
    path = Path(db.conn.execute("pragma database_list").fetchone()[2])
    case_id = db.execute("select citing_case_id from citations where id = ?", [ref_id]).fetchone()[0]
    db.close()
    publish(load_config(None), path)
    ds = Datasette([str(path)], **datasette_options(path))
    await ds.invoke_startup()
    about = await ds.client.get("/-/citator/about")
    assert about.status_code == 200
    assert "trained model" in about.text and "Cross-validated (grouped by document)" in about.text
    assert "macro_f1 0." in about.text
    assert treatment_model_identity().sha256 in about.text
    assert "1 reference corrected by researchers" in about.text
    case = await ds.client.get("/-/citator/case", params={"id": case_id})
    assert case.status_code == 200
    assert "corrected by a researcher: relied_on" in case.text and "approves the holding" in case.text
    assert f"citator correct {ref_id} LABEL" in case.text


@pytest.mark.slow
def test_a_version_8_database_gains_corrections_and_ranks(tmp_path: Path) -> None:
    from citator.db import schema

    old = sqlite_utils.Database(tmp_path / "v8.db")
    for migration in schema.MIGRATIONS[:8]:
        migration(old)
    assert not {"corrections", "treatment_ranks"} & set(old.table_names())  # a real v8 had neither
    assert "detail" not in {c.name for c in old["changes"].columns}
    old.execute("PRAGMA user_version = 8")
    old.close()
    db = store.open_database(tmp_path / "v8.db")
    assert schema.schema_version(db) == schema.SCHEMA_VERSION >= 9
    assert {"corrections", "treatment_ranks"} <= set(db.table_names())
    assert {"corrected_references", "correction_notes"} <= {c.name for c in db["case_treatments"].columns}
    assert "detail" in {c.name for c in db["changes"].columns}
    assert [c.name for c in db["reliance"].columns] == [c.name for c in schema.table("reliance").columns]
    described = {c.name for c in schema.table("corrections").columns}
    assert described == {c.name for c in db["corrections"].columns}
