"""The HTML review page of one report: its text with every mention highlighted by type (hover shows
the item), the items a diff added, removed or changed marked, and a panel of changes linking to
their places in the text. One self-contained file: inline CSS and script, no network, a Content
Security Policy that admits only the page's own script. Every report-derived string is escaped.
"""
import base64
import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from review.diff import CATEGORIES, ENTITY_CATEGORIES, Index, ItemDiff, ReportDiff, label, semantic
from review.words import change_words

TEMPLATES = Path(__file__).with_name("templates")
SINGULAR = {"places": "place", "persons": "person", "organisations": "organisation", "dates": "date",
            "quantities": "quantity", "events": "event", "tasks": "task"}


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def page(title: str, meta: str, text: str, panel: str) -> str:
    """Fill the review template. Arguments other than `title` are HTML the caller has escaped."""
    js = template("review.js")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    return Template(template("review.html")).substitute(
        title=esc(title), meta=meta, text=text, panel=panel, css=template("review.css"), js=js,
        script_hash=f"'sha256-{digest}'")


@dataclass
class Span:
    start: int
    end: int
    tag: str
    classes: str
    item: str        # data-item: category:index, shared by an item's spans
    title: str
    mid: str | None = None  # mentions: data-m, one per mention however many pieces it is cut into
    order: int = 0

    def open(self, first: bool) -> str:
        attrs = [f'class="{esc(self.classes)}"', f'data-item="{esc(self.item)}"', f'title="{esc(self.title)}"']
        if self.mid is not None:
            attrs.append(f'data-m="{esc(self.mid)}"')
        if first:
            attrs.append(f'id="{esc(self.anchor)}"')
        return f"<{self.tag} {' '.join(attrs)}>"

    @property
    def anchor(self) -> str:
        return f"m-{self.mid}" if self.mid is not None else f"s-{self.item.replace(':', '-')}"


def describe(category: str, view: dict, note: str = "") -> str:
    parts = []
    for k, v in view.items():
        if k in ("mentions", "evidence", "more_evidence") or v in (None, [], ""):
            continue
        if k == "positions":
            v = "; ".join(p.get("title") or "" for p in v)
        s = ", ".join(map(str, v)) if isinstance(v, list) else str(v)
        parts.append(f"{k}: {s if len(s) < 90 else s[:89] + '…'}")
    n = len(view.get("mentions") or [])
    head = f"{SINGULAR[category]}: {label(category, view)}"
    return "\n".join([head, *parts, *([f"{n} mention(s)"] if n else []), *([note] if note else [])])


