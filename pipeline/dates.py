"""Dates in report text: days, months, years, ranges, quarters and half-years as ISO 8601 values.

    find_dates(text, report_year) -> [DateHit(start, end, value, granularity), ...]

A yargy grammar (built once, below) finds the date phrases; its vocabulary (month names, period
words, ordinals, year words, prepositions) comes from `rules/dates.toml`. Each match becomes a value
here; a date written without a year ("в ноябре", "5–7 июня", "во втором полугодии") takes its year
from the context:

1. a year stated in the same sentence: the nearest one before the date, else one after it if that
   year is within a year of `report_year` (so "основанного в 1793 году" does not date "в ноябре");
2. else the paragraph: the latest earlier sentence of the paragraph that opens with a dated phrase
   ("В 2022 году ...", "15.09.2022 ...");
3. else `report_year`; with no `report_year` such a date is skipped.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from pipeline import morph  # noqa: F401  (must come before yargy: aliases pymorphy2 -> pymorphy3)
from pipeline import rules

import razdel
from yargy import Parser, or_, rule
from yargy.parser import Chart, State
from yargy.rule.bnf import is_rule
from yargy.tree.constructors import Node
from yargy.interpretation import fact
from yargy.predicates import caseless, custom, eq, in_, in_caseless
from yargy.tokenizer import Tokenizer

_R = rules.load("dates")


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: str
    granularity: str  # "year" | "month" | "day" | "range"


# ---------------------------------------------------------------- vocabulary (from dates.toml)

def _forms(lemma: str) -> set[str]:
    """Every inflected form of `lemma` (lower case), from the pymorphy3 lexemes whose lemma it is."""
    out = {lemma}
    for p in morph.parse(lemma):
        if p.normal_form.replace("ё", "е") == lemma.replace("ё", "е"):
            for f in p.lexeme:
                out.add(f.word)
    out |= {w.replace("ё", "е") for w in out}
    return out


def _form_map(table: dict[str, int]) -> dict[str, int]:
    return {form: value for lemma, value in table.items() for form in _forms(lemma)}


MONTH_FORMS = _form_map(_R["months"])
PERIOD_FORMS = _form_map(_R["periods"])
PERIOD_NEEDS_YEAR = {f for lemma in _R["periods_need_year"]["words"] for f in _forms(lemma)}
ORDINAL_FORMS = _form_map(_R["ordinals"]["words"])
ROMAN = {k.upper(): v for k, v in _R["ordinals"]["roman"].items()}
YEAR_WORD_FORMS = {f for w in _R["years"]["words"] for f in _forms(w) if f.startswith(w[:2])}
YEAR_ABBR = set(_R["years"]["abbreviations"])
YEAR_ADJECTIVE_FORMS = {f for w in _R["years"]["adjectives"] for f in _forms(w)}
YEAR_MIN, YEAR_MAX = _R["years"]["min"], _R["years"]["max"]
PIVOT = _R["years"]["two_digit_pivot"]
DASHES = set(_R["punctuation"]["dashes"])
PREP = _R["prepositions"]
# look-alikes of the roman digit I ("ІІІ квартал" typed with the Ukrainian І)
_ROMAN_LOOKALIKE = str.maketrans({"І": "I", "Ӏ": "I"})


def _roman(value: str) -> int | None:
    return ROMAN.get(value.translate(_ROMAN_LOOKALIKE).upper())


# ---------------------------------------------------------------- grammar

D = fact("D", ["d1", "m1", "y1", "d2", "m2", "y2", "ord", "plen", "kind"])

_is_year = lambda v: len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX  # noqa: E731
_is_day = lambda v: len(v) <= 2 and 1 <= int(v) <= 31  # noqa: E731
_is_month_number = lambda v: len(v) <= 2 and 1 <= int(v) <= 12  # noqa: E731
_is_short_year = lambda v: len(v) == 2  # noqa: E731


def _two_digit_year(v: str) -> int:
    n = int(v)
    return 2000 + n if n <= PIVOT else 1900 + n


def _shared(build):
    """Build a sub-rule once per attribute: a rule object used in several places is one nonterminal
    of the grammar, which keeps the chart parser's work per token small."""
    made = {}

    def get(attr):
        if attr.name not in made:
            made[attr.name] = build(attr)
        return made[attr.name]
    return get


