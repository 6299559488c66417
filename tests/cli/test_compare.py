"""`city-reports compare --extracted DIR --out DIR`: every table written, one summary line; misuse one line, exit 2."""
from typer.testing import CliRunner

from cli.app import app
from review.compare import TABLES
from tests.fixtures.corpus.make_corpus import CORPUS_DIR, corpus_files

runner = CliRunner()


def test_compare_writes_every_table_and_says_where(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["compare", "--extracted", str(CORPUS_DIR), "--out", str(out)])
    assert r.exit_code == 0, r.output
    want = {f"{t.name}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {"compare.duckdb", "overview.html"}
    assert {p.name for p in out.iterdir()} == want
    assert f"{len(corpus_files())} reports compared into {out}/" in r.output
    assert (out / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_no_csv_bom(tmp_path):
    r = runner.invoke(app, ["compare", "--extracted", str(CORPUS_DIR), "--out", str(tmp_path / "o"), "--no-csv-bom"])
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "o" / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_misuse_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "f").write_text("x")
    for args in (["--extracted", str(tmp_path / "missing")], ["--extracted", str(tmp_path)],
                 ["--extracted", str(CORPUS_DIR), "--out", str(tmp_path / "f")]):
        r = runner.invoke(app, ["compare", *args, "--out", str(tmp_path / "o")] if "--out" not in args else ["compare", *args])
        assert r.exit_code == 2, (args, r.output)
        assert len([line for line in r.output.splitlines() if line.strip()]) == 1, r.output


def test_a_damaged_file_is_a_warning_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in corpus_files()[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "bad.json").write_text("{", encoding="utf-8")
    r = runner.invoke(app, ["compare", "--extracted", str(src), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0 and "warning:" in r.output and "bad.json" in r.output


def test_an_empty_folder_is_an_error(tmp_path):
    r = runner.invoke(app, ["compare", "--extracted", str(tmp_path), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
