"""Scales, run configuration, the timeline and seeded random streams.

Everything here is pure: no I/O, no wall clock. Times are integer seconds since the Unix epoch
(UTC) throughout the generator; ``NEVER`` marks a transition that does not happen.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

DAY = 86_400
HOUR = 3_600
#: Sentinel time for "does not happen" (far beyond any timeline, safe to add days to).
NEVER = np.int64(2**62)

#: The history drop is dated this many days before the end date.
DELTA_DAYS = 7


@dataclass(frozen=True)
class Scale:
    """Volume knobs of one scale."""

    name: str
    partners: int
    months: int
    #: Multiplier on portal activity (events per active contact-day), calibrated per scale.
    event_intensity: float
    accounts_per_partner: float = 4.0
    #: Upper bound of rows generated per in-memory chunk for portal events.
    event_chunk_partners: int = 4_000


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", partners=25, months=6, event_intensity=0.5),
    "demo": Scale("demo", partners=300, months=24, event_intensity=2.25),
    "medium": Scale("medium", partners=3_000, months=36, event_intensity=2.45),
    "large": Scale("large", partners=30_000, months=36, event_intensity=1.5),
}


@dataclass(frozen=True)
class RunConfig:
    scale: Scale
    seed: int
    end_date: date
    out: Path
    defect_rate: float = 0.005


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """An independent, reproducible random stream for (seed, *keys)."""
    return np.random.default_rng(np.random.SeedSequence([seed, *keys]))


def to_epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def add_months(d: date, n: int) -> date:
    k = d.year * 12 + (d.month - 1) + n
    return date(k // 12, k % 12 + 1, 1)


@dataclass(frozen=True)
class Timeline:
    """Monthly grid ending at the end date (exclusive instant ``now``)."""

    end_date: date
    months: int
    month_firsts: tuple[date, ...]  # first day of each month, plus the following month

    @classmethod
    def build(cls, end_date: date, months: int) -> Timeline:
        last = (end_date - timedelta(days=1)).replace(day=1)
        first = add_months(last, -(months - 1))
        firsts = tuple(add_months(first, i) for i in range(months + 1))
        return cls(end_date=end_date, months=months, month_firsts=firsts)

    @property
    def now(self) -> int:
        """All generated activity happens strictly before this instant (end date 00:00Z)."""
        return to_epoch(self.end_date)

    @property
    def cutoff(self) -> int:
        """Instant separating the history drop from the delta drop."""
        return self.now - DELTA_DAYS * DAY

    @property
    def history_date(self) -> date:
        return self.end_date - timedelta(days=DELTA_DAYS)

    @property
    def start(self) -> int:
        return to_epoch(self.month_firsts[0])

    def window(self, m: int) -> tuple[int, int]:
        """Half-open [start, end) of month m, clipped to ``now``."""
        lo = to_epoch(self.month_firsts[m])
        hi = min(to_epoch(self.month_firsts[m + 1]), self.now)
        return lo, max(lo, hi)

    def month_of_year(self, m: int) -> int:
        return self.month_firsts[m].month

    def days_in(self, m: int) -> int:
        lo, hi = self.window(m)
        return max(0, (hi - lo) // DAY)

    def month_index(self, t: np.ndarray) -> np.ndarray:
        """Month index of epoch seconds (-1 before the timeline, ``months`` after)."""
        edges = np.array([to_epoch(d) for d in self.month_firsts], dtype=np.int64)
        return np.searchsorted(edges, t, side="right") - 1


def month_length(d: date) -> int:
    return calendar.monthrange(d.year, d.month)[1]
