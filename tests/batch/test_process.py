"""batch.process: statuses and one-line errors per file, unchanged re-runs, damaged outputs redone,
reviews beside the outputs (a corrupt reviews file is a warning, never a lost report), --strict."""
import json
import shutil

import pytest

from batch.inputs import collect
from batch.manifest import load_manifest, merge, write_manifest
from batch.process import process_file
from tests.batch.run import by_name, run
from tests.conftest import SEED


@pytest.fixture()
def batch(tmp_path, monkeypatch):
    monkeypatch.delenv("CITY_REPORTS_REVIEWS")  # reviews beside the outputs: OUT/_reviews
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "omsk-2021-international.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (src / "notes.xyz").write_bytes(b"PK\x03\x04")
    (src / ".hidden.txt").write_text("ignored")
    return src, tmp_path / "out"


def test_each_bad_file_fails_alone_with_its_own_message(batch):
    src, out = batch
    results = {p.name: process_file(p, out, "v1") for p in collect([src, src / "notes.xyz"])}  # named: not skipped
    assert results["omsk-2021-international.txt"].status == "ok"
    assert results["empty.txt"].error == "empty file"
    assert results["junk.txt"].error.startswith("binary content")
    assert results["notes.xyz"].error.startswith("unsupported file type .xyz")
    assert results["notes.xyz"].report_id is None  # a file that cannot be read claims no id
    assert sorted(p.name for p in out.iterdir()) == ["_machine", "omsk-2021-international.json"]
    assert [p.name for p in (out / "_machine").iterdir()] == ["omsk-2021-international.json"]  # the machine's pass
    doc = json.loads((out / "omsk-2021-international.json").read_text(encoding="utf-8"))
    assert doc["source"]["sha256"] == results["omsk-2021-international.txt"].sha256


def _ledger(out, *results):
    write_manifest(out, merge(out, {}, list(results))[0])
    return load_manifest(out)


def test_unchanged_file_is_skipped_and_a_new_version_reruns(batch):
    src, out = batch
    seed = src / "omsk-2021-international.txt"
    first = process_file(seed, out, "v1")
    previous = _ledger(out, first)[str(seed)]
    assert previous["warnings"] == first.warnings and previous["output_sha256"]
    again = process_file(seed, out, "v1", previous)
    assert again.status == "unchanged" and again.warnings == first.warnings
    assert process_file(seed, out, "v2", previous).status == "ok"
    assert process_file(seed, out, "v1", previous, force=True).status == "ok"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nДобавлен абзац.\n", encoding="utf-8")
    assert process_file(seed, out, "v1", previous).status == "ok"


@pytest.mark.parametrize("damage", ["truncate", "edit", "unreadable", "fifo"])
def test_a_damaged_or_unreadable_output_is_redone(batch, damage):
    import os

    src, out = batch
    seed = src / "omsk-2021-international.txt"
    previous = _ledger(out, process_file(seed, out, "v1"))[str(seed)]
    output = out / "omsk-2021-international.json"
    text = output.read_text(encoding="utf-8")
    if damage == "truncate":
        output.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "edit":
        output.write_text(text.replace('"year": 2021', '"year": 1921'), encoding="utf-8")
    elif damage == "unreadable":
        output.unlink()
        output.mkdir()  # what no read can get through
    else:
        output.unlink()
        os.mkfifo(output)
    if damage in ("unreadable", "fifo"):
        r = process_file(seed, out, "v1", previous)
        assert r.status == "failed" or r.status == "ok"  # never "unchanged"
        if output.is_dir():
            output.rmdir()
        else:
            output.unlink()
    r = process_file(seed, out, "v1", previous)
    assert r.status == "ok" and json.loads(output.read_text(encoding="utf-8"))["year"] == 2021


def test_reviews_live_beside_the_outputs_whatever_the_working_folder(batch, tmp_path, monkeypatch):
    """`cd /tmp && city-reports extract /p/in --out /p/extracted` applies /p/extracted/_reviews."""
    from review.decisions import Decision
    from review.record import record

    src, out = batch
    record(out / "_reviews", "omsk-2021-international",
           Decision(action="reject", category="places", match={"name": "Тиват"}))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    results = by_name(run([src / "omsk-2021-international.txt"], out))
    assert results["omsk-2021-international.txt"].status == "ok"
    doc = json.loads((out / "omsk-2021-international.json").read_text(encoding="utf-8"))
    assert "Тиват" not in {p["name"] for p in doc["places"]}
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("content", ["{not json", '{"report_id": "another-report"}', "big", "fifo"])
def test_a_corrupt_or_oversized_reviews_file_is_a_warning_and_is_left_alone(batch, monkeypatch, content):
    import os

    src, out = batch
    seed = src / "omsk-2021-international.txt"
    reviews = out / "_reviews" / "omsk-2021-international.json"
    reviews.parent.mkdir(parents=True)
    monkeypatch.setenv("CITY_REPORTS_MAX_REVIEW_BYTES", "100000")
    if content == "fifo":
        os.mkfifo(reviews)
    else:
        reviews.write_text('{"report_id": "omsk-2021-international", "decisions": [' + "{}, " * 50000 + "{}]}"
                           if content == "big" else content, encoding="utf-8")
    before = None if content == "fifo" else reviews.read_bytes()
    r = run([seed], out)[0]
    assert r.status == "ok" and "reviews_unreadable" in r.warnings and not r.review_messages
    doc = json.loads((out / "omsk-2021-international.json").read_text(encoding="utf-8"))
    warning = next(w for w in doc["warnings"] if w["code"] == "reviews_unreadable")
    assert str(reviews) in warning["message"] and "\n" not in warning["message"]
    assert before is None or reviews.read_bytes() == before  # kept aside, untouched
    manifest = (out / "_manifest.json").read_text(encoding="utf-8")
    assert len(manifest) < 20_000  # nothing of the reviews file copied into it
    assert run([seed], out)[0].status == "unchanged"


def test_strict_fails_a_file_with_the_named_warnings_and_keeps_its_json(batch):
    src, out = batch
    seed = src / "omsk-2021-international.txt"
    (out / "_reviews").mkdir(parents=True)
    (out / "_reviews" / "omsk-2021-international.json").write_text("{broken", encoding="utf-8")
    r = run([seed], out, strict=frozenset({"reviews_unreadable"}))[0]
    assert r.status == "failed" and r.error.startswith("strict: warning reviews_unreadable (output kept")
    assert (out / "omsk-2021-international.json").exists() and r.output
    assert run([seed], out)[0].status == "ok"  # without --strict: redone (it failed), and fine
    again = run([seed], out, strict=frozenset({"reviews_unreadable"}))[0]  # unchanged, but strict fails it
    assert again.status == "failed" and "reviews_unreadable" in again.error
