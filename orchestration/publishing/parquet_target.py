"""Parquet: a folder per version under ``_versions/``; ``current`` symlink switched atomically.

BI tools read ``<root>/current/<mart>/`` (one ``data.parquet`` per mart). A directory cannot be
renamed over a non-empty one, so the switch renames a new symlink over ``current`` instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from .config import MANIFEST_TABLE, duck_ident, duck_str
from .duckdb_target import fsync_dir
from .manifest import Manifest

VERSIONS = "_versions"
CURRENT = "current"
DATA_FILE = "data.parquet"


class ParquetVersions:
    """One publish of the Parquet folder: ``stage`` → ``switch`` (→ ``rollback``) → ``prune``."""

    name = "parquet"

    def __init__(self, root: Path, publish_id: str, keep: int = 3) -> None:
        self.root = root
        self.publish_id = publish_id
        self.keep = keep
        self.versions = root / VERSIONS
        self.final = self.versions / publish_id
        self.tmp = self.versions / f"{publish_id}.tmp"
        self.current = root / CURRENT
        self.old_target: str | None = None
        self.created = False

    @staticmethod
    def stale_files(root: Path) -> list[Path]:
        if not root.is_dir():
            return []
        return list((root / VERSIONS).glob("*.tmp")) + list(root.glob(f".{CURRENT}.*.tmp"))

    def check(self) -> None:
        if self.current.exists() and not self.current.is_symlink():
            raise RuntimeError(f"{self.current} must be a symlink to a version, not a folder")
        if self.final.exists():
            raise RuntimeError(f"Parquet version {self.final} exists: publish_id already used")

    def stage(
        self,
        con: duckdb.DuckDBPyConnection,
        tables: Sequence[str],
        expected: Mapping[str, int],
        extra_files: Mapping[str, bytes],
        fault: Callable[[str], None],
    ) -> None:
        """Write every table of ``con`` (the staged serving file) plus manifest and files."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        for i, table in enumerate([*tables, MANIFEST_TABLE]):
            folder = self.tmp / table
            folder.mkdir()
            target = folder / DATA_FILE
            con.execute(
                f"COPY main.{duck_ident(table)} TO {duck_str(target)} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            if table in expected:
                rows = pq.read_metadata(target).num_rows
                if rows != expected[table]:
                    raise RuntimeError(
                        f"Parquet {target} has {rows} rows, expected {expected[table]}"
                    )
            if i == 0:
                fault("parquet_writing")
        for fname, content in extra_files.items():
            (self.tmp / fname).write_bytes(bytes(content))
        os.rename(self.tmp, self.final)
        self.created = True
        fsync_dir(self.versions)

    def switch(self) -> None:
        """Point ``current`` at the new version with one atomic rename of a fresh symlink."""
        if not self.final.is_dir():
            raise RuntimeError(f"Parquet version {self.final} is not staged")
        self.old_target = os.readlink(self.current) if self.current.is_symlink() else None
        self._point_current_to(f"{VERSIONS}/{self.publish_id}")

    def _point_current_to(self, target: str) -> None:
        link = self.root / f".{CURRENT}.{self.publish_id}.tmp"
        link.unlink(missing_ok=True)
        os.symlink(target, link, target_is_directory=True)
        os.replace(link, self.current)
        fsync_dir(self.root)

    def rollback(self) -> None:
        """Point ``current`` back (or remove it after a first publish) and drop the new version."""
        if self.old_target is not None:
            self._point_current_to(self.old_target)
        elif self.current.is_symlink():
            self.current.unlink()
            fsync_dir(self.root)
        shutil.rmtree(self.final, ignore_errors=True)

    def discard(self) -> None:
        """Drop the staged version (after a failure before this target was switched)."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.created and not (
            self.current.is_symlink() and self.current.resolve() == self.final.resolve()
        ):
            shutil.rmtree(self.final, ignore_errors=True)

    def prune(self) -> list[str]:
        """Remove versions older than the newest ``keep``; never the current or previous one."""
        if not self.versions.is_dir():
            return []
        protected = {self.publish_id}
        if self.current.is_symlink():
            protected.add(Path(os.readlink(self.current)).name)
        if self.old_target:
            protected.add(Path(self.old_target).name)
        versions = [
            d for d in self.versions.iterdir() if d.is_dir() and not d.name.endswith(".tmp")
        ]
        versions.sort(key=_version_time, reverse=True)
        removed = []
        for d in versions[self.keep :]:
            if d.name not in protected:
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d.name)
        return removed


def _version_time(folder: Path) -> tuple[float, str]:
    """When a version was written: its manifest file is written once and never modified."""
    manifest = folder / MANIFEST_TABLE / DATA_FILE
    with contextlib.suppress(OSError):
        return manifest.stat().st_mtime, folder.name
    return folder.stat().st_mtime, folder.name


def current_version_dir(root: Path | str) -> Path | None:
    """The version folder ``current`` points at now (resolved once, so it is stable to read)."""
    current = Path(root) / CURRENT
    if not current.is_symlink():
        return None
    return Path(os.path.realpath(current))


def read_manifest_parquet(root: Path | str) -> Manifest | None:
    """The version ``<root>/current`` shows; ``None`` before the first publish."""
    folder = current_version_dir(root)
    if folder is None:
        return None
    path = folder / MANIFEST_TABLE / DATA_FILE
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT publish_id, published_at, mart, row_count FROM read_parquet(?) ORDER BY mart",
            [str(path)],
        ).fetchall()
    finally:
        con.close()
    return Manifest.from_rows(rows, str(path))
