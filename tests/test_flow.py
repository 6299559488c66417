"""The Prefect flow end to end, on one temporary Prefect server shared by the session."""
import json
import shutil

from typer.testing import CliRunner

from flows.extract import extract_reports
from pipeline import cli
from tests.conftest import ROOT, SEED

TOMSK = ROOT / "tests/fixtures/reports/tomsk-2022-tourism.txt"


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
    assert sorted(p.name for p in out.iterdir()) == ["_manifest.json", "omsk-2021-international.json",
                                                     "tomsk-2022-tourism.json"]

    (src / TOMSK.name).write_text(TOMSK.read_text(encoding="utf-8") + "\nЗадачи на 2023 год: открыть новый маршрут.\n",
                                  encoding="utf-8")
    monkeypatch.setattr(cli, "TABLE_ROWS", 3)  # a batch larger than the table lists: only its failures
    command = CliRunner().invoke(cli.app, ["extract", str(src), "--out", str(out), "--workers", "2"])
    assert command.exit_code == 1, command.output
    assert "4 files: 2 ok, 1 unchanged, 1 failed" in command.output
    assert "broken" in command.output and "tomsk" not in command.output
    again = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["files"]
    assert [f["status"] for f in again] == ["failed", "unchanged", "ok", "ok"]
    assert again[3]["duplicate_of"] is None and again[3]["report_id"] == "zz-copy"  # no longer a copy: extracted itself
