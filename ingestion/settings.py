"""Configuration from the environment (see .env.example). Validated, with clear errors."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WAREHOUSE = "warehouse/build.duckdb"
DEFAULT_LANDING = "landing"
DEFAULT_MAX_QUARANTINE_RATE = 0.05


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


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing: Path
    max_quarantine_rate: float

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
        )
