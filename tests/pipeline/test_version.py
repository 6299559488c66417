"""pipeline.version: it changes with what makes an extraction (the stages, the rules, the schema) and
with nothing else (the command line, the batch, the flows, the diff and the reviews' code)."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from pipeline import version
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))
PRODUCT = ("cli", "flows", "batch", "review", "pipeline", "models")


def copy_of_the_product(dest):
    for name in PRODUCT:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.fixture()
def tree(tmp_path, monkeypatch):
    """A copy of the product that pipeline_version() reads instead of the real tree (which no test edits)."""
    code = copy_of_the_product(tmp_path / "code")
    monkeypatch.setattr(version, "ROOT", code)
    version.pipeline_version.cache_clear()
    yield code
    version.pipeline_version.cache_clear()


def edit(path, old: str | None = None, new: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    if old is None:
        text += "\n# an edit\n"
    else:
        assert old in text, (path, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def version_now() -> str:
    version.pipeline_version.cache_clear()
    return version.pipeline_version()


def test_a_copy_in_another_folder_has_the_same_version(tmp_path, monkeypatch):
    """The version is of the files' paths inside the project and their bytes, not of where it lies."""
    real = version_now()
    monkeypatch.setattr(version, "ROOT", copy_of_the_product(tmp_path / "code"))
    assert version_now() == real
    version.pipeline_version.cache_clear()


NOT_EXTRACTION = [
    ("cli/extract.py", '"""Extract every report file into', '"""Extract (a help text edited) every report file into'),
    ("cli/review.py", None, ""),
    ("review/diff.py", None, ""),
    ("review/apply.py", None, ""),
    ("review/templates/review.css", None, ""),
    ("batch/process.py", None, ""),
    ("flows/engine.py", None, ""),
    ("pipeline/files.py", None, ""),
    ("models/diff.schema.json", None, ""),
]
EXTRACTION = ["pipeline/rules/places.toml", "pipeline/dates.py", "pipeline/ingest/clean.py", "models/report.py"]


@pytest.mark.parametrize("name,old,new", NOT_EXTRACTION, ids=[n for n, *_ in NOT_EXTRACTION])
def test_an_edit_outside_the_extraction_keeps_the_version(tree, name, old, new):
    before = version_now()
    edit(tree / name, old, new)
    assert version_now() == before


@pytest.mark.parametrize("name", EXTRACTION)
def test_an_edit_to_a_stage_a_rule_or_the_schema_changes_the_version(tree, name):
    before = version_now()
    edit(tree / name)
    assert version_now() != before


def test_a_rule_change_reruns_the_files(tmp_path):
    """The pipeline version covers pipeline/rules/*: editing a rule file makes every file of a batch due again."""
    code = copy_of_the_product(tmp_path / "code")
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(FIXTURES[0], src / FIXTURES[0].name)
    probe = f"""
import json, hashlib
from pathlib import Path
from batch.manifest import FileResult, load_manifest, write_manifest
from batch.plan import make_plan
from batch.process import file_version
from pipeline.version import pipeline_version
src, out = Path({str(src)!r}), Path({str(out)!r})
f = next(src.iterdir())
if not load_manifest(out):
    (out / "{FIXTURES[0].stem}.json").parent.mkdir(exist_ok=True)
    sha = hashlib.sha256(f.read_bytes()).hexdigest()
    (out / "{FIXTURES[0].stem}.json").write_text(json.dumps({{"report_id": "{FIXTURES[0].stem}", "source": {{"sha256": sha}}}}))
    write_manifest(out, [FileResult(str(f), sha, "ok", "{FIXTURES[0].stem}", str(out / "{FIXTURES[0].stem}.json"),
                                    None, 1.0, file_version(pipeline_version(), "reviews.none"))])
plan = make_plan([str(src)], str(out))
print(json.dumps({{"version": plan.version, "todo": [str(p) for p in plan.todo]}}))
"""

    def run():
        p = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(code)})
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout.strip().splitlines()[-1])

    before = run()
    assert before["todo"] == []
    rule = code / "pipeline" / "rules" / "places.toml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a rule edit\n", encoding="utf-8")
    after = run()
    assert after["version"] != before["version"]
    assert after["todo"] == [str(src / FIXTURES[0].name)]
