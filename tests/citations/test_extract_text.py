"""Text preparation: HTML, CAP XML and plain text keep offsets into what the user gave us.

The opinion fragments are invented for these tests, in the markup shapes CourtListener and the
Caselaw Access Project use; they are not real opinions.
"""

from __future__ import annotations

import pytest

from hypothesis import given, settings, strategies as st

from citator.citations.extract import find_references
from citator.citations.text import detect_format, prepare_text
from tests.factories import BERNSTEIN

HTML = (
    '<html><body><div class="opinion"><p>The government argues otherwise. '
    "<i>See Bernstein v. U.S. Dep&apos;t of Justice</i>, 176 F.3d 1132, "
    '<span class="star-pagination">*1141</span> 1141 (9th Cir. 1999) '
    '(holding that source code is expressive).<a href="#fn1">1</a></p>\n'
    "<p>In <em>Bernstein</em>, the panel relied on <i>Freedman</i>. <i>Id.</i> at 1144.</p></div>\n"
    '<div class="footnotes"><div class="footnote" id="fn1"><p>1 Accord <i>Bernstein v. '
    "U.S. Dep&#39;t of State</i>, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996) &amp; more.</p></div></div>"
    "</body></html>"
)

CAP = (
    '<casebody><opinion type="majority"><author>FLETCHER, J.</author><p id="b1">We cite '
    '<page-number citation-index="1" label="12">*12</page-number>Bernstein v. U.S. Dep&apos;t '
    "of State, 945 F. Supp. 1279, 1290 (N.D. Cal. 1996).<footnotemark>1</footnotemark></p>"
    '<footnote label="1"><p>See Bernstein, 945 F. Supp. at 1291.</p></footnote></opinion>'
    '<opinion type="dissent"><p>I disagree with Bernstein II.</p></opinion></casebody>'
)


def test_format_is_detected():
    assert detect_format(HTML) == "html"
    assert detect_format(CAP) == "xml"
    assert detect_format("Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426.") == "text"


def test_html_entities_tags_and_star_pages_map_back_to_the_markup():
    found = find_references(HTML, BERNSTEIN, fmt="html")
    for ref in found:
        assert HTML[ref.start : ref.end] == ref.as_written
    full = found[0]
    assert full.as_written.startswith("Bernstein v. U.S. Dep&apos;t of Justice</i>")
    assert full.as_written.endswith("1141 (9th Cir. 1999)")
    assert (full.pin_cite, full.signal, full.parenthetical) == (
        "1141",
        "see",
        "holding that source code is expressive",
    )
    assert [r.kind for r in found] == ["full", "name_only", "id", "full"]
    assert found[2].extra["page"] == "1141"  # the id. sits on star page 1141


def test_html_footnotes_are_flagged():
    found = find_references(HTML, BERNSTEIN, fmt="auto")
    assert [(r.authority_key, r.in_footnote) for r in found] == [
        ("bernstein-9th", False),
        ("bernstein-9th", False),
        ("bernstein-9th", False),
        ("bernstein-1", True),
    ]
    assert found[-1].signal == "accord"


def test_cap_xml_footnotes_pages_and_opinion_parts():
    found = find_references(CAP, BERNSTEIN, fmt="xml")
    assert [(r.kind, r.in_footnote, r.opinion_part) for r in found] == [
        ("full", False, "majority"),
        ("short", True, "majority"),
        ("name_only", False, "dissent"),
    ]
    assert found[0].extra["page"] == "12"
    for ref in found:
        assert CAP[ref.start : ref.end] == ref.as_written


def test_plain_text_entities_and_line_breaks_keep_exact_spans():
    text = "See Cohen,\n        \n\n809  F. Supp.  at  535-36  &amp;  n.33."
    prepared = prepare_text(text)
    assert prepared.text == "See Cohen, 809 F. Supp. at 535-36 & n.33."
    start = prepared.text.index("&")
    assert prepared.source_span(start, start + 1) == (text.index("&amp;"), text.index("&amp;") + 5)


