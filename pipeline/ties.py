"""The `ties` stage: which places the text states to be twins or partners of the reporting city, and
since when.

Each sentence with a tie word is read as a stream of role tokens (pipeline.grammars.ties): place
mentions one token each (the reporting city OWN), tie words, the lemmas of the other words. A frame
of the grammar that matches names the partners (the PLACE tokens outside brackets). It states a tie
unless its clause plans or proposes it ("станут побратимами", "планирует подписать", "переговоры"),
denies it, or makes it another city's own ("Гомель поддерживает побратимские отношения с Брянском");
the reporting city is never its own partner; a next-year task plans its ties. A year in the clause
that sets the tie up ("с 1989 года", "подписали … в 2011 году", "14 апреля 2022 года … Бухара стала
городом-партнёром") is the tie's `tie_since`: each match's own part of the sentence, a member's own
bracket.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.grammars.ties import DASH, W, matches
from pipeline.layers import PlaceHit
from pipeline.spans import SpanIndex
from pipeline.stage import stage
from pipeline.tokens import Tok, key

R = rules.load("ties")
TWIN, PARTNER = R["triggers"]["twin"], R["triggers"]["partner"]
FRIEND = {key(w) for w in R["triggers"]["friend"]}
RELATION_NOUNS = {key(w) for w in R["triggers"]["relation_nouns"]}
MODAL = {key(w) for w in R["modality"]["words"]}
FUTURE = {key(w) for w in R["modality"]["future_verbs"]}
NEGATION = {key(w) for w in R["modality"]["negation"]}
BOUNDS, AFTER_COMMA = set(R["modality"]["bounds"]), {key(w) for w in R["modality"]["bounds_after_comma"]}
SINCE_BOUNDS = set(R["since"]["bounds"])
SINCE_FROM = [re.compile(p, re.I) for p in R["since"]["from"]]
SINCE_SET_UP = [re.compile(p, re.I) for p in R["since"]["set_up"]]
SINCE_MADE = [re.compile(p, re.I) for p in R["since"]["made"]]
SINCE_SIGNED = [re.compile(p, re.I) for p in R["since"]["signed"]]
SINCE_DATE = re.compile(R["since"]["date"], re.I)
PUNCT = {",", "(", ")", ":", ";", "«", "»", '"', "“", "”", "„", "–", "—", "-", ".", "!", "?"}
DASHES = {"–", "—", "-", "‑"}
QUOTES = {"«", "»", '"', "“", "”", "„"}


@dataclass
class Role:
    """A token of the role stream (what the grammar reads: value, type, offsets) and what it stands for."""
    value: str
    start: int
    end: int
    type: str
    tok: Tok | None = None          # the word's token (a place mention: its last token)
    place: PlaceHit | None = None
    tie: str | None = None          # twin | partner | friend, for a tie word


@stage("ties", requires=("text", "natasha", "tokens", "structure", "places", "city"), assigns=("places",))
def ties(doc: ReportDoc) -> None:
    for p in doc.places:
        p.relation, p.tie_since = None, None
    own = _own_places(doc.places, doc.city)
    mentions = sorted((a, b, p) for p in doc.places for a, b in p.mentions)
    index = SpanIndex(mentions)
    names = {doc.span_tokens(s.start, s.stop)[0] for s in doc.natasha.spans
             if s.type == "PER" and len(doc.span_tokens(s.start, s.stop)) > 1}
    tasks = SpanIndex((t.start, t.end) for t in doc.structure.tasks)
    for a, b in _sentences(doc.tokens):
        if tasks.overlapping(doc.tokens[a].start, doc.tokens[b - 1].end):
            continue        # a next-year task plans a tie ("Подписание соглашения о партнёрстве с …")
        if any(_tie_kind(t) for t in doc.tokens[a:b]) or _agreement(doc.tokens[a:b]):
            stream = _stream(doc, a, b, [mentions[k] for k in index.within(doc.tokens[a].start, doc.tokens[b - 1].end)],
                             own, names)
            if any(r.type in ("PLACE", "NAME") for r in stream):    # no partner named, no tie to read
                _read(doc, stream)


def _own_places(places: list[PlaceHit], city: PlaceHit | None) -> set[int]:
    """The reporting city and the places that are it written short ("Ростов" for Ростов-на-Дону)."""
    if city is None:
        return set()
    parts = {gazetteer.key(w) for w in re.split(r"[\s-]+", city.name) if len(w) >= 4}
    return {id(p) for p in places if p is city or (p.kind == "city" and gazetteer.key(p.name) in parts)}


def _sentences(toks: list[Tok]):
    """(first, after last) token index of each sentence; a line break ends one too."""
    a = 0
    for i in range(1, len(toks) + 1):
        if i == len(toks) or toks[i].sent != toks[a].sent or toks[i].sent_start:
            yield a, i
            a = i


def _agreement(toks: list[Tok]) -> bool:
    """"соглашение о сотрудничестве": an agreement noun, then the cooperation it is about."""
    return any(t.lemma in W["agreements"] and n.low in ("о", "об") and c.lemma in W["cooperation"]
               for t, n, c in zip(toks, toks[1:], toks[2:]))


def _tie_kind(t: Tok) -> str | None:
    return _word_tie(t.low, t.lemma)


@lru_cache(maxsize=100_000)
def _word_tie(low: str, lemma: str) -> str | None:
    """Every sentence's words are looked up: a report repeats its words."""
    if any(s in low for s in TWIN):
        return "twin"
    if any(s in low for s in PARTNER):
        return "partner"
    if lemma in FRIEND:
        return "friend"
    return None


