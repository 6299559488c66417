"""Decisions a reviewer could make on the seed report, chosen from the machine's output (not hard-coded)."""
import re

from review.decisions import Decision
from review.record import prepare

SEED_ID = "omsk-2021-international"


def choose(doc: dict) -> tuple[dict, dict, str, str]:
    """From the machine's output: a place to reject, a city to re-code (and its new code), a word to add."""
    city = (doc.get("city") or {}).get("name")
    others = [p for p in doc["places"] if p["name"] != city]
    reject = next((p for p in others if p["kind"] == "other"), others[-1])
    fix = next(p for p in others if p["kind"] == "city" and p["country_code"] and p is not reject)
    code = "ME" if fix["country_code"] != "ME" else "RS"
    covered = [(m["start"], m["end"]) for p in doc["places"] for m in p["mentions"]]
    names = {p["name"].lower() for p in doc["places"]}
    for m in re.finditer(r"(?<!\w)[А-ЯЁ][а-яё]{5,}(?!\w)", doc["text"]):
        if m.group().lower() not in names and not any(a < m.end() and m.start() < b for a, b in covered):
            return reject, fix, code, m.group()
    raise AssertionError("no word to add")


def decisions_for(doc: dict) -> tuple[list[Decision], dict]:
    reject, fix, code, word = choose(doc)
    ds = [prepare(Decision(action="reject", category="places", match={"name": reject["name"]}), doc),
          prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="country_code", value=code), doc),
          prepare(Decision(action="add", category="places", text=word, fields={"kind": "other"}), doc)]
    return ds, {"reject": reject["name"], "fix": fix["name"], "code": code, "word": word}
