"""A local Prefect server in the background: `prefect server start` as a detached subprocess.

Its database and log live in the project's state folder (flows.config.state_dir(), `.prefect/`, used
as PREFECT_HOME), and it writes `city-reports-server.json` there with its URL and pid, which is how
`extract` finds it. No Prefect import here: the server is the `prefect` command line.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from flows.config import healthy, running_server, server_file, state_dir

DEFAULT_PORT = 4200

# A local server serves one team's batch runs: its housekeeping loops need not wake every 5 s (their
# default), which costs a few per cent of a core that the extraction workers want. Scheduling and
# the recording of runs keep their defaults; an environment variable set by the user wins.
QUIET_SERVICES = {
    "PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS": "60",
    "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "30",
}


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int = DEFAULT_PORT, ui: bool = True, timeout: float = 180.0) -> dict:
    """Start the server unless one of ours is up; wait until it answers. Returns {"url", "pid", "port"}."""
    url = running_server()
    if url:
        return json.loads(server_file().read_text(encoding="utf-8"))
    home = state_dir()
    home.mkdir(parents=True, exist_ok=True)
    if not _free(port):
        port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"),
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        "PREFECT_SERVER_UI_ENABLED": "true" if ui else "false",
    })
    for name, value in QUIET_SERVICES.items():
        env.setdefault(name, value)
    log = open(home / "server.log", "ab")
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
           "--analytics-off"]
    proc = subprocess.Popen(cmd, env=env, cwd=home, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # its own process group, stopped as a whole
    log.close()
    info = {"url": f"http://127.0.0.1:{port}/api", "pid": proc.pid, "port": port, "home": str(home),
            "started": time.time()}
    deadline = time.monotonic() + timeout
    while not healthy(info["url"], timeout=1.0):
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited with {proc.returncode}; see {home / 'server.log'}")
        if time.monotonic() > deadline:
            _terminate(proc.pid)
            raise RuntimeError(f"prefect server did not answer within {timeout:.0f} s; see {home / 'server.log'}")
        time.sleep(0.25)
    tmp = server_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(info) + "\n", encoding="utf-8")
    tmp.replace(server_file())
    return info


def status() -> dict | None:
    """{"url", "pid", ..., "healthy"} of the server we started, or None when there is none."""
    try:
        info = json.loads(server_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    info["healthy"] = healthy(info.get("url", ""))
    return info


def stop(timeout: float = 15.0) -> bool:
    """Stop the server we started (by the pid we recorded). True when one was running."""
    info = status()
    if info is None:
        return False
    pid = int(info.get("pid", 0))
    stopped = _ours(pid) and _terminate(pid, timeout)
    server_file().unlink(missing_ok=True)
    return stopped


def _ours(pid: int) -> bool:
    """The recorded pid is still a `prefect server start` (pids get reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        try:
            os.kill(pid, 0)
            return True  # not Linux: trust the pid file
        except OSError:
            return False
    return b"prefect" in cmdline and b"server" in cmdline


def _terminate(pid: int, timeout: float = 15.0) -> bool:
    """SIGTERM the server's process group (it was started in its own session), SIGKILL if it lingers."""
    try:
        pgid = os.getpgid(pid)
    except OSError:
        return False
    kill = (lambda sig: os.killpg(pgid, sig)) if pgid == pid else (lambda sig: os.kill(pid, sig))
    try:
        kill(signal.SIGTERM)
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        try:  # reap it if it is our child
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.2)
    try:
        kill(signal.SIGKILL)
    except OSError:
        pass
    return True
