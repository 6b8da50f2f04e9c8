"""Streaming readers for the bulk dumps: CourtListener CSV files and CAP volume zips.

A CourtListener opinions dump is tens of gigabytes of bzip2; a CAP reporter is thousands of volume
zips. Every reader here yields one record at a time from a stream (bz2 or plain CSV, one zip member
at a time), so memory stays flat whatever the size of the file. Readers turn source rows into the
same `CaseRecord`/`OpinionRecord` shapes and ids the API harvesters use (`cl:opinion:N`,
`cl:cluster:N`, `cap:case:N`), so the bulk path and the API path land on the same rows. They never
parse citations: that is the citations stage's job.
"""

from __future__ import annotations

import bz2
import csv
import io
import json
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from citator.db.store import CaseRecord, OpinionRecord
from citator.harvest.courtlistener import OPINION_TYPES, TEXT_FIELDS

try:  # optional: pip install 'citator[bulk]'
    import indexed_bzip2 as _parallel_bz2
except ImportError:  # pragma: no cover - depends on the environment
    _parallel_bz2 = None

try:  # optional: pip install 'citator[bulk]'
    from isal import isal_zlib as _fast_zlib

    _INFLATE = _fast_zlib.decompress
    INFLATER = "isal"  #: which library inflates CAP zips (the bench reports it)
except ImportError:  # pragma: no cover - depends on the environment
    _INFLATE = zlib.decompress
    INFLATER = "zlib"

csv.field_size_limit(sys.maxsize)  # opinion texts run to megabytes in one field


class BulkFileError(Exception):
    """A bulk file is missing, unreadable or not in the expected format; the message names it."""


@dataclass
class BulkDocument:
    """One opinion from a bulk file with the case it belongs to; picklable for worker processes."""

    case: CaseRecord
    opinion: OpinionRecord

    @property
    def nbytes(self) -> int:
        return len(self.opinion.text)


@dataclass(frozen=True)
class CitationEdge:
    """One row of CourtListener's citation map: `citing` opinion cites `cited` opinion `depth` times."""

    citing_opinion_id: int
    cited_opinion_id: int
    depth: int


# ---- CourtListener CSV ---------------------------------------------------------------------------


def _open_text(path: Path, bz2_threads: int = 1) -> IO[str]:
    """Open a CSV dump as text, decompressing bz2 on the fly when the name or magic says so.

    CourtListener publishes each table as one bzip2 file (the opinions file is tens of GB), and
    bzip2 decodes at about 25 MB/s on one core, so one file would keep a scan on one core. With
    indexed_bzip2 installed, `bz2_threads` threads decode the file's independent blocks in
    parallel; without it, the standard library decodes on one.
    """
    if not path.exists():
        raise BulkFileError(f"no such file: {path}")
    with path.open("rb") as probe:
        magic = probe.read(3)
    if magic != b"BZh":
        raw: IO[bytes] = path.open("rb", buffering=1 << 20)
    elif _parallel_bz2 is not None:
        raw = _parallel_bz2.open(str(path), parallelization=max(1, bz2_threads))
    else:
        raw = bz2.open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


#: What a damaged stream raises while being read: csv, UTF-8 and either bzip2 decoder's errors
#: (indexed_bzip2 raises ValueError or RuntimeError).
_STREAM_ERRORS = (csv.Error, UnicodeDecodeError, OSError, EOFError, ValueError, RuntimeError)


def courtlistener_rows(path: str | Path, bz2_threads: int = 1) -> Iterator[dict[str, str | None]]:
    """Rows of a CourtListener bulk CSV as dicts, in the file's PostgreSQL COPY dialect.

    The dumps quote every non-null value and escape embedded quotes with a backslash (`\\"`), not by
    doubling. Python 3.11's csv module cannot tell NULL (an empty unquoted field) from the empty
    string (`""`), so both come back as None: for every column citator reads, both mean "nothing".
    """
    path = Path(path)
    try:
        handle = _open_text(path, bz2_threads)
    except _STREAM_ERRORS as exc:
        raise BulkFileError(f"{path}: not a readable CSV dump ({exc})") from None
    try:
        reader = csv.reader(handle, escapechar="\\", doublequote=False, strict=False)
        try:
            header = next(reader)
        except StopIteration:
            return
        except _STREAM_ERRORS as exc:
            raise BulkFileError(f"{path}: not a readable CSV dump ({exc})") from None
        width = len(header)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except _STREAM_ERRORS as exc:
                raise BulkFileError(f"{path}: unreadable after record {line} ({exc})") from None
            line += 1
            if len(row) != width:
                raise BulkFileError(f"{path}: record {line} has {len(row)} fields, the header {width}")
            yield {name: (value if value != "" else None) for name, value in zip(header, row)}
    finally:
        handle.close()


