"""A malformed full cite that can only be a seed resolves to the seed, saying what was repaired
(`Reference.resolution_note`, stored as `citations.resolution_note`), instead of becoming a
phantom authority that every later short cite and id. follows (issue 14, item 3).

The passages are invented for these tests (they imitate real slips: a missing "at", a
misprinted volume); the reporter cites are real ones.
"""

from __future__ import annotations

from citator.citations.extract import find_references
from citator.citations.models import Authority

AYOTTE = Authority(
    key="ayotte",
    name="Ayotte v. Planned Parenthood of N. New Eng.",
    citations=("546 U.S. 320",),
    last_page=332,
)
GROUP = Authority(key="group", name="Doe v. Roe", citations=("550 F.3d 80",), last_page=99)


def test_full_cite_inside_a_seeds_pages_is_a_pin_cite_of_the_seed_with_a_note():
    text = "The statute fails. See Doe v. Roe, 550 F.3d 88-96 (1st Cir. 2008). It was never cured. Id. at 93."
    refs = find_references(text, [GROUP])
    assert [(r.kind, r.authority_key, r.pin_cite) for r in refs] == [("short", "group", "88-96"), ("id", "group", "93")]
    assert "550 F.3d 88" in refs[0].resolution_note and "550 F.3d 80" in refs[0].resolution_note
    assert refs[1].resolution_note is None


def test_page_past_a_seeds_last_page_is_another_case():
    text = "See Roe v. Wade, 550 F.3d 120 (1st Cir. 2008). Id. at 125."
    assert find_references(text, [GROUP]) == []


def test_misprinted_volume_with_the_seeds_name_and_first_page_resolves_to_the_seed():
    text = (
        "A court may enjoin only the unconstitutional applications. Ayotte v. Planned Parenthood "
        "of N. New Eng., 564 U.S. 320, 328-29 (2006). That is the remedy here. Id. at 330."
    )
    refs = find_references(text, [AYOTTE])
    assert [(r.kind, r.authority_key) for r in refs] == [("full", "ayotte"), ("id", "ayotte")]
    assert refs[0].resolution_note == "volume 564 as printed; 546 U.S. 320 by its name and first page"


def test_a_well_formed_cite_carries_no_note():
    text = "See Ayotte v. Planned Parenthood of N. New Eng., 546 U.S. 320, 328 (2006); Ayotte, 546 U.S. at 330."
    refs = find_references(text, [AYOTTE])
    assert len(refs) == 2 and all(r.resolution_note is None for r in refs)


def test_short_cite_with_a_misprinted_volume_notes_the_name_it_was_resolved_by():
    text = (
        "See Ayotte v. Planned Parenthood of N. New Eng., 546 U.S. 320 (2006). The remedy is "
        "narrow. Ayotte, 564 U.S. at 329."
    )
    refs = find_references(text, [AYOTTE])
    assert [(r.kind, r.authority_key) for r in refs] == [("full", "ayotte"), ("short", "ayotte")]
    assert refs[1].resolution_note.startswith("volume 564 U.S. as printed; resolved by the name Ayotte")


def test_the_note_is_stored_in_citations_and_an_older_database_gains_the_column(tmp_path):
    from citator.db import references, schema, store

    path = tmp_path / "v8.db"
    db = store.open_database(path)
    db.execute("alter table citations drop column resolution_note")  # as a v8 database has it
    db.execute("PRAGMA user_version = 8")
    db.conn.commit()
    db.conn.close()

    db = store.open_database(path)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    assert "resolution_note" in {c.name for c in db["citations"].columns}
    ref = find_references(
        "Ayotte v. Planned Parenthood of N. New Eng., 564 U.S. 320 (2006).", [AYOTTE]
    )[0]
    row = references.citation_row("op1", "case1", ref, None, 1)
    assert row["resolution_note"] == ref.resolution_note
    values = references.reference_values(row["id"], "op1", "case1", ref, None, 1)  # what the bulk writer stores
    assert values[references.COLUMNS.index("resolution_note")] == ref.resolution_note


def test_a_margin_line_number_before_a_short_cite_is_not_read_as_a_volume():
    # invented passage in the layout of a slip opinion with numbered lines
    seed = Authority(key="williams", name="Williams v. Town of Greenburgh", citations=("535 F.3d 71",))
    text = (
        "13 existed. Williams v. Town of Greenburgh, 535 F.3d 71, 79 (2d Cir. 2008).\n\n"
        "14 A mistake about relevant facts does not undermine probable cause.\n\n"
        "15 Williams, 535 F.3d at 79.\n\n16 Even when probable cause is lacking, the officer may"
    )
    refs = find_references(text, [seed])
    assert [(r.kind, r.as_written, r.pin_cite) for r in refs][-1] == ("short", "Williams, 535 F.3d at 79", "79")


HAIRSTON = Authority(key="hairston", name="United States v. Hairston", citations=("888 F.2d 1349",))


def test_a_cases_short_name_with_its_volume_and_a_misprinted_page_is_that_case():
    # imitates a 1993 opinion that repeats a case by its short name with "at" left out and a
    # misprinted page; a new case in the same volume comes with its court and date
    text = (
        "The finding stands. See United States v. Hairston, 888 F.2d 1349, 1352-53 (11th Cir. 1989). "
        "Parties cannot waive a criminal statute. See, e.g., Hairston, 888 F.2d 1153 (holding that a "
        "settlement did not preclude restitution). Cf. Hairston, 888 F.2d 1153, 1155 (7th Cir. 1989)."
    )
    refs = find_references(text, [HAIRSTON])
    assert [(r.kind, r.authority_key, r.pin_cite, r.signal) for r in refs] == [
        ("full", "hairston", "1352-53", "see"),
        ("short", "hairston", "1153", "see, e.g."),
    ]
    assert "misprinted page" in refs[1].resolution_note
