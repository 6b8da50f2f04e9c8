"""Load and compile the treatment cue lexicon (citations/treatment_lexicon.toml).

The cues are data so that researchers can add the phrases of their own field without touching
code; this module turns the human phrase syntax described at the top of the TOML file into
regular expressions once, and validates labels and scopes so a typo fails loudly instead of
silently never firing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from citator.citations.models import TREATMENTS

#: Stands for the reference inside a scope's text; chosen so no opinion contains it.
REF_MARK = "\u27e6REF\u27e7"
SCOPES = ("clause", "sentence", "claim", "next", "after", "paragraph", "parenthetical")
_GAP = r"\s+(?:[^\s;]+\s+){0,8}?"
_SHORT_GAP = r"\s+(?:[^\s;]+\s+){0,2}?"
_PASS = set("(|)?")


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the block and the field."""


@dataclass(frozen=True)
class Cue:
    """One phrase of the lexicon, compiled."""

    label: str
    phrase: str
    pattern: re.Pattern[str]
    weight: float
    scope: str
    negated_label: str | None
    concessive: bool
    reports: bool = False
    group: str = ""  # the [[cue]] block it came from: one vote per block and scope
    #: "same": fires only for a reference to an earlier decision in the same litigation (the
    #: decision under review); "other": never for one; None: always.
    litigation: str | None = None

    @property
    def anchored(self) -> bool:
        return "{ref}" in self.phrase


@dataclass(frozen=True)
class Lexicon:
    """All cues plus the signal and parenthetical-verb tables and the negation settings."""

    cues: tuple[Cue, ...]
    signals: dict[str, tuple[str, float]] = field(default_factory=dict)
    parenthetical_verbs: dict[str, tuple[str, float]] = field(default_factory=dict)
    negation_words: frozenset[str] = frozenset()
    negation_window: int = 4
    concession_words: tuple[str, ...] = ()


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """Turn the lexicon's phrase syntax ({ref}, ..., word*, (a|b), ?) into a regex.

    A phrase starting with "re:" is taken as a raw Python regular expression (case-insensitive;
    use (?-i:...) for case-sensitive parts and REF for the reference marker).
    """
    if phrase.startswith("re:"):
        try:
            return re.compile(phrase[3:].replace("REF", re.escape(REF_MARK)), re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"regex {phrase!r} does not compile: {exc}") from exc
    pieces = re.split(r" (\.\.\.?) ", phrase.strip())
    out: list[str] = []
    for n, piece in enumerate(pieces):
        if piece in ("...", ".."):
            out.append(_GAP if piece == "..." else _SHORT_GAP)
            continue
        i = 0
        while i < len(piece):
            if piece.startswith("{ref}", i):
                out.append(re.escape(REF_MARK))
                i += 5
                continue
            ch = piece[i]
            if ch == " ":
                out.append(r"\s+")
            elif ch == "(":
                out.append("(?:")
            elif ch in _PASS:
                out.append(ch)
            elif ch == "*":
                out.append(r"\w*")
            else:
                out.append(re.escape(ch))
            i += 1
    body = "".join(out)
    start = r"\b" if re.match(r"[\w(]", phrase.strip()) and not phrase.startswith("{ref}") else ""
    end = "" if re.search(r"(\{ref\}|\*)$", phrase.strip()) else r"(?!\w)"
    try:
        return re.compile(start + body + end, re.IGNORECASE)
    except re.error as exc:  # pragma: no cover - reported to the researcher with the phrase
        raise LexiconError(f"phrase {phrase!r} does not compile: {exc}") from exc


def _table(data: dict[str, Any], name: str) -> dict[str, tuple[str, float]]:
    table: dict[str, tuple[str, float]] = {}
    for key, value in data.get(name, {}).items():
        label = value.get("label")
        if label not in TREATMENTS:
            raise LexiconError(f"[{name}] {key!r}: unknown label {label!r}")
        table[key.lower()] = (label, float(value.get("weight", 1.0)))
    return table


def _cues(data: dict[str, Any], origin: str) -> list[Cue]:
    cues: list[Cue] = []
    for n, block in enumerate(data.get("cue", [])):
        where = f"{origin} [[cue]] #{n + 1}"
        label = block.get("label")
        if label not in TREATMENTS:
            raise LexiconError(f"{where}: unknown label {label!r}")
        scope = block.get("scope", "sentence")
        if scope not in SCOPES:
            raise LexiconError(f"{where}: unknown scope {scope!r} (one of {', '.join(SCOPES)})")
        negated = block.get("negated_label")
        if negated is not None and negated not in TREATMENTS:
            raise LexiconError(f"{where}: unknown negated_label {negated!r}")
        phrases = block.get("phrases")
        if not phrases or not all(isinstance(p, str) for p in phrases):
            raise LexiconError(f"{where}: 'phrases' must be a non-empty list of strings")
        litigation = block.get("litigation")
        if litigation not in (None, "same", "other"):
            raise LexiconError(f"{where}: litigation must be 'same' or 'other', not {litigation!r}")
        concessive = bool(block.get("concessive", label in ("distinguished", "criticized_or_declined")))
        reports = bool(block.get("reports", False))
        for phrase in phrases:
            cues.append(
                Cue(
                    label,
                    phrase,
                    compile_phrase(phrase),
                    float(block.get("weight", 1.0)),
                    scope,
                    negated,
                    concessive,
                    reports,
                    where,
                    litigation,
                )
            )
    return cues


def _read(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        text = resources.files("citator.citations").joinpath("treatment_lexicon.toml").read_text(encoding="utf-8")
        return tomllib.loads(text), "treatment_lexicon.toml"
    with open(path, "rb") as fh:
        return tomllib.load(fh), str(path)


def load_lexicon(path: str | Path | None = None, extra: Iterable[str | Path] = ()) -> Lexicon:
    """The packaged lexicon (or `path`), with the cues and tables of `extra` files layered on."""
    files = [Path(path) if path else None] + [Path(p) for p in extra]
    cues: list[Cue] = []
    signals: dict[str, tuple[str, float]] = {}
    verbs: dict[str, tuple[str, float]] = {}
    negation: set[str] = set()
    window = 4
    concession: list[str] = []
    for f in files:
        data, origin = _read(f)
        cues.extend(_cues(data, origin))
        signals.update(_table(data, "signals"))
        verbs.update(_table(data, "parenthetical_verbs"))
        neg = data.get("negation", {})
        negation.update(w.lower() for w in neg.get("words", ()))
        window = int(neg.get("window", window))
        concession.extend(w.lower() for w in data.get("concession", {}).get("words", ()))
    return Lexicon(tuple(cues), signals, verbs, frozenset(negation), window, tuple(dict.fromkeys(concession)))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    return load_lexicon()
