"""The `city` stage: the reporting city, the city whose administration or activity the text reports.

Each city among the places scores its mentions, in any inflected form of its name (so "мэр Полевского"
counts for Полевской even where the places missed it):
- a report's title names it (news headlines do not count: their first place is often the partner);
- the dateline names it ("19.09.2020 12:16|Псков", "(Казань, 28 декабря, «Татар-информ»)");
- its administration speaks: "пресс-служба администрации Полевского", "Источник: Мэрия города
  Ярославля", a press service's signature;
- a post or body of the city names it: "глава администрации города Уфы", "мэр Вологды";
- a Russian city is preferred (the texts are Russian municipal ones): a prior, not a rule;
- a city the text calls by a foreign nationality ("с корейским Тэбэком", "немецкого города Касселя")
  is seen from outside: no text calls its own city so.
The reporting city is no partner of itself (its tie is cleared), its found forms become mentions, and
regions named with no country in sight are in its country."""
import re
from bisect import bisect_left
from functools import lru_cache

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import Layout, PlaceHit, Structure
from pipeline.spans import SpanIndex
from pipeline.stage import stage

C = rules.load("city")
OWN_CITY = re.compile(C["own"], re.I)
SPEAKS = re.compile(C["speaks"], re.I)
P = rules.load("places")
REGION_AFTER = {gazetteer.key(w) for w in P["regions"]["after"]}
FOREIGN = {gazetteer.key(w) for cc, words in P["nationalities"].items() if cc != "RU" for w in words}
WORD_BEFORE = re.compile(r"([а-яё]+)\s+(?:(?:города|городом|городу|городе|город|г\.)\s*)?$", re.I)


@stage("city", requires=("text", "structure", "layout", "places"), assigns=("city", "places"))
def city(doc: ReportDoc) -> None:
    facts = doc.facts
    if facts is None:
        doc.city = reporting_city(doc.text, doc.structure, doc.places, doc.layout)
    else:   # a long report's later part: its first part's city, where this part names it
        doc.city = next((p for p in doc.places if p.kind == "city" and p.name == facts.city_name), None)
        if doc.city is not None:
            doc.city.mentions = sorted(doc.city.mentions + _missed(doc.text, doc.city, _taken(doc.places)))
    if doc.city is not None:
        doc.city.relation = None
    country = doc.city.country_code if doc.city is not None else facts.city_country if facts else None
    if country is not None:
        default_country(doc.places, country)


def reporting_city(text: str, st: Structure, places: list[PlaceHit], layout: Layout | None = None) -> PlaceHit | None:
    layout = layout or Layout()
    titles = SpanIndex((p.start, p.end) for p in st.paragraphs if p.role == "title")
    sources = SpanIndex(layout.spans({"source", "agency", "credit"}))
    dateline_city = gazetteer.key(layout.dateline.city) if layout.dateline and layout.dateline.city else None
    taken = _taken(places)
    cities = [p for p in places if p.kind == "city"]

    def score(place, spans) -> float:
        total = 0.0
        for s, e in spans:
            total += 1
            before = text[max(0, s - 60):s]
            if titles.holding(s):
                total += C["title"]
            if OWN_CITY.search(before[-30:]):
                total += C["own_post"]
            if SPEAKS.search(before) or (sources.holding(s) and OWN_CITY.search(before[-30:])):
                total += C["speaks_score"]
        if dateline_city and _same_city(dateline_city, place.name):
            total += C["dateline"]
        if any(_foreign_named(text, s) for s, _ in spans):
            total *= C["foreign_named"]
        return total * (C["russian_prior"] if place.country_code == "RU" else 1)

    # the mentions the places missed are looked for only for the likeliest few
    ranked = sorted(cities, key=lambda p: -score(p, p.mentions))[:C["candidates"]]
    best, best_score, best_extra = None, 0.0, []
    for place in ranked:
        extra = _missed(text, place, taken)
        total = score(place, place.mentions + extra)
        if total > best_score:
            best, best_score, best_extra = place, total, extra
    if best is not None:
        best.mentions = sorted(best.mentions + best_extra)
    return best


def _foreign_named(text: str, s: int) -> bool:
    m = WORD_BEFORE.search(text[max(0, s - 40):s])
    return m is not None and gazetteer.key(morph.lemma(m.group(1))) in FOREIGN


def _taken(places: list[PlaceHit]) -> list[tuple[int, int]]:
    return sorted(m for p in places for m in p.mentions)


def _missed(text: str, place: PlaceHit, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The place's name in the text where no place's mention is: the mentions the places stage missed."""
    return [m for m in _forms_in(text, place.name) if not _overlaps(taken, m)]


def _overlaps(spans: list[tuple[int, int]], m: tuple[int, int]) -> bool:
    i = bisect_left(spans, (m[0], m[0]))
    return any(a < m[1] and m[0] < b for a, b in spans[max(0, i - 1):i + 1])


def _same_city(key: str, name: str) -> bool:
    name_key = gazetteer.key(name)
    return key == name_key or name_key.split()[-1] == key or name_key.replace("-", " ") == key.replace("-", " ")


def _forms_in(text: str, name: str) -> list[tuple[int, int]]:
    """Where a one-word name stands in the text in any of its case forms ("Полевского", "Уфы")."""
    pattern = _forms(name)
    return [(m.start(), m.end()) for m in pattern.finditer(text) if text[m.start()].isupper()] if pattern else []


@lru_cache(maxsize=10_000)
def _forms(name: str) -> re.Pattern | None:
    """A one-word name in any of its case forms, as a pattern (None for a name of several words)."""
    if " " in name or len(name) < 3:
        return None
    forms = {name}
    ending = next((e for e in sorted(C["adjective_names"], key=len, reverse=True) if name.endswith(e)), None)
    if ending:
        forms |= {name[:-len(ending)] + x for x in C["adjective_names"][ending]}
    for p in morph.parse(name)[:3]:
        if p.tag.POS == "NOUN" and p.normal_form == name.lower():
            forms |= {f.word for f in p.lexeme if f.tag.number != "plur"}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.I)


def default_country(places: list[PlaceHit], country_code: str | None) -> None:
    """'Вахитовский район', 'Омская область' with no country in sight: the reporting city's country."""
    for p in places:
        if p.kind == "region" and p.country_code is None and gazetteer.key(p.name.split()[-1]) in REGION_AFTER:
            p.country_code = country_code
