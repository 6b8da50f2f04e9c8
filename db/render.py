"""Turning harvested text into safe HTML: escaping, sanitizing and highlighting references.

Opinion HTML and the contexts cut from it come from outside sources, so nothing from them reaches a
page as live markup: plain text is escaped; opinion HTML goes through nh3 with a small allow-list;
highlights are added with private-use sentinel characters that survive sanitizing as text and only
then become <mark> elements, so a highlight can never smuggle markup in.
"""

from __future__ import annotations

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


def highlight_text(text: str | None, needles: Iterable[str]) -> Markup:
    """Escape plain `text` and mark each occurrence of every needle (e.g. the reference as written)."""
    if not text:
        return Markup("")
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    spans: list[tuple[int, int]] = []
    for needle in {n for n in needles if n}:
        start = text.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = text.find(needle, start + len(needle))
    out: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue  # overlapping needles: keep the first
        out.append(str(escape(text[cursor:start])))
        out.append('<mark class="ref">' + str(escape(text[start:end])) + "</mark>")
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


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
