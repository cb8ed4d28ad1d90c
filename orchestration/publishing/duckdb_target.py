"""DuckDB serving file: build a new file next to it, checkpoint, close, swap in atomically.

Readers open ``serving.duckdb`` with ``read_only=True``. A reader that has the old file open
keeps reading the old inode after the rename and is never blocked; a reader that opens the path
afterwards gets the new file. DuckDB caches databases by path inside a process, so an
already-open process sees a new version only once all its connections to the file are closed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from .config import FILES_TABLE, MANIFEST_TABLE, MartRef, duck_ident, duck_str
from .manifest import Manifest

_BUILD_ALIAS = "__pp_build"


def previous_path(serving_path: Path) -> Path:
    """``serving.duckdb`` → ``serving.previous.duckdb`` (kept for rollback)."""
    return serving_path.with_name(f"{serving_path.stem}.previous{serving_path.suffix}")


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (best effort; not every platform supports it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.unlink(missing_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class DuckDBServing:
    """One publish of the serving file: ``stage`` → ``close`` → ``switch`` (→ ``rollback``)."""

    name = "duckdb"

    def __init__(self, serving_path: Path, publish_id: str) -> None:
        self.path = serving_path
        self.publish_id = publish_id
        self.tmp = serving_path.with_name(f"{serving_path.name}.{publish_id}.tmp")
        self.previous = previous_path(serving_path)
        self.con: duckdb.DuckDBPyConnection | None = None
        self.had_previous = False

    @staticmethod
    def stale_files(serving_path: Path) -> list[Path]:
        """Leftovers of a killed publish (removed before the next one, under the publish lock)."""
        folder = serving_path.parent
        if not folder.is_dir():
            return []
        prev = previous_path(serving_path)
        patterns = (f"{serving_path.name}.*.tmp", f"{serving_path.name}.*.tmp.wal")
        found = [p for pat in patterns for p in folder.glob(pat)]
        return found + list(folder.glob(f"{prev.name}.*.tmp"))

    def check(self) -> None:
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():
            raise RuntimeError(
                f"{wal} exists: something opened the serving file for writing; readers must "
                "use read_only=True. Remove it after checking nothing is writing."
            )

    def stage(
        self,
        build_path: Path,
        marts: Sequence[MartRef],
        fault: Callable[[str], None],
    ) -> dict[str, int]:
        """Copy every mart from the build warehouse into a new file; return rows per mart.

        The connection stays open so the other targets are staged from the same snapshot.
        """
        if not build_path.exists():
            raise FileNotFoundError(f"build warehouse {build_path} does not exist")
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.discard()
        self.con = con = duckdb.connect(str(self.tmp))
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"ATTACH {duck_str(build_path)} AS {_BUILD_ALIAS} (READ_ONLY)")
        counts: dict[str, int] = {}
        for i, mart in enumerate(marts):
            con.execute(
                f"CREATE TABLE main.{duck_ident(mart.name)} AS SELECT * FROM "
                f"{_BUILD_ALIAS}.{duck_ident(mart.schema)}.{duck_ident(mart.name)}"
            )
            row = con.execute(f"SELECT count(*) FROM main.{duck_ident(mart.name)}").fetchone()
            counts[mart.name] = int(row[0]) if row else 0
            if i == 0:
                fault("duckdb_writing")
        con.execute(f"DETACH {_BUILD_ALIAS}")
        return counts

    def write_manifest(self, manifest: Manifest, extra_files: Mapping[str, bytes]) -> None:
        con = self.connection
        con.execute(
            f"CREATE TABLE main.{MANIFEST_TABLE} (publish_id VARCHAR NOT NULL, "
            "published_at TIMESTAMP NOT NULL, mart VARCHAR NOT NULL, row_count BIGINT NOT NULL)"
        )
        con.executemany(f"INSERT INTO main.{MANIFEST_TABLE} VALUES (?, ?, ?, ?)", manifest.rows())
        con.execute(
            f"CREATE TABLE main.{FILES_TABLE} (publish_id VARCHAR NOT NULL, "
            "name VARCHAR NOT NULL, content BLOB NOT NULL)"
        )
        for fname, content in extra_files.items():
            con.execute(
                f"INSERT INTO main.{FILES_TABLE} VALUES (?, ?, ?)",
                [manifest.publish_id, fname, bytes(content)],
            )

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection to the staged file (between ``stage`` and ``close``)."""
        if self.con is None:
            raise RuntimeError("DuckDB serving file is not staged")
        return self.con

    def close(self) -> None:
        """Checkpoint and close the new file, so it is complete before it is swapped in."""
        con = self.connection
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        wal = self.tmp.with_name(self.tmp.name + ".wal")
        if wal.exists():
            raise RuntimeError(f"{wal} left after checkpoint; the new serving file is incomplete")

    def switch(self) -> None:
        """Keep the current file as ``serving.previous.duckdb``, then rename the new one over."""
        if self.con is not None or not self.tmp.exists():
            raise RuntimeError("DuckDB serving file is not staged and closed")
        self.had_previous = self.path.exists()
        if self.had_previous:
            tmp_prev = self.previous.with_name(f"{self.previous.name}.{self.publish_id}.tmp")
            _link_or_copy(self.path, tmp_prev)
            os.replace(tmp_prev, self.previous)
        os.replace(self.tmp, self.path)
        fsync_dir(self.path.parent)

    def rollback(self) -> None:
        """Put the previous file back (or remove the file when this was the first publish)."""
        if self.had_previous:
            tmp = self.path.with_name(f"{self.path.name}.{self.publish_id}.rollback.tmp")
            _link_or_copy(self.previous, tmp)
            os.replace(tmp, self.path)
        else:
            self.path.unlink(missing_ok=True)
        fsync_dir(self.path.parent)

    def discard(self) -> None:
        """Drop the staged file (after a failure before or during the switch)."""
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            self.con = None
        for p in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            p.unlink(missing_ok=True)


def read_manifest_duckdb(path: Path | str) -> Manifest | None:
    """The version the serving file shows; ``None`` before the first publish.

    Opens the file read-only. Inside one process DuckDB reuses an already-open database, so
    close other connections to the file first to see a newer version.
    """
    path = Path(path)
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            f"SELECT publish_id, published_at, mart, row_count FROM main.{MANIFEST_TABLE} "
            "ORDER BY mart"
        ).fetchall()
    finally:
        con.close()
    return Manifest.from_rows(rows, str(path))
