"""Worker processes that extract files one by one; plain multiprocessing (pebble), no Prefect.

Natasha, the gazetteers and the grammars are cached per process by the pipeline (`lru_cache`), so a
worker process keeps them for every later file; the pool lives for one run.

Workers are started by multiprocessing's fork server: a fresh single-threaded process started once
(the calling process runs Prefect's threads, so forking *it* is unsafe). With `warm=True` that
server first loads everything (flows.preload extracts a tiny built-in report) and every worker is a
fork of it: the models load once, not once per worker, and their pages are shared. So
`extract_reports` can start the pool *before* it imports Prefect and connects to (or starts) an API
server: the models load on another core while the main process does Prefect's start-up.
Workers use one BLAS thread each: with N workers on N cores, more threads only spin and contend.

Each file is one task of a pebble ProcessPool, with two bounds (flows.config):
- time: a file still running after `file_seconds` is stopped with its worker and fails with its
  own message; a new worker (a fork of the warm server) takes its place;
- memory: a worker watches its own resident memory and ends itself when it passes `worker_mb`;
  that file fails with its own message. A worker that dies any other way (the OOM killer, a crash
  in native code) fails only the file it had. The other workers and their files go on untouched.
A worker that has read `worker_files` files ends after its last one and a fresh fork takes its place:
what a worker accumulates over a long run (caches, spaCy's strings) stays bounded.
"""
import atexit
import gc
import os
import sys
import threading
import time
from concurrent.futures import TimeoutError, as_completed
from multiprocessing import get_context
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from batch.inputs import file_sha
from batch.manifest import FileResult
from flows.config import FILE_SECONDS_ENV, WORKER_MB_ENV
from pipeline.slug import report_id

ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
OVER_BUDGET = 86  # the exit status of a worker that ended itself over its memory budget
WATCH_SECONDS = 0.2

WARM_UP_TEXT = """Администрация города Омска
Отчёт о международной деятельности за 2021 год

1. Международное сотрудничество
Что удалось сделать: 15 марта 2021 года глава города Омска Иван Петрович Сидоров встретился с делегацией \
города Харбина (КНР) и подписал соглашение с ООО «Сибирский мост» о поставках на 5 млн рублей.
Что не удалось: провести три выставки в Казахстане.
Задачи на 2022 год: провести международный форум в Омске.
"""

Item = tuple[str, dict | None]  # (path, its entry in the last manifest)


def pin_threads() -> None:
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")


def warm_up() -> None:
    """Load every model, gazetteer and grammar of the pipeline in this process (best effort), then
    freeze them out of the garbage collector's view: they live as long as the process, and full
    collections no longer walk (nor, in a forked worker, write to and so copy) their millions of
    objects. The collector is off while they load: they are all kept, and collections that walk a
    heap growing by millions of objects cost a fifth of the load (0.65 of 3.35 s measured)."""
    enabled = gc.isenabled()
    gc.disable()
    asking = None
    try:
        from batch.process import environment

        # Tesseract is asked what it can do once here, not by every worker on its first file; its
        # two runs (0.3 s of waiting) overlap the loading
        asking = threading.Thread(target=_quietly, args=(environment,), name="ask-tesseract")
        asking.start()
        from pipeline.extract import extract

        extract(Path("warm-up.txt"), WARM_UP_TEXT.encode("utf-8"), "warm-up")
    except Exception:  # a warm-up problem must not break the pool; the real files will report it
        pass
    finally:
        if asking is not None:
            asking.join()
        gc.freeze()
        if enabled:
            gc.enable()


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:  # as in warm_up: the real files will report it
        pass


def _init(warm: bool, worker_mb: int | None) -> None:
    pin_threads()
    atexit.register(exit_now)  # registered last, runs first
    if worker_mb:
        threading.Thread(target=_watch_memory, args=(worker_mb,), name="memory-budget", daemon=True).start()
    if warm:
        warm_up()  # a moment when forked from a warm server; a full load when the server is cold


def _watch_memory(worker_mb: int) -> None:
    """End this worker when its resident memory passes the budget (the pool fails its file)."""
    import psutil

    me, limit = psutil.Process(), worker_mb * 2**20
    while True:
        if me.memory_info().rss > limit:
            os._exit(OVER_BUDGET)
        time.sleep(WATCH_SECONDS)


