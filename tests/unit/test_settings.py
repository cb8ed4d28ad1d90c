"""Configuration errors name the variable; the quarantine rate uses this run's loads."""

import datetime as dt

import pytest

from ingestion.loader import LoadResult
from ingestion.settings import ConfigError, Settings
from orchestration.assets.raw import freshness_hours, freshness_result, quarantine_rate


def test_defaults_apply_when_variables_are_unset():
    s = Settings.from_env({})
    assert (str(s.warehouse), str(s.landing), s.max_quarantine_rate) == (
        "warehouse/build.duckdb", "landing", 0.05)


@pytest.mark.parametrize("value", ["abc", "1.5", "-0.1"])
def test_bad_quarantine_rate_is_a_clear_error(value):
    with pytest.raises(ConfigError, match="PARTNER_PULSE_MAX_QUARANTINE_RATE"):
        Settings.from_env({"PARTNER_PULSE_MAX_QUARANTINE_RATE": value})


def _result(status, rows_in, quarantined):
    return LoadResult("id", "crm", "accounts", dt.date(2026, 1, 1), "f", status,
                      rows_in=rows_in, rows_quarantined=quarantined)


def test_quarantine_rate_of_this_runs_loads():
    results = [_result("loaded", 90, 9), _result("loaded", 10, 1), _result("skipped", 0, 0)]
    assert quarantine_rate(results, fallback=(100, 100)) == pytest.approx(0.10)


def test_quarantine_rate_falls_back_to_the_last_load_when_nothing_new():
    assert quarantine_rate([_result("skipped", 0, 0)], fallback=(200, 5)) == pytest.approx(0.025)
    assert quarantine_rate([], fallback=None) == 0.0


def test_freshness_passes_within_the_limit_and_fails_after_or_when_never_loaded():
    now = dt.datetime(2026, 1, 2, 12)
    assert freshness_result(dt.datetime(2026, 1, 1, 12), now, 36).passed
    late = freshness_result(dt.datetime(2025, 12, 31, 0), now, 36)
    assert not late.passed and late.metadata["age_hours"].value == 60.0
    assert not freshness_result(None, now, 36).passed


def test_freshness_hours_is_validated(monkeypatch):
    monkeypatch.setenv("PARTNER_PULSE_FRESHNESS_HOURS", "soon")
    with pytest.raises(ValueError, match="PARTNER_PULSE_FRESHNESS_HOURS"):
        freshness_hours()
    monkeypatch.setenv("PARTNER_PULSE_FRESHNESS_HOURS", "48")
    assert freshness_hours() == 48.0


def test_sources_of_a_partial_deployment():
    from ingestion.settings import ConfigError, parse_sources
    from orchestration.assets.raw import freshness_result
    from orchestration.quality.gx_suite import must_have_rows

    assert parse_sources(None) == ("crm", "prm", "lms", "survey")
    assert parse_sources(" CRM, survey ") == ("crm", "survey")
    with pytest.raises(ConfigError, match="unknown source.*erp"):
        parse_sources("crm,erp")
    # A source the deployment does not have is not judged on freshness ...
    assert freshness_result(None, dt.datetime(2026, 1, 2), 36, source_enabled=False).passed
    assert not freshness_result(None, dt.datetime(2026, 1, 2), 36).passed
    # ... and the marts built from it may publish empty.
    assert must_have_rows("fct_opportunity_partner_credit", ("crm", "survey"))
    assert not must_have_rows("partner_health_score", ("crm", "survey"))
    assert must_have_rows("partner_health_score", ("crm", "prm", "lms", "survey"))
