"""Headless Chromium (Debian's /usr/bin/chromium, Playwright) opens the overview of 200 reports: one
labelled row per report in every per-report chart, values on hover, no console error, no request
leaves the page (plotly.js is inlined); a screenshot is kept in the test's folder."""
import csv
from pathlib import Path

import pytest

from review.compare import compare
from tests.review.compare.many import write_many

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
N = 200

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                                                               "(apt-get install -y chromium); browser checks skipped")]


@pytest.fixture(scope="module")
def overview(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overview")
    write_many(tmp / "in", N)
    compare(tmp / "in", tmp / "out")
    with open(tmp / "out" / "reports.csv", encoding="utf-8-sig", newline="") as f:
        labels = [r["label"] for r in csv.DictReader(f)]
    return tmp, labels


@pytest.fixture(scope="module")
def page(overview):
    from playwright.sync_api import sync_playwright

    tmp, _ = overview
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.problems = []
        pg.on("console", lambda m: pg.problems.append(f"console: {m.text}") if m.type == "error" else None)
        pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
        pg.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:", "blob:"))
              else pg.problems.append(f"request: {r.url}"))
        pg.goto((tmp / "out" / "overview.html").as_uri())
        pg.wait_for_selector("body[data-ready]", timeout=120_000)
        yield pg
        browser.close()


def test_every_per_report_chart_has_one_labelled_row_per_report(overview, page):
    _, labels = overview
    assert len(set(labels)) == N
    per_report = page.evaluate("[...document.querySelectorAll('section[data-per-report=true]')].map(s => s.id)")
    assert per_report == ["chart-events", "chart-formats", "chart-ties"]
    for sid in per_report:
        ticks = page.evaluate(f"[...document.querySelectorAll('#{sid} .yaxislayer-above .ytick text')]"
                              ".map(t => t.textContent)")
        assert sorted(ticks) == sorted(labels), sid
    assert page.problems == []


def hover_text(page, chart: str, mark: str) -> str:
    """Move the mouse onto the first mark of a chart (plotly's drag layer takes the events) and read the hover box."""
    el = page.locator(f"#{chart} {mark}").first
    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(f"#{chart} .hoverlayer .hovertext", timeout=5000)
    return page.evaluate(f"document.querySelector('#{chart} .hoverlayer .hovertext').textContent")


def test_hover_shows_the_values(page):
    text = hover_text(page, "chart-events", ".barlayer .point path")
    assert " · " in text and any(ch.isdigit() for ch in text), text
    assert "отчёты:" in hover_text(page, "chart-timeline", ".scatterlayer .point")
    assert "%" in hover_text(page, "chart-formats", ".barlayer .point path")
    assert page.problems == []


def test_each_city_has_its_partner_timeline_and_each_chart_says_what_it_counts(overview, page):
    tmp, _ = overview
    with open(tmp / "out" / "partners.csv", encoding="utf-8-sig", newline="") as f:
        cities = {r["city"] for r in csv.DictReader(f)}
    titles = page.evaluate("[...document.querySelectorAll('#chart-timeline .box h3')].map(h => h.textContent)")
    assert sorted(titles) == sorted(cities)
    captions = page.evaluate("[...document.querySelectorAll('section.chart')].map(s => s.querySelector('.caption').textContent)")
    assert len(captions) == 6 and all(len(c) > 60 for c in captions)
    page.screenshot(path=str(tmp / "overview.png"), full_page=True)
    assert (tmp / "overview.png").stat().st_size > 50_000
    assert page.problems == []
