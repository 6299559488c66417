"""Cleaning: raw text of any format -> the text that every offset refers to.

Each step is a pure function str -> str; `STEPS` lists them in order, and `clean` runs them.
"""
import re
from collections import Counter

from pipeline import morph, rules
from pipeline.ingest.raw import TABLE_MARK

_rules = rules.load("cleaning")
_LAT, _CYR = _rules["lookalikes"]["latin"], _rules["lookalikes"]["cyrillic"]
TO_CYR = str.maketrans(_LAT, _CYR)
TO_LAT = str.maketrans(_CYR, _LAT)
PAGE_NUMBER = re.compile(_rules["pages"]["number_line"], re.I)
LIST_ITEM = re.compile(_rules["wrap"]["list_item"])
SENTENCE_END = (".", "!", "?", ":", ";")
# the only words look-alikes can spoil; tried at word starts only (else a long word costs a scan per letter)
WORD_WITH_LATIN = re.compile(r"(?<![^\W\d_])[^\W\d_]*[A-Za-z][^\W\d_]*")
HYPHENATED = re.compile(r"(?<!\w)(\w+)-\n[ ]*(\w+)")  # from a word's start only, as WORD_WITH_LATIN
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
    if prev.strip() and not prev.rstrip().endswith(SENTENCE_END) and not LIST_ITEM.match(line) \
            and TABLE_MARK not in prev + line and not re.match(r"^[A-ZА-ЯЁ][^.!?]{0,80}$", line.strip()):
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
    """Lines that differ only in their numbers or in ё/е ("Отчёт"/"Отчет", as OCR reads it) are one."""
    return re.sub(r"\d+", "#", line.strip().lower().replace("ё", "е"))


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
    return HYPHENATED.sub(_join, text)


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
    """Rejoin hard-wrapped paragraph lines: only in files whose lines are cut at a fixed width.

    A line was wrapped when the next line's first word would not have fitted on it; where
    paragraphs are not set apart by blank lines, a line that ends a sentence before a capital
    letter ends its paragraph too."""
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return text
    if lengths[int(len(lengths) * 0.98)] > _rules["wrap"]["max_wrap_width"]:
        return text  # a hard-wrapped file has no long line
    p90 = lengths[int(len(lengths) * 0.9)]
    width = max(n for n in lengths if n <= 1.1 * p90)  # the wrap width; a few longer lines are joins
    if sum(n >= 0.8 * width for n in lengths) < _rules["wrap"]["full_lines"] * len(lengths):
        return text  # short lines of a list, not a paragraph cut into lines
    blank = sum(1 for line in lines if not line.strip())
    gapped = blank >= _rules["wrap"]["gapped_share"] * len(lengths)
    width -= _slack(lines, width)
    out = [lines[0]]
    last = lines[0]  # the last physical line of out[-1]
    for line in lines[1:]:
        if out[-1].strip() and line.strip() and not re.search(r"\w-$", last) and _wrapped(out[-1], last, line, width, gapped):
            out[-1] = out[-1] + " " + line.lstrip()
        else:
            out.append(line)
        last = line
    return "\n".join(out)


def _slack(lines: list[str], width: int) -> int:
    """How much room a wrapper that cut by hand left at line ends: seen where a line surely goes
    on (the next one starts in lower case), none for a file cut at a fixed width."""
    rooms = sorted(width - len(a.rstrip()) - 1 - len(b.split()[0]) for a, b in zip(lines, lines[1:])
                   if a.strip() and b.strip() and b.lstrip()[:1].islower() and not a.endswith("-"))
    return max(0, rooms[int(len(rooms) * 0.9)] + 1) if len(rooms) >= 5 else 0


def _wrapped(para: str, last: str, line: str, width: int, gapped: bool) -> bool:
    if len(last.rstrip()) + 1 + len(line.split()[0]) <= width:
        return False  # the word would have fitted: the line was ended on purpose
    item = LIST_ITEM.match(line)
    if item:  # a dash that starts a wrapped line, not a new list item
        return line.lstrip()[:1] in "-–—" and not LIST_ITEM.match(para) and not last.rstrip().endswith(SENTENCE_END)
    if gapped or not last.rstrip().endswith(SENTENCE_END):
        return True
    return line.lstrip()[:1].islower()


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


def clean(text: str, reflowed: bool = False) -> str:
    """Run the steps; `reflowed` text (one line per paragraph already) keeps its lines."""
    for step in STEPS:
        if not (reflowed and step is unwrap_lines):
            text = step(text)
    return text
