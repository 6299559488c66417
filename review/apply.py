"""Applying reviewers' decisions to a report, in order, after the machine's pass.

Fixed and added items are marked `reviewed: true`. Applying is idempotent: applying to an already
reviewed report changes nothing. A decision that cannot apply is reported — status `stale` when its
text is gone from the report, `unmatched` when the text is there but no item is, `invalid` when the
value does not fit the schema — and the report gets a `review_not_applied` warning; the decision
itself stays in the file.
"""
import re
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

import models
from pipeline.report import PREFIX
from review.decisions import MODEL, PROBLEMS, WARNING_CODE, Decision, load_reviews
from review.diff import CATEGORIES, Index, norm, semantic


@dataclass
class Outcome:
    index: int  # 1-based position in the reviews file
    decision: Decision
    status: str  # applied | idle | stale | unmatched | invalid
    message: str


# ---- matching ----

def matches(view: dict, match: dict) -> bool:
    """The item's semantic view has every field of `match` (compared in review.diff's normal form)."""
    for f, want in match.items():
        have = view.get(f)
        if isinstance(want, list) or isinstance(have, list):
            if {norm(x) for x in want or []} != {norm(x) for x in have or []}:
                return False
        elif norm(have) != norm(want):
            return False
    return True


def find(doc: dict, category: str, match: dict) -> list[dict]:
    index = Index(doc)
    return [it for it in doc.get(category) or [] if matches(semantic(category, it, index), match)]


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Word-bounded occurrences of `needle`; any occurrences when there is none word-bounded."""
    if not needle:
        return []
    bounded = [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]
    return bounded or [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def _texts(d: Decision) -> list[str]:
    if d.action == "add":
        return [d.text or ""]
    return d.texts or [str(v) for v in d.match.values() if isinstance(v, str)]


def text_present(doc: dict, d: Decision) -> bool:
    text = doc.get("text") or ""
    return any(t and t in text for t in _texts(d))

# ---- applying ----

def _remove_refs(doc: dict, category: str, removed: list[dict]) -> None:
    ids = {it["id"] for it in removed}
    field = {"places": "place_ids", "persons": "person_ids", "organisations": "organisation_ids",
             "quantities": "quantity_ids"}.get(category)
    for ev in doc.get("events") or []:
        if field:
            ev[field] = [i for i in ev.get(field, []) if i not in ids]
        if category == "dates" and ev.get("date") in {it.get("value") for it in removed}:
            ev["date"] = None
    if category == "organisations":
        for person in doc.get("persons") or []:
            for pos in person.get("positions") or []:
                if pos.get("organisation_id") in ids:
                    pos["organisation_id"] = None


def _change_or_keep(category: str, item: dict, change) -> str | None:
    """Apply `change` to the item and mark it reviewed; if the result breaks the schema, put the
    item back as it was and return the problem."""
    before = deepcopy(item)
    change(item)
    problem = _validate_item(category, item)
    if problem:
        item.clear()
        item.update(before)
        return problem
    item["reviewed"] = True
    return None


def _validate_item(category: str, item: dict) -> str | None:
    fields = MODEL[category].model_fields
    try:
        MODEL[category].model_validate({k: v for k, v in item.items() if k in fields})
    except ValidationError as e:
        return "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
    return None


def _set_field(item: dict, d: Decision, doc: dict) -> bool:
    """Apply a fix to one item; False when it was already so."""
    if d.field == "places":  # an event's places, by name
        wanted = {norm(n) for n in d.value or []}
        ids = [p["id"] for p in doc.get("places") or [] if norm(p.get("name")) in wanted]
        if ids == item.get("place_ids"):
            return False
        item["place_ids"] = ids
        return True
    if d.field == "position":
        positions = item.setdefault("positions", [])
        if any(norm(p.get("title")) == norm(d.value) for p in positions):
            return False
        target = next((p for p in positions if d.old is not None and norm(p.get("title")) == norm(d.old)), None)
        if target is None and len(positions) == 1:
            target = positions[0]
        if target is None:
            positions.append({"title": d.value, "organisation_id": None})
        else:
            target["title"] = d.value
        return True
    if item.get(d.field) == d.value:
        return False
    item[d.field] = d.value
    return True


def _named(hits: list[dict]) -> str:
    """The items' ids and names, for a reader: "pl-3 Корея, pl-7 Корея"."""
    return ", ".join(f"{it.get('id')} {_label(it)}" for it in hits)


