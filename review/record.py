"""Recording reviewers' decisions (the `review` commands): command-line keys and values in the
schema's types, a decision checked against the current extraction, then appended to its file."""
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from review.apply import apply_to_dict, find, occurrences
from review.decisions import FIXABLE, MODEL, Decision, InvalidDecision, ReviewError, load_reviews, locked, same_item, \
    save_reviews


def parse_value(category: str, field: str, raw: str) -> Any:
    """A command-line value in the type the schema wants."""
    if raw.lower() in ("null", "none", "-", "") and field in ("country_code", "relation", "date", "year"):
        return None
    if field == "country_code":
        return raw.upper()
    if field in ("year",):
        return int(raw)
    if field == "value" and category == "quantities":
        return number(raw)
    if field == "approximate":
        return raw.lower() in ("1", "true", "yes", "да")
    return raw


def number(raw: str) -> int | float:
    v = float(raw.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    return int(v) if v.is_integer() else v


def parse_key(category: str, key: str, kind: str | None = None, unit: str | None = None,
              places: list[str] | None = None) -> dict:
    """The command line's KEY (+ options) -> a decision's `match`."""
    if category == "places":
        return {"name": key, **({"kind": kind} if kind else {})}
    if category == "persons":
        return {"surname": key}
    if category in ("organisations",):
        return {"name": key}
    if category == "dates":
        return {"value": key}
    if category == "tasks":
        return {"text": key}
    if category == "quantities":
        parts = key.split(maxsplit=1)
        try:
            value = number(parts[0])
        except ValueError:
            raise ReviewError(f"a quantity key is VALUE [UNIT], e.g. '7000 работа'; got {key!r}") from None
        unit = unit or (parts[1] if len(parts) > 1 else None)
        return {"value": value, **({"unit": unit} if unit else {})}
    # events: "DATE TYPE", "TYPE", or "none TYPE"
    parts, out = key.split(), {}
    for p in parts:
        if re.fullmatch(r"\d{4}(-\d{2}){0,2}(/\S+)?", p) or p.lower() == "none":
            out["date"] = None if p.lower() == "none" else p
        else:
            out["type"] = p
    if places:
        out["places"] = places
    if not out:
        raise ReviewError("an event key is 'DATE TYPE', e.g. '2021-05 festival'")
    return out


def check_value(category: str, field: str, value: Any) -> None:
    """Raise InvalidDecision unless the schema allows `value` in `field` of a `category` item."""
    info = MODEL[category].model_fields[field]
    try:
        TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation).validate_python(value)
    except ValidationError as e:
        raise InvalidDecision(f"{category}.{field} = {value!r}: {e.errors()[0]['msg']}") from None


def prepare(decision: Decision, doc: dict | None) -> Decision:
    """Check a decision against the current extraction; fill in the texts it is about and the old value."""
    d = decision.model_copy(deep=True)
    d.recorded_at = d.recorded_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    if d.action == "fix" and d.field not in FIXABLE[d.category]:
        raise InvalidDecision(f"{d.category}: cannot fix {d.field!r}; fixable: {', '.join(FIXABLE[d.category])}")
    if d.action == "fix" and d.field not in ("position", "places"):
        check_value(d.category, d.field, d.value)
    if doc is None:
        return d
    if d.action == "add":
        if not occurrences(doc.get("text") or "", d.text or ""):
            raise ReviewError(f"{d.text!r} does not occur in the text of {doc.get('report_id')}")
        trial, outcomes = apply_to_dict(doc, [d])
        if outcomes[0].status == "invalid":
            raise InvalidDecision(outcomes[0].message)
        return d
    hits = find(doc, d.category, d.match)
    if not hits:
        raise ReviewError(f"no {d.category} item matches {d.match} in {doc.get('report_id')}")
    texts = []
    for it in hits:
        for m in it.get("mentions") or [it.get("evidence") or {"text": it.get("text")}]:
            if m.get("text") and m["text"] not in texts:
                texts.append(m["text"])
    d.texts = texts
    if d.action == "fix":
        first = hits[0]
        d.old = ([p.get("title") for p in first.get("positions") or []][:1] or [None])[0] if d.field == "position" \
            else first.get(d.field)
        trial, outcomes = apply_to_dict(doc, [d])
        if outcomes[0].status == "invalid":
            raise InvalidDecision(outcomes[0].message)
    return d


def record(reviews_dir: Path, report_id: str, decision: Decision) -> tuple[Path, int]:
    """Append a decision (one on the same item replaces the earlier one: `same_item`), under the file's lock. Returns the file and the decision's number."""

    with locked(reviews_dir, report_id):
        reviews = load_reviews(reviews_dir, report_id)
        reviews.decisions = [a for a in reviews.decisions if not same_item(a, decision)] + [decision]
        return save_reviews(reviews_dir, reviews), len(reviews.decisions)


def withdraw(reviews_dir: Path, report_id: str, n: int) -> Decision:
    """Remove decision #n (1-based, as `review list` numbers them) under the file's lock; the removed one."""
    with locked(reviews_dir, report_id):
        reviews = load_reviews(reviews_dir, report_id)
        if not 1 <= n <= len(reviews.decisions):
            raise ReviewError(f"{report_id} has {len(reviews.decisions)} decision(s); no #{n}")
        gone = reviews.decisions.pop(n - 1)
        save_reviews(reviews_dir, reviews)
        return gone
