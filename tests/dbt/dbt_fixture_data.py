"""Shared pieces of the dbt project tests: the hand-made raw dataset and a dbt runner.

The dataset (as_of_date 2024-03-15) is small enough that every expected value in
test_dbt_project.py is computed by hand; the comments there show the arithmetic.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingestion.raw_tables import ensure_warehouse_schema

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
AS_OF = "2024-03-15"
LOADED_AT = datetime(2024, 3, 15, 6, 0, 0)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --------------------------------------------------------------------------- raw rows
# Columns in contract order; lineage columns (_load_id, _loaded_at, _source) are appended.
RAW: dict[str, list[tuple]] = {
    "raw_crm.accounts": [
        (
            "A1",
            "Acme",
            "software",
            "NA",
            "US",
            "51-200",
            ts("2023-01-01 00:00:00"),
            ts("2023-01-01 00:00:00"),
            False,
        ),
        (
            "A2",
            "Gone Corp",
            "retail",
            "EMEA",
            "DE",
            "1-50",
            ts("2023-01-01 00:00:00"),
            ts("2023-06-01 00:00:00"),
            True,
        ),
    ],
    "raw_crm.opportunities": [
        # O1 has an older version (amount 800) that staging must drop.
        (
            "O1",
            "A1",
            "proposal",
            800.0,
            "USD",
            ts("2024-01-15 10:00:00"),
            d("2024-02-10"),
            False,
            False,
            ts("2024-01-16 00:00:00"),
            False,
        ),
        (
            "O1",
            "A1",
            "closed_won",
            1000.0,
            "USD",
            ts("2024-01-15 10:00:00"),
            d("2024-02-10"),
            True,
            True,
            ts("2024-02-10 00:00:00"),
            False,
        ),
        (
            "O2",
            "A1",
            "closed_won",
            1000.0,
            "EUR",
            ts("2024-01-20 00:00:00"),
            d("2024-02-25"),
            True,
            True,
            ts("2024-02-25 00:00:00"),
            False,
        ),
        (
            "O3",
            "A1",
            "closed_won",
            100.0,
            "USD",
            ts("2024-02-10 00:00:00"),
            d("2024-03-01"),
            True,
            True,
            ts("2024-03-01 00:00:00"),
            False,
        ),
        (
            "O4",
            "A1",
            "proposal",
            500.0,
            "USD",
            ts("2024-01-31 23:59:59"),
            d("2024-06-30"),
            False,
            False,
            ts("2024-01-31 23:59:59"),
            False,
        ),
        (
            "O5",
            "A1",
            "closed_lost",
            300.0,
            "USD",
            ts("2024-02-01 00:00:00"),
            d("2024-03-01"),
            True,
            False,
            ts("2024-03-01 00:00:00"),
            False,
        ),
        (
            "O6",
            "A1",
            "closed_won",
            999.0,
            "USD",
            ts("2024-01-02 00:00:00"),
            d("2024-02-05"),
            True,
            True,
            ts("2024-02-06 00:00:00"),
            True,
        ),
        (
            "O7",
            "A1",
            "closed_won",
            50.0,
            "USD",
            ts("2024-01-05 00:00:00"),
            d("2024-02-07"),
            True,
            True,
            ts("2024-02-07 00:00:00"),
            False,
        ),
        (
            "O8",
            "A1",
            "closed_won",
            100.0,
            "USD",
            ts("2024-03-02 00:00:00"),
            d("2024-03-05"),
            True,
            True,
            ts("2024-03-05 00:00:00"),
            False,
        ),
        # O9: open, EUR, created 2024-02-15: latest rate is 2024-01-31 (15 days old) -> stale.
        (
            "O9",
            "A1",
            "proposal",
            200.0,
            "EUR",
            ts("2024-02-15 00:00:00"),
            d("2024-05-31"),
            False,
            False,
            ts("2024-02-15 00:00:00"),
            False,
        ),
    ],
    "raw_crm.opportunity_partners": [
        ("O1", "P1", "sourced", ts("2024-01-15 10:00:00")),
        ("O1", "P2", "influenced", ts("2024-01-15 10:00:00")),
        ("O2", "P2", "influenced", ts("2024-01-20 00:00:00")),
        ("O2", "P1", "fulfillment", ts("2024-01-20 00:00:00")),
        ("O3", "P1", "sourced", ts("2024-02-10 00:00:00")),
        ("O3", "P1", "influenced", ts("2024-02-10 00:00:00")),  # primary role stays sourced
        ("O3", "P2", "influenced", ts("2024-02-10 00:00:00")),
        ("O3", "P3", "co_sell", ts("2024-02-10 00:00:00")),
        ("O4", "P1", "sourced", ts("2024-01-31 23:59:59")),
        ("O5", "P1", "sourced", ts("2024-02-01 00:00:00")),
        ("O6", "P1", "sourced", ts("2024-01-02 00:00:00")),
        ("O7", "P1", "fulfillment", ts("2024-01-05 00:00:00")),
        ("O8", "P1", "sourced", ts("2024-03-02 00:00:00")),
        ("O8", "P2", "influenced", ts("2024-03-02 00:00:00")),
        ("O8", "P3", "influenced", ts("2024-03-02 00:00:00")),
        ("O8", "P5", "co_sell", ts("2024-03-02 00:00:00")),  # P5 unknown to PRM: orphan
        ("O9", "P3", "sourced", ts("2024-02-15 00:00:00")),
    ],
    "raw_crm.fx_rates": [
        ("EUR", d("2024-01-01"), 1.10),
        ("EUR", d("2024-01-31"), 1.08),
        ("EUR", d("2024-02-20"), 1.12),
    ],
    "raw_prm.partners": [
        # P1 has an older version (tier silver) that staging must drop.
        (
            "P1",
            "Alpha",
            "reseller",
            "silver",
            "NA",
            "US",
            "cloud",
            "active",
            ts("2023-12-01 00:00:00"),
            ts("2024-01-10 00:00:00"),
            None,
            None,
            None,
            ts("2024-01-10 00:00:00"),
        ),
        (
            "P1",
            "Alpha",
            "reseller",
            "gold",
            "NA",
            "US",
            "cloud;security",
            "active",
            ts("2023-12-01 00:00:00"),
            ts("2024-01-10 00:00:00"),
            ts("2024-01-20 00:00:00"),
            None,
            None,
            ts("2024-02-01 00:00:00"),
        ),
        (
            "P2",
            "Beta",
            "system_integrator",
            "silver",
            "EMEA",
            "DE",
            None,
            "terminated",
            ts("2023-11-01 00:00:00"),
            ts("2023-12-05 00:00:00"),
            None,
            ts("2024-02-20 00:00:00"),
            None,
            ts("2024-02-20 00:00:00"),
        ),
        (
            "P3",
            "Gamma",
            "referral",
            "registered",
            "APAC",
            "AU",
            None,
            "onboarding",
            ts("2024-01-25 00:00:00"),
            None,
            None,
            None,
            "P1",
            ts("2024-01-25 00:00:00"),
        ),
        (
            "P4",
            "Delta",
            "technology",
            "platinum",
            "LATAM",
            "BR",
            None,
            "applied",
            ts("2024-03-01 00:00:00"),
            ts("2024-04-01 00:00:00"),
            None,
            None,
            None,
            ts("2024-03-01 00:00:00"),
        ),
    ],
    "raw_prm.partner_contacts": [
        ("C1", "P1", "sales", " Alice@Example.com ", True, ts("2024-01-10 00:00:00")),
        ("C3", "P3", "technical", "carol@example.org", True, ts("2024-01-25 00:00:00")),
        ("C4", "P3", "sales", "dave@example.org", True, ts("2024-01-25 00:00:00")),
    ],
    "raw_prm.deal_registrations": [
        (
            "R1",
            "P1",
            "A1",
            "O1",
            ts("2024-01-10 09:00:00"),
            ts("2024-01-11 09:00:00"),
            "approved",
            900.0,
            "USD",
            None,
            ts("2024-01-11 09:00:00"),
        ),
        (
            "R2",
            "P1",
            "A1",
            "O4",
            ts("2024-01-20 00:00:00"),
            ts("2024-02-01 00:00:00"),
            "approved",
            500.0,
            "USD",
            None,
            ts("2024-02-01 00:00:00"),
        ),
        (
            "R3",
            "P1",
            "A1",
            None,
            ts("2024-02-01 00:00:00"),
            ts("2024-02-02 12:00:00"),
            "rejected",
            100.0,
            "EUR",
            "duplicate",
            ts("2024-02-02 12:00:00"),
        ),
        (
            "R4",
            "P1",
            "A1",
            None,
            ts("2024-02-05 00:00:00"),
            ts("2024-02-05 10:00:00"),
            "approved",
            200.0,
            "USD",
            None,
            ts("2024-02-05 10:00:00"),
        ),
    ],
    "raw_prm.portal_events": [
        ("E1", "P3", "C3", "login", ts("2024-02-01 00:00:00")),
        ("E2", "P3", "C3", "content_view", ts("2024-02-29 23:59:59")),
        ("E3", "P3", "C4", "login", ts("2024-03-01 00:00:00")),
        ("E4", "P3", "C4", "login", ts("2024-03-20 00:00:00")),  # after as_of: ignored
    ],
    "raw_prm.mdf_requests": [
        (
            "M1",
            "P1",
            ts("2024-01-31 23:59:59"),
            ts("2024-01-31 23:59:59"),
            ts("2024-02-01 00:00:00"),
            100.0,
            "EUR",
            "paid",
            "webinar",
            ts("2024-02-01 00:00:00"),
        ),
    ],
    "raw_prm.partner_targets": [
        ("P1", d("2024-01-01"), "revenue", 3000.0),
    ],
    "raw_prm.support_cases": [
        (
            "S1",
            "P1",
            ts("2024-01-05 00:00:00"),
            ts("2024-01-06 00:00:00"),
            "low",
            "portal",
            "closed",
            ts("2024-01-06 00:00:00"),
        ),
        (
            "S2",
            "P1",
            ts("2024-01-20 00:00:00"),
            ts("2024-02-01 00:00:00"),
            "high",
            "technical",
            "closed",
            ts("2024-02-01 00:00:00"),
        ),
        (
            "S3",
            "P1",
            ts("2024-02-10 00:00:00"),
            None,
            "critical",
            "licensing",
            "open",
            ts("2024-02-10 00:00:00"),
        ),
    ],
    "raw_lms.courses": [
        ("K1", "Sell 101", "sell", True, 365),
    ],
    "raw_lms.enrollments": [
        (
            "N1",
            "K1",
            "C1",
            "P1",
            ts("2024-01-10 00:00:00"),
            ts("2024-02-01 00:00:00"),
            90.0,
            "completed",
            ts("2024-02-01 00:00:00"),
        ),
    ],
    "raw_lms.certifications": [
        ("CA", "K1", "C1", "P1", ts("2024-01-15 00:00:00"), ts("2024-03-01 00:00:00")),
        ("CB", "K1", "C1", "P1", ts("2024-02-29 23:00:00"), None),
        ("CC", "K1", "C1", "P1", ts("2024-03-01 00:00:00"), None),
        ("CD", "K1", "C1", "P1", ts("2024-01-12 00:00:00"), ts("2024-02-01 00:00:00")),
        ("CE", "K1", "C1", "P1", ts("2024-01-31 00:00:00"), ts("2024-02-15 00:00:00")),
    ],
    "raw_survey.surveys": [
        ("SV1", "W1", "pulse", False, ts("2024-02-01 00:00:00"), ts("2024-02-28 00:00:00")),
    ],
    "raw_survey.questions": [
        ("Q1", "SV1", "How likely are you to recommend us?", "nps", None, None),
        ("Q2", "SV1", "Anything else?", "text", None, None),
    ],
    "raw_survey.invitations": [
        ("I1", "W1", "P1", "C1", ts("2024-02-01 00:00:00")),
    ],
    "raw_survey.responses": [
        ("RS1", "I1", "W1", "P1", "C1", ts("2024-02-15 00:00:00")),
    ],
    "raw_survey.answers": [
        ("RS1", "Q1", 9.0, None),
        ("RS1", "Q2", None, "Great partner portal"),
    ],
}


def insert_raw(
    con: duckdb.DuckDBPyConnection,
    rows: dict[str, list[tuple]],
    load_id: str,
    loaded_at: datetime = LOADED_AT,
) -> None:
    for table, values in rows.items():
        if not values:
            continue
        width = len(values[0]) + 3
        placeholders = ", ".join(["?"] * width)
        con.executemany(
            f"insert into {table} values ({placeholders})",
            [(*v, load_id, loaded_at, f"test://{table}") for v in values],
        )


@dataclass
class DbtRunner:
    warehouse: Path
    env: dict[str, str]

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [DBT, *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
        proc = subprocess.run(
            cmd, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=300
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n"
                f"{proc.stderr[-2000:]}"
            )
        return proc

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def make_runner(tmp: Path, rows: dict[str, list[tuple]]) -> DbtRunner:
    warehouse = tmp / "build.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        ensure_warehouse_schema(con)
        insert_raw(con, rows, load_id="load-1")
    finally:
        con.close()
    env = {
        **os.environ,
        "PARTNER_PULSE_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    return DbtRunner(warehouse=warehouse, env=env)
