"""The closed-month rule on the Python side, read from the same seed as dbt.

dbt_project/seeds/config/reporting_calendar.csv holds `closed_month_grace_days`: month M is
closed once the as_of date is on or after the first day of M+1 plus that many days
(macros/closed_month.sql). The monthly close schedule and the demo summary use it, so "latest"
means the same month everywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

CALENDAR_SEED = (
    Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "config"
    / "reporting_calendar.csv"
)


def closed_month_grace_days(seed: Path = CALENDAR_SEED) -> int:
    """The grace period in days; a clear error naming the file when it is missing or invalid."""
    try:
        with seed.open(newline="") as handle:
            rows = {row["parameter"]: row["value"] for row in csv.DictReader(handle)}
    except (OSError, KeyError, csv.Error) as exc:
        raise ValueError(f"{seed}: cannot read the reporting calendar ({exc})") from exc
    raw = rows.get("closed_month_grace_days", "0")
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{seed}: closed_month_grace_days={raw!r} is not an integer") from None
    if not 0 <= days <= 27:
        raise ValueError(f"{seed}: closed_month_grace_days={days} must be between 0 and 27")
    return days


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def last_closed_month(as_of: dt.date, grace_days: int | None = None) -> dt.date:
    """The latest month closed at `as_of` (same rule as the dbt macro last_closed_month)."""
    grace = closed_month_grace_days() if grace_days is None else grace_days
    return month_start(as_of - dt.timedelta(days=grace), 1)


def close_day(month: dt.date, grace_days: int | None = None) -> dt.date:
    """The day month `month` closes: the first of the next month plus the grace period."""
    grace = closed_month_grace_days() if grace_days is None else grace_days
    return month_start(month, -1) + dt.timedelta(days=grace)
