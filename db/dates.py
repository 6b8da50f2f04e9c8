"""Dates as researchers type them into the site's forms: ISO days and a few plain-English phrases.

`new_since` used to compare whatever was typed with run timestamps as strings, so `12/05/2026`
matched every row and `yesterday` none, without a word. `parse_day` reads what it can and says
None for the rest, so the page can answer with a message. The site registers it as the SQL
function `citator_date(text)` (db/web/plugins/citator_site.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: What the forms accept, in words for the message shown when a date cannot be read.
ACCEPTED = "a date as YYYY-MM-DD (2026-11-01), today, yesterday, 7 days ago, 2 weeks ago, 3 months ago, last week, last month or last year"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_AGO = re.compile(r"(\d{1,4})\s+(day|week|month|year)s?\s+ago$")
_LAST = re.compile(r"last\s+(week|month|year)$")


def _months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _back(today: date, count: int, unit: str) -> date:
    if unit == "day":
        return today - timedelta(days=count)
    if unit == "week":
        return today - timedelta(weeks=count)
    return _months_back(today, count * (12 if unit == "year" else 1))


def parse_day(text: str | None, today: date | None = None) -> str | None:
    """The day `text` names, as YYYY-MM-DD, or None when it names none (empty text included)."""
    if not isinstance(text, str):  # `citator_date(5)` in a visitor's SQL: no day, not an error
        return None
    words = " ".join(text.strip().lower().split())
    if not words:
        return None
    today = today or date.today()
    if words == "today":
        return today.isoformat()
    if words == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    iso = _ISO.match(words)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat()
        except ValueError:
            return None
    ago = _AGO.match(words)
    if ago:
        try:
            return _back(today, int(ago.group(1)), ago.group(2)).isoformat()
        except (ValueError, OverflowError):
            return None
    last = _LAST.match(words)
    if last:
        return _back(today, 1, last.group(1)).isoformat()
    return None


def register(conn) -> None:
    """Make `citator_date(text)` (parse_day) available to SQL on `conn`, as the site's queries use it."""
    conn.create_function("citator_date", 1, parse_day)
