"""How the seventh, eighth and ninth extraction sets' opinions were drawn, kept so each draw can be
redone: python -m tests.citations.fresh_sets.draws ../shared seventh   (or eighth, ninth)

The pool: plain-text ../shared/bulk records that no earlier labelling used (../shared/treatment,
../shared/corpus, the sets a draw excludes, and the opinions earlier draws took and left
unlabelled), whose text is none of those opinions' texts under another record (the bulk file holds
23 texts twice), with 10,000 characters or more and one volume and reporter cited twice or more (so
each opinion has a case to seed). Sorted by absolute_url, then random.Random(seed).sample(pool, 12);
the first ten were labelled, in draw order.

- seventh: excludes the extraction sets first to sixth, the id. set and the treatment set, and the
  four opinions the fifth and sixth draws took and left unlabelled (Tillett v. United States,
  United States v. Ramos, Melendez v. Autogermana, Inc. and United States v. Melvin); seed 20261218.
- eighth: the same, less the seventh draw's twelve (the seventh set, and Censullo v. Brenka Video,
  Inc. and United States v. Medina-Silverio, drawn and left unlabelled); seed 20261220.
- ninth: the same, less the eighth draw's twelve (the eighth set, and Snow v. Harnischfeger Corp.
  and Giragosian v. Bettencourt, drawn and left unlabelled); seed 20261222.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.citations.fresh_sets import HERE
from tests.citations.fresh_sets.treatment_sample import FIFTH_DRAW

#: The sixth draw's twelve less the ten it labelled: Melendez v. Autogermana, Inc. and United States
#: v. Melvin. An opinion drawn once is not drawn again (the fifth draw's are in FIFTH_DRAW).
SIXTH_DRAW_LEFT = ("/opinion/177009/melendez-v-autogermana-inc/", "/opinion/195440/united-states-v-melvin/")
#: The seventh draw's twelve less the ten it labelled: Censullo v. Brenka Video, Inc. and United
#: States v. Medina-Silverio.
SEVENTH_DRAW_LEFT = ("/opinion/194634/censullo-v-brenka-video-inc/", "/opinion/195500/united-states-v-medina-silverio/")
#: The eighth draw's twelve less the ten it labelled: Snow v. Harnischfeger Corp. and Giragosian v.
#: Bettencourt.
EIGHTH_DRAW_LEFT = ("/opinion/195112/snow-v-harnischfeger-corp/", "/opinion/151843/giragosian-v-bettencourt/")
DRAWN = 12
MIN_CHARS = 10_000
#: A volume and one of the reporters an opinion's seeds are drawn from.
VOLUME_REPORTER = re.compile(r"\b(\d{1,4})\s+(U\.\s?S\.|S\.\s?Ct\.|F\.\s?Supp\.\s?2d|F\.\s?Supp\.|F\.\s?[23]d|F\.)(?=[\s,])")


@dataclass(frozen=True)
class Draw:
    """One draw: its seed, the sets here whose opinions are out of its pool, and the opinions
    (absolute_urls) earlier draws took without labelling them, also out of the pool."""

    seed: int
    excluded_sets: tuple[str, ...]
    excluded_urls: tuple[str, ...]


#: The sets whose opinions the seventh draw left out: every extraction set before it, the id. set and
#: the treatment set of that time.
_BEFORE_SEVENTH = ("first", "second", "third", "fourth", "fifth", "sixth", "ids", "bulk_treatment")
DRAWS = {
    "seventh": Draw(20261218, _BEFORE_SEVENTH, FIFTH_DRAW + SIXTH_DRAW_LEFT),
    "eighth": Draw(20261220, _BEFORE_SEVENTH + ("seventh",), FIFTH_DRAW + SIXTH_DRAW_LEFT + SEVENTH_DRAW_LEFT),
    "ninth": Draw(20261222, _BEFORE_SEVENTH + ("seventh", "eighth"),
                  FIFTH_DRAW + SIXTH_DRAW_LEFT + SEVENTH_DRAW_LEFT + EIGHTH_DRAW_LEFT),
}


def sha256(text: str) -> str:
    """The SHA-256 of a text as UTF-8, the key that tells two records of one opinion apart."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def used_opinions(shared: Path, spec: Draw) -> tuple[set[str], set[str]]:
    """The absolute_urls / resource_uris and the text hashes of every opinion already labelled or
    drawn before `spec`: a record matching either is out of its pool."""
    keys: set[str] = set(spec.excluded_urls)
    hashes: set[str] = set()
    folders = [shared / "treatment", shared / "corpus"] + [HERE / name for name in spec.excluded_sets]
    for folder in folders:
        for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            keys.update(k for k in (doc.get("absolute_url"), (doc.get("source") or {}).get("resource_uri")) if k)
            if doc.get("text_sha256"):
                hashes.add(doc["text_sha256"])
    for folder in (shared / "treatment", shared / "corpus"):
        for path in (folder / "texts").glob("*.txt"):
            with open(path, encoding="utf-8", newline="") as fh:
                hashes.add(sha256(fh.read()))
    return keys, hashes


def cites_a_volume_twice(text: str) -> bool:
    """Whether one volume and reporter (spacing ignored) occurs two or more times in the text."""
    counts = Counter((m.group(1), re.sub(r"\s", "", m.group(2))) for m in VOLUME_REPORTER.finditer(text))
    return any(n >= 2 for n in counts.values())


def pool(shared: Path, spec: Draw) -> list[dict]:
    """The records `spec` draws from, sorted by absolute_url."""
    keys, hashes = used_opinions(shared, spec)
    with gzip.open(shared / "bulk" / "ca1-opinions.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    used_texts = hashes | {sha256(r["plain_text"]) for r in records
                           if r.get("plain_text") and (r["absolute_url"] in keys or r["resource_uri"] in keys)}
    kept = [r for r in records if r.get("plain_text") and r["absolute_url"] not in keys and r["resource_uri"] not in keys
            and sha256(r["plain_text"]) not in used_texts and len(r["plain_text"]) >= MIN_CHARS
            and cites_a_volume_twice(r["plain_text"])]
    return sorted(kept, key=lambda r: r["absolute_url"])


def draw(shared: Path, name: str) -> list[dict]:
    """The twelve records of draw `name` ("seventh", "eighth", "ninth"), in draw order (the first ten were
    labelled)."""
    spec = DRAWS[name]
    return random.Random(spec.seed).sample(pool(shared, spec), DRAWN)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in DRAWS:
        sys.exit(f"usage: python -m tests.citations.fresh_sets.draws ../shared {'|'.join(DRAWS)}")
    for record in draw(Path(sys.argv[1]), sys.argv[2]):
        print(record["absolute_url"], len(record["plain_text"]))
