"""Opening the build warehouse (DuckDB) — one writer at a time."""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file with UTC session time; creates the parent folder for writers."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist yet; run the pipeline first")
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("set TimeZone = 'UTC'")
    return con
