"""Read the parts of a citation clause that eyecite leaves to us: the case name before a cite,
pin pages, the court/date parenthetical, explanatory parentheticals, subsequent history and the
introductory signal.

All functions work on the *working text* of `citations.text` (one space per whitespace run), so
their regexes can use single spaces; offsets are working-text offsets.
"""

from __future__ import annotations

import re

from citator.citations import signals
from citator.citations.names import CASE_ABBREVIATIONS, DECISION_NUMERAL

__all__ = [
    "case_name_start",
    "parse_pin",
    "normalize_pin",
    "court_parenthetical_end",
    "read_parentheticals",
    "parenthetical_text",
    "signal_before",
    "subsequent_history",
    "PIN",
]

#: A page, or a range of pages; a Westlaw star page may be typed with a space ("at * 4").
_PIN_ITEM = r"(?:\* ?)?\d+(?:\s?[-–—]\s?(?:\* ?)?\d+)?"
#: A note reference, with the further notes it lists ("nn. 4, 5", "n.7 & 9"); a number with a range
#: after it is a page again ("99 n.3, 104-05"), read by PIN's next item.
_NOTE = r"(?:\s?,?\s?(?:&\s?)?nn?\.\s?\d+(?:\s?[-–]\s?\d+)?(?:\s?(?:,|&)\s?\d+(?![-–—\d]))*)"
#: One or more pin pages, with footnote references: "303–304, n. 10", "535-36 & n.33", "*3".
PIN = rf"{_PIN_ITEM}{_NOTE}?(?:\s?,\s?(?!\d{{4}}\s(?:WL|U\.|LEXIS))(?:{_PIN_ITEM}){_NOTE}?)*(?:\s?&\s?nn?\.\s?\d+(?:\s?[-–]\s?\d+)?)?"
_PIN_RE = re.compile(PIN)

#: Words that may start a case name but are prose or signals when they stand first.
_LEADERS = {
    "in",
    "see",
    "also",
    "but",
    "cf.",
    "accord",
    "compare",
    "under",
    "and",
    "contra",
    "e.g.,",
    "e.g.",
    "following",
    "citing",
    "quoting",
    "like",
    "unlike",
    "as",
    "after",
    "before",
    "since",
    "although",
    "while",
    "because",
    "thus",
    "moreover",
    "however",
    "with",
    "applying",
    "from",
    "to",
    "by",
    "of",
    "the",
    "on",
    "for",
    "at",
    "via",
    "per",
    "is",
    "was",
    "generally",
    "then",
    "here",
    "there",
    "when",
    "where",
    "this",
    "that",
    "these",
    "those",
    "our",
    "its",
    "their",
}
_NAME_CONNECTORS = {
    "v.",
    "v",
    "vs.",
    "of",
    "the",
    "and",
    "&",
    "ex",
    "rel.",
    "for",
    "de",
    "la",
    "del",
    "du",
    "von",
    "van",
    "on",
    "to",
    "in",
    "re",
    "a",
    "an",
    "et",
    "al.",
    "d/b/a",
    "y",
    "da",
}
_SIGNAL = re.compile(
    rf"(?:^|(?<=[\s(;:,.\]\"”’—]))(?P<signal>{signals.INTRODUCTORY_WITH_EXAMPLES}|{'|'.join(signals.PARENTHETICAL)})\s?,?\s?[\[\"“‘]?$",
    re.I,
)
_HISTORY = re.compile(
    r"^,\s?(?P<phrase>(?:(?:aff'd|rev'd|vacated|modified|withdrawn|superseded|overruled|"
    r"reh'g|cert\.|opinion withdrawn|appeal dismissed|aff’d|rev’d|reh’g|"
    r"aff'g|rev'g|amended|dismissed|remanded|on reh'g|on remand)[^;()]{0,120}?,\s?)+)"
    r"(?=\d{1,4}\s)",
    re.I,
)


#: Suffixes a business name carries after a comma: "AmSouth Bank, N.A.", "Airlines, Inc.".
_CORPORATE_SUFFIX = re.compile(
    r"(?:Inc|Co|Corp|Ltd|N\.A|L\.L\.C|LLC|L\.P|LP|LLP|L\.L\.P|P\.C|P\.A|S\.A|PLC|plc|Cos|Bros)\.?"
    r"|et al\.|al\.|et",
)


