"""Publishing to the DuckDB serving file and Parquet (no PostgreSQL): versions, rollback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing import (
    FAULT_STEPS,
    MartRef,
    PublishConfig,
    PublishError,
    new_publish_id,
    pg_column,
    publish,
    read_manifest_duckdb,
    read_manifest_parquet,
)
from orchestration.publishing.publisher import _publish_lock

MARTS = (MartRef("marts", "partner_health_score"), MartRef("marts", "partner_alerts"))


def make_build(path: Path, rows: int) -> None:
    """A build warehouse with two small marts of mixed types; ``rows`` changes their contents."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        f"""create or replace table marts.partner_health_score as
        select 'P' || lpad(i::varchar, 4, '0') as partner_id,
               date '2026-01-01' + (i % 28)::int as month,
               (i * 37 % 100)::decimal(5, 2) as health_score,
               i / 7.0 as engagement,
               i % 5 = 0 as is_provisional,
               timestamp '2026-11-27 10:00:00' + to_minutes(i::bigint) as computed_at
        from range({rows}) t(i)"""
    )
    con.execute(
        f"""create or replace table marts.partner_alerts as
        select 'P' || lpad(i::varchar, 4, '0') as partner_id,
               case i % 3 when 0 then null when 1 then '' else 'churn, "risk"' end as reason,
               i::integer as severity
        from range({rows // 2}) t(i)"""
    )
    con.close()


@pytest.fixture
def config(tmp_path: Path) -> PublishConfig:
    wh = tmp_path / "warehouse"
    wh.mkdir()
    make_build(wh / "build.duckdb", rows=40)
    return PublishConfig(
        build_path=wh / "build.duckdb",
        serving_path=wh / "serving.duckdb",
        parquet_root=wh / "parquet",
        postgres_url=None,
        extra_files={"gx_validation.json": b'{"success": true}'},
    )


def fail_at(step: str):
    def hook(name: str) -> None:
        if name == step:
            raise RuntimeError(f"injected failure at {name}")

    return hook


def snapshot(config: PublishConfig) -> dict[str, object]:
    """Everything a reader could observe, to prove a failed publish changed nothing."""
    current = config.parquet_root / "current"
    versions = config.parquet_root / "_versions"
    files = sorted(
        p.name for p in config.serving_path.parent.iterdir() if not p.name.startswith(".")
    )
    return {
        "serving": config.serving_path.read_bytes() if config.serving_path.exists() else None,
        "current": os.readlink(current) if current.is_symlink() else None,
        "versions": sorted(p.name for p in versions.iterdir()) if versions.exists() else [],
        "files": files,
    }


def assert_no_leftovers(config: PublishConfig) -> None:
    names = [p.name for p in config.serving_path.parent.rglob("*")]
    assert not [n for n in names if n.endswith((".tmp", ".wal"))], names


# --- pure helpers ------------------------------------------------------------------------------


def test_publish_id_is_sortable_utc_timestamp_with_suffix():
    pid = new_publish_id()
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{4}", pid)
    assert new_publish_id() != new_publish_id()


def test_config_rejects_unsafe_names_and_hides_the_url(tmp_path: Path):
    base = dict(build_path=tmp_path / "b", serving_path=tmp_path / "s", parquet_root=tmp_path)
    cfg = PublishConfig(**base, postgres_url="postgresql://u:s3cret@h/db")
    assert "s3cret" not in repr(cfg)
    assert PublishConfig(**base, postgres_url="").postgres_url is None
    with pytest.raises(ValueError, match="schema"):
        PublishConfig(**base, postgres_schema='x"; drop schema public; --')
    with pytest.raises(ValueError, match="too long"):
        PublishConfig(**base, postgres_schema="s" * 60)
    with pytest.raises(ValueError, match="extra file"):
        PublishConfig(**base, extra_files={"../escape.json": b""})
    with pytest.raises(ValueError, match="reserved"):
        MartRef("marts", "_publish_manifest")
    with pytest.raises(ValueError):
        MartRef("marts", "bad-name")


def test_config_from_env_defaults_next_to_the_build_warehouse(tmp_path: Path):
    env = {"PARTNER_PULSE_WAREHOUSE": str(tmp_path / "wh" / "build.duckdb")}
    cfg = PublishConfig.from_env(env)
    assert cfg.serving_path == tmp_path / "wh" / "serving.duckdb"
    assert cfg.parquet_root == tmp_path / "wh" / "parquet"
    assert cfg.postgres_url is None and cfg.postgres_schema == "partner_pulse"


@pytest.mark.parametrize(
    ("duck", "pg"),
    [
        ("VARCHAR", "text"),
        ("DOUBLE", "double precision"),
        ("INTEGER", "bigint"),
        ("BIGINT", "bigint"),
        ("BOOLEAN", "boolean"),
        ("DATE", "date"),
        ("TIMESTAMP", "timestamp"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("DECIMAL(18,2)", "numeric(18,2)"),
        ("HUGEINT", "numeric(39,0)"),
        ("VARCHAR[]", "jsonb"),
        ("STRUCT(a INTEGER)", "jsonb"),
        ("ENUM('a', 'b')", "text"),
    ],
)
def test_duckdb_types_map_to_postgres(duck: str, pg: str):
    assert pg_column("c", duck)[0] == pg


def test_bad_input_is_refused_before_anything_is_written(config: PublishConfig):
    with pytest.raises(ValueError, match="unique"):
        publish(config, [MARTS[0], MartRef("other", MARTS[0].name)])
    with pytest.raises(ValueError, match="publish_id"):
        publish(config, MARTS, publish_id="../../etc")
    with pytest.raises(PublishError, match="duckdb_staging") as err:
        publish(config, [MartRef("marts", "missing_mart")])
    assert err.value.step == "duckdb_staging"
    assert snapshot(config)["serving"] is None
    assert_no_leftovers(config)


# --- publish, versions, rollback ---------------------------------------------------------------


def test_publish_writes_one_version_to_duckdb_and_parquet(config: PublishConfig):
    first = publish(config, MARTS)
    assert first.targets == ("duckdb", "parquet")
    assert first.row_counts == {"partner_health_score": 40, "partner_alerts": 20}
    assert read_manifest_duckdb(config.serving_path) == first.manifest
    assert read_manifest_parquet(config.parquet_root) == first.manifest

    # the data itself, in both targets, equals the build warehouse
    query = "select * from {} order by partner_id"
    with duckdb.connect(str(config.build_path), read_only=True) as build:
        expected = build.execute(query.format("marts.partner_alerts")).fetchall()
    with duckdb.connect(str(config.serving_path), read_only=True) as serving:
        assert serving.execute(query.format("partner_alerts")).fetchall() == expected
        files = serving.execute("select name, content from _publish_files").fetchall()
        assert files == [("gx_validation.json", b'{"success": true}')]
    current = config.parquet_root / "current"
    parquet = f"read_parquet('{current}/partner_alerts/*.parquet')"
    assert duckdb.sql(query.format(parquet)).fetchall() == expected
    assert (current / "gx_validation.json").read_bytes() == b'{"success": true}'

    make_build(config.build_path, rows=50)
    second = publish(config, MARTS)
    assert second.publish_id != first.publish_id
    assert second.row_counts == {"partner_health_score": 50, "partner_alerts": 25}
    assert read_manifest_duckdb(config.serving_path) == second.manifest
    assert read_manifest_parquet(config.parquet_root) == second.manifest
    # current is a symlink to the new version; the previous version is kept in both targets
    assert current.is_symlink()
    assert os.readlink(current) == f"_versions/{second.publish_id}"
    versions = config.parquet_root / "_versions"
    assert sorted(p.name for p in versions.iterdir()) == sorted(
        [first.publish_id, second.publish_id]
    )
    previous = config.serving_path.with_name("serving.previous.duckdb")
    assert read_manifest_duckdb(previous) == first.manifest
    assert_no_leftovers(config)


@pytest.mark.parametrize("step", ["duckdb_switched", "parquet_switched"])
def test_failure_after_a_switch_rolls_every_target_back(config: PublishConfig, step: str):
    first = publish(config, MARTS)
    make_build(config.build_path, rows=60)
    with pytest.raises(PublishError, match=step) as err:
        publish(config, MARTS, publish_id="20990101T000000Z-fail", fault=fail_at(step))
    assert err.value.step == step
    assert "rolled back: " in str(err.value) and "duckdb" in str(err.value)
    assert read_manifest_duckdb(config.serving_path) == first.manifest
    assert read_manifest_parquet(config.parquet_root) == first.manifest
    assert not (config.parquet_root / "_versions" / "20990101T000000Z-fail").exists()
    assert_no_leftovers(config)

    # and the next publish works normally
    third = publish(config, MARTS)
    assert read_manifest_duckdb(config.serving_path) == third.manifest
    assert read_manifest_parquet(config.parquet_root) == third.manifest
    assert third.row_counts["partner_health_score"] == 60


@pytest.mark.parametrize("step", ["duckdb_writing", "parquet_writing", "staged"])
def test_failure_while_staging_changes_nothing(config: PublishConfig, step: str):
    publish(config, MARTS)
    before = snapshot(config)
    make_build(config.build_path, rows=70)
    with pytest.raises(PublishError, match="nothing was switched") as err:
        publish(config, MARTS, fault=fail_at(step))
    assert err.value.step == step
    assert snapshot(config) == before
    assert_no_leftovers(config)


def test_rollback_of_a_first_publish_removes_the_new_version(config: PublishConfig):
    with pytest.raises(PublishError, match="parquet_switched"):
        publish(config, MARTS, fault=fail_at("parquet_switched"))
    assert not config.serving_path.exists()
    assert read_manifest_duckdb(config.serving_path) is None
    assert read_manifest_parquet(config.parquet_root) is None
    assert list((config.parquet_root / "_versions").iterdir()) == []
    assert_no_leftovers(config)


def test_rerun_is_safe_and_prunes_to_the_last_three_versions(config: PublishConfig):
    ids = [publish(config, MARTS).publish_id for _ in range(5)]
    assert len(set(ids)) == 5
    kept = sorted(p.name for p in (config.parquet_root / "_versions").iterdir())
    assert kept == sorted(ids[-3:])
    assert read_manifest_parquet(config.parquet_root).publish_id == ids[-1]
    for used in ids[-2:]:  # the current and the previous version stay untouched
        with pytest.raises(PublishError, match="already used"):
            publish(config, MARTS, publish_id=used)
        assert (config.parquet_root / "_versions" / used / "_publish_manifest").is_dir()
    assert read_manifest_duckdb(config.serving_path).publish_id == ids[-1]


def test_leftovers_of_a_killed_publish_are_removed(config: PublishConfig):
    publish(config, MARTS)
    wh = config.serving_path.parent
    (wh / "serving.duckdb.20200101T000000Z-dead.tmp").write_bytes(b"partial")
    (config.parquet_root / "_versions" / "20200101T000000Z-dead.tmp").mkdir()
    result = publish(config, MARTS)
    assert read_manifest_duckdb(config.serving_path) == result.manifest
    assert_no_leftovers(config)


def test_one_publish_at_a_time(config: PublishConfig):
    with _publish_lock(config.serving_path), pytest.raises(PublishError, match="another publish"):
        publish(config, MARTS)


def test_fault_steps_are_all_reached(config: PublishConfig):
    seen: list[str] = []
    publish(config, MARTS, fault=seen.append)
    assert seen == [s for s in FAULT_STEPS if not s.startswith("postgres")]


# --- readers in other processes ----------------------------------------------------------------

READER = r"""
import json, pathlib, sys
import duckdb

serving, stop, mode = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
held = duckdb.connect(serving, read_only=True) if mode == "held" else None
seen, errors, n = [], [], 0
print("ready", flush=True)
while not stop.exists():
    try:
        con = held or duckdb.connect(serving, read_only=True)
        ids = con.execute("select distinct publish_id from _publish_manifest").fetchall()
        rows = con.execute("select count(*) from partner_health_score").fetchone()[0]
        want = con.execute(
            "select row_count from _publish_manifest where mart = 'partner_health_score'"
        ).fetchone()[0]
        if len(ids) != 1 or rows != want:
            errors.append(f"inconsistent: {ids} {rows} != {want}")
        if not seen or seen[-1] != ids[0][0]:
            seen.append(ids[0][0])
        if held is None:
            con.close()
        n += 1
    except Exception as exc:
        errors.append(repr(exc))
print(json.dumps({"queries": n, "seen": seen, "errors": errors[:5]}), flush=True)
"""


def _read_publish_id(serving: Path) -> str:
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('select distinct publish_id from _publish_manifest').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(serving)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.strip()


@pytest.mark.timeout(120)
def test_readers_in_other_processes_are_never_blocked(config: PublishConfig, tmp_path: Path):
    first = publish(config, MARTS)
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", READER, str(config.serving_path), str(stop), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("held", "reopen")
    }
    try:
        for proc in readers.values():
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.2)
        ids, durations = [], []
        for rows in (45, 55):
            make_build(config.build_path, rows=rows)
            started = time.perf_counter()
            ids.append(publish(config, MARTS).publish_id)
            durations.append(time.perf_counter() - started)
            time.sleep(0.2)
    finally:
        stop.touch()
        outputs = {mode: proc.communicate(timeout=60) for mode, proc in readers.items()}

    results = {}
    for mode, (out, err) in outputs.items():
        assert readers[mode].returncode == 0, err
        results[mode] = json.loads(out.strip().splitlines()[-1])
        assert results[mode]["errors"] == [], (mode, results[mode])
        assert results[mode]["queries"] > 10, (mode, results[mode])
    # publish never waited on the readers
    assert max(durations) < 5, durations
    # a reader holding the old file keeps reading it, whole and consistent
    assert results["held"]["seen"] == [first.publish_id]
    # a reader opening the file per query sees versions in order, ending with the newest
    seen = results["reopen"]["seen"]
    assert seen[-1] == ids[-1] and seen == sorted(seen, key=[first.publish_id, *ids].index)
    # a new process sees the new version
    assert _read_publish_id(config.serving_path) == ids[-1]
