"""Reading a brief for `citator cite`: plain text, Markdown, HTML, .docx and .pdf, by content.

A brief-writer hands citator whatever the draft is saved as, often with the wrong suffix or on
standard input, so the format is decided from the bytes (a .docx is a zip holding
word/document.xml, a PDF starts with %PDF-, HTML has tags), not from the name alone. A file that
is none of these (an image, an old binary .doc, a zip) is refused with one line saying what it is,
never read as garbage and never reported as "no references".

Every reader returns a `BriefDocument`: the text the extractor reads and a way to turn an offset
in it into the place a writer looks for it: a line and column in a text file, a paragraph in a
.docx (Word shows no line numbers), a page and the line on that page in a PDF.
"""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

__all__ = [
    "BriefDocument",
    "Location",
    "UnsupportedInput",
    "read_brief",
    "sniff",
]

class UnsupportedInput(Exception):
    """The input is not something citator can read as a brief; the message says what it is."""


@dataclass(frozen=True)
class Location:
    """Where a character sits, as a writer finds it in the document.

    `line` and `column` are 1-based. For a .docx `line` is the paragraph number (and `paragraph`
    says so); for a PDF it is the line on `page`.
    """

    line: int
    column: int
    page: int | None = None
    paragraph: int | None = None
    footnote: int | None = None  # a .docx footnote's number; `paragraph` is the one that calls it

    @property
    def label(self) -> str:
        """"line 12:5", "¶ 4:17" or "p. 3, line 12:5"."""
        if self.page is not None:
            return f"p. {self.page}, line {self.line}:{self.column}"
        if self.footnote is not None:
            return f"¶ {self.paragraph} n.{self.footnote}:{self.column}"
        if self.paragraph is not None:
            return f"¶ {self.paragraph}:{self.column}"
        return f"line {self.line}:{self.column}"

    @property
    def place(self) -> int:
        """The unit a table of authorities lists: page (PDF), paragraph (.docx) or line."""
        return self.page if self.page is not None else self.line

    def to_dict(self) -> dict[str, int]:
        data = {"line": self.line, "column": self.column}
        if self.page is not None:
            data["page"] = self.page
        if self.paragraph is not None:
            data["paragraph"] = self.paragraph
        if self.footnote is not None:
            data["footnote"] = self.footnote
        return data


@dataclass
class BriefDocument:
    """A brief as the extractor reads it, with the map back to the places a writer sees.

    `text` is what `find_references` reads (HTML stays HTML, `fmt` = "html", so offsets are offsets
    into the file). `origin` is the text line numbers are counted in, and `origin_offsets[i]` the
    index in `origin` of `text[i]` when the two differ (Markdown with its emphasis marks taken
    out); `units` are the start offsets in `text` of the paragraphs (.docx) or pages (PDF).
    """

    text: str
    fmt: str  # "text", "html" or "xml": how find_references reads `text`
    kind: str  # "text", "markdown", "html", "xml", "docx" or "pdf"
    name: str = "-"
    unit: str = "line"  # "line", "paragraph" or "page": what `Location.place` counts
    units: list[int] = field(default_factory=list)
    #: per unit of a .docx: (paragraph number, footnote number or None)
    unit_labels: list[tuple[int, int | None]] | None = None
    origin: str | None = None
    origin_offsets: list[int] | None = None
    _line_starts: list[int] | None = field(default=None, init=False, repr=False)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def place_name(self) -> str:
        """How a table of authorities names its locators: "lines", "paragraphs" or "pages"."""
        return {"line": "lines", "paragraph": "paragraphs", "page": "pages"}[self.unit]

    def locate(self, offset: int) -> Location:
        """The line and column (and page or paragraph) of `text[offset]`."""
        offset = max(0, min(offset, len(self.text)))
        if self.unit in ("paragraph", "page") and self.units:
            i = bisect.bisect_right(self.units, offset) - 1
            i = max(i, 0)
            start = self.units[i]
            if self.unit == "paragraph":
                number, footnote = self.unit_labels[i] if self.unit_labels else (i + 1, None)
                return Location(line=number, column=offset - start + 1, paragraph=number, footnote=footnote)
            line = self.text.count("\n", start, offset) + 1
            line_start = self.text.rfind("\n", start, offset) + 1 if line > 1 else start
            return Location(line=line, column=offset - line_start + 1, page=i + 1)
        origin = self.origin if self.origin is not None else self.text
        if self.origin_offsets is not None:
            offset = self.origin_offsets[offset] if offset < len(self.origin_offsets) else len(origin)
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", origin)]
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return Location(line=i + 1, column=offset - self._line_starts[i] + 1)


