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
3. else the item's year: the dateline's, or the reporting year when a report's title states it
   (`report_year`); with no year such a date is skipped.

Relative dates count from the item's own date (the anchor): the dateline's day, else the first day
named in the first body paragraph ("В среду, 22 октября, …"). "в прошлом году", "в марте прошлого
года", "июнь-август этого года" take the item's year plus their offset; "сегодня", "вчера",
"накануне", "в понедельник" (the latest Monday up to the anchor) need the anchor's day.
"""
from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

import razdel

from pipeline import morph, rules
from pipeline.doc import ReportDoc
from pipeline.grammars.dates import (MONTH_FORMS, PERIOD_NEEDS_YEAR, RELATIVE_YEAR_FORMS, REPORT_YEAR_FORMS, Match,
                                     is_day, matches)
from pipeline.layers import DateHit, Layout, Structure
from pipeline.stage import stage

REL = rules.load("dates")["relative"]
WEEKDAYS = {p.word: n for n, w in enumerate(REL["weekdays"]) for x in morph.parse(w)[:1] for p in x.lexeme}
_WORDS = sorted(set(REL["days"]) | set(WEEKDAYS), key=len, reverse=True)
RELATIVE_DAY = re.compile(r"(?<![\w-])(?:(?:" + "|".join(REL["weekday_prepositions"]) + r")\s+)?("
                          + "|".join(_WORDS) + r")(?![\w-])", re.I)
_EXPLICIT_AFTER = re.compile(r"\s*,?\s*\d{1,2}\s+(?:" + "|".join(sorted(MONTH_FORMS, key=len, reverse=True)) + r")\b", re.I)


@stage("dates", requires=("text", "structure", "layout"), assigns=("dates", "date_spans", "anchor"))
def dates(doc: ReportDoc) -> None:
    doc.dates, doc.date_spans, doc.anchor = analyse_dates(doc.text, doc.structure, doc.layout)


def analyse_dates(text: str, st: Structure, layout: Layout) -> tuple[list[DateHit], list[tuple[int, int]], str | None]:
    """The dates of a text, every date phrase's span, and the item's own date (see the module docstring)."""
    dateline = layout.dateline
    furniture = layout.spans({"dateline"})
    phrases = [(p, sents, [r for r in raws if not any(a < r.end and r.start < b for a, b in furniture)])
               for p, sents, raws in date_phrases(text)]
    year = st.year
    if dateline is not None and dateline.year is not None and st.year_source != "title":
        year = dateline.year
    hits = resolve(text, phrases, year, report=st.year_source == "title")
    line = _dateline_hit(dateline, year)
    anchor = line.value if line is not None and line.granularity == "day" and int(line.value[:4]) == year else None
    if anchor is None and not st.sections:
        body = next((p for p in st.paragraphs if p.role == "body" and layout.kind_at(p.start) in (None, "lead")), None)
        anchor = next((h.value for h in hits if body and body.start <= h.start < body.end and h.granularity == "day"), None)
    spans = [(r.start, r.end) for _, _, raws in phrases for r in raws]
    hits += [line] if line is not None else []
    if anchor:
        hits += relative_days(text, anchor, spans + layout.spans({"dateline", "source", "credit", "byline", "rubric"}))
    hits.sort(key=lambda h: h.start)
    spans += [(h.start, h.end) for h in hits if (h.start, h.end) not in spans]
    return hits, sorted(spans), anchor or (str(year) if year else None)


def _dateline_hit(dateline, year: int | None) -> DateHit | None:
    if dateline is None:
        return None
    y = dateline.year if dateline.year is not None else year
    if y is None:
        return None
    if dateline.day is None:
        return DateHit(dateline.start, dateline.end, f"{y:04d}", "year")
    built = _day(y, dateline.month, dateline.day)
    return DateHit(dateline.start, dateline.end, built[0], "day") if built else None


def relative_days(text: str, anchor: str, taken: list[tuple[int, int]]) -> list[DateHit]:
    """"сегодня", "вчера", "накануне", "в понедельник", "с понедельника" as days, counted from `anchor`."""
    day, out = dt.date.fromisoformat(anchor), []
    for m in RELATIVE_DAY.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        word = m.group(1).lower()
        if word in WEEKDAYS:
            if not m.group(0)[:1].isalpha() or m.group(0).lower() == word or _EXPLICIT_AFTER.match(text, m.end()):
                continue  # a weekday needs its preposition ("в среду", not "до воскресенья"); "в среду, 22 октября"
            value = day - dt.timedelta(days=(day.weekday() - WEEKDAYS[word]) % 7)
        else:
            if word == REL["eve"] and _before_genitive(text, m.end()):
                continue  # "накануне праздника"
            value = day + dt.timedelta(days=REL["days"][word])
        out.append(DateHit(m.start(), m.end(), value.isoformat(), "day"))
    return out


def _before_genitive(text: str, pos: int) -> bool:
    m = re.match(r"\s+([а-яё-]+)", text[pos:pos + 40])
    return bool(m) and any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "NPRO") for p in morph.parse(m.group(1))[:2])


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
    rel: str | None = None  # the adjective of a year relative to the item's ("прошлого года")


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
    if f["rel"] is not None:
        return [_relative(start, end, f)]

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


def _relative(start: int, end: int, f: dict) -> _Raw:
    """'в прошлом году', 'в марте прошлого года', '5 мая следующего года', 'июнь-август этого года'."""
    d1, m1, m2 = f["d1"], f["m1"], f["m2"]
    if m2 is not None:
        build = lambda y: _interval(_iso(y, m1), _iso(y, m2))  # noqa: E731
    elif d1 is not None:
        build = lambda y: _day(y, m1, d1)  # noqa: E731
    elif m1 is not None:
        build = lambda y: (_iso(y, m1), "month")  # noqa: E731
    else:
        build = lambda y: (_iso(y), "year")  # noqa: E731
    return _Raw(start, end, None, build, rel=f["rel"])


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


def _sentence_of(sents, pos, starts=None):
    """The sentence (start, end) holding pos (sents in text order; `starts`: their starts, if known)."""
    k = bisect_right(starts if starts is not None else [a for a, _ in sents], pos) - 1
    if k >= 0 and pos < sents[k][1]:
        return sents[k]
    return sents[-1] if sents else (pos, pos)


def _opens_sentence(text: str, raw: _Raw, sent_start: int) -> bool:
    return not text[sent_start:raw.start].strip()


class _Context:
    """One paragraph's dated phrases, for the year of a date written without one (see the module
    docstring): looked up by position, not scanned per date."""

    def __init__(self, text, raws, sents):
        self.sents, self.starts = sents, [a for a, _ in sents]
        self.dated = [r for r in raws if r.year is not None and r.gives_context]   # in text order
        self.dated_starts = [r.start for r in self.dated]
        leads = [r for r in self.dated if _opens_sentence(text, r, self.sentence(r.start)[0])]
        self.lead_starts, self.lead_years = [r.start for r in leads], [r.year for r in leads]

    def sentence(self, pos):
        return _sentence_of(self.sents, pos, self.starts)

    def year(self, raw, report_year) -> int | None:
        s, e = self.sentence(raw.start)
        k = bisect_left(self.dated_starts, raw.start)   # the dated phrases before raw start at [:k]
        if k and self.dated_starts[k - 1] >= s:
            return self.dated[k - 1].year
        k = bisect_right(self.dated_starts, raw.start)
        if k < len(self.dated) and self.dated_starts[k] < e and (
                report_year is None or abs(self.dated[k].year - report_year) <= 1):
            return self.dated[k].year
        k = bisect_left(self.lead_starts, s)
        return self.lead_years[k - 1] if k else report_year


def find_dates(text: str, report_year: int | None) -> list[DateHit]:
    """Every date mention in `text` (the cleaned report text), in text order, never overlapping."""
    return resolve(text, date_phrases(text), report_year)


def resolve(text: str, phrases, report_year: int | None, report: bool = False) -> list[DateHit]:
    """The dates of the phrases of `text`, in text order, never overlapping.

    `report_year` dates the mentions that state no year and get none from their sentence or
    paragraph; with None those are skipped. In a `report` on its year "в прошедшем году" is that year."""
    hits = []
    for _, _, raws in phrases:
        for raw in raws:
            if raw.rel is not None and report_year is not None:
                offsets = REPORT_YEAR_FORMS if report and raw.rel in REPORT_YEAR_FORMS else RELATIVE_YEAR_FORMS
                raw.year = report_year + offsets[raw.rel]
    for _, sents, raws in phrases:
        context = _Context(text, raws, sents)
        for raw in raws:
            if raw.rel is not None and raw.year is None:
                continue  # "в прошлом году" with no year to count from
            if raw.bare_month:
                word = text[raw.start:raw.end].split()[-1]
                if word[:1].isupper() and not _opens_sentence(text, raw, context.sentence(raw.start)[0]):
                    continue  # "Марта" inside a sentence is a name, not a month
            year = raw.year if raw.year is not None else context.year(raw, report_year)
            if year is None:
                continue
            built = raw.build(year)
            if built and built[0]:
                hits.append(DateHit(raw.start, raw.end, built[0], built[1]))
    return hits
