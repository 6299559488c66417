"""Edits to a frozen report that another run could make: ids renumbered, offsets shifted, a rule change."""
import copy
import json

from review.diff import CATEGORIES


def write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def renumber(doc: dict) -> dict:
    """The same content under other ids and in another order: what a refactored pipeline might emit."""
    doc = copy.deepcopy(doc)
    new_ids = {}
    for cat in CATEGORIES + ("sections",):
        items = list(doc.get(cat) or [])
        items = items if cat == "sections" else items[::-1]
        for i, it in enumerate(items, 1):
            new_ids[it["id"]] = f"{cat[:2]}-x{i}"
            it["id"] = new_ids[it["id"]]
        doc[cat] = items
    for e in doc["events"]:
        for f in ("place_ids", "person_ids", "organisation_ids", "quantity_ids"):
            e[f] = [new_ids[i] for i in reversed(e[f])]
        e["section_id"] = new_ids.get(e["section_id"], e["section_id"])
    for p in doc["persons"]:
        for pos in p["positions"]:
            pos["organisation_id"] = new_ids.get(pos["organisation_id"], pos["organisation_id"])
    for a in doc["answers"]:
        a["section_id"] = new_ids.get(a["section_id"], a["section_id"])
    return doc


def shift(doc: dict, prefix: str) -> dict:
    """The same report with text inserted before everything: every offset moves."""
    doc = copy.deepcopy(doc)
    n = len(prefix)
    doc["text"] = prefix + doc["text"]

    def move(span):
        span["start"] += n
        span["end"] += n

    for cat in ("sections", "answers", "tasks"):
        for it in doc[cat]:
            move(it)
    for cat in ("places", "persons", "organisations", "dates", "quantities"):
        for it in doc[cat]:
            for m in it["mentions"]:
                move(m)
    for e in doc["events"]:
        for m in [e["evidence"], *e.get("more_evidence", [])]:
            move(m)
    return doc


def referenced_place_ids(doc):
    return {i for e in doc["events"] for i in e["place_ids"]}


def rule_change(doc: dict):
    """Change a run the way a rule change would: drop one place, change one country code, add one event.
    Returns the new document and what was changed (chosen from the JSON, not hard-coded)."""
    new = copy.deepcopy(doc)
    used = referenced_place_ids(doc)
    dropped = next(p for p in new["places"] if p["id"] not in used)
    new["places"].remove(dropped)
    recoded = next(p for p in new["places"] if p["country_code"] and p["id"] != dropped["id"])
    old_code = recoded["country_code"]
    recoded["country_code"] = "ZZ" if old_code != "ZZ" else "ZY"
    event = copy.deepcopy(new["events"][0])
    event.update(id="ev-new", type="other", date="1999", title="Новое событие")
    new["events"].append(event)
    new["pipeline"]["extracted_at"] = "2099-01-01T00:00:00+00:00"
    new["pipeline"]["version"] = "9.9.9+rules.changed"
    return new, dropped, recoded, old_code, event