# --- the role stream -----------------------------------------------------------------------------

def _stream(doc: ReportDoc, a: int, b: int, inside, own: set[int], names: set[int]) -> list[Role]:
    """The sentence toks[a:b] as role tokens: each place mention inside it one token (a mention inside
    a word, "Мурманск-Гронинген", splits it)."""
    toks, text = doc.tokens, doc.text
    out: list[Role] = []
    i = a
    while i < b:
        t = toks[i]
        hits = [(s, e, p) for s, e, p in inside if s < t.end and e > t.start]
        if not hits:
            out.append(_word_role(t, t.i not in names))
            i += 1
            continue
        pos = t.start
        for s, e, p in hits:
            if s > pos:
                out.append(_piece(text, pos, s))
            out.append(_place_role(doc, s, e, p, own))
            pos = max(pos, e)
        while i < b and toks[i].start < pos:
            i += 1
        if i > 0 and pos < toks[i - 1].end:
            out.append(_piece(text, pos, toks[i - 1].end))
    return out


def _place_role(doc: ReportDoc, s: int, e: int, p: PlaceHit, own: set[int]) -> Role:
    text = doc.text
    in_span = doc.span_tokens(s, e)
    tok = doc.tokens[in_span[-1]] if len(in_span) else None
    kind = "OWN" if id(p) in own else "COUNTRY" if p.kind == "country" else "PLACE"
    return Role(key(text[s:e]), s, e, kind, tok, place=p)


def _piece(text: str, s: int, e: int) -> Role:
    """The part of a word beside a place mention in it: the hyphen of "Мурманск-Гронинген"."""
    piece = text[s:e]
    if piece.strip() and all(c in DASHES for c in piece.strip()):
        return Role(DASH, s, e, "PUNCT")
    return Role(key(piece), s, e, "WORD")


def _word_role(t: Tok, may_name: bool = True) -> Role:
    if t.text in PUNCT:
        value = DASH if t.text in DASHES else '"' if t.text in QUOTES else t.text
        return Role(value, t.start, t.end, "PUNCT", t)
    tie = _tie_kind(t)
    if t.lemma in W["cooperation"]:
        return Role(t.lemma, t.start, t.end, "WORD", t, tie="cooperation")
    if tie:   # by the lemma's ending first: the tagger takes "побратимские" for a verb now and then
        if t.lemma in RELATION_NOUNS or t.lemma.endswith("ство"):
            kind = "TIE_REL"
        elif t.lemma.endswith(("ский", "ный", "ной", "ской")):
            kind = "TIE_A"
        elif t.lemma.endswith(("ть", "ться")):
            kind = "TIE_V"
        else:
            kind = "TIE_N"
        return Role(t.lemma, t.start, t.end, kind, t, tie=tie)
    if t.lemma in W["agreements"] and t.case in (None, "nomn", "accs"):
        kind = "AGREE"
    elif t.lemma in W["city_nouns"]:
        kind = "CITYNOUN"
    elif t.lemma in W["region_nouns"]:
        kind = "REGNOUN"
    elif t.pos == "NUM" or t.text.isdigit() or re.fullmatch(r"\d+-\w+", t.text):
        kind = "NUM"
    elif t.pos in ("ADJ", "DET") or (not t.cap and any(p.tag.POS == "ADJF" for p in t.parses()[:2])):
        kind = "ADJ"
    elif t.pos in ("VERB", "AUX"):
        kind = "VERB"
    elif may_name and _unknown_name(t):
        kind = "NAME"
    else:
        kind = "WORD"
    return Role(t.lemma, t.start, t.end, kind, t)


