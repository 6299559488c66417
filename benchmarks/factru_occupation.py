"""Persons and their posts on factRuEval-2016 Occupation facts (a generalisation check).

    python -m benchmarks.factru_occupation FACTRU_DIR [--split dev|test] [--out PRED.jsonl] [--scorer SCORE.py]

FACTRU_DIR holds `{split}.jsonl` (the texts) and `occupation.{split}.jsonl` (the facts); see its
README. Every position of every person found by the `persons` stage becomes one fact
`{"person": surname, "position": title}`. The predictions are written to --out (default
`/tmp/factru_occupation.{split}.pred.jsonl`) and scored with the occupation scorer: --scorer, or
`eval/occupation_score.py` two folders above FACTRU_DIR when it is there. Tune on dev; report test.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from pipeline.extract import analyse_text


def facts(doc) -> list[dict]:
    out = []
    for p in doc.persons:
        for pos in p.positions:
            # the post as written: the gold positions are spans of the text, in their case
            out.append({"person": p.surname, "position": doc.text[pos.start:pos.end], "title": pos.title, "name": p.name,
                        "span": [pos.start, pos.end]})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("factru_dir", help="folder with {split}.jsonl and occupation.{split}.jsonl")
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--out", help="predictions (JSONL)")
    ap.add_argument("--scorer", help="path of occupation_score.py")
    ap.add_argument("--details", type=int, default=0, help="passed to the scorer")
    args = ap.parse_args()

    texts = os.path.join(args.factru_dir, f"{args.split}.jsonl")
    gold = os.path.join(args.factru_dir, f"occupation.{args.split}.jsonl")
    out_path = args.out or f"/tmp/factru_occupation.{args.split}.pred.jsonl"
    started, n = time.perf_counter(), 0
    with open(texts, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            item = json.loads(line)
            doc = analyse_text(item["text"], upto="persons")
            out.write(json.dumps({"id": item["id"], "facts": facts(doc)}, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} documents in {time.perf_counter() - started:.1f} s -> {out_path}")

    scorer = args.scorer or os.path.normpath(os.path.join(args.factru_dir, "..", "..", "eval", "occupation_score.py"))
    if not os.path.exists(scorer):
        print(f"no scorer at {scorer}; score with: occupation_score.py {out_path} {gold}")
        return 0
    cmd = [sys.executable, scorer, out_path, gold] + (["--details", str(args.details)] if args.details else [])
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
