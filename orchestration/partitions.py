"""Partition definitions: one monthly partition per calendar month (UTC).

`end_offset=1` adds a partition for the current, still open month. The first month is the
earliest month a backfill may target; override it with PARTNER_PULSE_FIRST_MONTH (YYYY-MM-01).
"""

import os

import dagster as dg

FIRST_MONTH_DEFAULT = "2023-01-01"


def monthly_partitions(first_month: str | None = None) -> dg.MonthlyPartitionsDefinition:
    start = first_month or os.environ.get("PARTNER_PULSE_FIRST_MONTH") or FIRST_MONTH_DEFAULT
    return dg.MonthlyPartitionsDefinition(start_date=start, end_offset=1, timezone="UTC")


monthly = monthly_partitions()