def exit_now() -> None:
    """End a worker without tearing down its heap object by object (about a second for the models):
    its outputs are already written and renamed into place, and it holds nothing else to flush."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_batch(items: list[Item], out_dir: str, version: str, options: dict | None = None) -> list[FileResult]:
    """process_file over a batch, in this process (a pool worker or a Dask worker). `options`:
    the keyword options of process_file (strict, force)."""
    from batch.process import process_file

    return [process_file(Path(path), Path(out_dir), version, previous, **(options or {})) for path, previous in items]


def failed(item: Item, version: str, error: str) -> FileResult:
    """The result of a file that its worker could not finish (under the id its plan gave it)."""
    path, entry = item
    p = Path(path)
    return FileResult(path, file_sha(p), "failed", (entry or {}).get("assigned_id") or report_id(p), None, error,
                      0.0, version)


class WorkerPool:
    """A process pool for one run: `run(items, ...)` extracts a batch, file by file, in the workers.

    `file_seconds` and `worker_mb` bound every file (None: no bound). A file that passes a bound,
    or whose worker dies, fails alone with its own message; a new worker takes the place of the old,
    as it does after a worker's `worker_files` files (None: a worker lives as long as the pool).
    """

    def __init__(self, workers: int, warm: bool = False, file_seconds: float | None = None,
                 worker_mb: int | None = None, worker_files: int | None = None):
        self.workers = workers
        self.warm = warm
        self.file_seconds = file_seconds
        self.worker_mb = worker_mb
        self.worker_files = worker_files
        self.created = time.monotonic()  # when the run's extraction began (progress rates)
        self._lock = threading.Lock()
        self._pool: ProcessPool | None = None
        self._early: dict[tuple[str, ...], list] = {}  # files started before the flow asked for them
        self._starter: threading.Thread | None = None

    def _get(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPool(self.workers, max_tasks=self.worker_files or 0, context=_context(self.warm),
                                         initializer=_init, initargs=(self.warm, self.worker_mb))
            return self._pool

    def start_early(self, batches: list[list[Item]], out_dir: str, version: str, options: dict | None = None) -> None:
        """Start these batches, and so the workers, while the caller goes on starting Prefect: `run`
        with the same items then returns their results instead of extracting them again.
        Returns at once: starting a worker waits for the fork server to load the models."""

        def submit() -> None:
            pool = self._get()
            for items in batches:
                self._early[_key(items)] = self._submit(pool, items, out_dir, version, options)

        self._started()
        self._starter = threading.Thread(target=submit, name="start-workers", daemon=True)
        self._starter.start()

    def _started(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None

    def run(self, items: list[Item], out_dir: str, version: str, options: dict | None = None,
            on_result=None) -> list[FileResult]:
        """Extract a batch; its files go to the workers one by one, so the workers share it (and the
        other batches in flight) file by file and finish together. `on_result(result)` is called as
        each file finishes (progress); the results come back in input order."""
        self._started()
        futures = self._early.pop(_key(items), None) or self._submit(self._get(), items, out_dir, version, options)
        item_of = {f: item for f, item in zip(futures, items)}
        done = {}
        for future in as_completed(futures):
            done[future] = self._result(future, item_of[future], version)
            if on_result is not None:
                on_result(done[future])
        return [done[f] for f in futures]

    def _submit(self, pool: ProcessPool, items: list[Item], out_dir: str, version: str, options: dict | None) -> list:
        return [pool.schedule(run_batch, args=([item], out_dir, version, options), timeout=self.file_seconds)
                for item in items]

    def _result(self, future, item: Item, version: str) -> FileResult:
        try:
            return future.result()[0]
        except TimeoutError:
            return failed(item, version, f"stopped after {self.file_seconds:g} s, the time bound per file "
                                         f"({FILE_SECONDS_ENV}): a pathological input?")
        except ProcessExpired as e:
            if e.exitcode == OVER_BUDGET:
                return failed(item, version, f"stopped: its worker passed {self.worker_mb} MB, the memory budget "
                                             f"per worker ({WORKER_MB_ENV})")
            return failed(item, version, f"worker process died while extracting this file (exit status {e.exitcode})")
        except Exception as e:  # the pool itself failed this file (arguments or results that do not pickle, ...)
            return failed(item, version, f"{type(e).__name__}: {e}".replace("\n", " "))

    def call(self, fn, *args):
        """Run a picklable function in one of the workers (diagnostics, tests)."""
        return self._get().schedule(fn, args=args).result()

    def close(self) -> None:
        self._started()
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # nothing is pending: every result was collected or is not wanted
                self._pool.join()
                self._pool = None
            self._early.clear()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _key(items: list[Item]) -> tuple[str, ...]:
    return tuple(path for path, _ in items)


def _context(warm: bool):
    """The fork-server context. Its server starts with the first pool of this process and serves
    every later one: warm (models loaded) when that first pool is."""
    pin_threads()  # inherited by the server before it imports numpy
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["flows.preload"] if warm else [])
    return ctx


def start_warm_server() -> None:
    """Start the fork server now, loading the models, without waiting for it: the first pool of this
    process forks its workers from it (for a run known to need the models before it has planned)."""
    from multiprocessing import forkserver

    _context(True)
    forkserver.ensure_running()


_prestarted: WorkerPool | None = None


def prestart(workers: int, warm: bool, **bounds) -> WorkerPool:
    """A pool for the flow about to run in this process (`bounds`: WorkerPool's): the caller starts
    its first batches (`start_early`), the flow takes it over (`take`)."""
    global _prestarted
    discard()
    _prestarted = WorkerPool(workers, warm, **bounds)
    return _prestarted


def take(workers: int) -> WorkerPool | None:
    """The pool `prestart` started, if it has `workers` processes; the caller then owns it."""
    global _prestarted
    pool, _prestarted = _prestarted, None
    if pool is not None and pool.workers != workers:
        pool.close()
        return None
    return pool


def discard() -> None:
    global _prestarted
    if _prestarted is not None:
        _prestarted.close()
        _prestarted = None
