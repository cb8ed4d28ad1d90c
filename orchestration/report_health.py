"""The health part of the demo summary, from the published serving file.

Every figure may be missing (a short history has no backtest AUC, a first month has no closed
month yet): each prints "n/a" or a sentence instead of failing after a successful publish.
"""

from __future__ import annotations

import duckdb


def figure(value: float | None, pattern: str) -> str:
    """A figure of the summary; "n/a" when the history is too short to compute it."""
    return "n/a" if value is None else pattern.format(value)


def print_health_summary(con: duckdb.DuckDBPyConnection) -> None:
    """Bands, the five most at-risk partners, alerts of the last closed month, the backtest."""
    # "Latest" is the last closed month (closed-month rule), never the open month.
    month = con.execute("select max(month_start) from partner_health_latest").fetchone()[0]
    if month is None:
        print("\nNo closed month scored yet.")
        return
    bands = con.execute(
        "select band, count(*) from partner_health_latest group by band order by 2 desc"
    ).fetchall()
    print(f"\nHealth bands, {month:%B %Y} (last closed month): "
          + ", ".join(f"{band} {n}" for band, n in bands))
    at_risk = con.execute(
        "select partner_id, health_score, level_explanation, explanation "
        "from partner_health_latest where band = 'at_risk' "
        "order by health_score asc, partner_id limit 5").fetchall()
    print("Five most at-risk partners (why the level; why it moved):")
    for partner, score, level, change in at_risk:
        print(f"  {partner}  {score:5.1f}  {level or ''}")
        if change:
            print(f"  {'':10}{'':7}{change}")
    alerts = con.execute(
        "select rule, severity, count(*) from partner_alerts where month_start = ? "
        "group by rule, severity order by 3 desc", [month]).fetchall()
    if alerts:
        print(f"Alerts, {month:%B %Y}: "
              + ", ".join(f"{r} ({sev}) {n}" for r, sev, n in alerts))
    summary = con.execute(
        "select auc, churn_rate_healthy, churn_rate_at_risk, months_covered "
        "from health_score_backtest_summary").fetchone()
    if summary:
        auc, healthy, at_risk_rate, months = summary
        print(f"Backtest over {months or 0} months: AUC {figure(auc, '{:.2f}')}; 6-month "
              f"churn healthy {figure(healthy, '{:.1%}')} vs at_risk "
              f"{figure(at_risk_rate, '{:.1%}')}")
