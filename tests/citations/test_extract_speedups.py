"""The faster court lookup used inside eyecite gives exactly eyecite's own answers."""

from __future__ import annotations

import pytest

from eyecite import helpers
from hypothesis import given, settings, strategies as st

from citator.citations import cites  # noqa: F401  (importing the extractor installs the speedup)
from citator.citations import eyecite_speedups
from citator.citations.eyecite_speedups import court_by_paren, original_get_court_by_paren


def test_installed_in_eyecite_when_the_extractor_is_imported() -> None:
    assert helpers.get_court_by_paren is court_by_paren


@pytest.mark.slow
def test_same_answer_as_eyecite_for_court_strings_and_their_prefixes() -> None:
    # eyecite's own lookup takes ~20 ms a call, so a spread sample of courts-db rather than all of it
    strings = set()
    for court in helpers.courts[::15]:
        text = court["citation_string"]
        strings.update({text.upper(), text[: max(1, len(text) // 2)]})
    strings.update({"", " ", "9th Cir.", "N.D. Cal.", "D.C. Cir.", "1st Cir.", "Cal. Ct. App.", "Pa.Super.", "SC", "xx"})
    differing = [s for s in sorted(strings) if court_by_paren(s) != original_get_court_by_paren(s)]
    assert differing == []


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_same_answer_as_eyecite_for_any_text(text: str) -> None:
    assert court_by_paren(text) == original_get_court_by_paren(text)


def test_install_is_idempotent() -> None:
    assert eyecite_speedups.install() and eyecite_speedups.install()
    assert helpers.get_court_by_paren is court_by_paren


def _reference_view(refs: list) -> list:
    return [(r.span(), r.full_span(), r.token, sorted(vars(r.metadata).items())) for r in refs]


def _full_case_citations(text: str) -> list:
    from eyecite import get_citations
    from eyecite.models import FullCaseCitation

    from citator.citations.tokenizer import get_tokenizer

    return [c for c in get_citations(text, tokenizer=get_tokenizer()) if isinstance(c, FullCaseCitation)]


@pytest.mark.slow
def test_name_at_page_references_equal_eyecite_on_real_opinions(caplog) -> None:
    """Every full citation of 40 real opinions (../shared/bulk, a stretch holding "Dennis at 862"-style
    references, which are rare): the same "Name at page" references."""
    import logging

    from bench.corpus import RECORDS, TEXT_FIELDS, _text, load_records
    from citator.citations.text import prepare_text
    from tests.fakes.paths import require_shared

    require_shared("bulk")
    assert RECORDS.exists()
    caplog.set_level(logging.ERROR, logger="eyecite")
    checked = with_references = 0
    for record in load_records(380)[340:]:
        field = next(f for f in TEXT_FIELDS if _text(record, f))
        text = prepare_text(record[field], "text" if field == "plain_text" else "html").text
        for citation in _full_case_citations(text):
            expected = eyecite_speedups.original_pincited_reference_citations(citation, text)
            assert _reference_view(eyecite_speedups.pincited_reference_citations(citation, text)) == _reference_view(expected)
            checked += 1
            with_references += bool(expected)
    assert checked > 500 and with_references >= 1


NAME_PIECES = ["Acme Roe at 5.", "Roe at 6;", "Acme Roe", "Smith", "Smith v. Jones, 1 U.S. 2 (1990).", "Smith at 5", "Jones at 7, 9 n.3.", "Smith, at 12;",
               "Smithson at 4.", "Jones  at 3-4 (x)", "Smith at *4.", "at 5", "Jones\nat 6.", "xSmith at 8.", " ", ". "]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=10))
def test_name_at_page_references_equal_eyecite_on_generated_text(pieces: list[str]) -> None:
    # INVENTED citations; "Roe" inside "Acme Roe" tests that the search resumes after each match
    text = "In Acme Roe v. Roe, 3 U.S. 4 (1991), the court. See Smith v. Jones, 1 U.S. 2 (1990). " + " ".join(pieces)
    for citation in _full_case_citations(text):
        expected = eyecite_speedups.original_pincited_reference_citations(citation, text)
        assert _reference_view(eyecite_speedups.pincited_reference_citations(citation, text)) == _reference_view(expected)
