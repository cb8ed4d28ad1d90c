"""On demo data the health score predicts churn: the acceptance bar of the backtest.

Generates the demo scale (seed 7) for a fixed end date, loads it, builds dbt, and asserts
that at_risk partners terminate within 6 months at least twice as often as healthy ones and
that the pooled AUC on the continuous score exceeds 0.7.
"""

import datetime as dt
import os
import subprocess
import sys

import duckdb

from ingestion.contract import TABLES
from ingestion.loader import load_table
from ingestion.warehouse import connect
from tests.conftest import REPO, venv_bin

END = dt.date(2026, 11, 27)


def _assert_marts_pass_the_audit(warehouse):
    """The Great Expectations suite and the pandera schemas pass on the demo marts."""
    from orchestration.assets.dbt_models import mart_primary_keys, published_marts
    from orchestration.quality.audit import audit_marts, read_marts

    frames = read_marts(warehouse, published_marts())
    report = audit_marts(frames, mart_primary_keys(), previous=None, max_rowcount_change=0.5)
    assert report.passed, report.failures()[:10]
    assert report.gx_result["statistics"]["evaluated_expectations"] > 50


def test_backtest_separates_churners_on_demo_data(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "build.duckdb"
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--scale", "demo", "--seed", "7",
         "--end-date", END.isoformat(), "--out", str(landing), "--quiet"],
        cwd=REPO, check=True, capture_output=True,
    )
    con = connect(warehouse)
    loaded_at = dt.datetime.combine(END + dt.timedelta(days=1), dt.time())
    for table in TABLES:
        load_table(con, landing, table, loaded_at)
    con.close()
    env = {**os.environ, "PARTNER_PULSE_WAREHOUSE": str(warehouse)}
    proc = subprocess.run(
        [venv_bin("dbt"), "build", "--exclude", "test_type:unit", "--profiles-dir", ".",
         "--project-dir", ".", "--target-path", str(tmp_path / "target"),
         "--vars", f"{{as_of_date: '{END.isoformat()}'}}"],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    _assert_marts_pass_the_audit(warehouse)
    ro = duckdb.connect(str(warehouse), read_only=True)
    auc, healthy, at_risk, months, partner_months = ro.execute(
        "select auc, churn_rate_healthy, churn_rate_at_risk, months_covered, partner_months "
        "from marts.health_score_backtest_summary"
    ).fetchone()
    ro.close()
    assert months >= 12 and partner_months > 1000
    assert auc > 0.7, auc
    assert at_risk >= 2 * healthy, (at_risk, healthy)
