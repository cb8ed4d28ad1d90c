"""Lint-time stand-ins for dbt's cross-database macros (`dbt.*`), rendering DuckDB SQL.

sqlfluff uses the jinja templater (the dbt templater needs a live connection); these functions
only have to produce SQL of the right shape. They are never used by dbt itself.
"""

from __future__ import annotations


def type_string() -> str:
    return "varchar"


def type_timestamp() -> str:
    return "timestamp"


def type_bigint() -> str:
    return "bigint"


def type_int() -> str:
    return "integer"


def type_boolean() -> str:
    return "boolean"


def type_float() -> str:
    return "double"


def type_numeric() -> str:
    return "numeric(28, 6)"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def dateadd(datepart: str, interval: object, from_date_or_timestamp: str) -> str:
    return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def safe_cast(field: str, type_: str) -> str:
    return f"try_cast({field} as {type_})"


def date_spine(datepart: str, start_date: str, end_date: str) -> str:
    return (
        f"select cast(range as date) as date_{datepart} "
        f"from range({start_date}, {end_date}, interval 1 {datepart})"
    )


def concat(fields: list) -> str:
    return "concat(" + ", ".join(str(f) for f in fields) + ")"
