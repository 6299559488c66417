"""Many reports for the overview and the timing: the frozen corpus (tests/fixtures/corpus) copied and
relabelled, each copy another city variant and year, so every report has its own label."""
import json
from pathlib import Path

from tests.fixtures.corpus.make_corpus import load_all

YEARS_PER_CITY = 4


def write_many(folder: Path, n: int) -> list[dict]:
    """N report JSONs in `folder` (city variants "Омск-3", years 2019-2022); returns their (city, year, id)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = load_all()
    out = []
    for i in range(n):
        doc = dict(base[i % len(base)])
        k = i // len(base)
        city = f"{doc['city']['name']}-{k // YEARS_PER_CITY}"
        year = 2019 + k % YEARS_PER_CITY
        rid = f"{doc['report_id'].split('-')[0]}{k // YEARS_PER_CITY}-{year}-{doc['report_id'].split('-', 2)[-1]}"
        doc.update(report_id=rid, year=year, city={**doc["city"], "name": city})
        (folder / f"{rid}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out.append({"report_id": rid, "city": city, "year": year})
    return out
