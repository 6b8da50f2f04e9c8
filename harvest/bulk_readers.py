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

from citator.db.records import CaseRecord, OpinionRecord
from citator.harvest import bulk_ranges
from citator.harvest.bulk_ranges import DumpRange
from citator.harvest.bzip2_blocks import Bzip2Error
from citator.harvest import cap_html, cap_records, courtlistener_records
from citator.harvest.cap_records import CourtIds

try:  # optional: pip install 'citator[bulk]'
    import indexed_bzip2 as _parallel_bz2
except ImportError:  # pragma: no cover - depends on the environment
    _parallel_bz2 = None

try:  # optional: pip install 'citator[bulk]'
    from isal import isal_zlib as _fast_zlib

    _INFLATE = _fast_zlib.decompress
    _CRC32 = _fast_zlib.crc32  # same checksum, about 3x zlib's speed
    INFLATER = "isal"  #: which library inflates CAP zips (the bench reports it)
except ImportError:  # pragma: no cover - depends on the environment
    _INFLATE = zlib.decompress
    _CRC32 = zlib.crc32
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
    """Open a CSV dump as text, decompressing bz2 on the fly when the name or magic says so."""
    return io.TextIOWrapper(_open_binary(path, bz2_threads), encoding="utf-8", newline="")


def _open_binary(path: Path, bz2_threads: int = 1) -> IO[bytes]:
    """A CSV dump's decompressed bytes, bzip2 when the magic says so.

    CourtListener publishes each table as one bzip2 file (the opinions file is tens of GB), and
    bzip2 decodes at about 25 MB/s on one core, so one file would keep a scan on one core. With
    indexed_bzip2 installed, `bz2_threads` threads decode the file's independent blocks in
    parallel; without it, the standard library decodes on one.
    """
    location = str(path)
    if bulk_ranges.is_url(location):
        handle = bulk_ranges.open_input(location)
        magic = handle.read(3)
        handle.seek(0)
        return bz2.open(handle, "rb") if magic == b"BZh" else handle
    if not path.exists():
        raise BulkFileError(f"no such file: {path}")
    with path.open("rb") as probe:
        magic = probe.read(3)
    if magic != b"BZh":
        return path.open("rb", buffering=1 << 20)
    if _parallel_bz2 is not None:
        return _parallel_bz2.open(str(path), parallelization=max(1, bz2_threads))
    return bz2.open(path, "rb")


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
                           bz2_threads: int = 1, raw_filter: RawFilter | None = None) -> Iterator[BulkDocument | UnreadRow]:
    """Opinions of an `opinions-*.csv[.bz2]` dump with the richest text field, as the API harvester picks it.

    With `raw_filter`, each record's raw bytes are tested before the record is parsed, and a
    record it rejects is not parsed at all: an `UnreadRow` stands for it (`courtlistener_raw_rows`).
    """
    if raw_filter is not None:
        raw = _open_raw(Path(path), bz2_threads)
        head = _read_raw(raw, Path(path), _RAW_CHUNK)
        if _splits_by_id(head):
            yield from _filtered_opinions(Path(path), _raw_records(raw, Path(path), _RAW_CHUNK, head), base_url, raw_filter)
            return
        raw.close()
    for row in courtlistener_rows(path, bz2_threads):
        document = _opinion_document(row, path, base_url)
        if document is not None:
            yield document


def _opinion_document(row: dict[str, str | None], path: str | Path, base_url: str) -> BulkDocument | None:
    """One opinions-dump row as a document (None for a row with no text or no cluster)."""
    if "id" not in row or "cluster_id" not in row:
        raise BulkFileError(f"{path}: not an opinions dump (no id/cluster_id columns)")
    if not row["cluster_id"]:
        return None
    api_url = base_url.rstrip("/") + "/api/rest/v4/"
    case = courtlistener_records.case_record(
        row["cluster_id"], api_url=api_url,
        name="",  # not in the opinions dump; an API harvest or the clusters dump fills it
    )
    opinion = courtlistener_records.opinion_record(row, case.id, api_url=api_url, ordinal=0,
                                                   per_curiam=row.get("per_curiam") == "t")
    return None if opinion is None else BulkDocument(case, opinion)


# ---- CourtListener CSV, record by record without parsing -------------------------------------------
#
# Python's csv module parses an opinions dump at about 30 MB/s, slower than bzip2 decodes it, and in a
# seed scan nearly every row is then thrown away. The dump's own shape lets rows be cut apart without
# parsing them: PostgreSQL quotes every non-null value and escapes a quote inside a value (`\"`), so
# a quote right after a newline is either a record's opening quote (the newline ended the previous
# record) or the closing quote of a value that ends in a newline, which a comma, a newline or the end
# of the file follows, never a digit. The first column is the numeric `id`, so a newline, a quote and
# a digit always start a record, and nothing else does.


@dataclass(frozen=True)
class UnreadRow:
    """A CourtListener dump row that the caller's `raw_filter` passed over without parsing it:
    counted as scanned (its bytes), never read into an opinion."""

    nbytes: int