def courtlistener_opinions(path: str | Path, base_url: str = "https://www.courtlistener.com/",
                           bz2_threads: int = 1) -> Iterator[BulkDocument]:
    """Opinions of an `opinions-*.csv[.bz2]` dump with the richest text field, as the API harvester picks it."""
    for row in courtlistener_rows(path, bz2_threads):
        if "id" not in row or "cluster_id" not in row:
            raise BulkFileError(f"{path}: not an opinions dump (no id/cluster_id columns)")
        chosen = next(((row[name], fmt, name) for name, fmt in TEXT_FIELDS if (row.get(name) or "").strip()), None)
        if chosen is None or not row["cluster_id"]:
            continue
        text, fmt, field = chosen
        part = OPINION_TYPES.get(str(row.get("type")), "other")
        if row.get("per_curiam") == "t" and part in ("majority", "combined"):
            part = "per_curiam"
        cluster, opinion = row["cluster_id"], row["id"]
        case = CaseRecord(
            id=f"cl:cluster:{cluster}",
            name="",  # not in the opinions dump; an API harvest or the clusters dump fills it
            source="courtlistener",
            source_id=f"cluster:{cluster}",
            url=f"{base_url.rstrip('/')}/opinion/{cluster}/",
        )
        yield BulkDocument(
            case,
            OpinionRecord(
                id=f"cl:opinion:{opinion}",
                case_id=case.id,
                text=text,
                text_format=fmt,
                text_field=field,
                source="courtlistener",
                source_id=f"opinion:{opinion}",
                url=f"{base_url.rstrip('/')}/api/rest/v4/opinions/{opinion}/",
                type=part,
                author=row.get("author_str"),
            ),
        )


def courtlistener_citation_map(path: str | Path) -> Iterator[CitationEdge]:
    """Edges of a `citation-map-*.csv[.bz2]` dump (table search_opinionscited)."""
    for row in courtlistener_rows(path):
        try:
            yield CitationEdge(int(row["citing_opinion_id"]), int(row["cited_opinion_id"]), int(row.get("depth") or 1))
        except (KeyError, TypeError, ValueError):
            raise BulkFileError(f"{path}: not a citation-map dump (citing_opinion_id/cited_opinion_id)") from None


# ---- CAP volume zips -----------------------------------------------------------------------------

_CAP_PARTS = {"majority": "majority", "unanimous": "majority", "plurality": "majority",
              "concurrence": "concurrence", "dissent": "dissent",
              "concurring-in-part-and-dissenting-in-part": "concurrence"}


def cap_case_documents(case: dict, base_url: str = "https://static.case.law/", where: str = "") -> Iterator[BulkDocument]:
    """The opinions of one CAP case JSON (with casebody) as documents; head matter is not an opinion."""
    try:
        case_number = int(case["id"])
    except (KeyError, TypeError, ValueError):
        raise BulkFileError(f"{where}: not a CAP case (no id)") from None
    court = case.get("court") or {}
    record = CaseRecord(
        id=f"cap:case:{case_number}",
        name=case.get("name_abbreviation") or case.get("name") or "",
        name_short=None,
        source="cap",
        source_id=f"case:{case_number}",
        url=None,  # the static-site path needs the reporter slug, which a volume zip does not carry
        court=court.get("name"),
        decision_date=case.get("decision_date"),
        docket_number=case.get("docket_number"),
        citations=[(" ".join(c["cite"].split()), c.get("type") or "official") for c in case.get("citations") or [] if c.get("cite")],
    )
    for ordinal, opinion in enumerate((case.get("casebody") or {}).get("opinions") or []):
        text = opinion.get("text") or ""
        if not text.strip():
            continue
        yield BulkDocument(
            record,
            OpinionRecord(
                id=f"cap:case:{case_number}:{ordinal}",
                case_id=record.id,
                text=text,
                text_format="text",
                text_field="casebody",
                source="cap",
                source_id=f"case:{case_number}:{ordinal}",
                url=record.url,
                type=_CAP_PARTS.get(str(opinion.get("type")), "other"),
                author=opinion.get("author"),
                ordinal=ordinal,
            ),
        )


