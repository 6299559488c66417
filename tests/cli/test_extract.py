"""`city-reports extract` end to end: a killed run restarts to the same outputs; the exit status and
the summary survive the fast exit (cli.app.main)."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.slow


def _run(args, log_level="ERROR", **kw):
    env = dict(os.environ, PREFECT_LOGGING_LEVEL=log_level)
    return subprocess.Popen([sys.executable, "-m", "cli", "extract", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def _outputs(d):
    out = {}
    for p in sorted(d.glob("*.json")):
        if p.name == "_manifest.json":
            continue
        doc = json.loads(p.read_text(encoding="utf-8"))
        doc["pipeline"].pop("extracted_at")
        out[p.name] = doc
    return out


def test_killed_run_restarts_to_the_same_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))[:4]:
        (src / p.name).write_bytes(p.read_bytes())
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert _run([str(src), "--out", str(whole)]).wait(timeout=600) == 0

    proc = _run([str(src), "--out", str(killed)], start_new_session=True)
    deadline = time.time() + 600
    while time.time() < deadline and len(list(killed.glob("*.json"))) < 1:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not list(killed.glob("*.tmp")) or all(p.name.startswith(".") for p in killed.glob("*.tmp"))
    for p in killed.glob("*.json"):
        json.loads(p.read_text(encoding="utf-8"))  # every file there is whole
    for p in killed.glob(".*.tmp"):
        p.unlink()  # a temp file of the killed writer is never taken for output
    assert _run([str(src), "--out", str(killed)]).wait(timeout=600) == 0
    assert _outputs(killed) == _outputs(whole)


def test_command_exit_status_and_summary_survive_the_fast_exit(tmp_path):
    """`city-reports extract` ends without tearing down its heap (cli.app.main): its exit status
    still says whether a file failed, and its output is whole."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "omsk.txt").write_bytes(SEED.read_bytes())
    proc = _run([str(src), "--out", str(out)])
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 1, stderr.decode()[-2000:]
    assert "2 files: 1 ok, 0 with warnings, 0 unchanged, 1 failed" in stderr.decode()
    statuses = {f["path"].rsplit("/", 1)[-1]: f["status"] for f in json.loads((out / "_manifest.json").read_text())["files"]}
    assert statuses == {"empty.txt": "failed", "omsk.txt": "ok"}
    (src / "empty.txt").unlink()
    (src / "omsk.txt").write_bytes(SEED.read_bytes() + "\nЗадачи на 2023 год: открыть визит-центр.\n".encode())
    again = _run([str(src), "--out", str(out)], log_level="WARNING")  # the CLI's default level
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0
    assert "EventsWorker" not in stderr.decode(), stderr.decode()[-2000:]  # no events left for the exit to send


def test_piped_output_keeps_file_names_whole_and_shows_progress_lines(tmp_path):
    """No terminal: progress as plain lines, every file name whole on its line (no 80-column cut), a
    README in the folder skipped with a note, a non-report named explicitly failed, the summary."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    fixtures = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))[:3]
    names = [f"{'годовой-отчёт-администрации-' * 3}{i}-{f.name}" for i, f in enumerate(fixtures)]
    for f, name in zip(fixtures, names):
        (src / name).write_bytes(f.read_bytes())
    (src / "README.md").write_text("# what this folder is\n", encoding="utf-8")
    named = tmp_path / "notes.md"
    named.write_text("# named on the command line\n", encoding="utf-8")
    proc = _run([str(src), str(named), "--out", str(out)])
    _, stderr = proc.communicate(timeout=600)
    lines = stderr.decode().splitlines()
    assert proc.returncode == 1, stderr.decode()[-2000:]  # the named non-report fails
    for name in names:
        assert any(str(src / name) in line and "ok" in line for line in lines), name  # a table row, whole
    assert any(line.startswith("extract: ") and "files/s" in line for line in lines)  # progress without a terminal
    assert any(line.startswith("note: skipped 1 file") and "README.md" in line for line in lines)
    assert any(str(named) in line and "unsupported file type .md" in line for line in lines)
    assert any(line.startswith("4 files: 3 ok, 0 with warnings, 0 unchanged, 1 failed; 3 cities: ") for line in lines)
    assert max(len(line) for line in lines) > 80


def test_on_a_terminal_a_progress_bar_and_no_telemetry_notice(tmp_path):
    """A terminal (a pty): the rich bar with N/M and files/s; a first run in a fresh Prefect home with
    no telemetry variable set shows no Prefect telemetry notice (the command line sets DO_NOT_TRACK)."""
    import fcntl
    import pty
    import struct
    import termios

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for f in sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))[:2]:
        (src / f.name).write_bytes(f.read_bytes())
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED",
                                                            "PREFECT_HOME", "PREFECT_LOGGING_LEVEL")}
    env["CITY_REPORTS_PREFECT_HOME"] = str(tmp_path / "prefect")  # never used before: a first run
    proc = subprocess.Popen([sys.executable, "-m", "cli", "extract", str(src), "--out", str(out)], cwd=ROOT, env=env,
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=600) == 0
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    assert "2/2" in screen and "files/s" in screen and "extracting" in screen, screen[-3000:]
    assert "anonymous usage data" not in screen and "DO_NOT_TRACK" not in screen
    assert (tmp_path / "prefect" / "prefect.db").exists()  # the run was recorded in the project's Prefect home


def test_models_start_loading_before_the_options_are_parsed_only_when_surely_needed(tmp_path, monkeypatch):
    from cli.extract import surely_loads

    monkeypatch.delenv("CITY_REPORTS_RUNNER", raising=False)
    monkeypatch.delenv("CITY_REPORTS_DASK_ADDRESS", raising=False)
    new, done = tmp_path / "new", tmp_path / "done"
    done.mkdir()
    (done / "_manifest.json").write_text("{}", encoding="utf-8")
    assert surely_loads(["in", "--out", str(new)])
    assert surely_loads(["in", f"--out={new}", "--workers", "2"])
    assert not surely_loads(["in", "--out", str(done)])  # files may be unchanged: the plan decides
    assert surely_loads(["in", "--out", str(done), "--force"])
    assert not surely_loads(["in", "--out", str(new), "--runner", "dask"])
    assert not surely_loads(["in", "--out", str(new), "--address", "tcp://10.0.0.5:8786"])
    assert not surely_loads(["in", "--out", str(new), "--runner", "threads"])  # the checks will say why
    assert not surely_loads(["--help"])
    monkeypatch.setenv("CITY_REPORTS_RUNNER", "dask")
    assert not surely_loads(["in", "--out", str(new)])
