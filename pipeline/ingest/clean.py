"""Cleaning: raw text of any format -> the text that every offset refers to.

Each step is a pure function str -> str; `STEPS` lists them in order, and `clean` runs them.
"""
import re
from collections import Counter

from pipeline import morph, rules

_rules = rules.load("cleaning")
_LAT, _CYR = _rules["lookalikes"]["latin"], _rules["lookalikes"]["cyrillic"]
TO_CYR = str.maketrans(_LAT, _CYR)
TO_LAT = str.maketrans(_CYR, _LAT)
PAGE_NUMBER = re.compile(_rules["pages"]["number_line"], re.I)
LIST_ITEM = re.compile(_rules["wrap"]["list_item"])
WORD_WITH_LATIN = re.compile(r"[^\W\d_]*[A-Za-z][^\W\d_]*")  # the only words look-alikes can spoil
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\r": None, "\u00ad": None,
                        "\u200b": None, "\ufeff": None})


def normalise_spaces(text: str) -> str:
    """Unify line ends and space characters; drop soft hyphens and zero-width characters."""
    text = text.replace("\r\n", "\n").translate(SPACES)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def drop_page_furniture(text: str) -> str:
    """Drop page-number lines and running headers/footers repeated next to page boundaries.

    Page boundaries are form feeds (from PDF readers) and page-number lines (in plain text).
    """
    lines = text.replace("\f", "\n\f\n").split("\n")
    boundaries = [i for i, line in enumerate(lines) if line == "\f" or PAGE_NUMBER.match(line)]
    if not boundaries:
        return text
    boundaries = [-1, *boundaries, len(lines)]  # the document's start and end are page edges too
    margin = _rules["pages"]["margin_lines"]
    near: dict[str, set[int]] = {}  # a line's text -> the lines next to page edges that have it
    for b in boundaries:
        for i in _nonblank_around(lines, b, margin):
            key = _furniture_key(lines[i])
            if key and len(lines[i]) <= _rules["pages"]["max_header_chars"]:
                near.setdefault(key, set()).add(i)
    repeated = {k for k, bs in near.items() if len(bs) >= _rules["pages"]["min_repeats"]}
    drop = set(boundaries[1:-1])
    for b in boundaries:
        drop.update(i for i in _nonblank_around(lines, b, margin) if _furniture_key(lines[i]) in repeated)
    kept, edge = [], False
    for i, line in enumerate(lines):
        if i in drop:
            edge = edge or i in boundaries
            continue
        if edge and line.strip():
            _join_across_page(kept, line)
            edge = False
        else:
            kept.append(line)
    return "\n".join(kept)


def _join_across_page(kept: list[str], line: str) -> None:
    """A paragraph that runs on over a page edge is one paragraph again."""
    while kept and not kept[-1].strip():
        last_blank = kept.pop()
        if not kept:
            kept.append(last_blank)
            break
    prev = kept[-1] if kept else ""
    if prev.strip() and not prev.rstrip().endswith((".", "!", "?", ":", ";")) and not LIST_ITEM.match(line) \
            and not re.match(r"^[A-ZА-ЯЁ][^.!?]{0,80}$", line.strip()):
        kept[-1] = prev.rstrip() + (line.lstrip() if prev.rstrip().endswith("-") else " " + line.lstrip())
    else:
        kept += ["", line]


def _nonblank_around(lines: list[str], b: int, margin: int) -> list[int]:
    out = []
    for step in (-1, 1):
        i, n = b + step, 0
        while 0 <= i < len(lines) and n < margin:
            if lines[i].strip() and lines[i] != "\f":
                if PAGE_NUMBER.match(lines[i]):
                    break
                out.append(i)
                n += 1
            i += step
    return out


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def fix_lookalikes(text: str) -> str:
    """Latin letters inside Cyrillic words and back; all-look-alike Latin words that are Russian."""
    return WORD_WITH_LATIN.sub(_fix_word, text)


def _fix_word(m: re.Match) -> str:
    word = m.group()
    cyr = sum("\u0400" <= ch <= "\u04ff" for ch in word)
    lat = sum("a" <= ch.lower() <= "z" for ch in word)
    if cyr and lat:
        as_cyr = word.translate(TO_CYR)
        if cyr >= lat and not any("a" <= ch.lower() <= "z" for ch in as_cyr):
            return as_cyr
        return word.translate(TO_LAT)
    if lat and all(ch in _LAT for ch in word):
        candidate = word.translate(TO_CYR)
        if morph.parse(candidate.lower())[0].is_known and not _latin_context(m):
            return candidate
    return word


def _latin_context(m: re.Match) -> bool:
    """True when the word sits among Latin words (an English phrase), where it must stay Latin."""
    s = m.string
    around = s[max(0, m.start() - 40):m.start()] + s[m.end():m.end() + 40]
    lat = sum("a" <= ch.lower() <= "z" for ch in around)
    cyr = sum("\u0400" <= ch <= "\u04ff" for ch in around)
    return lat > cyr


def join_hyphenated(text: str) -> str:
    """'сотруд-\\nничества' -> 'сотрудничества'; 'северо-\\nзападный' keeps its hyphen."""
    return re.sub(r"(\w+)-\n[ ]*(\w+)", _join, text)


def _join(m: re.Match) -> str:
    """Join when the whole word is in the dictionary or a part is not a word; keep the hyphen of
    compounds whose both parts are words ('торгово-экономических')."""
    left, right = m.group(1), m.group(2)
    compound = left[-1:] in "оеОЕ" and _in_dictionary(right) and {"ADJF", "PRTF"} & {morph.parse(right.lower())[0].tag.POS}
    if right[:1].islower() and not compound and (
            _in_dictionary(left + right) or not (_in_dictionary(left) and _in_dictionary(right))):
        return left + right
    return f"{left}-{right}"


def _in_dictionary(word: str) -> bool:
    p = morph.parse(word.lower())[0]
    return p.is_known and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"


def unwrap_lines(text: str) -> str:
    """Rejoin hard-wrapped paragraph lines: only in files whose lines are cut at a fixed width."""
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return text
    width = lengths[int(len(lengths) * 0.98)]  # a hard-wrapped file has no long line
    if width > _rules["wrap"]["max_wrap_width"]:
        return text
    full = width * _rules["wrap"]["full_line_share"]
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if prev.strip() and line.strip() and len(prev) >= full and not prev.endswith("-") and _continues(prev, line):
            out[-1] = prev + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def _continues(prev: str, line: str) -> bool:
    if LIST_ITEM.match(line):
        return False
    if prev.rstrip().endswith((".", "!", "?", ":", ";")):
        return line.lstrip()[:1].islower()
    return True


def join_broken_paragraphs(text: str) -> str:
    """A paragraph cut by a page break ('…социально-экономическом\\n\\nпотенциале…') is one paragraph."""
    return re.sub(r"([^\W\d]|,)\n\n+([а-яё])", r"\1 \2", text)


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines; strip the ends."""
    text = re.sub(r"[ ]{2,}", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


STEPS = [normalise_spaces, drop_page_furniture, fix_lookalikes, unwrap_lines, join_hyphenated,
         join_broken_paragraphs, tidy]


def clean(text: str) -> str:
    for step in STEPS:
        text = step(text)
    return text
