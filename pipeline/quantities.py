"""The `quantities` stage: a number in the report text and the thing it counts.

    find_quantities(text, date_spans) -> [QuantityHit(start, end, value, approximate, unit), ...]

A quantity is an optional approximation marker ("около", "более чем", "не менее", "~"), a number
(digits with space-grouped thousands and a decimal comma, optionally a scale word "тыс."/"млн";
or numeral words "двадцать пять", "трёх", "более ста") and the counted noun: the first noun after
the number, past any adjectives or participles ("17 промышленных предприятий" -> "предприятие").
The vocabulary is in `rules/quantities.toml`; word classes come from pymorphy3 (`pipeline.morph`).

Not quantities: numbers inside date phrases (`date_spans`, from the `dates` stage), ordinals ("305-й",
"шестой"), numbers in names and references ("№ 137", "«Флора-2021»", "COVID-19", anything inside
«quotes»), list numbers at line starts ("1)", "2."), compounds ("13-летняя"), phone-like digit runs,
and numbers followed by no noun.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import HIDES, QuantityHit
from pipeline.spans import SpanIndex
from pipeline.stage import stage
from pipeline.tokens import key

_R = rules.load("quantities")


# ---------------------------------------------------------------- tokens

_SPACE = " \u00a0\u202f\u2009\u2007"
_TOKEN = re.compile(
    rf"(?P<num>\d{{1,3}}(?:[{_SPACE}]\d{{3}})+(?!\d)(?:,\d+)?|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"|(?P<punct>\S)"
)


class _Tok(NamedTuple):
    kind: str  # "num" | "word" | "punct"
    text: str
    start: int
    end: int
    low: str   # the text lower case, ё as е


def _tokenize(text: str) -> list[_Tok]:
    return [_Tok(m.lastgroup, m.group(), m.start(), m.end(), key(m.group())) for m in _TOKEN.finditer(text)]


def _phrases(items) -> list[tuple[str, ...]]:
    """Token sequences of the phrases, longest first."""
    out = {tuple(t.lower().replace("ё", "е") for t in _tokenize_plain(p)) for p in items}
    return sorted(out, key=len, reverse=True)


def _tokenize_plain(phrase: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(phrase)]


APPROX = _phrases(_R["approximate"]["phrases"])
IDIOMS = _phrases(_R["idioms"]["phrases"])
PARTITIVE = _phrases(_R["noun"]["partitive_leads"])
SCALE = {k: Decimal(v) for k, v in _R["scale"].items()}
NUMERALS = {k: Decimal(str(v)) for k, v in _R["numerals"].items()}
SCALE_ABBREVIATIONS = {k for k in SCALE if any("Abbr" in p.tag for p in morph.parse(k))}  # тыс, млн, ...
UNIT_SIGNS = _R["unit_signs"]
UNIT_ABBR = _R["unit_abbreviations"]
CARDINAL_SUFFIXES = set(_R["digits"]["cardinal_suffixes"])
REFERENCE_MARKERS = set(_R["digits"]["reference_markers"])
MAX_MODIFIERS = _R["noun"]["max_modifiers"]
ELLIPSIS_LINKS = set(_R["noun"]["ellipsis_links"])
ORDINAL_NOUNS = set(_R["noun"]["ordinal_nouns"])

_MODIFIER_POS = {"ADJF", "PRTF"}


# ---------------------------------------------------------------- word classes (cached per word)

@lru_cache(maxsize=50_000)
def _numeral_value(word: str) -> Decimal | None:
    """Value of a numeral word in any case ("трёх" -> 3, "ста" -> 100), else None."""
    for p in morph.parse(word):
        lemma = p.normal_form.replace("ё", "е")
        if lemma in NUMERALS and (p.tag.POS == "NUMR" or (lemma == "один" and p.tag.POS == "ADJF")):
            return NUMERALS[lemma]
    return None


@lru_cache(maxsize=50_000)
def _scale_value(word: str) -> Decimal | None:
    if word in SCALE:
        return SCALE[word]
    for p in morph.parse(word):
        if p.tag.POS == "NOUN" and p.normal_form in SCALE:
            return SCALE[p.normal_form]
    return None


@lru_cache(maxsize=50_000)
def _word_class(word: str) -> tuple[str | None, str | None, bool]:
    """(lemma of its noun reading, POS of the most likely reading, can it be an adjective/participle)."""
    parses = morph.parse(word)
    noun = next((p.normal_form for p in parses if p.tag.POS == "NOUN"), None)
    best = parses[0].tag.POS if parses else None
    modifier = any(p.tag.POS in _MODIFIER_POS for p in parses)
    return (noun.replace("ё", "е") if noun else None), best, modifier


@lru_cache(maxsize=50_000)
def _only_singular(word: str, lemma: str) -> bool:
    """Is every noun reading of `word` with this lemma singular ("место" yes, "места" no)?"""
    readings = [p for p in morph.parse(word) if p.tag.POS == "NOUN" and p.normal_form.replace("ё", "е") == lemma]
    return bool(readings) and all(p.tag.number == "sing" for p in readings)


@lru_cache(maxsize=50_000)
def _substantive_lemma(word: str) -> str | None:
    """Nominative singular of an adjective/participle that can stand for a noun ("учащихся" ->
    "учащийся"), or None."""
    parses = [p for p in morph.parse(word) if p.tag.POS in _MODIFIER_POS and "Subx" in p.tag]
    for p in sorted(parses, key=lambda p: p.tag.POS != "ADJF"):  # ADJF lemmas are already nominative
        if p.tag.POS == "ADJF":
            return p.normal_form.replace("ё", "е")
        form = p.inflect({"masc", "sing", "nomn"})
        if form is not None:
            return form.word.replace("ё", "е")
    return None


# ---------------------------------------------------------------- helpers over the token list

def _ends_with(tokens: list[_Tok], i: int, phrase: tuple[str, ...]) -> bool:
    """True when tokens[i - len(phrase) : i] spell the phrase."""
    n = len(phrase)
    return i >= n and all(tokens[i - n + k].low == phrase[k] for k in range(n))


def _starts_with(tokens: list[_Tok], i: int, phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return 0 <= i and i + n <= len(tokens) and all(tokens[i + k].low == phrase[k] for k in range(n))


def _touch(a: _Tok, b: _Tok) -> bool:
    return a.end == b.start


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside «...» (nested) and "..." / „...“ on one line: names, titles."""
    spans, stack = [], []
    for m in re.finditer(r"[«»\n]", text):
        ch = m.group()
        if ch == "«":
            stack.append(m.start())
        elif ch == "»" and stack:
            s = stack.pop()
            if not stack:
                spans.append((s, m.end()))
        elif ch == "\n":
            stack = []
    spans += [(m.start(), m.end()) for m in re.finditer(r'"[^"\n]{1,200}"|„[^“\n]{1,200}“', text)]
    return spans


