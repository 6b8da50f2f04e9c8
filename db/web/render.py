"""Turning harvested text into safe HTML: escaping, sanitizing and highlighting references.

Opinion HTML and the contexts cut from it come from outside sources, so nothing from them reaches a
page as live markup: plain text is escaped; opinion HTML goes through nh3 with a small allow-list;
highlights are added with private-use sentinel characters that survive sanitizing as text and only
then become <mark> elements, so a highlight can never smuggle markup in.
"""

from __future__ import annotations

import html
import json
import re
from typing import Iterable

import nh3
from markupsafe import Markup, escape

#: Tags an opinion may keep: structure and emphasis only. No attributes survive but a link's href.
ALLOWED_TAGS = {
    "p", "br", "div", "span", "blockquote", "pre", "em", "i", "b", "strong", "u", "sup", "sub",
    "small", "ol", "ul", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "td", "th", "a", "center", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(_OPEN + "([^" + _OPEN + _CLOSE + "<>]*)" + _CLOSE)


def sanitize_html(html: str) -> Markup:
    """Opinion HTML reduced to the allow-list; scripts, handlers and styles are dropped."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)


def _apply_marks(safe_html: str) -> Markup:
    """Replace sentinel pairs with <mark>; drop any sentinel left unpaired by sanitizing."""
    marked = _MARKED.sub(lambda m: '<mark class="ref">' + m.group(1) + "</mark>", safe_html)
    return Markup(marked.replace(_OPEN, "").replace(_CLOSE, ""))


def needle_pattern(needle: str) -> re.Pattern[str] | None:
    """A reference as written, matched whatever whitespace separates its words: a cite wrapping
    across a line (`176 F.3d\n1132`) is the same cite as `176 F.3d 1132`."""
    words = needle.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _common_tail(a: str, b: str) -> int:
    """How many non-space characters `a` and `b` share at their ends (whitespace ignored)."""
    x, y = "".join(a.split())[-200:], "".join(b.split())[-200:]
    n = 0
    while n < min(len(x), len(y)) and x[-1 - n] == y[-1 - n]:
        n += 1
    return n


def locate(text: str, needle: str, before: str | None = None) -> tuple[int, int] | None:
    """Where reference `needle` sits in `text` (a paragraph or sentence): when it occurs more than
    once (a case name repeated), the occurrence whose preceding words best match `before`, the text
    just before the reference in the opinion. None when it does not occur."""
    pattern = needle_pattern(needle)
    if pattern is None:
        return None
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    if len(matches) == 1 or not before:
        return matches[0].span()
    return max(matches, key=lambda m: (_common_tail(text[:m.start()], before), -m.start())).span()


def mark_spans(text: str | None, spans: Iterable[tuple[int, int]]) -> Markup:
    """Escape plain `text` and mark the given character spans (overlaps keep the first)."""
    if not text:
        return Markup("")
    out: list[str] = []
    cursor = 0
    for start, end in sorted(set(spans)):
        if start < cursor or start >= end or end > len(text):
            continue
        out.append(str(escape(text[cursor:start])))
        out.append('<mark class="ref">' + str(escape(text[start:end])) + "</mark>")
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


def highlight_text(text: str | None, needles: Iterable[str]) -> Markup:
    """Escape plain `text` and mark each occurrence of every needle (e.g. the reference as written),
    whatever whitespace separates the needle's words in the text."""
    if not text:
        return Markup("")
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    spans: list[tuple[int, int]] = []
    for needle in {n for n in needles if n}:
        pattern = needle_pattern(needle)
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(text)]
    return mark_spans(text, spans)


_TAG = re.compile(r"<[^>]*>")


def plain_before(text: str, start: int, text_format: str | None, room: int = 400) -> str:
    """The plain words just before offset `start` of an opinion's stored text (tags dropped,
    entities decoded), to tell apart repeated occurrences of a reference in its paragraph."""
    chunk = text[max(0, start - room):start]
    if (text_format or "text") in ("html", "xml"):
        close = chunk.find(">")
        if close != -1 and (chunk.find("<") == -1 or close < chunk.find("<")):
            chunk = chunk[close + 1:]  # the cut fell inside a tag
        chunk = html.unescape(_TAG.sub(" ", chunk))
    return chunk


def safe_href(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a link's target comes from outside sources,
    and `javascript:` or `data:` must never become one."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    scheme = candidate.split(":", 1)[0].lower() if ":" in candidate else ""
    if scheme in ("http", "https") and candidate[len(scheme):].startswith("://"):
        return candidate
    return None


def json_as_text(value: str | None) -> str | None:
    """A JSON column (a list of cues, a seed's history) as plain words: list items joined with '; ',
    objects as 'key: value'. None when the value is not JSON."""
    if not isinstance(value, str) or not value.strip().startswith(("[", "{")):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None

    def words(item: object) -> str:
        if isinstance(item, dict):
            return ", ".join(f"{k}: {words(v)}" for k, v in item.items() if v not in (None, ""))
        if isinstance(item, list):
            return "; ".join(words(v) for v in item)
        return str(item)

    return words(data)


def clipped(content: Markup, plain_length: int, summary: Markup | None = None, limit: int = 180) -> Markup:
    """Long cell text shown clipped, with an expander revealing the whole (no script: <details>)."""
    if plain_length <= limit:
        return content
    head = summary if summary is not None else Markup("")
    return Markup('<details class="clip"><summary>{}</summary><div class="clip-full">{}</div></details>').format(head, content)


def highlight_opinion(text: str | None, text_format: str | None, spans: Iterable[tuple[int, int]]) -> Markup:
    """An opinion's text as safe HTML with the given character spans marked.

    Spans are offsets into the stored text. A span that crosses a tag cannot be marked without
    re-balancing markup, so it is left unmarked rather than risk broken or unsafe output.
    """
    if not text:
        return Markup("")
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(set(spans)):
        if start < cursor or end > len(text) or start >= end or "<" in text[start:end] or ">" in text[start:end]:
            continue
        pieces += [text[cursor:start], _OPEN, text[start:end], _CLOSE]
        cursor = end
    pieces.append(text[cursor:])
    joined = "".join(pieces)
    if (text_format or "text") in ("html", "xml"):
        return _apply_marks(str(sanitize_html(joined)))
    return _apply_marks(str(escape(joined)))
