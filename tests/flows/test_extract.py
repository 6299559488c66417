"""flows.extract: the Prefect flow end to end (on one temporary Prefect server shared by the session),
and a re-run with nothing changed that needs neither Prefect nor a model."""
import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli import extract as extract_command
from cli.app import app
from flows.extract import extract_reports
from tests.conftest import ROOT, SEED

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))
TOMSK = ROOT / "tests/fixtures/reports/tomsk-2022-tourism.txt"


@pytest.mark.slow
def test_flow_extracts_a_batch_and_reruns_only_what_changed(prefect_server, tmp_path, monkeypatch):
    src, out = tmp_path / "raw", tmp_path / "out"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    shutil.copy(TOMSK, src / TOMSK.name)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    (src / "zz-copy.txt").write_bytes(TOMSK.read_bytes())  # same content under another name: processed once
    results = extract_reports([str(src)], str(out), workers=2)
    assert [(r.report_id, r.status) for r in results] == [
        ("broken", "failed"), ("omsk-2021-international", "ok"), ("tomsk-2022-tourism", "ok"),
        ("tomsk-2022-tourism", "ok")]
    assert results[3].duplicate_of == str(src / TOMSK.name) and results[3].output == results[2].output
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]] == ["failed", "ok", "ok", "ok"]
    assert set(manifest["files"][1]) >= {"path", "sha256", "status", "report_id", "output", "error", "seconds"}
    assert manifest["files"][0]["error"].startswith("binary content")
    assert sorted(p.name for p in out.iterdir()) == ["_machine", "_manifest.json", "omsk-2021-international.json",
                                                     "tomsk-2022-tourism.json"]

    (src / TOMSK.name).write_text(TOMSK.read_text(encoding="utf-8") + "\nЗадачи на 2023 год: открыть новый маршрут.\n",
                                  encoding="utf-8")
    monkeypatch.setattr(extract_command, "TABLE_ROWS", 3)  # a batch larger than the table lists: only its failures
    command = CliRunner().invoke(app, ["extract", str(src), "--out", str(out), "--workers", "2"])
    assert command.exit_code == 1, command.output
    assert "4 files: 2 ok, 0 with warnings, 1 unchanged, 1 failed" in command.output
    rows = [line for line in command.output.splitlines() if line.startswith("│")]
    assert any("broken" in r for r in rows) and not any("tomsk" in r for r in rows)
    again = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["files"]
    assert [f["status"] for f in again] == ["failed", "unchanged", "ok", "ok"]
    assert again[3]["duplicate_of"] is None and again[3]["report_id"] == "zz-copy"  # no longer a copy: extracted itself


def test_unchanged_rerun_loads_neither_natasha_nor_prefect(tmp_path):
    """A re-run with nothing changed: manifest rewritten, every file `unchanged`, no Prefect, no model."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    for f in FIXTURES[:3]:
        shutil.copy(f, src / f.name)
    code = f"""
import json, sys
from pathlib import Path
from pipeline.version import pipeline_version
from batch.manifest import FileResult, write_manifest
from batch.process import file_version
from pipeline.slug import slugify
import hashlib
src, out = Path({str(src)!r}), Path({str(out)!r})
v = pipeline_version()
results = []
for f in sorted(src.iterdir()):
    rid, sha = slugify(f.stem), hashlib.sha256(f.read_bytes()).hexdigest()
    (out / f"{{rid}}.json").write_text(json.dumps({{"report_id": rid, "source": {{"sha256": sha}}}}), encoding="utf-8")
    results.append(FileResult(str(f), sha, "ok", rid, str(out / f"{{rid}}.json"), None, 1.0,
                              file_version(v, "reviews.none")))
write_manifest(out, results)
from flows.extract import extract_reports
again = extract_reports([str(src)], str(out))
print(json.dumps({{"statuses": [r.status for r in again],
                  "loaded": sorted(m for m in ("natasha", "prefect", "pipeline.extract", "pipeline.nlp", "slovnet")
                                   if m in sys.modules)}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["statuses"] == ["unchanged"] * 3
    assert got["loaded"] == []
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]] == ["unchanged"] * 3
