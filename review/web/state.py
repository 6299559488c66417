"""What the review page shows of one report, as JSON for its script: every item with its spans,
confidence, state and editable fields (items least sure first); the decisions with what each did;
the changes against another run (or, without one, against the machine's pass) in words."""
from pathlib import Path
from typing import get_args

from review.apply import apply_to_dict
from review.decisions import FIXABLE, MODEL, ReviewError, load_reviews
from review.diff import CATEGORIES, ENTITY_CATEGORIES, Index, diff_reports, label, semantic
from review.outputs import output_path, read_json
from review.store import base_doc
from review.words import change_words, value_words

LOW = 0.5  # "low confidence": under this
TOPIC_AFTER_YEAR = 2  # a report id is city-year-topic: the topic is what follows the year


def options(category: str, field: str) -> list[str] | None:
    """The values a field allows when they are a closed list (kind, tie, type, format, granularity)."""
    info = MODEL[category].model_fields.get(field)
    if info is None:
        return None
    args = [a for a in get_args(info.annotation) if a is not type(None)]
    values = [v for a in args for v in (get_args(a) or ())] or [a for a in args if isinstance(a, str)]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    return (["none"] if type(None) in get_args(info.annotation) else []) + list(values)


def _field_value(category: str, item: dict, view: dict, field: str) -> str:
    if field == "position":
        return value_words((item.get("positions") or [{}])[0].get("title"))
    if field == "places":
        return ", ".join(view.get("places") or [])
    v = item.get(field)
    return "" if v is None else value_words(v, 10_000)


def _spans(category: str, item: dict) -> list[dict]:
    if category in ENTITY_CATEGORIES:
        ms = item.get("mentions") or []
    elif category == "events":
        ms = [item.get("evidence") or {}, *(item.get("more_evidence") or [])]
    else:
        ms = [item]
    return [{"start": m["start"], "end": m["end"], **({"page": m["page"]} if m.get("page") else {})}
            for m in ms if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)]


def _changes(before: dict | None, doc: dict) -> tuple[list[dict], set[str]]:
    if before is None:
        return [], set()
    d = diff_reports(before, doc)
    out, changed = [], set()
    for kind, items in (("added", d.added), ("removed", d.removed), ("changed", d.changed)):
        for it in items:
            key = f"{it.category}:{it.new_id}" if it.new_id and kind != "removed" else None
            if key:
                changed.add(key)
            out.append({"kind": kind, "category": it.category, "label": it.label, "item": key,
                        "words": [change_words(c.field, c.old, c.new) for c in it.fields]})
    out[:0] = [{"kind": "changed", "category": "report", "label": "", "item": None,
                "words": [change_words(c.field, c.old, c.new)]} for c in d.fields]
    return out, changed


def report_state(out_dir: Path, reviews_dir: Path, report_id: str, old_dir: Path | None = None) -> dict:
    """The page's data for one report. ValueError when its output cannot be read."""
    doc = read_json(output_path(out_dir, report_id))
    base = base_doc(out_dir, report_id) or doc
    decisions = load_reviews(reviews_dir, report_id).decisions
    outcomes = apply_to_dict(base, decisions)[1]
    old = _old(old_dir, report_id)
    changes, changed = _changes(old if old is not None else base, doc)
    index, items = Index(doc), []
    for cat in CATEGORIES:
        for item in doc.get(cat) or []:
            view, key = semantic(cat, item, index), f"{cat}:{item.get('id')}"
            state = ("added" if "-r" in str(item.get("id")) else "reviewed") if item.get("reviewed") else "unreviewed"
            items.append({"key": key, "category": cat, "id": item.get("id"), "label": label(cat, view),
                          "confidence": item.get("confidence"), "state": state, "changed": key in changed,
                          "spans": _spans(cat, item),
                          "fields": [{"name": f, "value": _field_value(cat, item, view, f), "options": options(cat, f)}
                                     for f in FIXABLE[cat]]})
    items.sort(key=lambda it: (it["confidence"] if it["confidence"] is not None else 2.0,
                               it["spans"][0]["start"] if it["spans"] else 0))
    return {"report_id": report_id, "text": doc.get("text") or "", "title": title(doc), "items": items,
            "decisions": [{"n": o.index, "what": o.decision.describe(), "status": o.status,
                           "message": o.message.split(": ", 1)[-1]} for o in outcomes],
            "changes": changes, "against": "the earlier run" if old is not None else "the machine's pass",
            "warnings": [w.get("message") for w in doc.get("warnings") or []],
            "add": {c: [{"name": f, "options": options(c, f)} for f in ADD_FIELDS[c]] for c in ADD_FIELDS}}


ADD_FIELDS = {"places": ("kind", "country_code", "relation"), "persons": ("surname",), "organisations": ("kind",),
              "dates": ("value",), "quantities": ("value", "unit"), "events": ("type", "date", "format"),
              "tasks": ("year",)}


def _old(old_dir: Path | None, report_id: str) -> dict | None:
    if old_dir is None:
        return None
    try:
        doc = read_json(output_path(old_dir, report_id))
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and doc.get("report_id") == report_id else None


def title(doc: dict) -> dict:
    rid = str(doc.get("report_id") or "")
    parts = rid.split("-")
    year = doc.get("year")
    at = next((i for i, p in enumerate(parts) if p == str(year)), None)
    return {"city": (doc.get("city") or {}).get("name"), "year": year,
            "topic": "-".join(parts[at + 1:]) if at is not None else ""}


def index_rows(out_dir: Path, reviews_dir: Path, old_dir: Path | None = None) -> list[dict]:
    """One row per report of the folder: city, year, topic, counts, changes, what is left to review, warnings."""
    from review.reports import report_files

    rows = []
    for path in report_files(Path(out_dir)):
        try:
            doc = read_json(path)
            rid = doc["report_id"]
            output_path(out_dir, rid)
        except (ValueError, KeyError, TypeError):
            rows.append({"report_id": None, "file": path.name, "problem": "not a readable report"})
            continue
        items = [it for c in CATEGORIES for it in doc.get(c) or []]
        old = _old(old_dir, rid)
        base = old if old is not None else base_doc(out_dir, rid)
        changes = _changes(base, doc)[0] if base is not None else []
        try:
            decisions = len(load_reviews(reviews_dir, rid).decisions)
        except ReviewError:  # a reviews file that cannot be read: the row says so, the index still shows
            decisions = "unreadable"
        rows.append({"report_id": rid, **title(doc), "counts": {c: len(doc.get(c) or []) for c in CATEGORIES},
                     "changes": len(changes), "decisions": decisions,
                     "low": sum(1 for it in items if (it.get("confidence") or 1) < LOW and not it.get("reviewed")),
                     "warnings": len(doc.get("warnings") or [])})
    return rows
