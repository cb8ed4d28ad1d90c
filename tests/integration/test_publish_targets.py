"""Publishing to PostgreSQL, DuckDB and Parquet together: one version everywhere, rollback, BI role.

Needs PostgreSQL (``PARTNER_PULSE_TEST_POSTGRES_URL``, default the local ``test`` database).
Skipped when the server is unreachable, except in CI (``CI=true``), where that is a failure.
Every test uses its own schema and role and drops them afterwards.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest
from psycopg import sql

from orchestration.publishing import (
    MartRef,
    PublishConfig,
    PublishError,
    publish,
    read_manifest_duckdb,
    read_manifest_parquet,
    read_manifest_postgres,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

PG_URL = os.environ.get(
    "PARTNER_PULSE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
MARTS = (MartRef("marts", "partner_health_score"), MartRef("marts", "partner_alerts"))


def make_build(path: Path, rows: int) -> None:
    """Two small marts covering the mapped types, NULL vs empty string and quoting."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        f"""create or replace table marts.partner_health_score as
        select 'P' || lpad(i::varchar, 4, '0') as partner_id,
               date '2026-01-01' + (i % 28)::int as month,
               (i * 37 % 100)::decimal(5, 2) as health_score,
               i / 7.0 as engagement,
               i::integer as rank_in_tier,
               i % 5 = 0 as is_provisional,
               timestamp '2026-11-27 10:00:00.123456' + to_minutes(i::bigint) as computed_at
        from range({rows}) t(i)"""
    )
    con.execute(
        f"""create or replace table marts.partner_alerts as
        select 'P' || lpad(i::varchar, 4, '0') as partner_id,
               case i % 3 when 0 then null when 1 then '' else 'churn, "risk"
multi-line' end as reason,
               i::bigint as severity
        from range({rows // 2}) t(i)"""
    )
    con.close()


@pytest.fixture(scope="module")
def pg_url() -> str:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as con:
            con.execute("select 1")
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is unreachable in CI: {exc}")
        pytest.skip(f"PostgreSQL is unreachable: {exc}")
    return PG_URL


@pytest.fixture
def config(tmp_path: Path, pg_url: str) -> Iterator[PublishConfig]:
    schema = f"pp_test_{secrets.token_hex(4)}"
    make_build(tmp_path / "build.duckdb", rows=40)
    yield PublishConfig(
        build_path=tmp_path / "build.duckdb",
        serving_path=tmp_path / "serving.duckdb",
        parquet_root=tmp_path / "parquet",
        postgres_url=pg_url,
        postgres_schema=schema,
        bi_role=f"{schema}_bi",
        extra_files={"gx_validation.json": b'{"success": true}'},
        postgres_lock_timeout_s=5,
    )
    with psycopg.connect(pg_url, autocommit=True) as con:
        for suffix in ("", "__previous", "__staging"):
            con.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema + suffix))
            )
        role = f"{schema}_bi"
        if con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
            con.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            con.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def manifests(config: PublishConfig):
    return (
        read_manifest_postgres(config.postgres_url, config.postgres_schema),
        read_manifest_duckdb(config.serving_path),
        read_manifest_parquet(config.parquet_root),
    )


def schemas(config: PublishConfig) -> set[str]:
    with psycopg.connect(config.postgres_url) as con:
        rows = con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            [config.postgres_schema + "%"],
        ).fetchall()
    return {r[0] for r in rows}


def fail_at(step: str):
    def hook(name: str) -> None:
        if name == step:
            raise RuntimeError(f"injected failure at {name}")

    return hook


def test_all_targets_show_one_version_and_roll_back_together(config: PublishConfig):
    first = publish(config, MARTS)
    assert first.targets == ("postgres", "duckdb", "parquet")
    assert manifests(config) == (first.manifest,) * 3

    # PostgreSQL holds the same values as the DuckDB serving file (types, NULL vs '', quoting)
    schema = config.postgres_schema
    with duckdb.connect(str(config.serving_path), read_only=True) as duck:
        for mart in ("partner_health_score", "partner_alerts"):
            expected = duck.execute(f"select * from {mart} order by partner_id").fetchall()
            with psycopg.connect(config.postgres_url) as pg:
                got = pg.execute(
                    sql.SQL("SELECT * FROM {} ORDER BY partner_id").format(
                        sql.Identifier(schema, mart)
                    )
                ).fetchall()
            assert got == expected, mart
    with psycopg.connect(config.postgres_url) as pg:
        files = pg.execute(
            sql.SQL("SELECT name, content FROM {}").format(sql.Identifier(schema, "_publish_files"))
        ).fetchall()
    assert files == [("gx_validation.json", b'{"success": true}')]

    make_build(config.build_path, rows=50)
    second = publish(config, MARTS)
    assert manifests(config) == (second.manifest,) * 3
    assert read_manifest_postgres(config.postgres_url, f"{schema}__previous") == first.manifest

    # a failure after PostgreSQL switched puts all three back on the previous version
    make_build(config.build_path, rows=60)
    with pytest.raises(PublishError, match="postgres_switched") as err:
        publish(config, MARTS, fault=fail_at("postgres_switched"))
    assert "rolled back: postgres" in str(err.value)
    assert manifests(config) == (second.manifest,) * 3
    assert schemas(config) == {schema}  # staging dropped; older previous was replaced

    # a failure while loading PostgreSQL switches nothing and leaves no staging schema
    with pytest.raises(PublishError, match="nothing was switched"):
        publish(config, MARTS, fault=fail_at("postgres_writing"))
    assert manifests(config) == (second.manifest,) * 3
    assert schemas(config) == {schema}

    third = publish(config, MARTS)
    assert manifests(config) == (third.manifest,) * 3
    assert third.row_counts["partner_health_score"] == 60


def test_first_publish_rolled_back_leaves_no_schema(config: PublishConfig):
    with pytest.raises(PublishError, match="duckdb_switched"):
        publish(config, MARTS, fault=fail_at("duckdb_switched"))
    assert manifests(config) == (None, None, None)
    assert schemas(config) == set()


def test_bi_role_can_read_but_not_write(config: PublishConfig):
    publish(config, MARTS)
    publish(config, MARTS)  # grants follow the schema swap
    schema, role = config.postgres_schema, config.bi_role
    table = sql.Identifier(schema, "partner_alerts")
    with psycopg.connect(config.postgres_url) as pg:
        pg.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        count = pg.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        assert count == (20,)
        pg.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            pg.execute(sql.SQL("INSERT INTO {} (partner_id) VALUES ('x')").format(table))
        pg.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            pg.execute(
                sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(schema, "intruder"))
            )
        pg.rollback()


def test_switch_is_not_blocked_by_a_reading_session(config: PublishConfig):
    publish(config, MARTS)
    table = sql.Identifier(config.postgres_schema, "partner_health_score")
    with psycopg.connect(config.postgres_url) as reader:
        # an open transaction that has read the live tables holds their locks
        assert reader.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone() == (40,)
        make_build(config.build_path, rows=45)
        started = time.perf_counter()
        second = publish(config, MARTS)
        assert time.perf_counter() - started < 4  # lock timeout is 5 s
        reader.rollback()
        assert reader.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone() == (45,)
    assert manifests(config) == (second.manifest,) * 3
