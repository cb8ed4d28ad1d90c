"""Lint-time stand-in for dbt's `adapter.dispatch`: returns the DuckDB implementation of each
dispatched macro of this project (see macros/). Never used by dbt itself."""

from __future__ import annotations

from collections.abc import Callable

_DUCKDB: dict[str, Callable[..., str]] = {
    "hash_pii": lambda expr: f"sha256(lower(trim({expr})))",
    "percentile_cont": lambda expr, p: f"quantile_cont({expr}, {p})",
    "iso_day_of_week": lambda expr: f"extract(isodow from {expr})",
    "type_money": lambda: "decimal(18, 2)",
    "type_double": lambda: "double",
}


def dispatch(macro_name: str, macro_namespace: str | None = None) -> Callable[..., str]:
    try:
        return _DUCKDB[macro_name]
    except KeyError:
        raise KeyError(f"add a lint stand-in for dispatched macro {macro_name!r}") from None
