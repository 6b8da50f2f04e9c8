"""The streaming bulk readers on small INVENTED files in the real dump formats."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citator.citations.courts import exact_court_id
from citator.harvest import bulk_readers
from citator.harvest.bulk_readers import BulkFileError
from tests.fakes import bulk_files


@pytest.mark.parametrize("name", ["opinions-2026-09-30.csv", "opinions-2026-09-30.csv.bz2"])
def test_opinions_csv_dialect(tmp_path: Path, name: str) -> None:
    path = bulk_files.write_opinions(tmp_path / name)
    docs = list(bulk_readers.documents(path))
    assert [d.opinion.id for d in docs] == ["cl:opinion:501", "cl:opinion:502", "cl:opinion:504"]
    first, second, fourth = docs
    # \" and \\ are unescaped; commas and newlines inside a quoted field survive.
    assert first.opinion.text == bulk_files.TRICKY_TEXT
    # NULL html_with_citations and "" html both fall through to plain_text.
    assert (first.opinion.text_field, first.opinion.text_format) == ("plain_text", "text")
    assert first.case.id == "cl:cluster:9001" and first.opinion.case_id == "cl:cluster:9001"
    assert first.opinion.author == "INVENTED, J."
    assert (second.opinion.text_field, second.opinion.text_format, second.opinion.type) == ("html_with_citations", "html", "dissent")
    assert second.opinion.author is None  # "" is no author
    assert fourth.opinion.type == "per_curiam"


def test_null_and_empty_string_are_both_nothing(tmp_path: Path) -> None:
    path = tmp_path / "opinions.csv"
    path.write_text('id,cluster_id,plain_text,html\n"1","2",,""\n"3","4","",\n', encoding="utf-8")
    rows = list(bulk_readers.courtlistener_rows(path))
    assert rows == [
        {"id": "1", "cluster_id": "2", "plain_text": None, "html": None},
        {"id": "3", "cluster_id": "4", "plain_text": None, "html": None},
    ]
    assert list(bulk_readers.courtlistener_opinions(path)) == []


def test_citation_map(tmp_path: Path) -> None:
    path = bulk_files.write_citation_map(tmp_path / "citation-map-2026-09-30.csv.bz2", [(501, 77, 2), (504, 78, 1)])
    assert bulk_readers.kind_of(path) == "citation_map"
    edges = list(bulk_readers.courtlistener_citation_map(path))
    assert [(e.citing_opinion_id, e.cited_opinion_id, e.depth) for e in edges] == [(501, 77, 2), (504, 78, 1)]


def test_cap_volume(tmp_path: Path) -> None:
    path = bulk_files.write_cap_volume(tmp_path / "999.zip")
    docs = list(bulk_readers.documents(path, court_ids=exact_court_id))
    assert [d.opinion.id for d in docs] == ["cap:case:7000001:0", "cap:case:7000001:1"]
    assert [d.opinion.type for d in docs] == ["majority", "dissent"]
    case = docs[0].case
    assert case.id == "cap:case:7000001" and case.citations == [("999 F.3d 10", "official")]
    assert case.name == "Invented Party v. Another Invented Party" and case.decision_date == "2001-02-03"
    # The citing court, which the treatment classifier is given: the court's name mapped to its id.
    assert (case.court, case.court_id) == ("United States Court of Appeals for the First Circuit", "ca1")
    # The same text field and ids as the API harvester stores for this case.
    assert [d.opinion.text_field for d in docs] == ["casebody.opinions[0].text", "casebody.opinions[1].text"]
    assert all(d.opinion.text_format == "text" for d in docs)


def test_a_cap_volume_is_read_only_with_a_court_mapping(tmp_path: Path) -> None:
    path = bulk_files.write_cap_volume(tmp_path / "999.zip")
    with pytest.raises(TypeError, match="court_ids"):
        bulk_readers.documents(path)


def test_readers_stream_one_record_at_a_time(tmp_path: Path) -> None:
    path = bulk_files.write_opinions(tmp_path / "opinions.csv.bz2", bulk_files.ROWS * 50)
    stream = bulk_readers.documents(path)
    assert next(stream).opinion.id == "cl:opinion:501"  # a generator: nothing is read ahead wholesale
    stream.close()


def test_bad_inputs_raise_one_clear_error(tmp_path: Path) -> None:
    bad_zip = tmp_path / "123.zip"
    bad_zip.write_bytes(b"INVENTED: not a zip")
    with pytest.raises(BulkFileError, match="not a CAP volume zip"):
        list(bulk_readers.documents(bad_zip, court_ids=exact_court_id))
    empty_zip = tmp_path / "124.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "INVENTED")
    with pytest.raises(BulkFileError, match="no json/ cases"):
        list(bulk_readers.documents(empty_zip, court_ids=exact_court_id))
    bad_bz2 = tmp_path / "opinions.csv.bz2"
    bad_bz2.write_bytes(b"BZh9 INVENTED garbage")
    with pytest.raises(BulkFileError):
        list(bulk_readers.documents(bad_bz2))
    with pytest.raises(BulkFileError, match="no such file"):
        list(bulk_readers.documents(tmp_path / "missing.csv"))
    with pytest.raises(BulkFileError, match="unknown bulk file"):
        bulk_readers.kind_of(tmp_path / "notes.txt")


def _volume_with(tmp_path: Path, compression: int) -> Path:
    """An INVENTED CAP volume zip whose members are stored or deflated as given."""
    import json

    path = tmp_path / f"vol-{compression}.zip"
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for number in (7100001, 7100002):
            case = {"id": number, "name_abbreviation": f"Invented v. Case {number}", "citations": [],
                    "casebody": {"opinions": [{"type": "majority", "author": None,
                                               "text": f"INVENTED opinion {number} \u00a7 1, \"quoted\"\n" * 50}]}}
            archive.writestr(f"json/{number}.json", json.dumps(case))
        archive.writestr("metadata/CasesMetadata.json", "[]")
    return path


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_cap_members_read_as_zipfile_reads_them(tmp_path: Path, compression: int) -> None:
    path = _volume_with(tmp_path, compression)
    with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
        for info in archive.infolist():
            assert bulk_readers.zip_member(archive, raw, info) == archive.read(info)
    assert [d.opinion.id for d in bulk_readers.documents(path, court_ids=exact_court_id)] == ["cap:case:7100001:0", "cap:case:7100002:0"]


def test_corrupt_cap_member_fails_naming_it(tmp_path: Path) -> None:
    path = _volume_with(tmp_path, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"INVENTED opinion 7100002")
    data[at] = ord("X")  # one flipped byte: the CRC-32 no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(BulkFileError, match=r"7100002\.json"):
        list(bulk_readers.documents(path, court_ids=exact_court_id))


def test_raw_filter_passes_cases_over_unparsed(tmp_path: Path) -> None:
    path = _volume_with(tmp_path, zipfile.ZIP_DEFLATED)
    seen: list[bytes] = []

    def only_second(data: bytes) -> bool:
        seen.append(data)
        return b"7100002" in data

    items = list(bulk_readers.documents(path, raw_filter=only_second, court_ids=exact_court_id))
    assert len(seen) == 2
    unread, read = items
    assert isinstance(unread, bulk_readers.UnreadCase) and unread.name == "json/7100001.json" and unread.nbytes == len(seen[0])
    assert read.opinion.id == "cap:case:7100002:0"


def test_bzip2_decoded_on_several_threads_reads_the_same(tmp_path: Path) -> None:
    """One big CourtListener file can be decoded on the spare cores: same rows, same errors."""
    path = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv.bz2")
    one = [(d.opinion.id, d.opinion.text) for d in bulk_readers.documents(path, bz2_threads=1)]
    assert one and [(d.opinion.id, d.opinion.text) for d in bulk_readers.documents(path, bz2_threads=2)] == one
    damaged = tmp_path / "opinions-damaged.csv.bz2"
    damaged.write_bytes(path.read_bytes()[:60] + b"not bzip2 at all" * 8)
    with pytest.raises(BulkFileError, match="opinions-damaged"):
        list(bulk_readers.documents(damaged, bz2_threads=2))


def test_raw_filter_passes_courtlistener_rows_over_unparsed(tmp_path: Path) -> None:
    """A row whose raw bytes the filter rejects is never parsed; the rows it keeps read exactly as
    without a filter (the tricky escapes and newlines included)."""
    path = bulk_files.write_opinions(tmp_path / "opinions-2026-09-30.csv.bz2")
    seen: list[bytes] = []

    def only_502_and_504(data: bytes) -> bool:
        seen.append(data)
        return data.startswith((b'"501"', b'"504"'))

    items = list(bulk_readers.documents(path, raw_filter=only_502_and_504))
    assert [s[:5] for s in seen] == [b'"501"', b'"502"', b'"503"', b'"504"']
    unread = [i for i in items if isinstance(i, bulk_readers.UnreadRow)]
    assert [u.nbytes for u in unread] == [len(seen[1]), len(seen[2])]
    read = {d.opinion.id: d for d in items if isinstance(d, bulk_readers.BulkDocument)}
    everything = {d.opinion.id: d for d in bulk_readers.documents(path)}
    assert set(read) == {"cl:opinion:501", "cl:opinion:504"}
    assert all(read[k] == everything[k] for k in read)
    assert read["cl:opinion:501"].opinion.text == bulk_files.TRICKY_TEXT


def test_a_dump_in_another_column_order_is_parsed_whole(tmp_path: Path) -> None:
    """Rows are cut apart unparsed only where the first column is the numeric id; otherwise every
    row is parsed and the filter sees nothing (nothing passed over, nothing lost)."""
    path = tmp_path / "opinions.csv"
    path.write_text('cluster_id,id,plain_text\n"9","1","INVENTED text\n"\n"8","2","INVENTED"\n', encoding="utf-8")
    items = list(bulk_readers.documents(path, raw_filter=lambda data: False))
    assert [d.opinion.id for d in items] == ["cl:opinion:1", "cl:opinion:2"]


ROW_TEXT = st.text(alphabet=st.sampled_from(list('ab1"\\,\n\r ') + ["\u00e9", "\u201c"]), max_size=12)


@given(st.lists(st.tuples(st.one_of(st.none(), ROW_TEXT), st.one_of(st.none(), ROW_TEXT)), min_size=0, max_size=6),
       st.integers(min_value=1, max_value=64))
@pytest.mark.slow
@settings(max_examples=300, deadline=None)
def test_rows_cut_unparsed_are_the_rows_the_csv_module_reads(values: list, chunk_size: int) -> None:
    """Whatever the values hold (quotes, backslashes, commas, newlines right before a quote or a
    digit, a value that is only a newline) and wherever the stream's chunks end, cutting the dump at
    newline-quote-digit gives exactly the records csv parses, one row each."""
    import csv
    import io
    import tempfile

    rows = [{"id": 100 + n, "cluster_id": 7, "plain_text": text, "html": html} for n, (text, html) in enumerate(values)]
    with tempfile.TemporaryDirectory() as folder:
        path = bulk_files.write_opinions(Path(folder) / "opinions.csv", rows)
        raw = list(bulk_readers.courtlistener_raw_rows(path, chunk_size=chunk_size))
        expected = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline=""), escapechar="\\",
                                   doublequote=False, strict=False))
    cut = [next(csv.reader(io.StringIO(r.decode("utf-8"), newline=""), escapechar="\\", doublequote=False, strict=False))
           for r in raw]
    assert cut == expected
