"""The blocks of a bzip2 file, found bit-exactly and decoded one at a time from any byte offset.

A bzip2 stream is a 4-byte header (`BZh1`..`BZh9`) and a sequence of blocks, each starting with the
48-bit magic 0x314159265359 followed by the block's CRC-32, then an end-of-stream marker (magic
0x177245385090 and the stream's combined CRC). Blocks are not byte-aligned, but each one decodes
on its own: copied out at its bit offset behind a fresh `BZh9` header and closed by an
end-of-stream marker whose combined CRC is the block's own CRC, it is a complete one-block stream
that any bzip2 decoder (here the standard library's libbz2) decodes and checks.

That is what lets one CourtListener dump (one bzip2 file of tens of GB) be read by many workers:
each takes a byte range of the compressed file and decodes the blocks whose magic starts inside
it, and nobody has to decode the file up to that point first. The magic can also occur by chance
inside compressed data (about once in 2^48 bit positions, so roughly once per 30 TB); a chance
match is told apart from a real block start because the block it would begin does not decode
with a valid CRC: the block before it is decoded across it.
"""

from __future__ import annotations

import bz2
import io
from dataclasses import dataclass
from typing import IO, Iterator

try:  # decodes about a quarter faster than libbz2 on one thread (bench/bulk_scan.py prints both)
    import indexed_bzip2 as _fast_bz2
except ImportError:  # pragma: no cover - comes with 'citator[bulk]'; libbz2 is used without it
    _fast_bz2 = None

BLOCK_MAGIC = 0x314159265359
END_MAGIC = 0x177245385090

#: A bzip2 block compresses at most 900,000 bytes (before its first run-length stage), and
#: compressed it is never much larger than that; a candidate block this long is no block.
MAX_BLOCK_BYTES = 1_200_000

#: Compressed bytes read from the file at a time.
READ_CHUNK = 1 << 20

_HEADER = int.from_bytes(b"BZh9", "big")


class Bzip2Error(ValueError):
    """The compressed data is not bzip2 or is damaged; the message says at which byte."""


def _needles(magic: int) -> list[tuple[int, bytes, int, int, int, int]]:
    """For each bit shift s (0 = the magic starts on a byte boundary): the whole bytes the magic
    covers at that shift, and the masks and values of the partial bytes either side.

    Returns (s, needle, offset of the needle in the 7-byte window, head mask, head value, tail
    value) per shift; the tail mask is the complement of the head mask.
    """
    found = []
    for shift in range(8):
        if shift == 0:
            found.append((0, magic.to_bytes(6, "big"), 0, 0, 0, 0))
            continue
        window = (magic << (8 - shift)).to_bytes(7, "big")
        head_mask = (1 << (8 - shift)) - 1
        found.append((shift, window[1:6], 1, head_mask, window[0], window[6]))
    return found


_BLOCK_NEEDLES = _needles(BLOCK_MAGIC)
_END_NEEDLES = _needles(END_MAGIC)


_ALL_NEEDLES = [(needle, is_block) for needles, is_block in ((_BLOCK_NEEDLES, True), (_END_NEEDLES, False))
                for needle in needles]


def _needle_database():
    """One Hyperscan database of the 16 needles (both magics at every bit shift), so that the
    compressed bytes are searched in one pass rather than 16 substring searches; None without
    Hyperscan. Built on first use."""
    global _HS_NEEDLES
    if _HS_NEEDLES is False:
        try:
            import hyperscan
        except ImportError:  # pragma: no cover - comes with 'citator[bulk]'
            _HS_NEEDLES = None
            return None
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=[b"".join(b"\\x%02x" % c for c in needle[1]) for needle, _ in _ALL_NEEDLES],
                         ids=list(range(len(_ALL_NEEDLES))), elements=len(_ALL_NEEDLES), flags=[0] * len(_ALL_NEEDLES))
        _HS_NEEDLES = database
    return _HS_NEEDLES


_HS_NEEDLES = False  # not built yet


