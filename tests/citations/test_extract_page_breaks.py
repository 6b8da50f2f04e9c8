"""Property tests (Hypothesis): page layout does not change what is found (issue 14, item 8).

A passage citing a seed in every form (full, short, id., name) is laid out as a PDF extraction
would: lines wrapped at arbitrary spaces, a page break (page number line, form feed, running
head) dropped between any two words. The references found, their kinds, targets and pins must
not change, and every span must still be the text it reports. The passage is invented for the
tests (it imitates how opinions cite); the reporter cites are real ones.
"""

from __future__ import annotations

import pytest

import re

from citator.citations.extract import find_references
from citator.citations.models import Authority
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

SEEDS = [
    Authority(key="thomasson", name="Thomasson v. AmSouth Bank, N.A.", citations=("59 B.R. 997",)),
    Authority(key="furlong", name="United States v. Furlong", citations=("18 U.S. (5 Wheat.) 184",)),
]

PASSAGE = (
    "The lender relied on a recorded lien. See Thomasson v. AmSouth Bank, N.A., 59 B.R. 997, 999 "
    "(N.D. Ala. 1986) (holding the lien valid). The trustee disagrees. But Thomasson, 59 B.R. at "
    "1001, rejected that view. Id. at 1002. Piracy is another matter. United States v. Furlong, "
    "18 U.S. (5 Wheat.) 184, 196 (1820). In Furlong, the Court read the statute narrowly. "
    "Furlong, 18 U.S. at 198."
)

#: page breaks as CourtListener's plain text keeps them
BREAKS = [
    "\n\n                                  -12-\n\n",
    "\n\n                                   12\n\n",
    # a page numbered twice, on two lines (1990s First Circuit slip opinions)
    "\n\n                                  -12-\n                                   12\n\n",
    "\n\f",
    "\n\n\fCite as: 59 F.4th 1 (1st Cir. 2023)\n\n",
]


def _found(text: str) -> list[tuple[str, str | None, str | None]]:
    refs = find_references(text, SEEDS)
    for r in refs:
        assert text[r.start : r.end] == r.as_written
    return [(r.kind, r.authority_key, r.pin_cite) for r in refs]


#: what a reader finds in PASSAGE, in order
EXPECTED = [
    ("full", "thomasson", "999"),
    ("short", "thomasson", "1001"),
    ("id", "thomasson", "1002"),
    ("full", "furlong", "196"),
    ("name_only", "furlong", None),
    ("short", "furlong", "198"),
]
SPACES = [m.start() for m in re.finditer(" ", PASSAGE)]


def test_the_passage_itself_is_read_whole():
    assert _found(PASSAGE) == EXPECTED


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    wraps=st.sets(st.sampled_from(SPACES), max_size=12),
    break_at=st.sampled_from(SPACES),
    layout=st.sampled_from(BREAKS),
)
@pytest.mark.slow
def test_line_wraps_and_a_page_break_anywhere_change_nothing(wraps, break_at, layout):
    pieces = []
    last = 0
    for pos in sorted(wraps | {break_at}):
        pieces.append(PASSAGE[last:pos])
        pieces.append(layout if pos == break_at else "\n")
        last = pos + 1
    pieces.append(PASSAGE[last:])
    text = "".join(pieces)
    # a line holding only a number next to a page break is a page number, in any reading
    assume(not any(re.fullmatch(r"\f?\d{1,4}[,.]?", line.strip(" ")) for line in text.replace(layout, "\n").split("\n")))
    assert _found(text) == EXPECTED


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spaces=st.lists(st.sampled_from([" ", "  ", "   "]), min_size=len(SPACES), max_size=len(SPACES)))
def test_runs_of_spaces_change_nothing(spaces):
    pieces = re.split(" ", PASSAGE)
    text = pieces[0] + "".join(s + p for s, p in zip(spaces, pieces[1:]))
    assert _found(text) == EXPECTED


#: sentence ends in PASSAGE, where a page may end and its footnotes follow
SENTENCE_ENDS = [m.start() + 1 for m in re.finditer(r"(?<=[a-z]{3}|\d{3}|\d\d\))\. (?=[A-Z])", PASSAGE)]
FOOTNOTE_RULE = "\n\n          ------------------\n\n"
PAGE_END = "\n\n                                  -12-\n\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.sampled_from(SENTENCE_ENDS), note=st.sampled_from([
    "     3\n        See generally Doe v. Roe, 100 F.3d 1, 5 (1st Cir. 1996).",
    "     3 The point is old. Roe v. Doe, 200 F.2d 7, 9 (2d Cir. 1952); id. at 11.",
]))
def test_a_page_foot_footnote_with_other_cases_leaves_the_body_as_it_was(at, note):
    text = PASSAGE[:at] + FOOTNOTE_RULE + note + PAGE_END + PASSAGE[at + 1 :]
    refs = find_references(text, SEEDS)
    assert [(r.kind, r.authority_key, r.pin_cite) for r in refs] == EXPECTED
    assert not any(r.in_footnote for r in refs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.sampled_from([p for p in SENTENCE_ENDS if p > PASSAGE.index("(holding")]))
def test_a_seed_cited_in_a_page_foot_footnote_is_found_and_flagged(at):
    note = "     3\n        See also Thomasson, 59 B.R. at 1003 (same)."
    text = PASSAGE[:at] + FOOTNOTE_RULE + note + PAGE_END + PASSAGE[at + 1 :]
    refs = find_references(text, SEEDS)
    in_note = [(r.kind, r.authority_key, r.pin_cite) for r in refs if r.in_footnote]
    assert in_note == [("short", "thomasson", "1003")]
    assert [(r.kind, r.authority_key, r.pin_cite) for r in refs if not r.in_footnote] == EXPECTED


def test_a_page_numbered_twice_between_a_name_and_its_cite_is_read_as_space():
    # imitates a 1990s First Circuit opinion whose page foot carries "-17-" and then "17"
    text = PASSAGE.replace("But Thomasson, 59 B.R.", "But Thomasson,\n\n     -17-\n      17\n\n59 B.R.")
    short = [r for r in find_references(text, SEEDS) if r.kind == "short" and r.pin_cite == "1001"]
    assert len(short) == 1 and short[0].as_written.startswith("Thomasson,")
    # a number line followed by prose is no page number: a footnote's number stays text
    noted = PASSAGE.replace("The trustee disagrees.", "The trustee disagrees.\n\n     17\n     Thomasson, 59 B.R. at 1003.")
    assert any(r.pin_cite == "1003" for r in find_references(noted, SEEDS))
