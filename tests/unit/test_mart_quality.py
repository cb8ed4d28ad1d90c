"""Mart audit rules: pandera and Great Expectations catch a broken mart, pass a sound one."""

import pandas as pd
import polars as pl
import pytest

from orchestration.quality.gx_suite import failed_expectations, validate_marts
from orchestration.quality.mart_rules import column_ranges, mart_key
from orchestration.quality.pandera_marts import validate_mart


def _health(score=80.0, completeness=0.9, dup=False):
    rows = {
        "partner_id": ["p1", "p2"] if not dup else ["p1", "p1"],
        "month_start": ["2026-01-01", "2026-01-01"],
        "health_score": [score, 55.0],
        "revenue_score": [100.0, 0.0],
        "data_completeness": [completeness, 1.0],
        "delta_1m": [-30.0, 4.0],
        "revenue_attainment": [1.5, None],
    }
    return rows


def test_ranges_follow_column_names():
    rules = {r.column: (r.min_value, r.max_value) for r in column_ranges(
        ["health_score", "revenue_score", "delta_1m", "win_rate", "peer_percentile", "nps",
         "revenue_attainment", "hhi", "churn_rate_6m", "partner_id"])}
    assert rules == {
        "health_score": (0, 100), "revenue_score": (0, 100), "win_rate": (0, 1),
        "peer_percentile": (0, 100), "nps": (-100, 100), "revenue_attainment": (0, None),
        "hhi": (0, 10_000), "churn_rate_6m": (0, 1),
    }


def test_label_columns_get_no_numeric_range():
    rules = {r.column for r in column_ranges(
        ["nps_answer_band", "previous_nps_wave_id", "partner_nps", "response_rate"])}
    assert rules == {"partner_nps", "response_rate"}


def test_unregistered_mart_is_named_in_the_error():
    with pytest.raises(KeyError, match="new_mart"):
        mart_key("new_mart")


def test_pandera_passes_a_sound_mart_and_names_a_score_of_140():
    assert validate_mart("partner_health_score", pl.DataFrame(_health())) == []
    failures = validate_mart("partner_health_score", pl.DataFrame(_health(score=140.0)))
    assert any("health_score" in f and "140" in f for f in failures)


def test_pandera_catches_duplicate_keys():
    assert validate_mart("partner_health_score", pl.DataFrame(_health(dup=True)))


def test_gx_suite_fails_on_a_broken_mart_and_passes_on_a_sound_one():
    good = validate_marts({"partner_health_score": pd.DataFrame(_health())})
    assert good["success"] and good["statistics"]["unsuccessful_expectations"] == 0
    bad = validate_marts({"partner_health_score": pd.DataFrame(_health(completeness=1.4))})
    assert not bad["success"]
    assert any("data_completeness" in f for f in failed_expectations(bad))


def test_row_count_change_beyond_the_ratio_blocks_and_names_the_mart():
    import datetime as dt

    from orchestration.publishing import Manifest
    from orchestration.quality.audit import rowcount_changes

    previous = Manifest("p1", dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                        {"partner_health_score": 1000, "partner_tier_fit": 0})
    assert rowcount_changes({"partner_health_score": 1400}, previous, 0.5) == []
    [failure] = rowcount_changes({"partner_health_score": 400, "partner_tier_fit": 9},
                                 previous, 0.5)
    assert failure.startswith("partner_health_score: 1,000 rows at publish p1, now 400")
    assert rowcount_changes({"partner_health_score": 1}, None, 0.5) == []


def test_health_overview_uses_the_latest_final_month():
    import datetime as dt

    from orchestration.quality.audit import health_overview

    frame = pl.DataFrame({
        "partner_id": ["p1", "p2", "p3", "p1"],
        "month_start": [dt.date(2026, 1, 1)] * 3 + [dt.date(2026, 2, 1)],
        "is_provisional": [False, False, False, True],
        "health_score": [20.0, 75.0, 35.0, 10.0],
        "band": ["at_risk", "healthy", "at_risk", "at_risk"],
        "explanation": ["revenue 80→20 (−18.0 pts)", None, "no change", None],
    })
    overview = health_overview({"partner_health_score": frame})
    assert overview["month"] == "2026-01-01"
    assert overview["bands"] == {"at_risk": 2, "healthy": 1}
    rows = overview["at_risk_preview_markdown"].splitlines()[2:]
    assert [r.split(" | ")[0] for r in rows] == ["| p1", "| p3"]
    assert health_overview({}) == {}
