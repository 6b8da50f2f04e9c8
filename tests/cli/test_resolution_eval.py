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


def _one_doc_corpus(tmp_path, text: str, rows: list[dict]) -> str:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "doc-b.txt").write_text(text, encoding="utf-8")
    (tmp_path / "documents.jsonl").write_text(
        json.dumps({"slug": "doc-b", "text_file": "texts/doc-b.txt", "format": "text",
                    "source": {"resource_uri": "http://example.test/opinions/2/"}}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "references.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(tmp_path)


def _id_row(text: str, truth: str) -> dict:
    at = text.index("Id.")
    return {"doc": "doc-b", "id": "r1", "seed": "400 U.S. 1 | X", "start": at, "end": at + 3, "as_written": "Id.",
            "kind": "id", "in_footnote": False, "resolution_ok": False, "actually_refers_to": truth}


# imitates an opinion that misprints a case's first page (92 for 94) every time it cites it
MISPRINTED = "See INS v. Oakes, 485 U.S. 92, 104 (1988). The Court held the burden distinct. Id.\n"


def test_id_of_a_case_cited_under_a_misprinted_first_page_counts_as_that_case(tmp_path):
    corpus = _one_doc_corpus(tmp_path, MISPRINTED, [_id_row(MISPRINTED, "INS v. Oakes, 485 U.S. 94 (1988)")])
    scores = json.loads(CliRunner().invoke(resolution, [corpus, "--json"]).output)
    assert scores["scopes"]["all"]["id"]["citator_right"] == 1


def test_a_different_case_of_the_same_volume_is_still_wrong(tmp_path):
    corpus = _one_doc_corpus(tmp_path, MISPRINTED, [_id_row(MISPRINTED, "Elm v. Ash, 485 U.S. 94 (1988)")])
    scores = json.loads(CliRunner().invoke(resolution, [corpus, "--json"]).output)
    assert scores["scopes"]["all"]["id"]["citator_right"] == 0


def _corpus_and_bulk_folder(tmp_path):
    """A one-document labelled corpus (the MISPRINTED opinion) and an empty folder for bulk records."""
    (tmp_path / "c").mkdir()
    corpus = _one_doc_corpus(tmp_path / "c", MISPRINTED, [_id_row(MISPRINTED, "INS v. Oakes, 485 U.S. 94")])
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    return corpus, bulk


def test_bulk_counts_each_id_rule_on_opinions_not_in_the_corpus(tmp_path):
    corpus, bulk = _corpus_and_bulk_folder(tmp_path)
    # imitates opinions that cite the record by id. after a case (pin before the case's first page)
    record_id = "See Maple v. Oak, 947 F.2d 520, 522 (1st Cir. 1991). The officer saw it. Id. at 20.\n"
    records = [
        {"resource_uri": "http://example.test/opinions/1/", "absolute_url": "/opinion/1/a/", "plain_text": record_id},
        {"resource_uri": "http://example.test/opinions/2/", "absolute_url": "/opinion/2/b/", "plain_text": record_id},
        {"resource_uri": "http://example.test/opinions/3/", "absolute_url": "/opinion/3/c/",
         "html_with_citations": "<p>" + record_id + "</p>"},
    ]
    (bulk / "dump.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(resolution, [corpus, "--bulk", str(bulk), "--json"])
    assert result.exit_code == 0, result.output
    usage = json.loads(result.output)["id_rules"]
    assert usage["documents"] == 2  # opinion 2 is in the labelled corpus
    assert usage["rules"]["pin_before_first_page"]["fires"] == 2
    assert usage["rules"]["bracketed_insertion"]["fires"] == 0
    table = CliRunner().invoke(resolution, [corpus, "--bulk", str(bulk)]).output
    assert "pin_before_first_page" in table and "2 bulk opinions" in table


def test_bulk_counts_short_cites_resolved_by_name_past_a_misprint(tmp_path):
    corpus, bulk = _corpus_and_bulk_folder(tmp_path)
    # imitates an opinion that misprints the reporter of a short cite ("F.2d" for "N.E.2d")
    text = "See Dighton v. Pacific Co., 506 N.E.2d 509, 516 (Mass. 1987). It says so. Dighton, 506 F.2d at 515.\n"
    record = {"resource_uri": "http://example.test/opinions/9/", "absolute_url": "/opinion/9/d/", "plain_text": text}
    (bulk / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(resolution, [corpus, "--bulk", str(bulk), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id_rules"]["short_resolved_by_name"] == {"fires": 1, "documents": 1}
    table = CliRunner().invoke(resolution, [corpus, "--bulk", str(bulk)]).output
    assert "short cite by name" in table


def test_footnotes_bulk_says_where_each_note_is_read(tmp_path):
    corpus, bulk = _corpus_and_bulk_folder(tmp_path)
    # imitates CourtListener HTML: one note linked from the body, one whose mark is missing
    html_text = (
        '<p>The rule is old.<sup><a href="#fn1">1</a></sup> We apply it.</p>'
        '<div class="footnotes"><div class="footnote" id="fn1"><p>1 See the note.</p></div>'
        '<div class="footnote" id="fn2"><p>2 Another note.</p></div></div>'
    )
    (bulk / "dump.jsonl").write_text(
        json.dumps({"resource_uri": "http://example.test/opinions/9/", "html_with_citations": html_text}) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(footnotes, [corpus, "--bulk", str(bulk), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["placement"]["html"] == {
        "opinions": 1, "notes": 2, "at_number": 1, "continuation": 0, "where_it_stands": 1,
    }


# imitates an opinion that cites a case, then a statute, then the case again by name
WHOLE = (
    "See Maple v. Oak, 947 F.2d 520, 522 (1st Cir. 1991). The duty is plain. Id. at 523. "
    "The statute says so. 42 U.S.C. § 1983. It reaches every person. Id.\n"
)


def _whole_set(tmp_path) -> str:
    """A set labelled in full: every id. says what it refers to (`refers_to`, `refers_to_kind`),
    whatever plain eyecite answered (`resolution_ok`), and nothing labels treatment or footnotes."""
    first, second = (i for i in range(len(WHOLE)) if WHOLE.startswith("Id.", i))
    rows = [
        {"doc": "doc-b", "id": "w1", "seed": "947 F.2d 520 | Maple v. Oak", "start": first, "end": first + 10,
         "as_written": "Id. at 523", "kind": "id", "in_footnote": None, "treatment": None,
         "resolution_ok": True, "actually_refers_to": None, "refers_to": "947 F.2d 520 | Maple v. Oak",
         "refers_to_kind": "case"},
        # plain eyecite sent this id. to the statute's resource and is right; citator must name no case
        {"doc": "doc-b", "id": "w2", "seed": "42 U.S.C. § 1983 | ", "start": second, "end": second + 3,
         "as_written": "Id.", "kind": "id", "in_footnote": None, "treatment": None,
         "resolution_ok": True, "actually_refers_to": None, "refers_to": "statute", "refers_to_kind": "non-case"},
    ]
    return _one_doc_corpus(tmp_path, WHOLE, rows)


def test_a_set_labelled_in_full_is_scored_as_a_whole_by_its_own_labels(tmp_path):
    corpus = _whole_set(tmp_path)
    result = CliRunner().invoke(resolution, [corpus, "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["split"] == "none: scored as a whole"
    assert set(scores["scopes"]) == {"all", "case", "non-case"}
    assert scores["scopes"]["all"]["id"] == {
        "references": 2, "citator_right": 2, "eyecite_right": 2, "citator": 1.0, "eyecite": 1.0,
    }
    assert scores["scopes"]["non-case"]["id"]["references"] == 1
    table = CliRunner().invoke(resolution, [corpus]).output
    assert "scored as a whole" in table
    assert not any(line.startswith(("dev ", "held-out")) for line in table.splitlines())


def test_a_whole_set_row_naming_another_case_is_a_miss(tmp_path):
    corpus = _whole_set(tmp_path)
    rows = [json.loads(line) for line in open(f"{corpus}/references.jsonl", encoding="utf-8")]
    rows[0]["refers_to"] = "Elm v. Ash, 950 F.2d 1 (1st Cir. 1991)"
    with open(f"{corpus}/references.jsonl", "w", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in rows))
    scores = json.loads(CliRunner().invoke(resolution, [corpus, "--json", "--details"]).output)
    assert scores["scopes"]["case"]["id"]["citator_right"] == 0
    assert [m["id"] for m in scores["misses"]] == ["w1"]


def test_footnote_scores_skip_rows_that_do_not_label_footnotes(tmp_path):
    result = CliRunner().invoke(footnotes, [_whole_set(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["scopes"]["all"]["references"] == 0