# ---------------------------------------------------------------- the number

@dataclass
class _Number:
    first: int  # index of the first token of the number
    last: int  # index of its last token (incl. scale word and cardinal suffix)
    value: Decimal


def _digit_number(tokens: list[_Tok], i: int, text: str) -> _Number | None:
    tok = tokens[i]
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    # glued to letters or to a hyphen-joined word/number: "В2В", "COVID-19", "Флора-2021", "20-05-12"
    if prev and _touch(prev, tok) and (prev.kind in ("word", "num") or prev.text in "-–—/:."):
        return None
    if prev and prev.text in "-–—/:" and i >= 2 and tokens[i - 2].kind == "num":
        return None  # second part of "5–7", "20 - 05"
    if prev and prev.low.rstrip(".") in REFERENCE_MARKERS:
        return None
    if prev and prev.text == "." and i >= 2 and tokens[i - 2].low in REFERENCE_MARKERS:
        return None
    if _is_list_number(tokens, i, text):
        return None
    value = Decimal(re.sub(rf"[{_SPACE}]", "", tok.text).replace(",", "."))
    last = i
    if nxt is not None and _touch(tok, nxt):
        if nxt.text in "-–—" and i + 2 < len(tokens) and _touch(nxt, tokens[i + 2]):
            suffix = tokens[i + 2]
            if suffix.kind == "word" and suffix.low in CARDINAL_SUFFIXES:
                last = i + 2  # "2-х"
            else:
                return None  # "305-й", "13-летняя", "20-05", "5-7"
        elif nxt.text in ":/.,":
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if after is not None and after.kind == "num" and _touch(nxt, after):
                return None  # "10:00", "24/7", "1.2.3"
        elif nxt.kind == "word" and not (_scale_value(nxt.low) or nxt.low in UNIT_ABBR):
            return None  # "2021г", "5ый"
    elif nxt is not None and nxt.text in "-–—" and i + 2 < len(tokens) and tokens[i + 2].kind == "num":
        return None  # "5 – 7 человек": a range of counts, not one count
    return _with_scale(tokens, _Number(i, last, value))


