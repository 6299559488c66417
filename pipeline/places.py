"""The `places` stage: Natasha LOC spans and gazetteer names -> one record per place, with kind and
ISO country code (gazetteer, "X (КНР)", a nearby country). Ties to the reporting city are the `ties` stage's."""
import re
from bisect import bisect_right
from dataclasses import dataclass

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import PlaceHit
from pipeline.place_context import (ABBREVIATIONS, Taken, abbreviation_at, before_asian_name, given_name_before_surname,
                                    listed_after_city_noun, name_after_nationality, nationality_before, oblique)
from pipeline.stage import stage
from pipeline.tokens import Tok

R = rules.load("places")
REGION_BEFORE = {gazetteer.key(w) for w in R["regions"]["before"]}
REGION_AFTER = {gazetteer.key(w) for w in R["regions"]["after"]}
CITY_BEFORE = {w.lower().replace("ё", "е") for w in R["cities"]["before"]} | {gazetteer.key(w) for w in R["cities"]["before"]}
ENUM_GAP = re.compile(R["enumeration_gap"], re.I)
NEAR_COUNTRY = R["near_country_chars"]
NOT_PLACE_HEADS = {gazetteer.key(w) for w in R["not_places"]["heads"]}
WORD = re.compile(r"[\w.]+(?:-[\w]+)*")
NOT_NAME_TAGS = {"NPRO", "PREP", "CONJ", "PRCL", "ADVB", "VERB", "INFN"}


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    kind: str
    cc: str | None
    explicit_cc: str | None = None


LOCATION = "location"  # a location that is not a place of the schema: a street, a square, 'Запад'
ABBREVIATION = "abbreviation"   # "РК", "РС(Я)": which place, the text decides (_abbreviations)


@stage("places", requires=("natasha", "tokens"), assigns=("places", "locations"))
def places(doc: ReportDoc) -> None:
    """The places of the schema, and every location mention recognised, places or not (`locations`)."""
    found = [m for m in _candidates(doc) if m]
    _abbreviations(found)
    mentions = [m for m in found if m.kind != LOCATION]
    mentions += _more_mentions(doc.tokens, mentions, found)
    doc.locations = sorted({(m.start, m.end) for m in found + mentions})
    mentions.sort(key=lambda m: m.start)
    _context_countries(doc.text, mentions)
    doc.places = _merge(mentions)


# --- candidates -------------------------------------------------------------------------------

