"""One dump split into byte ranges read separately: every row exactly once, whatever the split."""

from __future__ import annotations

import bz2
import csv
import io
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citator.harvest import bulk_ranges, bulk_readers, bzip2_blocks
from citator.harvest.bulk_ranges import DumpRange
from tests.fakes import bulk_files

#: Values holding what could fool a record cutter: newlines, quotes, backslashes, commas, digits
#: right after a newline or a quote, CR, non-ASCII.
VALUE = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('a7"\\,\n\r 0') + ["\u00e9"]), max_size=10))
ROWS = st.lists(st.tuples(VALUE, VALUE), min_size=0, max_size=8)


def _rows(values: list) -> list[dict]:
    return [{"id": 100 + n, "cluster_id": 7, "plain_text": text, "html": html} for n, (text, html) in enumerate(values)]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), escapechar="\\", doublequote=False, strict=False))


def _read_split(location: str, cuts: list[int], compressed: bool, chunk_size: int = bulk_ranges.PLAIN_CHUNK) -> list[bytes]:
    """Every range's records (after the header each range repeats), ranges read one by one."""
    bounds: list[int | None] = [0, *cuts, None]
    header = bulk_ranges.header_line(bulk_ranges.head(location))
    records = [header]
    for start, end in zip(bounds, bounds[1:]):
        got = list(bulk_ranges.range_records(DumpRange(location, start, end, compressed, header), chunk_size=chunk_size))
        assert got[0] == header
        records += got[1:]
    return records