def test_running_heads_and_page_numbers_do_not_split_citations():
    # Invented slip-opinion page break inside a citation.
    text = (
        "as the Court held in Gratz v.\n\x0c4        SMITH v. JONES\n\n        Opinion of the Court\n\n"
        "Bollinger, 539 U. S. 244 (2003)."
    )
    assert "Gratz v. Bollinger, 539 U. S. 244 (2003)." in prepare_text(text).text


def test_plain_text_star_pages_are_read():
    prepared = prepare_text("text before [*1141] text after *1142 more, at *3 not a page")
    assert [label for _, label in prepared.star_pages] == ["1141", "1142"]
    assert prepared.page_at(len("text before [*1141] text")) == "1141"


def test_plain_text_footnotes_after_a_rule_line_are_found():
    text = "Body text.1\n————————\n  1 A note about the record.\n\n          4\n\x0cMore body text.\n"
    prepared = prepare_text(text)
    (span,) = prepared.footnotes
    assert text[span[0] : span[1]].strip().endswith("A note about the record.")
    assert "More body text." in prepared.text


def test_lawbox_notes_section_is_footnotes():
    # Invented opinion in the lawbox HTML shape: notes after a NOTES heading.
    html = (
        "<div><p>The panel held code is speech.<sup>[1]</sup></p><h2>NOTES</h2>"
        "<p>[1] See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999).</p></div>"
    )
    (ref,) = find_references(html, BERNSTEIN, fmt="html")
    assert ref.in_footnote and ref.signal == "see"


def test_preformatted_html_keeps_page_layout():
    # Invented plain-text opinion wrapped in <pre>, as CourtListener serves many older opinions.
    html = (
        '<pre class="inline">The court agreed.1 See Bernstein, 922 F. Supp.\n'
        "                    \n\n     1Accord Bernstein v. U.S. Dep&#39;t of State, "
        '<span class="citation">922 F. Supp. 1426</span> (N.D. Cal. 1996).\n\n'
        "                                4\n\n at 1430.</pre>"
    )
    found = find_references(html, BERNSTEIN, fmt="auto")
    assert [(r.kind, r.in_footnote) for r in found] == [("short", False), ("full", True)]
    assert found[0].pin_cite == "1430"  # the cite runs on after the footnote and the page number
    for ref in found:
        assert html[ref.start : ref.end] == ref.as_written


def test_parallel_short_forms_keep_the_id_chain():
    # Invented: a Supreme Court style parallel pin after an id.
    seed = BERNSTEIN[0]
    text = (
        "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996). "
        "Id. at 1430, 99 S. Ct. at 12. The court went on. Id. at 1431."
    )
    found = find_references(text, [seed])
    assert [(r.kind, r.pin_cite) for r in found] == [("full", None), ("id", "1430"), ("id", "1431")]


def test_cap_static_html_pages_parts_and_json_text_footnotes():
    # Invented case in the shapes of the CAP static site (HTML) and its JSON text field.
    html = (
        '<section class="casebody"><article class="opinion" data-type="dissent"><p>We disagree. '
        '<a class="page-label" data-label="37">*37</a> Bernstein II held otherwise.</p></article></section>'
    )
    (ref,) = find_references(html, BERNSTEIN, fmt="html")
    assert (ref.opinion_part, ref.extra["page"]) == ("dissent", "37")
    text = "The court agreed.\nIt said more.\n. See Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426 (N.D. Cal. 1996).\n"
    (ref,) = find_references(text, BERNSTEIN)
    assert ref.in_footnote and ref.signal == "see"


# The working text's builder reads long chunks a run at a time; it must give exactly what reading
# one character at a time gives (offsets and ends included), whatever the mix of spaces.
def _builder_by_characters(chunks: list[tuple[str, int]]) -> tuple[list, list, list]:
    from citator.citations.text import _Builder

    builder = _Builder()
    for chunk, pos in chunks:
        for i, ch in enumerate(chunk):
            builder.add(ch, pos + i)
    return builder.chars, builder.offsets, builder.ends


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab. \n\t\u00a0\u2028\u200b\ufeff\u3000xyz")), max_size=40), max_size=5))
def test_builder_reads_runs_exactly_as_characters(pieces: list[str]) -> None:
    from citator.citations.text import _Builder

    chunks, pos = [], 0
    for piece in pieces:
        chunks.append((piece, pos))
        pos += len(piece) + 3  # as if a tag stood between chunks
    builder = _Builder()
    for chunk, at in chunks:
        builder.add(chunk, at)
    assert (builder.chars, builder.offsets, builder.ends) == _builder_by_characters(chunks)


