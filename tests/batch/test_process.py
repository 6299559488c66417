"""batch.process: statuses and one-line errors per file, unchanged re-runs; bad input never stops a batch
and never loses data (a fault suite in one batch with good files)."""
import json
import os
import shutil
import zipfile

import pytest

from batch.inputs import collect, duplicates
from batch.manifest import duplicate_result, load_manifest, write_manifest
from batch.process import process_file
from tests.conftest import ROOT, SEED
from tests.make_docs import empty_pdf_bytes, text_to_docx, text_to_pdf


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


GOOD = ["omsk-2021-international.txt", "kazan.pdf", "tomsk.docx"]


@pytest.fixture(scope="module")
def fault_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("faults")
    seed = SEED.read_text(encoding="utf-8")
    kazan = (ROOT / "tests/fixtures/reports/kazan-2022-international.txt").read_text(encoding="utf-8")
    tomsk = (ROOT / "tests/fixtures/reports/tomsk-2022-tourism.txt").read_text(encoding="utf-8")
    (d / GOOD[0]).write_text(seed, encoding="utf-8")
    text_to_pdf(kazan, d / GOOD[1])
    text_to_docx(tomsk, d / GOOD[2])
    pdf = (d / GOOD[1]).read_bytes()
    bad = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "junk.txt": os.urandom(5000) + b"\x00" * 10,
        "controls.txt": bytes(range(1, 9)) * 400,
        "truncated.pdf": pdf[: len(pdf) // 3],
        "not-a-pdf.pdf": "Это текст, а не PDF".encode(),
        "no-pages.pdf": empty_pdf_bytes(),
        "corrupt.docx": b"PK\x03\x04 broken zip",
        "big.txt": ("Омск " * 40000).encode(),
        "table.xlsx": b"PK\x03\x04",
        "README": b"no extension",
    }
    for name, data in bad.items():
        (d / name).write_bytes(data)
    with zipfile.ZipFile(d / "zip-not-word.docx", "w") as z:
        z.writestr("hello.txt", "not a word document")
    text_to_pdf(kazan[:2000], d / "encrypted.pdf", encrypt_password="secret")
    (d / "gone.txt").symlink_to(d / "no-such-file.txt")
    (d / "omsk-copy.txt").write_text(seed, encoding="utf-8")
    return d


EXPECTED_ERRORS = {
    "empty.txt": "empty file", "blank.txt": "empty file", "junk.txt": "binary content",
    "controls.txt": "binary content", "truncated.pdf": "corrupt PDF", "not-a-pdf.pdf": "not a PDF",
    "no-pages.pdf": "PDF has no pages", "corrupt.docx": "corrupt DOCX", "zip-not-word.docx": "corrupt DOCX",
    "big.txt": "file too large", "table.xlsx": "unsupported file type .xlsx", "README": "unsupported file type (none)",
    "encrypted.pdf": "encrypted PDF", "gone.txt": "cannot read file",
}


def test_fault_suite_in_one_batch(fault_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CITY_REPORTS_MAX_BYTES", "200000")
    out = tmp_path / "out"
    files = collect([fault_dir])
    dups = duplicates(files)
    results = {}
    for f in files:
        if f in dups:
            results[f.name] = duplicate_result(f, results[dups[f].name])
        else:
            results[f.name] = process_file(f, out, "v1")
    for name in GOOD:
        assert results[name].status == "ok", (name, results[name].error)
    for name, message in EXPECTED_ERRORS.items():
        r = results[name]
        assert r.status == "failed" and r.error.startswith(message), (name, r.error)
        assert "\n" not in r.error
    assert len({results[n].error for n in EXPECTED_ERRORS}) >= 12  # their own messages
    copy = results["omsk-copy.txt"]
    assert copy.duplicate_of == str(fault_dir / GOOD[0]) and copy.output == results[GOOD[0]].output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["kazan.json", "omsk-2021-international.json", "tomsk.json"]  # nothing partial, no temp files
    for name in written:
        json.loads((out / name).read_text(encoding="utf-8"))
