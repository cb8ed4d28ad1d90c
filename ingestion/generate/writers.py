"""Streaming file writers: one open file per (table, drop), appended chunk by chunk.

CSV: header, comma-separated, null as an empty field, booleans true/false.
JSONL: one object per line. JSON: one array of objects. Parquet: typed columns, timestamps as
timestamp[us, tz=UTC]. Column order is the order of the frames written (contract order).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.contract import Table

EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "json": "json", "parquet": "parquet"}
_ARROW = {
    "str": pa.string(),
    "ts": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.type]) for c in table.columns])


class TableWriter:
    """Appends frames to one file. ``empty=True`` writes a 0-byte file whatever it is given."""

    def __init__(self, path: Path, table: Table, fmt: str, empty: bool = False) -> None:
        self.path = path
        self.table = table
        self.fmt = fmt
        self.empty = empty
        self.rows = 0
        self.rows_discarded = 0
        self._fh: BinaryIO | None = None
        self._pq: pq.ParquetWriter | None = None
        self._columns: list[str] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)

    def _open(self) -> BinaryIO:
        if self._fh is None:
            self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        return self._fh

    def write(self, df: pl.DataFrame) -> None:
        if self.empty:
            self.rows_discarded += df.height
            return
        if df.height == 0:
            return
        if self._columns is None:
            self._columns = df.columns
        elif df.columns != self._columns:
            raise ValueError(f"{self.path}: column set changed between chunks")
        if self.fmt == "parquet":
            self._write_parquet(df)
        elif self.fmt == "csv":
            first = self.rows == 0
            buf = io.BytesIO()
            df.write_csv(buf, include_header=first)
            self._open().write(buf.getvalue())
        elif self.fmt == "jsonl":
            buf = io.BytesIO()
            df.write_ndjson(buf)
            self._open().write(buf.getvalue())
        elif self.fmt == "json":
            buf = io.BytesIO()
            df.write_ndjson(buf)
            body = b",\n".join(buf.getvalue().rstrip(b"\n").split(b"\n"))
            self._open().write((b"[\n" if self.rows == 0 else b",\n") + body)
        else:
            raise ValueError(f"unknown format {self.fmt!r}")
        self.rows += df.height

    def _write_parquet(self, df: pl.DataFrame) -> None:
        schema = arrow_schema(self.table)
        tbl = df.to_arrow().cast(schema)
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.path, schema, compression="zstd")
        self._pq.write_table(tbl)

    def close(self) -> int:
        """Finish the file (header-only CSV, ``[]`` or a schema-only Parquet when no rows)."""
        if self.empty:
            self.path.write_bytes(b"")
            return 0
        if self.fmt == "parquet":
            if self._pq is None:
                schema = arrow_schema(self.table)
                pq.write_table(schema.empty_table(), self.path, compression="zstd")
            else:
                self._pq.close()
        elif self.fmt == "csv" and self.rows == 0:
            self._open().write((",".join(self.table.column_names) + "\n").encode())
        elif self.fmt == "json":
            self._open().write(b"\n]\n" if self.rows else b"[]\n")
        elif self.fmt == "jsonl" and self._fh is None:
            self._open()
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        return self.rows
