"""Unit tests of the synthetic source generator (tiny scale, a few seconds in total)."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from ingestion.contract import ANSWER_SCALES, DATE_FORMAT, TABLES, TIMESTAMP_FORMATS, Table
from ingestion.generate import MANIFEST, SCALES, RunConfig, Timeline, generate
from ingestion.generate import defects as dfx
from ingestion.generate.latent import build_population

END = date(2025, 6, 15)
NOW = datetime(END.year, END.month, END.day, tzinfo=UTC)


def _run(out: Path, seed: int = 7, rate: float = 0.05, scale: str = "tiny") -> dict:
    cfg = RunConfig(scale=SCALES[scale], seed=seed, end_date=END, out=out, defect_rate=rate)
    return generate(cfg).manifest


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    _run(out)
    return out


@pytest.fixture(scope="module")
def manifest(landing: Path) -> dict:
    return json.loads((landing / MANIFEST).read_text())


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _rows(path: Path, fmt: str) -> list[dict]:
    """Rows as written: CSV values as text (empty → None), JSON values as parsed."""
    if path.stat().st_size == 0:
        return []
    if fmt == "csv":
        with path.open(newline="") as fh:
            return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(fh)]
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if fmt == "json":
        return json.loads(path.read_text())
    return pq.read_table(path).to_pylist()


def _columns(path: Path, fmt: str) -> list[str]:
    if fmt == "parquet":
        return pq.read_schema(path).names
    if fmt == "csv":
        with path.open(newline="") as fh:
            return next(csv.reader(fh))
    rows = _rows(path, fmt)
    keys = {tuple(r.keys()) for r in rows}
    assert len(keys) <= 1, f"{path}: rows with different keys"
    return list(next(iter(keys))) if keys else []


def _table_files(landing: Path, manifest: dict) -> list[tuple[Table, dict, Path]]:
    by_key = {(t.source, t.name): t for t in TABLES}
    return [(by_key[(f["source"], f["table"])], f, landing / f["path"]) for f in manifest["files"]]


# ------------------------------------------------------------------ a contract validator


def _parse_ts(v: object) -> datetime | None:
    if isinstance(v, datetime):
        return v
    for fmt in TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(str(v), fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _bad(table: Table, row: dict, qtypes: dict[str, str]) -> bool:
    """Would the loader quarantine this row (the rules of DESIGN section 2)?"""
    for c in table.columns:
        v = row.get(c.name)
        if v is None:
            if c.required:
                return True
            continue
        if c.type == "str" and c.allowed is not None:
            norm = str(v).strip()
            norm = norm.lower() if c.case == "lower" else norm.upper()
            if norm not in c.allowed:
                return True
        elif c.type == "ts":
            t = _parse_ts(v)
            if t is None or (c.event_time and t > NOW + timedelta(days=1)):
                return True
        elif c.type == "date":
            try:
                datetime.strptime(str(v), DATE_FORMAT)
            except ValueError:
                return True
        elif c.type in ("float", "int"):
            try:
                x = float(v)
            except (TypeError, ValueError):
                return True
            if c.min_value is not None and (
                x < c.min_value or (c.min_exclusive and x == c.min_value)
            ):
                return True
            if c.max_value is not None and x > c.max_value:
                return True
        elif c.type == "bool" and v not in (True, False, "true", "false"):
            return True
    if table.name == "answers" and row.get("numeric_value") is not None:
        lo, hi = ANSWER_SCALES.get(qtypes.get(row["question_id"], ""), (0, 10))
        if not lo <= float(row["numeric_value"]) <= hi:
            return True
    return False


# ------------------------------------------------------------------ tests


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    _run(tmp_path / "a", seed=11)
    _run(tmp_path / "b", seed=11)
    _run(tmp_path / "c", seed=12)
    a, b, c = (_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert a.keys() == c.keys()
    assert a != c
    # the big tables differ, not just one file
    differ = [k for k in a if a[k] != c[k]]
    assert any("portal_events" in k for k in differ) and any("opportunities" in k for k in differ)


def test_every_table_in_both_drops_with_contract_columns(landing: Path, manifest: dict) -> None:
    drops = {d["date"] for d in manifest["drops"]}
    assert drops == {(END - timedelta(days=7)).isoformat(), END.isoformat()}
    seen = set()
    for table, f, path in _table_files(landing, manifest):
        assert path.exists(), path
        assert path.suffix == "." + table.file_format
        seen.add((table.key, f["drop_date"]))
        if path.stat().st_size == 0:
            # the injected empty file, or a JSON-lines file that has no rows in this drop
            target = (table.source, table.name, f["drop"]) == dfx.EMPTY_FILE_TARGET
            assert target or (table.file_format == "jsonl" and f["rows"] == 0), path
            continue
        cols = _columns(path, table.file_format)
        expected = list(table.column_names)
        src, name, drop, extra = dfx.EXTRA_COLUMN_TARGET
        if (table.source, table.name, f["drop"]) == (src, name, drop) and f["rows"]:
            expected.append(extra)
        if cols:  # JSON files with no rows carry no keys
            assert cols == expected, path
    assert len(seen) == len(TABLES) * 2
    on_disk = {p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file()}
    assert on_disk == {f["path"] for f in manifest["files"]} | {MANIFEST}


def test_portal_events_parquet_types(landing: Path, manifest: dict) -> None:
    f = next(x for x in manifest["files"] if x["table"] == "portal_events" and x["rows"])
    schema = pq.read_schema(landing / f["path"])
    assert str(schema.field("occurred_at").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("event_id").type) == "string"


def test_manifest_rows_and_quarantine_counts_are_exact(landing: Path, manifest: dict) -> None:
    qtypes: dict[str, str] = {}
    for _t, f, path in _table_files(landing, manifest):
        if f["table"] == "questions":
            qtypes.update({r["question_id"]: r["question_type"] for r in _rows(path, "json")})
    for table, f, path in _table_files(landing, manifest):
        rows = _rows(path, table.file_format)
        assert len(rows) == f["rows"], path
        bad = sum(_bad(table, r, qtypes) for r in rows)
        assert bad == f["expected_quarantine_rows"], (path, bad, f["defects"])
    per_table = {}
    for d in manifest["defects"]:
        assert d["destination"] == dfx.DESTINATION[d["defect"]]
        per_table[(d["source"], d["table"], d["defect"])] = d["count"]
    for t in TABLES:
        for cls in dfx.ALL_CLASSES:
            files = [
                f for f in manifest["files"] if (f["source"], f["table"]) == (t.source, t.name)
            ]
            k = sum(f["defects"].get(cls, 0) for f in files)
            assert per_table.get((t.source, t.name, cls), 0) == k


def test_every_defect_class_injected(manifest: dict) -> None:
    injected = {d["defect"] for d in manifest["defects"] if d["count"] > 0}
    assert injected == set(dfx.ALL_CLASSES)


def test_no_defects_at_rate_zero(tmp_path: Path) -> None:
    m = _run(tmp_path, rate=0.0)
    assert m["defects"] == []
    assert all(f["expected_quarantine_rows"] == 0 for f in m["files"])


def test_messy_categorical_normalizes_back() -> None:
    rng = np.random.default_rng(0)
    for value, case in [
        ("gold", "lower"),
        ("EMEA", "upper"),
        ("5000+", "lower"),
        ("closed_won", "lower"),
        ("USD", "upper"),
    ]:
        for _ in range(20):
            m = dfx.messy(value, case, rng)
            assert m != value
            norm = m.strip().lower() if case == "lower" else m.strip().upper()
            assert norm == value


def _latest(landing: Path, manifest: dict, table: str, key: str) -> pl.DataFrame:
    """Staging-like view: all drops, latest version per id, clean rows only."""
    frames = []
    t = next(x for x in TABLES if x.name == table)
    for tt, _f, path in _table_files(landing, manifest):
        if tt.name != table:
            continue
        rows = [r for r in _rows(path, t.file_format) if not _bad(t, r, {})]
        if rows:
            frames.append(
                pl.DataFrame(rows, schema={c: pl.Utf8 for c in t.column_names}, strict=False)
            )
    df = pl.concat(frames)
    if t.version_column:
        df = (
            df.with_columns(
                pl.col(t.version_column).map_elements(
                    lambda v: _parse_ts(v).isoformat(), return_dtype=pl.Utf8
                )
            )
            .sort(t.version_column)
            .unique(subset=[key], keep="last", maintain_order=True)
        )
    return df


def test_closed_won_iff_is_won(landing: Path, manifest: dict) -> None:
    opp = _latest(landing, manifest, "opportunities", "opportunity_id")
    stage = opp["stage"].str.strip_chars().str.to_lowercase()
    assert ((stage == "closed_won") == (opp["is_won"] == "true")).all()
    assert (stage.str.starts_with("closed") == (opp["is_closed"] == "true")).all()
    assert (stage == "closed_won").sum() > 0 and (stage == "closed_lost").sum() > 0


def test_at_most_one_sourcing_partner(landing: Path, manifest: dict) -> None:
    links = _latest(landing, manifest, "opportunity_partners", "opportunity_id_partner")
    role = links["role"].str.strip_chars().str.to_lowercase()
    sourced = links.filter(role == "sourced").group_by("opportunity_id").len()
    assert sourced.height > 0
    assert sourced["len"].max() == 1
    per_opp = links.group_by("opportunity_id").len()["len"]
    assert per_opp.max() <= 3


def test_no_portal_events_after_termination(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    m = _run(out, rate=0.0, seed=3, scale="demo")
    partners = _latest(out, m, "partners", "partner_id")
    term = partners.filter(pl.col("terminated_at").is_not_null()).select(
        "partner_id",
        pl.col("terminated_at").str.to_datetime(TIMESTAMP_FORMATS[0], time_zone="UTC"),
    )
    assert term.height > 5, "expected some terminated partners"
    events = pl.concat(
        [pl.read_parquet(p) for t, _f, p in _table_files(out, m) if t.name == "portal_events"]
    )
    assert events.height > 100_000
    assert events["event_id"].n_unique() == events.height
    joined = events.join(term, on="partner_id")
    late = joined.filter(pl.col("occurred_at") >= pl.col("terminated_at"))
    assert late.height == 0
    assert events["occurred_at"].max() < NOW
    # events of terminated partners exist before termination, so the check is not vacuous
    assert joined.height > 0


def test_lower_health_partners_terminate_more() -> None:
    tl = Timeline.build(END, 24)
    ratios = []
    for seed in range(3):
        pop = build_population(seed, 2_000, tl)
        months_to_end = np.arange(tl.months - 6)
        low_churn = high_churn = low_n = high_n = 0
        for m in months_to_end:
            lo, _ = tl.window(m + 1)
            _, hi6 = tl.window(m + 6)
            alive = (pop.onboarded < lo) & (pop.terminated >= lo)
            h = pop.health[alive, m]
            churn = pop.terminated[alive] < hi6
            q1, q3 = np.quantile(h, [0.25, 0.75])
            low_churn += churn[h <= q1].sum()
            low_n += (h <= q1).sum()
            high_churn += churn[h >= q3].sum()
            high_n += (h >= q3).sum()
        ratios.append((low_churn / low_n) / max(high_churn / high_n, 1e-9))
    assert min(ratios) > 3.0, ratios


def test_history_delta_versions(landing: Path, manifest: dict) -> None:
    """Some records appear in both drops, the delta version later than the history one."""
    hist = next(
        f for f in manifest["files"] if f["table"] == "opportunities" and f["drop"] == "history"
    )
    delta = next(
        f for f in manifest["files"] if f["table"] == "opportunities" and f["drop"] == "delta"
    )
    h = {r["opportunity_id"]: r for r in _rows(landing / hist["path"], "csv")}
    d = [r for r in _rows(landing / delta["path"], "csv") if r["opportunity_id"] in h]
    assert d, "expected updated opportunities in the delta drop"
    for r in d:
        old, new = _parse_ts(h[r["opportunity_id"]]["updated_at"]), _parse_ts(r["updated_at"])
        if old and new:
            assert new > old
