"""Build a deterministic bulk corpus in the real dump formats from the real opinions in ../shared/bulk.

The 1,083 CourtListener opinion records are repeated (with fresh ids on each pass) until the corpus
reaches the requested size, and written as CourtListener `opinions-*.csv.bz2` shards in PostgreSQL
COPY CSV (every value quoted, `\\"` escapes, NULL as an empty unquoted field) and/or CAP volume zips
(`json/<file>.json` + `metadata/CasesMetadata.json`). Seed references are planted at known places:
each planted sentence is INVENTED (it says so in the text) and cites a real seed. Nothing is written
inside the repository.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

SHARED_BULK = Path(__file__).resolve().parents[1] / ".." / "shared" / "bulk"
RECORDS = SHARED_BULK / "ca1-opinions.jsonl.gz"

CSV_COLUMNS = (
    "id", "date_created", "date_modified", "author_str", "per_curiam", "joined_by_str", "type", "sha1",
    "page_count", "download_url", "local_path", "plain_text", "html", "html_lawbox", "html_columbia",
    "html_anon_2020", "xml_harvard", "xml_scan", "html_with_citations", "extracted_by_ocr", "author_id",
    "cluster_id",
)
TEXT_FIELDS = ("html_with_citations", "html_columbia", "html_lawbox", "xml_harvard", "html_anon_2020", "html", "plain_text")

#: Planted references: (the sentence, in INVENTED words, and the seed it cites). Several spellings.
PLANTS = (
    ("INVENTED planted reference: See Bernstein v. U.S. Dep't of Justice, 176 F.3d 1132, 1141 (9th Cir. 1999).", "bernstein-9th"),
    ("INVENTED planted reference: Bernstein v. U.S. Dep't of State, 922 F. Supp. 1426, 1436 (N.D. Cal. 1996).", "bernstein-1"),
    ("INVENTED planted reference: cf. Bernstein v. U.S. Dep't of State, 945 F. Supp. 1279 (N.D. Cal. 1996).", "bernstein-2"),
    ("INVENTED planted reference: Bernstein v. U.S. Dep't of State, 974 F.Supp. 1288, 1305 (N.D. Cal. 1997).", "bernstein-3"),
    ("INVENTED planted reference: Bernstein v. U.S. Dep't of Justice, 176 F. 3d 1132 (9th Cir. 1999).", "bernstein-9th"),
    ("INVENTED planted reference: reh'g granted, 192 F.3d 1308 (9th Cir. 1999).", "bernstein-9th-enbanc-order"),
)


def load_records(limit: int | None = None) -> list[dict[str, Any]]:
    """The real records, each with its chosen text field; `limit` keeps the first N."""
    if not RECORDS.exists():
        raise SystemExit(f"bench: the real opinions are missing: {RECORDS} (see ../shared/bulk/README.md)")
    records = []
    with gzip.open(RECORDS, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if any(_text(record, f) for f in TEXT_FIELDS):
                records.append(record)
            if limit and len(records) >= limit:
                break
    return records


def _text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return value if isinstance(value, str) and value.strip() and value != "None" else None


def plant(text: str, sentence: str, rng: random.Random, html: bool) -> tuple[str, int]:
    """Insert `sentence` at a paragraph break chosen by `rng`; returns the new text and the offset."""
    breaks = [i for i in range(len(text)) if text.startswith("\n\n", i)][:2000] or [len(text)]
    at = rng.choice(breaks)
    insert = f"\n\n<p>{sentence}</p>\n\n" if html else f"\n\n{sentence}\n\n"
    return text[:at] + insert + text[at:], at


@dataclass
class Corpus:
    root: Path
    files: list[Path] = field(default_factory=list)
    opinions: int = 0
    text_bytes: int = 0
    text_bytes_by_format: dict[str, int] = field(default_factory=dict)  # "cl_csv_bz2" / "cap_zip" -> text bytes
    compressed_bytes: int = 0
    planted: dict[str, str] = field(default_factory=dict)  # opinion id -> seed key
    texts: dict[str, str] = field(default_factory=dict)  # opinion id -> text hash (for deduplicated naive runs)
    sizes: dict[str, int] = field(default_factory=dict)  # opinion id -> text length, for planted ones


def _pg(value: Any) -> str:
    """One value in PostgreSQL COPY CSV: NULL empty and unquoted, everything else quoted with \\ escapes."""
    if value is None:
        return ""
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _documents(records: list[dict[str, Any]], size_bytes: int, plant_every: int) -> Iterator[tuple[int, int, dict[str, Any], str, str, str | None]]:
    """(opinion number, cluster number, record, text field, text, planted seed) until size is reached."""
    rng = random.Random(8)
    total = 0
    index = 0
    repeat = 0
    while total < size_bytes:
        for record in records:
            name = next(f for f in TEXT_FIELDS if _text(record, f))
            text = record[name]
            seed = None
            if index % plant_every == plant_every - 1:
                sentence, seed = PLANTS[(index // plant_every) % len(PLANTS)]
                text, _ = plant(text, sentence, rng, name != "plain_text")
            number = 10_000_000 * (repeat + 1) + int(record["resource_uri"].rstrip("/").rsplit("/", 1)[1])
            yield number, number, record, name, text, seed
            total += len(text)
            index += 1
            if total >= size_bytes:
                return
        repeat += 1


def build(root: Path, size_mb: float, *, fmt: str = "both", records: list[dict[str, Any]] | None = None,
          plant_every: int = 97, shard_mb: float = 32) -> Corpus:
    """Write the corpus under `root`: CSV bz2 shards and/or CAP volume zips, about `size_mb` of text."""
    records = records if records is not None else load_records()
    corpus = Corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    shard_bytes = int(shard_mb * 1e6)
    writer: Any = None
    shard_size = 0
    shard_no = 0
    cap_cases: list[dict[str, Any]] = []

    def close() -> None:
        nonlocal writer, cap_cases
        if writer is not None:
            if isinstance(writer, zipfile.ZipFile):
                writer.writestr("metadata/CasesMetadata.json", json.dumps(cap_cases))
            writer.close()
            writer = None
            cap_cases = []

    for number, cluster, record, name, text, seed in _documents(records, int(size_mb * 1e6), plant_every):
        use_cap = fmt == "cap" or (fmt == "both" and shard_no % 2 == 1)
        if writer is None:
            if use_cap:
                path = root / "cap" / f"{shard_no:03d}.zip"
                path.parent.mkdir(exist_ok=True)
                writer = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
            else:
                path = root / "courtlistener" / f"opinions-2026-09-30.part{shard_no:03d}.csv.bz2"
                path.parent.mkdir(exist_ok=True)
                writer = bz2.open(path, "wt", encoding="utf-8", newline="", compresslevel=9)
                writer.write(",".join(CSV_COLUMNS) + "\n")
            corpus.files.append(path)
        if isinstance(writer, zipfile.ZipFile):
            opinion_id = f"cap:case:{number}:0"
            plain = text if name == "plain_text" else _strip_for_cap(text)
            case = {
                "id": number, "name": record["absolute_url"].strip("/").rsplit("/", 1)[-1].replace("-", " ").upper(),
                "name_abbreviation": record["absolute_url"].strip("/").rsplit("/", 1)[-1].replace("-", " ").title(),
                "decision_date": (record.get("date_created") or "")[:10], "docket_number": None,
                "citations": [], "court": {"name": "United States Court of Appeals for the First Circuit", "id": 8955},
                "file_name": f"{number % 10000:04d}-01",
                "casebody": {"opinions": [{"text": plain, "type": "majority", "author": None}], "head_matter": ""},
            }
            writer.writestr(f"json/{case['file_name']}-{number}.json", json.dumps(case))
            cap_cases.append({k: v for k, v in case.items() if k != "casebody"})
            text_for_hash = plain
        else:
            opinion_id = f"cl:opinion:{number}"
            row = {c: None for c in CSV_COLUMNS}
            for column in CSV_COLUMNS:
                value = record.get(column)
                if isinstance(value, str) and value not in ("None",):
                    row[column] = value
            for f in TEXT_FIELDS:
                row[f] = None
            row[name] = text
            row.update(id=number, cluster_id=cluster, per_curiam="f", extracted_by_ocr="f", author_id=None)
            writer.write(",".join(_pg(row[c]) for c in CSV_COLUMNS) + "\n")
            text_for_hash = text
        corpus.opinions += 1
        corpus.text_bytes += len(text_for_hash)
        fmt_key = "cap_zip" if isinstance(writer, zipfile.ZipFile) else "cl_csv_bz2"
        corpus.text_bytes_by_format[fmt_key] = corpus.text_bytes_by_format.get(fmt_key, 0) + len(text_for_hash)
        corpus.texts[opinion_id] = hashlib.sha1(text_for_hash.encode("utf-8")).hexdigest()
        if seed:
            corpus.planted[opinion_id] = seed
            corpus.sizes[opinion_id] = len(text_for_hash)
        shard_size += len(text_for_hash)
        if shard_size >= shard_bytes:
            close()
            shard_size = 0
            shard_no += 1
    close()
    corpus.compressed_bytes = sum(p.stat().st_size for p in corpus.files)
    return corpus


def _strip_for_cap(html: str) -> str:
    """CAP texts are plain: drop the CourtListener markup (a crude strip is enough for a benchmark)."""
    import re

    return re.sub(r"<[^<>]*>", "", html)