@dataclass(frozen=True)
class UnreadCase:
    """A CAP case file that the caller's `raw_filter` passed over without parsing it: counted as
    scanned (its JSON bytes), never read into opinions."""

    name: str
    nbytes: int


RawFilter = Callable[[bytes], bool]


def cap_volume(path: str | Path, base_url: str = "https://static.case.law/",
               raw_filter: RawFilter | None = None) -> Iterator[BulkDocument | UnreadCase]:
    """Every opinion in a CAP volume zip, reading one `json/<file>.json` member at a time.

    With `raw_filter`, a case file whose bytes it rejects is not parsed: an `UnreadCase` stands
    for it. Parsing JSON costs more than inflating and scanning it, and in a seed scan nearly
    every case is passed over.
    """
    path = Path(path)
    if not path.exists():
        raise BulkFileError(f"no such file: {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BulkFileError(f"{path}: not a CAP volume zip ({exc})") from None
    with archive, path.open("rb") as raw_file:
        infos = sorted((i for i in archive.infolist() if i.filename.startswith("json/") and i.filename.endswith(".json")),
                       key=lambda i: i.filename)
        if not infos and "metadata/CasesMetadata.json" not in archive.namelist():
            raise BulkFileError(f"{path}: not a CAP volume zip (no json/ cases)")
        for info in infos:
            try:
                data = zip_member(archive, raw_file, info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise BulkFileError(f"{path}: {info.filename} cannot be read ({exc})") from None
            if raw_filter is not None and not raw_filter(data):
                yield UnreadCase(info.filename, len(data))
                continue
            try:
                case = json.loads(data)
            except ValueError as exc:
                raise BulkFileError(f"{path}: {info.filename} is not readable JSON ({exc})") from None
            yield from cap_case_documents(case, base_url, f"{path.name}:{info.filename}")


def zip_member(archive: zipfile.ZipFile, raw_file: IO[bytes], info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, inflated with ISA-L when it is installed (2-3x zlib's speed).

    Reads the member's local header and compressed bytes straight from the file and checks
    size and CRC-32 as `zipfile` does; members it does not handle simply (encrypted, or
    compressed otherwise than stored or deflated) go through `zipfile` itself.
    """
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return archive.read(info)
    raw_file.seek(info.header_offset)
    header = raw_file.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw_file.seek(name_length + extra_length, io.SEEK_CUR)
    compressed = raw_file.read(info.compress_size)
    if len(compressed) != info.compress_size:
        raise EOFError(f"{info.filename} is truncated")
    data = compressed if info.compress_type == zipfile.ZIP_STORED else _inflate(compressed)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 or size for {info.filename}")
    return data


def _inflate(compressed: bytes) -> bytes:
    return _INFLATE(compressed, -15)  # raw deflate, as zip stores it



# ---- dispatch ------------------------------------------------------------------------------------


def kind_of(path: str | Path) -> str:
    """Which reader a file needs: "cap" (volume zip), "citation_map" or "opinions" (CourtListener CSV)."""
    name = Path(path).name.lower()
    if name.endswith(".zip"):
        return "cap"
    if "citation-map" in name or "opinionscited" in name:
        return "citation_map"
    if name.endswith((".csv", ".csv.bz2", ".bz2")):
        return "opinions"
    raise BulkFileError(f"{path}: unknown bulk file (expected a CAP volume .zip or a CourtListener .csv/.csv.bz2)")


def documents(path: str | Path, raw_filter: RawFilter | None = None, bz2_threads: int = 1) -> Iterator[BulkDocument | UnreadCase]:
    """Opinions of any supported bulk file, by its kind. `raw_filter` lets CAP case files be
    passed over unparsed (`UnreadCase`); without it every item is a `BulkDocument`.
    `bz2_threads` decode a bzip2 file in parallel where indexed_bzip2 is installed."""
    kind = kind_of(path)
    if kind == "cap":
        return cap_volume(path, raw_filter=raw_filter)
    if kind == "opinions":
        return courtlistener_opinions(path, bz2_threads=bz2_threads)
    raise BulkFileError(f"{path}: a citation map holds no opinion texts")
