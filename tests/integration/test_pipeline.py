"""The whole graph through Dagster on a temporary warehouse (tiny synthetic scale).

One module-scoped full run (every monthly partition as one single-run backfill, then
publish); tests that change the warehouse work on copies.
"""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg
import duckdb
import psycopg
import pytest
from psycopg import sql

from orchestration.definitions import defs
from orchestration.partitions import monthly
from orchestration.publishing import (
    read_manifest_duckdb,
    read_manifest_parquet,
    read_manifest_postgres,
)
from tests.conftest import REPO

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
AS_OF = dt.date(2026, 6, 15)
MONTHLY_KEYS = [
    dg.AssetKey(["core", "fct_partner_month"]),
    dg.AssetKey(["marts", "partner_health_score"]),
    dg.AssetKey(["intermediate", "int_partner_performance_monthly"]),
]


def _env(root: Path) -> dict[str, str]:
    return {
        "PARTNER_PULSE_WAREHOUSE": str(root / "warehouse" / "build.duckdb"),
        "PARTNER_PULSE_LANDING": str(root / "landing"),
        "PARTNER_PULSE_MAX_QUARANTINE_RATE": "0.2",
        "PARTNER_PULSE_AS_OF_DATE": AS_OF.isoformat(),
        "PARTNER_PULSE_POSTGRES_URL": "",
    }