def _candidates(doc: ReportDoc):
    text, toks = doc.text, doc.tokens
    taken = Taken()
    covered = bytearray(len(text))
    normal = {}   # a one-word PER or ORG span: Natasha's normal form ("Тэбэком" -> "Тэбэк")
    given = set()  # the first word of a person's name: "Милан Грегор", "Владимир Елисеев"
    named = set()  # the words after a first name in a person's name ("Наталью Ершову": no town Ершов)
    for span in doc.natasha.spans:
        if span.type == "PER":
            inside = doc.span_tokens(span.start, span.stop)
            if len(inside) >= 2 and any("Name" in p.tag for p in toks[inside[0]].parses()[:3]):
                named |= set(inside[1:])
            if len(inside) >= 2 and gazetteer.lookup(toks[inside[-1]].text) is None:
                given.add(inside[0])
            elif inside and inside[0] > 0:
                # "заместитель мэра Милан Новак": NER took the first name for a city; a city here would
                # be in the genitive ("мэра Милана"), as in "мэр Москвы Собянин"
                k = inside[0] - 1
                prev = toks[k - 1] if k > 0 else None
                first = toks[k].parses()[0]
                if toks[k].cap and toks[k].end + 1 >= toks[inside[0]].start and not toks[k].sent_start \
                        and first.is_known and first.tag.case == "nomn" and prev is not None \
                        and prev.pos != "ADP" and prev.lemma not in CITY_BEFORE:
                    given.add(k)
        if span.type != "LOC":
            normal[span.start, span.stop] = span.normal
    for span in doc.natasha.spans:
        if span.type != "LOC":
            continue
        for s, e in _split(text, *before_asian_name(doc, span.start, span.stop)):
            inside = doc.span_tokens(s, e)
            abbr = abbreviation_at(text, s)
            if abbr:
                taken.append((s, s + len(abbr)))
                covered[s:s + len(abbr)] = b"\1" * len(abbr)
                yield _Mention(s, s + len(abbr), abbr, ABBREVIATION, None)
                continue
            if len(inside) == 1 and (inside[0] in given or given_name_before_surname(toks, inside[0])):
                continue
            taken.append((s, e))
            covered[s:e] = b"\1" * (e - s)
            cc = nationality_before(toks, inside[0]) if len(inside) == 1 else None
            if cc is not None and name_after_nationality(toks, inside[0]):
                yield _named_city(toks[inside[0]], cc, span.normal)
            else:
                listed = len(inside) == 1 and listed_after_city_noun(toks, inside[0], taken)
                yield _resolve(text, s, e, span.normal if (s, e) == (span.start, span.stop) else None,
                               "city" if listed else None)
    for k, tok in enumerate(toks):
        if covered[tok.start] or not tok.cap:
            continue
        abbr = abbreviation_at(text, tok.start)
        if abbr:
            covered[tok.start:tok.start + len(abbr)] = b"\1" * len(abbr)
            yield _Mention(tok.start, tok.start + len(abbr), abbr, ABBREVIATION, None)
            continue
        if k in given or k in named or given_name_before_surname(toks, k):
            continue
        if "-" in tok.text and gazetteer.lookup(tok.text) is None:
            pair = _hyphen_pair(tok)
            if pair:
                yield from pair
                continue
        cc = nationality_before(toks, k)
        if cc is not None and name_after_nationality(toks, k):
            taken.append((tok.start, tok.end))
            yield _named_city(tok, cc, normal.get((tok.start, tok.end)))
            continue
        entry = gazetteer.lookup(tok.text)
        if listed_after_city_noun(toks, k, taken):
            taken.append((tok.start, tok.end))
            yield _resolve(text, tok.start, tok.end, None, "city")
        elif entry and (_looks_like_place(tok, entry, text) or _in_enumeration(text, tok, taken)):
            taken.append((tok.start, tok.end))
            yield _resolve(text, tok.start, tok.end, None)


def _split(text: str, s: int, e: int):
    """'Хэйлунцзян (КНР)' -> two spans (and so is a list cut by bullets or semicolons); leading lower-case words and trailing punctuation dropped."""
    for m in re.finditer(r"[^()\n•;|]+", text[s:e]):
        a, b = s + m.start(), s + m.end()
        seg = text[a:b]
        lead = re.match(r"^(?:[^\w]|[a-zа-яё]\w*\s+|[A-Z]\s+)*", seg)
        a += lead.end()
        seg = text[a:b].rstrip(" ,.;:-–—")
        if seg and seg[0].isupper():
            yield a, a + len(seg)


def _looks_like_place(tok, entry, text: str) -> bool:
    if entry.kind == "country" and tok.text.isupper() and len(tok.text) >= 2:
        return True
    if tok.pos not in ("PROPN", "NOUN"):
        return False
    tags = {str(t) for p in morph.parse(tok.text)[:1] for t in [p.tag]}
    if any("Geox" in t for t in tags):
        return True
    return _after_city_word(text, tok.start)


def _in_enumeration(text: str, tok, taken: Taken) -> bool:
    """A name listed among places ('Павлодар (Казахстан), Пухов (Словакия), Минск') is a place."""
    for s, e in taken.near(tok.start, tok.end, 29):
        gap = text[e:tok.start] if e <= tok.start else text[tok.end:s]
        if len(gap) < 30 and ENUM_GAP.match(_strip_brackets(gap)) and gap.strip():
            return True
    return False


def _after_city_word(text: str, start: int) -> bool:
    before = WORD.findall(text[max(0, start - 25):start])
    return bool(before) and (before[-1].lower() in CITY_BEFORE or gazetteer.key(before[-1]) in CITY_BEFORE)


def _abbreviations(found: list[_Mention]) -> None:
    """Each abbreviation becomes a mention of the one reading the text names in words, or no place."""
    named = {}
    for m in found:
        if m.kind not in (ABBREVIATION, LOCATION):
            named.setdefault(gazetteer.key(m.name), m)
    for m in found:
        if m.kind != ABBREVIATION:
            continue
        hit = next((named[k] for reading in ABBREVIATIONS[m.name] for k in reading if k in named), None)
        if hit is None:
            m.kind = LOCATION
        else:
            m.name, m.kind, m.cc = hit.name, hit.kind, hit.cc


