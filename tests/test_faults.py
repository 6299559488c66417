"""Bad input never stops a batch and never loses data: a fault suite in one batch with good files."""
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from pipeline.batch import collect, duplicate_result, duplicates, process_file
from tests.conftest import ROOT, SEED
from tests.make_docs import empty_pdf_bytes, text_to_docx, text_to_pdf

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
    assert len(EXPECTED_ERRORS) >= 12
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


def _run(args, log_level="ERROR", **kw):
    env = dict(os.environ, PREFECT_LOGGING_LEVEL=log_level)
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _outputs(d):
    out = {}
    for p in sorted(d.glob("*.json")):
        if p.name == "_manifest.json":
            continue
        doc = json.loads(p.read_text(encoding="utf-8"))
        doc["pipeline"].pop("extracted_at")
        out[p.name] = doc
    return out


def test_killed_run_restarts_to_the_same_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))[:4]:
        (src / p.name).write_bytes(p.read_bytes())
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert _run([str(src), "--out", str(whole)]).wait(timeout=600) == 0

    proc = _run([str(src), "--out", str(killed)], start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline and len(list(killed.glob("*.json"))) < 1:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not list(killed.glob("*.tmp")) or all(p.name.startswith(".") for p in killed.glob("*.tmp"))
    for p in killed.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))  # every file there is whole
    for p in killed.glob(".*.tmp"):
        p.unlink()  # a temp file of the killed writer is never taken for output
    assert _run([str(src), "--out", str(killed)]).wait(timeout=600) == 0
    assert _outputs(killed) == _outputs(whole)


def test_command_exit_status_and_summary_survive_the_fast_exit(tmp_path):
    """`city-reports extract` ends without tearing down its heap (pipeline.cli.main): its exit status
    still says whether a file failed, and its output is whole."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "omsk.txt").write_bytes(SEED.read_bytes())
    proc = _run([str(src), "--out", str(out)])
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 1, stderr.decode()[-2000:]
    assert "2 files: 1 ok, 0 unchanged, 1 failed" in stderr.decode()
    statuses = {f["path"].rsplit("/", 1)[-1]: f["status"] for f in json.loads((out / "_manifest.json").read_text())["files"]}
    assert statuses == {"empty.txt": "failed", "omsk.txt": "ok"}
    (src / "empty.txt").unlink()
    (src / "omsk.txt").write_bytes(SEED.read_bytes() + "\nЗадачи на 2023 год: открыть визит-центр.\n".encode())
    again = _run([str(src), "--out", str(out)], log_level="WARNING")  # the CLI's default level
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0
    assert "EventsWorker" not in stderr.decode(), stderr.decode()[-2000:]  # no events left for the exit to send
