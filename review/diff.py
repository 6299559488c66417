"""Semantic diff of extraction runs: items are matched by what they are, not by ids or offsets.

Keys (SCHEMA.md categories):  places: name + kind · persons: surname · organisations: name ·
dates: value · quantities: value + unit · events: date + type + place names · tasks: text.
Strings in keys are compared case-folded with ё = е and spaces collapsed. Items whose keys collide
inside one report are paired by likeness. Leftovers are paired on a looser key where that is safe
(a place whose kind changed, an event whose type or date changed), so they show as "changed".

The `pipeline` object is ignored; so are ids and offsets. Mentions compare by their texts.
Works on plain dicts (json.loads of a report), so runs of older or newer schema revisions diff too.
"""
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from review.reports import CATEGORIES, Category, DiffError, load_rev, load_side, parse_report, report_files  # noqa: F401
from review.words import change_words

DIFF_VERSION = "1"
ENTITY_CATEGORIES = ("places", "persons", "organisations", "dates", "quantities")
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "places": ("name", "kind"), "persons": ("surname",), "organisations": ("name",), "dates": ("value",),
    "quantities": ("value", "unit"), "events": ("date", "type", "places"), "tasks": ("text",),
}
LOOSE_KEYS: dict[str, list[tuple[str, ...]]] = {
    "places": [("name",)],
    "persons": [("name",)],
    "events": [("date", "places", "title"), ("type", "places", "title"), ("date", "type", "title")],
}
REF_FIELDS = {"place_ids": ("places", "places"), "person_ids": ("persons", "persons"),
              "organisation_ids": ("organisations", "organisations"), "quantity_ids": ("quantities", "quantities")}


# ---- the published output (models/diff.schema.json) ----

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldChange(_Model):
    field: str = Field(description="Field name in the semantic view of the item (or of the report)")
    old: Any = None
    new: Any = None


class ItemDiff(_Model):
    category: Category
    key: list[str] = Field(description="The semantic key, e.g. [name, kind] of a place")
    label: str = Field(description="Human-readable key")
    old_id: str | None = None
    new_id: str | None = None
    fields: list[FieldChange] = Field([], description="Changed fields (changed items only)")
    item: dict[str, Any] = Field(description="Semantic view of the item: new side, or old side when removed")


class Counts(_Model):
    added: int = 0
    removed: int = 0
    changed: int = 0


class ReportDiff(_Model):
    report_id: str
    status: Literal["equal", "changed", "added", "removed"]
    old: str | None = Field(description="Where the old side came from")
    new: str | None
    fields: list[FieldChange] = Field([], description="Report-level changes: city, year, text, sections, ...")
    counts: dict[Category, Counts]
    added: list[ItemDiff] = []
    removed: list[ItemDiff] = []
    changed: list[ItemDiff] = []


class DiffDocument(_Model):
    diff_version: Literal["1"] = DIFF_VERSION
    old: str
    new: str
    equal: bool
    totals: dict[Category, Counts]
    reports: list[ReportDiff]


def json_schema() -> str:
    """The JSON Schema of `diff --format json`, as committed in models/diff.schema.json."""
    schema = DiffDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "city-reports/diff.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# ---- semantic views and keys ----

def norm(value: Any) -> Any:
    """Comparison form: strings case-folded, ё -> е, whitespace collapsed; numbers as numbers."""
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value.replace("ё", "е").replace("Ё", "Е")).strip().casefold()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return tuple(norm(v) for v in value)
    return value


def _label_of(category: str, item: dict) -> str:
    if category == "places":
        return item.get("name", "?")
    if category == "persons":
        return item.get("surname") or item.get("name", "?")
    if category == "quantities":
        return f"{_num(item.get('value'))} {item.get('unit', '')}".strip()
    if category == "dates":
        return str(item.get("value"))
    return str(item.get("name") or item.get("title") or item.get("text") or item.get("id"))


