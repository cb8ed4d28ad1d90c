"""Helpers turning numpy arrays (epoch seconds, integer ids) into typed polars columns."""

from __future__ import annotations

import numpy as np
import polars as pl

from ingestion.generate.config import DAY, NEVER

TS = pl.Datetime("us", "UTC")


def ids(prefix: str, idx: np.ndarray, width: int, name: str = "id") -> pl.Series:
    """String ids like ``PRT-000042`` for integer indexes (vectorized)."""
    s = pl.Series(name, np.asarray(idx, dtype=np.int64)).cast(pl.Utf8).str.zfill(width)
    return pl.select(pl.concat_str([pl.lit(prefix), s]).alias(name)).to_series()


def gather(
    lookup: pl.Series, idx: np.ndarray, name: str, valid: np.ndarray | None = None
) -> pl.Series:
    """lookup[idx] as a new series; null where ``valid`` is False."""
    idx = np.asarray(idx, dtype=np.int64)
    if valid is None:
        return lookup.gather(idx).alias(name)
    out = lookup.gather(np.where(valid, idx, 0)).alias(name)
    return pl.select(pl.when(pl.Series(valid)).then(out).otherwise(None).alias(name)).to_series()


def ts(name: str, t: np.ndarray, before: int | None = None) -> pl.Series:
    """Timestamp column from epoch seconds; null for NEVER or (when given) ``t >= before``."""
    t = np.asarray(t, dtype=np.int64)
    valid = t < NEVER
    if before is not None:
        valid &= t < before
    s = (
        pl.Series(name, np.where(valid, t, 0) * 1_000_000)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
    )
    if valid.all():
        return s
    return pl.select(pl.when(pl.Series(valid)).then(s).otherwise(None).alias(name)).to_series()


def dates(name: str, t: np.ndarray) -> pl.Series:
    """Date column (UTC calendar day) from epoch seconds."""
    days = (np.asarray(t, dtype=np.int64) // DAY).astype(np.int32)
    return pl.Series(name, days).cast(pl.Date)


def pick(options: tuple[str, ...] | list[str], idx: np.ndarray, name: str) -> pl.Series:
    """Categorical strings options[idx]."""
    return gather(pl.Series(name, list(options), dtype=pl.Utf8), idx, name)


def latest(t: int, *times: np.ndarray) -> np.ndarray:
    """Per row, the latest of the given transition instants that lie before ``t``."""
    out = np.full(np.asarray(times[0]).shape, -(2**62), dtype=np.int64)
    for x in times:
        x = np.asarray(x, dtype=np.int64)
        out = np.where(x < t, np.maximum(out, x), out)
    return out


def changed_between(lo: int, hi: int, *times: np.ndarray) -> np.ndarray:
    """Rows with any transition in [lo, hi)."""
    out = np.zeros(np.asarray(times[0]).shape, dtype=bool)
    for x in times:
        out |= (x >= lo) & (x < hi)
    return out


def subset(rec: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask] for k, v in rec.items()}


def concat(recs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    keys = recs[0].keys()
    return {k: np.concatenate([r[k] for r in recs]) for k in keys}