def _is_list_number(tokens: list[_Tok], i: int, text: str) -> bool:
    """'1) ...', '2. ...' at the start of a line (after optional bullets)."""
    tok = tokens[i]
    line_start = text.rfind("\n", 0, tok.start) + 1
    if text[line_start:tok.start].strip(" \t-–—•·*"):
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and nxt.text in ").:" and _touch(tok, nxt)


def _lone_scale(tokens: list[_Tok], i: int) -> bool:
    """A scale word standing for its number: "тысяча зрителей", "более тысячи участников" (but not
    the vague plural "тысячи людей")."""
    word = tokens[i].low
    if _scale_value(word) is None or word in SCALE_ABBREVIATIONS:
        return False
    lemma = next((p.normal_form for p in morph.parse(word) if p.normal_form in SCALE), word)
    return _only_singular(word, lemma) or _approximate(tokens, i) is not None


def _word_number(tokens: list[_Tok], i: int) -> _Number | None:
    """A run of numeral words: "двадцать пять", "три тысячи двести", "более ста", "тысяча"."""
    for idiom in IDIOMS:
        for k in range(len(idiom)):
            if _starts_with(tokens, i - k, idiom):
                return None
    total, group, place, j = Decimal(0), Decimal(0), None, i
    last = None
    while j < len(tokens) and tokens[j].kind == "word":
        word = tokens[j].low
        v = _numeral_value(word)
        scale = _scale_value(word) if v is None and (last is not None or _lone_scale(tokens, j)) else None
        if v is not None:
            if place is not None and v >= place:
                break  # "пять двадцать" is not one number
            group += v
            place = 100 if v >= 100 else (10 if v >= 20 and v % 10 == 0 else 1)
        elif scale is not None and scale > 1:
            total += (group or 1) * scale
            group, place = Decimal(0), None
            if word in SCALE and j + 1 < len(tokens) and tokens[j + 1].text == "." \
                    and _touch(tokens[j], tokens[j + 1]):
                j += 1  # "пять тыс."
        else:
            break
        last = j
        j += 1
        if place == 1 and v is not None and v % 1:
            break  # "полтора" ends the numeral part
    if last is None:
        return None
    num = _Number(i, last, total + group)
    return _with_scale(tokens, num) if group else num


def _with_scale(tokens: list[_Tok], num: _Number) -> _Number:
    j = num.last + 1
    if j < len(tokens) and tokens[j].kind == "word":
        scale = _scale_value(tokens[j].low)
        if scale is not None:
            num.value *= scale
            num.last = j
            if j + 1 < len(tokens) and tokens[j + 1].text == "." and _touch(tokens[j], tokens[j + 1]) \
                    and tokens[j].low in SCALE:
                num.last = j + 1  # "тыс."
    return num


# ---------------------------------------------------------------- the counted noun

