"""Limits on what an input expands to (pipeline.ingest.limits, rules/limits.toml [expansion]): a PDF
stream past its bound and a text too long fail with a one-line error, and the batch goes on.
(Zip packages: tests/batch/test_faults.py.)"""
import zlib
from pathlib import Path

import pytest

from batch.process import process_file
from pipeline.ingest import limits
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.raw import IngestError
from tests.batch.test_faults import _pdf_bomb
from tests.conftest import SEED


def test_a_pdf_stream_is_decompressed_up_to_its_bound(monkeypatch):
    z = limits.BoundedZlib()
    data = zlib.compress(b"0 0 m 1 1 l S\n" * 1000)
    assert z.decompress(data) == b"0 0 m 1 1 l S\n" * 1000 and z.error is zlib.error
    monkeypatch.setitem(limits.LIMITS, "pdf_stream_bytes", 5000)
    with pytest.raises(IngestError, match="a PDF stream expands past"):
        z.decompress(data)


def test_a_pdf_whose_stream_expands_past_the_bound_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "pdf_stream_bytes", 1_000_000)
    with pytest.raises(IngestError, match=r"^corrupt PDF: none of its 1 pages could be read$"):
        read_pdf(_pdf_bomb(2_000_000))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bomb.pdf").write_bytes(_pdf_bomb(2_000_000))
    (tmp_path / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    bad = process_file(tmp_path / "in" / "bomb.pdf", tmp_path / "out", "v1")
    good = process_file(tmp_path / "in" / "seed.txt", tmp_path / "out", "v1")
    assert (bad.status, bad.error, good.status) == ("failed", "corrupt PDF: none of its 1 pages could be read", "ok")


def test_too_much_text_fails_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "text_chars", 1000)
    with pytest.raises(IngestError, match=r"^too much text: 1,001 characters read \(limit 1,000, limits.toml"):
        limits.check_text("а" * 1001)
    limits.check_text("а" * 1000)
    (tmp_path / "long.txt").write_text("Текст отчёта. " * 100, encoding="utf-8")
    result = process_file(tmp_path / "long.txt", tmp_path / "out", "v1")
    assert result.status == "failed" and result.error.startswith("too much text: 1,400 characters")
