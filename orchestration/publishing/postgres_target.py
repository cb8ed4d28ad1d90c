"""PostgreSQL: load a staging schema with COPY, then swap schemas in one transaction.

``<schema>__staging`` is loaded (and granted to the read-only BI role) while BI keeps reading
``<schema>``; the switch renames ``<schema>`` → ``<schema>__previous`` and the staging schema →
``<schema>`` in one transaction, so a BI session sees the old or the new version, never a mix.
Renaming a schema takes no lock on its tables, so running queries do not block the switch;
only dropping the older ``__previous`` waits (at most the lock timeout) for queries still
reading it.

Data travels as CSV written by DuckDB (its output distinguishes NULL from an empty string the
way PostgreSQL's CSV COPY reads it) and streamed in chunks to ``COPY ... FROM STDIN``: native
speed on both sides, bounded memory. Identifiers are quoted with ``psycopg.sql``; values are
parameters. The connection URL is a secret and never appears in messages.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

from .config import FILES_TABLE, MANIFEST_TABLE, duck_ident, duck_str
from .manifest import Manifest

_CHUNK = 1 << 20
_APP = "partner_pulse_publish"

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "TINYINT": "bigint",
    "SMALLINT": "bigint",
    "INTEGER": "bigint",
    "BIGINT": "bigint",
    "UTINYINT": "bigint",
    "USMALLINT": "bigint",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)",
    "UHUGEINT": "numeric(39,0)",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


def pg_column(name: str, duckdb_type: str) -> tuple[str, str]:
    """PostgreSQL type for a DuckDB column and the DuckDB expression that exports it as CSV."""
    col = duck_ident(name)
    t = duckdb_type.upper()
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t], col
    if m := _DECIMAL.match(t):
        return f"numeric({m.group(1)},{m.group(2)})", col
    if t == "BLOB":
        return "bytea", f"'\\x' || hex({col})"
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):
        return "jsonb", f"to_json({col})"
    return "text", f"CAST({col} AS VARCHAR)"  # ENUM, BIT, anything new: its text form


def _schema_exists(cur: psycopg.Cursor, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
    return cur.fetchone() is not None


def _connect(url: str, autocommit: bool = False) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=autocommit, connect_timeout=10, application_name=_APP)


class PostgresSchemas:
    """One publish to PostgreSQL: ``stage`` → ``switch`` (→ ``rollback``)."""

    name = "postgres"

    def __init__(
        self,
        url: str,
        schema: str,
        bi_role: str,
        publish_id: str,
        lock_timeout_s: float = 30.0,
    ) -> None:
        self._url = url
        self.live = schema
        self.previous = f"{schema}__previous"
        self.staging = f"{schema}__staging"
        self.bi_role = bi_role
        self.publish_id = publish_id
        self.lock_timeout_ms = int(lock_timeout_s * 1000)
        self.had_previous = False

    def _ident(self, name: str) -> sql.Identifier:
        return sql.Identifier(name)

    def stage(
        self,
        con: duckdb.DuckDBPyConnection,
        tables: Sequence[str],
        manifest: Manifest,
        extra_files: Mapping[str, bytes],
        fault: Callable[[str], None],
        workdir: Path,
    ) -> None:
        """Load every table of ``con`` (the staged serving file) into a fresh staging schema."""
        staging = self._ident(self.staging)
        with (
            _connect(self._url) as pg,
            pg.cursor() as cur,
            tempfile.TemporaryDirectory(prefix=".pg_stage.", dir=workdir) as tmp,
        ):
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(staging))
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(staging))
            for i, table in enumerate(tables):
                loaded = self._copy_table(con, cur, table, Path(tmp) / f"{table}.csv")
                if loaded != manifest.row_counts[table]:
                    raise RuntimeError(
                        f"PostgreSQL {self.staging}.{table} got {loaded} rows, "
                        f"expected {manifest.row_counts[table]}"
                    )
                if i == 0:
                    fault("postgres_writing")
            self._write_manifest(cur, manifest, extra_files)
            self._grant(cur)
            pg.commit()

    def _copy_table(
        self, con: duckdb.DuckDBPyConnection, cur: psycopg.Cursor, table: str, csv: Path
    ) -> int:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = 'main' "
            "AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        mapped = [(name, *pg_column(name, dtype)) for name, dtype in columns]
        target = sql.Identifier(self.staging, table)
        cur.execute(
            sql.SQL("CREATE TABLE {} ({})").format(
                target,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(pg_type))
                    for n, pg_type, _ in mapped
                ),
            )
        )
        exprs = ", ".join(expr for _, _, expr in mapped)
        con.execute(
            f"COPY (SELECT {exprs} FROM main.{duck_ident(table)}) TO {duck_str(csv)} "
            "(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', NULLSTR '')"
        )
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            target, sql.SQL(", ").join(sql.Identifier(n) for n, _, _ in mapped)
        )
        with cur.copy(copy_sql) as copy, csv.open("rb") as f:
            while chunk := f.read(_CHUNK):
                copy.write(chunk)
        loaded = cur.rowcount
        csv.unlink()
        return loaded

    def _write_manifest(
        self, cur: psycopg.Cursor, manifest: Manifest, extra_files: Mapping[str, bytes]
    ) -> None:
        table = sql.Identifier(self.staging, MANIFEST_TABLE)
        cur.execute(
            sql.SQL(
                "CREATE TABLE {} (publish_id text NOT NULL, published_at timestamp NOT NULL, "
                "mart text NOT NULL, row_count bigint NOT NULL)"
            ).format(table)
        )
        cur.executemany(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s)").format(table), manifest.rows()
        )
        files = sql.Identifier(self.staging, FILES_TABLE)
        cur.execute(
            sql.SQL(
                "CREATE TABLE {} (publish_id text NOT NULL, name text NOT NULL, "
                "content bytea NOT NULL)"
            ).format(files)
        )
        cur.executemany(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(files),
            [(manifest.publish_id, n, bytes(c)) for n, c in extra_files.items()],
        )

    def _grant(self, cur: psycopg.Cursor) -> None:
        """Create the read-only role if needed; grants travel with the schema when renamed."""
        role = self._ident(self.bi_role)
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [self.bi_role])
        if cur.fetchone() is None:
            try:
                with cur.connection.transaction():
                    cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
            except psycopg.errors.DuplicateObject:
                pass  # created concurrently
        staging = self._ident(self.staging)
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(staging, role))
        cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(staging, role))

    def _set_lock_timeout(self, cur: psycopg.Cursor, local: bool = True) -> None:
        cur.execute(
            "SELECT set_config('lock_timeout', %s, %s)", [f"{self.lock_timeout_ms}ms", local]
        )

    def switch(self) -> None:
        """In one transaction: drop the older previous, live → previous, staging → live."""
        live, previous, staging = (self._ident(n) for n in (self.live, self.previous, self.staging))
        with _connect(self._url) as pg, pg.cursor() as cur:
            self._set_lock_timeout(cur)
            if not _schema_exists(cur, self.staging):
                raise RuntimeError(f"PostgreSQL staging schema {self.staging} is missing")
            had_previous = _schema_exists(cur, self.live)
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(previous))
            if had_previous:
                cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(live, previous))
            cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(staging, live))
            pg.commit()
        self.had_previous = had_previous

    def rollback(self) -> None:
        """In one transaction: live (this publish) → staging, previous → live; then drop it."""
        live, previous, staging = (self._ident(n) for n in (self.live, self.previous, self.staging))
        with _connect(self._url) as pg, pg.cursor() as cur:
            self._set_lock_timeout(cur)
            cur.execute(
                sql.SQL("SELECT DISTINCT publish_id FROM {}").format(
                    sql.Identifier(self.live, MANIFEST_TABLE)
                )
            )
            shown = [r[0] for r in cur.fetchall()]
            if shown != [self.publish_id]:
                raise RuntimeError(
                    f"PostgreSQL {self.live} shows {shown}, not {self.publish_id}; not rolled back"
                )
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(staging))
            cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(live, staging))
            if self.had_previous:
                cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(previous, live))
            pg.commit()
        self.discard()

    def discard(self) -> None:
        """Drop the staging schema (best effort: the next publish drops it anyway)."""
        with (
            contextlib.suppress(psycopg.Error),
            _connect(self._url, autocommit=True) as pg,
            pg.cursor() as cur,
        ):
            self._set_lock_timeout(cur, local=False)
            cur.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(self._ident(self.staging))
            )


def read_manifest_postgres(url: str, schema: str = "partner_pulse") -> Manifest | None:
    """The version ``<schema>`` shows; ``None`` before the first publish."""
    with _connect(url, autocommit=True) as pg, pg.cursor() as cur:
        if not _schema_exists(cur, schema):
            return None
        cur.execute(
            sql.SQL(
                "SELECT publish_id, published_at, mart, row_count FROM {} ORDER BY mart"
            ).format(sql.Identifier(schema, MANIFEST_TABLE))
        )
        return Manifest.from_rows(cur.fetchall(), f"PostgreSQL schema {schema}")