def _run(env, instance, *, first=None, last=None, selection=None):
    keys = monthly.get_partition_keys()
    tags = {
        "dagster/asset_partition_range_start": first or keys[0],
        "dagster/asset_partition_range_end": last or keys[-1],
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        job = defs.resolve_job_def("refresh_pipeline")
        return job.execute_in_process(
            instance=instance,
            tags=tags,
            run_config=QUIET,
            raise_on_error=False,
            asset_selection=selection,
        )


PG_URL = os.environ.get(
    "PARTNER_PULSE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> bool:
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        return False
    return True


def _drop_postgres(schema: str, role: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as con:
        for suffix in ("", "__staging", "__previous"):
            con.execute(sql.SQL("drop schema if exists {} cascade").format(
                sql.Identifier(schema + suffix)))
        con.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    env = _env(root)
    suffix = uuid.uuid4().hex[:8]
    pg_schema, pg_role = f"pp_it_{suffix}", f"pp_it_bi_{suffix}"
    with_postgres = _postgres_available()
    if with_postgres:
        env.update({"PARTNER_PULSE_POSTGRES_URL": PG_URL,
                    "PARTNER_PULSE_POSTGRES_SCHEMA": pg_schema,
                    "PARTNER_PULSE_BI_ROLE": pg_role})
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ingestion.generate",
            "--scale",
            "tiny",
            "--seed",
            "5",
            "--end-date",
            AS_OF.isoformat(),
            "--out",
            env["PARTNER_PULSE_LANDING"],
            "--quiet",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    instance = dg.DagsterInstance.ephemeral()
    result = _run(env, instance)
    yield {"root": root, "env": env, "instance": instance, "result": result,
           "postgres_schema": pg_schema if with_postgres else None}
    if with_postgres:
        _drop_postgres(pg_schema, pg_role)


def _copy(built, tmp_path) -> dict[str, str]:
    """A private copy of the built warehouse (and landing) with its own targets."""
    env = _env(tmp_path)
    Path(env["PARTNER_PULSE_WAREHOUSE"]).parent.mkdir(parents=True)
    shutil.copy(built["env"]["PARTNER_PULSE_WAREHOUSE"], env["PARTNER_PULSE_WAREHOUSE"])
    shutil.copytree(built["env"]["PARTNER_PULSE_LANDING"], env["PARTNER_PULSE_LANDING"])
    serving = Path(built["env"]["PARTNER_PULSE_WAREHOUSE"]).with_name("serving.duckdb")
    shutil.copy(serving, Path(env["PARTNER_PULSE_WAREHOUSE"]).with_name("serving.duckdb"))
    return env


def _rows(path: str, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _exec(path: str, sql: str) -> None:
    con = duckdb.connect(path)
    try:
        con.execute(sql)
    finally:
        con.close()


def test_full_run_materializes_every_asset_and_publishes_one_version(built):
    result = built["result"]
    assert result.success
    graph_keys = set(defs.resolve_asset_graph().get_all_asset_keys())
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert graph_keys - materialized == set()
    warehouse = Path(built["env"]["PARTNER_PULSE_WAREHOUSE"])
    duck = read_manifest_duckdb(warehouse.with_name("serving.duckdb"))
    parquet = read_manifest_parquet(warehouse.with_name("parquet"))
    assert duck is not None and duck == parquet
    if built["postgres_schema"]:
        assert read_manifest_postgres(PG_URL, built["postgres_schema"]) == duck
    assert duck.row_counts["partner_health_score"] > 0
    assert (warehouse.with_name("parquet") / "current" / "gx_validation.json").exists()


#: Column names that would carry a respondent, a contact or free text: none may be published.
_PRIVATE_COLUMN = re.compile(
    r"(^|_)(respondent|contact|email|response_id|invitation_id|text_value|comment|question_text"
    r"|free_text)(_|$)"
)


def test_nothing_private_is_published_and_every_pulse_cell_has_k_respondents(built):
    """Every published table - DuckDB serving, Parquet, PostgreSQL - is scanned for respondent,
    contact, e-mail and free-text columns; every unsuppressed pulse cell has >= k respondents."""
    warehouse = Path(built["env"]["PARTNER_PULSE_WAREHOUSE"])
    serving = str(warehouse.with_name("serving.duckdb"))
    columns = {
        (table, column)
        for table, column in _rows(
            serving,
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main'",
        )
    }
    current = warehouse.with_name("parquet") / "current"
    for folder in sorted(p for p in current.iterdir() if p.is_dir()):
        for (column,) in _rows(serving,
                               f"select name from parquet_schema('{folder}/*.parquet') "
                               "where name <> 'duckdb_schema'"):
            columns.add((folder.name, column))
    if built["postgres_schema"]:
        with psycopg.connect(PG_URL) as pg:
            columns |= set(pg.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = %s", [built["postgres_schema"]]).fetchall())
    assert {t for t, _ in columns} >= {"partner_pulse_results", "partner_health_score"}
    leaks = sorted((t, c) for t, c in columns if _PRIVATE_COLUMN.search(c))
    assert leaks == []
    assert "partner_pulse_followups" not in {t for t, _ in columns}
    small = _rows(
        serving,
        "select wave_id, segment_type, segment_value, metric, respondents "
        "from partner_pulse_results where not is_suppressed and respondents between 1 and 4",
    )
    assert small == []


def test_backfill_of_three_months_equals_the_full_build(built, tmp_path):
    env = _copy(built, tmp_path)
    path = env["PARTNER_PULSE_WAREHOUSE"]
    months = ("2026-01-01", "2026-02-01", "2026-03-01")
    table = "marts.partner_health_score"
    query = f"select * from {table} where month_start in {months} order by all"
    expected = _rows(path, query)
    assert expected
    _exec(path, f"delete from {table} where month_start in {months}")
    _exec(path, f"delete from core.fct_partner_month where month_start in {months}")
    result = _run(
        env,
        dg.DagsterInstance.ephemeral(),
        first=months[0],
        last=months[-1],
        selection=MONTHLY_KEYS,
    )
    assert result.success
    assert _rows(path, query) == expected


def test_rerunning_a_partition_changes_nothing(built, tmp_path):
    env = _copy(built, tmp_path)
    path = env["PARTNER_PULSE_WAREHOUSE"]
    query = "select * from marts.partner_health_score order by all"
    before = _rows(path, query)
    result = _run(
        env,
        dg.DagsterInstance.ephemeral(),
        first="2026-02-01",
        last="2026-02-01",
        selection=MONTHLY_KEYS,
    )
    assert result.success
    assert _rows(path, query) == before


def test_a_broken_mart_blocks_publishing_and_names_the_check(built, tmp_path):
    env = _copy(built, tmp_path)
    path = env["PARTNER_PULSE_WAREHOUSE"]
    serving = Path(path).with_name("serving.duckdb")
    served_before = read_manifest_duckdb(serving)
    _exec(
        path,
        "update marts.partner_health_score set health_score = 140 "
        "where partner_id = (select min(partner_id) from marts.partner_health_score)",
    )
    instance = dg.DagsterInstance.ephemeral()
    check_key = dg.AssetCheckKey(
        dg.AssetKey(["marts", "partner_health_score"]), "pandera_mart_schema"
    )
    gated = _run(env, instance, selection=[dg.AssetKey(["publish", "marts"])])
    assert not gated.success  # the audit inside publish refuses on its own
    failure = next(e for e in gated.all_events if e.is_step_failure)
    assert "health_score" in failure.step_failure_data.error.message
    check_only = dg.Definitions(
        assets=defs.assets, asset_checks=defs.asset_checks, resources=defs.resources,
        jobs=[dg.define_asset_job("check_only", selection=dg.AssetSelection.checks(check_key))],
    )
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        check_run = check_only.resolve_job_def("check_only").execute_in_process(
            instance=instance, run_config=QUIET, raise_on_error=False
        )
    [evaluation] = check_run.get_asset_check_evaluations()
    assert not evaluation.passed
    refused = _run(env, instance, selection=[dg.AssetKey(["publish", "marts"])])
    assert not refused.success
    message = next(e for e in refused.all_events if e.is_step_failure)
    assert (
        "marts/partner_health_score:pandera_mart_schema" in message.step_failure_data.error.message
    )
    assert read_manifest_duckdb(serving) == served_before


def test_a_failing_blocking_check_skips_publish_in_the_same_run(built, tmp_path):
    env = _copy(built, tmp_path)
    path = env["PARTNER_PULSE_WAREHOUSE"]
    serving = Path(path).with_name("serving.duckdb")
    served_before = read_manifest_duckdb(serving)
    _exec(path, "update marts.partner_health_score set data_completeness = 1.5")
    health = dg.AssetKey(["marts", "partner_health_score"])
    publish_key = dg.AssetKey(["publish", "marts"])
    selection = dg.AssetSelection.assets(publish_key) | dg.AssetSelection.checks(
        dg.AssetCheckKey(health, "pandera_mart_schema"))
    gated = dg.Definitions(
        assets=defs.assets, asset_checks=defs.asset_checks, resources=defs.resources,
        jobs=[dg.define_asset_job("check_then_publish", selection=selection)],
    )
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        result = gated.resolve_job_def("check_then_publish").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), run_config=QUIET, raise_on_error=False
        )
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed and "data_completeness" in (evaluation.description or "")
    assert publish_key not in {e.asset_key for e in result.get_asset_materialization_events()}
    publish_started = [e for e in result.all_events
                       if e.is_step_start and e.step_key == "publish__marts"]
    assert not publish_started  # blocked by the check: the publish step never ran
    job = gated.resolve_job_def("check_then_publish")
    assert publish_key in job.asset_layer.executable_asset_keys  # in the plan, held back
    assert read_manifest_duckdb(serving) == served_before
