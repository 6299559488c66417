"""`compare` over the multi-year corpus, scored against its gold (tests/fixtures/years/):

    .venv/bin/python -m benchmarks.compare_years PRED_DIR   # a folder `extract` wrote from tests/fixtures/years/reports
    .venv/bin/python -m benchmarks.compare_years --gold     # the gold as documents (benchmarks/years_gold.py)

Prints linking precision and recall (score_links.py) by the JSON's `key` and by the key the persons
table links, the partner tables and changes against partners.gold.json, task outcomes against
tasks.gold.json and named quantities against series.gold.json.
"""
import csv
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks import years_gold
from review.compare import compare

YEARS = years_gold.YEARS


def _score_links():
    spec = importlib.util.spec_from_file_location("score_links", YEARS / "score_links.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read(out: Path, table: str) -> list[dict]:
    with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def linked_copy(pred: Path, out: Path, dest: Path) -> Path:
    """The JSONs of `pred` with each person's key replaced by the persons table's linked key."""
    linked = {(r["report_id"], r["person_id"]): r["key"] for r in read(out, "persons")}
    dest.mkdir(parents=True, exist_ok=True)
    for p in pred.glob("*.json"):
        if p.name.startswith("_"):
            continue
        doc = json.loads(p.read_text(encoding="utf-8"))
        for person in doc.get("persons") or []:
            person["key"] = linked.get((doc["report_id"], person["id"]), person.get("key"))
        (dest / p.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return dest


def partner_rows(gold: dict) -> tuple[set, set]:
    tables = {(c["city"], y["year"], p["name"], p["country_code"], p["relation"], p["tie_since"])
              for c in gold["cities"] for y in c["years"] for p in y["partners"]}
    changes = set()
    for c in gold["cities"]:
        for ch in c["changes"]:
            for p in ch["new"]:
                changes.add((c["city"], ch["from"], ch["to"], "new", p["name"], p["country_code"], None, p["relation"],
                             p["tie_since"], None))
            for p in ch["dropped"]:
                how = "named_without_tie" if p["how"] == "suspended" else p["how"]
                changes.add((c["city"], ch["from"], ch["to"], "dropped", p["name"], p["country_code"], p["relation"],
                             None, None, how))
            for p in ch["status_changed"]:
                changes.add((c["city"], ch["from"], ch["to"], "status_changed", p["name"], p["country_code"], p["old"],
                             p["new"], p["tie_since"], None))
    return tables, changes


def predicted_partner_rows(out: Path) -> tuple[set, set]:
    num = lambda v: int(v) if v else None  # noqa: E731
    tables = {(r["city"], int(r["year"]), r["partner"], r["country_code"] or None, r["relation"], num(r["tie_since"]))
              for r in read(out, "partners")}
    changes = {(r["city"], int(r["from_year"]), int(r["to_year"]), r["change"], r["partner"], r["country_code"] or None,
                r["old_relation"] or None, r["new_relation"] or None, num(r["tie_since"]), r["how"] or None)
               for r in read(out, "partner_changes")}
    return tables, changes


def task_scores(out: Path) -> dict:
    gold = json.loads((YEARS / "tasks.gold.json").read_text(encoding="utf-8"))
    pred = {(r["report_id"], r["text"]): r["outcome"] for r in read(out, "tasks")}
    confusion, missing = Counter(), 0
    for g in gold["groups"]:
        for t in g["tasks"]:
            got = pred.get((g["report"], t["text"]))
            if got is None:
                missing += 1
            confusion[(t["outcome"], got)] += 1
    right = sum(n for (a, b), n in confusion.items() if a == b)
    total = sum(confusion.values())
    return {"right": right, "total": total, "accuracy": round(right / total, 3) if total else None,
            "task_text_not_extracted": missing,
            "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items(), key=str)}}


def series_scores(out: Path) -> dict:
    gold = json.loads((YEARS / "series.gold.json").read_text(encoding="utf-8"))["series"]
    want = Counter((r["report"], r["measure"], float(r["value"])) for r in gold if not r.get("in_words"))
    got = Counter((r["report_id"], r["measure"], float(r["value"])) for r in read(out, "series"))
    tp = sum((want & got).values())
    return {"tp": tp, "pred": sum(got.values()), "gold": sum(want.values()),
            "p": round(tp / sum(got.values()), 3) if got else None, "r": round(tp / sum(want.values()), 3)}


def run(pred: Path) -> dict:
    sl = _score_links()
    links = json.loads((YEARS / "links.gold.json").read_text(encoding="utf-8"))
    partners = json.loads((YEARS / "partners.gold.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "compare"
        compare(pred, out)
        by_json = sl.score(links, pred)
        by_table = sl.score(links, linked_copy(pred, out, Path(tmp) / "linked"))
        gold_tables, gold_changes = partner_rows(partners)
        tables, changes = predicted_partner_rows(out)
        return {
            "links_by_json_key": by_json, "links_by_persons_table": by_table,
            "partner_tables": {"right": len(tables & gold_tables), "pred": len(tables), "gold": len(gold_tables),
                               "missing": sorted(gold_tables - tables, key=str), "extra": sorted(tables - gold_tables, key=str)},
            "partner_changes": {"right": len(changes & gold_changes), "pred": len(changes), "gold": len(gold_changes),
                                "missing": sorted(gold_changes - changes, key=str),
                                "extra": sorted(changes - gold_changes, key=str)},
            "tasks": task_scores(out), "series": series_scores(out),
        }


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if "--gold" in argv:
        with tempfile.TemporaryDirectory() as tmp:
            res = run(years_gold.write(Path(tmp) / "gold-docs"))
    elif len(args) == 1:
        res = run(Path(args[0]))
    else:
        print(__doc__)
        return 2
    if "--json" in argv:
        print(json.dumps(res, ensure_ascii=False, default=str))
        return 0
    for name in ("links_by_json_key", "links_by_persons_table"):
        print(name)
        for kind, r in res[name].items():
            print(f"  {kind:14} P {r['p']:.3f}  R {r['r']:.3f}  pairs {r['tp']}/{r['pred']}/{r['gold']}  "
                  f"aligned {r['aligned']}/{r['members']}")
    for name in ("partner_tables", "partner_changes"):
        r = res[name]
        print(f"{name}: {r['right']} right of {r['gold']} gold, {r['pred']} predicted")
        for row in r["missing"]:
            print("   missing", row)
        for row in r["extra"]:
            print("   extra  ", row)
    print("tasks:", json.dumps(res["tasks"], ensure_ascii=False))
    print("series:", json.dumps(res["series"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
