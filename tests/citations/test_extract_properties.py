"""Extraction never raises on arbitrary input, and every span maps back to the input.

Hypothesis builds texts from citation-like pieces (invented, not from real opinions) mixed with
arbitrary characters and markup, so the generated strings reach the interesting code paths.
"""

from __future__ import annotations

import pytest

from citator.citations.extract import find_references
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import BERNSTEIN

pytestmark = pytest.mark.slow

PIECES = [
    "Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1430 (N.D. Cal. 1996)",
    "Bernstein, 922 F. Supp. at 1436",
    "Bernstein, supra, at 1140",
    "Id. at 1141",
    "id.",
    "Ibid.",
    "In Bernstein, ",
    "Bernstein II",
    "176 F.3d 1132",
    "176 F. 3d, at 1141 & n.14",
    "(quoting ",
    "(citing Junger v. Daley, 209 F.3d 481, 484 (6th Cir. 2000))",
    "; see also ",
    "See, e.g., ",
    "reh'g en banc granted, opinion withdrawn, 192 F.3d 1308 (9th Cir. 1999)",
    "&amp;",
    "&#8212;",
    "&bogus;",
    "<i>",
    "</i>",
    '<span class="star-pagination">*1141</span>',
    '<div class="footnote">',
    "</div>",
    "<p>",
    "\n------\n  1 ",
    "\x0c",
    "\n\n        3\n",
    "’s",
    " ",
    ".",
    ",",
    "(",
    ")",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=25).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, fmt=st.sampled_from(["text", "html", "xml", "auto"]), all_cases=st.booleans())
def test_spans_always_map_back(text, fmt, all_cases):
    for ref in find_references(text, BERNSTEIN, fmt=fmt, all_cases=all_cases):
        assert 0 <= ref.start <= ref.end <= len(text)
        assert text[ref.start : ref.end] == ref.as_written
        assert ref.kind in ("full", "short", "id", "supra", "name_only", "parallel")
