"""Every fixture report rendered as each kind of document, extracted and scored with the referee
(benchmarks/referee.py, the shared referee's rules) against its gold: the document must score as
its plain text does (issue 15's bars). Slow: run with `pytest -m slow`."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fpdf")

from benchmarks import referee  # noqa: E402
from pipeline.extract import extract, to_json  # noqa: E402
from pipeline.ingest import ocr  # noqa: E402

from benchmarks import documents as docs_bars  # noqa: E402

FIXTURES = docs_bars.fixtures()
KINDS = ["pdf2", "mixed", "docx", "rtf", "odt"] + (["doc"] if shutil.which("antiword") or shutil.which("catdoc") else [])
_cache: dict[tuple[str, str], dict] = {}


def _score(report: Path, gold: Path, kind: str, tmp: Path) -> dict:
    key = (report.stem, kind)
    if key not in _cache:
        path = tmp / f"{report.stem}{docs_bars.SUFFIX[kind]}"
        docs_bars.render(kind, report.read_text(encoding="utf-8"), path, tmp)
        rep = extract(path, path.read_bytes())
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            (tmp / "pred.json").write_bytes(to_json(rep))
            referee.main([str(gold), str(tmp / "pred.json"), "--json"])
        _cache[key] = json.loads(out.getvalue())
    return _cache[key]


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("report, gold", FIXTURES, ids=[r.stem for r, _ in FIXTURES])
def test_a_document_scores_as_its_text(tmp_path, report, gold, kind):
    txt = _score(report, gold, "txt", tmp_path)
    doc = _score(report, gold, kind, tmp_path)
    assert doc["grounding"]["broken"] == 0
    assert doc["macro_f1"] >= txt["macro_f1"] - 0.02, (doc["macro_f1"], txt["macro_f1"])
    assert doc["events"]["f1"] >= txt["events"]["f1"] - 0.05
    assert doc["tasks"]["f1"] == 1.0


SCANNED = FIXTURES[:2] + FIXTURES[-2:]  # two own fixtures and the two held-out ones: OCR is slow


@pytest.mark.slow
@pytest.mark.skipif(ocr.tesseract()[0] is None, reason="Tesseract with Russian data is not installed")
@pytest.mark.parametrize("report, gold", SCANNED, ids=[r.stem for r, _ in SCANNED])
def test_a_scan_at_200_dpi_scores_near_its_text_layer_pdf(tmp_path, report, gold):
    layer = _score(report, gold, "pdf1", tmp_path)
    scan = _score(report, gold, "scan", tmp_path)
    assert scan["grounding"]["broken"] == 0
    assert scan["macro_f1"] >= layer["macro_f1"] - 0.08, (scan["macro_f1"], layer["macro_f1"])
