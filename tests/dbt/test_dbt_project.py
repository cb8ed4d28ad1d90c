"""The dbt project on a hand-made raw dataset (see conftest.RAW), with hand-computed values.

Dataset highlights (as_of_date 2024-03-15):
- O1 USD 1000.00 won 2024-02-10: P1 sourced, P2 influenced -> 600.00 / 400.00.
- O2 EUR 1000 won 2024-02-25: rate of 2024-02-20 (1.12, 5 days old) -> 1120.00; P2 influenced
  only (no sourcing partner) -> 100 %; P1 fulfillment -> 0.
- O3 USD 100.00 won 2024-03-01: P1 sourced (and influenced), P2 influenced, P3 co_sell
  -> 60.00 / 20.00 / 20.00. O8 USD 100.00 won 2024-03-05: P1 sourced, P2, P3, P5 influencers
  -> 60.00 + 0.01 remainder / 13.33 x 3.
- O4 USD 500 open (created 2024-01-31 23:59:59), O5 USD 300 lost with close_date 2024-03-01
  (open at the end of February), O6 soft-deleted, O7 USD 50 won with fulfillment only,
  O9 EUR 200 open created 2024-02-15: rate of 2024-01-31 is 15 days old -> stale, 216.00.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

import duckdb
from dbt_fixture_data import AS_OF, DbtRunner, insert_raw

MONTH_COLUMNS = (
    "attributed_revenue_usd, sourced_revenue_usd, influenced_revenue_usd, won_deals, lost_deals, "
    "pipeline_created_usd, open_pipeline_usd, registrations_submitted, registrations_approved, "
    "registrations_rejected, registrations_pending_eom, registrations_converted, "
    "median_approval_hours, portal_events, portal_active_days, portal_active_contacts, "
    "course_completions, valid_certifications, "
    "mdf_requested_usd, mdf_paid_usd, support_cases_opened, support_cases_open_eom, "
    "high_priority_open_eom, median_resolution_hours, survey_responses, is_provisional"
)


def month_row(built: DbtRunner, partner_id: str, month: str) -> dict:
    cols = [c.strip() for c in MONTH_COLUMNS.split(",")]
    rows = built.query(
        f"select {MONTH_COLUMNS} from core.fct_partner_month "
        "where partner_id = ? and month_start = cast(? as date)",
        [partner_id, month],
    )
    assert len(rows) == 1, f"{partner_id} {month}: {rows}"
    return dict(zip(cols, rows[0], strict=True))


def money(text: str) -> Decimal:
    return Decimal(text)


def test_dbt_parse(dbt_runner: DbtRunner) -> None:
    proc = dbt_runner("parse")
    assert "Performance info" in proc.stdout or proc.returncode == 0


# ---------------------------------------------------------------- staging


def test_staging_keeps_latest_version_and_hashes_email(built: DbtRunner) -> None:
    assert built.query("select tier from staging.stg_prm__partners where partner_id = 'P1'") == [
        ("gold",)
    ]
    assert built.query(
        "select amount_local from staging.stg_crm__opportunities where opportunity_id = 'O1'"
    ) == [(1000.0,)]
    columns = {
        r[0]
        for r in built.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'staging' and table_name = 'stg_prm__partner_contacts'"
        )
    }
    assert "email" not in columns and "email_sha256" in columns
    expected = hashlib.sha256(b"alice@example.com").hexdigest()
    assert built.query(
        "select email_sha256 from staging.stg_prm__partner_contacts where contact_id = 'C1'"
    ) == [(expected,)]


def test_staging_flags_orphans(built: DbtRunner) -> None:
    rows = built.query(
        "select opportunity_id, partner_id from staging.stg_crm__opportunity_partners "
        "where is_orphan order by 1, 2"
    )
    assert rows == [("O8", "P5")]


# ---------------------------------------------------------------- intermediate


def test_fx_conversion_and_staleness(built: DbtRunner) -> None:
    rows = dict(
        (r[0], r[1:])
        for r in built.query(
            "select opportunity_id, amount_usd, fx_rate_date, fx_is_stale "
            "from intermediate.int_opportunities_converted"
        )
    )
    assert "O6" not in rows  # soft delete
    assert rows["O2"][0] == money("1120.00") and not rows["O2"][2]
    assert str(rows["O9"][1]) == "2024-01-31" and rows["O9"][0] == money("216.00")
    assert rows["O9"][2]  # 15 days old


# ---------------------------------------------------------------- attribution


def test_credits(built: DbtRunner) -> None:
    rows = {
        (r[0], r[1]): r[2:]
        for r in built.query(
            "select opportunity_id, partner_id, role, credit_amount_usd, attribution_model "
            "from core.fct_opportunity_partner_credit"
        )
    }
    assert rows[("O1", "P1")][:2] == ("sourced", money("600.00"))
    assert rows[("O1", "P2")][:2] == ("influenced", money("400.00"))
    assert rows[("O2", "P2")][1] == money("1120.00")
    assert rows[("O2", "P1")][:2] == ("fulfillment", money("0.00"))
    assert rows[("O3", "P1")][:2] == ("sourced", money("60.00"))
    assert rows[("O3", "P3")][:2] == ("co_sell", money("20.00"))
    assert rows[("O8", "P1")][1] == money("60.01")  # largest share takes the remainder
    assert rows[("O8", "P5")][1] == money("13.33")
    assert not any(o == "O6" for o, _ in rows)
    assert {r[2] for r in rows.values()} == {"sourced_weighted"}


def test_credit_invariant(built: DbtRunner) -> None:
    bad = built.query(
        "select opportunity_id from core.fct_opportunity_partner_credit where is_won "
        "group by opportunity_id "
        "having sum(credit_amount_usd) != 0 and sum(credit_amount_usd) != max(amount_usd)"
    )
    assert bad == []


# ---------------------------------------------------------------- partner month


def test_partner_month_grain(built: DbtRunner) -> None:
    rows = built.query(
        "select partner_id, cast(month_start as varchar) from core.fct_partner_month order by 1, 2"
    )
    assert rows == [
        ("P1", "2024-01-01"),
        ("P1", "2024-02-01"),
        ("P1", "2024-03-01"),
        # P2: joined 2023-12-05, terminated 2024-02-20
        ("P2", "2023-12-01"),
        ("P2", "2024-01-01"),
        ("P2", "2024-02-01"),
        # ... and a March month flagged is_after_termination: P2's credits of O3 and O8, won in
        # March, are kept (33.33 USD), not dropped
        ("P2", "2024-03-01"),
        # P3: no joined_at, first activity 2024-02-01 00:00:00 (a portal event)
        ("P3", "2024-02-01"),
        ("P3", "2024-03-01"),
        # P4 joins after the as_of date: no rows
        # The unknown member holds O8's credit to P5, a partner id PRM does not know
        ("UNKNOWN", "2024-03-01"),
    ]
    flags = built.query(
        "select partner_id, cast(month_start as varchar) from core.fct_partner_month "
        "where is_after_termination or is_unknown_member order by 1"
    )
    assert flags == [("P2", "2024-03-01"), ("UNKNOWN", "2024-03-01")]


def test_partner_month_p1(built: DbtRunner) -> None:
    jan = month_row(built, "P1", "2024-01-01")
    assert jan["attributed_revenue_usd"] == 0
    assert jan["pipeline_created_usd"] == money("1100.00")  # O1 600 + O4 500 (+ O2, O7 at 0)
    assert jan["open_pipeline_usd"] == money("1100.00")  # O1 closes 02-10, O4 open
    # Status as of the January month end: R1 approved 01-11; R2 (approved 02-01 00:00 = E) is
    # still pending at E; R1's opportunity O1 is won only on 02-10, so no conversion yet.
    assert (jan["registrations_submitted"], jan["registrations_approved"]) == (2, 1)
    assert jan["registrations_pending_eom"] == 1
    assert jan["registrations_converted"] == 0
    assert jan["median_approval_hours"] == 24.0  # R1 decided in January after 24 h
    assert jan["valid_certifications"] == 3  # CA, CD (expires exactly at E), CE
    assert jan["mdf_requested_usd"] == money("108.00")  # EUR 100 at 1.08 (2024-01-31)
    assert jan["support_cases_opened"] == 2
    assert (jan["support_cases_open_eom"], jan["high_priority_open_eom"]) == (1, 1)  # S2
    assert jan["median_resolution_hours"] == 24.0  # S1
    assert jan["is_provisional"] is False

    feb = month_row(built, "P1", "2024-02-01")
    assert feb["sourced_revenue_usd"] == money("600.00")
    assert feb["attributed_revenue_usd"] == money("600.00")
    assert feb["won_deals"] == 3  # O1, O2 (fulfillment), O7 (fulfillment)
    assert feb["pipeline_created_usd"] == money("360.00")  # O5 300 + O3 60
    assert feb["open_pipeline_usd"] == money("860.00")  # O4 500 + O5 300 + O3 60 (close = E)
    assert (feb["registrations_submitted"], feb["registrations_rejected"]) == (2, 1)
    assert feb["median_approval_hours"] == 149.0  # R2 288 h and R4 10 h decided in February
    assert feb["valid_certifications"] == 2  # CA (expires exactly at E), CB
    assert feb["course_completions"] == 1  # completed at 2024-02-01 00:00:00
    assert feb["mdf_paid_usd"] == money("108.00")  # paid at 2024-02-01 00:00:00
    assert feb["median_resolution_hours"] == 288.0  # S2 closed at 2024-02-01 00:00:00
    assert (feb["support_cases_open_eom"], feb["high_priority_open_eom"]) == (1, 1)  # S3
    assert feb["survey_responses"] == 1

    mar = month_row(built, "P1", "2024-03-01")
    assert mar["is_provisional"] is True
    assert mar["attributed_revenue_usd"] == money("120.01")  # O3 60.00 + O8 60.01
    assert (mar["won_deals"], mar["lost_deals"]) == (2, 1)
    assert mar["open_pipeline_usd"] == money("500.00")  # O4 only
    assert mar["valid_certifications"] == 2  # CB, CC (issued exactly at 2024-03-01)


def test_partner_month_p2_p3(built: DbtRunner) -> None:
    feb = month_row(built, "P2", "2024-02-01")
    assert feb["influenced_revenue_usd"] == money("1520.00")  # O1 400 + O2 1120
    assert feb["sourced_revenue_usd"] == 0
    assert feb["won_deals"] == 2
    p3_feb = month_row(built, "P3", "2024-02-01")
    assert (p3_feb["portal_events"], p3_feb["portal_active_days"]) == (2, 2)
    assert p3_feb["portal_active_contacts"] == 1
    assert p3_feb["pipeline_created_usd"] == money("236.00")  # O3 20 + O9 216
    p3_mar = month_row(built, "P3", "2024-03-01")
    assert p3_mar["influenced_revenue_usd"] == money("33.33")  # O3 20 + O8 13.33
    assert p3_mar["portal_events"] == 1  # the 2024-03-20 event is after the as_of date
    assert p3_mar["open_pipeline_usd"] == money("216.00")  # O9


def test_month_range_rerun_is_idempotent_and_scoped(built: DbtRunner) -> None:
    """Runs last: it changes the warehouse."""
    before = built.query("select * from core.fct_partner_month order by partner_id, month_start")
    range_vars = f"{{as_of_date: '{AS_OF}', min_date: '2024-02-01', max_date: '2024-03-01'}}"
    built("run", "--select", "fct_partner_month", "--vars", range_vars)
    after = built.query("select * from core.fct_partner_month order by partner_id, month_start")
    assert after == before

    # Late data in January and February; rebuilding February only picks up February's.
    con = duckdb.connect(str(built.warehouse))
    try:
        insert_raw(
            con,
            {
                "raw_prm.portal_events": [
                    ("E90", "P1", "C1", "login", datetime(2024, 1, 15)),
                    ("E91", "P1", "C1", "login", datetime(2024, 2, 15)),
                ]
            },
            load_id="load-2",
        )
    finally:
        con.close()
    built("run", "--select", "fct_partner_month", "--vars", range_vars)
    assert month_row(built, "P1", "2024-01-01")["portal_events"] == 0
    assert month_row(built, "P1", "2024-02-01")["portal_events"] == 1
    assert len(built.query("select 1 from core.fct_partner_month")) == len(before)


# ---------------------------------------------------------------- dbt unit tests


def test_dbt_unit_tests(built: DbtRunner) -> None:
    """Runs last: `dbt run --empty` empties the models (as in `make test`); unit tests only need
    the relations to exist."""
    built("run", "--empty")
    proc = built("test", "--select", "test_type:unit")
    assert "PASS=" in proc.stdout and "ERROR=0" in proc.stdout and "FAIL=" not in proc.stdout
