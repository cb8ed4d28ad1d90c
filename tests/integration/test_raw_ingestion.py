"""Generate synthetic drops and materialize every raw asset through Dagster on a temp warehouse.

Asserts against the generator's manifest: for every file, rows written = raw + quarantine,
and the quarantine holds exactly the rows whose injected defect sends them there.
"""

import datetime as dt
import json
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from ingestion.contract import TABLES
from orchestration.definitions import defs
from tests.conftest import REPO

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw_ingestion")
    env = {
        "PARTNER_PULSE_WAREHOUSE": str(root / "build.duckdb"),
        "PARTNER_PULSE_LANDING": str(root / "landing"),
        "PARTNER_PULSE_MAX_QUARANTINE_RATE": "0.2",
    }
    end = dt.datetime.now(dt.UTC).date().isoformat()
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--scale", "demo", "--seed", "11",
         "--end-date", end, "--out", env["PARTNER_PULSE_LANDING"], "--defect-rate", "0.01",
         "--quiet"],
        cwd=REPO, check=True, capture_output=True,
    )
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        instance = dg.DagsterInstance.ephemeral()
        job = defs.resolve_job_def("ingest_raw")
        first = job.execute_in_process(instance=instance, run_config=QUIET)
        second = job.execute_in_process(instance=instance, run_config=QUIET)
    manifest = json.loads((root / "landing" / "_generator_manifest.json").read_text())
    con = duckdb.connect(env["PARTNER_PULSE_WAREHOUSE"], read_only=True)
    yield {"first": first, "second": second, "manifest": manifest, "con": con}
    con.close()


def test_every_raw_asset_materialized_and_checks_passed(ingested):
    result = ingested["first"]
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialized == {dg.AssetKey(["raw", t.source, t.name]) for t in TABLES}
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 2 * len(TABLES) and all(c.passed for c in checks)
    assert {c.check_name for c in checks} == {"quarantine_rate_below_threshold",
                                              "source_freshness"}


def test_nothing_is_lost_and_quarantine_matches_injected_defects(ingested):
    con = ingested["con"]
    for f in ingested["manifest"]["files"]:
        suffix = f["path"]
        loaded = con.execute(
            "select rows_in, rows_loaded, rows_quarantined from meta.load_ledger "
            "where file_path like ?", ["%" + suffix],
        ).fetchone()
        assert loaded is not None, suffix
        rows_in, rows_loaded, rows_quarantined = loaded
        assert rows_in == f["rows"] == rows_loaded + rows_quarantined, suffix
        assert rows_quarantined == f["expected_quarantine_rows"], suffix
        raw_rows = con.execute(
            f'select count(*) from raw_{f["source"]}."{f["table"]}" where _source like ?',
            ["%" + suffix],
        ).fetchone()[0]
        assert raw_rows == rows_loaded, suffix


def test_every_quarantine_class_was_exercised(ingested):
    classes = {d["defect"] for d in ingested["manifest"]["defects"] if d["count"]}
    destinations = ingested["manifest"]["destinations"]
    assert {c for c in destinations if destinations[c] == "quarantine"} <= classes
    reasons = set()
    for t in TABLES:
        reasons |= {r[0].split(" (")[0] for r in ingested["con"].execute(
            f'select _reason from quarantine."{t.quarantine_name}"').fetchall()}
    text = " | ".join(sorted(reasons))
    for fragment in ("required value missing", "not an allowed value", "timestamp in the future",
                     "answer outside its question's scale", "cannot parse as", "must be >= 0"):
        assert fragment in text, fragment


def test_drift_and_empty_file_are_recorded(ingested):
    con = ingested["con"]
    drift = con.execute(
        "select drift_columns from meta.load_ledger where table_name = 'accounts' "
        "and drift_columns is not null").fetchall()
    assert drift == [("segment_code",)]
    source, table, _ = ingested["manifest"]["empty_file"].split("/")
    status = con.execute(
        "select status, message from meta.load_ledger where source = ? and table_name = ? "
        "and rows_in = 0", [source, table]).fetchall()
    assert status and all(s == "empty" for s, _ in status)


def test_rerun_loads_nothing_new(ingested):
    second = ingested["second"]
    assert second.success
    for event in second.get_asset_materialization_events():
        md = event.materialization.metadata
        assert md["rows_loaded"].value == 0 and md["files_loaded"].value == 0
