"""Comparison tables over a folder of extracted reports, for other tools and for people:

    reports.csv      one row per report: city, year, counts per category and per event type, online share
    partners.csv     one row per partner place: a place with a stated tie (twin/partner) or a foreign place
    events.csv       one row per event
    persons.csv      one row per person, posts joined by "; "
    quantities.csv   one row per quantity
    compare.duckdb   the same five tables
    overview.html    charts (matplotlib, inline SVG images) and the reports table; self-contained

Works on plain report dicts; every row is derived from the JSON, nothing else. Reports whose source
file is gone (`orphaned` in the folder's manifest) are left out; a damaged JSON is reported and left
out, the rest is compared. A CSV cell that a spreadsheet would take for a formula (it starts with
=, +, -, @, a tab or a carriage return: OWASP's CSV-injection rule) gets a leading apostrophe.
"""
import base64
import csv
import html
import io
from collections import Counter, defaultdict
from pathlib import Path
from string import Template

from review.reports import CATEGORIES, DiffError, load_side
from review.outputs import orphaned_ids

EVENT_TYPES = ("visit", "meeting", "conference", "festival", "exhibition", "competition", "ceremony",
               "trade_mission", "project", "other")
FORMATS = ("online", "offline", "mixed", "unknown")
BASE = [("report_id", "VARCHAR"), ("city", "VARCHAR"), ("year", "INTEGER")]
TABLES: dict[str, list[tuple[str, str]]] = {
    "reports": BASE + [("country_code", "VARCHAR")] + [(c, "INTEGER") for c in CATEGORIES] + [("partners", "INTEGER")]
    + [(f"events_{t}", "INTEGER") for t in EVENT_TYPES] + [(f"format_{f}", "INTEGER") for f in FORMATS]
    + [("online_share", "DOUBLE")],
    "partners": BASE + [("partner", "VARCHAR"), ("kind", "VARCHAR"), ("country", "VARCHAR"), ("relation", "VARCHAR")],
    "events": BASE + [("event_id", "VARCHAR"), ("type", "VARCHAR"), ("date", "VARCHAR"), ("format", "VARCHAR"),
                      ("title", "VARCHAR"), ("places", "VARCHAR"), ("persons", "VARCHAR"), ("organisations", "VARCHAR"),
                      ("quantities", "INTEGER")],
    "persons": BASE + [("person", "VARCHAR"), ("surname", "VARCHAR"), ("posts", "VARCHAR"), ("organisations", "VARCHAR"),
                       ("mentions", "INTEGER")],
    "quantities": BASE + [("value", "DOUBLE"), ("unit", "VARCHAR"), ("approximate", "BOOLEAN"), ("mentions", "INTEGER"),
                          ("text", "VARCHAR")],
}


def is_partner(place: dict, home_country: str | None) -> bool:
    """A place with a stated tie, or a foreign place (its country differs from the reporting city's)."""
    if place.get("relation"):
        return True
    cc = place.get("country_code")
    return bool(cc and home_country and cc != home_country and place.get("kind") != "other")


def online_share(events: list[dict]) -> float | None:
    """Online events (mixed count half) among events whose format is known."""
    known = [e for e in events if e.get("format") in ("online", "offline", "mixed")]
    if not known:
        return None
    return round(sum(1 if e["format"] == "online" else 0.5 if e["format"] == "mixed" else 0 for e in known) / len(known), 4)


def rows_of(doc: dict) -> dict[str, list[dict]]:
    """All table rows of one report."""
    city = doc.get("city") or {}
    base = {"report_id": doc.get("report_id"), "city": city.get("name"), "year": doc.get("year")}
    names = {i.get("id"): i.get("name") or i.get("surname") or i.get("title") for c in ("places", "persons", "organisations")
             for i in doc.get(c) or []}
    events = doc.get("events") or []
    partners = [p for p in doc.get("places") or [] if is_partner(p, city.get("country_code"))]
    types, formats = Counter(e.get("type") for e in events), Counter(e.get("format") for e in events)
    report = {**base, "country_code": city.get("country_code"), **{c: len(doc.get(c) or []) for c in CATEGORIES},
              "partners": len(partners), **{f"events_{t}": types.get(t, 0) for t in EVENT_TYPES},
              **{f"format_{f}": formats.get(f, 0) for f in FORMATS}, "online_share": online_share(events)}

    def joined(ids):
        return "; ".join(str(names.get(i, i)) for i in ids or [])

    return {
        "reports": [report],
        "partners": [{**base, "partner": p.get("name"), "kind": p.get("kind"), "country": p.get("country_code"),
                      "relation": p.get("relation")} for p in partners],
        "events": [{**base, "event_id": e.get("id"), "type": e.get("type"), "date": e.get("date"), "format": e.get("format"),
                    "title": e.get("title"), "places": joined(e.get("place_ids")), "persons": joined(e.get("person_ids")),
                    "organisations": joined(e.get("organisation_ids")), "quantities": len(e.get("quantity_ids") or [])}
                   for e in events],
        "persons": [{**base, "person": p.get("name"), "surname": p.get("surname"),
                     "posts": "; ".join(x.get("title") or "" for x in p.get("positions") or []),
                     "organisations": joined([x.get("organisation_id") for x in p.get("positions") or [] if x.get("organisation_id")]),
                     "mentions": len(p.get("mentions") or [])} for p in doc.get("persons") or []],
        "quantities": [{**base, "value": q.get("value"), "unit": q.get("unit"), "approximate": q.get("approximate"),
                        "mentions": len(q.get("mentions") or []), "text": (q.get("mentions") or [{}])[0].get("text")}
                       for q in doc.get("quantities") or []],
    }


