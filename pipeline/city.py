"""The `city` stage: the reporting city, the city the title and the administration's name speak of
most. It is no partner of itself (its tie is cleared), and regions named with no country in sight
are in its country."""
import re

from pipeline import gazetteer, rules
from pipeline.doc import ReportDoc
from pipeline.layers import PlaceHit, Structure
from pipeline.stage import stage

OWN_CITY = re.compile(r"(?:администраци\w+|мэри\w+|мэр\w*|глав\w+|дум\w+)\s+(?:города|г\.)\s*$", re.I)
REGION_AFTER = {gazetteer.key(w) for w in rules.load("places")["regions"]["after"]}


@stage("city", requires=("text", "structure", "places"), assigns=("city", "places"))
def city(doc: ReportDoc) -> None:
    doc.city = reporting_city(doc.text, doc.structure, doc.places)
    if doc.city is not None:
        doc.city.relation = None
        default_country(doc.places, doc.city.country_code)


def reporting_city(text: str, st: Structure, places: list[PlaceHit]) -> PlaceHit | None:
    title_spans = [(p.start, p.end) for p in st.paragraphs if p.role == "title"]
    best, best_score = None, 0.0
    for place in places:
        if place.kind != "city":
            continue
        score = 0.0
        for s, e in place.mentions:
            score += 1
            if any(a <= s < b for a, b in title_spans):
                score += 20
            if OWN_CITY.search(text[max(0, s - 30):s]):
                score += 3
        if score > best_score:
            best, best_score = place, score
    return best


def default_country(places: list[PlaceHit], country_code: str | None) -> None:
    """'Вахитовский район', 'Омская область' with no country in sight: the reporting city's country."""
    for p in places:
        if p.kind == "region" and p.country_code is None and gazetteer.key(p.name.split()[-1]) in REGION_AFTER:
            p.country_code = country_code
