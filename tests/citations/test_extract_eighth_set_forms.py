"""Forms the eighth fresh set's opinions showed the extractor misreading (fresh_sets/README.md): a
court parenthetical naming the Second or Third Circuit without a year ("(2d Cir.), cert. denied"),
a supra of a two-word name with the volume and pin after it, and a capitalised "Citing" that opens
a sentence of prose. Each text imitates a 1990s First Circuit opinion and is invented."""

from __future__ import annotations

import pytest

from citator.citations import clauses
from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.citations.names import derive_short_names


def by_cite(text: str) -> dict:
    """Every case reference of `text`, by its cite."""
    return {r.cite: r for r in find_references(text, [], all_cases=True)}


@pytest.mark.parametrize("court", ["2d Cir.", "3d Cir.", "1st Cir.", "9th Cir."])
def test_a_court_without_its_year_is_no_explanatory_parenthetical(court: str) -> None:
    text = (
        f"INVENTED holding. See Alpha v. Beta, 900 F.2d 10, 12 ({court}) (reviewing a master's report), "
        "cert. denied, 498 U.S. 1000 (1990)."
    )
    found = by_cite(text)["900 F.2d 10"]
    assert found.parenthetical == "reviewing a master's report"
    assert found.as_written.endswith(f"({court})")


def test_a_year_is_still_needed_for_other_words_in_parentheses() -> None:
    assert clauses.court_parenthetical_end(" (2d edition)", 0) is None


def _seed(name: str, cite: str) -> Authority:
    return Authority(key=cite, name=name, citations=(cite,), short_names=derive_short_names(name)[:1])


@pytest.mark.parametrize("name", ["Berrios Lopez", "Berrios", "Lopez"])
def test_a_supra_with_its_volume_and_pin_is_one_pinned_supra(name: str) -> None:
    seed = _seed("Berrios Lopez v. Secretary of Health and Human Services", "951 F.2d 427")
    text = (
        "INVENTED. Berrios Lopez v. Secretary of Health and Human Services, 951 F.2d 427, 431 "
        f"(1st Cir. 1991). Reports alone may not suffice, although this is no absolute rule. {name}, "
        "supra, 951 F.2d at 430; Gamma v. Delta, 921 F.2d 327, 328 (1st Cir. 1990)."
    )
    refs = [r for r in find_references(text, [seed]) if r.authority_key == seed.key]
    assert [(r.kind, r.as_written, r.pin_cite) for r in refs[1:]] == [("supra", f"{name}, supra, 951 F.2d at 430", "430")]


def test_a_short_cite_after_another_cases_supra_stays_a_short_cite() -> None:
    seed = _seed("Alpha v. Beta", "900 F.2d 10")
    text = (
        "INVENTED. Alpha v. Beta, 900 F.2d 10, 12 (1st Cir. 1990). Gamma, supra, at 5; "
        "Alpha, 900 F.2d at 14."
    )
    refs = [r for r in find_references(text, [seed]) if r.authority_key == seed.key]
    assert [(r.kind, r.pin_cite) for r in refs] == [("full", "12"), ("short", "14")]


def test_a_capitalised_citing_opening_a_sentence_is_prose() -> None:
    text = (
        "INVENTED. See Alpha v. Beta, 352 U.S. 249, 256 (1957). Citing Alpha, 352 U.S. at 256, "
        "petitioners contend that the order abdicates the judicial function."
    )
    short = next(r for r in find_references(text, [], all_cases=True) if r.kind == "short")
    assert short.signal == "none"


def test_citing_inside_a_parenthetical_is_still_the_signal() -> None:
    text = (
        "INVENTED. Alpha v. Beta, 900 F.2d 10, 12 (1st Cir. 1990) (citing Gamma v. Delta, "
        "352 U.S. 249, 256 (1957))."
    )
    assert by_cite(text)["352 U.S. 249"].signal == "citing"
