"""Publish layer: audit the candidate marts, then write-audit-publish them to the BI targets.

The publish asset depends on every published mart, whose blocking checks (dbt tests, pandera
schemas) gate it within a run. Materialized on its own it is not gated by another run's
checks, so it also reads the latest evaluation of every check in the code location and
refuses to publish while any error-severity check is failing.
"""

import json
import os

import dagster as dg

from ingestion.settings import SOURCES, enabled_sources, parse_rate
from orchestration.assets.dbt_models import mart_asset_key, mart_primary_keys, published_marts
from orchestration.publishing import (
    MartRef,
    PublishConfig,
    PublishError,
    publish,
    read_manifest_duckdb,
)
from orchestration.quality.audit import audit_marts, health_overview, read_marts
from orchestration.quality.pandera_marts import validate_mart
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

PUBLISH_KEY = dg.AssetKey(["publish", "marts"])


def failing_checks(instance: dg.DagsterInstance, check_keys) -> list[str]:
    """Error-severity checks whose latest evaluation failed."""
    failing = []
    for key in sorted(check_keys, key=lambda k: k.to_user_string()):
        record = instance.get_latest_asset_check_evaluation_record(key)
        if record is None or record.event is None or record.event.dagster_event is None:
            continue
        evaluation = record.event.dagster_event.event_specific_data
        passed = getattr(evaluation, "passed", True)
        severity = getattr(evaluation, "severity", dg.AssetCheckSeverity.ERROR)
        if not passed and severity == dg.AssetCheckSeverity.ERROR:
            failing.append(key.to_user_string())
    return failing


def _max_rowcount_change() -> float:
    raw = os.environ.get("PARTNER_PULSE_MAX_ROWCOUNT_CHANGE")
    return parse_rate("PARTNER_PULSE_MAX_ROWCOUNT_CHANGE", raw, 0.5)


def _health_metadata(frames) -> dict[str, object]:
    overview = health_overview(frames)
    if not overview:
        return {}
    return {
        "health_month": overview["month"],
        "health_band_distribution": dg.MetadataValue.json(overview["bands"]),
        "lowest_at_risk_partners": dg.MetadataValue.md(overview["at_risk_preview_markdown"]),
    }


def build_publish_asset(gating_checks: list[dg.AssetCheckKey]) -> dg.AssetsDefinition:
    """`gating_checks`: every check in the code location; publish refuses while any of them
    (error severity) last failed."""
    marts = published_marts()
    keys = mart_primary_keys()

    @dg.asset(
        key=PUBLISH_KEY,
        group_name="publish",
        deps=[mart_asset_key(m) for m in marts],
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "parquet", "postgres"},
        description="Audits the candidate marts (latest checks, pandera, Great Expectations, "
        "row-count change) and publishes them as one version to PostgreSQL (when "
        "PARTNER_PULSE_POSTGRES_URL is set), warehouse/serving.duckdb and warehouse/parquet.",
    )
    def publish_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        failing = failing_checks(context.instance, gating_checks)
        if failing:
            raise dg.Failure(
                description="publish refused: failing checks: " + ", ".join(failing),
                metadata={"failing_checks": dg.MetadataValue.json(failing)},
            )
        config = PublishConfig.from_env(build_path=warehouse.file)
        serving = config.serving_path
        previous = read_manifest_duckdb(serving) if serving.exists() else None
        frames = read_marts(config.build_path, marts)
        report = audit_marts(frames, keys, previous, _max_rowcount_change())
        gx_stats = report.gx_result.get("statistics", {})
        if not report.passed:
            raise dg.Failure(
                description="publish refused by the audit: " + "; ".join(report.failures()[:10]),
                metadata={
                    "failures": dg.MetadataValue.json(report.failures()),
                    "great_expectations": dg.MetadataValue.json(gx_stats),
                },
            )
        gx_json = json.dumps(report.gx_result, default=str, indent=1).encode()
        config = PublishConfig.from_env(
            build_path=warehouse.file, extra_files={"gx_validation.json": gx_json}
        )
        try:
            result = publish(config, marts)
        except PublishError as exc:
            raise dg.Failure(description=f"publish failed at step {exc.step}: {exc}") from exc
        return dg.MaterializeResult(
            metadata={
                "publish_id": result.publish_id,
                "targets": ", ".join(result.targets),
                "row_counts": dg.MetadataValue.json(result.row_counts),
                "great_expectations": dg.MetadataValue.json(gx_stats),
                "serving_duckdb": str(config.serving_path),
                "parquet_current": str(config.parquet_root / "current"),
                "duration_s": round(result.duration_s, 2),
                "sources_enabled": ", ".join(enabled_sources()),
                "sources_not_enabled": ", ".join(
                    s for s in SOURCES if s not in enabled_sources()) or "none",
                "empty_marts": dg.MetadataValue.json(
                    sorted(m for m, n in result.row_counts.items() if n == 0)),
                **_health_metadata(frames),
            }
        )

    return publish_marts


def _mart_check(mart: MartRef, keys: dict[str, tuple[str, ...]]) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=mart_asset_key(mart),
        name="pandera_mart_schema",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description="Primary key unique and not null; scores 0-100, rates 0-1, "
        "attainment >= 0, NPS -100..100 (orchestration/quality/mart_rules.py).",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        con = warehouse.connect(read_only=True)
        try:
            frame = con.sql(f'select * from "{mart.schema}"."{mart.name}"').pl()
        finally:
            con.close()
        failures = validate_mart(mart.name, frame, keys)
        return dg.AssetCheckResult(
            passed=not failures,
            metadata={"rows": frame.height, "failures": dg.MetadataValue.json(failures)},
            description="; ".join(failures[:5]) or f"{frame.height:,} rows valid",
        )

    return _check


def build_mart_checks() -> list[dg.AssetChecksDefinition]:
    """A blocking pandera check on every published mart (keys, ranges)."""
    keys = mart_primary_keys()
    return [_mart_check(mart, keys) for mart in published_marts()]
