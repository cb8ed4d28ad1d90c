"""Schedules."""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import ingest_raw_job

daily_ingest_schedule = dg.ScheduleDefinition(
    name="daily_ingest",
    job=ingest_raw_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description="Daily at 05:00 UTC: load the drops that arrived since the last run.",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
