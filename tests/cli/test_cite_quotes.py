"""Quotations in a brief: which citation supports which quoted words, and how a quotation compares
with the cited opinion's text. The passages are written for the tests (the opinion text is an
INVENTED stand-in around one sentence of 176 F.3d 1132)."""

from __future__ import annotations

from citator.brief_status import status_from_history
from citator.citations.other_authorities import citation_spans
from citator.citations.quote_check import check_quotation, supported_quotations

OPINION = (
    "[Stand-in text written for the tests.] The government's scheme is examined below. Cryptographers "
    "use source code to express their scientific ideas in much the same way that mathematicians use "
    "equations or economists use graphs. Of course, the stand-in ends here."
)


def _supported(text: str, *needles: str) -> list[list[str]]:
    spans = []
    for needle in needles:
        start = text.index(needle)
        spans.append((start, start + len(needle)))
    bounds = [(s.start, s.tail) for s in citation_spans(text)]
    return [[q.text for q in quotes] for quotes in supported_quotations(text, spans, bounds)]


def test_a_quotation_belongs_to_the_citation_after_it() -> None:
    text = ('Courts agree that code is "a means of expressing ideas about programming." Junger v. Daley, '
            '209 F.3d 481, 485 (6th Cir. 2000); see also Bernstein, 176 F.3d at 1141.')
    assert _supported(text, "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000)", "Bernstein, 176 F.3d at 1141") == [
        ["a means of expressing ideas about programming."], []
    ]


def test_a_quotation_in_the_parenthetical_belongs_to_its_citation() -> None:
    text = ('See Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000) (holding that "source code is protected '
            'by the First Amendment"). Bernstein, 176 F.3d at 1141.')
    assert _supported(text, "Junger v. Daley, 209 F.3d 481, 485 (6th Cir. 2000)", "Bernstein, 176 F.3d at 1141") == [
        ["source code is protected by the First Amendment"], []
    ]


def test_a_word_in_quotation_marks_is_not_a_quotation() -> None:
    text = 'The government calls code "functional." Bernstein, 176 F.3d at 1141.'
    assert _supported(text, "Bernstein, 176 F.3d at 1141") == [[]]


def test_verbatim_ignores_case_punctuation_ellipses_and_bracketed_case_changes() -> None:
    assert check_quotation("[c]ryptographers use source code to express their scientific ideas . . . "
                           "the same way that mathematicians use equations", OPINION).verdict == "verbatim"
    assert check_quotation("to express their scientific ideas ...", OPINION).verdict == "verbatim"


def test_a_changed_word_and_a_silent_omission_are_shown() -> None:
    changed = check_quotation("to express their technical ideas in much the same way that mathematicians use "
                              "equations", OPINION)
    assert changed.verdict == "changed"
    assert changed.differences == ('"technical" where the opinion has "scientific"',)
    assert changed.passage.startswith("to express their scientific ideas")
    omitted = check_quotation("Cryptographers use source code to express ideas in much the same way", OPINION)
    assert omitted.verdict == "changed"
    assert omitted.differences == ('leaves out "their scientific" without an ellipsis',)


def test_words_the_opinion_never_wrote_are_not_found() -> None:
    assert check_quotation("export controls on model weights are always unconstitutional", OPINION).verdict == "not_found"


def test_subsequent_history_gives_a_status() -> None:
    assert status_from_history("reh'g en banc granted, opinion withdrawn, 192 F.3d 1308") == "withdrawn"
    assert status_from_history("rev'd, 209 F.3d 481 (6th Cir. 2000)") == "reversed"
    assert status_from_history("vacated as moot, 1 F.4th 2") == "vacated"
    assert status_from_history("aff'd, 273 F.3d 429 (2d Cir. 2001)") is None
    assert status_from_history("cert. denied, 500 U.S. 1 (1991)") is None
