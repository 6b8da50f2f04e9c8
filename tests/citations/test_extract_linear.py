"""The indexed look-ups that keep extraction linear answer exactly as a scan would (issue 20.7).

Time itself is measured by `bench/extract_scale.py`, not here.
"""

from __future__ import annotations

import pytest

import re

from citator.citations import mentions, resolve, windows
from citator.citations.extract import _part_at, _ZonesInside, find_references, resolve_cites
from citator.citations.names import name_pattern
from citator.citations.text import PreparedText, prepare_text, zone_of
from hypothesis import given, settings
from hypothesis import strategies as st

SPANS = st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60)).map(lambda t: (t[0], t[0] + t[1])), max_size=25)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(SPANS, st.integers(-5, 500))
def test_footnote_flag_agrees_with_the_footnote_spans(spans, pos):
    prepared = PreparedText(source="x", text="x", offsets=[0, 1], footnotes=list(spans))
    assert prepared.in_footnote(pos) == any(a <= pos < b for a, b in spans)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(ZONES, st.integers(0, 900), st.integers(0, 300), st.booleans())
def test_footnote_inside_a_reference_agrees_with_a_scan(gaps_and_lengths, a, length, shuffle):
    zones = _laid_out(gaps_and_lengths)
    if shuffle:
        zones = zones[::-1]
    b = a + length
    expected = next((z for z in zones if a < z[2] and z[3] < b), None)
    assert _ZonesInside(zones).first(a, b) == expected


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(SPANS, st.integers(-5, 500), st.integers(0, 100))
def test_footnotes_overlapping_a_span_agree_with_a_scan(spans, start, length):
    prepared = PreparedText(source="x", text="x", offsets=[0, 1], footnotes=list(spans))
    end = start + length
    expected = [f for f in sorted(spans, reverse=True) if not (f[1] <= start or f[0] >= end)]
    assert prepared.footnotes_overlapping(start, end) == expected


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(NAMES, st.lists(NAMES, max_size=3), st.one_of(st.none(), NAMES))
def test_a_short_name_fits_a_case_exactly_when_its_regex_says_so(name, names, case_name):
    target = resolve.Target("k", list(names), None, None, set())
    pool = list(names) + ([case_name] if case_name else [])
    regex = re.compile(name_pattern(name), re.I)
    assert resolve._name_matches(name, target, case_name) == any(regex.search(p) for p in pool)


TEXT_WORDS = st.sampled_from(
    ["Bernstein", "bernstein", "Bernstein's", "Dep't", "Dept.", "Department", "R.R.", "RR", "rr", "Village",
     "Vill.", "of", "Hoffman", "Croson", "J.", "A.", "O'Brien", "O’Brien", "\u212aelly", "Kelly", "Ölmer",
     "x", "v.", ",", ".", "(", ")", "Gamma12", "Gamma1", "Corp."]
)
TEXTS = st.lists(TEXT_WORDS, max_size=30).map(" ".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=3), TEXTS, st.integers(0, 60))
def test_names_found_from_the_word_index_are_the_regex_s_own_matches(names, text, pos):
    regex = mentions._name_regex(names)
    anchors = mentions._names_anchors(names)
    if regex is None or anchors is None:
        return
    expected = [(m.start(), m.end()) for m in regex.finditer(text, pos)]
    found = [(m.start(), m.end()) for m in mentions._WordStarts(text).finditer(regex, anchors, pos)]
    assert found == expected


def _many_cases_text(n: int) -> str:
    """An invented brief citing `n` cases, many of them sharing a name, each named again later."""
    parts = []
    for i in range(n):
        name = "Smith" if i % 3 == 0 else f"Party{i}"
        parts.append(f"See {name} v. Other{i}, {100 + i} F.3d {10 + i}, {12 + i} (9th Cir. 2001). ")
        parts.append(f"In {name}, the court held that speech was protected. Id. at {13 + i}.\n\n")
    return "".join(parts)


