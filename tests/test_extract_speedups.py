"""The faster court lookup used inside eyecite gives exactly eyecite's own answers."""

from __future__ import annotations

from eyecite import helpers
from hypothesis import given, settings, strategies as st

from citator.citations import cites  # noqa: F401  (importing the extractor installs the speedup)
from citator.citations import eyecite_speedups
from citator.citations.eyecite_speedups import court_by_paren, original_get_court_by_paren


def test_installed_in_eyecite_when_the_extractor_is_imported() -> None:
    assert helpers.get_court_by_paren is court_by_paren


def test_same_answer_as_eyecite_for_court_strings_and_their_prefixes() -> None:
    # eyecite's own lookup takes ~20 ms a call, so a spread sample of courts-db rather than all of it
    strings = set()
    for court in helpers.courts[::15]:
        text = court["citation_string"]
        strings.update({text.upper(), text[: max(1, len(text) // 2)]})
    strings.update({"", " ", "9th Cir.", "N.D. Cal.", "D.C. Cir.", "1st Cir.", "Cal. Ct. App.", "Pa.Super.", "SC", "xx"})
    differing = [s for s in sorted(strings) if court_by_paren(s) != original_get_court_by_paren(s)]
    assert differing == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_same_answer_as_eyecite_for_any_text(text: str) -> None:
    assert court_by_paren(text) == original_get_court_by_paren(text)


def test_install_is_idempotent() -> None:
    assert eyecite_speedups.install() and eyecite_speedups.install()
    assert helpers.get_court_by_paren is court_by_paren
