"""A body's initials the opinion defines ("the Federal Energy Regulatory Commission (FERC)") name
that body, not a case named after it ("FERC v. Mississippi").

The passages are invented for the test (they imitate how opinions write about agencies); the
reporter cite is a real one.
"""

from __future__ import annotations

from citator.citations.abbreviations import defined_abbreviations
from citator.citations.extract import find_references
from citator.citations.models import Authority

FERC_CASE = Authority(key="ferc", name="FERC v. Mississippi", citations=("456 U.S. 742",))


def kinds(refs):
    return [(r.kind, r.as_written) for r in refs]


def test_initials_defined_after_the_written_out_name_are_found():
    text = (
        'The Federal Energy Regulatory Commission (FERC) and the Environmental Protection Agency ("EPA") '
        "disagree. The brief (SUPP) says nothing, and the parties (AB) settled."
    )
    assert defined_abbreviations(text) == frozenset({"FERC", "EPA"})


def test_the_agency_the_opinion_abbreviates_is_not_the_case_but_its_cites_are():
    text = (
        "QFs are entitled to special treatment, see FERC v. Mississippi, 456 U.S. 742, 750 (1982). "
        "The Federal Energy Regulatory Commission (FERC) promulgates regulations affecting QFs. "
        "See FERC, 456 U.S. at 751. Congress mandated that FERC promulgate rules, and FERC, as an "
        "amicus, argues that the exemption does not reach the study."
    )
    found = kinds(find_references(text, [FERC_CASE]))
    assert ("full", "FERC v. Mississippi, 456 U.S. 742, 750 (1982)") in found
    assert ("short", "FERC, 456 U.S. at 751") in found
    assert not [w for kind, w in found if kind == "name_only"]


def test_without_the_definition_the_short_name_is_still_the_case():
    text = (
        "QFs are entitled to special treatment, see FERC v. Mississippi, 456 U.S. 742, 750 (1982). "
        "In FERC, the Court upheld the statute against a Tenth Amendment challenge."
    )
    found = kinds(find_references(text, [FERC_CASE]))
    assert ("name_only", "FERC") in found
