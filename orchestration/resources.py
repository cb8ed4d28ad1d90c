"""Dagster resources, configured from environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from ingestion.settings import parse_rate
from ingestion.warehouse import connect

#: Every asset that opens the build warehouse runs in this pool (limit 1 in dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The build warehouse DuckDB file. Only one process may open it at a time."""

    path: str

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect(self.path, read_only=read_only)

    def ensure_folder(self) -> None:
        """Create the warehouse's folder (dbt-duckdb creates the file, not its folder)."""
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)


class LandingResource(dg.ConfigurableResource):
    """The landing folder holding file drops `<source>/<YYYY-MM-DD>/<table>.<ext>`."""

    path: str
    max_quarantine_rate: str = "0.05"

    @property
    def root(self) -> Path:
        return Path(self.path)

    @property
    def quarantine_threshold(self) -> float:
        return parse_rate("PARTNER_PULSE_MAX_QUARANTINE_RATE", self.max_quarantine_rate, 0.05)


def default_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources read their settings from the environment when a run starts."""
    return {
        "warehouse": WarehouseResource(path=dg.EnvVar("PARTNER_PULSE_WAREHOUSE")),
        "landing": LandingResource(
            path=dg.EnvVar("PARTNER_PULSE_LANDING"),
            max_quarantine_rate=dg.EnvVar("PARTNER_PULSE_MAX_QUARANTINE_RATE"),
        ),
    }
