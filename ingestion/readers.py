"""Read a drop file with DuckDB's native readers, every column as text.

Values are read as text so that a bad value fails only its own row (cast per row later) and
the original value can be quarantined as it arrived.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.raw_tables import quote


class UnreadableFileError(ValueError):
    """A file DuckDB cannot parse (malformed, truncated, wrong format)."""


@dataclass(frozen=True)
class TextRelation:
    """A SQL select over a file, with its column names as they appear in the file."""

    sql: str
    columns: tuple[str, ...]
    params: tuple[str, ...]


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def csv_encoding(path: Path) -> str:
    """'utf-8' when the file decodes as UTF-8 (a BOM included), else 'latin-1': what Excel and
    Windows tools write by default (Windows-1252; its 0x80-0x9F punctuation such as the euro
    sign arrives as latin-1 control characters, so such files are best saved as UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8"


def _scan_expr(path: Path, file_format: str, columns: dict[str, str] | None = None) -> str:
    p = _literal(path)
    if file_format == "csv":
        return (
            f"read_csv({p}, header=true, delim=',', quote='\"', escape='\"', "
            f"all_varchar=true, strict_mode=true, null_padding=false, "
            f"encoding='{csv_encoding(path)}')"
        )
    if file_format in ("jsonl", "json"):
        fmt = "newline_delimited" if file_format == "jsonl" else "array"
        if columns is None:
            return f"read_json({p}, format='{fmt}', records=true, sample_size=-1)"
        spec = "{" + ", ".join(f"{_literal(Path(k))}: '{v}'" for k, v in columns.items()) + "}"
        return f"read_json({p}, format='{fmt}', records=true, columns={spec})"
    if file_format == "parquet":
        return f"read_parquet({p})"
    raise UnreadableFileError(f"{path}: unsupported file format {file_format!r}")


def _describe(con: duckdb.DuckDBPyConnection, scan: str, path: Path) -> list[tuple[str, str]]:
    try:
        rows = con.execute(f"describe select * from {scan}").fetchall()
    except duckdb.Error as exc:
        raise UnreadableFileError(f"{path}: cannot read file: {exc}") from exc
    return [(r[0], r[1]) for r in rows]


def _as_text(column: str, duckdb_type: str) -> str:
    col = quote(column)
    if duckdb_type.startswith("TIMESTAMP"):
        # Parquet timestamps: render in the canonical ISO form the loader parses.
        return f"strftime({col}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%fZ')"
    if duckdb_type == "DATE":
        return f"strftime({col}, '%Y-%m-%d')"
    return f"{col}::VARCHAR"


EMPTY = TextRelation("select 1 as _empty where false", (), ())


def _has_no_records(path: Path, file_format: str) -> bool:
    """A 0-byte file, or a tiny JSON file holding only `[]`/whitespace (an empty export)."""
    size = path.stat().st_size
    if size == 0:
        return True
    if file_format in ("json", "jsonl") and size < 64:
        return path.read_text(encoding="utf-8", errors="replace").strip() in ("", "[]")
    return False


def text_relation(con: duckdb.DuckDBPyConnection, path: Path, file_format: str) -> TextRelation:
    """Build a select returning every column of `path` as VARCHAR (0 rows for an empty file)."""
    if _has_no_records(path, file_format):
        return EMPTY
    scan = _scan_expr(path, file_format)
    described = _describe(con, scan, path)
    if file_format in ("jsonl", "json"):
        # Re-read JSON with every key typed as text, so 12 and "12" arrive alike.
        scan = _scan_expr(path, file_format, {name: "VARCHAR" for name, _ in described})
        described = [(name, "VARCHAR") for name, _ in described]
    exprs = [f"{_as_text(name, typ)} as {quote(name)}" for name, typ in described]
    return TextRelation(
        f"select {', '.join(exprs)} from {scan}", tuple(n for n, _ in described), ()
    )