# --- recognising the input ------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC = (
    (b"%PDF-", "pdf"),
    (_OLE, "an old binary Word (.doc) or other OLE file; save it as .docx"),
    (b"{\\rtf", "a Rich Text Format file; save it as .docx or plain text"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "a SQLite database"),
)


def sniff(data: bytes, suffix: str | None = None) -> str:
    """The kind of input: "docx", "pdf", "html", "xml", "markdown" or "text".

    Raises UnsupportedInput for anything else, naming what it looks like. The bytes decide;
    the suffix only tells Markdown from plain text (which read alike).
    """
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "pdf":
                return "pdf"
            raise UnsupportedInput(f"{kind}, not a brief citator can read (.txt, .md, .html, .docx, .pdf)")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise UnsupportedInput("a damaged zip archive (a .docx that did not save completely?)") from None
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            raise UnsupportedInput("an OpenDocument file; save it as .docx")
        raise UnsupportedInput("a zip archive, not a .docx")
    text = _decode(data)
    if text is None:
        raise UnsupportedInput("a binary file, not text, .docx or .pdf")
    from citator.citations.text import detect_format

    fmt = detect_format(text)
    if fmt != "text":
        return fmt
    if suffix in (".md", ".markdown") or _looks_like_markdown(text):
        return "markdown"
    return "text"


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252; None for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:65536]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(sample) // 100:
        return None
    return data.decode("cp1252", errors="replace")


_MD_HINT = re.compile(r"^(?:#{1,6} |\* |- |> )|\*\*[^*\n]+\*\*|(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])|\[[^\]\n]+\]\([^)\n]+\)", re.M)


def _looks_like_markdown(text: str) -> bool:
    return len(_MD_HINT.findall(text[:20000])) >= 3


# --- readers ----------------------------------------------------------------------------------------


def read_brief(data: bytes, name: str = "-", *, max_bytes: int) -> BriefDocument:
    """Read a brief from its bytes; `name` is the file name ("-" for standard input)."""
    if max_bytes and len(data) > max_bytes:
        raise UnsupportedInput(
            f"{len(data) / 1048576:.1f} MB, more than the {max_bytes / 1048576:.0f} MB citator reads "
            "(raise [cite] max_input_mb in citator.toml)"
        )
    suffix = PurePath(name).suffix.lower() or None
    kind = sniff(data, suffix)
    if kind == "docx":
        return _read_docx(data, name)
    if kind == "pdf":
        return _read_pdf(data, name)
    text = _decode(data) or ""
    if kind == "markdown":
        plain, offsets = strip_markdown(text)
        return BriefDocument(plain, "text", "markdown", name, origin=text, origin_offsets=offsets)
    return BriefDocument(text, kind if kind in ("html", "xml") else "text", kind, name)


_MD_MARK = re.compile(
    r"^(?:#{1,6}[ \t]+|>[ \t]?|[ \t]*(?:[*+-]|\d+\.)[ \t]+)"  # heading, quote, list marks
    r"|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"  # strong and emphasis
    r"|(?<![\w_])_(?=\S)|(?<=\S)_(?![\w_])|`",
    re.M,
)
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")


