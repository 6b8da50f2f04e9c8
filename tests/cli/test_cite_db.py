"""`citator cite --db`: the database's statuses, negative treatment, withdrawn-reliance risk and
the cited opinions' text, read from a real database without changing it.

The database is built through citator's own code paths: cases and opinions stored with
`citator.db.store`, then the real extraction step (`citator.pipeline.extract`) finds and labels
the references and rebuilds the withdrawn-risk flags. The opinions' texts are INVENTED stand-ins
written for these tests (marked so in their first words); only the reporter citations they carry
and cite are real.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from citator import pipeline
from citator.cli_citations import cite
from citator.citations.models import Reference
from citator.config import load_config
from citator.db import corpus, records, references as db_references, store
from tests.factories import ALTERED_QUOTE, BERNSTEIN_STANDIN, TRUE_QUOTE, line_of, write_docx, write_txt

#: INVENTED stand-in for Junger v. Daley, 209 F.3d 481, holding the words the brief quotes from it.
JUNGER_STANDIN = (
    "[Stand-in text written for citator's tests; not the opinion.] Because computer source code is an "
    "expressive means for the exchange of information and ideas about computer programming, we hold "
    "that it is protected by the First Amendment."
)

#: INVENTED citing opinion standing in for Corley: it follows the withdrawn panel opinion without
#: noting the withdrawal, writes the district court Junger opinion's reversal after its cite, and
#: distinguishes the Sixth Circuit's Junger.
CORLEY_STANDIN = (
    "[Stand-in text written for citator's tests; not the opinion.] We follow Bernstein v. U.S. Dep't "
    "of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999), and hold that code is speech. Programmers "
    "read and write code to tell one another how a method works; that is communication, whatever "
    "else the code also does when a machine runs it. Nothing in the record suggests that the code at "
    "issue here was written for a machine alone, and the parties agree that it was published in a "
    "journal and discussed at conferences before the regulation reached it.\n\nThe district "
    "court in Junger v. Daley, 8 F. Supp. 2d 708, 716 (N.D. Ohio 1998), rev'd, 209 F.3d 481 (6th Cir. "
    "2000), saw it differently.\n\n"
    "Junger v. Daley, 209 F.3d 481 (6th Cir. 2000), is distinguishable: unlike the regulation there, "
    "the statute here targets only the code's function, so Junger does not control."
)


#: INVENTED citing opinion about an INVENTED case (9001 F.3d 10): it writes the case's subsequent
#: history after its cite, which is all the database knows of that case's status.
INVENTED_NOTING = (
    "[Invented text written for citator's tests; not an opinion.] The plaintiffs rely on Invented "
    "Coders v. Example Agency, 9001 F.3d 10, 14 (9th Cir.), reh'g en banc granted, opinion withdrawn, "
    "9003 F.3d 30 (9th Cir. 2000), which no longer binds us."
)


def _case(db, case_id: str, name: str, cite: str, court: str, date: str, text: str | None, depth: int = 1) -> None:
    corpus.upsert_case(db, records.CaseRecord(id=case_id, name=name, source="local", source_id=case_id,
                                           court_id=court, decision_date=date, citations=[(cite, "official")],
                                           depth=depth))
    if text is not None:
        fmt = "html" if text.startswith("<") else "text"
        corpus.upsert_opinion(db, records.OpinionRecord(id=f"{case_id}:0", case_id=case_id, text=text, text_format=fmt,
                                                     text_field="test", source="local", source_id=f"{case_id}:0"))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("citedb") / "citator.db"
    config = load_config(None, db=path, environ={})
    db = store.open_database(path)
    _case(db, "local:bernstein-9th", "Bernstein v. U.S. Dep't of Justice", "176 F.3d 1132", "ca9", "1999-05-06",
          BERNSTEIN_STANDIN, depth=0)
    _case(db, "local:junger-6th", "Junger v. Daley", "209 F.3d 481", "ca6", "2000-04-04", JUNGER_STANDIN)
    _case(db, "local:junger-dist", "Junger v. Daley", "8 F. Supp. 2d 708", "ohnd", "1998-07-02", None)
    _case(db, "local:corley", "Universal City Studios, Inc. v. Corley", "273 F.3d 429", "ca2", "2001-11-28",
          CORLEY_STANDIN)
    _case(db, "local:invented-withdrawn", "Invented Coders v. Example Agency", "9001 F.3d 10", "ca9", "2000-01-01", None)
    _case(db, "local:invented-citing", "Sample Lab v. Placeholder Board", "9002 F.3d 20", "ca9", "2001-01-01",
          INVENTED_NOTING)
    pipeline.extract(config, db)
    # A citing reference the treatment step labelled noted_withdrawn, for an INVENTED case whose
    # status the database knows from that label alone (written as the extract step writes rows).
    _case(db, "local:invented-noted", "Placeholder Group v. Hypothetical Office", "9004 F.3d 40", "ca9",
          "2000-02-02", None)
    noting = Reference(start=0, end=12, as_written="9004 F.3d 40", kind="full", cite="9004 F.3d 40",
                       treatment="noted_withdrawn", extra={"cited_case_id": "local:invented-noted"})
    corpus.upsert_opinion(db, records.OpinionRecord(
        id="local:invented-citing:1", case_id="local:invented-citing", text="9004 F.3d 40 [invented]",
        text_format="text", text_field="test", source="local", source_id="local:invented-citing:1", ordinal=1))
    db_references.replace_references(db, "local:invented-citing:1", "local:invented-citing", [noting], cited_case_ids={})
    db.conn.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json(args: list[str], tmp_path: Path, monkeypatch) -> tuple[int, dict]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cite, [*args, "--output", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def _by_cite(data: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for ref in data["references"]:
        out.setdefault(ref["cite"], []).append(ref)
    return out


@pytest.mark.slow
def test_the_database_is_read_and_never_changed(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    before = _digest(database)
    mtime = database.stat().st_mtime_ns
    _, data = _json([str(brief), "--db", str(database), "--all"], tmp_path, monkeypatch)
    assert data["references"]
    assert _digest(database) == before and database.stat().st_mtime_ns == mtime
    assert not Path(str(database) + "-journal").exists() and not Path(str(database) + "-wal").exists()


def test_an_old_schema_is_not_migrated(database: Path, tmp_path: Path, monkeypatch) -> None:
    """A database from an older citator is read as it is; opening it read-write would migrate it."""
    old = tmp_path / "old.db"
    old.write_bytes(database.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("pragma user_version = 5")
    before = _digest(old)
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(old)], tmp_path, monkeypatch)
    assert data["references"]
    assert _digest(old) == before


def test_a_read_only_file_can_be_checked_against(database: Path, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "snapshot.db"
    copy.write_bytes(database.read_bytes())
    copy.chmod(0o444)
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(copy)], tmp_path, monkeypatch)
    assert data["references"]


def test_a_missing_or_foreign_database_is_one_line_and_exit_1(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    brief = write_txt(tmp_path / "brief.txt")
    missing = CliRunner().invoke(cite, [str(brief), "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert not (tmp_path / "nope.db").exists()  # never created
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table notes (body text)")
    result = CliRunner().invoke(cite, [str(brief), "--db", str(foreign)])
    assert result.exit_code == 1 and "not a citator database" in result.output
    assert "Traceback" not in result.output


def test_a_database_from_a_newer_citator_or_another_program_is_refused_unchanged(
        database: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    brief = write_txt(tmp_path / "brief.txt")
    newer = tmp_path / "newer.db"
    newer.write_bytes(database.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("pragma user_version = 999")
    before = hashlib.sha256(newer.read_bytes()).hexdigest()
    result = CliRunner().invoke(cite, [str(brief), "--db", str(newer)])
    assert result.exit_code == 1 and "newer citator" in result.output
    assert hashlib.sha256(newer.read_bytes()).hexdigest() == before
    other = tmp_path / "other-app.db"
    other.write_bytes(database.read_bytes())
    with sqlite3.connect(other) as conn:
        conn.execute("pragma application_id = 12345")  # the same tables, marked by another program
    result = CliRunner().invoke(cite, [str(brief), "--db", str(other)])
    assert result.exit_code == 1 and "not a citator database" in result.output


def test_cited_opinions_relying_on_withdrawn_authority_are_flagged(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(database), "--all"], tmp_path, monkeypatch)
    (corley,) = _by_cite(data)["273 F.3d 429"]
    assert corley["relies_on_withdrawn"] == ["Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132"]
    assert any("relies on withdrawn authority" in w for w in corley["warnings"])
    assert any(s.startswith("Universal City Studios, Inc. v. Corley, 273 F.3d 429 relies on withdrawn authority")
               for s in data["summary"])


def test_negative_treatment_is_counted_per_authority(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(database), "--all"], tmp_path, monkeypatch)
    refs = _by_cite(data)
    assert {r["negative_cases"] for r in refs["209 F.3d 481"]} == {1}  # the stand-in distinguishes it
    assert {r["negative_cases"] for r in refs["176 F.3d 1132"]} == {0}
    assert any("209 F.3d 481: 1 citing case in the database distinguishes or criticizes it" in n for n in data["notes"])


def test_a_reversal_written_by_a_citing_court_is_a_status(database: Path, tmp_path: Path, monkeypatch) -> None:
    """Not a seed, no status configured: the database knows 8 F. Supp. 2d 708 was reversed because a
    citing opinion wrote "rev'd, 209 F.3d 481" after it. The fixture brief notes that history;
    a brief that cites the opinion bare is warned."""
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(database), "--all"], tmp_path, monkeypatch)
    (noted,) = _by_cite(data)["8 F. Supp. 2d 708"]
    assert noted["status"] == "reversed" and noted["warnings"] == []
    bare = tmp_path / "bare.txt"
    bare.write_text("The district court disagreed. Junger v. Daley, 8 F. Supp. 2d 708, 716 (N.D. Ohio 1998).\n",
                    encoding="utf-8")
    code, data = _json([str(bare), "--db", str(database), "--all", "--strict"], tmp_path, monkeypatch)
    assert code == 1
    (ref,) = data["references"]
    assert ref["status"] == "reversed"
    assert data["summary"] == [
        "8 F. Supp. 2d 708 was reversed (rev'd, 209 F.3d 481 (6th Cir. 2000)); "
        "the brief cites it without that history at line 1"
    ]


def test_quotations_are_checked_against_the_cited_opinion(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = write_txt(tmp_path / "brief.txt")
    _, data = _json([str(brief), "--db", str(database), "--all"], tmp_path, monkeypatch)
    quotes = {q["text"]: (ref, q) for ref in data["references"] for q in ref["quotations"]}
    ref, true = quotes[TRUE_QUOTE]
    assert ref["cite"] == "176 F.3d 1132" and ref["kind"] == "id"
    assert true["check"]["verdict"] == "verbatim"
    assert true["line"] == line_of('"to express', 1)
    ref, altered = quotes[ALTERED_QUOTE]
    assert altered["check"]["verdict"] == "changed"
    assert altered["check"]["differences"] == [
        '"technical" where the opinion has "scientific"',
        '"formulas" where the opinion has "equations"',
    ]
    assert "mathematicians use equations" in altered["check"]["passage"]
    assert any(w.startswith(f"quotation at line {line_of(chr(34) + 'to express', 2)}") for w in ref["warnings"])
    ref, junger = next(v for k, v in quotes.items() if k.startswith("an expressive means"))
    assert ref["cite"] == "209 F.3d 481" and junger["check"]["verdict"] == "verbatim"


def test_a_quotation_not_in_the_opinion_is_reported(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text(
        'The panel wrote that "export controls on published code are always invalid." '
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1145 (9th Cir.), reh'g en banc granted, "
        "opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999).\n",
        encoding="utf-8",
    )
    code, data = _json([str(brief), "--db", str(database), "--strict"], tmp_path, monkeypatch)
    (quote,) = data["references"][0]["quotations"]
    assert quote["check"]["verdict"] == "not_found"
    assert code == 1  # the history is given, but the quotation cannot be found


def test_docx_brief_against_the_database_reports_paragraphs(database: Path, tmp_path: Path, monkeypatch) -> None:
    brief = write_docx(tmp_path / "brief.docx")
    _, data = _json([str(brief), "--db", str(database)], tmp_path, monkeypatch)
    assert data["summary"][0].endswith("the brief cites it without that history at paragraph 3")
    assert {r["paragraph"] for r in data["references"]} == {3, 6}


def test_non_seed_cases_the_database_knows_as_withdrawn_are_warned(database: Path, tmp_path: Path, monkeypatch) -> None:
    """Status from a citing court's subsequent history (9001 F.3d 10), and from a citing reference
    labelled noted_withdrawn (9004 F.3d 40); both cases are invented."""
    brief = tmp_path / "brief.txt"
    brief.write_text(
        "WRITTEN FOR THE TESTS. Code is speech. Invented Coders v. Example Agency, 9001 F.3d 10, 14 "
        "(9th Cir. 2000).\n\nSo too Placeholder Group v. Hypothetical Office, 9004 F.3d 40 (9th Cir. 2000).\n",
        encoding="utf-8")
    code, data = _json([str(brief), "--db", str(database), "--all", "--strict"], tmp_path, monkeypatch)
    first, second = data["references"]
    assert code == 1
    assert first["status"] == "withdrawn" and first["status_history"].startswith("reh'g en banc granted")
    assert second["status"] == "withdrawn"
    assert second["status_history"] == "noted as withdrawn by Sample Lab v. Placeholder Board, 9002 F.3d 20"
    assert data["summary"] == [
        f"9001 F.3d 10 was withdrawn ({first['status_history']}); the brief cites it without that history at line 1",
        "9004 F.3d 40 was withdrawn (noted as withdrawn by Sample Lab v. Placeholder Board, 9002 F.3d 20); "
        "the brief cites it without that history at line 3",
    ]


def test_table_report_against_the_database(database: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    brief = write_txt(tmp_path / "brief.txt")
    result = CliRunner().invoke(cite, [str(brief), "--db", str(database), "--all", "--output", "table"])
    assert result.exit_code == 0
    out = result.stdout
    assert "quotations checked against the cited opinions: 2 found verbatim, 1 found with changes" in out
    assert "relies on withdrawn authority" in out and "quotation altered" in out
    toa = CliRunner().invoke(cite, [str(brief), "--db", str(database), "--all", "--toa", "--output", "table"]).stdout
    assert "[REVERSED]" in toa and "[relies on withdrawn]" in toa and "[negative treatment: 1 case]" in toa
