"""Property-based tests (hypothesis) of what reads untrusted input: random bytes and random Unicode
through the readers (as every supported format), the common cleaning, and the batch's file read.
The only exception allowed is the product's own one-line IngestError.

The default profile runs a few hundred examples per test; `HYPOTHESIS_PROFILE=10k` runs 10,000
(`HYPOTHESIS_PROFILE=10k .venv/bin/python -m pytest tests/pipeline/test_random_input.py`).
"""
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import SUFFIXES, IngestError, ingest
from pipeline.ingest.clean import clean
from tests.conftest import SEED
from tests.make_docs import text_to_docx, text_to_pdf

settings.register_profile("default", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("10k", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SAMPLE = SEED.read_text(encoding="utf-8")[:3000]


def _documents() -> dict[str, bytes]:
    """Small valid documents of each binary format, to mutate: random bytes alone rarely get past a
    reader's first check."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        text_to_pdf(SAMPLE, Path(d) / "a.pdf")
        text_to_docx(SAMPLE, Path(d) / "a.docx")
        return {".pdf": (Path(d) / "a.pdf").read_bytes(), ".docx": (Path(d) / "a.docx").read_bytes()}


DOCS = _documents()


def _read(suffix: str, data: bytes) -> None:
    try:
        ingest(Path(f"random{suffix}"), data)
    except IngestError as e:
        assert str(e) and "\n" not in str(e), repr(str(e))


@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_random_bytes_as_any_format(data, suffix):
    _read(suffix, data)


@given(st.sampled_from(sorted(DOCS)), st.data())
def test_damaged_documents(suffix, data):
    """A real PDF or DOCX cut short, with bytes overwritten, or with bytes inserted."""
    doc = bytearray(DOCS[suffix])
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(doc) - 1))
        how = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip":
            doc[at] = data.draw(st.integers(0, 255))
        elif how == "cut":
            del doc[at:]
        else:
            doc[at:at] = data.draw(st.binary(min_size=1, max_size=64))
        if not doc:
            break
    _read(suffix, bytes(doc))


@given(st.sampled_from(sorted(DOCS)), st.data())
def test_damaged_docx_parts(suffix, data):
    """A DOCX whose XML parts are cut or filled with random text (the zip itself intact)."""
    if suffix != ".docx":
        return
    src = zipfile.ZipFile(io.BytesIO(DOCS[".docx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if data.draw(st.booleans()):
                body = body[: data.draw(st.integers(0, len(body)))] + data.draw(st.text(max_size=50)).encode()
            z.writestr(info, body)
    _read(".docx", out.getvalue())


@given(st.text(max_size=3000))
def test_random_unicode_through_the_text_reader_and_cleaning(text):
    for encoding in ("utf-8", "utf-16", "cp1251"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        _read(".txt", data)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_cleaning_takes_any_text(text):
    assert isinstance(clean(text), str)


@given(st.lists(st.sampled_from(SAMPLE.split() + ["-\n", "\n", "\n\n", "\f", "\u00ad", " ", "a", "Ω", "1"]),
                max_size=400))
def test_cleaning_takes_report_like_text_in_any_order(words):
    assert isinstance(clean(" ".join(words)), str)


@given(st.binary(max_size=2048))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_batch_reads_any_file_as_bytes_or_a_one_line_error(tmp_path, data):
    from batch.inputs import read_input

    path = tmp_path / "random.txt"
    path.write_bytes(data)
    assert read_input(path) == data


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_the_documents_to_mutate_are_read(suffix):
    assert "Омск" in ingest(Path(f"a{suffix}"), DOCS[suffix]).text.replace("ОМСК", "Омск")


def test_bytes_after_a_byte_order_mark_that_do_not_decode_are_a_one_line_error():
    with pytest.raises(IngestError):
        ingest(Path("a.txt"), "\x000".encode("utf-16"))  # FF FE 00 00 ...: taken for UTF-32


def test_a_pdf_whose_pages_fail_when_closed_is_a_one_line_error():
    pdf = DOCS[".pdf"].replace(b"/MissingWidth", b"/MissingWid\x0ch", 1)  # a broken font dictionary
    pdf = pdf.replace(b"00000 n \n", b"000\xdf\xc7\x859 n \n", 2)  # and a broken cross-reference table
    with pytest.raises(IngestError):
        ingest(Path("a.pdf"), pdf)
