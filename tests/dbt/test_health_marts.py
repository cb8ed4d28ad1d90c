"""Partner Health Score marts on a fixture warehouse (DESIGN 3 "Partner Health Score", "Backtest").

The raw dataset is generated here (seeded, 16 partners, Nov 2024 - Sep 2025, as_of 2025-09-15) and
runs through the real staging / core models, so partner_health_score is exercised on
fct_partner_month as built by the project. What is shown:

(a) building three monthly windows one after another equals a full build (from a table holding
    the earlier months, and from an empty table);
(b) rerunning a window changes nothing;
(c) after an input of month M changes (a won deal's amount) and only window M of fct_partner_month
    and partner_health_score is rerun, the scores and lags of M+1.. equal a fresh full build, and
    the change did reach them (health_score_prev_month / _3m_ago / deltas of M+1..M+3);
plus the backtest and methodology marts, the data tests and the hand-computed dbt unit tests.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt_fixture_data import DbtRunner, insert_raw, make_runner

from ingestion.contract import TABLES

AS_OF = "2025-09-15"
MONTHS = [date(2025, m, 1) for m in range(1, 10)]  # activity starts January 2025
HEALTH = "marts.partner_health_score"
BUILD_SELECT = ("+health_score_backtest_summary", "+score_methodology")

_COLUMNS = {f"raw_{t.source}.{t.name}": [c.name for c in t.columns] for t in TABLES}


def _row(table: str, **values: object) -> tuple:
    """A raw row in contract column order (lineage columns are added by insert_raw)."""
    return tuple(values.get(name) for name in _COLUMNS[table])


def _ts(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


PARTNERS = [
    # id, type, tier, joined, terminated
    ("P01", "reseller", "gold", date(2024, 11, 5), None),
    ("P02", "reseller", "gold", date(2024, 11, 5), None),
    ("P03", "reseller", "gold", date(2024, 11, 12), None),
    ("P04", "reseller", "gold", date(2024, 11, 20), None),
    ("P05", "reseller", "gold", date(2024, 11, 20), date(2025, 6, 20)),
    ("P06", "reseller", "silver", date(2024, 11, 25), None),
    ("P07", "reseller", "registered", date(2025, 3, 10), None),
    ("P08", "technology", "gold", date(2024, 11, 3), None),
    ("P09", "technology", "silver", date(2024, 11, 3), None),
    ("P10", "technology", "silver", date(2024, 11, 18), None),
    ("P11", "technology", "registered", date(2024, 11, 18), None),
    ("P12", "msp", "platinum", date(2024, 11, 7), None),
    ("P13", "msp", "registered", date(2025, 2, 14), None),
    ("P14", "referral", "registered", date(2024, 11, 9), date(2025, 8, 2)),
    ("P15", "system_integrator", "gold", date(2024, 11, 9), None),
    ("P16", "system_integrator", "silver", date(2024, 11, 9), None),
]


def build_raw(seed: int = 11) -> dict[str, list[tuple]]:
    """Monthly portal activity, won and open opportunities, deal registrations, support cases and
    revenue targets per partner, with a per-partner activity level so scores differ."""
    rng = random.Random(seed)
    raw: dict[str, list[tuple]] = {t: [] for t in _COLUMNS}
    raw["raw_crm.accounts"].append(
        _row(
            "raw_crm.accounts",
            account_id="A1",
            name="Acme",
            industry="software",
            region="NA",
            country="US",
            employee_band="51-200",
            created_at=datetime(2024, 1, 1),
            updated_at=datetime(2024, 1, 1),
            is_deleted=False,
        )
    )
    n_opp = n_reg = n_evt = n_case = 0
    for pid, ptype, tier, joined, terminated in PARTNERS:
        raw["raw_prm.partners"].append(
            _row(
                "raw_prm.partners",
                partner_id=pid,
                name=f"Partner {pid}",
                partner_type=ptype,
                tier=tier,
                region="NA",
                country="US",
                status="terminated" if terminated else "active",
                applied_at=_ts(joined - timedelta(days=30)),
                joined_at=_ts(joined),
                terminated_at=_ts(terminated) if terminated else None,
                updated_at=_ts(terminated or joined),
            )
        )
        level = rng.uniform(0.2, 1.0)
        for quarter in (date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1)):
            if pid in ("P01", "P02", "P08", "P12", "P15"):
                raw["raw_prm.partner_targets"].append(
                    _row(
                        "raw_prm.partner_targets",
                        partner_id=pid,
                        period_start=quarter,
                        metric="revenue",
                        target_value=30000.0,
                    )
                )
        for month in MONTHS:
            if month < date(joined.year, joined.month, 1):
                continue
            if terminated and month > date(terminated.year, terminated.month, 1):
                break
            level = min(1.0, max(0.05, level + rng.uniform(-0.15, 0.15)))
            for day in rng.sample(range(1, 28), k=max(1, int(level * 15))):
                for _ in range(rng.randint(1, 3)):
                    n_evt += 1
                    raw["raw_prm.portal_events"].append(
                        _row(
                            "raw_prm.portal_events",
                            event_id=f"E{n_evt}",
                            partner_id=pid,
                            contact_id=f"{pid}-C{rng.randint(1, 1 + int(level * 5))}",
                            event_type="login",
                            occurred_at=_ts(month.replace(day=day), rng.randint(0, 23)),
                        )
                    )
            for _ in range(rng.randint(0, 1 + int(level * 3))):
                n_opp += 1
                won = rng.random() < 0.6
                created = month.replace(day=rng.randint(1, 10))
                close = month.replace(day=rng.randint(15, 27)) if won else date(2026, 6, 30)
                raw["raw_crm.opportunities"].append(
                    _row(
                        "raw_crm.opportunities",
                        opportunity_id=f"O{n_opp}",
                        account_id="A1",
                        stage="closed_won" if won else "proposal",
                        amount=float(rng.randint(10, 200) * 100),
                        currency="USD",
                        created_at=_ts(created),
                        close_date=close,
                        is_closed=won,
                        is_won=won,
                        updated_at=_ts(close if won else created),
                        is_deleted=False,
                    )
                )
                raw["raw_crm.opportunity_partners"].append(
                    _row(
                        "raw_crm.opportunity_partners",
                        opportunity_id=f"O{n_opp}",
                        partner_id=pid,
                        role="sourced",
                        created_at=_ts(created),
                    )
                )
            for _ in range(rng.randint(0, 1 + int(level * 3))):
                n_reg += 1
                submitted = month.replace(day=rng.randint(1, 20))
                status = "approved" if rng.random() < 0.3 + 0.6 * level else "rejected"
                raw["raw_prm.deal_registrations"].append(
                    _row(
                        "raw_prm.deal_registrations",
                        registration_id=f"R{n_reg}",
                        partner_id=pid,
                        account_id="A1",
                        submitted_at=_ts(submitted),
                        decided_at=_ts(submitted + timedelta(days=3)),
                        status=status,
                        estimated_amount=5000.0,
                        currency="USD",
                        updated_at=_ts(submitted + timedelta(days=3)),
                    )
                )
            if rng.random() < 0.35:
                n_case += 1
                opened = month.replace(day=rng.randint(1, 20))
                closed = _ts(opened, 8) + timedelta(hours=rng.randint(2, 200))
                raw["raw_prm.support_cases"].append(
                    _row(
                        "raw_prm.support_cases",
                        case_id=f"S{n_case}",
                        partner_id=pid,
                        opened_at=_ts(opened, 8),
                        closed_at=closed if rng.random() < 0.8 else None,
                        priority=rng.choice(["low", "medium", "high", "critical"]),
                        category="technical",
                        status="closed",
                        updated_at=closed,
                    )
                )
    return {table: rows for table, rows in raw.items() if rows}


def _vars(min_date: str | None = None, max_date: str | None = None) -> str:
    window = f", min_date: '{min_date}', max_date: '{max_date}'" if min_date else ""
    return f"{{as_of_date: '{AS_OF}'{window}}}"


def run_health(
    runner: DbtRunner, window: tuple[str, str] | None = None, full: bool = False
) -> None:
    args = ["run", "--select", "partner_health_score", "--vars", _vars(*(window or ()))]
    runner(*args, *(["--full-refresh"] if full else []))


def snapshot(runner: DbtRunner, since: str = "1900-01-01") -> list[tuple]:
    return runner.query(
        f"select * from {HEALTH} where month_start >= ? order by partner_id, month_start", [since]
    )


def execute(runner: DbtRunner, sql: str) -> None:
    con = duckdb.connect(str(runner.warehouse))
    try:
        con.execute(sql)
    finally:
        con.close()


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> DbtRunner:
    runner = make_runner(Path(tmp_path_factory.mktemp("health_warehouse")), build_raw())
    runner("seed")
    runner(
        "build",
        "--select",
        *BUILD_SELECT,
        "--exclude",
        "test_type:unit",
        "--indirect-selection",
        "cautious",  # tests of a selected model that also read an unselected one are skipped
        "--vars",
        _vars(),
    )
    return runner


def test_full_build_scores_every_partner_month(health: DbtRunner) -> None:
    months = health.query("select count(*) from core.fct_partner_month")[0][0]
    rows = health.query(
        f"select count(*), count(health_score), count(distinct computed_band) from {HEALTH}"
    )[0]
    assert rows[0] == months > 100
    assert rows[1] > 100 and rows[2] >= 3
    # Before the sources' history (Nov-Dec 2024) nothing is observed: no score, insufficient_data.
    pre = health.query(
        f"select count(*), count(health_score) from {HEALTH} where month_start < '2025-01-01'"
    )[0]
    assert pre[0] > 0 and pre[1] == 0


def test_three_windows_equal_a_full_build(health: DbtRunner) -> None:
    run_health(health, full=True)
    full = snapshot(health)
    windows = [
        ("2025-04-01", "2025-05-01"),
        ("2025-05-01", "2025-06-01"),
        ("2025-06-01", "2025-07-01"),
    ]

    # Backfill on top of the earlier months (their rows feed the lags of April..June).
    execute(health, f"delete from {HEALTH} where month_start >= '2025-04-01'")
    for window in windows:
        run_health(health, window)
    assert snapshot(health) == full

    # From an empty table: the months before min_date are recomputed for the lags.
    execute(health, f"delete from {HEALTH}")
    for window in windows:
        run_health(health, window)
    assert snapshot(health) == [row for row in full if row[1] >= date(2025, 4, 1)]


def test_rerunning_a_window_changes_nothing(health: DbtRunner) -> None:
    run_health(health, full=True)
    full = snapshot(health)
    run_health(health, ("2025-05-01", "2025-06-01"))
    run_health(health, ("2025-05-01", "2025-06-01"))
    assert snapshot(health) == full


def test_backtest_and_methodology(health: DbtRunner) -> None:
    health(
        "run",
        "--select",
        "health_score_backtest",
        "health_score_backtest_summary",
        "--vars",
        _vars(),
    )
    summary = health.query(
        "select months_covered, partner_months, first_month_start, last_month_start "
        "from marts.health_score_backtest_summary"
    )
    # Complete months: scored (from January 2025) and month_start + 7 months <= 2025-09-15.
    assert summary == [(2, summary[0][1], date(2025, 1, 1), date(2025, 2, 1))]
    bands = health.query(
        "select month_start, sum(partners) filter (where band <> 'all'), "
        "max(partners) filter (where band = 'all') from marts.health_score_backtest group by 1"
    )
    assert all(by_band == total for _, by_band, total in bands)
    components = health.query(
        "select count(*), sum(weight) from marts.score_methodology where item_type = 'component'"
    )
    assert components[0][0] == 7 and abs(components[0][1] - 1.0) < 1e-9


def test_a_two_day_open_month_leaves_the_closed_month_alone(health: DbtRunner) -> None:
    """Issue 9 item 2: August is closed on 2025-09-01 (grace 0). Two days into September its
    rows are exactly what they were on the 1st; September is provisional: scored to date, but no
    band, no deltas, no trend, no early warning and no change explanation."""

    def build(as_of: str) -> None:
        health("run", "--select", "+partner_health_score", "--full-refresh",
               "--vars", f"{{as_of_date: '{as_of}'}}")

    build("2025-09-01")
    august_on_the_1st = snapshot(health, "2025-08-01")
    august_on_the_1st = [r for r in august_on_the_1st if r[1] == date(2025, 8, 1)]
    build("2025-09-02")
    rows = snapshot(health, "2025-08-01")
    assert [r for r in rows if r[1] == date(2025, 8, 1)] == august_on_the_1st
    (september,) = health.query(
        f"select count(*), bool_and(is_provisional), count(health_score), count(band), "
        f"count(computed_band), count(delta_1m), count(trend), count(explanation), "
        f"count(*) filter (where early_warning) "
        f"from {HEALTH} where month_start = '2025-09-01'"
    )
    assert september[0] > 10 and september[1] is True and september[2] > 10
    assert september[3:] == (0, 0, 0, 0, 0, 0)
    assert health.query(
        f"select bool_or(is_provisional), count(band) > 0 from {HEALTH} "
        "where month_start = '2025-08-01'"
    ) == [(False, True)]
    build(AS_OF)  # back to the module's as_of for the tests that follow


def test_dbt_unit_tests_of_the_health_score(health: DbtRunner) -> None:
    proc = health("test", "--select", "partner_health_score,test_type:unit", "--vars", _vars())
    assert "PASS=3" in proc.stdout and "ERROR=0" in proc.stdout


def test_changed_input_rewrites_later_months(health: DbtRunner) -> None:
    """Runs last: it changes the raw data."""
    run_health(health, full=True)
    before = {(r[0], r[1]): r for r in snapshot(health)}
    month = "2025-05-01"
    # P03's largest deal won in May becomes 20 times larger (a later version of the opportunity).
    opp = health.query(
        "select o.opportunity_id, o.amount, o.created_at, o.close_date "
        "from raw_crm.opportunities as o "
        "join raw_crm.opportunity_partners as p using (opportunity_id) "
        "where p.partner_id = 'P03' and o.is_won "
        "and o.close_date >= ? and o.close_date < '2025-06-01' "
        "order by o.amount desc limit 1",
        [month],
    )
    assert opp, "fixture: P03 needs a won deal in May"
    opp_id, amount, created_at, close_date = opp[0]
    con = duckdb.connect(str(health.warehouse))
    try:
        insert_raw(
            con,
            {
                "raw_crm.opportunities": [
                    _row(
                        "raw_crm.opportunities",
                        opportunity_id=opp_id,
                        account_id="A1",
                        stage="closed_won",
                        amount=amount * 20,
                        currency="USD",
                        created_at=created_at,
                        close_date=close_date,
                        is_closed=True,
                        is_won=True,
                        updated_at=datetime(2025, 9, 1),
                        is_deleted=False,
                    )
                ]
            },
            load_id="load-2",
            loaded_at=datetime(2025, 9, 14),
        )
    finally:
        con.close()

    window = (month, "2025-06-01")
    health("run", "--select", "fct_opportunity_partner_credit", "--vars", _vars())
    health("run", "--select", "fct_partner_month", "--vars", _vars(*window))
    run_health(health, window)
    rerun = snapshot(health)
    health(
        "test", "--select", "partner_health_score", "--exclude", "test_type:unit",
        "--indirect-selection", "cautious", "--vars", _vars(),
    )

    run_health(health, full=True)
    assert rerun == snapshot(health)

    # The change reached the later months: P03's May score and the lags built on it moved.
    after = {(r[0], r[1]): r for r in rerun}
    cols = [c[0] for c in health.query(f"select column_name from (describe {HEALTH})")]
    col = {name: i for i, name in enumerate(cols)}

    def value(rows: dict, m: date, name: str) -> object:
        return rows[("P03", m)][col[name]]

    may, jun, jul, aug = date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1)
    assert value(after, may, "revenue_score") > value(before, may, "revenue_score")
    assert value(after, jun, "health_score_prev_month") == value(after, may, "health_score")
    assert value(after, jun, "health_score_prev_month") != value(
        before, jun, "health_score_prev_month"
    )
    assert value(after, aug, "health_score_3m_ago") == value(after, may, "health_score")
    assert value(after, aug, "health_score_3m_ago") != value(before, aug, "health_score_3m_ago")
    # June and July's trailing 3-month revenue includes May: their scores were rewritten too.
    assert value(after, jul, "revenue_score") != value(before, jul, "revenue_score")
