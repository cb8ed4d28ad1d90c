"""The single Dagster Definitions of Partner Pulse."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.raw import build_raw_assets
from orchestration.jobs import ingest_raw_job
from orchestration.resources import default_resources
from orchestration.schedules import daily_ingest_schedule
from orchestration.sensors import landing_drop_sensor

defs = dg.Definitions(
    assets=build_raw_assets(),
    jobs=[ingest_raw_job],
    schedules=[daily_ingest_schedule],
    sensors=[landing_drop_sensor],
    resources=default_resources(),
    executor=dg.in_process_executor,
)
