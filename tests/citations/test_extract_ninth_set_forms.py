"""Forms the ninth fresh set's opinions showed the extractor misreading (fresh_sets/README.md): a
string member after a slip opinion whose name starts with a lower-case particle and that carries
an explanatory parenthetical, members joined by ", and", a Westlaw or LEXIS star page typed with a
space ("at * 4"), and a party named before a present-tense verb only a party does ("Smith
implicitly admits"). Each text imitates a First Circuit opinion and is invented."""

from __future__ import annotations

import pytest

from citator.citations.extract import find_references
from citator.citations.models import Authority
from citator.citations.names import derive_short_names


def by_cite(text: str) -> dict:
    """Every case reference of `text`, by its cite."""
    return {r.cite: r for r in find_references(text, [], all_cases=True)}


@pytest.mark.parametrize("name", ["de Casenave v. United States", "Casenave v. United States"])
def test_a_member_after_a_slip_opinion_with_its_parentheticals_keeps_the_signal(name: str) -> None:
    text = (
        "INVENTED. The limitations period has long since run. See "
        f"{name}, No. 92-2102, slip op. at 6 (1st Cir. April 20, 1993) (where the first suit was "
        "dismissed, the court \"discern[s] no basis\" to toll the period); Alpha v. Beta, 951 F.2d "
        "272, 274 (10th Cir. 1991) (refusing to toll the period)."
    )
    assert by_cite(text)["951 F.2d 272"].signal == "see"


def test_a_member_joined_by_and_keeps_the_strings_signal() -> None:
    text = (
        "INVENTED. See Alpha v. Beta, 879 F.2d 945, 955 (1st Cir. 1989); Gamma v. Delta, 818 F.2d "
        "120, 134 (1st Cir. 1987). The majority points to such cases. See ante at 14 (citing Alpha, "
        "supra, and Gamma, supra, as examples of fierce arguments)."
    )
    supras = [r for r in find_references(text, [], all_cases=True) if r.kind == "supra"]
    assert [(r.as_written, r.signal) for r in supras] == [("Alpha, supra", "citing"), ("Gamma, supra", "citing")]


def test_a_cite_joined_by_and_after_prose_keeps_no_signal() -> None:
    text = (
        "INVENTED. We so held in Alpha v. Beta, 900 F.2d 10, 12 (1st Cir. 1990), and Gamma v. Delta, "
        "910 F.2d 20, 22 (1st Cir. 1990), applied the rule."
    )
    assert by_cite(text)["910 F.2d 20"].signal == "none"


@pytest.mark.parametrize(
    ("written", "pin"),
    [("2010 WL 4118643, at * 4", "*4"), ("1994 U.S. Dist. LEXIS 4101, at * 3-4", "*3-4"), ("2010 WL 4118643, at *4", "*4")],
)
def test_a_star_page_typed_with_a_space_is_the_pin(written: str, pin: str) -> None:
    text = f"INVENTED. The issue is waived. See Alpha v. Beta Concepts, Inc., No. 09-2172, {written} (1st Cir. Oct. 21, 2010)."
    found = [r for r in find_references(text, [], all_cases=True) if r.kind == "full"]
    assert [(r.pin_cite, r.as_written.endswith("(1st Cir. Oct. 21, 2010)")) for r in found] == [(pin, True)]


def _seed(name: str, cite: str) -> Authority:
    return Authority(key=cite, name=name, citations=(cite,), short_names=derive_short_names(name)[:1])


@pytest.mark.parametrize("verb", ["implicitly admits", "argues", "contends", "concedes"])
def test_a_party_who_argues_or_admits_is_no_reference(verb: str) -> None:
    seed = _seed("United States v. Smith", "14 F.3d 662")
    text = (
        "INVENTED. This court applied like reasoning in United States v. Smith, 14 F.3d 662 (1st Cir. "
        f"1994), where we said: Smith {verb} that he committed a felony, and the court cannot "
        "reward that choice. Id. at 666. In Smith, the reliance was not reasonable."
    )
    refs = [r for r in find_references(text, [seed]) if r.authority_key == seed.key]
    assert [(r.kind, r.as_written) for r in refs] == [
        ("full", "United States v. Smith, 14 F.3d 662 (1st Cir. 1994)"),
        ("id", "Id. at 666"),
        ("name_only", "Smith"),
    ]


def test_a_short_cite_without_its_reporter_takes_the_signal_of_its_string() -> None:
    # imitates a 1990s First Circuit opinion that leaves the reporter out of a short cite, as the
    # last member of a string and on its own after a signal
    seed = Authority(key="hodge", name="United States v. Hodge-Balwing", citations=("952 F.2d 607",))
    text = (
        "INVENTED. We review for plain error. United States v. Hodge-Balwing, 952 F.2d 607, 610 (1st "
        "Cir. 1991). We have chided the prosecutor before. See, e.g., Alpha v. Beta, 951 F.2d 272, "
        "274 (1st Cir. 1991); Hodge-Balwing, 952 at 611 (\"we review only blockbusters\"). The rule "
        "is old. See also Hodge-Balwing, 952 at 612. It binds us. Hodge-Balwing, 952 at 613."
    )
    shorts = [r for r in find_references(text, [seed]) if r.kind == "short"]
    assert [(r.pin_cite, r.signal) for r in shorts] == [("611", "see, e.g."), ("612", "see also"), ("613", "none")]
