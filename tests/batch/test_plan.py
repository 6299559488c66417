"""batch.plan: what a run has to do, decided without Prefect or models; it agrees with process_file;
the ledger keeps what other runs recorded; ids are unique and stable; settings are checked first."""
import hashlib
import json
import shutil
import sys
import time
import types
from pathlib import Path

import pytest

from batch.inputs import file_sha
from batch.manifest import FileResult, load_ledger, source_key
from batch.plan import make_batches, make_plan
from batch.process import file_version, process_file, unchanged
from pipeline.files import SettingError
from pipeline.version import pipeline_version
from tests.batch.run import run
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


def _fake_extract(monkeypatch, fail: bool = True):
    """process_file without NLP: an extraction that fails (so 'not skipped' shows as failed) or
    gives a tiny report of the file."""
    fake = types.ModuleType("pipeline.extract")

    def extract(path, data, report_id=None):
        if fail:
            raise RuntimeError("extraction ran")
        return types.SimpleNamespace(report_id=report_id, warnings=[], sha=hashlib.sha256(data).hexdigest())

    fake.extract = extract
    fake.to_json = lambda r: json.dumps({"report_id": r.report_id, "source": {"sha256": r.sha}, "warnings": []}).encode()
    monkeypatch.setitem(sys.modules, "pipeline.extract", fake)
    monkeypatch.setattr("batch.process.apply_decisions", lambda report, decisions: (report, []))


def _folders(tmp_path, monkeypatch, files):
    """src/ with copies of `files`, out/, and the quick extraction."""
    _fake_extract(monkeypatch, fail=False)
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for f in files:
        shutil.copy(f, src / f.name)
    return src, out


def test_plan_skips_exactly_what_process_file_skips(tmp_path, monkeypatch):
    """batch.plan decides in the main process what process_file would skip; the two must agree."""
    _fake_extract(monkeypatch)
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "reviews"))
    out = tmp_path / "out"
    out.mkdir()
    version = pipeline_version()
    files, previous = {}, {}
    for name in ("same", "edited", "rules", "no-output", "damaged", "failed-before", "reviewed", "other-id"):
        f = files[name] = tmp_path / f"{name}.txt"
        f.write_text(f"Отчёт {name}", encoding="utf-8")
        text = json.dumps({"report_id": name})
        (out / f"{name}.json").write_text(text, encoding="utf-8")
        previous[name] = {"path": str(f), "sha256": hashlib.sha256(f.read_bytes()).hexdigest(), "status": "ok",
                          "report_id": name, "pipeline_version": file_version(version, "reviews.none"),
                          "output": str(out / f"{name}.json"), "warnings": [],
                          "output_sha256": hashlib.sha256(text.encode()).hexdigest()}
    files["edited"].write_text("Отчёт изменён", encoding="utf-8")
    previous["rules"]["pipeline_version"] = file_version("0.1.0+rules-before", "reviews.none")
    (out / "no-output.json").unlink()
    (out / "damaged.json").write_text('{"report_id": "dam', encoding="utf-8")  # truncated by hand
    previous["failed-before"]["status"] = "failed"
    previous["other-id"]["report_id"] = "another"
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "reviewed.json").write_text('{"report_id": "reviewed"}', encoding="utf-8")
    decided = {}
    for name, f in files.items():
        planned = unchanged(f, out, version, previous[name], file_sha(f), name)
        actual = process_file(f, out, version, {**previous[name], "assigned_id": name})
        assert (planned is not None) == (actual.status == "unchanged"), (name, planned, actual)
        if planned is not None:
            assert (planned.path, planned.sha256, planned.report_id, planned.output, planned.pipeline_version) == \
                   (actual.path, actual.sha256, actual.report_id, actual.output, actual.pipeline_version)
        else:
            assert actual.error == "RuntimeError: extraction ran", (name, actual)
        decided[name] = planned is not None
    assert decided == {"same": True, "edited": False, "rules": False, "no-output": False, "damaged": False,
                       "failed-before": False, "reviewed": False, "other-id": False}
    assert unchanged(files["same"], out, version, None, file_sha(files["same"])) is None
    assert process_file(files["same"], out, version, previous["same"], force=True).status == "failed"  # redone