def _named_city(tok: Tok, cc: str, natasha_normal: str | None) -> _Mention:
    entry = gazetteer.lookup(tok.text, country_code=cc, kind="city")
    if entry and entry.country_code == cc and entry.kind == "city":
        return _Mention(tok.start, tok.end, entry.name, "city", cc)
    name = natasha_normal if natasha_normal and " " not in natasha_normal else tok.text
    return _Mention(tok.start, tok.end, name[:1].upper() + name[1:], "city", cc)


def _hyphen_pair(tok: Tok) -> list[_Mention]:
    """"Мурманск-Гронинген", "Вэхтерсбах-Троицк": two cities in one word, when one of them is a known city
    and the other one a known city too or a name the dictionary does not know."""
    parts = tok.text.split("-")
    if len(parts) != 2 or not all(len(p) >= 3 and p[:1].isupper() and p[1:].islower() for p in parts):
        return []
    if any(morph.parse(p)[0].is_known and morph.parse(p)[0].tag.POS != "NOUN" for p in parts):
        return []    # "Восточно-Сибирский"
    entries = [gazetteer.lookup(p, kind="city") for p in parts]
    known = [e is not None and e.kind == "city" for e in entries]
    unknown = [not any(x.is_known or "Abbr" in x.tag for x in morph.parse(p)[:2]) for p in parts]
    if not any(known) or not all(k or u for k, u in zip(known, unknown)):
        return []
    out, start = [], tok.start
    for p, e in zip(parts, entries):
        name, cc = (e.name, e.country_code) if e is not None and e.kind == "city" else (p, None)
        out.append(_Mention(start, start + len(p), name, "city", cc))
        start += len(p) + 1
    return out


def _more_mentions(toks: list[Tok], mentions: list[_Mention], found: list[_Mention]) -> list[_Mention]:
    """Every other occurrence of a one-word place's name that NER missed ("Эрланген и Владимир
    отмечают …" once "Владимира" is known), unless a first name before a surname."""
    names = {}
    for m in mentions:   # a city's mention before an "other" one of the same name
        if " " not in m.name and m.kind != "country" and len(m.name) >= 3:
            k = gazetteer.key(m.name)
            if k not in names or names[k].kind == "other":
                names[k] = m
    taken = sorted((m.start, m.end) for m in found)
    starts = [a for a, _ in taken]
    out = []
    for k, t in enumerate(toks):
        if not t.cap or not t.word:
            continue
        i = bisect_right(starts, t.start) - 1
        if i >= 0 and taken[i][1] > t.start:
            continue
        k_ = gazetteer.key(t.text)
        m = names.get(k_) or next((names[x] for x in oblique(k_) if x in names), None)
        if m is not None and not given_name_before_surname(toks, k) and not (
                k > 0 and toks[k - 1].cap and toks[k - 1].word and toks[k - 1].sent == t.sent and not toks[k - 1].sent_start):
            out.append(_Mention(t.start, t.end, m.name, m.kind, m.cc))
    return out