def _token_before(text: str, pos: int) -> tuple[int, str] | None:
    """The whitespace-separated token ending just before `pos` (skipping one space)."""
    end = pos
    while end > 0 and text[end - 1] == " ":
        end -= 1
    if end == 0:
        return None
    start = text.rfind(" ", 0, end) + 1
    return start, text[start:end]


#: Capitalised words that open prose or name things in English; a lower-case word after one is
#: the next word of the sentence ("In sum,", "On appeal,", "The Court noted,"), not the rest of a
#: surname whose accented letter the text lost.
_ENGLISH_HEADS = frozenset(
    "a an and as at after before but by during even ever for from he i if in it its of on once our "
    "over she since simply so that the there these they this to we without act board circuit court "
    "federal state states see cf accord compare contra".split()
)

#: English words a lower-case fragment of a name could be taken for ("Act rule", "Court noted").
_ENGLISH_TAILS = frozenset(
    "a an and are as be is no so was one once on in into own also alone none since case cases "
    "courts facts rights times issues rules time rule more here there where then than when even "
    "again upon often ones those these else "
    # what a party does, said right after its name ("Verdugo cites", "Kimball relies on")
    "adds admits argues asks cites claims does goes makes notes points relies says seeks sees "
    "takes urges uses came come done gone made gave give take taken seen been "
    # particles of Spanish and Portuguese names, which stay words of their own ("See de Casenave")
    "da das de del do dos e la las los y".split()
)

#: The rest of a Spanish or Portuguese surname after its lost accented letter: a few letters that
#: end as those surnames do ("Rodr guez", "Su rez", "Pab n", "Londo o", "Cort s").
_SURNAME_TAIL = re.compile(r"[a-z]{0,5}[zsnoae]")
_LOWER_RUN = re.compile(r"[a-z]+")


def _lost_letter_head(text: str, start: int) -> tuple[int, str] | None:
    """The capitalised fragment right before the lower-case token at `start`, when the two are
    one surname whose accented letter plain text dropped and left a single space in its place
    ("Aponte-Su rez", "Rodr guez-Morales", "G mez-Pab n"); else None. The working text has one
    space for any whitespace, so a line break between the fragments is not seen here: the stop
    lists keep prose apart instead."""
    if start < 1 or text[start - 1] != " ":
        return None
    tail = _LOWER_RUN.match(text, start)  # matched in place: slicing here made long opinions quadratic
    if tail is None or not _SURNAME_TAIL.fullmatch(tail.group(0)) or tail.group(0) in _ENGLISH_TAILS:
        return None
    after = text[tail.end() : tail.end() + 1]
    if after.isalpha() or after in ("'", "’", "."):
        return None  # the fragment must end a word or a hyphenated part
    before = _token_before(text, start - 1)
    if before is None:
        return None
    head = re.split(r"[-–]", before[1])[-1]
    if not re.fullmatch(r"[A-Z][a-z]{0,7}", head) or head.lower() in _ENGLISH_HEADS:
        return None
    return before


def _name_token_before(text: str, pos: int) -> tuple[int, str] | None:
    """`_token_before` for a case name, reading a surname split by a lost accented letter as one
    word ("Aponte-Su rez," is one token, "G mez-Pab n" too)."""
    tok = _token_before(text, pos)
    while tok is not None:
        start, token = tok
        if not token[:1].islower():
            return tok
        head = _lost_letter_head(text, start)
        if head is None:
            return tok
        tok = (head[0], text[head[0] : start + len(token)])
    return tok


#: Signals that open a citation sentence, capitalised after a sentence the name walk may not see end
#: ("Rule C. See United States v. ...": "C." reads as an initial).
_OPENING_SIGNALS = {"see", "see,", "cf.", "accord", "accord,", "compare", "contra"}

#: An amount of money, as in rem forfeiture cases name what was seized ("$3,817.49", "$38,000.00").
_AMOUNT = re.compile(r"\$\d{1,3}(?:,\d{3})*(?:\.\d{2})?")


