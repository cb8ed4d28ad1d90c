"""Raw layer: one asset per contract table, key ["raw", source, table], group raw_<source>.

Each materialization loads every new drop file of its table (see ingestion.loader) and
reports rows loaded, rows quarantined by reason and schema drift; a blocking check fails when
the share of quarantined rows exceeds the configured threshold.
"""

import datetime as dt
import os

import dagster as dg

from ingestion.contract import TABLES, Table, get_table
from ingestion.loader import LoadError, LoadResult, load_table
from ingestion.settings import enabled_sources
from orchestration.resources import WAREHOUSE_POOL, LandingResource, WarehouseResource

QUARANTINE_CHECK = "quarantine_rate_below_threshold"
FRESHNESS_CHECK = "source_freshness"
DEFAULT_FRESHNESS_HOURS = 36.0

#: Tables whose validation reads another raw table (answers are checked against the
#: scale of their question), so that table must load first.
_VALIDATION_DEPS: dict[str, tuple[str, str]] = {"survey.answers": ("survey", "questions")}


def raw_asset_key(table: Table) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.source, table.name])


def _latest_ledger_row(con, table: Table) -> tuple[int, int] | None:
    return con.execute(
        "select rows_in, rows_quarantined from meta.load_ledger "
        "where source = ? and table_name = ? and status in ('loaded', 'empty') "
        "order by loaded_at desc, drop_date desc limit 1",
        [table.source, table.name],
    ).fetchone()


def last_loaded_at(con, table: Table) -> dt.datetime | None:
    """When a drop of this table was last loaded (an empty drop counts: the source is alive)."""
    row = con.execute(
        "select max(loaded_at) from meta.load_ledger where source = ? and table_name = ? "
        "and status in ('loaded', 'empty')",
        [table.source, table.name],
    ).fetchone()
    return row[0] if row else None


