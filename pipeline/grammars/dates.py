"""The date grammar (yargy): days, months, years, ranges, quarters and half-years, with the
preposition that leads them ("с 12 по 15 сентября", "во втором полугодии 2022 года").

Its vocabulary (month names, period words, ordinals, year words, prepositions) comes from
`rules/dates.toml`. `matches(paragraph)` gives the phrases of a paragraph with their parts
(d1, m1, y1, d2, m2, y2, ord, plen, kind, rel); turning them into values is `pipeline.dates`. A year
may be relative ("в марте прошлого года", "в следующем году": `rel` is the adjective, whose offset from
the item's year is RELATIVE_YEAR_FORMS[rel], or REPORT_YEAR_FORMS[rel] in a report on its year).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import morph  # noqa: F401  (must come before yargy: aliases pymorphy2 -> pymorphy3)
from pipeline import rules
from pipeline.grammars.recognizer import Lookahead, Recognizer

from yargy import Parser, or_, rule
from yargy.parser import Chart, State
from yargy.rule.bnf import is_rule
from yargy.tree.constructors import Node
from yargy.interpretation import fact
from yargy.predicates import caseless, custom, eq, in_, in_caseless
from yargy.tokenizer import Tokenizer

_R = rules.load("dates")


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
RELATIVE_YEAR_FORMS = _form_map(_R["relative"]["years"])
REPORT_YEAR_FORMS = _form_map(_R["relative"]["report_years"])  # their offsets in a report on its year
# look-alikes of the roman digit I ("ІІІ квартал" typed with the Ukrainian І)
_ROMAN_LOOKALIKE = str.maketrans({"І": "I", "Ӏ": "I"})


def _roman(value: str) -> int | None:
    return ROMAN.get(value.translate(_ROMAN_LOOKALIKE).upper())


# ---------------------------------------------------------------- grammar

FIELDS = ("d1", "m1", "y1", "d2", "m2", "y2", "ord", "plen", "kind", "rel")
D = fact("D", list(FIELDS))

_is_year = lambda v: len(v) == 4 and YEAR_MIN <= int(v) <= YEAR_MAX  # noqa: E731
is_day = lambda v: len(v) <= 2 and 1 <= int(v) <= 31  # noqa: E731
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

    relative_year = rule(in_caseless(set(RELATIVE_YEAR_FORMS)).interpretation(
        D.rel.custom(lambda w: w.lower())), in_caseless(YEAR_WORD_FORMS))  # прошлого года

    @_shared
    def day(attr):
        return rule(custom(is_day, types=INT)).interpretation(attr.custom(int))

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
        rule(day(D.d1), month(D.m1), or_(year_after_month(D.y1), relative_year).optional()),
        rule(month(D.m1), relative_year),
        relative_year,
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
        # январь–март 2022 года; с января по март; июнь-август этого года
        rule(month(D.m1), year_after_month(D.y1).optional(), DASH, month(D.m2), year_after_month(D.y2).optional()),
        rule(month(D.m1), DASH, month(D.m2), relative_year),
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
        rule(custom(is_day, types=INT),
             rule(rule(LIST_SEP).interpretation(D.kind.const("day_list")), custom(is_day, types=INT)).repeatable(),
             month(D.m1), year_after_month(D.y1).optional()),
    )
    # one optional lead for every kind of phrase keeps the grammar's start small (the parser's cost)
    return rule(or_(LEAD, rule(FROM)).optional(), or_(single, ranges, lists)).interpretation(D)


class _StartFilteredParser(Parser):
    """yargy's Parser with two shortcuts that leave the matches unchanged but save most of the work
    (a chart parser's cost is the states it predicts):

    - a new match is only predicted in front of a token that can begin a date phrase;
    - a production is only predicted where it can begin (pipeline.grammars.recognizer.Lookahead).
    """

    def __init__(self, rule, can_start, **kwargs):
        super().__init__(rule, **kwargs)
        self.can_start = can_start
        self.lookahead = Lookahead(self.rule)

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
            if not self.lookahead.viable(production, token):
                continue  # could never match here
            node = Node(rule, production, rank=index, children=[])
            column.append(State(rule, production, dot_index=0, start_column=column, stop_column=column, node=node))


def _can_start(token) -> bool:
    """Can a date phrase begin with this token (a preposition, a number, a month, an ordinal)?"""
    if token.type == "INT":
        return len(token.value) in (1, 2, 4)
    word = token.value.lower()
    return word in _START_WORDS or _roman(token.value) is not None


_START_WORDS = set(PREP["lead"]) | set(PREP["from"]) | {ph[0] for ph in PREP["phrases"]} | set(MONTH_FORMS) \
    | set(RELATIVE_YEAR_FORMS) \
    | set(ORDINAL_FORMS)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return _StartFilteredParser(_build_grammar(), _can_start, tokenizer=Tokenizer())


# The chart parser costs time for every token it sees, so it only sees windows around "anchors"
# (month and period words, 4-digit years, numeric dates), stretched over the neighbouring tokens
# that can belong to a date phrase: day numbers, dashes, "с"/"по", "в период", ordinals, year words.
_TOKENIZER = Tokenizer()
_ANCHOR_WORDS = set(MONTH_FORMS) | set(PERIOD_FORMS) | set(RELATIVE_YEAR_FORMS)
_LINK_WORDS = {w for w in (PREP["lead"] + PREP["from"] + PREP["to"] + PREP["year_list"]
                           + [w for ph in PREP["phrases"] for w in ph])} | DASHES | {".", "/"} \
    | set(ORDINAL_FORMS) | YEAR_WORD_FORMS | YEAR_ADJECTIVE_FORMS | YEAR_ABBR | set(_R["ordinals"]["arabic_suffixes"]) \
    | set(_R["years"]["ordinal_suffixes"])
_BEFORE, _AFTER = 8, 4  # most tokens a window may stretch back / ahead of an anchor
_MOST = 40  # most tokens in one window: the chart parser's cost grows faster than its window


def _is_anchor(tokens, i) -> bool:
    tok = tokens[i]
    if tok.type == "INT":
        if _is_year(tok.value):
            return True
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None  # 15.06.2022
        return nxt is not None and nxt.value == "." and nxt.span.start == tok.span.stop
    word = tok.value.lower()
    if word in RELATIVE_YEAR_FORMS:  # "этом" is a date only before a year word: "в этом году"
        return i + 1 < len(tokens) and tokens[i + 1].value.lower() in YEAR_WORD_FORMS
    return word in _ANCHOR_WORDS


def _can_link(tok) -> bool:
    if tok.type == "INT":
        return len(tok.value) <= 4
    return tok.value.lower() in _LINK_WORDS or _roman(tok.value) is not None


_DIGIT, _WORD = re.compile(r"\d"), re.compile(r"[а-яё]+", re.I)   # what the tokenizer reads as INT, RU


def _windows(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the paragraph worth parsing: anchors and the date-like tokens around them."""
    if not _DIGIT.search(paragraph) and _ANCHOR_WORDS.isdisjoint(w.lower() for w in _WORD.findall(paragraph)):
        return []   # no number and no anchor word: no anchor (tokenizing it costs more than this)
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
        if spans and a <= spans[-1][1] + 1 and b - spans[-1][0] < _MOST:
            spans[-1][1] = max(b, spans[-1][1])
        else:  # (a window grown to _MOST tokens, "1.1.1.1…", goes on in the next one)
            spans.append([a, b])
    return [(tokens[a].span.start, tokens[b].span.stop) for a, b in spans]


@dataclass(frozen=True)
class MatchToken:
    value: str
    type: str
    start: int
    stop: int


@dataclass(frozen=True)
class Match:
    start: int
    stop: int
    fact: dict
    tokens: tuple[MatchToken, ...]


@lru_cache(maxsize=1)
def _recognizer() -> Recognizer:
    return Recognizer(_parser(), can_start=_can_start)


@lru_cache(maxsize=4096)
def _parse_window(window: str) -> tuple[Match, ...]:
    """Date matches in one window, offsets relative to it (windows like "В 2021 году" repeat a lot): the
    spans `Parser.findall` keeps, found without parse trees (pipeline.grammars.recognizer); the tree
    of each, for its parts, by parsing that span alone (or, should a span not parse alone, the whole
    window as `Parser.findall` reads it)."""
    out = []
    tokens = list(_TOKENIZER(window))
    for i, j in _recognizer().resolved(tokens):
        a = tokens[i].span.start
        m = _phrase(window[a:tokens[j - 1].span.stop])
        if m is None:
            return tuple(_match(m) for m in _parser().findall(window))
        out.append(_shifted(m, a))
    return tuple(out)


@lru_cache(maxsize=4096)
def _phrase(text: str) -> Match | None:
    """The match of a whole date phrase ("2022 году" is one of many windows)."""
    m = _parser().match(text)
    return _match(m) if m is not None else None


def _match(m) -> Match:
    f = m.fact
    return Match(m.span.start, m.span.stop, {k: getattr(f, k) for k in FIELDS},
                 tuple(MatchToken(t.value, t.type, t.span.start, t.span.stop) for t in m.tokens))


def _shifted(m: Match, offset: int) -> Match:
    return Match(m.start + offset, m.stop + offset, dict(m.fact),
                 tuple(MatchToken(t.value, t.type, t.start + offset, t.stop + offset) for t in m.tokens))


def matches(paragraph: str) -> list[tuple[int, Match]]:
    """The date phrases of a paragraph: (the offset of the window parsed, the match in it). Windows cut
    at _MOST tokens may overlap: a match inside another one found before is dropped."""
    out, reach = [], -1
    for a, b in _windows(paragraph):
        for m in _parse_window(paragraph[a:b]):
            if a + m.stop <= reach:
                continue
            out.append((a, m))
            reach = max(reach, a + m.stop)
    return out
