"""Seeds are read by the same citation parser as the opinion: every reporter form of a seed's
citation matches (nominative reporters, parallel strings, Westlaw and neutral cites).

The passages are invented for these tests (they imitate how opinions cite); the reporter cites
are real ones.
"""

from __future__ import annotations

from citator.citations.cites import seed_cites
from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.citations.prefilter import pattern_set

FURLONG = Authority(key="furlong", name="United States v. Furlong", citations=("18 U.S. (5 Wheat.) 184",))


def test_seed_with_a_nominative_reporter_yields_both_reporter_forms():
    assert seed_cites("18 U.S. (5 Wheat.) 184") == (("18", "U.S.", "184"), ("5", "Wheat.", "184"))


def test_seed_written_as_a_parallel_string_yields_each_cite():
    forms = seed_cites("438 U.S. 265, 98 S. Ct. 2733, 57 L. Ed. 2d 750")
    assert [f"{v} {r} {p}" for v, r, p in forms] == ["438 U.S. 265", "98 S. Ct. 2733", "57 L. Ed. 2d 750"]


def test_nominative_seed_matches_its_full_cite_and_its_short_cites():
    # invented passage; a neighbour in the same volume is cited in between
    text = (
        "Piracy is defined by the law of nations. United States v. Furlong, 18 U.S. (5 Wheat.) 184, "
        "196 (1820). The rule was older still. Doe v. Roe, 18 U.S. 150 (1820). Congress could "
        "punish it. Furlong, 18 U.S. at 197. The Court said so again. 5 Wheat. at 198."
    )
    refs = find_references(text, [FURLONG])
    found = [(r.kind, r.pin_cite) for r in refs if r.authority_key == "furlong"]
    assert ("full", "196") in found
    assert ("short", "197") in found
    assert ("short", "198") in found


def test_short_cite_in_a_parallel_reporter_is_placed_by_that_reporters_pages():
    # invented passage: two seeds in one Supreme Court Reporter volume, cited by S. Ct. pages only
    first = Authority(key="a", name="Alpha v. Beta", citations=("438 U.S. 265, 98 S. Ct. 2733",))
    second = Authority(key="b", name="Gamma v. Delta", citations=("438 U.S. 500, 98 S. Ct. 2900",))
    text = (
        "See Alpha v. Beta, 438 U.S. 265, 98 S. Ct. 2733 (1978); Gamma v. Delta, 438 U.S. 500, "
        "98 S. Ct. 2900 (1978). The later rule governs. 98 S. Ct. at 2905."
    )
    refs = find_references(text, [first, second])
    last = [r for r in refs if r.kind == "short"][-1]
    assert (last.authority_key, last.pin_cite, last.ambiguous) == ("b", "2905", False)


def test_westlaw_and_neutral_seed_cites_match():
    wl = Authority(key="wl", name="Riva v. Ficco", citations=("2007 WL 954771",))
    neutral = Authority(key="me", name="State v. Doe", citations=("2010 ME 12",))
    text = "See Riva v. Ficco, 2007 WL 954771, at *5 (D. Mass. 2007); State v. Doe, 2010 ME 12, ¶ 15."
    keys = {r.authority_key for r in find_references(text, [wl, neutral])}
    assert keys == {"wl", "me"}


def test_prefilter_keeps_an_opinion_citing_only_the_nominative_form():
    patterns = pattern_set([FURLONG])
    import re

    assert any(re.search(p, "as held in 5 Wheat. 184, 196") for p in patterns.all)
