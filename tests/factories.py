"""Inputs the tests build: seeds, references and a brief, each written for the tests.

* The seeds a user gets out of the box (the Bernstein family, from the built-in configuration).
* Treatment test authorities: "Alpha v. Beta" at 500 U.S. 1 is INVENTED; the Bernstein entries
  carry the real citations of the seeds (no opinion text); `ref_at` builds a Reference to a
  phrase of a test text.
* A brief WRITTEN FOR THE TESTS, as .txt, .docx and .pdf. No party filed it; its argument is a
  sketch of how a brief against export controls on model weights would lean on the code-as-speech
  cases. The authorities it cites are real reporter citations (see
  ../shared/reference/bernstein-family.md); the quotation it attributes to 176 F.3d at 1141 is
  checked only against the stand-in text the database tests store for that opinion. Each thing
  `citator cite` must notice sits where a test can point at it: the withdrawn Ninth Circuit panel
  opinion cited bare (with an id. after it), later cited with its subsequent history (with an id.
  after that), non-seed cases (Junger v. Daley, Corley, the reversed Junger district court opinion
  with its history), statutes, and quotations, one faithful and one altered.
"""

from __future__ import annotations

import io
from pathlib import Path

from citator.citations.models import Authority, HistoryEntry, Reference
from citator.config import load_config
from tests.fakes.paths import SHARED

#: The project's shared labelled corpus, beside the repository.
CORPUS = SHARED / "corpus"

#: The built-in seeds: Bernstein I-IV and the 1999 en banc order.
BERNSTEIN = load_config(environ={}).seeds

SCOTUS_SEED = Authority(key="500 U.S. 1", name="Alpha v. Beta", citations=("500 U.S. 1",), court="scotus")
CA9_SEED = Authority(
    key="176 F.3d 1132",
    name="Bernstein v. U.S. Dep't of Justice",
    citations=("176 F.3d 1132",),
    court="ca9",
    status="withdrawn",
    history=(HistoryEntry("withdrawn_by", "192 F.3d 1308", "1999-09-30"),),
    family="bernstein",
)
DISTRICT_SEED = Authority(
    key="922 F. Supp. 1426",
    name="Bernstein v. U.S. Dep't of State",
    citations=("922 F. Supp. 1426",),
    court="cand",
    family="bernstein",
)


def ref_at(text: str, target: str, *, occurrence: int = 0, key: str = "500 U.S. 1", **fields) -> Reference:
    """A Reference to `target` as written in `text` (the n-th occurrence)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(target, start + 1)
    kind = fields.pop("kind", "name_only")
    return Reference(start=start, end=start + len(target), as_written=target, kind=kind, authority_key=key, **fields)


#: Paragraphs of the brief; each is one paragraph in the .docx and wrapped into lines in the .txt.
PARAGRAPHS = [
    "BRIEF OF AMICI CURIAE IN SUPPORT OF PLAINTIFFS (WRITTEN FOR CITATOR'S TESTS)",
    "The Export Administration Regulations, 15 C.F.R. § 734.3, and the Arms Export Control Act, "
    "22 U.S.C. § 2778, reach published model weights only if weights are not speech.",
    "Courts have long held that source code is expressive. See Bernstein v. U.S. Dep't of Justice, "
    "176 F.3d 1132, 1141 (9th Cir. 1999). Cryptographers use source code \"to express their scientific "
    "ideas in much the same way that mathematicians use equations or economists use graphs.\" Id. at 1141.",
    "The Sixth Circuit agreed: because source code is \"an expressive means for the exchange of "
    "information and ideas about computer programming,\" it is protected by the First Amendment. "
    "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000). The district court had held otherwise. "
    "Junger v. Daley, 8 F. Supp. 2d 708 (N.D. Ohio 1998), rev'd, 209 F.3d 481 (6th Cir. 2000).",
    "The Second Circuit took the same view of code while upholding an injunction on other grounds. "
    "Universal City Studios, Inc. v. Corley, 273 F.3d 429, 445 (2d Cir. 2001). Junger, 209 F.3d at 484.",
    "Amici acknowledge the procedural history of the Ninth Circuit's decision. Bernstein v. U.S. "
    "Dep't of Justice, 176 F.3d 1132 (9th Cir.), reh'g en banc granted, opinion withdrawn, 192 F.3d "
    "1308 (9th Cir. 1999). Its reasoning remains persuasive: the panel explained that cryptographers "
    "use code \"to express their technical ideas in much the same way that mathematicians use "
    "formulas.\" Id. at 1141.",
    "For these reasons the judgment should be reversed.",
]

#: The faithful quotation and the altered one, as the brief writes them.
TRUE_QUOTE = (
    "to express their scientific ideas in much the same way that mathematicians use equations or "
    "economists use graphs."
)
ALTERED_QUOTE = "to express their technical ideas in much the same way that mathematicians use formulas."

#: Stand-in for the text of 176 F.3d 1132 stored in the test databases: INVENTED placeholder
#: prose around the one sentence the brief quotes from it.
BERNSTEIN_STANDIN = (
    "<p>[Stand-in text written for citator's tests; not the opinion.] The government's licensing "
    "scheme is examined below.</p><p>Cryptographers use source code to express their scientific ideas "
    "in much the same way that mathematicians use equations or economists use graphs. Of course, "
    "the stand-in ends here.</p>"
)


def wrap(paragraph: str, width: int = 88) -> list[str]:
    """A paragraph broken into lines of at most `width` characters, at spaces."""
    lines, current = [], ""
    for word in paragraph.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def brief_text() -> str:
    """The brief as a text file: wrapped lines, a blank line between paragraphs."""
    return "\n\n".join("\n".join(wrap(p)) for p in PARAGRAPHS) + "\n"


def line_of(needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the text file on which `needle` starts (its n-th occurrence)."""
    text = brief_text()
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def paragraph_of(needle: str, occurrence: int = 1) -> int:
    """The 1-based paragraph holding the n-th occurrence of `needle`."""
    seen = 0
    for number, paragraph in enumerate(PARAGRAPHS, 1):
        seen += paragraph.count(needle)
        if seen >= occurrence:
            return number
    raise ValueError(needle)


