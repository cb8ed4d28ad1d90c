"""Partner Performance marts on the hand-made fixture dataset (dbt_fixture_data.RAW) plus a few
rows of our own (EXTRA), with hand-computed values; and the idempotent month-window rerun of
int_partner_performance_monthly.

Highlights (as_of_date 2024-03-15; see test_dbt_project.py for the credits of RAW):
- P1 (reseller, gold, NA): February won O1 (sourced 600.00), O2 and O7 (fulfillment, 0), no lost
  deal; March won O3 60.00 + O8 60.01, lost O5. Q1 target revenue 3000 (RAW).
- Account A1's first won opportunity is O7 (closed 2024-02-07; O6 is soft-deleted), where P1 is
  fulfillment only: nobody gets a new customer for A1.
- EXTRA: P2 submits R90 on 2023-12-20 (approved), linked to O90 (new account A90, P2 sourced)
  won on 2024-01-15: converted, counted in Q4 2023 (the quarter of submission); A90 is a new
  customer of P2 in January 2024. P3 has a pipeline target of 0 for Q1 2024.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import duckdb
import pytest
from dbt_fixture_data import AS_OF, RAW, DbtRunner, d, insert_raw, make_runner, ts

VARS = f"{{as_of_date: '{AS_OF}'}}"
WINDOW_VARS = f"{{as_of_date: '{AS_OF}', min_date: '2024-02-01', max_date: '2024-03-01'}}"
SELECT = "+path:models/marts/performance"

EXTRA: dict[str, list[tuple]] = {
    "raw_crm.accounts": [
        (
            "A90",
            "Newco",
            "software",
            "EMEA",
            "DE",
            "1-50",
            ts("2023-12-01 00:00:00"),
            ts("2023-12-01 00:00:00"),
            False,
        ),
    ],
    "raw_crm.opportunities": [
        (
            "O90",
            "A90",
            "closed_won",
            1000.0,
            "USD",
            ts("2023-12-18 00:00:00"),
            d("2024-01-15"),
            True,
            True,
            ts("2024-01-15 00:00:00"),
            False,
        ),
    ],
    "raw_crm.opportunity_partners": [
        ("O90", "P2", "sourced", ts("2023-12-18 00:00:00")),
    ],
    "raw_prm.deal_registrations": [
        (
            "R90",
            "P2",
            "A90",
            "O90",
            ts("2023-12-20 00:00:00"),
            ts("2023-12-22 00:00:00"),
            "approved",
            1000.0,
            "USD",
            None,
            ts("2023-12-22 00:00:00"),
        ),
    ],
    "raw_prm.partner_targets": [
        ("P3", d("2024-01-01"), "pipeline", 0.0),
    ],
}


def _dataset() -> dict[str, list[tuple]]:
    rows = copy.deepcopy(RAW)
    for table, extra in EXTRA.items():
        rows.setdefault(table, []).extend(extra)
    return rows


@pytest.fixture(scope="module")
def perf(tmp_path_factory: pytest.TempPathFactory) -> DbtRunner:
    """The performance marts and everything upstream, built with their data tests."""
    runner = make_runner(tmp_path_factory.mktemp("perf_warehouse"), _dataset())
    build = ["build", "--exclude", "test_type:unit", "--select", SELECT]
    runner(*build, "--indirect-selection", "cautious", "--vars", VARS)
    return runner


def row(runner: DbtRunner, partner_id: str, grain: str, start: str, columns: str) -> dict:
    cols = [c.strip() for c in columns.split(",")]
    rows = runner.query(
        f"select {columns} from marts.partner_performance "
        "where partner_id = ? and period_grain = ? and period_start = cast(? as date)",
        [partner_id, grain, start],
    )
    assert len(rows) == 1, f"{partner_id} {grain} {start}: {rows}"
    return dict(zip(cols, rows[0], strict=True))


def test_grain_months_and_quarters(perf: DbtRunner) -> None:
    months = perf.query(
        "select count(*) from core.fct_partner_month where month_start <= date '2024-03-01'"
    )[0][0]
    assert perf.query(
        "select count(*) from marts.partner_performance where period_grain = 'month'"
    ) == [(months,)]
    # P1 Jan-Mar 2024, P2 Dec 2023-Mar 2024 (March after its termination: late credits kept),
    # P3 Jan-Mar 2024, the unknown member (orphan credits) March -> one row per quarter each
    assert perf.query(
        "select partner_id, count(*) from marts.partner_performance "
        "where period_grain = 'quarter' group by partner_id order by partner_id"
    ) == [("P1", 1), ("P2", 2), ("P3", 1), ("UNKNOWN", 1)]
    assert perf.query(
        "select period_grain, is_provisional from marts.partner_performance "
        "where partner_id = 'P1' and period_start = date '2024-01-01' order by period_grain"
    ) == [("month", False), ("quarter", True)]  # Q1 holds the as_of month


def test_win_rate_by_count_any_role(perf: DbtRunner) -> None:
    cols = "won_deals, lost_deals, win_rate"
    # January: nothing closed -> null, not 0
    assert row(perf, "P1", "month", "2024-01-01", cols) == {
        "won_deals": 0,
        "lost_deals": 0,
        "win_rate": None,
    }
    # February: O1 (sourced) and O2, O7 (fulfillment only, no credit) all count
    assert row(perf, "P1", "month", "2024-02-01", cols)["win_rate"] == 1.0
    assert row(perf, "P1", "month", "2024-03-01", cols) == {
        "won_deals": 2,
        "lost_deals": 1,
        "win_rate": pytest.approx(2 / 3),
    }
    assert row(perf, "P1", "quarter", "2024-01-01", cols) == {
        "won_deals": 5,
        "lost_deals": 1,
        "win_rate": pytest.approx(5 / 6),
    }


def test_registration_conversion_in_quarter_of_submission(perf: DbtRunner) -> None:
    cols = "registrations_submitted, registrations_approved, registration_conversion_rate"
    # R90 submitted in December 2023, its opportunity won in January 2024: Q4 2023 converts
    assert row(perf, "P2", "quarter", "2023-10-01", cols) == {
        "registrations_submitted": 1,
        "registrations_approved": 1,
        "registration_conversion_rate": 1.0,
    }
    assert row(perf, "P2", "quarter", "2024-01-01", cols) == {
        "registrations_submitted": 0,
        "registrations_approved": 0,
        "registration_conversion_rate": None,
    }
    # P1 Q1: R1 (-> O1 won), R2 (-> O4 open), R4 (no opportunity) approved; R3 rejected
    assert row(perf, "P1", "quarter", "2024-01-01", cols) == {
        "registrations_submitted": 4,
        "registrations_approved": 3,
        "registration_conversion_rate": pytest.approx(1 / 3),
    }


def test_targets_and_attainment(perf: DbtRunner) -> None:
    cols = "attributed_revenue_usd, target_revenue_usd, revenue_attainment"
    q1 = row(perf, "P1", "quarter", "2024-01-01", cols)
    assert q1["attributed_revenue_usd"] == Decimal("720.01")  # 600.00 + 60.00 + 60.01
    assert q1["target_revenue_usd"] == Decimal("3000.00")
    assert q1["revenue_attainment"] == pytest.approx(720.01 / 3000)
    jan = row(perf, "P1", "month", "2024-01-01", cols)
    assert (jan["target_revenue_usd"], jan["revenue_attainment"]) == (Decimal("1000.00"), 0.0)
    assert row(perf, "P1", "month", "2024-02-01", cols)["revenue_attainment"] == 0.6
    # no target -> null; a zero target -> null attainment (never 0 or infinite)
    assert row(perf, "P2", "quarter", "2024-01-01", cols)["revenue_attainment"] is None
    p3 = row(perf, "P3", "quarter", "2024-01-01", "target_pipeline_usd, pipeline_attainment")
    assert p3 == {"target_pipeline_usd": Decimal("0.00"), "pipeline_attainment": None}


def test_mdf_roi(perf: DbtRunner) -> None:
    cols = "mdf_paid_usd, mdf_paid_trailing_4q_usd, mdf_roi"
    # M1: EUR 100 at 1.08 = 108.00 paid 2024-02-01
    assert row(perf, "P1", "month", "2024-01-01", cols) == {
        "mdf_paid_usd": Decimal("0.00"),
        "mdf_paid_trailing_4q_usd": Decimal("0.00"),
        "mdf_roi": None,
    }
    assert row(perf, "P1", "month", "2024-02-01", cols)["mdf_roi"] == pytest.approx(600 / 108)
    assert row(perf, "P1", "quarter", "2024-01-01", cols)["mdf_roi"] == pytest.approx(720.01 / 108)
    assert row(perf, "P2", "quarter", "2024-01-01", cols)["mdf_roi"] is None  # nothing paid


def test_new_customers_and_co_sell(perf: DbtRunner) -> None:
    cols = "new_customers, co_sell_count"
    assert row(perf, "P2", "month", "2024-01-01", cols)["new_customers"] == 1  # A90 via O90
    assert row(perf, "P1", "quarter", "2024-01-01", cols)["new_customers"] == 0  # A1: O7 first
    assert row(perf, "P3", "month", "2024-02-01", cols) == {"new_customers": 0, "co_sell_count": 1}


def test_peer_percentile_falls_back_to_all_partners(perf: DbtRunner) -> None:
    # February: three partners, each alone in its partner_type -> all partners (n = 3):
    # P3 0 -> 0; P1 600 -> (1 + 0.5) / 3; P2 1520 (O1 400 + O2 1120) -> (2 + 0.5) / 3
    rows = perf.query(
        "select partner_id, peer_group, peer_group_size, peer_percentile, region_percentile, "
        "rank_in_segment from marts.partner_performance "
        "where period_grain = 'month' and period_start = date '2024-02-01' order by partner_id"
    )
    assert rows == [
        ("P1", "all", 3, pytest.approx(50.0), pytest.approx(50.0), 2),
        ("P2", "all", 3, pytest.approx(250 / 3), pytest.approx(250 / 3), 1),
        ("P3", "all", 3, 0.0, 0.0, 3),
    ]


def test_tier_fit(perf: DbtRunner) -> None:
    # Evaluated at the last closed month, February 2024. P2 terminated in February and the
    # unknown member are not judged; P4 joins in April. P1: 600.00 in the window (February),
    # 1 certified contact, 2 registrations approved by the end of their submission month (R1 in
    # January, R4 in February; R2 was still pending at the January end) -> registered under the
    # seed rules, current gold -> downgrade, over 2 of 12 months (no full window, so the alert
    # waits). P3 registered -> keep.
    assert perf.query(
        "select partner_id, evaluation_month, current_tier, revenue_12m_usd, certified_people, "
        "registrations_12m, recommended_tier, tier_fit, months_observed, has_full_window "
        "from marts.partner_tier_fit order by partner_id"
    ) == [
        ("P1", d("2024-02-01"), "gold", Decimal("600.00"), 1, 2, "registered", "downgrade", 2,
         False),
        ("P3", d("2024-02-01"), "registered", Decimal("0.00"), 0, 0, "registered", "keep", 1,
         False),
    ]


def test_tier_change_mid_quarter_rebuilt_twice_keeps_one_row_per_key(perf: DbtRunner) -> None:
    """Issue 9 item 1 repro: P3 gets a new tier version dated inside the current quarter
    (silver from 2024-03-05); the last two months are rebuilt twice, as the daily refresh does.
    One row per (partner, grain, period); the quarter takes the tier of its last month (March,
    silver) and holds the sums of its months; the unique tests pass."""
    p3 = next(row for row in RAW["raw_prm.partners"] if row[0] == "P3")
    columns = ["partner_id", "name", "partner_type", "tier", "region", "country",
               "specializations", "status", "applied_at", "joined_at", "onboarded_at",
               "terminated_at", "parent_partner_id", "updated_at"]
    changed = dict(zip(columns, p3, strict=True)) | {
        "tier": "silver", "updated_at": ts("2024-03-05 00:00:00")
    }
    con = duckdb.connect(str(perf.warehouse))
    try:
        insert_raw(con, {"raw_prm.partners": [tuple(changed.values())]}, load_id="load-tier")
    finally:
        con.close()
    window = f"{{as_of_date: '{AS_OF}', min_date: '2024-02-01', max_date: '2024-04-01'}}"
    for _ in range(2):
        perf("run", "--select", "stg_prm__partner_versions+", "--exclude",
             "tag:partitioned_monthly", "path:models/marts", "--vars", VARS)
        perf("run", "--select", "tag:partitioned_monthly,+int_partner_performance_monthly",
             "--vars", window)
        perf("build", "--select", "int_partner_performance_periods partner_performance",
             "--exclude", "test_type:unit", "--vars", VARS)
    assert perf.query(
        "select count(*) from (select partner_id, period_grain, period_start, count(*) as n "
        "from marts.partner_performance group by all having n > 1)"
    ) == [(0,)]
    rows = perf.query(
        "select period_grain, period_start, tier, attributed_revenue_usd "
        "from marts.partner_performance where partner_id = 'P3' and period_start >= '2024-01-01' "
        "order by period_grain, period_start"
    )
    months = [r for r in rows if r[0] == "month"]
    quarters = [r for r in rows if r[0] == "quarter"]
    assert [(r[1], r[2]) for r in months] == [
        (d("2024-02-01"), "registered"),
        (d("2024-03-01"), "silver"),
    ]
    assert [(r[1], r[2]) for r in quarters] == [(d("2024-01-01"), "silver")]
    assert quarters[0][3] == sum(r[3] for r in months)


def _snapshot(runner: DbtRunner) -> dict[str, list[tuple]]:
    return {
        "monthly": runner.query(
            "select * from intermediate.int_partner_performance_monthly "
            "order by partner_id, month_start"
        ),
        "performance": runner.query(
            "select * from marts.partner_performance "
            "order by partner_id, period_grain, period_start"
        ),
    }


def test_month_window_rerun_is_idempotent_and_scoped(perf: DbtRunner) -> None:
    """Runs last in this module: it changes the warehouse."""
    before = _snapshot(perf)
    models = "fct_partner_month int_partner_performance_monthly partner_performance"
    perf("run", "--select", models, "--vars", WINDOW_VARS)
    assert _snapshot(perf) == before  # same rows, no duplicates

    # Late won deals closing in January and February; rebuilding February only picks up
    # February's (January keeps its old values until its own partition is rebuilt).
    con = duckdb.connect(str(perf.warehouse))
    try:
        insert_raw(
            con,
            {
                "raw_crm.opportunities": [
                    (
                        "O91",
                        "A1",
                        "closed_won",
                        70.0,
                        "USD",
                        ts("2024-01-02 00:00:00"),
                        d("2024-01-22"),
                        True,
                        True,
                        ts("2024-01-22 00:00:00"),
                        False,
                    ),
                    (
                        "O92",
                        "A1",
                        "closed_won",
                        30.0,
                        "USD",
                        ts("2024-02-02 00:00:00"),
                        d("2024-02-12"),
                        True,
                        True,
                        ts("2024-02-12 00:00:00"),
                        False,
                    ),
                ],
                "raw_crm.opportunity_partners": [
                    ("O91", "P1", "sourced", ts("2024-01-02 00:00:00")),
                    ("O92", "P1", "sourced", ts("2024-02-02 00:00:00")),
                ],
            },
            load_id="load-perf-2",
        )
    finally:
        con.close()
    perf("run", "--select", "+int_partner_performance_monthly", "--vars", WINDOW_VARS)
    monthly = {
        r[0]: r[1:]
        for r in perf.query(
            "select month_start, won_deals, won_amount_usd, sales_cycle_days_sum "
            "from intermediate.int_partner_performance_monthly where partner_id = 'P1'"
        )
    }
    # outside the window: untouched (O91 waits for January's own rebuild)
    assert monthly[d("2024-01-01")] == (0, Decimal("0.00"), 0)
    # February: O1 1000.00 (26 days), O2 1120.00 (36), O7 50.00 (33) + O92 30.00 (10)
    assert monthly[d("2024-02-01")] == (4, Decimal("2200.00"), 105)
    assert len(perf.query("select 1 from intermediate.int_partner_performance_monthly")) == len(
        before["monthly"]
    )
