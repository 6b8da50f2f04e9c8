"""`citator eval resolution` and `citator eval footnotes` on a small labelled corpus.

The corpus is written here in the format of `../shared/treatment`; its opinion text imitates how
a court cites (subsequent history, a footnote at the foot of the page) and is not a real opinion.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from citator.cli_resolution import footnotes, resolution
from citator.evaluate_resolution import half_of

OPINION = (
    "The rule is settled. Smith v. Jones, 819 F.2d 1002, 1005 (11th Cir.), cert. denied, "
    "484 U.S. 917 (1987). The court there held more. Id. at 1007. We agree.\n"
)


def _corpus(tmp_path, in_footnote: bool = False):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "doc-a.txt").write_text(OPINION, encoding="utf-8")
    (tmp_path / "documents.jsonl").write_text(
        json.dumps({"slug": "doc-a", "text_file": "texts/doc-a.txt", "format": "text"}) + "\n", encoding="utf-8"
    )
    full_at = OPINION.index("819 F.2d")
    id_at = OPINION.index("Id. at")
    rows = [
        # plain eyecite was right about the full cite and sent the id. to the cert. denial
        {"doc": "doc-a", "id": "r1", "seed": "819 F.2d 1002 | Smith v. Jones", "start": full_at,
         "end": full_at + 13, "as_written": "819 F.2d 1002", "kind": "full", "in_footnote": in_footnote,
         "resolution_ok": True, "actually_refers_to": None},
        {"doc": "doc-a", "id": "r2", "seed": "484 U.S. 917 | Smith v. Jones", "start": id_at,
         "end": id_at + 11, "as_written": "Id. at 1007", "kind": "id", "in_footnote": False,
         "resolution_ok": False, "actually_refers_to": "Smith v. Jones, 819 F.2d 1002 (11th Cir. 1987)"},
    ]
    (tmp_path / "references.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def test_resolution_scores_citator_next_to_plain_eyecite(tmp_path):
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(resolution, [str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["scopes"]
    assert scores["all"]["id"] == {
        "references": 1, "citator_right": 1, "eyecite_right": 0, "citator": 1.0, "eyecite": 0.0,
    }
    assert scores["all"]["full"]["citator_right"] == 1
    assert scores[half_of("doc-a")]["id"]["references"] == 1


def test_resolution_table_names_the_kinds(tmp_path):
    result = CliRunner().invoke(resolution, [str(_corpus(tmp_path))])
    assert result.exit_code == 0
    assert "all       id" in result.output and "1/1 1.000" in result.output


def test_footnote_flag_disagreement_is_counted(tmp_path):
    corpus = _corpus(tmp_path, in_footnote=True)  # labelled in a footnote, but it is body text
    result = CliRunner().invoke(footnotes, [str(corpus), "--json", "--details"])
    assert result.exit_code == 0
    scores = json.loads(result.output)
    assert scores["scopes"]["all"]["accuracy"] == 0.5
    assert [w["id"] for w in scores["wrong"]] == ["r1"]


def test_a_folder_that_is_not_a_labelled_corpus_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(resolution, [str(tmp_path)])
    assert result.exit_code != 0
    assert "documents.jsonl" in result.output and "Traceback" not in result.output