def _needle_positions(data: bytes, limit: int) -> Iterator[tuple[int, int]]:
    """(index into _ALL_NEEDLES, where it starts in data) for every occurrence of every needle
    wholly inside data[:limit], each needle from its own offset on, as `bytes.find` finds them."""
    database = _needle_database()
    if database is None:
        for index, ((_, needle, offset, _, _, _), _) in enumerate(_ALL_NEEDLES):
            at = data.find(needle, offset, limit)
            while at >= 0:
                yield index, at
                at = data.find(needle, at + 1, limit)
        return
    found: list[tuple[int, int]] = []

    def seen(index: int, _start: int, end: int, _flags: int, _context: object) -> bool:
        found.append((index, end - len(_ALL_NEEDLES[index][0][1])))
        return False

    database.scan(data if limit >= len(data) else data[:limit], match_event_handler=seen)
    yield from ((index, at) for index, at in found if at >= _ALL_NEEDLES[index][0][2])


def find_magics(data: bytes, base_byte: int = 0, *, upto: int | None = None) -> list[tuple[int, bool]]:
    """Bit offsets (counted from `base_byte`, the file offset of `data[0]`) of every block magic
    and end-of-stream magic wholly inside `data[:upto]`, sorted, each with True for a block start.
    """
    limit = len(data) if upto is None else min(upto, len(data))
    hits: list[tuple[int, bool]] = []
    for index, at in _needle_positions(data, limit):
        (shift, _, offset, head_mask, head, tail), is_block = _ALL_NEEDLES[index]
        first = at - offset
        if shift == 0:
            hits.append((8 * (base_byte + first), is_block))
        elif at + 5 < limit and data[first] & head_mask == head and data[at + 5] & ~head_mask & 0xFF == tail:
            hits.append((8 * (base_byte + first) + shift, is_block))
    hits.sort()
    return hits


def _bits(data: bytes, base_byte: int, start_bit: int, end_bit: int) -> int:
    """The bits [start_bit, end_bit) of the file, as an integer, from `data` (which starts at file
    byte `base_byte` and holds them all)."""
    first = start_bit // 8 - base_byte
    last = (end_bit + 7) // 8 - base_byte
    value = int.from_bytes(data[first:last], "big")
    value >>= (last + base_byte) * 8 - end_bit
    return value & ((1 << (end_bit - start_bit)) - 1)


