"""Where the tables go, row batch by row batch: `<table>.csv`, `<table>.parquet`, then `compare.duckdb`.

CSV is UTF-8 with a BOM unless told otherwise (Excel on a Russian Windows reads it right), and a
cell that a spreadsheet would run as a formula (a string starting with = + - @, a tab or a carriage
return: OWASP's CSV-injection rule) starts with an apostrophe. Parquet and DuckDB keep the values
as they are, typed as review/compare/tables.py says; DuckDB carries the column texts as comments.
"""
import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from review.compare.tables import BY_NAME, TABLES, Table

ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
FORMULA = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2_000            # rows per Parquet row group: what a table holds in memory before it is written
MEMORY_LIMIT = "12MB"    # DuckDB's buffer while it loads the Parquet files (it spills to the temporary folder beyond that)
MEMORY_AGAIN = "1GB"     # the buffer of a second try, should a table's row group not fit in MEMORY_LIMIT
ROW_GROUP = 8_192        # rows per DuckDB row group: what it has to hold at once while it stores a table


def cell(value):
    """A CSV cell: "" for None; a string a spreadsheet would take for a formula gets a leading "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def coerce(value, kind: str):
    """A value of the column's type, or None (bad input never stops the tables)."""
    if value is None:
        return None
    try:
        if kind == "str":
            return value if isinstance(value, str) else str(value)
        if kind == "int":
            return None if isinstance(value, bool) else int(value)
        if kind == "float":
            return None if isinstance(value, bool) else float(value)
        return bool(value)
    except (TypeError, ValueError, OverflowError):
        return None


def schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW[c.type]) for c in table.columns])


class Sinks:
    """One CSV and one Parquet writer per table; `write` takes row dicts, `close` finishes the files."""

    def __init__(self, out: Path, csv_bom: bool = True):
        self.out = out
        self.counts = {t.name: 0 for t in TABLES}
        self._files, self._csv, self._parquet, self._buffer = {}, {}, {}, {t.name: [] for t in TABLES}
        for t in TABLES:
            f = open(out / f"{t.name}.csv", "w", encoding="utf-8-sig" if csv_bom else "utf-8", newline="")
            self._files[t.name] = f
            self._csv[t.name] = w = csv.writer(f)
            w.writerow(t.names)
            self._parquet[t.name] = pq.ParquetWriter(out / f"{t.name}.parquet", schema(t))

    def write(self, name: str, rows) -> None:
        table, buf, w = BY_NAME[name], self._buffer[name], self._csv[name]
        cols = table.names
        for r in rows:
            values = [r.get(c) for c in cols]
            w.writerow([cell(v) for v in values])
            buf.append(values)
            self.counts[name] += 1
            if len(buf) >= BATCH:
                self._flush(name)

    def _flush(self, name: str) -> None:
        buf = self._buffer[name]
        if not buf:
            return
        table = BY_NAME[name]
        columns = list(zip(*buf))
        try:
            arrays = [pa.array(col, type=ARROW[c.type]) for col, c in zip(columns, table.columns)]
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            arrays = [pa.array([coerce(v, c.type) for v in col], type=ARROW[c.type])
                      for col, c in zip(columns, table.columns)]
        self._parquet[name].write_table(pa.Table.from_arrays(arrays, schema=schema(table)))
        buf.clear()
        pa.default_memory_pool().release_unused()   # Arrow's allocator would keep what the batch took

    def close(self) -> None:
        for t in TABLES:
            self._flush(t.name)
            self._parquet[t.name].close()
            self._files[t.name].close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_duckdb(out: Path, scratch: Path) -> Path:
    """compare.duckdb: every table read from its Parquet file, with the dictionary's comments. DuckDB's
    buffer is capped (MEMORY_LIMIT, spilling to `scratch`) and its row groups kept small (ROW_GROUP): what
    it holds while it stores a table then stays the same however long the table is."""
    import duckdb

    path = out / "compare.duckdb"
    try:
        _load(path, out, scratch, MEMORY_LIMIT)
    except duckdb.Error as e:
        if "memory" not in str(e).lower() and "allocate" not in str(e).lower():
            raise
        _load(path, out, scratch, MEMORY_AGAIN)
    return path


def _load(path: Path, out: Path, scratch: Path, memory: str) -> None:
    import duckdb

    path.unlink(missing_ok=True)
    con = duckdb.connect(config={"memory_limit": memory, "threads": 1, "temp_directory": str(scratch)})
    try:
        con.execute(f"ATTACH {_sql(str(path))} AS compare (ROW_GROUP_SIZE {ROW_GROUP})")
        con.execute("USE compare")
        for t in TABLES:
            con.execute(f"CREATE TABLE {t.name} AS SELECT * FROM read_parquet(?)", [str(out / f"{t.name}.parquet")])
            con.execute(f"COMMENT ON TABLE {t.name} IS {_sql(t.doc)}")
            for c in t.columns:
                con.execute(f"COMMENT ON COLUMN {t.name}.{c.name} IS {_sql(c.doc)}")
    finally:
        con.close()


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