def _unknown_name(t: Tok) -> bool:
    """A capitalised word the places stage did not take that may name a city where a list of partners
    names one: a city of the gazetteer ("Дацином") or a word the dictionary does not know."""
    if not (t.cap and t.word) or t.abbr or t.latin or t.pos not in ("PROPN", "NOUN", "X", ""):
        return False
    entry = gazetteer.lookup(t.text, kind="city")
    if entry is not None and entry.kind == "city":
        return True
    p = t.parses()[0]
    return not p.is_known and not ({"Orgn", "Abbr", "Name", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")))


# --- reading the frames --------------------------------------------------------------------------

def _read(doc: ReportDoc, stream: list[Role]) -> None:
    found = matches(stream)
    appositions = {b - 1 for frame, _, b in found if frame == "apposition"}
    for frame, a, b in found:
        first_tie = next(k for k in range(a, b) if stream[k].tie)
        if frame == "list" and first_tie in appositions and stream[first_tie + 1].type != "OWN" \
                and not _plural(stream[first_tie].tok):
            continue    # "из Нарвы, города-побратима Пскова": the city after the tie word is Narva's partner
        _apply(doc, stream, frame, a, b, _year_span(stream, a, b, found))


def _qualifies_city_noun(stream: list[Role], k: int) -> bool:
    """A place in the genitive after a plural city noun in another case (or after such a place and "и")."""
    j = k - 1
    while j >= 1 and stream[j].value == "и" and stream[j - 1].type in ("PLACE", "NAME"):
        j -= 2
    noun, place = stream[j] if j >= 0 else None, stream[j + 1].tok
    if noun is None or noun.type != "CITYNOUN" or noun.tok is None or not _plural(noun.tok) or place is None:
        return False
    cases = {p.tag.case for p in place.parses()[:4] if p.tag.number != "plur"}   # a place name is singular
    return "gent" in cases and noun.tok.case not in cases | {"gent", None} and "nomn" not in cases  # "наукоградами Дубна"


def _plural(t: Tok) -> bool:
    """"городов-партнёров": the tagger reads a compound by its last part, the first says it too."""
    return t.number == "plur" or morph.parse(t.low.split("-")[0])[0].tag.number == "plur"


def _apply(doc: ReportDoc, stream: list[Role], frame: str, a: int, b: int, years: tuple[int, int]) -> None:
    """One match, stream[a:b]: the ties it states, if its clause states them."""
    words = stream[a:b]
    kinds = {r.tie for r in words if r.tie}
    first_tie = next(k for k in range(a, b) if stream[k].tie)
    left, right = _clause(stream, a, b, BOUNDS)
    if any(r.value in NEGATION for r in words):
        return
    predicative = frame in ("pair", "mirror", "before", "friends") or (
        frame == "list" and any(r.type in ("VERB", "TIE_A", "TIE_REL", "AGREE") for r in words))
    if _planned(doc, stream[left:first_tie] if predicative else [], words):
        return
    if kinds == {"friend"} and frame == "list" and not any(r.type in ("VERB", "TIE_A") for r in words):
        return      # "30 лет дружбы" alone, "Ассоциация дружбы": a tie only with a verb or as "дружеские связи"
    core = kinds - {"cooperation"}
    if not core and not any(r.value in W["signing"] for r in stream[left:b]):
        return      # a cooperation agreement ties only when signed or in force
    members = _members(doc, stream, a, b, kinds)
    if frame == "list":
        subject = _foreign_subject(stream, left, a)
        if subject is not None:
            if not any(r.type == "OWN" for r in words):
                return      # "Гомель поддерживает побратимские отношения с Брянском": Gomel's own twins
            members = [subject]   # "Нойс отмечает 30 лет дружбы с Псковом": the subject is the partner
    if frame == "before" and not _relative_agrees(stream, a, b, members):
        return
    if frame == "apposition" and b < len(stream) and stream[b].type in ("PLACE", "NAME", "COUNTRY"):
        return      # "Нарва, город-побратим Пскова": another city's partner
    relation = "twin" if core and core <= {"twin"} else "partner"
    brackets = _bracket_years(doc.text, stream, a, b)
    agreement = any(r.type in ("AGREE", "TIE_REL", "TIE_A") or r.tie == "cooperation" for r in words)
    since = _since(doc.text, *years, skip=brackets.values(), signed=agreement)
    for p in members:
        p.relation = "twin" if "twin" in (p.relation, relation) else relation
        year = brackets[id(p)][0] if id(p) in brackets else since
        if year and p.tie_since is None:
            p.tie_since = year


def _members(doc: ReportDoc, stream: list[Role], a: int, b: int, kinds: set[str]) -> list[PlaceHit]:
    """The PLACE (and NAME) tokens of a match outside brackets; for friendship words cities only."""
    out, depth = [], 0
    for k in range(a, b):
        r = stream[k]
        depth += r.value == "(" and r.type == "PUNCT"
        depth -= r.value == ")" and r.type == "PUNCT"
        if r.type not in ("PLACE", "NAME") or depth > 0:
            continue
        if _qualifies_city_noun(stream, k):
            continue        # "между городами Сахалина и Хоккайдо", "с городами Китая": the cities of a place
        if r.type == "NAME":
            r.place, r.type = _new_place(doc, r), "PLACE"
        if kinds == {"friend"} and (r.place.kind not in ("city", "other") or
                                    (k > 0 and stream[k - 1].type == "REGNOUN")):
            continue
        if r.place not in out:
            out.append(r.place)
    return out


def _new_place(doc: ReportDoc, r: Role) -> PlaceHit:
    """A city named in a list of partners that the places stage did not find: a place of its own."""
    entry = gazetteer.lookup(r.tok.text, kind="city")
    name, cc = (entry.name, entry.country_code) if entry is not None and entry.kind == "city" else (r.tok.text, None)
    same = next((p for p in doc.places if p.kind == "city" and gazetteer.key(p.name) == gazetteer.key(name)), None)
    if same is None:
        same = PlaceHit(name, "city", cc, None)
        doc.places.append(same)
    if (r.start, r.end) not in same.mentions:
        same.mentions.append((r.start, r.end))
    return same


def _clause(stream: list[Role], a: int, b: int, bounds: set[str]) -> tuple[int, int]:
    """The clause around stream[a:b]: from the last bound before it to the next bound after it."""
    def bound(k):
        r = stream[k]
        return r.type == "PUNCT" and (r.value in bounds or (r.value == "," and k + 1 < len(stream)
                                                            and stream[k + 1].value in AFTER_COMMA))
    left = a
    while left > 0 and not bound(left - 1):
        left -= 1
    right = b
    while right < len(stream) and not bound(right):
        right += 1
    return left, right


def _planned(doc: ReportDoc, before: list[Role], words: list[Role]) -> bool:
    """A plan, a proposal or talks: a modal word, or a future form of a verb that makes a tie."""
    for r in before + words:
        if r.value in MODAL:
            return True
        if r.tok is not None and r.value in FUTURE and r.type == "VERB":
            feats = doc.natasha.tokens[r.tok.i].feats or {}
            if feats.get("Tense") == "Fut" or (r.value == "быть" and r.tok.low.startswith("буд")):
                return True
    return False


def _foreign_subject(stream: list[Role], left: int, a: int) -> PlaceHit | None:
    """A city other than the reporting one as the subject of the clause before a match: a place in
    the nominative, after no preposition, outside brackets, with the reporting city not named there."""
    found, depth = None, 0
    for k in range(left, a):
        r = stream[k]
        depth += r.value == "(" and r.type == "PUNCT"
        depth -= r.value == ")" and r.type == "PUNCT"
        if r.type == "OWN":
            return None
        if r.type != "PLACE" or depth > 0 or r.place.kind != "city":
            continue
        prev = stream[k - 1] if k > 0 else None
        if prev is not None and (prev.type in ("TIE_N", "CITYNOUN") or (prev.tok is not None and prev.tok.pos == "ADP")):
            continue    # governed: "с Брестом", "коллективы города-побратима Эгера"
        if _nominative(stream, k) and found is None:
            found = r.place
    return found


def _nominative(stream: list[Role], k: int) -> bool:
    t = stream[k].tok
    return t is not None and t.case == "nomn"


def _relative_agrees(stream: list[Role], a: int, b: int, members: list[PlaceHit]) -> bool:
    """"…, который стал новым городом-партнёром": "который" agrees with the cities (or "городов") before it."""
    rel = next((r for r in stream[a:b] if r.value == "который" and r.tok is not None), None)
    if rel is None:
        return False
    noun = next((r for r in stream[a:b] if r.type == "CITYNOUN" and r.start < rel.start), None)
    if noun is not None and noun.tok is not None:
        return noun.tok.number == rel.tok.number
    if len(members) > 1:
        return rel.tok.number == "plur"
    return rel.tok.number in (None, "sing") and rel.tok.gender in (None, "masc", "neut")


def _year_span(stream: list[Role], a: int, b: int, found: list[tuple[str, int, int]]) -> tuple[int, int]:
    """The characters whose year is the tie's of the match stream[a:b]: its clause, without the parts
    that go with the matches before and after it that do not overlap it ("Договор с Витебском
    действует с 2006 года, соглашение с Гомелем – с 2015 года"). Between two matches, the text up
    to the last comma goes with the first one, the rest with the second (no comma: all of it with the
    first)."""
    left, right = _clause(stream, a, b, SINCE_BOUNDS)
    prev = max((y for _, x, y in found if y <= a and x >= left), default=None)
    nxt = min((x for _, x, y in found if x >= b and y <= right), default=None)
    if prev is not None:
        left = next((k + 1 for k in range(a - 1, prev - 1, -1) if _splits(stream[k])), a)
    if nxt is not None:
        right = next((k for k in range(nxt - 1, b - 1, -1) if _splits(stream[k])), nxt)
    return stream[left].start, stream[max(right, b) - 1].end


def _splits(r: Role) -> bool:
    return r.type == "PUNCT" and r.value == ","


def _bracket_years(text: str, stream: list[Role], a: int, b: int) -> dict[int, tuple[int, int, int]]:
    """The year in brackets right after a member of the match, that member's own: "Ниигатой
    (побратимские связи установлены в 1965 году), Харбином" -> {id(Ниигата): (1965, start, end)}."""
    out = {}
    for k in range(a, b - 1):
        if stream[k].type == "PLACE" and stream[k + 1].value == "(" and stream[k + 1].type == "PUNCT":
            end = next((j for j in range(k + 2, b) if stream[j].value == ")"), None)
            if end is None:
                continue
            s, e = stream[k + 1].start, stream[end].end
            year = _since(text, s, e)
            if year:
                out[id(stream[k].place)] = (year, s, e)
    return out


def _since(text: str, start: int, end: int, skip=(), signed: bool = True) -> int | None:
    """The year the clause text[start:end] says the tie was set up: "с 1989 года" first, then a year
    next to a verb that sets it up, then the year of a date in a clause that sets a tie up in it
    ("16 марта 2023 года новым городом-партнёром … стала Санья"; with `signed`, a tie stated by an
    agreement, also where it is signed). The spans of `skip` (a member's own bracket) are left out."""
    clause = text[start:end]
    for _, s, e in skip:
        clause = clause[:s - start] + " " * (e - s) + clause[e - start:]
    for patterns in (SINCE_FROM, SINCE_SET_UP):
        for p in patterns:
            m = p.search(clause)
            if m:
                return int(m.group(1))
    if any(p.search(clause) for p in SINCE_MADE + (SINCE_SIGNED if signed else [])):
        m = SINCE_DATE.search(clause)
        if m:
            return int(m.group(1))
    return None
