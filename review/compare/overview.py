"""overview.html: the charts (charts.py) drawn by plotly.js, which is inlined (no CDN, no network),
the reports table and the list of files; one self-contained page."""
import html
import json
from importlib.resources import files
from pathlib import Path
from string import Template

from review.compare import charts
from review.compare.tables import TABLES

TEMPLATE = Path(__file__).parent.parent / "templates" / "overview.html"
REPORT_COLUMNS = [("label", "отчёт"), ("events_counted", "событий"), ("partners", "партнёров"),
                  ("foreign_places", "иностранных мест без связи"), ("persons", "лиц"), ("organisations", "организаций"),
                  ("tasks", "задач"), ("online_share", "доля онлайн")]
CONFIG = {"displayModeBar": False, "responsive": True}


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def plotly_js() -> str:
    return (files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def _section(chart: charts.Chart, figures: dict) -> str:
    boxes = []
    for i, (title, fig) in enumerate(chart.figures):
        fid = f"{chart.id}-{i}"
        figures[fid] = fig
        head = f"<h3>{esc(title)}</h3>" if title else ""
        boxes.append(f'<div class="box">{head}<div class="fig" id="fig-{esc(fid)}" data-fig="{esc(fid)}"></div></div>')
    grid = "grid" if len(chart.figures) > 1 or not chart.per_report else "single"
    body = "".join(boxes) or '<p class="empty">нет данных</p>'
    return (f'<section class="chart" id="chart-{chart.id}" data-per-report="{str(chart.per_report).lower()}">'
            f'<h2>{esc(chart.title)}</h2><p class="caption">{esc(chart.caption)}</p>'
            f'<div class="{grid}">{body}</div></section>')


def render(view, counts: dict[str, int]) -> str:
    reports = sorted(view.reports, key=lambda r: (r["city"] or "", r["year"] or 0, r["topic"] or "", r["report_id"]))
    chart_list = charts.per_report(reports) + [charts.partner_timeline(view.partners, view.changes),
                                               charts.partner_countries(view.partners),
                                               charts.series(view.series, {r["report_id"]: r["topic"] for r in reports})]
    figures: dict[str, dict] = {}
    sections = "".join(_section(c, figures) for c in chart_list)
    head = "".join(f"<th>{esc(name)}</th>" for _, name in REPORT_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{esc(r.get(c))}</td>" for c, _ in REPORT_COLUMNS) + "</tr>" for r in reports)
    listing = "".join(f'<li><a href="{t.name}.csv">{t.name}.csv</a>, <a href="{t.name}.parquet">.parquet</a> '
                      f"({counts.get(t.name, 0)} строк): {esc(t.doc)}</li>" for t in TABLES)
    cities = {r["city"] for r in reports if r["city"]}
    years = sorted({r["year"] for r in reports if r["year"] is not None})
    summary = (f"{len(reports)} отчётов, {len(cities)} городов, "
               f"годы {', '.join(map(str, years)) if years else '—'}")
    data = json.dumps({"config": CONFIG, "figures": figures}, ensure_ascii=False).replace("<", "\\u003c")
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        summary=esc(summary), charts=sections, table=f"<table><tr>{head}</tr>{body}</table>", files=listing,
        data=data, plotly=plotly_js())


def write_overview(path: Path, view, counts: dict[str, int]) -> Path:
    path.write_text(render(view, counts), encoding="utf-8")
    return path
