"""Sensor on the landing folder: a new or changed drop file launches ingestion.

Its view of what was seen is its cursor (file path → mtime), so it never opens the warehouse,
which a running load may hold. Reloading an unchanged file is a no-op anyway (load ledger).
"""


import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from ingestion.drops import drop_fingerprint
from orchestration.jobs import ingest_raw_job
from orchestration.resources import LandingResource


def new_files(current: dict[str, float], seen: dict[str, float]) -> list[str]:
    return sorted(path for path, mtime in current.items() if seen.get(path) != mtime)


def _raw_keys(paths: list[str]) -> list[dg.AssetKey]:
    keys = set()
    for path in paths:
        source, _date, filename = path.split("/")[-3:]
        keys.add(dg.AssetKey(["raw", source, filename.split(".", 1)[0]]))
    return sorted(keys, key=lambda k: k.to_user_string())


@dg.sensor(
    name="landing_drop_sensor",
    job=ingest_raw_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Launches ingestion for new or changed files under the landing folder.",
)
def landing_drop_sensor(context: dg.SensorEvaluationContext, landing: LandingResource):
    seen = json.loads(context.cursor) if context.cursor else {}
    current = drop_fingerprint(landing.root)
    changed = new_files(current, seen)
    if not changed:
        return dg.SkipReason(f"no new files under {landing.root}")
    run_key = hashlib.sha256("\n".join(f"{p}@{current[p]}" for p in changed).encode()).hexdigest()
    context.update_cursor(json.dumps(current, sort_keys=True))
    return dg.RunRequest(
        run_key=run_key[:32],
        asset_selection=_raw_keys(changed),
        tags={"partner_pulse/new_files": str(len(changed))},
    )


def failure_log_path() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster")
    return home / "logs" / "run_failures.log"


def failure_line(run_id: str, job: str, message: str, at: dt.datetime) -> str:
    flat = " ".join(message.split())
    return f"{at.isoformat(timespec='seconds')}Z run={run_id} job={job} error={flat}\n"


@dg.run_failure_sensor(
    name="run_failure_recorder",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Appends every failed run to $DAGSTER_HOME/logs/run_failures.log (and logs it "
    "in the UI's sensor history).",
)
def run_failure_recorder(context: dg.RunFailureSensorContext):
    message = context.failure_event.message or "run failed"
    path = failure_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(failure_line(context.dagster_run.run_id, context.dagster_run.job_name,
                              message, now))
    context.log.error(f"run {context.dagster_run.run_id} failed: {message}")
