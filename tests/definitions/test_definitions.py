"""The Dagster graph loads, and its keys follow the raw contract."""

import subprocess

import dagster as dg

from ingestion.contract import TABLES
from orchestration.definitions import defs
from tests.conftest import REPO, venv_bin


def _asset_keys() -> set[dg.AssetKey]:
    return set(defs.resolve_asset_graph().get_all_asset_keys())


def test_every_raw_table_is_an_asset_with_the_contract_key_and_group():
    graph = defs.resolve_asset_graph()
    for table in TABLES:
        key = dg.AssetKey(["raw", table.source, table.name])
        assert key in _asset_keys(), key
        assert graph.get(key).group_name == f"raw_{table.source}"


def test_every_raw_asset_has_a_blocking_quarantine_check():
    graph = defs.resolve_asset_graph()
    for table in TABLES:
        key = dg.AssetKey(["raw", table.source, table.name])
        specs = list(graph.get(key).check_keys)
        assert any(c.name == "quarantine_rate_below_threshold" for c in specs), key
    assets_def = defs.resolve_assets_def(dg.AssetKey(["raw", "crm", "opportunities"]))
    [spec] = assets_def.check_specs
    assert spec.blocking


def test_raw_assets_share_the_single_writer_pool():
    assets_def = defs.resolve_assets_def(dg.AssetKey(["raw", "prm", "portal_events"]))
    assert {op.pool for op in assets_def.node_def.iterate_op_defs()} == {"duckdb_warehouse"}


def test_jobs_schedules_and_sensors_are_defined():
    assert defs.resolve_job_def("ingest_raw") is not None
    assert defs.resolve_job_def("refresh_pipeline").partitions_def is not None
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 5 * * *"
    assert defs.resolve_schedule_def("monthly_close").cron_schedule == "0 6 1 * *"
    assert defs.resolve_sensor_def("landing_drop_sensor") is not None
    assert defs.resolve_sensor_def("run_failure_recorder") is not None


def test_dagster_definitions_validate(pipeline_env):
    proc = subprocess.run(
        [venv_bin("dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
