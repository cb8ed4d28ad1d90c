"""Load drop files into `raw_<source>.<table>`, quarantining rows that fail validation.

One file is one load: it is read with DuckDB as text, cast per row (a value that does not
parse fails its row, not the file), validated with the table's pandera schema in batches,
and split: good rows to raw, failing rows with their original values and reasons to
`quarantine.<source>__<table>`. The load, its quarantine and its ledger row commit together.
A file already in the ledger is skipped, so reloading a drop is a no-op.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ingestion.categories import normalize, sql_canonical
from ingestion.contract import TIMESTAMP_FORMATS, Column, Table
from ingestion.drops import DropFile, table_drop_files
from ingestion.raw_tables import (
    ensure_warehouse_schema,
    existing_columns,
    quarantine_relation,
    quote,
    raw_relation,
)
from ingestion.readers import TextRelation, UnreadableFileError, text_relation
from ingestion.schemas import SCALE_MAX, SCALE_MIN, Reason, build_schema, row_failures

log = logging.getLogger(__name__)

#: Timestamp text accepted at load: the contract formats plus ISO variants real exports use.
LOAD_TIMESTAMP_FORMATS: tuple[str, ...] = (
    *TIMESTAMP_FORMATS,
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)
#: ISO date-time text ending in a UTC offset (+02:00, +0200, -05): parsed as TIMESTAMPTZ and
#: stored in UTC (raw timestamps are naive UTC).
_OFFSET_TIMESTAMP = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?[+-]\d{2}(:?\d{2})?$"
)
BATCH_ROWS = 500_000
_ORIG = "__orig__"  # prefix of the original-text columns inside a batch
_CAST_FAILED = "__castfail__"


class LoadError(RuntimeError):
    """A table's load failed as a whole; the message names the file (and column)."""


@dataclass
class LoadResult:
    load_id: str
    source: str
    table: str
    drop_date: dt.date
    file_path: str
    status: str  # loaded | empty | skipped | failed
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    drift_columns: tuple[str, ...] = ()
    message: str = ""


def make_load_id(drop: DropFile, sha256: str) -> str:
    return f"{drop.source}.{drop.table}.{drop.drop_date.isoformat()}.{sha256[:12]}"


# --------------------------------------------------------------------------- casting SQL


def _typed_expr(table: Table, column: Column, text: str) -> str:
    """SQL turning the text value `text` into the column's type; NULL when it cannot."""
    if column.allowed is not None:
        return sql_canonical(table.key, column, text)
    match column.type:
        case "str":
            return f"nullif({text}, '')"
        case "float":
            return f"try_cast(nullif(trim({text}), '') as DOUBLE)"
        case "int":
            return f"try_cast(nullif(trim({text}), '') as BIGINT)"
        case "bool":
            return (
                f"case lower(trim({text})) when 'true' then true when 't' then true "
                f"when '1' then true when 'false' then false when 'f' then false "
                f"when '0' then false end"
            )
        case "date":
            return f"try_strptime(nullif(trim({text}), ''), '%Y-%m-%d')::DATE"
        case "ts":
            formats = ", ".join(f"'{f}'" for f in LOAD_TIMESTAMP_FORMATS)
            trimmed = f"nullif(trim({text}), '')"
            # Real exports carry a UTC offset (+02:00, -0500): convert to UTC, keep the row.
            return (
                f"coalesce(try_strptime({trimmed}, [{formats}]), "
                f"case when regexp_matches({trimmed}, '{_OFFSET_TIMESTAMP}') "
                f"then timezone('UTC', try_cast({trimmed} as TIMESTAMPTZ)) end)"
            )
    raise ValueError(f"no cast for type {column.type}")


def _batch_sql(table: Table, rel: TextRelation, present: set[str], drift: list[str]) -> str:
    """Select: original text, typed value and a cast-failure flag per contract column."""
    parts = []
    for c in table.columns:
        text = f"src.{quote(c.name)}" if c.name in present else "NULL::VARCHAR"
        typed = _typed_expr(table, c, text)
        parts.append(f"{text} as {quote(_ORIG + c.name)}")
        parts.append(f"{typed} as {quote(c.name)}")
        parts.append(
            f"({text} is not null and trim({text}) <> '' and {typed} is null) "
            f"as {quote(_CAST_FAILED + c.name)}"
        )
    parts += [f"src.{quote(d)} as {quote(d)}" for d in drift]
    joins = ""
    if table.key == "survey.answers":
        parts += [f"q.{SCALE_MIN}", f"q.{SCALE_MAX}"]
        joins = (
            "left join (select question_id, "
            f"case arg_max(question_type, _loaded_at) when 'nps' then 0.0 else 1.0 end "
            f"as {SCALE_MIN}, "
            f"case arg_max(question_type, _loaded_at) when 'nps' then 10.0 else 5.0 end "
            f"as {SCALE_MAX} "
            "from raw_survey.questions where question_type <> 'text' group by question_id) q "
            "on q.question_id = src.question_id"
        )
    return f"select {', '.join(parts)} from ({rel.sql}) src {joins}"


