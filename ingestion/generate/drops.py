"""Split generated records into the history drop and the delta drop.

The history drop (dated end_date - 7 days) holds every record created before that instant, in
the state it had then; the delta drop (dated end_date) holds the records created since plus a
new version of every record that changed since. Staging keeps the latest version per id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from ingestion.generate.config import Timeline
from ingestion.generate.frames import changed_between

HISTORY = "history"
DELTA = "delta"
DROPS = (HISTORY, DELTA)


@dataclass(frozen=True)
class Split:
    history: pl.DataFrame
    delta: pl.DataFrame

    def get(self, drop: str) -> pl.DataFrame:
        return self.history if drop == HISTORY else self.delta


def split_immutable(df: pl.DataFrame, created: np.ndarray, timeline: Timeline) -> Split:
    """Records that never change: each goes to the drop of its creation instant."""
    created = np.asarray(created, dtype=np.int64)
    keep = created < timeline.now
    hist = keep & (created < timeline.cutoff)
    return Split(df.filter(pl.Series(hist)), df.filter(pl.Series(keep & ~hist)))


def split_versions(
    created: np.ndarray,
    transitions: tuple[np.ndarray, ...],
    timeline: Timeline,
    state: Callable[[np.ndarray, int], pl.DataFrame],
) -> Split:
    """Versioned records: ``state(mask, t)`` renders the selected rows as they were before t."""
    created = np.asarray(created, dtype=np.int64)
    exists = created < timeline.now
    hist = exists & (created < timeline.cutoff)
    changed = changed_between(timeline.cutoff, timeline.now, *transitions)
    delta = exists & (~hist | changed)
    return Split(state(hist, timeline.cutoff), state(delta, timeline.now))
