"""`make run LANDING=... [WAREHOUSE=...]` and `partner-pulse-run`: the pipeline on your own drops.

    partner-pulse-run --landing /path/to/exports [--warehouse /path/to/warehouse-folder]
                      [--as-of YYYY-MM-DD]

Loads every drop of the landing folder (`<source>/<YYYY-MM-DD>/<table>.<ext>`), builds all
months, runs the checks and publishes - everything into the warehouse folder (default:
`warehouse/` beside the landing folder): build.duckdb, serving.duckdb, parquet/ and the Dagster
run history (.dagster/, unless DAGSTER_HOME is set). Nothing is written into the repository and
no environment variable is needed; PARTNER_PULSE_* variables still override the defaults
(ingestion.settings, PublishConfig). Settings are validated before anything runs: a missing
landing folder or an unusable PostgreSQL URL stops the command with a message naming it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class SettingsError(SystemExit):
    """A setting that cannot work, reported before the run starts."""


def check_postgres_url(url: str) -> None:
    """A PostgreSQL URL that parses and answers within 5 s; else a SettingsError naming it."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise SettingsError(f"error: PARTNER_PULSE_POSTGRES_URL is not a valid URL: {exc}") from exc
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SettingsError(
            f"error: PostgreSQL at PARTNER_PULSE_POSTGRES_URL is unreachable: {first}"
        ) from exc


def prepare_environment(
    landing: Path, warehouse_folder: Path | None, as_of: dt.date | None,
    environ: dict[str, str] | os._Environ[str] = os.environ,
) -> Path:
    """Point every setting at the user's folders; returns the warehouse folder."""
    landing = landing.expanduser().resolve()
    if not landing.is_dir():
        raise SettingsError(
            f"error: the landing folder {landing} does not exist (expected drops as "
            "<landing>/<source>/<YYYY-MM-DD>/<table>.<ext>)"
        )
    folder = (warehouse_folder or landing.parent / "warehouse").expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    environ["PARTNER_PULSE_LANDING"] = str(landing)
    environ["PARTNER_PULSE_WAREHOUSE"] = str(folder / "build.duckdb")
    environ["PARTNER_PULSE_SERVING"] = str(folder / "serving.duckdb")
    environ["PARTNER_PULSE_PARQUET"] = str(folder / "parquet")
    if as_of is not None:
        environ["PARTNER_PULSE_AS_OF_DATE"] = as_of.isoformat()
    if not environ.get("DAGSTER_HOME"):
        home = folder / ".dagster"
        home.mkdir(exist_ok=True)
        if not (home / "dagster.yaml").exists():
            shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
        environ["DAGSTER_HOME"] = str(home)
    return folder


def validate_settings() -> None:
    from ingestion.settings import ConfigError, Settings
    from orchestration.publishing import PublishConfig

    try:
        Settings.from_env()
        config = PublishConfig.from_env()
    except (ConfigError, ValueError) as exc:
        raise SettingsError(f"error: {exc}") from exc
    if config.postgres_url:
        check_postgres_url(config.postgres_url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="partner-pulse-run", description=__doc__.split("\n")[0])
    parser.add_argument("--landing", type=Path, required=True, help="folder of your drops")
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="warehouse folder (default: warehouse/ beside the landing folder)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                        help="the run's 'today' (default: today)")
    args = parser.parse_args(argv)
    folder = prepare_environment(args.landing, args.warehouse, args.as_of)
    validate_settings()
    import dagster as dg

    from orchestration import demo

    with dg.DagsterInstance.get() as instance:
        seconds, _ = demo.run_refresh(instance)
    print(f"\nPipeline run through Dagster (ingest, dbt build, checks, publish): {seconds:.0f} s")
    demo.print_results()
    print(f"\nEverything of this run is in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
