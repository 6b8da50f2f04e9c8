"""Plain-text releases of the 1990s often drop an accented letter and leave a space in its place
("Aponte-Su rez", "Rodr guez", "G mez-Pab n"). The case name before a cite must still be read
whole, or the cite loses its name and, in a string, its signal; prose that merely puts a lower-case
word after a capitalised one stays prose. Each text imitates a First Circuit opinion of that era
and is invented."""

from __future__ import annotations

import pytest

from citator.citations.extract import find_references


def by_cite(text: str) -> dict:
    """Every case reference of `text`, by its cite."""
    return {r.cite: r for r in find_references(text, [], all_cases=True) if r.kind == "full"}


@pytest.mark.parametrize(
    "name",
    ["United States v. Aponte-Su rez", "Rodr guez-Morales v. Alpha Corp.", "United States v. G mez-Pab n", "Londo o v. Beta"],
)
def test_a_name_split_by_a_lost_accent_is_read_whole(name: str) -> None:
    text = f"INVENTED. The search was lawful. See {name}, 905 F.2d 483, 491 (1st Cir. 1990)."
    ref = by_cite(text)["905 F.2d 483"]
    assert (ref.as_written.split(",")[0], ref.signal) == (name, "see")


def test_a_string_member_after_such_a_name_keeps_the_signal() -> None:
    text = (
        "INVENTED. See, e.g., United States v. Mendoza-L pez, 481 U.S. 828, 837 (1987); United "
        "States v. Gamma, 924 F.2d 1385, 1389 (7th Cir. 1991)."
    )
    assert by_cite(text)["924 F.2d 1385"].signal == "see, e.g."


@pytest.mark.parametrize(
    "prose",
    ["Verdugo cites Alpha v. Beta", "Kimball relies on Alpha v. Beta", "See de Casenave v. Beta", "In sum, Alpha v. Beta"],
)
def test_prose_before_a_name_stays_out_of_it(prose: str) -> None:
    text = f"INVENTED. The point is settled. {prose}, 900 F.2d 10, 12 (1st Cir. 1990), so held."
    name = by_cite(text)["900 F.2d 10"].as_written.split(",")[0]
    assert name in ("Alpha v. Beta", "de Casenave v. Beta")
