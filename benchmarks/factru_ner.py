"""Our person/place/organisation layer (benchmarks.ner_view) on factRuEval-2016, as NER spans for eval/ner_score.py.

    python -m benchmarks.factru_ner FACTRU.jsonl PRED.jsonl [--plain]

--plain writes plain Natasha's spans instead (the baseline), from the same run of the models.
"""
import argparse
import json
import time

from benchmarks.ner_view import find_mentions
from pipeline.extract import analyse_text


def layer_spans(doc) -> list[dict]:
    """Our layer's mentions (benchmarks.ner_view: Natasha's spans refined by our stages), as NER spans."""
    return [{"type": m.type, "start": m.start, "end": m.stop, "text": doc.text[m.start:m.stop]} for m in find_mentions(doc)]


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
            chars += len(item["text"])
            if args.plain:
                doc = analyse_text(item["text"], upto="nlp")
                spans = [{"type": s.type, "start": s.start, "end": s.stop, "text": s.text} for s in doc.natasha.spans]
            else:
                spans = layer_spans(analyse_text(item["text"], upto="persons"))
            out.write(json.dumps({"id": item["id"], "entities": spans}, ensure_ascii=False) + "\n")
    print(f"{chars} chars in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
