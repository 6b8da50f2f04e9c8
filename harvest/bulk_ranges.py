"""One CourtListener dump split into byte ranges that separate workers read, every row exactly once.

CourtListener publishes its opinions table as one bzip2 CSV of tens of gigabytes, so splitting by
file keeps a whole cluster on one core. A `DumpRange` is a byte range [start, end) of the file as
stored: for bzip2, a range owns the blocks whose magic starts inside it (`bzip2_blocks`); for plain
CSV, the bytes themselves. Laid end to end, the ranges' owned data is the decoded file.

Rows are cut apart where the dump's own shape says a record starts (see `bulk_readers`: a newline,
a quote and a digit, since PostgreSQL quotes every value, escapes every quote inside one and puts
the numeric id first). A range owns the records whose starting newline lies in its own data: it
skips the tail of the record it begins inside, and reads past its end (into the next range's data)
to finish the record that straddles its end. The first range also owns the header line and the
first record. So every record belongs to exactly one range, whatever the split.
"""

from __future__ import annotations

import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

from citator.harvest import bzip2_blocks

#: Bytes read at a time from a plain CSV.
PLAIN_CHUNK = 1 << 22

#: Smallest range worth a task of its own (a bzip2 block is up to about 1 MB compressed).
MIN_RANGE_BYTES = 1 << 20

#: Where a dump record starts: a newline, a quote and a digit (the quoted numeric id). The match
#: starts at the newline. A compiled pattern finds these about 2.5 times faster than a loop of
#: `bytes.find` on the newline and quote (which stops at every quoted line of an opinion's text).
RECORD_START = re.compile(rb'\n"[0-9]')


@dataclass(frozen=True)
class DumpRange:
    """Bytes [start, end) of one dump file as stored (end None: to the end); small and picklable.

    `location` is a local path or an fsspec URL that the worker reading the range can open.
    """

    location: str
    start: int = 0
    end: int | None = None
    compressed: bool = False
    header: bytes = b""  # the dump's header line, read once by whoever split the file

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end is None

    def __str__(self) -> str:
        if self.whole:
            return self.location
        return f"{self.location} [bytes {self.start:,}-{self.end:,}]" if self.end is not None else f"{self.location} [bytes {self.start:,}-]"


