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
from dataclasses import dataclass
from typing import IO, Iterator

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


def find_magics(data: bytes, base_byte: int = 0, *, upto: int | None = None) -> list[tuple[int, bool]]:
    """Bit offsets (counted from `base_byte`, the file offset of `data[0]`) of every block magic
    and end-of-stream magic wholly inside `data[:upto]`, sorted, each with True for a block start.
    """
    limit = len(data) if upto is None else min(upto, len(data))
    hits: list[tuple[int, bool]] = []
    for needles, is_block in ((_BLOCK_NEEDLES, True), (_END_NEEDLES, False)):
        for shift, needle, offset, head_mask, head, tail in needles:
            at = data.find(needle, offset, limit)
            while at >= 0:
                first = at - offset
                if shift == 0:
                    hits.append((8 * (base_byte + first), is_block))
                elif at + 5 < limit and data[first] & head_mask == head and data[at + 5] & ~head_mask & 0xFF == tail:
                    hits.append((8 * (base_byte + first) + shift, is_block))
                at = data.find(needle, at + 1, limit)
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
    """One decoded block: where its magic starts in the file (bit offset) and its bytes."""

    bit: int
    data: bytes


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
        yield Block(start_bit, decoded)


def stream_level_ok(head: bytes) -> bool:
    """Whether `head` starts like a bzip2 stream (`BZh1`..`BZh9`)."""
    return len(head) >= 4 and head[:3] == b"BZh" and 0x31 <= head[3] <= 0x39
