"""Same litigation from case identity (both parties), never from a first word: a "United States
v. ..." opinion is not an earlier stage of every other "United States v. ..." case.

The case names are realistic-looking citation text used as test data.
"""

from __future__ import annotations

from citator.citations.litigation import family_of, litigation_key, same_litigation
from citator.evaluate_treatment import case_name_from_url, litigation_family

from tests.factories import CA9_SEED, DISTRICT_SEED, SCOTUS_SEED


def test_common_first_party_is_not_the_same_litigation() -> None:
    assert not same_litigation("United States v. Alvarez", "United States v. Stevens")
    assert not same_litigation("Commonwealth of Massachusetts v. Smith", "Commonwealth of Massachusetts v. Jones")
    assert litigation_family("United States v. Alvarez") != litigation_family("United States v. Stevens")


def test_same_parties_however_abbreviated_or_ordered() -> None:
    assert same_litigation("Cohen v. Brown Univ.", "Cohen v. Brown University")
    assert same_litigation("United States v. Rivera-Ruiz", "U.S. v. Rivera-Ruiz (1st Cir. 2010)")
    assert same_litigation("Smith v. Jones", "Jones v. Smith")
    assert same_litigation("Regents of Univ. of Cal. v. Bakke", "Bakke v. Regents of the Univ.")
    assert litigation_key("United States v. Alvarez") == "united-states v. alvarez"


def test_no_parties_no_litigation() -> None:
    assert litigation_key(None) is None and litigation_key("") is None
    assert not same_litigation("Alvarez", "Alvarez")  # a bare name says nothing about both sides


def test_citing_case_joins_a_seeds_family_only_with_both_parties() -> None:
    seeds = [SCOTUS_SEED, CA9_SEED, DISTRICT_SEED]
    assert family_of("Bernstein v. United States Department of Justice", seeds) == "bernstein"
    assert family_of("Bernstein v. Smith", seeds) is None
    assert family_of("United States v. Bernstein", seeds) == "bernstein"  # same parties, sides swapped on appeal
    assert family_of("United States v. Alvarez", seeds) is None


def test_apostrophes_do_not_split_a_litigation() -> None:
    assert same_litigation("Fusi v. O'Brien", "Fusi v. O\u2019Brien")
    assert same_litigation("fusi v obrien", "Fusi v. O'Brien")


def test_a_courtlistener_opinion_url_spells_the_citing_case() -> None:
    assert case_name_from_url("/opinion/175462/fusi-v-obrien/") == "fusi v obrien"
    assert same_litigation(case_name_from_url("/opinion/175462/fusi-v-obrien/"), "Fusi v. O'Brien")
    assert case_name_from_url("/opinion/175462/") is None and case_name_from_url(None) is None