def _build_grammar():
    INT = "INT"
    DASH = in_(DASHES)
    DOT = eq(".")
    YEAR_WORD = or_(
        rule(rule(in_caseless(YEAR_ADJECTIVE_FORMS)).optional(), in_caseless(YEAR_WORD_FORMS)),
        rule(in_caseless(YEAR_ABBR), DOT.optional()),
    )
    YEAR_ORDINAL = rule(DASH, in_caseless(_R["years"]["ordinal_suffixes"]))  # "2021-м году"

    @_shared
    def year(attr):
        return rule(rule(custom(_is_year, types=INT)).interpretation(attr.custom(int)), YEAR_ORDINAL.optional())

    @_shared
    def year_with_word(attr):  # a bare 4-digit number is a year only with a year word
        return rule(year(attr), YEAR_WORD)

    @_shared
    def year_after_month(attr):  # after a month name the year word may be left out
        return rule(year(attr), YEAR_WORD.optional())

    @_shared
    def day(attr):
        return rule(custom(_is_day, types=INT)).interpretation(attr.custom(int))

    @_shared
    def month(attr):
        return rule(in_caseless(set(MONTH_FORMS))).interpretation(attr.custom(lambda w: MONTH_FORMS[w.lower()]))

    def numeric(d, m, y):  # 15.06.2022, 15.06.22 (adjacency of the parts is checked afterwards)
        y4 = rule(custom(_is_year, types=INT)).interpretation(y.custom(int))
        y2 = rule(custom(_is_short_year, types=INT)).interpretation(y.custom(_two_digit_year))
        return rule(day(d), DOT, rule(custom(_is_month_number, types=INT)).interpretation(m.custom(int)),
                    DOT, or_(y4, y2), YEAR_WORD.optional())

    FROM = in_caseless(PREP["from"])
    TO = in_caseless(PREP["to"])
    LEAD = or_(rule(in_caseless(PREP["lead"])), *[rule(*[caseless(w) for w in ph]) for ph in PREP["phrases"]])
    LIST_SEP = in_(PREP["year_list"])

    ordinal = or_(
        rule(in_caseless(set(ORDINAL_FORMS))).interpretation(D.ord.custom(lambda w: ORDINAL_FORMS[w.lower()])),
        rule(custom(lambda v: _roman(v) is not None)).interpretation(D.ord.custom(_roman)),
        rule(rule(custom(lambda v: v in {"1", "2", "3", "4"}, types=INT)).interpretation(D.ord.custom(int)),
             rule(DASH, in_caseless(_R["ordinals"]["arabic_suffixes"])).optional()),
    )
    period = rule(
        ordinal,
        rule(in_caseless(set(PERIOD_FORMS))).interpretation(D.plen.custom(lambda w: PERIOD_FORMS[w.lower()])),
        year_after_month(D.y1).optional(),
    )

    single = or_(
        rule(day(D.d1), month(D.m1), year_after_month(D.y1).optional()),
        rule(month(D.m1), year_after_month(D.y1)),
        rule(month(D.m1)),
        year_with_word(D.y1),
        numeric(D.d1, D.m1, D.y1),
        period,
    )
    ranges = or_(
        # 5—8 августа 2021 года
        rule(day(D.d1), DASH, day(D.d2), month(D.m2), year_after_month(D.y2).optional()),
        # 30 мая – 2 июня 2022 года
        rule(day(D.d1), month(D.m1), year_after_month(D.y1).optional(), DASH,
             day(D.d2), month(D.m2), year_after_month(D.y2).optional()),
        # с 12 по 15 сентября; с 3 марта по 1 апреля 2022 года
        rule(FROM, day(D.d1), month(D.m1).optional(), year_after_month(D.y1).optional(), TO,
             day(D.d2), month(D.m2), year_after_month(D.y2).optional()),
        # январь–март 2022 года; с января по март
        rule(month(D.m1), year_after_month(D.y1).optional(), DASH, month(D.m2), year_after_month(D.y2).optional()),
        rule(FROM, month(D.m1), year_after_month(D.y1).optional(), TO, month(D.m2),
             year_after_month(D.y2).optional()),
        # 1941–1945 годов, 2022/2023 год; с 2021 по 2023 год
        rule(year(D.y1), or_(DASH, eq("/")), year(D.y2), YEAR_WORD),
        rule(FROM, year(D.y1), YEAR_WORD.optional(), TO, year(D.y2), YEAR_WORD),
        # 01.06.2022–05.06.2022; с 01.06.2022 по 05.06.2022
        rule(numeric(D.d1, D.m1, D.y1), DASH, numeric(D.d2, D.m2, D.y2)),
        rule(FROM, numeric(D.d1, D.m1, D.y1), TO, numeric(D.d2, D.m2, D.y2)),
    )
    # "в 2021 и 2022 годах", "5 и 6 мая": one hit per listed item
    lists = or_(
        rule(custom(_is_year, types=INT),
             rule(rule(LIST_SEP).interpretation(D.kind.const("year_list")), custom(_is_year, types=INT)).repeatable(),
             YEAR_WORD),
        rule(custom(_is_day, types=INT),
             rule(rule(LIST_SEP).interpretation(D.kind.const("day_list")), custom(_is_day, types=INT)).repeatable(),
             month(D.m1), year_after_month(D.y1).optional()),
    )
    # one optional lead for every kind of phrase keeps the grammar's start small (the parser's cost)
    return rule(or_(LEAD, rule(FROM)).optional(), or_(single, ranges, lists)).interpretation(D)


