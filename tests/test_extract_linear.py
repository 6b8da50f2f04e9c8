"""The indexed look-ups that keep extraction linear answer exactly as a scan would (issue 20.7).

Time itself is measured by `bench/extract_scale.py`, not here.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.text import PreparedText
from hypothesis import given, settings
from hypothesis import strategies as st

SPANS = st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60)).map(lambda t: (t[0], t[0] + t[1])), max_size=25)


@settings(max_examples=200, deadline=None)
@given(SPANS, st.integers(-5, 500))
def test_footnote_flag_agrees_with_the_footnote_spans(spans, pos):
    prepared = PreparedText(source="x", text="x", offsets=[0, 1], footnotes=list(spans))
    assert prepared.in_footnote(pos) == any(a <= pos < b for a, b in spans)


def test_many_citations_of_one_case_each_resolve_in_a_long_text():
    # a long brief that cites one case in full again and again, with short cites and id. between
    block = (
        "See Smith v. Jones, 819 F.2d 1002, 1005 (11th Cir. 1987). Smith, 819 F.2d at 1006. "
        "Id. at 1007. See also Brown v. Green, 500 U.S. 10, 12 (1991). Brown, 500 U.S. at 14.\n\n"
    )
    refs = find_references(block * 300, [], all_cases=True)
    assert len(refs) == 5 * 300
    assert [r.cite for r in refs[-5:]] == ["819 F.2d 1002"] * 3 + ["500 U.S. 10"] * 2
    assert [r.pin_cite for r in refs[-5:]] == ["1005", "1006", "1007", "12", "14"]
