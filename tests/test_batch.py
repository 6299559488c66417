"""The batch stage as plain functions: statuses, errors per file, unchanged re-runs, atomic writes."""
import json
import shutil

import pytest

from pipeline.batch import collect, load_manifest, process_file, write_atomic, write_manifest
from tests.conftest import SEED


@pytest.fixture()
def batch(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "omsk-2021-international.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (src / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (src / ".hidden.txt").write_text("ignored")
    return src, tmp_path / "out"


def test_collect_lists_files_sorted_without_hidden(batch):
    src, _ = batch
    assert [p.name for p in collect([src])] == ["empty.txt", "junk.txt", "notes.xlsx", "omsk-2021-international.txt"]


def test_each_bad_file_fails_alone_with_its_own_message(batch):
    src, out = batch
    results = {p.name: process_file(p, out, "v1") for p in collect([src])}
    assert results["omsk-2021-international.txt"].status == "ok"
    assert results["empty.txt"].error == "empty file"
    assert results["junk.txt"].error.startswith("binary content")
    assert results["notes.xlsx"].error.startswith("unsupported file type .xlsx")
    assert sorted(p.name for p in out.iterdir()) == ["omsk-2021-international.json"]
    doc = json.loads((out / "omsk-2021-international.json").read_text(encoding="utf-8"))
    assert doc["source"]["sha256"] == results["omsk-2021-international.txt"].sha256


def test_unchanged_file_is_skipped_and_a_new_version_reruns(batch):
    src, out = batch
    seed = src / "omsk-2021-international.txt"
    first = process_file(seed, out, "v1")
    write_manifest(out, [first])
    previous = load_manifest(out)[str(seed)]
    assert process_file(seed, out, "v1", previous).status == "unchanged"
    assert process_file(seed, out, "v2", previous).status == "ok"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nДобавлен абзац.\n", encoding="utf-8")
    assert process_file(seed, out, "v1", previous).status == "ok"


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path):
    target = tmp_path / "a.json"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # fails while writing
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
