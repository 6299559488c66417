"""Where Prefect state lives, which API a run talks to, and the run's options read from the
environment; no Prefect import here (it costs seconds).

- One Prefect home per project: `<project>/.prefect/` (or $PREFECT_HOME when you set it, or
  CITY_REPORTS_PREFECT_HOME). The command line points PREFECT_HOME there before Prefect loads, so
  ephemeral runs and the server `city-reports server start` runs record into the same database: one
  run history, whichever way the flow was started. Your Prefect profiles stay in ~/.prefect.
- The server `city-reports server start` started is found through `<home>/city-reports-server.json`
  ({"url", "ui", "port"}) and Prefect's own `<home>/server.pid`.
- PREFECT_API_URL, when set (or set by a Prefect profile), always wins.
- Otherwise Prefect falls back to its ephemeral mode: a temporary API server per process.
"""
import json
import os
import re
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STATE_ENV = "CITY_REPORTS_PREFECT_HOME"  # override the state folder (tests, several checkouts)
SERVER_FILE = "city-reports-server.json"

WORKERS_ENV = "CITY_REPORTS_WORKERS"
RUNNER_ENV = "CITY_REPORTS_RUNNER"
ADDRESS_ENV = "CITY_REPORTS_DASK_ADDRESS"
FILE_SECONDS_ENV = "CITY_REPORTS_FILE_SECONDS"
WORKER_MB_ENV = "CITY_REPORTS_WORKER_MB"
WORKER_FILES_ENV = "CITY_REPORTS_WORKER_FILES"

RUNNERS = ("process", "dask")
FILE_SECONDS = 600  # a file that takes longer is stopped and fails alone (a sign of a pathological input)
WORKER_FILES = 5000  # a worker reads this many files, then a fresh fork of the warm server takes its place
ADDRESS = re.compile(r"(tcp|tls|ws|wss|ucx)://(\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):\d{1,5}")


class ConfigError(ValueError):
    """A bad option or environment value: one line saying what is wrong and what to do."""


def state_dir() -> Path:
    return Path(os.environ.get(STATE_ENV) or os.environ.get("PREFECT_HOME") or PROJECT / ".prefect")


def server_file() -> Path:
    return state_dir() / SERVER_FILE


def quiet_defaults() -> None:
    """The project's Prefect home, telemetry off and quiet logs unless the user asked otherwise
    (a variable set before this call wins). Effective when called before Prefect is imported (the
    CLI does so); harmless afterwards."""
    if STATE_ENV in os.environ or "PREFECT_HOME" not in os.environ:  # the home the server uses too
        os.environ.setdefault("PREFECT_PROFILES_PATH", str(Path.home() / ".prefect" / "profiles.toml"))
        os.environ["PREFECT_HOME"] = str(state_dir())
    os.environ.setdefault("DO_NOT_TRACK", "1")
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
        url = json.loads(server_file().read_text(encoding="utf-8"))["url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if healthy(url) else None


def _positive(name: str, value: str | int | float | None, kind=int) -> int | float | None:
    if value is None or value == "":
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise ConfigError(f"{name} must be a positive {'whole ' if kind is int else ''}number, not {value!r}")
    return number


def workers(value: int | str | None = None) -> int:
    """Worker processes: `value`, else CITY_REPORTS_WORKERS, else every core this process may use."""
    given = _positive("--workers", value) or _positive(WORKERS_ENV, os.environ.get(WORKERS_ENV))
    if given:
        return int(given)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)



def runner_and_address(runner: str | None = None, address: str | None = None) -> tuple[str, str | None]:
    """The runner and Dask scheduler: the values given, else CITY_REPORTS_RUNNER and
    CITY_REPORTS_DASK_ADDRESS; an address alone means "dask"."""
    address = address or os.environ.get(ADDRESS_ENV) or None
    source = "--runner" if runner else RUNNER_ENV
    runner = runner or os.environ.get(RUNNER_ENV) or ("dask" if address else "process")
    if runner not in RUNNERS:
        raise ConfigError(f"{source} must be one of {', '.join(RUNNERS)}, not {runner!r}")
    if address and not ADDRESS.fullmatch(address):
        raise ConfigError(f"the Dask scheduler address must look like tcp://HOST:8786, not {address!r} "
                          f"(--address or {ADDRESS_ENV})")
    if address and runner != "dask":
        raise ConfigError(f"a Dask scheduler address ({address}) needs --runner dask")
    return runner, address


def file_seconds() -> float:
    """The time bound per file: CITY_REPORTS_FILE_SECONDS, default 600."""
    return _positive(FILE_SECONDS_ENV, os.environ.get(FILE_SECONDS_ENV), float) or FILE_SECONDS


def worker_mb(workers: int) -> int:
    """The memory budget of one worker process (its resident memory, the models it shares
    included): CITY_REPORTS_WORKER_MB, else 80 % of this machine's memory shared by the workers."""
    given = _positive(WORKER_MB_ENV, os.environ.get(WORKER_MB_ENV))
    if given:
        return int(given)
    import psutil

    return max(1024, int(0.8 * psutil.virtual_memory().total / 2**20 / max(1, workers)))


def worker_files() -> int:
    """Files a worker process reads before a fresh one takes its place: CITY_REPORTS_WORKER_FILES,
    default 5000. A worker's caches and spaCy's string store grow with every new word it meets (RSS
    515 MB after 4,750 reports against 306 MB fresh, measured), and a worker over its memory budget
    fails its file; a fresh fork of the warm server starts at the fresh figure, in a moment."""
    return int(_positive(WORKER_FILES_ENV, os.environ.get(WORKER_FILES_ENV)) or WORKER_FILES)


def pool_bounds(workers: int) -> dict:
    """The bounds of a run's worker pool (flows.pool.WorkerPool's keyword arguments)."""
    return {"file_seconds": file_seconds(), "worker_mb": worker_mb(workers), "worker_files": worker_files()}


def check_environment() -> None:
    """Every CITY_REPORTS_* run option set in the environment, checked at once (ConfigError)."""
    runner_and_address()
    pool_bounds(workers())
