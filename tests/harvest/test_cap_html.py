"""A CAP case's HTML file cut into its opinions (harvest/cap_html.py), in the exporter's shapes.

The files here are written for these tests in the shape of CAP's `html/<file_name>.html` (reference
section 5: `<article class="opinion" data-type=...>`, `<a class="footnotemark">`, `<aside
class="footnote">`); their sentences are invented, none is taken from an opinion.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citator.harvest import cap_html

MAJORITY = {"type": "majority", "text": "INVENTED majority."}
DISSENT = {"type": "dissent", "text": "INVENTED dissent."}


def _article(kind: str, body: str, notes: str = "") -> str:
    return f'<article class="opinion" data-type="{kind}">\n<p id="b1-1">{body}</p>\n{notes}</article>'


def _note(opinion: int, number: int, text: str) -> str:
    return (f'<aside data-label="{number}" class="footnote" id="footnote_{opinion}_{number}">'
            f'<a href="#ref_footnote_{opinion}_{number}">{number}</a><p>{text}</p></aside>\n')


def _mark(opinion: int, number: int) -> str:
    return f'<a class="footnotemark" href="#footnote_{opinion}_{number}" id="ref_footnote_{opinion}_{number}">{number}</a>'


def _file(*articles: str, head: str = "", tail: str = "") -> str:
    return ('<section class="casebody" data-case-id="32044000000000_0001" data-firstpage="1" data-lastpage="3">\n'
            f'<section class="head-matter"><h4 class="parties">INVENTED v. INVENTED.</h4>{head}</section>\n'
            + "\n".join(articles) + f"\n{tail}</section>\n")


def test_each_opinion_gets_its_own_article_with_its_own_notes() -> None:
    first = _article("majority", f"Body one.{_mark(1, 1)} More.", _note(1, 1, "Note one of the majority."))
    second = _article("dissent", f"Body two.{_mark(2, 1)}", _note(2, 1, "Note one of the dissent."))
    texts = cap_html.opinion_html(_file(first, second), [MAJORITY, DISSENT])
    assert texts == [first, second]
    assert "head-matter" not in texts[0] and "Note one of the dissent." not in texts[0]


def test_a_note_outside_every_article_goes_with_the_article_holding_its_mark() -> None:
    first = _article("majority", "No marks here.")
    second = _article("dissent", f"Marked.{_mark(2, 3)}")
    stray = _note(2, 3, "A note the file keeps after the last opinion.")
    texts = cap_html.opinion_html(_file(first, second, tail=stray), [MAJORITY, DISSENT])
    assert texts is not None
    assert texts[0] == first and texts[1].startswith(second) and stray.strip() in texts[1]
    # a note whose mark is in no opinion (the head matter's own note) goes nowhere
    head_note = _note(0, 1, "A note of the head matter.")
    texts = cap_html.opinion_html(_file(first, second, head=head_note), [MAJORITY, DISSENT])
    assert texts == [first, second]


def test_opinions_that_do_not_line_up_with_the_json_are_refused() -> None:
    both = _file(_article("majority", "One."), _article("dissent", "Two."))
    assert cap_html.opinion_html(both, [MAJORITY]) is None  # another count
    assert cap_html.opinion_html(both, [MAJORITY, MAJORITY]) is None  # another type in a place
    assert cap_html.opinion_html(both, [DISSENT, MAJORITY]) is None  # another order
    assert cap_html.opinion_html(_file(), []) is None  # no opinion at all: nothing to gain
    truncated = both[: both.rindex("</article>")]
    assert cap_html.opinion_html(truncated, [MAJORITY, DISSENT]) is None  # the last article left open
    assert cap_html.opinion_html("<html>not a case</html>", [MAJORITY]) is None


def test_articles_inside_an_opinion_and_articles_of_other_kinds_are_not_opinions() -> None:
    inner = '<article class="quoted"><p>An inner block.</p></article>'
    outer = _article("majority", f"Text {inner} more text.")
    other = '<article class="syllabus"><p>Not an opinion.</p></article>'
    assert cap_html.opinion_html(_file(other, outer), [MAJORITY]) == [outer]


def test_hostile_markup_is_refused_without_error() -> None:
    hostile = "<article class='opinion' data-type='majority'>" * 5000 + "<aside class='footnote' id='x'>" * 5000
    assert cap_html.opinion_html(hostile, [MAJORITY]) is None
    assert cap_html.decode(b"\xff\xfe<article>") is None
    assert cap_html.decode("<p>§ 2</p>".encode()) == "<p>§ 2</p>"


def test_an_opinion_article_with_script_is_shown_without_it() -> None:
    """The article is stored as the source sent it and, like CourtListener HTML, sanitised where
    the site shows it (the case page's `highlight_opinion`)."""
    from citator.db.web.render import highlight_opinion

    body = ('INVENTED text.<script>alert("x")</script><img src="x" onerror="alert(1)">'
            '<a href="javascript:alert(2)" onclick="alert(3)">link</a>')
    texts = cap_html.opinion_html(_file(_article("majority", body)), [MAJORITY])
    assert texts is not None and "<script>" in texts[0]
    shown = str(highlight_opinion(texts[0], "html", [(texts[0].index("INVENTED"), texts[0].index("INVENTED") + 8)]))
    assert '<mark class="ref">INVENTED</mark>' in shown
    assert not any(bad in shown for bad in ("<script", "onerror", "onclick", "javascript:", "<img", "<article"))


_PIECES = st.sampled_from([
    '<article class="opinion" data-type="majority">', '<article class="opinion" data-type="dissent">',
    "<article>", "</article>", '<aside class="footnote" id="footnote_1_1">', "</aside>",
    '<a class="footnotemark" href="#footnote_1_1">1</a>', "<p>INVENTED.</p>", "<", ">", "'", '"', "text",
])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(_PIECES, max_size=30), st.lists(st.sampled_from([MAJORITY, DISSENT]), max_size=3))
def test_any_markup_gives_one_article_per_opinion_or_nothing(pieces: list[str], opinions: list[dict]) -> None:
    html = "".join(pieces)
    texts = cap_html.opinion_html(html, opinions)
    assert texts is None or (len(texts) == len(opinions) > 0 and all(t.startswith("<article") for t in texts))
