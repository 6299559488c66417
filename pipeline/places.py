"""The `places` stage: Natasha LOC spans and gazetteer names -> one record per place, with kind,
ISO country code (gazetteer, "X (КНР)", a nearby country) and the twin/partner tie stated around it."""
import re
from dataclasses import dataclass

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import PlaceHit
from pipeline.stage import stage

R = rules.load("places")
REGION_BEFORE = {gazetteer.key(w) for w in R["regions"]["before"]}
REGION_AFTER = {gazetteer.key(w) for w in R["regions"]["after"]}
CITY_BEFORE = {w.lower().replace("ё", "е") for w in R["cities"]["before"]} | {gazetteer.key(w) for w in R["cities"]["before"]}
TWIN, PARTNER = R["relations"]["twin"], R["relations"]["partner"]
ENUM_GAP = re.compile(R["relations"]["enumeration_gap"], re.I)
LEAD_GAP = re.compile(R["relations"]["lead_gap"])
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
    relation: str | None = None


LOCATION = "location"  # a location that is not a place of the schema: a street, a square, 'Запад'


@stage("places", requires=("natasha",), assigns=("places", "locations"))
def places(doc: ReportDoc) -> None:
    """The places of the schema, and every location mention recognised, places or not (`locations`)."""
    nat = doc.natasha
    found = [m for m in _candidates(nat) if m]
    doc.locations = sorted({(m.start, m.end) for m in found})
    mentions = [m for m in found if m.kind != LOCATION]
    mentions.sort(key=lambda m: m.start)
    _context_countries(nat.text, mentions)
    _relations(nat, mentions)
    doc.places = _merge(mentions)


# --- candidates -------------------------------------------------------------------------------

def _candidates(doc):
    text = doc.text
    taken: list[tuple[int, int]] = []
    covered = bytearray(len(text))
    for span in doc.spans:
        if span.type != "LOC":
            continue
        for s, e in _split(text, span.start, span.stop):
            taken.append((s, e))
            covered[s:e] = b"\1" * (e - s)
            yield _resolve(text, s, e, span.normal if (s, e) == (span.start, span.stop) else None)
    for tok in doc.tokens:
        if covered[tok.start] or not tok.text[:1].isupper():
            continue
        entry = gazetteer.lookup(tok.text)
        if entry and (_looks_like_place(tok, entry, text) or _in_enumeration(text, tok, taken)):
            yield _resolve(text, tok.start, tok.stop, None)


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


def _in_enumeration(text: str, tok, taken: list[tuple[int, int]]) -> bool:
    """A name listed among places ('Павлодар (Казахстан), Пухов (Словакия), Минск') is a place."""
    for s, e in taken:
        gap = text[e:tok.start] if e <= tok.start else text[tok.stop:s]
        if len(gap) < 30 and ENUM_GAP.match(_strip_brackets(gap)) and gap.strip():
            return True
    return False


def _after_city_word(text: str, start: int) -> bool:
    before = WORD.findall(text[max(0, start - 25):start])
    return bool(before) and (before[-1].lower() in CITY_BEFORE or gazetteer.key(before[-1]) in CITY_BEFORE)


def _resolve(text: str, s: int, e: int, natasha_normal: str | None) -> _Mention | None:
    surface = text[s:e]
    words = WORD.findall(surface)
    if not words:
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
    """'Администрации городского округа': a capitalised common noun and lower-case words, no name."""
    p = morph.parse(words[0])[0]
    return len(words) > 1 and p.is_known and "Geox" not in p.tag and p.tag.POS == "NOUN" \
        and all(w[:1].islower() for w in words[1:])


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


# --- twin / partner ---------------------------------------------------------------------------

def _relations(doc, mentions: list[_Mention]) -> None:
    """A trigger ('городами-побратимами', 'городов-партнёров') ties the enumeration of cities that
    follows it in the same sentence; 'побратим' wins over 'партнёр' when both stand together."""
    text = doc.text
    for sent in doc.sents:
        triggers = []
        for tok in sent.tokens:
            low = tok.text.lower().replace("ё", "е")
            rel = "twin" if any(t in low for t in TWIN) else "partner" if any(t in low for t in PARTNER) else None
            if rel:
                if triggers and re.fullmatch(r"\s*(?:и|или)\s*", text[triggers[-1][1]:tok.start]):
                    both = "partner" if rel != triggers[-1][2] else rel
                    triggers[-1] = (triggers[-1][0], tok.stop, both)
                else:
                    triggers.append((tok.start, tok.stop, rel))
        for _, t_end, rel in triggers:
            inside = [m for m in mentions if t_end <= m.start < sent.stop and m.kind in ("city", "other", "region")]
            prev_end = t_end
            for k, m in enumerate(inside):
                gap = _strip_brackets(text[prev_end:m.start])
                if not (LEAD_GAP.match(gap) if k == 0 else ENUM_GAP.match(gap)):
                    break
                if m.kind == "city":
                    m.relation = "twin" if "twin" in (m.relation, rel) else rel
                prev_end = m.end


# --- merge ------------------------------------------------------------------------------------

def _merge(mentions: list[_Mention]) -> list[PlaceHit]:
    out: dict[tuple[str, str], PlaceHit] = {}
    votes: dict[tuple[str, str], list[str]] = {}
    for m in mentions:
        k = (gazetteer.key(m.name), m.kind)
        hit = out.get(k)
        if hit is None:
            hit = out[k] = PlaceHit(m.name, m.kind, m.cc, None)
        hit.mentions.append((m.start, m.end))
        if m.relation and hit.relation != "twin":
            hit.relation = m.relation
        if m.explicit_cc:
            votes.setdefault(k, []).append(m.explicit_cc)
        elif m.cc and hit.country_code is None:
            hit.country_code = m.cc
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