def is_url(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def open_input(location: str) -> IO[bytes]:
    """A seekable binary handle on a local path or an fsspec URL (s3://, gs://, https://, ...)."""
    if is_url(location):
        try:
            import fsspec
        except ImportError:  # pragma: no cover - fsspec comes with dask: pip install 'citator[bulk]'
            raise FileNotFoundError(f"{location}: reading URLs needs fsspec (pip install 'citator[bulk]')") from None
        return fsspec.open(location, "rb").open()
    return open(_local_path(location), "rb", buffering=0)


def input_size(location: str) -> int:
    if is_url(location):
        import fsspec

        fs, path = fsspec.core.url_to_fs(location)
        return int(fs.size(path))
    return Path(location[len("file://"):] if location.startswith("file://") else location).stat().st_size


def is_bzip2(location: str) -> bool:
    with open_input(location) as handle:
        return bzip2_blocks.stream_level_ok(handle.read(4))


def split(location: str, parts: int, header: bytes, *, min_bytes: int | None = None) -> list[DumpRange]:
    """`location` cut into up to `parts` ranges of about equal stored size (none under `min_bytes`,
    by default `MIN_RANGE_BYTES`), each carrying the dump's `header` line."""
    size = input_size(location)
    compressed = is_bzip2(location)
    parts = max(1, min(parts, size // max(1, MIN_RANGE_BYTES if min_bytes is None else min_bytes)))
    if parts <= 1:
        return [DumpRange(location, 0, None, compressed, header)]
    bounds: list[int | None] = [size * k // parts for k in range(parts)]
    bounds.append(None)
    return [DumpRange(location, a, b, compressed, header) for a, b in zip(bounds, bounds[1:])]


def _blocks(handle: IO[bytes], rng: DumpRange) -> Iterator[tuple[bytes, bool]]:
    """(decoded block, owned) for the range's blocks, then the blocks after it, decoded on demand,
    each block on its own by libbz2."""
    limit = None if rng.end is None else 8 * rng.end
    for block in bzip2_blocks.blocks_from(handle, rng.start, name=rng.location):
        yield block.data, limit is None or block.bit < limit


def _runs(handle: IO[bytes], rng: DumpRange) -> Iterator[tuple[bytes, bool]]:
    """The same pieces as `_blocks`, the owned ones after the first block decoded as runs of whole
    blocks by indexed_bzip2 (`bzip2_blocks.decode_run`), which costs about a quarter less CPU.

    The range's first block and the first block after it are found and decoded by `blocks_from`
    (which tells a real block from a chance magic by its CRC), so every run starts and ends at a
    real block; the blocks after the range finish the straddling record, on demand, as before."""
    limit = None if rng.end is None else 8 * rng.end
    ahead = bzip2_blocks.blocks_from(handle, rng.start, name=rng.location)
    first = next(ahead, None)
    if first is None:
        return
    if limit is not None and first.bit >= limit:  # the range holds no block start
        yield first.data, False
        yield from ((block.data, False) for block in ahead)
        return
    yield first.data, True
    after: Iterator[bzip2_blocks.Block] = iter(())
    end_bit = None
    next_block = None
    if limit is not None:
        after_handle = open_input(rng.location)
        after = bzip2_blocks.blocks_from(after_handle, rng.end, name=rng.location)  # type: ignore[arg-type]
        next_block = next(after, None)
        end_bit = None if next_block is None else next_block.bit
    try:
        if end_bit is None or first.end_bit < end_bit:
            scan = open_input(rng.location)
            try:
                runs = bzip2_blocks.segments(scan, first.end_bit, end_bit)
            finally:
                scan.close()
            for start, stop, crcs in runs:
                if stop is None:  # no end-of-stream marker: the file is truncated; libbz2 says where
                    for block in bzip2_blocks.blocks_from(handle, start // 8, name=rng.location):
                        yield block.data, True
                    continue
                for data in bzip2_blocks.decode_run(lambda: open_input(rng.location), start, stop, crcs, name=rng.location):
                    yield data, True
        if next_block is not None:
            yield next_block.data, False
            yield from ((block.data, False) for block in after)
    finally:
        if limit is not None:
            after_handle.close()


def _whole_file(rng: DumpRange, chunk_size: int = PLAIN_CHUNK) -> Iterator[tuple[bytes, bool]]:
    """(bytes, True) for a whole local bzip2 file (a range with no bounds: the one shard of a
    one-worker scan), decoded by indexed_bzip2 on one thread straight from the file: no pass to
    find the blocks' CRCs, no bit shifting, no block decoded by libbz2 first."""
    done = 0
    try:
        with bzip2_blocks._fast_bz2.open(_local_path(rng.location), parallelization=1) as reader:
            while data := reader.read(chunk_size):
                done += len(data)
                yield data, True
    except (RuntimeError, ValueError) as exc:  # indexed_bzip2's words for damaged or cut-short data
        raise bzip2_blocks.Bzip2Error(f"damaged or truncated bzip2 data after {done:,} decoded bytes ({exc}); "
                                      "download the file again") from None


def _local_path(location: str) -> str:
    return location[len("file://"):] if location.startswith("file://") else location


def _plain(handle: IO[bytes], rng: DumpRange, chunk_size: int = PLAIN_CHUNK) -> Iterator[tuple[bytes, bool]]:
    """(bytes, owned) for a plain file: the range's bytes, then the bytes after it, on demand."""
    handle.seek(rng.start)
    left = None if rng.end is None else rng.end - rng.start
    while True:
        want = chunk_size if left is None or left <= 0 else min(chunk_size, left)
        data = handle.read(want)
        if not data:
            return
        owned = left is None or left > 0
        if left is not None:
            left -= len(data)
        yield data, owned


def _read_ahead(pieces: Iterator[tuple[bytes, bool]], depth: int = 2) -> Iterator[tuple[bytes, bool]]:
    """The same pieces, the owned ones decoded by one background thread up to `depth` ahead.

    bzip2 decoding releases the GIL, so the next block decodes while the caller cuts and filters
    the last one: still one decoding thread at a time per range. What follows the range is decoded
    on demand in the caller's thread (usually one block finishes the straddling record)."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for piece in pieces:
                while not stop.is_set():
                    try:
                        slots.put(piece, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set() or not piece[1]:
                    return
            slots.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            slots.put(exc)

    thread = threading.Thread(target=produce, name="bzip2-decode", daemon=True)
    thread.start()
    try:
        while True:
            item = slots.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
            if not item[1]:  # past the range: the producer has stopped; go on here, on demand
                thread.join()
                yield from pieces
                return
    finally:
        stop.set()
        while thread.is_alive():
            try:
                slots.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.05)


def pieces(rng: DumpRange, *, read_ahead: bool = True, chunk_size: int = PLAIN_CHUNK, fast: bool = True) -> Iterator[tuple[bytes, bool]]:
    """The decoded data of a range as (bytes, owned) pieces: owned ones first, then what follows the
    range (which the consumer reads only as far as the record straddling the end). `chunk_size` is
    how much of a plain file is read at a time; `fast` False decodes every block with libbz2 even
    where indexed_bzip2 is installed."""
    handle = open_input(rng.location)
    try:
        indexed = bzip2_blocks._fast_bz2 is not None and fast and not is_url(rng.location)  # a URL would be read twice
        if not rng.compressed:
            source = _plain(handle, rng, chunk_size)
        elif indexed:
            source = _whole_file(rng) if rng.whole else _runs(handle, rng)
        else:
            source = _blocks(handle, rng)
        # libbz2 releases the GIL while it decodes, so a background thread overlaps decoding with the
        # caller's cutting and filtering; indexed_bzip2 1.7 holds it (the caller's thread runs about a
        # twentieth as fast meanwhile), so there a second thread only adds hand-overs.
        yield from (_read_ahead(source) if read_ahead and rng.compressed and not indexed else source)
    finally:
        handle.close()


def cut_records(chunks: Iterator[tuple[bytes, bool]], from_start: bool) -> Iterator[bytes]:
    """The records a range owns, as raw bytes, from its (bytes, owned) pieces.

    A record starts after a newline followed by a quote and a digit. With `from_start` (the range at
    the file's start) the first "record" is the header line. Otherwise the bytes before the first
    record start whose newline lies in owned data belong to the previous range and are skipped. The
    last owned record ends at the first record start whose newline lies past the owned data, or at
    the end of the file.
    """
    buffer = b""
    owned_end = 0  # buffer[:owned_end] is owned data
    start = 0  # where the current record starts in buffer
    inside = from_start  # whether buffer[start:] is an owned record
    search_from = 0
    for data, owned in chunks:
        if start:
            buffer = buffer[start:]
            owned_end = max(0, owned_end - start)
            search_from = max(0, search_from - start)
            start = 0
        if not inside:  # nothing owned yet: keep only what a record start could straddle
            drop = max(0, len(buffer) - 2)
            buffer, owned_end, search_from = buffer[drop:], max(0, owned_end - drop), max(0, search_from - drop)
        buffer = buffer + data if buffer else data
        if owned:
            owned_end = len(buffer)
        for match in RECORD_START.finditer(buffer, search_from):
            at = match.start()
            if at >= owned_end:  # this record start is the next range's
                if inside:
                    yield buffer[start:at]
                return
            if inside:
                yield buffer[start:at]
            inside = True
            start = at + 1
        search_from = max(start, len(buffer) - 2)
    if inside and buffer[start:].strip():
        yield buffer[start:].rstrip(b"\r\n")


def head(location: str, size: int = 1 << 16) -> bytes:
    """The first decoded bytes of a dump (at least `size` of them, or the whole file): its header
    line and first records, for the shape check and the column names of every range."""
    rng = DumpRange(location, 0, None, is_bzip2(location))
    collected = b""
    for data, _ in pieces(rng, read_ahead=False, fast=False):
        collected += data
        if len(collected) >= size:
            break
    return collected


def header_line(first_bytes: bytes) -> bytes:
    end = first_bytes.find(b"\n")
    return first_bytes if end < 0 else first_bytes[:end]


def range_records(rng: DumpRange, *, chunk_size: int = PLAIN_CHUNK, fast: bool = True) -> Iterator[bytes]:
    """The dump's header line, then every record the range owns, as raw bytes (`fast`: see `pieces`)."""
    yield rng.header
    records = cut_records(pieces(rng, chunk_size=chunk_size, fast=fast), from_start=rng.start == 0)
    if rng.start == 0:
        next(records, None)  # the file's own header line
    yield from records
