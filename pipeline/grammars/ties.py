"""The tie grammar (yargy): the ways a text states that the reporting city and another city are twins or partners.

It reads a sentence as a stream of role tokens (`pipeline.ties` builds it): each place mention is one
token, of role OWN (the reporting city), PLACE (another city, region or place) or COUNTRY; NAME is a
capitalised word that may name a city the places stage missed ("Дацином"); a word that
states a tie is TIE_N ("побратим", "город-партнёр"), TIE_A ("побратимские", "дружеских"), TIE_REL
("побратимство", "дружба") or TIE_V ("дружит"); the other words are AGREE ("соглашение", as subject
or object), CITYNOUN ("город"), REGNOUN ("уезд"), ADJ, NUM, VERB, PUNCT or WORD, with their lemma as the
token's value. A frame is a rule over that stream; the PLACE tokens of a match, outside brackets,
are the reporting city's partners. Whether a match states a tie (not a plan, not a foreign city's own
partners) is decided by `pipeline.ties` on the clause around it.

  list       a tie word, then the cities: "побратимами Калуги являются немецкий Зуль, …", "делегации из
             городов-побратимов Тулы – Банска-Бистрицы (Словакия), …", "Соглашения о сотрудничестве
             между городами у Ангарска подписаны с японским Комацу, … и двумя российскими – Мытищи и
             Алушта", "30-летия побратимских связей Ярославля и немецкого города Касселя"
  pair       the two cities, then the tie: "Бишкек и Уфа стали городами-побратимами", "Эгер и наш город
             связывают побратимские отношения", "Ярославль и Кассель отмечают 30 лет дружбы"
  mirror     the partner, then the tie of the reporting city: "Тэбэк – город-побратим Нерюнгри"
  before     the cities, then a relative clause with the tie: "… и Пловдива (Болгария) – городов, с
             которыми у донской столицы подписаны договоры о побратимстве"
  society    a tie word and "X-Y" with the reporting city: «Города-побратимы Мурманск-Гронинген»
  friends    "С Дортмундом Ростов-на-Дону дружит с 1977 года"
  apposition the cities, then the tie word in apposition: "Могилёв – наш побратим", "Резекне, города-партнёра"
"""
from functools import lru_cache

from pipeline import rules
from pipeline.grammars.recognizer import Recognizer
from pipeline.tokens import key

R = rules.load("ties")
ROLES = ("OWN", "PLACE", "NAME", "COUNTRY", "TIE_N", "TIE_A", "TIE_REL", "TIE_V", "AGREE", "CITYNOUN", "REGNOUN", "ADJ",
         "NUM", "VERB", "PUNCT", "WORD")
W = {name: {key(w) for w in words} for name, words in R["words"].items() if name != "own"}
OWN_PHRASES = [tuple(key(w) for w in p) for p in R["words"]["own"]]
DASH = "–"   # every dash and hyphen of the stream


@lru_cache(maxsize=1)
def parser():
    """A yargy parser per frame, over role token streams."""
    from yargy import Parser, and_, not_, or_, rule
    from yargy.predicates import eq, in_, type as role
    from yargy.rule import Rule
    from yargy.tokenizer import Tokenizer

    def alt(*items):
        """or_ over predicates and rules alike."""
        return or_(*[x if isinstance(x, Rule) else rule(x) for x in items])

    class Stream(Tokenizer):
        """The role tokens as they are: `pipeline.ties` made them."""

        def __init__(self):
            super().__init__([])
            self.types = set(ROLES)

        def __call__(self, tokens):
            return tokens

    dash, comma = eq(DASH), eq(",")
    place, own_city = or_(role("PLACE"), role("NAME")), role("OWN")
    own = alt(rule(own_city), *[rule(*[eq(w) for w in p]) for p in OWN_PHRASES])
    paren = rule(eq("("), not_(eq(")")).repeatable(), eq(")"))
    attr = alt(role("ADJ"), role("NUM"), role("CITYNOUN"), role("REGNOUN"), eq("еще"))
    attrs = rule(attr.repeatable(max=4), dash.optional())
    member = rule(attrs.optional(), place, paren.optional())
    mine = rule(attrs.optional(), own, paren.optional())
    item = alt(member, mine)
    sep = alt(comma, eq("и"), dash, rule(comma.optional(), eq("а"), eq("также")), rule(comma, eq("и")))
    cities = rule(item, rule(sep.repeatable(max=2), item).repeatable().optional())

    # the tie words: "городами-побратимами", "побратимские связи", "(договоры о) побратимстве",
    # "соглашение о сотрудничестве", "партнёрских городов"; two of them coordinated
    about = in_({"о", "об"})
    tie = alt(
        rule(role("TIE_N")),
        rule(role("TIE_A"), alt(in_(W["relations"]), role("AGREE"), role("CITYNOUN"))),
        rule(rule(role("AGREE"), about).optional(), role("TIE_REL")),
        rule(role("AGREE"), about, in_(W["cooperation"])),
    )
    ties = alt(rule(tie, rule(eq("и"), tie).optional()),
               rule(role("TIE_A"), eq("и"), role("TIE_A"), alt(in_(W["relations"]), role("AGREE"))))

    # list: a tie word, then what may stand before the cities, then the cities
    at = rule(eq("у"), alt(own, not_(or_(place, role("COUNTRY"), role("PUNCT"))).repeatable(max=3)))
    bridge = alt(own, at, role("VERB"), role("NUM"), role("CITYNOUN"), in_(W["bridge"]), dash, eq(":"), comma,
                 rule(eq("в"), eq("тот"), eq("число")))
    besides = rule(in_(W["besides"]), place, paren.optional(), comma)
    listed = rule(besides.optional(), ties, bridge.repeatable(max=6).optional(), cities)

    # pair: the reporting city and another one, then the tie
    pair = alt(rule(mine, eq("и"), member), rule(member, eq("и"), mine))
    gap = alt(role("VERB"), role("NUM"), role("WORD"), role("ADJ"), role("AGREE"), role("CITYNOUN"), dash)
    paired = rule(pair, gap.repeatable(max=6).optional(), ties)

    # mirror: "Тэбэк – город-побратим Нерюнгри", "Кассель является одним из старейших партнёров Ярославля",
    # "Актобе, Уральск и Костанай – партнёры Оренбурга"
    mirror_gap = alt(role("ADJ"), role("NUM"), role("VERB"), in_(W["mirror"]))
    mirror = rule(cities, alt(dash, role("VERB")), mirror_gap.repeatable(max=4).optional(), role("TIE_N"), own)

    # before: the cities, then "– городов, с которыми … подписаны договоры о побратимстве",
    # ", который стал новым городом-партнёром Самары"
    relative = rule(alt(dash, comma), role("CITYNOUN").optional(), comma.optional(), in_({"с", "со"}).optional(),
                    eq("который"))
    clause = not_(or_(place, role("COUNTRY"), role("PUNCT"))).repeatable(max=6)
    before = rule(cities, relative, clause.optional(), ties, own.optional())

    # society: «Города-побратимы Мурманск-Гронинген», "Ассоциация дружбы «Ниигата — Хабаровск»"
    quote = eq('"')
    society = rule(ties, quote.optional(), alt(rule(own, dash, place), rule(place, dash, own)))

    # friends: "Псков дружит с Нойсом", "С Дортмундом Ростов-на-Дону дружит с 1977 года"
    with_ = in_({"с", "со"})
    adverbs = alt(role("WORD"), role("NUM")).repeatable(max=3).optional()
    friends = alt(rule(own, adverbs, role("TIE_V"), with_, cities),
                  rule(with_, place, own, adverbs, role("TIE_V")))

    # apposition: "Могилёв – наш побратим с 1997 года", "из Бреста, нашего города-побратима", "делегация
    # латвийского Резекне, города-партнёра с 2003 года" (a place after the tie word makes it another's:
    # pipeline.ties)
    appos_gap = alt(in_(W["mirror"]), and_(role("ADJ"), not_(eq("который"))))
    apposition = rule(cities, alt(dash, comma), eq("наш").optional(), appos_gap.repeatable(max=2).optional(),
                      role("TIE_N"))

    frames = {"list": listed, "pair": paired, "mirror": mirror, "before": before, "society": society,
              "friends": friends, "apposition": apposition}
    return {name: Recognizer(Parser(r, tokenizer=Stream())) for name, r in frames.items()}


