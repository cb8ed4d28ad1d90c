"""Asset jobs. Every job runs in-process: one DuckDB writer inside a run too."""

import dagster as dg

from ingestion.contract import SOURCES

RAW_GROUPS = tuple(f"raw_{source}" for source in SOURCES)

ingest_raw_job = dg.define_asset_job(
    "ingest_raw",
    selection=dg.AssetSelection.groups(*RAW_GROUPS),
    description="Load every new file drop of every source into raw (with quarantine).",
    executor_def=dg.in_process_executor,
)

refresh_job = dg.define_asset_job(
    "refresh_pipeline",
    selection=dg.AssetSelection.all(),
    description="Ingest new drops, rebuild staging/core/marts for the selected months "
    "(a range runs as one dbt invocation) and everything unpartitioned.",
    executor_def=dg.in_process_executor,
)
