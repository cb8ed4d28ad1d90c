"""The demo's health summary survives missing figures (short history: no AUC, no closed month)."""


import duckdb

from orchestration.report_health import print_health_summary


def _serving(auc):
    con = duckdb.connect()
    con.execute(
        "create table partner_health_latest as select 'P1' as partner_id, "
        "date '2026-11-01' as month_start, 12.5 as health_score, 'at_risk' as band, "
        "'engagement 30 pts below the segment median' as level_explanation, "
        "null::varchar as explanation"
    )
    con.execute(
        "create table partner_alerts as select 'P1' as partner_id, "
        "date '2026-11-01' as month_start, 'band_to_at_risk' as rule, 'high' as severity"
    )
    con.execute(
        "create table health_score_backtest_summary as select ?::double as auc, "
        "null::double as churn_rate_healthy, null::double as churn_rate_at_risk, "
        "0 as months_covered", [auc],
    )
    return con


def test_null_auc_prints_n_a(capsys):
    print_health_summary(_serving(None))
    out = capsys.readouterr().out
    assert "AUC n/a" in out and "healthy n/a vs at_risk n/a" in out
    assert "Health bands, November 2026 (last closed month): at_risk 1" in out
    assert "Alerts, November 2026: band_to_at_risk (high) 1" in out


def test_no_closed_month_yet(capsys):
    con = _serving(0.8)
    con.execute("delete from partner_health_latest")
    print_health_summary(con)
    assert "No closed month scored yet." in capsys.readouterr().out
