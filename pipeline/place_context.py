"""What the words around a capitalised word say about it being a place (the places stage reads them):
a first name before a surname ("Владимир Елисеев") is none; a nationality adjective ("японским Комацу")
makes a city of its country; names listed after a plural city noun are cities; an abbreviation of
republics and countries ("РК") stands for the reading the text names in words; an East Asian name may
follow a place inside one NER span ("уезда Суньу Ма Цзяньпин"); a one-word name's case endings.
"""

from functools import lru_cache

from pipeline import gazetteer, rules
from pipeline.grammars.names import PATRONYMIC, asian_name_end
from pipeline.tokens import Tok

R = rules.load("places")
ABBREVIATIONS = {a: [[gazetteer.key(n) for n in reading] for reading in readings]
                 for a, readings in R["abbreviations"].items()}
NATIONALITY = {gazetteer.key(w): cc for cc, words in R["nationalities"].items() for w in words}
CITY_NOUNS = {gazetteer.key(w) for w in R["cities"]["listing"]}


def abbreviation_at(text: str, s: int) -> str | None:
    """"РК", "РС(Я)" written at offset s, as a word of its own."""
    for a in ABBREVIATIONS:
        if text.startswith(a, s) and not text[s + len(a):s + len(a) + 1].isalnum() and not text[s - 1:s].isalnum():
            return a
    return None


def before_asian_name(doc, s: int, e: int) -> tuple[int, int]:
    """"уезда Суньу Ма Цзяньпин" read as one place: the place ends before an East Asian name
    (pipeline.grammars.names)."""
    inside = doc.span_tokens(s, e)
    for k in list(inside)[1:]:
        if asian_name_end(doc.tokens, k) is not None:
            return s, doc.tokens[k - 1].end
    return s, e


def given_name_before_surname(toks: list[Tok], k: int) -> bool:
    """"Владимир Елисеев", "Милан Грегор", "Черникова Владимира Васильевича": a first name the
    dictionary knows, followed by a surname or a patronymic, is a person's name, not a place."""
    t = toks[k]
    if not any("Name" in p.tag for p in t.parses()[:3]):
        return False
    n = toks[k + 1] if k + 1 < len(toks) else None
    if n is None or not n.cap or n.sent != t.sent or n.start - t.end > 1:
        return False
    if PATRONYMIC.match(n.text):
        return True
    ps = n.parses()[:3]
    return gazetteer.lookup(n.text) is None and (any("Surn" in p.tag for p in ps) or not ps[0].is_known)


def nationality_before(toks: list[Tok], k: int) -> str | None:
    """The country of a nationality adjective right before token k ("японским Комацу", "немецкий Зуль")."""
    if k == 0 or toks[k - 1].sent != toks[k].sent:
        return None
    return NATIONALITY.get(toks[k - 1].lemma) if not toks[k - 1].cap else None


def name_after_nationality(toks: list[Tok], k: int) -> bool:
    """A capitalised word after a nationality adjective names a city unless it is a common noun that
    agrees with the adjective ("немецкий Бундестаг") or an organisation's name; "греческий Панорама"
    (no agreement: "город" is understood) is a city."""
    t, adj = toks[k], toks[k - 1]
    if not t.word or len(t.text) < 3 or t.latin or t.abbr or t.sent_start or (
            k + 1 < len(toks) and toks[k + 1].cap and toks[k + 1].sent == t.sent):
        return False
    ps = t.parses()[:2]
    if any("Orgn" in p.tag for p in ps) or t.pos not in ("PROPN", "NOUN", "X", ""):
        return False
    if any(p.is_known and p.tag.POS == "NOUN" and not ({"Geox", "Name", "Surn"} & set(str(p.tag).replace(" ", ",").split(",")))
           and p.tag.gender == (adj.gender or p.tag.gender) for p in ps[:1]):
        return False
    return True


class Taken:
    """The place spans found so far, looked up by where they end or start (no scan per candidate)."""

    def __init__(self):
        self.by_end: dict[int, list[int]] = {}
        self.by_start: dict[int, list[int]] = {}

    def append(self, span: tuple[int, int]) -> None:
        s, e = span
        self.by_end.setdefault(e, []).append(s)
        self.by_start.setdefault(s, []).append(e)

    def ending_at(self, e: int) -> tuple[int, int] | None:
        starts = self.by_end.get(e)
        return (starts[0], e) if starts else None

    def near(self, a: int, b: int, dist: int):
        """Spans that end at most `dist` characters before a, or start at most `dist` after b."""
        for e in range(max(0, a - dist), a + 1):
            for s in self.by_end.get(e, ()):
                yield s, e
        for s in range(b, b + dist + 1):
            for e in self.by_start.get(s, ()):
                yield s, e


def listed_after_city_noun(toks: list[Tok], k: int, taken: Taken) -> bool:
    """"с финскими муниципалитетами Суомуссалми и Сотками": a capitalised word listed after a place
    that a plural city noun introduces is a city too."""
    t = toks[k]
    if t.sent_start or k < 3 or toks[k - 1].low not in ("и", ",") or not t.word:
        return False
    prev = toks[k - 2]
    span = taken.ending_at(prev.end)
    if span is None:
        return False
    j = next((i for i in range(k - 2, -1, -1) if toks[i].start == span[0]), None)
    return j is not None and j > 0 and toks[j - 1].lemma in CITY_NOUNS and toks[j - 1].number == "plur"


@lru_cache(maxsize=50_000)
def oblique(name_key: str) -> set[str]:
    """The keys a one-word name may be an oblique form of: "пхохана" -> {"пхохан", …} (the case endings of
    places.toml)."""
    if " " in name_key:
        return set()
    return {name_key[: -len(end)] + rep for end, rep in R["endings"] if name_key.endswith(end) and len(name_key) > len(end) + 2}
