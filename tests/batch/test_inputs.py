"""batch.inputs: the files a batch is given (folders walked, hidden files left out), their hashes, duplicates."""
import hashlib

from batch.inputs import collect, duplicates, file_sha


def test_collect_walks_folders_sorted_without_hidden_files_or_manifests(tmp_path):
    src = tmp_path / "in"
    for name in ("b.txt", "a.pdf", "sub/c.docx", ".hidden.txt", "_manifest.json", ".git/x.txt"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(name, encoding="utf-8")
    named = tmp_path / "named.txt"
    named.write_text("x", encoding="utf-8")
    got = collect([src, named, src / "b.txt"])  # a file named again is listed once
    assert got == [src / "a.pdf", src / "b.txt", src / "sub" / "c.docx", named]


def test_same_content_under_another_name_is_a_duplicate_of_the_first(tmp_path, monkeypatch):
    a, b, c = (tmp_path / n for n in ("a.txt", "b.txt", "c.txt"))
    a.write_text("Отчёт", encoding="utf-8")
    b.write_text("Отчёт", encoding="utf-8")
    c.write_text("Другой отчёт", encoding="utf-8")
    assert duplicates([a, b, c]) == {b: a}
    shas = {f: file_sha(f) for f in (a, b, c)}
    assert shas[a] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert duplicates([a, b, c], shas) == {b: a}
    monkeypatch.setenv("CITY_REPORTS_MAX_BYTES", "3")  # too large to read: no hash, so nobody's duplicate
    assert file_sha(a) is None
    assert duplicates([a, b], {a: None, b: None}) == {}