TIES = {"TIE_N", "TIE_A", "TIE_REL", "TIE_V"}


def _windows(stream) -> dict[str, list[tuple[int, int]]]:
    """Where in a stream each frame may match, around its tie words (the chart parser's work grows with
    the tokens it reads: a frame is read only where it can be)."""
    n = len(stream)
    ties = [k for k, r in enumerate(stream) if r.type in TIES or r.value in W["cooperation"]]
    own = [k for k, r in enumerate(stream) if r.type == "OWN" or (r.value == "город" and k and stream[k - 1].value == "наш")]
    places = [k for k, r in enumerate(stream) if r.type in ("PLACE", "NAME", "OWN")]

    def named(a, b):
        return [p for p in places if a <= p < b]

    out: dict[str, list[tuple[int, int]]] = {"list": []}
    out["apposition"] = [(max(0, k - 40), min(n, k + 1)) for k in ties if stream[k].type == "TIE_N"
                         and any(r.value in (DASH, ",") for r in stream[max(0, k - 4):k]) and named(k - 40, k)]
    for k in ties:   # a list starts within a few words of its tie word (a bridge, a city noun …)
        after = named(k + 1, k + 50)
        if after and after[0] <= k + 14:
            out["list"].append((max(0, k - 6), min(n, after[-1] + 8)))
    if own:
        out["pair"] = [(max(0, k - 20), min(n, k + 3)) for k in ties
                       if len(set(named(k - 20, k)) | {o for o in own if k - 20 <= o < k}) >= 2]
        out["mirror"] = [(max(0, k - 40), min(n, k + 3)) for k in ties if stream[k].type == "TIE_N"
                         and any(k < o <= k + 2 for o in own) and named(k - 40, k)]
        out["society"] = [(k, min(n, k + 7)) for k in ties if any(r.value == DASH for r in stream[k + 1:k + 6])]
        out["friends"] = [(max(0, k - 6), min(n, k + 40)) for k in ties if stream[k].type == "TIE_V"]
    rel = [k for k, r in enumerate(stream) if r.value == "который"]
    if rel:
        out["before"] = [(max(0, j - 40), min(n, k + 4)) for j in rel for k in ties if j < k <= j + 9]
    return {f: _merged(w) for f, w in out.items() if w}


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def matches(stream) -> list[tuple[str, int, int]]:
    """(frame, first, after last) of every match over a role stream: items with `value`, `type` and
    `start`, `end` character offsets (sub-spans of a match are matches too)."""
    from yargy.span import Span
    from yargy.token import Token

    tokens = [Token(r.value, Span(r.start, r.end), r.type) for r in stream]
    index = {r.start: k for k, r in enumerate(stream)}
    out = set()
    for frame, windows in _windows(stream).items():
        for a0, b0 in windows:
            for i, j in parser()[frame].spans(tokens[a0:b0]):
                a = index[stream[a0 + i].start]
                b = a
                while b < len(stream) and stream[b].end <= stream[a0 + j - 1].end:
                    b += 1
                out.add((frame, a, b))
    return sorted(out, key=lambda x: (x[1], -x[2], x[0]))
