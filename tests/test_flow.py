"""The Prefect flow end to end, on one temporary Prefect server shared by the session."""
import json
import shutil

from flows.extract import extract_reports
from tests.conftest import SEED


def test_flow_extracts_a_batch_and_reruns_only_what_changed(prefect_server, tmp_path):
    src, out = tmp_path / "raw", tmp_path / "out"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    results = extract_reports([str(src)], str(out))
    assert [(r.report_id, r.status) for r in results] == [("broken", "failed"), ("omsk-2021-international", "ok")]
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in manifest["files"]] == ["failed", "ok"]
    assert set(manifest["files"][1]) >= {"path", "sha256", "status", "report_id", "output", "error", "seconds"}
    assert manifest["files"][0]["error"].startswith("binary content")

    again = extract_reports([str(src)], str(out))
    assert [r.status for r in again] == ["failed", "unchanged"]
