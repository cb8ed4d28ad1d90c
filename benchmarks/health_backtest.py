"""Backtest of the Partner Health Score over several synthetic worlds (seeds x end dates).

    python -m benchmarks.health_backtest [--worlds 6] [--out benchmarks/results]

Each world is generated at demo scale, loaded and built with dbt into its own temporary
warehouse, with the shipped seeds. From every world it reads the published backtest
(health_score_backtest_summary, the AUC of the mart itself), the band shares of the last closed
month, and the backtest population (partner-months whose 6-month outcome is complete: the
partners active at the month end E and not terminated before it, churned = terminated in
M+1..M+6). On the pooled population it reports, per world and overall:

- AUC of the score (stay vs churn, ties 1/2) and the univariate AUC of each component, so a
  component that adds nothing shows up;
- churn rate per computed band and its ratio to the healthy band's;
- the share of each early-warning trigger and its lift (churn rate of flagged / not flagged).

`--suggest` also prints band thresholds derived from the pooled population by the rule the
methodology states (README "Reading the bands"): at_risk holds the partner-months whose
observed churn is at least `--at-risk-lift` (default 2) times the base rate, healthy those below
half the base rate. Performance lives in benchmarks/, never in tests; this is the evidence behind
the thresholds and weights in dbt_project/seeds/config.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ingestion.contract import TABLES
from ingestion.loader import load_table

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
COMPONENTS = (
    "revenue", "pipeline", "deal_registration", "engagement", "enablement", "satisfaction",
    "support",
)
REAL_BANDS = ("healthy", "watch", "at_risk")

#: The worlds of the published backtest: generator seed and end date.
WORLDS = (
    (7, "2026-12-02"),
    (11, "2026-09-15"),
    (23, "2026-06-30"),
    (42, "2027-02-11"),
    (99, "2026-08-05"),
    (5, "2027-05-20"),
)


@dataclass(frozen=True)
class World:
    seed: int
    end_date: str
    warehouse: Path


def _dbt() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def build_world(seed: int, end_date: str, root: Path) -> World:
    """Generate, load and dbt-build one demo world; returns where its warehouse is."""
    folder = root / f"seed{seed}-{end_date}"
    landing, warehouse = folder / "landing", folder / "build.duckdb"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "ingestion.generate", "--scale", "demo", "--seed", str(seed),
         "--end-date", end_date, "--out", str(landing)],
        check=True, capture_output=True, cwd=REPO,
    )
    loaded_at = dt.datetime.fromisoformat(end_date) + dt.timedelta(hours=6)
    con = duckdb.connect(str(warehouse))
    try:
        for table in TABLES:
            load_table(con, landing, table, loaded_at=loaded_at)
    finally:
        con.close()
    env = {
        **os.environ,
        "PARTNER_PULSE_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(folder / "target"),
        "DBT_LOG_PATH": str(folder / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    proc = subprocess.run(
        [_dbt(), "build", "--exclude", "test_type:unit", "--profiles-dir", str(DBT_PROJECT),
         "--project-dir", str(DBT_PROJECT), "--vars", json.dumps({"as_of_date": end_date})],
        env=env, capture_output=True, text=True, cwd=DBT_PROJECT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"dbt build failed for seed {seed} / {end_date}:\n{proc.stdout[-4000:]}")
    return World(seed, end_date, warehouse)


def population(world: World) -> pd.DataFrame:
    """The backtest population of a world with every component score and the churn outcome."""
    con = duckdb.connect(str(world.warehouse), read_only=True)
    try:
        frame = con.execute(
            """
            select h.*, coalesce(p.terminated_at < h.month_start + interval 7 month, false)
                as churned
            from marts.partner_health_score as h
            inner join core.dim_partner as p using (partner_id)
            where h.month_start + interval 7 month <= cast(? as date)
              and (p.terminated_at is null or p.terminated_at >= h.month_start + interval 1 month)
              and h.health_score is not null
            """,
            [world.end_date],
        ).df()
    finally:
        con.close()
    frame["world"] = f"{world.seed}/{world.end_date}"
    return frame


def published_summary(world: World) -> dict[str, object]:
    """The mart's own backtest summary and the band shares of the last closed month."""
    con = duckdb.connect(str(world.warehouse), read_only=True)
    try:
        auc, healthy, watch, at_risk, months = con.execute(
            "select auc, churn_rate_healthy, churn_rate_watch, churn_rate_at_risk, months_covered "
            "from marts.health_score_backtest_summary"
        ).fetchone()
        bands = dict(
            con.execute(
                "select computed_band, count(*) from marts.partner_health_score "
                "where month_start = (select max(month_start) from marts.partner_health_score "
                "where not is_provisional) group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    banded = sum(bands.get(b, 0) for b in REAL_BANDS)
    return {
        "mart_auc": auc,
        "mart_churn_rate": {"healthy": healthy, "watch": watch, "at_risk": at_risk},
        "months_covered": months,
        "last_closed_month_bands": bands,
        "at_risk_share_last_closed_month": bands.get("at_risk", 0) / banded if banded else None,
    }


def auc(score: np.ndarray, churned: np.ndarray) -> float | None:
    """P(score of a stayer > score of a churner), ties counting 1/2 (Mann-Whitney U)."""
    keep = ~np.isnan(score)
    score, churned = score[keep], churned[keep]
    stayers, churners = int((~churned).sum()), int(churned.sum())
    if stayers == 0 or churners == 0:
        return None
    ranks = pd.Series(score).rank(method="average").to_numpy()
    u = ranks[~churned].sum() - stayers * (stayers + 1) / 2
    return float(u / (stayers * churners))


def _rate(mask: pd.Series, churned: pd.Series) -> float | None:
    return float(churned[mask].mean()) if mask.any() else None


def evaluate(frame: pd.DataFrame) -> dict[str, object]:
    """AUC, component AUCs, band churn and early-warning lifts of one population."""
    churned = frame["churned"].to_numpy(dtype=bool)
    banded = frame["computed_band"].isin(REAL_BANDS)
    out: dict[str, object] = {
        "partner_months": int(len(frame)),
        "base_churn_rate": float(churned.mean()) if len(frame) else None,
        "auc": auc(frame.loc[banded, "health_score"].to_numpy(float), churned[banded.to_numpy()]),
        "component_auc": {
            c: auc(frame[f"{c}_score"].to_numpy(float), churned) for c in COMPONENTS
        },
        "component_coverage": {c: float(frame[f"{c}_score"].notna().mean()) for c in COMPONENTS},
    }
    rates = {b: _rate(frame["computed_band"] == b, frame["churned"]) for b in REAL_BANDS}
    out["churn_rate"] = rates
    out["band_share"] = {
        b: float((frame["computed_band"] == b).sum() / max(banded.sum(), 1)) for b in REAL_BANDS
    }
    healthy = rates["healthy"]
    out["at_risk_vs_healthy"] = (
        rates["at_risk"] / healthy if healthy and rates["at_risk"] is not None else None
    )
    flagged = frame["early_warning"].astype(bool)
    out["early_warning"] = {
        "share": float(flagged.mean()),
        "churn_flagged": _rate(flagged, frame["churned"]),
        "churn_not_flagged": _rate(~flagged, frame["churned"]),
    }
    ew = out["early_warning"]
    out["early_warning"]["lift"] = (
        ew["churn_flagged"] / ew["churn_not_flagged"]
        if ew["churn_flagged"] is not None and ew["churn_not_flagged"]
        else None
    )
    out["early_warning_triggers"] = trigger_lifts(frame)
    return out


_BAND_RANK = {"at_risk": 1, "watch": 2, "healthy": 3}


def trigger_lifts(frame: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Share and lift of each early-warning trigger on its own, whether or not the mart raises it
    (band worsening is computed here from the computed bands, since the seed switches it off)."""
    ordered = frame.sort_values(["world", "partner_id", "month_start"])
    previous = ordered.groupby(["world", "partner_id"])["computed_band"].shift(1)
    gap_free = (
        ordered.groupby(["world", "partner_id"])["month_start"].diff() <= pd.Timedelta(days=31)
    )
    rank, prev_rank = ordered["computed_band"].map(_BAND_RANK), previous.map(_BAND_RANK)
    reason = ordered["early_warning_reason"].fillna("")
    triggers = {
        "delta_3m": ordered["delta_3m"].astype(float) <= -10,
        "three_declines": reason.str.contains("three monthly declines"),
        "band_worsened": gap_free & (rank < prev_rank),
    }
    result = {}
    for name, mask in triggers.items():
        mask = mask.fillna(False).astype(bool)
        flagged, rest = _rate(mask, ordered["churned"]), _rate(~mask, ordered["churned"])
        result[name] = {
            "share": float(mask.mean()),
            "lift": flagged / rest if flagged is not None and rest else None,
        }
    return result


def suggest_thresholds(frame: pd.DataFrame, at_risk_lift: float) -> dict[str, float]:
    """Score cut-offs from the pooled population: at_risk below the highest score s whose
    partner-months below s churn at >= at_risk_lift x the base rate; healthy at or above the
    lowest score s whose partner-months at or above s churn below half the base rate."""
    banded = frame[frame["data_completeness"] >= 0.5]
    scores = banded["health_score"].astype(float).to_numpy()
    churned = banded["churned"].to_numpy(dtype=bool)
    base = churned.mean()
    order = np.argsort(scores)
    scores, churned = scores[order], churned[order]
    below_rate = np.cumsum(churned) / np.arange(1, len(churned) + 1)
    above_rate = (np.cumsum(churned[::-1]) / np.arange(1, len(churned) + 1))[::-1]
    candidates = np.unique(np.round(scores, 0))
    watch_min = max(
        (s for s in candidates if (scores < s).sum() >= 30
         and below_rate[(scores < s).sum() - 1] >= at_risk_lift * base),
        default=float("nan"),
    )
    healthy_min = min(
        (s for s in candidates if (scores >= s).sum() >= 30
         and above_rate[len(scores) - (scores >= s).sum()] < 0.5 * base),
        default=float("nan"),
    )
    return {"watch_min": float(watch_min), "healthy_min": float(healthy_min),
            "base_churn_rate": float(base)}


def _fmt(value: object, pattern: str = "{:.3f}") -> str:
    return "n/a" if value is None or (isinstance(value, float) and np.isnan(value)) else (
        pattern.format(value))


def report(worlds: list[dict[str, object]], pooled: dict[str, object]) -> str:
    lines = [
        "| world | mart AUC | AUC | at-risk share (last closed month) | churn healthy | "
        "churn watch | churn at_risk | at_risk / healthy | early-warning share | lift |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for w in [*worlds, {"world": "pooled", **pooled}]:
        ev = w.get("evaluation", w)
        ew = ev["early_warning"]
        lines.append(
            f"| {w['world']} | {_fmt(w.get('mart_auc'))} | {_fmt(ev['auc'])} | "
            f"{_fmt(w.get('at_risk_share_last_closed_month'), '{:.0%}')} | "
            f"{_fmt(ev['churn_rate']['healthy'], '{:.1%}')} | "
            f"{_fmt(ev['churn_rate']['watch'], '{:.1%}')} | "
            f"{_fmt(ev['churn_rate']['at_risk'], '{:.1%}')} | "
            f"{_fmt(ev['at_risk_vs_healthy'], '{:.1f}x')} | {_fmt(ew['share'], '{:.0%}')} | "
            f"{_fmt(ew['lift'], '{:.1f}x')} |"
        )
    lines.append("")
    lines.append("Early-warning triggers on their own (pooled): " + ", ".join(
        f"{name} share {_fmt(t['share'], '{:.1%}')} lift {_fmt(t['lift'], '{:.2f}x')}"
        for name, t in pooled["early_warning_triggers"].items()))
    comp = pooled["component_auc"]
    lines.append("")
    lines.append("Component AUC (pooled): " + ", ".join(
        f"{c} {_fmt(comp[c])} ({pooled['component_coverage'][c]:.0%})" for c in COMPONENTS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.health_backtest")
    parser.add_argument("--worlds", type=int, default=len(WORLDS), help="how many of WORLDS")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--suggest", action="store_true", help="print suggested thresholds")
    parser.add_argument("--at-risk-lift", type=float, default=2.0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the worlds here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --workdir: evaluate worlds already built there")
    args = parser.parse_args(argv)
    results, frames = [], []
    with tempfile.TemporaryDirectory(prefix="health-backtest-") as tmp:
        root = args.workdir or Path(tmp)
        for seed, end_date in WORLDS[: args.worlds]:
            started = time.perf_counter()
            existing = root / f"seed{seed}-{end_date}" / "build.duckdb"
            world = (World(seed, end_date, existing) if args.reuse and existing.exists()
                     else build_world(seed, end_date, root))
            frame = population(world)
            frames.append(frame)
            results.append({
                "world": f"{seed}/{end_date}",
                **published_summary(world),
                "evaluation": evaluate(frame),
                "build_seconds": round(time.perf_counter() - started, 1),
            })
            print(f"world seed {seed} end {end_date}: built and evaluated in "
                  f"{results[-1]['build_seconds']} s", file=sys.stderr)
    pooled_frame = pd.concat(frames, ignore_index=True)
    pooled = evaluate(pooled_frame)
    aucs = [r["mart_auc"] for r in results if r["mart_auc"] is not None]
    pooled["mart_auc_mean"] = float(np.mean(aucs)) if aucs else None
    pooled["mart_auc_min"] = float(np.min(aucs)) if aucs else None
    payload = {"worlds": results, "pooled": pooled,
               "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    if args.suggest:
        payload["suggested_thresholds"] = suggest_thresholds(pooled_frame, args.at_risk_lift)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"health-backtest-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps(payload, indent=1, default=str))
    print(report(results, pooled))
    print(f"\nmean / min mart AUC over {len(aucs)} worlds: {_fmt(pooled['mart_auc_mean'])} / "
          f"{_fmt(pooled['mart_auc_min'])}")
    if args.suggest:
        print("suggested thresholds:", payload["suggested_thresholds"])
    print(f"results: {path}")


if __name__ == "__main__":
    main()
