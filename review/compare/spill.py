"""What spans reports, kept on disk so that `compare`'s memory stays flat however many reports it reads.

A SQLite file of records, one table per kind ("person", "places", "task", ...): each record has a key
(what it is looked up or grouped by: a report id, a city, [city, year]) and a value, both kept as
JSON, which gives back exactly the values the report JSON held. Records come back in the order they
were added. Writes wait in a buffer of BATCH records and go in one transaction. Without a path the
file is in memory (for a unit test of a class that keeps its state here).
"""
import json
import sqlite3
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

BATCH = 1_000   # records waiting to be written (a few hundred kilobytes)


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Spill:
    def __init__(self, path: Path | None = None):
        self._db = sqlite3.connect(str(path) if path else ":memory:")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        self._kinds: set[str] = set()
        self._pending: list[tuple[str, str, str]] = []

    def add(self, kind: str, key, value) -> None:
        self._pending.append((kind, _dump(key), _dump(value)))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        with self._db:
            for kind, rows in groupby(self._pending, key=lambda r: r[0]):
                if kind not in self._kinds:
                    if not kind.isidentifier():
                        raise ValueError(f"not a name for a kind of record: {kind!r}")
                    self._db.execute(f"CREATE TABLE {kind} (key TEXT, value TEXT)")
                    self._db.execute(f"CREATE INDEX {kind}_by_key ON {kind} (key)")
                    self._kinds.add(kind)
                self._db.executemany(f"INSERT INTO {kind} VALUES (?, ?)", [r[1:] for r in rows])
        self._pending.clear()

    def _select(self, kind: str, sql: str, *args):
        self.flush()
        return self._db.execute(sql.format(kind=kind), args) if kind in self._kinds else iter(())

    def values(self, kind: str, key=...) -> Iterator:
        """The records of a kind (of one key, if given), in the order they were added."""
        if key is ...:
            rows = self._select(kind, "SELECT value FROM {kind} ORDER BY rowid")
        else:
            rows = self._select(kind, "SELECT value FROM {kind} WHERE key = ? ORDER BY rowid", _dump(key))
        return (json.loads(v) for v, in rows)

    def keys(self, kind: str) -> list:
        """The distinct keys of a kind, in the order they first came."""
        return [json.loads(k) for k, in self._select(kind, "SELECT key FROM {kind} GROUP BY key ORDER BY min(rowid)")]

    def groups(self, kind: str) -> Iterator[tuple[object, list]]:
        """(key, its records) for every key of a kind, keys in the order of their JSON text, one group in memory at a time."""
        rows = self._select(kind, "SELECT key, value FROM {kind} ORDER BY key, rowid")
        for key, group in groupby(rows, key=lambda row: row[0]):
            yield json.loads(key), [json.loads(v) for _, v in group]

    def close(self) -> None:
        self._pending.clear()
        self._db.close()