def write_txt(path: Path) -> Path:
    path.write_text(brief_text(), encoding="utf-8")
    return path


def write_docx(path: Path) -> Path:
    """The brief as a Word document, one paragraph per paragraph (python-docx)."""
    import docx

    document = docx.Document()
    document.add_heading(PARAGRAPHS[0], level=1)
    for paragraph in PARAGRAPHS[1:]:
        document.add_paragraph(paragraph)
        document.add_paragraph("")  # a spacer paragraph, as writers add them
    document.save(str(path))
    return path


#: Paragraphs that start a new page in the PDF (so the brief runs to three pages).
PDF_PAGE_BREAKS = (3, 5)


def pdf_page_of(needle: str, occurrence: int = 1) -> int:
    paragraph = paragraph_of(needle, occurrence)
    return 1 + sum(1 for start in PDF_PAGE_BREAKS if paragraph > start)


def write_pdf(path: Path) -> Path:
    """The brief as a PDF with a page number at the foot of each page (fpdf2)."""
    from fpdf import FPDF

    class Brief(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Brief(format="Letter")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Times", size=12)
    for number, paragraph in enumerate(PARAGRAPHS, 1):
        if number - 1 in PDF_PAGE_BREAKS:
            pdf.add_page()
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(buffer)
    return buffer.getvalue()


#: A footnote the tests add to paragraph 5 of the .docx (briefs cite in footnotes too).
FOOTNOTE = "See also Junger v. Daley, 209 F.3d 481, 484 (6th Cir. 2000); Bernstein, 176 F.3d at 1140."
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write_docx_with_footnote(path: Path, paragraph: int = 5, text: str = FOOTNOTE) -> Path:
    """The brief as a .docx whose `paragraph` (1-based) calls one footnote holding `text`.

    python-docx writes no footnotes, so the footnote part, its relationship and content type are
    added to the package the way Word stores them.
    """
    import zipfile

    import docx
    from docx.oxml.ns import qn
    from docx.oxml import OxmlElement

    document = docx.Document()
    for number, body in enumerate(PARAGRAPHS, 1):
        p = document.add_paragraph(body)
        if number == paragraph:
            run = p.add_run()
            mark = OxmlElement("w:footnoteReference")
            mark.set(qn("w:id"), "1")
            run._r.append(mark)
    buffer = io.BytesIO()
    document.save(buffer)
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{_W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
            elif item.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>'))
            out.writestr(item, content)
        out.writestr("word/footnotes.xml", footnotes)
    return path
