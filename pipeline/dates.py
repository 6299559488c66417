"""The `dates` stage: dates in report text as ISO 8601 values (days, months, years, ranges,
quarters and half-years).

    find_dates(text, report_year) -> [DateHit(start, end, value, granularity), ...]

The date grammar (pipeline.grammars.dates) finds the date phrases; each match becomes a value here;
a date written without a year ("в ноябре", "5–7 июня", "во втором полугодии") takes its year from
the context:

1. a year stated in the same sentence: the nearest one before the date, else one after it if that
   year is within a year of `report_year` (so "основанного в 1793 году" does not date "в ноябре");
2. else the paragraph: the latest earlier sentence of the paragraph that opens with a dated phrase
   ("В 2022 году ...", "15.09.2022 ...");
3. else `report_year`; with no `report_year` such a date is skipped.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Callable

import razdel

from pipeline.doc import ReportDoc
from pipeline.grammars.dates import PERIOD_NEEDS_YEAR, Match, is_day, matches
from pipeline.layers import DateHit
from pipeline.stage import stage


@stage("dates", requires=("text", "structure"), assigns=("dates", "date_spans"))
def dates(doc: ReportDoc) -> None:
    phrases = date_phrases(doc.text)
    doc.dates = resolve(doc.text, phrases, doc.structure.year)
    doc.date_spans = [(r.start, r.end) for _, _, raws in phrases for r in raws]


# ---------------------------------------------------------------- matches -> values

@dataclass
class _Raw:
    """A date phrase before its year is known: `build(year)` gives (value, granularity) or None."""
    start: int
    end: int
    year: int | None  # the year written in the phrase, if any
    build: Callable[[int], tuple[str, str] | None]
    bare_month: bool = False  # a month name alone (for the capitalisation check)
    gives_context: bool = True  # a year range ("на 2023–2025 годы") does not date its neighbours


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _interval(a: str | None, b: str | None) -> tuple[str, str] | None:
    if a is None or b is None or a >= b:
        return None
    return f"{a}/{b}", "range"


def _numeric_parts_adjacent(tokens) -> bool:
    """'15.06.2022' is a date, '15. 06. 2022' is not: dots between numbers must touch them."""
    for i in range(1, len(tokens) - 1):
        if tokens[i].value == "." and tokens[i - 1].type == "INT" and tokens[i + 1].type == "INT":
            if tokens[i - 1].stop != tokens[i].start or tokens[i].stop != tokens[i + 1].start:
                return False
    return True


def _raws_from_match(offset: int, match: Match) -> list[_Raw]:
    f = match.fact
    tokens = match.tokens
    start, end = offset + match.start, offset + match.stop
    if not _numeric_parts_adjacent(tokens):
        return []
    d1, m1, y1, d2, m2, y2 = (f[k] for k in ("d1", "m1", "y1", "d2", "m2", "y2"))

    if f["kind"] == "year_list":
        ints = [t for t in tokens if t.type == "INT"]
        out = []
        for i, t in enumerate(ints):
            s = offset + t.start if i else start
            e = offset + t.stop if i < len(ints) - 1 else end
            y = int(t.value)
            out.append(_Raw(s, e, y, lambda _y, y=y: (_iso(y), "year")))
        return out
    if f["kind"] == "day_list":
        days = [t for t in tokens if t.type == "INT" and is_day(t.value)]
        out = []
        for i, t in enumerate(days):
            s = offset + t.start if i else start
            e = offset + t.stop if i < len(days) - 1 else end
            d = int(t.value)
            out.append(_Raw(s, e, y1, lambda y, d=d: _day(y, m1, d)))
        return out

    if f["plen"] is not None:  # quarter / half-year
        n, size = f["ord"], f["plen"]
        if n is None or n * size > 12:
            return []
        if y1 is None and any(t.value.lower() in PERIOD_NEEDS_YEAR for t in tokens):
            return []
        a, b = (n - 1) * size + 1, n * size
        return [_Raw(start, end, y1, lambda y: _interval(_iso(y, a), _iso(y, b)))]

    if d2 is not None:  # day range
        def build(y, d1=d1, m1=m1 or m2, y1=y1, d2=d2, m2=m2, y2=y2):
            last = y2 or y
            first = y1 or (last if m1 <= m2 else last - 1)
            return _interval(_iso(first, m1, d1), _iso(last, m2, d2))
        return [_Raw(start, end, y2 or y1, build)]
    if m2 is not None:  # month range
        def build(y, m1=m1, y1=y1, m2=m2, y2=y2):
            last = y2 or y
            first = y1 or (last if m1 <= m2 else last - 1)
            return _interval(_iso(first, m1), _iso(last, m2))
        return [_Raw(start, end, y2 or y1, build)]
    if y2 is not None:  # year range
        return [_Raw(start, end, y2, lambda _y: _interval(_iso(y1), _iso(y2)), gives_context=False)]
    if d1 is not None:
        return [_Raw(start, end, y1, lambda y: _day(y, m1, d1))]
    if m1 is not None:
        return [_Raw(start, end, y1, lambda y: (_iso(y, m1), "month"), bare_month=y1 is None)]
    if y1 is not None:
        return [_Raw(start, end, y1, lambda _y: (_iso(y1), "year"))]
    return []


def _day(y: int, m: int, d: int) -> tuple[str, str] | None:
    v = _iso(y, m, d)
    return (v, "day") if v else None


# ---------------------------------------------------------------- context

def _paragraphs(text: str):
    """(start, end) of every non-empty line: the cleaned text keeps one paragraph per line."""
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def date_phrases(text: str) -> list[tuple[tuple[int, int], list[tuple[int, int]], list[_Raw]]]:
    """Per paragraph: its span, its sentence spans and its date phrases (years not yet resolved)."""
    out = []
    for p_start, p_end in _paragraphs(text):
        para = text[p_start:p_end]
        raws = []
        for w_start, match in matches(para):
            raws.extend(_raws_from_match(p_start + w_start, match))
        if raws:
            raws.sort(key=lambda r: r.start)
            sents = [(p_start + s.start, p_start + s.stop) for s in razdel.sentenize(para)]
            out.append(((p_start, p_end), sents, raws))
    return out


def _sentence_of(sents, pos):
    for s, e in sents:
        if s <= pos < e:
            return s, e
    return sents[-1] if sents else (pos, pos)


def _opens_sentence(text: str, raw: _Raw, sent_start: int) -> bool:
    return not text[sent_start:raw.start].strip()


def _context_year(text, raw, raws, sents, report_year) -> int | None:
    """The year of a date written without one (see the module docstring)."""
    dated = [r for r in raws if r.year is not None and r.gives_context]
    s, e = _sentence_of(sents, raw.start)
    before = [r.year for r in dated if s <= r.start < raw.start]
    if before:
        return before[-1]
    after = [r.year for r in dated if raw.start < r.start < e]
    if after and (report_year is None or abs(after[0] - report_year) <= 1):
        return after[0]
    leads = [r.year for r in dated if r.start < s and _opens_sentence(text, r, _sentence_of(sents, r.start)[0])]
    if leads:
        return leads[-1]
    return report_year


def find_dates(text: str, report_year: int | None) -> list[DateHit]:
    """Every date mention in `text` (the cleaned report text), in text order, never overlapping."""
    return resolve(text, date_phrases(text), report_year)


def resolve(text: str, phrases, report_year: int | None) -> list[DateHit]:
    """The dates of the phrases of `text`, in text order, never overlapping.

    `report_year` dates the mentions that state no year and get none from their sentence or
    paragraph; with None those are skipped."""
    hits = []
    for _, sents, raws in phrases:
        for raw in raws:
            if raw.bare_month:
                word = text[raw.start:raw.end].split()[-1]
                if word[:1].isupper() and not _opens_sentence(text, raw, _sentence_of(sents, raw.start)[0]):
                    continue  # "Марта" inside a sentence is a name, not a month
            year = raw.year if raw.year is not None else _context_year(text, raw, raws, sents, report_year)
            if year is None:
                continue
            built = raw.build(year)
            if built and built[0]:
                hits.append(DateHit(raw.start, raw.end, built[0], built[1]))
    return hits
