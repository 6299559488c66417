"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) opens a review page: every
mention is highlighted, no script error, report text that looks like HTML stays text. (The compare
overview's browser test is tests/review/compare/test_overview_browser.py.)"""
import copy
import json
from pathlib import Path

import pytest

from review.diff import diff_reports
from review.pages import render_review_page
from tests.fixtures.corpus.make_corpus import load

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
SEED_ID = "omsk-2021-international"
ENTITIES = ("places", "persons", "organisations", "dates", "quantities")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium "
                                                              "(apt-get install -y chromium); browser checks skipped")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Page:
    """A page with its script errors, console errors and dialogs recorded."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str):
        return self.page.evaluate(expr)


def mention_count(doc: dict) -> int:
    return sum(len(item["mentions"]) for cat in ENTITIES for item in doc[cat])


HIGHLIGHTED = "new Set([...document.querySelectorAll('mark.m:not(.removed)')].map(e => e.dataset.m)).size"


def test_review_page_highlights_every_mention(browser, tmp_path):
    old = load(SEED_ID)
    new = copy.deepcopy(old)
    dropped = new["places"].pop(1)
    for e in new["events"]:
        e["place_ids"] = [i for i in e["place_ids"] if i != dropped["id"]]
    changed = new["places"][2]
    changed["country_code"] = "ZZ"
    path = tmp_path / "review.html"
    path.write_text(render_review_page(new, old, diff_reports(old, new, "old", "new")), encoding="utf-8")
    p = Page(browser, path)
    p.page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    assert (tmp_path / "review.png").stat().st_size > 10_000
    assert p.js(HIGHLIGHTED) == mention_count(new)
    for cat in ENTITIES:  # per type, too
        n = p.js(f"new Set([...document.querySelectorAll('mark.t-{cat}:not(.removed)')].map(e => e.dataset.m)).size")
        assert n == sum(len(i["mentions"]) for i in new[cat]), cat
    assert p.js("document.querySelectorAll('mark.removed').length") == len(dropped["mentions"])
    assert p.js("document.querySelectorAll('mark.changed').length") >= len(changed["mentions"])
    links = p.js("[...document.querySelectorAll('#changes a')].map(a => a.getAttribute('href'))")
    assert len(links) == 2 and all(p.js(f"!!document.getElementById({json.dumps(h[1:])})") for h in links)
    first = p.page.locator("mark.m").first
    assert "\n" in first.get_attribute("title")  # hover shows the item
    first.hover()
    assert p.js("document.querySelectorAll('.hl').length") >= 1  # the page's script runs
    assert p.errors == [] and p.dialogs == []


def test_html_in_the_report_stays_text(browser, tmp_path):
    old = load(SEED_ID)
    new = copy.deepcopy(old)
    script, attr = "<script>alert(1)</script>", '" onmouseover="alert(2)" x="'
    new["text"] += f"\n{script} и {attr}"
    s, a = new["text"].index(script), new["text"].index(attr)
    new["places"].append({"id": "pl-xss", "name": script, "kind": "city", "country_code": None, "relation": None,
                          "mentions": [{"start": s, "end": s + len(script), "text": script}]})
    new["organisations"].append({"id": "org-xss", "name": attr, "kind": "other",
                                 "mentions": [{"start": a, "end": a + len(attr), "text": attr}]})
    new["city"]["name"] = attr
    path = tmp_path / "xss.html"
    path.write_text(render_review_page(new, old, diff_reports(old, new)), encoding="utf-8")
    p = Page(browser, path)
    body = p.js("document.body.innerText")
    assert script in body and attr in body  # shown literally
    assert p.js("document.scripts.length") == 1  # only the page's own script
    assert p.js("[...document.querySelectorAll('*')].filter(e => e.hasAttribute('onmouseover')).length") == 0
    for sel in ('[data-m][title*="alert(1)"]', '[data-m][title*="onmouseover"]', "header"):
        p.page.locator(sel).first.hover(timeout=5000)
    p.page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)
    assert p.dialogs == [] and p.errors == []
    assert p.js(HIGHLIGHTED) == mention_count(new)
