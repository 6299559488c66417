"""Our person/place/organisation layer on factRuEval-2016, as NER spans for eval/ner_score.py.

    python -m benchmarks.factru_ner FACTRU.jsonl PRED.jsonl [--plain]

--plain writes plain Natasha's spans instead (the baseline), from the same run of the models.
"""
import argparse
import json
import time

from pipeline.nlp import analyse
from pipeline.organisations import find_organisations
from pipeline.persons import find_persons
from pipeline.places import location_spans


def layer_spans(doc) -> list[dict]:
    """Our mentions as NER spans. Our layer nests ('Администрации города Омска' holds 'Омска'); the
    gold was made flat by keeping the longest of overlapping spans, and so are these."""
    spans = [("LOC", s, e) for s, e in location_spans(doc)]
    for kind, hits in (("PER", find_persons(doc)), ("ORG", find_organisations(doc))):
        spans += [(kind, s, e) for hit in hits for s, e in hit.mentions]
    kept: list[tuple[str, int, int]] = []
    for kind, s, e in sorted(set(spans), key=lambda x: (x[1] - x[2], x[1])):
        if all(e <= a or b <= s for _, a, b in kept):
            kept.append((kind, s, e))
    return [{"type": k, "start": s, "end": e, "text": doc.text[s:e]} for k, s, e in sorted(kept, key=lambda x: x[1])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--plain", action="store_true")
    args = ap.parse_args()
    started, chars = time.perf_counter(), 0
    with open(args.gold, encoding="utf-8") as f, open(args.pred, "w", encoding="utf-8") as out:
        for line in f:
            item = json.loads(line)
            doc = analyse(item["text"])
            chars += len(item["text"])
            if args.plain:
                spans = [{"type": s.type, "start": s.start, "end": s.stop, "text": s.text} for s in doc.spans]
            else:
                spans = layer_spans(doc)
            out.write(json.dumps({"id": item["id"], "entities": spans}, ensure_ascii=False) + "\n")
    print(f"{chars} chars in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