def build_tables(docs: list[dict]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {t: [] for t in TABLES}
    for doc in sorted(docs, key=lambda d: ((d.get("city") or {}).get("name") or "", d.get("year") or 0, d.get("report_id"))):
        for t, rows in rows_of(doc).items():
            tables[t] += rows
    return tables


def write_csv(path: Path, table: str, rows: list[dict]) -> None:
    cols = [c for c, _ in TABLES[table]]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: cell(r.get(c)) for c in cols})


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell: '' for None; a string a spreadsheet would run as a formula starts with "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def write_duckdb(path: Path, tables: dict[str, list[dict]]) -> None:
    import duckdb

    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        for name, cols in TABLES.items():
            con.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in cols)})")
            rows = [[r.get(c) for c, _ in cols] for r in tables[name]]
            if rows:
                con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})", rows)
    finally:
        con.close()


# ---- charts ----

def _svg(fig) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "city-reports"}):  # the same data gives the same SVG
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def _figure(rows: int):
    from matplotlib.figure import Figure

    return Figure(figsize=(8, max(2.5, 0.45 * rows + 1.2)))


def chart_events(reports: list[dict]) -> str:
    """Events per type, per city and year (stacked bars)."""
    from matplotlib import colormaps

    fig = _figure(len(reports))
    ax = fig.subplots()
    labels = [f"{r['city'] or r['report_id']} {r['year'] or ''}" for r in reports]
    left = [0] * len(reports)
    cmap = colormaps["tab10"]
    for i, t in enumerate(EVENT_TYPES):
        vals = [r[f"events_{t}"] for r in reports]
        if any(vals):
            ax.barh(labels, vals, left=left, label=t, color=cmap(i))
            left = [a + b for a, b in zip(left, vals)]
    ax.invert_yaxis()
    ax.set_xlabel("events")
    ax.set_title("Events per type, city and year")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _svg(fig)


def chart_partner_countries(partners: list[dict]) -> str:
    """Partner places per country and year (stacked bars; the 9 commonest countries, then the rest)."""
    from matplotlib import colormaps

    years = sorted({p["year"] for p in partners if p["year"] is not None})
    common = [c for c, _ in Counter(p["country"] or "?" for p in partners).most_common(9)]
    counts: dict[str, Counter] = defaultdict(Counter)
    for p in partners:
        c = p["country"] or "?"
        counts[c if c in common else "other"][p["year"]] += 1
    fig = _figure(len(years) + 2)
    ax = fig.subplots()
    bottom = [0] * len(years)
    xs = [str(y) for y in years]
    cmap = colormaps["tab10"]
    for i, c in enumerate(common + (["other"] if "other" in counts else [])):
        vals = [counts[c][y] for y in years]
        ax.bar(xs, vals, bottom=bottom, label=c, color=cmap(i))
        bottom = [a + b for a, b in zip(bottom, vals)]
    ax.set_ylabel("partner places")
    ax.set_title("Partner places by country, per year")
    if years:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _svg(fig)


def chart_online(reports: list[dict]) -> str:
    """Share of events per format, per report."""
    fig = _figure(len(reports))
    ax = fig.subplots()
    labels = [f"{r['city'] or r['report_id']} {r['year'] or ''}" for r in reports]
    left = [0.0] * len(reports)
    colours = {"online": "#1e88e5", "mixed": "#8e24aa", "offline": "#43a047", "unknown": "#bdbdbd"}
    for f in ("online", "mixed", "offline", "unknown"):
        vals = [r[f"format_{f}"] / r["events"] if r["events"] else 0 for r in reports]
        ax.barh(labels, vals, left=left, label=f, color=colours[f])
        left = [a + b for a, b in zip(left, vals)]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of events")
    ax.set_title("Online share of events")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _svg(fig)


def overview_html(tables: dict[str, list[dict]]) -> str:
    esc = lambda v: html.escape("" if v is None else str(v), quote=True)  # noqa: E731
    reports = tables["reports"]
    charts = [("events", chart_events(reports)), ("partners", chart_partner_countries(tables["partners"])),
              ("online", chart_online(reports))]
    figs = "".join(f'<figure id="chart-{n}"><img alt="{n} chart" src="data:image/svg+xml;base64,{b}"></figure>'
                   for n, b in charts)
    cols = ["report_id", "city", "year", *CATEGORIES, "partners", "online_share"]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{esc(r.get(c))}</td>" for c in cols) + "</tr>" for r in reports)
    files = "".join(f'<li><a href="{t}.csv">{t}.csv</a> ({len(rows)} rows)</li>' for t, rows in tables.items())
    tpl = Template((Path(__file__).with_name("templates") / "overview.html").read_text(encoding="utf-8"))
    return tpl.substitute(charts=figs, table=f"<table><tr>{head}</tr>{body}</table>", files=files,
                          summary=esc(f"{len(reports)} reports, {len({r['city'] for r in reports})} cities, "
                                      f"years {', '.join(sorted({str(r['year']) for r in reports}))}"))


def compare(src: Path, out: Path, problems: list[str] | None = None) -> dict[str, list[dict]]:
    """Read every report in `src` (but those whose source is gone), write the tables, the DuckDB file
    and the overview into `out`. Files that cannot be read are listed in `problems` (one line each;
    printed to standard error when no list is given) and left out."""
    gone = orphaned_ids(src)
    docs = [doc for rid, (_, doc) in load_side(src, problems).items() if rid not in gone]
    if not docs:
        raise DiffError(f"{src}: no report JSON files that can be compared")
    tables = build_tables(docs)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        write_csv(out / f"{name}.csv", name, rows)
    write_duckdb(out / "compare.duckdb", tables)
    (out / "overview.html").write_text(overview_html(tables), encoding="utf-8")
    return tables
