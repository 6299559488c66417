"""Worker processes that extract batches of files; plain multiprocessing, no Prefect.

Natasha, the gazetteers and the grammars are cached per process by the pipeline (`lru_cache`), so a
worker process keeps them for every later batch; the pool lives for one run.

Workers are started by multiprocessing's fork server: a fresh single-threaded process started once
(the calling process runs Prefect's threads, so forking *it* is unsafe). With `warm=True` that
server first loads everything (flows.preload extracts a tiny built-in report) and every worker is a
fork of it: the models load once, not once per worker, and their pages are shared. So
`extract_reports` can start the pool *before* it imports Prefect and connects to (or starts) an API
server: the models load on another core while the main process does Prefect's start-up.
Workers use one BLAS thread each: with N workers on N cores, more threads only spin and contend.
"""
import atexit
import gc
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

WARM_UP_TEXT = """Администрация города Омска
Отчёт о международной деятельности за 2021 год

1. Международное сотрудничество
Что удалось сделать: 15 марта 2021 года глава города Омска Иван Петрович Сидоров встретился с делегацией \
города Харбина (КНР) и подписал соглашение с ООО «Сибирский мост» о поставках на 5 млн рублей.
Что не удалось: провести три выставки в Казахстане.
Задачи на 2022 год: провести международный форум в Омске.
"""


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
    try:
        from pipeline.extract import extract

        extract(Path("warm-up.txt"), WARM_UP_TEXT.encode("utf-8"), "warm-up")
    except Exception:  # a warm-up problem must not break the pool; the real files will report it
        pass
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _init(warm: bool) -> None:
    pin_threads()
    atexit.register(exit_now)  # registered last, runs first
    if warm:
        warm_up()  # a moment when forked from a warm server; a full load when the server is cold


def exit_now() -> None:
    """End a worker without tearing down its heap object by object (about a second for the models):
    its outputs are already written and renamed into place, and it holds nothing else to flush."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_batch(items: list[tuple[str, dict | None]], out_dir: str, version: str) -> list:
    """process_file over a batch, in this process (a pool worker or a Dask worker)."""
    from batch.process import process_file

    return [process_file(Path(path), Path(out_dir), version, previous) for path, previous in items]


class WorkerPool:
    """A process pool for one run: `run(items, ...)` extracts a batch in a worker and returns its results.

    When a worker dies (killed, out of memory, a crash in native code) `run` raises BrokenProcessPool
    and the next `run` gets a fresh pool; flows.engine then retries file by file.
    """

    def __init__(self, workers: int, warm: bool = False):
        self.workers = workers
        self.warm = warm
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0
        self._early: dict[tuple[str, ...], object] = {}  # batches started before the flow asked for them
        self._starter: threading.Thread | None = None

    def _get(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.workers, mp_context=_context(self.warm),
                                                     initializer=_init, initargs=(self.warm,))
            return self._executor, self._generation

    def start_early(self, batches: list[list[tuple[str, dict | None]]], out_dir: str, version: str) -> None:
        """Start these batches, and so the workers, while the caller goes on starting Prefect: `run`
        with the same items then returns their results instead of extracting them again.
        Returns at once: starting a worker waits for the fork server to load the models."""

        def submit() -> None:
            executor, _ = self._get()
            for items in batches:
                self._early[_key(items)] = self._submit(executor, items, out_dir, version)

        self._started()
        self._starter = threading.Thread(target=submit, name="start-workers", daemon=True)
        self._starter.start()

    def _started(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None

    def run(self, items: list[tuple[str, dict | None]], out_dir: str, version: str) -> list:
        """Extract a batch; its files go to the workers one by one, so the workers share it (and the
        other batches in flight) file by file and finish together."""
        self._started()
        executor, generation = self._get()
        try:
            futures = self._early.pop(_key(items), None) or self._submit(executor, items, out_dir, version)
            return [r for f in futures for r in f.result()]
        except BrokenProcessPool:
            self._replace(generation)
            raise

    @staticmethod
    def _submit(executor: ProcessPoolExecutor, items, out_dir: str, version: str) -> list:
        return [executor.submit(run_batch, [item], out_dir, version) for item in items]

    def call(self, fn, *args):
        """Run a picklable function in one of the workers (diagnostics, tests)."""
        executor, _ = self._get()
        return executor.submit(fn, *args).result()

    def _replace(self, generation: int) -> None:
        with self._lock:
            if generation == self._generation and self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
                self._generation += 1
                self._early.clear()  # they died with the old workers

    def close(self) -> None:
        self._started()
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
            self._early.clear()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _key(items: list[tuple[str, dict | None]]) -> tuple[str, ...]:
    return tuple(path for path, _ in items)


def _context(warm: bool):
    """The fork-server context. Its server starts with the first pool of this process and serves
    every later one: warm (models loaded) when that first pool is."""
    pin_threads()  # inherited by the server before it imports numpy
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["flows.preload"] if warm else [])
    return ctx


_prestarted: WorkerPool | None = None


def prestart(workers: int, warm: bool) -> WorkerPool:
    """A pool for the flow about to run in this process: the caller starts its first batches
    (`start_early`), the flow takes it over (`take`)."""
    global _prestarted
    discard()
    _prestarted = WorkerPool(workers, warm)
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
