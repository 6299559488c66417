"""The multi-year corpus's per-report gold as extracted documents: what a perfect extraction would
write, with keys from the `keys` stage itself. It measures what `compare` gets right on its own,
apart from what the extraction misses (tests/fixtures/years/README.md).

Names and mentions come from the gold and the written forms of links.gold.json (`as_written`),
offsets from the text; items the gold does not have (dates, quantities, events) are left empty.
"""
import json
import re
from pathlib import Path

from pipeline.doc import ReportDoc
from pipeline.keys import keys as keys_stage
from pipeline.layers import OrganisationHit, PersonHit, PlaceHit

YEARS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "years"


def _forms(links: dict) -> dict:
    """(kind, report, name or (surname, positions)) -> the written forms."""
    out: dict = {}
    for kind in ("places", "organisations"):
        for c in links[kind]:
            for m in c["members"]:
                out[(kind, m["report"], m["name"])] = m["as_written"]
    for c in links["persons"]:
        for m in c["members"]:
            out[("persons", m["report"], m["surname"], tuple(m.get("positions") or ()))] = m["as_written"]
    return out


def _spans(text: str, forms: list[str], fallback: str) -> list[tuple[int, int]]:
    spans = sorted({(m.start(), m.end()) for f in forms for m in re.finditer(rf"(?<!\w){re.escape(f)}(?!\w)", text)})
    if spans or not fallback:
        return spans
    stem = fallback[:max(4, len(fallback) - 2)]
    m = re.search(rf"(?<!\w){re.escape(stem)}\w*", text)
    return [(m.start(), m.end())] if m else [(0, 0)]


def documents() -> list[dict]:
    links = json.loads((YEARS / "links.gold.json").read_text(encoding="utf-8"))
    forms = _forms(links)
    out = []
    for path in sorted((YEARS / "gold").glob("*.gold.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        rid = Path(g["report"]).stem
        text = (YEARS / "reports" / f"{rid}.txt").read_text(encoding="utf-8")
        places = [PlaceHit(p["name"], p["kind"], p.get("country_code"), p.get("relation"),
                           _spans(text, forms.get(("places", rid, p["name"]), [p["name"]]), p["name"]))
                  for p in g["places"]]
        persons = []
        for p in g["persons"]:
            written = forms.get(("persons", rid, p["surname"], tuple(p.get("positions") or ())), [])
            persons.append(PersonHit(written[0] if written else p["surname"], p["surname"],
                                     _spans(text, written or [p["surname"]], p["surname"])))
        orgs = [OrganisationHit(o["name"], "other", _spans(text, forms.get(("organisations", rid, o["name"]), [o["name"]]),
                                                             o["name"]))
                for o in g["organisations"] + [{"name": n} for n in g["optional"]["organisations"]]]
        city = next(p for p in places if p.name == g["city"] and p.kind == "city")
        doc = ReportDoc(text=text, places=places, city=city, persons=persons, organisations=orgs)
        keys_stage(doc)
        since = {p["name"]: p.get("tie_since") for p in g["places"]}
        out.append({
            "schema_version": "1.1", "report_id": rid, "city": {"name": g["city"], "country_code": "RU"},
            "year": g["year"], "text": text, "source": {"path": f"tests/fixtures/years/reports/{rid}.txt"},
            "places": [{"id": f"pl-{i}", "name": p.name, "kind": p.kind, "country_code": p.country_code,
                        "relation": p.relation, "tie_since": since.get(p.name), "key": p.key,
                        "mentions": _mentions(text, p.mentions)} for i, p in enumerate(places, 1)],
            "persons": [{"id": f"per-{i}", "name": p.name, "surname": p.surname, "positions": [], "key": p.key,
                         "mentions": _mentions(text, p.mentions)} for i, p in enumerate(persons, 1)],
            "organisations": [{"id": f"org-{i}", "name": o.name, "kind": o.kind, "key": o.key,
                               "mentions": _mentions(text, o.mentions)} for i, o in enumerate(orgs, 1)],
            "tasks": [_task(text, i, t) for i, t in enumerate(g["tasks"], 1)],
            "dates": [], "quantities": [], "events": [],
        })
    return out


def _mentions(text: str, spans) -> list[dict]:
    return [{"start": a, "end": b, "text": text[a:b]} for a, b in spans]


def _task(text: str, i: int, t: dict) -> dict:
    start = max(text.find(t["text"]), 0)
    return {"id": f"task-{i}", "year": t["year"], "text": t["text"], "start": start, "end": start + len(t["text"])}


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents():
        (folder / f"{doc['report_id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder
