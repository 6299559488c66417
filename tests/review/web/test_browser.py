"""A reviewer's pass in headless Chromium against the running app: open a report, reject an item,
fix a country code, add a missed place by selecting its text, reload. The decisions are in the
reviews file and on the page, and survive a re-extraction and a rule change; a POST without the
token is refused; the report's `<script>`, `"><img onerror>` and `</script>` stay text; no console error."""
import json
import urllib.error
import urllib.request

import pytest

from review.decisions import load_reviews
from review.store import machine_path, reapply
from tests.review.web.conftest import REPORT_ID, TOKEN, extract

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</script>"]
MISSED = "Медное"

SELECT = """([a, b]) => {
  const pieces = [...document.querySelectorAll('#text [data-s]')];
  const at = (pos) => {
    let p = pieces[0];
    for (const e of pieces) { if (Number(e.dataset.s) <= pos) p = e; else break; }
    return [p.firstChild, pos - Number(p.dataset.s)];
  };
  const r = document.createRange();
  r.setStart(...at(a));
  r.setEnd(...at(b));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
  document.getElementById('text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""


def _places(out) -> dict:
    return {p["name"]: p for p in json.loads((out / f"{REPORT_ID}.json").read_text(encoding="utf-8"))["places"]}


def _post(url: str, headers: dict) -> int:
    req = urllib.request.Request(url, data=json.dumps({"action": "accept", "item": "places:pl-1"}).encode(),
                                 headers={"Content-Type": "application/json", **headers}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _select_and_add(page, doc_text: str, needle: str, category: str, fields: dict) -> None:
    start = doc_text.index(needle)
    page.evaluate(SELECT, [start, start + len(needle)])
    page.select_option("#add-category", category)
    for name, value in fields.items():
        if page.locator(f"select#add-{name}").count():
            page.select_option(f"#add-{name}", value)
        else:
            page.fill(f"#add-{name}", value)
    page.click("#add")
    _saved(page)


def _saved(page) -> None:
    sync_api.expect(page.locator("#status")).to_contain_text("saved", timeout=15_000)
    page.evaluate("document.getElementById('status').textContent = ''")


def _no_markup_from_the_report(page) -> None:
    assert page.evaluate("document.querySelectorAll('img, main script, iframe').length") == 0
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => e.hasAttribute('onerror')).length") == 0


def test_a_reviewers_pass_in_the_browser(site):
    base, out, reviews, folder = site
    doc = json.loads((out / f"{REPORT_ID}.json").read_text(encoding="utf-8"))
    assert all(s in doc["text"] for s in XSS)
    city = doc["city"]["name"]
    others = [p for p in doc["places"] if p["name"] != city]
    reject = min(others, key=lambda p: p["confidence"])  # the least sure: first on the page
    fix = next(p for p in others if p is not reject and p["country_code"] and p["kind"] == "city")
    code = "UA" if fix["country_code"] != "UA" else "KZ"
    assert MISSED not in _places(out)

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        errors, dialogs = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(f"{base}/?t={TOKEN}")
        page.click(f'a.report:text("{REPORT_ID}")')
        page.wait_for_selector("#text [data-item]")
        shown = [float(c) for c in page.locator("#item-list .conf").all_inner_texts() if c != "—"]
        assert shown and shown == sorted(shown)  # least sure first
        for s in XSS:
            assert s in page.inner_text("#text")
        _no_markup_from_the_report(page)

        page.locator(f'#text [data-item="places:{reject["id"]}"]').first.click()   # reject: click it, key r
        page.keyboard.press("r")
        _saved(page)
        page.click(f'#item-list [data-item="places:{fix["id"]}"]')                  # fix: the list, the editor
        page.fill("#fix-country_code", code.lower())
        page.click('button.fix[data-field="country_code"]')
        _saved(page)
        _select_and_add(page, doc["text"], MISSED, "places", {"kind": "other", "country_code": "RU"})

        page.reload()
        page.wait_for_selector("#decision-list li")
        decisions = page.locator("#decision-list li").all_inner_texts()
        assert len(decisions) == 3 and all("[applied]" in d for d in decisions), decisions
        assert page.locator(f'#item-list [data-item="places:{reject["id"]}"]').count() == 0
        page.click(f'#item-list [data-item="places:{fix["id"]}"]')
        assert page.input_value("#fix-country_code") == code
        assert MISSED in page.inner_text("#item-list")

        saved = load_reviews(reviews, REPORT_ID).decisions
        assert [(d.action, d.match.get("name"), d.value, d.text) for d in saved] == [
            ("reject", reject["name"], None, None), ("fix", fix["name"], code, None), ("add", None, None, MISSED)]

        # a POST without the token (or with it only in the URL, as a link of another page would) is refused
        url = f"{base}/api/report/{REPORT_ID}/decisions"
        assert _post(url, {}) == 403 and _post(f"{url}?t={TOKEN}", {}) == 403
        assert _post(url, {"X-Review-Token": TOKEN, "Origin": "http://evil.example"}) == 403
        assert len(load_reviews(reviews, REPORT_ID).decisions) == 3

        # the report's own markup, made an item's label, stays text in the list, the editor, the changes
        _select_and_add(page, doc["text"], XSS[1], "organisations", {})
        page.click("#item-list li:has-text('onerror')")
        for where in ("#item-list", "#editor", "#changes", "#decision-list"):
            assert XSS[1] in page.inner_text(where), where
        _no_markup_from_the_report(page)
        page.goto(f"{base}/?t={TOKEN}")
        _no_markup_from_the_report(page)

        # a re-extraction, then a rule change (the machine's pass renumbered, another code changed)
        extract(folder, out)
        places = _places(out)
        assert reject["name"] not in places and places[fix["name"]]["country_code"] == code
        assert places[MISSED]["kind"] == "other" and places[MISSED]["reviewed"]
        machine = json.loads(machine_path(out, REPORT_ID).read_text(encoding="utf-8"))
        for n, p in enumerate(reversed(machine["places"]), 1):
            p["id"] = f"pl-{n}"
        for ev in machine["events"]:
            ev["place_ids"] = []
        machine["places"][0]["country_code"] = "ZZ" if machine["places"][0]["name"] != fix["name"] else "YY"
        machine_path(out, REPORT_ID).write_text(json.dumps(machine, ensure_ascii=False), encoding="utf-8")
        reapply(out, reviews, REPORT_ID)
        places = _places(out)
        assert reject["name"] not in places and places[fix["name"]]["country_code"] == code and MISSED in places
        page.goto(f"{base}/report/{REPORT_ID}?t={TOKEN}")
        page.wait_for_selector("#decision-list li")
        after = page.locator("#decision-list li").all_inner_texts()[:3]
        assert [d.split(" [")[0] for d in after] == [d.split(" [")[0] for d in decisions]
        assert all("[applied]" in d for d in after), after

        # the fifth decision of the pass by keys alone: j to the next item, a to accept it
        page.keyboard.press("Escape")
        page.keyboard.press("j")
        chosen = page.locator("#item-list li.selected").get_attribute("data-item")
        page.keyboard.press("a")
        _saved(page)
        assert page.locator("#decision-list li").count() == 5
        state = page.locator(f'#item-list [data-item="{chosen}"]').get_attribute("class").split()
        assert {"reviewed", "added"} & set(state), state
        browser.close()
    assert errors == [] and dialogs == []
