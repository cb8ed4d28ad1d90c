"""Pandera (polars backend) schemas of the raw tables, built from the contract.

A schema validates the *typed* frame that the loader produced from one file batch; it does
not decide types (the loader casts per row, because pandera's typed checks cannot split good
rows from bad ones on a cast failure). Each failed check on a row becomes a quarantine reason.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandera.polars as pa
import polars as pl

from ingestion.contract import ANSWER_SCALES, Column, Table

POLARS_TYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "ts": pl.Datetime("us"),
    "date": pl.Date(),
    "float": pl.Float64(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
}

#: How far in the future an event timestamp may lie, relative to the load time.
FUTURE_TOLERANCE = dt.timedelta(days=1)

#: Helper columns the loader adds to the answers frame (scale of the answered question).
SCALE_MIN, SCALE_MAX = "_scale_min", "_scale_max"


class Reason(NamedTuple):
    """Why a row is quarantined: `rule` (no values, for counting) and `text` (with value)."""

    rule: str
    text: str


def _column_checks(column: Column, loaded_at: dt.datetime) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if column.allowed is not None:
        checks.append(pa.Check.isin(list(column.allowed)))
    if column.min_value is not None:
        if column.min_exclusive:
            checks.append(pa.Check.gt(column.min_value))
        else:
            checks.append(pa.Check.ge(column.min_value))
    if column.max_value is not None:
        checks.append(pa.Check.le(column.max_value))
    if column.event_time:
        checks.append(pa.Check.le(loaded_at + FUTURE_TOLERANCE))
    return checks


def _answer_within_scale(data: pa.PolarsData) -> pl.LazyFrame:
    value = pl.col("numeric_value")
    return data.lazyframe.select(
        value.is_null()
        | pl.col(SCALE_MIN).is_null()
        | ((value >= pl.col(SCALE_MIN)) & (value <= pl.col(SCALE_MAX)))
    )


CLOSED_OPPORTUNITY_RULE = "closed_opportunity_complete"


def _closed_opportunity_complete(data: pa.PolarsData) -> pl.LazyFrame:
    """A won deal has an amount and a closed deal a close date; open deals may lack both."""
    return data.lazyframe.select(
        (~pl.col("is_won").fill_null(False) | pl.col("amount").is_not_null())
        & (~pl.col("is_closed").fill_null(False) | pl.col("close_date").is_not_null())
    )


def build_schema(table: Table, loaded_at: dt.datetime) -> pa.DataFrameSchema:
    """The row-level rules of one raw table. `loaded_at` bounds event timestamps."""
    columns = {
        c.name: pa.Column(
            POLARS_TYPES[c.type],
            checks=_column_checks(c, loaded_at),
            nullable=not c.required,
        )
        for c in table.columns
    }
    frame_checks: list[pa.Check] = []
    if table.key == "survey.answers":
        frame_checks.append(
            pa.Check(_answer_within_scale, name="answer_within_question_scale")
        )
    if table.key == "crm.opportunities":
        frame_checks.append(pa.Check(_closed_opportunity_complete, name=CLOSED_OPPORTUNITY_RULE))
    return pa.DataFrameSchema(
        columns, checks=frame_checks, strict=False, name=f"raw.{table.key}"
    )


def answer_scale_frame() -> pl.DataFrame:
    """question_type → inclusive scale, for joining onto answers."""
    return pl.DataFrame(
        {
            "question_type": list(ANSWER_SCALES),
            SCALE_MIN: [float(lo) for lo, _ in ANSWER_SCALES.values()],
            SCALE_MAX: [float(hi) for _, hi in ANSWER_SCALES.values()],
        }
    )


def _describe(table: Table, column: str | None, check: str, value: str | None) -> Reason:
    if check == "not_nullable":
        return Reason(f"{column}: required value missing", f"{column}: required value missing")
    if check == "answer_within_question_scale":
        rule = "numeric_value: answer outside its question's scale"
        return Reason(rule, rule)
    if check == CLOSED_OPPORTUNITY_RULE:
        rule = "amount / close_date: required on a won (amount) or closed (close_date) deal"
        return Reason(rule, rule)
    col = table.column(column) if column else None
    if check.startswith("isin("):
        rule = f"{column}: not an allowed value"
        return Reason(rule, f"{rule} ({value!r})")
    if col is not None and col.event_time and check.startswith("less_than_or_equal_to"):
        rule = f"{column}: timestamp in the future"
        return Reason(rule, f"{rule} ({value})")
    label = (
        check.replace("greater_than_or_equal_to", ">=")
        .replace("less_than_or_equal_to", "<=")
        .replace("greater_than", ">")
    )
    rule = f"{column}: out of range, must be {label.replace('(', ' ').rstrip(')')}"
    return Reason(rule, f"{rule} (value {value})")


def row_failures(
    table: Table, schema: pa.DataFrameSchema, frame: pl.DataFrame
) -> dict[int, list[Reason]]:
    """Validate `frame` lazily and return {row position: [reason, ...]} for failing rows.

    Raises ValueError for failures that are not row-level (e.g. a wrong column type), since
    those mean the loader itself produced a wrong frame.
    """
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}
    reasons: dict[int, list[Reason]] = {}
    for row in cases.iter_rows(named=True):
        if row["index"] is None:
            raise ValueError(
                f"{schema.name}: schema-level failure {row['check']} on column "
                f"{row['column']}: {row['failure_case']}"
            )
        value = row["failure_case"] if row["schema_context"] == "Column" else None
        reasons.setdefault(int(row["index"]), []).append(
            _describe(table, row["column"], row["check"], value)
        )
    return reasons
