"""What a published mart must satisfy: its key and the value ranges its columns imply.

Rules are derived from column names (the naming convention of the marts), so a mart added
later gets range checks without new code. Its primary key comes from its dbt uniqueness test
(`unique` or `unique_combination`, read from the manifest), else from MART_KEYS (the key
table of DESIGN section 3); a published mart with neither is an error. Used by both the
pandera schemas and the Great Expectations suite. No dagster import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Primary key of every published mart (DESIGN section 3, "Key columns").
MART_KEYS: dict[str, tuple[str, ...]] = {
    "fct_partner_month": ("partner_id", "month_start"),
    "fct_opportunity_partner_credit": ("opportunity_id", "partner_id"),
    "partner_health_score": ("partner_id", "month_start"),
    "score_methodology": ("component",),
    "health_score_backtest": ("month_start", "band"),
    "health_score_backtest_summary": (),
    "partner_performance": ("partner_id", "period_grain", "period_start"),
    "partner_leaderboard": ("period_start", "board_type", "board_value", "partner_id"),
    "partner_tier_fit": ("partner_id",),
    "partner_pulse_results": ("wave_id", "segment_type", "segment_value", "metric"),
    "partner_pulse_drivers": ("wave_id", "pillar"),
    "partner_pulse_partner": ("partner_id", "wave_id"),
    "partner_journey": ("partner_id",),
    "ecosystem_coverage": ("region", "partner_type"),
    "ecosystem_concentration": ("scope", "scope_value"),
    "partner_alerts": ("partner_id", "month_start", "rule"),
}


@dataclass(frozen=True)
class Range:
    column: str
    min_value: float | None
    max_value: float | None
    rule: str


_PATTERNS: tuple[tuple[str, float | None, float | None, str], ...] = (
    (r"(^|_)nps(_|$)", -100.0, 100.0, "NPS lies in -100..100"),
    (r"(^|_)(health_score|score)(_|$)", 0.0, 100.0, "scores lie in 0..100"),
    (r"percentile$", 0.0, 100.0, "percentiles lie in 0..100"),
    (
        r"(_rate|_rate_6m|_share|^data_completeness|^credit_share)$",
        0.0,
        1.0,
        "rates and shares lie in 0..1",
    ),
    (r"attainment$", 0.0, None, "attainment is not negative"),
    (r"^hhi$", 0.0, 10_000.0, "HHI lies in 0..10000"),
    (r"^auc$", 0.0, 1.0, "AUC lies in 0..1"),
)


#: Label columns (ids, bands, reasons, timestamps) never get a numeric range, whatever their
#: name contains: e.g. partner_pulse_partner.nps_answer_band is text.
_LABEL_SUFFIX = re.compile(r"(_id|_band|_reason|_at)$")


def column_ranges(columns: list[str]) -> list[Range]:
    """Range rules implied by the column names (first matching pattern wins)."""
    ranges = []
    for column in columns:
        if _LABEL_SUFFIX.search(column):
            continue
        for pattern, lo, hi, rule in _PATTERNS:
            if re.search(pattern, column):
                ranges.append(Range(column, lo, hi, rule))
                break
    return ranges


def mart_key(mart: str, declared: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The mart's primary key: declared by its dbt uniqueness test, else MART_KEYS."""
    if declared and mart in declared:
        return declared[mart]
    try:
        return MART_KEYS[mart]
    except KeyError:
        raise KeyError(
            f"published mart {mart!r} has no primary key: give it a `unique` or "
            "`unique_combination` dbt test (or list it in MART_KEYS in "
            "orchestration/quality/mart_rules.py) so its uniqueness is checked before publishing"
        ) from None


def keys_from_manifest(manifest: Mapping) -> dict[str, tuple[str, ...]]:
    """{model name: key columns} from the first uniqueness test attached to each model."""
    keys: dict[str, tuple[str, ...]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or "test_metadata" not in node:
            continue
        meta = node["test_metadata"]
        kwargs = meta.get("kwargs", {})
        if meta["name"] == "unique_combination":
            columns = tuple(kwargs.get("columns") or ())
        elif meta["name"] == "unique" and kwargs.get("column_name"):
            columns = (kwargs["column_name"],)
        else:
            continue
        model = (node.get("attached_node") or "").rsplit(".", 1)[-1]
        if model and columns:
            keys.setdefault(model, columns)
    return keys