def test_many_cited_cases_are_named_alike_with_and_without_the_word_index(monkeypatch):
    text = _many_cases_text(40)
    monkeypatch.setattr(mentions, "_INDEX_FROM", 10**9)
    by_scan = [(r.start, r.end, r.kind, r.cite, r.ambiguous, r.candidates) for r in find_references(text, [], all_cases=True)]
    monkeypatch.setattr(mentions, "_INDEX_FROM", 0)
    by_index = [(r.start, r.end, r.kind, r.cite, r.ambiguous, r.candidates) for r in find_references(text, [], all_cases=True)]
    assert by_index == by_scan
    assert sum(1 for r in by_scan if r[2] == "name_only") >= 40  # every "In X," is found
    assert any(r[4] for r in by_scan)  # "In Smith," after several Smith cases is ambiguous


def test_the_last_cited_same_name_case_is_found_by_bisection_as_by_a_scan():
    text = _many_cases_text(30)
    prepared = prepare_text(text, "text")
    cites, targets = resolve_cites(prepared, [], all_cases=True)
    index = mentions._CitesByTarget(cites)
    keys = {c.target for c in cites if c.target}
    smiths = {k for k in keys if targets[k].names and targets[k].names[0] == "Smith"}
    assert len(smiths) == 10
    for pos in range(0, len(text), 97):
        prior = [c for c in cites if c.target in smiths and c.start < pos and c.history_of is None]
        last, cited = index.before(smiths, pos)
        assert (cites[last].target if last is not None else None) == (prior[-1].target if prior else None)
        assert cited == {c.target for c in prior}


def test_a_name_many_cases_share_is_looked_for_once_and_means_the_last_cited():
    # ten cited cases go by "Smith": one search for the name serves all ten, and each "In Smith,"
    # still means the Smith case cited last before it, with the Smiths cited so far as candidates
    text = _many_cases_text(30)
    prepared = prepare_text(text, "text")
    cites, targets = resolve_cites(prepared, [], all_cases=True)
    smiths = {k for k, t in targets.items() if t.names and t.names[0] == "Smith"}
    refs = [r for r in find_references(text, [], all_cases=True) if r.kind == "name_only" and r.as_written == "Smith"]
    assert len(refs) == 10
    for r in refs:
        prior = [c for c in cites if c.target in smiths and c.start < r.start and c.history_of is None]
        assert r.cite == targets[prior[-1].target].cite
        cited = sorted({c.target for c in prior})
        assert r.ambiguous == (len(cited) > 1)
        assert list(r.candidates) == (cited if len(cited) > 1 else [])
    searched = []
    real = mentions._names_regex
    mentions._names_regex.cache_clear()

    def counting(names):
        searched.append(names)
        return real(names)

    try:
        mentions._names_regex = counting
        find_references(text, [], all_cases=True)
    finally:
        mentions._names_regex = real
    assert searched.count(("Smith",)) == 1  # one search for the name, not one per case
    assert not [names for names in searched if len(names) > 1]  # nor per case's set of names


_CASE_PIECES = ["See Smith v. Jones, 10 F.3d 20, 22 (9th Cir. 1994). ", "See Smith v. Brown, 11 F.3d 30 (9th Cir. 1995). ",
                "See Smith Jones v. Green, 12 F.3d 40 (1st Cir. 1996). ", "See Jones v. Smith, 13 F.3d 50 (2d Cir. 1997). ",
                "In Smith, the court held it. ", "In Smith Jones, it did not. ", "Jones said so. ", "Smith at 22. ",
                "The Brown court agreed. ", "Id. at 41. ", "\n\n"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_CASE_PIECES), min_size=1, max_size=14))
def test_names_shared_or_overlapping_are_found_alike_looked_for_once_or_case_by_case(pieces):
    # INVENTED citations: several cases go by "Smith" or "Jones", and "Smith Jones" overlaps both
    text = "".join(pieces)

    def view():
        return [(r.start, r.end, r.kind, r.cite, r.ambiguous, r.candidates) for r in find_references(text, [], all_cases=True)]

    original = mentions._INDEX_FROM
    try:
        mentions._INDEX_FROM = 10**9  # every case looked for on its own
        case_by_case = view()
        mentions._INDEX_FROM = 0  # names looked for once and shared
        shared = view()
    finally:
        mentions._INDEX_FROM = original
    assert shared == case_by_case
