"""Every fixture report rendered in each document kind, extracted and scored.

    .venv/bin/python -m benchmarks.documents [KIND...] [--out DIR]

Kinds: txt pdf1 pdf2 mixed scan docx rtf odt doc (default: all). Each fixture (tests/fixtures/reports,
the raw_reports seed, tests/fixtures/heldout/reports) is rendered with tests/make_docs.py, run through
`pipeline.extract.extract` and scored against its gold with the referee (benchmarks/referee.py).
Prints macro F1, events F1 and tasks F1 per fixture and kind, the differences the bars are about, and
the pages per second of the PDF reader with and without OCR. With --out, the extractions are kept.
"""
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import referee
from tests import make_docs  # the document generator the tests use (needs the test extra: fpdf2)

ROOT = Path(__file__).resolve().parents[1]

KINDS = ["txt", "pdf1", "pdf2", "mixed", "scan", "docx", "rtf", "odt", "doc"]
SUFFIX = {"txt": ".txt", "pdf1": ".pdf", "pdf2": ".pdf", "mixed": ".pdf", "scan": ".pdf", "docx": ".docx",
          "rtf": ".rtf", "odt": ".odt", "doc": ".doc"}


def fixtures() -> list[tuple[Path, Path]]:
    pairs = []
    for report in sorted((ROOT / "tests/fixtures/reports").glob("*.txt")) + [ROOT / "raw_reports/omsk-2021-international.txt"]:
        pairs.append((report, ROOT / "tests/fixtures/gold" / f"{report.stem}.gold.json"))
    for report in sorted((ROOT / "tests/fixtures/heldout/reports").glob("*.txt")):
        pairs.append((report, ROOT / "tests/fixtures/heldout/gold" / f"{report.stem}.gold.json"))
    return pairs


def render(kind: str, text: str, path: Path, work: Path) -> None:
    if kind == "txt":
        path.write_text(text, encoding="utf-8")
    elif kind in ("pdf1", "pdf2", "mixed"):
        make_docs.text_to_pdf(text, path, columns={"pdf1": 1, "pdf2": 2, "mixed": "mixed"}[kind])
    elif kind == "scan":
        layer = work / f"{path.stem}-layer.pdf"
        make_docs.text_to_pdf(text, layer, columns=1)
        make_docs.scan_pdf(layer, path, dpi=200, noise=0.03, seed=len(text))
    elif kind == "docx":
        make_docs.text_to_docx(text, path)
    elif kind == "rtf":
        make_docs.text_to_rtf(text, path)
    elif kind == "odt":
        make_docs.text_to_odt(text, path)
    elif kind == "doc":
        make_docs.text_to_doc(text, path)


def score(gold: Path, report_json: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        f.write(report_json)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        referee.main([str(gold), f.name, "--json"])
    Path(f.name).unlink()
    return json.loads(out.getvalue())


def main(argv: list[str]) -> int:
    from pipeline.extract import extract, to_json

    out_dir = None
    if "--out" in argv:
        i = argv.index("--out")
        out_dir = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    kinds = argv or KINDS
    rows: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for report, gold in fixtures():
            text = report.read_text(encoding="utf-8")
            for kind in kinds:
                folder = work / kind
                folder.mkdir(exist_ok=True)
                path = folder / f"{report.stem}{SUFFIX[kind]}"
                render(kind, text, path, work)
                try:
                    rep = extract(path, path.read_bytes())
                except Exception as exc:  # a bar that fails is a number too
                    print(f"{report.stem} {kind}: {type(exc).__name__}: {exc}")
                    continue
                js = to_json(rep)
                if out_dir:
                    (out_dir / kind).mkdir(parents=True, exist_ok=True)
                    (out_dir / kind / f"{report.stem}.json").write_text(js, encoding="utf-8")
                res = score(gold, js)
                rows[report.stem, kind] = {"macro": res["macro_f1"], "events": res["events"]["f1"],
                                           "tasks": res["tasks"]["f1"], "broken": res["grounding"]["broken"],
                                           "warnings": sorted({w.code for w in rep.warnings})}
    names = sorted({n for n, _ in rows})
    print(f"{'fixture':34}" + "".join(f"{k:>19}" for k in kinds))
    print(f"{'':34}" + "".join(f"{'macro/ev/tasks':>19}" for _ in kinds))
    for n in names:
        cells = []
        for k in kinds:
            r = rows.get((n, k))
            cells.append(f"{r['macro']:.3f}/{r['events']:.2f}/{r['tasks']:.2f}" if r else "-")
        print(f"{n:34}" + "".join(f"{c:>19}" for c in cells))
    for k, base in (("pdf2", "txt"), ("mixed", "txt"), ("rtf", "txt"), ("odt", "txt"), ("doc", "txt"), ("docx", "txt"),
                    ("pdf1", "txt"), ("scan", "pdf1")):
        if k not in kinds or base not in kinds:
            continue
        d = [(n, rows[n, k]["macro"] - rows[n, base]["macro"], rows[n, k]["events"] - rows[n, base]["events"],
              rows[n, k]["tasks"]) for n in names if (n, k) in rows and (n, base) in rows]
        if d:
            worst = min(d, key=lambda t: t[1])
            print(f"{k} vs {base}: worst macro diff {worst[1]:+.3f} ({worst[0]}), worst events diff "
                  f"{min(t[2] for t in d):+.2f}, min tasks F1 {min(t[3] for t in d):.2f}")
    broken = sum(r["broken"] for r in rows.values())
    print(f"broken grounding spans: {broken}")
    for k in kinds:
        codes = sorted({c for (n, kk), r in rows.items() if kk == k for c in r["warnings"]})
        print(f"warnings {k}: {codes}")
    if "pdf1" in kinds or "scan" in kinds:
        speed(kinds)
    return 0


def speed(kinds: list[str]) -> None:
    from pipeline.ingest import ingest

    text = (ROOT / "raw_reports/omsk-2021-international.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in ("pdf2", "scan"):
            if kind not in kinds:
                continue
            path = work / f"speed-{kind}.pdf"
            render(kind, text, path, work)
            data = path.read_bytes()
            t = time.perf_counter()
            raw = ingest(path, data).raw
            dt = time.perf_counter() - t
            print(f"speed {kind}: {raw.pages} pages in {dt:.2f} s = {raw.pages / dt:.2f} pages/s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