def _num(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


class Index:
    """One report's items by id, for resolving references to semantic labels."""

    def __init__(self, report: dict):
        self.labels: dict[str, str] = {}
        for cat in ENTITY_CATEGORIES:
            for item in report.get(cat) or []:
                self.labels[item.get("id")] = _label_of(cat, item)
        for s in report.get("sections") or []:
            self.labels[s.get("id")] = s.get("title", "")

    def label(self, ref: str | None) -> str | None:
        return None if ref is None else self.labels.get(ref, ref)


def semantic(category: str, item: dict, index: Index) -> dict:
    """The item without ids and offsets: references become labels, mentions their texts."""
    out: dict[str, Any] = {}
    for k, v in item.items():
        # no field and `false` are the same; a confidence is how sure the machine is, not what it found
        if k in ("id", "start", "end", "confidence") or (k == "reviewed" and not v):
            continue
        if k == "mentions":
            out["mentions"] = sorted(m.get("text", "") for m in v or [])
        elif k == "evidence":
            out["evidence"] = (v or {}).get("text")
        elif k == "more_evidence":
            out["more_evidence"] = [m.get("text", "") for m in v or []]
        elif k in REF_FIELDS:
            out[REF_FIELDS[k][1]] = sorted(index.label(r) for r in v or [])
        elif k == "section_id":
            out["section"] = index.label(v)
        elif k == "positions":
            out["positions"] = [{"title": p.get("title"), "organisation": index.label(p.get("organisation_id")),
                                 **{x: y for x, y in p.items() if x not in ("title", "organisation_id")}} for p in v or []]
        elif k == "value":
            out[k] = _num(v)
        else:
            out[k] = v
    return out


def key_of(category: str, view: dict, fields: tuple[str, ...] | None = None) -> tuple:
    return tuple(norm(view.get(f)) for f in (fields or KEY_FIELDS[category]))


def key_strings(category: str, view: dict) -> list[str]:
    out = []
    for f in KEY_FIELDS[category]:
        v = view.get(f)
        out.append(", ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(_num(v)))
    return out


def label(category: str, view: dict) -> str:
    if category == "places":
        return f"{view.get('name')} ({view.get('kind')})"
    if category == "events":
        places = ", ".join(view.get("places") or []) or "—"
        return f"{view.get('date') or 'no date'} {view.get('type')} @ {places}"
    return " ".join(s for s in key_strings(category, view) if s)


def views(report: dict, category: str) -> list[tuple[dict, dict]]:
    """(raw item, semantic view) for each item of a category."""
    index = Index(report)
    return [(item, semantic(category, item, index)) for item in report.get(category) or []]


# ---- matching ----

def _likeness(a: dict, b: dict) -> int:
    return sum(norm(a.get(k)) == norm(b.get(k)) for k in set(a) | set(b))


def _pair(old: list, new: list) -> tuple[list[tuple], list, list]:
    """Pair old and new (raw, view) lists sharing a key: identical first, then by likeness, in order."""
    pairs, old, new = [], list(old), list(new)
    for o in list(old):
        same = next((n for n in new if norm(n[1]) == norm(o[1])), None)
        if same is not None:
            pairs.append((o, same))
            old.remove(o)
            new.remove(same)
    while old and new:
        o, n = max(((o, n) for o in old for n in new), key=lambda p: _likeness(p[0][1], p[1][1]))
        pairs.append((o, n))
        old.remove(o)
        new.remove(n)
    return pairs, old, new


def _group(items: list, category: str, fields=None) -> dict[tuple, list]:
    groups: dict[tuple, list] = {}
    for it in items:
        groups.setdefault(key_of(category, it[1], fields), []).append(it)
    return groups


def match(category: str, old: list, new: list) -> tuple[list[tuple], list, list]:
    """(pairs, removed, added) of (raw, view) items of one category."""
    og, ng = _group(old, category), _group(new, category)
    pairs, removed, added = [], [], []
    for k in list(og) + [k for k in ng if k not in og]:
        p, r, a = _pair(og.get(k, []), ng.get(k, []))
        pairs += p
        removed += r
        added += a
    for fields in LOOSE_KEYS.get(category, []):
        ro, an = _group(removed, category, fields), _group(added, category, fields)
        for k, rs in ro.items():
            if len(rs) == 1 and len(an.get(k, [])) == 1:
                pairs.append((rs[0], an[k][0]))
                removed.remove(rs[0])
                added.remove(an[k][0])
    return pairs, removed, added


# ---- diffing ----

def field_changes(old: dict, new: dict) -> list[FieldChange]:
    return [FieldChange(field=k, old=old.get(k), new=new.get(k))
            for k in list(old) + [k for k in new if k not in old] if old.get(k) != new.get(k)]


def _item(category: str, raw_old: dict | None, raw_new: dict | None, view: dict, fields=()) -> ItemDiff:
    return ItemDiff(category=category, key=key_strings(category, view), label=label(category, view),
                    old_id=(raw_old or {}).get("id"), new_id=(raw_new or {}).get("id"), fields=list(fields), item=view)


def _digest(text: str | None) -> str | None:
    if text is None:
        return None
    return f"{len(text)} chars, sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}"


def report_view(report: dict) -> dict:
    """Report-level fields that are not item lists; `pipeline` and `source.path` left out."""
    return {
        "schema_version": report.get("schema_version"),
        "city": report.get("city"),
        "year": report.get("year"),
        "source.sha256": (report.get("source") or {}).get("sha256"),
        "text": _digest(report.get("text")),
        "sections": [s.get("title") for s in report.get("sections") or []],
        "answers": [a.get("kind") for a in report.get("answers") or []],
        "warnings": sorted(f"{w.get('code')}: {w.get('message')}" for w in report.get("warnings") or []),
    }


def diff_reports(old: dict | None, new: dict | None, old_name: str | None = None, new_name: str | None = None) -> ReportDiff:
    report_id = (new or old or {}).get("report_id", "?")
    counts = {c: Counts() for c in CATEGORIES}
    if old is None or new is None:
        return ReportDiff(report_id=report_id, status="added" if old is None else "removed",
                          old=old_name, new=new_name, counts=counts)
    out = ReportDiff(report_id=report_id, status="equal", old=old_name, new=new_name,
                     fields=field_changes(report_view(old), report_view(new)), counts=counts)
    for cat in CATEGORIES:
        pairs, removed, added = match(cat, views(old, cat), views(new, cat))
        for (ro, vo), (rn, vn) in pairs:
            changes = field_changes(vo, vn)
            if changes:
                out.changed.append(_item(cat, ro, rn, vn, changes))
        out.removed += [_item(cat, r, None, v) for r, v in removed]
        out.added += [_item(cat, None, r, v) for r, v in added]
        out.counts[cat] = Counts(added=len(added), removed=len(removed), changed=sum(i.category == cat for i in out.changed))
    if out.fields or out.added or out.removed or out.changed:
        out.status = "changed"
    return out


def diff_sets(old: dict[str, tuple[str, dict]], new: dict[str, tuple[str, dict]], old_name: str, new_name: str) -> DiffDocument:
    """Two sets of reports, report_id -> (where, document), matched by report_id."""
    reports = []
    for rid in sorted(set(old) | set(new)):
        o, n = old.get(rid), new.get(rid)
        reports.append(diff_reports(o and o[1], n and n[1], o and o[0], n and n[0]))
    totals = {c: Counts(added=sum(r.counts[c].added for r in reports), removed=sum(r.counts[c].removed for r in reports),
                        changed=sum(r.counts[c].changed for r in reports)) for c in CATEGORIES}
    return DiffDocument(old=old_name, new=new_name, equal=all(r.status == "equal" for r in reports),
                        totals=totals, reports=reports)


# ---- text rendering ----

def render_text(doc: DiffDocument, console) -> None:
    """Print the diff with rich markup: a count table per report, then the items."""
    from rich.markup import escape
    from rich.table import Table

    for r in doc.reports:
        if r.status == "equal":
            console.print(f"[dim]= {escape(r.report_id)}: no changes[/]")
            continue
        if r.status in ("added", "removed"):
            sign, style = ("+", "green") if r.status == "added" else ("-", "red")
            console.print(f"[{style}]{sign} {escape(r.report_id)}: report {r.status} ({escape(str(r.new or r.old))})[/]")
            continue
        console.print(f"[bold]~ {escape(r.report_id)}[/]  [dim]{escape(str(r.old))} -> {escape(str(r.new))}[/]")
        for c in r.fields:
            console.print(f"  [yellow]~[/] {escape(change_words(c.field, c.old, c.new))}")
        table = Table("category", "added", "removed", "changed", box=None, padding=(0, 2))
        for cat, n in r.counts.items():
            if n.added or n.removed or n.changed:
                table.add_row(cat, f"[green]+{n.added}[/]", f"[red]-{n.removed}[/]", f"[yellow]~{n.changed}[/]")
        console.print(table)
        for it in r.added:
            console.print(f"  [green]+ {it.category} {escape(it.label)}[/]")
        for it in r.removed:
            console.print(f"  [red]- {it.category} {escape(it.label)}[/]")
        for it in r.changed:
            console.print(f"  [yellow]~ {it.category} {escape(it.label)}[/]")
            for c in it.fields:
                console.print(f"      {escape(change_words(c.field, c.old, c.new))}")
    n = sum(r.status != "equal" for r in doc.reports)
    console.print(f"{len(doc.reports)} reports, {n} differ" if not doc.equal else f"{len(doc.reports)} reports, all equal")


if __name__ == "__main__":  # python -m review.diff > models/diff.schema.json
    import sys

    sys.stdout.write(json_schema())