def _numbers_a_thing(token: str, right: list[tuple[int, str]]) -> bool:
    """Whether a bare number inside a case name counts a thing, as in rem cases name property
    ("United States v. 1 Street A-1", "One 1987 27 Foot Boston Whaler", "116 Emerson St."): no
    comma after it (a page before a parallel cite has one: "438 U.S. 265, 98 S. Ct.") and a
    capitalised word of the name right after it."""
    if token.endswith(",") or not right:
        return False
    following = right[-1][1].rstrip(",")
    if following.lower() in _NAME_CONNECTORS or following in ("Cir.", "Cir"):
        return False  # "Pan American World Airways, Inc., 2 Cir., 229 F.2d 499": the old court form
    if re.fullmatch(r"(?:[A-Z]\.){2,}[A-Z]*\.?\)?\.?", following):
        return False  # a code's title ("21 U.S.C.", "8 C.F.R."), not a thing a case is named after
    return following[:1].isupper()


def _is_name_token(token: str) -> bool:
    bare = token.rstrip(",")
    if not bare:
        return False
    if bare.lower() in _NAME_CONNECTORS:
        return True
    if re.fullmatch(r"\d{1,4}(?:[-–]\d{1,4})?", bare):
        return True  # "Local No. 1"; street numbers in a trust's name: "Fairfield 274-278 Clarendon Trust"
    if _AMOUNT.fullmatch(bare):
        return True  # an in rem case names the money seized: "United States v. $38,570 U.S. Currency"
    first = bare.lstrip("(\"“‘'[")
    if not first:
        return False
    return first[0].isupper()


def _ends_sentence(token: str) -> bool:
    """A token ending in "." that is not a known case-name abbreviation or an initial."""
    bare = token.rstrip(",")
    if not bare.endswith("."):
        return bool(re.search(r"[;:!?)\]\"”]$", bare))
    core = bare[:-1].lower().replace("’", "'")
    if len(core) <= 2 or "." in core:
        return False  # "J.", "Co", "U.S."
    return core not in CASE_ABBREVIATIONS


#: An official sued by title, then the body the official heads, after a comma: "Evans v.
#: Commissioner, Maine Dep't of Human Servs.", "Smith v. Secretary, Dep't of Health", "Doe v.
#: Superintendent, Mass. Corr. Inst.".
_OFFICIAL_TITLES = frozenset(
    """commissioner secretary director superintendent warden administrator sheriff commandant
    chairman chairperson governor mayor treasurer comptroller commissioners""".split()
)


def _official_of_body(text: str, start: int, token: str) -> bool:
    """Whether `token` (ending in a comma) is an official's title right after the "v." of a case
    name, the comma then running on to the body the official heads."""
    if token.rstrip(",").lower() not in _OFFICIAL_TITLES:
        return False
    before = _token_before(text, start)
    return before is not None and before[1].lower() in ("v.", "vs.")


#: Words that end a firm's name after "and" ("R.A. Weaver and Associates, Inc.", "Smith and Sons"):
#: the "and" joins the firm's own name, not two case names.
_FIRM_WORDS = frozenset({"associates", "assocs.", "sons", "son", "co.", "company", "partners", "daughters"})


def _partner_list(text: str, start: int, tokens: list[tuple[int, str]]) -> bool:
    """Whether a comma sits inside a firm named for its partners, on the far side of a "v."
    ("Page v. Moseley, Hallgarten, Estabrook & Weeden, Inc.", "Sevinor v. Merrill Lynch, Pierce,
    Fenner & Smith, Inc."): the words read so far hold the "&" that closes the list, and walking
    on over capitalised words (a comma after each or not) reaches the "v." within a few words."""
    if not any(t in ("&", "&amp;") for _s, t in tokens):
        return False
    pos = start
    for _ in range(5):
        tok = _token_before(text, pos)
        if tok is None:
            return False
        if tok[1] in ("v.", "vs."):
            return True
        if not re.fullmatch(r"[A-Z][\w'.-]*,?", tok[1]):
            return False
        pos = tok[0]
    return False


#: Words that open a sentence before a comma and are no partner's name ("Later, Smith & Co., ...").
_SENTENCE_OPENERS = frozenset("later earlier first second third finally again still today indeed yet now".split())