def freshness_hours() -> float:
    raw = os.environ.get("PARTNER_PULSE_FRESHNESS_HOURS", "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_FRESHNESS_HOURS
    except ValueError:
        raise ValueError(f"PARTNER_PULSE_FRESHNESS_HOURS={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"PARTNER_PULSE_FRESHNESS_HOURS={raw!r} must be positive")
    return value


def freshness_result(
    last: dt.datetime | None, now: dt.datetime, max_hours: float, source_enabled: bool = True
) -> dg.AssetCheckResult:
    """Fails when nothing was loaded within `max_hours` (by `_loaded_at`, UTC). A source this
    deployment does not have (PARTNER_PULSE_SOURCES) is not judged: the check passes and says so."""
    if not source_enabled:
        return dg.AssetCheckResult(
            check_name=FRESHNESS_CHECK,
            passed=True,
            description="source not enabled in this deployment (PARTNER_PULSE_SOURCES): not "
            "judged; marts built only from it stay empty",
            metadata={"source_enabled": False, "max_age_hours": max_hours},
        )
    if last is None:
        return dg.AssetCheckResult(
            check_name=FRESHNESS_CHECK,
            passed=False,
            description="no drop of this table was ever loaded (expected files "
            "<landing>/<source>/<YYYY-MM-DD>/<table>.<ext>)",
            metadata={"max_age_hours": max_hours},
        )
    age = (now - last).total_seconds() / 3600
    return dg.AssetCheckResult(
        check_name=FRESHNESS_CHECK,
        passed=age <= max_hours,
        metadata={
            "last_loaded_at": last.isoformat(),
            "age_hours": round(age, 2),
            "max_age_hours": max_hours,
        },
        description=f"last load {age:.1f} h ago (limit {max_hours:g} h)",
    )


def _table_totals(con, table: Table) -> tuple[int, int]:
    raw = con.execute(f'select count(*) from raw_{table.source}."{table.name}"').fetchone()
    quarantined = con.execute(
        f'select count(*) from quarantine."{table.quarantine_name}"'
    ).fetchone()
    return int(raw[0]), int(quarantined[0])


def quarantine_rate(results: list[LoadResult], fallback: tuple[int, int] | None) -> float:
    """Share of quarantined rows among the rows of this run's loads (else the last load)."""
    loaded = [r for r in results if r.status in ("loaded", "empty")]
    rows_in = sum(r.rows_in for r in loaded)
    quarantined = sum(r.rows_quarantined for r in loaded)
    if not loaded and fallback is not None:
        rows_in, quarantined = fallback
    return quarantined / rows_in if rows_in else 0.0


def _metadata(results: list[LoadResult], totals: tuple[int, int]) -> dict[str, object]:
    reasons: dict[str, int] = {}
    for r in results:
        for reason, n in r.reasons.items():
            reasons[reason] = reasons.get(reason, 0) + n
    drift = sorted({c for r in results for c in r.drift_columns})
    return {
        "files_loaded": sum(r.status in ("loaded", "empty") for r in results),
        "files_skipped": sum(r.status == "skipped" for r in results),
        "rows_loaded": sum(r.rows_loaded for r in results),
        "rows_quarantined": sum(r.rows_quarantined for r in results),
        "quarantined_by_reason": dg.MetadataValue.json(reasons),
        "schema_drift_columns": ", ".join(drift) or "none",
        "warnings": dg.MetadataValue.json([r.message for r in results if r.message]),
        "dagster/row_count": totals[0],
        "quarantine_table_rows": totals[1],
    }


def build_raw_asset(table: Table) -> dg.AssetsDefinition:
    key = raw_asset_key(table)
    deps = []
    if table.key in _VALIDATION_DEPS:
        deps.append(raw_asset_key(get_table(*_VALIDATION_DEPS[table.key])))

    @dg.asset(
        key=key,
        group_name=f"raw_{table.source}",
        description=f"{table.description} Loaded from landing/{table.source}/<date>/"
        f"{table.name}.<ext>; failing rows go to quarantine.{table.quarantine_name}.",
        deps=deps,
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "python"},
        check_specs=[
            dg.AssetCheckSpec(
                FRESHNESS_CHECK,
                asset=key,
                blocking=True,
                description="A drop of this table was loaded within PARTNER_PULSE_FRESHNESS_HOURS "
                "(default 36 h), judged on _loaded_at via the load ledger.",
            ),
            dg.AssetCheckSpec(
                QUARANTINE_CHECK,
                asset=key,
                blocking=True,
                description="Share of quarantined rows in this load is below the threshold "
                "(PARTNER_PULSE_MAX_QUARANTINE_RATE).",
            ),
        ],
    )
    def _raw_asset(
        context: dg.AssetExecutionContext,
        warehouse: WarehouseResource,
        landing: LandingResource,
    ) -> dg.MaterializeResult:
        if not landing.root.is_dir():
            raise dg.Failure(
                description=f"raw.{table.key}: the landing folder {landing.root} does not exist "
                "(set PARTNER_PULSE_LANDING to the folder holding <source>/<YYYY-MM-DD>/ drops)",
                metadata={"landing": str(landing.root)},
            )
        con = warehouse.connect()
        try:
            try:
                results = load_table(con, landing.root, table)
            except LoadError as exc:
                raise dg.Failure(
                    description=f"raw.{table.key}: {exc}",
                    metadata={"error": str(exc)},
                ) from exc
            totals = _table_totals(con, table)
            rate = quarantine_rate(results, _latest_ledger_row(con, table))
            last = last_loaded_at(con, table)
        finally:
            con.close()
        for r in results:
            if r.status == "empty":
                context.log.warning(f"{r.file_path}: {r.message or 'empty file'}")
        threshold = landing.quarantine_threshold
        return dg.MaterializeResult(
            metadata=_metadata(results, totals),
            check_results=[
                freshness_result(
                    last, dt.datetime.now(dt.UTC).replace(tzinfo=None), freshness_hours(),
                    source_enabled=table.source in enabled_sources(),
                ),
                dg.AssetCheckResult(
                    check_name=QUARANTINE_CHECK,
                    passed=rate <= threshold,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={"quarantine_rate": rate, "threshold": threshold},
                    description=f"{rate:.2%} of rows quarantined (threshold {threshold:.2%})",
                ),
            ],
        )

    return _raw_asset


def build_raw_assets() -> list[dg.AssetsDefinition]:
    return [build_raw_asset(t) for t in TABLES]
