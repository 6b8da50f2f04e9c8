"""`citator cite` reads what a brief is saved as: text, Markdown, HTML, .docx, .pdf, standard input;
it recognises the format from the content, and refuses what it cannot read with one line and
exit code 2. The briefs are the test brief of tests/factories.py (written for the tests),
made into each format by the tests themselves.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from citator.brief_input import UnsupportedInput, read_brief, strip_markdown
from citator.cli_citations import cite
from tests.factories import (
    PARAGRAPHS,
    brief_text,
    docx_bytes,
    line_of,
    paragraph_of,
    pdf_page_of,
    write_docx,
    write_pdf,
    write_txt,
)


def run(args: list[str], tmp_path: Path, monkeypatch, input: bytes | None = None):
    monkeypatch.chdir(tmp_path)  # no citator.toml: the built-in Bernstein seeds
    return CliRunner().invoke(cite, args, input=input)


def references(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["references"]


def seed_locations(refs: list[dict]) -> list[tuple[str, str]]:
    return [(r["kind"], r["cite"]) for r in refs]


EXPECTED = [  # the brief's references to the seeds, in order
    ("full", "176 F.3d 1132"),
    ("id", "176 F.3d 1132"),
    ("full", "176 F.3d 1132"),
    ("full", "192 F.3d 1308"),
    ("id", "176 F.3d 1132"),
]


@pytest.mark.slow
@pytest.mark.parametrize("writer", [write_txt, write_docx, write_pdf], ids=["txt", "docx", "pdf"])
def test_the_same_brief_in_every_format_gives_the_same_references(writer, tmp_path, monkeypatch) -> None:
    path = writer(tmp_path / f"brief.{writer.__name__[6:]}")
    refs = references(run([str(path), "--output", "json"], tmp_path, monkeypatch))
    assert seed_locations(refs) == EXPECTED
    written = " ".join(refs[0]["as_written"].split())  # a text file keeps its line break
    assert written == "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)"
    assert all(r["start"] < r["end"] for r in refs)


def test_text_locations_are_lines_and_columns(tmp_path, monkeypatch) -> None:
    refs = references(run([str(write_txt(tmp_path / "brief.txt")), "--output", "json"], tmp_path, monkeypatch))
    text = brief_text()
    first = refs[0]
    assert first["line"] == line_of("See Bernstein") and first["location"] == f"line {first['line']}:{first['column']}"
    line_start = text.rindex("\n", 0, first["start"]) + 1
    assert first["column"] == first["start"] - line_start + 1
    assert text[first["start"] : first["end"]] == first["as_written"]


def test_docx_locations_are_paragraphs(tmp_path, monkeypatch) -> None:
    refs = references(run([str(write_docx(tmp_path / "brief.docx")), "--output", "json"], tmp_path, monkeypatch))
    assert [r["paragraph"] for r in refs] == [
        paragraph_of("See Bernstein"), paragraph_of("Id. at 1141"),
        paragraph_of("Bernstein v. U.S.", 2), paragraph_of("192 F.3d"), paragraph_of("Id. at 1141", 2),
    ]
    assert refs[0]["location"].startswith(f"¶ {paragraph_of('See Bernstein')}:")
    paragraph = PARAGRAPHS[refs[0]["paragraph"] - 1]
    assert paragraph[refs[0]["column"] - 1 :].startswith("Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132")


def test_pdf_locations_are_pages_and_lines(tmp_path, monkeypatch) -> None:
    refs = references(run([str(write_pdf(tmp_path / "brief.pdf")), "--output", "json"], tmp_path, monkeypatch))
    assert [r["page"] for r in refs] == [
        pdf_page_of("See Bernstein"), pdf_page_of("Id. at 1141"),
        pdf_page_of("Bernstein v. U.S.", 2), pdf_page_of("192 F.3d"), pdf_page_of("Id. at 1141", 2),
    ]
    assert refs[0]["page"] == 1 and refs[2]["page"] == 3
    assert all(r["line"] >= 1 and r["column"] >= 1 for r in refs)
    assert refs[0]["location"] == f"p. 1, line {refs[0]['line']}:{refs[0]['column']}"


def test_format_comes_from_the_content_not_the_suffix(tmp_path, monkeypatch) -> None:
    disguised = tmp_path / "brief.txt"
    disguised.write_bytes(docx_bytes())  # a Word document saved under a .txt name
    refs = references(run([str(disguised), "--output", "json"], tmp_path, monkeypatch))
    assert seed_locations(refs) == EXPECTED
    pdf = write_pdf(tmp_path / "brief.pdf")
    result = run(["-", "--output", "json"], tmp_path, monkeypatch, input=pdf.read_bytes())
    data = json.loads(result.stdout)
    assert data["format"] == "pdf" and data["file"] == "standard input"
    assert seed_locations(data["references"]) == EXPECTED


def test_markdown_and_html_give_text_without_marks(tmp_path, monkeypatch) -> None:
    md = tmp_path / "brief.md"
    md.write_text(
        "# Argument\n\nSource code is speech. *See* *Bernstein v. U.S. Dep't of Justice*, 176 F.3d 1132, "
        "1141 (9th Cir. 1999).\n",
        encoding="utf-8",
    )
    (ref,) = references(run([str(md), "--output", "json"], tmp_path, monkeypatch))
    assert ref["as_written"] == "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)"
    assert ref["signal"] == "see"
    original = md.read_text(encoding="utf-8").splitlines()[ref["line"] - 1]
    assert original[ref["column"] - 1 :].startswith("Bernstein v. U.S.")  # the file's own column
    page = tmp_path / "brief.htm"
    page.write_text(
        "<html><body>\n<p>Code is speech. <i>See Bernstein v.</i> U.S. Dep&#39;t of Justice, 176 F.3d 1132, 1141 "
        "(9th Cir. 1999).</p>\n</body></html>",
        encoding="utf-8",
    )
    (ref,) = references(run([str(page), "--output", "json"], tmp_path, monkeypatch))
    assert "<" not in ref["as_written"] and ref["as_written"].startswith("Bernstein v. U.S. Dep't of Justice")
    assert ref["line"] == 2


def test_strip_markdown_keeps_the_way_back() -> None:
    text = "**Bold** and _it_ [link](http://example.org) `code`"
    plain, offsets = strip_markdown(text)
    assert plain == "Bold and it link code"
    assert all(text[offsets[i]] == ch for i, ch in enumerate(plain))


@pytest.mark.parametrize(
    "data, says",
    [
        (bytes(range(256)) * 8, "a binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old binary Word (.doc)"),
    ],
    ids=["binary", "png", "doc"],
)
def test_binary_or_unsupported_input_is_one_line_and_exit_2(data, says, tmp_path, monkeypatch) -> None:
    path = tmp_path / "brief.txt"
    path.write_bytes(data)
    result = run([str(path)], tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and str(path) in lines[0]


def test_a_zip_that_is_not_a_docx_is_refused(tmp_path, monkeypatch) -> None:
    path = tmp_path / "brief.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    result = run([str(path)], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "a zip archive, not a .docx" in result.stderr


def test_a_pdf_without_text_says_to_ocr_it(tmp_path, monkeypatch) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)  # a drawing, no text: what a scan looks like to a text extractor
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    result = run([str(path)], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "no text layer" in result.stderr and "OCR" in result.stderr


@pytest.mark.parametrize("output", ["table", "json", "jsonl", "csv"])
def test_an_empty_file_says_so(output, tmp_path, monkeypatch) -> None:
    path = tmp_path / "brief.txt"
    path.write_bytes(b"")
    result = run([str(path), "--output", output], tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert f"{path}: the file is empty; there is nothing to check" in result.output
    if output == "json":
        data = json.loads(result.stdout)
        assert data["empty"] is True and data["references"] == []


def test_a_brief_without_references_says_so(tmp_path, monkeypatch) -> None:
    path = tmp_path / "brief.txt"
    path.write_text("Weights are numbers. Nothing here cites a case.\n", encoding="utf-8")
    result = run([str(path), "--output", "table"], tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert "no references to the configured seed authorities found" in result.output


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "citator.toml").write_text("[cite]\nmax_input_mb = 0.001\n", encoding="utf-8")
    path = write_txt(tmp_path / "brief.txt")
    result = run([str(path), "--config", str(tmp_path / "citator.toml")], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "max_input_mb" in result.stderr


def test_reader_rejects_encrypted_looking_garbage_pdf() -> None:
    with pytest.raises(UnsupportedInput, match="PDF that cannot be read"):
        read_brief(b"%PDF-1.7\nthis is not really a PDF", "broken.pdf", max_bytes=1_000_000)


def test_docx_footnotes_are_read_where_they_are_called(tmp_path, monkeypatch) -> None:
    from tests.factories import FOOTNOTE, write_docx_with_footnote

    path = write_docx_with_footnote(tmp_path / "brief.docx", paragraph=5)
    refs = references(run([str(path), "--output", "json", "--all"], tmp_path, monkeypatch))
    in_note = [r for r in refs if r.get("footnote") == 1]
    assert [(r["cite"], r["pin_cite"]) for r in in_note] == [("209 F.3d 481", "484"), ("176 F.3d 1132", "1140")]
    assert all(r["paragraph"] == 5 for r in in_note)
    assert in_note[0]["location"] == f"¶ 5 n.1:{FOOTNOTE.index('Junger') + 1}"
    body = [r for r in refs if "footnote" not in r]
    assert [r["paragraph"] for r in body][-1] == 6  # the paragraphs after the note keep their numbers
