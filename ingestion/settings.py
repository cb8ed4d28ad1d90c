"""Configuration from the environment (see .env.example). Validated, with clear errors."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WAREHOUSE = "warehouse/build.duckdb"
DEFAULT_LANDING = "landing"
DEFAULT_MAX_QUARANTINE_RATE = 0.05
#: The four source systems; a deployment may have only some of them (PARTNER_PULSE_SOURCES).
SOURCES = ("crm", "prm", "lms", "survey")


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the variable."""


def parse_rate(name: str, raw: str | None, default: float) -> float:
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number (expected a share 0..1)") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name}={raw!r} must be a share between 0 and 1")
    return value


def parse_sources(raw: str | None) -> tuple[str, ...]:
    """PARTNER_PULSE_SOURCES: comma-separated source systems this deployment has (default all)."""
    if raw is None or raw.strip() == "":
        return SOURCES
    names = tuple(dict.fromkeys(n.strip().lower() for n in raw.split(",") if n.strip()))
    unknown = [n for n in names if n not in SOURCES]
    if unknown or not names:
        raise ConfigError(
            f"PARTNER_PULSE_SOURCES={raw!r}: unknown source(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(SOURCES)}"
        )
    return names


def enabled_sources(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    env = os.environ if environ is None else environ
    return parse_sources(env.get("PARTNER_PULSE_SOURCES"))


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing: Path
    max_quarantine_rate: float
    sources: tuple[str, ...] = SOURCES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            warehouse=Path(env.get("PARTNER_PULSE_WAREHOUSE") or DEFAULT_WAREHOUSE),
            landing=Path(env.get("PARTNER_PULSE_LANDING") or DEFAULT_LANDING),
            max_quarantine_rate=parse_rate(
                "PARTNER_PULSE_MAX_QUARANTINE_RATE",
                env.get("PARTNER_PULSE_MAX_QUARANTINE_RATE"),
                DEFAULT_MAX_QUARANTINE_RATE,
            ),
            sources=parse_sources(env.get("PARTNER_PULSE_SOURCES")),
        )