#: Bytes read from the decompressed stream at a time.
_RAW_CHUNK = 1 << 22


def _splits_by_id(head: bytes) -> bool:
    """Whether a dump starting with `head` has the shape `courtlistener_raw_rows` relies on: a
    header whose first column is `id`, then records starting with a quoted number. Anything else
    is parsed whole (and never held in memory as one endless "record")."""
    line_end = head.find(b"\n")
    if not head.startswith(b"id,") or line_end < 0:
        return False
    first = head[line_end + 1 : line_end + 3]
    return first == b"" or (first[:1] == b'"' and first[1:2].isdigit())


def _open_raw(path: Path, bz2_threads: int) -> IO[bytes]:
    try:
        return _open_binary(path, bz2_threads)
    except _STREAM_ERRORS as exc:
        raise BulkFileError(f"{path}: not a readable CSV dump ({exc})") from None


def _read_raw(raw: IO[bytes], path: Path, size: int) -> bytes:
    try:
        return raw.read(size)
    except _STREAM_ERRORS as exc:
        raw.close()
        raise BulkFileError(f"{path}: unreadable ({exc})") from None


def courtlistener_raw_rows(path: str | Path, bz2_threads: int = 1, chunk_size: int = _RAW_CHUNK) -> Iterator[bytes]:
    """The header line, then every record of an opinions dump, as raw bytes, cut apart without
    parsing (see above); memory holds one chunk of `chunk_size` bytes and one record."""
    return _raw_records(_open_raw(Path(path), bz2_threads), Path(path), chunk_size)


def _raw_records(raw: IO[bytes], path: Path, chunk_size: int, buffer: bytes = b"") -> Iterator[bytes]:
    """`courtlistener_raw_rows` on an open stream whose first bytes, `buffer`, were read already."""
    with raw:
        search_from = 0
        while True:
            start = 0
            for match in bulk_ranges.RECORD_START.finditer(buffer, search_from):
                yield buffer[start:match.start()]
                start = match.start() + 1
            pending = buffer[start:]
            data = _read_raw(raw, path, chunk_size)
            if not data:
                break
            buffer = pending + data if pending else data
            search_from = max(0, len(pending) - 2)
        if pending.strip():
            yield pending.rstrip(b"\r\n")


def _parse_record(record: bytes, path: Path, number: int) -> list[str]:
    try:
        rows = list(csv.reader(io.StringIO(record.decode("utf-8"), newline=""), escapechar="\\", doublequote=False, strict=False))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise BulkFileError(f"{path}: record {number} is unreadable ({exc})") from None
    if len(rows) != 1:
        raise BulkFileError(f"{path}: record {number} is not one CSV row")
    return rows[0]


def _filtered_opinions(path: Path, records: Iterator[bytes], base_url: str, raw_filter: RawFilter) -> Iterator[BulkDocument | UnreadRow]:
    """`courtlistener_opinions` with `raw_filter` on the dump's raw `records` (header first):
    only the records it keeps are parsed."""
    header_line = next(records, b"")
    header = _parse_record(header_line, path, 1)
    width = len(header)
    for number, record in enumerate(records, 2):
        if not raw_filter(record):
            yield UnreadRow(len(record))
            continue
        values = _parse_record(record, path, number)
        if len(values) != width:
            raise BulkFileError(f"{path}: record {number} has {len(values)} fields, the header {width}")
        document = _opinion_document({name: (value if value != "" else None) for name, value in zip(header, values)}, path, base_url)
        if document is not None:
            yield document


def split_opinions(location: str, parts: int, *, min_bytes: int | None = None) -> list[DumpRange]:
    """An opinions dump (bzip2 or plain CSV, local path or fsspec URL) cut into up to `parts` byte
    ranges that workers read independently, every row read by exactly one of them
    (`bulk_ranges`). A dump not in the shape that lets rows be cut apart unparsed (first column
    `id`) is one range, read whole."""
    try:
        first = bulk_ranges.head(location)
    except FileNotFoundError:
        raise BulkFileError(f"no such file: {location}") from None
    except _STREAM_ERRORS as exc:
        raise BulkFileError(f"{location}: not a readable CSV dump ({exc})") from None
    if not _splits_by_id(first):
        return [DumpRange(location)]
    return bulk_ranges.split(location, parts, bulk_ranges.header_line(first), min_bytes=min_bytes)


def _keep_all(data: bytes) -> bool:
    return True


def range_opinions(rng: DumpRange, base_url: str = "https://www.courtlistener.com/",
                   raw_filter: RawFilter | None = None) -> Iterator[BulkDocument | UnreadRow]:
    """The opinions of the rows one range of an opinions dump owns (`split_opinions`)."""
    path = Path(rng.location)
    records = bulk_ranges.range_records(rng)
    try:
        yield from _filtered_opinions(path, records, base_url, raw_filter or _keep_all)
    except Bzip2Error as exc:
        raise BulkFileError(f"{rng}: unreadable ({exc})") from None
    except FileNotFoundError:
        raise BulkFileError(f"no such file: {rng.location}") from None
    except _STREAM_ERRORS as exc:
        raise BulkFileError(f"{rng}: unreadable ({exc})") from None


