"""The documented PostgreSQL storage variant of dagster.yaml works: one asset materializes
and its run is recorded in PostgreSQL."""

import os
import shutil
import uuid

import dagster as dg
import psycopg
import pytest

from tests.conftest import REPO

PG_ADMIN_URL = os.environ.get(
    "PARTNER_PULSE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _admin():
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")


@pytest.fixture
def pg_dagster_home(tmp_path, monkeypatch):
    db = f"pp_dagster_{uuid.uuid4().hex[:8]}"
    with _admin() as admin:
        admin.execute(f'create database "{db}"')
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.postgres.yaml", home / "dagster.yaml")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv(
        "DAGSTER_PG_URL", f"{base}/{db}".replace("postgresql://", "postgresql+psycopg2://", 1)
    )
    yield db
    with _admin() as admin:
        admin.execute(f'drop database if exists "{db}" with (force)')


def test_materialize_one_asset_on_postgres_storage(pg_dagster_home):
    @dg.asset
    def storage_probe() -> int:
        return 42

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = dg.materialize([storage_probe], instance=instance)
        assert result.success
        record = instance.get_latest_materialization_event(dg.AssetKey("storage_probe"))
        assert record is not None and record.run_id == result.run_id
