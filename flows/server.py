"""The project's Prefect server, through Prefect's own commands: `prefect server start --background`
and `prefect server stop`, with PREFECT_HOME set to the project's state folder (flows.config), so the
server and the ephemeral runs share one database. No Prefect import here: the server is the
`prefect` command line.

Prefect records the server's pid in `<home>/server.pid`; this module adds `<home>/city-reports-server.json`
({"url", "ui", "port", "home"}), which is how `extract` finds the server, and waits until it answers.
"""
import json
import os
import subprocess
import sys
import time

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


class ServerError(RuntimeError):
    """The server could not be started or stopped: one line saying why."""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env.update({"PREFECT_HOME": str(state_dir()), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    env.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    for name, value in QUIET_SERVICES.items():
        env.setdefault(name, value)
    return env


def _prefect(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    home = state_dir()
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "prefect", "server", *args], env=_env(), cwd=home,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


def _last_line(p: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (p.stderr + "\n" + p.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {p.returncode}"


def start(port: int = DEFAULT_PORT, ui: bool = True, timeout: float = 180.0) -> dict:
    """Start the server unless ours is up; wait until it answers. Returns {"url", "ui", "port", "home", "pid"}."""
    if running_server():
        return status()
    if healthy(f"http://127.0.0.1:{port}/api"):  # Prefect would fail to bind, and its --background not say so
        raise ServerError(f"port {port} is taken by another Prefect server (another project's?): stop it")
    (state_dir() / "server.pid").unlink(missing_ok=True)  # a stale one (the server died): Prefect would refuse
    p = _prefect("start", "--background", "--host", "127.0.0.1", "--port", str(port), "--analytics-off",
                 *([] if ui else ["--no-ui"]))
    if p.returncode != 0:
        raise ServerError(f"prefect server start: {_last_line(p)}")
    info = {"url": f"http://127.0.0.1:{port}/api", "ui": f"http://127.0.0.1:{port}" if ui else None, "port": port,
            "home": str(state_dir())}
    deadline = time.monotonic() + timeout
    while not healthy(info["url"], timeout=1.0):
        if time.monotonic() > deadline:
            stop()
            raise ServerError(f"the Prefect server did not answer at {info['url']} within {timeout:.0f} s")
        time.sleep(0.25)
    tmp = server_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(info) + "\n", encoding="utf-8")
    tmp.replace(server_file())
    return status()


def status() -> dict | None:
    """{"url", "ui", "pid", ..., "healthy"} of the server we started, or None when there is none."""
    try:
        info = json.loads(server_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        info["pid"] = int((state_dir() / "server.pid").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info["pid"] = None
    info["healthy"] = healthy(info.get("url", ""))
    return info


def stop(timeout: float = 15.0) -> bool:
    """`prefect server stop`, then wait until the API no longer answers. True when one was running."""
    info = status()
    was_running = bool(info and info["healthy"])
    _prefect("stop")
    deadline = time.monotonic() + timeout
    while info and healthy(info.get("url", ""), timeout=0.5) and time.monotonic() < deadline:
        time.sleep(0.2)
    server_file().unlink(missing_ok=True)
    return was_running
