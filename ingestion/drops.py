"""Discovery of file drops: `landing/<source>/<YYYY-MM-DD>/<table>.<ext>`."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingestion.contract import FILE_FORMATS, Table


class DropLayoutError(ValueError):
    """A drop folder that does not follow the landing layout."""


@dataclass(frozen=True)
class DropFile:
    source: str
    table: str
    drop_date: dt.date
    path: Path
    file_format: str

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()


def _drop_date(folder: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat(folder.name)
    except ValueError:
        return None


def drop_folders(landing: Path, source: str) -> list[tuple[dt.date, Path]]:
    """Dated drop folders of one source, oldest first; other folders are ignored."""
    root = landing / source
    if not root.is_dir():
        return []
    dated = [(_drop_date(p), p) for p in root.iterdir() if p.is_dir()]
    return sorted((d, p) for d, p in dated if d is not None)


def find_table_file(folder: Path, table: Table) -> DropFile | None:
    """The file of `table` in one drop folder, or None when the drop does not carry it."""
    matches = [folder / f"{table.name}.{ext}" for ext in FILE_FORMATS]
    present = [p for p in matches if p.is_file()]
    if len(present) > 1:
        names = ", ".join(p.name for p in present)
        raise DropLayoutError(f"{folder}: several files for table {table.name}: {names}")
    if not present:
        return None
    path = present[0]
    date = _drop_date(folder)
    if date is None:
        raise DropLayoutError(f"{folder}: drop folder name is not a date (YYYY-MM-DD)")
    return DropFile(table.source, table.name, date, path, path.suffix.lstrip("."))


def table_drop_files(landing: Path, table: Table) -> list[DropFile]:
    """Every file for `table` across the drops of its source, oldest drop first."""
    files = []
    for _, folder in drop_folders(landing, table.source):
        found = find_table_file(folder, table)
        if found is not None:
            files.append(found)
    return files


def drop_fingerprint(landing: Path) -> dict[str, float]:
    """{relative file path: mtime} of every file in every drop: what the sensor compares."""
    seen: dict[str, float] = {}
    if not landing.is_dir():
        return seen
    for path in sorted(landing.glob("*/*/*")):
        if path.is_file() and _drop_date(path.parent) is not None:
            seen[str(path.relative_to(landing))] = path.stat().st_mtime
    return seen
