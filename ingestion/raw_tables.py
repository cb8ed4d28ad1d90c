"""DDL of the raw, quarantine and ledger tables, derived from the contract."""

from __future__ import annotations

import duckdb

from ingestion.contract import TABLES, Table

DUCKDB_TYPES: dict[str, str] = {
    "str": "VARCHAR",
    "ts": "TIMESTAMP",  # UTC, stored without a zone
    "date": "DATE",
    "float": "DOUBLE",
    "int": "BIGINT",
    "bool": "BOOLEAN",
}

#: Columns every raw row carries besides the contract columns.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_load_id", "VARCHAR"),
    ("_loaded_at", "TIMESTAMP"),
    ("_source", "VARCHAR"),
)

LEDGER_DDL = """
create table if not exists meta.load_ledger (
    load_id varchar primary key,
    source varchar not null,
    table_name varchar not null,
    drop_date date not null,
    file_path varchar not null,
    file_sha256 varchar not null,
    status varchar not null,          -- loaded | empty | failed
    rows_in bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    drift_columns varchar,            -- comma-separated extra columns, if any
    message varchar,
    loaded_at timestamp not null
)
"""


def quote(identifier: str) -> str:
    """Quote an identifier for DuckDB (identifiers come from config and files)."""
    return '"' + identifier.replace('"', '""') + '"'


def raw_relation(table: Table) -> str:
    return f"{quote(table.raw_schema)}.{quote(table.name)}"


def quarantine_relation(table: Table) -> str:
    return f"quarantine.{quote(table.quarantine_name)}"


def raw_table_ddl(table: Table) -> str:
    cols = [f"{quote(c.name)} {DUCKDB_TYPES[c.type]}" for c in table.columns]
    cols += [f"{name} {typ}" for name, typ in LINEAGE_COLUMNS]
    return f"create table if not exists {raw_relation(table)} ({', '.join(cols)})"


def quarantine_table_ddl(table: Table) -> str:
    cols = [f"{quote(c.name)} VARCHAR" for c in table.columns]
    cols += ["_reason VARCHAR", *(f"{n} {t}" for n, t in LINEAGE_COLUMNS)]
    return f"create table if not exists {quarantine_relation(table)} ({', '.join(cols)})"


def ensure_warehouse_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw/quarantine/meta relation that does not exist yet (idempotent)."""
    for schema in sorted({t.raw_schema for t in TABLES} | {"quarantine", "meta"}):
        con.execute(f"create schema if not exists {quote(schema)}")
    con.execute(LEDGER_DDL)
    for table in TABLES:
        con.execute(raw_table_ddl(table))
        con.execute(quarantine_table_ddl(table))


def existing_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]
