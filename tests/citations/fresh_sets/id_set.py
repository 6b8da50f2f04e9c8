"""The id. resolution set labelled by us on real opinions of ../shared/bulk (folder `ids/`).

Every id. citation (292) and every short case cite (210) that plain eyecite finds in twelve
opinions is labelled by reading: what it refers to (`refers_to`: a case by its first full reporter
cite in the opinion, or its volume and reporter when the opinion never prints the first page; a
word such as "statute", "transcript", "guideline" for anything else) and whether plain eyecite's
antecedent is right (`resolution_ok`).
`citator eval resolution` scores such a set as a whole.

How the opinions were drawn: the plain-text records of ../shared/bulk/ca1-opinions.jsonl.gz that
are in none of ../shared/treatment, ../shared/corpus and the first two fresh sets, whose
SHA-256(absolute_url) ends in an odd hex digit (the even ones are left to another set), and whose
text holds at least 8 "Id."/"id." (13 records); sorted, shuffled with random.Random(20261210) and
taken in that order until they held 250 id.s by that count (12 opinions). These opinions are in the
pool the id. rules were written from (see README), so the set checks labels against rules; it is
not an unseen figure. Only the labels live here; `materialise`
reads the texts from the bulk file in place and checks them by SHA-256.

Write it as a corpus folder: python -m tests.citations.fresh_sets.id_set BULK_FILE OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.citations.fresh_sets import materialise

#: The folder of the set's labels, beside the extraction sets.
ID_SET = "ids"


def materialise_ids(bulk_file: Path, out: Path) -> Path:
    """Write the id. set to `out` (documents, references, texts/) and return `out`."""
    return materialise(ID_SET, bulk_file, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.citations.fresh_sets.id_set ../shared/bulk/ca1-opinions.jsonl.gz OUT")
    print(materialise_ids(Path(sys.argv[1]), Path(sys.argv[2])))
