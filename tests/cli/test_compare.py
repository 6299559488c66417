"""`city-reports compare`: the tables and the overview written, one line each on standard error."""
from typer.testing import CliRunner

from cli.app import app
from review.compare import TABLES
from tests.fixtures.corpus.make_corpus import CORPUS_DIR, corpus_files

runner = CliRunner()


def test_compare_writes_every_table_and_says_where(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["compare", "--extracted", str(CORPUS_DIR), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.csv" for t in TABLES] + ["compare.duckdb",
                                                                                            "overview.html"])
    assert f"{out / 'reports.csv'}: {len(corpus_files())} rows" in r.output


def test_an_empty_folder_is_an_error(tmp_path):
    r = runner.invoke(app, ["compare", "--extracted", str(tmp_path), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
