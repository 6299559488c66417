"""cli.app: every command is there, and starting the command line loads none of what the commands run."""
import json
import subprocess
import sys
import types

import typer
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import GOLD_DIR
from tests.fixtures.corpus.make_corpus import CORPUS_DIR

runner = CliRunner()
COMMANDS = ["extract", "schema", "eval", "diff", "diff-schema", "compare", "prune", "server", "bench", "review"]


def test_every_command_is_there_in_order_with_its_help():
    assert list(typer.main.get_command(app).commands) == COMMANDS  # the order `--help` lists them in
    assert runner.invoke(app, ["--help"]).exit_code == 0
    for command in COMMANDS:
        r = runner.invoke(app, [command, "--help"])
        assert r.exit_code == 0 and "Usage:" in r.output, (command, r.output)


def test_the_command_line_starts_without_loading_what_its_commands_run():
    probe = ("import sys, json; import cli.app; "
             "print(json.dumps(sorted(m for m in ('benchmarks', 'prefect', 'natasha', 'pipeline.extract', 'flows.engine', "
             "'review.diff', 'review.compare', 'batch.plan', 'duckdb', 'pyarrow', 'plotly') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_eval_scores_each_gold_file_against_its_prediction(tmp_path):
    gold = sorted(GOLD_DIR.glob("*.gold.json"))
    r = runner.invoke(app, ["eval", *map(str, gold), "--extracted", str(CORPUS_DIR), "--json"])
    assert r.exit_code == 0, r.output
    scores = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(scores) == len(gold) and all(s["metadata"]["city_ok"] for s in scores)
    missing = runner.invoke(app, ["eval", str(gold[0]), "--extracted", str(tmp_path)])
    assert missing.exit_code == 1 and "no prediction" in " ".join(missing.output.split())


def test_bench_hands_its_options_to_benchmarks_bench(monkeypatch):
    seen = {}
    fake = types.ModuleType("benchmarks.bench")
    fake.main = lambda **kw: seen.update(kw) or 3
    monkeypatch.setitem(sys.modules, "benchmarks.bench", fake)
    r = runner.invoke(app, ["bench", "--n", "5", "--phases", "a,b", "--repeat", "2"])
    assert r.exit_code == 3, r.output  # its exit status is the bench's
    assert (seen["n"], seen["phases"], seen["repeat"], seen["prefect"]) == (5, ["a", "b"], 2, "server")


def test_help_into_a_pipe_that_closes_early_is_no_traceback():
    # `city-reports extract --help | head -1`: the reader goes away before the help is written
    proc = subprocess.Popen([sys.executable, "-m", "cli", "extract", "--help"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**__import__("os").environ, "COLUMNS": "80"})
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err, err
