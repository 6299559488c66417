"""The overview's charts as plotly.js figures (plain dicts: data + layout), Russian labels, values on hover.

Per-report charts have one row per report, labelled city · year · topic, and grow with the reports
(ROW px a row). Per-city and per-measure charts are small multiples: one small chart each, laid out
in a grid. Every chart says what it counts (`Chart.caption`).
"""
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from review.compare.tables import EVENT_TYPES
from review.compare.text import data as rule_data, label

ROW = 20
COLOURS = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#3949ab", "#c0ca33", "#757575"]
FORMAT_COLOURS = {"online": "#1e88e5", "mixed": "#8e24aa", "offline": "#43a047", "unknown": "#bdbdbd"}
TOP_COUNTRIES = 9


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    figures: Iterable[tuple[str, dict]]   # (small multiple's title or "", figure): a list, or drawn as it is read
    per_report: bool = False


def _layout(height: int, **extra) -> dict:
    return {"height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 40}, "barmode": "stack",
            "font": {"family": "system-ui, DejaVu Sans, sans-serif", "size": 12}, "separators": ", ",
            "legend": {"orientation": "h", "y": 1, "yanchor": "bottom", "x": 0}, "hovermode": "closest", **extra}


def _rows_axis(labels: list[str]) -> dict:
    return {"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
            "dtick": 1, "automargin": True, "tickfont": {"size": 11}}


def per_report(reports: dict[str, list]) -> list[Chart]:
    """`reports`: the reports table's columns (a list of values each, one per report, in the rows' order)."""
    labels = reports["label"]
    counted = reports["events_counted"]
    height = 90 + ROW * len(labels)
    events = [{"type": "bar", "orientation": "h", "name": label("event_types", t), "y": labels,
               "x": reports[f"events_{t}"], "marker": {"color": COLOURS[i % len(COLOURS)]},
               "hovertemplate": "<b>%{y}</b><br>" + label("event_types", t) + ": %{x}<extra></extra>"}
              for i, t in enumerate(EVENT_TYPES) if any(reports[f"events_{t}"])]
    if not events:
        events = [{"type": "bar", "orientation": "h", "name": "нет событий", "y": labels, "x": [0] * len(labels),
                   "hovertemplate": "<b>%{y}</b><br>событий: 0<extra></extra>"}]
    formats = []
    for f in ("online", "mixed", "offline", "unknown"):
        n = reports[f"format_{f}"]
        share = [x / c if c else 0 for x, c in zip(n, counted)]
        formats.append({"type": "bar", "orientation": "h", "name": label("formats", f), "y": labels, "x": share,
                        "customdata": [[x, c] for x, c in zip(n, counted)],
                        "marker": {"color": FORMAT_COLOURS[f]},
                        "hovertemplate": "<b>%{y}</b><br>" + label("formats", f)
                                         + ": %{customdata[0]} из %{customdata[1]} (%{x:.0%})<extra></extra>"})
    ties = [{"type": "bar", "orientation": "h", "name": name, "y": labels, "x": reports[col],
             "marker": {"color": colour}, "hovertemplate": "<b>%{y}</b><br>" + name + ": %{x}<extra></extra>"}
            for col, name, colour in (("partners", "побратимы и партнёры (связь заявлена)", "#1e88e5"),
                                      ("foreign_places", "иностранные места без связи", "#bdbdbd"))]
    return [
        Chart("events", "События по типам", "Число состоявшихся событий (status happened) каждого типа в отчёте; "
              "запланированные, регулярные и только упомянутые события не считаются. Строка — отчёт "
              "(город · год · тема).", [("", {"data": events, "layout": _layout(height, yaxis=_rows_axis(labels),
                                                                               xaxis={"title": {"text": "событий"}})})], True),
        Chart("formats", "Формат событий", "Доля состоявшихся событий каждого формата среди состоявшихся событий "
              "отчёта (при наведении — число из общего). Строка — отчёт.",
              [("", {"data": formats, "layout": _layout(height, yaxis=_rows_axis(labels),
                                                        xaxis={"title": {"text": "доля событий"}, "tickformat": ".0%",
                                                               "range": [0, 1]})})], True),
        Chart("ties", "Партнёры и иностранные места", "Места, с которыми отчёт называет связь побратимов или "
              "партнёров, и отдельно иностранные места (страны, регионы, города) без такой связи — они партнёрами "
              "не считаются. Строка — отчёт.",
              [("", {"data": ties, "layout": _layout(height, yaxis=_rows_axis(labels),
                                                     xaxis={"title": {"text": "мест"}})})], True),
    ]


