"""`partner-pulse-run` (make run) on a landing folder outside the repository, with no
PARTNER_PULSE_* variable set: defaults are used and everything lands in the warehouse folder."""

import datetime as dt
import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO

AS_OF = dt.date(2026, 6, 15)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PARTNER_PULSE_") and k != "DAGSTER_HOME"}
    return env


def _repo_state() -> tuple[str, float | None]:
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    serving = REPO / "warehouse" / "serving.duckdb"
    return status, serving.stat().st_mtime if serving.exists() else None


@pytest.mark.integration
def test_run_on_own_landing_folder_with_defaults(tmp_path):
    landing = tmp_path / "exports"
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--scale", "tiny", "--seed", "5",
         "--end-date", AS_OF.isoformat(), "--out", str(landing), "--quiet"],
        cwd=REPO, check=True, capture_output=True,
    )
    before = _repo_state()
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.run_exports", "--landing", str(landing),
         "--as-of", AS_OF.isoformat()],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    folder = tmp_path / "warehouse"
    assert (folder / "build.duckdb").exists() and (folder / ".dagster" / "dagster.yaml").exists()
    assert (folder / "parquet" / "current").is_dir()
    con = duckdb.connect(str(folder / "serving.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from partner_health_score").fetchone()[0] > 0
    finally:
        con.close()
    assert "Published version" in proc.stdout
    assert _repo_state() == before  # nothing written into the repository


def test_missing_landing_folder_fails_at_start_naming_it(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.run_exports", "--landing",
         str(tmp_path / "nowhere")],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert f"the landing folder {tmp_path / 'nowhere'} does not exist" in proc.stderr


def test_bad_postgres_url_fails_at_start_naming_it(tmp_path):
    (tmp_path / "exports").mkdir()
    env = _clean_env() | {"PARTNER_PULSE_POSTGRES_URL": "postgresql://nobody@127.0.0.1:1/x"}
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.run_exports", "--landing",
         str(tmp_path / "exports")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert "PostgreSQL at PARTNER_PULSE_POSTGRES_URL is unreachable" in proc.stderr
    assert not (tmp_path / "warehouse" / "build.duckdb").exists()
