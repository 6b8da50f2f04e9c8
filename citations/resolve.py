"""Resolution: which authority each citation points to.

Full cites match an authority through any of its reporter citations (parallel and Westlaw cites
included). Short cites are matched by volume and reporter among the cases cited before them,
then by name, then by where the pin page falls; supra and "Name at page" forms by name, then pin
page; id. by the preceding citation, skipping citations inside parentheticals, footnotes read
out of order and antecedents whose pages cannot hold the id.'s pin. Where a pin cannot decide
between same-name authorities, the reference is marked ambiguous with its candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from citator.citations import clauses
from citator.citations.cites import Cite, cite_key, split_cite
from citator.citations.models import Authority
from citator.citations.names import derive_short_names, name_pattern

__all__ = ["Target", "build_targets", "resolve"]


@dataclass
class Target:
    """Something a reference can point to: a seed authority or any other cited case."""

    key: str
    names: list[str]
    first_page: int | None
    last_page: int | None
    volume_keys: set[str]
    authority: Authority | None = None
    cite: str | None = None


# --- targets and resolution ------------------------------------------------------------------------


def _authority_names(authority: Authority) -> list[str]:
    """Configured short names and nicknames, plus the Bluebook short name derived from the case
    name. Other party names ("Brown" in "Cohen v. Brown Univ.") are used only once the document
    itself uses them in a citation, because they are often people or institutions in the text."""
    names = list(authority.short_names) + list(derive_short_names(authority.name))[:1]
    return list(dict.fromkeys(n for n in names if n))


def build_targets(authorities: Sequence[Authority]) -> tuple[dict[str, Target], dict[str, str]]:
    targets: dict[str, Target] = {}
    by_cite: dict[str, str] = {}
    for authority in authorities:
        volume_keys = set()
        for cite in authority.citations:
            parts = split_cite(cite)
            if not parts:
                continue
            by_cite[cite_key(*parts)] = authority.key
            volume_keys.add(cite_key(parts[0], parts[1]))
        targets[authority.key] = Target(
            key=authority.key,
            names=_authority_names(authority),
            first_page=authority.first_page,
            last_page=authority.last_page,
            volume_keys=volume_keys,
            authority=authority,
            cite=authority.primary_citation,
        )
    return targets, by_cite


def _name_matches(name: str | None, target: Target, case_name: str | None = None) -> bool:
    """Does a short-form name ("Croson", "Vill. of Hoffman Estates") fit a target?"""
    if not name:
        return False
    pattern = re.compile(name_pattern(name), re.I)
    pool = list(target.names)
    if target.authority is not None:
        pool.append(target.authority.name)
    if case_name:
        pool.append(case_name)
    return any(pattern.search(p) for p in pool)


def _pin_first(pin: str | None) -> int | None:
    if not pin:
        return None
    m = re.match(r"\*?(\d+)", pin)
    return int(m.group(1)) if m and not pin.startswith("*") else None


#: Without a known last page, a pin this far past a first page is taken to be inside the opinion.
_PLAUSIBLE_LENGTH = 100


def _choose_by_page(cands: list[Target], pin: str | None) -> tuple[list[Target], bool]:
    """Narrow same-name or same-volume candidates by where the pin page falls.

    A candidate holds the pin when first page <= pin <= last page (`Authority.last_page`), or,
    when the last page is unknown, when the pin lies within a plausible opinion length of the
    first page. One holder decides; several are narrowed to the nearest first page below the
    pin and reported ambiguous; none leaves all candidates, ambiguous.
    """
    page = _pin_first(pin)
    if page is None or len(cands) < 2:
        return cands, len(cands) > 1
    below = [
        t
        for t in cands
        if t.first_page is not None and t.first_page <= page and (t.last_page is None or page <= t.last_page)
    ]
    if not below:
        return cands, True
    holders = [t for t in below if t.last_page is not None or page - (t.first_page or 0) <= _PLAUSIBLE_LENGTH]
    if len(holders) == 1:
        return holders, False
    pool = holders or below
    best = max(pool, key=lambda t: t.first_page or 0)
    if len(pool) == 1:
        return [best], False
    return [best] + [t for t in pool if t is not best], True


def _zone(zones: Sequence[tuple[int, int, int, int]], pos: int) -> int | None:
    for i, (a, b, _, _) in enumerate(zones):
        if a <= pos < b:
            return i
    return None


def resolve(
    text: str,
    cites: list[Cite],
    targets: dict[str, Target],
    by_cite: dict[str, str],
    all_cases: bool,
    zones: Sequence[tuple[int, int, int, int]] = (),
) -> None:
    seen_full: list[tuple[Cite, Target]] = []
    last: Cite | None = None  # antecedent for id.: the last citation outside parentheticals
    last_in_paren: dict[int, Cite] = {}
    current_zone: int | None = None
    body_cites: list[Cite] = []
    for c in cites:
        if c.parallel_of is not None and cites[c.parallel_of].kind in ("short", "id"):
            root = cites[c.parallel_of]
            c.target, c.ambiguous, c.candidates = root.target, root.ambiguous, root.candidates
            continue  # one citation with its root: not an antecedent of its own
        zone = _zone(zones, c.core[0]) if zones else None
        if zone != current_zone:
            current_zone = zone
            if zone is not None:
                # a footnote moved behind the body: its first id. follows the body text that
                # precedes the footnote, not the previous footnote
                fn_start = zones[zone][2]
                before = [
                    b
                    for b in body_cites
                    if b.enclosing is None and b.start < zones[0][0] and b.src_start < fn_start
                ]
                last = before[-1] if before else None
        if zone is None:
            body_cites.append(c)
        if c.kind == "full":
            key = by_cite.get(c.full_key or "")
            if c.parallel_of is not None:
                root = cites[c.parallel_of]
                if root.target is not None and key is None:
                    key = root.target
                elif key is not None and root.target is not None and root.target.startswith("cite:"):
                    root.target = key
            if key is None:
                key = f"cite:{c.volume} {c.reporter} {c.page}"
                if key not in targets:
                    names = list(derive_short_names(c.name)) if c.name else []
                    targets[key] = Target(
                        key=key,
                        names=names,
                        first_page=int(c.page) if c.page and c.page.isdigit() else None,
                        last_page=None,
                        volume_keys={cite_key(c.volume or "", c.reporter or "")},
                        cite=f"{c.volume} {c.reporter} {c.page}",
                    )
            else:
                tgt = targets[key]
                if c.name:
                    for n in derive_short_names(c.name)[:1]:
                        if n not in tgt.names and _name_matches(n, tgt):
                            tgt.names.append(n)
            c.target = key
            seen_full.append((c, targets[key]))
        elif c.kind == "short":
            _resolve_short(c, seen_full, targets)
        elif c.kind in ("supra", "reference"):
            _resolve_by_name(c, seen_full, targets)
        elif c.kind == "id":
            ante = last
            if c.enclosing is not None and c.enclosing in last_in_paren:
                ante = last_in_paren[c.enclosing]
            elif last is not None and last.index in last_in_paren:
                # "X (quoting Y); see also id.": within one citation sentence, id. is Y
                gap = text[last.tail_end or last.end : c.start]
                string_member = re.fullmatch(r"\)* ?; ?", gap) or (
                    re.fullmatch(r"\)* ?; ?(?:[A-Za-z.,]+ ?){0,3}", gap)
                    and clauses.signal_before(text, c.start) is not None
                )
                if string_member:
                    ante = last_in_paren[last.index]
            ante = _plausible_antecedent(c, ante, cites, targets)
            if ante is not None:
                c.target = ante.target
                c.ambiguous = ante.ambiguous
                c.candidates = ante.candidates
        # update id. antecedents
        if c.enclosing is None:
            last = c
        else:
            last_in_paren[c.enclosing] = c


def _pin_fits(pin: str | None, target: Target | None) -> bool:
    page = _pin_first(pin)
    if page is None or target is None or target.first_page is None:
        return True
    if target.last_page is not None:
        return target.first_page <= page <= target.last_page
    return target.first_page <= page <= target.first_page + 400


def _plausible_antecedent(
    c: Cite, ante: Cite | None, cites: list[Cite], targets: dict[str, Target]
) -> Cite | None:
    """An id. whose pin cannot lie in the preceding authority (a quoted passage's own cites
    intervene, "Id. at 13" after "394 U.S. 618") refers to an earlier one where it fits."""
    if ante is None or ante.target is None or _pin_fits(c.pin, targets.get(ante.target)):
        return ante
    for prev in reversed(cites[: ante.index]):
        if prev.start < c.start - 4000:
            break
        if (
            prev.enclosing is not None
            or prev.target is None
            or prev.kind not in ("full", "short", "supra", "reference")
        ):
            continue
        if _pin_fits(c.pin, targets.get(prev.target)):
            return prev
    return ante


def _resolve_short(c: Cite, seen_full: list[tuple[Cite, Target]], targets: dict[str, Target]) -> None:
    if c.page:  # database short forms keep their document number
        for full, tgt in seen_full:
            if full.full_key == c.full_key:
                c.target = tgt.key
                return
    vkey = cite_key(c.volume or "", c.reporter or "")
    cands: list[Target] = []
    for _full, tgt in seen_full:
        if vkey in tgt.volume_keys and tgt not in cands:
            cands.append(tgt)
    if not cands:
        cands = [t for t in targets.values() if t.authority is not None and vkey in t.volume_keys]
        page = _pin_first(c.pin)
        if page is not None:
            cands = [t for t in cands if t.first_page is None or t.first_page <= page]
    if len(cands) > 1 and c.name:
        named = [t for t in cands if _name_matches(c.name, t)]
        if named:
            cands = named
    if len(cands) > 1:
        cands, ambiguous = _choose_by_page(cands, c.pin)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    if not cands and c.name:
        # a wrong volume in the opinion ("Associated General Contractors, 519 U.S. at 537"):
        # trust the name when it fits exactly one authority cited before
        named = list(
            {t.key: t for _, t in seen_full if t.authority is not None and _name_matches(c.name, t)}.values()
        )
        if len(named) == 1:
            cands = named
    if cands:
        c.target = cands[0].key
        if c.name and c.name not in cands[0].names and not c.ambiguous:
            cands[0].names.append(c.name)


def _resolve_by_name(c: Cite, seen_full: list[tuple[Cite, Target]], targets: dict[str, Target]) -> None:
    cands: list[Target] = []
    if c.volume and c.reporter:
        vkey = cite_key(c.volume, c.reporter)
        cands = [t for _, t in seen_full if vkey in t.volume_keys]
    if not cands:
        for full, tgt in reversed(seen_full):  # most recently cited first
            if tgt not in cands and _name_matches(c.name, tgt, full.name):
                cands.append(tgt)
    if not cands:
        return
    if c.volume and not c.reporter:
        # "Fullilove, 448 supra": the volume rules out same-name cases in other volumes
        by_vol = [t for t in cands if any(k.startswith(f"{c.volume}|") for k in t.volume_keys)]
        cands = by_vol or cands
    if len(cands) > 1:
        cands, ambiguous = _choose_by_page(cands, c.pin)
        c.ambiguous = ambiguous
        c.candidates = tuple(t.key for t in cands) if ambiguous else ()
    c.target = cands[0].key
