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
    """One message per failed rule (empty when the mart passes), with up to 3 sample values."""
    schema = mart_schema(mart, frame.columns, declared)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        grouped: dict[tuple[str, str], list[str]] = {}
        for row in exc.failure_cases.iter_rows(named=True):
            rule = (row["column"] or "*", row["check"])
            grouped.setdefault(rule, []).append(str(row["failure_case"]))
        return [
            f"{mart}.{column}: {check} failed on {len(values)} row(s), e.g. {values[:3]}"
            for (column, check), values in grouped.items()
        ]
    return []