def test_what_the_environment_can_do_is_part_of_unchanged(tmp_path, monkeypatch):
    """A result made without OCR is redone once OCR is there (pipeline.ingest.environment())."""
    _fake_extract(monkeypatch, fail=False)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Отчёт", encoding="utf-8")
    monkeypatch.setattr("batch.process.environment", lambda: "ocr=none")
    assert [r.status for r in run([src], tmp_path / "out")] == ["ok"]
    assert [r.status for r in run([src], tmp_path / "out")] == ["unchanged"]
    monkeypatch.setattr("batch.process.environment", lambda: "ocr=tesseract-5")
    assert [r.status for r in run([src], tmp_path / "out")] == ["ok"]


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


def test_the_same_name_in_two_folders_gets_an_id_qualified_by_its_folder(tmp_path):
    """Yearly folders reuse names (2021/omsk.txt, 2022/omsk.txt): both are extracted, the second as
    2022-omsk; the same text twice stays a duplicate; the ids stay when a run sees another subset."""
    src = tmp_path / "src"
    for year, fixture in (("2021", FIXTURES[0]), ("2022", FIXTURES[1]), ("2023", FIXTURES[0])):
        (src / year).mkdir(parents=True)
        shutil.copy(fixture, src / year / "omsk.txt")
    plan = make_plan([str(src)], str(tmp_path / "out"))
    first, second, copy = (src / y / "omsk.txt" for y in ("2021", "2022", "2023"))
    assert plan.todo == [first, second] and plan.dups == {copy: first}
    assert plan.ids == {first: "omsk", second: "2022-omsk", copy: "omsk"}
    plan.record([FileResult(str(f), plan.shas[f], "ok", plan.ids[f], str(tmp_path / "out" / f"{plan.ids[f]}.json"),
                            None, 0.0) for f in plan.todo])
    plan.finish()
    shutil.rmtree(src / "2023")
    (src / "2020").mkdir()
    shutil.copy(FIXTURES[2], src / "2020" / "omsk.txt")  # sorts first now: still no one else's id
    again = make_plan([str(src)], str(tmp_path / "out"))
    assert again.ids == {src / "2020" / "omsk.txt": "2020-omsk", first: "omsk", second: "2022-omsk"}
    alone = make_plan([str(second)], str(tmp_path / "out"))  # a subset run: the id recorded for it
    assert alone.ids == {second: "2022-omsk"}


def test_checkpoint_keeps_finished_files_for_a_killed_run(tmp_path, monkeypatch):
    src, out = _folders(tmp_path, monkeypatch, FIXTURES[:3])
    plan = make_plan([str(src)], str(out))
    assert len(plan.todo) == 3 and plan.fresh == plan.todo
    first = plan.todo[0]
    plan.record([process_file(p, out, plan.version, e) for p, e in plan.items([first])])
    plan.checkpoint()  # what a run killed now leaves behind
    assert [f["path"] for f in _manifest(out)] == [str(first)]
    resumed = make_plan([str(src)], str(out))
    assert resumed.todo == plan.todo[1:] and [r.status for r in resumed.done.values()] == ["unchanged"]


def test_a_due_checkpoint_waits_fifty_times_what_the_last_one_took(tmp_path, monkeypatch):
    """The flow checkpoints after each batch with `due`: a big run's ledger is not rewritten after
    every batch (each write is O(files)), but once enough work has passed since the last one."""
    src, out = _folders(tmp_path, monkeypatch, FIXTURES[:3])
    plan = make_plan([str(src)], str(out))
    first, second = plan.todo[:2]
    plan.record([process_file(p, out, plan.version, e) for p, e in plan.items([first])])
    plan.checkpoint(due=True)  # the run's first: due at once
    assert plan.written[1] > 0
    plan.record([process_file(p, out, plan.version, e) for p, e in plan.items([second])])
    plan.written = (time.monotonic(), 1.0)  # one that took a second has just ended: not due for 50 s
    plan.checkpoint(due=True)
    assert [f["path"] for f in _manifest(out)] == [str(first)]
    plan.written = (time.monotonic() - 60, 1.0)
    plan.checkpoint(due=True)
    assert sorted(f["path"] for f in _manifest(out)) == sorted([str(first), str(second)])