# --------------------------------------------------------------------------- splitting


def _row_reasons(
    table: Table, frame: pl.DataFrame, loaded_at: dt.datetime
) -> list[list[Reason] | None]:
    """The reasons of each row (None for a good row)."""
    reasons: dict[int, list[Reason]] = {}
    unparsed: dict[int, set[str]] = {}
    for c in table.columns:
        flags = frame.get_column(_CAST_FAILED + c.name)
        for pos in flags.arg_true().to_list():
            value = frame.get_column(_ORIG + c.name)[pos]
            rule = f"{c.name}: cannot parse as {c.type}"
            reasons.setdefault(pos, []).append(Reason(rule, f"{rule} ({value!r})"))
            unparsed.setdefault(pos, set()).add(c.name)
    checks = row_failures(table, build_schema(table, loaded_at), frame)
    for pos, found in checks.items():
        for reason in found:
            # A value that failed to parse is already explained; skip its follow-on null.
            if reason.rule.split(":", 1)[0] not in unparsed.get(pos, set()):
                reasons.setdefault(pos, []).append(reason)
    out: list[list[Reason] | None] = [None] * frame.height
    for pos, found in reasons.items():
        out[pos] = found
    return out


def _insert(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    frame: pl.DataFrame,
    columns: list[tuple[str, str]],
    lineage: tuple[str, dt.datetime, str],
) -> None:
    """Insert `frame` columns (frame name → target name) plus lineage into `relation`."""
    if frame.height == 0:
        return
    arrow = frame.select([pl.col(src).alias(dst) for src, dst in columns]).to_arrow()
    name = "_pp_batch"
    con.register(name, arrow)
    try:
        targets = ", ".join(quote(dst) for _, dst in columns)
        selects = ", ".join(quote(dst) for _, dst in columns)
        con.execute(
            f"insert into {relation} ({targets}, _load_id, _loaded_at, _source) "
            f"select {selects}, ?, ?, ? from {name}",
            list(lineage),
        )
    finally:
        con.unregister(name)


def _split_and_write(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    batch: pa.RecordBatch,
    drift: list[str],
    lineage: tuple[str, dt.datetime, str],
    result: LoadResult,
) -> None:
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    reasons = _row_reasons(table, frame, lineage[1])
    texts = [None if r is None else "; ".join(x.text for x in r) for r in reasons]
    frame = frame.with_columns(pl.Series("_reason", texts, dtype=pl.String))
    good = frame.filter(pl.col("_reason").is_null())
    bad = frame.filter(pl.col("_reason").is_not_null())
    typed_cols = [(c.name, c.name) for c in table.columns] + [(d, d) for d in drift]
    orig_cols = [(_ORIG + c.name, c.name) for c in table.columns] + [(d, d) for d in drift]
    _insert(con, raw_relation(table), good, typed_cols, lineage)
    _insert(con, quarantine_relation(table), bad, [*orig_cols, ("_reason", "_reason")], lineage)
    result.rows_in += frame.height
    result.rows_loaded += good.height
    result.rows_quarantined += bad.height
    for found in reasons:
        for reason in found or ():
            result.reasons[reason.rule] += 1


# --------------------------------------------------------------------------- one file


COLUMN_MAP_FILE = "column_map.csv"