def _resolve(text: str, s: int, e: int, natasha_normal: str | None, kind: str | None = None) -> _Mention | None:
    """The place a span names; `kind` "city" when the context says so, whatever the dictionary knows."""
    surface = text[s:e]
    words = WORD.findall(surface)
    if not words or len(surface.strip()) < 2:
        return None
    before = WORD.findall(text[max(0, s - 30):s])
    prev = gazetteer.key(before[-1]) if before else ""
    if len(before) > 1 and gazetteer.key(" ".join(before[-2:])) in CITY_BEFORE:
        prev = gazetteer.key(" ".join(before[-2:]))  # 'городского округа Самара' is a city
    last = gazetteer.key(words[-1])
    if last in NOT_PLACE_HEADS or prev in NOT_PLACE_HEADS:  # 'Театральной площади', 'улицы Ленина'
        return _Mention(s, e, surface, LOCATION, None)
    entry = gazetteer.lookup(surface)
    if entry and entry.kind == "country":
        return _Mention(s, e, entry.name, entry.kind, entry.country_code)
    if prev in REGION_BEFORE:
        entry = gazetteer.lookup(surface, kind="region")
        if entry and entry.kind == "region":
            return _Mention(s, e, entry.name, "region", entry.country_code)
        return _Mention(s, e, _nominative(surface, natasha_normal), "region", None)
    if len(words) > 1 and last in REGION_AFTER and entry is None and _adjective(words[0]):
        name = _region_name(words[:-1], words[-1])
        return _Mention(s, e, name, "region", _country_of_adjective(name.split()[0]))
    shared = re.match(r"\s+и\s+[\w-]+\s+([\w-]+)", text[e:e + 60])
    if len(words) == 1 and _adjective(words[0]) and shared and gazetteer.key(shared.group(1)) in REGION_AFTER:
        name = _region_name(words, shared.group(1))  # 'в Кировском и Красноглинском районах'
        return _Mention(s, e, name, "region", None)
    if entry:
        return _Mention(s, e, entry.name, entry.kind, entry.country_code)
    if len(words) > 1:  # 'Дней Циндао': a known place at the end of a longer span
        # a proper name only: not 'Воробьёвых гор', 'Виргинские острова'
        if words[-1][:1].isupper() and gazetteer.lookup(words[-1]) and morph.parse(words[0])[0].tag.POS == "NOUN":
            return _resolve(text, s + surface.rfind(words[-1]), e, None)
    if kind == "city":
        return _Mention(s, e, _nominative(surface, natasha_normal), kind, None)
    if _function_word(words[0]):
        return None
    if _common_noun(words) or _common_phrase(words):
        return _Mention(s, e, surface, LOCATION, None)
    kind = "city" if prev in CITY_BEFORE or (before and before[-1].lower() in CITY_BEFORE) else "other"
    return _Mention(s, e, _nominative(surface, natasha_normal), kind, None)


def _adjective(word: str) -> bool:
    return morph.parse(word)[0].tag.POS == "ADJF"


def _region_name(adjectives: list[str], noun: str) -> str:
    """Nominative singular: 'Красноглинском районах' -> 'Красноглинский район'."""
    n = morph.parse(noun)[0]
    head = n.inflect({"nomn", "sing"}) or n
    gender = head.tag.gender or "masc"
    out = []
    for a in adjectives:
        p = next((x for x in morph.parse(a) if x.tag.POS == "ADJF"), morph.parse(a)[0])
        form = p.inflect({"nomn", "sing", gender}) or p
        out.append(form.word.capitalize() if a[:1].isupper() else form.word)
    return " ".join(out + [head.word])


def _country_of_adjective(adjective: str) -> str | None:
    """'Самаркандская область' -> Самарканд -> UZ; 'Омская' -> Омск -> RU."""
    stem = re.sub(r"(?:ск|цк)?(?:ая|ой|ий|ого|ое|ом|ую)$", "", adjective)
    for base in (stem, stem + "ск", stem + "а"):
        entry = gazetteer.lookup(base, kind="city")
        if entry and entry.kind == "city" and gazetteer.key(entry.name) == gazetteer.key(base):
            return entry.country_code
    return None


def _function_word(word: str) -> bool:
    """A pronoun or function word that NER took for a name ('Вы')."""
    return bool(set(str(morph.parse(word)[0].tag).replace(" ", ",").split(",")) & NOT_NAME_TAGS)


def _common_noun(words: list[str]) -> bool:
    """One word that the dictionary knows as a common noun or a person's name, not a place
    ('Мэрией', 'Кабан', 'Ленина', 'Запад')."""
    p = morph.parse(words[0])[0]
    grammemes = set(str(p.tag).replace(" ", ",").split(","))
    return len(words) == 1 and p.is_known and not grammemes & {"Geox", "Abbr"} and words[0][1:].islower()


def _common_phrase(words: list[str]) -> bool:
    """'Администрации городского округа', 'Нового времени', 'Западного побережья', 'Каспийском
    рыбопромышленном': a capitalised common word and lower-case common words, no name."""
    if len(words) < 2 or not all(w[:1].islower() for w in words[1:]):
        return False
    parses = [morph.parse(w)[0] for w in words]
    return all(p.is_known and not {"Geox", "Name", "Surn"} & set(str(p.tag).replace(" ", ",").split(","))
               and p.tag.POS in ("NOUN", "ADJF") for p in parses)


