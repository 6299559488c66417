"""The reporting city: the city the title and the administration's name speak of most."""
import re

from pipeline.places import PlaceHit
from pipeline.structure import Structure

OWN_CITY = re.compile(r"(?:администраци\w+|мэри\w+|мэр\w*|глав\w+|дум\w+)\s+(?:города|г\.)\s*$", re.I)


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
