"""Forms the seventh fresh set's opinions showed the extractor misreading (fresh_sets/README.md): an
"e.g." after a signal other than "see", string members after a member the parser does not read, the
blank pins of slip-era citations, a page range after a note in a pin, and an agency's dotted
initials as a case's name. Each text imitates a 1990s First Circuit opinion and is invented."""

from __future__ import annotations

import pytest

from citator.citations import clauses, signals
from citator.citations.extract import find_references
from citator.citations.lexicon import REF_MARK
from citator.citations.models import Authority
from citator.citations.names import derive_short_names
from citator.citations.treatment_context import infer_signal


def by_cite(text: str) -> dict:
    """Every case reference of `text`, by its cite."""
    return {r.cite: r for r in find_references(text, [], all_cases=True)}


@pytest.mark.parametrize(
    "written, name",
    [("Cf., e.g.,", "cf."), ("accord, e.g.,", "accord"), ("Compare, e.g.,", "compare"), ("But see, e.g.,", "but see")],
)
def test_an_e_g_after_another_signal_keeps_that_signal(written: str, name: str) -> None:
    text = f"INVENTED holding. {written} Alpha v. Beta, 900 F.2d 10, 12 (1st Cir. 1990); Gamma v. Delta, 901 F.2d 20, 22 (1st Cir. 1990)."
    found = by_cite(text)
    assert found["900 F.2d 10"].signal == name
    assert found["901 F.2d 20"].signal == name


def test_see_e_g_is_still_its_own_signal() -> None:
    before = "INVENTED holding. See, e.g., "
    assert clauses.signal_before(before, len(before)) == "see, e.g."


def test_the_treatment_reader_still_reads_the_e_g_alone() -> None:
    # the shipped treatment weights were trained on this reading; it changes only with a retraining
    assert infer_signal("INVENTED holding. Cf., e.g., " + REF_MARK + ".") == "e.g."
    assert signals.canonical_signal("Cf., e.g.,") == "cf."


@pytest.mark.parametrize(
    "member",
    [
        'Fed. R. Evid. 702 (permitting expert testimony that "will assist the trier of fact")',
        'Carpenter Steel Co., 21 LLRM 1232, 1234 (1948) ("we shall order its disestablishment") (stating Board policy)',
    ],
)
def test_a_member_after_an_unread_member_with_parentheticals_keeps_the_signal(member: str) -> None:
    text = (
        "Experts may explain drug trade. Alpha v. Beta, 382 F.3d 12, 18-19 (1st Cir. 2004). "
        f"The testimony did not help the jury. See {member}; Alpha, 382 F.3d at 18."
    )
    refs = [r for r in find_references(text, [], all_cases=True) if r.kind == "short"]
    assert [r.signal for r in refs] == ["see"]


def test_a_member_after_a_slip_opinion_cited_by_its_docket_keeps_the_signal() -> None:
    text = (
        "Such claims are not heard on direct appeal. See United States v. Alpha, No. 92-1890, slip op. at 18 "
        "(March 30, 1993); United States v. Beta, 952 F.2d 16, 19 (1st Cir. 1991)."
    )
    assert by_cite(text)["952 F.2d 16"].signal == "see"


def test_a_member_after_a_blank_slip_cite_pinned_to_a_note_keeps_the_signal() -> None:
    text = (
        "Such decisions are persuasive here. See Alpha, F.2d at n.2 [slip op. at 5 n.2]; "
        "United States v. Beta, 910 F.2d 81, 86 n.6 (3d Cir. 1990)."
    )
    assert by_cite(text)["910 F.2d 81"].signal == "see"


IRWIN = Authority(key="498 U.S. 89", name="Irwin v. Veterans Admin.", citations=("498 U.S. 89",), short_names=("Irwin",))
SLIP_ERA = (
    "The bar is not jurisdictional. Irwin v. Veterans Admin., 498 U.S. 89, , 111 S. Ct. 453, 457-58 (1990). "
    "Tolling is rare where a party fails to act, Irwin, 498 U.S. at , 111 S. Ct. at 458, and courts "
    "extend it sparingly. See id. at , 111 S. Ct. at 457-58."
)


def test_a_full_cite_with_a_blank_official_pin_takes_its_parallels_pin() -> None:
    (full,) = [r for r in find_references(SLIP_ERA, [IRWIN]) if r.kind in ("full", "parallel")]
    assert full.as_written == "Irwin v. Veterans Admin., 498 U.S. 89, , 111 S. Ct. 453, 457-58 (1990)"
    assert full.pin_cite == "457-58"


def test_a_short_cite_with_a_blank_official_pin_is_one_named_reference() -> None:
    shorts = [r for r in find_references(SLIP_ERA, [IRWIN]) if r.kind == "short"]
    assert [(r.as_written, r.pin_cite) for r in shorts] == [("Irwin, 498 U.S. at , 111 S. Ct. at 458", "458")]


def test_an_id_with_a_blank_official_pin_takes_its_parallels_pin() -> None:
    (id_ref,) = [r for r in find_references(SLIP_ERA, [IRWIN]) if r.kind == "id"]
    assert id_ref.pin_cite == "457-58"
    assert id_ref.signal == "see"


@pytest.mark.parametrize(
    "pin, read",
    [("99 n.3, 104-05", "99 n.3, 104-05"), ("457-58 nn. 4 & 5", "457-58 nn. 4 & 5"), ("12 n.7, 9", "12 n.7, 9")],
)
def test_a_page_range_after_a_note_is_part_of_the_pin(pin: str, read: str) -> None:
    assert clauses.parse_pin(f"{pin} (1988)", 0) == (read, len(pin))


@pytest.mark.parametrize("name, short", [("N.L.R.B. v. Northeastern Univ.", "Northeastern"), ("F.T.C. v. Alpha Corp.", "Alpha")])
def test_an_agency_written_with_dotted_initials_is_no_name_for_its_case(name: str, short: str) -> None:
    assert derive_short_names(name) == (short,)


def test_an_agency_named_in_prose_is_no_reference_to_its_case() -> None:
    text = (
        "A dominated union must be disestablished. N.L.R.B. v. Northeastern Univ., 601 F.2d 1208, 1215 "
        "(1st Cir. 1979). Had a complaint been brought before the NLRB, the NLRB would have acted."
    )
    assert [r.kind for r in find_references(text, [], all_cases=True)] == ["full"]
