"""The fault suite: bad and hostile files in one batch beside good ones (issue 20). It grows with
every defect found: add the file that showed it here, with what must happen.

Must hold: every good file's JSON equals its solo run's (apart from its id and the warning about
its own damaged reviews), every bad file fails alone with its own one-line message, the run is not
aborted and no file takes longer than the time bound (tests/batch/run.py), nothing outside the
folders is written, nothing is overwritten, no decision is lost.
"""
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
import zlib

import pytest

from review.decisions import Decision
from review.record import record
from tests.batch.run import run
from tests.conftest import ROOT, SEED
from tests.make_docs import empty_pdf_bytes, text_to_docx, text_to_pdf

pytestmark = pytest.mark.slow

FIX = ROOT / "tests/fixtures"
MAX_BYTES = 400_000
TINY = "Администрация города Омска\n\nОтчёт о международной деятельности за 2021 год.\n\nВстреча с делегацией города Тивата.\n"
# good files: name -> where the text comes from (a path) or how it is made
GOOD = {
    "omsk-2021-international.txt": SEED,
    "kazan.pdf": FIX / "reports/kazan-2022-international.txt",
    "tomsk.docx": FIX / "reports/tomsk-2022-tourism.txt",
    "tomsk.txt": FIX / "reports/krasnodar-2023-culture.txt",  # the same stem as tomsk.docx, other content
    "a/report.txt": FIX / "reports/ekaterinburg-2023-international.txt",  # the same name in two folders
    "b/report.txt": FIX / "reports/novosibirsk-2021-international.txt",
    "北京.txt": FIX / "news/tver-2023-gomel.txt",  # names without Latin or Russian letters
    "東京.txt": FIX / "news/ryazan-2025-brest.txt",
    "$(touch pwned).txt": FIX / "news/vladimir-2018-erlangen.txt",  # a name a shell would run
    "-rf --version.txt": FIX / "news/tula-2016-twin-forum.txt",  # a name an option parser would take
    "new\nline.txt": FIX / "news/novgorod-2022-polotsk.txt",
    ("x" * 200) + ".txt": FIX / "news/khabarovsk-2017-niigata.txt",  # an id would be too long a file name
    "huge-line.txt": "huge-line",  # three reports on one line of 50 kB
}
HUGE_LINE = [SEED, FIX / "reports/kazan-2022-international.txt", FIX / "reports/tomsk-2022-tourism.txt"]
# bad files: name -> the start of its error
BAD = {
    "empty.txt": "empty file", "blank.txt": "empty file", "junk.txt": "binary content",
    "controls.txt": "binary content", "truncated.pdf": "corrupt PDF", "not-a-pdf.pdf": "not a PDF",
    "no-pages.pdf": "PDF has no pages", "corrupt.docx": "corrupt DOCX", "zip-not-word.docx": "corrupt DOCX",
    "truncated.docx": "corrupt DOCX", "pdf-named.docx": "corrupt DOCX", "big.txt": "file too large",
    "notes.xyz": "unsupported file type .xyz", "README": "unsupported file type (none)",
    "encrypted.pdf": "encrypted PDF", "gone.txt": "cannot read file: broken symbolic link",
    "pipe.txt": "not a regular file: a FIFO", "zero.txt": "not a regular file: a character device behind a symbolic link",
    "folder-link.txt": "not a regular file: a folder behind a symbolic link", "bomb.docx": "zip bomb",
    "pdf-bomb.pdf": "no text found", "★★★.txt": "empty file", "utf16-junk.txt": "binary content",
    "nul.txt": "binary content",
}


