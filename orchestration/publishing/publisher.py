"""Publish the audited marts as one version to every target: stage all, then switch all.

Order: stage the DuckDB serving file from the build warehouse (read-only), then Parquet and
PostgreSQL from that staged file, so every target gets the same snapshot; then switch
PostgreSQL, DuckDB, Parquet. A failure while staging switches nothing; a failure after a switch
puts every switched target back on its previous version and raises :class:`PublishError`
naming the step. One publish at a time (a lock file next to the serving file).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from .config import MartRef, PublishConfig, PublishError, check_publish_id, new_publish_id
from .duckdb_target import DuckDBServing
from .manifest import Manifest
from .parquet_target import ParquetVersions
from .postgres_target import PostgresSchemas

log = logging.getLogger(__name__)


class _Target(Protocol):
    name: str

    def switch(self) -> None: ...
    def rollback(self) -> None: ...
    def discard(self) -> None: ...


@dataclass(frozen=True)
class PublishResult:
    """What was published: the version, its row counts, the targets and how long it took."""

    publish_id: str
    published_at: datetime
    row_counts: dict[str, int]
    targets: tuple[str, ...]
    duration_s: float
    timings: dict[str, float] = field(default_factory=dict)
    pruned_versions: tuple[str, ...] = ()

    @property
    def manifest(self) -> Manifest:
        return Manifest(self.publish_id, self.published_at, dict(self.row_counts))


def _no_fault(_step: str) -> None:
    return None


@contextlib.contextmanager
def _publish_lock(serving_path: Path) -> Iterator[None]:
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = serving_path.with_name(f".{serving_path.name}.publish.lock")
    with lock_path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"another publish is running (lock {lock_path} is held)", step="lock"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_stale(config: PublishConfig) -> None:
    """Remove temporary files a killed publish left behind (we hold the publish lock)."""
    stale = DuckDBServing.stale_files(config.serving_path)
    stale += ParquetVersions.stale_files(config.parquet_root)
    stale += list(config.serving_path.parent.glob(".pg_stage.*"))  # PostgreSQL CSV chunks
    for path in stale:
        log.warning("removing leftover of an interrupted publish: %s", path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def publish(
    config: PublishConfig,
    marts: Sequence[MartRef],
    publish_id: str | None = None,
    *,
    fault: Callable[[str], None] | None = None,
) -> PublishResult:
    """Publish ``marts`` from ``config.build_path`` as one version to every configured target.

    ``fault`` is a test hook called with each name in :data:`FAULT_STEPS`; raising from it
    injects a failure at that point. The build warehouse is only attached read-only; the
    caller must not hold a read-write connection to it in this process.
    """
    marts = tuple(marts)
    if not marts:
        raise ValueError("nothing to publish: no marts given")
    names = [m.name for m in marts]
    if len(set(names)) != len(names):
        raise ValueError(f"mart names must be unique across schemas: {names}")
    publish_id = check_publish_id(publish_id or new_publish_id())
    hook = fault or _no_fault
    started = time.perf_counter()
    published_at = datetime.now(UTC)
    timings: dict[str, float] = {}

    with _publish_lock(config.serving_path):
        _remove_stale(config)
        duck = DuckDBServing(config.serving_path, publish_id)
        parquet = ParquetVersions(config.parquet_root, publish_id, keep=config.keep_versions)
        postgres = (
            PostgresSchemas(
                config.postgres_url,
                config.postgres_schema,
                config.bi_role,
                publish_id,
                lock_timeout_s=config.postgres_lock_timeout_s,
            )
            if config.postgres_url
            else None
        )
        targets: list[_Target] = [t for t in (postgres, duck, parquet) if t is not None]

        step = "check"

        def reached(name: str) -> None:
            """Record the step (so an error names it), then call the test hook."""
            nonlocal step
            step = name
            hook(name)

        def mark(name: str, since: float) -> float:
            now = time.perf_counter()
            timings[name] = round(now - since, 4)
            return now

        # 1. Stage every target; nothing visible changes.
        try:
            duck.check()
            parquet.check()
            t = time.perf_counter()
            step = "duckdb_staging"
            counts = duck.stage(config.build_path, marts, reached)
            manifest = Manifest(publish_id, published_at, counts)
            duck.write_manifest(manifest, config.extra_files)
            t = mark("stage_duckdb", t)
            step = "parquet_staging"
            parquet.stage(duck.connection, names, counts, config.extra_files, reached)
            t = mark("stage_parquet", t)
            if postgres is not None:
                step = "postgres_staging"
                postgres.stage(
                    duck.connection,
                    names,
                    manifest,
                    config.extra_files,
                    reached,
                    workdir=config.serving_path.parent,
                )
                t = mark("stage_postgres", t)
            step = "duckdb_checkpoint"
            duck.close()
            t = mark("checkpoint_duckdb", t)
            reached("staged")
        except BaseException as exc:
            for target in targets:
                with contextlib.suppress(Exception):
                    target.discard()
            log.error(
                "publish %s failed while staging (%s); nothing was switched", publish_id, step
            )
            if not isinstance(exc, Exception):
                raise
            raise PublishError(
                f"publish {publish_id} failed at step {step!r} while staging; nothing was "
                f"switched: {type(exc).__name__}: {exc}",
                step=step,
            ) from exc

        # 2. Switch PostgreSQL, DuckDB, Parquet; on failure put back what was switched.
        switched: list[_Target] = []
        try:
            for target in targets:
                step = f"{target.name}_switch"
                target.switch()
                switched.append(target)
                t = mark(f"switch_{target.name}", t)
                reached(f"{target.name}_switched")
        except BaseException as exc:
            rolled_back, failed = [], []
            for target in reversed(switched):
                try:
                    target.rollback()
                    rolled_back.append(target.name)
                except Exception as rb_exc:  # keep rolling back the others
                    log.exception("rollback of %s failed", target.name)
                    failed.append(f"{target.name} ({type(rb_exc).__name__}: {rb_exc})")
            for target in targets:
                if target not in switched:
                    with contextlib.suppress(Exception):
                        target.discard()
            summary = f"rolled back: {', '.join(rolled_back) or 'nothing'}"
            if failed:
                summary += f"; ROLLBACK FAILED for {', '.join(failed)}"
            log.error("publish %s failed at step %s; %s", publish_id, step, summary)
            if not isinstance(exc, Exception):
                raise
            raise PublishError(
                f"publish {publish_id} failed at step {step!r}: {type(exc).__name__}: {exc}; "
                f"{summary}",
                step=step,
            ) from exc

        # 3. Housekeeping: never fails the publish.
        pruned: list[str] = []
        try:
            pruned = parquet.prune()
        except OSError as exc:
            log.warning("could not prune old Parquet versions: %s", exc)

    duration = round(time.perf_counter() - started, 4)
    log.info(
        "published %s to %s in %.2fs: %s",
        publish_id,
        ", ".join(t.name for t in targets),
        duration,
        counts,
    )
    return PublishResult(
        publish_id=publish_id,
        published_at=published_at,
        row_counts=counts,
        targets=tuple(t.name for t in targets),
        duration_s=duration,
        timings=timings,
        pruned_versions=tuple(pruned),
    )
