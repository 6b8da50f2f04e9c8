"""Authorities and a Reference builder shared by the treatment tests.

The authorities are test data: "Alpha v. Beta" at 500 U.S. 1 is INVENTED; the Bernstein entries
carry the real citations of the seeds (no opinion text).
"""

from __future__ import annotations

from citator.citations.models import Authority, HistoryEntry, Reference

SCOTUS_SEED = Authority(key="500 U.S. 1", name="Alpha v. Beta", citations=("500 U.S. 1",), court="scotus")
CA9_SEED = Authority(
    key="176 F.3d 1132",
    name="Bernstein v. U.S. Dep't of Justice",
    citations=("176 F.3d 1132",),
    court="ca9",
    status="withdrawn",
    history=(HistoryEntry("withdrawn_by", "192 F.3d 1308", "1999-09-30"),),
    family="bernstein",
)
DISTRICT_SEED = Authority(
    key="922 F. Supp. 1426",
    name="Bernstein v. U.S. Dep't of State",
    citations=("922 F. Supp. 1426",),
    court="cand",
    family="bernstein",
)


def ref_at(text: str, target: str, *, occurrence: int = 0, key: str = "500 U.S. 1", **fields) -> Reference:
    """A Reference to `target` as written in `text` (the n-th occurrence)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(target, start + 1)
    kind = fields.pop("kind", "name_only")
    return Reference(start=start, end=start + len(target), as_written=target, kind=kind, authority_key=key, **fields)