def column_map(table: Table, drop: DropFile) -> dict[str, str]:
    """The export's column names of `table` mapped to contract columns, from
    `<landing>/<source>/column_map.csv` (columns table, export_column, column), keyed by the
    normalized export name. No file: no mapping. A row naming an unknown column is an error."""
    path = drop.path.parents[1] / COLUMN_MAP_FILE
    if not path.exists():
        return {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoadError(f"{path}: cannot read the column map ({exc})") from exc
    mapping: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if (row.get("table") or "").strip() != table.name:
            continue
        column = (row.get("column") or "").strip()
        if column not in table.column_names:
            raise LoadError(
                f"{path}:{line}: {column!r} is not a column of {table.key} "
                f"({', '.join(table.column_names)})"
            )
        mapping[normalize(row.get("export_column") or "")] = column
    return mapping


def _normalized_columns(rel: TextRelation, drop: DropFile, table: Table) -> dict[str, str]:
    """file column → contract name: the column map's entry, else the name trimmed, lower-cased
    and with runs of spaces/hyphens/underscores folded to "_" ("Close Date" → close_date);
    two file columns landing on one name are an error."""
    renames = column_map(table, drop)
    mapping: dict[str, str] = {}
    for name in rel.columns:
        norm = renames.get(normalize(name), normalize(name))
        if norm in mapping.values():
            raise LoadError(f"{drop.path}: column {norm!r} appears twice")
        mapping[name] = norm
    return mapping


def _renamed(rel: TextRelation, mapping: dict[str, str]) -> TextRelation:
    if all(k == v for k, v in mapping.items()):
        return rel
    exprs = ", ".join(f"{quote(k)} as {quote(v)}" for k, v in mapping.items())
    return TextRelation(f"select {exprs} from ({rel.sql})", tuple(mapping.values()), rel.params)


def _add_drift_columns(con: duckdb.DuckDBPyConnection, table: Table, drift: list[str]) -> None:
    for rel in (raw_relation(table), quarantine_relation(table)):
        for col in drift:
            con.execute(f"alter table {rel} add column if not exists {quote(col)} VARCHAR")


def _already_loaded(con: duckdb.DuckDBPyConnection, load_id: str) -> bool:
    row = con.execute(
        "select count(*) from meta.load_ledger where load_id = ? and status in ('loaded', 'empty')",
        [load_id],
    ).fetchone()
    return bool(row and row[0])


def _write_ledger(con: duckdb.DuckDBPyConnection, r: LoadResult, sha: str, at: dt.datetime):
    con.execute("delete from meta.load_ledger where load_id = ?", [r.load_id])
    con.execute(
        "insert into meta.load_ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            r.load_id, r.source, r.table, r.drop_date, r.file_path, sha, r.status,
            r.rows_in, r.rows_loaded, r.rows_quarantined,
            ",".join(r.drift_columns) or None, r.message or None, at,
        ],
    )


def load_file(
    con: duckdb.DuckDBPyConnection, table: Table, drop: DropFile, loaded_at: dt.datetime
) -> LoadResult:
    """Load one drop file of `table` in one transaction. Raises LoadError on failure."""
    sha = drop.sha256()
    load_id = make_load_id(drop, sha)
    result = LoadResult(load_id, table.source, table.name, drop.drop_date, str(drop.path), "")
    if _already_loaded(con, load_id):
        result.status = "skipped"
        result.message = "already in the load ledger"
        return result
    try:
        rel = text_relation(con, drop.path, drop.file_format)
    except UnreadableFileError as exc:
        _fail(con, result, sha, loaded_at, str(exc))
    if not rel.columns:
        result.status = "empty"
        result.message = f"{drop.path}: empty file, 0 rows loaded"
        log.warning(result.message)
        _write_ledger(con, result, sha, loaded_at)
        return result
    mapping = _normalized_columns(rel, drop, table)
    rel = _renamed(rel, mapping)
    present = set(rel.columns)
    missing_required = [c for c in table.required_columns if c not in present]
    if missing_required:
        _fail(con, result, sha, loaded_at,
              f"{drop.path}: missing required column(s) {', '.join(missing_required)}")
    known = set(table.column_names)
    drift = [c for c in rel.columns if c not in known]
    missing_optional = [c for c in table.column_names if c not in present]
    result.drift_columns = tuple(drift)
    notes = []
    if drift:
        notes.append(f"schema drift: extra column(s) {', '.join(drift)} loaded as text")
    if missing_optional:
        notes.append(f"optional column(s) absent, loaded as null: {', '.join(missing_optional)}")
    lineage = (load_id, loaded_at, str(drop.path))
    con.execute("begin transaction")
    try:
        _add_drift_columns(con, table, drift)
        reader = con.cursor().sql(_batch_sql(table, rel, present, drift))
        for batch in reader.to_arrow_reader(BATCH_ROWS):
            _split_and_write(con, table, batch, drift, lineage, result)
        result.status = "loaded" if result.rows_in else "empty"
        if not result.rows_in:
            notes.append("file has no rows")
        result.message = "; ".join(notes)
        _write_ledger(con, result, sha, loaded_at)
        con.execute("commit")
    except (duckdb.Error, ValueError) as exc:
        con.execute("rollback")
        _fail(con, result, sha, loaded_at, f"{drop.path}: load failed: {exc}")
    if result.status == "empty":
        log.warning("%s: file has no rows", drop.path)
    return result


def _fail(con, result: LoadResult, sha: str, at: dt.datetime, message: str):
    result.status = "failed"
    result.message = message
    _write_ledger(con, result, sha, at)
    raise LoadError(message)


# --------------------------------------------------------------------------- a table


def load_table(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    table: Table,
    loaded_at: dt.datetime | None = None,
) -> list[LoadResult]:
    """Load every not-yet-loaded drop file of `table`, oldest drop first.

    Stops at the first failing file (later drops may depend on it); earlier loads stay.
    """
    ensure_warehouse_schema(con)
    at = loaded_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return [load_file(con, table, drop, at) for drop in table_drop_files(landing, table)]


def raw_columns(con: duckdb.DuckDBPyConnection, table: Table) -> list[str]:
    return existing_columns(con, table.raw_schema, table.name)
