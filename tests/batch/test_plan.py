"""batch.plan: what a run has to do, decided without Prefect or models; it agrees with process_file."""
import hashlib
import json
import shutil
import sys
import types
from pathlib import Path

from batch.inputs import file_sha
from batch.manifest import FileResult
from batch.plan import make_batches, make_plan
from batch.process import file_version, process_file, unchanged
from pipeline.version import pipeline_version
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def _fake_extract(monkeypatch):
    """process_file without NLP: an extraction that always fails, so 'not skipped' shows as failed."""
    fake = types.ModuleType("pipeline.extract")

    def extract(path, data, report_id=None):
        raise RuntimeError("extraction ran")

    fake.extract, fake.to_json = extract, lambda report: "{}"
    monkeypatch.setitem(sys.modules, "pipeline.extract", fake)


def test_plan_skips_exactly_what_process_file_skips(tmp_path, monkeypatch):
    """batch.plan decides in the main process what process_file would skip; the two must agree."""
    _fake_extract(monkeypatch)
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "reviews"))
    out = tmp_path / "out"
    out.mkdir()
    version = pipeline_version()
    files, previous = {}, {}
    for name in ("same", "edited", "rules", "no-output", "failed-before", "reviewed"):
        f = files[name] = tmp_path / f"{name}.txt"
        f.write_text(f"Отчёт {name}", encoding="utf-8")
        (out / f"{name}.json").write_text("{}", encoding="utf-8")
        previous[name] = {"path": str(f), "sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "status": "ok",
                          "pipeline_version": file_version(version, name), "output": str(out / f"{name}.json")}
    files["edited"].write_text("Отчёт изменён", encoding="utf-8")
    previous["rules"]["pipeline_version"] = file_version("0.1.0+rules-before", "rules")
    (out / "no-output.json").unlink()
    previous["failed-before"]["status"] = "failed"
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "reviewed.json").write_text('{"report_id": "reviewed"}', encoding="utf-8")
    decided = {}
    for name, f in files.items():
        planned = unchanged(f, out, version, previous[name], file_sha(f))
        actual = process_file(f, out, version, previous[name])
        assert (planned is not None) == (actual.status == "unchanged"), (name, planned, actual)
        if planned is not None:
            assert (planned.path, planned.sha256, planned.report_id, planned.output, planned.pipeline_version) == \
                   (actual.path, actual.sha256, actual.report_id, actual.output, actual.pipeline_version)
        else:
            assert actual.error == "RuntimeError: extraction ran", (name, actual)
        decided[name] = planned is not None
    assert decided == {"same": True, "edited": False, "rules": False, "no-output": False, "failed-before": False,
                       "reviewed": False}
    assert unchanged(files["same"], out, version, None, file_sha(files["same"])) is None


def test_batches_are_coarse_and_end_small():
    todo = [Path(f"/nonexistent/{i}.txt") for i in range(200)]
    batches = make_batches(todo, 2)
    assert sum(map(len, batches)) == 200 and sorted(p for b in batches for p in b) == sorted(todo)
    assert max(map(len, batches)) == 20 and len(batches) < 25
    assert batches[-1] == batches[-1][:1]
    assert make_batches([], 2) == []
    even = make_batches(todo, 2, guided=False)  # the process pool shares out each batch file by file
    assert [len(b) for b in even] == [20] * 10 and sorted(p for b in even for p in b) == sorted(todo)
    assert [len(b) for b in make_batches(todo[:10], 2, guided=False)] == [3, 3, 3, 1]


def test_two_texts_under_one_report_id_fail_instead_of_overwriting(tmp_path):
    """Yearly folders reuse names (2021/omsk.txt, 2022/omsk.txt): the first keeps OUT/omsk.json, the
    second fails with a message; the same text twice stays a duplicate, not a failure."""
    src = tmp_path / "src"
    for year, fixture in (("2021", FIXTURES[0]), ("2022", FIXTURES[1]), ("2023", FIXTURES[0])):
        (src / year).mkdir(parents=True)
        shutil.copy(fixture, src / year / "omsk.txt")
    plan = make_plan([str(src)], str(tmp_path / "out"))
    first, second, copy = (src / y / "omsk.txt" for y in ("2021", "2022", "2023"))
    assert plan.todo == [first] and plan.dups == {copy: first}
    clash = plan.done[str(second)]
    assert clash.status == "failed" and clash.output is None and str(first) in clash.error


def test_checkpoint_keeps_finished_files_for_a_killed_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "reviews"))
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for f in FIXTURES[:3]:
        shutil.copy(f, src / f.name)
    plan = make_plan([str(src)], str(out))
    assert len(plan.todo) == 3 and plan.fresh == plan.todo
    first = plan.todo[0]
    (out / f"{first.stem}.json").write_text("{}", encoding="utf-8")
    plan.record([FileResult(str(first), plan.shas[first], "ok", first.stem, str(out / f"{first.stem}.json"), None, 1.0,
                            file_version(pipeline_version(), first.stem))])
    plan.checkpoint()  # what a run killed now leaves behind
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == [str(first)]
    resumed = make_plan([str(src)], str(out))
    assert resumed.todo == plan.todo[1:] and [r.status for r in resumed.done.values()] == ["unchanged"]
