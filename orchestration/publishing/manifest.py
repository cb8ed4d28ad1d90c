"""The ``_publish_manifest`` every target carries: one row per mart of the published version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

#: Column order of ``_publish_manifest`` in every target. ``published_at`` is UTC.
MANIFEST_COLUMNS = ("publish_id", "published_at", "mart", "row_count")


@dataclass(frozen=True)
class Manifest:
    """The version a target shows: its ``publish_id``, when it was published, rows per mart."""

    publish_id: str
    published_at: datetime
    row_counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[object, ...]], where: str) -> Manifest | None:
        """Rows ``(publish_id, published_at, mart, row_count)``; ``None`` when there are none."""
        rows = list(rows)
        if not rows:
            return None
        ids = {str(r[0]) for r in rows}
        times = {_utc(r[1]) for r in rows}  # type: ignore[arg-type]
        if len(ids) != 1 or len(times) != 1:
            raise ValueError(f"{where}: _publish_manifest mixes versions {sorted(ids)}")
        return cls(
            publish_id=ids.pop(),
            published_at=times.pop(),
            row_counts={str(r[2]): int(r[3]) for r in rows},  # type: ignore[call-overload]
        )

    def rows(self) -> list[tuple[str, datetime, str, int]]:
        """Rows to insert: ``published_at`` as naive UTC (stored as TIMESTAMP everywhere)."""
        naive = self.published_at.astimezone(UTC).replace(tzinfo=None)
        return [(self.publish_id, naive, mart, n) for mart, n in self.row_counts.items()]

    def as_dict(self) -> dict[str, object]:
        return {
            "publish_id": self.publish_id,
            "published_at": self.published_at.isoformat(),
            "row_counts": dict(self.row_counts),
        }


def _utc(value: datetime) -> datetime:
    """Stored timestamps are naive UTC; return them timezone-aware."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
