"""The multi-year corpus (tests/fixtures/years): its gold files agree with the texts and with each other,
and the linking scorer gives a perfect prediction built from the link gold full marks."""
import json

from tests.fixtures.years import check_gold, score_links


def test_years_gold_is_consistent():
    assert check_gold.problems() == []


def _perfect(links, folder):
    """One predicted entity per link member, written as the gold says (a person named as first written), keyed by its cluster."""
    docs = {}
    for kind in ("places", "persons", "organisations"):
        for ci, cluster in enumerate(links[kind]):
            for m in cluster["members"]:
                doc = docs.setdefault(m["report"], {"places": [], "persons": [], "organisations": []})
                entity = {"key": f"{kind}/{ci}", "mentions": [{"text": f} for f in m["as_written"]]}
                entity["name"] = m["as_written"][0] if kind == "persons" else m["name"]
                if kind == "persons":
                    entity["surname"] = m["surname"]
                doc[kind].append(entity)
    for report, doc in docs.items():
        (folder / f"{report}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_linking_scorer_gives_a_perfect_prediction_full_marks(tmp_path):
    links = json.loads((check_gold.HERE / "links.gold.json").read_text(encoding="utf-8"))
    _perfect(links, tmp_path)
    res = score_links.score(links, tmp_path)
    assert all(r["p"] == r["r"] == 1.0 and r["aligned"] == r["members"] for r in res.values()), res
    # names alone do not link the persons: their forms vary across the years
    assert score_links.score(links, tmp_path, by_name=True)["persons"]["r"] < 0.5