def _partner_firm_named(token: str, tokens: list[tuple[int, str]]) -> bool:
    """Whether the comma after `token` sits inside a firm named for its partners that is cited by
    that name alone, with no "v." ("D'Oench, Duhme & Co., 315 U.S. at 460", "Sears, Roebuck & Co.,
    376 U.S. at 230"): the words read so far (right to left) are a capitalised name, the "&" and
    the firm's word ("Co.", "Sons") that close the list of partners; `token` is a capitalised
    word that no sentence opens with."""
    words = [t.rstrip(",") for _s, t in reversed(tokens)]
    if len(words) < 3 or words[1] not in ("&", "&amp;") or words[2].lower() not in _FIRM_WORDS:
        return False
    if not (words[0][:1].isupper() and all(w[:1].isupper() or w in ("&", "&amp;") for w in words)):
        return False
    word = token.rstrip(",").lower()
    return token[:1].isupper() and word not in _LEADERS and word not in _SENTENCE_OPENERS and not word.endswith("ly")


def _suffix_follows(tokens: list[tuple[int, str]]) -> bool:
    """Whether the words right after a comma, up to the next comma (`tokens` holds the name's
    words read so far, right to left), are corporate suffixes: "Bank, N.A." or "Inc.," of
    "Carter-Wallace, Inc., Sec. Litig."."""
    run = []
    for _start, token in reversed(tokens):
        run.append(token)
        if token.endswith(","):
            break
    return bool(run) and all(_CORPORATE_SUFFIX.fullmatch(t.rstrip(",")) for t in run)


#: A label a court gives a decision in parentheses after its name, to tell it from others of the
#: same litigation: "(Acevedo-Feliciano IV)", "("Kodak")".
LABEL = re.compile(
    r"\((?:[\"“](?P<quoted>[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3})[\"”]"
    r"|(?P<numbered>[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3} " + DECISION_NUMERAL + r"))\)"
)


def _label_before(text: str, comma: int) -> tuple[int, str] | None:
    """(where it opens, its first word in lower case) for a label in parentheses that ends right
    before the comma at `comma` ("... Ruiz-Hernández (Acevedo-Feliciano IV), 447 F.3d"), else None."""
    if comma < 4 or text[comma - 1] != ")":
        return None
    opening = text.rfind("(", max(0, comma - 60), comma - 1)
    if opening <= 0 or text[opening - 1] != " ":
        return None
    m = LABEL.fullmatch(text, opening, comma)
    if m is None:
        return None
    words = (m.group("quoted") or m.group("numbered")).split()
    return opening - 1, words[0].lower()


