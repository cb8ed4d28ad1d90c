"""Schedules rebuild the right month range as one run."""

import datetime as dt

import dagster as dg
import pytest

from orchestration.schedules import daily_refresh, lookback_months, month_start, monthly_close
from orchestration.sensors import failure_line


def _tags(schedule, when: dt.datetime):
    with dg.build_schedule_context(scheduled_execution_time=when) as ctx:
        request = schedule(ctx)
    return request.tags


def test_month_start_crosses_year_boundaries():
    assert month_start(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 1)
    assert month_start(dt.date(2026, 3, 31), 14) == dt.date(2025, 1, 1)


def test_daily_refresh_rebuilds_current_and_previous_month(monkeypatch):
    monkeypatch.delenv("PARTNER_PULSE_LOOKBACK_MONTHS", raising=False)
    tags = _tags(daily_refresh, dt.datetime(2026, 3, 10, 5, tzinfo=dt.UTC))
    assert tags["dagster/asset_partition_range_start"] == "2026-02-01"
    assert tags["dagster/asset_partition_range_end"] == "2026-03-01"


def test_lookback_is_configurable_and_validated(monkeypatch):
    monkeypatch.setenv("PARTNER_PULSE_LOOKBACK_MONTHS", "3")
    tags = _tags(daily_refresh, dt.datetime(2026, 3, 10, 5, tzinfo=dt.UTC))
    assert tags["dagster/asset_partition_range_start"] == "2025-12-01"
    monkeypatch.setenv("PARTNER_PULSE_LOOKBACK_MONTHS", "lots")
    with pytest.raises(ValueError, match="PARTNER_PULSE_LOOKBACK_MONTHS"):
        lookback_months()


def test_monthly_close_finalizes_the_previous_month():
    tags = _tags(monthly_close, dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC))
    assert (tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"]) == ("2026-03-01", "2026-04-01")
    assert tags["partner_pulse/as_of"] == "2026-04-01"


def test_monthly_close_waits_for_the_grace_period(monkeypatch):
    import orchestration.schedules as schedules

    monkeypatch.setattr(schedules, "closed_month_grace_days", lambda: 3)
    with dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)
    ) as ctx:
        skipped = monthly_close(ctx)
    assert isinstance(skipped, dg.SkipReason)
    assert "2026-04-04" in skipped.skip_message
    tags = _tags(monthly_close, dt.datetime(2026, 4, 4, 6, tzinfo=dt.UTC))
    assert (tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"]) == ("2026-03-01", "2026-04-01")
    assert tags["partner_pulse/as_of"] == "2026-04-04"


def test_reporting_calendar_matches_the_dbt_rule(tmp_path):
    from orchestration.reporting_calendar import closed_month_grace_days, last_closed_month

    assert last_closed_month(dt.date(2026, 12, 2), 0) == dt.date(2026, 11, 1)
    assert last_closed_month(dt.date(2026, 12, 2), 3) == dt.date(2026, 10, 1)
    assert last_closed_month(dt.date(2026, 12, 3), 2) == dt.date(2026, 11, 1)
    assert closed_month_grace_days() == 0  # the shipped seed
    bad = tmp_path / "reporting_calendar.csv"
    bad.write_text("parameter,value,description\nclosed_month_grace_days,soon,x\n")
    with pytest.raises(ValueError, match="reporting_calendar.csv.*'soon'"):
        closed_month_grace_days(bad)


def test_failure_line_is_one_line():
    line = failure_line("r1", "refresh_pipeline", "boom\nat step x", dt.datetime(2026, 1, 1))
    assert line == "2026-01-01T00:00:00Z run=r1 job=refresh_pipeline error=boom at step x\n"
