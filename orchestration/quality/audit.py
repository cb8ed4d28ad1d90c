"""The audit before publishing: read candidate marts, validate them, compare row counts.

No dagster import; the publish asset calls these and refuses to publish on any failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ingestion.warehouse import connect
from orchestration.publishing import Manifest, MartRef
from orchestration.quality.gx_suite import failed_expectations, validate_marts
from orchestration.quality.pandera_marts import validate_mart


@dataclass
class AuditReport:
    pandera_failures: list[str] = field(default_factory=list)
    gx_result: dict[str, Any] = field(default_factory=dict)
    gx_failures: list[str] = field(default_factory=list)
    rowcount_failures: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not (self.pandera_failures or self.gx_failures or self.rowcount_failures)

    def failures(self) -> list[str]:
        return (
            [f"pandera: {f}" for f in self.pandera_failures]
            + [f"great_expectations: {f}" for f in self.gx_failures]
            + [f"row_count: {f}" for f in self.rowcount_failures]
        )


def read_marts(build_path: Path, marts: Sequence[MartRef]) -> dict[str, pl.DataFrame]:
    con = connect(build_path, read_only=True)
    try:
        return {m.name: con.sql(f'select * from "{m.schema}"."{m.name}"').pl() for m in marts}
    finally:
        con.close()


def rowcount_changes(
    current: Mapping[str, int], previous: Manifest | None, max_change: float
) -> list[str]:
    """Marts whose row count moved more than `max_change` (a share) since the last publish."""
    if previous is None:
        return []
    failures = []
    for mart, rows in current.items():
        before = previous.row_counts.get(mart)
        if not before:
            continue
        change = abs(rows - before) / before
        if change > max_change:
            failures.append(
                f"{mart}: {before:,} rows at publish {previous.publish_id}, now {rows:,} "
                f"({change:.0%} change > allowed {max_change:.0%})"
            )
    return failures


def audit_marts(
    frames: Mapping[str, pl.DataFrame],
    keys: Mapping[str, tuple[str, ...]],
    previous: Manifest | None,
    max_rowcount_change: float,
) -> AuditReport:
    report = AuditReport(row_counts={name: f.height for name, f in frames.items()})
    for name, frame in frames.items():
        report.pandera_failures += validate_mart(name, frame, keys)
    report.gx_result = validate_marts({n: f.to_pandas() for n, f in frames.items()}, keys)
    report.gx_failures = failed_expectations(report.gx_result)
    report.rowcount_failures = rowcount_changes(report.row_counts, previous, max_rowcount_change)
    return report


def health_overview(frames: Mapping[str, pl.DataFrame], preview_rows: int = 10) -> dict[str, Any]:
    """Band distribution and the lowest-scoring partners of the latest complete month, for the
    publish asset's metadata (empty when the health mart is absent or has no final month)."""
    health = frames.get("partner_health_score")
    if health is None or health.is_empty():
        return {}
    final = (
        health.filter(~pl.col("is_provisional")) if "is_provisional" in health.columns else health
    )
    if final.is_empty():
        return {}
    month = final.get_column("month_start").max()
    latest = final.filter(pl.col("month_start") == month)
    bands = latest.group_by("band").len().sort("len", descending=True)
    lowest = (
        latest.filter(pl.col("band") == "at_risk")
        .sort(["health_score", "partner_id"])
        .head(preview_rows)
        .select(["partner_id", "health_score", "band", "explanation"])
    )
    lines = ["| partner_id | health_score | band | explanation |", "|---|---|---|---|"]
    lines += [
        f"| {r['partner_id']} | {r['health_score']} | {r['band']} | {r['explanation'] or ''} |"
        for r in lowest.iter_rows(named=True)
    ]
    return {
        "month": str(month),
        "bands": {r["band"]: r["len"] for r in bands.iter_rows(named=True)},
        "at_risk_preview_markdown": "\n".join(lines),
    }
