"""Dagster resources. Their settings come from the environment when a run starts, with the
defaults of ingestion.settings.Settings for every variable left unset (none is required)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from ingestion.settings import Settings, parse_rate
from ingestion.warehouse import connect

#: Every asset that opens the build warehouse runs in this pool (limit 1 in dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """The build warehouse DuckDB file. Only one process may open it at a time.

    `path` empty: PARTNER_PULSE_WAREHOUSE at run time, else the default of Settings."""

    path: str = ""

    @property
    def file(self) -> str:
        return self.path or str(Settings.from_env().warehouse)

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect(self.file, read_only=read_only)

    def ensure_folder(self) -> None:
        """Create the warehouse's folder (dbt-duckdb creates the file, not its folder)."""
        Path(self.file).parent.mkdir(parents=True, exist_ok=True)


class LandingResource(dg.ConfigurableResource):
    """The landing folder holding file drops `<source>/<YYYY-MM-DD>/<table>.<ext>`.

    Empty fields: PARTNER_PULSE_LANDING / PARTNER_PULSE_MAX_QUARANTINE_RATE at run time, else
    the defaults of Settings."""

    path: str = ""
    max_quarantine_rate: str = ""

    @property
    def root(self) -> Path:
        return Path(self.path) if self.path else Settings.from_env().landing

    @property
    def quarantine_threshold(self) -> float:
        if not self.max_quarantine_rate:
            return Settings.from_env().max_quarantine_rate
        return parse_rate("PARTNER_PULSE_MAX_QUARANTINE_RATE", self.max_quarantine_rate, 0.05)


def default_resources() -> dict[str, dg.ConfigurableResource]:
    return {"warehouse": WarehouseResource(), "landing": LandingResource()}
