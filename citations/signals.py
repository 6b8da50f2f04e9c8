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
    "see also": r"see also" + r"(?:,?\s?e\.\s?g\.,?)?",
    "see, e.g.": r"see,?\s?e\.\s?g\.,?",
    "see generally": r"see generally",
    "but see": r"but see" + r"(?:,?\s?e\.\s?g\.,?)?",
    "but cf.": r"but cf\." + r"(?:,?\s?e\.\s?g\.,?)?",
    "cf.": r"cf\." + r"(?:,?\s?e\.\s?g\.,?)?",
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
    space, no trailing comma ("See, e. g.," -> "see, e.g."). "E.g." after another signal than
    "see" only says the authorities are examples: "Cf., e.g.," is "cf.", "But see, e.g.," is
    "but see"."""
    low = re.sub(r"\s+", " ", raw.lower()).rstrip(",")
    low = re.sub(r"e\. ?g\.", "e.g.", low)
    if re.fullmatch(r"see,? ?e\.g\.", low):
        return "see, e.g."
    if low != "e.g.":
        low = re.sub(r",? ?e\.g\.$", "", low)
    return low
