"""overview.html: the charts (charts.py) drawn by plotly.js, which is inlined (no CDN, no network),
the reports table and the list of files; one self-contained page.

It is written as it is drawn, so that it is never in memory whole: what it draws waits in the spill
(spill.py; `keep` puts a report's part there during the second pass, _partners the partners and
partner changes), and is read back a column of numbers per report, one city's partners and one
line of a measure at a time; each figure's JSON goes to a scratch file as it is drawn and is copied
into the page's data script at its place in the template, plotly.js straight from its file.
"""
import html
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from review.compare import charts
from review.compare.spill import Spill
from review.compare.tables import EVENT_TYPES, FORMATS, TABLES

TEMPLATE = Path(__file__).parent.parent / "templates" / "overview.html"
REPORT_COLUMNS = [("label", "отчёт"), ("events_counted", "событий"), ("partners", "партнёров"),
                  ("foreign_places", "иностранных мест без связи"), ("persons", "лиц"), ("organisations", "организаций"),
                  ("tasks", "задач"), ("online_share", "доля онлайн")]
CHART_COLUMNS = ["report_id", "city", "year", "topic", "label", "events_counted", "partners", "foreign_places",
                 *(f"events_{t}" for t in EVENT_TYPES), *(f"format_{f}" for f in FORMATS)]
COLUMNS = list(dict.fromkeys(CHART_COLUMNS + [c for c, _ in REPORT_COLUMNS]))   # report_id, city, year, topic first
CONFIG = {"displayModeBar": False, "responsive": True}
PLACEHOLDER = re.compile(r"\$(\w+)")


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _write_json(write, value) -> None:
    """`_json(value)` given to `write` piece by piece: a dict item by item, a list of dicts (traces) or an
    iterator (drawn as it is written) element by element, anything else at once."""
    if isinstance(value, dict):
        write("{")
        for i, (k, v) in enumerate(value.items()):
            write((", " if i else "") + _json(k) + ": ")
            _write_json(write, v)
        write("}")
    elif isinstance(value, Iterator) or isinstance(value, list) and value and isinstance(value[0], dict):
        write("[")
        for i, v in enumerate(value):
            write(", " if i else "")
            _write_json(write, v)
        write("]")
    else:
        write(_json(value))


def keep(spill: Spill, rows: dict[str, list[dict]], topic: str | None) -> None:
    """What the page draws of a report's rows (report_rows): its reports row's COLUMNS, and its series rows
    by measure and line (charts.line_name)."""
    spill.add("report", None, [rows["reports"][0][c] for c in COLUMNS])
    for r in rows["series"]:
        if r["year"] is not None:
            spill.add("series", [r["measure"], charts.line_name(r, topic)],
                      {k: r[k] for k in ("year", "value", "unit", "approximate", "evidence", "report_id")})


def report_columns(spill: Spill) -> dict[str, list]:
    """The reports' COLUMNS, each a list in the overview's order (city, year, topic)."""
    rows = sorted(spill.values("report"), key=lambda r: (r[1] or "", r[2] or 0, r[3] or "", r[0]))
    return {name: [r[i] for r in rows] for i, name in enumerate(COLUMNS)}


def _section(chart: charts.Chart, emit) -> str:
    """The chart's section; each figure goes to `emit(id, figure)` as it is drawn."""
    boxes = []
    for i, (title, fig) in enumerate(chart.figures):
        fid = f"{chart.id}-{i}"
        emit(fid, fig)
        head = f"<h3>{esc(title)}</h3>" if title else ""
        boxes.append(f'<div class="box">{head}<div class="fig" id="fig-{esc(fid)}" data-fig="{esc(fid)}"></div></div>')
    grid = "grid" if len(boxes) > 1 or not chart.per_report else "single"
    body = "".join(boxes) or '<p class="empty">нет данных</p>'
    return (f'<section class="chart" id="chart-{chart.id}" data-per-report="{str(chart.per_report).lower()}">'
            f'<h2>{esc(chart.title)}</h2><p class="caption">{esc(chart.caption)}</p>'
            f'<div class="{grid}">{body}</div></section>')


def _charts(reports: dict[str, list], spill: Spill) -> list[charts.Chart]:
    def timelines():
        for city in sorted(spill.keys("partner")):
            yield charts.city_timeline(city, list(spill.values("partner", city)),
                                       [row for row, _ in spill.values("change", city)])

    def series():
        lines = spill.keys("series")
        for measure in charts.label_order(dict.fromkeys(m for m, _ in lines)):
            names = sorted(name for m, name in lines if m == measure)
            yield charts.measure_series(measure, ((name, list(spill.values("series", [measure, name]))) for name in names))

    return charts.per_report(reports) + [charts.partner_timeline(timelines()),
                                         charts.partner_countries(spill.values("partner")), charts.series(series())]


def write_overview(path: Path, spill: Spill, counts: dict[str, int], scratch: Path) -> Path:
    """The page, piece by piece in the template's order ($charts before $data), as UTF-8."""
    cols = report_columns(spill)
    cities = {c for c in cols["city"] if c}
    years = sorted({y for y in cols["year"] if y is not None})
    summary = (f"{len(cols['report_id'])} отчётов, {len(cities)} городов, "
               f"годы {', '.join(map(str, years)) if years else '—'}")
    with path.open("wb") as page, tempfile.TemporaryFile(dir=scratch) as data:
        def put(text: str) -> None:
            page.write(text.encode("utf-8"))

        def emit(fid: str, fig: dict) -> None:   # one entry of the data script's "figures" object
            data.write(((", " if data.tell() else "") + _json(fid) + ": ").encode("utf-8"))
            _write_json(lambda text: data.write(text.encode("utf-8")), fig)

        def table():
            put("<table><tr>" + "".join(f"<th>{esc(name)}</th>" for _, name in REPORT_COLUMNS) + "</tr>")
            for i in range(len(cols["report_id"])):
                put("<tr>" + "".join(f"<td>{esc(cols[c][i])}</td>" for c, _ in REPORT_COLUMNS) + "</tr>")
            put("</table>")

        def copy(f) -> None:
            f.seek(0)
            shutil.copyfileobj(f, page)

        def figures():
            put('{"config": ' + _json(CONFIG) + ', "figures": {')
            copy(data)
            put("}}")

        def plotly():
            with (files("plotly") / "package_data" / "plotly.min.js").open("rb") as js:
                copy(js)

        fill = {"summary": lambda: put(esc(summary)),
                "charts": lambda: put("".join(_section(c, emit) for c in _charts(cols, spill))),
                "table": table,
                "files": lambda: put("".join(f'<li><a href="{t.name}.csv">{t.name}.csv</a>, <a href="{t.name}.parquet">'
                                             f'.parquet</a> ({counts.get(t.name, 0)} строк): {esc(t.doc)}</li>'
                                             for t in TABLES)),
                "data": figures, "plotly": plotly}
        for i, piece in enumerate(PLACEHOLDER.split(TEMPLATE.read_text(encoding="utf-8"))):
            fill[piece]() if i % 2 else put(piece)
    return path
