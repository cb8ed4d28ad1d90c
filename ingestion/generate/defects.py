"""Realistic export defects (DESIGN section 2), each with the destination the loader must route
it to. At most one defect per row, so the expected quarantine count of every file is exact.

Row defects hit ``rate`` of the rows of each eligible table (one class per defective row, drawn
uniformly among the classes eligible for that table). File defects hit one file each.
Reference tables (courses, surveys, questions, fx_rates) get no row defects, and the partner
master only gets defects that keep the row in raw, so that a defect never orphans whole
partners' histories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ingestion.contract import TIMESTAMP_FORMATS, Column, Table
from ingestion.generate.config import DAY

DUPLICATE_UPDATE = "duplicate_update"
SOFT_DELETE = "soft_delete"
NULL_FOREIGN_KEY = "null_foreign_key"
UNKNOWN_FOREIGN_KEY = "unknown_foreign_key"
NEGATIVE_AMOUNT = "negative_amount"
UNKNOWN_CURRENCY = "unknown_currency"
FUTURE_TIMESTAMP = "future_timestamp"
ANSWER_OUT_OF_RANGE = "answer_out_of_range"
MESSY_CATEGORICAL = "messy_categorical"
ALT_TIMESTAMP_FORMAT = "alt_timestamp_format"
TEXT_IN_NUMERIC = "text_in_numeric"
EMPTY_FILE = "empty_file"
EXTRA_COLUMN = "extra_column"

QUARANTINE, RAW, LEDGER = "quarantine", "raw", "ledger"

#: Where the loader must put each defect class.
DESTINATION: dict[str, str] = {
    DUPLICATE_UPDATE: RAW,
    SOFT_DELETE: RAW,
    NULL_FOREIGN_KEY: QUARANTINE,
    UNKNOWN_FOREIGN_KEY: RAW,
    NEGATIVE_AMOUNT: QUARANTINE,
    UNKNOWN_CURRENCY: QUARANTINE,
    FUTURE_TIMESTAMP: QUARANTINE,
    ANSWER_OUT_OF_RANGE: QUARANTINE,
    MESSY_CATEGORICAL: RAW,
    ALT_TIMESTAMP_FORMAT: RAW,
    TEXT_IN_NUMERIC: QUARANTINE,
    EMPTY_FILE: LEDGER,
    EXTRA_COLUMN: RAW,
}
ROW_CLASSES: tuple[str, ...] = (
    DUPLICATE_UPDATE,
    SOFT_DELETE,
    NULL_FOREIGN_KEY,
    UNKNOWN_FOREIGN_KEY,
    NEGATIVE_AMOUNT,
    UNKNOWN_CURRENCY,
    FUTURE_TIMESTAMP,
    ANSWER_OUT_OF_RANGE,
    MESSY_CATEGORICAL,
    ALT_TIMESTAMP_FORMAT,
    TEXT_IN_NUMERIC,
)
FILE_CLASSES: tuple[str, ...] = (EMPTY_FILE, EXTRA_COLUMN)
ALL_CLASSES: tuple[str, ...] = ROW_CLASSES + FILE_CLASSES

#: (source, table, drop) written as a 0-byte file. The delta drop of the course catalogue
#: carries no new rows, so the defect exercises the ledger path without losing data.
EMPTY_FILE_TARGET = ("lms", "courses", "delta")
#: (source, table, drop, column) written with one column the contract does not know.
EXTRA_COLUMN_TARGET = ("crm", "accounts", "delta", "segment_code")

REFERENCE_TABLES = frozenset({"lms.courses", "survey.surveys", "survey.questions", "crm.fx_rates"})
MASTER_TABLES = frozenset({"prm.partners"})
AMOUNT_COLUMNS = frozenset({"amount", "estimated_amount"})
#: Numeric CSV columns that receive text (the loader reads them as text and casts per row).
TEXT_NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "crm.opportunities": ("amount",),
    "lms.enrollments": ("score",),
}
UNKNOWN_CURRENCIES = ("XYZ", "ZZZ", "EURO", "US$")
NUMERIC_TEXT = ("n/a", "12,500.00 USD", "TBD", "#VALUE!", "approx 5000")
UNKNOWN_ID = {"partner_id": ("PRT-9", 5), "account_id": ("ACC-9", 6)}
TEXT_FORMATS = frozenset({"csv", "jsonl", "json"})


@dataclass(frozen=True)
class DropContext:
    """What a defect needs to know about the drop it is written into."""

    now: int  # end date 00:00Z, epoch seconds
    limit: int  # versions in this drop are strictly before this instant
    fmt: str  # file format of the table


def _required_fk_columns(table: Table) -> tuple[str, ...]:
    return tuple(fk.column for fk in table.foreign_keys if table.column(fk.column).required)


def _columns_for(table: Table, cls: str, fmt: str) -> tuple[str, ...]:
    cols: tuple[Column, ...] = table.columns
    if cls == NULL_FOREIGN_KEY:
        return _required_fk_columns(table)
    if cls == UNKNOWN_FOREIGN_KEY:
        return tuple(c for c in _required_fk_columns(table) if c in UNKNOWN_ID)
    if cls == NEGATIVE_AMOUNT:
        return tuple(c.name for c in cols if c.name in AMOUNT_COLUMNS and c.min_value == 0)
    if cls == UNKNOWN_CURRENCY:
        return tuple(c.name for c in cols if c.name == "currency")
    if cls == FUTURE_TIMESTAMP:
        return tuple(c.name for c in cols if c.event_time)
    if cls == MESSY_CATEGORICAL:
        return tuple(c.name for c in cols if c.allowed is not None)
    if cls == ALT_TIMESTAMP_FORMAT:
        return tuple(c.name for c in cols if c.type == "ts") if fmt in TEXT_FORMATS else ()
    if cls == TEXT_IN_NUMERIC:
        return TEXT_NUMERIC_COLUMNS.get(table.key, ()) if fmt == "csv" else ()
    if cls == DUPLICATE_UPDATE:
        return (table.version_column,) if table.version_column else ()
    if cls == SOFT_DELETE:
        return ("is_deleted",) if "is_deleted" in table.column_names else ()
    if cls == ANSWER_OUT_OF_RANGE:
        return ("numeric_value",) if table.key == "survey.answers" else ()
    raise ValueError(f"unknown defect class {cls!r}")


def eligible_classes(table: Table) -> tuple[str, ...]:
    """Row defect classes that can hit this table (in a stable order)."""
    if table.key in REFERENCE_TABLES:
        return ()
    out = tuple(c for c in ROW_CLASSES if _columns_for(table, c, table.file_format))
    if table.key in MASTER_TABLES:
        out = tuple(c for c in out if DESTINATION[c] == RAW)
    return out


def messy(value: str, case: str, rng: np.random.Generator) -> str:
    """A casing/whitespace variant that normalizes (strip + case rule) back to ``value``."""
    variants = [value.upper() if case == "lower" else value.lower(), value.title()]
    body = variants[int(rng.integers(0, 2))]
    left = " " * int(rng.integers(0, 2))
    right = " " * int(rng.integers(0, 3))
    out = f"{left}{body}{right}"
    return out if out != value else f"{value} "


def _epoch(s: pl.Series) -> np.ndarray:
    return s.dt.epoch("s").to_numpy()


def _datetimes(seconds: np.ndarray) -> pl.Series:
    return (
        pl.Series(np.asarray(seconds, dtype=np.int64) * 1_000_000)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
    )


def _text(s: pl.Series) -> pl.Series:
    """A column as the text a well-behaved export writes."""
    if s.dtype == pl.Utf8:
        return s
    if isinstance(s.dtype, pl.Datetime):
        return s.dt.strftime(TIMESTAMP_FORMATS[0])
    if s.dtype == pl.Date:
        return s.dt.strftime("%Y-%m-%d")
    return s.cast(pl.Utf8)


def _set(df: pl.DataFrame, col: str, rows: np.ndarray, values: pl.Series | list) -> pl.DataFrame:
    s = df[col].clone()
    vals = values if isinstance(values, pl.Series) else pl.Series(values, dtype=s.dtype)
    if vals.dtype != s.dtype:
        vals = vals.cast(s.dtype)
    s.scatter(rows, vals)
    return df.with_columns(s.alias(col))


def render(df: pl.DataFrame, fmt: str) -> pl.DataFrame:
    """Final text rendering of timestamps and dates for CSV/JSON; drops helper columns."""
    df = df.select([c for c in df.columns if not c.startswith("_")])
    if fmt not in TEXT_FORMATS:
        return df
    return df.with_columns(
        [
            _text(df[c])
            for c in df.columns
            if df[c].dtype == pl.Date or isinstance(df[c].dtype, pl.Datetime)
        ]
    )


def inject(
    df: pl.DataFrame, table: Table, rng: np.random.Generator, rate: float, ctx: DropContext
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Inject row defects into one chunk; returns the rendered chunk and counts per class."""
    counts: dict[str, int] = {}
    classes = eligible_classes(table)
    n = df.height
    dups: pl.DataFrame | None = None
    if rate > 0 and classes and n:
        k = int(rng.binomial(n, min(rate, 1.0)))
        rows = np.sort(rng.choice(n, size=k, replace=False))
        which = rng.integers(0, len(classes), k)
        for ci, cls in enumerate(classes):
            sel = rows[which == ci]
            if not sel.size:
                continue
            if cls == DUPLICATE_UPDATE:
                dups, applied = _duplicates(df, table, sel, rng, ctx)
            else:
                df, applied = _apply(df, table, cls, sel, rng, ctx)
            if applied:
                counts[cls] = counts.get(cls, 0) + applied
    out = render(df, ctx.fmt)
    if dups is not None and dups.height:
        d = render(dups, ctx.fmt)
        d = d.with_columns(
            [d[c].cast(out.schema[c]) for c in d.columns if d.schema[c] != out.schema[c]]
        )
        out = pl.concat([out, d], how="vertical")
    return out, counts


