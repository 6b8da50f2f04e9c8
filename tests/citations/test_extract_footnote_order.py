"""Footnotes are read where their numbers stand (issue 14, item 2), in every input format.

Each fixture imitates a court opinion (CourtListener HTML with footnote markup, CAP XML and CAP
HTML with the notes after the opinion, typed plain text with notes at the foot of the page); the
sentences are written for these tests, none is taken from an opinion. A case first cited in a
footnote has been cited when the body after the note's number names it; positions reported still
point into the text as given, and no reference runs across a footnote's edge.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citator.citations.extract import find_references
from citator.citations.footnotes import ReadingOrder, note_anchors
from citator.citations.text import prepare_text

BEFORE = "The State may regulate its primaries. Munro v. Socialist Workers Party, 479 U.S. 189, 193 (1986). Parties have rights of association."
NOTE = "See Tashjian v. Republican Party of Conn., 479 U.S. 208, 214 (1986)."
AFTER = "In Tashjian, the Court struck down a closed primary law. The Court upheld the ballot rule. Id. at 195."
FILLER = "The parties dispute the reach of that holding in this appeal."


def courtlistener_html(before: str, note: str, after: str, n: int = 1) -> str:
    return (
        f'<div class="opinion"><p>{before}<sup id="ref-fn{n}"><a href="#fn{n}">{n}</a></sup> {after}</p>'
        f"<p>{FILLER}</p></div>"
        f'<div class="footnotes"><div class="footnote" id="fn{n}"><a href="#ref-fn{n}">{n}</a>'
        f"<p>{note}</p></div></div>"
    )


def cap_xml(before: str, note: str, after: str, n: int = 1) -> str:
    return (
        '<casebody><opinion type="majority"><author>SMITH, J.</author>'
        f"<p>{before}<footnotemark>{n}</footnotemark> {after}</p><p>{FILLER}</p>"
        f'<footnote label="{n}"><p>{note}</p></footnote></opinion></casebody>'
    )


def cap_html(before: str, note: str, after: str, n: int = 1) -> str:
    return (
        '<section class="casebody"><article class="opinion" data-type="majority">'
        f'<p>{before}<a class="footnotemark" href="#footnote_1_{n}" id="ref_footnote_1_{n}">{n}</a> {after}</p>'
        f"<p>{FILLER}</p>"
        f'<aside class="footnote" data-label="{n}" id="footnote_1_{n}"><a href="#ref_footnote_1_{n}">{n}</a>'
        f"<p>{note}</p></aside></article></section>"
    )


def typed_text(before: str, note: str, after: str, n: int = 1) -> str:
    """A typed page: the body, the note below a rule at the page's foot, the page number, and
    the next page's body."""
    return (
        f"     {before}{n}\n\n"
        f"{FILLER}\n\n"
        "__________\n\n"
        f"     {n} {note}\n\n"
        "                                   -4-\n\f"
        f"{after}\n\n{FILLER}\n"
    )


FORMATS = {"html": courtlistener_html, "xml": cap_xml, "cap-html": cap_html, "text": typed_text}


def _read(fmt: str, text: str):
    return find_references(text, [], all_cases=True, fmt="text" if fmt == "text" else ("xml" if fmt == "xml" else "html"))


def test_each_format_reads_the_note_at_its_number():
    for fmt, build in FORMATS.items():
        text = build(BEFORE, NOTE, AFTER)
        prepared = prepare_text(text, "text" if fmt == "text" else ("xml" if fmt == "xml" else "html"))
        notes = note_anchors(prepared)
        assert len(notes) == 1, fmt
        # the note is read just after its number: before the body's "In Tashjian"
        order = ReadingOrder(notes)
        tashjian_in_body = prepared.text.index("In Tashjian")
        munro = prepared.text.index("Munro v.")
        assert order.key(munro) < order.key(notes[0].start) < order.key(tashjian_in_body), fmt


def test_a_case_first_cited_in_a_note_is_named_by_the_body_after_it():
    for fmt, build in FORMATS.items():
        text = build(BEFORE, NOTE, AFTER)
        refs = _read(fmt, text)
        names = [(r.as_written, r.cite, r.in_footnote) for r in refs if r.kind == "name_only"]
        assert ("Tashjian", "479 U.S. 208", False) in names, (fmt, names)


def test_the_body_id_after_a_note_follows_the_body_not_the_note():
    for fmt, build in FORMATS.items():
        refs = _read(fmt, build(BEFORE, NOTE, AFTER))
        ids = [(r.as_written, r.cite) for r in refs if r.kind == "id"]
        assert ids == [("Id. at 195", "479 U.S. 189")], (fmt, ids)


def test_a_notes_first_id_follows_the_body_before_its_number():
    note = "The rule is old. Id. at 191."
    for fmt, build in FORMATS.items():
        refs = _read(fmt, build(BEFORE, note, "The Court upheld it."))
        ids = [(r.cite, r.in_footnote) for r in refs if r.kind == "id"]
        assert ids == [("479 U.S. 189", True)], (fmt, ids)


def test_an_id_whose_pin_only_the_case_first_cited_in_a_note_holds_follows_the_prose_naming_it():
    """The body names a decision its note cited ("In Tashjian, ...") and pins an id. to a page
    before the first page of the case cited last in the body: the id. is the named decision, met
    in the note before the body's sentence, though the layout puts the note after it."""
    before = "The State may regulate its primaries. Munro v. Socialist Workers Party, 479 U.S. 289, 293 (1986)."
    after = "In Tashjian, the Court struck down a closed primary law. Id. at 214."
    for fmt, build in FORMATS.items():
        refs = _read(fmt, build(before, NOTE, after))
        ids = [(r.as_written, r.cite) for r in refs if r.kind == "id"]
        assert ids == [("Id. at 214", "479 U.S. 208")], (fmt, ids)


