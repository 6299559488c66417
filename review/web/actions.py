"""A reviewer's action on the page -> a decision, checked against the current output, recorded in
the same reviews file as the command line's (review.record), then applied (review.store.reapply).

The page names an item by its id in the output it shows; the decision names it by its semantic key
(review.diff.KEY_FIELDS), as every decision does, so it survives re-runs and rule changes."""
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from review.decisions import Decision, ReviewError
from review.diff import CATEGORIES, KEY_FIELDS, Index, semantic
from review.outputs import output_path, read_json
from review.record import number, parse_value, prepare, record, withdraw
from review.reports import Category
from review.store import reapply

class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject", "fix", "add"]
    item: str | None = None            # accept, reject, fix: "places:pl-3"
    field: str | None = None           # fix
    value: str | None = None           # fix: as typed
    category: Category | None = None   # add
    text: str | None = None            # add: the selected text
    fields: dict[str, str] = {}        # add: as typed
    note: str | None = None


def _item(doc: dict, ref: str | None) -> tuple[str, dict]:
    category, _, item_id = (ref or "").partition(":")
    if category not in CATEGORIES:
        raise ReviewError(f"no item {ref!r}")
    for it in doc.get(category) or []:
        if it.get("id") == item_id:
            return category, it
    raise ReviewError(f"no item {ref!r} in {doc.get('report_id')}: reload the page")


def match_of(doc: dict, category: str, item: dict) -> dict[str, Any]:
    """The semantic key of an item, as a decision's `match`."""
    view = semantic(category, item, Index(doc))
    return {f: view.get(f) for f in KEY_FIELDS[category]}


def typed(category: str, field: str, raw: str) -> Any:
    """A value as typed on the page in the schema's type (ValueError when it is none)."""
    raw = raw.strip()
    if field == "places":
        return [p.strip() for p in raw.split(",") if p.strip()]
    if field in ("tie_since", "year"):
        return None if raw.lower() in ("", "none", "null", "-") else int(raw)
    if field in ("relation", "date") and raw.lower() in ("", "none", "null", "-"):
        return None
    return parse_value(category, field, raw)


def decision_of(action: Action, doc: dict) -> Decision:
    if action.action == "add":
        if not action.category or not (action.text or "").strip():
            raise ReviewError("select the text of the item to add, and its type")
        fields = {}
        for k, raw in action.fields.items():
            if raw.strip() and raw.strip().lower() != "none":
                fields[k] = number(raw) if k == "value" and action.category == "quantities" else \
                    typed(action.category, k, raw)
        return Decision(action="add", category=action.category, text=action.text.strip(), fields=fields, note=action.note)
    category, item = _item(doc, action.item)
    match = match_of(doc, category, item)
    if action.action != "fix":
        return Decision(action=action.action, category=category, match=match, note=action.note)
    if not action.field:
        raise ReviewError("which field?")
    return Decision(action="fix", category=category, match=match, field=action.field,
                    value=typed(category, action.field, action.value or ""), note=action.note)


def act(out_dir: Path, reviews_dir: Path, report_id: str, action: Action) -> str:
    """Record the action's decision and apply the reviews: the decision's description.
    ReviewError (InvalidDecision) or ValueError with a message for the reviewer."""
    doc = read_json(output_path(out_dir, report_id))
    decision = prepare(decision_of(action, doc), doc)
    record(reviews_dir, report_id, decision)
    reapply(out_dir, reviews_dir, report_id)
    return decision.describe()


def drop(out_dir: Path, reviews_dir: Path, report_id: str, n: int) -> str:
    """Withdraw decision #n and apply the rest."""
    gone = withdraw(reviews_dir, report_id, n)
    reapply(out_dir, reviews_dir, report_id)
    return gone.describe()
