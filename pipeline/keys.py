"""The `keys` stage: a stable `key` on every place, person and organisation, the same for the same
entity in every report (pipeline/linkkeys.py, rules/keys.toml).

  * places: the ISO code of a country; the gazetteer's id of a region (ISO 3166-2) or a city
    (GeoNames); else the ISO country code and the name's lemma key;
  * persons: the reporting city, the surname (masculine form) and the first initial, taken from
    every written form of the name; a person named by surname alone takes the key of the one person
    of this report with that surname and initials, if there is exactly one (else the key has no
    initial, and the comparison of reports resolves it, or not, against the city's other reports);
  * organisations: the normalised name.
"""
from pipeline import gazetteer, linkkeys
from pipeline.doc import ReportDoc
from pipeline.layers import PersonHit
from pipeline.stage import stage


@stage("keys", requires=("text", "places", "city", "persons", "organisations"),
       assigns=("places", "persons", "organisations"))
def keys(doc: ReportDoc) -> None:
    for p in doc.places:
        ident = None if p.kind == "country" else gazetteer.ident(p.name, p.kind, p.country_code)
        p.key = linkkeys.place_key(p.name, p.kind, p.country_code, ident, gazetteer.key(p.name))
    city = doc.city.name if doc.city is not None else None
    person_keys(doc.text, city, doc.persons)
    for o in doc.organisations:
        o.key = linkkeys.organisation_key(o.name)


def person_keys(text: str, city: str | None, persons: list[PersonHit]) -> None:
    first = {id(p): person_initials(text, p) for p in persons}
    for p in persons:
        p.key = linkkeys.person_key(city, p.surname, first[id(p)])
    for p in persons:
        if not first[id(p)]:
            same = {q.key for q in persons if first[id(q)]
                    and linkkeys.fold_surname(q.surname) == linkkeys.fold_surname(p.surname)}
            if len(same) == 1:
                p.key = same.pop()


def person_initials(text: str, p: PersonHit) -> str:
    """The longest initials any written form gives (the name, then each mention): "МС", "Д", ""."""
    forms = [p.name] + [text[a:b] for a, b in p.mentions]
    found = [linkkeys.initials(f, p.surname) for f in forms]
    return max(found, key=len, default="")
