"""Misuse of the command line: one line on stderr saying what is wrong and what to do, exit status 2,
no traceback, no output folder created, before Prefect starts (each case well under Prefect's start-up);
and the conventions: bare `city-reports` and a bare group show the help, `-h`, `--version`."""
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED


def _cli(*args, cwd=ROOT, **env):
    return subprocess.run([sys.executable, "-m", "cli", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def _misuse(proc, *words):
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


@pytest.fixture
def reports(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / SEED.name).write_bytes(SEED.read_bytes())
    return src


CASES = {
    "missing input folder": (["extract", "{tmp}/no-such-folder"], {}, ["does not exist"]),
    "output path is a file": (["extract", "{src}", "--out", "{src}/" + SEED.name], {}, ["is a file, not a folder"]),
    "output below a file": (["extract", "{src}", "--out", "{src}/" + SEED.name + "/x"], {}, ["is a file"]),
    "unknown runner": (["extract", "{src}", "--runner", "foo"], {}, ["'foo' is not one of 'process', 'dask'"]),
    "negative workers": (["extract", "{src}", "--workers", "-1"], {}, ["--workers"]),
    "zero workers": (["extract", "{src}", "--workers", "0"], {}, ["--workers"]),
    "bad strict codes": (["extract", "{src}", "--strict", "No Year"], {}, ["--strict"]),
    "address without dask": (["extract", "{src}", "--runner", "process", "--address", "tcp://127.0.0.1:8786"], {},
                             ["needs --runner dask"]),
    "bad CITY_REPORTS_WORKERS": (["extract", "{src}"], {"CITY_REPORTS_WORKERS": "many"}, ["CITY_REPORTS_WORKERS"]),
    "bad CITY_REPORTS_RUNNER": (["extract", "{src}"], {"CITY_REPORTS_RUNNER": "spark"}, ["CITY_REPORTS_RUNNER", "spark"]),
    "bad CITY_REPORTS_DASK_ADDRESS": (["extract", "{src}"], {"CITY_REPORTS_DASK_ADDRESS": "my-cluster"},
                                      ["tcp://HOST:8786", "my-cluster"]),
    "bad CITY_REPORTS_FILE_SECONDS": (["extract", "{src}"], {"CITY_REPORTS_FILE_SECONDS": "-3"}, ["CITY_REPORTS_FILE_SECONDS"]),
    "bad CITY_REPORTS_WORKER_MB": (["extract", "{src}"], {"CITY_REPORTS_WORKER_MB": "lots"}, ["CITY_REPORTS_WORKER_MB"]),
    "bad CITY_REPORTS_WORKER_FILES": (["extract", "{src}"], {"CITY_REPORTS_WORKER_FILES": "0"}, ["CITY_REPORTS_WORKER_FILES"]),
    "empty folder": (["extract", "{tmp}/empty"], {}, ["nothing to do", "no report files"]),
    "folder of non-reports": (["extract", "{tmp}/docs"], {}, ["nothing to do"]),
    "unknown option": (["extract", "{src}", "--bogus"], {}, ["No such option", "--help"]),
    "eval without its gold file": (["eval", "{tmp}/missing.gold.json", "--extracted", "{src}"], {}, ["does not exist"]),
    "server without its action": (["server"], {}, ["Missing argument", "start, stop, status"]),
    "server with another action": (["server", "restart"], {}, ["'restart' is not one of"]),
    "diff format not a choice": (["diff", "{src}", "{src}", "--format", "xml"], {}, ["'xml' is not one of"]),
    "bench prefect not a choice": (["bench", "--prefect", "cloud"], {}, ["'cloud' is not one of"]),
    "compare without its folder": (["compare", "--extracted", "{tmp}/nothing", "--out", "{out}"], {}, ["--extracted"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_misuse_is_one_line_exit_2_and_creates_nothing(case, tmp_path, reports):
    args, env, words = CASES[case]
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# not a report\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [a.format(tmp=tmp_path, src=reports, out=out) for a in args]
    if "--out" not in args and args[0] == "extract":
        args += ["--out", str(out)]
    _misuse(_cli(*args, **env), *words)
    assert not out.exists()
    assert not (tmp_path / ".prefect").exists()


def test_bare_command_and_bare_groups_show_the_help():
    for args in ([], ["review"]):
        proc = _cli(*args)
        assert proc.returncode == 0 and "Usage:" in proc.stdout and "Traceback" not in proc.stderr, proc.stderr
    short = _cli("extract", "-h")
    assert short.returncode == 0 and "--strict" in short.stdout and "--force" in short.stdout


def test_version_names_the_package_and_the_pipeline():
    proc = _cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("city-reports ") and "(pipeline " in proc.stdout