class _StartFilteredParser(Parser):
    """yargy's Parser with two shortcuts that leave the matches unchanged but save most of the work
    (a chart parser's cost is the states it predicts):

    - a new match is only predicted in front of a token that can begin a date phrase;
    - a production whose first term is a token predicate is only predicted if the next token passes it.
    """

    def __init__(self, rule, can_start, **kwargs):
        super().__init__(rule, **kwargs)
        self.can_start = can_start

    def chart(self, text, all=True):
        chart = Chart(self.tagger(self.tokenizer(text)))
        for column, next_column in chart:
            if column.first or (all and next_column and self.can_start(next_column.token)):
                self.predict(column, next_column, self.rule)
            for state in column:
                if state.completed:
                    self.complete(column, state)
                else:
                    next_term = state.next_term
                    if is_rule(next_term):
                        self.predict(column, next_column, next_term)
                    elif next_column:
                        self.scan(next_column, next_term, state)
        return chart

    def predict(self, column, next_column, rule):
        token = next_column.token if next_column else None
        for index, production in enumerate(rule.predict(token) if next_column else rule.productions):
            terms = production.terms
            if token is not None and terms and not is_rule(terms[0]) and not terms[0](token):
                continue  # could never scan its first token
            node = Node(rule, production, rank=index, children=[])
            column.append(State(rule, production, dot_index=0, start_column=column, stop_column=column, node=node))


def _can_start(token) -> bool:
    """Can a date phrase begin with this token (a preposition, a number, a month, an ordinal)?"""
    if token.type == "INT":
        return len(token.value) in (1, 2, 4)
    word = token.value.lower()
    return word in _START_WORDS or _roman(token.value) is not None


_START_WORDS = set(PREP["lead"]) | set(PREP["from"]) | {ph[0] for ph in PREP["phrases"]} | set(MONTH_FORMS) \
    | set(ORDINAL_FORMS)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return _StartFilteredParser(_build_grammar(), _can_start, tokenizer=Tokenizer())


# The chart parser costs time for every token it sees, so it only sees windows around "anchors"
# (month and period words, 4-digit years, numeric dates), stretched over the neighbouring tokens
# that can belong to a date phrase: day numbers, dashes, "с"/"по", "в период", ordinals, year words.
_TOKENIZER = Tokenizer()
_ANCHOR_WORDS = set(MONTH_FORMS) | set(PERIOD_FORMS)
_LINK_WORDS = {w for w in (PREP["lead"] + PREP["from"] + PREP["to"] + PREP["year_list"]
                           + [w for ph in PREP["phrases"] for w in ph])} | DASHES | {".", "/"} \
    | set(ORDINAL_FORMS) | YEAR_WORD_FORMS | YEAR_ADJECTIVE_FORMS | YEAR_ABBR | set(_R["ordinals"]["arabic_suffixes"]) \
    | set(_R["years"]["ordinal_suffixes"])