def partner_timeline(figures: Iterable[tuple[str, dict]]) -> Chart:
    """One small chart per city (city_timeline)."""
    return Chart("timeline", "Партнёры по годам, по городам", "Для каждого города: места, связь с которыми "
                 "(● побратим, ◆ партнёр) заявлена в отчётах города за год; оранжевый контур — новый партнёр или "
                 "изменённый статус, × — партнёр выбыл (не упоминается или упомянут без связи). Страны и "
                 "иностранные места без связи не показаны.", figures)


def city_timeline(city: str, rows: list[dict], changes: list[dict]) -> tuple[str, dict]:
    """A city's partners (rows) in each reported year (columns): its partners table rows and partner changes."""
    change_of = {(c["city"], c["to_year"], c["key"]): c for c in changes}
    years = sorted({p["year"] for p in rows} | {c["to_year"] for c in changes})
    names = {}
    for p in sorted(rows, key=lambda p: (p["year"], p["partner"] or "")):
        names.setdefault(p["key"], f"{p['partner']} ({p['country_ru'] or p['country_code'] or '?'})")
    order = sorted(names.values())
    data = []
    for rel, symbol, colour in (("twin", "circle", "#1e88e5"), ("partner", "diamond", "#43a047")):
        sel = [p for p in rows if p["relation"] == rel]
        data.append({"type": "scatter", "mode": "markers", "name": label("relations", rel),
                     "x": [str(p["year"]) for p in sel], "y": [names[p["key"]] for p in sel],
                     "marker": {"symbol": symbol, "size": 11, "color": colour,
                                "line": {"width": 2, "color": ["#ff6f00" if (city, p["year"], p["key"]) in change_of
                                                               else colour for p in sel]}},
                     "text": [_tie_hover(p, change_of.get((city, p["year"], p["key"]))) for p in sel],
                     "hovertemplate": "%{text}<extra></extra>"})
    dropped = [c for c in changes if c["change"] == "dropped"]
    data.append({"type": "scatter", "mode": "markers", "name": "выбыл", "x": [str(c["to_year"]) for c in dropped],
                 "y": [names.get(c["key"], c["partner"]) for c in dropped],
                 "marker": {"symbol": "x", "size": 10, "color": "#e53935"},
                 "text": [f"<b>{c['partner']}</b>, {c['to_year']}: выбыл ("
                          + ("упомянут без связи" if c["how"] == "named_without_tie" else "не упоминается") + ")"
                          for c in dropped], "hovertemplate": "%{text}<extra></extra>"})
    layout = _layout(70 + ROW * len(order), showlegend=False,
                     xaxis={"type": "category", "categoryorder": "array", "categoryarray": [str(y) for y in years]},
                     yaxis=_rows_axis(order))
    layout["margin"]["b"] = 30
    return city, {"data": data, "layout": layout}


def _tie_hover(p: dict, change: dict | None) -> str:
    since = f", с {p['tie_since']} года" if p.get("tie_since") else ""
    what = ""
    if change and change["change"] == "new":
        what = "<br>новый партнёр"
    elif change and change["change"] == "status_changed":
        what = f"<br>статус изменён: был {label('relations', change['old_relation'])}"
    return (f"<b>{p['partner']}</b> ({p['country_ru'] or p['country_code'] or '?'})<br>{p['year']}: "
            f"{label('relations', p['relation'])}{since}{what}<br>отчёты: {p['reports']}")


