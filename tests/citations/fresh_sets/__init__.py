"""Test sets labelled by us on real opinions of ../shared/bulk (see README.md here): extraction sets
and one treatment set.

Only our labels live in the repository; `materialise` writes each set as a corpus folder (the
format of ../shared/corpus) by reading the opinions' texts from the bulk file in place, checking
each against the SHA-256 the labels were made on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

#: The extraction sets, in the order they were labelled.
SETS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
#: The treatment sets, not extraction sets (`citator eval treatment OUT/NAME --gold`): sampled
#: references of opinions no rule or weight was fitted to (`bulk_treatment`), and every kind of
#: reference to the seeds of three extraction sets' opinions, relabelled blind (`seed_treatment`).
TREATMENT_SETS = ("bulk_treatment", "seed_treatment")
HERE = Path(__file__).resolve().parent


def materialise(name: str, bulk_file: Path, out: Path) -> Path:
    """Write set `name` to `out` (documents, references, negatives and texts/) and return `out`;
    a text that no longer matches its labels' SHA-256 is an error, never a silent shift."""
    labels = HERE / name
    documents = [json.loads(line) for line in (labels / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    wanted = {doc["source"]["resource_uri"]: doc for doc in documents}
    (out / "texts").mkdir(parents=True, exist_ok=True)
    with gzip.open(bulk_file, "rt", encoding="utf-8") as records:
        for line in records:
            record = json.loads(line)
            doc = wanted.pop(record.get("resource_uri"), None)
            if doc is None:
                continue
            text = record["plain_text"]
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc["text_sha256"]:
                raise ValueError(f"{bulk_file}: the text of {doc['slug']} is not the one labelled")
            with open(out / doc["text_file"], "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
    if wanted:
        raise ValueError(f"{bulk_file} lacks {len(wanted)} labelled opinion(s): {sorted(wanted)}")
    for part in ("documents.jsonl", "references.jsonl", "negatives.jsonl"):
        shutil.copyfile(labels / part, out / part)
    return out