def courtlistener_citation_map(path: str | Path) -> Iterator[CitationEdge]:
    """Edges of a `citation-map-*.csv[.bz2]` dump (table search_opinionscited)."""
    for row in courtlistener_rows(path):
        try:
            yield CitationEdge(int(row["citing_opinion_id"]), int(row["cited_opinion_id"]), int(row.get("depth") or 1))
        except (KeyError, TypeError, ValueError):
            raise BulkFileError(f"{path}: not a citation-map dump (citing_opinion_id/cited_opinion_id)") from None


# ---- CAP volume zips -----------------------------------------------------------------------------

def cap_case_documents(case: dict, court_ids: CourtIds, where: str = "",
                       html: bytes | None = None) -> Iterator[BulkDocument]:
    """The opinions of one CAP case JSON (with casebody) as documents; head matter is not an opinion.

    `html` is the case's HTML file from the same volume, when the zip has it: each opinion's
    article (footnote marks and notes in reading order) is its text then, unless the file is not
    UTF-8 or its opinions do not match the JSON's, when the JSON text is kept (`text_field` says
    which was used).

    A case file of valid JSON but another shape (a list where an object goes, a number for a text)
    raises BulkFileError naming the file, and yields nothing of itself: its opinions are built
    before the first is yielded.
    """
    try:
        documents = list(_cap_case_documents(case, court_ids, where, html))
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise BulkFileError(f"{where}: not a CAP case of the shape citator reads "
                            f"({exc.__class__.__name__}: {exc})") from None
    yield from documents


def _cap_case_documents(case: dict, court_ids: CourtIds, where: str, html: bytes | None) -> Iterator[BulkDocument]:
    try:
        case_number = int(case["id"])
    except (KeyError, TypeError, ValueError):
        raise BulkFileError(f"{where}: not a CAP case (no id)") from None
    # No URL: the static-site path needs the reporter slug, which a volume zip does not carry.
    record = cap_records.case_record({**case, "id": case_number}, court_ids=court_ids, url=None, depth=1)
    texts = None
    if html is not None:
        decoded = cap_html.decode(html)
        opinions = cap_records.opinions_with_text(case)
        if decoded is not None and opinions is not None:
            texts = cap_html.opinion_html(decoded, opinions)
    for opinion in cap_records.opinion_records({**case, "id": case_number}, record.id, url=None, html=texts):
        yield BulkDocument(record, opinion)


@dataclass(frozen=True)
class UnreadCase:
    """A CAP case file that the caller's `raw_filter` passed over without parsing it: counted as
    scanned (its JSON bytes), never read into opinions."""

    name: str
    nbytes: int


RawFilter = Callable[[bytes], bool]


def cap_volume(path: str | Path, court_ids: CourtIds,
               raw_filter: RawFilter | None = None) -> Iterator[BulkDocument | UnreadCase]:
    """Every opinion in a CAP volume zip, reading one `json/<file>.json` member at a time, each
    case's court named by `court_ids` (court name -> id).

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
            yield from cap_case_documents(case, court_ids, f"{path.name}:{info.filename}",
                                          _html_member(archive, raw_file, info.filename))


def _html_member(archive: zipfile.ZipFile, raw_file: IO[bytes], json_name: str) -> bytes | None:
    """The bytes of `html/<file_name>.html` beside `json/<file_name>.json`, or None when the zip has
    none or it cannot be read (the case is then read from its JSON text alone)."""
    name = cap_records.html_path(json_name)
    if name is None:
        return None
    try:
        return zip_member(archive, raw_file, archive.getinfo(name))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


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
    if len(data) != info.file_size or _CRC32(data) != info.CRC:
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


def documents(path: str | Path | DumpRange, raw_filter: RawFilter | None = None,
              bz2_threads: int = 1, court_ids: CourtIds | None = None) -> Iterator[BulkDocument | UnreadCase | UnreadRow]:
    """Opinions of any supported bulk file, by its kind, or of one range of an opinions dump.
    `raw_filter` lets CAP case files and CourtListener rows be passed over unparsed (`UnreadCase`,
    `UnreadRow`); without it every item is a `BulkDocument`. `bz2_threads` decode a whole bzip2
    file in parallel where indexed_bzip2 is installed. `court_ids` (court name -> id) is needed
    for CAP volumes, whose cases name their court; CourtListener's opinions dump names none."""
    if isinstance(path, DumpRange):
        if path.header:
            return range_opinions(path, raw_filter=raw_filter)
        path = path.location
    kind = kind_of(path)
    if kind == "cap":
        if court_ids is None:
            raise TypeError("reading a CAP volume needs court_ids (court name -> id)")
        return cap_volume(path, court_ids, raw_filter=raw_filter)
    if kind == "opinions":
        return courtlistener_opinions(path, bz2_threads=bz2_threads, raw_filter=raw_filter)
    raise BulkFileError(f"{path}: a citation map holds no opinion texts")