def decode_block(data: bytes, base_byte: int, start_bit: int, end_bit: int) -> bytes:
    """The decoded bytes of the block occupying bits [start_bit, end_bit) of the file.

    Raises Bzip2Error when those bits are not one whole block with a valid CRC.
    """
    length = end_bit - start_bit
    if length < 80:
        raise Bzip2Error("too short for a block")
    block = _bits(data, base_byte, start_bit, end_bit)
    crc = (block >> (length - 80)) & 0xFFFFFFFF
    stream = (((_HEADER << length) | block) << 80) | (END_MAGIC << 32) | crc
    size = 32 + length + 80
    pad = -size % 8
    try:
        return bz2.decompress((stream << pad).to_bytes((size + pad) // 8, "big"))
    except (OSError, ValueError, EOFError) as exc:
        raise Bzip2Error(str(exc)) from None


@dataclass(frozen=True)
class Block:
    """One decoded block: where its magic starts in the file (bit offset), its bytes, and where
    it ends (the bit offset of the next block's or the end-of-stream marker's magic)."""

    bit: int
    data: bytes
    end_bit: int = -1


def blocks_from(handle: IO[bytes], start_byte: int, *, name: str = "bzip2 file") -> Iterator[Block]:
    """Every block whose magic starts at or after byte `start_byte` of the open file, in order,
    decoded; the caller stops pulling when it has enough (nothing is read ahead of need but one
    block and one read chunk).

    A candidate magic that starts no block (a chance match inside compressed data) is skipped: the
    block before it is decoded across it. Raises Bzip2Error on damaged or truncated data, and
    (never silently) on a chance match between `start_byte` and the first real block, about once
    in 10^8 ranges.
    """
    handle.seek(start_byte)
    buffer = b""
    base = start_byte  # file offset of buffer[0]
    candidates: list[tuple[int, bool]] = []  # (bit offset in the file, is a block magic)
    last_found = -1
    eof = False

    def read_more() -> bool:
        """Append a chunk (dropping what no pending block needs) and search it; False at the end."""
        nonlocal buffer, base, last_found, eof
        if eof:
            return False
        chunk = handle.read(READ_CHUNK)
        if not chunk:
            eof = True
            return False
        keep_from = candidates[0][0] // 8 - base if candidates else len(buffer) - 6
        keep_from = max(0, keep_from)
        searched = len(buffer) - keep_from
        buffer = buffer[keep_from:] + chunk
        base += keep_from
        from_byte = max(0, searched - 6)  # a magic spans at most 7 bytes: it may straddle the chunks
        for bit, is_block in find_magics(buffer[from_byte:], base + from_byte):
            if bit > last_found:
                candidates.append((bit, is_block))
                last_found = bit
        return True

    while True:
        while candidates and not candidates[0][1]:  # an end-of-stream marker starts nothing
            candidates.pop(0)
        while not candidates:
            if not read_more():
                return
            while candidates and not candidates[0][1]:
                candidates.pop(0)
        start_bit = candidates[0][0]
        decoded = None
        index = 1
        while decoded is None:
            while len(candidates) <= index and read_more():
                pass
            if len(candidates) <= index:
                raise Bzip2Error(f"{name}: the bzip2 data ends inside the block at byte {start_bit // 8} (truncated?)")
            end_bit = candidates[index][0]
            if end_bit - start_bit > 8 * MAX_BLOCK_BYTES:
                raise Bzip2Error(f"{name}: damaged bzip2 block at byte {start_bit // 8}")
            try:
                decoded = decode_block(buffer, base, start_bit, end_bit)
            except Bzip2Error:
                index += 1  # perhaps a chance match inside this block: decode across it
        del candidates[:index]
        yield Block(start_bit, decoded, end_bit)


def stream_level_ok(head: bytes) -> bool:
    """Whether `head` starts like a bzip2 stream (`BZh1`..`BZh9`)."""
    return len(head) >= 4 and head[:3] == b"BZh" and 0x31 <= head[3] <= 0x39


def combined_crc(block_crcs: list[int]) -> int:
    """The stream CRC bzip2 stores after the end-of-stream magic, from its blocks' CRCs."""
    combined = 0
    for crc in block_crcs:
        combined = (((combined << 1) | (combined >> 31)) & 0xFFFFFFFF) ^ crc
    return combined


def magics_between(handle: IO[bytes], start_bit: int, end_bit: int | None) -> Iterator[tuple[int, bool, int]]:
    """(bit offset, is a block magic, the 32 bits after the magic: a block's CRC or a stream's) for
    every magic starting in [start_bit, end_bit) of the file (end_bit None: to the end), in order;
    chance matches included (the caller's decoder tells them apart)."""
    base = start_bit // 8
    handle.seek(base)
    carry = b""
    seen = start_bit - 1
    while True:
        chunk = handle.read(READ_CHUNK)
        buffer = carry + chunk
        buffer_end = 8 * (base + len(buffer))
        for bit, is_block in find_magics(buffer, base):
            if bit <= seen:
                continue
            if end_bit is not None and bit >= end_bit:
                return
            if bit + 80 > buffer_end:
                break  # its CRC is in the next chunk: found again there (the carry holds it)
            seen = bit
            yield bit, is_block, _bits(buffer, base, bit + 48, bit + 80)
        if not chunk:
            return
        keep = min(len(buffer), 16)  # a magic and its CRC span at most 11 bytes
        base += len(buffer) - keep
        carry = buffer[-keep:]


def _stream_ends_at(handle: IO[bytes], eos_bit: int) -> bool:
    """Whether an end-of-stream magic at `eos_bit` is a real one: after its CRC and the padding to
    a byte boundary comes the end of the file or the next stream's `BZh1`..`BZh9`."""
    handle.seek((eos_bit + 80 + 7) // 8)
    after = handle.read(4)
    return not after or stream_level_ok(after)


def segments(handle: IO[bytes], start_bit: int, end_bit: int | None) -> list[tuple[int, int | None, list[int]]]:
    """The file's bits [start_bit, end_bit) (start_bit a block start, end_bit one too or None for
    the end of the file) cut at the streams' ends into runs of whole blocks within one stream:
    (first block's bit, end bit, the CRCs of the block magics found in between). A run whose end
    is None ends without an end-of-stream marker (a truncated file)."""
    runs: list[tuple[int, int | None, list[int]]] = []
    first: int | None = None
    crcs: list[int] = []
    for bit, is_block, crc in magics_between(handle, start_bit, end_bit):
        if is_block:
            if first is None:
                first, crcs = bit, []
            crcs.append(crc)
        elif first is not None and _stream_ends_at(handle, bit):
            runs.append((first, bit, crcs))
            first = None
    if first is not None:
        runs.append((first, end_bit, crcs))
    return runs


class BlockRun(io.RawIOBase):
    """Whole blocks of a bzip2 file, bits [start_bit, end_bit) of one stream, presented as a
    complete bzip2 file: a `BZh9` header, the blocks shifted to byte alignment, an end-of-stream
    marker whose CRC is combined from `block_crcs`. Read on demand, so a range of gigabytes costs
    no memory; what a decoder reads of it is checked by the blocks' own CRCs."""

    def __init__(self, handle: IO[bytes], start_bit: int, end_bit: int, block_crcs: list[int]) -> None:
        super().__init__()
        self._handle = handle
        self._first_byte, self._shift = divmod(start_bit, 8)
        length = end_bit - start_bit
        self._body = length // 8  # whole bytes of shifted blocks; the rest goes with the trailer
        rest = length % 8
        last = 0
        if rest:
            tail_start = start_bit + 8 * self._body
            handle.seek(tail_start // 8)
            last = _bits(handle.read(2), tail_start // 8, tail_start, end_bit)
        bits = rest + 80
        trailer = (((last << 48) | END_MAGIC) << 32) | combined_crc(block_crcs)
        pad = -bits % 8
        self._trailer = (trailer << pad).to_bytes((bits + pad) // 8, "big")
        self._size = 4 + self._body + len(self._trailer)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        origin = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, origin + offset)
        return self._pos

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._size if size is None or size < 0 else min(self._size, start + size)
        if end <= start:
            return b""
        parts = []
        if start < 4:
            parts.append(b"BZh9"[start:min(4, end)])
        first, last = max(start, 4) - 4, min(end, 4 + self._body) - 4
        if last > first:
            self._handle.seek(self._first_byte + first)
            raw = self._handle.read(last - first + (1 if self._shift else 0))
            if self._shift:
                value = int.from_bytes(raw, "big") >> (8 - self._shift)
                raw = value.to_bytes(len(raw), "big")[1:]
            parts.append(raw)
        first, last = max(start, 4 + self._body) - 4 - self._body, end - 4 - self._body
        if last > first:
            parts.append(self._trailer[first:last])
        self._pos = end
        return b"".join(parts)


def decode_run(open_file, start_bit: int, end_bit: int, block_crcs: list[int], *, name: str = "bzip2 file",
               chunk_size: int = 1 << 22) -> Iterator[bytes]:
    """The decoded bytes of the whole blocks in bits [start_bit, end_bit) of one stream, in
    pieces: by indexed_bzip2 on one thread where installed, else (or should it fail: a chance
    magic among the blocks gives a wrong stream CRC) block by block with libbz2, from where the
    faster decoder stopped. `open_file()` opens the file afresh (each reader seeks its own)."""
    done = 0
    if _fast_bz2 is not None:
        handle = open_file()
        try:
            with _fast_bz2.open(BlockRun(handle, start_bit, end_bit, block_crcs), parallelization=1) as reader:
                while data := reader.read(chunk_size):
                    done += len(data)
                    yield data
            return
        except (RuntimeError, ValueError, OSError):
            pass
        finally:
            handle.close()
    handle = open_file()
    try:
        for block in blocks_from(handle, start_bit // 8, name=name):
            if block.bit >= end_bit:
                return
            if done >= len(block.data):
                done -= len(block.data)
                continue
            yield block.data[done:]
            done = 0
    finally:
        handle.close()