def case_name_start(text: str, cite_start: int, *, max_tokens: int = 16) -> int | None:
    """Where the case name before a reporter cite begins ("Bakke, 438 U. S., at 305"), or None.

    The name must sit right before the cite, followed by a comma. We walk back word by word over
    capitalised words and name connectors ("v.", "of", "ex rel.") and stop at prose, sentence
    ends and signals; leading prose words ("In", "See") are dropped. A name made of corporate
    suffixes only ("Inc.") is no name.
    """
    end = cite_start  # walked back over spaces in place: slicing the text before every cite
    while end > 0 and text[end - 1] == " ":  # made long opinions quadratic
        end -= 1
    if end == 0 or text[end - 1] != ",":
        return None
    pos = end - 1  # the comma
    label = _label_before(text, pos)
    if label is not None:
        pos = label[0]  # "Acevedo-Feliciano v. Ruiz-Hernández (Acevedo-Feliciano IV), 447 F.3d 115"
    tokens: list[tuple[int, str]] = []
    while len(tokens) < max_tokens:
        tok = _name_token_before(text, pos)
        if tok is None:
            break
        start, token = tok
        if len(tokens) >= 2 and tokens[-1][1].lower() == "in" and tokens[-2][1].lower() == "re":
            break  # "In re" opens a name: "Later In re Continental Airlines" starts at "In"
        if token.startswith("(") or token.endswith(")") or token.endswith(");"):
            break
        if not _is_name_token(token):
            break
        if token.lower() in _OPENING_SIGNALS and tokens and tokens[-1][1].lower() not in ("v.", "vs."):
            break  # "... of Rule C. See United States v. X": a signal opens the citation ("See v. City of Seattle" is a name)
        if re.fullmatch(r"\d{1,4}(?:[-–]\d{1,4})?,?", token):
            before = _token_before(text, start)
            if not (before is not None and before[1].lower() in ("no.", "no", "local")) and not _numbers_a_thing(token, tokens):
                break  # a page or volume ("438 U.S. 265, 98 S. Ct."), unless "Local No. 1", "Local 610", "1 Street A-1"
            if re.search(r"\d[-–]\d", token) and before is not None and before[1].lower() in ("no.", "nos.", "no"):
                break  # a docket number ("No. 08-974, 78 U.S.L.W. 4437"), not a street number range
        if (
            token.endswith(",")
            and not any(t[1].lower() in ("v.", "vs.") for t in tokens)
            and not _suffix_follows(tokens)
            and not _CORPORATE_SUFFIX.fullmatch(token.rstrip(","))
            and not _official_of_body(text, start, token)
            and not _partner_list(text, start, tokens)
            and not _partner_firm_named(token, tokens)
        ):
            # "Later, Bender, 1997 WL ...": a comma inside a name comes before the "v.", unless
            # what follows it is a corporate suffix ("AmSouth Bank, N.A.", "Continental Airlines, Inc.",
            # "In re Carter-Wallace, Inc., Sec. Litig.")
            break
        low = token.lower()
        if low == "in" and not (tokens and tokens[-1][1].lower().startswith("re")):
            before = _token_before(text, start)
            if before is None or not _AMOUNT.fullmatch(before[1]):
                break  # "the Court in Kuhlmeier, 484 U.S." : prose, not "In re" nor "$38,000.00 in U.S. Currency"
        if (
            low == "and"
            and any(t[1].lower() in ("v.", "vs.") for t in tokens)
            and not (tokens and tokens[-1][1].lower().rstrip(",") in _FIRM_WORDS)
        ):
            break  # "Grutter and Regents of Univ. of Cal. v. Bakke": two names; "&" stays inside one ("Burlington N. & Santa Fe Ry. Co. v. White")
        if tokens and _ends_sentence(token):
            break
        if token.endswith(";"):
            break
        tokens.append((start, token))
        pos = start
    # drop prose leaders at the front ("In Gratz v. Bollinger", "See also")
    while tokens:
        start, token = tokens[-1]
        low = token.lower().rstrip(",")
        following = tokens[-2][1].lower() if len(tokens) > 1 else ""
        if low == "in" and following == "re":
            break
        if low in _LEADERS or low in ("in", "see,", "also,", "&"):
            tokens.pop()  # prose and signals, and an "&" the walk stopped right after
            continue
        if re.fullmatch(r"\d+", low):
            before = _token_before(text, start)
            lead = before[1].lower().lstrip("(").rstrip(",") if before is not None else ""
            if not (_numbers_a_thing(token, tokens[:-1]) and (lead in _LEADERS or lead in ("v.", "e.g."))):
                tokens.pop()  # a footnote number ("1 Accord Bernstein v. ..."), unless a signal opens
                continue  # an in rem name ("see also 1 Street A-1, 885 F.2d at 998")
        break
    if not tokens:
        return None
    words = [t.rstrip(",").lower() for _, t in tokens]
    if label is not None and label[1] not in {w.strip("[\"“‘'") for w in words}:
        return None  # a parenthetical that names no word of the name before it is no label of it
    if all(w.rstrip(".") in CASE_ABBREVIATIONS or w in _NAME_CONNECTORS for w in words):
        return None
    start, first = tokens[-1]
    # a name a quotation brackets or quotes ("See [Rivera, 994 F.2d at 947-49]") starts at its word
    return start + len(first) - len(first.lstrip("[\"“‘'"))


def normalize_pin(raw: str) -> str:
    """Pin as the corpus writes it: whitespace collapsed, none around dashes from line breaks."""
    pin = re.sub(r"\s+", " ", raw).strip(" ,")
    pin = re.sub(r"\s?([-–—])\s?(?=\*?\d)", r"\1", pin)
    pin = re.sub(r"\* (?=\d)", "*", pin)  # "* 4" is the star page *4
    return pin