def render_text(text: str, spans: list[Span]) -> str:
    """The text as HTML with spans as properly nested elements: spans that cross are cut into pieces
    (closed and reopened); every piece of a mention carries the same data-m."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    for i, s in enumerate(spans):
        s.order = i
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    out, stack, active, opened = [], [], [], set()
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        want = sorted(active, key=lambda s: (s.start, -s.end, s.order))
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
            keep += 1
        out += [f"</{s.tag}>" for s in reversed(stack[keep:])]
        for s in want[keep:]:
            out.append(s.open(id(s) not in opened))
            opened.add(id(s))
        stack = want
        out.append(esc(text[a:b]))
    out += [f"</{s.tag}>" for s in reversed(stack)]
    return "".join(out)


@dataclass
class Marks:
    """Change marks by item id: new side ('added'/'changed') and old side ('removed')."""
    new: dict[str, ItemDiff] = field(default_factory=dict)
    old: dict[str, ItemDiff] = field(default_factory=dict)

    @classmethod
    def of(cls, diff: ReportDiff | None) -> "Marks":
        m = cls()
        if diff is not None:
            for it in diff.added + diff.changed:
                m.new[f"{it.category}:{it.new_id}"] = it
            for it in diff.removed:
                m.old[f"{it.category}:{it.old_id}"] = it
        return m


def _change_note(it: ItemDiff | None) -> str:
    if it is None:
        return ""
    if not it.fields:
        return "ADDED in this run" if it.new_id and not it.old_id else "REMOVED in this run"
    return "CHANGED: " + "; ".join(change_words(c.field, c.old, c.new) for c in it.fields)


def _grounded(text: str, m: dict) -> bool:
    s, e = m.get("start"), m.get("end")
    return isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and text[s:e] == m.get("text")


def spans_of(doc: dict, marks: dict[str, ItemDiff], side: str, text: str,
             index: Index | None = None) -> tuple[list[Span], dict[str, str], int]:
    """Spans for a report's items; anchors of their first places (item key -> anchor); ungrounded count."""
    index, spans, anchors, bad = index or Index(doc), [], {}, 0
    for cat in CATEGORIES:
        for n, item in enumerate(doc.get(cat) or []):
            key = f"{cat}:{item.get('id')}"
            change = marks.get(key)
            state = "removed" if side == "old" else ("changed" if change and change.fields else "added" if change else "")
            title = describe(cat, semantic(cat, item, index), _change_note(change))
            data_item = f"{side}-{cat}:{n}"
            if cat in ENTITY_CATEGORIES:
                pieces = [(m, "mark", f"m t-{cat} {state}".strip()) for m in item.get("mentions") or []]
            elif cat == "events":
                pieces = [(m, "span", f"ev {state}".strip()) for m in [item.get("evidence") or {}, *(item.get("more_evidence") or [])]]
            else:
                pieces = [(item, "span", f"task {state}".strip())]
            for j, (m, tag, classes) in enumerate(pieces):
                if not _grounded(text, m):
                    bad += cat in ENTITY_CATEGORIES
                    continue
                mid = (f"{'r' if side == 'old' else ''}{cat[:3]}{n}-{j}") if tag == "mark" else None
                sp = Span(m["start"], m["end"], tag, classes, data_item, title, mid)
                spans.append(sp)
                anchors.setdefault(key, sp.anchor)
    return spans, anchors, bad


def _counts_table(doc: dict) -> str:
    rows = [f"<tr><td><span class='t-{c}'>{c}</span></td><td>{len(doc.get(c) or [])}</td>"
            f"<td>{sum(len(i.get('mentions') or []) for i in doc.get(c) or [])}</td></tr>" for c in ENTITY_CATEGORIES]
    rows += [f"<tr><td>{c}</td><td>{len(doc.get(c) or [])}</td><td></td></tr>" for c in ("events", "tasks")]
    return "<table class='counts'><tr><th>type</th><th>items</th><th>mentions</th></tr>" + "".join(rows) + "</table>"


def _change_li(it: ItemDiff, state: str, anchor: str | None) -> str:
    name = f"{esc(it.category)} <b>{esc(it.label)}</b>"
    body = f'<a href="#{esc(anchor)}">{name}</a>' if anchor else name
    fields = "".join(f"<div class='fields'>{esc(change_words(c.field, c.old, c.new))}</div>" for c in it.fields)
    return f"<li class='{state}'>{body}{fields}</li>"


def changes_panel(diff: ReportDiff, anchors_new: dict[str, str], anchors_old: dict[str, str]) -> str:
    if diff.status == "equal":
        return "<section id='changes'><h2>Changes</h2><p>No changes.</p></section>"
    items = [_change_li(it, "added", anchors_new.get(f"{it.category}:{it.new_id}")) for it in diff.added]
    items += [_change_li(it, "removed", anchors_old.get(f"{it.category}:{it.old_id}")) for it in diff.removed]
    items += [_change_li(it, "changed", anchors_new.get(f"{it.category}:{it.new_id}")) for it in diff.changed]
    fields = "".join(f"<li class='changed'>{esc(change_words(c.field, c.old, c.new))}</li>" for c in diff.fields)
    n = f"+{len(diff.added)} −{len(diff.removed)} ~{len(diff.changed)}"
    return (f"<section id='changes'><h2>Changes ({esc(n)})</h2><ul>{fields}{''.join(items)}</ul>"
            f"<p class='meta'>{esc(diff.old)} → {esc(diff.new)}</p></section>")


