"""A table of authorities, as a brief's front matter lists them.

Cases first, alphabetically by name; then (with --all) statutes and regulations, then other
authorities such as articles. Each entry gives every place it is cited (pages of a PDF,
paragraphs of a .docx, lines of a text file), or "passim" when it is cited in so many places
(five by default) that listing them helps nobody, and its status flag (WITHDRAWN, relies on
withdrawn, negative treatment with --db).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing the check loads the extractor
    from citator.brief_check import BriefCheck

__all__ = ["ToaEntry", "build_toa", "SECTIONS"]

SECTIONS = ("Cases", "Statutes and regulations", "Other authorities")


@dataclass
class ToaEntry:
    section: str
    authority: str
    places: list[int] = field(default_factory=list)
    passim: bool = False
    flag: str = ""
    references: int = 0

    @property
    def where(self) -> str:
        return "passim" if self.passim else ", ".join(map(str, self.places))

    def to_dict(self, unit: str) -> dict:
        return {"section": self.section, "authority": self.authority, unit + "s": self.places,
                "passim": self.passim, "where": self.where, "flag": self.flag, "references": self.references}


def _sort_name(name: str) -> str:
    """Alphabetical as a table of authorities sorts: case and leading "In re"/"The" aside."""
    bare = re.sub(r"^(?:in re|ex parte|the)\s+", "", name.strip(), flags=re.I)
    return bare.casefold()


def build_toa(check: BriefCheck, passim: int) -> list[ToaEntry]:
    """The table's entries in order: cases, then statutes and regulations, then the rest."""
    entries: dict[tuple[str, str], ToaEntry] = {}
    for ref in check.references:
        if ref.history_of:
            continue  # part of another citation (its subsequent history), not a place it is cited
        key = ("Cases", ref.group)
        entry = entries.get(key)
        if entry is None:
            flag = ref.status.flag if ref.status else ""
            entry = entries[key] = ToaEntry("Cases", ref.authority, flag=flag)
        entry.places.append(ref.location.place)
        entry.references += 1
    for other in check.others:
        section = "Statutes and regulations" if other.kind in ("statute", "regulation") else "Other authorities"
        key = (section, other.label)
        entry = entries.setdefault(key, ToaEntry(section, other.label))
        entry.places.append(other.location.place)
        entry.references += 1
    result = []
    for entry in entries.values():
        entry.places = sorted(set(entry.places))
        entry.passim = passim > 0 and len(entry.places) >= passim
    for section in SECTIONS:
        in_section = [e for e in entries.values() if e.section == section]
        result.extend(sorted(in_section, key=lambda e: _sort_name(e.authority)))
    return result
