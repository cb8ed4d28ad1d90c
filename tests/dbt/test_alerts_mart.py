"""partner_alerts on the hand-made fixture dataset (dbt_fixture_data.RAW) plus a few rows of our
own (EXTRA), with hand-computed alert rows; the hand-computed dbt unit tests of the model.

as_of_date 2024-03-15: March 2024 is provisional and its month end E is 2024-03-16 00:00.
Active partner-months: P1 January-March, P2 December 2023-February 2024 (terminated
2024-02-20), P3 January-March; P4 joins in April (no month, so no alert).

- registration_sla_breached (SLA 48 h): RAW's R2 (P1, submitted 01-20 00:00, approved 02-01
  00:00 = 288 h) is undecided at the January month end (02-01 00:00, 288 h old) and decided late
  in February. EXTRA: P3's R91 is decided after exactly 48 h (no breach), R92 after 48 h 1 min
  (breach, shown 48.0 h), R93 is pending since 03-10 00:00 (144 h at E); R94, decided late in
  March by P2 (terminated in February, so no March month), gives nothing.
- certification_expiring (60 days): P1 in January (E 02-01): CA (expires 03-01), CD (expires at
  E itself, still valid), CE (02-15) -> 3, one contact (C1), earliest 2024-02-01; February (E
  03-01): CA expires at E -> 1; March: CB and CC never expire. EXTRA: P3's C91 expires 2024-05-15
  00:00, exactly 60 days after the March E -> included (February E: 75 days, not).
- tier_downgrade_due: partner_tier_fit evaluates the last closed month (February) and needs a
  full 12-month window; P1 has 2 months of history, so no tier alert (eligibility rule).
- P2 (terminated 2024-02-20) keeps a March month flagged is_after_termination, because its R94
  is decided in March, but no alert fires in or after a termination month.
- Health rules: the fixture has at most 3 scored months per partner, no early warning and no
  computed band move into at_risk from healthy / watch, so no health alert (checked against
  partner_health_score).
"""

from __future__ import annotations

import copy
import re

import pytest
from dbt_fixture_data import AS_OF, RAW, DbtRunner, d, make_runner, ts

VARS = f"{{as_of_date: '{AS_OF}'}}"
SELECT = "+partner_alerts"


def _registration(
    rid: str, partner: str, submitted: str, decided: str | None, status: str
) -> tuple:
    return (
        rid,
        partner,
        "A1",
        None,
        ts(submitted),
        ts(decided) if decided else None,
        status,
        100.0,
        "USD",
        None,
        ts(decided or submitted),
    )


EXTRA: dict[str, list[tuple]] = {
    "raw_prm.deal_registrations": [
        _registration("R91", "P3", "2024-03-01 00:00:00", "2024-03-03 00:00:00", "approved"),
        _registration("R92", "P3", "2024-03-02 00:00:00", "2024-03-04 00:01:00", "rejected"),
        _registration("R93", "P3", "2024-03-10 00:00:00", None, "pending"),
        _registration("R94", "P2", "2024-03-01 00:00:00", "2024-03-10 00:00:00", "approved"),
    ],
    "raw_lms.certifications": [
        ("C91", "K1", "C3", "P3", ts("2024-02-01 00:00:00"), ts("2024-05-15 00:00:00")),
    ],
}

EXPECTED = [
    (
        "P1",
        d("2024-01-01"),
        "certification_expiring",
        "medium",
        3.0,
        "3 certification(s) of 1 contact(s) expire within 60 days of month end "
        "(earliest 2024-02-01). Plan the renewals with the partner enablement lead.",
    ),
    (
        "P1",
        d("2024-01-01"),
        "registration_sla_breached",
        "medium",
        1.0,
        "1 deal registration(s) still awaiting a decision past the 48 h SLA at month end "
        "(oldest 288.0 h). Chase the pending decisions with the channel desk.",
    ),
    (
        "P1",
        d("2024-02-01"),
        "certification_expiring",
        "medium",
        1.0,
        "1 certification(s) of 1 contact(s) expire within 60 days of month end "
        "(earliest 2024-03-01). Plan the renewals with the partner enablement lead.",
    ),
    (
        "P1",
        d("2024-02-01"),
        "registration_sla_breached",
        "medium",
        1.0,
        "1 deal registration(s) decided after the 48 h approval SLA this month (worst 288.0 h). "
        "Review the approval turnaround with the channel desk.",
    ),
    (
        "P3",
        d("2024-03-01"),
        "certification_expiring",
        "medium",
        1.0,
        "1 certification(s) of 1 contact(s) expire within 60 days of today "
        "(earliest 2024-05-15). Plan the renewals with the partner enablement lead.",
    ),
    (
        "P3",
        d("2024-03-01"),
        "registration_sla_breached",
        "medium",
        2.0,
        "1 deal registration(s) decided after the 48 h approval SLA this month (worst 48.0 h); "
        "1 deal registration(s) still awaiting a decision past the 48 h SLA today "
        "(oldest 144.0 h). Chase the pending decisions with the channel desk.",
    ),
]


