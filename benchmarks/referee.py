#!/usr/bin/env python3
# Vendored verbatim from the shared referee (shared/eval/score.py) so that `city-reports eval` and the tests run without ../shared.
"""Score one extracted report (reporting schema v1) against a hand-made gold file.

    python score.py GOLD.json PRED.json [--json]

Standard library only. Matching is deliberately tolerant of spelling (case, ё/е, quotes, word
endings) and strict about substance (which city, which person, which date, which number).
Prints a table; with --json prints one JSON object instead. Exit 0 when both files could be read.
"""
import json
import re
import sys

STOP = {"в", "во", "на", "по", "и", "им", "имени", "г", "с", "со", "для", "при", "of", "the"}


def norm(s):
    s = (s or "").lower().replace("ё", "е")
    s = re.sub(r"[«»\"“”„'`’]", "", s)
    s = re.sub(r"[‐‑‒–—―]", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def stems(s):
    out = set()
    for tok in re.findall(r"[\w№]+", norm(s)):
        if tok in STOP:
            continue
        out.add(tok if any(c.isdigit() for c in tok) else tok[:5])
    return out


def place_key(name):
    n = norm(name)
    n = re.sub(r"^(город|г\.?)\s+", "", n)
    return " ".join(t[:6] for t in n.split())


def fuzzy(a, b, lo=0.8, hi=0.4):
    """Overlap of word stems: most of the shorter name, and a fair share of the longer one."""
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    inter = len(sa & sb)
    small, big = inter / min(len(sa), len(sb)), inter / max(len(sa), len(sb))
    return big if small >= lo and big >= hi else 0.0


def greedy(gold, pred, score):
    """One-to-one matching, best pairs first. Returns list of (gi, pi)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = score(g, p)
            if s > 0:
                pairs.append((s, gi, pi))
    pairs.sort(key=lambda t: -t[0])
    used_g, used_p, out = set(), set(), []
    for s, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "pred": n_pred, "gold": n_gold}


def score_set(gold, pred, score, optional=(), opt_score=None):
    """F1 of a matching; predictions matching an optional item (and nothing in gold) are dropped."""
    pairs = greedy(gold, pred, score)
    matched = {pi for _, pi in pairs}
    opt_score = opt_score or score
    extra = [p for i, p in enumerate(pred) if i not in matched and not any(opt_score(o, p) > 0 for o in optional)]
    return prf(len(pairs), len(pairs) + len(extra), len(gold)), pairs


def main(argv):
    as_json = "--json" in argv
    args = [a for a in argv if a != "--json"]
    if len(args) != 2:
        print(__doc__)
        return 2
    gold = json.load(open(args[0], encoding="utf-8"))
    pred = json.load(open(args[1], encoding="utf-8"))
    opt = gold.get("optional", {})
    res = {}

    # metadata
    city = pred.get("city") or {}
    res["metadata"] = {
        "city_ok": place_key(city.get("name", "")) == place_key(gold["city"]),
        "year_ok": pred.get("year") == gold["year"],
        "schema_version": pred.get("schema_version"),
    }

    # grounding: every mention is the text it claims to be
    text = pred.get("text") or ""
    total = bad = 0

    def check(span, need_text=True):
        nonlocal total, bad
        total += 1
        try:
            s, e = int(span["start"]), int(span["end"])
            ok = 0 <= s <= e <= len(text) and (not need_text or text[s:e] == span.get("text"))
        except (KeyError, TypeError, ValueError):
            ok = False
        bad += not ok

    for key in ("places", "persons", "organisations", "dates", "quantities"):
        for item in pred.get(key) or []:
            for m in item.get("mentions") or []:
                check(m)
    for ev in pred.get("events") or []:
        if ev.get("evidence"):
            check(ev["evidence"])
    for key in ("sections", "answers", "tasks"):
        for item in pred.get(key) or []:
            check(item, need_text=False)
    res["grounding"] = {"spans": total, "broken": bad}

    # places
    P = pred.get("places") or []
    G = gold["places"]

    def pscore(g, p):
        if place_key(g["name"]) == place_key(p.get("name", "")):
            return 1.0
        if g.get("kind") == "country" and p.get("kind") == "country" and g.get("country_code") and g.get("country_code") == p.get("country_code"):
            return 0.9
        return 0.0

    res["places"], pairs = score_set(G, P, pscore, [{"name": n} for n in opt.get("places", [])])
    with_cc = [(G[g], P[p]) for g, p in pairs if G[g].get("country_code") and G[g].get("kind") != "country"]
    res["places_country_acc"] = round(sum(g["country_code"] == p.get("country_code") for g, p in with_cc) / len(with_cc), 3) if with_cc else None
    rel_gold = [g for g in G if g.get("relation")]
    rel_pred = [p for p in P if p.get("relation") in ("twin", "partner")]
    res["places_relation"], _ = score_set(rel_gold, rel_pred, lambda g, p: 1.0 if pscore(g, p) else 0.0)

    # persons
    def surname(p):
        return p.get("surname") or (p.get("name") or "").split(" ")[0]

    def perscore(g, p):
        return 1.0 if place_key(g["surname"]) == place_key(surname(p)) else 0.0

    P = pred.get("persons") or []
    G = gold["persons"]
    res["persons"], pairs = score_set(G, P, perscore, [{"surname": n} for n in opt.get("persons", [])])
    found = total_g = pred_t = pred_ok = 0
    for gi, pi in pairs:
        gt = G[gi].get("positions")
        if gt is None:
            continue
        titles = [(x or {}).get("title", "") for x in P[pi].get("positions") or []]
        for t in gt:
            total_g += 1
            found += any(fuzzy(t, x, 0.6, 0.3) for x in titles)
        for x in titles:
            pred_t += 1
            pred_ok += any(fuzzy(t, x, 0.6, 0.3) for t in gt)
    pp = pred_ok / pred_t if pred_t else 0.0
    pr = found / total_g if total_g else 1.0
    res["persons_positions"] = {"p": round(pp, 3), "r": round(pr, 3), "f1": round(2 * pp * pr / (pp + pr), 3) if pp + pr else 0.0,
                                "tp": found, "pred": pred_t, "gold": total_g}

    # organisations
    G = gold["organisations"]
    P = pred.get("organisations") or []
    res["organisations"], _ = score_set(
        G, P, lambda g, p: fuzzy(g["name"], p.get("name", "")), [{"name": n} for n in opt.get("organisations", [])])

    # dates
    G = [{"v": v} for v in gold["dates"]]
    P = [{"v": d.get("value")} for d in pred.get("dates") or []]
    res["dates"], _ = score_set(G, P, lambda g, p: 1.0 if g["v"] == p["v"] else 0.0, [{"v": v} for v in opt.get("dates", [])])

    # quantities
    def unit(s):
        return (norm(s).split() or [""])[0][:5]

    def qscore(g, p):
        try:
            same = float(g["value"]) == float(p.get("value"))
        except (TypeError, ValueError):
            return 0.0
        return 1.0 if same and unit(g["unit"]) == unit(p.get("unit", "")) else 0.0

    G = gold["quantities"]
    P = pred.get("quantities") or []
    res["quantities"], pairs = score_set(G, P, qscore, [{"u": u} for u in opt.get("quantities_units", [])],
                                         lambda o, p: 1.0 if unit(o["u"]) == unit(p.get("unit", "")) else 0.0)
    res["quantities_approx_acc"] = round(sum(bool(G[g].get("approximate")) == bool(P[p].get("approximate")) for g, p in pairs) / len(pairs), 3) if pairs else None

    # events
    names = {p.get("id"): place_key(p.get("name", "")) for p in pred.get("places") or []}
    P = [{"date": e.get("date"), "type": e.get("type"), "format": e.get("format"),
          "places": {names.get(i) for i in e.get("place_ids") or [] if names.get(i)}} for e in pred.get("events") or []]

    def escore(g, p):
        if g.get("date") != p["date"]:
            return 0.0
        gp = {place_key(n) for n in g.get("places", [])}
        if not gp:
            return 0.5
        inter = len(gp & p["places"])
        return inter / len(gp | p["places"]) if inter else 0.0

    G = gold["events"]
    res["events"], pairs = score_set(G, P, escore, opt.get("events", []))
    res["events_type_acc"] = round(sum(P[p]["type"] == G[g]["type"] or P[p]["type"] in G[g].get("alt_types", []) for g, p in pairs) / len(pairs), 3) if pairs else None
    fm = [(G[g], P[p]) for g, p in pairs if G[g].get("format", "unknown") != "unknown"]
    res["events_format_acc"] = round(sum(g["format"] == p["format"] for g, p in fm) / len(fm), 3) if fm else None

    # structure
    res["sections"], _ = score_set([{"t": t} for t in gold["sections"]], [{"t": s.get("title", "")} for s in pred.get("sections") or []],
                                   lambda g, p: fuzzy(g["t"], p["t"], 0.8, 0.6))
    kinds = {a.get("kind") for a in pred.get("answers") or []} - {"other", None}
    res["answers"] = prf(len(kinds & set(gold["answers"])), len(kinds), len(gold["answers"]))
    res["tasks"], _ = score_set(gold["tasks"], pred.get("tasks") or [],
                                lambda g, p: 1.0 if g.get("year") == p.get("year") and fuzzy(g["text"], p.get("text", ""), 0.6, 0.2) else 0.0)

    cats = ["places", "persons", "organisations", "dates", "quantities", "events", "sections", "answers", "tasks"]
    res["macro_f1"] = round(sum(res[c]["f1"] for c in cats) / len(cats), 3)

    if as_json:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    print(f"{'category':22} {'P':>6} {'R':>6} {'F1':>6}   tp/pred/gold")
    for c in cats + ["places_relation", "persons_positions"]:
        r = res[c]
        print(f"{c:22} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f}   {r['tp']}/{r['pred']}/{r['gold']}")
    for k in ("places_country_acc", "quantities_approx_acc", "events_type_acc", "events_format_acc"):
        print(f"{k:22} {res[k]}")
    print(f"metadata               {res['metadata']}")
    print(f"grounding              {res['grounding']}")
    print(f"macro_f1               {res['macro_f1']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
