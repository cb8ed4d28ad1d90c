"""`make demo`: materialize every asset once through Dagster and print what was produced.

Runs are recorded in the Dagster instance at $DAGSTER_HOME, so `make ui` shows them.
"""

import sys
import time

import dagster as dg

from ingestion.contract import TABLES
from ingestion.settings import Settings
from ingestion.warehouse import connect
from orchestration.definitions import defs

#: Console logs at INFO: the DEBUG event stream is in the UI for whoever wants it.
QUIET = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def _run_job(name: str, instance: dg.DagsterInstance) -> float:
    started = time.perf_counter()
    result = defs.get_job_def(name).execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET
    )
    elapsed = time.perf_counter() - started
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        print(f"job {name} failed in steps: {', '.join(failed)}", file=sys.stderr)
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data:
                print(f"  {event.step_key}: {event.step_failure_data.error}", file=sys.stderr)
        raise SystemExit(1)
    return elapsed


def raw_summary(settings: Settings) -> list[tuple[str, int, int]]:
    con = connect(settings.warehouse, read_only=True)
    try:
        rows = []
        for t in TABLES:
            raw = con.execute(f'select count(*) from {t.raw_schema}."{t.name}"').fetchone()
            bad = con.execute(f'select count(*) from quarantine."{t.quarantine_name}"').fetchone()
            rows.append((t.key, int(raw[0]), int(bad[0])))
        return rows
    finally:
        con.close()


def main() -> None:
    settings = Settings.from_env()
    with dg.DagsterInstance.get() as instance:
        ingest_seconds = _run_job("ingest_raw", instance)
    print(f"\nIngestion through Dagster: {ingest_seconds:.1f} s -> {settings.warehouse}")
    print(f"{'raw table':<32}{'rows loaded':>14}{'quarantined':>14}")
    for key, raw, bad in raw_summary(settings):
        print(f"{'raw_' + key:<32}{raw:>14,}{bad:>14,}")
    print("\nQuarantined rows keep their original values and a _reason: "
          "select * from quarantine.<source>__<table>")
    print("Open the Dagster UI with `make ui` to see runs, checks and metadata.")


if __name__ == "__main__":
    main()
