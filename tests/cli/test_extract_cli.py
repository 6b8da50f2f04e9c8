"""The `cite` and `eval extraction` commands, run as a user would (click's CliRunner).

The opinion text used here is invented for the test; it is not a real opinion.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from citator.cli import eval_group
from citator.cli_citations import cite, extraction
from tests.factories import CORPUS

OPINION = (
    "See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999). "
    "In Bernstein, the court held that source code is speech. Id. at 1142. "
    "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000).\n"
)


def test_cite_prints_one_json_line_per_seed_reference(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no citator.toml here: the built-in Bernstein seeds apply
    path = tmp_path / "opinion.txt"
    path.write_text(OPINION, encoding="utf-8")
    result = CliRunner().invoke(cite, [str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["kind"], r["authority_key"]) for r in rows] == [
        ("full", "bernstein-9th"),
        ("name_only", "bernstein-9th"),
        ("id", "bernstein-9th"),
    ]
    assert rows[0]["pin_cite"] == "1141" and rows[0]["signal"] == "see"
    assert OPINION[rows[0]["start"] : rows[0]["end"]] == rows[0]["as_written"]


def test_cite_all_reads_stdin_and_reports_other_cases(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cite, ["-", "--all"], input=OPINION)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"authority_key": None, "cite": "209 F.3d 481"}.items() <= rows[-1].items()


def test_cite_html_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "opinion.html"
    html = "<p><i>Bernstein v. U.S. Dep&apos;t of State</i>, 922 F. Supp. 1426 (N.D. Cal. 1996).</p>"
    path.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(cite, [str(path)])
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert html[row["start"] : row["end"]].startswith("Bernstein v. U.S. Dep&apos;t")  # offsets are the file's
    assert row["as_written"] == "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996)"  # text, no markup
    assert (row["line"], row["column"]) == (1, 7)
    assert row["authority_key"] == "bernstein-1"


def test_cite_reports_a_missing_file():
    result = CliRunner().invoke(cite, ["/nonexistent/opinion.txt"])
    assert result.exit_code != 0
    assert "cannot read" in result.output


def test_help_texts_carry_examples():
    for command in (cite, extraction):
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0
        assert "Example" in result.output


@pytest.mark.slow
@pytest.mark.usefixtures("shared_corpus")
def test_eval_extraction_table_and_json():
    runner = CliRunner()
    table = runner.invoke(eval_group, ["extraction", str(CORPUS)])
    assert table.exit_code == 0, table.output
    assert "recall" in table.output and "name_only" in table.output
    as_json = runner.invoke(eval_group, ["extraction", str(CORPUS), "--json"])
    scores = json.loads(as_json.output)
    assert scores["references"] == 306
    assert "missed" not in scores


def test_eval_extraction_rejects_a_folder_without_a_corpus(tmp_path):
    result = CliRunner().invoke(extraction, [str(tmp_path)])
    assert result.exit_code != 0
    assert "documents.jsonl" in result.output


def test_eval_extraction_details_list_the_fields_a_found_reference_gets_wrong(tmp_path):
    # a one-opinion corpus written for the test: the label says "see", the text has "see also"
    text = "The point is settled. See also Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999).\n"
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "doc.txt").write_text(text, encoding="utf-8")
    start = text.index("Bernstein")
    written = "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)"
    doc = {"slug": "doc", "text_file": "texts/doc.txt", "format": "txt",
           "seeds": ["176 F.3d 1132 | Bernstein v. U.S. Dep't of Justice"], "opinion_parts": [[0, "majority"]]}
    label = {"doc": "doc", "seed": doc["seeds"][0], "start": start, "end": start + len(written), "as_written": written,
             "kind": "full", "pin_cite": "1141", "signal": "see", "parenthetical": None, "in_footnote": False,
             "opinion_part": "majority"}
    (tmp_path / "documents.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "references.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    result = CliRunner().invoke(extraction, [str(tmp_path), "--json", "--details"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["recall"] == 1.0 and scores["signal_accuracy"] == 0.0
    (wrong,) = scores["mismatched"]
    assert wrong["start"] == start and wrong["fields"] == {"signal": {"label": "see", "found": "see also"}}
    plain = json.loads(CliRunner().invoke(extraction, [str(tmp_path), "--json"]).stdout)
    assert "mismatched" not in plain
