"""Where Prefect state lives and which API a run talks to; no Prefect import here (it costs seconds).

- A server started by `city-reports server` keeps its database under `<project>/.prefect/` and writes
  `<project>/.prefect/city-reports-server.json` ({"url", "pid", "port"}); `extract` finds it there.
- PREFECT_API_URL, when set (or set by a Prefect profile), always wins.
- Otherwise Prefect falls back to its ephemeral mode: a temporary API server per process.
"""
import json
import os
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STATE_ENV = "CITY_REPORTS_PREFECT_HOME"  # override the state folder (tests, several checkouts)
SERVER_FILE = "city-reports-server.json"

# Knobs for `city-reports extract` until it grows --workers/--runner/--address options.
WORKERS_ENV = "CITY_REPORTS_WORKERS"
RUNNER_ENV = "CITY_REPORTS_RUNNER"
ADDRESS_ENV = "CITY_REPORTS_DASK_ADDRESS"


def state_dir() -> Path:
    return Path(os.environ.get(STATE_ENV) or PROJECT / ".prefect")


def server_file() -> Path:
    return state_dir() / SERVER_FILE


def quiet_defaults() -> None:
    """Telemetry off and logs quiet unless the user asked otherwise (env set before this call wins).

    Effective when called before Prefect is imported (the CLI does so); harmless afterwards.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def healthy(api_url: str, timeout: float = 1.0) -> bool:
    """True when a Prefect API answers at `api_url` (…/api)."""
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def running_server() -> str | None:
    """The API URL of the server `city-reports server` started, if it is up; None otherwise."""
    try:
        info = json.loads(server_file().read_text(encoding="utf-8"))
        url = info["url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if healthy(url) else None


def default_workers() -> int:
    env = os.environ.get(WORKERS_ENV)
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
