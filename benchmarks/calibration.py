"""Calibration of the items' `confidence`: the share of correct items per confidence band, on the
labelled reports where they are (nothing is copied): the project's fixtures (reports, news, the
multi-year corpus), the seed, and ../shared/real.

    .venv/bin/python -m benchmarks.calibration [--cues] [--json]

An item is correct when the referee (benchmarks/referee.py, a copy of ../shared/eval/score.py) pairs
it with a gold item, one to one, best pairs first; an unpaired item that the gold lists as optional
counts neither way; every other item is an error. Categories: places, persons, organisations,
dates, quantities, events (tasks carry no confidence). The bars: items >= 0.9 are >= 95% correct;
items under 0.5 hold at least half of the errors. `--cues` adds each cue's share of correct items
(what rules/confidence.toml's weights are set from).
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.referee import fuzzy, greedy, norm, place_key
from pipeline.confidence import cues, item_key
from pipeline.doc import ReportDoc
from pipeline.extract import ON_FILE
from pipeline.report import build

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIX = ROOT / "tests" / "fixtures"
# (texts folder, gold folder): the gold of <name>.txt is <name>.gold.json
SETS = {"fixtures": [(FIX / "reports", FIX / "gold")],
        "news": [(FIX / "news", FIX / "news" / "gold")],
        "years": [(FIX / "years" / "reports", FIX / "years" / "gold")],
        "seed": [(SHARED / "seeds", SHARED / "gold")],
        "real": [(SHARED / "real", SHARED / "real")]}
BANDS = (0.0, 0.5, 0.7, 0.9, 1.01)
CATEGORIES = ("places", "persons", "organisations", "dates", "quantities", "events")


def _unit(s) -> str:
    return (norm(s).split() or [""])[0][:5]


def _scorers(pred: dict):
    names = {p.get("id"): place_key(p.get("name", "")) for p in pred.get("places") or []}

    def place(g, p):
        if place_key(g["name"]) == place_key(p.get("name", "")):
            return 1.0
        return 0.9 if g.get("kind") == "country" and p.get("kind") == "country" and g.get("country_code") \
            and g.get("country_code") == p.get("country_code") else 0.0

    def person(g, p):
        return 1.0 if place_key(g["surname"]) == place_key(p.get("surname") or (p.get("name") or "").split(" ")[0]) else 0.0

    def quantity(g, p):
        try:
            same = float(g["value"]) == float(p.get("value"))
        except (TypeError, ValueError):
            return 0.0
        return 1.0 if same and _unit(g["unit"]) == _unit(p.get("unit", "")) else 0.0

    def event(g, p):
        if g.get("date") != p.get("date"):
            return 0.0
        gp, pp = {place_key(n) for n in g.get("places", [])}, {names[i] for i in p.get("place_ids") or [] if i in names}
        if not gp:
            return 0.5
        inter = len(gp & pp)
        return inter / len(gp | pp) if inter else 0.0

    return {"places": place, "persons": person, "organisations": lambda g, p: fuzzy(g["name"], p.get("name", "")),
            "dates": lambda g, p: 1.0 if g["v"] == p.get("value") else 0.0, "quantities": quantity, "events": event}


def judged(gold: dict, pred: dict) -> dict[str, list[bool | None]]:
    """Per category, per predicted item: True (paired with a gold item), None (optional), False (an error)."""
    score, opt = _scorers(pred), gold.get("optional", {})
    golds = {"places": gold["places"], "persons": gold["persons"], "organisations": gold["organisations"],
             "dates": [{"v": v} for v in gold["dates"]], "quantities": gold["quantities"], "events": gold["events"]}
    optional = {"places": [{"name": n} for n in opt.get("places", [])],
                "persons": [{"surname": n} for n in opt.get("persons", [])],
                "organisations": [{"name": n} for n in opt.get("organisations", [])],
                "dates": [{"v": v} for v in opt.get("dates", [])], "events": opt.get("events", [])}
    out = {}
    for c in CATEGORIES:
        items = pred.get(c) or []
        paired = {pi for _, pi in greedy(golds[c], items, score[c])}
        if c == "quantities":
            units = [_unit(u) for u in opt.get("quantities_units", [])]
            is_opt = [_unit(p.get("unit", "")) in units for p in items]
        else:
            is_opt = [any(score[c](o, p) > 0 for o in optional.get(c, [])) for p in items]
        out[c] = [True if i in paired else None if is_opt[i] else False for i in range(len(items))]
    return out


def labelled(sets=SETS):
    """(set name, report id, report dict, {item id: cues}, gold) of every labelled text."""
    for name, pairs in sets.items():
        for texts, golds in pairs:
            for gold_path in sorted(golds.glob("*.gold.json")):
                gold = json.loads(gold_path.read_text(encoding="utf-8"))
                path = texts / gold["report"]
                if not path.is_file():
                    continue
                doc = ReportDoc(path=path, data=path.read_bytes())
                for s in ON_FILE:
                    s.run(doc)
                report = build(doc).model_dump(mode="json")
                yield name, report["report_id"], report, _cues_by_id(doc, report), gold


def _cues_by_id(doc: ReportDoc, report: dict) -> dict[str, list[str]]:
    by_key = cues(doc)
    out = {}
    for c in CATEGORIES:
        for it in report.get(c) or []:
            if c == "events":
                k = item_key(c, None, int(it["id"].split("-")[1]) - 1)
            else:
                hit = type("Item", (), {"name": it.get("name"), "kind": it.get("kind"), "value": it.get("value"),
                                        "unit": it.get("unit"), "approximate": it.get("approximate")})
                k = item_key(c, hit)
            out[it["id"]] = by_key.get(k, [])
    return out


def bands(rows: list[tuple[float, bool]]) -> list[dict]:
    errors = sum(1 for _, ok in rows if not ok)
    out = []
    for lo, hi in zip(BANDS, BANDS[1:]):
        inside = [ok for c, ok in rows if lo <= c < hi]
        wrong = sum(1 for ok in inside if not ok)
        out.append({"band": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "items": len(inside),
                    "correct": round(1 - wrong / len(inside), 3) if inside else None,
                    "share_of_errors": round(wrong / errors, 3) if errors else 0.0})
    return out


def bars(rows: list[tuple[float, bool]]) -> dict:
    high = [ok for c, ok in rows if c >= 0.9]
    errors = [c for c, ok in rows if not ok]
    return {"high_correct": round(sum(high) / len(high), 3) if high else None, "high_items": len(high),
            "low_share_of_errors": round(sum(c < 0.5 for c in errors) / len(errors), 3) if errors else None,
            "errors": len(errors)}


def main(argv: list[str]) -> int:
    rows: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    per_cue: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for name, _rid, report, item_cues, gold in labelled():
        for c, flags in judged(gold, report).items():
            for it, ok in zip(report.get(c) or [], flags):
                if ok is None or it.get("confidence") is None:
                    continue
                rows[name].append((it["confidence"], ok))
                rows["all"].append((it["confidence"], ok))
                for cue in item_cues.get(it["id"], []):
                    per_cue[(c, cue)].append(ok)
    result = {k: {"bands": bands(v), "bars": bars(v)} for k, v in rows.items()}
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for k in [*[n for n in SETS if n in result], "all"]:
        b = result[k]["bars"]
        print(f"{k}: items>=0.9 correct {b['high_correct']} ({b['high_items']} items); "
              f"errors under 0.5: {b['low_share_of_errors']} of {b['errors']}")
        for row in result[k]["bands"]:
            print(f"  {row['band']:11} {row['items']:5} items  correct {row['correct']}  errors {row['share_of_errors']}")
    if "--cues" in argv:
        for (c, cue), oks in sorted(per_cue.items()):
            print(f"  {c:14} {cue:24} {len(oks):5}  correct {sum(oks) / len(oks):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
