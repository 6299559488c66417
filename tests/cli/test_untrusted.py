"""Ids and files read from outside, through `diff`, `compare` and `prune`: a crafted report_id in a
JSON (files, folders, git revisions) is refused or left out with a one-line warning; an option
smuggled in as a git revision is refused; nothing is written outside the folders given."""
import json
import subprocess

import typer
from typer.testing import CliRunner

from cli.app import app
from cli.prune import prune
from tests.fixtures.corpus.make_corpus import load
from tests.review.edits import write

SEED = "omsk-2021-international"
runner = CliRunner()


def _crafted(folder, name="x.json", report_id="../../x"):
    doc = load(SEED)
    doc["report_id"] = report_id
    return write(folder / name, doc)


def test_diff_refuses_a_crafted_report_id_in_a_file_and_leaves_it_out_of_a_folder(tmp_path):
    a, b = tmp_path / "a" / "in", tmp_path / "b" / "in"
    a.mkdir(parents=True), b.mkdir(parents=True)
    write(a / f"{SEED}.json", load(SEED))
    write(b / f"{SEED}.json", load(SEED))
    crafted = _crafted(b)
    r = runner.invoke(app, ["diff", str(a / f"{SEED}.json"), str(crafted)])
    assert r.exit_code == 2 and "is not a report id" in r.output
    pages = tmp_path / "a" / "pages"
    r = runner.invoke(app, ["diff", str(a), str(b), "--format", "html", "--out", str(pages)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in pages.iterdir()) == ["index.html", f"{SEED}.html"]
    assert not list(tmp_path.rglob("x.html"))


def test_a_git_revision_is_never_an_option_and_a_crafted_id_at_a_revision_is_left_out(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "extracted").mkdir(parents=True)
    write(repo / "extracted" / f"{SEED}.json", load(SEED))
    _crafted(repo / "extracted", "evil.json", "../../../evil")
    git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "run 1"], check=True)
    monkeypatch.chdir(repo)
    for rev in ("--output=/tmp/city-reports-pwn", "-p", "HEAD --output=x", "HEAD\n"):
        r = runner.invoke(app, ["diff", "--rev", rev])
        assert r.exit_code == 2 and "not a git revision" in r.output, (rev, r.output)
    assert not (tmp_path / "city-reports-pwn").exists()
    r = runner.invoke(app, ["diff", "--rev", "HEAD", "--format", "html", "--out", str(repo / "pages")])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (repo / "pages").iterdir()) == ["index.html", f"{SEED}.html"]
    assert not list(tmp_path.rglob("evil.html"))


def test_compare_leaves_out_a_crafted_json_and_the_orphaned_outputs(tmp_path):
    folder = tmp_path / "extracted"
    folder.mkdir()
    write(folder / f"{SEED}.json", load(SEED))
    gone = load(SEED)
    gone["report_id"] = "gone-report"
    write(folder / "gone-report.json", gone)
    _crafted(folder)
    (folder / "_manifest.json").write_text(json.dumps({"files": [
        {"path": "x/gone.txt", "report_id": "gone-report", "status": "orphaned", "output": "gone-report.json"}]}),
        encoding="utf-8")
    r = runner.invoke(app, ["compare", "--extracted", str(folder), "--out", str(tmp_path / "compare")])
    assert r.exit_code == 0, r.output
    assert "x.json" in r.output and "is not a report id" in r.output
    rows = (tmp_path / "compare" / "reports.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and rows[1].startswith(SEED)


def test_prune_removes_orphaned_outputs_and_keeps_reviews(tmp_path):
    cli = typer.Typer()
    cli.command()(prune)
    cli.command("noop")(lambda: None)
    folder = tmp_path / "extracted"
    (folder / "_reviews").mkdir(parents=True)
    for rid in ("kept", "gone"):
        (folder / f"{rid}.json").write_text("{}", encoding="utf-8")
        (folder / "_reviews" / f"{rid}.json").write_text("{}", encoding="utf-8")
    (tmp_path / "kept.txt").write_text("x", encoding="utf-8")
    (folder / "_manifest.json").write_text(json.dumps({"files": [
        {"path": str(tmp_path / "kept.txt"), "report_id": "kept", "status": "ok", "output": "kept.json"},
        {"path": str(tmp_path / "gone.txt"), "report_id": "gone", "status": "orphaned", "output": "gone.json"},
        {"path": str(tmp_path / "evil.txt"), "report_id": "../kept", "status": "orphaned", "output": "../kept.txt"}]}),
        encoding="utf-8")
    r = runner.invoke(cli, ["prune", "--extracted", str(folder), "--dry-run"])
    assert r.exit_code == 0 and "would remove" in r.output and (folder / "gone.json").exists()
    r = runner.invoke(cli, ["prune", "--extracted", str(folder)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.glob("*.json")) == ["_manifest.json", "kept.json"]
    assert sorted(p.name for p in (folder / "_reviews").iterdir()) == ["gone.json", "kept.json"]
    assert (tmp_path / "kept.txt").exists()
    entries = json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))["files"]
    assert [e["report_id"] for e in entries] == ["kept"]
    r = runner.invoke(cli, ["prune", "--extracted", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "does not exist" in r.output
