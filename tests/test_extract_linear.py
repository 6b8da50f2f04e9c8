"""The indexed look-ups that keep extraction linear answer exactly as a scan would (issue 20.7).

Time itself is measured by `bench/extract_scale.py`, not here.
"""

from __future__ import annotations

import re

from citator.citations import resolve, windows
from citator.citations.extract import _part_at, _ZonesInside, find_references
from citator.citations.names import name_pattern
from citator.citations.text import PreparedText, zone_of
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


# --- bisection look-ups against the scans they replace --------------------------------------------

ZONES = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=12)


def _laid_out(gaps_and_lengths):
    """Moved footnotes as `prepare_text` lays them out: one after another, in source order too."""
    zones, w, s = [], 0, 0
    for gap, length in gaps_and_lengths:
        w, s = w + gap, s + gap
        zones.append((w, w + length, s, s + length))
        w, s = w + length, s + length
    return zones


@settings(max_examples=200, deadline=None)
@given(ZONES, st.integers(-5, 900), st.booleans())
def test_zone_of_a_position_agrees_with_a_scan(gaps_and_lengths, pos, shuffle):
    zones = _laid_out(gaps_and_lengths)
    if shuffle:
        zones = zones[::-1]  # out of order: looked up by the scan itself
    expected = next((i for i, (a, b, _, _) in enumerate(zones) if a <= pos < b), None)
    assert zone_of(zones, pos) == expected
    prepared = PreparedText(source="x" * 1000, text="x" * 1000, offsets=list(range(1001)), footnote_zones=zones)
    if expected is None:
        assert prepared.zone_bounds(pos) == (0, zones[0][0] if zones else 1000)
    else:
        assert prepared.zone_bounds(pos) == zones[expected][:2]


@settings(max_examples=200, deadline=None)
@given(ZONES, st.integers(0, 900), st.integers(0, 300), st.booleans())
def test_footnote_inside_a_reference_agrees_with_a_scan(gaps_and_lengths, a, length, shuffle):
    zones = _laid_out(gaps_and_lengths)
    if shuffle:
        zones = zones[::-1]
    b = a + length
    expected = next((z for z in zones if a < z[2] and z[3] < b), None)
    assert _ZonesInside(zones).first(a, b) == expected


@settings(max_examples=200, deadline=None)
@given(SPANS, st.integers(-5, 500), st.integers(0, 100))
def test_footnotes_overlapping_a_span_agree_with_a_scan(spans, start, length):
    prepared = PreparedText(source="x", text="x", offsets=[0, 1], footnotes=list(spans))
    end = start + length
    expected = [f for f in sorted(spans, reverse=True) if not (f[1] <= start or f[0] >= end)]
    assert prepared.footnotes_overlapping(start, end) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["majority", "dissent", "concurrence"]))), st.integers(-5, 400))
def test_opinion_part_of_a_position_agrees_with_a_scan(parts, pos):
    expected = "majority"
    for start, part in sorted(parts):
        if start <= pos:
            expected = part
    assert _part_at(sorted(parts), pos, "majority") == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 300), max_size=20, unique=True).map(sorted), st.integers(-5, 400))
def test_star_page_of_a_position_agrees_with_a_scan(marks, pos):
    stars = [(m, str(k + 1)) for k, m in enumerate(marks)]
    prepared = PreparedText(source="x", text="x", offsets=[0, 1], star_pages=stars)
    expected = ([label for m, label in stars if m <= pos] or [None])[-1]
    assert prepared.page_at(pos) == expected


LINES = st.lists(
    st.tuples(st.sampled_from(["", " ", "  ", "    "]), st.sampled_from(["Held.", "See id.", "Ok", "Smith v. Jones, Inc.", "Why?"])),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(LINES, st.sampled_from(["\n", "\n\n", "\n\n\n", "\n\n\n\n  "]))
def test_paragraph_breaks_agree_with_reading_the_whole_text_before_each(lines, sep):
    text = sep.join(indent + words for indent, words in lines)
    for match in windows._PARA_BREAK.finditer(text):
        before = text[: match.start()].rstrip()  # what the break was once decided on
        if not before or before[-1] not in '.?!:"”)]':
            expected = False
        elif before[-1] == "." and windows._is_abbreviation(text, len(before) - 1):
            expected = False
        elif match.group(0).count("\n") >= 3 and not match.group(0).endswith((" ", "\t")):
            expected = True
        else:
            prev_line_start = before.rfind("\n") + 1
            line_start = text.rfind("\n", 0, match.end()) + 1
            expected = windows._indent_at(text, line_start) >= windows._indent_at(text, prev_line_start) + 2
        assert windows._is_paragraph_break(text, match) == expected


PROSE = st.lists(
    st.sampled_from(["Gamma", "Gammas", "gamma", "Gamma's", "’Gamma", " ", ", ", "rule", "test", "the", "Gamma rule", "x"]),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_a_name_in_prose_is_found_as_the_regex_would_find_it(gap):
    regex = re.compile(rf"(?<![\w'’]){re.escape('Gamma')}(?!\w)(?!{resolve._DOCTRINE})")
    assert resolve._name_in_prose("Gamma", gap) == bool(regex.search(gap))


NAME_WORDS = st.sampled_from(
    ["Bernstein", "Dep't", "Department", "Dept.", "R.R.", "RR", "Vill.", "Village", "of", "Hoffman", "Gamma12",
     "J.", "A.", "Croson", "U.S.", "US", "O'Brien", "O’Brien", "Coca-Cola", "\u212aelly", "Kelly", "Ölmer", "v.", "Inc."]
)
NAMES = st.lists(NAME_WORDS, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(NAMES, st.lists(NAMES, max_size=3), st.one_of(st.none(), NAMES))
def test_a_short_name_fits_a_case_exactly_when_its_regex_says_so(name, names, case_name):
    target = resolve.Target("k", list(names), None, None, set())
    pool = list(names) + ([case_name] if case_name else [])
    regex = re.compile(name_pattern(name), re.I)
    assert resolve._name_matches(name, target, case_name) == any(regex.search(p) for p in pool)
