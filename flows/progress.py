"""How a run shows its progress: a rich bar on a terminal, else a plain line now and then.

    bar    (a terminal) N/M, the current file, files/s and the time left, redrawn in place
    lines  (no terminal: cron, CI, a pipe) a line on stderr every LINE_SECONDS or every 10 % of the files
    log    (a deployment run) the same lines through the Prefect run logger
    off    nothing
"""
import sys
import threading
import time

MODES = ("bar", "lines", "log", "off")
LINE_SECONDS = 5.0


class Progress:
    """`start(total, done)` once, `file(result)` per finished file (any thread), `close()` at the end."""

    def __init__(self, mode: str = "off", write=None):
        if mode not in MODES:
            raise ValueError(f"progress must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self._write = write or (lambda line: print(line, file=sys.stderr, flush=True))
        self._lock = threading.Lock()
        self._bar = None
        self.total = self.done = self._skipped = 0
        self._started = self._last_line = time.monotonic()
        self._last_pct = 0

    def start(self, total: int, done: int = 0, since: float | None = None) -> None:
        """`total` files, `done` of them already settled before any extraction (unchanged, ...);
        `since`: when the extraction began (time.monotonic(); default now), for the rate."""
        self.total, self.done, self._skipped = total, done, done
        self._last_line = time.monotonic()
        self._started = since or self._last_line
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                       TimeRemainingColumn)

            self._bar = Bar(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            TextColumn("{task.fields[current]}"), console=Console(stderr=True))
            self._task = self._bar.add_task("extracting", total=total, completed=done, rate="", current="")
            self._bar.start()

    def file(self, result) -> None:
        with self._lock:
            self.done += 1
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done, rate=self.rate_text(), current=result.path)
            elif self.mode in ("lines", "log"):
                now, pct = time.monotonic(), 100 * self.done // max(1, self.total)
                if now - self._last_line >= LINE_SECONDS or pct // 10 > self._last_pct // 10 or self.done == self.total:
                    self._last_line, self._last_pct = now, pct
                    self._write(self.line(result.path))

    def rate(self) -> float:
        """Files extracted per second so far (those settled before any extraction left out)."""
        return (self.done - self._skipped) / max(1e-9, time.monotonic() - self._started)

    def rate_text(self) -> str:
        return f"{self.rate():.2f} files/s"

    def eta(self) -> str:
        rate = self.rate()
        if rate <= 0:
            return "?"
        left = int((self.total - self.done) / rate)
        return f"{left // 60}m{left % 60:02d}s" if left >= 60 else f"{left}s"

    def line(self, current: str) -> str:
        pct = 100 * self.done // max(1, self.total)
        return f"extract: {self.done}/{self.total} files ({pct}%), {self.rate_text()}, {self.eta()} left; last {current}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