def _noun_after(tokens: list[_Tok], j: int, allow_ellipsis: bool = True) -> tuple[str | None, int]:
    """(unit, index of its last token) for the noun phrase starting at tokens[j]; (None, j-1) if none."""
    if j >= len(tokens):
        return None, j - 1
    tok = tokens[j]
    if tok.kind == "punct" and tok.text in UNIT_SIGNS:
        return UNIT_SIGNS[tok.text], j
    modifiers = 0
    last_modifier = None
    while j < len(tokens) and modifiers <= MAX_MODIFIERS:
        tok = tokens[j]
        if tok.kind != "word":
            break
        word = tok.low
        if word in UNIT_ABBR:
            dot = j + 1 < len(tokens) and tokens[j + 1].text == "." and _touch(tok, tokens[j + 1])
            return UNIT_ABBR[word], j + 1 if dot else j
        if _numeral_value(word) is not None:
            break
        noun, best, can_modify = _word_class(word)
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        next_is_noun = nxt is not None and nxt.kind == "word" and _word_class(nxt.low)[1] == "NOUN"
        if best in _MODIFIER_POS or (best == "NOUN" and can_modify and next_is_noun):
            modifiers += 1  # "промышленных", "рабочие (встречи)"
            last_modifier = j
            j += 1
            continue
        if best == "NOUN":
            return noun, j
        break
    # "4 золотые и 2 серебряные медали": the noun of the next number in the coordination
    if allow_ellipsis and j < len(tokens) and tokens[j].low in ELLIPSIS_LINKS and last_modifier is not None:
        k = j + 1
        nxt_num = None
        if k < len(tokens) and tokens[k].kind == "num":
            nxt_num = _Number(k, k, Decimal(0))
            nxt_num = _with_scale(tokens, nxt_num)
        elif k < len(tokens) and tokens[k].kind == "word":
            nxt_num = _word_number(tokens, k)
        if nxt_num is not None:
            unit, _ = _noun_after(tokens, nxt_num.last + 1, allow_ellipsis=False)
            if unit:
                return unit, last_modifier
    if last_modifier is not None:  # "120 учащихся": a participle standing for a noun
        lemma = _substantive_lemma(tokens[last_modifier].low)
        if lemma and last_modifier == j - 1:
            return lemma, last_modifier
    return None, j - 1


def _approximate(tokens: list[_Tok], i: int) -> int | None:
    """Index of the first token of an approximation marker ending right before tokens[i]."""
    for phrase in APPROX:
        if _ends_with(tokens, i, phrase):
            return i - len(phrase)
    return None


def _partitive(tokens: list[_Tok], i: int) -> bool:
    """'из них 39', 'в том числе 12' (possibly with a dash or comma after the lead)."""
    while i > 0 and tokens[i - 1].text in ",–—-:":
        i -= 1
    return any(_ends_with(tokens, i, p) for p in PARTITIVE)


def _ordinal_use(tokens: list[_Tok], last: int, unit: str, value: Decimal) -> bool:
    """"заняла 1 место", "2 этап": a number before a singular rank noun is an ordinal."""
    if unit not in ORDINAL_NOUNS or not _only_singular(tokens[last].low, unit):
        return False
    return value == 1 or not (value % 10 == 1 and value % 100 != 11)


# ---------------------------------------------------------------- main

def _value(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


@stage("quantities", requires=("text", "date_spans", "layout"), assigns=("quantities",))
def quantities(doc: ReportDoc) -> None:
    """Counted things outside the date phrases and the news furniture (a dateline's "12 ноя" counts nothing)."""
    doc.quantities = find_quantities(doc.text, doc.date_spans + doc.layout.spans(HIDES["quantities"]))


def find_quantities(text: str, date_spans: list[tuple[int, int]]) -> list[QuantityHit]:
    """Every counted quantity in `text` (the cleaned report text) outside the date phrases, in text order."""
    tokens = _tokenize(text)
    excluded = SpanIndex(list(date_spans) + _quoted_spans(text))
    hits: list[QuantityHit] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        num = None
        if tok.kind == "num":
            num = _digit_number(tokens, i, text)
        elif tok.kind == "word" and (_numeral_value(tok.low) is not None or _lone_scale(tokens, i)):
            num = _word_number(tokens, i)
        if num is None or excluded.overlapping(tokens[num.first].start, tokens[num.last].end):
            i += 1
            continue
        unit, last = _noun_after(tokens, num.last + 1)
        if unit is None and hits and _partitive(tokens, num.first) \
                and "\n" not in text[hits[-1].end:tokens[num.first].start]:
            unit = hits[-1].unit  # "47 мероприятий, из них 39 – онлайн", "в т.ч. 6 иностранных"
        if unit is None or _ordinal_use(tokens, last, unit, num.value):
            i = num.last + 1
            continue
        approx_at = _approximate(tokens, num.first)
        start = tokens[approx_at if approx_at is not None else num.first].start
        hits.append(QuantityHit(start, tokens[last].end, _value(num.value), approx_at is not None, unit))
        i = num.last + 1
    return hits
