"""Categorical values as real exports write them: case, spacing and separators, and synonyms.

A value matches an allowed value when both are equal after `normalize` (lower case, trimmed,
runs of spaces / hyphens / underscores folded to one underscore): "Closed Won", "closed-won"
and "CLOSED_WON" are all `closed_won`; "1 - 50" is `1-50`. Synonyms map other spellings to an
allowed value per table and column, from ingestion/config/category_synonyms.csv (columns
table, column, synonym, value) or the file named by PARTNER_PULSE_CATEGORY_SYNONYMS, so a
user maps their export's vocabulary without code edits. What no rule maps keeps its original
text and is quarantined with it.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from ingestion.contract import TABLES, Column

DEFAULT_SYNONYMS = Path(__file__).resolve().parent / "config" / "category_synonyms.csv"
_SEPARATORS = re.compile(r"[\s_-]+")


def normalize(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower())


def synonyms_path() -> Path:
    return Path(os.environ.get("PARTNER_PULSE_CATEGORY_SYNONYMS") or DEFAULT_SYNONYMS)


@cache
def _read_synonyms(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ValueError(f"category synonyms file {path}: {exc.strerror}") from exc
    allowed = {
        (t.key, c.name): set(c.allowed) for t in TABLES for c in t.columns if c.allowed
    }
    mapping: dict[tuple[str, str], dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        key = (row.get("table") or "", row.get("column") or "")
        value, synonym = row.get("value") or "", row.get("synonym") or ""
        if key not in allowed:
            raise ValueError(f"{path}:{line}: {key[0]}.{key[1]} is not a categorical column")
        if value not in allowed[key]:
            raise ValueError(
                f"{path}:{line}: {value!r} is not an allowed value of {key[0]}.{key[1]} "
                f"({', '.join(sorted(allowed[key]))})"
            )
        if not synonym.strip():
            raise ValueError(f"{path}:{line}: empty synonym")
        mapping.setdefault(key, {})[normalize(synonym)] = value
    return mapping


def synonyms(table_key: str, column: str) -> Mapping[str, str]:
    """Normalized synonym -> allowed value for one column (empty when none are configured)."""
    return _read_synonyms(synonyms_path()).get((table_key, column), {})


def sql_normalized(text: str) -> str:
    """SQL of `normalize` applied to the SQL text expression `text`."""
    return f"regexp_replace(lower(trim({text})), '[\\s_-]+', '_', 'g')"


def sql_canonical(table_key: str, column: Column, text: str) -> str:
    """SQL mapping the raw text to its allowed value, else the trimmed, cased original (which the
    allowed-values check then quarantines)."""
    if column.case == "upper":  # codes (currency, region): case and spacing only
        return f"nullif(upper(trim({text})), '')"
    norm = sql_normalized(text)
    targets = {normalize(v): v for v in column.allowed or ()}
    targets.update({s: v for s, v in synonyms(table_key, column.name).items() if s not in targets})
    cases = " ".join(
        f"when {norm} = '{_quote(key)}' then '{_quote(value)}'" for key, value in targets.items()
    )
    return f"case {cases} else nullif(lower(trim({text})), '') end"


def _quote(text: str) -> str:
    return text.replace("'", "''")
