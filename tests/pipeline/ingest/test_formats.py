"""RTF, OpenDocument and legacy Word readers: text, headings, lists, errors, converters."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from batch.inputs import read_input
from pipeline.ingest import SUFFIXES, IngestError, ingest
from pipeline.ingest.doc import read_doc
from pipeline.ingest.odt import read_odt
from pipeline.ingest.rtf import read_rtf

from tests import make_docs  # noqa: E402

TEXT = """Отчёт о деятельности управления культуры

Итоги года

В городе работают двенадцать библиотек | и семь музеев. Посещаемость выросла на три процента.

- открыт новый выставочный зал;
- проведён фестиваль «Ночь музеев».

Задачи на 2024 год

1. Провести ремонт двух библиотек.
2. Открыть детскую школу искусств.
"""
EXPECTED = ["Отчёт о деятельности управления культуры", "Итоги года",
            "В городе работают двенадцать библиотек | и семь музеев. Посещаемость выросла на три процента.",
            "- открыт новый выставочный зал;", "- проведён фестиваль «Ночь музеев».", "Задачи на 2024 год",
            "1. Провести ремонт двух библиотек.", "2. Открыть детскую школу искусств."]
HAVE_DOC = bool(shutil.which("antiword") or shutil.which("catdoc"))


def test_new_suffixes_are_accepted(tmp_path):
    for suffix in (".rtf", ".odt", ".doc"):
        assert suffix in SUFFIXES
        path = tmp_path / f"a{suffix}"
        path.write_bytes(b"x")
        assert read_input(path) == b"x"  # the batch reads it


@pytest.mark.parametrize("kind", ["rtf", "odt"] + (["doc"] if HAVE_DOC else []))
def test_paragraphs_lists_and_headings(tmp_path, kind):
    path = tmp_path / f"report.{kind}"
    getattr(make_docs, f"text_to_{kind}")(TEXT, path)
    ing = ingest(path, path.read_bytes())
    assert ing.raw.format == kind
    assert [ln for ln in ing.text.splitlines() if ln] == EXPECTED
    if kind == "odt":
        assert ing.raw.headings == ["Отчёт о деятельности управления культуры", "Итоги года", "Задачи на 2024 год"]


def test_rtf_hex_escapes_in_the_declared_code_page():
    data = b"{\\rtf1\\ansi\\ansicpg1251{\\fonttbl{\\f0 Arial;}}\\f0 " + b"".join(b"\\'%02x" % c for c in "Отчёт города".encode("cp1251")) + b"\\par}"
    assert read_rtf(data).text.strip() == "Отчёт города"


@pytest.mark.parametrize("reader, data, message", [
    (read_rtf, b"plain text", "not an RTF file"),
    (read_odt, b"plain text", "corrupt ODT"),
    (read_odt, b"PK\x03\x04" + b"\0" * 50, "corrupt ODT"),
    (read_doc, b"plain text", "not a Word .doc file"),
])
def test_bad_files_fail_with_one_line(reader, data, message):
    with pytest.raises(IngestError, match=message) as info:
        reader(data)
    assert "\n" not in str(info.value)


def test_doc_without_a_converter_names_the_package(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    make_docs.text_to_doc(TEXT, path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(IngestError) as info:
        ingest(path, path.read_bytes())
    assert str(info.value) == "cannot read .doc: no converter installed (apt-get install antiword (or catdoc))"


def test_doc_falls_back_to_catdoc_when_antiword_fails(tmp_path, monkeypatch):
    """Stand-in converters on PATH: antiword crashes on the file, catdoc reads it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "antiword").write_text("#!/bin/sh\necho \"I'm afraid the text stream of this file is too small to handle.\" >&2\nexit 1\n")
    (bin_dir / "catdoc").write_text("#!/bin/sh\nprintf 'Заголовок\\nАбзац отчёта о работе.\\n'\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    raw = read_doc(make_docs._cfb({"WordDocument": b"\0" * 100, "1Table": b""}))
    assert raw.text.splitlines() == ["Заголовок", "Абзац отчёта о работе.", ""]
    (bin_dir / "catdoc").write_text("#!/bin/sh\nexit 3\n")
    with pytest.raises(IngestError, match=r"^cannot read \.doc: antiword: I'm afraid .*; catdoc: exit status 3$"):
        read_doc(make_docs._cfb({"WordDocument": b"\0" * 100, "1Table": b""}))