def _dataset() -> dict[str, list[tuple]]:
    rows = copy.deepcopy(RAW)
    for table, extra in EXTRA.items():
        rows.setdefault(table, []).extend(extra)
    return rows


@pytest.fixture(scope="module")
def alerts(tmp_path_factory: pytest.TempPathFactory) -> DbtRunner:
    """partner_alerts and everything upstream, built with their data tests."""
    runner = make_runner(tmp_path_factory.mktemp("alerts_warehouse"), _dataset())
    build = ["build", "--exclude", "test_type:unit", "--select", SELECT]
    runner(*build, "--indirect-selection", "cautious", "--vars", VARS)
    return runner


def test_hand_computed_alert_rows(alerts: DbtRunner) -> None:
    rows = alerts.query(
        "select partner_id, month_start, rule, severity, metric_value, message "
        "from marts.partner_alerts order by partner_id, month_start, rule"
    )
    assert rows == EXPECTED


def test_context_columns(alerts: DbtRunner) -> None:
    assert alerts.query(
        "select partner_type, tier, region, is_provisional, metric_name, rule_threshold "
        "from marts.partner_alerts where partner_id = 'P3'"
        " order by rule"
    ) == [
        ("referral", "registered", "APAC", True, "certifications_expiring", 60.0),
        ("referral", "registered", "APAC", True, "registrations_breaching_sla", 48.0),
    ]
    # P2 (terminated in February) has a registration decided late in March: its March month
    # exists, flagged after termination, and raises no alert (nor does its termination month).
    assert alerts.query(
        "select month_start, is_after_termination from core.fct_partner_month "
        "where partner_id = 'P2' and month_start >= '2024-02-01' order by month_start"
    ) == [(d("2024-02-01"), False), (d("2024-03-01"), True)]
    assert alerts.query("select count(*) from marts.partner_alerts where partner_id = 'P2'") == [
        (0,)
    ]
    assert alerts.query(
        "select count(*) from marts.partner_alerts alerts "
        "left join core.fct_partner_month months "
        "on alerts.partner_id = months.partner_id and alerts.month_start = months.month_start "
        "where months.partner_id is null"
    ) == [(0,)]


def test_no_health_alert_without_a_health_signal(alerts: DbtRunner) -> None:
    # The fixture has no early warning and no computed move into at_risk: no health alert.
    assert alerts.query("select count(*) from marts.partner_health_score where early_warning") == [
        (0,)
    ]
    assert alerts.query(
        "select count(*) from marts.partner_health_score as current_month "
        "inner join marts.partner_health_score as previous_month "
        "on current_month.partner_id = previous_month.partner_id "
        "and previous_month.month_start = current_month.month_start - interval 1 month "
        "where current_month.computed_band = 'at_risk' "
        "and previous_month.computed_band in ('healthy', 'watch')"
    ) == [(0,)]
    assert alerts.query(
        "select count(*) from marts.partner_alerts "
        "where rule in ('early_warning', 'band_to_at_risk')"
    ) == [(0,)]


def test_dbt_unit_tests_of_the_alerts(alerts: DbtRunner) -> None:
    """The hand-computed unit tests of _alerts__unit_tests.yml (every rule, firing and not, the
    insufficient_data exclusion, the SLA and look-ahead boundaries)."""
    proc = alerts("test", "--select", "partner_alerts,test_type:unit", "--vars", VARS)
    done = re.search(r"PASS=(\d+) WARN=\d+ ERROR=(\d+) SKIP=\d+ NO-OP=\d+ TOTAL=(\d+)", proc.stdout)
    assert done, proc.stdout[-3000:]
    passed, errors, total = (int(g) for g in done.groups())
    assert errors == 0 and passed == total >= 7, proc.stdout[-3000:]