def _manifest(out: Path) -> list[dict]:
    return json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["files"]


def test_a_subset_run_merges_into_the_ledger_and_the_full_run_then_redoes_nothing(tmp_path, monkeypatch):
    src, out = _folders(tmp_path, monkeypatch, FIXTURES)
    assert {r.status for r in run([src], out)} == {"ok"}
    one = src / FIXTURES[0].name
    one.write_text(one.read_text(encoding="utf-8") + "\nЕщё абзац.\n", encoding="utf-8")
    assert [r.status for r in run([one], out)] == ["ok"]  # a subset: the others stay in the ledger
    assert len(load_ledger(out)) == len(FIXTURES)
    assert {r.status for r in run([src], out)} == {"unchanged"}  # the full run redoes nothing


def test_a_deleted_source_marks_its_output_orphaned_until_pruned(tmp_path, monkeypatch):
    from batch.manifest import prune

    src, out = _folders(tmp_path, monkeypatch, FIXTURES[:3])
    run([src], out)
    (out / "_reviews").mkdir()
    (out / "_reviews" / f"{FIXTURES[0].stem}.json").write_text(json.dumps({"report_id": FIXTURES[0].stem}))
    (src / FIXTURES[0].name).unlink()
    results = run([src], out)
    assert [(r.status, r.report_id) for r in results][-1] == ("orphaned", FIXTURES[0].stem)
    assert (out / f"{FIXTURES[0].stem}.json").exists()  # kept
    again = make_plan([str(src)], str(out))  # a new file by that name does not take the orphan's id
    assert FIXTURES[0].stem in {e["report_id"] for e in again.previous.values() if e["status"] == "orphaned"}
    gone = prune(out)
    assert [e["report_id"] for e in gone] == [FIXTURES[0].stem]
    assert not (out / f"{FIXTURES[0].stem}.json").exists() and (out / f"{FIXTURES[1].stem}.json").exists()
    assert (out / "_reviews" / f"{FIXTURES[0].stem}.json").exists()  # reviews are never pruned
    assert len(load_ledger(out)) == 2 and prune(out) == []


def test_a_manifest_of_another_working_folder_finds_the_same_files(tmp_path, monkeypatch):
    """Entries are keyed by the source's path relative to the output folder: a run started elsewhere
    (absolute or relative paths) sees the same entries, nothing orphaned, nothing redone."""
    _fake_extract(monkeypatch, fail=False)
    (tmp_path / "p" / "in").mkdir(parents=True)
    shutil.copy(FIXTURES[0], tmp_path / "p" / "in" / "a.txt")
    monkeypatch.chdir(tmp_path / "p")
    run([Path("in")], Path("out"))
    monkeypatch.chdir(tmp_path)
    results = run([tmp_path / "p" / "in"], tmp_path / "p" / "out")
    assert [r.status for r in results] == ["unchanged"]
    assert list(load_ledger(tmp_path / "p" / "out")) == [source_key(tmp_path / "p" / "in" / "a.txt", tmp_path / "p" / "out")]


@pytest.mark.parametrize("name, value", [("CITY_REPORTS_MAX_BYTES", "10MBytes"), ("CITY_REPORTS_MAX_BYTES", "0"),
                                         ("CITY_REPORTS_MAX_BYTES", "-1"), ("CITY_REPORTS_MAX_REVIEW_BYTES", "x")])
def test_bad_settings_stop_the_plan_with_one_line_before_anything_is_written(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=f"^{name}=") as e:
        make_plan([str(FIXTURES[0])], str(tmp_path / "out"))
    assert "\n" not in str(e.value)
    assert not (tmp_path / "out").exists()


def test_a_reviews_setting_that_is_a_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "f").write_text("")
    monkeypatch.setenv("CITY_REPORTS_REVIEWS", str(tmp_path / "f"))
    with pytest.raises(SettingError, match="^CITY_REPORTS_REVIEWS=.* is not a folder$"):
        make_plan([str(FIXTURES[0])], str(tmp_path / "out"))
