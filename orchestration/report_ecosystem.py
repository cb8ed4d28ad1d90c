"""Ecosystem Assessment figures for the demo summary (issue 12).

Reads the published serving file through a read-only DuckDB connection whose published marts
are unqualified tables (``ecosystem_coverage``, ``ecosystem_concentration``).
"""

from __future__ import annotations

import duckdb


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def print_ecosystem_summary(con: duckdb.DuckDBPyConnection) -> None:
    """Print the top 3 coverage gaps and the overall revenue concentration."""
    gaps = con.execute(
        """
        select region, partner_type, active_partners, target_partners, gap, unmet_demand_usd,
            month_start
        from ecosystem_coverage
        where is_gap
        order by recruitment_priority
        limit 3
        """
    ).fetchall()
    if gaps:
        print(f"\nCoverage gaps, end of {gaps[0][6]:%B %Y} (recruit first):")
        for region, partner_type, active, target, gap, unmet, _ in gaps:
            print(f"  {region:<6}{partner_type:<19}{active:>3} of {target:<3} active "
                  f"(gap {gap}), unmet demand {_money(unmet)}")
    else:
        print("\nNo coverage gaps against the coverage targets.")
    overall = con.execute(
        """
        select partners, revenue_usd, hhi, top10pct_share, max_partner_share,
            is_dependency_risk
        from ecosystem_concentration
        where scope = 'overall'
        """
    ).fetchone()
    if overall is None:
        print("No partner revenue in the trailing 12 closed months.")
        return
    partners, revenue, hhi, top_share, max_share, risk = overall
    hhi_text = "n/a" if hhi is None else f"{hhi:,.0f}"
    print(f"Concentration (trailing 12 closed months, {partners} partners, {_money(revenue)}): "
          f"HHI {hhi_text}, top 10 % share {_share(top_share)}, largest partner "
          f"{_share(max_share)}, dependency risk: {'yes' if risk else 'no'}")
