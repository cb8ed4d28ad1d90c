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
    specs = {spec.name: spec for spec in assets_def.check_specs}
    assert set(specs) == {"quarantine_rate_below_threshold", "source_freshness"}
    assert all(spec.blocking for spec in specs.values())


def test_raw_assets_share_the_single_writer_pool():
    assets_def = defs.resolve_assets_def(dg.AssetKey(["raw", "prm", "portal_events"]))
    assert {op.pool for op in assets_def.node_def.iterate_op_defs()} == {"duckdb_warehouse"}


def test_jobs_schedules_and_sensors_are_defined():
    assert defs.resolve_job_def("ingest_raw") is not None
    assert defs.resolve_job_def("refresh_pipeline").partitions_def is not None
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 5 * * *"
    assert defs.resolve_schedule_def("monthly_close").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("landing_drop_sensor") is not None
    assert defs.resolve_sensor_def("run_failure_recorder") is not None


def test_dagster_definitions_validate(pipeline_env):
    proc = subprocess.run(
        [venv_bin("dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_dbt_model_is_an_asset_and_sources_map_to_raw_assets():
    import json

    from orchestration.assets.dbt_models import manifest_path

    manifest = json.loads(manifest_path().read_text())
    keys = _asset_keys()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model":
            assert dg.AssetKey([node["schema"], node["name"]]) in keys, node["name"]
    raw_keys = {dg.AssetKey(["raw", t.source, t.name]) for t in TABLES}
    graph = defs.resolve_asset_graph()
    for model in ("stg_crm__opportunities", "stg_prm__portal_events", "stg_survey__answers"):
        parents = graph.get(dg.AssetKey(["staging", model])).parent_keys
        assert parents and parents <= raw_keys, (model, parents)


def test_every_published_mart_has_a_primary_key_and_a_blocking_pandera_check():
    from orchestration.assets.dbt_models import mart_primary_keys, published_marts
    from orchestration.quality.mart_rules import mart_key

    declared = mart_primary_keys()
    marts = published_marts()
    assert {"partner_health_score", "partner_performance", "fct_partner_month"} <= {
        m.name for m in marts
    }
    graph = defs.resolve_asset_graph()
    for mart in marts:
        mart_key(mart.name, declared)  # raises, naming the mart, when it has no key
        checks = {c.name for c in graph.get(dg.AssetKey([mart.schema, mart.name])).check_keys}
        assert "pandera_mart_schema" in checks, mart.name


def test_partitioned_models_share_monthly_partitions_with_single_run_backfills():
    for key in (
        ["core", "fct_partner_month"],
        ["marts", "partner_health_score"],
        ["intermediate", "int_partner_performance_monthly"],
    ):
        name = key[-1]
        assets_def = defs.resolve_assets_def(dg.AssetKey(key))
        assert assets_def.partitions_def is not None, name
        assert assets_def.backfill_policy == dg.BackfillPolicy.single_run(), name


def test_every_published_mart_has_an_enforced_contract_and_described_columns():
    import json

    from orchestration.assets.dbt_models import manifest_path, published_marts

    nodes = {n["name"]: n for n in json.loads(manifest_path().read_text())["nodes"].values()
             if n["resource_type"] == "model"}
    for mart in published_marts():
        node = nodes[mart.name]
        assert node["config"]["contract"]["enforced"], mart.name
        assert node["description"].strip(), mart.name
        undocumented = [c for c, v in node["columns"].items() if not v["description"].strip()]
        assert not undocumented, (mart.name, undocumented)