def parse_pin(text: str, pos: int) -> tuple[str, int] | None:
    """Read a pin starting at `pos` (after "at " or ", "); returns (pin, end)."""
    m = _PIN_RE.match(text, pos)
    if not m:
        return None
    raw = m.group(0)
    end = m.end()
    marker = re.search(r"\s[-–—]\d+$", raw)
    if marker and text[end : end + 1] in "-–—":
        # "23 -8- 8 (1st Cir. 1977)": a page's centred number ("-8-") after the pin, no range
        raw = raw[: marker.start()]
        end = m.start() + len(raw)
    # "265, 98 S. Ct. 2733": a number followed by a reporter is the next cite's volume
    while re.match(
        r" (?:[A-Z][A-Za-z.'’]*\.? ?){1,4}\d", text[m.start() + len(raw) : m.start() + len(raw) + 30]
    ):
        trimmed = re.sub(r"\s?,?\s?\*?\d+$", "", raw)
        if trimmed == raw or not trimmed:
            return None
        raw = trimmed
        end = m.start() + len(raw)
    # a trailing ", 2000" that starts the next citation is not part of the pin
    while True:
        trimmed = re.sub(r"\s?,\s?\*?\d+$", "", raw)
        if trimmed == raw:
            break
        rest = text[m.start() + len(raw) :]
        if re.match(r"\s?[A-Z]", rest):  # "504, 2000 WL" -> next reporter follows
            raw = trimmed
            end = m.start() + len(raw)
            continue
        break
    return normalize_pin(raw), end


def court_parenthetical_end(text: str, pos: int) -> int | None:
    """End of a "(9th Cir. 1999)" / "(1978)" parenthetical at `pos`, if there is one."""
    m = re.match(r"\s?\(([^()]{0,80})\)", text[pos : pos + 90])
    if not m:
        return None
    inner = m.group(1).strip()
    if re.search(r"\b1[6-9]\d\d\b|\b20\d\d\b", inner) and len(inner.split()) <= 10:
        return pos + m.end()
    # a court without a year, when the year comes with the subsequent history: "(9th Cir.), reh'g";
    # the Second and Third Circuits are written "2d Cir." and "3d Cir." ("(2d Cir.), cert. denied")
    if re.fullmatch(r"\d+(?:st|nd|rd|th|d) Cir\.|[A-Z][A-Za-z.']*\.(?: [A-Z][A-Za-z.']*\.?){0,4}", inner):
        return pos + m.end()
    return None


def _balanced_end(text: str, open_pos: int, limit: int = 3000) -> int | None:
    depth = 0
    stop = min(len(text), open_pos + limit)
    for i in range(open_pos, stop):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def read_parentheticals(text: str, pos: int) -> tuple[list[tuple[int, int]], int]:
    """Explanatory parentheticals right after `pos`: their (open, close) spans and the end."""
    spans: list[tuple[int, int]] = []
    cur = pos
    while True:
        m = re.match(r" ?\(", text[cur : cur + 2])
        if not m:
            break
        open_pos = cur + m.end() - 1
        close = _balanced_end(text, open_pos)
        if close is None:
            break
        spans.append((open_pos, close))
        cur = close
    return spans, cur


def parenthetical_text(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The corpus form: inner texts, whitespace collapsed, joined with " | "."""
    parts = [re.sub(r"\s+", " ", text[a + 1 : b - 1]).strip() for a, b in spans]
    parts = [p for p in parts if p]
    return " | ".join(parts) if parts else None


def subsequent_history(text: str, pos: int) -> tuple[str, int] | None:
    """ ", reh'g en banc granted, opinion withdrawn, " at `pos`: the phrase and where its cite starts."""
    m = _HISTORY.match(text[pos : pos + 200])
    if not m:
        return None
    return m.group("phrase").strip(" ,"), pos + m.end()


def signal_before(text: str, pos: int, floor: int = 0) -> str | None:
    """The signal written immediately before `pos` ("See also Gratz ..."), lower case, or None."""
    window = text[max(floor, pos - 40) : pos]
    m = _SIGNAL.search(window)
    if not m:
        return None
    if m.group("signal")[:1].isupper() and m.group("signal").lower() in signals.PARENTHETICAL:
        # "quoting" and "citing" are written in lower case, inside a parenthetical or after a
        # comma; capitalised they open a sentence of prose ("Citing La Buy, 352 U.S. at 256,
        # petitioners contend ...", "Citing Precision Instrument ..., the Fifth Circuit reasoned")
        return None
    return signals.canonical_signal(m.group("signal"))