_SENTENCES = st.sampled_from(
    [
        FILLER,
        "See Elm v. Ash, 500 F.3d 10, 12 (1st Cir. 2007).",
        "Elm, 500 F.3d at 14.",
        "Id. at 13.",
        "The court below agreed with Elm.",
        "Cf. Oak v. Birch, 400 U.S. 5, 9 (1970) (quoting Elm v. Ash, 500 F.3d 10, 12 (1st Cir. 2007)).",
    ]
)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    fmt=st.sampled_from(sorted(FORMATS)),
    before=st.lists(_SENTENCES, min_size=1, max_size=4),
    note=st.lists(_SENTENCES, min_size=1, max_size=3),
    after=st.lists(_SENTENCES, min_size=0, max_size=4),
    number=st.integers(min_value=1, max_value=40),
)
def test_references_point_into_the_input_and_never_cross_a_note(fmt, before, note, after, number):
    text = FORMATS[fmt](
        BEFORE + " " + " ".join(before), NOTE + " " + " ".join(note), AFTER + " " + " ".join(after), number
    )
    prepared = prepare_text(text, "text" if fmt == "text" else ("xml" if fmt == "xml" else "html"))
    refs = find_references(text, [], all_cases=True, prepared=prepared)
    spans = sorted(prepared.footnotes)
    assert spans, "the note was found"
    for r in refs:
        assert text[r.start : r.end] == r.as_written
        assert r.in_footnote == prepared.in_footnote(r.end - 1), r
        assert not any(r.start < a < r.end or r.start < b < r.end for a, b in spans), r
    # whatever the note holds, the body after it names the case the note cited first
    assert any(r.kind == "name_only" and r.cite == "479 U.S. 208" and not r.in_footnote for r in refs)


def test_a_cite_broken_by_a_page_foot_note_is_reported_up_to_the_note():
    # imitates a typed page whose last body line breaks a citation before its reporter
    text = (
        f"     {FILLER} Witnesses are immune from suit. See Briscoe v. LaHue, 460\n\n"
        "__________\n\n"
        "     7 Describing the rule, the court relied on the common law of witnesses.\n\n"
        "                                   -4-\n\f"
        f"U.S. 325, 330 (1983). {FILLER}\n"
    )
    prepared = prepare_text(text, "text")
    refs = [r for r in find_references(text, [], all_cases=True, prepared=prepared) if r.cite == "460 U.S. 325"]
    assert refs, "the broken citation is still read"
    note_start, note_end = prepared.footnotes[0]
    for r in refs:
        assert text[r.start : r.end] == r.as_written
        assert r.end <= note_start or r.start >= note_end, r.as_written


def test_a_dotted_section_number_is_not_taken_for_the_notes_number():
    text = typed_text(
        "The court denied the departure.", "The guideline was amended in 1992.",
        "It then applied section 3E1.1 to the defendant.",
    ).replace("departure.1\n", "departure.1 The court applied section 3E1.1 to him.\n")
    prepared = prepare_text(text, "text")
    notes = note_anchors(prepared)
    assert len(notes) == 1
    assert prepared.text[: notes[0].anchor].rstrip().endswith("departure.1")


def test_lawbox_notes_under_a_heading_are_read_at_their_numbers():
    # imitates CourtListener's lawbox HTML: "[1]" marks in the body, the notes under "NOTES"
    text = (
        f"<p>{BEFORE}<sup>[1]</sup> {AFTER}</p><p>{FILLER}</p><p><i>Affirmed.</i></p>"
        f"<h2>NOTES</h2><p>[1]  {NOTE}</p><p>[2]  The parties agree on the facts.</p>"
    )
    prepared = prepare_text(text, "html")
    notes = [n for n in note_anchors(prepared) if prepared.text[n.start : n.start + 3] == "[1]"]
    assert len(notes) == 1
    assert prepared.text[: notes[0].anchor].endswith("association.[1]")
    names = [(r.as_written, r.cite) for r in find_references(text, [], all_cases=True, fmt="html") if r.kind == "name_only"]
    assert ("Tashjian", "479 U.S. 208") in names


def test_the_sentence_calling_the_note_that_first_cites_a_case_may_name_it():
    # a hearing named after a decision in the body, its note citing the decision; in the note, a
    # name before its own citation ("At the Franks hearing, see Franks v. Delaware") is a mention,
    # but a name cut short before its citation ("Carreras v. Sajo, Garcia & Partners, 596 F.3d")
    # stays the citation's
    before = (
        "The warrant issued in May. The search followed. The affidavit formed the primary focus of "
        "the Franks hearing"
    )
    note = (
        "At the Franks hearing, see Franks v. Delaware, 438 U.S. 154 (1978), the court also heard "
        "him. The facts are not in dispute. Carreras v. Sajo, Garcia & Partners, 596 F.3d 25, 32 (1st Cir. 2010)."
    )
    after = "The hearing was held before the district court."
    for fmt, build in FORMATS.items():
        text = build(before, note, after)
        found = [(r.kind, r.cite) for r in _read(fmt, text)]
        assert found.count(("name_only", "438 U.S. 154")) == 2, (fmt, found)
        assert ("name_only", "596 F.3d 25") not in found, (fmt, found)