def _label(it: dict) -> str:
    return str(it.get("name") or it.get("value") or it.get("title") or it.get("text") or "")[:60]


def _reject(doc: dict, d: Decision) -> tuple[str, str]:
    hits = find(doc, d.category, d.match)
    if hits:
        doc[d.category] = [it for it in doc[d.category] if it not in hits]
        _remove_refs(doc, d.category, hits)
        return "applied", f"rejected {_named(hits)}"
    return (("idle", "the extraction no longer finds it: nothing to reject") if text_present(doc, d)
            else ("stale", "its text is gone from the report"))


def _accept(doc: dict, d: Decision) -> tuple[str, str]:
    hits = find(doc, d.category, d.match)
    if hits:
        for it in hits:
            it["reviewed"] = True
        return "applied", f"accepted {_named(hits)}"
    return (("unmatched", "the text is still there but the extraction no longer finds this item")
            if text_present(doc, d) else ("stale", "its text is gone from the report"))


def _fix(doc: dict, d: Decision) -> tuple[str, str]:
    hits = find(doc, d.category, d.match)
    if not hits:
        done = dict(d.match, **({d.field: d.value} if d.field in d.match else {}))
        if d.field in d.match and find(doc, d.category, done):
            for it in find(doc, d.category, done):
                it["reviewed"] = True
            return "idle", "already so"
        if text_present(doc, d):
            return "unmatched", "the text is still there but no item matches (record it with `review add`?)"
        return "stale", "its text is gone from the report"
    for it in hits:
        problem = _change_or_keep(d.category, it, lambda item: _set_field(item, d, doc))
        if problem:
            return "invalid", f"the value does not fit the schema: {problem}"
    return "applied", f"set {d.field} of {_named(hits)}"


def _section_at(doc: dict, pos: int) -> str | None:
    inside = [s for s in doc.get("sections") or [] if s.get("start", 0) <= pos < s.get("end", 0)]
    return max(inside, key=lambda s: (s.get("level", 1), s.get("start", 0)))["id"] if inside else None


def _granularity(value: str) -> str:
    return "range" if "/" in value else {4: "year", 7: "month"}.get(len(value), "day")


def _new_item(doc: dict, d: Decision, spans: list[tuple[int, int]], item_id: str) -> dict:
    text, f = doc["text"], dict(d.fields)
    ments = [{"start": a, "end": b, "text": text[a:b]} for a, b in spans]
    a, b = spans[0]
    cat = d.category
    if cat == "places":
        item = {"name": d.text, "kind": "other", "country_code": None, "relation": None}
    elif cat == "persons":
        words = [w for w in d.text.split() if "." not in w]
        item = {"name": d.text, "surname": words[0] if words else d.text,
                "positions": [{"title": t, "organisation_id": None} for t in f.pop("positions", [])]}
    elif cat == "organisations":
        item = {"name": d.text, "kind": "other"}
    elif cat == "dates":
        item = {"value": f.get("value"), "granularity": _granularity(str(f.get("value", "")))}
    elif cat == "quantities":
        item = {"value": f.get("value"), "approximate": False, "unit": f.get("unit")}
    elif cat == "events":
        item = {"type": "other", "title": d.text[:120], "date": None, "format": "unknown", "place_ids": [],
                "person_ids": [], "organisation_ids": [], "quantity_ids": [], "section_id": _section_at(doc, a),
                "evidence": ments[0], "more_evidence": []}
    else:  # tasks
        item = {"year": doc["year"] + 1 if doc.get("year") else None, "text": d.text, "start": a, "end": b}
    item.update(f)
    if cat not in ("events", "tasks"):
        item["mentions"] = ments
    return {"id": item_id, **item}


def _first(item: dict) -> int:
    if "mentions" in item:
        return min(m["start"] for m in item["mentions"])
    return (item.get("evidence") or item)["start"]