def _pdf_bomb(n: int) -> bytes:
    """A one-page PDF whose content stream unpacks to `n` spaces (a few hundred bytes packed)."""
    content = zlib.compress(b" " * n, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def _zip_bomb() -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", b"<w:document>" + b" " * 200_000_000 + b"</w:document>")
    return b.getvalue()


def make_good(d, name: str, source) -> None:
    path = d / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = " ".join(" ".join(f.read_text(encoding="utf-8").split()) for f in HUGE_LINE) \
        if source == "huge-line" else source.read_text(encoding="utf-8")
    if name.endswith(".pdf"):
        text_to_pdf(text, path)
    elif name.endswith(".docx"):
        text_to_docx(text, path)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    d = tmp_path_factory.mktemp("faults")
    for name, source in GOOD.items():
        make_good(d, name, source)
    pdf, docx = (d / "kazan.pdf").read_bytes(), (d / "tomsk.docx").read_bytes()
    data = {
        "empty.txt": b"", "blank.txt": b" \n\t\n", "junk.txt": os.urandom(5000) + b"\x00" * 10,
        "controls.txt": bytes(range(1, 9)) * 400, "truncated.pdf": pdf[: len(pdf) // 3],
        "not-a-pdf.pdf": "Это текст, а не PDF".encode(), "no-pages.pdf": empty_pdf_bytes(),
        "corrupt.docx": b"PK\x03\x04 broken zip", "truncated.docx": docx[: len(docx) // 2], "pdf-named.docx": pdf + b"\n% other bytes\n",
        "big.txt": ("Омск " * 100_000).encode(), "notes.xyz": b"PK\x03\x04", "README": b"no extension",
        "bomb.docx": _zip_bomb(), "pdf-bomb.pdf": _pdf_bomb(50_000_000), "★★★.txt": b"",
        "utf16-junk.txt": os.urandom(3000) + b"\x00\x01" * 500, "nul.txt": b"\x00" * 1000,
    }
    for name, content in data.items():
        (d / name).write_bytes(content)
    with zipfile.ZipFile(d / "zip-not-word.docx", "w") as z:
        z.writestr("hello.txt", "not a word document")
    text_to_pdf(TINY * 20, d / "encrypted.pdf", encrypt_password="secret")
    (d / "gone.txt").symlink_to(d / "no-such-file.txt")
    os.mkfifo(d / "pipe.txt")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "folder-link.txt").symlink_to(d / "a")
    (d / "loop").symlink_to(d)  # a folder link: listed, never walked into (no loop)
    shutil.copy(SEED, d / "copy of omsk.txt")  # same content: a duplicate
    return d


def _out_folder(root, hostile: bool):
    """An output folder with what earlier runs (or an attacker) left there."""
    out = root / "out"
    (out / "_reviews").mkdir(parents=True)
    if hostile:
        (root / "outside.json").write_text("keep", encoding="utf-8")
        (out / "report.json").symlink_to(root / "outside.json")  # an output that is a link out of the folder
        (out / "evil.json").write_text(json.dumps({"report_id": "../../evil", "places": []}), encoding="utf-8")
        (out / "_manifest.json").write_text(json.dumps({"files": [
            {"path": "x", "source": "../../../../tmp/pwn-source.txt", "report_id": "../../pwn", "status": "ok",
             "output": "/tmp/pwn.json"},
            {"path": "y", "source": "../faults/tomsk.txt", "report_id": "../../../tmp/pwn2", "status": "ok",
             "output": "../../pwn2.json"}]}), encoding="utf-8")
        (out / ".x.json.deadhost.1.abcdefgh.tmp").write_text("half")
        os.utime(out / ".x.json.deadhost.1.abcdefgh.tmp", (0, 0))
        (out / "_reviews" / "omsk-2021-international.json").write_text("{not json", encoding="utf-8")
        (out / "_reviews" / "kazan.json").write_text(
            '{"report_id": "kazan", "decisions": [' + "{}, " * 20000 + "{}]}", encoding="utf-8")
    record(out / "_reviews", "tomsk", Decision(action="reject", category="places", match={"name": "Томск"}))
    return out


def _same(doc: dict) -> dict:
    doc = {k: v for k, v in doc.items() if k not in ("report_id", "pipeline")}
    doc["warnings"] = [w for w in doc.get("warnings", []) if w["code"] != "reviews_unreadable"]
    return doc


def test_a_batch_of_bad_and_hostile_files_beside_good_ones(faults, tmp_path, monkeypatch):
    monkeypatch.delenv("CITY_REPORTS_REVIEWS")
    monkeypatch.setenv("CITY_REPORTS_MAX_BYTES", str(MAX_BYTES))
    monkeypatch.setenv("CITY_REPORTS_MAX_REVIEW_BYTES", "50000")
    assert len(BAD) + len(GOOD) - 6 >= 30  # at least 30 bad or hostile files (6 good ones are plain)
    out = _out_folder(tmp_path, hostile=True)
    reviews_before = {p.name: p.read_bytes() for p in (out / "_reviews").glob("*.json")}
    results = run([faults, faults / "notes.xyz", faults / "README"], out)  # other types fail only when named
    by = {os.path.relpath(r.path, faults): r for r in results if r.status != "orphaned"}
    assert set(by) == set(GOOD) | set(BAD) | {"copy of omsk.txt", "loop"}
    for name, start in BAD.items():
        r = by[name]
        assert r.status == "failed" and r.error.startswith(start) and "\n" not in r.error, (name, r.error)
    assert len({by[n].error for n in BAD}) >= len(set(BAD.values()))  # their own messages
    assert by["loop"].status == "failed" and by["loop"].report_id is None
    for name in GOOD:
        assert by[name].status == "ok", (name, by[name].error)
    ids = {name: by[name].report_id for name in GOOD}
    assert len(set(ids.values())) == len(GOOD)  # unique
    assert ids["a/report.txt"] == "report" and ids["b/report.txt"] == "b-report"
    assert ids["tomsk.docx"] == "tomsk" and ids["tomsk.txt"] == "tomsk-txt"
    assert ids["北京.txt"].startswith("report-") and ids["東京.txt"].startswith("report-")
    assert len(ids["x" * 200 + ".txt"]) <= 100
    assert by["copy of omsk.txt"].duplicate_of == str(faults / "omsk-2021-international.txt")
    # nothing outside the folders, nothing overwritten, no temporary file left
    assert (tmp_path / "outside.json").read_text(encoding="utf-8") == "keep"
    assert not (out / "report.json").is_symlink()
    for planted in ("/tmp/pwn.json", "/tmp/pwn2.json", tmp_path / "pwn2.json", faults / "pwned", "/tmp/pwn-source.txt"):
        assert not os.path.lexists(planted), planted
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    assert {p.name: p.read_bytes() for p in (out / "_reviews").glob("*.json")} == reviews_before
    assert sorted(p.name for p in out.glob("*.json")) == sorted(
        ["_manifest.json", "evil.json"] + [f"{i}.json" for i in ids.values()])
    ledger = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["files"]
    assert all(e["report_id"] is None or "/" not in e["report_id"] for e in ledger)
    # warnings: the damaged reviews are said; the good reviews applied
    assert "reviews_unreadable" in by["omsk-2021-international.txt"].warnings
    assert "reviews_unreadable" in by["kazan.pdf"].warnings
    tomsk = json.loads((out / "tomsk.json").read_text(encoding="utf-8"))
    assert "Томск" not in {p["name"] for p in tomsk["places"]}
    # every good file's JSON is its solo run's
    for name in GOOD:
        solo_out = tmp_path / "solo" / ids[name]
        if name == "tomsk.docx":
            _out_folder(solo_out.parent / "tomsk-solo", hostile=False).rename(solo_out)
        (solo, ) = run([faults / name], solo_out)
        assert solo.status == "ok", (name, solo.error)
        batch_doc = json.loads((out / f"{ids[name]}.json").read_text(encoding="utf-8"))
        solo_doc = json.loads((solo_out / f"{solo.report_id}.json").read_text(encoding="utf-8"))
        assert _same(batch_doc) == _same(solo_doc), name
    # a second run redoes nothing and loses nothing
    again = {os.path.relpath(r.path, faults): r for r in run([faults, faults / "notes.xyz", faults / "README"], out)}
    assert all(again[n].status == "unchanged" for n in GOOD), {n: again[n].status for n in GOOD}
    assert {n: again[n].report_id for n in GOOD} == ids


def test_compare_and_diff_report_a_damaged_or_crafted_json_and_go_on(tmp_path):
    from review.compare import compare
    from tests.fixtures.corpus.make_corpus import CORPUS_DIR

    folder = tmp_path / "extracted"
    shutil.copytree(CORPUS_DIR, folder, ignore=shutil.ignore_patterns("*.py"))
    n = len(list(folder.glob("*.json")))
    (folder / "damaged.json").write_text('{"report_id": "dam', encoding="utf-8")
    (folder / "evil.json").write_text(json.dumps({"report_id": "../../evil", "places": []}), encoding="utf-8")
    summary = compare(folder, tmp_path / "compare")
    problems = summary.problems
    assert summary.counts["reports"] == n and len(problems) == 2
    assert any("damaged.json: not JSON" in p for p in problems) and any("is not a report id" in p for p in problems)
    r = subprocess.run([sys.executable, "-m", "cli", "diff", str(folder), str(folder), "--format", "html", "--out",
                        str(tmp_path / "pages")], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "damaged.json" in r.stderr and "evil.json" in r.stderr
    assert not (tmp_path.parent / "evil.html").exists() and not (tmp_path / "evil.html").exists()
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == sorted(
        [f"{p.stem}.html" for p in CORPUS_DIR.glob("*.json")] + ["index.html"])