def _nominative(surface: str, natasha_normal: str | None) -> str:
    if natasha_normal:
        words, normal = surface.split(), natasha_normal.split()
        if len(words) == len(normal):
            return " ".join(n if w[:1].islower() else n[:1].upper() + n[1:] for w, n in zip(words, normal))
    return surface


# --- country codes from context ---------------------------------------------------------------

def _context_countries(text: str, mentions: list[_Mention]) -> None:
    """'X, Y (КНР)' and 'город X (Черногория)': the country in brackets after an enumeration;
    'городов Республики Беларусь (Минска и Могилева)': the country before the brackets."""
    countries = [m for m in mentions if m.kind == "country"]
    for i, m in enumerate(mentions):
        if m.kind == "country":
            continue
        j = i
        while j + 1 < len(mentions) and ENUM_GAP.match(_strip_brackets(text[mentions[j].end:mentions[j + 1].start])) \
                and not text[mentions[j].end:mentions[j + 1].start].strip().startswith("("):
            j += 1
        nxt = mentions[j + 1] if j + 1 < len(mentions) else None
        if nxt and nxt.kind == "country" and re.match(r"^\s*\($", text[mentions[j].end:nxt.start]):
            m.explicit_cc = nxt.cc
            continue
        opened = text.rfind("(", 0, m.start)
        if opened > text.rfind(")", 0, m.start) and opened > text.rfind("\n", 0, m.start):
            prev = [c for c in countries if c.end <= opened and opened - c.end <= 3]
            if prev:
                m.explicit_cc = prev[-1].cc
                continue
        if m.cc is None and m.kind in ("city", "region") and gazetteer.key(m.name.split()[-1]) not in REGION_AFTER:
            a, b = _sentence_bounds(text, m.start)
            near = [c for c in countries if a <= c.start < b and abs(c.start - m.start) <= NEAR_COUNTRY]
            if near:
                m.cc = min(near, key=lambda c: abs(c.start - m.start)).cc


def _strip_brackets(s: str) -> str:
    return re.sub(r"\([^)]*\)", "", s)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    b = min([x for x in (text.find(". ", pos), text.find("\n", pos)) if x >= 0] or [len(text)])
    return a, b


# --- merge ------------------------------------------------------------------------------------

def _fold(out: dict[tuple[str, str], PlaceHit], votes: dict) -> None:
    """One city however NER read it: "Пхоханом" read as some place (other) and "Пхохана" as a city are
    the city "Пхохан", the form the others are case endings of; an "other" place of a city's or region's name is it."""
    for x in list(out):
        if x not in out or x[1] not in ("city", "other"):
            continue
        y = next((y for y in out if y != x and ((y[1] in ("city", "other") and y[0] in oblique(x[0])) or
                                                (y[0] == x[0] and x[1] == "other" and y[1] != "country"))), None)
        if y is None:
            continue
        hit, target = out.pop(x), out[y]
        target.mentions += hit.mentions
        target.country_code = target.country_code or hit.country_code
        if target.kind == "other" and hit.kind == "city":
            target.kind = "city"
        if x in votes:
            votes.setdefault(y, []).extend(votes.pop(x))


def _merge(mentions: list[_Mention]) -> list[PlaceHit]:
    out: dict[tuple[str, str], PlaceHit] = {}
    votes: dict[tuple[str, str], list[str]] = {}
    for m in mentions:
        k = (gazetteer.key(m.name), m.kind)
        hit = out.get(k)
        if hit is None:
            hit = out[k] = PlaceHit(m.name, m.kind, m.cc, None)
        hit.mentions.append((m.start, m.end))
        if m.explicit_cc:
            votes.setdefault(k, []).append(m.explicit_cc)
        elif m.cc and hit.country_code is None:
            hit.country_code = m.cc
    _fold(out, votes)
    for k, codes in votes.items():
        hit = out[k]
        best = max(set(codes), key=codes.count)
        if hit.kind != "country":
            entry = gazetteer.lookup(hit.name, country_code=best)
            if entry and entry.country_code == best and entry.kind == hit.kind:
                hit.name, hit.country_code = entry.name, best
            elif hit.country_code is None:
                hit.country_code = best
    return list(out.values())
