"""`make demo`: materialize everything once through Dagster, publish, print what was produced.

One run of `refresh_pipeline` over every monthly partition (a single-run backfill): ingest the
drops, build staging/core/marts, run the checks, audit and publish. Runs are recorded in the
Dagster instance at $DAGSTER_HOME, so `make ui` shows them.
"""

import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.contract import TABLES
from ingestion.settings import Settings
from orchestration.definitions import defs
from orchestration.partitions import monthly
from orchestration.publishing import PublishConfig, read_manifest_duckdb
from orchestration.report_ecosystem import print_ecosystem_summary
from orchestration.report_health import print_health_summary
from orchestration.report_pulse import print_pulse_summary

#: Console logs at INFO: the DEBUG event stream is in the UI for whoever wants it.
QUIET = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_refresh(instance: dg.DagsterInstance) -> tuple[float, dg.ExecuteInProcessResult]:
    keys = monthly.get_partition_keys()
    tags = {
        "dagster/asset_partition_range_start": keys[0],
        "dagster/asset_partition_range_end": keys[-1],
    }
    started = time.perf_counter()
    job = defs.resolve_job_def("refresh_pipeline")
    result = job.execute_in_process(
        instance=instance, tags=tags, raise_on_error=False, run_config=QUIET
    )
    elapsed = time.perf_counter() - started
    if not result.success:
        print("\nThe pipeline run failed:", file=sys.stderr)
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data:
                error = event.step_failure_data.error
                print(f"  {event.step_key}: {error.message if error else ''}", file=sys.stderr)
        failed = [
            c for c in result.get_asset_check_evaluations()
            if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR
        ]
        for check in failed:
            print(f"  check {check.asset_key.to_user_string()}:{check.check_name} failed",
                  file=sys.stderr)
        raise SystemExit(1)
    return elapsed, result


def _print_raw(build: Path) -> None:
    con = duckdb.connect(str(build), read_only=True)
    try:
        print(f"\n{'raw table':<34}{'rows loaded':>13}{'quarantined':>13}")
        for t in TABLES:
            raw = con.execute(f'select count(*) from {t.raw_schema}."{t.name}"').fetchone()[0]
            bad = con.execute(
                f'select count(*) from quarantine."{t.quarantine_name}"').fetchone()[0]
            print(f"{'raw_' + t.key:<34}{raw:>13,}{bad:>13,}")
    finally:
        con.close()


def _print_marts(config: PublishConfig) -> None:
    manifest = read_manifest_duckdb(config.serving_path)
    if manifest is None:
        print("\nNothing was published.")
        return
    print(f"\nPublished version {manifest.publish_id} ({manifest.published_at:%Y-%m-%d %H:%M} UTC)")
    print(f"{'mart':<34}{'rows':>13}")
    for mart, rows in sorted(manifest.row_counts.items()):
        print(f"{mart:<34}{rows:>13,}")
    con = duckdb.connect(str(config.serving_path), read_only=True)
    try:
        print_health_summary(con)
        print_pulse_summary(con)
        print_ecosystem_summary(con)
    finally:
        con.close()


def _print_connect(config: PublishConfig) -> None:
    print(f"""
Where to find it
  build warehouse (pipeline only): {config.build_path}
  DuckDB for BI (read-only):       duckdb -readonly {config.serving_path}
                                   python: duckdb.connect('{config.serving_path}', read_only=True)
  Parquet for BI:                  {config.parquet_root}/current/<mart>/
  Great Expectations result:       {config.parquet_root}/current/gx_validation.json
  PostgreSQL:                      {"psql " + "$PARTNER_PULSE_POSTGRES_URL -c 'select * from "
                                     + config.postgres_schema + "._publish_manifest'"
                                     if config.postgres_url else
                                     "set PARTNER_PULSE_POSTGRES_URL to publish there too"}
  Metabase / Superset:             a DuckDB connection to the serving file (read-only), or
                                   the PostgreSQL schema '{config.postgres_schema}' as role
                                   '{config.bi_role}'
  Dagster UI:                      make ui   (runs, checks, metadata, backfills)""")


def print_results() -> None:
    """Rows per raw table and mart, the summaries, and where to connect."""
    _print_raw(Settings.from_env().warehouse)
    config = PublishConfig.from_env()
    _print_marts(config)
    _print_connect(config)


def main() -> None:
    with dg.DagsterInstance.get() as instance:
        seconds, _ = run_refresh(instance)
    print(f"\nPipeline run through Dagster (ingest, dbt build, checks, publish): {seconds:.0f} s")
    print_results()


if __name__ == "__main__":
    main()