def strip_markdown(text: str) -> tuple[str, list[int]]:
    """Markdown without its marks (emphasis, headings, list bullets, links' targets), and for
    every character kept its index in `text`, so a cite's line and column are the file's."""
    drop = [False] * len(text)
    for m in _MD_LINK.finditer(text):
        drop[m.start()] = True  # "["
        for i in range(m.end(1), m.end()):
            drop[i] = True  # "](target)"
    for m in _MD_MARK.finditer(text):
        for i in range(m.start(), m.end()):
            if text[i] != "\n":
                drop[i] = True
    kept = [i for i, d in enumerate(drop) if not d]
    return "".join(text[i] for i in kept), kept + [len(text)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(document) -> list[tuple[str, list[str]]]:
    """Body paragraphs in reading order (table cells' included), each with the ids of the
    footnotes it calls."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[tuple[str, list[str]]] = []

    def walk(parent) -> None:
        for block in parent.iter_inner_content():
            if isinstance(block, Paragraph):
                calls = [el.get(f"{_W}id") for el in block._p.iter(f"{_W}footnoteReference")]
                blocks.append((block.text, [c for c in calls if c is not None]))
            elif isinstance(block, Table):
                for row in block.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell repeats
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)

    walk(document)
    return blocks


def _docx_footnotes(data: bytes) -> dict[str, str]:
    """Footnote id -> its text, from word/footnotes.xml (python-docx does not read footnotes)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/footnotes.xml" not in archive.namelist():
                return {}
            root = etree.fromstring(archive.read("word/footnotes.xml"))
    except (zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    notes = {}
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") not in (None, "normal"):
            continue  # the separator lines Word keeps as footnotes
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p")]
        notes[note.get(f"{_W}id")] = " ".join(p.strip() for p in paragraphs if p.strip())
    return notes


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _read_docx(data: bytes, name: str) -> BriefDocument:
    """A .docx as its non-empty paragraphs, a blank line between them, each footnote right after
    the paragraph that calls it; a location's line is its paragraph's number (empty paragraphs
    not counted), and a footnote's paragraph is the one that calls it."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged packages
        raise UnsupportedInput(f"a .docx that cannot be read ({exc.__class__.__name__}: {exc})") from None
    footnotes = _docx_footnotes(data)
    numbers = {}  # footnote id -> the number Word shows (footnotes are numbered in calling order)
    parts: list[str] = []
    starts: list[int] = []
    labels: list[tuple[int, int | None]] = []
    pos = 0

    def add(text: str, label: tuple[int, int | None]) -> None:
        nonlocal pos
        starts.append(pos)
        labels.append(label)
        parts.append(text)
        pos += len(text) + 2

    paragraph = 0
    for text, calls in _docx_blocks(document):
        text = _clean(text)
        if not text and not calls:
            continue
        paragraph += 1
        add(text, (paragraph, None))
        for call in calls:
            numbers.setdefault(call, len(numbers) + 1)
            note = _clean(footnotes.get(call, ""))
            if note:
                add(note, (paragraph, numbers[call]))
    return BriefDocument("\n\n".join(parts), "text", "docx", name, unit="paragraph", units=starts,
                         unit_labels=labels)


def _read_pdf(data: bytes, name: str) -> BriefDocument:
    """A PDF as its pages' text, a form feed between pages (so running heads and page numbers
    are read as layout, not text); lines are counted within each page."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedInput("an encrypted PDF; save an unprotected copy")
        pages = [(page.extract_text() or "").replace("\r\n", "\n").replace("\f", "\n") for page in reader.pages]
    except UnsupportedInput:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnsupportedInput(f"a PDF that cannot be read ({exc})") from None
    if pages and not any(p.strip() for p in pages):
        raise UnsupportedInput(
            f"a PDF of {len(pages)} page(s) with no text layer (a scan?); run OCR on it first"
        )
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, text in enumerate(pages):
        if i:
            parts.append("\n\f")
            pos += 2
        starts.append(pos)
        parts.append(text)
        pos += len(text)
    return BriefDocument("".join(parts), "text", "pdf", name, unit="page", units=starts)
