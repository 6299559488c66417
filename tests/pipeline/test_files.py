"""pipeline.files: atomic writes and content hashes."""
import hashlib

import pytest

from pipeline.files import sha256_file, write_atomic


def test_atomic_write_leaves_old_file_when_interrupted(tmp_path):
    target = tmp_path / "a.json"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # fails while writing
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_sha256_of_a_file_or_none_when_it_cannot_be_read(tmp_path):
    data = "Отчёт".encode() * 300_000  # more than one block
    (tmp_path / "a.txt").write_bytes(data)
    assert sha256_file(tmp_path / "a.txt") == hashlib.sha256(data).hexdigest()
    assert sha256_file(tmp_path / "missing.txt") is None
    assert sha256_file(tmp_path) is None  # a folder
