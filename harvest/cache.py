"""An on-disk cache of successful HTTP answers, so a rerun does not download unchanged documents again.

CourtListener's free tier allows about 125 requests a day, and a CAP scan reads thousands of volume
listings; both make a second download of the same document a real cost. Each cached answer is two
files under the cache directory, named by the SHA-256 of the URL (query string included, headers
excluded, so a token can never be part of a key or of a file): `<key>.json` with the URL, when it
was stored and the validators (ETag, Last-Modified) for conditional requests, and `<key>.body.gz`
with the body, gzip-compressed (JSON listings shrink about tenfold).

Only 2xx answers whose body the caller accepted are stored (see `HttpClient`); errors, 429s and
malformed bodies never are. Files are written to a temporary name and renamed, so a harvest killed
while writing leaves either the old entry or the new one, never half of one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from citator.db.scrub import scrub_url


@dataclass
class CachedAnswer:
    """A stored answer: its body, when it was stored (epoch seconds) and its validators."""

    url: str
    body: bytes
    stored_at: float
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    def age(self) -> float:
        return time.time() - self.stored_at


class ResponseCache:
    """Keyed files under `directory`; safe to share between runs, not between machines."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = self.key(url)
        folder = self.directory / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body.gz"

    def get(self, url: str) -> CachedAnswer | None:
        """The stored answer for `url`, or None (also when the entry is unreadable)."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = gzip.decompress(body_path.read_bytes())
        except (OSError, ValueError, EOFError):
            return None
        if meta.get("url") != scrub_url(url) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        return CachedAnswer(
            url=url,
            body=body,
            stored_at=float(meta.get("stored_at", 0)),
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            content_type=meta.get("content_type"),
        )

    def put(self, url: str, body: bytes, *, etag: str | None = None, last_modified: str | None = None,
            content_type: str | None = None) -> None:
        meta_path, body_path = self._paths(url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(body_path, gzip.compress(body, compresslevel=6))
        meta = {
            "url": scrub_url(url),  # for people reading the cache; the key is the hash of the real URL
            "stored_at": time.time(),
            "sha256": hashlib.sha256(body).hexdigest(),
            "etag": etag,
            "last_modified": last_modified,
            "content_type": content_type,
        }
        _atomic_write(meta_path, json.dumps(meta).encode("utf-8"))

    def touch(self, url: str) -> None:
        """Mark an entry fresh again (after a 304 Not Modified)."""
        cached = self.get(url)
        if cached is not None:
            self.put(url, cached.body, etag=cached.etag, last_modified=cached.last_modified,
                     content_type=cached.content_type)

    def delete(self, url: str) -> None:
        for path in self._paths(url):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