def partner_countries(partners: Iterable[dict]) -> Chart:
    """Partners per country and year, all cities together (the partners table's rows, read once)."""
    per: dict[str, Counter] = defaultdict(Counter)   # country -> year -> partners
    for p in partners:
        per[p["country_ru"] or p["country_code"] or "?"][p["year"]] += 1
    years = sorted({y for c in per.values() for y in c})
    common = [c for c, _ in Counter({c: sum(n.values()) for c, n in per.items()}).most_common(TOP_COUNTRIES)]
    counts: dict[str, Counter] = defaultdict(Counter)
    for c, n in per.items():
        counts[c if c in common else "прочие"].update(n)
    data = [{"type": "bar", "name": c, "x": [str(y) for y in years], "y": [counts[c][y] for y in years],
             "marker": {"color": COLOURS[i % len(COLOURS)]},
             "hovertemplate": c + ", %{x}: %{y}<extra></extra>"}
            for i, c in enumerate(common + (["прочие"] if "прочие" in counts else []))]
    return Chart("countries", "Партнёры по странам и годам", "Число пар «город — партнёр» со связью, заявленной в "
                 "отчётах города за год, по стране партнёра (все города вместе; девять самых частых стран, "
                 "остальные — «прочие»). Страны и иностранные места без связи не считаются.",
                 [("", {"data": data, "layout": _layout(380, xaxis={"type": "category"},
                                                        yaxis={"title": {"text": "партнёров"}})})])


def series(figures: Iterable[tuple[str, dict]]) -> Chart:
    """One small chart per measure (measure_series)."""
    return Chart("series", "Числа по годам", "Числа, которые отчёт называет вместе с тем, что они считают: принятые и "
                 "направленные делегации, проведённые мероприятия, участники, посетители, просмотры. Точка — одно "
                 "число отчёта (единица и цитата — при наведении); линия соединяет годы одного города, темы отчёта "
                 "и события.", figures)


def line_name(row: dict, topic: str | None) -> str:
    """The line a series row is drawn on: its city · its report's topic · its event."""
    return " · ".join(x for x in (row["city"] or "?", topic, row["event"]) if x)


def measure_series(measure: str, lines: Iterable[tuple[str, list[dict]]]) -> tuple[str, dict]:
    """A line per city, topic and event over the years: `lines` is (line_name, its series rows) in the names'
    order; the traces are drawn one at a time, as the figure is written."""
    def trace(name: str, rs: list[dict]) -> dict:
        rs = sorted(rs, key=lambda r: r["year"])
        return {"type": "scatter", "mode": "lines+markers", "name": name, "x": [str(r["year"]) for r in rs],
                "y": [r["value"] for r in rs], "line": {"width": 1.5},
                "text": [f"<b>{name}</b>, {r['year']}: {_num(r['value'])} ({r['unit']})"
                         + (" (примерно)" if r["approximate"] else "") + f"<br>«{r['evidence']}»<br>{r['report_id']}"
                         for r in rs], "hovertemplate": "%{text}<extra></extra>"}

    layout = _layout(260, showlegend=False, xaxis={"type": "category", "categoryorder": "category ascending"},
                     yaxis={"exponentformat": "none", "separatethousands": True, "rangemode": "tozero"})
    return label("measures", measure), {"data": (trace(name, rs) for name, rs in lines), "layout": layout}


def label_order(by_measure: dict) -> list[str]:
    order = list(rule_data("labels")["measures"])
    return sorted(by_measure, key=lambda m: order.index(m) if m in order else len(order))


def _num(v) -> str:
    return f"{v:,.0f}".replace(",", " ") if isinstance(v, (int, float)) and float(v).is_integer() else str(v)