def test_unnumbered_lines_at_the_foot_of_a_line_numbered_page_are_its_footnotes():
    # imitates a Second Circuit slip opinion: body lines carry line numbers, footnotes do not
    from citator.citations.text import prepare_text

    body = "".join(f"{k:>2}   the court considered the remand order and the exceptions, line {k}\n\n" for k in range(1, 40))
    note = (  # the end of a note begun on the page before, then note 3
        "\n\n\n     exempts suits concerning a covered security. See Cardarelli, 527 F.3d at 30.\n"
        "            3\n"
        "               CAFA also provides other exceptions. See Cardarelli, 527 F.3d at 29 n.1.\n"
        "     The exceptions restrict appellate jurisdiction.\n\n"
        "                                                       8\n\f"
    )
    page2 = "".join(f"{k:>2}   the action goes on, line {k}\n\n" for k in range(1, 10))
    source = body + note + page2
    prepared = prepare_text(source, "text")
    assert prepared.in_footnote(source.index("See Cardarelli, 527 F.3d at 30"))
    assert prepared.in_footnote(source.index("See Cardarelli, 527 F.3d at 29"))
    assert not prepared.in_footnote(source.index("line 12"))
    assert not prepared.in_footnote(source.index("the action goes on"))


def test_a_notes_last_line_or_two_at_the_next_pages_foot_are_the_note():
    # imitates a 1990s typed opinion: double-spaced body, a line of spaces before the page's
    # single-spaced notes, and a note's last two lines carried to the foot of the next page
    from citator.citations.text import prepare_text

    def page(k: int, foot: str) -> str:
        body = "".join(f"the court weighed the claim on page {k} and found it wanting, line {j}\n\n" for j in range(12))
        return body + "                    \n\n" + foot + "         \n\n" + f"                             -{k}-\n\n"

    source = (
        page(1, "     8Quite unlike the child in Youngberg, Cameron is under a criminal\nsentence for serious crimes.  To that extent,\n")
        + page(2, "he  lacks  the  same  liberty  interest  as  the  child  in\nYoungberg.\n")
        + page(3, "and the court so found in the end.\n")[: -len("                             -3-\n\n")]
    )
    prepared = prepare_text(source, "text")
    assert prepared.in_footnote(source.index("the  child  in\nYoungberg"))
    assert prepared.in_footnote(source.index("Quite unlike"))
    assert not prepared.in_footnote(source.index("on page 2 and found"))
    assert not prepared.in_footnote(source.index("and the court so found"))


def test_a_page_number_typed_twice_ends_the_pages_notes():
    # imitates a 1993 typed release: double-spaced body, a line of spaces before the page's
    # single-spaced note (its lines kept apart by lines of spaces), and the page's number printed
    # twice ("-25-" then "25") before the next page's body
    from citator.citations.text import prepare_text

    def body(k: int) -> str:
        return "".join(f"the court weighed the claim on page {k} and found it wanting, line {j}\n\n" for j in range(12))

    spaces = " " * 56
    source = (
        body(24)
        + "                    \n\n"
        + "10.  With the consent of American Title, Bay Loan settled its\n"
        + "claim against Kirschner for $15,000.   American Title II, 817\n" + spaces + "\n"
        + "F. Supp. at 260.\n\n"
        + "                             -25-\n                              25\n\n"
        + body(25)
    )
    prepared = prepare_text(source, "text")
    assert prepared.in_footnote(source.index("American Title II, 817"))
    assert prepared.in_footnote(source.index("F. Supp. at 260"))
    assert not prepared.in_footnote(source.index("on page 25 and found"))
    assert not prepared.in_footnote(source.index("on page 24 and found it wanting, line 11"))


