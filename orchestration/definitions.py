"""The single Dagster Definitions of Partner Pulse."""

import dagster as dg

from orchestration.assets.dbt_models import build_dbt_assets, dbt_resource
from orchestration.assets.publish import build_mart_checks, build_publish_asset
from orchestration.assets.raw import build_raw_assets
from orchestration.jobs import ingest_raw_job, refresh_job
from orchestration.resources import default_resources
from orchestration.schedules import daily_refresh, monthly_close
from orchestration.sensors import landing_drop_sensor, run_failure_recorder


def _check_keys(definitions) -> list[dg.AssetCheckKey]:
    return [key for d in definitions for key in d.check_keys]


pipeline_assets = [*build_raw_assets(), *build_dbt_assets()]
mart_checks = build_mart_checks()

defs = dg.Definitions(
    assets=[*pipeline_assets, build_publish_asset(_check_keys([*pipeline_assets, *mart_checks]))],
    asset_checks=mart_checks,
    jobs=[ingest_raw_job, refresh_job],
    schedules=[daily_refresh, monthly_close],
    sensors=[landing_drop_sensor, run_failure_recorder],
    resources={**default_resources(), "dbt": dbt_resource()},
    executor=dg.in_process_executor,
)
