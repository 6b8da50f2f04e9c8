"""Pin cites read as the pages they cover, for counting what a seed is cited for.

`1139-41` cites pages 1139, 1140 and 1141, and a reader asking "what is page 1140 cited for" wants
it counted there, not in a bin of its own beside `1140-41`. Courts write ranges with a hyphen or an
en or em dash, drop the shared leading digits of the second number (`1139-41`), and list several
pins with commas or `&` (`272-275, 315`, `535-36 & n.33`). A footnote pin (`307 n.18`) and a star
page (`*3`) are kept as written: they name a finer place than a page.
"""

from __future__ import annotations

import json
import re

NO_PIN = "(no pin)"
#: Longest range expanded page by page; a longer one is most likely a typo and is kept as written.
MAX_RANGE = 100

_DASHES = re.compile(r"\s*[-\u2010-\u2015]+\s*")
_RANGE = re.compile(r"(\d+)-(\d+)$")
_FOOTNOTE_ONLY = re.compile(r"(?:nn?\.?|notes?)\s*\d+", re.I)


def _expand(part: str) -> list[str]:
    match = _RANGE.match(part)
    if not match:
        return [part]
    first, last_written = match.group(1), match.group(2)
    last_text = first[: max(len(first) - len(last_written), 0)] + last_written
    start, end = int(first), int(last_text)
    if end < start or end - start > MAX_RANGE:
        return [part]
    return [str(page) for page in range(start, end + 1)]


def pin_pages(pin: str | None) -> list[str]:
    """The pages (or finer places) `pin` cites, in order, each once; `(no pin)` when it is empty."""
    text = (pin or "").strip()
    if not text:
        return [NO_PIN]
    text = _DASHES.sub("-", text)
    parts = [p.strip() for p in re.split(r"[,&;]", text) if p.strip()]
    pages: list[str] = []
    for part in parts:
        if _FOOTNOTE_ONLY.fullmatch(part) and pages:
            continue  # "303-304, n. 10": the note is on the pages already counted
        for page in _expand(part):
            if page not in pages:
                pages.append(page)
    return pages or [text]


def pin_pages_json(pin: str | None) -> str:
    """pin_pages as a JSON list, for SQLite's json_each (registered as `citator_pin_pages`)."""
    return json.dumps(pin_pages(pin))


def register(conn) -> None:
    """Make `citator_pin_pages(pin)` available to SQL on `conn` (the summary rebuild uses it)."""
    conn.create_function("citator_pin_pages", 1, pin_pages_json, deterministic=True)
