"""Schedules: daily refresh with a late-data lookback, and the monthly close.

Both launch `refresh_pipeline` for a range of monthly partitions as ONE run (single-run
backfill policy): ingest new drops, rebuild the months of the range, rebuild everything
unpartitioned, audit and publish. The monthly close runs on the day the previous month closes
(day 1 plus closed_month_grace_days of seed reporting_calendar, the rule dbt applies): the
previous month is rebuilt with that as_of, so its rows are final (is_provisional = false).
"""

import datetime as dt
import os

import dagster as dg

from orchestration.jobs import refresh_job
from orchestration.partitions import monthly
from orchestration.reporting_calendar import close_day, closed_month_grace_days, month_start

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
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="06:00 UTC on the day the previous month closes (day 1 + closed_month_grace_days "
    "of seed reporting_calendar): rebuild and finalize that month (is_provisional = false) and "
    "publish. Skips every other day.",
)
def monthly_close(context: dg.ScheduleEvaluationContext):
    day = context.scheduled_execution_time.date()
    previous = month_start(day, 1)
    grace = closed_month_grace_days()
    if day != close_day(previous, grace):
        return dg.SkipReason(
            f"{previous:%B %Y} closes on {close_day(previous, grace)} "
            f"(closed_month_grace_days {grace}); nothing to close on {day}"
        )
    return refresh_range_request(day, 1, f"close-{day.isoformat()}")
