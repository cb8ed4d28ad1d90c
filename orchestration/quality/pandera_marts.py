"""Pandera schemas of the published marts (polars backend), built from mart_rules."""

from __future__ import annotations

from collections.abc import Mapping

import pandera.polars as pa
import polars as pl

from orchestration.quality.mart_rules import column_ranges, mart_key


def mart_schema(
    mart: str, columns: list[str], declared: Mapping[str, tuple[str, ...]] | None = None
) -> pa.DataFrameSchema:
    key = mart_key(mart, declared)
    checks: dict[str, list[pa.Check]] = {c: [] for c in columns}
    for r in column_ranges(columns):
        if r.min_value is not None:
            checks[r.column].append(pa.Check.ge(r.min_value, error=r.rule))
        if r.max_value is not None:
            checks[r.column].append(pa.Check.le(r.max_value, error=r.rule))
    schema_columns = {
        c: pa.Column(checks=checks[c], nullable=c not in key, required=True) for c in columns
    }
    return pa.DataFrameSchema(
        schema_columns, unique=list(key) or None, name=f"mart.{mart}", strict=False
    )


def validate_mart(
    mart: str, frame: pl.DataFrame, declared: Mapping[str, tuple[str, ...]] | None = None
) -> list[str]:
    """Failure messages (empty when the mart passes). At most 20 cases are listed."""
    schema = mart_schema(mart, frame.columns, declared)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(20)
        return [
            f"{mart}.{row['column'] or '*'}: {row['check']} failed on {row['failure_case']!r}"
            for row in cases.iter_rows(named=True)
        ]
    return []
