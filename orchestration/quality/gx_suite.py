"""Great Expectations 1.x suite over the candidate marts (pandas frames from the build warehouse).

GX runs directly on pandas (dagster-ge needs GX < 1.0). The validation result is returned as a
JSON-able dict, stored with the published version and summarized in Dagster metadata.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ingestion.settings import enabled_sources
from orchestration.quality.mart_rules import column_ranges, mart_key

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

#: Marts that are empty only when something broke. Others may legitimately be empty with a
#: short history (the backtest needs 7 months of outcomes; leaderboards need a quarter). Each
#: lists the sources it is built from: a deployment without them (PARTNER_PULSE_SOURCES) may
#: publish it empty.
NEVER_EMPTY: dict[str, frozenset[str]] = {
    "fct_partner_month": frozenset({"prm"}),
    "fct_opportunity_partner_credit": frozenset({"crm"}),
    "partner_health_score": frozenset({"prm"}),
    "partner_performance": frozenset({"prm"}),
    "score_methodology": frozenset(),
}


def must_have_rows(mart: str, sources: tuple[str, ...] | None = None) -> bool:
    """A NEVER_EMPTY mart must have rows when the sources it is built from are enabled
    (PARTNER_PULSE_SOURCES): a CRM + survey deployment publishes without a partner dimension."""
    if mart not in NEVER_EMPTY:
        return False
    enabled = set(enabled_sources() if sources is None else sources)
    return NEVER_EMPTY[mart] <= enabled


def _expectations(
    mart: str, columns: list[str], declared: Mapping[str, tuple[str, ...]] | None
) -> list[Any]:
    import great_expectations as gx

    key = list(mart_key(mart, declared))
    exps: list[Any] = []
    if must_have_rows(mart):
        exps.append(gx.expectations.ExpectTableRowCountToBeBetween(min_value=1))
    for column in key:
        exps.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=column))
    if len(key) == 1:
        exps.append(gx.expectations.ExpectColumnValuesToBeUnique(column=key[0]))
    elif len(key) > 1:
        exps.append(gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=key))
    else:
        exps.append(gx.expectations.ExpectTableRowCountToEqual(value=1))
    for r in column_ranges(columns):
        exps.append(
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=r.column, min_value=r.min_value, max_value=r.max_value
            )
        )
    return exps


def validate_marts(
    frames: Mapping[str, pd.DataFrame], declared: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """Validate every mart frame; returns {success, statistics, marts: {mart: result}}."""
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    source = context.data_sources.add_pandas("candidate_marts")
    marts: dict[str, Any] = {}
    evaluated = failed = 0
    for mart, frame in frames.items():
        asset = source.add_dataframe_asset(mart)
        batch_def = asset.add_batch_definition_whole_dataframe(f"{mart}_all")
        suite = context.suites.add(gx.ExpectationSuite(name=f"partner_pulse.{mart}"))
        for exp in _expectations(mart, list(frame.columns), declared):
            suite.add_expectation(exp)
        result = batch_def.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
        payload = result.to_json_dict()
        marts[mart] = payload
        evaluated += len(result.results)
        failed += sum(not r.success for r in result.results)
    return {
        "success": failed == 0,
        "statistics": {"evaluated_expectations": evaluated, "unsuccessful_expectations": failed},
        "marts": marts,
    }


def failed_expectations(result: Mapping[str, Any]) -> list[str]:
    """Human-readable names of failed expectations, e.g. `partner_health_score: ...`."""
    out = []
    for mart, payload in result["marts"].items():
        for r in payload["results"]:
            if not r["success"]:
                cfg = r["expectation_config"]
                kwargs = {k: v for k, v in cfg["kwargs"].items() if k != "batch_id"}
                out.append(f"{mart}: {cfg['type']} {kwargs}")
    return out
