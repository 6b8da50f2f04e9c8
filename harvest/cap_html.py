"""A CAP case's HTML file cut into its opinions, each with its own footnotes.

CAP's case JSON drops every footnote mark from `casebody.opinions[].text` and appends the notes,
unnumbered, after the opinion, so a note cannot be read where its number stands. The HTML file of
the same case (`html/<file_name>.html`) keeps both: each opinion is an
`<article class="opinion" data-type="...">` holding its paragraphs, its marks
(`<a class="footnotemark" href="#footnote_1_2">2</a>`) and, after the text, its notes
(`<aside class="footnote" data-label="2" id="footnote_1_2">`). Shapes:
../shared/reference/cap-static.md, section 5.

`opinion_html` returns one HTML text per opinion, in order, or None when the file's opinions do not
line up with the JSON's (another count, another type in some place): the caller then keeps the
JSON text. A note that sits outside every article (rare: the exporter puts an opinion's notes inside
its article) goes with the article that holds its mark. The HTML is kept as the source sent it;
it is untrusted and is sanitised where it is shown, like every stored opinion HTML.

Pure: bytes in, texts out; the harvester and the bulk reader do the fetching.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

#: An opening or closing <article> tag (any attributes), found in one pass.
_ARTICLE_TAG = re.compile(r"<(/?)article\b([^>]*)>", re.I)
#: An opening or closing <aside> tag: a footnote runs from one to the other.
_ASIDE_TAG = re.compile(r"<(/?)aside\b([^>]*)>", re.I)
_ATTR = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)')"""


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(_ATTR.format(re.escape(name)), attrs, re.I)
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))


def decode(data: bytes) -> str | None:
    """The file's text, or None when it is not UTF-8 (CAP writes UTF-8; anything else is not its file)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _outermost(tag: re.Pattern[str], html: str, keep: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, attributes) of each outermost element whose opening `tag` (group 1 "/" when
    closing, group 2 the attributes) `keep` accepts; tags are paired in one pass, and an element
    left open (a truncated file) is not returned. An outermost tag `keep` refuses is passed over
    and not counted."""
    found: list[tuple[int, int, str]] = []
    depth, start, attrs = 0, 0, ""
    for m in tag.finditer(html):
        if m.group(1) != "/":
            if depth == 0:
                if not keep(m.group(2)):
                    continue
                start, attrs = m.start(), m.group(2)
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                found.append((start, m.end(), attrs))
    return found


def articles(html: str) -> list[tuple[int, int, str]]:
    """(start, end, data-type) of each top-level `<article class="opinion">`, in file order.

    Tags are counted, so an article inside an article stays part of the outer one; an article of
    another class is not an opinion, and an article left open (a truncated file) is not returned.
    """
    def is_opinion(attrs: str) -> bool:
        return "opinion" in (_attr(attrs, "class") or "").split()

    return [(a, b, _attr(attrs, "data-type") or "") for a, b, attrs in _outermost(_ARTICLE_TAG, html, is_opinion)]


#: A link to a place in the same file (a footnote mark's href).
_LOCAL_LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']#([^"']+)["']""", re.I)


def _stray_notes(html: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(index of the article holding its mark, note) for each footnote aside outside every article.

    The links of every article are read once, so the cost is one pass over the file."""
    strays = [(a, b, attrs) for a, b, attrs in _outermost(_ASIDE_TAG, html, lambda attrs: True)
              if not any(s <= a < e for s, e, _ in spans) and "footnote" in (_attr(attrs, "class") or "")]
    if not strays:
        return []
    holder: dict[str, int] = {}
    for i, (a, b, _) in enumerate(spans):
        for link in _LOCAL_LINK.finditer(html, a, b):
            holder.setdefault(link.group(1), i)
    out: list[tuple[int, str]] = []
    for a, b, attrs in strays:
        i = holder.get(_attr(attrs, "id") or "")
        if i is not None:
            out.append((i, html[a:b]))
    return out


def opinion_html(html: str, opinions: Sequence[Any]) -> list[str] | None:
    """One HTML text per entry of `casebody.opinions`, in order, or None when they do not match.

    They match when the file has exactly as many opinion articles as the JSON has opinions and
    each article's `data-type` is the type of the JSON opinion in its place.
    """
    spans = articles(html)
    if len(spans) != len(opinions) or not spans:
        return None
    for (_, _, kind), opinion in zip(spans, opinions):
        if not isinstance(opinion, dict) or kind != str(opinion.get("type") or ""):
            return None
    texts = [html[a:b] for a, b, _ in spans]
    for i, note in _stray_notes(html, spans):
        texts[i] += "\n" + note
    return texts