_BEFORE, _AFTER = 8, 4  # most tokens a window may stretch back / ahead of an anchor


def _is_anchor(tokens, i) -> bool:
    tok = tokens[i]
    if tok.type == "INT":
        if _is_year(tok.value):
            return True
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None  # 15.06.2022
        return nxt is not None and nxt.value == "." and nxt.span.start == tok.span.stop
    return tok.value.lower() in _ANCHOR_WORDS


def _can_link(tok) -> bool:
    if tok.type == "INT":
        return len(tok.value) <= 4
    return tok.value.lower() in _LINK_WORDS or _roman(tok.value) is not None


def _windows(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the paragraph worth parsing: anchors and the date-like tokens around them."""
    tokens = list(_TOKENIZER(paragraph))
    spans: list[list[int]] = []
    for i in range(len(tokens)):
        if not _is_anchor(tokens, i):
            continue
        a = i
        while a > 0 and i - a < _BEFORE and (_can_link(tokens[a - 1]) or _is_anchor(tokens, a - 1)):
            a -= 1
        b = i
        while b + 1 < len(tokens) and b - i < _AFTER and (_can_link(tokens[b + 1]) or _is_anchor(tokens, b + 1)):
            b += 1
        if spans and a <= spans[-1][1] + 1:
            spans[-1][1] = max(b, spans[-1][1])
        else:
            spans.append([a, b])
    return [(tokens[a].span.start, tokens[b].span.stop) for a, b in spans]


@dataclass(frozen=True)
class _Tok:
    value: str
    type: str
    start: int
    stop: int


@dataclass(frozen=True)
class _Match:
    start: int
    stop: int
    fact: dict
    tokens: tuple[_Tok, ...]


@lru_cache(maxsize=4096)
def _parse_window(window: str) -> tuple[_Match, ...]:
    """Date matches in one window, offsets relative to it (windows like "В 2021 году" repeat a lot)."""
    out = []
    for m in _parser().findall(window):
        f = m.fact
        out.append(_Match(m.span.start, m.span.stop,
                          {k: getattr(f, k) for k in ("d1", "m1", "y1", "d2", "m2", "y2", "ord", "plen", "kind")},
                          tuple(_Tok(t.value, t.type, t.span.start, t.span.stop) for t in m.tokens)))
    return tuple(out)


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


def _raws_from_match(offset: int, match: _Match) -> list[_Raw]:
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
        days = [t for t in tokens if t.type == "INT" and _is_day(t.value)]
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


@lru_cache(maxsize=8)
def _raw_dates(text: str) -> list[tuple[tuple[int, int], list[tuple[int, int]], list[_Raw]]]:
    """Per paragraph: its span, its sentence spans and its date phrases (years not yet resolved)."""
    out = []
    for p_start, p_end in _paragraphs(text):
        para = text[p_start:p_end]
        raws = []
        for w_start, w_end in _windows(para):
            for match in _parse_window(para[w_start:w_end]):
                raws.extend(_raws_from_match(p_start + w_start, match))
        if raws:
            raws.sort(key=lambda r: r.start)
            sents = [(p_start + s.start, p_start + s.stop) for s in razdel.sentenize(para)]
            out.append(((p_start, p_end), sents, raws))
    return out


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of every date phrase, whether or not its year can be resolved (used by quantities)."""
    return [(r.start, r.end) for _, _, raws in _raw_dates(text) for r in raws]

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
    """Every date mention in `text` (the cleaned report text), in text order, never overlapping.

    `report_year` dates the mentions that state no year and get none from their sentence or
    paragraph; with None those are skipped."""
    hits = []
    for _, sents, raws in _raw_dates(text):
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
