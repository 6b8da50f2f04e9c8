"""Local folder source: opinions a researcher already has on disk.

Reads a directory (recursively, in name order) or single files: `.txt` (plain text), `.html`/`.htm`,
`.json` (a CAP case JSON with its casebody, or CourtListener opinion / cluster JSON as the API sends
them) and `.pdf` (read with pypdf, a dependency). Metadata comes from a sidecar file
next to the document, named like it plus `.meta.json` (`smith.txt` -> `smith.txt.meta.json`):

    {
      "case": "smith-v-jones",           # files sharing this key are opinions of one case
      "name": "Smith v. Jones",
      "citations": ["123 F.3d 456"],     # shared citations merge the case with other sources
      "court_id": "ca9", "court": "Court of Appeals for the Ninth Circuit",
      "decision_date": "1999-01-02", "docket_number": "98-1234",
      "type": "dissent", "author": "Doe", "ordinal": 1,
      "url": "https://example.org/smith", "depth": 1
    }

Every key is optional. Without a sidecar the case name is the HTML <title> or the file name, and
the JSON formats bring their own metadata. Ids are stable: `local:<path relative to the folder>`.

Each file is imported on its own: one that cannot be read or parsed (a corrupt PDF, JSON of the
wrong shape, text that is not UTF-8) is recorded as an error of the run naming the file, anything
it had written is rolled back, and the harvest goes on with the others. A file (or sidecar) whose
real path lies outside the folder given, through a symbolic link, is skipped and reported: a link
to /etc/passwd must not end up on a public case page. Relative paths are taken from the current
directory. A file over the configured size (`max_file_mb`) is reported the same way, unread.

A CAP volume downloaded from static.case.law keeps the exporter's layout: `<volume>/cases/<name>.json`
(or `json/<name>.json` in an unpacked volume zip) beside `<volume>/html/<name>.html`. The case JSON's
text has lost every footnote mark and has its notes after the opinion, so a case JSON in that layout
has its opinions stored from the HTML file's articles (`cap_html`), where each note stands at its
mark, under the same rows as the JSON text would be; the HTML file is part of its case, not a
document of its own. When that file is missing, cannot be read, is not UTF-8, is too large, lies
outside the folder or does not match the JSON's opinions, the JSON text is stored and one line says
why. CAP's listings (`CasesMetadata.json` and the like, and static.case.law's `index.html` pages in
a volume's folders) are not documents and are passed over.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Sequence

from citator.db import corpus
from citator.db.corpus import upsert_case, upsert_opinion
from citator.db.records import CaseRecord, OpinionRecord, clean_cite
from citator.harvest import cap_html, cap_records, courtlistener_records
from citator.harvest.cap_records import CourtIds
from citator.harvest.courtlistener_records import best_text
from citator.harvest.crawl import Crawl, HarvestCounts

SOURCE = "local"
SIDECAR = ".meta.json"
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json", ".pdf": "pdf"}
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
#: The listings CAP's exporter writes beside the cases (../shared/reference/cap-static.md, sections
#: 2 and 4): every case is in its own file too, so these are passed over, never reported.
CAP_LISTINGS = frozenset({
    "ReportersMetadata.json", "ReporterMetadata.json", "JurisdictionsMetadata.json", "VolumesMetadata.json",
    "VolumeMetadata.json", "CasesMetadata.json", "CourtsMetadata.json",
})
#: static.case.law has a generated `index.html` listing in every folder; one in a folder holding a
#: CAP listing, or in such a folder's `cases/`, `html/` or `json/`, is that listing, not an opinion.
CAP_INDEX = "index.html"


class LocalFolder:
    """Imports the documents under `paths` (folders or files)."""

    def __init__(self, paths: Sequence[str | Path], *, max_mb: float | None, court_ids: CourtIds) -> None:
        # Absolute (so file:// URLs can be made) but not resolved: a root that is itself a link is
        # the user's choice, and its real path is the boundary its files must stay inside.
        self.paths = [Path(os.path.abspath(os.path.expanduser(str(p)))) for p in paths]
        self.max_mb = max_mb  # larger files are reported, never read (`max_file_mb` in config)
        self.court_ids = court_ids  # court name -> id, for CAP case JSON
        # (file or folder as shown, why it was skipped, the file when it is one)
        self.problems: list[tuple[str, str, Path | None]] = []
        self._roots: dict[Path, Path] = {}  # file -> the real path its sidecar must lie inside
        self._listed: dict[Path, Path] = {}  # file found in a folder given -> that folder

    def files(self) -> Iterator[tuple[Path, str]]:
        """(file, id path relative to its root) for every document inside the roots, in a stable
        order. Files outside their root's real path, and folders that cannot be listed, are noted
        in `problems` instead."""
        for root in self.paths:
            if root.is_file():
                self._roots[root] = root.parent.resolve()
                yield root, root.name
                continue
            if not root.is_dir():
                self.problems.append((str(root), "no such file or folder", None))
                continue
            real_root = root.resolve()

            def unreadable(error: OSError) -> None:
                self.problems.append((str(error.filename or root), f"cannot list it: {error.strerror or error}", None))

            found = []
            cap_folders: set[Path] = set()  # folders holding a CAP listing (os.walk sees parents first)
            for folder, dirs, names in os.walk(root, onerror=unreadable):
                here = Path(folder)
                if CAP_LISTINGS.intersection(names):
                    cap_folders.add(here)
                in_cap_tree = here in cap_folders or (
                    here.name in (*cap_records.CASE_JSON_FOLDERS, "html") and here.parent in cap_folders)
                for name in list(dirs):
                    link = Path(folder) / name
                    if link.is_symlink() and not _inside(link, real_root):
                        self.problems.append((link.relative_to(root).as_posix(), _outside_message(link, real_root),
                                              None))
                for name in names:
                    path = Path(folder) / name
                    if (name.endswith(SIDECAR) or name in CAP_LISTINGS or path.suffix.lower() not in SUFFIXES
                            or (name == CAP_INDEX and in_cap_tree)):
                        continue
                    rel = path.relative_to(root).as_posix()
                    if not _inside(path, real_root):
                        self.problems.append((rel, _outside_message(path, real_root), path))
                        continue
                    if path.is_file():
                        found.append((rel, path))
            for rel, path in sorted(found):
                self._roots[path] = real_root
                self._listed[path] = root
                yield path, rel

    def harvest(self, crawl: Crawl) -> HarvestCounts:
        counts = HarvestCounts()
        files = list(self.files())
        # A JSON in CAP's exporter layout -> its HTML file; that file is read with its case, and is a
        # document of its own only when the JSON is read and is no CAP case (a JSON that cannot be
        # read is reported, and its HTML file waits for it rather than becoming a second case).
        case_html = {path: Path(html) for path, _ in files if path.suffix.lower() == ".json"
                     and (html := cap_records.html_path(path.as_posix())) is not None}
        deferred = set(case_html.values())
        clusters: dict[int, dict[str, Any]] = {}
        loaded: list[tuple[int, Path, str, str, Any]] = []
        for order, (path, rel) in enumerate(files):
            if path in deferred and SUFFIXES[path.suffix.lower()] == "html":
                continue
            content = self._load(crawl, path, rel, counts)
            if content is _UNREAD:
                continue
            kind = SUFFIXES[path.suffix.lower()]
            if (kind == "json" and isinstance(content, dict) and "sub_opinions" in content
                    and isinstance(content.get("id"), int)):
                clusters[content["id"]] = content  # CourtListener cluster: metadata for its opinions
            loaded.append((order, path, rel, kind, content))
        not_cap = {path for _, path, _, kind, content in loaded
                   if path in case_html and not _is_cap_case(kind, content)}
        claimed = {html for path, html in case_html.items() if path not in not_cap}
        for order, (path, rel) in enumerate(files):
            if path in deferred and path not in claimed and SUFFIXES[path.suffix.lower()] == "html":
                content = self._load(crawl, path, rel, counts)  # an HTML file whose JSON is no CAP case
                if content is not _UNREAD:
                    loaded.append((order, path, rel, "html", content))
        loaded.sort(key=lambda entry: entry[0])
        for where, problem, path in self.problems:
            if path is not None and path in claimed:
                continue  # its case says it, once, when it stores the JSON text instead
            crawl.error(SOURCE, f"skipped {where}: {problem}", None)
            counts.errors += 1
        for index, (_, path, rel, kind, content) in enumerate(loaded):
            try:
                with crawl.db.atomic():  # a file's rows are stored whole or not at all
                    meta = _sidecar(path, self._roots.get(path))
                    self._store(crawl, path, rel, kind, content, meta, clusters, counts, html=case_html.get(path))
            except sqlite3.Error:
                raise  # the database itself failed (disk full...): not this file's fault
            except Exception as exc:  # noqa: BLE001 - per-file isolation
                crawl.error(SOURCE, f"{rel} is not in a format citator reads: {_reason(exc)}", path.as_uri())
                counts.errors += 1
            counts.documents += 1
            if crawl.progress is not None:
                crawl.progress(SOURCE, index + 1, len(loaded))
        return counts

    def _load(self, crawl: Crawl, path: Path, rel: str, counts: HarvestCounts) -> Any:
        """The file's content (`_read`), or `_UNREAD` when it is too large or cannot be read: then
        recorded as an error of the run naming the file."""
        try:
            too_large = self._too_large(path)
            if too_large is not None:
                crawl.error(SOURCE, f"skipped {rel}: {too_large}", path.as_uri())
                counts.errors += 1
                return _UNREAD
            return self._read(path, SUFFIXES[path.suffix.lower()])
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the others
            crawl.error(SOURCE, f"cannot read {rel}: {_reason(exc)}", path.as_uri())
            counts.errors += 1
            return _UNREAD

    def _too_large(self, path: Path) -> str | None:
        """Why the file is not read because of its size (`max_file_mb`), or None."""
        size_mb = path.stat().st_size / 1048576
        if self.max_mb is None or size_mb <= self.max_mb:
            return None
        return (f"{size_mb:.3g} MB is over the limit of {self.max_mb:g} MB "
                "(raise [sources.local] max_file_mb to read it)")

    @staticmethod
    def _read(path: Path, kind: str) -> Any:
        if kind == "pdf":
            try:
                from pypdf import PdfReader  # optional dependency
            except ImportError:
                raise RuntimeError("reading PDF needs the optional pypdf package (pip install pypdf)") from None
            # pypdf logs what it repairs ("EOF marker not found"); a file it cannot read raises, and
            # that is reported once as this file's error.
            logging.getLogger("pypdf").setLevel(logging.ERROR)
            return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        text = path.read_text(encoding="utf-8")
        if kind == "json":
            return json.loads(text)
        return text

    def _store(self, crawl: Crawl, path: Path, rel: str, kind: str, content: Any, meta: dict[str, Any],
               clusters: dict[int, dict[str, Any]], counts: HarvestCounts, *, html: Path | None = None) -> None:
        url = meta.get("url") or path.as_uri()
        if kind == "json":
            if not isinstance(content, dict):
                raise ValueError("a JSON document must be an object")
            if "casebody" in content:
                return self._cap_case(crawl, path, rel, content, meta, url, counts, html)
            if "sub_opinions" in content:
                return  # a cluster: used as metadata by its opinions
            if best_text(content) is not None:
                return self._cl_opinion(crawl, rel, content, meta, url, clusters, counts)
            raise ValueError("neither a CAP case nor a CourtListener opinion")
        text = content
        name = meta.get("name")
        if not name and kind == "html":
            match = _TITLE.search(text)
            name = " ".join(match.group(1).split()) if match else None
        case_key = meta.get("case") or rel
        case_id = self._case(crawl, case_key, meta, name or path.stem, url, counts)
        self._opinion(crawl, rel, case_id, text, "html" if kind == "html" else "text", f"file:{kind}", url, meta, counts)

    def _case(self, crawl: Crawl, key: str, meta: dict[str, Any], name: str, url: str, counts: HarvestCounts,
              citations: list[tuple[str, str]] | None = None, **known: Any) -> str:
        record = CaseRecord(
            id=f"local:{key}",
            name=meta.get("name") or name,
            source=SOURCE,
            source_id=key,
            url=url,
            court_id=meta.get("court_id") or known.get("court_id"),
            court=meta.get("court") or known.get("court"),
            decision_date=meta.get("decision_date") or known.get("decision_date"),
            docket_number=meta.get("docket_number") or known.get("docket_number"),
            citations=[(clean_cite(c), "reporter") for c in meta.get("citations", [])] or (citations or []),
            depth=int(meta.get("depth", 1)),
        )
        case_id, new = upsert_case(crawl.db, record, crawl.run_id)
        counts.add_case(new)
        return case_id

    def _opinion(self, crawl: Crawl, opinion_key: str, case_id: str, text: str, fmt: str, field: str, url: str,
                 meta: dict[str, Any], counts: HarvestCounts, *, type_: str | None = None, author: str | None = None,
                 ordinal: int = 0) -> None:
        if not text.strip():
            return
        if corpus.case_opinion_sources(crawl.db, case_id) - {SOURCE}:
            return  # another source supplied this case's text first; provenance is in case_sources
        record = OpinionRecord(
            id=f"local:{opinion_key}",
            case_id=case_id,
            text=text,
            text_format=fmt,
            text_field=field,
            source=SOURCE,
            source_id=opinion_key,
            url=url,
            type=meta.get("type") or type_ or "majority",
            author=meta.get("author") or author,
            ordinal=int(meta.get("ordinal", ordinal)),
        )
        new, _changed = upsert_opinion(crawl.db, record)
        counts.new_opinions += int(new)

    def _cap_case(self, crawl: Crawl, path: Path, rel: str, case: dict[str, Any], meta: dict[str, Any], url: str,
                  counts: HarvestCounts, html: Path | None) -> None:
        facts = cap_records.case_record(case, court_ids=self.court_ids, url=url, depth=1)
        case_id = self._case(
            crawl, meta.get("case") or rel, meta, cap_records.case_name(case) or rel, url, counts,
            facts.citations, court=facts.court, court_id=facts.court_id,
            decision_date=facts.decision_date, docket_number=facts.docket_number,
        )
        if isinstance(case.get("id"), int):
            corpus.store_cap_cites_to(crawl.db, case["id"], case_id, cap_records.cites_to_rows(case))
        own_meta = {k: v for k, v in meta.items() if k not in ("type", "author")}
        texts = self._cap_articles(crawl, path, rel, case, html) if html is not None else None
        html_url = html.as_uri() if texts is not None and html is not None else None
        for record in cap_records.opinion_records(case, case_id, url=url, html=texts, html_url=html_url):
            self._opinion(crawl, f"{rel}:{record.ordinal}", case_id, record.text, record.text_format,
                          record.text_field, meta.get("url") or record.url or url, own_meta, counts,
                          type_=record.type, author=record.author, ordinal=record.ordinal)

    def _cap_articles(self, crawl: Crawl, path: Path, rel: str, case: dict[str, Any], html: Path) -> list[str] | None:
        """Each opinion's article from the case's HTML file (`html`, where CAP's exporter puts it),
        or None, said in one line naming the file, when the JSON text is to be stored instead.

        The file passes the checks every file of the folder passes: it must lie inside the folder
        given (for a case file given on its own, its volume folder) and be no larger than
        `max_file_mb`."""
        opinions = cap_records.opinions_with_text(case)
        if opinions is None:
            return None  # no text to store either way
        folder = self._listed.get(path)
        if folder is not None:
            boundary = self._roots[path]
            where = html.relative_to(folder).as_posix() if html.is_relative_to(folder) else str(html)
        else:  # a case file given on its own: its volume folder holds the HTML file
            boundary, where = path.parent.parent.resolve(), str(html)
        why = self._html_problem(html, boundary)
        if why is None:
            try:
                text = cap_html.decode(html.read_bytes())
            except OSError as exc:
                text, why = None, f"cannot be read ({_reason(exc)})"
            else:
                texts = cap_html.opinion_html(text, opinions) if text is not None else None
                if texts is not None:
                    return texts
                why = "is not UTF-8" if text is None else "holds opinions that do not match the case JSON's"
        crawl.report(f"local: {rel}: its HTML file {where} {why}; its opinions are stored from the JSON text, "
                     "with the footnotes after each opinion")
        return None

    def _html_problem(self, html: Path, boundary: Path) -> str | None:
        """Why a case's HTML file is not read (missing, outside the folder, too large), or None."""
        if not html.exists() and not html.is_symlink():
            return "is missing"
        if not _inside(html, boundary):
            return f"lies outside {boundary} (a symbolic link to {os.path.realpath(html)}) and is not read"
        try:
            if not html.is_file():
                return "is not a file"
            too_large = self._too_large(html)
        except OSError as exc:
            return f"cannot be read ({_reason(exc)})"
        return None if too_large is None else f"is not read: {too_large}"

    def _cl_opinion(self, crawl: Crawl, rel: str, opinion: dict[str, Any], meta: dict[str, Any], url: str,
                    clusters: dict[int, dict[str, Any]], counts: HarvestCounts) -> None:
        cluster_id = opinion.get("cluster_id")
        cluster = clusters.get(cluster_id, {}) if isinstance(cluster_id, int) else {}
        citations = [
            (clean_cite(f"{c.get('volume')} {c.get('reporter')} {c.get('page')}"), "reporter")
            for c in cluster.get("citations", []) if isinstance(c, dict) and c.get("reporter")
        ]
        key = meta.get("case") or (f"courtlistener-cluster-{cluster_id}" if cluster_id else rel)
        case_id = self._case(
            crawl, key, meta, cluster.get("case_name") or opinion.get("case_name") or rel, url, counts, citations,
            decision_date=cluster.get("date_filed"),
        )
        # The opinion's facts as the API harvester reads them; its id and URL are the file's.
        record = courtlistener_records.opinion_record(
            {"id": None, **opinion}, case_id, api_url=courtlistener_records.API_URL,
            ordinal=int(opinion.get("ordering_key") or 0), per_curiam=bool(opinion.get("per_curiam")),
        )
        if record is not None:  # _store sends only opinions with a text
            self._opinion(crawl, rel, case_id, record.text, record.text_format, record.text_field, url, meta,
                          counts, type_=record.type, author=record.author, ordinal=record.ordinal)


#: `_load`'s answer for a file it could not read (None is a JSON file's content).
_UNREAD = object()


def _is_cap_case(kind: str, content: Any) -> bool:
    return kind == "json" and isinstance(content, dict) and "casebody" in content


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _outside_message(path: Path, real_root: Path) -> str:
    return (f"its real path lies outside {real_root} (a symbolic link to {os.path.realpath(path)}); "
            "not imported. Copy the file into the folder to import it")


def _reason(exc: BaseException) -> str:
    """An exception as a short reason ("JSONDecodeError: Expecting value: line 1 column 1")."""
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def _sidecar(path: Path, real_root: Path | None = None) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR)
    if not sidecar.exists():
        return {}
    if not _inside(sidecar, real_root or path.parent.resolve()):
        raise ValueError(f"its sidecar {sidecar.name} lies outside the folder (a symbolic link)")
    value = json.loads(sidecar.read_text(encoding="utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"{sidecar.name} must hold a JSON object")
    for key, item in value.items():
        expected = SIDECAR_KEYS.get(key)
        if expected is None:
            continue  # unknown keys are the researcher's own notes
        if expected is list:
            if not isinstance(item, list) or not all(isinstance(c, str) for c in item):
                raise ValueError(f"{sidecar.name}: {key!r} must be a list of strings")
        elif item is not None and (isinstance(item, bool) or not isinstance(item, expected)):
            raise ValueError(f"{sidecar.name}: {key!r} must be {'a whole number' if expected is int else 'a string'}")
    return value


#: Sidecar keys and their types (see the module docstring).
SIDECAR_KEYS: dict[str, type] = {
    "case": str, "name": str, "citations": list, "court_id": str, "court": str, "decision_date": str,
    "docket_number": str, "type": str, "author": str, "ordinal": int, "url": str, "depth": int,
}