def _existing_for_add(doc: dict, d: Decision, spans: list[tuple[int, int]]) -> list[dict]:
    if d.category == "events":
        a = spans[0][0]
        return [e for e in doc.get("events") or [] if e.get("type") == d.fields.get("type", "other")
                and e["evidence"]["start"] <= a < e["evidence"]["end"]]
    main = {"places": "name", "persons": "surname", "organisations": "name", "tasks": "text"}.get(d.category)
    if main:
        key = d.fields.get(main) or (d.text if main != "surname" else None)
        return find(doc, d.category, {main: key}) if key else []
    if d.category == "dates":
        return find(doc, "dates", {"value": d.fields.get("value")})
    return find(doc, "quantities", {"value": d.fields.get("value"), "unit": d.fields.get("unit")})


def _add(doc: dict, d: Decision, n: int) -> tuple[str, str]:
    spans = occurrences(doc.get("text") or "", d.text or "")
    if not spans:
        return "stale", "its text is gone from the report"
    existing = _existing_for_add(doc, d, spans)
    if existing:
        for it in existing:
            def add_fields(item):
                item.update({k: v for k, v in d.fields.items() if k != "positions"})
                if "mentions" in item:
                    have = {(m["start"], m["end"]) for m in item["mentions"]}
                    item["mentions"] = sorted(item["mentions"] + [{"start": a, "end": b, "text": doc["text"][a:b]}
                                                                  for a, b in spans if (a, b) not in have],
                                              key=lambda m: m["start"])

            problem = _change_or_keep(d.category, it, add_fields)
            if problem:
                return "invalid", f"the value does not fit the schema: {problem}"
        return "idle", f"the extraction finds it too ({_named(existing)}): marked reviewed, reviewer's fields kept"
    ids = {it.get("id") for c in CATEGORIES for it in doc.get(c) or []}
    item_id = f"{PREFIX[d.category]}-r{n}"
    while item_id in ids:
        item_id += "x"
    item = _new_item(doc, d, spans, item_id)
    problem = _validate_item(d.category, item)
    if problem:
        return "invalid", f"the item does not fit the schema: {problem}"
    item["reviewed"] = True
    items = doc.setdefault(d.category, [])
    at = next((i for i, it in enumerate(items) if _first(it) > _first(item)), len(items))
    items.insert(at, item)
    return "applied", f"added as {item_id} ({len(spans)} mention(s))"


def apply_to_dict(doc: dict, decisions: list[Decision]) -> tuple[dict, list[Outcome]]:
    """Apply decisions, in order, to a copy of a report document (a dict)."""
    doc = deepcopy(doc)
    outcomes = []
    for n, d in enumerate(decisions, 1):
        status, why = _add(doc, d, n) if d.action == "add" else {"reject": _reject, "fix": _fix, "accept": _accept}[d.action](doc, d)
        outcomes.append(Outcome(n, d, status, f"review #{n} ({d.describe()}): {why}"))
    warnings = doc.setdefault("warnings", [])
    seen = {(w.get("code"), w.get("message")) for w in warnings}
    for o in outcomes:
        if o.status in PROBLEMS and (WARNING_CODE, o.message) not in seen:
            warnings.append({"code": WARNING_CODE, "message": o.message})
            seen.add((WARNING_CODE, o.message))
    return doc, outcomes


def apply_decisions(report: models.Report, decisions: list[Decision]) -> tuple[models.Report, list[str]]:
    """The report with these decisions applied, and one message per decision that did not apply."""
    if not decisions:
        return report, []
    doc, outcomes = apply_to_dict(report.model_dump(mode="json"), decisions)
    return models.Report.model_validate(doc), [o.message for o in outcomes if o.status in PROBLEMS]


def apply_reviews(report: models.Report, reviews_dir: Path) -> tuple[models.Report, list[str]]:
    """The report with its reviewers' decisions (from `reviews_dir`) applied; ReviewError when its
    reviews file cannot be read."""
    return apply_decisions(report, load_reviews(reviews_dir, report.report_id).decisions)
