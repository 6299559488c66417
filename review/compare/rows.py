"""The second pass: one report's rows of every per-report table (review/compare/tables.py)."""
from collections import Counter

from pipeline.countries import russian_name
from review.compare.index import Index, city_of, is_foreign, organisation_key, place_key, year_of
from review.compare.persons import Link, person_ref
from review.compare.series import measure_of
from review.compare.tables import CATEGORIES, EVENT_TYPES, FORMATS
from review.compare.text import label


def items(doc: dict, category: str) -> list[dict]:
    return [x for x in doc.get(category) or [] if isinstance(x, dict)]


def counted(event: dict) -> bool:
    """Only events that happened count (a 1.0 document has no status: its events count)."""
    return (event.get("status") or "happened") == "happened"


def online_share(events: list[dict]) -> float | None:
    """Online events (mixed count half) among the events whose format is known."""
    known = [e for e in events if e.get("format") in ("online", "offline", "mixed")]
    if not known:
        return None
    return round(sum(1 if e["format"] == "online" else 0.5 if e["format"] == "mixed" else 0 for e in known) / len(known), 4)


def report_rows(doc: dict, index: Index) -> dict[str, list[dict]]:
    rid = doc["report_id"]
    meta = index.meta[rid]
    city, home = city_of(doc)
    base = {"report_id": rid, "city": city, "year": year_of(doc)}
    text = doc.get("text") if isinstance(doc.get("text"), str) else ""
    places, persons, orgs = items(doc, "places"), items(doc, "persons"), items(doc, "organisations")
    events, quantities = items(doc, "events"), items(doc, "quantities")
    keys = {p.get("id"): place_key(p) for p in places} | {o.get("id"): organisation_key(o) for o in orgs}
    names = {x.get("id"): x.get("name") for x in places + persons + orgs}
    linked = index.links(rid)
    links = {p.get("id"): linked.get(p.get("id")) or Link(p.get("key") or "", "single", "") for p in persons}
    keys |= {pid: link.key for pid, link in links.items()}
    own = next((p for p in places if p.get("name") == city and p.get("kind") == "city"), None)
    happened = [e for e in events if counted(e)]
    types, formats = Counter(e.get("type") for e in happened), Counter(e.get("format") for e in happened)
    event_of_qty = {q: e.get("title") for e in happened for q in e.get("quantity_ids") or []}

    report = {**base, "label": meta.label, "topic": meta.topic, "city_key": place_key(own) if own else None,
              "country_code": home, "source_path": (doc.get("source") or {}).get("path"),
              **{c: len(items(doc, c)) for c in CATEGORIES},
              "partners": sum(bool(p.get("relation")) for p in places),
              "foreign_places": sum(is_foreign(p, home) and not p.get("relation") for p in places),
              "events_counted": len(happened), **{f"events_{t}": types.get(t, 0) for t in EVENT_TYPES},
              **{f"format_{f}": formats.get(f, 0) for f in FORMATS}, "online_share": online_share(happened)}
    rows = {
        "reports": [report],
        "places": [{**base, "place_id": p.get("id"), "key": keys[p.get("id")], "name": p.get("name"),
                    "kind": p.get("kind"), "country_code": p.get("country_code"),
                    "country_ru": russian_name(p.get("country_code")), "relation": p.get("relation"),
                    "tie_since": p.get("tie_since"), "foreign": is_foreign(p, home),
                    "mentions": len(p.get("mentions") or [])} for p in places],
        "events": [{**base, "event_id": e.get("id"), "type": e.get("type"), "format": e.get("format"),
                    "status": e.get("status") or "happened", "tense": e.get("tense"), "counted": counted(e),
                    "date": e.get("date"), "title": e.get("title"), "section_id": e.get("section_id"),
                    "evidence": (e.get("evidence") or {}).get("text")} for e in events],
        "persons": [{**base, "person_id": p.get("id"), "key": links[p.get("id")].key, "key_in_report": p.get("key"),
                     "name": p.get("name"), "surname": p.get("surname"), "initials": person_ref(rid, None, p).initials,
                     "posts": "; ".join(x.get("title") or "" for x in p.get("positions") or []),
                     "mentions": len(p.get("mentions") or []), "link": links[p.get("id")].link,
                     "link_evidence": links[p.get("id")].evidence} for p in persons],
        "organisations": [{**base, "organisation_id": o.get("id"), "key": keys[o.get("id")], "name": o.get("name"),
                           "kind": o.get("kind"), "mentions": len(o.get("mentions") or [])} for o in orgs],
        "quantities": [], "series": [],
    }
    for entity, field in (("place", "place_ids"), ("person", "person_ids"), ("organisation", "organisation_ids")):
        rows[f"event_{entity}s"] = [{"report_id": rid, "event_id": e.get("id"), f"{entity}_id": i, "key": keys.get(i),
                                     "name": names.get(i)} for e in events for i in e.get(field) or []]
    for q in quantities:
        found = measure_of(text, q)
        rows["quantities"].append({**base, "quantity_id": q.get("id"), "value": q.get("value"), "unit": q.get("unit"),
                                   "approximate": q.get("approximate"), "measure": found[0] if found else None,
                                   "text": (q.get("mentions") or [{}])[0].get("text")})
        if found:
            rows["series"].append({**base, "measure": found[0], "measure_ru": label("measures", found[0]),
                                   "value": q.get("value"), "unit": q.get("unit"), "approximate": q.get("approximate"),
                                   "event": event_of_qty.get(q.get("id")), "evidence": found[1]})
    return rows