def _duplicates(
    df: pl.DataFrame, table: Table, rows: np.ndarray, rng: np.random.Generator, ctx: DropContext
) -> tuple[pl.DataFrame, int]:
    col = table.version_column
    assert col is not None
    orig = _epoch(df[col])[rows]
    room = ctx.limit - 1 - orig
    step = np.minimum(rng.integers(60, 2 * DAY, rows.size), room)
    ok = step >= 1
    rows, new = rows[ok], (orig + step)[ok]
    dup = df[rows].with_columns(_datetimes(new).alias(col))
    return dup, int(rows.size)


def _choose_columns(
    df: pl.DataFrame, cols: tuple[str, ...], rows: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Per row, the index of a randomly chosen column among those non-null at that row."""
    ok = np.column_stack([df[c].is_not_null().to_numpy()[rows] for c in cols])
    score = rng.random(ok.shape) + ok  # non-null columns score in [1, 2)
    pick = score.argmax(axis=1)
    return np.where(ok[np.arange(rows.size), pick], pick, -1)


def _apply(
    df: pl.DataFrame,
    table: Table,
    cls: str,
    rows: np.ndarray,
    rng: np.random.Generator,
    ctx: DropContext,
) -> tuple[pl.DataFrame, int]:
    if cls == SOFT_DELETE:
        return _set(df, "is_deleted", rows, [True] * rows.size), int(rows.size)
    if cls == ANSWER_OUT_OF_RANGE:
        qtype = df["_qtype"].to_numpy()[rows]
        rows, qtype = rows[qtype != "text"], qtype[qtype != "text"]
        low = rng.random(rows.size) < 0.5
        vals = np.where(qtype == "nps", np.where(low, -1.0, 11.0), np.where(low, 0.0, 6.0))
        return _set(df, "numeric_value", rows, pl.Series(vals)), int(rows.size)

    cols = _columns_for(table, cls, ctx.fmt)
    pick = _choose_columns(df, cols, rows, rng)
    applied = 0
    for j, col in enumerate(cols):
        r = rows[pick == j]
        if not r.size:
            continue
        applied += int(r.size)
        s = df[col]
        if cls == NULL_FOREIGN_KEY:
            df = _set(df, col, r, pl.Series([None] * r.size, dtype=s.dtype))
        elif cls == UNKNOWN_FOREIGN_KEY:
            prefix, width = UNKNOWN_ID[col]
            num = rng.integers(0, 10**width, r.size)
            df = _set(df, col, r, [f"{prefix}{x:0{width}d}" for x in num])
        elif cls == NEGATIVE_AMOUNT:
            df = _set(df, col, r, pl.Series(-np.abs(s.to_numpy()[r])))
        elif cls == UNKNOWN_CURRENCY:
            df = _set(
                df,
                col,
                r,
                [UNKNOWN_CURRENCIES[i] for i in rng.integers(0, len(UNKNOWN_CURRENCIES), r.size)],
            )
        elif cls == FUTURE_TIMESTAMP:
            t = ctx.now + 30 * DAY + rng.integers(DAY, 365 * DAY, r.size)
            df = _set(df, col, r, _datetimes(t))
        elif cls == MESSY_CATEGORICAL:
            case = table.column(col).case or "lower"
            vals = s.to_numpy()[r]
            df = _set(df, col, r, [messy(str(v), case, rng) for v in vals])
        elif cls == ALT_TIMESTAMP_FORMAT:
            alt = _datetimes(_epoch(s)[r]).dt.strftime(TIMESTAMP_FORMATS[1])
            df = df.with_columns(_text(s).alias(col))
            df = _set(df, col, r, alt)
        elif cls == TEXT_IN_NUMERIC:
            df = df.with_columns(_text(s).alias(col))
            df = _set(
                df, col, r, [NUMERIC_TEXT[i] for i in rng.integers(0, len(NUMERIC_TEXT), r.size)]
            )
        else:  # pragma: no cover - guarded by eligible_classes
            raise ValueError(cls)
    return df, applied
