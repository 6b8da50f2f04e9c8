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

#: Signals that open a parenthetical about the citing opinion's source ("(quoting X)").
PARENTHETICAL = ("quoting", "citing")

if set(WRITTEN) | set(PARENTHETICAL) | {"none"} != set(SIGNALS):
    raise ImportError("citations/signals.py WRITTEN no longer covers models.SIGNALS")

#: One alternative per introductory signal, for a regular expression's group.
INTRODUCTORY = "|".join(WRITTEN.values())


def canonical_signal(raw: str) -> str:
    """The signal as `models.SIGNALS` spells it: lower case, single spaces, "e.g." without a
    space, no trailing comma ("See, e. g.," -> "see, e.g.")."""
    low = re.sub(r"\s+", " ", raw.lower()).rstrip(",")
    low = re.sub(r"e\. ?g\.", "e.g.", low)
    if low.startswith("see") and "e.g." in low:
        return "see, e.g."
    return low
