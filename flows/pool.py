"""Worker processes that extract batches of files; plain multiprocessing, no Prefect.

Natasha, the gazetteers and the grammars are cached per process by the pipeline (`lru_cache`), so a
worker process loads them once and keeps them for every later batch; the pool lives for one run.
With `warm=True` each worker loads everything as it starts (by extracting a tiny built-in report),
so `extract_reports` can start the pool *before* it imports Prefect and connects to (or starts) an
API server: the models load on the worker cores while the main process does Prefect's start-up.

Workers are started with `spawn` (the calling process runs Prefect's threads; forking it is unsafe)
and use one BLAS thread each: with N workers on N cores, more threads only spin and contend.
"""
import atexit
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
    """Load every model, gazetteer and grammar of the pipeline in this process (best effort)."""
    try:
        from pipeline.extract import extract

        extract(Path("warm-up.txt"), WARM_UP_TEXT.encode("utf-8"), "warm-up")
    except Exception:  # a warm-up problem must not break the pool; the real files will report it
        pass


def _init(warm: bool) -> None:
    pin_threads()
    atexit.register(_exit_now)  # registered last, runs first
    if warm:
        warm_up()


def _exit_now() -> None:
    """End a worker without tearing down its heap object by object (about a second for the models):
    its outputs are already written and renamed into place, and it holds nothing else to flush."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _noop() -> None:
    return None


def run_batch(items: list[tuple[str, dict | None]], out_dir: str, version: str) -> list:
    """process_file over a batch, in this process (a pool worker or a Dask worker)."""
    from pipeline.batch import process_file

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

    def start(self) -> "WorkerPool":
        """Start every worker now (each warms up in its initializer) without waiting for them."""
        executor, _ = self._get()
        for _ in range(self.workers):  # processes are spawned on demand: one per job while none is idle
            executor.submit(_noop)
        return self

    def _get(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._executor is None:
                pin_threads()  # inherited by the spawned workers before they import numpy
                self._executor = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                                     initializer=_init, initargs=(self.warm,))
            return self._executor, self._generation

    def start_early(self, batches: list[list[tuple[str, dict | None]]], out_dir: str, version: str) -> None:
        """Start these batches now, while the caller is still starting Prefect: `run` with the same
        items then returns their results instead of extracting them again."""
        executor, _ = self._get()
        for items in batches:
            self._early[tuple(p for p, _ in items)] = executor.submit(run_batch, items, out_dir, version)

    def run(self, items: list[tuple[str, dict | None]], out_dir: str, version: str) -> list:
        executor, generation = self._get()
        try:
            early = self._early.pop(tuple(p for p, _ in items), None)
            if early is not None:
                return early.result()
            return executor.submit(run_batch, items, out_dir, version).result()
        except BrokenProcessPool:
            self._replace(generation)
            raise

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
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
            self._early.clear()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_prestarted: WorkerPool | None = None


def prestart(workers: int, warm: bool) -> WorkerPool:
    """Start a pool for the flow that is about to run in this process (see `take`)."""
    global _prestarted
    discard()
    _prestarted = WorkerPool(workers, warm).start()
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