def test_a_numbered_note_quoting_a_statute_at_length_is_the_note():
    # imitates a 1993 typed release: after the typed separator, note 3 (its number, then spaces)
    # and note 4, which quotes a statute in indented lines down to the page's number; an indented
    # block quotation in the body, with no note number before it, stays body
    from citator.citations.text import prepare_text

    def body(k: int) -> str:
        return "".join(f"the court weighed the claim on page {k} and found it wanting, line {j}\n\n" for j in range(12))

    quote = "".join(f"          no agreement shall be valid against the FDIC, clause {j}\n" for j in range(8))
    spaces = " " * 40
    source = (
        body(3) + quote + "\n" + body(4)
        + "                    \n\n"
        + "3   Although  the decision dealt with  the FDIC  in its\n" + spaces + "\n"
        + "corporate capacity, the doctrine equally applies.  See Timberland Design,  Inc. v.\n" + spaces + "\n"
        + "First Serv. Bank for Sav., 932 F.2d 46, 48-49 (1st Cir. 1991).\n" + spaces + "\n\n"
        + "4  Section 1823(e) provides:\n\n" + quote + "\n"
        + "                               -4-\n\n"
        + body(5)
    )
    prepared = prepare_text(source, "text")
    assert prepared.in_footnote(source.index("See Timberland Design"))
    assert prepared.in_footnote(source.index("Section 1823(e) provides"))
    assert prepared.in_footnote(source.rindex("clause 7"))
    assert not prepared.in_footnote(source.index("clause 2"))  # the body's block quotation
    assert not prepared.in_footnote(source.index("on page 5 and found"))


def test_a_note_quoting_at_length_carried_to_the_next_pages_foot_is_the_note():
    # imitates a 1990s typed opinion: a note's block quotation (indented) runs over to the next
    # page's foot, after the typed separator, and the page's next numbered note follows it; an
    # indented block quotation in the body stays body
    from citator.citations.text import prepare_text

    body = "".join(f"the court weighed the claim and found it wanting, line {j}\n\n" for j in range(14))
    quote = "".join(f"     the Court said that information costs matter, line {j}\n" for j in range(4))
    source = (
        body + quote + "\n" + body
        + "                    \n\n"
        + "     tion is likely to be customer specific; costs\n     will vary from customer to customer with the\n"
        + "     type of equipment, degrees of use, and costs of\n     down-time.\n\nKodak, 112 S.Ct. at 2085-86.\n     \n\n"
        + "     10Considering the recent trends in the\nhealth care industry, fees have risen.\n\n"
        + "                             -14-\n\n" + body
    )
    prepared = prepare_text(source, "text")
    assert prepared.in_footnote(source.index("Kodak, 112 S.Ct. at 2085-86"))
    assert prepared.in_footnote(source.index("customer specific"))
    assert not prepared.in_footnote(source.index("information costs matter, line 2"))


def test_a_statute_section_split_by_the_line_end_is_not_a_footnote_number():
    # imitates a 1990s double-spaced plain-text opinion: a section number broken after its hyphen,
    # the next line opening with its subsections ("3(e)(1)") after a line of spaces; a real note
    # glued to its number ("4To be sure") at the page's foot still is one
    from citator.citations.extract import find_references
    from citator.citations.models import Authority

    ferc = Authority(key="ferc", name="FERC v. Mississippi", citations=("456 U.S. 742",))
    spaces = " " * 41
    text = (
        "QFs are entitled to special treatment under federal and state\n\n"
        "laws regulating power producers.    See 16  U.S.C.    824a-\n" + spaces + "\n\n"
        "3(e)(1);  18  C.F.R.    292.602(c)(1).   Congress viewed QFs as desirable.  See\n\n"
        "FERC v. Mississippi, 456 U.S. 742, 750 (1982).   The body goes on to the page's end.\n\n"
        "                    \n\n"
        "     4To be sure, the statute was later amended.  See FERC, 456 U.S. at 751.\n\n"
        "                              -3-\n"
        "                               3\n\n"
        "The body resumes here.  FERC, 456 U.S. at 752.\n"
    )
    flags = {r.pin_cite: r.in_footnote for r in find_references(text, [ferc])}
    assert flags == {"750": False, "751": True, "752": False}
