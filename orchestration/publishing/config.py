"""What to publish and where: mart references, target configuration, publish ids, errors."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

#: Tables every target carries next to the marts (a mart may not use these names).
MANIFEST_TABLE = "_publish_manifest"
FILES_TABLE = "_publish_files"

#: Names the publisher passes to the ``fault`` test hook, in the order they happen.
#: ``*_writing`` fire after the first mart of that target was written (mid-staging).
FAULT_STEPS = (
    "duckdb_writing",
    "parquet_writing",
    "postgres_writing",
    "staged",
    "postgres_switched",
    "duckdb_switched",
    "parquet_switched",
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PUBLISH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: PostgreSQL truncates identifiers longer than this many bytes.
_PG_MAX_IDENT = 63
_PG_SUFFIXES = ("__staging", "__previous")


class PublishError(RuntimeError):
    """A publish failed; the message names the step and what was rolled back."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.step = step


def check_name(kind: str, value: str) -> str:
    """Schema, table and role names: letters, digits and underscores, not starting with a digit."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"invalid {kind} {value!r}: use letters, digits and underscores "
            "(not starting with a digit)"
        )
    return value


@dataclass(frozen=True)
class MartRef:
    """A mart relation in the build warehouse; it is published as a table named ``name``."""

    schema: str
    name: str

    def __post_init__(self) -> None:
        check_name("mart schema", self.schema)
        check_name("mart name", self.name)
        if self.name in (MANIFEST_TABLE, FILES_TABLE):
            raise ValueError(f"mart name {self.name!r} is reserved for the publish manifest")

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class PublishConfig:
    """Where the build warehouse is and which targets to publish to.

    ``postgres_url`` is a secret: it is left out of ``repr`` and never logged.
    """

    build_path: Path
    serving_path: Path
    parquet_root: Path
    postgres_url: str | None = field(default=None, repr=False)
    postgres_schema: str = "partner_pulse"
    bi_role: str = "partner_pulse_bi"
    extra_files: Mapping[str, bytes] = field(default_factory=dict)
    #: Parquet versions kept under ``_versions`` (the current and previous always are).
    keep_versions: int = 3
    #: PostgreSQL waits at most this long for a lock while switching schemas.
    postgres_lock_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        for name in ("build_path", "serving_path", "parquet_root"):
            object.__setattr__(self, name, Path(getattr(self, name)))
        if not self.postgres_url:
            object.__setattr__(self, "postgres_url", None)
        check_name("PostgreSQL schema", self.postgres_schema)
        check_name("BI role", self.bi_role)
        longest = max(len(s) for s in _PG_SUFFIXES)
        if len(self.postgres_schema) + longest > _PG_MAX_IDENT:
            raise ValueError(
                f"PostgreSQL schema {self.postgres_schema!r} is too long: at most "
                f"{_PG_MAX_IDENT - longest} characters (room for {'/'.join(_PG_SUFFIXES)})"
            )
        if len(self.bi_role) > _PG_MAX_IDENT:
            raise ValueError(f"BI role {self.bi_role!r} is longer than {_PG_MAX_IDENT} characters")
        if self.keep_versions < 2:
            raise ValueError("keep_versions must be at least 2 (current and previous)")
        if self.serving_path.resolve() == self.build_path.resolve():
            raise ValueError("serving_path must differ from build_path")
        for fname, content in self.extra_files.items():
            if (
                not fname
                or fname.startswith(".")
                or "/" in fname
                or "\\" in fname
                or fname in (MANIFEST_TABLE, FILES_TABLE)
            ):
                raise ValueError(f"invalid extra file name {fname!r}: a plain file name is needed")
            if not isinstance(content, bytes | bytearray):
                raise TypeError(f"extra file {fname!r} must be bytes")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> PublishConfig:
        """Build the configuration from the ``PARTNER_PULSE_*`` environment variables.

        ``PARTNER_PULSE_WAREHOUSE`` is the build warehouse; the serving file and the Parquet
        folder default to ``serving.duckdb`` and ``parquet/`` next to it.
        ``PARTNER_PULSE_POSTGRES_URL`` unset or empty skips PostgreSQL.
        """
        env = os.environ if environ is None else environ
        build = Path(env.get("PARTNER_PULSE_WAREHOUSE") or "warehouse/build.duckdb")
        values: dict[str, object] = {
            "build_path": build,
            "serving_path": Path(
                env.get("PARTNER_PULSE_SERVING") or build.with_name("serving.duckdb")
            ),
            "parquet_root": Path(env.get("PARTNER_PULSE_PARQUET") or build.with_name("parquet")),
            "postgres_url": env.get("PARTNER_PULSE_POSTGRES_URL") or None,
            "postgres_schema": env.get("PARTNER_PULSE_POSTGRES_SCHEMA") or "partner_pulse",
            "bi_role": env.get("PARTNER_PULSE_BI_ROLE") or "partner_pulse_bi",
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def new_publish_id(now: datetime | None = None) -> str:
    """A sortable id: UTC timestamp plus a short random suffix, e.g. ``20261127T230501Z-3f9a``."""
    now = now or datetime.now(UTC)
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def check_publish_id(publish_id: str) -> str:
    if not isinstance(publish_id, str) or not _PUBLISH_ID.match(publish_id):
        raise ValueError(
            f"invalid publish_id {publish_id!r}: 1-64 characters of letters, digits, '_', '.', "
            "'-', starting with a letter or digit"
        )
    if publish_id.endswith(".tmp"):
        raise ValueError(f"invalid publish_id {publish_id!r}: may not end in '.tmp'")
    return publish_id


def duck_ident(name: str) -> str:
    """Quote an identifier for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def duck_str(value: str | os.PathLike[str]) -> str:
    """Quote a string literal for DuckDB SQL (file paths in ATTACH/COPY cannot be parameters)."""
    return "'" + str(value).replace("'", "''") + "'"
