"""The `persons` stage: names (surname first, surname in the nominative), every mention, and their posts.

  * mentions: where the names are (the name grammar and Natasha's PER spans), which word is the
    surname, the cases and gender the context allows;
  * surnames: the Russian surname paradigms that put a surname in the nominative;
  * posts: the posts before, after and linked to a name, read with the noun-phrase grammar; the
    organisation named inside a post is one of the `organisations` layer;
  * grouping: the mentions of one person, one record.
"""
from pipeline.doc import ReportDoc
from pipeline.grammars.names import HON_GENDER
from pipeline.persons import grouping, mentions, posts
from pipeline import rules
from pipeline.stage import stage
from pipeline.tokens import key

TITLES = {key(w) for w in rules.load("honorifics")["neutral"]}


class Without:
    """The indices of `base` outside every one of `parts`, by membership: no copy of `base` per mention."""
    __slots__ = ("base", "parts")

    def __init__(self, base: set[int], *parts):
        self.base, self.parts = base, parts

    def __contains__(self, k: int) -> bool:
        return k in self.base and not any(k in part for part in self.parts)


@stage("persons", requires=("text", "natasha", "tokens", "locations", "organisations"), assigns=("persons",))
def persons(doc: ReportDoc) -> None:
    toks = doc.tokens
    found = mentions.find(doc)
    stop, anchors = set(), set()
    for m in found:
        if m.hon is None and m.a > 0 and toks[m.a - 1].sent == toks[m.a].sent and (
                toks[m.a - 1].lemma in TITLES or toks[m.a - 1].lemma in HON_GENDER or toks[m.a - 1].low in HON_GENDER):
            m.hon = m.a - 1      # "шейх Равиль Гайнутдин" (a title, no gender), "г-н Томас Мюллер"
        stop |= set(range(m.a, m.b))
        if m.hon is not None:
            stop.add(m.hon)
        anchors.add(m.hon if m.hon is not None else m.a)
    # a surname alone in the genitive may be part of a post: "пресс-секретарь Путина Дмитрий Песков"
    soft = {m.a for m in found if m.b - m.a == 1 and toks[m.a].case == "gent"}
    for m in found:
        mentions.constrain(toks, m)
        anchor = m.hon if m.hon is not None else m.a
        own = Without(stop, range(m.a, m.b), (m.hon,), soft)
        if m.a in soft and m.b in anchors:
            m.positions = []      # the post before "Путина Дмитрий Песков" is Peskov's
        else:
            m.positions = posts.before(doc, anchor, mentions.indeclinable_or(m, toks), own)
        ctx_cases = posts.apposition_cases(doc, m)
        if ctx_cases and ctx_cases & m.cases:
            m.cases &= ctx_cases
        m.positions += posts.after(doc, m, mentions.indeclinable_or(m, toks), stop, anchors)
        m.positions += posts.predicated(doc, m, stop, anchors)
        mentions.choose(toks, m, mentions.verb_gender(toks, m) or mentions.role_gender(toks, m))
    for group in mentions.listed(doc, found):
        first = group[0]
        anchor = first.hon if first.hon is not None and toks[first.hon].lemma not in TITLES else first.a
        for p in posts.plural_before(doc, anchor, Without(stop, range(first.a, first.b), soft)):
            for m in group:
                m.positions.append(p)
    places = set(doc.locations)
    doc.persons = grouping.group(toks, [m for m in found if mentions.keep(toks, m, places)])
