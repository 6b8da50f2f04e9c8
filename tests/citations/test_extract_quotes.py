"""Quoted language is matched against the cited opinion's text, with its star page.

Both the citing passage and the "cited opinion" below are invented for this test; they imitate
opinion text but are not quotations of the real Bernstein opinions.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from tests.factories import BERNSTEIN

CITED = (
    "The government's argument fails. *1140 We conclude that encryption software, in its source "
    "code form, must be viewed as expressive for First Amendment purposes. *1141 The licensing "
    "scheme is a prior restraint."
)


def test_quotation_found_in_the_cited_text_with_its_page():
    text = (
        "The court held that source code “must be viewed as expressive for First Amendment "
        "purposes.” Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999)."
    )
    (ref,) = find_references(text, BERNSTEIN, cited_texts={"bernstein-9th": CITED})
    assert ref.quotation == "must be viewed as expressive for First Amendment purposes."
    assert ref.quotation_page == "1140"


def test_quotation_with_alterations_and_ellipsis():
    text = (
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999), said that software "
        "“in its source code form . . . must be viewed as expressive.”"
    )
    (ref, *_) = find_references(text, BERNSTEIN, cited_texts={"bernstein-9th": CITED})
    assert ref.quotation == "in its source code form . . . must be viewed as expressive."


def test_language_not_in_the_cited_text_is_no_quotation():
    text = (
        "The court said “code is a kind of poetry for machines and people alike.” "
        "Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132 (9th Cir. 1999)."
    )
    (ref,) = find_references(text, BERNSTEIN, cited_texts={"bernstein-9th": CITED})
    assert ref.quotation is None and ref.quotation_page is None
