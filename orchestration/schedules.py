"""Schedules: daily refresh with a late-data lookback, and the monthly close.

Both launch `refresh_pipeline` for a range of monthly partitions as ONE run (single-run
backfill policy): ingest new drops, rebuild the months of the range, rebuild everything
unpartitioned, audit and publish. On day 1 the daily run is the monthly close: the previous
month is rebuilt with as_of in the new month, so its rows are final (is_provisional = false).
"""

import datetime as dt
import os

import dagster as dg

from orchestration.jobs import refresh_job
from orchestration.partitions import monthly

DEFAULT_LOOKBACK_MONTHS = 1


def lookback_months() -> int:
    raw = os.environ.get("PARTNER_PULSE_LOOKBACK_MONTHS", str(DEFAULT_LOOKBACK_MONTHS))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"PARTNER_PULSE_LOOKBACK_MONTHS={raw!r} is not an integer") from None
    if not 0 <= value <= 24:
        raise ValueError(f"PARTNER_PULSE_LOOKBACK_MONTHS={raw!r} must be between 0 and 24")
    return value


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def refresh_range_request(day: dt.date, months_back: int, run_key: str) -> dg.RunRequest:
    """One run rebuilding [month of `day` − months_back, month of `day`]."""
    first = month_start(day, months_back).isoformat()
    last = month_start(day).isoformat()
    keys = monthly.get_partition_keys()
    if last not in keys:
        raise ValueError(f"no monthly partition {last}; partitions span {keys[0]}..{keys[-1]}")
    first = max(first, keys[0])
    return dg.RunRequest(
        run_key=run_key,
        tags={
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
            "partner_pulse/as_of": day.isoformat(),
        },
    )


@dg.schedule(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily 05:00 UTC: ingest, rebuild the current month and the lookback "
    "(PARTNER_PULSE_LOOKBACK_MONTHS, default 1) for late data, publish.",
)
def daily_refresh(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.date()
    return refresh_range_request(day, lookback_months(), f"daily-{day.isoformat()}")


@dg.schedule(
    name="monthly_close",
    job=refresh_job,
    cron_schedule="0 6 1 * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Day 1, 06:00 UTC: rebuild and finalize the previous month "
    "(is_provisional = false) and publish.",
)
def monthly_close(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.date()
    return refresh_range_request(day, 1, f"close-{day.isoformat()}")
