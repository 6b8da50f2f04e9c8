"""Introductory signals (Bluebook): the one vocabulary, how each is written, and its one spelling.

The extractor (`clauses.signal_before`) reads the signal written before a citation and the
treatment classifier (`treatment_context.infer_signal`) reads the one governing a reference from its
sentence; both find the signals of `models.SIGNALS` as written here, and both spell what they found
with `canonical_signal`, so a signal is the same string in the database, the corpus labels and the
treatment lexicon's [signals] table.
"""

from __future__ import annotations

import re

from citator.citations.models import SIGNALS

#: How each introductory signal of `models.SIGNALS` may be written (a regular expression, matched
#: case-insensitively), longest first so that "see also" is not read as "see".
WRITTEN: dict[str, str] = {
    "see also": r"see also",
    "see, e.g.": r"see,?\s?e\.\s?g\.,?",
    "see generally": r"see generally",
    "but see": r"but see",
    "but cf.": r"but cf\.",
    "cf.": r"cf\.",
    "accord": r"accord",
    "contra": r"contra",
    "compare": r"compare",
    "e.g.": r"e\.\s?g\.,?",
    "see": r"see",
}

#: "e.g." written after a signal other than "see" ("Cf., e.g.,", "accord, e.g.,", "Compare, e.g., A
#: with B"): it only says the authorities are examples, so the signal is the one before it
#: (`canonical_signal` drops the "e.g."). The extractor reads these pairs whole; the treatment
#: classifier's `infer_signal`, whose features the shipped weights were trained on, reads the
#: signals of WRITTEN alone.
WITH_EXAMPLES = {
    name: pattern + r",?\s?e\.\s?g\.,?"
    for name, pattern in WRITTEN.items()
    if name in ("see also", "but see", "but cf.", "cf.", "accord", "contra", "compare")
}

#: Signals that open a parenthetical about the citing opinion's source ("(quoting X)").
PARENTHETICAL = ("quoting", "citing")

if set(WRITTEN) | set(PARENTHETICAL) | {"none"} != set(SIGNALS):
    raise ImportError("citations/signals.py WRITTEN no longer covers models.SIGNALS")

#: One alternative per introductory signal, for a regular expression's group.
INTRODUCTORY = "|".join(WRITTEN.values())
#: The same with the signals that may carry an "e.g." (WITH_EXAMPLES) tried first, for the extractor.
INTRODUCTORY_WITH_EXAMPLES = "|".join(list(WITH_EXAMPLES.values()) + list(WRITTEN.values()))


def canonical_signal(raw: str) -> str:
    """The signal as `models.SIGNALS` spells it: lower case, single spaces, "e.g." without a
    space, no trailing comma ("See, e. g.," -> "see, e.g."); an "e.g." after any other signal is
    dropped ("Cf., e.g.," -> "cf.")."""
    low = re.sub(r"\s+", " ", raw.lower()).rstrip(",")
    low = re.sub(r"e\. ?g\.", "e.g.", low)
    base = re.sub(r",? ?e\.g\.$", "", low)
    if base == low:
        return low
    if base in ("", "see"):
        return "see, e.g." if base else "e.g."
    return base
