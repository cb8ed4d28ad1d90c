"""Publishing (write → audit → publish): expose the audited marts as one version.

Pure Python (no Dagster import); the publish asset calls :func:`publish` after the blocking
checks passed. Targets: PostgreSQL (schema swap, when a URL is configured), the DuckDB serving
file (atomic rename) and Parquet (``current`` symlink). Each carries ``_publish_manifest``.
"""

from .config import (
    FAULT_STEPS,
    FILES_TABLE,
    MANIFEST_TABLE,
    MartRef,
    PublishConfig,
    PublishError,
    new_publish_id,
)
from .duckdb_target import read_manifest_duckdb
from .manifest import Manifest
from .parquet_target import read_manifest_parquet
from .postgres_target import pg_column, read_manifest_postgres
from .publisher import PublishResult, publish

__all__ = [
    "FAULT_STEPS",
    "FILES_TABLE",
    "MANIFEST_TABLE",
    "Manifest",
    "MartRef",
    "PublishConfig",
    "PublishError",
    "PublishResult",
    "new_publish_id",
    "pg_column",
    "publish",
    "read_manifest_duckdb",
    "read_manifest_parquet",
    "read_manifest_postgres",
]