def items_panel(doc: dict, anchors: dict[str, str]) -> str:
    index, parts = Index(doc), []
    for cat in CATEGORIES:
        lis = []
        for item in doc.get(cat) or []:
            view = semantic(cat, item, index)
            a = anchors.get(f"{cat}:{item.get('id')}")
            text = esc(label(cat, view)) + (" ✔" if item.get("reviewed") else "")
            lis.append(f"<li><a href='#{esc(a)}'>{text}</a></li>" if a else f"<li>{text}</li>")
        parts.append(f"<h3>{cat} ({len(lis)})</h3><ul>{''.join(lis)}</ul>")
    return "<section id='items'><h2>Items</h2>" + "".join(parts) + "</section>"


def render_review_page(new: dict, old: dict | None = None, diff: ReportDiff | None = None) -> str:
    """The review page of report `new` (or of `old` when the report was removed), with `diff` marked."""
    doc = new if new is not None else old
    text = doc.get("text") or ""
    marks = Marks.of(diff)
    spans, anchors, bad = spans_of(doc, marks.new if new is not None else {}, "new", text)
    anchors_old = {}
    if old is not None and new is not None and (old.get("text") or "") == text and marks.old:
        removed = {"report_id": old.get("report_id"), **{c: [] for c in CATEGORIES}}
        for c in CATEGORIES:
            removed[c] = [it for it in old.get(c) or [] if f"{c}:{it.get('id')}" in marks.old]
        removed["sections"] = old.get("sections") or []
        old_spans, anchors_old, _ = spans_of(removed, marks.old, "old", text, Index(old))
        spans += old_spans
    city = doc.get("city") or {}
    meta = " · ".join(esc(x) for x in [doc.get("report_id"), city.get("name"), doc.get("year"),
                                         (doc.get("source") or {}).get("path")] if x)
    if diff is not None and diff.status in ("added", "removed"):
        meta += f" · <b>report {esc(diff.status)}</b>"
    if bad:
        meta += f" · <span class='warn'>{bad} mention(s) not grounded in the text: not shown</span>"
    legend = "<section class='legend'><h2>Legend</h2>" + "".join(
        f"<span class='t-{c}'>{SINGULAR[c]}</span>" for c in ENTITY_CATEGORIES) + \
        "<span class='ev'>event evidence</span><span class='task'>task</span>" + \
        ("<span class='added'>added</span><span class='changed'>changed</span><span class='removed'>removed</span>"
         if diff is not None else "") + _counts_table(doc) + "</section>"
    panel = legend + (changes_panel(diff, anchors, anchors_old) if diff is not None else "") + items_panel(doc, anchors)
    title = f"Review: {doc.get('report_id')}"
    return page(title, meta, render_text(text, spans), panel)


def render_index(diff_title: str, rows: list[tuple[str, str, str, str]]) -> str:
    """An index of review pages: (report_id, file name, status, summary). The reports are listed where a
    page has its text, the counts by status beside them."""
    lis = "".join(f"<li class='{esc(status)}'><a href='{esc(fname)}'>{esc(rid)}</a> — {esc(status)} {esc(summary)}</li>"
                  for rid, fname, status, summary in rows)
    by_status: dict[str, int] = {}
    for _, _, status, _ in rows:
        by_status[status] = by_status.get(status, 0) + 1
    counts = "".join(f"<tr><td>{esc(k)}</td><td>{n}</td></tr>" for k, n in sorted(by_status.items()))
    panel = f"<section><h2>Reports ({len(rows)})</h2><table class='counts'>{counts}</table></section>"
    return page("Review pages", esc(diff_title), "<ul class='reports'>" + lis + "</ul>", panel)