@pytest.mark.slow
@given(ROWS, st.lists(st.integers(min_value=1, max_value=4000), max_size=6), st.integers(min_value=1, max_value=64))
@settings(max_examples=300, deadline=None)
def test_plain_csv_split_anywhere_reads_every_row_once(values: list, cuts: list[int], chunk_size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = bulk_files.write_opinions(Path(folder) / "opinions.csv", _rows(values))
        data = path.read_bytes()
        cuts = sorted({c % max(1, len(data)) for c in cuts} - {0})
        records = _read_split(str(path), cuts, False, chunk_size)
        sequential = list(bulk_readers.courtlistener_raw_rows(path))
    assert records == sequential
    assert [_csv_rows(r)[0] for r in records] == _csv_rows(data)


@pytest.mark.slow
@given(st.lists(ROWS, min_size=1, max_size=5), st.lists(st.integers(min_value=1, max_value=10**6), max_size=5))
@settings(max_examples=60, deadline=None)
def test_bzip2_split_anywhere_reads_every_row_once(streams: list, cuts: list[int]) -> None:
    """A bzip2 file of several streams (as parallel compressors write it: one block each here),
    split at any compressed byte, gives exactly the rows of a sequential read."""
    values = [v for stream in streams for v in stream]
    text = bulk_files.opinions_csv(_rows(values)).encode("utf-8")
    bounds = [0] + [len(text) * (k + 1) // len(streams) for k in range(len(streams))]
    data = b"".join(bz2.compress(text[a:b], 1) for a, b in zip(bounds, bounds[1:]) if b > a)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "opinions.csv.bz2"
        path.write_bytes(data)
        cuts = sorted({c % len(data) for c in cuts} - {0})
        records = _read_split(str(path), cuts, True)
        sequential = list(bulk_readers.courtlistener_raw_rows(path))
    assert records == sequential
    assert [_csv_rows(r)[0] for r in records] == _csv_rows(text)


@pytest.fixture(scope="module")
def multiblock(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One bzip2 stream of several 100k blocks (level 1), blocks unaligned to bytes, rows long and
    short, so block and range ends fall inside records, inside escapes, and between them."""
    rng = random.Random(19)
    words = ["INVENTED", "opinion", "\n", '"', "\\", "1999", ",", "F.3d", "\n\n", "7"]
    rows = [{"id": n, "cluster_id": n % 97, "plain_text": " ".join(rng.choice(words) for _ in range(rng.randrange(1, 3000)))}
            for n in range(1, 260)]
    text = bulk_files.opinions_csv(rows).encode("utf-8")
    path = tmp_path_factory.mktemp("multiblock") / "opinions.csv.bz2"
    path.write_bytes(bz2.compress(text, 1))
    return path, text


def test_blocks_found_bit_exactly_decode_to_the_file(multiblock: tuple[Path, bytes]) -> None:
    path, text = multiblock
    with path.open("rb") as handle:
        blocks = list(bzip2_blocks.blocks_from(handle, 0))
    assert len(blocks) >= 4 and any(b.bit % 8 for b in blocks)  # several blocks, not on byte boundaries
    assert b"".join(b.data for b in blocks) == text


@pytest.mark.slow
@given(st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6))
@settings(max_examples=15, deadline=None)
def test_multiblock_bzip2_split_anywhere(multiblock: tuple[Path, bytes], cuts: list[int]) -> None:
    path, text = multiblock
    size = path.stat().st_size
    records = _read_split(str(path), sorted({c % size for c in cuts} - {0}), True)
    assert records == list(bulk_readers.courtlistener_raw_rows(path))


@pytest.mark.slow
def test_split_opinions_gives_equal_ranges_that_read_the_same_documents(multiblock: tuple[Path, bytes]) -> None:
    path, _ = multiblock
    ranges = bulk_readers.split_opinions(str(path), 4, min_bytes=1)
    assert len(ranges) == 4 and ranges[0].start == 0 and ranges[-1].end is None
    assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
    whole = [(d.opinion.id, d.opinion.text) for d in bulk_readers.documents(path)]
    split = [(d.opinion.id, d.opinion.text) for r in ranges for d in bulk_readers.documents(r)]
    assert split == whole and len(whole) == 259


def test_damaged_block_in_a_range_is_one_clear_error(multiblock: tuple[Path, bytes], tmp_path: Path) -> None:
    path, _ = multiblock
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x55
    damaged = tmp_path / "opinions-damaged.csv.bz2"
    damaged.write_bytes(bytes(data))
    ranges = bulk_readers.split_opinions(str(damaged), 2, min_bytes=1)
    with pytest.raises(bulk_readers.BulkFileError, match="opinions-damaged"):
        for r in ranges:
            list(bulk_readers.documents(r))


def _seed_refs(db) -> list[tuple]:
    return sorted(db.execute("select opinion_id, authority_key, span_start, span_end from citations").fetchall())


@pytest.mark.slow
def test_one_dump_on_two_processes_is_split_and_stores_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`citator bulk -j 2` on one CourtListener file: the file is read as byte ranges by both
    processes, and the database holds exactly what one process stores."""
    from citator import bulk
    from citator.config import load_config
    from citator.db import store

    monkeypatch.setattr(bulk_ranges, "MIN_RANGE_BYTES", 64)
    rows = [dict(row, id=row["id"] + 1000 * n, cluster_id=row["cluster_id"] + 1000 * n) for n in range(30) for row in bulk_files.ROWS]
    path = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv", rows)
    seeds = load_config(environ={}).seeds
    one = bulk.run(store.open_database(tmp_path / "one.db"), seeds, [path], workers=1)
    two = bulk.run(store.open_database(tmp_path / "two.db"), seeds, [path], workers=2)
    assert len(one.shards) == 1 and len(two.shards) == 4
    assert (two.stats.documents, two.stats.unread_rows) == (one.stats.documents, one.stats.unread_rows) == (30 * 2, 30 * 2)
    assert _seed_refs(store.open_database(tmp_path / "two.db")) == _seed_refs(store.open_database(tmp_path / "one.db"))
    assert len(_seed_refs(store.open_database(tmp_path / "one.db"))) == 30 * 2


@pytest.mark.slow
def test_a_dump_given_as_an_fsspec_url_is_split_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs may be URLs any fsspec filesystem opens (here its in-memory one, standing in for
    s3:// or https://): the same ranges, the same rows, the same stored references as a local file."""
    import fsspec

    from citator import bulk
    from citator.config import load_config
    from citator.db import store

    monkeypatch.setattr(bulk_ranges, "MIN_RANGE_BYTES", 64)
    rows = [dict(row, id=row["id"] + 1000 * n, cluster_id=row["cluster_id"] + 1000 * n) for n in range(10) for row in bulk_files.ROWS]
    local = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv.bz2", rows)
    url = "memory://citator-test/opinions-2026-09-30.csv.bz2"
    with fsspec.open(url, "wb") as remote:
        remote.write(local.read_bytes())
    ranges = bulk_readers.split_opinions(url, 3, min_bytes=1)
    assert len(ranges) == 3 and all(r.location == url for r in ranges)
    read = [d.opinion.id for r in ranges for d in bulk_readers.documents(r)]
    assert read == [d.opinion.id for d in bulk_readers.documents(local)]
    seeds = load_config(environ={}).seeds
    from_url = store.open_database(tmp_path / "url.db")
    result = bulk.run(from_url, seeds, [url], workers=1)
    assert result.status == "ok" and result.stats.documents == 20
    bulk.run(store.open_database(tmp_path / "local.db"), seeds, [local], workers=1)
    assert _seed_refs(from_url) == _seed_refs(store.open_database(tmp_path / "local.db"))


def test_ranges_decoded_by_indexed_bzip2_in_runs_of_blocks() -> None:
    """The fast range decoder is the one in use where indexed_bzip2 is installed (it is a test
    dependency), and its runs of whole blocks decode to exactly the file's bytes."""
    assert bzip2_blocks._fast_bz2 is not None


@pytest.mark.slow
@given(st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6))
@settings(max_examples=15, deadline=None)
def test_multiblock_split_anywhere_same_rows_with_indexed_bzip2_and_libbz2(multiblock: tuple[Path, bytes], cuts: list[int]) -> None:
    path, _ = multiblock
    size = path.stat().st_size
    bounds: list[int | None] = [0, *sorted({c % size for c in cuts} - {0}), None]
    header = bulk_ranges.header_line(bulk_ranges.head(str(path)))
    for start, end in zip(bounds, bounds[1:]):
        rng = DumpRange(str(path), start, end, True, header)
        assert list(bulk_ranges.range_records(rng, fast=True)) == list(bulk_ranges.range_records(rng, fast=False))


def test_a_run_with_a_wrong_stream_crc_is_still_read_exactly_once(multiblock: tuple[Path, bytes]) -> None:
    """A chance block magic among a run's blocks makes the synthesized stream CRC wrong; the run is
    then finished by libbz2 from where indexed_bzip2 stopped, every byte once."""
    path, text = multiblock
    with path.open("rb") as handle:
        blocks = list(bzip2_blocks.blocks_from(handle, 0))
        (start, stop, crcs), = bzip2_blocks.segments(handle, blocks[1].bit, None)
    assert start == blocks[1].bit and len(crcs) == len(blocks) - 1
    rest = b"".join(b.data for b in blocks[1:])
    assert b"".join(bzip2_blocks.decode_run(lambda: path.open("rb"), start, stop, crcs)) == rest
    assert b"".join(bzip2_blocks.decode_run(lambda: path.open("rb"), start, stop, crcs + [12345])) == rest


def test_a_range_left_half_read_does_not_crash_the_interpreter_at_exit(multiblock: tuple[Path, bytes]) -> None:
    """A worker that stops reading a range mid-way (an error elsewhere, a record limit) exits
    cleanly: the indexed_bzip2 reader left open is not torn down by a crash at interpreter exit."""
    import subprocess
    import sys

    path, _ = multiblock
    size = path.stat().st_size
    code = (
        "import sys\n"
        "from citator.harvest import bulk_ranges\n"
        f"path = {str(path)!r}\n"
        "header = bulk_ranges.header_line(bulk_ranges.head(path))\n"
        f"records = bulk_ranges.range_records(bulk_ranges.DumpRange(path, {size // 4}, {3 * size // 4}, True, header))\n"
        "next(records); next(records)\n"
        "print('one record read')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "one record read" and "terminate" not in done.stderr


def test_a_truncated_dump_split_in_ranges_is_one_clear_error(multiblock: tuple[Path, bytes], tmp_path: Path) -> None:
    path, _ = multiblock
    truncated = tmp_path / "opinions-truncated.csv.bz2"
    data = path.read_bytes()
    truncated.write_bytes(data[: len(data) - 3000])
    ranges = bulk_readers.split_opinions(str(truncated), 2, min_bytes=1)
    with pytest.raises(bulk_readers.BulkFileError, match="opinions-truncated"):
        for r in ranges:
            list(bulk_readers.documents(r))


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_a_damaged_dump_read_whole_is_one_clear_error(multiblock: tuple[Path, bytes], tmp_path: Path, damage: str) -> None:
    """One worker reads a dump as one range, decoded straight from the file: damage still ends in
    one line naming the file and saying what to do."""
    path, _ = multiblock
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) - 3000]
    else:
        data[len(data) // 2] ^= 0x55
    damaged = tmp_path / f"opinions-{damage}.csv.bz2"
    damaged.write_bytes(bytes(data))
    (whole,) = bulk_readers.split_opinions(str(damaged), 1)
    assert whole.whole and whole.compressed
    with pytest.raises(bulk_readers.BulkFileError, match=f"opinions-{damage}.*(damaged|truncated|CRC)"):
        list(bulk_readers.documents(whole))


@given(st.binary(max_size=400), st.lists(st.tuples(st.integers(min_value=0), st.booleans()), max_size=4),
       st.one_of(st.none(), st.integers(min_value=0, max_value=400)), st.integers(min_value=0, max_value=10**6))
@settings(max_examples=200, deadline=None)
def test_magics_found_in_one_pass_are_those_of_a_search_per_needle(data: bytes, planted: list, upto: int | None,
                                                                  base: int) -> None:
    """Both magics at every bit shift, planted anywhere (overlapping too), near the ends included:
    the one-pass search finds exactly what a substring search per shifted needle finds."""
    if bzip2_blocks._needle_database() is None:
        pytest.skip("Hyperscan is not installed: only the per-needle search runs")
    bits = len(data) * 8
    value = int.from_bytes(data, "big")
    for where, block in planted:
        if bits >= 48:
            at = where % (bits - 47)
            value &= ~(((1 << 48) - 1) << (bits - at - 48))
            value |= (bzip2_blocks.BLOCK_MAGIC if block else bzip2_blocks.END_MAGIC) << (bits - at - 48)
    data = value.to_bytes(len(data), "big") if data else data
    one_pass = bzip2_blocks.find_magics(data, base, upto=upto)
    saved = bzip2_blocks._HS_NEEDLES
    bzip2_blocks._HS_NEEDLES = None
    try:
        per_needle = bzip2_blocks.find_magics(data, base, upto=upto)
    finally:
        bzip2_blocks._HS_NEEDLES = saved
    assert one_pass == per_needle
