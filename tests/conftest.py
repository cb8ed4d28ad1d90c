"""Shared fixtures: every test gets its own warehouse, landing folder and Dagster home."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def pipeline_env(tmp_path, monkeypatch):
    """Point the pipeline at a temporary warehouse, landing folder and Dagster home."""
    paths = {
        "PARTNER_PULSE_WAREHOUSE": tmp_path / "warehouse" / "build.duckdb",
        "PARTNER_PULSE_LANDING": tmp_path / "landing",
        "DAGSTER_HOME": tmp_path / "dagster_home",
    }
    paths["DAGSTER_HOME"].mkdir()
    (paths["DAGSTER_HOME"] / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    for name, value in paths.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("PARTNER_PULSE_MAX_QUARANTINE_RATE", "0.05")
    return {k: Path(v) for k, v in paths.items()}


def venv_bin(name: str) -> str:
    """Path of an executable installed next to the running interpreter."""
    import sys

    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def pytest_configure(config):
    """dagster-dbt reads the manifest when the definitions are imported (at collection):
    prepare it first, as `make manifest` does, when it is missing or older than the project."""
    import subprocess

    manifest = REPO / "dbt_project" / "target" / "manifest.json"
    sources = [p for p in (REPO / "dbt_project").rglob("*")
               if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts]
    newest = max((p.stat().st_mtime for p in sources), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    subprocess.run(
        [venv_bin("dbt"), "parse", "--quiet", "--profiles-dir", ".", "--project-dir", "."],
        cwd=REPO / "dbt_project", check=True,
    )
