"""Partner Pulse summary for the demo: the latest closed wave's overall NPS and its top driver.

Reads the published serving file (tables unqualified: partner_pulse_results,
partner_pulse_drivers) through a read-only DuckDB connection; the caller opens and closes it.
"Latest closed wave" is the relationship or pulse wave (the program surveys, which the health
score's satisfaction component also reads) that closed last before the as_of day; transactional
(touchpoint) waves are used only when no such wave exists.
"""

from __future__ import annotations

from typing import Any

import duckdb

_LATEST_WAVE = """
    select
        wave_id, survey_kind, is_anonymous, wave_closed_at, invitations, respondents,
        response_rate, value, value_margin_of_error, previous_wave_id, change, margin_of_error,
        is_significant_change, is_suppressed
    from partner_pulse_results
    where segment_type = 'overall' and metric = 'nps' and is_wave_closed
    order by
        case when survey_kind in ('relationship', 'pulse') then 0 else 1 end,
        wave_closed_at desc,
        wave_id desc
    limit 1
"""

_SEGMENTS = """
    select
        count(*) filter (where value is not null),
        min(value),
        max(value),
        count(*) filter (where is_suppressed)
    from partner_pulse_results
    where wave_id = ? and metric = 'nps' and segment_type <> 'overall'
"""

_TOP_DRIVER = """
    select pillar, coefficient, ci_low, ci_high, respondents
    from partner_pulse_drivers
    where wave_id = ? and rank = 1 and not is_suppressed
    order by pillar
    limit 1
"""


def _signed(value: float) -> str:
    return f"{value:+.1f}"


def _change_line(row: dict[str, Any]) -> str:
    if row["previous_wave_id"] is None:
        return "first wave of its kind: no change to compare"
    if row["change"] is None:
        return f"no change vs {row['previous_wave_id']} (a cell was suppressed)"
    margin = row["margin_of_error"]
    verdict = (
        "significant" if row["is_significant_change"]
        else "within the margin of error"
    )
    margin_text = f" ± {margin:.1f}" if margin is not None else ""
    return f"change vs {row['previous_wave_id']}: {_signed(row['change'])}{margin_text} ({verdict})"


def print_pulse_summary(con: duckdb.DuckDBPyConnection) -> None:
    """Print the latest closed wave's overall NPS (with its 95 % margin) and its top driver."""
    try:
        found = con.execute(_LATEST_WAVE).fetchone()
    except duckdb.CatalogException:
        print("\nPartner Pulse: partner_pulse_results is not published.")
        return
    if found is None:
        print("\nPartner Pulse: no survey wave closed yet.")
        return
    columns = [d[0] for d in con.description]
    row = dict(zip(columns, found, strict=True))
    closed = f"{row['wave_closed_at']:%Y-%m-%d}" if row["wave_closed_at"] else "?"
    anonymity = "anonymous" if row["is_anonymous"] else "identified"
    print(
        f"\nPartner Pulse, latest closed wave {row['wave_id']} "
        f"({row['survey_kind']}, {anonymity}, closed {closed}):"
    )
    rate = f", {row['response_rate']:.0%}" if row["response_rate"] is not None else ""
    counts = f"{row['respondents']:,} respondents of {row['invitations']:,} invited{rate}"
    if row["value"] is None:
        print(f"  NPS suppressed (fewer respondents than k); {counts}")
    else:
        margin = row["value_margin_of_error"]
        margin_text = f" ± {margin:.1f}" if margin is not None else ""
        print(f"  NPS {_signed(row['value'])}{margin_text} (95 %); {counts}")
        print(f"  {_change_line(row)}")

    published, low, high, suppressed = con.execute(_SEGMENTS, [row["wave_id"]]).fetchone()
    if published:
        print(
            f"  segments: NPS {_signed(low)} to {_signed(high)} over {published} published cells, "
            f"{suppressed} suppressed (k-anonymity)"
        )

    try:
        driver = con.execute(_TOP_DRIVER, [row["wave_id"]]).fetchone()
    except duckdb.CatalogException:
        driver = None
    if driver is None:
        print("  top driver: none published for this wave")
        return
    pillar, coefficient, ci_low, ci_high, respondents = driver
    interval = (
        f", 95 % CI {ci_low:.2f} to {ci_high:.2f}" if ci_low is not None and ci_high is not None
        else ""
    )
    print(
        f"  top driver: {pillar} (correlation with NPS r = {coefficient:.2f}{interval}, "
        f"n = {respondents:,})"
    )
